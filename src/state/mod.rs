//! The page's model: what the user typed, which driver they picked, and the latest analysis.
//! The reducer is here; its parts are beside it, each with its tests: `material.rs` (the
//! certificate and key inputs), `role_form.rs` (the role builder's form, its spec and link
//! fragment), `outcome.rs` (the headline and the findings' grouping and wording) and
//! `explain.rs` (the pasted error message and its explanation).
//!
//! **Architecture Invariant:** this module imports no yew and no web API, so every transition is
//! a plain function tested natively (`cargo test`). `app.rs` adapts it to `use_reducer`.
//!
//! Debouncing is modelled, not timed: every edit bumps `revision`, the component schedules
//! `Action::Analyze { revision }` after [`DEBOUNCE_MS`], and an `Analyze` for an older revision
//! is ignored. The clock stays in the component; the decision stays here.

use pg_preflight_core::Dialect;
use pg_preflight_core::Field;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{analyze_connection, assemble, material_of, MaterialReport, Report};
use pg_preflight_core::{edit, paste, Analysis};
use pg_preflight_core::{Date, Generated};
use pg_preflight_core::{Diagnostic, Fix};
use std::rc::Rc;

mod explain;
mod material;
mod outcome;
mod role_form;

pub use explain::{
    page_fix_for, place_label, place_label_for, CauseView, ErrorMark, ErrorView, ExplainKey,
    ExplainWanted, ExplainedFailure, FixView, KNOWN_CLIENTS,
};

pub use material::{MaterialField, MaterialText, MaterialWanted};
pub use outcome::{
    code_spans, findings_in_brief, group_by_severity, severity_heading, verdict_in_brief, Outcome,
    SEVERITY_ORDER,
};
pub use role_form::{RoleField, RoleForm, RoleWanted};

/// How long a certificate review stays true for the same certificates and connection facts:
/// within it an edit of the string reuses the review, after it (a page left open) the dates
/// are checked again.
const REVIEW_HOLDS_SECONDS: i64 = 60;

/// How long typing must pause before the string is analysed. Short enough to feel live, long
/// enough not to re-parse on every keystroke of a long paste-and-edit.
pub const DEBOUNCE_MS: u32 = 200;

/// The page state. Cheap to clone: results are shared.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The connection string exactly as typed. Lives only in memory: never stored or logged.
    pub input: String,
    /// The driver the user chose; `None` means auto-detect.
    pub driver: Option<Dialect>,
    /// Bumped by every edit of `input` or of the certificate inputs.
    pub revision: u64,
    /// The analysis of `input` as of `analyzed_revision`; `None` when the input is blank.
    pub analysis: Option<Rc<Analysis>>,
    /// Certificates, key and passphrase as given.
    pub material: MaterialText,
    /// The whole-configuration check (string and material); `None` when nothing is given.
    /// The summary and the findings come from it.
    pub report: Option<Rc<Report>>,
    /// Seconds since the epoch at the last check (the component reads the clock).
    pub now: UnixTime,
    /// The certificate review the shown report waits for, if any.
    pub material_wanted: Option<MaterialWanted>,
    /// The last certificate review, and what it was of: an edit of the string that changes
    /// nothing the review depends on reuses it instead of waiting for another.
    material_reviewed: Option<(MaterialWanted, Rc<MaterialReport>)>,
    /// The certificate review could not run (the second module did not load), in words.
    pub material_error: Option<String>,
    pub role: RoleForm,
    /// The last generated role scripts, for the form as it was then.
    pub role_result: Option<Rc<Generated>>,
    /// The role scripts the page waits for, if any.
    pub role_wanted: Option<RoleWanted>,
    /// The id of the last request to the second module (a certificate review or role
    /// scripts): ids only grow, so an answer is matched to exactly the request it answers,
    /// whatever happened in between (a driver change, "Clear everything").
    last_request: u64,
    /// The role scripts could not be written (the second module did not load, or the browser
    /// has no random source), in words.
    pub role_error: Option<String>,
    /// The generated password has been shown and dismissed: it is no longer kept.
    pub password_dismissed: bool,
    analyzed_revision: u64,
    /// The error message the user pasted ("Paste the error you got"). It may hold secrets: it
    /// lives only in memory, and only the core's masked lines of it are shown.
    pub error_text: String,
    /// Bumped by every edit of `error_text`; explained once typing pauses.
    error_revision: u64,
    explained_revision: u64,
    /// The explanation the page waits for, if any.
    pub explain_wanted: Option<ExplainWanted>,
    /// What the last explanation asked for was of (asked again only when this changes).
    explained_key: Option<ExplainKey>,
    /// The last explanation of `error_text` with the inputs as they were.
    pub explained: Option<Rc<ErrorView>>,
    /// The explanation could not run (the second module did not load), in words.
    pub explain_error: Option<String>,
    /// What the user must fill in after a fix was applied: the placeholder path it wrote
    /// (`/path/to/server-ca.crt`), selected in the text area so that typing replaces it.
    pub fill_in: Option<FillIn>,
    /// The last applied fix could not take one of the string's secrets back (it has no place
    /// for it in the fixed string): the page asks the user to add it, rather than leave a
    /// string that fails to log in without a word. Cleared by the next change of the string.
    pub secret_left_out: bool,
}

/// A range of the connection string to select, in UTF-16 code units (the text area's
/// `setSelectionRange`), with the fix application it belongs to (selected once per fix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FillIn {
    pub start: u32,
    pub end: u32,
    pub serial: u64,
}

/// Findings whose span is a placeholder the user must replace with a real value.
const PLACEHOLDER_CODES: &[&str] = &["PGP-SSL-112", "PGP-PARAM-106"];

impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        self.input == other.input
            && self.driver == other.driver
            && self.revision == other.revision
            && self.analyzed_revision == other.analyzed_revision
            && self.material == other.material
            && self.role == other.role
            && self.now == other.now
            && self.material_wanted == other.material_wanted
            && self.material_error == other.material_error
            && self.password_dismissed == other.password_dismissed
            && self.role_wanted == other.role_wanted
            && self.role_error == other.role_error
            && self.error_text == other.error_text
            && self.error_revision == other.error_revision
            && self.explained_revision == other.explained_revision
            && self.explain_wanted == other.explain_wanted
            && self.explain_error == other.explain_error
            && self.fill_in == other.fill_in
            && self.secret_left_out == other.secret_left_out
            && match (&self.explained, &other.explained) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
            && match (&self.role_result, &other.role_result) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// Everything that can happen to the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The user edited the connection string (typing: checked once typing pauses).
    Edit(String),
    /// A whole connection string arrived at once (a paste, a drop, text carried over from
    /// before the module started): checked at once; `now` is the time of the check.
    Paste {
        text: String,
        now: UnixTime,
    },
    /// The user edited one connection field (host, port, dbname, user, sslmode): the string is
    /// rewritten with that keyword, keeping its form and its password.
    EditParam {
        keyword: &'static str,
        value: String,
    },
    /// The user applied a fix whose replacement is a whole connection string (the input's
    /// secrets are put back, except the one the fix removes).
    ApplyFix(Fix),
    /// The user picked a driver (`None`: auto-detect). Re-analyses at once.
    ChooseDriver(Option<Dialect>),
    /// A certificate, key or passphrase input changed (typing).
    EditMaterial(MaterialField, String),
    /// A whole certificate, key or passphrase arrived at once (paste, drop, a file picked):
    /// checked at once; `now` is the time of the check.
    PasteMaterial {
        field: MaterialField,
        text: String,
        now: UnixTime,
    },
    /// The debounce timer for `revision` fired; `now` is the time of the check.
    Analyze {
        revision: u64,
        now: UnixTime,
    },
    /// The second module reviewed the certificates of `revision` (or could not: the sentence
    /// to show).
    MaterialReviewed {
        id: u64,
        result: Result<Rc<MaterialReport>, String>,
    },
    /// Forget the connection string and its findings.
    Clear,
    /// Forget everything: string, certificates, key, passphrase, role form and scripts.
    ClearAll,
    EditRole(RoleField, String),
    /// Build the role scripts from the form (`today` from the component's clock).
    GenerateRole {
        today: Date,
    },
    /// The second module wrote the scripts for request `id` (or could not: the sentence to
    /// show).
    RoleGenerated {
        id: u64,
        result: Result<Rc<Generated>, String>,
    },
    /// The user has saved the generated password: drop it.
    DismissPassword,
    /// The page was opened from a shared link carrying these role-builder settings.
    OpenSharedRole(RoleForm),
    /// The user edited the pasted error message (typing: explained once typing pauses).
    EditErrorText(String),
    /// A whole error message arrived at once (a paste, a drop): explained at once.
    PasteErrorText {
        text: String,
        now: UnixTime,
    },
    /// The debounce timer of the error message's `revision` fired.
    ExplainAfterPause {
        revision: u64,
        now: UnixTime,
    },
    /// The second module explained the error of request `id` (or could not: the sentence to
    /// show).
    ErrorExplained {
        id: u64,
        result: Result<Rc<ErrorView>, String>,
    },
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

    /// True while the shown analysis is for an older version of the input, or waits for its
    /// certificate review.
    pub fn is_pending(&self) -> bool {
        self.analyzed_revision != self.revision || self.material_wanted.is_some()
    }

    /// The findings to show: the whole-configuration check's when there is one, else the
    /// connection string's.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match (&self.report, &self.analysis) {
            (Some(report), _) => &report.diagnostics,
            (None, Some(analysis)) => &analysis.diagnostics,
            (None, None) => &[],
        }
    }

    /// The errors about what is in a certificate or key box, most important first, each as
    /// "title (code)": shown at the box as well as in the findings (a private key pasted as the
    /// CA, say). A finding between two boxes (a key that does not match its certificate) is
    /// shown at both, also where the other box has a worse error of its own (an expired
    /// certificate): the user must see which two files disagree.
    pub fn problems_in(&self, field: MaterialField) -> Vec<String> {
        self.diagnostics()
            .iter()
            .filter(|d| d.is_error() && matches!(field, MaterialField::File(f) if d.concerns(f)))
            .map(|d| format!("{} ({})", d.title, d.code))
            .collect()
    }

    /// True while the shown explanation is for an older version of the error message or of
    /// the inputs, or is still being written.
    pub fn explain_pending(&self) -> bool {
        self.explained_revision != self.error_revision || self.explain_wanted.is_some()
    }

    /// The revision of the pasted error message (the component's debounce timer is keyed by
    /// it).
    pub fn error_revision(&self) -> u64 {
        self.error_revision
    }

    /// The mark for the page input `input` (`dsn`, `ca`, `cert`, …) when the most likely cause
    /// of a pasted error lies in it.
    pub fn error_mark(&self, input: &str) -> Option<ErrorMark> {
        self.explained.as_ref()?.mark_for(input)
    }

    /// A generated password is on screen and kept nowhere else.
    pub fn has_unsaved_password(&self) -> bool {
        self.role_result
            .as_ref()
            .and_then(|result| result.scripts.as_ref())
            .is_some_and(|scripts| scripts.generated_password.is_some())
    }

    /// The transition function.
    pub fn apply(&self, action: Action) -> State {
        let mut next = self.clone();
        match action {
            Action::Edit(input) => next.set_input(input),
            Action::Paste { text, now } => {
                next.set_input(text);
                next.analyze_now(now);
            }
            Action::PasteMaterial { field, text, now } => {
                next = next.apply(Action::EditMaterial(field, text));
                next.analyze_now(now);
            }
            Action::EditParam { keyword, value } => {
                if let Some(edited) = edit::set_param(&next.input, keyword, &value) {
                    next.set_input(edited);
                }
            }
            Action::ApplyFix(fix) if fix.recovers_paste => {
                // The string as it was meant, recovered from the user's own text: their
                // secrets stay in the box, nothing else of the paste does.
                if let Some(recovered) = paste::recover(&next.input) {
                    next.set_input(recovered.text);
                    next.run_analysis();
                }
            }
            Action::ApplyFix(fix) => {
                // The fix made on the user's own string in its dialect, secrets kept.
                let dialect = next.analysis.as_ref().map_or(Dialect::Libpq, |a| a.dialect);
                if let Some(applied) = edit::apply_fix(dialect, &next.input, &fix) {
                    next.set_input(applied.text);
                    next.secret_left_out = applied.secret_left_out;
                    next.run_analysis();
                    next.fill_in = next
                        .mask_to_fill(&self.input, self.fill_in)
                        .or_else(|| next.placeholder_to_fill(self.fill_in));
                }
            }
            Action::ChooseDriver(driver) => {
                next.driver = driver;
                next.run_analysis();
            }
            Action::EditMaterial(field, text) => {
                let slot = next.material.slot(field);
                if *slot != text {
                    *slot = text;
                    next.revision += 1;
                }
            }
            Action::Analyze { revision, now } => {
                // A timer from before a later edit: the later edit's timer will come.
                if revision == next.revision && next.analyzed_revision != next.revision {
                    next.now = now;
                    next.run_analysis();
                }
            }
            Action::MaterialReviewed { id, result } => {
                let wanted = next.material_wanted.take_if(|w| w.id == id);
                if let Some(wanted) = wanted {
                    let report = match result {
                        Ok(report) => {
                            next.material_reviewed = Some((wanted, report.clone()));
                            next.material_error = None;
                            report
                        }
                        Err(message) => {
                            next.material_error = Some(message);
                            Rc::default()
                        }
                    };
                    next.join(report);
                }
            }
            Action::Clear => {
                next.input.clear();
                next.revision += 1;
                next.run_analysis();
            }
            Action::ClearAll => {
                next = State {
                    revision: self.revision + 1,
                    analyzed_revision: self.revision + 1,
                    now: self.now,
                    last_request: self.last_request,
                    ..State::default()
                };
            }
            Action::EditRole(field, value) => {
                // A version of the other server family would only produce an error.
                if field == RoleField::Dialect && value != next.role.dialect {
                    next.role.server_version = match value.as_str() {
                        "mysql" => "mariadb-10.11".into(),
                        _ => "17".into(),
                    };
                }
                *next.role.slot(field) = value;
            }
            Action::GenerateRole { today } => {
                let id = next.next_request();
                next.role_wanted = Some(RoleWanted {
                    id,
                    spec_json: next.role.to_spec_json(),
                    today,
                    client_certificate: Some(next.material.text(Field::ClientCert).to_string())
                        .filter(|c| !c.trim().is_empty()),
                });
            }
            Action::RoleGenerated { id, result } => {
                if next.role_wanted.take_if(|w| w.id == id).is_some() {
                    match result {
                        Ok(generated) => {
                            next.role_result = Some(generated);
                            next.role_error = None;
                        }
                        Err(message) => {
                            next.role_result = None;
                            next.role_error = Some(message);
                        }
                    }
                    next.password_dismissed = false;
                }
            }
            Action::DismissPassword => {
                next.password_dismissed = true;
                if let Some(result) = &next.role_result {
                    let mut kept = (**result).clone();
                    if let Some(scripts) = kept.scripts.as_mut() {
                        scripts.generated_password = None;
                    }
                    next.role_result = Some(Rc::new(kept));
                }
            }
            Action::OpenSharedRole(form) => next.role = form,
            Action::EditErrorText(text) => {
                if text != next.error_text {
                    next.error_text = text;
                    next.error_revision += 1;
                }
            }
            Action::PasteErrorText { text, now } => {
                next = next.apply(Action::EditErrorText(text));
                next.want_explanation(now);
            }
            Action::ExplainAfterPause { revision, now } => {
                if revision == next.error_revision && next.explained_revision != revision {
                    next.want_explanation(now);
                }
            }
            Action::ErrorExplained { id, result } => {
                if next.explain_wanted.take_if(|w| w.id == id).is_some() {
                    match result {
                        Ok(view) => {
                            next.explained = Some(view);
                            next.explain_error = None;
                        }
                        Err(message) => {
                            next.explained = None;
                            next.explain_error = Some(message);
                        }
                    }
                }
            }
        }
        next
    }

    /// Asks for the explanation of the pasted error against the inputs as they are now,
    /// unless the last one asked for is of the same (an edit of something the explanation
    /// does not read, or of nothing at all). A blank text needs none.
    fn want_explanation(&mut self, now: UnixTime) {
        self.explained_revision = self.error_revision;
        if self.error_text.trim().is_empty() {
            self.explain_wanted = None;
            self.explained_key = None;
            self.explained = None;
            self.explain_error = None;
            return;
        }
        let key = ExplainKey {
            text: self.error_text.clone(),
            dsn: Some(self.input.clone()).filter(|d| !d.trim().is_empty()),
            driver: self.driver,
            material: self.material.clone(),
        };
        if self.explained_key.as_ref() == Some(&key) {
            return;
        }
        self.explained_key = Some(key.clone());
        self.explain_wanted = Some(ExplainWanted {
            id: self.next_request(),
            key,
            now,
        });
    }

    /// Checks at once what changed since the last check (the debounce timer of the edit, when
    /// it fires, then finds nothing to do).
    fn analyze_now(&mut self, now: UnixTime) {
        if self.analyzed_revision != self.revision {
            self.now = now;
            self.run_analysis();
        }
    }

    /// A new request id for the second module (see `last_request`).
    fn next_request(&mut self) -> u64 {
        self.last_request += 1;
        self.last_request
    }

    fn set_input(&mut self, input: String) {
        if input != self.input {
            self.input = input;
            self.revision += 1;
            self.secret_left_out = false;
        }
    }

    /// A mask an applied fix left where the user's secret goes (one the string did not hold
    /// before), to select so that pasting the password replaces it.
    fn mask_to_fill(&self, before: &str, last: Option<FillIn>) -> Option<FillIn> {
        const MASK: &str = "********";
        if !self.secret_left_out || self.input.matches(MASK).count() <= before.matches(MASK).count()
        {
            return None;
        }
        let start = self.input.find(MASK)?;
        self.fill_in_over(start, start + MASK.len(), last)
    }

    /// The bytes `start..end` of the string as a selection of the text area.
    fn fill_in_over(&self, start: usize, end: usize, last: Option<FillIn>) -> Option<FillIn> {
        let utf16 = |byte: usize| -> Option<u32> {
            let units = self.input.get(..byte)?.encode_utf16().count();
            u32::try_from(units).ok()
        };
        Some(FillIn {
            start: utf16(start)?,
            end: utf16(end)?,
            serial: last.map_or(1, |l| l.serial + 1),
        })
    }

    /// Analyses the string (once) and joins the certificate review: at once when there is
    /// nothing to review or the last review still holds, else when [`Action::MaterialReviewed`]
    /// brings it (the string's own findings show meanwhile).
    /// The first placeholder the analysis of the string points at, to select: "apply this
    /// fix" may write `sslrootcert=/path/to/server-ca.crt`, and an outside review found the
    /// page then only reporting it as an error. Selected, it is replaced by what is typed.
    fn placeholder_to_fill(&self, last: Option<FillIn>) -> Option<FillIn> {
        let span = self
            .analysis
            .as_ref()?
            .diagnostics
            .iter()
            .filter(|d| PLACEHOLDER_CODES.contains(&d.code))
            .filter_map(|d| d.span)
            .filter(|span| span.start < span.end)
            .min_by_key(|span| span.start)?;
        self.fill_in_over(span.start, span.end, last)
    }

    fn run_analysis(&mut self) {
        let has_dsn = !self.input.trim().is_empty();
        let given = self.material.given();
        let (analysis, context) = analyze_connection(
            has_dsn.then_some(self.input.as_str()),
            self.driver,
            &material_of(&given),
        );
        self.analysis = analysis.map(Rc::new);
        self.analyzed_revision = self.revision;
        self.material_wanted = None;
        // The causes of a pasted error are judged against the inputs: new inputs, a new
        // explanation (none is asked for while the error box is empty).
        if !self.error_text.trim().is_empty() {
            let now = self.now;
            self.want_explanation(now);
        }
        if given.has_no_material_at_all() {
            self.material_reviewed = None;
            self.material_error = None;
            self.join(Rc::default());
            return;
        }
        let now = self.now;
        let still_holds = self
            .material_reviewed
            .as_ref()
            .filter(|(reviewed, _)| {
                reviewed.material == self.material
                    && reviewed.context == context
                    && (0..REVIEW_HOLDS_SECONDS).contains(&now.seconds_since(reviewed.now))
            })
            .map(|(_, report)| report.clone());
        match still_holds {
            Some(report) => self.join(report),
            None => {
                self.material_wanted = Some(MaterialWanted {
                    id: self.next_request(),
                    material: self.material.clone(),
                    context,
                    now: self.now,
                });
                self.join(Rc::default());
            }
        }
    }

    /// The report of the analysis joined with `material`; none when nothing is given.
    fn join(&mut self, material: Rc<MaterialReport>) {
        let has_material = self.material.given().has_material();
        self.report = (self.analysis.is_some() || has_material).then(|| {
            Rc::new(assemble(
                self.analysis.as_deref().cloned(),
                Rc::unwrap_or_clone(material),
            ))
        });
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::indexing_slicing, clippy::unwrap_used)]
    use super::*;

    /// The fix of the first finding with `code`, as the page would apply it.
    fn fix_in(state: &State, code: &str) -> Fix {
        pg_preflight_core::fix_of(state.diagnostics(), code)
            .cloned()
            .unwrap_or_else(|| panic!("no {code} fix in {:#?}", state.diagnostics()))
    }

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
        let state = state.apply(Action::Analyze {
            revision: 1,
            now: UnixTime::from_seconds(0),
        });
        assert!(!state.is_pending());
        assert!(state.analysis.as_ref().is_some_and(|a| a.valid));
    }

    #[test]
    fn a_paste_is_checked_at_once_and_its_timer_then_does_nothing() {
        let state = State::default().apply(Action::Paste {
            text: REQUIRE.into(),
            now: UnixTime::from_seconds(1_780_272_000),
        });
        assert!(!state.is_pending() && state.now == UnixTime::from_seconds(1_780_272_000));
        assert!(
            codes(&state).contains(&"PGP-SSL-103"),
            "{:?}",
            codes(&state)
        );
        let timer = state.apply(Action::Analyze {
            revision: state.revision,
            now: UnixTime::from_seconds(1),
        });
        assert_eq!(
            timer.now,
            UnixTime::from_seconds(1_780_272_000),
            "the edit's own timer re-checks nothing"
        );
        let pasted = state.apply(Action::PasteMaterial {
            field: MaterialField::File(Field::RootCert),
            text: ROOT.into(),
            now: UnixTime::from_seconds(1_780_272_001),
        });
        assert!(
            pasted.material_wanted.is_some(),
            "the review is asked for at once"
        );
        assert_eq!(pasted.analyzed_revision, pasted.revision);
    }

    #[test]
    fn a_stale_timer_is_ignored() {
        let state = State::default()
            .apply(Action::Edit("host=a".into()))
            .apply(Action::Edit("hots=x".into()));
        let stale = state.apply(Action::Analyze {
            revision: 1,
            now: UnixTime::from_seconds(0),
        });
        assert!(stale.is_pending() && stale.analysis.is_none());
        let fresh = state.apply(Action::Analyze {
            revision: 2,
            now: UnixTime::from_seconds(0),
        });
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

    const CLIENT_CERT: &str = include_str!("../../crates/core/tests/fixtures/pki/client.crt");
    const ROOT: &str = include_str!("../../crates/core/tests/fixtures/pki/root.crt");

    /// The debounce timer fires, and the certificate review the state then waits for is run
    /// as the second module runs it (the core's own function, natively).
    fn analysed(state: State) -> State {
        let revision = state.revision;
        let state = state.apply(Action::Analyze {
            revision,
            now: UnixTime::from_seconds(1_780_272_000),
        });
        match state.material_wanted.clone() {
            Some(wanted) => state.apply(Action::MaterialReviewed {
                id: wanted.id,
                result: Ok(Rc::new(review(&wanted))),
            }),
            None => state,
        }
    }

    /// The role scripts the state waits for, written as the second module writes them (the
    /// core's own generator, natively, with deterministic bytes).
    pub(crate) fn generated(state: State) -> State {
        struct Counting(u8);
        impl pg_preflight_core::RandomSource for Counting {
            fn fill(&mut self, buf: &mut [u8]) {
                for b in buf {
                    *b = self.0;
                    self.0 = self.0.wrapping_add(37);
                }
            }
        }
        let Some(wanted) = state.role_wanted.clone() else {
            return state;
        };
        let generated = pg_preflight_core::generate_from_json(
            &wanted.spec_json,
            &mut pg_preflight_core::Environment {
                today: wanted.today,
                random: &mut Counting(7),
                client_certificate: wanted.client_certificate.as_deref().map(str::as_bytes),
            },
        );
        state.apply(Action::RoleGenerated {
            id: wanted.id,
            result: Ok(Rc::new(generated)),
        })
    }

    fn review(wanted: &MaterialWanted) -> MaterialReport {
        let given = wanted.material.given();
        pg_preflight_core::review_material(&material_of(&given), &wanted.context, wanted.now)
    }

    #[test]
    fn field_edits_rewrite_the_string_and_keep_the_password() {
        let state = State::new("postgresql://app:pw@db/app?sslmode=require", None);
        let state = analysed(state.apply(Action::EditParam {
            keyword: "sslmode",
            value: "verify-full".into(),
        }));
        let params = state.analysis.as_ref().unwrap().params.clone().unwrap();
        assert_eq!(
            params.get("sslmode").map(String::as_str),
            Some("verify-full")
        );
        assert_eq!(params.get("password").map(String::as_str), Some("pw"));
        assert!(state.input.starts_with("postgresql://"));
    }

    #[test]
    fn applying_a_fix_keeps_the_password() {
        let state = State::new("host=db user=app password=pw sslmode=require", None);
        let fixed = state.apply(Action::ApplyFix(Fix::replace(
            "Verify the server",
            "host=db user=app sslmode=verify-full",
        )));
        let params = fixed.analysis.as_ref().unwrap().params.clone().unwrap();
        assert_eq!(params.get("password").map(String::as_str), Some("pw"));
        assert_eq!(
            params.get("sslmode").map(String::as_str),
            Some("verify-full")
        );
    }

    /// The fix of PGP-AUTH-101 is the string without the secret: applying it must not put the
    /// password back (it once did, moving it into `&password=`), while a fix of something else
    /// keeps it where the user wrote it.
    #[test]
    fn applying_the_remove_the_secret_fix_removes_it() {
        let state = State::new(
            "postgresql://admin:hunter2@db.example.com/prod?sslmode=require&sslpassword=kp",
            None,
        );
        let fix_of = |state: &State, code: &str, detail: &str| {
            state
                .diagnostics()
                .iter()
                .find(|d| d.code == code && d.detail.contains(detail))
                .and_then(|d| d.fix.clone())
                .unwrap_or_else(|| panic!("no {code} fix in {:#?}", state.diagnostics()))
        };
        let fixed = state.apply(Action::ApplyFix(fix_of(
            &state,
            "PGP-AUTH-101",
            "the password",
        )));
        assert!(!fixed.input.contains("hunter2"), "{}", fixed.input);
        assert!(fixed.input.contains("sslpassword=kp"), "{}", fixed.input);
        assert!(
            !fixed
                .diagnostics()
                .iter()
                .any(|d| d.code == "PGP-AUTH-101" && d.detail.contains("the password")),
            "{:#?}",
            fixed.diagnostics()
        );
        let verified = state.apply(Action::ApplyFix(fix_of(&state, "PGP-SSL-103", "")));
        assert!(
            verified
                .input
                .starts_with("postgresql://admin:hunter2@db.example.com/prod?"),
            "{}",
            verified.input
        );
    }

    /// A fix that writes a placeholder path leaves it selected, so that typing the real path
    /// replaces it; one that writes none selects nothing, and each application selects anew.
    #[test]
    fn applying_a_fix_with_a_placeholder_path_selects_it() {
        let state = State::new("postgresql://app:é-pw@db.example.com/app", None);
        let verify = fix_in(&state, "PGP-SSL-102");
        let fixed = state.apply(Action::ApplyFix(verify.clone()));
        let fill_in = fixed
            .fill_in
            .unwrap_or_else(|| panic!("nothing selected in {}", fixed.input));
        let units: Vec<u16> = fixed.input.encode_utf16().collect();
        let selected =
            String::from_utf16_lossy(&units[fill_in.start as usize..fill_in.end as usize]);
        assert_eq!(selected, "/path/to/server-ca.crt", "{}", fixed.input);
        let again = state.apply(Action::ApplyFix(verify));
        assert_eq!(again.fill_in.map(|f| f.serial), Some(1));
        let timeout = fix_in(&fixed, "PGP-PARAM-101");
        let second = fixed.apply(Action::ApplyFix(timeout));
        // The placeholder is still there and is selected again, as a new selection.
        assert_eq!(second.fill_in.map(|f| f.serial), Some(2));
        let plain = State::new(
            "postgresql://app@db.example.com/app?sslmode=verify-full&sslrootcert=/etc/ca.pem",
            None,
        );
        let timeout = fix_in(&plain, "PGP-PARAM-101");
        assert_eq!(plain.apply(Action::ApplyFix(timeout)).fill_in, None);
    }

    /// Another driver's fix is applied in that driver's syntax to the user's own string: the
    /// password stays in the box, Prisma's own parameters stay, and the finding is gone.
    #[test]
    fn applying_a_prisma_fix_keeps_the_string_prisma() {
        let input = "postgresql://postgres.abcdefghijklmnopqrst:hunter2-long@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?pgbouncer=true&sslmode=require";
        let state = State::new(input, Some(Dialect::Prisma));
        let fix = fix_in(&state, "PGP-DRIVER-020");
        let fixed = state.apply(Action::ApplyFix(fix));
        assert_eq!(
            fixed.input,
            "postgresql://postgres.abcdefghijklmnopqrst:hunter2-long@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?pgbouncer=true&sslmode=require&sslaccept=strict&sslcert=prod-supabase.cer"
        );
        assert!(
            !fixed
                .diagnostics()
                .iter()
                .any(|d| d.code == "PGP-DRIVER-020"),
            "{:#?}",
            fixed.diagnostics()
        );
    }

    /// An outside review: SQLAlchemy's asyncpg URL lost its password when the fix renaming
    /// `sslmode` to `ssl` (written whole, not an edit) was applied.
    #[test]
    fn applying_a_drivers_own_replacement_keeps_the_password() {
        let input = "postgresql+asyncpg://app:s3cr%40t@db.example.com/app?sslmode=verify-full";
        let state = State::new(input, None);
        let fix = fix_in(&state, "PGP-DRIVER-025");
        let fixed = state.apply(Action::ApplyFix(fix));
        assert_eq!(
            fixed.input,
            "postgresql+asyncpg://app:s3cr%40t@db.example.com/app?ssl=verify-full"
        );
        assert!(!fixed.secret_left_out);
    }

    /// A fix with no place for the password says so, selects nothing it did not write, and the
    /// note goes with the next edit.
    #[test]
    fn a_fix_without_a_place_for_the_password_says_so() {
        let input = "postgresql+asyncpg://app:s3cret-Xq7v@db/app?sslmode=require";
        let state = State::new(input, None);
        let fix = Fix::replace("x", "postgresql+asyncpg://db/app?ssl=require");
        let fixed = state.apply(Action::ApplyFix(fix));
        assert_eq!(fixed.input, "postgresql+asyncpg://db/app?ssl=require");
        assert!(fixed.secret_left_out);
        let typed = fixed.apply(Action::Edit(
            "postgresql+asyncpg://app:s3cret-Xq7v@db/app?ssl=require".to_string(),
        ));
        assert!(!typed.secret_left_out);
    }

    /// A broken paste's fix puts the meant string into the box, the password with it.
    #[test]
    fn applying_a_paste_fix_keeps_the_password() {
        let input = "DATABASE_URL=\"postgresql://app:p@ssw0rd-Xq7v@db.example.com/app?sslmode=verify-full&sslrootcert=system\"";
        let state = State::new(input, None);
        let fix = fix_in(&state, "PGP-PASTE-002");
        let fixed = state.apply(Action::ApplyFix(fix));
        assert_eq!(
            fixed.input,
            "postgresql://app:p%40ssw0rd-Xq7v@db.example.com/app?sslmode=verify-full&sslrootcert=system"
        );
        assert!(
            !fixed
                .diagnostics()
                .iter()
                .any(|d| d.code.starts_with("PGP-PASTE-")),
            "{:#?}",
            fixed.diagnostics()
        );
    }

    /// The page rewords the core's role-spec messages and marks fields by these keys: each
    /// must be the key the form writes into the spec.
    #[test]
    fn every_role_field_writes_its_spec_key() {
        let mut state = State::default();
        for field in RoleField::ALL {
            let sample = match field {
                RoleField::Dialect => "postgres",
                RoleField::ServerVersion => "17",
                RoleField::Access => "read-only",
                RoleField::Auth => "scram",
                RoleField::Columns => "app.users: id, email",
                RoleField::ConnectionLimit => "5",
                RoleField::StatementTimeout => "30s",
                RoleField::ValidUntil => "2027-01-01",
                RoleField::ClientCidrs => "203.0.113.0/24",
                _ => "x",
            };
            state = state.apply(Action::EditRole(field, sample.into()));
        }
        let spec: serde_json::Value = serde_json::from_str(&state.role.to_spec_json()).unwrap();
        for field in RoleField::ALL {
            assert!(spec.get(field.spec_key()).is_some(), "{field:?} → {spec}");
        }
    }

    #[test]
    fn a_box_shows_its_own_error_only() {
        let key = include_str!("../../crates/core/tests/fixtures/pki/client.pkcs8.key");
        let state = State::new("host=db.example.com sslmode=verify-full", None).apply(
            Action::EditMaterial(MaterialField::File(Field::RootCert), key.into()),
        );
        let state = analysed(state);
        let problems = state.problems_in(MaterialField::File(Field::RootCert));
        let problem = problems.first().expect("the CA box's error");
        assert!(
            problem.ends_with(')') && problem.contains("(PGP-"),
            "{problem}"
        );
        assert!(state
            .problems_in(MaterialField::File(Field::ClientCert))
            .is_empty());
    }

    /// A key that does not match its certificate is an error of both boxes: either file may
    /// be the wrong one. The certificate's own worse error (expired) does not hide it.
    #[test]
    fn a_key_mismatch_is_shown_at_the_key_and_the_certificate() {
        let with = |cert: &str, key: &str| {
            analysed(
                State::new("host=db.example.com sslmode=verify-full", None)
                    .apply(Action::EditMaterial(
                        MaterialField::File(Field::ClientCert),
                        cert.into(),
                    ))
                    .apply(Action::EditMaterial(
                        MaterialField::File(Field::ClientKey),
                        key.into(),
                    )),
            )
        };
        let mismatch = "Client key does not match the client certificate (PGP-KEY-004)";
        let ec_key = include_str!("../../crates/core/tests/fixtures/pki/client-ec.sec1.key");
        let state = with(CLIENT_CERT, ec_key);
        for field in [Field::ClientKey, Field::ClientCert] {
            assert_eq!(
                state.problems_in(MaterialField::File(field)),
                [mismatch],
                "{field:?}: {:#?}",
                state.diagnostics()
            );
        }
        assert!(state
            .problems_in(MaterialField::File(Field::RootCert))
            .is_empty());

        let expired = include_str!("../../crates/core/tests/fixtures/pki/client-ec.crt");
        let rsa_key = include_str!("../../crates/core/tests/fixtures/pki/client.pkcs8.key");
        let state = with(expired, rsa_key);
        let at_certificate = state.problems_in(MaterialField::File(Field::ClientCert));
        assert_eq!(
            at_certificate.first().map(String::as_str),
            Some("Certificate expired (PGP-CERT-001)")
        );
        assert!(
            at_certificate.iter().any(|p| p == mismatch),
            "{at_certificate:?}"
        );
        assert_eq!(
            state.problems_in(MaterialField::File(Field::ClientKey)),
            [mismatch]
        );
    }

    #[test]
    fn certificates_join_the_check_and_clear_all_forgets_everything() {
        let state = State::new(
            "host=db.example.com user=app_user sslmode=verify-full",
            None,
        )
        .apply(Action::EditMaterial(
            MaterialField::File(Field::ClientCert),
            CLIENT_CERT.into(),
        ))
        .apply(Action::EditMaterial(
            MaterialField::File(Field::RootCert),
            ROOT.into(),
        ))
        .apply(Action::EditMaterial(
            MaterialField::Passphrase,
            "secret".into(),
        ));
        assert!(state.is_pending());
        let state = analysed(state);
        let report = state.report.clone().unwrap();
        assert!(report.certificates.len() >= 2);
        assert!(report.inputs.iter().any(|i| i.summary.contains("app_user")));
        let cleared = state.apply(Action::ClearAll);
        assert!(cleared.input.is_empty() && cleared.material == MaterialText::default());
        assert!(
            cleared.report.is_none() && cleared.analysis.is_none() && cleared.role_result.is_none()
        );
        assert!(!cleared.is_pending());
    }

    #[test]
    fn the_certificate_review_is_waited_for_and_reused_while_it_holds() {
        let state = analysed(
            State::new(
                "host=db.example.com user=app_user sslmode=verify-full",
                None,
            )
            .apply(Action::EditMaterial(
                MaterialField::File(Field::RootCert),
                ROOT.into(),
            )),
        );
        assert!(!state.is_pending() && state.material_wanted.is_none());
        assert!(!state.report.as_ref().unwrap().certificates.is_empty());
        // An edit of the string that changes nothing the review depends on (the user and the
        // host names to verify, sslrootcert) joins the same review at once.
        let renamed = state.apply(Action::Edit(
            "host=db.example.com user=app_user sslmode=verify-full connect_timeout=5".into(),
        ));
        let renamed = renamed.apply(Action::Analyze {
            revision: renamed.revision,
            now: UnixTime::from_seconds(1_780_272_000),
        });
        assert!(renamed.material_wanted.is_none() && !renamed.is_pending());
        assert!(!renamed.report.as_ref().unwrap().certificates.is_empty());
        // The same edit a minute later (a page left open): the dates are checked again.
        let later = state.apply(Action::Edit(
            "host=db.example.com user=app_user sslmode=verify-full connect_timeout=5".into(),
        ));
        let later = later.apply(Action::Analyze {
            revision: later.revision,
            now: UnixTime::from_seconds(1_780_272_000 + REVIEW_HOLDS_SECONDS),
        });
        assert!(later.material_wanted.is_some());
        // Another host to verify: a new review, and the string's findings meanwhile.
        let moved = state.apply(Action::Edit(
            "host=other.example.com user=app_user sslmode=verify-full".into(),
        ));
        let moved = moved.apply(Action::Analyze {
            revision: moved.revision,
            now: UnixTime::from_seconds(1_780_272_000),
        });
        let wanted = moved.material_wanted.clone().expect("a new review");
        assert!(moved.is_pending());
        assert!(moved.report.as_ref().unwrap().certificates.is_empty());
        // A review for an older edit is dropped; a failed one is said, in place of the cards.
        let stale = moved.apply(Action::MaterialReviewed {
            id: wanted.id - 1,
            result: Ok(Rc::new(review(&wanted))),
        });
        assert!(stale.is_pending());
        let failed = moved.apply(Action::MaterialReviewed {
            id: wanted.id,
            result: Err("could not load".into()),
        });
        assert!(!failed.is_pending());
        assert_eq!(failed.material_error.as_deref(), Some("could not load"));
        assert!(failed.report.as_ref().unwrap().certificates.is_empty());
        // Emptying the boxes needs no review at all.
        let emptied = analysed(failed.apply(Action::EditMaterial(
            MaterialField::File(Field::RootCert),
            "  ".into(),
        )));
        assert!(emptied.material_wanted.is_none() && emptied.material_error.is_none());
    }

    #[test]
    fn an_answer_is_taken_only_for_the_request_it_answers() {
        // A driver change asks for a new review without a new edit: the review asked for
        // before it must not be taken for the new one (and then reused as if it were).
        let state = State::new(
            "postgresql://other_user@db.example.com/app?sslmode=verify-full",
            None,
        )
        .apply(Action::PasteMaterial {
            field: MaterialField::File(Field::ClientCert),
            text: CLIENT_CERT.into(),
            now: UnixTime::from_seconds(1_780_272_000),
        });
        let first = state.material_wanted.clone().expect("a review");
        let rechosen = state.apply(Action::ChooseDriver(Some(Dialect::Jdbc)));
        let second = rechosen.material_wanted.clone().expect("another review");
        assert_ne!(first.id, second.id);
        let late = rechosen.apply(Action::MaterialReviewed {
            id: first.id,
            result: Ok(Rc::new(review(&first))),
        });
        assert!(late.is_pending() && late.material_wanted == Some(second.clone()));
        let answered = late.apply(Action::MaterialReviewed {
            id: second.id,
            result: Ok(Rc::new(review(&second))),
        });
        assert!(!answered.is_pending());
        // Role scripts asked for before "Clear everything" are not the new form's.
        let today = Date {
            year: 2026,
            month: 11,
            day: 22,
        };
        let asked = State::default().apply(Action::GenerateRole { today });
        let old = asked.role_wanted.clone().unwrap();
        let again = asked
            .apply(Action::ClearAll)
            .apply(Action::GenerateRole { today });
        assert_ne!(again.role_wanted.as_ref().unwrap().id, old.id);
        let stale = again.apply(Action::RoleGenerated {
            id: old.id,
            result: Err("old".into()),
        });
        assert!(stale.role_wanted.is_some() && stale.role_error.is_none());
    }

    #[test]
    fn a_shared_link_fills_the_role_form_and_nothing_else() {
        let mut form = RoleForm::default();
        *form.slot(RoleField::Database) = "appdb".into();
        let state = State::new("host=h", None);
        let opened = state.apply(Action::OpenSharedRole(form.clone()));
        assert_eq!(opened.role, form);
        assert_eq!(opened.input, "host=h");
        assert_eq!(opened.revision, state.revision, "no re-check of the string");
    }

    /// A state with the role form's `fields` typed in, in order.
    fn with_role_form(fields: &[(RoleField, &str)]) -> State {
        fields
            .iter()
            .fold(State::default(), |state, &(field, value)| {
                state.apply(Action::EditRole(field, value.into()))
            })
    }

    /// The page and the core agree on a cleared limit: no limit in the script, and a warning
    /// on the field, never the default the user cleared (an outside review found CONNECTION
    /// LIMIT 5 and statement_timeout 30s written for emptied fields).
    #[test]
    fn cleared_limits_are_no_limit_in_the_script_and_said_on_their_fields() {
        let state = with_role_form(&[
            (RoleField::Database, "appdb"),
            (RoleField::Role, "ai_reader"),
            (RoleField::OwnerRole, "app_owner"),
            (RoleField::ClientCidrs, "203.0.113.0/24"),
            (RoleField::ConnectionLimit, ""),
            (RoleField::StatementTimeout, ""),
        ]);
        let today = Date {
            year: 2026,
            month: 11,
            day: 22,
        };
        let built = generated(state.apply(Action::GenerateRole { today }));
        let result = built.role_result.clone().unwrap();
        let sql = &result.scripts.as_ref().unwrap().sql;
        assert!(sql.contains("CONNECTION LIMIT -1"), "{sql}");
        assert!(sql.contains("RESET statement_timeout;"), "{sql}");
        assert!(
            !sql.contains("'30s'") && !sql.contains("CONNECTION LIMIT 5"),
            "{sql}"
        );
        let warned: Vec<RoleField> = result
            .diagnostics
            .iter()
            .filter(|d| d.code == "PGP-GRANT-013")
            .filter_map(|d| {
                RoleField::ALL
                    .into_iter()
                    .find(|f| Some(f.spec_key()) == d.spec_key)
            })
            .collect();
        assert_eq!(
            warned,
            [RoleField::ConnectionLimit, RoleField::StatementTimeout]
        );
    }

    #[test]
    fn role_scripts_from_the_form_with_drawn_randomness() {
        let state = with_role_form(&[
            (RoleField::Database, "appdb"),
            (RoleField::Role, "ai_reader"),
            (RoleField::Schemas, "app, reporting"),
            (RoleField::OwnerRole, "app_owner"),
            (RoleField::ClientCidrs, "203.0.113.0/24"),
            (RoleField::Columns, "app.users: id, email"),
        ]);
        let spec: serde_json::Value = serde_json::from_str(&state.role.to_spec_json()).unwrap();
        assert_eq!(spec["schemas"], serde_json::json!(["app", "reporting"]));
        assert_eq!(
            spec["columns"]["app.users"],
            serde_json::json!(["id", "email"])
        );
        assert_eq!(spec["connectionLimit"], serde_json::json!(5));
        let today = Date {
            year: 2026,
            month: 11,
            day: 22,
        };
        let built = generated(state.apply(Action::GenerateRole { today }));
        let result = built.role_result.clone().unwrap();
        let scripts = result.scripts.as_ref().unwrap();
        let password = scripts.generated_password.clone().unwrap();
        assert!(!scripts.sql.contains(password.as_str()));
        let dismissed = built.apply(Action::DismissPassword);
        let kept = dismissed.role_result.unwrap();
        assert!(kept.scripts.as_ref().unwrap().generated_password.is_none());
        // Scripts for an older request (the user pressed again meanwhile) are dropped.
        let twice = state
            .apply(Action::GenerateRole { today })
            .apply(Action::GenerateRole { today });
        let stale = twice.apply(Action::RoleGenerated {
            id: 1,
            result: Ok(result.clone()),
        });
        assert!(stale.role_result.is_none() && stale.role_wanted.is_some());
        // The second module could not write them: said, and nothing shown.
        let failed = twice.apply(Action::RoleGenerated {
            id: 2,
            result: Err("no random source".into()),
        });
        assert!(failed.role_result.is_none() && failed.role_wanted.is_none());
        assert_eq!(failed.role_error.as_deref(), Some("no random source"));
    }

    /// The explanation the state waits for, written as the second module writes it (the
    /// core's own function, natively) and read back through its JSON.
    fn explained(state: State) -> State {
        let Some(wanted) = state.explain_wanted.clone() else {
            return state;
        };
        let given = {
            let mut request = wanted.key.material.given();
            request.dsn = wanted.key.dsn.clone();
            request
        };
        let input = pg_preflight_core::ExplainInput {
            check: Some(pg_preflight_core::CheckInput {
                dsn: given.dsn.as_deref(),
                driver: wanted.key.driver,
                material: material_of(&given),
                now: wanted.now,
            }),
            key_file: None,
        };
        let report = pg_preflight_core::explain_error(&wanted.key.text, &input);
        let json = serde_json::to_string(&report).unwrap();
        let view: ErrorView = serde_json::from_str(&json).unwrap();
        state.apply(Action::ErrorExplained {
            id: wanted.id,
            result: Ok(Rc::new(view)),
        })
    }

    const PSQL_UNTRUSTED: &str = "psql: error: connection to server at \"db.example.com\" (10.0.0.5), port 5432 failed: SSL error: certificate verify failed";

    #[test]
    fn a_pasted_error_is_explained_against_the_inputs_and_marks_the_input() {
        let pki = |name: &str| {
            std::fs::read_to_string(format!(
                "{}/crates/core/tests/fixtures/pki/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        };
        let chain = pki("server.crt") + &pki("inter.crt") + &pki("root.crt");
        let now = UnixTime::from_seconds(1_780_272_000);
        let state = State::new("host=db.example.com sslmode=verify-full", None)
            .apply(Action::PasteMaterial {
                field: MaterialField::File(Field::RootCert),
                text: pki("chain/root-a.crt"),
                now,
            })
            .apply(Action::PasteMaterial {
                field: MaterialField::File(Field::ServerChain),
                text: chain,
                now,
            });
        // Typing the error waits for the pause; nothing is asked for before it.
        let typed = state.apply(Action::EditErrorText(PSQL_UNTRUSTED.into()));
        assert!(typed.explain_pending() && typed.explain_wanted.is_none());
        let paused = typed.apply(Action::ExplainAfterPause {
            revision: typed.error_revision(),
            now,
        });
        assert!(paused.explain_wanted.is_some() && paused.explain_pending());
        let done = explained(paused);
        assert!(!done.explain_pending());
        let view = done.explained.clone().unwrap();
        let first = &view.explanations[0];
        assert_eq!(first.failure, "server-certificate-untrusted");
        assert_eq!(first.causes[0].cause, "ca-does-not-sign-chain");
        assert!(first.causes[0].confirmed);
        let mark = done.error_mark("ca").expect("the CA input is marked");
        assert_eq!(mark.cause, "ca-does-not-sign-chain");
        assert!(
            mark.text.ends_with('.') && !mark.text.contains(". "),
            "{}",
            mark.text
        );
        assert_eq!(done.error_mark("dsn"), None);
        // An edit of an input the causes are judged against asks again; the same inputs do not.
        let same = done.apply(Action::ChooseDriver(None));
        assert!(same.explain_wanted.is_none());
        let edited = done.apply(Action::PasteMaterial {
            field: MaterialField::File(Field::RootCert),
            text: pki("root.crt"),
            now,
        });
        assert!(edited.explain_wanted.is_some());
        // An answer to an older request is dropped.
        let stale = edited.apply(Action::ErrorExplained {
            id: edited.explain_wanted.as_ref().unwrap().id - 1,
            result: Err("old".into()),
        });
        assert!(stale.explain_wanted.is_some() && stale.explain_error.is_none());
        // Emptying the box forgets the explanation; "Clear everything" forgets the text.
        let emptied = done.apply(Action::PasteErrorText {
            text: "  ".into(),
            now,
        });
        assert!(emptied.explained.is_none() && !emptied.explain_pending());
        let cleared = done.apply(Action::ClearAll);
        assert!(cleared.error_text.is_empty() && cleared.explained.is_none());
    }

    #[test]
    fn an_unrecognised_text_lists_the_string_errors_with_the_pages_own_fix() {
        // A mistyped sslmode (libpq's own rejection), fixed in the string's dialect.
        let dsn = "postgresql://app:S3cretPass99@db.example.com:5432/app?sslmode=requir";
        let state = State::new(dsn, None).apply(Action::PasteErrorText {
            text: "the weather is fine today".into(),
            now: UnixTime::from_seconds(1_780_272_000),
        });
        let done = explained(state);
        let view = done.explained.clone().unwrap();
        assert!(view.explanations.is_empty());
        let codes: Vec<&str> = view.string_errors.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["PGP-SSL-001"]);
        let fix = page_fix_for(done.diagnostics(), &view.string_errors[0])
            .expect("the page's findings hold the same fix");
        let applied = done.apply(Action::ApplyFix(fix.clone()));
        assert_eq!(
            applied.input,
            "postgresql://app:S3cretPass99@db.example.com:5432/app?sslmode=require"
        );
        // A fix the page does not hold (another replacement) is not applied from the report.
        let mut other = view.string_errors[0].clone();
        other.fix.as_mut().unwrap().replacement = Some("postgresql://elsewhere/app".into());
        assert!(page_fix_for(done.diagnostics(), &other).is_none());
        // No string, no string errors.
        let alone = explained(State::new("", None).apply(Action::PasteErrorText {
            text: "the weather is fine today".into(),
            now: UnixTime::from_seconds(1_780_272_000),
        }));
        assert!(alone.explained.unwrap().string_errors.is_empty());
    }

    #[test]
    fn a_jdbc_string_gets_its_fix_in_jdbc_and_the_mark_at_the_string() {
        let state = State::new(
            "jdbc:postgresql://db.example.com:5432/app?user=app&sslmode=disable",
            None,
        )
        .apply(Action::PasteErrorText {
            text: "org.postgresql.util.PSQLException: FATAL: no pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database \"postgres\", no encryption".into(),
            now: UnixTime::from_seconds(1_780_272_000),
        });
        let done = explained(state);
        let view = done.explained.clone().unwrap();
        let first = &view.explanations[0];
        assert_eq!(first.causes[0].cause, "tls-not-used-where-required");
        let fix = first.fix.as_ref().unwrap().replacement.clone().unwrap();
        assert!(fix.starts_with("jdbc:postgresql://") && fix.contains("sslmode=verify-full"));
        assert_eq!(
            done.error_mark("dsn").map(|m| m.cause),
            Some("tls-not-used-where-required".to_string())
        );
    }

    #[test]
    fn text_with_no_known_message_is_explained_as_nothing() {
        let done = explained(State::default().apply(Action::PasteErrorText {
            text: "the weather is fine today".into(),
            now: UnixTime::from_seconds(0),
        }));
        assert!(done.explained.unwrap().explanations.is_empty());
    }

    #[test]
    fn place_labels() {
        assert_eq!(place_label("ca"), "the CA certificate (sslrootcert)");
        assert_eq!(place_label("key"), "the client key (sslkey)");
        assert_eq!(place_label("dsn"), "the connection string");
        assert_eq!(place_label("pgHba"), "the server's pg_hba.conf");
        assert_eq!(
            place_label_for("ca", "prisma"),
            "the CA certificate (Prisma's `sslcert`)"
        );
        assert_eq!(
            place_label_for("ca", "psql"),
            "the CA certificate (sslrootcert)"
        );
    }
}
