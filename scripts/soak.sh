#!/usr/bin/env bash
# The soak (`npm run soak`): the built edge worker under a plain `workerd serve`, in front of an
# origin that flaps (up, refusing, hanging, resetting mid-body, its own 503), loaded by keep-alive
# client loops mixing GETs and POSTs, all on 127.0.0.1 (tests/soak/soak.mjs). Fails unless nothing
# is lost: no exception page, no hung request, no POST twice, the breaker holds, memory flat.
#
#   bash scripts/soak.sh [--seconds N] [--clients N] [--out DIR] [--seed N]
#   npm run soak -- --seconds 120
#
# Default: 60 s, report in bench/results/soak-latest.{md,json}. The worker gate of `npm test` runs
# a 12 s soak into tests/artifacts/soak/. Builds the worker first when worker/build is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -f worker/build/index_bg.wasm ] || bash scripts/build-worker.sh
exec node tests/soak/soak.mjs "$@"
