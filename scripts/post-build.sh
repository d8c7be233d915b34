#!/usr/bin/env bash
# trunk's post-build hook (Trunk.toml): works on the staged page in $TRUNK_STAGING_DIR before
# trunk moves it to dist/. The prerender is native code, built like the rest of the workspace
# (--offline: trunk's own cargo runs are offline too, after `cargo fetch`).
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk as its post_build hook}"
cargo run --quiet --offline --features ssr --bin prerender -- "$TRUNK_STAGING_DIR/index.html"
# The <pg-preflight> element's first renders (www/pg-preflight-element.js imports them).
cargo run --quiet --offline --features ssr --bin prerender -- --embed-shells \
    "$TRUNK_STAGING_DIR/pg-preflight-shells.js"
node scripts/style-module.mjs "$TRUNK_STAGING_DIR/pg-preflight-style.js"
# The second WebAssembly module, beside the first (certificates, chains, role scripts).
scripts/build-deferred.sh "$TRUNK_STAGING_DIR"
node scripts/precompress.mjs "$TRUNK_STAGING_DIR"
