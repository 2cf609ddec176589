// The worker's calls into the runtime that would otherwise cross the Wasm boundary once per header
// (worker/src/edge/js.rs binds them): the happy path's two, and the one that builds an answer. No policy lives here: which headers are read,
// and the edits applied to the forwarded ones, are decided in Rust (worker/src/headers.rs).

const ABSENT = '\0'; // headers::ABSENT: NUL is never part of a header value

/** `url \n method \n value…` for the header names given (headers::FACT_HEADERS, in order). */
export function requestFacts(request, names) {
  const headers = request.headers;
  let line = request.url + '\n' + request.method;
  for (const name of names) {
    const value = headers.get(name);
    line += '\n' + (value === null ? ABSENT : value);
  }
  return line;
}

/** The error a fetch rejects with when no response headers came within the time limit. */
class GatewiseTimeout extends Error {
  constructor(ms) {
    super(`no response headers within ${ms} ms (TIMEOUT_MS)`);
    this.name = 'GatewiseTimeout';
  }
}

/**
 * Fetches `target` with the request's method and headers after the `edits` (headers::encode_edits:
 * one per line, `name` deletes, `name:value` sets), `body` when given, redirects returned as they
 * are, and a time limit on the response headers only (cleared as soon as they are in, so a long
 * body is never cut). Rejects with the runtime's error, or with a GatewiseTimeout.
 */
export function forward(request, target, edits, body, timeoutMs) {
  const headers = new Headers(request.headers);
  for (const edit of edits.split('\n')) {
    const colon = edit.indexOf(':');
    if (colon < 0) headers.delete(edit);
    else headers.set(edit.slice(0, colon), edit.slice(colon + 1));
  }
  const init = { method: request.method, headers, redirect: 'manual' };
  if (body !== undefined) init.body = body;
  if (!(timeoutMs > 0)) return fetch(target, init);
  const controller = new AbortController();
  init.signal = controller.signal;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  return fetch(target, init).then(
    (response) => {
      clearTimeout(timer);
      return response;
    },
    (error) => {
      clearTimeout(timer);
      throw controller.signal.aborted ? new GatewiseTimeout(timeoutMs) : error;
    },
  );
}

/** One response header (`undefined` when absent). */
export function responseHeader(response, name) {
  return response.headers.get(name) ?? undefined;
}

/**
 * A response the worker writes itself: `status`, the headers as `name:value` lines
 * (headers::encode_header_lines), and the body's UTF-8 bytes (copied out of Wasm memory here,
 * so no string is decoded and encoded again on the way out).
 */
export function answer(status, headerLines, body) {
  const headers = new Headers();
  for (const line of headerLines.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon), line.slice(colon + 1));
  }
  return new Response(body.length > 0 ? body.slice() : null, { status, headers });
}

/** One Intl.DateTimeFormat per language (building one costs more than formatting with it). */
const timeFormats = new Map();

/**
 * `ms` (Unix time) as the reader of `lang` writes a date and time (`6 déc. 2026, 06:12:00 UTC`,
 * `2026/12/06 6:12:00 UTC`): the runtime's Intl, so the Wasm carries no date data. In UTC, named:
 * the edge does not know the visitor's time zone. The core renders this text as given.
 */
export function localTime(ms, lang) {
  let f = timeFormats.get(lang);
  try {
    if (!f) {
      f = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'long', timeZone: 'UTC' });
      if (timeFormats.size < 16) timeFormats.set(lang, f);
    }
    return f.format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}
