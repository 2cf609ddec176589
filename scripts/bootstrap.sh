#!/usr/bin/env bash
# Make this machine able to build and test gatewise. Idempotent: when nothing is missing it only
# checks (about a second). Prints one line per step: what was present, or what it installed.
#
#   bash scripts/bootstrap.sh [--browser]        (or: npm run bootstrap [-- --browser])
#
# Steps
#   rust              cargo, rustfmt and clippy of the toolchain rustup picks here (normally stable)
#   wasm32            the wasm32-unknown-unknown target: `rustup target add` first; when rustup cannot
#                     deliver it, Debian's rustc-web with a wasm32 std built once from Debian's std
#                     source, linked as the rustup toolchain `debian` and used for wasm32 builds only
#   wasm-bindgen-cli  exactly the wasm-bindgen version in Cargo.lock (only once Cargo.lock has it)
#   npm               `npm ci` when node_modules is missing or older than package-lock.json
#   chromium          only with --browser: Debian's chromium and chromium-driver
#   fonts             only with --browser: Noto CJK (Japanese, Chinese) and Noto core (Arabic…), so
#                     that screenshots and the layout test (www/test/languages.test.mjs) show every
#                     language in real glyphs, not boxes
#
# scripts/test.sh and scripts/start.sh `source` this file and call `gatewise_bootstrap`, which exports
#   GATEWISE_WASM_TOOLCHAIN   "" (rustup's own) or "debian": the toolchain for wasm32 builds
#   GATEWISE_LINT_TOOLCHAIN   "" (rustup's own) or "debian": the toolchain for cargo fmt / clippy
# Switches (environment)
#   GATEWISE_FORCE_DEBIAN_WASM=1  use (and if needed build) the Debian wasm32 fallback, skip rustup
#   GATEWISE_FORCE_DEBIAN_LINT=1  use Debian's rustfmt and clippy instead of rustup's components
#   GATEWISE_RUSTUP_TIMEOUT=240   seconds allowed to `rustup target add` / `rustup component add`
#   GATEWISE_BROWSER=1            same as --browser
# Everything comes from rustup's own server, crates.io, the npm registry or Debian's archive.
set -euo pipefail

_GW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_GW_SYSROOT_RECIPE=1 # bump to rebuild the Debian wasm32 std when the recipe below changes

_gw_say() { printf 'bootstrap: %-16s %s\n' "$1" "$2"; }
_gw_die() {
  printf 'bootstrap: ERROR: %s\n' "$*" >&2
  exit 1
}
# Microseconds now, and the seconds since such a reading, e.g. `t0=$(_gw_now); …; _gw_since "$t0"`.
_gw_now() { echo "${EPOCHREALTIME//[!0-9]/}"; }
_gw_since() {
  local tenths=$((($(_gw_now) - $1) / 100000))
  printf '%d.%ds' $((tenths / 10)) $((tenths % 10))
}

# Run a command as root (apt, files under /usr): directly when root, else through sudo.
_gw_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    _gw_die "need root (or sudo) for: $*"
  fi
}

# Install the Debian packages given that are not installed yet; `apt-get update` once per run.
# Leading options go to apt-get install (the Rust packages skip their recommended LLVM 22, ~1.3 GB).
_gw_apt() {
  local p opts=() missing=()
  while [ "${1:-}" != "${1#-}" ]; do
    opts+=("$1")
    shift
  done
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || _gw_die "apt-get not found: install ${missing[*]} by hand"
  if [ -z "${_GW_APT_UPDATED:-}" ]; then
    _gw_root apt-get -q -o DPkg::Lock::Timeout=600 update >&2
    _GW_APT_UPDATED=1
  fi
  _gw_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 \
    "${opts[@]}" "${missing[@]}" >&2
}

_gw_has_rustup() { command -v rustup >/dev/null 2>&1; }
_gw_debian_rustc() { /usr/bin/rustc --version | cut -d' ' -f1-2; } # "rustc 1.96.0"

# The rustup toolchain `debian`, pointing at Debian's /usr (rustc-web, cargo-web, …).
_gw_link_debian() {
  _gw_has_rustup || return 0
  local list
  list=$(rustup toolchain list)
  grep -qx 'debian' <<<"$list" || rustup toolchain link debian /usr >&2
}

# ---- rust: cargo, rustfmt, clippy ------------------------------------------------------------
_gw_rust() {
  command -v cargo >/dev/null 2>&1 ||
    _gw_die "no cargo: install Rust with rustup (stable, default profile), then run this again"
  local rustc_v
  rustc_v=$(rustc --version)
  GATEWISE_LINT_TOOLCHAIN=
  if [ -z "${GATEWISE_FORCE_DEBIAN_LINT:-}" ]; then
    if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
      _gw_say rust "present: $rustc_v with rustfmt and clippy"
      return 0
    fi
    if _gw_has_rustup &&
      timeout -k 10 "${GATEWISE_RUSTUP_TIMEOUT:-240}" rustup component add rustfmt clippy >&2 &&
      cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
      _gw_say rust "installed: rustfmt and clippy (rustup) for $rustc_v"
      return 0
    fi
    _gw_say rust "rustup could not add rustfmt/clippy: using Debian's rustfmt-web and rust-web-clippy"
  fi
  _gw_apt --no-install-recommends rustc-web cargo-web rustfmt-web rust-web-clippy
  _gw_link_debian
  _gw_has_rustup && GATEWISE_LINT_TOOLCHAIN=debian
  _gw_say rust "Debian's rustfmt and clippy ($(_gw_debian_rustc)) for fmt and clippy; $rustc_v otherwise"
}

