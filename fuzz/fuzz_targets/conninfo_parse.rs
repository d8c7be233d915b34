//! `syntax::parse` (libpq's `PQconninfoParse`) on arbitrary text.
//!
//! Besides "never panics, never hangs" (libFuzzer's `-timeout` catches hangs), this checks
//! properties that hold whenever the code is right:
//! - every span, of a parse result or of a rejection, lies inside the input; for accepted
//!   strings every span also starts and ends on a char boundary;
//! - no decoded value holds a NUL (libpq reads C strings and forbids `%00`);
//! - `redact::render` gives a string that re-parses, in the same form, to exactly the
//!   non-secret parameters, and with no secret parameter at all;
//! - `render::restore_secrets` (libpq) over that rendering (applying a fix in the page) gives back exactly
//!   the input's parameters, secrets included, in the same form;
//! - `redact::mask_input` keeps the input's length (spans still point at the same bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg_preflight_core::conninfo::dialect::{render, Dialect};
use pg_preflight_core::conninfo::{redact, syntax};
use pg_preflight_core::Span;

fn check_span(input: &str, span: Span, boundaries: bool, what: &str) {
    assert!(
        span.start <= span.end && span.end <= input.len(),
        "{what}: span {}..{} outside the input of {} bytes",
        span.start,
        span.end,
        input.len()
    );
    if boundaries {
        assert!(
            input.is_char_boundary(span.start) && input.is_char_boundary(span.end),
            "{what}: span {}..{} splits a character",
            span.start,
            span.end
        );
    }
}

fn non_secret(conninfo: &syntax::Conninfo) -> Vec<(&'static str, String)> {
    let mut params: Vec<(&'static str, String)> = conninfo
        .params
        .iter()
        .filter(|p| !pg_preflight_core::conninfo::keywords::is_secret(p.keyword))
        .map(|p| (p.keyword, p.value.clone()))
        .collect();
    params.sort();
    params
}

fn all_params(conninfo: &syntax::Conninfo) -> Vec<(&'static str, String)> {
    let mut params: Vec<(&'static str, String)> = conninfo
        .params
        .iter()
        .map(|p| (p.keyword, p.value.clone()))
        .collect();
    params.sort();
    params
}

/// `FUZZ_PANIC_ONLY=1` (set by `scripts/fuzz.sh`'s callers) checks only "no panic, no hang",
/// so that a run is not stopped by a known property failure while looking for crashes.
fn check_properties() -> bool {
    static CHECK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CHECK.get_or_init(|| {
        std::env::var_os("FUZZ_PANIC_ONLY").is_none_or(|v| v.is_empty() || v == "0")
    })
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let input: &str = &input;
    if !check_properties() {
        // Exercise the same code, assert nothing.
        let parsed = syntax::parse(input);
        if let Ok(conninfo) = &parsed {
            let _ = syntax::parse(&redact::render(conninfo));
        }
        let _ = redact::mask_input(input, parsed.as_ref().ok());
        let _ = redact::mask_input(input, None);
        return;
    }
    match syntax::parse(input) {
        Ok(conninfo) => {
            for (i, param) in conninfo.params.iter().enumerate() {
                check_span(input, param.key_span, true, param.keyword);
                check_span(input, param.value_span, true, param.keyword);
                assert!(param.occurrences >= 1, "{}: no occurrence", param.keyword);
                assert!(
                    !param.value.contains('\0'),
                    "{}: value holds NUL",
                    param.keyword
                );
                assert!(
                    conninfo
                        .params
                        .iter()
                        .skip(i + 1)
                        .all(|p| p.keyword != param.keyword),
                    "{} stored twice",
                    param.keyword
                );
            }
            for note in &conninfo.notes {
                if let Some(span) = note.span {
                    check_span(input, span, true, note.code);
                }
            }

            let rendered = redact::render(&conninfo);
            match syntax::parse(&rendered) {
                Ok(again) => {
                    assert_eq!(
                        again.form, conninfo.form,
                        "form changed: {input:?} -> {rendered:?}"
                    );
                    assert!(
                        again
                            .params
                            .iter()
                            .all(|p| !pg_preflight_core::conninfo::keywords::is_secret(p.keyword)),
                        "secret parameter rendered: {input:?} -> {rendered:?}"
                    );
                    // A secret written inside another value, or a text the shown input hides
                    // everywhere, is masked in the rendering.
                    let masked: Vec<(&'static str, String)> = non_secret(&conninfo)
                        .into_iter()
                        .map(|(k, v)| (k, redact::without_secrets(&v, &conninfo.hidden_secrets)))
                        .collect();
                    assert_eq!(
                        non_secret(&again),
                        masked,
                        "render does not round-trip: {input:?} -> {rendered:?}"
                    );
                }
                Err(error) => panic!(
                    "rendered string rejected ({}): {input:?} -> {rendered:?}",
                    error.message
                ),
            }

            // Applying a fix in the page: the secret-free rendering with the input's secrets
            // put back must be the input's parameters exactly, secrets included, in its form.
            let restored = render::restore_secrets(Dialect::Libpq, input, &rendered, None)
                .map(|restored| restored.text)
                .unwrap_or_else(|| panic!("restore_secrets refused: {input:?} -> {rendered:?}"));
            let again = syntax::parse(&restored).unwrap_or_else(|e| {
                panic!(
                    "restored string rejected ({}): {input:?} -> {restored:?}",
                    e.message
                )
            });
            assert_eq!(
                again.form, conninfo.form,
                "form changed: {input:?} -> {restored:?}"
            );
            assert_eq!(
                all_params(&again),
                all_params(&conninfo),
                "restore_secrets does not round-trip: {input:?} -> {restored:?}"
            );

            let masked = redact::mask_input(input, Some(&conninfo));
            assert_eq!(masked.len(), input.len(), "mask_input changed the length");
        }
        Err(error) => {
            check_span(input, error.span, false, error.rule.code);
            assert!(!error.message.is_empty());
        }
    }
    let masked = redact::mask_input(input, None);
    assert_eq!(
        masked.len(),
        input.len(),
        "mask_input(None) changed the length"
    );
});
