// A small in-memory cache service for workerd's Cache API (`cacheApiOutbound` in the capnp
// config), the protocol Miniflare's cache worker speaks: `PUT <key>` with a serialized HTTP/1.1
// response as the body stores it (204); `GET <key>` answers the stored response with
// `CF-Cache-Status: HIT`, or 504 with `CF-Cache-Status: MISS`; `PURGE <key>` deletes it.
// The key is the request's URL. Entries expire after the stored response's `max-age`.
import http from 'node:http';

const CRLF2 = Buffer.from('\r\n\r\n');

function parseResponse(raw) {
  const end = raw.indexOf(CRLF2);
  if (end < 0) return null;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = statusLine.match(/^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/);
  if (!m) return null;
  const headers = [];
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  return { status: Number(m[1]), statusText: m[2] ?? '', headers, body: raw.subarray(end + 4) };
}

export async function startCache() {
  const entries = new Map(); // key -> { status, headers, body, expires }
  const counts = { put: 0, hit: 0, miss: 0, purge: 0, bad: 0 };
  const server = http.createServer((req, res) => {
    const key = `${req.headers.host}${req.url}`;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') {
        const r = parseResponse(Buffer.concat(chunks));
        if (!r) {
          counts.bad++;
          res.writeHead(400).end();
          return;
        }
        const cc = r.headers.find(([n]) => n.toLowerCase() === 'cache-control')?.[1] ?? '';
        const maxAge = Number(cc.match(/max-age=(\d+)/)?.[1] ?? 0);
        // Dechunked here: the stored body is served with its own length.
        r.headers = r.headers.filter(([n]) => !/^(transfer-encoding|content-length)$/i.test(n));
        entries.set(key, { ...r, expires: Date.now() + maxAge * 1000 });
        counts.put++;
        res.writeHead(204).end();
      } else if (req.method === 'GET') {
        const e = entries.get(key);
        if (!e || e.expires <= Date.now()) {
          counts.miss++;
          res.writeHead(504, { 'cf-cache-status': 'MISS' }).end();
          return;
        }
        counts.hit++;
        res.writeHead(e.status, [...e.headers.flat(), 'cf-cache-status', 'HIT', 'content-length', String(e.body.length)]);
        res.end(e.body);
      } else if (req.method === 'PURGE') {
        counts.purge++;
        res.writeHead(entries.delete(key) ? 200 : 404).end();
      } else {
        res.writeHead(405).end();
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    counts,
    entries,
    close: () =>
      new Promise((r) => {
        server.close(r);
        server.closeAllConnections();
      }),
  };
}
