//! Multiplication in GF(p) for P-384, p = 2^384 − 2^128 − 2^96 + 2^32 − 1, with the special-form
//! ("Solinas") reduction of FIPS 186-4 Appendix D.2.4 on 32-bit words.
//!
//! Why not Montgomery like the other curves: a 12-limb Montgomery multiplication interleaves two
//! 144-step multiply-accumulate passes; here the product is one 144-step pass (78 for a
//! square) and the reduction of the 768-bit product is a handful of word additions, because
//! 2^384 ≡ 2^128 + 2^96 − 2^32 + 1 (mod p). P-384 is the curve of most ECC roots in CA
//! bundles, so this is a large share of a bundle check.
//!
//! Elements are plain residues in [0, p), not in Montgomery form. Every function here is
//! branch-free and does the same memory accesses whatever the values: the constant-time
//! `d·G` ladder of [`crate::ec`] uses them too.
#![allow(clippy::indexing_slicing)]

use crate::bignum::{self, mask};

/// P-384's prime, little-endian 32-bit limbs.
pub const P: [u32; 12] = [
    0xffff_ffff,
    0,
    0,
    0xffff_ffff,
    0xffff_fffe,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
];

/// `a·b mod p` for `a, b < p`.
pub fn mul(a: &[u32; 12], b: &[u32; 12]) -> [u32; 12] {
    let mut c = [0u32; 24];
    for i in 0..12 {
        let ai = u64::from(a[i]);
        let mut carry = 0u64;
        for j in 0..12 {
            let t = u64::from(c[i + j]) + ai * u64::from(b[j]) + carry;
            c[i + j] = t as u32;
            carry = t >> 32;
        }
        c[i + 12] = carry as u32;
    }
    reduce(&c)
}

/// `a² mod p` for `a < p`: each cross product a_i·a_j (i < j) once, doubled, plus the squares.
pub fn sqr(a: &[u32; 12]) -> [u32; 12] {
    let mut c = [0u32; 24];
    for i in 0..11 {
        let ai = u64::from(a[i]);
        let mut carry = 0u64;
        for j in i + 1..12 {
            let t = u64::from(c[i + j]) + ai * u64::from(a[j]) + carry;
            c[i + j] = t as u32;
            carry = t >> 32;
        }
        c[i + 12] = carry as u32;
    }
    // Double the cross products (the top bit of a 767-bit sum cannot be set), then add a_i².
    let mut top = 0u32;
    for word in c.iter_mut() {
        let next_top = *word >> 31;
        *word = (*word << 1) | top;
        top = next_top;
    }
    let mut carry = 0u64;
    for i in 0..12 {
        let square = u64::from(a[i]) * u64::from(a[i]);
        let low = u64::from(c[2 * i]) + (square & 0xffff_ffff) + carry;
        c[2 * i] = low as u32;
        let high = u64::from(c[2 * i + 1]) + (square >> 32) + (low >> 32);
        c[2 * i + 1] = high as u32;
        carry = high >> 32;
    }
    reduce(&c)
}

