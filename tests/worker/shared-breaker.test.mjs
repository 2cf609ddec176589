// The origin's breaker (the origin half of the core's Guard) shared through its Durable Object
// (issue 16), under workerd (Miniflare) with a real OriginHealth object (SQLite) and two separate
// worker instances (two isolates): what one learns the other knows on its next failure; exactly one
// half-open probe reaches the origin per cool-down, whichever instance asks; a probe's success
// closes it for both within the staleness bound (measured and printed); what a visitor can cause
// (one path's failures, failures of many made-up paths) stays each isolate's own — an attacker at
// one location cannot open the breaker for the others; an object that fails every call leaves each
// instance its own breakers.
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
  // The drill-through tells a refused connection (the origin's breaker) from a path's reset.
  DRILL_BUDGET_MS: '1000',
  BREAKER_FAILURES: '5',
  BREAKER_FAILURE_RATIO: '0',
  BREAKER_PATH_FAILURES: '0',
  BREAKER_SPREAD_PATHS: '0',
  BREAKER_COOL_DOWN_MS: String(COOL_DOWN_MS),
  BREAKER_MAX_COOL_DOWN_MS: String(COOL_DOWN_MS),
  SHARED_STALENESS_MS: String(STALENESS_MS),
  SHARED_TIMEOUT_MS: '2000',
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An origin on 127.0.0.1 that can stop listening (connections refused) and start again on its
 * port; `/broken…` resets, everything else answers 200 after `delay` ms; it counts requests per path. */
async function switchableOrigin() {
  const o = { delay: 0, hits: new Map() };
  const handler = (req, res) => {
    const path = new URL(req.url, 'http://origin').pathname;
    o.hits.set(path, (o.hits.get(path) ?? 0) + 1);
    if (path.startsWith('/broken')) req.socket.resetAndDestroy();
    else setTimeout(() => res.end('up'), o.delay);
  };
  o.total = () => [...o.hits.values()].reduce((a, b) => a + b, 0);
  o.start = (port = 0) =>
    new Promise((ok) => {
      o.server = http.createServer(handler);
      o.server.listen(port, '127.0.0.1', () => {
        o.port = o.server.address().port;
        ok();
      });
    });
  o.stop = () =>
    new Promise((ok) => {
      o.server.closeAllConnections();
      o.server.close(() => ok());
    });
  await o.start();
  o.url = `http://127.0.0.1:${o.port}`;
  return o;
}

/** One visitor request to instance `i`: its status, and whether a breaker answered it (503
 * destination_unavailable written by gatewise: the origin here refuses, resets or answers 200). */
