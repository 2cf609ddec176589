// esbuild keeps new URL('./gatewise_wasm_bg.wasm', import.meta.url) as it is, so the wasm must
// sit beside the bundle: it is a second entry point, copied as it is by the 'copy' loader.
// format 'esm' keeps import.meta.url; with splitting, chunks stay in outdir (the default).
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: [
    { in: 'main.js', out: 'main' },
    { in: 'gatewise/gatewise_wasm_bg.wasm', out: 'gatewise_wasm_bg' },
  ],
  loader: { '.wasm': 'copy' },
  bundle: true,
  format: 'esm',
  splitting: true,
  outdir: 'dist',
});
