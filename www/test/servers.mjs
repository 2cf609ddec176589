// The world the browser page is tested in, all on 127.0.0.1:
//   origin   the site's server: up (answers), down (refuses connections) or hang (accepts, never answers)
//   edge     emulates the gatewise worker: proxies to the origin; when that fails, the error page
//            the core renders (the npm package's renderPage, checksScript set, served under a CSP
//            without 'unsafe-inline' for scripts), /__gatewise/health, /__gatewise/origin-status
//            (a probe of the origin, the worker's JSON), /__test/recheck (the worker's re-check of
//            the failed address, its JSON: ?path= repeats that path on the origin, ?state= answers
//            a fixed state), and www/dist under /__gatewise/ (the worker itself, built, runs in
//            www/test/recheck.test.mjs)
//   others   other sites (/ping) and a DNS-over-HTTPS JSON resolver (/dns-query), cross-origin
//   hang     answers nothing, ever (every check times out against it)
import { createServer, request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as gw from '../../packages/gatewise/dist/index.node.js';
import { lookupLanguage } from '../src/checks/lang.js';

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
/** The CSP of the error page (the issue's: no 'unsafe-inline' for scripts, no 'wasm-unsafe-eval'). */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; connect-src *";
/** The explainer and the element need the wasm core: the same CSP plus 'wasm-unsafe-eval'. */
export const WASM_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data:; connect-src *";
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};
export const ORIGIN_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>' +
  '<body><main><h1>Welcome to the shop</h1></main></body></html>';

function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

