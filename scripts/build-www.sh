#!/usr/bin/env bash
# Build the browser page into www/dist/ (gitignored; the edge worker serves it under its
# reserved prefix, /__gatewise/, from the Workers assets binding). Idempotent: run it again
# and the same files come out.
#
#   bash scripts/build-www.sh
#
# Steps
#   1. the npm package (scripts/build-npm.sh: the wasm core, wasm-bindgen, wasm-opt, cached)
#   2. www/build/data.mjs: the core's verdict table, reload schedule and the checks' words in
#      every language, through the wasm binding under Node (checksModel(), messages())
#   3. www/build/build.mjs: esbuild bundles www/src → www/dist:
#        checks.js, checks.<lang>.js   the error page's live checks (no WebAssembly)
#        index.html, explainer.js, element.js, chunk-*.js, gatewise_wasm_bg.wasm
# Prints the sizes (raw and gzip) the page's visitors download.
#
#   GATEWISE_WWW_SKIP_NPM=1   reuse packages/gatewise/dist as it is (the `www` gate runs after
#                             the `npm` gate, which has just built it)
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$_GW_ROOT"

if [ -z "${GATEWISE_WASM_TOOLCHAIN+set}" ]; then
  gatewise_bootstrap >&2
  export GATEWISE_WASM_TOOLCHAIN GATEWISE_LINT_TOOLCHAIN
fi

say() { printf 'build-www: %-10s %s\n' "$1" "$2"; }

if [ "${GATEWISE_WWW_SKIP_NPM:-}" = 1 ] && [ -f packages/gatewise/dist/gatewise_wasm_bg.wasm ]; then
  say npm "reusing packages/gatewise/dist"
else
  bash scripts/build-npm.sh
fi

target_dir=${CARGO_TARGET_DIR:-target}
data=$target_dir/gatewise-www/data
out=www/dist
t0=$(_gw_now)
rm -rf "$data"
node www/build/data.mjs "$data" | sed 's/^/build-www: /'

# Build into a fresh folder, then swap it in; keep files the build does not own (README.txt).
stage=$(mktemp -d "$target_dir/gatewise-www/dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT
node www/build/build.mjs "$data" "$stage"
mkdir -p "$out"
find "$out" -mindepth 1 -maxdepth 1 ! -name README.txt -exec rm -rf {} +
cp -R "$stage"/. "$out"/
say esbuild "www/dist in $(_gw_since "$t0")"

gz() { gzip -9 -c "$1" | wc -c; }
size() { printf '%s bytes (gzip %s)' "$(stat -c %s "$1")" "$(gz "$1")"; }
say size "checks.js $(size $out/checks.js); checks.en.js $(size $out/checks.en.js); checks.ar.js $(size $out/checks.ar.js)"
say size "explainer.js $(size $out/explainer.js); element.js $(size $out/element.js); wasm $(size $out/gatewise_wasm_bg.wasm)"
