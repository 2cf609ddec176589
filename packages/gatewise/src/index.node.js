// gatewise for Node. Everything computed by the core, compiled to WebAssembly, which is read
// and compiled on the first call.
import './init.node.js';

export * from './api.js';
