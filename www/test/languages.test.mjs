// Every language the core speaks, in real headless Chromium at a phone's width (390 px): the
// error page (with its live checks, every <details> opened) must not overflow horizontally,
// and no character on it may fall back to the missing-glyph box ("tofu": the bootstrap's
// --browser step installs Noto CJK and Noto core for Japanese, Chinese and Arabic).
// Screenshots: tests/artifacts/www/lang-<tag>-390.png. Also: the checks loader picks the
// catalog the core would (its JS lookup over the core's one alias table).
//
// Needs www/dist (scripts/build-www.sh) and /usr/bin/chromium; run by scripts/test-www.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as gw from '../../packages/gatewise/dist/index.node.js';
import { lookupLanguage } from '../src/checks/lang.js';
import { startWorld } from './servers.mjs';

const ARTIFACTS = fileURLToPath(new URL('../../tests/artifacts/www/', import.meta.url));
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WIDTH = 390;

let world;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  world = await startWorld();
  await world.origin.set('down');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
});

after(async () => {
  await browser?.close();
  await world?.stop();
});

test('the checks loader picks the catalog the core negotiates, from the core\'s one alias table', () => {
  const languages = gw.languages();
  assert.deepEqual(
    languages.map((l) => [l.tag, l.aliases]),
    [['en', []], ['es', []], ['fr', []], ['de', []], ['pt-BR', ['pt']], ['ja', []], ['zh-Hans', ['zh', 'cmn']], ['ar', []]],
  );
  const tags = [
    'en', 'en-GB', 'EN_us', 'es', 'es-419', 'fr-CA', 'de-DE-1996', 'pt', 'pt-BR', 'pt-PT', 'PT_pt', 'pt-AO',
    'ja-JP', 'zh', 'zh-CN', 'zh-TW', 'zh-Hant', 'zh-Hant-HK', 'zh-hans-sg', 'cmn', 'cmn-Hans-CN', 'ar', 'ar-EG',
    'ko', 'x-klingon', 'ptx', 'zhx', '', '*', '<b>', 'a'.repeat(70), 'de-x-private', 'en-a-bbb-x',
  ];
  for (const tag of tags) {
    // The core: the language it writes in when asked for exactly this tag (English when none).
    const core = gw.messages('page.', { lang: tag }).lang;
    assert.equal(lookupLanguage(tag, languages) ?? 'en', core, tag);
  }
});

/** In the page: every visible character whose glyph is the missing-glyph box of its font. */
function tofu() {
  const byFont = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !el.getClientRects().length || !n.data.trim()) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden') continue;
    const font = `${cs.fontStyle} ${cs.fontWeight} 40px ${cs.fontFamily}`;
    if (!byFont.has(font)) byFont.set(font, new Set());
    for (const ch of n.data) if (/\S/u.test(ch)) byFont.get(font).add(ch);
  }
  const canvas = new OffscreenCanvas(64, 64);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const draw = (font, ch) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = font;
    ctx.fillText(ch, 8, 48);
    return ctx.getImageData(0, 0, 64, 64).data.join(',');
  };
  const missing = [];
  let checked = 0;
  // Two unassigned code points: no font has them, so both draw the missing-glyph box.
  let controls = 0;
  for (const [font, chars] of byFont) {
    const box = draw(font, '\u0378');
    if (draw(font, '\u0379') === box && draw(font, 'A') !== box) controls += 1;
    for (const ch of chars) {
      checked += 1;
      if (draw(font, ch) === box) missing.push(`${ch} U+${ch.codePointAt(0).toString(16).toUpperCase()} (${font})`);
    }
  }
  return { missing, checked, fonts: byFont.size, controls };
}

/** In the page: what sticks out past the viewport's right or left edge (outside scrolling boxes). */
function overflow() {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`document: ${document.documentElement.scrollWidth} > ${width}`);
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || (r.right <= width + 0.5 && r.left >= -0.5) || scrolls(el)) continue;
    out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className?.baseVal ?? el.className}: ${Math.round(r.left)}…${Math.round(r.right)} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
  }
  return out;
}

test(`the error page in every language at ${WIDTH} px: no horizontal overflow, no missing glyph (screenshots)`, async () => {
  const shown = [];
  for (const { tag, dir } of gw.languages()) {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 }, locale: tag, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${world.base}/shop`);
    assert.equal(await page.getAttribute('html', 'lang'), tag);
    assert.equal(await page.getAttribute('html', 'dir'), dir);
    // The live checks in this language, with their verdict.
    await page.waitForSelector('#gw-verdict[data-verdict]', { timeout: 10_000 });
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('details')) d.open = true;
    });
    await page.waitForTimeout(50);
    const over = await page.evaluate(overflow);
    const glyphs = await page.evaluate(tofu);
    await page.screenshot({ path: `${ARTIFACTS}lang-${tag}-${WIDTH}.png`, fullPage: true });
    await context.close();
    assert.deepEqual(errors, [], tag);
    assert.deepEqual(over, [], `${tag}: overflows at ${WIDTH} px`);
    assert.ok(glyphs.controls === glyphs.fonts && glyphs.fonts > 0, `${tag}: the missing-glyph control failed ${JSON.stringify(glyphs)}`);
    assert.deepEqual(glyphs.missing, [], `${tag}: characters without a glyph`);
    shown.push(`${tag} ${glyphs.checked} characters in ${glyphs.fonts} fonts`);
  }
  assert.equal(shown.length, 8);
  console.log(`# ${shown.join('; ')}; screenshots ${ARTIFACTS}lang-<tag>-${WIDTH}.png`);
});
