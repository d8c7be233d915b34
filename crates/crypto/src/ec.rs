//! The NIST prime curves P-256, P-384 and P-521 (SP 800-186 §3.2.1; parameters as OpenSSL prints
//! them with `openssl ecparam -param_enc explicit`), all of the form y² = x³ − 3x + b over GF(p)
//! with prime order and p ≡ 3 (mod 4):
//!
//! - ECDSA verification (SEC 1 v2 §4.1.4; FIPS 186-5 §6.4.2) in Jacobian<N> coordinates with the
//!   a = −3 doubling (dbl-2001-b) and addition (add-2007-bl) of the Explicit-Formulas Database,
//!   `u1·G + u2·Q` by interleaved width-w NAF with a cached table of odd multiples of G.
//!   Everything there is public, so it branches freely.
//! - The public key of a private scalar (`d·G`), for matching a key file to a certificate:
//!   a Montgomery ladder over every bit of the order with the complete projective addition of
//!   Renes, Costello and Batina (2016, Algorithm 4), conditional swaps by mask, and a Fermat
//!   inversion with the public exponent p − 2: no branch or memory access depends on `d`.
//! - SEC1 point decoding (§2.3.4: uncompressed and compressed) with the on-curve check.
#![allow(clippy::indexing_slicing)]

use crate::bignum::{self, mask, Modulus};
use std::sync::OnceLock;

/// A field element (Montgomery form, or a plain residue for P-384: see [`is_p384`]), N 32-bit
/// limbs (P-256: 8, P-384: 12, P-521: 17). The limb count is a compile-time constant so the
/// arithmetic loops unroll and lose their bounds checks, which is most of the speed of
/// verification.
type Fe<const N: usize> = [u32; N];

/// A named curve with its constants in the Montgomery domain of p.
#[derive(Debug)]
pub struct Arith<const N: usize> {
    name: &'static str,
    /// Bytes of a field element or scalar in SEC1 encodings.
    bytes: usize,
    p: Modulus,
    /// p again, as a field-sized array for the fixed-size multiplication.
    p_fe: Fe<N>,
    n: Vec<u32>,
    n_bits: usize,
    b: Fe<N>,
    one: Fe<N>,
    g: Jacobian<N>,
    /// p − 2 and (p + 1)/4, the public exponents of inversion and square root.
    p_minus_2: Vec<u32>,
    p_plus_1_over_4: Vec<u32>,
    /// n − p < 0 for these curves; `Some(n)` as a field element where r + n < p is possible.
    n_as_field: Fe<N>,
    g_table: OnceLock<Vec<Jacobian<N>>>,
}

/// Curve parameters, big-endian hex.
struct Parameters {
    name: &'static str,
    p: &'static str,
    b: &'static str,
    gx: &'static str,
    gy: &'static str,
    n: &'static str,
}

const P256: Parameters = Parameters {
    name: "P-256",
    p: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    b: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
    gx: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
    gy: "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    n: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
};

const P384: Parameters = Parameters {
    name: "P-384",
    p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
    b: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
    gx: "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
    gy: "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
    n: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
};

const P521: Parameters = Parameters {
    name: "P-521",
    p: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    b: "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
    gx: "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
    gy: "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
    n: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
};

/// One of the supported curves.
#[derive(Debug)]
pub enum Curve {
    P256(Arith<8>),
    P384(Arith<12>),
    P521(Arith<17>),
}

/// The curve named by a SEC 2 / RFC 5480 OID, or by its NIST name.
pub fn curve(name_or_oid: &str) -> Option<&'static Curve> {
    static P256_CURVE: OnceLock<Option<Curve>> = OnceLock::new();
    static P384_CURVE: OnceLock<Option<Curve>> = OnceLock::new();
    static P521_CURVE: OnceLock<Option<Curve>> = OnceLock::new();
    match name_or_oid {
        "P-256" | "1.2.840.10045.3.1.7" => P256_CURVE
            .get_or_init(|| Arith::new(&P256).map(Curve::P256))
            .as_ref(),
        "P-384" | "1.3.132.0.34" => P384_CURVE
            .get_or_init(|| Arith::new(&P384).map(Curve::P384))
            .as_ref(),
        "P-521" | "1.3.132.0.35" => P521_CURVE
            .get_or_init(|| Arith::new(&P521).map(Curve::P521))
            .as_ref(),
        _ => None,
    }
}

macro_rules! dispatch {
    ($self:ident, $arith:ident => $body:expr) => {
        match $self {
            Curve::P256($arith) => $body,
            Curve::P384($arith) => $body,
            Curve::P521($arith) => $body,
        }
    };
}

