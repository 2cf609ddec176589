#!/usr/bin/env bash
# The attack harness (`npm run attack`, bench/attack.mjs): every vector of issue 12 for 30 s (two
# attacker loops beside a victim polling the healthy page) against the built worker under plain
# `workerd serve`, then the deadline's margin; report in bench/results/attack.md.
#
#   bash scripts/attack.sh [--seconds N] [--label after] [--build DIR] [--vectors a,b]
#   npm run attack -- --label before --build /path/to/an/older/worker/build
#
# Builds the worker first when worker/build is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -f worker/build/index_bg.wasm ] || bash scripts/build-worker.sh
exec node bench/attack.mjs "$@"
