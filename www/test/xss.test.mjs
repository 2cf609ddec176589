// Known XSS payloads (fuzz/seeds/xss.txt), every one of them rendered into every surface a
// visitor's browser shows, in real headless Chromium with hooks on script execution:
//
//   error page   the BUILT worker in workerd (Miniflare, tests/worker/harness.mjs), payload in the
//                request path, query and headers (cf-ray, Accept-Language, User-Agent,
//                X-Request-Id, Referer, Cookie, Forwarded, CDN-Loop…: the request id is the
//                worker's own, so the visitor's page reflects none of them); the owner's
//                view (debug token) of an upstream 502 whose Proxy-Status details, next hop and body
//                carry the payload (INTERCEPT_MODE=replace-html); the core renderer (the npm
//                package's renderPage) with the payload in EVERY field (site name, contact, status
//                page, URL, time, request id, nonce, detail, vendor code, evidence, chain);
//                the worker's problem JSON and text. Served with the worker's real response
//                headers (CSP) — and again with the CSP removed, so that the markup itself is
//                proven inert, not just blocked.
//   explainer    www/index.html as the worker serves it (and without its CSP): the payload typed
//                into the input and passed in the fragment, bare, in a raw HTTP response and in
//                an nginx error.log line, and as the address to check (#url=).
//   element      <gatewise-error> in a host page with and without a CSP: the payload in every
//                attribute (status, lang, request-id, heading-level, details) and in the
//                `diagnosis` property's strings.
//
// The hooks: an init script in every frame replaces alert/confirm/prompt/print/open and reports
// calls and `securitypolicyviolation` events to Node at once (exposeBinding); page `dialog`,
// `pageerror` and CSP console messages; every request is routed, and anything but the page's own
// files and endpoints (and the checks' stand-ins for other sites and the resolver) counts as a
// hit — `<img src=x>`, `//evil.example/x.js`, `@import`, a meta refresh, `location=`; main-frame
// navigations away count too; and a DOM audit after each rendering (shadow roots included)
// finds any `on*` attribute, `javascript:`/`vbscript:`/`data:` URL, inline or foreign script,
// iframe/object/embed/base, meta http-equiv or foreign style sheet — injections that would need
// a click or a hover to run. Non-vacuity: each payload's text is found in the page (text or
// input value) for every rendering, and positive controls (a page injecting a payload without
// CSP; the same under the worker's CSP; a real dialog) prove each hook fires.
//
// Needs worker/build (scripts/build-worker.sh), www/dist and /usr/bin/chromium.
// Writes tests/artifacts/www/xss.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as gw from '../../packages/gatewise/dist/index.node.js';
import { startWorker, TOKEN } from '../../tests/worker/harness.mjs';
import { closedPort } from '../../tests/worker/origin.mjs';
import { DIST } from './servers.mjs';

const ARTIFACTS = fileURLToPath(new URL('../../tests/artifacts/www/', import.meta.url));
const CORPUS = new URL('../../fuzz/seeds/xss.txt', import.meta.url);
/** The payloads, exactly as written (leading spaces kept; `\x1b` is literal text). */
const PAYLOADS = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0 && !l.startsWith('#'));
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Pages rendered at once (2 cores, shared). */
const PARALLEL = 4;

// What the live checks may reach besides the worker: the model's other sites and resolver,
// answered here (no traffic leaves the machine); ok.example is the site the explainer is
// asked to check when a payload is a URL on it.
const MODEL = gw.checksModel();
const CHECK_HOSTS = new Set([...MODEL.sites.map((s) => new URL(s).host), new URL(MODEL.resolver).host, 'ok.example']);

/** A recognisable piece of `p` that survives every reflection: its longest printable-ASCII run, trimmed. */
function needle(p) {
  const runs = p.match(/[\x20-\x7e]+/g) ?? [];
  return runs.map((r) => r.trim()).sort((a, b) => b.length - a.length)[0];
}
/** `p` as a header value: UTF-8 bytes as latin1 (what a client puts on the wire). */
const headerValue = (p) => Buffer.from(p, 'utf8').toString('latin1');
/** `p` with what a request target cannot hold percent-encoded, the rest raw (`<`, `"`, `'`…). */
const rawTarget = (p) => [...p].map((c) => (/[\x21-\x7e]/.test(c) && c !== '#' && c !== '%' ? c : encodeURIComponent(c))).join('');
/** `p` as an RFC 8941 string (printable ASCII; others become `?`). */
const sfString = (p) => `"${p.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`)}"`;

// ---------------------------------------------------------------------------------------------
// The world: a refused origin, an upstream that answers 502 "from nginx" with the payload, two
// workers in workerd serving www/dist from the ASSETS binding, one Chromium.

