//! Text output for people: rustc-style findings with the span underlined in the (masked)
//! input, colour only on a terminal.

use pg_preflight_core::is_hardening;
use pg_preflight_core::Analysis;
use pg_preflight_core::{ConnectionSummary, Report};
use pg_preflight_core::{Diagnostic, Severity, Span};
use pg_preflight_core::{Dialect, Tri, Verdict};

struct Style {
    colour: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.as_str())
    }
}

/// The input as shown: each secret replaced by the fixed mask.
use pg_preflight_core::Shown;

pub fn analysis_text(input: &str, analysis: &Analysis, colour: bool) -> String {
    let mut out = header(
        analysis.dialect,
        analysis.detected,
        analysis.verdict.as_ref(),
        analysis.libpq_equivalent.as_deref(),
    );
    out.push_str(&diagnostics_text(
        Some(input),
        Some(analysis.dialect),
        &analysis.diagnostics,
        colour,
    ));
    out
}

/// One configuration's report for people: the connection, the certificate cards, the findings.
pub fn configuration_text(dsn: Option<&str>, report: &Report, colour: bool) -> String {
    let mut text = String::new();
    if let (Some(dsn), Some(connection)) = (dsn, report.connection.as_ref()) {
        text.push_str(&connection_header(dsn, connection));
    }
    text.push_str(&certificates_text(report));
    text.push_str(&diagnostics_text(
        dsn,
        report.connection.as_ref().map(|c| c.dialect),
        &report.diagnostics,
        colour,
    ));
    text
}

/// The connection part of a `check` report, for people.
pub fn connection_header(_input: &str, connection: &ConnectionSummary) -> String {
    header(
        connection.dialect,
        connection.detected,
        connection.verdict.as_ref(),
        connection.libpq_equivalent.as_deref(),
    )
}

/// Dialect, TLS verdict and the libpq equivalent of a connection string.
fn header(
    dialect: Dialect,
    detected: bool,
    verdict: Option<&Verdict>,
    equivalent: Option<&str>,
) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "dialect: {}{}\n",
        dialect.name(),
        if detected { " (detected)" } else { "" }
    ));
    if let Some(scope) = dialect.scope() {
        out.push_str(&format!("  ({scope})\n"));
    }
    if let Some(verdict) = verdict.filter(|v| v.local) {
        out.push_str(&format!(
            "local socket: TLS settings do not apply\n  {}\n",
            verdict.summary
        ));
    } else if let Some(verdict) = verdict {
        let mark = |t: Tri| match t {
            Tri::Yes => "yes",
            Tri::No => "no",
            Tri::Maybe => "only if the server offers it",
        };
        out.push_str(&format!(
            "encrypted: {}; server verified: {}; host name verified: {}; plaintext fallback: {}\n  {}\n",
            mark(verdict.encrypted),
            mark(verdict.server_verified),
            mark(verdict.hostname_verified),
            if verdict.plaintext_fallback { "possible" } else { "no" },
            verdict.summary
        ));
    }
    if let Some(equivalent) = equivalent {
        if dialect != Dialect::Libpq {
            out.push_str(&format!("libpq equivalent: {equivalent}\n"));
        }
    }
    out.push('\n');
    out
}

