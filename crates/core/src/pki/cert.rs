//! The facts a person needs about one X.509 certificate (RFC 5280 §4.1), read from DER.
//! Time is not read here: `days_left` takes `now` as a parameter.

use super::oids;
use super::time::rfc3339;
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;

/// A certificate's public key, as far as the checks need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the OID.
    pub algorithm: String,
    /// Modulus bits for RSA/DSA, curve size for EC, 256/456 for Ed25519/Ed448.
    pub bits: Option<u32>,
    /// `P-256`, … for EC keys.
    pub curve: Option<String>,
}

/// Everything shown on a certificate card and used by the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub not_before: i64,
    pub not_after: i64,
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
    pub known_ca: Option<&'static str>,
    /// Which provider or public CA issued it, by authority key identifier or issuer name.
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
            not_before: 0,
            not_after: 0,
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
    pub fn days_left(&self, now: i64) -> i64 {
        (self.not_after - now).div_euclid(86_400)
    }

    pub fn is_valid_at(&self, now: i64) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    pub fn has_eku(&self, purpose: &str) -> bool {
        self.extended_key_usage.as_ref().is_none_or(|ekus| {
            ekus.iter()
                .any(|e| e == purpose || e == "anyExtendedKeyUsage")
        })
    }
}

/// Colon-separated upper-case hex, as `openssl x509 -fingerprint` prints it.
pub fn hex_colon(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Significant bits of a big-endian unsigned integer.
pub fn bit_length(bytes: &[u8]) -> u32 {
    let significant: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
    match significant.first() {
        None => 0,
        Some(first) => (significant.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
    }
}

/// Why a DER blob is not a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACertificate(pub String);

pub fn parse(der: &[u8]) -> Result<CertFacts, NotACertificate> {
    let (rest, cert) =
        X509Certificate::from_der(der).map_err(|e| NotACertificate(e.to_string()))?;
    if !rest.is_empty() {
        return Err(NotACertificate(format!(
            "{} bytes of trailing data after the certificate",
            rest.len()
        )));
    }
    let mut facts = facts(&cert, der);
    facts.known_ca = super::known_cas::recognise_certificate(&facts);
    facts.issued_by_known_ca = super::known_cas::recognise_issuer(&facts);
    Ok(facts)
}

fn facts(cert: &X509Certificate<'_>, der: &[u8]) -> CertFacts {
    let validity = cert.validity();
    let not_before = validity.not_before.timestamp();
    let not_after = validity.not_after.timestamp();
    let signature_oid = cert.signature_algorithm.algorithm.to_id_string();
    let (dns_names, ip_addresses) = subject_alt_names(cert);
    let basic = cert.basic_constraints().ok().flatten();
    CertFacts {
        subject: super::name::display(cert.subject()),
        issuer: super::name::display(cert.issuer()),
        common_name: single_common_name(cert),
        serial: hex_colon(cert.raw_serial()),
        version: cert.version().0 + 1,
        not_before,
        not_after,
        not_before_text: rfc3339(not_before),
        not_after_text: rfc3339(not_after),
        dns_names,
        ip_addresses,
        key: key_info(cert),
        signature_algorithm: oids::signature_algorithm_name(&signature_oid)
            .map_or_else(|| signature_oid.clone(), str::to_string),
        signature_algorithm_oid: signature_oid,
        is_ca: basic.as_ref().map(|b| b.value.ca),
        path_len: basic.as_ref().and_then(|b| b.value.path_len_constraint),
        key_usage: key_usage(cert),
        extended_key_usage: extended_key_usage(cert),
        subject_key_id: key_identifier(cert, true),
        authority_key_id: key_identifier(cert, false),
        self_issued: cert.subject().as_raw() == cert.issuer().as_raw(),
        fingerprint_sha256: hex_colon(&Sha256::digest(der)),
        fingerprint_sha1: hex_colon(&Sha1::digest(der)),
        known_ca: None,
        issued_by_known_ca: None,
    }
}

fn single_common_name(cert: &X509Certificate<'_>) -> Option<String> {
    let mut names = cert.subject().iter_common_name();
    let first = names.next()?;
    if names.next().is_some() {
        return None;
    }
    first.as_str().ok().map(str::to_string)
}

/// Subject and issuer as OpenSSL's `X509_NAME_oneline` prints them (`/C=US/O=Acme/CN=app`), the
/// form MySQL and MariaDB compare `REQUIRE SUBJECT` and `REQUIRE ISSUER` against. `None` when a
/// name has an attribute without a well-known short name or a value outside printable ASCII,
/// which OpenSSL would escape in ways not worth reproducing here.
pub fn openssl_oneline_names(der: &[u8]) -> Option<(String, String)> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    Some((oneline(cert.subject())?, oneline(cert.issuer())?))
}

fn oneline(name: &x509_parser::x509::X509Name<'_>) -> Option<String> {
    let mut out = String::new();
    for rdn in name.iter() {
        for attribute in rdn.iter() {
            let short = openssl_short_name(&attribute.attr_type().to_id_string())?;
            let value = attribute.as_str().ok()?;
            if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                return None;
            }
            out.push('/');
            out.push_str(short);
            out.push('=');
            out.push_str(value);
        }
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

fn subject_alt_names(cert: &X509Certificate<'_>) -> (Vec<String>, Vec<String>) {
    let mut dns = Vec::new();
    let mut ips = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => dns.push((*d).to_string()),
                GeneralName::IPAddress(bytes) => ips.push(ip_text(bytes)),
                _ => {}
            }
        }
    }
    (dns, ips)
}

