// Crash recovery (issue 8): a panic in a handler aborts the Wasm instance; the request that
// crashed gets the runtime's error, and the next request is served by a fresh instance
// (worker/js/entry.mjs resets it) — proxied, with the worker's state rebuilt from scratch.
// The crash is the owner's self-test endpoint (a deliberate panic, only with the debug token).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startOrigin } from './origin.mjs';
import { startWorker, TOKEN } from './harness.mjs';

let origin, w;

before(async () => {
  origin = await startOrigin();
  w = await startWorker({ ORIGIN_URL: origin.url });
});

after(async () => {
  await w?.close();
  await origin?.close();
});

const crash = () => w.fetch('/__gatewise/selftest/crash', { headers: { 'x-gatewise-debug': TOKEN } });

test('without the owner token the crash endpoint is a plain 404 and nothing crashes', async () => {
  for (const headers of [{}, { 'x-gatewise-debug': 'wrong-token' }]) {
    const res = await w.fetch('/__gatewise/selftest/crash', { headers });
    assert.equal(res.status, 404);
    await res.text();
  }
  await w.settle();
  assert.ok(!w.logs.some((l) => l.includes('crash requested')), 'no panic without the token');
  const ok = await w.fetch('/ok');
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'hello from the origin');
});

test('a request after a panic in a handler is served, again and again', async () => {
  const before = origin.hits('GET', '/ok');
  for (let round = 1; round <= 3; round++) {
    const crashed = await crash();
    // The crashing request itself gets the runtime's error, never a hang or a half answer.
    assert.equal(crashed.status, 500, `round ${round}: the crashing request`);
    await crashed.text();
    const next = await w.fetch('/ok');
    assert.equal(next.status, 200, `round ${round}: the request after the crash`);
    assert.equal(await next.text(), 'hello from the origin');
    const health = await w.fetch('/__gatewise/health');
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(await health.text()).status, 'ok');
  }
  assert.equal(origin.hits('GET', '/ok') - before, 3, 'each request after a crash reached the origin once');
  await w.settle();
  const panics = w.logs.filter((l) => l.includes('crash requested by the owner')).length;
  assert.ok(panics >= 3, `the panic message is logged each time (saw ${panics})`);
});
