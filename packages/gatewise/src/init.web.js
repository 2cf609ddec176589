// Loads the WebAssembly core in browsers and bundlers (Vite, webpack, Rollup, esbuild):
// `new URL(…, import.meta.url)` is the pattern they all recognise and rewrite to the emitted
// asset, so no bundler configuration is needed. Top-level await: importers wait until ready.
import init from './gatewise_wasm.js';

await init({ module_or_path: new URL('./gatewise_wasm_bg.wasm', import.meta.url) });
