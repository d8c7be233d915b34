//! Connection strings: libpq-exact parsing ([`syntax`]), libpq's value checks ([`options`]),
//! other drivers' dialects ([`dialect`]) and the security review ([`security`]).
//!
//! [`analyze`] is the one entry point the CLI and the browser call.

mod analysis;
pub mod dialect;
pub mod edit;
mod driver_keys;
pub mod embedded;
pub mod foreign;
pub mod keywords;
pub(crate) mod npgsql_keywords;
mod libpq;
pub mod options;
pub mod paste;
pub mod placeholder;
pub mod recheck;
pub mod redact;
pub mod security;
pub mod syntax;
mod unchecked;

pub use analysis::{Analysis, CheckOptions};
pub use libpq::{analyze_libpq, security_review};
pub use unchecked::analyze_unchecked;

use libpq::syntax_diagnostic;
use unchecked::masked;

use crate::diagnostic::sort_diagnostics;
use dialect::Dialect;

pub static RULES: &[&crate::registry::Rule] = &[&RULE_TOO_LONG];

/// The longest string checked. Real strings are far shorter (a cloud IAM or Entra ID token as
/// the password is 1–3 KB); a paste past this is something else (a log, a file), and checking
/// it would stall the page: an outside review measured 1.35 s for 200 KB and 111 s for 1 MB of
/// keyword/value pairs in Chromium.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;

rule!(
    RULE_TOO_LONG,
    "PGP-PARAM-013",
    Error,
    "Too long to be a connection string",
    "The text is longer than 64 KiB, far past any real connection string (a cloud access token \
used as the password is a few KB), so it was not checked: it is probably a log, a file or \
several strings pasted at once. Paste the one connection string alone.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING"]
);

/// Parses and reviews `input`, read as `driver` or, when `None`, as the detected dialect.
/// Every fix's replacement has been checked again in the same dialect ([`recheck`]).
pub fn analyze(input: &str, driver: Option<Dialect>, options: &CheckOptions) -> Analysis {
    if input.len() > MAX_INPUT_BYTES {
        return too_long(input, driver);
    }
    let mut analysis = match paste::recover(input) {
        Some(recovered) => analyze_recovered(input, &recovered, driver, options),
        None => analyze_unchecked(input, driver, options),
    };
    recheck::chain_rejection_fixes(&mut analysis, options);
    recheck::withdraw_unclean_fixes(&mut analysis, options);
    unchecked::mask_copied_pieces(input, &mut analysis);
    analysis
}

/// The one finding for a text past [`MAX_INPUT_BYTES`]: nothing of it is read (it is not
/// quoted, so no secret in it can show).
fn too_long(input: &str, driver: Option<Dialect>) -> Analysis {
    let detail = format!(
        "The text is {} KiB; connection strings are checked up to {} KiB.",
        input.len().div_ceil(1024),
        MAX_INPUT_BYTES / 1024
    );
    Analysis {
        valid: false,
        dialect: driver.unwrap_or(Dialect::Libpq),
        detected: false,
        params: None,
        hosts: Vec::new(),
        diagnostics: vec![crate::diagnostic::Diagnostic::new(&RULE_TOO_LONG, detail)],
        verdict: None,
        libpq_equivalent: None,
        secret_sites: Vec::new(),
        params_with_pieces: Default::default(),
    }
}

