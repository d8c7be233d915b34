"""Produces real client error messages for `pg-preflight explain-error` (issue 17).

Starts a PostgreSQL 15 cluster (Debian postgresql-15, via tests/grants/servers.py's PgServer) on
127.0.0.1, and for every failure configuration sets the server up (settings in an included explain.conf,
pg_hba.conf, certificates; then a reload, waited for), connects with each real client
(psql / psycopg / psycopg2 = libpq, pgjdbc, node-postgres, asyncpg) in its own connection-string
dialect, and writes what it printed, with the configuration's true failure and cause, to
target/explain/captured.jsonl (one JSON object per line; the contract is in README.md).

Certificates and keys are made fresh under target/explain/run/pki and kept (the lines point at
them); the chain each TLS configuration's server really presented is read with
`openssl s_client -starttls postgres` into target/explain/run/presented/<config>.pem.

    capture.py [--only CONFIG,...] [--clients psql,psycopg,...] [--update-golden]

--update-golden also writes tests/explain/captured/<client>.txt (paths under the run directory
replaced by {RUN}). The cluster is always stopped (finally, atexit, SIGINT/SIGTERM/SIGHUP).
"""
import argparse
import sys as _sys
_sys.dont_write_bytecode = True  # nothing written into tests/grants or tests/explain
import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "grants"))
sys.path.insert(0, HERE)

import psycopg  # noqa: E402  (the venv's; servers.py needs it too)
import servers  # noqa: E402  (tests/grants/servers.py: PgServer, stop_all)
import pki  # noqa: E402

OUT = os.path.join(ROOT, "target", "explain")
RUN = os.path.join(OUT, "run")
VENV_PY = os.path.join(OUT, "venv", "bin", "python")
BINDIR = os.environ.get("EXPLAIN_PG_BINDIR", "/usr/lib/postgresql/15/bin")
PORT = int(os.environ.get("EXPLAIN_PORT", "55515"))
PASSWORD = "secret"
KEY_PASSWORD_ENV = "PGP_EXPLAIN_KEY_PASSWORD"
WRONG_KEY_PASSWORD = "not-the-passphrase"
CLIENTS = ["psql", "psycopg", "psycopg2", "pgjdbc", "node-postgres", "asyncpg"]
DRIVER = {"psql": "libpq", "psycopg": "libpq", "psycopg2": "libpq", "pgjdbc": "jdbc",
          "node-postgres": "node-postgres", "asyncpg": "asyncpg"}

# ---------------------------------------------------------------------------------------------
# configurations: server shape, pg_hba lines, client inputs, and the true failure / cause

HBA_SCRAM = ["host all app 127.0.0.1/32 scram-sha-256"]
HBA_CERT = ["hostssl all certuser 127.0.0.1/32 cert"]


def cfg(name, expect, server="server-good", hba=HBA_SCRAM, ssl=True, settings=None, **inputs):
    base = dict(user="app", password=PASSWORD, sslmode="verify-full", ca="ca1")
    base.update(inputs)
    return dict(name=name, expect=expect, server=server, hba=hba, ssl=ssl,
                settings=settings or {}, inputs=base)


def other_ca_expect(client, log):
    """Which of the two true failures the server saw: the client's certificate refused in the
    handshake (sent, unknown CA) or no certificate at all (not sent, because the server's
    CertificateRequest lists only ca1)."""
    if "connection requires a valid client certificate" in log:
        return ("client-certificate-required", "client-certificate-other-ca")
    if re.search(r"could not accept SSL connection: .*(certificate|unknown ca)", log):
        return ("client-certificate-rejected", "client-certificate-other-ca")
    return ("client-certificate-required" if client == "pgjdbc" else "client-certificate-rejected",
            "client-certificate-other-ca")


def prefer_ssl_off_expect(client, log):
    """What blocked the connection, as the server saw it."""
    if "no pg_hba.conf entry" in log:
        return ("no-hba-entry", "tls-not-used-where-required")
    return ("server-without-tls", "server-ssl-off")


