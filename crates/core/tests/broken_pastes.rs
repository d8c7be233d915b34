//! The broken-paste corpus (`tests/corpus/broken-pastes.jsonl`, issue 13): every way people
//! break a string when copying it, per dialect where the shape applies. Each case lists the
//! paste, placeholder and "did you mean" codes it must raise (written by hand: the
//! specification); the fixed strings and the meant string are golden
//! (`broken-pastes.golden.jsonl`, regenerate with `UPDATE_GOLDEN=1` and review). No output
//! shows the password `S3cretPw-Xq7v` (or the tails of the passwords with an unencoded `@`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod common;
use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze, paste, redact, syntax, CheckOptions};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const CORPUS: &str = "tests/corpus/broken-pastes.jsonl";
const GOLDEN: &str = "tests/corpus/broken-pastes.golden.jsonl";

/// Pieces of the corpus's passwords that must never be shown.
const SECRETS: &[&str] = &[
    "S3cretPw",
    "ssw0rd",
    "ger-Xq7v",
    "ss/w0rd",
    "sure-Xq7v",
    "ss-Xq7v",
    "4711",
];

fn path(relative: &str) -> String {
    format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"))
}

/// The codes the corpus specifies: paste shapes, placeholders, value slips.
fn specified(code: &str) -> bool {
    code.starts_with("PGP-PASTE-")
        || matches!(code, "PGP-PARAM-106" | "PGP-SSL-001" | "PGP-PARAM-008")
}

#[test]
fn broken_pastes_are_named_and_fixed() {
    let corpus: Vec<Value> = std::fs::read_to_string(path(CORPUS))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut failures = Vec::new();
    let mut golden = Vec::new();
    for case in &corpus {
        let id = case["id"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let driver = case["driver"].as_str().and_then(Dialect::from_name);
        let analysis = analyze(input, driver, &CheckOptions::default());
        let raised: BTreeSet<&str> = analysis
            .diagnostics
            .iter()
            .map(|d| d.code)
            .filter(|c| specified(c))
            .collect();
        let expected: BTreeSet<&str> = case["expectCodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        if raised != expected {
            failures.push(format!("{id}: raised {raised:?}, expected {expected:?}"));
        }
        let shown = serde_json::to_string(&json!({
            "diagnostics": analysis.diagnostics,
            "verdict": analysis.verdict,
            "libpqEquivalent": analysis.libpq_equivalent,
        }))
        .unwrap();
        for secret in SECRETS {
            if shown.contains(secret) {
                failures.push(format!("{id}: `{secret}` is shown"));
            }
        }
        // The meant string, masked as the page would show it.
        let meant = paste::recover(input).map(|r| {
            let parsed = syntax::parse(&r.text).ok();
            redact::Shown::new(&r.text, parsed.as_ref()).text
        });
        let fixes: Vec<Value> = analysis
            .diagnostics
            .iter()
            .filter(|d| specified(d.code))
            .filter_map(|d| {
                d.fix
                    .as_ref()
                    .map(|f| json!({"code": d.code, "severity": d.severity, "replacement": f.replacement}))
            })
            .collect();
        golden.push(
            serde_json::to_string(&json!({
                "id": id,
                "dialect": analysis.dialect,
                "valid": analysis.valid,
                // What the driver reads of the string as pasted (a URL parser ending the user
                // information at `#` or `?` takes the password's start for the port of the
                // user name's host), masked where it stands over the password.
                "hosts": analysis.hosts.iter().map(|h| (&h.host, &h.port)).collect::<Vec<_>>(),
                "meant": meant,
                "fixes": fixes,
            }))
            .unwrap(),
        );
    }
    let generated = golden.join("\n") + "\n";
    for secret in SECRETS {
        assert!(
            !generated.contains(secret),
            "the golden file would show `{secret}`"
        );
    }
    failures.extend(common::check_golden_lines(
        std::path::Path::new(&path(GOLDEN)),
        &generated,
    ));
    println!("{} broken pastes", corpus.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
