// The reserved endpoints: health, origin-status (no target from the request, rate-limited),
// the NEL collector, the browser page's assets, and NEL headers when enabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startOrigin } from './origin.mjs';
import { startWorker, TOKEN } from './harness.mjs';

let origin, w;

let coldStart;

before(async () => {
  origin = await startOrigin();
  const t0 = performance.now();
  w = await startWorker({ ORIGIN_URL: origin.url, NEL: 'on', ORIGIN_STATUS_INTERVAL_MS: '60000' });
  const ready = performance.now() - t0;
  const first = await w.fetch('/ok');
  await first.text();
  coldStart = { ready, firstResponse: performance.now() - t0 };
});

test('cold start: Miniflare start to the first proxied response', () => {
  console.log(`cold start: workerd ready after ${Math.round(coldStart.ready)} ms, first proxied response after ${Math.round(coldStart.firstResponse)} ms`);
  assert.ok(coldStart.firstResponse < 10_000);
});

after(async () => {
  await w?.close();
  await origin?.close();
});

test('health: without the token only its status (all the error page reads); the owner gets the worker\'s state', async () => {
  const res = await w.fetch('/__gatewise/health');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'private, no-store');
  assert.deepEqual(JSON.parse(await res.text()), { status: 'ok' });
  const owner = await w.fetch('/__gatewise/health', { headers: { 'x-gatewise-debug': TOKEN } });
  const body = await owner.text();
  assert.deepEqual(Object.keys(JSON.parse(body)).sort(), ['breaker', 'config', 'pathsOpen', 'shared', 'status', 'version', 'worker']);
  assert.ok(!body.includes('127.0.0.1'));
});

test('origin-status probes only the configured origin, once per interval; without the token only state and type', async () => {
  const before = origin.hits('HEAD', '/');
  let res = await w.fetch('/__gatewise/origin-status?url=http://example.com/&target=http://169.254.169.254/', { headers: { 'x-forwarded-host': 'evil.example' } });
  assert.equal(res.status, 200);
  const first = JSON.parse(await res.text());
  assert.deepEqual(first, { state: 'reachable', diagnosis: null }, 'no status, latency, time or origin without the token');
  assert.equal(origin.hits('HEAD', '/') - before, 1, 'probed the configured origin');
  for (let i = 0; i < 5; i++) {
    res = await w.fetch('/__gatewise/origin-status');
    assert.deepEqual(JSON.parse(await res.text()), first);
  }
  assert.equal(origin.hits('HEAD', '/') - before, 1, 'rate-limited: no more probes');
  res = await w.fetch('/__gatewise/origin-status', { headers: { 'x-gatewise-debug': TOKEN } });
  const owner = JSON.parse(await res.text());
  assert.deepEqual([owner.origin, owner.status, owner.cached], [origin.url, 200, true]);
});

test('reports: NEL reports about this site are classified by the core and logged, one line per request', async () => {
  const reports = [
    { type: 'network-error', age: 5, url: 'http://site.example/', body: { type: 'tcp.refused', status_code: 0, phase: 'connection', elapsed_time: 12 } },
    { type: 'network-error', age: 5, url: 'http://site.example/a?q=secret', body: { type: 'http.error', status_code: 502, phase: 'application', elapsed_time: 80 } },
    { type: 'csp-violation', body: {} },
  ];
  const res = await w.fetch('/__gatewise/reports', { method: 'POST', headers: { 'content-type': 'application/reports+json' }, body: JSON.stringify(reports) });
  assert.equal(res.status, 204);
  await w.settle();
  const logged = w.events('gatewise.nel');
  assert.equal(logged.length, 1);
  assert.equal(logged[0].source, 'visitor');
  assert.match(logged[0].requestId, /^gw-[0-9a-f]{16}$/);
  assert.deepEqual(logged[0].reports.map((r) => [r.path, r.diagnosis.errorType ?? r.diagnosis.receivedStatus]), [['/', 'connection_refused'], ['/a', 502]]);
  assert.equal((await w.fetch('/__gatewise/reports')).status, 405);
  assert.equal((await w.fetch('/__gatewise/reports', { method: 'POST', headers: { 'content-type': 'application/reports+json' }, body: 'not json' })).status, 400);
});

test('NEL and Reporting-Endpoints headers are added when enabled', async () => {
  const res = await w.fetch('/ok');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'hello from the origin');
  const nel = JSON.parse(res.headers.get('nel'));
  assert.equal(nel.report_to, 'gatewise');
  assert.equal(res.headers.get('reporting-endpoints'), 'gatewise="/__gatewise/reports"');
});

test('assets: a missing file (or binding) is a clean 404; unknown and unsafe paths too', async () => {
  for (const path of ['/__gatewise/checks.js', '/__gatewise/nothing-here', '/__gatewise/.env', '/__gatewise/']) {
    const res = await w.fetch(path);
    assert.equal(res.status, 404, path);
    assert.equal(JSON.parse(await res.text()).error, 'not found');
  }
});

test('assets: the browser page\'s files are served from the ASSETS binding under the prefix', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'gw-assets-'));
  const script = 'console.log("gatewise checks");\n';
  writeFileSync(join(dir, 'checks.js'), script);
  const explainer = '<!doctype html><title>explainer</title>\n';
  writeFileSync(join(dir, 'index.html'), explainer);
  const w = await startWorker({ ORIGIN_URL: 'http://127.0.0.1:9/' }, { assets: dir });
  try {
    // One way in (issue 14): the prefix itself is the explainer; without its slash, a redirect there.
    const index = await w.fetch('/__gatewise/');
    assert.equal(index.status, 200);
    assert.equal(await index.text(), explainer);
    assert.match(index.headers.get('content-security-policy') ?? '', /'wasm-unsafe-eval'/);
    const bare = await w.fetch('/__gatewise');
    assert.deepEqual([bare.status, bare.headers.get('location')], [308, '/__gatewise/']);
    await bare.text();
    const res = await w.fetch('/__gatewise/checks.js');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.equal(await res.text(), script);
    // The worker's security headers on its files too (the explainer ran without a CSP before).
    assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'none';.*script-src 'self' 'wasm-unsafe-eval';.*frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    const missing = await w.fetch('/__gatewise/nope.js');
    assert.equal(missing.status, 404);
    await missing.text();
    // Outside the prefix the worker proxies, it does not serve assets.
    const proxied = await w.fetch('/checks.js', { headers: { accept: 'application/json' } });
    assert.equal(proxied.status, 502);
    await proxied.text();
  } finally {
    await w.close();
  }
});