async function visit(s, i, path) {
  const res = await s.fetch(i, path, { headers: JSON_ACCEPT });
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

test('two instances share the origin\'s breaker (refused connections): the second opens after one failure of its own; one probe per cool-down for both; a probe\'s success closes it for both', async () => {
  const o = await switchableOrigin();
  const s = await startShared({ ...SETTINGS, ORIGIN_URL: o.url });
  try {
    await o.stop();
    // Instance 0 meets five refused connections: its breaker and the shared one open.
    for (let n = 0; n < 5; n++) assert.deepEqual(await visit(s, 0, `/page/${n}`), { status: 502, breaker: false });
    assert.deepEqual(await visit(s, 0, '/page/5'), { status: 503, breaker: true });
    // Instance 1 has seen nothing. Its first failure brings back the shared state: open.
    await sleep(100);
    assert.deepEqual(await visit(s, 1, '/page/6'), { status: 502, breaker: false });
    // Its failure's report goes in waitUntil; the object's answer (the shared breaker) comes back.
    const state = async () => (await (await s.fetch(1, '/__gatewise/health', { headers: OWNER })).json()).breaker;
    assert.ok(await until(async () => (await state()) === 'open'), 'instance 1 took the shared breaker: open');
    assert.deepEqual(await visit(s, 1, '/page/7'), { status: 503, breaker: true }, 'after one failure of its own, not five');

    // Two cool-downs with the origin still refusing: a burst of 8 visits from both instances after
    // each cool-down lets exactly one probe through (the only answer not the breaker's); the probe
    // fails and the breaker re-opens for both.
    for (let round = 0; round < 2; round++) {
      await sleep(COOL_DOWN_MS + 200);
      const burst = await Promise.all(Array.from({ length: 8 }, (_, k) => visit(s, k % 2, `/page/b${round}${k}`)));
      assert.equal(burst.filter((r) => !r.breaker).length, 1, `round ${round}: exactly one probe: ${JSON.stringify(burst)}`);
      await sleep(200);
      for (const i of [0, 1]) assert.ok((await visit(s, i, `/page/after${round}`)).breaker, `round ${round}: instance ${i} stays open`);
    }

    // The origin is back, and slow (300 ms): instance 0's probe is out when instance 1 asks the
    // object and is refused (its copy now fresh: half-open, the probe out). The probe's success
    // closes the shared breaker; instance 1 serves again once its copy is older than the staleness
    // bound — the worst case of an isolate learning the closing, measured.
    await o.start(o.port);
    o.delay = 300;
    await sleep(COOL_DOWN_MS + 200);
    const probing = visit(s, 0, '/page/probe');
    assert.ok(await until(() => o.total() > 0), 'instance 0\'s probe reached the origin');
    assert.ok((await visit(s, 1, '/page/meanwhile')).breaker, 'instance 1 is refused while the probe is out');
    assert.equal((await probing).status, 200, 'the probe went through');
    const probe = Date.now();
    let served;
    for (let n = 0; n < 100 && !served; n++) {
      if ((await visit(s, 1, '/page/back')).status === 200) served = Date.now();
      else await sleep(20);
    }
    assert.ok(served, 'instance 1 serves again');
    assert.equal(o.total(), 2, 'one probe, then instance 1\'s first request');
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
    await o.stop().catch(() => {});
  }
});

test('one broken path: its breaker is each isolate\'s own (a visitor chooses which paths fail); the shared origin breaker stays closed', async () => {
  const o = await switchableOrigin();
  const s = await startShared({
    ...SETTINGS,
    ORIGIN_URL: o.url,
    DRILL_BUDGET_MS: '0',
    BREAKER_PATH_FAILURES: '3',
    BREAKER_QUIET_MS: '300',
  });
  try {
    // Instance 0: /broken resets until its path breaker opens (3 failures, nothing good on it for 300 ms).
    const opened = await until(async () => (await visit(s, 0, '/broken')).breaker);
    assert.ok(opened, 'the path opened on instance 0');
    assert.equal((await visit(s, 0, '/ok')).status, 200, 'the rest of the site is served');
    // Instance 1 still asks the origin for /broken (its own table), and serves the rest.
    const hits = o.hits.get('/broken');
    assert.deepEqual(await visit(s, 1, '/broken'), { status: 502, breaker: false });
    await sleep(300);
    assert.deepEqual(await visit(s, 1, '/broken'), { status: 502, breaker: false });
    assert.equal(o.hits.get('/broken'), hits + 2);
    assert.equal((await visit(s, 1, '/ok')).status, 200);
    for (const i of [0, 1]) {
      const health = await (await s.fetch(i, '/__gatewise/health', { headers: OWNER })).json();
      assert.equal(health.breaker, 'closed', `instance ${i}: the origin's breaker stays closed`);
      assert.equal(health.pathsOpen, i === 0 ? 1 : 0, `instance ${i}: its own paths`);
    }
    const view = await (await s.fetch(0, '/__gatewise/incidents?format=json', { headers: OWNER })).json();
    assert.deepEqual(view.breaker, [], 'the shared breaker never changed');
  } finally {
    await s.close();
    await o.stop().catch(() => {});
  }
});

test('the object unavailable: each instance keeps its own breakers and serves', async () => {
  const o = await switchableOrigin();
  // The object's own configuration is unusable: every call to it throws.
  const s = await startShared({ ...SETTINGS, ORIGIN_URL: o.url }, { host: { vars: { INCIDENT_ROWS: 'lots' } } });
  try {
    await o.stop();
    for (let n = 0; n < 5; n++) assert.deepEqual(await visit(s, 0, `/page/${n}`), { status: 502, breaker: false });
    assert.deepEqual(await visit(s, 0, '/page/5'), { status: 503, breaker: true });
    // Instance 1 learns nothing from a failing object: its own breaker is closed, it still tries.
    assert.deepEqual(await visit(s, 1, '/page/6'), { status: 502, breaker: false });
    await o.start(o.port);
    await sleep(COOL_DOWN_MS + 100);
    // Both serve; instance 0's probe (its own, the object failing) closed its own breaker.
    for (const i of [0, 1, 0, 1]) assert.equal((await visit(s, i, '/page/up')).status, 200);
    const health = await (await s.fetch(0, '/__gatewise/health', { headers: OWNER })).json();
    assert.equal(health.breaker, 'closed');
    assert.ok(health.shared.failedCalls >= 1);
  } finally {
    await s.close();
    await o.stop().catch(() => {});
  }
});

test('an attacker at one location cannot open the shared breaker for the others: failures of many made-up paths stay that isolate\'s own', async () => {
  const o = await switchableOrigin();
  const s = await startShared({
    ...SETTINGS,
    ORIGIN_URL: o.url,
    DRILL_BUDGET_MS: '0',
    BREAKER_PATH_FAILURES: '3',
    BREAKER_SPREAD_PATHS: '5',
    BREAKER_QUIET_MS: '300',
  });
  try {
    // The attacker's location (instance 0) sees nothing but his own failing URLs, for 2 s: its own
    // guard may open (nothing succeeded there), but that is not evidence against the origin for others.
    const attack = (async () => {
      for (let n = 0, t0 = Date.now(); Date.now() - t0 < 2_000 && n < 400; n++) {
        await visit(s, 0, `/broken/${n}`);
        await sleep(10);
      }
    })();
    // Honest visitors at another location (instance 1): the site, and now and then a real failure
    // (which reports to the object and brings back its state).
    const honest = [];
    for (let n = 0, t0 = Date.now(); Date.now() - t0 < 2_500 && n < 400; n++) {
      honest.push(await visit(s, 1, n % 10 === 9 ? `/broken/honest${n}` : `/page/${n % 3}`));
      await sleep(20);
    }
    await attack;
    const refused = honest.filter((r) => r.breaker);
    assert.equal(refused.length, 0, `${refused.length} of ${honest.length} honest visits refused by a breaker`);
    assert.ok(honest.filter((r) => r.status === 200).length >= honest.length * 0.8);
  } finally {
    await s.close();
    await o.stop().catch(() => {});
  }
});
