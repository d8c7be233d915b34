#!/usr/bin/env python3
"""Differential test: `pg-preflight verify-chain --policy libpq` against OpenSSL with libpq's
settings, on randomly generated certificate scenarios.

  openssl-differential.py [--cli target/debug/pg-preflight] [--count 60] [--seed 1] [--keep DIR]

libpq verifies the server's certificate with OpenSSL's `X509_verify_cert`, called by libssl as
`ssl_verify_cert_chain` does: the peer's chain as the untrusted stack (in the order sent), the
`ssl_server` defaults (purpose sslserver; the PostgreSQL server checks client certificates with
`ssl_client`), no X509_V_FLAG_PARTIAL_CHAIN, security level 1. Two oracles are asked:

  library  libcrypto through ctypes, with exactly that call sequence — libpq's own decision;
  cli      openssl verify -attime T -auth_level 1 [-purpose sslserver|sslclient]
                          -no-CApath -no-CAstore -CAfile trusted.pem [-untrusted u.pem] leaf.pem

Scenarios are generated with openssl into a temporary directory: a random PKI (1 to 4
certificates, RSA/P-256/P-384/Ed25519 keys, SHA-1/256/384/512 and RSA-PSS signatures) with
random defects (expired or not-yet-valid certificates anywhere in the chain, missing
intermediates, an intermediate-only CA file, a rogue root with the right name, non-CA issuers,
missing keyCertSign, pathLen violations, EKU/keyUsage variations on leaf, intermediates and
root, unknown critical extensions, name constraints, cross-signed duplicates from an untrusted
root, expired alternatives, duplicated and shuffled bundles, self-signed leaves) and a random
purpose. pg-preflight must agree with each oracle; every disagreement is printed with all
outputs. Exit status 1 on any disagreement; 0 with a SKIPPED line when openssl is missing.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

sys.path.insert(0, HERE)
from scenario_dates import AT, AT_EPOCH, AT_RFC3339, CNF, END, EXPIRED, FUTURE, START  # noqa: E402



def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


class Pki:
    """One scenario's certificates, made with `openssl ca` so that dates are exact."""

    def __init__(self, directory, rng, key_pool):
        self.dir = directory
        self.rng = rng
        self.key_pool = key_pool
        self.n = 0
        os.makedirs(os.path.join(directory, "db"))
        open(os.path.join(directory, "db", "index.txt"), "w").close()
        with open(os.path.join(directory, "db", "serial"), "w") as f:
            f.write("%04X\n" % rng.randrange(0x1000, 0xFFFF))
        self.cnf = os.path.join(directory, "ca.cnf")
        with open(self.cnf, "w") as f:
            f.write(CNF.format(dir=os.path.join(directory, "db")))

    def key(self, kind):
        return self.key_pool.take(kind)

    def cert(self, subject, key, issuer=None, ext=(), dates=(START, END), md="sha256", pss=False):
        """issuer: (cert_path, key_path, key_kind) or None for self-signed."""
        self.n += 1
        name = os.path.join(self.dir, "c%02d" % self.n)
        csr = name + ".csr"
        r = run(["openssl", "req", "-new", "-key", key[0], "-subj", subject, "-out", csr])
        assert r.returncode == 0, r.stderr
        extfile = name + ".ext"
        with open(extfile, "w") as f:
            f.write("[ x ]\n" + "\n".join(ext) + "\n")
        signer_kind = issuer[2] if issuer else key[1]
        args = ["openssl", "ca", "-batch", "-config", self.cnf, "-notext", "-extfile", extfile,
                "-extensions", "x", "-startdate", dates[0], "-enddate", dates[1]]
        if signer_kind == "ed25519":
            args += ["-md", "default"]
        else:
            args += ["-md", md]
            if pss and signer_kind == "rsa":
                args += ["-sigopt", "rsa_padding_mode:pss", "-sigopt",
                         "rsa_pss_saltlen:%d" % self.rng.choice([20, 32, 64])]
        if issuer:
            args += ["-cert", issuer[0], "-keyfile", issuer[1]]
        else:
            args += ["-selfsign", "-keyfile", key[0]]
        args += ["-in", csr, "-out", name + ".crt"]
        r = run(args)
        assert r.returncode == 0, (args, r.stderr, open(extfile).read())
        return name + ".crt"


