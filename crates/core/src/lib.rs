//! pg-preflight's pure core.
//!
//! **Architecture Invariant:** nothing here does I/O, reads the clock or an RNG, or panics on
//! any input. Time and randomness are parameters; user mistakes are diagnostics, not `Err`s.

/// Declares a registry rule next to the check that raises it, the one way rules are declared:
/// `rule!(RULE_NAME, "PGP-AREA-NNN", Warning, "Title", "Explanation…", ["https://…"]);`
/// Without a severity the rule is an error (libpq's own rejections). The rule records the file
/// and line it is declared at, which `docs/rules.md` shows.
macro_rules! rule {
    ($name:ident, $code:literal, $severity:ident, $title:literal, $explanation:expr, [$($reference:literal),* $(,)?]) => {
        pub static $name: $crate::registry::Rule = $crate::registry::Rule {
            code: $code,
            severity: $crate::diagnostic::Severity::$severity,
            title: $title,
            explanation: $explanation,
            references: &[$($reference),*],
            file: file!(),
            line: line!(),
        };
    };
    ($name:ident, $code:literal, $title:literal, $explanation:expr, [$($reference:literal),* $(,)?]) => {
        rule!($name, $code, Error, $title, $explanation, [$($reference),*]);
    };
}

pub mod check;
pub mod conninfo;
pub mod diagnostic;
pub mod grants;
pub mod input;
pub mod json;
pub mod pki;
pub mod registry;
pub mod snippets;
pub mod sort;
pub mod summary;

pub use diagnostic::{Diagnostic, Fix, Severity, Span};
