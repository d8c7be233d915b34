//! Certificate chains: build a path from a leaf through untrusted intermediates to a trust
//! anchor, verify every signature, and check it under one of two policies.
//!
//! ```text
//! verify(leaf, intermediates, trusted, options) -> ChainReport
//!   model::ChainCert::parse   every input, once (unreadable bundle entries → warnings);
//!                             verify_certs takes certificates the caller already read
//!   path::Search              depth-first path building, signatures checked on the way,
//!                             alternatives tried, work bounded
//!   checks::check_path        RFC 5280 §6.1 checks on each complete path; first clean path wins
//!   names::check_host         --host against the leaf (RFC 6125 or libpq's rules)
//!   rules::diagnostic         one diagnostic per ChainError, naming files and certificates
//! ```
//!
//! [`Policy::Strict`] (the default) is RFC 5280 path validation as x509-limbo expects: any
//! certificate of the trusted input is an anchor (partial chains are fine), the anchor's own
//! signature is not checked, profile rules are enforced, every alternative path is tried.
//! [`Policy::Libpq`] answers what libpq's OpenSSL (`X509_verify_cert` with the default TLS
//! client settings: purpose `sslserver`/`sslclient`, no partial chains, security level 1)
//! decides: the path must end at a self-signed certificate of the trusted input, OpenSSL's
//! issuer choice is reproduced (one candidate per step, no backtracking), and only the checks
//! OpenSSL makes apply. Both check the anchor's validity period.
//!
//! Pure: the validation time is a parameter; nothing here panics on any input.

pub mod checks;
pub mod constraints;
pub mod error;
pub mod link;
pub mod model;
pub mod names;
pub mod path;
pub mod policy;
pub mod rules;
pub mod signature;

use crate::diagnostic::{Diagnostic, Fix};
use crate::pki::time::UnixTime;
use model::{ChainCert, Unparseable};
use path::{DeadEnd, Origin, Pool, Search};
use serde::Serialize;
use signature::SignatureError;
use std::borrow::Cow;

pub use error::ChainError;
pub use link::{ChainLink, LinkKind};
pub use path::Limits;
pub use policy::{Labels, Policy, Purpose};
pub use rules::RULES;

/// Everything that decides a verification besides the certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Validation time, seconds since the Unix epoch.
    pub at: UnixTime,
    /// Host name or IP address the leaf must name (server certificates).
    pub host: Option<String>,
    /// Required purpose of the leaf; `None` checks no extendedKeyUsage.
    pub purpose: Option<Purpose>,
    pub policy: Policy,
    /// At most this many intermediates (self-issued ones not counted) between leaf and anchor.
    pub max_intermediates: Option<usize>,
    pub labels: Labels,
    pub limits: Limits,
}

impl VerifyOptions {
    pub fn new(at: UnixTime) -> VerifyOptions {
        VerifyOptions {
            at,
            host: None,
            purpose: None,
            policy: Policy::Strict,
            max_intermediates: None,
            labels: Labels::default(),
            limits: Limits::default(),
        }
    }
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub valid: bool,
    pub policy: Policy,
    /// SHA-256 fingerprints, leaf first: the valid path; when there is none, the best path
    /// examined (ending at an anchor if any path reached one, else as far as building got).
    pub path: Vec<String>,
    /// The subjects of `path`, for display.
    pub path_subjects: Vec<String>,
    /// What each certificate of `path` is (leaf, intermediate, trust anchor, a self-signed
    /// root that is not trusted, …), in the same order.
    pub links: Vec<ChainLink>,
    /// Every reason the path was rejected (empty when valid).
    pub errors: Vec<ChainError>,
    /// `errors` as diagnostics, plus warnings about unusable inputs.
    pub diagnostics: Vec<Diagnostic>,
    pub signature_checks: usize,
}

