// A runtime without a cache service (plain `workerd serve` without cacheApiOutbound) rejects every
// Cache API call. Serve-stale must then cost nothing per request: after the first failure the
// worker leaves the cache alone for a while (state::CACHE_PAUSE_MS) and says so once in its log,
// while every failing request still gets its informative answer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort } from './origin.mjs';
import { startWorkerd } from './workerd.mjs';

let w;
after(async () => {
  await w?.close();
});

test('without a cache service: one warning, then no Cache API calls; every failure still answered', async () => {
  w = await startWorkerd({ ORIGIN_URL: `http://127.0.0.1:${await closedPort()}`, RETRY_MAX_ATTEMPTS: '1', DRILL_BUDGET_MS: '0' });
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${w.url}/page-${i}`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 502, `request ${i}`);
    const body = JSON.parse(await res.text());
    assert.equal(body.type, 'https://gatewise.dev/problems/connection_refused', `request ${i}`);
  }
  await w.settle();
  const paused = w.logs.filter((l) => l.includes('serve-stale paused for 30 s'));
  assert.equal(paused.length, 1, `one warning for the pause, saw:\n${paused.join('\n')}`);
  assert.match(paused[0], /gatewise: cache match failed/);
  // Each request still logs its failure line, served without a stale copy.
  const failures = w.events('gatewise.failure');
  assert.equal(failures.length, 6);
  assert.ok(failures.every((e) => e.servedStale === false));
});
