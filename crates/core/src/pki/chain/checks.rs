//! The checks run on one candidate path, each a small function citing the rule it implements.
//!
//! A path is `path[0]` (the leaf) … `path[n-1]` (the trust anchor). Signatures were verified
//! while the path was built ([`super::path`]); everything else is here. Every function returns
//! the errors it finds (empty when the check passes), so a report can list them all.
//!
//! Which checks run depends on [`Policy`]:
//! - **Strict** is RFC 5280 §6.1 plus the profile rules x509-limbo expects (rustls-webpki's
//!   reading): the anchor's self-signature is not checked (RFC 5280 §6.1.1 (d) takes only its
//!   name and key), but its validity period and extensions are (x509-limbo rejects an expired
//!   root, a root without basicConstraints, with a non-critical one, or with unknown critical
//!   extensions).
//! - **Libpq** is what OpenSSL 3's `X509_verify_cert` decides with libpq's settings
//!   (`check_extensions`, `check_purpose`, `internal_verify`, `check_name_constraints` and the
//!   security level 1 checks of `crypto/x509/x509_vfy.c`): the anchor's validity is checked,
//!   X.509 profile rules that OpenSSL only enforces with `-x509_strict` are not.

use super::constraints;
use super::error::ChainError;
use super::model::ChainCert;
use super::signature;
use super::{Policy, Purpose};
use crate::pki::oids::{eku, ext, ku};
use crate::pki::time::UnixTime;

/// Everything the checks need besides the path.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub at: UnixTime,
    pub policy: Policy,
    pub purpose: Option<Purpose>,
    pub max_intermediates: Option<usize>,
}

/// Runs every check on `path` and returns all errors found.
pub fn check_path(path: &[&ChainCert], ctx: &Context) -> Vec<ChainError> {
    let mut errors = Vec::new();
    let anchor = path.len().saturating_sub(1);
    for (index, cert) in path.iter().enumerate() {
        let is_anchor = index == anchor && path.len() > 1;
        let is_leaf = index == 0;
        let is_issuer = index > 0;
        errors.extend(check_validity(cert, index, is_anchor, ctx));
        errors.extend(check_extensions_unique(cert, index));
        errors.extend(check_extensions_decode(cert, index));
        errors.extend(check_critical_extensions(cert, index, ctx.policy));
        if !is_anchor {
            errors.extend(check_signature_algorithm_match(cert, index));
        }
        if is_issuer {
            errors.extend(check_issuer_is_ca(cert, index, is_anchor, ctx.policy));
            errors.extend(check_key_cert_sign(cert, index));
        }
        if ctx.policy == Policy::Strict {
            if !is_anchor {
                errors.extend(check_version(cert, index));
                errors.extend(check_issuer_name(cert, index));
            }
            errors.extend(check_subject_name(cert, index, is_issuer));
            errors.extend(check_key_cert_sign_needs_ca(cert, index));
            errors.extend(check_key_identifiers(cert, index, is_issuer, is_anchor));
            if is_leaf {
                errors.extend(check_ca_needs_key_cert_sign(cert, index));
            }
            if !is_anchor {
                errors.extend(check_serial_number(cert, index));
            }
            if let Some(nc) = &cert.name_constraints {
                if !is_issuer {
                    errors.push(ChainError::InvalidNameConstraints {
                        index,
                        subject: cert.subject.clone(),
                        reason: "nameConstraints may appear only in CA certificates".into(),
                    });
                } else if let Err(e) = constraints::check_constraints_wellformed(nc, index, cert) {
                    errors.push(e);
                }
            }
        }
        if let Some(purpose) = ctx.purpose {
            errors.extend(check_purpose(cert, index, is_anchor, purpose, ctx.policy));
        }
        if ctx.policy == Policy::Libpq {
            errors.extend(check_security_level(cert, index, index + 1 == path.len()));
        }
    }
    errors.extend(check_path_len(path, ctx.policy));
    errors.extend(check_max_depth(path, ctx.max_intermediates));
    for (index, cert) in path.iter().enumerate().skip(1) {
        if let Some(nc) = &cert.name_constraints {
            if let Err(e) = constraints::check_name_constraints(path, index, nc, ctx.policy) {
                errors.push(e);
            }
        }
    }
    errors
}

