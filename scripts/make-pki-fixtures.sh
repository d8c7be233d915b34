#!/usr/bin/env bash
# Generates the certificate and key fixtures under crates/core/tests/fixtures/pki with openssl.
# The outputs are committed; never edit them by hand — change this script and rerun it.
# Dates are fixed with `openssl ca -startdate/-enddate` so tests can pass a fixed `now`
# (tests use 2026-06-01T00:00:00Z unless they say otherwise).
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/crates/core/tests/fixtures/pki"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

# A throwaway CA database for `openssl ca`, which is the only 3.0 command that sets exact dates.
ca_setup() {
  local dir="$1"
  mkdir -p "$dir"
  : > "$dir/index.txt"
  echo 1000 > "$dir/serial"
  cat > "$dir/ca.cnf" <<CNF
[ ca ]
default_ca = the_ca
[ the_ca ]
dir = $dir
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = $dir
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = copy
email_in_dn = no
[ anything ]
commonName = supplied
organizationName = optional
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_intermediate ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_server ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:db.example.com,DNS:*.replicas.example.com,IP:127.0.0.1
[ v3_client ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_client_wrong_eku ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
}

# sign NAME ISSUER_CERT ISSUER_KEY EXT START END [selfsign]
sign() {
  local name="$1" issuer_cert="$2" issuer_key="$3" ext="$4" start="$5" end="$6" self="${7:-}"
  local extra=()
  [ -n "$self" ] && extra=(-selfsign)
  openssl ca -batch -config ca/ca.cnf -notext -extensions "$ext" \
    -startdate "$start" -enddate "$end" -cert "$issuer_cert" -keyfile "$issuer_key" \
    "${extra[@]}" -in "$name.csr" -out "$name.crt" 2>/dev/null
}

csr() { # csr NAME KEYFILE SUBJECT
  openssl req -new -key "$2" -subj "$3" -out "$1.csr"
}

ca_setup "$work/ca"
START=20250101000000Z
END=20350101000000Z

openssl genrsa -out root.key 2048 2>/dev/null
csr root root.key "/O=pg-preflight fixtures/CN=Fixture Root CA"
sign root root.crt root.key v3_ca "$START" "$END" self || \
  openssl ca -batch -config ca/ca.cnf -notext -extensions v3_ca -startdate "$START" -enddate "$END" \
    -keyfile root.key -selfsign -in root.csr -out root.crt 2>/dev/null

openssl ecparam -name prime256v1 -genkey -noout -out inter.sec1.key
csr inter inter.sec1.key "/O=pg-preflight fixtures/CN=Fixture Intermediate CA"
sign inter root.crt root.key v3_intermediate "$START" "$END"

openssl genrsa -out server.key 2048 2>/dev/null
csr server server.key "/CN=db.example.com"
sign server inter.crt inter.sec1.key v3_server "$START" 20300101000000Z

openssl genrsa -traditional -out client.pkcs1.key 2048 2>/dev/null
csr client client.pkcs1.key "/CN=app_user"
sign client inter.crt inter.sec1.key v3_client "$START" 20260615000000Z

cp client.csr "$out/client.csr"
openssl ecparam -name secp384r1 -genkey -noout -out client-ec.sec1.key
csr client-ec client-ec.sec1.key "/CN=app_user"
sign client-ec root.crt root.key v3_client_wrong_eku "$START" 20240101000000Z 2>/dev/null || true
# An expired certificate: valid 2020–2024.
sign client-ec root.crt root.key v3_client_wrong_eku 20200101000000Z 20240101000000Z

openssl genpkey -algorithm ed25519 -out client-ed25519.key

# Key containers and encryptions libpq and drivers accept.
openssl pkcs8 -topk8 -nocrypt -in client.pkcs1.key -out client.pkcs8.key
openssl pkcs8 -topk8 -nocrypt -in client.pkcs1.key -outform DER -out client.pk8
openssl pkcs8 -topk8 -in client.pkcs1.key -passout pass:fixture-pass -v2 aes-256-cbc -v2prf hmacWithSHA256 -out client.pbes2-aes256.key
openssl pkcs8 -topk8 -in client.pkcs1.key -passout pass:fixture-pass -scrypt -out client.pbes2-scrypt.key
openssl pkcs8 -topk8 -in client.pkcs1.key -passout pass:fixture-pass -v1 PBE-SHA1-3DES -out client.pkcs12pbe-3des.key
openssl rsa -in client.pkcs1.key -traditional -aes128 -passout pass:fixture-pass -out client.legacy-aes128.key 2>/dev/null
openssl rsa -in client.pkcs1.key -traditional -des3 -passout pass:fixture-pass -out client.legacy-des3.key 2>/dev/null
openssl rsa -in client.pkcs1.key -pubout -out client.pub 2>/dev/null
openssl x509 -in client.crt -outform DER -out client.der
openssl pkcs12 -export -in client.crt -inkey client.pkcs1.key -passout pass:fixture-pass -out client.p12
ssh-keygen -q -t ed25519 -N '' -C fixture -f openssh.key

for f in root.crt inter.crt server.crt client.crt client-ec.crt root.key inter.sec1.key server.key \
         client.pkcs1.key client-ec.sec1.key client-ed25519.key client.pkcs8.key client.pk8 \
         client.pbes2-aes256.key client.pbes2-scrypt.key client.pkcs12pbe-3des.key \
         client.legacy-aes128.key client.legacy-des3.key client.pub client.der client.p12 openssh.key; do
  cp "$f" "$out/$f"
done
cat inter.crt root.crt > "$out/bundle.crt"
cat client.crt inter.crt > "$out/client-with-intermediate.crt"
echo "fixtures written to $out"
