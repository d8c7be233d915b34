//! One string read in one dialect, with its secrets scrubbed from every message, before its
//! fixes are checked again ([`super::recheck`] runs this on each replacement).

use super::analysis::{Analysis, CheckOptions};
use super::dialect::{self, Dialect};
use super::libpq::{analyze_libpq, placeholder_rejection};
use super::{redact, syntax};
use crate::diagnostic::{sort_diagnostics, Diagnostic};

/// [`analyze`] without checking the fixes again: what [`recheck`] itself runs on a
/// replacement.
pub fn analyze_unchecked(input: &str, driver: Option<Dialect>, options: &CheckOptions) -> Analysis {
    let (dialect, detected) = match driver {
        Some(d) => (d, false),
        None => (dialect::detect(input), true),
    };
    let mut analysis = if dialect == Dialect::Libpq {
        analyze_libpq(input, options)
    } else {
        dialect::analyze_foreign(dialect, input, options)
    };
    analysis.dialect = dialect;
    analysis.detected = detected;
    if !analysis.valid {
        placeholder_rejection(input, &mut analysis);
    }
    if detected && dialect != Dialect::Libpq && written_like_libpq(dialect, input) {
        if let Err(error) = syntax::parse(input) {
            let message = redact::redact_message(input, &error.message);
            analysis.diagnostics.push(
                Diagnostic::new(
                    &dialect::RULE_LIBPQ_WOULD_REJECT,
                    format!(
                        "Read as {}; libpq would reject it: libpq: {message}",
                        dialect.name()
                    ),
                )
                .at(error.span),
            );
        }
    }
    scrub_secrets(input, &mut analysis);
    sort_diagnostics(&mut analysis.diagnostics);
    analysis
}

/// Whether `input`, detected as `dialect`'s, is written in libpq's own syntax (a
/// `postgres[ql]://` URL, keyword/value pairs), so that someone may well hand it to psql: then
/// libpq's rejection tells something. A JDBC URL, an ADO.NET string or a SQLAlchemy
/// `postgresql+driver://` URL is plainly another syntax, and an outside review found the
/// finding on every one of them noise.
fn written_like_libpq(dialect: Dialect, input: &str) -> bool {
    match dialect {
        Dialect::Jdbc | Dialect::Npgsql => false,
        Dialect::Sqlalchemy => syntax::uri_prefix_length(input.trim_start()) > 0,
        Dialect::Libpq
        | Dialect::NodePostgres
        | Dialect::Asyncpg
        | Dialect::Pgx
        | Dialect::Prisma => true,
    }
}

/// The last line of defence for the secrets invariant: whatever a check wrote, an *echo* of a
/// secret of the input (its text between the characters that surround it in the input, as a
/// confused parse copies `user:password@` into a host or port list) is masked in diagnostics,
/// fixes and the libpq equivalent. Prose is never searched for the secret's text: a password
/// `server` leaves "verify the server" alone, so masks never reveal a password.
/// `text` with what it shows of the secrets at `spans` masked. A check that repeats libpq's
/// own message (`libpq: invalid integer value "…"`) quotes the input's components decoded
/// (`%3D` as `=`), so a quoted piece may hold part of a secret without being verbatim in the
/// input: those messages are masked as libpq's parse errors are.
pub(super) fn masked(input: &str, spans: &[(usize, usize)], text: &str) -> String {
    if text.starts_with("libpq: ") {
        redact::mask_shown_libpq(input, spans, text)
    } else {
        redact::mask_shown(input, spans, text)
    }
}

fn scrub_secrets(input: &str, analysis: &mut Analysis) {
    let parsed = syntax::parse(input).ok();
    let spans = redact::secret_span_finds(input, parsed.as_ref());
    analysis.secret_sites = redact::secret_sites(input, &spans);
    if spans.is_empty() {
        return;
    }
    // The host list holds the string's values as read: a secret written inside one (a libpq
    // string that Npgsql reads whole as its `Host`, and splits at a `,` of the password) is
    // masked where the host stands in the input over it and as the finders see it, and a port
    // list written where a secret is (the password of `user:password` without `@host`, which
    // libpq reads as the port) is masked whole.
    let port_is_secret = parsed
        .as_ref()
        .and_then(|conninfo| conninfo.param("port"))
        .is_some_and(|port| {
            spans
                .iter()
                .any(|&(a, b)| a < port.value_span.end && port.value_span.start < b)
        });
    for target in &mut analysis.hosts {
        for value in [&mut target.host, &mut target.hostaddr]
            .into_iter()
            .flatten()
        {
            *value = redact::without_embedded_secrets(&redact::mask_piece(input, &spans, value));
        }
        if let Some(port) = target.port.as_mut().filter(|p| !p.is_empty()) {
            *port = if port_is_secret {
                redact::REDACTED.to_string()
            } else {
                redact::without_embedded_secrets(port)
            };
        }
    }
    let scrub = |text: &mut String| *text = masked(input, &spans, text);
    for diagnostic in &mut analysis.diagnostics {
        scrub(&mut diagnostic.detail);
        if let Some(fix) = &mut diagnostic.fix {
            scrub(&mut fix.title);
            if let Some(replacement) = &mut fix.replacement {
                scrub(replacement);
            }
            if let Some(code) = &mut fix.code {
                scrub(&mut code.text);
            }
        }
    }
    if let Some(equivalent) = &mut analysis.libpq_equivalent {
        scrub(equivalent);
    }
}
