#!/usr/bin/env bash
# Runs bundlec's fuzz targets with cargo-fuzz (libFuzzer), each for a given
# number of seconds, one after the other (or FUZZ_PARALLEL at a time).
#
#   fuzz/run.sh [SECONDS] [TARGET...]     # default: 600 s, every target
#
# Works on the stable toolchain: cargo-fuzz needs nightly-only rustc flags,
# which RUSTC_BOOTSTRAP=1 unlocks. Installs cargo-fuzz when it is missing.
#
# Environment:
#   FUZZ_SANITIZER  none (default) or address: AddressSanitizer finds memory
#                   errors in unsafe code, at about a third of the speed.
#   FUZZ_PARALLEL   targets run at once (default 1; at most one per core).
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (10).
#   FUZZ_RSS_MB     memory one run may use before it counts as a crash (2048).
#
# What it writes, all under fuzz/ and ignored by git:
#   work/<target>/       the growing corpus (seeded from corpus/<target>/,
#                        which is only read)
#   artifacts/<target>/  crash-*, timeout-*, oom-* inputs
#   logs/<target>.log    libFuzzer's output
#   logs/<target>.crashes.log  each failing input run again: panic message
#                        and backtrace (fork mode does not keep them)
# and at the end one summary line per target: executions, corpus size, crashes.
# See fuzz/README.md for reproducing a crash and keeping it as a regression.
set -euo pipefail

cd "$(dirname "$0")"
duration="${1:-600}"
shift || true
sanitizer="${FUZZ_SANITIZER:-none}"
parallel="${FUZZ_PARALLEL:-1}"
timeout_s="${FUZZ_TIMEOUT:-10}"
rss_mb="${FUZZ_RSS_MB:-2048}"

if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -eq 0 ]; then
    echo "usage: fuzz/run.sh [SECONDS] [TARGET...]" >&2
    exit 2
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz..." >&2
    cargo install cargo-fuzz --locked
fi
# cargo-fuzz passes -Z flags (sanitizers, -Zbuild-std) that only nightly
# accepts; this lets the stable compiler take them.
export RUSTC_BOOTSTRAP=1

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

echo "building ${targets[*]} (sanitizer: $sanitizer)..." >&2
for target in "${targets[@]}"; do
    cargo fuzz build --sanitizer "$sanitizer" "$target"
done

mkdir -p logs
run_one() {
    local target="$1"
    mkdir -p "work/$target" "artifacts/$target"
    # -fork=1 with -ignore_*: a crash, hang or OOM is saved under artifacts/
    # and fuzzing goes on for the rest of the time instead of stopping.
    cargo fuzz run --sanitizer "$sanitizer" "$target" "work/$target" "corpus/$target" -- \
        -max_total_time="$duration" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -print_final_stats=1 \
        >"logs/$target.log" 2>&1 || true
}

# Fork mode keeps the children's output to itself: run every failing input
# once more to log its panic message and backtrace, and count them by place.
explain() {
    local target="$1" binary out="logs/$1.crashes.log"
    binary="target/$(rustc -vV | sed -n 's/^host: //p')/release/$target"
    : >"$out"
    find "artifacts/$target" -type f | sort | while read -r input; do
        echo "==== $input" >>"$out"
        RUST_BACKTRACE=1 timeout 60 "$binary" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" \
            "$input" >>"$out" 2>&1 || true
    done
    echo "  $target: panics by place (details in fuzz/$out):" >&2
    grep -aoE "panicked at [^ ]+|ERROR: libFuzzer: (timeout|out-of-memory)" "$out" | sort | uniq -c | sed 's/^/    /' >&2 || true
}

summary() {
    local target="$1" log="logs/$1.log" execs corpus crashes
    # Fork mode reports "#<executions>: cov: ... corp: <n> ..." as it goes.
    execs="$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)"
    corpus="$(find "work/$target" -type f | wc -l)"
    crashes="$(find "artifacts/$target" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)"
    printf '%-18s %4ss  executions %-12s corpus %-6s crashes/hangs/ooms %s\n' \
        "$target" "$duration" "${execs:-?}" "$corpus" "$crashes"
}

running=0
for target in "${targets[@]}"; do
    echo "fuzzing $target for ${duration}s (log: fuzz/logs/$target.log)" >&2
    run_one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

status=0
for target in "${targets[@]}"; do
    summary "$target"
    if [ -n "$(find "artifacts/$target" -type f -print -quit)" ]; then
        status=1
    fi
done
for target in "${targets[@]}"; do
    if [ -n "$(find "artifacts/$target" -type f -print -quit)" ]; then
        explain "$target"
    fi
done
if [ "$status" -ne 0 ]; then
    echo "inputs that crash, hang or run out of memory are in fuzz/artifacts/: see fuzz/README.md" >&2
fi
exit "$status"