/// A broken paste: the string the user meant is analysed, its findings point back into what
/// was pasted, and each paste finding's fix is that string (secrets left out).
fn analyze_recovered(
    input: &str,
    recovered: &paste::Recovered,
    driver: Option<Dialect>,
    options: &CheckOptions,
) -> Analysis {
    let mut analysis = analyze_unchecked(&recovered.text, driver, options);
    for d in &mut analysis.diagnostics {
        d.span = d.span.map(|s| recovered.to_input(s));
    }
    // DESIGN §3: read as libpq, `valid` and `params` are what `PQconninfoParse` says of the
    // string as pasted, and its rejection carries libpq's own message; the findings and fixes
    // are about the string that was meant.
    if analysis.dialect == Dialect::Libpq {
        // libpq's own value checks (codes numbered below 100) are those of the string as
        // pasted, as libpq would report them when connecting with it.
        let libpq_own = |code: &str| {
            code.rsplit('-')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n < 100)
                && !code.starts_with("PGP-PASTE-")
        };
        analysis.diagnostics.retain(|d| !libpq_own(d.code));
        match syntax::parse(input) {
            Ok(conninfo) => {
                let (_, own) = options::check_values(&conninfo);
                analysis.diagnostics.extend(own);
                analysis.valid = true;
                // The host list too is libpq's reading of the string as pasted (`app:pw/x@db`
                // is host `app`), as `params` is.
                analysis.hosts = analyze_unchecked(input, Some(Dialect::Libpq), options).hosts;
                analysis.params = Some(crate::sort::string_map(
                    conninfo
                        .params
                        .iter()
                        .map(|p| (p.keyword.to_string(), p.value.clone())),
                ));
                analysis.params_with_pieces = unchecked::params_with_pieces(
                    input,
                    &redact::secret_span_finds(input, Some(&conninfo)),
                    analysis.params.as_ref(),
                );
            }
            Err(error) => {
                analysis.valid = false;
                analysis.params = None;
                analysis.hosts = Vec::new();
                analysis.diagnostics.push(syntax_diagnostic(input, &error));
            }
        }
    }
    // An unencoded character in a URL's user information stays in the string the user gives
    // their driver: whether it breaks that driver is told by the driver's reading of the
    // string as pasted, not by a list (SQLAlchemy's regular expression reads `#`, `?` and `/`
    // as written; node-postgres, pgx and Prisma find the host after the last `@`).
    let read_as_meant = (analysis.dialect != Dialect::Libpq
        && recovered.findings.iter().any(paste::is_unencoded_userinfo))
    .then(|| {
        let as_pasted = analyze_unchecked(input, Some(analysis.dialect), options);
        let as_meant = reads_as_meant(&as_pasted, &analysis);
        if !as_meant {
            take_reading_as_pasted(as_pasted, &mut analysis);
        }
        as_meant
    });
    let shown = match analysis.dialect {
        Dialect::Libpq => syntax::parse(&recovered.text)
            .ok()
            .map(|c| redact::render(&c)),
        other => dialect::render::secret_free(other, &recovered.text),
    };
    let fix = paste::fix(shown, !redact::secret_spans(&recovered.text, None).is_empty());
    for finding in &recovered.findings {
        let mut finding = finding.clone().with_fix(fix.clone());
        match read_as_meant.filter(|_| paste::is_unencoded_userinfo(&finding)) {
            Some(true) => {
                finding.severity = crate::diagnostic::Severity::Warning;
                finding.detail.push_str(&format!(
                    " {} reads this string as meant, so it works here; encoded, it works with every client.",
                    analysis.dialect.name()
                ));
            }
            Some(false) => finding.severity = crate::diagnostic::Severity::Error,
            None => {}
        }
        analysis.diagnostics.push(finding);
    }
    // What the pasted text itself shows of its secrets (the masks computed for the recovered
    // text cover the same secrets, possibly encoded differently).
    let finds = redact::secret_span_finds(input, None);
    // The params a foreign reader took from the recovered text hold the pasted text's
    // secrets where no finder of the recovered text sees them (`DB_PASSWORD="Zq9X=Wk7V"`
    // recovers to `Zq9X=Wk7V`, which pgx reads as a setting).
    let pieces = unchecked::params_with_pieces(input, &finds, analysis.params.as_ref());
    analysis.params_with_pieces.extend(pieces);
    // Likewise the host list: a URL parser reading the pasted `app:4711#…@db` takes the
    // password's `4711` for the port of host `app` ([`take_reading_as_pasted`]).
    for target in &mut analysis.hosts {
        for value in [&mut target.host, &mut target.hostaddr, &mut target.port]
            .into_iter()
            .flatten()
        {
            *value = redact::mask_piece(input, &finds, value);
        }
    }
    let scrub = |text: &mut String| *text = masked(input, &finds, text);
    for d in &mut analysis.diagnostics {
        unchecked::mask_secret_text_at_finding(input, &finds, d);
        scrub(&mut d.detail);
        if let Some(fix) = &mut d.fix {
            scrub(&mut fix.title);
        }
    }
    sort_diagnostics(&mut analysis.diagnostics);
    analysis
}

/// Whether the driver's reading of the string as pasted is its reading of the string meant:
/// the same settings as read (host, port and password included). The host lists are not
/// compared: each analysis masks them by its own text's secrets.
fn reads_as_meant(as_pasted: &Analysis, meant: &Analysis) -> bool {
    as_pasted.valid && meant.valid && as_pasted.params == meant.params
}

