// The streaming origin of bench/run.mjs, in its own process (so that the client in run.mjs and
// this origin do not share one event loop). Listens on 127.0.0.1 (an ephemeral port, printed as
// the first line of stdout) and ends when its parent closes stdin.
//
//   GET  /stream?bytes=N   N bytes of a fixed pattern, generated in 64 KiB chunks (chunked
//                          transfer coding, no Content-Length), written as fast as the reader takes them
//   POST /upload           reads the body, counts it, answers
//                          {"bytes": N, "contentLength": "…"|null, "transferEncoding": "…"|null}
import http from 'node:http';

const CHUNK = Buffer.alloc(64 * 1024);
for (let i = 0; i < CHUNK.length; i++) CHUNK[i] = 97 + (i % 26);

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://origin');
  if (req.method === 'GET' && url.pathname === '/stream') {
    let left = Number(url.searchParams.get('bytes'));
    if (!Number.isSafeInteger(left) || left < 0) {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, CHUNK.length);
        left -= n;
        if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  if (req.method === 'POST' && url.pathname === '/upload') {
    let bytes = 0;
    req.on('data', (c) => {
      bytes += c.length;
    });
    req.on('end', () => {
      const body = JSON.stringify({
        bytes,
        contentLength: req.headers['content-length'] ?? null,
        transferEncoding: req.headers['transfer-encoding'] ?? null,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    return;
  }
  // Anything else (the readiness probe): a small 200.
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 }).end('ok\n');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
