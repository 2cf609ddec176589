// Runs the BUILT worker (worker/build) under plain `workerd serve` — no Miniflare, no wrangler — so
// that its outbound fetches really leave over TCP (globalOutbound: a network service allowed to
// reach loopback) and may come back into the worker itself: what the self-fetch loop tests need.
// Also: a transparent counting TCP hop (counts the HTTP request heads that pass it) and a port
// where nothing listens.
import net from 'node:net';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { BASE, logEvents } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BUILD = join(root, 'worker/build');
// The platform binary itself (node_modules/.bin/workerd is a Node wrapper: ending it would leave
// the real server running).
export const WORKERD = join(root, `node_modules/@cloudflare/workerd-${process.platform}-${process.arch === 'x64' ? '64' : process.arch}/bin/workerd`);

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const capnpText = (s) => JSON.stringify(String(s)); // a capnp text literal: JSON's escapes are capnp's

/**
 * Starts the built gatewise worker under `workerd serve` on 127.0.0.1:`port` (chosen when not
 * given) with the harness's BASE settings plus `vars`; `vars` may be a function of the port
 * (for an ORIGIN_URL that points back at the worker). `cachePort`: the Cache API's calls go to
 * an HTTP server there (workerd's `cacheApiOutbound`: GET = match, PUT = put, PURGE = delete);
 * without it the worker has no cache. `base`: the settings `vars` add to (default: the harness's
 * BASE; `{}` for the worker's own defaults, as the soak runs it). `build`: the directory holding the
 * built worker (default worker/build; the attack harness also runs an older build). Returns
 * { pid, port, url, logs, events, output, close }.
 */
export async function startWorkerd(vars, { port, cachePort, base = BASE, build = BUILD, shared = 0 } = {}) {
  for (const f of [WORKERD, join(build, 'index.js'), join(build, 'index_bg.wasm')]) {
    assert.ok(existsSync(f), `${f} is missing: run bash scripts/build-worker.sh (and npm run bootstrap)`);
  }
  port ??= await freePort();
  // `shared`: that many instances of the worker (separate Workers: separate isolates), each on its
  // own port, bound to one OriginHealth Durable Object (SQLite, on disk in the run's temporary
  // directory: workerd's in-memory storage has no SQL) hosted by a third Worker.
  const ports = [port];
  while (ports.length < shared) ports.push(await freePort());
  const bindings = { ...base, ...(typeof vars === 'function' ? vars(port) : vars) };
  const tmp = mkdtempSync(join(os.tmpdir(), 'gatewise-workerd-'));
  if (shared) mkdirSync(join(tmp, 'storage'));
  copyFileSync(join(build, 'index.js'), join(tmp, 'index.js'));
  copyFileSync(join(build, 'index_bg.wasm'), join(tmp, 'index_bg.wasm'));
  const text = Object.entries(bindings)
    .map(([n, v]) => `(name = ${capnpText(n)}, text = ${capnpText(v)})`)
    .join(', ');
  const modules = '[ (name = "index.js", esModule = embed "index.js"), (name = "index_bg.wasm", wasm = embed "index_bg.wasm") ]';
  const names = shared ? ports.map((_, i) => `gw${i}`) : ['gw'];
  const worker = (name) => `const ${name} :Workerd.Worker = (
  modules = ${modules},
  compatibilityDate = "2026-04-26",
  bindings = [ ${text}${shared ? ', (name = "ORIGIN_HEALTH", durableObjectNamespace = (className = "OriginHealth", serviceName = "health"))' : ''} ],
  globalOutbound = "loopback",${cachePort ? `
  cacheApiOutbound = "cache",` : ''}
);
`;
  writeFileSync(
    join(tmp, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    ${names.map((n) => `(name = "${n}", worker = .${n}),`).join('\n    ')}${shared ? `
    (name = "health", worker = .health),
    (name = "storage", disk = (path = ${capnpText(join(tmp, 'storage'))}, writable = true)),` : ''}
    (name = "loopback", network = (allow = ["private", "local"])),${cachePort ? `
    (name = "cache", external = (address = "127.0.0.1:${cachePort}", http = ())),` : ''}
  ],
  sockets = [ ${names.map((n, i) => `(name = "${n}", address = "127.0.0.1:${ports[i]}", http = (), service = "${n}")`).join(', ')} ],
);
${names.map(worker).join('')}${shared ? `const health :Workerd.Worker = (
  modules = ${modules},
  compatibilityDate = "2026-04-26",
  bindings = [ ${text} ],
  durableObjectNamespaces = [ (className = "OriginHealth", uniqueKey = "gatewise-origin-health", enableSql = true) ],
  durableObjectStorage = (localDisk = "storage"),
  globalOutbound = "loopback",
);
` : ''}`,
  );
  const child = spawn(WORKERD, ['serve', join(tmp, 'config.capnp'), '--experimental'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(line);
    if (logs.length > 50_000) logs.splice(0, 25_000); // a long soak logs every failure: keep the recent half
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM'); // our own child, by its handle (PID)
      await gone;
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  // Up when every instance's health endpoint answers.
  for (const url of urls) {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) {
        await close();
        throw new Error(`workerd exited: ${logs.join('\n')}`);
      }
      try {
        const r = await fetch(`${url}/__gatewise/health`);
        await r.arrayBuffer();
        break;
      } catch {
        if (i > 400) {
          await close();
          throw new Error(`workerd did not answer on ${port}: ${logs.join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }
  return {
    child,
    pid: child.pid,
    port,
    url,
    ports,
    urls,
    logs,
    close,
    /** The last lines workerd wrote, for a failure message. */
    output: () => logs.slice(-100).join('\n'),
    /** Lets workerd's stdout reach the log buffer. */
    settle: (ms = 200) => new Promise((r) => setTimeout(r, ms)),
    /** The structured log lines of one event kind, parsed. */
    events: (kind) => logEvents(logs, kind),
  };
}

/**
 * A transparent TCP hop on 127.0.0.1:`port` (chosen when not given) to 127.0.0.1:`target()`: bytes
 * pass untouched both ways; it counts the HTTP/1.1 request heads that go through (requests
 * without a body only: one with Content-Length or Transfer-Encoding fails `problems`), the
 * connections.
 */
export async function countingHop(target, { port } = {}) {
  const requests = [];
  const problems = [];
  const sockets = new Set();
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(typeof target === 'function' ? target() : target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    let head = Buffer.alloc(0);
    client.on('data', (d) => {
      head = Buffer.concat([head, d]);
      for (;;) {
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) break;
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const [method, target] = lines[0].split(' ');
        const headers = {};
        for (const l of lines.slice(1)) {
          const i = l.indexOf(':');
          headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
        }
        if (Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding']) problems.push(`${method} ${target} has a body`);
        requests.push({ method, target, headers });
        head = head.subarray(end + 4);
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise((r) => server.listen(port ?? 0, '127.0.0.1', r));
  return {
    port: server.address().port,
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    problems,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
