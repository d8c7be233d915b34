#!/usr/bin/env bash
# Generates the certificate and key fixtures under crates/core/tests/fixtures/pki with openssl.
# The outputs are committed; never edit them by hand — change this script and rerun it.
# Dates are fixed with `openssl ca -startdate/-enddate` so tests can pass a fixed `now`
# (tests use 2026-06-01T00:00:00Z unless they say otherwise).
set -euo pipefail
scripts="$(cd "$(dirname "$0")" && pwd)"
out="${FIXTURES_OUT:-$(cd "$(dirname "$0")/.." && pwd)/crates/core/tests/fixtures/pki}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

# shellcheck source=lib/fixture-ca.sh
source "$scripts/lib/fixture-ca.sh"

# The CA database with this script's extension sections.
ca_setup() {
  local dir="$1"
  fixture_ca "$dir" 1000 copy
  cat >> "$dir/ca.cnf" <<CNF
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

# ---------------------------------------------------------------------------------------------
# Chain verification fixtures (crates/core/tests/chain.rs) — owned by the chain work.
# Everything below writes only to $out/chain/ and uses its own CAs, so the fixtures above keep
# their meaning. Tests verify at 2026-06-01T00:00:00Z. Private keys stay in the work directory.
# ---------------------------------------------------------------------------------------------
chain_out="$out/chain"
mkdir -p "$chain_out"
ca_setup "$work/chainca"
cat >> "$work/chainca/ca.cnf" <<'CNF'
[ c_root ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ c_inter ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ c_inter_pl0 ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ c_inter_pl1 ]
basicConstraints = critical,CA:true,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ c_inter_noks ]
basicConstraints = critical,CA:true
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ c_inter_nc ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
nameConstraints = critical,permitted;DNS:example.com
[ c_server ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:db.example.com,DNS:*.replicas.example.com,IP:127.0.0.1,IP:::1
[ c_server_org ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:db.example.org
[ c_server_cn_only ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ c_server_critext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:db.example.com
1.3.6.1.4.1.55555.1 = critical,ASN1:NULL
[ c_client ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF

# chain_sign NAME ISSUER_NAME EXTENSIONS START END [openssl ca options…]
# ISSUER_NAME "self" self-signs; certificates and CSRs are $work/chain-NAME.{crt,csr}.
chain_sign() {
  local name="$1" issuer="$2" ext="$3" start="$4" end="$5"
  shift 5
  local signer=(-cert "chain-$issuer.crt" -keyfile "chain-$issuer.key")
  [ "$issuer" = self ] && signer=(-selfsign -keyfile "chain-$name.key")
  openssl ca -batch -config "$work/chainca/ca.cnf" -notext -extensions "$ext" \
    -startdate "$start" -enddate "$end" "${signer[@]}" "$@" \
    -in "chain-$name.csr" -out "chain-$name.crt" 2>/dev/null
}
# chain_key NAME TYPE SUBJECT — TYPE: rsa | p256 | p384 | p521 | ed25519
chain_key() {
  case "$2" in
    rsa) openssl genrsa -out "chain-$1.key" 2048 2>/dev/null ;;
    p256) openssl ecparam -name prime256v1 -genkey -noout -out "chain-$1.key" ;;
    p384) openssl ecparam -name secp384r1 -genkey -noout -out "chain-$1.key" ;;
    p521) openssl ecparam -name secp521r1 -genkey -noout -out "chain-$1.key" ;;
    ed25519) openssl genpkey -algorithm ed25519 -out "chain-$1.key" ;;
  esac
  openssl req -new -key "chain-$1.key" -subj "$3" -out "chain-$1.csr"
}
V0=20250101000000Z
V1=20350101000000Z
O="/O=pg-preflight chain fixtures"

# Roots: RSA (A), P-384 (B), P-521 (C), Ed25519 (D); an expired root; a rogue root named like A.
chain_key root-a rsa "$O/CN=Chain Root A";        chain_sign root-a self c_root $V0 $V1
chain_key root-b p384 "$O/CN=Chain Root B";       chain_sign root-b self c_root $V0 $V1 -md sha384
chain_key root-c p521 "$O/CN=Chain Root C";       chain_sign root-c self c_root $V0 $V1 -md sha512
chain_key root-d ed25519 "$O/CN=Chain Root D";    chain_sign root-d self c_root $V0 $V1 -md default
chain_key root-old rsa "$O/CN=Chain Root Old";    chain_sign root-old self c_root 20150101000000Z 20260101000000Z
chain_key rogue-root-a rsa "$O/CN=Chain Root A";  chain_sign rogue-root-a self c_root $V0 $V1

# Chains of 1 to 4: a self-signed server certificate; root → leaf; root → ICA1 → leaf;
# root → ICA1 (pathlen 1) → ICA2 (pathlen 0) → leaf.
chain_key leaf-1 rsa "/CN=db.example.com";        chain_sign leaf-1 self c_server $V0 20300101000000Z
chain_key leaf-2 rsa "/CN=db.example.com";        chain_sign leaf-2 root-a c_server $V0 20300101000000Z
chain_key inter-a1 p256 "$O/CN=Chain Intermediate A1"; chain_sign inter-a1 root-a c_inter_pl1 $V0 $V1
chain_key inter-a2 rsa "$O/CN=Chain Intermediate A2";  chain_sign inter-a2 inter-a1 c_inter_pl0 $V0 $V1
chain_key leaf-3 rsa "/CN=db.example.com";        chain_sign leaf-3 inter-a1 c_server $V0 20300101000000Z
chain_key leaf-4 p256 "/CN=db.example.com";       chain_sign leaf-4 inter-a2 c_server $V0 20300101000000Z

