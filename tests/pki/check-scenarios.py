#!/usr/bin/env python3
"""Randomized never-seen scenarios for `pg-preflight check --json` and `verify-chain --json`,
judged by independent oracles (the openssl command line), plus an `openssl pkey` differential
on the public key of random keys in random formats.

  check-scenarios.py [--cli target/debug/pg-preflight] [--count 40] [--seed 1]
                     [--keys N] [--keep DIR]

Every scenario is made fresh with openssl in a temporary directory: a client PKI (root, an
optional intermediate, a client certificate whose CN is the database user), optionally a server
PKI (server certificate with a SAN, its own or the same root) and a connection string
`host=… user=… sslmode=verify-full sslrootcert=… sslcert=… sslkey=…`, with one defect or none:

  valid, expired leaf, not-yet-valid leaf, wrong CA (an unrelated root in the CA file), missing
  intermediate, intermediate-only CA file, key mismatch (the key of another certificate),
  client certificate with serverAuth only, server certificate with clientAuth only, server SAN
  not covering the host, wrong passphrase.

Client keys are RSA 2048/3072, P-256, P-384 or Ed25519, stored in a random format: PKCS#8 PEM
or DER, PKCS#1, SEC1, and encrypted as PKCS#8 PBES2 AES-256/PBKDF2, PKCS#8 scrypt, PKCS#12-PBE
3DES, traditional `Proc-Type: 4,ENCRYPTED` PEM (AES-128 or DES-EDE3) or encrypted DER .pk8.

The expected verdicts come from openssl, never from pg-preflight:

  chains    `openssl verify -attime T -auth_level 1 -purpose sslclient|sslserver
             [-verify_hostname H] -no-CApath -no-CAstore -CAfile CA [-untrusted REST] LEAF`
            → `chains.client.valid` / `chains.server.valid`, and `verify-chain --policy libpq`;
            `strictValid` and `verify-chain --policy strict` must be the same except for an
            intermediate-only CA file (RFC 5280 accepts any trusted certificate as anchor).
  keys      `openssl pkey -passin env:…` decides whether the passphrase opens the key (if not:
            PGP-KEY-002 and `keyMatch` null); `openssl pkey -pubout -outform DER` of the key
            against `openssl x509 -pubkey` of the certificate decides `keyMatch`.
  pkey      for `--keys N` random keys in random formats, `inspect --json --as key`'s
            `publicKeySha256` must equal sha256(`openssl pkey -pubout -outform DER`).

Every disagreement is printed with the scenario and the outputs. The last line is
`pki-check: N passed, N failed`; the exit status is 1 on any failure, 0 with a SKIPPED line
when openssl is missing.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

sys.path.insert(0, HERE)
from scenario_dates import AT, AT_EPOCH, AT_RFC3339, CNF, END, EXPIRED, FUTURE, START  # noqa: E402

PASS_VAR = "PGP_SCENARIO_PASSPHRASE"


KINDS = ["rsa2048", "rsa3072", "p256", "p384", "ed25519"]

# Key storage formats: name → (applies to kinds, encrypted?)
FORMATS = {
    "pkcs8-pem": (None, False),
    "pkcs8-der": (None, False),
    "traditional-pem": (("rsa2048", "rsa3072", "p256", "p384"), False),  # PKCS#1 / SEC1
    "pkcs8-pbes2-aes256": (None, True),
    "pkcs8-scrypt": (None, True),
    "pkcs8-pbe-sha1-3des": (None, True),
    "pkcs8-der-pbes2": (None, True),
    "traditional-aes128": (("rsa2048", "rsa3072", "p256", "p384"), True),
    "traditional-des3": (("rsa2048", "rsa3072", "p256", "p384"), True),
}

CLIENT_DEFECTS = ["none", "none", "none", "expired", "future", "wrong_ca", "missing_inter",
                  "inter_only_ca", "key_mismatch", "client_eku", "wrong_passphrase"]
SERVER_DEFECTS = ["server_eku", "server_san"]


def run(args, env=None, **kw):
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(args, capture_output=True, env=full_env, **kw)


def must(args, env=None):
    r = run(args, env)
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
    return r.stdout


class Keys:
    """Fresh keys per run; a small pool per kind (RSA 3072 is slow), never reused within one
    scenario."""

    def __init__(self, directory, per_kind):
        self.dir = directory
        self.pool = {kind: [] for kind in KINDS}
        self.per_kind = per_kind
        self.used = set()

    def _generate(self, kind, index):
        path = os.path.join(self.dir, "%s-%d.key" % (kind, index))
        if kind.startswith("rsa"):
            must(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                  "rsa_keygen_bits:" + kind[3:], "-out", path])
        elif kind == "ed25519":
            must(["openssl", "genpkey", "-algorithm", "ed25519", "-out", path])
        else:
            curve = {"p256": "P-256", "p384": "P-384"}[kind]
            must(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve,
                  "-pkeyopt", "ec_param_enc:named_curve", "-out", path])
        return path

    def take(self, kind):
        keys = self.pool[kind]
        for path in keys:
            if path not in self.used:
                self.used.add(path)
                return path, kind
        if len(keys) >= self.per_kind:
            raise RuntimeError("key pool exhausted for " + kind)
        path = self._generate(kind, len(keys))
        keys.append(path)
        self.used.add(path)
        return path, kind

    def reset(self):
        self.used = set()


class Ca:
    """Certificates made with `openssl ca`, so that validity dates are exact."""

    def __init__(self, directory, rng):
        self.dir = directory
        self.n = 0
        db = os.path.join(directory, "db")
        os.makedirs(db)
        open(os.path.join(db, "index.txt"), "w").close()
        with open(os.path.join(db, "serial"), "w") as f:
            f.write("%04X\n" % rng.randrange(0x1000, 0xFFFF))
        self.cnf = os.path.join(directory, "ca.cnf")
        with open(self.cnf, "w") as f:
            f.write(CNF.format(dir=db))

    def cert(self, cn, key, issuer=None, ext=(), dates=(START, END)):
        """key: (path, kind); issuer: (cert, key path, key kind) or None for self-signed."""
        self.n += 1
        name = os.path.join(self.dir, "c%02d" % self.n)
        must(["openssl", "req", "-new", "-key", key[0], "-subj", "/O=Scenario/CN=" + cn,
              "-out", name + ".csr"])
        with open(name + ".ext", "w") as f:
            f.write("[ x ]\n" + "\n".join(ext) + "\n")
        signer = issuer[2] if issuer else key[1]
        args = ["openssl", "ca", "-batch", "-config", self.cnf, "-notext", "-extfile",
                name + ".ext", "-extensions", "x", "-startdate", dates[0], "-enddate", dates[1],
                "-md", "default" if signer == "ed25519" else "sha256"]
        if issuer:
            args += ["-cert", issuer[0], "-keyfile", issuer[1]]
        else:
            args += ["-selfsign", "-keyfile", key[0]]
        must(args + ["-in", name + ".csr", "-out", name + ".crt"])
        return name + ".crt"


CA_EXT = ["basicConstraints = critical,CA:true", "keyUsage = critical,keyCertSign,cRLSign",
          "subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid:always"]


def leaf_ext(eku, san=None):
    ext = ["basicConstraints = critical,CA:false",
           "keyUsage = critical,digitalSignature,keyEncipherment",
           "extendedKeyUsage = " + eku,
           "subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid:always"]
    if san:
        ext.append("subjectAltName = " + san)
    return ext


def cat(paths, out):
    with open(out, "wb") as f:
        for p in paths:
            with open(p, "rb") as src:
                f.write(src.read())
    return out


def store_key(src, kind, fmt, passphrase, out):
    """Writes the key `src` in format `fmt` (encrypted with `passphrase` where it applies)."""
    env = {PASS_VAR: passphrase}
    penv = "env:" + PASS_VAR
    if fmt == "pkcs8-pem":
        must(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", src, "-out", out])
    elif fmt == "pkcs8-der":
        must(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", src, "-outform", "DER", "-out", out])
    elif fmt == "traditional-pem":
        must(["openssl", "pkey", "-traditional", "-in", src, "-out", out])
    elif fmt == "pkcs8-pbes2-aes256":
        must(["openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256",
              "-passout", penv, "-in", src, "-out", out], env)
    elif fmt == "pkcs8-scrypt":
        must(["openssl", "pkcs8", "-topk8", "-scrypt", "-scrypt_N", "1024", "-passout", penv,
              "-in", src, "-out", out], env)
    elif fmt == "pkcs8-pbe-sha1-3des":
        must(["openssl", "pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-passout", penv,
              "-in", src, "-out", out], env)
    elif fmt == "pkcs8-der-pbes2":
        must(["openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", penv,
              "-outform", "DER", "-in", src, "-out", out], env)
    elif fmt == "traditional-aes128":
        must(["openssl", "pkey", "-traditional", "-aes128", "-passout", penv, "-in", src,
              "-out", out], env)
    elif fmt == "traditional-des3":
        must(["openssl", "pkey", "-traditional", "-des3", "-passout", penv, "-in", src,
              "-out", out], env)
    else:
        raise ValueError(fmt)
    os.chmod(out, 0o600)
    return out


def key_format(rng, kind, encrypted=None):
    choices = [f for f, (kinds, enc) in FORMATS.items()
               if (kinds is None or kind in kinds) and (encrypted is None or enc == encrypted)]
    return rng.choice(choices)


# ---------------------------------------------------------------- oracles (openssl only)

def openssl_verify(leaf, trusted, untrusted, purpose, host=None):
    args = ["openssl", "verify", "-attime", str(AT_EPOCH), "-auth_level", "1", "-purpose",
            "sslclient" if purpose == "client" else "sslserver", "-no-CApath", "-no-CAstore",
            "-CAfile", trusted]
    if untrusted:
        args += ["-untrusted", untrusted]
    if host:
        args += ["-verify_ip" if host.replace(".", "").isdigit() else "-verify_hostname", host]
    r = run(args + [leaf])
    return r.returncode == 0, (r.stdout + r.stderr).decode(errors="replace").strip()


def openssl_key_spki(path, passphrase):
    """DER SubjectPublicKeyInfo of a private key file, or None when openssl cannot open it
    with this passphrase."""
    fmt = "DER" if path.endswith((".der", ".pk8")) else "PEM"
    r = run(["openssl", "pkey", "-inform", fmt, "-in", path, "-passin", "env:" + PASS_VAR,
             "-pubout", "-outform", "DER"], {PASS_VAR: passphrase})
    return r.stdout if r.returncode == 0 else None


def openssl_cert_spki(cert):
    pem = must(["openssl", "x509", "-in", cert, "-noout", "-pubkey"])
    return subprocess.run(["openssl", "pkey", "-pubin", "-pubout", "-outform", "DER"], input=pem,
                          capture_output=True, check=True).stdout


# ---------------------------------------------------------------- scenarios

class Scenario:
    def __init__(self, number):
        self.number = number
        self.notes = []
        self.dsn = None
        self.args = []
        self.env = {}
        self.expect = {}


def build(rng, keys, directory, number):
    """One random scenario: files, arguments, and what openssl says about them."""
    s = Scenario(number)
    keys.reset()
    ca = Ca(directory, rng)
    defect = rng.choice(CLIENT_DEFECTS)
    with_server = rng.random() < 0.6
    if with_server and rng.random() < 0.3:
        defect = rng.choice(SERVER_DEFECTS)
    # The first scenarios visit every defect once, so that even a short run covers them all.
    every = sorted(set(CLIENT_DEFECTS)) + SERVER_DEFECTS
    if number <= len(every):
        defect = every[number - 1]
        with_server = with_server or defect in SERVER_DEFECTS
    s.defect = defect
    kind = lambda: rng.choice(KINDS)
    user = "app_%d" % rng.randrange(1000)

    # Client PKI: root → [intermediate] → client certificate (CN = user).
    root_key = keys.take(kind())
    root = ca.cert("Client Root %d" % number, root_key, ext=CA_EXT)
    issuer = (root, root_key[0], root_key[1])
    inters = []
    if rng.random() < 0.6 or defect in ("missing_inter", "inter_only_ca"):
        ikey = keys.take(kind())
        inter = ca.cert("Client Intermediate %d" % number, ikey, (root, root_key[0], root_key[1]),
                        CA_EXT)
        inters.append(inter)
        issuer = (inter, ikey[0], ikey[1])
    leaf_kind = kind()
    leaf_key = keys.take(leaf_kind)
    dates = {"expired": EXPIRED, "future": FUTURE}.get(defect, (START, END))
    eku = "serverAuth" if defect == "client_eku" else "clientAuth"
    leaf = ca.cert(user, leaf_key, issuer, leaf_ext(eku), dates)
    s.notes.append("client: %s leaf (%s), %d intermediate(s), root %s" % (
        leaf_kind, "EKU " + eku, len(inters), root_key[1]))

    # What sslcert holds: the leaf and (unless missing) its intermediates.
    cert_file = cat([leaf] + ([] if defect == "missing_inter" else inters),
                    os.path.join(directory, "client.crt"))
    client_untrusted = None
    if defect != "missing_inter" and inters:
        client_untrusted = cat(inters, os.path.join(directory, "client-inters.pem"))

    # The CA that checks client certificates.
    if defect == "wrong_ca":
        other_key = keys.take(kind())
        client_trusted = ca.cert("Client Root %d" % number, other_key, ext=CA_EXT)
        s.notes.append("client CA file: an unrelated root with the same name")
    elif defect == "inter_only_ca":
        client_trusted = inters[0]
        s.notes.append("client CA file: only the intermediate")
    else:
        client_trusted = root

    # The key file.
    key_src = leaf_key
    if defect == "key_mismatch":
        key_src = keys.take(leaf_kind)
        s.notes.append("key: another %s key" % leaf_kind)
    fmt = key_format(rng, key_src[1], True if defect == "wrong_passphrase" else None)
    right = "pass-%d-%d" % (number, rng.randrange(10 ** 6))
    ext = ".pk8" if "der" in fmt else ".key"
    key_file = store_key(key_src[0], key_src[1], fmt, right, os.path.join(directory, "client" + ext))
    given = right
    if defect == "wrong_passphrase":
        given = right + "x"
    encrypted = FORMATS[fmt][1]
    s.key_format = "%s/%s" % (key_src[1], fmt)
    s.notes.append("key format %s%s" % (fmt, (", passphrase " + (
        "wrong" if given != right else "right")) if encrypted else ""))

    # The server side.
    server_trusted = None
    host = None
    if with_server:
        host = rng.choice(["db%d.example.test" % number, "10.%d.0.%d" % (number % 250, 1 + number % 200)])
        san = ("IP:" if host[0].isdigit() else "DNS:") + host
        if defect == "server_san":
            san = "DNS:other%d.example.test" % number
        seku = "clientAuth" if defect == "server_eku" else "serverAuth"
        same_root = rng.random() < 0.5
        if same_root and defect not in ("wrong_ca", "inter_only_ca"):
            sroot, sroot_key = root, root_key
        else:
            sroot_key = keys.take(kind())
            sroot = ca.cert("Server Root %d" % number, sroot_key, ext=CA_EXT)
        skey = keys.take(kind())
        server = ca.cert(host if not host[0].isdigit() else "server %d" % number, skey,
                         (sroot, sroot_key[0], sroot_key[1]), leaf_ext(seku, san))
        server_chain = server
        server_trusted = sroot
        s.notes.append("server: SAN %s, EKU %s, %s root" % (san, seku,
                                                           "shared" if sroot == root else "own"))
    # What the check is given: sslrootcert is the server's root when there is a server,
    # and the client CA is passed separately when it differs.
    ca_file = server_trusted if with_server else client_trusted
    s.args = ["check", "--json", "--now", AT_RFC3339, "--ca", ca_file, "--cert", cert_file,
              "--key", key_file]
    if with_server:
        s.args += ["--server-cert", server_chain]
    if client_trusted != ca_file:
        s.args += ["--client-ca", client_trusted]
    if encrypted:
        s.args += ["--key-password-env", PASS_VAR]
        s.env = {PASS_VAR: given}
    s.dsn = "host=%s dbname=app user=%s sslmode=verify-full sslrootcert=%s sslcert=%s sslkey=%s" % (
        host or "db.example.test", user, ca_file, cert_file, key_file)
    if not with_server:
        s.dsn = s.dsn.replace("sslmode=verify-full", "sslmode=verify-ca")
    s.args += ["--dsn", s.dsn]

    # Oracles.
    ok, out = openssl_verify(leaf, client_trusted, client_untrusted, "client")
    s.expect["client_valid"] = ok
    # Strict differs only where the scenario says why: an intermediate-only CA file is a
    # valid anchor under RFC 5280 (openssl's -partial_chain), never under libpq.
    s.expect["client_strict"] = ok or (
        defect == "inter_only_ca" and _partial_ok(leaf, client_trusted, client_untrusted))
    s.oracle_out = {"client": out}
    s.verify_client = (leaf, client_trusted, client_untrusted)
    if with_server:
        ok, out = openssl_verify(server_chain, server_trusted, None, "server", host)
        s.expect["server_valid"] = ok
        s.expect["server_strict"] = ok
        s.oracle_out["server"] = out
        s.verify_server = (server_chain, server_trusted, host)
    else:
        s.verify_server = None
    key_spki = openssl_key_spki(key_file, given)
    s.expect["key_opens"] = key_spki is not None
    s.expect["key_match"] = None if key_spki is None else key_spki == openssl_cert_spki(leaf)
    s.expect["codes"] = expected_codes(defect, s.expect)
    s.expect["exit"] = 0 if defect == "none" else 1
    return s


def _partial_ok(leaf, trusted, untrusted):
    """RFC 5280 accepts any trusted certificate as the anchor: openssl's -partial_chain."""
    args = ["openssl", "verify", "-attime", str(AT_EPOCH), "-purpose", "sslclient", "-partial_chain",
            "-no-CApath", "-no-CAstore", "-CAfile", trusted]
    if untrusted:
        args += ["-untrusted", untrusted]
    return run(args + [leaf]).returncode == 0


