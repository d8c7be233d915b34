#!/usr/bin/env python3
"""Checks the keyword table in crates/core/src/conninfo/keywords.rs against real libpq 18.

  keywords.py LIBPQ_KEYWORDS.json   (the output of `oracle.py keywords`)

The names must be libpq's, in libpq's order (`PQconninfoOptions`), and every keyword libpq
displays as a password field (dispchar `*`) must be marked secret. Prints the differences and
`keywords: N passed, N failed`.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEYWORDS_RS = os.path.join(HERE, "..", "..", "crates", "core", "src", "conninfo", "keywords.rs")


def ours():
    with open(KEYWORDS_RS, encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("pub const KEYWORDS"):]
    table = table[: table.index("];")]
    return [(name, kind == "secret") for kind, name in re.findall(r'\b(kw|secret)\("([^"]+)"\)', table)]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        libpq = json.load(f)
    theirs = [k["keyword"] for k in libpq]
    mine = ours()
    names = [name for name, _ in mine]
    problems = []
    missing = [k for k in theirs if k not in names]
    extra = [k for k in names if k not in theirs]
    if missing:
        problems.append(f"keywords.rs lacks libpq keywords: {missing}")
    if extra:
        problems.append(f"keywords.rs has keywords libpq does not know: {extra}")
    if not missing and not extra and names != theirs:
        problems.append(f"keywords.rs order differs from libpq's:\n  libpq {theirs}\n  ours  {names}")
    secret = {name for name, s in mine if s}
    unmarked = [k["keyword"] for k in libpq if k["dispchar"] == "*" and k["keyword"] not in secret]
    if unmarked:
        problems.append(f"libpq hides these values (dispchar '*') but keywords.rs does not mark them secret: {unmarked}")
    for p in problems:
        print(f"DISAGREE {p}")
    print(f"keywords: {len(theirs)} libpq keywords, {len(names)} in keywords.rs", file=sys.stderr)
    print(f"keywords: {0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
