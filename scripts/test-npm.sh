#!/usr/bin/env bash
# The `npm` gate of `npm test`: the package as a user gets it. Builds it (scripts/build-npm.sh),
# packs it with `npm pack`, installs the tarball into two scratch projects in a temporary folder,
# and tests the installed artefact — never the source:
#   node   a Node project: every entry point (packages/gatewise/test/node/api.test.mjs),
#          fetchWithRetry against a real local server (fetch.test.mjs), and `tsc --noEmit` over a
#          TypeScript consumer of every entry point (consumer.ts; nodenext and bundler resolution)
#   vite   a Vite app without any configuration (test/vite/): `vite build` served from 127.0.0.1,
#          and the `vite` dev server, both loaded in headless Chromium via playwright-core
#          (test/browser.test.mjs)
# Ends with the package's sizes. Needs Chromium (`bootstrap.sh --browser`; test.sh asks for it).
#
#   bash scripts/test-npm.sh            GATEWISE_KEEP_SCRATCH=1 keeps the scratch folder
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$_GW_ROOT"
root=$_GW_ROOT
tests=$root/packages/gatewise/test
# test.sh has bootstrapped already (with --browser, and exported the toolchain); alone, do it now.
if [ -z "${GATEWISE_WASM_TOOLCHAIN+set}" ]; then
  gatewise_bootstrap --browser >&2
  export GATEWISE_WASM_TOOLCHAIN GATEWISE_LINT_TOOLCHAIN
fi
[ -x /usr/bin/chromium ] || _gw_die "no /usr/bin/chromium: run bash scripts/bootstrap.sh --browser"

step() { printf '\n--- npm: %s\n' "$*"; }

step "build"
bash scripts/build-npm.sh

scratch=$(mktemp -d "${TMPDIR:-/tmp}/gatewise-npm.XXXXXX")
if [ -z "${GATEWISE_KEEP_SCRATCH:-}" ]; then
  trap 'rm -rf "$scratch"' EXIT
else
  echo "scratch folder kept: $scratch"
fi

step "npm pack"
tarball=$scratch/$(cd packages/gatewise && npm pack --silent --pack-destination "$scratch" 2>/dev/null | tail -1)
[ -f "$tarball" ] || _gw_die "npm pack produced no tarball"
tar -tzf "$tarball" | sed 's/^/    /'

npm_install() { # in folder $1: npm install the rest
  local dir=$1
  shift
  (cd "$dir" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "$@" 2>&1 |
    grep -v 'Unknown user config' || true)
}

step "scratch Node project: install the tarball"
mkdir "$scratch/node"
printf '{ "name": "scratch-node", "private": true, "type": "module" }\n' >"$scratch/node/package.json"
npm_install "$scratch/node" "$tarball"
[ -f "$scratch/node/node_modules/gatewise/dist/gatewise_wasm_bg.wasm" ] || _gw_die "the tarball did not install"
cp "$tests"/node/* "$scratch/node/"

step "Node: every entry point, and fetchWithRetry against a real server"
(cd "$scratch/node" && GATEWISE_REPO=$root node --test api.test.mjs fetch.test.mjs)

step "TypeScript: tsc --noEmit over a consumer of every entry point"
"$root/node_modules/.bin/tsc" -p "$scratch/node/tsconfig.json"
"$root/node_modules/.bin/tsc" -p "$scratch/node/tsconfig.bundler.json"
echo "tsc: consumer.ts type-checks (nodenext, bundler)"

step "scratch Vite project: install the tarball and vite, vite build"
vite_version=$(node -p "require('$root/node_modules/vite/package.json').version")
mkdir "$scratch/vite"
printf '{ "name": "scratch-vite", "private": true, "type": "module" }\n' >"$scratch/vite/package.json"
cp "$tests"/vite/* "$scratch/vite/"
cp tests/fixtures/responses/nginx/refused.http "$scratch/vite/nginx-refused.http"
cp tests/fixtures/logs/nginx/refused.log "$scratch/vite/nginx-refused.log"
npm_install "$scratch/vite" "$tarball" "vite@$vite_version"
(cd "$scratch/vite" && npx --no-install vite build --logLevel warn)
ls -l "$scratch"/vite/dist/assets | sed 's/^/    /'

step "Vite dev server (no configuration either): start it"
dev_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
(cd "$scratch/vite" && exec node node_modules/vite/bin/vite.js --host 127.0.0.1 --port "$dev_port" --strictPort --clearScreen false) \
  >"$scratch/vite-dev.log" 2>&1 &
dev_pid=$!
stop_dev() { kill "$dev_pid" 2>/dev/null || true; }
trap 'stop_dev; [ -n "${GATEWISE_KEEP_SCRATCH:-}" ] || rm -rf "$scratch"' EXIT
for _ in $(seq 100); do
  grep -q "127.0.0.1:$dev_port" "$scratch/vite-dev.log" && break
  sleep 0.1
done

step "Chromium: the Vite build and the Vite dev server, from 127.0.0.1"
GATEWISE_VITE_DIST=$scratch/vite/dist GATEWISE_VITE_DEV=http://127.0.0.1:$dev_port \
  node --test packages/gatewise/test/browser.test.mjs
stop_dev

step "sizes"
gz() { gzip -9 -c | wc -c; }
dist=packages/gatewise/dist
printf '    package wasm        %8d bytes  gzip %7d\n' "$(stat -c %s $dist/gatewise_wasm_bg.wasm)" "$(gz <$dist/gatewise_wasm_bg.wasm)"
printf '    package JavaScript  %8d bytes  gzip %7d  (all of dist/*.js)\n' "$(cat $dist/*.js | wc -c)" "$(cat $dist/*.js | gz)"
printf '    tarball             %8d bytes\n' "$(stat -c %s "$tarball")"
js=$(find "$scratch/vite/dist/assets" -name '*.js' -print0 | xargs -0 cat | wc -c)
jsgz=$(find "$scratch/vite/dist/assets" -name '*.js' -print0 | xargs -0 cat | gz)
printf '    Vite app JavaScript %8d bytes  gzip %7d  (the app, the package and the glue, minified)\n' "$js" "$jsgz"
