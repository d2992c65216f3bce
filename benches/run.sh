#!/usr/bin/env bash
# The whole-process table of BENCHMARKS.md: builds release, generates refund
# runbooks of N delistJob calls in one batch (examples/gen_refund.rs, into
# target/bench-input; nothing large is committed), times each command with
# hyperfine (median of RUNS runs, at least 5), takes peak memory with
# /usr/bin/time -f %M, and prints a Markdown table with each command's ratio
# to the floor program (examples/floor.rs: read, typed parse, hex-decode,
# keccak). The row "writes only" is examples/write_floor.rs: build's
# output files copied the way build puts them in place (written, synced,
# renamed), the least time build's writing can take on this disk.
#
#   benches/run.sh                      # N = 100, 10000, 100000
#   SIZES="100 10000" RUNS=10 benches/run.sh
#   BUNDLEC=/path/to/other/bundlec benches/run.sh   # time another build
#
# Needs hyperfine, jq and GNU time. Times depend on the machine and its load:
# say which when quoting them.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES:-100 10000 100000}
runs=${RUNS:-5}
if [ "$runs" -lt 5 ]; then
  echo "RUNS must be at least 5" >&2
  exit 2
fi

cargo build --release --quiet --bin bundlec --example floor --example write_floor --example gen_refund
bin=$(realpath "${BUNDLEC:-target/release/bundlec}")
floor=$(realpath target/release/examples/floor)
write_floor=$(realpath target/release/examples/write_floor)
gen=$(realpath target/release/examples/gen_refund)
dir=target/bench-input
mkdir -p "$dir"
cd "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Peak resident set in MiB (one run).
peak() {
  /usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1 || true
  awk '{printf "%.1f", $1 / 1024}' "$work/mem"
}

# Median wall-clock milliseconds over $runs runs.
median() {
  hyperfine --style none --warmup 1 --runs "$runs" -i --export-json "$work/t.json" \
    -- "$(printf '%q ' "$@")" >/dev/null 2>&1
  jq '.results[0].median * 1000' "$work/t.json"
}

printf '| calls | command | median ms | peak MiB | time / floor | memory / floor |\n'
printf '|---:|---|---:|---:|---:|---:|\n'
for n in $sizes; do
  "$gen" "$n" "refund-$n.toml"
  # The batch and manifest every command reads, written by the bundlec under test.
  "$bin" -q build "refund-$n.toml"
  mkdir -p "$work/out-$n"
  declare -A cmds=(
    [floor]="$floor refund-$n.json"
    [build]="$bin -q build --out-dir $work/out-$n refund-$n.toml"
    [writes only]="$write_floor $work/out-$n $work/copy-$n"
    [verify]="$bin -q verify refund-$n.json --chain 1 --safe-version 1.4.1 --nonce 1"
    [verify --intent]="$bin -q verify refund-$n.json --intent refund-$n.toml"
    [checksum]="$bin -q checksum refund-$n.json"
  )
  floor_ms=""
  floor_mib=""
  for name in floor build "writes only" verify "verify --intent" checksum; do
    read -r -a cmd <<<"${cmds[$name]}"
    ms=$(median "${cmd[@]}")
    mib=$(peak "${cmd[@]}")
    if [ -z "$floor_ms" ]; then
      floor_ms=$ms
      floor_mib=$mib
    fi
    awk -v n="$n" -v name="$name" -v ms="$ms" -v mib="$mib" -v fms="$floor_ms" -v fmib="$floor_mib" \
      'BEGIN { printf "| %d | %s | %.1f | %.1f | %.1fx | %.1fx |\n", n, name, ms, mib, ms / fms, mib / fmib }'
  done
  unset cmds
done
