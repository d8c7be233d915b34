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
    // Whatever a reader makes of it (node-postgres parses any scheme, pgx reads
    // `prisma+postgres://…/?api_key=…` as one key/value pair), another kind of URL is no
    // PostgreSQL connection string: a review of its settings, and fixes adding TLS settings
    // to it, would only hide that. A reader's rejection stays.
    if let Some(foreign) = super::foreign::finding(input) {
        if analysis.valid {
            analysis.diagnostics.clear();
        }
        // The rejection says what the reader makes of the text; its fix ("remove the
        // parameter") would edit a string that is no PostgreSQL string at all.
        for rejection in &mut analysis.diagnostics {
            rejection.fix = None;
        }
        analysis.diagnostics.push(foreign);
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
    analysis.params_with_pieces = params_with_pieces(input, &spans, analysis.params.as_ref());
    let scrub = |text: &mut String| *text = masked(input, &spans, text);
    for diagnostic in &mut analysis.diagnostics {
        mask_secret_text_at_finding(input, &spans, diagnostic);
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

/// The `params` whose key or value holds a piece of a secret at `spans`, with the piece
/// masked where it stands in the input (see `Analysis::params_with_pieces`), and wherever it
/// holds one of the [`secret_pieces`] (a decoded value that a reader joined with more text:
/// node keeps a NUL and what follows it in a decoded `options`). Any other text is left to the
/// key rule of `Analysis::params_shown`.
pub(super) fn params_with_pieces(
    input: &str,
    spans: &[(usize, usize)],
    params: Option<&std::collections::BTreeMap<String, String>>,
) -> std::collections::BTreeMap<String, (String, String)> {
    let pieces = secret_pieces(input, spans);
    let mask = redact::PieceMask::new(input, spans);
    params
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| {
            // A list value is read from several places (`host=5487@h1,h2` of
            // `app:7319@5487@h1:5433,h2`, whose ports stand between the hosts): each item is
            // masked where it stands.
            let shown = |text: &str| {
                let items: Vec<String> = text
                    .split(',')
                    .map(|item| mask.mask(item))
                    .collect();
                let by_item = items.join(",");
                let whole = mask.mask(text);
                let masked = if whole == text { by_item } else { whole };
                replace_pieces(&masked, &pieces)
            };
            // A key that is a keyword is its name, not the input's text (`host` of
            // `localhost:2host:2`, where the port is masked as a password).
            // A key a reader prefixed (asyncpg's `server_settings.MXgJ`, for the `MXgJ` of
            // `?password=2104&MXgJ=…`) stands in the input after its prefix.
            let shown_key = if super::keywords::lookup(key).is_some() {
                key.clone()
            } else {
                match (shown(key), key.split_once('.')) {
                    (whole, Some((prefix, rest))) if whole == *key => format!("{prefix}.{}", shown(rest)),
                    (whole, _) => whole,
                }
            };
            let shown_value = shown(value);
            (shown_key != *key || shown_value != *value)
                .then(|| (key.clone(), (shown_key, shown_value)))
        })
        .collect()
}

/// [`mask_secret_text_at`] for a finding's detail and fix title, at its own span.
pub(super) fn mask_secret_text_at_finding(
    input: &str,
    spans: &[(usize, usize)],
    diagnostic: &mut crate::diagnostic::Diagnostic,
) {
    let Some(at) = diagnostic.span else {
        return;
    };
    diagnostic.detail = mask_secret_text_at(input, spans, at, &diagnostic.detail);
    if let Some(fix) = &mut diagnostic.fix {
        fix.title = mask_secret_text_at(input, spans, at, &fix.title);
    }
}

/// `text`, a finding's detail or fix title about the input at `at`, with the text of every
/// secret at `spans` that lies within `at` masked wherever `text` holds it. A reader that
/// splits a password at an unencoded `&`, `;` or space makes an element of its rest, which a
/// check then names (`` `Wk7VmR2p` is ignored ``, "Remove Wk7VmR2p", Python's `bad query
/// field: 'Wk7VmR2p'`): only the finding's place tells that the piece is a secret's, as it
/// keeps no finder's shape. Pieces shorter than four characters, or word-like ([`word_like`]), may be
/// the rule's own words (masking `password` in "Remove password" would tell the password):
/// they are left to the echo test.
fn mask_secret_text_at(
    input: &str,
    spans: &[(usize, usize)],
    at: crate::diagnostic::Span,
    text: &str,
) -> String {
    let written = spans
        .iter()
        .filter(|&&(a, b)| a < at.end && at.start < b)
        .filter_map(|&(a, b)| input.get(a.max(at.start)..b.min(at.end)));
    // A reader quotes what it decoded (`Wk7V+Mr2P` of `Wk7V%2BMr2P`, a space for `+`).
    let mut pieces: Vec<String> = written
        .flat_map(|piece| {
            let decoded = syntax::percent_decoded(piece);
            let form_decoded = form_decoded(piece);
            std::iter::once(piece.to_string())
                .chain(decoded)
                .chain(form_decoded)
        })
        .filter(|piece| piece.chars().count() >= 4 && !word_like(piece))
        .collect();
    // Longest first, so that a piece holding another is masked whole.
    pieces.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    pieces.dedup();
    let mut shown = text.to_string();
    for piece in pieces {
        // Npgsql quotes a keyword it refuses lower-cased (`Couldn't set zq9x`).
        for spelling in [piece.clone(), piece.to_lowercase()] {
            if shown.contains(&spelling) {
                shown = shown.replace(&spelling, redact::REDACTED);
            }
        }
    }
    shown
}

/// A piece of a secret as it stands in the input, with the characters on either side of it.
struct SecretPiece {
    text: String,
    before: Option<char>,
    after: Option<char>,
}

impl SecretPiece {
    /// `text` with every copy of this piece masked: an occurrence that stands as a word of its
    /// own (nothing alphanumeric glued to either side: `?Wk7V%2BMr2P`, `'Zq9X+Wk7V'`), or with
    /// the piece's own neighbour from the input on one side, written or percent-encoded
    /// (`:Zq9X`, `%3AZq9X`), as a reader or a rendering copies it. A piece glued into other
    /// text on both sides is left: it is not a copy. A word-like piece never gets here
    /// ([`word_like`]): a fix writes `verify-full` on its own, and masking it there would
    /// tell the password `verify-full`.
    fn masked_in(&self, text: &str) -> String {
        if !text.contains(self.text.as_str()) {
            return text.to_string();
        }
        let encoded = |c: char| {
            let mut encoded = String::new();
            for byte in c.to_string().bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
            encoded
        };
        let glued = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut shown = String::with_capacity(text.len());
        let mut cursor = 0;
        for (at, _) in text.match_indices(self.text.as_str()) {
            if at < cursor {
                continue;
            }
            let head = text.get(..at).unwrap_or_default();
            let tail = text.get(at + self.text.len()..).unwrap_or_default();
            let before = head.chars().next_back();
            let after = tail.chars().next();
            let own_neighbour = self.before.is_some_and(|c| {
                before == Some(c) || head.ends_with(&encoded(c))
            }) || self
                .after
                .is_some_and(|c| after == Some(c) || tail.starts_with(&encoded(c)));
            if own_neighbour || !(glued(before) || glued(after)) {
                shown.push_str(text.get(cursor..at).unwrap_or_default());
                shown.push_str(redact::REDACTED);
                cursor = at + self.text.len();
            }
        }
        shown.push_str(text.get(cursor..).unwrap_or_default());
        shown
    }

    /// `text` masked whole when it is this piece: a key or value a reader made of it.
    fn masked_if_whole(&self, text: &str) -> Option<String> {
        (text == self.text).then(|| redact::REDACTED.to_string())
    }
}

/// The pieces of the secrets at `spans` that a reader may copy on its own: each secret, as
/// written and decoded as a web form's value ([`form_decoded`]), split
/// at the characters where readers cut one (`&`, `#`, `;`, `@`, `/`, `?`, `:`, `=`, `,`,
/// quotes, whitespace and control characters), those of at least four characters that are not
/// [`word_like`] (`verify-full` may be a rule's own text; masking it there would tell it),
/// longest first.
fn secret_pieces(input: &str, spans: &[(usize, usize)]) -> Vec<SecretPiece> {
    // Each piece is looked for in the whole shown input and in every fix: a text of thousands
    // of `-c%20password%3D…` took seconds. No connection string has this many pieces of
    // secrets; a text that does is not one, and its fixes keep the other guards.
    const MOST_SECRET_PIECES: usize = 64;
    let cut = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '&' | '#' | ';' | '@' | '/' | '?' | ':' | '=' | ',' | '\'' | '"')
    };
    // A piece that also stands in the input outside the secrets (Neon's endpoint ID in
    // `endpoint=ep-…;password`, which the host names too) is the string's, not only the
    // secret's: masking it would break the rendering and tell the password.
    let shown = redact::Shown::new(input, None).text;
    let mut pieces: Vec<SecretPiece> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for &(start, end) in spans {
        let Some(written) = input.get(start..end) else {
            continue;
        };
        let outer_before = input.get(..start).and_then(|b| b.chars().next_back());
        let outer_after = input.get(end..).and_then(|a| a.chars().next());
        // Readers decode a URL's parts before they split or quote them (libpq's port
        // `Zq9X Wk7V` of `app:Zq9X%20Wk7V/x@db`; a query reader's `+` as a space). Decoded as
        // a form is, a `+` cuts as a space does, which leaves the pieces libpq's own decoding
        // (`+` kept) would make joined only by non-alphanumerics: `masked_in` finds them.
        let decoded = form_decoded(written).filter(|d| d != written);
        for secret in std::iter::once(written.to_string()).chain(decoded) {
            let cuts = secret
                .char_indices()
                .filter(|&(_, c)| cut(c))
                .map(|(at, c)| (at, at + c.len_utf8()))
                .chain(std::iter::once((secret.len(), secret.len())));
            let mut piece_start = 0;
            for (cut_start, cut_end) in cuts {
                let from = piece_start;
                let text = secret.get(from..cut_start).unwrap_or_default();
                piece_start = cut_end;
                let before = secret
                    .get(..from)
                    .and_then(|b| b.chars().next_back())
                    .or(if from == 0 { outer_before } else { None });
                let after = secret
                    .get(from + text.len()..)
                    .and_then(|a| a.chars().next())
                    .or(outer_after);
                if text.chars().count() < 4
                    || word_like(text)
                    || !seen.insert((text.to_string(), before, after))
                    || seen.len() > MOST_SECRET_PIECES
                    || shown.contains(text)
                {
                    continue;
                }
                pieces.push(SecretPiece {
                    text: text.to_string(),
                    before,
                    after,
                });
            }
        }
    }
    // Longest first, so that a piece holding another is masked whole.
    pieces.sort_by_key(|piece| std::cmp::Reverse(piece.text.len()));
    pieces
}

