# The two commands of the README:
#   make serve   build the page and serve it on http://127.0.0.1:$(PORT) (PORT defaults to 8080)
#   make test    run every test (fmt, clippy, native tests, headless-Chromium tests, extra suites)
# Both install missing tools first (scripts/install-tools.sh); with everything present that
# costs a few version checks.
#
# Also: `make build` (the page into dist/ without serving it), `make pkg` (the embeddable
# ES module + <pg-preflight> element into pkg/), `make tools` (install everything).

SHELL := /bin/bash
PORT ?= 8080

# Tools built by install-tools.sh: cargo's bin dir, and wasm-opt from npm's `binaryen`.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: serve build pkg test tools bench

# Served as a static host serves it: the built files with their brotli and gzip copies
# (scripts/static-server.mjs). For rebuild-on-save while developing: trunk serve --release.
serve: build
	node scripts/static-server.mjs dist $(PORT)

# trunk runs cargo with --offline (so it never downloads a tool), hence the `cargo fetch`
# first: a no-op once the crates are in cargo's cache. Its post-build hook renders the page's
# HTML and writes the precompressed copies (scripts/post-build.sh).
build:
	scripts/install-tools.sh serve
	cargo fetch --quiet
	trunk build --release --offline

# wasm-pack's bundle, named like trunk's output so www/pg-preflight-element.js works in both.
pkg:
	scripts/install-tools.sh pkg
	cargo fetch --quiet
	wasm-pack build --release --target web --out-dir pkg --out-name pg-preflight-web . -- -p pg-preflight-web
	scripts/build-deferred.sh pkg
	node scripts/finish-pkg.mjs pkg

test:
	scripts/install-tools.sh test
	scripts/test-all.sh

tools:
	scripts/install-tools.sh all

# A report, not a test: page and package sizes, time to interactive, check timings
# (scripts/bench-page.mjs; --check-budgets makes it fail on a missed budget).
bench:
	scripts/install-tools.sh bench
	node scripts/bench-page.mjs --build
