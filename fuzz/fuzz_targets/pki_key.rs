//! Private keys with a passphrase: every container, encrypted or not, and conversion.
//!
//! The first byte picks a passphrase (none, the fixtures' one, or taken from the input) and a
//! target format; the rest is the key file. Properties (beyond "no panic, no hang"):
//! - opening a key and converting it to PKCS#8 DER, PKCS#8 PEM or PKCS#1 either fails cleanly
//!   or yields a private key that opens again without a passphrase, with the same algorithm and
//!   public key whenever the original's public key could be derived;
//! - the review of the key alone completes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg_preflight_core::pki::convert::{convert, KeyFormat};
use pg_preflight_core::pki::intake::{intake_with_passphrase, Field, ItemKind};

const FORMATS: [KeyFormat; 3] = [
    KeyFormat::Pkcs8Der,
    KeyFormat::Pkcs8Pem,
    KeyFormat::Pkcs1Pem,
];

/// The private key's algorithm and public key, if the bytes hold a private key at all.
fn key_of(bytes: &[u8], passphrase: Option<&[u8]>) -> Option<(String, Option<Vec<u8>>)> {
    let read = intake_with_passphrase(bytes, Field::ClientKey, passphrase);
    read.items.iter().find_map(|item| match &item.kind {
        ItemKind::PrivateKey(facts) => Some((
            facts.algorithm.clone(),
            item.public_key.as_ref().and_then(|key| key.spki_der()),
        )),
        _ => None,
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (passphrase, content): (Option<&[u8]>, &[u8]) = match selector % 3 {
        0 => (None, rest),
        1 => (Some(b"fixture-pass".as_slice()), rest),
        _ => {
            // The passphrase is the input up to the first NUL, the key what follows.
            let split = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            (
                Some(&rest[..split]),
                rest.get(split + 1..).unwrap_or_default(),
            )
        }
    };
    let format = FORMATS[usize::from(selector >> 4) % FORMATS.len()];
    let original = key_of(content, passphrase);
    if let Ok(converted) = convert(content, passphrase, format) {
        let again = key_of(&converted, None);
        assert!(
            again.is_some(),
            "a converted key does not open again ({format:?})"
        );
        if let (Some((algorithm, Some(public))), Some((again_algorithm, again_public))) =
            (&original, &again)
        {
            assert_eq!(
                algorithm, again_algorithm,
                "conversion to {format:?} changed the algorithm"
            );
            assert_eq!(
                Some(public),
                again_public.as_ref(),
                "conversion to {format:?} changed the public key"
            );
        }
    }
});