/// RFC 5280 §6.1.3 (a)(2): the validation time is within notBefore..=notAfter — for the trust
/// anchor too, under both policies: §6.1.1 (d) takes only the anchor's name and key, but
/// OpenSSL ("in addition to RFC 5280, do also for trusted (root) cert") and x509-limbo
/// (`rfc5280::validity::expired-root`) reject an expired anchor.
pub fn check_validity(
    cert: &ChainCert,
    index: usize,
    is_anchor: bool,
    ctx: &Context,
) -> Option<ChainError> {
    let at = ctx.at;
    let subject = cert.subject.clone();
    if at < cert.not_before {
        return Some(if is_anchor {
            ChainError::TrustAnchorNotYetValid {
                subject,
                not_before: cert.not_before,
                at,
            }
        } else {
            ChainError::NotYetValid {
                index,
                subject,
                not_before: cert.not_before,
                at,
            }
        });
    }
    if at > cert.not_after {
        return Some(if is_anchor {
            ChainError::TrustAnchorExpired {
                subject,
                not_after: cert.not_after,
                at,
            }
        } else {
            ChainError::Expired {
                index,
                subject,
                not_after: cert.not_after,
                at,
            }
        });
    }
    None
}

/// RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular
/// extension."
pub fn check_extensions_unique(cert: &ChainCert, index: usize) -> Option<ChainError> {
    let mut seen: Vec<&str> = Vec::new();
    for e in &cert.extensions {
        if seen.contains(&e.oid.as_str()) {
            return Some(ChainError::DuplicateExtension {
                index,
                subject: cert.subject.clone(),
                oid: e.oid.clone(),
            });
        }
        seen.push(&e.oid);
    }
    None
}

/// RFC 5280 §4.2: a recognised extension whose value does not decode cannot be honoured.
pub fn check_extensions_decode(cert: &ChainCert, index: usize) -> Option<ChainError> {
    cert.extensions
        .iter()
        .find(|e| e.malformed)
        .map(|e| ChainError::MalformedExtension {
            index,
            subject: cert.subject.clone(),
            oid: e.oid.clone(),
        })
}

/// RFC 5280 §4.2 and §6.1.4 (o): a critical extension the verifier does not process makes the
/// certificate unusable. Strict: the extensions this verifier processes (basicConstraints,
/// keyUsage, extKeyUsage, subjectAltName, nameConstraints, certificatePolicies — accepted
/// because no explicit policy is required — and cRLDistributionPoints); authorityKeyIdentifier,
/// subjectKeyIdentifier and authorityInfoAccess MUST be non-critical (§4.2.1.1, §4.2.1.2,
/// §4.2.2.1). Libpq: OpenSSL's `X509_supported_extension` list.
pub fn check_critical_extensions(
    cert: &ChainCert,
    index: usize,
    policy: Policy,
) -> Vec<ChainError> {
    let understood: &[&str] = match policy {
        Policy::Strict => &[
            ext::BASIC_CONSTRAINTS,
            ext::KEY_USAGE,
            ext::EXTENDED_KEY_USAGE,
            ext::SUBJECT_ALT_NAME,
            ext::NAME_CONSTRAINTS,
            ext::CERTIFICATE_POLICIES,
            ext::CRL_DISTRIBUTION_POINTS,
        ],
        Policy::Libpq => &[
            ext::NS_CERT_TYPE,
            ext::KEY_USAGE,
            ext::SUBJECT_ALT_NAME,
            ext::BASIC_CONSTRAINTS,
            ext::CERTIFICATE_POLICIES,
            ext::CRL_DISTRIBUTION_POINTS,
            ext::EXTENDED_KEY_USAGE,
            ext::SBGP_IP_ADDR_BLOCK,
            ext::SBGP_AS_NUMBER,
            ext::OCSP_NO_CHECK,
            ext::POLICY_CONSTRAINTS,
            ext::PROXY_CERT_INFO,
            ext::NAME_CONSTRAINTS,
            ext::POLICY_MAPPINGS,
            ext::INHIBIT_ANY_POLICY,
        ],
    };
    cert.extensions
        .iter()
        .filter(|e| e.critical && !understood.contains(&e.oid.as_str()))
        .map(|e| ChainError::UnhandledCriticalExtension {
            index,
            subject: cert.subject.clone(),
            oid: e.oid.clone(),
            name: ext::name(&e.oid).map(str::to_string),
        })
        .collect()
}

