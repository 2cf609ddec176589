// Rendering a diagnosis: the HTML error page, RFC 9457 problem details, Proxy-Status.
import * as wasm from './gatewise_wasm.js';
import { withLang } from './core.js';

/** The self-contained HTML error page for a diagnosis (every value escaped by the core). */
export function renderPage(diagnosis, options) {
  return wasm.renderPage(diagnosis, withLang(options));
}

/** The RFC 9457 `application/problem+json` document for a diagnosis, as an object. */
export function problemDetails(diagnosis, options) {
  return wasm.problemDetails(diagnosis, withLang(options));
}

/** The `Proxy-Status` header value a gateway named `proxy` (default `gatewise`) sends. */
export function proxyStatus(diagnosis, proxy) {
  return wasm.proxyStatus(diagnosis, proxy ?? undefined);
}
