#!/usr/bin/env python3
"""A deliberately small, independent role-script generator with the `pg-preflight grants --json`
interface, used only to check the harness itself (its expectations, not the product):

  GRANTS_CLI=tests/grants/refgen.py tests/grants/run.sh

It writes plain GRANT statements with psycopg's identifier quoting, a plaintext PASSWORD (the
server hashes it), and hba lines with "" doubling. It is not the product and does not need its
diagnostics; it exits 1 on the harness's rejected specs with a generic error."""
import json
import sys

KNOWN = {"dialect", "serverVersion", "database", "role", "access", "schemas", "tables", "columns",
         "ownerRole", "auth", "password", "connectionLimit", "statementTimeout", "validUntil",
         "clientCidrs", "revokePublicDatabase", "revokeFunctionExecute"}


def pq(name):
    return '"' + name.replace('"', '""') + '"'


def pl(text):
    return "'" + text.replace("'", "''") + "'"


def mq(name):
    return "`" + name.replace("`", "``") + "`"


def ml(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def split_ref(text, default):
    parts, cur, i, quoted = [], "", 0, False
    if "." not in text and not text.startswith('"'):
        return default, text
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1:i + 2] == '"':
                cur += '"'
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cur += ch
        elif ch == '"':
            quoted = True
        elif ch == "." and not parts:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    parts.append(cur)
    return (parts[0], parts[1]) if len(parts) == 2 else (default, parts[0])


def fail(msg):
    print(json.dumps({"ok": False, "sql": None, "diagnostics": [
        {"code": "REF", "severity": "error", "title": msg, "detail": msg}]}))
    sys.exit(1)


def names(spec):
    yield spec["role"]
    yield spec["database"]
    yield from spec.get("schemas", [])
    yield from spec.get("tables", [])
    for t, cols in spec.get("columns", {}).items():
        yield t
        yield from cols


def pg(spec):
    role, db = spec["role"], spec["database"]
    group = (role.encode()[:57].decode(errors="ignore")) + "_group"
    ro = spec.get("access", "read-only") == "read-only"
    auth = spec.get("auth", "scram")
    privs = "SELECT" if ro else "SELECT, INSERT, UPDATE, DELETE"
    # A login role an earlier run left (the harness's ro-columns case makes one) is replaced.
    out = [f"DROP ROLE IF EXISTS {pq(role)};", f"CREATE ROLE {pq(group)} NOLOGIN;",
           f"CREATE ROLE {pq(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
           f"NOBYPASSRLS CONNECTION LIMIT {spec.get('connectionLimit', 5) or -1} IN ROLE {pq(group)}"
           + (f" PASSWORD {pl(spec['password'])}" if auth != "cert" else "") + ";",
           f"GRANT CONNECT ON DATABASE {pq(db)} TO {pq(group)};"]
    if spec.get("revokePublicDatabase"):
        out.append(f"REVOKE ALL ON DATABASE {pq(db)} FROM PUBLIC;")
    if ro:
        out.append(f"ALTER ROLE {pq(role)} SET default_transaction_read_only = on;")
    if spec.get("statementTimeout") is not None:
        out.append(f"ALTER ROLE {pq(role)} SET statement_timeout = {pl(spec['statementTimeout'])};")
    schemas = list(spec.get("schemas", []))
    tables = [split_ref(t, "public") for t in spec.get("tables", [])]
    cols = {split_ref(t, "public"): c for t, c in spec.get("columns", {}).items()}
    if not (schemas or tables or cols):
        schemas = ["public"]
    owner = spec.get("ownerRole")
    for s in schemas:
        out.append(f"GRANT USAGE ON SCHEMA {pq(s)} TO {pq(group)};")
        out.append(f"GRANT {privs} ON ALL TABLES IN SCHEMA {pq(s)} TO {pq(group)};")
        if not ro:
            out.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {pq(s)} TO {pq(group)};")
        if owner:
            out.append(f"ALTER DEFAULT PRIVILEGES FOR ROLE {pq(owner)} IN SCHEMA {pq(s)} GRANT "
                       f"{privs} ON TABLES TO {pq(group)};")
            if not ro:
                out.append(f"ALTER DEFAULT PRIVILEGES FOR ROLE {pq(owner)} IN SCHEMA {pq(s)} "
                           f"GRANT USAGE ON SEQUENCES TO {pq(group)};")
        if spec.get("revokeFunctionExecute"):
            out.append(f"REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA {pq(s)} FROM PUBLIC;")
    for s, t in tables:
        out.append(f"GRANT USAGE ON SCHEMA {pq(s)} TO {pq(group)};")
        out.append(f"GRANT {privs} ON {pq(s)}.{pq(t)} TO {pq(group)};")
        if spec.get("revokeFunctionExecute"):
            out.append(f"REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA {pq(s)} FROM PUBLIC;")
    for (s, t), c in cols.items():
        cl = ", ".join(map(pq, c))
        out.append(f"GRANT USAGE ON SCHEMA {pq(s)} TO {pq(group)};")
        out.append(f"GRANT SELECT ({cl}) ON {pq(s)}.{pq(t)} TO {pq(group)};")
    method = {"scram": "scram-sha-256", "cert": "cert",
              "scram+cert": "scram-sha-256 clientcert=verify-full"}[auth]
    hba = []
    for cidr in spec.get("clientCidrs", ["0.0.0.0/0"]):
        hba.append(f"hostssl {pq(db)} {pq(role)} {cidr} {method}")
        hba.append(f"hostnossl {pq(db)} {pq(role)} {cidr} reject")
    teardown = [f"REASSIGN OWNED BY {pq(role)}, {pq(group)} TO postgres;",
                f"DROP OWNED BY {pq(role)}, {pq(group)};", f"DROP ROLE {pq(role)};",
                f"DROP ROLE {pq(group)};"]
    return {"ok": True, "sql": "\n".join(out) + "\n", "hba": "\n".join(hba) + "\n",
            "serverConf": None, "verify": "SELECT current_user;\nSELECT * FROM pg_stat_ssl WHERE "
            "pid = pg_backend_pid();\n", "rotate": None, "teardown": "\n".join(teardown) + "\n",
            "roles": {"login": role, "group": group}, "password": spec.get("password"),
            "notes": [], "diagnostics": []}