impl Curve {
    pub fn name(&self) -> &'static str {
        dispatch!(self, a => a.name)
    }

    /// A SEC1 point (§2.3.4), uncompressed or compressed, validated (on the curve, coordinates
    /// below p, not the identity) and returned in the uncompressed form `04‖X‖Y`.
    pub fn normalize_point(&self, sec1: &[u8]) -> Option<Vec<u8>> {
        dispatch!(self, a => a.decode_point(sec1).and_then(|p| a.encode_point(&p)))
    }

    /// ECDSA verification (SEC 1 §4.1.4) of the signature `(r, s)` (big-endian magnitudes) over
    /// a message digest, with a public key in SEC1 form; `None` when the key is not a valid point.
    pub fn ecdsa_verify(&self, sec1: &[u8], digest: &[u8], r: &[u8], s: &[u8]) -> Option<bool> {
        dispatch!(self, a => a.decode_point(sec1).map(|q| a.ecdsa_verify(&q, digest, r, s)))
    }

    /// The uncompressed SEC1 public key `d·G` of a private scalar (big-endian); `None` unless
    /// 0 < d < n. Constant-time in `d`.
    pub fn public_from_private(&self, scalar: &[u8]) -> Option<Vec<u8>> {
        dispatch!(self, a => a.public_from_private(scalar).and_then(|p| a.encode_point(&p)))
    }
}

fn hex_limbs(hex: &str, limbs: usize) -> Option<Vec<u32>> {
    let bytes: Option<Vec<u8>> = hex
        .as_bytes()
        .chunks(2)
        .map(|pair| {
            let text = core::str::from_utf8(pair).ok()?;
            u8::from_str_radix(text, 16).ok()
        })
        .collect();
    bignum::from_be_bytes(&bytes?, limbs)
}

fn fe<const N: usize>(limbs: &[u32]) -> Fe<N> {
    core::array::from_fn(|i| limbs.get(i).copied().unwrap_or(0))
}

/// Whether N-limb elements are P-384's: plain residues multiplied with the special-form
/// reduction of [`crate::p384`]. The other curves' elements are in Montgomery form. Decided by
/// the limb count at compile time, so each curve's code holds one multiplication only;
/// `Arith::new` refuses 12 limbs for any prime but P-384's.
const fn is_p384<const N: usize>() -> bool {
    N == 12
}

/// The field element of an integer below p, in the representation of N-limb elements.
fn to_field_form<const N: usize>(p: &Modulus, limbs: &[u32]) -> Option<Fe<N>> {
    if is_p384::<N>() {
        Some(fe(&bignum::rem_vartime(limbs, p.limbs())?))
    } else {
        Some(fe(&p.to_mont_vartime(limbs)?))
    }
}

/// A 12-limb element as P-384's array type; `None` for the other sizes (decided at compile
/// time for each N, so the other curves pay nothing for the P-384 path).
fn as_p384<const N: usize>(a: &Fe<N>) -> Option<&[u32; 12]> {
    <&[u32; 12]>::try_from(a.as_slice()).ok()
}

impl<const N: usize> Arith<N> {
    fn new(parameters: &Parameters) -> Option<Arith<N>> {
        let bytes = parameters.p.len() / 2;
        let limbs = N;
        if bytes.div_ceil(4) != N {
            return None;
        }
        let p_limbs = hex_limbs(parameters.p, limbs)?;
        // The representation follows the limb count (`is_p384`): 12 limbs must be P-384's prime.
        if is_p384::<N>() && p_limbs != crate::p384::P {
            return None;
        }
        let p = Modulus::new(p_limbs.clone())?;
        let field_element = |limbs: &[u32]| to_field_form::<N>(&p, limbs);
        let from_hex = |hex: &str| field_element(&hex_limbs(hex, limbs)?);
        let n = hex_limbs(parameters.n, limbs)?;
        let mut p_minus_2 = p_limbs.clone();
        bignum::sub_assign(&mut p_minus_2, &[2]);
        let mut p_plus_1 = p_limbs.clone();
        p_plus_1.push(0);
        bignum::add_assign(&mut p_plus_1, &[1]);
        let mut p_plus_1_over_4 = p_plus_1;
        bignum::shr1(&mut p_plus_1_over_4);
        bignum::shr1(&mut p_plus_1_over_4);
        let one = field_element(&[1])?;
        let curve = Arith {
            name: parameters.name,
            bytes,
            n_bits: bignum::bit_len(&n),
            n_as_field: field_element(&n)?,
            n,
            b: from_hex(parameters.b)?,
            one,
            g: Jacobian {
                x: from_hex(parameters.gx)?,
                y: from_hex(parameters.gy)?,
                z: one,
            },
            p_fe: fe(&p_limbs),
            p,
            p_minus_2,
            p_plus_1_over_4,
            g_table: OnceLock::new(),
        };
        Some(curve)
    }

