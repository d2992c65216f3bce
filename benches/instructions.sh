#!/usr/bin/env bash
# Instruction counts (valgrind callgrind, whole process) of one bundlec binary
# on the generated refund runbooks: the before/after measure BENCHMARKS.md
# uses, since instruction counts do not move with the machine's load.
#
#   benches/instructions.sh [BUNDLEC] [DIR]
#
# BUNDLEC defaults to target/release/bundlec, DIR to target/bench-input
# (where benches/run.sh generates the inputs). Prints a Markdown table.
set -euo pipefail
bin=$(realpath "${1:-target/release/bundlec}")
dir=${2:-target/bench-input}
cd "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

count() { # label, command...
  local label=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$work/out" "$@" >/dev/null 2>"$work/err" || true
  local ir
  ir=$(grep -E '^(summary|totals):' "$work/out" | head -1 | awk '{print $2}')
  printf '| %s | %s |\n' "$label" "$(echo "$ir" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')"
}

echo "| command | instructions |"
echo "|---|---:|"
for n in ${COUNT_SIZES:-100 1000}; do
  mkdir -p "$work/build"
  count "build, $n calls" "$bin" -q build --out-dir "$work/build" "refund-$n.toml"
  count "verify, $n calls" "$bin" -q verify "refund-$n.json" --chain 1 --safe-version 1.4.1 --nonce 1
  count "verify --intent, $n calls" "$bin" -q verify "refund-$n.json" --intent "refund-$n.toml"
  count "checksum, $n calls" "$bin" -q checksum "refund-$n.json"
done
