//! Certificates built field by field, so that each test changes exactly the encoding it is
//! about; and the fixture certificates read against x509-parser, the reader this one replaced.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::extensions::{decode, Decoded};
use super::extensions::{GeneralName, NsCertType};
use super::*;
use crate::pki::chain::model::ChainCert;
use crate::pki::der::{oid_bytes, write};
use crate::pki::oids::ext;

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    write(tag, content, &mut out);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(der::SEQUENCE, &parts.concat())
}

fn oid(text: &str) -> Vec<u8> {
    tlv(der::OID, &oid_bytes(text).unwrap())
}

fn name(cn: &str) -> Vec<u8> {
    let attribute = seq(&[oid("2.5.4.3"), tlv(0x0c, cn.as_bytes())]);
    seq(&[tlv(SET, &attribute)])
}

fn utc(text: &str) -> Vec<u8> {
    tlv(time::UTC_TIME, text.as_bytes())
}

fn extension(oid_text: &str, critical: Option<&[u8]>, value: &[u8]) -> Vec<u8> {
    let mut parts = vec![oid(oid_text)];
    if let Some(flag) = critical {
        parts.push(tlv(BOOLEAN, flag));
    }
    parts.push(tlv(der::OCTET_STRING, value));
    seq(&parts)
}

/// The TBSCertificate fields of a plain v3 certificate: serial 1, sha256WithRSAEncryption,
/// CN=Issuer to CN=Subject, 2020 to 2030, an Ed25519 key, the given extensions.
fn tbs_fields(extensions: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut fields = vec![
        tlv(VERSION, &tlv(der::INTEGER, &[2])),
        tlv(der::INTEGER, &[1]),
        seq(&[oid("1.2.840.113549.1.1.11"), tlv(der::NULL, &[])]),
        name("Issuer"),
        seq(&[utc("200101000000Z"), utc("300101000000Z")]),
        name("Subject"),
        seq(&[seq(&[oid("1.3.101.112")]), tlv(der::BIT_STRING, &[0; 33])]),
    ];
    if !extensions.is_empty() {
        fields.push(tlv(EXTENSIONS, &seq(extensions)));
    }
    fields
}

fn certificate_from(tbs: &[Vec<u8>]) -> Vec<u8> {
    seq(&[
        seq(tbs),
        seq(&[oid("1.2.840.113549.1.1.11"), tlv(der::NULL, &[])]),
        tlv(der::BIT_STRING, &[0, 0xaa, 0xbb]),
    ])
}

fn certificate(extensions: &[Vec<u8>]) -> Vec<u8> {
    certificate_from(&tbs_fields(extensions))
}

/// The reason `der` is not a certificate, or "" when it is one.
fn problem(der: &[u8]) -> String {
    Certificate::read(der)
        .err()
        .map(|e| e.0)
        .unwrap_or_default()
}

#[test]
fn reads_every_field_of_a_plain_certificate() {
    let der = certificate(&[extension(ext::KEY_USAGE, Some(&[0xff]), &[3, 2, 7, 0x80])]);
    let cert = Certificate::read(&der).unwrap();
    assert_eq!(cert.version, 3);
    assert_eq!(cert.serial, &[1]);
    assert_eq!(cert.not_before.seconds(), 1_577_836_800);
    assert_eq!(cert.not_after.seconds(), 1_893_456_000);
    assert_eq!(cert.issuer.der, name("Issuer").as_slice());
    assert_eq!(cert.subject.der, name("Subject").as_slice());
    let cn: Vec<_> = cert.subject.values_of(attribute::COMMON_NAME).collect();
    assert_eq!(plain_string(cn[0]), Some("Subject"));
    assert_eq!(
        der::oid_text(cert.key_algorithm.oid).as_deref(),
        Some("1.3.101.112")
    );
    assert_eq!(cert.key_algorithm.parameters, None);
    assert_eq!(cert.public_key.len(), 32);
    assert_eq!(cert.signature, &[0xaa, 0xbb]);
    assert_eq!(cert.signature_algorithm, cert.tbs_signature_algorithm);
    assert_eq!(
        cert.extensions,
        vec![Extension {
            oid: &oid_bytes(ext::KEY_USAGE).unwrap(),
            critical: true,
            value: &[3, 2, 7, 0x80],
        }]
    );
    assert_eq!(cert.der, der.as_slice());
    assert!(der.windows(cert.tbs.len()).any(|w| w == cert.tbs));
}

