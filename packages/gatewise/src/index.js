// gatewise for browsers and bundlers. Everything computed by the core, compiled to WebAssembly,
// which loads on `await init()` (or the first asynchronous call), never on import.
import './init.web.js';

export * from './api.js';
