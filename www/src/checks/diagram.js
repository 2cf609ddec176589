// Redraws the core's hop diagram "you → edge → origin" (render/svg.rs) from a verdict
// row's marks: the classes of the five elements (ids gw-you, gw-l1, gw-edge, gw-l2,
// gw-origin), the cross (gw-x) on the failing one, and the caption and title in words.
import { svg } from './texts.js';

const IDS = ['gw-you', 'gw-l1', 'gw-edge', 'gw-l2', 'gw-origin'];
let firstBad; // the element the server's page marked, before any redraw

function centre(el) {
  if (el.tagName.toLowerCase() === 'line') {
    return (Number(el.getAttribute('x1')) + Number(el.getAttribute('x2'))) / 2;
  }
  return Number(el.getAttribute('cx'));
}

/** Applies `marks` (ok/bad/plain × 5) and the sentences; false when the page has no diagram. */
export function redrawDiagram(marks, sentence, pathSentence) {
  const els = IDS.map((id) => document.getElementById(id));
  if (els.some((e) => !e)) return false;
  if (firstBad === undefined) {
    firstBad = els.findIndex((e) => e.classList.contains('bad'));
  }
  marks.forEach((m, i) => {
    const line = i % 2 === 1;
    const cls = line ? (m === 'ok' ? 'k ok' : m === 'bad' ? 'k bad' : 'k') : m === 'bad' ? 'n bad' : 'n';
    els[i].setAttribute('class', cls);
  });
  const bad = marks.indexOf('bad');
  let cross = document.getElementById('gw-x');
  const hop = document.getElementById('gw-h');
  if (bad < 0) {
    cross?.setAttribute('display', 'none');
    hop?.setAttribute('display', 'none');
  } else {
    const c = Math.round(centre(els[bad]));
    const cy = Number(els[0].getAttribute('cy')) || 40;
    if (!cross) {
      cross = svg('g', { id: 'gw-x', class: 'x', 'aria-hidden': 'true' });
      cross.append(svg('circle', { r: 11 }), svg('path', {}));
      els[0].ownerSVGElement?.append(cross);
    }
    cross.querySelector('circle')?.setAttribute('cx', c);
    cross.querySelector('circle')?.setAttribute('cy', cy);
    cross.querySelector('path')?.setAttribute('d', `M${c - 5} ${cy - 5}l10 10m0-10l-10 10`);
    cross.removeAttribute('display');
    if (hop) {
      if (bad === firstBad) hop.removeAttribute('display');
      else hop.setAttribute('display', 'none');
    }
  }
  const cap = document.getElementById('gw-cap');
  if (cap) cap.textContent = sentence;
  const title = document.getElementById('gw-path');
  if (title) title.textContent = `${pathSentence} ${sentence}`;
  return true;
}
