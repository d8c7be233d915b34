//! Verifying one certificate's signature with its issuer's public key (RFC 5280 §6.1.3 (a)(1)),
//! with the in-house arithmetic of [`crate::pki::crypto`] and RustCrypto's Ed25519:
//!
//! - RSA PKCS#1 v1.5 with SHA-1/224/256/384/512 (RFC 8017 §8.2, algorithm identifiers RFC 4055),
//! - RSASSA-PSS with its parameters read from the AlgorithmIdentifier (RFC 4055 §3.1): hash,
//!   MGF1 hash (must equal the hash) and salt length, trailer field 1,
//! - ECDSA on P-256, P-384 and P-521 with SHA-1/224/256/384/512, DER signatures (RFC 5758),
//! - Ed25519 (RFC 8410).
//!
//! Anything else (DSA, Ed448, MD5, brainpool curves, …) is [`SignatureError::UnsupportedAlgorithm`]
//! or [`SignatureError::UnsupportedKey`], never a silent pass.

use super::model::spki_parts;
use crate::pki::crypto::{self, ec, rsa};
use crate::pki::der;
use crate::pki::oids;

/// Why a signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature was checked and is wrong for this key and data.
    Invalid,
    /// The signature algorithm is not one pg-preflight verifies.
    UnsupportedAlgorithm { oid: String, name: String },
    /// The issuer's key cannot be used (unknown type, unsupported curve, size out of range).
    UnsupportedKey { algorithm: String, reason: String },
    /// The signature algorithm needs another kind of key than the issuer has.
    KeyMismatch { signature: String, key: String },
    /// The AlgorithmIdentifier's parameters are malformed or not allowed for the algorithm.
    BadParameters { name: String, reason: String },
}

pub use crate::pki::crypto::Hash;

/// A signature scheme with everything needed to check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    RsaPkcs1(Hash),
    RsaPss { hash: Hash, salt_len: usize },
    Ecdsa(Hash),
    Ed25519,
}

impl Scheme {
    pub fn hash(self) -> Option<Hash> {
        match self {
            Scheme::RsaPkcs1(h) | Scheme::Ecdsa(h) | Scheme::RsaPss { hash: h, .. } => Some(h),
            Scheme::Ed25519 => None,
        }
    }

    pub fn name(self) -> String {
        match self {
            Scheme::RsaPkcs1(h) => format!("RSA PKCS#1 v1.5 with {}", h.name()),
            Scheme::RsaPss { hash, salt_len } => {
                format!("RSASSA-PSS with {} (salt {salt_len})", hash.name())
            }
            Scheme::Ecdsa(h) => format!("ECDSA with {}", h.name()),
            Scheme::Ed25519 => "Ed25519".to_string(),
        }
    }
}

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const MGF1: &str = "1.2.840.113549.1.1.8";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const ED25519: &str = "1.3.101.112";

/// The dotted OID and the parameters TLV of an AlgorithmIdentifier.
fn algorithm_parts(algorithm: &[u8]) -> Option<(String, Option<der::Tlv<'_>>)> {
    let fields = der::sequence(algorithm)?;
    let oid = fields.first().filter(|f| f.tag == der::OID)?;
    if fields.len() > 2 {
        return None;
    }
    Some((der::oid_text(oid.value)?, fields.get(1).copied()))
}

/// The dotted OID of an AlgorithmIdentifier (empty when it does not parse).
pub fn algorithm_oid(algorithm: &[u8]) -> String {
    algorithm_parts(algorithm)
        .map(|(oid, _)| oid)
        .unwrap_or_default()
}

/// A readable name for an AlgorithmIdentifier (for the signature benchmark's report).
#[cfg(feature = "internals")]
pub fn algorithm_name(algorithm: &[u8]) -> String {
    match scheme(algorithm) {
        Ok(s) => s.name(),
        Err(_) => {
            let oid = algorithm_oid(algorithm);
            oids::signature_algorithm_name(&oid).map_or(oid, str::to_string)
        }
    }
}

