// The explainer (www/index.html): anything pasted or opened — a status code, an error page or
// its text, a raw response or curl -v output, log lines in their envelopes, an error message,
// a HAR file, several of these at once — in; the core's explanation out: the headline's
// diagnosis (who wrote it, what failed, at which step, what to do) and every artefact found,
// a HAR entry with its HTTP cycle and the failing step marked. Computed in the browser by the
// wasm core (the npm package's `explain`); this page renders the core's data and decides
// nothing. Nothing is sent anywhere: the input lives in the URL fragment (#q=…), which
// browsers never send (a long input, such as a HAR file, is not kept in the link).
// It can also run the error page's live checks against an address the visitor types (#url=…).
//
// The page paints first (static HTML); the core and its wasm load after that, lazily.
// Every text is the core's (catalogs `explainer.*`, `checks.*`, `page.*`, the element's
// texts), in the language of `navigator.languages`; set with textContent only.
import { CHECKS, evaluate, runChecks } from '../checks/engine.js';
import { ChecksPanel, addStyle } from '../checks/panel.js';
import { supportText, copyText } from '../checks/support.js';
import { el, translator } from '../checks/texts.js';
import { afterFirstPaint } from '../paint.js';

/** Inputs to try, captured from real servers (tests/fixtures). */
const EXAMPLES = [
  ['502', '502'],
  ['502.3', '502.3'],
  ['524', '524'],
  [
    'nginx 502',
    'HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nDate: Sat, 21 Nov 2026 06:18:29 GMT\r\nContent-Type: text/html\r\nContent-Length: 157\r\nConnection: keep-alive\r\n\r\n<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n',
  ],
  [
    'nginx error.log',
    '2026/11/21 06:18:29 [error] 17702#17702: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /some/path?x=1 HTTP/1.1", upstream: "http://127.0.0.1:18100/some/path?x=1", host: "127.0.0.1:18200"',
  ],
  [
    'Heroku H12',
    '2010-10-06T21:51:37-07:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/" host=myapp.herokuapp.com fwd=17.17.17.17 dyno=web.1 connect=6ms service=30001ms status=503 bytes=0',
  ],
];

/** Inputs longer than this are not kept in the link (#q=…). */
const MAX_SHARED = 16 * 1024;

const $ = (id) => document.getElementById(id);
const main = $('main');
const input = $('input');
const status = $('status');
let gw = null;
let t = translator({});
let lang = 'en';
let dir = 'ltr';

/** Puts `template` into `node`, with `{command}` as a <code> element (text only). */
function fillWithCode(node, template, code) {
  const [before, after = ''] = template.split('{command}');
  node.replaceChildren(before, el('code', null, code), after);
}

/** Every [data-i18n] element, the document's title, lang and dir, in the core's language. */
function localize() {
  document.documentElement.lang = lang;
  document.documentElement.dir = dir;
  document.title = t('explainer.doc_title');
  for (const node of document.querySelectorAll('[data-i18n]')) {
    const key = node.getAttribute('data-i18n');
    const code = node.getAttribute('data-i18n-code');
    if (code) fillWithCode(node, t(key), code);
    else node.textContent = t(key);
  }
}

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { q: params.get('q'), url: params.get('url') };
}

function writeFragment(key, value) {
  const params = new URLSearchParams();
  if (value) params.set(key, value);
  const hash = params.toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  return hash ? `#${hash}` : '#';
}

function fact(labelKey, field, value, shown, token) {
  const dd = el('dd');
  dd.dataset.field = field;
  dd.dataset.value = value ?? '';
  dd.append(shown);
  if (token) dd.append(' ', el('code', null, token));
  return [el('dt', null, t(labelKey)), dd];
}

/** "lines 3–5", "received 502", "log line from nginx", the type: one artefact's summary. */
function summary(a, headline) {
  const d = a.diagnosis;
  const parts = [];
  if (a.lines) {
    parts.push(
      a.lines.first === a.lines.last
        ? t('explain.line', { first: a.lines.first })
        : t('explain.lines', { first: a.lines.first, last: a.lines.last }),
    );
  }
  if (d.receivedStatus != null) parts.push(t('explain.received', { status: d.receivedStatus }));
  parts.push(t(`explain.written.${a.kind}`, { layer: t(`layer.${d.layer}`) }));
  const p = el('p', 'summary', parts.join(' · '));
  if (d.errorType) p.append(' ', el('code', null, d.errorType));
  if (headline) p.append(' ', el('strong', 'headline', t('explain.headline_mark')));
  return p;
}

