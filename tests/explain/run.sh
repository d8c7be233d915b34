#!/usr/bin/env bash
# Issue 17: real client error messages, produced against a local PostgreSQL 15 in each failure
# configuration, then decoded by `pg-preflight explain-error`.
#
#   tests/explain/run.sh                  setup (idempotent), build, capture, decode
#   EXPLAIN_CLI=path tests/explain/run.sh skip the cargo build and use this binary
#   tests/explain/run.sh --only CONFIG,... --clients psql,pgjdbc,...   (passed to capture.py)
#   tests/explain/run.sh --update-golden  also rewrite tests/explain/captured/<client>.txt
#
# Environment: EXPLAIN_PORT (55515), EXPLAIN_CLI, CARGO_TARGET_DIR (where the build goes).
# The cluster runs on 127.0.0.1 only and is always stopped (capture.py's finally/atexit/signal
# handlers; this script's trap is the backstop). Last line: "explain: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
started=$SECONDS

if ! tests/explain/setup_clients.sh; then
  echo "explain: setup failed (see above)"
  echo "explain: 0 passed, 1 failed"
  exit 1
fi
setup_took=$((SECONDS - started))

# shellcheck source=../../scripts/lib/suite.sh
. scripts/lib/suite.sh
suite_cli explain "${EXPLAIN_CLI:-}" || exit 1
export EXPLAIN_CLI="$cli"
build_took=$((SECONDS - started - setup_took))

# backstop: stop a cluster a killed capture.py left behind (only this suite's, by its pid file)
cleanup() {
  local base pid
  base="$(cat target/explain/run/server-dir 2>/dev/null)" || return 0
  pid="$base/pg15/data/postmaster.pid"
  [[ -n $base && -f $pid ]] && kill -QUIT "$(head -1 "$pid")" 2>/dev/null
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

capture_started=$SECONDS
if ! target/explain/venv/bin/python -u tests/explain/capture.py "$@"; then
  echo "explain: capture failed (see above)"
  echo "explain: 0 passed, 1 failed"
  exit 1
fi
capture_took=$((SECONDS - capture_started))

decode_started=$SECONDS
target/explain/venv/bin/python -u tests/explain/decode.py > target/explain/decode.log 2>&1
status=$?
last="$(tail -n 1 target/explain/decode.log)"
if [[ $last =~ ^explain:\ [0-9]+\ passed,\ [0-9]+\ failed$ ]]; then
  sed '$d' target/explain/decode.log
else
  cat target/explain/decode.log
  last="explain: 0 passed, 1 failed"
  status=1
fi
echo "explain: took $((SECONDS - started))s (setup ${setup_took}s, build ${build_took}s, capture ${capture_took}s, decode $((SECONDS - decode_started))s)"
echo "$last"
exit $status