/// An unencoded character in a URL's user information that the driver misreads: `valid`,
/// `params` and `hosts` are that driver's reading of the string as pasted, as they are libpq's
/// for libpq (DESIGN §3), and the driver's own rejection (asyncpg's `int('…')` of what it takes
/// for the port) joins the findings about the string meant.
///
/// The rejection's fix is left out: it edits the misread string (an outside review saw
/// asyncpg's fix `postgresql://app:7319`), and the paste's fix is the way out. Its words quote
/// the input by place (`dialect::quotable`), so the pieces of the password it holds, digits
/// too (`bad query field: '5487@db/x'`), are masked where the finders see the password.
fn take_reading_as_pasted(as_pasted: Analysis, analysis: &mut Analysis) {
    analysis.valid = as_pasted.valid;
    analysis.params = as_pasted.params;
    analysis.hosts = as_pasted.hosts;
    analysis.params_with_pieces = as_pasted.params_with_pieces;
    if !as_pasted.valid {
        for mut rejection in as_pasted.diagnostics {
            rejection.fix = None;
            let known = |d: &crate::diagnostic::Diagnostic| {
                d.code == rejection.code && d.detail == rejection.detail
            };
            if !analysis.diagnostics.iter().any(known) {
                analysis.diagnostics.push(rejection);
            }
        }
    }
}

/// Here rather than in `redact`, which the dialects' readers use: showing input needs to know
/// which dialect's parse finds its secrets.
impl redact::Shown {
    /// The input read in `dialect`, as shown: only a libpq string's own parse tells where its
    /// secrets are; other dialects' secrets are found by the lenient finders.
    pub fn in_dialect(input: &str, dialect: Dialect) -> redact::Shown {
        let conninfo = (dialect == Dialect::Libpq)
            .then(|| syntax::parse(input).ok())
            .flatten();
        redact::Shown::new(input, conninfo.as_ref())
    }

    /// [`Shown::in_dialect`] for showing under `diagnostics`, and only when one of them points
    /// into the input: a text too long to check has none, and parsing and masking a megabyte
    /// would cost what the check was spared (the page froze for 20 s on every render). The
    /// CLI and the page both show input this way.
    pub fn under_findings(
        input: &str,
        dialect: Dialect,
        diagnostics: &[crate::diagnostic::Diagnostic],
    ) -> Option<redact::Shown> {
        let points_into_input = diagnostics.iter().any(|d| d.span.is_some());
        (points_into_input && !input.is_empty()).then(|| redact::Shown::in_dialect(input, dialect))
    }
}

#[cfg(test)]
mod scrub_tests {
    use super::*;

    /// Found by fuzzing: the URI's user information ends at the first '@', so a second
    /// `user:password@` lands in the port list, whose error message and fixes echoed it.
    #[test]
    fn a_secret_copied_into_another_value_is_still_redacted() {
        for input in [
            "postgresql://user:ecsret@local,user:ecsret@localbre",
            // Found by the fuzz smoke: recovered from the paste, the second URL's `//` ends
            // the host, so `user:ecsret@…` lands in the database name, where no finder sees a
            // URL; the secret the shown input hides is hidden there too.
            "postgresql://us,er:ecsret@h?]x@hh=resql://us,er:ecsret@localcsret@db",
        ] {
            assert_secret_hidden(input, "ecsret");
        }
        // A password that the shown input shows elsewhere (the user's name) is no secret
        // there: the rendering keeps the user and the database whole.
        let common = analyze(
            "postgresql://postgres:postgres@db.example.com/postgres",
            None,
            &CheckOptions::default(),
        );
        let fixes: Vec<&str> = common
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref()?.replacement.as_deref())
            .collect();
        assert!(!fixes.is_empty());
        for fix in fixes {
            assert!(fix.starts_with("postgresql://postgres@db.example.com/postgres"), "{fix}");
        }
    }

    fn assert_secret_hidden(input: &str, secret: &str) {
        let analysis = analyze(input, None, &CheckOptions::default());
        for d in &analysis.diagnostics {
            let fix = d.fix.as_ref();
            let texts = [
                Some(d.detail.as_str()),
                fix.map(|f| f.title.as_str()),
                fix.and_then(|f| f.replacement.as_deref()),
            ];
            for text in texts.into_iter().flatten() {
                assert!(!text.contains(secret), "{input}: {}: {text}", d.code);
            }
        }
        assert!(!analysis
            .libpq_equivalent
            .unwrap_or_default()
            .contains(secret));
    }
}

