//! What path validation needs from one certificate, read once from its DER (RFC 5280 §4.1).
//!
//! [`crate::pki::x509`] reads the structure with strict DER and decodes the extensions used
//! here; the byte ranges that must be compared or hashed exactly (the TBSCertificate, both
//! AlgorithmIdentifiers, the SubjectPublicKeyInfo, the names) are kept as they are in the DER,
//! so no re-encoding can change them.

use crate::pki::der;
use crate::pki::text::{hex_colon, ip_text};
use crate::pki::time::UnixTime;
use crate::pki::x509::extensions::{self, Decoded, GeneralName, NsCertType};
use crate::pki::x509::{self, Certificate};
use sha2::{Digest, Sha256};

/// One extension as present in the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub oid: String,
    pub critical: bool,
    /// A known extension whose value does not decode ([`extensions::decode`]).
    pub malformed: bool,
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    pub critical: bool,
    pub ca: bool,
    pub path_len: Option<u32>,
}

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityKeyId {
    pub critical: bool,
    pub key_id: Option<Vec<u8>>,
    pub has_issuer: bool,
    pub serial: Option<Vec<u8>>,
}

/// nameConstraints (RFC 5280 §4.2.1.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameConstraints {
    pub critical: bool,
    pub permitted: Option<Vec<GeneralName>>,
    pub excluded: Option<Vec<GeneralName>>,
}

/// One parsed certificate, as path validation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCert {
    pub der: Vec<u8>,
    /// SHA-256 of the DER, colon-separated upper-case hex.
    pub fingerprint: String,
    pub subject: String,
    pub issuer: String,
    /// DER of the subject and issuer Names, for exact name chaining.
    pub subject_der: Vec<u8>,
    pub issuer_der: Vec<u8>,
    /// OpenSSL's canonical form of the names (`X509_NAME_cmp`), for the libpq policy.
    pub subject_canon: Vec<u8>,
    pub issuer_canon: Vec<u8>,
    /// The DER of each RelativeDistinguishedName of the subject, in order.
    pub subject_rdns: Vec<Vec<u8>>,
    /// Canonical form of each subject RDN (for directoryName constraints).
    pub subject_rdns_canon: Vec<Vec<u8>>,
    pub version: u32,
    pub serial: Vec<u8>,
    pub not_before: UnixTime,
    pub not_after: UnixTime,
    /// DER of the TBSCertificate: what the signature covers.
    pub tbs: Vec<u8>,
    /// DER of the AlgorithmIdentifier inside the TBSCertificate.
    pub tbs_signature_algorithm: Vec<u8>,
    /// DER of the outer signatureAlgorithm.
    pub signature_algorithm: Vec<u8>,
    pub signature_oid: String,
    /// The signature bits.
    pub signature: Vec<u8>,
    /// DER of the SubjectPublicKeyInfo.
    pub spki: Vec<u8>,
    pub key_oid: String,
    pub extensions: Vec<Extension>,
    pub basic_constraints: Option<BasicConstraints>,
    pub key_usage: Option<u16>,
    /// EKU OIDs in dotted form.
    pub extended_key_usage: Option<Vec<String>>,
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<AuthorityKeyId>,
    pub subject_alt_names: Option<Vec<GeneralName>>,
    pub san_critical: bool,
    pub name_constraints: Option<NameConstraints>,
    pub ns_cert_type: Option<NsCertType>,
    /// Every commonName of the subject, in order (as text when it decodes).
    pub common_names: Vec<String>,
    /// emailAddress attributes of the subject (rfc822Name constraints apply to them).
    pub subject_emails: Vec<String>,
}

/// Why some bytes could not be used as a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparseable(pub String);

impl ChainCert {
    pub fn parse(der_bytes: &[u8]) -> Result<ChainCert, Unparseable> {
        let certificate = Certificate::read(der_bytes).map_err(|e| Unparseable(e.0))?;
        Ok(ChainCert::from_certificate(&certificate))
    }

