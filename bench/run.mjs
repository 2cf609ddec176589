// Side-by-side benchmarks of the edge worker under plain `workerd serve` (no wrangler, which caps
// at ~2k req/s), on 127.0.0.1 only. One process tree: a keep-alive Node origin, a streaming origin
// (bench/stream-origin.mjs, its own process), one workerd with a socket per worker — (b) a
// plain-JS passthrough, (c) the built gatewise worker, (e) a plain-JS worker answering a fixed 502
// when the origin fails, and the two passthroughs again in front of the streaming origin — and
// wrk, run in turn. Sections, in order:
//   http    passthrough (16 connections), latency (1 connection), error path — with wrk
//   stream  a 1 GiB response and a 1 GiB upload through each worker: MB/s and workerd's RSS growth
//   size    the wrangler upload bundle, the npm package, the error page; cold start of workerd
//   wasm    the core's operations in wasm (Node, the npm package's wasm) beside the native
//           criterion figures ($GATEWISE_CRITERION, written by scripts/bench.sh), and the
//           criterion scaling groups
//
//   node bench/run.mjs [--smoke] [--only=http,stream,size,wasm]
//     (npm run bench; --smoke: one short run of each, 16 MiB transfers, no report, no thresholds)
//
// Writes bench/results/latest.md and latest.json (not in --smoke mode).
import os from 'node:os';
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, copyFileSync, writeFileSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { WORKERS } from './workers.mjs';
import { freePort, BODY, startFixedOrigin } from './net.mjs';
import { startStreamOrigin, download, upload, rss, sampleRss } from './stream.mjs';
import { bundleSize, packageSize, errorPage, coldStart } from './size.mjs';
import { wasmOps } from './wasm.mjs';
import { readCriterion, scaling } from './criterion.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const smoke = process.argv.includes('--smoke');
const SECTIONS = ['http', 'stream', 'size', 'wasm'];
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
for (const o of only ?? []) if (!SECTIONS.includes(o)) throw new Error(`--only: unknown section ${o} (${SECTIONS.join(', ')})`);
const section = (name) => !only || only.includes(name);
// Streaming: 1 GiB each way (16 MiB in --smoke); workerd's RSS may grow by at most STREAM_RSS_BOUND.
const STREAM_BYTES = Number(process.env.GATEWISE_BENCH_STREAM_BYTES ?? (smoke ? 16 * 2 ** 20 : 2 ** 30));
const STREAM_RSS_BOUND = 64 * 2 ** 20;
const COLD_STARTS = smoke ? 1 : 7;
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

// The origin: a small fixed HTML body, keep-alive, as fast as Node answers (bench/net.mjs).
const origin = await startFixedOrigin();
const originPort = origin.address().port;
// Everything that listens on a port the kernel picks starts before the ports workerd will bind are
// chosen: a port freePort() has just released could otherwise be handed to it first.
const streamOrigin = await startStreamOrigin();
const closedPort = await freePort(); // nothing listens here: connections are refused
const ports = { js: await freePort(), jsfwd: await freePort(), gw: await freePort(), jserr: await freePort(), gwerr: await freePort(), jsbig: await freePort(), gwbig: await freePort(), jsbuf: await freePort() };

