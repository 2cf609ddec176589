// The attack harness (issue 12, "a gateway no visitor can turn against the site"): each vector is
// run against a fresh built worker under plain `workerd serve` on the worker's shipped defaults
// (only ORIGIN_URL and TIMEOUT_MS=1000 set), in front of the misbehaving test origin
// (tests/worker/origin.mjs), for N seconds: two attacker loops fire the vector while a victim polls
// the healthy landing page `/` (keep-alive, one request at a time, 20 ms apart). The figure is the
// victim's share of good answers: the origin's own 200 for `/`. Everything on 127.0.0.1; every
// process started here is stopped by its PID.
//
//   node bench/attack.mjs [--seconds 30] [--label after] [--build worker/build] [--vectors a,b]
//   npm run attack -- --label before --build /path/to/old/worker/build
//
// Writes bench/results/attack-<label>.json, and bench/results/attack.md from every attack-*.json
// present (so a run of `before` and one of `after` make the before/after table). The worker tests
// (tests/worker/attack.test.mjs) run the same vectors for two seconds each and assert the victim's
// share.
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOrigin } from '../tests/worker/origin.mjs';
import { startWorkerd, WORKERD } from '../tests/worker/workerd.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One raw HTTP/1.1 exchange over a fresh socket: write `chunks` (with pauses), then `end`. */
function raw(port, chunks, { destroyAfterMs } = {}) {
  return new Promise((resolveRaw) => {
    const s = net.connect(port, '127.0.0.1');
    let out = '';
    let timer;
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolveRaw(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 'none');
    });
    s.on('connect', () => {
      for (const c of chunks) s.write(c);
      if (destroyAfterMs !== undefined) timer = setTimeout(() => s.destroy(), destroyAfterMs);
      else timer = setTimeout(() => s.destroy(), 5_000);
    });
  });
}

/** GET `path` through `agent`: the status and whether the body is the origin's own answer. */
function get(port, agent, path) {
  return new Promise((resolveGet) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, headers: { accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolveGet({ status: res.statusCode, body, proxyStatus: res.headers['proxy-status'] ?? '' }));
      res.on('error', () => resolveGet({ status: 'cut', body }));
    });
    req.setTimeout(15_000, () => req.destroy(new Error('client timeout')));
    req.on('error', (e) => resolveGet({ status: e.message === 'client timeout' ? 'hung' : 'error', body: '' }));
    req.end();
  });
}

const upload = (i) =>
  `POST /upload/${i} HTTP/1.1\r\nHost: site.example\r\nContent-Type: application/octet-stream\r\nContent-Length: 200000\r\n\r\n`;

/**
 * The vectors of issue 12: what one attacker request is (`fire(port, agent, i)` → a status).
 * `varied`: the attacker varies the path (the harder case for an origin-wide breaker).
 */
export const VECTORS = {
  'aborted-upload': {
    what: 'POST with Content-Length 200000, 1000 bytes sent, connection closed',
    fire: (port, _agent, i) => raw(port, [upload(i), Buffer.alloc(1000, 97)], { destroyAfterMs: 30 }),
  },
  'chunk-extension': {
    what: 'POST with a chunk extension workerd rejects (5;ext=1)',
    fire: (port, _agent, i) =>
      raw(port, [`POST /upload/${i} HTTP/1.1\r\nHost: site.example\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5;ext=1\r\nhello\r\n0\r\n\r\n`]),
  },
  'origin-503': {
    what: 'GET of varied URLs whose handler answers 503 (Retry-After: 1) itself',
    fire: (port, agent, i) => get(port, agent, `/503/${i}`).then((r) => r.status),
  },
  slow: {
    what: 'GET of varied URLs slower than TIMEOUT_MS (they never answer)',
    fire: (port, agent, i) => get(port, agent, `/hang/${i}`).then((r) => r.status),
  },
  reset: {
    what: 'GET of one URL whose handler resets the connection',
    fire: (port, agent) => get(port, agent, '/reset').then((r) => r.status),
  },
  garbage: {
    what: 'GET of varied URLs whose handler answers non-HTTP bytes',
    fire: (port, agent, i) => get(port, agent, `/garbage/${i}`).then((r) => r.status),
  },
};

/** The worker's settings: its shipped defaults, with a 1 s time limit. */
export const ATTACK_VARS = { TIMEOUT_MS: '1000' };

