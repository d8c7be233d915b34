# The two commands of the README:
#   make serve   build the page and serve it on http://127.0.0.1:$(PORT) (PORT defaults to 8080)
#   make test    run every test (fmt, clippy, native tests, headless-Chromium tests, extra suites)
# Both install missing tools first (scripts/install-tools.sh); with everything present that
# costs a few version checks.

SHELL := /bin/bash
PORT ?= 8080

# Tools built by install-tools.sh: cargo's bin dir, and wasm-opt from npm's `binaryen`.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: serve test tools build

serve:
	scripts/install-tools.sh serve
	trunk serve --release --offline --port $(PORT)

# The page in dist/ without serving it.
build:
	scripts/install-tools.sh serve
	trunk build --release --offline

test:
	scripts/install-tools.sh test
	scripts/test-all.sh

tools:
	scripts/install-tools.sh all
