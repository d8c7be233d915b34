//! [`ChainError`]: every reason a certificate path is rejected, as one enum whose variants name
//! the fact and carry its data (in the style of rustls-webpki's `Error`).
//!
//! Positions: `index` is the certificate's position in the path that was examined, `0` being
//! the leaf; the trust anchor is last. Times are seconds since the Unix epoch.

use crate::pki::time::UnixTime;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ChainError {
    /// The leaf input is not a certificate.
    LeafUnreadable { reason: String },
    /// The trusted input holds no usable certificate.
    NoTrustAnchors,
    /// No certificate in any input has the subject this certificate names as its issuer
    /// (RFC 5280 §6.1.3 (a)(4): name chaining).
    UnknownIssuer {
        index: usize,
        subject: String,
        issuer: String,
    },
    /// libpq policy: the path reached a certificate from the trusted input that is not
    /// self-signed, and no self-signed root for it is in the trusted input. OpenSSL without
    /// `X509_V_FLAG_PARTIAL_CHAIN` (libpq never sets it) does not accept it as a trust anchor.
    OnlyIntermediateTrusted { subject: String, issuer: String },
    /// The path ends at a self-signed certificate that is not in the trusted input.
    SelfSignedNotTrusted { index: usize, subject: String },
    /// Candidates named like the issuer exist, but no candidate's key verifies the signature
    /// (RFC 5280 §6.1.3 (a)(1)).
    BadSignature {
        index: usize,
        subject: String,
        issuer: String,
    },
    /// The certificate is signed with an algorithm pg-preflight does not verify, or its
    /// parameters are malformed.
    UnsupportedSignatureAlgorithm {
        index: usize,
        subject: String,
        algorithm: String,
        reason: String,
    },
    /// The issuer's public key cannot verify anything (unknown type or curve, size out of
    /// range, invalid point), or is of another type than the signature needs.
    UnsupportedKey {
        index: usize,
        subject: String,
        issuer: String,
        reason: String,
    },
    /// The signatureAlgorithm outside the TBSCertificate differs from the one inside
    /// (RFC 5280 §4.1.1.2).
    SignatureAlgorithmMismatch { index: usize, subject: String },
    /// notAfter is before the validation time (RFC 5280 §6.1.3 (a)(2)).
    Expired {
        index: usize,
        subject: String,
        not_after: UnixTime,
        at: UnixTime,
    },
    /// notBefore is after the validation time (RFC 5280 §6.1.3 (a)(2)).
    NotYetValid {
        index: usize,
        subject: String,
        not_before: UnixTime,
        at: UnixTime,
    },
    /// The trust anchor itself has expired. RFC 5280 §6.1 does not check it, but OpenSSL and
    /// x509-limbo's expectations do.
    TrustAnchorExpired {
        subject: String,
        not_after: UnixTime,
        at: UnixTime,
    },
    /// The trust anchor is not yet valid.
    TrustAnchorNotYetValid {
        subject: String,
        not_before: UnixTime,
        at: UnixTime,
    },
    /// A certificate that issued another is not a CA: basicConstraints is absent or has cA
    /// false (RFC 5280 §6.1.4 (k)).
    IssuerNotCa {
        index: usize,
        subject: String,
        reason: String,
    },
    /// A CA certificate's basicConstraints is not marked critical (RFC 5280 §4.2.1.9).
    BasicConstraintsNotCritical { index: usize, subject: String },
    /// More non-self-issued intermediates follow this CA than its pathLenConstraint allows
    /// (RFC 5280 §6.1.4 (l), (m)).
    PathLenExceeded {
        index: usize,
        subject: String,
        path_len: u32,
        intermediates_below: u32,
    },
    /// The path has more non-self-issued intermediates than the verifier's configured maximum
    /// depth ([`super::VerifyOptions::max_intermediates`]).
    MaxDepthExceeded { intermediates: usize, max: usize },
    /// An issuer's keyUsage is present without keyCertSign (RFC 5280 §6.1.4 (n)).
    MissingKeyCertSign {
        index: usize,
        subject: String,
        key_usage: Vec<String>,
    },
    /// keyCertSign is asserted on a certificate whose basicConstraints does not say cA
    /// (RFC 5280 §4.2.1.3).
    KeyCertSignWithoutCa { index: usize, subject: String },
    /// basicConstraints asserts cA but keyUsage is present without keyCertSign: the
    /// certificate contradicts itself (RFC 5280 §4.2.1.3, §4.2.1.9; CA/B Forum 7.1.2.7.8).
    CaWithoutKeyCertSign { index: usize, subject: String },
    /// The serial number is not a positive integer of at most 20 octets (RFC 5280 §4.1.2.2).
    InvalidSerialNumber {
        index: usize,
        subject: String,
        reason: String,
    },
    /// A critical extension the verifier does not process (RFC 5280 §4.2, §6.1.4 (o)), or
    /// one RFC 5280 requires to be non-critical.
    UnhandledCriticalExtension {
        index: usize,
        subject: String,
        oid: String,
        name: Option<String>,
    },
    /// An extension appears more than once (RFC 5280 §4.2).
    DuplicateExtension {
        index: usize,
        subject: String,
        oid: String,
    },
    /// A known extension's value does not decode.
    MalformedExtension {
        index: usize,
        subject: String,
        oid: String,
    },
    /// A certificate not self-signed lacks authorityKeyIdentifier (RFC 5280 §4.2.1.1).
    MissingAuthorityKeyId { index: usize, subject: String },
    /// A CA certificate lacks subjectKeyIdentifier (RFC 5280 §4.2.1.2).
    MissingSubjectKeyId { index: usize, subject: String },
    /// authorityKeyIdentifier is present but unusable: no keyIdentifier, or on a self-signed
    /// certificate a keyIdentifier that is not its own, or authorityCertIssuer/serial.
    InvalidAuthorityKeyId {
        index: usize,
        subject: String,
        reason: String,
    },
    /// The issuer field is an empty Name (RFC 5280 §4.1.2.4).
    EmptyIssuer { index: usize, subject: String },
    /// The subject is empty where it may not be (RFC 5280 §4.1.2.6).
    EmptySubject { index: usize, reason: String },
    /// subjectAltName criticality contradicts the subject (RFC 5280 §4.2.1.6: critical exactly
    /// when the subject is empty).
    SubjectAltNameCriticality {
        index: usize,
        subject: String,
        critical: bool,
    },
    /// Not an X.509 v3 certificate.
    UnsupportedVersion {
        index: usize,
        subject: String,
        version: u32,
    },
    /// extendedKeyUsage does not allow the purpose (RFC 5280 §4.2.1.12).
    WrongPurpose {
        index: usize,
        subject: String,
        purpose: String,
        extended_key_usage: Vec<String>,
    },
    /// keyUsage (or the Netscape certificate type) rules out the purpose, as OpenSSL checks it.
    KeyUsageForbidsPurpose {
        index: usize,
        subject: String,
        purpose: String,
        key_usage: Vec<String>,
    },
    /// A name of the certificate is outside a CA's name constraints (RFC 5280 §6.1.3 (b), (c)).
    NameConstraintViolation {
        index: usize,
        subject: String,
        name: String,
        constrained_by: String,
    },
    /// nameConstraints where RFC 5280 §4.2.1.10 forbids them or with unusable content.
    InvalidNameConstraints {
        index: usize,
        subject: String,
        reason: String,
    },
    /// The server certificate does not name the host (RFC 6125 §6.4, or libpq's rules).
    HostMismatch {
        host: String,
        dns_names: Vec<String>,
        ip_addresses: Vec<String>,
        common_name: Option<String>,
        reason: String,
    },
    /// libpq policy: OpenSSL's default security level (1) rejects a SHA-1 or MD5 signature
    /// anywhere but on the trust anchor.
    WeakSignatureHash {
        index: usize,
        subject: String,
        hash: String,
    },
    /// libpq policy: a key weaker than OpenSSL's default security level (80 bits) allows.
    KeyTooSmall {
        index: usize,
        subject: String,
        security_bits: u32,
    },
    /// Path building stopped after the signature-check budget without finding a valid path.
    TooManyCandidates { signature_checks: usize },
    /// Every path found would be longer than the limit.
    PathTooLong { max_certificates: usize },
}