    /// The model of a certificate already read (see [`crate::pki::cert::parse`], which builds
    /// the card facts from the same reading).
    pub fn from_certificate(cert: &Certificate<'_>) -> ChainCert {
        let subject_rdns: Vec<Vec<u8>> = cert
            .subject
            .rdns
            .iter()
            .map(|rdn| rdn.der.to_vec())
            .collect();
        let mut out = ChainCert {
            der: cert.der.to_vec(),
            fingerprint: hex_colon(&Sha256::digest(cert.der)),
            subject: name_text(&cert.subject),
            issuer: name_text(&cert.issuer),
            subject_der: cert.subject.der.to_vec(),
            issuer_der: cert.issuer.der.to_vec(),
            subject_canon: canonical_name(cert.subject.der),
            issuer_canon: canonical_name(cert.issuer.der),
            subject_rdns_canon: subject_rdns.iter().map(|rdn| canonical_rdn(rdn)).collect(),
            subject_rdns,
            version: cert.version,
            serial: cert.serial.to_vec(),
            not_before: cert.not_before,
            not_after: cert.not_after,
            tbs: cert.tbs.to_vec(),
            tbs_signature_algorithm: cert.tbs_signature_algorithm.raw.to_vec(),
            signature_algorithm: cert.signature_algorithm.raw.to_vec(),
            signature_oid: dotted(cert.signature_algorithm.oid),
            signature: cert.signature.to_vec(),
            spki: cert.spki.to_vec(),
            key_oid: dotted(cert.key_algorithm.oid),
            extensions: Vec::new(),
            basic_constraints: None,
            key_usage: None,
            extended_key_usage: None,
            subject_key_id: None,
            authority_key_id: None,
            subject_alt_names: None,
            san_critical: false,
            name_constraints: None,
            ns_cert_type: None,
            // A commonName that is not one of the plain string types is kept as its bytes read
            // as UTF-8 (lossily), so that host matching still sees something to reject.
            common_names: cert
                .subject
                .values_of(x509::attribute::COMMON_NAME)
                .map(|cn| {
                    x509::plain_string(cn).map_or_else(
                        || String::from_utf8_lossy(cn.value).into_owned(),
                        str::to_string,
                    )
                })
                .collect(),
            subject_emails: cert
                .subject
                .values_of(x509::attribute::EMAIL_ADDRESS)
                .filter_map(|email| x509::plain_string(email).map(str::to_string))
                .collect(),
        };
        for extension in &cert.extensions {
            out.add_extension(extension);
        }
        out
    }

    /// Records one extension; the first occurrence of an OID is the one read, and duplicates
    /// are reported by the checks (RFC 5280 §4.2).
    fn add_extension(&mut self, extension: &x509::Extension<'_>) {
        let oid = dotted(extension.oid);
        let critical = extension.critical;
        let first = !self.has_extension(&oid);
        let decoded = extensions::decode(&oid, extension.value);
        self.extensions.push(Extension {
            oid,
            critical,
            malformed: decoded.is_none(),
        });
        let Some(decoded) = decoded.filter(|_| first) else {
            return;
        };
        match decoded {
            Decoded::BasicConstraints { ca, path_len } => {
                self.basic_constraints = Some(BasicConstraints {
                    critical,
                    ca,
                    path_len,
                })
            }
            Decoded::KeyUsage(flags) => self.key_usage = Some(flags),
            Decoded::ExtendedKeyUsage(purposes) => self.extended_key_usage = Some(purposes),
            Decoded::SubjectKeyId(id) => self.subject_key_id = Some(id.to_vec()),
            Decoded::AuthorityKeyId {
                key_id,
                has_issuer,
                serial,
            } => {
                self.authority_key_id = Some(AuthorityKeyId {
                    critical,
                    key_id: key_id.map(<[u8]>::to_vec),
                    has_issuer,
                    serial: serial.map(<[u8]>::to_vec),
                })
            }
            Decoded::SubjectAltName(names) => {
                self.san_critical = critical;
                self.subject_alt_names = Some(names);
            }
            Decoded::NameConstraints {
                permitted,
                excluded,
            } => {
                self.name_constraints = Some(NameConstraints {
                    critical,
                    permitted,
                    excluded,
                })
            }
            Decoded::NsCertType(types) => self.ns_cert_type = Some(types),
            Decoded::Other => {}
        }
    }