# Cross-signing: intermediate X (one key, one subject) issued by root A and by root B, plus an
# expired copy from B; root B cross-signed by root A.
chain_key inter-x p256 "$O/CN=Chain Intermediate X"
chain_sign inter-x root-a c_inter $V0 $V1;  cp chain-inter-x.crt chain-inter-x-by-a.crt
chain_sign inter-x root-b c_inter $V0 $V1 -md sha384;  cp chain-inter-x.crt chain-inter-x-by-b.crt
chain_sign inter-x root-b c_inter 20200101000000Z 20240101000000Z -md sha384;  cp chain-inter-x.crt chain-inter-x-by-b-expired.crt
openssl req -new -key chain-root-b.key -subj "$O/CN=Chain Root B" -out chain-root-b-by-a.csr
chain_sign root-b-by-a root-a c_inter $V0 $V1
cp chain-inter-x-by-b.crt chain-inter-x.crt
chain_key leaf-x rsa "/CN=db.example.com";        chain_sign leaf-x inter-x c_server $V0 20300101000000Z

# Broken chains: pathLen violation, CA without keyCertSign, a leaf used as a CA, an unknown
# critical extension, not yet valid, an expired root, a client certificate.
chain_key inter-p0 p256 "$O/CN=Chain Intermediate PathLen 0"; chain_sign inter-p0 root-a c_inter_pl0 $V0 $V1
chain_key inter-p0-sub p256 "$O/CN=Chain Intermediate Below PathLen 0"; chain_sign inter-p0-sub inter-p0 c_inter $V0 $V1
chain_key leaf-pathlen rsa "/CN=db.example.com";  chain_sign leaf-pathlen inter-p0-sub c_server $V0 20300101000000Z
chain_key inter-noks p256 "$O/CN=Chain Intermediate Without keyCertSign"; chain_sign inter-noks root-a c_inter_noks $V0 $V1
chain_key leaf-noks rsa "/CN=db.example.com";     chain_sign leaf-noks inter-noks c_server $V0 20300101000000Z
chain_key leaf-by-leaf rsa "/CN=signed-by-a-leaf.example.com"
openssl ca -batch -config "$work/chainca/ca.cnf" -notext -extensions c_server -startdate $V0 -enddate 20300101000000Z \
  -cert chain-leaf-2.crt -keyfile chain-leaf-2.key -in chain-leaf-by-leaf.csr -out chain-leaf-by-leaf.crt 2>/dev/null
chain_key leaf-critext rsa "/CN=db.example.com";  chain_sign leaf-critext root-a c_server_critext $V0 20300101000000Z
chain_key leaf-future rsa "/CN=db.example.com";   chain_sign leaf-future root-a c_server 20270101000000Z 20300101000000Z
chain_key leaf-oldroot rsa "/CN=db.example.com";  chain_sign leaf-oldroot root-old c_server 20200101000000Z 20300101000000Z
chain_key leaf-client p256 "/CN=app_user";        chain_sign leaf-client root-a c_client $V0 20300101000000Z

# Signature algorithms: RSA-PSS (SHA-256/salt 32, SHA-512/salt 64), P-384, P-521, Ed25519,
# PKCS#1 v1.5 with SHA-1 and SHA-224.
chain_key leaf-pss rsa "/CN=db.example.com"
chain_sign leaf-pss root-a c_server $V0 20300101000000Z -md sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
chain_key leaf-pss512 rsa "/CN=db.example.com"
chain_sign leaf-pss512 root-a c_server $V0 20300101000000Z -md sha512 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:64
chain_key leaf-p384 p256 "/CN=db.example.com";    chain_sign leaf-p384 root-b c_server $V0 20300101000000Z -md sha384
chain_key leaf-p521 p256 "/CN=db.example.com";    chain_sign leaf-p521 root-c c_server $V0 20300101000000Z -md sha512
chain_key leaf-ed25519 ed25519 "/CN=db.example.com"; chain_sign leaf-ed25519 root-d c_server $V0 20300101000000Z -md default
chain_key leaf-sha1 rsa "/CN=db.example.com";     chain_sign leaf-sha1 root-a c_server $V0 20300101000000Z -md sha1
chain_key leaf-sha224 rsa "/CN=db.example.com";   chain_sign leaf-sha224 root-a c_server $V0 20300101000000Z -md sha224

# Host names and name constraints: CN only; a name outside the constraints of its CA.
chain_key leaf-cn-only rsa "/CN=db.example.com";  chain_sign leaf-cn-only root-a c_server_cn_only $V0 20300101000000Z
chain_key inter-nc p256 "$O/CN=Chain Intermediate example.com only"; chain_sign inter-nc root-a c_inter_nc $V0 $V1
chain_key leaf-nc-ok rsa "/CN=db.example.com";    chain_sign leaf-nc-ok inter-nc c_server $V0 20300101000000Z
chain_key leaf-nc-bad rsa "/CN=db.example.org";   chain_sign leaf-nc-bad inter-nc c_server_org $V0 20300101000000Z

for f in chain-*.crt; do
  cp "$f" "$chain_out/${f#chain-}"
done
rm -f "$chain_out/inter-x.crt"
echo "chain fixtures written to $chain_out"
