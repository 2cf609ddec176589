// Issue 12: serve-stale follows RFC 9111's rules for a shared cache and never hands one visitor's
// page to another. The privacy matrix: for each kind of response, one visitor fetches it while the
// origin is up; then the origin fails and each visitor of the matrix asks for the same URL — and
// gets exactly the copy the rules allow, or the error page. Runs the built worker in workerd
// (Miniflare, whose Cache API is real), the origin a Node server on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startWorker, TOKEN } from './harness.mjs';

/** What each path answers while up (status 200): headers and body (a Buffer). */
const PAGES = {
  '/vary-cookie': { headers: { 'cache-control': 'max-age=60', vary: 'Cookie' }, body: '<p>Hello alice, your balance is 1,234</p>' },
  '/vary-cookie-public': { headers: { 'cache-control': 'public, s-maxage=60, max-age=0', vary: 'Cookie' }, body: '<p>Hello alice (public)</p>' },
  '/vary-lang': { headers: { 'cache-control': 'public, max-age=60', vary: 'Accept-Language' }, body: '<p>Guten Tag</p>' },
  '/vary-auth': { headers: { 'cache-control': 'public, max-age=60', vary: 'Authorization' }, body: '<p>token page</p>' },
  '/vary-star': { headers: { 'cache-control': 'public, max-age=60', vary: '*' }, body: '<p>star</p>' },
  '/auth': { headers: { 'cache-control': 'max-age=60' }, body: '<p>account of the bearer</p>' },
  '/auth-public': { headers: { 'cache-control': 'public, max-age=60' }, body: '<p>public docs, fetched with a token</p>' },
  '/private-late': { headers: { 'cache-control': `max-age=60, ${'x-ext=1, '.repeat(500)}private` }, body: '<p>private past 4 KiB</p>' },
  '/private-33rd': { headers: { 'cache-control': `max-age=60, ${'a, '.repeat(31)}private` }, body: '<p>private as the 33rd directive</p>' },
  '/two-lines': { headers: { 'cache-control': ['max-age=60', 'private'] }, body: '<p>private on a second line</p>' },
  '/set-cookie': { headers: { 'cache-control': 'max-age=60', 'set-cookie': 'sid=alice' }, body: '<p>sets a cookie</p>' },
  '/must-revalidate': { headers: { 'cache-control': 'max-age=0, must-revalidate' }, body: '<p>must revalidate</p>' },
  '/plain': { headers: { 'cache-control': 'max-age=60' }, body: '<p>everyone may see this</p>' },
  '/latin1': {
    headers: { 'cache-control': 'max-age=60', 'content-type': 'text/html; charset=iso-8859-1' },
    body: Buffer.concat([Buffer.from('<html><body><p>Caf'), Buffer.from([0xe9]), Buffer.from(' cr'), Buffer.from([0xe8, 0x6d, 0x65]), Buffer.from('</p></body></html>')]),
  },
  '/utf16': {
    headers: { 'cache-control': 'max-age=60', 'content-type': 'text/html; charset=utf-16le' },
    body: Buffer.from('\ufeff<html><body><p>Café</p></body></html>', 'utf16le'),
  },
};

let down = false;
const hits = new Map();
const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  hits.set(path, (hits.get(path) ?? 0) + 1);
  req.resume();
  if (down) {
    req.socket.resetAndDestroy();
    return;
  }
  const page = PAGES[path];
  const body = Buffer.isBuffer(page?.body) ? page.body : Buffer.from(page?.body ?? 'none');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(page?.headers ?? {}), 'content-length': body.length });
  res.end(body);
});

