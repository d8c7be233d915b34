//! Intake: whatever a person pasted or dropped into one of the certificate/key fields, turned
//! into a list of recognised items plus diagnostics — never a bare "invalid PEM".
//!
//! Accepted: PEM with any number of blocks and junk between them (RFC 7468), DER, and bare
//! base64 DER without armour. Each item says exactly what it is; an item in the wrong field (a
//! private key pasted as the CA, a CSR instead of a certificate) is flagged.

use super::cert::{self, CertFacts};
use super::chain::model::ChainCert;
use super::decrypt::{self, DecryptError};
use super::key::{self, KeyFacts};
use super::keymatch::{self, PublicKeyMaterial};
use super::pem::{self, Block};
use crate::diagnostic::{Diagnostic, Fix, Span};
use serde::{Deserialize, Serialize};

pub use crate::input::Field;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum ItemKind {
    Certificate(Box<CertFacts>),
    PrivateKey(KeyFacts),
    CertificateRequest,
    PublicKey,
    OpensshPrivateKey,
    Pkcs12,
    Crl,
    Unknown { label: String },
}

/// One recognised thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// 1-based block number (1 for DER input).
    pub number: usize,
    /// 1-based line where it starts.
    pub line: usize,
    pub span: Span,
    pub kind: ItemKind,
    /// DER of certificates (public data) for chain building; empty for everything else.
    #[serde(skip)]
    pub der: Vec<u8>,
    /// The public half of a certificate or of a (decrypted) private key, for key matching.
    #[serde(skip)]
    pub public_key: Option<PublicKeyMaterial>,
    /// A certificate's chain model, read with its facts, for the chain checks (which would
    /// otherwise read the same DER again for each policy and host).
    #[serde(skip)]
    pub model: Option<std::sync::Arc<ChainCert>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InputFormat {
    Empty,
    Pem,
    Der,
    Base64,
    Unrecognised,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Intake {
    pub field: Field,
    pub format: InputFormat,
    pub items: Vec<Item>,
    pub diagnostics: Vec<Diagnostic>,
    /// "2 certificates: CN=db.example.com, CN=Acme Root CA", for the field's caption.
    pub summary: String,
    /// The input was a PKCS#12 bundle, opened with its password.
    pub pkcs12: bool,
}

impl Intake {
    pub fn certificates(&self) -> impl Iterator<Item = (&Item, &CertFacts)> {
        self.items.iter().filter_map(|item| match &item.kind {
            ItemKind::Certificate(facts) => Some((item, facts.as_ref())),
            _ => None,
        })
    }
}

/// Reads `bytes` as the content of `field`.
pub fn intake(bytes: &[u8], field: Field) -> Intake {
    intake_with_passphrase(bytes, field, None)
}

/// Reads `bytes` as the content of `field`, decrypting encrypted private keys with
/// `passphrase` (libpq's `sslpassword`). Decrypted key material never leaves this call.
pub fn intake_with_passphrase(bytes: &[u8], field: Field, passphrase: Option<&[u8]>) -> Intake {
    let mut out = Intake {
        field,
        format: InputFormat::Unrecognised,
        items: Vec::new(),
        diagnostics: Vec::new(),
        summary: String::new(),
        pkcs12: false,
    };
    let text = std::str::from_utf8(bytes).ok();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        out.format = InputFormat::Empty;
        out.summary = "empty".into();
        return out;
    }
    match text {
        Some(text) if pem::looks_like_pem(text) => {
            out.format = InputFormat::Pem;
            read_pem(text, &mut out);
        }
        Some(text) if looks_like_bare_base64(text) => {
            match pem::base64_decode(&strip_whitespace(text)) {
                Ok(der) => {
                    out.format = InputFormat::Base64;
                    read_der(&der, Span::new(0, bytes.len()), passphrase, &mut out);
                }
                Err(_) => unrecognised(bytes, &mut out),
            }
        }
        _ if bytes.first() == Some(&0x30) => {
            out.format = InputFormat::Der;
            read_der(bytes, Span::new(0, bytes.len()), passphrase, &mut out);
        }
        _ => unrecognised(bytes, &mut out),
    }
    check_placement(&mut out);
    open_private_keys(bytes, passphrase, &mut out);
    out.summary = summarise(&out.items);
    for diagnostic in &mut out.diagnostics {
        diagnostic.source = Some(field);
    }
    out
}