#[test]
fn version_defaults_to_v1_and_may_be_explicit() {
    let mut fields = tbs_fields(&[]);
    fields.remove(0);
    assert_eq!(
        Certificate::read(&certificate_from(&fields))
            .unwrap()
            .version,
        1
    );
    let mut fields = tbs_fields(&[]);
    fields[0] = tlv(VERSION, &tlv(der::INTEGER, &[0]));
    assert_eq!(
        Certificate::read(&certificate_from(&fields))
            .unwrap()
            .version,
        1
    );
    fields[0] = tlv(VERSION, &tlv(der::INTEGER, &[0xff]));
    assert!(problem(&certificate_from(&fields)).contains("version"));
}

#[test]
fn times_must_be_utc_with_seconds() {
    let with_validity = |not_before: Vec<u8>, not_after: Vec<u8>| {
        let mut fields = tbs_fields(&[]);
        fields[4] = seq(&[not_before, not_after]);
        certificate_from(&fields)
    };
    let generalized = tlv(time::GENERALIZED_TIME, b"20500101000000Z");
    let cert = with_validity(utc("491231235959Z"), generalized);
    let cert = Certificate::read(&cert).unwrap();
    assert_eq!(
        (cert.not_before.seconds(), cert.not_after.seconds()),
        (2_524_607_999, 2_524_608_000)
    );
    let cert = with_validity(utc("500101000000Z"), utc("991231235959Z"));
    assert_eq!(
        Certificate::read(&cert).unwrap().not_before.seconds(),
        -631_152_000
    );
    for (bad, which) in [
        (
            with_validity(utc("2001010000Z"), utc("300101000000Z")),
            "notBefore",
        ),
        (
            with_validity(utc("200101000000Z"), utc("300101000000+0000")),
            "notAfter",
        ),
        (
            with_validity(
                utc("200101000000Z"),
                tlv(time::GENERALIZED_TIME, b"20300101000000.5Z"),
            ),
            "notAfter",
        ),
        (
            with_validity(
                tlv(der::OCTET_STRING, b"200101000000Z"),
                utc("300101000000Z"),
            ),
            "notBefore",
        ),
    ] {
        assert!(problem(&bad).starts_with(which), "{}", problem(&bad));
    }
    let missing = {
        let mut fields = tbs_fields(&[]);
        fields[4] = seq(&[utc("200101000000Z")]);
        certificate_from(&fields)
    };
    assert!(problem(&missing).contains("notAfter is missing"));
}

#[test]
fn trailing_data_is_refused_wherever_it_is() {
    let mut after = certificate(&[]);
    after.extend_from_slice(&[0, 0]);
    assert_eq!(
        problem(&after),
        "2 bytes of trailing data after the certificate"
    );
    let mut fields = tbs_fields(&[]);
    fields.push(tlv(der::NULL, &[]));
    assert!(problem(&certificate_from(&fields)).contains("tbsCertificate has unexpected data"));
    let der = seq(&[
        seq(&tbs_fields(&[])),
        seq(&[oid("1.2.840.113549.1.1.11"), tlv(der::NULL, &[])]),
        tlv(der::BIT_STRING, &[0, 1]),
        tlv(der::NULL, &[]),
    ]);
    assert!(problem(&der).contains("the Certificate has unexpected data"));
    let mut fields = tbs_fields(&[]);
    fields[6] = seq(&[
        seq(&[oid("1.3.101.112")]),
        tlv(der::BIT_STRING, &[0; 33]),
        tlv(der::NULL, &[]),
    ]);
    assert!(problem(&certificate_from(&fields)).contains("subjectPublicKeyInfo"));
}