    // --- GF(p), every operation branch-free ---

    fn mul(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        if let (Some(a12), Some(b12)) = (as_p384(a), as_p384(b)) {
            return fe(&crate::p384::mul(a12, b12));
        }
        bignum::mont_mul_fixed(a, b, &self.p_fe, self.p.m_inv())
    }

    fn sqr(&self, a: &Fe<N>) -> Fe<N> {
        if let Some(a12) = as_p384(a) {
            return fe(&crate::p384::sqr(a12));
        }
        self.mul(a, a)
    }

    /// The field element of an integer below p (into Montgomery form where the curve uses it).
    fn field_element(&self, limbs: &[u32]) -> Option<Fe<N>> {
        to_field_form::<N>(&self.p, limbs)
    }

    /// The integer of a field element, N limbs.
    fn field_integer(&self, a: &Fe<N>) -> Vec<u32> {
        if is_p384::<N>() {
            a.to_vec()
        } else {
            self.p.from_mont(a)
        }
    }

    fn add(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        let mut sum = *a;
        let carry = bignum::add_assign(&mut sum, b);
        let mut reduced = sum;
        let borrow = bignum::sub_assign(&mut reduced, &self.p_fe);
        // Keep the reduced value when the sum overflowed or is at least p.
        let take = mask(carry | (borrow ^ 1));
        select(&reduced, &sum, take)
    }

    fn sub(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        let mut diff = *a;
        let borrow = bignum::sub_assign(&mut diff, b);
        let mut wrapped = diff;
        bignum::add_assign(&mut wrapped, &self.p_fe);
        select(&wrapped, &diff, mask(borrow))
    }

    fn double_fe(&self, a: &Fe<N>) -> Fe<N> {
        self.add(a, a)
    }

    fn triple(&self, a: &Fe<N>) -> Fe<N> {
        self.add(&self.add(a, a), a)
    }

    /// `a^e` for a public exponent: the sequence of operations depends on `e` only.
    fn pow(&self, a: &Fe<N>, e: &[u32]) -> Fe<N> {
        let mut acc = self.one;
        for i in (0..bignum::bit_len(e)).rev() {
            acc = self.sqr(&acc);
            if bignum::bit(e, i) {
                acc = self.mul(&acc, a);
            }
        }
        acc
    }

    fn invert(&self, a: &Fe<N>) -> Fe<N> {
        self.pow(a, &self.p_minus_2)
    }

    fn is_zero(&self, a: &Fe<N>) -> bool {
        bignum::is_zero(a)
    }

    fn eq(&self, a: &Fe<N>, b: &Fe<N>) -> bool {
        a == b
    }

    /// A field element from exactly `bytes` big-endian bytes; `None` unless below p.
    fn fe_from_bytes(&self, bytes: &[u8]) -> Option<Fe<N>> {
        if bytes.len() != self.bytes {
            return None;
        }
        let limbs = bignum::from_be_bytes(bytes, N)?;
        if bignum::cmp_vartime(&limbs, self.p.limbs()) != core::cmp::Ordering::Less {
            return None;
        }
        self.field_element(&limbs)
    }

    fn fe_to_bytes(&self, a: &Fe<N>) -> Option<Vec<u8>> {
        bignum::to_be_bytes(&self.field_integer(a), self.bytes)
    }

    /// x³ − 3x + b.
    fn curve_rhs(&self, x: &Fe<N>) -> Fe<N> {
        let x3 = self.mul(&self.sqr(x), x);
        self.add(&self.sub(&x3, &self.triple(x)), &self.b)
    }

    // --- Points ---

