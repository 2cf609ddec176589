// Runs `then` once the page has shown its content: after the first contentful paint (Paint
// Timing), or two frames in where that is not reported; at once in a hidden tab (it paints
// nothing until shown), and after `limit` ms whatever happens.
export function afterFirstPaint(then, limit = 3000) {
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    setTimeout(then, 0);
  };
  setTimeout(go, limit);
  if (document.visibilityState === 'hidden') {
    go();
    return;
  }
  const PO = globalThis.PerformanceObserver;
  if (PO?.supportedEntryTypes?.includes('paint')) {
    const po = new PO((list) => {
      if (list.getEntriesByName('first-contentful-paint').length) {
        po.disconnect();
        go();
      }
    });
    po.observe({ type: 'paint', buffered: true });
    return;
  }
  requestAnimationFrame(() => requestAnimationFrame(go));
}
