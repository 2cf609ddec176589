// The core's retry policy: may a failed request be tried again, and after how long.
import { core } from './loader.js';

/** A fresh seed for the jitter (an integer below 2^53). */
export function randomSeed() {
  const c = globalThis.crypto;
  if (c?.getRandomValues) {
    const [a, b] = c.getRandomValues(new Uint32Array(2));
    return a * 2 ** 21 + (b >>> 11);
  }
  return Math.floor(Math.random() * 2 ** 53);
}

/**
 * Whether a failed request may be tried again ({ method, diagnosis, attempt,
 * bodyReplayable, policy, seed }): idempotent methods when the failure is transient,
 * other methods only when the request cannot have reached the origin; `Retry-After`
 * first, else full-jitter backoff.
 */
export function retryDecision(question) {
  const q = question ?? {};
  return core().retryDecision({ ...q, seed: q.seed ?? randomSeed() });
}

/** The full-jitter wait before retry `retry` (0 for the first retry), in milliseconds. */
export function backoffDelay(retry, policy, seed) {
  return core().backoffDelay(retry >>> 0, policy ?? undefined, seed ?? randomSeed());
}

/**
 * Seconds to wait per a `Retry-After` value (delay-seconds or HTTP-date, measured
 * from `nowMs`, default now); `undefined` when the value is not valid.
 */
export function parseRetryAfter(value, nowMs = Date.now()) {
  if (value == null) return undefined;
  return core().parseRetryAfter(String(value).slice(0, 256), nowMs);
}
