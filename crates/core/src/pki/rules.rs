//! Rules raised while reading certificates and keys.

use crate::registry::Rule;

rule!(
    RULE_BROKEN_PEM,
    "PGP-PEM-001",
    Error,
    "Broken PEM block",
    "A `-----BEGIN …-----` block is cut off, has a mismatched END line, or holds characters that \
are not base64. This happens when a file is copied partially (a terminal that wrapped or \
truncated it, a chat tool that ate a line). libpq and every driver reject the whole file. Copy \
the file again in full; `openssl x509 -in file -noout` (or `openssl pkey`) confirms it reads.",
    ["https://www.rfc-editor.org/rfc/rfc7468"]
);

rule!(RULE_UNRECOGNISED, "PGP-PEM-002", Error, "Not a certificate or key",
"The content is neither PEM text, DER, nor base64-encoded DER. Common mistakes: pasting a file \
path instead of the file, an SSH public key (`ssh-ed25519 …`) instead of an X.509 certificate, \
or a fingerprint.",
["https://www.rfc-editor.org/rfc/rfc7468", "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-FILE-USAGE"]);

rule!(
    RULE_BAD_BLOCK_CONTENT,
    "PGP-PEM-003",
    Error,
    "PEM block content does not match its label",
    "The block decodes as base64 but its DER content is not what the BEGIN line says (a \
certificate, or a key of that format). The file is corrupted or was assembled by hand.",
    ["https://www.rfc-editor.org/rfc/rfc7468#section-5"]
);

rule!(
    RULE_UNKNOWN_BLOCK,
    "PGP-PEM-004",
    Warning,
    "Unexpected PEM block",
    "A block that is neither a certificate nor a key (for example a PGP block) is in the file. \
libpq ignores blocks it does not expect in some places and fails in others; remove it.",
    ["https://www.rfc-editor.org/rfc/rfc7468"]
);

rule!(RULE_KEY_IN_CERT_FIELD, "PGP-PEM-010", Error, "Private key in a certificate field",
"A private key was given where certificates belong (sslrootcert, sslcert, a CA bundle). Beyond \
failing, this spreads the key: CA files are copied to every client and often committed to \
repositories. Keep the key only in sslkey with permissions 0600, and consider it exposed if \
this file was shared.",
["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-FILE-USAGE"]);

rule!(
    RULE_CERT_IN_KEY_FIELD,
    "PGP-PEM-011",
    Error,
    "Certificate where the private key belongs",
    "sslkey must hold the client's private key; a certificate was given. The certificate belongs \
in sslcert.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLKEY"]
);

rule!(RULE_CSR, "PGP-PEM-012", Error, "Certificate signing request instead of a certificate",
"A CSR is what you send to a CA to obtain a certificate; it cannot be used for TLS. Send it to \
the CA and use the certificate it returns.",
["https://www.rfc-editor.org/rfc/rfc2986"]);

rule!(
    RULE_PUBLIC_KEY,
    "PGP-PEM-013",
    Error,
    "Bare public key instead of a certificate or private key",
    "A public key alone can neither authenticate the client (that needs the private key) nor act \
as a trust anchor (that needs a certificate).",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.7"]
);

rule!(RULE_OPENSSH_KEY, "PGP-PEM-014", Error, "OpenSSH private key",
"libpq and the other PostgreSQL drivers read PEM PKCS#1/PKCS#8/SEC1 keys (pgjdbc: PKCS#8 DER), \
not OpenSSH's own key format. It is also unlikely to be the key the client certificate was \
issued for.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLKEY"]);

rule!(
    RULE_PKCS12,
    "PGP-PEM-015",
    Warning,
    "PKCS#12 bundle",
    "A .p12/.pfx file bundles certificate and key. pgjdbc can use it directly (sslkey ending in \
.p12), libpq cannot: extract PEM files for libpq-based clients.",
    [
        "https://jdbc.postgresql.org/documentation/ssl/",
        "https://www.rfc-editor.org/rfc/rfc7292"
    ]
);

rule!(
    RULE_CRL,
    "PGP-PEM-016",
    Warning,
    "Revocation list in a certificate field",
    "A CRL belongs in `sslcrl`, not among certificates.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLCRL"]
);

