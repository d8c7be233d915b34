//! The diagnostics model shared by every check: stable codes, severities, spans and fixes.
//!
//! A [`Diagnostic`] is always built from a registry [`Rule`], so its code, severity and title
//! can never drift from the documentation generated out of the registry.

use crate::input::Field;
use crate::registry::Rule;
use serde::{Deserialize, Deserializer, Serialize};
use std::cell::Cell;

/// How bad a finding is.
///
/// `Error`: the connection will fail or is unsafe. `Warning`: it works but is weak or risky.
/// `Info`: advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// One change a fix makes to a connection string, in libpq's vocabulary (the keywords of
/// `PQconninfoOptions`). The checks say *what* must change; each driver dialect renders the
/// change in its own syntax (`conninfo::dialect::render`), so one finding gives a JDBC user a
/// JDBC URL and a Prisma user a Prisma URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Set(&'static str, String),
    Remove(&'static str),
}

impl Change {
    pub fn set(keyword: &'static str, value: impl Into<String>) -> Change {
        Change::Set(keyword, value.into())
    }

    pub fn keyword(&self) -> &'static str {
        match self {
            Change::Set(keyword, _) | Change::Remove(keyword) => keyword,
        }
    }

    /// The change as a title writes it: `` `sslmode=verify-full` ``, `` no `sslnegotiation` ``.
    pub fn written(&self) -> String {
        match self {
            Change::Set(keyword, value) => format!("`{keyword}={value}`"),
            Change::Remove(keyword) => format!("no `{keyword}`"),
        }
    }
}

/// Code to write where a driver cannot express a change in its connection string (trusting
/// the system's root certificates in node-postgres, an `ssl.SSLContext` for SQLAlchemy's
/// asyncpg dialect).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeFix {
    /// One of [`CODE_FIX_LANGUAGES`].
    pub language: &'static str,
    pub text: String,
}

/// What to do about a finding: an imperative title, and when one exists a concrete replacement
/// (for connection strings: the whole corrected string, in the user's dialect, with any
/// password left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub replacement: Option<String>,
    /// Where the driver needs code rather than a string for part of the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeFix>,
    /// A connection-string replacement never shows secrets, so whoever applies it to the
    /// user's own string puts the string's secrets back, except this one: the secret the fix
    /// is about removing. Not serialised: the title says it in words.
    #[serde(skip)]
    pub removes_secret: Option<&'static str>,
    /// The edit behind `replacement`, in libpq's vocabulary; empty for fixes written directly
    /// in a dialect's syntax. Not serialised: `replacement` is its rendering.
    #[serde(skip)]
    pub changes: Vec<Change>,
    /// Why a replacement was withdrawn: checked again in the same dialect it did not come back
    /// clean (`conninfo::recheck`). The fix then stays as advice. Kept for tests, which
    /// require it to be `None` across the corpora.
    #[serde(skip)]
    pub withdrawn: Option<String>,
    /// The fix undoes a broken paste (`conninfo::paste`): applying it means recovering the
    /// user's own text, secrets and all, the same way. Not serialised.
    #[serde(skip)]
    pub recovers_paste: bool,
}

impl Fix {
    pub fn advice(title: impl Into<String>) -> Fix {
        Fix {
            title: title.into(),
            replacement: None,
            code: None,
            removes_secret: None,
            changes: Vec::new(),
            withdrawn: None,
            recovers_paste: false,
        }
    }

    pub fn replace(title: impl Into<String>, replacement: impl Into<String>) -> Fix {
        Fix {
            replacement: Some(replacement.into()),
            ..Fix::advice(title)
        }
    }

    /// A replacement written only when one is wanted: not while a fix is re-checked
    /// ([`findings_only`]). For the fixes a string holds once per parameter (removing an ignored
    /// one), each written by rendering the whole string: every fix's re-check rendered every
    /// other's again, and a string of 200 ignored parameters took seconds.
    pub fn replace_with(title: impl Into<String>, replacement: impl FnOnce() -> String) -> Fix {
        if REPLACEMENTS_WANTED.with(Cell::get) {
            Fix::replace(title, replacement())
        } else {
            Fix::advice(title)
        }
    }