fn strip_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

fn looks_like_bare_base64(text: &str) -> bool {
    let compact = strip_whitespace(text);
    compact.len() >= 16
        && compact
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
}

rule!(RULE_UNRECOGNISED, "PGP-PEM-002", Error, "Not a certificate or key",
"The content is neither PEM text, DER, nor base64-encoded DER. Common mistakes: pasting a file \
path instead of the file, an SSH public key (`ssh-ed25519 …`) instead of an X.509 certificate, \
or a fingerprint.",
["https://www.rfc-editor.org/rfc/rfc7468", "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-FILE-USAGE"]);

fn unrecognised(bytes: &[u8], out: &mut Intake) {
    let hint = recognise_foreign_text(bytes);
    out.diagnostics.push(
        Diagnostic::new(&RULE_UNRECOGNISED, format!("the content is {hint}"))
            .with_fix(Fix::advice(
            "Paste the PEM text (it starts with `-----BEGIN`) or pick the .crt/.pem/.key/.der file",
        )),
    );
}

/// Names common wrong pastes: an SSH public key, a file path, a fingerprint.
fn recognise_foreign_text(bytes: &[u8]) -> &'static str {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return "binary data that is not DER (not a certificate, key or PKCS#12 file)";
    };
    let trimmed = text.trim();
    if trimmed.starts_with("ssh-") || trimmed.starts_with("ecdsa-sha2-") {
        "an SSH public key, not an X.509 certificate or key"
    } else if trimmed.starts_with('/') || trimmed.starts_with("~/") || trimmed.contains(":\\") {
        "a file path, not the file's content"
    } else {
        "text with no `-----BEGIN …-----` block and no base64 DER"
    }
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

fn read_pem(text: &str, out: &mut Intake) {
    let blocks = pem::scan(text);
    for block in &blocks {
        match &block.body {
            Ok(der) => read_block(block, der, out),
            Err(problem) => out.diagnostics.push(
                Diagnostic::new(
                    &RULE_BROKEN_PEM,
                    format!(
                        "block {} (`{}`, line {}): {}",
                        block.number,
                        block.label,
                        block.line,
                        problem.describe()
                    ),
                )
                .at(block.span)
                .with_fix(Fix::advice(
                    "Copy the whole file again, from `-----BEGIN` to `-----END` inclusive",
                )),
            ),
        }
    }
}

fn push_item(out: &mut Intake, block: &Block, kind: ItemKind, der: Vec<u8>) {
    push_item_with_model(out, block, kind, der, None);
}

fn push_item_with_model(
    out: &mut Intake,
    block: &Block,
    kind: ItemKind,
    der: Vec<u8>,
    model: Option<ChainCert>,
) {
    let public_key = match &kind {
        ItemKind::Certificate(_) => model.as_ref().and_then(|m| keymatch::from_spki(&m.spki)),
        ItemKind::PublicKey => block
            .body
            .as_ref()
            .ok()
            .and_then(|b| keymatch::from_public_key(b)),
        _ => None,
    };
    out.items.push(Item {
        number: block.number,
        line: block.line,
        span: block.span,
        kind,
        der,
        public_key,
        model: model.map(std::sync::Arc::new),
    });
}

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

