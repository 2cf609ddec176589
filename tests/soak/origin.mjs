// The soak's origin on 127.0.0.1: a keep-alive Node server that flaps through phases set from
// outside (soak.mjs runs the schedule):
//
//   up       200; GET /c/* is cacheable HTML (max-age=1), GET /d/* is not, POST echoes its id
//   refuse   the listener is closed and every open connection destroyed: connections are refused
//   hang     requests are accepted and read, never answered
//   reset    200 headers and half of the body, then the socket is destroyed (a body cut mid-stream)
//   503      its own 503 with Retry-After: 1
//
// Whatever the phase, the attackers' paths (issue 12) misbehave the same way: /attack/503/* answers
// 503 itself, /attack/slow/* never answers, and an upload to /attack/upload/* is read as far as it
// comes (the attacker aborts it).
//
// Every answer is marked — header `x-soak-origin: <phase>`, the request's `x-soak-id` echoed,
// and a body carrying `soak-origin phase=… id=…` and ending in `soak-end` — so that a client can
// tell the origin's answer (or a stored copy of one) from anything else for certain. Every request
// that reaches the handler is logged with its arrival time (performance.now()), method, path,
// `x-soak-id`, the phase, and whether it is the worker's drill-through HEAD.
import http from 'node:http';

export const PHASES = ['up', 'refuse', 'hang', 'reset', '503'];

function page(phase, id, path, html) {
  const text = `soak-origin phase=${phase} id=${id} path=${path}`;
  return html
    ? `<!doctype html><html><head><title>soak</title></head><body><p>${text}</p><p>soak-end</p></body></html>\n`
    : `${text}\nsoak-end\n`;
}

export async function startOrigin() {
  let phase = 'up';
  const arrivals = [];
  const sockets = new Set();
  const counts = { postBodyMismatch: 0, relistenRetries: 0 };
  const hung = new Set();

  const server = http.createServer((req, res) => {
    const t = performance.now();
    const at = phase;
    const id = req.headers['x-soak-id'] ?? '';
    const drill = req.method === 'HEAD' && req.headers['user-agent'] === 'gatewise-drill-through';
    const attack = req.url.startsWith('/attack/');
    arrivals.push({ t, method: req.method, path: req.url, id, phase: at, drill, attack });
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('error', () => {});
    res.on('error', () => {});
    if (attack) {
      counts.attack = (counts.attack ?? 0) + 1;
      if (req.url.startsWith('/attack/503/')) {
        req.resume();
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1', 'cache-control': 'no-store' });
        res.end('attacked path: 503\n');
      } else {
        // slow (never answers) and uploads (aborted by the attacker): held until the other side closes
        req.resume();
        hung.add(res);
        res.arrivedAt = t;
        res.attack = true;
        res.on('close', () => hung.delete(res));
      }
      return;
    }
    if (at === 'hang') {
      req.resume();
      res.arrivedAt = t;
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    req.on('end', () => {
      if (req.method === 'POST' && Buffer.concat(chunks).toString() !== `id=${id}`) counts.postBodyMismatch++;
      const cacheable = req.method === 'GET' && req.url.startsWith('/c/');
      const html = cacheable;
      const body = Buffer.from(page(at, id, req.url, html));
      const headers = {
        'content-type': html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
        'content-length': body.length,
        'cache-control': cacheable ? 'max-age=1' : 'no-store',
        'x-soak-origin': at,
        'x-soak-id': id,
      };
      if (at === '503') {
        res.writeHead(503, { ...headers, 'retry-after': '1', 'cache-control': 'no-store' });
        res.end(body);
      } else if (at === 'reset') {
        res.writeHead(200, headers);
        res.write(body.subarray(0, body.length >> 1));
        setTimeout(() => res.socket?.destroy(), 10);
      } else {
        res.writeHead(200, headers);
        res.end(body);
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port) =>
    new Promise((resolve, reject) => {
      const onError = (e) => reject(e);
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        resolve(server.address().port);
      });
    });
  const port = await listen(0);

  async function setPhase(next) {
    if (next === phase) return;
    if (next === 'refuse') {
      server.close();
      for (const s of sockets) s.destroy();
    }
    if (phase === 'refuse') {
      for (let i = 0; ; i++) {
        try {
          await listen(port);
          break;
        } catch (e) {
          if (i > 100) throw e;
          counts.relistenRetries++;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }
    phase = next;
  }

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    arrivals,
    counts,
    phase: () => phase,
    setPhase,
    openSockets: () => sockets.size,
    /** Hung requests still open more than `ms` after they arrived (their client gave up long ago). */
    hungOlderThan: (ms) => [...hung].filter((r) => performance.now() - r.arrivedAt > ms).length,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
  };
}