/// RFC 5280 §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the
/// signature field in the sequence tbsCertificate" (OpenSSL's `X509_verify` refuses too).
pub fn check_signature_algorithm_match(cert: &ChainCert, index: usize) -> Option<ChainError> {
    (cert.signature_algorithm != cert.tbs_signature_algorithm).then(|| {
        ChainError::SignatureAlgorithmMismatch {
            index,
            subject: cert.subject.clone(),
        }
    })
}

/// RFC 5280 §6.1.4 (k): an issuer must have basicConstraints with cA true; §4.2.1.9: it must
/// be critical in a CA certificate (strict). Libpq follows OpenSSL's `X509_check_ca`: an
/// intermediate needs cA true; the trust anchor may instead be a v1 self-signed certificate or
/// have keyUsage (with keyCertSign) or a Netscape CA type and no basicConstraints.
pub fn check_issuer_is_ca(
    cert: &ChainCert,
    index: usize,
    is_anchor: bool,
    policy: Policy,
) -> Vec<ChainError> {
    let subject = cert.subject.clone();
    match cert.basic_constraints {
        Some(bc) if bc.ca => {
            if policy == Policy::Strict && !bc.critical {
                vec![ChainError::BasicConstraintsNotCritical { index, subject }]
            } else {
                Vec::new()
            }
        }
        Some(_) => vec![ChainError::IssuerNotCa {
            index,
            subject,
            reason: "its basicConstraints has cA false".into(),
        }],
        None => {
            let openssl_tolerates = policy == Policy::Libpq
                && is_anchor
                && ((cert.version == 1 && cert.is_self_issued_canon())
                    || cert.key_usage.is_some()
                    || cert.ns_cert_type.is_some_and(|t| t.any_ca));
            if openssl_tolerates {
                Vec::new()
            } else {
                vec![ChainError::IssuerNotCa {
                    index,
                    subject,
                    reason: if cert.version < 3 {
                        format!(
                            "it is an X.509 v{} certificate without basicConstraints",
                            cert.version
                        )
                    } else {
                        "it has no basicConstraints extension".into()
                    },
                }]
            }
        }
    }
}

/// RFC 5280 §6.1.4 (n): "If a key usage extension is present, verify that the keyCertSign bit
/// is set."
pub fn check_key_cert_sign(cert: &ChainCert, index: usize) -> Option<ChainError> {
    let flags = cert.key_usage?;
    (flags & ku::KEY_CERT_SIGN == 0).then(|| ChainError::MissingKeyCertSign {
        index,
        subject: cert.subject.clone(),
        key_usage: ku::names(flags),
    })
}

/// RFC 5280 §4.2.1.3: "If the keyCertSign bit is asserted, then the cA bit in the basic
/// constraints extension MUST also be asserted" (strict).
pub fn check_key_cert_sign_needs_ca(cert: &ChainCert, index: usize) -> Option<ChainError> {
    let flags = cert.key_usage?;
    (flags & ku::KEY_CERT_SIGN != 0 && !cert.is_ca()).then(|| ChainError::KeyCertSignWithoutCa {
        index,
        subject: cert.subject.clone(),
    })
}

