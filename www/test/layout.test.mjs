// The error page's layout in real Chromium (issue 14, item 4): the path picture is the first
// thing in <main>, above the headline; its labels keep a readable size on a 390 px phone and
// do not overlap or overflow; the page stays accessible (axe-core) in light, dark, on a phone,
// right to left and with the owner's details open. Saves the screenshots, beside a
// Cloudflare-style reference layout, to tests/artifacts/words/ (www/test/shots.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import * as gw from '../../packages/gatewise/dist/index.node.js';
import { CHROMIUM_FLAGS, OUT, shoot } from './shots.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
});
after(async () => {
  await browser?.close();
});

async function axe(page, label) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe-core on ${label}`);
}

test('the path picture heads the page, readable on a phone, in light, dark and right to left', async () => {
  const measures = await shoot(browser, gw, OUT, axe);
  for (const [name, m] of Object.entries(measures)) {
    assert.equal(m.firstInMain, 'FIGURE', `${name}: the picture is the first thing in <main>`);
    assert.ok(m.figureTop < m.h1Top, `${name}: the picture is above the headline`);
    assert.equal(m.labels.length, 3, name);
    for (const l of m.labels) assert.ok(l.size >= 14, `${name}: label ${l.text} is ${l.size}px`);
    // The labels sit side by side in reading order, without overlapping.
    const ordered = m.dir === 'rtl' ? [...m.labels].reverse() : m.labels;
    for (let i = 1; i < ordered.length; i++) {
      assert.ok(ordered[i - 1].right <= ordered[i].left + 0.5, `${name}: labels overlap`);
    }
    assert.ok(m.scrollWidth <= m.innerWidth, `${name}: no horizontal scrolling (${m.scrollWidth} > ${m.innerWidth})`);
  }
  // On the phone the drawing is not shrunk below the width its labels need.
  assert.ok(measures.phone.svgWidth >= 300, `phone drawing ${measures.phone.svgWidth}px`);
  console.log(`# screenshots in ${OUT}`);
});