/// A PEM block, read as its label says (RFC 7468 §5–§13), falling back to sniffing the DER.
fn read_block(block: &Block, der: &[u8], out: &mut Intake) {
    let label = block.label.as_str();
    let mislabelled = |out: &mut Intake, expected: &str| {
        out.diagnostics.push(
            Diagnostic::new(
                &RULE_BAD_BLOCK_CONTENT,
                format!(
                    "block {} (line {}) is labelled `{label}` but its content is not {expected}",
                    block.number, block.line
                ),
            )
            .at(block.span)
            .with_fix(Fix::advice("Export the file again from its source")),
        );
    };
    match label {
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate.
            let cert_der = if label == "TRUSTED CERTIFICATE" {
                super::der::read(der).map_or(der, |(_, rest)| {
                    der.get(..der.len() - rest.len()).unwrap_or(der)
                })
            } else {
                der
            };
            match cert::parse_with_model(cert_der) {
                Ok((facts, model)) => push_item_with_model(
                    out,
                    block,
                    ItemKind::Certificate(Box::new(facts)),
                    cert_der.to_vec(),
                    Some(model),
                ),
                Err(cert::NotACertificate(why)) => {
                    mislabelled(out, &format!("a valid X.509 certificate ({why})"))
                }
            }
        }
        "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
            if let Some(scheme) = key::legacy_encryption(&block.headers) {
                let algorithm = if label.starts_with("EC") { "EC" } else { "RSA" };
                let facts = KeyFacts {
                    container: key::KeyContainer::LegacyEncryptedPem,
                    algorithm: algorithm.into(),
                    bits: None,
                    curve: None,
                    encrypted: true,
                    encryption: Some(scheme),
                };
                push_item(out, block, ItemKind::PrivateKey(facts), Vec::new());
                return;
            }
            let facts = match label {
                "PRIVATE KEY" => key::pkcs8(der),
                "ENCRYPTED PRIVATE KEY" => key::encrypted_pkcs8(der),
                "RSA PRIVATE KEY" => key::pkcs1(der),
                _ => key::sec1(der),
            };
            match facts {
                Some(facts) => push_item(out, block, ItemKind::PrivateKey(facts), Vec::new()),
                None => mislabelled(out, "a private key of that format"),
            }
        }
        "OPENSSH PRIVATE KEY" => push_item(out, block, ItemKind::OpensshPrivateKey, Vec::new()),
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
            push_item(out, block, ItemKind::CertificateRequest, Vec::new())
        }
        "PUBLIC KEY" | "RSA PUBLIC KEY" => push_item(out, block, ItemKind::PublicKey, Vec::new()),
        "X509 CRL" => push_item(out, block, ItemKind::Crl, Vec::new()),
        "PKCS12" => push_item(out, block, ItemKind::Pkcs12, Vec::new()),
        "EC PARAMETERS" | "DH PARAMETERS" => {}
        _ => {
            out.diagnostics.push(
                Diagnostic::new(
                    &RULE_UNKNOWN_BLOCK,
                    format!(
                        "block {} (line {}) is a `{label}` block, which is neither a certificate nor a key",
                        block.number, block.line
                    ),
                )
                .at(block.span)
                .with_fix(Fix::advice("Remove the block")),
            );
            push_item(
                out,
                block,
                ItemKind::Unknown {
                    label: label.to_string(),
                },
                Vec::new(),
            );
        }
    }
}

/// Binary or base64 input: a single DER structure, sniffed.
fn read_der(der: &[u8], span: Span, passphrase: Option<&[u8]>, out: &mut Intake) {
    if key::is_pkcs12(der) {
        if let Some(passphrase) = passphrase {
            read_pkcs12(der, span, passphrase, out);
            return;
        }
    }
    let mut model = None;
    let kind = if let Ok((facts, read)) = cert::parse_with_model(der) {
        model = Some(read);
        Some(ItemKind::Certificate(Box::new(facts)))
    } else if let Some(facts) = key::classify_private_key(der) {
        Some(ItemKind::PrivateKey(facts))
    } else if key::is_pkcs12(der) {
        Some(ItemKind::Pkcs12)
    } else if key::is_public_key_info(der) || key::is_pkcs1_public_key(der) {
        Some(ItemKind::PublicKey)
    } else {
        None
    };
    match kind {
        Some(kind) => {
            let keep = matches!(kind, ItemKind::Certificate(_));
            out.items.push(Item {
                number: 1,
                line: 1,
                span,
                public_key: match &kind {
                    ItemKind::Certificate(_) => {
                        model.as_ref().and_then(|m| keymatch::from_spki(&m.spki))
                    }
                    ItemKind::PublicKey => keymatch::from_public_key(der),
                    _ => None,
                },
                kind,
                der: if keep { der.to_vec() } else { Vec::new() },
                model: model.map(std::sync::Arc::new),
            });
        }
        None => out.diagnostics.push(
            Diagnostic::new(
                &RULE_UNRECOGNISED,
                "the DER data is not a certificate, a private key, a public key or a PKCS#12 file (it may be truncated)",
            )
            .at(span)
            .with_fix(Fix::advice("Export the file again; prefer PEM text")),
        ),
    }
}

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

