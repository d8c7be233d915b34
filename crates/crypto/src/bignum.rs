//! Unsigned big integers as little-endian `u32` limbs, and Montgomery arithmetic modulo an odd
//! number (Montgomery 1985; the CIOS loop of Koç, Acar and Kaliski 1996).
//!
//! 32-bit limbs because wasm32 multiplies two `u32` into a `u64` natively, while a 64×64→128
//! product is a library call there. Every operation a secret can reach (field arithmetic for the
//! EC key check) is branch-free in its operands: loops run over the modulus length only, and
//! conditional subtractions select with masks. Division and the `*_vartime` helpers branch on
//! their operands and are used on public data only (signatures, public keys, curve constants).
//!
//! Indexing is by loop counters bounded by lengths fixed at construction (checked with
//! `debug_assert!` at each entry), which is what makes this code readable and fast.
#![allow(clippy::indexing_slicing)]

use core::cmp::Ordering;

/// Big-endian bytes (leading zeros allowed) as exactly `limbs` little-endian limbs; `None` when
/// the value needs more limbs.
pub fn from_be_bytes(bytes: &[u8], limbs: usize) -> Option<Vec<u32>> {
    let significant = bytes
        .iter()
        .position(|&b| b != 0)
        .map_or(&[][..], |i| &bytes[i..]);
    if significant.len() > limbs * 4 {
        return None;
    }
    let mut out = vec![0u32; limbs];
    for (i, &byte) in significant.iter().rev().enumerate() {
        out[i / 4] |= u32::from(byte) << (8 * (i % 4));
    }
    Some(out)
}

/// The value as exactly `len` big-endian bytes; `None` when it does not fit.
pub fn to_be_bytes(limbs: &[u32], len: usize) -> Option<Vec<u8>> {
    if bit_len(limbs) > len * 8 {
        return None;
    }
    Some(
        (0..len)
            .rev()
            .map(|i| {
                limbs
                    .get(i / 4)
                    .map_or(0, |limb| (limb >> (8 * (i % 4))) as u8)
            })
            .collect(),
    )
}

/// Number of significant bits (0 for zero).
pub fn bit_len(a: &[u32]) -> usize {
    a.iter()
        .rposition(|&l| l != 0)
        .map_or(0, |i| 32 * i + 32 - a[i].leading_zeros() as usize)
}

pub fn is_zero(a: &[u32]) -> bool {
    a.iter().all(|&l| l == 0)
}

/// Bit `index` (0 = least significant); bits beyond the end are 0.
pub fn bit(a: &[u32], index: usize) -> bool {
    a.get(index / 32)
        .is_some_and(|l| (l >> (index % 32)) & 1 == 1)
}

/// Compares two numbers of possibly different lengths.
pub fn cmp_vartime(a: &[u32], b: &[u32]) -> Ordering {
    let n = a.len().max(b.len());
    for i in (0..n).rev() {
        let (x, y) = (
            a.get(i).copied().unwrap_or(0),
            b.get(i).copied().unwrap_or(0),
        );
        if x != y {
            return x.cmp(&y);
        }
    }
    Ordering::Equal
}

/// `a -= b` over `a.len()` limbs (`b` no longer); returns the borrow out (0 or 1).
pub fn sub_assign(a: &mut [u32], b: &[u32]) -> u32 {
    debug_assert!(b.len() <= a.len());
    let mut borrow = 0u64;
    for (i, x) in a.iter_mut().enumerate() {
        let y = u64::from(b.get(i).copied().unwrap_or(0)) + borrow;
        let d = u64::from(*x).wrapping_sub(y);
        *x = d as u32;
        borrow = (d >> 63) & 1;
    }
    borrow as u32
}

/// `a += b` over `a.len()` limbs (`b` no longer); returns the carry out (0 or 1).
pub fn add_assign(a: &mut [u32], b: &[u32]) -> u32 {
    debug_assert!(b.len() <= a.len());
    let mut carry = 0u64;
    for (i, x) in a.iter_mut().enumerate() {
        let s = u64::from(*x) + u64::from(b.get(i).copied().unwrap_or(0)) + carry;
        *x = s as u32;
        carry = s >> 32;
    }
    carry as u32
}