let upstream;
let visitorWorker; // ORIGIN_URL refuses connections
let ownerWorker; // ORIGIN_URL is the upstream; replace-html
let browser;
const t0 = performance.now();
const hits = []; // { label, kind, detail }
const problems = []; // page errors (not XSS, but a page that breaks proves nothing)
const tried = new Map(); // surface → renderings
const labels = new WeakMap(); // page → label of what it renders now
const docs = new Map(); // path under /__xss/ → { status, headers, body }

const phases = new Map(); // phase → ms
const count = (surface, n = 1) => tried.set(surface, (tried.get(surface) ?? 0) + n);
const labelOf = (page) => (page && labels.get(page)) || '(unlabelled)';

function upstreamServer() {
  const server = createServer((req, res) => {
    const i = Number(new URL(req.url, 'http://x').pathname.split('/')[2]);
    const p = PAYLOADS[i] ?? '';
    const body =
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
      `<hr><center>nginx/1.22.1</center>\r\n<p>${p}</p>\r\n</body>\r\n</html>\r\n`;
    res
      .writeHead(502, {
        'content-type': 'text/html',
        server: 'nginx/1.22.1',
        'proxy-status': `nginx; error=connection_refused; details=${sfString(p)}; next-hop=${sfString(p)}`,
        'x-upstream-note': headerValue(p),
      })
      .end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** One raw HTTP exchange with a worker (no client-side URL normalisation). */
function exchange(base, path, headers) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET', headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(8000, () => req.destroy(new Error(`no answer for ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/** The request headers of a visitor that carry `p` everywhere a header can. */
function hostileHeaders(p, extra) {
  const v = headerValue(p);
  return {
    'cf-ray': v,
    'x-request-id': v,
    'accept-language': v,
    'user-agent': `Mozilla/5.0 (X11; Linux x86_64) ${v}`,
    referer: v,
    cookie: `theme=${v}`,
    forwarded: v,
    'x-forwarded-host': v,
    'cdn-loop': v,
    ...extra,
  };
}

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding']);
/** Response headers to fulfil a route with (hop-by-hop and Miniflare's own removed). */
function servedHeaders(headers, { csp = true } = {}) {
  const out = {};
  for (const [n, v] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(n) || n.startsWith('mf-')) continue;
    if (!csp && n === 'content-security-policy') continue;
    out[n] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** The headers every answer the worker writes carries (the issue's list). */
function assertSecurityHeaders(headers, what) {
  const csp = headers['content-security-policy'];
  assert.ok(csp, `${what}: a CSP`);
  const script = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  assert.ok(script, `${what}: script-src in ${csp}`);
  assert.ok(!script.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'"), `${what}: ${script}`);
  assert.match(csp, /default-src 'none'/, what);
  assert.match(csp, /base-uri 'none'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  assert.equal(headers['referrer-policy'], 'no-referrer', what);
}
function assertErrorHeaders(headers, what) {
  assertSecurityHeaders(headers, what);
  assert.equal(headers['cache-control'], 'private, no-store', what);
}

// ---------------------------------------------------------------------------------------------
// The hooks.

/** Runs in every frame before any of the page's scripts. */
function hookScript() {
  const report = (kind, detail) => {
    try {
      window.__xssHit(kind, String(detail).slice(0, 300));
    } catch {
      // the binding is not there (a frame torn down): the DOM audit and the routes still see it
    }
  };
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    Object.defineProperty(window, name, {
      value: (...args) => {
        report(name, args.join(' '));
        return null;
      },
      writable: false,
      configurable: false,
    });
  }
  document.addEventListener('securitypolicyviolation', (e) => report('csp', `${e.violatedDirective} ${e.blockedURI} ${e.sample}`), true);
}

/** Runs in the page after a rendering: what could run on a click or a hover, and the page's text. */
function auditPage() {
  const bad = [];
  const origin = location.origin;
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster', 'codebase', 'cite', 'ping', 'srcset', 'lowsrc', 'dynsrc']);
  const foreign = (v) => {
    try {
      return new URL(v, location.href).origin !== origin;
    } catch {
      return true;
    }
  };
  const texts = [];
  const scripts = new Set();
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.localName;
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n.startsWith('on')) bad.push(`${tag}[${n}]`);
        if (n === 'srcdoc' || n === 'http-equiv') bad.push(`${tag}[${n}]`);
        if (URL_ATTRS.has(n)) {
          const v = a.value.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
          if (/^(javascript|vbscript|data|blob|filesystem):/.test(v)) bad.push(`${tag}[${n}=${a.value.slice(0, 60)}]`);
        }
      }
      if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal', 'fencedframe'].includes(tag)) bad.push(tag);
      if (tag === 'script') {
        // Only the page's own scripts, each once: the error page's checks.js and the language
        // file it adds, the explainer's and the element's modules.
        const src = el.hasAttribute('src') ? new URL(el.getAttribute('src'), location.href) : null;
        const mine = src && src.origin === origin && /^\/__gatewise\/(checks(\.[\w-]+)?|explainer|element)\.js$/.test(src.pathname);
        if (!mine || scripts.has(src.href)) bad.push(`script ${el.getAttribute('src') ?? 'inline'}`);
        if (src) scripts.add(src.href);
      }
      if (tag === 'link' && el.hasAttribute('href') && foreign(el.getAttribute('href'))) bad.push('link');
      if (tag === 'style' && /@import|url\s*\(|expression\s*\(/i.test(el.textContent)) bad.push('style @import/url()');
      if (tag === 'textarea' || tag === 'input') texts.push(el.value);
      if (el.shadowRoot) {
        texts.push(el.shadowRoot.textContent);
        walk(el.shadowRoot);
      }
    }
  };
  walk(document);
  texts.push(document.documentElement.textContent, document.title);
  return { bad, text: texts.join('\n') };
}

async function newHookedContext() {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'en-US', serviceWorkers: 'block' });
  await context.exposeBinding('__xssHit', (source, kind, detail) => {
    hits.push({ label: labelOf(source.page), kind, detail, frame: source.frame.url().slice(0, 120) });
  });
  // The hooks, and the audit as a non-writable global for the test's own evaluations.
  await context.addInitScript({
    content: `(${hookScript})();\nObject.defineProperty(window, '__xssAudit', { value: ${auditPage} });`,
  });
  await context.route('**/*', route);
  return context;
}

function watch(page) {
  page.on('dialog', (d) => {
    hits.push({ label: labelOf(page), kind: 'dialog', detail: `${d.type()} ${d.message()}` });
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => problems.push(`${labelOf(page)}: pageerror ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) hits.push({ label: labelOf(page), kind: 'csp-console', detail: m.text().slice(0, 200) });
  });
  page.on('framenavigated', (f) => {
    const u = new URL(f.url());
    if (!isOwn(u)) hits.push({ label: labelOf(page), kind: 'navigation', detail: f.url().slice(0, 120) });
  });
}

const own = () => [visitorWorker.url, ownerWorker.url].map((u) => new URL(u).origin);
const isOwn = (u) => own().includes(u.origin) || u.href === 'about:blank';

/** Every request of every page: the page's own files and endpoints, or a hit. */
async function route(r) {
  const req = r.request();
  const u = new URL(req.url());
  const page = req.frame()?.page?.();
  if (own().includes(u.origin)) {
    if (u.pathname.startsWith('/__xss/')) {
      const doc = docs.get(u.pathname);
      if (doc) return r.fulfill(doc);
    } else if (u.pathname.startsWith('/__gatewise/') || (u.pathname.startsWith('/p/') && req.isNavigationRequest()) || u.pathname === '/favicon.ico') {
      if (u.pathname === '/__gatewise/index.html' && labelOf(page).includes('no CSP')) {
        // The explainer exactly as the worker serves it, minus its CSP.
        const res = await r.fetch();
        return r.fulfill({ response: res, headers: servedHeaders(res.headers(), { csp: false }) });
      }
      return r.continue();
    }
  } else if (CHECK_HOSTS.has(u.host)) {
    // The live checks' other sites and DNS-over-HTTPS resolver, answered here.
    if (u.host === new URL(MODEL.resolver).host) {
      const name = u.searchParams.get('name') ?? '';
      const type = u.searchParams.get('type') === 'AAAA' ? 28 : 1;
      const body = { Status: 0, Question: [{ name, type }], Answer: [{ name: `${name}.`, type, TTL: 60, data: type === 1 ? '192.0.2.10' : '2001:db8::10' }] };
      return r.fulfill({ status: 200, headers: { 'content-type': 'application/dns-json', 'access-control-allow-origin': '*' }, body: JSON.stringify(body) });
    }
    return r.fulfill({ status: 204, headers: { 'access-control-allow-origin': '*' } });
  }
  hits.push({ label: labelOf(page), kind: 'request', detail: `${req.resourceType()} ${req.url().slice(0, 160)}` });
  return r.abort('blockedbyclient');
}

/** Runs `tasks` (async (page) => void) on PARALLEL pages of `context`. */
async function pool(context, tasks) {
  let next = 0;
  const lane = async () => {
    const page = await context.newPage();
    watch(page);
    while (next < tasks.length) {
      const task = tasks[next++];
      await task(page);
    }
    await page.close();
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, tasks.length) }, lane));
}

/** Loads `url` in `page` as `label`; waits for the live checks' panel when the page has it. */
async function render(page, label, url, { checks = false, headers, timeout = 20000 } = {}) {
  labels.set(page, label);
  await page.setExtraHTTPHeaders(headers ?? {});
  await page.goto(url, { waitUntil: 'load', timeout });
  if (checks) await page.waitForSelector('#gw-checks', { timeout });
}

/**
 * Records what the audit `a` found, checks that `text` reached the page (`null`: a surface that
 * reflects nothing the visitor sent — the worker's own request id, no cf-ray), counts the rendering.
 */
function seen(label, surface, a, text) {
  for (const b of a.bad) hits.push({ label, kind: 'dom', detail: b });
  if (text !== null) assert.ok(a.text.includes(text), `${label}: the payload's text ${JSON.stringify(text)} is on the page`);
  count(surface);
}

/** Audits `page` and checks that `text` reached it. */
async function inspect(page, label, text, surface) {
  seen(label, surface, await page.evaluate(() => window.__xssAudit()), text);
}

/**
 * In the explainer: opens the fragment `hash` as a followed link would; its state, inputs and
 * audit. The explainer's own debounced re-explanation of typed input may rewrite the fragment
 * in between (replaceState): then the link is followed again.
 */
async function fragment(hash) {
  const status = document.querySelector('#status');
  for (let attempt = 0; attempt < 5; attempt++) {
    await new Promise((resolve) => {
      history.replaceState(null, '', '#');
      status.dataset.state = 'waiting-for-test';
      addEventListener('hashchange', () => setTimeout(resolve), { once: true });
      location.hash = hash;
    });
    if (location.hash === `#${hash}`) break;
  }
  return {
    state: status.dataset.state,
    value: document.querySelector('#input').value,
    url: document.querySelector('#url').value,
    audit: window.__xssAudit(),
  };
}

// ---------------------------------------------------------------------------------------------

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  assert.ok(PAYLOADS.length >= 50, `the corpus has ${PAYLOADS.length} payloads`);
  upstream = await upstreamServer();
  const refused = await closedPort();
  const common = { RETRY_MAX_ATTEMPTS: '1', DRILL_BUDGET_MS: '0', STALE_IF_ERROR: '0', TIMEOUT_MS: '3000' };
  [visitorWorker, ownerWorker] = await Promise.all([
    startWorker({ ...common, ORIGIN_URL: `http://127.0.0.1:${refused}` }, { assets: DIST }),
    startWorker({ ...common, ORIGIN_URL: `http://127.0.0.1:${upstream.address().port}`, INTERCEPT_MODE: 'replace-html' }, { assets: DIST }),
  ]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await Promise.all([visitorWorker?.close(), ownerWorker?.close()]);
  await new Promise((r) => (upstream ? upstream.close(r) : r()));
});

test('controls: each hook fires on a page that does inject a payload', async () => {
  const context = await newHookedContext();
  const page = await context.newPage();
  watch(page);
  const before = hits.length;
  const inject = '<p>x</p><img src=x onerror=alert(1)><script>alert(2)</script><svg onload=alert(3)>';
  docs.set('/__xss/control/plain', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><title>c</title>${inject}` });
  await render(page, 'control without CSP', `${visitorWorker.url}__xss/control/plain`);
  await page.waitForTimeout(100);
  const a = await page.evaluate(() => window.__xssAudit());
  const mine = hits.splice(before);
  const kinds = mine.map((h) => `${h.kind} ${h.detail}`).sort();
  assert.ok(kinds.includes('alert 1') && kinds.includes('alert 2') && kinds.includes('alert 3'), kinds.join('; '));
  assert.ok(mine.some((h) => h.kind === 'request' && h.detail.includes('/__xss/control/x')), 'the request to x is seen');
  assert.deepEqual(a.bad.sort(), ['img[onerror]', 'script inline', 'svg[onload]']);

  // The same under the worker's own CSP: nothing runs, and the violations are reported.
  const res = await exchange(visitorWorker.url, '/control', HTML);
  assert.equal(res.status, 502);
  docs.set('/__xss/control/csp', { status: 200, headers: servedHeaders(res.headers), body: `<!doctype html><title>c</title>${inject}` });
  await render(page, 'control with CSP', `${visitorWorker.url}__xss/control/csp`);
  await page.waitForTimeout(100);
  const blocked = hits.splice(before);
  assert.ok(!blocked.some((h) => h.kind === 'alert'), 'the CSP stops them');
  assert.ok(blocked.filter((h) => h.kind === 'csp').length >= 2, blocked.map((h) => `${h.kind} ${h.detail}`).join('; '));
  await context.close();

  // A real dialog (no init script): the dialog hook sees it.
  const bare = await browser.newContext();
  const p2 = await bare.newPage();
  watch(p2);
  labels.set(p2, 'control dialog');
  await p2.setContent('<script>setTimeout(() => alert("real"), 0)</script>');
  await p2.waitForTimeout(200);
  const dialogs = hits.splice(before);
  assert.deepEqual(dialogs.map((h) => `${h.kind} ${h.detail}`), ['dialog alert real']);
  await bare.close();
});

test('headers: the worker\'s error answers (HTML, problem JSON, text, owner view) and the browser page\'s files', async () => {
  for (const [path, headers, type] of [
    ['/a?b=1', HTML, /^text\/html/],
    ['/a?b=1', { accept: 'application/json' }, /^application\/problem\+json/],
    ['/a?b=1', { accept: '*/*', 'user-agent': 'curl/8.5.0' }, /^text\/plain/],
    ['/a?b=1', { ...HTML, 'x-gatewise-debug': TOKEN }, /^text\/html/],
  ]) {
    const res = await exchange(visitorWorker.url, path, headers);
    assert.equal(res.status, 502);
    assert.match(res.headers['content-type'], type);
    assertErrorHeaders(res.headers, `${headers.accept} ${res.headers['content-type']}`);
  }
  const owner = await exchange(ownerWorker.url, '/u/0', { ...HTML, 'x-gatewise-debug': TOKEN });
  assert.equal(owner.status, 502);
  assert.match(owner.headers['content-type'], /^text\/html/);
  assertErrorHeaders(owner.headers, 'replace-html owner page');
  // The explainer and the element's module, from the ASSETS binding through the worker.
  for (const file of ['index.html', 'element.js', 'explainer.js', 'checks.js']) {
    const res = await exchange(visitorWorker.url, `/__gatewise/${file}`, HTML);
    assert.equal(res.status, 200, file);
    assertSecurityHeaders(res.headers, file);
    if (file === 'index.html') assert.match(res.headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval';/);
  }
});

/** `headers` without what forbids framing (the CSP's frame-ancestors, X-Frame-Options). */
function framable(headers) {
  const out = { ...headers };
  delete out['x-frame-options'];
  if (out['content-security-policy']) {
    out['content-security-policy'] = out['content-security-policy']
      .split(';')
      .filter((d) => !d.trim().startsWith('frame-ancestors'))
      .join(';');
  }
  return out;
}

/** The core renderer's page for `p`: the payload in every field it reflects, owner details on. */
function corePage(p) {
  const d = gw.classifyResponse({ status: 502, headers: [['server', 'nginx'], ['proxy-status', 'nginx; error=connection_refused']], body: '' });
  Object.assign(d, {
    detail: p,
    vendorCode: p,
    evidence: [...d.evidence, { source: 'header', fact: p }, { source: 'body', fact: p, rule: p }],
    chain: [{ proxy: p, error: 'connection_refused', nextHop: p, details: p }],
  });
  return gw.renderPage(d, {
    lang: 'en',
    requestId: p,
    time: p,
    url: p,
    siteName: p,
    contact: p,
    statusPage: p,
    scriptNonce: p,
    ownerDetails: true,
    checksScript: '/__gatewise/checks.js',
    checks: { health: '/__gatewise/health', originStatus: '/__gatewise/origin-status', resolver: MODEL.resolver, sites: MODEL.sites, host: p },
  });
}

test('the error page: every payload in the request, the upstream and every field the core renders — nothing runs', async () => {
  let started = performance.now();
  const context = await newHookedContext();
  // Documents shown again without their CSP (and the JSON and text answers), batched as frames.
  const framed = [];
  const tasks = PAYLOADS.map((p, i) => async (page) => {
    const n = needle(p);
    const target = `/p/${rawTarget(p)}?q=${rawTarget(p)}`;
    // The worker's answers: the visitor's page (payload in the path, query and headers), the
    // owner's view of an upstream 502 carrying the payload, problem JSON and text.
    const [html, owner, json, text] = await Promise.all([
      exchange(visitorWorker.url, target, hostileHeaders(p, HTML)),
      exchange(ownerWorker.url, `/u/${i}?q=${rawTarget(p)}`, hostileHeaders(p, { ...HTML, 'x-gatewise-debug': TOKEN })),
      exchange(visitorWorker.url, target, hostileHeaders(p, { accept: 'application/json', 'x-gatewise-debug': TOKEN })),
      exchange(visitorWorker.url, target, hostileHeaders(p, { accept: '*/*', 'user-agent': 'curl/8.5.0', 'x-gatewise-debug': TOKEN })),
    ]);
    for (const [what, res, type] of [
      ['html', html, /^text\/html/],
      ['owner html', owner, /^text\/html/],
      ['problem JSON', json, /^application\/problem\+json/],
      ['text', text, /^text\/plain/],
    ]) {
      assert.equal(res.status, 502, `#${i} ${what}: ${res.body.slice(0, 200)}`);
      assert.match(res.headers['content-type'], type, `#${i} ${what}: the worker wrote it`);
      assertErrorHeaders(res.headers, `#${i} ${what}`);
    }
    // The request id is the worker's own: a visitor's cf-ray or x-request-id never becomes it.
    const { requestId } = JSON.parse(json.body);
    assert.match(requestId, /^gw-[0-9a-f]{16}$/, `#${i} problem JSON: the request id is the worker's`);
    assert.ok(!requestId.includes(n), `#${i} problem JSON: no payload in the request id`);
    const core = corePage(p);

    // As served (the worker's own headers, its CSP), each its own top-level document.
    const docsOf = [
      ['visitor', visitorWorker, html, 'error page: worker, visitor'],
      ['owner', ownerWorker, owner, 'error page: worker, owner view'],
      ['core', visitorWorker, { status: 502, headers: html.headers, body: core }, 'error page: core renderer, every field'],
    ];
    for (const [kind, w, res, surface] of docsOf) {
      const path = `/__xss/${kind}/csp/${i}`;
      docs.set(path, { status: res.status, headers: servedHeaders(res.headers), body: res.body });
      const label = `#${i} ${surface}`;
      await render(page, label, `${w.url}${path.slice(1)}`, { checks: kind === 'visitor' });
      if (kind === 'visitor') {
        // "Copy details": the support text quotes the worker's request id (kept from the clipboard
        // call: the lanes share one clipboard).
        await page.evaluate(() => {
          navigator.clipboard.writeText = async (t) => {
            window.__copied = t;
          };
        });
        await page.click('#gw-copy');
        await page.waitForSelector('#gw-copied[data-copied=yes]');
        const copied = await page.evaluate(() => window.__copied);
        // The request id is the worker's own (a visitor's cf-ray or x-request-id never becomes it).
        assert.match(copied, /gw-[0-9a-f]{16}/, `${label}: the support text quotes the request id:\n${copied}`);
        assert.ok(!copied.includes(n), `${label}: no payload in the support text:\n${copied}`);
      }
      // Only the owner's view and the core renderer reflect the payload (the upstream's answer,
      // every field); the visitor's page shows nothing the visitor sent.
      const reflected = kind === 'visitor' ? null : n;
      await inspect(page, label, reflected, surface);
      // The same markup without any CSP: it must be inert by itself.
      const bare = `/__xss/${kind}/bare/${i}`;
      docs.set(bare, { status: res.status, headers: framable(servedHeaders(res.headers, { csp: false })), body: res.body });
      framed.push({ i, path: bare, surface: `${surface}, no CSP`, text: reflected });
    }
    for (const [kind, res, shown] of [
      ['problem JSON', json, null],
      ['text', text, null],
    ]) {
      const path = `/__xss/${kind.replace(' ', '-')}/${i}`;
      docs.set(path, { status: res.status, headers: framable(servedHeaders(res.headers)), body: res.body });
      framed.push({ i, path, surface: `error ${kind}: worker`, text: shown });
    }

    // Navigated to by the browser itself: it encodes the path and query; the cf-ray and
    // X-Request-Id headers carry the payload (printable ASCII: what a browser can send).
    const typed = p.replace(/[#?%/]/g, encodeURIComponent);
    const label = `#${i} error page (browser request)`;
    const ascii = p.replace(/[^\x20-\x7e]/g, '?').trim();
    await render(page, label, `${visitorWorker.url}p/${typed}?q=${typed}`, { headers: { 'cf-ray': ascii, 'x-request-id': ascii } });
    await inspect(page, label, null, 'error page: worker, browser request');
  });
  await pool(context, tasks);
  phases.set('error page: top-level documents', performance.now() - started);
  started = performance.now();

  // The framed documents, many to a page (each frame its own document, hooks and audit).
  const FRAMES = 15;
  const pages = [];
  for (let k = 0; k * FRAMES < framed.length; k++) {
    const batch = framed.slice(k * FRAMES, (k + 1) * FRAMES);
    const path = `/__xss/frames/${k}`;
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>frames ${k}</title></head><body>${batch
      .map((f) => `<iframe src="${f.path}" width="800" height="300"></iframe>`)
      .join('')}</body></html>`;
    docs.set(path, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body });
    pages.push(async (page) => {
      await render(page, `frames ${k}`, `${visitorWorker.url}${path.slice(1)}`, { timeout: 60000 });
      const audits = await page.evaluate(() => [...document.querySelectorAll('iframe')].map((f) => ({ path: new URL(f.src).pathname, audit: f.contentWindow.__xssAudit() })));
      assert.equal(audits.length, batch.length);
      for (const [j, f] of batch.entries()) {
        assert.equal(audits[j].path, f.path);
        seen(`#${f.i} ${f.surface}`, f.surface, audits[j].audit, f.text);
      }
    });
  }
  await pool(context, pages);
  phases.set('error page: framed documents', performance.now() - started);
  await context.close();
});

/** The explainer's inputs for `p`: bare, in a raw HTTP response, in an nginx error.log line. */
function explainerInputs(p) {
  const response =
    `HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n` +
    `Proxy-Status: nginx; error=connection_refused; details=${sfString(p)}\r\nX-Note: ${p}\r\n\r\n` +
    `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n<p>${p}</p>\r\n</body>\r\n</html>\r\n`;
  const log =
    '2026/11/21 06:18:29 [error] 17702#17702: *1 connect() failed (111: Connection refused) while connecting to upstream, ' +
    `client: 127.0.0.1, server: ${p}, request: "GET /${p} HTTP/1.1", upstream: "http://127.0.0.1:18100/${p}", host: "${p}"`;
  return [
    ['bare', p],
    ['raw response', response],
    ['nginx error.log', log],
  ];
}

/** What the core makes of `text`: the explainer's #status data-state. */
function expectedState(text) {
  if (!text.trim()) return 'empty';
  try {
    gw.explain(text, { lang: 'en' });
    return 'explained';
  } catch (e) {
    return e.code;
  }
}

test('the explainer: every payload typed, in the fragment, in a raw response, a log line and as the address — nothing runs', async () => {
  const started = performance.now();
  const context = await newHookedContext();
  const states = {};
  await Promise.all(
    [true, false].map(async (csp) => {
      const mode = csp ? '' : ', no CSP';
      const page = await context.newPage();
      watch(page);
      labels.set(page, `explainer (load${mode})`);
      await page.goto(`${visitorWorker.url}__gatewise/index.html`);
      await page.waitForSelector('html[data-ready=true]');
      const served = await page.evaluate(() => document.querySelector('#status').dataset.state);
      assert.equal(served, 'ready');
      for (const [i, p] of PAYLOADS.entries()) {
        for (const [kind, input] of explainerInputs(p)) {
          // What a text area holds (and the fragment then carries): line breaks as \n.
          const text = input.replace(/\r\n?/g, '\n');
          const want = expectedState(text);
          states[`${kind} ${want}`] = (states[`${kind} ${want}`] ?? 0) + 1;
          // Typed into the input, then "Explain".
          let label = `#${i} explainer (typed, ${kind}${mode})`;
          labels.set(page, label);
          await page.evaluate(() => {
            const input = document.querySelector('#input');
            input.focus();
            input.select();
          });
          await page.keyboard.insertText(text);
          let r = await page.evaluate(() => {
            const status = document.querySelector('#status');
            status.dataset.state = 'waiting-for-test';
            document.querySelector('#explain-form button[type=submit]').click();
            return { state: status.dataset.state, value: document.querySelector('#input').value, audit: window.__xssAudit() };
          });
          seen(label, `explainer: typed, ${kind}${mode}`, r.audit, needle(p));
          assert.deepEqual([r.state, r.value], [want, text], label);

          // In the URL fragment (#q=), as a shared link opens it.
          label = `#${i} explainer (fragment, ${kind}${mode})`;
          labels.set(page, label);
          r = await page.evaluate(fragment, `q=${encodeURIComponent(text)}`);
          seen(label, `explainer: fragment, ${kind}${mode}`, r.audit, needle(p));
          assert.deepEqual([r.state, r.value], [want, text], label);
        }
        // As the address to check (#url=).
        const label = `#${i} explainer (address to check${mode})`;
        labels.set(page, label);
        const r = await page.evaluate(fragment, `url=${encodeURIComponent(p)}`);
        seen(label, `explainer: address to check${mode}`, r.audit, needle(p));
        // An <input type=url> drops leading and trailing whitespace (value sanitization).
        assert.equal(r.url, p.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, ''), label);
      }
      // Let the last checks (a payload that is a URL on ok.example) settle before closing.
      await page.waitForTimeout(300);
      await page.close();
    }),
  );
  await context.close();
  phases.set('explainer', performance.now() - started);
  // Non-vacuity: the raw responses and log lines were read by the core, not rejected.
  assert.equal(states['raw response explained'], PAYLOADS.length * 2, JSON.stringify(states));
  assert.ok((states['nginx error.log explained'] ?? 0) > 0, JSON.stringify(states));
});

