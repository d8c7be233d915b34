//! Does a private key belong to a certificate? Compare public keys, never file names.
//!
//! The public half is read straight from the private key's structure where it is stored there
//! (RSA `n`/`e` in PKCS#1, the optional `publicKey` of SEC1 and PKCS#8 v2) and derived from the
//! private scalar or seed otherwise (EC, Ed25519). The certificate's key comes from its
//! `SubjectPublicKeyInfo` ([`from_spki`] on the chain model's); EC points are normalised to the
//! uncompressed form first.

use super::der::{self, Tlv};
use super::oids;
use zeroize::Zeroizing;

/// A public key in a canonical form, comparable across containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKeyMaterial {
    /// Modulus and exponent, big-endian, without leading zeros.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// An uncompressed SEC1 point on the named curve.
    Ec {
        curve: String,
        point: Vec<u8>,
    },
    Ed25519(Vec<u8>),
    /// Other algorithms (Ed448, DSA, …): the raw subjectPublicKey bits and the OID.
    Raw {
        algorithm: String,
        bits: Vec<u8>,
    },
}

impl PublicKeyMaterial {
    /// The DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7) of this key, as `openssl pkey -pubout
    /// -outform DER` writes it: RSA with `rsaEncryption` and NULL parameters (RFC 3279 §2.3.1),
    /// EC with the named curve and the uncompressed point (RFC 5480 §2), Ed25519/Ed448/X25519/X448
    /// with no parameters (RFC 8410 §4). `None` for algorithms whose parameters are not kept
    /// (DSA, explicit curves). An RSA-PSS key is written as `rsaEncryption`: its restrictions are
    /// not part of the comparable material.
    pub fn spki_der(&self) -> Option<Vec<u8>> {
        let mut algorithm = Vec::new();
        let mut key_bits = vec![0u8];
        match self {
            PublicKeyMaterial::Rsa { n, e } => {
                der::write(
                    der::OID,
                    &der::oid_bytes(oids::RSA_ENCRYPTION)?,
                    &mut algorithm,
                );
                der::write(der::NULL, &[], &mut algorithm);
                let mut numbers = Vec::new();
                der::write(der::INTEGER, &der::unsigned_integer(n), &mut numbers);
                der::write(der::INTEGER, &der::unsigned_integer(e), &mut numbers);
                der::write(der::SEQUENCE, &numbers, &mut key_bits);
            }
            PublicKeyMaterial::Ec { curve, point } => {
                der::write(
                    der::OID,
                    &der::oid_bytes(oids::EC_PUBLIC_KEY)?,
                    &mut algorithm,
                );
                der::write(
                    der::OID,
                    &der::oid_bytes(oids::curve_oid(curve)?)?,
                    &mut algorithm,
                );
                key_bits.extend_from_slice(point);
            }
            PublicKeyMaterial::Ed25519(key) => {
                der::write(der::OID, &der::oid_bytes(oids::ED25519)?, &mut algorithm);
                key_bits.extend_from_slice(key);
            }
            PublicKeyMaterial::Raw {
                algorithm: oid,
                bits,
            } => {
                let without_parameters = [oids::ED448, oids::X25519, "1.3.101.111"];
                if !without_parameters.contains(&oid.as_str()) {
                    return None;
                }
                der::write(der::OID, &der::oid_bytes(oid)?, &mut algorithm);
                key_bits.extend_from_slice(bits);
            }
        }
        let mut body = Vec::new();
        der::write(der::SEQUENCE, &algorithm, &mut body);
        der::write(der::BIT_STRING, &key_bits, &mut body);
        let mut spki = Vec::new();
        der::write(der::SEQUENCE, &body, &mut spki);
        Some(spki)
    }

