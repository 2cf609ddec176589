// The browser page end to end, in real headless Chromium (Debian's, via playwright-core),
// against the world of servers.mjs: the error page the core renders with its live checks
// (origin up, down, hanging; the browser offline; every check timing out; the countdown and
// the reload when the origin comes back), the explainer, <gatewise-error> in a host page,
// axe-core in light, dark and right to left, a CSP without 'unsafe-inline' for scripts,
// keyboard use, sizes, and screenshots saved to tests/artifacts/www/.
//
// Needs www/dist (scripts/build-www.sh) and /usr/bin/chromium; run by scripts/test-www.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as gw from '../../packages/gatewise/dist/index.node.js';
import { CHECKS, evaluate } from '../src/checks/engine.js';
import { DIST, localTime, startWorld } from './servers.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ARTIFACTS = fileURLToPath(new URL('../../tests/artifacts/www/', import.meta.url));
const FIXTURES = new URL('../../tests/fixtures/', import.meta.url);
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VERDICT = '#gw-verdict[data-verdict]';

let world;
let browser;
const report = [];
const note = (line) => {
  report.push(line);
  console.log(`# ${line}`);
};

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  world = await startWorld();
  await world.origin.set('down');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await world?.stop();
  if (report.length) console.log(`\nwww measurements:\n${report.map((l) => `  ${l}`).join('\n')}`);
});

