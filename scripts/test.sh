#!/usr/bin/env bash
# The whole suite, as CI runs it (`npm test`): bootstrap, then the gates in order, each with a
# header and its time. Stops at the first failing gate and names it. The last line is the summary
# `N passed, N failed` (CI reads it).
#
#   bash scripts/test.sh [--keep-going] [GATE…]     (or: npm test -- [--keep-going] [GATE…])
#
#   --keep-going   run every gate even after one failed (still exits 1 when any failed)
#   GATE…          run only these gates, in the usual order: fmt clippy test accuracy schema wasm worker bench npm www node
#
# The npm and www gates need Chromium: when one runs, the bootstrap installs it (`--browser`).
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

GATES=(fmt clippy test accuracy schema wasm worker bench npm www node)
die() {
  echo "test: ERROR: $*" >&2
  exit 2
}
keep_going=${GATEWISE_KEEP_GOING:-}
selected=()
for arg in "$@"; do
  case $arg in
    --keep-going) keep_going=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option: $arg (try --help)" ;;
    *)
      [[ " ${GATES[*]} " == *" $arg "* ]] || die "unknown gate: $arg (gates: ${GATES[*]})"
      selected+=("$arg")
      ;;
  esac
done
[ "${#selected[@]}" -gt 0 ] || selected=("${GATES[@]}")

t_all=$(_gw_now)
echo "==> bootstrap"
bootstrap_args=()
if [[ " ${selected[*]} " == *" npm "* || " ${selected[*]} " == *" www "* ]]; then
  bootstrap_args+=(--browser)
fi
gatewise_bootstrap "${bootstrap_args[@]}"
echo "<== bootstrap done in $(_gw_since "$t_all")"

# Native gates use the toolchain rustup picks here; wasm32 builds (and, where rustup has no
# rustfmt/clippy, the lint gates) use the one bootstrap chose: "" or the linked `debian`.
lint_cargo=(cargo ${GATEWISE_LINT_TOOLCHAIN:+"+$GATEWISE_LINT_TOOLCHAIN"})
wasm_cargo=(cargo ${GATEWISE_WASM_TOOLCHAIN:+"+$GATEWISE_WASM_TOOLCHAIN"})

node_tests() {
  local files
  shopt -s nullglob
  files=(tests/*.test.mjs)
  shopt -u nullglob
  if [ "${#files[@]}" -eq 0 ]; then
    echo "no tests/*.test.mjs found" >&2
    return 1
  fi
  node --test "${files[@]}"
}

# The edge worker: build it as shipped (scripts/build-worker.sh, offline), then run it in workerd (Miniflare)
# against misbehaving origins on 127.0.0.1, and check the upload bundle (wrangler --dry-run).
worker_tests() {
  # The runtime glue (worker/src/edge) only compiles for wasm32: lint it there too.
  # Each step's failure fails the gate: errexit does not apply inside a function called by `if`.
  if [ -z "$GATEWISE_WASM_TOOLCHAIN" ]; then
    cargo clippy -q -p gatewise-worker --target wasm32-unknown-unknown -- -D warnings || return 1
  else
    echo "worker: wasm32 clippy skipped (the wasm32 toolchain is Debian's: ${GATEWISE_WASM_TOOLCHAIN})"
  fi
  bash scripts/build-worker.sh || return 1
  node --test --test-concurrency=1 tests/worker/*.test.mjs || return 1
  bash scripts/soak.sh --seconds 12 --out tests/artifacts/soak
}

gate_command() { # the command of gate $1, one word per line
  case $1 in
    fmt) printf '%s\n' "${lint_cargo[@]}" fmt --all --check ;;
    clippy) printf '%s\n' "${lint_cargo[@]}" clippy --workspace --all-targets -- -D warnings ;;
    test) printf '%s\n' cargo test --workspace --no-fail-fast ;;
    accuracy) printf '%s\n' bash scripts/accuracy.sh --check --out tests/artifacts/accuracy ;;
    schema) printf '%s\n' cargo test -p gatewise-core -p gatewise-wasm --features schema --test schema ;;
    wasm) printf '%s\n' "${wasm_cargo[@]}" build -p gatewise-core --target wasm32-unknown-unknown --release ;;
    worker) printf '%s\n' worker_tests ;;
    bench) printf '%s\n' bash scripts/bench.sh --smoke ;;
    npm) printf '%s\n' bash scripts/test-npm.sh ;;
    www) printf '%s\n' bash scripts/test-www.sh ;;
    node) printf '%s\n' node_tests ;;
  esac
}

passed=0 failed=0 n=0 stop=
report=()
for gate in "${GATES[@]}"; do
  [[ " ${selected[*]} " == *" $gate "* ]] || continue
  n=$((n + 1))
  if [ -n "$stop" ]; then
    report+=("$(printf '%-8s %s' "$gate" 'not run')")
    continue
  fi
  mapfile -t cmd < <(gate_command "$gate")
  shown=${cmd[*]}
  [ "$gate" != node ] || shown="node --test tests/*.test.mjs"
  [ "$gate" != worker ] || shown="bash scripts/build-worker.sh && node --test tests/worker/*.test.mjs && bash scripts/soak.sh --seconds 12"
  echo
  echo "==> [$n/${#selected[@]}] $gate: $shown"
  t0=$(_gw_now)
  if "${cmd[@]}"; then
    result=passed
    passed=$((passed + 1))
  else
    result=FAILED
    failed=$((failed + 1))
    [ -n "$keep_going" ] || stop=1
  fi
  took=$(_gw_since "$t0")
  if [ "$result" = passed ]; then
    echo "<== $gate passed in $took"
  else
    echo "<== FAILED gate '$gate' after $took: $shown" >&2
  fi
  report+=("$(printf '%-8s %-8s %s' "$gate" "$result" "$took")")
done

echo
echo "==> summary (total $(_gw_since "$t_all"))"
printf '    %s\n' "${report[@]}"
if [ -n "$stop" ]; then
  echo "stopped at the first failure: re-run with --keep-going to run the rest"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
