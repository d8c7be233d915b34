#!/usr/bin/env bash
# Fuzzes the pure core's connection-string parser with cargo-fuzz (libFuzzer + AddressSanitizer).
#
#   scripts/fuzz.sh smoke            bounded run for CI: every target, SMOKE_SECONDS (default 40) each
#   scripts/fuzz.sh long [SECONDS]   by hand: every target (or FUZZ_TARGETS), SECONDS (default 600) each
#   scripts/fuzz.sh build            build the targets only
#   scripts/fuzz.sh repro TARGET FILE  run one input (e.g. a crash artifact) through TARGET
#
# Environment:
#   FUZZ_TARGETS     space-separated targets (default: conninfo_parse conninfo_analyze pki_intake pki_key pki_signature grants_spec explain_error)
#   FUZZ_SANITIZER   cargo fuzz --sanitizer: address (default) or none
#   SMOKE_SECONDS    per-target time for `smoke` (default 40)
#   FUZZ_TIMEOUT     seconds one input may take before libFuzzer reports a hang (default 10)
#   FUZZ_PANIC_ONLY  1: the targets check only "no panic, no hang", not their properties
#                    (render round trip, spans, secrets), e.g. while a known property bug is open
#   FUZZ_KEEP_GOING  1: don't stop at the first finding (libFuzzer -fork=1 -ignore_crashes=1,
#                    still one worker); every finding is then replayed and summarised
#
# Only a stable toolchain is available, so RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags
# (-Zsanitizer, sanitizer-coverage). Runs use one libFuzzer process (no -jobs/-workers): the
# machines have 2 cores. Targets, seeds and the dictionary live in fuzz/; the growing corpus
# (fuzz/corpus), crash artifacts (fuzz/artifacts) and builds (fuzz/target) are not committed.
#
# Exit status: 0 when no target found anything, 1 when one crashed, hung or ran out of memory
# (the reproducer is printed), 2 on a usage or build error.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_DIR="$ROOT/fuzz"
TARGETS="${FUZZ_TARGETS:-conninfo_parse conninfo_analyze pki_intake pki_key pki_signature grants_spec explain_error}"
SANITIZER="${FUZZ_SANITIZER:-address}"
TIMEOUT="${FUZZ_TIMEOUT:-10}"
MAX_LEN=4096
export RUSTC_BOOTSTRAP=1
# A leak is not a crash we care about in a short-lived parser, and ODR warnings come from
# linking the sanitizer runtime with Rust's std; neither should fail a run.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:detect_odr_violation=0}"

usage() {
    sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
    exit 2
}

ensure_cargo_fuzz() {
    if cargo fuzz --version >/dev/null 2>&1; then
        return 0
    fi
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked || cargo install cargo-fuzz || {
        echo "fuzz: FAIL: could not install cargo-fuzz"
        exit 2
    }
}

build() {
    ensure_cargo_fuzz
    echo "fuzz: building $TARGETS (sanitizer: $SANITIZER, debug assertions on)"
    local target
    for target in $TARGETS; do
        (cd "$FUZZ_DIR" && cargo fuzz build --sanitizer "$SANITIZER" --debug-assertions "$target") || {
            echo "fuzz: FAIL: the fuzz target $target does not build"
            exit 2
        }
    done
}

# Prints a crash artifact as an escaped string, so it can be pasted into a test or an issue.
show_input() {
    python3 -c 'import sys; print(repr(open(sys.argv[1], "rb").read()))' "$1" 2>/dev/null ||
        od -c "$1" | head -40
}

# summarize_artifacts TARGET DIR: replays every artifact and counts the distinct first lines
# of the failure messages (panic message or sanitizer summary).
summarize_artifacts() {
    local target="$1" dir="$2" bin f
    bin="$FUZZ_DIR/target/x86_64-unknown-linux-gnu/release/$target"
    [ -x "$bin" ] || return 0
    [ -n "$(ls "$dir")" ] || return 0
    echo "fuzz: $(ls "$dir" | wc -l) artifact(s) in $dir, by failure:"
    for f in "$dir"/*; do
        timeout 60 "$bin" -timeout="$TIMEOUT" "$f" 2>&1 |
            grep -a -m1 -A1 -E 'panicked at|^SUMMARY|ERROR: libFuzzer: timeout' | tail -1 |
            cut -c1-100 | sed 's/[0-9][0-9]*/N/g'
    done | sort | uniq -c | sort -rn
}