#[test]
fn lengths_must_be_definite_minimal_and_within_the_input() {
    let der = certificate(&[]);
    // The outer length re-encoded in the long form with a needless leading zero octet.
    assert!(der[1] > 0x80);
    let mut long = vec![0x30, der[1] + 1, 0x00];
    long.extend_from_slice(&der[2..]);
    assert!(problem(&long).starts_with("not a DER Certificate structure"));
    // The serial's length in the long form although it is below 128.
    let mut fields = tbs_fields(&[]);
    fields[1] = vec![der::INTEGER, 0x81, 0x01, 0x01];
    assert!(problem(&certificate_from(&fields)).contains("serialNumber is not valid DER"));
    // Indefinite length.
    let mut indefinite = der.clone();
    indefinite[1] = 0x80;
    assert!(!problem(&indefinite).is_empty());
    // Truncated: every proper prefix is refused, none panics.
    for end in 0..der.len() {
        assert!(!problem(&der[..end]).is_empty(), "prefix of {end} bytes");
    }
}

#[test]
fn fields_must_have_their_types() {
    let mut fields = tbs_fields(&[]);
    fields[1] = tlv(der::OCTET_STRING, &[1]);
    assert_eq!(
        problem(&certificate_from(&fields)),
        "the serialNumber has the wrong type"
    );
    let mut fields = tbs_fields(&[]);
    fields[1] = tlv(der::INTEGER, &[0, 1]);
    assert!(problem(&certificate_from(&fields)).contains("not a minimal DER INTEGER"));
    let mut fields = tbs_fields(&[]);
    fields[1] = tlv(der::INTEGER, &[0xff, 0x80]);
    assert!(problem(&certificate_from(&fields)).contains("not a minimal DER INTEGER"));
    let mut fields = tbs_fields(&[]);
    fields[1] = tlv(der::INTEGER, &[0x80]);
    assert_eq!(
        Certificate::read(&certificate_from(&fields))
            .unwrap()
            .serial,
        &[0x80]
    );
    let mut fields = tbs_fields(&[]);
    fields.truncate(5);
    assert_eq!(
        problem(&certificate_from(&fields)),
        "the subject is missing"
    );
    let mut fields = tbs_fields(&[]);
    fields[2] = seq(&[tlv(der::OCTET_STRING, &[1])]);
    assert!(problem(&certificate_from(&fields)).contains("tbsCertificate signature"));
    let bad_padding = seq(&[
        seq(&tbs_fields(&[])),
        seq(&[oid("1.2.840.113549.1.1.11")]),
        tlv(der::BIT_STRING, &[1, 0x01]),
    ]);
    assert!(problem(&bad_padding).contains("signatureValue is not a DER BIT STRING"));
    let mut fields = tbs_fields(&[]);
    fields[2] = seq(&[tlv(der::OID, &[0x80, 0x01])]);
    assert!(problem(&certificate_from(&fields)).contains("malformed OBJECT IDENTIFIER"));
}

#[test]
fn names_need_non_empty_rdns_of_oid_value_pairs() {
    let with_subject = |subject: Vec<u8>| {
        let mut fields = tbs_fields(&[]);
        fields[5] = subject;
        certificate_from(&fields)
    };
    let empty = with_subject(seq(&[]));
    let empty = Certificate::read(&empty).unwrap();
    assert!(empty.subject.rdns.is_empty());
    let empty_rdn = seq(&[tlv(SET, &[])]);
    assert_eq!(
        problem(&with_subject(empty_rdn)),
        "the subject is not a DER Name"
    );
    let no_value = seq(&[tlv(SET, &seq(&[oid("2.5.4.3")]))]);
    assert_eq!(
        problem(&with_subject(no_value)),
        "the subject is not a DER Name"
    );
    let sequence_not_set = seq(&[seq(&[seq(&[oid("2.5.4.3"), tlv(0x0c, b"x")])])]);
    assert_eq!(
        problem(&with_subject(sequence_not_set)),
        "the subject is not a DER Name"
    );
    let two = seq(&[tlv(
        SET,
        &[
            seq(&[oid("2.5.4.3"), tlv(0x1e, &[0, b'a'])]),
            seq(&[oid("1.2.840.113549.1.9.1"), tlv(0x16, b"a@b")]),
        ]
        .concat(),
    )]);
    let two = with_subject(two);
    let cert = Certificate::read(&two).unwrap();
    let cn = cert
        .subject
        .values_of(attribute::COMMON_NAME)
        .next()
        .unwrap();
    // A BMPString commonName has no plain text; the email address has.
    assert_eq!(plain_string(cn), None);
    let email = cert
        .subject
        .values_of(attribute::EMAIL_ADDRESS)
        .next()
        .unwrap();
    assert_eq!(plain_string(email), Some("a@b"));
}