# RFC 6761 reserves .invalid: no resolver may give it an address.
UNKNOWN_HOST = "db.pgp-explain.invalid"


def unknown_host_expect(client, log):
    """A name with no address, or, where this machine has no working resolver, a resolver that
    did not answer: asked here, independently of the client, the way getaddrinfo answers."""
    import socket
    try:
        socket.getaddrinfo(UNKNOWN_HOST, PORT)
    except socket.gaierror as e:
        if e.errno == socket.EAI_AGAIN:
            return ("host-not-found", "dns-unavailable")
    return ("host-not-found", "host-name-unknown")


CONFIGS = [
    cfg("control-scram-verify-full", None),
    cfg("control-cert-encrypted-key-with-passphrase", None, hba=HBA_CERT, user="certuser",
        password=None, cert="client", key="client-encrypted.key", keypass=pki.KEY_PASSWORD),
    cfg("server-ssl-off", ("server-without-tls", "server-ssl-off"), ssl=False, sslmode="require",
        ca=None),
    cfg("ca-does-not-sign-chain", ("server-certificate-untrusted", "ca-does-not-sign-chain"),
        ca="ca2"),
    cfg("missing-intermediate", ("server-certificate-untrusted", "missing-intermediate"),
        server="server-by-int"),
    cfg("self-signed-server-cert", ("server-certificate-untrusted", "server-self-signed"),
        server="server-selfsigned"),
    cfg("expired-server-cert", ("server-certificate-untrusted", "server-certificate-expired"),
        server="server-expired"),
    cfg("not-yet-valid-server-cert",
        ("server-certificate-untrusted", "server-certificate-not-yet-valid"), server="server-future"),
    cfg("wrong-host-name", ("host-name-mismatch", "host-not-in-certificate"),
        server="server-wrongname"),
    # CN=localhost, no subjectAltName: libpq, node and pgjdbc fall back to the CN; an error is
    # recorded as the name not being in the certificate (the CN is not consulted)
    cfg("cn-only-server-cert", ("host-name-mismatch", "host-not-in-certificate"),
        server="server-cnonly"),
    cfg("missing-ca-file", ("root-file-missing", "ca-file-missing"), ca="missing-ca"),
    cfg("client-key-world-readable", ("client-key-permissions", "key-readable-by-others"),
        hba=HBA_CERT, user="certuser", password=None, cert="client", key="client-0644.key"),
    cfg("client-key-mismatch", ("client-key-mismatch", "key-does-not-match-certificate"),
        hba=HBA_CERT, user="certuser", password=None, cert="client", key="unrelated.key"),
    cfg("client-key-encrypted-no-passphrase", ("client-key-passphrase", "passphrase-missing"),
        hba=HBA_CERT, user="certuser", password=None, cert="client", key="client-encrypted.key"),
    cfg("client-key-wrong-passphrase", ("client-key-passphrase", "passphrase-wrong"),
        hba=HBA_CERT, user="certuser", password=None, cert="client", key="client-encrypted.key",
        keypass=WRONG_KEY_PASSWORD),
    cfg("client-cert-other-ca", other_ca_expect, hba=HBA_CERT, user="certuser", password=None,
        cert="client-other-ca", key="client-other-ca.key"),
    cfg("client-cert-not-sent", ("client-certificate-required", "client-certificate-not-sent"),
        hba=HBA_CERT, user="certuser", password=None),
    cfg("cert-user-mismatch", ("certificate-user-mismatch", "certificate-name-not-user"),
        hba=HBA_CERT, user="certuser", password=None, cert="client-wrong-user",
        key="client-wrong-user.key"),
    cfg("hostssl-only-without-tls", ("no-hba-entry", "tls-not-used-where-required"),
        hba=["hostssl all app 127.0.0.1/32 scram-sha-256"], sslmode="disable", ca=None),
    # sslmode=prefer against a server without TLS: libpq, pgjdbc and asyncpg fall back to a plain
    # connection that the hostssl line cannot match; node-postgres treats prefer as verify-full
    cfg("hostssl-only-prefer-server-ssl-off", prefer_ssl_off_expect, ssl=False,
        hba=["hostssl all app 127.0.0.1/32 scram-sha-256"], sslmode="prefer", ca=None),
    cfg("hostnossl-only-with-tls", ("no-hba-entry", "tls-used-where-not-allowed"),
        hba=["hostnossl all app 127.0.0.1/32 scram-sha-256"]),
    cfg("no-password", ("no-password", "password-missing"), password=None, sslmode="disable",
        ca=None),
    cfg("channel-binding-trust", ("channel-binding-not-offered", "server-method-not-scram"),
        hba=["hostssl all app 127.0.0.1/32 trust"], channel_binding="require"),
    cfg("channel-binding-md5", ("channel-binding-not-offered", "server-method-not-scram"),
        hba=["hostssl all md5user 127.0.0.1/32 md5"], user="md5user", channel_binding="require"),
    cfg("channel-binding-password", ("channel-binding-not-offered", "server-method-not-scram"),
        hba=["hostssl all app 127.0.0.1/32 password"], channel_binding="require"),
    cfg("channel-binding-without-tls", ("channel-binding-without-tls", "tls-not-used"),
        sslmode="disable", ca=None, channel_binding="require"),
    cfg("direct-tls-to-pg15", ("direct-tls-unsupported", "server-older-than-17"),
        hba=["hostssl all app 127.0.0.1/32 scram-sha-256"], sslnegotiation="direct"),
    cfg("host-name-unknown", unknown_host_expect, host=UNKNOWN_HOST, sslmode="disable", ca=None),
    cfg("protocol-version-mismatch", ("protocol-version-mismatch", "protocol-ranges-disjoint"),
        settings={"ssl_min_protocol_version": "TLSv1.3"}, ssl_max="TLSv1.2"),
]

