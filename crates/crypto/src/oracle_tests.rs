//! The in-house RSA and ECDSA arithmetic against two oracles:
//!
//! - NIST CAVP vectors as shipped in pyca's `cryptography-vectors` (FIPS 186-3 ECDSA SigVer,
//!   RSA SigVer15/SigVerPSS with pass/fail verdicts, SigGen15/SigGenPSS good signatures). Found
//!   through `CRYPTOGRAPHY_VECTORS` (tests/pki/run-vectors.sh sets it after installing the
//!   package) or the venv that script builds under target/; skipped with a message when
//!   neither exists, and failing when the variable names a directory without them.
//! - The RustCrypto `p256`/`p384`/`p521`/`rsa` crates (dev-dependencies only), on random keys,
//!   deterministic signatures and single-bit mutations of every input.

use crate::{bignum, ec, rsa, Hash};
use std::path::PathBuf;

fn vectors_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CRYPTOGRAPHY_VECTORS") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("asymmetric").is_dir(),
            "CRYPTOGRAPHY_VECTORS={} has no asymmetric/ directory",
            dir.display()
        );
        return Some(dir);
    }
    let venv_lib = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/pyca-venv/lib");
    let found = std::fs::read_dir(&venv_lib)
        .ok()?
        .flatten()
        .find_map(|python| {
            let dir = python.path().join("site-packages/cryptography_vectors");
            dir.join("asymmetric").is_dir().then_some(dir)
        });
    if found.is_none() {
        eprintln!(
            "skipped: pyca cryptography-vectors not installed (tests/pki/run-vectors.sh installs \
             them and runs these tests with CRYPTOGRAPHY_VECTORS set)"
        );
    }
    found
}

fn unhex(text: &str) -> Vec<u8> {
    let text = if text.len() % 2 == 1 {
        format!("0{text}")
    } else {
        text.to_string()
    };
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn pad(bytes: &[u8], len: usize) -> Vec<u8> {
    let bytes: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
    let mut out = vec![0u8; len.saturating_sub(bytes.len())];
    out.extend(bytes);
    out
}

/// Records of a CAVP `.rsp` file: `[section]` headers and `key = value` lines; a record ends
/// at the line starting with `end_key`. Each record carries the section and the last values
/// seen of every key (CAVP files state n and e once for many messages).
fn records(text: &str, end_key: &str) -> Vec<(String, std::collections::HashMap<String, String>)> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut fields = std::collections::HashMap::new();
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
        } else if let Some((key, value)) = line.split_once(" = ") {
            fields.insert(key.to_string(), value.to_string());
            if key == end_key {
                out.push((section.clone(), fields.clone()));
            }
        }
    }
    out
}

fn field_bytes(curve: &ec::Curve) -> usize {
    match curve.name() {
        "P-256" => 32,
        "P-384" => 48,
        _ => 66,
    }
}

fn hash_named(name: &str) -> Option<Hash> {
    Some(
        match name.trim_start_matches("SHA-").trim_start_matches("SHA") {
            "1" => Hash::Sha1,
            "224" => Hash::Sha224,
            "256" => Hash::Sha256,
            "384" => Hash::Sha384,
            "512" => Hash::Sha512,
            _ => return None,
        },
    )
}

#[test]
fn nist_ecdsa_sigver_verdicts_match() {
    let Some(dir) = vectors_dir() else { return };
    let text = std::fs::read_to_string(dir.join("asymmetric/ECDSA/FIPS_186-3/SigVer.rsp")).unwrap();
    let mut checked = 0;
    for (section, f) in records(&text, "Result") {
        let Some((curve_name, hash_name)) = section.split_once(',') else {
            continue;
        };
        let (Some(curve), Some(hash)) = (ec::curve(curve_name), hash_named(hash_name)) else {
            continue; // P-192, P-224, K-/B- curves: not supported, not needed
        };
        let bytes = field_bytes(curve);
        let mut point = vec![0x04];
        point.extend(pad(&unhex(&f["Qx"]), bytes));
        point.extend(pad(&unhex(&f["Qy"]), bytes));
        let expected = f["Result"].starts_with('P');
        let digest = hash.digest(&unhex(&f["Msg"]));
        let got = curve
            .ecdsa_verify(&point, &digest, &unhex(&f["R"]), &unhex(&f["S"]))
            .unwrap_or(false);
        assert_eq!(got, expected, "[{section}] {:?}", f["Result"]);
        checked += 1;
    }
    assert_eq!(checked, 15 * 15, "P-256/384/521 × 5 hashes × 15 vectors");
}