class KeyPool:
    """Keys are the slow part; a small pool of pre-generated keys of each kind is reused
    across scenarios (never twice within one scenario)."""

    KINDS = {"rsa": ["genrsa", "2048"], "p256": "prime256v1", "p384": "secp384r1", "ed25519": None}

    def __init__(self, directory, per_kind=8):
        self.keys = {}
        for kind in self.KINDS:
            self.keys[kind] = []
            for i in range(per_kind):
                path = os.path.join(directory, "%s-%d.key" % (kind, i))
                if kind == "rsa":
                    r = run(["openssl", "genrsa", "-out", path, "2048"])
                elif kind == "ed25519":
                    r = run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", path])
                else:
                    r = run(["openssl", "ecparam", "-name", self.KINDS[kind], "-genkey", "-noout",
                             "-out", path])
                assert r.returncode == 0, r.stderr
                self.keys[kind].append(path)
        self.used = set()

    def reset(self):
        self.used = set()

    def take(self, kind):
        for path in self.keys[kind]:
            if path not in self.used:
                self.used.add(path)
                return (path, kind)
        raise RuntimeError("key pool exhausted for " + kind)


def ca_ext(pathlen=None, ku="critical,keyCertSign,cRLSign", bc=True, ca=True, eku=None, nc=None,
           extra=()):
    ext = []
    if bc:
        ext.append("basicConstraints = critical,CA:%s%s" % (
            "true" if ca else "false", ",pathlen:%d" % pathlen if pathlen is not None else ""))
    if ku:
        ext.append("keyUsage = " + ku)
    if eku:
        ext.append("extendedKeyUsage = " + eku)
    if nc:
        ext.append("nameConstraints = critical," + nc)
    ext += ["subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid:always"]
    return ext + list(extra)


