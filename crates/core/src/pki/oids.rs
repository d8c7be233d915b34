//! Names for the object identifiers pg-preflight reports. Kept as a small table rather than a
//! registry crate: only what appears in certificates people connect PostgreSQL with.

/// Signature algorithms (RFC 4055, RFC 5758, RFC 8410).
pub fn signature_algorithm_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa-with-SHA256",
        _ => return None,
    })
}

/// Whether a signature algorithm relies on a broken hash (MD5, SHA-1).
pub fn signature_uses_weak_hash(oid: &str) -> bool {
    matches!(
        oid,
        "1.2.840.113549.1.1.4"
            | "1.2.840.113549.1.1.5"
            | "1.2.840.10045.4.1"
            | "1.2.840.10040.4.3"
            | "1.2.840.113549.1.1.2"
            | "1.2.840.113549.1.1.3"
    )
}

pub const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
pub const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
pub const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
pub const ED25519: &str = "1.3.101.112";
pub const ED448: &str = "1.3.101.113";
pub const X25519: &str = "1.3.101.110";
pub const DSA: &str = "1.2.840.10040.4.1";

/// Named curves (RFC 5480 §2.1.1.1).
pub fn curve_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        "1.3.132.0.10" => "secp256k1",
        "1.2.840.10045.3.1.1" => "P-192",
        "1.3.132.0.33" => "P-224",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        _ => return None,
    })
}

/// The OID of a named curve, the inverse of [`curve_name`].
pub fn curve_oid(name: &str) -> Option<&'static str> {
    [
        "1.2.840.10045.3.1.7",
        "1.3.132.0.34",
        "1.3.132.0.35",
        "1.3.132.0.10",
        "1.2.840.10045.3.1.1",
        "1.3.132.0.33",
        "1.3.36.3.3.2.8.1.1.7",
        "1.3.36.3.3.2.8.1.1.11",
        "1.3.36.3.3.2.8.1.1.13",
    ]
    .into_iter()
    .find(|oid| curve_name(oid) == Some(name))
}

pub fn curve_bits(curve: &str) -> Option<u32> {
    Some(match curve {
        "P-256" | "secp256k1" | "brainpoolP256r1" => 256,
        "P-384" | "brainpoolP384r1" => 384,
        "P-521" => 521,
        "P-192" => 192,
        "P-224" => 224,
        "brainpoolP512r1" => 512,
        _ => return None,
    })
}

/// Extended key usage purposes (RFC 5280 §4.2.1.12).
pub fn eku_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.3.6.1.5.5.7.3.1" => "serverAuth",
        "1.3.6.1.5.5.7.3.2" => "clientAuth",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.5.5.7.3.8" => "timeStamping",
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning",
        "2.5.29.37.0" => "anyExtendedKeyUsage",
        _ => return None,
    })
}
