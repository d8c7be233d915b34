//! The values of the certificate extensions pg-preflight reads (RFC 5280 §4.2), each decoded
//! from its extnValue with strict DER. `None` means the value does not decode: the extension
//! is then reported as malformed.
//!
//! Extensions the checks do not read but that x509-parser decoded before (and so reported when
//! broken) are checked for shape only, in [`is_well_formed`]; any other extension is kept as
//! bytes and never called malformed, since its syntax is not known here.

use crate::pki::der::{self, Element};
use crate::pki::oids::ext;

/// A GeneralName (RFC 5280 §4.2.1.6), owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneralName {
    Dns(String),
    Ip(Vec<u8>),
    Email(String),
    Uri(String),
    /// The DER of the Name.
    Directory(Vec<u8>),
    /// otherName, x400Address, ediPartyName, registeredID.
    Other(&'static str),
    /// A name whose content does not decode (for example a dNSName that is not IA5).
    Invalid,
}

/// The Netscape certificate type bits OpenSSL still honours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsCertType {
    pub ssl_client: bool,
    pub ssl_server: bool,
    pub ssl_ca: bool,
    pub any_ca: bool,
}

/// One decoded extension value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded<'a> {
    BasicConstraints {
        ca: bool,
        path_len: Option<u32>,
    },
    /// keyUsage bits, bit n of the BIT STRING as `1 << n`.
    KeyUsage(u16),
    /// extKeyUsage purposes in dotted form, well-known purposes first (see
    /// [`extended_key_usage`]).
    ExtendedKeyUsage(Vec<String>),
    SubjectKeyId(&'a [u8]),
    AuthorityKeyId {
        key_id: Option<&'a [u8]>,
        has_issuer: bool,
        serial: Option<&'a [u8]>,
    },
    SubjectAltName(Vec<GeneralName>),
    NameConstraints {
        permitted: Option<Vec<GeneralName>>,
        excluded: Option<Vec<GeneralName>>,
    },
    NsCertType(NsCertType),
    /// Well formed, not read (or not known).
    Other,
}

/// The value of the extension `oid` (dotted), or `None` when it does not decode.
pub fn decode<'a>(oid: &str, value: &'a [u8]) -> Option<Decoded<'a>> {
    Some(match oid {
        ext::BASIC_CONSTRAINTS => basic_constraints(value)?,
        ext::KEY_USAGE => Decoded::KeyUsage(key_usage(value)?),
        ext::EXTENDED_KEY_USAGE => Decoded::ExtendedKeyUsage(extended_key_usage(value)?),
        ext::SUBJECT_KEY_ID => Decoded::SubjectKeyId(key_identifier(value)?),
        ext::AUTHORITY_KEY_ID => authority_key_identifier(value)?,
        ext::SUBJECT_ALT_NAME => Decoded::SubjectAltName(general_names(value)?),
        ext::NAME_CONSTRAINTS => name_constraints(value)?,
        ext::NS_CERT_TYPE => Decoded::NsCertType(netscape_cert_type(value)?),
        _ if is_well_formed(oid, value) => Decoded::Other,
        _ => return None,
    })
}

/// The elements of a value that must be exactly one SEQUENCE.
fn sequence_of(value: &[u8]) -> Option<Vec<Element<'_>>> {
    der::children_strict(der::only_strict(value, der::SEQUENCE)?.value)
}

/// RFC 5280 §4.2.1.9: `BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
/// pathLenConstraint INTEGER (0..MAX) OPTIONAL }`. An explicit `cA FALSE` is accepted (see the
/// module documentation of `x509`).
fn basic_constraints(value: &[u8]) -> Option<Decoded<'static>> {
    let (ca, path_len) = match sequence_of(value)?.as_slice() {
        [] => (false, None),
        [flag] if flag.tag == 0x01 => (der::strict_boolean(flag.value)?, None),
        [length] if length.tag == der::INTEGER => (false, Some(der::strict_u32(length.value)?)),
        [flag, length] if flag.tag == 0x01 && length.tag == der::INTEGER => (
            der::strict_boolean(flag.value)?,
            Some(der::strict_u32(length.value)?),
        ),
        _ => return None,
    };
    Some(Decoded::BasicConstraints { ca, path_len })
}

