//! Intake of every fixture format (made by scripts/make-pki-fixtures.sh): what each file is
//! recognised as, and the diagnostics for things in the wrong field.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use pg_preflight_core::pki::intake::{intake, Field, InputFormat, ItemKind};
use pg_preflight_core::pki::time::UnixTime;

mod common;
use common::fixture;

/// One expectation: the file, the field it is given in, the kinds recognised (in order), and
/// the diagnostic codes raised.
fn check(name: &str, field: Field, kinds: &[&str], codes: &[&str]) {
    let result = intake(&fixture(name), field);
    let got_kinds: Vec<String> = result
        .items
        .iter()
        .map(|item| match &item.kind {
            ItemKind::Certificate(_) => "certificate".to_string(),
            ItemKind::PrivateKey(k) => format!("key:{}", k.describe()),
            ItemKind::CertificateRequest => "csr".into(),
            ItemKind::PublicKey => "public-key".into(),
            ItemKind::OpensshPrivateKey => "openssh".into(),
            ItemKind::Pkcs12 => "pkcs12".into(),
            ItemKind::Crl => "crl".into(),
            ItemKind::Unknown { label } => format!("unknown:{label}"),
        })
        .collect();
    assert_eq!(got_kinds, kinds, "{name} kinds");
    let mut got_codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
    got_codes.sort_unstable();
    assert_eq!(got_codes, codes, "{name} codes: {:?}", result.diagnostics);
}

#[test]
fn every_format_is_recognised() {
    use Field::*;
    check("bundle.crt", RootCert, &["certificate", "certificate"], &[]);
    check("client.der", ClientCert, &["certificate"], &[]);
    check(
        "client.pkcs1.key",
        ClientKey,
        &["key:RSA 2048, PKCS#1"],
        &[],
    );
    check(
        "client.pkcs8.key",
        ClientKey,
        &["key:RSA 2048, PKCS#8"],
        &[],
    );
    check("client.pk8", ClientKey, &["key:RSA 2048, PKCS#8"], &[]);
    check(
        "client-ec.sec1.key",
        ClientKey,
        &["key:EC P-384, SEC1"],
        &[],
    );
    check(
        "client-ed25519.key",
        ClientKey,
        &["key:Ed25519, PKCS#8"],
        &[],
    );
    check(
        "client.pbes2-aes256.key",
        ClientKey,
        &["key:encrypted PKCS#8 with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)"],
        &["PGP-KEY-001"],
    );
    check(
        "client.pbes2-scrypt.key",
        ClientKey,
        &["key:encrypted PKCS#8 with PBES2 (scrypt, AES-256-CBC)"],
        &["PGP-KEY-001"],
    );
    check(
        "client.pkcs12pbe-3des.key",
        ClientKey,
        &["key:encrypted PKCS#8 with PKCS#12 PBE (SHA-1, 3DES)"],
        &["PGP-KEY-001"],
    );
    check(
        "client.legacy-aes128.key",
        ClientKey,
        &["key:RSA, legacy encrypted PEM with AES-128-CBC (OpenSSL legacy, MD5 key derivation)"],
        &["PGP-KEY-001"],
    );
    check(
        "client.legacy-des3.key",
        ClientKey,
        &["key:RSA, legacy encrypted PEM with DES-EDE3-CBC (OpenSSL legacy, MD5 key derivation)"],
        &["PGP-KEY-001"],
    );
}

#[test]
fn things_in_the_wrong_place_are_flagged() {
    use Field::*;
    check(
        "client.pkcs8.key",
        RootCert,
        &["key:RSA 2048, PKCS#8"],
        &["PGP-PEM-010"],
    );
    check("client.crt", ClientKey, &["certificate"], &["PGP-PEM-011"]);
    check("client.csr", ClientCert, &["csr"], &["PGP-PEM-012"]);
    check("client.pub", ClientKey, &["public-key"], &["PGP-PEM-013"]);
    check("openssh.key", ClientKey, &["openssh"], &["PGP-PEM-014"]);
    check("client.p12", ClientKey, &["pkcs12"], &["PGP-PEM-015"]);
}

