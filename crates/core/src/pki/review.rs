//! The PostgreSQL-specific review of the certificates and key handed over with a connection:
//! expiry of everything in every file, weak keys and signatures, the purposes libpq and the
//! server will demand, the key matching the certificate, and the certificate's CN against the
//! database user for `cert` authentication.
//!
//! Pure: `now` (Unix seconds) is a parameter.

use super::cert::CertFacts;
use super::chain::{self, model::ChainCert};
use super::intake::{self, Field, Intake, Item, ItemKind};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::pki::time::UnixTime;
use serde::{Deserialize, Serialize};

/// Everything handed over, as bytes (PEM, DER or base64; files or pasted text).
#[derive(Debug, Clone, Copy, Default)]
pub struct Material<'a> {
    pub root_cert: Option<&'a [u8]>,
    pub client_cert: Option<&'a [u8]>,
    pub client_key: Option<&'a [u8]>,
    /// libpq's `sslpassword`. Used only to decrypt the key in memory.
    pub key_passphrase: Option<&'a [u8]>,
    pub server_chain: Option<&'a [u8]>,
    pub client_ca: Option<&'a [u8]>,
}

impl<'a> Material<'a> {
    /// The slot holding `field`'s bytes, for code that fills the inputs from a list of fields.
    pub fn slot(&mut self, field: Field) -> &mut Option<&'a [u8]> {
        match field {
            Field::RootCert => &mut self.root_cert,
            Field::ClientCert => &mut self.client_cert,
            Field::ClientKey => &mut self.client_key,
            Field::ServerChain => &mut self.server_chain,
            Field::ClientCa => &mut self.client_ca,
        }
    }
}

/// What the connection string says that the certificate checks depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionFacts {
    /// The database user (`user`), when given.
    pub user: Option<String>,
    /// TCP host names or addresses the server certificate must name; empty unless the
    /// connection verifies host names (`sslmode=verify-full`).
    pub verify_hosts: Vec<String>,
}

/// One chain's verdicts (DESIGN.md §3 `chains.client` / `chains.server`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainSummary {
    /// What libpq (OpenSSL, no partial chains) decides.
    pub valid: bool,
    /// The RFC 5280 answer stricter clients (pgjdbc, rustls, Go) reach.
    pub strict_valid: bool,
    /// SHA-256 fingerprints, leaf first.
    pub path: Vec<String>,
    /// What each certificate of `path` is, in the same order (the chain diagram's labels):
    /// only a certificate of the trusted file the verification anchored to is `trustAnchor`;
    /// a self-signed root that came only with the server's chain is `untrustedRoot`.
    #[serde(default)]
    pub links: Vec<chain::ChainLink>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chains {
    pub client: Option<ChainSummary>,
    pub server: Option<ChainSummary>,
}

/// One row of `certificates` in `check --json` (DESIGN.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    /// Where it was found: `root`, `root-file-intermediate`, `client`, `client-intermediate`,
    /// `server`, `server-intermediate`, `client-ca` or `misplaced` (see [`role`]).
    pub role: String,
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
    pub days_left: i64,
    pub fingerprint_sha256: String,
    pub key_algorithm: String,
    pub key_bits: Option<u32>,
    /// The provider or public CA this certificate belongs to, when recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_ca: Option<String>,
    /// Everything else shown on a certificate card (not in the report's JSON; the page's
    /// modules pass it along with `check::MaterialReport`).
    #[serde(skip)]
    pub facts: CertFacts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub intakes: Vec<Intake>,
    pub certificates: Vec<CertificateSummary>,
    /// Whether the client key belongs to the client certificate; `None` when either is missing
    /// or the key could not be opened.
    pub key_match: Option<bool>,
    pub chains: Chains,
    pub diagnostics: Vec<Diagnostic>,
}

/// Expiry thresholds: under 30 days is a warning, under 90 days advice.
pub const WARN_DAYS: i64 = 30;
pub const INFO_DAYS: i64 = 90;

