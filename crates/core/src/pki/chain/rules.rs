//! Rules raised by chain verification, and the diagnostic for each [`ChainError`].

use super::error::ChainError;
use super::link::ChainLink;
use super::path::Origin;
use super::{Labels, Policy};
use crate::diagnostic::{Diagnostic, Fix};
use crate::registry::Rule;

rule!(
    RULE_UNKNOWN_ISSUER,
    "PGP-CHAIN-001",
    Error,
    "Issuer certificate not found",
    "A certificate names an issuer that is in none of the files given, so no path to a trusted \
certificate can be built. Usually an intermediate CA is missing: servers must send it after \
their own certificate (`ssl_cert_file` holding the certificate followed by the intermediates), \
clients append it to `sslcert`, and the CA file must hold the root the intermediates chain to.",
    [
        "https://www.rfc-editor.org/rfc/rfc5280#section-6.1",
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES"
    ]
);

rule!(RULE_ONLY_INTERMEDIATE_TRUSTED, "PGP-CHAIN-002", Error, "CA file holds an intermediate, not the root",
"libpq verifies with OpenSSL without partial-chain support: the chain must end at a *self-signed* \
root certificate present in `sslrootcert` (or, on the server, `ssl_ca_file`). Trusting only an \
intermediate CA fails with \"unable to get issuer certificate\", although stricter RFC 5280 \
verifiers (Java, rustls) would accept it. Put the root in the file; the intermediate may stay.",
["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES", "https://docs.openssl.org/3.0/man1/openssl-verification-options/"]);

rule!(RULE_SELF_SIGNED_UNTRUSTED, "PGP-CHAIN-003", Error, "Chain ends at an untrusted self-signed certificate",
"The chain leads to a self-signed certificate that is not among the trusted certificates. Either \
the wrong CA file was given, or the certificate is self-signed and must itself be put in the CA \
file to be trusted.",
["https://www.rfc-editor.org/rfc/rfc5280#section-6.1"]);

rule!(RULE_BAD_SIGNATURE, "PGP-CHAIN-004", Error, "Certificate signature does not verify",
"A certificate with the issuer's name was found, but its key did not sign this certificate: it is \
another CA with the same name (a CA that was regenerated or re-keyed, or a test CA). Use the CA \
certificate that really issued it; its subjectKeyIdentifier equals the certificate's \
authorityKeyIdentifier.",
["https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3"]);

rule!(
    RULE_UNSUPPORTED_ALGORITHM,
    "PGP-CHAIN-005",
    Error,
    "Unsupported signature algorithm or key",
    "The signature could not be checked: the algorithm (DSA, Ed448, MD5, an unknown OID) or the \
issuer's key (an unsupported curve, explicit curve parameters, a key size outside 1024–8192 bits) \
is not one pg-preflight verifies. Modern PostgreSQL deployments use RSA (PKCS#1 v1.5 or PSS), \
ECDSA on P-256/P-384/P-521, or Ed25519.",
    [
        "https://www.rfc-editor.org/rfc/rfc4055",
        "https://www.rfc-editor.org/rfc/rfc5758",
        "https://www.rfc-editor.org/rfc/rfc8410"
    ]
);

rule!(RULE_ISSUER_NOT_CA, "PGP-CHAIN-006", Error, "Issuer is not a CA",
"A certificate that signed another one is not marked as a certificate authority (basicConstraints \
cA:TRUE, critical). This happens when a server or client certificate is used to sign another \
certificate, or a CA was created without `-extensions v3_ca`.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9", "https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4"]);

rule!(RULE_PATH_LEN, "PGP-CHAIN-007", Error, "Path length constraint exceeded",
"A CA limits how many intermediate CAs may follow it (pathLenConstraint) and the chain has more.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9"]);

