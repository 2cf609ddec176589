// A real misbehaving origin on 127.0.0.1 for the worker tests: one raw TCP server whose behaviour
// is chosen by the request path, so that one worker instance can be driven into every failure.
// It counts requests per "METHOD /path" and can be closed with everything it holds open.
import net from 'node:net';
import { readFileSync } from 'node:fs';

const fixture = (p) => readFileSync(new URL(`../fixtures/responses/${p}`, import.meta.url));
export const NGINX_502 = fixture('nginx/refused.http');
export const CLOUDFLARE_522 = fixture('cloudflare/522_connection_timed_out.http');

const reply = (status, reason, headers, body = '') => {
  const b = Buffer.from(body);
  const lines = [`HTTP/1.1 ${status} ${reason}`, `Content-Length: ${b.length}`, 'Connection: close'];
  for (const [n, v] of Object.entries(headers)) lines.push(`${n}: ${v}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), b]);
};

/** The behaviours, by the first path segment. `sock.end(bytes)` answers; others misbehave. */
const behaviours = {
  ok: (s) => s.end(reply(200, 'OK', { 'Content-Type': 'text/plain' }, 'hello from the origin')),
  echo: (s, req) =>
    s.end(reply(200, 'OK', { 'Content-Type': 'application/json' }, JSON.stringify({ method: req.method, path: req.path, headers: req.headers, body: req.body.toString() }))),
  hang: () => {},
  reset: (s) => s.resetAndDestroy(),
  close: (s) => s.destroy(),
  garbage: (s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\nProtocol mismatch.\n'),
  'slow-headers': (s, req) => {
    const ms = Number(new URLSearchParams(req.query).get('ms') ?? 300);
    setTimeout(() => s.end(reply(200, 'OK', { 'Content-Type': 'text/plain' }, 'slow but fine')), ms);
  },
  'huge-header': (s) => s.end(reply(200, 'OK', { 'Content-Type': 'text/plain', 'X-Huge': 'a'.repeat(256 * 1024) }, 'big')),
  truncated: (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n');
    s.write('only the start of the body');
    setTimeout(() => s.destroy(), 50);
  },
  'nginx-502': (s) => s.end(NGINX_502),
  'cf-522': (s) => s.end(CLOUDFLARE_522),
  '503': (s) => s.end(reply(503, 'Service Unavailable', { 'Content-Type': 'text/html', 'Retry-After': '1' }, '<p>maintenance</p>')),
  '503-long': (s) => s.end(reply(503, 'Service Unavailable', { 'Content-Type': 'text/html', 'Retry-After': '5' }, '<p>back in five</p>')),
  'api-500': (s) => s.end(reply(500, 'Internal Server Error', { 'Content-Type': 'application/json' }, '{"error":"boom","code":42}')),
  // Answers once (a storable page), then resets: the stale copy must stand in.
  once: (s, req, o) => {
    if (o.count(req) === 1) {
      s.end(reply(200, 'OK', { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'max-age=0' }, '<!doctype html><html><body><p>the cached page</p></body></html>'));
    } else s.resetAndDestroy();
  },
  // Up or down as the test says (o.down).
  flaky: (s, req, o) => (o.down ? s.resetAndDestroy() : s.end(reply(200, 'OK', { 'Content-Type': 'text/plain' }, 'up'))),
};

/** A chunked body decoded, or null while its last chunk has not arrived. */
function dechunk(buf) {
  const parts = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return null;
    if (size === 0) return Buffer.concat(parts);
    if (buf.length < eol + 2 + size + 2) return null;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

export async function startOrigin() {
  const counts = new Map();
  const sockets = new Set();
  const o = {
    down: false,
    /** When set (a behaviour's name), every path behaves so: a whole-origin outage. */
    everything: undefined,
    counts,
    count: (req) => counts.get(`${req.method} ${req.path}`) ?? 0,
    hits: (method, path) => counts.get(`${method} ${path}`) ?? 0,
    /** Every request head received, in order: { method, target, headers, bodyLength }. */
    seen: [],
  };
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    let done = false;
    sock.on('data', (d) => {
      if (done) return;
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1').split('\r\n');
      const [method, target] = head[0].split(' ');
      const headers = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = buf.subarray(end + 4);
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        const decoded = dechunk(body);
        if (!decoded) return; // wait for the last chunk
        body = decoded;
      } else if (body.length < Number(headers['content-length'] ?? 0)) return; // wait for the whole body
      done = true;
      const [path, query = ''] = target.split('?');
      const req = { method, path, query, headers, body };
      o.seen.push({ method, target, headers, bodyLength: body.length });
      if (o.seen.length > 10_000) o.seen.splice(0, 5_000);
      counts.set(`${method} ${path}`, o.count(req) + 1);
      const kind = o.everything ?? (path.split('/')[1] || 'ok');
      (behaviours[kind] ?? behaviours.ok)(sock, req, o);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  o.port = server.address().port;
  o.url = `http://127.0.0.1:${o.port}`;
  o.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  /** Stops listening (connections are refused from now on) and drops every open connection. */
  o.stop = () => o.close();
  /** Listens again on the same port. */
  o.resume = () =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  return o;
}

/** A port on 127.0.0.1 where nothing listens (bound once, then closed). */
export async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}
