//! The facts a person needs about one X.509 certificate (RFC 5280 §4.1), read from DER.
//! Time is not read here: `days_left` takes `now` as a parameter.

use super::chain::model::ChainCert;
use super::der;
use super::der::bit_length;
use super::oids;
use super::oids::{ext, ku};
use super::text::hex_colon;
use super::x509::{self, Certificate};
use crate::pki::time::UnixTime;
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::Digest;

/// A certificate's public key, as far as the checks need it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the OID.
    pub algorithm: String,
    /// Modulus bits for RSA/DSA, curve size for EC, 256/456 for Ed25519/Ed448.
    pub bits: Option<u32>,
    /// `P-256`, … for EC keys.
    pub curve: Option<String>,
}

/// Everything shown on a certificate card and used by the checks. Read back (the page's
/// certificate cards, from its second module) without the known-CA labels, which
/// `CertificateSummary::known_ca` carries for the card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertFacts {
    pub subject: String,
    pub issuer: String,
    /// The subject's common name, when there is exactly one.
    pub common_name: Option<String>,
    pub serial: String,
    /// 1 or 3 (X.509 v1 / v3).
    pub version: u32,
    /// Seconds since the Unix epoch.
    pub not_before: UnixTime,
    pub not_after: UnixTime,
    pub not_before_text: String,
    pub not_after_text: String,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<String>,
    pub key: KeyInfo,
    pub signature_algorithm: String,
    pub signature_algorithm_oid: String,
    /// `Some(true)` for a CA (basicConstraints cA), `None` when the extension is absent.
    pub is_ca: Option<bool>,
    pub path_len: Option<u32>,
    /// Key usage bits by name (`digitalSignature`, `keyCertSign`, …); `None` when absent.
    pub key_usage: Option<Vec<String>>,
    /// Extended key usage purposes by name (OIDs when unnamed); `None` when absent.
    pub extended_key_usage: Option<Vec<String>>,
    pub subject_key_id: Option<String>,
    pub authority_key_id: Option<String>,
    /// Subject and issuer are the same name (candidate trust anchor).
    pub self_issued: bool,
    pub fingerprint_sha256: String,
    pub fingerprint_sha1: String,
    /// Which provider or public CA this is, when recognised (`known_cas`).
    #[serde(skip_deserializing)]
    pub known_ca: Option<&'static str>,
    /// Which provider or public CA issued it, by authority key identifier or issuer name.
    #[serde(skip_deserializing)]
    pub issued_by_known_ca: Option<&'static str>,
}

impl CertFacts {
    /// A plain client certificate's facts (CN=app_user, RSA 2048, clientAuth) for unit tests,
    /// which change the fields they are about with struct update syntax.
    #[cfg(test)]
    pub(crate) fn sample() -> CertFacts {
        CertFacts {
            subject: "CN=app_user".into(),
            issuer: "CN=Fixture CA".into(),
            common_name: Some("app_user".into()),
            serial: "01".into(),
            version: 3,
            not_before: UnixTime::default(),
            not_after: UnixTime::default(),
            not_before_text: String::new(),
            not_after_text: String::new(),
            dns_names: vec![],
            ip_addresses: vec![],
            key: KeyInfo {
                algorithm: "RSA".into(),
                bits: Some(2048),
                curve: None,
            },
            signature_algorithm: "sha256WithRSAEncryption".into(),
            signature_algorithm_oid: "1.2.840.113549.1.1.11".into(),
            is_ca: Some(false),
            path_len: None,
            key_usage: Some(vec!["digitalSignature".into()]),
            extended_key_usage: Some(vec!["clientAuth".into()]),
            subject_key_id: None,
            authority_key_id: None,
            self_issued: false,
            fingerprint_sha256: String::new(),
            fingerprint_sha1: String::new(),
            known_ca: None,
            issued_by_known_ca: None,
        }
    }

    /// Whole days from `now` to notAfter (negative once expired), rounded down.
    pub fn days_left(&self, now: UnixTime) -> i64 {
        now.days_until(self.not_after)
    }

