#!/usr/bin/env bash
# The benchmarks (`npm run bench`): the core's criterion benchmarks (native), then the edge worker
# side by side with a plain-JS worker under plain `workerd serve` on 127.0.0.1 (bench/run.mjs:
# wrk passthrough / latency / error path, 1 GiB streaming, size and cold start, the core in wasm);
# writes bench/results/latest.{md,json}.
#
#   bash scripts/bench.sh [--smoke] [--only=http,stream,size,wasm]
#   bash scripts/bench.sh --profile [--seconds N]
#     --profile: where a request's CPU time goes inside workerd (bench/profile.mjs: perf record of
#     each worker, by category and symbol) into bench/results/profile.md; needs Linux perf.
#     --smoke: every benchmark once, small — criterion in test mode (debug build, smallest sizes),
#     one 1 s wrk run per variant, 16 MiB transfers, one cold start — no report, no thresholds.
#
# Builds the worker and the npm package first when they are missing. Needs wrk (installed with apt-get when root).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "bench: installing wrk (apt-get install -y wrk)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2 || true
fi
command -v wrk >/dev/null || {
  echo "bench: wrk is missing (Debian: apt-get install -y wrk)" >&2
  exit 1
}
[ -f worker/build/index_bg.wasm ] || bash scripts/build-worker.sh
# The size and wasm sections measure the npm package as built (on a fresh clone the bench gate runs
# before the npm gate has built it).
[ -f packages/gatewise/dist/gatewise_wasm_bg.wasm ] || bash scripts/build-npm.sh
if [[ " $* " == *" --profile "* ]]; then
  args=()
  for a in "$@"; do [ "$a" = --profile ] || args+=("$a"); done
  exec node bench/profile.mjs "${args[@]}"
fi
if [[ " $* " == *" --smoke "* ]]; then
  # Each criterion benchmark once at its smallest size (the test gate built the dev-dependencies).
  GATEWISE_BENCH_SMOKE=1 cargo test -q -p gatewise-core --bench core
  exec node bench/run.mjs "$@"
fi
criterion_home=$(mktemp -d)
trap 'rm -rf "$criterion_home"' EXIT
if [[ " $* " != *" --only="* || " $* " == *"wasm"* ]]; then
  CRITERION_HOME=$criterion_home cargo bench -q -p gatewise-core --bench core >&2
fi
GATEWISE_CRITERION=$criterion_home node bench/run.mjs "$@"