/// RFC 5280 §4.2.1.3: `KeyUsage ::= BIT STRING`, nine named bits; later bits are ignored.
fn key_usage(value: &[u8]) -> Option<u16> {
    let bits = der::strict_bit_string(der::only_strict(value, der::BIT_STRING)?.value)?;
    Some(
        (0..16)
            .filter(|&n| bits.bit(n))
            .fold(0u16, |flags, n| flags | (1 << n)),
    )
}

/// RFC 5280 §4.2.1.12: `ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId`; an
/// empty list is read (as x509-parser and OpenSSL read it) and allows no purpose. A repeated
/// purpose counts once. The order is the one reports have always shown: the purposes
/// of §4.2.1.12 (anyExtendedKeyUsage first) in the order of the RFC, then the others as listed.
fn extended_key_usage(value: &[u8]) -> Option<Vec<String>> {
    const WELL_KNOWN: [&str; 7] = [
        "2.5.29.37.0",
        "1.3.6.1.5.5.7.3.1",
        "1.3.6.1.5.5.7.3.2",
        "1.3.6.1.5.5.7.3.3",
        "1.3.6.1.5.5.7.3.4",
        "1.3.6.1.5.5.7.3.8",
        "1.3.6.1.5.5.7.3.9",
    ];
    let mut listed: Vec<String> = Vec::new();
    for purpose in sequence_of(value)? {
        let oid = oid_text(&purpose)?;
        if !listed.contains(&oid) {
            listed.push(oid);
        }
    }
    let rank = |oid: &String| {
        WELL_KNOWN
            .iter()
            .position(|known| known == oid)
            .unwrap_or(WELL_KNOWN.len())
    };
    crate::sort::sort_by_key(&mut listed, rank);
    Some(listed)
}

/// The dotted text of an element that must be a well-formed OBJECT IDENTIFIER.
fn oid_text(element: &Element<'_>) -> Option<String> {
    (element.tag == der::OID && der::is_strict_oid(element.value))
        .then(|| der::oid_text(element.value))
        .flatten()
}

/// RFC 5280 §4.2.1.2: `SubjectKeyIdentifier ::= KeyIdentifier`, an OCTET STRING.
fn key_identifier(value: &[u8]) -> Option<&[u8]> {
    der::only_strict(value, der::OCTET_STRING)
        .filter(|octets| !octets.is_constructed())
        .map(|octets| octets.value)
}

/// RFC 5280 §4.2.1.1: `AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT
/// OCTET STRING OPTIONAL, authorityCertIssuer [1] IMPLICIT GeneralNames OPTIONAL,
/// authorityCertSerialNumber [2] IMPLICIT INTEGER OPTIONAL }`, in that order.
fn authority_key_identifier(value: &[u8]) -> Option<Decoded<'_>> {
    let mut fields = sequence_of(value)?.into_iter().peekable();
    let key_id = fields.next_if(|f| f.tag == 0x80).map(|f| f.value);
    let issuer = fields.next_if(|f| f.tag == 0xa1);
    if let Some(issuer) = &issuer {
        general_name_list(issuer.value)?;
    }
    let serial = match fields.next_if(|f| f.tag == 0x82) {
        Some(serial) => Some(der::strict_integer(serial.value)?),
        None => None,
    };
    fields.next().is_none().then_some(Decoded::AuthorityKeyId {
        key_id,
        has_issuer: issuer.is_some(),
        serial,
    })
}

/// RFC 5280 §4.2.1.6: `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName` (subjectAltName,
/// issuerAltName); an empty list is read, as before, and names nothing.
fn general_names(value: &[u8]) -> Option<Vec<GeneralName>> {
    general_name_list(der::only_strict(value, der::SEQUENCE)?.value)
}