/// The hash a signature algorithm relies on when it is broken (MD5, SHA-1, MD2, MD4).
pub fn weak_hash(algorithm: &[u8]) -> Option<&'static str> {
    if let Ok(s) = scheme(algorithm) {
        return (s.hash() == Some(Hash::Sha1)).then_some("SHA-1");
    }
    match algorithm_oid(algorithm).as_str() {
        "1.2.840.113549.1.1.4" => Some("MD5"),
        "1.2.840.113549.1.1.2" => Some("MD2"),
        "1.2.840.113549.1.1.3" => Some("MD4"),
        "1.2.840.10040.4.3" | "1.3.14.3.2.29" => Some("SHA-1"),
        _ => None,
    }
}

fn null_or_absent(params: Option<der::Tlv<'_>>) -> bool {
    params.is_none_or(|p| p.tag == der::NULL && p.value.is_empty())
}

/// Reads a signature AlgorithmIdentifier into a [`Scheme`].
pub fn scheme(algorithm: &[u8]) -> Result<Scheme, SignatureError> {
    let Some((oid, params)) = algorithm_parts(algorithm) else {
        return Err(SignatureError::BadParameters {
            name: "signature algorithm".into(),
            reason: "the AlgorithmIdentifier does not parse".into(),
        });
    };
    let unsupported = || SignatureError::UnsupportedAlgorithm {
        name: oids::signature_algorithm_name(&oid).map_or_else(|| oid.clone(), str::to_string),
        oid: oid.clone(),
    };
    let rsa = |hash| {
        if null_or_absent(params) {
            Ok(Scheme::RsaPkcs1(hash))
        } else {
            Err(SignatureError::BadParameters {
                name: oids::signature_algorithm_name(&oid)
                    .unwrap_or("RSA")
                    .to_string(),
                reason: "parameters must be NULL (RFC 4055 §5)".into(),
            })
        }
    };
    let ecdsa = |hash| {
        if null_or_absent(params) {
            Ok(Scheme::Ecdsa(hash))
        } else {
            Err(SignatureError::BadParameters {
                name: oids::signature_algorithm_name(&oid)
                    .unwrap_or("ECDSA")
                    .to_string(),
                reason: "parameters must be absent (RFC 5758 §3.2)".into(),
            })
        }
    };
    match oid.as_str() {
        "1.2.840.113549.1.1.5" => rsa(Hash::Sha1),
        "1.2.840.113549.1.1.14" => rsa(Hash::Sha224),
        "1.2.840.113549.1.1.11" => rsa(Hash::Sha256),
        "1.2.840.113549.1.1.12" => rsa(Hash::Sha384),
        "1.2.840.113549.1.1.13" => rsa(Hash::Sha512),
        "1.2.840.10045.4.1" => ecdsa(Hash::Sha1),
        "1.2.840.10045.4.3.1" => ecdsa(Hash::Sha224),
        "1.2.840.10045.4.3.2" => ecdsa(Hash::Sha256),
        "1.2.840.10045.4.3.3" => ecdsa(Hash::Sha384),
        "1.2.840.10045.4.3.4" => ecdsa(Hash::Sha512),
        ED25519 => {
            if params.is_none() {
                Ok(Scheme::Ed25519)
            } else {
                Err(SignatureError::BadParameters {
                    name: "Ed25519".into(),
                    reason: "parameters must be absent (RFC 8410 §3)".into(),
                })
            }
        }
        RSASSA_PSS => pss_parameters(params),
        _ => Err(unsupported()),
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1).
fn pss_parameters(params: Option<der::Tlv<'_>>) -> Result<Scheme, SignatureError> {
    let bad = |reason: &str| SignatureError::BadParameters {
        name: "RSASSA-PSS".into(),
        reason: reason.into(),
    };
    let Some(params) = params.filter(|p| p.tag == der::SEQUENCE) else {
        return Err(bad("RSASSA-PSS-params are missing"));
    };
    let fields =
        der::children(params.value).ok_or_else(|| bad("RSASSA-PSS-params do not parse"))?;
    let mut hash = Hash::Sha1;
    let mut mgf_hash = Hash::Sha1;
    let mut salt_len = 20usize;
    let hash_of = |algorithm: &[u8]| -> Result<Hash, SignatureError> {
        let (oid, p) = algorithm_parts(algorithm)
            .ok_or_else(|| bad("a hash AlgorithmIdentifier does not parse"))?;
        if !null_or_absent(p) {
            return Err(bad("hash parameters must be NULL or absent"));
        }
        Hash::from_oid(&oid).ok_or_else(|| SignatureError::UnsupportedAlgorithm {
            name: format!("RSASSA-PSS with hash {oid}"),
            oid: RSASSA_PSS.into(),
        })
    };
    for field in fields {
        match field.tag {
            0xa0 => hash = hash_of(field.value)?,
            0xa1 => {
                let (oid, p) = algorithm_parts(field.value)
                    .ok_or_else(|| bad("maskGenAlgorithm does not parse"))?;
                if oid != MGF1 {
                    return Err(SignatureError::UnsupportedAlgorithm {
                        name: format!("RSASSA-PSS with mask generation {oid}"),
                        oid: RSASSA_PSS.into(),
                    });
                }
                let p = p
                    .filter(|p| p.tag == der::SEQUENCE)
                    .ok_or_else(|| bad("MGF1 needs a hash"))?;
                let mut whole = Vec::new();
                der::write(der::SEQUENCE, p.value, &mut whole);
                mgf_hash = hash_of(&whole)?;
            }
            0xa2 => {
                let (value, _) = der::expect(field.value, der::INTEGER)
                    .ok_or_else(|| bad("saltLength is not an INTEGER"))?;
                salt_len = der::small_uint(value)
                    .and_then(|v| usize::try_from(v).ok())
                    .filter(|&v| v <= 1024)
                    .ok_or_else(|| bad("saltLength is out of range"))?;
            }
            0xa3 => {
                let (value, _) = der::expect(field.value, der::INTEGER)
                    .ok_or_else(|| bad("trailerField is not an INTEGER"))?;
                if der::small_uint(value) != Some(1) {
                    return Err(bad("trailerField must be 1"));
                }
            }
            _ => return Err(bad("unexpected field in RSASSA-PSS-params")),
        }
    }
    if mgf_hash != hash {
        return Err(SignatureError::UnsupportedAlgorithm {
            name: format!(
                "RSASSA-PSS with {} and MGF1 with {}",
                hash.name(),
                mgf_hash.name()
            ),
            oid: RSASSA_PSS.into(),
        });
    }
    Ok(Scheme::RsaPss { hash, salt_len })
}

/// The issuer's key, as far as the schemes need it.
enum Key<'a> {
    Rsa(&'a [u8]),
    Ec { curve: String, point: &'a [u8] },
    Ed25519(&'a [u8]),
    Other(String),
}

fn key_of(spki: &[u8]) -> Result<Key<'_>, SignatureError> {
    let parts = spki_parts(spki).ok_or_else(|| SignatureError::UnsupportedKey {
        algorithm: "unknown".into(),
        reason: "the SubjectPublicKeyInfo does not parse".into(),
    })?;
    let algorithm = der::oid_text(parts.algorithm).unwrap_or_default();
    Ok(match algorithm.as_str() {
        RSA_ENCRYPTION | RSASSA_PSS => Key::Rsa(parts.key),
        EC_PUBLIC_KEY => {
            let curve = parts
                .parameters
                .and_then(|p| der::expect(p, der::OID))
                .and_then(|(oid, _)| der::oid_text(oid))
                .ok_or_else(|| SignatureError::UnsupportedKey {
                    algorithm: "EC".into(),
                    reason: "the key does not name its curve (explicit curve parameters are not supported)".into(),
                })?;
            Key::Ec {
                curve,
                point: parts.key,
            }
        }
        ED25519 => Key::Ed25519(parts.key),
        other => Key::Other(other.to_string()),
    })
}

fn key_name(key: &Key<'_>) -> String {
    match key {
        Key::Rsa(_) => "RSA".into(),
        Key::Ec { curve, .. } => {
            oids::curve_name(curve).map_or_else(|| format!("EC {curve}"), |c| format!("EC {c}"))
        }
        Key::Ed25519(_) => "Ed25519".into(),
        Key::Other(oid) => match oid.as_str() {
            oids::ED448 => "Ed448".into(),
            oids::DSA => "DSA".into(),
            other => other.to_string(),
        },
    }
}

/// Checks `signature` over `signed` with the key in `issuer_spki`, using the scheme named by the
/// DER AlgorithmIdentifier `algorithm`.
pub fn verify(
    algorithm: &[u8],
    signed: &[u8],
    signature: &[u8],
    issuer_spki: &[u8],
) -> Result<(), SignatureError> {
    let scheme = scheme(algorithm)?;
    let key = key_of(issuer_spki)?;
    let mismatch = |key: &Key<'_>| SignatureError::KeyMismatch {
        signature: scheme.name(),
        key: key_name(key),
    };
    match (scheme, &key) {
        (Scheme::RsaPkcs1(hash), Key::Rsa(bits)) => {
            let public = rsa_key(bits)?;
            let digest = hash.digest(signed);
            valid(public.verify_pkcs1v15(hash, &digest, signature))
        }
        (Scheme::RsaPss { hash, salt_len }, Key::Rsa(bits)) => {
            let public = rsa_key(bits)?;
            let digest = hash.digest(signed);
            valid(public.verify_pss(hash, &digest, signature, salt_len))
        }
        (Scheme::Ecdsa(hash), Key::Ec { curve, point }) => {
            let Some(curve) = ec::curve(curve) else {
                return Err(SignatureError::UnsupportedKey {
                    algorithm: key_name(&key),
                    reason: format!(
                        "curve {} is not supported (P-256, P-384 and P-521 are)",
                        oids::curve_name(curve).unwrap_or(curve)
                    ),
                });
            };
            let digest = hash.digest(signed);
            // A bad key is reported as such even when the signature is malformed too.
            let verdict = match crypto::ecdsa_signature_from_der(signature) {
                Some((r, s)) => curve.ecdsa_verify(point, &digest, r, s),
                None => curve.normalize_point(point).map(|_| false),
            };
            verdict.map_or_else(|| Err(bad_point(curve.name())), valid)
        }
        (Scheme::Ed25519, Key::Ed25519(bits)) => {
            let bytes: [u8; 32] =
                (*bits)
                    .try_into()
                    .map_err(|_| SignatureError::UnsupportedKey {
                        algorithm: "Ed25519".into(),
                        reason: format!("the key is {} bytes, not 32", bits.len()),
                    })?;
            let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|_| {
                SignatureError::UnsupportedKey {
                    algorithm: "Ed25519".into(),
                    reason: "the key is not a valid curve point".into(),
                }
            })?;
            let sig = ed25519_dalek::Signature::from_slice(signature)
                .map_err(|_| SignatureError::Invalid)?;
            use ed25519_dalek::Verifier;
            key.verify(signed, &sig)
                .map_err(|_| SignatureError::Invalid)
        }
        (_, Key::Other(_)) => Err(SignatureError::UnsupportedKey {
            algorithm: key_name(&key),
            reason: "keys of this type are not supported for signature verification".into(),
        }),
        _ => Err(mismatch(&key)),
    }
}

