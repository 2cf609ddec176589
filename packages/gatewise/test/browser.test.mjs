// The INSTALLED package inside the same app (test/app/) built by each bundler's recipe
// (Vite, webpack, Rollup, esbuild: test/<bundler>/, the configurations README shows), each
// served from its own 127.0.0.1 port and loaded in headless Chromium through playwright-core.
// scripts/test-npm.sh builds the apps and names their output folders in GATEWISE_APPS
// (`vite=/tmp/…/dist,webpack=…`), and the Vite dev server's URL in GATEWISE_VITE_DEV.
//
// For each app: importing the package and the element requests no .wasm (and a synchronous
// function called too early throws GatewiseNotReadyError); connecting the elements then loads
// it exactly once, every entry point works, <gatewise-error> renders (styled, accessible, in
// the visitor's language), and no request fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join, extname, normalize, sep } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const apps = (process.env.GATEWISE_APPS ?? '')
  .split(',')
  .filter(Boolean)
  .map((pair) => {
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), dist: pair.slice(at + 1) };
  });
const devServer = process.env.GATEWISE_VITE_DEV;
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

let refusedPort;
let browser;
let flakyIds = 0;

/** A static server for one app's build output, with /flaky (503 + Retry-After: 1, then 200). */
async function serve(dist) {
  const flaky = new Map();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/flaky') {
      const id = url.searchParams.get('id');
      const n = (flaky.get(id) ?? 0) + 1;
      flaky.set(id, n);
      if (n === 1) res.writeHead(503, { 'retry-after': '1' }).end('busy');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const root = normalize(dist);
    const file = normalize(join(root, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}`, flaky };
}

before(async () => {
  assert.ok(apps.length > 0, 'GATEWISE_APPS names the apps built by the recipes');
  for (const app of apps) Object.assign(app, await serve(app.dist));
  const probe = createNetServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  refusedPort = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  for (const app of apps) if (app.server) await new Promise((resolve) => app.server.close(resolve));
});

/**
 * Opens the app and waits until the network is idle (nothing requested for 500 ms): what
 * importing the package costs. Then runs it (connects the elements, calls everything).
 */
async function open(locale, origin, { flaky = true } = {}) {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  const failedResponses = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The refused port and /flaky's 503 are checked below, from the requests.
    if (m.type() === 'error' && !m.text().includes('ERR_CONNECTION_REFUSED') && !m.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${m.text()}`);
    }
    if (m.type() === 'warning' && m.text().includes('instantiateStreaming')) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => requests.push(new URL(r.url())));
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (r.status() >= 400 && url.pathname !== '/flaky') failedResponses.push(`${r.status()} ${url.pathname}`);
  });
  const flakyId = flaky ? String(++flakyIds) : null;
  const flakyPath = flaky ? `/flaky?id=${flakyId}` : null;
  await page.addInitScript(
    ({ port, flakyPath }) => {
      window.__refusedPort = port;
      window.__flaky = flakyPath;
    },
    { port: refusedPort, flakyPath },
  );
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  const beforeInit = await page.evaluate(() => window.__gatewiseApp?.beforeInit);
  const wasmBefore = requests.filter((u) => u.pathname.endsWith('.wasm')).map((u) => u.pathname);
  const result = await page.evaluate(() => window.__gatewiseApp.run());
  const wasm = requests.filter((u) => u.pathname.endsWith('.wasm')).map((u) => u.pathname);
  return { context, page, result, value: result.value, problems, beforeInit, wasmBefore, wasm, failedResponses, flakyId };
}

function checkLazy(o) {
  assert.deepEqual(o.beforeInit, {
    elementDefined: true,
    threw: { name: 'GatewiseNotReadyError', code: 'not_ready' },
  });
  assert.deepEqual(o.wasmBefore, [], 'importing the package requests no .wasm');
  assert.deepEqual(o.failedResponses, [], 'no request fails');
  assert.equal(o.wasm.length, 1, `the .wasm is requested once, when needed: ${o.wasm}`);
  assert.deepEqual(o.problems, []);
  assert.ok(o.result.ok, o.result.error);
}

