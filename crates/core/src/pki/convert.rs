//! Converting a private key to the format a driver wants, on the user's machine:
//! PKCS#8 PEM (libpq, node-postgres, asyncpg, Go), PKCS#8 DER `.pk8` (pgjdbc's default
//! `LibPQFactory` reads only this for non-PKCS#12 keys) and PKCS#1 PEM (old tools, RSA only).
//! Output is unencrypted; the caller is told to protect it (0600).

use super::der;
use super::intake::{first_private_key, OpenError};
use super::key;
use super::oids;
use serde::Serialize;
use zeroize::Zeroizing;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyFormat {
    /// `-----BEGIN PRIVATE KEY-----`.
    Pkcs8Pem,
    /// Binary PKCS#8 (`.pk8`).
    Pkcs8Der,
    /// `-----BEGIN RSA PRIVATE KEY-----`.
    Pkcs1Pem,
}

impl KeyFormat {
    pub fn from_name(name: &str) -> Option<KeyFormat> {
        Some(match name {
            "pkcs8" | "pkcs8-pem" | "pem" => KeyFormat::Pkcs8Pem,
            "pk8" | "pkcs8-der" | "der" => KeyFormat::Pkcs8Der,
            "pkcs1" | "pkcs1-pem" | "rsa" => KeyFormat::Pkcs1Pem,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvertError {
    Open(OpenError),
    /// PKCS#1 holds RSA keys only.
    NotRsa,
    /// The key's structure was not understood.
    Unsupported,
    /// The key's type is known but its values cannot be read: the file is damaged.
    Damaged,
}

/// Wraps a PKCS#1 or SEC1 key into PKCS#8 `PrivateKeyInfo` (RFC 5208 §5); PKCS#8 passes through.
pub fn to_pkcs8_der(plain: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if key::pkcs8(plain).is_some() {
        return Some(Zeroizing::new(plain.to_vec()));
    }
    let mut algorithm = Vec::new();
    if key::pkcs1(plain).is_some() {
        der::write(
            der::OID,
            &der::oid_bytes(oids::RSA_ENCRYPTION)?,
            &mut algorithm,
        );
        der::write(der::NULL, &[], &mut algorithm);
    } else if let Some(facts) = key::sec1(plain) {
        let curve_oid = curve_oid(facts.curve.as_deref()?)?;
        der::write(
            der::OID,
            &der::oid_bytes(oids::EC_PUBLIC_KEY)?,
            &mut algorithm,
        );
        der::write(der::OID, &der::oid_bytes(curve_oid)?, &mut algorithm);
    } else {
        return None;
    }
    let mut body = Zeroizing::new(Vec::with_capacity(plain.len() + 32));
    der::write(der::INTEGER, &[0], &mut body);
    der::write(der::SEQUENCE, &algorithm, &mut body);
    der::write(der::OCTET_STRING, plain, &mut body);
    let mut out = Zeroizing::new(Vec::with_capacity(body.len() + 4));
    der::write(der::SEQUENCE, &body, &mut out);
    Some(out)
}

fn curve_oid(name: &str) -> Option<&'static str> {
    Some(match name {
        "P-256" => "1.2.840.10045.3.1.7",
        "P-384" => "1.3.132.0.34",
        "P-521" => "1.3.132.0.35",
        "secp256k1" => "1.3.132.0.10",
        _ => return None,
    })
}

/// The PKCS#1 `RSAPrivateKey` inside an RSA key.
pub fn to_pkcs1_der(plain: &[u8]) -> Result<Zeroizing<Vec<u8>>, ConvertError> {
    if key::pkcs1(plain).is_some() {
        return Ok(Zeroizing::new(plain.to_vec()));
    }
    if key::sec1(plain).is_some() {
        return Err(ConvertError::NotRsa);
    }
    let facts = key::pkcs8(plain).ok_or(ConvertError::Unsupported)?;
    if facts.algorithm != "RSA" {
        return Err(ConvertError::NotRsa);
    }
    let fields = der::sequence(plain).ok_or(ConvertError::Unsupported)?;
    let inner = fields
        .get(2)
        .filter(|f| f.tag == der::OCTET_STRING)
        .ok_or(ConvertError::Unsupported)?;
    Ok(Zeroizing::new(inner.value.to_vec()))
}

/// PEM with 64-character lines (RFC 7468 §2).
pub fn pem_encode(label: &str, der_bytes: &[u8]) -> Zeroizing<String> {
    let encoded = Zeroizing::new(crate::pki::pem::base64_encode(der_bytes));
    let mut out = Zeroizing::new(format!("-----BEGIN {label}-----\n"));
    for line in encoded.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Reads the first private key in `bytes` (decrypting it with `passphrase` if needed) and
/// writes it in `format`.
pub fn convert(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
    format: KeyFormat,
) -> Result<Zeroizing<Vec<u8>>, ConvertError> {
    let plain = first_private_key(bytes, passphrase).map_err(ConvertError::Open)?;
    // A key whose values cannot be read would be rewritten as an equally broken file that no
    // driver can open: refuse it instead of converting it.
    let facts = crate::pki::key::classify_private_key(&plain);
    if facts
        .as_ref()
        .is_some_and(|f| !crate::pki::intake::key_algorithm_is_known(f))
    {
        return Err(ConvertError::Unsupported);
    }
    let derived = crate::pki::keymatch::from_private_key(&plain).is_some();
    let damaged = facts
        .as_ref()
        .is_some_and(|f| crate::pki::intake::key_structure_damaged(f, derived));
    if damaged {
        return Err(ConvertError::Damaged);
    }
    Ok(match format {
        KeyFormat::Pkcs8Der => to_pkcs8_der(&plain).ok_or(ConvertError::Unsupported)?,
        KeyFormat::Pkcs8Pem => {
            let der_bytes = to_pkcs8_der(&plain).ok_or(ConvertError::Unsupported)?;
            Zeroizing::new(pem_encode("PRIVATE KEY", &der_bytes).as_bytes().to_vec())
        }
        KeyFormat::Pkcs1Pem => {
            let der_bytes = to_pkcs1_der(&plain)?;
            Zeroizing::new(
                pem_encode("RSA PRIVATE KEY", &der_bytes)
                    .as_bytes()
                    .to_vec(),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_encode() {
        assert_eq!(
            der::oid_bytes("1.2.840.113549.1.1.1"),
            Some(vec![0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01])
        );
    }

    #[test]
    fn pem_round_trips_through_the_scanner() {
        let data: Vec<u8> = (0u8..=200).collect();
        let pem = pem_encode("PRIVATE KEY", &data);
        let blocks = crate::pki::pem::scan(&pem);
        assert_eq!(blocks.first().map(|b| b.body.clone()), Some(Ok(data)));
    }
}
