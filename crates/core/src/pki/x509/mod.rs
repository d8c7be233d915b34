//! The X.509 certificate structure (RFC 5280 §4.1) read with strict DER (X.690 §10): every
//! field checked once, in order, borrowing from the input. Extension values are kept as bytes
//! here and decoded by [`extensions`] only for the extensions pg-preflight uses.
//!
//! Strict means DER's one encoding of each value (minimal lengths, minimal INTEGERs, BOOLEAN
//! 0x00/0xFF, BIT STRING padding zero, UTC times with seconds) and nothing left over inside a
//! SEQUENCE or after the certificate. Two things DER forbids are accepted because CAs have
//! issued them and OpenSSL and rustls-webpki accept them: a DEFAULT value encoded explicitly
//! (`critical FALSE`, `cA FALSE`, `version v1`) and a multi-valued RDN whose attributes are
//! not in SET OF order. SIZE (1..MAX) is enforced on name constraint subtrees and RDNs (an empty
//! RDN was read by x509-parser as the end of the name), not on the lists x509-parser accepted
//! empty and OpenSSL does too (extensions, extKeyUsage, subjectAltName).

pub mod extensions;
pub mod time;

use super::der::{self, Element};
use crate::pki::time::UnixTime;

/// Why some bytes are not a certificate, naming the part that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

fn malformed<T>(what: &str) -> Result<T, Malformed> {
    Err(Malformed(what.to_string()))
}

/// One certificate, every field located and checked; slices point into the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate<'a> {
    /// The whole Certificate (nothing follows it).
    pub der: &'a [u8],
    /// The TBSCertificate element: what the signature covers.
    pub tbs: &'a [u8],
    /// 1 for v1, 3 for v3 (the encoded value plus one).
    pub version: u32,
    /// The serialNumber INTEGER's contents (big-endian two's complement, as encoded).
    pub serial: &'a [u8],
    /// The AlgorithmIdentifier inside the TBSCertificate.
    pub tbs_signature_algorithm: AlgorithmIdentifier<'a>,
    pub issuer: Name<'a>,
    /// Seconds since the Unix epoch.
    pub not_before: UnixTime,
    pub not_after: UnixTime,
    pub subject: Name<'a>,
    /// The SubjectPublicKeyInfo element.
    pub spki: &'a [u8],
    pub key_algorithm: AlgorithmIdentifier<'a>,
    /// The subjectPublicKey bits, without the unused-bits octet.
    pub public_key: &'a [u8],
    /// In certificate order, duplicates included (the checks report them).
    pub extensions: Vec<Extension<'a>>,
    /// The outer signatureAlgorithm.
    pub signature_algorithm: AlgorithmIdentifier<'a>,
    /// The signatureValue bits, without the unused-bits octet.
    pub signature: &'a [u8],
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`
/// (RFC 5280 §4.1.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlgorithmIdentifier<'a> {
    /// The whole element, compared byte for byte (§4.1.1.2, §4.1.2.3).
    pub raw: &'a [u8],
    /// The OID's contents.
    pub oid: &'a [u8],
    pub parameters: Option<Element<'a>>,
}

/// A Name (RFC 5280 §4.1.2.4): `SEQUENCE OF RelativeDistinguishedName`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name<'a> {
    /// The whole element, for exact name chaining (§7.1).
    pub der: &'a [u8],
    pub rdns: Vec<Rdn<'a>>,
}

/// `RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rdn<'a> {
    pub der: &'a [u8],
    pub attributes: Vec<Attribute<'a>>,
}

/// `AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The OID's contents.
    pub oid: &'a [u8],
    /// The value element: a string type for almost every attribute, but any type is allowed.
    pub value: Element<'a>,
}

/// `Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
/// extnValue OCTET STRING }` (RFC 5280 §4.1): the value is not decoded here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension<'a> {
    /// The OID's contents.
    pub oid: &'a [u8],
    pub critical: bool,
    /// The extnValue OCTET STRING's contents: the DER of the extension's own type.
    pub value: &'a [u8],
}

/// Context-specific tags of the TBSCertificate (RFC 5280 §4.1): `[0] EXPLICIT Version`,
/// `[1] IMPLICIT issuerUniqueID`, `[2] IMPLICIT subjectUniqueID`, `[3] EXPLICIT Extensions`.
const VERSION: u8 = 0xa0;
const ISSUER_UNIQUE_ID: u8 = 0x81;
const SUBJECT_UNIQUE_ID: u8 = 0x82;
const EXTENSIONS: u8 = 0xa3;
const SET: u8 = 0x31;
const BOOLEAN: u8 = 0x01;

