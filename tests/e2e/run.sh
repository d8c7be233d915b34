#!/usr/bin/env bash
# End-to-end tests of the page: builds it the way `make build` does and serves it the way
# `make serve` does (scripts/static-server.mjs with the brotli and gzip copies the build wrote),
# then runs tests/e2e/run.mjs (playwright-core driving Debian's /usr/bin/chromium) against it.
#
#   tests/e2e/run.sh                 # trunk build --release --offline, then serve and test
#   E2E_DIST=dist tests/e2e/run.sh   # test an already built dist/
#   tests/e2e/run.sh --only embed    # extra arguments go to run.mjs
#
# The "served page" test fetches the HTML and fails if an inline script or a live-reload
# client ever appears, which would also break under the page's CSP. Needs trunk, the wasm
# tools and node_modules (scripts/install-tools.sh serve) and Debian's chromium.
# The last line is run.mjs's "e2e: N passed, N failed"; the exit status is 1 on any failure.
set -euo pipefail

cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [[ ! -d node_modules/playwright-core ]]; then
    echo "e2e: node_modules/playwright-core missing: run 'npm ci' (scripts/install-tools.sh serve)" >&2
    echo "e2e: 0 passed, 1 failed"
    exit 1
fi

mkdir -p test-output/e2e

if [[ -z ${E2E_DIST:-} ]]; then
    log=test-output/e2e/trunk-build.log
    # trunk runs cargo with --offline; fetch first, as `make build` does (a no-op when cached).
    cargo fetch --quiet
    echo "e2e: building the page (log: $log)"
    if ! trunk build --release --offline >"$log" 2>&1; then
        echo "e2e: the page does not build; trunk's log:" >&2
        grep -E -A12 '^error|ERROR' "$log" | head -60 >&2
        echo "e2e: 0 passed, 1 failed"
        exit 1
    fi
fi

exec node tests/e2e/run.mjs --dist "${E2E_DIST:-dist}" "$@"
