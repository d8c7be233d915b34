//! Distinguished names as text, in exactly the form x509-parser 0.18's `Display` for
//! `X509Name` gave (`CN=app, O=Acme + OU=Ops`) when pg-preflight used that crate: the output
//! is part of the reports and golden files, so it must not change by a byte. The tests below
//! compare it with x509-parser's own `Display` (a dev-dependency only).

use crate::pki::der::{self, Element};
use crate::pki::x509::{Attribute, Name};

/// What x509-parser prints when a name cannot be shown (an attribute string that does not
/// decode).
const INVALID: &str = "<X509Error: Invalid X.509 name>";

/// `oid=name`, one per line: the names x509-parser's `Display` uses. First its abbreviations
/// (CN, C, L, ST, O, OU, DC, Email), then the short names of the OID registry it builds with
/// the `crypto` and `x509` sets (oid-registry 0.8), where a later set wins for a repeated OID.
/// Any other OID prints as `OID(1.2.3)`.
const SHORT_NAMES: &str = "\
1.2.840.113549.1.1.1=rsaEncryption
1.2.840.113549.1.1.2=md2WithRSAEncryption
1.2.840.113549.1.1.3=md4WithRSAEncryption
1.2.840.113549.1.1.4=md5WithRSAEncryption
1.2.840.113549.1.1.5=sha1WithRSAEncryption
1.2.840.113549.1.1.10=rsassa-pss
1.2.840.113549.1.1.11=sha256WithRSAEncryption
1.2.840.113549.1.1.12=sha384WithRSAEncryption
1.2.840.113549.1.1.13=sha512WithRSAEncryption
1.2.840.113549.1.1.14=sha224WithRSAEncryption
1.2.840.10045.2.1=id-ecPublicKey
1.2.840.10045.4.3.1=ecdsa-with-SHA224
1.2.840.10045.4.3.2=ecdsa-with-SHA256
1.2.840.10045.4.3.3=ecdsa-with-SHA384
1.2.840.10045.4.3.4=ecdsa-with-SHA512
1.2.840.10045.3.1.7=prime256v1
1.3.133.16.840.63.0.2=dhSinglePass-stdDH-sha1kdf-scheme
1.3.132.0.34=secp384r1
1.3.132.0.35=secp521r1
1.3.14.3.2.25=md5WithRSASignature
1.3.14.3.2.26=id-SHA1
1.3.14.3.2.29=sha1WithRSAEncryption
2.16.840.1.101.3.4.1.42=aes-256-cbc
2.16.840.1.101.3.4.2.1=sha256
2.16.840.1.101.3.4.2.2=sha384
2.16.840.1.101.3.4.2.3=sha512
1.2.840.113549.1.7.1=pkcs7-data
1.2.840.113549.1.7.2=pkcs7-signedData
1.2.840.113549.1.7.3=pkcs7-envelopedData
1.2.840.113549.1.7.4=pkcs7-signedAndEnvelopedData
1.2.840.113549.1.7.5=pkcs7-digestedData
1.2.840.113549.1.7.6=pkcs7-encryptedData
1.2.840.113549.1.9.1=Email
1.2.840.113549.1.9.2=unstructuredName
1.2.840.113549.1.9.3=contentType
1.2.840.113549.1.9.4=id-messageDigest
1.2.840.113549.1.9.5=signing-time
1.2.840.113549.1.9.7=challengePassword
1.2.840.113549.1.9.14=extensionRequest
1.2.840.113549.1.9.15=smimeCapabilities
1.2.840.113549.1.9.20=friendlyName
1.2.840.113549.1.12=pkcs-12
1.2.840.113549.1.12.1=pkcs-12PbeIds
1.2.840.113549.1.12.1.1=pbeWithSHAAnd128BitRC4
1.2.840.113549.1.12.1.2=pbeWithSHAAnd40BitRC4
1.2.840.113549.1.12.1.3=pbeWithSHAAnd3-KeyTripleDES-CBC
1.2.840.113549.1.12.1.4=pbeWithSHAAnd2-KeyTripleDES-CBC
1.2.840.113549.1.12.1.5=pbeWithSHAAnd128BitRC2-CBC
1.2.840.113549.1.12.1.6=pbeWithSHAAnd40BitRC2-CBC
0.9.2342.19200300.100.1.1=uid
0.9.2342.19200300.100.1.25=DC
1.2.643.2.2.3=id-GostR3411-94-with-GostR3410-2001
1.2.643.2.2.19=gostR3410-2001
1.2.643.7.1.1.1.1=gost3410-2012-256
1.2.643.7.1.1.1.2=gost3410-2012-512
1.2.643.7.1.1.3.2=id-tc26-signwithdigest-gost3410-12-256
1.2.643.7.1.1.3.3=id-tc26-signwithdigest-gost3410-12-512
1.2.840.10040.4.1=id-dsa
1.2.840.10040.4.3=dsa-with-sha1
1.3.36.3.3.1.2=rsaSignatureWithripemd160
1.3.101.112=ed25519
1.3.101.113=ed448
1.3.6.1.4.1.311.60.2.1.1=msJurisdictionLocality
1.3.6.1.4.1.311.60.2.1.2=msJurisdictionStateOrProvince
1.3.6.1.4.1.311.60.2.1.3=msJurisdictionCountry
1.3.6.1.4.1.11129.2.4.2=ctSCTList
1.3.6.1.5.5.7.1.1=authorityInfoAccess
1.3.6.1.5.5.7.1.11=subjectInfoAccess
1.3.6.1.5.5.7.48.1=id-ad-ocsp
1.3.6.1.5.5.7.48.2=id-ad-caIssuers
1.3.6.1.5.5.7.48.3=id-ad-timestamping
1.3.6.1.5.5.7.48.4=id-ad-dvcs
1.3.6.1.5.5.7.48.5=id-ad-caRepository
1.3.6.1.5.5.7.48.6=id-ad-http-certs
1.3.6.1.5.5.7.48.7=id-ad-http-crls
1.3.6.1.5.5.7.48.10=id-ad-rpki-manifest
1.3.6.1.5.5.7.48.11=id-ad-signed-object
1.3.6.1.5.5.7.48.12=id-ad-cmc
1.3.6.1.5.5.7.48.13=id-ad-rpki-notify
1.3.6.1.5.5.7.48.14=id-ad-stirTNList
2.5.4=x509
2.5.4.0=objectClass
2.5.4.1=aliasedEntryName
2.5.4.2=knowledgeInformation
2.5.4.3=CN
2.5.4.4=surname
2.5.4.5=serialNumber
2.5.4.6=C
2.5.4.7=L
2.5.4.8=ST
2.5.4.9=streetAddress
2.5.4.10=O
2.5.4.11=OU
2.5.4.12=title
2.5.4.13=description
2.5.4.14=searchGuide
2.5.4.15=businessCategory
2.5.4.16=postalAddress
2.5.4.17=postalCode
2.5.4.41=name
2.5.4.42=givenName
2.5.4.43=initials
2.5.4.44=generationQualifier
2.5.4.45=uniqueIdentifier
2.5.4.46=dnQualifier
2.5.29.1=oldAuthorityKeyIdentifier
2.5.29.2=oldKeyAttributes
2.5.29.3=oldCertificatePolicies
2.5.29.4=oldKeyUsage
2.5.29.5=oldPolicyMapping
2.5.29.6=oldSubtreesConstraint
2.5.29.7=oldSubjectAltNAme
2.5.29.8=oldIssuerAltNAme
2.5.29.14=subjectKeyIdentifier
2.5.29.15=keyUsage
2.5.29.16=privateKeyUsagePeriod
2.5.29.17=subjectAltName
2.5.29.18=issuerAltName
2.5.29.19=basicConstraints
2.5.29.20=crlNumber
2.5.29.21=reasonCode
2.5.29.23=holdInstructionCode
2.5.29.24=invalidityDate
2.5.29.27=deltaCRLIndicator
2.5.29.28=issuerDistributionPoint
2.5.29.29=issuer
2.5.29.30=nameConstraints
2.5.29.31=crlDistributionPoints
2.5.29.32=certificatePolicies
2.5.29.33=policyMappings
2.5.29.35=authorityKeyIdentifier
2.5.29.36=policyConstraints
2.5.29.37=extendedKeyUsage
2.5.29.46=freshestCRL
2.5.29.54=inhibitAnyPolicy
2.16.840.1.113730.1.1=nsCertType
2.16.840.1.113730.1.2=nsBaseURL
2.16.840.1.113730.1.3=nsRevocationURL
2.16.840.1.113730.1.4=nsCARevocationURL
2.16.840.1.113730.1.5=nsCACRLURL
2.16.840.1.113730.1.6=nsCACertURL
2.16.840.1.113730.1.7=nsRenewalURL
2.16.840.1.113730.1.8=nsCAPolicyURL
2.16.840.1.113730.1.9=nsHomepageURL
2.16.840.1.113730.1.10=nsEntityLogo
2.16.840.1.113730.1.11=nsUserPicture
2.16.840.1.113730.1.12=nsSSLServerName
2.16.840.1.113730.1.13=nsComment
1.2.840.113549.1.1.8=id-mgf1";

