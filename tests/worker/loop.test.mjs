// Self-fetch loops under plain `workerd serve`, where the worker's outbound fetch really leaves over
// TCP and can come back into the same worker: ORIGIN_URL pointing at the worker itself, and at a
// Node proxy that forwards back to it. RFC 8586 (CDN-Loop) + RFC 9209 (`proxy_loop_detected`):
// the worker adds its id on the way out and checks it on the way in, so the request is stopped at
// the first return — the worker is entered exactly twice — and the client gets the loop answer.
//
// Entries are counted twice over, independently: by a transparent counting TCP hop in front of the
// worker (every way into the worker goes through it) and by the worker's structured log lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startWorkerd, countingHop } from './workerd.mjs';
import { proxyStatus, TOKEN, HTML, JSON_ACCEPT } from './harness.mjs';

let selfHop, self, viaHop, via, relay, breakerHop, breaker;
const relayed = [];

before(async () => {
  // 1. The worker's origin is its own address (the counting hop in front of it).
  let selfPort;
  selfHop = await countingHop(() => selfPort);
  self = await startWorkerd({ ORIGIN_URL: selfHop.url });
  selfPort = self.port;

  // 2. The worker's origin is a Node proxy that forwards to the worker, keeping every header
  // (adding only Via, as an HTTP intermediary must).
  let viaPort;
  viaHop = await countingHop(() => viaPort);
  relay = http.createServer((req, res) => {
    relayed.push({ url: req.url, cdnLoop: req.headers['cdn-loop'] });
    const headers = { ...req.headers, via: [req.headers.via, '1.1 node-relay'].filter(Boolean).join(', ') };
    const up = http.request({ host: '127.0.0.1', port: viaHop.port, method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(599);
      res.end('relay: upstream failed');
    });
    req.pipe(up);
  });
  await new Promise((r) => relay.listen(0, '127.0.0.1', r));
  via = await startWorkerd({ ORIGIN_URL: `http://127.0.0.1:${relay.address().port}` });
  viaPort = via.port;

  // 3. A self-loop with the circuit breaker on, as deployed (the defaults: 5 failures in a row).
  let breakerPort;
  breakerHop = await countingHop(() => breakerPort);
  breaker = await startWorkerd({ ORIGIN_URL: breakerHop.url, BREAKER_FAILURES: '5', BREAKER_FAILURE_RATIO: '500' });
  breakerPort = breaker.port;
});

after(async () => {
  await Promise.all([self?.close(), via?.close(), breaker?.close()]);
  await Promise.all([selfHop?.close(), viaHop?.close(), breakerHop?.close()]);
  relay?.close();
  relay?.closeAllConnections?.();
});

/** The requests one call makes through `hop`, and the failure lines `w` logs for it. */
async function measure(hop, w, call) {
  const n = hop.requests.length;
  const logged = w.events('gatewise.failure').length;
  const res = await call();
  const body = await res.text();
  await w.settle();
  return { res, body, entered: hop.requests.slice(n), lines: w.events('gatewise.failure').slice(logged) };
}

function assertLoopAnswer(res, body) {
  assert.equal(res.status, 502);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  assert.equal(res.headers.get('cache-control'), 'private, no-store');
  assert.equal(res.headers.get('retry-after'), null, 'a loop is not temporary: no Retry-After');
  // The returning pass wrote the loop entry; the first pass kept it and appended its own.
  assert.deepEqual(proxyStatus(res.headers.get('proxy-status')), [
    { proxy: 'gatewise', params: { error: 'proxy_loop_detected' } },
    { proxy: 'gatewise', params: { error: 'proxy_loop_detected', 'received-status': '502' } },
  ]);
  const p = JSON.parse(body);
  assert.equal(p.type, 'https://gatewise.dev/problems/proxy_loop_detected');
  assert.equal(p.errorType, 'proxy_loop_detected');
  assert.equal(p.status, 502);
  assert.equal(p.retryable, false);
  assert.equal(p.layer, 'gatewise');
}

function assertTwoEntries(entered, lines, firstCdnLoop) {
  assert.equal(entered.length, 2, 'the worker is entered exactly twice');
  assert.equal(entered[0].headers['cdn-loop'], firstCdnLoop, 'first pass: as the client sent it');
  assert.equal(entered[1].headers['cdn-loop'], firstCdnLoop ? `${firstCdnLoop}, gatewise` : 'gatewise', 'second pass: our id appended');
  assert.equal(entered[0].target, entered[1].target, 'the same path and query came back');
  // The worker's own account: one failure line per pass, the returning one first (it answers first).
  assert.equal(lines.length, 2, 'two failure lines');
  const [inner, outer] = lines;
  assert.equal(inner.attempts, 0, 'the returning pass forwarded nothing');
  assert.deepEqual(inner.diagnosis.evidence, [{ source: 'header', fact: 'CDN-Loop names this worker', rule: 'rfc8586' }]);
  assert.equal(outer.attempts, 1, 'the first pass did not retry a loop');
  for (const l of lines) assert.equal(l.diagnosis.errorType, 'proxy_loop_detected');
}

