// The re-check endpoint (issue 14): the error page's live checks ask the worker to repeat the very
// request that failed — bound to it by the token the page carries — instead of probing the origin's
// root, so that a path that resets, garbles or 502s under a healthy root is never "works again".
// Attacks: another path, host, scheme, method or body cannot be made to fetch; the rate limit holds;
// nothing about the origin leaks without the owner's debug token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startOrigin } from './origin.mjs';
import { startWorker, TOKEN, HTML, SITE } from './harness.mjs';

const BURST = 10; // worker/src/recheck.rs
const TRANSPORT = ['connection_refused', 'connection_terminated'];
const REFILL_MS = 500;

let origin, w, replace, breaker, decoy;
const decoyHits = [];

before(async () => {
  origin = await startOrigin();
  // A server no request may ever reach: anything pointing at it is an attack that worked.
  decoy = net.createServer((s) => {
    decoyHits.push(Date.now());
    s.destroy();
  });
  await new Promise((r) => decoy.listen(0, '127.0.0.1', r));
  [w, replace, breaker] = await Promise.all([
    startWorker({ ORIGIN_URL: origin.url }),
    startWorker({ ORIGIN_URL: origin.url, INTERCEPT_MODE: 'replace-html' }),
    startWorker({
      ORIGIN_URL: origin.url,
      RETRY_MAX_ATTEMPTS: '1',
      BREAKER_FAILURES: '1',
      // One path's resets open only that path's breaker (issue 12): at once here.
      BREAKER_PATH_FAILURES: '1',
      BREAKER_QUIET_MS: '0',
      BREAKER_COOL_DOWN_MS: '60000',
      DRILL_BUDGET_MS: '0',
    }),
  ]);
});

after(async () => {
  await Promise.all([w, replace, breaker].map((x) => x?.close()));
  await origin?.close();
  await new Promise((r) => decoy?.close(r));
});

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The facts an error page gives its script (<main data-gatewise-config>), and the page itself. */
async function failurePage(worker, path, init = {}) {
  const res = await worker.fetch(path, { headers: HTML, ...init });
  const html = await res.text();
  const m = html.match(/<main data-gatewise-config="([^"]*)"/);
  assert.ok(m, `${path}: an error page (${res.status})`);
  return { status: res.status, html, facts: JSON.parse(unescape(m[1])) };
}

async function recheck(worker, url, init = {}) {
  const res = await worker.fetch(url, init);
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the assertion that follows says what came
  }
  return { status: res.status, headers: res.headers, json, text };
}

const b64 = (s) => Buffer.from(s).toString('base64url');
const withField = (url, i, value) => {
  const [head, token] = url.split('?t=');
  const f = token.split('.');
  f[i] = value;
  return `${head}?t=${f.join('.')}`;
};

test('an error page carries a re-check of its own request, and its owner details link to the explainer', async () => {
  const { facts, html } = await failurePage(w, '/reset/cart?id=7');
  assert.match(facts.checks.page, /^\/__gatewise\/recheck\?t=1\.G\.\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
  assert.equal(facts.checks.page.split('.')[3], b64('/reset/cart?id=7'));
  assert.equal(facts.checks.originStatus, '/__gatewise/origin-status');
  // One way in: the explainer, linked from the details every error page has.
  assert.match(html, /<a href="\/__gatewise\/">\/__gatewise\/<\/a>/);
  // Only requests that may be repeated get one: never a POST.
  const post = await failurePage(w, '/reset/order', { method: 'POST', body: 'x=1' });
  assert.equal(post.facts.checks.page, undefined);
  assert.equal(post.facts.checks.autoReload, false);
});

test('it repeats exactly the failed request — GET, its path and query, no body — and says when it answers again', async () => {
  origin.down = true;
  const path = '/flaky/page?x=1&y=%20z';
  const { facts } = await failurePage(w, path, { headers: { ...HTML, cookie: `session=abc; gatewise_debug=${TOKEN}` } });
  let r = await recheck(w, facts.checks.page, { headers: { cookie: 'session=abc' } });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'unreachable');
  assert.equal(r.json.method, 'GET');
  // workerd reports a reset like a refusal ("Network connection lost."): the types it may mean.
  assert.ok(TRANSPORT.includes(r.json.diagnosis.errorType), r.json.diagnosis.errorType);
  const asked = origin.seen.at(-1);
  assert.deepEqual([asked.method, asked.target, asked.bodyLength], ['GET', path, 0]);
  assert.equal(asked.headers.cookie, 'session=abc', 'the visitor\'s own request, as a reload would send it');
  assert.equal(asked.headers['x-gatewise-debug'], undefined);
  assert.match(asked.headers['cdn-loop'], /gatewise/);
  // A result is reused for a second: a page re-checking at once costs the origin nothing more.
  const before = origin.seen.length;
  r = await recheck(w, facts.checks.page);
  assert.deepEqual([r.json.state, r.json.cached], ['unreachable', true]);
  assert.equal(origin.seen.length, before);
  // The path answers again: only now "answers" (below 500).
  origin.down = false;
  await new Promise((res) => setTimeout(res, 1100));
  r = await recheck(w, facts.checks.page);
  assert.deepEqual([r.json.state, r.json.status, r.json.diagnosis], ['answers', 200, null]);
  assert.equal(origin.seen.at(-1).target, path);
});

