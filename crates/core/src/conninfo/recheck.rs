//! A fix is only offered when it holds: its replacement, checked again in the same dialect,
//! parses, raises no error the original lacked (a placeholder path aside, which the user is
//! told to replace), no longer raises the finding it fixes, and leaves the connection no less
//! protected (encryption, server and host-name verification, plaintext fallback). A
//! replacement that fails is withdrawn and the fix stays as advice, with the reason kept in
//! [`Fix::withdrawn`] for the tests, which require there to be none across the corpora.
//!
//! [`Fix::withdrawn`]: crate::diagnostic::Fix::withdrawn

use super::dialect::{Tri, Verdict};
use super::{analyze_unchecked, Analysis, CheckOptions};
use crate::diagnostic::{Diagnostic, Severity};

/// The finding a fix is about is still there: the same code with the same detail, or the code
/// no fewer times than before (a finding raised once per parameter is fixed one at a time).
fn still_raised(fixed: &Diagnostic, original: &[Diagnostic], again: &Analysis) -> bool {
    let count = |list: &[Diagnostic]| list.iter().filter(|d| d.code == fixed.code).count();
    again
        .diagnostics
        .iter()
        .any(|d| d.code == fixed.code && d.detail == fixed.detail)
        || count(&again.diagnostics) >= count(original)
}

/// Errors a replacement may add: the placeholder path a fix writes where only the user knows
/// the file (`PGP-SSL-112`).
const ALLOWED_NEW_ERRORS: &[&str] = &["PGP-SSL-112"];

/// Checks every fix of `analysis` again and withdraws the replacements that do not hold.
pub fn withdraw_unclean_fixes(analysis: &mut Analysis, options: &CheckOptions) {
    let problems: Vec<(usize, String)> = analysis
        .diagnostics
        .iter()
        .enumerate()
        .filter_map(|(index, fixed)| {
            let replacement = fixed.fix.as_ref()?.replacement.as_deref()?;
            Some((index, check_fix(analysis, fixed, replacement, options)?))
        })
        .collect();
    for (index, problem) in problems {
        if let Some(fix) = analysis
            .diagnostics
            .get_mut(index)
            .and_then(|d| d.fix.as_mut())
        {
            fix.replacement = None;
            fix.withdrawn = Some(problem);
        }
    }
}

/// Why `replacement` is not a clean fix of `fixed`, one of `analysis`'s findings: the
/// replacement analysed again in the same dialect and judged by [`problem`]. The one check
/// `withdraw_unclean_fixes`, the fix round-trip test and the fuzz target all make.
pub fn check_fix(
    analysis: &Analysis,
    fixed: &Diagnostic,
    replacement: &str,
    options: &CheckOptions,
) -> Option<String> {
    let original_errors: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code)
        .collect();
    let again = analyze_unchecked(replacement, Some(analysis.dialect), options);
    problem(
        fixed,
        &analysis.diagnostics,
        analysis.valid,
        &original_errors,
        analysis.verdict.as_ref(),
        &again,
    )
}

/// Why `again` (the replacement's analysis) is not a clean fix of `fixed`, a finding of
/// `original`.
pub fn problem(
    fixed: &Diagnostic,
    original: &[Diagnostic],
    original_valid: bool,
    original_errors: &[&str],
    original_verdict: Option<&Verdict>,
    again: &Analysis,
) -> Option<String> {
    if !again.valid {
        return Some(parse_failure(again));
    }
    if still_raised(fixed, original, again) {
        return Some(format!("the replacement still raises {}", fixed.code));
    }
    // A string the driver rejected had no review: whatever the review of the repaired string
    // finds was there all along, not added by the fix. Likewise a connection that was refused
    // had no protection to weaken.
    if !original_valid {
        return None;
    }
    if let Some(new) = again.diagnostics.iter().find(|d| {
        d.is_error() && !original_errors.contains(&d.code) && !ALLOWED_NEW_ERRORS.contains(&d.code)
    }) {
        return Some(format!("the replacement raises the error {}", new.code));
    }
    if let (Some(before), Some(after)) = (original_verdict, again.verdict.as_ref()) {
        if !refuses(before) {
            if let Some(weaker) = weaker(before, after) {
                return Some(format!("the replacement is weaker: {weaker}"));
            }
        }
    }
    None
}

fn parse_failure(again: &Analysis) -> String {
    let why = again
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .map_or("", |d| d.code);
    format!("the replacement does not parse ({why})")
}

/// The verdict of a connection the driver refuses (an invalid `sslmode`, a setting the
/// server rejects): not encrypted, and no plaintext fallback either, because nothing connects.
fn refuses(verdict: &Verdict) -> bool {
    verdict.encrypted == Tri::No && !verdict.plaintext_fallback
}

fn rank(value: Tri) -> u8 {
    match value {
        Tri::No => 0,
        Tri::Maybe => 1,
        Tri::Yes => 2,
    }
}

/// Which guarantee `after` loses compared with `before`.
pub fn weaker(before: &Verdict, after: &Verdict) -> Option<&'static str> {
    if rank(after.encrypted) < rank(before.encrypted) {
        return Some("encryption");
    }
    if rank(after.server_verified) < rank(before.server_verified) {
        return Some("server verification");
    }
    if rank(after.hostname_verified) < rank(before.hostname_verified) {
        return Some("host-name verification");
    }
    if after.plaintext_fallback && !before.plaintext_fallback {
        return Some("plaintext fallback");
    }
    None
}