/// A PKCS#12 bundle opened with its password: its certificates and keys become items.
fn read_pkcs12(der: &[u8], span: Span, passphrase: &[u8], out: &mut Intake) {
    let item = |number: usize, kind: ItemKind, der: Vec<u8>, public_key, model| Item {
        number,
        line: 1,
        span,
        kind,
        der,
        public_key,
        model,
    };
    match super::pkcs12::open(der, passphrase) {
        Ok(contents) => {
            out.pkcs12 = true;
            let mut number = 0;
            for cert_der in contents.certificates {
                if let Ok((facts, model)) = cert::parse_with_model(&cert_der) {
                    number += 1;
                    let public_key = keymatch::from_spki(&model.spki);
                    let model = Some(std::sync::Arc::new(model));
                    out.items.push(item(number, ItemKind::Certificate(Box::new(facts)), cert_der, public_key, model));
                }
            }
            for plain in &contents.keys {
                if let Some(mut facts) = key::pkcs8(plain) {
                    number += 1;
                    facts.container = key::KeyContainer::Pkcs12;
                    let public_key = keymatch::from_private_key(plain);
                    out.items.push(item(number, ItemKind::PrivateKey(facts), Vec::new(), public_key, None));
                }
            }
        }
        Err(super::pkcs12::Pkcs12Error::Decrypt(DecryptError::WrongPassphrase)) => out.diagnostics.push(
            Diagnostic::new(&RULE_KEY_WRONG_PASSPHRASE, "the PKCS#12 bundle could not be opened with the password given")
                .at(span)
                .with_fix(Fix::advice("Check the bundle's export password")),
        ),
        Err(super::pkcs12::Pkcs12Error::Decrypt(DecryptError::Unsupported(scheme))) => out.diagnostics.push(
            Diagnostic::new(&RULE_KEY_UNSUPPORTED_ENCRYPTION, format!("the PKCS#12 bundle uses {scheme}, which pg-preflight cannot decrypt"))
                .at(span)
                .with_fix(Fix::advice("Re-export it with `openssl pkcs12 -export` (PBES2/AES-256 by default in OpenSSL 3)")),
        ),
        Err(super::pkcs12::Pkcs12Error::Decrypt(DecryptError::Malformed(why)) | super::pkcs12::Pkcs12Error::Malformed(why)) => out.diagnostics.push(
            Diagnostic::new(&RULE_BAD_BLOCK_CONTENT, format!("the PKCS#12 bundle is malformed: {why}")).at(span),
        ),
    }
}

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