let w;
before(async () => {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  w = await startWorker({ ORIGIN_URL: `http://127.0.0.1:${server.address().port}`, STALE_IF_ERROR: '300', DRILL_BUDGET_MS: '0', RETRY_MAX_ATTEMPTS: '1' });
});
after(async () => {
  await w?.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const HTML = { accept: 'text/html', 'user-agent': 'Mozilla/5.0' };
const VISITORS = {
  alice: { ...HTML, cookie: 'sid=alice' },
  bob: { ...HTML, cookie: 'sid=bob' },
  anonymous: { ...HTML },
  de: { ...HTML, 'accept-language': 'de' },
  fr: { ...HTML, 'accept-language': 'fr' },
  bearer: { ...HTML, authorization: 'Bearer alice-token' },
};

/**
 * The matrix: path → [who fetched it while up, { visitor: what they get once the origin fails }].
 * 'copy': the stored page; 'error': gatewise's error page (no copy).
 */
const MATRIX = {
  '/vary-cookie': ['alice', { alice: 'error', bob: 'error', anonymous: 'error' }],
  '/vary-cookie-public': ['alice', { alice: 'error', bob: 'error', anonymous: 'error' }],
  '/vary-lang': ['de', { de: 'copy', fr: 'error', anonymous: 'error' }],
  '/vary-auth': ['bearer', { bearer: 'error', anonymous: 'error' }],
  '/vary-star': ['anonymous', { anonymous: 'error' }],
  '/auth': ['bearer', { bearer: 'error', anonymous: 'error' }],
  '/auth-public': ['bearer', { bearer: 'copy', anonymous: 'copy' }],
  '/private-late': ['anonymous', { anonymous: 'error' }],
  '/private-33rd': ['anonymous', { anonymous: 'error' }],
  '/two-lines': ['anonymous', { anonymous: 'error' }],
  '/set-cookie': ['anonymous', { anonymous: 'error' }],
  '/must-revalidate': ['anonymous', { anonymous: 'error' }],
  '/plain': ['alice', { alice: 'copy', bob: 'copy', anonymous: 'copy' }],
};

const served = {};

test('the serve-stale privacy matrix: which visitor gets which copy once the origin fails', async () => {
  down = false;
  for (const [path, [fetcher]] of Object.entries(MATRIX)) {
    const r = await w.fetch(path, { headers: VISITORS[fetcher] });
    assert.equal(r.status, 200, path);
    await r.arrayBuffer();
  }
  await new Promise((r) => setTimeout(r, 300)); // copies are stored in the background
  down = true;
  for (const [path, [, expected]] of Object.entries(MATRIX)) {
    for (const [visitor, want] of Object.entries(expected)) {
      const r = await w.fetch(path, { headers: VISITORS[visitor] });
      const body = await r.text();
      const got = r.headers.get('x-gatewise-stale') ? 'copy' : 'error';
      (served[path] ??= {})[visitor] = got;
      assert.equal(got, want, `${path} for ${visitor}: ${r.status}`);
      if (got === 'copy') {
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('cache-control'), 'private, no-store');
        assert.ok(body.includes(PAGES[path].body.toString()), `${path}: the stored page`);
      } else {
        assert.ok(r.status >= 500, `${path} for ${visitor}: ${r.status}`);
        assert.ok(!body.includes('alice') && !body.includes('balance'), `${path} for ${visitor}: nothing of the stored page`);
      }
      // The copy's Vary is the origin's again; the worker's own bookkeeping never shows.
      assert.equal([...r.headers.keys()].filter((k) => k.startsWith('x-gatewise-') && k !== 'x-gatewise-stale').length, 0);
    }
  }
  console.log(`# matrix: ${JSON.stringify(served)}`);
  down = false;
});

test('the notice goes into the bytes of a Latin-1 page without re-encoding it, and into a header only for UTF-16', async () => {
  down = false;
  for (const path of ['/latin1', '/utf16']) await (await w.fetch(path, { headers: VISITORS.anonymous })).arrayBuffer();
  await new Promise((r) => setTimeout(r, 300));
  down = true;
  const latin = await w.fetch('/latin1', { headers: { ...HTML, 'accept-language': 'de' } });
  assert.equal(latin.headers.get('content-type'), 'text/html; charset=iso-8859-1');
  const bytes = Buffer.from(await latin.arrayBuffer());
  const original = PAGES['/latin1'].body;
  const at = bytes.indexOf('<div role="status"');
  assert.equal(at, '<html><body>'.length, 'right after <body>');
  const end = bytes.indexOf('</div>', at) + '</div>'.length;
  // Every byte of the page is kept, é (0xE9) and è (0xE8) included; the notice is ASCII.
  assert.deepEqual(Buffer.concat([bytes.subarray(0, at), bytes.subarray(end)]), original);
  const notice = bytes.subarray(at, end);
  assert.ok(notice.every((b) => b < 0x80), 'the notice is ASCII');
  assert.match(notice.toString('latin1'), /Diese Website hat gerade Probleme/);
  assert.ok(!bytes.includes(Buffer.from([0xef, 0xbf, 0xbd])), 'no U+FFFD');
  const utf16 = await w.fetch('/utf16', { headers: HTML });
  assert.match(utf16.headers.get('x-gatewise-stale'), /^1; error=/);
  assert.deepEqual(Buffer.from(await utf16.arrayBuffer()), PAGES['/utf16'].body, 'untouched: a header only');
  down = false;
});

test('the owner token is no key to a stored copy: a copy is not shared on the debug cookie either', async () => {
  down = false;
  await (await w.fetch('/plain', { headers: { ...HTML, cookie: `gatewise_debug=${TOKEN}` } })).arrayBuffer();
  down = true;
  const r = await w.fetch('/plain', { headers: VISITORS.anonymous });
  assert.ok(r.headers.get('x-gatewise-stale'));
  assert.ok(!(await r.text()).includes(TOKEN));
  down = false;
});