const tmp = mkdtempSync(join(os.tmpdir(), 'gatewise-bench-'));
copyFileSync(join(BUILD, 'index.js'), join(tmp, 'index.js'));
copyFileSync(join(BUILD, 'index_bg.wasm'), join(tmp, 'index_bg.wasm'));
// The plain-JS workers (bench/workers.mjs): (b) passthrough, (d) gatewise's forwarding work in
// JS, (e) passthrough with a fixed 502, and the streaming section's buffering control.
for (const name of ['js', 'jsfwd', 'jserr', 'jsbuf']) writeFileSync(join(tmp, `${name}.js`), WORKERS[name]);
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
    (name = "js", worker = .js), (name = "jsfwd", worker = .jsfwd), (name = "gw", worker = .gw),
    (name = "jserr", worker = .jserr), (name = "gwerr", worker = .gwerr),
    (name = "jsbig", worker = .jsbig), (name = "gwbig", worker = .gwbig), (name = "jsbuf", worker = .jsbuf),
    (name = "loopback", network = (allow = ["private", "local"])),
  ],
  sockets = [
    (name = "js", address = "127.0.0.1:${ports.js}", http = (), service = "js"),
    (name = "jsfwd", address = "127.0.0.1:${ports.jsfwd}", http = (), service = "jsfwd"),
    (name = "gw", address = "127.0.0.1:${ports.gw}", http = (), service = "gw"),
    (name = "jserr", address = "127.0.0.1:${ports.jserr}", http = (), service = "jserr"),
    (name = "gwerr", address = "127.0.0.1:${ports.gwerr}", http = (), service = "gwerr"),
    (name = "jsbig", address = "127.0.0.1:${ports.jsbig}", http = (), service = "jsbig"),
    (name = "gwbig", address = "127.0.0.1:${ports.gwbig}", http = (), service = "gwbig"),
    (name = "jsbuf", address = "127.0.0.1:${ports.jsbuf}", http = (), service = "jsbuf"),
  ],
);
${worker('js', '(name = "js.js", esModule = embed "js.js")', `http://127.0.0.1:${originPort}`)}
${worker('jsfwd', '(name = "jsfwd.js", esModule = embed "jsfwd.js")', `http://127.0.0.1:${originPort}`)}
${worker('gw', gwModules, `http://127.0.0.1:${originPort}`)}
${worker('jserr', '(name = "jserr.js", esModule = embed "jserr.js")', `http://127.0.0.1:${closedPort}`)}
${worker('gwerr', gwModules, `http://127.0.0.1:${closedPort}`)}
${worker('jsbig', '(name = "js.js", esModule = embed "js.js")', `http://127.0.0.1:${streamOrigin.port}`)}
${worker('gwbig', gwModules, `http://127.0.0.1:${streamOrigin.port}`)}
${worker('jsbuf', '(name = "jsbuf.js", esModule = embed "jsbuf.js")', `http://127.0.0.1:${streamOrigin.port}`)}
`,
);
// Cold start: one worker per workerd, each on its own port, in front of the keep-alive origin
// (js, gw: the first proxied 200) or of the closed port (jserr, gwerr: the first 502).
const coldPorts = { js: await freePort(), gw: await freePort(), jserr: await freePort(), gwerr: await freePort() };
for (const [id, modules, originUrl] of [
  ['js', '(name = "js.js", esModule = embed "js.js")', `http://127.0.0.1:${originPort}`],
  ['gw', gwModules, `http://127.0.0.1:${originPort}`],
  ['jserr', '(name = "jserr.js", esModule = embed "jserr.js")', `http://127.0.0.1:${closedPort}`],
  ['gwerr', gwModules, `http://127.0.0.1:${closedPort}`],
]) {
  writeFileSync(
    join(tmp, `cold-${id}.capnp`),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "w", worker = .w), (name = "loopback", network = (allow = ["private", "local"])) ],
  sockets = [ (name = "w", address = "127.0.0.1:${coldPorts[id]}", http = (), service = "w") ],
);
${worker('w', modules, originUrl)}
`,
  );
}

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
  if (streamOrigin.child.exitCode === null) streamOrigin.child.kill("SIGTERM"); // our own child, by its handle
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

// USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
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
  const requests = Number(out.match(/(\d+) requests in/)?.[1]);
  return { rps, p50: lat(50), p99: lat(99), non2xx, errors, requests };
}

/** CPU time workerd has used so far, in µs (user + system, from /proc; Linux only). */
function workerdCpuUs() {
  try {
    const fields = readFileSync(`/proc/${workerd.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
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
  { id: 'd', group: 'passthrough', name: "(d) plain-JS worker doing gatewise's forwarding work", port: ports.jsfwd, headers: HTML, status: 200 },
  { id: 'c', group: 'passthrough', name: '(c) gatewise worker', port: ports.gw, headers: HTML, status: 200 },
  { id: 'b1', group: 'latency', name: '(b) plain-JS worker, 1 connection', port: ports.js, headers: HTML, status: 200, connections: 1 },
  { id: 'd1', group: 'latency', name: "(d) plain-JS worker doing gatewise's forwarding work, 1 connection", port: ports.jsfwd, headers: HTML, status: 200, connections: 1 },
  { id: 'c1', group: 'latency', name: '(c) gatewise worker, 1 connection', port: ports.gw, headers: HTML, status: 200, connections: 1 },
  { id: 'e', group: 'error', name: '(e) plain-JS worker, fixed 502', port: ports.jserr, headers: HTML, status: 502 },
  { id: 'f', group: 'error', name: '(f) gatewise, HTML page', port: ports.gwerr, headers: HTML, status: 502 },
  { id: 'g', group: 'error', name: '(g) gatewise, JSON', port: ports.gwerr, headers: JSON_ACCEPT, status: 502 },
];

const loadBefore = os.loadavg();
const fail = (e) => {
  console.error(workerdErr.slice(-4000));
  throw e;
};
const f0 = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const fmt = (s, d = 0) => (s ? `${f0(s.median, d)} (${f0(s.min, d)}–${f0(s.max, d)})` : '—');
const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const sectionsMd = [];
const report = { sections: only ?? SECTIONS };

