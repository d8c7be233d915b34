//! Golden outputs for the strings copied from providers' and tools' documentation
//! (`tests/corpus/provider-docs.jsonl`), read with the driver the page wrote them for: the
//! verdict, and per finding its code, severity and the fix as the user would apply it (the
//! replacement in their dialect, or the code their driver needs). Structured fields only, no
//! prose. Every provider × driver pair of the corpus is covered, since every string is.
//!
//! Regenerate with `UPDATE_GOLDEN=1 cargo test -p pg-preflight-core --test provider_golden`
//! and review the diff: it is the product's advice for real strings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod common;
use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze, CheckOptions};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const CORPUS: &str = "tests/corpus/provider-docs.jsonl";
const GOLDEN: &str = "tests/corpus/provider-docs.golden.jsonl";

fn path(relative: &str) -> String {
    format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"))
}

fn outcome(entry: &Value) -> Value {
    let input = entry["string"].as_str().unwrap();
    let driver = Dialect::from_name(entry["driver"].as_str().unwrap());
    let analysis = analyze(input, driver, &CheckOptions::default());
    let findings: Vec<Value> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let fix = d.fix.as_ref();
            json!({
                "code": d.code,
                "severity": d.severity,
                "replacement": fix.and_then(|f| f.replacement.clone()),
                "codeFix": fix.and_then(|f| f.code.as_ref()).map(|c| c.text.clone()),
            })
        })
        .collect();
    let verdict = analysis.verdict.as_ref().map(|v| {
        json!({
            "encrypted": v.encrypted,
            "serverVerified": v.server_verified,
            "hostnameVerified": v.hostname_verified,
            "plaintextFallback": v.plaintext_fallback,
            "local": v.local,
        })
    });
    json!({
        "id": entry["id"],
        "provider": entry["provider"],
        "driver": entry["driver"],
        "dialect": analysis.dialect,
        "valid": analysis.valid,
        "verdict": verdict,
        "findings": findings,
    })
}

/// The password written in a corpus string's URL, when there is one (for the leak check).
fn url_password(input: &str) -> Option<&str> {
    let rest = input.split_once("://")?.1;
    let userinfo = rest.get(..rest.rfind('@')?)?;
    let password = userinfo.split_once(':')?.1;
    (password.len() >= 5 && !password.starts_with(['<', '[', '{', '$', '%'])).then_some(password)
}

#[test]
fn provider_strings_match_their_golden_outputs() {
    let corpus: Vec<Value> = std::fs::read_to_string(path(CORPUS))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actual: Vec<String> = corpus
        .iter()
        .map(|e| serde_json::to_string(&outcome(e)).unwrap())
        .collect();
    for (entry, line) in corpus.iter().zip(&actual) {
        if let Some(password) = url_password(entry["string"].as_str().unwrap()) {
            assert!(
                !line.contains(password),
                "{}: the password is in the output",
                entry["id"]
            );
        }
    }
    let pairs: BTreeSet<(String, String)> = corpus
        .iter()
        .map(|e| (e["provider"].to_string(), e["driver"].to_string()))
        .collect();
    println!(
        "{} strings, {} provider × driver pairs",
        corpus.len(),
        pairs.len()
    );
    let generated = actual.join("\n") + "\n";
    let failures = common::check_golden_lines(std::path::Path::new(&path(GOLDEN)), &generated);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