#[test]
fn extension_envelopes_are_strict() {
    let flagged = |flag: &[u8]| certificate(&[extension("2.5.29.14", Some(flag), &[4, 1, 9])]);
    assert!(!Certificate::read(&flagged(&[0xff])).unwrap().extensions[0]
        .critical
        .eq(&false));
    // An explicit FALSE is tolerated (DER would omit it); 0x01 is not a DER TRUE.
    assert!(!Certificate::read(&flagged(&[0x00])).unwrap().extensions[0].critical);
    assert!(problem(&flagged(&[0x01])).contains("critical flag is not a DER BOOLEAN"));
    let no_value = certificate(&[seq(&[oid("2.5.29.14")])]);
    assert_eq!(problem(&no_value), "an extension is missing");
    let extra = certificate(&[seq(&[
        oid("2.5.29.14"),
        tlv(4, &[4, 0]),
        tlv(der::NULL, &[]),
    ])]);
    assert!(problem(&extra).contains("an extension has unexpected data"));
    let mut fields = tbs_fields(&[]);
    fields.push(tlv(EXTENSIONS, &[seq(&[]), seq(&[])].concat()));
    assert!(problem(&certificate_from(&fields)).contains("extensions are not a DER SEQUENCE"));
    let duplicates = certificate(&[
        extension("2.5.29.14", None, &[4, 1, 1]),
        extension("2.5.29.14", None, &[4, 1, 2]),
    ]);
    assert_eq!(Certificate::read(&duplicates).unwrap().extensions.len(), 2);
}

fn general_names_der(names: &[Vec<u8>]) -> Vec<u8> {
    seq(names)
}

#[test]
fn basic_constraints_and_key_usage() {
    let bc =
        |parts: &[Vec<u8>]| decode(ext::BASIC_CONSTRAINTS, &seq(parts)).map(|d| format!("{d:?}"));
    let expect = |ca: bool, path_len: Option<u32>| {
        Some(format!("{:?}", Decoded::BasicConstraints { ca, path_len }))
    };
    let ca_true = tlv(BOOLEAN, &[0xff]);
    let ca_false = tlv(BOOLEAN, &[0x00]);
    assert_eq!(
        bc(&[ca_true.clone(), tlv(der::INTEGER, &[2])]),
        expect(true, Some(2))
    );
    assert_eq!(bc(&[]), expect(false, None));
    assert_eq!(bc(&[ca_false]), expect(false, None));
    assert_eq!(bc(&[tlv(BOOLEAN, &[1])]), None);
    assert_eq!(
        bc(&[ca_true.clone(), tlv(der::INTEGER, &[0xff])]),
        None,
        "negative"
    );
    assert_eq!(
        bc(&[ca_true.clone(), tlv(der::INTEGER, &[0, 2])]),
        None,
        "not minimal"
    );
    assert_eq!(
        bc(&[tlv(der::INTEGER, &[2]), ca_true.clone()]),
        None,
        "wrong order"
    );
    let mut trailing = seq(&[ca_true]);
    trailing.push(0);
    assert_eq!(decode(ext::BASIC_CONSTRAINTS, &trailing), None);

    let ku = |bits: &[u8]| match decode(ext::KEY_USAGE, &tlv(der::BIT_STRING, bits)) {
        Some(Decoded::KeyUsage(flags)) => Some(flags),
        _ => None,
    };
    // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, two unused bits.
    assert_eq!(ku(&[2, 0x84]), Some(0b10_0001));
    // decipherOnly is bit 8, in the second octet.
    assert_eq!(ku(&[7, 0x00, 0x80]), Some(1 << 8));
    assert_eq!(ku(&[0]), Some(0));
    assert_eq!(ku(&[2, 0x86]), None, "an unused bit set");
    assert_eq!(ku(&[8, 0x00]), None, "eight unused bits");
    assert_eq!(
        decode(ext::KEY_USAGE, &tlv(der::OCTET_STRING, &[0, 0x80])),
        None
    );
}