// ---- http: passthrough, latency, error path (wrk) ----
if (section('http')) {
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
        const cpu0 = workerdCpuUs();
        const r = await wrk(`http://127.0.0.1:${v.port}/`, v.headers, v.connections);
        // workerd's CPU per request: robust to the load generator and the origin sharing the cores
        // (they run in other processes). Meaningless for (a), which does not go through workerd.
        r.cpu = v.port === originPort ? NaN : (workerdCpuUs() - cpu0) / r.requests;
        v.runs.push(r);
        log(`${v.name} #${i + 1}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} µs, p99 ${r.p99} µs${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}${r.errors ? `, ${r.errors}` : ''}`);
        if (!(r.rps > 0)) throw new Error(`${v.name}: wrk measured nothing`);
      }
    }
  } catch (e) {
    fail(e);
  }

  for (const v of variants) {
    v.rps = summary(v.runs, 'rps');
    v.p50 = summary(v.runs, 'p50');
    v.p99 = summary(v.runs, 'p99');
    v.cpu = v.port === originPort ? null : summary(v.runs, 'cpu');
  }
  const by = Object.fromEntries(variants.map((v) => [v.id, v]));
  const ratios = {
    'c/b throughput': by.c.rps.median / by.b.rps.median,
    'c-b added p50 µs': by.c.p50.median - by.b.p50.median,
    'c-b added p99 µs': by.c.p99.median - by.b.p99.median,
    'c-b added time per request µs (1e6/rps)': 1e6 / by.c.rps.median - 1e6 / by.b.rps.median,
    'c1-b1 added p50 µs (1 connection)': by.c1.p50.median - by.b1.p50.median,
    'c1/b1 throughput (1 connection)': by.c1.rps.median / by.b1.rps.median,
    'd/b throughput': by.d.rps.median / by.b.rps.median,
    'c/d throughput': by.c.rps.median / by.d.rps.median,
    'd1-b1 added p50 µs (1 connection)': by.d1.p50.median - by.b1.p50.median,
    'c1-d1 added p50 µs (1 connection)': by.c1.p50.median - by.d1.p50.median,
    'b/c workerd CPU per request': by.b.cpu.median / by.c.cpu.median,
    'c-b workerd CPU µs per request': by.c.cpu.median - by.b.cpu.median,
    'c-d workerd CPU µs per request': by.c.cpu.median - by.d.cpu.median,
    'd-b workerd CPU µs per request': by.d.cpu.median - by.b.cpu.median,
    'e/f workerd CPU per request (error, HTML)': by.e.cpu.median / by.f.cpu.median,
    'e/g workerd CPU per request (error, JSON)': by.e.cpu.median / by.g.cpu.median,
    'f/e throughput (error, HTML)': by.f.rps.median / by.e.rps.median,
    'g/e throughput (error, JSON)': by.g.rps.median / by.e.rps.median,
  };
  // Paired per repeat (the variants of one repeat ran back to back): robust to drift of the shared machine.
  const paired = (x, y) => summary(by[x].runs.map((r, i) => ({ q: r.rps / by[y].runs[i].rps })), 'q');
  const pairs = { 'c/b': paired('c', 'b'), 'c/d': paired('c', 'd'), 'c1/b1': paired('c1', 'b1'), 'f/e': paired('f', 'e'), 'g/e': paired('g', 'e') };
  log('http done:', JSON.stringify(Object.fromEntries(Object.entries(ratios).map(([k, x]) => [k, +x.toFixed(3)]))));
  Object.assign(report, {
    variants: variants.map(({ id, group, name, headers, runs, rps, p50, p99, cpu }) => ({ id, group, name, headers, runs, rps, p50, p99, cpu })),
    ratios,
    pairedThroughputRatios: pairs,
  });
  const row = (v) => `| ${v.name} | ${fmt(v.rps)} | ${fmt(v.p50)} | ${fmt(v.p99)} | ${fmt(v.cpu)} |`;
  const head = '| variant | req/s | p50 µs | p99 µs | workerd CPU µs/request |\n|---|---:|---:|---:|---:|';
  sectionsMd.push(`## Passthrough (origin answers 200, ${BODY.length}-byte body)

Load: wrk -t1 -c${CONNECTIONS} -d${DURATION}, ${REPEATS} repeats, interleaved, after a 1 s warm-up.
"workerd CPU µs/request": workerd's user + system CPU time during the run (from /proc) divided by
the requests wrk completed — the cost of a request inside the runtime, which the load generator and
the origin (other processes on the same two cores) disturb far less than req/s or latency.

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
(c)/(b) ${fmt(pairs['c/b'], 2)}, (c)/(d) ${fmt(pairs['c/d'], 2)}, (c)/(b) at 1 connection ${fmt(pairs['c1/b1'], 2)},
(f)/(e) ${fmt(pairs['f/e'], 2)}, (g)/(e) ${fmt(pairs['g/e'], 2)}.

| ratio of medians | value | target (issue 7) |
|---|---:|---:|
| (c)/(b) throughput | ${ratios['c/b throughput'].toFixed(2)}× | ≥ 0.95× |
| (c)−(b) added p50 | ${ratios['c-b added p50 µs'].toFixed(0)} µs | ≤ 30 µs |
| (c)−(b) added p99 | ${ratios['c-b added p99 µs'].toFixed(0)} µs | — |
| (c)−(b) added worker time per request (1e6/req/s) | ${ratios['c-b added time per request µs (1e6/rps)'].toFixed(0)} µs | — |
| (c)−(b) added p50, 1 connection | ${ratios['c1-b1 added p50 µs (1 connection)'].toFixed(0)} µs | ≤ 30 µs |
| (c)/(b) throughput, 1 connection | ${ratios['c1/b1 throughput (1 connection)'].toFixed(2)}× | — |
| (b)/(c) workerd CPU per request (throughput a core can give) | ${ratios['b/c workerd CPU per request'].toFixed(2)}× | ≥ 0.95× |
| (c)−(b) workerd CPU per request | ${ratios['c-b workerd CPU µs per request'].toFixed(1)} µs | — |
| of which (d)−(b): the forwarding work, in plain JS | ${ratios['d-b workerd CPU µs per request'].toFixed(1)} µs | — |
| of which (c)−(d): Rust/Wasm over the same work in JS | ${ratios['c-d workerd CPU µs per request'].toFixed(1)} µs | — |
| (d)/(b) throughput: the forwarding work, in plain JS | ${ratios['d/b throughput'].toFixed(2)}× | — |
| (c)/(d) throughput: gatewise vs the same work in plain JS | ${ratios['c/d throughput'].toFixed(2)}× | — |
| (d)−(b) added p50, 1 connection | ${ratios['d1-b1 added p50 µs (1 connection)'].toFixed(0)} µs | — |
| (c)−(d) added p50, 1 connection | ${ratios['c1-d1 added p50 µs (1 connection)'].toFixed(0)} µs | — |
| (f)/(e) error throughput, HTML | ${ratios['f/e throughput (error, HTML)'].toFixed(2)}× | ≥ 0.8× |
| (g)/(e) error throughput, JSON | ${ratios['g/e throughput (error, JSON)'].toFixed(2)}× | ≥ 0.8× |
| (e)/(f) workerd CPU per request, HTML error | ${ratios['e/f workerd CPU per request (error, HTML)'].toFixed(2)}× | — |
| (e)/(g) workerd CPU per request, JSON error | ${ratios['e/g workerd CPU per request (error, JSON)'].toFixed(2)}× | — |
`);
}

