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
# The first module's glue imports its snippet that loads the second (src/deferred.rs)
# statically: preload it with the glue, or the browser learns of it only when the glue has
# arrived, one more round trip before the page can start.
for snippet in "$TRUNK_STAGING_DIR"/snippets/*/www/deferred.js; do
    relative=${snippet#"$TRUNK_STAGING_DIR"/}
    sed -i "s|<link rel=\"modulepreload\" href=\"./pg-preflight-web.js\">|&<link rel=\"modulepreload\" href=\"./$relative\">|" \
        "$TRUNK_STAGING_DIR/index.html"
done
grep -q 'www/deferred.js">' "$TRUNK_STAGING_DIR/index.html" ||
    { echo "post-build: no modulepreload for the deferred-module snippet in index.html" >&2; exit 1; }
node scripts/precompress.mjs "$TRUNK_STAGING_DIR"