    pub fn is_valid_at(&self, now: UnixTime) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    pub fn has_eku(&self, purpose: &str) -> bool {
        self.extended_key_usage.as_ref().is_none_or(|ekus| {
            ekus.iter()
                .any(|e| e == purpose || e == "anyExtendedKeyUsage")
        })
    }
}

/// Why a DER blob is not a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACertificate(pub String);

/// The facts of one certificate (the tests' and benchmarks' entry; intake keeps the model too).
#[cfg(feature = "internals")]
pub fn parse(der: &[u8]) -> Result<CertFacts, NotACertificate> {
    parse_with_model(der).map(|(facts, _)| facts)
}

/// The facts and the chain model of one certificate, from a single reading of its DER.
pub fn parse_with_model(der: &[u8]) -> Result<(CertFacts, ChainCert), NotACertificate> {
    let cert = Certificate::read(der).map_err(|e| NotACertificate(e.0))?;
    let model = ChainCert::from_certificate(&cert);
    let mut facts = facts(&cert, &model);
    facts.known_ca = super::known_cas::recognise_certificate(
        facts.subject_key_id.as_deref(),
        &facts.subject,
        facts.common_name.as_deref(),
    );
    facts.issued_by_known_ca =
        super::known_cas::recognise_issuer(facts.authority_key_id.as_deref(), &facts.issuer);
    Ok((facts, model))
}

fn facts(cert: &Certificate<'_>, model: &ChainCert) -> CertFacts {
    let signature_oid = model.signature_oid.clone();
    let (dns_names, ip_addresses) = match unique(model, ext::SUBJECT_ALT_NAME, Some(())) {
        Some(()) => (model.dns_names(), model.ip_addresses()),
        None => (Vec::new(), Vec::new()),
    };
    let basic = unique(model, ext::BASIC_CONSTRAINTS, model.basic_constraints);
    CertFacts {
        subject: shown_name(&cert.subject, &model.subject),
        issuer: shown_name(&cert.issuer, &model.issuer),
        common_name: single_common_name(&cert.subject),
        serial: hex_colon(cert.serial),
        version: model.version,
        not_before: model.not_before,
        not_after: model.not_after,
        not_before_text: model.not_before.rfc3339(),
        not_after_text: model.not_after.rfc3339(),
        dns_names,
        ip_addresses,
        key: key_info(cert),
        signature_algorithm: oids::signature_algorithm_name(&signature_oid)
            .map_or_else(|| signature_oid.clone(), str::to_string),
        signature_algorithm_oid: signature_oid,
        is_ca: basic.map(|b| b.ca),
        path_len: basic.and_then(|b| b.path_len),
        key_usage: unique(model, ext::KEY_USAGE, model.key_usage).map(ku::names),
        extended_key_usage: unique(
            model,
            ext::EXTENDED_KEY_USAGE,
            model.extended_key_usage.as_ref(),
        )
        .map(|purposes| {
            purposes
                .iter()
                .map(|oid| oids::eku_name(oid).map_or_else(|| oid.clone(), str::to_string))
                .collect()
        }),
        subject_key_id: model.subject_key_id.as_deref().map(hex_colon),
        authority_key_id: model
            .authority_key_id
            .as_ref()
            .and_then(|aki| aki.key_id.as_deref())
            .map(hex_colon),
        self_issued: model.is_self_issued(),
        fingerprint_sha256: model.fingerprint.clone(),
        fingerprint_sha1: hex_colon(&Sha1::digest(cert.der)),
        known_ca: None,
        issued_by_known_ca: None,
    }
}

/// A name as the card shows it: the model's text (the same [`super::name::display`]), except
/// that an empty Name is an empty string on the card where messages say "(empty name)".
fn shown_name(name: &x509::Name<'_>, model_text: &str) -> String {
    if name.rdns.is_empty() {
        String::new()
    } else {
        model_text.to_string()
    }
}

/// A card shows an extension only when the certificate has exactly one of it (RFC 5280 §4.2:
/// "MUST NOT include more than one instance"); the chain checks report the duplicate.
fn unique<T>(model: &ChainCert, oid: &str, value: Option<T>) -> Option<T> {
    let count = model.extensions.iter().filter(|e| e.oid == oid).count();
    value.filter(|_| count == 1)
}