/// `a·b`, `a.len() + b.len()` limbs (schoolbook).
pub fn mul(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &y) in b.iter().enumerate() {
            let t = u64::from(x) * u64::from(y) + u64::from(out[i + j]) + carry;
            out[i + j] = t as u32;
            carry = t >> 32;
        }
        out[i + b.len()] = carry as u32;
    }
    out
}

/// `a mod m` with `m.len()` limbs, by long division (Knuth, TAOCP vol. 2, §4.3.1, Algorithm D).
/// `None` when `m` is zero. Variable-time: public operands only.
pub fn rem_vartime(a: &[u32], m: &[u32]) -> Option<Vec<u32>> {
    let n = m.iter().rposition(|&l| l != 0)? + 1;
    let divisor = &m[..n];
    let mut out = vec![0u32; m.len()];
    if cmp_vartime(a, divisor) == Ordering::Less {
        for (o, &x) in out.iter_mut().zip(a) {
            *o = x;
        }
        return Some(out);
    }
    let a_len = a.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1);
    let a = &a[..a_len];
    if n == 1 {
        let d = u64::from(divisor[0]);
        let r = a
            .iter()
            .rev()
            .fold(0u64, |r, &limb| ((r << 32) | u64::from(limb)) % d);
        out[0] = r as u32;
        return Some(out);
    }
    // D1: normalise so the divisor's top bit is set; the dividend gains one limb.
    let shift = divisor[n - 1].leading_zeros();
    let v = shl(divisor, shift, n);
    let mut u = shl(a, shift, a_len + 1);
    let (v_top, v_next) = (u64::from(v[n - 1]), u64::from(v[n - 2]));
    for j in (0..=a_len - n).rev() {
        // D3: estimate the quotient digit from the top two limbs, correct it at most twice.
        let top = (u64::from(u[j + n]) << 32) | u64::from(u[j + n - 1]);
        let mut q = top / v_top;
        let mut r = top % v_top;
        while q > u64::from(u32::MAX) || q * v_next > ((r << 32) | u64::from(u[j + n - 2])) {
            q -= 1;
            r += v_top;
            if r > u64::from(u32::MAX) {
                break;
            }
        }
        // D4: multiply and subtract; D6: add back when the estimate was still one too big.
        if mul_sub(&mut u[j..=j + n], &v, q) {
            add_assign(&mut u[j..=j + n], &v);
        }
    }
    // D8: the remainder is the low n limbs, shifted back.
    let r = shr(&u[..n], shift);
    out[..n].copy_from_slice(&r);
    Some(out)
}

/// `u -= q·v` where `u` has one limb more than `v`; true when the result went negative (the
/// caller adds `v` back, leaving `u` correct modulo the lost borrow).
fn mul_sub(u: &mut [u32], v: &[u32], q: u64) -> bool {
    let mut borrow = 0u64;
    let mut carry = 0u64;
    for (x, &y) in u.iter_mut().zip(v) {
        let p = q * u64::from(y) + carry;
        carry = p >> 32;
        let d = u64::from(*x)
            .wrapping_sub(p & 0xffff_ffff)
            .wrapping_sub(borrow);
        *x = d as u32;
        borrow = (d >> 63) & 1;
    }
    let last = u.len() - 1;
    let d = u64::from(u[last]).wrapping_sub(carry).wrapping_sub(borrow);
    u[last] = d as u32;
    (d >> 63) & 1 == 1
}

/// `a << shift` (shift < 32) into `len` limbs.
fn shl(a: &[u32], shift: u32, len: usize) -> Vec<u32> {
    let mut out = vec![0u32; len];
    for (i, &limb) in a.iter().enumerate() {
        out[i] |= limb << shift;
        if shift > 0 && i + 1 < len {
            out[i + 1] = limb >> (32 - shift);
        }
    }
    out
}