# pgjdbc's own URL checks (Driver.parseURL, then Driver.connect's "Unable to parse URL", or
# DriverManager's "No suitable driver" for a URL without the jdbc:postgresql: prefix): no
# server is reached. Each URL is a shape seen in public deploy notes; the cause is the one
# pgjdbc's reading of the URL gives, whatever the driver prints.
JDBC_URL_CASES = [
    ("jdbc-url-credentials-before-host",
     f"jdbc:postgresql://app:{PASSWORD}@localhost/postgres", "credentials-before-jdbc-host"),
    ("jdbc-url-whole-url-as-host",
     f"jdbc:postgresql://postgres://app:{PASSWORD}@localhost:{PORT}/postgres:{PORT}/postgres",
     "jdbc-url-slashes"),
    ("jdbc-url-no-slash-after-port", f"jdbc:postgresql://localhost:{PORT}?sslmode=require",
     "jdbc-url-slashes"),
    ("jdbc-url-port-variable", "jdbc:postgresql://localhost:${PGPORT}/postgres",
     "placeholder-not-filled"),
    ("jdbc-url-libpq-url", f"postgresql://app:{PASSWORD}@localhost:{PORT}/postgres",
     "not-a-jdbc-url"),
    ("jdbc-url-port-out-of-range", "jdbc:postgresql://localhost:65536/postgres",
     "port-not-a-number"),
    ("jdbc-url-service-undefined", f"jdbc:postgresql://localhost:{PORT}/postgres?service=orders",
     "jdbc-service-undefined"),
    ("jdbc-url-percent-not-an-escape",
     f"jdbc:postgresql://localhost:{PORT}/postgres?user=app&password=50%off", "uri-character-not-encoded"),
]


def capture_jdbc_url(name, url, cause, versions):
    """The exception Connect prints and, as its own case, the WARNING pgjdbc logs on stderr
    (java.util.logging's two lines, as a user pastes them from the log)."""
    out, err = run_client("pgjdbc", url)
    recs = []
    for suffix, message in (("", out), ("-log", err if "WARNING: " in (err or "") else None)):
        if not message:
            continue
        recs.append({"config": name + suffix, "client": "pgjdbc",
                     "client_version": versions["pgjdbc"],
                     "outcome": "connected" if message == "CONNECTED" else "error",
                     "skip_reason": None, "message": message, "driver": "jdbc", "dsn": url,
                     "files": {}, "key_password_env": None, "key_password": None,
                     "expect": {"failure": "driver-url-rejected", "cause": cause}})
    return recs