// ---- stream: 1 GiB down and up through each worker; workerd's RSS growth ----
if (section('stream')) {
  const MB = 1e6;
  const kinds = [
    { id: 'down', name: 'response (GET, origin streams chunks)', go: (port) => download(port, STREAM_BYTES) },
    { id: 'up', name: 'upload, chunked (no Content-Length)', go: (port) => upload(port, STREAM_BYTES, false) },
    { id: 'upcl', name: 'upload with Content-Length', go: (port) => upload(port, STREAM_BYTES, true) },
  ];
  const paths = [
    { id: 'origin', name: 'origin direct', port: streamOrigin.port },
    { id: 'js', name: 'plain-JS worker', port: ports.jsbig },
    { id: 'gw', name: 'gatewise worker', port: ports.gwbig },
  ];
  const cells = [];
  try {
    for (const p of paths.filter((p) => p.id !== 'origin')) await waitUp(p.port);
    // Warm-up: one 16 MiB transfer each way per worker.
    for (const p of paths) {
      await download(p.port, 16 * 2 ** 20);
      await upload(p.port, 16 * 2 ** 20, false);
    }
    for (const k of kinds) for (const p of paths) cells.push({ kind: k, path: p, runs: [] });
    for (let i = 0; i < REPEATS; i++) {
      for (const c of cells) {
        const base = rss(workerd.pid);
        const stop = sampleRss(workerd.pid);
        const r = await c.kind.go(c.path.port);
        const peak = stop();
        if (r.status !== 200 || r.bytes !== STREAM_BYTES) {
          throw new Error(`${c.kind.name} via ${c.path.name}: status ${r.status}, ${r.bytes} bytes of ${STREAM_BYTES}${r.answer ? `: ${r.answer}` : ''}`);
        }
        const run = { seconds: r.seconds, mbps: STREAM_BYTES / MB / r.seconds, rssBase: base, rssPeak: peak, rssGrowth: Math.max(0, peak - base), framing: r.seen ? { contentLength: r.seen.contentLength, transferEncoding: r.seen.transferEncoding } : null };
        c.runs.push(run);
        log(`${c.kind.name} via ${c.path.name} #${i + 1}: ${run.mbps.toFixed(0)} MB/s, workerd RSS ${(base / 2 ** 20).toFixed(1)} → peak ${(peak / 2 ** 20).toFixed(1)} MiB${run.framing ? `, origin saw ${JSON.stringify(run.framing)}` : ''}`);
      }
    }
  } catch (e) {
    fail(e);
  }
  for (const c of cells) {
    c.mbps = spread(c.runs.map((r) => r.mbps));
    c.rssGrowth = spread(c.runs.map((r) => r.rssGrowth));
  }
  const cell = (k, p) => cells.find((c) => c.kind.id === k && c.path.id === p);
  const streamRatios = Object.fromEntries(
    kinds.map((k) => {
      const g = cell(k.id, 'gw');
      const j = cell(k.id, 'js');
      return [k.id, { ofMedians: g.mbps.median / j.mbps.median, paired: spread(g.runs.map((r, i) => r.mbps / j.runs[i].mbps)) }];
    }),
  );
  // The control, once: a worker that buffers a response of CONTROL_BYTES.
  const CONTROL_BYTES = Math.min(STREAM_BYTES, 256 * 2 ** 20);
  let control;
  try {
    await waitUp(ports.jsbuf);
    const base = rss(workerd.pid);
    const stop = sampleRss(workerd.pid);
    const r = await download(ports.jsbuf, CONTROL_BYTES);
    const peak = stop();
    if (r.status !== 200 || r.bytes !== CONTROL_BYTES) throw new Error(`control: status ${r.status}, ${r.bytes} bytes of ${CONTROL_BYTES}`);
    control = { bytes: CONTROL_BYTES, rssGrowth: Math.max(0, peak - base), mbps: CONTROL_BYTES / MB / r.seconds };
    log(`control (buffering JS worker), ${CONTROL_BYTES / 2 ** 20} MiB response: workerd RSS +${(control.rssGrowth / 2 ** 20).toFixed(1)} MiB`);
  } catch (e) {
    fail(e);
  }
  const maxGrowth = Math.max(...cells.filter((c) => c.path.id !== 'origin').flatMap((c) => c.runs.map((r) => r.rssGrowth)));
  const framing = (c) => {
    const f = c.runs[0]?.framing;
    if (!f) return '';
    return f.contentLength != null ? `Content-Length: ${f.contentLength}` : f.transferEncoding ? `Transfer-Encoding: ${f.transferEncoding}` : 'neither';
  };
  report.stream = {
    bytes: STREAM_BYTES,
    rssBound: STREAM_RSS_BOUND,
    maxRssGrowth: maxGrowth,
    withinBound: maxGrowth <= STREAM_RSS_BOUND,
    cells: cells.map((c) => ({ kind: c.kind.id, path: c.path.id, name: `${c.kind.name} via ${c.path.name}`, mbps: c.mbps, rssGrowth: c.rssGrowth, runs: c.runs })),
    ratios: streamRatios,
    control,
  };
  log('stream done:', JSON.stringify(Object.fromEntries(Object.entries(streamRatios).map(([k, r]) => [k, +r.ofMedians.toFixed(3)]))), `max RSS growth ${(maxGrowth / 2 ** 20).toFixed(1)} MiB`);
  const mib = (x) => (x / 2 ** 20).toFixed(1);
  sectionsMd.push(`## Streaming (${STREAM_BYTES / 2 ** 20} MiB each way)

The streaming origin (bench/stream-origin.mjs, its own process) generates the response in 64 KiB
chunks (chunked, no Content-Length) and counts an upload's bytes; the client (this process) sends
64 KiB chunks with backpressure. Every transfer's byte count is checked exactly (the client counts
the response, the origin reports what it received). MB = 10⁶ bytes; ${REPEATS} repeats,
interleaved, after a 16 MiB warm-up each way. "RSS growth": workerd's VmRSS sampled every 20 ms
during the transfer, peak minus the value just before it (one workerd serves every worker).

| transfer | path | MB/s | workerd RSS growth, MiB | origin saw |
|---|---|---:|---:|---|
${cells.map((c) => `| ${c.kind.name} | ${c.path.name} | ${fmt(c.mbps)} | ${c.path.id === 'origin' ? '—' : `${mib(c.rssGrowth.median)} (${mib(c.rssGrowth.min)}–${mib(c.rssGrowth.max)})`} | ${framing(c)} |`).join('\n')}

| ratio gatewise / plain JS | of medians | paired per repeat, median (min–max) | target |
|---|---:|---:|---:|
${kinds.map((k) => `| ${k.name} | ${streamRatios[k.id].ofMedians.toFixed(2)}× | ${fmt(streamRatios[k.id].paired, 2)} | ≥ 0.9× |`).join('\n')}

No body buffered: the largest RSS growth of workerd during any worker transfer was
${mib(maxGrowth)} MiB (from a resident set of ${mib(median(cells.filter((c) => c.path.id !== 'origin').flatMap((c) => c.runs.map((r) => r.rssBase))))} MiB) for ${STREAM_BYTES / 2 ** 20} MiB moved — bound ${mib(STREAM_RSS_BOUND)} MiB (1/${STREAM_BYTES / STREAM_RSS_BOUND} of the transfer): ${maxGrowth <= STREAM_RSS_BOUND ? 'met' : '**not met**'}.
Control, run once: a plain-JS worker that buffers the response (\`new Response(await r.arrayBuffer(), r)\`)
grew workerd's RSS by ${mib(control.rssGrowth)} MiB for a ${control.bytes / 2 ** 20} MiB response — the sampling sees a buffered body.
The gatewise worker reads a request body into memory only when its Content-Length is at most
RETRY_BODY_LIMIT (64 KiB by default; such a body can be replayed on a retry); a body without
Content-Length, or with a larger one, is passed on as a stream and never replayed — so both
uploads above stream.
`);
}

