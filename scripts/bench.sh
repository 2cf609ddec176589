#!/usr/bin/env bash
# The benchmarks (`npm run bench`): the edge worker side by side with a plain-JS worker under plain
# `workerd serve`, loaded by wrk on 127.0.0.1; writes bench/results/latest.{md,json}.
#
#   bash scripts/bench.sh [--smoke]    (--smoke: one 1 s run per variant, no report, no thresholds)
#
# First the core micro-benchmarks (crates/gatewise-core/examples/bench.rs, native release), then
# bench/run.mjs (origin, workerd and wrk side by side).
#
# Builds the worker first when worker/build is missing. Needs wrk (installed with apt-get when root).
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
if [[ " $* " == *" --smoke "* ]]; then
  # The core loop once, a few ms per operation (debug build: the test gate compiled it already).
  cargo run -q -p gatewise-core --example bench -- --smoke
  exec node bench/run.mjs "$@"
fi
core_json=$(mktemp)
trap 'rm -f "$core_json"' EXIT
cargo run --release -q -p gatewise-core --example bench -- --json >"$core_json"
GATEWISE_CORE_BENCH=$core_json node bench/run.mjs "$@"
