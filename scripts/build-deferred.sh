#!/usr/bin/env bash
# Builds the page's WebAssembly modules loaded when first needed (crates/deferred; ARCHITECTURE.md
# "Modules") into OUT_DIR, beside the first module's glue, where www/deferred.js (a snippet of
# the first module) imports them from:
# - pg-preflight-deferred.js and _bg.wasm (feature certs): certificates, chains, role scripts;
# - pg-preflight-explain.js and _bg.wasm (feature explain): explanations of pasted errors.
# Called by trunk's post-build hook (scripts/post-build.sh) and by `make pkg`, so the page and
# the npm package ship the same ones.
#   scripts/build-deferred.sh OUT_DIR
set -euo pipefail
out=${1:?usage: scripts/build-deferred.sh OUT_DIR}
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target_dir=${CARGO_TARGET_DIR:-target}
# The same wasm-opt features as the first module (index.html's data-wasm-opt-params): the
# release profile's `strip = true` drops the section that would tell wasm-opt.
features=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)

# build_module NAME CARGO_FEATURE_ARGS...: one build of the crate, bound and optimised as NAME.
# (Both builds write the same cargo artifact, so each is bound before the next starts.)
build_module() {
    local name=$1
    shift
    cargo build --quiet --offline --release --target wasm32-unknown-unknown -p pg-preflight-deferred "$@"
    # Its own exports are the first module's business, not a public API: no .d.ts.
    wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name "$name" \
        "$target_dir/wasm32-unknown-unknown/release/pg_preflight_deferred.wasm"
    # shellcheck disable=SC2086
    wasm-opt -Oz $features "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
}

build_module pg-preflight-deferred
build_module pg-preflight-explain --no-default-features --features explain
