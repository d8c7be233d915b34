//! Certificates and keys as people paste them: PEM, DER, base64, PKCS#12, encrypted keys.
//!
//! The first byte picks the field and whether a passphrase is given; the rest is the content.
//! Properties (beyond "no panic, no hang"):
//! - every diagnostic span lies within the input;
//! - the certificates found verify (or fail to) under both chain policies without panicking,
//!   with the first as leaf, the rest as intermediates and the last as trust anchor;
//! - the whole `check` over the same bytes in every field completes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg_preflight_core::check::{check, CheckInput};
use pg_preflight_core::pki::chain::{self, Policy, VerifyOptions};
use pg_preflight_core::pki::intake::{intake_with_passphrase, Field};
use pg_preflight_core::pki::review::Material;

const FIELDS: [Field; 5] = [
    Field::RootCert,
    Field::ClientCert,
    Field::ClientKey,
    Field::ServerChain,
    Field::ClientCa,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let field = FIELDS[usize::from(selector) % FIELDS.len()];
    let passphrase: Option<&[u8]> = (selector & 0x80 != 0).then_some(b"fixture-pass".as_slice());
    let read = intake_with_passphrase(content, field, passphrase);
    for diagnostic in &read.diagnostics {
        if let Some(span) = diagnostic.span {
            assert!(
                span.start <= span.end && span.end <= content.len(),
                "{span:?} outside {}",
                content.len()
            );
        }
    }
    let ders: Vec<&[u8]> = read
        .certificates()
        .map(|(item, _)| item.der.as_slice())
        .collect();
    if let Some((leaf, rest)) = ders.split_first() {
        let trusted: Vec<&[u8]> = rest.last().copied().into_iter().collect();
        for policy in [Policy::Strict, Policy::Libpq] {
            let options = VerifyOptions {
                policy,
                host: Some("db.example.com".into()),
                ..VerifyOptions::new(pg_preflight_core::pki::time::UnixTime::from_seconds(
                    1_780_272_000,
                ))
            };
            let _ = chain::verify(leaf, rest, &trusted, &options);
        }
    }
    let material = Material {
        root_cert: Some(content),
        client_cert: Some(content),
        client_key: Some(content),
        key_passphrase: passphrase,
        server_chain: Some(content),
        client_ca: None,
    };
    let _ = check(&CheckInput {
        dsn: Some("host=db.example.com user=app sslmode=verify-full"),
        driver: None,
        material,
        now: pg_preflight_core::pki::time::UnixTime::from_seconds(1_780_272_000),
    });
});
