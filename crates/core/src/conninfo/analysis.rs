//! What an analysis of one connection string returns, and the context it may use beyond the
//! string. Plain data, below every step that produces or reads it.

use super::dialect::{Dialect, Verdict};
use super::options::HostTarget;
use super::redact;
use crate::diagnostic::Diagnostic;
use serde::Serialize;
use std::collections::BTreeMap;

impl Analysis {
    /// `params` as they may be shown to a person (the CLI's `conninfo --json`): each secret
    /// setting's value the fixed mask, and a secret written inside another value (`-c
    /// password=…` in `options`, a URL in `application_name`) masked there. `params` itself
    /// keeps the values for the API caller, whose own data they are; a terminal or a CI log is
    /// not such a caller (an outside review found `conninfo --json` printing the password).
    /// libpq marks the same keywords for hiding (`dispchar` `*` in `PQconndefaults`).
    pub fn params_shown(&self) -> Option<BTreeMap<String, String>> {
        let params = self.params.as_ref()?;
        Some(
            params
                .iter()
                .map(|(key, value)| {
                    // Secret keys in any driver's spelling, as the lenient finders read them,
                    // also at the end of a key a driver made longer: asyncpg's
                    // `server_settings.Password`, pgx's `jdbc:…?password` of a JDBC URL read
                    // as keyword/value, or a key holding a password's rest after a space.
                    let secret = key
                        .rsplit(['.', '?', '&', ';', ' '])
                        .next()
                        .is_some_and(super::embedded::secret_key)
                        || super::embedded::secret_key(key);
                    let (shown_key, value) = self
                        .params_with_pieces
                        .get(key)
                        .map_or((key, value), |(k, v)| (k, v));
                    let shown = if secret && !value.is_empty() {
                        redact::REDACTED.to_string()
                    } else {
                        super::embedded::without_embedded_secrets(value)
                    };
                    (shown_key.clone(), shown)
                })
                .collect(),
        )
    }
}

/// Everything pg-preflight learned from one connection string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// False when the driver (for libpq: `PQconninfoParse`) rejects the string outright.
    pub valid: bool,
    pub dialect: Dialect,
    /// Whether the dialect was detected rather than given.
    pub detected: bool,
    /// For libpq: exactly what `PQconninfoParse` returns (keyword → decoded value). For other
    /// drivers: the parameters as that driver reads them. `None` when invalid.
    pub params: Option<BTreeMap<String, String>>,
    /// libpq's host list (after translation for other drivers).
    pub hosts: Vec<HostTarget>,
    pub diagnostics: Vec<Diagnostic>,
    /// What the driver will actually do about TLS.
    pub verdict: Option<Verdict>,
    /// The equivalent libpq connection string, secrets redacted; `None` when there is none.
    pub libpq_equivalent: Option<String>,
    /// Where the input's secrets sit, so that outputs built later from this analysis (the
    /// snippets) can mask an echo of one. Never serialised.
    #[serde(skip)]
    pub secret_sites: Vec<redact::SecretSite>,
    /// The `params` whose key or value holds a piece of a secret of the input, by key, with
    /// the piece masked where it stands: a reader that splits a password makes a host, port
    /// or database name of its pieces (libpq reads `postgres://app:Zq9X/Wk7V@db/x` as host
    /// `app`, port `Zq9X` and dbname `Wk7V@db/x`), or a key (pgx reads `password=Zq9X Wk7V
    /// sslmode=require` with a key `Wk7V sslmode`). Filled where the input is known
    /// (`unchecked::scrub_secrets`, a recovered paste's original in `conninfo::analyze`, and
    /// the last step, `unchecked::mask_copied_pieces`) and read by [`Analysis::params_shown`].
    /// Never serialised.
    #[serde(skip)]
    pub params_with_pieces: BTreeMap<String, (String, String)>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }
}

/// Context the security checks may use beyond the string itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// A CA certificate file was supplied alongside the string (e.g. `--ca`).
    pub ca_supplied: bool,
    /// A client certificate was supplied alongside the string.
    pub client_cert_supplied: bool,
}