rule!(
    RULE_SEVERAL_KEYS,
    "PGP-PEM-017",
    Warning,
    "Several private keys in the key file",
    "libpq reads the first private key in sslkey. Keep one key per file, the one matching the \
client certificate.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLKEY"]
);

rule!(RULE_KEY_ENCRYPTED_NO_PASSPHRASE, "PGP-KEY-001", Warning, "Encrypted private key without passphrase",
"The key is encrypted. libpq needs the passphrase (`sslpassword`, or it prompts on a terminal, \
which services and CI do not have), and pg-preflight needs it to check that the key matches the \
certificate. The passphrase is used only on this machine.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLPASSWORD"]);

rule!(
    RULE_KEY_WRONG_PASSPHRASE,
    "PGP-KEY-002",
    Error,
    "Wrong passphrase for the private key",
    "Decrypting the key with the passphrase given failed (bad padding or a result that is not a \
key). libpq would fail the same way with this `sslpassword`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLPASSWORD"]
);

rule!(
    RULE_KEY_UNSUPPORTED_ENCRYPTION,
    "PGP-KEY-003",
    Warning,
    "Key encryption scheme not supported",
    "The key is encrypted with a scheme pg-preflight cannot decrypt (old RC2/RC4 or DES based \
schemes). These are weak; re-encrypt the key with PBES2 and AES-256.",
    ["https://www.rfc-editor.org/rfc/rfc8018"]
);

rule!(
    RULE_KEY_MISMATCH,
    "PGP-KEY-004",
    Error,
    "Client key does not match the client certificate",
    "The private key in sslkey is not the key the client certificate was issued for (their public \
keys differ). The TLS handshake fails with `certificate verify failed` or `key values \
mismatch`. pg-preflight compares public keys, never file names.",
    ["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CLIENTCERT"]
);

rule!(
    RULE_CERT_EXPIRED,
    "PGP-CERT-001",
    Error,
    "Certificate expired",
    "A certificate in the files is past its notAfter date. libpq (for the server chain) and the \
server (for client certificates) reject expired certificates, including expired roots and \
intermediates.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"]
);

rule!(
    RULE_CERT_NOT_YET_VALID,
    "PGP-CERT-002",
    Error,
    "Certificate not yet valid",
    "A certificate's notBefore date is in the future: it will be rejected until then. Usually the \
issuing machine's clock is wrong.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"]
);

rule!(
    RULE_CERT_EXPIRES_SOON,
    "PGP-CERT-003",
    Warning,
    "Certificate expires within 30 days",
    "Connections will start failing when it expires. Renew it and roll it out now.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"]
);

rule!(
    RULE_CERT_EXPIRES_QUARTER,
    "PGP-CERT-004",
    Info,
    "Certificate expires within 90 days",
    "Plan the renewal so that the new certificate is installed before the old one expires.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"]
);

rule!(
    RULE_CERT_WEAK_KEY,
    "PGP-CERT-005",
    Error,
    "Weak certificate key",
    "RSA and DSA keys under 2048 bits, and elliptic-curve keys under 256 bits, no longer resist \
attack; modern OpenSSL security levels refuse them.",
    ["https://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-57pt1r5.pdf"]
);

rule!(
    RULE_CERT_WEAK_SIGNATURE,
    "PGP-CERT-006",
    Error,
    "Certificate signed with SHA-1 or MD5",
    "Signatures over SHA-1 or MD5 can be forged. OpenSSL 3 at its default security level rejects \
SHA-1 signatures in the chain. (A trust anchor's own self-signature does not matter and is not \
flagged.)",
    [
        "https://www.rfc-editor.org/rfc/rfc6151",
        "https://shattered.io/"
    ]
);

rule!(
    RULE_CERT_V1,
    "PGP-CERT-007",
    Warning,
    "X.509 version 1 certificate",
    "Version 1 certificates cannot carry extensions, so nothing states whether they may act as a \
CA or for which purposes. Strict clients refuse v1 intermediates.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.1"]
);

rule!(
    RULE_CLIENT_EKU,
    "PGP-CERT-008",
    Error,
    "Client certificate not valid for client authentication",
    "The certificate's extended key usage does not include clientAuth, so the server refuses it \
as a TLS client certificate.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12"]
);

