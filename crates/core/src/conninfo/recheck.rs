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

/// Most fixes of rejections one fix is chained with, and most rejections with fixes a string
/// may have for the chaining to run: each link is one more analysis of the string.
const MOST_CHAINED_FIXES: usize = 4;

/// A fix that leaves the string's rejections in it is chained with their fixes, so that its
/// replacement connects: Neon's `?sslmode=require&channel_binding=require` under SQLAlchemy's
/// asyncpg dialect is refused for each key, and each key's fix alone left the other's refusal
/// (an outside review); pgjdbc's rename of `channel_binding` left `sslrootcert=system`
/// refused. The fixes chained from are the rejections' and the drivers' own findings' (an
/// ignored parameter's rename); only fixes written in the dialect's own syntax (no libpq
/// `changes`, which the page renders again), no paste's and none removing a secret are
/// chained. The chained replacement is then checked as any other
/// ([`withdraw_unclean_fixes`]).
pub fn chain_rejection_fixes(analysis: &mut Analysis, options: &CheckOptions) {
    // A paste's fix is the string as meant, whatever it holds: its own findings follow it.
    let own_fix = |d: &Diagnostic| {
        d.fix.as_ref().is_some_and(|f| {
            f.replacement.is_some()
                && f.changes.is_empty()
                && !f.recovers_paste
                && f.removes_secret.is_none()
        })
    };
    let chainable = |d: &Diagnostic| d.is_error() && own_fix(d);
    let chained_from = |d: &Diagnostic| own_fix(d) && (d.is_error() || d.code.starts_with("PGP-DRIVER-"));
    let rejections = analysis.diagnostics.iter().filter(|d| chainable(d)).count();
    let starts = analysis.diagnostics.iter().filter(|d| chained_from(d)).count();
    if !(1..=MOST_CHAINED_FIXES).contains(&rejections) || starts > 2 * MOST_CHAINED_FIXES {
        return;
    }
    let dialect = analysis.dialect;
    for diagnostic in analysis.diagnostics.iter_mut().filter(|d| chained_from(d)) {
        let Some(fix) = diagnostic.fix.as_mut() else {
            continue;
        };
        let Some(mut text) = fix.replacement.clone() else {
            continue;
        };
        let mut then: Vec<String> = Vec::new();
        for _ in 0..MOST_CHAINED_FIXES {
            let again = analyze_unchecked(&text, Some(dialect), options);
            // Any rejection with a fix, one the original showed or one a fix uncovered (a
            // scheme's fix leaves asyncpg's `sslmode`, which the original's reader never got
            // to): the chained replacement is checked as any other afterwards.
            let next = again
                .diagnostics
                .iter()
                .filter(|d| chainable(d))
                .find_map(|d| d.fix.as_ref());
            let Some((title, replacement)) =
                next.and_then(|f| Some((f.title.clone(), f.replacement.clone()?)))
            else {
                break;
            };
            // "Call the argument ssl; then remove channel_binding".
            let mut chars = title.chars();
            then.push(
                chars
                    .next()
                    .map(|first| first.to_lowercase().chain(chars).collect())
                    .unwrap_or_default(),
            );
            text = replacement;
        }
        if !then.is_empty() {
            fix.title = format!("{}; then {}", fix.title, then.join("; then "));
            fix.replacement = Some(text);
        }
    }
}

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
    let again = crate::diagnostic::findings_only(|| {
        analyze_unchecked(replacement, Some(analysis.dialect), options)
    });
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

#[cfg(test)]
mod chain_tests {
    use crate::conninfo::dialect::Dialect;
    use crate::conninfo::{analyze, CheckOptions};
    use crate::diagnostic::fix_of;

    /// Neon's console string under SQLAlchemy's asyncpg dialect: `sslmode` and
    /// `channel_binding` are each refused by `asyncpg.connect()`; each fix carries the other's,
    /// and the string it writes connects (no error left).
    #[test]
    fn each_rejection_fix_carries_the_others() {
        let input = "postgresql+asyncpg://app:Zq9XWk7V@ep-cool-rain-123456.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require";
        let options = CheckOptions::default();
        let analysis = analyze(input, Some(Dialect::Sqlalchemy), &options);
        let fixed = "postgresql+asyncpg://app@ep-cool-rain-123456.us-east-2.aws.neon.tech/neondb?ssl=require";
        for (code, title) in [
            ("PGP-DRIVER-025", "Call the argument ssl; then remove channel_binding"),
            ("PGP-DRIVER-003", "Remove channel_binding; then call the argument ssl"),
        ] {
            let fix = fix_of(&analysis.diagnostics, code).unwrap_or_else(|| panic!("no {code}"));
            assert_eq!(fix.title, title);
            assert_eq!(fix.replacement.as_deref(), Some(fixed));
        }
        let again = analyze(fixed, Some(Dialect::Sqlalchemy), &options);
        assert!(
            again.diagnostics.iter().all(|d| !d.is_error()),
            "{:?}",
            again.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
        );
    }