#[test]
fn extended_key_usage_keeps_the_reported_order() {
    let eku = |purposes: &[&str]| {
        let oids: Vec<Vec<u8>> = purposes.iter().map(|p| oid(p)).collect();
        match decode(ext::EXTENDED_KEY_USAGE, &seq(&oids)) {
            Some(Decoded::ExtendedKeyUsage(purposes)) => Some(purposes),
            _ => None,
        }
    };
    let listed = eku(&[
        "1.2.3.4",
        "1.3.6.1.5.5.7.3.2",
        "1.3.6.1.5.5.7.3.1",
        "1.3.6.1.5.5.7.3.2",
    ]);
    assert_eq!(
        listed,
        Some(vec![
            "1.3.6.1.5.5.7.3.1".to_string(),
            "1.3.6.1.5.5.7.3.2".to_string(),
            "1.2.3.4".to_string(),
        ])
    );
    assert_eq!(eku(&[]), Some(vec![]));
    assert_eq!(
        decode(ext::EXTENDED_KEY_USAGE, &seq(&[tlv(der::INTEGER, &[1])])),
        None
    );
}

#[test]
fn key_identifiers() {
    assert_eq!(
        decode(ext::SUBJECT_KEY_ID, &tlv(der::OCTET_STRING, &[1, 2])),
        Some(Decoded::SubjectKeyId(&[1, 2]))
    );
    assert_eq!(decode(ext::SUBJECT_KEY_ID, &[1, 2]), None);
    let aki = seq(&[
        tlv(0x80, &[9, 9]),
        tlv(0xa1, &tlv(0xa4, &name("Root"))),
        tlv(0x82, &[5]),
    ]);
    assert_eq!(
        decode(ext::AUTHORITY_KEY_ID, &aki),
        Some(Decoded::AuthorityKeyId {
            key_id: Some(&[9, 9]),
            has_issuer: true,
            serial: Some(&[5])
        })
    );
    assert_eq!(
        decode(ext::AUTHORITY_KEY_ID, &seq(&[])),
        Some(Decoded::AuthorityKeyId {
            key_id: None,
            has_issuer: false,
            serial: None
        })
    );
    let out_of_order = seq(&[tlv(0x82, &[5]), tlv(0x80, &[9])]);
    assert_eq!(decode(ext::AUTHORITY_KEY_ID, &out_of_order), None);
    let bad_serial = seq(&[tlv(0x82, &[0, 5])]);
    assert_eq!(decode(ext::AUTHORITY_KEY_ID, &bad_serial), None);
}

#[test]
fn subject_alt_names_of_every_kind() {
    let names = general_names_der(&[
        tlv(0x82, b"db.example.com"),
        tlv(0x87, &[10, 0, 0, 1]),
        tlv(0x81, b"ops@example.com"),
        tlv(0x86, b"https://example.com/"),
        tlv(0xa4, &name("Dir")),
        tlv(0xa0, &[oid("1.2.3"), tlv(0xa0, &tlv(0x0c, b"x"))].concat()),
        tlv(0x88, &oid_bytes("1.2.3").unwrap()),
        tlv(0xa3, &[]),
        tlv(0xa5, &[]),
        tlv(0x82, &[0xff]),
        tlv(0xa2, &tlv(0x16, b"x")),
        tlv(0xa4, &[1, 2]),
        tlv(0x89, &[]),
    ]);
    assert_eq!(
        decode(ext::SUBJECT_ALT_NAME, &names),
        Some(Decoded::SubjectAltName(vec![
            GeneralName::Dns("db.example.com".into()),
            GeneralName::Ip(vec![10, 0, 0, 1]),
            GeneralName::Email("ops@example.com".into()),
            GeneralName::Uri("https://example.com/".into()),
            GeneralName::Directory(name("Dir")),
            GeneralName::Other("otherName"),
            GeneralName::Other("registeredID"),
            GeneralName::Other("x400Address"),
            GeneralName::Other("ediPartyName"),
            GeneralName::Invalid,
            GeneralName::Invalid,
            GeneralName::Invalid,
            GeneralName::Invalid,
        ]))
    );
    // A universal-class element is not a GeneralName: the extension does not decode.
    assert_eq!(
        decode(ext::SUBJECT_ALT_NAME, &seq(&[tlv(0x16, b"x")])),
        None
    );
    // Plain ASCII where the DER should be (x509-limbo's rfc5280::san::malformed).
    assert_eq!(decode(ext::SUBJECT_ALT_NAME, b"example.com"), None);
}