/// `a >> shift` (shift < 32).
fn shr(a: &[u32], shift: u32) -> Vec<u32> {
    (0..a.len())
        .map(|i| {
            let high = if shift > 0 {
                a.get(i + 1).map_or(0, |&h| h << (32 - shift))
            } else {
                0
            };
            (a[i] >> shift) | high
        })
        .collect()
}

/// An odd modulus with what Montgomery multiplication needs: `R = 2^(32·len)`.
#[derive(Debug, Clone)]
pub struct Modulus {
    m: Vec<u32>,
    /// `-m⁻¹ mod 2^32`.
    m_inv: u32,
}

impl Modulus {
    /// `None` unless `m` is odd, greater than 1, and its top limb is not zero.
    pub fn new(m: Vec<u32>) -> Option<Modulus> {
        let low = *m.first()?;
        if low & 1 == 0 || *m.last()? == 0 || (m.len() == 1 && low == 1) {
            return None;
        }
        // Newton's iteration doubles the correct low bits of an inverse each step: 1 → 32.
        let mut inv = 1u32;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(low.wrapping_mul(inv)));
        }
        Some(Modulus {
            m,
            m_inv: inv.wrapping_neg(),
        })
    }

    pub fn limbs(&self) -> &[u32] {
        &self.m
    }

    /// `-m⁻¹ mod 2^32`, for [`mont_mul_fixed`].
    pub fn m_inv(&self) -> u32 {
        self.m_inv
    }

    /// Number of limbs.
    pub fn limb_count(&self) -> usize {
        self.m.len()
    }

    /// `out = a·b·R⁻¹ mod m` for `a, b < m`; `scratch` has `len + 2` limbs. Branch-free.
    pub fn mont_mul(&self, out: &mut [u32], a: &[u32], b: &[u32], scratch: &mut [u32]) {
        let n = self.m.len();
        debug_assert!(a.len() == n && b.len() == n && out.len() == n && scratch.len() == n + 2);
        let t = scratch;
        t.fill(0);
        // One pass per limb of b: t = (t + a·b[i] + q·m) / 2^32, the product and the reduction
        // carried side by side (c1, c2) so each limb of t is loaded and stored once.
        for &bi in b {
            let bi = u64::from(bi);
            let s0 = u64::from(t[0]) + u64::from(a[0]) * bi;
            let q = u64::from((s0 as u32).wrapping_mul(self.m_inv));
            let mut c1 = s0 >> 32;
            let mut c2 = (u64::from(s0 as u32) + q * u64::from(self.m[0])) >> 32;
            for j in 1..n {
                let s = u64::from(t[j]) + u64::from(a[j]) * bi + c1;
                c1 = s >> 32;
                let r = u64::from(s as u32) + q * u64::from(self.m[j]) + c2;
                c2 = r >> 32;
                t[j - 1] = r as u32;
            }
            let s = u64::from(t[n]) + c1 + c2;
            t[n - 1] = s as u32;
            t[n] = (s >> 32) as u32;
        }
        // t < 2m: subtract m once unless that borrows (and t has no limb beyond n).
        let borrow = sub_into(out, &t[..n], &self.m);
        let keep_t = mask(borrow & !t[n] & 1);
        for (o, &x) in out.iter_mut().zip(t.iter()) {
            *o = (x & keep_t) | (*o & !keep_t);
        }
    }

    /// `a·R mod m` (into the Montgomery domain), `a` of any length. Variable-time.
    pub fn to_mont_vartime(&self, a: &[u32]) -> Option<Vec<u32>> {
        let mut shifted = vec![0u32; self.limb_count()];
        shifted.extend_from_slice(a);
        rem_vartime(&shifted, &self.m)
    }

    /// `a·R⁻¹ mod m` (out of the Montgomery domain).
    pub fn from_mont(&self, a: &[u32]) -> Vec<u32> {
        let mut one = vec![0u32; self.limb_count()];
        one[0] = 1;
        let mut out = vec![0u32; self.limb_count()];
        let mut scratch = vec![0u32; self.limb_count() + 2];
        self.mont_mul(&mut out, a, &one, &mut scratch);
        out
    }

    /// `base^exponent mod m` for a public exponent (big-endian bytes), `base < m`, by
    /// left-to-right square-and-multiply. Variable-time in the exponent only. (Unrolled
    /// fixed-size loops for 2048/3072/4096 bits were tried: no faster, 16 KB gzip bigger.)
    pub fn pow_vartime(&self, base: &[u32], exponent: &[u8]) -> Option<Vec<u32>> {
        let base_mont = self.to_mont_vartime(base)?;
        let one_mont = self.to_mont_vartime(&[1])?;
        let acc = self.pow_any(&base_mont, &one_mont, exponent)?;
        Some(self.from_mont(&acc))
    }

    /// The exponentiation loop on Montgomery-form values, any size.
    fn pow_any(&self, base_mont: &[u32], one_mont: &[u32], exponent: &[u8]) -> Option<Vec<u32>> {
        let n = self.limb_count();
        let mut acc = one_mont.to_vec();
        let mut tmp = vec![0u32; n];
        let mut scratch = vec![0u32; n + 2];
        for bit in exponent_bits(exponent) {
            self.mont_mul(&mut tmp, &acc, &acc, &mut scratch);
            core::mem::swap(&mut acc, &mut tmp);
            if bit {
                self.mont_mul(&mut tmp, &acc, base_mont, &mut scratch);
                core::mem::swap(&mut acc, &mut tmp);
            }
        }
        Some(acc)
    }
}

