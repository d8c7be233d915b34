//! A minimal, total DER reader (ITU-T X.690 §8, §10): enough to tell what a blob is and to read
//! the few fields the checks need, without trusting lengths and without recursion limits to
//! worry about (callers walk one level at a time).
//!
//! Two levels of strictness. [`read`] accepts any definite length, because keys and PKCS#12
//! files come from many encoders; [`read_strict`] and the `strict_*` value readers accept only
//! DER's single encoding of each value, for certificates, whose signatures cover the bytes.

/// One tag-length-value element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub value: &'a [u8],
}

pub const SEQUENCE: u8 = 0x30;
pub const INTEGER: u8 = 0x02;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const BIT_STRING: u8 = 0x03;
pub const NULL: u8 = 0x05;

/// Reads one element with a single-byte tag and a definite length (DER forbids the indefinite
/// form, §10.1). Returns the element and what follows it.
pub fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (tag, value, rest) = read_tag_and_length(input, false)?;
    Some((Tlv { tag, value }, rest))
}

/// The tag, the value and what follows of the element at the start of `input`: a single-byte
/// tag, a definite length of at most four octets. With `minimal_length`, the length must also
/// be in the fewest octets (§10.1, §8.1.3.5 note 2: the long form only from 128, without
/// leading zero octets).
fn read_tag_and_length(input: &[u8], minimal_length: bool) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let length = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let (bytes, after) = rest.split_at_checked(count)?;
        rest = after;
        let length = bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        if minimal_length && (bytes.first() == Some(&0) || length < 0x80) {
            return None;
        }
        length
    };
    let (value, rest) = rest.split_at_checked(length)?;
    Some((tag, value, rest))
}

/// One element as DER encodes it, with the exact bytes it occupies (tag and length included),
/// for the parts of a certificate that are hashed or compared byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<'a> {
    pub tag: u8,
    pub value: &'a [u8],
    pub raw: &'a [u8],
}

impl Element<'_> {
    /// X.690 §8.1.2.5: bit 6 of the identifier octet marks a constructed encoding.
    pub fn is_constructed(&self) -> bool {
        self.tag & 0x20 != 0
    }
}

/// Reads one element as DER requires it: a single-byte tag (certificates use no tag number
/// above 30) and a definite length in the fewest octets. Returns the element and what follows.
pub fn read_strict(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (tag, value, after) = read_tag_and_length(input, true)?;
    let raw = input.get(..input.len() - after.len())?;
    Some((Element { tag, value, raw }, after))
}

/// Every element of a constructed value read with [`read_strict`]; `None` if any is not DER
/// or bytes are left over.
pub fn children_strict(value: &[u8]) -> Option<Vec<Element<'_>>> {
    read_all(value, read_strict)
}

/// The whole input is exactly one DER element with `tag`.
pub fn only_strict(input: &[u8], tag: u8) -> Option<Element<'_>> {
    let (element, rest) = read_strict(input)?;
    (element.tag == tag && rest.is_empty()).then_some(element)
}

/// X.690 §11.1: a DER BOOLEAN is one octet, 0x00 or 0xFF.
pub fn strict_boolean(value: &[u8]) -> Option<bool> {
    match value {
        [0x00] => Some(false),
        [0xff] => Some(true),
        _ => None,
    }
}

/// X.690 §8.3.2: an INTEGER's contents are at least one octet, and the first nine bits are
/// never all zeros or all ones (the minimal two's complement form). Returns the contents.
pub fn strict_integer(value: &[u8]) -> Option<&[u8]> {
    match value {
        [] => None,
        [0x00, next, ..] if next & 0x80 == 0 => None,
        [0xff, next, ..] if next & 0x80 != 0 => None,
        _ => Some(value),
    }
}

/// A DER INTEGER that is non-negative and fits in a `u32` (versions, path lengths, skip counts).
pub fn strict_u32(value: &[u8]) -> Option<u32> {
    let value = strict_integer(value)?;
    u32::try_from(small_uint(value)?).ok()
}

/// A BIT STRING's contents (X.690 §8.6.2): the number of unused bits in the last octet, then
/// the octets. DER (§11.2.1) wants the unused bits zero, and none when there are no octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BitString<'a> {
    pub unused_bits: u8,
    pub bytes: &'a [u8],
}

impl BitString<'_> {
    /// Bit `n` of a named-bit list (X.680 §22.6: bit 0 is the high bit of the first octet).
    pub fn bit(&self, n: usize) -> bool {
        self.bytes
            .get(n / 8)
            .is_some_and(|byte| byte & (0x80 >> (n % 8)) != 0)
    }
}

pub fn strict_bit_string(value: &[u8]) -> Option<BitString<'_>> {
    let (&unused_bits, bytes) = value.split_first()?;
    let padding_is_zero = match bytes.last() {
        None => unused_bits == 0,
        Some(last) => unused_bits <= 7 && last.trailing_zeros() >= u32::from(unused_bits),
    };
    padding_is_zero.then_some(BitString { unused_bits, bytes })
}