#[test]
fn name_constraints_and_netscape_types() {
    let subtree = |base: Vec<u8>| seq(&[base]);
    let nc = seq(&[
        tlv(0xa0, &subtree(tlv(0x82, b"example.com"))),
        tlv(
            0xa1,
            &[subtree(tlv(0x87, &[10, 0, 0, 0, 255, 0, 0, 0]))].concat(),
        ),
    ]);
    assert_eq!(
        decode(ext::NAME_CONSTRAINTS, &nc),
        Some(Decoded::NameConstraints {
            permitted: Some(vec![GeneralName::Dns("example.com".into())]),
            excluded: Some(vec![GeneralName::Ip(vec![10, 0, 0, 0, 255, 0, 0, 0])]),
        })
    );
    let with_minimum = seq(&[tlv(0xa0, &seq(&[tlv(0x82, b"a"), tlv(0x80, &[0])]))]);
    assert!(decode(ext::NAME_CONSTRAINTS, &with_minimum).is_some());
    let empty_subtrees = seq(&[tlv(0xa0, &[])]);
    assert_eq!(decode(ext::NAME_CONSTRAINTS, &empty_subtrees), None);
    let junk_after_base = seq(&[tlv(0xa0, &seq(&[tlv(0x82, b"a"), tlv(der::NULL, &[])]))]);
    assert_eq!(decode(ext::NAME_CONSTRAINTS, &junk_after_base), None);

    // sslServer (bit 1) and sslCA (bit 5): 0100 0100.
    assert_eq!(
        decode(ext::NS_CERT_TYPE, &tlv(der::BIT_STRING, &[2, 0x44])),
        Some(Decoded::NsCertType(NsCertType {
            ssl_client: false,
            ssl_server: true,
            ssl_ca: true,
            any_ca: true,
        }))
    );
    assert_eq!(
        decode(ext::NS_CERT_TYPE, &tlv(der::BIT_STRING, &[0, 1, 2])),
        None
    );
}

#[test]
fn other_known_extensions_are_checked_for_shape_only() {
    let access = seq(&[seq(&[oid("1.3.6.1.5.5.7.48.1"), tlv(0x86, b"http://ocsp")])]);
    assert_eq!(
        decode(ext::AUTHORITY_INFO_ACCESS, &access),
        Some(Decoded::Other)
    );
    // x509-limbo's webpki::malformed-aia: not DER at all.
    assert_eq!(
        decode(ext::AUTHORITY_INFO_ACCESS, b"\x30\x03\x02\x01"),
        None
    );
    let policies = seq(&[seq(&[oid("2.23.140.1.2.1")])]);
    assert_eq!(
        decode(ext::CERTIFICATE_POLICIES, &policies),
        Some(Decoded::Other)
    );
    assert_eq!(decode(ext::CERTIFICATE_POLICIES, &seq(&[seq(&[])])), None);
    let crl = seq(&[seq(&[tlv(0xa0, &tlv(0xa0, &tlv(0x86, b"http://crl")))])]);
    assert_eq!(
        decode(ext::CRL_DISTRIBUTION_POINTS, &crl),
        Some(Decoded::Other)
    );
    assert_eq!(
        decode(ext::INHIBIT_ANY_POLICY, &tlv(der::INTEGER, &[0xff])),
        None
    );
    assert_eq!(
        decode(ext::POLICY_CONSTRAINTS, &seq(&[tlv(0x80, &[0])])),
        Some(Decoded::Other)
    );
    let scts = tlv(der::OCTET_STRING, &[0, 4, 0, 2, 7, 7]);
    assert_eq!(decode(ext::CT_SCT_LIST, &scts), Some(Decoded::Other));
    assert_eq!(
        decode(
            ext::CT_SCT_LIST,
            &tlv(der::OCTET_STRING, &[0, 4, 0, 3, 7, 7])
        ),
        None
    );
    // An extension pg-preflight does not know is never malformed.
    assert_eq!(decode("1.2.3.4", b"anything"), Some(Decoded::Other));
}

