// Rollup: node-resolve finds the package in node_modules; import-meta-assets emits the wasm
// that the package names with new URL('./gatewise_wasm_bg.wasm', import.meta.url).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: 'main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true }), importMetaAssets()],
};
