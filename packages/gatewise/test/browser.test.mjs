// The INSTALLED package inside a Vite app (`vite build`, no configuration), served from
// 127.0.0.1 and loaded in headless Chromium through playwright-core. scripts/test-npm.sh
// builds the app and passes its output folder in GATEWISE_VITE_DIST, and the URL of the same
// app under `vite` (the dev server, which pre-bundles dependencies) in GATEWISE_VITE_DEV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const dist = process.env.GATEWISE_VITE_DIST;
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

let server;
let origin;
let refusedPort;
let browser;
let flakyCount = 0;
const served = [];
const missing = [];

before(async () => {
  assert.ok(dist, 'GATEWISE_VITE_DIST names the Vite build output');
  server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/flaky') {
      flakyCount += 1;
      if (flakyCount === 1) res.writeHead(503, { 'retry-after': '1' }).end('busy');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(normalize(dist))) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      served.push(path);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      missing.push(path);
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  const probe = createNetServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  refusedPort = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
});

async function open(locale, base = origin) {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed loads (the refused port, /flaky's 503, the favicon) are checked on the server side.
    if (m.type() === 'error' && !m.text().includes('ERR_CONNECTION_REFUSED') && !m.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${m.text()}`);
    }
  });
  await page.addInitScript((port) => {
    window.__refusedPort = port;
  }, refusedPort);
  await page.goto(`${base}/`);
  // The app's module waits for the wasm (top-level await), which may finish after `load`.
  await page.waitForFunction(() => window.__gatewise !== undefined);
  const result = await page.evaluate(() => window.__gatewise);
  assert.ok(result.ok, result.error);
  return { context, page, value: result.value, problems };
}

test('every entry point works in the built Vite app in Chromium', async () => {
  const { context, value: v, problems } = await open('en-US');
  try {
    assert.deepEqual(problems, []);
    assert.deepEqual(
      missing.filter((p) => p !== '/favicon.ico'),
      [],
    );
    assert.ok(served.some((p) => p.endsWith('.wasm')), `the wasm asset was served: ${served}`);
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

    assert.equal(v.flaky.status, 200);
    assert.equal(v.flaky.text, 'ok');
    assert.deepEqual(v.flaky.events, ['retry_after']);
    assert.ok(v.flaky.elapsed >= 1000, String(v.flaky.elapsed));
    assert.equal(flakyCount, 2);
    assert.deepEqual(v.refusedPost, {
      isGatewiseFetchError: true,
      isTypeError: true,
      attempts: 1,
      reason: 'may_have_reached_origin',
      confidence: 'low',
    });
  } finally {
    await context.close();
  }
});

test('<gatewise-error> renders the core texts in a shadow root, styled through ::part', async () => {
  const { context, page, value: v } = await open('en-US');
  try {
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
  } finally {
    await context.close();
  }
});

test('<gatewise-error> follows navigator.languages', async () => {
  const { context, page, value: v } = await open('de-DE');
  try {
    assert.equal(v.navigatorLanguages[0], 'de-DE');
    const el = await page.evaluate(() => {
      const c = document.getElementById('status').shadowRoot.querySelector('[part~="container"]');
      return { lang: c.lang, title: c.querySelector('[part~="title"]').textContent };
    });
    assert.equal(el.lang, 'de');
    assert.equal(v.status502.texts.lang, 'de', 'the functions follow navigator.languages too');
    assert.equal(el.title, v.status502.texts.title);
  } finally {
    await context.close();
  }
});

test('the Vite dev server serves the package without configuration too', { skip: !devServer }, async () => {
  const { context, page, value: v, problems } = await open('en-US', devServer);
  try {
    assert.deepEqual(problems, []);
    assert.equal(v.status524.errorType, 'http_response_timeout');
    assert.equal(v.nginx.layer, 'nginx');
    assert.equal(v.realError.layer, 'browser');
    const title = await page.evaluate(
      () => document.getElementById('status').shadowRoot.querySelector('[part~="title"]').textContent,
    );
    assert.equal(title, v.status502.texts.title);
  } finally {
    await context.close();
  }
});