    /// A SEC1 point (§2.3.4), uncompressed `04‖X‖Y` or compressed `02/03‖X`, on this curve and
    /// not the identity.
    pub fn decode_point(&self, sec1: &[u8]) -> Option<Affine<N>> {
        let (&tag, rest) = sec1.split_first()?;
        let point = match tag {
            0x04 if rest.len() == 2 * self.bytes => {
                let (x, y) = rest.split_at(self.bytes);
                let (x, y) = (self.fe_from_bytes(x)?, self.fe_from_bytes(y)?);
                (self.eq(&self.sqr(&y), &self.curve_rhs(&x))).then_some(Affine { x, y })?
            }
            0x02 | 0x03 if rest.len() == self.bytes => {
                let x = self.fe_from_bytes(rest)?;
                let rhs = self.curve_rhs(&x);
                // p ≡ 3 (mod 4): a square root of c is c^((p+1)/4) when c is a square.
                let y = self.pow(&rhs, &self.p_plus_1_over_4);
                if !self.eq(&self.sqr(&y), &rhs) {
                    return None;
                }
                let odd = self.field_integer(&y).first()? & 1 == 1;
                let y = if odd == (tag == 0x03) {
                    y
                } else {
                    self.sub(&[0; N], &y)
                };
                Affine { x, y }
            }
            _ => return None,
        };
        Some(point)
    }

    /// The uncompressed SEC1 encoding `04‖X‖Y`.
    pub fn encode_point(&self, point: &Affine<N>) -> Option<Vec<u8>> {
        let mut out = vec![0x04];
        out.extend(self.fe_to_bytes(&point.x)?);
        out.extend(self.fe_to_bytes(&point.y)?);
        Some(out)
    }

    fn jacobian(&self, point: &Affine<N>) -> Jacobian<N> {
        Jacobian {
            x: point.x,
            y: point.y,
            z: self.one,
        }
    }

    /// dbl-2001-b (a = −3): 3M + 5S.
    fn double(&self, p: &Jacobian<N>) -> Jacobian<N> {
        if self.is_zero(&p.z) {
            return *p;
        }
        let delta = self.sqr(&p.z);
        let gamma = self.sqr(&p.y);
        let beta = self.mul(&p.x, &gamma);
        let alpha = self.triple(&self.mul(&self.sub(&p.x, &delta), &self.add(&p.x, &delta)));
        let beta4 = self.double_fe(&self.double_fe(&beta));
        let x = self.sub(&self.sqr(&alpha), &self.double_fe(&beta4));
        let z = self.sub(&self.sub(&self.sqr(&self.add(&p.y, &p.z)), &gamma), &delta);
        let gamma_sq8 = self.double_fe(&self.double_fe(&self.double_fe(&self.sqr(&gamma))));
        let y = self.sub(&self.mul(&alpha, &self.sub(&beta4, &x)), &gamma_sq8);
        Jacobian { x, y, z }
    }

    /// add-2007-bl: 11M + 5S, with the special cases (identity, doubling, inverse) handled.
    fn add_points(&self, p: &Jacobian<N>, q: &Jacobian<N>) -> Jacobian<N> {
        if self.is_zero(&p.z) {
            return *q;
        }
        if self.is_zero(&q.z) {
            return *p;
        }
        if self.eq(&q.z, &self.one) {
            return self.add_affine(p, q);
        }
        let z1z1 = self.sqr(&p.z);
        let z2z2 = self.sqr(&q.z);
        let u1 = self.mul(&p.x, &z2z2);
        let u2 = self.mul(&q.x, &z1z1);
        let s1 = self.mul(&self.mul(&p.y, &q.z), &z2z2);
        let s2 = self.mul(&self.mul(&q.y, &p.z), &z1z1);
        let h = self.sub(&u2, &u1);
        let r = self.double_fe(&self.sub(&s2, &s1));
        if self.is_zero(&h) {
            return if self.is_zero(&r) {
                self.double(p)
            } else {
                Jacobian::IDENTITY
            };
        }
        let i = self.sqr(&self.double_fe(&h));
        let j = self.mul(&h, &i);
        let v = self.mul(&u1, &i);
        let x = self.sub(&self.sub(&self.sqr(&r), &j), &self.double_fe(&v));
        let y = self.sub(
            &self.mul(&r, &self.sub(&v, &x)),
            &self.double_fe(&self.mul(&s1, &j)),
        );
        let zsum = self.sqr(&self.add(&p.z, &q.z));
        let z = self.mul(&self.sub(&self.sub(&zsum, &z1z1), &z2z2), &h);
        Jacobian { x, y, z }
    }

