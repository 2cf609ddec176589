// The function signatures of `gatewise`. The data types they use are generated from the
// Rust types (diagnosis.d.ts from docs/diagnosis.schema.json, api.d.ts from
// crates/gatewise-wasm/api.schema.json); only these signatures are written by hand.
import type { Diagnosis, Layer } from './diagnosis.js';
import type {
  CheckVerdict,
  ExplainedDiagnosis,
  Explanation,
  LanguageInfo,
  Limits,
  LogLineExplanation,
  Messages,
  Model,
  PageOptions,
  Reason,
  Results,
  RetryAnswer,
  RetryPolicyOptions,
  RetryQuestion,
  StatusRule,
  TextOptions,
  Texts,
  WaitSource,
} from './api.js';

export type * from './diagnosis.js';
export type * from './api.js';

/** A response as plain values: headers as `Headers`, `[name, value]` pairs or an object. */
export interface ResponseLike {
  status: number;
  headers?: Headers | Iterable<readonly [string, string]> | Record<string, string | readonly string[] | undefined>;
  /** The body or its start (only the first `limits().maxBody` bytes are read). */
  body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | null;
}

/** The RFC 9457 problem document `problemDetails` returns. */
export type ProblemDetails = Omit<Diagnosis, 'detail' | 'evidence' | 'chain'> & {
  /** `https://gatewise.dev/problems/<errorType>`, or `about:blank`. */
  type: string;
  title: string;
  status: number;
  /** The localized one-line summary (never raw upstream text). */
  detail: string;
  /** `urn:gatewise:request:<request id>`, when a request id was given. */
  instance?: string;
  requestId?: string;
  /** What the visitor can do. */
  advice: string[];
  /** With `ownerDetails` only: the upstream's own words, the evidence and the Proxy-Status chain. */
  upstreamDetail?: string;
  evidence?: Diagnosis['evidence'];
  chain?: Diagnosis['chain'];
};

/** Where `init` loads the core from instead of the package's own `gatewise_wasm_bg.wasm`. */
export type WasmSource =
  | string
  | URL
  | Request
  | Response
  | Promise<Response>
  | BufferSource
  | WebAssembly.Module;

/**
 * Loads the WebAssembly core, once; later calls resolve at once. Importing the package
 * loads nothing: in browsers, `await init()` before the synchronous functions (they throw a
 * `GatewiseNotReadyError` until then); `classifyResponse(response)`, `fetchWithRetry` and
 * `<gatewise-error>` load it themselves. In Node every function loads it on first use.
 * A failed load rejects, and the next call tries again.
 */
export function init(options?: { wasm?: WasmSource }): Promise<void>;

/** The error a synchronous function throws in a browser before `init()` has resolved. */
export interface GatewiseNotReadyError extends Error {
  name: 'GatewiseNotReadyError';
  code: 'not_ready';
}

/** The error `explainStatus` and `explain` throw for input the core cannot use. */
export interface GatewiseInputError extends Error {
  name: 'GatewiseInputError';
  code: 'invalid_status' | 'empty' | 'not_recognised';
}

/** What a bare status code (`502`, `'502.3'`, `524`) supports, with the texts for it. */
export function explainStatus(code: string | number, options?: TextOptions): ExplainedDiagnosis;
/** Anything pasted: a status code, a raw response, log lines, an error page. */
export function explain(text: string, options?: TextOptions): Explanation;
/** One log line explained, or `null` when no format recognises it. */
export function explainLog(line: string, options?: TextOptions): LogLineExplanation | null;
/** Every recognised line of a multi-line paste. */
export function explainLogs(text: string, options?: TextOptions): LogLineExplanation[];
/** The texts the core writes for a diagnosis. */
export function describe(diagnosis: Diagnosis, options?: TextOptions): Texts;

