// Checks gatewise's status registry against the npm package `statuses`
// (the reason phrases Node's ecosystem uses): every code it knows must be in
// the registry, with the same reason phrase or one the row lists as an alias
// (the IANA registry renamed some, e.g. 413 "Payload Too Large" is now
// "Content Too Large", 422 "Unprocessable Entity" is now "Unprocessable Content").
//
// Run from the repository root: node --test tests/statuses.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import statuses from 'statuses';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const rows = JSON.parse(
  execFileSync('cargo', ['run', '-q', '-p', 'gatewise-core', '--example', 'status-codes'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  }),
);

const plain = new Map(rows.filter((r) => r.sub === null).map((r) => [r.code, r]));
const accepts = (row, phrase) =>
  [row.reason, ...row.aliases].some((p) => p.toLowerCase() === phrase.toLowerCase());

test('the registry export is well formed', () => {
  assert.ok(rows.length > 100, `only ${rows.length} rows`);
  const classes = ['informational', 'success', 'redirection', 'client_error', 'server_error'];
  const seen = new Set();
  for (const r of rows) {
    const id = r.sub === null ? `${r.code}` : `${r.code}.${r.sub}`;
    assert.ok(!seen.has(id), `${id} appears twice`);
    seen.add(id);
    assert.equal(typeof r.reason, 'string');
    assert.ok(r.reason.length > 0, `${id} has no reason`);
    assert.equal(r.class, classes[Math.floor(r.code / 100) - 1], `${id} class`);
    assert.equal(r.official, r.origin === 'iana', `${id} official/origin`);
    if (r.origin === 'vendor') assert.equal(typeof r.vendor, 'string', `${id} vendor`);
  }
});

test('every code the statuses package knows is in the registry with an accepted reason', () => {
  const codes = statuses.codes;
  assert.ok(codes.length >= 60, `statuses knows only ${codes.length} codes`);
  const missing = [];
  const mismatched = [];
  for (const code of codes) {
    const phrase = statuses.message[code];
    const row = plain.get(code);
    if (!row) missing.push(`${code} ${phrase}`);
    else if (!accepts(row, phrase)) mismatched.push(`${code}: statuses says "${phrase}", registry says "${row.reason}" (aliases: ${row.aliases.join(', ') || 'none'})`);
  }
  assert.deepEqual(missing, [], 'codes missing from the registry');
  assert.deepEqual(mismatched, [], 'reason phrases neither equal nor listed as aliases');
});

test('renamed codes keep the registry name and accept the old one', () => {
  assert.equal(plain.get(413).reason, 'Content Too Large');
  assert.ok(accepts(plain.get(413), statuses.message[413]));
  assert.equal(plain.get(422).reason, 'Unprocessable Content');
  assert.ok(accepts(plain.get(422), statuses.message[422]));
  assert.equal(plain.get(418).reason, '(Unused)');
});

test('codes statuses does not know are still official where IANA registered them', () => {
  assert.equal(plain.get(306).official, true);
  assert.equal(plain.get(104).official, true);
  assert.equal(plain.get(509).official, false);
  assert.equal(plain.get(444).vendor, 'nginx');
  assert.equal(plain.get(522).vendor, 'cloudflare');
});