#[test]
fn the_chain_model_reads_the_first_of_duplicates_and_flags_bad_values() {
    let der = certificate(&[
        extension(
            ext::BASIC_CONSTRAINTS,
            Some(&[0xff]),
            &seq(&[tlv(BOOLEAN, &[0xff])]),
        ),
        extension(ext::BASIC_CONSTRAINTS, None, &seq(&[])),
        extension(ext::KEY_USAGE, None, b"junk"),
        extension("1.2.3.4", Some(&[0xff]), b"junk"),
    ]);
    let model = ChainCert::parse(&der).unwrap();
    assert_eq!(
        model.basic_constraints.map(|bc| (bc.ca, bc.critical)),
        Some((true, true))
    );
    let flags: Vec<(&str, bool, bool)> = model
        .extensions
        .iter()
        .map(|e| (e.oid.as_str(), e.critical, e.malformed))
        .collect();
    assert_eq!(
        flags,
        vec![
            (ext::BASIC_CONSTRAINTS, true, false),
            (ext::BASIC_CONSTRAINTS, false, false),
            (ext::KEY_USAGE, false, true),
            ("1.2.3.4", true, false),
        ]
    );
    assert_eq!(model.key_usage, None);
    // The card shows a duplicated extension as absent.
    let facts = crate::pki::cert::parse(&der).unwrap();
    assert_eq!(facts.is_ca, None);
    assert_eq!(facts.subject, "CN=Subject");
    assert_eq!(facts.version, 3);
}

/// Every certificate among the fixtures and in the system bundle: the fields x509-parser read
/// are read the same.
#[test]
fn fixtures_read_as_x509_parser_reads_them() {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pki");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .chain(std::fs::read_dir(dir.join("chain")).unwrap())
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default())
        .collect();
    texts.push(std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt").unwrap_or_default());
    let mut seen = 0;
    for text in &texts {
        for block in crate::pki::pem::scan(text) {
            let Ok(der) = block.body else { continue };
            let Ok((_, theirs)) = X509Certificate::from_der(&der) else {
                continue;
            };
            let ours = Certificate::read(&der).unwrap();
            assert_eq!(ours.tbs, theirs.tbs_certificate.as_ref());
            assert_eq!(ours.version, theirs.version().0 + 1);
            assert_eq!(ours.serial, theirs.raw_serial());
            assert_eq!(ours.issuer.der, theirs.issuer().as_raw());
            assert_eq!(ours.subject.der, theirs.subject().as_raw());
            assert_eq!(
                ours.not_before.seconds(),
                theirs.validity().not_before.timestamp()
            );
            assert_eq!(
                ours.not_after.seconds(),
                theirs.validity().not_after.timestamp()
            );
            assert_eq!(ours.spki, theirs.public_key().raw);
            assert_eq!(ours.signature, theirs.signature_value.data.as_ref());
            let extensions: Vec<(String, bool, &[u8])> = theirs
                .extensions()
                .iter()
                .map(|e| (e.oid.to_id_string(), e.critical, e.value))
                .collect();
            let read: Vec<(String, bool, &[u8])> = ours
                .extensions
                .iter()
                .map(|e| (der::oid_text(e.oid).unwrap(), e.critical, e.value))
                .collect();
            assert_eq!(read, extensions);
            for (extension, theirs) in ours.extensions.iter().zip(theirs.extensions()) {
                let parse_error = matches!(
                    theirs.parsed_extension(),
                    x509_parser::extensions::ParsedExtension::ParseError { .. }
                );
                let oid = der::oid_text(extension.oid).unwrap();
                assert_eq!(
                    decode(&oid, extension.value).is_none(),
                    parse_error,
                    "{oid}"
                );
            }
            assert_eq!(
                crate::pki::name::display(&ours.subject),
                theirs.subject().to_string()
            );
            seen += 1;
        }
    }
    assert!(seen > 10, "only {seen} certificates found");
}
