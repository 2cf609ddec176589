// The checks panel: a heading, the verdict (announced: role=status), the list of checks
// with their progress (aria-live, busy while running), the timing chart, the countdown
// and the buttons. Used by the error page (page.js) and the explainer (a typed address).
// DOM only through createElement/textContent: no markup is built from strings.
import { drawChart } from './chart.js';
import { el, number, svg } from './texts.js';

/** The panel's style: the page's own colour variables (render/html.rs CSS), logical properties. */
export const PANEL_CSS = `
.gw-checks{border:1px solid var(--ln);border-radius:8px;padding:.25rem 1rem 1rem;margin-block:1.5rem}
.gw-checks h2,.gw-checks h3{margin-block:1rem .5rem}
.gw-verdict{margin-block:.5rem 1rem}
.gw-verdict p{margin-block:0 .35rem}
.gw-who{font-size:.85rem;font-weight:600;color:var(--mut);text-transform:none}
.gw-vt{font-size:1.1rem;font-weight:700}
.gw-list{list-style:none;padding:0;margin-block:0 .75rem}
.gw-list li{position:relative;padding-inline-start:1.6rem;margin-block-end:.3rem}
.gw-i{position:absolute;inset-inline-start:0;inline-size:1.25rem;text-align:center;font-weight:700}
.gw-l{margin-inline-end:.5rem}
.gw-list [data-state=ok] .gw-i{color:var(--ok)}
.gw-list [data-state=failed] .gw-i,.gw-list [data-state=timeout] .gw-i{color:var(--bad)}
.gw-list [data-state=pending] .gw-i,.gw-list [data-state=unknown] .gw-i{color:var(--mut)}
.gw-s{color:var(--mut);white-space:nowrap}
.gw-list code{display:inline;margin:0;font-size:.85em}
svg.gw-chart{max-inline-size:none;inline-size:100%;margin-block:.5rem 1rem}
svg.gw-chart text{font-size:13px;fill:var(--fg)}
svg.gw-chart .gw-cv,svg.gw-chart .gw-axis text{fill:var(--mut)}
.gw-axis line,.gw-none{stroke:var(--ln);stroke-width:1}
.gw-none{stroke-dasharray:2 4}
.gw-bar{fill:var(--mut)}
.gw-bar.ok{fill:var(--ok)}
.gw-bar.bad{fill:var(--bad)}
.gw-bar.to{fill:none;stroke:var(--bad);stroke-width:2;stroke-dasharray:7 5}
.gw-retry{color:var(--mut);min-block-size:1.5em}
.gw-actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-block:.5rem}
.gw-actions button{font:inherit;font-weight:600;padding:.45rem 1rem;border-radius:4px;cursor:pointer;
border:2px solid var(--a);background:var(--bg);color:var(--a)}
.gw-actions button:hover{background:var(--box)}
.gw-actions button:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.gw-copied{margin-block:.25rem 0}
.gw-support{inline-size:100%;min-block-size:10rem;font:.85rem ui-monospace,Menlo,Consolas,monospace;
background:var(--box);color:var(--fg);border:1px solid var(--ln);border-radius:4px;padding:.5rem}
`;

const ICON = { pending: '…', ok: '✓', failed: '✗', timeout: '◷', unknown: '–' };

/** Adds the panel's style sheet once (CSP: style-src 'unsafe-inline' allows a <style> element). */
export function addStyle(doc = document) {
  if (doc.getElementById('gw-checks-style')) return;
  const style = el('style');
  style.id = 'gw-checks-style';
  style.textContent = PANEL_CSS;
  doc.head.append(style);
}

/**
 * The panel. `options`: { t, lang, dir, checks (the rows to show, in order),
 * labels (check → catalog key), headingLevel, idPrefix, timeoutMs, detailed (the checks
 * whose detail — an error type, a status — is shown beside a failure) }.
 */
