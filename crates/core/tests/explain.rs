//! Golden cases for `explain_error`: messages pasted as people paste them (with their clients'
//! wrappers, in tracebacks and logs), each with the inputs of the configuration that produced
//! it, and what the decoder must say. Messages that tests/explain captures from the real
//! clients are checked there; these add the ones that cannot be produced here (managed
//! services' proxies, PostgreSQL 17+ direct TLS, Npgsql and pgx, which do not run here), each
//! citing its source, and the cases where the inputs decide between causes.
//!
//! `explain/cases.txt`: blocks opened by `## name`, then `key: value` lines, then `message:`
//! and the text up to the next block. Keys: `source` (required), `client`, `failure`,
//! `cause` (the first cause's id), `confirmed` (yes/no, of the first cause), `fix-has` (a
//! piece the fix's replacement holds; repeatable), `fix-title-has` (a piece of the fix's
//! title; repeatable), `no-replacement`, `no-fix`, `absent` (a piece no output may
//! hold; repeatable), `shown-has` (a piece the message as shown, secrets masked, holds;
//! repeatable), `detail-has` (a piece of the first cause's detail; repeatable), `dsn`, `driver`, `now` (RFC 3339; default 2026-06-01), and the files
//! under `fixtures/pki` (`ca`, `cert`, `key`, `serverCert`, `clientCa`; `a+b` concatenates).
//! A case with `failure: none` expects nothing recognised; `string-error` (repeatable) names
//! a code the report must then list among the given string's own errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pg_preflight_core::check::CheckInput;
use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::explain::{
    explain_error, explain_error_reviewed, review_sides, ExplainInput, SideReviews,
};
use pg_preflight_core::pki::review::Material;
use pg_preflight_core::pki::time::UnixTime;
use pg_preflight_core::Field;
use std::path::Path;

const CASES: &str = include_str!("explain/cases.txt");

struct Case {
    name: String,
    keys: Vec<(String, String)>,
    message: String,
}

impl Case {
    fn get(&self, key: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.keys
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for block in CASES.split("\n## ").skip(1) {
        let (name, rest) = block.split_once('\n').unwrap();
        let (head, message) = rest
            .split_once("message:\n")
            .unwrap_or_else(|| panic!("{name}: no `message:` line"));
        let keys = head
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (k, v) = l
                    .split_once(": ")
                    .unwrap_or_else(|| panic!("{name}: `{l}` is not `key: value`"));
                (k.to_string(), v.to_string())
            })
            .collect();
        cases.push(Case {
            name: name.trim().to_string(),
            keys,
            message: message.trim_end().to_string(),
        });
    }
    cases
}

fn fixture(spec: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pki");
    spec.split('+')
        .flat_map(|name| {
            std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
        })
        .collect()
}

