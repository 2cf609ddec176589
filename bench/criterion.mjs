// Reads what the criterion benchmarks (crates/gatewise-core/benches/core.rs) wrote under
// $CRITERION_HOME: per benchmark, ns per operation of each sample (a sample is one batch of
// iterations), as median (min–max) over the samples.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function dirs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) return [];
    return name === 'new' ? [p] : dirs(p);
  });
}

/** { '<group>/<function>[/<value>]': { group, fn, value, samples, ns: {median,min,max} } } */
export function readCriterion(home) {
  const out = {};
  if (!home || !existsSync(home)) return out;
  for (const d of dirs(home)) {
    const bj = join(d, 'benchmark.json');
    const sj = join(d, 'sample.json');
    if (!existsSync(bj) || !existsSync(sj)) continue;
    const b = JSON.parse(readFileSync(bj, 'utf8'));
    const s = JSON.parse(readFileSync(sj, 'utf8'));
    const per = s.iters.map((n, i) => s.times[i] / n);
    const id = [b.group_id, b.function_id, b.value_str].filter((x) => x != null && x !== '').join('/');
    out[id] = {
      group: b.group_id,
      fn: b.function_id,
      value: b.value_str == null ? null : Number(b.value_str),
      samples: per.length,
      ns: { median: median(per), min: Math.min(...per), max: Math.max(...per) },
    };
  }
  return out;
}

/**
 * The scaling rows of one group: per function, ns/op per size and the growth factor per 10×
 * of input between successive sizes (sizes are powers of ten apart), plus a verdict:
 * linear or better means each factor ≤ 10 × tolerance (noise on a shared machine).
 */
export function scaling(results, group) {
  const fns = {};
  for (const r of Object.values(results)) {
    if (r.group !== group || r.value == null) continue;
    (fns[r.fn] ??= []).push(r);
  }
  return Object.entries(fns).map(([fn, rows]) => {
    rows.sort((a, b) => a.value - b.value);
    const steps = rows.slice(1).map((r, i) => {
      const prev = rows[i];
      const decades = Math.log10(r.value / prev.value);
      return { from: prev.value, to: r.value, factor: r.ns.median / prev.ns.median, perDecade: (r.ns.median / prev.ns.median) ** (1 / decades) };
    });
    const overall = rows.length > 1 ? (rows.at(-1).ns.median / rows[0].ns.median) ** (1 / Math.log10(rows.at(-1).value / rows[0].value)) : null;
    return { fn, sizes: rows.map((r) => ({ size: r.value, ns: r.ns })), steps, perDecade: overall, linearOrBetter: steps.every((s) => s.perDecade <= 10 * 1.5) };
  });
}
