//! Golden tests for the security review (`conninfo::security`), all data-driven:
//!
//! - `security/cases.txt`: one case per line, `EXPECTATIONS :: INPUT`. Expectations are
//!   `+CODE` (raised), `+CODE:severity`, `+CODE@text` (the span covers exactly `text`),
//!   `-CODE` (not raised), and the flags `@ca` / `@cert` (a CA / client certificate was supplied
//!   alongside the string). Every security rule needs at least one `+` and one `-` case.
//! - `security/fixes.txt`: `CODE :: INPUT` followed by `=> REPLACEMENT`, the exact corrected
//!   string the rule's fix offers (`=> (advice)` when it offers none).
//! - `security/secrets.txt`: `SECRET :: INPUT`; no diagnostic field may contain SECRET.
//!
//! Everything goes through [`check`], the one helper that runs the review and compares.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr
)]

use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze_libpq, security, syntax, CheckOptions};
use pg_preflight_core::{Diagnostic, Severity};
use std::collections::BTreeSet;

const CASES: &str = include_str!("security/cases.txt");
const FIXES: &str = include_str!("security/fixes.txt");
const SECRETS: &str = include_str!("security/secrets.txt");

#[derive(Debug, Default)]
struct Expect {
    present: Vec<(String, Option<Severity>, Option<String>)>,
    absent: Vec<String>,
    options: CheckOptions,
}

#[derive(Debug)]
struct Case {
    line: usize,
    expect: Expect,
    input: String,
}

fn severity(name: &str) -> Severity {
    match name {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        other => panic!("unknown severity {other}"),
    }
}

/// Lines of `EXPECTATIONS :: INPUT`, skipping blanks and `#` comments.
fn cases(text: &str) -> Vec<Case> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, line)| {
            let (spec, input) = line
                .split_once(" :: ")
                .unwrap_or_else(|| panic!("line {}: missing ` :: `", i + 1));
            let mut expect = Expect::default();
            for token in spec.split_whitespace() {
                if token == "@ca" {
                    expect.options.ca_supplied = true;
                } else if token == "@cert" {
                    expect.options.client_cert_supplied = true;
                } else if let Some(code) = token.strip_prefix('-') {
                    expect.absent.push(code.to_string());
                } else if let Some(rest) = token.strip_prefix('+') {
                    let (rest, span) = match rest.split_once('@') {
                        Some((r, s)) => (r, Some(s.to_string())),
                        None => (rest, None),
                    };
                    let (code, sev) = match rest.split_once(':') {
                        Some((c, s)) => (c, Some(severity(s))),
                        None => (rest, None),
                    };
                    expect.present.push((code.to_string(), sev, span));
                } else {
                    panic!("line {}: bad token {token}", i + 1);
                }
            }
            Case {
                line: i + 1,
                expect,
                input: input.trim().to_string(),
            }
        })
        .collect()
}

/// The findings for `input` as libpq would read it.
fn diagnostics(input: &str, options: &CheckOptions) -> Vec<Diagnostic> {
    let analysis = analyze_libpq(input, options);
    assert!(
        analysis.valid,
        "libpq rejects {input:?}: {:?}",
        analysis.diagnostics
    );
    analysis.diagnostics
}

/// The one helper: runs the review on `input` and returns every mismatch with `expect`.
fn check(input: &str, expect: &Expect) -> Vec<String> {
    let found = diagnostics(input, &expect.options);
    let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
    let mut problems = Vec::new();
    for (code, sev, span) in &expect.present {
        let Some(d) = found.iter().find(|d| d.code == code) else {
            problems.push(format!("expected {code}, got {codes:?}"));
            continue;
        };
        if let Some(sev) = sev {
            if d.severity != *sev {
                problems.push(format!(
                    "{code}: severity {:?}, expected {sev:?}",
                    d.severity
                ));
            }
        }
        if let Some(text) = span {
            let got = d.span.and_then(|s| input.get(s.start..s.end));
            if got != Some(text.as_str()) {
                problems.push(format!("{code}: span covers {got:?}, expected {text:?}"));
            }
        }
        if d.fix.is_none() {
            problems.push(format!("{code}: no fix"));
        }
    }
    for code in &expect.absent {
        if codes.contains(&code.as_str()) {
            problems.push(format!("{code} raised but should not be"));
        }
    }
    problems
}