export class ChecksPanel {
  constructor({ t, lang, dir, checks, labels, headingLevel = 2, timeoutMs, detailed = ['origin'] }) {
    this.detailed = detailed;
    this.t = t;
    this.lang = lang;
    this.rtl = dir === 'rtl';
    this.checks = checks;
    this.labels = labels;
    this.timeoutMs = timeoutMs;
    this.results = {};
    this.root = el('section', 'gw-checks');
    this.root.id = 'gw-checks';
    this.root.setAttribute('aria-labelledby', 'gw-checks-h');
    this.root.dataset.state = 'idle';
    const h = el(`h${headingLevel}`, null, t('checks.heading'));
    h.id = 'gw-checks-h';

    this.verdict = el('div', 'gw-verdict');
    this.verdict.id = 'gw-verdict';
    this.verdict.setAttribute('role', 'status');
    this.verdict.setAttribute('aria-live', 'polite');
    this.verdict.setAttribute('aria-atomic', 'true');
    this.verdict.append(el('p', 'gw-vx', t('checks.intro')));

    this.list = el('ul', 'gw-list');
    this.list.id = 'gw-list';
    this.list.setAttribute('aria-label', t('checks.list_label'));
    this.list.setAttribute('aria-live', 'polite');
    this.items = {};
    for (const c of checks) {
      const li = el('li');
      li.dataset.check = c;
      li.dataset.state = 'pending';
      li.append(el('span', 'gw-i', ICON.pending), el('span', 'gw-l', t(labels[c])), el('span', 'gw-s', t('checks.state.pending')));
      li.querySelector('.gw-i').setAttribute('aria-hidden', 'true');
      this.items[c] = li;
      this.list.append(li);
    }

    this.chart = svg('svg', { class: 'gw-chart', role: 'img', 'aria-labelledby': 'gw-chart-t' });
    this.chart.id = 'gw-chart';

    this.retry = el('p', 'gw-retry');
    this.retry.id = 'gw-retry';
    this.countdown = el('span');
    this.countdown.id = 'gw-countdown';
    this.countdown.setAttribute('role', 'timer');
    this.retry.append(this.countdown);

    const actions = el('div', 'gw-actions');
    this.again = el('button', null, t('checks.again'));
    this.again.type = 'button';
    this.again.id = 'gw-again';
    this.copy = el('button', null, t('checks.copy.button'));
    this.copy.type = 'button';
    this.copy.id = 'gw-copy';
    actions.append(this.again, this.copy);

    this.copied = el('p', 'gw-copied');
    this.copied.id = 'gw-copied';
    this.copied.setAttribute('role', 'status');

    this.root.append(h, this.verdict, this.list, this.chart, this.retry, actions, this.copied);
    this.draw();
    // The chart is drawn at its own width (one unit per pixel): again when that changes.
    if (typeof ResizeObserver === 'function') {
      let width = 0;
      new ResizeObserver(([entry]) => {
        const w = Math.round(entry.contentRect.width);
        if (w && w !== width) {
          width = w;
          this.draw();
        }
      }).observe(this.chart);
    }
  }

  /** Every check back to "checking…". */
  start() {
    this.results = {};
    this.root.dataset.state = 'running';
    this.list.setAttribute('aria-busy', 'true');
    for (const c of this.checks) this.show(c, null);
    this.draw();
  }

  /** One check's result ({ outcome, ms, detail }) or null for pending. */
  show(check, result) {
    const li = this.items[check];
    if (!li) return;
    if (result) this.results[check] = result;
    const state = result ? result.outcome : 'pending';
    li.dataset.state = state;
    if (result?.ms != null) li.dataset.ms = String(result.ms);
    li.querySelector('.gw-i').textContent = ICON[state] ?? '';
    const s = li.querySelector('.gw-s');
    s.replaceChildren(this.stateText(result));
    if (result?.detail && this.detailed.includes(check) && result.outcome !== 'ok') {
      s.append(' ', el('code', null, result.detail));
    }
    this.draw();
  }

  /** The words for a result ("yes", "no answer in time", "checking…"); with the time for support texts. */
  stateText(r, withTime = false) {
    const t = this.t;
    if (!r) return t('checks.state.pending');
    const word = t(`checks.state.${r.outcome}`);
    if (!withTime || r.skipped || r.outcome === 'timeout' || !(r.ms > 0)) return word;
    return `${word} · ${t('checks.within', { ms: number(this.lang, r.ms) })}`;
  }

  draw() {
    const rows = this.checks.map((c) => ({ check: c, label: this.t(this.labels[c]), result: this.results[c] }));
    drawChart(this.chart, rows, { t: this.t, lang: this.lang, rtl: this.rtl, timeoutMs: this.timeoutMs });
  }

  /** The verdict: the core's row and its words. `ms`: when it came, for tests and support. */
  setVerdict(row, ms) {
    const t = this.t;
    const v = row.verdict;
    this.root.dataset.state = 'done';
    this.list.setAttribute('aria-busy', 'false');
    this.verdict.dataset.verdict = v;
    this.verdict.dataset.who = row.who;
    this.verdict.dataset.ms = String(Math.round(ms));
    this.verdict.replaceChildren(
      el('p', 'gw-who', t(`checks.who.${row.who}`)),
      el('p', 'gw-vt', t(`checks.verdict.${v}.title`)),
      el('p', 'gw-vx', t(`checks.verdict.${v}.text`)),
    );
  }

  /** The line under the list: a countdown, "checking again now…", or another notice. */
  setRetry(text, state, seconds) {
    this.countdown.textContent = text;
    this.retry.dataset.state = state;
    if (seconds != null) this.retry.dataset.seconds = String(seconds);
    else delete this.retry.dataset.seconds;
  }
}
