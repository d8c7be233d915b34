//! x509-limbo conformance (https://x509-limbo.com): every testcase of the snapshot in
//! `../shared/conformance/` whose options we can honour is verified with the strict policy and
//! compared with the expected result.
//!
//! The snapshot sits beside the checkout (DESIGN.md §5) and is read in place, never copied into
//! the project; without it the test prints why and passes.
//!
//! `limbo-exceptions.txt` lists each testcase where pg-preflight's verdict differs, with the
//! reason. The test fails on a divergence that is not listed and on a listed testcase that now
//! agrees, so the list stays honest.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout
)]

use pg_preflight_core::pki::chain::{verify, Policy, Purpose, VerifyOptions};
use pg_preflight_core::pki::intake::{intake, Field};
use pg_preflight_core::pki::time::UnixTime;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

const SNAPSHOT: &str = "x509-limbo-2023-12-02.json";
/// Testcases without a validation time are checked at the snapshot's date.
const DEFAULT_TIME: &str = "2023-12-02T00:00:00Z";

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance")
        .join(SNAPSHOT)
}

fn ders(pem: &str) -> Vec<Vec<u8>> {
    intake(pem.as_bytes(), Field::ServerChain)
        .items
        .into_iter()
        .filter(|item| !item.der.is_empty())
        .map(|item| item.der)
        .collect()
}

fn pem_list(value: &Value) -> Vec<Vec<u8>> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .flat_map(|p| ders(p.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

/// Why a testcase cannot be run, if it cannot.
fn unsupported(case: &Value) -> Option<String> {
    if !case["signature_algorithms"].is_null() {
        return Some("signature_algorithms".into());
    }
    if !case["expected_peer_names"].is_null() {
        return Some("expected_peer_names".into());
    }
    if let Some(ekus) = case["extended_key_usage"].as_array() {
        if ekus
            .iter()
            .any(|e| !matches!(e.as_str(), Some("serverAuth" | "clientAuth")))
        {
            return Some("extended_key_usage other than serverAuth/clientAuth".into());
        }
    }
    None
}

/// Runs one testcase; `true` when pg-preflight says the chain is valid.
fn run(case: &Value, policy: Policy) -> (bool, String) {
    let leaf = ders(case["peer_certificate"].as_str().unwrap_or_default());
    let trusted = pem_list(&case["trusted_certs"]);
    let untrusted = pem_list(&case["untrusted_intermediates"]);
    let at = UnixTime::parse(case["validation_time"].as_str().unwrap_or(DEFAULT_TIME))
        .expect("validation time");
    let mut options = VerifyOptions::new(at);
    options.policy = policy;
    options.purpose = match case["extended_key_usage"].as_array() {
        Some(list) if list.iter().any(|e| e == "clientAuth") => Some(Purpose::Client),
        Some(list) if list.iter().any(|e| e == "serverAuth") => Some(Purpose::Server),
        _ => match case["validation_kind"].as_str() {
            Some("CLIENT") => Some(Purpose::Client),
            _ => Some(Purpose::Server),
        },
    };
    options.max_intermediates = case["max_chain_depth"]
        .as_u64()
        .and_then(|d| usize::try_from(d).ok());
    options.host = case["expected_peer_name"]["value"]
        .as_str()
        .map(str::to_string);
    let Some(leaf) = leaf.first() else {
        return (false, "leaf does not read".into());
    };
    let trusted: Vec<&[u8]> = trusted.iter().map(Vec::as_slice).collect();
    let untrusted: Vec<&[u8]> = untrusted.iter().map(Vec::as_slice).collect();
    let report = verify(leaf, &untrusted, &trusted, &options);
    let mut valid = report.valid;
    // key_usage: the leaf's keyUsage, when present, must include each listed usage.
    if let Some(required) = case["key_usage"].as_array() {
        if let Ok(facts) = pg_preflight_core::pki::cert::parse(leaf) {
            if let Some(have) = facts.key_usage {
                if required
                    .iter()
                    .any(|r| !have.iter().any(|h| Some(h.as_str()) == r.as_str()))
                {
                    valid = false;
                }
            }
        }
    }
    let why = report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.detail))
        .collect::<Vec<_>>()
        .join(" | ");
    (valid, why)
}

fn exceptions() -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/limbo-exceptions.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (id.to_string(), reason.trim().to_string())
        })
        .collect()
}

#[test]
fn x509_limbo() {
    let path = snapshot_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "SKIPPED x509-limbo: {} is not present (it lives beside the checkout in ../shared/conformance/)",
            path.display()
        );
        return;
    };
    let doc: Value = serde_json::from_str(&text).expect("limbo JSON");
    let cases = doc["testcases"].as_array().expect("testcases");
    let listed = exceptions();
    let mut ran = 0;
    let mut agreed = 0;
    let mut skipped = BTreeMap::<String, usize>::new();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    let mut libpq_agreed = 0;
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        if let Some(reason) = unsupported(case) {
            *skipped.entry(reason).or_default() += 1;
            continue;
        }
        ran += 1;
        let expected = case["expected_result"] == "SUCCESS";
        let (valid, why) = run(case, Policy::Strict);
        if run(case, Policy::Libpq).0 == expected {
            libpq_agreed += 1;
        }
        let agrees = valid == expected;
        if agrees {
            agreed += 1;
        }
        match (agrees, listed.contains_key(id)) {
            (false, false) => unexpected.push(format!(
                "{id}: expected {}, got {} ({why})",
                case["expected_result"],
                if valid { "SUCCESS" } else { "FAILURE" }
            )),
            (true, true) => stale.push(id.to_string()),
            _ => {}
        }
    }
    println!(
        "x509-limbo: {agreed}/{ran} testcases agree with the expected result (strict policy); \
         {} listed exceptions; libpq policy agrees on {libpq_agreed}/{ran}",
        listed.len()
    );
    for (reason, count) in &skipped {
        println!("x509-limbo: skipped {count} testcases needing {reason}");
    }
    for id in listed.keys() {
        if !cases.iter().any(|c| c["id"] == id.as_str()) {
            stale.push(format!("{id} (no such testcase)"));
        }
    }
    assert!(
        unexpected.is_empty(),
        "unlisted divergences from x509-limbo:\n{}",
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed in limbo-exceptions.txt but agreeing now (remove them):\n{}",
        stale.join("\n")
    );
}