def expected_codes(defect, expect):
    codes = {
        "expired": ["PGP-CERT-001"],
        "future": ["PGP-CERT-002"],
        "key_mismatch": ["PGP-KEY-004"],
        "client_eku": ["PGP-CERT-008"],
        "server_eku": ["PGP-CERT-010"],
        "wrong_passphrase": ["PGP-KEY-002"],
        "inter_only_ca": ["PGP-CHAIN-002"],
        "missing_inter": ["PGP-CHAIN-001"],
    }.get(defect, [])
    return codes


# ---------------------------------------------------------------- running pg-preflight

def cli_json(cli, args, env=None):
    r = run([cli] + args, env)
    text = r.stdout.decode(errors="replace")
    try:
        return r.returncode, json.loads(text), text + r.stderr.decode(errors="replace")
    except ValueError:
        return r.returncode, None, text + r.stderr.decode(errors="replace")


def verify_chain(cli, leaf, trusted, untrusted, purpose, policy, host=None):
    args = ["verify-chain", "--json", "--leaf", leaf, "--trusted", trusted, "--at", AT_RFC3339,
            "--purpose", purpose, "--policy", policy]
    if untrusted:
        args += ["--untrusted", untrusted]
    if host:
        args += ["--host", host]
    status, doc, text = cli_json(cli, args)
    if doc is None:
        return None, text
    if (status == 0) != bool(doc.get("valid")):
        return None, "exit status %d does not match valid=%s\n%s" % (status, doc.get("valid"), text)
    return bool(doc.get("valid")), text


