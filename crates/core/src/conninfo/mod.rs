//! Connection strings: libpq-exact parsing ([`syntax`]), libpq's value checks ([`options`]),
//! other drivers' dialects ([`dialect`]) and the security review ([`security`]).
//!
//! [`analyze`] is the one entry point the CLI and the browser call.

pub mod dialect;
pub mod edit;
pub mod keywords;
pub mod options;
pub mod paste;
pub mod placeholder;
pub mod recheck;
pub mod redact;
pub mod security;
pub mod syntax;

use crate::diagnostic::{self, sort_diagnostics, Diagnostic};
use dialect::{Dialect, Verdict};
use options::HostTarget;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything pg-preflight learned from one connection string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// False when the driver (for libpq: `PQconninfoParse`) rejects the string outright.
    pub valid: bool,
    pub dialect: Dialect,
    /// Whether the dialect was detected rather than given.
    pub detected: bool,
    /// For libpq: exactly what `PQconninfoParse` returns (keyword → decoded value). For other
    /// drivers: the parameters as that driver reads them. `None` when invalid.
    pub params: Option<BTreeMap<String, String>>,
    /// libpq's host list (after translation for other drivers).
    pub hosts: Vec<HostTarget>,
    pub diagnostics: Vec<Diagnostic>,
    /// What the driver will actually do about TLS.
    pub verdict: Option<Verdict>,
    /// The equivalent libpq connection string, secrets redacted; `None` when there is none.
    pub libpq_equivalent: Option<String>,
    /// Where the input's secrets sit, so that outputs built later from this analysis (the
    /// snippets) can mask an echo of one. Never serialised.
    #[serde(skip)]
    pub secret_sites: Vec<redact::SecretSite>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }
}

/// Context the security checks may use beyond the string itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// A CA certificate file was supplied alongside the string (e.g. `--ca`).
    pub ca_supplied: bool,
    /// A client certificate was supplied alongside the string.
    pub client_cert_supplied: bool,
}

/// Parses and reviews `input`, read as `driver` or, when `None`, as the detected dialect.
/// Every fix's replacement has been checked again in the same dialect ([`recheck`]).
pub fn analyze(input: &str, driver: Option<Dialect>, options: &CheckOptions) -> Analysis {
    let mut analysis = match paste::recover(input) {
        Some(recovered) => analyze_recovered(input, &recovered, driver, options),
        None => analyze_unchecked(input, driver, options),
    };
    recheck::withdraw_unclean_fixes(&mut analysis, options);
    analysis
}

/// A broken paste: the string the user meant is analysed, its findings point back into what
/// was pasted, and each paste finding's fix is that string (secrets left out).
fn analyze_recovered(
    input: &str,
    recovered: &paste::Recovered,
    driver: Option<Dialect>,
    options: &CheckOptions,
) -> Analysis {
    let mut analysis = analyze_unchecked(&recovered.text, driver, options);
    for d in &mut analysis.diagnostics {
        d.span = d.span.map(|s| recovered.to_input(s));
    }
    // DESIGN §3: read as libpq, `valid` and `params` are what `PQconninfoParse` says of the
    // string as pasted, and its rejection carries libpq's own message; the findings and fixes
    // are about the string that was meant.
    if analysis.dialect == Dialect::Libpq {
        // libpq's own value checks (codes numbered below 100) are those of the string as
        // pasted, as libpq would report them when connecting with it.
        let libpq_own = |code: &str| {
            code.rsplit('-')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n < 100)
                && !code.starts_with("PGP-PASTE-")
        };
        analysis.diagnostics.retain(|d| !libpq_own(d.code));
        match syntax::parse(input) {
            Ok(conninfo) => {
                let (_, own) = options::check(&conninfo);
                analysis.diagnostics.extend(own);
                analysis.valid = true;
                analysis.params = Some(crate::sort::string_map(
                    conninfo
                        .params
                        .iter()
                        .map(|p| (p.keyword.to_string(), p.value.clone())),
                ));
            }
            Err(error) => {
                analysis.valid = false;
                analysis.params = None;
                analysis.diagnostics.push(syntax_diagnostic(input, &error));
            }
        }
    }
    let shown = match analysis.dialect {
        Dialect::Libpq => syntax::parse(&recovered.text)
            .ok()
            .map(|c| redact::render(&c)),
        other => dialect::render::secret_free(other, &recovered.text),
    };
    let fix = paste::fix(shown);
    for finding in &recovered.findings {
        analysis
            .diagnostics
            .push(finding.clone().with_fix(fix.clone()));
    }
    // What the pasted text itself shows of its secrets (the masks computed for the recovered
    // text cover the same secrets, possibly encoded differently).
    let finds = redact::secret_span_finds(input, None);
    let scrub = |text: &mut String| *text = masked(input, &finds, text);
    for d in &mut analysis.diagnostics {
        scrub(&mut d.detail);
        if let Some(fix) = &mut d.fix {
            scrub(&mut fix.title);
        }
    }
    sort_diagnostics(&mut analysis.diagnostics);
    analysis
}

