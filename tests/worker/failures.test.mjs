// Each failure mode of a real origin on 127.0.0.1, through the built worker in workerd:
// status, Proxy-Status error type, Retry-After, Cache-Control, the three bodies, languages,
// and that nothing internal leaks without the owner's debug token (but does with it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startOrigin, closedPort } from './origin.mjs';
import { startWorker, ownEntry, proxyStatus, TOKEN, HTML, JSON_ACCEPT, CURL } from './harness.mjs';

let origin, main, refused, refusedPort;
const report = [];

before(async () => {
  origin = await startOrigin();
  refusedPort = await closedPort();
  [main, refused] = await Promise.all([
    // The visit's whole wait (TOTAL_TIMEOUT_MS) leaves room for one Retry-After of 1 s (see the 503 test).
    startWorker({ ORIGIN_URL: origin.url, TIMEOUT_MS: '700', TOTAL_TIMEOUT_MS: '3000' }),
    startWorker({ ORIGIN_URL: `http://127.0.0.1:${refusedPort}`, RETRY_MAX_ATTEMPTS: '1' }),
  ]);
});

after(async () => {
  await Promise.all([main?.close(), refused?.close()]);
  await origin?.close();
  console.log('\nfailure mode → status, Proxy-Status (own entry)');
  for (const r of report) console.log(`  ${r.mode.padEnd(16)} ${r.status}  ${r.proxyStatus}`);
});

/** The worker's own failure answers: [mode, worker, path, status, error type, temporary]. */
const ANSWERED = [
  ['refused', () => refused, '/', 502, 'connection_refused', true],
  ['hang', () => main, '/hang', 504, 'http_response_timeout', true],
  ['reset', () => main, '/reset', 502, 'connection_terminated', true],
  ['close', () => main, '/close', 502, 'connection_terminated', true],
  ['garbage', () => main, '/garbage', 502, 'http_protocol_error', false],
];

const internals = () => ['127.0.0.1', String(origin.port), String(refusedPort), 'Network connection lost', 'internal error; reference'];

function assertNoLeak(mode, text) {
  for (const secret of internals()) assert.ok(!text.includes(secret), `${mode}: leaks ${JSON.stringify(secret)}`);
}

async function everything(res) {
  const body = await res.text();
  return { body, all: `${[...res.headers].map(([n, v]) => `${n}: ${v}`).join('\n')}\n${body}` };
}

