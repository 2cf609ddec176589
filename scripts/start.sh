#!/usr/bin/env bash
# The main job (`npm start`): bootstrap, then the edge worker in local workerd (`wrangler dev` on
# http://127.0.0.1:8787) in front of the bundled demo origin (scripts/demo-origin.mjs on
# 127.0.0.1:8788), whose landing page links to every failure it can show. The owner's debug token
# is `demo` here (header X-Gatewise-Debug or cookie gatewise_debug). Ctrl-C stops both.
#
#   npm start                      the worker and the demo origin
#   npm start -- 502.3             (with arguments) `gatewise explain` instead, the CLI's explainer:
#   npm start -- '<a log line>'    a status code, log lines, a raw response or curl -v output, an
#   npm start -- capture.har       error page or its text, an error message, a HAR file (`-` reads
#   npm start -- --lang fr x.txt   stdin); its options (--json, --lang, --audience) work too
#
# GATEWISE_WORKER_PORT (8787) and GATEWISE_DEMO_PORT (8788) change the ports.
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

gatewise_bootstrap >&2
if [ "$#" -gt 0 ]; then
  exec cargo run -q -p gatewise-cli -- explain "$@"
fi

worker_port=${GATEWISE_WORKER_PORT:-8787}
demo_port=${GATEWISE_DEMO_PORT:-8788}
node scripts/demo-origin.mjs "$demo_port" &
demo_pid=$!
trap 'kill "$demo_pid" 2>/dev/null || true' EXIT INT TERM
echo "start: the worker builds first (a minute the first time), then listens on http://127.0.0.1:$worker_port/"
echo "start: it forwards to the demo origin on http://127.0.0.1:$demo_port/ — open the worker's URL and pick a failure"
CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false node_modules/.bin/wrangler dev --ip 127.0.0.1 --port "$worker_port" \
  --show-interactive-dev-session=false \
  --var "ORIGIN_URL:http://127.0.0.1:$demo_port" --var DEBUG_TOKEN:demo --var TIMEOUT_MS:5000 \
  --var BREAKER_FAILURES:10