/// Flags items that do not belong in the field they were given in.
fn check_placement(out: &mut Intake) {
    let field = out.field;
    if out.pkcs12 {
        // A bundle holds certificate and key together by design; what matters is who reads it.
        out.diagnostics.push(
            Diagnostic::new(
                &RULE_PKCS12,
                format!("the {} is a PKCS#12 bundle (opened with the password given)", field.describe()),
            )
            .with_fix(Fix::advice(
                "pgjdbc can use it as sslkey; for libpq extract PEM files with `openssl pkcs12 -in file.p12 -clcerts -nokeys -out client.crt` and `-nocerts -nodes -out client.key`",
            )),
        );
        return;
    }
    let mut found = Vec::new();
    let mut keys = 0;
    for item in &out.items {
        let (rule, what, advice): (&'static crate::registry::Rule, String, &str) = match &item.kind {
            ItemKind::PrivateKey(_) if field != Field::ClientKey => (
                &RULE_KEY_IN_CERT_FIELD,
                "a private key".into(),
                "Remove the private key from this field; it belongs only in sslkey, and treat it as exposed if this file was shared",
            ),
            ItemKind::PrivateKey(_) => {
                keys += 1;
                continue;
            }
            ItemKind::Certificate(_) if field == Field::ClientKey => (
                &RULE_CERT_IN_KEY_FIELD,
                "a certificate".into(),
                "Put the certificate in sslcert and the matching private key here",
            ),
            ItemKind::CertificateRequest => (
                &RULE_CSR,
                "a certificate signing request (CSR)".into(),
                "Send the CSR to your CA and use the certificate it issues",
            ),
            ItemKind::PublicKey => (
                &RULE_PUBLIC_KEY,
                "a bare public key".into(),
                if field == Field::ClientKey {
                    "Use the private key file (PEM `PRIVATE KEY`), not the public key"
                } else {
                    "Use the certificate (PEM `CERTIFICATE`), not its public key"
                },
            ),
            ItemKind::OpensshPrivateKey => (
                &RULE_OPENSSH_KEY,
                "an OpenSSH private key".into(),
                "Convert it with `ssh-keygen -p -m PKCS8 -f key` or use the key issued with the certificate",
            ),
            ItemKind::Pkcs12 => (
                &RULE_PKCS12,
                "a PKCS#12 (.p12/.pfx) bundle".into(),
                "Extract PEM files: `openssl pkcs12 -in file.p12 -clcerts -nokeys -out client.crt` and `-nocerts -nodes -out client.key`",
            ),
            ItemKind::Crl => (
                &RULE_CRL,
                "a certificate revocation list".into(),
                "Give the CRL as sslcrl, not here",
            ),
            ItemKind::Certificate(_) | ItemKind::Unknown { .. } => continue,
        };
        found.push(
            Diagnostic::new(
                rule,
                format!(
                    "block {} (line {}) of the {} is {what}",
                    item.number,
                    item.line,
                    field.describe()
                ),
            )
            .at(item.span)
            .with_fix(Fix::advice(advice)),
        );
    }
    if field == Field::ClientKey && keys > 1 {
        found.push(
            Diagnostic::new(
                &RULE_SEVERAL_KEYS,
                format!(
                    "the client key field holds {keys} private keys; libpq reads only the first"
                ),
            )
            .with_fix(Fix::advice(
                "Keep only the key that matches the client certificate",
            )),
        );
    }
    out.diagnostics.extend(found);
}

fn summarise(items: &[Item]) -> String {
    let mut certificates = Vec::new();
    let mut others = Vec::new();
    for item in items {
        match &item.kind {
            ItemKind::Certificate(facts) => certificates.push(
                facts
                    .common_name
                    .clone()
                    .map_or_else(|| facts.subject.clone(), |cn| format!("CN={cn}")),
            ),
            ItemKind::PrivateKey(facts) => {
                others.push(format!("private key ({})", facts.describe()))
            }
            ItemKind::CertificateRequest => others.push("certificate request".into()),
            ItemKind::PublicKey => others.push("public key".into()),
            ItemKind::OpensshPrivateKey => others.push("OpenSSH private key".into()),
            ItemKind::Pkcs12 => others.push("PKCS#12 bundle".into()),
            ItemKind::Crl => others.push("CRL".into()),
            ItemKind::Unknown { label } => others.push(format!("`{label}` block")),
        }
    }
    let mut parts = Vec::new();
    match certificates.len() {
        0 => {}
        1 => parts.push(format!("1 certificate: {}", certificates.join(""))),
        n => parts.push(format!("{n} certificates: {}", certificates.join(", "))),
    }
    parts.extend(others);
    if parts.is_empty() {
        "nothing recognised".into()
    } else {
        parts.join("; ")
    }
}

/// A key of a type pg-preflight reads whose values do not all read: the public key cannot be
/// derived, or (RSA) the RSAPrivateKey is not nine INTEGERs (RFC 8017 §A.1.2), which OpenSSL
/// rejects even when the modulus and exponent are intact.
pub(crate) fn key_structure_damaged(facts: &key::KeyFacts, public_key_derived: bool) -> bool {
    key_values_are_readable_here(facts)
        && (!public_key_derived || (facts.algorithm == "RSA" && facts.bits.is_none()))
}

/// The algorithms a PKCS#8 key may name (RFC 5958; the OIDs `key::pkcs8` translates).
pub(crate) fn key_algorithm_is_known(facts: &key::KeyFacts) -> bool {
    matches!(
        facts.algorithm.as_str(),
        "RSA" | "EC" | "Ed25519" | "Ed448" | "X25519" | "DSA"
    )
}