/// The elements of one SEQUENCE, taken in order: each field either has the tag it must have
/// or is reported by name.
struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    /// The contents of `element`, which must be a SEQUENCE.
    fn of(element: &Element<'a>, what: &str) -> Result<Fields<'a>, Malformed> {
        if element.tag != der::SEQUENCE {
            return malformed(&format!("{what} is not a SEQUENCE"));
        }
        Ok(Fields {
            rest: element.value,
        })
    }

    /// The next field, which must be there and have `tag`.
    fn take(&mut self, tag: u8, what: &str) -> Result<Element<'a>, Malformed> {
        match self.take_if(tag, what)? {
            Some(element) => Ok(element),
            None if self.rest.is_empty() => malformed(&format!("{what} is missing")),
            None => malformed(&format!("{what} has the wrong type")),
        }
    }

    /// The next field if it has `tag` (an OPTIONAL or DEFAULT field).
    fn take_if(&mut self, tag: u8, what: &str) -> Result<Option<Element<'a>>, Malformed> {
        if self.rest.first() != Some(&tag) {
            return Ok(None);
        }
        let Some((element, rest)) = der::read_strict(self.rest) else {
            return malformed(&format!("{what} is not valid DER"));
        };
        self.rest = rest;
        Ok(Some(element))
    }

    /// Nothing may follow the last field.
    fn finish(self, what: &str) -> Result<(), Malformed> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            malformed(&format!("{what} has unexpected data after its last field"))
        }
    }
}

impl<'a> Certificate<'a> {
    /// RFC 5280 §4.1: `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
    /// signatureValue BIT STRING }`, and nothing after it.
    pub fn read(input: &'a [u8]) -> Result<Certificate<'a>, Malformed> {
        let Some((outer, trailing)) = der::read_strict(input) else {
            return malformed(
                "not a DER Certificate structure (truncated, not DER, or not a certificate)",
            );
        };
        if !trailing.is_empty() {
            return Err(Malformed(format!(
                "{} bytes of trailing data after the certificate",
                trailing.len()
            )));
        }
        let mut fields = Fields::of(&outer, "the Certificate")?;
        let tbs = fields.take(der::SEQUENCE, "the tbsCertificate")?;
        let signature_algorithm = algorithm_identifier(
            &fields.take(der::SEQUENCE, "the signatureAlgorithm")?,
            "the signatureAlgorithm",
        )?;
        let signature = bit_string_bytes(
            &fields.take(der::BIT_STRING, "the signatureValue")?,
            "the signatureValue",
        )?;
        fields.finish("the Certificate")?;
        read_tbs(outer.raw, &tbs, signature_algorithm, signature)
    }
}

/// RFC 5280 §4.1: the TBSCertificate's fields, in order.
fn read_tbs<'a>(
    der: &'a [u8],
    tbs: &Element<'a>,
    signature_algorithm: AlgorithmIdentifier<'a>,
    signature: &'a [u8],
) -> Result<Certificate<'a>, Malformed> {
    let mut fields = Fields::of(tbs, "the tbsCertificate")?;
    let version = match fields.take_if(VERSION, "the version")? {
        Some(explicit) => version(&explicit)?,
        None => 1,
    };
    let serial = serial_number(&fields.take(der::INTEGER, "the serialNumber")?)?;
    let tbs_signature_algorithm = algorithm_identifier(
        &fields.take(der::SEQUENCE, "the tbsCertificate signature")?,
        "the tbsCertificate signature",
    )?;
    let issuer = read_name(&fields.take(der::SEQUENCE, "the issuer")?, "the issuer")?;
    let (not_before, not_after) = validity(&fields.take(der::SEQUENCE, "the validity")?)?;
    let subject = read_name(&fields.take(der::SEQUENCE, "the subject")?, "the subject")?;
    let spki = fields.take(der::SEQUENCE, "the subjectPublicKeyInfo")?;
    let (key_algorithm, public_key) = subject_public_key_info(&spki)?;
    for (tag, what) in [
        (ISSUER_UNIQUE_ID, "the issuerUniqueID"),
        (SUBJECT_UNIQUE_ID, "the subjectUniqueID"),
    ] {
        if let Some(unique_id) = fields.take_if(tag, what)? {
            bit_string_bytes(&unique_id, what)?;
        }
    }
    let extensions = match fields.take_if(EXTENSIONS, "the extensions")? {
        Some(explicit) => read_extensions(&explicit)?,
        None => Vec::new(),
    };
    fields.finish("the tbsCertificate")?;
    Ok(Certificate {
        der,
        tbs: tbs.raw,
        version,
        serial,
        tbs_signature_algorithm,
        issuer,
        not_before: UnixTime::from_seconds(not_before),
        not_after: UnixTime::from_seconds(not_after),
        subject,
        spki: spki.raw,
        key_algorithm,
        public_key,
        extensions,
        signature_algorithm,
        signature,
    })
}