/// RFC 5280 §4.2.1.3 with §4.2.1.9 (strict): a certificate asserting cA whose keyUsage lacks
/// keyCertSign contradicts itself (CA/B Forum 7.1.2.7.8: an end entity says cA FALSE). Issuers
/// are covered by [`check_key_cert_sign`]; a leaf that is a complete CA (cA and keyCertSign) is
/// accepted, as RFC 5280 §4.2.1.9 allows.
pub fn check_ca_needs_key_cert_sign(cert: &ChainCert, index: usize) -> Option<ChainError> {
    let flags = cert.key_usage?;
    (cert.is_ca() && flags & ku::KEY_CERT_SIGN == 0).then(|| ChainError::CaWithoutKeyCertSign {
        index,
        subject: cert.subject.clone(),
    })
}

/// RFC 5280 §4.1.2.2 (strict): "The serial number MUST be a positive integer … Conforming CAs
/// MUST NOT use serialNumber values longer than 20 octets" (a leading zero octet that keeps the
/// integer positive is not counted).
pub fn check_serial_number(cert: &ChainCert, index: usize) -> Option<ChainError> {
    let serial = cert.serial.as_slice();
    let reason = match serial {
        [] => "it is empty",
        [first, ..] if first & 0x80 != 0 => "it is negative",
        _ if serial.iter().all(|b| *b == 0) => "it is zero",
        [0, rest @ ..] if rest.len() > 20 => "it is longer than 20 octets",
        [first, ..] if *first != 0 && serial.len() > 20 => "it is longer than 20 octets",
        _ => return None,
    };
    Some(ChainError::InvalidSerialNumber {
        index,
        subject: cert.subject.clone(),
        reason: reason.into(),
    })
}

/// RFC 5280 §4.1.2.1: certificates with extensions are v3; the strict policy accepts only v3
/// below the trust anchor (as rustls-webpki and x509-limbo's CA/B profile do).
pub fn check_version(cert: &ChainCert, index: usize) -> Option<ChainError> {
    (cert.version != 3).then(|| ChainError::UnsupportedVersion {
        index,
        subject: cert.subject.clone(),
        version: cert.version,
    })
}

/// RFC 5280 §4.1.2.4: "The issuer field MUST contain a non-empty distinguished name."
pub fn check_issuer_name(cert: &ChainCert, index: usize) -> Option<ChainError> {
    cert.issuer_is_empty().then(|| ChainError::EmptyIssuer {
        index,
        subject: cert.subject.clone(),
    })
}

/// RFC 5280 §4.1.2.6 and §4.2.1.6: a CA's subject is non-empty; an end entity with an empty
/// subject carries its identity in a critical subjectAltName, and one with a subject marks
/// subjectAltName non-critical.
pub fn check_subject_name(cert: &ChainCert, index: usize, is_issuer: bool) -> Option<ChainError> {
    if cert.subject_is_empty() {
        if is_issuer || cert.is_ca() {
            return Some(ChainError::EmptySubject {
                index,
                reason: "a CA certificate must have a non-empty subject".into(),
            });
        }
        if cert.subject_alt_names.is_none() {
            return Some(ChainError::EmptySubject {
                index,
                reason: "the subject is empty and there is no subjectAltName".into(),
            });
        }
        if !cert.san_critical {
            return Some(ChainError::SubjectAltNameCriticality {
                index,
                subject: cert.subject.clone(),
                critical: false,
            });
        }
    } else if cert.subject_alt_names.is_some() && cert.san_critical {
        return Some(ChainError::SubjectAltNameCriticality {
            index,
            subject: cert.subject.clone(),
            critical: true,
        });
    }
    None
}