/** A HAR entry's HTTP cycle: each step with its time, the step where it failed marked. */
function cycle(x) {
  const ol = el('ol', 'cycle');
  ol.setAttribute('aria-label', t('explain.cycle_heading'));
  for (const p of x.phases) {
    const li = el('li');
    li.dataset.phase = p.phase;
    li.dataset.failed = String(p.failed);
    li.dataset.ms = p.ms == null ? '' : String(p.ms);
    li.append(el('span', 'phase', t(`explain.phase.${p.phase}`)), ' ');
    if (p.ms != null) li.append(el('span', 'ms', t('explain.ms', { ms: p.ms })), ' ');
    else if (!p.failed) li.append(el('span', 'ms', t('explain.not_happened')));
    if (p.failed) li.append(el('strong', 'failed', `✗ ${t('explain.failed_here')}`));
    ol.append(li);
  }
  return ol;
}

/** Every artefact of the explanation, when there is more than one or a HAR entry. */
function artefacts(e) {
  const box = $('artefacts');
  const several = e.artefacts.length > 1 || e.notFailed > 0 || e.omitted > 0 || e.artefacts.some((a) => a.exchange);
  if (!several) {
    box.replaceChildren();
    return;
  }
  const ol = el('ol', 'artefacts');
  e.artefacts.forEach((a, i) => {
    const li = el('li');
    li.dataset.kind = a.kind;
    li.dataset.headline = String(i === e.headline);
    li.dataset.failure = String(a.failure);
    li.dataset.layer = a.diagnosis.layer;
    li.dataset.type = a.diagnosis.errorType ?? '';
    li.dataset.received = a.diagnosis.receivedStatus == null ? '' : String(a.diagnosis.receivedStatus);
    li.append(summary(a, i === e.headline), el('p', 'title', a.title));
    if (a.exchange) {
      const x = a.exchange;
      const req = el('p', null);
      req.append(el('code', null, `${x.method} ${x.url}`));
      if (x.error) req.append(' ', el('code', null, x.error));
      li.append(req, cycle(x));
    } else if (a.kind !== 'status') {
      const pre = el('pre', null);
      pre.dir = 'ltr';
      pre.append(el('code', null, a.excerpt));
      li.append(pre);
    }
    if (a.wrappers.length) {
      let text = t('explain.read_inside', { wrappers: a.wrappers.map((w) => t(`explain.wrapper.${w}`)).join(', ') });
      if (a.source) text += ` · ${t('explain.from_source', { source: a.source })}`;
      li.append(el('p', 'muted', text));
    }
    if (a.log) li.append(el('p', null, a.log.text));
    ol.append(li);
  });
  const parts = [el('h3', null, t('explain.artefacts_heading')), ol];
  if (e.notFailed > 0) parts.push(el('p', 'muted not-failed', t('explain.not_failed', { count: e.notFailed })));
  if (e.omitted > 0) parts.push(el('p', 'muted', t('explain.omitted', { count: e.omitted, max: e.artefacts.length })));
  box.replaceChildren(...parts);
}

