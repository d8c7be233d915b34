//! `conninfo::analyze`, the entry point the CLI and the browser call, on arbitrary text.
//!
//! The first byte picks the driver (`None` = detect, or one of `Dialect::ALL`) and the
//! `CheckOptions` flags; the rest, read as (lossy) UTF-8, is the connection string.
//!
//! Checked besides "never panics, never hangs":
//! - every diagnostic span lies inside the input;
//! - the dialect is the one asked for, or the detected one;
//! - the fix round trip (issue 12): every fix replacement shown, checked again in the same
//!   dialect, parses, adds no error (a placeholder path aside), no longer raises the finding
//!   and leaves the verdict no weaker (`conninfo::recheck::problem`, recomputed here); a fix
//!   whose replacement was withdrawn carries none;
//! - read as libpq: `valid` is exactly "`PQconninfoParse` accepts it", and `params` is what
//!   the parser returned;
//! - read as libpq: a secret (a secret keyword's value, raw or decoded, or the password of a
//!   URI's user information) never shows up in the output text (details, fixes, the libpq
//!   equivalent, the verdict). To tell a leak from a secret that merely equals other text, the
//!   check is differential: it applies only to secrets of 4+ bytes that `mask_input` removed
//!   from the input entirely, and flags text that contains the secret when the analysis of
//!   the masked input does not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg_preflight_core::conninfo::dialect::{self, Dialect};
use pg_preflight_core::conninfo::{
    analyze, keywords, paste, recheck, redact, syntax, Analysis, CheckOptions,
};

/// Everything `analyze` produces for people to read, except `params` (which by contract holds
/// every parameter, secrets included, for the API caller).
fn output_text(analysis: &Analysis) -> String {
    let mut text = String::new();
    for d in &analysis.diagnostics {
        text.push_str(&d.detail);
        text.push('\n');
        if let Some(fix) = &d.fix {
            text.push_str(&fix.title);
            text.push('\n');
            if let Some(replacement) = &fix.replacement {
                text.push_str(replacement);
                text.push('\n');
            }
        }
    }
    if let Some(equivalent) = &analysis.libpq_equivalent {
        text.push_str(equivalent);
        text.push('\n');
    }
    if let Some(verdict) = &analysis.verdict {
        text.push_str(&verdict.summary);
    }
    text
}