/// Key types whose public key pg-preflight derives from the private key: for these, a failed
/// derivation means the key itself is damaged (for others it only means "not supported").
pub(crate) fn key_values_are_readable_here(facts: &key::KeyFacts) -> bool {
    match facts.algorithm.as_str() {
        "RSA" | "Ed25519" => true,
        "EC" => matches!(facts.curve.as_deref(), Some("P-256" | "P-384" | "P-521")),
        _ => false,
    }
}

rule!(RULE_KEY_ENCRYPTED_NO_PASSPHRASE, "PGP-KEY-001", Warning, "Encrypted private key without passphrase",
"The key is encrypted. libpq needs the passphrase (`sslpassword`, or it prompts on a terminal, \
which services and CI do not have), and pg-preflight needs it to check that the key matches the \
certificate. The passphrase is used only on this machine.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLPASSWORD"]);

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

/// The DER of the private key behind item `item`, decrypted when needed. Encrypted keys
/// without a passphrase, and failures, become diagnostics.
fn open_private_keys(bytes: &[u8], passphrase: Option<&[u8]>, out: &mut Intake) {
    let text = std::str::from_utf8(bytes).ok();
    let blocks = text.filter(|t| pem::looks_like_pem(t)).map(pem::scan);
    let mut found = Vec::new();
    for (index, item) in out.items.iter().enumerate() {
        match &item.kind {
            ItemKind::PrivateKey(facts) if facts.container != key::KeyContainer::Pkcs12 => {}
            _ => continue,
        }
        match open_key(bytes, blocks.as_deref(), item, passphrase) {
            Ok(plain) => {
                let opened = key::classify_private_key(&plain);
                found.push((index, Ok((opened, keymatch::from_private_key(&plain)))));
            }
            // A block classified as a private key that cannot be opened at all is damaged.
            Err(OpenError::Unreadable) => found.push((index, Ok((None, None)))),
            Err(OpenError::Locked) => found.push((index, Err(None))),
            Err(OpenError::Decrypt(error)) => found.push((index, Err(Some(error)))),
        }
    }
    for (index, result) in found {
        let Some(item) = out.items.get_mut(index) else {
            continue;
        };
        let ItemKind::PrivateKey(facts) = &mut item.kind else {
            continue;
        };
        match result {
            Ok((opened, public_key)) => {
                if let Some(opened) = opened {
                    facts.algorithm = opened.algorithm;
                    facts.bits = opened.bits;
                    facts.curve = opened.curve;
                }
                if !key_algorithm_is_known(facts) {
                    out.diagnostics.push(
                        Diagnostic::new(
                            &RULE_KEY_UNKNOWN_ALGORITHM,
                            format!(
                                "block {} (line {}), a private key in {} form, names the unknown algorithm `{}`",
                                item.number, item.line, facts.container.describe(), facts.algorithm
                            ),
                        )
                        .at(item.span)
                        .with_fix(Fix::advice("Export the key again from where it was made")),
                    );
                } else if key_structure_damaged(facts, public_key.is_some()) {
                    out.diagnostics.push(
                        Diagnostic::new(
                            &RULE_BAD_BLOCK_CONTENT,
                            format!(
                                "block {} (line {}) is labelled a {} {} private key, but its key values cannot be read: the inner key structure is damaged, and OpenSSL (so libpq) rejects it too",
                                item.number, item.line, facts.container.describe(), facts.algorithm
                            ),
                        )
                        .at(item.span)
                        .with_fix(Fix::advice("Copy the key file again from its source; a damaged key cannot be repaired")),
                    );
                }
                item.public_key = public_key;
            }
            Err(None) => out.diagnostics.push(
                Diagnostic::new(
                    &RULE_KEY_ENCRYPTED_NO_PASSPHRASE,
                    format!(
                        "block {} (line {}) is encrypted ({}); without the passphrase it cannot be matched to the certificate",
                        item.number,
                        item.line,
                        facts.encryption.as_deref().unwrap_or("unknown scheme")
                    ),
                )
                .at(item.span)
                .with_fix(Fix::advice(
                    "Give the passphrase (libpq's sslpassword) so the key can be checked; it is used only on this machine",
                )),
            ),
            Err(Some(DecryptError::WrongPassphrase)) => out.diagnostics.push(
                Diagnostic::new(
                    &RULE_KEY_WRONG_PASSPHRASE,
                    format!(
                        "block {} (line {}) could not be decrypted with the passphrase given",
                        item.number, item.line
                    ),
                )
                .at(item.span)
                .with_fix(Fix::advice("Check the passphrase (sslpassword); it is case-sensitive")),
            ),
            Err(Some(DecryptError::Unsupported(scheme))) => out.diagnostics.push(
                Diagnostic::new(
                    &RULE_KEY_UNSUPPORTED_ENCRYPTION,
                    format!("block {} (line {}) uses {scheme}, which pg-preflight cannot decrypt", item.number, item.line),
                )
                .at(item.span)
                .with_fix(Fix::advice(
                    "Re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc` (also what libpq handles best)",
                )),
            ),
            Err(Some(DecryptError::Malformed(why))) => out.diagnostics.push(
                Diagnostic::new(
                    &RULE_BAD_BLOCK_CONTENT,
                    format!("block {} (line {}): {why}", item.number, item.line),
                )
                .at(item.span),
            ),
        }
    }
}

