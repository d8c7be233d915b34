//! Certificates and keys: intake of every format people paste, and the facts shown for them.
//! Pure: the current time is always a parameter.

pub mod cert;
pub mod chain;
pub mod convert;
pub mod crypto;
pub mod decrypt;
pub mod der;
pub mod intake;
pub mod key;
pub mod keymatch;
pub mod known_cas;
pub mod name;
pub mod oids;
pub mod pem;
pub mod pkcs12;
pub mod review;
pub mod shared_identity;
pub mod system_roots;
pub mod text;
pub mod time;
pub mod x509;

/// Every rule of certificate and key intake and review, in a stable order (each declared
/// beside the check that raises it).
pub static RULES: &[&crate::registry::Rule] = &[
    &review::RULE_SELF_SIGNATURE_BAD,
    &intake::RULE_KEY_UNKNOWN_ALGORITHM,
    &intake::RULE_BROKEN_PEM,
    &intake::RULE_UNRECOGNISED,
    &intake::RULE_BAD_BLOCK_CONTENT,
    &intake::RULE_UNKNOWN_BLOCK,
    &intake::RULE_KEY_IN_CERT_FIELD,
    &intake::RULE_CERT_IN_KEY_FIELD,
    &intake::RULE_CSR,
    &intake::RULE_PUBLIC_KEY,
    &intake::RULE_OPENSSH_KEY,
    &intake::RULE_PKCS12,
    &intake::RULE_CRL,
    &intake::RULE_SEVERAL_KEYS,
    &intake::RULE_KEY_ENCRYPTED_NO_PASSPHRASE,
    &intake::RULE_KEY_WRONG_PASSPHRASE,
    &intake::RULE_KEY_UNSUPPORTED_ENCRYPTION,
    &review::RULE_KEY_MISMATCH,
    &review::RULE_CERT_EXPIRED,
    &review::RULE_CERT_NOT_YET_VALID,
    &review::RULE_CERT_EXPIRES_SOON,
    &review::RULE_CERT_EXPIRES_QUARTER,
    &review::RULE_CERT_WEAK_KEY,
    &review::RULE_CERT_WEAK_SIGNATURE,
    &review::RULE_CERT_V1,
    &review::RULE_CLIENT_EKU,
    &review::RULE_CLIENT_KEY_USAGE,
    &review::RULE_SERVER_EKU,
    &review::RULE_CN_NOT_USER,
    &review::RULE_KEY_FILE_MODE,
];
