#!/usr/bin/env bash
# Build the edge worker (worker/) into worker/build/ with worker-build, offline: the tools are the
# ones the bootstrap installed — wasm-bindgen (= Cargo.lock's version) from ~/.cargo/bin, esbuild
# and binaryen's wasm-opt from node_modules — so worker-build downloads nothing.
#
#   bash scripts/build-worker.sh        (wrangler.toml's [build] command runs this too)
#
# GATEWISE_WASM_TOOLCHAIN (from the bootstrap) picks the Rust toolchain for the wasm32 build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cargo_bin=${CARGO_HOME:-$HOME/.cargo}/bin
export WASM_BINDGEN_BIN="$cargo_bin/wasm-bindgen"
export ESBUILD_BIN="$root/node_modules/.bin/esbuild"
export WASM_OPT_BIN="$root/node_modules/.bin/wasm-opt"
for tool in "$cargo_bin/worker-build" "$WASM_BINDGEN_BIN" "$ESBUILD_BIN" "$WASM_OPT_BIN"; do
  [ -x "$tool" ] || {
    echo "build-worker: missing $tool: run npm run bootstrap" >&2
    exit 1
  }
done
if [ -n "${GATEWISE_WASM_TOOLCHAIN:-}" ]; then
  export RUSTUP_TOOLCHAIN=$GATEWISE_WASM_TOOLCHAIN
fi
cd "$root/worker"
exec "$cargo_bin/worker-build" --release