/// RFC 5280 §4.1.2.1: `version [0] EXPLICIT Version DEFAULT v1`, `Version ::= INTEGER`. Any
/// non-negative value is read (the review reports versions other than 3), plus one.
fn version(explicit: &Element<'_>) -> Result<u32, Malformed> {
    der::only_strict(explicit.value, der::INTEGER)
        .and_then(|integer| der::strict_u32(integer.value))
        .map(|value| value.saturating_add(1))
        .ok_or_else(|| Malformed("the version is not a DER INTEGER".into()))
}

/// RFC 5280 §4.1.2.2: a DER INTEGER. Zero and negative serial numbers are read (some CAs issued
/// them; the chain checks report them), non-minimal encodings are not.
fn serial_number<'a>(integer: &Element<'a>) -> Result<&'a [u8], Malformed> {
    der::strict_integer(integer.value)
        .ok_or_else(|| Malformed("the serialNumber is not a minimal DER INTEGER".into()))
}

/// RFC 5280 §4.1.1.2: an OID and at most one parameters element.
fn algorithm_identifier<'a>(
    element: &Element<'a>,
    what: &str,
) -> Result<AlgorithmIdentifier<'a>, Malformed> {
    let mut fields = Fields::of(element, what)?;
    let oid = object_identifier(&fields.take(der::OID, what)?, what)?;
    let parameters = match der::read_strict(fields.rest) {
        Some((parameters, rest)) => {
            fields.rest = rest;
            Some(parameters)
        }
        None => None,
    };
    fields.finish(what)?;
    Ok(AlgorithmIdentifier {
        raw: element.raw,
        oid,
        parameters,
    })
}

/// X.690 §8.19: the contents of a well-formed OBJECT IDENTIFIER.
fn object_identifier<'a>(element: &Element<'a>, what: &str) -> Result<&'a [u8], Malformed> {
    if der::is_strict_oid(element.value) {
        Ok(element.value)
    } else {
        malformed(&format!("{what} has a malformed OBJECT IDENTIFIER"))
    }
}

/// A DER BIT STRING's octets (X.690 §11.2), without the unused-bits octet.
fn bit_string_bytes<'a>(element: &Element<'a>, what: &str) -> Result<&'a [u8], Malformed> {
    der::strict_bit_string(element.value)
        .map(|bits| bits.bytes)
        .ok_or_else(|| Malformed(format!("{what} is not a DER BIT STRING")))
}

/// RFC 5280 §4.1.2.5: `Validity ::= SEQUENCE { notBefore Time, notAfter Time }`.
fn validity(element: &Element<'_>) -> Result<(i64, i64), Malformed> {
    let mut fields = Fields::of(element, "the validity")?;
    let mut time = |what: &str| -> Result<i64, Malformed> {
        let Some((time, rest)) = der::read_strict(fields.rest) else {
            return malformed(&format!("{what} is missing or not valid DER"));
        };
        fields.rest = rest;
        time::read(&time).ok_or_else(|| {
            Malformed(format!(
                "{what} is not a UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5)"
            ))
        })
    };
    let not_before = time("notBefore")?;
    let not_after = time("notAfter")?;
    fields.finish("the validity")?;
    Ok((not_before, not_after))
}

/// RFC 5280 §4.1.2.7: `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
/// subjectPublicKey BIT STRING }`.
fn subject_public_key_info<'a>(
    element: &Element<'a>,
) -> Result<(AlgorithmIdentifier<'a>, &'a [u8]), Malformed> {
    let what = "the subjectPublicKeyInfo";
    let mut fields = Fields::of(element, what)?;
    let algorithm = algorithm_identifier(&fields.take(der::SEQUENCE, what)?, what)?;
    let key = bit_string_bytes(&fields.take(der::BIT_STRING, what)?, what)?;
    fields.finish(what)?;
    Ok((algorithm, key))
}

