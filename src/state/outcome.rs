//! The headline over the findings and the findings' grouping and wording: what the verdict
//! and the findings list say, from the diagnostics alone.

use super::State;
use pg_preflight_core::Analysis;
use pg_preflight_core::{Diagnostic, Severity};

/// The headline over the findings: the worst thing that is true, in words a person can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The driver will not even parse the string.
    Rejected,
    /// At least one error: the connection fails, or connects unsafely.
    Errors(usize),
    /// Works, but weak or risky.
    Warnings(usize),
    /// Nothing worse than advice.
    Clean,
    /// No error in what is checked, but the certificates and key are not (yet) checked: while
    /// the second module reviews them (`waiting`), or because it could not. Never "no problems"
    /// for what nobody looked at.
    Unchecked { waiting: bool },
}

impl Outcome {
    pub fn of(analysis: &Analysis) -> Outcome {
        let errors = count(&analysis.diagnostics, Severity::Error);
        let warnings = count(&analysis.diagnostics, Severity::Warning);
        if !analysis.valid {
            Outcome::Rejected
        } else if errors > 0 {
            Outcome::Errors(errors)
        } else if warnings > 0 {
            Outcome::Warnings(warnings)
        } else {
            Outcome::Clean
        }
    }

    /// The headline for everything given: the connection string's outcome, made worse by
    /// certificate findings.
    pub fn of_state(state: &State) -> Option<Outcome> {
        let diagnostics = state.diagnostics();
        if let Some(analysis) = &state.analysis {
            if !analysis.valid {
                return Some(Outcome::Rejected);
            }
        }
        if state.analysis.is_none() && state.report.is_none() {
            return None;
        }
        let errors = count(diagnostics, Severity::Error);
        let warnings = count(diagnostics, Severity::Warning);
        let waiting = state.material_wanted.is_some();
        Some(if errors > 0 {
            Outcome::Errors(errors)
        } else if waiting || state.material_error.is_some() {
            Outcome::Unchecked { waiting }
        } else if warnings > 0 {
            Outcome::Warnings(warnings)
        } else {
            Outcome::Clean
        })
    }

    /// A stable token for CSS classes and tests.
    pub fn token(self) -> &'static str {
        match self {
            Outcome::Rejected => "rejected",
            Outcome::Errors(_) => "error",
            Outcome::Warnings(_) => "warning",
            Outcome::Clean => "ok",
            Outcome::Unchecked { waiting: true } => "checking",
            Outcome::Unchecked { waiting: false } => "unchecked",
        }
    }

    /// A symbol beside the headline, so colour is never the only signal.
    pub fn icon(self) -> &'static str {
        match self {
            Outcome::Rejected | Outcome::Errors(_) => "✖",
            Outcome::Warnings(_) => "▲",
            Outcome::Clean => "✔",
            Outcome::Unchecked { .. } => "…",
        }
    }

    /// The headline without its counts, for a line that counts the findings after it.
    pub fn short(self) -> &'static str {
        match self {
            Outcome::Rejected => "Rejected by the driver",
            Outcome::Errors(_) => "Fix before use",
            Outcome::Warnings(_) => "Works, with caveats",
            Outcome::Clean => "No problems found",
            Outcome::Unchecked { waiting: true } => "Checking the certificates and key…",
            Outcome::Unchecked { waiting: false } => "Certificates and key not checked",
        }
    }

    pub fn headline(self) -> String {
        match self {
            Outcome::Rejected => "The driver rejects this connection string".to_string(),
            // Not "will fail": an error may be a string that connects but trusts any server,
            // and an outside review read "Will fail or is unsafe" on one as "won't connect".
            // The banner's lead finding and TLS facts say which.
            Outcome::Errors(n) => format!("Fix before use: {}", plural(n, "error")),
            Outcome::Warnings(n) => format!("Works, but {} to look at", plural(n, "warning")),
            Outcome::Clean => "No problems found".to_string(),
            Outcome::Unchecked { waiting: true } => {
                "Checking the certificates and key…".to_string()
            }
            Outcome::Unchecked { waiting: false } => {
                "The certificates and key could not be checked".to_string()
            }
        }
    }
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Severities in the order the page lists them, most urgent first.
pub const SEVERITY_ORDER: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// The findings of one severity, in the core's order; empty groups are left out.
pub fn group_by_severity(diagnostics: &[Diagnostic]) -> Vec<(Severity, Vec<&Diagnostic>)> {
    SEVERITY_ORDER
        .iter()
        .map(|&severity| {
            let group: Vec<&Diagnostic> = diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .collect();
            (severity, group)
        })
        .filter(|(_, group)| !group.is_empty())
        .collect()
}

