//! Path building (RFC 4158 in spirit, RFC 5280 §6.1 for what a path is): from the leaf,
//! depth first, through untrusted intermediates to a trust anchor. The strict policy tries
//! every alternative; the libpq policy takes OpenSSL's single choice at each step.
//!
//! - **Candidates** for a certificate's issuer are the certificates whose subject equals its
//!   issuer Name. The strict policy compares the DER exactly (what rustls-webpki, Go and most
//!   verifiers do; RFC 5280 §7.1 asks for RFC 4518 string preparation, which in practice only
//!   matters for names re-encoded by hand). The libpq policy uses OpenSSL's canonical form
//!   (`X509_NAME_cmp`: case and white space folded) and, like OpenSSL's `check_issued`, drops
//!   candidates whose subjectKeyIdentifier contradicts the child's authorityKeyIdentifier.
//! - **Order** (strict): trust anchors first, then candidates whose subjectKeyIdentifier matches
//!   the child's authorityKeyIdentifier, then those valid at the validation time, then the
//!   latest notAfter, then input order. Duplicates (same DER) were merged before.
//! - **OpenSSL's choice** (libpq): `build_chain` with `X509_V_FLAG_TRUSTED_FIRST` looks in the
//!   trust store first, then among the untrusted certificates, and in each takes the first
//!   candidate valid at the validation time (else the one expiring last), in input order. It
//!   never comes back to try another, so a chain can fail under libpq although a valid path
//!   exists (a cross-signed intermediate listed before the one that leads to the trusted root);
//!   the libpq policy reproduces that, verified against libcrypto by
//!   `tests/pki/openssl-differential.py`.
//! - **Signatures** are verified while building, so a same-named certificate with another key
//!   is skipped rather than ending the search; results are cached per (child, issuer).
//! - **Anchors**: strict — any certificate from the trusted input ends the path (partial chains
//!   are fine). libpq — only a *self-signed* certificate from the trusted input ends it (OpenSSL
//!   without `X509_V_FLAG_PARTIAL_CHAIN`); after reaching a trusted certificate the search, like
//!   OpenSSL's `build_chain`, continues only through trusted certificates.
//! - **Loops** are cut: a certificate, or one with the same subject and key, appears at most
//!   once in a path.
//! - **Bounded work**: at most `max_signature_checks` signature verifications and
//!   `max_certificates` certificates per path; running out is reported, never a hang.
//!
//! Each complete path is handed to a callback that runs the checks; the first path that passes
//! wins. When none does, the dead ends met on the way explain why.

use super::model::ChainCert;
use super::signature::{self, SignatureError};
use super::Policy;
use crate::pki::time::UnixTime;
use std::borrow::Cow;
use std::collections::HashMap;

/// Where a certificate came from (1-based position in its input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Leaf,
    Untrusted(usize),
    Trusted(usize),
}

/// The certificates of one verification, deduplicated by DER. Index 0 is the leaf. They are
/// borrowed when the caller has already read them (a `check` verifies the same certificates
/// under both policies and for every host), owned when read from DER here.
#[derive(Debug, Clone)]
pub struct Pool<'c> {
    pub certs: Vec<Cow<'c, ChainCert>>,
    pub trusted: Vec<bool>,
    pub origin: Vec<Origin>,
}

