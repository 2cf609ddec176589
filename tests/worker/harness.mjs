// Runs the BUILT worker (worker/build, made by scripts/build-worker.sh) in the real runtime:
// Miniflare 4 (workerd) from node_modules, one instance per configuration, on 127.0.0.1.
import { Miniflare } from 'miniflare';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';

const root = new URL('../../', import.meta.url);
export const SHIM = fileURLToPath(new URL('worker/build/index.js', root));
export const TOKEN = 'owner-s3cret-token';
export const SITE = 'http://site.example';

/** Settings shared by the tests: fast retries, no breaker, a debug token. */
export const BASE = {
  TIMEOUT_MS: '2000',
  RETRY_MAX_ATTEMPTS: '2',
  RETRY_BASE_MS: '10',
  RETRY_CAP_MS: '40',
  RETRY_MAX_AFTER_S: '2',
  BREAKER_FAILURES: '0',
  BREAKER_FAILURE_RATIO: '0',
  BREAKER_PATH_FAILURES: '0',
  BREAKER_SPREAD_PATHS: '0',
  DRILL_BUDGET_MS: '1000',
  STALE_IF_ERROR: '60',
  DEBUG_TOKEN: TOKEN,
};

/** The worker's structured log lines (JSON, possibly after a runtime prefix) of one event kind, parsed. */
export function logEvents(logs, kind) {
  return logs
    .map((l) => l.slice(l.indexOf('{')))
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .filter((e) => e && e.event === kind);
}

export async function startWorker(vars, { assets } = {}) {
  assert.ok(existsSync(SHIM), `${SHIM} is missing: run bash scripts/build-worker.sh`);
  const logs = [];
  const t0 = performance.now();
  const mf = new Miniflare({
    scriptPath: SHIM,
    modules: true,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2026-04-26',
    bindings: { ...BASE, ...vars },
    // Static assets (the browser page's files) as wrangler.toml's [assets]: binding ASSETS,
    // the worker first, so that it alone decides what the reserved prefix serves.
    ...(assets
      ? { assets: { directory: assets, binding: 'ASSETS', routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true } } }
      : {}),
    host: '127.0.0.1',
    cf: false,
    handleRuntimeStdio(stdout, stderr) {
      const keep = (chunk) => {
        for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(line);
      };
      stdout.on('data', keep);
      stderr.on('data', keep);
    },
  });
  const url = await mf.ready;
  const w = {
    mf,
    url,
    logs,
    startMs: performance.now() - t0,
    // Requests name the public site, as visitors would: the worker's own address never shows up.
    fetch: (path, init = {}) => mf.dispatchFetch(new URL(path, SITE), { redirect: 'manual', ...init }),
    close: () => mf.dispose(),
    /** Lets the runtime's stdout reach the log buffer. */
    settle: (ms = 150) => new Promise((r) => setTimeout(r, ms)),
    /** The structured log lines of one event kind, parsed. */
    events: (kind) => logEvents(logs, kind),
  };
  return w;
}

/** Proxy-Status parsed enough for the tests: [{proxy, params}] in order. */
export function proxyStatus(value) {
  assert.ok(value, 'Proxy-Status is present');
  return value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((member) => {
    const [proxy, ...params] = member.trim().split(';');
    return {
      proxy: proxy.trim().replace(/^"|"$/g, ''),
      params: Object.fromEntries(params.map((p) => p.split('=').map((x) => x.trim().replace(/^"|"$/g, '')))),
    };
  });
}

/** Our own Proxy-Status entry (the last member). */
export function ownEntry(res, id = 'gatewise') {
  const entries = proxyStatus(res.headers.get('proxy-status'));
  const last = entries.at(-1);
  assert.equal(last.proxy, id);
  return last;
}

export const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' };
export const JSON_ACCEPT = { accept: 'application/json' };
export const CURL = { accept: '*/*', 'user-agent': 'curl/8.5.0' };
