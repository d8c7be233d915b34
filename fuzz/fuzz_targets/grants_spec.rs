//! Role specs, however hostile: JSON from the fuzzer straight into the generator.
//!
//! Properties (beyond "no panic, no hang"):
//! - an error diagnostic always means no script, and no error always means a script;
//! - no output (script, pg_hba lines, companion scripts, notes, diagnostics) ever contains the
//!   spec's password when it has one of 8 characters or more, beyond what the same spec with
//!   another password of the same length gives: a password that is also a word of the
//!   generator's own text (`scram+cert`, which a note recommends) is not a leak;
//! - generation is deterministic for a given random source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg_preflight_core::grants::{generate_from_json, parse_spec, Date, Environment, RandomSource};

struct Counter(u8);

impl RandomSource for Counter {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf {
            self.0 = self.0.wrapping_mul(29).wrapping_add(71);
            *b = self.0;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let run_on = |text: &str| {
        generate_from_json(
            text,
            &mut Environment {
                today: Date {
                    year: 2026,
                    month: 11,
                    day: 22,
                },
                random: &mut Counter(3),
                client_certificate: None,
            },
        )
    };
    let run = || run_on(text);
    let generated = run();
    let has_error = generated.diagnostics.iter().any(|d| d.is_error());
    assert_eq!(
        has_error,
        generated.scripts.is_none(),
        "errors and scripts disagree"
    );
    let report = serde_json::to_string(&generated.report()).unwrap_or_default();
    if let (Ok(spec), Ok(mut value)) = (
        parse_spec(text),
        serde_json::from_str::<serde_json::Value>(text),
    ) {
        if let Some(password) = spec.password.filter(|p| p.len() >= 8) {
            let escaped = serde_json::to_string(&password).unwrap_or_default();
            let bare = escaped.trim_matches('"');
            // The same spec with a neutral password of the same length: whatever the output
            // then holds of the real password's text is the generator's own words.
            let neutral: String = password
                .chars()
                .map(|c| if c == 'q' { 'x' } else { 'q' })
                .collect();
            if let Some(object) = value.as_object_mut() {
                object.insert("password".into(), serde_json::Value::String(neutral));
            }
            let with_neutral =
                serde_json::to_string(&run_on(&value.to_string()).report()).unwrap_or_default();
            // A password that also occurs elsewhere in the spec (as a name) may rightly appear.
            if let Some(object) = value.as_object_mut() {
                object.remove("password");
            }
            let rest = value.to_string();
            if !rest.contains(bare) && !rest.contains(password.as_str()) {
                assert!(
                    report.matches(bare).count() <= with_neutral.matches(bare).count(),
                    "the password appears in the output"
                );
            }
        }
    }
    assert_eq!(generated, run(), "generation is not deterministic");
});