# replay_seeds TARGET SEEDS ARTIFACTS: runs every seed once; copies the failing ones to
# ARTIFACTS as seed-crash-NAME.
replay_seeds() {
    local target="$1" seeds="$2" artifacts="$3" bin f
    bin="$FUZZ_DIR/target/x86_64-unknown-linux-gnu/release/$target"
    [ -x "$bin" ] && [ -d "$seeds" ] || return 0
    for f in "$seeds"/*; do
        timeout 60 "$bin" -timeout="$TIMEOUT" "$f" >/dev/null 2>&1 ||
            cp "$f" "$artifacts/seed-crash-$(basename "$f")"
    done
}

# run TARGET SECONDS: one libFuzzer process on TARGET for SECONDS; returns its exit status.
run_target() {
    local target="$1" seconds="$2"
    local corpus="$FUZZ_DIR/corpus/$target" seeds="$FUZZ_DIR/seeds/$target"
    local artifacts="$FUZZ_DIR/artifacts/$target" log
    mkdir -p "$corpus" "$artifacts"
    log="$(mktemp "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX.log")"
    local dirs=("$corpus")
    [ -d "$seeds" ] && dirs+=("$seeds")
    echo "fuzz: $target for ${seconds}s (corpus $corpus, log $log)"
    local extra=()
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] &&
        extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    local before
    before="$(ls "$artifacts" | wc -l)"
    # Fork mode skips inputs that crash while it reads the corpus: replay the seeds first.
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && replay_seeds "$target" "$seeds" "$artifacts"
    local started=$SECONDS
    (cd "$FUZZ_DIR" && cargo fuzz run --sanitizer "$SANITIZER" --debug-assertions "$target" \
        "${dirs[@]}" -- \
        -max_total_time="$seconds" -timeout="$TIMEOUT" -max_len="$MAX_LEN" \
        -rss_limit_mb=2048 -dict="$FUZZ_DIR/conninfo.dict" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "${extra[@]}") >"$log" 2>&1
    local status=$?
    local elapsed=$((SECONDS - started))
    local runs cov ft corp
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    # Fork mode prints no final stats: take the last "#N:" status line.
    [ -z "$runs" ] && runs="$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')"
    cov="$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')"
    ft="$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')"
    corp="$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | sed 's/corp: //')"
    local rate="?"
    [ -n "$runs" ] && [ "$elapsed" -gt 0 ] && rate=$((runs / elapsed))
    echo "fuzz: $target: ${elapsed}s, ${runs:-?} execs (~${rate}/s), cov ${cov:-?}, features ${ft:-?}, corpus ${corp:-?}, exit $status"
    if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
        local found
        found="$(ls "$artifacts" | wc -l)"
        [ "$found" -gt "$before" ] && status=1
        summarize_artifacts "$target" "$artifacts"
        return "$status"
    fi
    if [ "$status" -ne 0 ]; then
        grep -E '^(==[0-9]+==|thread .* panicked|SUMMARY|ERROR: libFuzzer|artifact_prefix|Test unit written)' "$log" | head -20
        grep -A6 'panicked at' "$log" | head -20
        local artifact
        artifact="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)"
        if [ -n "$artifact" ] && [ -f "$artifact" ]; then
            echo "fuzz: reproducer ($artifact):"
            show_input "$artifact"
            echo "fuzz: replay: scripts/fuzz.sh repro $target $artifact"
            echo "fuzz: minimize: (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz tmin -s $SANITIZER -a $target $artifact)"
        else
            echo "fuzz: no artifact written; last lines of $log:"
            tail -30 "$log"
        fi
    fi
    return "$status"
}

fuzz_all() {
    local seconds="$1" failed=() target
    build
    for target in $TARGETS; do
        run_target "$target" "$seconds" || failed+=("$target")
    done
    if [ "${#failed[@]}" -eq 0 ]; then
        echo "fuzz: PASS: $TARGETS ran ${seconds}s each and found nothing"
        return 0
    fi
    echo "fuzz: FAIL: ${failed[*]} found a crash, hang or OOM (reproducer above)"
    return 1
}

main() {
    case "${1:-}" in
    smoke)
        fuzz_all "${SMOKE_SECONDS:-40}"
        ;;
    long)
        seconds="${2:-600}"
        case "$seconds" in '' | *[!0-9]*) usage ;; esac
        fuzz_all "$seconds"
        ;;
    build)
        build
        ;;
    repro)
        [ $# -eq 3 ] || usage
        ensure_cargo_fuzz
        (cd "$FUZZ_DIR" && cargo fuzz run --sanitizer "$SANITIZER" --debug-assertions "$2" "$(cd "$(dirname "$3")" && pwd)/$(basename "$3")")
        ;;
    *)
        usage
        ;;
    esac
}

# One line, so that a run is not confused by the file being edited under it.
main "$@"; exit "$?"
