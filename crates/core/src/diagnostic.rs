//! The diagnostics model shared by every check: stable codes, severities, spans and fixes.
//!
//! A [`Diagnostic`] is always built from a registry [`Rule`], so its code, severity and title
//! can never drift from the documentation generated out of the registry.

use crate::registry::Rule;
use serde::Serialize;

/// How bad a finding is.
///
/// `Error`: the connection will fail or is unsafe. `Warning`: it works but is weak or risky.
/// `Info`: advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A half-open byte range `[start, end)` into the input the diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

/// What to do about a finding: an imperative title, and when one exists a concrete replacement
/// (for connection strings: the whole corrected string, with any password redacted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub replacement: Option<String>,
    /// A connection-string replacement never shows secrets, so whoever applies it to the
    /// user's own string puts the string's secrets back, except this one: the secret the fix
    /// is about removing. Not serialised: the title says it in words.
    #[serde(skip)]
    pub removes_secret: Option<&'static str>,
}

impl Fix {
    pub fn advice(title: impl Into<String>) -> Fix {
        Fix {
            title: title.into(),
            replacement: None,
            removes_secret: None,
        }
    }

    pub fn replace(title: impl Into<String>, replacement: impl Into<String>) -> Fix {
        Fix {
            title: title.into(),
            replacement: Some(replacement.into()),
            removes_secret: None,
        }
    }
}

/// One finding. `title` never carries instance data; `detail` does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub detail: String,
    pub span: Option<Span>,
    pub fix: Option<Fix>,
    pub doc: String,
    /// Which input the finding is about, and `span` points into, when there are several
    /// (`"ca"`, `"cert"`, `"key"`, `"serverCert"`, `"clientCa"`); absent for the connection
    /// string and for findings about the configuration as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'static str>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            severity: rule.severity,
            title: rule.title,
            detail: detail.into(),
            span: None,
            fix: None,
            doc: rule.doc_anchor(),
            source: None,
        }
    }

    pub fn with_span(mut self, span: Option<Span>) -> Diagnostic {
        self.span = span;
        self
    }

    pub fn at(self, span: Span) -> Diagnostic {
        self.with_span(Some(span))
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    /// Some rules are raised at a different severity depending on context (for example a
    /// missing `sslrootcert` is an error under `verify-full` but advice otherwise).
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn in_source(mut self, source: &'static str) -> Diagnostic {
        self.source = Some(source);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Orders findings most important first: by severity, then by position, then by code.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    crate::sort::sort_by(diagnostics, |a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| {
                let pa = a.span.map_or(usize::MAX, |s| s.start);
                let pb = b.span.map_or(usize::MAX, |s| s.start);
                pa.cmp(&pb)
            })
            .then_with(|| a.code.cmp(b.code))
    });
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