test('a failing path under a root that answers: the re-check says the page fails, origin-status that the root answers', async () => {
  for (const [worker, path, state, type] of [
    [w, '/reset/a', 'unreachable', TRANSPORT],
    [w, '/close/a', 'unreachable', TRANSPORT],
    [w, '/garbage/a', 'unreachable', null],
    [w, '/huge-header/a', 'unreachable', null],
    [replace, '/nginx-502/a', 'failing', ['connection_refused']],
  ]) {
    const { facts } = await failurePage(worker, path);
    const r = await recheck(worker, facts.checks.page);
    assert.equal(r.json.state, state, path);
    if (type) assert.ok(type.includes(r.json.diagnosis.errorType), `${path}: ${r.json.diagnosis.errorType}`);
    if (state === 'failing') assert.equal(r.json.status, 502);
    const root = await recheck(worker, '/__gatewise/origin-status');
    assert.equal(root.json.state, 'reachable', `${path}: the root answers meanwhile`);
  }
});

test('attacks: another path, host, scheme, method or body cannot be made to fetch', async () => {
  const path = `/reset/x?next=http://127.0.0.1:${decoy.address().port}/`;
  const { facts } = await failurePage(w, path);
  const url = facts.checks.page;
  // The genuine one: the origin, that path and query, never the decoy named in the query.
  let before = origin.seen.length;
  const ok = await recheck(w, url);
  assert.equal(ok.json.state, 'unreachable');
  assert.equal(origin.seen.length, before + 1);
  assert.equal(origin.seen.at(-1).target, path);
  await new Promise((r) => setTimeout(r, 1100)); // past the reuse window: every case below would fetch

  before = origin.seen.length;
  const attacks = [
    ['another path', withField(url, 3, b64('/admin')), {}, 403, 'bad_mac'],
    ['another method', withField(url, 1, 'H'), {}, 403, 'bad_mac'],
    ['an unknown method', withField(url, 1, 'P'), {}, 403, 'malformed'],
    ['another scheme and host', withField(url, 3, b64(`http://127.0.0.1:${decoy.address().port}/`)), {}, 403, 'malformed'],
    ['a protocol-relative host', withField(url, 3, b64(`//127.0.0.1:${decoy.address().port}/`)), {}, 403, 'bad_mac'],
    ['a header injected into the path', withField(url, 3, b64('/x HTTP/1.1\r\nHost: evil')), {}, 403, 'malformed'],
    ['another expiry', withField(url, 2, String(Number(url.split('.')[2]) + 60)), {}, 403, 'bad_mac'],
    ['a forged MAC', withField(url, 4, 'A'.repeat(22)), {}, 403, 'bad_mac'],
    ['a URL beside the token', `${url}&url=http://127.0.0.1:${decoy.address().port}/`, {}, 400, 'no_token'],
    ['no token', '/__gatewise/recheck', {}, 400, 'no_token'],
    ['POST with a body', url, { method: 'POST', body: 'a=1' }, 405, 'method'],
    ['PUT', url, { method: 'PUT', body: 'a=1' }, 405, 'method'],
    ['DELETE', url, { method: 'DELETE' }, 405, 'method'],
    ['HEAD', url, { method: 'HEAD' }, 405, null],
  ];
  for (const [name, target, init, status, why] of attacks) {
    const r = await recheck(w, target, init);
    assert.equal(r.status, status, name);
    if (why) assert.deepEqual([r.json.state, r.json.why], ['refused', why], name);
    if (status === 405) assert.equal(r.headers.get('allow'), 'GET', name);
  }
  // The same token on another host (the page was served for site.example).
  const other = await w.mf.dispatchFetch(new URL(url, 'http://other.example'));
  assert.equal(other.status, 403);
  assert.equal((await other.json()).why, 'bad_mac');
  // A token of another deployment (another DEBUG_TOKEN, so another key) is refused.
  const stranger = await startWorker({ ORIGIN_URL: origin.url, DEBUG_TOKEN: 'another-secret' });
  try {
    const r = await recheck(stranger, url);
    assert.deepEqual([r.status, r.json.why], [403, 'bad_mac']);
  } finally {
    await stranger.close();
  }
  // A GET with a body, on the wire (fetch cannot send one).
  const raw = await new Promise((resolve, reject) => {
    const u = new URL(w.url);
    const s = net.connect(Number(u.port), u.hostname, () => {
      s.write(`GET ${url} HTTP/1.1\r\nHost: site.example\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`);
    });
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 400 /);
  assert.match(raw, /"why":"body"/);
  assert.equal(origin.seen.length, before, 'no attack reached the origin');
  assert.deepEqual(decoyHits, [], 'nothing reached the decoy');
});

test('the rate limit holds: at most the burst plus the refill reach the origin, the rest get 429', async () => {
  // No DEBUG_TOKEN here: the isolate draws its own key (crypto.getRandomValues), which its pages' tokens use.
  const fresh = await startWorker({ ORIGIN_URL: origin.url, RETRY_MAX_ATTEMPTS: '1', DRILL_BUDGET_MS: '0', DEBUG_TOKEN: '' });
  try {
    const n = 30;
    const urls = [];
    for (let i = 0; i < n; i++) urls.push((await failurePage(fresh, `/reset/limit-${i}`)).facts.checks.page);
    const before = origin.seen.length;
    const t0 = performance.now();
    const answers = await Promise.all(urls.map((u) => recheck(fresh, u)));
    const elapsed = performance.now() - t0;
    const done = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    assert.equal(done.length + limited.length, n);
    assert.ok(done.length >= BURST, `${done.length} went through`);
    assert.ok(done.length <= BURST + Math.ceil(elapsed / REFILL_MS), `${done.length} in ${Math.round(elapsed)} ms`);
    assert.ok(limited.length >= 1);
    for (const a of limited) {
      assert.equal(a.json.state, 'limited');
      assert.ok(Number(a.headers.get('retry-after')) >= 1);
    }
    assert.equal(origin.seen.length - before, done.length, 'one origin request per answered re-check, none for the limited');
  } finally {
    await fresh.close();
  }
});

test('no origin detail without the debug token; the owner sees the target', async () => {
  const { facts } = await failurePage(w, '/reset/private?q=1');
  await new Promise((r) => setTimeout(r, 10));
  const pub = await recheck(w, facts.checks.page);
  for (const secret of ['127.0.0.1', String(origin.port), 'Network connection lost', 'target']) {
    assert.ok(!pub.text.includes(secret), `the public answer leaks ${secret}: ${pub.text}`);
  }
  assert.ok(!(pub.json.diagnosis.evidence?.length > 0));
  assert.equal(pub.json.diagnosis.detail, undefined);
  const own = await recheck(w, facts.checks.page, { headers: { 'x-gatewise-debug': TOKEN } });
  assert.equal(own.json.target, `${origin.url}/reset/private?q=1`);
  assert.equal(own.headers.get('cache-control'), 'private, no-store');
});

test('while the circuit breaker is open, the re-check does not reach the origin and the page does not claim recovery', async () => {
  const first = await failurePage(breaker, '/reset/broken');
  const page = await failurePage(breaker, '/reset/broken');
  assert.equal(page.status, 503, 'the breaker is open');
  const before = origin.seen.length;
  for (const url of [first.facts.checks.page, page.facts.checks.page]) {
    const r = await recheck(breaker, url);
    assert.deepEqual([r.json.state, r.json.diagnosis.errorType], ['failing', 'destination_unavailable']);
  }
  assert.equal(origin.seen.length, before);
  assert.equal(new URL(SITE).host, 'site.example');
});
