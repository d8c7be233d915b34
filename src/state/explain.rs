//! "Paste the error you got": the pasted text, the explanation the page waits for, and the
//! explanation as the page reads it back.
//!
//! The explaining itself runs in the errors panel's module (`deferred.rs`, the core's
//! `explain_error`):
//! this module only says what to ask for and reads the answer, the `ErrorReport` JSON the JS
//! API returns (`src/api.rs`'s `Explanation`), into the few fields the page shows.

use super::MaterialText;
use pg_preflight_core::Dialect;
use pg_preflight_core::Field;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{Diagnostic, Fix};

/// The clients whose messages are known, for the "nothing recognised" note.
pub const KNOWN_CLIENTS: &str = "psql and libpq, psycopg, pgjdbc, node-postgres, asyncpg, \
Npgsql, pgx, and the server's own FATAL messages";

/// What an explanation is of: the pasted text and the inputs it is judged against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainKey {
    pub text: String,
    pub dsn: Option<String>,
    pub driver: Option<Dialect>,
    pub material: MaterialText,
}

/// An explanation the page waits for: the errors panel's module writes it and the component hands it
/// back as `Action::ErrorExplained`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainWanted {
    /// Which request (`State::next_request`); a result for any other is dropped.
    pub id: u64,
    pub key: ExplainKey,
    pub now: UnixTime,
}

/// The core's `ErrorReport`, as much of it as the page shows (`deferred.rs` reads it from the
/// object the errors panel's module returns, field by field: serde's readers for these would add
/// kilobytes to the first module; the native tests read its JSON with them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct ErrorView {
    /// Only the start of the text was read (`explain::MAX_TEXT_BYTES`, or a line past
    /// `MAX_LINE_BYTES`): the panel says so, since a message past the cut is not seen.
    #[cfg_attr(test, serde(default))]
    pub truncated: bool,
    #[cfg_attr(test, serde(default))]
    pub explanations: Vec<ExplainedFailure>,
    /// When no message was recognised and a string was given: that string's error-level
    /// findings (`stringErrors`, masked and with fixes in its dialect by the core), any of
    /// which may be why it failed.
    #[cfg_attr(test, serde(default, rename = "stringErrors"))]
    pub string_errors: Vec<Diagnostic>,
}

/// One failure found in the pasted text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct ExplainedFailure {
    /// The client that writes the message (`psql`, `pgjdbc`, …).
    pub client: String,
    /// The stable id (`server-certificate-untrusted`, …).
    pub failure: String,
    pub title: String,
    /// The line, from 1, and its text with the secrets masked by the core.
    pub line: usize,
    pub text: String,
    #[cfg_attr(test, serde(default))]
    pub source: String,
    #[cfg_attr(test, serde(default))]
    pub evidence: String,
    /// Most likely first.
    #[cfg_attr(test, serde(default))]
    pub causes: Vec<CauseView>,
    /// The inputs (wire names) that would decide between the causes.
    #[cfg_attr(test, serde(default))]
    pub decide: Vec<String>,
    #[cfg_attr(test, serde(default))]
    pub fix: Option<FixView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct CauseView {
    /// The stable id (`ca-does-not-sign-chain`, …).
    pub cause: String,
    /// Where it lies: `dsn`, `ca`, `cert`, `key`, `serverCert`, `clientCa`, `serverSettings`,
    /// `pgHba`, `serverObjects` or `network`.
    pub input: String,
    /// The inputs show this is the cause.
    pub confirmed: bool,
    pub detail: String,
    #[cfg_attr(test, serde(default))]
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct FixView {
    pub title: String,
    #[cfg_attr(test, serde(default))]
    pub replacement: Option<String>,
}

/// The mark an input gets when the most likely cause of a pasted error lies in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMark {
    /// The cause's id (`data-error-cause`).
    pub cause: String,
    /// The cause in one sentence.
    pub text: String,
    pub confirmed: bool,
}

impl CauseView {
    /// The input of the page that holds this cause, by its wire name (`dsn` for the
    /// connection string), when it is one of the page's inputs.
    pub fn page_input(&self) -> Option<&str> {
        (self.input == "dsn" || Field::from_source(&self.input).is_some())
            .then_some(self.input.as_str())
    }

    /// The first sentence of the detail: what the mark at the input says.
    pub fn short(&self) -> String {
        let detail = self.detail.trim();
        let end = detail
            .match_indices(". ")
            .map(|(at, _)| at + 1)
            .next()
            .unwrap_or(detail.len());
        detail.get(..end).unwrap_or(detail).to_string()
    }
}

/// [`place_label`] in the client's terms where it names the file otherwise ("the CA
/// certificate (Prisma's `sslcert`)"; the core's `client_setting_name`).
pub fn place_label_for(input: &str, client: &str) -> String {
    let label = place_label(input);
    match pg_preflight_core::client_setting_name(client, input) {
        Some(name) => format!("{} ({name})", label.split(" (").next().unwrap_or(&label)),
        None => label,
    }
}

/// Where a cause lies, in words ("the CA certificate (sslrootcert)").
pub fn place_label(input: &str) -> String {
    if let Some(field) = Field::from_source(input) {
        return format!("the {}", field.describe());
    }
    match input {
        "dsn" => "the connection string",
        "serverSettings" => "the server's settings (postgresql.conf)",
        "pgHba" => "the server's pg_hba.conf",
        "serverObjects" => "the roles and databases on the server",
        "network" => "the network path (host, port, a proxy)",
        _ => "a place pg-preflight does not see",
    }
    .to_string()
}

/// The fix the page's own findings hold for `finding` (one of a report's `stringErrors`): the
/// same rule on the connection string with the same replacement. Applying that one keeps the
/// user's secrets in their dialect (it carries its edit; a fix read back from the errors
/// module does not), so a string error's fix is applied only when the page has it.
pub fn page_fix_for<'a>(page: &'a [Diagnostic], finding: &Diagnostic) -> Option<&'a Fix> {
    let wanted = finding.fix.as_ref()?.replacement.as_ref()?;
    page.iter()
        .filter(|d| d.code == finding.code && d.source.is_none())
        .filter_map(|d| d.fix.as_ref())
        .find(|fix| fix.replacement.as_ref() == Some(wanted))
}

impl ErrorView {
    /// The mark for the page input `input` (`dsn`, `ca`, …): from the first explanation whose
    /// most likely cause lies there.
    pub fn mark_for(&self, input: &str) -> Option<ErrorMark> {
        self.explanations
            .iter()
            .filter_map(|e| e.causes.first())
            .find(|c| c.page_input() == Some(input))
            .map(|c| ErrorMark {
                cause: c.cause.clone(),
                text: c.short(),
                confirmed: c.confirmed,
            })
    }
}
