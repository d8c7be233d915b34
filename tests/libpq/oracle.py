#!/usr/bin/env python3
"""The reference side of the libpq differential test: real libpq 18, loaded with ctypes.

libpq comes from the PyPI `psycopg-binary` wheel (it bundles `libpq-*.so*` in
`psycopg_binary.libs/`), installed by `setup_oracle.sh` into `target/libpq-oracle/venv`.
Debian's libpq5 is older (15) and is never used.

Subcommands (inputs are JSON Lines, one `{"input": "...", ...}` object per line):

  oracle.py version                 print PQlibVersion() and the library path
  oracle.py keywords                print PQconndefaults()'s keywords as JSON
  oracle.py expect < in > out       for every input: what libpq says (see `expect_one`)

For each string, `expect` records
  parse: PQconninfoParse -> {"ok": true, "params": {keyword: value}} (non-NULL values only,
         bytes decoded as UTF-8 with errors="replace") or {"ok": false, "error": message}.
  check: the value checks libpq makes while connecting (pqConnectOptions2 and the per-host
         checks in PQconnectPoll / pqConnectDBComplete), observed by really connecting with
         PQconnectdb in a world where every connection attempt fails fast (PQconnectdb rather
         than PQconnectStart + PQconnectPoll: connect_timeout is only read by the blocking
         pqConnectDBComplete, once a TCP connection is under way, as in psql):
         {"status": "accept" | "reject" | "skipped", "first": first value-check message,
          "messages": [...], "stoppedEarly": bool, "reason": why skipped, "raw": PQerrorMessage}

Connecting never leaves the machine: value checks are only run for strings whose every target
is local (a Unix-socket directory, `localhost`, or a numeric loopback address; `hostaddr` values
that are not numeric are fine since libpq cannot use them), and, where the kernel allows it, in a
fresh network and mount namespace (`unshare -n -m`: only a loopback interface, empty tmpfs over
the socket directories) so that no real server on this machine can answer either.
"""

import ctypes
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
VENV = os.path.join(ROOT, "target", "libpq-oracle", "venv")
MIN_VERSION = 180000


class PQconninfoOption(ctypes.Structure):
    _fields_ = [
        ("keyword", ctypes.c_char_p),
        ("envvar", ctypes.c_char_p),
        ("compiled", ctypes.c_char_p),
        ("val", ctypes.c_char_p),
        ("label", ctypes.c_char_p),
        ("dispchar", ctypes.c_char_p),
        ("dispsize", ctypes.c_int),
    ]


def libpq_path():
    override = os.environ.get("LIBPQ_ORACLE_LIB")
    if override:
        return override
    pattern = os.path.join(VENV, "lib", "python3*", "site-packages", "psycopg_binary.libs", "libpq-*.so*")
    found = sorted(glob.glob(pattern))
    if not found:
        sys.exit(f"oracle: no libpq under {pattern}; run tests/libpq/setup_oracle.sh")
    return found[0]


def load():
    lib = ctypes.CDLL(libpq_path())
    lib.PQlibVersion.restype = ctypes.c_int
    lib.PQconninfoParse.restype = ctypes.POINTER(PQconninfoOption)
    lib.PQconninfoParse.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.PQconninfoFree.argtypes = [ctypes.POINTER(PQconninfoOption)]
    lib.PQconndefaults.restype = ctypes.POINTER(PQconninfoOption)
    lib.PQfreemem.argtypes = [ctypes.c_void_p]
    lib.PQconnectdb.restype = ctypes.c_void_p
    lib.PQconnectdb.argtypes = [ctypes.c_char_p]
    lib.PQstatus.argtypes = [ctypes.c_void_p]
    lib.PQerrorMessage.restype = ctypes.c_char_p
    lib.PQerrorMessage.argtypes = [ctypes.c_void_p]
    lib.PQfinish.argtypes = [ctypes.c_void_p]
    version = lib.PQlibVersion()
    if version < MIN_VERSION:
        sys.exit(f"oracle: libpq version {version} < {MIN_VERSION}; this test needs libpq 18")
    return lib


def decode(raw):
    return raw.decode("utf-8", errors="replace")


def options(array):
    i = 0
    while array[i].keyword is not None:
        yield array[i]
        i += 1


def keywords(lib):
    array = lib.PQconndefaults()
    try:
        return [{"keyword": decode(o.keyword), "dispchar": decode(o.dispchar or b"")} for o in options(array)]
    finally:
        lib.PQconninfoFree(array)


def parse(lib, text):
    errmsg = ctypes.c_void_p()
    array = lib.PQconninfoParse(text.encode("utf-8"), ctypes.byref(errmsg))
    if not array:
        message = ctypes.string_at(errmsg.value).decode("utf-8", errors="replace") if errmsg.value else ""
        if errmsg.value:
            lib.PQfreemem(errmsg)
        return {"ok": False, "error": message.rstrip("\n")}
    try:
        params = {decode(o.keyword): decode(o.val) for o in options(array) if o.val is not None}
    finally:
        lib.PQconninfoFree(array)
    return {"ok": True, "params": params}