    /// SHA-256 of [`Self::spki_der`], colon-separated upper-case hex like certificate
    /// fingerprints: `openssl pkey -pubout -outform DER | sha256sum` gives the same digits.
    pub fn spki_sha256(&self) -> Option<String> {
        use sha2::{Digest, Sha256};
        self.spki_der()
            .map(|spki| super::text::hex_colon(&Sha256::digest(spki)))
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().copied().skip_while(|&b| b == 0).collect()
}

/// RSA public key from PKCS#1 `RSAPrivateKey` fields n (1) and e (2).
fn rsa_from_pkcs1(der_bytes: &[u8]) -> Option<PublicKeyMaterial> {
    let fields = der::sequence(der_bytes)?;
    let n = fields.get(1).filter(|f| f.tag == der::INTEGER)?;
    let e = fields.get(2).filter(|f| f.tag == der::INTEGER)?;
    Some(PublicKeyMaterial::Rsa {
        n: strip_leading_zeros(n.value),
        e: strip_leading_zeros(e.value),
    })
}

/// The uncompressed point for `curve`, from a stored SEC1 point (any form) or the scalar.
fn ec_point(curve: &str, scalar: &[u8], stored: Option<&[u8]>) -> Option<Vec<u8>> {
    let Some(arithmetic) = super::crypto::ec::curve(curve) else {
        return stored.map(<[u8]>::to_vec);
    };
    let from_scalar = || arithmetic.public_from_private(scalar);
    stored
        .and_then(|bytes| arithmetic.normalize_point(bytes))
        .or_else(from_scalar)
}

/// A BIT STRING's content without the unused-bits octet.
fn bit_string_bytes<'a>(tlv: &Tlv<'a>) -> Option<&'a [u8]> {
    (tlv.tag == der::BIT_STRING)
        .then(|| tlv.value.split_first())
        .flatten()
        .filter(|(unused, _)| **unused == 0)
        .map(|(_, rest)| rest)
}

/// SEC1 `ECPrivateKey` (RFC 5915): the curve may come from the enclosing PKCS#8 instead.
fn ec_from_sec1(der_bytes: &[u8], outer_curve: Option<&str>) -> Option<PublicKeyMaterial> {
    let fields = der::sequence(der_bytes)?;
    let scalar = fields.get(1).filter(|f| f.tag == der::OCTET_STRING)?.value;
    let own_curve = fields
        .iter()
        .find(|f| f.tag == 0xa0)
        .and_then(|p| der::read(p.value))
        .and_then(|(tlv, _)| super::key::ec_curve(&tlv));
    let curve = own_curve.or_else(|| outer_curve.map(str::to_string))?;
    let stored = fields
        .iter()
        .find(|f| f.tag == 0xa1)
        .and_then(|f| der::read(f.value))
        .and_then(|(tlv, _)| bit_string_bytes(&tlv));
    let point = ec_point(&curve, scalar, stored)?;
    Some(PublicKeyMaterial::Ec { curve, point })
}

/// PKCS#8 `PrivateKeyInfo`: dispatch on the algorithm.
fn from_pkcs8(der_bytes: &[u8]) -> Option<PublicKeyMaterial> {
    let fields = der::sequence(der_bytes)?;
    let algorithm = fields.get(1).filter(|f| f.tag == der::SEQUENCE)?;
    let parts = der::children(algorithm.value)?;
    let oid = der::oid_text(parts.first().filter(|p| p.tag == der::OID)?.value)?;
    let private_key = fields.get(2).filter(|f| f.tag == der::OCTET_STRING)?.value;
    match oid.as_str() {
        oids::RSA_ENCRYPTION | oids::RSASSA_PSS => rsa_from_pkcs1(private_key),
        oids::EC_PUBLIC_KEY => {
            let curve = parts.get(1).and_then(super::key::ec_curve);
            ec_from_sec1(private_key, curve.as_deref())
        }
        oids::ED25519 => {
            let (seed, _) = der::expect(private_key, der::OCTET_STRING)?;
            let seed: [u8; 32] = seed.try_into().ok()?;
            let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
            Some(PublicKeyMaterial::Ed25519(
                signing.verifying_key().to_bytes().to_vec(),
            ))
        }
        other => {
            // OneAsymmetricKey v2 may carry the public key ([1] IMPLICIT BIT STRING).
            let stored = fields.iter().find(|f| f.tag == 0x81)?;
            let bits = stored.value.split_first().map(|(_, rest)| rest.to_vec())?;
            Some(PublicKeyMaterial::Raw {
                algorithm: other.to_string(),
                bits,
            })
        }
    }
}

/// The public key of an unencrypted private key in PKCS#8, PKCS#1 or SEC1 form.
pub fn from_private_key(der_bytes: &Zeroizing<Vec<u8>>) -> Option<PublicKeyMaterial> {
    from_pkcs8(der_bytes)
        .or_else(|| rsa_from_pkcs1(der_bytes))
        .or_else(|| ec_from_sec1(der_bytes, None))
}

