// The explainer (www/index.html): a status code, an error page, a raw response or log
// lines in; the core's diagnosis out — who wrote it, what failed, at which step, what to
// do — computed in the browser by the wasm core (the npm package's `explain`). Nothing is
// sent anywhere: the input lives in the URL fragment (#q=…), which browsers never send.
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
    const code = err?.code === 'empty' ? 'empty' : 'not_recognised';
    status.textContent = t(`explainer.${code}`);
    status.dataset.state = code;
    return;
  }
  const d = e.diagnosis;
  const x = e.texts;
  const facts = $('facts');
  const hopName = d.hop ? t(`hop.${d.hop}.name`) : '—';
  facts.replaceChildren(
    ...fact('explainer.read_as', 'kind', e.kind, t(`explainer.kind.${e.kind}`)),
    ...fact('page.label.layer', 'layer', d.layer, x.layer, d.layer),
    ...fact('page.label.error_type', 'type', d.errorType, d.errorType ? '' : '—', d.errorType),
    ...fact('page.label.hop', 'hop', d.hop, hopName),
    ...fact('page.label.segment', 'segment', d.segment, t(`segment.${d.segment}.name`)),
    ...fact('page.label.status', 'status', String(d.status), String(d.status)),
  );
  const element = document.createElement('gatewise-error');
  element.setAttribute('lang', lang);
  element.setAttribute('heading-level', '3');
  element.setAttribute('details', '');
  element.diagnosis = d;
  $('explanation').replaceChildren(element);

  const lines = $('lines');
  if (e.lines.length) {
    const ol = el('ol', 'lines');
    for (const l of e.lines) {
      const li = el('li', null, `${l.text} `);
      li.dataset.line = String(l.line);
      li.append(el('code', null, `${l.format}/${l.pattern}`));
      ol.append(li);
    }
    lines.replaceChildren(el('h3', null, t('explainer.lines_heading')), ol);
  } else {
    lines.replaceChildren();
  }
  result.hidden = false;
  result.dataset.kind = e.kind;
  status.textContent = t('page.field', { label: t(`explainer.kind.${e.kind}`), value: x.title });
  status.dataset.state = 'explained';
  const hash = updateFragment ? writeFragment('q', text) : location.hash;
  $('share').href = hash;
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
  for (const prefix of ['explainer.', 'checks.', 'page.', 'hop.', 'segment.']) {
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