# ---------------------------------------------------------------------------------------------
# Value checks: classify PQerrorMessage.

# Messages libpq produces when it finds a bad option value (pqConnectOptions2, the port / address
# / socket-path steps of PQconnectPoll, the keepalive socket options, pqConnectDBComplete).
VALUE_CHECK = re.compile(
    "|".join(
        [
            r'invalid [a-z_]+ value: "',
            r'invalid "[a-z_]+" value: "',
            r"weak sslmode \"",
            r"could not match \d+ host names to \d+ hostaddr values",
            r"could not match \d+ port numbers to \d+ hosts",
            r'invalid port number: "',
            r'invalid integer value "',
            r"invalid SSL protocol version range",
            r'negative require_auth method "',
            r'require_auth method "',
            r"invalid SCRAM (client|server) key",
            r'"min_protocol_version" is greater than "max_protocol_version"',
            r'could not parse network address "',
            r'Unix-domain socket path "',
            r"invalid when SSL support is not compiled in",
            r"invalid when GSSAPI support is not compiled in",
            r"is not supported \(check OpenSSL version\)",
            # The kernel refusing a keepalive setting libpq passes on (EINVAL): on Linux,
            # keepalives_idle/interval outside 1..32767 or keepalives_count outside 1..127.
            r"setsockopt\(TCP_\w+\) failed: Invalid argument",
            # gssencmode=require on a Unix-domain socket slot: decided by the string alone
            # (fe-connect.c, PQconnectPoll, before connecting).
            r"GSSAPI encryption required but it is not supported over a local socket",
        ]
    )
)

# What an ordinary failed connection attempt says: the options were accepted.
CONNECTION_STAGE = re.compile(
    "|".join(
        [
            r"No such file or directory",
            r"Connection refused",
            r"Is the server running",
            r"Network is unreachable",
            r"Cannot assign requested address",
            r"Address family not supported",
            r"could not translate host name",
            r"could not create socket",
            r"server closed the connection unexpectedly",
            r"received invalid response to SSL negotiation",
            r"Connection reset by peer",
            r"timeout expired",
        ]
    )
)

# Failures that stop libpq before it reached every host, for reasons outside the string itself
# (no Kerberos credentials here). Checks libpq makes per host later on were then not observed.
STOPS_EARLY = re.compile(r"GSSAPI encryption required but no credential cache")

PREFIX = re.compile(r'^connection to server (at .*?, port .*?|on socket ".*?") failed: ')


def classify(raw):
    """libpq's value-check messages in `raw` (in order), whether libpq stopped early for a
    reason outside the string, and any line this script does not recognise."""
    messages = []
    unknown = []
    stopped = False
    for line in raw.split("\n"):
        rest = PREFIX.sub("", line, count=1)
        if not rest.strip():
            continue
        match = VALUE_CHECK.search(rest)
        if match:
            messages.append(rest[match.start():])
        elif STOPS_EARLY.search(rest):
            stopped = True
        elif not CONNECTION_STAGE.search(rest):
            unknown.append(line)
    return messages, stopped, unknown