/** Which layer wrote a response and what failed; a fetch `Response` is read (a clone) asynchronously. */
export function classifyResponse(response: Response): Promise<Diagnosis>;
export function classifyResponse(response: ResponseLike): Diagnosis;
/** What a thrown fetch error means (Chrome, Firefox, Safari, Node/undici, workerd, aborts, timeouts). */
export function classifyError(
  error: unknown,
  options?: { runtime?: Extract<Layer, 'browser' | 'node' | 'workerd'> | null },
): Diagnosis;

/** The self-contained HTML error page for a diagnosis. */
export function renderPage(diagnosis: Diagnosis, options?: PageOptions): string;
/** The RFC 9457 problem document for a diagnosis. */
export function problemDetails(diagnosis: Diagnosis, options?: PageOptions): ProblemDetails;
/** The `Proxy-Status` header value a gateway named `proxy` (default `gatewise`) sends. */
export function proxyStatus(diagnosis: Diagnosis, proxy?: string): string;

/** Whether a failed request may be tried again, and after how long (the seed defaults to a random one). */
export function retryDecision(
  question: Omit<RetryQuestion, 'seed' | 'policy' | 'bodyReplayable'> & Partial<Pick<RetryQuestion, 'seed' | 'policy' | 'bodyReplayable'>>,
): RetryAnswer;
/** The full-jitter wait before retry `retry` (0 for the first), in milliseconds. */
export function backoffDelay(retry: number, policy?: RetryPolicyOptions, seed?: number): number;
/** Seconds to wait per a `Retry-After` value, or `undefined` when it is not valid. */
export function parseRetryAfter(value: string | null | undefined, nowMs?: number): number | undefined;

/** What `fetchWithRetry` calls before each wait. */
export interface RetryEvent {
  /** The attempt that failed (1 for the first). */
  attempt: number;
  delayMs: number;
  source: WaitSource;
  diagnosis: Diagnosis;
}

/** The retry rules of `fetchWithRetry`, plus a hook and the fetch to use. */
export interface FetchRetryPolicy extends RetryPolicyOptions {
  onRetry?: (event: RetryEvent) => void;
  fetch?: typeof fetch;
}

/** A drop-in `fetch` that retries only what the core's policy allows. */
export function fetchWithRetry(
  input: RequestInfo | URL,
  init?: RequestInit,
  policy?: FetchRetryPolicy,
): Promise<Response>;

/** What `fetchWithRetry` throws when the last attempt threw. */
export class GatewiseFetchError extends TypeError {
  constructor(
    message: string,
    details?: { diagnosis?: Diagnosis; attempts?: number; reason?: Reason; cause?: unknown },
  );
  name: 'GatewiseFetchError';
  diagnosis: Diagnosis;
  attempts: number;
  reason: Reason;
}

/** The languages the catalogs speak, English first. */
export function languages(): LanguageInfo[];
/** How much of each input the core reads. */
export function limits(): Readonly<Limits>;

/** Every status the core's status rule calls retryable or a gateway failure, as data. */
export function statusRules(): StatusRule[];
/** What the core's status rule says of one status code (one call into the core). */
export function statusRule(code: number): StatusRule;
/** Whether a request answered with `code` may be tried again later (decided in JavaScript from `statusRules()`). */
export function isRetryableStatus(code: number): boolean;
/** Whether `code` says a gateway on the way to the application failed (decided in JavaScript from `statusRules()`). */
export function isGatewayFailure(code: number): boolean;

/** Every catalog message whose key starts with `prefix` (e.g. `'checks.'`), in one language. */
export function messages(prefix: string, options?: TextOptions): Messages;
/** The CLDR plural category of `count` in a language (what `Intl.PluralRules#select` says too). */
export function pluralCategory(count: number | string, options?: TextOptions): 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
/** The live checks' verdict table, reload schedule and limits, as data. */
export function checksModel(): Model;
/** What the live checks' outcomes mean ("is it me or the site?"), with the verdict's texts. */
export function checksVerdict(results: Results, options?: TextOptions): CheckVerdict;