    /// madd-2007-bl, the addition of a point with Z = 1 (the cached multiples of G, and Q
    /// itself): 7M + 4S instead of 11M + 5S. `p` is not the identity.
    fn add_affine(&self, p: &Jacobian<N>, q: &Jacobian<N>) -> Jacobian<N> {
        let z1z1 = self.sqr(&p.z);
        let u2 = self.mul(&q.x, &z1z1);
        let s2 = self.mul(&self.mul(&q.y, &p.z), &z1z1);
        let h = self.sub(&u2, &p.x);
        let r = self.double_fe(&self.sub(&s2, &p.y));
        if self.is_zero(&h) {
            return if self.is_zero(&r) {
                self.double(p)
            } else {
                Jacobian::IDENTITY
            };
        }
        let hh = self.sqr(&h);
        let i = self.double_fe(&self.double_fe(&hh));
        let j = self.mul(&h, &i);
        let v = self.mul(&p.x, &i);
        let x = self.sub(&self.sub(&self.sqr(&r), &j), &self.double_fe(&v));
        let y = self.sub(
            &self.mul(&r, &self.sub(&v, &x)),
            &self.double_fe(&self.mul(&p.y, &j)),
        );
        let z = self.sub(&self.sub(&self.sqr(&self.add(&p.z, &h)), &z1z1), &hh);
        Jacobian { x, y, z }
    }

    /// The same points with Z = 1, by one inversion for all (Montgomery's simultaneous
    /// inversion: prefix products, one inverse, then back). None of the points is the identity.
    fn with_unit_z(&self, points: &[Jacobian<N>]) -> Vec<Jacobian<N>> {
        let mut prefix = Vec::with_capacity(points.len());
        let mut running = self.one;
        for point in points {
            prefix.push(running);
            running = self.mul(&running, &point.z);
        }
        let mut inverse = self.invert(&running);
        let mut out = vec![Jacobian::IDENTITY; points.len()];
        for (i, point) in points.iter().enumerate().rev() {
            let z_inv = self.mul(&inverse, &prefix[i]);
            inverse = self.mul(&inverse, &point.z);
            let z_inv2 = self.sqr(&z_inv);
            out[i] = Jacobian {
                x: self.mul(&point.x, &z_inv2),
                y: self.mul(&point.y, &self.mul(&z_inv2, &z_inv)),
                z: self.one,
            };
        }
        out
    }

    fn negate(&self, p: &Jacobian<N>) -> Jacobian<N> {
        Jacobian {
            y: self.sub(&[0; N], &p.y),
            ..*p
        }
    }

    /// P, 3P, 5P, …, (2^(w−1) − 1)P.
    fn odd_multiples(&self, p: &Jacobian<N>, window: u32) -> Vec<Jacobian<N>> {
        let twice = self.double(p);
        let mut table = vec![*p];
        for i in 1..(1usize << (window - 2)) {
            let next = self.add_points(&table[i - 1], &twice);
            table.push(next);
        }
        table
    }

    fn add_naf_digit(&self, acc: &Jacobian<N>, digit: i8, table: &[Jacobian<N>]) -> Jacobian<N> {
        let entry = &table[usize::from(digit.unsigned_abs() / 2)];
        if digit > 0 {
            self.add_points(acc, entry)
        } else {
            self.add_points(acc, &self.negate(entry))
        }
    }

    /// `a·G + b·Q`, variable-time (public scalars and points only).
    fn double_scalar_mul_vartime(&self, a: &[u32], b: &[u32], q: &Affine<N>) -> Jacobian<N> {
        const G_WINDOW: u32 = 7;
        const Q_WINDOW: u32 = 5;
        let g_table = self
            .g_table
            .get_or_init(|| self.with_unit_z(&self.odd_multiples(&self.g, G_WINDOW)));
        let q_table = self.odd_multiples(&self.jacobian(q), Q_WINDOW);
        let (a_naf, b_naf) = (wnaf(a, G_WINDOW), wnaf(b, Q_WINDOW));
        let mut acc = Jacobian::IDENTITY;
        for i in (0..a_naf.len().max(b_naf.len())).rev() {
            acc = self.double(&acc);
            if let Some(&d) = a_naf.get(i).filter(|d| **d != 0) {
                acc = self.add_naf_digit(&acc, d, g_table);
            }
            if let Some(&d) = b_naf.get(i).filter(|d| **d != 0) {
                acc = self.add_naf_digit(&acc, d, &q_table);
            }
        }
        acc
    }

