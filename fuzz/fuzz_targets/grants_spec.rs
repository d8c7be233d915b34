//! Role specs, however hostile: JSON from the fuzzer straight into the generator.
//!
//! Properties (beyond "no panic, no hang"):
//! - an error diagnostic always means no script, and no error always means a script;
//! - no output (script, pg_hba lines, companion scripts, notes, diagnostics) ever contains the
//!   spec's password when it has one of 8 characters or more;
//! - generation is deterministic for a given random source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg_preflight_core::grants::{generate_from_json, parse_spec, Context, Date, RandomSource};

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
    let run = || {
        generate_from_json(
            text,
            &mut Context {
                today: Date { year: 2026, month: 11, day: 22 },
                random: &mut Counter(3),
                client_certificate: None,
            },
        )
    };
    let generated = run();
    let has_error = generated.diagnostics.iter().any(|d| d.is_error());
    assert_eq!(has_error, generated.scripts.is_none(), "errors and scripts disagree");
    let report = serde_json::to_string(&generated.report()).unwrap_or_default();
    if let (Ok(spec), Ok(mut value)) = (parse_spec(text), serde_json::from_str::<serde_json::Value>(text)) {
        if let Some(password) = spec.password.filter(|p| p.len() >= 8) {
            let escaped = serde_json::to_string(&password).unwrap_or_default();
            let bare = escaped.trim_matches('"');
            // A password that also occurs elsewhere in the spec (as a name) may rightly appear.
            if let Some(object) = value.as_object_mut() {
                object.remove("password");
            }
            let rest = value.to_string();
            if !rest.contains(bare) && !rest.contains(password.as_str()) {
                assert!(!report.contains(bare), "the password appears in the output");
            }
        }
    }
    assert_eq!(generated, run(), "generation is not deterministic");
});