/**
 * A page in a fresh context. Records page errors and CSP violations (securitypolicyviolation
 * events and console reports), which every test then asserts are absent.
 */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 820, height: 1000 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`csp console: ${text}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const csp = async () => page.evaluate(() => window.__csp ?? []);
  const done = async () => {
    const violations = await csp().catch(() => []);
    await context.close();
    assert.deepEqual([...problems, ...violations.map((v) => `csp: ${v}`)], [], 'no page errors, no CSP violations');
  };
  return { context, page, problems, done };
}

async function verdictOf(page, timeout = 8000) {
  await page.waitForSelector(VERDICT, { timeout });
  return page.evaluate(() => {
    const v = document.getElementById('gw-verdict');
    const states = Object.fromEntries(
      [...document.querySelectorAll('#gw-list li')].map((li) => [li.dataset.check, li.dataset.state]),
    );
    return {
      verdict: v.dataset.verdict,
      who: v.dataset.who,
      at: Number(v.dataset.ms),
      started: Number(document.getElementById('gw-checks').dataset.startedMs),
      title: v.querySelector('.gw-vt')?.textContent,
      states,
      retry: document.getElementById('gw-retry').dataset.state,
      classes: ['gw-you', 'gw-l1', 'gw-edge', 'gw-l2', 'gw-origin'].map((id) => document.getElementById(id)?.getAttribute('class')),
      caption: document.getElementById('gw-cap')?.textContent,
    };
  });
}

async function axe(page, label) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  note(`axe-core ${label}: ${violations.length} violations`);
  assert.deepEqual(violations, [], `axe-core on ${label}`);
}

const fixture = (path) => readFileSync(new URL(path, FIXTURES), 'utf8');
const firstLine = (text, needle) => text.split('\n').find((l) => l.includes(needle));

test('the script decides like the core: every one of the 16384 combinations of outcomes', () => {
  const model = gw.checksModel();
  const outcomes = ['ok', 'failed', 'timeout', 'unknown'];
  assert.deepEqual(model.checks, CHECKS);
  let n = 0;
  const seen = new Set();
  for (let i = 0; i < 4 ** CHECKS.length; i++) {
    const results = Object.fromEntries(CHECKS.map((c, k) => [c, outcomes[Math.floor(i / 4 ** k) % 4]]));
    const core = gw.checksVerdict(results);
    const script = evaluate(model, results);
    assert.equal(script.verdict, core.verdict, JSON.stringify(results));
    assert.equal(script.reload, core.reload);
    assert.equal(script.who, core.who);
    seen.add(core.verdict);
    n += 1;
  }
  assert.equal(n, 16384);
  assert.equal(seen.size, model.verdicts.length, 'every verdict is reachable');
  assert.deepEqual(model.schedule, [1000, 5000, 30000, 60000, 300000, 600000, 1800000]);
});

test('no markup from strings: no innerHTML, outerHTML, insertAdjacentHTML or document.write in what ships', () => {
  const files = readdirSync(DIST).filter((f) => f.endsWith('.js') || f.endsWith('.html'));
  assert.ok(files.length >= 12, files.join(' '));
  for (const f of files) {
    const text = readFileSync(`${DIST}${f}`, 'utf8');
    assert.doesNotMatch(text, /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b/, f);
    if (f.endsWith('.html')) assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, `${f}: no inline script`);
  }
});

test('sizes: the error page without the script, and what the script loads', () => {
  const d = gw.classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { runtime: 'node' });
  d.layer = 'gatewise';
  const options = { lang: 'en', requestId: '8a1b2c3d4e5f6a7b-AMS', time: 'Sat, 21 Nov 2026 06:18:29 GMT', url: 'https://shop.example/cart', siteName: 'Shop' };
  const bare = gw.renderPage(d, options);
  const withScript = gw.renderPage(d, { ...options, checksScript: '/__gatewise/checks.js', checks: {} });
  const gz = (s) => gzipSync(s, { level: 9 }).length;
  const file = (name) => readFileSync(`${DIST}${name}`);
  note(`error page HTML (en, 502 connection_refused): ${bare.length} bytes, gzip ${gz(bare)}; with the script tag and config: gzip ${gz(withScript)}`);
  const ar = gw.renderPage(d, { ...options, lang: 'ar', checksScript: '/__gatewise/checks.js' });
  note(`error page HTML (ar): ${Buffer.byteLength(ar)} bytes, gzip ${gz(ar)}`);
  const loader = file('checks.js');
  const en = file('checks.en.js');
  const arJs = file('checks.ar.js');
  note(`checks.js (loader) ${loader.length} bytes, gzip ${gz(loader)}; checks.en.js ${en.length}, gzip ${gz(en)}; checks.ar.js ${arJs.length}, gzip ${gz(arJs)} — no wasm needed`);
  const wasm = file('gatewise_wasm_bg.wasm');
  note(`explainer/element wasm ${wasm.length} bytes, gzip ${gz(wasm)}; explainer.js ${file('explainer.js').length} bytes, gzip ${gz(file('explainer.js'))}`);
  assert.ok(gz(withScript) < 8 * 1024, 'the error page stays under 8 KB gzip');
  assert.ok(gz(loader) + gz(en) < 12 * 1024, 'the checks stay under 12 KB gzip');
  assert.ok(statSync(`${DIST}index.html`).size > 0);
});

test('checks: origin down (refusing) → "not you: the site\'s server is not answering", diagram redrawn, countdown', async () => {
  await world.origin.set('down');
  const { page, done } = await open();
  const res = await page.goto(`${world.base}/shop`);
  assert.equal(res.status(), 502);
  assert.match(res.headers()['content-security-policy'], /script-src 'self';/);
  const v = await verdictOf(page);
  assert.equal(v.verdict, 'origin_down');
  assert.equal(v.who, 'site');
  assert.deepEqual(v.states, { browser: 'ok', sites: 'ok', dns: 'ok', edge: 'ok', origin: 'failed', page: 'failed' });
  assert.equal(v.title, gw.checksVerdict({ browser: 'ok', sites: 'ok', dns: 'ok', edge: 'ok', origin: 'failed', page: 'failed' }).title);
  assert.deepEqual(v.classes, ['n', 'k ok', 'n', 'k bad', 'n']);
  assert.equal(v.caption, gw.messages('checks.verdict.origin_down.', { lang: 'en' }).messages['checks.verdict.origin_down.diagram']);
  assert.equal(await page.textContent('#gw-list [data-check=origin] code'), 'connection_refused');
  // The countdown of the core's schedule: 1 s first.
  await page.waitForSelector('#gw-retry[data-state=waiting]');
  assert.match(await page.textContent('#gw-countdown'), /^Checking again in 1 s\.$/);
  note(`time to verdict (origin down): ${Math.round(v.at - v.started)} ms after the checks started, ${Math.round(v.at)} ms after navigation`);
  await done();
});

test('checks: origin hanging → "the site\'s server is too slow", within 3 s', async () => {
  await world.origin.set('hang');
  const { page, done } = await open();
  await page.goto(`${world.base}/shop`);
  const v = await verdictOf(page);
  assert.equal(v.verdict, 'origin_slow');
  assert.equal(v.states.origin, 'timeout');
  assert.equal(v.states.edge, 'ok');
  assert.ok(v.at - v.started <= 3000, `verdict after ${v.at - v.started} ms`);
  note(`time to verdict (origin hanging, the origin check times out): ${Math.round(v.at - v.started)} ms after start`);
  await done();
  await world.origin.set('down');
});

test('checks: the page answers again → "the site works again"; without auto-reload it says so', async () => {
  await world.origin.set('up');
  const { page, done } = await open();
  const cfg = encodeURIComponent(JSON.stringify({ autoReload: false, page: '/__test/recheck?state=answers' }));
  await page.goto(`${world.base}/__test/error?cfg=${cfg}`);
  const v = await verdictOf(page);
  assert.equal(v.verdict, 'recovered');
  assert.equal(v.who, 'nobody');
  assert.equal(v.retry, 'manual');
  assert.deepEqual(v.classes, ['n', 'k ok', 'n', 'k ok', 'n']);
  assert.equal(await page.getAttribute('#gw-x', 'display'), 'none');
  await done();
  await world.origin.set('down');
});

test('checks: the origin answers, this page does not → "this page fails on the site\'s side", no reload', async () => {
  await world.origin.set('up');
  const { page, done } = await open();
  let loads = 0;
  page.on('load', () => {
    loads += 1;
  });
  // An error page whose re-check says the address still fails, while the origin's root answers.
  const cfg = encodeURIComponent(JSON.stringify({ page: '/__test/recheck?state=failing' }));
  await page.goto(`${world.base}/__test/error?cfg=${cfg}`);
  const v = await verdictOf(page);
  assert.equal(v.verdict, 'page_fails');
  assert.equal(v.who, 'site');
  assert.deepEqual(v.states, { browser: 'ok', sites: 'ok', dns: 'ok', edge: 'ok', origin: 'ok', page: 'failed' });
  assert.deepEqual(v.classes, ['n', 'k ok', 'n', 'k ok', 'n bad']);
  assert.equal(v.retry, 'waiting');
  // Without a re-check at all, the root answering is not "works again" either.
  const bare = encodeURIComponent(JSON.stringify({ page: null }));
  await page.goto(`${world.base}/__test/error?cfg=${bare}`);
  const u = await verdictOf(page);
  assert.deepEqual([u.verdict, u.who, u.states.page], ['origin_answers', 'unknown', undefined]);
  await page.waitForTimeout(1500); // past the first re-check (1 s): still no reload
  assert.equal(loads, 2, 'only the two navigations of the test');
  await done();
  await world.origin.set('down');
});

test('checks: reloads back off across page loads (a re-check that says "answers" while this page keeps failing)', async () => {
  await world.origin.set('up');
  const { page, done } = await open();
  let loads = 0;
  page.on('load', () => {
    loads += 1;
  });
  // This page is an error page whatever happens, and its re-check says the address answers (a
  // flapping origin): each reload lands on it again, on the core's schedule, never in a tight loop.
  const cfg = encodeURIComponent(JSON.stringify({ page: '/__test/recheck?state=answers' }));
  await page.goto(`${world.base}/__test/error?cfg=${cfg}`);
  // First load: reload at once; second: after 1 s; third: waits 5 s (the core's schedule).
  await page.waitForSelector('#gw-retry[data-state=reload-wait][data-seconds="5"]', { timeout: 10000 });
  assert.equal(loads, 3);
  assert.match(await page.textContent('#gw-countdown'), /^The site answers again\. Reloading the page in 5 s\.$/);
  assert.equal(await page.evaluate(() => JSON.parse(sessionStorage.getItem('gatewise.reloads:/__test/error')).n), 2);
  await done();
  await world.origin.set('down');
});

test('checks: the browser set offline → "your device is offline"; back online → checks again', async () => {
  await world.origin.set('down');
  const { context, page, done } = await open();
  await page.goto(`${world.base}/shop`);
  assert.equal((await verdictOf(page)).verdict, 'origin_down');
  await context.setOffline(true);
  await page.waitForSelector('#gw-verdict[data-verdict=offline]', { timeout: 5000 });
  const v = await verdictOf(page);
  assert.equal(v.who, 'you');
  assert.equal(v.states.browser, 'failed');
  assert.equal(v.retry, 'offline');
  assert.deepEqual(v.classes, ['n', 'k bad', 'n', 'k', 'n']);
  await context.setOffline(false);
  await page.waitForSelector('#gw-verdict[data-verdict=origin_down]', { timeout: 8000 });
  await done();
});

test('checks: every check times out → a verdict within 3 s anyway', async () => {
  const { page, done } = await open();
  const cfg = encodeURIComponent(JSON.stringify(world.allHanging()));
  await page.goto(`${world.base}/__test/error?cfg=${cfg}`);
  const v = await verdictOf(page, 6000);
  assert.equal(v.verdict, 'slow_connection');
  assert.deepEqual(v.states, { browser: 'timeout', sites: 'timeout', dns: 'timeout', edge: 'timeout', origin: 'timeout', page: 'timeout' });
  assert.ok(v.at - v.started <= 3000, `verdict after ${v.at - v.started} ms`);
  // The chart draws every timeout as a full, dashed row.
  assert.equal(await page.locator('#gw-chart rect.to').count(), 6);
  note(`time to verdict (every check timing out): ${Math.round(v.at - v.started)} ms after start, ${Math.round(v.at)} ms after navigation`);
  await done();
});

test('checks: countdown, then the automatic reload when the origin answers again', async () => {
  await world.origin.set('down');
  const { page, done } = await open();
  await page.goto(`${world.base}/shop`);
  assert.equal((await verdictOf(page)).verdict, 'origin_down');
  // 1 s, re-check, then the 5 s step of the schedule.
  await page.waitForSelector('#gw-retry[data-seconds="5"]', { timeout: 8000 });
  const seconds = await page.getAttribute('#gw-retry', 'data-seconds');
  assert.equal(seconds, '5');
  await page.waitForSelector('#gw-retry[data-seconds="4"]', { timeout: 3000 });
  await world.origin.set('up');
  await page.waitForSelector('text=Welcome to the shop', { timeout: 12000 });
  assert.equal(await page.title(), 'Shop');
  await done();
  await world.origin.set('down');
});

test('checks: keyboard — "Check again" and "Copy details" work from the keyboard; support text', async () => {
  await world.origin.set('down');
  const { context, page, done } = await open({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(`${world.base}/shop`);
  const first = await verdictOf(page);
  // Tab through the page until the button has focus.
  const reach = async (id) => {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((x) => document.activeElement?.id === x, id)) return;
    }
    assert.fail(`${id} is not reachable with Tab`);
  };
  await reach('gw-again');
  await page.keyboard.press('Enter');
  await page.waitForFunction((started) => Number(document.getElementById('gw-checks').dataset.startedMs) > started, first.started);
  await page.waitForSelector('#gw-checks[data-state=done]');
  await reach('gw-copy');
  await page.keyboard.press('Space');
  await page.waitForSelector('#gw-copied[data-copied=yes]');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  for (const part of [
    'Support details',
    '502 · connection_refused',
    'Request ID: gw-test-',
    `Time: ${localTime('en')}`,
    `Address: ${world.base}/shop`,
    "Verdict: It's not you: the site's server is not answering (origin_down)",
    '- Your device is online: yes · ',
    "- The site's server answers the gateway: no · ",
    '(connection_refused)',
  ]) {
    assert.ok(text.includes(part), `the support text has ${JSON.stringify(part)}:\n${text}`);
  }
  assert.equal(await page.textContent('#gw-copied'), gw.messages('checks.copy.', { lang: 'en' }).messages['checks.copy.done']);
  await done();
});

test('checks: the page follows the browser\'s languages (fr), and without JavaScript it reads the same', async () => {
  await world.origin.set('down');
  const fr = await open({ locale: 'fr-FR' });
  await fr.page.goto(`${world.base}/shop`);
  assert.equal(await fr.page.getAttribute('html', 'lang'), 'fr');
  const v = await verdictOf(fr.page);
  assert.equal(v.title, gw.checksVerdict({ browser: 'ok', sites: 'ok', dns: 'ok', edge: 'ok', origin: 'failed' }, { lang: 'fr' }).title);
  assert.equal(await fr.page.textContent('#gw-checks-h'), gw.messages('checks.', { lang: 'fr' }).messages['checks.heading']);
  // The scripts came from the reserved prefix only, the language's one after the loader.
  const scripts = await fr.page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.js')));
  assert.deepEqual(scripts, ['/__gatewise/checks.js', '/__gatewise/checks.fr.js']);
  await fr.done();

  const nojs = await open({ javaScriptEnabled: false });
  await nojs.page.goto(`${world.base}/shop`);
  assert.equal(await nojs.page.locator('#gw-checks').count(), 0);
  assert.match(await nojs.page.textContent('h1'), /\S/);
  assert.equal(await nojs.page.getAttribute('#gw-l2', 'class'), 'k bad');
  await nojs.done();
});

test('checks: the script loads after first paint', async () => {
  await world.origin.set('down');
  const { page, done } = await open();
  await page.goto(`${world.base}/shop`);
  await verdictOf(page);
  const t = await page.evaluate(() => {
    const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime;
    const lang = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/checks.en.js'))?.startTime;
    return { paint, lang, started: Number(document.getElementById('gw-checks').dataset.startedMs) };
  });
  assert.ok(t.paint > 0, 'first contentful paint');
  assert.ok(t.lang > t.paint, `checks.en.js requested at ${t.lang} ms, after the first paint at ${t.paint} ms`);
  assert.ok(t.started > t.paint);
  note(`first contentful paint ${Math.round(t.paint)} ms; checks.en.js requested at ${Math.round(t.lang)} ms; checks started at ${Math.round(t.started)} ms`);
  await done();
});

test('explainer: status codes, a captured nginx page, log lines — exact layer, type and hop', async () => {
  const cases = [
    ['502', { kind: 'status', layer: 'unknown', type: '', hop: '', segment: 'unknown', received: '502', status: '502' }],
    ['502.3', { kind: 'status', layer: 'iis', type: '', hop: '', segment: 'unknown', received: '502', status: '502' }],
    ['524', { kind: 'status', layer: 'cloudflare', type: 'http_response_timeout', hop: 'response', segment: 'upstream', received: '524', status: '524' }],
    [fixture('responses/nginx/refused.http'), { kind: 'response', layer: 'nginx', type: 'connection_refused', hop: 'connect', segment: 'upstream', received: '502', status: '502' }],
    // A pasted Cloudflare 522 stays 522 as received; 504 is what a gateway would answer.
    [fixture('responses/cloudflare/522_connection_timed_out.http'), { kind: 'response', layer: 'cloudflare', type: 'connection_timeout', hop: 'connect', segment: 'upstream', received: '522', status: '504' }],
    [firstLine(fixture('logs/nginx/refused.log'), '[error]'), { kind: 'log', layer: 'nginx', type: 'connection_refused', hop: 'connect', segment: 'upstream', status: '502' }],
    [firstLine(fixture('logs/nginx/hang.log'), '[error]'), { kind: 'log', layer: 'nginx', type: 'http_response_timeout', hop: 'response', segment: 'upstream', status: '504' }],
    [fixture('logs/heroku/h12_request_timeout.log').trim(), { kind: 'log', layer: 'heroku', type: 'http_response_timeout', hop: 'response', segment: 'upstream', received: '503', status: '504' }],
  ];
  const { page, done } = await open();
  for (const [input, want] of cases) {
    await page.goto(`${world.base}/__gatewise/index.html#q=${encodeURIComponent(input)}`);
    await page.waitForSelector('#status[data-state=explained]');
    const got = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('#facts dd')].map((d) => [d.dataset.field, d.dataset.value])),
    );
    assert.deepEqual(got, want, input.slice(0, 60));
    // The element shows the core's own texts for the same input.
    const core = gw.explain(input, { lang: 'en' });
    const title = await page.evaluate(() => document.querySelector('#explanation gatewise-error').shadowRoot.querySelector('.title').textContent);
    assert.equal(title, core.texts.title);
  }
  // The input lives in the fragment: typing updates it, and the link shares it.
  await page.fill('#input', '503');
  await page.waitForFunction(() => location.hash === '#q=503');
  assert.equal(await page.getAttribute('#share', 'href'), '#q=503');
  // From the keyboard: an example button, then Enter in the form.
  await page.focus('#input');
  await page.fill('#input', '');
  await page.keyboard.type('504');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#facts [data-field=status]')?.dataset.value === '504');
  await page.fill('#input', 'hello there');
  await page.waitForSelector('#status[data-state=not_recognised]');
  await done();
});

