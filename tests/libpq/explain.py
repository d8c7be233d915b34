#!/usr/bin/env python3
"""explain-error on libpq 18's own rejections of a string, the message as the real library
wrote it (the oracle's expectations, see oracle.py).

  explain.py EXPECTED.jsonl... --cli target/debug/pg-preflight [--jobs N]

For every string libpq refused, by PQconninfoParse (its parse error) or while connecting (the
whole PQerrorMessage of a value check), `pg-preflight explain-error --json` is given that
message twice: alone, and with the string (`--dsn`, `--driver libpq`). Each time
  recognised  the first explanation is one of libpq's rows (its source names libpq) and a
              failure that says the string was refused (REJECTIONS);
  cause       its first cause is confirmed; with the string, by one of the string's own
              findings (its `codes`), so that the fix is that finding's fix;
  secrets     no secret of the string shows anywhere in the report: the values of libpq's
              secret keywords where the string parses, and the entry's own `secrets` (pieces
              of a password libpq quotes back, given in explain-corpus.jsonl).
Every message kind in KINDS must be met at least once, so that each table row is proven by the
real library. Prints each disagreement, then `explain: N passed, N failed`; exits 1 on any.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

# The failures that say libpq refused the string or a setting's value.
REJECTIONS = {
    "connection-string-unreadable",
    "setting-value-invalid",
    "unknown-option",
    "weak-sslmode-with-direct",
    "client-without-ssl",
}

# One message of each kind the table reads (crates/core/src/explain/table.rs); each must be met.
KINDS = [
    'missing "=" after "',
    "unterminated quoted string in connection info string",
    'invalid connection option "',
    'invalid percent-encoded token: "',
    "forbidden value %00 in percent-encoded value",
    'unexpected spaces found in "',
    'end of string reached when looking for matching "]"',
    "IPv6 host address may not be empty in URI",
    'unexpected character "',
    'extra key/value separator "=" in URI query parameter',
    'missing key/value separator "=" in URI query parameter',
    'invalid URI query parameter: "',
    'invalid integer value "',
    'invalid port number: "',
    'invalid sslmode value: "',
    'invalid "ssl_min_protocol_version" value: "',
    "invalid SSL protocol version range",
    "may not be used with sslrootcert=system",
    "port numbers to",
    "hostaddr values",
    'could not parse network address "',
    "may not be used with sslnegotiation=direct",
    'require_auth method "',
    "cannot be mixed with",
    "invalid SCRAM client key",
    '"min_protocol_version" is greater than "max_protocol_version"',
    'Unix-domain socket path "',
    "failed: Invalid argument",
    "GSSAPI encryption required but it is not supported over a local socket",
]

SECRET_KEYWORDS = ("password", "sslpassword", "oauth_client_secret", "scram_client_key", "scram_server_key")


def rejection(expected):
    """libpq's message for the string, or None when libpq took it."""
    parsed = expected["parse"]
    if not parsed["ok"]:
        return parsed["error"]
    check = expected.get("check") or {}
    if check.get("status") == "reject":
        return check.get("raw", check.get("first", "")).rstrip("\n")
    return None


def broken_over_lines(entry):
    """Whether libpq's own message (its parse error, or its first value-check message) holds a
    line break."""
    parsed = entry["parse"]
    first = parsed.get("error") if not parsed["ok"] else (entry.get("check") or {}).get("first", "")
    first = first or ""
    # The oracle cuts a value-check message at the line break: its quote is then left open.
    return "\n" in first or "\r" in first or first.count('"') % 2 == 1


def secrets_of(entry):
    """The secrets that must not show: the entry's own, and the values of secret keywords,
    except one the string also holds as another, shown value (`application_name='my app'
    password='my app'`), which no mask could hide (redact.rs, the same rule)."""
    found = list(entry.get("secrets", []))
    parsed = entry["parse"]
    if parsed["ok"]:
        params = parsed["params"]
        shown = {v for k, v in params.items() if k not in SECRET_KEYWORDS}
        found += [v for k, v in params.items() if k in SECRET_KEYWORDS and len(v) >= 4 and v not in shown]
    return found


def explain(cli, message, dsn):
    args = [cli, "explain-error", "--json"]
    if dsn is not None:
        args += ["--driver", "libpq", "--dsn", dsn]
    proc = subprocess.run(args, input=message.encode(), capture_output=True)
    if proc.returncode not in (0, 1):
        return None, f"exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}"
    return proc.stdout.decode(errors="replace"), None


def judge(cli, entry, message):
    problems = []
    for dsn in (None, entry["input"]):
        where = "with the string" if dsn is not None else "alone"
        out, error = explain(cli, message, dsn)
        if error:
            problems.append(f"{where}: pg-preflight failed: {error}")
            continue
        report = json.loads(out)
        explanations = report.get("explanations", [])
        if not explanations:
            problems.append(f"{where}: not recognised")
            continue
        # A string with several hosts fails on each: libpq's refusal may follow a connection
        # refused on an earlier host.
        rejected = [e for e in explanations if e.get("failure") in REJECTIONS]
        if not rejected:
            problems.append(f"{where}: read as {[e.get('failure') for e in explanations]}")
            continue
        first = rejected[0]
        if not first.get("source", "").startswith("libpq "):
            problems.append(f"{where}: read from {first.get('source')}")
        cause = (first.get("causes") or [{}])[0]
        if not cause.get("confirmed"):
            problems.append(f"{where}: first cause {cause.get('cause')} not confirmed")
        if dsn is not None and not cause.get("codes"):
            problems.append(f"{where}: first cause {cause.get('cause')} tied to no finding of the string")
        for secret in secrets_of(entry):
            if secret in out:
                problems.append(f"{where}: the secret `{secret}` shows in the report")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("expected", nargs="+")
    parser.add_argument("--cli", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--show", type=int, default=50)
    args = parser.parse_args()
    cases = []
    set_aside = 0
    for path in args.expected:
        with open(path, encoding="utf-8") as f:
            for line in f:
                entry = json.loads(line)
                message = rejection(entry)
                if not message or "\x00" in entry["input"]:
                    continue
                # explain reads a paste line by line: a message that a newline inside the
                # quoted value breaks over two lines (the random strings make them) is not
                # one line of text any more.
                if broken_over_lines(entry):
                    set_aside += 1
                    continue
                cases.append((entry, message))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda c: judge(args.cli, *c), cases))
    failed = 0
    for (entry, message), problems in zip(cases, results):
        if problems:
            failed += 1
            if failed <= args.show:
                print(f"FAIL {entry['input']!r}\n     libpq: {message!r}")
                for problem in problems:
                    print(f"     {problem}")
    messages = [m for _, m in cases]
    missing = [kind for kind in KINDS if not any(kind in m for m in messages)]
    for kind in missing:
        failed += 1
        print(f"FAIL no string made libpq write `{kind}`")
    print(f"explain: {len(cases)} rejections by libpq, {len(KINDS) - len(missing)} of {len(KINDS)} kinds met, "
          f"{set_aside} set aside (a line break inside the message)")
    print(f"explain: {len(cases) + len(missing) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
