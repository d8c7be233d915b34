//! The in-house signature arithmetic (crates/crypto) against RustCrypto's, on fuzzed inputs.
//!
//! The first byte picks P-256 or P-384 (differential) or RSA (no panic, no hang). Properties:
//! - a scalar is accepted exactly when RustCrypto accepts it, and `d·G` is the same point;
//! - a SEC1 point (tag 02, 03 or 04) is valid exactly when RustCrypto says so, and normalises
//!   to the same uncompressed encoding;
//! - an arbitrary `r‖s` over an arbitrary digest verifies exactly when RustCrypto's verifies;
//! - RSA keys and signatures of any shape give a verdict, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg_preflight_crypto::{ec, rsa, Hash};

macro_rules! differential {
    ($krate:ident, $name:literal, $bytes:expr, $data:expr) => {{
        use ecdsa::signature::hazmat::PrehashVerifier;
        use $krate::elliptic_curve::sec1::ToSec1Point;
        let curve = ec::curve($name).expect("supported curve");
        let data: &[u8] = $data;
        let (scalar, rest) = data.split_at(data.len().min($bytes));
        let (point, rest) = rest.split_at(rest.len().min(1 + 2 * $bytes));
        let (digest, signature) = rest.split_at(rest.len().min(48));

        let theirs = $krate::SecretKey::from_slice(scalar)
            .ok()
            .filter(|_| scalar.len() == $bytes)
            .map(|secret| secret.public_key().to_sec1_point(false).as_bytes().to_vec());
        let ours = (scalar.len() == $bytes)
            .then(|| curve.public_from_private(scalar))
            .flatten();
        assert_eq!(ours, theirs, "d·G");

        if matches!(point.first(), Some(0x02..=0x04)) {
            let theirs = $krate::PublicKey::from_sec1_bytes(point)
                .ok()
                .map(|key| key.to_sec1_point(false).as_bytes().to_vec());
            assert_eq!(curve.normalize_point(point), theirs, "point");
        }

        // A valid key to verify with: the derived one, else the generator's multiple 1.
        let key = ours.unwrap_or_else(|| {
            let mut one = vec![0u8; $bytes];
            one[$bytes - 1] = 1;
            curve.public_from_private(&one).expect("1·G")
        });
        if signature.len() == 2 * $bytes && !digest.is_empty() {
            let (r, s) = signature.split_at($bytes);
            let verifying = $krate::ecdsa::VerifyingKey::from_sec1_bytes(&key).expect("valid key");
            let theirs = $krate::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|sig| verifying.verify_prehash(digest, &sig).is_ok());
            assert_eq!(
                curve.ecdsa_verify(&key, digest, r, s),
                Some(theirs),
                "verify"
            );
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => differential!(p256, "P-256", 32, rest),
        1 => differential!(p384, "P-384", 48, rest),
        _ => {
            // n (up to 512 bytes) ‖ e (4 bytes) ‖ signature; PKCS#1 v1.5 and PSS.
            let (n, rest) = rest.split_at(rest.len().min(512));
            let (e, signature) = rest.split_at(rest.len().min(4));
            if let Ok(key) = rsa::PublicKey::new(n, e) {
                let digest = Hash::Sha256.digest(signature);
                let _ = key.verify_pkcs1v15(Hash::Sha256, &digest, signature);
                let _ = key.verify_pss(Hash::Sha256, &digest, signature, 32);
            }
        }
    }
});
