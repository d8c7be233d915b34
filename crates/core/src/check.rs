//! A whole configuration checked at once: the connection string and every certificate and key
//! handed over with it. This is `pg-preflight check` and the JS `check()`: both front ends call
//! [`check`] and serialise the [`Report`] (DESIGN.md §3) as it is.

use crate::conninfo::dialect::{Dialect, Tri, Verdict};
use crate::conninfo::options::{HostKind, HostTarget};
use crate::conninfo::{self, Analysis, CheckOptions};
use crate::diagnostic::{sort_diagnostics, Diagnostic};
use crate::input::CheckRequest;
use crate::pki::intake::{Field, InputFormat};
use crate::pki::review::{self, CertificateSummary, Chains, ConnectionFacts, Material};
use crate::pki::shared_identity::ClientIdentity;
use crate::pki::time::UnixTime;
use serde::{Deserialize, Serialize};

/// What to check. `now` is seconds since the Unix epoch (the core never reads the clock).
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckInput<'a> {
    pub dsn: Option<&'a str>,
    /// `None` detects the dialect.
    pub driver: Option<Dialect>,
    pub material: Material<'a>,
    pub now: UnixTime,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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

/// What the certificate review needs to know of the connection string: the user and the host
/// names to verify, and `sslrootcert` (`system` changes what a CA file means).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionContext {
    pub facts: ConnectionFacts,
    pub sslrootcert: Option<String>,
}

/// The certificate and key texts of `request` as the review reads them (a text's bytes; the
/// page's binary files arrive as base64 text, which intake reads as DER).
pub fn material_of(request: &CheckRequest) -> Material<'_> {
    let mut material = Material {
        key_passphrase: request.key_passphrase.as_deref().map(str::as_bytes),
        ..Material::default()
    };
    for field in Field::ALL {
        *material.slot(field) = request.slot(field).map(str::as_bytes);
    }
    material
}

/// What the page's first WebAssembly module asks its second to review (`reviewMaterial`): the
/// certificate and key texts, what the connection string says they are checked against, and
/// the time. One type on both sides; unknown fields are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReviewRequest {
    pub material: CheckRequest,
    pub context: ConnectionContext,
    /// Seconds since the Unix epoch.
    pub now: UnixTime,
}

/// The certificate and key half of a [`Report`]: what [`review_material`] finds, ready to be
/// joined with the connection string's analysis by [`assemble`]. It crosses from the page's
/// second WebAssembly module to its first as the JSON-shaped value it serialises to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MaterialReport {
    pub diagnostics: Vec<Diagnostic>,
    /// With each certificate's card facts, which the report's JSON leaves out.
    #[serde(with = "certificate_cards")]
    pub certificates: Vec<CertificateSummary>,
    pub key_match: Option<bool>,
    pub chains: Chains,
    pub inputs: Vec<InputSummary>,
}

