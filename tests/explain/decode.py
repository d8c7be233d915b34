"""Feeds every captured client error (target/explain/captured.jsonl, from capture.py) to
`pg-preflight explain-error` with the same inputs the client had, and checks that the first
explanation names the configuration's true failure and cause.

    decode.py [--captured FILE] [--verbose]

EXPLAIN_CLI: the binary (default target/debug/pg-preflight). A case is decoded right when
explanations[0].failure == expect.failure and explanations[0].causes[0].cause == expect.cause.
Prints `ok - <client> <config>` / `not ok - <client> <config>: got ...`, per client
"decoded right: X of Y (Z%)" and the 95% target, and last "explain: N passed, N failed".
Exit 1 on any failure."""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "target", "explain")
TARGET = 0.95


def cli_problem(cli):
    """Why the CLI cannot be used at all (missing, no explain-error subcommand), else None."""
    if not os.path.exists(cli):
        return f"{cli} does not exist (cargo build --bin pg-preflight, or set EXPLAIN_CLI)"
    try:
        p = subprocess.run([cli, "explain-error", "--help"], capture_output=True, text=True,
                           timeout=30, stdin=subprocess.DEVNULL)
    except OSError as e:
        return f"{cli} cannot run: {e}"
    except subprocess.TimeoutExpired:
        return f"{cli} explain-error --help did not return within 30 s"
    if p.returncode != 0:
        text = (p.stderr or p.stdout).strip().splitlines()
        return f"`{os.path.basename(cli)} explain-error` is not available: " + \
            (text[0] if text else f"exit {p.returncode}")
    return None


def command(cli, rec, error_file):
    cmd = [cli, "explain-error", "--error", error_file, "--driver", rec["driver"],
           "--dsn", rec["dsn"]]
    files = rec.get("files") or {}
    for flag, key in (("--ca", "ca"), ("--cert", "cert"), ("--key", "key"),
                      ("--server-cert", "serverCert"), ("--client-ca", "clientCa")):
        # A file the client did not find is not one its user could paste: the message is
        # explained from the string alone, as it would be for them.
        if files.get(key) and os.path.exists(files[key]):
            cmd += [flag, files[key]]
    if rec.get("key_password_env"):
        cmd += ["--key-password-env", rec["key_password_env"]]
    return cmd + ["--json"]


def decode(cli, rec, work):
    """(right, what it got) for one captured error."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{rec['client']}--{rec['config']}")
    error_file = os.path.join(work, name + ".txt")
    with open(error_file, "w") as f:
        f.write(rec["message"])
    env = dict(os.environ)
    if rec.get("key_password_env") and rec.get("key_password") is not None:
        env[rec["key_password_env"]] = rec["key_password"]
    try:
        p = subprocess.run(command(cli, rec, error_file), capture_output=True, text=True,
                           timeout=60, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return False, "no answer within 60 s"
    try:
        out = json.loads(p.stdout)
    except ValueError:
        text = (p.stderr or p.stdout).strip().replace("\n", " ")
        return False, f"no JSON (exit {p.returncode}): {text[:300]}"
    exps = out.get("explanations") if isinstance(out, dict) else None
    if not exps:
        return False, "no explanation"
    first = exps[0]
    causes = first.get("causes") or []
    got_failure = first.get("failure")
    got_cause = causes[0].get("cause") if causes and isinstance(causes[0], dict) else None
    exp = rec["expect"] or {}
    right = got_failure == exp.get("failure") and got_cause == exp.get("cause")
    detail = f"failure {got_failure}, cause {got_cause}"
    if causes and isinstance(causes[0], dict) and "confirmed" in causes[0]:
        detail += f" (confirmed: {causes[0]['confirmed']})"
    return right, detail


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--captured", default=os.path.join(OUT, "captured.jsonl"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    cli = os.environ.get("EXPLAIN_CLI") or os.path.join(ROOT, "target", "debug", "pg-preflight")
    cli = os.path.abspath(cli)
    try:
        with open(args.captured) as f:
            records = [json.loads(line) for line in f if line.strip()]
    except OSError as e:
        print(f"explain: cannot read {args.captured}: {e}")
        print("explain: 0 passed, 1 failed")
        return 1
    cases = [r for r in records if r["outcome"] == "error"]
    work = os.path.join(OUT, "decode")
    os.makedirs(work, exist_ok=True)
    problem = cli_problem(cli)
    if problem:
        print(f"explain: {problem}; every case fails")

    per_client = {}
    passed = failed = 0
    for rec in cases:
        exp = rec["expect"] or {}
        if problem:
            right, got = False, problem
        else:
            right, got = decode(cli, rec, work)
        stats = per_client.setdefault(rec["client"], [0, 0])
        stats[1] += 1
        if right:
            stats[0] += 1
            passed += 1
            print(f"ok - {rec['client']} {rec['config']}")
        else:
            failed += 1
            print(f"not ok - {rec['client']} {rec['config']}: got {got}; expected failure "
                  f"{exp.get('failure')}, cause {exp.get('cause')}")
            if args.verbose:
                print("    message: " + rec["message"].replace("\n", "\n             "))

    print()
    for client, (right, total) in per_client.items():
        pct = 100.0 * right / total if total else 0.0
        print(f"{client}: decoded right: {right} of {total} ({pct:.1f}%)")
    for client, (right, total) in per_client.items():
        met = total and right / total >= TARGET
        print(f"{client}: target >= {TARGET:.0%} {'met' if met else 'NOT met'} "
              f"({right}/{total})")
    skipped = sum(r["outcome"] == "skipped" for r in records)
    connected = sum(r["outcome"] == "connected" for r in records)
    print(f"explain: not decoded: {connected} connected, {skipped} skipped (see captured.jsonl)")
    print(f"explain: {passed} passed, {failed} failed")
    return 1 if failed or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
