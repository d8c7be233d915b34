#!/usr/bin/env bash
# psql client for tests/explain: `psql_client.sh DSN` runs Debian's psql 15 (libpq 15) with the
# DSN as given, never prompting for a password (-w), and prints CONNECTED or psql's stderr as is.
# `psql_client.sh --version` prints psql's version and the version of the libpq it loads.
psql="${EXPLAIN_PSQL:-/usr/lib/postgresql/15/bin/psql}"
if [[ ${1:-} == --version ]]; then
  lib="$(ldd "$psql" | awk '/libpq\.so/ {print $3}')"
  pkg="$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | cut -d: -f1)"
  libv="$(python3 -c 'import ctypes,sys; print(ctypes.CDLL(sys.argv[1]).PQlibVersion())' "$lib" 2>/dev/null)"
  echo "$("$psql" --version | sed 's/^psql (PostgreSQL) //') (libpq $libv, $pkg $(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null))"
  exit 0
fi
err="$("$psql" -X -w -q -d "$1" -c 'select 1' 2>&1 >/dev/null)"
status=$?
if ((status == 0)); then
  echo CONNECTED
else
  printf '%s\n' "$err"
  exit 1
fi