/// [`analyze`] without checking the fixes again: what [`recheck`] itself runs on a
/// replacement.
pub fn analyze_unchecked(input: &str, driver: Option<Dialect>, options: &CheckOptions) -> Analysis {
    let (dialect, detected) = match driver {
        Some(d) => (d, false),
        None => (dialect::detect(input), true),
    };
    let mut analysis = if dialect == Dialect::Libpq {
        analyze_libpq(input, options)
    } else {
        dialect::analyze_foreign(dialect, input, options)
    };
    analysis.dialect = dialect;
    analysis.detected = detected;
    if !analysis.valid {
        placeholder_rejection(input, &mut analysis);
    }
    if detected && dialect != Dialect::Libpq {
        if let Err(error) = syntax::parse(input) {
            let message = redact::redact_message(input, &error.message);
            analysis.diagnostics.push(
                Diagnostic::new(
                    &dialect::RULE_LIBPQ_WOULD_REJECT,
                    format!(
                        "Read as {}; libpq would reject it: libpq: {message}",
                        dialect.name()
                    ),
                )
                .at(error.span),
            );
        }
    }
    scrub_secrets(input, &mut analysis);
    sort_diagnostics(&mut analysis.diagnostics);
    analysis
}

/// The last line of defence for the secrets invariant: whatever a check wrote, an *echo* of a
/// secret of the input (its text between the characters that surround it in the input, as a
/// confused parse copies `user:password@` into a host or port list) is masked in diagnostics,
/// fixes and the libpq equivalent. Prose is never searched for the secret's text: a password
/// `server` leaves "verify the server" alone, so masks never reveal a password.
/// `text` with what it shows of the secrets at `spans` masked. A check that repeats libpq's
/// own message (`libpq: invalid integer value "…"`) quotes the input's components decoded
/// (`%3D` as `=`), so a quoted piece may hold part of a secret without being verbatim in the
/// input: those messages are masked as libpq's parse errors are.
fn masked(input: &str, spans: &[(usize, usize)], text: &str) -> String {
    if text.starts_with("libpq: ") {
        redact::mask_shown_libpq(input, spans, text)
    } else {
        redact::mask_shown(input, spans, text)
    }
}

fn scrub_secrets(input: &str, analysis: &mut Analysis) {
    let parsed = syntax::parse(input).ok();
    let spans = redact::secret_span_finds(input, parsed.as_ref());
    analysis.secret_sites = redact::secret_sites(input, &spans);
    if spans.is_empty() {
        return;
    }
    let scrub = |text: &mut String| *text = masked(input, &spans, text);
    for diagnostic in &mut analysis.diagnostics {
        scrub(&mut diagnostic.detail);
        if let Some(fix) = &mut diagnostic.fix {
            scrub(&mut fix.title);
            if let Some(replacement) = &mut fix.replacement {
                scrub(replacement);
            }
            if let Some(code) = &mut fix.code {
                scrub(&mut code.text);
            }
        }
    }
    if let Some(equivalent) = &mut analysis.libpq_equivalent {
        scrub(equivalent);
    }
}

/// The libpq path: `PQconninfoParse`, then the connect-time value checks, then the review.
pub fn analyze_libpq(input: &str, options: &CheckOptions) -> Analysis {
    match syntax::parse(input) {
        Err(error) => Analysis {
            valid: false,
            dialect: Dialect::Libpq,
            detected: false,
            params: None,
            hosts: Vec::new(),
            diagnostics: vec![syntax_diagnostic(input, &error)],
            verdict: None,
            libpq_equivalent: None,
            secret_sites: Vec::new(),
        },
        Ok(conninfo) => {
            let review = review(input, &conninfo, Dialect::Libpq, options);
            Analysis {
                valid: true,
                dialect: Dialect::Libpq,
                detected: false,
                params: Some(crate::sort::string_map(
                    conninfo
                        .params
                        .iter()
                        .map(|p| (p.keyword.to_string(), p.value.clone())),
                )),
                hosts: review.hosts,
                diagnostics: review.diagnostics,
                verdict: Some(review.verdict),
                libpq_equivalent: Some(redact::render(&conninfo)),
                secret_sites: Vec::new(),
            }
        }
    }
}

