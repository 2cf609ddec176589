// Issue 14, in real headless Chromium against the BUILT worker (worker/build) in workerd (Miniflare,
// tests/worker/harness.mjs) serving www/dist from its ASSETS binding, in front of a real origin on
// 127.0.0.1 (tests/worker/origin.mjs) whose root answers 200 while one path resets, sends garbage or
// answers with nginx's 502 page: the error page's live checks re-check THAT address through the
// worker's re-check endpoint, so the page stays the failure page, says "this page fails on the
// site's side", and neither reloads nor navigates (navigations counted over a bounded time); when
// the path starts answering, the page reloads into it. Also: the owner details link to the
// explainer, which the prefix itself serves.
//
// Needs worker/build (scripts/build-worker.sh), www/dist (scripts/build-www.sh), /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startWorker } from '../../tests/worker/harness.mjs';
import { startOrigin } from '../../tests/worker/origin.mjs';
import { DIST } from './servers.mjs';

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** How long a failing page is watched for a reload: past the re-checks at 1 s and 5 s (the core's schedule). */
const WATCH_MS = 7_500;

let origin;
let worker;
let base; // the worker's origin, http://127.0.0.1:PORT
let browser;

before(async () => {
  origin = await startOrigin();
  worker = await startWorker({ ORIGIN_URL: origin.url, INTERCEPT_MODE: 'replace-html', DRILL_BUDGET_MS: '0' }, { assets: DIST });
  base = new URL(worker.url).origin;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await worker?.close();
  await origin?.close();
});

/**
 * A page in a fresh context. Requests to anything but the worker (the checks' other sites and
 * resolver) are answered here: nothing leaves the machine. Counts main-frame navigations and
 * records page errors.
 */
async function open() {
  const context = await browser.newContext({ viewport: { width: 820, height: 1000 }, locale: 'en-US' });
  await context.route(
    (url) => !url.href.startsWith(`${base}/`),
    (route) => route.fulfill({ status: 204, headers: { 'access-control-allow-origin': '*' } }),
  );
  const page = await context.newPage();
  const problems = [];
  const navigations = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations.push(f.url());
  });
  return { context, page, problems, navigations };
}

async function verdict(page) {
  await page.waitForSelector('#gw-verdict[data-verdict]', { timeout: 10_000 });
  return page.evaluate(() => ({
    verdict: document.getElementById('gw-verdict').dataset.verdict,
    who: document.getElementById('gw-verdict').dataset.who,
    title: document.querySelector('#gw-verdict .gw-vt')?.textContent,
    states: Object.fromEntries([...document.querySelectorAll('#gw-list li')].map((li) => [li.dataset.check, li.dataset.state])),
    pageDetail: document.querySelector('#gw-list [data-check=page] code')?.textContent,
    classes: ['gw-you', 'gw-l1', 'gw-edge', 'gw-l2', 'gw-origin'].map((id) => document.getElementById(id)?.getAttribute('class')),
    runs: Number(document.getElementById('gw-checks').dataset.startedMs),
  }));
}

test('a failing path under a root that answers stays the failure page: the new verdict, no reload, no navigation', async () => {
  const paths = ['/reset/shop', '/garbage/shop', '/nginx-502/shop'];
  const pages = await Promise.all(paths.map(() => open()));
  const t0 = performance.now();
  const statuses = await Promise.all(pages.map(({ page }, i) => page.goto(`${base}${paths[i]}`).then((r) => r.status())));
  assert.deepEqual(statuses, [502, 502, 502]);
  const firsts = await Promise.all(pages.map(({ page }) => verdict(page)));
  const headlines = await Promise.all(pages.map(({ page }) => page.textContent('h1')));
  // Watch, bounded: the re-checks at 1 s and 5 s run, and nothing reloads.
  await new Promise((r) => setTimeout(r, Math.max(0, WATCH_MS - (performance.now() - t0))));
  for (const [i, { page, navigations, problems }] of pages.entries()) {
    const v = await verdict(page);
    const path = paths[i];
    assert.equal(firsts[i].verdict, 'page_fails', `${path}: ${JSON.stringify(firsts[i])}`);
    assert.equal(v.verdict, 'page_fails', path);
    assert.equal(v.who, 'site', path);
    assert.equal(v.title, "It's not you: this page fails on the site's side");
    assert.equal(v.states.origin, 'ok', `${path}: the origin's root answers`);
    assert.equal(v.states.page, 'failed', `${path}: that address does not`);
    assert.deepEqual(v.classes, ['n', 'k ok', 'n', 'k ok', 'n bad'], `${path}: the site's server marked, not a green path`);
    assert.ok(v.runs > firsts[i].runs, `${path}: the checks ran again (the schedule), ${firsts[i].runs} → ${v.runs}`);
    assert.equal(await page.textContent('h1'), headlines[i], `${path}: still the failure page`);
    assert.deepEqual(navigations, [`${base}${path}`], `${path}: exactly one navigation in ${WATCH_MS} ms`);
    assert.notEqual(await page.getAttribute('#gw-retry', 'data-state'), 'reloading');
    assert.deepEqual(problems, []);
  }
  await Promise.all(pages.map(({ context }) => context.close()));
});

test('recovery: when that very path answers again, the page reloads into it', async () => {
  origin.down = true;
  const { context, page, navigations, problems } = await open();
  const res = await page.goto(`${base}/flaky/orders?id=3`);
  assert.equal(res.status(), 502);
  const v = await verdict(page);
  assert.deepEqual([v.verdict, v.states.origin, v.states.page], ['page_fails', 'ok', 'failed']);
  origin.down = false;
  // The next re-check (at most the 5 s step of the schedule) finds it answering, and reloads.
  await page.waitForFunction(() => document.body?.textContent?.trim() === 'up', null, { timeout: 15_000 });
  assert.deepEqual(navigations, [`${base}/flaky/orders?id=3`, `${base}/flaky/orders?id=3`]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('one way in: the owner details link to the explainer, which the prefix itself serves', async () => {
  const { context, page, problems } = await open();
  await page.goto(`${base}/reset/help`);
  await page.click('details summary');
  const link = page.locator('details a[href="/__gatewise/"]');
  assert.equal(await link.count(), 1);
  const [res] = await Promise.all([page.waitForNavigation(), link.click()]);
  assert.equal(res.status(), 200);
  await page.waitForSelector('html[data-ready=true]');
  assert.equal(new URL(page.url()).pathname, '/__gatewise/');
  assert.match(res.headers()['content-security-policy'], /'wasm-unsafe-eval'/);
  assert.deepEqual(problems, []);
  await context.close();
});