/// X.690 §8.19.2: an OBJECT IDENTIFIER is at least one subidentifier, each in the fewest
/// octets (no leading 0x80) and ended by an octet with bit 8 clear.
pub fn is_strict_oid(value: &[u8]) -> bool {
    let mut at_start = true;
    for &byte in value {
        if at_start && byte == 0x80 {
            return false;
        }
        at_start = byte & 0x80 == 0;
    }
    !value.is_empty() && at_start
}

/// Reads an element that must have `tag`.
pub fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (tlv, rest) = read(input)?;
    (tlv.tag == tag).then_some((tlv.value, rest))
}

/// The elements of a constructed value, in order; `None` if any is malformed.
pub fn children(value: &[u8]) -> Option<Vec<Tlv<'_>>> {
    read_all(value, read)
}

/// `read_one` over `value` until nothing is left; `None` as soon as one read fails.
fn read_all<'a, T>(
    value: &'a [u8],
    read_one: impl Fn(&'a [u8]) -> Option<(T, &'a [u8])>,
) -> Option<Vec<T>> {
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let (item, after) = read_one(rest)?;
        out.push(item);
        rest = after;
    }
    Some(out)
}

/// The whole input is exactly one SEQUENCE; its children.
pub fn sequence(input: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let (value, rest) = expect(input, SEQUENCE)?;
    if !rest.is_empty() {
        return None;
    }
    children(value)
}

