// The soak (`npm run soak`, issue #8 "nothing lost under load and faults"): the built gatewise
// worker under a plain `workerd serve`, in front of an origin that flaps through phases on a
// schedule (up, refusing, hanging, resetting mid-body, its own 503 + Retry-After), loaded by a
// fixed number of keep-alive client loops mixing idempotent GETs and POSTs. Everything on
// 127.0.0.1; every process started here is stopped by its PID, also on failure.
//
//   node tests/soak/soak.mjs [--seconds N] [--clients N] [--out DIR] [--seed N]
//
// Every request's ending is classified (see `classify`); the run fails (exit 1) unless: no
// runtime exception page, no hung request, every request ends in an allowed outcome, no POST id
// reached the origin twice (no GET id more than RETRY_MAX_ATTEMPTS times), while the breaker is
// open the origin sees at most the breaker's probes (a bound derived from its configuration),
// and workerd's memory does not grow. Beside the honest clients, attacker loops (issue 12) abort
// uploads, call a URL that answers 503 itself and one that never answers, all the time: an honest
// client must never get gatewise's 503 while the origin is up (after an outage, the breaker may stay
// open for at most its longest cool-down and one probe). The report goes to DIR/soak-latest.md and
// .json (default DIR: bench/results).
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorkerd, WORKERD } from '../worker/workerd.mjs';
import { startOrigin } from './origin.mjs';
import { startCache } from './cache.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', 60));
const CLIENTS = Number(arg('clients', 6));
const OUT = join(root, arg('out', 'bench/results'));
const SEED = Number(arg('seed', 1));
if (!(SECONDS >= 8) || !(CLIENTS >= 1)) throw new Error('--seconds must be at least 8 and --clients at least 1');

// The schedule: one cycle of weighted phases (20 s in a full run, the whole run when shorter),
// repeated; the run ends in `up` while the last requests drain.
const CYCLE = [
  ['up', 3],
  ['refuse', 3],
  ['up', 2],
  ['hang', 3],
  ['up', 2],
  ['reset', 2],
  ['up', 2],
  ['503', 3],
];
const cycleMs = Math.min(20, SECONDS) * 1000;
const unit = cycleMs / CYCLE.reduce((s, [, w]) => s + w, 0);
const schedule = [];
for (let t = 0; t < SECONDS * 1000; ) {
  for (const [name, w] of CYCLE) {
    if (t >= SECONDS * 1000) break;
    const end = Math.min(t + w * unit, SECONDS * 1000);
    schedule.push({ name, start: t, end });
    t = end;
  }
}
const TOKEN = 'soak-owner-token';
/**
 * The worker's [vars]: a short timeout, the default retry and breaker shape, cool-downs scaled
 * to the schedule (half a unit, growing to two: the breaker can close again within an up phase).
 */
const VARS = {
  TIMEOUT_MS: '1000',
  RETRY_MAX_ATTEMPTS: '2',
  RETRY_BASE_MS: '50',
  RETRY_CAP_MS: '400',
  RETRY_MAX_AFTER_S: '1',
  STALE_IF_ERROR: '300',
  BREAKER_FAILURES: '5',
  BREAKER_FAILURE_RATIO: '500',
  // Failures of paths open the origin only after this long without any success: short enough for a
  // hang or 503 phase of 3 units to open it, far longer than the honest clients' gaps while it is up.
  BREAKER_QUIET_MS: String(Math.round(unit * 0.6)),
  BREAKER_COOL_DOWN_MS: String(Math.round(unit / 2)),
  BREAKER_MAX_COOL_DOWN_MS: String(Math.round(unit * 2)),
  DRILL_BUDGET_MS: '500',
  DEBUG_TOKEN: TOKEN,
};
const ATTEMPTS = Number(VARS.RETRY_MAX_ATTEMPTS);
/** The attacker loops beside the honest clients: what each sends, over and over. */
const ATTACKS = ['aborted-upload', 'origin-503', 'slow'];
/** The client's own limit per request (headers and body): well above TIMEOUT_MS × attempts. */
const CLIENT_TIMEOUT_MS = 10_000;
/** A body cut by the origin must reach the client within this long after its headers. */
const CUT_PROMPT_MS = 1_000;
/** Pause between two requests of one client loop (keeps the load bounded on a shared machine). */
const THINK_MS = 2;
/**
 * Memory: the last window's median RSS may exceed the reference window's by at most this. RSS
 * still warms up over a 60 s run (V8's heap and the wasm memory grow to their working size): a
 * 180 s run rose to ~325 MiB by 85 s, then stayed within 305–333 MiB to the end; a leak of a few
 * KB per request would pass this bound within a minute.
 */
const MEMORY_SLACK = (ref) => Math.max(24 * 2 ** 20, ref * 0.25);

const phaseAt = (t) => schedule.find((p) => t >= p.start && t < p.end) ?? { name: 'drain', start: SECONDS * 1000, end: Infinity };
/** The index of the last failing phase (any but up) started at or before t (-1: none yet). */
const failingIndexAt = (t) => schedule.reduce((last, p, i) => (p.name !== 'up' && p.start <= t ? i : last), -1);

