// fetchWithRetry of the INSTALLED package against a real local HTTP server on 127.0.0.1
// that fails (503 with Retry-After, connection resets, refusals) and recovers, counting
// every request it receives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { fetchWithRetry, GatewiseFetchError } from 'gatewise';

const seen = new Map(); // path → requests received
const bodies = new Map(); // path → request bodies received
// What each path does on its n-th request (1-based); the last entry repeats.
const SCRIPTS = {
  '/flaky': ['503-retry-after-1', 'reset', '200'],
  '/reset': ['reset'],
  '/always-503': ['503-retry-after-5'],
  '/date-503': ['503-retry-after-date', '200'],
  '/long-503': ['503-retry-after-60'],
  '/put-flaky': ['503-retry-after-0', '200'],
  '/ok': ['200'],
};

function act(step, req, res) {
  switch (step) {
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case '200':
      res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' }).end('ok');
      return;
    case '503-retry-after-date': {
      const at = new Date(Date.now() + 2000).toUTCString();
      res.writeHead(503, { 'retry-after': at, connection: 'close' }).end('busy');
      return;
    }
    default: {
      const secs = step.split('-').at(-1);
      res.writeHead(503, { 'retry-after': secs, 'content-type': 'text/plain', connection: 'close' }).end('busy');
    }
  }
}

let server;
let base;
before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      bodies.set(path, [...(bodies.get(path) ?? []), Buffer.concat(chunks).toString()]);
      const script = SCRIPTS[path] ?? ['200'];
      act(script[Math.min(n, script.length) - 1], req, res);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));