#[test]
fn golden_cases() {
    let cases = cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        assert!(case.get("source").is_some(), "{}: no source", case.name);
        let files: Vec<(Field, Vec<u8>)> = [
            ("ca", Field::RootCert),
            ("cert", Field::ClientCert),
            ("key", Field::ClientKey),
            ("serverCert", Field::ServerChain),
            ("clientCa", Field::ClientCa),
        ]
        .iter()
        .filter_map(|(key, field)| case.get(key).map(|spec| (*field, fixture(spec))))
        .collect();
        let mut material = Material::default();
        for (field, bytes) in &files {
            *material.slot(*field) = Some(bytes.as_slice());
        }
        let now = UnixTime::parse(case.get("now").unwrap_or("2026-06-01T00:00:00Z")).unwrap();
        let driver = case
            .get("driver")
            .map(|name| Dialect::from_name(name).unwrap_or_else(|| panic!("driver {name}")));
        let given = case.get("dsn").is_some() || !files.is_empty();
        let input = ExplainInput {
            check: given.then_some(CheckInput {
                dsn: case.get("dsn"),
                driver,
                material,
                now,
            }),
            key_file: None,
        };
        let report = explain_error(&case.message, &input);
        let json = serde_json::to_string_pretty(&report).unwrap();
        let mut problems = Vec::new();
        problems.extend(crossing_problems(&case.message, &input, &json));
        let first = report.explanations.first();
        match case.get("failure") {
            Some("none") => {
                if first.is_some() {
                    problems.push("expected nothing recognised".to_string());
                }
            }
            Some(failure) => {
                if first.map(|e| e.failure.id()) != Some(failure) {
                    problems.push(format!("failure: expected {failure}"));
                }
            }
            None => problems.push("no `failure:` key".into()),
        }
        let listed: Vec<&str> = report.string_errors.iter().map(|d| d.code).collect();
        for code in case.all("string-error") {
            if !listed.contains(&code) {
                problems.push(format!("string errors: expected {code}"));
            }
        }
        if first.is_some() && !listed.is_empty() {
            problems.push("string errors listed although a message was recognised".into());
        }
        if report
            .string_errors
            .iter()
            .any(|d| d.severity != pg_preflight_core::Severity::Error)
        {
            problems.push("a string finding below error severity is listed".into());
        }
        let first_cause = first.and_then(|e| e.causes.first());
        if let Some(cause) = case.get("cause") {
            if first_cause.map(|c| c.cause.id()) != Some(cause) {
                problems.push(format!("first cause: expected {cause}"));
            }
        }
        if let Some(confirmed) = case.get("confirmed") {
            if first_cause.map(|c| c.confirmed) != Some(confirmed == "yes") {
                problems.push(format!("confirmed: expected {confirmed}"));
            }
        }
        if let Some(client) = case.get("client") {
            let got = serde_json::to_value(first.map(|e| e.client)).unwrap();
            if got.as_str() != Some(client) {
                problems.push(format!("client: expected {client}"));
            }
        }
        let replacement = first
            .and_then(|e| e.fix.as_ref())
            .and_then(|f| f.replacement.clone());
        for piece in case.all("fix-has") {
            if !replacement.as_deref().is_some_and(|r| r.contains(piece)) {
                problems.push(format!("fix: expected a replacement holding `{piece}`"));
            }
        }
        let title = first.and_then(|e| e.fix.as_ref()).map(|f| f.title.clone());
        for piece in case.all("fix-title-has") {
            if !title.as_deref().is_some_and(|t| t.contains(piece)) {
                problems.push(format!("fix: expected a title holding `{piece}`"));
            }
        }
        if case.get("no-replacement").is_some() && replacement.is_some() {
            problems.push("fix: expected no replacement".into());
        }
        if case.get("no-fix").is_some() && first.is_some_and(|e| e.fix.is_some()) {
            problems.push("fix: expected none".into());
        }
        for piece in case.all("absent") {
            if json.contains(piece) {
                problems.push(format!("`{piece}` shows in the output"));
            }
        }
        for piece in case.all("detail-has") {
            let detail = first
                .and_then(|e| e.causes.first())
                .map(|c| c.detail.as_str());
            if !detail.is_some_and(|d| d.contains(piece)) {
                problems.push(format!("first cause: expected `{piece}` in its detail"));
            }
        }
        for piece in case.all("shown-has") {
            if !first.is_some_and(|e| e.text.contains(piece)) {
                problems.push(format!("the message shown: expected `{piece}` in it"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n{json}", case.name, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The page's errors module holds no certificate code: the certificate module reviews each
/// side and the reviews cross to it as JSON. Crossed, they must explain exactly as the review
/// made in place does; and with no review (the certificate module could not load), the files
/// nobody read count as not given.
fn crossing_problems(message: &str, input: &ExplainInput<'_>, json: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let sides = review_sides(input);
    let crossed: SideReviews =
        serde_json::from_value(serde_json::to_value(&sides).unwrap()).unwrap();
    let crossed = explain_error_reviewed(message, input, &crossed);
    if serde_json::to_string_pretty(&crossed).unwrap() != json {
        problems.push("differs when the side reviews cross as JSON".to_string());
    }
    let unread = explain_error_reviewed(message, input, &SideReviews::default());
    let without_files = ExplainInput {
        check: input.check.map(|check| CheckInput {
            material: Material::default(),
            ..check
        }),
        ..*input
    };
    if serde_json::to_value(&unread).unwrap()
        != serde_json::to_value(explain_error(message, &without_files)).unwrap()
    {
        problems.push("without the reviews, the files still count as given".to_string());
    }
    problems
}

/// Every fix offered in the cases, read again by its own driver: the string stays valid, and
/// its libpq reading now holds every change the fix was made of (the setting that caused the
/// failure is gone or changed), so the same message could not come from it.
#[test]
fn fixes_come_back_clean() {
    use pg_preflight_core::conninfo::{analyze, syntax, CheckOptions};
    use pg_preflight_core::Change;
    let mut checked = 0;
    for case in cases() {
        let Some(dsn) = case.get("dsn") else { continue };
        let driver = case.get("driver").and_then(Dialect::from_name);
        let input = ExplainInput {
            check: Some(CheckInput {
                dsn: Some(dsn),
                driver,
                ..Default::default()
            }),
            key_file: None,
        };
        for explanation in explain_error(&case.message, &input).explanations {
            let Some(fix) = explanation.fix else { continue };
            let Some(replacement) = fix.replacement.as_deref() else {
                continue;
            };
            let analysis = analyze(replacement, driver, &CheckOptions::default());
            assert!(
                analysis.valid,
                "{}: the fix `{replacement}` does not parse",
                case.name
            );
            let libpq = if analysis.dialect == Dialect::Libpq {
                replacement.to_string()
            } else {
                analysis.libpq_equivalent.clone().unwrap_or_default()
            };
            // A fix taken from one of the string's own findings (an IPv6-only host, a driver
            // preparing statements behind a transaction pooler) holds as the core judges its
            // fixes: read again, the string no longer raises that finding.
            let original = analyze(dsn, driver, &CheckOptions::default());
            let findings: Vec<&str> = explanation
                .causes
                .first()
                .map(|cause| {
                    cause
                        .codes
                        .iter()
                        .copied()
                        .filter(|code| original.diagnostics.iter().any(|d| d.code == *code))
                        .collect()
                })
                .unwrap_or_default();
            if !findings.is_empty() {
                for code in findings {
                    assert!(
                        !analysis.diagnostics.iter().any(|d| d.code == code),
                        "{}: `{replacement}` still raises {code}",
                        case.name
                    );
                }
                checked += 1;
                continue;
            }
            let conninfo = syntax::parse(&libpq).unwrap();
            for change in &fix.changes {
                match change {
                    Change::Set(keyword, value) => assert_eq!(
                        conninfo.get(keyword),
                        Some(value.as_str()),
                        "{}: `{replacement}` does not set {keyword}",
                        case.name
                    ),
                    Change::Remove(keyword) => assert!(
                        conninfo.get(keyword).is_none(),
                        "{}: `{replacement}` still sets {keyword}",
                        case.name
                    ),
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} fixes checked");
}

/// Every message tests/explain captured from the real clients (kept as golden data in
/// `tests/explain/captured/<client>.txt`) is recognised from its text alone, without the
/// servers: the live suite checks the causes with the inputs; this keeps the table honest
/// where those clients cannot run.
#[test]
fn every_captured_message_is_recognised() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/explain/captured");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut seen = 0;
    let mut unknown = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for block in text.split("\n## ").skip(1) {
            let (config, message) = block.split_once('\n').unwrap_or((block, ""));
            let message = message.trim();
            if message.is_empty() || message == "CONNECTED" {
                continue;
            }
            seen += 1;
            let report = explain_error(message, &ExplainInput::default());
            if report.explanations.is_empty() {
                unknown.push(format!("{}: {config}: {message}", file.display()));
            }
        }
    }
    assert!(
        seen >= 100,
        "only {seen} captured messages in {}",
        dir.display()
    );
    assert!(
        unknown.is_empty(),
        "not recognised:\n{}",
        unknown.join("\n")
    );
}