/// The findings on a libpq-equivalent connection string (native, or translated from another
/// driver with spans into the original input).
#[derive(Debug, Clone)]
pub struct Review {
    pub hosts: Vec<HostTarget>,
    pub diagnostics: Vec<Diagnostic>,
    pub verdict: Verdict,
    /// What verifying the server as strongly as works takes, in libpq's vocabulary (the
    /// provider's CA file included): the edit behind every weak-TLS fix, which other
    /// dialects' own verification findings reuse.
    pub verify_changes: Vec<crate::diagnostic::Change>,
}

pub fn review(
    input: &str,
    conninfo: &syntax::Conninfo,
    dialect: Dialect,
    options: &CheckOptions,
) -> Review {
    let (effective, mut diagnostics) = options::check(conninfo);
    diagnostics.extend(conninfo.notes.iter().cloned());
    let verdict = Verdict::for_libpq(conninfo, &effective);
    let context = security::Context {
        input,
        conninfo,
        effective: &effective,
        dialect,
        options,
    };
    diagnostics.extend(security::check(&context));
    placeholders_instead_of_their_cascade(conninfo, &mut diagnostics);
    diagnostics.extend(paste::check_paths(input, conninfo));
    let verify_changes = security::tls::verified_changes(&context);
    Review {
        hosts: effective.hosts,
        diagnostics,
        verdict,
        verify_changes,
    }
}

/// One finding per value that is a template placeholder, and none of the findings the
/// placeholder itself causes (a weak password, an invalid port, an unknown host): every other
/// finding whose span lies inside the placeholder's value goes, except that the string carries
/// a password at all (PGP-AUTH-101), which stays true once it is filled in.
fn placeholders_instead_of_their_cascade(
    conninfo: &syntax::Conninfo,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let found: Vec<placeholder::Found<'_>> = conninfo
        .params
        .iter()
        .filter(|p| !p.value_span.is_empty() && placeholder::is_placeholder(&p.value))
        .map(|p| placeholder::Found {
            keyword: Some(p.keyword),
            value: &p.value,
            span: p.value_span,
            secret: keywords::is_secret(p.keyword),
        })
        .collect();
    let Some(finding) = placeholder::finding(&found) else {
        return;
    };
    let inside = |s: diagnostic::Span| {
        !s.is_empty()
            && found
                .iter()
                .any(|f| f.span.start <= s.start && s.end <= f.span.end)
    };
    diagnostics.retain(|d| {
        d.code == security::credentials::RULE_SECRET_IN_STRING.code || !d.span.is_some_and(inside)
    });
    diagnostics.push(finding);
}

/// A string the driver rejected where a placeholder stands (`postgres://u@host:<port>/db` for
/// a driver that parses the port): the placeholder finding beside the rejection, which keeps
/// the driver's (or libpq's) own message as DESIGN §3 requires. Passwords are not quoted.
fn placeholder_rejection(input: &str, analysis: &mut Analysis) {
    let mut tokens = Vec::new();
    let mut from = 0;
    while let Some((start, end)) = input.get(from..).and_then(placeholder::placeholder_in) {
        tokens.push(diagnostic::Span::new(from + start, from + end));
        from += end.max(start + 1);
        if from >= input.len() {
            break;
        }
    }
    if tokens.is_empty() {
        return;
    }
    let overlapping =
        |s: &diagnostic::Span| tokens.iter().any(|t| t.start < s.end && s.start < t.end);
    let caused = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.span.is_some_and(|s| overlapping(&s)))
        .count();
    if caused == 0 {
        return;
    }
    let secrets = redact::secret_spans(input, None);
    let found: Vec<placeholder::Found<'_>> = tokens
        .iter()
        .map(|t| placeholder::Found {
            keyword: None,
            value: input.get(t.start..t.end).unwrap_or_default(),
            span: *t,
            secret: secrets.iter().any(|&(a, b)| a < t.end && t.start < b),
        })
        .collect();
    analysis.diagnostics.extend(placeholder::finding(&found));
}

