// Two (or more) separate instances of the BUILT worker bound to one origin's Durable Object, in
// Miniflare 4 (workerd): each instance is its own Worker (its own isolate: its own Wasm instance and
// per-isolate state); a third Worker, the same script, hosts the OriginHealth class (SQLite-backed),
// and every instance binds ORIGIN_HEALTH to it by `scriptName` — as isolates in many locations reach
// one object on Cloudflare's network.
//
// `host`: the object's Worker — 'same' (the script itself, with the instances' settings), a
// { vars } of its own (e.g. an unusable configuration: the object then fails every call), or
// { script } (a stand-in class, e.g. one that never answers).
import { Miniflare } from 'miniflare';
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { BASE, SHIM, SITE, logEvents } from './harness.mjs';

const RULES = [
  { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
  { type: 'CompiledWasm', include: ['**/*.wasm'] },
];

export async function startShared(vars, { instances = 2, host = 'same', bound = true } = {}) {
  assert.ok(existsSync(SHIM), `${SHIM} is missing: run bash scripts/build-worker.sh`);
  const logs = [];
  const binding = { ORIGIN_HEALTH: { className: 'OriginHealth', scriptName: 'health', useSQLite: true } };
  const worker = (name) => ({
    name,
    scriptPath: SHIM,
    modules: true,
    modulesRules: RULES,
    compatibilityDate: '2026-04-26',
    bindings: { ...BASE, ...vars },
    // The public site's name: Miniflare refuses an Origin header naming a host it does not serve.
    routes: [`${new URL(SITE).host}/*`],
    ...(bound ? { durableObjects: binding } : {}),
  });
  const hostWorker =
    host.script !== undefined
      ? {
          name: 'health',
          modules: [{ type: 'ESModule', path: 'stand.mjs', contents: host.script }],
          compatibilityDate: '2026-04-26',
          durableObjects: { ORIGIN_HEALTH: { className: 'OriginHealth', useSQLite: true } },
        }
      : {
          ...worker('health'),
          bindings: { ...BASE, ...vars, ...(host.vars ?? {}) },
          durableObjects: { ORIGIN_HEALTH: { className: 'OriginHealth', useSQLite: true } },
        };
  const names = Array.from({ length: instances }, (_, i) => `w${i}`);
  const mf = new Miniflare({
    workers: [...names.map(worker), hostWorker],
    host: '127.0.0.1',
    cf: false,
    handleRuntimeStdio(stdout, stderr) {
      const keep = (chunk) => {
        for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(line);
      };
      stdout.on('data', keep);
      stderr.on('data', keep);
    },
  });
  try {
    await mf.ready;
  } catch (e) {
    await new Promise((r) => setTimeout(r, 100));
    throw new Error(`${e.message}\n${logs.join('\n')}`);
  }
  const workers = await Promise.all(names.map((n) => mf.getWorker(n)));
  return {
    mf,
    logs,
    /** Request `path` of instance `i`, as a visitor of the public site. */
    fetch: (i, path, init = {}) => workers[i].fetch(new URL(path, SITE), { redirect: 'manual', ...init }),
    /** The scheduled event (the monitoring robot) on instance `i`. */
    scheduled: (i, cron = '*/5 * * * *') => workers[i].scheduled({ cron, scheduledTime: new Date() }),
    /** The object's namespace, from Node (RPC calls as the isolates make them). */
    namespace: () => mf.getDurableObjectNamespace('ORIGIN_HEALTH', 'health'),
    events: (kind) => logEvents(logs, kind),
    settle: (ms = 200) => new Promise((r) => setTimeout(r, ms)),
    close: () => mf.dispose(),
  };
}
