#!/bin/sh
# Keeps a folder of bundlec runbooks honest: see docs/ci.md.
#
#   check-bundles.sh BUNDLES_DIR ADDRESS_BOOK [REPORTS_DIR]
#
# 1. `bundlec build --check BUNDLES_DIR/*.toml`: the committed batches and
#    manifests are exactly what the intents give.
# 2. For every intent NAME.toml, `bundlec verify` of all its batches at once
#    (NAME.json, or the parts NAME.1.json, NAME.2.json, ..., and
#    NAME.accept.json) with `--intent NAME.toml --deployment ADDRESS_BOOK
#    --strict`: each batch decodes to what the intent compiles to, against the
#    address book you trust, with no danger or notice left. A danger the
#    runbook carries on purpose is accepted only when NAME.verify-accept lists
#    it (one CODE@PATH a line, with a # comment saying why).
# 3. Every batch in BUNDLES_DIR belongs to an intent (nothing is left unverified),
#    and so does every typed-data and proposal file written beside a batch
#    (NAME.typed.json, NAME.1.proposal.json, NAME.nonce-42.typed.json, ...:
#    step 1 checks their bytes; they are not batches and are not verified).
#
# With REPORTS_DIR, the text report of each verify (what signers read) is
# written to REPORTS_DIR/NAME.verify.txt instead of standard output; commit
# them and a changed report shows up in review.
#
# Run it from the repository root with relative paths: the reports print the
# address book's path as given. BUNDLEC names the binary (default: bundlec).
#
# Exit code: the worst of every step, so one run shows every failure.
#   0 all checks passed
#   1 a check failed (stale output, verify FAILED or NO REFERENCE, a batch
#     without an intent)
#   2 bad input or usage (unreadable or malformed file, missing argument)
set -eu

usage() {
    echo "usage: [BUNDLEC=path/to/bundlec] $0 BUNDLES_DIR ADDRESS_BOOK [REPORTS_DIR]" >&2
    exit 2
}

[ $# -ge 2 ] && [ $# -le 3 ] || usage
dir=${1%/}
book=$2
reports=${3:-}
bundlec=${BUNDLEC:-bundlec}

[ -d "$dir" ] || { echo "error: $dir: not a folder" >&2; exit 2; }
[ -f "$book" ] || { echo "error: $book: no such address book" >&2; exit 2; }
if [ -n "$reports" ]; then
    mkdir -p "$reports"
fi

worst=0
# Records an exit code: 2 beats 1 beats 0.
record() {
    if [ "$1" -gt "$worst" ]; then
        worst=$1
    fi
}

set -- "$dir"/*.toml
if [ ! -f "$1" ]; then
    echo "error: no intent (*.toml) in $dir" >&2
    exit 2
fi

echo "== bundlec build --check $dir/*.toml"
rc=0
"$bundlec" build --check "$@" || rc=$?
record "$rc"

claimed=" "
for intent in "$dir"/*.toml; do
    name=$(basename "$intent" .toml)
    # The command, built in "$@": verify, the batches this intent writes
    # (bundlec refuses intent names ending in .<digits>, .accept or .safe, so
    # these names belong to NAME.toml alone), then the flags.
    set -- verify
    for batch in "$dir/$name".json "$dir/$name".*.json; do
        [ -f "$batch" ] || continue
        if [ "$batch" != "$dir/$name.json" ]; then
            part=${batch#"$dir/$name".}
            part=${part%.json}
            case $part in
                accept) ;;
                '' | *[!0-9]*) continue ;;
            esac
        fi
        set -- "$@" "$batch"
        claimed="$claimed$batch "
    done
    # The typed data and proposals build writes beside the batches: not
    # batches (step 1 checks them), but they belong to this intent.
    for companion in "$dir/$name".typed.json "$dir/$name".proposal.json \
        "$dir/$name".*.typed.json "$dir/$name".*.proposal.json; do
        [ -f "$companion" ] || continue
        claimed="$claimed$companion "
    done
    if [ $# -eq 1 ]; then
        echo "error: $intent: no batch ($dir/$name.json or $dir/$name.N.json); run bundlec build $intent" >&2
        record 1
        continue
    fi
    set -- "$@" --intent "$intent" --deployment "$book" --strict
    # Dangers this runbook carries on purpose: NAME.verify-accept beside the
    # intent, one CODE@PATH a line, each with a comment saying why (# ...).
    if [ -f "$dir/$name.verify-accept" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            line=${line%%#*}
            line=$(printf '%s' "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
            [ -n "$line" ] || continue
            set -- "$@" --accept "$line"
        done <"$dir/$name.verify-accept"
    fi
    echo "== bundlec $*"
    rc=0
    if [ -n "$reports" ]; then
        "$bundlec" "$@" >"$reports/$name.verify.txt" || rc=$?
        # The verdict is the report's last line.
        tail -n 1 "$reports/$name.verify.txt"
    else
        "$bundlec" "$@" || rc=$?
    fi
    record "$rc"
done

for batch in "$dir"/*.json; do
    [ -f "$batch" ] || continue
    case $batch in *.safe.json) continue ;; esac
    case $claimed in *" $batch "*) continue ;; esac
    case $batch in
        *.typed.json | *.proposal.json)
            echo "error: $batch: no intent in $dir writes this file, so nothing checks it" >&2
            record 1
            continue
            ;;
    esac
    echo "error: $batch: no intent in $dir builds this batch, so nothing verifies it" >&2
    record 1
done

case $worst in
    0) echo "== every bundle in $dir is built from its intent and verifies under --strict" ;;
    1) echo "== FAILED: a check failed (see above)" >&2 ;;
    *) echo "== FAILED: bad input or usage (see above)" >&2 ;;
esac
exit "$worst"
