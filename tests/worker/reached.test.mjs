// What an answer says about whether the request reached the origin (`reached` in the problem
// JSON: "no" tells a client that even a POST may be sent again) stays true. Both cases were found
// by the soak (tests/soak): a request lost after it arrived, at an origin that refused connections
// by the time the drill-through probed it, and a retry stopped by the circuit breaker after the
// first attempt had reached the origin.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startOrigin } from './origin.mjs';
import { startWorker, ownEntry, TOKEN, JSON_ACCEPT } from './harness.mjs';

const running = [];
after(async () => {
  for (const close of running.reverse()) await close();
});

/** An origin that takes one whole request, stops listening, then drops the connection. */
async function arriveThenGoDown() {
  const arrived = [];
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      arrived.push(head.split(' ', 2).join(' '));
      server.close(); // from now on connections are refused (the drill-through's too)
      sock.destroy();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  running.push(
    () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        if (server.listening) server.close(() => r());
        else r();
      }),
  );
  return { url: `http://127.0.0.1:${port}`, arrived };
}

test('a POST lost after it arrived, at an origin that then refuses connections, is answered reached: maybe, sent once', async () => {
  const origin = await arriveThenGoDown();
  const w = await startWorker({ ORIGIN_URL: origin.url });
  running.push(() => w.close());
  const res = await w.fetch('/orders', {
    method: 'POST',
    body: 'order=1',
    headers: { 'content-type': 'text/plain', 'x-gatewise-debug': TOKEN, ...JSON_ACCEPT },
  });
  assert.equal(res.status, 502);
  // The drill-through found the port refusing: the type is narrowed to connection_refused…
  assert.equal(ownEntry(res).params.error, 'connection_refused');
  const body = JSON.parse(await res.text());
  assert.ok(body.evidence.some((e) => e.rule === 'drill.connect.refused'), 'the drill-through ran');
  // …but the POST had arrived before the connection was lost: never "no".
  assert.equal(body.reached, 'maybe');
  assert.deepEqual(origin.arrived, ['POST /orders']);
});

test('a GET whose retry the circuit breaker stops is answered by the breaker with reached: yes', async () => {
  const origin = await startOrigin();
  running.push(() => origin.close());
  const w = await startWorker({
    ORIGIN_URL: origin.url,
    RETRY_MAX_ATTEMPTS: '2',
    TOTAL_TIMEOUT_MS: '5000',
    // Failures of one path open the whole origin at once (no quiet window): what another visit does
    // while this one waits for its retry.
    BREAKER_SPREAD_PATHS: '1',
    BREAKER_QUIET_MS: '0',
    BREAKER_COOL_DOWN_MS: '5000',
    STALE_IF_ERROR: '0',
  });
  running.push(() => w.close());
  // The origin's 503 + Retry-After: 1: this visit waits a second for its retry; meanwhile another
  // visit's failures open the breaker (a visit counts once, at its end), which then refuses the retry.
  const pending = w.fetch('/503', { headers: { 'x-gatewise-debug': TOKEN, ...JSON_ACCEPT } });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await w.fetch('/reset/other', { headers: JSON_ACCEPT })).status, 502);
  const res = await pending;
  assert.equal(res.status, 503);
  assert.equal(ownEntry(res).params.error, 'destination_unavailable');
  const body = JSON.parse(await res.text());
  assert.ok(body.evidence.some((e) => e.rule === 'breaker.open'), 'the breaker answered');
  assert.equal(body.reached, 'yes', 'the first attempt reached the origin');
  assert.equal(origin.hits('GET', '/503'), 1);
  await w.settle();
  const log = w.events('gatewise.failure').find((e) => e.path === '/503');
  assert.equal(log.attempts, 1);
  assert.equal(log.diagnosis.reached, 'yes');
  assert.equal(log.blame, 'path', "the visit's own failure, recorded once");
});