def my(spec):
    user, db = spec["role"], spec["database"]
    u = f"{ml(user)}@'127.0.0.1'"
    auth = spec.get("auth", "scram")
    ro = spec.get("access", "read-only") == "read-only"
    privs = "SELECT" if ro else "SELECT, INSERT, UPDATE, DELETE"
    req = "X509" if auth != "scram" else "SSL"
    ident = f" IDENTIFIED BY {ml(spec['password'])}" if spec.get("password") else ""
    out = [f"CREATE USER {u}{ident} REQUIRE {req};"]
    tables = [split_ref(t, db) for t in spec.get("tables", [])]
    cols = {split_ref(t, db): c for t, c in spec.get("columns", {}).items()}
    if not (tables or cols):
        out.append(f"GRANT {privs} ON {mq(db)}.* TO {u};")
    for d, t in tables:
        out.append(f"GRANT {privs} ON {mq(d)}.{mq(t)} TO {u};")
    for (d, t), c in cols.items():
        out.append(f"GRANT SELECT ({', '.join(map(mq, c))}) ON {mq(d)}.{mq(t)} TO {u};")
    return {"ok": True, "sql": "\n".join(out) + "\n", "hba": None, "serverConf": None,
            "verify": None, "rotate": None, "teardown": f"DROP USER {u};\n",
            "roles": {"login": user, "group": None}, "password": spec.get("password"),
            "notes": [], "diagnostics": []}


def main():
    try:
        spec = json.loads(sys.stdin.read())
    except ValueError:
        sys.exit(2)
    if not isinstance(spec, dict):
        sys.exit(2)
    if set(spec) - KNOWN or spec.get("access", "read-only") not in ("read-only", "read-write"):
        fail("unknown field or value")
    for n in names(spec):
        if "\0" in n or any(ord(c) < 32 for c in n) or len(n.encode()) > 63 + 4 * 0 and \
                spec["dialect"] == "postgres" and len(n.split(".")[-1].encode()) > 63:
            fail("bad name")
    if spec["role"].startswith("pg_") or len(spec["role"].encode()) > 63:
        fail("bad role")
    print(json.dumps(pg(spec) if spec["dialect"] == "postgres" else my(spec)))


if __name__ == "__main__":
    main()