/// RFC 5280 §4.1.2.4: `Name ::= SEQUENCE OF RelativeDistinguishedName`, each a non-empty SET
/// of `AttributeTypeAndValue`.
pub fn read_name<'a>(element: &Element<'a>, what: &str) -> Result<Name<'a>, Malformed> {
    let not_a_name = || Malformed(format!("{what} is not a DER Name"));
    if element.tag != der::SEQUENCE {
        return Err(not_a_name());
    }
    let rdns = der::children_strict(element.value)
        .ok_or_else(not_a_name)?
        .iter()
        .map(|set| relative_distinguished_name(set).ok_or_else(not_a_name))
        .collect::<Result<_, _>>()?;
    Ok(Name {
        der: element.raw,
        rdns,
    })
}

fn relative_distinguished_name<'a>(set: &Element<'a>) -> Option<Rdn<'a>> {
    if set.tag != SET {
        return None;
    }
    let attributes = der::children_strict(set.value)?
        .iter()
        .map(attribute_type_and_value)
        .collect::<Option<Vec<_>>>()?;
    (!attributes.is_empty()).then_some(Rdn {
        der: set.raw,
        attributes,
    })
}

fn attribute_type_and_value<'a>(sequence: &Element<'a>) -> Option<Attribute<'a>> {
    match der::children_strict(sequence.value)?.as_slice() {
        [oid, value]
            if sequence.tag == der::SEQUENCE
                && oid.tag == der::OID
                && der::is_strict_oid(oid.value) =>
        {
            Some(Attribute {
                oid: oid.value,
                value: *value,
            })
        }
        _ => None,
    }
}

/// `extensions [3] EXPLICIT Extensions`, `Extensions ::= SEQUENCE OF Extension`.
fn read_extensions<'a>(explicit: &Element<'a>) -> Result<Vec<Extension<'a>>, Malformed> {
    let Some(sequence) = der::only_strict(explicit.value, der::SEQUENCE) else {
        return malformed("the extensions are not a DER SEQUENCE");
    };
    der::children_strict(sequence.value)
        .ok_or_else(|| Malformed("the extensions are not valid DER".into()))?
        .iter()
        .map(extension)
        .collect()
}

/// RFC 5280 §4.1: one Extension's envelope.
fn extension<'a>(element: &Element<'a>) -> Result<Extension<'a>, Malformed> {
    let what = "an extension";
    let mut fields = Fields::of(element, what)?;
    let oid = object_identifier(&fields.take(der::OID, what)?, what)?;
    let critical = match fields.take_if(BOOLEAN, what)? {
        Some(flag) => der::strict_boolean(flag.value)
            .ok_or_else(|| Malformed("an extension's critical flag is not a DER BOOLEAN".into()))?,
        None => false,
    };
    let value = fields.take(der::OCTET_STRING, what)?.value;
    fields.finish(what)?;
    Ok(Extension {
        oid,
        critical,
        value,
    })
}

impl<'a> Name<'a> {
    /// Every attribute, in order across RDNs.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute<'a>> {
        self.rdns.iter().flat_map(|rdn| rdn.attributes.iter())
    }

    /// The values of the attributes of type `oid` (contents of the OID), in order.
    pub fn values_of<'s>(&'s self, oid: &'s [u8]) -> impl Iterator<Item = &'s Element<'a>> {
        self.attributes()
            .filter(move |attribute| attribute.oid == oid)
            .map(|attribute| &attribute.value)
    }
}

/// Attribute types read by name (X.520, PKCS #9), as OID contents.
pub mod attribute {
    /// id-at-commonName, 2.5.4.3.
    pub const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
    /// pkcs-9-at-emailAddress, 1.2.840.113549.1.9.1.
    pub const EMAIL_ADDRESS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
}

/// The text of a NumericString, PrintableString, UTF8String or IA5String value, read as UTF-8
/// whatever the tag's class (the string types x509-parser's `as_str` read; BMPString,
/// TeletexString and UniversalString values have none).
pub fn plain_string<'a>(value: &Element<'a>) -> Option<&'a str> {
    const NUMERIC: u8 = 18;
    const PRINTABLE: u8 = 19;
    const UTF8: u8 = 12;
    const IA5: u8 = 22;
    matches!(value.tag & 0x1f, NUMERIC | PRINTABLE | UTF8 | IA5)
        .then(|| std::str::from_utf8(value.value).ok())
        .flatten()
}

#[cfg(test)]
mod tests;