/// Verifies `leaf_der` against the `trusted` certificates, with `intermediates` available for
/// path building. Inputs are DER certificates in any order, duplicates allowed.
pub fn verify(
    leaf_der: &[u8],
    intermediates: &[&[u8]],
    trusted: &[&[u8]],
    options: &VerifyOptions,
) -> ChainReport {
    let read = |inputs: &[&[u8]]| -> Vec<Result<Cow<'static, ChainCert>, Unparseable>> {
        inputs
            .iter()
            .map(|der| ChainCert::parse(der).map(Cow::Owned))
            .collect()
    };
    verify_read(
        ChainCert::parse(leaf_der).map(Cow::Owned),
        read(intermediates),
        read(trusted),
        options,
    )
}

/// [`verify`] for certificates already read (as `check` reads each input once and verifies
/// it under both policies, for every host).
pub fn verify_certs<'c>(
    leaf: &'c ChainCert,
    intermediates: &[&'c ChainCert],
    trusted: &[&'c ChainCert],
    options: &VerifyOptions,
) -> ChainReport {
    fn borrow<'c>(certs: &[&'c ChainCert]) -> Vec<Result<Cow<'c, ChainCert>, Unparseable>> {
        certs.iter().map(|cert| Ok(Cow::Borrowed(*cert))).collect()
    }
    verify_read(
        Ok(Cow::Borrowed(leaf)),
        borrow(intermediates),
        borrow(trusted),
        options,
    )
}

fn verify_read<'c>(
    leaf: Result<Cow<'c, ChainCert>, Unparseable>,
    intermediates: Vec<Result<Cow<'c, ChainCert>, Unparseable>>,
    trusted: Vec<Result<Cow<'c, ChainCert>, Unparseable>>,
    options: &VerifyOptions,
) -> ChainReport {
    let policy = options.policy;
    let mut report = ChainReport {
        valid: false,
        policy,
        path: Vec::new(),
        path_subjects: Vec::new(),
        links: Vec::new(),
        errors: Vec::new(),
        diagnostics: Vec::new(),
        signature_checks: 0,
    };
    let mut warnings = Vec::new();
    let leaf = match leaf {
        Ok(leaf) => leaf,
        Err(e) => {
            report
                .errors
                .push(ChainError::LeafUnreadable { reason: e.0 });
            let has_untrusted = !intermediates.is_empty();
            return finish(report, options, &[Origin::Leaf], has_untrusted, warnings);
        }
    };
    let mut pool = Pool::new(leaf);
    let mut read =
        |inputs: Vec<Result<Cow<'c, ChainCert>, Unparseable>>, is_trusted: bool, label: &str| {
            for (n, cert) in inputs.into_iter().enumerate() {
                let origin = if is_trusted {
                    Origin::Trusted(n + 1)
                } else {
                    Origin::Untrusted(n + 1)
                };
                match cert {
                    Ok(cert) => pool.add(cert, is_trusted, origin),
                    Err(e) => warnings.push(Diagnostic::new(
                        &rules::RULE_UNUSABLE_INPUT,
                        format!(
                            "Certificate {} of {label} does not parse ({}); it was ignored.",
                            n + 1,
                            e.0
                        ),
                    )),
                }
            }
        };
    let has_untrusted = !intermediates.is_empty();
    read(trusted, true, &options.labels.trusted);
    read(intermediates, false, &options.labels.untrusted);

    let host_error = options.host.as_deref().and_then(|host| {
        pool.cert(0)
            .and_then(|leaf| names::check_host(leaf, host, policy).err())
    });

    if !pool.trusted.iter().any(|t| *t) {
        report.errors.push(ChainError::NoTrustAnchors);
        report.errors.extend(host_error);
        report.path = pool
            .cert(0)
            .map(|c| vec![c.fingerprint.clone()])
            .unwrap_or_default();
        report.path_subjects = pool
            .cert(0)
            .map(|c| vec![c.subject.clone()])
            .unwrap_or_default();
        report.links = link::links(&[LinkKind::Leaf], &options.labels);
        return finish(report, options, &[Origin::Leaf], has_untrusted, warnings);
    }

    let ctx = checks::Context {
        at: options.at,
        policy,
        purpose: options.purpose,
        max_intermediates: options.max_intermediates,
    };
    let mut winner: Option<Vec<usize>> = None;
    let mut first_failure: Option<(Vec<usize>, Vec<ChainError>)> = None;
    let mut search = Search::new(&pool, policy, options.at, options.limits);
    search.run(&mut |candidate: &[usize]| {
        let certs: Vec<&ChainCert> = candidate.iter().filter_map(|&i| pool.cert(i)).collect();
        let errors = checks::check_path(&certs, &ctx);
        if errors.is_empty() {
            winner = Some(candidate.to_vec());
            true
        } else {
            if first_failure.is_none() {
                first_failure = Some((candidate.to_vec(), errors));
            }
            false
        }
    });
    report.signature_checks = search.signature_checks;

    let no_complete_path = winner.is_none() && first_failure.is_none();
    let found_valid = winner.is_some();
    let (chosen, mut errors) = match (winner, first_failure) {
        (Some(path), _) => (path, Vec::new()),
        (None, Some((path, errors))) => (path, errors),
        (None, None) => dead_end_errors(&pool, &search, policy),
    };
    if !found_valid && search.exhausted {
        errors.push(ChainError::TooManyCandidates {
            signature_checks: search.signature_checks,
        });
    } else if no_complete_path && search.too_long {
        errors.push(ChainError::PathTooLong {
            max_certificates: options.limits.max_certificates,
        });
    }
    errors.extend(host_error);
    report.valid = errors.is_empty();
    report.errors = errors;
    report.path = chosen
        .iter()
        .filter_map(|&i| pool.cert(i).map(|c| c.fingerprint.clone()))
        .collect();
    report.path_subjects = chosen
        .iter()
        .filter_map(|&i| pool.cert(i).map(|c| c.subject.clone()))
        .collect();
    let origins: Vec<Origin> = chosen
        .iter()
        .filter_map(|&i| pool.origin.get(i).copied())
        .collect();
    let top = top_of(&pool, &chosen, !no_complete_path, policy);
    report.links = link::links(&link::kinds(report.path.len(), top), &options.labels);
    finish(report, options, &origins, has_untrusted, warnings)
}