function checkEntryPoints(v) {
  assert.equal(v.status524.errorType, 'http_response_timeout');
  assert.equal(v.status524.layer, 'cloudflare');
  assert.equal(v.status524.texts.lang, 'en');
  assert.equal(v.status502.errorType, null);

  for (const d of [v.nginx, v.nginxResponse, v.explainResponse.diagnosis]) {
    assert.equal(d.layer, 'nginx');
    assert.equal(d.errorType, 'connection_refused');
    assert.equal(d.status, 502);
    assert.equal(d.confidence, 'low');
  }
  assert.equal(v.nginxBodyStillReadable, true);

  for (const d of [v.syntheticChrome, v.syntheticFirefox, v.syntheticSafari]) {
    assert.equal(d.layer, 'browser');
    assert.equal(d.confidence, 'low');
    assert.equal(d.errorType, null);
    assert.ok(d.alternatives.length > 0);
  }
  // This Chromium's own error for a refused connection.
  assert.equal(v.realErrorMessage, 'TypeError: Failed to fetch');
  assert.equal(v.realError.layer, 'browser');
  assert.equal(v.realError.confidence, 'low');
  assert.ok(v.realError.alternatives.includes('connection_refused'));
  assert.ok(v.realError.evidence.some((e) => e.rule === 'browser.chrome_failed_to_fetch'));

  assert.equal(v.log.format, 'nginx_error');
  assert.equal(v.log.diagnosis.errorType, 'connection_refused');
  // The captured nginx log: the error-log line, then the access-log line of the same request.
  assert.deepEqual(
    v.logs.map((l) => [l.line, l.format, l.diagnosis.receivedStatus ?? l.diagnosis.status]),
    [
      [2, 'nginx_error', 502],
      [3, 'access_combined', 502],
    ],
  );
  assert.deepEqual(v.explainError, { name: 'GatewiseInputError', code: 'not_recognised' });
  assert.equal(v.describeFr.lang, 'fr');
  assert.ok(v.page.includes('&lt;i&gt;r&lt;/i&gt;'));
  assert.ok(v.page.startsWith('<!doctype html>'));
  assert.equal(v.problem.type, 'https://gatewise.dev/problems/connection_refused');
  assert.equal(v.problem.instance, 'urn:gatewise:request:r%201');
  assert.equal(v.proxyStatus, 'gatewise;error=connection_refused;received-status=502');
  assert.deepEqual(v.retryPost, { retry: false, reason: 'may_have_reached_origin' });
  assert.equal(v.retryGet.retry, true);
  assert.equal(v.retryGet.source, 'backoff');
  assert.ok(v.backoff >= 0 && v.backoff <= 400);
  assert.equal(v.retryAfter, 7);
  assert.equal(v.languages.length, 8);
  assert.equal(v.limits.maxBody, 16384);
  assert.deepEqual(v.refusedPost, {
    isGatewiseFetchError: true,
    isTypeError: true,
    attempts: 1,
    reason: 'may_have_reached_origin',
    confidence: 'low',
  });
}

async function checkElement(page, v) {
  const el = await page.evaluate(() => {
    const host = document.getElementById('status');
    const root = host.shadowRoot;
    const part = (name) => root.querySelector(`[part~="${name}"]`);
    const title = part('title');
    const container = part('container');
    return {
      tag: title.tagName,
      title: title.textContent,
      code: part('code').textContent,
      summary: part('summary').textContent,
      advice: [...root.querySelectorAll('[part~="advice-item"]')].map((li) => li.textContent),
      requestId: part('request-id').textContent,
      lang: container.lang,
      dir: container.dir,
      role: container.getAttribute('role'),
      titleColor: getComputedStyle(title).color,
      borderColor: getComputedStyle(container).borderTopColor,
      background: getComputedStyle(container).backgroundColor,
      adviceSpacing: getComputedStyle(part('advice-item')).letterSpacing,
      slotted: part('container').querySelector('slot').assignedElements().map((e) => e.id),
      hasDetails: part('details') !== null,
      arabic: (() => {
        const c = document.getElementById('arabic').shadowRoot.querySelector('[part~="container"]');
        return { lang: c.lang, dir: c.dir };
      })(),
      fromError: (() => {
        const r = document.getElementById('from-error').shadowRoot;
        return { code: r.querySelector('[part~="code"]')?.textContent, status: r.querySelector('[part~="status"]'), text: r.textContent };
      })(),
      invalidChildren: document.getElementById('invalid').shadowRoot.childElementCount,
    };
  });
  const texts = v.status502.texts;
  assert.equal(el.tag, 'H2');
  assert.equal(el.title, texts.title);
  assert.equal(el.code, '502');
  assert.equal(el.summary, texts.summary);
  assert.deepEqual(el.advice, texts.visitorAdvice);
  assert.equal(el.requestId, `${texts.headings.requestId}: req-42`);
  assert.deepEqual([el.lang, el.dir, el.role], ['en', 'ltr', 'status']);
  assert.equal(el.titleColor, 'rgb(1, 2, 3)', '::part(title) applies');
  assert.equal(el.borderColor, 'rgb(4, 5, 6)', '--gatewise-border applies');
  assert.equal(el.background, 'rgb(250, 250, 250)', '--gatewise-bg applies');
  assert.equal(el.adviceSpacing, '1px');
  assert.deepEqual(el.slotted, ['retry']);
  assert.equal(el.hasDetails, true);
  assert.deepEqual(el.arabic, { lang: 'ar', dir: 'rtl' });
  // Issue 14, item 4: a failure the browser itself saw was answered with no status: none is shown.
  assert.deepEqual([el.fromError.code, el.fromError.status], [undefined, null]);
  assert.ok(!el.fromError.text.includes(String(v.realError.status)), el.fromError.text);
  assert.equal(el.invalidChildren, 1, 'an invalid status renders only the style sheet');

  // Attributes re-render; untrusted text stays text.
  const changed = await page.evaluate(() => {
    const host = document.getElementById('status');
    host.setAttribute('status', '524');
    host.setAttribute('request-id', '<img src=x onerror=alert(1)>');
    const root = host.shadowRoot;
    return {
      code: root.querySelector('[part~="code"]').textContent,
      id: root.querySelector('[part~="request-id"] code').textContent,
      images: root.querySelectorAll('img').length,
    };
  });
  assert.deepEqual(changed, { code: '524 · http_response_timeout', id: '<img src=x onerror=alert(1)>', images: 0 });

  // Keyboard: the folded details open with the keyboard.
  const summary = page.locator('#status [part~="details-summary"]');
  await summary.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#status [part~="details"]').evaluate((d) => d.open), true);

  // axe-core: no accessibility violations on the host page, the shadow roots included.
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, []);
}