    /// A replacement produced by `changes`.
    pub fn edit(
        title: impl Into<String>,
        replacement: impl Into<String>,
        changes: Vec<Change>,
    ) -> Fix {
        Fix {
            changes,
            ..Fix::replace(title, replacement)
        }
    }
}

thread_local! {
    /// Whether [`Fix::replace_with`] writes its replacement: off inside [`findings_only`].
    static REPLACEMENTS_WANTED: Cell<bool> = const { Cell::new(true) };
}

/// Runs `analysis` with the replacements of [`Fix::replace_with`] left unwritten: a fix's
/// re-check looks at the findings of its replacement, never at their fixes.
pub(crate) fn findings_only<T>(analysis: impl FnOnce() -> T) -> T {
    /// Restores the flag however `analysis` ends.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            REPLACEMENTS_WANTED.with(|wanted| wanted.set(self.0));
        }
    }
    let _restore = Restore(REPLACEMENTS_WANTED.with(|wanted| wanted.replace(false)));
    analysis()
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
    /// (serialised as the field's wire name: `"ca"`, `"cert"`, `"key"`, `"serverCert"`,
    /// `"clientCa"`); absent for the connection string and for findings about the
    /// configuration as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Field>,
    /// The other input of a finding between two inputs (a client key that does not match its
    /// certificate: `source` the key, `counterpart` the certificate), so a front end marks
    /// both sides of the mismatch and not only one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterpart: Option<Field>,
    /// For a role-spec finding: the spec key it is about (`ownerRole`, `clientCidrs`, …; one
    /// of `grants::SPEC_KEYS`), so a form can mark its field without reading the detail.
    #[serde(rename = "specKey", skip_serializing_if = "Option::is_none")]
    pub spec_key: Option<&'static str>,
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
            counterpart: None,
            spec_key: None,
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

    pub fn in_source(mut self, source: Field) -> Diagnostic {
        self.source = Some(source);
        self
    }

    /// A finding between `source` and a second input.
    pub fn between(self, source: Field, counterpart: Field) -> Diagnostic {
        Diagnostic {
            counterpart: Some(counterpart),
            ..self.in_source(source)
        }
    }

    /// The finding is about `field`: its source, or the other side of a mismatch.
    pub fn concerns(&self, field: Field) -> bool {
        self.source == Some(field) || self.counterpart == Some(field)
    }

    /// The role-spec key this finding is about.
    pub fn about_spec_key(mut self, key: &'static str) -> Diagnostic {
        // A key outside SPEC_KEYS would not read back in the page (`Deserialize` below).
        debug_assert!(
            crate::grants::SPEC_KEYS.contains(&key),
            "not a spec key: {key}"
        );
        self.spec_key = Some(key);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The fix of the first finding with `code`, if it has one.
pub fn fix_of<'a>(diagnostics: &'a [Diagnostic], code: &str) -> Option<&'a Fix> {
    diagnostics
        .iter()
        .find(|d| d.code == code)
        .and_then(|d| d.fix.as_ref())
}

/// Generic hardening advice — a connect timeout, a statement timeout, an application name —
/// which the page and the text output show as one "hardening" entry (JSON keeps them apart).
pub const HARDENING_CODES: &[&str] = &["PGP-PARAM-101", "PGP-PARAM-102", "PGP-PARAM-103"];

pub fn is_hardening(code: &str) -> bool {
    HARDENING_CODES.contains(&code)
}

/// Findings about what lets an attacker in: TLS off or optional, an unverified server, a
/// password an impostor can obtain, channel binding that cannot work.
const ATTACK_CODES: &[&str] = &[
    "PGP-SSL-101",
    "PGP-SSL-102",
    "PGP-SSL-103",
    "PGP-SSL-104",
    "PGP-AUTH-104",
    "PGP-DRIVER-012",
    "PGP-DRIVER-016",
    "PGP-DRIVER-020",
    "PGP-DRIVER-023",
];