#[test]
fn broken_pastes_say_which_block_and_line() {
    let bundle = String::from_utf8(fixture("bundle.crt")).unwrap();
    // Drop the second block's last base64 lines and END line: truncated in transit.
    let cut = bundle.rfind("-----END").unwrap() - 130;
    let truncated = &bundle[..cut];
    let result = intake(truncated.as_bytes(), Field::RootCert);
    assert_eq!(result.items.len(), 1);
    let broken: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == "PGP-PEM-001")
        .collect();
    assert_eq!(broken.len(), 1);
    assert!(
        broken[0]
            .detail
            .starts_with("block 2 (`CERTIFICATE`, line "),
        "{}",
        broken[0].detail
    );

    let corrupted = bundle.replacen("MII", "M*I", 1);
    let result = intake(corrupted.as_bytes(), Field::RootCert);
    assert!(result
        .diagnostics
        .iter()
        .any(|d| d.code == "PGP-PEM-001" && d.detail.contains("line 2, column 2")));

    let crlf_indented: String = bundle.lines().map(|l| format!("    {l}\r\n")).collect();
    let result = intake(crlf_indented.trim_end().as_bytes(), Field::RootCert);
    assert_eq!(result.certificates().count(), 2);
    assert!(result.diagnostics.is_empty());
}

#[test]
fn bare_base64_and_junk() {
    let pem = String::from_utf8(fixture("client.crt")).unwrap();
    let bare: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let result = intake(bare.as_bytes(), Field::ClientCert);
    assert_eq!(result.format, InputFormat::Base64);
    assert_eq!(result.certificates().count(), 1);

    for junk in [
        "/home/me/.postgresql/root.crt",
        "ssh-ed25519 AAAAC3Nza me@host",
        "\u{0}\u{1}garbage",
    ] {
        let result = intake(junk.as_bytes(), Field::RootCert);
        assert_eq!(result.items.len(), 0);
        assert_eq!(
            result
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>(),
            ["PGP-PEM-002"]
        );
    }
    assert_eq!(intake(b"  \n", Field::RootCert).format, InputFormat::Empty);
}

#[test]
fn certificate_facts() {
    let result = intake(&fixture("server.crt"), Field::ServerChain);
    let (_, facts) = result.certificates().next().unwrap();
    assert_eq!(facts.common_name.as_deref(), Some("db.example.com"));
    assert_eq!(
        facts.dns_names,
        ["db.example.com", "*.replicas.example.com"]
    );
    assert_eq!(facts.ip_addresses, ["127.0.0.1"]);
    assert_eq!(facts.key.algorithm, "RSA");
    assert_eq!(facts.key.bits, Some(2048));
    assert_eq!(facts.signature_algorithm, "ecdsa-with-SHA256");
    assert_eq!(facts.is_ca, Some(false));
    assert_eq!(
        facts.extended_key_usage.as_deref(),
        Some(&["serverAuth".to_string()][..])
    );
    assert_eq!(facts.version, 3);
    assert_eq!(facts.not_after_text, "2030-01-01T00:00:00Z");
    let now = UnixTime::parse("2026-06-01T00:00:00Z").unwrap();
    assert_eq!(facts.days_left(now), 1310);
    assert!(facts.subject_key_id.is_some() && facts.authority_key_id.is_some());
    assert_eq!(facts.fingerprint_sha256.len(), 32 * 3 - 1);

    let inter = intake(&fixture("inter.crt"), Field::RootCert);
    let (_, facts) = inter.certificates().next().unwrap();
    assert_eq!((facts.is_ca, facts.path_len), (Some(true), Some(0)));
    assert_eq!(facts.key.curve.as_deref(), Some("P-256"));
    assert_eq!(
        facts.key_usage.as_deref(),
        Some(&["keyCertSign".to_string(), "cRLSign".to_string()][..])
    );
}

mod keys {
    use super::fixture;
    use pg_preflight_core::pki::intake::{
        intake, intake_with_passphrase, key_matches, Field, Item, ItemKind,
    };

