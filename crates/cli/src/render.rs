//! Text output for people: rustc-style findings with the span underlined in the (masked)
//! input, colour only on a terminal.

use pg_preflight_core::conninfo::dialect::{Dialect, Tri};
use pg_preflight_core::conninfo::{redact, syntax, Analysis};
use pg_preflight_core::diagnostic::{Diagnostic, Severity, Span};

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

/// The input as it may be shown: every secret replaced by `*` of the same length.
pub fn masked(input: &str, dialect: Dialect) -> String {
    let conninfo = if dialect == Dialect::Libpq {
        syntax::parse(input).ok()
    } else {
        None
    };
    redact::mask_input(input, conninfo.as_ref())
}

pub fn analysis_text(input: &str, analysis: &Analysis, colour: bool) -> String {
    let style = Style { colour };
    let shown = masked(input, analysis.dialect);
    let mut out = String::new();
    out.push_str(&format!(
        "dialect: {}{}\n",
        analysis.dialect.name(),
        if analysis.detected { " (detected)" } else { "" }
    ));
    if let Some(verdict) = &analysis.verdict {
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
    if let Some(equivalent) = &analysis.libpq_equivalent {
        if analysis.dialect != Dialect::Libpq {
            out.push_str(&format!("libpq equivalent: {equivalent}\n"));
        }
    }
    out.push('\n');
    for diagnostic in &analysis.diagnostics {
        out.push_str(&diagnostic_text(&shown, diagnostic, &style));
        out.push('\n');
    }
    let count = |s: Severity| {
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    out.push_str(&format!(
        "{} error(s), {} warning(s), {} note(s)\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    out
}

fn diagnostic_text(shown: &str, diagnostic: &Diagnostic, style: &Style) -> String {
    let mut out = format!(
        "{}[{}]: {}\n",
        style.severity(diagnostic.severity),
        style.paint("1", diagnostic.code),
        style.paint("1", diagnostic.title)
    );
    if let Some(span) = diagnostic.span {
        out.push_str(&snippet(shown, span, style));
    }
    out.push_str(&format!("  = {}\n", diagnostic.detail));
    if let Some(fix) = &diagnostic.fix {
        out.push_str(&format!("  = fix: {}\n", fix.title));
        if let Some(replacement) = &fix.replacement {
            out.push_str(&format!("         {}\n", style.paint("32", replacement)));
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
