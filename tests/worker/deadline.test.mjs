// Issue 12: one deadline per visit (Envoy's route timeout beside its per-try timeout). Under plain
// `workerd serve`: a hanging origin × retries × Retry-After — the visitor's answer comes at the
// visit's deadline (TOTAL_TIMEOUT_MS, by default TIMEOUT_MS), never at attempts × TIMEOUT_MS, and a
// Retry-After longer than what is left is not waited for. Exact counts at the origin; the times
// are only bounded loosely (a loaded machine), the margin itself is measured by bench/attack.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startOrigin } from './origin.mjs';
import { startWorkerd } from './workerd.mjs';

let origin;
const workers = [];
before(async () => {
  origin = await startOrigin();
});
after(async () => {
  for (const w of workers) await w.close();
  await origin?.close();
});

async function worker(vars) {
  const w = await startWorkerd({ ORIGIN_URL: origin.url, DRILL_BUDGET_MS: '0', ...vars });
  workers.push(w);
  return w;
}

/** GET `path`: status, Proxy-Status, and the ms until the whole answer was in. */
function timed(w, path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get({ host: '127.0.0.1', port: w.port, path, agent: false, headers: { accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, proxyStatus: res.headers['proxy-status'] ?? '', retryAfter: res.headers['retry-after'], ms: performance.now() - t0 }));
    });
    req.on('error', reject);
  });
}

// Loose: the deadline plus what a loaded 2-core machine may add (the measured margin is ~10 ms);
// each test's configuration keeps the old behaviour (attempts × TIMEOUT_MS) beyond this bound, and
// exact attempt counts carry the proof.
const SLACK_MS = 1000;

test('a hanging origin, TIMEOUT_MS=1000 and 2 attempts: answered at the 1 s deadline, tried once (no retry after a timeout)', async () => {
  const w = await worker({ TIMEOUT_MS: '1000', RETRY_MAX_ATTEMPTS: '2' });
  const r = await timed(w, '/hang/a');
  assert.equal(r.status, 504);
  assert.match(r.proxyStatus, /gatewise;error=http_response_timeout/);
  assert.equal(origin.hits('GET', '/hang/a'), 1);
  assert.ok(r.ms >= 950 && r.ms <= 1000 + SLACK_MS, `answered after ${Math.round(r.ms)} ms`);
});

// Numbers chosen so that load cannot change the outcome: the first try takes its whole 1 s, the
// second has ~550 ms left (a retry needs 100 ms) and is cut to that, a third never fits; without the
// deadline it would be 3 tries × 1 s.
test('TIMEOUT_MS=1000, TOTAL_TIMEOUT_MS=1600, 3 attempts: one whole try and a second cut to what is left', async () => {
  const w = await worker({ TIMEOUT_MS: '1000', TOTAL_TIMEOUT_MS: '1600', RETRY_MAX_ATTEMPTS: '3' });
  const r = await timed(w, '/hang/b');
  assert.equal(r.status, 504);
  assert.equal(origin.hits('GET', '/hang/b'), 2);
  assert.ok(r.ms >= 1550 && r.ms <= 1600 + SLACK_MS, `answered after ${Math.round(r.ms)} ms (3 000 without the deadline)`);
  await w.settle();
  const line = w.events('gatewise.failure').find((e) => e.path === '/hang/b');
  assert.equal(line.attempts, 2);
  assert.ok(line.attemptMs[0] >= 990, `the first try had its whole TIMEOUT_MS (${line.attemptMs})`);
  assert.ok(line.attemptMs[1] < 900, `the second try had only what was left (${line.attemptMs})`);
  assert.ok(line.totalMs >= 1550, `the visit lasted its deadline (${line.totalMs} ms: ${line.attemptMs})`);
});

test("a 503 with Retry-After: 5 inside a 2 s deadline: not waited for, the origin's answer passed on at once", async () => {
  const w = await worker({ TIMEOUT_MS: '2000', RETRY_MAX_AFTER_S: '10' });
  const r = await timed(w, '/503-long/c');
  assert.equal(r.status, 503);
  assert.equal(r.retryAfter, '5');
  assert.match(r.proxyStatus, /gatewise;received-status=503/);
  assert.equal(origin.hits('GET', '/503-long/c'), 1);
  assert.ok(r.ms < 3000, `answered after ${Math.round(r.ms)} ms (5 000 if it had waited)`);
});

test('a 503 with Retry-After: 1 inside a 3 s deadline: waited for, retried once, within the deadline', async () => {
  const w = await worker({ TIMEOUT_MS: '1000', TOTAL_TIMEOUT_MS: '3000' });
  const r = await timed(w, '/503/d');
  assert.equal(r.status, 503);
  assert.equal(origin.hits('GET', '/503/d'), 2);
  assert.ok(r.ms >= 950 && r.ms <= 3000 + SLACK_MS, `answered after ${Math.round(r.ms)} ms`);
});

test('TOTAL_TIMEOUT_MS=0: no overall limit, every attempt gets its own TIMEOUT_MS (the old behaviour, on request)', async () => {
  const w = await worker({ TIMEOUT_MS: '300', TOTAL_TIMEOUT_MS: '0', RETRY_MAX_ATTEMPTS: '3' });
  const r = await timed(w, '/hang/e');
  assert.equal(r.status, 504);
  assert.equal(origin.hits('GET', '/hang/e'), 3);
  assert.ok(r.ms >= 880, `three whole tries (${Math.round(r.ms)} ms)`);
});