test('explainer: a paste of several artefacts, and a HAR file opened from disk on the HTTP cycle', async () => {
  const { page, done } = await open();
  // A response, then the proxy's log lines behind a docker compose prefix, then curl's error.
  const error = firstLine(fixture('logs/nginx/refused.log'), '[error]');
  const paste = `${fixture('responses/nginx/refused.http').replace(/\r\n/g, '\n')}\nweb-1  | ${error}\n\ncurl: (7) Failed to connect to 127.0.0.1 port 18100 after 0 ms: Connection refused`;
  await page.goto(`${world.base}/__gatewise/index.html#q=${encodeURIComponent(paste)}`);
  await page.waitForSelector('#status[data-state=explained]');
  const core = gw.explain(paste, { lang: 'en' });
  const items = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('#artefacts ol.artefacts > li')].map((li) => ({ ...li.dataset, title: li.querySelector('.title').textContent })),
    );
  assert.deepEqual(
    await items(),
    core.artefacts.map((a, i) => ({
      kind: a.kind,
      headline: String(i === core.headline),
      failure: String(a.failure),
      layer: a.diagnosis.layer,
      type: a.diagnosis.errorType ?? '',
      received: a.diagnosis.receivedStatus == null ? '' : String(a.diagnosis.receivedStatus),
      title: a.title,
    })),
  );
  assert.deepEqual(
    core.artefacts.map((a) => a.kind),
    ['response', 'log', 'message'],
  );
  assert.equal(core.headline, 1);
  // The headline's facts: the log line says why; nothing was received there.
  const facts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#facts dd')].map((d) => [d.dataset.field, d.dataset.value])));
  assert.deepEqual(facts, { kind: 'log', layer: 'nginx', type: 'connection_refused', hop: 'connect', segment: 'upstream', status: '502' });
  const wrappers = await page.textContent('#artefacts ol.artefacts > li[data-kind=log] p.muted');
  assert.equal(wrappers, `${gw.messages('explain.', { lang: 'en' }).messages['explain.read_inside'].replace('{wrappers}', 'docker compose prefix')} · from web-1`);
  await axe(page, 'explainer, several artefacts');

  // A HAR file saved by Chromium's DevTools, opened with the file picker.
  const har = new URL('pastes/har/chromium-failures.devtools.har', FIXTURES);
  await page.setInputFiles('#file', fileURLToPath(har));
  await page.waitForFunction(() => document.getElementById('result').dataset.kind === 'har');
  const want = gw.explain(readFileSync(har, 'utf8'), { lang: 'en' });
  const cycles = await page.evaluate(() =>
    [...document.querySelectorAll('#artefacts ol.artefacts > li')].map((li) =>
      [...li.querySelectorAll('ol.cycle li')].map((p) => [p.dataset.phase, p.dataset.ms, p.dataset.failed]),
    ),
  );
  assert.deepEqual(
    cycles,
    want.artefacts.map((a) => a.exchange.phases.map((p) => [p.phase, p.ms == null ? '' : String(p.ms), String(p.failed)])),
  );
  assert.deepEqual(
    await page.evaluate(() => [...document.querySelectorAll('ol.cycle li[data-failed=true]')].map((p) => p.dataset.phase)),
    ['connect', 'wait', 'tls', 'dns'],
  );
  assert.equal(await page.textContent('#artefacts .not-failed'), 'Not listed because they did not fail: 7.');
  // A HAR file is too long for the link: it is not put in the fragment.
  assert.equal(await page.isHidden('#share-box'), true);
  assert.equal(await page.evaluate(() => location.hash), '');
  await page.locator('#result').screenshot({ path: `${ARTIFACTS}explainer-har.png` });
  note(`screenshot ${ARTIFACTS}explainer-har.png`);
  await axe(page, 'explainer, HAR file');
  await done();
});