for (const app of apps) {
  test(`${app.name}: importing loads no wasm; then every entry point and <gatewise-error> work, no request fails`, async () => {
    const o = await open('en-US', app.origin);
    try {
      checkLazy(o);
      checkEntryPoints(o.value);
      const flaky = o.value.flaky;
      assert.equal(flaky.status, 200);
      assert.equal(flaky.text, 'ok');
      assert.deepEqual(flaky.events, ['retry_after']);
      assert.ok(flaky.elapsed >= 1000, String(flaky.elapsed));
      assert.equal(app.flaky.get(o.flakyId), 2, 'two requests: the 503, then the retry');
      await checkElement(o.page, o.value);
    } finally {
      await o.context.close();
    }
  });

  test(`${app.name}: <gatewise-error> and the functions follow navigator.languages`, async () => {
    const o = await open('de-DE', app.origin, { flaky: false });
    try {
      checkLazy(o);
      const v = o.value;
      assert.equal(v.navigatorLanguages[0], 'de-DE');
      const el = await o.page.evaluate(() => {
        const c = document.getElementById('status').shadowRoot.querySelector('[part~="container"]');
        return { lang: c.lang, title: c.querySelector('[part~="title"]').textContent };
      });
      assert.equal(el.lang, 'de');
      assert.equal(v.status502.texts.lang, 'de', 'the functions follow navigator.languages too');
      assert.equal(el.title, v.status502.texts.title);
    } finally {
      await o.context.close();
    }
  });
}

for (const app of apps) {
  test(`${app.name}: when the .wasm answers 404, the page goes on and a later init() recovers`, async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const wasm = [];
    await page.route('**/*.wasm', (route) => {
      wasm.push(route.request().url());
      return route.fulfill({ status: 404, body: 'not here' });
    });
    const flakyId = String(++flakyIds);
    await page.addInitScript((port) => {
      window.__refusedPort = port;
    }, refusedPort);
    try {
      await page.goto(`${app.origin}/`, { waitUntil: 'networkidle' });
      assert.deepEqual(wasm, []);
      const out = await page.evaluate((p) => window.__gatewiseApp.withoutCore(p), `/flaky?id=${flakyId}`);
      assert.match(out.init, /^rejected: failed to fetch Wasm: 404 /);
      assert.deepEqual({ ...out, init: undefined }, {
        response: { status: 503, text: 'busy' },
        thrown: { name: 'TypeError', message: 'Failed to fetch', isGatewiseFetchError: false },
        init: undefined,
        sync: 'GatewiseNotReadyError',
        shadow: false,
        buttonShown: true,
      });
      assert.equal(app.flaky.get(flakyId), 1, 'not retried without the core');
      assert.ok(wasm.length >= 1);
      await page.unroute('**/*.wasm');
      const after = await page.evaluate(() => window.__gatewiseApp.retry());
      assert.equal(after.status, 502);
      assert.ok(after.title.length > 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test('the Vite dev server serves the package without configuration too', { skip: !devServer }, async () => {
  const o = await open('en-US', devServer, { flaky: false });
  try {
    checkLazy(o);
    checkEntryPoints(o.value);
    const title = await o.page.evaluate(
      () => document.getElementById('status').shadowRoot.querySelector('[part~="title"]').textContent,
    );
    assert.equal(title, o.value.status502.texts.title);
  } finally {
    await o.context.close();
  }
});