rule!(RULE_KEY_CERT_SIGN, "PGP-CHAIN-008", Error, "CA key usage does not allow certificate signing",
"The issuing CA has a keyUsage extension without keyCertSign, so its signatures on certificates \
are not valid.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3"]);

rule!(
    RULE_CRITICAL_EXTENSION,
    "PGP-CHAIN-009",
    Error,
    "Unhandled critical extension",
    "A certificate has an extension marked critical that the verifier does not process, or one \
RFC 5280 requires to be non-critical (authorityKeyIdentifier, subjectKeyIdentifier, \
authorityInfoAccess). Verifiers must reject such certificates.",
    ["https://www.rfc-editor.org/rfc/rfc5280#section-4.2"]
);

rule!(RULE_WRONG_PURPOSE, "PGP-CHAIN-010", Error, "Certificate not valid for this purpose",
"extendedKeyUsage (or keyUsage) does not allow the use: a server certificate needs serverAuth, a \
client certificate clientAuth (or no extendedKeyUsage at all). OpenSSL, and so libpq and the \
PostgreSQL server, also apply an extendedKeyUsage on a CA to everything below it.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12", "https://docs.openssl.org/3.0/man3/X509_check_purpose/"]);

rule!(
    RULE_HOST_MISMATCH,
    "PGP-CHAIN-011",
    Error,
    "Server certificate does not match the host name",
    "With `sslmode=verify-full` the host name must appear in the certificate: as a dNSName \
subjectAltName (a `*.` wildcard covers one label), an iPAddress subjectAltName for IP hosts, or — \
libpq only, and only when the certificate has no subjectAltName of that kind — the common name. \
Stricter clients never use the common name.",
    [
        "https://www.rfc-editor.org/rfc/rfc6125#section-6.4",
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-HOST-NAME"
    ]
);

rule!(RULE_NAME_CONSTRAINTS, "PGP-CHAIN-012", Error, "Name constraints violated",
"A CA in the chain restricts the names it may certify (nameConstraints) and a certificate below it \
has a name outside them, or the constraints themselves are malformed.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.10"]);

rule!(RULE_EXPIRED, "PGP-CHAIN-013", Error, "Certificate in the chain has expired",
"A certificate's notAfter is in the past at the validation time. Renew it. For the trusted root \
this matters to libpq (OpenSSL checks the root's validity) even though RFC 5280 does not check \
trust anchors.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"]);

rule!(RULE_NOT_YET_VALID, "PGP-CHAIN-014", Error, "Certificate in the chain is not yet valid",
"A certificate's notBefore is in the future at the validation time: it was issued with a future \
start date, or a clock is wrong.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"]);

rule!(RULE_PROFILE, "PGP-CHAIN-015", Error, "Certificate violates the RFC 5280 profile",
"A structural rule strict verifiers enforce is broken: duplicate or undecodable extensions, a \
missing authority or subject key identifier, an empty issuer or subject, a non-v3 certificate, \
a serial number that is not a positive integer of at most 20 octets, differing inner and outer \
signature algorithms, keyCertSign without cA, or cA without keyCertSign. libpq's OpenSSL tolerates several of these; Java and rustls \
do not.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4"]);

rule!(RULE_SECURITY_LEVEL, "PGP-CHAIN-016", Error, "Rejected by OpenSSL's security level",
"OpenSSL 3 at its default security level 1 rejects certificates signed with SHA-1 or MD5 (except \
the trusted root's own signature) and keys below 80 bits of security (RSA under 1024 bits). Many \
distributions default to level 2, which also rejects RSA keys under 2048 bits. Reissue with \
SHA-256 and RSA 2048+ or ECDSA P-256.",
["https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/"]);

rule!(RULE_GAVE_UP, "PGP-CHAIN-017", Error, "Path building gave up",
"The certificates offer more candidate paths than the verifier is willing to try (or only paths \
longer than its limit). Remove unrelated and duplicate certificates from the bundles.",
["https://www.rfc-editor.org/rfc/rfc4158"]);

