// A front-end app that uses every entry point of the installed package; the results go to
// window.__gatewise for the browser test to check (packages/gatewise/test/browser.test.mjs).
import {
  backoffDelay,
  classifyError,
  classifyResponse,
  describe,
  explain,
  explainLog,
  explainLogs,
  explainStatus,
  fetchWithRetry,
  GatewiseFetchError,
  languages,
  limits,
  parseRetryAfter,
  problemDetails,
  proxyStatus,
  renderPage,
  retryDecision,
} from 'gatewise';
import 'gatewise/element';
import raw from './nginx-refused.http?raw';
import nginxLine from './nginx-refused.log?raw';

function parseRaw(text) {
  const at = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, at).split('\r\n');
  return {
    status: Number(statusLine.split(' ')[1]),
    headers: lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    body: text.slice(at + 4),
  };
}

async function run() {
  const out = {};
  out.navigatorLanguages = [...navigator.languages];
  out.status524 = explainStatus('524');
  out.status502 = explainStatus('502');
  const nginx = parseRaw(raw);
  out.nginx = classifyResponse(nginx);
  const response = new Response(nginx.body, { status: 502, headers: nginx.headers });
  out.nginxResponse = await classifyResponse(response);
  out.nginxBodyStillReadable = (await response.text()) === nginx.body;
  out.syntheticChrome = classifyError(new TypeError('Failed to fetch'));
  out.syntheticFirefox = classifyError(new TypeError('NetworkError when attempting to fetch resource.'));
  out.syntheticSafari = classifyError(new TypeError('Load failed'));
  // A real network error of this browser: nothing listens on the refused port.
  const refusedUrl = `http://127.0.0.1:${window.__refusedPort}/`;
  const real = await fetch(refusedUrl).catch((e) => e);
  out.realErrorMessage = `${real.name}: ${real.message}`;
  out.realError = classifyError(real);
  out.log = explainLog(nginxLine.split('\n')[0]);
  out.logs = explainLogs(`noise\n${nginxLine}`);
  out.explainResponse = explain(raw);
  try {
    explain('hello world');
  } catch (e) {
    out.explainError = { name: e.name, code: e.code };
  }
  out.describeFr = describe(out.nginx, { lang: 'fr' });
  out.page = renderPage(out.nginx, { requestId: '<i>r</i>' });
  out.problem = problemDetails(out.nginx, { requestId: 'r 1' });
  out.proxyStatus = proxyStatus(out.nginx);
  out.retryPost = retryDecision({ method: 'POST', diagnosis: out.realError, attempt: 1 });
  out.retryGet = retryDecision({ method: 'GET', diagnosis: out.realError, attempt: 1, seed: 1 });
  out.backoff = backoffDelay(2, { baseDelayMs: 100 }, 5);
  out.retryAfter = parseRetryAfter('7');
  out.languages = languages().map((l) => l.tag);
  out.limits = limits();

  // fetchWithRetry in the browser: the same-origin /flaky endpoint answers 503 (Retry-After: 1), then 200.
  const t0 = performance.now();
  const events = [];
  const ok = await fetchWithRetry('/flaky', undefined, { onRetry: (e) => events.push(e.source) });
  out.flaky = { status: ok.status, text: await ok.text(), elapsed: performance.now() - t0, events };
  // …and a refused POST to another origin: the browser hides why, so it may have reached: not retried.
  const failed = await fetchWithRetry(refusedUrl, { method: 'POST', body: 'x' }).catch((e) => e);
  out.refusedPost = {
    isGatewiseFetchError: failed instanceof GatewiseFetchError,
    isTypeError: failed instanceof TypeError,
    attempts: failed.attempts,
    reason: failed.reason,
    confidence: failed.diagnosis?.confidence,
  };
  // The element takes a diagnosis too.
  document.getElementById('from-error').diagnosis = out.realError;
  return out;
}

window.__gatewise = run().then(
  (value) => ({ ok: true, value }),
  (e) => ({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack}` }),
);
