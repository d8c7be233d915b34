//! The page's model: what the user typed, which driver they picked, and the latest analysis.
//!
//! **Architecture Invariant:** this module imports no yew and no web API, so every transition is
//! a plain function tested natively (`cargo test`). `app.rs` adapts it to `use_reducer`.
//!
//! Debouncing is modelled, not timed: every edit bumps `revision`, the component schedules
//! `Action::Analyze { revision }` after [`DEBOUNCE_MS`], and an `Analyze` for an older revision
//! is ignored. The clock stays in the component; the decision stays here.

use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze, Analysis, CheckOptions};
use pg_preflight_core::{Diagnostic, Severity};
use std::rc::Rc;

/// How long typing must pause before the string is analysed. Short enough to feel live, long
/// enough not to re-parse on every keystroke of a long paste-and-edit.
pub const DEBOUNCE_MS: u32 = 200;

/// The page state. Cheap to clone: the analysis is shared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    /// The connection string exactly as typed. Lives only in memory: never stored or logged.
    pub input: String,
    /// The driver the user chose; `None` means auto-detect.
    pub driver: Option<Dialect>,
    /// Bumped by every edit of `input`.
    pub revision: u64,
    /// The analysis of `input` as of `analyzed_revision`; `None` when the input is blank.
    pub analysis: Option<Rc<Analysis>>,
    analyzed_revision: u64,
}

/// Everything that can happen to the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The user edited the connection string.
    Edit(String),
    /// The user picked a driver (`None`: auto-detect). Re-analyses at once.
    ChooseDriver(Option<Dialect>),
    /// The debounce timer for `revision` fired.
    Analyze { revision: u64 },
    /// Forget the input and the findings.
    Clear,
}

impl State {
    /// A state for `input`, analysed at once (used for the embed's initial `dsn`).
    pub fn new(input: impl Into<String>, driver: Option<Dialect>) -> State {
        let mut state = State {
            input: input.into(),
            driver,
            ..State::default()
        };
        state.run_analysis();
        state
    }

    /// True while the shown analysis is for an older version of the input.
    pub fn is_pending(&self) -> bool {
        self.analyzed_revision != self.revision
    }

    /// The transition function.
    pub fn apply(&self, action: Action) -> State {
        let mut next = self.clone();
        match action {
            Action::Edit(input) => {
                if input != next.input {
                    next.input = input;
                    next.revision += 1;
                }
            }
            Action::ChooseDriver(driver) => {
                next.driver = driver;
                next.run_analysis();
            }
            Action::Analyze { revision } => {
                // A timer from before a later edit: the later edit's timer will come.
                if revision == next.revision && next.is_pending() {
                    next.run_analysis();
                }
            }
            Action::Clear => {
                next.input.clear();
                next.revision += 1;
                next.run_analysis();
            }
        }
        next
    }

    fn run_analysis(&mut self) {
        self.analysis = if self.input.trim().is_empty() {
            None
        } else {
            let options = CheckOptions::default();
            Some(Rc::new(analyze(&self.input, self.driver, &options)))
        };
        self.analyzed_revision = self.revision;
    }
}

/// The headline over the findings: the worst thing that is true, in words a person can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The driver will not even parse the string.
    Rejected,
    /// At least one error: the connection will fail or is unsafe.
    Errors(usize),
    /// Works, but weak or risky.
    Warnings(usize),
    /// Nothing worse than advice.
    Clean,
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

    /// A stable token for CSS classes and tests.
    pub fn token(self) -> &'static str {
        match self {
            Outcome::Rejected => "rejected",
            Outcome::Errors(_) => "error",
            Outcome::Warnings(_) => "warning",
            Outcome::Clean => "ok",
        }
    }

    pub fn headline(self) -> String {
        match self {
            Outcome::Rejected => "The driver rejects this connection string".to_string(),
            Outcome::Errors(n) => format!("Will fail or is unsafe: {}", plural(n, "error")),
            Outcome::Warnings(n) => format!("Works, but {} to look at", plural(n, "warning")),
            Outcome::Clean => "No problems found".to_string(),
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

    const REQUIRE: &str = "postgresql://u@db.example.com/app?sslmode=require";

    fn codes(state: &State) -> Vec<&'static str> {
        state
            .analysis
            .as_ref()
            .map(|a| a.diagnostics.iter().map(|d| d.code).collect())
            .unwrap_or_default()
    }

    #[test]
    fn edits_wait_for_the_debounce() {
        let state = State::default().apply(Action::Edit(REQUIRE.into()));
        assert!(state.is_pending());
        assert!(state.analysis.is_none());
        let state = state.apply(Action::Analyze { revision: 1 });
        assert!(!state.is_pending());
        assert!(state.analysis.as_ref().is_some_and(|a| a.valid));
    }

    #[test]
    fn a_stale_timer_is_ignored() {
        let state = State::default()
            .apply(Action::Edit("host=a".into()))
            .apply(Action::Edit("hots=x".into()));
        let stale = state.apply(Action::Analyze { revision: 1 });
        assert!(stale.is_pending() && stale.analysis.is_none());
        let fresh = state.apply(Action::Analyze { revision: 2 });
        assert_eq!(fresh.analysis.as_ref().map(|a| a.valid), Some(false));
        assert!(codes(&fresh).contains(&"PGP-PARAM-001"));
    }

    #[test]
    fn same_text_is_not_an_edit() {
        let state = State::new(REQUIRE, None);
        let again = state.apply(Action::Edit(REQUIRE.into()));
        assert_eq!(again.revision, state.revision);
        assert!(!again.is_pending());
    }

    #[test]
    fn choosing_a_driver_reanalyses_now() {
        let state = State::new(REQUIRE, None);
        assert_eq!(state.analysis.as_ref().map(|a| a.detected), Some(true));
        let jdbc = state.apply(Action::ChooseDriver(Some(Dialect::Jdbc)));
        let analysis = jdbc.analysis.unwrap();
        assert_eq!(analysis.dialect, Dialect::Jdbc);
        assert!(!analysis.detected);
    }

    #[test]
    fn blank_input_has_no_analysis() {
        assert!(State::new("   \n", None).analysis.is_none());
        let cleared = State::new(REQUIRE, None).apply(Action::Clear);
        assert!(cleared.input.is_empty() && cleared.analysis.is_none() && !cleared.is_pending());
    }

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
    fn headlines_count_honestly() {
        assert_eq!(
            Outcome::Errors(1).headline(),
            "Will fail or is unsafe: 1 error"
        );
        assert_eq!(
            Outcome::Warnings(2).headline(),
            "Works, but 2 warnings to look at"
        );
    }
}