# ---- wasm32: the wasm32-unknown-unknown target ---------------------------------------------
_gw_rustup_has_wasm() {
  _gw_has_rustup || return 1
  local installed
  installed=$(rustup target list --installed 2>/dev/null) || return 1
  grep -qx 'wasm32-unknown-unknown' <<<"$installed"
}

_GW_WASM_LIB=/usr/lib/rustlib/wasm32-unknown-unknown/lib
# Where Debian's rustc looks for `rust-lld`: its own host's bin directory.
_gw_rust_lld() { echo "/usr/lib/rustlib/$(/usr/bin/rustc -vV | sed -n 's/^host: //p')/bin/rust-lld"; }

# The stamp the Debian wasm32 std must carry: recipe number and the commit of Debian's rustc.
_gw_debian_stamp() {
  local hash
  hash=$(/usr/bin/rustc -vV | sed -n 's/^commit-hash: //p')
  echo "gatewise-sysroot-$_GW_SYSROOT_RECIPE $hash"
}
_gw_sysroot_current() { [ "$(cat "$_GW_WASM_LIB/.gatewise-stamp" 2>/dev/null || true)" = "$(_gw_debian_stamp)" ]; }

_gw_debian_wasm_ready() {
  [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -e "$(_gw_rust_lld)" ] || return 1
  _gw_sysroot_current || return 1
  if _gw_has_rustup; then
    local list
    list=$(rustup toolchain list)
    grep -qx 'debian' <<<"$list" || return 1
  fi
}

# Debian's rustc-web has no std for wasm32 and no `rust-lld` (rustc's default wasm linker):
# link lld-19 in as rust-lld, build std once from rust-web-src, keep it next to Debian's rustc.
_gw_debian_wasm() {
  _GW_SYSROOT_STATE=present
  _gw_apt --no-install-recommends rustc-web cargo-web rust-web-src lld-19
  local lld
  lld=$(_gw_rust_lld)
  _gw_root mkdir -p "$(dirname "$lld")"
  [ "$(readlink "$lld" 2>/dev/null || true)" = /usr/lib/llvm-19/bin/lld ] ||
    _gw_root ln -sf /usr/lib/llvm-19/bin/lld "$lld"
  if ! _gw_sysroot_current; then
    _gw_say wasm32 "building std for wasm32 with Debian's $(_gw_debian_rustc) (once, a minute or two)"
    local tmp t0
    t0=$(_gw_now)
    tmp=$(mktemp -d)
    /usr/bin/cargo new -q --lib --vcs none --name gatewise_sysroot "$tmp/s"
    # Bitcode in the rlibs so that `lto = true` release builds can use them.
    (cd "$tmp/s" && env -u RUSTFLAGS RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_DIR="$tmp/target" CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Cembed-bitcode=yes \
      /usr/bin/cargo build -q --release --target wasm32-unknown-unknown \
      -Zbuild-std=std,panic_abort,test) >&2
    _gw_root rm -rf "$_GW_WASM_LIB"
    _gw_root mkdir -p "$_GW_WASM_LIB"
    _gw_root find "$tmp/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' \
      ! -name 'libgatewise_sysroot-*' -exec cp -t "$_GW_WASM_LIB" {} +
    _gw_debian_stamp | _gw_root tee "$_GW_WASM_LIB/.gatewise-stamp" >/dev/null
    rm -rf "$tmp"
    _GW_SYSROOT_STATE="std built in $(_gw_since "$t0")"
  fi
  _gw_link_debian
}

_gw_wasm() {
  GATEWISE_WASM_TOOLCHAIN=
  if [ -z "${GATEWISE_FORCE_DEBIAN_WASM:-}" ]; then
    if _gw_rustup_has_wasm; then
      _gw_say wasm32 "present: rustup target wasm32-unknown-unknown"
      return 0
    fi
    if _gw_debian_wasm_ready; then # an earlier run fell back: don't wait for rustup again
      _gw_has_rustup && GATEWISE_WASM_TOOLCHAIN=debian
      _gw_say wasm32 "present: Debian fallback ($(_gw_debian_rustc)); wasm builds use cargo +debian"
      return 0
    fi
    local t0
    t0=$(_gw_now)
    if _gw_has_rustup &&
      timeout -k 10 "${GATEWISE_RUSTUP_TIMEOUT:-240}" rustup target add wasm32-unknown-unknown >&2; then
      _gw_say wasm32 "installed: rustup target wasm32-unknown-unknown in $(_gw_since "$t0")"
      return 0
    fi
    _gw_say wasm32 "rustup could not deliver wasm32-unknown-unknown: using Debian's rustc-web"
  fi
  _gw_debian_wasm
  _gw_has_rustup && GATEWISE_WASM_TOOLCHAIN=debian
  _gw_say wasm32 "$_GW_SYSROOT_STATE: Debian fallback ($(_gw_debian_rustc)); wasm builds use cargo +debian"
}

