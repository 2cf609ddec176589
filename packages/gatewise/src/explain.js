// Explaining: status codes, pastes, log lines, and the texts for any diagnosis.
import { core } from './loader.js';
import { bounded, limits, withLang } from './core.js';

/**
 * What a bare status code (`502`, `'502.3'`, `524`) supports, with its texts.
 * Throws a `GatewiseInputError` (`code: 'invalid_status'`) for anything else.
 */
export function explainStatus(code, options) {
  return core().explainStatus(bounded(code, 16), withLang(options));
}

/**
 * Explains anything pasted: a status code, a raw HTTP response or curl -v output, log lines in
 * their envelopes (docker compose, kubectl, syslog/journald, JSON records), an error page or its
 * text, a header dump, an error message, a HAR file — or several at once: every artefact with its
 * own diagnosis, and the headline's (`diagnosis`, `texts`). A HAR file may be as long as
 * `limits().maxHarInput`; anything else is read up to `limits().maxInput`.
 * Throws a `GatewiseInputError` (`code: 'empty'`, `'not_recognised'` or `'nothing_failed'`).
 */
export function explain(text, options) {
  return core().explain(bounded(text, limits().maxHarInput), withLang(options));
}

/** Explains one log line (nginx, Apache, HAProxy, Envoy, …); `null` when no format knows it. */
export function explainLog(line, options) {
  return core().explainLog(bounded(line, limits().maxInput), withLang(options));
}

/** Explains every recognised line of a multi-line paste. */
export function explainLogs(text, options) {
  return core().explainLogs(bounded(text, limits().maxInput), withLang(options));
}

/** The texts the core writes for a diagnosis (title, summary, advice…), plain text only. */
export function describe(diagnosis, options) {
  return core().describe(diagnosis, withLang(options));
}