# ---------------------------------------------------------------------------------------------
# each client's dialect


class Skip(Exception):
    pass


def libpq_version(client, versions):
    m = re.search(r"libpq (\d+)", versions.get(client, ""))
    return int(m.group(1)) if m else 0


def can_express(client, inp, versions):
    """Raises Skip when the client has no way to say what the configuration asks."""
    libpq = DRIVER[client] == "libpq"
    if inp.get("channel_binding") and not libpq:
        raise Skip({"pgjdbc": "pgjdbc 42.5.5 (Debian) has no channelBinding option (added in 42.7.x)",
                    "node-postgres": "node-postgres has no way to require channel binding "
                                     "(enableChannelBinding only uses SCRAM-SHA-256-PLUS when offered)",
                    "asyncpg": "asyncpg has no channel_binding option"}[client])
    if inp.get("sslnegotiation"):
        if libpq and libpq_version(client, versions) < 170000:
            raise Skip(f"{client}'s libpq {libpq_version(client, versions)} has no sslnegotiation "
                       "(libpq 17+); it would fail with invalid connection option instead")
        if client == "pgjdbc":
            raise Skip("pgjdbc 42.5.5 (Debian) has no sslNegotiation option")
    if inp.get("ssl_max") and client in ("pgjdbc", "node-postgres"):
        raise Skip({"pgjdbc": "pgjdbc 42.5.5 has no per-connection TLS protocol range in the URL "
                              "(only the JVM-wide jdk.tls.client.protocols)",
                    "node-postgres": "node-postgres's connection URL has no TLS protocol range "
                                     "(only ssl.maxVersion in code)"}[client])
    if inp.get("keypass") and client == "node-postgres":
        raise Skip("node-postgres's connection URL has no sslpassword (ssl.passphrase in code only)")


def client_files(client, inp, files):
    """Absolute paths the client is given (pgjdbc gets the DER PKCS#8 twin of the key)."""
    ca = files[inp["ca"]] if inp.get("ca") else None
    cert = files[inp["cert"]] if inp.get("cert") else None
    key = files[inp["key"]] if inp.get("key") else None
    if key and client == "pgjdbc":
        key = pki.pk8(key)
    return ca, cert, key


def ssl_params(inp, ca, cert, key, client):
    params = [("sslmode", inp["sslmode"])]
    if ca:
        params.append(("sslrootcert", ca))
    if cert:
        params.append(("sslcert", cert))
    if key:
        params.append(("sslkey", key))
    if inp.get("keypass"):
        params.append(("sslpassword", inp["keypass"]))
    if inp.get("channel_binding"):
        params.append(("channel_binding", inp["channel_binding"]))
    if inp.get("sslnegotiation"):
        params.append(("sslnegotiation", inp["sslnegotiation"]))
    if inp.get("ssl_max"):
        params.append(("ssl_max_protocol_version", inp["ssl_max"]))
    return params


def build_dsn(client, inp, ca, cert, key):
    user, pw = inp["user"], inp.get("password")
    host = inp.get("host", "localhost")
    params = ssl_params(inp, ca, cert, key, client)
    query = "&".join(f"{k}={v}" for k, v in params)
    auth = f"{user}:{pw}" if pw else user
    if client == "psycopg":  # libpq keyword/value string
        kv = [("host", host), ("port", PORT), ("dbname", "postgres"), ("user", user)]
        if pw:
            kv.append(("password", pw))
        return " ".join(f"{k}={v}" for k, v in kv + params)
    if client in ("psql", "psycopg2"):  # libpq URI
        return f"postgresql://{auth}@{host}:{PORT}/postgres?{query}"
    if client == "pgjdbc":
        jp = [("user", user)] + ([("password", pw)] if pw else []) + params
        return f"jdbc:postgresql://{host}:{PORT}/postgres?" + "&".join(f"{k}={v}" for k, v in jp)
    return f"postgres://{auth}@{host}:{PORT}/postgres?{query}"  # node-postgres, asyncpg


