// Nothing a visitor sends can forge the owner's record (issue 16), each attack of the issue as a
// regression test against the BUILT worker in workerd with its Durable Object: the NEL collector
// (content types, Origin, each report's url, rate limits per client and per minute, a bounded count
// per request, kept apart as visitor-reported, a flood that cannot flood the log), fields cut at
// character boundaries, log lines bounded and escaped (U+2028/2029, bidi, C1), the request id the
// worker's own, and public endpoints that say no more than the error page reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startOrigin } from './origin.mjs';
import { startShared } from './shared-harness.mjs';
import { TOKEN, JSON_ACCEPT } from './harness.mjs';

const OWNER = { 'x-gatewise-debug': TOKEN };
const REPORTS = { 'content-type': 'application/reports+json' };
const report = (path, type = 'tcp.refused', extra = {}) => ({
  type: 'network-error',
  url: `http://site.example${path}`,
  body: { type, phase: 'connection', status_code: 0, elapsed_time: 5, ...extra },
});
/** Characters that must never reach a log line raw. */
const RAW = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

let origin, s;

before(async () => {
  origin = await startOrigin();
  s = await startShared(
    { ORIGIN_URL: origin.url, RETRY_MAX_ATTEMPTS: '1', STALE_IF_ERROR: '0', DRILL_BUDGET_MS: '0', NEL: 'on', REPORTS_PER_CLIENT: '4', REPORTS_PER_MINUTE: '1000' },
    { instances: 1 },
  );
});

after(async () => {
  await s?.close();
  await origin?.close();
});

const post = (body, headers = REPORTS) => s.fetch(0, '/__gatewise/reports', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function visitorRows() {
  await s.settle(300);
  const v = await (await s.fetch(0, '/__gatewise/incidents?format=json', { headers: OWNER })).json();
  return v.visitorReported.total;
}

test('the collector refuses what another site\'s page can send without a preflight, and other sites\' Origin', async () => {
  const start = await visitorRows();
  const body = [report('/a')];
  for (const [headers, status] of [
    [{ 'content-type': 'text/plain;charset=UTF-8' }, 415],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
    [{ 'content-type': 'multipart/form-data; boundary=x' }, 415],
    [{}, 415],
    // Other origins the runtime lets through (Miniflare itself refuses hosts it does not serve).
    [{ ...REPORTS, origin: 'http://localhost:8787' }, 403],
    [{ ...REPORTS, origin: 'http://evil.site.example' }, 403],
    [{ ...REPORTS, origin: 'https://site.example' }, 403],
    [{ ...REPORTS, 'sec-fetch-site': 'cross-site' }, 403],
    [{ ...REPORTS, 'sec-fetch-site': 'same-site' }, 403],
  ]) {
    const res = await post(body, headers);
    assert.equal(res.status, status, JSON.stringify(headers));
    // The collector's own refusal (a JSON error), not the runtime's.
    assert.deepEqual(await res.json(), { error: status === 415 ? 'content_type' : 'cross_site' });
  }
  assert.equal(await visitorRows(), start, 'nothing recorded');
  // This site's own page, through the browser's Reporting API: accepted.
  const ok = await post(body, { ...REPORTS, origin: 'http://site.example', 'cf-connecting-ip': '192.0.2.1' });
  assert.equal(ok.status, 204);
  assert.equal(await visitorRows(), start + 1);
});

test('each report\'s url must be this site\'s; a body holds a bounded number of reports', async () => {
  const start = await visitorRows();
  const foreign = ['https://site.example/', 'http://site.example.evil.example/', 'http://site.example:8080/', 'http://evil.example/', 'http://site.example@evil.example/'].map((u) => ({ ...report('/'), url: u }));
  const res = await post([...foreign, { ...report('/'), url: undefined }], { ...REPORTS, 'cf-connecting-ip': '192.0.2.2' });
  assert.equal(res.status, 204);
  assert.equal(await visitorRows(), start, 'no report about another site is recorded');
  // 50 of this site's reports from one client in one body: at most the per-client limit (4) recorded.
  const many = Array.from({ length: 50 }, (_, n) => report(`/many/${n}`));
  assert.equal((await post(many, { ...REPORTS, 'cf-connecting-ip': '192.0.2.3' })).status, 204);
  assert.equal(await visitorRows(), start + 4);
});

test('rate limits: per client, then for everyone per minute; a flood of requests cannot flood the log', async () => {
  const start = await visitorRows();
  const linesBefore = s.logs.length;
  // Client .4 sends its four, then is refused.
  for (let n = 0; n < 4; n++) assert.equal((await post([report(`/c4/${n}`)], { ...REPORTS, 'cf-connecting-ip': '192.0.2.4' })).status, 204);
  const limited = await post([report('/c4/x')], { ...REPORTS, 'cf-connecting-ip': '192.0.2.4' });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '60');
  assert.equal(await visitorRows(), start + 4);
  // A flood: 300 refused requests write at most one summary line a minute, never one line each.
  for (let n = 0; n < 300; n++) {
    const res = await post('x', { 'content-type': 'text/plain' });
    await res.text();
  }
  await s.settle(300);
  const lines = s.logs.slice(linesBefore).filter((l) => l.includes('gatewise.nel'));
  assert.ok(lines.length <= 4 + 2, `${lines.length} log lines`);
  // Everyone together: an instance with REPORTS_PER_MINUTE=5 takes five a minute from fifty clients.
  const r = await startShared({ ORIGIN_URL: origin.url, REPORTS_PER_MINUTE: '5', REPORTS_PER_CLIENT: '100' }, { instances: 1 });
  try {
    const minutes = new Set([Math.floor(Date.now() / 60_000)]);
    let accepted = 0;
    for (let c = 10; c < 60; c++) {
      const res = await r.fetch(0, '/__gatewise/reports', { method: 'POST', headers: { ...REPORTS, 'cf-connecting-ip': `198.51.100.${c}` }, body: JSON.stringify([report(`/everyone/${c}`)]) });
      if (res.status === 204) accepted++;
      else assert.equal(res.status, 429);
      await res.text();
    }
    minutes.add(Math.floor(Date.now() / 60_000));
    assert.ok(accepted >= 5 && accepted <= 5 * minutes.size, `${accepted} accepted`);
    await r.settle(300);
    const v = await (await r.fetch(0, '/__gatewise/incidents?format=json', { headers: OWNER })).json();
    assert.equal(v.visitorReported.total, accepted);
  } finally {
    await r.close();
  }
});