/// RFC 5280 §4.2.1.1 and §4.2.1.2 (strict): certificates that are not self-signed carry an
/// authorityKeyIdentifier with a keyIdentifier; CA certificates carry a subjectKeyIdentifier.
/// A self-signed trust anchor that has an authorityKeyIdentifier must point at itself and carry
/// nothing else (CA/B Forum 7.1.2.1.3, as x509-limbo expects).
pub fn check_key_identifiers(
    cert: &ChainCert,
    index: usize,
    is_issuer: bool,
    is_anchor: bool,
) -> Vec<ChainError> {
    let mut errors = Vec::new();
    let subject = || cert.subject.clone();
    let self_issued = cert.is_self_issued();
    match &cert.authority_key_id {
        None if !self_issued => errors.push(ChainError::MissingAuthorityKeyId {
            index,
            subject: subject(),
        }),
        Some(aki) if aki.key_id.is_none() => errors.push(ChainError::InvalidAuthorityKeyId {
            index,
            subject: subject(),
            reason: "it has no keyIdentifier".into(),
        }),
        Some(aki) if is_anchor && self_issued => {
            if aki.has_issuer || aki.serial.is_some() {
                errors.push(ChainError::InvalidAuthorityKeyId {
                    index,
                    subject: subject(),
                    reason: "a root's authorityKeyIdentifier must not name an issuer or serial"
                        .into(),
                });
            } else if cert.subject_key_id.is_some() && aki.key_id != cert.subject_key_id {
                errors.push(ChainError::InvalidAuthorityKeyId {
                    index,
                    subject: subject(),
                    reason: "a self-signed root's keyIdentifier differs from its own subjectKeyIdentifier".into(),
                });
            }
        }
        _ => {}
    }
    if is_issuer && cert.subject_key_id.is_none() {
        errors.push(ChainError::MissingSubjectKeyId {
            index,
            subject: subject(),
        });
    }
    errors
}

/// The purpose's EKU OID and its name.
fn purpose_eku(purpose: Purpose) -> (&'static str, &'static str) {
    match purpose {
        Purpose::Server => (eku::SERVER_AUTH, "serverAuth"),
        Purpose::Client => (eku::CLIENT_AUTH, "clientAuth"),
    }
}

fn eku_names(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|oid| crate::pki::oids::eku_name(oid).map_or_else(|| oid.clone(), str::to_string))
        .collect()
}

/// RFC 5280 §4.2.1.12: extendedKeyUsage, when present, must allow the purpose.
///
/// Strict: the leaf and the intermediates (an EKU in a CA certificate limits what it may
/// issue, as every browser and rustls-webpki treat it); the anchor is not checked.
/// anyExtendedKeyUsage alone does not satisfy a purpose: RFC 5280 lets a CA include it, but
/// x509-limbo, rustls-webpki and OpenSSL all require the purpose itself, and so do we. Libpq: OpenSSL's `X509_check_purpose` for `sslserver`/`sslclient` on
/// every certificate including the anchor: the EKU must list the purpose itself
/// (anyExtendedKeyUsage alone does not do; Netscape/Microsoft SGC count for servers), the
/// leaf's keyUsage must allow digitalSignature, keyEncipherment (servers) or keyAgreement, and
/// a Netscape certificate type must allow the use.
pub fn check_purpose(
    cert: &ChainCert,
    index: usize,
    is_anchor: bool,
    purpose: Purpose,
    policy: Policy,
) -> Vec<ChainError> {
    let (wanted, name) = purpose_eku(purpose);
    let mut errors = Vec::new();
    let wrong = |list: &[String]| ChainError::WrongPurpose {
        index,
        subject: cert.subject.clone(),
        purpose: name.to_string(),
        extended_key_usage: eku_names(list),
    };
    match policy {
        Policy::Strict => {
            if is_anchor {
                return errors;
            }
            if let Some(list) = &cert.extended_key_usage {
                if !list.iter().any(|e| e == wanted) {
                    errors.push(wrong(list));
                }
            }
        }
        Policy::Libpq => {
            let _ = is_anchor;
            if let Some(list) = &cert.extended_key_usage {
                let ok = list.iter().any(|e| {
                    e == wanted
                        || (purpose == Purpose::Server && (e == eku::NS_SGC || e == eku::MS_SGC))
                });
                if !ok {
                    errors.push(wrong(list));
                }
            }
            if index == 0 {
                let needed = match purpose {
                    Purpose::Server => {
                        ku::DIGITAL_SIGNATURE | ku::KEY_ENCIPHERMENT | ku::KEY_AGREEMENT
                    }
                    Purpose::Client => ku::DIGITAL_SIGNATURE | ku::KEY_AGREEMENT,
                };
                if let Some(flags) = cert.key_usage {
                    if flags & needed == 0 {
                        errors.push(ChainError::KeyUsageForbidsPurpose {
                            index,
                            subject: cert.subject.clone(),
                            purpose: name.to_string(),
                            key_usage: ku::names(flags),
                        });
                    }
                }
                if let Some(ns) = cert.ns_cert_type {
                    let allowed = match purpose {
                        Purpose::Server => ns.ssl_server,
                        Purpose::Client => ns.ssl_client,
                    };
                    if !allowed {
                        errors.push(ChainError::KeyUsageForbidsPurpose {
                            index,
                            subject: cert.subject.clone(),
                            purpose: name.to_string(),
                            key_usage: vec!["nsCertType without this use".into()],
                        });
                    }
                }
            } else if let Some(ns) = cert.ns_cert_type {
                // check_ssl_ca: a CA known only through its Netscape type must be an SSL CA.
                if cert.basic_constraints.is_none() && cert.key_usage.is_none() && !ns.ssl_ca {
                    errors.push(ChainError::KeyUsageForbidsPurpose {
                        index,
                        subject: cert.subject.clone(),
                        purpose: name.to_string(),
                        key_usage: vec!["nsCertType without SSL CA".into()],
                    });
                }
            }
        }
    }
    errors
}