impl ChainError {
    /// The position in the path the error is about, if it is about one certificate.
    pub fn index(&self) -> Option<usize> {
        use ChainError::*;
        match self {
            UnknownIssuer { index, .. }
            | SelfSignedNotTrusted { index, .. }
            | BadSignature { index, .. }
            | UnsupportedSignatureAlgorithm { index, .. }
            | UnsupportedKey { index, .. }
            | SignatureAlgorithmMismatch { index, .. }
            | Expired { index, .. }
            | NotYetValid { index, .. }
            | IssuerNotCa { index, .. }
            | BasicConstraintsNotCritical { index, .. }
            | PathLenExceeded { index, .. }
            | MissingKeyCertSign { index, .. }
            | KeyCertSignWithoutCa { index, .. }
            | UnhandledCriticalExtension { index, .. }
            | DuplicateExtension { index, .. }
            | MalformedExtension { index, .. }
            | MissingAuthorityKeyId { index, .. }
            | MissingSubjectKeyId { index, .. }
            | InvalidAuthorityKeyId { index, .. }
            | EmptyIssuer { index, .. }
            | EmptySubject { index, .. }
            | SubjectAltNameCriticality { index, .. }
            | UnsupportedVersion { index, .. }
            | WrongPurpose { index, .. }
            | KeyUsageForbidsPurpose { index, .. }
            | NameConstraintViolation { index, .. }
            | InvalidNameConstraints { index, .. }
            | WeakSignatureHash { index, .. }
            | KeyTooSmall { index, .. }
            | CaWithoutKeyCertSign { index, .. }
            | InvalidSerialNumber { index, .. } => Some(*index),
            HostMismatch { .. } => Some(0),
            _ => None,
        }
    }
}
