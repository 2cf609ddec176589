#!/usr/bin/env bash
# Build the edge worker (worker/) into worker/build/, offline, with the tools the bootstrap
# installed — no worker-build:
#
#   1. cargo: the crate for wasm32-unknown-unknown (release profile: opt-level "s", LTO);
#   2. wasm-bindgen (exactly Cargo.lock's version, ~/.cargo/bin): ES-module bindings into
#      worker/build/pkg/, with the reset-state function and the abort handler the crash recovery
#      of worker/js/entry.mjs uses;
#   3. wasm-opt (binaryen, node_modules): -Os with the features rustc's wasm32 target
#      emits; names stripped (GATEWISE_WORKER_NAMES=1 keeps them, for `npm run bench -- --profile`:
#      V8's perf map names Wasm functions from them);
#   4. esbuild (node_modules): worker/js/entry.mjs + the bindings → worker/build/index.js (ESM,
#      minified), next to worker/build/index_bg.wasm — the two modules wrangler.toml's `main` and
#      plain `workerd serve` load.
#
#   bash scripts/build-worker.sh        (wrangler.toml's [build] command runs this too)
#
# GATEWISE_WASM_TOOLCHAIN (from the bootstrap) picks the Rust toolchain for the wasm32 build.
#
# The worker is built with only what it needs (issue 15): gatewise-core without its `explain`
# feature (worker/Cargo.toml), every language; tests/worker/size.test.mjs bounds the upload.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cargo_bin=${CARGO_HOME:-$HOME/.cargo}/bin
wasm_bindgen="$cargo_bin/wasm-bindgen"
esbuild="$root/node_modules/.bin/esbuild"
wasm_opt="$root/node_modules/.bin/wasm-opt"
for tool in "$wasm_bindgen" "$esbuild" "$wasm_opt"; do
  [ -x "$tool" ] || {
    echo "build-worker: missing $tool: run npm run bootstrap" >&2
    exit 1
  }
done
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$("$wasm_bindgen" --version | awk '{ print $2 }')
[ "$want" = "$have" ] || {
  echo "build-worker: wasm-bindgen $have, Cargo.lock wants $want: run npm run bootstrap" >&2
  exit 1
}

cargo ${GATEWISE_WASM_TOOLCHAIN:+"+$GATEWISE_WASM_TOOLCHAIN"} build -q -p gatewise-worker --lib \
  --release --target wasm32-unknown-unknown
target_dir=$(cargo metadata --format-version 1 --no-deps | node -pe 'JSON.parse(require("fs").readFileSync(0)).target_directory')
wasm="$target_dir/wasm32-unknown-unknown/release/gatewise_worker.wasm"

out=worker/build
stage=$(mktemp -d "$root/worker/.build.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/pkg"
"$wasm_bindgen" "$wasm" --out-dir "$stage/pkg" --out-name index --target module --no-typescript \
  --experimental-reset-state-function --force-enable-abort-handler
# workerd hands a module worker's .wasm import over as a compiled WebAssembly.Module: the plain
# import form, not the source-phase import the `module` target writes.
sed -i 's/^import source /import /' "$stage/pkg/index.js"
features=(mutable-globals sign-ext nontrapping-float-to-int bulk-memory multivalue reference-types exception-handling)
# -Os, chosen by measurement on this worker (issue 15; gzip -9 of the output, names stripped):
# -O and -Os 728.0 kB, -Oz 728.7 kB (smaller raw, larger gzip), -Oz --converge 727.8 kB in 1.4x the
# time. Stripping the names saved 54 kB; the levels are within 0.1%.
names=(--strip-debug --strip-producers)
if [ "${GATEWISE_WORKER_NAMES:-}" = 1 ]; then names=(--debuginfo); fi
"$wasm_opt" -Os "${names[@]}" "${features[@]/#/--enable-}" "$stage/pkg/index_bg.wasm" -o "$stage/index_bg.wasm"
"$esbuild" worker/js/entry.mjs --alias:gatewise-worker-bindings="$stage/pkg/index.js" --bundle --format=esm --minify --log-level=warning \
  --external:./index_bg.wasm '--external:cloudflare:*' --outfile="$stage/index.js"
rm -rf "$out"
mkdir -p "$out"
mv "$stage/index.js" "$stage/index_bg.wasm" "$out/"
echo "build-worker: $out/index.js ($(wc -c <"$out/index.js") B), $out/index_bg.wasm ($(wc -c <"$out/index_bg.wasm") B)"