impl<'c> Pool<'c> {
    pub fn new(leaf: Cow<'c, ChainCert>) -> Pool<'c> {
        Pool {
            certs: vec![leaf],
            trusted: vec![false],
            origin: vec![Origin::Leaf],
        }
    }

    /// Adds a certificate unless the same DER is already there (a trusted copy marks the
    /// existing entry trusted).
    pub fn add(&mut self, cert: Cow<'c, ChainCert>, trusted: bool, origin: Origin) {
        if let Some(i) = self.certs.iter().position(|c| c.der == cert.der) {
            if trusted {
                if let Some(t) = self.trusted.get_mut(i) {
                    *t = true;
                }
                if let Some(o) = self.origin.get_mut(i) {
                    if *o != Origin::Leaf {
                        *o = origin;
                    }
                }
            }
            return;
        }
        self.certs.push(cert);
        self.trusted.push(trusted);
        self.origin.push(origin);
    }

    pub fn cert(&self, i: usize) -> Option<&ChainCert> {
        self.certs.get(i).map(|cert| cert.as_ref())
    }

    pub fn is_trusted(&self, i: usize) -> bool {
        self.trusted.get(i).copied().unwrap_or(false)
    }
}

/// Work limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Signature verifications in total.
    pub max_signature_checks: usize,
    /// Certificates in one path, leaf and anchor included.
    pub max_certificates: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_signature_checks: 128,
            max_certificates: 12,
        }
    }
}

/// Why the search could not go on from a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadEnd {
    /// No certificate is named like its issuer (in the inputs the policy allows here).
    NoIssuer,
    /// Candidates exist but none verifies its signature.
    BadSignatures(Vec<(usize, SignatureError)>),
    /// libpq: certificates with the issuer's name exist, but their subjectKeyIdentifier (or
    /// serial) contradicts the child's authorityKeyIdentifier, so OpenSSL does not consider them.
    KeyIdMismatch(Vec<usize>),
}

/// The search state.
#[derive(Debug)]
pub struct Search<'a> {
    pool: &'a Pool<'a>,
    policy: Policy,
    at: UnixTime,
    limits: Limits,
    cache: HashMap<(usize, usize), Result<(), SignatureError>>,
    pub signature_checks: usize,
    pub exhausted: bool,
    pub too_long: bool,
    /// Partial paths the search could not extend, in the order met.
    pub dead_ends: Vec<(Vec<usize>, DeadEnd)>,
}

