//! Driver dialects: golden cases from `tests/dialects/cases.json` through one `check` helper,
//! invariants every analysis must keep, and one positive and one negative case per rule.
//!
//! A case is `{name, input, driver?, expectDialect, expectValid, expectVerdict?,
//! expectCodes, expectLibpq?, expectParams?}`. `expectCodes` must equal the set of
//! `PGP-DRIVER-*` codes raised; codes of other areas listed there must be present too.
//! `expectLibpq` is the exact libpq equivalent, or `null` for none. Run with
//! `DUMP_DIALECTS=1` to print what the analysis produced for each case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr
)]

use pg_preflight_core::conninfo::dialect::{self, Dialect};
use pg_preflight_core::conninfo::{analyze, syntax, Analysis, CheckOptions};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Secrets used in the cases; none may appear in any output except `params`.
const SECRETS: &[&str] = &["S3cretPw", "KeyPass99"];

fn run(input: &str, driver: Option<Dialect>) -> Analysis {
    analyze(input, driver, &CheckOptions::default())
}

fn driver_codes(analysis: &Analysis) -> BTreeSet<String> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("PGP-DRIVER-") && d.code != LIBPQ_WOULD_REJECT)
        .map(|d| d.code.to_string())
        .collect()
}

/// Raised beside every detected foreign string in libpq's syntax that libpq rejects; tested
/// on its own below rather than listed in every golden case.
const LIBPQ_WOULD_REJECT: &str = "PGP-DRIVER-028";

#[test]
fn a_detected_foreign_string_also_gets_libpqs_message() {
    let options = CheckOptions::default();
    for input in [
        "postgresql://app@db.example.com:6543/app?pgbouncer=true",
        "postgres://app@db.example.com/app?pool_max_conns=10",
        "host=db.example.com dbname=app pool_max_conns=10",
    ] {
        let analysis = analyze(input, None, &options);
        assert_ne!(analysis.dialect, Dialect::Libpq, "{input}");
        let found = analysis
            .diagnostics
            .iter()
            .find(|d| d.code == LIBPQ_WOULD_REJECT);
        let detail = found.map(|d| d.detail.as_str()).unwrap_or_default();
        assert!(detail.contains("libpq: "), "{input}: {detail:?}");
    }
    // Not for a libpq string, a named driver, or another syntax altogether (noise: no one
    // takes a JDBC URL for libpq's).
    for (input, driver) in [
        ("host=db.example.com sslmode=verify-full", None),
        ("jdbc:postgresql://db.example.com/app", Some(Dialect::Jdbc)),
        (
            "jdbc:postgresql://db.example.com/app?sslmode=verify-full",
            None,
        ),
        (
            "Server=db.example.com;Port=5432;Database=app;User Id=app;Protocol=3",
            None,
        ),
        ("postgresql+asyncpg://app@db.example.com/app", None),
    ] {
        let analysis = analyze(input, driver, &options);
        assert!(
            analysis
                .diagnostics
                .iter()
                .all(|d| d.code != LIBPQ_WOULD_REJECT),
            "{input}"
        );
    }
}

/// What must hold for every analysis, whatever the input.
fn check_invariants(input: &str, analysis: &Analysis, context: &str) {
    check_invariants_with(input, analysis, context, true);
}