/// The raw password of `postgres[ql]://user:password@…` as libpq finds it: the credentials are
/// everything up to an `@` that comes before the first `/`; the password runs from the first
/// `:` in them to the first `@` after that `:`. Independent of the core's own helper.
fn uri_userinfo_password(input: &str) -> Option<&str> {
    let visible = input.split('\0').next().unwrap_or_default();
    let start = syntax::uri_prefix_length(visible);
    if start == 0 {
        return None;
    }
    let rest = visible.get(start..)?;
    let end = rest.find(['@', '/'])?;
    if !rest.get(end..)?.starts_with('@') {
        return None;
    }
    let colon = rest.get(..end)?.find(':')?;
    let after = rest.get(colon + 1..)?;
    let at = after.find('@')?;
    after.get(..at)
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
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let driver = match usize::from(first) % (Dialect::ALL.len() + 1) {
        0 => None,
        n => Dialect::ALL.get(n - 1).copied(),
    };
    let options = CheckOptions {
        ca_supplied: first & 0x40 != 0,
        client_cert_supplied: first & 0x80 != 0,
    };
    let input = String::from_utf8_lossy(rest);
    let input: &str = &input;

    let analysis = analyze(input, driver, &options);
    if !check_properties() {
        // Exercise the same code, assert nothing.
        let parsed = syntax::parse(input);
        let masked = redact::mask_input(input, parsed.as_ref().ok());
        let _ = analyze(&masked, driver, &options);
        return;
    }

    for d in &analysis.diagnostics {
        if let Some(span) = d.span {
            assert!(
                span.start <= span.end && span.end <= input.len(),
                "{}: span {}..{} outside the input of {} bytes",
                d.code,
                span.start,
                span.end,
                input.len()
            );
        }
    }
    for d in &analysis.diagnostics {
        let Some(fix) = &d.fix else { continue };
        if fix.withdrawn.is_some() {
            assert!(
                fix.replacement.is_none(),
                "{}: a withdrawn replacement is shown",
                d.code
            );
            continue;
        }
        let Some(replacement) = &fix.replacement else {
            continue;
        };
        let problem = recheck::check_fix(&analysis, d, replacement, &options);
        assert!(
            problem.is_none(),
            "{}: the fix {replacement:?} of {input:?} does not hold: {problem:?}",
            d.code
        );
    }
    match driver {
        Some(d) => assert!(
            analysis.dialect == d && !analysis.detected,
            "dialect not kept"
        ),
        // A broken paste is read as the string it meant (conninfo::paste).
        None => assert!(
            analysis.dialect
                == paste::recover(input)
                    .map_or_else(|| dialect::detect(input), |r| dialect::detect(&r.text))
                && analysis.detected,
            "dialect not the detected one"
        ),
    }
    if analysis.dialect != Dialect::Libpq {
        return;
    }

    let parsed = syntax::parse(input);
    assert_eq!(
        analysis.valid,
        parsed.is_ok(),
        "valid differs from PQconninfoParse"
    );
    if let Ok(conninfo) = &parsed {
        let params = analysis.params.as_ref().map(|params| {
            params
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>()
        });
        let mut expected: Vec<(String, String)> = conninfo
            .params
            .iter()
            .map(|p| (p.keyword.to_string(), p.value.clone()))
            .collect();
        expected.sort();
        assert_eq!(params, Some(expected), "params differ from the parser's");
    }

    // Masks never depend on the password's value: with the one alphanumeric password
    // replaced by a neutral one, the outputs carry as many masks (the weak-password finding,
    // which depends on the value by design, aside).
    if let Ok(conninfo) = &parsed {
        let spans = redact::secret_spans(input, Some(conninfo));
        if let [(start, end)] = spans.as_slice() {
            let password = input.get(*start..*end).unwrap_or_default();
            // A password whose text also stands elsewhere in the input is shown there anyway,
            // and its copies in the outputs are rightly not masked: value-independence is
            // about a password that appears once.
            let once = input.matches(password).count() == 1;
            if once && password.len() >= 2 && password.bytes().all(|b| b.is_ascii_alphanumeric()) {
                // Of the same length: a finding may depend on a value's length (a socket path
                // over 107 bytes), and a host holding the password then changes with it.
                let neutral: String = "Qx7Kv2Zp9Lm4"
                    .chars()
                    .cycle()
                    .take(password.len())
                    .collect();
                let neutral_input = format!(
                    "{}{neutral}{}",
                    input.get(..*start).unwrap_or_default(),
                    input.get(*end..).unwrap_or_default()
                );
                let masks = |a: &Analysis| {
                    let mut a = a.clone();
                    a.diagnostics.retain(|d| d.code != "PGP-AUTH-102");
                    output_text(&a).matches(redact::REDACTED).count()
                };
                let neutral = analyze(&neutral_input, driver, &options);
                assert_eq!(
                    masks(&analysis),
                    masks(&neutral),
                    "the masks of {input:?} depend on its password"
                );
            }
        }
    }

    // The secret-leak check.
    let mut secrets: Vec<&str> = Vec::new();
    if let Ok(conninfo) = &parsed {
        for p in conninfo
            .params
            .iter()
            .filter(|p| keywords::is_secret(p.keyword))
        {
            secrets.push(&p.value);
            if let Some(raw) = input.get(p.value_span.start..p.value_span.end) {
                secrets.push(raw);
            }
        }
    }
    secrets.extend(uri_userinfo_password(input));
    let masked = redact::mask_input(input, parsed.as_ref().ok());
    secrets.retain(|s| s.len() >= 4 && !masked.contains(*s));
    if secrets.is_empty() {
        return;
    }
    let text = output_text(&analysis);
    let leaked: Vec<&str> = secrets.into_iter().filter(|s| text.contains(*s)).collect();
    if leaked.is_empty() {
        return;
    }
    let masked_text = output_text(&analyze(&masked, driver, &options));
    for secret in leaked {
        if masked_text.contains(secret) {
            continue;
        }
        // A secret that is a piece of the tool's own words (`secre` of "a secret store")
        // shows whatever the password: the same input with another text of its length in
        // its place must show it too.
        let neutral: String = "Qx7Kv2Zp9Lm4".chars().cycle().take(secret.chars().count()).collect();
        let other = output_text(&analyze(&input.replace(secret, &neutral), driver, &options));
        assert!(
            other.contains(secret),
            "secret {secret:?} of {input:?} shows in the output:\n{text}"
        );
    }
});