#[test]
fn cases_hold() {
    let mut failures = Vec::new();
    for case in cases(CASES) {
        for problem in check(&case.input, &case.expect) {
            failures.push(format!(
                "cases.txt:{}: {} — {problem}",
                case.line, case.input
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_positive_and_a_negative_case() {
    let all = cases(CASES);
    let positive: BTreeSet<&str> = all
        .iter()
        .flat_map(|c| c.expect.present.iter().map(|(code, ..)| code.as_str()))
        .collect();
    let negative: BTreeSet<&str> = all
        .iter()
        .flat_map(|c| c.expect.absent.iter().map(String::as_str))
        .collect();
    let mut missing = Vec::new();
    // Raised only for drivers that prepare statements, which this libpq-only file cannot
    // show: tests/dialects.rs holds their positive and negative cases.
    let driver_only = ["PGP-PROV-012"];
    for rule in security::RULES
        .iter()
        .filter(|r| !driver_only.contains(&r.code))
    {
        if !positive.contains(rule.code) {
            missing.push(format!("{}: no positive case", rule.code));
        }
        if !negative.contains(rule.code) {
            missing.push(format!("{}: no negative case", rule.code));
        }
    }
    let known: BTreeSet<&str> = pg_preflight_core::registry::all()
        .iter()
        .map(|r| r.code)
        .collect();
    for code in positive.iter().chain(negative.iter()) {
        if !known.contains(code) {
            missing.push(format!("{code}: not a registered code"));
        }
    }
    assert!(missing.is_empty(), "\n{}", missing.join("\n"));
}

#[test]
fn fixes_match_the_golden_replacements() {
    let mut lines = FIXES
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let mut failures = Vec::new();
    let mut count = 0;
    while let Some((n, line)) = lines.next() {
        let (code, input) = line
            .split_once(" :: ")
            .unwrap_or_else(|| panic!("fixes.txt:{}: missing ` :: `", n + 1));
        let (_, expected) = lines
            .next()
            .unwrap_or_else(|| panic!("fixes.txt:{}: no `=>` line", n + 1));
        let expected = expected
            .trim()
            .strip_prefix("=> ")
            .unwrap_or_else(|| panic!("fixes.txt:{}: expected `=> ...`", n + 2));
        count += 1;
        let found = diagnostics(input.trim(), &CheckOptions::default());
        let Some(d) = found.iter().find(|d| d.code == code.trim()) else {
            failures.push(format!("fixes.txt:{}: {code} not raised", n + 1));
            continue;
        };
        let replacement = d.fix.as_ref().and_then(|f| f.replacement.as_deref());
        let got = replacement.unwrap_or("(advice)");
        if got != expected {
            failures.push(format!(
                "fixes.txt:{}: {code}\n   expected {expected}\n   got      {got}",
                n + 1
            ));
        }
    }
    assert!(count > 0);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every text field of every finding, for the secrecy test.
fn texts(d: &Diagnostic) -> Vec<String> {
    let mut out = vec![d.title.to_string(), d.detail.clone(), d.doc.clone()];
    if let Some(fix) = &d.fix {
        out.push(fix.title.clone());
        out.extend(fix.replacement.clone());
    }
    out
}

#[test]
fn no_secret_appears_in_any_finding() {
    let mut failures = Vec::new();
    for (n, line) in SECRETS
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    {
        let (secret, input) = line.split_once(" :: ").unwrap();
        let secret = secret.trim();
        let input = input.trim();
        let options = [
            CheckOptions::default(),
            CheckOptions {
                ca_supplied: true,
                client_cert_supplied: true,
            },
        ];
        for options in &options {
            // What callers get: `analyze` masks what the review quotes of the input (a
            // password read as the port is quoted back by libpq's integer check).
            let analysis = pg_preflight_core::conninfo::analyze(
                input,
                Some(pg_preflight_core::conninfo::dialect::Dialect::Libpq),
                options,
            );
            for d in &analysis.diagnostics {
                if texts(d).iter().any(|t| t.contains(secret)) {
                    failures.push(format!(
                        "secrets.txt:{}: {} leaks in {:?}",
                        n + 1,
                        d.code,
                        texts(d)
                    ));
                }
            }
            if let Some(equivalent) = &analysis.libpq_equivalent {
                if equivalent.contains(secret) {
                    failures.push(format!("secrets.txt:{}: libpq equivalent leaks", n + 1));
                }
            }
            // The weak-password finding says why, never the length.
            for d in analysis
                .diagnostics
                .iter()
                .filter(|d| d.code == "PGP-AUTH-102")
            {
                let length = secret.chars().count().to_string();
                if d.detail.contains(&format!(" {length} ")) {
                    failures.push(format!(
                        "secrets.txt:{}: weak-password detail states a length",
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn fix_replacements_are_valid_libpq_and_resolve_their_finding() {
    // Applying a fix must make its own finding go away, for every case in cases.txt.
    let mut failures = Vec::new();
    for case in cases(CASES) {
        let found = diagnostics(&case.input, &case.expect.options);
        for d in &found {
            if !security::RULES.iter().any(|r| r.code == d.code) {
                continue;
            }
            let Some(replacement) = d.fix.as_ref().and_then(|f| f.replacement.clone()) else {
                continue;
            };
            if syntax::parse(&replacement).is_err() {
                failures.push(format!(
                    "cases.txt:{}: {} fix does not parse: {replacement}",
                    case.line, d.code
                ));
                continue;
            }
            let again = analyze_libpq(&replacement, &case.expect.options);
            if again.diagnostics.iter().any(|x| x.code == d.code) {
                failures.push(format!(
                    "cases.txt:{}: {} is still raised after its fix: {replacement}",
                    case.line, d.code
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn spans_point_into_the_input() {
    for case in cases(CASES) {
        for d in diagnostics(&case.input, &case.expect.options) {
            if let Some(span) = d.span {
                assert!(
                    span.start <= span.end && case.input.get(span.start..span.end).is_some(),
                    "cases.txt:{}: {} span {span:?} outside the input",
                    case.line,
                    d.code
                );
            }
        }
    }
}

/// A foreign dialect's weak-TLS finding is fixed in that dialect's syntax, not libpq's.
#[test]
fn other_dialects_get_fixes_in_their_own_syntax() {
    let input = "jdbc:postgresql://db.example.com/app?user=app";
    let analysis =
        pg_preflight_core::conninfo::analyze(input, Some(Dialect::Jdbc), &CheckOptions::default());
    let tls = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "PGP-SSL-102")
        .expect("weak TLS finding");
    let fix = tls.fix.as_ref().unwrap();
    let replacement = fix.replacement.as_deref().expect("a JDBC replacement");
    assert!(
        replacement
            .starts_with("jdbc:postgresql://db.example.com/app?user=app&sslmode=verify-full"),
        "{replacement}"
    );
    assert!(!replacement.contains("sslrootcert=system"), "{replacement}");
    assert!(!fix.title.contains("libpq"), "{}", fix.title);
    assert!(
        !tls.detail.contains("libpq uses its default"),
        "{}",
        tls.detail
    );
}

#[test]
fn titles_carry_no_instance_data_and_rules_cite_sources() {
    for rule in security::RULES {
        assert!(
            !rule.title.contains('`') && !rule.title.contains("example"),
            "{}",
            rule.code
        );
        assert!(!rule.references.is_empty(), "{}", rule.code);
        assert!(
            rule.explanation.len() > 200,
            "{}: explanation too thin",
            rule.code
        );
    }
}
