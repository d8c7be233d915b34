//! Rules raised while reading certificates and keys.

use crate::diagnostic::Severity;
use crate::registry::Rule;

macro_rules! rule {
    ($name:ident, $code:literal, $severity:ident, $title:literal, $explanation:literal, [$($reference:literal),*]) => {
        pub static $name: Rule = Rule {
            code: $code,
            severity: Severity::$severity,
            title: $title,
            explanation: $explanation,
            references: &[$($reference),*],
        };
    };
}

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

pub static RULES: &[&Rule] = &[
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
];