test('<gatewise-error>: every payload in every attribute and in the diagnosis property — nothing runs', async () => {
  const started = performance.now();
  const context = await newHookedContext();
  const assetHeaders = (await exchange(visitorWorker.url, '/__gatewise/index.html', HTML)).headers;
  const host =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>My shop</title>' +
    '<script type="module" src="/__gatewise/element.js"></script></head><body><main id="host"><h1>Orders</h1></main></body></html>';
  for (const csp of [true, false]) {
    const mode = csp ? '' : ', no CSP';
    const headers = { 'content-type': 'text/html; charset=utf-8', ...(csp ? { 'content-security-policy': assetHeaders['content-security-policy'] } : {}) };
    docs.set(`/__xss/host/${csp}`, { status: 200, headers, body: host });
    const page = await context.newPage();
    watch(page);
    await render(page, `element host page${mode}`, `${visitorWorker.url}__xss/host/${csp}`);
    await page.waitForFunction(() => customElements.get('gatewise-error'));
    // The element loads the core when the first one is connected; load it now, so that the
    // elements below render as soon as they are appended.
    await page.evaluate(() => customElements.get('gatewise-error').load());
    const base = gw.classifyResponse({ status: 502, headers: [['server', 'nginx'], ['proxy-status', 'nginx; error=connection_refused']], body: '' });
    const shown = await page.evaluate(
      ({ payloads, base }) => {
        const host = document.getElementById('host');
        const out = [];
        payloads.forEach((p, i) => {
          // 1. A valid status; the payload as the request id, language and heading level.
          const a = document.createElement('gatewise-error');
          a.setAttribute('status', '502');
          for (const name of ['request-id', 'lang', 'heading-level', 'details']) a.setAttribute(name, p);
          // 2. The payload in every attribute, the status too (nothing valid to show).
          const b = document.createElement('gatewise-error');
          for (const name of ['status', 'request-id', 'lang', 'heading-level', 'details']) b.setAttribute(name, p);
          // 3. The diagnosis property with the payload in every string it has.
          const c = document.createElement('gatewise-error');
          c.setAttribute('request-id', p);
          c.setAttribute('details', '');
          c.diagnosis = { ...base, detail: p, vendorCode: p, evidence: [{ source: 'header', fact: p }], chain: [{ proxy: p, error: 'connection_refused', nextHop: p, details: p }] };
          host.append(a, b, c);
          out.push({
            i,
            a: a.shadowRoot?.textContent ?? '',
            aTitle: !!a.shadowRoot?.querySelector('[part=title]'),
            bAttrs: ['status', 'request-id', 'lang', 'heading-level', 'details'].every((n) => b.getAttribute(n) === p),
            bShown: b.shadowRoot?.querySelector('section') != null,
            c: c.shadowRoot?.textContent ?? '',
            cTitle: !!c.shadowRoot?.querySelector('[part=title]'),
          });
        });
        return out;
      },
      { payloads: PAYLOADS, base },
    );
    for (const s of shown) {
      const p = PAYLOADS[s.i];
      assert.ok(s.aTitle && s.a.includes(p.slice(0, 256)), `#${s.i} element (attributes${mode}): the request id is shown as text`);
      assert.ok(s.bAttrs, `#${s.i} element (every attribute${mode}) holds the payload`);
      assert.equal(s.bShown, false, `#${s.i} element (every attribute${mode}): an invalid status shows nothing`);
      assert.ok(s.cTitle && s.c.includes(p.slice(0, 256)), `#${s.i} element (diagnosis property${mode}): rendered, the request id as text`);
    }
    count(`element: attributes${mode}`, shown.length);
    count(`element: every attribute${mode}`, shown.length);
    count(`element: diagnosis property${mode}`, shown.length);
    await page.waitForTimeout(100);
    const a = await page.evaluate(() => window.__xssAudit());
    for (const b of a.bad) hits.push({ label: `element host page${mode}`, kind: 'dom', detail: b });
    await page.close();
  }
  await context.close();
  phases.set('element', performance.now() - started);
});