/// The subject's commonName when there is exactly one and it is a plain string.
fn single_common_name(subject: &x509::Name<'_>) -> Option<String> {
    let mut names = subject.values_of(x509::attribute::COMMON_NAME);
    let first = names.next()?;
    if names.next().is_some() {
        return None;
    }
    x509::plain_string(first).map(str::to_string)
}

/// Subject and issuer as OpenSSL's `X509_NAME_oneline` prints them (`/C=US/O=Acme/CN=app`), the
/// form MySQL and MariaDB compare `REQUIRE SUBJECT` and `REQUIRE ISSUER` against. `None` when a
/// name has an attribute without a well-known short name or a value outside printable ASCII,
/// which OpenSSL would escape in ways not worth reproducing here.
pub fn openssl_oneline_names(der: &[u8]) -> Option<(String, String)> {
    let cert = Certificate::read(der).ok()?;
    Some((oneline(&cert.subject)?, oneline(&cert.issuer)?))
}

fn oneline(name: &x509::Name<'_>) -> Option<String> {
    let mut out = String::new();
    for attribute in name.attributes() {
        let short = openssl_short_name(&der::oid_text(attribute.oid)?)?;
        let value = x509::plain_string(&attribute.value)?;
        if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return None;
        }
        out.push('/');
        out.push_str(short);
        out.push('=');
        out.push_str(value);
    }
    Some(out)
}

/// OpenSSL's short names (objects.txt) for the attributes certificate subjects use.
fn openssl_short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "2.5.4.9" => "street",
        "2.5.4.12" => "title",
        "2.5.4.4" => "SN",
        "2.5.4.42" => "GN",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => return None,
    })
}

/// The key's algorithm and size (RFC 5280 §4.1.2.7): the modulus of an `rsaEncryption` key
/// (RFC 3279 §2.3.1), the curve of an EC key (RFC 5480 §2.1.1), the public value of a DSA key
/// (RFC 3279 §2.3.2). An RSASSA-PSS key's size is not read, as before.
fn key_info(cert: &Certificate<'_>) -> KeyInfo {
    let algorithm_oid = super::chain::model::dotted(cert.key_algorithm.oid);
    let curve = cert
        .key_algorithm
        .parameters
        .filter(|p| p.tag == der::OID)
        .and_then(|oid| der::oid_text(oid.value))
        .and_then(|oid| oids::curve_name(&oid))
        .map(str::to_string);
    let (algorithm, bits) = match algorithm_oid.as_str() {
        oids::RSA_ENCRYPTION => ("RSA".to_string(), rsa_modulus_bits(cert.public_key)),
        oids::RSASSA_PSS => ("RSA".to_string(), None),
        oids::EC_PUBLIC_KEY => (
            "EC".to_string(),
            curve.as_deref().and_then(oids::curve_bits),
        ),
        oids::ED25519 => ("Ed25519".to_string(), Some(256)),
        oids::ED448 => ("Ed448".to_string(), Some(456)),
        oids::DSA => ("DSA".to_string(), dsa_public_value_bits(cert.public_key)),
        other => (other.to_string(), None),
    };
    KeyInfo {
        algorithm,
        bits,
        curve,
    }
}

/// RFC 3279 §2.3.1: `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
fn rsa_modulus_bits(key: &[u8]) -> Option<u32> {
    match der::sequence(key)?.as_slice() {
        [modulus, exponent] if modulus.tag == der::INTEGER && exponent.tag == der::INTEGER => {
            Some(bit_length(modulus.value))
        }
        _ => None,
    }
}

/// RFC 3279 §2.3.2: `DSAPublicKey ::= INTEGER`.
fn dsa_public_value_bits(key: &[u8]) -> Option<u32> {
    let (value, _) = der::expect(key, der::INTEGER)?;
    Some(bit_length(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(parse(b"").is_err());
        assert!(parse(&[0x30, 0x03, 0x02, 0x01, 0x01]).is_err());
    }
}