rule!(
    RULE_NOTHING_TO_VERIFY,
    "PGP-CHAIN-018",
    Error,
    "No certificate to verify or trust",
    "The leaf input holds no readable certificate, or the trusted input holds none.",
    ["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-FILE-USAGE"]
);

rule!(RULE_UNUSABLE_INPUT, "PGP-CHAIN-019", Warning, "Certificate in a bundle could not be read",
"One block of a certificate bundle is not a certificate pg-preflight can parse; it was left out of \
path building. libpq stops reading a CA file at such a block in some versions and skips it in \
others; remove it.",
["https://www.rfc-editor.org/rfc/rfc5280#section-4.1"]);

rule!(RULE_POLICY_DISAGREEMENT, "PGP-CHAIN-020", Warning, "libpq and strict verifiers disagree on this chain",
"libpq (OpenSSL) and strict RFC 5280 verifiers — pgjdbc's Java PKIX, rustls-based drivers — reach \
different verdicts: for example an intermediate-only CA file (strict accepts, libpq refuses), an \
expired root (strict accepts, libpq refuses), or a certificate profile error OpenSSL tolerates. \
Fix the chain so both accept it if more than one kind of client connects.",
["https://www.rfc-editor.org/rfc/rfc5280#section-6.1"]);

pub static RULES: &[&Rule] = &[
    &RULE_UNKNOWN_ISSUER,
    &RULE_ONLY_INTERMEDIATE_TRUSTED,
    &RULE_SELF_SIGNED_UNTRUSTED,
    &RULE_BAD_SIGNATURE,
    &RULE_UNSUPPORTED_ALGORITHM,
    &RULE_ISSUER_NOT_CA,
    &RULE_PATH_LEN,
    &RULE_KEY_CERT_SIGN,
    &RULE_CRITICAL_EXTENSION,
    &RULE_WRONG_PURPOSE,
    &RULE_HOST_MISMATCH,
    &RULE_NAME_CONSTRAINTS,
    &RULE_EXPIRED,
    &RULE_NOT_YET_VALID,
    &RULE_PROFILE,
    &RULE_SECURITY_LEVEL,
    &RULE_GAVE_UP,
    &RULE_NOTHING_TO_VERIFY,
    &RULE_UNUSABLE_INPUT,
    &RULE_POLICY_DISAGREEMENT,
];

/// The rule a [`ChainError`] is reported under.
pub fn rule_for(error: &ChainError) -> &'static Rule {
    use ChainError::*;
    match error {
        LeafUnreadable { .. } | NoTrustAnchors => &RULE_NOTHING_TO_VERIFY,
        UnknownIssuer { .. } => &RULE_UNKNOWN_ISSUER,
        OnlyIntermediateTrusted { .. } => &RULE_ONLY_INTERMEDIATE_TRUSTED,
        SelfSignedNotTrusted { .. } => &RULE_SELF_SIGNED_UNTRUSTED,
        BadSignature { .. } => &RULE_BAD_SIGNATURE,
        UnsupportedSignatureAlgorithm { .. } | UnsupportedKey { .. } => &RULE_UNSUPPORTED_ALGORITHM,
        IssuerNotCa { .. } | BasicConstraintsNotCritical { .. } => &RULE_ISSUER_NOT_CA,
        PathLenExceeded { .. } | MaxDepthExceeded { .. } => &RULE_PATH_LEN,
        MissingKeyCertSign { .. } => &RULE_KEY_CERT_SIGN,
        UnhandledCriticalExtension { .. } => &RULE_CRITICAL_EXTENSION,
        WrongPurpose { .. } | KeyUsageForbidsPurpose { .. } => &RULE_WRONG_PURPOSE,
        HostMismatch { .. } => &RULE_HOST_MISMATCH,
        NameConstraintViolation { .. } | InvalidNameConstraints { .. } => &RULE_NAME_CONSTRAINTS,
        Expired { .. } | TrustAnchorExpired { .. } => &RULE_EXPIRED,
        NotYetValid { .. } | TrustAnchorNotYetValid { .. } => &RULE_NOT_YET_VALID,
        SignatureAlgorithmMismatch { .. }
        | KeyCertSignWithoutCa { .. }
        | CaWithoutKeyCertSign { .. }
        | InvalidSerialNumber { .. }
        | DuplicateExtension { .. }
        | MalformedExtension { .. }
        | MissingAuthorityKeyId { .. }
        | MissingSubjectKeyId { .. }
        | InvalidAuthorityKeyId { .. }
        | EmptyIssuer { .. }
        | EmptySubject { .. }
        | SubjectAltNameCriticality { .. }
        | UnsupportedVersion { .. } => &RULE_PROFILE,
        WeakSignatureHash { .. } | KeyTooSmall { .. } => &RULE_SECURITY_LEVEL,
        TooManyCandidates { .. } | PathTooLong { .. } => &RULE_GAVE_UP,
    }
}

