#!/usr/bin/env bash
# Installs the real clients the explain-error suite drives, into target/explain/ (gitignored).
# Idempotent: a second run only checks versions (a few seconds).
#   - PostgreSQL 15 server + psql (libpq 15): Debian postgresql-15 (/usr/lib/postgresql/15/bin)
#   - pgjdbc: Debian libpostgresql-jdbc-java (/usr/share/java/postgresql.jar) + a JDK
#     (openjdk-17-jdk-headless) to compile clients/Connect.java into target/explain/java
#   - Python venv target/explain/venv: psycopg 3 (psycopg-binary, bundles libpq 18),
#     psycopg2-binary, asyncpg
#   - node-postgres: `npm ci` of tests/explain/package-lock.json into target/explain/node
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/target/explain"
venv="$out/venv"
python="${PYTHON:-python3}"
# psycopg-binary 3.3.9 bundles libpq 18 (as tests/libpq/setup_oracle.sh pins)
pins=("psycopg[binary]==3.3.9" "psycopg-binary==3.3.9" "psycopg2-binary==2.9.12" "asyncpg==0.31.0")

say() { printf 'explain-setup: %s\n' "$*"; }
# shellcheck source=../../scripts/lib/suite.sh
. "$root/scripts/lib/suite.sh"
mkdir -p "$out"

apt_missing=()
[[ -x /usr/lib/postgresql/15/bin/postgres && -x /usr/lib/postgresql/15/bin/psql ]] ||
  apt_missing+=(postgresql-15 postgresql-client-15)
command -v javac >/dev/null 2>&1 || apt_missing+=(openjdk-17-jdk-headless)
[[ -f /usr/share/java/postgresql.jar ]] || apt_missing+=(libpostgresql-jdbc-java)
command -v openssl >/dev/null 2>&1 || apt_missing+=(openssl)
command -v npm >/dev/null 2>&1 || apt_missing+=(nodejs npm)
if ((${#apt_missing[@]})); then
  apt_install_missing "${apt_missing[@]}"
else
  say "apt packages present (postgresql-15, JDK, libpostgresql-jdbc-java, openssl, npm)"
fi

# Python clients
pinned_venv "$venv" "$python" psycopg,psycopg_binary,psycopg2,asyncpg "${pins[@]}"

# node-postgres, exactly as locked
node_dir="$out/node"
mkdir -p "$node_dir"
if ! cmp -s "$here/package-lock.json" "$node_dir/package-lock.json" ||
   [[ ! -f $node_dir/node_modules/pg/package.json ]]; then
  say "npm ci (node-postgres) into $node_dir"
  cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
else
  say "node-postgres present ($(node -p "require('$node_dir/node_modules/pg/package.json').version"))"
fi

# pgjdbc driver program
java_dir="$out/java"
if [[ ! -f $java_dir/Connect.class || $here/clients/Connect.java -nt $java_dir/Connect.class ]]; then
  say "javac Connect.java"
  mkdir -p "$java_dir"
  javac -d "$java_dir" -cp /usr/share/java/postgresql.jar "$here/clients/Connect.java"
fi

say "$(/usr/lib/postgresql/15/bin/postgres --version); $(/usr/lib/postgresql/15/bin/psql --version)"
say "pgjdbc $(java -cp "$java_dir:/usr/share/java/postgresql.jar" Connect --version)"
say "node $(node --version), pg $(node -p "require('$node_dir/node_modules/pg/package.json').version")"
"$venv/bin/python" -c 'import psycopg, psycopg2, asyncpg, sys; print("explain-setup: python", sys.version.split()[0], "psycopg", psycopg.__version__, "(libpq", str(psycopg.pq.version()) + ")", "psycopg2", psycopg2.__version__.split()[0], "(libpq", str(psycopg2.extensions.libpq_version()) + ")", "asyncpg", asyncpg.__version__)'