/// RFC 5280 §6.1.4 (l), (m): the number of non-self-issued intermediates below a CA may not
/// exceed its pathLenConstraint. (OpenSSL counts the same way, trust anchor included.)
pub fn check_path_len(path: &[&ChainCert], _policy: Policy) -> Vec<ChainError> {
    let mut errors = Vec::new();
    let mut below: u32 = 0;
    for (index, cert) in path.iter().enumerate().skip(1) {
        if let Some(limit) = cert.basic_constraints.and_then(|bc| bc.path_len) {
            if cert.is_ca() && below > limit {
                errors.push(ChainError::PathLenExceeded {
                    index,
                    subject: cert.subject.clone(),
                    path_len: limit,
                    intermediates_below: below,
                });
            }
        }
        if !cert.is_self_issued() {
            below += 1;
        }
    }
    errors
}

/// The caller's depth limit (OpenSSL's `-verify_depth`, x509-limbo's `max_chain_depth`):
/// intermediates between the leaf and the anchor, self-issued ones not counted.
pub fn check_max_depth(path: &[&ChainCert], max: Option<usize>) -> Option<ChainError> {
    let max = max?;
    let intermediates = path
        .iter()
        .skip(1)
        .take(path.len().saturating_sub(2))
        .filter(|c| !c.is_self_issued())
        .count();
    (intermediates > max).then_some(ChainError::MaxDepthExceeded { intermediates, max })
}