/// The GeneralNames in the contents of a SEQUENCE (or of an IMPLICIT tag standing for one).
fn general_name_list(contents: &[u8]) -> Option<Vec<GeneralName>> {
    der::children_strict(contents)?
        .iter()
        .map(general_name)
        .collect()
}

/// RFC 5280 §4.2.1.6: one GeneralName, a context-specific CHOICE. A name whose tag is a choice
/// but whose contents do not read as that kind (a dNSName that is not text, a directoryName
/// that is not a Name) is [`GeneralName::Invalid`], which the name checks treat as a mismatch;
/// an element that is not a GeneralName at all makes the extension malformed.
fn general_name(element: &Element<'_>) -> Option<GeneralName> {
    const CONTEXT_SPECIFIC: u8 = 0x80;
    if element.tag & 0xc0 != CONTEXT_SPECIFIC {
        return None;
    }
    let number = element.tag & 0x1f;
    // otherName, x400Address, directoryName and ediPartyName are SEQUENCEs (constructed);
    // the strings, iPAddress and registeredID are primitive (X.690 §8.14, §10.2).
    let constructed = matches!(number, 0 | 3 | 4 | 5);
    if element.is_constructed() != constructed {
        return Some(GeneralName::Invalid);
    }
    let text = || std::str::from_utf8(element.value).ok().map(str::to_string);
    Some(match number {
        0 => match der::read_strict(element.value) {
            Some((oid, _)) if oid.tag == der::OID => GeneralName::Other("otherName"),
            _ => GeneralName::Invalid,
        },
        // IA5String by the RFC; read as UTF-8 so that a non-ASCII name is shown and compared
        // (and fails to match) rather than dropped.
        1 => text().map_or(GeneralName::Invalid, GeneralName::Email),
        2 => text().map_or(GeneralName::Invalid, GeneralName::Dns),
        3 => GeneralName::Other("x400Address"),
        4 => match der::read_strict(element.value) {
            Some((name, [])) if crate::pki::x509::read_name(&name, "a directoryName").is_ok() => {
                GeneralName::Directory(name.raw.to_vec())
            }
            _ => GeneralName::Invalid,
        },
        5 => GeneralName::Other("ediPartyName"),
        6 => text().map_or(GeneralName::Invalid, GeneralName::Uri),
        7 => GeneralName::Ip(element.value.to_vec()),
        8 => GeneralName::Other("registeredID"),
        _ => GeneralName::Invalid,
    })
}

/// RFC 5280 §4.2.1.10: `NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees
/// OPTIONAL, excludedSubtrees [1] GeneralSubtrees OPTIONAL }`, `GeneralSubtrees ::= SEQUENCE
/// SIZE (1..MAX) OF GeneralSubtree`.
fn name_constraints(value: &[u8]) -> Option<Decoded<'static>> {
    let mut fields = sequence_of(value)?.into_iter().peekable();
    let permitted = match fields.next_if(|f| f.tag == 0xa0) {
        Some(subtrees) => Some(general_subtrees(subtrees.value)?),
        None => None,
    };
    let excluded = match fields.next_if(|f| f.tag == 0xa1) {
        Some(subtrees) => Some(general_subtrees(subtrees.value)?),
        None => None,
    };
    fields.next().is_none().then_some(Decoded::NameConstraints {
        permitted,
        excluded,
    })
}