/**
 * Runs one vector for `seconds` with `attackers` loops and one victim; returns the counts.
 * `build`: the built worker's directory. `minVictim`: go on past `seconds` (up to `maxSeconds`)
 * until the victim has sent that many requests — a share measured on a loaded machine needs its
 * sample, not a fixed time.
 */
export async function runVector(name, { seconds = 30, attackers = 2, build, vars = {}, minVictim = 0, maxSeconds = seconds } = {}) {
  const vector = VECTORS[name];
  if (!vector) throw new Error(`unknown vector ${name}`);
  const origin = await startOrigin();
  let w;
  try {
    w = await startWorkerd({ ORIGIN_URL: origin.url, ...ATTACK_VARS, ...vars }, { base: {}, ...(build ? { build } : {}) });
    // One proxied request first: the instance's cold start is not the victim's figure.
    await get(w.port, false, '/warm-up');
    const start = performance.now();
    const end = start + seconds * 1000;
    const hardEnd = start + Math.max(seconds, maxSeconds) * 1000;
    let victimDone = false;
    const victim = { sent: 0, good: 0, gatewise503: 0, other: {} };
    const attack = { sent: 0, statuses: {} };
    const victimLoop = async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      while (performance.now() < end || (victim.sent < minVictim && performance.now() < hardEnd)) {
        const r = await get(w.port, agent, '/');
        victim.sent++;
        if (r.status === 200 && r.body === 'hello from the origin') victim.good++;
        else {
          if (r.status === 503 && /(?:^|,)\s*gatewise;/.test(r.proxyStatus)) victim.gatewise503++;
          const k = `${r.status}`;
          victim.other[k] = (victim.other[k] ?? 0) + 1;
        }
        await sleep(20);
      }
      victimDone = true;
      agent.destroy();
    };
    const attackLoop = async (n) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; !victimDone; i++) {
        const status = await vector.fire(w.port, agent, `${n}-${i}`);
        attack.sent++;
        attack.statuses[status] = (attack.statuses[status] ?? 0) + 1;
        await sleep(5);
      }
      agent.destroy();
    };
    await Promise.all([victimLoop(), ...Array.from({ length: attackers }, (_, n) => attackLoop(n))]);
    await w.settle(300);
    const breakerOpenLines = w.events('gatewise.failure').filter((e) => e.diagnosis?.errorType === 'destination_unavailable').length;
    return { vector: name, what: vector.what, seconds, ms: Math.round(performance.now() - start), attackers, victim, share: victim.sent ? victim.good / victim.sent : 0, attack, breakerOpenLines };
  } finally {
    await w?.close();
    await origin.close();
  }
}

/**
 * The deadline's margin under workerd: a hanging origin, the answer's arrival minus the visit's
 * deadline, over `runs` visits each for two settings (one try of 1 s; tries of 400 ms within 1 s).
 */
export async function measureDeadline({ runs = 20, build } = {}) {
  const origin = await startOrigin();
  const cases = [
    { name: 'TIMEOUT_MS=1000 (the deadline by default), 2 attempts', vars: { TIMEOUT_MS: '1000', RETRY_MAX_ATTEMPTS: '2' }, deadline: 1000 },
    { name: 'TIMEOUT_MS=400, TOTAL_TIMEOUT_MS=1000, 3 attempts', vars: { TIMEOUT_MS: '400', TOTAL_TIMEOUT_MS: '1000', RETRY_MAX_ATTEMPTS: '3' }, deadline: 1000 },
  ];
  const out = [];
  try {
    for (const c of cases) {
      // The breakers off: every visit must reach the hanging origin (they would open on it).
      const off = { BREAKER_FAILURES: '0', BREAKER_FAILURE_RATIO: '0', BREAKER_PATH_FAILURES: '0', BREAKER_SPREAD_PATHS: '0' };
      const w = await startWorkerd({ ORIGIN_URL: origin.url, DRILL_BUDGET_MS: '0', ...off, ...c.vars }, { base: {}, ...(build ? { build } : {}) });
      try {
        const margins = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          const r = await get(w.port, false, `/hang/${i}`);
          margins.push(performance.now() - t0 - c.deadline);
          if (r.status !== 504) throw new Error(`${c.name}: ${r.status}`);
        }
        margins.sort((a, b) => a - b);
        const q = (p) => margins[Math.min(margins.length - 1, Math.floor(p * margins.length))];
        out.push({ name: c.name, runs, medianMs: q(0.5), p95Ms: q(0.95), maxMs: margins.at(-1), minMs: margins[0] });
      } finally {
        await w.close();
      }
    }
  } finally {
    await origin.close();
  }
  return out;
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;