/// Why a private key item could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// The block itself is broken (already diagnosed).
    Unreadable,
    /// Encrypted, and no passphrase was given.
    Locked,
    Decrypt(DecryptError),
}

/// The unencrypted DER (PKCS#8, PKCS#1 or SEC1) of private key `item` read from `bytes`.
/// The result is wiped from memory when dropped.
pub fn open_key(
    bytes: &[u8],
    blocks: Option<&[Block]>,
    item: &Item,
    passphrase: Option<&[u8]>,
) -> Result<zeroize::Zeroizing<Vec<u8>>, OpenError> {
    let ItemKind::PrivateKey(facts) = &item.kind else {
        return Err(OpenError::Unreadable);
    };
    let block = blocks.and_then(|blocks| blocks.iter().find(|b| b.number == item.number));
    let raw = match block {
        Some(block) => match &block.body {
            Ok(body) => zeroize::Zeroizing::new(body.clone()),
            Err(_) => return Err(OpenError::Unreadable),
        },
        None => zeroize::Zeroizing::new(decoded_der(bytes)),
    };
    if !facts.encrypted {
        return Ok(raw);
    }
    let dek_info = (facts.container == key::KeyContainer::LegacyEncryptedPem).then(|| {
        block
            .and_then(|b| {
                b.headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("DEK-Info"))
            })
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    });
    let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) else {
        // No passphrase would help a scheme that cannot be decrypted here: say that first.
        decrypt::scheme_supported(&raw, dek_info).map_err(OpenError::Decrypt)?;
        return Err(OpenError::Locked);
    };
    let result = match dek_info {
        Some(dek_info) => decrypt::legacy_pem(&raw, dek_info, passphrase),
        None => decrypt::pkcs8(&raw, passphrase),
    };
    result.map_err(OpenError::Decrypt)
}

/// The first private key in `bytes`, unencrypted, for conversion to another format.
pub fn first_private_key(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
) -> Result<zeroize::Zeroizing<Vec<u8>>, OpenError> {
    let read = intake(bytes, Field::ClientKey);
    let item = read
        .items
        .iter()
        .find(|i| matches!(i.kind, ItemKind::PrivateKey(_)))
        .ok_or(OpenError::Unreadable)?;
    let blocks = std::str::from_utf8(bytes)
        .ok()
        .filter(|t| pem::looks_like_pem(t))
        .map(pem::scan);
    open_key(bytes, blocks.as_deref(), item, passphrase)
}

/// The DER of binary or bare-base64 input.
fn decoded_der(bytes: &[u8]) -> Vec<u8> {
    match std::str::from_utf8(bytes) {
        Ok(text) if looks_like_bare_base64(text) => {
            pem::base64_decode(&strip_whitespace(text)).unwrap_or_default()
        }
        _ => bytes.to_vec(),
    }
}

/// Whether `key` (a private key item) belongs to `certificate` (a certificate item):
/// `None` when either public key is unknown (e.g. an encrypted key without passphrase).
pub fn key_matches(certificate: &Item, key: &Item) -> Option<bool> {
    Some(certificate.public_key.as_ref()? == key.public_key.as_ref()?)
}
