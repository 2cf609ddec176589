// Size and start: the upload bundle, the npm package, the error page, and cold start under
// plain workerd. Used by bench/run.mjs.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/**
 * The upload bundle of `wrangler deploy --dry-run --outdir` (no account, no network: metrics
 * off). wrangler.toml's [build] command (a full worker build) is left out — the bench measures
 * the worker/build already built — and so is [assets] (uploaded apart from the bundle).
 */
export async function bundleSize(root) {
  const tmp = mkdtempSync(join(tmpdir(), 'gatewise-bundle-'));
  try {
    let skip = false;
    const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8')
      .split('\n')
      .filter((line) => {
        const table = line.match(/^\[([^\]]+)\]\s*$/);
        if (table) skip = table[1] === 'build' || table[1] === 'assets';
        return !skip;
      })
      .join('\n')
      .replace(/^main = "(.*)"$/m, (_, p) => `main = ${JSON.stringify(join(root, p))}`);
    writeFileSync(join(tmp, 'wrangler.toml'), toml);
    const out = join(tmp, 'out');
    const { stdout } = await run(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out, '-c', join(tmp, 'wrangler.toml')], {
      cwd: tmp,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 300_000,
    });
    const modules = files(out).filter((f) => /\.(m?js|wasm)$/.test(f));
    if (!modules.some((f) => f.endsWith('.wasm'))) throw new Error('wrangler bundle: no wasm module');
    const part = (re) => {
      const bs = modules.filter((f) => re.test(f)).map((f) => readFileSync(f));
      return { raw: bs.reduce((a, b) => a + b.length, 0), gzip: bs.reduce((a, b) => a + gz(b), 0) };
    };
    return {
      modules: modules.length,
      wasm: part(/\.wasm$/),
      js: part(/\.m?js$/),
      total: part(/./),
      wrangler: stdout.match(/Total Upload: .*/)?.[0] ?? null,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The npm package's runtime files (packages/gatewise/dist: the wasm and the JavaScript). */
export function packageSize(root) {
  const dist = join(root, 'packages/gatewise/dist');
  const all = files(dist);
  const sum = (fs) => {
    const bs = fs.map((f) => readFileSync(f));
    return { files: fs.length, raw: bs.reduce((a, b) => a + b.length, 0), gzip: bs.reduce((a, b) => a + gz(b), 0) };
  };
  return { wasm: sum(all.filter((f) => f.endsWith('.wasm'))), js: sum(all.filter((f) => /\.m?js$/.test(f))), total: sum(all.filter((f) => /\.(m?js|wasm)$/.test(f))) };
}

/** The error page the worker answers with, as sent (bytes) and gzipped. */
export async function errorPage(port, headers) {
  const r = await fetch(`http://127.0.0.1:${port}/`, { headers });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, type: r.headers.get('content-type'), lang: r.headers.get('content-language'), raw: body.length, gzip: gz(body) };
}

/**
 * Cold start: spawns `workerd serve <capnp>` and polls `port` until the first answer `wanted`
 * accepts (by default a 200); ms from spawn to that answer. An answer it does not accept is
 * polled again. The process is ended (by its handle) before this returns.
 */
export async function coldStart(workerdBin, capnp, port, wanted = (r) => r.status === 200) {
  const t0 = process.hrtime.bigint();
  const child = spawn(workerdBin, ['serve', capnp, '--experimental'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => {
    if (err.length < 10_000) err += c;
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`workerd exited: ${err}`);
      if (Number(process.hrtime.bigint() - t0) > 30e9) throw new Error(`workerd did not answer within 30 s: ${err}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/`);
        await r.arrayBuffer();
        if (wanted(r)) return Number(process.hrtime.bigint() - t0) / 1e6;
      } catch {
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}