/// A bare public key: `SubjectPublicKeyInfo`, or PKCS#1 `RSAPublicKey` (`RSA PUBLIC KEY`).
pub fn from_public_key(der_bytes: &[u8]) -> Option<PublicKeyMaterial> {
    from_spki(der_bytes).or_else(|| {
        let numbers = der::sequence(der_bytes)?;
        let n = numbers.first().filter(|f| f.tag == der::INTEGER)?;
        let e = numbers.get(1).filter(|f| f.tag == der::INTEGER)?;
        (numbers.len() == 2).then(|| PublicKeyMaterial::Rsa {
            n: strip_leading_zeros(n.value),
            e: strip_leading_zeros(e.value),
        })
    })
}

/// The public key in a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7), as in a certificate or
/// a PEM `PUBLIC KEY` block.
pub fn from_spki(spki_der: &[u8]) -> Option<PublicKeyMaterial> {
    let fields = der::sequence(spki_der)?;
    let algorithm = der::children(fields.first().filter(|f| f.tag == der::SEQUENCE)?.value)?;
    let oid = der::oid_text(algorithm.first().filter(|p| p.tag == der::OID)?.value)?;
    let bits = bit_string_bytes(fields.get(1)?)?;
    match oid.as_str() {
        oids::RSA_ENCRYPTION | oids::RSASSA_PSS => {
            let numbers = der::sequence(bits)?;
            let n = numbers.first().filter(|f| f.tag == der::INTEGER)?;
            let e = numbers.get(1).filter(|f| f.tag == der::INTEGER)?;
            Some(PublicKeyMaterial::Rsa {
                n: strip_leading_zeros(n.value),
                e: strip_leading_zeros(e.value),
            })
        }
        oids::EC_PUBLIC_KEY => {
            let curve = super::key::ec_curve(algorithm.get(1)?)?;
            let point = ec_point(&curve, &[], Some(bits))?;
            Some(PublicKeyMaterial::Ec { curve, point })
        }
        oids::ED25519 => Some(PublicKeyMaterial::Ed25519(bits.to_vec())),
        other => Some(PublicKeyMaterial::Raw {
            algorithm: other.to_string(),
            bits: bits.to_vec(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::intake::{intake_with_passphrase, Field};
    use crate::pki::x509::Certificate;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki/");

    fn read(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}{name}")).unwrap_or_default()
    }

    fn key_of(name: &str, field: Field) -> Option<PublicKeyMaterial> {
        let bytes = read(name);
        intake_with_passphrase(&bytes, field, None)
            .items
            .into_iter()
            .find_map(|item| item.public_key)
    }

    fn cert_spki(name: &str) -> Vec<u8> {
        let bytes = read(name);
        let intake = intake_with_passphrase(&bytes, Field::ClientCert, None);
        let der = intake
            .items
            .first()
            .map(|item| item.der.clone())
            .unwrap_or_default();
        Certificate::read(&der)
            .map(|cert| cert.spki.to_vec())
            .unwrap_or_default()
    }

    /// The SPKI written from a private key is byte for byte the certificate's.
    #[test]
    fn spki_of_a_private_key_is_the_certificates() {
        for (key, cert) in [
            ("client.pkcs8.key", "client.crt"),
            ("client.pkcs1.key", "client.crt"),
            ("client-ec.sec1.key", "client-ec.crt"),
        ] {
            let spki = key_of(key, Field::ClientKey).and_then(|k| k.spki_der());
            assert_eq!(spki, Some(cert_spki(cert)), "{key}");
        }
    }

    #[test]
    fn spki_round_trips_and_hashes() {
        let ed = key_of("client-ed25519.key", Field::ClientKey);
        let spki = ed.as_ref().and_then(PublicKeyMaterial::spki_der);
        assert_eq!(spki.as_deref().map(<[u8]>::len), Some(44));
        assert_eq!(spki.as_deref().and_then(from_spki), ed);
        let hash = ed.as_ref().and_then(PublicKeyMaterial::spki_sha256);
        assert_eq!(hash.map(|h| h.len()), Some(32 * 3 - 1));
        let dsa = PublicKeyMaterial::Raw {
            algorithm: oids::DSA.into(),
            bits: vec![1, 2],
        };
        assert_eq!(dsa.spki_der(), None);
    }
}
