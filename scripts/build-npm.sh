#!/usr/bin/env bash
# Build the npm package `gatewise` into packages/gatewise/dist/ (gitignored). Idempotent: run it
# again and the same files come out; cargo and the wasm-opt cache below skip unchanged work.
#
#   bash scripts/build-npm.sh
#
# Steps
#   1. cargo build -p gatewise-wasm --target wasm32-unknown-unknown --release
#      (with the toolchain the bootstrap chose for wasm32 builds)
#   2. wasm-bindgen --target web --remove-name-section (the CLI the bootstrap pinned to Cargo.lock)
#   3. wasm-opt -Oz from the npm package binaryen@132 (never Debian's binaryen: its output fails
#      at instantiation); cached by the input's hash under target/gatewise-npm/
#   4. the TypeScript types, generated from docs/diagnosis.schema.json and
#      crates/gatewise-wasm/api.schema.json (packages/gatewise/scripts/types.mjs)
#   5. the JavaScript and the hand-written signatures from packages/gatewise/src/
# Prints the sizes (raw and gzip) of the wasm and the JavaScript.
#
#   GATEWISE_LANGUAGES=en,de bash scripts/build-npm.sh
# builds a smaller package with only these catalogs (English is always in): the catalogs are
# most of the wasm (measured: all 8 languages 1.86 MB / 601 KB gzip, English only 0.73 MB /
# 280 KB gzip). The published package has every language.
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$_GW_ROOT"

# test.sh has bootstrapped already (and exported the toolchain); alone, bootstrap now.
if [ -z "${GATEWISE_WASM_TOOLCHAIN+set}" ]; then
  gatewise_bootstrap >&2
fi
wasm_cargo=(cargo ${GATEWISE_WASM_TOOLCHAIN:+"+$GATEWISE_WASM_TOOLCHAIN"})

pkg=packages/gatewise
target_dir=${CARGO_TARGET_DIR:-target}
cache=$target_dir/gatewise-npm
wasm_opt=node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || _gw_die "no $wasm_opt: npm ci installs binaryen@132 (root devDependencies)"
mkdir -p "$cache"
stage=$(mktemp -d "$cache/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

say() { printf 'build-npm: %-10s %s\n' "$1" "$2"; }

features=()
if [ -n "${GATEWISE_LANGUAGES:-}" ]; then
  langs=()
  IFS=, read -ra tags <<<"$GATEWISE_LANGUAGES"
  for tag in "${tags[@]}"; do
    tag=$(tr '[:upper:]' '[:lower:]' <<<"${tag// /}")
    [ -z "$tag" ] || [ "$tag" = en ] || langs+=("lang-$tag")
  done
  features=(--no-default-features --features "$(
    IFS=,
    echo "${langs[*]}"
  )")
fi

t0=$(_gw_now)
"${wasm_cargo[@]}" build -q -p gatewise-wasm --target wasm32-unknown-unknown --release "${features[@]}"
raw=$target_dir/wasm32-unknown-unknown/release/gatewise_wasm.wasm
say cargo "$(stat -c %s "$raw") bytes in $(_gw_since "$t0") (languages: ${GATEWISE_LANGUAGES:-all})"

t0=$(_gw_now)
wasm-bindgen --target web --out-dir "$stage" --out-name gatewise_wasm --no-typescript \
  --omit-default-module-path --remove-name-section --remove-producers-section "$raw"
say wasm-bindgen "$(wasm-bindgen --version) in $(_gw_since "$t0")"

# wasm-opt is slow under Node: keep its output per input hash.
hash=$(sha256sum "$stage/gatewise_wasm_bg.wasm" | cut -c1-16)
opt="$cache/opt-$hash.wasm"
if [ ! -f "$opt" ]; then
  t0=$(_gw_now)
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$stage/gatewise_wasm_bg.wasm" -o "$opt.tmp"
  mv "$opt.tmp" "$opt"
  say wasm-opt "-Oz in $(_gw_since "$t0")"
else
  say wasm-opt "cached ($opt)"
fi
cp "$opt" "$stage/gatewise_wasm_bg.wasm"

node "$pkg/scripts/types.mjs" "$stage" >/dev/null
cp "$pkg"/src/*.js "$pkg"/src/*.d.ts "$stage/"

rm -rf "$pkg/dist"
mv "$stage" "$pkg/dist"
chmod 755 "$pkg/dist"
trap - EXIT

gz() { gzip -9 -c "$@" | wc -c; }
wasm_file=$pkg/dist/gatewise_wasm_bg.wasm
say size "wasm $(stat -c %s "$wasm_file") bytes (gzip $(gz "$wasm_file")); JavaScript $(cat "$pkg"/dist/*.js | wc -c) bytes (gzip $(cat "$pkg"/dist/*.js | gzip -9 | wc -c))"
