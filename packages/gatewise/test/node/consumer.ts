// A TypeScript consumer of the INSTALLED package that uses every entry point with its types.
// `tsc --noEmit` checks it (and the package's .d.ts files) under two module resolutions.
import {
  backoffDelay,
  checksModel,
  checksVerdict,
  classifyError,
  classifyResponse,
  describe,
  explain,
  explainLog,
  explainLogs,
  explainStatus,
  fetchWithRetry,
  GatewiseFetchError,
  init,
  languages,
  limits,
  messages,
  parseRetryAfter,
  problemDetails,
  proxyStatus,
  renderPage,
  retryDecision,
  statusRule,
  statusRules,
  isRetryableStatus,
  isGatewayFailure,
  type StatusRule,
  type Confidence,
  type Diagnosis,
  type ErrorType,
  type CyclePhase,
  type ExplainedArtefact,
  type ExplainedDiagnosis,
  type FetchRetryPolicy,
  type GatewiseNotReadyError,
  type Layer,
  type LogLineExplanation,
  type Wrapper,
  type ProblemDetails,
  type RetryAnswer,
  type Texts,
} from 'gatewise';
import { GatewiseErrorElement } from 'gatewise/element';

// Lazy loading: nothing loads on import; init() loads the core once (optionally from elsewhere).
const loading: Promise<void> = init();
const fromElsewhere: Promise<void> = init({ wasm: new URL('https://cdn.example/gatewise_wasm_bg.wasm') });
const preload: Promise<void> = GatewiseErrorElement.load();
function isNotReady(e: unknown): e is GatewiseNotReadyError {
  return e instanceof Error && e.name === 'GatewiseNotReadyError';
}

const explained: ExplainedDiagnosis = explainStatus('524', { lang: ['de-CH', 'en'] });
const t: ErrorType | null = explained.errorType;
const title: string = explained.texts.title;
const sure: Confidence = explained.confidence;

const plain: Diagnosis = classifyResponse({ status: 502, headers: [['server', 'nginx']], body: '<html>' });
const fromHeaders: Diagnosis = classifyResponse({ status: 503, headers: new Headers(), body: new Uint8Array(0) });
const later: Promise<Diagnosis> = classifyResponse(new Response('x', { status: 502 }));
const thrown: Diagnosis = classifyError(new TypeError('Failed to fetch'), { runtime: 'browser' });
const layer: Layer = thrown.layer;

const line: LogLineExplanation | null = explainLog('2026/11/21 06:12:01 [error] 1#1: *1 connect() failed');
const lines: LogLineExplanation[] = explainLogs('a\nb', { lang: 'fr' });
const anything = explain('502.3');
const kind: 'status' | 'response' | 'log' | 'page' | 'headers' | 'message' | 'har' = anything.kind;
const firstArtefact: ExplainedArtefact | undefined = anything.artefacts[anything.headline];
const failedStep: CyclePhase | null | undefined = firstArtefact?.exchange?.failedPhase;
const stepTimes: (number | null | undefined)[] = firstArtefact?.exchange?.phases.map((p) => p.ms) ?? [];
const peeled: Wrapper[] = firstArtefact?.wrappers ?? [];
const quiet: number = anything.notFailed;
const texts: Texts = describe(plain, { lang: 'ar' });
const page: string = renderPage(plain, { lang: 'ja', requestId: 'abc', ownerDetails: false });
const problem: ProblemDetails = problemDetails(plain);
const problemType: string = problem.type;
const header: string = proxyStatus(plain, 'edge');

const answer: RetryAnswer = retryDecision({ method: 'GET', diagnosis: plain, attempt: 1 });
const wait: number | undefined = answer.afterMs ?? undefined;
const ms: number = backoffDelay(2, { baseDelayMs: 50 });
const secs: number | undefined = parseRetryAfter('120');

const policy: FetchRetryPolicy = {
  maxAttempts: 4,
  overMax: 'cap',
  onRetry: (e) => console.log(e.attempt, e.delayMs, e.diagnosis.errorType),
};
async function load(): Promise<string> {
  try {
    const res: Response = await fetchWithRetry('https://example.com/api', { method: 'GET' }, policy);
    return await res.text();
  } catch (e) {
    if (e instanceof GatewiseFetchError) return `${e.diagnosis.errorType} after ${e.attempts}: ${e.reason}`;
    throw e;
  }
}

const tags: string[] = languages().map((l) => l.tag);
const words: Record<string, string | undefined> = messages('checks.', { lang: ['fr', 'en'] }).messages;
const schedule: number[] = checksModel().schedule;
const verdict: string = checksVerdict({ browser: 'ok', sites: 'ok', dns: 'ok', edge: 'ok', origin: 'failed' }).title;
const withChecks: string = renderPage(explained, { checksScript: '/__gatewise/checks.js', checks: { sites: [], timeoutMs: 1000 } });
const maxBody: number = limits().maxBody;
const rule: StatusRule = statusRule(503);
const retryable: boolean = isRetryableStatus(rule.code) && isGatewayFailure(statusRules()[0].code);
const el: GatewiseErrorElement = document.createElement('gatewise-error');
el.diagnosis = thrown;
const shown: Texts | null = el.texts;

// The types are precise, not `any`:
// @ts-expect-error a layer name that does not exist
const wrongLayer: Layer = 'ngnix';
// @ts-expect-error errorType can be null
const notNull: ErrorType = explained.errorType;
// @ts-expect-error overMax is 'give_up' | 'cap'
const wrongPolicy: FetchRetryPolicy = { overMax: 'maybe' };
// @ts-expect-error a status code is a string or a number
explainStatus({ code: 502 });
// @ts-expect-error init takes { wasm }, not a bare URL
init('https://cdn.example/gatewise_wasm_bg.wasm');

export {
  loading, fromElsewhere, preload, isNotReady,
  t, title, sure, plain, fromHeaders, later, layer, line, lines, texts, page, problemType, header,
  wait, ms, secs, load, tags, maxBody, rule, retryable, shown, wrongLayer, notNull, wrongPolicy, words, schedule, verdict, withChecks,
};
