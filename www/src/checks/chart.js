// The checks' round-trip times as a small SVG bar chart: one row per check, its label on
// one line and below it a bar whose length is the time taken, on a scale from 0 to the
// checks' timeout, with the time written after the bar (a timeout fills the scale, dashed;
// a failure is drawn in the failure colour and says so in words). One SVG unit is one CSS
// pixel (the chart is redrawn at its own width), so its text stays readable on a phone.
// Built with createElementNS and textContent only; in right-to-left languages the bars
// grow from the right, like the core's hop diagram.
import { number, svg } from './texts.js';

const ROW = 40;
const AXIS = 26;

/** Draws (or redraws) the chart into `root` (an <svg>) for `rows`: [{ check, label, result }]. */
export function drawChart(root, rows, { t, lang, rtl, timeoutMs }) {
  const W = Math.max(240, Math.round(root.getBoundingClientRect().width) || 480);
  const x = (v) => (rtl ? W - v : v);
  const values = rows.map(({ result }) => valueOf(result, { t, lang, timeoutMs }));
  // Room after the longest bar for the longest value (measured once the chart is drawn).
  let room = 150;
  if (root.isConnected) {
    const probe = svg('text', { class: 'gw-cv', x: 0, y: -20 }, values.reduce((a, b) => (b.text.length > a.length ? b.text : a), ''));
    root.append(probe);
    const len = probe.getComputedTextLength?.() || 0;
    probe.remove();
    if (len > 0) room = Math.min(W * 0.5, Math.ceil(len) + 12);
  }
  const max = W - room;
  const height = rows.length * ROW + AXIS;
  root.setAttribute('viewBox', `0 0 ${W} ${height}`);
  root.setAttribute('height', String(height));
  const parts = [];
  const summary = [];
  rows.forEach(({ check, label }, i) => {
    const y = i * ROW;
    const { text, cls, share } = values[i];
    const g = svg('g', { 'data-check': check });
    g.append(svg('text', { x: x(1), y: y + 14, class: 'gw-cl' }, label));
    const width = share == null ? 0 : Math.max(3, Math.min(max, share * max));
    if (width > 0) {
      g.append(svg('rect', { class: `gw-bar ${cls}`, x: rtl ? W - 1 - width : 1, y: y + 20, width: Math.round(width), height: 10, rx: 2 }));
    }
    g.append(svg('text', { x: x(width > 0 ? width + 7 : 1), y: y + 30, class: 'gw-cv' }, text));
    parts.push(g);
    summary.push(t('page.field', { label, value: text }));
  });
  // The scale: 0 … the timeout.
  const ya = rows.length * ROW + 2;
  const axis = svg('g', { class: 'gw-axis', 'aria-hidden': 'true' });
  axis.append(
    svg('line', { x1: x(1), x2: x(max), y1: ya, y2: ya }),
    svg('line', { x1: x(1), x2: x(1), y1: ya - 4, y2: ya + 4 }),
    svg('line', { x1: x(max), x2: x(max), y1: ya - 4, y2: ya + 4 }),
    svg('text', { x: x(1), y: ya + 18 }, number(lang, 0)),
    svg('text', { x: x(max), y: ya + 18, 'text-anchor': 'end' }, t('checks.within', { ms: number(lang, timeoutMs) })),
  );
  const title = svg('title', { id: 'gw-chart-t' }, `${t('checks.chart.title')}. ${summary.join('; ')}`);
  root.replaceChildren(title, ...parts, axis);
}

/** What a row shows: its words, its bar's class and length (a share of the timeout, or none). */
function valueOf(result, { t, lang, timeoutMs }) {
  if (!result) return { text: t('checks.state.pending'), cls: '', share: null };
  if (result.outcome === 'timeout') return { text: t('checks.chart.timeout'), cls: 'to', share: 1 };
  if (result.skipped) return { text: t('checks.chart.unknown'), cls: '', share: null };
  const ms = t('checks.within', { ms: number(lang, result.ms) });
  const cls = result.outcome === 'ok' ? 'ok' : result.outcome === 'failed' ? 'bad' : 'unk';
  const text = result.outcome === 'failed' ? `${t('checks.chart.failed')} · ${ms}` : ms;
  return { text, cls, share: result.ms / timeoutMs };
}