    /// ECDSA verification (SEC 1 §4.1.4) of `(r, s)` over a message digest with public key `q`.
    pub fn ecdsa_verify(&self, q: &Affine<N>, digest: &[u8], r: &[u8], s: &[u8]) -> bool {
        let scalar = |bytes: &[u8]| {
            let v = bignum::from_be_bytes(bytes, N)?;
            let in_range = !bignum::is_zero(&v)
                && bignum::cmp_vartime(&v, &self.n) == core::cmp::Ordering::Less;
            in_range.then_some(v)
        };
        let (Some(r), Some(s)) = (scalar(r), scalar(s)) else {
            return false;
        };
        let Some(e) = self.digest_scalar(digest) else {
            return false;
        };
        let Some(w) = bignum::inv_mod_vartime(&s, &self.n) else {
            return false;
        };
        let (Some(u1), Some(u2)) = (
            bignum::rem_vartime(&bignum::mul(&e, &w), &self.n),
            bignum::rem_vartime(&bignum::mul(&r, &w), &self.n),
        ) else {
            return false;
        };
        let point = self.double_scalar_mul_vartime(&u1, &u2, q);
        if self.is_zero(&point.z) {
            return false;
        }
        // x(R) = X/Z² ≡ r (mod n): since n < p, either x = r, or x = r + n when r + n < p.
        // Compare X with r·Z² (and (r+n)·Z²) instead of inverting Z.
        let Some(r_field) = self.field_element(&r) else {
            return false;
        };
        let z2 = self.sqr(&point.z);
        if self.eq(&self.mul(&r_field, &z2), &point.x) {
            return true;
        }
        let mut r_plus_n = r.clone();
        r_plus_n.push(0);
        bignum::add_assign(&mut r_plus_n, &self.n);
        bignum::cmp_vartime(&r_plus_n, self.p.limbs()) == core::cmp::Ordering::Less
            && self.eq(
                &self.mul(&self.add(&r_field, &self.n_as_field), &z2),
                &point.x,
            )
    }

    /// The leftmost `n_bits` bits of the digest as an integer, reduced mod n (SEC 1 §4.1.3
    /// step 5, §4.1.4 step 3).
    fn digest_scalar(&self, digest: &[u8]) -> Option<Vec<u32>> {
        let mut e = bignum::from_be_bytes(digest, digest.len().div_ceil(4).max(1))?;
        let excess = (digest.len() * 8).saturating_sub(self.n_bits);
        for _ in 0..excess {
            bignum::shr1(&mut e);
        }
        bignum::rem_vartime(&e, &self.n)
    }

    /// `d·G` for a private scalar given as big-endian bytes; `None` unless 0 < d < n.
    /// Constant-time in `d` (see the module documentation).
    pub fn public_from_private(&self, scalar: &[u8]) -> Option<Affine<N>> {
        let d = bignum::from_be_bytes(scalar, N)?;
        if bignum::is_zero(&d) || bignum::cmp_vartime(&d, &self.n) != core::cmp::Ordering::Less {
            return None;
        }
        let base = Projective {
            x: self.g.x,
            y: self.g.y,
            z: self.one,
        };
        let mut r0 = Projective {
            x: [0; N],
            y: self.one,
            z: [0; N],
        };
        let mut r1 = base;
        for i in (0..self.n_bits).rev() {
            let bit = mask(d[i / 32] >> (i % 32));
            swap(&mut r0, &mut r1, bit);
            r1 = self.add_complete(&r0, &r1);
            r0 = self.add_complete(&r0, &r0);
            swap(&mut r0, &mut r1, bit);
        }
        if self.is_zero(&r0.z) {
            return None;
        }
        let z_inv = self.invert(&r0.z);
        Some(Affine {
            x: self.mul(&r0.x, &z_inv),
            y: self.mul(&r0.y, &z_inv),
        })
    }

    /// Renes–Costello–Batina 2016, Algorithm 4: complete addition for a = −3 in homogeneous
    /// projective coordinates, valid for every pair of inputs including P + P and the identity.
    fn add_complete(&self, p: &Projective<N>, q: &Projective<N>) -> Projective<N> {
        let xx = self.mul(&p.x, &q.x);
        let yy = self.mul(&p.y, &q.y);
        let zz = self.mul(&p.z, &q.z);
        let xy = self.sub(
            &self.mul(&self.add(&p.x, &p.y), &self.add(&q.x, &q.y)),
            &self.add(&xx, &yy),
        );
        let yz = self.sub(
            &self.mul(&self.add(&p.y, &p.z), &self.add(&q.y, &q.z)),
            &self.add(&yy, &zz),
        );
        let xz = self.sub(
            &self.mul(&self.add(&p.x, &p.z), &self.add(&q.x, &q.z)),
            &self.add(&xx, &zz),
        );
        let bzz3 = self.triple(&self.sub(&xz, &self.mul(&self.b, &zz)));
        let yy_minus = self.sub(&yy, &bzz3);
        let yy_plus = self.add(&yy, &bzz3);
        let zz3 = self.triple(&zz);
        let bxz3 = self.triple(&self.sub(&self.sub(&self.mul(&self.b, &xz), &zz3), &xx));
        let xx3_minus_zz3 = self.sub(&self.triple(&xx), &zz3);
        Projective {
            x: self.sub(&self.mul(&yy_plus, &xy), &self.mul(&yz, &bxz3)),
            y: self.add(
                &self.mul(&yy_plus, &yy_minus),
                &self.mul(&xx3_minus_zz3, &bxz3),
            ),
            z: self.add(&self.mul(&yy_minus, &yz), &self.mul(&xy, &xx3_minus_zz3)),
        }
    }
}