test('ORIGIN_URL pointing at the worker itself: stopped at the first return, 502 proxy_loop_detected', async () => {
  const { res, body, entered, lines } = await measure(selfHop, self, () => fetch(`${selfHop.url}/shop/cart?item=7`, { headers: JSON_ACCEPT }));
  assertLoopAnswer(res, body);
  assertTwoEntries(entered, lines, undefined);
  assert.equal(entered[0].target, '/shop/cart?item=7');
  assert.deepEqual(selfHop.problems, []);
});

test('self-loop: a client (or Cloudflare in front) that already sent CDN-Loop — still exactly two passes', async () => {
  const { res, body, entered, lines } = await measure(selfHop, self, () => fetch(`${selfHop.url}/`, { headers: { ...JSON_ACCEPT, 'cdn-loop': 'cloudflare' } }));
  assertLoopAnswer(res, body);
  assertTwoEntries(entered, lines, 'cloudflare');
});

test('self-loop: every request of a series costs exactly two passes, HTML clients get the loop page', async () => {
  const { res, body, entered, lines } = await measure(selfHop, self, async () => {
    const results = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${selfHop.url}/page/${i}`, { headers: HTML });
      results.push([r.status, ...proxyStatus(r.headers.get('proxy-status')).map((e) => e.params.error), await r.text()]);
    }
    return new Response(JSON.stringify(results));
  });
  assert.equal(res.status, 200);
  for (const [status, a, b, page] of JSON.parse(body)) {
    assert.deepEqual([status, a, b], [502, 'proxy_loop_detected', 'proxy_loop_detected']);
    assert.match(page, /^<!doctype html>/);
    assert.ok(page.includes('proxy_loop_detected'));
  }
  assert.equal(entered.length, 10, '5 requests × 2 passes');
  assert.equal(lines.length, 10);
  assert.deepEqual(
    entered.map((r) => r.headers['cdn-loop'] ?? '-'),
    Array.from({ length: 5 }, () => ['-', 'gatewise']).flat(),
  );
});

test('self-loop with the owner token: the loop answer names the evidence, still two passes', async () => {
  const { res, body, entered } = await measure(selfHop, self, () => fetch(`${selfHop.url}/x`, { headers: { ...JSON_ACCEPT, 'x-gatewise-debug': TOKEN } }));
  assertLoopAnswer(res, body);
  assert.equal(entered.length, 2);
  // The token is stripped on the way out: the returning pass is an anonymous visitor's, and the
  // first pass passes the origin's (its own) answer through.
  assert.equal(entered[1].headers['x-gatewise-debug'], undefined, 'the token never leaves the worker');
});

test('a loop through an intermediate proxy (keeps headers, adds Via): one extra pass, then 502 proxy_loop_detected', async () => {
  const n = relayed.length;
  const { res, body, entered, lines } = await measure(viaHop, via, () => fetch(`${viaHop.url}/api/v1?x=1`, { headers: JSON_ACCEPT }));
  assertLoopAnswer(res, body);
  assertTwoEntries(entered, lines, undefined);
  assert.equal(entered[1].headers.via, '1.1 node-relay', 'the second pass came through the relay');
  assert.deepEqual(relayed.slice(n), [{ url: '/api/v1?x=1', cdnLoop: 'gatewise' }], 'the relay was passed exactly once');
  assert.deepEqual(viaHop.problems, []);
});

// Found writing these tests: the loop answer coming back counted as an origin failure, so after
// five of them the breaker opened and every request got 503 destination_unavailable ("try again
// later", with Retry-After) instead of the loop — hiding a configuration error behind an outage.
test('self-loop with the circuit breaker on: the 20th request still gets proxy_loop_detected, the breaker stays closed', async () => {
  const { res, body, entered, lines } = await measure(breakerHop, breaker, async () => {
    const seen = [];
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${breakerHop.url}/n/${i}`, { headers: JSON_ACCEPT });
      seen.push([r.status, JSON.parse(await r.text()).errorType, r.headers.get('retry-after')]);
    }
    return new Response(JSON.stringify(seen));
  });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(body), Array.from({ length: 20 }, () => [502, 'proxy_loop_detected', null]));
  assert.equal(entered.length, 40, '20 requests × 2 passes');
  assert.ok(lines.every((l) => l.breaker === 'closed'), 'the breaker never opened');
  const health = await (await fetch(`${breaker.url}/__gatewise/health`, { headers: { 'x-gatewise-debug': TOKEN } })).json();
  assert.equal(health.breaker, 'closed');
});