// ---- size and start ----
if (section('size')) {
  let size;
  try {
    await waitUp(ports.gwerr);
    const [bundle, pkg] = [await bundleSize(root), packageSize(root)];
    const jsWorker = readFileSync(join(tmp, 'js.js'));
    const pages = {
      'HTML, en': await errorPage(ports.gwerr, { accept: 'text/html', 'accept-language': 'en' }),
      'HTML, ar': await errorPage(ports.gwerr, { accept: 'text/html', 'accept-language': 'ar' }),
      'problem JSON': await errorPage(ports.gwerr, { accept: 'application/json' }),
      'plain text (curl)': await errorPage(ports.gwerr, { accept: '*/*', 'user-agent': 'curl/8.0' }),
      'plain-JS worker, fixed 502': await errorPage(ports.jserr, {}),
    };
    // 502 (connection refused), or 503 once the circuit breaker has opened (after the http section).
    for (const [k, p] of Object.entries(pages)) if (p.status !== 502 && p.status !== 503) throw new Error(`error page ${k}: status ${p.status}`);
    const cold = { js: [], gw: [], jserr: [], gwerr: [] };
    // The first 502 counts only when it is the expected one: the plain worker's fixed string, or
    // gatewise's diagnosis (its own Proxy-Status entry names an error type).
    const expect = {
      js: (r) => r.status === 200,
      gw: (r) => r.status === 200,
      jserr: (r) => r.status === 502,
      gwerr: (r) => r.status === 502 && /^gatewise;error=/.test(r.headers.get('proxy-status') ?? ''),
    };
    for (let i = 0; i < COLD_STARTS; i++) {
      for (const id of ['js', 'gw', 'jserr', 'gwerr']) {
        const ms = await coldStart(WORKERD, join(tmp, `cold-${id}.capnp`), coldPorts[id], expect[id]);
        cold[id].push(ms);
        log(`cold start ${id} #${i + 1}: ${ms.toFixed(0)} ms`);
      }
    }
    size = {
      bundle,
      jsWorker: { raw: jsWorker.length, gzip: gzipSync(jsWorker, { level: 9 }).length },
      package: pkg,
      pages,
      cold: {
        js: spread(cold.js),
        gw: spread(cold.gw),
        jserr: spread(cold.jserr),
        gwerr: spread(cold.gwerr),
        runs: cold,
        ratio: median(cold.gw) / median(cold.js),
        added: median(cold.gw) - median(cold.js),
        errRatio: median(cold.gwerr) / median(cold.jserr),
        errAdded: median(cold.gwerr) - median(cold.jserr),
      },
    };
  } catch (e) {
    fail(e);
  }
  report.size = size;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const b = size.bundle;
  log('size done:', `bundle gzip ${kib(b.total.gzip)}, cold start gw/js ${size.cold.ratio.toFixed(2)}×, first failure ${size.cold.errRatio.toFixed(2)}×`);
  sectionsMd.push(`## Size and start

The worker's upload bundle as \`wrangler deploy --dry-run --outdir\` builds it from worker/build
(wrangler.toml without its [build] command — the bench does not rebuild — and without [assets],
which are uploaded apart); gzip -9 per module. ${b.wrangler ? `wrangler: ${b.wrangler}.` : ''}

| artifact | raw | gzip |
|---|---:|---:|
| worker bundle, wasm | ${kib(b.wasm.raw)} | ${kib(b.wasm.gzip)} |
| worker bundle, JavaScript | ${kib(b.js.raw)} | ${kib(b.js.gzip)} |
| worker bundle, total (${b.modules} modules) | ${kib(b.total.raw)} | ${kib(b.total.gzip)} |
| plain-JS worker (one module) | ${size.jsWorker.raw} B | ${size.jsWorker.gzip} B |
| npm package, wasm (dist) | ${kib(size.package.wasm.raw)} | ${kib(size.package.wasm.gzip)} |
| npm package, JavaScript (${size.package.js.files} files in dist) | ${kib(size.package.js.raw)} | ${kib(size.package.js.gzip)} |
| npm package, wasm + JavaScript | ${kib(size.package.total.raw)} | ${kib(size.package.total.gzip)} |

The error page as the gatewise worker sends it (origin refusing connections; 503 once its circuit
breaker has opened, as after the error-path section — the same page with that diagnosis), gzip -9:

| answer | status | content type | bytes | gzip bytes |
|---|---:|---|---:|---:|
${Object.entries(size.pages).map(([k, p]) => `| ${k} | ${p.status} | ${p.type}${p.lang ? ` (${p.lang})` : ''} | ${p.raw} | ${p.gzip} |`).join('\n')}

Cold start: \`workerd serve\` spawned with one worker → its first 200 (through the origin), and
→ its first 502 in front of the closed port (the plain worker's fixed string; gatewise's answer
only counts when its own Proxy-Status entry names an error type, after its retries with backoff);
polled every 2 ms; median (min–max) of ${COLD_STARTS}, interleaved.

| worker | spawn → first proxied 200, ms | spawn → first 502, ms |
|---|---:|---:|
| plain-JS worker | ${fmt(size.cold.js)} | ${fmt(size.cold.jserr)} |
| gatewise worker | ${fmt(size.cold.gw)} | ${fmt(size.cold.gwerr)} |
| ratio gatewise / JS | ${size.cold.ratio.toFixed(2)}× (+${size.cold.added.toFixed(0)} ms) | ${size.cold.errRatio.toFixed(2)}× (+${size.cold.errAdded.toFixed(0)} ms) |
`);
}

