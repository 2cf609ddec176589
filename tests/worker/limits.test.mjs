// Cloudflare's per-invocation limits (https://developers.cloudflare.com/workers/platform/limits/):
// at most 6 simultaneous open connections (fetch, Cache API, sockets connect()) and 50 subrequests
// on Workers Free. The worker's worst case per request is a pure function of its configuration
// (worker/src/config.rs, `Config::subrequests`: attempts + drill-through DNS (2) and connect (1) +
// one Cache API call); here the built worker runs under plain `workerd serve` against loopback
// servers that see every subrequest — the origin (raw TCP: the fetch attempts and the
// drill-through's socket), a DNS-over-HTTPS resolver and the Cache API's backend
// (`cacheApiOutbound`) — and record how many there were and how many were open at once, while
// failures drive the retries and the drill-through.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startWorkerd } from './workerd.mjs';
import { NGINX_502 } from './origin.mjs';
import { ownEntry, JSON_ACCEPT } from './harness.mjs';

/** Every subrequest the servers below see: counts by kind, and how many are open at once. */
const seen = {
  open: 0,
  max: 0,
  counts: {},
  reset() {
    this.max = this.open;
    this.counts = {};
  },
  /** One subrequest of `kind` begins; the returned function ends it (once). */
  enter(kind) {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    this.open++;
    this.max = Math.max(this.max, this.open);
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.open--;
      }
    };
  },
};

const reply = (status, reason, headers, body = '') =>
  `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${Object.entries(headers)
    .map(([n, v]) => `${n}: ${v}\r\n`)
    .join('')}\r\n${body}`;

// The origin: every connection is one subrequest, open until either side closes it; the request
// on it is a fetch attempt, or the drill-through's raw HEAD. Behaviour by the first path segment.
const behaviours = {
  reset: (s) => s.resetAndDestroy(),
  hang: () => {},
  'nginx-502': (s) => s.end(NGINX_502),
  ok: (s) => s.end(reply(200, 'OK', { 'Content-Type': 'text/plain', 'Cache-Control': 'max-age=60' }, 'fine')),
};
const sockets = new Set();
const origin = net.createServer((s) => {
  const leave = seen.enter('connection');
  sockets.add(s);
  s.on('close', () => {
    leave();
    sockets.delete(s);
  });
  s.on('error', () => {});
  let buf = '';
  s.on('data', (d) => {
    if (buf === null) return;
    buf += d.toString('latin1');
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const [method, path] = buf.split(' ');
    const drill = /\r\nuser-agent: gatewise-drill-through\r\n/i.test(buf.slice(0, end + 2));
    buf = null;
    seen.counts[drill ? 'drill' : 'fetch'] = (seen.counts[drill ? 'drill' : 'fetch'] ?? 0) + 1;
    assert.equal(method, drill ? 'HEAD' : 'GET');
    (behaviours[path.split('/')[1]] ?? behaviours.reset)(s);
  });
});

// The resolver: A has no record, AAAA has one — so the drill-through asks both, then connects.
// With `failing` set it answers 503 and a body that never ends: the worker must cancel it, or the
// connection stays open (one of six) for as long as the resolver keeps it.
let failing = false;
const doh = http.createServer((req, res) => {
  const leave = seen.enter('doh');
  res.on('close', leave);
  if (failing) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.write('resolver overloaded, more to come…');
    return;
  }
  const type = new URL(req.url, 'http://x').searchParams.get('type');
  res.setHeader('content-type', 'application/dns-json');
  res.setHeader('connection', 'close');
  res.end(JSON.stringify(type === 'AAAA' ? { Status: 0, Answer: [{ name: 'localhost', type: 28, TTL: 60, data: '::1' }] } : { Status: 0 }));
});

// The Cache API's backend (what Miniflare's no-op cache answers): GET = match (a miss), PUT = put.
const cache = http.createServer((req, res) => {
  const leave = seen.enter(`cache ${req.method}`);
  res.on('close', leave);
  req.resume();
  req.on('end', () => {
    res.setHeader('connection', 'close');
    if (req.method === 'GET') {
      res.writeHead(504, { 'cf-cache-status': 'MISS' });
    } else res.writeHead(req.method === 'PUT' ? 204 : 404);
    res.end();
  });
});

let w, w10;
const measured = [];

/** The worst case of `Config::subrequests` (worker/src/config.rs), for an origin named by host. */
const bound = ({ attempts, drill, stale }) => attempts + (drill ? 3 : 0) + (stale ? 1 : 0);

before(async () => {
  await Promise.all([origin, doh, cache].map((s) => new Promise((r) => s.listen(0, '127.0.0.1', r))));
  const common = {
    // A host name, so that the drill-through asks the resolver (workerd itself resolves it to loopback).
    ORIGIN_URL: `http://localhost:${origin.address().port}`,
    DOH_URL: `http://127.0.0.1:${doh.address().port}/dns-query`,
    STALE_IF_ERROR: '60',
  };
  // No limit on the visit's whole wait (TOTAL_TIMEOUT_MS=0): every attempt the settings allow is
  // made, so that the worst case of subrequests is reached (by default the retries after a timeout
  // would not fit in the deadline).
  [w, w10] = await Promise.all([
    startWorkerd({ ...common, RETRY_MAX_ATTEMPTS: '3', TIMEOUT_MS: '300', TOTAL_TIMEOUT_MS: '0', DRILL_BUDGET_MS: '1500' }, { cachePort: cache.address().port }),
    startWorkerd({ ...common, RETRY_MAX_ATTEMPTS: '10', TIMEOUT_MS: '150', TOTAL_TIMEOUT_MS: '0', DRILL_BUDGET_MS: '0' }, { cachePort: cache.address().port }),
  ]);
});