/// The last line, run on what `analyze` returns, for what a reader copied of a secret's
/// pieces ([`secret_pieces`]) where no finder's shape or place shows it: a replacement that
/// still holds one cannot be shown (a reader that split the password copied a piece into
/// another setting, a second URL pasted on the next line), so the fix stays as advice; the
/// findings' texts, the libpq equivalent and the params have the copies masked (an
/// environment line `DB_PASSWORD="…"` recovered to its value, which then reads as settings).
/// A mask in a replacement is the design (a secret written inside another value, which the
/// page puts back when the fix is applied) and stays.
pub(super) fn mask_copied_pieces(input: &str, analysis: &mut Analysis) {
    let parsed = syntax::parse(input).ok();
    let spans = redact::secret_span_finds(input, parsed.as_ref());
    let pieces = secret_pieces(input, &spans);
    if pieces.is_empty() {
        return;
    }
    for diagnostic in &mut analysis.diagnostics {
        diagnostic.detail = replace_pieces(&diagnostic.detail, &pieces);
        let Some(fix) = diagnostic.fix.as_mut() else {
            continue;
        };
        fix.title = replace_pieces(&fix.title, &pieces);
        if let Some(code) = &mut fix.code {
            code.text = replace_pieces(&code.text, &pieces);
        }
        let Some(replacement) = fix.replacement.as_deref() else {
            continue;
        };
        if replace_pieces(replacement, &pieces) != replacement {
            fix.replacement = None;
            fix.withdrawn = Some(redact::WITHDRAWN_SECRET_PIECE.to_string());
        }
    }
    if let Some(equivalent) = &mut analysis.libpq_equivalent {
        *equivalent = replace_pieces(equivalent, &pieces);
    }
    for target in &mut analysis.hosts {
        for value in [&mut target.host, &mut target.hostaddr, &mut target.port]
            .into_iter()
            .flatten()
        {
            *value = replace_pieces(value, &pieces);
        }
    }
    for (key, value) in analysis.params.iter().flatten() {
        let (shown_key, shown_value) = analysis
            .params_with_pieces
            .get(key)
            .cloned()
            .unwrap_or_else(|| (key.clone(), value.clone()));
        let whole_or_pieces = |text: &str| {
            pieces
                .iter()
                .find_map(|piece| piece.masked_if_whole(text))
                .unwrap_or_else(|| replace_pieces(text, &pieces))
        };
        let shown_key = if super::keywords::lookup(&shown_key).is_some() {
            shown_key
        } else {
            whole_or_pieces(&shown_key)
        };
        let shown_value = whole_or_pieces(&shown_value);
        if shown_key != *key || shown_value != *value {
            analysis
                .params_with_pieces
                .insert(key.clone(), (shown_key, shown_value));
        }
    }
}

/// `text` with every copy of `pieces` ([`secret_pieces`]) masked.
fn replace_pieces(text: &str, pieces: &[SecretPiece]) -> String {
    pieces
        .iter()
        .fold(text.to_string(), |shown, piece| piece.masked_in(&shown))
}

/// Whether a piece of a secret could be a word or number the rule texts use (`password`,
/// `require`, `verify-full`, `statement_timeout`, `5432`, `65535`): letters, `-` and `_` only,
/// or digits only. Such a piece is masked only by place, where a finder or the finding's own
/// span shows it; masking it by text would tell it.
fn word_like(piece: &str) -> bool {
    piece
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '-' | '_'))
        || piece.chars().all(|c| c.is_ascii_digit())
}

/// `text` decoded as a web form's value is: `+` as a space, then percent-escapes (bytes that
/// are no UTF-8 as U+FFFD, as a message quoting them shows them).
fn form_decoded(text: &str) -> Option<String> {
    let parts: Option<Vec<String>> = text.split('+').map(syntax::percent_decoded_lossy).collect();
    parts.map(|parts| parts.join(" "))
}
