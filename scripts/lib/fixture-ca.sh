# Sourced by the fixture scripts (scripts/make-pki-fixtures.sh, scripts/make-live-fixtures.sh,
# crates/core/tests/fixtures/pki/rule-cases/make.sh): a throwaway `openssl ca` database, which
# is the only OpenSSL 3 command that sets exact validity dates.

# fixture_ca DIR [SERIAL] [COPY_EXTENSIONS] — DIR/index.txt, DIR/serial and DIR/ca.cnf with the
# sections every script shares (the CA itself and `v3_ca`); each script appends its own
# extension sections to DIR/ca.cnf.
fixture_ca() {
  local dir="$1" serial="${2:-1000}" copy="${3:-none}"
  mkdir -p "$dir"
  : > "$dir/index.txt"
  echo "$serial" > "$dir/serial"
  cat > "$dir/ca.cnf" <<CNF
[ ca ]
default_ca = the_ca
[ the_ca ]
dir = $dir
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = $copy
email_in_dn = no
[ anything ]
commonName = supplied
organizationName = optional
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
}
