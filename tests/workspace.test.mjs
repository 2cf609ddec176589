// The workspace's own promises: README's two commands exist and run the scripts CI runs,
// package-lock.json matches package.json, and README documents every gate scripts/test.sh runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const pkg = JSON.parse(read('package.json'));

test('package.json is the private workspace root with start, test and bootstrap', () => {
  assert.equal(pkg.name, 'gatewise-workspace');
  assert.equal(pkg.private, true);
  assert.equal(pkg.engines.node, '>=20');
  assert.deepEqual(pkg.scripts, {
    accuracy: 'bash scripts/accuracy.sh',
    attack: 'bash scripts/attack.sh',
    bench: 'bash scripts/bench.sh',
    bootstrap: 'bash scripts/bootstrap.sh',
    fuzz: 'bash scripts/fuzz.sh',
    soak: 'bash scripts/soak.sh',
    start: 'bash scripts/start.sh',
    test: 'bash scripts/test.sh',
  });
  for (const script of Object.values(pkg.scripts)) {
    const file = script.replace(/^bash /, '');
    assert.ok(existsSync(new URL(file, root)), `${file} exists`);
  }
});

test('package-lock.json was generated from this package.json', () => {
  const lock = JSON.parse(read('package-lock.json'));
  assert.equal(lock.name, pkg.name);
  assert.deepEqual(lock.packages[''].devDependencies, pkg.devDependencies);
  for (const name of Object.keys(pkg.devDependencies)) {
    assert.ok(lock.packages[`node_modules/${name}`], `${name} is locked`);
  }
});

test('CI runs npm test from the repository root', () => {
  const lines = read('.ci/run').trim().split('\n');
  assert.equal(lines[0], '#!/usr/bin/env bash');
  assert.ok(lines.includes('set -euo pipefail'));
  assert.equal(lines.at(-1), 'npm test');
});

test('README gives the two commands and documents every gate of scripts/test.sh', () => {
  const readme = read('README.md');
  const commands = [...readme.matchAll(/^npm (start|test)$/gm)].map((m) => m[1]);
  assert.deepEqual(commands, ['start', 'test']);
  const gates = read('scripts/test.sh').match(/^GATES=\(([^)]*)\)$/m)[1].split(' ');
  assert.deepEqual(gates, ['fmt', 'clippy', 'test', 'accuracy', 'schema', 'wasm', 'worker', 'bench', 'npm', 'www', 'node']);
  for (const gate of gates) {
    assert.match(readme, new RegExp(`^\\| \`${gate}\` \\|`, 'm'), `README's gate table has ${gate}`);
  }
});
