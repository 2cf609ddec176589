// Issue 12, transparency and the visitor's own errors, under plain `workerd serve` with real
// sockets: a request body reaches the origin whatever the method (a GET with a body too), its
// Content-Length or chunked framing kept; the debug cookie is stripped from every Cookie line and
// recognised on any of them; a visitor's malformed or aborted upload is answered and logged as the
// visitor's error (400 http_request_error), and counted against nobody.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startOrigin } from './origin.mjs';
import { startWorkerd } from './workerd.mjs';
import { TOKEN } from './harness.mjs';

let origin, w, touchy;
before(async () => {
  origin = await startOrigin();
  [w, touchy] = await Promise.all([
    startWorkerd({ ORIGIN_URL: origin.url }),
    // Breakers that open on the first counted failure (BASE turns them off): a count would show.
    startWorkerd({ ORIGIN_URL: origin.url, BREAKER_FAILURES: '1', BREAKER_PATH_FAILURES: '1', BREAKER_SPREAD_PATHS: '1', BREAKER_QUIET_MS: '0' }),
  ]);
});
after(async () => {
  await Promise.all([w?.close(), touchy?.close()]);
  await origin?.close();
});

/** One request with node:http (which sends a GET's body as given). */
function request(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: w.port, method, path, agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Raw bytes over one connection; resolves with what came back when the connection closes. */
function raw(bytes, { destroyAfterMs, to = w } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(to.port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => resolve(out));
    s.on('connect', () => {
      for (const b of bytes) s.write(b);
      setTimeout(() => s.destroy(), destroyAfterMs ?? 3_000);
    });
  });
}

async function health() {
  // The breakers' state is the owner's (without the token, health is only {"status":"ok"}).
  const out = await raw([`GET /__gatewise/health HTTP/1.1\r\nHost: site.example\r\nX-Gatewise-Debug: ${TOKEN}\r\nConnection: close\r\n\r\n`], { to: touchy });
  return JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4));
}

test('a GET with a body reaches the origin with its body and Content-Length (Elasticsearch-style GET _search)', async () => {
  const query = JSON.stringify({ query: { match: { title: 'gateway' } } });
  const r = await request('GET', '/echo/_search', {
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(query) },
    body: query,
  });
  assert.equal(r.status, 200);
  const seen = JSON.parse(r.text);
  assert.equal(seen.method, 'GET');
  assert.equal(seen.body, query);
  assert.equal(seen.headers['content-length'], String(Buffer.byteLength(query)));
});

test('request bodies keep their framing: a small and a large POST with Content-Length, a chunked PUT', async () => {
  for (const size of [10, 200_000]) {
    const body = 'x'.repeat(size);
    const r = await request('POST', '/echo/post', { headers: { 'content-type': 'text/plain' }, body });
    const seen = JSON.parse(r.text);
    assert.equal(seen.headers['content-length'], String(size), `${size}: Content-Length kept`);
    assert.equal(seen.body.length, size);
    assert.equal(seen.headers['transfer-encoding'], undefined);
  }
  const out = await raw([`PUT /echo/chunked HTTP/1.1\r\nHost: site.example\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`]);
  const seen = JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4));
  assert.equal(seen.body, 'hello world');
  assert.equal(seen.headers['transfer-encoding'], 'chunked');
});

test('the debug cookie on a second Cookie line never reaches the origin, and is recognised there', async () => {
  const out = await raw([`GET /echo/cookies HTTP/1.1\r\nHost: site.example\r\nCookie: a=1; b=2\r\nCookie: gatewise_debug=${TOKEN}\r\nCookie: c=3\r\nConnection: close\r\n\r\n`]);
  const seen = JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4));
  assert.equal(seen.headers.cookie, 'a=1; b=2; c=3');
  assert.ok(!out.includes(TOKEN));
  // The token on the second line unlocks the owner's details of a failure.
  const failed = await raw([`GET /garbage/x HTTP/1.1\r\nHost: site.example\r\nAccept: application/json\r\nCookie: a=1\r\nCookie: gatewise_debug=${TOKEN}\r\nConnection: close\r\n\r\n`]);
  const problem = JSON.parse(failed.slice(failed.indexOf('\r\n\r\n') + 4));
  assert.ok(problem.evidence.some((e) => e.fact === `origin ${origin.url}`), 'owner facts shown');
  const anonymous = await raw([`GET /garbage/y HTTP/1.1\r\nHost: site.example\r\nAccept: application/json\r\nCookie: a=1\r\nCookie: gatewise_debug=wrong\r\nConnection: close\r\n\r\n`]);
  assert.ok(!anonymous.includes('127.0.0.1'), 'no origin detail without the token');
});

test("a chunk extension workerd rejects is the visitor's error: 400 http_request_error, logged as the client's, counted nowhere", async () => {
  const before = origin.hits('POST', '/echo/ext');
  const out = await raw([`POST /echo/ext HTTP/1.1\r\nHost: site.example\r\nAccept: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5;ext=1\r\nhello\r\n0\r\n\r\n`], { to: touchy });
  assert.match(out, /^HTTP\/1\.1 400 /);
  assert.match(out, /\r\nproxy-status: gatewise;error=http_request_error/i);
  const problem = JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4));
  assert.equal(problem.errorType, 'http_request_error');
  assert.equal(origin.hits('POST', '/echo/ext'), before, 'the origin never got a complete request');
  await touchy.settle();
  const line = touchy.events('gatewise.failure').find((e) => e.path === '/echo/ext');
  assert.deepEqual([line.blame, line.attribution, line.diagnosis.errorType], ['client', 'client.request_body', 'http_request_error']);
  assert.deepEqual([(await health()).breaker, (await health()).pathsOpen], ['closed', 0]);
});

test("an aborted upload is the visitor's error: logged as the client's, counted nowhere, the origin's request aborted", async () => {
  for (const [path, size] of [['/echo/upload-big', 200_000], ['/echo/upload-small', 20_000]]) {
    await raw([`POST ${path} HTTP/1.1\r\nHost: site.example\r\nContent-Length: ${size}\r\n\r\n`, Buffer.alloc(1000, 97)], { destroyAfterMs: 100, to: touchy });
    await touchy.settle(400);
    const line = touchy.events('gatewise.failure').find((e) => e.path === path);
    assert.ok(line, `${path}: logged`);
    assert.deepEqual([line.blame, line.diagnosis.errorType], ['client', 'http_request_error'], path);
    assert.equal(origin.hits('POST', path), 0, `${path}: the origin never took it for a complete request`);
  }
  assert.deepEqual([(await health()).breaker, (await health()).pathsOpen], ['closed', 0]);
});
