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

/// Extension OIDs (RFC 5280 §4.2, RFC 6962, Netscape, RFC 3779, RFC 3820, RFC 6960).
pub mod ext {
    pub const SUBJECT_KEY_ID: &str = "2.5.29.14";
    pub const KEY_USAGE: &str = "2.5.29.15";
    pub const SUBJECT_ALT_NAME: &str = "2.5.29.17";
    pub const ISSUER_ALT_NAME: &str = "2.5.29.18";
    pub const BASIC_CONSTRAINTS: &str = "2.5.29.19";
    pub const NAME_CONSTRAINTS: &str = "2.5.29.30";
    pub const CRL_DISTRIBUTION_POINTS: &str = "2.5.29.31";
    pub const CERTIFICATE_POLICIES: &str = "2.5.29.32";
    pub const POLICY_MAPPINGS: &str = "2.5.29.33";
    pub const AUTHORITY_KEY_ID: &str = "2.5.29.35";
    pub const POLICY_CONSTRAINTS: &str = "2.5.29.36";
    pub const EXTENDED_KEY_USAGE: &str = "2.5.29.37";
    pub const INHIBIT_ANY_POLICY: &str = "2.5.29.54";
    pub const AUTHORITY_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";
    pub const SUBJECT_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.11";
    pub const SBGP_IP_ADDR_BLOCK: &str = "1.3.6.1.5.5.7.1.7";
    pub const SBGP_AS_NUMBER: &str = "1.3.6.1.5.5.7.1.8";
    pub const PROXY_CERT_INFO: &str = "1.3.6.1.5.5.7.1.14";
    pub const OCSP_NO_CHECK: &str = "1.3.6.1.5.5.7.48.1.5";
    pub const NS_CERT_TYPE: &str = "2.16.840.1.113730.1.1";
    pub const CT_SCT_LIST: &str = "1.3.6.1.4.1.11129.2.4.2";

    /// A short name for messages.
    pub fn name(oid: &str) -> Option<&'static str> {
        Some(match oid {
            SUBJECT_KEY_ID => "subjectKeyIdentifier",
            KEY_USAGE => "keyUsage",
            SUBJECT_ALT_NAME => "subjectAltName",
            ISSUER_ALT_NAME => "issuerAltName",
            BASIC_CONSTRAINTS => "basicConstraints",
            NAME_CONSTRAINTS => "nameConstraints",
            CRL_DISTRIBUTION_POINTS => "cRLDistributionPoints",
            CERTIFICATE_POLICIES => "certificatePolicies",
            POLICY_MAPPINGS => "policyMappings",
            AUTHORITY_KEY_ID => "authorityKeyIdentifier",
            POLICY_CONSTRAINTS => "policyConstraints",
            EXTENDED_KEY_USAGE => "extKeyUsage",
            INHIBIT_ANY_POLICY => "inhibitAnyPolicy",
            AUTHORITY_INFO_ACCESS => "authorityInfoAccess",
            SUBJECT_INFO_ACCESS => "subjectInfoAccess",
            SBGP_IP_ADDR_BLOCK => "sbgp-ipAddrBlock",
            SBGP_AS_NUMBER => "sbgp-autonomousSysNum",
            PROXY_CERT_INFO => "proxyCertInfo",
            OCSP_NO_CHECK => "ocspNoCheck",
            NS_CERT_TYPE => "nsCertType",
            CT_SCT_LIST => "ct-precert-scts",
            _ => return None,
        })
    }
}

/// Extended key usage OIDs (RFC 5280 §4.2.1.12) and the two legacy "server gated crypto"
/// purposes OpenSSL still accepts for TLS servers.
pub mod eku {
    pub const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
    pub const CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
    pub const NS_SGC: &str = "2.16.840.1.113730.4.1";
    pub const MS_SGC: &str = "1.3.6.1.4.1.311.10.3.3";
}

/// keyUsage bits (RFC 5280 §4.2.1.3), bit n of the BIT STRING as `1 << n`.
pub mod ku {
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    pub const KEY_CERT_SIGN: u16 = 1 << 5;

    pub fn names(flags: u16) -> Vec<String> {
        const NAMES: [&str; 9] = [
            "digitalSignature",
            "nonRepudiation",
            "keyEncipherment",
            "dataEncipherment",
            "keyAgreement",
            "keyCertSign",
            "cRLSign",
            "encipherOnly",
            "decipherOnly",
        ];
        NAMES
            .iter()
            .enumerate()
            .filter(|(bit, _)| flags & (1 << bit) != 0)
            .map(|(_, name)| (*name).to_string())
            .collect()
    }
}