/// `GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] BaseDistance DEFAULT 0,
/// maximum [1] BaseDistance OPTIONAL }`: the bases. RFC 5280 fixes minimum at 0 and maximum
/// absent; when encoded anyway they are read as INTEGERs and ignored, as OpenSSL does.
fn general_subtrees(contents: &[u8]) -> Option<Vec<GeneralName>> {
    let subtrees = der::children_strict(contents)?;
    if subtrees.is_empty() {
        return None;
    }
    subtrees
        .iter()
        .map(|subtree| {
            if subtree.tag != der::SEQUENCE {
                return None;
            }
            let fields = der::children_strict(subtree.value)?;
            let (base, distances) = fields.split_first()?;
            let mut distances = distances.iter().peekable();
            let is_integer = |d: &Element<'_>| der::strict_integer(d.value).is_some();
            let minimum_ok = distances.next_if(|d| d.tag == 0x80).is_none_or(is_integer);
            let maximum_ok = distances.next_if(|d| d.tag == 0x81).is_none_or(is_integer);
            let distances_are_integers = minimum_ok && maximum_ok && distances.next().is_none();
            distances_are_integers.then(|| general_name(base)).flatten()
        })
        .collect()
}

/// Netscape's `nsCertType` BIT STRING, one octet: sslClient (0), sslServer (1), … sslCA (5),
/// smimeCA (6), objectSigningCA (7).
fn netscape_cert_type(value: &[u8]) -> Option<NsCertType> {
    let bits = der::strict_bit_string(der::only_strict(value, der::BIT_STRING)?.value)?;
    if bits.bytes.len() != 1 {
        return None;
    }
    Some(NsCertType {
        ssl_client: bits.bit(0),
        ssl_server: bits.bit(1),
        ssl_ca: bits.bit(5),
        any_ca: bits.bit(5) || bits.bit(6) || bits.bit(7),
    })
}

/// The shape of the other extensions x509-parser decoded, so that a broken one is still
/// reported: issuerAltName (RFC 5280 §4.2.1.7), certificatePolicies (§4.2.1.4), policyMappings
/// (§4.2.1.5), policyConstraints (§4.2.1.11), inhibitAnyPolicy (§4.2.1.14),
/// cRLDistributionPoints (§4.2.1.13), authorityInfoAccess (§4.2.2.1), subjectInfoAccess
/// (§4.2.2.2) and the CT SCT list (RFC 6962 §3.3). Anything else is not known: well formed.
pub fn is_well_formed(oid: &str, value: &[u8]) -> bool {
    match oid {
        ext::ISSUER_ALT_NAME => general_names(value).is_some(),
        ext::CERTIFICATE_POLICIES => each_in_sequence(value, policy_information),
        ext::POLICY_MAPPINGS => each_in_sequence(value, |mapping| {
            matches!(fields_of(mapping).as_deref(), Some([issuer, subject])
                if oid_text(issuer).is_some() && oid_text(subject).is_some())
        }),
        ext::POLICY_CONSTRAINTS => policy_constraints(value),
        ext::INHIBIT_ANY_POLICY => der::only_strict(value, der::INTEGER)
            .and_then(|skip| der::strict_u32(skip.value))
            .is_some(),
        ext::CRL_DISTRIBUTION_POINTS => each_in_sequence(value, distribution_point),
        ext::AUTHORITY_INFO_ACCESS | ext::SUBJECT_INFO_ACCESS => {
            each_in_sequence(value, access_description)
        }
        ext::CT_SCT_LIST => signed_certificate_timestamp_list(value),
        _ => true,
    }
}

/// The value is one SEQUENCE and `each` holds for every element of it.
fn each_in_sequence(value: &[u8], each: impl Fn(&Element<'_>) -> bool) -> bool {
    sequence_of(value).is_some_and(|elements| elements.iter().all(each))
}

/// The elements of an element that must be a SEQUENCE.
fn fields_of<'a>(element: &Element<'a>) -> Option<Vec<Element<'a>>> {
    (element.tag == der::SEQUENCE)
        .then(|| der::children_strict(element.value))
        .flatten()
}

