#!/usr/bin/env bash
# The accuracy benchmark (`npm run accuracy`): feeds every artefact of the corpus — the wild ones
# collected from public issues, forums and vendor docs (tests/corpus/wild/) and the captures
# (tests/fixtures/, labelled in tests/corpus/captures.toml) — to the core's `explain`, scores the
# answers against the labels (tests/corpus/README.md) and writes bench/results/accuracy.{md,json}.
#
#   bash scripts/accuracy.sh [--check] [--out DIR] [--answers-out FILE]
#     --check        exit 1 when wild or captures accuracy is under tests/corpus/floor.toml
#                    (the `accuracy` gate of npm test runs this, writing into tests/artifacts/accuracy)
#     --out DIR      write the report there instead of bench/results
#     --answers-out  also store every answer by id (how bench/results/accuracy-baseline.json was made)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
exec cargo run -q -p gatewise-core --example accuracy -- --commit "$commit" "$@"
