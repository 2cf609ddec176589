// Side-by-side benchmarks of the edge worker under plain `workerd serve` (no wrangler, which caps
// at ~2k req/s), driven by `wrk` on 127.0.0.1 only. One process tree: a keep-alive Node origin,
// one workerd with three sockets — (b) a plain-JS passthrough, (c) the built gatewise worker,
// (e) a plain-JS worker answering a fixed 502 when the origin fails — and wrk, run in turn.
//
//   node bench/run.mjs [--smoke]     (npm run bench; --smoke: one short run each, no report)
//
// Writes bench/results/latest.md and latest.json (not in --smoke mode).
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, copyFileSync, writeFileSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const smoke = process.argv.includes('--smoke');
const REPEATS = smoke ? 1 : 3;
const DURATION = process.env.GATEWISE_BENCH_DURATION ?? (smoke ? '1s' : '8s'); // wrk -d
const CONNECTIONS = 16;
const BUILD = join(root, 'worker/build');
// The platform binary itself, not node_modules/.bin/workerd (a Node wrapper: ending it would
// leave the real server running).
const WORKERD = [join(root, `node_modules/@cloudflare/workerd-${process.platform}-${process.arch === 'x64' ? '64' : process.arch}/bin/workerd`), join(root, 'node_modules/.bin/workerd')].find((f) => existsSync(f));

const log = (...a) => console.error('bench:', ...a);
for (const f of [join(BUILD, 'index.js'), join(BUILD, 'index_bg.wasm')]) {
  if (!existsSync(f)) throw new Error(`${f} is missing: run bash scripts/build-worker.sh`);
}
if (!WORKERD) throw new Error('workerd is missing from node_modules: run npm run bootstrap');

