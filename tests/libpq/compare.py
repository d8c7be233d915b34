#!/usr/bin/env python3
"""Compares pg-preflight with libpq 18 on the oracle's expectations (see oracle.py).

  compare.py EXPECTED.jsonl --cli target/debug/pg-preflight [--driver libpq] [--jobs N] [--label NAME]
  compare.py EXPECTED.jsonl --batch 'COMMAND'   (COMMAND reads one JSON string per line on
                                                 stdin and writes one analysis per line)

For every string, pg-preflight (`conninfo --driver libpq --json`) must agree with libpq on
  valid      PQconninfoParse accepted the string;
  params     the exact keyword -> value dict PQconninfoParse returned (null when invalid),
             secrets shown as `********` (see params_agree);
  message    when libpq rejects the string, an error diagnostic's detail contains libpq's
             message (our details may show a secret libpq echoes as `********`);
  check      when libpq was asked to connect (local targets only), it refused on a value check
             exactly when we report a value-check error, and libpq's first value-check message
             is contained in the detail of one of our value-check errors, none of which comes
             from a check libpq makes earlier (libpq stops at its first failing option).
Prints each disagreement with its input, then `N passed, N failed`; exits 1 on any.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OPTIONS_RS = os.path.join(ROOT, "crates", "core", "src", "conninfo", "options.rs")
KEYWORDS_RS = os.path.join(ROOT, "crates", "core", "src", "conninfo", "keywords.rs")
REDACTED = "********"


def value_check_codes():
    """The codes of the rules in options.rs: the checks libpq makes when connecting."""
    with open(OPTIONS_RS, encoding="utf-8") as f:
        text = f.read()
    codes = set(re.findall(r'rule!\(\s*RULE_\w+\s*,\s*"(PGP-[A-Z0-9]+-\d+)"', text))
    if not codes:
        sys.exit(f"compare: found no rule codes in {OPTIONS_RS}")
    return codes


# Checks libpq makes per host inside PQconnectPoll: not reached when libpq stopped early.
PER_HOST_CODES = {
    "PGP-HOST-003",
    "PGP-HOST-004",
    "PGP-HOST-005",
    "PGP-HOST-006",
    "PGP-PARAM-011",
    "PGP-PARAM-012",
}

# The order of pqConnectOptions2's checks (libpq stops at the first failure), by our codes;
# the per-host checks of PQconnectPoll come after all of them.
OPTION_ORDER = [
    "PGP-HOST-001",  # host / hostaddr list lengths
    "PGP-HOST-002",  # port list length
    "PGP-AUTH-001",  # require_auth
    "PGP-AUTH-002",  # channel_binding
    "PGP-SSL-001",  # sslmode
    "PGP-SSL-002",  # sslnegotiation
    "PGP-SSL-003",  # sslnegotiation=direct with a weak sslmode
    "PGP-SSL-004",  # sslrootcert=system with a weak sslmode
    "PGP-SSL-006",  # ssl_min/max_protocol_version values
    "PGP-SSL-007",  # their range
    "PGP-SSL-005",  # sslcertmode
    "PGP-PARAM-007",  # gssencmode
    "PGP-PARAM-008",  # target_session_attrs
    "PGP-AUTH-003",  # scram_client_key, scram_server_key
    "PGP-PARAM-009",  # load_balance_hosts
    "PGP-PARAM-010",  # min/max_protocol_version
]


def stage(code):
    return OPTION_ORDER.index(code) if code in OPTION_ORDER else len(OPTION_ORDER)


def secret_keywords():
    """The keywords keywords.rs marks secret (`secret("…")`), whose values `conninfo --json`
    prints as `********`: libpq hides the same ones (dispchar `*`; keywords.py checks the two
    lists agree)."""
    with open(KEYWORDS_RS, encoding="utf-8") as f:
        return set(re.findall(r'\bsecret\("([^"]+)"\)', f.read()))


SECRET_KEYWORDS = None


def params_agree(libpq, ours):
    """Whether our params are libpq's, a secret keyword's non-empty value shown as `********`
    and a secret written inside another value masked there (`options=-c password=…`), where
    each `********` stands for any non-empty text. The values of secret keywords are then not
    compared: their decoding is the same code as every other value's, which is."""
    global SECRET_KEYWORDS
    if SECRET_KEYWORDS is None:
        SECRET_KEYWORDS = secret_keywords()
    if ours is None or set(ours) != set(libpq):
        return False
    for key, value in libpq.items():
        shown = ours[key]
        if key in SECRET_KEYWORDS and value:
            if shown != REDACTED:
                return False
        elif shown != value and not (REDACTED in shown and contains_modulo_redaction(shown, value)
                                      and full_match_modulo_redaction(shown, value)):
            return False
    return True


def full_match_modulo_redaction(shown, value):
    """Whether `value` is all of `shown` with each `********` standing for non-empty text."""
    pattern = ".+".join(re.escape(part) for part in shown.split(REDACTED))
    return re.fullmatch(pattern, value, re.DOTALL) is not None


def contains_modulo_redaction(detail, message):
    """Whether `message` occurs in `detail`, where each `********` in `detail` may stand for
    any non-empty text (a secret libpq echoed and we redacted)."""
    if message in detail:
        return True
    if REDACTED not in detail:
        return False
    tokens = []
    rest = detail
    while rest:
        if rest.startswith(REDACTED):
            tokens.append(None)
            rest = rest[len(REDACTED):]
        else:
            tokens.append(rest[0])
            rest = rest[1:]
    states = set(range(len(tokens)))
    for ch in message:
        following = set()
        for j in states:
            if j >= len(tokens):
                continue
            if tokens[j] is None:
                following.add(j)
                following.add(j + 1)
            elif tokens[j] == ch:
                following.add(j + 1)
        states = following
        if not states:
            return False
    return True