/** Shows the core's explanation of `text` (or why there is none). */
function explainInput(text, { updateFragment = true } = {}) {
  const result = $('result');
  if (!text.trim()) {
    result.hidden = true;
    status.textContent = t('explainer.empty');
    status.dataset.state = 'empty';
    if (updateFragment) writeFragment('q', '');
    return;
  }
  let e;
  try {
    e = gw.explain(text, { lang });
  } catch (err) {
    result.hidden = true;
    const code = ['empty', 'nothing_failed'].includes(err?.code) ? err.code : 'not_recognised';
    const requests = /\((\d+)/.exec(err?.message ?? '')?.[1] ?? '';
    status.textContent = t(`explainer.${code}`, { count: requests });
    status.dataset.state = code;
    return;
  }
  const d = e.diagnosis;
  const x = e.texts;
  const facts = $('facts');
  const hopName = d.hop ? t(`hop.${d.hop}.name`) : '—';
  const received =
    d.receivedStatus == null
      ? []
      : fact('page.label.received_status', 'received', String(d.receivedStatus), String(d.receivedStatus));
  facts.replaceChildren(
    ...fact('explainer.read_as', 'kind', e.kind, t(`explainer.kind.${e.kind}`)),
    ...fact('page.label.layer', 'layer', d.layer, x.layer, d.layer),
    ...fact('page.label.error_type', 'type', d.errorType, d.errorType ? '' : '—', d.errorType),
    ...fact('page.label.hop', 'hop', d.hop, hopName),
    ...fact('page.label.segment', 'segment', d.segment, t(`segment.${d.segment}.name`)),
    ...received,
    ...fact('explain.status_to_send', 'status', String(d.status), String(d.status)),
  );
  const element = document.createElement('gatewise-error');
  element.setAttribute('lang', lang);
  element.setAttribute('heading-level', '3');
  element.setAttribute('details', '');
  element.diagnosis = d;
  $('explanation').replaceChildren(element);
  artefacts(e);
  result.hidden = false;
  result.dataset.kind = e.kind;
  status.textContent = t('page.field', { label: t(`explainer.kind.${e.kind}`), value: x.title });
  status.dataset.state = 'explained';
  const shared = text.length <= MAX_SHARED;
  $('share-box').hidden = !shared;
  if (shared) {
    const hash = updateFragment ? writeFragment('q', text) : location.hash;
    $('share').href = hash;
  } else if (updateFragment) {
    writeFragment('q', '');
  }
}

let urlRun = 0;
/** Runs the live checks against `address` (a typed URL). */
async function checkAddress(address, { updateFragment = true } = {}) {
  const error = $('url-error');
  let url;
  try {
    url = new URL(address.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    error.textContent = t('explainer.url.invalid');
    $('url').setAttribute('aria-invalid', 'true');
    return;
  }
  error.textContent = '';
  $('url').removeAttribute('aria-invalid');
  if (updateFragment) writeFragment('url', url.href);
  const model = gw.checksModel();
  let cfg = {};
  try {
    cfg = JSON.parse(main.getAttribute('data-gatewise-config'))?.checks ?? {};
  } catch {
    // the defaults
  }
  const timeoutMs = Math.min(model.timeoutMs, Math.max(model.minTimeoutMs, cfg.timeoutMs ?? model.timeoutMs));
  // The typed address is the `site` check: another site's answer is opaque to this page, and
  // the core's verdicts say only what that allows (never "the site's side" for an answer).
  const checks = CHECKS.filter((c) => !['edge', 'origin', 'page'].includes(c));
  const labels = Object.fromEntries(checks.map((c) => [c, `checks.check.${c}`]));
  const panel = new ChecksPanel({ t, lang, dir, checks, labels, headingLevel: 3, timeoutMs });
  $('url-panel').replaceChildren(panel.root);
  const mine = ++urlRun;
  let last = null;
  const run = async () => {
    panel.start();
    const { results, details } = await runChecks(
      {
        sites: (cfg.sites ?? model.sites).slice(0, model.maxSites),
        resolver: cfg.resolver ?? model.resolver,
        host: url.hostname,
        siteUrl: url.href,
        timeoutMs,
      },
      (c, r) => panel.show(c, r),
    );
    if (mine !== urlRun) return;
    const row = evaluate(model, results);
    last = { row, details, at: new Date().toISOString() };
    panel.setVerdict(row, performance.now());
  };
  panel.again.addEventListener('click', run);
  panel.copy.addEventListener('click', async () => {
    const lines = checks.map((c) => ({ label: t(labels[c]), state: panel.stateText(last?.details?.[c], true) }));
    const text = supportText({
      t,
      facts: { url: url.href },
      verdict: last?.row,
      lines,
      checkedAt: last?.at ?? new Date().toISOString(),
      userAgent: navigator.userAgent,
    });
    const ok = await copyText(text, panel.copied, t);
    panel.copied.textContent = t(ok ? 'checks.copy.done' : 'checks.copy.failed');
  });
  await run();
}

function fromFragment() {
  const { q, url } = readFragment();
  if (q != null) {
    input.value = q;
    explainInput(q, { updateFragment: false });
    $('share').href = location.hash;
  }
  if (url != null) {
    $('url').value = url;
    checkAddress(url, { updateFragment: false });
  }
}

async function boot() {
  status.textContent = status.dataset.loading ?? '';
  status.dataset.state = 'loading';
  await new Promise((resolve) => afterFirstPaint(resolve));
  gw = await import('gatewise');
  await import('gatewise/element');
  await gw.init(); // the core (the .wasm beside this script), loaded once: every call below is synchronous
  const prefs = navigator.languages?.length ? [...navigator.languages] : [navigator.language || 'en'];
  const all = {};
  const plurals = {};
  for (const prefix of ['explainer.', 'explain.', 'checks.', 'page.', 'hop.', 'segment.', 'layer.']) {
    const m = gw.messages(prefix, { lang: prefs });
    lang = m.lang;
    dir = m.dir;
    Object.assign(all, m.messages);
    Object.assign(plurals, m.plurals);
  }
  t = translator(all, plurals, lang);
  localize();
  addStyle();

  const examples = $('examples');
  for (const [label, text] of EXAMPLES) {
    const b = el('button', null, label);
    b.type = 'button';
    b.dataset.example = label;
    b.addEventListener('click', () => {
      input.value = text;
      explainInput(text);
      input.focus();
    });
    examples.append(b);
  }
  $('file').addEventListener('change', async () => {
    const file = $('file').files?.[0];
    if (!file) return;
    // Read here, in the browser; the core reads at most limits().maxHarInput of it.
    const text = await file.slice(0, gw.limits().maxHarInput).text();
    // A long file (a HAR file) is explained as it is, not copied into the text box.
    input.value = text.length <= MAX_SHARED ? text : '';
    explainInput(text);
  });
  $('explain-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    explainInput(input.value);
  });
  let debounce;
  input.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => explainInput(input.value), 300);
  });
  $('url-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    checkAddress($('url').value);
  });
  addEventListener('hashchange', fromFragment);
  status.textContent = '';
  status.dataset.state = 'ready';
  document.documentElement.dataset.ready = 'true';
  fromFragment();
}

boot().catch((err) => {
  status.textContent = String(err?.message ?? err);
  status.dataset.state = 'error';
});
