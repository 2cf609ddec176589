// The owner's incident record (issue 16) under workerd with a real Durable Object: two separate
// worker instances bound to one OriginHealth object (SQLite), against real failing origins on
// 127.0.0.1. What visitors got is on record with counts by type; the id a visitor quotes leads to
// its row; visitors' NEL reports are kept apart; retention bounds hold; the monitoring robot opens
// and closes an outage; an object that fails or stalls leaves both instances serving; without the
// token nothing is shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startOrigin, closedPort } from './origin.mjs';
import { startShared } from './shared-harness.mjs';
import { TOKEN, HTML, JSON_ACCEPT } from './harness.mjs';

const OWNER = { 'x-gatewise-debug': TOKEN };
let origin, s;

before(async () => {
  origin = await startOrigin();
  s = await startShared({ ORIGIN_URL: origin.url, RETRY_MAX_ATTEMPTS: '1', STALE_IF_ERROR: '0', DRILL_BUDGET_MS: '0' });
});

after(async () => {
  await s?.close();
  await origin?.close();
});

/** The view as JSON from instance `i` (polled until `until(view)` holds, at most ~5 s). */
async function view(i, query = '', until = () => true) {
  let v;
  for (let n = 0; n < 50; n++) {
    const res = await s.fetch(i, `/__gatewise/incidents?format=json${query}`, { headers: OWNER });
    assert.equal(res.status, 200);
    v = await res.json();
    if (until(v)) return v;
    await s.settle(100);
  }
  return v;
}

test('both instances record what their visitors got in one shared record, with counts by type', async () => {
  const ids = [];
  for (const [i, path] of [[0, '/reset/a'], [0, '/reset/b'], [1, '/garbage/c'], [1, '/nginx-502/d'], [1, '/close/e']]) {
    const res = await s.fetch(i, path, { headers: JSON_ACCEPT });
    assert.ok(res.status >= 500, path);
    ids.push(res.headers.get('x-request-id'));
    await res.text();
  }
  assert.ok(ids.every((id) => /^gw-[0-9a-f]{16}$/.test(id)), ids.join());
  const v = await view(0, '', (v) => v.total >= 5);
  assert.equal(v.shared, true);
  assert.equal(v.total, 5);
  // Every answer a visitor got is a row, whichever instance answered it.
  const listed = new Set(v.latest.map((r) => r.id));
  for (const id of ids) assert.ok(listed.has(id), `${id} is on record`);
  // The counts by RFC 9209 type are keyed by the type's name, and add up.
  assert.equal(Object.values(v.countsByType).reduce((a, b) => a + b, 0), 5);
  for (const name of Object.keys(v.countsByType)) assert.match(name, /^[a-z_]+$/);
  assert.equal(v.countsByPath['/reset/a'], 1);
  assert.equal(v.countsByServed.origin, 1, 'the origin\'s own error page, passed through');
  // The id a visitor quotes from the error page leads to its row, from either instance.
  const asked = await view(1, `&id=${ids[2]}`);
  assert.equal(asked.found.id, ids[2]);
  assert.equal(asked.found.path, '/garbage/c');
});

test('the view: HTML in the visitor\'s language with the chart, counts and rows; CSV export; 404 without the token', async () => {
  const html = await s.fetch(1, '/__gatewise/incidents?window=day', { headers: { ...OWNER, ...HTML, 'accept-language': 'fr' } });
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.equal(html.headers.get('cache-control'), 'private, no-store');
  const page = await html.text();
  assert.match(page, /^<!doctype html><html lang="fr" dir="ltr">/);
  assert.match(page, /<svg viewBox="0 0 720 160" role="img" aria-labelledby="gw-ct gw-cd"/);
  assert.match(page, /<caption>Par type de panne<\/caption>/);
  assert.ok(!page.includes('<script'), 'no script');
  const csv = await s.fetch(0, '/__gatewise/incidents?format=csv', { headers: OWNER });
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = (await csv.text()).trim().split('\r\n');
  assert.equal(lines[0], 'time,source,served,path,type,hop,layer,status,received,attempts,retried,stale,colo,country,id,ray');
  assert.ok(lines.length >= 6, lines.join('\n'));
  for (const [path, init] of [
    ['/__gatewise/incidents', {}],
    ['/__gatewise/incidents?format=json', { headers: JSON_ACCEPT }],
    ['/__gatewise/incidents?format=csv', {}],
    ['/__gatewise/incidents', { headers: { 'x-gatewise-debug': 'wrong' } }],
  ]) {
    const res = await s.fetch(0, path, init);
    assert.equal(res.status, 404, path);
    assert.deepEqual(await res.json(), { error: 'not found' });
  }
});

