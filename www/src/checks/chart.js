// The checks' round-trip times as a small SVG bar chart: one row per check, its label
// above a bar whose length is the time taken, on a scale from 0 to the checks' timeout
// (a timeout fills the row, dashed; a failure is drawn in the failure colour and says so
// in words). One SVG unit is one CSS pixel (the chart is redrawn at its own width), so
// its text stays readable on a phone. Built with createElementNS and textContent only;
// in right-to-left languages the bars grow from the right, like the core's hop diagram.
import { number, svg } from './texts.js';

const ROW = 38;
const AXIS = 26;

/** Draws (or redraws) the chart into `root` (an <svg>) for `rows`: [{ check, label, result }]. */
export function drawChart(root, rows, { t, lang, rtl, timeoutMs }) {
  const W = Math.max(240, Math.round(root.getBoundingClientRect().width) || 480);
  const x = (v) => (rtl ? W - v : v);
  const max = W - 2;
  const height = rows.length * ROW + AXIS;
  root.setAttribute('viewBox', `0 0 ${W} ${height}`);
  root.setAttribute('height', String(height));
  const parts = [];
  const summary = [];
  rows.forEach(({ check, label, result }, i) => {
    const y = i * ROW;
    const g = svg('g', { 'data-check': check });
    g.append(svg('text', { x: x(1), y: y + 14, class: 'gw-cl' }, label));
    let value;
    let cls = '';
    let width = 0;
    if (!result) {
      value = t('checks.state.pending');
    } else if (result.outcome === 'timeout') {
      cls = 'to';
      width = max;
      value = t('checks.chart.timeout');
    } else if (result.skipped) {
      value = t('checks.chart.unknown');
    } else {
      cls = result.outcome === 'ok' ? 'ok' : result.outcome === 'failed' ? 'bad' : 'unk';
      width = Math.max(3, Math.min(max, (result.ms / timeoutMs) * max));
      const ms = t('checks.within', { ms: number(lang, result.ms) });
      value = result.outcome === 'failed' ? `${t('checks.chart.failed')} · ${ms}` : ms;
    }
    if (width > 0) {
      g.append(svg('rect', { class: `gw-bar ${cls}`, x: rtl ? W - 1 - width : 1, y: y + 20, width: Math.round(width), height: 10, rx: 2 }));
    } else {
      g.append(svg('line', { class: 'gw-none', x1: x(1), x2: x(max), y1: y + 25, y2: y + 25 }));
    }
    // The value at the row's end, on the label's line (text-anchor follows `direction`).
    g.append(svg('text', { x: x(W - 1), y: y + 14, class: 'gw-cv', 'text-anchor': 'end' }, value));
    parts.push(g);
    summary.push(`${label}: ${value}`);
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