async function freePort() {
  const s = createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test('GET: 503 with Retry-After: 1, then a reset, then 200 — three requests, Retry-After honoured', async () => {
  const events = [];
  const t0 = performance.now();
  const res = await fetchWithRetry(`${base}/flaky`, undefined, { onRetry: (e) => events.push(e) });
  const elapsed = performance.now() - t0;
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok');
  assert.equal(seen.get('/flaky'), 3);
  assert.ok(elapsed >= 1000, `waited ${elapsed} ms`);
  assert.deepEqual(
    events.map((e) => [e.attempt, e.source, e.diagnosis.status]),
    [
      [1, 'retry_after', 503],
      [2, 'backoff', 502],
    ],
  );
  assert.equal(events[0].delayMs, 1000);
  assert.equal(events[0].diagnosis.retryAfter, 1);
  assert.equal(events[1].diagnosis.errorType, 'connection_terminated');
  assert.ok(events[1].delayMs <= 200, 'full jitter under the second ceiling');
});

test('POST after a reset is not retried: the server may have received it', async () => {
  const err = await fetchWithRetry(`${base}/reset`, { method: 'POST', body: 'order #1' }).then(
    () => assert.fail('must throw'),
    (e) => e,
  );
  assert.ok(err instanceof GatewiseFetchError);
  assert.ok(err instanceof TypeError, 'a TypeError, like fetch network errors');
  assert.equal(err.name, 'GatewiseFetchError');
  assert.equal(err.attempts, 1);
  assert.equal(err.reason, 'may_have_reached_origin');
  assert.equal(err.diagnosis.errorType, 'connection_terminated');
  assert.equal(err.diagnosis.reached, 'maybe');
  assert.equal(err.cause.message, 'fetch failed');
  assert.equal(seen.get('/reset'), 1);
  assert.deepEqual(bodies.get('/reset'), ['order #1']);
});

test('POST after connection refused is retried: it never left', async () => {
  const port = await freePort();
  let received = 0;
  const late = createServer((req, r) => {
    received += 1;
    req.resume();
    req.on('end', () => r.writeHead(201, { connection: 'close' }).end('created'));
  });
  // The first attempt finds nothing listening; onRetry starts the server, and the retry's
  // fetch waits until it listens (the jittered wait may be 0 ms).
  let listening = Promise.resolve();
  const events = [];
  const res = await fetchWithRetry(
    `http://127.0.0.1:${port}/order`,
    { method: 'POST', body: 'order #2' },
    {
      onRetry: (e) => {
        events.push(e);
        if (!late.listening) listening = new Promise((resolve) => late.listen(port, '127.0.0.1', resolve));
      },
      fetch: async (input, init) => {
        await listening;
        return fetch(input, init);
      },
    },
  );
  try {
    assert.equal(res.status, 201);
    assert.equal(await res.text(), 'created');
    assert.equal(received, 1);
    assert.equal(events.length, 1);
    assert.equal(events[0].source, 'backoff');
    assert.equal(events[0].diagnosis.errorType, 'connection_refused');
    assert.equal(events[0].diagnosis.reached, 'no');
  } finally {
    await new Promise((resolve) => late.close(resolve));
  }
});

test('POST to a port nothing ever listens on: every attempt refused, then the diagnosis', async () => {
  const port = await freePort();
  const err = await fetchWithRetry(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x' }, { baseDelayMs: 10 }).catch(
    (e) => e,
  );
  assert.ok(err instanceof GatewiseFetchError);
  assert.equal(err.attempts, 3);
  assert.equal(err.reason, 'attempts_exhausted');
  assert.equal(err.diagnosis.errorType, 'connection_refused');
});

test('AbortSignal aborts during the backoff wait', async () => {
  const controller = new AbortController();
  const t0 = performance.now();
  setTimeout(() => controller.abort(), 300);
  const err = await fetchWithRetry(`${base}/always-503`, { signal: controller.signal }).catch((e) => e);
  const elapsed = performance.now() - t0;
  assert.equal(err.name, 'AbortError');
  assert.ok(elapsed < 2000, `aborted after ${elapsed} ms, not after the 5 s Retry-After`);
  assert.equal(seen.get('/always-503'), 1);
  // An already aborted signal sends nothing.
  const before = seen.get('/ok') ?? 0;
  const early = await fetchWithRetry(`${base}/ok`, { signal: AbortSignal.abort() }).catch((e) => e);
  assert.equal(early.name, 'AbortError');
  assert.equal(seen.get('/ok') ?? 0, before);
});

test('Retry-After as an HTTP-date is honoured too', async () => {
  const events = [];
  const res = await fetchWithRetry(`${base}/date-503`, undefined, { onRetry: (e) => events.push(e) });
  assert.equal(res.status, 200);
  assert.equal(seen.get('/date-503'), 2);
  assert.equal(events[0].source, 'retry_after');
  assert.ok(events[0].delayMs >= 1000 && events[0].delayMs <= 2000, String(events[0].delayMs));
});

test('Retry-After longer than the policy allows: no retry, the 503 is returned as fetch would', async () => {
  const res = await fetchWithRetry(`${base}/long-503`);
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '60');
  assert.equal(await res.text(), 'busy');
  assert.equal(seen.get('/long-503'), 1);
});

test('a Request is replayed with its body; a one-shot stream body is not', async () => {
  const res = await fetchWithRetry(new Request(`${base}/put-flaky`, { method: 'PUT', body: 'v1' }));
  assert.equal(res.status, 200);
  assert.deepEqual(bodies.get('/put-flaky'), ['v1', 'v1']);

  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode('chunk'));
      c.close();
    },
  });
  const once = await fetchWithRetry(`${base}/put-flaky-stream`, { method: 'PUT', body: stream, duplex: 'half' });
  assert.equal(once.status, 200); // the default path answers 200 at once
  const reset = await fetchWithRetry(`${base}/reset`, {
    method: 'PUT',
    duplex: 'half',
    body: new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('chunk'));
        c.close();
      },
    }),
  }).catch((e) => e);
  assert.equal(reset.reason, 'body_not_replayable');
  assert.equal(reset.attempts, 1);
});