def judge(cli, s):
    """Returns the list of disagreements for one scenario."""
    problems = []
    status, doc, text = cli_json(cli, s.args, s.env)
    if doc is None:
        return ["check --json printed no JSON (exit %d):\n%s" % (status, text)]
    e = s.expect
    codes = [d["code"] for d in doc.get("diagnostics", [])]
    errors = [d["code"] for d in doc.get("diagnostics", []) if d.get("severity") == "error"]
    if status != e["exit"]:
        problems.append("exit status %d, expected %d (errors: %s)" % (status, e["exit"], errors))
    if doc.get("keyMatch") != e["key_match"]:
        problems.append("keyMatch %r, openssl pkey says %r" % (doc.get("keyMatch"), e["key_match"]))
    for code in e["codes"]:
        if code not in codes:
            problems.append("expected %s among %s" % (code, codes))
    if e["key_opens"] and "PGP-KEY-002" in codes:
        problems.append("PGP-KEY-002 but openssl opens the key with this passphrase")
    if e["key_match"] is True and "PGP-KEY-004" in codes:
        problems.append("PGP-KEY-004 but openssl says the key matches")
    chains = doc.get("chains") or {}
    client = chains.get("client")
    if client is None:
        problems.append("chains.client is null")
    else:
        if client.get("valid") != e["client_valid"]:
            problems.append("chains.client.valid %r, openssl verify says %r (%s)" % (
                client.get("valid"), e["client_valid"], s.oracle_out["client"]))
        if client.get("strictValid") != e["client_strict"]:
            problems.append("chains.client.strictValid %r, expected %r" % (
                client.get("strictValid"), e["client_strict"]))
    if s.verify_server:
        server = chains.get("server")
        if server is None:
            problems.append("chains.server is null")
        elif server.get("valid") != e["server_valid"] or server.get("strictValid") != e["server_strict"]:
            problems.append("chains.server %r, openssl verify says valid=%r (%s)" % (
                server, e["server_valid"], s.oracle_out["server"]))
    # verify-chain, both policies.
    leaf, trusted, untrusted = s.verify_client
    for policy, want in (("libpq", e["client_valid"]), ("strict", e["client_strict"])):
        got, out = verify_chain(cli, leaf, trusted, untrusted, "client", policy)
        if got != want:
            problems.append("verify-chain --purpose client --policy %s: %r, expected %r\n%s" % (
                policy, got, want, out))
    if s.verify_server:
        leaf, trusted, host = s.verify_server
        for policy, want in (("libpq", e["server_valid"]), ("strict", e["server_strict"])):
            got, out = verify_chain(cli, leaf, trusted, None, "server", policy, host)
            if got != want:
                problems.append("verify-chain --purpose server --host %s --policy %s: %r, expected %r\n%s"
                                % (host, policy, got, want, out))
    if problems:
        problems.append("check output:\n" + text)
    return problems


