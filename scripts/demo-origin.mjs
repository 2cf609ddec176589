// The demo origin behind `npm start`: a small server on 127.0.0.1 that can be made to fail in
// every way the edge worker diagnoses. Its landing page links to each failure; open the links
// through the worker (http://127.0.0.1:8787/) to see the diagnosis instead of a bare 502.
//
//   node scripts/demo-origin.mjs [port]      (default 8788; npm start runs it)
import net from 'node:net';
import { readFileSync } from 'node:fs';

const port = Number(process.argv[2] ?? process.env.GATEWISE_DEMO_PORT ?? 8788);
const REFUSE_SECONDS = 15;
const nginx502 = readFileSync(new URL('../tests/fixtures/responses/nginx/refused.http', import.meta.url));

const reply = (status, reason, headers, body = '') => {
  const b = Buffer.from(body);
  const head = [`HTTP/1.1 ${status} ${reason}`, `Content-Length: ${b.length}`, 'Connection: close'];
  for (const [n, v] of Object.entries(headers)) head.push(`${n}: ${v}`);
  return Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n'), b]);
};
const html = (title, inner) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>` +
  `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code{background:#eee;padding:0 .3em}li{margin:.4rem 0}</style></head><body>${inner}</body></html>`;

const FAILURES = [
  ['refuse', `close the origin's listener for ${REFUSE_SECONDS} s (then every page is refused)`],
  ['hang', 'accept the connection and never answer (the worker times out: TIMEOUT_MS)'],
  ['reset', 'accept, read the request, then reset the connection'],
  ['close', 'accept, read the request, then close without a byte'],
  ['garbage', 'answer with bytes that are not HTTP'],
  ['slow-headers', 'answer after 3 s (fine below TIMEOUT_MS)'],
  ['huge-header', 'answer with a 256 KiB header'],
  ['truncated', 'promise 100 000 bytes of body, send 30, close'],
  ['nginx-502', "answer with nginx's own 502 page (try INTERCEPT_MODE=replace-html)"],
  ['503', 'answer 503 with Retry-After: 2 (the worker retries a GET once)'],
  ['api-500', 'answer a JSON API error (passed through untouched)'],
  ['cached', 'a cacheable page; after "refuse", it is served stale with a notice'],
];

const landing = () =>
  html(
    'gatewise demo origin',
    `<h1>gatewise demo origin</h1><p>This origin stands behind the gatewise edge worker. Each link makes it fail in one way; the worker answers with a diagnosis. Ask for JSON with <code>curl -H 'accept: application/json'</code>, or send the owner's token (<code>X-Gatewise-Debug: demo</code>) to see the owner details.</p><ul>` +
      FAILURES.map(([p, what]) => `<li><a href="/demo/${p}">/demo/${p}</a>: ${what}</li>`).join('') +
      `</ul><p>The worker's own endpoints: <a href="/__gatewise/health">health</a>, <a href="/__gatewise/origin-status">origin-status</a>.</p>`,
  );

let server;
function handle(sock, method, path) {
  const kind = path.startsWith('/demo/') ? path.slice(6) : '';
  switch (kind) {
    case 'refuse':
      sock.end(reply(200, 'OK', { 'Content-Type': 'text/html; charset=utf-8' }, html('refusing', `<p>The origin stops listening for ${REFUSE_SECONDS} s from now. <a href="/">Open any page</a> through the worker to see a refused connection diagnosed.</p>`)));
      setTimeout(() => {
        server.close();
        console.log(`demo-origin: listener closed for ${REFUSE_SECONDS} s`);
        setTimeout(listen, REFUSE_SECONDS * 1000);
      }, 200);
      return;
    case 'hang':
      return;
    case 'reset':
      return sock.resetAndDestroy();
    case 'close':
      return sock.destroy();
    case 'garbage':
      return sock.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\nProtocol mismatch.\n');
    case 'slow-headers':
      return void setTimeout(() => sock.end(reply(200, 'OK', { 'Content-Type': 'text/plain' }, 'slow, but here\n')), 3000);
    case 'huge-header':
      return sock.end(reply(200, 'OK', { 'Content-Type': 'text/plain', 'X-Huge': 'a'.repeat(256 * 1024) }, 'big header\n'));
    case 'truncated':
      sock.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\nConnection: close\r\n\r\nthe start of a long body\n');
      return void setTimeout(() => sock.destroy(), 100);
    case 'nginx-502':
      return sock.end(nginx502);
    case '503':
      return sock.end(reply(503, 'Service Unavailable', { 'Content-Type': 'text/html', 'Retry-After': '2' }, html('maintenance', '<p>Back soon.</p>')));
    case 'api-500':
      return sock.end(reply(500, 'Internal Server Error', { 'Content-Type': 'application/json' }, '{"error":"database unavailable"}'));
    case 'cached':
      return sock.end(reply(200, 'OK', { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'max-age=10' }, html('cached', `<p>A cacheable page, made at ${new Date().toISOString()}.</p>`)));
    default:
      return sock.end(reply(200, 'OK', { 'Content-Type': 'text/html; charset=utf-8' }, method === 'HEAD' ? '' : landing()));
  }
}

function listen() {
  server = net.createServer((sock) => {
    sock.on('error', () => {});
    let buf = '';
    sock.on('data', (d) => {
      if (buf === null) return;
      buf += d.toString('latin1');
      if (!buf.includes('\r\n\r\n')) return;
      const [method, target] = buf.split(' ');
      buf = null;
      handle(sock, method, (target ?? '/').split('?')[0]);
    });
  });
  server.listen(port, '127.0.0.1', () => console.log(`demo-origin: listening on http://127.0.0.1:${port}`));
}

listen();
