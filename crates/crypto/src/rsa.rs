//! RSA signature verification (RFC 8017): RSAVP1 (§5.2.2) with a public exponent, then
//! EMSA-PKCS1-v1_5 (§8.2.2, §9.2) or EMSA-PSS (§8.1.2, §9.1.2) with MGF1 (§B.2.1).
//!
//! The key limits are those of OpenSSL's and RustCrypto's defaults: a modulus of 1024 to 8192
//! bits, odd; an odd exponent from 3 to 2^33 − 1, below the modulus. Everything here is public
//! data (key, signature, message digest), so it is variable-time.

use crate::bignum::{self, Modulus};
use crate::Hash;

/// An RSA public key ready for verification.
#[derive(Debug)]
pub struct PublicKey {
    modulus: Modulus,
    /// Big-endian, without leading zeros.
    exponent: Vec<u8>,
    bits: usize,
}

/// Why an RSA public key is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    ModulusSize(usize),
    BadModulus,
    BadExponent,
}

pub const MIN_BITS: usize = 1024;
pub const MAX_BITS: usize = 8192;
const MAX_EXPONENT_BITS: usize = 33;

impl PublicKey {
    /// From the big-endian modulus and exponent (leading zeros allowed).
    pub fn new(n: &[u8], e: &[u8]) -> Result<PublicKey, KeyError> {
        let limbs = n.len().div_ceil(4).max(1);
        let n_limbs = bignum::from_be_bytes(n, limbs).ok_or(KeyError::BadModulus)?;
        let bits = bignum::bit_len(&n_limbs);
        if !(MIN_BITS..=MAX_BITS).contains(&bits) {
            return Err(KeyError::ModulusSize(bits));
        }
        let mut trimmed = n_limbs;
        trimmed.truncate(bits.div_ceil(32));
        let modulus = Modulus::new(trimmed).ok_or(KeyError::BadModulus)?;
        let exponent: Vec<u8> = e.iter().copied().skip_while(|&b| b == 0).collect();
        let e_limbs = bignum::from_be_bytes(&exponent, exponent.len().div_ceil(4).max(1))
            .ok_or(KeyError::BadExponent)?;
        let e_bits = bignum::bit_len(&e_limbs);
        let odd = exponent.last().is_some_and(|b| b & 1 == 1);
        if !odd || !(2..=MAX_EXPONENT_BITS).contains(&e_bits) {
            return Err(KeyError::BadExponent);
        }
        Ok(PublicKey {
            modulus,
            exponent,
            bits,
        })
    }

    pub fn bits(&self) -> usize {
        self.bits
    }

    /// k, the modulus length in octets.
    fn size(&self) -> usize {
        self.bits.div_ceil(8)
    }

    /// RSAVP1 (§5.2.2) on a signature of exactly k octets (§8.2.2 step 1), giving the encoded
    /// message as `len` octets; `None` when the signature is the wrong size, not below n, or
    /// the result does not fit `len` octets.
    fn open(&self, signature: &[u8], len: usize) -> Option<Vec<u8>> {
        if signature.len() != self.size() {
            return None;
        }
        let s = bignum::from_be_bytes(signature, self.modulus.limb_count())?;
        if bignum::cmp_vartime(&s, self.modulus.limbs()) != core::cmp::Ordering::Less {
            return None;
        }
        let m = self.modulus.pow_vartime(&s, &self.exponent)?;
        bignum::to_be_bytes(&m, len)
    }

    /// RSASSA-PKCS1-v1_5 verification (§8.2.2): the opened signature must equal
    /// EMSA-PKCS1-v1_5(digest) exactly, `00 01 FF…FF 00 DigestInfo` with the DigestInfo's
    /// NULL parameters present (§9.2 note 1 lists these encodings).
    pub fn verify_pkcs1v15(&self, hash: Hash, digest: &[u8], signature: &[u8]) -> bool {
        let k = self.size();
        let prefix = hash.digest_info_prefix();
        let t_len = prefix.len() + digest.len();
        if digest.len() != hash.output_len() || k < t_len + 11 {
            return false;
        }
        let Some(em) = self.open(signature, k) else {
            return false;
        };
        let mut expected = vec![0x00, 0x01];
        expected.resize(k - t_len - 1, 0xff);
        expected.push(0x00);
        expected.extend_from_slice(prefix);
        expected.extend_from_slice(digest);
        em == expected
    }