/// What the top of the chosen path is: a complete path (one the checks ran on) ends at the
/// anchor the search accepted; an incomplete one at wherever building stopped.
fn top_of(pool: &Pool<'_>, chosen: &[usize], anchored: bool, policy: Policy) -> link::Top {
    let top = chosen.last().copied();
    let trusted = top.is_some_and(|t| pool.is_trusted(t));
    link::Top {
        anchored: anchored && trusted,
        trusted,
        self_signed: top
            .and_then(|t| pool.cert(t))
            .is_some_and(|c| self_issued(c, policy)),
    }
}

/// Self-issued as the policy compares names: exact DER under strict, OpenSSL's canonical form
/// under libpq (either one counts there, as `X509_check_issued` folds case and spaces).
fn self_issued(cert: &ChainCert, policy: Policy) -> bool {
    cert.is_self_issued() || (policy == Policy::Libpq && cert.is_self_issued_canon())
}

fn finish(
    mut report: ChainReport,
    options: &VerifyOptions,
    origins: &[Origin],
    has_untrusted: bool,
    warnings: Vec<Diagnostic>,
) -> ChainReport {
    let scene = rules::Scene {
        labels: &options.labels,
        policy: options.policy,
        origins,
        links: &report.links,
        has_untrusted,
    };
    report.diagnostics = report
        .errors
        .iter()
        .map(|e| rules::diagnostic(e, &scene))
        .collect();
    report.diagnostics.extend(warnings);
    report
}

