// README's "Deploy to Cloudflare", followed (no account needed, nothing leaves the machine):
//
//   1. `wrangler deploy --dry-run --env production --outdir …` of wrangler.toml's example
//      environment builds the upload; its gzip size stays under the Workers Free plan's 3 MB
//      (developers.cloudflare.com/workers/platform/limits/#worker-size); the environment has its
//      own vars (not the top level's: vars are not inherited) and its ORIGIN_URL is empty.
//   2. With ORIGIN_URL empty (wrangler.toml's default), `wrangler dev --local-upstream
//      127.0.0.1:PORT` — what a route does on Cloudflare: each request goes to the zone's own
//      origin — forwards to a Node origin on that port, `health` answers, and when the origin
//      refuses, the visitor gets an informative 502 naming the refusal.
//
// Both use wrangler.toml as it is, minus its [build] table: the `worker` gate has just built
// worker/build with the same command (scripts/build-worker.sh), so wrangler does not build again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { freePort } from './workerd.mjs';
import { HTML, JSON_ACCEPT } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WRANGLER = join(root, 'node_modules/.bin/wrangler');
const FREE_PLAN_GZIP_LIMIT = 3_000_000;
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: 'true', NO_COLOR: '1' };

/**
 * wrangler.toml in a scratch folder: the [build] table left out, `main` and the assets folder
 * made absolute (an empty folder when www/dist is not built yet: the worker serves 404 there).
 */
function configCopy(dir) {
  const text = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const assets = existsSync(join(root, 'www/dist')) ? join(root, 'www/dist') : join(dir, 'empty-assets');
  mkdirSync(assets, { recursive: true });
  const out = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    if (/^\[.*\]\s*$/.test(line)) skipping = line.trim() === '[build]';
    if (skipping) continue;
    out.push(
      line
        .replace(/^main = ".*"$/, `main = ${JSON.stringify(join(root, 'worker/build/index.js'))}`)
        .replace(/^directory = "www\/dist"$/, `directory = ${JSON.stringify(assets)}`),
    );
  }
  const copy = out.join('\n');
  assert.doesNotMatch(copy, /^\[build\]/m);
  assert.match(copy, /^\[env\.production\]$/m);
  writeFileSync(join(dir, 'wrangler.toml'), copy);
  return join(dir, 'wrangler.toml');
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('wrangler deploy --dry-run --env production: the example environment builds a bundle under the free-plan size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewise-deploy-'));
  try {
    const config = configCopy(dir);
    const out = join(dir, 'out');
    const printed = execFileSync(WRANGLER, ['deploy', '--dry-run', '--env', 'production', '--outdir', out, '-c', config], {
      cwd: root,
      env: ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    });
    const modules = files(out).filter((f) => /\.(m?js|wasm)$/.test(f));
    assert.ok(modules.some((f) => f.endsWith('.wasm')), 'the wasm module is in the bundle');
    let raw = 0;
    let gzip = 0;
    for (const f of modules) {
      const bytes = readFileSync(f);
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(`bundle (env production): ${modules.length} modules, raw ${kib(raw)}, gzip ${kib(gzip)} (limit ${kib(FREE_PLAN_GZIP_LIMIT)})`);
    const upload = printed.match(/Total Upload: .*/);
    if (upload) console.log(`wrangler: ${upload[0]}`);
    assert.ok(gzip < FREE_PLAN_GZIP_LIMIT, `gzip ${gzip} bytes`);
    // The environment's own bindings: its vars, the assets; not the top level's vars.
    assert.match(printed, /env\.ASSETS/);
    assert.match(printed, /env\.ORIGIN_URL/);
    assert.match(printed, /env\.SITE_NAME \("Example"\)/);
    assert.doesNotMatch(printed, /env\.TIMEOUT_MS/, 'vars are not inherited by an environment');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Waits for `url` to answer (any status), at most `ms`. */
async function until(url, ms, child) {
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await r.arrayBuffer();
      return r;
    } catch (e) {
      if (Date.now() - t0 > ms) throw new Error(`no answer from ${url} within ${ms} ms: ${e.message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

test('ORIGIN_URL empty under wrangler dev --local-upstream: forwards to the zone origin on that port, an informative 502 when it refuses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewise-dev-'));
  const seen = [];
  const origin = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, host: req.headers.host, loop: req.headers['cdn-loop'] });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello from the zone origin');
  });
  await new Promise((r) => origin.listen(0, '127.0.0.1', r));
  const originPort = origin.address().port;
  const port = await freePort();
  const config = configCopy(dir);
  const logs = [];
  const child = spawn(
    WRANGLER,
    ['dev', '-c', config, '--ip', '127.0.0.1', '--port', String(port), '--local-upstream', `127.0.0.1:${originPort}`,
      '--show-interactive-dev-session=false', '--var', 'DEBUG_TOKEN:deploy-test', '--var', 'DRILL_BUDGET_MS:1000',
      '--persist-to', join(dir, 'state')],
    { cwd: root, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout.on('data', (d) => logs.push(String(d)));
  child.stderr.on('data', (d) => logs.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  try {
    const health = await until(`${base}/__gatewise/health`, 90_000, child);
    assert.equal(health.status, 200, logs.join(''));
    const h = await (await fetch(`${base}/__gatewise/health`, { headers: { 'x-gatewise-debug': 'deploy-test' } })).json();
    assert.deepEqual([h.status, h.config], ['ok', 'ok']);

    const res = await fetch(`${base}/shop/cart?id=7`, { headers: HTML });
    assert.equal(res.status, 200, logs.join(''));
    assert.equal(await res.text(), 'hello from the zone origin');
    const asked = seen.at(-1);
    assert.deepEqual([asked.method, asked.url], ['GET', '/shop/cart?id=7']);
    assert.match(asked.loop ?? '', /gatewise/, 'CDN-Loop names the worker (a self-loop would stop)');

    // The origin refuses: an informative 502, not a bare error and not the configuration page.
    await new Promise((r) => origin.close(r));
    const down = await fetch(`${base}/shop/cart?id=7`, { headers: JSON_ACCEPT });
    assert.equal(down.status, 502, logs.join(''));
    const p = await down.json();
    assert.equal(p.errorType, 'connection_refused', JSON.stringify(p));
    assert.match(down.headers.get('proxy-status') ?? '', /gatewise;error=connection_refused/);
    const page = await fetch(`${base}/shop/cart?id=7`, { headers: HTML });
    assert.equal(page.status, 502);
    const html = await page.text();
    assert.match(html, /<main data-gatewise-config=/);
    assert.doesNotMatch(html, /proxy_configuration_error/);
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM'); // wrangler and the workerd it started: its own process group
    } catch {
      // already gone
    }
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    origin.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