/// The bits of a big-endian exponent from the most significant one down, leading zeros skipped.
fn exponent_bits(exponent: &[u8]) -> impl Iterator<Item = bool> + '_ {
    exponent
        .iter()
        .flat_map(|byte| (0..8).rev().map(move |shift| (byte >> shift) & 1 == 1))
        .skip_while(|bit| !bit)
}

/// `a·b·R⁻¹ mod m` for a modulus of a size known at compile time (the EC fields): the same loop as [`Modulus::mont_mul`], unrolled by the compiler and free of
/// bounds checks, which makes verification several times faster. Branch-free.
pub fn mont_mul_fixed<const N: usize>(
    a: &[u32; N],
    b: &[u32; N],
    m: &[u32; N],
    m_inv: u32,
) -> [u32; N] {
    let mut t = [0u32; N];
    // t[N]; the same merged product-and-reduction pass as `Modulus::mont_mul`.
    let mut t_high = 0u32;
    for &bi in b {
        let bi = u64::from(bi);
        let s0 = u64::from(t[0]) + u64::from(a[0]) * bi;
        let q = u64::from((s0 as u32).wrapping_mul(m_inv));
        let mut c1 = s0 >> 32;
        let mut c2 = (u64::from(s0 as u32) + q * u64::from(m[0])) >> 32;
        for j in 1..N {
            let s = u64::from(t[j]) + u64::from(a[j]) * bi + c1;
            c1 = s >> 32;
            let r = u64::from(s as u32) + q * u64::from(m[j]) + c2;
            c2 = r >> 32;
            t[j - 1] = r as u32;
        }
        let s = u64::from(t_high) + c1 + c2;
        t[N - 1] = s as u32;
        t_high = (s >> 32) as u32;
    }
    let mut reduced = [0u32; N];
    let borrow = sub_into(&mut reduced, &t, m);
    let keep_t = mask(borrow & !t_high & 1);
    for (r, &x) in reduced.iter_mut().zip(&t) {
        *r = (x & keep_t) | (*r & !keep_t);
    }
    reduced
}

/// `out = a - b` over `out.len()` limbs; the borrow out.
fn sub_into(out: &mut [u32], a: &[u32], b: &[u32]) -> u32 {
    let mut borrow = 0u64;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let d = u64::from(x).wrapping_sub(u64::from(y)).wrapping_sub(borrow);
        *o = d as u32;
        borrow = (d >> 63) & 1;
    }
    borrow as u32
}