    /// RSASSA-PSS verification (§8.1.2, EMSA-PSS-VERIFY §9.1.2) with MGF1 over the same hash and
    /// an exact salt length, trailer field 0xbc.
    pub fn verify_pss(&self, hash: Hash, digest: &[u8], signature: &[u8], salt_len: usize) -> bool {
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8);
        // §8.1.2 step 2c: EM is emLen octets, one fewer than k when emBits is a multiple of 8.
        let Some(em) = self.open(signature, em_len) else {
            return false;
        };
        emsa_pss_verify(hash, digest, &em, em_bits, salt_len).unwrap_or(false)
    }
}

/// EMSA-PSS-VERIFY (§9.1.2); `None` for "inconsistent" at a structural step.
fn emsa_pss_verify(
    hash: Hash,
    digest: &[u8],
    em: &[u8],
    em_bits: usize,
    salt_len: usize,
) -> Option<bool> {
    let h_len = hash.output_len();
    let em_len = em.len();
    // Steps 2–3.
    if digest.len() != h_len || em_len < h_len + salt_len + 2 {
        return None;
    }
    // Step 4: trailer.
    let (&trailer, body) = em.split_last()?;
    if trailer != 0xbc {
        return None;
    }
    // Step 5: maskedDB ‖ H.
    let (masked_db, h) = body.split_at(em_len - h_len - 1);
    // Step 6: the bits above emBits must be zero.
    let unused_bits = 8 * em_len - em_bits;
    let top_mask = 0xffu8 >> unused_bits;
    if masked_db.first()? & !top_mask != 0 {
        return None;
    }
    // Steps 7–9: DB = maskedDB ⊕ MGF1(H), top bits cleared.
    let mask = mgf1(hash, h, masked_db.len());
    let mut db: Vec<u8> = masked_db.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
    if let Some(first) = db.first_mut() {
        *first &= top_mask;
    }
    // Step 10: PS of zeros, then 0x01, then the salt.
    let ps_len = em_len - h_len - salt_len - 2;
    let (ps, rest) = db.split_at(ps_len);
    let (&separator, salt) = rest.split_first()?;
    if ps.iter().any(|&b| b != 0) || separator != 0x01 {
        return None;
    }
    // Steps 12–14: H' = Hash(0x00×8 ‖ mHash ‖ salt) must equal H.
    let mut m_prime = vec![0u8; 8];
    m_prime.extend_from_slice(digest);
    m_prime.extend_from_slice(salt);
    Some(hash.digest(&m_prime) == h)
}

/// MGF1 (RFC 8017 §B.2.1): Hash(seed ‖ counter) for counter = 0, 1, … truncated to `len`.
fn mgf1(hash: Hash, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.output_len());
    let mut counter = 0u32;
    while out.len() < len {
        let mut block = seed.to_vec();
        block.extend_from_slice(&counter.to_be_bytes());
        out.extend(hash.digest(&block));
        counter += 1;
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_limits_are_enforced() {
        let mut n = vec![0xffu8; 128];
        assert!(PublicKey::new(&n, &[1, 0, 1]).is_ok());
        assert_eq!(
            PublicKey::new(&n[..64], &[1, 0, 1]).err(),
            Some(KeyError::ModulusSize(512))
        );
        assert_eq!(PublicKey::new(&n, &[1]).err(), Some(KeyError::BadExponent));
        assert_eq!(
            PublicKey::new(&n, &[1, 0, 0]).err(),
            Some(KeyError::BadExponent)
        );
        assert_eq!(
            PublicKey::new(&n, &[3, 0, 0, 0, 1]).err(),
            Some(KeyError::BadExponent)
        );
        *n.last_mut().unwrap() = 0xfe;
        assert_eq!(PublicKey::new(&n, &[3]).err(), Some(KeyError::BadModulus));
    }

    #[test]
    fn mgf1_matches_the_rfc_8017_construction() {
        // MGF1-SHA-1 of "foo": block i is SHA-1("foo" ‖ i as 4 big-endian octets).
        let three = mgf1(Hash::Sha1, b"foo", 3);
        let long = mgf1(Hash::Sha1, b"foo", 25);
        assert_eq!(three, long[..3]);
        let first_block = Hash::Sha1.digest(b"foo\0\0\0\0");
        let second_block = Hash::Sha1.digest(b"foo\0\0\0\x01");
        assert_eq!(long[..20], first_block[..]);
        assert_eq!(long[20..], second_block[..5]);
    }
}
