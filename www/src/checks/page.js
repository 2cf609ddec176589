// The error page's live checks (built into www/dist/checks.<lang>.js; www/dist/checks.js
// loads the one for the page's language after first paint). Progressive enhancement over
// the page the core rendered (render/html.rs): the page reads fine without this script.
//
// It reads <main data-gatewise-config> (checks::PageFacts), runs the checks, shows the
// core's verdict, redraws the hop diagram, re-checks on the core's reload schedule
// (Chromium's: 1 s, 5 s, 30 s, 1 min, 5 min…) with a visible countdown, reloads the page
// only when the very address that failed answers again (the edge's re-check of it, not the
// origin's root: issue 14), and offers "copy details" for support.
import { CHECKS, evaluate, runChecks } from './engine.js';
import { ChecksPanel, addStyle } from './panel.js';
import { redrawDiagram } from './diagram.js';
import { supportText, copyText } from './support.js';
import { translator } from './texts.js';
// Generated at build time from the core through the wasm binding (scripts/build-www.sh):
// the verdict table, the reload schedule and limits (checksModel()) and this language's
// messages (messages('checks.') and a few page labels).
import { model, messages, plurals } from 'gatewise-checks-data';

const LABELS = Object.fromEntries(CHECKS.map((c) => [c, `checks.check.${c}`]));
/** Checks whose detail (an error type, a status) is shown beside a failure. */
const DETAILED = ['origin', 'page'];

function start(script) {
  const main = document.querySelector('main[data-gatewise-config]');
  if (!main || main.querySelector('#gw-checks')) return;
  let facts = {};
  try {
    facts = JSON.parse(main.getAttribute('data-gatewise-config')) ?? {};
  } catch {
    // a page without usable facts still gets the checks, with the defaults
  }
  const c = facts.checks ?? {};
  const base = script?.src ? new URL('.', script.src) : new URL('/__gatewise/', location.href);
  const timeoutMs = Math.min(model.timeoutMs, Math.max(model.minTimeoutMs, c.timeoutMs ?? model.timeoutMs));
  const config = {
    health: new URL(c.health ?? 'health', base).href,
    originStatus: new URL(c.originStatus ?? 'origin-status', base).href,
    // No default: only the edge that answered this request can re-check it (its token).
    page: c.page ? new URL(c.page, location.href).href : null,
    resolver: c.resolver ?? model.resolver,
    sites: (c.sites ?? model.sites).slice(0, model.maxSites),
    host: c.host ?? location.hostname,
    timeoutMs,
  };
  const autoReload = c.autoReload !== false;
  const lang = document.documentElement.lang || 'en';
  const dir = document.documentElement.dir || 'ltr';
  const t = translator(messages, plurals, lang);

  addStyle();
  // `site` is the explainer's; `page` only when this page can be re-checked.
  const shown = CHECKS.filter((ch) => ch !== 'site' && (ch !== 'page' || config.page));
  const panel = new ChecksPanel({ t, lang, dir, checks: shown, labels: LABELS, timeoutMs, detailed: DETAILED });
  // After the visitor's advice (the path picture heads the page).
  const advice = main.querySelector('#gw-visitor');
  if (advice) advice.after(panel.root);
  else main.append(panel.root);

  let attempt = 0;
  let generation = 0;
  let timer = null;
  let last = null;
  let checkedAt = '';

  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  /** Counts down `ms` on the retry line (`key`, `state`), then runs `then`. */
  const countdown = (ms, then = cycle, key = 'checks.retry.countdown', state = 'waiting') => {
    stopTimer();
    const until = performance.now() + ms;
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - performance.now()) / 1000));
      if (left <= 0) {
        stopTimer();
        then();
        return;
      }
      panel.setRetry(t(key, { seconds: left }), state, left);
    };
    tick();
    timer = setInterval(tick, 250);
  };

  // Reloads made by this script for this address, across page loads: the origin may answer
  // its probe yet still fail this page, so reloads follow the schedule too (1 s, 5 s, …)
  // instead of looping. Forgotten after the schedule's longest step.
  const RELOADS = `gatewise.reloads:${location.pathname}`;
  const reloads = () => {
    try {
      const r = JSON.parse(sessionStorage.getItem(RELOADS) ?? 'null');
      const longest = model.schedule[model.schedule.length - 1] ?? 0;
      return r && Date.now() - r.at < longest ? r.n : 0;
    } catch {
      return 0;
    }
  };
  const reload = (n) => {
    try {
      sessionStorage.setItem(RELOADS, JSON.stringify({ n: n + 1, at: Date.now() }));
    } catch {
      // no storage: reload anyway
    }
    panel.setRetry(t('checks.retry.reloading'), 'reloading');
    setTimeout(() => location.reload(), 300);
  };

  async function cycle() {
    stopTimer();
    const mine = ++generation;
    panel.start();
    if (attempt > 0) panel.setRetry(t('checks.retry.running'), 'running');
    const t0 = performance.now();
    panel.root.dataset.startedMs = String(Math.round(t0));
    const { results, details } = await runChecks(config, (check, r) => {
      if (mine === generation) panel.show(check, r);
    });
    if (mine !== generation) return; // a newer run (online/offline, a click) took over
    const row = evaluate(model, results);
    last = { row, details };
    checkedAt = new Date().toISOString();
    panel.setVerdict(row, performance.now());
    const diagram = t(`checks.verdict.${row.verdict}.diagram`);
    redrawDiagram(row.marks, diagram, t('page.diagram.path'));
    if (row.reload) {
      if (!autoReload) {
        panel.setRetry(t('checks.retry.manual'), 'manual');
        return;
      }
      const n = reloads();
      const wait = n === 0 ? 0 : model.schedule[Math.min(n - 1, model.schedule.length - 1)];
      if (wait > 0) countdown(wait, () => reload(n), 'checks.retry.reload_in', 'reload-wait');
      else reload(n);
      return;
    }
    if (row.waitOnline) {
      panel.setRetry(t('checks.retry.offline'), 'offline');
      return; // the `online` event runs the next cycle
    }
    const delays = model.schedule;
    const wait = delays[Math.min(attempt, delays.length - 1)] ?? 0;
    attempt += 1;
    countdown(wait);
  }

  panel.again.addEventListener('click', () => cycle());
  addEventListener('online', () => cycle());
  addEventListener('offline', () => cycle());

  panel.copy.addEventListener('click', async () => {
    const code = main.querySelector('.code')?.textContent?.trim();
    const title = main.querySelector('h1')?.textContent?.trim();
    const lines = shown.map((ch) => ({
      label: t(LABELS[ch]),
      state: `${panel.stateText(last?.details?.[ch], true)}${last?.details?.[ch]?.detail && DETAILED.includes(ch) ? ` (${last.details[ch].detail})` : ''}`,
    }));
    const text = supportText({
      t,
      facts: { code, title, requestId: facts.requestId, time: facts.time, url: location.href },
      verdict: last?.row,
      lines,
      checkedAt: checkedAt || new Date().toISOString(),
      userAgent: navigator.userAgent,
    });
    const ok = await copyText(text, panel.copied, t);
    panel.copied.textContent = t(ok ? 'checks.copy.done' : 'checks.copy.failed');
    panel.copied.dataset.copied = ok ? 'yes' : 'no';
  });

  cycle();
}

const script = document.currentScript;
const go = () => start(script);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go, { once: true });
else go();
