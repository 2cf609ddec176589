// Captures the HAR files of tests/fixtures/pastes/har/ with a real browser and a real proxy:
// Chromium (playwright-core's recordHar, /usr/bin/chromium) loads pages through Debian's nginx
// on 127.0.0.1 whose upstreams fail, and a few addresses that fail by themselves.
//
//   node scripts/capture-pastes/har.mjs [out-dir]        (default: tests/fixtures/pastes/har)
//
// Everything listens on 127.0.0.1 (ports chosen by the system); every process started here is
// stopped by its PID before the script ends. Nothing is normalised: ports, dates and timings are
// kept as recorded. Needs nginx (apt-get install nginx) and Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? new URL('../../tests/fixtures/pastes/har/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'gatewise-har-'));
const stops = [];

/** A port nothing listens on (bound, then released). */
async function closedPort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Listens on 127.0.0.1:0; returns the port. */
async function listen(server) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  stops.push(() => new Promise((r) => server.close(() => r())));
  return server.address().port;
}

// An upstream that accepts, reads the request and closes without answering (empty reply).
const emptyPort = await listen(
  createServer((socket) => {
    socket.once('data', () => socket.end());
    socket.on('error', () => {});
  }),
);
// An upstream that answers after 3 s (nginx gives up after 1 s).
const slowPort = await listen(
  http.createServer((req, res) => {
    const t = setTimeout(() => res.end('late'), 3000);
    res.on('close', () => clearTimeout(t));
  }),
);
const downPort = await closedPort();
const nginxPort = await closedPort();

writeFileSync(
  join(tmp, 'nginx.conf'),
  `daemon off;
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log;
events { worker_connections 64; }
http {
  access_log ${tmp}/access.log;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server {
    listen 127.0.0.1:${nginxPort};
    location = /favicon.ico { return 204; }
    location = / { default_type text/html; return 200 '<!doctype html><title>shop</title><p>ok</p>'; }
    location /api/down { proxy_pass http://127.0.0.1:${downPort}; }
    location /api/slow { proxy_pass http://127.0.0.1:${slowPort}; proxy_read_timeout 1s; }
    location /api/empty { proxy_pass http://127.0.0.1:${emptyPort}; }
  }
}
`,
);
const nginx = spawn('nginx', ['-p', tmp, '-c', join(tmp, 'nginx.conf')], { stdio: 'inherit' });
stops.push(
  () =>
    new Promise((r) => {
      nginx.once('exit', r);
      nginx.kill('SIGTERM');
    }),
);
for (let i = 0; i < 50; i++) {
  const up = await fetch(`http://127.0.0.1:${nginxPort}/`).then(() => true, () => false);
  if (up) break;
  await new Promise((r) => setTimeout(r, 100));
}

// Browser A runs the pages (remote debugging on, for DevTools); browser B runs DevTools' own
// front end (served by A), attached to the page, so that its HAR writer exports what a person
// gets from "Export HAR (with sensitive data)".
const debugPort = await closedPort();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', `--remote-debugging-port=${debugPort}`],
});
stops.unshift(() => browser.close());
const devtoolsBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
stops.unshift(() => devtoolsBrowser.close());

/**
 * Records one scenario twice: `<name>.playwright.har` (playwright-core's recordHar) and
 * `<name>.devtools.har` (Chromium DevTools' HAR writer): the page at `start`, then `visit(page)`.
 */
async function record(name, start, visit) {
  const pwPath = join(out, `${name}.playwright.har`);
  const context = await browser.newContext({ recordHar: { path: pwPath, content: 'embed' } });
  const page = await context.newPage();
  await page.goto('about:blank');
  const targets = await (await fetch(`http://127.0.0.1:${debugPort}/json/list`)).json();
  const target = targets.find((t) => t.type === 'page' && t.url === 'about:blank');
  const devtools = await (await devtoolsBrowser.newContext()).newPage();
  await devtools.goto(
    `http://127.0.0.1:${debugPort}/devtools/devtools_app.html?ws=127.0.0.1:${debugPort}/devtools/page/${target.id}`,
  );
  await devtools.waitForFunction(() => document.readyState === 'complete');
  await devtools.waitForTimeout(1500);
  await page.goto(start).catch(() => {});
  await visit(page);
  await devtools.waitForTimeout(500);
  const har = await devtools.evaluate(async () => {
    const Logs = await import('./models/logs/logs.js');
    const HAR = await import('./models/har/har.js');
    const requests = Logs.NetworkLog.NetworkLog.instance().requests();
    const progress = { createSubProgress: () => ({}) };
    return HAR.Writer.Writer.harStringForRequests(requests, { sanitize: false }, progress);
  });
  const dtPath = join(out, `${name}.devtools.har`);
  writeFileSync(dtPath, har + '\n');
  await devtools.context().close();
  await context.close();
  console.log(`wrote ${pwPath} and ${dtPath}`);
}

const base = `http://127.0.0.1:${nginxPort}`;
// A shop page whose API calls fail behind nginx: 502 (refused), 504 (timeout), 502 (empty reply).
await record('chromium-nginx-api', `${base}/`, async (page) => {
  await page.evaluate(async () => {
    for (const p of ['/api/down', '/api/slow', '/api/empty']) await fetch(p).catch(() => {});
  });
});
// Addresses that fail in the browser itself: refused, empty reply, TLS to a plain port, DNS.
await record('chromium-failures', `${base}/`, async (page) => {
  for (const url of [
    `http://127.0.0.1:${downPort}/`,
    `http://127.0.0.1:${emptyPort}/`,
    `https://127.0.0.1:${nginxPort}/`,
    'http://gatewise-fixture.invalid/',
  ]) {
    await page.goto(url, { timeout: 15000 }).catch(() => {});
  }
});
// Everything succeeds.
await record('chromium-all-ok', `${base}/`, async () => {});

for (const stop of stops) await stop();
console.log('nginx error.log:\n' + readFileSync(join(tmp, 'error.log'), 'utf8'));
rmSync(tmp, { recursive: true, force: true });