/// Whether the signature algorithm is one for the key's type (OpenSSL's `check_sig_alg_match`).
/// Unknown algorithms are not ruled out here; verifying them fails later.
pub fn fits_key(algorithm: &[u8], spki: &[u8]) -> bool {
    let (Ok(scheme), Ok(key)) = (scheme(algorithm), key_of(spki)) else {
        return true;
    };
    matches!(
        (scheme, key),
        (Scheme::RsaPkcs1(_) | Scheme::RsaPss { .. }, Key::Rsa(_))
            | (Scheme::Ecdsa(_), Key::Ec { .. })
            | (Scheme::Ed25519, Key::Ed25519(_))
    )
}

fn bad_point(curve: &str) -> SignatureError {
    SignatureError::UnsupportedKey {
        algorithm: format!("EC {curve}"),
        reason: "the public key is not a valid point on the curve".into(),
    }
}

fn valid(ok: bool) -> Result<(), SignatureError> {
    if ok {
        Ok(())
    } else {
        Err(SignatureError::Invalid)
    }
}

/// The RSAPublicKey (RFC 8017 §A.1.1) `SEQUENCE { modulus, publicExponent }` as a verifier.
fn rsa_key(bits: &[u8]) -> Result<rsa::PublicKey, SignatureError> {
    let unsupported = |reason: String| SignatureError::UnsupportedKey {
        algorithm: "RSA".into(),
        reason,
    };
    let fields = der::sequence(bits)
        .filter(|f| f.len() == 2 && f.iter().all(|i| i.tag == der::INTEGER))
        .ok_or_else(|| unsupported("the RSAPublicKey does not parse".into()))?;
    let [n, e] = fields.as_slice() else {
        return Err(unsupported("the RSAPublicKey does not parse".into()));
    };
    rsa::PublicKey::new(n.value, e.value).map_err(|error| {
        unsupported(match error {
            rsa::KeyError::ModulusSize(n) => format!(
                "a {n}-bit modulus is outside the {}–{} bits supported",
                rsa::MIN_BITS,
                rsa::MAX_BITS
            ),
            rsa::KeyError::BadModulus => "the modulus is not an odd number".into(),
            rsa::KeyError::BadExponent => {
                "the public exponent is not an odd number from 3 to 2^33 − 1".into()
            }
        })
    })
}