/// A point in affine coordinates (field elements as [`Fe`]), never the identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Affine<const N: usize> {
    x: Fe<N>,
    y: Fe<N>,
}

/// (X, Y, Z) ↦ (X/Z², Y/Z³); Z = 0 is the identity.
#[derive(Debug, Clone, Copy)]
struct Jacobian<const N: usize> {
    x: Fe<N>,
    y: Fe<N>,
    z: Fe<N>,
}

impl<const N: usize> Jacobian<N> {
    const IDENTITY: Jacobian<N> = Jacobian {
        x: [0; N],
        y: [0; N],
        z: [0; N],
    };
}

/// (X, Y, Z) ↦ (X/Z, Y/Z); (0, 1, 0) is the identity.
#[derive(Debug, Clone, Copy)]
struct Projective<const N: usize> {
    x: Fe<N>,
    y: Fe<N>,
    z: Fe<N>,
}

fn select<const N: usize>(when_set: &Fe<N>, otherwise: &Fe<N>, m: u32) -> Fe<N> {
    let mut out = [0u32; N];
    for ((o, &a), &b) in out.iter_mut().zip(when_set).zip(otherwise) {
        *o = (a & m) | (b & !m);
    }
    out
}

fn swap<const N: usize>(a: &mut Projective<N>, b: &mut Projective<N>, m: u32) {
    for (x, y) in [
        (&mut a.x, &mut b.x),
        (&mut a.y, &mut b.y),
        (&mut a.z, &mut b.z),
    ] {
        for (p, q) in x.iter_mut().zip(y.iter_mut()) {
            let t = (*p ^ *q) & m;
            *p ^= t;
            *q ^= t;
        }
    }
}

