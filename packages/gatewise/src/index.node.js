// gatewise for Node. Everything computed by the core, compiled to WebAssembly.
import './init.node.js';

export * from './api.js';
