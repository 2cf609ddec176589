// The worker's upload stays small (issue 15): scripts/build-worker.sh builds the worker with only
// what it needs — gatewise-core without its `explain` feature (the explain pipeline, the log
// explainer and their texts), every language kept, names stripped, wasm-opt -Oz — and this test
// bounds what that gives. A change that pulls the left-out parts back in, or grows the bundle past
// its budget, fails here rather than in a benchmark nobody reads.
//
// Sizes are gzip -9 per module, as wrangler and Cloudflare's size limit count them
// (tests/worker/deploy.test.mjs checks the free-plan limit on the bundle wrangler builds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BUILD = join(root, 'worker/build');
const CATALOGS = join(root, 'crates/gatewise-core/catalogs');

/** The budget of the upload, gzip -9, wasm + JavaScript (bytes). Measured after issue 15: see README. */
const UPLOAD_GZIP_BUDGET = 800 * 1024;
/** The catalog files only the `explain` feature reads (build.rs: FEATURE_AREAS). */
const LEFT_OUT = ['logs.toml', 'structured_logs.toml', 'explain.toml', 'explainer.toml'];

const wasm = readFileSync(join(BUILD, 'index_bg.wasm'));
const js = readFileSync(join(BUILD, 'index.js'));
const gz = (b) => gzipSync(b, { level: 9 }).length;

/** The one-line basic-string values (`key = "…"`) of a catalog file, decoded. */
function values(file) {
  const out = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^[A-Za-z0-9_]+ = ("(?:[^"\\]|\\.)*")\s*$/);
    if (!m) continue;
    try {
      out.push(JSON.parse(m[1]));
    } catch {
      // A TOML escape JSON does not know (\U, \e): not needed here.
    }
  }
  return out;
}

const languages = readdirSync(CATALOGS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

test('the upload (wasm + JavaScript, gzip -9) is within its budget', () => {
  const sizes = { wasm: gz(wasm), js: gz(js) };
  const total = sizes.wasm + sizes.js;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `worker upload, gzip -9: wasm ${kib(sizes.wasm)} (raw ${kib(wasm.length)}), JavaScript ${kib(sizes.js)} (raw ${kib(js.length)}), total ${kib(total)} (budget ${kib(UPLOAD_GZIP_BUDGET)})`,
  );
  assert.ok(total <= UPLOAD_GZIP_BUDGET, `upload ${total} bytes gzip, budget ${UPLOAD_GZIP_BUDGET}`);
});

test('the wasm has no name section (names are kept only with GATEWISE_WORKER_NAMES=1, for profiling)', () => {
  assert.equal(hasCustomSection(wasm, 'name'), false);
});

test('every language is compiled in; the texts of the explain pipeline are not', () => {
  assert.equal(languages.length, 8, `catalog languages: ${languages}`);
  const kept = new Set();
  for (const lang of languages) {
    for (const f of readdirSync(join(CATALOGS, lang))) if (!LEFT_OUT.includes(f)) for (const v of values(join(CATALOGS, lang, f))) kept.add(v);
  }
  const keptText = [...kept].join('\n');
  for (const lang of languages) {
    // The error page's texts, in this language: each long one is in the wasm.
    const page = values(join(CATALOGS, lang, 'page.toml')).filter((v) => Buffer.byteLength(v) >= 24);
    assert.ok(page.length >= 10, `${lang}: ${page.length} page texts`);
    const missing = page.filter((v) => !wasm.includes(Buffer.from(v)));
    assert.deepEqual(missing, [], `${lang}: page texts missing from the wasm`);
    // The explain pipeline's texts (those no kept text contains): none is.
    let checked = 0;
    for (const f of LEFT_OUT) {
      const own = values(join(CATALOGS, lang, f)).filter((v) => [...v].length >= 32 && !keptText.includes(v));
      checked += own.length;
      const found = own.filter((v) => wasm.includes(Buffer.from(v)));
      assert.deepEqual(found, [], `${lang}/${f}: texts the worker does not need are in its wasm`);
    }
    assert.ok(checked >= 100, `${lang}: only ${checked} left-out texts checked`);
  }
});

/** Whether the wasm module `b` has a custom section called `name`. */
function hasCustomSection(b, name) {
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    for (let i = 0; i < 5; i++) {
      const x = b[p++];
      r += (x & 0x7f) * 2 ** s;
      s += 7;
      if (!(x & 0x80)) break;
    }
    return r;
  };
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    const start = p;
    if (id === 0) {
      const n = leb();
      if (b.subarray(p, p + n).toString() === name) return true;
    }
    p = start + size;
  }
  return false;
}
