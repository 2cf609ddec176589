#!/usr/bin/env bash
# The `www` gate of `npm test`: the browser page as the edge worker serves it. Builds it
# (scripts/build-www.sh, reusing the npm package the `npm` gate has just built when it is there),
# then runs www/test/*.test.mjs: end to end in headless Chromium (playwright-core, Debian's
# /usr/bin/chromium) against local servers emulating the edge, the origin (up, down, hanging),
# other sites and a DNS-over-HTTPS resolver. Screenshots go to tests/artifacts/www/.
# www/test/xss.test.mjs renders the known XSS payloads through the BUILT worker (worker/build,
# made by the `worker` gate or scripts/build-worker.sh) in workerd.
#
#   bash scripts/test-www.sh
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$_GW_ROOT"
if [ -z "${GATEWISE_WASM_TOOLCHAIN+set}" ]; then
  gatewise_bootstrap --browser >&2
  export GATEWISE_WASM_TOOLCHAIN GATEWISE_LINT_TOOLCHAIN
fi
[ -x /usr/bin/chromium ] || _gw_die "no /usr/bin/chromium: run bash scripts/bootstrap.sh --browser"

printf '\n--- www: build\n'
bash scripts/build-www.sh

printf '\n--- www: headless Chromium\n'
node --test --test-concurrency=1 www/test/*.test.mjs
