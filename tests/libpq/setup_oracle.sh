#!/usr/bin/env bash
# Sets up the libpq 18 oracle: a venv under target/libpq-oracle/venv with the psycopg-binary
# wheel, whose bundled libpq (psycopg_binary.libs/libpq-*.so*) is the reference. Idempotent and
# quick when already done; rebuildable at any time (target/ is gitignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/target/libpq-oracle/venv"
# psycopg-binary 3.3.9 bundles libpq 18.x (PQlibVersion 1800xx); bump together with MIN_VERSION.
pin="psycopg-binary==3.3.9"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -m pip show psycopg-binary 2>/dev/null | grep -qx "Version: ${pin#*==}"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$pin"
fi
"$venv/bin/python" "$root/tests/libpq/oracle.py" version
