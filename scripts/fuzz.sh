#!/usr/bin/env bash
# Fuzzes every gatewise-core target in turn (`npm run fuzz`): builds the cargo-fuzz targets in
# fuzz/, seeds them from the fixtures and the tests (fuzz/make_seeds.py), runs each for the given
# time, bounded, prints executions and crashes per target, writes the summary to fuzz/results.md,
# and exits non-zero when any target crashed, timed out or ran out of memory.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]     (default: 600 s, every target)
#
# Environment:
#   FUZZ_TOOLCHAIN   toolchain for cargo (`nightly`, `stable`…); default: nightly when rustup has
#                    one, else the default toolchain with RUSTC_BOOTSTRAP=1 (libFuzzer's build
#                    needs nightly flags; the stable compiler accepts them that way)
#   FUZZ_SANITIZER   address | none; default: address when the toolchain ships ASan's runtime,
#                    else none (the core is safe Rust: the fuzzer's job is panics and bounds)
#   FUZZ_JOBS        libFuzzer -fork workers per target (default 1)
#
# Findings land in fuzz/artifacts/<target>/ (reproduce with `cargo fuzz run <target> <file>`);
# the corpus grows in fuzz/corpus/<target>/ (kept between runs, not committed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

secs=${1:-600}
[[ $secs =~ ^[0-9]+$ ]] || {
  echo "fuzz: SECONDS_PER_TARGET must be a number, got '$secs'" >&2
  exit 2
}
shift || true

# cargo-fuzz, installed once (idempotent: nothing happens when it is already there).
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# The toolchain and the sanitizer.
toolchain=${FUZZ_TOOLCHAIN:-}
if [ -z "$toolchain" ] && rustup run nightly rustc --version >/dev/null 2>&1; then
  toolchain=nightly
fi
cargo_tc=(cargo ${toolchain:+"+$toolchain"})
if [ "$toolchain" != nightly ]; then
  export RUSTC_BOOTSTRAP=1
fi
sysroot=$("${cargo_tc[@]}" --version >/dev/null && rustc ${toolchain:+"+$toolchain"} --print sysroot)
sanitizer=${FUZZ_SANITIZER:-}
if [ -z "$sanitizer" ]; then
  if compgen -G "$sysroot/lib/rustlib/x86_64-unknown-linux-gnu/lib/librustc-*_rt.asan.a" >/dev/null; then
    sanitizer=address
  else
    sanitizer=none
  fi
fi
# Release optimisations with debug assertions and overflow checks: an overflow is a finding.
build_flags=(-O -a -s "$sanitizer")
echo "==> toolchain: $(rustc ${toolchain:+"+$toolchain"} --version)${RUSTC_BOOTSTRAP:+ (RUSTC_BOOTSTRAP=1)}, sanitizer: $sanitizer"

mapfile -t all_targets < <("${cargo_tc[@]}" fuzz list --fuzz-dir fuzz)
if [ "$#" -gt 0 ]; then
  targets=("$@")
  for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || {
      echo "fuzz: unknown target '$t' (targets: ${all_targets[*]})" >&2
      exit 2
    }
  done
else
  targets=("${all_targets[@]}")
fi

echo "==> building ${#targets[@]} targets"
if [ "${#targets[@]}" -eq "${#all_targets[@]}" ]; then
  "${cargo_tc[@]}" fuzz build --fuzz-dir fuzz "${build_flags[@]}"
else
  for t in "${targets[@]}"; do
    "${cargo_tc[@]}" fuzz build --fuzz-dir fuzz "${build_flags[@]}" "$t"
  done
fi

echo "==> seeds and dictionaries"
python3 fuzz/make_seeds.py fuzz/target

jobs=${FUZZ_JOBS:-1}
logs=fuzz/target/logs
mkdir -p "$logs"
rows=()
failed=0
total_execs=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  before=$(find "fuzz/artifacts/$t" -type f | wc -l)
  log="$logs/$t.log"
  echo "==> $t: ${secs}s"
  args=(
    -max_total_time="$secs"
    -rss_limit_mb=2048
    -malloc_limit_mb=2048
    -max_len=65536
    -timeout=10
    -print_final_stats=1
    -dict="fuzz/target/dict/$t.dict"
  )
  [ "$jobs" -le 1 ] || args+=(-fork="$jobs")
  touch "$log.start"
  started=$SECONDS
  status=0
  "${cargo_tc[@]}" fuzz run --fuzz-dir fuzz "${build_flags[@]}" "$t" \
    "fuzz/corpus/$t" "fuzz/target/seeds/$t" -- "${args[@]}" >"$log" 2>&1 || status=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  if [ -z "$execs" ]; then # -fork mode, or killed before the final stats
    execs=$(grep -o '^#[0-9]*' "$log" | tr -d '#' | sort -n | tail -1 || true)
  fi
  execs=${execs:-0}
  took=$((SECONDS - started))
  rate=$((execs / (took > 0 ? took : 1)))
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  found=$(($(find "fuzz/artifacts/$t" -type f | wc -l) - before))
  newest=$(find "fuzz/artifacts/$t" -type f -newer "$log.start" | head -1 || true)
  if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    failed=$((failed + 1))
    crashes="${found} (exit $status)"
    what=$({ grep -m1 -A1 'panicked at' "$log" || grep -m1 -E 'ERROR: libFuzzer|SUMMARY: ' "$log" || true; } | tr '\n' ' ')
    echo "    CRASH: $what"
    echo "    artifact: ${newest:-none}; log: $log"
    rows+=("| \`$t\` | $took | $execs | $rate | $corpus | **$crashes** | \`${newest:-}\` ${what//|/\\|} |")
  else
    crashes=0
    rows+=("| \`$t\` | $took | $execs | $rate | $corpus | 0 | |")
  fi
  total_execs=$((total_execs + execs))
  printf '    %-20s execs %-10s crashes %s\n' "$t" "$execs" "$crashes"
done

{
  echo "# Fuzzing results"
  echo
  echo "Written by \`scripts/fuzz.sh $secs${*:+ $*}\` on $(date -u +%Y-%m-%dT%H:%MZ)" \
    "at commit \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git diff --quiet 2>/dev/null || echo ' (with local changes)')."
  echo "Toolchain \`$(rustc ${toolchain:+"+$toolchain"} --version)\`${RUSTC_BOOTSTRAP:+ with RUSTC_BOOTSTRAP=1}," \
    "sanitizer \`$sanitizer\`, release build with debug assertions and overflow checks;" \
    "libFuzzer \`-max_total_time=$secs -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 -timeout=10\`" \
    "with the dictionary of each target, seeded from the fixtures and the tests (\`fuzz/make_seeds.py\`)."
  echo
  echo "| target | seconds | execs | execs/s | corpus | crashes | finding |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Total: $total_execs executions over ${#targets[@]} targets; $failed target(s) with findings."
} >fuzz/results.md

echo "==> $total_execs executions over ${#targets[@]} targets; $failed with findings (fuzz/results.md)"
[ "$failed" -eq 0 ]
