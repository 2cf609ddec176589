// gatewise for browsers and bundlers. Everything computed by the core, compiled to WebAssembly.
import './init.web.js';

export * from './api.js';