pub fn review_certificates(
    material: &Material<'_>,
    connection: &ConnectionFacts,
    now: UnixTime,
) -> Review {
    let fields = [
        (Field::RootCert, material.root_cert),
        (Field::ClientCert, material.client_cert),
        (Field::ClientKey, material.client_key),
        (Field::ServerChain, material.server_chain),
        (Field::ClientCa, material.client_ca),
    ];
    let intakes: Vec<Intake> = fields
        .iter()
        .filter_map(|(field, bytes)| {
            bytes.map(|b| intake::intake_with_passphrase(b, *field, material.key_passphrase))
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = intakes
        .iter()
        .flat_map(|i| i.diagnostics.iter().cloned())
        .collect();
    let mut certificates = Vec::new();
    for intake in &intakes {
        let in_bundle = matches!(intake.field, Field::RootCert | Field::ClientCa)
            && intake.certificates().nth(1).is_some();
        let bundle_size = intake.certificates().count();
        for (position, (item, facts)) in intake.certificates().enumerate() {
            let role = role(intake.field, position, facts);
            let first_new = diagnostics.len();
            check_certificate(facts, role, intake.field, now, &mut diagnostics);
            // The certificate's findings are about the input it came from, which the page
            // marks and the JSON names, even without a span.
            for diagnostic in diagnostics.iter_mut().skip(first_new) {
                diagnostic.source.get_or_insert(intake.field);
                if in_bundle {
                    unused_until_chosen(diagnostic, bundle_size);
                }
            }
            if matches!(intake.field, Field::RootCert | Field::ClientCa) {
                check_self_signature(item, facts, intake.field, &mut diagnostics);
            }
            certificates.push(summary(facts, role, now));
        }
    }
    let client_leaf = leaf_of(&intakes, Field::ClientCert);
    let client_key = intakes
        .iter()
        .find(|i| i.field == Field::ClientKey)
        .and_then(|i| {
            i.items
                .iter()
                .find(|item| matches!(item.kind, ItemKind::PrivateKey(_)))
        });
    let key_match = match (client_leaf, client_key) {
        (Some(cert), Some(key)) => intake::key_matches(cert, key),
        _ => None,
    };
    if key_match == Some(false) {
        diagnostics.push(key_mismatch(client_leaf, client_key));
    }
    if let Some((_, facts)) = client_leaf.and_then(|item| cert_facts(item).map(|f| (item, f))) {
        check_user_mapping(facts, connection, &mut diagnostics);
    }
    let chains = Chains {
        client: client_chain(&intakes, now, &mut diagnostics),
        server: server_chain(&intakes, connection, now, &mut diagnostics),
    };
    Review {
        intakes,
        certificates,
        key_match,
        chains,
        diagnostics,
    }
}

/// The chain models of the certificates of `field`, in input order.
fn certificate_models(intakes: &[Intake], field: Field) -> Vec<&ChainCert> {
    intakes
        .iter()
        .filter(|i| i.field == field)
        .flat_map(|i| {
            i.certificates()
                .filter_map(|(item, _)| item.model.as_deref())
        })
        .collect()
}

/// Verifies one chain under both policies; the libpq verdict's findings are reported, and a
/// disagreement between the two is a finding of its own.
fn verify_both(
    chain: &[&ChainCert],
    trusted: &[&ChainCert],
    purpose: chain::Purpose,
    host: Option<&str>,
    labels: chain::Labels,
    now: UnixTime,
    out: &mut Vec<Diagnostic>,
) -> Option<ChainSummary> {
    let (leaf, intermediates) = chain.split_first()?;
    let options = |policy| chain::VerifyOptions {
        host: host.map(str::to_string),
        purpose: Some(purpose),
        policy,
        labels: labels.clone(),
        ..chain::VerifyOptions::new(now)
    };
    let libpq = chain::verify_certs(leaf, intermediates, trusted, &options(chain::Policy::Libpq));
    let strict = chain::verify_certs(
        leaf,
        intermediates,
        trusted,
        &options(chain::Policy::Strict),
    );
    // Expiry and purpose are reported once per certificate by `check_certificate`; the chain
    // adds what only a path can show (missing issuers, signatures, constraints, host names).
    let already_reported = [
        chain::rules::RULE_EXPIRED.code,
        chain::rules::RULE_NOT_YET_VALID.code,
        chain::rules::RULE_WRONG_PURPOSE.code,
    ];
    out.extend(
        libpq
            .diagnostics
            .iter()
            .filter(|d| !already_reported.contains(&d.code))
            .cloned(),
    );
    out.extend(chain::disagreement(&strict, &libpq));
    Some(ChainSummary {
        valid: libpq.valid,
        strict_valid: strict.valid,
        path: libpq.path,
        links: libpq.links,
    })
}

/// The client certificate (with the intermediates after it in sslcert) against the CA the
/// server trusts for client certificates — `ssl_ca_file`, or sslrootcert when only that was
/// given (the common "one private CA for both" setup).
fn client_chain(
    intakes: &[Intake],
    now: UnixTime,
    out: &mut Vec<Diagnostic>,
) -> Option<ChainSummary> {
    let chain = certificate_models(intakes, Field::ClientCert);
    let client_ca = certificate_models(intakes, Field::ClientCa);
    let (trusted, trusted_label) = if client_ca.is_empty() {
        (
            certificate_models(intakes, Field::RootCert),
            "the CA certificate (sslrootcert)",
        )
    } else {
        (client_ca, "the client CA (ssl_ca_file)")
    };
    if trusted.is_empty() {
        return None;
    }
    let labels = chain::Labels {
        leaf: "the client certificate (sslcert)".into(),
        trusted: trusted_label.into(),
        untrusted: "the client certificate file".into(),
        // libpq sends sslcert's first certificate as the leaf and the rest after it.
        untrusted_first: 2,
    };
    verify_both(
        &chain,
        &trusted,
        chain::Purpose::Client,
        None,
        labels,
        now,
        out,
    )
}

/// The server's chain (as `openssl s_client -showcerts` prints it) against sslrootcert, for
/// every host the connection verifies.
fn server_chain(
    intakes: &[Intake],
    connection: &ConnectionFacts,
    now: UnixTime,
    out: &mut Vec<Diagnostic>,
) -> Option<ChainSummary> {
    let chain = certificate_models(intakes, Field::ServerChain);
    let trusted = certificate_models(intakes, Field::RootCert);
    if trusted.is_empty() {
        return None;
    }
    let labels = || chain::Labels {
        leaf: "the server certificate".into(),
        trusted: "the CA certificate (sslrootcert)".into(),
        untrusted: "the server's chain".into(),
        // The chain as the server sends it: its certificate first, the intermediates after.
        untrusted_first: 2,
    };
    if connection.verify_hosts.is_empty() {
        return verify_both(
            &chain,
            &trusted,
            chain::Purpose::Server,
            None,
            labels(),
            now,
            out,
        );
    }
    let mut combined: Option<ChainSummary> = None;
    for host in &connection.verify_hosts {
        let summary = verify_both(
            &chain,
            &trusted,
            chain::Purpose::Server,
            Some(host),
            labels(),
            now,
            out,
        )?;
        combined = Some(match combined {
            None => summary,
            Some(so_far) => ChainSummary {
                valid: so_far.valid && summary.valid,
                strict_valid: so_far.strict_valid && summary.strict_valid,
                path: so_far.path,
                links: so_far.links,
            },
        });
    }
    combined
}

fn cert_facts(item: &Item) -> Option<&CertFacts> {
    match &item.kind {
        ItemKind::Certificate(facts) => Some(facts),
        _ => None,
    }
}

/// The first certificate of a field: libpq sends the first certificate of sslcert as the
/// client certificate and the rest as intermediates.
fn leaf_of(intakes: &[Intake], field: Field) -> Option<&Item> {
    intakes
        .iter()
        .find(|i| i.field == field)
        .and_then(|i| i.items.iter().find(|item| cert_facts(item).is_some()))
}

fn role(field: Field, position: usize, facts: &CertFacts) -> &'static str {
    match (field, position) {
        (Field::RootCert, _) if facts.self_issued => "root",
        (Field::RootCert, _) => "root-file-intermediate",
        (Field::ClientCert, 0) => "client",
        (Field::ClientCert, _) => "client-intermediate",
        (Field::ServerChain, 0) => "server",
        (Field::ServerChain, _) => "server-intermediate",
        (Field::ClientCa, _) => "client-ca",
        (Field::ClientKey, _) => "misplaced",
    }
}

fn summary(facts: &CertFacts, role: &'static str, now: UnixTime) -> CertificateSummary {
    CertificateSummary {
        role: role.to_string(),
        subject: facts.subject.clone(),
        issuer: facts.issuer.clone(),
        not_before: facts.not_before_text.clone(),
        not_after: facts.not_after_text.clone(),
        days_left: facts.days_left(now),
        fingerprint_sha256: facts.fingerprint_sha256.clone(),
        key_algorithm: facts.key.algorithm.clone(),
        key_bits: facts.key.bits,
        known_ca: facts.known_ca.map(str::to_string),
        facts: facts.clone(),
    }
}

fn name_of(facts: &CertFacts) -> String {
    facts
        .common_name
        .as_ref()
        .map_or_else(|| facts.subject.clone(), |cn| format!("CN={cn}"))
}

fn check_certificate(
    facts: &CertFacts,
    role: &str,
    field: Field,
    now: UnixTime,
    out: &mut Vec<Diagnostic>,
) {
    check_validity(facts, role, now, out);
    check_key_strength(facts, role, out);
    check_signature_hash(facts, role, field, out);
    check_version(facts, role, out);
    match role {
        "client" => check_client_purpose(facts, out),
        "server" => check_server_purpose(facts, out),
        _ => {}
    }
}

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

/// RFC 5280 §4.1.2.1-3: a self-issued CA certificate's signature is made with its own key, so
/// it must verify with the certificate's own SubjectPublicKeyInfo. Only a signature that was
/// checked and is wrong is reported; algorithms pg-preflight does not verify are left alone.
fn check_self_signature(item: &Item, facts: &CertFacts, field: Field, out: &mut Vec<Diagnostic>) {
    if !facts.self_issued {
        return;
    }
    let Some(cert) = &item.model else {
        return;
    };
    let result = crate::pki::chain::signature::verify(
        &cert.signature_algorithm,
        &cert.tbs,
        &cert.signature,
        &cert.spki,
    );
    if result == Err(crate::pki::chain::signature::SignatureError::Invalid) {
        out.push(
            Diagnostic::new(
                &RULE_SELF_SIGNATURE_BAD,
                format!(
                    "Certificate {} (block {}, line {}) names itself as issuer, but its signature does not verify with its own key.",
                    name_of(facts),
                    item.number,
                    item.line
                ),
            )
            .at(item.span)
            .in_source(field),
        );
    }
}

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

/// A date finding about one certificate of a CA bundle (an operating system's
/// `ca-certificates.crt` holds expired roots): OpenSSL, in libpq and in the server, builds the
/// chain from the certificate that signs it and never looks at the others, so the bundle works
/// while the expired one signs nothing it checks. Advice, then; an expired certificate that
/// does sign the chain is the chain check's error (`chain::checks`, expired anchor).
fn unused_until_chosen(diagnostic: &mut Diagnostic, bundle_size: usize) {
    let dated = [
        RULE_CERT_EXPIRED.code,
        RULE_CERT_NOT_YET_VALID.code,
        RULE_CERT_EXPIRES_SOON.code,
        RULE_CERT_EXPIRES_QUARTER.code,
    ];
    if !dated.contains(&diagnostic.code) {
        return;
    }
    diagnostic.severity = crate::diagnostic::Severity::Info;
    diagnostic.detail.push_str(&format!(
        "; it is one of {bundle_size} certificates in this CA file, and OpenSSL uses it only if it signs the chain being checked"
    ));
    diagnostic.fix = Some(Fix::advice(
        "Nothing to do unless it is the CA that signs your server's (or client's) chain; to tidy the file, remove it",
    ));
}

/// RFC 5280 §4.1.2.5: a certificate is valid only between notBefore and notAfter; libpq and
/// the server reject it outside that window. Close expiry is flagged ahead of time.
fn check_validity(facts: &CertFacts, role: &str, now: UnixTime, out: &mut Vec<Diagnostic>) {
    let name = name_of(facts);
    if now < facts.not_before {
        out.push(
            Diagnostic::new(
                &RULE_CERT_NOT_YET_VALID,
                format!(
                    "the {role} certificate `{name}` is valid only from {}",
                    facts.not_before_text
                ),
            )
            .with_fix(Fix::advice(
                "Check the clock of the machine that issued it, or wait until it becomes valid",
            )),
        );
        return;
    }
    let days = facts.days_left(now);
    let (rule, fix) = if now > facts.not_after {
        (
            &RULE_CERT_EXPIRED,
            "Issue a new certificate and replace it everywhere it is installed",
        )
    } else if days < WARN_DAYS {
        (
            &RULE_CERT_EXPIRES_SOON,
            "Renew it now and schedule the rotation",
        )
    } else if days < INFO_DAYS {
        (&RULE_CERT_EXPIRES_QUARTER, "Plan its renewal")
    } else {
        return;
    };
    let when = if now > facts.not_after {
        format!("expired on {} ({} days ago)", facts.not_after_text, -days)
    } else {
        format!("expires on {} (in {days} days)", facts.not_after_text)
    };
    out.push(
        Diagnostic::new(rule, format!("the {role} certificate `{name}` {when}"))
            .with_fix(Fix::advice(fix)),
    );
}

rule!(
    RULE_CERT_WEAK_KEY,
    "PGP-CERT-005",
    Error,
    "Weak certificate key",
    "RSA and DSA keys under 2048 bits, and elliptic-curve keys under 256 bits, no longer resist \
attack; modern OpenSSL security levels refuse them.",
    ["https://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-57pt1r5.pdf"]
);

/// NIST SP 800-57 / CA/Browser Forum: RSA keys below 2048 bits are breakable.
fn check_key_strength(facts: &CertFacts, role: &str, out: &mut Vec<Diagnostic>) {
    let weak = match facts.key.algorithm.as_str() {
        "RSA" | "DSA" => facts.key.bits.is_some_and(|b| b < 2048),
        "EC" => facts.key.bits.is_some_and(|b| b < 256),
        _ => false,
    };
    if weak {
        out.push(
            Diagnostic::new(
                &RULE_CERT_WEAK_KEY,
                format!(
                    "the {role} certificate `{}` has a {} {}-bit key",
                    name_of(facts),
                    facts.key.algorithm,
                    facts.key.bits.unwrap_or_default()
                ),
            )
            .with_fix(Fix::advice("Reissue it with an RSA 3072 or EC P-256 key")),
        );
    }
}

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

/// SHA-1 and MD5 signatures can be forged (RFC 6151, SHAttered). The self-signature of a
/// trust anchor is not relied on, so roots given as sslrootcert are exempt.
fn check_signature_hash(facts: &CertFacts, role: &str, field: Field, out: &mut Vec<Diagnostic>) {
    let is_trusted_anchor = facts.self_issued && matches!(field, Field::RootCert | Field::ClientCa);
    if is_trusted_anchor || !super::oids::signature_uses_weak_hash(&facts.signature_algorithm_oid) {
        return;
    }
    out.push(
        Diagnostic::new(
            &RULE_CERT_WEAK_SIGNATURE,
            format!(
                "the {role} certificate `{}` is signed with {}",
                name_of(facts),
                facts.signature_algorithm
            ),
        )
        .with_fix(Fix::advice("Reissue it signed with SHA-256 or stronger")),
    );
}

rule!(
    RULE_CERT_V1,
    "PGP-CERT-007",
    Warning,
    "X.509 version 1 certificate",
    "Version 1 certificates cannot carry extensions, so nothing states whether they may act as a \
CA or for which purposes. Strict clients refuse v1 intermediates.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.1"]
);

