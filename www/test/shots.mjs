// Screenshots of the error page the core renders (light, dark, a 390 px phone, right to left,
// the owner's details open) beside a Cloudflare-style reference layout
// (tests/fixtures/layout/cloudflare-style.html), and the measures the layout test asserts on.
// Used by www/test/layout.test.mjs; also runnable on its own against any built npm package:
//
//   node www/test/shots.mjs [out-dir]        (default tests/artifacts/words/)
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = new URL('../../tests/fixtures/', import.meta.url);
export const OUT = fileURLToPath(new URL('../../tests/artifacts/words/', import.meta.url));
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

/** The log line every shot explains: nginx could not connect to the server behind it. */
export const LOG_LINE = (() => {
  const text = readFileSync(new URL('logs/nginx/refused.log', FIXTURES), 'utf8');
  return text.split('\n').find((l) => l.includes('[error]'));
})();

/** The shots: name, language, browser context options. */
export const SHOTS = [
  ['light', 'en', { colorScheme: 'light', viewport: { width: 1024, height: 900 } }],
  ['dark', 'en', { colorScheme: 'dark', viewport: { width: 1024, height: 900 } }],
  ['phone', 'en', { colorScheme: 'light', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true }],
  ['rtl', 'ar', { colorScheme: 'light', viewport: { width: 1024, height: 900 } }],
  ['owner', 'en', { colorScheme: 'light', viewport: { width: 1024, height: 900 } }],
];

/** The page the worker would send for `LOG_LINE`, in `lang`. */
export function pageFor(gw, lang) {
  const { diagnosis } = gw.explain(LOG_LINE, { lang });
  return gw.renderPage(diagnosis, {
    lang,
    siteName: 'Example Shop',
    url: 'https://shop.example/cart',
    requestId: '8e5f1b2c3d4a5b6c-AMS',
    time: 'Sat, 21 Nov 2026 06:12:01 GMT',
  });
}

/** What the layout test checks, measured in the page. */
async function measure(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const figure = document.querySelector('main > figure');
    const h1 = document.querySelector('h1');
    const labels = [...document.querySelectorAll('.nodes li')].map((li) => {
      const r = li.getBoundingClientRect();
      const b = li.querySelector('b');
      return { left: r.left, right: r.right, size: parseFloat(getComputedStyle(b ?? li).fontSize), text: li.textContent };
    });
    const svg = figure?.querySelector('svg')?.getBoundingClientRect();
    return {
      firstInMain: main?.firstElementChild?.tagName ?? null,
      figureTop: figure?.getBoundingClientRect().top ?? null,
      h1Top: h1?.getBoundingClientRect().top ?? null,
      svgWidth: svg?.width ?? 0,
      labels,
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      dir: document.documentElement.dir,
    };
  });
}

/**
 * Takes every shot of the page (and the reference) with `browser` into `out`; returns the
 * measures per shot name. `axe(page, label)`, when given, runs on each page shot.
 */
export async function shoot(browser, gw, out = OUT, axe = null) {
  mkdirSync(out, { recursive: true });
  const measures = {};
  for (const [name, lang, options] of SHOTS) {
    const context = await browser.newContext({ locale: lang, ...options });
    const page = await context.newPage();
    await page.setContent(pageFor(gw, lang), { waitUntil: 'load' });
    if (name === 'owner') await page.evaluate(() => document.querySelector('details')?.setAttribute('open', ''));
    await page.screenshot({ path: `${out}error-page-${name}.png`, fullPage: true });
    measures[name] = await measure(page);
    if (axe) await axe(page, `error page, ${name}`);
    await context.close();
  }
  const reference = readFileSync(new URL('layout/cloudflare-style.html', FIXTURES), 'utf8');
  for (const [name, viewport] of [['desktop', { width: 1024, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: name === 'phone' ? 2 : 1 });
    const page = await context.newPage();
    await page.setContent(reference, { waitUntil: 'load' });
    await page.screenshot({ path: `${out}reference-cloudflare-style-${name}.png`, fullPage: true });
    await context.close();
  }
  return measures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { chromium } = await import('playwright-core');
  const gw = await import('../../packages/gatewise/dist/index.node.js');
  const out = process.argv[2] ? `${process.argv[2].replace(/\/?$/, '/')}` : OUT;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  try {
    console.log(JSON.stringify(await shoot(browser, gw, out), null, 2));
  } finally {
    await browser.close();
  }
}