/// What the renderer knows about the examined path.
#[derive(Debug, Clone, Copy)]
pub struct Scene<'a> {
    pub labels: &'a Labels,
    pub policy: Policy,
    /// Origin of each certificate of the reported path, leaf first.
    pub origins: &'a [Origin],
    /// What each certificate of the reported path is, as the chain diagram names it.
    pub links: &'a [ChainLink],
    pub has_untrusted: bool,
}

impl Scene<'_> {
    /// A certificate of the path in the diagram's words, then where the user gave it, counted
    /// as a person counts the certificates of a file (the first is 1): "intermediate,
    /// certificate 2 of the server's chain".
    fn origin(&self, index: usize) -> String {
        let name = self.links.get(index).map(|l| l.name.as_str());
        let place = match self.origins.get(index) {
            Some(Origin::Leaf) | None if index == 0 => return self.labels.leaf.clone(),
            Some(Origin::Untrusted(n)) => {
                numbered(*n, self.labels.untrusted_first, &self.labels.untrusted)
            }
            Some(Origin::Trusted(n)) => numbered(*n, 1, &self.labels.trusted),
            _ => return name.unwrap_or("a certificate of the path").to_string(),
        };
        match name {
            Some(name) => format!("{name}, {place}"),
            None => place,
        }
    }

    fn files(&self) -> String {
        let mut files = vec![self.labels.leaf.as_str(), self.labels.trusted.as_str()];
        if self.has_untrusted {
            files.push(&self.labels.untrusted);
        }
        files.join(", ")
    }

    fn bundle_hint(&self) -> String {
        if self.has_untrusted {
            self.labels.untrusted.clone()
        } else {
            format!(
                "{} (after the leaf) or an intermediates bundle",
                self.labels.leaf
            )
        }
    }
}

/// The `n`th certificate of an input (1-based) as the file that holds it numbers it, when the
/// input starts at that file's certificate `first`.
fn numbered(n: usize, first: usize, file: &str) -> String {
    format!("certificate {} of {file}", n + first.saturating_sub(1))
}