/// When no path reached an anchor: the deepest dead end explains why.
fn dead_end_errors(
    pool: &Pool<'_>,
    search: &Search<'_>,
    policy: Policy,
) -> (Vec<usize>, Vec<ChainError>) {
    let best = search
        .dead_ends
        .iter()
        .fold(None::<&(Vec<usize>, DeadEnd)>, |best, d| match best {
            Some(b) if b.0.len() >= d.0.len() => Some(b),
            _ => Some(d),
        });
    let Some((partial, dead_end)) = best else {
        return (vec![0], Vec::new());
    };
    let index = partial.len().saturating_sub(1);
    let Some(top) = partial.last().and_then(|&t| pool.cert(t)) else {
        return (partial.clone(), Vec::new());
    };
    let top_trusted = partial.last().is_some_and(|&t| pool.is_trusted(t));
    let error = match dead_end {
        DeadEnd::NoIssuer => {
            if policy == Policy::Libpq && top_trusted {
                ChainError::OnlyIntermediateTrusted {
                    subject: top.subject.clone(),
                    issuer: top.issuer.clone(),
                }
            } else if self_issued(top, policy) {
                ChainError::SelfSignedNotTrusted {
                    index,
                    subject: top.subject.clone(),
                }
            } else {
                ChainError::UnknownIssuer {
                    index,
                    subject: top.subject.clone(),
                    issuer: top.issuer.clone(),
                }
            }
        }
        DeadEnd::KeyIdMismatch(candidates) => ChainError::BadSignature {
            index,
            subject: top.subject.clone(),
            issuer: candidates
                .first()
                .and_then(|&c| pool.cert(c))
                .map_or_else(|| top.issuer.clone(), |c| c.subject.clone()),
        },
        DeadEnd::BadSignatures(failures) => {
            let (candidate, failure) = failures
                .first()
                .map(|(c, f)| (pool.cert(*c), f.clone()))
                .unwrap_or((None, SignatureError::Invalid));
            let issuer = candidate.map_or_else(|| top.issuer.clone(), |c| c.subject.clone());
            match failure {
                SignatureError::Invalid | SignatureError::KeyMismatch { .. } => {
                    ChainError::BadSignature {
                        index,
                        subject: top.subject.clone(),
                        issuer,
                    }
                }
                SignatureError::UnsupportedAlgorithm { name, .. } => {
                    ChainError::UnsupportedSignatureAlgorithm {
                        index,
                        subject: top.subject.clone(),
                        algorithm: name,
                        reason: "pg-preflight does not verify this algorithm".into(),
                    }
                }
                SignatureError::BadParameters { name, reason } => {
                    ChainError::UnsupportedSignatureAlgorithm {
                        index,
                        subject: top.subject.clone(),
                        algorithm: name,
                        reason,
                    }
                }
                SignatureError::UnsupportedKey { algorithm, reason } => {
                    ChainError::UnsupportedKey {
                        index,
                        subject: top.subject.clone(),
                        issuer,
                        reason: format!("{algorithm} key: {reason}"),
                    }
                }
            }
        }
    };
    (partial.clone(), vec![error])
}

/// A warning when libpq and strict validation reach different verdicts (for `check`, which
/// reports both).
pub fn disagreement(strict: &ChainReport, libpq: &ChainReport) -> Option<Diagnostic> {
    if strict.valid == libpq.valid {
        return None;
    }
    let (accepts, rejects, rejecting) = if strict.valid {
        ("strict RFC 5280 validation", "libpq", libpq)
    } else {
        ("libpq", "strict RFC 5280 validation", strict)
    };
    let why = rejecting
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .map(|d| format!(" ({}: {})", d.code, d.detail))
        .unwrap_or_default();
    Some(
        Diagnostic::new(
            &rules::RULE_POLICY_DISAGREEMENT,
            format!("{accepts} accepts this chain but {rejects} rejects it{why}."),
        )
        .with_fix(Fix::advice(
            "Fix the chain so that both accept it if more than one kind of client connects",
        )),
    )
}