/// Width-`w` non-adjacent form, least significant digit first: odd digits in
/// (−2^(w−1), 2^(w−1)) separated by at least w − 1 zeros (Hankerson–Menezes–Vanstone, Alg. 3.35).
fn wnaf(k: &[u32], w: u32) -> Vec<i8> {
    let bits = bignum::bit_len(k);
    let width = 1u32 << w;
    let mut digits = vec![0i8; bits + 1];
    let mut carry = 0u32;
    let mut pos = 0usize;
    while pos <= bits {
        let window = carry
            + (0..w)
                .map(|j| u32::from(bignum::bit(k, pos + j as usize)) << j)
                .sum::<u32>();
        if window & 1 == 0 {
            // Even: this position's digit is zero; a pending carry moves up with us.
            pos += 1;
            continue;
        }
        let digit = if window < width / 2 {
            carry = 0;
            window as i32
        } else {
            carry = 1;
            window as i32 - width as i32
        };
        digits[pos] = digit as i8;
        pos += w as usize;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wnaf_value(digits: &[i8]) -> i128 {
        digits
            .iter()
            .rev()
            .fold(0i128, |acc, &d| acc * 2 + i128::from(d))
    }

    #[test]
    fn wnaf_digits_sum_to_the_scalar() {
        for k in [
            1u64,
            2,
            3,
            7,
            15,
            16,
            31,
            0xdead_beef,
            u64::MAX,
            0x8000_0000_0000_0001,
        ] {
            for w in [2, 4, 5, 7] {
                let limbs = [k as u32, (k >> 32) as u32];
                let digits = wnaf(&limbs, w);
                assert_eq!(wnaf_value(&digits), i128::from(k), "k={k} w={w}");
                let bound = 1i32 << (w - 1);
                assert!(digits
                    .iter()
                    .all(|&d| d == 0 || (d % 2 != 0 && i32::from(d).abs() < bound)));
            }
        }
    }

    /// Runs `check` on each curve's arithmetic with its published parameters.
    macro_rules! each_curve {
        ($check:ident) => {
            $check(&Arith::<8>::new(&P256).unwrap(), &P256);
            $check(&Arith::<12>::new(&P384).unwrap(), &P384);
            $check(&Arith::<17>::new(&P521).unwrap(), &P521);
        };
    }

    fn generator<const N: usize>(c: &Arith<N>) -> Affine<N> {
        Affine { x: c.g.x, y: c.g.y }
    }

    fn scalar<const N: usize>(c: &Arith<N>, value: u8) -> Vec<u8> {
        let mut bytes = vec![0u8; c.bytes];
        *bytes.last_mut().unwrap() = value;
        bytes
    }

    #[test]
    fn the_generator_is_on_its_curve_and_encodes_as_published() {
        fn check<const N: usize>(c: &Arith<N>, params: &Parameters) {
            let g = generator(c);
            let encoded = c.encode_point(&g).unwrap();
            let hex: String = encoded.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex, format!("04{}{}", params.gx, params.gy));
            assert_eq!(c.decode_point(&encoded), Some(g));
            // The compressed form decodes to the same point.
            let mut compressed = vec![0x02 | (encoded.last().unwrap() & 1)];
            compressed.extend(&encoded[1..=c.bytes]);
            assert_eq!(c.decode_point(&compressed), Some(g));
        }
        each_curve!(check);
    }

    #[test]
    fn one_times_g_is_g_and_n_minus_one_times_g_is_minus_g() {
        fn check<const N: usize>(c: &Arith<N>, _: &Parameters) {
            assert_eq!(c.public_from_private(&scalar(c, 1)), Some(generator(c)));
            let mut n_minus_1 = c.n.clone();
            bignum::sub_assign(&mut n_minus_1, &[1]);
            let bytes = bignum::to_be_bytes(&n_minus_1, c.bytes).unwrap();
            let minus_g = c.public_from_private(&bytes).unwrap();
            assert_eq!(minus_g.x, c.g.x);
            assert_eq!(minus_g.y, c.sub(&[0; N], &c.g.y));
            let n = bignum::to_be_bytes(&c.n, c.bytes).unwrap();
            assert!(c.public_from_private(&n).is_none());
            assert!(c.public_from_private(&scalar(c, 0)).is_none());
        }
        each_curve!(check);
    }

    #[test]
    fn jacobian_and_complete_formulas_agree() {
        fn check<const N: usize>(c: &Arith<N>, _: &Parameters) {
            // 5G by Jacobian double-and-add equals 5G by the ladder.
            let g = c.g;
            let five = c.add_points(&c.double(&c.double(&g)), &g);
            let z_inv = c.invert(&five.z);
            let z2 = c.sqr(&z_inv);
            let affine = Affine {
                x: c.mul(&five.x, &z2),
                y: c.mul(&five.y, &c.mul(&z2, &z_inv)),
            };
            assert_eq!(c.public_from_private(&scalar(c, 5)), Some(affine));
            // P + (−P) is the identity, P + P is the doubling.
            assert!(c.is_zero(&c.add_points(&g, &c.negate(&g)).z));
            let doubled = c.add_points(&g, &g);
            let expected = c.double(&g);
            assert!(c.eq(&doubled.x, &expected.x) && c.eq(&doubled.z, &expected.z));
        }
        each_curve!(check);
    }

    #[test]
    fn points_off_the_curve_or_out_of_range_are_refused() {
        let c = Arith::<8>::new(&P256).unwrap();
        let mut encoded = c.encode_point(&generator(&c)).unwrap();
        *encoded.last_mut().unwrap() ^= 1;
        assert!(c.decode_point(&encoded).is_none());
        assert!(c.decode_point(&[0x00]).is_none());
        assert!(c.decode_point(&[]).is_none());
        let mut p_as_x = vec![0x04];
        p_as_x.extend(bignum::to_be_bytes(c.p.limbs(), 32).unwrap());
        p_as_x.extend(vec![0u8; 32]);
        assert!(c.decode_point(&p_as_x).is_none());
        let curve = curve("P-256").unwrap();
        assert_eq!(curve.name(), "P-256");
        assert!(curve.normalize_point(&p_as_x).is_none());
        assert!(curve.ecdsa_verify(&p_as_x, &[0; 32], &[1], &[1]).is_none());
        // Whatever x = 0 gives, decoding must not panic.
        let _ = c.decode_point(&[&[0x02][..], &[0u8; 32]].concat());
    }
}