    /// A driver expert's cases: a rejection's fix keeps TLS instead of removing its switch,
    /// leaves no second `ssl`, and carries the rejection a scheme's fix uncovers.
    #[test]
    fn rejection_fixes_keep_tls_and_connect() {
        let cases = [
            (
                "postgresql+asyncpg://u:pw@h.example.com/db?sslmode=verify-full&ssl=true",
                "PGP-DRIVER-025",
                "postgresql+asyncpg://u@h.example.com/db?ssl=verify-full",
            ),
            (
                "postgres+asyncpg://u:pw@h.example.com/db?sslmode=require",
                "PGP-DRIVER-024",
                "postgresql+asyncpg://u@h.example.com/db?ssl=require",
            ),
            (
                "postgresql+psycopg://u:pw@h.example.com/db?ssl=true&sslrootcert=/certs/ca.pem",
                "PGP-DRIVER-003",
                "postgresql+psycopg://u@h.example.com/db?sslmode=verify-full&sslrootcert=/certs/ca.pem",
            ),
            (
                "postgresql+asyncpg://u:pw@h.example.com/db?ssl=true",
                "PGP-DRIVER-003",
                "postgresql+asyncpg://u@h.example.com/db?ssl=require",
            ),
        ];
        for (input, code, fixed) in cases {
            assert_fix_connects(input, Dialect::Sqlalchemy, code, fixed);
        }
        // pgjdbc: renaming an ignored `channel_binding` carries the rejection of
        // `sslrootcert=system` too.
        assert_fix_connects(
            "jdbc:postgresql://ep-cool-rain-123456.us-east-2.aws.neon.tech/dbname?user=alex&sslmode=verify-full&sslrootcert=system&channel_binding=require",
            Dialect::Jdbc,
            "PGP-DRIVER-002",
            "jdbc:postgresql://ep-cool-rain-123456.us-east-2.aws.neon.tech/dbname?user=alex&sslmode=verify-full&channelBinding=require&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory",
        );
    }

    /// The fix of `code` for `input` read as `dialect` writes `fixed`, which has no error.
    fn assert_fix_connects(input: &str, dialect: Dialect, code: &str, fixed: &str) {
        let options = CheckOptions::default();
        let analysis = analyze(input, Some(dialect), &options);
        let fix = fix_of(&analysis.diagnostics, code).unwrap_or_else(|| panic!("no {code}: {input}"));
        assert_eq!(fix.replacement.as_deref(), Some(fixed), "{input}");
        let again = analyze(fixed, Some(dialect), &options);
        assert!(again.diagnostics.iter().all(|d| !d.is_error()), "{fixed}");
    }
}

#[cfg(test)]
mod parameter_fix_tests {
    use crate::conninfo::dialect::Dialect;
    use crate::conninfo::{analyze, CheckOptions};

    /// A string of more parameters a driver ignores (or libpq refuses, under SQLAlchemy's
    /// psycopg) than fixes are written for: the first ten each get a replacement without
    /// their own key, which re-checks clean; the rest the same fix as advice. Every one is
    /// still found.
    #[test]
    fn fixes_are_written_for_the_first_parameters_only() {
        let query: String = (0..14).map(|k| format!("&k{k}=v{k}")).collect();
        let url = format!("postgresql://app@db.example.com:5432/app?sslmode=verify-full{query}");
        let cases = [
            (url.clone(), Dialect::Prisma),
            (url.clone(), Dialect::NodePostgres),
            (url.clone(), Dialect::Sqlalchemy),
            (
                format!("jdbc:postgresql://db.example.com:5432/app?user=app&sslmode=verify-full{query}"),
                Dialect::Jdbc,
            ),
        ];
        for (input, dialect) in cases {
            let analysis = analyze(&input, Some(dialect), &CheckOptions::default());
            for k in 0..14 {
                let element = format!("&k{k}=v{k}");
                let title = format!("Remove k{k}");
                let fix = analysis
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.fix.as_ref())
                    .find(|f| f.title == title)
                    .unwrap_or_else(|| panic!("{dialect:?}: no `{title}`"));
                assert_eq!(fix.withdrawn, None, "{dialect:?} {title}");
                match fix.replacement.as_deref() {
                    Some(replacement) => {
                        assert!(k < 10, "{dialect:?}: {title} has a replacement");
                        assert!(!replacement.contains(&element), "{dialect:?} {replacement}");
                        assert!(replacement.contains("&k13=v13") || k == 13, "{replacement}");
                    }
                    None => assert!(k >= 10, "{dialect:?}: {title} has none"),
                }
            }
        }
    }
}