    fn first_key(name: &str, passphrase: Option<&str>) -> (Item, Vec<&'static str>) {
        let result = intake_with_passphrase(
            &fixture(name),
            Field::ClientKey,
            passphrase.map(str::as_bytes),
        );
        let codes = result.diagnostics.iter().map(|d| d.code).collect();
        let item = result
            .items
            .into_iter()
            .find(|i| matches!(i.kind, ItemKind::PrivateKey(_)))
            .unwrap_or_else(|| panic!("{name}: no key"));
        (item, codes)
    }

    fn certificate(name: &str) -> Item {
        intake(&fixture(name), Field::ClientCert)
            .items
            .into_iter()
            .next()
            .unwrap()
    }

    #[test]
    fn every_container_and_encryption_matches_its_certificate() {
        let client = certificate("client.crt");
        for name in [
            "client.pkcs1.key",
            "client.pkcs8.key",
            "client.pk8",
            "client.pbes2-aes256.key",
            "client.pbes2-scrypt.key",
            "client.pkcs12pbe-3des.key",
            "client.legacy-aes128.key",
            "client.legacy-des3.key",
        ] {
            let (key, codes) = first_key(name, Some("fixture-pass"));
            assert_eq!(key_matches(&client, &key), Some(true), "{name}: {codes:?}");
            assert!(codes.is_empty(), "{name}: {codes:?}");
            let ItemKind::PrivateKey(facts) = &key.kind else {
                unreachable!()
            };
            assert_eq!(
                (facts.algorithm.as_str(), facts.bits),
                ("RSA", Some(2048)),
                "{name}"
            );
        }
        let ec = certificate("client-ec.crt");
        let (ec_key, _) = first_key("client-ec.sec1.key", None);
        assert_eq!(key_matches(&ec, &ec_key), Some(true));
        assert_eq!(key_matches(&client, &ec_key), Some(false));
    }

    #[test]
    fn a_different_key_does_not_match() {
        let client = certificate("client.crt");
        let (server_key, _) = first_key("server.key", None);
        assert_eq!(key_matches(&client, &server_key), Some(false));
        let (ed, _) = first_key("client-ed25519.key", None);
        assert_eq!(key_matches(&client, &ed), Some(false));
        assert!(ed.public_key.is_some());
    }

    #[test]
    fn passphrase_problems_are_diagnosed() {
        for name in [
            "client.pbes2-aes256.key",
            "client.pkcs12pbe-3des.key",
            "client.legacy-des3.key",
            "client.pbes2-scrypt.key",
        ] {
            let (key, codes) = first_key(name, Some("not-the-passphrase"));
            assert_eq!(codes, ["PGP-KEY-002"], "{name}");
            assert!(key.public_key.is_none());
            let (_, codes) = first_key(name, None);
            assert_eq!(codes, ["PGP-KEY-001"], "{name}");
        }
        let client = certificate("client.crt");
        let (locked, _) = first_key("client.legacy-aes128.key", None);
        assert_eq!(key_matches(&client, &locked), None);
    }
}

mod pkcs12 {
    use super::fixture;
    use pg_preflight_core::pki::intake::{
        intake, intake_with_passphrase, key_matches, Field, ItemKind,
    };

    #[test]
    fn bundles_open_with_their_password() {
        let bundle = intake_with_passphrase(
            &fixture("client.p12"),
            Field::ClientKey,
            Some(b"fixture-pass"),
        );
        assert!(bundle.pkcs12);
        let codes: Vec<&str> = bundle.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["PGP-PEM-015"]);
        let cert = bundle
            .items
            .iter()
            .find(|i| matches!(i.kind, ItemKind::Certificate(_)))
            .unwrap();
        let key = bundle
            .items
            .iter()
            .find(|i| matches!(i.kind, ItemKind::PrivateKey(_)))
            .unwrap();
        assert_eq!(key_matches(cert, key), Some(true));
        let pem_cert = intake(&fixture("client.crt"), Field::ClientCert);
        assert_eq!(key_matches(&pem_cert.items[0], key), Some(true));
    }

    #[test]
    fn wrong_or_missing_password() {
        let wrong = intake_with_passphrase(&fixture("client.p12"), Field::ClientKey, Some(b"nope"));
        assert_eq!(
            wrong.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
            ["PGP-KEY-002"]
        );
        let locked = intake(&fixture("client.p12"), Field::ClientKey);
        assert!(locked
            .items
            .iter()
            .all(|i| matches!(i.kind, ItemKind::Pkcs12)));
    }
}

