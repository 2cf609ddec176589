// The core's operations timed inside WebAssembly in Node, through the npm package's own wasm
// (packages/gatewise/dist: the wasm-bindgen functions its wrappers call), to set beside the
// native criterion figures (crates/gatewise-core/benches/core.rs) as a wasm/native ratio.
//
// Each exported function reads its arguments from JavaScript and writes its result back
// (serde-wasm-bindgen): that crossing is part of every call a user makes, so it is in the
// figures; `boundary` (parseRetryAfter("120")) shows what a near-empty call costs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** ns per call of `f`: batches of ~`batchMs` each, `repeats` of them; median, min, max. */
export function time(f, { batchMs, repeats }) {
  // Warm-up (compilation tiers, caches), then batches sized to ~batchMs.
  const until = process.hrtime.bigint() + BigInt(Math.round(batchMs * 1e6));
  while (process.hrtime.bigint() < until) f();
  let n = 1;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if ((ms >= batchMs / 4 && n >= 16) || n >= 1 << 22) {
      n = Math.max(n, Math.ceil((n * batchMs) / Math.max(ms, 1e-3)));
      break;
    }
    n *= 2;
  }
  const per = [];
  for (let r = 0; r < repeats; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    per.push(Number(process.hrtime.bigint() - t) / n);
  }
  per.sort((a, b) => a - b);
  const m = per.length >> 1;
  return { median: per.length % 2 ? per[m] : (per[m - 1] + per[m]) / 2, min: per[0], max: per.at(-1), calls: n };
}

/** Splits a captured raw response (CRLF head, then body). */
function parseRaw(bytes) {
  const end = bytes.indexOf('\r\n\r\n');
  const head = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  const headers = head.slice(1).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
  });
  return { status, headers, body: bytes.subarray(end + 4) };
}

/**
 * Times each operation in wasm. `root`: the repository. Returns rows
 * `{ id, op, wasm: {median,min,max}, note }` whose `id` names the criterion benchmark
 * (`core/<id>`) it compares with.
 */
export async function wasmOps(root, { smoke }) {
  const dist = join(root, 'packages/gatewise/dist');
  const wasm = await import(join(dist, 'gatewise_wasm.js'));
  wasm.initSync({ module: readFileSync(join(dist, 'gatewise_wasm_bg.wasm')) });
  const opts = { batchMs: smoke ? 2 : 100, repeats: smoke ? 1 : 9 };

  const raw = parseRaw(readFileSync(join(root, 'tests/fixtures/responses/nginx/refused.http')));
  const head = { status: raw.status, headers: raw.headers };
  const body = new Uint8Array(raw.body);
  const logLine = readFileSync(join(root, 'tests/fixtures/logs/nginx/refused.log'), 'utf8').split('\n')[0];
  const page = { lang: 'en', requestId: '8f1033abc0de4a21', url: 'https://shop.example/cart?item=42' };
  const d = wasm.classifyResponse(head, body);
  // Exactness: the wasm and the native benchmarks classify the same response alike.
  if (d.layer !== 'nginx' || d.status !== 502) throw new Error(`wasm classified the fixture as ${d.layer} ${d.status}`);
  if (!wasm.renderPage(d, page).startsWith('<!doctype html>')) throw new Error('renderPage wrote no page');
  const langs = ['fr-CH', 'fr', 'en', 'de'];
  // The body padded to the 16 KiB prefix the core reads, as benches/core.rs pads it (`classify_16k`).
  const size = 16 * 1024;
  const pad = Buffer.from('a padding to disable MSIE and Chrome friendly error page ');
  const chunks = [raw.body, Buffer.from('<!-- ')];
  for (let n = raw.body.length + 5; n < size - 4; n += pad.length) chunks.push(pad);
  const longBody = new Uint8Array(Buffer.concat([Buffer.concat(chunks).subarray(0, size - 4), Buffer.from('-->\n')]));

  const rows = [
    { id: 'boundary', op: 'a near-empty call (parseRetryAfter "120")', f: () => wasm.parseRetryAfter('120', 0) },
    { id: 'classify', op: 'classify the captured nginx 502 (classifyResponse)', f: () => wasm.classifyResponse(head, body) },
    { id: 'classify_16k', op: 'classify it with its body padded to 16 KiB (classifyResponse)', f: () => wasm.classifyResponse(head, longBody) },
    { id: 'explain_log', op: 'explain its error.log line (explainLog, with its texts)', f: () => wasm.explainLog(logLine, {}) },
    { id: 'render_html', op: 'render the HTML page (renderPage)', f: () => wasm.renderPage(d, page) },
    { id: 'render_problem_json', op: 'render the problem JSON (problemDetails, as an object)', f: () => wasm.problemDetails(d, page) },
    { id: 'render_proxy_status', op: 'render Proxy-Status (proxyStatus)', f: () => wasm.proxyStatus(d, 'gatewise') },
    { id: 'lang_empty', op: 'explainLog of an empty line (no language)', f: () => wasm.explainLog('', {}) },
    { id: 'lang_list', op: 'explainLog of an empty line with a 4-tag language list', f: () => wasm.explainLog('', { lang: langs }) },
  ];
  for (const r of rows) r.wasm = time(r.f, opts);
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  // The npm API negotiates a language list (navigator.languages) inside its calls: the
  // difference of the two explainLog calls is that negotiation plus reading the list.
  const diff = (k) => by.lang_list.wasm[k] - by.lang_empty.wasm[k];
  rows.push({
    id: 'negotiate_language_list',
    op: 'negotiate a 4-tag language list (the two explainLog calls, subtracted)',
    wasm: { median: diff('median'), min: Math.max(0, by.lang_list.wasm.min - by.lang_empty.wasm.max), max: by.lang_list.wasm.max - by.lang_empty.wasm.min },
  });
  return rows.map(({ f, ...r }) => r);
}
