//! Inputs far larger than any real one get a clear answer at once instead of a stalled check
//! (an outside review froze the page for 111 s with a megabyte of keyword/value pairs, and for
//! 100 s with a 9,000-character password).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pg_preflight_core::conninfo::security::strength::estimate;
use pg_preflight_core::conninfo::{analyze, CheckOptions, MAX_INPUT_BYTES};

#[test]
fn a_text_past_the_limit_is_one_finding_and_nothing_of_it_is_shown() {
    let secret = "Vt4kJw8rQm";
    let mut huge = format!("host=db.example.com password={secret} ");
    while huge.len() <= MAX_INPUT_BYTES {
        huge.push_str("options=-cx=1 ");
    }
    let analysis = analyze(&huge, None, &CheckOptions::default());
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["PGP-PARAM-013"]);
    assert!(!analysis.valid);
    assert!(analysis.params.is_none());
    let json = serde_json::to_string(&analysis).unwrap();
    assert!(!json.contains(secret), "{json}");
    assert!(json.contains("KiB"), "{json}");
}

#[test]
fn a_string_at_the_limit_is_checked() {
    let mut long = String::from("host=db.example.com sslmode=verify-full sslrootcert=system ");
    while long.len() + "options=-cx=1 ".len() <= MAX_INPUT_BYTES {
        long.push_str("options=-cx=1 ");
    }
    let analysis = analyze(&long, None, &CheckOptions::default());
    assert!(analysis.valid);
    assert!(analysis
        .diagnostics
        .iter()
        .all(|d| d.code != "PGP-PARAM-013"));
}

/// Only the first 128 characters of a password are scored: a prefix is never stronger than
/// the whole, so the cap can only under-rate a long password.
#[test]
fn a_long_password_is_scored_on_its_first_characters() {
    let long: String = "x9Qz-".repeat(2000);
    let prefix: String = long.chars().take(128).collect();
    assert_eq!(
        estimate(&long, None).log10_guesses,
        estimate(&prefix, None).log10_guesses
    );
}