/// Dotted-decimal text of an OBJECT IDENTIFIER's contents (§8.19).
pub fn oid_text(value: &[u8]) -> Option<String> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut current: u64 = 0;
    let mut pending = false;
    for &b in value {
        if current > (u64::MAX >> 7) {
            return None;
        }
        current = (current << 7) | u64::from(b & 0x7f);
        pending = true;
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = if current < 80 { current / 40 } else { 2 };
                arcs.push(first);
                arcs.push(current - first * 40);
            } else {
                arcs.push(current);
            }
            current = 0;
            pending = false;
        }
    }
    if pending || arcs.is_empty() {
        return None;
    }
    Some(
        arcs.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The contents of an OBJECT IDENTIFIER for dotted-decimal `text` (X.690 §8.19); `None` when
/// the text is not an OID.
pub fn oid_bytes(text: &str) -> Option<Vec<u8>> {
    let arcs: Vec<u64> = text
        .split('.')
        .map(|arc| arc.parse::<u64>().ok())
        .collect::<Option<_>>()?;
    let (&first, rest) = arcs.split_first()?;
    let (&second, rest) = rest.split_first()?;
    if first > 2 || (first < 2 && second >= 40) {
        return None;
    }
    let mut out = Vec::new();
    for arc in
        std::iter::once(first.checked_mul(40)?.checked_add(second)?).chain(rest.iter().copied())
    {
        let mut groups = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            groups.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        out.extend(groups.iter().rev());
    }
    Some(out)
}

/// The contents of a non-negative INTEGER whose magnitude is `magnitude` (big-endian, leading
/// zeros allowed): minimal, with a zero octet when the high bit would read as a sign (§8.3).
pub fn unsigned_integer(magnitude: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = magnitude.iter().copied().skip_while(|&b| b == 0).collect();
    match digits.first() {
        None => vec![0],
        Some(&high) if high & 0x80 != 0 => std::iter::once(0).chain(digits).collect(),
        Some(_) => digits,
    }
}

/// A small non-negative INTEGER's value.
pub fn small_uint(value: &[u8]) -> Option<u64> {
    if value.is_empty() || value.len() > 8 || value.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    Some(value.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// Appends one element with a definite length (X.690 §8.1.3) to `out`.
pub fn write(tag: u8, content: &[u8], out: &mut Vec<u8>) {
    out.push(tag);
    let length = content.len();
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let bytes: Vec<u8> = length
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
}

/// Significant bits of a big-endian unsigned integer.
pub fn bit_length(bytes: &[u8]) -> u32 {
    let significant: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
    match significant.first() {
        None => 0,
        Some(first) => (significant.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects() {
        assert_eq!(
            oid_text(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]).as_deref(),
            Some("1.2.840.113549.1.1.1")
        );
        assert_eq!(
            oid_text(&[0x2b, 0x65, 0x70]).as_deref(),
            Some("1.3.101.112")
        );
        assert_eq!(oid_text(&[0x86]), None);
        assert!(read(&[0x30, 0x05, 0x01]).is_none());
        assert!(read(&[0x30, 0x80]).is_none());
        assert!(read(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        let seq = sequence(&[0x30, 0x03, 0x02, 0x01, 0x03]).unwrap_or_default();
        assert_eq!(seq.len(), 1);
        assert_eq!(small_uint(&[0x03]), Some(3));
    }

    #[test]
    fn strict_reading_wants_the_one_der_encoding() {
        let first = read_strict(&[0x04, 0x01, 0xaa, 0xff])
            .map(|(element, rest)| (element.tag, element.value, element.raw, rest));
        assert_eq!(
            first,
            Some((4, &[0xaa][..], &[4, 1, 0xaa][..], &[0xff][..]))
        );
        // The lenient reader takes these; DER does not (X.690 §10.1).
        assert!(read(&[0x04, 0x81, 0x01, 0xaa]).is_some());
        assert!(
            read_strict(&[0x04, 0x81, 0x01, 0xaa]).is_none(),
            "long form below 128"
        );
        let mut padded = vec![0x04, 0x82, 0x00, 0x80];
        padded.extend([0u8; 128]);
        assert!(read_strict(&padded).is_none(), "leading zero length octet");
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([0u8; 128]);
        assert!(read_strict(&long).is_some());
        assert!(
            read_strict(&[0x30, 0x80, 0x00, 0x00]).is_none(),
            "indefinite"
        );
        assert!(read_strict(&[0x1f, 0x01, 0x00]).is_none(), "multi-byte tag");
        assert!(read_strict(&[0x04, 0x02, 0xaa]).is_none(), "truncated");
        assert!(
            only_strict(&[0x05, 0x00, 0x00], NULL).is_none(),
            "bytes after"
        );
        assert!(children_strict(&[0x05, 0x00, 0x05]).is_none());
    }

    #[test]
    fn strict_values() {
        assert_eq!(strict_boolean(&[0xff]), Some(true));
        assert_eq!(strict_boolean(&[0x00]), Some(false));
        assert_eq!(strict_boolean(&[0x01]), None);
        assert_eq!(strict_boolean(&[]), None);
        assert_eq!(strict_integer(&[0x00]), Some(&[0x00][..]));
        assert_eq!(strict_integer(&[0x00, 0x80]), Some(&[0x00, 0x80][..]));
        assert_eq!(strict_integer(&[0x00, 0x7f]), None);
        assert_eq!(strict_integer(&[0xff, 0x80]), None);
        assert_eq!(strict_integer(&[]), None);
        assert_eq!(strict_u32(&[0x00, 0xff, 0xff, 0xff, 0xff]), Some(u32::MAX));
        assert_eq!(strict_u32(&[0x01, 0x00, 0x00, 0x00, 0x00]), None);
        assert_eq!(strict_u32(&[0x80]), None);
        let bits = strict_bit_string(&[0x03, 0xa8]);
        assert_eq!(
            bits.map(|b| (b.bit(0), b.bit(1), b.bit(2), b.bit(4), b.bit(9))),
            Some((true, false, true, true, false))
        );
        assert_eq!(strict_bit_string(&[0x03, 0xa4]), None, "padding bit set");
        assert_eq!(
            strict_bit_string(&[0x01]),
            None,
            "unused bits without octets"
        );
        assert_eq!(strict_bit_string(&[0x08, 0x00]), None);
        assert_eq!(strict_bit_string(&[]), None);
        assert!(is_strict_oid(&[0x2a, 0x86, 0x48]));
        assert!(!is_strict_oid(&[0x2a, 0x80, 0x86, 0x48]), "leading 0x80");
        assert!(!is_strict_oid(&[0x2a, 0x86]), "unfinished");
        assert!(!is_strict_oid(&[]));
    }

    #[test]
    fn writes_oids_and_integers() {
        for text in [
            "1.2.840.113549.1.1.1",
            "1.3.101.112",
            "1.3.132.0.34",
            "2.999.3",
        ] {
            let bytes = oid_bytes(text).unwrap_or_default();
            assert_eq!(oid_text(&bytes).as_deref(), Some(text));
        }
        assert_eq!(oid_bytes("1.40"), None);
        assert_eq!(oid_bytes("3.1"), None);
        assert_eq!(oid_bytes("1"), None);
        assert_eq!(oid_bytes("1.x"), None);
        assert_eq!(unsigned_integer(&[0, 0, 0x80, 1]), vec![0, 0x80, 1]);
        assert_eq!(unsigned_integer(&[0, 0x7f]), vec![0x7f]);
        assert_eq!(unsigned_integer(&[]), vec![0]);
    }

    #[test]
    fn writes_what_it_reads() {
        for size in [0usize, 5, 127, 128, 300, 70_000] {
            let content = vec![7u8; size];
            let mut out = Vec::new();
            write(OCTET_STRING, &content, &mut out);
            let (tlv, rest) = read(&out).unwrap_or((Tlv { tag: 0, value: &[] }, &[]));
            assert_eq!(
                (tlv.tag, tlv.value.len(), rest.len()),
                (OCTET_STRING, size, 0)
            );
        }
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
    }
}