/// RFC 5280 §4.1.2.1: v1 certificates carry no extensions, so nothing says whether they are a
/// CA or what they may be used for.
fn check_version(facts: &CertFacts, role: &str, out: &mut Vec<Diagnostic>) {
    if facts.version < 3 {
        out.push(
            Diagnostic::new(
                &RULE_CERT_V1,
                format!(
                    "the {role} certificate `{}` is X.509 version {}",
                    name_of(facts),
                    facts.version
                ),
            )
            .with_fix(Fix::advice(
                "Reissue it as a v3 certificate with basicConstraints and keyUsage",
            )),
        );
    }
}

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

/// The server verifies client certificates for TLS client authentication: an EKU, when present,
/// must allow clientAuth (RFC 5280 §4.2.1.12), and a keyUsage, when present, digitalSignature
/// (RFC 5280 §4.2.1.3, the client signs the handshake).
fn check_client_purpose(facts: &CertFacts, out: &mut Vec<Diagnostic>) {
    if !facts.has_eku("clientAuth") {
        out.push(
            Diagnostic::new(
                &RULE_CLIENT_EKU,
                format!(
                    "the client certificate `{}` allows only {}",
                    name_of(facts),
                    facts
                        .extended_key_usage
                        .as_deref()
                        .unwrap_or_default()
                        .join(", ")
                ),
            )
            .with_fix(Fix::advice("Reissue it with extendedKeyUsage = clientAuth")),
        );
    }
    if facts
        .key_usage
        .as_ref()
        .is_some_and(|ku| !ku.iter().any(|k| k == "digitalSignature"))
    {
        out.push(
            Diagnostic::new(
                &RULE_CLIENT_KEY_USAGE,
                format!(
                    "the client certificate `{}` lacks the digitalSignature key usage",
                    name_of(facts)
                ),
            )
            .with_fix(Fix::advice("Reissue it with keyUsage = digitalSignature")),
        );
    }
}