/** A free TCP port on 127.0.0.1 (bound, then released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The origin: a small fixed HTML body, keep-alive, as fast as Node answers.
const BODY = Buffer.from('<!doctype html><title>ok</title><p>hello from the origin</p>\n');
const origin = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': BODY.length });
  res.end(BODY);
});
origin.keepAliveTimeout = 60_000;
await new Promise((r) => origin.listen(0, '127.0.0.1', r));
const originPort = origin.address().port;
const closedPort = await freePort(); // nothing listens here: connections are refused
const ports = { js: await freePort(), gw: await freePort(), jserr: await freePort(), gwerr: await freePort() };

const tmp = mkdtempSync(join(os.tmpdir(), 'gatewise-bench-'));
copyFileSync(join(BUILD, 'index.js'), join(tmp, 'index.js'));
copyFileSync(join(BUILD, 'index_bg.wasm'), join(tmp, 'index_bg.wasm'));
// (b): what a site owner writes by hand — the request, rewritten to the origin.
writeFileSync(
  join(tmp, 'js.js'),
  `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const o = new URL(env.ORIGIN_URL);
    url.protocol = o.protocol; url.host = o.host;
    return fetch(new Request(url, request));
  },
};
`,
);
// (e): the same, answering a fixed 502 string when the origin fails.
writeFileSync(
  join(tmp, 'jserr.js'),
  `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const o = new URL(env.ORIGIN_URL);
    url.protocol = o.protocol; url.host = o.host;
    try { return await fetch(new Request(url, request)); }
    catch { return new Response('error code: 502', { status: 502, headers: { 'content-type': 'text/plain' } }); }
  },
};
`,
);
const worker = (name, modules, originUrl) => `const ${name} :Workerd.Worker = (
  modules = [ ${modules} ],
  compatibilityDate = "2026-04-26",
  bindings = [ (name = "ORIGIN_URL", text = "${originUrl}") ],
  globalOutbound = "loopback",
);
`;
const gwModules = `(name = "index.js", esModule = embed "index.js"), (name = "index_bg.wasm", wasm = embed "index_bg.wasm")`;
writeFileSync(
  join(tmp, 'bench.capnp'),
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "js", worker = .js), (name = "gw", worker = .gw),
    (name = "jserr", worker = .jserr), (name = "gwerr", worker = .gwerr),
    (name = "loopback", network = (allow = ["private", "local"])),
  ],
  sockets = [
    (name = "js", address = "127.0.0.1:${ports.js}", http = (), service = "js"),
    (name = "gw", address = "127.0.0.1:${ports.gw}", http = (), service = "gw"),
    (name = "jserr", address = "127.0.0.1:${ports.jserr}", http = (), service = "jserr"),
    (name = "gwerr", address = "127.0.0.1:${ports.gwerr}", http = (), service = "gwerr"),
  ],
);
${worker('js', '(name = "js.js", esModule = embed "js.js")', `http://127.0.0.1:${originPort}`)}
${worker('gw', gwModules, `http://127.0.0.1:${originPort}`)}
${worker('jserr', '(name = "jserr.js", esModule = embed "jserr.js")', `http://127.0.0.1:${closedPort}`)}
${worker('gwerr', gwModules, `http://127.0.0.1:${closedPort}`)}
`,
);

const workerd = spawn(WORKERD, ['serve', join(tmp, 'bench.capnp'), '--experimental'], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let workerdErr = '';
workerd.stderr.on('data', (c) => {
  if (workerdErr.length < 20_000) workerdErr += c;
});
const cleanup = () => {
  if (workerd.exitCode === null) workerd.kill('SIGTERM'); // our own child, by its handle (PID)
  origin.close();
  origin.closeAllConnections?.();
  rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);

async function waitUp(port) {
  for (let i = 0; i < 200; i++) {
    if (workerd.exitCode !== null) throw new Error(`workerd exited: ${workerdErr}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      await r.arrayBuffer();
      return r.status;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`workerd did not answer on ${port}: ${workerdErr}`);
}

const toUs = (v, unit) => Math.round(Number(v) * { us: 1, ms: 1e3, s: 1e6 }[unit] * 10) / 10;
/** One wrk run: req/s, p50 and p99 in µs, status counts. */
// Asynchronous: the origin lives in this process and must keep answering while wrk runs.
const run = promisify(execFile);
async function wrk(url, headers = [], connections = CONNECTIONS) {
  const args = ['-t1', `-c${connections}`, `-d${DURATION}`, '--latency'];
  for (const h of headers) args.push('-H', h);
  const { stdout: out } = await run('wrk', [...args, url], { encoding: 'utf8' });
  const lat = (p) => {
    const m = out.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm'));
    return m ? toUs(m[1], m[2]) : NaN;
  };
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  const errors = out.match(/Socket errors:.*$/m)?.[0] ?? '';
  return { rps, p50: lat(50), p99: lat(99), non2xx, errors };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (runs, key) => {
  const xs = runs.map((r) => r[key]);
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};

const HTML = ['Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', 'Accept-Language: en-US,en;q=0.8'];
const JSON_ACCEPT = ['Accept: application/json'];
const variants = [
  { id: 'a', group: 'passthrough', name: '(a) origin direct', port: originPort, headers: HTML, status: 200 },
  { id: 'b', group: 'passthrough', name: '(b) plain-JS worker', port: ports.js, headers: HTML, status: 200 },
  { id: 'c', group: 'passthrough', name: '(c) gatewise worker', port: ports.gw, headers: HTML, status: 200 },
  { id: 'b1', group: 'latency', name: '(b) plain-JS worker, 1 connection', port: ports.js, headers: HTML, status: 200, connections: 1 },
  { id: 'c1', group: 'latency', name: '(c) gatewise worker, 1 connection', port: ports.gw, headers: HTML, status: 200, connections: 1 },
  { id: 'e', group: 'error', name: '(e) plain-JS worker, fixed 502', port: ports.jserr, headers: HTML, status: 502 },
  { id: 'f', group: 'error', name: '(f) gatewise, HTML page', port: ports.gwerr, headers: HTML, status: 502 },
  { id: 'g', group: 'error', name: '(g) gatewise, JSON', port: ports.gwerr, headers: JSON_ACCEPT, status: 502 },
];

try {
  for (const v of variants) {
    if (v.port !== originPort) {
      const s = await waitUp(v.port);
      if (s !== v.status) throw new Error(`${v.name}: first answer ${s}, expected ${v.status}`);
    }
  }
  // One short warm-up per variant (JIT, wasm tier-up, keep-alive pools), then the repeats
  // interleaved a, b, c, … so that drift of the shared machine hits every variant alike.
  for (const v of variants) await run('wrk', ['-t1', `-c${CONNECTIONS}`, '-d1s', ...v.headers.flatMap((h) => ['-H', h]), `http://127.0.0.1:${v.port}/`]);
  for (const v of variants) v.runs = [];
  for (let i = 0; i < REPEATS; i++) {
    for (const v of variants) {
      const r = await wrk(`http://127.0.0.1:${v.port}/`, v.headers, v.connections);
      v.runs.push(r);
      log(`${v.name} #${i + 1}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} µs, p99 ${r.p99} µs${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}${r.errors ? `, ${r.errors}` : ''}`);
      if (!(r.rps > 0)) throw new Error(`${v.name}: wrk measured nothing`);
    }
  }
} catch (e) {
  console.error(workerdErr.slice(-4000));
  throw e;
}

for (const v of variants) {
  v.rps = summary(v.runs, 'rps');
  v.p50 = summary(v.runs, 'p50');
  v.p99 = summary(v.runs, 'p99');
}
const by = Object.fromEntries(variants.map((v) => [v.id, v]));
const ratios = {
  'c/b throughput': by.c.rps.median / by.b.rps.median,
  'c-b added p50 µs': by.c.p50.median - by.b.p50.median,
  'c-b added p99 µs': by.c.p99.median - by.b.p99.median,
  'c-b added time per request µs (1e6/rps)': 1e6 / by.c.rps.median - 1e6 / by.b.rps.median,
  'c1-b1 added p50 µs (1 connection)': by.c1.p50.median - by.b1.p50.median,
  'c1/b1 throughput (1 connection)': by.c1.rps.median / by.b1.rps.median,
  'f/e throughput (error, HTML)': by.f.rps.median / by.e.rps.median,
  'g/e throughput (error, JSON)': by.g.rps.median / by.e.rps.median,
};
// Paired per repeat (the variants of one repeat ran back to back): robust to drift of the shared machine.
const paired = (x, y) => summary(by[x].runs.map((r, i) => ({ q: r.rps / by[y].runs[i].rps })), 'q');
const pairs = { 'c/b': paired('c', 'b'), 'c1/b1': paired('c1', 'b1'), 'f/e': paired('f', 'e'), 'g/e': paired('g', 'e') };
if (smoke) {
  log('smoke run done:', JSON.stringify(Object.fromEntries(Object.entries(ratios).map(([k, x]) => [k, +x.toFixed(3)]))));
  process.exit(0);
}

const version = (cmd, args) => {
  let out;
  try {
    out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = `${e.stdout ?? ''}${e.stderr ?? ''}`; // wrk -v exits 1 after printing its version
  }
  return out.trim().split('\n')[0] || 'unknown';
};
const machine = {
  date: new Date().toISOString(),
  nproc: os.availableParallelism?.() ?? os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  workerd: version(WORKERD, ['--version']),
  wrk: version('wrk', ['-v']).replace(/\s+Copyright.*/, ''),
  loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  load: `wrk -t1 -c${CONNECTIONS} -d${DURATION}, ${REPEATS} repeats, interleaved, after a 1 s warm-up`,
  wasmBytes: execFileSync('wc', ['-c', join(BUILD, 'index_bg.wasm')], { encoding: 'utf8' }).trim().split(/\s+/)[0],
};

// The core micro-benchmarks (crates/gatewise-core/examples/bench.rs), run by scripts/bench.sh.
const core = process.env.GATEWISE_CORE_BENCH ? JSON.parse(readFileSync(process.env.GATEWISE_CORE_BENCH, 'utf8')) : null;
const coreMd = core
  ? `## Core micro-benchmarks (native, release; \`cargo run --release -p gatewise-core --example bench\`)

| operation | ns/op, median (min–max) of ${core.repeats} |
|---|---:|
${core.ops.map((o) => `| ${o.op} | ${o.ns.median} (${o.ns.min}–${o.ns.max}) |`).join('\n')}
`
  : '';
const fmt = (s, d = 0) => `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
const row = (v) => `| ${v.name} | ${fmt(v.rps)} | ${fmt(v.p50)} | ${fmt(v.p99)} |`;
const head = '| variant | req/s | p50 µs | p99 µs |\n|---|---:|---:|---:|';
const md = `# gatewise benchmarks — latest run

Written by \`npm run bench\` (bench/run.mjs). Every figure: median (min–max) of ${REPEATS} runs.
All processes on 127.0.0.1 in one process tree: a keep-alive Node origin, one plain \`workerd serve\`
(no wrangler) with each worker on its own socket, and \`wrk\`.

Machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.os}; Node ${machine.node}, ${machine.workerd},
${machine.wrk}; load average before the run ${machine.loadavg}. Load: ${machine.load}. Worker wasm: ${machine.wasmBytes} bytes. Run at ${machine.date}.
The machine is shared (2 cores for origin, workerd and wrk together): compare ratios, not absolutes.

## Passthrough (origin answers 200, ${BODY.length}-byte body)

${head}
${variants.filter((v) => v.group === 'passthrough').map(row).join('\n')}

## Latency without queueing (1 connection)

Under 16 connections the worker variants saturate a core and p50 is mostly queueing; with one
connection p50 is the time a request spends in each path.

${head}
${variants.filter((v) => v.group === 'latency').map(row).join('\n')}

## Error path (origin port closed: connection refused)

gatewise with its default configuration (2 attempts with backoff, circuit breaker after 5
failures in a row, stale-if-error; no cache service under plain workerd). (e) tries the origin once
and answers \`error code: 502\`.

${head}
${variants.filter((v) => v.group === 'error').map(row).join('\n')}

## Ratios (medians)

Throughput ratios paired per repeat (the two variants ran back to back), median (min–max):
(c)/(b) ${fmt(pairs['c/b'], 2)}, (c)/(b) at 1 connection ${fmt(pairs['c1/b1'], 2)},
(f)/(e) ${fmt(pairs['f/e'], 2)}, (g)/(e) ${fmt(pairs['g/e'], 2)}.

| ratio of medians | value | target (issue 7) |
|---|---:|---:|
| (c)/(b) throughput | ${ratios['c/b throughput'].toFixed(2)}× | ≥ 0.95× |
| (c)−(b) added p50 | ${ratios['c-b added p50 µs'].toFixed(0)} µs | ≤ 30 µs |
| (c)−(b) added p99 | ${ratios['c-b added p99 µs'].toFixed(0)} µs | — |
| (c)−(b) added worker time per request (1e6/req/s) | ${ratios['c-b added time per request µs (1e6/rps)'].toFixed(0)} µs | — |
| (c)−(b) added p50, 1 connection | ${ratios['c1-b1 added p50 µs (1 connection)'].toFixed(0)} µs | ≤ 30 µs |
| (c)/(b) throughput, 1 connection | ${ratios['c1/b1 throughput (1 connection)'].toFixed(2)}× | — |
| (f)/(e) error throughput, HTML | ${ratios['f/e throughput (error, HTML)'].toFixed(2)}× | ≥ 0.8× |
| (g)/(e) error throughput, JSON | ${ratios['g/e throughput (error, JSON)'].toFixed(2)}× | ≥ 0.8× |

${coreMd}`;
const outDir = join(root, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.md'), md);
writeFileSync(
  join(outDir, 'latest.json'),
  JSON.stringify(
    {
      machine,
      variants: variants.map(({ id, group, name, headers, runs, rps, p50, p99 }) => ({ id, group, name, headers, runs, rps, p50, p99 })),
      ratios,
      pairedThroughputRatios: pairs,
      core,
    },
    null,
    2,
  ) + '\n',
);
console.log(md);
process.exit(0); // the origin's keep-alive sockets would keep the process up; exit ends workerd
