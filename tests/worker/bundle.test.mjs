// The upload bundle as `wrangler deploy --dry-run` builds it (no account needed): its raw and
// gzip sizes are printed, and the gzip size stays under the Workers Free plan's limit of 3 MB
// after compression (developers.cloudflare.com/workers/platform/limits/#worker-size).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const FREE_PLAN_GZIP_LIMIT = 3_000_000;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('wrangler deploy --dry-run builds a bundle under the free-plan size limit', () => {
  const out = mkdtempSync(join(tmpdir(), 'gatewise-bundle-'));
  try {
    const printed = execFileSync(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
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
    console.log(`bundle: ${modules.length} modules, raw ${kib(raw)}, gzip ${kib(gzip)} (limit ${kib(FREE_PLAN_GZIP_LIMIT)})`);
    const upload = printed.match(/Total Upload: .*/);
    if (upload) console.log(`wrangler: ${upload[0]}`);
    assert.ok(gzip < FREE_PLAN_GZIP_LIMIT, `gzip ${gzip} bytes`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
