// Loads the WebAssembly core in Node: read the file beside this module and compile it
// synchronously, so importers can call every function at once.
import { readFileSync } from 'node:fs';
import { initSync } from './gatewise_wasm.js';

initSync({ module: readFileSync(new URL('./gatewise_wasm_bg.wasm', import.meta.url)) });