function close(server) {
  if (!server) return Promise.resolve();
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** One HTTP exchange without connection reuse: { status, headers, body } or a thrown Node error. */
export function exchange(url, { method = 'GET', timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => {
      const e = new Error(`no answer within ${timeoutMs} ms`);
      e.name = 'TimeoutError';
      req.destroy(e);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The site's server, switchable between up, down and hang on one port. */
export class Origin {
  server = null;
  mode = 'down';
  port = 0;

  async init() {
    const probe = createServer();
    this.port = await listen(probe);
    await close(probe);
    return this;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async set(mode) {
    await close(this.server);
    this.server = null;
    this.mode = mode;
    if (mode === 'down') return;
    this.server = createServer((req, res) => {
      if (mode === 'up') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ORIGIN_PAGE);
      // hang: accept, read, never answer
    });
    await listen(this.server, this.port);
  }

  close() {
    return close(this.server);
  }
}

/** Other sites and a DoH JSON resolver: `shop.example` and `localhost` resolve, `*.invalid` does not. */
async function others() {
  const log = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    log.push(u.pathname);
    if (u.pathname === '/ping') return res.writeHead(204).end();
    if (u.pathname === '/dns-query') {
      const name = u.searchParams.get('name') ?? '';
      const type = u.searchParams.get('type') === 'AAAA' ? 28 : 1;
      const exists = !name.endsWith('.invalid');
      const body = exists
        ? { Status: 0, Question: [{ name, type }], Answer: [{ name: `${name}.`, type, TTL: 60, data: type === 1 ? '192.0.2.10' : '2001:db8::10' }] }
        : { Status: 3, Question: [{ name, type }] };
      return res
        .writeHead(200, { 'content-type': 'application/dns-json', 'access-control-allow-origin': '*' })
        .end(JSON.stringify(body));
    }
    res.writeHead(404).end();
  });
  const port = await listen(server);
  return { server, url: `http://127.0.0.1:${port}`, log };
}

async function hang() {
  const server = createServer(() => {});
  const port = await listen(server);
  return { server, url: `http://127.0.0.1:${port}` };
}

const HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>My shop: orders</title>
<style>:root{color-scheme:light dark}body{background:Canvas;color:CanvasText;font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
gatewise-error{--gatewise-radius:12px}</style>
<script type="module" src="/__gatewise/element.js"></script></head>
<body><main><h1>Your orders</h1><p>Loading your orders failed.</p>
<gatewise-error status="502" request-id="8a1b2c3d" details><button type="button">Try again</button></gatewise-error>
</main></body></html>`;

/** When the emulated failures happen (a fixed moment, so that pages compare). */
export const FAILED_AT = Date.UTC(2026, 10, 21, 6, 18, 29);

/** The failure's time as the worker writes it for a reader of `tag` (worker/js/forward.js localTime). */
export function localTime(tag, ms = FAILED_AT) {
  return new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'long', timeZone: 'UTC' }).format(ms);
}

function languagesOf(header) {
  return (header ?? 'en')
    .split(',')
    .map((p) => p.split(';')[0].trim())
    .filter(Boolean);
}

/** Starts the world; `stop()` ends it. */
export async function startWorld() {
  const origin = await new Origin().init();
  const other = await others();
  const hanging = await hang();
  let requests = 0;
  const state = { checksConfig: {}, explainerChecks: null };
  let base = '';

  const defaults = (url) => ({
    sites: [`${other.url}/ping`],
    resolver: `${other.url}/dns-query`,
    host: 'shop.example',
    page: `/__test/recheck?path=${encodeURIComponent(url.pathname)}`,
  });

  function errorPage(req, res, diagnosis, url) {
    requests += 1;
    let extra = {};
    try {
      extra = JSON.parse(url.searchParams.get('cfg') ?? '{}');
    } catch {
      // none
    }
    const langs = languagesOf(req.headers['accept-language']);
    const languages = gw.languages();
    const tag = langs.map((l) => lookupLanguage(l, languages)).find(Boolean) ?? 'en';
    const html = gw.renderPage(diagnosis, {
      lang: langs,
      requestId: `gw-test-${requests}`,
      time: localTime(tag),
      url: `${base}${url.pathname}`,
      siteName: 'Shop',
      checksScript: '/__gatewise/checks.js',
      checks: { ...defaults(url), ...state.checksConfig, ...extra },
    });
    res
      .writeHead(diagnosis.status, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PAGE_CSP,
        'cache-control': 'private, no-store',
      })
      .end(html);
  }

  async function originStatus(res) {
    const t0 = Date.now();
    let body;
    try {
      const r = await exchange(`${origin.url}/`, { method: 'HEAD', timeoutMs: 5000 });
      const d = gw.classifyResponse({ status: r.status, headers: Object.entries(r.headers).map(([k, v]) => [k, String(v)]) });
      const up = r.status < 500 || d.errorType == null;
      body = { state: up ? 'reachable' : 'failing', status: r.status, ms: Date.now() - t0, diagnosis: up ? null : d };
    } catch (e) {
      body = { state: 'unreachable', status: null, ms: Date.now() - t0, diagnosis: gw.classifyError(e, { runtime: 'node' }) };
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, no-store' }).end(JSON.stringify(body));
  }

  /** The worker's re-check, emulated: the path again on the origin (GET), or a fixed state. */
  async function recheck(res, url) {
    let body;
    const fixed = url.searchParams.get('state');
    if (fixed) {
      body = { state: fixed, method: 'GET', status: fixed === 'answers' ? 200 : 502, diagnosis: null };
    } else {
      try {
        const r = await exchange(`${origin.url}${url.searchParams.get('path') ?? '/'}`, { timeoutMs: 2000 });
        const up = r.status < 500;
        body = { state: up ? 'answers' : 'failing', method: 'GET', status: r.status, diagnosis: null };
      } catch (e) {
        body = { state: 'unreachable', method: 'GET', status: null, diagnosis: gw.classifyError(e, { runtime: 'node' }) };
      }
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, no-store' }).end(JSON.stringify(body));
  }

  async function file(res, name, csp) {
    const path = normalize(join(DIST, name));
    if (!path.startsWith(DIST)) return res.writeHead(403).end();
    try {
      const body = await readFile(path);
      const headers = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' };
      if (extname(path) === '.html') {
        headers['content-security-policy'] = csp;
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    }
  }

  const edge = createServer(async (req, res) => {
    const url = new URL(req.url, base);
    const p = url.pathname;
    if (p === '/__gatewise/health') {
      return res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, no-store' })
        .end('{"status":"ok","worker":"gatewise-test","config":"ok","breaker":"closed"}');
    }
    if (p === '/__gatewise/origin-status') return originStatus(res);
    if (p === '/__test/recheck') return recheck(res, url);
    if (p === '/__gatewise/index.html' && state.explainerChecks) {
      // The explainer with a checks configuration of the test's (its data-gatewise-config).
      const html = (await readFile(join(DIST, 'index.html'), 'utf8')).replace(
        `data-gatewise-config='{"checks":{}}'`,
        `data-gatewise-config='${JSON.stringify({ checks: state.explainerChecks })}'`,
      );
      return res.writeHead(200, { 'content-type': TYPES['.html'], 'content-security-policy': WASM_CSP }).end(html);
    }
    if (p.startsWith('/__gatewise/')) return file(res, p.slice('/__gatewise/'.length) || 'index.html', WASM_CSP);
    if (p === '/host.html') {
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': WASM_CSP }).end(HOST_PAGE);
    }
    if (p === '/__test/hang') return; // never answers (the connection is closed at stop())
    if (p === '/__test/error') {
      // An error page whatever the origin does (the failure given by ?type=).
      const type = url.searchParams.get('type') ?? 'connection_refused';
      const d = type === 'timeout'
        ? gw.classifyError(Object.assign(new Error('timeout'), { name: 'TimeoutError' }), { runtime: 'node' })
        : gw.classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { runtime: 'node' });
      d.layer = 'gatewise';
      return errorPage(req, res, d, url);
    }
    // Everything else: the site, through the "edge".
    try {
      const r = await exchange(`${origin.url}${url.pathname}`, { timeoutMs: 1500 });
      res.writeHead(r.status, { 'content-type': r.headers['content-type'] ?? 'text/plain' }).end(r.body);
    } catch (e) {
      const d = gw.classifyError(e, { runtime: 'node' });
      d.layer = 'gatewise';
      errorPage(req, res, d, url);
    }
  });
  const port = await listen(edge);
  base = `http://127.0.0.1:${port}`;
  return {
    base,
    origin,
    others: other,
    hang: hanging,
    state,
    /** The checks configuration where every request hangs. */
    allHanging: () => ({
      sites: [`${hanging.url}/site`],
      resolver: `${hanging.url}/dns-query`,
      health: `${hanging.url}/health`,
      originStatus: `${hanging.url}/origin-status`,
      // A same-origin path that never answers (the re-check is the page's own edge only).
      page: '/__test/hang',
    }),
    async stop() {
      await Promise.all([close(edge), origin.close(), close(other.server), close(hanging.server)]);
    },
  };
}
