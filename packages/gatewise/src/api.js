// The public API, the same for every runtime (the entry module says where the core is;
// loader.js loads it when first needed).
export { init } from './loader.js';
export { explainStatus, explain, explainLog, explainLogs, describe } from './explain.js';
export { classifyResponse, classifyError } from './classify.js';
export { renderPage, problemDetails, proxyStatus } from './render.js';
export { retryDecision, backoffDelay, parseRetryAfter } from './policy.js';
export { fetchWithRetry, GatewiseFetchError } from './fetch.js';
export { languages, limits } from './core.js';
export { statusRules, statusRule, isRetryableStatus, isGatewayFailure } from './status.js';
export { messages, pluralCategory, checksModel, checksVerdict } from './checks.js';