/// All ones when `bit` is 1, zero when it is 0.
pub fn mask(bit: u32) -> u32 {
    0u32.wrapping_sub(bit & 1)
}

/// `a⁻¹ mod m` for an odd prime `m` and `0 < a < m`, by the binary extended Euclidean algorithm
/// (HAC 14.61 adapted to an odd modulus). Variable-time: public operands only.
pub fn inv_mod_vartime(a: &[u32], m: &[u32]) -> Option<Vec<u32>> {
    let n = m.len();
    if is_zero(a) || cmp_vartime(a, m) != Ordering::Less || m.first()? & 1 == 0 {
        return None;
    }
    // Invariants: x1·a ≡ u and x2·a ≡ v (mod m), with u, v > 0.
    let mut u = a.to_vec();
    u.resize(n, 0);
    let mut v = m.to_vec();
    let mut x1 = vec![0u32; n + 1];
    x1[0] = 1;
    let mut x2 = vec![0u32; n + 1];
    let one = |x: &[u32]| x.first() == Some(&1) && x.iter().skip(1).all(|&l| l == 0);
    while !one(&u) && !one(&v) {
        if is_zero(&u) || is_zero(&v) {
            return None; // gcd(a, m) > 1
        }
        halve_while_even(&mut u, &mut x1, m);
        halve_while_even(&mut v, &mut x2, m);
        if cmp_vartime(&u, &v) != Ordering::Less {
            sub_assign(&mut u, &v);
            sub_mod(&mut x1, &x2, m);
        } else {
            sub_assign(&mut v, &u);
            sub_mod(&mut x2, &x1, m);
        }
    }
    let mut out = if one(&u) { x1 } else { x2 };
    out.truncate(n);
    Some(out)
}

/// While `u` is even: `u /= 2` and `x = x/2 mod m` (adding the odd `m` first when `x` is odd).
fn halve_while_even(u: &mut [u32], x: &mut [u32], m: &[u32]) {
    while u.first().is_some_and(|l| l & 1 == 0) && !is_zero(u) {
        shr1(u);
        if x.first().is_some_and(|l| l & 1 == 1) {
            add_assign(x, m);
        }
        shr1(x);
    }
}

/// `x = (x - y) mod m` for `x, y < m`.
fn sub_mod(x: &mut [u32], y: &[u32], m: &[u32]) {
    if sub_assign(x, y) == 1 {
        // x − y + 2^(32·len) + m wraps around to x − y + m, which is below m.
        add_assign(x, m);
    }
}

