// fetchWithRetry: a drop-in `fetch` that retries only what the core's policy allows.
// The loop lives here (it needs timers and the network); every decision is the core's:
// what failed (classifyError / classifyResponse), whether to retry and how long to wait
// (retryDecision: idempotency, whether the request can have reached the origin,
// Retry-After, full-jitter backoff).
import { classifyError, classifyResponse } from './classify.js';
import { parseRetryAfter, retryDecision } from './policy.js';
import { init as loadCore } from './loader.js';
import { isGatewayFailure, isRetryableStatus } from './status.js';

/**
 * What `fetchWithRetry` throws when the request failed without a response and was
 * not (or no longer) retried. A `TypeError`, like fetch's own network errors, with
 * the core's `diagnosis`, the number of `attempts`, the `reason` retrying stopped
 * and the last thrown error as `cause`.
 */
export class GatewiseFetchError extends TypeError {
  constructor(message, { diagnosis, attempts, reason, cause } = {}) {
    super(message, { cause });
    this.name = 'GatewiseFetchError';
    this.diagnosis = diagnosis;
    this.attempts = attempts;
    this.reason = reason;
  }
}

// fetch() upper-cases these methods, whatever their case (Fetch standard, "normalize a method").
const NORMALIZED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function isRequest(x) {
  return typeof Request !== 'undefined' && x instanceof Request;
}

function methodOf(input, init) {
  const m = init?.method ?? (isRequest(input) ? input.method : 'GET');
  const s = String(m);
  return NORMALIZED.has(s.toUpperCase()) ? s.toUpperCase() : s;
}

/** Whether the body can be sent again: anything but a one-shot stream or iterable. */
function replayable(input, init) {
  const body = init?.body;
  if (body == null) return true; // none, or a Request's own body (cloned per attempt)
  if (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return true;
  for (const name of ['Blob', 'FormData', 'URLSearchParams']) {
    const Type = globalThis[name];
    if (typeof Type === 'function' && body instanceof Type) return true;
  }
  return false;
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function discard(response) {
  try {
    response.body?.cancel().catch(() => {});
  } catch {
    // already used or locked: nothing to free
  }
}

async function diagnoseResponse(response) {
  const diagnosis = await classifyResponse(response);
  // The core reads delay-seconds itself; an HTTP-date needs the clock, which is here.
  if (diagnosis.retryAfter == null) {
    const secs = parseRetryAfter(response.headers.get('retry-after'));
    if (secs !== undefined) diagnosis.retryAfter = secs;
  }
  return diagnosis;
}

/**
 * `fetch(input, init)`, tried again while the core's policy allows: only idempotent
 * methods, or any method when the failure happened before the request could reach
 * the server; after `Retry-After` when the server sent one, else after a full-jitter
 * backoff. `init.signal` aborts the request and the waits between attempts.
 *
 * Resolves with the final `Response` (which may be an error status: like fetch, it
 * does not throw for those); rejects with a {@link GatewiseFetchError} carrying the
 * diagnosis when the last attempt threw, or with the signal's reason when aborted.
 *
 * `policy`: `maxAttempts`, `baseDelayMs`, `maxDelayMs`, `maxRetryAfterMs`, `overMax`
 * (see `RetryPolicyOptions`), plus `onRetry({ attempt, delayMs, diagnosis, source })`
 * called before each wait, and `fetch` (default `globalThis.fetch`).
 */
export async function fetchWithRetry(input, init, policy) {
  const { onRetry, fetch: doFetch = globalThis.fetch, ...rules } = policy ?? {};
  const signal = init?.signal ?? (isRequest(input) ? input.signal : undefined);
  const method = methodOf(input, init);
  const bodyReplayable = replayable(input, init);
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let response;
    let thrown;
    let diagnosis;
    try {
      // A Request can be sent once: send a copy each time, keep the original unread.
      response = await doFetch(isRequest(input) ? input.clone() : input, init);
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      thrown = e;
    }
    // Below 400 is never a failure (the core's rule): hand it back untouched.
    if (response && response.status < 400) return response;
    // The core loads on the first failure, not before (browsers). If it cannot load, this
    // behaves as plain fetch would: the response as it is, or the error it threw.
    try {
      await loadCore();
    } catch {
      if (response) return response;
      throw thrown;
    }
    // A status the core's status rule calls neither retryable nor a gateway failure is not
    // retried: hand it back untouched, unclassified (the rule is data, decided here in JS).
    if (response && !(isRetryableStatus(response.status) || isGatewayFailure(response.status))) return response;
    diagnosis = response ? await diagnoseResponse(response) : classifyError(thrown);
    const answer = retryDecision({ method, diagnosis, attempt, bodyReplayable, policy: rules });
    if (!answer.retry) {
      if (response) return response;
      const what = diagnosis.errorType ?? 'unclassified failure';
      throw new GatewiseFetchError(
        `${thrown?.message ?? 'fetch failed'} (gatewise: ${what}; ${attempt} attempt${attempt === 1 ? '' : 's'}, not retried: ${answer.reason})`,
        { diagnosis, attempts: attempt, reason: answer.reason, cause: thrown },
      );
    }
    if (response) discard(response);
    onRetry?.({ attempt, delayMs: answer.afterMs, source: answer.source, diagnosis });
    await sleep(answer.afterMs, signal);
  }
}