for (const [mode, w, path, status, type, temporary] of ANSWERED) {
  test(`${mode}: ${status} ${type} as HTML, problem JSON, text and Markdown, with no internal detail`, async () => {
    // HTML for a browser.
    let res = await w().fetch(path, { headers: HTML });
    const own = ownEntry(res);
    report.push({ mode, status: res.status, proxyStatus: res.headers.get('proxy-status') });
    assert.equal(res.status, status);
    assert.equal(own.params.error, type);
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
    if (temporary) assert.match(res.headers.get('retry-after') ?? '', /^\d+$/, 'temporary: Retry-After');
    else assert.equal(res.headers.get('retry-after'), null, 'not temporary: no Retry-After');
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.headers.get('content-security-policy'), /default-src 'none'/);
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-robots-tag'), 'noindex', 'an error page is not indexed');
    assert.match(res.headers.get('x-request-id'), /^gw-[0-9a-f]{16}$/);
    let { body, all } = await everything(res);
    assert.match(body, /^<!doctype html><html lang="en" dir="ltr">/);
    assert.ok(body.includes(type), 'the page names the error type');
    assertNoLeak(`${mode} html`, all);
    // The live checks: loaded from the reserved prefix, told the edge's
    // endpoints and the resolver, allowed by the CSP to reach them.
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /connect-src 'self' https:;/);
    assert.ok(!csp.includes('unsafe-eval') && !/script-src[^;]*unsafe-inline/.test(csp));
    assert.match(body, /<script src="\/__gatewise\/checks\.js" defer><\/script>/);
    const config = JSON.parse(body.match(/data-gatewise-config="([^"]*)"/)[1].replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
    assert.equal(config.checks.health, '/__gatewise/health');
    assert.equal(config.checks.originStatus, '/__gatewise/origin-status');
    assert.match(config.checks.resolver, /^https?:\/\//);
    assert.equal(config.checks.autoReload, true, 'a GET may reload itself');

    // Problem JSON for an API client.
    res = await w().fetch(path, { headers: JSON_ACCEPT });
    assert.equal(res.status, status);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    ({ body, all } = await everything(res));
    const problem = JSON.parse(body);
    assert.equal(problem.status, status);
    assert.equal(problem.errorType, type);
    assert.match(problem.type, /^https:\/\/gatewise\.dev\/problems\//);
    assert.ok(problem.requestId);
    assert.equal(problem.evidence, undefined, 'no evidence without the token');
    // What a program decides on, the same as the headers; no visitor advice.
    assert.equal(problem.retryable, temporary);
    assert.equal(problem.retryAfter, temporary ? Number(res.headers.get('retry-after')) : undefined);
    assert.equal(problem.ownerActionRequired, !temporary);
    assert.equal(problem.advice, undefined);
    assertNoLeak(`${mode} json`, all);

    // Markdown for an agent (Cloudflare's "Markdown for Agents": Accept: text/markdown).
    res = await w().fetch(path, { headers: { accept: 'text/markdown, text/html;q=0.9' } });
    assert.equal(res.status, status);
    assert.equal(res.headers.get('content-type'), 'text/markdown; charset=utf-8');
    assert.equal(res.headers.get('x-robots-tag'), 'noindex');
    ({ body, all } = await everything(res));
    assert.equal(Number(res.headers.get('x-markdown-tokens')), Math.ceil(new TextEncoder().encode(body).length / 4));
    assert.ok(body.startsWith('---\n') && body.includes(`\nerror_type: ${type}\n`), body);
    assert.match(body, /\n# \S/);
    assertNoLeak(`${mode} markdown`, all);

    // Text for curl.
    res = await w().fetch(path, { headers: CURL });
    assert.equal(res.status, status);
    assert.match(res.headers.get('content-type'), /^text\/plain/);
    ({ body, all } = await everything(res));
    assert.ok(body.includes(type));
    assertNoLeak(`${mode} text`, all);

    // A wrong token is no token.
    res = await w().fetch(path, { headers: { ...JSON_ACCEPT, 'x-gatewise-debug': TOKEN + 'x' } });
    assertNoLeak(`${mode} wrong token`, (await everything(res)).all);

    // The owner's token (header or cookie) unlocks the origin, the raw error and the timings.
    for (const h of [{ 'x-gatewise-debug': TOKEN }, { cookie: `theme=dark; gatewise_debug=${TOKEN}` }]) {
      res = await w().fetch(path, { headers: { ...JSON_ACCEPT, ...h } });
      const owner = JSON.parse(await res.text());
      const facts = JSON.stringify(owner.evidence);
      assert.ok(facts.includes('127.0.0.1'), `${mode}: the owner sees the origin`);
      assert.match(facts, /attempt 1: \d+ ms/, `${mode}: the owner sees the timings`);
    }
  });
}

test('an ambiguous "Network connection lost." is narrowed by the drill-through (owner view)', async () => {
  const res = await refused.fetch('/', { headers: { ...JSON_ACCEPT, 'x-gatewise-debug': TOKEN } });
  const p = JSON.parse(await res.text());
  assert.equal(p.errorType, 'connection_refused');
  assert.equal(p.confidence, 'high');
  const facts = JSON.stringify(p.evidence);
  assert.match(facts, /connect: refused/);
  assert.match(facts, /Network connection lost/, 'the raw runtime error is shown to the owner');
  await refused.settle();
  const logged = refused.events('gatewise.failure').at(-1);
  assert.equal(logged.diagnosis.errorType, 'connection_refused');
  assert.ok(Array.isArray(logged.drill) && logged.drill.some((s) => s.hop === 'connect' && s.outcome === 'refused'));
  assert.equal(typeof logged.totalMs, 'number');
  assert.equal(logged.servedStale, false);
  assert.equal(logged.breaker, 'closed');
});

test('dns: an origin name that does not resolve is dns_error, found by DNS over HTTPS (a fake resolver on 127.0.0.1)', async () => {
  const asked = [];
  const doh = http.createServer((req, res) => {
    asked.push({ url: req.url, accept: req.headers.accept });
    res.setHeader('content-type', 'application/dns-json');
    res.end(JSON.stringify({ Status: 3, Question: [{ name: 'nx-origin.invalid', type: 1 }] }));
  });
  await new Promise((r) => doh.listen(0, '127.0.0.1', r));
  const w = await startWorker({ ORIGIN_URL: 'http://nx-origin.invalid:8080', DOH_URL: `http://127.0.0.1:${doh.address().port}/dns-query`, RETRY_MAX_ATTEMPTS: '1' });
  try {
    let res = await w.fetch('/', { headers: HTML });
    report.push({ mode: 'dns', status: res.status, proxyStatus: res.headers.get('proxy-status') });
    assert.equal(res.status, 502);
    assert.equal(ownEntry(res).params.error, 'dns_error');
    const { all } = await everything(res);
    assert.ok(!all.includes('nx-origin.invalid'), 'the origin name stays inside');
    assert.deepEqual(asked[0], { url: '/dns-query?name=nx-origin.invalid&type=A', accept: 'application/dns-json' });
    res = await w.fetch('/', { headers: { ...JSON_ACCEPT, 'x-gatewise-debug': TOKEN } });
    const p = JSON.parse(await res.text());
    assert.equal(p.confidence, 'high');
    assert.match(JSON.stringify(p.evidence), /dns: no_address/);
    assert.match(JSON.stringify(p.evidence), /nx-origin\.invalid/);
  } finally {
    await w.close();
    doh.close();
  }
});

test('languages: fr gets lang="fr", ar gets dir="rtl", unknown gets the default', async () => {
  let body = await (await main.fetch('/reset', { headers: { ...HTML, 'accept-language': 'fr-CH, fr;q=0.9' } })).text();
  assert.match(body, /<html lang="fr" dir="ltr">/);
  body = await (await main.fetch('/reset', { headers: { ...HTML, 'accept-language': 'ar' } })).text();
  assert.match(body, /<html lang="ar" dir="rtl">/);
  body = await (await main.fetch('/reset', { headers: { ...HTML, 'accept-language': 'ko' } })).text();
  assert.match(body, /<html lang="en" dir="ltr">/);
});

test('the origin answered: slow headers within the limit pass through', async () => {
  const res = await main.fetch('/slow-headers?ms=300');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'slow but fine');
  assert.equal(res.headers.get('proxy-status'), null);
  report.push({ mode: 'slow headers', status: 200, proxyStatus: '(none: passed through)' });
});

