//! Password material: generated passwords and the verifiers servers store instead of them.
//! Randomness comes from the caller ([`RandomSource`]); the core never reads an RNG itself.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::pki::pem::base64_encode;

/// A cryptographically secure random source supplied by the edge (the OS in the CLI,
/// `crypto.getRandomValues` in the browser).
pub trait RandomSource {
    fn fill(&mut self, buf: &mut [u8]);
}

/// PostgreSQL's default `scram_iterations` (and the only value before 16).
pub const SCRAM_ITERATIONS: u32 = 4096;
/// PostgreSQL's SCRAM_DEFAULT_SALT_LEN.
pub const SCRAM_SALT_LEN: usize = 16;
pub const GENERATED_PASSWORD_LEN: usize = 32;

/// Letters and digits only: a generated password then needs no escaping in a connection
/// string, a URI, an environment variable or a shell.
const PASSWORD_ALPHABET: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// 32 characters drawn uniformly from 62 (about 190 bits): bytes at or above 248 (= 4 × 62) are
/// rejected so that no character is more likely than another.
pub fn generate_password(random: &mut dyn RandomSource) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(GENERATED_PASSWORD_LEN));
    let mut pool = Zeroizing::new([0u8; 64]);
    while out.len() < GENERATED_PASSWORD_LEN {
        random.fill(pool.as_mut_slice());
        for &byte in pool.iter() {
            if out.len() == GENERATED_PASSWORD_LEN {
                break;
            }
            if byte < 248 {
                let index = usize::from(byte % 62);
                if let Some(&c) = PASSWORD_ALPHABET.get(index) {
                    out.push(char::from(c));
                }
            }
        }
    }
    out
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        mac.update(message);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// The SCRAM-SHA-256 verifier PostgreSQL stores in `pg_authid.rolpassword` (RFC 5802 §3,
/// RFC 7677; PostgreSQL's `scram_build_secret`):
/// `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, all base64, where
/// SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, iterations), StoredKey =
/// SHA-256(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key").
/// The password must be one SASLprep leaves unchanged (printable ASCII; the spec checks it).
pub fn scram_sha256_verifier(password: &str, salt: &[u8], iterations: u32) -> String {
    let mut salted = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, salted.as_mut_slice());
    let client_key = Zeroizing::new(hmac_sha256(salted.as_slice(), b"Client Key"));
    let stored_key = Sha256::digest(client_key.as_slice());
    let server_key = hmac_sha256(salted.as_slice(), b"Server Key");
    format!(
        "SCRAM-SHA-256${iterations}:{}${}:{}",
        base64_encode(salt),
        base64_encode(&stored_key),
        base64_encode(&server_key)
    )
}

/// A fresh verifier with a random salt.
pub fn new_scram_verifier(password: &str, random: &mut dyn RandomSource) -> String {
    let mut salt = [0u8; SCRAM_SALT_LEN];
    random.fill(&mut salt);
    scram_sha256_verifier(password, &salt, SCRAM_ITERATIONS)
}

/// The `mysql_native_password` hash, `*` and upper-case hex of SHA1(SHA1(password)) (MySQL
/// "Native Pluggable Authentication"), which `IDENTIFIED WITH mysql_native_password AS` takes
/// so the script carries no plaintext.
pub fn mysql_native_hash(password: &str) -> String {
    let inner = Zeroizing::new(Sha1::digest(password.as_bytes()));
    let outer = Sha1::digest(inner.as_slice());
    let mut out = String::from("*");
    for byte in outer.iter() {
        out.push_str(&format!("{byte:02X}"));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Deterministic bytes for tests (a counter), never for real use.
    pub struct CountingSource(pub u8);

    impl RandomSource for CountingSource {
        fn fill(&mut self, buf: &mut [u8]) {
            for b in buf {
                *b = self.0;
                self.0 = self.0.wrapping_add(37);
            }
        }
    }

    #[test]
    fn verifier_matches_rfc7677_test_vector_keys() {
        // RFC 7677 §3: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096.
        let salt = [
            0x5b, 0x6d, 0x99, 0x68, 0x9d, 0x12, 0x35, 0x8e, 0xec, 0xa0, 0x4b, 0x14, 0x12, 0x36,
            0xfa, 0x81,
        ];
        let verifier = scram_sha256_verifier("pencil", &salt, 4096);
        assert!(verifier.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"));
        // Expected value computed independently with Python's hashlib/hmac.
        assert_eq!(
            verifier,
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="
        );
    }

    #[test]
    fn generated_passwords_are_long_alphanumeric_and_differ() {
        let a = generate_password(&mut CountingSource(1));
        let b = generate_password(&mut CountingSource(2));
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(*a, *b);
    }

    #[test]
    fn mysql_native_hash_of_a_known_password() {
        // SELECT PASSWORD('password') on MySQL 5.7 / MariaDB.
        assert_eq!(
            mysql_native_hash("password"),
            "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"
        );
    }
}