def scenario(rng, pki, directory):
    """Builds one random scenario; returns (description, leaf, trusted list, untrusted list,
    purpose)."""
    kinds = ["rsa", "rsa", "p256", "p256", "p384", "ed25519"]
    mdchoice = lambda: rng.choice(["sha256", "sha256", "sha384", "sha512", "sha1"])
    n_inter = rng.choice([0, 1, 1, 2, 2, 3])
    defects = set()
    pool = ["expired", "future", "inter_not_ca", "inter_no_bc", "inter_no_keycertsign",
            "pathlen", "leaf_eku", "leaf_ku", "inter_eku", "critical_unknown", "missing_inter",
            "trust_inter_only", "trust_inter_and_root", "root_in_untrusted", "wrong_root",
            "rogue_root", "cross_expired", "self_signed_leaf", "name_constraints",
            "extra_roots", "duplicates", "root_eku", "root_expired_alternative",
            "cross_unknown"]
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        defects.add(rng.choice(pool))
    if n_inter == 0:
        defects -= {"inter_not_ca", "inter_no_bc", "inter_no_keycertsign", "inter_eku",
                    "missing_inter", "trust_inter_only", "trust_inter_and_root", "cross_expired",
                    "cross_unknown"}
    purpose = rng.choice([None, "server", "server", "client"])
    desc = {"intermediates": n_inter, "defects": sorted(defects), "purpose": purpose}

    # Positions: 0 = leaf, 1..n_inter = intermediates (1 next to the leaf), n_inter+1 = root.
    top = n_inter + 1
    def dates_for(pos):
        if "expired" in defects and desc.setdefault("expired_at", rng.randrange(0, top + 1)) == pos:
            return EXPIRED
        if "future" in defects and desc.setdefault("future_at", rng.randrange(0, top + 1)) == pos:
            return FUTURE
        return (START, END)
    crit_at = rng.randrange(0, top + 1) if "critical_unknown" in defects else -1
    crit = ["1.3.6.1.4.1.55555.%d = critical,ASN1:NULL" % rng.randrange(1, 9)]
    bad_inter = rng.randrange(1, top) if n_inter else -1
    md_at = {pos: mdchoice() for pos in range(top + 1)}
    desc["md"] = md_at
    pss = rng.random() < 0.3
    desc["pss"] = pss

    root_kind = rng.choice(kinds)
    root_key = pki.key(root_kind)
    root_ext = ca_ext(pathlen=0 if ("pathlen" in defects and n_inter >= 1 and rng.random() < 0.5) else None,
                      eku=rng.choice(["serverAuth", "clientAuth", "serverAuth,clientAuth"]) if "root_eku" in defects else None,
                      nc="permitted;DNS:example.com" if "name_constraints" in defects and rng.random() < 0.5 else None,
                      extra=crit if crit_at == top else ())
    root_subject = "/O=Differential/CN=Root %d" % rng.randrange(1000)
    root = pki.cert(root_subject, root_key, None, root_ext, dates_for(top), md_at[top], pss)
    issuer = (root, root_key[0], root_kind)
    chain = {top: (root, root_key, root_kind, root_subject)}
    for pos in range(top - 1, 0, -1):
        kind = rng.choice(kinds)
        key = pki.key(kind)
        subject = "/O=Differential/CN=Intermediate %d-%d" % (pos, rng.randrange(1000))
        ext = ca_ext(
            pathlen=0 if ("pathlen" in defects and pos == top - 1 and n_inter >= 2) else None,
            bc=not ("inter_no_bc" in defects and pos == bad_inter),
            ca=not ("inter_not_ca" in defects and pos == bad_inter),
            ku="critical,digitalSignature" if ("inter_no_keycertsign" in defects and pos == bad_inter)
            else "critical,keyCertSign,cRLSign",
            eku=rng.choice(["clientAuth", "serverAuth", "serverAuth,clientAuth"]) if ("inter_eku" in defects and pos == bad_inter) else None,
            nc="permitted;DNS:example.com" if ("name_constraints" in defects and pos == 1) else None,
            extra=crit if crit_at == pos else ())
        cert = pki.cert(subject, key, issuer, ext, dates_for(pos), md_at[pos], pss)
        chain[pos] = (cert, key, kind, subject)
        issuer = (cert, key[0], kind)

    leaf_kind = rng.choice(kinds)
    leaf_key = pki.key(leaf_kind)
    eku = "serverAuth"
    if "leaf_eku" in defects:
        eku = rng.choice([None, "clientAuth", "serverAuth,clientAuth", "anyExtendedKeyUsage",
                          "codeSigning", "serverAuth"])
    ku = "critical,digitalSignature,keyEncipherment"
    if "leaf_ku" in defects:
        ku = rng.choice([None, "critical,digitalSignature", "critical,keyEncipherment",
                         "critical,nonRepudiation", "critical,keyAgreement"])
    host = rng.choice(["db.example.com", "db.example.org"]) if "name_constraints" in defects else "db.example.com"
    leaf_ext = ["basicConstraints = critical,CA:false"]
    if ku:
        leaf_ext.append("keyUsage = " + ku)
    if eku:
        leaf_ext.append("extendedKeyUsage = " + eku)
    leaf_ext += ["subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid:always",
                 "subjectAltName = DNS:" + host]
    if crit_at == 0:
        leaf_ext += crit
    desc.update(leaf_eku=eku, leaf_ku=ku, leaf_host=host)
    if "self_signed_leaf" in defects:
        leaf = pki.cert("/CN=" + host, leaf_key, None, leaf_ext, dates_for(0), md_at[0], pss)
    else:
        leaf = pki.cert("/CN=" + host, leaf_key, issuer, leaf_ext, dates_for(0), md_at[0], pss)

    intermediates = [chain[p][0] for p in range(1, top)]
    trusted = [root]
    untrusted = list(intermediates)
    if "self_signed_leaf" in defects:
        trusted = [leaf] if rng.random() < 0.5 else [root]
    if "missing_inter" in defects and untrusted:
        untrusted.remove(rng.choice(untrusted))
    if "trust_inter_only" in defects:
        picked = rng.choice(intermediates)
        trusted = [picked]
        if rng.random() < 0.5:
            untrusted.append(root)
    if "trust_inter_and_root" in defects:
        trusted = [rng.choice(intermediates), root]
    if "root_in_untrusted" in defects:
        untrusted.append(root)
    other_key = None
    if "wrong_root" in defects:
        other_key = pki.key(rng.choice(kinds))
        trusted = [pki.cert("/O=Differential/CN=Other Root", other_key, None, ca_ext())]
    if "rogue_root" in defects:
        rogue_kind = rng.choice(kinds)
        rogue = pki.cert(root_subject, pki.key(rogue_kind), None, ca_ext())
        trusted = [rogue] + ([root] if rng.random() < 0.5 else [])
    if "cross_expired" in defects:
        pos = rng.randrange(1, top)
        cert, key, kind, subject = chain[pos]
        parent = chain[pos + 1]
        dup = pki.cert(subject, key, (parent[0], parent[1][0], parent[2]), ca_ext(), EXPIRED, "sha256")
        untrusted.insert(0, dup)
    if "cross_unknown" in defects:
        # The same intermediate (name and key) also issued by a root nobody trusts, listed first.
        pos = rng.randrange(1, top)
        cert, key, kind, subject = chain[pos]
        stranger_kind = rng.choice(kinds)
        stranger_key = pki.key(stranger_kind)
        stranger = pki.cert("/O=Differential/CN=Stranger Root", stranger_key, None, ca_ext())
        dup = pki.cert(subject, key, (stranger, stranger_key[0], stranger_kind), ca_ext())
        untrusted.insert(0, dup)
        desc["cross_unknown_at"] = pos
    if "root_expired_alternative" in defects:
        # An expired copy of the root (same name and key) in the CA file as well.
        old_root = pki.cert(root_subject, root_key, None, ca_ext(), EXPIRED, "sha256")
        trusted.insert(rng.randrange(0, len(trusted) + 1), old_root)
    if "extra_roots" in defects:
        for i in range(rng.choice([1, 2])):
            trusted.append(pki.cert("/O=Differential/CN=Unrelated %d" % i, pki.key(rng.choice(kinds)), None, ca_ext()))
    if "duplicates" in defects:
        untrusted += untrusted[:]
    if rng.random() < 0.5:
        rng.shuffle(untrusted)
    if rng.random() < 0.5:
        rng.shuffle(trusted)
    return desc, leaf, trusted, untrusted, purpose