after(async () => {
  await Promise.all([w?.close(), w10?.close()]);
  for (const s of sockets) s.destroy();
  await Promise.all([origin, doh, cache].map((s) => new Promise((r) => s.close(r))));
  console.log('\nper request: subrequests seen (bound) — most open at once (limit 6)');
  for (const m of measured) console.log(`  ${m.name.padEnd(34)} ${m.total} (${m.bound})  ${JSON.stringify(m.counts)}  max open ${m.max}`);
});

/** One request through `worker`; returns the answer and what the servers saw for it. */
async function one(worker, path, name, config) {
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(seen.open, 0, 'nothing left open from before');
  seen.reset();
  const res = await fetch(`${worker.url}${path}`, { headers: JSON_ACCEPT });
  const body = await res.text();
  // Let the background Cache API put and the closing connections land.
  for (let i = 0; i < 40 && seen.open > 0; i++) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 150));
  const counts = { ...seen.counts };
  const total = (counts.fetch ?? 0) + (counts.drill ?? 0) + (counts.doh ?? 0) + (counts['cache GET'] ?? 0) + (counts['cache PUT'] ?? 0);
  const m = { name, counts, total, max: seen.max, bound: bound(config), openAfter: seen.open };
  measured.push(m);
  assert.equal(counts.connection, (counts.fetch ?? 0) + (counts.drill ?? 0), 'every origin connection carried one request');
  assert.ok(m.max <= 6, `${name}: ${m.max} open at once`);
  assert.ok(m.total <= m.bound, `${name}: ${m.total} subrequests, bound ${m.bound}`);
  assert.equal(m.openAfter, 0, `${name}: nothing stays open`);
  return { res, body, ...m };
}

const W3 = { attempts: 3, drill: true, stale: true };
const W10 = { attempts: 10, drill: false, stale: true };

test('reset, retried then drilled through: 3 attempts + DNS A and AAAA + connect + stale lookup = the bound (7), one at a time', async () => {
  const r = await one(w, '/reset/a', 'reset: retries + drill-through', W3);
  assert.equal(r.res.status, 502);
  assert.equal(ownEntry(r.res).params.error, JSON.parse(r.body).errorType);
  assert.deepEqual(r.counts, { connection: 4, fetch: 3, doh: 2, drill: 1, 'cache GET': 1 });
  assert.equal(r.total, 7);
  assert.equal(r.total, r.bound, 'the worst case is reached, not exceeded');
  assert.equal(r.max, 1, 'strictly one subrequest at a time');
});

test('a drill-through result is cached per path: the next failure costs the attempts and the stale lookup only', async () => {
  const r = await one(w, '/reset/a', 'reset again (drill cached)', W3);
  assert.deepEqual(r.counts, { connection: 3, fetch: 3, 'cache GET': 1 });
  assert.equal(r.max, 1);
});

test('an origin that never answers: each timed-out attempt is closed before the next, no drill-through', async () => {
  const r = await one(w, '/hang/b', 'hang: 3 timeouts', W3);
  assert.equal(r.res.status, 504);
  assert.equal(ownEntry(r.res).params.error, 'http_response_timeout');
  assert.deepEqual(r.counts, { connection: 3, fetch: 3, 'cache GET': 1 });
  assert.equal(r.max, 1, 'an aborted attempt holds no connection');
});

test('ten timed-out attempts (RETRY_MAX_ATTEMPTS=10): 11 subrequests, never more than one open', async () => {
  const r = await one(w10, '/hang/c', 'hang: 10 timeouts', W10);
  assert.equal(r.res.status, 504);
  assert.deepEqual(r.counts, { connection: 10, fetch: 10, 'cache GET': 1 });
  assert.equal(r.total, r.bound);
  assert.equal(r.max, 1);
});

test("an origin proxy's 502 page: retried (bodies cancelled), then passed through while the stale lookup runs — two open at once", async () => {
  const r = await one(w, '/nginx-502/d', 'nginx 502 page: retries', W3);
  assert.equal(r.res.status, 502);
  assert.equal(ownEntry(r.res).params.error, 'connection_refused');
  assert.deepEqual(r.counts, { connection: 3, fetch: 3, 'cache GET': 1 });
  assert.ok(r.max <= 2, `${r.max} open at once: the origin response (passed through) and the stale lookup at most (config.rs MAX_OPEN_CONNECTIONS = 2)`);
});

test("a resolver's error answer is cancelled, not left holding a connection", async () => {
  failing = true;
  try {
    const r = await one(w, '/reset/f', 'resolver 503, endless body', W3);
    assert.equal(r.res.status, 502);
    assert.deepEqual(r.counts, { connection: 3, fetch: 3, doh: 1, 'cache GET': 1 });
    assert.equal(r.max, 1, 'the stale lookup did not overlap the resolver');
  } finally {
    failing = false;
  }
});

test('success: one attempt and the stored copy (Cache API put, in the background)', async () => {
  const r = await one(w, '/ok/e', 'ok: fetch + cache put', W3);
  assert.equal(r.res.status, 200);
  assert.equal(r.body, 'fine');
  assert.deepEqual(r.counts, { connection: 1, fetch: 1, 'cache PUT': 1 });
  assert.ok(r.max <= 2, `${r.max} open at once (config.rs MAX_OPEN_CONNECTIONS = 2)`);
});
