//! `explain::explain_error` on arbitrary pasted text, alone or with a connection string.
//!
//! The input is the pasted text; after a line `---` (if any), the rest is the connection
//! string given with it. Checked besides "never panics, never hangs":
//! - every explanation's line number points at a line of the text, and its cause list is not
//!   empty;
//! - no password the string finders see in the pasted text (URL user information,
//!   `password=…`) of four bytes or more shows in the output, unless the masked text itself
//!   still holds it (a password equal to other words of the line), the given string holds
//!   it outside its secrets (the user's own text, which fixes rewrite), or the report shows it
//!   just the same for another password of its length (the report's own words);
//! - the given string's password (eight bytes or more) never shows in the output beyond what
//!   the same string with another password of the same length gives (a password that is also
//!   a word of the explanations is no leak);
//! - passwords made only of letters are left to the unit tests: they may be words of the log,
//!   masked only where echoed in their own context.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg_preflight_core::check::CheckInput;
use pg_preflight_core::conninfo::{analyze, redact, CheckOptions};
use pg_preflight_core::explain::{explain_error, ErrorReport, ExplainInput};

/// Every string the report holds, for people or for the API.
fn strings(report: &ErrorReport) -> Vec<String> {
    let value = serde_json::to_value(report).unwrap_or_default();
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(s) => out.push(s),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.into_values()),
            _ => {}
        }
    }
    out
}

fn run(text: &str, dsn: Option<&str>) -> ErrorReport {
    explain_error(
        text,
        &ExplainInput {
            check: dsn.map(|dsn| CheckInput {
                dsn: Some(dsn),
                ..Default::default()
            }),
            key_file: None,
        },
    )
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (text, dsn) = match input.split_once("\n---\n") {
        Some((text, dsn)) => (text, Some(dsn)),
        None => (input.as_ref(), None),
    };
    let report = run(text, dsn);
    let lines = text.lines().count();
    for explanation in &report.explanations {
        assert!(
            explanation.line >= 1 && explanation.line <= lines,
            "line {} of {lines}",
            explanation.line
        );
        assert!(
            !explanation.causes.is_empty(),
            "{:?} without causes",
            explanation.failure
        );
    }
    let output = strings(&report);
    let shows = |secret: &str| output.iter().any(|s| s.contains(secret));

    // Passwords in the pasted text itself.
    for line in text.lines().take(4096) {
        let masked = redact::Shown::new(line, None).text;
        for (start, end) in redact::secret_spans(line, None) {
            let Some(secret) = line.get(start..end) else {
                continue;
            };
            // The given string is the user's own, rewritten in fixes and quoted in details
            // (secret parameters left out): a pasted password that also stands in it under a
            // key that is not a secret's (`pasword=`) is shown there as the user wrote it,
            // and masking it would tell which of their words is the password.
            // A password made only of letters (`port`, `password`) may be a word of the log
            // itself: by design it is masked only where it is echoed, so it is not judged here.
            let word_like = secret.chars().all(char::is_alphabetic);
            if secret.len() < 4
                || word_like
                || masked.contains(secret)
                || dsn.is_some_and(|d| d.contains(secret))
            {
                continue;
            }
            if !shows(secret) {
                continue;
            }
            // A password that is also a piece of the report's own words (a cause id such as
            // `server-certificate-not-yet-valid`) shows whatever the password: the same paste
            // with another password of the same length must not show it.
            let neutral: String = "Qx7Kv2Zp9Lm4Wn8Rt5Yb3Hc6"
                .chars()
                .cycle()
                .take(secret.chars().count())
                .collect();
            let other = run(&text.replace(secret, &neutral), dsn);
            assert!(
                strings(&other).iter().any(|s| s.contains(secret)),
                "the pasted password {secret:?} shows in {output:?}"
            );
        }
    }

    // The given string's password.
    let Some(dsn) = dsn else { return };
    let analysis = analyze(dsn, None, &CheckOptions::default());
    let Some(password) = analysis
        .params
        .as_ref()
        .and_then(|p| p.get("password"))
        .filter(|p| {
            p.len() >= 8
                && p.chars().all(|c| c.is_ascii_alphanumeric())
                && !p.chars().all(|c| c.is_ascii_alphabetic())
        })
    else {
        return;
    };
    if !shows(password) || dsn.matches(password.as_str()).count() != 1 {
        return;
    }
    let neutral = "Qx7Kv2Zp9Lm4Wn8Rt5Yb3Hc6"
        .get(..password.len())
        .unwrap_or("Qx7Kv2Zp");
    let other = run(
        &text.replace(password.as_str(), neutral),
        Some(&dsn.replace(password.as_str(), neutral)),
    );
    assert!(
        strings(&other)
            .iter()
            .any(|s| s.contains(password.as_str())),
        "the string's password {password:?} shows in {output:?}"
    );
});
