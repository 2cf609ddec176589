// webpack 5 emits the wasm by itself: it reads new URL('./gatewise_wasm_bg.wasm', import.meta.url)
// in the package as an asset (asset modules), so nothing here is about gatewise.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: './main.js',
  output: { path: fileURLToPath(new URL('dist', import.meta.url)), clean: true },
};
