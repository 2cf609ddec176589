// Loading the WebAssembly core, once, when it is first needed — never on import.
//   Browsers and bundlers: `init()` fetches and instantiates the .wasm (init.web.js says where it
//     is); until it has resolved, the synchronous functions throw a GatewiseNotReadyError. The
//     asynchronous ones (classifyResponse given a Response, fetchWithRetry) and <gatewise-error>
//     call `init()` themselves.
//   Node: the first call reads the file beside this module and compiles it synchronously
//     (init.node.js), so every function works without `init()`.
import initAsync, * as binding from './gatewise_wasm.js';

let ready = false;
let pending;
let markLoaded;
const everLoaded = new Promise((resolve) => {
  markLoaded = resolve;
});
let locate; // () => where the .wasm is (browsers)
let readSync; // () => the .wasm's bytes (Node)

/** Called once by the entry module (init.web.js or init.node.js). */
export function configureLoader({ url, read }) {
  locate = url;
  readSync = read;
}

function notReady() {
  const e = new Error(
    "gatewise: the WebAssembly core is not loaded yet: `await init()` (exported by 'gatewise') before calling this function",
  );
  e.name = 'GatewiseNotReadyError';
  e.code = 'not_ready';
  return e;
}

/** Whether the core can be called now (in Node, loading it synchronously on first use). */
export function loaded() {
  if (!ready && readSync) {
    binding.initSync({ module: readSync() });
    ready = true;
    markLoaded();
  }
  return ready;
}

/** Resolves when the core has loaded, by whichever call; never rejects (a failed load is retried by a later `init()`). */
export function whenLoaded() {
  return everLoaded;
}

/** The wasm-bindgen binding, loaded; throws a GatewiseNotReadyError when it is not yet. */
export function core() {
  if (!loaded()) throw notReady();
  return binding;
}

/**
 * Loads the core once; every later call returns at once. `options.wasm` loads it from
 * elsewhere (a URL, a `Response`, bytes or a compiled `WebAssembly.Module`). A failed load
 * rejects, and the next call tries again.
 */
export function init(options) {
  const source = options?.wasm;
  if (ready) return Promise.resolve();
  if (source == null && readSync) {
    try {
      loaded();
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  pending ??= initAsync({ module_or_path: source ?? locate() }).then(
    () => {
      ready = true;
      markLoaded();
    },
    (e) => {
      pending = undefined;
      throw e;
    },
  );
  return pending;
}
