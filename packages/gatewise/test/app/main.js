// A front-end app that uses every entry point of the INSTALLED package, built by each bundler
// of the recipes (packages/gatewise/test/<bundler>/, scripts/test-npm.sh) and driven in headless
// Chromium by packages/gatewise/test/browser.test.mjs.
//
// Lazy loading: importing the package and the element fetches nothing. The page loads, calls
// one synchronous function too early (it throws GatewiseNotReadyError, and fetches nothing
// either), and waits for the test to call window.__gatewiseApp.run(): then the failures'
// <gatewise-error> elements are connected (which loads the core), and everything runs.
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
  init,
  languages,
  limits,
  parseRetryAfter,
  problemDetails,
  proxyStatus,
  renderPage,
  retryDecision,
} from 'gatewise';
import { GatewiseErrorElement } from 'gatewise/element';

const beforeInit = { elementDefined: customElements.get('gatewise-error') === GatewiseErrorElement };
try {
  explainStatus('502');
  beforeInit.threw = null;
} catch (e) {
  beforeInit.threw = { name: e.name, code: e.code };
}

function parseRaw(text) {
  const at = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, at).split('\r\n');
  return {
    status: Number(statusLine.split(' ')[1]),
    headers: lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    body: text.slice(at + 4),
  };
}

async function fixture(name) {
  const res = await fetch(`fixtures/${name}`);
  if (!res.ok) throw new Error(`fixture ${name}: ${res.status}`);
  return res.text();
}

/** Resolves when `check()` is truthy, polling every 20 ms for at most 15 s. */
function until(check, what) {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const tick = () => {
      const value = check();
      if (value) resolve(value);
      else if (++tries > 750) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

async function run() {
  const out = { beforeInit };
  // The failures' elements: connecting them loads the core; they render when it is ready.
  document.querySelector('main').append(document.getElementById('failures').content.cloneNode(true));
  const rendered = () => document.getElementById('status').shadowRoot?.querySelector('[part~="title"]');
  // If the element never renders, init() (the same load) says why: e.g. the .wasm answered 404.
  await until(rendered, 'the element').catch(async (e) => {
    await init();
    throw e;
  });
  await init(); // already loaded by the element: resolves at once
  const raw = await fixture('nginx-refused.http');
  const nginxLine = await fixture('nginx-refused.log');

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

  // fetchWithRetry in the browser: the same-origin flaky endpoint answers 503 (Retry-After: 1), then 200.
  if (window.__flaky) {
    const t0 = performance.now();
    const events = [];
    const ok = await fetchWithRetry(window.__flaky, undefined, { onRetry: (e) => events.push(e.source) });
    out.flaky = { status: ok.status, text: await ok.text(), elapsed: performance.now() - t0, events };
  }
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

/**
 * When the .wasm cannot load (the test answers it with a 404): the page goes on. fetchWithRetry
 * is plain fetch (the response as it is, fetch's own error), an element shows its own children,
 * init() rejects; the test then lets the .wasm through and calls `retry`.
 */
async function withoutCore(flakyPath) {
  const el = document.createElement('gatewise-error');
  el.setAttribute('status', '502');
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Try again';
  el.append(button);
  document.querySelector('main').append(el);
  const res = await fetchWithRetry(flakyPath);
  const response = { status: res.status, text: await res.text() };
  const e = await fetchWithRetry(`http://127.0.0.1:${window.__refusedPort}/`).catch((x) => x);
  const thrown = { name: e.name, message: e.message, isGatewiseFetchError: e instanceof GatewiseFetchError };
  const loading = await init().then(
    () => 'resolved',
    (x) => `rejected: ${x.message}`,
  );
  let sync;
  try {
    explainStatus('502');
  } catch (x) {
    sync = x.name;
  }
  return { response, thrown, init: loading, sync, shadow: el.shadowRoot !== null, buttonShown: button.offsetHeight > 0 };
}

/** After a failed load: init() tries again; the element waiting since then renders. */
async function retry() {
  await init();
  const el = document.querySelector('main > gatewise-error');
  await until(() => el.shadowRoot?.querySelector('[part~="title"]'), 'the element after the retry');
  return { status: explainStatus('502').status, title: el.shadowRoot.querySelector('[part~="title"]').textContent };
}

window.__gatewiseApp = {
  withoutCore,
  retry,
  beforeInit,
  run: () =>
    run().then(
      (value) => ({ ok: true, value }),
      (e) => ({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack}` }),
    ),
};