def concat(paths, out):
    with open(out, "w") as f:
        for p in paths:
            with open(p) as c:
                f.write(c.read())
    return out


class LibCrypto:
    """X509_verify_cert called as libssl's ssl_verify_cert_chain calls it."""

    def __init__(self):
        import ctypes
        import ctypes.util
        self.ct = ctypes
        name = ctypes.util.find_library("crypto")
        self.lib = ctypes.CDLL(name) if name else None
        if self.lib is None:
            return
        p, i = ctypes.c_void_p, ctypes.c_int
        for fname, res, argtypes in [
            ("BIO_new_mem_buf", p, [ctypes.c_char_p, i]),
            ("PEM_read_bio_X509", p, [p, p, p, p]),
            ("OPENSSL_sk_new_null", p, []),
            ("OPENSSL_sk_push", i, [p, p]),
            ("X509_STORE_new", p, []),
            ("X509_STORE_add_cert", i, [p, p]),
            ("X509_STORE_CTX_new", p, []),
            ("X509_STORE_CTX_init", i, [p, p, p, p]),
            ("X509_STORE_CTX_set_default", i, [p, ctypes.c_char_p]),
            ("X509_STORE_CTX_set_time", None, [p, ctypes.c_ulong, ctypes.c_long]),
            ("X509_STORE_CTX_get0_param", p, [p]),
            ("X509_VERIFY_PARAM_set_auth_level", None, [p, i]),
            ("X509_verify_cert", i, [p]),
            ("X509_STORE_CTX_get_error", i, [p]),
            ("X509_STORE_CTX_get_error_depth", i, [p]),
            ("X509_verify_cert_error_string", ctypes.c_char_p, [ctypes.c_long]),
        ]:
            f = getattr(self.lib, fname)
            f.restype = res
            f.argtypes = argtypes

    def certs(self, paths):
        out = []
        for path in paths:
            data = open(path, "rb").read()
            bio = self.lib.BIO_new_mem_buf(data, len(data))
            while True:
                x = self.lib.PEM_read_bio_X509(bio, None, None, None)
                if not x:
                    break
                out.append(x)
        return out

    def verdict(self, leaf, trusted, untrusted, purpose):
        lib = self.lib
        store = lib.X509_STORE_new()
        for x in self.certs(trusted):
            lib.X509_STORE_add_cert(store, x)
        chain = lib.OPENSSL_sk_new_null()
        for x in self.certs(untrusted):
            lib.OPENSSL_sk_push(chain, x)
        ctx = lib.X509_STORE_CTX_new()
        lib.X509_STORE_CTX_init(ctx, store, self.certs([leaf])[0], chain)
        lib.X509_VERIFY_PARAM_set_auth_level(lib.X509_STORE_CTX_get0_param(ctx), 1)
        if purpose:
            lib.X509_STORE_CTX_set_default(ctx, b"ssl_server" if purpose == "server" else b"ssl_client")
        lib.X509_STORE_CTX_set_time(ctx, 0, AT_EPOCH)
        ok = lib.X509_verify_cert(ctx) == 1
        err = lib.X509_STORE_CTX_get_error(ctx)
        return ok, "error %d at depth %d: %s" % (err, lib.X509_STORE_CTX_get_error_depth(ctx),
                                                 lib.X509_verify_cert_error_string(err).decode())


