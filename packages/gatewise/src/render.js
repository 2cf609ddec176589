// Rendering a diagnosis: the HTML error page, RFC 9457 problem details, Proxy-Status.
import { core } from './loader.js';
import { withLang } from './core.js';

/** The self-contained HTML error page for a diagnosis (every value escaped by the core). */
export function renderPage(diagnosis, options) {
  return core().renderPage(diagnosis, withLang(options));
}

/** The RFC 9457 `application/problem+json` document for a diagnosis, as an object. */
export function problemDetails(diagnosis, options) {
  return core().problemDetails(diagnosis, withLang(options));
}

/** The `Proxy-Status` header value a gateway named `proxy` (default `gatewise`) sends. */
export function proxyStatus(diagnosis, proxy) {
  return core().proxyStatus(diagnosis, proxy ?? undefined);
}