/// `secrets`: whether [`SECRETS`] only ever appear where they are secrets (true for the
/// hand-written inputs; generated ones put them anywhere).
fn check_invariants_with(input: &str, analysis: &Analysis, context: &str, secrets: bool) {
    let outputs = json!({
        "diagnostics": analysis.diagnostics,
        "libpqEquivalent": analysis.libpq_equivalent,
        "verdict": analysis.verdict,
    })
    .to_string();
    for secret in SECRETS.iter().filter(|_| secrets) {
        assert!(
            !outputs.contains(secret),
            "{context}: secret leaked: {outputs}"
        );
    }
    for d in &analysis.diagnostics {
        if let Some(span) = d.span {
            assert!(
                span.start <= span.end
                    && span.end <= input.len()
                    && input.is_char_boundary(span.start)
                    && input.is_char_boundary(span.end),
                "{context}: bad span {span:?} in {}",
                d.code
            );
        }
        assert!(
            !d.title.contains('`'),
            "{context}: title with instance data"
        );
    }
    if !analysis.valid {
        assert!(analysis.params.is_none(), "{context}: invalid with params");
        assert!(analysis.has_errors(), "{context}: invalid without an error");
    }
    if let Some(libpq) = &analysis.libpq_equivalent {
        let reparsed = syntax::parse(libpq);
        assert!(
            reparsed.is_ok(),
            "{context}: equivalent `{libpq}` is not libpq"
        );
        // The equivalent must promise exactly what the driver does.
        // A host-less equivalent means the driver's default host, which libpq reads as its
        // local socket; the driver's verdict for its own default is the one that counts.
        if let (Some(ours), false) = (&analysis.verdict, analysis.dialect == Dialect::Libpq) {
            let theirs = run(libpq, Some(Dialect::Libpq)).verdict.unwrap();
            let comparable = !(theirs.local || ours.local);
            assert!(
                !comparable
                    || (
                        ours.encrypted,
                        ours.server_verified,
                        ours.hostname_verified,
                        ours.plaintext_fallback
                    ) == (
                        theirs.encrypted,
                        theirs.server_verified,
                        theirs.hostname_verified,
                        theirs.plaintext_fallback
                    ),
                "{context}: driver verdict and libpq verdict of `{libpq}` differ"
            );
        }
    }
    // A driver fix's replacement, read by the same driver, no longer raises that finding.
    if analysis.dialect != Dialect::Libpq {
        for d in analysis
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("PGP-DRIVER-"))
        {
            let Some(replacement) = d.fix.as_ref().and_then(|f| f.replacement.as_ref()) else {
                continue;
            };
            let again = run(replacement, Some(analysis.dialect));
            // The same finding: same rule, same detail (a parser that stops at the first
            // error may report the next one under the same rule).
            let count = |a: &Analysis| {
                a.diagnostics
                    .iter()
                    .filter(|e| e.code == d.code && e.detail == d.detail)
                    .count()
            };
            assert!(
                count(&again) < count(analysis),
                "{context}: fix `{replacement}` for {} still raises it: {:?}",
                d.code,
                again
                    .diagnostics
                    .iter()
                    .map(|e| (e.code, &e.detail))
                    .collect::<Vec<_>>()
            );
        }
    }
}

fn check(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let input = case["input"].as_str().unwrap();
    let driver = case
        .get("driver")
        .and_then(Value::as_str)
        .map(|d| Dialect::from_name(d).unwrap_or_else(|| panic!("{name}: unknown driver {d}")));
    let analysis = run(input, driver);
    let actual = serde_json::to_value(&analysis).unwrap();
    if std::env::var_os("DUMP_DIALECTS").is_some() {
        println!(
            "== {name}\n{input}\n{}\n",
            serde_json::to_string_pretty(&json!({
                "dialect": actual["dialect"],
                "valid": actual["valid"],
                "verdict": actual["verdict"],
                "codes": analysis.diagnostics.iter().map(|d| format!("{} {}: {}", d.code, d.severity.as_str(), d.detail)).collect::<Vec<_>>(),
                "fixes": analysis.diagnostics.iter().filter_map(|d| d.fix.as_ref().and_then(|f| f.replacement.clone())).collect::<Vec<_>>(),
                "libpq": actual["libpqEquivalent"],
                "params": actual["params"],
            }))
            .unwrap()
        );
    }
    check_invariants(input, &analysis, name);
    assert_eq!(actual["dialect"], case["expectDialect"], "{name}: dialect");
    assert_eq!(actual["valid"], case["expectValid"], "{name}: valid");
    if let Some(expected) = case.get("expectVerdict") {
        let verdict = &actual["verdict"];
        for field in [
            "encrypted",
            "serverVerified",
            "hostnameVerified",
            "plaintextFallback",
        ] {
            assert_eq!(verdict[field], expected[field], "{name}: verdict.{field}");
        }
    }
    let expected: BTreeSet<String> = case["expectCodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: expectCodes"))
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let expected_driver: BTreeSet<String> = expected
        .iter()
        .filter(|c| c.starts_with("PGP-DRIVER-"))
        .cloned()
        .collect();
    assert_eq!(
        driver_codes(&analysis),
        expected_driver,
        "{name}: driver codes"
    );
    let all: BTreeSet<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
    for code in expected.iter().filter(|c| !c.starts_with("PGP-DRIVER-")) {
        assert!(
            all.contains(code.as_str()),
            "{name}: missing {code}: {all:?}"
        );
    }
    if let Some(libpq) = case.get("expectLibpq") {
        assert_eq!(
            &actual["libpqEquivalent"], libpq,
            "{name}: libpq equivalent"
        );
    }
    if let Some(params) = case.get("expectParams").and_then(Value::as_object) {
        for (key, value) in params {
            assert_eq!(&actual["params"][key], value, "{name}: params.{key}");
        }
    }
}