# ---------------------------------------------------------------- openssl pkey differential

def pkey_case(rng, keys, directory, cli, number):
    keys.reset()
    kind = rng.choice(KINDS)
    src = keys.take(kind)
    fmt = key_format(rng, kind)
    passphrase = "k%d-%d" % (number, rng.randrange(10 ** 6))
    path = store_key(src[0], kind, fmt, passphrase,
                     os.path.join(directory, "k%d%s" % (number, ".pk8" if "der" in fmt else ".key")))
    spki = openssl_key_spki(path, passphrase)
    want = hashlib.sha256(spki).hexdigest().upper() if spki else None
    args = ["inspect", "--json", "--as", "key", path]
    env = None
    if FORMATS[fmt][1]:
        args[1:1] = ["--key-password-env", PASS_VAR]
        env = {PASS_VAR: passphrase}
    status, doc, text = cli_json(cli, args, env)
    got = None
    if doc:
        got = [i["publicKeySha256"].replace(":", "") for i in doc.get("items", [])
               if i.get("publicKeySha256")]
    if want is None:
        return ["openssl pkey cannot read its own %s %s key" % (kind, fmt)]
    if got != [want]:
        return ["%s key as %s: publicKeySha256 %r, openssl pkey says %s\n%s" % (
            kind, fmt, got, want, text)]
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", default=os.path.join(ROOT, "target", "debug", "pg-preflight"))
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--keys", type=int, default=None,
                        help="keys for the openssl pkey differential (default: --count)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="keep the scenarios in this directory")
    opts = parser.parse_args()
    if shutil.which("openssl") is None:
        print("pki-check: SKIPPED (openssl not found)")
        return 0
    cli = os.path.abspath(opts.cli)
    if not os.access(cli, os.X_OK):
        print("pki-check: %s is not built (cargo build -p pg-preflight-cli)" % cli)
        return 1
    print("pki-check: seed %d, %d scenarios, openssl %s" % (
        opts.seed, opts.count, must(["openssl", "version"]).decode().strip()))
    rng = random.Random(opts.seed)
    base = opts.keep or tempfile.mkdtemp(prefix="pgp-check-")
    os.makedirs(base, exist_ok=True)
    started = time.time()
    passed = failed = 0
    try:
        keys = Keys(os.path.join(base, "keys"), per_kind=6)
        os.makedirs(keys.dir, exist_ok=True)
        tally, formats = {}, {}
        for number in range(1, opts.count + 1):
            directory = os.path.join(base, "s%03d" % number)
            os.makedirs(directory)
            s = build(rng, keys, directory, number)
            tally[s.defect] = tally.get(s.defect, 0) + 1
            formats[s.key_format.split("/")[1]] = formats.get(s.key_format.split("/")[1], 0) + 1
            problems = judge(cli, s)
            if problems:
                failed += 1
                print("FAIL scenario %d (seed %d): %s" % (number, opts.seed, s.defect))
                print("  " + "\n  ".join(s.notes))
                print("  dsn: " + s.dsn)
                print("  expected: " + json.dumps(s.expect))
                for p in problems:
                    print("  - " + p.replace("\n", "\n    "))
            else:
                passed += 1
        print("pki-check: scenarios by defect: " + ", ".join(
            "%s %d" % kv for kv in sorted(tally.items())))
        print("pki-check: client keys by format: " + ", ".join(
            "%s %d" % kv for kv in sorted(formats.items())))
        key_count = opts.count if opts.keys is None else opts.keys
        kdir = os.path.join(base, "pkey")
        os.makedirs(kdir)
        for number in range(1, key_count + 1):
            problems = pkey_case(rng, keys, kdir, cli, number)
            if problems:
                failed += 1
                print("FAIL pkey %d (seed %d):\n  %s" % (number, opts.seed, "\n  ".join(problems)))
            else:
                passed += 1
    finally:
        if not opts.keep:
            shutil.rmtree(base, ignore_errors=True)
    print("pki-check: %.0f s" % (time.time() - started))
    print("pki-check: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