#[test]
fn nist_rsa_sigver_verdicts_match() {
    let Some(dir) = vectors_dir() else { return };
    let base = dir.join("asymmetric/RSA/FIPS_186-2");
    let mut checked = 0;
    for (file, pss) in [("SigVer15_186-3.rsp", false), ("SigVerPSS_186-3.rsp", true)] {
        let text = std::fs::read_to_string(base.join(file)).unwrap();
        for (section, f) in records(&text, "Result") {
            let hash = hash_named(&f["SHAAlg"]).unwrap();
            let expected = f["Result"].starts_with('P');
            let got = rsa::PublicKey::new(&unhex(&f["n"]), &unhex(&f["e"])).is_ok_and(|key| {
                let digest = hash.digest(&unhex(&f["Msg"]));
                let signature = unhex(&f["S"]);
                if pss {
                    let salt_len = if f["SaltVal"] == "00" {
                        0
                    } else {
                        f["SaltVal"].len() / 2
                    };
                    key.verify_pss(hash, &digest, &signature, salt_len)
                } else {
                    key.verify_pkcs1v15(hash, &digest, &signature)
                }
            });
            assert_eq!(got, expected, "{file} [{section}] {:?}", f["Result"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 900);
}

/// Every good NIST signature verifies, and flipping any one of a sample of bits in the
/// signature or message makes both this code and RustCrypto's `rsa` reject it.
#[test]
fn nist_rsa_siggen_signatures_verify_and_mutations_agree_with_rustcrypto() {
    let Some(dir) = vectors_dir() else { return };
    let base = dir.join("asymmetric/RSA/FIPS_186-2");
    let mut checked = 0;
    for (file, pss) in [("SigGen15_186-3.rsp", false), ("SigGenPSS_186-3.rsp", true)] {
        let text = std::fs::read_to_string(base.join(file)).unwrap();
        for (index, (_, f)) in records(&text, "S").into_iter().enumerate() {
            let hash = hash_named(&f["SHAAlg"]).unwrap();
            let (n, e) = (unhex(&f["n"]), unhex(&f["e"]));
            let ours = rsa::PublicKey::new(&n, &e).unwrap();
            let theirs = rustcrypto_rsa_key(&n, &e);
            let message = unhex(&f["Msg"]);
            let good = unhex(&f["S"]);
            let verdicts = |signature: &[u8], message: &[u8]| {
                let digest = hash.digest(message);
                let mine = if pss {
                    ours.verify_pss(hash, &digest, signature, 0)
                } else {
                    ours.verify_pkcs1v15(hash, &digest, signature)
                };
                let reference = rustcrypto_rsa_verify(&theirs, hash, pss, &digest, signature);
                (mine, reference)
            };
            assert_eq!(verdicts(&good, &message), (true, true), "{file} #{index}");
            for bit in (index % 61..good.len() * 8).step_by(good.len() + 7) {
                let mut bad = good.clone();
                bad[bit / 8] ^= 1 << (bit % 8);
                let (mine, reference) = verdicts(&bad, &message);
                assert_eq!(mine, reference, "{file} #{index} signature bit {bit}");
                assert!(!mine);
            }
            let mut other = message.clone();
            other[index % message.len()] ^= 0x40;
            assert_eq!(verdicts(&good, &other), (false, false));
            checked += 1;
        }
    }
    assert_eq!(checked, 500);
}

fn rustcrypto_rsa_key(n: &[u8], e: &[u8]) -> ::rsa::RsaPublicKey {
    let number = |bytes: &[u8]| ::rsa::BoxedUint::from_be_slice_vartime(bytes);
    ::rsa::RsaPublicKey::new(number(n), number(e)).unwrap()
}

fn rustcrypto_rsa_verify(
    key: &::rsa::RsaPublicKey,
    hash: Hash,
    pss: bool,
    digest: &[u8],
    signature: &[u8],
) -> bool {
    use ::rsa::{pkcs1v15::Pkcs1v15Sign, pss::Pss};
    use sha1::Sha1;
    use sha2::{Sha224, Sha256, Sha384, Sha512};
    let result = match (pss, hash) {
        (false, Hash::Sha1) => key.verify(Pkcs1v15Sign::new::<Sha1>(), digest, signature),
        (false, Hash::Sha224) => key.verify(Pkcs1v15Sign::new::<Sha224>(), digest, signature),
        (false, Hash::Sha256) => key.verify(Pkcs1v15Sign::new::<Sha256>(), digest, signature),
        (false, Hash::Sha384) => key.verify(Pkcs1v15Sign::new::<Sha384>(), digest, signature),
        (false, Hash::Sha512) => key.verify(Pkcs1v15Sign::new::<Sha512>(), digest, signature),
        (true, Hash::Sha1) => key.verify(Pss::<Sha1>::new_with_salt(0), digest, signature),
        (true, Hash::Sha224) => key.verify(Pss::<Sha224>::new_with_salt(0), digest, signature),
        (true, Hash::Sha256) => key.verify(Pss::<Sha256>::new_with_salt(0), digest, signature),
        (true, Hash::Sha384) => key.verify(Pss::<Sha384>::new_with_salt(0), digest, signature),
        (true, Hash::Sha512) => key.verify(Pss::<Sha512>::new_with_salt(0), digest, signature),
    };
    result.is_ok()
}

/// A deterministic stream of test bytes (SHA-256 in counter mode): reproducible, no RNG.
fn test_bytes(seed: &str, index: usize, len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut block = 0u32;
    while out.len() < len {
        out.extend(Hash::Sha256.digest(format!("{seed}/{index}/{block}").as_bytes()));
        block += 1;
    }
    out.truncate(len);
    out
}

macro_rules! ecdsa_differential {
    ($test:ident, $krate:ident, $name:literal, $hash:expr, $count:expr) => {
        #[test]
        fn $test() {
            use ::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
            use $krate::elliptic_curve::sec1::ToSec1Point;
            let curve = ec::curve($name).unwrap();
            let bytes = field_bytes(curve);
            for i in 0..$count {
                // Scalars from the whole range, including tiny and near-n ones.
                let mut scalar = test_bytes($name, i, bytes);
                if i % 7 == 1 {
                    scalar.iter_mut().rev().skip(2).for_each(|b| *b = 0);
                }
                let Ok(secret) = $krate::SecretKey::from_slice(&scalar) else {
                    assert!(curve.public_from_private(&scalar).is_none(), "#{i}");
                    continue;
                };
                let expected = secret.public_key().to_sec1_point(false).as_bytes().to_vec();
                let derived = curve.public_from_private(&scalar).unwrap();
                assert_eq!(derived, expected, "{} #{i}", $name);
                let q = &expected;

                let signing = $krate::ecdsa::SigningKey::from(&secret);
                let verifying = $krate::ecdsa::VerifyingKey::from_sec1_bytes(&expected).unwrap();
                let digest = $hash.digest(&test_bytes("message", i, 1 + i % 300));
                let signature: $krate::ecdsa::Signature = signing.sign_prehash(&digest).unwrap();
                let raw = signature.to_bytes().to_vec();
                let (r, s) = raw.split_at(bytes);
                assert_eq!(
                    curve.ecdsa_verify(q, &digest, r, s),
                    Some(true),
                    "{} #{i}",
                    $name
                );

                // One flipped bit anywhere in r‖s or the digest: both must reject alike.
                for bit in (0..raw.len() * 8).step_by(37 + i % 11) {
                    let mut bad = raw.clone();
                    bad[bit / 8] ^= 1 << (bit % 8);
                    let (br, bs) = bad.split_at(bytes);
                    let reference = $krate::ecdsa::Signature::from_slice(&bad)
                        .is_ok_and(|sig| verifying.verify_prehash(&digest, &sig).is_ok());
                    assert_eq!(
                        curve.ecdsa_verify(q, &digest, br, bs),
                        Some(reference),
                        "bit {bit}"
                    );
                }
                let mut other = digest.clone();
                let at = i % other.len();
                other[at] ^= 1;
                assert_eq!(curve.ecdsa_verify(q, &other, r, s), Some(false));
            }
        }
    };
}

ecdsa_differential!(p256_matches_rustcrypto, p256, "P-256", Hash::Sha256, 40);
ecdsa_differential!(p384_matches_rustcrypto, p384, "P-384", Hash::Sha384, 30);
ecdsa_differential!(p521_matches_rustcrypto, p521, "P-521", Hash::Sha512, 15);

#[test]
fn digests_longer_than_the_order_are_truncated_like_rustcrypto() {
    use ::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
    use p256::elliptic_curve::sec1::ToSec1Point;
    let curve = ec::curve("P-256").unwrap();
    let secret = p256::SecretKey::from_slice(&test_bytes("trunc", 0, 32)).unwrap();
    let point = secret.public_key().to_sec1_point(false).as_bytes().to_vec();
    let signing = p256::ecdsa::SigningKey::from(&secret);
    let verifying = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).unwrap();
    for hash in [Hash::Sha1, Hash::Sha384, Hash::Sha512] {
        let digest = hash.digest(b"truncation");
        let signature: p256::ecdsa::Signature = signing.sign_prehash(&digest).unwrap();
        assert!(verifying.verify_prehash(&digest, &signature).is_ok());
        let raw = signature.to_bytes();
        let (r, s) = raw.split_at(32);
        assert_eq!(
            curve.ecdsa_verify(&point, &digest, r, s),
            Some(true),
            "{hash:?}"
        );
    }
}

#[test]
fn rsa_exponentiation_matches_the_textbook_definition() {
    // s^e mod n by repeated multiplication and division, for a small odd e.
    let n = test_bytes("modulus", 0, 128);
    let mut n_limbs = bignum::from_be_bytes(&n, 32).unwrap();
    n_limbs[0] |= 1;
    n_limbs[31] |= 1 << 31;
    let modulus = bignum::Modulus::new(n_limbs.clone()).unwrap();
    let s = bignum::rem_vartime(
        &bignum::from_be_bytes(&test_bytes("s", 0, 128), 32).unwrap(),
        &n_limbs,
    )
    .unwrap();
    let mut expected = s.clone();
    for _ in 1..17 {
        expected = bignum::rem_vartime(&bignum::mul(&expected, &s), &n_limbs).unwrap();
    }
    assert_eq!(modulus.pow_vartime(&s, &[17]).unwrap(), expected);
}
