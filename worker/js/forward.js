// The worker's calls into the runtime that would otherwise cross the Wasm boundary once per header
// (worker/src/edge/js.rs binds them): the happy path's two, and the one that builds an answer. No policy lives here: which headers are read,
// and the edits applied to the forwarded ones, are decided in Rust (worker/src/headers.rs).
//
// What workerd (workerd/2026-04-26, plain `workerd serve` and Miniflare 4) reports when the VISITOR's
// request body fails — found by experiment, and the reason forward() streams a body the way it does:
//
// | the visitor                                   | the worker's read of request.body / fetch(…, { body: request.body }) |
// |---|---|
// | aborts an upload (Content-Length 200000, 1000 bytes, closes) | rejects `Error: Network connection lost.` (`retryable: true`) — the very words of an origin that refuses or resets |
// | sends a chunk extension (`5;ext=1`)           | rejects `Error: internal error; reference = …` (stderr: kj/compat/http.c++ "invalid HTTP chunk size") — the words of an origin that sends garbage |
// | sends a GET with a body                       | `fetch(url, { method: 'GET', body })` throws "Request with a GET or HEAD method cannot have a body."; `new Request(request, init)` keeps the body and sends it |
//
// The error objects carry nothing else (no `cause`, no code). `request.signal` (compatibility flag
// `enable_request_signal`) fires "The client has disconnected" for the aborted upload only, and
// some time after the fetch already failed; nothing fires for a malformed body. So the body is read
// by the worker itself: piped into a FixedLengthStream (Content-Length kept) or an
// IdentityTransformStream (chunked kept), whose pipe rejects with the visitor's error first. Two
// traps, both seen: a pipe whose source fails ENDS the outgoing body cleanly (the origin got an
// empty or truncated chunked body as if complete) — so the pipe runs with `preventAbort` and the
// fetch is aborted instead, which resets the origin connection as a plain passthrough does; and a
// JS ReadableStream or `tee()` has the same flaw. The rejection then says GatewiseClientBody.

const ABSENT = '\0'; // headers::ABSENT: NUL is never part of a header value

/** `url \n method \n 0|1 \n value…` for the header names given (headers::FACT_HEADERS, in order); 1: a body. */
export function requestFacts(request, names) {
  const headers = request.headers;
  let line = request.url + '\n' + request.method + (request.body === null ? '\n0' : '\n1');
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

/** The error a fetch rejects with when the visitor's own request body failed (see above). */
class GatewiseClientBody extends Error {
  constructor(error) {
    super(String(error?.message ?? error));
    this.name = 'GatewiseClientBody';
  }
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The request's own body, piped through a native stream so that its failure is seen here first:
 * `{ readable, failed }`, where `failed` resolves with the visitor's error (or undefined once the
 * body went through whole). `onFail` runs at once when it fails.
 */
function watchedBody(request, onFail) {
  const length = request.headers.get('content-length');
  const n = length === null ? NaN : Number(length);
  const pass = Number.isSafeInteger(n) && n >= 0 ? new FixedLengthStream(n) : new IdentityTransformStream();
  const failed = request.body.pipeTo(pass.writable, { preventAbort: true }).then(
    () => undefined,
    (error) => {
      onFail(error);
      return error;
    },
  );
  return { readable: pass.readable, failed };
}

/**
 * Fetches `target` with the request's method and headers after the `edits` (headers::encode_edits:
 * one per line, `name` deletes, `name:value` sets), redirects returned as they are, and a time limit
 * on the response headers only (cleared as soon as they are in, so a long body is never cut).
 * `body`: undefined (none), bytes (a kept copy), or `true`: the request's own body, streamed — for
 * GET and HEAD as the request carries it (the only form workerd accepts), else watched (see above).
 * Rejects with the runtime's error, a GatewiseTimeout, or a GatewiseClientBody.
 */
export function forward(request, target, edits, body, timeoutMs) {
  const headers = new Headers(request.headers);
  for (const edit of edits.split('\n')) {
    const colon = edit.indexOf(':');
    if (colon < 0) headers.delete(edit);
    else headers.set(edit.slice(0, colon), edit.slice(colon + 1));
  }
  const method = request.method;
  const init = { method, headers, redirect: 'manual' };
  let watch;
  let why;
  let controller;
  if (body === true) {
    if (method === 'GET' || method === 'HEAD') {
      // No `method` in this init: workerd refuses a GET or HEAD init next to a body.
      const carry = { headers, redirect: 'manual' };
      return limited(target, () => new Request(request, carry), carry, timeoutMs);
    }
    controller = new AbortController();
    watch = watchedBody(request, (error) => {
      why ??= 'client';
      controller.abort(error);
    });
    init.body = watch.readable;
  } else if (body !== undefined) {
    init.body = body;
  }
  if (!(timeoutMs > 0) && !watch) return fetch(target, init);
  controller ??= new AbortController();
  init.signal = controller.signal;
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          why ??= 'timeout';
          controller.abort();
        }, timeoutMs)
      : undefined;
  return fetch(target, init).then(
    (response) => {
      clearTimeout(timer);
      return response;
    },
    async (error) => {
      clearTimeout(timer);
      // The visitor's body failing rejects the pipe first; give it one task to be seen.
      const clientError = watch ? await Promise.race([watch.failed, nextTask()]) : undefined;
      if (clientError !== undefined || why === 'client') throw new GatewiseClientBody(clientError ?? error);
      throw why === 'timeout' ? new GatewiseTimeout(timeoutMs) : error;
    },
  );
}

/** `fetch(target, make())` with the time limit; `make` builds the request once the signal is in `init`. */
function limited(target, make, init, timeoutMs) {
  if (!(timeoutMs > 0)) return fetch(target, make());
  const controller = new AbortController();
  init.signal = controller.signal;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  return fetch(target, make()).then(
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