// ---- wasm vs native, and scaling (criterion) ----
const criterion = readCriterion(process.env.GATEWISE_CRITERION);
if (section('wasm')) {
  let rows;
  try {
    rows = await wasmOps(root, { smoke });
  } catch (e) {
    fail(e);
  }
  for (const r of rows) {
    r.native = criterion[`core/${r.id}`]?.ns ?? null;
    r.ratio = r.native ? r.wasm.median / r.native.median : null;
    // The fastest runs are the least disturbed by the shared machine: their ratio too.
    r.ratioOfMins = r.native ? r.wasm.min / r.native.min : null;
  }
  report.wasm = rows;
  log('wasm done:', JSON.stringify(Object.fromEntries(rows.filter((r) => r.ratio).map((r) => [r.id, +r.ratio.toFixed(2)]))));
  const core = Object.entries(criterion).filter(([id]) => id.startsWith('core/'));
  const groups = ['scale_body', 'scale_headers', 'scale_chain'];
  const scale = Object.fromEntries(groups.map((g) => [g, scaling(criterion, g)]));
  report.core = Object.fromEntries(core);
  report.scaling = scale;
  if (core.length) {
    const us = (s) => (s ? `${(s.median / 1e3).toFixed(2)} (${(s.min / 1e3).toFixed(2)}–${(s.max / 1e3).toFixed(2)})` : '—');
    const unit = { scale_body: 'body bytes', scale_headers: 'headers', scale_chain: 'Proxy-Status entries' };
    sectionsMd.push(`## Core (native, criterion)

\`cargo bench -p gatewise-core --bench core\` (crates/gatewise-core/benches/core.rs, release
profile: opt-level "s", LTO). The input is the captured nginx 502 of
tests/fixtures/responses/nginx/refused.http and its log line (tests/fixtures/logs/nginx/refused.log).
µs per operation, median (min–max) over criterion's samples (${core[0][1].samples} samples of ~1 s in all).

| operation | µs/op, native |
|---|---:|
${core.map(([id, r]) => `| ${id.slice(5)} | ${us(r.ns)} |`).join('\n')}

## Core in wasm (Node, the npm package's wasm) vs native

The same operations through packages/gatewise/dist/gatewise_wasm.js (wasm-bindgen, as the
package's wrappers call them): each call converts its arguments from JavaScript and its result back
(serde-wasm-bindgen), which the native figure does not include — \`boundary\` is what a near-empty
call costs. Batches of ~100 ms after a warm-up, median (min–max) of 9. The npm API has no call for
fingerprinting alone nor for \`Accept\`/\`Accept-Language\` header strings (it negotiates a list of
tags, \`navigator.languages\`): those rows have no wasm figure; the list negotiation is the
difference of two explainLog calls.

| operation | wasm µs/op | native µs/op | wasm / native, medians | wasm / native, minimums |
|---|---:|---:|---:|---:|
${rows.map((r) => `| ${r.id} — ${r.op} | ${us(r.wasm)} | ${us(r.native)} | ${r.ratio ? `${r.ratio.toFixed(1)}×` : '—'} | ${r.ratioOfMins ? `${r.ratioOfMins.toFixed(1)}×` : '—'} |`).join('\n')}

The native and the wasm figures were taken minutes apart on a shared machine: where the load
changed in between, the ratio of the minimums (each side's least disturbed batch) is the steadier one.

## Scaling with input size (native, criterion)

The core reads bounded prefixes: the first ${16} KiB of a body (fingerprint::MAX_BODY), the first
100 headers (fingerprint::MAX_HEADERS), the last 64 Proxy-Status members
(proxy_status::MAX_MEMBERS, a field of at most 16 KiB). Growth per 10× of input: the ratio of
successive medians, per decade (10 = linear, 1 = flat); "linear or better" allows ×1.5 for noise.

${groups
  .map(
    (g) => `### ${g} (${unit[g]})

| operation | ${scale[g][0]?.sizes.map((s) => s.size.toLocaleString('en')).join(' | ') ?? ''} | growth per 10× | linear or better |
|---|${scale[g][0]?.sizes.map(() => '---:').join('|') ?? ''}|---|---|
${scale[g].map((f) => `| ${f.fn} µs | ${f.sizes.map((s) => us(s.ns)).join(' | ')} | ${f.steps.map((s) => `${s.perDecade.toFixed(2)}`).join(', ')} | ${f.linearOrBetter ? 'yes' : '**no**'} |`).join('\n')}
`,
  )
  .join('\n')}`);
  }
}