rule!(RULE_SERVER_EKU, "PGP-CERT-010", Error, "Server certificate not valid for server authentication",
"The server certificate's extended key usage does not include serverAuth. libpq (OpenSSL) does \
not check the purpose, but pgjdbc, Go, rustls-based and .NET clients do and will refuse it.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12"]);

/// Clients verifying the server (pgjdbc, rustls, Go) demand serverAuth when an EKU is present.
fn check_server_purpose(facts: &CertFacts, out: &mut Vec<Diagnostic>) {
    if !facts.has_eku("serverAuth") {
        out.push(
            Diagnostic::new(
                &RULE_SERVER_EKU,
                format!(
                    "the server certificate `{}` allows only {}",
                    name_of(facts),
                    facts
                        .extended_key_usage
                        .as_deref()
                        .unwrap_or_default()
                        .join(", ")
                ),
            )
            .with_fix(Fix::advice("Reissue it with extendedKeyUsage = serverAuth")),
        );
    }
}

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

fn key_mismatch(cert: Option<&Item>, key: Option<&Item>) -> Diagnostic {
    let subject = cert.and_then(cert_facts).map(name_of).unwrap_or_default();
    let key_text = key
        .and_then(|k| match &k.kind {
            ItemKind::PrivateKey(facts) => Some(facts.describe()),
            _ => None,
        })
        .unwrap_or_default();
    Diagnostic::new(
        &RULE_KEY_MISMATCH,
        format!("the client key ({key_text}) does not belong to the client certificate `{subject}`: their public keys differ"),
    )
    .with_fix(Fix::advice(
        "Use the key the certificate was issued for (compare `openssl x509 -noout -pubkey` with `openssl pkey -pubout`)",
    ))
    // Either file may be the wrong one, so the finding is about both.
    .between(Field::ClientKey, Field::ClientCert)
}

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