test('explainer: nothing typed leaves the browser', async () => {
  const { page, done } = await open();
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${world.base}/__gatewise/index.html`);
  await page.waitForSelector('html[data-ready=true]');
  await page.fill('#input', fixture('responses/nginx/refused.http'));
  await page.click('button[type=submit]');
  await page.waitForSelector('#status[data-state=explained]');
  await page.fill('#input', 'secret-token-502');
  await page.waitForTimeout(500);
  assert.ok(requests.every((p) => p.startsWith('/__gatewise/')), requests.join(' '));
  assert.ok(!requests.some((p) => p.includes('secret')));
  // The wasm came after the first paint.
  const t = await page.evaluate(() => ({
    paint: performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime,
    wasm: performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'))?.startTime,
  }));
  assert.ok(t.wasm > t.paint, `wasm requested at ${t.wasm} ms, after the first paint at ${t.paint} ms`);
  await done();
});

test('explainer: the same checks against an address the visitor types', async () => {
  const { page, done } = await open();
  world.state.explainerChecks = { sites: [`${world.others.url}/ping`], resolver: `${world.others.url}/dns-query` };
  const address = `http://localhost:${world.origin.port}/`;
  await world.origin.set('up');
  await page.goto(`${world.base}/__gatewise/index.html#url=${encodeURIComponent(address)}`);
  // It answered, opaquely: the page says only that (never "the problem is on the site's side").
  let v = await verdictOf(page);
  assert.deepEqual([v.verdict, v.who], ['site_answers', 'unknown']);
  assert.deepEqual(v.states, { browser: 'ok', sites: 'ok', dns: 'ok', site: 'ok' });
  // An address whose server answers with an error page still "answers": nothing more is knowable.
  await world.origin.set('down');
  await page.fill('#url', `http://localhost:${world.origin.port}/again`);
  await page.press('#url', 'Enter');
  await page.waitForFunction(() => document.getElementById('gw-verdict')?.dataset.verdict === 'site_no_answer');
  v = await verdictOf(page);
  assert.equal(v.states.site, 'failed');
  assert.equal(v.who, 'unknown');
  await page.fill('#url', 'ftp://example.com/');
  await page.press('#url', 'Enter');
  await page.waitForSelector('#url[aria-invalid=true]');
  world.state.explainerChecks = null;
  await done();
});

