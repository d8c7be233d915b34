#!/usr/bin/env bash
# End-to-end tests of the page: serves it the way the README's `make serve` does and runs
# tests/e2e/run.mjs (playwright-core driving Debian's /usr/bin/chromium) against it.
#
#   tests/e2e/run.sh                 # trunk serve --release --offline on a free port, then test
#   E2E_DIST=dist tests/e2e/run.sh   # test an already built dist/ with a static server instead
#   tests/e2e/run.sh --only embed    # extra arguments go to run.mjs
#
# Why `trunk serve` itself rather than `trunk build` + a static server: the tests must see what
# people get from `make serve`. Trunk.toml sets `no_autoreload` and `disable_csp`, so trunk
# serve injects nothing into index.html (no live-reload <script>, no websocket, no CSP header
# of its own); the "served page" test fetches the HTML and fails if an inline script or a
# live-reload client ever appears, which would also break under the page's CSP.
#
# trunk watches the project while serving; test-output/ (screenshots) is ignored so writing
# them does not trigger a rebuild in the middle of the run. Needs trunk, the wasm tools and
# node_modules (scripts/install-tools.sh serve) and Debian's chromium.
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

if [[ -n ${E2E_DIST:-} ]]; then
    exec node tests/e2e/run.mjs --dist "$E2E_DIST" "$@"
fi

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
log=test-output/e2e/trunk-serve.log
url="http://127.0.0.1:$port/"

# trunk runs cargo with --offline; fetch first, as `make serve` does (a no-op when cached).
cargo fetch --quiet

# Its own process group, so the cleanup stops trunk and the cargo/wasm-bindgen it spawned,
# and nothing else.
setsid trunk serve --release --offline --address 127.0.0.1 --port "$port" \
    --ignore test-output >"$log" 2>&1 &
trunk_pid=$!
cleanup() {
    kill -TERM -- "-$trunk_pid" 2>/dev/null || true
    wait "$trunk_pid" 2>/dev/null || true
}
trap cleanup EXIT

# The first build takes a minute or more on two cores; serving starts when it is done.
echo "e2e: waiting for trunk serve on $url (log: $log)"
deadline=$((SECONDS + ${E2E_BUILD_TIMEOUT:-1200}))
until curl -sf -o /dev/null "${url}pg-preflight-web_bg.wasm" &&
    curl -sf "$url" | grep -q 'boot.js'; do
    if ! kill -0 "$trunk_pid" 2>/dev/null; then
        echo "e2e: trunk serve exited; its log:" >&2
        tail -40 "$log" >&2
        echo "e2e: 0 passed, 1 failed"
        exit 1
    fi
    # trunk serve keeps running after a failed build: stop at the first build error.
    if grep -qE '^error(\[E[0-9]+\])?:|ERROR .*(build|failed)' "$log"; then
        echo "e2e: the page does not build; trunk's log:" >&2
        grep -E -A12 '^error' "$log" | head -60 >&2
        echo "e2e: 0 passed, 1 failed"
        exit 1
    fi
    if ((SECONDS > deadline)); then
        echo "e2e: trunk serve did not come up in time; its log:" >&2
        tail -40 "$log" >&2
        echo "e2e: 0 passed, 1 failed"
        exit 1
    fi
    sleep 2
done

status=0
node tests/e2e/run.mjs --base-url "$url" "$@" || status=$?
exit "$status"
