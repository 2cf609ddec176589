// Captures the text pastes of tests/fixtures/pastes/ from real programs on 127.0.0.1: what curl,
// wget, Node, Python (requests) and Java print when a request fails; nginx and HAProxy writing
// their logs to syslog (UDP, RFC 3164 and RFC 5424); and the visible text of error pages as
// Chromium renders it (what a person selects and copies).
//
//   node scripts/capture-pastes/texts.mjs [out-dir]        (default: tests/fixtures/pastes)
//
// Every server listens on 127.0.0.1 (ports from the system) and is stopped by its PID. Outputs are
// kept as printed: ports, dates, PIDs and timings as they were. Needs curl, wget, python3 with
// requests, java, nginx, haproxy and Chromium.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('../../', import.meta.url).pathname;
const out = process.argv[2] ?? join(root, 'tests/fixtures/pastes');
const tmp = mkdtempSync(join(tmpdir(), 'gatewise-texts-'));
const stops = [];
const write = (rel, text) => {
  const path = join(out, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
};

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}
async function listen(server) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  stops.push(() => new Promise((r) => server.close(() => r())));
  return server.address().port;
}
function start(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  stops.push(
    () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  );
  return child;
}
async function waitFor(url) {
  for (let i = 0; i < 50; i++) {
    if (await fetch(url).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
/**
 * Runs a command (asynchronously: the servers above live in this process); its stdout and stderr
 * as one text, interleaved as a terminal shows them (both go to one pipe).
 */
function run(cmd, args, { timeout = 20000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', '"$0" "$@" 2>&1', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (text += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

// ---- upstreams that fail ----
const emptyPort = await listen(
  createServer((s) => {
    s.once('data', () => s.end());
    s.on('error', () => {});
  }),
);
const hangPort = await listen(
  createServer((s) => {
    s.on('error', () => {});
  }),
);
const downPort = await freePort();

// ---- syslog receiver (UDP): every datagram is one line ----
const syslogLines = [];
const udp = createSocket('udp4');
await new Promise((r) => udp.bind(0, '127.0.0.1', r));
udp.on('message', (m) => syslogLines.push(m.toString('utf8').replace(/\n$/, '')));
stops.push(() => new Promise((r) => udp.close(r)));
const syslogPort = udp.address().port;

// ---- nginx, logging its errors to syslog ----
const nginxPort = await freePort();
writeFileSync(
  join(tmp, 'nginx.conf'),
  `daemon off;
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log syslog:server=127.0.0.1:${syslogPort},tag=nginx error;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server {
    listen 127.0.0.1:${nginxPort};
    location /down { proxy_pass http://127.0.0.1:${downPort}; }
    location /slow { proxy_pass http://127.0.0.1:${hangPort}; proxy_read_timeout 1s; }
    location / { return 200 'ok'; }
  }
}
`,
);
start('nginx', ['-p', tmp, '-c', join(tmp, 'nginx.conf')]);
await waitFor(`http://127.0.0.1:${nginxPort}/`);

// ---- HAProxy, logging to syslog in RFC 5424 ----
const haproxyPort = await freePort();
writeFileSync(
  join(tmp, 'haproxy.cfg'),
  `global
  log 127.0.0.1:${syslogPort} format rfc5424 local0
defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client 5s
  timeout server 1s
frontend fe
  bind 127.0.0.1:${haproxyPort}
  default_backend be
backend be
  server app1 127.0.0.1:${downPort}
`,
);
start('haproxy', ['-db', '-f', join(tmp, 'haproxy.cfg')]);
await waitFor(`http://127.0.0.1:${haproxyPort}/`).catch(() => {});

const base = `http://127.0.0.1:${nginxPort}`;
const curlVersion = (await run('curl', ['--version'])).split('\n')[0];

// ---- curl ----
write('curl/refused.txt', `$ curl -sSv http://127.0.0.1:${downPort}/\n` + await run('curl', ['-sSv', `http://127.0.0.1:${downPort}/`]));
write('curl/nginx-502.txt', `$ curl -sSv ${base}/down\n` + await run('curl', ['-sSv', `${base}/down`]));
write('curl/nginx-504-head.txt', `$ curl -sI ${base}/slow\n` + await run('curl', ['-sI', `${base}/slow`]));
write('curl/empty-reply.txt', `$ curl -sS http://127.0.0.1:${emptyPort}/\n` + await run('curl', ['-sS', `http://127.0.0.1:${emptyPort}/`]));
write('curl/timeout.txt', `$ curl -sS -m 2 http://127.0.0.1:${hangPort}/\n` + await run('curl', ['-sS', '-m', '2', `http://127.0.0.1:${hangPort}/`]));
write('curl/tls-to-plain-port.txt', `$ curl -sS https://127.0.0.1:${nginxPort}/\n` + await run('curl', ['-sS', `https://127.0.0.1:${nginxPort}/`]));
write('curl/dns.txt', `$ curl -sS http://gatewise-fixture.invalid/\n` + await run('curl', ['-sS', 'http://gatewise-fixture.invalid/']));
write('curl/haproxy-503.txt', `$ curl -i http://127.0.0.1:${haproxyPort}/\n` + await run('curl', ['-si', `http://127.0.0.1:${haproxyPort}/`]));

// ---- wget ----
write('messages/wget-refused.txt', await run('wget', ['-O', '/dev/null', `http://127.0.0.1:${downPort}/`]));

// ---- Node (fetch and http) ----
const nodeFetch = (url) =>
  run('node', ['-e', `fetch(${JSON.stringify(url)}).catch((e) => { console.error(e); process.exitCode = 1; })`]);
write('messages/node-fetch-refused.txt', await nodeFetch(`http://127.0.0.1:${downPort}/`));
write('messages/node-fetch-dns.txt', await nodeFetch('http://gatewise-fixture.invalid/'));
write(
  'messages/node-http-reset.txt',
  await run('node', [
    '-e',
    `require('http').get('http://127.0.0.1:${emptyPort}/', () => {}).on('error', (e) => { console.error(e); process.exitCode = 1; })`,
  ]),
);

// ---- Python requests ----
const py = (url, timeout) =>
  run('python3', ['-c', `import requests\nrequests.get(${JSON.stringify(url)}${timeout ? `, timeout=${timeout}` : ''})`]);
write('messages/python-requests-refused.txt', await py(`http://127.0.0.1:${downPort}/`));
write('messages/python-requests-read-timeout.txt', await py(`http://127.0.0.1:${hangPort}/`, 1));

write(
  'headers/python-requests-dict.txt',
  await run('python3', ['-c', `import requests\nr = requests.get(${JSON.stringify(`${base}/down`)})\nprint(r.status_code)\nprint(r.headers)`]),
);

// ---- Java (java.net.http.HttpClient) ----
const javaSrc = join(tmp, 'Get.java');
writeFileSync(
  javaSrc,
  `public class Get {
  public static void main(String[] a) throws Exception {
    var c = java.net.http.HttpClient.newHttpClient();
    c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(a[0])).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }
}
`,
);
write('messages/java-httpclient-refused.txt', await run('java', [javaSrc, `http://127.0.0.1:${downPort}/`], { timeout: 60000 }));
const urlSrc = join(tmp, 'Open.java');
writeFileSync(
  urlSrc,
  `public class Open {
  public static void main(String[] a) throws Exception {
    new java.net.URL(a[0]).openStream().close();
  }
}
`,
);
write('messages/java-urlconnection-refused.txt', await run('java', [urlSrc, `http://127.0.0.1:${downPort}/`], { timeout: 60000 }));
write('messages/java-urlconnection-dns.txt', await run('java', [urlSrc, 'http://gatewise-fixture.invalid/'], { timeout: 60000 }));

// ---- syslog lines written by nginx and HAProxy ----
await new Promise((r) => setTimeout(r, 500));
write('syslog/nginx-rfc3164.log', syslogLines.filter((l) => l.includes('nginx')).join('\n') + '\n');
write('syslog/haproxy-rfc5424.log', syslogLines.filter((l) => l.includes('haproxy')).join('\n') + '\n');

// ---- the visible text of error pages, as Chromium shows it ----
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
stops.unshift(() => browser.close());
const page = await browser.newPage();
for (const [fixture, name] of [
  ['tests/fixtures/responses/cloudflare/521_web_server_down.http', 'page_text/cloudflare-521.txt'],
  ['tests/fixtures/responses/cloudflare/522_connection_timed_out.http', 'page_text/cloudflare-522.txt'],
  ['tests/fixtures/responses/cloudflare/530_1016_plain.http', 'page_text/cloudflare-1016.txt'],
  ['tests/fixtures/responses/nginx/refused.http', 'page_text/nginx-502.txt'],
  ['tests/fixtures/responses/apache/refused.http', 'page_text/apache-503.txt'],
  ['tests/fixtures/responses/apache/dns.http', 'page_text/apache-proxy-error-dns.txt'],
  ['tests/fixtures/responses/apache/close.http', 'page_text/apache-proxy-error-read.txt'],
  ['tests/fixtures/responses/apache_pages/502_ssl_handshake.http', 'page_text/apache-proxy-error-ssl.txt'],
  ['tests/fixtures/responses/apache_pages/502_ftp_transfer_type.http', 'page_text/apache-proxy-error-other.txt'],
  ['tests/fixtures/responses/nginx/hang.http', 'page_text/nginx-504.txt'],
  ['tests/fixtures/responses/nginx_pages/404.http', 'page_text/nginx-404.txt'],
  ['tests/fixtures/responses/envoy/503_connection_refused.http', 'page_text/envoy-503.txt'],
]) {
  const raw = readFileSync(join(root, fixture), 'latin1');
  const body = raw.slice(raw.search(/\r?\n\r?\n/)).replace(/^\r?\n\r?\n/, '');
  const html = /<html|<!doctype|<body|<h1/i.test(body) ? body : `<pre>${body.replace(/</g, '&lt;')}</pre>`;
  await page.setContent(html);
  write(name, (await page.evaluate(() => document.body.innerText)).trim() + '\n');
}

for (const stop of stops) await stop();
rmSync(tmp, { recursive: true, force: true });
console.log(`curl: ${curlVersion}`);