def openssl_verdict(leaf, trusted, untrusted, purpose):
    args = ["openssl", "verify", "-attime", str(AT_EPOCH), "-auth_level", "1", "-no-CApath",
            "-no-CAstore", "-CAfile", trusted]
    if untrusted:
        args += ["-untrusted", untrusted]
    if purpose:
        args += ["-purpose", "sslserver" if purpose == "server" else "sslclient"]
    args.append(leaf)
    r = run(args)
    ok = r.returncode == 0 and r.stdout.strip().endswith(": OK")
    return ok, (r.stdout + r.stderr).strip()


def ours_verdict(cli, leaf, trusted, untrusted, purpose):
    args = [cli, "verify-chain", "--leaf", leaf, "--trusted", trusted, "--at", AT_RFC3339,
            "--policy", "libpq", "--json"]
    if untrusted:
        args += ["--untrusted", untrusted]
    if purpose:
        args += ["--purpose", purpose]
    r = run(args)
    if r.returncode not in (0, 1):
        return None, r.stderr.strip()
    report = json.loads(r.stdout)
    return report["valid"], "; ".join("%s %s" % (d["code"], d["detail"]) for d in report["diagnostics"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", default=os.path.join(ROOT, "target", "debug", "pg-preflight"))
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="keep the generated scenarios in this directory")
    args = parser.parse_args()
    if shutil.which("openssl") is None:
        print("SKIPPED openssl differential: openssl is not installed")
        return 0
    if not os.path.exists(args.cli):
        r = run(["cargo", "build", "-q", "-p", "pg-preflight-cli"], cwd=ROOT)
        if r.returncode != 0:
            sys.exit("cannot build pg-preflight: " + r.stderr)
    work = args.keep or tempfile.mkdtemp(prefix="pgp-openssl-diff-")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(args.seed)
    library = LibCrypto()
    if library.lib is None:
        print("note: libcrypto not found through ctypes; only the openssl CLI oracle is used")
    keydir = os.path.join(work, "keys")
    os.makedirs(keydir, exist_ok=True)
    keys = KeyPool(keydir)
    agree = disagree = 0
    cli_disagree = lib_disagree = 0
    tally = {"valid": 0, "invalid": 0}
    coverage = {}
    try:
        for i in range(args.count):
            keys.reset()
            directory = os.path.join(work, "s%03d" % i)
            pki = Pki(directory, rng, keys)
            desc, leaf, trusted, untrusted, purpose = scenario(rng, pki, directory)
            trusted_pem = concat(trusted, os.path.join(directory, "trusted.pem"))
            untrusted_pem = concat(untrusted, os.path.join(directory, "untrusted.pem")) if untrusted else None
            cli, cli_text = openssl_verdict(leaf, trusted_pem, untrusted_pem, purpose)
            if library.lib is not None:
                lib, lib_text = library.verdict(leaf, trusted, untrusted, purpose)
            else:
                lib, lib_text = cli, "(not run)"
            ours, our_text = ours_verdict(args.cli, leaf, trusted_pem, untrusted_pem, purpose)
            tally["valid" if lib else "invalid"] += 1
            for defect in desc["defects"] or ["none"]:
                seen = coverage.setdefault(defect, [0, 0])
                seen[0 if lib else 1] += 1
            if ours == cli == lib:
                agree += 1
                continue
            disagree += 1
            cli_disagree += ours != cli
            lib_disagree += ours != lib
            word = lambda v: "valid" if v else ("invalid" if v is False else "error")
            print("DISAGREEMENT in scenario %d (%s): library %s, openssl verify %s, pg-preflight %s"
                  % (i, directory, word(lib), word(cli), word(ours)))
            print("  scenario:", json.dumps(desc))
            print("  library:", lib_text)
            print("  openssl verify:", cli_text.replace("\n", " | "))
            print("  pg-preflight:", our_text)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("defects (scenarios valid/invalid for OpenSSL): " + ", ".join(
        "%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(coverage.items())))
    print("openssl differential: %d scenarios (%d valid, %d invalid for OpenSSL), %d agree, "
          "%d disagree (%d with libcrypto's X509_verify_cert, %d with openssl verify)"
          % (args.count, tally["valid"], tally["invalid"], agree, disagree, lib_disagree, cli_disagree))
    print("%d passed, %d failed" % (agree, disagree))
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