/// `name` as text (RDNs joined by `, `, attributes of one RDN by ` + `).
pub fn display(name: &Name<'_>) -> String {
    let mut out = String::new();
    for rdn in &name.rdns {
        let mut part = String::new();
        for attribute in &rdn.attributes {
            let Some(text) = attribute_text(attribute) else {
                return INVALID.to_string();
            };
            if !part.is_empty() {
                part.push_str(" + ");
            }
            part.push_str(&text);
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&part);
    }
    out
}

/// `TYPE=value`, or `None` when a string value does not decode.
fn attribute_text(attribute: &Attribute<'_>) -> Option<String> {
    let value = value_text(&attribute.value)?;
    let id = der::oid_text(attribute.oid);
    let short = id.as_deref().and_then(short_name);
    Some(match (short, id) {
        (Some(short), _) => format!("{short}={value}"),
        (None, Some(id)) => format!("OID({id})={value}"),
        (None, None) => format!("OID({})={value}", oid_octets_text(attribute.oid)),
    })
}

/// The short name of the attribute type `id` (dotted) in [`SHORT_NAMES`]. One substring search
/// of the table rather than a walk over its lines: names are shown for every certificate of a
/// CA bundle, and the walk was most of the time spent reading one.
fn short_name(id: &str) -> Option<&'static str> {
    let entry = format!("{id}=");
    let mut from = 0;
    while let Some(found) = SHORT_NAMES.get(from..).and_then(|rest| rest.find(&entry)) {
        let start = from + found;
        let at_line_start = start == 0 || SHORT_NAMES.as_bytes().get(start - 1) == Some(&b'\n');
        if at_line_start {
            let rest = SHORT_NAMES.get(start + entry.len()..)?;
            return Some(rest.split('\n').next().unwrap_or(rest));
        }
        from = start + entry.len();
    }
    None
}

