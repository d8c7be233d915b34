//! Key conversion for drivers, checked against openssl's own outputs (the fixtures).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use pg_preflight_core::pki::convert::{convert, ConvertError, KeyFormat};
use pg_preflight_core::pki::intake::{intake, key_matches, Field, OpenError};

mod common;
use common::fixture;

const PASS: Option<&[u8]> = Some(b"fixture-pass");

#[test]
fn every_rsa_container_becomes_openssls_pkcs8() {
    for name in [
        "client.pkcs1.key",
        "client.pkcs8.key",
        "client.pk8",
        "client.pbes2-scrypt.key",
        "client.legacy-des3.key",
        "client.pkcs12pbe-3des.key",
    ] {
        let pem = convert(&fixture(name), PASS, KeyFormat::Pkcs8Pem).unwrap();
        assert_eq!(
            pem.as_slice(),
            fixture("client.pkcs8.key").as_slice(),
            "{name}"
        );
        let der = convert(&fixture(name), PASS, KeyFormat::Pkcs8Der).unwrap();
        assert_eq!(der.as_slice(), fixture("client.pk8").as_slice(), "{name}");
    }
    let pkcs1 = convert(&fixture("client.pk8"), None, KeyFormat::Pkcs1Pem).unwrap();
    assert_eq!(pkcs1.as_slice(), fixture("client.pkcs1.key").as_slice());
}

#[test]
fn ec_keys_convert_and_still_match() {
    let pem = convert(&fixture("client-ec.sec1.key"), None, KeyFormat::Pkcs8Pem).unwrap();
    let key = intake(&pem, Field::ClientKey);
    let cert = intake(&fixture("client-ec.crt"), Field::ClientCert);
    assert_eq!(key_matches(&cert.items[0], &key.items[0]), Some(true));
    assert_eq!(
        convert(&fixture("client-ec.sec1.key"), None, KeyFormat::Pkcs1Pem),
        Err(ConvertError::NotRsa)
    );
}

#[test]
fn locked_or_wrong_passphrase_is_an_error() {
    assert_eq!(
        convert(
            &fixture("client.pbes2-aes256.key"),
            None,
            KeyFormat::Pkcs8Der
        ),
        Err(ConvertError::Open(OpenError::Locked))
    );
    assert!(matches!(
        convert(
            &fixture("client.pbes2-aes256.key"),
            Some(b"nope"),
            KeyFormat::Pkcs8Der
        ),
        Err(ConvertError::Open(OpenError::Decrypt(_)))
    ));
    assert_eq!(
        convert(&fixture("client.crt"), None, KeyFormat::Pkcs8Der),
        Err(ConvertError::Open(OpenError::Unreadable))
    );
}