impl<'a> Search<'a> {
    pub fn new(pool: &'a Pool<'a>, policy: Policy, at: UnixTime, limits: Limits) -> Search<'a> {
        Search {
            pool,
            policy,
            at,
            limits,
            cache: HashMap::new(),
            signature_checks: 0,
            exhausted: false,
            too_long: false,
            dead_ends: Vec::new(),
        }
    }

    /// Explores paths from the leaf; `complete` is called with each complete path and returns
    /// true to stop (a valid path was found). Returns whether it stopped.
    pub fn run(&mut self, complete: &mut dyn FnMut(&[usize]) -> bool) -> bool {
        let mut path = vec![0];
        // libpq: a self-signed leaf that is itself in the trusted input is a complete chain.
        if self.policy == Policy::Libpq && self.pool.is_trusted(0) && self.self_signed_libpq(0) {
            return complete(&path);
        }
        // strict: a leaf that is its own trust anchor (self-issued and trusted).
        if self.policy == Policy::Strict
            && self.pool.is_trusted(0)
            && self.pool.cert(0).is_some_and(ChainCert::is_self_issued)
            && self.signature_ok(0, 0).is_ok()
            && complete(&path)
        {
            return true;
        }
        self.extend(&mut path, complete)
    }

    fn extend(
        &mut self,
        path: &mut Vec<usize>,
        complete: &mut dyn FnMut(&[usize]) -> bool,
    ) -> bool {
        let Some(&top) = path.last() else {
            return false;
        };
        let top_trusted = self.pool.is_trusted(top);
        match self.policy {
            Policy::Strict => {
                if path.len() > 1 && top_trusted {
                    return complete(path);
                }
            }
            Policy::Libpq => {
                if top_trusted && self.self_signed_libpq(top) {
                    return complete(path);
                }
            }
        }
        // libpq: past a trusted certificate, or from an untrusted self-signed one, only the
        // trusted input is searched.
        let trusted_only = self.policy == Policy::Libpq
            && (path.iter().skip(1).any(|&i| self.pool.is_trusted(i))
                || self.self_signed_libpq(top));
        let (candidates, key_id_mismatches) = self.candidates(top, path, trusted_only);
        if candidates.is_empty() {
            let dead_end = if key_id_mismatches.is_empty() {
                DeadEnd::NoIssuer
            } else {
                DeadEnd::KeyIdMismatch(key_id_mismatches)
            };
            self.dead_ends.push((path.clone(), dead_end));
            return false;
        }
        let mut bad = Vec::new();
        let mut extended = false;
        for candidate in candidates {
            if path.len() >= self.limits.max_certificates {
                self.too_long = true;
                continue;
            }
            match self.signature_ok(top, candidate) {
                Ok(()) => {}
                Err(Some(e)) => {
                    bad.push((candidate, e));
                    continue;
                }
                Err(None) => return false,
            }
            extended = true;
            path.push(candidate);
            if self.extend(path, complete) {
                return true;
            }
            path.pop();
            if self.exhausted {
                return false;
            }
        }
        if !extended && !bad.is_empty() {
            self.dead_ends
                .push((path.clone(), DeadEnd::BadSignatures(bad)));
        }
        false
    }

    /// Issuer candidates for `child`, best first, and (libpq) the same-named certificates ruled
    /// out by the authorityKeyIdentifier.
    fn candidates(
        &self,
        child: usize,
        path: &[usize],
        trusted_only: bool,
    ) -> (Vec<usize>, Vec<usize>) {
        let Some(child_cert) = self.pool.cert(child) else {
            return (Vec::new(), Vec::new());
        };
        let mut out: Vec<(u8, u8, u8, std::cmp::Reverse<UnixTime>, usize)> = Vec::new();
        let mut ruled_out = Vec::new();
        for (i, cand) in self.pool.certs.iter().enumerate() {
            if path.contains(&i) || (trusted_only && !self.pool.is_trusted(i)) {
                continue;
            }
            let named = match self.policy {
                Policy::Strict => cand.subject_der == child_cert.issuer_der,
                Policy::Libpq => cand.subject_canon == child_cert.issuer_canon,
            };
            if !named {
                continue;
            }
            // Loop detection: the same subject and key already in the path (other than the
            // leaf) is the same CA.
            let same_ca = path.iter().skip(1).any(|&p| {
                self.pool
                    .cert(p)
                    .is_some_and(|c| c.subject_der == cand.subject_der && c.spki == cand.spki)
            });
            if same_ca {
                continue;
            }
            let aki_rank = match (
                child_cert
                    .authority_key_id
                    .as_ref()
                    .and_then(|a| a.key_id.as_ref()),
                cand.subject_key_id.as_ref(),
            ) {
                (Some(a), Some(s)) if a == s => 0,
                (Some(_), Some(_)) => 2,
                _ => 1,
            };
            if self.policy == Policy::Libpq
                && (!akid_allows(child_cert, cand)
                    || !signature::fits_key(&child_cert.signature_algorithm, &cand.spki))
            {
                ruled_out.push(i);
                continue;
            }
            let trusted_rank = u8::from(!self.pool.is_trusted(i));
            let valid_rank = u8::from(!self.valid_now(cand));
            out.push((
                trusted_rank,
                aki_rank,
                valid_rank,
                std::cmp::Reverse(cand.not_after),
                i,
            ));
        }
        if self.policy == Policy::Libpq {
            let matches: Vec<usize> = out.iter().map(|&(.., i)| i).collect();
            return (self.openssl_pick(&matches, trusted_only), ruled_out);
        }
        crate::sort::sort(&mut out);
        (out.into_iter().map(|(.., i)| i).collect(), ruled_out)
    }

    fn valid_now(&self, cert: &ChainCert) -> bool {
        cert.not_before <= self.at && self.at <= cert.not_after
    }

    /// OpenSSL's choice among issuer candidates (`build_chain` with `X509_V_FLAG_TRUSTED_FIRST`,
    /// the default): a trusted candidate if there is one, else an untrusted one; within each,
    /// the first that is valid at the validation time, else the one expiring last. Both are
    /// searched in input order (the CA file's order, which the X509_STORE keeps for certificates
    /// of the same name, and the order the server sent its chain in; checked with libcrypto's
    /// `X509_verify_cert` directly). OpenSSL does not come back to try the others, so neither
    /// does the libpq policy: at most one candidate is returned.
    fn openssl_pick(&self, matches: &[usize], trusted_only: bool) -> Vec<usize> {
        let pick = |list: &[usize]| -> Option<usize> {
            if let Some(&first_valid) = list
                .iter()
                .find(|&&i| self.pool.cert(i).is_some_and(|c| self.valid_now(c)))
            {
                return Some(first_valid);
            }
            list.iter().copied().fold(None, |best: Option<usize>, i| {
                let later = match (best.and_then(|b| self.pool.cert(b)), self.pool.cert(i)) {
                    (Some(b), Some(c)) => c.not_after > b.not_after,
                    (None, Some(_)) => true,
                    _ => false,
                };
                if later {
                    Some(i)
                } else {
                    best
                }
            })
        };
        let mut trusted: Vec<usize> = matches
            .iter()
            .copied()
            .filter(|&i| self.pool.is_trusted(i))
            .collect();
        crate::sort::sort(&mut trusted);
        if let Some(t) = pick(&trusted) {
            return vec![t];
        }
        if trusted_only {
            return Vec::new();
        }
        let mut untrusted: Vec<usize> = matches
            .iter()
            .copied()
            .filter(|&i| !self.pool.is_trusted(i))
            .collect();
        crate::sort::sort(&mut untrusted);
        pick(&untrusted).into_iter().collect()
    }

    /// `Ok` when `issuer`'s key verifies `child`'s signature; `Err(None)` when the budget ran
    /// out.
    fn signature_ok(&mut self, child: usize, issuer: usize) -> Result<(), Option<SignatureError>> {
        if let Some(result) = self.cache.get(&(child, issuer)) {
            return result.clone().map_err(Some);
        }
        if self.signature_checks >= self.limits.max_signature_checks {
            self.exhausted = true;
            return Err(None);
        }
        let (Some(c), Some(i)) = (self.pool.cert(child), self.pool.cert(issuer)) else {
            return Err(None);
        };
        self.signature_checks += 1;
        let result = signature::verify(&c.signature_algorithm, &c.tbs, &c.signature, &i.spki);
        self.cache.insert((child, issuer), result.clone());
        result.map_err(Some)
    }

    /// OpenSSL's `EXFLAG_SS`: subject equals issuer (canonically), the authorityKeyIdentifier
    /// (if any) points at the certificate itself, and its signature algorithm fits its own key
    /// type. The signature itself is not checked (`X509_self_signed(cert, 0)`).
    pub fn self_signed_libpq(&self, i: usize) -> bool {
        self.pool.cert(i).is_some_and(|c| {
            c.is_self_issued_canon()
                && akid_allows(c, c)
                && signature::fits_key(&c.signature_algorithm, &c.spki)
        })
    }
}

/// OpenSSL's `X509_check_akid`: a keyIdentifier that contradicts the candidate's
/// subjectKeyIdentifier, or an authorityCertSerialNumber that is not the candidate's serial,
/// rules the candidate out.
pub fn akid_allows(child: &ChainCert, candidate: &ChainCert) -> bool {
    let Some(aki) = &child.authority_key_id else {
        return true;
    };
    if let (Some(k), Some(s)) = (&aki.key_id, &candidate.subject_key_id) {
        if k != s {
            return false;
        }
    }
    if let Some(serial) = &aki.serial {
        if *serial != candidate.serial {
            return false;
        }
    }
    true
}