test('verdict: no payload ran or was injected anywhere (and the count of renderings)', () => {
  const renderings = [...tried.values()].reduce((a, b) => a + b, 0);
  const bySurface = Object.fromEntries([...tried.entries()].sort());
  const ms = Math.round(performance.now() - t0);
  const phaseMs = Object.fromEntries([...phases].map(([k, v]) => [k, Math.round(v)]));
  const report = { payloads: PAYLOADS.length, renderings, surfaces: bySurface, phaseMs, executions: hits.length, hits: hits.slice(0, 50), problems: problems.slice(0, 50), ms };
  writeFileSync(`${ARTIFACTS}xss.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`# xss: ${PAYLOADS.length} payloads × ${tried.size} surfaces = ${renderings} renderings in ${ms} ms; hits: ${hits.length}`);
  for (const [s, n] of Object.entries(bySurface)) console.log(`#   ${String(n).padStart(4)}  ${s}`);
  for (const [s, n] of Object.entries(phaseMs)) console.log(`#   ${s}: ${n} ms`);
  // Every surface saw every payload.
  for (const [s, n] of tried) assert.equal(n, PAYLOADS.length, `${s}: ${n} renderings`);
  // 9 of the error page, 14 of the explainer, 6 of the element.
  assert.equal(tried.size, 29, Object.keys(bySurface).join(', '));
  assert.deepEqual(hits, [], 'no script ran, no injected request, no injected markup');
  assert.deepEqual(problems, [], 'no page error');
});