test('a report field whose byte 64 falls inside a character is cut, not kept whole; log lines stay bounded and escaped', async () => {
  const before = s.logs.length;
  const long = 'a'.repeat(63) + '€'.repeat(6000);
  const nasty = 'x\u2028y\u2029z\u202e\u2066\u0085\u009b';
  const res = await post([report('/long', long, { phase: long + nasty }), report('/nasty', 'tcp.reset', { phase: nasty })], { ...REPORTS, 'cf-connecting-ip': '192.0.2.9' });
  assert.equal(res.status, 204);
  await s.settle(300);
  const mine = s.logs.slice(before);
  const line = mine.find((l) => l.includes('"gatewise.nel"') && l.includes('/long'));
  assert.ok(line, mine.join('\n'));
  assert.ok(line.length < 8 * 1024 + 100, `${line.length} bytes`);
  assert.ok(!RAW.test(line), 'no raw separator, bidi or C1 control');
  const parsed = JSON.parse(line.slice(line.indexOf('{')));
  assert.equal(parsed.reports[0].kind, 'a'.repeat(63));
  assert.ok(Buffer.byteLength(parsed.reports[0].phase) <= 64);
  assert.equal(parsed.reports[1].phase, nasty, 'escaped in the line, the same text once parsed');
});

test('the request id is the worker\'s own; a visitor\'s cf-ray is a separate, cut field; the path is cut; every line bounded', async () => {
  const before = s.logs.length;
  const ray = `forged\u0085ray${'r'.repeat(500)}`;
  const path = `/reset/${'p'.repeat(20_000)}`;
  const res = await s.fetch(0, path, { headers: { ...JSON_ACCEPT, 'cf-ray': ray } });
  assert.equal(res.status, 502);
  const id = res.headers.get('x-request-id');
  assert.match(id, /^gw-[0-9a-f]{16}$/);
  assert.equal((await res.json()).instance?.includes(ray) ?? false, false);
  await s.settle(300);
  const lines = s.logs.slice(before);
  for (const l of lines) {
    assert.ok(l.length <= 8 * 1024 + 200, `a ${l.length}-byte line`);
    assert.ok(!RAW.test(l), 'no raw C1 control');
  }
  const failure = s.events('gatewise.failure').find((e) => e.requestId === id);
  assert.ok(failure, 'logged under its own id');
  assert.ok(Buffer.byteLength(failure.ray) <= 64 && failure.ray.startsWith('forged'));
  assert.ok(Buffer.byteLength(failure.path) <= 256);
  let row;
  for (let n = 0; n < 30 && !row; n++) {
    const v = await (await s.fetch(0, `/__gatewise/incidents?format=json&id=${id}`, { headers: OWNER })).json();
    row = v.found;
    if (!row) await s.settle(100);
  }
  assert.equal(row.id, id);
  assert.ok(row.ray.length <= 64 && !RAW.test(row.ray));
  assert.ok(Buffer.byteLength(row.path) <= 256);
});

test('public endpoints disclose only what the error page reads; a bare 5xx is not "reachable"', async () => {
  const health = await s.fetch(0, '/__gatewise/health');
  assert.deepEqual(await health.json(), { status: 'ok' });
  // An origin whose root answers a bare 502 (no recognisable gateway page).
  const bare = http.createServer((req, res) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('bad');
  });
  await new Promise((r) => bare.listen(0, '127.0.0.1', r));
  const r = await startShared({ ORIGIN_URL: `http://127.0.0.1:${bare.address().port}` }, { instances: 1, bound: false });
  try {
    const res = await r.fetch(0, '/__gatewise/origin-status');
    const body = await res.json();
    assert.equal(body.state, 'failing');
    assert.deepEqual(Object.keys(body).sort(), ['diagnosis', 'state']);
    assert.deepEqual(Object.keys(body.diagnosis ?? {}), ['errorType']);
    const owner = await (await r.fetch(0, '/__gatewise/origin-status', { headers: OWNER })).json();
    assert.equal(owner.status, 502);
  } finally {
    await r.close();
    bare.close();
  }
});
