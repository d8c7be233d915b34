//! A whole configuration checked at once: the connection string and every certificate and key
//! handed over with it. This is `pg-preflight check` and the JS `check()`: both front ends call
//! [`check`] and serialise the [`Report`] (DESIGN.md §3) as it is.

use crate::conninfo::dialect::{Dialect, Tri, Verdict};
use crate::conninfo::options::{HostKind, HostTarget};
use crate::conninfo::{self, Analysis, CheckOptions};
use crate::diagnostic::{sort_diagnostics, Diagnostic};
use crate::pki::intake::{Field, InputFormat};
use crate::pki::review::{self, CertificateSummary, Chains, ConnectionFacts, Material};
use serde::Serialize;

/// What to check. `now` is seconds since the Unix epoch (the core never reads the clock).
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckInput<'a> {
    pub dsn: Option<&'a str>,
    /// `None` detects the dialect.
    pub driver: Option<Dialect>,
    pub material: Material<'a>,
    pub now: i64,
}

/// The connection part of a report: everything of the analysis but `params` (which may hold
/// the password) and the diagnostics (merged into the report's own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSummary {
    pub valid: bool,
    pub dialect: Dialect,
    pub detected: bool,
    pub hosts: Vec<HostTarget>,
    pub verdict: Option<Verdict>,
    pub libpq_equivalent: Option<String>,
}

/// What one input was recognised as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputSummary {
    pub field: Field,
    pub format: InputFormat,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Every finding, most important first.
    pub diagnostics: Vec<Diagnostic>,
    pub certificates: Vec<CertificateSummary>,
    pub key_match: Option<bool>,
    pub chains: Chains,
    pub connection: Option<ConnectionSummary>,
    pub inputs: Vec<InputSummary>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }

    /// Adds findings made outside the core (file permissions) and keeps the order.
    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(more);
        sort_diagnostics(&mut self.diagnostics);
    }
}

pub fn check(input: &CheckInput<'_>) -> Report {
    let material = &input.material;
    let options = CheckOptions {
        ca_supplied: material.root_cert.is_some(),
        client_cert_supplied: material.client_cert.is_some(),
    };
    let analysis = input
        .dsn
        .map(|dsn| conninfo::analyze(dsn, input.driver, &options));
    let facts = ConnectionFacts {
        user: analysis
            .as_ref()
            .and_then(|a| a.params.as_ref())
            .and_then(|p| p.get("user").cloned()),
        verify_hosts: analysis.as_ref().map(hosts_to_verify).unwrap_or_default(),
    };
    let pki = review::review(material, &facts, input.now);
    let sslrootcert = analysis
        .as_ref()
        .and_then(|a| a.params.as_ref())
        .and_then(|p| p.get("sslrootcert").cloned());
    let mut diagnostics: Vec<Diagnostic> = analysis
        .as_ref()
        .map(|a| a.diagnostics.clone())
        .unwrap_or_default();
    diagnostics.extend(pki.diagnostics.iter().cloned());
    diagnostics.extend(crate::pki::system_roots::review(
        sslrootcert.as_deref(),
        &pki.intakes,
    ));
    sort_diagnostics(&mut diagnostics);
    Report {
        diagnostics,
        certificates: pki.certificates,
        key_match: pki.key_match,
        chains: pki.chains,
        connection: analysis.map(|a| ConnectionSummary {
            valid: a.valid,
            dialect: a.dialect,
            detected: a.detected,
            hosts: a.hosts,
            verdict: a.verdict,
            libpq_equivalent: a.libpq_equivalent,
        }),
        inputs: pki
            .intakes
            .iter()
            .map(|i| InputSummary {
                field: i.field,
                format: i.format,
                summary: i.summary.clone(),
            })
            .collect(),
    }
}

/// The host names libpq checks the server certificate against: every TCP host when the
/// connection verifies host names (verify-full), none otherwise.
fn hosts_to_verify(analysis: &Analysis) -> Vec<String> {
    let verifies = analysis
        .verdict
        .as_ref()
        .is_some_and(|v| v.hostname_verified == Tri::Yes);
    if !verifies {
        return Vec::new();
    }
    let mut hosts: Vec<String> = analysis
        .hosts
        .iter()
        .filter(|h| matches!(h.kind, HostKind::Name | HostKind::Address))
        .filter_map(|h| h.host.clone().filter(|host| !host.is_empty()))
        .collect();
    hosts.dedup();
    hosts
}