/// Found by the pki_key fuzz target: a PKCS#8 key whose outer structure is intact but whose
/// inner RSAPrivateKey cannot be read was reported as a fine RSA key and "converted" into an
/// equally broken file. Now it is PGP-PEM-003, and conversion refuses it.
#[test]
fn a_key_with_a_damaged_inner_structure_is_reported_and_not_converted() {
    use pg_preflight_core::pki::convert::{convert, ConvertError, KeyFormat};
    let mut der = fixture("client.pk8");
    // The inner RSAPrivateKey starts with `version INTEGER 0` then the modulus: retag the
    // modulus so the key values no longer read, leaving the outer PKCS#8 untouched.
    // (The outer version is followed by the AlgorithmIdentifier, so this pattern is the inner one.)
    let at = der
        .windows(5)
        .position(|w| w == [0x02, 0x01, 0x00, 0x02, 0x82])
        .expect("the inner version field");
    der[at + 3] = 0x04;
    let read = intake(&der, Field::ClientKey);
    let codes: Vec<&str> = read.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"PGP-PEM-003"), "{codes:?}");
    assert!(matches!(
        convert(&der, None, KeyFormat::Pkcs8Pem),
        Err(ConvertError::Damaged)
    ));
    // The intact key still converts.
    assert!(convert(&fixture("client.pk8"), None, KeyFormat::Pkcs8Pem).is_ok());
}

/// Found by the pki_key fuzz target: a PKCS#8 key naming an unknown algorithm OID was accepted
/// silently (OpenSSL cannot load it). Now it is PGP-KEY-006, and conversion refuses it.
#[test]
fn a_key_of_an_unknown_algorithm_is_reported_and_not_converted() {
    use pg_preflight_core::pki::convert::{convert, ConvertError, KeyFormat};
    let mut der = fixture("client.pk8");
    // rsaEncryption is 1.2.840.113549.1.1.1: change its second arc (840 = 0x86 0x48) to 712.
    let oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let at = der
        .windows(oid.len())
        .position(|w| w == oid)
        .expect("the algorithm OID");
    der[at + 1] = 0x85;
    der[at + 2] = 0x48;
    let read = intake(&der, Field::ClientKey);
    let codes: Vec<&str> = read.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"PGP-KEY-006"), "{codes:?}");
    assert!(matches!(
        convert(&der, None, KeyFormat::Pkcs8Der),
        Err(ConvertError::Unsupported)
    ));
}

/// Found by the pki_key fuzz target: an RSA key whose modulus and exponent read but whose
/// private exponent does not (OpenSSL rejects it) passed, and its PKCS#1 conversion was broken.
#[test]
fn an_rsa_key_that_is_not_nine_integers_is_damaged() {
    use pg_preflight_core::pki::convert::{convert, ConvertError, KeyFormat};
    let mut der = fixture("client.pk8");
    // publicExponent 65537 is `02 03 01 00 01`; the privateExponent's INTEGER tag follows.
    let at = der
        .windows(5)
        .position(|w| w == [0x02, 0x03, 0x01, 0x00, 0x01])
        .expect("the public exponent")
        + 5;
    assert_eq!(der[at], 0x02);
    der[at] = 0x04;
    let read = intake(&der, Field::ClientKey);
    let codes: Vec<&str> = read.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"PGP-PEM-003"), "{codes:?}");
    assert!(matches!(
        convert(&der, None, KeyFormat::Pkcs1Pem),
        Err(ConvertError::Damaged)
    ));
}
