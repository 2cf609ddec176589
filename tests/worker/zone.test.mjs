// ORIGIN_URL empty (issue 14: the first deploy): each request goes to its own URL — on Cloudflare,
// for a worker on a route, the zone's origin — instead of every visitor getting "500 · Gateway
// misconfigured". Under Miniflare: the request's host is the origin (forwarded, re-checked, drilled
// through when it refuses); on *.workers.dev there is no origin: a configuration answer naming
// ORIGIN_URL, while `health` still answers. Under plain `workerd serve`, where the worker's fetch of
// its own URL really comes back to it (a Custom Domain, or workers.dev, behaves so): CDN-Loop stops
// the self-loop at the first return.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startOrigin, closedPort } from './origin.mjs';
import { startWorker, TOKEN, HTML, JSON_ACCEPT, ownEntry } from './harness.mjs';
import { startWorkerd, countingHop } from './workerd.mjs';

let origin, zone, hop, self;

before(async () => {
  origin = await startOrigin();
  zone = await startWorker({ ORIGIN_URL: '' });
  let selfPort;
  hop = await countingHop(() => selfPort);
  self = await startWorkerd({ ORIGIN_URL: '' });
  selfPort = self.port;
});

after(async () => {
  await Promise.all([zone?.close(), self?.close()]);
  await hop?.close();
  await origin?.close();
});

const at = (url, init = {}) => zone.mf.dispatchFetch(url, { redirect: 'manual', ...init });

test('each request goes to its own URL: the zone origin answers, path and query as sent', async () => {
  const res = await at(`${origin.url}/echo/a?b=1`, { headers: JSON_ACCEPT });
  assert.equal(res.status, 200);
  const seen = await res.json();
  assert.deepEqual([seen.method, seen.path], ['GET', '/echo/a']);
  assert.match(seen.headers['cdn-loop'], /gatewise/);
  const health = await at(`${origin.url}/__gatewise/health`, { headers: { 'x-gatewise-debug': TOKEN } });
  assert.deepEqual([health.status, (await health.json()).config], [200, 'ok']);
  const status = await at(`${origin.url}/__gatewise/origin-status`, { headers: { 'x-gatewise-debug': TOKEN } });
  const s = await status.json();
  assert.deepEqual([s.state, s.origin], ['reachable', origin.url]);
});

test('a zone origin that refuses: the informative 502, drilled through on the request\'s host; its re-check too', async () => {
  const port = await closedPort();
  const res = await at(`http://127.0.0.1:${port}/shop`, { headers: JSON_ACCEPT });
  assert.equal(res.status, 502);
  const p = await res.json();
  assert.equal(p.errorType, 'connection_refused', 'the drill-through narrowed it on 127.0.0.1:port');
  assert.equal(ownEntry(res).params.error, 'connection_refused');
  const page = await at(`http://127.0.0.1:${port}/shop?x=1`, { headers: { ...HTML, 'x-gatewise-debug': TOKEN } });
  const html = await page.text();
  assert.match(html, /ORIGIN_URL empty: the zone&#39;s own|ORIGIN_URL empty: the zone's own/);
  const cfg = JSON.parse(html.match(/data-gatewise-config="([^"]*)"/)[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  const re = await at(`http://127.0.0.1:${port}${cfg.checks.page}`);
  const r = await re.json();
  assert.equal(r.state, 'unreachable');
  // The token is bound to the host it was written for: the same token elsewhere is refused.
  const elsewhere = await at(`${origin.url}${cfg.checks.page}`);
  assert.equal(elsewhere.status, 403);
});

test('on workers.dev there is no zone origin: a configuration answer naming ORIGIN_URL; health still answers', async () => {
  const res = await at('https://gatewise.example.workers.dev/shop', { headers: JSON_ACCEPT });
  assert.equal(res.status, 500);
  assert.equal((await res.json()).errorType, 'proxy_configuration_error');
  const health = await at('https://gatewise.example.workers.dev/__gatewise/health');
  assert.equal(health.status, 200);
  await health.text();
  await zone.settle();
  const log = zone.events('gatewise.config_error').at(-1);
  assert.equal(log.var, 'ORIGIN_URL');
  assert.match(log.problem, /workers\.dev/);
});

test('a self-loop (the worker is its own origin, as on a Custom Domain): stopped at the first return', async () => {
  const n = hop.requests.length;
  const res = await fetch(`${hop.url}/shop/cart`, { headers: JSON_ACCEPT });
  const p = await res.json();
  assert.equal(res.status, 502);
  assert.equal(p.errorType, 'proxy_loop_detected');
  const entered = hop.requests.slice(n);
  assert.equal(entered.length, 2, 'the worker is entered exactly twice');
  assert.equal(entered[1].headers['cdn-loop'], 'gatewise');
});