/// "1 error, 2 warnings, 3 advice": the findings in one line, most severe first.
pub fn findings_in_brief(diagnostics: &[Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return "No findings".to_string();
    }
    group_by_severity(diagnostics)
        .iter()
        .map(|(severity, group)| {
            let n = group.len();
            match (severity, n) {
                (Severity::Error, 1) => "1 error".to_string(),
                (Severity::Error, _) => format!("{n} errors"),
                (Severity::Warning, 1) => "1 warning".to_string(),
                (Severity::Warning, _) => format!("{n} warnings"),
                (Severity::Info, _) => format!("{n} advice"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The verdict and the findings in one line, for under the connection string: the verdict's
/// words first, so that a phone shows near the top what the banner says far below.
pub fn verdict_in_brief(outcome: Outcome, diagnostics: &[Diagnostic]) -> String {
    match outcome {
        Outcome::Clean if diagnostics.is_empty() => outcome.headline(),
        Outcome::Unchecked { waiting: true } => outcome.headline(),
        _ => format!("{}: {}", outcome.short(), findings_in_brief(diagnostics)),
    }
}

/// A heading for a group of findings.
pub fn severity_heading(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Errors",
        Severity::Warning => "Warnings",
        Severity::Info => "Advice",
    }
}

/// Splits a diagnostic detail on backticks so values can be shown as code:
/// `(text, is_code)` pieces in order. An unpaired backtick is kept as text.
pub fn code_spans(text: &str) -> Vec<(&str, bool)> {
    let pieces: Vec<&str> = text.split('`').collect();
    let paired = pieces.len() % 2 == 1;
    let last = pieces.len().saturating_sub(1);
    let mut out = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.into_iter().enumerate() {
        let unpaired_tail = !paired && i == last;
        if unpaired_tail {
            out.push(("`", false));
        }
        let is_code = i % 2 == 1 && !unpaired_tail;
        if !piece.is_empty() {
            out.push((piece, is_code));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, clippy::unwrap_used)]
    use super::*;
    use crate::state::{Action, MaterialField, State};
    use pg_preflight_core::Field;
    use pg_preflight_core::UnixTime;

    #[test]
    fn outcome_reflects_the_worst_finding() {
        let rejected = State::new("hots=x", None);
        assert_eq!(
            Outcome::of(rejected.analysis.as_ref().unwrap()),
            Outcome::Rejected
        );
        let bad_mode = State::new("host=db.example.com sslmode=bogus", None);
        assert!(matches!(
            Outcome::of(bad_mode.analysis.as_ref().unwrap()),
            Outcome::Errors(_)
        ));
    }

    #[test]
    fn groups_follow_severity_order_and_skip_empty_ones() {
        let state = State::new("host=db.example.com sslmode=bogus", None);
        let analysis = state.analysis.unwrap();
        let groups = group_by_severity(&analysis.diagnostics);
        let order: Vec<Severity> = groups.iter().map(|(s, _)| *s).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert!(groups
            .iter()
            .all(|(s, g)| g.iter().all(|d| d.severity == *s)));
        assert_eq!(
            groups.iter().map(|(_, g)| g.len()).sum::<usize>(),
            analysis.diagnostics.len()
        );
    }

    #[test]
    fn code_spans_split_on_paired_backticks() {
        assert_eq!(
            code_spans("use `verify-full` now"),
            vec![("use ", false), ("verify-full", true), (" now", false)]
        );
        assert_eq!(
            code_spans("odd ` tick"),
            vec![("odd ", false), ("`", false), (" tick", false)]
        );
        assert_eq!(code_spans("`a``b`"), vec![("a", true), ("b", true)]);
    }

    #[test]
    fn findings_in_brief_counts_by_severity() {
        let state = State::new(
            "postgresql://admin:hunter2@db.example.com/prod?sslmode=require",
            None,
        );
        let brief = findings_in_brief(state.diagnostics());
        assert!(
            brief.starts_with("1 error, ") || brief.contains(" warning"),
            "{brief}"
        );
        let errors = state.diagnostics().iter().filter(|d| d.is_error()).count();
        let warnings = state
            .diagnostics()
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        let advice = state.diagnostics().len() - errors - warnings;
        let mut expected = Vec::new();
        match errors {
            0 => {}
            1 => expected.push("1 error".to_string()),
            n => expected.push(format!("{n} errors")),
        }
        match warnings {
            0 => {}
            1 => expected.push("1 warning".to_string()),
            n => expected.push(format!("{n} warnings")),
        }
        if advice > 0 {
            expected.push(format!("{advice} advice"));
        }
        assert_eq!(brief, expected.join(", "));
        assert_eq!(findings_in_brief(&[]), "No findings");
    }

    #[test]
    fn certificates_not_yet_checked_are_never_no_problems() {
        let string_only = State::new("host=db.example.com sslmode=verify-full", None);
        assert!(matches!(
            Outcome::of_state(&string_only),
            Some(Outcome::Clean | Outcome::Warnings(_))
        ));
        let root = include_str!("../../crates/core/tests/fixtures/pki/root.crt");
        let waiting = string_only.apply(Action::PasteMaterial {
            field: MaterialField::File(Field::RootCert),
            text: root.into(),
            now: UnixTime::from_seconds(1_780_272_000),
        });
        assert_eq!(
            Outcome::of_state(&waiting),
            Some(Outcome::Unchecked { waiting: true })
        );
        let id = waiting.material_wanted.as_ref().map_or(0, |w| w.id);
        let failed = waiting.apply(Action::MaterialReviewed {
            id,
            result: Err("could not load".into()),
        });
        assert_eq!(
            Outcome::of_state(&failed),
            Some(Outcome::Unchecked { waiting: false })
        );
        // An error in the string is true whatever the certificates say.
        let broken = failed.apply(Action::Paste {
            text: "host=db.example.com sslmode=bogus".into(),
            now: UnixTime::from_seconds(1_780_272_000),
        });
        assert!(matches!(
            Outcome::of_state(&broken),
            Some(Outcome::Errors(_))
        ));
    }

    #[test]
    fn the_verdict_in_brief_names_the_verdict_then_the_counts() {
        let state = State::new(
            "postgresql://admin:hunter2@db.example.com/prod?sslmode=disable",
            None,
        );
        let outcome = Outcome::of_state(&state).unwrap();
        let brief = verdict_in_brief(outcome, state.diagnostics());
        assert_eq!(
            brief,
            format!("Fix before use: {}", findings_in_brief(state.diagnostics()))
        );
        assert_eq!(verdict_in_brief(Outcome::Clean, &[]), "No problems found");
    }

    #[test]
    fn headlines_count_honestly() {
        assert_eq!(Outcome::Errors(1).headline(), "Fix before use: 1 error");
        assert_eq!(
            Outcome::Warnings(2).headline(),
            "Works, but 2 warnings to look at"
        );
    }
}