/** bench/results/attack.md from every attack-<label>.json in `dir`. */
function writeReport(dir) {
  const runs = readdirSync(dir)
    .filter((f) => /^attack-[a-z0-9_-]+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .sort((a, b) => (a.label === 'before' ? -1 : b.label === 'before' ? 1 : a.label.localeCompare(b.label)));
  const names = Object.keys(VECTORS);
  const cell = (run, name) => {
    const r = run.results.find((x) => x.vector === name);
    return r ? `${pct(r.share)} (${r.victim.good}/${r.victim.sent}${r.victim.gatewise503 ? `, ${r.victim.gatewise503}× gatewise 503` : ''})` : '—';
  };
  const md = `# gatewise attack harness — latest runs

Written by \`npm run attack\` (bench/attack.mjs). Each vector runs ${runs[0]?.seconds ?? 30} s against a fresh
worker under plain \`workerd serve\` on its shipped defaults (only \`ORIGIN_URL\` and
\`TIMEOUT_MS=1000\` set) in front of the misbehaving test origin (tests/worker/origin.mjs): two attacker
loops fire the vector while a victim polls the healthy page \`/\` (one request at a time, 20 ms
apart). The figure is the victim's share of good answers (the origin's own 200 for \`/\`).

| vector | what the attackers send | ${runs.map((r) => `${r.label} (${r.commit})`).join(' | ')} |
|---|---|${runs.map(() => '---:').join('|')}|
${names.map((n) => `| ${n} | ${VECTORS[n].what} | ${runs.map((r) => cell(r, n)).join(' | ')} |`).join('\n')}

${runs.some((r) => r.deadline) ? `## The deadline's margin

A hanging origin; the visitor's answer arrives this long after the visit's deadline (plain
\`workerd serve\`, the client's clock, one visit at a time):

| build | settings | visits | median | p95 | max |
|---|---|---:|---:|---:|---:|
${runs.filter((r) => r.deadline).flatMap((r) => r.deadline.map((d) => `| ${r.label} | ${d.name} | ${d.runs} | ${d.medianMs.toFixed(1)} ms | ${d.p95Ms.toFixed(1)} ms | ${d.maxMs.toFixed(1)} ms |`)).join('\n')}

` : ''}${runs.map((r) => `- **${r.label}**: commit ${r.commit}, ${r.machine.workerd}, ${r.machine.nproc} CPUs, load average at the end ${r.machine.loadavg}, ${r.machine.date}; attacker requests per vector: ${r.results.map((x) => `${x.vector} ${x.attack.sent}`).join(', ')}.`).join('\n')}
`;
  writeFileSync(join(dir, 'attack.md'), md);
}

async function main() {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
  };
  const seconds = Number(arg('seconds', 30));
  const label = arg('label', 'after');
  const build = arg('build', undefined);
  const names = arg('vectors', Object.keys(VECTORS).join(',')).split(',');
  const out = join(root, 'bench/results');
  const commit = (() => {
    try {
      const dir = build ? resolve(build, '..') : root;
      return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return readFileSync(resolve(build, '..', 'COMMIT'), 'utf8').trim().slice(0, 7);
    }
  })();
  const results = [];
  for (const name of names) {
    const r = await runVector(name, { seconds, build: build && resolve(build) });
    console.error(`attack: ${label} ${name}: victim ${pct(r.share)} good (${r.victim.good}/${r.victim.sent}), ${r.victim.gatewise503} gatewise 503; ${r.attack.sent} attacker requests`);
    results.push(r);
  }
  const deadline = names.length === Object.keys(VECTORS).length ? await measureDeadline({ build: build && resolve(build) }) : undefined;
  for (const d of deadline ?? []) console.error(`attack: ${label} deadline margin, ${d.name}: median ${d.medianMs.toFixed(1)} ms, max ${d.maxMs.toFixed(1)} ms`);
  const machine = {
    date: new Date().toISOString(),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    workerd: execFileSync(WORKERD, ['--version'], { encoding: 'utf8' }).trim(),
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `attack-${label}.json`), JSON.stringify({ label, commit, seconds, machine, results, deadline }, null, 2) + '\n');
  writeReport(out);
  console.error(`attack: report bench/results/attack.md`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