test('visitors\' NEL reports are recorded as visitor-reported, never counted with what the edge observed', async () => {
  const before = await view(0);
  const reports = [{ type: 'network-error', url: 'http://site.example/from-a-browser', body: { type: 'tcp.timed_out', phase: 'connection' } }];
  const res = await s.fetch(1, '/__gatewise/reports', { method: 'POST', headers: { 'content-type': 'application/reports+json' }, body: JSON.stringify(reports) });
  assert.equal(res.status, 204);
  const v = await view(0, '', (v) => v.visitorReported.total > before.visitorReported.total);
  assert.equal(v.visitorReported.total, before.visitorReported.total + 1);
  assert.equal(v.visitorReported.countsByType.connection_timeout, 1);
  assert.equal(v.total, before.total, 'the edge\'s counts did not move');
  assert.equal(v.countsByType.connection_timeout, before.countsByType.connection_timeout);
  assert.equal(v.latest.find((r) => r.path === '/from-a-browser').source, 'visitor');
});

test('retention: at most INCIDENT_ROWS rows are kept, the per-minute counts keep the totals', async () => {
  const o = await startOrigin();
  const r = await startShared({ ORIGIN_URL: o.url, RETRY_MAX_ATTEMPTS: '1', STALE_IF_ERROR: '0', DRILL_BUDGET_MS: '0', INCIDENT_ROWS: '10' }, { instances: 1 });
  try {
    for (let n = 0; n < 25; n++) {
      const res = await r.fetch(0, `/reset/${n}`, { headers: JSON_ACCEPT });
      await res.text();
    }
    let v;
    for (let n = 0; n < 50; n++) {
      v = await (await r.fetch(0, '/__gatewise/incidents?format=json', { headers: OWNER })).json();
      if (v.total >= 25) break;
      await r.settle(100);
    }
    assert.equal(v.total, 25, 'the per-minute counts have every incident');
    assert.ok(v.storedRows <= 10, `${v.storedRows} rows stored`);
    assert.equal(v.latest.length, v.storedRows);
    assert.equal(v.latest[0].path, '/reset/24', 'the newest rows are the ones kept');
  } finally {
    await r.close();
    await o.close();
  }
});

test('storage: 10,000 incidents in the object, measured (SQLite databaseSize)', async () => {
  const r = await startShared({ ORIGIN_URL: 'http://127.0.0.1:9', INCIDENT_ROWS: '10000' }, { instances: 1 });
  try {
    const ns = r.namespace();
    const stub = (await ns).get((await ns).idFromName('http://127.0.0.1:9'));
    const empty = await stub.size();
    const row = (n) => ({
      at: Date.now() - n * 50, source: 'edge', served: 'page', path: `/shop/item/${n % 500}`, errorType: 'connection_refused',
      hop: 'connect', layer: 'workerd', status: 502, received: null, attempts: 2, colo: 'AMS', country: 'NL',
      id: `gw-${n.toString(16).padStart(16, '0')}`, ray: `8a1b2c3d4e5f${n.toString(16)}-AMS`,
    });
    for (let b = 0; b < 50; b++) {
      const rows = Array.from({ length: 200 }, (_, k) => row(b * 200 + k));
      const reply = JSON.parse(await stub.sync(JSON.stringify({ rows })));
      assert.equal(reply.stored, 200);
    }
    const full = await stub.size();
    const perTenThousand = full - empty;
    console.log(`storage: ${full} bytes with 10,000 incident rows (${perTenThousand} bytes over the empty object's ${empty})`);
    assert.ok(perTenThousand > 100_000 && perTenThousand < 10_000_000, String(perTenThousand));
  } finally {
    await r.close();
  }
});