/// `PolicyInformation ::= SEQUENCE { policyIdentifier OID, policyQualifiers SEQUENCE SIZE
/// (1..MAX) OF PolicyQualifierInfo OPTIONAL }`, `PolicyQualifierInfo ::= SEQUENCE {
/// policyQualifierId OID, qualifier ANY }`.
fn policy_information(element: &Element<'_>) -> bool {
    let qualifier = |q: &Element<'_>| {
        fields_of(q).is_some_and(|parts| {
            parts.first().is_some_and(|id| oid_text(id).is_some()) && parts.len() <= 2
        })
    };
    match fields_of(element).as_deref() {
        Some([id]) => oid_text(id).is_some(),
        Some([id, qualifiers]) => {
            oid_text(id).is_some()
                && fields_of(qualifiers)
                    .is_some_and(|list| !list.is_empty() && list.iter().all(qualifier))
        }
        _ => false,
    }
}

/// `PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] IMPLICIT INTEGER OPTIONAL,
/// inhibitPolicyMapping [1] IMPLICIT INTEGER OPTIONAL }`.
fn policy_constraints(value: &[u8]) -> bool {
    let Some(fields) = sequence_of(value) else {
        return false;
    };
    let skip_count = |f: &Element<'_>| der::strict_u32(f.value).is_some();
    match fields.as_slice() {
        [] => true,
        [only] => (only.tag == 0x80 || only.tag == 0x81) && skip_count(only),
        [require, inhibit] => {
            require.tag == 0x80 && inhibit.tag == 0x81 && skip_count(require) && skip_count(inhibit)
        }
        _ => false,
    }
}

/// `DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
/// reasons [1] IMPLICIT ReasonFlags OPTIONAL, cRLIssuer [2] IMPLICIT GeneralNames OPTIONAL }`;
/// `DistributionPointName ::= CHOICE { fullName [0] IMPLICIT GeneralNames,
/// nameRelativeToCRLIssuer [1] IMPLICIT RelativeDistinguishedName }`.
fn distribution_point(element: &Element<'_>) -> bool {
    let Some(fields) = fields_of(element) else {
        return false;
    };
    let mut fields = fields.into_iter().peekable();
    if let Some(name) = fields.next_if(|f| f.tag == 0xa0) {
        let name_ok = match der::read_strict(name.value) {
            Some((full, rest)) if rest.is_empty() && full.tag == 0xa0 => {
                general_name_list(full.value).is_some_and(|names| !names.is_empty())
            }
            Some((relative, rest)) if rest.is_empty() && relative.tag == 0xa1 => {
                der::children_strict(relative.value).is_some_and(|a| !a.is_empty())
            }
            _ => false,
        };
        if !name_ok {
            return false;
        }
    }
    if let Some(reasons) = fields.next_if(|f| f.tag == 0x81) {
        if der::strict_bit_string(reasons.value).is_none() {
            return false;
        }
    }
    if let Some(issuer) = fields.next_if(|f| f.tag == 0xa2) {
        if general_name_list(issuer.value).is_none_or(|names| names.is_empty()) {
            return false;
        }
    }
    fields.next().is_none()
}

/// `AccessDescription ::= SEQUENCE { accessMethod OID, accessLocation GeneralName }`.
fn access_description(element: &Element<'_>) -> bool {
    matches!(fields_of(element).as_deref(), Some([method, location])
        if oid_text(method).is_some() && general_name(location).is_some())
}

/// RFC 6962 §3.3: an OCTET STRING holding a TLS `SignedCertificateTimestampList`: a two-octet
/// length, then SCTs each behind its own two-octet length. Only the framing is checked.
fn signed_certificate_timestamp_list(value: &[u8]) -> bool {
    fn length_prefixed(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
        let (length, rest) = bytes.split_at_checked(2)?;
        let length = usize::from(u16::from_be_bytes(length.try_into().ok()?));
        rest.split_at_checked(length)
    }
    let Some(octets) = der::only_strict(value, der::OCTET_STRING) else {
        return false;
    };
    let Some((mut list, after)) = length_prefixed(octets.value) else {
        return false;
    };
    while !list.is_empty() {
        match length_prefixed(list) {
            Some((sct, rest)) if !sct.is_empty() => list = rest,
            _ => return false,
        }
    }
    after.is_empty()
}