if (smoke) {
  log(`smoke run done (sections: ${(only ?? SECTIONS).join(', ')})`);
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
const la = (xs) => xs.map((x) => x.toFixed(2)).join(' ');
const machine = {
  date: new Date().toISOString(),
  nproc: os.availableParallelism?.() ?? os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  rustc: version('rustc', ['--version']),
  workerd: version(WORKERD, ['--version']),
  wrk: version('wrk', ['-v']).replace(/\s+Copyright.*/, ''),
  loadavgBefore: la(loadBefore),
  loadavgAfter: la(os.loadavg()),
  load: `wrk -t1 -c${CONNECTIONS} -d${DURATION}, ${REPEATS} repeats, interleaved, after a 1 s warm-up`,
  wasmBytes: execFileSync('wc', ['-c', join(BUILD, 'index_bg.wasm')], { encoding: 'utf8' }).trim().split(/\s+/)[0],
};

const md = `# gatewise benchmarks — latest run

Written by \`npm run bench\` (scripts/bench.sh: the criterion benchmarks, then bench/run.mjs).
Every figure: median (min–max) over repeated runs (${REPEATS} for the wrk and streaming runs;
see each section). All processes on 127.0.0.1 in one process tree: a keep-alive Node origin, a
streaming origin, one plain \`workerd serve\` (no wrangler) with each worker on its own socket,
\`wrk\` and the client. Sections: ${(only ?? SECTIONS).join(', ')}.

## Machine

${machine.nproc} CPUs (${machine.cpu}), ${machine.memory}, ${machine.os}; Node ${machine.node}, ${machine.rustc},
${machine.workerd}, ${machine.wrk}. Worker wasm: ${machine.wasmBytes} bytes. Run at ${machine.date}.
Load average (1, 5, 15 min) before bench/run.mjs ${machine.loadavgBefore}, after ${machine.loadavgAfter}:
the machine is shared — a fuzzer runs nice'd on one core and other work comes and goes, and
origin, workerd and the load generator share the 2 cores. Compare ratios, not absolutes.

${sectionsMd.join('\n')}`;
const outDir = join(root, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.md'), md);
writeFileSync(join(outDir, 'latest.json'), JSON.stringify({ machine, ...report }, null, 2) + '\n');
console.log(md);
process.exit(0); // the origin's keep-alive sockets would keep the process up; exit ends workerd