/// An OID with an arc beyond 64 bits, as asn1-rs printed it: its octets in lower-case hex,
/// separated by spaces.
pub fn oid_octets_text(oid: &[u8]) -> String {
    oid.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A string value as text; anything else as upper-case hex of its content octets. The tag
/// number alone decides, whatever the class, as in x509-parser.
fn value_text(value: &Element<'_>) -> Option<String> {
    const BMP_STRING: u8 = 30;
    // NumericString, VisibleString, PrintableString, GeneralString, ObjectDescriptor,
    // GraphicString, T61String, VideotexString, UTF8String, IA5String: read as UTF-8.
    const UTF8_TAGS: [u8; 10] = [18, 26, 19, 27, 7, 25, 20, 21, 12, 22];
    let tag = value.tag & 0x1f;
    let data = value.value;
    if UTF8_TAGS.contains(&tag) {
        std::str::from_utf8(data).ok().map(str::to_string)
    } else if tag == BMP_STRING {
        bmp_text(data)
    } else {
        Some(upper_hex(data))
    }
}

/// A BMPString (X.680 §41: UCS-2, big-endian) read as UTF-16; a trailing odd byte counts as
/// one code unit of its own, as asn1-rs reads it.
fn bmp_text(data: &[u8]) -> Option<String> {
    let units: Vec<u16> = data
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => u16::from_be_bytes([*high, *low]),
            [odd] => u16::from(*odd),
            _ => 0,
        })
        .collect();
    String::from_utf16(&units).ok()
}

