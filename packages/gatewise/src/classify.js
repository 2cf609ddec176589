// Classifying: responses (with the layer that wrote them) and thrown fetch errors.
// This file only turns JavaScript values into the plain shapes the core reads; the core decides.
import { core, init } from './loader.js';
import { bounded, limits } from './core.js';

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

function isResponse(x) {
  if (typeof Response !== 'undefined' && x instanceof Response) return true;
  return (
    x != null &&
    typeof x === 'object' &&
    typeof x.clone === 'function' &&
    typeof x.headers?.get === 'function' &&
    'body' in x
  );
}

/** Header pairs from a `Headers`, an array of pairs, or a plain object (values may be arrays). */
function headerPairs(headers, max) {
  const out = [];
  const push = (k, v) => {
    if (out.length < max) out.push([bounded(k, 256), bounded(v, 8192)]);
  };
  if (headers == null) return out;
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    headers.forEach((v, k) => push(k, v));
  } else if (Array.isArray(headers) || typeof headers[Symbol.iterator] === 'function') {
    for (const pair of headers) {
      if (out.length >= max) break;
      if (pair != null && pair.length >= 2) push(pair[0], pair[1]);
    }
  } else if (typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) {
      if (v == null) continue;
      for (const one of Array.isArray(v) ? v : [v]) push(k, one);
    }
  }
  return out;
}

/** The first `max` bytes of a body given as a string, bytes or a buffer. */
function bodyPrefix(body, max) {
  if (body == null) return EMPTY;
  if (typeof body === 'string') return encoder.encode(body.slice(0, max)).subarray(0, max);
  if (body instanceof Uint8Array) return body.subarray(0, max);
  if (body instanceof ArrayBuffer) return new Uint8Array(body, 0, Math.min(max, body.byteLength));
  if (ArrayBuffer.isView(body)) {
    return new Uint8Array(body.buffer, body.byteOffset, Math.min(max, body.byteLength));
  }
  return encoder.encode(String(body).slice(0, max)).subarray(0, max);
}

/** Reads at most `max` bytes of a `Response`'s body from a clone; the response stays unread. */
async function readPrefix(response, max) {
  let copy;
  try {
    copy = response.clone();
  } catch {
    return EMPTY; // the body was already used: classify by status and headers
  }
  if (!copy.body || typeof copy.body.getReader !== 'function') return EMPTY;
  const reader = copy.body.getReader();
  const chunks = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body that breaks mid-way: classify what arrived.
  } finally {
    reader.cancel().catch(() => {});
  }
  const out = new Uint8Array(Math.min(size, max));
  let at = 0;
  for (const c of chunks) {
    if (at >= out.length) break;
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function classifyPlain(status, headers, body) {
  const l = limits();
  return core().classifyResponse(
    { status, headers: headerPairs(headers, l.maxHeaders) },
    bodyPrefix(body, l.maxBody),
  );
}

/**
 * Classifies a response: which layer wrote it and what failed. Given a plain
 * `{ status, headers, body }` it answers at once; given a fetch `Response` it
 * reads a bounded prefix of a clone of its body and answers with a Promise
 * (the response itself stays unread), loading the core first if needed.
 */
export function classifyResponse(response) {
  if (isResponse(response)) {
    // Asynchronous anyway: loads the core first when it is not yet (browsers).
    return init()
      .then(() => readPrefix(response, limits().maxBody))
      .then((body) => classifyPlain(response.status, response.headers, body));
  }
  const { status, headers, body } = response ?? {};
  return classifyPlain(status, headers, body);
}

/** The runtime these errors come from, when this code runs in a known one. */
export function currentRuntime() {
  const g = globalThis;
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (g.process?.versions?.node && !g.process.versions.bun && !g.Deno) return 'node';
  if (typeof g.document !== 'undefined' || typeof g.WorkerGlobalScope !== 'undefined') return 'browser';
  return undefined;
}

function read(obj, key) {
  try {
    return obj[key];
  } catch {
    return undefined; // a hostile getter
  }
}

/** One level of a thrown error as the core reads it, and the next level (`cause`). */
function level(e, maxText) {
  if (e == null || (typeof e !== 'object' && typeof e !== 'function')) {
    return [{ message: bounded(e, maxText) }, undefined];
  }
  const out = { message: '' };
  const name = read(e, 'name');
  const message = read(e, 'message');
  const code = read(e, 'code') ?? read(e, 'errno');
  const retryable = read(e, 'retryable');
  if (typeof name === 'string') out.name = bounded(name, maxText);
  if (typeof message === 'string') out.message = bounded(message, maxText);
  if (typeof code === 'string' || typeof code === 'number') out.code = bounded(code, maxText);
  if (typeof retryable === 'boolean') out.retryable = retryable;
  // undici puts the system error in `cause`; an AggregateError (one per address tried) in `errors`.
  let next = read(e, 'cause');
  if (next == null) {
    const errors = read(e, 'errors');
    if (Array.isArray(errors)) next = errors[0];
  }
  return [out, next];
}

/** The plain, bounded form of a thrown error and its `cause` chain. */
export function errorLike(error, runtime) {
  const { maxCauseDepth, maxErrorText } = limits();
  const [top, first] = level(error, maxErrorText);
  if (runtime) top.runtime = runtime;
  let current = top;
  let next = first;
  for (let depth = 1; depth < maxCauseDepth && next != null; depth++) {
    const [plain, after] = level(next, maxErrorText);
    current.cause = plain;
    current = plain;
    next = after;
  }
  return top;
}

/**
 * Classifies what `fetch` threw: Chrome's `TypeError: Failed to fetch`, Firefox's
 * `NetworkError when attempting to fetch resource.`, Safari's `Load failed`,
 * Node's `fetch failed` with its `cause.code`, workerd's `Network connection lost.`,
 * an `AbortError` or a `TimeoutError`. `options.runtime` names where the error was
 * thrown (`'browser'`, `'node'`, `'workerd'`); by default, the runtime this code runs in.
 */
export function classifyError(error, options) {
  const runtime =
    options != null && 'runtime' in options ? (options.runtime ?? undefined) : currentRuntime();
  return core().classifyError(errorLike(error, runtime));
}
