#!/usr/bin/env bash
# The differential test against real libpq 18 (DESIGN.md §5, issue 2 §3).
#
#   tests/libpq/run.sh                 keywords + corpus + a bounded randomized run
#   LIBPQ_SEED=42 LIBPQ_RANDOM=50000 tests/libpq/run.sh     a bigger run, reproducibly
#   LIBPQ_SEED=random tests/libpq/run.sh                    a fresh seed (printed)
#   LIBPQ_CLI=path/to/pg-preflight tests/libpq/run.sh       test a given binary
#
# 1. sets up the oracle (tests/libpq/setup_oracle.sh: a venv with the psycopg-binary wheel,
#    whose bundled libpq 18 is loaded with ctypes), idempotently;
# 2. builds the CLI;
# 3. checks crates/core/src/conninfo/keywords.rs against libpq's PQconndefaults();
# 4. asks libpq about every string of tests/libpq/corpus.jsonl and of a seeded randomized set
#    (tests/libpq/generate.py) and compares with `pg-preflight conninfo --json` (compare.py);
# 5. feeds every message libpq wrote for a string it refused (those strings, and one of each
#    message in tests/libpq/explain-corpus.jsonl) to `pg-preflight explain-error` (explain.py).
# Each part ends with an "N passed, N failed" line; the exit status is 1 on any disagreement.
# Work files go to target/libpq-oracle/.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
work="$root/target/libpq-oracle"
mkdir -p "$work"

if ! "$here/setup_oracle.sh"; then
    echo "libpq: could not set up the libpq 18 oracle"
    echo "libpq: 0 passed, 1 failed"
    exit 1
fi
py="$work/venv/bin/python"

# shellcheck source=../../scripts/lib/suite.sh
. "$root/scripts/lib/suite.sh"
suite_cli libpq "${LIBPQ_CLI:-}" || exit 1

seed="${LIBPQ_SEED:-1}"
if [[ $seed == random ]]; then
    seed=$(( $(date +%s) % 1000000 ))
fi
count="${LIBPQ_RANDOM:-3000}"
status=0

"$py" "$here/oracle.py" keywords > "$work/keywords.json" || status=1
python3 "$here/keywords.py" "$work/keywords.json" || status=1

"$py" "$here/oracle.py" expect < "$here/corpus.jsonl" > "$work/corpus-expected.jsonl" || status=1
python3 "$here/compare.py" "$work/corpus-expected.jsonl" --cli "$cli" --label corpus || status=1

# The messages libpq wrote for the strings it refused, explained by explain-error (with and
# without the string): recognised, tied to the string's own finding, no secret shown.
# explain-corpus.jsonl holds one string for each message of the table (table.rs).
"$py" "$here/oracle.py" expect < "$here/explain-corpus.jsonl" > "$work/explain-expected.jsonl" || status=1
python3 "$here/compare.py" "$work/explain-expected.jsonl" --cli "$cli" --label explain-corpus || status=1

echo "random: seed $seed, $count strings (reproduce with LIBPQ_SEED=$seed LIBPQ_RANDOM=$count $0)"
python3 "$here/generate.py" --seed "$seed" --count "$count" > "$work/random.jsonl" || status=1
"$py" "$here/oracle.py" expect < "$work/random.jsonl" > "$work/random-expected.jsonl" || status=1
python3 "$here/compare.py" "$work/random-expected.jsonl" --cli "$cli" --label random || status=1
python3 "$here/explain.py" "$work/corpus-expected.jsonl" "$work/explain-expected.jsonl" \
    "$work/random-expected.jsonl" --cli "$cli" || status=1

exit "$status"
