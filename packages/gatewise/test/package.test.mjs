// The packed tarball as npm users get it (scripts/test-npm.sh passes its path in
// GATEWISE_TARBALL): its files, its licences, and the bundler recipes its README shows, which
// must be, verbatim, the configurations the recipe apps are built with (test/<bundler>/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const tarball = process.env.GATEWISE_TARBALL;
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tests = fileURLToPath(new URL('./', import.meta.url));
let dir;
let entries;

before(() => {
  assert.ok(tarball, 'GATEWISE_TARBALL names the packed package');
  dir = mkdtempSync(join(tmpdir(), 'gatewise-tarball-'));
  entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const packed = (path) => readFileSync(join(dir, 'package', path), 'utf8');

test('the tarball holds the licences, the README, package.json and dist/ only', () => {
  for (const path of [
    'LICENSE-APACHE',
    'LICENSE-MIT',
    'README.md',
    'package.json',
    'dist/gatewise_wasm_bg.wasm',
    'dist/gatewise_wasm.js',
    'dist/loader.js',
    'dist/index.js',
    'dist/index.node.js',
    'dist/element.js',
    'dist/element.node.js',
    'dist/index.d.ts',
    'dist/element.d.ts',
    'dist/api.d.ts',
    'dist/diagnosis.d.ts',
  ]) {
    assert.ok(entries.includes(`package/${path}`), `${path} is in the tarball`);
  }
  const unexpected = entries.filter(
    (e) => !/^package\/(LICENSE-APACHE|LICENSE-MIT|README\.md|package\.json|dist\/[\w.-]+\.(js|d\.ts|wasm))$/.test(e),
  );
  assert.deepEqual(unexpected, []);
});

test('LICENSE-MIT and LICENSE-APACHE: the repository root files, with the copyright line', () => {
  const pkg = JSON.parse(packed('package.json'));
  assert.equal(pkg.license, 'MIT OR Apache-2.0');
  for (const name of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    const text = packed(name);
    assert.equal(text, readFileSync(join(repo, name), 'utf8'), `${name} in the package is the repository's`);
    assert.equal(text, readFileSync(join(repo, 'packages/gatewise', name), 'utf8'));
    assert.ok(pkg.files.includes(name), `package.json files names ${name}`);
  }
  assert.match(packed('LICENSE-MIT'), /^MIT License\n\nCopyright \(c\) 2026 gatewise contributors\n/);
  assert.match(packed('LICENSE-APACHE'), /^ +Apache License\n +Version 2\.0, January 2004\n/m);
  assert.match(packed('LICENSE-APACHE'), /^ {3}Copyright 2026 gatewise contributors$/m);
  // The licence text itself is apache.org's LICENSE-2.0.txt, verbatim: only the appendix's
  // "Copyright [yyyy] [name of copyright owner]" is filled in.
  const template = packed('LICENSE-APACHE').replace(
    '   Copyright 2026 gatewise contributors',
    '   Copyright [yyyy] [name of copyright owner]',
  );
  assert.equal(
    createHash('sha256').update(template).digest('hex'),
    'cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30',
  );
});

test('every export of package.json names a file in the tarball', () => {
  const pkg = JSON.parse(packed('package.json'));
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  assert.ok(targets.length >= 10);
  for (const t of targets) assert.ok(entries.includes(`package/${t.replace(/^\.\//, '')}`), `${t} is packed`);
  assert.equal(pkg.type, 'module');
});

test("README's bundler recipes are, verbatim, the configurations the recipe apps are built with", () => {
  const readme = packed('README.md');
  assert.equal(readme, readFileSync(join(repo, 'packages/gatewise/README.md'), 'utf8'));
  const shown = new Map();
  for (const m of readme.matchAll(/<!-- recipe: ([\w./-]+) -->\n```js\n([\s\S]*?)```\n/g)) shown.set(m[1], m[2]);
  const configs = ['webpack', 'rollup', 'esbuild'].flatMap((b) => readdirSync(join(tests, b)).map((f) => `${b}/${f}`));
  assert.deepEqual([...shown.keys()].sort(), configs.sort(), 'one README recipe per configuration file');
  for (const [path, code] of shown) assert.equal(code, readFileSync(join(tests, path), 'utf8'), `README shows ${path} verbatim`);
  // Vite needs none, and the README says so.
  assert.deepEqual(readdirSync(tests).filter((f) => f === 'vite'), []);
  assert.match(readme, /\*\*Vite\*\* — nothing to configure/);
});