/// OpenSSL security level 1 (the default for TLS, which libpq uses): every key in the path
/// needs 80 bits of security (RSA ≥ 1024 bits, EC ≥ 160), and no certificate below the trust
/// anchor may be signed with SHA-1 or MD5 (OpenSSL 3 rates SHA-1 at 63 bits).
pub fn check_security_level(cert: &ChainCert, index: usize, is_top: bool) -> Vec<ChainError> {
    let mut errors = Vec::new();
    if let Some(bits) = signature::key_security_bits(&cert.spki) {
        if bits < 80 {
            errors.push(ChainError::KeyTooSmall {
                index,
                subject: cert.subject.clone(),
                security_bits: bits,
            });
        }
    }
    if !is_top {
        if let Some(hash) = signature::weak_hash(&cert.signature_algorithm) {
            errors.push(ChainError::WeakSignatureHash {
                index,
                subject: cert.subject.clone(),
                hash: hash.to_string(),
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::chain::model::{BasicConstraints, Extension};

    /// A certificate with only the fields the checks read, from the fixture leaf.
    fn base() -> ChainCert {
        let pem = include_str!("../../../tests/fixtures/pki/server.crt");
        let intake =
            crate::pki::intake::intake(pem.as_bytes(), crate::pki::intake::Field::ServerChain);
        let der = intake
            .items
            .first()
            .map(|i| i.der.clone())
            .unwrap_or_default();
        ChainCert::parse(&der).unwrap()
    }

    fn ctx(policy: Policy) -> Context {
        Context {
            at: UnixTime::from_seconds(1_780_272_000), // 2026-06-01
            policy,
            purpose: Some(Purpose::Server),
            max_intermediates: None,
        }
    }

    #[test]
    fn validity() {
        let cert = base();
        assert!(check_validity(&cert, 0, false, &ctx(Policy::Strict)).is_none());
        let late = Context {
            at: cert.not_after + 1,
            ..ctx(Policy::Strict)
        };
        assert!(matches!(
            check_validity(&cert, 0, false, &late),
            Some(ChainError::Expired { .. })
        ));
        assert!(matches!(
            check_validity(&cert, 1, true, &late),
            Some(ChainError::TrustAnchorExpired { .. })
        ));
        let early = Context {
            at: cert.not_before - 1,
            ..ctx(Policy::Strict)
        };
        assert!(matches!(
            check_validity(&cert, 0, false, &early),
            Some(ChainError::NotYetValid { .. })
        ));
    }

    #[test]
    fn duplicate_and_critical_extensions() {
        let mut cert = base();
        assert!(check_extensions_unique(&cert, 0).is_none());
        assert!(check_critical_extensions(&cert, 0, Policy::Strict).is_empty());
        cert.extensions.push(Extension {
            oid: "1.2.3.4".into(),
            critical: true,
            malformed: false,
        });
        cert.extensions.push(Extension {
            oid: "1.2.3.4".into(),
            critical: true,
            malformed: true,
        });
        assert!(check_extensions_unique(&cert, 0).is_some());
        assert!(check_extensions_decode(&cert, 0).is_some());
        assert_eq!(check_critical_extensions(&cert, 0, Policy::Libpq).len(), 2);
    }

    #[test]
    fn critical_aki_is_strict_only_understood_nowhere() {
        let mut cert = base();
        cert.extensions.push(Extension {
            oid: ext::AUTHORITY_KEY_ID.into(),
            critical: true,
            malformed: false,
        });
        assert_eq!(check_critical_extensions(&cert, 0, Policy::Strict).len(), 1);
        assert_eq!(check_critical_extensions(&cert, 0, Policy::Libpq).len(), 1);
    }

    #[test]
    fn issuer_must_be_ca() {
        let mut cert = base();
        assert!(!check_issuer_is_ca(&cert, 1, false, Policy::Strict).is_empty());
        cert.basic_constraints = Some(BasicConstraints {
            critical: true,
            ca: true,
            path_len: None,
        });
        assert!(check_issuer_is_ca(&cert, 1, false, Policy::Strict).is_empty());
        cert.basic_constraints = Some(BasicConstraints {
            critical: false,
            ca: true,
            path_len: None,
        });
        assert!(matches!(
            check_issuer_is_ca(&cert, 1, false, Policy::Strict).first(),
            Some(ChainError::BasicConstraintsNotCritical { .. })
        ));
        assert!(check_issuer_is_ca(&cert, 1, false, Policy::Libpq).is_empty());
    }

    #[test]
    fn key_cert_sign() {
        let mut cert = base();
        assert!(check_key_cert_sign(&cert, 1).is_some());
        cert.key_usage = Some(ku::KEY_CERT_SIGN);
        assert!(check_key_cert_sign(&cert, 1).is_none());
        cert.key_usage = None;
        assert!(check_key_cert_sign(&cert, 1).is_none());
        cert.key_usage = Some(ku::KEY_CERT_SIGN);
        assert!(check_key_cert_sign_needs_ca(&cert, 0).is_some());
        cert.basic_constraints = Some(BasicConstraints {
            critical: true,
            ca: true,
            path_len: None,
        });
        assert!(check_key_cert_sign_needs_ca(&cert, 0).is_none());
        assert!(check_ca_needs_key_cert_sign(&cert, 0).is_none());
        cert.key_usage = Some(ku::DIGITAL_SIGNATURE);
        assert!(check_ca_needs_key_cert_sign(&cert, 0).is_some());
        assert!(check_ca_needs_key_cert_sign(&base(), 0).is_none());
    }

    #[test]
    fn purposes() {
        let cert = base(); // serverAuth
        assert!(check_purpose(&cert, 0, false, Purpose::Server, Policy::Strict).is_empty());
        assert!(!check_purpose(&cert, 0, false, Purpose::Client, Policy::Strict).is_empty());
        let mut any = base();
        // anyExtendedKeyUsage (RFC 5280 §4.2.1.12), which the checks never name.
        any.extended_key_usage = Some(vec!["2.5.29.37.0".into()]);
        assert!(!check_purpose(&any, 0, false, Purpose::Client, Policy::Strict).is_empty());
        assert!(!check_purpose(&any, 0, false, Purpose::Client, Policy::Libpq).is_empty());
        let mut none = base();
        none.extended_key_usage = None;
        assert!(check_purpose(&none, 0, false, Purpose::Client, Policy::Strict).is_empty());
        let mut ku_only = base();
        ku_only.extended_key_usage = None;
        ku_only.key_usage = Some(ku::KEY_ENCIPHERMENT);
        assert!(check_purpose(&ku_only, 0, false, Purpose::Server, Policy::Libpq).is_empty());
        assert!(!check_purpose(&ku_only, 0, false, Purpose::Client, Policy::Libpq).is_empty());
    }

    #[test]
    fn path_len() {
        let leaf = base();
        let mut inter = base();
        inter.subject_der = vec![1];
        inter.basic_constraints = Some(BasicConstraints {
            critical: true,
            ca: true,
            path_len: Some(0),
        });
        let mut root = base();
        root.basic_constraints = Some(BasicConstraints {
            critical: true,
            ca: true,
            path_len: Some(0),
        });
        assert!(check_path_len(&[&leaf, &inter], Policy::Strict).is_empty());
        assert_eq!(
            check_path_len(&[&leaf, &inter, &root], Policy::Strict).len(),
            1
        );
        assert!(check_max_depth(&[&leaf, &inter, &root], Some(1)).is_none());
        assert!(check_max_depth(&[&leaf, &inter, &root], Some(0)).is_some());
    }

    #[test]
    fn names_and_identifiers() {
        let cert = base();
        assert!(check_version(&cert, 0).is_none());
        assert!(check_issuer_name(&cert, 0).is_none());
        assert!(check_subject_name(&cert, 0, false).is_none());
        assert!(check_key_identifiers(&cert, 0, false, false).is_empty());
        let mut bare = base();
        bare.version = 1;
        bare.authority_key_id = None;
        bare.subject_key_id = None;
        assert!(check_version(&bare, 0).is_some());
        assert_eq!(check_key_identifiers(&bare, 1, true, false).len(), 2);
        bare.san_critical = true;
        assert!(check_subject_name(&bare, 0, false).is_some());
    }

    #[test]
    fn serial_numbers() {
        let mut cert = base();
        assert!(check_serial_number(&cert, 0).is_none());
        cert.serial = vec![0];
        assert!(check_serial_number(&cert, 0).is_some());
        cert.serial = vec![0x80, 1];
        assert!(check_serial_number(&cert, 0).is_some());
        cert.serial = vec![1; 21];
        assert!(check_serial_number(&cert, 0).is_some());
        cert.serial = [vec![0], vec![0x80; 20]].concat();
        assert!(check_serial_number(&cert, 0).is_none());
    }

    #[test]
    fn signature_algorithm_match() {
        let mut cert = base();
        assert!(check_signature_algorithm_match(&cert, 0).is_none());
        cert.tbs_signature_algorithm.push(0);
        assert!(check_signature_algorithm_match(&cert, 0).is_some());
    }

    #[test]
    fn security_level() {
        let cert = base();
        assert!(check_security_level(&cert, 0, false).is_empty());
    }
}