/// One line per certificate: role, name, validity and days left.
pub fn certificates_text(review: &Report) -> String {
    let mut out = String::new();
    for input in &review.inputs {
        out.push_str(&format!("{}: {}\n", input.field.describe(), input.summary));
    }
    for cert in &review.certificates {
        out.push_str(&format!(
            "  {:<22} {}  (issuer {}; {} .. {}; {} days left; {} {})\n",
            cert.role,
            cert.subject,
            cert.issuer,
            cert.not_before,
            cert.not_after,
            cert.days_left,
            cert.key_algorithm,
            cert.key_bits.map_or_else(String::new, |b| b.to_string())
        ));
        if let Some(known) = &cert.known_ca {
            out.push_str(&format!("  {:<22} recognised: {known}\n", ""));
        }
    }
    match review.key_match {
        Some(true) => out.push_str("client key matches the client certificate\n"),
        Some(false) => out.push_str("client key does NOT match the client certificate\n"),
        None => {}
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The findings, most important first, with the connection-string span underlined.
pub fn diagnostics_text(
    input: Option<&str>,
    dialect: Option<Dialect>,
    diagnostics: &[Diagnostic],
    colour: bool,
) -> String {
    let style = Style { colour };
    let shown = input
        .and_then(|i| Shown::under_findings(i, dialect.unwrap_or(Dialect::Libpq), diagnostics));
    let mut out = String::new();
    for diagnostic in diagnostics.iter().filter(|d| !is_hardening(d.code)) {
        let snippet_source = shown.as_ref().filter(|_| diagnostic.source.is_none());
        out.push_str(&diagnostic_text(snippet_source, diagnostic, &style));
        out.push('\n');
    }
    out.push_str(&hardening_text(diagnostics, &style));
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    out.push_str(&format!(
        "{} error(s), {} warning(s), {} note(s)\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    out
}

/// The generic hardening advice as one entry: each suggestion on a line with its fix (`--json`
/// keeps them as separate diagnostics).
fn hardening_text(diagnostics: &[Diagnostic], style: &Style) -> String {
    let parts: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| is_hardening(d.code))
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "{}[hardening]: {} suggestions\n",
        style.severity(Severity::Info),
        parts.len()
    );
    for d in parts {
        out.push_str(&format!("  - {} ({})\n", d.title, d.code));
        if let Some(fix) = &d.fix {
            out.push_str(&format!("    fix: {}\n", fix.title));
            if let Some(replacement) = &fix.replacement {
                out.push_str(&format!("         {}\n", style.paint("32", replacement)));
            }
            if let Some(code) = &fix.code {
                out.push_str(&code_lines(&code.text));
            }
        }
    }
    out.push('\n');
    out
}

fn diagnostic_text(shown: Option<&Shown>, diagnostic: &Diagnostic, style: &Style) -> String {
    let mut out = format!(
        "{}[{}]: {}\n",
        style.severity(diagnostic.severity),
        style.paint("1", diagnostic.code),
        style.paint("1", diagnostic.title)
    );
    if let (Some(span), Some(shown)) = (diagnostic.span, shown) {
        out.push_str(&snippet(shown.text.as_str(), shown.span(span), style));
    }
    if let Some(source) = diagnostic.source {
        out.push_str(&format!("  --> {}\n", source.source()));
    }
    out.push_str(&format!("  = {}\n", diagnostic.detail));
    if let Some(fix) = &diagnostic.fix {
        out.push_str(&format!("  = fix: {}\n", fix.title));
        if let Some(replacement) = &fix.replacement {
            out.push_str(&format!("         {}\n", style.paint("32", replacement)));
        }
        if let Some(code) = &fix.code {
            out.push_str(&code_lines(&code.text));
        }
    }
    out.push_str(&format!("  = see {}\n", diagnostic.doc));
    out
}

/// The line holding `span.start`, with `^` under the span (clipped to that line).
fn snippet(shown: &str, span: Span, style: &Style) -> String {
    let start = span.start.min(shown.len());
    let line_start = shown
        .get(..start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = shown
        .get(start..)
        .and_then(|s| s.find('\n'))
        .map_or(shown.len(), |i| start + i);
    let line = shown.get(line_start..line_end).unwrap_or_default();
    let line_number = shown
        .get(..line_start)
        .map_or(0, |s| s.matches('\n').count())
        + 1;
    let column = shown
        .get(line_start..start)
        .map_or(0, |s| s.chars().count());
    let end = span.end.clamp(start, line_end);
    let width = shown
        .get(start..end)
        .map_or(1, |s| s.chars().count())
        .max(1);
    let printable: String = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!(
        "  --> {line_number}:{}\n   | {printable}\n   | {}{}\n",
        column + 1,
        " ".repeat(column),
        style.paint("1;31", &"^".repeat(width))
    )
}

/// A fix's code under its title: every line indented as the first (a code fix may build a
/// context on one line and use it on the next).
fn code_lines(text: &str) -> String {
    text.lines()
        .map(|line| format!("         {line}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_shown_with_a_fixed_width_and_spans_follow() {
        let input = "postgresql://u:hunter2@db/app?sslmode=require";
        let shown = Shown::in_dialect(input, Dialect::Libpq);
        assert_eq!(
            shown.text.as_str(),
            "postgresql://u:********@db/app?sslmode=require"
        );
        let sslmode = input.find("require").unwrap_or_default();
        let mapped = shown.span(Span::new(sslmode, sslmode + 7));
        assert_eq!(
            shown.text.as_str().get(mapped.start..mapped.end),
            Some("require")
        );
        let password = input.find("hunter2").unwrap_or_default();
        let mapped = shown.span(Span::new(password, password + 7));
        assert_eq!(
            shown.text.as_str().get(mapped.start..mapped.end),
            Some("********")
        );
    }
}