/// 0 for what makes the connection fail (the client's own rejections, numbered below 100 in
/// each area, broken pastes, placeholders) or lets an attacker in, 1 for everything else.
fn impact(diagnostic: &Diagnostic) -> u8 {
    let number: u32 = diagnostic
        .code
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(999);
    let fails = number < 100
        || diagnostic.code.starts_with("PGP-PASTE-")
        || diagnostic.code == "PGP-PARAM-106";
    if fails || ATTACK_CODES.contains(&diagnostic.code) {
        0
    } else {
        1
    }
}

/// Orders findings most important first: by severity; within it what makes the connection
/// fail or lets an attacker in before the rest; then by position, then by code.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    crate::sort::sort_by(diagnostics, |a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| impact(a).cmp(&impact(b)))
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

// ---- Reading diagnostics back ----
//
// The page checks certificates in a second WebAssembly module, loaded when first needed
// (ARCHITECTURE.md, "Modules"), which hands its findings to the first as the JSON-shaped
// values `check` returns. The static parts of a finding (code, title, the input it is about)
// are looked up again rather than trusted, so a finding read back names a rule that exists
// and its title can never differ from the registry's.

/// The languages a [`CodeFix`] is written in: every `language:` the dialects set
/// (`tests/read_back.rs` reads the sources and holds the two equal).
pub const CODE_FIX_LANGUAGES: [&str; 6] = ["javascript", "python", "java", "go", "dotenv", "shell"];

/// `text` as the `'static` entry of `known` it equals, or an error naming what was expected.
fn known_static<E: serde::de::Error>(
    known: &[&'static str],
    text: &str,
    what: &str,
) -> Result<&'static str, E> {
    known
        .iter()
        .copied()
        .find(|k| *k == text)
        .ok_or_else(|| E::custom(format!("unknown {what} `{text}`")))
}

impl<'de> Deserialize<'de> for CodeFix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CodeFix, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            language: String,
            text: String,
        }
        let wire = Wire::deserialize(deserializer)?;
        Ok(CodeFix {
            language: known_static(&CODE_FIX_LANGUAGES, &wire.language, "code language")?,
            text: wire.text,
        })
    }
}

impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Diagnostic, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            code: String,
            severity: Severity,
            detail: String,
            span: Option<Span>,
            fix: Option<Fix>,
            doc: String,
            #[serde(default)]
            source: Option<Field>,
            #[serde(default)]
            counterpart: Option<Field>,
            #[serde(default, rename = "specKey")]
            spec_key: Option<String>,
        }
        let wire = Wire::deserialize(deserializer)?;
        let rule = crate::registry::find(&wire.code).ok_or_else(|| {
            serde::de::Error::custom(format!("unknown rule code `{}`", wire.code))
        })?;
        let spec_key = match wire.spec_key.as_deref() {
            Some(text) => Some(known_static(
                &crate::grants::SPEC_KEYS,
                text,
                "role-spec key",
            )?),
            None => None,
        };
        Ok(Diagnostic {
            code: rule.code,
            severity: wire.severity,
            title: rule.title,
            detail: wire.detail,
            span: wire.span,
            fix: wire.fix,
            doc: wire.doc,
            source: wire.source,
            counterpart: wire.counterpart,
            spec_key,
        })
    }
}

#[cfg(test)]
mod replacement_tests {
    use super::{findings_only, Fix};

    /// Inside `findings_only` a lazily written replacement is not written (its writer is never
    /// called), and the flag is back afterwards, also when the analysis inside unwinds.
    #[test]
    fn findings_only_leaves_lazy_replacements_unwritten() {
        let write = || Fix::replace_with("Remove k", || "postgresql://h/db".to_string());
        assert_eq!(write().replacement.as_deref(), Some("postgresql://h/db"));
        let inside = findings_only(|| {
            Fix::replace_with("Remove k", || unreachable!("written inside findings_only"))
        });
        assert_eq!(inside.replacement, None);
        assert_eq!(inside.title, "Remove k");
        assert_eq!(write().replacement.as_deref(), Some("postgresql://h/db"));
        let unwound = std::panic::catch_unwind(|| findings_only(|| panic!("analysis failed")));
        assert!(unwound.is_err());
        assert_eq!(write().replacement.as_deref(), Some("postgresql://h/db"));
    }
}
