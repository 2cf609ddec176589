// Where a request's time goes inside workerd: `perf record` (cpu-clock sampling, so it also works
// in VMs without hardware counters) on one plain `workerd serve` per variant, with V8's perf map
// (`--perf-basic-prof`) so that JIT code and Wasm functions have names. Each variant serves a
// bounded one-connection wrk load; samples are turned into CPU µs per request, per category
// (the worker's Wasm, the JS glue, V8, the runtime's API, KJ I/O, the allocator, the kernel) and
// per symbol, and compared pairwise: gatewise against the same forwarding work in plain JS (the
// happy path), and against a plain-JS worker answering a fixed string (the error path).
//
//   node bench/profile.mjs [--seconds N]      (npm run bench -- --profile; needs Linux `perf`)
//
// The Wasm functions' names come from the module's name section, which the shipped build strips:
// build with `GATEWISE_WORKER_NAMES=1 bash scripts/build-worker.sh` first to see them (without, they
// are `wasm-function[N]`, still counted as the worker's Wasm).
//
// Writes bench/results/profile.md. Proportions are what to read: sampling under a shared machine
// inflates every absolute figure alike.
import os from 'node:os';
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, copyFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKERS } from './workers.mjs';
import { freePort, startFixedOrigin } from './net.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const BUILD = join(root, 'worker/build');
const WORKERD = join(root, 'node_modules/@cloudflare/workerd-linux-64/bin/workerd');
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;
const FREQ = 1999;
const log = (...a) => console.error('profile:', ...a);

try {
  execFileSync('perf', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('profile: Linux perf is missing (Debian: apt-get install -y linux-perf)');
  process.exit(2);
}
for (const f of [WORKERD, join(BUILD, 'index.js')]) if (!existsSync(f)) throw new Error(`${f} is missing: run npm run bootstrap and scripts/build-worker.sh`);

const origin = await startFixedOrigin();
const originUrl = `http://127.0.0.1:${origin.address().port}`;
const closedUrl = `http://127.0.0.1:${await freePort()}`;

const VARIANTS = [
  { id: 'b', name: '(b) plain-JS worker', js: 'js', origin: originUrl },
  { id: 'd', name: "(d) plain-JS worker doing gatewise's forwarding work", js: 'jsfwd', origin: originUrl },
  { id: 'c', name: '(c) gatewise worker', origin: originUrl },
  { id: 'e', name: '(e) plain-JS worker, fixed 502 (origin refusing)', js: 'jserr', origin: closedUrl },
  { id: 'f', name: '(f) gatewise, HTML error page (origin refusing)', origin: closedUrl },
];
const PAIRS = [
  ['d', 'c', 'happy path: gatewise vs the same forwarding work in plain JS'],
  ['b', 'd', 'happy path: the forwarding work vs a bare passthrough, both plain JS'],
  ['e', 'f', 'error path: the informative page vs a fixed string'],
];

const tmp = mkdtempSync(join(os.tmpdir(), 'gatewise-profile-'));
const started = [];
process.on('exit', () => {
  for (const p of started) if (p.exitCode === null) p.kill('SIGTERM');
  origin.close();
  origin.closeAllConnections?.();
  rmSync(tmp, { recursive: true, force: true });
});

async function startWorkerd(v) {
  const dir = mkdtempSync(join(tmp, `${v.id}-`));
  let modules;
  if (v.js) {
    writeFileSync(join(dir, 'w.js'), WORKERS[v.js]);
    modules = '(name = "w.js", esModule = embed "w.js")';
  } else {
    copyFileSync(join(BUILD, 'index.js'), join(dir, 'index.js'));
    copyFileSync(join(BUILD, 'index_bg.wasm'), join(dir, 'index_bg.wasm'));
    modules = '(name = "index.js", esModule = embed "index.js"), (name = "index_bg.wasm", wasm = embed "index_bg.wasm")';
  }
  const port = await freePort();
  writeFileSync(
    join(dir, 'c.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  v8Flags = [ "--perf-basic-prof" ],
  services = [ (name = "w", worker = .w), (name = "loopback", network = (allow = ["private", "local"])) ],
  sockets = [ (name = "w", address = "127.0.0.1:${port}", http = (), service = "w") ],
);
const w :Workerd.Worker = (
  modules = [ ${modules} ],
  compatibilityDate = "2026-04-26",
  bindings = [ (name = "ORIGIN_URL", text = "${v.origin}") ],
  globalOutbound = "loopback",
);
`,
  );
  // Run from the scratch directory: V8 writes its isolate logs into the working directory.
  const p = spawn(WORKERD, ['serve', join(dir, 'c.capnp'), '--experimental'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  started.push(p);
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      await r.arrayBuffer();
      return { p, port, dir };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${v.name}: workerd did not answer`);
}

const HTML = ['-H', 'Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', '-H', 'Accept-Language: en-US,en;q=0.8'];
async function wrk(port, seconds, connections = 1) {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, ...HTML, `http://127.0.0.1:${port}/`]);
  return Number(stdout.match(/(\d+) requests in/)?.[1]);
}

