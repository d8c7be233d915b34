#!/usr/bin/env bash
# Sets up pyca cryptography + cryptography-vectors in a venv under target/ (rebuildable), runs
# the signature arithmetic against the NIST CAVP vectors in that package (crates/crypto, which
# must find them here), then tests/pki/cryptography-vectors.py against the debug CLI.
# Last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/pyca-venv
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import cryptography, cryptography_vectors' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check cryptography cryptography-vectors
fi
vectors=$("$venv/bin/python" -c 'import cryptography_vectors, os; print(os.path.dirname(cryptography_vectors.__file__))')
CRYPTOGRAPHY_VECTORS=$vectors cargo test --quiet -p pg-preflight-crypto oracle_tests >&2
cargo build --quiet --bin pg-preflight
exec "$venv/bin/python" tests/pki/cryptography-vectors.py --cli target/debug/pg-preflight "$@"