/// The 768-bit product `c` (little-endian words c0..c23) reduced mod p, FIPS 186-4 D.2.4:
/// T + 2·S1 + S2 + S3 + S4 + S5 + S6 − D1 − D2 − D3, each term a 384-bit number made of words of
/// the product's upper half. Summed per word position in signed 64-bit accumulators (at most 8
/// positive and 3 negative 32-bit terms each), then carried.
fn reduce(c: &[u32; 24]) -> [u32; 12] {
    let w = |i: usize| i64::from(c[i]);
    // Position i of each term, from the tuples of D.2.4 (which list the most significant
    // word first).
    let mut acc: [i64; 12] = [
        // T      2·S1         S2      S3      S4      S5      S6      −D1     −D2     −D3
        w(0) + w(12) + w(21) + w(20) - w(23),
        w(1) + w(13) + w(22) + w(23) - w(12) - w(20),
        w(2) + w(14) + w(23) - w(13) - w(21),
        w(3) + w(15) + w(12) + w(20) + w(21) - w(14) - w(22) - w(23),
        w(4) + 2 * w(21) + w(16) + w(13) + w(12) + w(20) + w(22) - w(15) - w(23) - w(23),
        w(5) + 2 * w(22) + w(17) + w(14) + w(13) + w(21) + w(23) - w(16),
        w(6) + 2 * w(23) + w(18) + w(15) + w(14) + w(22) - w(17),
        w(7) + w(19) + w(16) + w(15) + w(23) - w(18),
        w(8) + w(20) + w(17) + w(16) - w(19),
        w(9) + w(21) + w(18) + w(17) - w(20),
        w(10) + w(22) + w(19) + w(18) - w(21),
        w(11) + w(23) + w(20) + w(19) - w(22),
    ];
    // The sum is W + c·2^384 with W < 2^384 and a small signed c; 2^384 ≡ 2^128 + 2^96 − 2^32 + 1.
    // One fold leaves a carry of −1, 0 or 1 and a second fold none: after the first, a carry
    // of +1 means W is below 6·(2^129) and a carry of −1 means W is above 2^384 − 4·(2^129).
    let carry = propagate(&mut acc);
    fold(&mut acc, carry);
    let carry = propagate(&mut acc);
    fold(&mut acc, carry);
    propagate(&mut acc);
    let mut r: [u32; 12] = core::array::from_fn(|i| acc[i] as u32);
    // r < 2^384 < 2p: subtract p once unless that borrows.
    let mut reduced = r;
    let borrow = bignum::sub_assign(&mut reduced, &P);
    let keep_r = mask(borrow);
    for (out, &candidate) in r.iter_mut().zip(reduced.iter()) {
        *out = (*out & keep_r) | (candidate & !keep_r);
    }
    r
}

/// Carries every position into the next, leaving 32-bit words; returns the signed carry out of
/// the top word (the arithmetic shift is floor division, right for negative sums too).
fn propagate(acc: &mut [i64; 12]) -> i64 {
    let mut carry = 0i64;
    for word in acc.iter_mut() {
        let value = *word + carry;
        *word = value & 0xffff_ffff;
        carry = value >> 32;
    }
    carry
}

/// Adds `carry·2^384 ≡ carry·(2^128 + 2^96 − 2^32 + 1)` back into the low words.
fn fold(acc: &mut [i64; 12], carry: i64) {
    acc[0] += carry;
    acc[1] -= carry;
    acc[3] += carry;
    acc[4] += carry;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(a: &[u32; 12], b: &[u32; 12]) -> [u32; 12] {
        let product = bignum::mul(a, b);
        let r = bignum::rem_vartime(&product, &P).unwrap_or_default();
        core::array::from_fn(|i| r.get(i).copied().unwrap_or(0))
    }

    /// A deterministic stream of values below p, biased towards the edges (all-ones words,
    /// zero words, p − 1) where carries and borrows of the reduction happen.
    fn samples() -> Vec<[u32; 12]> {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut p_minus_1 = P;
        p_minus_1[0] -= 1;
        let mut values = vec![[0; 12], p_minus_1, P.map(|_| 0)];
        values[2][0] = 1;
        for _ in 0..400 {
            let mut v: [u32; 12] = core::array::from_fn(|_| match next() % 4 {
                0 => 0xffff_ffff,
                1 => 0,
                _ => next() as u32,
            });
            if bignum::cmp_vartime(&v, &P) != core::cmp::Ordering::Less {
                bignum::sub_assign(&mut v, &P);
            }
            values.push(v);
        }
        values
    }

    #[test]
    fn products_and_squares_match_schoolbook_division() {
        let values = samples();
        for (i, a) in values.iter().enumerate() {
            assert_eq!(sqr(a), reference(a, a), "square of sample {i}");
            for b in values.iter().skip(i).take(8) {
                assert_eq!(mul(a, b), reference(a, b), "product with sample {i}");
            }
        }
    }

    #[test]
    fn the_extreme_product_reduces_fully() {
        let mut p_minus_1 = P;
        p_minus_1[0] -= 1;
        // (p − 1)² ≡ 1.
        let mut one = [0u32; 12];
        one[0] = 1;
        assert_eq!(sqr(&p_minus_1), one);
        assert_eq!(mul(&p_minus_1, &p_minus_1), one);
    }
}
