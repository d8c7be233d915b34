#!/usr/bin/env python3
"""Every certificate and key in pyca's `cryptography-vectors` through `pg-preflight inspect`.

Two checks, both required to hold:
  1. No file makes pg-preflight crash or hang: exit status 0 or 1, valid JSON, within 10 s.
  2. For every private or public key pyca `cryptography` can load without a password (or with
     the vectors' documented test passwords), pg-preflight finds the same public key: RSA
     modulus and exponent, EC curve and point, Ed25519 bytes.

Usage: cryptography-vectors.py --cli PATH [--limit N]. Run by tests/pki/run-vectors.sh, which
sets up the venv. Prints "N passed, N failed" last.
"""
import argparse
import json
import os
import subprocess
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
import cryptography_vectors

PASSWORDS = [None, b"password", b"foobar", b"cryptography", b"test", b"1234"]
CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
SUFFIXES = (".pem", ".der", ".key", ".crt", ".cer", ".pk8", ".p8", ".p12", ".pfx", ".pub")


def candidate_files(root):
    for base in ("asymmetric", "x509", "pkcs12"):
        top = os.path.join(root, base)
        for directory, _, names in os.walk(top):
            for name in sorted(names):
                if name.lower().endswith(SUFFIXES):
                    yield os.path.join(directory, name)


def pyca_public(data):
    """(public key as pg-preflight prints it, password used, kind) for what pyca loads, or Nones."""
    for loader in (serialization.load_pem_private_key, serialization.load_der_private_key):
        for password in PASSWORDS:
            try:
                key = loader(data, password=password)
            except Exception:
                continue
            return describe(key.public_key()), password, "privateKey"
    for loader in (serialization.load_pem_public_key, serialization.load_der_public_key):
        try:
            key = loader(data)
        except Exception:
            continue
        return describe(key), None, "publicKey"
    return None, None, None


def describe(public):
    def hexint(n):
        text = format(n, "x")
        return ("0" + text) if len(text) % 2 else text

    if isinstance(public, rsa.RSAPublicKey):
        numbers = public.public_numbers()
        return {"type": "rsa", "n": hexint(numbers.n), "e": hexint(numbers.e)}
    if isinstance(public, ec.EllipticCurvePublicKey):
        curve = CURVES.get(public.curve.name)
        if curve is None:
            return None
        point = public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"type": "ec", "curve": curve, "point": point.hex()}
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"type": "ed25519", "key": raw.hex()}
    return None


def inspect(cli, path, password):
    env = dict(os.environ)
    args = [cli, "inspect", "--as", "key", "--json", path]
    if password is not None:
        env["PGP_VECTOR_PASSWORD"] = password.decode()
        args[2:2] = ["--key-password-env", "PGP_VECTOR_PASSWORD"]
    result = subprocess.run(args, capture_output=True, timeout=10, env=env)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--limit", type=int, default=0)
    options = parser.parse_args()
    root = os.path.dirname(cryptography_vectors.__file__)
    passed = failed = compared = 0
    failures = []
    files = list(candidate_files(root))
    if options.limit:
        files = files[: options.limit]
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        expected, password, kind = pyca_public(data)
        try:
            result = inspect(options.cli, path, password)
        except subprocess.TimeoutExpired:
            failed += 1
            failures.append(f"HANG {path}")
            continue
        if result.returncode not in (0, 1):
            failed += 1
            failures.append(f"EXIT {result.returncode} {path}: {result.stderr.decode(errors='replace')[:300]}")
            continue
        try:
            report = json.loads(result.stdout)
        except ValueError:
            failed += 1
            failures.append(f"NOT JSON {path}")
            continue
        if expected is not None:
            compared += 1
            found = [item.get("publicKey") for item in report["items"] if item["kind"]["type"] == kind]
            if expected not in found:
                failed += 1
                failures.append(f"MISMATCH {path}: pyca {expected} vs ours {found}")
                continue
        passed += 1
    for line in failures[:50]:
        print(line)
    print(f"cryptography-vectors: {len(files)} files, {compared} keys compared with pyca")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