/// libpq's rejection as a diagnostic: libpq's message in the detail, with any secret the
/// message would echo (libpq quotes whole URIs and components) replaced by `********`.
fn syntax_diagnostic(input: &str, error: &syntax::SyntaxError) -> Diagnostic {
    let message = redact::redact_message(input, &error.message);
    let diagnostic = Diagnostic::new(error.rule, format!("libpq: {message}")).at(error.span);
    match keyword_suggestion(input, error).or_else(|| syntax_advice(error.rule)) {
        Some(fix) => diagnostic.with_fix(fix),
        None => diagnostic,
    }
}

/// What to do about each kind of rejected string, when no concrete replacement exists.
fn syntax_advice(rule: &'static crate::registry::Rule) -> Option<crate::diagnostic::Fix> {
    use syntax::*;
    let advice = match rule.code {
        c if c == RULE_MISSING_EQUALS.code => {
            "Write `keyword=value`; quote values containing spaces: `keyword='a b'`"
        }
        c if c == RULE_UNTERMINATED_QUOTE.code => {
            "Close the quoted value with `'`; escape quotes inside it as `\\'`"
        }
        c if c == RULE_BAD_PERCENT_ENCODING.code => {
            "Percent-encode the component (a literal `%` is `%25`)"
        }
        c if c == RULE_PERCENT_NUL.code => "Remove `%00` from the URI",
        c if c == RULE_URI_SPACES.code => "Write spaces inside URI components as `%20`",
        c if c == RULE_IPV6_UNTERMINATED.code => "Close the IPv6 address with `]`",
        c if c == RULE_IPV6_EMPTY.code => "Put the IPv6 address between the brackets",
        c if c == RULE_IPV6_TRAILER.code => "Follow `]` with `:port`, `,`, `/` or `?` only",
        c if c == RULE_QUERY_EXTRA_EQUALS.code => "Percent-encode `=` inside values as `%3D`",
        c if c == RULE_QUERY_MISSING_EQUALS.code => {
            "Write each query parameter as `keyword=value`, separated by `&`"
        }
        c if c == RULE_UNKNOWN_KEYWORD.code || c == RULE_QUERY_UNKNOWN_KEYWORD.code => {
            "Remove the parameter, or move server settings into `options=-c name=value`"
        }
        _ => return None,
    };
    Some(crate::diagnostic::Fix::advice(advice))
}

/// "Did you mean `sslmode`?" for an unknown keyword. The replacement is the input with the
/// keyword corrected, offered only when the input holds no secret to echo.
fn keyword_suggestion(input: &str, error: &syntax::SyntaxError) -> Option<crate::diagnostic::Fix> {
    let unknown = error.rule.code == syntax::RULE_UNKNOWN_KEYWORD.code
        || error.rule.code == syntax::RULE_QUERY_UNKNOWN_KEYWORD.code;
    if !unknown {
        return None;
    }
    let written = input.get(error.span.start..error.span.end)?;
    let suggestion = keywords::closest(written)?;
    let title = format!("Did you mean `{suggestion}`?");
    if !redact::secret_spans(input, None).is_empty() {
        return Some(crate::diagnostic::Fix::advice(title));
    }
    let replacement = format!(
        "{}{suggestion}{}",
        input.get(..error.span.start)?,
        input.get(error.span.end..)?
    );
    Some(crate::diagnostic::Fix::replace(title, replacement))
}

#[cfg(test)]
mod scrub_tests {
    use super::*;

    /// Found by fuzzing: the URI's user information ends at the first '@', so a second
    /// `user:password@` lands in the port list, whose error message and fixes echoed it.
    #[test]
    fn a_secret_copied_into_another_value_is_still_redacted() {
        let input = "postgresql://user:ecsret@local,user:ecsret@localbre";
        let analysis = analyze(input, None, &CheckOptions::default());
        for d in &analysis.diagnostics {
            let fix = d.fix.as_ref();
            let texts = [
                Some(d.detail.as_str()),
                fix.map(|f| f.title.as_str()),
                fix.and_then(|f| f.replacement.as_deref()),
            ];
            for text in texts.into_iter().flatten() {
                assert!(!text.contains("ecsret"), "{}: {text}", d.code);
            }
        }
        assert!(!analysis
            .libpq_equivalent
            .unwrap_or_default()
            .contains("ecsret"));
    }
}