rule!(
    RULE_CLIENT_KEY_USAGE,
    "PGP-CERT-009",
    Error,
    "Client certificate without digitalSignature",
    "A TLS client proves possession of its key by signing the handshake; a keyUsage extension \
without digitalSignature forbids that.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3"]
);

rule!(RULE_SERVER_EKU, "PGP-CERT-010", Error, "Server certificate not valid for server authentication",
"The server certificate's extended key usage does not include serverAuth. libpq (OpenSSL) does \
not check the purpose, but pgjdbc, Go, rustls-based and .NET clients do and will refuse it.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12"]);

rule!(
    RULE_CN_NOT_USER,
    "PGP-CERT-011",
    Warning,
    "Certificate CN differs from the database user",
    "With `cert` authentication or `clientcert=verify-full`, PostgreSQL requires the client \
certificate's CN to equal the user name unless a pg_ident.conf map (`map=` on the pg_hba.conf \
line) translates it.",
    [
        "https://www.postgresql.org/docs/18/auth-cert.html",
        "https://www.postgresql.org/docs/18/auth-username-maps.html"
    ]
);

rule!(
    RULE_KEY_FILE_MODE,
    "PGP-KEY-005",
    Error,
    "Private key file readable by others",
    "libpq refuses to use a client key that group or others can access: the file must have \
permissions 0600 (u=rw) or less when owned by the connecting user, or 0640 (u=rw,g=r) or less \
when owned by root. It must also be a regular file.",
    ["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CLIENTCERT"]
);

rule!(
    RULE_SELF_SIGNATURE_BAD,
    "PGP-CERT-015",
    Warning,
    "Self-signed certificate's signature does not verify",
    "A self-signed CA certificate carries a signature made with its own key. When that \
signature does not verify, the file was altered after the CA made it (a changed byte, a \
hand-edited PEM block, a certificate spliced together). OpenSSL, and so libpq, does not check a \
trust anchor's own signature and would still trust it; stricter clients may refuse it. Fetch \
the CA certificate again from its source.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-6.1.1"]
);

rule!(
    RULE_KEY_UNKNOWN_ALGORITHM,
    "PGP-KEY-006",
    Error,
    "Private key of an unknown algorithm",
    "The key's PKCS#8 AlgorithmIdentifier names an algorithm that is not RSA, RSA-PSS, EC, \
Ed25519, Ed448, X25519 or DSA. OpenSSL (and so libpq), pgjdbc and the other drivers cannot load \
it: the file is damaged or is not a TLS client key. Export the key again from where it was made.",
    ["https://www.rfc-editor.org/rfc/rfc5958#section-2"]
);

pub static RULES: &[&Rule] = &[
    &RULE_SELF_SIGNATURE_BAD,
    &RULE_KEY_UNKNOWN_ALGORITHM,
    &RULE_BROKEN_PEM,
    &RULE_UNRECOGNISED,
    &RULE_BAD_BLOCK_CONTENT,
    &RULE_UNKNOWN_BLOCK,
    &RULE_KEY_IN_CERT_FIELD,
    &RULE_CERT_IN_KEY_FIELD,
    &RULE_CSR,
    &RULE_PUBLIC_KEY,
    &RULE_OPENSSH_KEY,
    &RULE_PKCS12,
    &RULE_CRL,
    &RULE_SEVERAL_KEYS,
    &RULE_KEY_ENCRYPTED_NO_PASSPHRASE,
    &RULE_KEY_WRONG_PASSPHRASE,
    &RULE_KEY_UNSUPPORTED_ENCRYPTION,
    &RULE_KEY_MISMATCH,
    &RULE_CERT_EXPIRED,
    &RULE_CERT_NOT_YET_VALID,
    &RULE_CERT_EXPIRES_SOON,
    &RULE_CERT_EXPIRES_QUARTER,
    &RULE_CERT_WEAK_KEY,
    &RULE_CERT_WEAK_SIGNATURE,
    &RULE_CERT_V1,
    &RULE_CLIENT_EKU,
    &RULE_CLIENT_KEY_USAGE,
    &RULE_SERVER_EKU,
    &RULE_CN_NOT_USER,
    &RULE_KEY_FILE_MODE,
];
