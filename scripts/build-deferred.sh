#!/usr/bin/env bash
# Builds the page's second WebAssembly module (crates/deferred: certificates, chains, role
# scripts; ARCHITECTURE.md "Two modules") into OUT_DIR as pg-preflight-deferred.js and
# pg-preflight-deferred_bg.wasm, beside the first module's glue, where www/deferred.js (a
# snippet of the first module) imports it from. Called by trunk's post-build hook
# (scripts/post-build.sh) and by `make pkg`, so the page and the npm package ship the same one.
#   scripts/build-deferred.sh OUT_DIR
set -euo pipefail
out=${1:?usage: scripts/build-deferred.sh OUT_DIR}
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --quiet --offline --release --target wasm32-unknown-unknown -p pg-preflight-deferred
# Its own exports are the first module's business, not a public API: no .d.ts.
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name pg-preflight-deferred \
    "$target_dir/wasm32-unknown-unknown/release/pg_preflight_deferred.wasm"
# The same wasm-opt features as the first module (index.html's data-wasm-opt-params): the
# release profile's `strip = true` drops the section that would tell wasm-opt.
features=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)
# shellcheck disable=SC2086
wasm-opt -Oz $features "$out/pg-preflight-deferred_bg.wasm" -o "$out/pg-preflight-deferred_bg.wasm"
