//! Secrets a third outside review found shown back, one test per kind of leak. Each asserts
//! what the tool says of the string (codes, spans, fixes, hosts, the shown input) and that the
//! secret stands nowhere in what is shown (`params` aside, DESIGN §3).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze, Analysis, CheckOptions};

fn analysed(input: &str, driver: Option<Dialect>) -> Analysis {
    analyze(input, driver, &CheckOptions::default())
}

/// Everything an analysis shows, as JSON, without `params` (which carries the password by
/// design).
fn shown(analysis: &Analysis) -> String {
    let mut value = serde_json::to_value(analysis).unwrap();
    value.as_object_mut().unwrap().remove("params");
    value.to_string()
}

fn codes(analysis: &Analysis) -> Vec<&'static str> {
    analysis.diagnostics.iter().map(|d| d.code).collect()
}

fn assert_hidden(analysis: &Analysis, pieces: &[&str], input: &str) {
    let shown = shown(analysis);
    for piece in pieces {
        assert!(
            !shown.contains(piece),
            "{input}: `{piece}` shown in {shown}"
        );
    }
}

/// asyncpg and pgx send keys they do not read to the server; a password key in another case
/// (or misspelt) went there with its decoded value quoted in the finding, in a fix title and in
/// the libpq equivalent's `options`.
#[test]
fn a_password_key_a_driver_would_send_to_the_server() {
    for (driver, input) in [
        (Dialect::Asyncpg, "postgresql://u@h/db?Password=Vt4k%2BJw8r"),
        (Dialect::Pgx, "postgresql://u@h/db?Password=Vt4k%2BJw8r"),
        (Dialect::Asyncpg, "postgresql://u@h/db?PASSWORD=Vt4k%2BJw8r"),
        (Dialect::Pgx, "postgresql://u@h/db?pasword=Vt4k%2BJw8r"),
        (Dialect::Pgx, "host=h user=u PASSWORD='Vt4k\\'Jw8r'"),
    ] {
        let analysis = analysed(input, Some(driver));
        let key = input.rfind(['?', ' ']).unwrap() + 1;
        let sent = analysis
            .diagnostics
            .iter()
            .find(|d| d.code == "PGP-DRIVER-007")
            .unwrap_or_else(|| panic!("{input}: {:?}", codes(&analysis)));
        assert_eq!(
            sent.span.map(|s| (s.start, s.end)),
            Some((key, input.len()))
        );
        assert!(!codes(&analysis).contains(&"PGP-DRIVER-008"), "{input}");
        assert!(analysis.libpq_equivalent.is_none(), "{input}");
        assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    }
}
