#!/usr/bin/env bash
# Where the page's WebAssembly bytes go (a report, not a test): builds the page's module like
# `make build` does but keeps the function names through wasm-bindgen and wasm-opt, then groups
# the code by crate and module with scripts/size-breakdown.py.
#   scripts/size-breakdown.sh [--top N]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
scripts/install-tools.sh serve >/dev/null
out=target/size-breakdown
# The same wasm-opt features as index.html's data-wasm-opt-params.
features=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)
CARGO_PROFILE_RELEASE_STRIP=false CARGO_TARGET_DIR=target/size-breakdown/cargo \
    cargo build --quiet --release --target wasm32-unknown-unknown -p pg-preflight-web
wasm-bindgen --target web --out-dir "$out" \
    target/size-breakdown/cargo/wasm32-unknown-unknown/release/pg_preflight_web.wasm
# shellcheck disable=SC2086
wasm-opt -Oz $features --debuginfo "$out/pg_preflight_web_bg.wasm" -o "$out/named.wasm"
# shellcheck disable=SC2086
wasm-opt $features --strip-debug "$out/named.wasm" -o "$out/stripped.wasm"
echo "module without names: $(stat -c %s "$out/stripped.wasm") bytes, gzip -9: $(gzip -9c "$out/stripped.wasm" | wc -c) bytes"
python3 scripts/size-breakdown.py "$out/named.wasm" "$@"