test('a huge response header: workerd rejects it, the drill-through measures the header section', async () => {
  const res = await main.fetch('/huge-header', { headers: JSON_ACCEPT });
  const { body, all } = await everything(res);
  report.push({ mode: 'huge header', status: res.status, proxyStatus: res.headers.get('proxy-status') });
  assert.equal(res.status, 502);
  assert.equal(ownEntry(res).params.error, 'http_response_header_section_size');
  assert.equal(JSON.parse(body).confidence, 'high');
  assert.equal(res.headers.get('retry-after'), null, 'not temporary');
  assertNoLeak('huge header', all);
});

test('a truncated body: the headers passed, the body stream breaks (never buffered)', async () => {
  const res = await main.fetch('/truncated');
  assert.equal(res.status, 200);
  let got = 0;
  let broke = false;
  try {
    for await (const chunk of res.body) got += chunk.length;
  } catch {
    broke = true;
  }
  assert.ok(broke || got < 100000, `got ${got} bytes`);
  report.push({ mode: 'truncated body', status: 200, proxyStatus: '(none: headers had passed)' });
});

test("the origin's own nginx 502 page passes through, with our Proxy-Status entry", async () => {
  const res = await main.fetch('/nginx-502', { headers: HTML });
  assert.equal(res.status, 502);
  assert.equal(res.headers.get('server'), 'nginx/1.22.1');
  const own = ownEntry(res);
  assert.equal(own.params.error, 'connection_refused');
  assert.equal(own.params['received-status'], '502');
  const body = await res.text();
  assert.match(body, /<center>nginx\/1\.22\.1<\/center>/);
  report.push({ mode: 'nginx 502 page', status: 502, proxyStatus: res.headers.get('proxy-status') });
});

test("a Cloudflare 522 from the origin's side is recognised (status kept, connection_timeout)", async () => {
  const res = await main.fetch('/cf-522', { headers: HTML });
  assert.equal(res.status, 522);
  const own = ownEntry(res);
  assert.equal(own.params.error, 'connection_timeout');
  assert.equal(own.params['received-status'], '522');
  report.push({ mode: 'cloudflare 522', status: 522, proxyStatus: res.headers.get('proxy-status') });
});

test('503 with Retry-After: the GET is retried after the wait, then passed through', async () => {
  const before = origin.hits('GET', '/503');
  const t0 = performance.now();
  const res = await main.fetch('/503');
  const ms = performance.now() - t0;
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '1');
  assert.equal(ownEntry(res).params['received-status'], '503');
  assert.equal(origin.hits('GET', '/503') - before, 2, 'retried once');
  assert.ok(ms >= 950, `waited the origin's Retry-After (${Math.round(ms)} ms)`);
  report.push({ mode: '503 Retry-After', status: 503, proxyStatus: res.headers.get('proxy-status') });
});

test('a JSON API 500 passes through untouched', async () => {
  const res = await main.fetch('/api-500', { headers: JSON_ACCEPT });
  assert.equal(res.status, 500);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(res.headers.get('proxy-status'), null);
  assert.deepEqual(JSON.parse(await res.text()), { error: 'boom', code: 42 });
  report.push({ mode: 'JSON API 500', status: 500, proxyStatus: '(none: passed through)' });
});

test('Proxy-Status parses as a list whose last member is this worker', async () => {
  const res = await main.fetch('/reset');
  const entries = proxyStatus(res.headers.get('proxy-status'));
  assert.equal(entries.length, 1);
  assert.deepEqual(Object.keys(entries[0].params), ['error']);
});