#[test]
fn golden_cases() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dialects/cases.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut per_dialect = std::collections::BTreeMap::<String, usize>::new();
    for case in &cases {
        check(case);
        *per_dialect
            .entry(case["expectDialect"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    for d in Dialect::ALL {
        let n = per_dialect.get(d.name()).copied().unwrap_or(0);
        assert!(n >= 5, "only {n} golden cases for {}", d.name());
    }
}

/// One positive and one negative input per rule, from `dialects/rule-cases.txt` (which
/// tests/rule_cases.rs also counts): `+CODE driver=NAME :: INPUT` raises CODE,
/// `-CODE driver=NAME :: INPUT` does not. Returns (line, code, driver, raises, input).
fn rule_cases() -> Vec<(usize, String, Dialect, bool, String)> {
    const TEXT: &str = include_str!("dialects/rule-cases.txt");
    TEXT.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, line)| {
            let at = format!("rule-cases.txt:{}", i + 1);
            let (spec, input) = line
                .split_once(" :: ")
                .unwrap_or_else(|| panic!("{at}: missing ` :: `"));
            let tokens: Vec<&str> = spec.split_whitespace().collect();
            let [expectation, driver] = tokens[..] else {
                panic!("{at}: expected `+CODE driver=NAME` or `-CODE driver=NAME`");
            };
            let (raises, code) =
                match (expectation.strip_prefix('+'), expectation.strip_prefix('-')) {
                    (Some(code), _) => (true, code),
                    (_, Some(code)) => (false, code),
                    _ => panic!("{at}: bad expectation {expectation}"),
                };
            let driver = driver
                .strip_prefix("driver=")
                .and_then(Dialect::from_name)
                .unwrap_or_else(|| panic!("{at}: bad driver {driver}"));
            (
                i + 1,
                code.to_string(),
                driver,
                raises,
                input.trim().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_rule_has_a_positive_and_a_negative_case() {
    let cases = rule_cases();
    for (line, code, driver, raises, input) in &cases {
        let analysis = run(input, Some(*driver));
        check_invariants(input, &analysis, code);
        let raised = analysis.diagnostics.iter().any(|d| d.code == code);
        assert_eq!(
            raised,
            *raises,
            "rule-cases.txt:{line}: {code} {} by `{input}`: {:?}",
            if *raises { "not raised" } else { "raised" },
            analysis
                .diagnostics
                .iter()
                .map(|d| (d.code, &d.detail))
                .collect::<Vec<_>>()
        );
    }
    let covered = |raises: bool| -> BTreeSet<&str> {
        cases
            .iter()
            .filter(|c| c.3 == raises)
            .map(|c| c.1.as_str())
            .collect()
    };
    let (positive, negative) = (covered(true), covered(false));
    for rule in dialect::RULES
        .iter()
        .filter(|r| r.code != LIBPQ_WOULD_REJECT)
    {
        assert!(
            positive.contains(rule.code),
            "no positive case for {}",
            rule.code
        );
        assert!(
            negative.contains(rule.code),
            "no negative case for {}",
            rule.code
        );
    }
}

/// Inputs that must never panic, whatever the driver.
#[test]
fn malformed_inputs_never_panic() {
    let inputs = [
        "",
        " ",
        "jdbc:",
        "jdbc:postgresql:",
        "jdbc:postgresql://",
        "jdbc:postgresql:///",
        "jdbc:postgresql://[::1",
        "jdbc:postgresql://h:/?=&&=x&%",
        "postgres://",
        "postgres://@",
        "postgres://:@/?#",
        "postgres://[",
        "postgres://[]:/",
        "postgres://u:p@[::1]:99999/db?ssl",
        "postgres://h/%zz?%=%&a=%",
        "postgresql+asyncpg://",
        "postgresql+://",
        "+://",
        "socket:",
        "socket://u:p@/",
        "/",
        "/tmp db extra",
        "Host=;;;",
        "=;=",
        "Host=\"",
        "Host='a''",
        "SSL Mode=",
        "host='unterminated",
        "host=a\\",
        "é=ü;ß=€",
        "postgres://é:ü@ß/€?€=€",
        "\u{0}",
        "jdbc:postgresql://h/db?ssl=\u{0}",
    ];
    for input in inputs {
        for driver in Dialect::ALL {
            let analysis = run(input, Some(driver));
            check_invariants(input, &analysis, &format!("{input:?} as {}", driver.name()));
        }
        let detected = run(input, None);
        check_invariants(input, &detected, input);
    }
}

/// Generated near-valid strings through every driver: no panic, every invariant kept
/// (`DIALECT_ROUNDS=n` for a longer run).
#[test]
fn generated_inputs_keep_the_invariants() {
    const PIECES: &[&str] = &[
        "postgres://",
        "postgresql://",
        "jdbc:postgresql://",
        "postgresql+asyncpg://",
        "socket:",
        "Host=",
        "SSL Mode=",
        ";",
        "&",
        "?",
        "=",
        "==",
        ":",
        "@",
        "/",
        ",",
        "[",
        "]",
        "%",
        "%2",
        "%41",
        "%00",
        "+",
        " ",
        "'",
        "\"",
        "\\",
        "#",
        "é",
        "€",
        "\u{0}",
        "db",
        "h1",
        "5432",
        "99999",
        "sslmode",
        "require",
        "verify-full",
        "verify-ca",
        "no-verify",
        "disable",
        "prefer",
        "sslrootcert",
        "system",
        "/etc/ca.pem",
        "ssl",
        "true",
        "false",
        "sslfactory",
        "org.postgresql.ssl.NonValidatingFactory",
        "sslaccept",
        "strict",
        "sslcert",
        "sslkey",
        "client.key",
        "schema",
        "pool_max_conns",
        "uselibpqcompat",
        "Trust Server Certificate",
        "Root Certificate",
        "VerifyCA",
        "user",
        "password",
        "S3cretPw",
        "options",
        "-c x=y",
    ];
    let mut state: u64 = std::env::var("DIALECT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % bound
    };
    let rounds: usize = std::env::var("DIALECT_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1500);
    for _ in 0..rounds {
        let mut input = String::new();
        for _ in 0..next(12) + 1 {
            input.push_str(PIECES[next(PIECES.len())]);
        }
        // libpq itself is covered by the differential tests against real libpq.
        for driver in Dialect::ALL.into_iter().filter(|d| *d != Dialect::Libpq) {
            let analysis = run(&input, Some(driver));
            let context = format!("{input:?} as {}", driver.name());
            check_invariants_with(&input, &analysis, &context, false);
        }
        let detected = run(&input, None);
        if detected.dialect != Dialect::Libpq {
            check_invariants_with(&input, &detected, &input, false);
        }
    }
}

/// Strings libpq accepts stay libpq when detected.
#[test]
fn detection_does_not_steal_libpq_strings() {
    for input in [
        "host=db port=5432 dbname=app user=app sslmode=verify-full sslrootcert=system",
        "postgresql://app@db.example.com:5432/app?sslmode=require&application_name=x",
        "postgres://db/app?ssl=true",
        "postgresql:///app?host=/var/run/postgresql",
        "service=prod",
        "",
    ] {
        assert!(syntax::parse(input).is_ok(), "{input}");
        assert_eq!(dialect::detect(input), Dialect::Libpq, "{input}");
    }
}

/// A verify mode without a root certificate: each driver's own fallback, not one sentence for
/// all (asyncpg and pgjdbc fail like libpq; an outside review found asyncpg said to fall back
/// to the runtime's store, which it does not).
#[test]
fn a_missing_root_certificate_is_described_per_driver() {
    for (driver, input, says) in [
        (
            Dialect::Sqlalchemy,
            "postgresql+asyncpg://h/db?ssl=verify-full",
            "asyncpg reads the file `PGSSLROOTCERT` names, else `~/.postgresql/root.crt`",
        ),
        (
            Dialect::Asyncpg,
            "postgresql://h/db?sslmode=verify-full",
            "asyncpg reads the file `PGSSLROOTCERT` names",
        ),
        (
            Dialect::Jdbc,
            "jdbc:postgresql://h/db?sslmode=verify-full",
            "pgjdbc's default `sslfactory` (`LibPQFactory`) reads `~/.postgresql/root.crt`",
        ),
        (
            Dialect::Libpq,
            "postgresql://h/db?sslmode=verify-full",
            "libpq reads `~/.postgresql/root.crt`",
        ),
    ] {
        let analysis = run(input, Some(driver));
        let finding = analysis
            .diagnostics
            .iter()
            .find(|d| d.code == "PGP-SSL-105")
            .unwrap_or_else(|| panic!("{input} as {}: no PGP-SSL-105", driver.name()));
        assert!(finding.detail.contains(says), "{input}: {}", finding.detail);
    }
}