def client_cmd(client, dsn):
    if client == "psql":
        return [os.path.join(HERE, "clients", "psql_client.sh"), dsn]
    if client in ("psycopg", "psycopg2", "asyncpg"):
        return [VENV_PY, os.path.join(HERE, "clients", "py_client.py"), client, dsn]
    if client == "pgjdbc":
        return ["java", f"-Duser.home={os.path.join(RUN, 'home')}", "-cp",
                os.path.join(OUT, "java") + ":/usr/share/java/postgresql.jar", "Connect", dsn]
    return ["node", os.path.join(HERE, "clients", "node_client.js"), dsn]


def client_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["HOME"] = os.path.join(RUN, "home")  # no ~/.postgresql, ~/.pgpass of the machine's user
    env["EXPLAIN_NODE_MODULES"] = os.path.join(OUT, "node", "node_modules")
    return env


def run_client(client, dsn, timeout=60):
    try:
        p = subprocess.run(client_cmd(client, dsn), capture_output=True, text=True,
                           env=client_env(), stdin=subprocess.DEVNULL, start_new_session=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"{client} did not finish within {timeout} s"
    out = p.stdout.rstrip("\n")
    return out, p.stderr.strip()


def versions_of():
    v = {}
    v["psql"] = subprocess.run([os.path.join(HERE, "clients", "psql_client.sh"), "--version"],
                               capture_output=True, text=True).stdout.strip()
    for c in ("psycopg", "psycopg2", "asyncpg"):
        v[c] = subprocess.run([VENV_PY, os.path.join(HERE, "clients", "py_client.py"), c,
                               "--version"], capture_output=True, text=True).stdout.strip()
    v["pgjdbc"] = run_client("pgjdbc", "--version")[0]
    v["node-postgres"] = subprocess.run(["node", os.path.join(HERE, "clients", "node_client.js"),
                                         "--version"], capture_output=True, text=True,
                                        env=client_env()).stdout.strip()
    return v

# ---------------------------------------------------------------------------------------------
# the server


class Cluster:
    def __init__(self, base, files):
        self.pg = servers.PgServer("pg15", BINDIR, PORT, base)
        self.files = files
        self.seq = 0

    def start(self):
        self.pg.start()
        if not self.pg.tls:
            raise RuntimeError("this PostgreSQL build has no SSL support")
        # the server's copies: owned by postgres, keys 0600
        self.srv = {}
        for name in ("server-good", "server-by-int", "server-selfsigned", "server-expired",
                     "server-future", "server-wrongname", "server-cnonly"):
            for ext, src in (("crt", self.files[name]), ("key", self.files[name + ".key"])):
                dst = os.path.join(self.pg.dir, f"{name}.{ext}")
                shutil.copy(src, dst)
                shutil.chown(dst, "postgres", "postgres")
                os.chmod(dst, 0o600)
            self.srv[name] = os.path.join(self.pg.dir, name)
        self.clientca = os.path.join(self.pg.dir, "clientca.crt")
        shutil.copy(self.files["ca1"], self.clientca)
        shutil.chown(self.clientca, "postgres", "postgres")
        # the configuration's settings come from explain.conf, rewritten before each reload
        with open(os.path.join(self.pg.data, "postgresql.conf"), "a") as f:
            f.write("include_if_exists = 'explain.conf'\n")
        with self.admin() as c:
            c.execute(f"create role app login password '{PASSWORD}'")
            c.execute("create role certuser login")
            c.execute("set password_encryption = 'md5'")
            c.execute(f"create role md5user login password '{PASSWORD}'")

    def admin(self):
        return psycopg.connect(**self.pg.admin_kwargs(), autocommit=True)

    def configure(self, conf):
        """explain.conf (included by postgresql.conf) + pg_hba.conf + reload; returns once a new backend sees the new marker."""
        self.seq += 1
        marker = f"{self.seq}-{conf['name']}"
        srv = self.srv[conf["server"]]
        settings = {"ssl": "on" if conf["ssl"] else "off", "ssl_cert_file": srv + ".crt",
                    "ssl_key_file": srv + ".key", "ssl_ca_file": self.clientca,
                    "ssl_min_protocol_version": "TLSv1.2", "ssl_max_protocol_version": "",
                    "explain.config": marker}
        settings.update(conf["settings"])
        hba = "local all postgres trust\n" + "".join(line + "\n" for line in conf["hba"])
        path = os.path.join(self.pg.data, "pg_hba.conf")
        with open(path, "w") as f:
            f.write(hba)
        shutil.chown(path, "postgres", "postgres")
        conf_path = os.path.join(self.pg.data, "explain.conf")
        with open(conf_path, "w") as f:
            f.write("".join(f"{k} = '{v}'\n" for k, v in settings.items()))
        shutil.chown(conf_path, "postgres", "postgres")
        with self.admin() as c:
            c.execute("select pg_reload_conf()")
        deadline = time.time() + 20
        while True:
            with self.admin() as c:
                if c.execute("show explain.config").fetchone()[0] == marker:
                    break
            if time.time() > deadline:
                raise RuntimeError(f"reload for {conf['name']} not seen: {self.pg.log_tail()}")
            time.sleep(0.05)

    def log_size(self):
        try:
            return os.path.getsize(os.path.join(self.pg.dir, "log"))
        except OSError:
            return 0

    def log_since(self, offset):
        with open(os.path.join(self.pg.dir, "log"), errors="replace") as f:
            f.seek(offset)
            return f.read()


PEM_RE = re.compile(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", re.S)


def presented_chain(conf, expected_leaf, dest):
    """The chain the server sends, as `openssl s_client -starttls postgres` sees it; checks that
    the leaf is the configured certificate (the reload took effect)."""
    last = ""
    for _ in range(40):
        p = subprocess.run(["openssl", "s_client", "-starttls", "postgres", "-connect",
                            f"127.0.0.1:{PORT}", "-servername", "localhost", "-showcerts"],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=20)
        certs = PEM_RE.findall(p.stdout)
        with open(expected_leaf) as f:
            want = PEM_RE.findall(f.read())[0]
        if certs and "".join(certs[0].split()) == "".join(want.split()):
            with open(dest, "w") as f:
                f.write("\n".join(certs) + "\n")
            return dest, len(certs)
        last = (p.stdout + p.stderr)[-800:]
        time.sleep(0.1)
    raise RuntimeError(f"{conf['name']}: the server does not present {expected_leaf}: {last}")

# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default=os.environ.get("EXPLAIN_ONLY", ""))
    ap.add_argument("--clients", default=os.environ.get("EXPLAIN_CLIENTS", ""))
    ap.add_argument("--update-golden", action="store_true")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    clients = [c for c in CLIENTS if not args.clients or c in args.clients.split(",")]
    started = time.time()

    if os.path.exists(RUN):
        shutil.rmtree(RUN)
    os.makedirs(os.path.join(RUN, "home"))
    os.makedirs(os.path.join(RUN, "presented"))
    t = time.time()
    files = pki.build(os.path.join(RUN, "pki"))
    print(f"explain: certificates and keys in {time.time() - t:.1f}s under {RUN}/pki")
    versions = versions_of()
    for c in clients:
        print(f"explain: {c}: {versions[c]}")

    base = tempfile.mkdtemp(prefix="pgp-explain-")
    os.chmod(base, 0o755)
    with open(os.path.join(RUN, "server-dir"), "w") as f:  # for run.sh's backstop trap
        f.write(base + "\n")

    def cleanup():
        servers.stop_all()
        shutil.rmtree(base, ignore_errors=True)
    atexit.register(cleanup)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda s, f: sys.exit(128 + s))

    records = []
    try:
        cluster = Cluster(base, files)
        t = time.time()
        cluster.start()
        print(f"explain: PostgreSQL {cluster.pg.version} on 127.0.0.1:{PORT} in {time.time() - t:.1f}s")
        for conf in CONFIGS:
            if only and conf["name"] not in only:
                continue
            cluster.configure(conf)
            server_cert = None
            if conf["ssl"]:
                server_cert, n = presented_chain(
                    conf, files[conf["server"]],
                    os.path.join(RUN, "presented", f"{conf['name']}.pem"))
            for client in clients:
                rec = capture_one(cluster, conf, client, versions, files, server_cert)
                records.append(rec)
                shown = (rec["message"] or rec.get("skip_reason") or "").split("\n")[0]
                print(f"  {conf['name']:<44} {client:<14} {rec['outcome']:<9} {shown[:150]}")
        if "pgjdbc" in clients:
            for name, url, cause in JDBC_URL_CASES:
                if only and name not in only:
                    continue
                for rec in capture_jdbc_url(name, url, cause, versions):
                    records.append(rec)
                    shown = rec["message"].split("\n")[-1]
                    print(f"  {rec['config']:<44} pgjdbc         {rec['outcome']:<9} {shown[:150]}")
    finally:
        cleanup()

    with open(os.path.join(OUT, "captured.jsonl"), "w") as f:
        for rec in records:
            f.write(json.dumps(rec) + "\n")
    write_golden(records, versions, os.path.join(OUT, "captured"))
    write_table(records, os.path.join(OUT, "table.md"))
    if args.update_golden:
        write_golden(records, versions, os.path.join(HERE, "captured"))
    counts = {k: sum(r["outcome"] == k for r in records) for k in ("error", "connected", "skipped")}
    print(f"explain: captured {len(records)} cases ({counts['error']} errors, "
          f"{counts['connected']} connected, {counts['skipped']} skipped) in "
          f"{time.time() - started:.1f}s -> {os.path.join(OUT, 'captured.jsonl')}")
    bad = [r for r in records if r["config"].startswith("control-") and r["outcome"] == "error"]
    for r in bad:
        print(f"explain: control {r['config']} failed for {r['client']}: {r['message']}")
    return 1 if bad else 0


def capture_one(cluster, conf, client, versions, files, server_cert):
    inp = conf["inputs"]
    ca, cert, key = client_files(client, inp, files)
    rec = {"config": conf["name"], "client": client, "client_version": versions[client],
           "outcome": None, "skip_reason": None, "message": None, "driver": DRIVER[client],
           "dsn": None,
           "files": {"ca": ca, "cert": cert, "key": key, "serverCert": server_cert,
                     "clientCa": files["ca1"] if conf["ssl"] else None},
           "key_password_env": KEY_PASSWORD_ENV if inp.get("keypass") else None,
           "key_password": inp.get("keypass"),
           "expect": {"failure": None, "cause": None}}
    try:
        can_express(client, inp, versions)
    except Skip as s:
        rec.update(outcome="skipped", skip_reason=str(s))
        return rec
    dsn = build_dsn(client, inp, ca, cert, key)
    rec["dsn"] = dsn
    offset = cluster.log_size()
    out, err = run_client(client, dsn)
    if out is None:  # hung: nothing a user would paste
        rec.update(outcome="skipped", skip_reason=err)
        print(f"explain: warning: {conf['name']} {client}: {err}")
        return rec
    if out == "CONNECTED":
        rec["outcome"] = "connected"
    else:
        rec["outcome"] = "error"
        rec["message"] = out
        time.sleep(0.05)
        log = cluster.log_since(offset)
        exp = conf["expect"](client, log) if callable(conf["expect"]) else conf["expect"]
        if exp:
            rec["expect"] = {"failure": exp[0], "cause": exp[1]}
        rec["server_log"] = "\n".join(line for line in log.splitlines()
                                      if re.search(r"(FATAL|LOG|ERROR|WARNING):", line)
                                      and "connection received" not in line)
    if err:
        rec["client_stderr"] = err
    return rec


VERSION_SPECIFIC = [  # parts of a message that depend on the client's version or build, or the run
    (re.compile(r"\(_ssl\.c:\d+\)"), "CPython's (_ssl.c:N) is a line of the Python build"),
    (re.compile(r"\b[0-9A-F]{12,16}:error:[0-9A-F]{8}:"),
     "OpenSSL's thread id (new every run) and Node's bundled OpenSSL source file:line"),
    (re.compile(r"Not(After|Before): "), "the certificate dates of the run"),
    (re.compile(r"Either provide the file"), "the hint differs between libpq 15 and 16+"),
    (re.compile(r"EOF detected|unexpected eof while reading"),
     "the wording depends on the OpenSSL build libpq is linked with"),
    (re.compile(r"^[A-Z][a-z]{2} \d{2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M ", re.M),
     "java.util.logging's time stamp of the run"),
    (re.compile(r"Enter PEM pass phrase:"), "OpenSSL's prompt, printed because there is no terminal"),
    (re.compile(r"PostgreSQL 1\d|libpq 1\d|42\.\d+\.\d+|Node v?\d|OpenSSL \d"),
     "names a client or library version"),
]


PREFIX_RE = re.compile(r'^(psql: error: |psycopg\.OperationalError: connection failed: |'
                       r'psycopg2\.OperationalError: |org\.postgresql\.util\.PSQLException: )?'
                       r'(connection to server at "[^"]*"( \([^)]*\))?, port \d+ failed: )?')


def short(rec):
    """A table cell: the message without the client's fixed prefix, cut at 90 characters."""
    if rec["outcome"] == "skipped":
        return "(skipped)"
    if rec["outcome"] == "connected":
        return "**CONNECTED**"
    lines = [line for line in rec["message"].splitlines()
             if line.strip() and not line.startswith("Enter PEM pass phrase")]
    text = PREFIX_RE.sub("", lines[0] if lines else "")
    for long_, short_ in (("ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] "
                           "certificate verify failed: ", "SSLCertVerificationError: "),
                          ("asyncpg.exceptions.", ""), ("sun.security.provider.certpath.", ""),
                          ("java.security.cert.", ""), ("SSL error: PKIX", "PKIX")):
        text = text.replace(long_, short_)
    text = text.replace(RUN, "{RUN}")
    for ln in lines[1:]:
        if ln.startswith("code: "):
            text += " " + ln
    text = text if len(text) <= 100 else text[:97] + "..."
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def write_table(records, path):
    configs, cells = [], {}
    for r in records:
        if r["config"] not in configs:
            configs.append(r["config"])
        cells[(r["config"], r["client"])] = short(r)
    clients = [c for c in CLIENTS if any(k[1] == c for k in cells)]
    rows = ["| configuration | " + " | ".join(clients) + " |",
            "|---|" + "---|" * len(clients)]
    for conf in configs:
        rows.append(f"| {conf} | " + " | ".join(cells.get((conf, c), "") for c in clients) + " |")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")


def write_golden(records, versions, folder):
    os.makedirs(folder, exist_ok=True)
    by_client = {}
    for r in records:
        by_client.setdefault(r["client"], []).append(r)
    for client, recs in by_client.items():
        head = [f"# {client} {versions[client]}: messages captured by tests/explain/capture.py "
                f"against PostgreSQL 15 on 127.0.0.1:{PORT}.",
                "# {RUN} stands for the run directory (target/explain/run). One block per "
                "configuration: '## <config>' then the exact message (CONNECTED if it connected)."]
        body = []
        for r in recs:
            if r["outcome"] == "skipped":
                head.append(f"# skipped {r['config']}: {r['skip_reason']}")
                continue
            msg = "CONNECTED" if r["outcome"] == "connected" else r["message"]
            msg = msg.replace(RUN, "{RUN}")
            for rx, why in VERSION_SPECIFIC:
                if rx.search(msg):
                    head.append(f"# varies {r['config']}: {why}")
            body.append(f"## {r['config']}\n{msg}\n")
        with open(os.path.join(folder, f"{client}.txt"), "w") as f:
            f.write("\n".join(head) + "\n\n" + "\n".join(body))


if __name__ == "__main__":
    sys.exit(main())