/// `a >>= 1` in place.
pub fn shr1(a: &mut [u32]) {
    for i in 0..a.len() {
        let high = a.get(i + 1).map_or(0, |h| h << 31);
        a[i] = (a[i] >> 1) | high;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift): tests need many numbers, not secrets.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u32 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 16) as u32
        }
        fn limbs(&mut self, n: usize) -> Vec<u32> {
            (0..n).map(|_| self.next()).collect()
        }
    }

    fn to_u128(a: &[u32]) -> u128 {
        a.iter()
            .rev()
            .fold(0u128, |acc, &l| (acc << 32) | u128::from(l))
    }

    #[test]
    fn remainder_agrees_with_u128_arithmetic() {
        let mut rng = Rng(7);
        for _ in 0..20_000 {
            let a = rng.limbs(4);
            let len = 1 + (rng.next() % 3) as usize;
            let mut m = rng.limbs(len);
            // Exercise small top limbs (normalisation shifts) and the add-back step.
            if rng.next().is_multiple_of(2) {
                if let Some(top) = m.last_mut() {
                    *top >>= rng.next() % 32;
                }
            }
            if is_zero(&m) {
                continue;
            }
            let r = rem_vartime(&a, &m).unwrap();
            assert_eq!(to_u128(&r), to_u128(&a) % to_u128(&m), "{a:?} mod {m:?}");
        }
    }

    #[test]
    fn remainder_satisfies_the_division_identity_on_large_numbers() {
        // a = q·m + r with r < m, checked with our own multiplication: q = (a - r) / m must be
        // exact, so (a - r) must be a multiple of m; check via a + (m - r) ≡ 0 style identity:
        // r < m and m divides a - r ⇔ rem(a - r, m) == 0.
        let mut rng = Rng(11);
        for _ in 0..300 {
            let len = 1 + (rng.next() % 20) as usize;
            let m = rng.limbs(len);
            let len = 1 + (rng.next() % 20) as usize;
            let q = rng.limbs(len);
            if is_zero(&m) {
                continue;
            }
            let mut r = rng.limbs(m.len());
            while cmp_vartime(&r, &m) != Ordering::Less {
                shr1(&mut r);
            }
            let mut a = mul(&q, &m);
            a.push(0);
            add_assign(&mut a, &r);
            let got = rem_vartime(&a, &m).unwrap();
            assert_eq!(cmp_vartime(&got, &r), Ordering::Equal);
        }
    }

    #[test]
    fn montgomery_product_matches_multiply_then_divide() {
        let mut rng = Rng(3);
        for n in [1usize, 2, 8, 12, 17, 64] {
            for _ in 0..50 {
                let mut m = rng.limbs(n);
                m[0] |= 1;
                m[n - 1] |= 1 << 31;
                let Some(modulus) = Modulus::new(m.clone()) else {
                    continue;
                };
                let a = rem_vartime(&rng.limbs(n), &m).unwrap();
                let b = rem_vartime(&rng.limbs(n), &m).unwrap();
                let (am, bm) = (
                    modulus.to_mont_vartime(&a).unwrap(),
                    modulus.to_mont_vartime(&b).unwrap(),
                );
                let mut prod = vec![0u32; n];
                modulus.mont_mul(&mut prod, &am, &bm, &mut vec![0u32; n + 2]);
                let expected = rem_vartime(&mul(&a, &b), &m).unwrap();
                assert_eq!(modulus.from_mont(&prod), expected);
            }
        }
    }

    #[test]
    fn power_matches_repeated_multiplication() {
        let m = vec![0xffff_fffb, 0x1234_5679]; // odd
        let modulus = Modulus::new(m.clone()).unwrap();
        let base = vec![0x0bad_cafe, 0x0123_4567];
        let mut expected = vec![1u32, 0];
        for _ in 0..554 {
            expected = rem_vartime(&mul(&expected, &base), &m).unwrap();
        }
        let exponent = 554u32.to_be_bytes();
        assert_eq!(modulus.pow_vartime(&base, &exponent).unwrap(), expected);
    }

    #[test]
    fn inverse_times_value_is_one() {
        // P-256's group order, a prime.
        let n = from_be_bytes(
            &[
                0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2,
                0xfc, 0x63, 0x25, 0x51,
            ],
            8,
        )
        .unwrap();
        let mut rng = Rng(5);
        for _ in 0..200 {
            let a = rem_vartime(&rng.limbs(8), &n).unwrap();
            if is_zero(&a) {
                continue;
            }
            let inv = inv_mod_vartime(&a, &n).unwrap();
            let product = rem_vartime(&mul(&a, &inv), &n).unwrap();
            assert_eq!(product[0], 1);
            assert!(product[1..].iter().all(|&l| l == 0));
        }
        assert!(inv_mod_vartime(&[0; 8], &n).is_none());
        assert!(inv_mod_vartime(&n, &n).is_none());
    }

    #[test]
    fn bytes_round_trip_and_overflow_is_refused() {
        let bytes = [0u8, 0, 1, 2, 3, 4, 5];
        let limbs = from_be_bytes(&bytes, 2).unwrap();
        assert_eq!(limbs, vec![0x0203_0405, 0x01]);
        assert_eq!(to_be_bytes(&limbs, 5).unwrap(), vec![1, 2, 3, 4, 5]);
        assert!(to_be_bytes(&limbs, 4).is_none());
        assert!(from_be_bytes(&[1; 9], 2).is_none());
        assert_eq!(bit_len(&limbs), 33);
    }
}