test('the element in a host page: the core\'s texts, its language, its details', async () => {
  for (const locale of ['en-US', 'ar']) {
    const { page, done } = await open({ locale });
    await page.goto(`${world.base}/host.html`);
    await page.waitForFunction(() => document.querySelector('gatewise-error')?.shadowRoot?.querySelector('.title'));
    const got = await page.evaluate(() => {
      const root = document.querySelector('gatewise-error').shadowRoot;
      const box = root.querySelector('section');
      return { title: root.querySelector('.title').textContent, lang: box.lang, dir: box.dir, id: root.querySelector('[part=request-id] code')?.textContent, details: !!root.querySelector('details') };
    });
    const want = gw.explainStatus('502', { lang: locale });
    assert.equal(got.title, want.texts.title);
    assert.equal(got.lang, want.texts.lang);
    assert.equal(got.dir, locale === 'ar' ? 'rtl' : 'ltr');
    assert.equal(got.id, '8a1b2c3d');
    assert.ok(got.details);
    await done();
  }
});

const SCHEMES = [
  ['light', { colorScheme: 'light', locale: 'en-US' }],
  ['dark', { colorScheme: 'dark', locale: 'en-US' }],
  ['rtl', { colorScheme: 'light', locale: 'ar' }],
];

test('axe-core: 0 violations on the error page (checks run), the explainer and the element — light, dark, rtl', async () => {
  await world.origin.set('down');
  for (const [name, options] of SCHEMES) {
    const { page, done } = await open(options);
    await page.goto(`${world.base}/shop`);
    await verdictOf(page);
    await axe(page, `error page, ${name}`);
    await page.goto(`${world.base}/__gatewise/index.html#q=${encodeURIComponent(fixture('responses/nginx/refused.http'))}`);
    await page.waitForSelector('#status[data-state=explained]');
    await page.evaluate(() => document.querySelector('#explanation gatewise-error').shadowRoot.querySelector('details').setAttribute('open', ''));
    if (name === 'rtl') {
      // The explainer follows navigator.languages through the core's catalogs.
      assert.equal(await page.getAttribute('html', 'lang'), 'ar');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(await page.textContent('h1'), gw.messages('explainer.', { lang: 'ar' }).messages['explainer.title']);
      await page.screenshot({ path: `${ARTIFACTS}explainer-rtl.png`, fullPage: true });
    }
    await axe(page, `explainer, ${name}`);
    await page.goto(`${world.base}/host.html`);
    await page.waitForFunction(() => document.querySelector('gatewise-error')?.shadowRoot?.querySelector('.title'));
    await axe(page, `element in a host page, ${name}`);
    await done();
  }
});

