// Bundles www/src into www/dist with esbuild (called by scripts/build-www.sh, after the
// npm package and the generated data exist):
//   checks.js            the loader the error page names: loads checks.<lang>.js after first paint
//   checks.<lang>.js     the live checks, with that language's words and the core's verdict
//                        table (classic scripts, no WebAssembly: strict CSPs work)
//   index.html           the explainer (static), explainer.js + its lazily loaded chunks
//   element.js           <gatewise-error> for any site: `<script type="module" src=…>`
//   gatewise_wasm_bg.wasm  the core, for the explainer and the element
//
//   node www/build/build.mjs <data-dir> <out-dir>
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const [dataArg, outArg] = process.argv.slice(2);
if (!dataArg || !outArg) {
  console.error('usage: build.mjs <data-dir> <out-dir>');
  process.exit(2);
}
const dataDir = resolve(dataArg);
const outDir = resolve(outArg);
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const src = here('../src/');
const pkgDist = here('../../packages/gatewise/dist/');
const languages = JSON.parse(readFileSync(`${dataDir}/languages.json`, 'utf8'));

// Browsers with everything used here (top-level await, private fields, ??=, AbortSignal).
const target = ['chrome100', 'firefox100', 'safari16'];
const common = { bundle: true, minify: true, target, charset: 'utf8', legalComments: 'none', logLevel: 'warning' };

/** Resolves `gatewise-checks-data` to one language's generated module. */
const data = (lang) => ({
  name: 'gatewise-checks-data',
  setup(b) {
    b.onResolve({ filter: /^gatewise-checks-data$/ }, () => ({ path: `${dataDir}/${lang}.js` }));
  },
});

/** Resolves the npm package `gatewise` to its build in packages/gatewise/dist (browser entry). */
const gatewise = {
  name: 'gatewise-package',
  setup(b) {
    b.onResolve({ filter: /^gatewise(\/element)?$/ }, (a) => ({
      path: `${pkgDist}${a.path === 'gatewise' ? 'index.js' : 'element.js'}`,
    }));
  },
};

await esbuild.build({
  ...common,
  entryPoints: [`${src}checks/loader.js`],
  outfile: `${outDir}/checks.js`,
  format: 'iife',
  define: { GATEWISE_LANGUAGES: JSON.stringify(languages) },
});

await Promise.all(
  languages.map(({ tag: lang }) =>
    esbuild.build({
      ...common,
      entryPoints: [`${src}checks/page.js`],
      outfile: `${outDir}/checks.${lang}.js`,
      format: 'iife',
      plugins: [data(lang)],
    }),
  ),
);

await esbuild.build({
  ...common,
  entryPoints: { explainer: `${src}explainer/main.js`, element: `${src}element.js` },
  outdir: outDir,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  plugins: [gatewise],
});

copyFileSync(`${pkgDist}gatewise_wasm_bg.wasm`, `${outDir}/gatewise_wasm_bg.wasm`);
writeFileSync(`${outDir}/index.html`, readFileSync(here('../index.html')));