fn days(seconds: i64) -> i64 {
    seconds.saturating_abs().div_euclid(86_400)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The diagnostic for one error.
pub fn diagnostic(error: &ChainError, scene: &Scene<'_>) -> Diagnostic {
    use ChainError::*;
    let rule = rule_for(error);
    let (detail, fix): (String, Option<String>) = match error {
        LeafUnreadable { reason } => (
            format!("{} holds no readable certificate: {reason}.", scene.labels.leaf),
            Some("Give the PEM or DER certificate to verify".into()),
        ),
        NoTrustAnchors => (
            format!("{} holds no certificate to trust.", scene.labels.trusted),
            Some("Give the CA certificate (the self-signed root for libpq)".into()),
        ),
        UnknownIssuer { index, subject, issuer } => (
            format!(
                "`{subject}` ({}) was issued by `{issuer}`, which is in none of the files given ({}).",
                scene.origin(*index),
                scene.files()
            ),
            Some(format!(
                "Add the certificate of `{issuer}` to {}, or trust it in {}",
                scene.bundle_hint(),
                scene.labels.trusted
            )),
        ),
        OnlyIntermediateTrusted { subject, issuer } => (
            format!(
                "{} holds `{subject}`, an intermediate CA issued by `{issuer}`, but not the self-signed root: libpq needs the self-signed root in sslrootcert (OpenSSL does not accept partial chains).",
                scene.labels.trusted
            ),
            Some(format!(
                "Add the root certificate `{issuer}` to {} (the intermediate may stay)",
                scene.labels.trusted
            )),
        ),
        SelfSignedNotTrusted { index, subject } => (
            format!(
                "The chain ends at `{subject}` ({}), a self-signed certificate that is not in {}.",
                scene.origin(*index),
                scene.labels.trusted
            ),
            Some(format!(
                "Use the CA file that holds `{subject}`, or add it to {} if it is meant to be trusted",
                scene.labels.trusted
            )),
        ),
        BadSignature { index, subject, issuer } => (
            format!(
                "`{subject}` ({}) names `{issuer}` as its issuer, and a certificate with that name was given, but its key did not sign `{subject}`: it is a different CA with the same name.",
                scene.origin(*index)
            ),
            Some(format!(
                "Use the `{issuer}` certificate that really issued it (its subjectKeyIdentifier equals the authorityKeyIdentifier of `{subject}`)"
            )),
        ),
        UnsupportedSignatureAlgorithm { index, subject, algorithm, reason } => (
            format!(
                "`{subject}` ({}) is signed with {algorithm}: {reason}.",
                scene.origin(*index)
            ),
            Some("Reissue it with RSA and SHA-256, ECDSA P-256 or Ed25519".into()),
        ),
        UnsupportedKey { index, subject, issuer, reason } => (
            format!(
                "The key of `{issuer}` cannot verify `{subject}` ({}): {reason}.",
                scene.origin(*index)
            ),
            None,
        ),
        SignatureAlgorithmMismatch { index, subject } => (
            format!(
                "`{subject}` ({}) names one signature algorithm inside the signed part and another outside it.",
                scene.origin(*index)
            ),
            None,
        ),
        Expired { index, subject, not_after, at } => (
            format!(
                "`{subject}` ({}) expired on {} ({} days before {}).",
                scene.origin(*index),
                not_after.rfc3339(),
                days(at.seconds_since(*not_after)),
                at.rfc3339()
            ),
            Some(format!("Renew `{subject}`")),
        ),
        NotYetValid { index, subject, not_before, at } => (
            format!(
                "`{subject}` ({}) is valid only from {}, after {}.",
                scene.origin(*index),
                not_before.rfc3339(),
                at.rfc3339()
            ),
            Some("Check the issuing machine's clock, or wait until the certificate is valid".into()),
        ),
        TrustAnchorExpired { subject, not_after, at } => (
            format!(
                "The trusted root `{subject}` expired on {} ({} days before {}): OpenSSL (and so libpq) and most verifiers reject chains ending at an expired root, although RFC 5280 §6.1 itself takes only the anchor's name and key.",
                not_after.rfc3339(),
                days(at.seconds_since(*not_after)),
                at.rfc3339()
            ),
            Some(format!("Replace `{subject}` in {} with its renewed certificate", scene.labels.trusted)),
        ),
        TrustAnchorNotYetValid { subject, not_before, at } => (
            format!(
                "The trusted root `{subject}` is valid only from {}, after {}; OpenSSL rejects it.",
                not_before.rfc3339(),
                at.rfc3339()
            ),
            None,
        ),
        IssuerNotCa { index, subject, reason } => (
            format!(
                "`{subject}` ({}) issued the certificate below it but is not a CA: {reason}.",
                scene.origin(*index)
            ),
            Some(format!("Issue certificates from a CA certificate (basicConstraints critical, CA:TRUE), not from `{subject}`")),
        ),
        BasicConstraintsNotCritical { index, subject } => (
            format!(
                "`{subject}` ({}) is a CA whose basicConstraints is not marked critical.",
                scene.origin(*index)
            ),
            Some("Recreate the CA with `basicConstraints = critical, CA:TRUE`".into()),
        ),
        PathLenExceeded { index, subject, path_len, intermediates_below } => (
            format!(
                "`{subject}` ({}) allows {path_len} intermediate CA(s) below it (pathLenConstraint), but the path has {intermediates_below}.",
                scene.origin(*index)
            ),
            None,
        ),
        MaxDepthExceeded { intermediates, max } => (
            format!("The path has {intermediates} intermediate CA(s); at most {max} are allowed."),
            None,
        ),
        MissingKeyCertSign { index, subject, key_usage } => (
            format!(
                "`{subject}` ({}) signs certificates but its keyUsage ({}) lacks keyCertSign.",
                scene.origin(*index),
                list(key_usage)
            ),
            Some("Recreate the CA with `keyUsage = critical, keyCertSign, cRLSign`".into()),
        ),
        KeyCertSignWithoutCa { index, subject } => (
            format!(
                "`{subject}` ({}) asserts keyCertSign but is not a CA (basicConstraints cA is not true).",
                scene.origin(*index)
            ),
            None,
        ),
        CaWithoutKeyCertSign { index, subject } => (
            format!(
                "`{subject}` ({}) says it is a CA (basicConstraints CA:TRUE) but its keyUsage lacks keyCertSign; a server or client certificate should say CA:FALSE.",
                scene.origin(*index)
            ),
            Some("Issue end-entity certificates with `basicConstraints = critical, CA:FALSE`".into()),
        ),
        InvalidSerialNumber { index, subject, reason } => (
            format!("`{subject}` ({}) has an invalid serial number: {reason}.", scene.origin(*index)),
            Some("Reissue it with a random positive serial of at most 20 octets".into()),
        ),
        UnhandledCriticalExtension { index, subject, oid, name } => (
            format!(
                "`{subject}` ({}) has the critical extension {}, which {}.",
                scene.origin(*index),
                name.as_ref().map_or_else(|| format!("`{oid}`"), |n| format!("{n} (`{oid}`)")),
                match scene.policy {
                    Policy::Strict => "strict RFC 5280 validation does not accept as critical",
                    Policy::Libpq => "OpenSSL (libpq) does not process",
                }
            ),
            None,
        ),
        DuplicateExtension { index, subject, oid } => (
            format!("`{subject}` ({}) has the extension `{oid}` more than once.", scene.origin(*index)),
            None,
        ),
        MalformedExtension { index, subject, oid } => (
            format!(
                "`{subject}` ({}) has a {} extension whose value does not decode.",
                scene.origin(*index),
                crate::pki::oids::ext::name(oid).map_or_else(|| format!("`{oid}`"), str::to_string)
            ),
            None,
        ),
        MissingAuthorityKeyId { index, subject } => (
            format!("`{subject}` ({}) has no authorityKeyIdentifier.", scene.origin(*index)),
            Some("Issue it with `authorityKeyIdentifier = keyid`".into()),
        ),
        MissingSubjectKeyId { index, subject } => (
            format!("The CA `{subject}` ({}) has no subjectKeyIdentifier.", scene.origin(*index)),
            Some("Recreate the CA with `subjectKeyIdentifier = hash`".into()),
        ),
        InvalidAuthorityKeyId { index, subject, reason } => (
            format!("The authorityKeyIdentifier of `{subject}` ({}) is unusable: {reason}.", scene.origin(*index)),
            None,
        ),
        EmptyIssuer { index, subject } => (
            format!("`{subject}` ({}) has an empty issuer name.", scene.origin(*index)),
            None,
        ),
        EmptySubject { index, reason } => (
            format!("A certificate of the path ({}): {reason}.", scene.origin(*index)),
            None,
        ),
        SubjectAltNameCriticality { index, subject, critical } => (
            format!(
                "`{subject}` ({}) marks subjectAltName {}, but it must be critical exactly when the subject is empty.",
                scene.origin(*index),
                if *critical { "critical" } else { "non-critical" }
            ),
            None,
        ),
        UnsupportedVersion { index, subject, version } => (
            format!(
                "`{subject}` ({}) is an X.509 v{version} certificate; strict verifiers accept only v3.",
                scene.origin(*index)
            ),
            Some("Reissue it as v3 (`openssl x509 -req … -extfile` with extensions)".into()),
        ),
        WrongPurpose { index, subject, purpose, extended_key_usage } => (
            format!(
                "`{subject}` ({}) has extendedKeyUsage {}, which does not allow {purpose}.",
                scene.origin(*index),
                list(extended_key_usage)
            ),
            Some(format!("Issue it with `extendedKeyUsage = {purpose}`")),
        ),
        KeyUsageForbidsPurpose { index, subject, purpose, key_usage } => (
            format!(
                "`{subject}` ({}) has keyUsage {}, which OpenSSL does not accept for {purpose}.",
                scene.origin(*index),
                list(key_usage)
            ),
            Some("Include digitalSignature in keyUsage".into()),
        ),
        NameConstraintViolation { index, subject, name, constrained_by } => (
            format!(
                "`{name}` of `{subject}` ({}) is outside the name constraints: {constrained_by}.",
                scene.origin(*index)
            ),
            None,
        ),
        InvalidNameConstraints { index, subject, reason } => (
            format!("The nameConstraints of `{subject}` ({}) are invalid: {reason}.", scene.origin(*index)),
            None,
        ),
        HostMismatch { host, dns_names, ip_addresses, common_name, reason } => (
            format!(
                "The certificate does not match `{host}` ({}): DNS names {}, IP addresses {}, common name {}; {reason}.",
                match scene.policy {
                    Policy::Strict => "RFC 6125 rules",
                    Policy::Libpq => "libpq's rules",
                },
                list(dns_names),
                list(ip_addresses),
                common_name.as_ref().map_or_else(|| "none".to_string(), |c| format!("`{c}`"))
            ),
            Some(format!(
                "Connect with a name the certificate lists, or reissue it with `subjectAltName = {}:{host}`",
                if super::names::parse_ip_strict(host).is_some() { "IP" } else { "DNS" }
            )),
        ),
        WeakSignatureHash { index, subject, hash } => (
            format!(
                "`{subject}` ({}) is signed with {hash}; OpenSSL 3 at its default security level rejects it, so libpq fails the handshake.",
                scene.origin(*index)
            ),
            Some("Reissue it with SHA-256".into()),
        ),
        KeyTooSmall { index, subject, security_bits } => (
            format!(
                "The key of `{subject}` ({}) gives {security_bits} bits of security, below OpenSSL's default minimum of 80.",
                scene.origin(*index)
            ),
            Some("Use RSA 2048+ or ECDSA P-256".into()),
        ),
        TooManyCandidates { signature_checks } => (
            format!("Path building stopped after {signature_checks} signature checks without finding a valid path."),
            Some("Remove unrelated and duplicate certificates from the bundles".into()),
        ),
        PathTooLong { max_certificates } => (
            format!("Every path found is longer than {max_certificates} certificates."),
            None,
        ),
    };
    let diagnostic = Diagnostic::new(rule, detail);
    match fix {
        Some(title) => diagnostic.with_fix(Fix::advice(title)),
        None => diagnostic,
    }
}