/// PostgreSQL `cert` authentication and `clientcert=verify-full` compare the certificate's CN
/// with the database user unless pg_ident.conf maps them (PostgreSQL docs §20.12, §20.2).
fn check_user_mapping(facts: &CertFacts, connection: &ConnectionFacts, out: &mut Vec<Diagnostic>) {
    let Some(user) = connection.user.as_deref() else {
        return;
    };
    match facts.common_name.as_deref() {
        Some(cn) if cn == user => {}
        cn => out.push(
            Diagnostic::new(
                &RULE_CN_NOT_USER,
                format!(
                    "the client certificate's CN is {} but the connection logs in as `{user}`",
                    cn.map_or_else(|| "missing".to_string(), |cn| format!("`{cn}`"))
                ),
            )
            .with_severity(Severity::Warning)
            .with_fix(Fix::advice(format!(
                "Either issue the certificate with CN={user}, or add `map=certmap` to the pg_hba.conf line and `certmap {} {user}` to pg_ident.conf",
                cn.unwrap_or("<CN>")
            ))),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::cert::KeyInfo;

    const DAY: i64 = 86_400;
    const NOW: UnixTime = UnixTime::from_seconds(1_780_272_000); // 2026-06-01T00:00:00Z

    fn facts() -> CertFacts {
        CertFacts {
            not_before: NOW - 100 * DAY,
            not_after: NOW + 365 * DAY,
            ..CertFacts::sample()
        }
    }

    fn codes(f: &CertFacts, role: &str, field: Field) -> Vec<&'static str> {
        let mut out = Vec::new();
        check_certificate(f, role, field, NOW, &mut out);
        out.iter().map(|d| d.code).collect()
    }

    /// An expired certificate alone in the CA file is the anchor (an error); one of several, as
    /// in an operating system's bundle, is used only if it signs the chain (advice).
    #[test]
    fn an_expired_certificate_in_a_ca_bundle_is_advice() {
        let expired = include_bytes!("../../tests/fixtures/pki/client-ec.crt").as_slice();
        let root = include_bytes!("../../tests/fixtures/pki/root.crt").as_slice();
        let severity = |ca: &[u8]| {
            let material = Material {
                root_cert: Some(ca),
                ..Material::default()
            };
            review_certificates(&material, &ConnectionFacts::default(), NOW)
                .diagnostics
                .iter()
                .find(|d| d.code == RULE_CERT_EXPIRED.code)
                .map(|d| d.severity)
        };
        assert_eq!(severity(expired), Some(Severity::Error));
        assert_eq!(severity(&[expired, root].concat()), Some(Severity::Info));
    }

    #[test]
    fn a_good_client_certificate_is_quiet() {
        assert!(codes(&facts(), "client", Field::ClientCert).is_empty());
    }

    #[test]
    fn validity_windows() {
        let at = |days: i64| CertFacts {
            not_after: NOW + days * DAY,
            ..facts()
        };
        assert_eq!(
            codes(&at(-1), "client", Field::ClientCert),
            ["PGP-CERT-001"]
        );
        assert_eq!(
            codes(&at(10), "client", Field::ClientCert),
            ["PGP-CERT-003"]
        );
        assert_eq!(
            codes(&at(60), "client", Field::ClientCert),
            ["PGP-CERT-004"]
        );
        assert!(codes(&at(91), "client", Field::ClientCert).is_empty());
        let future = CertFacts {
            not_before: NOW + DAY,
            ..facts()
        };
        assert_eq!(
            codes(&future, "client", Field::ClientCert),
            ["PGP-CERT-002"]
        );
        // Roots and intermediates expire too.
        assert_eq!(codes(&at(-1), "root", Field::RootCert), ["PGP-CERT-001"]);
    }

    #[test]
    fn weak_keys_and_hashes() {
        let weak = CertFacts {
            key: KeyInfo {
                algorithm: "RSA".into(),
                bits: Some(1024),
                curve: None,
            },
            ..facts()
        };
        assert_eq!(codes(&weak, "client", Field::ClientCert), ["PGP-CERT-005"]);
        let sha1 = CertFacts {
            signature_algorithm_oid: "1.2.840.113549.1.1.5".into(),
            ..facts()
        };
        assert_eq!(codes(&sha1, "client", Field::ClientCert), ["PGP-CERT-006"]);
        let sha1_root = CertFacts {
            self_issued: true,
            extended_key_usage: None,
            ..sha1
        };
        assert!(codes(&sha1_root, "root", Field::RootCert).is_empty());
        let v1 = CertFacts {
            version: 1,
            ..facts()
        };
        assert_eq!(codes(&v1, "client", Field::ClientCert), ["PGP-CERT-007"]);
    }

    #[test]
    fn purposes() {
        let server_only = CertFacts {
            extended_key_usage: Some(vec!["serverAuth".into()]),
            ..facts()
        };
        assert_eq!(
            codes(&server_only, "client", Field::ClientCert),
            ["PGP-CERT-008"]
        );
        assert!(codes(&server_only, "server", Field::ServerChain).is_empty());
        assert_eq!(
            codes(&facts(), "server", Field::ServerChain),
            ["PGP-CERT-010"]
        );
        let no_eku = CertFacts {
            extended_key_usage: None,
            ..facts()
        };
        assert!(codes(&no_eku, "client", Field::ClientCert).is_empty());
        let no_signature = CertFacts {
            key_usage: Some(vec!["keyEncipherment".into()]),
            ..facts()
        };
        assert_eq!(
            codes(&no_signature, "client", Field::ClientCert),
            ["PGP-CERT-009"]
        );
    }

    #[test]
    fn cn_against_user() {
        let mut out = Vec::new();
        let user = |u: &str| ConnectionFacts {
            user: Some(u.into()),
            verify_hosts: Vec::new(),
        };
        check_user_mapping(&facts(), &user("app_user"), &mut out);
        assert!(out.is_empty());
        check_user_mapping(&facts(), &user("reporting"), &mut out);
        assert_eq!(
            out.iter().map(|d| d.code).collect::<Vec<_>>(),
            ["PGP-CERT-011"]
        );
    }
}

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

/// libpq refuses a private key file that others can read (`fe-secure-openssl.c`,
/// `initialize_SSL`): a file owned by the current user must be 0600 or stricter, one owned by
/// root 0640 or stricter, and it must be a regular file. Only the CLI knows file metadata; it
/// passes the facts in.
pub fn check_key_file_mode(
    name: &str,
    mode: u32,
    regular_file: bool,
    owner_uid: u32,
    current_uid: u32,
) -> Option<Diagnostic> {
    const GROUP_OTHER_ALL: u32 = 0o077;
    const ROOT_FORBIDDEN: u32 = 0o037;
    let detail = if !regular_file {
        format!("`{name}` is not a regular file; libpq refuses it")
    } else if owner_uid == current_uid && mode & GROUP_OTHER_ALL != 0 {
        format!(
            "`{name}` has permissions {:04o}; libpq requires 0600 or less for a key owned by the connecting user",
            mode & 0o7777
        )
    } else if owner_uid == 0 && owner_uid != current_uid && mode & ROOT_FORBIDDEN != 0 {
        format!(
            "`{name}` has permissions {:04o}; libpq requires 0640 or less for a key owned by root",
            mode & 0o7777
        )
    } else {
        return None;
    };
    Some(
        Diagnostic::new(&RULE_KEY_FILE_MODE, detail).with_fix(Fix::replace(
            "Restrict the file's permissions",
            format!("chmod 0600 {name}"),
        )),
    )
}

#[cfg(test)]
mod file_mode_tests {
    use super::check_key_file_mode;

    #[test]
    fn libpq_permission_rule() {
        assert!(check_key_file_mode("k", 0o100600, true, 1000, 1000).is_none());
        assert!(check_key_file_mode("k", 0o100400, true, 1000, 1000).is_none());
        assert!(check_key_file_mode("k", 0o100640, true, 1000, 1000).is_some());
        assert!(check_key_file_mode("k", 0o100640, true, 0, 1000).is_none());
        assert!(check_key_file_mode("k", 0o100644, true, 0, 1000).is_some());
        assert!(check_key_file_mode("k", 0o100600, false, 1000, 1000).is_some());
    }
}