# ---- wasm-bindgen-cli: the exact version of Cargo.lock's wasm-bindgen ----------------------
_gw_lock_version() { # version of the crate named $1 in Cargo.lock, empty when absent
  awk -v want="name = \"$1\"" '
    /^\[\[package\]\]/ { hit = 0 }
    $0 == want { hit = 1; next }
    hit && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' "$_GW_ROOT/Cargo.lock"
}

_gw_wasm_bindgen() {
  local want have=""
  want=$(_gw_lock_version wasm-bindgen)
  if [ -z "$want" ]; then
    _gw_say wasm-bindgen-cli "not needed: Cargo.lock has no wasm-bindgen"
    return 0
  fi
  have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ "$have" = "$want" ]; then
    _gw_say wasm-bindgen-cli "present: $want (= Cargo.lock)"
    return 0
  fi
  local t0
  t0=$(_gw_now)
  # No --locked: the registry mirror may lack the newest transitive versions of the CLI's lock.
  cargo install wasm-bindgen-cli --version "$want" >&2
  _gw_say wasm-bindgen-cli "installed: $want (was: ${have:-none}) in $(_gw_since "$t0")"
}

# ---- npm: node_modules from package-lock.json ----------------------------------------------
_gw_npm() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    _gw_die "node and npm are needed (Node >= 20)"
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || _gw_die "Node >= 20 needed, found $(node --version)"
  local hidden=node_modules/.package-lock.json
  if [ -f "$hidden" ] && [ ! package-lock.json -nt "$hidden" ] && [ ! package.json -nt "$hidden" ]; then
    _gw_say npm "present: node_modules matches package-lock.json (node $(node --version))"
    return 0
  fi
  local t0
  t0=$(_gw_now)
  npm ci --no-audit --no-fund >&2
  _gw_say npm "installed: npm ci in $(_gw_since "$t0") (node $(node --version), npm $(npm --version))"
}

# ---- chromium: for browser tests only ---------------------------------------------------------
_gw_chromium() {
  if [ "$1" != 1 ]; then
    _gw_say chromium "not needed (bootstrap --browser installs it for browser tests)"
    return 0
  fi
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    _gw_say chromium "present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    return 0
  fi
  local t0
  t0=$(_gw_now)
  _GW_APT_UPDATED= # the package lists may be old: always update before installing the browser
  _gw_apt chromium chromium-driver
  _gw_say chromium "installed: $(/usr/bin/chromium --version 2>/dev/null) in $(_gw_since "$t0")"
}

# ---- fonts: every script the catalogs are written in, for browser tests only -------------------
_GW_FONTS=(fonts-noto-cjk fonts-noto-core)
_gw_fonts() {
  if [ "$1" != 1 ]; then
    _gw_say fonts "not needed (bootstrap --browser installs them for browser tests)"
    return 0
  fi
  local p missing=()
  for p in "${_GW_FONTS[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    _gw_say fonts "present: ${_GW_FONTS[*]}"
    return 0
  fi
  local t0
  t0=$(_gw_now)
  _gw_apt --no-install-recommends "${missing[@]}"
  _gw_say fonts "installed: ${missing[*]} in $(_gw_since "$t0")"
}

gatewise_bootstrap() {
  local browser=${GATEWISE_BROWSER:-0} arg
  for arg in "$@"; do
    case $arg in
      --browser) browser=1 ;;
      -h | --help)
        sed -n '2,/^set -euo/p' "$_GW_ROOT/scripts/bootstrap.sh" | sed '$d; s/^# \{0,1\}//'
        return 0
        ;;
      *) _gw_die "unknown argument: $arg (try --help)" ;;
    esac
  done
  [ "$browser" = 0 ] || browser=1
  cd "$_GW_ROOT"
  _gw_rust
  _gw_wasm
  _gw_wasm_bindgen
  _gw_npm
  _gw_chromium "$browser"
  _gw_fonts "$browser"
  export GATEWISE_WASM_TOOLCHAIN GATEWISE_LINT_TOOLCHAIN
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  _gw_t0=$(_gw_now)
  gatewise_bootstrap "$@"
  _gw_say "done" "in $(_gw_since "$_gw_t0")"
  if [ -n "$GATEWISE_WASM_TOOLCHAIN" ]; then
    echo "bootstrap: note: build for wasm32 with: cargo +$GATEWISE_WASM_TOOLCHAIN build --target wasm32-unknown-unknown"
  fi
fi