/// An iPAddress SAN (RFC 5280 §4.2.1.6: 4 or 16 octets) as text.
pub fn ip_text(bytes: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        std::net::Ipv4Addr::from(v4).to_string()
    } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        std::net::Ipv6Addr::from(v6).to_string()
    } else {
        format!("invalid ({} bytes)", bytes.len())
    }
}

fn key_info(cert: &X509Certificate<'_>) -> KeyInfo {
    let spki = cert.public_key();
    let algorithm_oid = spki.algorithm.algorithm.to_id_string();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok())
        .and_then(|oid| oids::curve_name(&oid.to_id_string()))
        .map(str::to_string);
    let (algorithm, bits) = match algorithm_oid.as_str() {
        oids::RSA_ENCRYPTION | oids::RSASSA_PSS => {
            let bits = match spki.parsed() {
                Ok(PublicKey::RSA(rsa)) => Some(bit_length(rsa.modulus)),
                _ => None,
            };
            ("RSA".to_string(), bits)
        }
        oids::EC_PUBLIC_KEY => (
            "EC".to_string(),
            curve.as_deref().and_then(oids::curve_bits),
        ),
        oids::ED25519 => ("Ed25519".to_string(), Some(256)),
        oids::ED448 => ("Ed448".to_string(), Some(456)),
        oids::DSA => {
            let bits = match spki.parsed() {
                Ok(PublicKey::DSA(y)) => Some(bit_length(y)),
                _ => None,
            };
            ("DSA".to_string(), bits)
        }
        other => (other.to_string(), None),
    };
    KeyInfo {
        algorithm,
        bits,
        curve,
    }
}

fn key_usage(cert: &X509Certificate<'_>) -> Option<Vec<String>> {
    let usage = cert.key_usage().ok().flatten()?;
    let ku = usage.value;
    let flags = [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "nonRepudiation"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ];
    Some(
        flags
            .iter()
            .filter(|(set, _)| *set)
            .map(|(_, name)| (*name).to_string())
            .collect(),
    )
}

fn extended_key_usage(cert: &X509Certificate<'_>) -> Option<Vec<String>> {
    let eku = cert.extended_key_usage().ok().flatten()?.value;
    let mut out = Vec::new();
    let named = [
        (eku.any, "anyExtendedKeyUsage"),
        (eku.server_auth, "serverAuth"),
        (eku.client_auth, "clientAuth"),
        (eku.code_signing, "codeSigning"),
        (eku.email_protection, "emailProtection"),
        (eku.time_stamping, "timeStamping"),
        (eku.ocsp_signing, "OCSPSigning"),
    ];
    out.extend(
        named
            .iter()
            .filter(|(set, _)| *set)
            .map(|(_, n)| (*n).to_string()),
    );
    out.extend(eku.other.iter().map(|oid| {
        let id = oid.to_id_string();
        oids::eku_name(&id).map_or(id, str::to_string)
    }));
    Some(out)
}

fn key_identifier(cert: &X509Certificate<'_>, subject: bool) -> Option<String> {
    cert.extensions()
        .iter()
        .find_map(|ext| match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) if subject => Some(hex_colon(id.0)),
            ParsedExtension::AuthorityKeyIdentifier(aki) if !subject => {
                aki.key_identifier.as_ref().map(|id| hex_colon(id.0))
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(parse(b"").is_err());
        assert!(parse(&[0x30, 0x03, 0x02, 0x01, 0x01]).is_err());
    }
}