    pub fn has_extension(&self, oid: &str) -> bool {
        self.extensions.iter().any(|e| e.oid == oid)
    }

    /// Subject and issuer are the same Name, byte for byte (RFC 5280 §6.1: "self-issued").
    pub fn is_self_issued(&self) -> bool {
        self.subject_der == self.issuer_der
    }

    /// Self-issued under OpenSSL's canonical comparison.
    pub fn is_self_issued_canon(&self) -> bool {
        self.subject_canon == self.issuer_canon
    }

    pub fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|bc| bc.ca)
    }

    pub fn dns_names(&self) -> Vec<String> {
        self.subject_alt_names
            .iter()
            .flatten()
            .filter_map(|n| match n {
                GeneralName::Dns(d) => Some(d.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn ip_addresses(&self) -> Vec<String> {
        self.subject_alt_names
            .iter()
            .flatten()
            .filter_map(|n| match n {
                GeneralName::Ip(bytes) => Some(ip_text(bytes)),
                _ => None,
            })
            .collect()
    }

    /// The name has no RDNs (an empty SEQUENCE).
    pub fn subject_is_empty(&self) -> bool {
        self.subject_rdns.is_empty()
    }

    pub fn issuer_is_empty(&self) -> bool {
        name_rdns(&self.issuer_der).is_empty()
    }

    /// The EC curve OID of the key, or the key algorithm's parameters' absence.
    pub fn key_parameters(&self) -> Option<Vec<u8>> {
        spki_parts(&self.spki).and_then(|p| p.parameters.map(<[u8]>::to_vec))
    }
}

/// The pieces of a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
#[derive(Debug, Clone, Copy)]
pub struct SpkiParts<'a> {
    /// Contents of the algorithm OID.
    pub algorithm: &'a [u8],
    /// The whole parameters TLV, if present.
    pub parameters: Option<&'a [u8]>,
    /// The subjectPublicKey bits (without the unused-bits octet).
    pub key: &'a [u8],
}

pub fn spki_parts(spki: &[u8]) -> Option<SpkiParts<'_>> {
    let fields = der::sequence(spki)?;
    let algorithm = fields.first()?;
    let key = fields.get(1)?;
    if algorithm.tag != der::SEQUENCE || key.tag != der::BIT_STRING || fields.len() != 2 {
        return None;
    }
    let (oid, params) = der::expect(algorithm.value, der::OID)?;
    let parameters = if params.is_empty() {
        None
    } else {
        let (_, raw, rest) = read_raw(params)?;
        if !rest.is_empty() {
            return None;
        }
        Some(raw)
    };
    let (&unused, bits) = key.value.split_first()?;
    if unused != 0 {
        return None;
    }
    Some(SpkiParts {
        algorithm: oid,
        parameters,
        key: bits,
    })
}

/// One element and the exact bytes it occupies.
pub fn read_raw(input: &[u8]) -> Option<(der::Tlv<'_>, &[u8], &[u8])> {
    let (tlv, rest) = der::read(input)?;
    let raw = input.get(..input.len() - rest.len())?;
    Some((tlv, raw, rest))
}

/// A Name as text for messages; an empty Name says so.
fn name_text(name: &x509::Name<'_>) -> String {
    let text = crate::pki::name::display(name);
    if text.is_empty() {
        "(empty name)".to_string()
    } else {
        text
    }
}

/// Dotted text of a well-formed OID's contents ([`x509`] checked them); an OID with an arc
/// too large for 64 bits is shown as its octets.
pub fn dotted(oid: &[u8]) -> String {
    der::oid_text(oid).unwrap_or_else(|| crate::pki::name::oid_octets_text(oid))
}

/// The RDN SETs of a Name, as DER.
pub fn name_rdns(name: &[u8]) -> Vec<Vec<u8>> {
    let Some((value, _)) = der::expect(name, der::SEQUENCE) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut rest = value;
    while let Some((_, raw, after)) = read_raw(rest) {
        out.push(raw.to_vec());
        rest = after;
    }
    out
}

/// OpenSSL's canonical encoding of a Name (`x509_name_canon`): every string attribute value
/// converted to UTF-8, leading and trailing white space removed, inner runs of white space
/// collapsed to one space and ASCII upper case folded to lower case; other values kept as they
/// are. Two names compare equal in OpenSSL exactly when these encodings are equal.
pub fn canonical_name(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for rdn in name_rdns(name) {
        let canon = canonical_rdn(&rdn);
        out.extend_from_slice(&(canon.len() as u32).to_be_bytes());
        out.extend_from_slice(&canon);
    }
    out
}

/// Canonical encoding of one RDN SET (see [`canonical_name`]).
pub fn canonical_rdn(rdn: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let Some((set, _)) = der::expect(rdn, 0x31) else {
        return rdn.to_vec();
    };
    for ava in der::children(set).unwrap_or_default() {
        let Some(parts) = der::children(ava.value) else {
            out.extend_from_slice(ava.value);
            continue;
        };
        let (Some(oid), Some(value)) = (parts.first(), parts.get(1)) else {
            continue;
        };
        out.extend_from_slice(&(oid.value.len() as u32).to_be_bytes());
        out.extend_from_slice(oid.value);
        match decode_string(value.tag, value.value) {
            Some(text) => {
                let folded: String = text
                    .split(|c: char| c.is_ascii_whitespace())
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                out.push(0x0c);
                out.extend_from_slice(&(folded.len() as u32).to_be_bytes());
                out.extend_from_slice(folded.as_bytes());
            }
            None => {
                out.push(value.tag);
                out.extend_from_slice(&(value.value.len() as u32).to_be_bytes());
                out.extend_from_slice(value.value);
            }
        }
    }
    out
}

/// The text of a DirectoryString-like value, for the string types OpenSSL canonicalises.
fn decode_string(tag: u8, bytes: &[u8]) -> Option<String> {
    match tag {
        0x0c => std::str::from_utf8(bytes).ok().map(str::to_string),
        // PrintableString, T61String (read as Latin-1, as OpenSSL does), IA5String, VisibleString
        0x13 | 0x14 | 0x16 | 0x1a => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        0x1e => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| match c {
                    [a, b] => u16::from_be_bytes([*a, *b]),
                    _ => 0xfffd,
                })
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        0x1c => Some(
            bytes
                .chunks(4)
                .map(|c| match c {
                    [a, b, c2, d] => {
                        char::from_u32(u32::from_be_bytes([*a, *b, *c2, *d])).unwrap_or('\u{fffd}')
                    }
                    _ => '\u{fffd}',
                })
                .collect(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_fold_case_and_space() {
        // SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, PrintableString "  Foo  Bar " } } }
        let name = |kind: u8, text: &[u8]| {
            let mut ava = vec![0x06, 0x03, 0x55, 0x04, 0x03, kind, text.len() as u8];
            ava.extend_from_slice(text);
            let mut seq = vec![0x30, ava.len() as u8];
            seq.extend(ava);
            let mut set = vec![0x31, seq.len() as u8];
            set.extend(seq);
            let mut out = vec![0x30, set.len() as u8];
            out.extend(set);
            out
        };
        let a = canonical_name(&name(0x13, b"  Foo  Bar "));
        let b = canonical_name(&name(0x0c, b"foo bar"));
        let c = canonical_name(&name(0x0c, b"foo baz"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(name_rdns(&name(0x0c, b"x")).len(), 1);
    }

    #[test]
    fn garbage_is_unparseable() {
        assert!(ChainCert::parse(b"").is_err());
        assert!(ChainCert::parse(&[0x30, 0x00]).is_err());
    }
}