/** A small seeded PRNG (mulberry32): the same request mix for the same seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const log = (...a) => console.error('soak:', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// One request through a keep-alive agent, with the client's own deadline.

function send(agent, port, { method, path, headers, body }) {
  return new Promise((resolve) => {
    const rec = { t0: performance.now(), th: null, t1: null, status: null, headers: null, body: '', complete: false, error: null, timedOut: false };
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      rec.t1 = performance.now();
      rec.error = error ?? null;
      resolve(rec);
    };
    const req = http.request({ agent, host: '127.0.0.1', port, method, path, headers }, (res) => {
      rec.th = performance.now();
      rec.status = res.statusCode;
      rec.headers = res.headers;
      const chunks = [];
      let cut = null;
      res.on('data', (c) => chunks.push(c));
      res.on('aborted', () => (cut ??= 'aborted'));
      res.on('error', (e) => (cut ??= e.message));
      res.on('end', () => {
        rec.complete = true;
        rec.body = Buffer.concat(chunks).toString();
        finish();
      });
      res.on('close', () => {
        if (!res.complete) {
          rec.body = Buffer.concat(chunks).toString();
          finish(`body cut: ${cut ?? 'closed'}`);
        }
      });
    });
    const timer = setTimeout(() => {
      rec.timedOut = true;
      req.destroy(new Error('client timeout'));
      finish('client timeout');
    }, CLIENT_TIMEOUT_MS);
    req.on('error', (e) => finish(e.message));
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Classification of one ending. Outcomes:
//   origin         the origin's own 200 for this very request (its id echoed), complete
//   stale          a stored copy of an origin answer, marked X-Gatewise-Stale, complete
//   informative    502/503/504 with this worker's own Proxy-Status entry and a gatewise body
//                  (problem JSON or the HTML page)
//   origin_503     the origin's own 503 passed through, with gatewise's Proxy-Status entry
//   cut            an origin answer whose body the origin cut mid-stream
//   internal_error gatewise's own 500 proxy_internal_error page (a caught internal error)
//   exception      any other 500: the runtime's "worker threw an exception" page
//   hung           no complete answer within the client's deadline
//   no_answer      the connection to workerd failed before any response headers
//   other          anything else

const OWN_ENTRY = /(?:^|,)\s*gatewise;error=([a-z_]+)/;
const NAMES_GATEWISE = /(?:^|,)\s*gatewise(?:;|,|$)/;

function classify(rec, sent) {
  const h = rec.headers ?? {};
  const fromOrigin = typeof h['x-soak-origin'] === 'string';
  if (rec.timedOut) return { outcome: 'hung' };
  if (rec.status === null) return { outcome: 'no_answer', detail: rec.error };
  if (!rec.complete) return fromOrigin ? { outcome: 'cut', phase: h['x-soak-origin'], ms: rec.t1 - rec.th } : { outcome: 'other', detail: `cut, not the origin's: ${rec.status}` };
  const body = rec.body;
  const whole = body.includes('soak-origin phase=') && body.includes('soak-end');
  if (h['x-gatewise-stale']) {
    const m = /^1; error=([a-z_]+); age=\d+$/.exec(h['x-gatewise-stale']);
    if (fromOrigin && whole && rec.status === 200 && m && h['x-soak-origin'] === 'up' && NAMES_GATEWISE.test(h['proxy-status'] ?? '')) {
      return { outcome: 'stale', error: m[1], breaker: m[1] === 'destination_unavailable' };
    }
    return { outcome: 'other', detail: `bad stale copy: ${rec.status} ${h['x-gatewise-stale']}` };
  }
  if (fromOrigin) {
    const ps = h['proxy-status'] ?? '';
    if (rec.status === 503 && h['x-soak-origin'] === '503' && whole && /(?:^|,)\s*gatewise;received-status=503/.test(ps)) {
      return { outcome: 'origin_503' };
    }
    if (rec.status === 200 && whole && body.includes(`id=${sent.id} `) && h['x-soak-id'] === sent.id) return { outcome: 'origin', phase: h['x-soak-origin'] };
    return { outcome: 'other', detail: `origin answer ${rec.status} ${h['x-soak-origin']}` };
  }
  const own = OWN_ENTRY.exec(h['proxy-status'] ?? '');
  if ([502, 503, 504].includes(rec.status) && own) {
    const ctype = h['content-type'] ?? '';
    const requestId = h['x-request-id'] ?? '';
    if (ctype.startsWith('application/problem+json')) {
      let j = null;
      try {
        j = JSON.parse(body);
      } catch {}
      if (j && j.errorType === own[1] && j.layer && j.instance === `urn:gatewise:request:${requestId}`) {
        const breaker = (j.evidence ?? []).some((e) => e.rule === 'breaker.open');
        const pathBreaker = (j.evidence ?? []).some((e) => e.rule === 'breaker.path_open');
        return { outcome: 'informative', error: own[1], breaker, pathBreaker, reached: j.reached, format: 'json' };
      }
    } else if (ctype.startsWith('text/html') && body.startsWith('<!doctype html>') && requestId && body.includes(requestId)) {
      return { outcome: 'informative', error: own[1], breaker: body.includes('circuit breaker open'), pathBreaker: body.includes('breaker open for this path'), format: 'html' };
    }
    return { outcome: 'other', detail: `gatewise status ${rec.status} without a gatewise body (${ctype})` };
  }
  if (rec.status === 500) {
    if (OWN_ENTRY.exec(h['proxy-status'] ?? '')?.[1] === 'proxy_internal_error') return { outcome: 'internal_error' };
    return { outcome: 'exception', detail: body.slice(0, 200) };
  }
  return { outcome: 'other', detail: `${rec.status} ${(h['proxy-status'] ?? '').slice(0, 80)} ${body.slice(0, 80)}` };
}

const ALLOWED = new Set(['origin', 'stale', 'informative', 'origin_503', 'cut']);

// ---------------------------------------------------------------------------------------------
// The breaker bound: within a window where the breaker never closed, each probe is the first
// admission after an open period; the periods after the first last cool-down × 2^k (capped).
// So a window of L ms holds at most 1 + max{m : Σ_{k=1..m} min(c·2^k, max) ≤ L} probes
// (half_open_probes is 1; a probe is written off only after max(cool-down, 10 s), longer than
// any probe here lives, so no second probe per half-open period).

const COOL = Number(VARS.BREAKER_COOL_DOWN_MS);
const MAX_COOL = Number(VARS.BREAKER_MAX_COOL_DOWN_MS);
function probeBound(L) {
  let sum = 0;
  let m = 0;
  for (let k = 1; ; k++) {
    sum += Math.min(COOL * 2 ** k, MAX_COOL);
    if (sum > L) break;
    m = k;
  }
  return 1 + m;
}

// ---------------------------------------------------------------------------------------------

const rss = (pid) => {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN; // the process is gone: the memory check then fails
  }
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mib = (b) => (b / 2 ** 20).toFixed(1);

let origin, cache, workerd;
const stopAll = async () => {
  await workerd?.close();
  await origin?.close();
  await cache?.close();
};
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    stopAll().finally(() => process.exit(130));
  });
}

const records = [];
const memory = [];
const workerdLog = { failureEvents: 0, byBreaker: {}, servedStale: 0, panics: 0, uncaught: 0, internalErrors: 0, cachePutFailed: 0 };
let t0 = 0;
let leakedHung = 0;
const attackCounts = {};

/** An upload the attacker aborts: Content-Length 200000, 1000 bytes sent, the connection closed. */
function abortedUpload(port, path) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.on('close', () => resolve('aborted'));
    s.on('connect', () => {
      s.write(`POST ${path} HTTP/1.1\r\nHost: soak.example\r\nContent-Length: 200000\r\n\r\n`);
      s.write(Buffer.alloc(1000, 97));
      setTimeout(() => s.destroy(), 30);
    });
  });
}
const phaseErrors = [];
let failures = [];

