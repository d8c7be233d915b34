//! What a private key (or key-like blob) is, read from its DER structure without decrypting
//! anything: container format, algorithm, size or curve, and how it is encrypted.
//!
//! Formats: PKCS#1 `RSAPrivateKey` (RFC 8017 §A.1.2), SEC1 `ECPrivateKey` (RFC 5915 §3),
//! PKCS#8 `PrivateKeyInfo`/`OneAsymmetricKey` (RFC 5208 §5, RFC 5958 §2) and
//! `EncryptedPrivateKeyInfo` (RFC 5208 §6) with PBES1/PBES2 (RFC 8018) or PKCS#12 PBE
//! (RFC 7292 App. C) schemes, and the legacy OpenSSL PEM encryption (`Proc-Type`/`DEK-Info`,
//! RFC 1421 §4.6.1).

use super::der::bit_length;
use super::der::{self, Tlv};
use super::oids;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KeyContainer {
    #[serde(rename = "PKCS#1")]
    Pkcs1,
    #[serde(rename = "SEC1")]
    Sec1,
    #[serde(rename = "PKCS#8")]
    Pkcs8,
    #[serde(rename = "PKCS#8 encrypted")]
    EncryptedPkcs8,
    /// PKCS#1 or SEC1 PEM with `Proc-Type: 4,ENCRYPTED`.
    #[serde(rename = "legacy encrypted PEM")]
    LegacyEncryptedPem,
    /// Inside a PKCS#12 bundle (opened with its password).
    #[serde(rename = "PKCS#12")]
    Pkcs12,
}