/// The modulus size of an RSAPublicKey (RFC 8017 §A.1.1).
pub fn rsa_modulus_bits(bits: &[u8]) -> Option<u32> {
    let fields = der::sequence(bits)?;
    let modulus = fields.first().filter(|f| f.tag == der::INTEGER)?;
    Some(crate::pki::der::bit_length(modulus.value))
}

/// The key's strength in bits of security, as OpenSSL rates it for its security levels
/// (`EVP_PKEY_get_security_bits`): RSA by modulus size, EC by half the curve size.
pub fn key_security_bits(spki: &[u8]) -> Option<u32> {
    let parts = spki_parts(spki)?;
    let algorithm = der::oid_text(parts.algorithm)?;
    match algorithm.as_str() {
        RSA_ENCRYPTION | RSASSA_PSS | oids::DSA => {
            let n = if algorithm == oids::DSA {
                // DSA: the size of p in the parameters.
                let params = der::sequence(parts.parameters?)?;
                crate::pki::der::bit_length(params.first()?.value)
            } else {
                rsa_modulus_bits(parts.key)?
            };
            Some(match n {
                15360.. => 256,
                7680.. => 192,
                3072.. => 128,
                2048.. => 112,
                1024.. => 80,
                _ => n / 16,
            })
        }
        EC_PUBLIC_KEY => {
            let curve = der::oid_text(der::expect(parts.parameters?, der::OID)?.0)?;
            oids::curve_name(&curve)
                .and_then(oids::curve_bits)
                .map(|b| b / 2)
        }
        ED25519 => Some(128),
        oids::ED448 => Some(224),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alg(oid: &[u8], params: &[u8]) -> Vec<u8> {
        let mut inner = vec![der::OID, oid.len() as u8];
        inner.extend_from_slice(oid);
        inner.extend_from_slice(params);
        let mut out = vec![der::SEQUENCE, inner.len() as u8];
        out.extend(inner);
        out
    }

    const SHA256_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    const PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];

    #[test]
    fn schemes_from_algorithm_identifiers() {
        assert_eq!(
            scheme(&alg(SHA256_RSA, &[0x05, 0x00])),
            Ok(Scheme::RsaPkcs1(Hash::Sha256))
        );
        assert_eq!(
            scheme(&alg(SHA256_RSA, &[])),
            Ok(Scheme::RsaPkcs1(Hash::Sha256))
        );
        assert!(matches!(
            scheme(&alg(SHA256_RSA, &[0x02, 0x01, 0x00])),
            Err(SignatureError::BadParameters { .. })
        ));
        // Empty RSASSA-PSS-params: SHA-1, MGF1-SHA-1, salt 20.
        assert_eq!(
            scheme(&alg(PSS, &[0x30, 0x00])),
            Ok(Scheme::RsaPss {
                hash: Hash::Sha1,
                salt_len: 20
            })
        );
        // DSA with SHA-256 is not supported.
        assert!(matches!(
            scheme(&alg(
                &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x02],
                &[]
            )),
            Err(SignatureError::UnsupportedAlgorithm { .. })
        ));
        assert_eq!(weak_hash(&alg(SHA256_RSA, &[0x05, 0x00])), None);
    }

    #[test]
    fn garbage_keys_are_reported_not_trusted() {
        let algorithm = alg(SHA256_RSA, &[0x05, 0x00]);
        assert!(matches!(
            verify(&algorithm, b"data", b"sig", b"not a key"),
            Err(SignatureError::UnsupportedKey { .. })
        ));
    }
}
