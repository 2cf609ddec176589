// What bench/run.mjs and bench/profile.mjs both run on 127.0.0.1 besides workerd: free ports and
// the fast keep-alive origin of the passthrough benchmarks.
import http from 'node:http';
import net from 'node:net';

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The origin's body: a small fixed HTML page. */
export const BODY = Buffer.from('<!doctype html><title>ok</title><p>hello from the origin</p>\n');

/** The origin: BODY for every request, keep-alive, as fast as Node answers; resolves once listening. */
export async function startFixedOrigin() {
  const origin = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': BODY.length });
    res.end(BODY);
  });
  origin.keepAliveTimeout = 60_000;
  await new Promise((r) => origin.listen(0, '127.0.0.1', r));
  return origin;
}