fn upper_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        for nibble in [byte >> 4, byte & 0x0f] {
            out.push(char::from(
                DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use crate::pki::der::{oid_bytes, write};
    use crate::pki::x509::{read_name, Certificate};
    use x509_parser::certificate::X509Certificate;
    use x509_parser::prelude::FromDer;
    use x509_parser::x509::X509Name;

    /// Every certificate among the test fixtures: subject and issuer print as x509-parser does.
    #[test]
    fn fixture_names_match_x509_parser() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pki");
        let mut seen = 0;
        let files = std::fs::read_dir(&dir)
            .unwrap()
            .chain(std::fs::read_dir(dir.join("chain")).unwrap());
        for entry in files {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            for block in crate::pki::pem::scan(&text) {
                let Ok(der) = block.body else { continue };
                let Ok((_, cert)) = X509Certificate::from_der(&der) else {
                    continue;
                };
                let ours = Certificate::read(&der).unwrap();
                assert_eq!(display(&ours.subject), cert.subject().to_string());
                assert_eq!(display(&ours.issuer), cert.issuer().to_string());
                seen += 1;
            }
        }
        assert!(seen > 10, "only {seen} certificates found");
    }

    fn attribute(oid: &str, tag: u8, value: &[u8]) -> Vec<u8> {
        let mut content = Vec::new();
        write(0x06, &oid_bytes(oid).unwrap(), &mut content);
        write(tag, value, &mut content);
        let mut out = Vec::new();
        write(0x30, &content, &mut out);
        out
    }

    fn name(rdns: &[Vec<Vec<u8>>]) -> Vec<u8> {
        let mut content = Vec::new();
        for rdn in rdns {
            write(0x31, &rdn.concat(), &mut content);
        }
        let mut out = Vec::new();
        write(0x30, &content, &mut out);
        out
    }

    /// Our text (`None` when the strict reader refuses the name) and x509-parser's.
    fn both(der: &[u8]) -> (Option<String>, String) {
        let (_, parsed) = X509Name::from_der(der).unwrap();
        let (element, _) = crate::pki::der::read_strict(der).unwrap();
        let ours = read_name(&element, "the name")
            .ok()
            .map(|name| display(&name));
        (ours, parsed.to_string())
    }

    /// Unusual names: multi-valued RDNs, every string type, BMPString (odd length too),
    /// non-string values, registry-only and unknown OIDs, bad UTF-8. An empty RDN, which
    /// x509-parser read as the end of the name, is not a Name (RFC 5280 §4.1.2.4: SET SIZE
    /// (1..MAX)).
    #[test]
    fn unusual_names_match_x509_parser() {
        let cases: Vec<Vec<Vec<Vec<u8>>>> = vec![
            vec![vec![attribute("2.5.4.3", 0x0c, b"app")]],
            vec![
                vec![attribute("2.5.4.6", 0x13, b"US")],
                vec![
                    attribute("2.5.4.10", 0x0c, b"Acme"),
                    attribute("2.5.4.11", 0x14, b"Ops"),
                ],
                vec![attribute("1.2.840.113549.1.9.1", 0x16, b"a@b.c")],
            ],
            vec![vec![attribute("2.5.4.3", 0x1e, &[0, b'h', 0, b'i'])]],
            vec![vec![attribute("2.5.4.3", 0x1e, &[0, b'h', 0x41])]],
            vec![vec![attribute("2.5.4.3", 0x1e, &[0xd8, 0x00])]],
            vec![vec![attribute("2.5.4.3", 0x0c, &[0xff, 0xfe])]],
            vec![vec![attribute("2.5.4.5", 0x02, &[0x01, 0xab])]],
            vec![vec![attribute("0.9.2342.19200300.100.1.1", 0x0c, b"u")]],
            vec![vec![attribute("1.2.840.113549.1.1.1", 0x0c, b"r")]],
            vec![vec![attribute("1.3.6.1.4.1.99999.1", 0x0c, b"x")]],
            vec![vec![attribute("2.5.4.97", 0x1a, b"VAT")]],
        ];
        for tag in [
            0x12, 0x1a, 0x13, 0x1b, 0x07, 0x19, 0x14, 0x15, 0x0c, 0x16, 0x04, 0x8c,
        ] {
            let (ours, theirs) = both(&name(&[vec![attribute("2.5.4.3", tag, b"v")]]));
            assert_eq!(ours, Some(theirs), "tag {tag:#x}");
        }
        for case in &cases {
            let (ours, theirs) = both(&name(case));
            assert_eq!(ours, Some(theirs), "{case:?}");
        }
        assert_eq!(
            both(&name(&[vec![attribute("2.5.4.3", 0x0c, b"a")]])).0,
            Some("CN=a".into())
        );
        for empty_rdn in [
            vec![vec![], vec![attribute("2.5.4.3", 0x0c, b"a")]],
            vec![vec![attribute("2.5.4.3", 0x0c, b"a")], vec![], vec![]],
        ] {
            assert_eq!(both(&name(&empty_rdn)).0, None);
        }
    }
}