/// `CertificateSummary` with its `facts`, as `{summary, facts}` pairs.
mod certificate_cards {
    use crate::pki::cert::CertFacts;
    use crate::pki::review::CertificateSummary;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize)]
    struct CardRef<'a> {
        summary: &'a CertificateSummary,
        facts: &'a CertFacts,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Card {
        summary: CertificateSummary,
        facts: CertFacts,
    }

    pub fn serialize<S: Serializer>(
        certificates: &[CertificateSummary],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(certificates.iter().map(|summary| CardRef {
            summary,
            facts: &summary.facts,
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<CertificateSummary>, D::Error> {
        let cards = Vec::<Card>::deserialize(deserializer)?;
        Ok(cards
            .into_iter()
            .map(|card| CertificateSummary {
                facts: card.facts,
                ..card.summary
            })
            .collect())
    }
}

/// The connection-string half of [`check`]: the analysis (once) and what the certificate
/// review needs from it. `material` is read only for which inputs are present.
pub fn analyze_connection(
    dsn: Option<&str>,
    driver: Option<Dialect>,
    material: &Material<'_>,
) -> (Option<Analysis>, ConnectionContext) {
    let options = CheckOptions {
        ca_supplied: material.root_cert.is_some(),
        client_cert_supplied: material.client_cert.is_some(),
    };
    let analysis = dsn.map(|dsn| conninfo::analyze(dsn, driver, &options));
    let params = analysis.as_ref().and_then(|a| a.params.as_ref());
    let context = ConnectionContext {
        facts: ConnectionFacts {
            user: params.and_then(|p| p.get("user").cloned()),
            verify_hosts: analysis.as_ref().map(hosts_to_verify).unwrap_or_default(),
        },
        sslrootcert: params.and_then(|p| p.get("sslrootcert").cloned()),
    };
    (analysis, context)
}

/// The certificate half of [`check`]. With no material at all it finds nothing (a test holds
/// this), so the page skips it then.
pub fn review_material(
    material: &Material<'_>,
    context: &ConnectionContext,
    now: UnixTime,
) -> MaterialReport {
    review_material_with_identity(material, context, now).0
}

fn review_material_with_identity(
    material: &Material<'_>,
    context: &ConnectionContext,
    now: UnixTime,
) -> (MaterialReport, ClientIdentity) {
    let pki = review::review_certificates(material, &context.facts, now);
    let mut diagnostics = pki.diagnostics.clone();
    diagnostics.extend(crate::pki::system_roots::check_against_system_roots(
        context.sslrootcert.as_deref(),
        &pki.intakes,
    ));
    let identity = client_identity(&pki.intakes);
    let report = MaterialReport {
        diagnostics,
        certificates: pki.certificates,
        key_match: pki.key_match,
        chains: pki.chains,
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

/// Joins the two halves into the report [`check`] returns, findings in order.
pub fn assemble(analysis: Option<Analysis>, material: MaterialReport) -> Report {
    let mut diagnostics: Vec<Diagnostic> = analysis
        .as_ref()
        .map(|a| a.diagnostics.clone())
        .unwrap_or_default();
    diagnostics.extend(material.diagnostics);
    sort_diagnostics(&mut diagnostics);
    Report {
        diagnostics,
        certificates: material.certificates,
        key_match: material.key_match,
        chains: material.chains,
        connection: analysis.map(|a| ConnectionSummary {
            valid: a.valid,
            dialect: a.dialect,
            detected: a.detected,
            hosts: a.hosts,
            verdict: a.verdict,
            libpq_equivalent: a.libpq_equivalent,
        }),
        inputs: material.inputs,
    }
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
    let (analysis, context) = analyze_connection(input.dsn, input.driver, &input.material);
    let (material, identity) = review_material_with_identity(&input.material, &context, input.now);
    (assemble(analysis, material), identity)
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

    /// What reading back loses on purpose: the known-CA labels of the card facts (the
    /// summary's own `known_ca` carries them).
    fn without_fact_labels(mut report: MaterialReport) -> MaterialReport {
        for certificate in &mut report.certificates {
            certificate.facts.known_ca = None;
            certificate.facts.issued_by_known_ca = None;
        }
        report
    }

    #[test]
    fn a_material_report_reads_back_as_it_was_written() {
        let (root, client, key, server) = (
            read("root.crt"),
            read("client-with-intermediate.crt"),
            read("client.pkcs1.key"),
            read("server.crt"),
        );
        let material = Material {
            root_cert: Some(&root),
            client_cert: Some(&client),
            client_key: Some(&key),
            server_chain: Some(&server),
            // A certificate where a key belongs: a finding with a source and a span.
            client_ca: Some(&key),
            ..Material::default()
        };
        let (analysis, context) = analyze_connection(
            Some("host=db.example.com user=app sslmode=verify-full sslrootcert=system"),
            None,
            &material,
        );
        let written = review_material(&material, &context, UnixTime::from_seconds(1_750_000_000));
        assert!(written.certificates.len() >= 3 && !written.diagnostics.is_empty());
        assert!(written.diagnostics.iter().any(|d| d.source.is_some()));
        let wire = serde_json::to_value(&written).unwrap();
        let read: MaterialReport = serde_json::from_value(wire).unwrap();
        assert_eq!(read, without_fact_labels(written.clone()));
        // The card facts cross too (the report's own JSON leaves them out).
        assert_eq!(
            read.certificates[0].facts.subject,
            written.certificates[0].subject
        );
        let whole = check(&CheckInput {
            dsn: Some("host=db.example.com user=app sslmode=verify-full sslrootcert=system"),
            driver: None,
            material,
            now: UnixTime::from_seconds(1_750_000_000),
        });
        assert_eq!(
            serde_json::to_value(assemble(analysis, read)).unwrap(),
            serde_json::to_value(whole).unwrap()
        );
    }

    #[test]
    fn a_finding_read_back_must_name_a_rule_and_an_input_that_exist() {
        let (_, context) = analyze_connection(None, None, &Material::default());
        let key = read("client.pkcs1.key");
        let material = Material {
            root_cert: Some(&key),
            ..Material::default()
        };
        let mut wire =
            serde_json::to_value(review_material(&material, &context, UnixTime::default()))
                .unwrap();
        wire["diagnostics"][0]["code"] = "PGP-NOPE-999".into();
        let error = serde_json::from_value::<MaterialReport>(wire.clone()).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("unknown rule code `PGP-NOPE-999`"),
            "{error}"
        );
        let mut wire =
            serde_json::to_value(review_material(&material, &context, UnixTime::default()))
                .unwrap();
        wire["diagnostics"][0]["source"] = "elsewhere".into();
        let error = serde_json::from_value::<MaterialReport>(wire).unwrap_err();
        assert!(
            error.to_string().contains("unknown variant `elsewhere`"),
            "{error}"
        );
    }

    #[test]
    fn no_material_means_no_certificate_findings_whatever_the_string_says() {
        // The page skips the second module when nothing but the string is given: that is only
        // right while an empty review finds nothing for any connection.
        for dsn in [
            "host=db.example.com user=app sslmode=verify-full sslrootcert=system",
            "postgresql://app@db.example.com/app?sslmode=verify-ca&sslrootcert=/etc/ca.pem",
            "host=/tmp sslmode=disable",
            "sslmode=require sslcert=/c.crt sslkey=/c.key",
        ] {
            let (_, context) = analyze_connection(Some(dsn), None, &Material::default());
            assert_eq!(
                review_material(
                    &Material::default(),
                    &context,
                    UnixTime::from_seconds(1_750_000_000)
                ),
                MaterialReport::default(),
                "{dsn}"
            );
        }
    }
}