/** The category of a sampled symbol. */
function category(sym, dso) {
  if (dso === '[kernel.kallsyms]' || sym.startsWith('[k]')) return 'kernel';
  if (sym.startsWith('JS:')) return /::|wasm-function|dlmalloc|__rust|__externref|__wbindgen/.test(sym) && !/ index\.js:|\.js:\d/.test(sym) ? 'worker Wasm' : 'JS (glue, worker JS)';
  if (/^Builtins_|^Stub:/.test(sym)) return 'JS (glue, worker JS)';
  if (/tcmalloc|TCMalloc/.test(sym)) return 'allocator';
  if (/^v8::|^cppgc::|^_ZN2v8/.test(sym)) return 'V8';
  if (/^workerd::|_ZN7workerd/.test(sym)) return 'runtime API (workerd)';
  if (/^kj::|^capnp::/.test(sym)) return 'I/O (KJ)';
  return 'other (libc, …)';
}

/** perf samples → { total, cats, syms } in µs per request. */
async function analyse(data, requests) {
  const { stdout } = await run('perf', ['report', '-i', data, '--no-children', '--sort', 'dso,sym', '-g', 'none', '-q', '-F', 'sample,dso,sym', '-t', '\t'], {
    maxBuffer: 64 << 20,
  });
  const perRequest = (samples) => (samples * 1e6) / FREQ / requests;
  const cats = {};
  const syms = {};
  let total = 0;
  for (const line of stdout.split('\n')) {
    // sample <tab> dso (may contain spaces: "[JIT] tid 123") <tab> [k] or [.] symbol
    const m = line.match(/^\s*(\d+)\s*\t([^\t]*)\t\[(.)\]\s+(.*?)\s*$/);
    if (!m) continue;
    const n = Number(m[1]);
    const sym = m[4].replace(/-\d+-(turbofan|liftoff|maglev|sparkplug)$/, '').replace(/::h[0-9a-f]{16}/g, '').replace(/\[[0-9a-f]{16}\]/g, '');
    const cat = category(m[3] === 'k' ? `[k]${sym}` : sym, m[2].trim());
    total += n;
    cats[cat] = (cats[cat] ?? 0) + n;
    syms[sym] = (syms[sym] ?? 0) + n;
  }
  const map = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, perRequest(v)]));
  return { total: perRequest(total), cats: map(cats), syms: map(syms) };
}

const results = {};
for (const v of VARIANTS) {
  const w = await startWorkerd(v);
  await wrk(w.port, 1, 4); // warm-up: JIT, Wasm tier-up, keep-alive
  const data = join(tmp, `${v.id}.perf`);
  const rec = spawn('perf', ['record', '-F', String(FREQ), '-p', String(w.p.pid), '-o', data, '--', 'sleep', String(SECONDS)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 200));
  const requests = await wrk(w.port, Math.max(1, SECONDS - 1));
  await new Promise((r) => rec.on('exit', r));
  results[v.id] = { ...(await analyse(data, requests)), requests };
  w.p.kill('SIGTERM');
  log(`${v.name}: ${requests} requests, ${results[v.id].total.toFixed(1)} µs CPU per request`);
}

const f1 = (x) => (x ?? 0).toFixed(1);
const cats = [...new Set(Object.values(results).flatMap((r) => Object.keys(r.cats)))].sort();
let md = `# Where the time goes — profile of one request inside workerd

Written by \`node bench/profile.mjs\` at ${new Date().toISOString()} on ${os.cpus().length} CPUs (load average
${os.loadavg().map((x) => x.toFixed(2)).join(', ')}). \`perf record -F ${FREQ}\` (cpu-clock) of one plain \`workerd serve\`
per variant, V8's perf map for names, ${SECONDS} s of wrk with one connection each; CPU µs per request
= samples / frequency / requests. Sampling on a shared machine inflates every figure alike: read the
proportions and the differences between variants.

## CPU per request, by category (µs)

| category | ${VARIANTS.map((v) => v.name).join(' | ')} |
|---|${VARIANTS.map(() => '---:').join('|')}|
${cats.map((c) => `| ${c} | ${VARIANTS.map((v) => f1(results[v.id].cats[c])).join(' | ')} |`).join('\n')}
| **total** | ${VARIANTS.map((v) => `**${f1(results[v.id].total)}**`).join(' | ')} |
`;
for (const [a, b, title] of PAIRS) {
  const ra = results[a];
  const rb = results[b];
  const deltas = [...new Set([...Object.keys(ra.syms), ...Object.keys(rb.syms)])]
    .map((s) => [s, (rb.syms[s] ?? 0) - (ra.syms[s] ?? 0)])
    .sort((x, y) => y[1] - x[1])
    .slice(0, 15);
  md += `
## ${title}: (${b}) − (${a})

${f1(rb.total - ra.total)} µs more CPU per request (${f1(ra.total)} → ${f1(rb.total)}). By category:
${cats.map((c) => `${c} ${f1((rb.cats[c] ?? 0) - (ra.cats[c] ?? 0))}`).join(', ')}.

| symbol (self time) | µs per request more in (${b}) |
|---|---:|
${deltas.map(([s, d]) => `| \`${s.slice(0, 110).replace(/\|/g, '\\|')}\` | ${f1(d)} |`).join('\n')}
`;
}
writeFileSync(join(root, 'bench/results/profile.md'), md);
writeFileSync(join(root, 'bench/results/profile.json'), JSON.stringify({ date: new Date().toISOString(), loadavg: os.loadavg(), seconds: SECONDS, results }, null, 1) + '\n');
log('wrote bench/results/profile.md');
process.exit(0);