try {
  origin = await startOrigin();
  cache = await startCache();
  workerd = await startWorkerd({ ORIGIN_URL: origin.url, ...VARS }, { cachePort: cache.port, base: {} });
  log(`workerd PID ${workerd.pid} on ${workerd.url}, origin ${origin.url}, cache service :${cache.port}; ${SECONDS} s, ${CLIENTS} client loops`);
  let pending = '';
  workerd.child.stdout.on('data', (c) => {
    pending += c;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      if (line.startsWith('{"event":"gatewise.failure"')) {
        try {
          const e = JSON.parse(line);
          workerdLog.failureEvents++;
          workerdLog.byBreaker[e.breaker] = (workerdLog.byBreaker[e.breaker] ?? 0) + 1;
          if (e.servedStale) workerdLog.servedStale++;
        } catch {}
      }
    }
  });
  for (const stream of [workerd.child.stdout, workerd.child.stderr]) {
    stream.on('data', (c) => {
      const s = c.toString();
      workerdLog.panics += (s.match(/panicked at/g) ?? []).length;
      workerdLog.uncaught += (s.match(/Uncaught/g) ?? []).length;
      workerdLog.internalErrors += (s.match(/gatewise: internal error/g) ?? []).length;
      workerdLog.cachePutFailed += (s.match(/cache put failed/g) ?? []).length;
    });
  }
  const idleRss = rss(workerd.pid);

  t0 = performance.now();
  const now = () => performance.now() - t0;
  // Each second: workerd's RSS, and the origin's hung requests that outlived every attempt's
  // timeout by 1 s (workerd should close an aborted subrequest's connection).
  const sampler = setInterval(() => {
    memory.push({ s: Math.round(now() / 1000), rss: rss(workerd.pid) });
    leakedHung = Math.max(leakedHung, origin.hungOlderThan(Number(VARS.TIMEOUT_MS) + 1000));
  }, 1000);
  let current = -1;
  const phaser = setInterval(() => {
    const i = schedule.findIndex((p) => now() >= p.start && now() < p.end);
    if (i !== current && i >= 0) {
      current = i;
      origin.setPhase(schedule[i].name).catch((e) => phaseErrors.push(String(e)));
    }
  }, 5);

  const loop = async (n) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const random = rng(SEED * 1000 + n);
    const accept = n % 2 === 0 ? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' : 'application/json';
    for (let seq = 0; now() < SECONDS * 1000; seq++) {
      const id = `c${n}-${seq}`;
      const r = random();
      const kind = r < 0.45 ? 'get-cacheable' : r < 0.7 ? 'get' : 'post';
      const path = kind === 'get-cacheable' ? `/c/${Math.floor(random() * 8)}` : kind === 'get' ? `/d/${id}` : `/p/${id}`;
      const method = kind === 'post' ? 'POST' : 'GET';
      const body = method === 'POST' ? `id=${id}` : undefined;
      const headers = { accept, 'x-soak-id': id, 'x-gatewise-debug': TOKEN, 'accept-language': 'en' };
      if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
      const rec = await send(agent, workerd.port, { method, path, headers, body });
      const c = classify(rec, { id });
      records.push({
        id,
        method,
        kind,
        path,
        format: n % 2 === 0 ? 'html' : 'json',
        t0: rec.t0 - t0,
        th: rec.th === null ? null : rec.th - t0,
        t1: rec.t1 - t0,
        status: rec.status,
        phase: phaseAt(rec.t0 - t0).name,
        ...c,
      });
      await sleep(THINK_MS);
    }
    agent.destroy();
  };
  // The attackers: one loop per vector, beside the honest clients, for the whole run.
  const attackLoop = async (vector) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let seq = 0; now() < SECONDS * 1000; seq++) {
      const id = `a-${vector}-${seq}`;
      let status;
      if (vector === 'aborted-upload') {
        status = await abortedUpload(workerd.port, `/attack/upload/${seq}`);
      } else {
        const path = vector === 'slow' ? `/attack/slow/${seq}` : `/attack/503/${seq}`;
        const rec = await send(agent, workerd.port, { method: 'GET', path, headers: { accept: 'application/json', 'x-soak-id': id } });
        status = rec.status ?? 'none';
      }
      (attackCounts[vector] ??= {})[status] = (attackCounts[vector]?.[status] ?? 0) + 1;
      await sleep(THINK_MS);
    }
    agent.destroy();
  };
  await Promise.all([...Array.from({ length: CLIENTS }, (_, n) => loop(n)), ...ATTACKS.map(attackLoop)]);
  const drainedAt = now();
  clearInterval(phaser);
  await origin.setPhase('up');
  clearInterval(sampler);
  await sleep(300);
  const endRss = rss(workerd.pid);
  await workerd.close();

  // -------------------------------------------------------------------------------------------
  // Analysis.
  const count = (xs, key) => xs.reduce((m, x) => ((m[key(x)] = (m[key(x)] ?? 0) + 1), m), {});
  const byOutcome = count(records, (r) => r.outcome);
  const byPhase = {};
  for (const r of records) (byPhase[r.phase] ??= {})[r.outcome] = (byPhase[r.phase]?.[r.outcome] ?? 0) + 1;
  const byKind = {};
  for (const r of records) (byKind[r.kind] ??= {})[r.outcome] = (byKind[r.kind]?.[r.outcome] ?? 0) + 1;
  const informativeTypes = count(records.filter((r) => r.outcome === 'informative'), (r) => `${r.status} ${r.error}${r.breaker ? ' (breaker open)' : ''}`);
  const staleErrors = count(records.filter((r) => r.outcome === 'stale'), (r) => r.error);

  const arrivalsById = new Map();
  for (const a of origin.arrivals) if (a.id && !a.drill) arrivalsById.set(a.id, (arrivalsById.get(a.id) ?? 0) + 1);
  const posts = records.filter((r) => r.method === 'POST');
  const postArrivals = posts.map((r) => arrivalsById.get(r.id) ?? 0);
  const postCounts = {
    sent: posts.length,
    reachedOnce: postArrivals.filter((n) => n === 1).length,
    neverReached: postArrivals.filter((n) => n === 0).length,
    reachedTwiceOrMore: postArrivals.filter((n) => n > 1).length,
    bodyMismatchAtOrigin: origin.counts.postBodyMismatch,
    answeredOriginButNotReached: posts.filter((r) => r.outcome === 'origin' && (arrivalsById.get(r.id) ?? 0) !== 1).length,
    saidNotReachedButReached: posts.filter((r) => r.reached === 'no' && (arrivalsById.get(r.id) ?? 0) > 0).length,
  };
  const gets = records.filter((r) => r.method === 'GET');
  const getArrivalsMax = Math.max(0, ...gets.map((r) => arrivalsById.get(r.id) ?? 0));
  const getsOverAttempts = gets.filter((r) => (arrivalsById.get(r.id) ?? 0) > ATTEMPTS).length;
  const getsSaidNotReachedButReached = gets.filter((r) => r.reached === 'no' && (arrivalsById.get(r.id) ?? 0) > 0).length;
  const saidNotReached = records.filter((r) => r.reached === 'no').length;

  // Breaker windows: the worker's answers that say the breaker rejected the request (problem JSON
  // or HTML with the breaker.open evidence, or a stale copy served for error destination_unavailable),
  // grouped by the failing phase during or after which their headers arrived (cluster k: from the
  // start of failing phase k to the start of the next). Each was decided at a moment g with
  // send ≤ g ≤ headers. Window = [earliest headers, latest send]: the breaker was rejecting at a
  // moment before the window and at one after it. It cannot have closed in between: a close needs a
  // probe to succeed, which happens only once the origin answers again, and after that nothing
  // fails (so nothing re-opens the breaker) before the next failing phase, the next cluster — so
  // no rejection could follow it within the cluster. Hence every admission inside is a probe.
  const rejections = records.filter((r) => r.breaker);
  const clusters = new Map();
  for (const r of rejections) {
    const k = failingIndexAt(r.th);
    if (!clusters.has(k)) clusters.set(k, []);
    clusters.get(k).push(r);
  }
  const sentAt = new Map(records.map((r) => [r.id, r.t0]));
  const windows = [...clusters.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, rs]) => {
      const start = Math.min(...rs.map((r) => r.th));
      const end = Math.max(...rs.map((r) => r.t0));
      const inside = origin.arrivals.filter((a) => a.t - t0 > start && a.t - t0 < end);
      const strict = inside.filter((a) => !a.drill && (sentAt.get(a.id) ?? -Infinity) > start);
      return {
        phase: k >= 0 ? schedule[k].name : 'none',
        phaseStartMs: k >= 0 ? Math.round(schedule[k].start) : null,
        startMs: Math.round(start),
        endMs: Math.round(end),
        rejections: rs.length,
        probeBound: end > start ? probeBound(end - start) : 1,
        probesSeen: strict.length,
        probeIds: strict.map((a) => `${a.method} ${a.id}`),
        arrivalsInside: inside.filter((a) => !a.drill).length,
        drillsInside: inside.filter((a) => a.drill).length,
      };
    });

  // Memory: compare the second-to-last cycle with the last one (same mix of phases) when the run
  // holds three cycles or more; else the middle third with the last third.
  const cycles = Math.floor(SECONDS * 1000 / cycleMs);
  const [refFrom, refTo, lastFrom] =
    cycles >= 3 ? [(cycles - 2) * cycleMs / 1000, (cycles - 1) * cycleMs / 1000, (cycles - 1) * cycleMs / 1000] : [SECONDS / 3, (2 * SECONDS) / 3, (2 * SECONDS) / 3];
  const refRss = median(memory.filter((m) => m.s > refFrom && m.s <= refTo).map((m) => m.rss));
  const lastRss = median(memory.filter((m) => m.s > lastFrom).map((m) => m.rss));
  const memoryCheck = { idleRss, refWindow: [refFrom, refTo], refRss, lastWindow: [lastFrom, SECONDS], lastRss, slack: MEMORY_SLACK(refRss), endRss, peakRss: Math.max(...memory.map((m) => m.rss)) };

  const SEEN = ['origin', 'stale', 'informative', 'cut', ...(cycles >= 2 ? ['origin_503'] : [])];
  const cuts = records.filter((r) => r.outcome === 'cut');
  const cutMaxMs = Math.max(0, ...cuts.map((r) => r.ms));
  const elapsed = Math.max(...records.map((r) => r.t1));
  const rps = records.length / (elapsed / 1000);

  // -------------------------------------------------------------------------------------------
  // Assertions: [what, pass, figure].
  // Honest clients and gatewise's 503 while the origin is up. After an outage the breaker stays open
  // for its cool-down, then closes on the first good answer; attackers must not keep it (or open it)
  // from then on. So: a breaker's 503 to an honest request sent while the origin is up is wrong once
  // an honest request sent after the outage had its good answer before this one was sent (for one
  // path's breaker: a good answer on that very path).
  const lastFailingEnd = (t) => schedule.reduce((end, p) => (p.name !== 'up' && p.end <= t ? Math.max(end, p.end) : end), -Infinity);
  const goodAnswers = records.filter((o) => o.outcome === 'origin');
  const closedBefore = (r) =>
    goodAnswers.some((o) => o.t0 >= lastFailingEnd(r.t0) && o.t1 < r.t0 && (r.breaker || o.path === r.path));
  const honest503 = records.filter((r) => r.outcome === 'informative' && r.status === 503 && (r.breaker || r.pathBreaker));
  const honest503WhileUp = honest503.filter((r) => (r.phase === 'up' || r.phase === 'drain') && closedBefore(r));
  const pathBreakerAnswers = records.filter((r) => r.pathBreaker).length;
  const checks = [
    [`no honest client got gatewise's 503 while the origin was up, once the breaker had closed (${ATTACKS.join(', ')} attacks running)`, honest503WhileUp.length === 0, `${honest503WhileUp.length} of ${honest503.length} breaker answers (${pathBreakerAnswers} of one path)`],
    ['the attackers were served the whole time', ATTACKS.every((a) => Object.values(attackCounts[a] ?? {}).reduce((x, y) => x + y, 0) > 0), ATTACKS.map((a) => `${a} ${JSON.stringify(attackCounts[a] ?? {})}`).join('; ')],
    ['no runtime exception page', (byOutcome.exception ?? 0) === 0, byOutcome.exception ?? 0],
    ['no internal-error page (a caught JS failure)', (byOutcome.internal_error ?? 0) === 0, byOutcome.internal_error ?? 0],
    ['no hung request (client deadline ' + CLIENT_TIMEOUT_MS + ' ms)', (byOutcome.hung ?? 0) === 0, byOutcome.hung ?? 0],
    ['every request ends in an allowed outcome', records.every((r) => ALLOWED.has(r.outcome)), records.filter((r) => !ALLOWED.has(r.outcome)).length],
    ['bodies cut only in the reset phase, and promptly (≤ ' + CUT_PROMPT_MS + ' ms after the headers)', cuts.every((r) => r.phase === 'reset' && r.ms <= CUT_PROMPT_MS), `${cuts.length} cuts, slowest ${Math.round(cutMaxMs)} ms`],
    ['no POST id reached the origin twice', postCounts.reachedTwiceOrMore === 0, postCounts.reachedTwiceOrMore],
    ['every POST body arrived intact', postCounts.bodyMismatchAtOrigin === 0, postCounts.bodyMismatchAtOrigin],
    ['a POST answered by the origin reached it exactly once', postCounts.answeredOriginButNotReached === 0, postCounts.answeredOriginButNotReached],
    ['an answer saying "reached: no" (JSON) is true: that request never reached the origin', postCounts.saidNotReachedButReached + getsSaidNotReachedButReached === 0, `${postCounts.saidNotReachedButReached + getsSaidNotReachedButReached} of ${saidNotReached}`],
    [`no GET id reached the origin more than RETRY_MAX_ATTEMPTS (${ATTEMPTS}) times`, getsOverAttempts === 0, `max ${getArrivalsMax}`],
    ['while the breaker is open the origin sees at most its probes', windows.every((w) => w.probesSeen <= w.probeBound), windows.map((w) => `${w.probesSeen}/${w.probeBound}`).join(' ')],
    ['… and at most the probes plus one in-flight request per client and attacker', windows.every((w) => w.arrivalsInside <= w.probeBound + CLIENTS + ATTACKS.length), windows.map((w) => w.arrivalsInside).join(' ')],
    ['the breaker opened in every refuse, hang and 503 phase', schedule.every((p, i) => p.name === 'up' || p.name === 'reset' || p.end - p.start < 1500 || clusters.has(i)), `${windows.length} windows`],
    ['no breaker rejection outside a failing phase', !clusters.has(-1), clusters.get(-1)?.length ?? 0],
    // The origin's own 503 reaches a client only before the breaker opens (POSTs: GETs retry and
    // meet the open breaker or a stale copy), a handful per 503 phase: required from 2 cycles on.
    [`every outcome was seen (${SEEN.join(', ')})`, SEEN.every((o) => byOutcome[o] > 0), Object.keys(byOutcome).join(' ')],
    ['the origin changed phase on schedule', phaseErrors.length === 0, phaseErrors.join('; ') || 'yes'],
    ['workerd closes the origin connection of a timed-out attempt', leakedHung === 0, leakedHung],
    ['workerd logged no panic and no uncaught exception', workerdLog.panics === 0 && workerdLog.uncaught === 0, `${workerdLog.panics} panics, ${workerdLog.uncaught} uncaught`],
    ['workerd memory does not grow', lastRss <= refRss + MEMORY_SLACK(refRss), `${mib(refRss)} → ${mib(lastRss)} MiB (bound +${mib(MEMORY_SLACK(refRss))})`],
  ];
  failures = checks.filter(([, ok]) => !ok);

  // -------------------------------------------------------------------------------------------
  // The report.
  const version = (() => {
    try {
      return execFileSync(WORKERD, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const machine = {
    date: new Date().toISOString(),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    workerd: version,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
  const others = records.filter((r) => !ALLOWED.has(r.outcome)).slice(0, 20);
  const report = {
    machine,
    seconds: SECONDS,
    clients: CLIENTS,
    seed: SEED,
    vars: { ...VARS, DEBUG_TOKEN: '(set)' },
    clientTimeoutMs: CLIENT_TIMEOUT_MS,
    schedule: schedule.map((p) => ({ ...p, start: Math.round(p.start), end: Math.round(p.end) })),
    requests: records.length,
    elapsedMs: Math.round(elapsed),
    drainMs: Math.round(drainedAt - SECONDS * 1000),
    requestsPerSecond: Math.round(rps),
    byOutcome,
    byPhase,
    byKind,
    informativeTypes,
    staleErrors,
    cuts: { count: cuts.length, maxMs: Math.round(cutMaxMs) },
    posts: postCounts,
    gets: { sent: gets.length, maxArrivalsPerId: getArrivalsMax, saidNotReachedButReached: getsSaidNotReachedButReached },
    originArrivals: origin.arrivals.length,
    drillArrivals: origin.arrivals.filter((a) => a.drill).length,
    hungOriginRequestsLeftOpen: leakedHung,
    cacheService: cache.counts,
    workerdLog,
    breakerWindows: windows,
    attacks: { vectors: ATTACKS, counts: attackCounts, originArrivals: origin.arrivals.filter((a) => a.attack).length, honest503WhileUp: honest503WhileUp.slice(0, 20), honest503: honest503.length, pathBreakerAnswers },
    memory: { ...memoryCheck, samples: memory },
    checks: checks.map(([what, ok, figure]) => ({ what, ok, figure })),
    unexpected: others,
  };
  const rel = relative(root, OUT) || '.';
  const row = (o) => `| ${o} | ${byOutcome[o] ?? 0} | ${['get-cacheable', 'get', 'post'].map((k) => byKind[k]?.[o] ?? 0).join(' | ')} |`;
  const outcomes = ['origin', 'stale', 'informative', 'origin_503', 'cut', 'internal_error', 'exception', 'hung', 'no_answer', 'other'];
  const phaseNames = ['up', 'refuse', 'hang', 'reset', '503'];
  const md = `# gatewise soak — latest run

Written by \`npm run soak\` (tests/soak/soak.mjs${SECONDS !== 60 ? `, --seconds ${SECONDS}` : ''}). One plain \`workerd serve\` (PID
sampled each second) runs the built worker in front of a Node origin that flaps through phases;
${CLIENTS} keep-alive client loops (${THINK_MS} ms pause, ${CLIENT_TIMEOUT_MS / 1000} s client deadline) mix GET of cacheable HTML (45 %),
GET of uncacheable text (25 %) and POST with a unique id (30 %); half ask for HTML, half for JSON;
all send the owner's debug token (the answers then name their evidence). Everything on 127.0.0.1.
The Cache API (serve-stale) goes to a small cache service (tests/soak/cache.mjs) through
\`cacheApiOutbound\`: plain \`workerd serve\` has none, and there \`cache.put\` rejects with
"No Cache was configured" (no stale copies at all).

Machine: ${machine.nproc} CPUs (${machine.cpu}), Node ${machine.node}, ${machine.workerd}; load average at the end ${machine.loadavg}. Run at ${machine.date}.

Worker [vars]: ${Object.entries(VARS).filter(([k]) => k !== 'DEBUG_TOKEN').map(([k, v]) => `\`${k}=${v}\``).join(', ')}, \`DEBUG_TOKEN\` set.

Schedule (s): ${schedule.map((p) => `${p.name} ${(p.start / 1000).toFixed(1)}–${(p.end / 1000).toFixed(1)}`).join(', ')}; then up while the last requests drain (${report.drainMs} ms).

## Result: ${failures.length === 0 ? 'all checks passed' : `${failures.length} check(s) FAILED`}

| check | result | figure |
|---|---|---|
${checks.map(([what, ok, figure]) => `| ${what} | ${ok ? 'pass' : '**FAIL**'} | ${figure} |`).join('\n')}

## Requests: ${records.length} in ${(elapsed / 1000).toFixed(1)} s (${Math.round(rps)} req/s)

| outcome | all | GET cacheable | GET | POST |
|---|---:|---:|---:|---:|
${outcomes.map(row).join('\n')}

By the phase the request was sent in:

| phase | ${outcomes.slice(0, 5).join(' | ')} | other endings |
|---|${outcomes.slice(0, 5).map(() => '---:').join('|')}|---:|
${[...phaseNames, 'drain'].filter((p) => byPhase[p]).map((p) => `| ${p} | ${outcomes.slice(0, 5).map((o) => byPhase[p][o] ?? 0).join(' | ')} | ${Object.entries(byPhase[p]).filter(([o]) => !ALLOWED.has(o)).reduce((s, [, n]) => s + n, 0)} |`).join('\n')}

Informative answers (status, error type): ${Object.entries(informativeTypes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join('; ') || 'none'}.
Stale copies served, by error: ${Object.entries(staleErrors).map(([k, n]) => `${k}: ${n}`).join('; ') || 'none'}.
Bodies cut mid-stream by the origin: ${cuts.length}, each reaching the client at most ${Math.round(cutMaxMs)} ms after its headers.
Origin arrivals: ${report.originArrivals} (drill-through HEADs: ${report.drillArrivals}); cache service: ${cache.counts.put} puts, ${cache.counts.hit} hits, ${cache.counts.miss} misses.
workerd's log: ${workerdLog.failureEvents} failure lines (breaker ${Object.entries(workerdLog.byBreaker).map(([k, n]) => `${k} ${n}`).join(', ')}; served stale ${workerdLog.servedStale}), ${workerdLog.cachePutFailed} cache-put failures, ${workerdLog.panics} panics, ${workerdLog.uncaught} uncaught exceptions.
Hung origin requests still open 1 s after TIMEOUT_MS (at most, sampled each second): ${leakedHung}.

## Attacks beside the honest clients

${ATTACKS.length} attacker loops ran the whole time: ${ATTACKS.map((a) => `${a} (${Object.entries(attackCounts[a] ?? {}).map(([k, n]) => `${n}× ${k}`).join(', ')})`).join('; ')}; ${origin.arrivals.filter((a) => a.attack).length} of their requests reached the origin.
Honest requests answered by a breaker: ${honest503.length} (${pathBreakerAnswers} by one path's); sent while the origin was up after a good answer had closed it: **${honest503WhileUp.length}**.

## POSTs

${postCounts.sent} sent: ${postCounts.reachedOnce} reached the origin once, ${postCounts.neverReached} never (refused, or answered by the breaker), **${postCounts.reachedTwiceOrMore} twice or more**;
bodies intact at the origin (${postCounts.bodyMismatchAtOrigin} mismatches); answered by the origin but not seen once there: ${postCounts.answeredOriginButNotReached}; answered \`reached: "no"\` but seen there: ${postCounts.saidNotReachedButReached}.
GETs: ${gets.length} sent, at most ${getArrivalsMax} origin arrivals per id (RETRY_MAX_ATTEMPTS=${ATTEMPTS}); GET answers saying \`reached: "no"\` although an attempt had reached the origin: ${getsSaidNotReachedButReached}.

## Breaker windows

Breaker answers are grouped by the failing phase during or after which their headers arrived. A
window is [first breaker answer's headers, last breaker-answered request's send]: the breaker
cannot close inside it. "Probes" are origin arrivals inside it of requests sent inside it; the bound is
1 + max{m : Σ_{k=1..m} min(${COOL}·2^k, ${MAX_COOL}) ≤ window length} (one probe per half-open period).

| failing phase (start s) | window s | breaker answers | probes seen / bound | all arrivals inside | drill HEADs inside |
|---|---|---:|---:|---:|---:|
${windows.map((w) => `| ${w.phase} (${(w.phaseStartMs / 1000).toFixed(1)}) | ${(w.startMs / 1000).toFixed(2)}–${(w.endMs / 1000).toFixed(2)} | ${w.rejections} | ${w.probesSeen} / ${w.probeBound} | ${w.arrivalsInside} | ${w.drillsInside} |`).join('\n')}

## workerd memory (VmRSS of PID ${workerd.pid})

Idle before the load ${mib(idleRss)} MiB; median over ${refFrom}–${refTo} s ${mib(refRss)} MiB; over the last window (${lastFrom}–${SECONDS} s) ${mib(lastRss)} MiB
(allowed: + max(24 MiB, 25 %)); peak ${mib(memoryCheck.peakRss)} MiB; after the drain ${mib(endRss)} MiB.

Samples (s: MiB): ${memory.map((m) => `${m.s}: ${mib(m.rss)}`).join(', ')}.
${others.length ? `\n## Unexpected endings (first ${others.length})\n\n${others.map((r) => `- ${r.method} ${r.id} (${r.phase}): ${r.outcome} ${r.detail ?? ''}`).join('\n')}\n` : ''}`;
  mkdirSync(OUT, { recursive: true });
  if (process.env.GATEWISE_SOAK_DUMP) {
    // Every request and every origin arrival, for a closer look (not part of the report).
    writeFileSync(process.env.GATEWISE_SOAK_DUMP, JSON.stringify({ t0, records, arrivals: origin.arrivals.map((a) => ({ ...a, t: a.t - t0 })) }));
  }
  writeFileSync(join(OUT, 'soak-latest.md'), md);
  writeFileSync(join(OUT, 'soak-latest.json'), JSON.stringify(report, null, 2) + '\n');
  log(`${records.length} requests (${Math.round(rps)} req/s): ${Object.entries(byOutcome).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  log(`breaker windows: ${windows.map((w) => `${w.phase} ${w.probesSeen}/${w.probeBound}`).join(', ')}; POSTs ${postCounts.sent}, twice ${postCounts.reachedTwiceOrMore}; RSS ${mib(refRss)} → ${mib(lastRss)} MiB`);
  log(`report: ${rel}/soak-latest.md`);
  for (const [what, , figure] of failures) log(`FAILED: ${what} (${figure})`);
} catch (e) {
  failures = [[`the soak itself failed: ${e.stack ?? e}`]];
  log(e.stack ?? e);
  if (workerd) log(workerd.output().slice(-3000));
} finally {
  await stopAll();
}
process.exit(failures.length === 0 ? 0 : 1);
