#!/usr/bin/env bash
# Generates the TLS fixtures the live grants harness (tests/grants/) starts its servers with:
# a fixture CA, a server certificate for localhost / 127.0.0.1 / ::1, and client certificates
# whose CN is the role (PostgreSQL `cert` auth) or user (MariaDB REQUIRE X509) the matrix uses.
# Outputs go to tests/grants/fixtures/ and are committed; never edit them by hand — change this
# script and rerun it. Every key is a test-only key. Validity is fixed, 2025-01-01 → 2045-01-01,
# so the tests do not rot.
set -euo pipefail
scripts="$(cd "$(dirname "$0")" && pwd)"
out="${FIXTURES_OUT:-$(cd "$(dirname "$0")/.." && pwd)/tests/grants/fixtures}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

START=20250101000000Z
END=20450101000000Z

# shellcheck source=lib/fixture-ca.sh
source "$scripts/lib/fixture-ca.sh"
fixture_ca "$work/ca" 1000 none
cat >> ca/ca.cnf <<CNF
[ v3_server ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
[ v3_client ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# CA: self-signed through `openssl ca -selfsign`, which is what sets exact dates.
key ca.key
openssl req -new -key ca.key -subj "/O=pg-preflight tests/CN=pg-preflight live fixture CA" -out ca.csr
openssl ca -batch -config ca/ca.cnf -notext -selfsign -keyfile ca.key -extensions v3_ca \
  -startdate "$START" -enddate "$END" -in ca.csr -out ca.crt 2>/dev/null

issue() { # name CN extensions
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  openssl ca -batch -config ca/ca.cnf -notext -cert ca.crt -keyfile ca.key -extensions "$3" \
    -startdate "$START" -enddate "$END" -in "$1.csr" -out "$1.crt" 2>/dev/null
}

issue server localhost v3_server
# PostgreSQL cert-only role, scram+cert role, and a valid certificate for a role nobody created.
issue client-pgp_cert_reader pgp_cert_reader v3_client
issue client-pgp_scramcert_reader pgp_scramcert_reader v3_client
issue client-pgp_cert_intruder pgp_cert_intruder v3_client
# MariaDB user with REQUIRE X509.
issue client-pgp_x509_reader pgp_x509_reader v3_client

rm -f "$out"/*.crt "$out"/*.key
cp ca.crt "$out/ca.crt"
for f in server client-pgp_cert_reader client-pgp_scramcert_reader client-pgp_cert_intruder client-pgp_x509_reader; do
  cp "$f.crt" "$f.key" "$out/"
done
chmod 0600 "$out"/*.key
cat > "$out/README.md" <<'MD'
# Live TLS fixtures for tests/grants

Made by `scripts/make-live-fixtures.sh` (openssl); never edit by hand. **Every private key here is a
test-only key, published on purpose: never use any of these files outside the test harness.**

- `ca.crt` — the fixture CA (also the servers' `ssl_ca_file` for client certificates; its key is not kept).
- `server.crt`/`server.key` — CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1.
- `client-<name>.crt`/`.key` — client certificates with CN=<name>: `pgp_cert_reader` (cert auth),
  `pgp_scramcert_reader` (scram+cert), `pgp_cert_intruder` (valid, but no such role),
  `pgp_x509_reader` (MariaDB REQUIRE X509).

Validity: 2025-01-01 to 2045-01-01.
MD
echo "make-live-fixtures: wrote $(ls "$out" | wc -l) files to $out"