def run_cli(cli, text, driver):
    args = [cli, "conninfo", "--json"] + (["--driver", driver] if driver else []) + ["--", text]
    proc = subprocess.run(args, capture_output=True)
    if proc.returncode not in (0, 1):
        return {"error": f"exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}"}
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        return {"error": f"bad JSON ({e}): {proc.stdout[:200]!r}"}


def run_all_cli(cli, inputs, jobs, driver):
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda t: run_cli(cli, t, driver), inputs))


def run_all_batch(command, inputs):
    payload = "".join(json.dumps(t) + "\n" for t in inputs)
    proc = subprocess.run(command, shell=True, input=payload.encode(), capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"compare: batch command failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    lines = proc.stdout.decode().splitlines()
    if len(lines) != len(inputs):
        sys.exit(f"compare: batch command gave {len(lines)} answers for {len(inputs)} inputs")
    return [json.loads(line) for line in lines]


def errors_of(actual, codes=None):
    return [
        d for d in actual.get("diagnostics", [])
        if d.get("severity") == "error" and (codes is None or d.get("code") in codes)
    ]


def compare_one(expected, actual, codes):
    """The list of disagreements for one string (empty when we agree)."""
    if "error" in actual:
        return [f"pg-preflight failed: {actual['error']}"]
    problems = []
    parsed = expected["parse"]
    if actual.get("dialect") not in (None, "libpq"):
        problems.append(f"dialect is {actual.get('dialect')!r}, expected libpq")
    if actual.get("valid") != parsed["ok"]:
        problems.append(
            f"valid: libpq {parsed['ok']}, ours {actual.get('valid')}"
            + (f" (libpq: {parsed['error']!r})" if not parsed["ok"] else "")
        )
        ours = [d["detail"] for d in errors_of(actual)]
        if ours:
            problems.append(f"  our errors: {ours}")
        return problems
    if parsed["ok"]:
        if not params_agree(parsed["params"], actual.get("params")):
            problems.append(f"params: libpq {parsed['params']!r}\n           ours  {actual.get('params')!r}")
    else:
        if actual.get("params") is not None:
            problems.append(f"params should be null for an invalid string, got {actual.get('params')!r}")
        message = parsed["error"]
        details = [d["detail"] for d in errors_of(actual)]
        if not any(contains_modulo_redaction(d, message) for d in details):
            problems.append(f"message: libpq {message!r}\n           ours  {details!r}")
    check = expected.get("check")
    if parsed["ok"] and check and check["status"] in ("accept", "reject"):
        if check.get("unclassified"):
            problems.append(f"oracle: unclassified libpq message(s) {check['unclassified']!r}")
        ours = errors_of(actual, codes)
        if check["status"] == "accept" and check.get("stoppedEarly"):
            ours = [d for d in ours if d.get("code") not in PER_HOST_CODES]
        ours_reject = bool(ours)
        libpq_reject = check["status"] == "reject"
        if ours_reject != libpq_reject:
            problems.append(
                f"value check: libpq {check['status']}"
                + (f" ({check['first']!r})" if libpq_reject else "")
                + f", ours {'reject' if ours_reject else 'accept'}"
                + (f" ({[d['detail'] for d in ours]!r})" if ours else "")
            )
        elif libpq_reject:
            first = check["first"]
            matching = [d for d in ours if contains_modulo_redaction(d["detail"], first)]
            if not matching:
                problems.append(
                    f"value check message: libpq {first!r}\n           ours  {[d['detail'] for d in ours]!r}"
                )
            else:
                # libpq stops at its first failing option check: an error of ours from an
                # earlier check is one libpq would have reported instead.
                first_stage = min(stage(d["code"]) for d in matching)
                earlier = [d["detail"] for d in ours if stage(d["code"]) < first_stage]
                if earlier:
                    problems.append(
                        f"value check order: libpq's first is {first!r}, but ours has earlier {earlier!r}"
                    )
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("expected")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--cli")
    source.add_argument("--batch")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--driver", default="libpq",
                        help="passed as --driver (default libpq; '' to let pg-preflight detect the dialect)")
    parser.add_argument("--label", default="libpq")
    parser.add_argument("--show", type=int, default=50, help="disagreements to print in full")
    args = parser.parse_args()

    with open(args.expected, encoding="utf-8") as f:
        expected = [json.loads(line) for line in f if line.strip()]
    inputs = [e["input"] for e in expected]
    if args.cli:
        actual = run_all_cli(args.cli, inputs, args.jobs, args.driver)
    else:
        actual = run_all_batch(args.batch, inputs)
    codes = value_check_codes()

    passed = failed = 0
    checked = skipped = 0
    for exp, act in zip(expected, actual):
        problems = compare_one(exp, act, codes)
        check = exp.get("check") or {}
        if check.get("status") in ("accept", "reject"):
            checked += 1
        else:
            skipped += 1
        if problems:
            failed += 1
            if failed <= args.show:
                comment = f"  # {exp['comment']}" if exp.get("comment") else ""
                print(f"DISAGREE {exp['input']!r}{comment}")
                for p in problems:
                    print(f"  {p}")
        else:
            passed += 1
    if failed > args.show:
        print(f"... and {failed - args.show} more disagreements")
    print(f"{args.label}: {len(expected)} strings, value checks compared on {checked}, "
          f"parse only on {skipped}", file=sys.stderr)
    print(f"{args.label}: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
