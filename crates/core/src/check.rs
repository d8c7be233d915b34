//! A whole configuration checked at once: the connection string and every certificate and key
//! handed over with it. This is `pg-preflight check` and the JS `check()`: both front ends call
//! [`check`] and serialise the [`Report`] (DESIGN.md §3) as it is.

use crate::conninfo::dialect::{Dialect, Tri, Verdict};
use crate::conninfo::options::{HostKind, HostTarget};
use crate::conninfo::{self, Analysis, CheckOptions};
use crate::diagnostic::{sort_diagnostics, Diagnostic};
use crate::pki::intake::{Field, InputFormat};
use crate::pki::review::{self, CertificateSummary, Chains, ConnectionFacts, Material};
use crate::pki::shared_identity::ClientIdentity;
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

/// One named configuration's report in a [`SetReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedReport {
    pub name: String,
    #[serde(flatten)]
    pub report: Report,
}

/// Several configurations checked together: each one's report, plus what only the set shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetReport {
    pub configurations: Vec<NamedReport>,
    /// Findings across configurations (`PGP-CERT-014`), most important first.
    pub diagnostics: Vec<Diagnostic>,
}

impl SetReport {
    /// An error anywhere: in one configuration or across them.
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
            || self.configurations.iter().any(|c| c.report.has_errors())
    }

    /// Every finding: the set's own, then each configuration's.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .chain(
                self.configurations
                    .iter()
                    .flat_map(|c| &c.report.diagnostics),
            )
            .cloned()
            .collect()
    }
}

/// Checks every named configuration as [`check`] does, then compares them: the same client
/// certificate or key pair under two names is a finding of the set.
pub fn check_set(inputs: &[(&str, CheckInput<'_>)]) -> SetReport {
    let mut identities = Vec::new();
    let mut configurations = Vec::new();
    for (name, input) in inputs {
        let (report, identity) = check_with_identity(input);
        identities.push((*name, identity));
        configurations.push(NamedReport {
            name: (*name).to_string(),
            report,
        });
    }
    let mut diagnostics = crate::pki::shared_identity::check_shared_identity(&identities);
    sort_diagnostics(&mut diagnostics);
    SetReport {
        configurations,
        diagnostics,
    }
}

pub fn check(input: &CheckInput<'_>) -> Report {
    check_with_identity(input).0
}

/// The client certificate's fingerprint and the public keys of certificate and key.
fn client_identity(intakes: &[crate::pki::intake::Intake]) -> ClientIdentity {
    let first_of = |field: Field| intakes.iter().find(|i| i.field == field);
    let leaf = first_of(Field::ClientCert).and_then(|i| i.certificates().next());
    let key = first_of(Field::ClientKey)
        .and_then(|i| i.items.iter().find(|item| item.public_key.is_some()));
    let public_keys_sha256 = [leaf.map(|(item, _)| item), key]
        .into_iter()
        .flatten()
        .filter_map(|item| item.public_key.as_ref().and_then(|k| k.spki_sha256()))
        .collect();
    ClientIdentity {
        certificate_sha256: leaf.map(|(_, facts)| facts.fingerprint_sha256.clone()),
        public_keys_sha256,
    }
}

fn check_with_identity(input: &CheckInput<'_>) -> (Report, ClientIdentity) {
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
    let identity = client_identity(&pki.intakes);
    let report = Report {
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
    };
    (report, identity)
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

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki/");

    fn read(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}{name}")).unwrap_or_default()
    }

    fn with_cert(cert: &[u8]) -> CheckInput<'_> {
        CheckInput {
            material: Material {
                client_cert: Some(cert),
                ..Material::default()
            },
            ..CheckInput::default()
        }
    }

    fn cross_codes(set: &SetReport) -> Vec<&'static str> {
        set.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn a_set_finds_one_client_certificate_under_two_names() {
        let (rsa, ec, pkcs8) = (
            read("client.crt"),
            read("client-ec.crt"),
            read("client.pkcs8.key"),
        );
        let same = check_set(&[("prod", with_cert(&rsa)), ("staging", with_cert(&rsa))]);
        assert_eq!(cross_codes(&same), ["PGP-CERT-014"]);
        assert_eq!(
            same.configurations
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["prod", "staging"]
        );
        let different = check_set(&[("prod", with_cert(&rsa)), ("staging", with_cert(&ec))]);
        assert!(cross_codes(&different).is_empty());
        // The key of prod's certificate as staging's key: the same key pair.
        let key_only = CheckInput {
            material: Material {
                client_key: Some(&pkcs8),
                ..Material::default()
            },
            ..CheckInput::default()
        };
        let shared_key = check_set(&[("prod", with_cert(&rsa)), ("staging", key_only)]);
        assert_eq!(cross_codes(&shared_key), ["PGP-CERT-014"]);
    }
}
