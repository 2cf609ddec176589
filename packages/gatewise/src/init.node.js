// Where the WebAssembly core is, in Node: the file beside this module, read and compiled
// synchronously on the first call (loader.js), so importers can call every function at once.
// Nothing is read on import.
import { readFileSync } from 'node:fs';
import { configureLoader } from './loader.js';

configureLoader({ read: () => readFileSync(new URL('./gatewise_wasm_bg.wasm', import.meta.url)) });