test('screenshots of the error page in light, dark and right to left (tests/artifacts/www/)', async () => {
  await world.origin.set('down');
  for (const [name, options] of SCHEMES) {
    const { page, done } = await open(options);
    await page.goto(`${world.base}/shop`);
    await verdictOf(page);
    await page.waitForSelector('#gw-retry[data-state=waiting]');
    const path = `${ARTIFACTS}error-page-${name}.png`;
    await page.screenshot({ path, fullPage: true });
    note(`screenshot ${path}`);
    if (name === 'light') {
      await page.setViewportSize({ width: 375, height: 800 });
      await page.waitForTimeout(100);
      await page.screenshot({ path: `${ARTIFACTS}error-page-phone.png`, fullPage: true });
      note(`screenshot ${ARTIFACTS}error-page-phone.png`);
      await page.setViewportSize({ width: 820, height: 1000 });
      await page.goto(`${world.base}/__gatewise/index.html#q=${encodeURIComponent(firstLine(fixture('logs/nginx/refused.log'), '[error]'))}`);
      await page.waitForSelector('#status[data-state=explained]');
      await page.screenshot({ path: `${ARTIFACTS}explainer-light.png`, fullPage: true });
      note(`screenshot ${ARTIFACTS}explainer-light.png`);
    }
    await done();
  }
});
