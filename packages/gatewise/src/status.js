// The core's one status rule (gatewise_core::status::rules): which statuses are gateway failures
// and which may be retried. The core exports the rule as data (statusRules(), computed from its
// status registry); the functions below decide from that data in JavaScript, without a call into
// the core per response. test/node/api.test.mjs proves they agree with the core (statusRule) for
// every code from 100 to 599.
import { core } from './loader.js';

let byCode;

function table() {
  if (!byCode) {
    byCode = new Map();
    for (const r of core().statusRules()) byCode.set(r.code, Object.freeze(r));
  }
  return byCode;
}

/** Every status the core's rule says is retryable or a gateway failure, as data. */
export function statusRules() {
  return [...table().values()];
}

/** What the core itself says of `code` (one call into the core). */
export function statusRule(code) {
  return core().statusRule(Number(code));
}

/** Whether a request answered with `code` may be tried again later (decided from the data). */
export function isRetryableStatus(code) {
  return table().get(code)?.retryable === true;
}

/** Whether `code` says a gateway on the way to the application failed (decided from the data). */
export function isGatewayFailure(code) {
  return table().get(code)?.gatewayFailure === true;
}
