// The origin's breaker shared through its Durable Object (issue 16), under workerd (Miniflare) with
// a real OriginHealth object (SQLite) and two separate worker instances (two isolates): what one
// learns the other knows on its next failure; exactly one half-open probe reaches the origin per
// cool-down, whichever instance asks; a probe's success closes it for both within the staleness
// bound (measured and printed); an object that fails every call leaves each instance its own breaker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startShared } from './shared-harness.mjs';
import { JSON_ACCEPT, TOKEN } from './harness.mjs';

const OWNER = { 'x-gatewise-debug': TOKEN };
const COOL_DOWN_MS = 1500;
const STALENESS_MS = 400;
const SETTINGS = {
  RETRY_MAX_ATTEMPTS: '1',
  STALE_IF_ERROR: '0',
  DRILL_BUDGET_MS: '0',
  BREAKER_FAILURES: '5',
  BREAKER_FAILURE_RATIO: '0',
  BREAKER_COOL_DOWN_MS: String(COOL_DOWN_MS),
  BREAKER_MAX_COOL_DOWN_MS: String(COOL_DOWN_MS),
  SHARED_STALENESS_MS: String(STALENESS_MS),
  SHARED_TIMEOUT_MS: '2000',
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An origin that resets every connection while `down`, else answers 200 after `delay` ms; it notes each request's time. */
async function flakyOrigin() {
  const o = { down: true, delay: 0, hits: [] };
  o.server = http.createServer((req, res) => {
    o.hits.push(Date.now());
    if (o.down) req.socket.resetAndDestroy();
    else setTimeout(() => res.end('up'), o.delay);
  });
  await new Promise((ok) => o.server.listen(0, '127.0.0.1', ok));
  o.url = `http://127.0.0.1:${o.server.address().port}`;
  o.close = () => new Promise((ok) => { o.server.closeAllConnections(); o.server.close(ok); });
  return o;
}

/** One visitor request to instance `i`: its status and whether the breaker answered it (503
 * destination_unavailable: the origin here only resets or answers 200). */
async function visit(s, i) {
  const res = await s.fetch(i, '/page', { headers: JSON_ACCEPT });
  const body = await res.text();
  const breaker = res.status === 503 && JSON.parse(body).errorType === 'destination_unavailable';
  return { status: res.status, breaker };
}

/** Polls `f` (bounded: 60 tries, 50 ms apart) until it returns a truthy value. */
async function until(f) {
  for (let n = 0; n < 60; n++) {
    const v = await f();
    if (v) return v;
    await sleep(50);
  }
  return undefined;
}

test('two instances share the breaker: the second opens after one failure of its own; one probe per cool-down for both; a probe\'s success closes it for both', async () => {
  const o = await flakyOrigin();
  const s = await startShared({ ...SETTINGS, ORIGIN_URL: o.url });
  try {
    // Instance 0 meets five failures: its breaker and the shared one open.
    for (let n = 0; n < 5; n++) assert.deepEqual(await visit(s, 0), { status: 502, breaker: false });
    assert.equal(o.hits.length, 5);
    assert.deepEqual(await visit(s, 0), { status: 503, breaker: true });
    assert.equal(o.hits.length, 5, 'open: instance 0 sent nothing');
    // Instance 1 has seen nothing. Its first failure brings back the shared state: open.
    await sleep(100);
    assert.deepEqual(await visit(s, 1), { status: 502, breaker: false });
    assert.equal(o.hits.length, 6);
    const learned = await until(async () => (await visit(s, 1)).breaker);
    assert.ok(learned, 'instance 1 answers from the shared breaker after one failure of its own, not five');
    assert.equal(o.hits.length, 6, 'instance 1 sent nothing more');
    const health = await (await s.fetch(1, '/__gatewise/health', { headers: OWNER })).json();
    assert.equal(health.breaker, 'open');

    // Two cool-downs with the origin still down: a burst of 8 requests from both instances after
    // each cool-down lets exactly one probe through; the probe fails and the breaker re-opens.
    for (let round = 0; round < 2; round++) {
      await sleep(COOL_DOWN_MS + 200);
      const before = o.hits.length;
      const burst = await Promise.all(Array.from({ length: 8 }, (_, k) => visit(s, k % 2)));
      assert.equal(o.hits.length - before, 1, `round ${round}: exactly one probe reached the origin`);
      assert.equal(burst.filter((r) => r.breaker).length, 7, JSON.stringify(burst));
      // The failed probe's report reaches the object: open again, for both.
      await sleep(200);
      for (const i of [0, 1]) assert.ok((await visit(s, i)).breaker, `round ${round}: instance ${i} stays open`);
      assert.equal(o.hits.length - before, 1);
    }

    // The origin is back, and slow (300 ms): instance 0's probe is out when instance 1 asks the
    // object and is refused (its copy now fresh: half-open, the probe out). The probe's success
    // closes the shared breaker; instance 1 serves again once its copy is older than the staleness
    // bound — the worst case of an isolate learning the closing, measured.
    o.down = false;
    o.delay = 300;
    await sleep(COOL_DOWN_MS + 200);
    const hits = o.hits.length;
    const probing = visit(s, 0);
    assert.ok(await until(() => o.hits.length > hits), 'instance 0\'s probe reached the origin');
    assert.ok((await visit(s, 1)).breaker, 'instance 1 is refused while the probe is out');
    assert.equal((await probing).status, 200, 'the probe went through');
    const probe = Date.now();
    let served;
    for (let n = 0; n < 100 && !served; n++) {
      if ((await visit(s, 1)).status === 200) served = Date.now();
      else await sleep(20);
    }
    assert.ok(served, 'instance 1 serves again');
    assert.equal(o.hits.length, hits + 2, 'one probe, then instance 1\'s first request');
    const staleness = served - probe;
    console.log(`shared breaker: instance 1 served ${staleness} ms after instance 0's probe closed the breaker (SHARED_STALENESS_MS ${STALENESS_MS}, plus one call)`);
    assert.ok(staleness <= STALENESS_MS + 1500, `${staleness} ms`);
    // The view's breaker history: opened, half-open probes failed, closed.
    const view = await (await s.fetch(0, '/__gatewise/incidents?format=json', { headers: OWNER })).json();
    const changes = view.breaker.map((t) => `${t.from}>${t.to}`).reverse();
    assert.equal(changes[0], 'closed>open', JSON.stringify(changes));
    assert.equal(changes.at(-1), 'half_open>closed', JSON.stringify(changes));
    assert.equal(changes.filter((c) => c === 'half_open>open').length, 2, JSON.stringify(changes));
  } finally {
    await s.close();
    await o.close();
  }
});

test('the object unavailable: each instance keeps its own breaker and serves', async () => {
  const o = await flakyOrigin();
  // The object's own configuration is unusable: every call to it throws.
  const s = await startShared({ ...SETTINGS, ORIGIN_URL: o.url }, { host: { vars: { INCIDENT_ROWS: 'lots' } } });
  try {
    for (let n = 0; n < 5; n++) assert.deepEqual(await visit(s, 0), { status: 502, breaker: false });
    assert.deepEqual(await visit(s, 0), { status: 503, breaker: true });
    // Instance 1 learns nothing from a failing object: its own breaker is closed, it still tries.
    assert.deepEqual(await visit(s, 1), { status: 502, breaker: false });
    assert.equal(o.hits.length, 6);
    o.down = false;
    await sleep(COOL_DOWN_MS + 100);
    // Both serve; instance 0's probe (its own, the object failing) closed its own breaker.
    for (const i of [0, 1, 0, 1]) assert.equal((await visit(s, i)).status, 200);
    const health = await (await s.fetch(0, '/__gatewise/health', { headers: OWNER })).json();
    assert.equal(health.breaker, 'closed');
    assert.ok(health.shared.failedCalls >= 1);
  } finally {
    await s.close();
    await o.close();
  }
});
