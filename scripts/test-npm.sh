#!/usr/bin/env bash
# The `npm` gate of `npm test`: the package as a user gets it. Builds it (scripts/build-npm.sh),
# packs it with `npm pack`, checks the tarball (files, licences, README's recipes = the recipe
# configurations: packages/gatewise/test/package.test.mjs), installs it into scratch projects in
# a temporary folder, and tests the installed artefact — never the source:
#   node     a Node project: every entry point (packages/gatewise/test/node/api.test.mjs), when the
#            core loads (load.test.mjs), fetchWithRetry against a real local server (fetch.test.mjs),
#            and `tsc --noEmit` over a TypeScript consumer of every entry point (consumer.ts;
#            nodenext and bundler resolution)
#   bundlers the same app (test/app/) built by each recipe of README's "Bundlers": Vite (no
#            configuration), webpack (test/webpack/), Rollup (test/rollup/), esbuild
#            (test/esbuild/); the bundlers are the workspace's pinned devDependencies, installed
#            into one scratch project with the tarball. Each build is served from 127.0.0.1 and
#            loaded in headless Chromium via playwright-core, and so is the `vite` dev server
#            (test/browser.test.mjs): importing requests no .wasm, every entry point and
#            <gatewise-error> work, no request fails
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
tar -tzvf "$tarball" | awk '{ printf "    %9d  %s\n", $3, $6 }'
GATEWISE_TARBALL=$tarball node --test "$tests/package.test.mjs"

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

step "Node: every entry point, when the core loads, and fetchWithRetry against a real server"
(cd "$scratch/node" && GATEWISE_REPO=$root node --test api.test.mjs load.test.mjs fetch.test.mjs)

step "TypeScript: tsc --noEmit over a consumer of every entry point"
"$root/node_modules/.bin/tsc" -p "$scratch/node/tsconfig.json"
"$root/node_modules/.bin/tsc" -p "$scratch/node/tsconfig.bundler.json"
echo "tsc: consumer.ts type-checks (nodenext, bundler)"

step "scratch bundler apps: install the tarball and the bundlers (the workspace's versions)"
apps=$scratch/apps
mkdir "$apps"
printf '{ "name": "scratch-apps", "private": true, "type": "module" }\n' >"$apps/package.json"
pinned() { # name@version of each workspace devDependency named
  local name
  for name in "$@"; do printf '%s@%s\n' "$name" "$(node -p "require('$root/node_modules/$name/package.json').version")"; done
}
mapfile -t bundlers < <(pinned vite webpack webpack-cli rollup @rollup/plugin-node-resolve @web/rollup-plugin-import-meta-assets esbuild)
npm_install "$apps" "$tarball" "${bundlers[@]}"
for b in vite webpack rollup esbuild; do
  # The same app for every bundler; the recipe's configuration (none for Vite) beside it.
  mkdir -p "$apps/$b/public/fixtures"
  cp "$tests"/app/* "$apps/$b/"
  [ "$b" = vite ] || cp "$tests/$b"/* "$apps/$b/"
  cp tests/fixtures/responses/nginx/refused.http "$apps/$b/public/fixtures/nginx-refused.http"
  cp tests/fixtures/logs/nginx/refused.log "$apps/$b/public/fixtures/nginx-refused.log"
done
bin=$apps/node_modules/.bin
timed() { # label, command…: runs it in the app folder, says how long it took
  local label=$1 t0
  shift
  t0=$(_gw_now)
  (cd "$apps/$label" && "$@")
  printf '    %-8s built in %s\n' "$label" "$(_gw_since "$t0")"
}

step "build the app with each recipe"
timed vite "$bin/vite" build --logLevel warn
timed webpack "$bin/webpack" --no-stats
timed rollup "$bin/rollup" --config rollup.config.mjs --silent
timed esbuild node build.mjs
for b in webpack rollup esbuild; do
  # What Vite does itself: the page and the public files beside the bundle.
  cp "$apps/$b/index.html" "$apps/$b/dist/"
  cp -r "$apps/$b/public/." "$apps/$b/dist/"
done
for b in vite webpack rollup esbuild; do
  printf '    %s/dist:' "$b"
  (cd "$apps/$b/dist" && find . -type f \( -name '*.js' -o -name '*.wasm' \) -printf ' %P (%s bytes)')
  echo
done

step "Vite dev server (no configuration either): start it"
dev_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
(cd "$apps/vite" && exec node ../node_modules/vite/bin/vite.js --host 127.0.0.1 --port "$dev_port" --strictPort --clearScreen false) \
  >"$scratch/vite-dev.log" 2>&1 &
dev_pid=$!
stop_dev() { kill "$dev_pid" 2>/dev/null || true; }
trap 'stop_dev; [ -n "${GATEWISE_KEEP_SCRATCH:-}" ] || rm -rf "$scratch"' EXIT
for _ in $(seq 100); do
  grep -q "127.0.0.1:$dev_port" "$scratch/vite-dev.log" && break
  sleep 0.1
done

step "Chromium: the four builds and the Vite dev server, from 127.0.0.1"
GATEWISE_APPS="vite=$apps/vite/dist,webpack=$apps/webpack/dist,rollup=$apps/rollup/dist,esbuild=$apps/esbuild/dist" \
  GATEWISE_VITE_DEV=http://127.0.0.1:$dev_port \
  node --test packages/gatewise/test/browser.test.mjs
stop_dev

step "sizes"
gz() { gzip -9 -c | wc -c; }
dist=packages/gatewise/dist
printf '    package wasm        %8d bytes  gzip %7d\n' "$(stat -c %s $dist/gatewise_wasm_bg.wasm)" "$(gz <$dist/gatewise_wasm_bg.wasm)"
printf '    package JavaScript  %8d bytes  gzip %7d  (all of dist/*.js)\n' "$(cat $dist/*.js | wc -c)" "$(cat $dist/*.js | gz)"
printf '    tarball             %8d bytes\n' "$(stat -c %s "$tarball")"
for b in vite webpack rollup esbuild; do
  js=$(find "$apps/$b/dist" -name '*.js' -print0 | xargs -0 cat | wc -c)
  jsgz=$(find "$apps/$b/dist" -name '*.js' -print0 | xargs -0 cat | gz)
  printf '    %-8s app JS    %8d bytes  gzip %7d  (the app, the package and the glue)\n' "$b" "$js" "$jsgz"
done
