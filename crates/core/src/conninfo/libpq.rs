//! The libpq path: `PQconninfoParse`, libpq's connect-time value checks, and the security
//! review of the parsed string, which the other dialects' equivalents go through too.

use super::analysis::{Analysis, CheckOptions};
use super::dialect::{Dialect, Verdict};
use super::options::HostTarget;
use super::{keywords, options, paste, placeholder, redact, security, syntax};
use crate::diagnostic::{self, Diagnostic};

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
            params_with_pieces: Default::default(),
        },
        Ok(conninfo) => {
            let review = security_review(input, &conninfo, Dialect::Libpq, options);
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
                params_with_pieces: Default::default(),
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
    /// Why no verified mode works here by default ([`security::tls::unverifiable_here`]).
    pub unverifiable: Option<String>,
}

pub fn security_review(
    input: &str,
    conninfo: &syntax::Conninfo,
    dialect: Dialect,
    options: &CheckOptions,
) -> Review {
    let (effective, mut diagnostics) = options::check_values(conninfo);
    diagnostics.extend(conninfo.notes.iter().cloned());
    let verdict = Verdict::for_libpq(conninfo, &effective);
    let context = security::Context {
        input,
        conninfo,
        effective: &effective,
        dialect,
        options,
    };
    diagnostics.extend(security::run_checks(&context));
    placeholders_instead_of_their_cascade(input, conninfo, &mut diagnostics);
    diagnostics.extend(paste::check_paths(input, conninfo));
    let verify_changes = security::tls::verified_changes(&context);
    let unverifiable = security::tls::unverifiable_here(&context);
    Review {
        hosts: effective.hosts,
        diagnostics,
        verdict,
        verify_changes,
        unverifiable,
    }
}

/// One finding per value that is a template placeholder, and none of the findings the
/// placeholder itself causes (a weak password, an invalid port, an unknown host): every other
/// finding whose span lies inside the placeholder's value goes, except that the string carries
/// a password at all (PGP-AUTH-101), which stays true once it is filled in.
fn placeholders_instead_of_their_cascade(
    input: &str,
    conninfo: &syntax::Conninfo,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // By text: `conninfo` may be the libpq equivalent of another driver's string.
    let env_names: Vec<&str> = placeholder::env_style_names(input)
        .into_iter()
        .filter_map(|(a, b)| input.get(a..b))
        .collect();
    let found: Vec<placeholder::Found<'_>> = conninfo
        .params
        .iter()
        .filter(|p| {
            !p.value_span.is_empty()
                && (placeholder::is_placeholder(&p.value) || env_names.contains(&p.value.as_str()))
        })
        .map(|p| placeholder::Found {
            keyword: Some(p.keyword),
            value: &p.value,
            span: p.value_span,
            // A value holding a secret (`-c password=…` in `options`) is not quoted either.
            secret: keywords::is_secret(p.keyword)
                || redact::without_embedded_secrets(&p.value) != p.value,
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
pub(super) fn placeholder_rejection(input: &str, analysis: &mut Analysis) {
    let mut tokens = Vec::new();
    let mut from = 0;
    while let Some((start, end)) = input.get(from..).and_then(placeholder::placeholder_in) {
        tokens.push(diagnostic::Span::new(from + start, from + end));
        from += end.max(start + 1);
        if from >= input.len() {
            break;
        }
    }
    for (start, end) in placeholder::env_style_names(input) {
        let name = diagnostic::Span::new(start, end);
        if !tokens.iter().any(|t| t.start < name.end && name.start < t.end) {
            tokens.push(name);
        }
    }
    tokens.sort_by_key(|t| t.start);
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
pub(super) fn syntax_diagnostic(input: &str, error: &syntax::SyntaxError) -> Diagnostic {
    let message = redact::redact_message(input, &error.message);
    let diagnostic = Diagnostic::new(error.rule, format!("libpq: {message}")).at(error.span);
    let fix = split_secret_advice(input, error)
        .or_else(|| keyword_suggestion(input, error))
        .or_else(|| syntax_advice(error.rule));
    match fix {
        Some(fix) => diagnostic.with_fix(fix),
        None => diagnostic,
    }
}

/// A rejected word that is the tail of a secret's value (the lenient finders mask it with the
/// value: `password=Ab cdEf9`): libpq ends an unquoted value at whitespace, so the fix is to
/// quote the value, not to write the word as a keyword of its own or remove it.
fn split_secret_advice(input: &str, error: &syntax::SyntaxError) -> Option<crate::diagnostic::Fix> {
    let rejected_word = error.rule.code == syntax::RULE_MISSING_EQUALS.code
        || error.rule.code == syntax::RULE_UNKNOWN_KEYWORD.code;
    (rejected_word && redact::within_secret_tail(input, error.span)).then(|| {
        crate::diagnostic::Fix::advice(
            "Quote the whole password, `password='…'`: libpq ends an unquoted value at a space and read the password's rest as a keyword (values redacted). Inside the quotes write `\\'` for a quote and `\\\\` for a backslash",
        )
    })
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
