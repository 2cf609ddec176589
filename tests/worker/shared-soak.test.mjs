// A bounded soak with the origin's Durable Object bound (issue 16), under plain `workerd serve`: two
// separate instances of the built worker (two Workers: two isolates) and a third hosting the
// OriginHealth object (SQLite), in front of a real origin on 127.0.0.1 that flaps. Measured and
// printed: object calls per successful request (must be 0: a phase with the origin up throughout),
// object calls per failure (at most 1 on average: a phase with the origin flapping); every
// informative answer a client got has its row (its request id) in the record, the counts add up,
// the retention bound holds. Then the owner's view after the soak, in Chromium (playwright-core,
// /usr/bin/chromium), saved as tests/artifacts/incidents-after-soak.png (the first screen) and
// incidents-after-soak-full.png (the whole page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startOrigin } from './origin.mjs';
import { startWorkerd } from './workerd.mjs';
import { TOKEN } from './harness.mjs';

const OWNER = { 'x-gatewise-debug': TOKEN };
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const UP_MS = 3_000; // phase 1: the origin up
const FLAP_MS = 10_000; // phase 2: the origin flapping
const CLIENTS = 4; // loops per instance
const ROWS = 5_000; // INCIDENT_ROWS: the retention bound under test (the soak writes fewer)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The object calls each instance made so far (its `health` with the token), summed. */
async function calls(w) {
  let n = 0;
  let failed = 0;
  for (const url of w.urls) {
    const h = await (await fetch(`${url}/__gatewise/health`, { headers: OWNER })).json();
    assert.equal(h.shared.bound, true);
    n += h.shared.calls;
    failed += h.shared.failedCalls;
  }
  return { n, failed };
}

/** Client loops on both instances until `until` (ms), picking paths with `pick`; tallies answers. */
async function load(w, until, pick, tally) {
  const loop = async (url, k) => {
    for (let i = 0; Date.now() < until && i < 100_000; i++) {
      const path = pick(k, i);
      const res = await fetch(url + path, { headers: { accept: 'application/json' } });
      await res.arrayBuffer();
      const id = res.headers.get('x-request-id');
      if (id) tally.failures.push({ id, status: res.status, path, url });
      else if (res.status === 200) tally.successes++;
      else tally.other.push(`${res.status} ${path}`);
    }
  };
  await Promise.all(w.urls.flatMap((url) => Array.from({ length: CLIENTS }, (_, k) => loop(url, k))));
}

test('soak with the object bound: no object call per success, at most one per failure, every informative answer on record, then the view in Chromium', async (t) => {
  const origin = await startOrigin();
  const w = await startWorkerd(
    {
      ORIGIN_URL: origin.url,
      RETRY_MAX_ATTEMPTS: '2',
      STALE_IF_ERROR: '0',
      DRILL_BUDGET_MS: '0',
      BREAKER_FAILURES: '5',
      BREAKER_FAILURE_RATIO: '0',
      BREAKER_COOL_DOWN_MS: '500',
      BREAKER_MAX_COOL_DOWN_MS: '1000',
      INCIDENT_ROWS: String(ROWS),
      SITE_NAME: 'Soak',
    },
    { shared: 2 },
  );
  let browser;
  try {
    // Phase 1: the origin up. Successful requests never call the object.
    const before = await calls(w);
    const up = { successes: 0, failures: [], other: [] };
    await load(w, Date.now() + UP_MS, () => '/ok', up);
    const afterUp = await calls(w);
    assert.ok(up.successes >= 20, `${up.successes} successes`);
    assert.equal(up.failures.length, 0);
    assert.equal(afterUp.n - before.n, 0, 'no object call for a successful request');

    // Phase 2: the origin flaps (down 1 s of every 2), and some paths always fail in their own way.
    const flap = { successes: 0, failures: [], other: [] };
    const start = Date.now();
    const flapper = setInterval(() => (origin.down = Math.floor((Date.now() - start) / 1000) % 2 === 1), 50);
    const paths = ['/ok', '/flaky/a', '/flaky/b', '/ok', '/flaky/c', '/nginx-502/x', '/ok', '/503/y', '/garbage/z', '/flaky/d'];
    await load(w, start + FLAP_MS, (k, i) => paths[(k * 3 + i) % paths.length], flap);
    clearInterval(flapper);
    origin.down = false;
    assert.deepEqual(flap.other, [], 'every answer is a success or carries its request id');
    assert.ok(flap.failures.length >= 20, `${flap.failures.length} failures`);
    assert.ok(flap.successes >= 20, `${flap.successes} successes`);

    // Every informative answer has its row: the export lists every id (polled while the last flushes land).
    let view;
    for (let n = 0; n < 60; n++) {
      view = await (await fetch(`${w.urls[0]}/__gatewise/incidents?format=json`, { headers: OWNER })).json();
      if (view.total >= flap.failures.length) break;
      await sleep(100);
    }
    const csv = await (await fetch(`${w.urls[1]}/__gatewise/incidents?format=csv`, { headers: OWNER })).text();
    const rows = csv.trim().split('\r\n').slice(1);
    const ids = new Set(rows.map((l) => l.split(',').at(-2)));
    const missing = flap.failures.filter((f) => !ids.has(f.id));
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} of ${flap.failures.length} answers have no row`);
    assert.equal(view.total, flap.failures.length, 'the counts add up: one incident per informative answer');
    assert.equal(Object.values(view.countsByType).reduce((a, b) => a + b, 0), view.total);
    assert.ok(view.storedRows <= ROWS, `retention: ${view.storedRows} rows stored, at most ${ROWS}`);
    assert.equal(view.storedRows, rows.length);

    const afterFlap = await calls(w);
    const perFailure = (afterFlap.n - afterUp.n) / flap.failures.length;
    const breakerAnswers = flap.failures.filter((f) => f.status === 503).length;
    console.log(
      `shared soak: phase 1 ${up.successes} successes, ${afterUp.n - before.n} object calls (0 per success); ` +
        `phase 2 ${flap.failures.length} informative answers (${breakerAnswers} of them 503), ${flap.successes} successes, ` +
        `${afterFlap.n - afterUp.n} object calls = ${perFailure.toFixed(3)} per failure, ${afterFlap.failed - before.failed} failed calls; ` +
        `${view.storedRows} rows stored (bound ${ROWS}), database ${view.storageBytes} bytes`,
    );
    assert.ok(perFailure <= 1, `${perFailure} object calls per failure`);
    assert.equal(afterFlap.failed - before.failed, 0, 'no object call failed');

    // The owner's view after the soak, as the owner's browser shows it.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ extraHTTPHeaders: OWNER, viewport: { width: 1100, height: 900 } });
    const res = await page.goto(`${w.urls[0]}/__gatewise/incidents?window=hour`);
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('svg[role="img"]').count() >= 1, true, 'the chart');
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = `${ARTIFACTS}incidents-after-soak.png`;
    await page.screenshot({ path: shot });
    await page.screenshot({ path: `${ARTIFACTS}incidents-after-soak-full.png`, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
    console.log(`shared soak: screenshot of the incident view in ${shot}`);
  } finally {
    await browser?.close();
    await w.close();
    await origin.close();
  }
});
