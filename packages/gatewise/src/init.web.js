// Where the WebAssembly core is, for browsers and bundlers. Nothing is fetched here: the
// core loads on the first `init()` (loader.js). `new URL('./…', import.meta.url)` is the
// pattern Vite, webpack 5 and Rollup (with @web/rollup-plugin-import-meta-assets) rewrite to
// the emitted asset; esbuild keeps it as it is, so the file must sit beside the bundle
// (README: "Bundlers"). No top-level await.
import { configureLoader } from './loader.js';

configureLoader({ url: () => new URL('./gatewise_wasm_bg.wasm', import.meta.url) });
