// Issue 12: no visitor can turn the gateway's circuit breaker against the site. Every vector of the
// issue is hammered by two attacker loops while a victim polls the healthy landing page, under
// plain `workerd serve` on the worker's shipped breaker settings (bench/attack.mjs, here 3 s per
// vector and at least 100 polls; `npm run attack` runs 30 s each for the report): the victim keeps getting the origin's
// own page. And the breaker still does its job: a whole-origin outage — refused connections, every
// path hanging, every path answering 503 — opens it within a handful of visits; one broken path
// opens only that path's breaker.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { VECTORS, runVector, ATTACK_VARS } from '../../bench/attack.mjs';
import { startOrigin } from './origin.mjs';
import { startWorkerd } from './workerd.mjs';
import { TOKEN } from './harness.mjs';

const running = [];
after(async () => {
  for (const close of running.reverse()) await close();
});

const SECONDS = 3;
// The victim's share is measured on at least this many polls (the run goes on, up to MAX_SECONDS,
// until it has them): on a loaded machine one slow answer in a handful must not decide the figure.
const MIN_POLLS = 100;
const MAX_SECONDS = 20;

for (const name of Object.keys(VECTORS)) {
  test(`attack "${name}" (${VECTORS[name].what}) × 2 for ${SECONDS} s: the healthy page keeps answering`, async () => {
    const r = await runVector(name, { seconds: SECONDS, minVictim: MIN_POLLS, maxSeconds: MAX_SECONDS });
    console.log(`# ${name}: victim ${r.victim.good}/${r.victim.sent} good (${JSON.stringify(r.victim.other)}) in ${r.ms} ms, attackers ${r.attack.sent} (${JSON.stringify(r.attack.statuses)})`);
    assert.ok(r.victim.sent >= 20, `the victim polled (${r.victim.sent} in ${r.ms} ms)`);
    assert.equal(r.victim.gatewise503, 0, "never gatewise's 503 for the healthy page");
    assert.ok(r.share >= 0.99, `victim's share of good answers ${r.share} (${JSON.stringify(r.victim.other)})`);
    assert.ok(r.attack.sent >= 2, 'the attack ran');
    assert.equal(r.breakerOpenLines, 0, 'the origin breaker never opened');
  });
}

/** GET `path` (one fresh connection): status, Proxy-Status, body. */
function get(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { accept: 'application/json', ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, proxyStatus: res.headers['proxy-status'] ?? '', body }));
    });
    req.on('error', reject);
  });
}

const breakerAnswer = (r) => r.status === 503 && /gatewise;error=destination_unavailable/.test(r.proxyStatus);
const ruleOf = (r) => {
  try {
    return (JSON.parse(r.body).evidence ?? []).map((e) => e.rule);
  } catch {
    return [];
  }
};

async function setup(vars) {
  const origin = await startOrigin();
  running.push(() => origin.close());
  // The shipped defaults, plus a debug token: the breakers' state in `health` is the owner's.
  const w = await startWorkerd({ ORIGIN_URL: origin.url, ...ATTACK_VARS, DEBUG_TOKEN: TOKEN, ...vars }, { base: {} });
  running.push(() => w.close());
  return { origin, w };
}

test('a whole-origin outage still opens the breaker: refused connections, within a handful of visits', async () => {
  const { origin, w } = await setup({});
  assert.equal((await get(w.port, '/')).status, 200);
  await origin.stop();
  let visits = 0;
  let r;
  do {
    r = await get(w.port, `/page/${visits}`);
    visits++;
  } while (!breakerAnswer(r) && visits < 20);
  assert.ok(breakerAnswer(r), 'the breaker opened');
  assert.deepEqual(ruleOf(r), [], 'no evidence without the token');
  assert.ok(visits <= 6, `open after ${visits - 1} failed visits (BREAKER_FAILURES=5)`);
  await w.settle();
  const blames = w.events('gatewise.failure').filter((e) => e.blame !== 'none').map((e) => `${e.diagnosis.errorType} ${e.blame}`);
  assert.deepEqual([...new Set(blames)], ['connection_refused origin']);
});

test('a whole-origin outage still opens the breaker: every path hanging, or every path answering 503, once nothing succeeded for BREAKER_QUIET_MS', async () => {
  for (const everything of ['hang', '503']) {
    const { origin, w } = await setup({ TIMEOUT_MS: '300', BREAKER_QUIET_MS: '800' });
    assert.equal((await get(w.port, '/')).status, 200);
    origin.everything = everything;
    const t0 = performance.now();
    let visits = 0;
    let r;
    do {
      r = await get(w.port, `/page/${visits}`);
      visits++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (!breakerAnswer(r) && performance.now() - t0 < 5_000);
    const ms = performance.now() - t0;
    assert.ok(breakerAnswer(r), `${everything}: the breaker opened (${visits} visits, ${Math.round(ms)} ms)`);
    // Open once 5 distinct paths failed and nothing succeeded for 800 ms: the first visit after that.
    assert.ok(ms >= 800, `${everything}: not before the quiet window (${Math.round(ms)} ms)`);
    assert.ok(ms <= 800 + 5 * 350 + 1_000, `${everything}: open ${Math.round(ms)} ms after the outage began (${visits} visits)`);
    await w.settle();
    const lines = w.events('gatewise.failure').filter((e) => e.path.startsWith('/page/'));
    assert.ok(lines.every((e) => e.blame === 'path' || e.blame === 'none'), 'each failure counted against its path');
    origin.everything = undefined;
  }
});

test('one broken path opens only its own breaker; the landing page and other paths are untouched', async () => {
  const { origin, w } = await setup({ BREAKER_QUIET_MS: '500' });
  const t0 = performance.now();
  let r;
  let visits = 0;
  do {
    r = await get(w.port, '/reset');
    visits++;
    assert.equal((await get(w.port, '/')).status, 200, 'the landing page answers throughout');
  } while (!breakerAnswer(r) && visits < 40);
  assert.ok(breakerAnswer(r), 'the path breaker opened');
  assert.ok(performance.now() - t0 >= 450, 'not before the quiet window');
  const hits = origin.hits('GET', '/reset');
  assert.equal((await get(w.port, '/reset?other=query')).status, 503, 'the path key has no query');
  assert.equal(origin.hits('GET', '/reset'), hits, 'the origin is spared the broken path');
  assert.equal((await get(w.port, '/reset/deeper')).status, 502, 'another path is not');
  const health = JSON.parse((await get(w.port, '/__gatewise/health', { 'x-gatewise-debug': TOKEN })).body);
  assert.deepEqual([health.breaker, health.pathsOpen], ['closed', 1]);
});