impl KeyContainer {
    pub fn describe(self) -> &'static str {
        match self {
            KeyContainer::Pkcs1 => "PKCS#1",
            KeyContainer::Sec1 => "SEC1",
            KeyContainer::Pkcs8 => "PKCS#8",
            KeyContainer::EncryptedPkcs8 => "encrypted PKCS#8",
            KeyContainer::LegacyEncryptedPem => "legacy encrypted PEM",
            KeyContainer::Pkcs12 => "PKCS#12 bundle",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyFacts {
    pub container: KeyContainer,
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `X25519`, `DSA`, an OID, or `unknown` while encrypted.
    pub algorithm: String,
    pub bits: Option<u32>,
    pub curve: Option<String>,
    pub encrypted: bool,
    /// For encrypted keys: the scheme, e.g. `PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)`.
    pub encryption: Option<String>,
}

impl KeyFacts {
    pub fn describe(&self) -> String {
        let size = match (&self.curve, self.bits) {
            (Some(curve), _) => format!(" {curve}"),
            (None, Some(bits)) if self.algorithm == "RSA" || self.algorithm == "DSA" => {
                format!(" {bits}")
            }
            _ => String::new(),
        };
        let algorithm = if self.encrypted && self.algorithm == "unknown" {
            String::new()
        } else {
            format!("{}{size}, ", self.algorithm)
        };
        match &self.encryption {
            Some(scheme) => format!("{algorithm}{} with {scheme}", self.container.describe()),
            None => format!("{algorithm}{}", self.container.describe()),
        }
    }
}

fn integer_bits(tlv: Option<&Tlv<'_>>) -> Option<u32> {
    let tlv = tlv?;
    (tlv.tag == der::INTEGER).then(|| bit_length(tlv.value))
}

/// PKCS#1 `RSAPrivateKey`: version, n, e, d, p, q, dP, dQ, qInv (and otherPrimeInfos).
pub fn pkcs1(der_bytes: &[u8]) -> Option<KeyFacts> {
    let fields = der::sequence(der_bytes)?;
    if fields.len() < 9 || fields.iter().take(9).any(|f| f.tag != der::INTEGER) {
        return None;
    }
    Some(KeyFacts {
        container: KeyContainer::Pkcs1,
        algorithm: "RSA".into(),
        bits: integer_bits(fields.get(1)),
        curve: None,
        encrypted: false,
        encryption: None,
    })
}

/// The group orders of the curves pg-preflight can compute with (SEC 2 §2.4.2, §2.5.1, §2.6.1),
/// to recognise a named curve written out as explicit `ECParameters` (RFC 3279 §2.3.5).
const CURVE_ORDERS: &[(&str, &str)] = &[
    ("P-256", "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
    ("P-384", "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
    ("P-521", "1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"),
];

/// The curve named by EC domain parameters: a `namedCurve` OID, or explicit `ECParameters`
/// (version, fieldID, curve, base, order, cofactor) recognised by their group order.
pub fn ec_curve(parameters: &Tlv<'_>) -> Option<String> {
    match parameters.tag {
        der::OID => {
            let oid = der::oid_text(parameters.value)?;
            Some(oids::curve_name(&oid).map_or(oid, str::to_string))
        }
        der::SEQUENCE => {
            let fields = der::children(parameters.value)?;
            let order = fields.get(4).filter(|f| f.tag == der::INTEGER)?;
            let order: String = order
                .value
                .iter()
                .skip_while(|&&b| b == 0)
                .map(|b| format!("{b:02x}"))
                .collect();
            CURVE_ORDERS
                .iter()
                .find(|(_, known)| known.trim_start_matches('0') == order.trim_start_matches('0'))
                .map(|(name, _)| (*name).to_string())
        }
        _ => None,
    }
}

/// SEC1 `ECPrivateKey`: version 1, privateKey, [0] parameters (named curve), [1] publicKey.
pub fn sec1(der_bytes: &[u8]) -> Option<KeyFacts> {
    let fields = der::sequence(der_bytes)?;
    let version = fields.first().filter(|f| f.tag == der::INTEGER)?;
    if der::small_uint(version.value) != Some(1) || fields.get(1)?.tag != der::OCTET_STRING {
        return None;
    }
    let curve = fields
        .iter()
        .find(|f| f.tag == 0xa0)
        .and_then(|params| der::read(params.value))
        .and_then(|(tlv, _)| ec_curve(&tlv));
    Some(KeyFacts {
        container: KeyContainer::Sec1,
        algorithm: "EC".into(),
        bits: curve.as_deref().and_then(oids::curve_bits),
        curve,
        encrypted: false,
        encryption: None,
    })
}

/// An `AlgorithmIdentifier`: the OID and the raw parameters element, if any.
fn algorithm_identifier<'a>(tlv: &Tlv<'a>) -> Option<(String, Option<Tlv<'a>>)> {
    if tlv.tag != der::SEQUENCE {
        return None;
    }
    let parts = der::children(tlv.value)?;
    let oid = parts.first().filter(|p| p.tag == der::OID)?;
    Some((der::oid_text(oid.value)?, parts.get(1).copied()))
}

/// PKCS#8 `PrivateKeyInfo` (v1) or `OneAsymmetricKey` (v2).
pub fn pkcs8(der_bytes: &[u8]) -> Option<KeyFacts> {
    let fields = der::sequence(der_bytes)?;
    let version = fields.first().filter(|f| f.tag == der::INTEGER)?;
    if !matches!(der::small_uint(version.value), Some(0 | 1)) {
        return None;
    }
    let (algorithm_oid, params) = algorithm_identifier(fields.get(1)?)?;
    let private_key = fields.get(2).filter(|f| f.tag == der::OCTET_STRING)?;
    let (algorithm, bits, curve) = match algorithm_oid.as_str() {
        oids::RSA_ENCRYPTION | oids::RSASSA_PSS => {
            let bits = pkcs1(private_key.value).and_then(|k| k.bits);
            ("RSA".to_string(), bits, None)
        }
        oids::EC_PUBLIC_KEY => {
            let curve = params.as_ref().and_then(ec_curve);
            let bits = curve.as_deref().and_then(oids::curve_bits);
            ("EC".to_string(), bits, curve)
        }
        oids::ED25519 => ("Ed25519".to_string(), Some(256), None),
        oids::ED448 => ("Ed448".to_string(), Some(456), None),
        oids::X25519 => ("X25519".to_string(), Some(256), None),
        oids::DSA => ("DSA".to_string(), None, None),
        other => (other.to_string(), None, None),
    };
    Some(KeyFacts {
        container: KeyContainer::Pkcs8,
        algorithm,
        bits,
        curve,
        encrypted: false,
        encryption: None,
    })
}

/// PKCS#8 `EncryptedPrivateKeyInfo`: encryptionAlgorithm, encryptedData.
pub fn encrypted_pkcs8(der_bytes: &[u8]) -> Option<KeyFacts> {
    let fields = der::sequence(der_bytes)?;
    if fields.len() != 2 || fields.get(1)?.tag != der::OCTET_STRING {
        return None;
    }
    let (scheme_oid, params) = algorithm_identifier(fields.first()?)?;
    Some(KeyFacts {
        container: KeyContainer::EncryptedPkcs8,
        algorithm: "unknown".into(),
        bits: None,
        curve: None,
        encrypted: true,
        encryption: Some(describe_scheme(&scheme_oid, params.as_ref())),
    })
}

/// RFC 8018 / RFC 7292 scheme names for messages.
fn describe_scheme(oid: &str, params: Option<&Tlv<'_>>) -> String {
    match oid {
        "1.2.840.113549.1.5.13" => describe_pbes2(params).unwrap_or_else(|| "PBES2".into()),
        "1.2.840.113549.1.5.3" => "PBES1 (MD5, DES-CBC)".into(),
        "1.2.840.113549.1.5.6" => "PBES1 (MD5, RC2-CBC)".into(),
        "1.2.840.113549.1.5.10" => "PBES1 (SHA-1, DES-CBC)".into(),
        "1.2.840.113549.1.5.11" => "PBES1 (SHA-1, RC2-CBC)".into(),
        "1.2.840.113549.1.12.1.1" => "PKCS#12 PBE (SHA-1, RC4-128)".into(),
        "1.2.840.113549.1.12.1.2" => "PKCS#12 PBE (SHA-1, RC4-40)".into(),
        "1.2.840.113549.1.12.1.3" => "PKCS#12 PBE (SHA-1, 3DES)".into(),
        "1.2.840.113549.1.12.1.4" => "PKCS#12 PBE (SHA-1, 2-key 3DES)".into(),
        "1.2.840.113549.1.12.1.5" => "PKCS#12 PBE (SHA-1, RC2-128)".into(),
        "1.2.840.113549.1.12.1.6" => "PKCS#12 PBE (SHA-1, RC2-40)".into(),
        other => format!("scheme {other}"),
    }
}

/// `PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme }` (RFC 8018 §A.4).
fn describe_pbes2(params: Option<&Tlv<'_>>) -> Option<String> {
    let params = params.filter(|p| p.tag == der::SEQUENCE)?;
    let parts = der::children(params.value)?;
    let (kdf_oid, kdf_params) = algorithm_identifier(parts.first()?)?;
    let (cipher_oid, _) = algorithm_identifier(parts.get(1)?)?;
    let kdf = match kdf_oid.as_str() {
        "1.2.840.113549.1.5.12" => format!("PBKDF2-{}", pbkdf2_prf(kdf_params.as_ref())),
        "1.3.6.1.4.1.11591.4.11" => "scrypt".to_string(),
        other => other.to_string(),
    };
    let cipher = match cipher_oid.as_str() {
        "2.16.840.1.101.3.4.1.2" => "AES-128-CBC",
        "2.16.840.1.101.3.4.1.22" => "AES-192-CBC",
        "2.16.840.1.101.3.4.1.42" => "AES-256-CBC",
        "2.16.840.1.101.3.4.1.6" => "AES-128-GCM",
        "2.16.840.1.101.3.4.1.46" => "AES-256-GCM",
        "1.2.840.113549.3.7" => "DES-EDE3-CBC",
        "1.3.14.3.2.7" => "DES-CBC",
        "1.2.840.113549.3.2" => "RC2-CBC",
        other => other,
    };
    Some(format!("PBES2 ({kdf}, {cipher})"))
}

/// `PBKDF2-params`: salt, iterationCount, keyLength?, prf (default hmacWithSHA1).
fn pbkdf2_prf(params: Option<&Tlv<'_>>) -> &'static str {
    let prf_oid = params
        .filter(|p| p.tag == der::SEQUENCE)
        .and_then(|p| der::children(p.value))
        .and_then(|parts| {
            parts
                .iter()
                .find(|p| p.tag == der::SEQUENCE)
                .and_then(algorithm_identifier)
                .map(|(oid, _)| oid)
        });
    match prf_oid.as_deref() {
        None | Some("1.2.840.113549.2.7") => "HMAC-SHA1",
        Some("1.2.840.113549.2.8") => "HMAC-SHA224",
        Some("1.2.840.113549.2.9") => "HMAC-SHA256",
        Some("1.2.840.113549.2.10") => "HMAC-SHA384",
        Some("1.2.840.113549.2.11") => "HMAC-SHA512",
        Some(_) => "HMAC",
    }
}

/// The legacy OpenSSL encryption of a PKCS#1/SEC1 PEM block, from its headers.
pub fn legacy_encryption(headers: &[(String, String)]) -> Option<String> {
    let encrypted = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("Proc-Type") && v.contains("ENCRYPTED"));
    if !encrypted {
        return None;
    }
    let cipher = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("DEK-Info"))
        .and_then(|(_, v)| v.split(',').next())
        .unwrap_or("unknown cipher");
    Some(format!(
        "{} (OpenSSL legacy, MD5 key derivation)",
        cipher.trim()
    ))
}

/// PKCS#12 `PFX`: version 3, authSafe ContentInfo (RFC 7292 §4).
pub fn is_pkcs12(der_bytes: &[u8]) -> bool {
    let Some(fields) = der::sequence(der_bytes) else {
        return false;
    };
    let version_is_3 = fields
        .first()
        .is_some_and(|v| v.tag == der::INTEGER && der::small_uint(v.value) == Some(3));
    let content_is_pkcs7 = fields
        .get(1)
        .and_then(|ci| algorithm_identifier(ci))
        .is_some_and(|(oid, _)| oid.starts_with("1.2.840.113549.1.7."));
    version_is_3 && content_is_pkcs7
}

/// PKCS#1 `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017
/// §A.1.1): a bare RSA public key.
pub fn is_pkcs1_public_key(der_bytes: &[u8]) -> bool {
    der::sequence(der_bytes)
        .is_some_and(|fields| fields.len() == 2 && fields.iter().all(|f| f.tag == der::INTEGER))
}

/// `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7): a public key, not a private one.
pub fn is_public_key_info(der_bytes: &[u8]) -> bool {
    der::sequence(der_bytes).is_some_and(|fields| {
        fields.len() == 2
            && fields.first().and_then(algorithm_identifier).is_some()
            && fields.get(1).is_some_and(|f| f.tag == der::BIT_STRING)
    })
}

/// Tries every unencrypted and encrypted private key structure.
pub fn classify_private_key(der_bytes: &[u8]) -> Option<KeyFacts> {
    pkcs8(der_bytes)
        .or_else(|| encrypted_pkcs8(der_bytes))
        .or_else(|| pkcs1(der_bytes))
        .or_else(|| sec1(der_bytes))
}