def is_loopback_numeric(addr):
    """Whether getaddrinfo(AI_NUMERICHOST) accepts `addr` and every result is loopback."""
    try:
        infos = socket.getaddrinfo(addr, None, 0, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None  # not numeric: libpq cannot use it, nothing is contacted
    for family, _, _, _, sockaddr in infos:
        ip = sockaddr[0]
        if family == socket.AF_INET and not ip.startswith("127."):
            return False
        if family == socket.AF_INET6 and ip not in ("::1",):
            return False
    return True


def is_unix_socket(host):
    return host.startswith("/") or (host.startswith("@") and len(host) > 1)


def unsafe_target(params):
    """Why connecting for `params` could leave the machine, or None when it cannot."""
    if "service" in params:
        return "service file lookups depend on the machine"
    hosts = params.get("host", "")
    addrs = params.get("hostaddr", "")
    host_list = hosts.split(",") if hosts else []
    addr_list = addrs.split(",") if addrs else []
    for i in range(max(len(host_list), len(addr_list), 1)):
        host = host_list[i] if i < len(host_list) else ""
        addr = addr_list[i] if i < len(addr_list) else ""
        if addr:
            if is_loopback_numeric(addr) is False:
                return f"hostaddr {addr!r} is not a loopback address"
            continue
        if not host or is_unix_socket(host) or host == "localhost":
            continue
        if is_loopback_numeric(host) is True:
            continue
        return f"host {host!r} is not local"
    return None


def check(lib, text, parsed):
    if not parsed["ok"]:
        return {"status": "skipped", "reason": "rejected by PQconninfoParse"}
    if "\x00" in text:
        return {"status": "skipped", "reason": "contains NUL"}
    unsafe = unsafe_target(parsed["params"])
    if unsafe:
        return {"status": "skipped", "reason": unsafe}
    conn = lib.PQconnectdb(text.encode("utf-8"))
    try:
        ok = lib.PQstatus(conn) == 0
        raw = decode(lib.PQerrorMessage(conn) or b"")
    finally:
        lib.PQfinish(conn)
    messages, stopped, unknown = classify(raw)
    if any("\n" in v or "\r" in v for v in parsed["params"].values()):
        unknown = []  # a value with a line break splits libpq's lines: nothing to learn here
    result = {
        "status": "reject" if messages else "accept",
        "first": messages[0] if messages else None,
        "messages": messages,
        "stoppedEarly": stopped,
        "raw": raw,
    }
    if ok:
        result["connected"] = True
    if unknown:
        result["unclassified"] = unknown
    return result


def clean_environment(home):
    for key in list(os.environ):
        if key.startswith("PG"):
            del os.environ[key]
    os.environ["PGPASSFILE"] = os.path.join(home, "no-pgpass")
    os.environ["PGSERVICEFILE"] = "/nonexistent"
    os.environ["PGSYSCONFDIR"] = "/nonexistent"
    os.environ["HOME"] = home


def expect(lib, stream_in, stream_out, connect=True):
    for line in stream_in:
        if not line.strip():
            continue
        case = json.loads(line)
        text = case["input"]
        parsed = parse(lib, text)
        record = {"input": text, "parse": parsed}
        if case.get("comment"):
            record["comment"] = case["comment"]
        if connect:
            signal.alarm(20)  # a hang is a bug in the isolation: die loudly
            record["check"] = check(lib, text, parsed)
            signal.alarm(0)
        stream_out.write(json.dumps(record, ensure_ascii=False) + "\n")
    stream_out.flush()


ISOLATE_SCRIPT = (
    "for d in /var/run/postgresql /run/postgresql; do "
    "[ -d \"$d\" ] && mount -t tmpfs tmpfs \"$d\"; done; "
    'exec "$@"'
)


def loopback_up():
    """Brings up `lo` in a fresh network namespace (SIOCSIFFLAGS with IFF_UP), so that
    connections to loopback addresses are refused at once, as on a machine with no server."""
    import fcntl
    import struct

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, 0x8913, request))[1]  # SIOCGIFFLAGS
        fcntl.ioctl(sock, 0x8914, struct.pack("16sH14x", b"lo", flags | 0x1))  # SIOCSIFFLAGS
    finally:
        sock.close()
    probe = socket.socket()
    probe.setblocking(False)
    try:
        code = probe.connect_ex(("127.0.0.1", 1))
    finally:
        probe.close()
    if code not in (0, 111, 115):  # connected, ECONNREFUSED, EINPROGRESS
        sys.exit(f"oracle: loopback unusable in the isolated namespace (errno {code})")


def isolation_prefix():
    """An `unshare` command line that gives a private network and mount namespace, if allowed."""
    if os.environ.get("LIBPQ_ORACLE_ISOLATED") or not shutil.which("unshare"):
        return None
    for flags in (["-n", "-m"], ["-r", "-n", "-m"]):
        probe = subprocess.run(["unshare", *flags, "sh", "-c", ISOLATE_SCRIPT, "sh", "true"],
                               capture_output=True)
        if probe.returncode == 0:
            return ["unshare", *flags, "sh", "-c", ISOLATE_SCRIPT, "sh"]
    return None


def main(argv):
    command = argv[1] if len(argv) > 1 else "expect"
    if command == "version":
        lib = load()
        print(json.dumps({"version": lib.PQlibVersion(), "library": os.path.basename(libpq_path())}))
        return 0
    if command == "keywords":
        print(json.dumps(keywords(load()), indent=1))
        return 0
    if command == "expect":
        prefix = isolation_prefix()
        if prefix is not None:
            env = dict(os.environ, LIBPQ_ORACLE_ISOLATED="1")
            return subprocess.run([*prefix, sys.executable, *argv], env=env).returncode
        if not os.environ.get("LIBPQ_ORACLE_ISOLATED"):
            print("oracle: unshare is not available; value checks run only on local targets, "
                  "unisolated", file=sys.stderr)
        if os.environ.get("LIBPQ_ORACLE_ISOLATED"):
            loopback_up()
        home = tempfile.mkdtemp(prefix="libpq-oracle-home-")
        clean_environment(home)
        lib = load()
        expect(lib, sys.stdin, sys.stdout, connect="--parse-only" not in argv)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