test('the monitoring robot: a run against a refusing origin opens an outage, a later run against a healthy one closes it', async () => {
  const port = await closedPort();
  const r = await startShared({ ORIGIN_URL: `http://127.0.0.1:${port}`, MONITOR_PATHS: '/,/health' }, { instances: 1 });
  let server;
  try {
    await r.scheduled(0);
    let v;
    for (let n = 0; n < 50; n++) {
      v = await (await r.fetch(0, '/__gatewise/incidents?format=json', { headers: OWNER })).json();
      if (v.outages.length) break;
      await r.settle(100);
    }
    assert.equal(v.outages.length, 1, JSON.stringify(v.outages));
    assert.equal(v.outages[0].ended, null);
    assert.equal(v.outages[0].errorType, 'connection_refused');
    assert.equal(v.robot.countsByType.connection_refused, 1);
    assert.equal(v.total, 0, 'the robot\'s checks are not visitors\' incidents');
    const run = r.events('gatewise.robot').at(-1);
    assert.equal(run.ok, false);
    server = http.createServer((req, res) => res.end('up'));
    await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
    await r.scheduled(0);
    for (let n = 0; n < 50; n++) {
      v = await (await r.fetch(0, '/__gatewise/incidents?format=json', { headers: OWNER })).json();
      if (v.outages[0]?.ended) break;
      await r.settle(100);
    }
    assert.ok(v.outages[0].ended >= v.outages[0].started, 'closed');
    assert.equal(r.events('gatewise.robot').at(-1).ok, true);
  } finally {
    await r.close();
    server?.close();
  }
});

test('the object unavailable (it fails every call): both instances keep serving, the view falls back to each isolate\'s own rows', async () => {
  const o = await startOrigin();
  const vars = { ORIGIN_URL: o.url, RETRY_MAX_ATTEMPTS: '1', STALE_IF_ERROR: '0', DRILL_BUDGET_MS: '0' };
  // The object's own configuration is unusable: every call to it throws.
  const r = await startShared(vars, { host: { vars: { INCIDENT_ROWS: 'lots' } } });
  try {
    for (let n = 0; n < 6; n++) {
      for (const i of [0, 1]) {
        const ok = await r.fetch(i, '/ok');
        assert.equal(ok.status, 200);
        assert.equal(await ok.text(), 'hello from the origin');
        const failed = await r.fetch(i, `/reset/${n}`, { headers: JSON_ACCEPT });
        assert.equal(failed.status, 502);
        await failed.text();
      }
    }
    await r.settle(300);
    const res = await r.fetch(1, '/__gatewise/incidents?format=json', { headers: OWNER });
    assert.equal(res.headers.get('x-gatewise-record'), 'local');
    const v = await res.json();
    assert.equal(v.shared, false);
    assert.equal(v.total, 6, 'this isolate\'s own six');
    const health = await (await r.fetch(0, '/__gatewise/health', { headers: OWNER })).json();
    assert.ok(health.shared.failedCalls >= 1);
    assert.equal(r.events('gatewise.shared_unavailable').length >= 1, true);
  } finally {
    await r.close();
    await o.close();
  }
});

test('the object stalls: no visitor waits for it', async () => {
  const o = await startOrigin();
  const vars = { ORIGIN_URL: o.url, RETRY_MAX_ATTEMPTS: '1', STALE_IF_ERROR: '0', DRILL_BUDGET_MS: '0' };
  const stall = `import { DurableObject } from 'cloudflare:workers';
export class OriginHealth extends DurableObject { sync() { return new Promise(() => {}); } view() { return new Promise(() => {}); } }
export default { fetch() { return new Response('stand-in'); } };`;
  const r = await startShared(vars, { host: { script: stall }, instances: 1 });
  try {
    for (let n = 0; n < 5; n++) {
      const t0 = performance.now();
      const failed = await r.fetch(0, `/reset/${n}`, { headers: JSON_ACCEPT });
      assert.equal(failed.status, 502);
      await failed.text();
      // The flush waits up to 5 s for the object, in waitUntil: an answer that waited would take that long.
      assert.ok(performance.now() - t0 < 4_000, 'answered without waiting for the object');
    }
    const ok = await r.fetch(0, '/ok');
    assert.equal(ok.status, 200);
    await ok.text();
  } finally {
    await r.close();
    await o.close();
  }
});
