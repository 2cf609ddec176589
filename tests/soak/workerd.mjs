// Runs the built gatewise worker (worker/build) under a plain `workerd serve` on 127.0.0.1: the
// platform binary itself (not the Node wrapper in node_modules/.bin, whose end would leave the
// real server running), a capnp config written to a temporary directory, [vars] as text
// bindings, fetch() reaching loopback only, and — when `cachePort` is given — the Cache API
// (caches.default) sent to an HTTP cache service on 127.0.0.1 (see cache.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, copyFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BUILD = join(root, 'worker/build');
const arch = process.arch === 'x64' ? '64' : process.arch;
export const WORKERD = join(root, `node_modules/@cloudflare/workerd-${process.platform}-${arch}/bin/workerd`);

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

const capnpText = (s) => JSON.stringify(String(s)); // a capnp text literal (same escapes as JSON)

/**
 * Starts workerd; resolves once the socket answers. Returns { pid, port, url, stop(), output() }.
 * `vars`: the worker's [vars]; `cachePort`: where caches.default goes (none: no cache service).
 */
export async function startWorkerd({ vars, cachePort }) {
  for (const f of [WORKERD, join(BUILD, 'index.js'), join(BUILD, 'index_bg.wasm')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing (npm run bootstrap; bash scripts/build-worker.sh)`);
  }
  const port = await freePort();
  const tmp = mkdtempSync(join(os.tmpdir(), 'gatewise-soak-'));
  copyFileSync(join(BUILD, 'index.js'), join(tmp, 'index.js'));
  copyFileSync(join(BUILD, 'index_bg.wasm'), join(tmp, 'index_bg.wasm'));
  const bindings = Object.entries(vars)
    .map(([name, value]) => `(name = ${capnpText(name)}, text = ${capnpText(value)})`)
    .join(',\n    ');
  const cache = cachePort
    ? `(name = "cache", external = (address = "127.0.0.1:${cachePort}", http = ())),`
    : '';
  writeFileSync(
    join(tmp, 'soak.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "gw", worker = .gw),
    (name = "loopback", network = (allow = ["private", "local"])),
    ${cache}
  ],
  sockets = [ (name = "gw", address = "127.0.0.1:${port}", http = (), service = "gw") ],
);
const gw :Workerd.Worker = (
  modules = [
    (name = "index.js", esModule = embed "index.js"),
    (name = "index_bg.wasm", wasm = embed "index_bg.wasm"),
  ],
  compatibilityDate = "2026-04-26",
  bindings = [
    ${bindings}
  ],
  globalOutbound = "loopback",
  ${cachePort ? 'cacheApiOutbound = "cache",' : ''}
);
`,
  );
  const child = spawn(WORKERD, ['serve', join(tmp, 'soak.capnp'), '--experimental'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c) => {
    out += c;
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGTERM'); // our own child, by its PID
      const t = setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`workerd exited (${child.exitCode}): ${out.slice(-4000)}`);
    }
    try {
      const r = await fetch(`${url}/__gatewise/health`);
      await r.arrayBuffer();
      break;
    } catch (e) {
      if (i > 400) {
        await stop();
        throw new Error(`workerd did not answer on ${port}: ${out.slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return { pid: child.pid, port, url, stop, output: () => out, child };
}
