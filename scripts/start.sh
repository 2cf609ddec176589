#!/usr/bin/env bash
# The main job (`npm start`): bootstrap, then the core's demo, which explains a gateway failure.
#
#   npm start                      a tour of what gatewise knows
#   npm start -- 502.3             a status code (IIS sub-statuses and vendor codes like 524 too)
#   npm start -- '<a log line>'    an nginx/Apache/HAProxy/… error-log line
#   npm start -- response.txt      a raw HTTP response (status line, headers, body); `-` reads stdin
#
# Until the worker exists this runs `cargo run -q -p gatewise-core --example explain -- "$@"`.
# Bootstrap's lines go to stderr, so stdout carries only the diagnosis.
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

gatewise_bootstrap >&2
exec cargo run -q -p gatewise-core --example explain -- "$@"
