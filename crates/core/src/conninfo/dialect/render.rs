//! Fixes in the user's own dialect.
//!
//! The security review says what must change in libpq's vocabulary ([`Change`]). Here each
//! change becomes the driver's own setting through the [`knowledge`] table, and is written into
//! the user's string at its place: the settings the user wrote stay as they were (Prisma's
//! `pgbouncer=true`, SQLAlchemy's `+asyncpg`, an ADO.NET key's spelling), only the changed ones
//! are rewritten, new ones are appended in the dialect's syntax. Secrets are left out of what
//! is shown; [`apply`] puts them back for the page's "apply fix".
//!
//! Where the driver needs code instead ([`knowledge::Write::Code`]) the fix carries the code;
//! where it cannot do it at all, the fix says so and offers no string.

use super::knowledge::{self, Driver, Write};
use super::kv::Setting;
use super::url::{self, At, Plus};
use super::Dialect;
use crate::conninfo::{keywords, redact, syntax};
use crate::diagnostic::{Change, CodeFix, Diagnostic, Fix, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// `?key=value&…` after a URL.
    Query,
    /// ADO.NET `Key=value;…`.
    AdoNet,
    /// libpq-style `key=value key=value`.
    KeywordValue,
}

/// Where a string keeps its settings, and what surrounds them.
#[derive(Debug)]
struct Surface<'a> {
    input: &'a str,
    syntax: Syntax,
    /// Before the settings: for a URL everything up to its `?`; empty otherwise.
    head: Span,
    /// The password in a URL's user information (without its `:`).
    password: Option<Span>,
    /// The user name in a URL's user information.
    user: Option<Span>,
    /// A URL's host list, for host and port changes.
    authority: Option<Span>,
    settings: Vec<Setting>,
    /// After the settings: a URL fragment with its `#`.
    tail: Span,
    /// Values may use only escapes of two decimal digits: node-postgres re-encodes a string
    /// holding a space or a stray `%` and then reads every other escape literally
    /// (`node::is_mangled`, PGP-DRIVER-030).
    decimal_escapes_only: bool,
}

/// A driver-level edit: the driver's key and what happens to it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Edit {
    Set(&'static str, String),
    Remove(&'static str),
    Host(String),
    Port(String),
    User(String),
}

/// What a list of libpq changes becomes for one driver.
#[derive(Debug, Default)]
struct Translation {
    edits: Vec<Edit>,
    code: Vec<(&'static str, String)>,
    /// Changes the driver cannot make at all, with the reason.
    unsupported: Vec<String>,
    /// Driver versions the edits need (rows with a `since`).
    needs: Vec<&'static str>,
    /// The libpq keywords only code can set (with the value, where other values could be
    /// written): the title names them, since the rest of the change may well be sayable in
    /// the string (asyncpg's `ssl=verify-full`, but not `sslrootcert=system`).
    in_code: Vec<String>,
    /// What the user must know besides the edits (Prisma's PKCS#12 bundle), for the title.
    notes: Vec<String>,
}

/// Rewrites every review fix of a foreign-dialect analysis in the dialect's own syntax.
/// Fixes written directly in the dialect (no [`Fix::changes`]) are left alone.
pub(crate) fn render_fixes(dialect: Dialect, input: &str, diagnostics: &mut [Diagnostic]) {
    if dialect == Dialect::Libpq {
        return;
    }
    let driver = Driver::of(dialect, input);
    for diagnostic in diagnostics.iter_mut() {
        let Some(fix) = diagnostic.fix.as_mut() else {
            continue;
        };
        if fix.changes.is_empty() && fix.removes_secret.is_none() {
            continue;
        }
        *fix = render_fix(dialect, driver, input, fix);
    }
}

/// One fix, rendered for `driver`. A replacement is offered only when the string alone makes
/// the whole change: where part of it needs code, the code carries the fix; where the driver
/// cannot do part of it, the fix says so and offers no string that would fail.
fn render_fix(dialect: Dialect, driver: Driver, input: &str, fix: &Fix) -> Fix {
    let headline = headline(&fix.title);
    let Some(surface) = surface(dialect, input) else {
        return Fix::advice(headline);
    };
    let translation = translate(driver, &surface, &fix.changes);
    let code = code_fix(&translation);
    let complete = code.is_none() && translation.unsupported.is_empty();
    let mut title = headline;
    if !translation.unsupported.is_empty() {
        title.push_str(&format!(": {}", translation.unsupported.join("; ")));
    } else if code.is_some() {
        // Only libpq keywords are named: a row that is no keyword (what a driver needs behind a
        // transaction-mode pooler) has no name a user would know.
        let keywords: Vec<String> = translation
            .in_code
            .iter()
            .filter(|k| k.as_str() != super::knowledge::TRANSACTION_POOLER)
            .map(|k| format!("`{k}`"))
            .collect();
        if keywords.is_empty() {
            title.push_str(&format!(
                ": {} sets this in code, not in its connection string:",
                driver.name()
            ));
        } else {
            title.push_str(&format!(
                ": {} cannot say {} in its connection string; in code:",
                driver.name(),
                super::reading::join_and(&keywords)
            ));
        }
    } else if !translation.edits.is_empty() {
        title.push_str(": ");
        title.push_str(&describe(&translation.edits));
        for note in &translation.notes {
            title.push_str(&format!("; {note}"));
        }
    }
    if !translation.needs.is_empty() && (complete || code.is_some()) {
        title.push_str(&format!(
            " (needs {} or later)",
            translation.needs.join(", ")
        ));
    }
    // The headline dropped the check's own note: a placeholder path the edits write is for
    // the user to replace (the page selects it; PGP-SSL-112 flags it until then).
    if let Some(path) = translation.edits.iter().find_map(|e| match e {
        Edit::Set(_, v) if crate::conninfo::placeholder::is_placeholder_path(v) => Some(v.clone()),
        _ => None,
    }) {
        let what = if path == crate::conninfo::security::providers::ROOT_CERT_PLACEHOLDER {
            "the file holding the server's CA certificate"
        } else {
            "the real file"
        };
        title.push_str(&format!(" (replace `{path}` with {what})"));
    }
    let wanted = complete && (!translation.edits.is_empty() || fix.removes_secret.is_some());
    // Where the finders see a secret in text the driver reads as no secret (its host, port or
    // fragment), a string written from it would carry a mask where the user's text was: the
    // fix stays advice.
    let withdrawn = (wanted && copies_a_secret_as_text(&surface))
        .then(|| crate::conninfo::redact::WITHDRAWN_SECRET_PIECE.to_string());
    let replacement =
        (wanted && withdrawn.is_none()).then(|| write(&surface, &translation.edits, None));
    // A fix that removes a secret notes only the string's other secrets: the removed one is
    // one of the spans (the garbled "its other secrets are left out" on a string with one
    // password was seen by an outside review).
    let secrets = secret_spans(&surface).len();
    let note = match fix.removes_secret {
        Some(_) if secrets > 1 => Some(crate::conninfo::security::OTHER_SECRETS_LEFT_OUT),
        Some(_) => None,
        None if secrets > 0 => Some(crate::conninfo::security::SECRETS_LEFT_OUT),
        None => None,
    };
    if let (Some(note), Some(_)) = (note, &replacement) {
        title.push_str(&format!(" ({note})"));
    }
    Fix {
        title,
        replacement,
        code,
        removes_secret: fix.removes_secret,
        changes: fix.changes.clone(),
        withdrawn,
        recovers_paste: false,
    }
}

/// Whether the head (the password aside) or the tail of `surface` stands over a secret the
/// lenient finders see: text that [`write`] copies and must mask.
fn copies_a_secret_as_text(surface: &Surface<'_>) -> bool {
    let secrets = crate::conninfo::redact::secret_spans(surface.input, None);
    let outside_password = |(start, end): (usize, usize)| match surface.password {
        Some(p) => start < p.start.saturating_sub(1) || end > p.end,
        None => true,
    };
    let over = |span: Span, (start, end): (usize, usize)| start < span.end && span.start < end;
    secrets.iter().any(|&secret| {
        over(surface.tail, secret) || (over(surface.head, secret) && outside_password(secret))
    })
}

/// A fix made of libpq `changes`, written for the driver of `input`: the corrected string in
/// its own syntax without secrets (libpq's own strings through `redact::render_with`), or the
/// advice alone when the driver cannot say the change in its string.
pub fn fix_for(dialect: Dialect, input: &str, title: &str, changes: Vec<Change>) -> Fix {
    if dialect == Dialect::Libpq {
        let Ok(conninfo) = crate::conninfo::syntax::parse(input) else {
            return Fix::advice(title);
        };
        let edits: Vec<redact::Edit<'_>> = changes
            .iter()
            .map(|change| match change {
                Change::Set(keyword, value) => redact::Edit::Set(keyword, value.as_str()),
                Change::Remove(keyword) => redact::Edit::Remove(keyword),
            })
            .collect();
        let replacement = redact::render_with(&conninfo, &edits);
        return Fix::edit(title, replacement, changes);
    }
    let libpq_fix = Fix::edit(title, String::new(), changes);
    render_fix(dialect, Driver::of(dialect, input), input, &libpq_fix)
}

/// The user's own string with `fix` applied and their secrets kept, except the one the fix
/// removes: what the page's "apply fix" puts back into the input box. `None` when the string
/// has no settings surface to edit, or the driver cannot make the change.
pub fn apply(dialect: Dialect, input: &str, fix: &Fix) -> Option<String> {
    let surface = surface(dialect, input)?;
    let translation = translate(Driver::of(dialect, input), &surface, &fix.changes);
    if translation.edits.is_empty() && fix.removes_secret.is_none() {
        return None;
    }
    Some(write(
        &surface,
        &translation.edits,
        Some(fix.removes_secret),
    ))
}

/// What "apply" makes of the fix that writes a libpq URL given to Npgsql as Npgsql's pairs
/// (`replacement`, secrets left out): the URL's password (and key passphrase) put back as
/// Npgsql's own settings. `None` for any other fix.
pub fn npgsql_pairs_with_secrets(dialect: Dialect, input: &str, replacement: &str) -> Option<String> {
    if dialect != Dialect::Npgsql || replacement.contains("://") {
        return None;
    }
    let (conninfo, _) = super::reading::libpq_url(input)?;
    let mut text = replacement.to_string();
    for (keyword, name) in [("password", "Password"), ("sslpassword", "SSL Password")] {
        if let Some(value) = conninfo.get(keyword) {
            text.push_str(&format!(";{name}={}", super::npgsql::ado_quote(value)));
        }
    }
    Some(text)
}

/// A fix's replacement with the user's secrets put back ([`restore_secrets`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub text: String,
    /// Every secret of the original found its place in the replacement; otherwise `text`
    /// lacks one, or still holds a mask where it stood, and the user must add it by hand.
    pub complete: bool,
}

/// `replacement`, a fix written whole in `dialect`'s syntax (no [`Fix::changes`] to make
/// again on the user's string), with the secrets of `original` put back, except `removed`:
/// each in the replacement's own syntax, copied as the user wrote it (a URL password stays
/// percent-encoded, an ADO.NET or keyword/value one keeps its quotes), where the replacement
/// left it out or masked it. `None` when either string has no settings surface (for libpq:
/// is not one libpq accepts).
pub fn restore_secrets(
    dialect: Dialect,
    original: &str,
    replacement: &str,
    removed: Option<&str>,
) -> Option<Restored> {
    let (text, placed) = if dialect == Dialect::Libpq {
        (libpq_secrets_restored(original, replacement, removed)?, true)
    } else {
        secrets_spliced(dialect, original, replacement, removed)?
    };
    // A mask the user's own string did not hold is a secret with no place found for it.
    let masks = |text: &str| text.matches(redact::REDACTED).count();
    let complete = placed && masks(&text) <= masks(original);
    Some(Restored { text, complete })
}

/// [`restore_secrets`] for the drivers' syntaxes: each secret spliced into the replacement at
/// its place; `false` beside the text when a password found none.
fn secrets_spliced(
    dialect: Dialect,
    original: &str,
    replacement: &str,
    removed: Option<&str>,
) -> Option<(String, bool)> {
    let from = surface(dialect, original)?;
    let into = surface(dialect, replacement)?;
    let mut cuts: Vec<(Span, String)> = Vec::new();
    let mut placed = true;
    let mut appended: Vec<String> = Vec::new();
    if removed != Some("password") {
        if let Some(password) = from.password {
            match password_cut(&into, from.text(password)) {
                Some(cut) => cuts.extend(cut),
                // pgjdbc reads no user information: its fix (PGP-DRIVER-015) moves the user
                // into the query, where the password goes too.
                None if dialect == Dialect::Jdbc => {
                    let decoded = url::decode(from.text(password), Plus::Literal).text;
                    appended.push(into.element("password", &decoded));
                }
                None => placed = false,
            }
        }
    }
    for setting in from.settings.iter().filter(|s| from.is_secret(s)) {
        if removed == Some(secret_keyword(setting)) {
            continue;
        }
        let written = from.text(setting.span);
        match into.settings.iter().rev().find(|s| into.matches(s, &setting.key)) {
            Some(there) if there.value.contains(redact::REDACTED) => {
                cuts.push((there.span, written.to_string()));
            }
            Some(_) => {}
            None => appended.push(written.to_string()),
        }
    }
    cuts.extend(unmasked_settings(&from, &into));
    if into.text(into.tail).contains(redact::REDACTED)
        && redact::fits_mask(into.text(into.tail), from.text(from.tail))
    {
        cuts.push((into.tail, from.text(from.tail).to_string()));
    }
    if !appended.is_empty() {
        cuts.push(appended_elements(&into, &appended));
    }
    Some((spliced(replacement, cuts), placed))
}

/// [`restore_secrets`] for libpq, whose fixes are its rendering of the parsed string
/// ([`redact::render_with`]): the replacement is parsed and rendered again with the secret
/// values of `original`. `None` when either string is not one libpq accepts.
fn libpq_secrets_restored(original: &str, replacement: &str, removed: Option<&str>) -> Option<String> {
    let original = syntax::parse(original).ok()?;
    let fixed = syntax::parse(replacement).ok()?;
    let mut pairs = fixed.pairs();
    // Values the rendering masked a secret inside (a URL with its password in `options`) come
    // back whole, as they stand in the original, with whatever the fix appended.
    for pair in pairs.iter_mut() {
        let Some(before) = original.params.iter().find(|p| p.keyword == pair.0) else {
            continue;
        };
        let masked = redact::without_secrets(&before.value, &original.hidden_secrets);
        if masked != before.value {
            if let Some(appended) = pair.1.strip_prefix(masked.as_str()) {
                pair.1 = format!("{}{appended}", before.value);
                continue;
            }
        }
        // A value the lenient finders masked as what may be a secret (`localhost:abc`'s
        // port, `user:password` read as host and port) comes back as written.
        if pair.1.contains(redact::REDACTED) && redact::fits_mask(&pair.1, &before.value) {
            pair.1 = before.value.clone();
        }
    }
    for param in original
        .params
        .iter()
        .filter(|p| keywords::is_secret(p.keyword) && Some(p.keyword) != removed)
    {
        match pairs.iter_mut().find(|(k, _)| k == param.keyword) {
            Some(pair) => pair.1 = param.value.clone(),
            None => pairs.push((param.keyword.to_string(), param.value.clone())),
        }
    }
    Some(redact::render_in(fixed.form, &pairs))
}

/// Where a URL password goes back: over a mask in the replacement's user information, or
/// after its user name; `Some(None)` when nothing is to be done, `None` when the replacement
/// has no user information to hold it.
fn password_cut(into: &Surface<'_>, written: &str) -> Option<Option<(Span, String)>> {
    match (into.password, into.user) {
        (Some(there), _) if into.text(there).contains(redact::REDACTED) => {
            Some(Some((there, written.to_string())))
        }
        (Some(_), _) => Some(None),
        (None, Some(user)) => Some(Some((Span::new(user.end, user.end), format!(":{written}")))),
        (None, None) => None,
    }
}

/// Settings the replacement shows with a secret masked inside (a URL in `Application Name`),
/// given back as the original writes them, when the original's setting of that key is the
/// same text but for the masks.
fn unmasked_settings(from: &Surface<'_>, into: &Surface<'_>) -> Vec<(Span, String)> {
    into.settings
        .iter()
        .filter(|s| !into.is_secret(s) && into.text(s.span).contains(redact::REDACTED))
        .filter_map(|masked| {
            let shown = into.text(masked.span);
            from.settings
                .iter()
                .filter(|s| from.matches(s, &masked.key))
                .map(|s| from.text(s.span))
                .find(|written| redact::fits_mask(shown, written))
                .map(|written| (masked.span, written.to_string()))
        })
        .collect()
}

/// The secret settings the replacement left out, added after its last setting in its syntax.
fn appended_elements(into: &Surface<'_>, elements: &[String]) -> (Span, String) {
    let body = into.input.get(..into.tail.start).unwrap_or_default();
    match into.syntax {
        Syntax::Query => {
            let at = Span::new(into.tail.start, into.tail.start);
            let has_query = into.head.end < into.tail.start;
            let separator = match (has_query, body.ends_with(['?', '&'])) {
                (false, _) => "?",
                (true, true) => "",
                (true, false) => "&",
            };
            (at, format!("{separator}{}", elements.join("&")))
        }
        Syntax::AdoNet => {
            let end = body.trim_end().len();
            let at = Span::new(end, end);
            let joined = elements.join(";");
            match body.trim_end() {
                "" => (at, joined),
                trimmed if trimmed.ends_with(';') => (at, format!("{joined};")),
                _ => (at, format!(";{joined}")),
            }
        }
        Syntax::KeywordValue => {
            let end = body.trim_end().len();
            let separator = if end == 0 { "" } else { " " };
            (Span::new(end, end), format!("{separator}{}", elements.join(" ")))
        }
    }
}

/// `text` with each cut's span replaced by its text (cuts that overlap an earlier one are
/// dropped).
fn spliced(text: &str, mut cuts: Vec<(Span, String)>) -> String {
    crate::sort::sort_by_key(&mut cuts, |(span, _)| (span.start, span.end));
    let mut out = String::new();
    let mut at = 0;
    for (span, piece) in cuts {
        if span.start < at {
            continue;
        }
        out.push_str(text.get(at..span.start).unwrap_or_default());
        out.push_str(&piece);
        at = span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// The libpq keyword of a secret setting, as [`Fix::removes_secret`] names it.
fn secret_keyword(setting: &Setting) -> &'static str {
    if setting.key.to_ascii_lowercase().contains("ssl") {
        "sslpassword"
    } else {
        "password"
    }
}

/// `input` as `dialect` writes it without its secrets (the URL password, password settings);
/// `None` for libpq, which `redact::render` serves, for strings without a settings surface, and
/// where the driver reads a piece of a secret as other text ([`copies_a_secret_as_text`]).
pub fn secret_free(dialect: Dialect, input: &str) -> Option<String> {
    let surface = surface(dialect, input)?;
    (!copies_a_secret_as_text(&surface)).then(|| write(&surface, &[], None))
}

/// Whether `input`, read as `dialect`, already sets `key` to `value` (case-insensitively for
/// ADO.NET keys and for the value).
pub fn has_setting(dialect: Dialect, input: &str, key: &str, value: &str) -> bool {
    surface(dialect, input).is_some_and(|surface| {
        surface
            .settings
            .iter()
            .any(|s| surface.matches(s, key) && s.value.eq_ignore_ascii_case(value))
    })
}

/// The part of a check's title before its libpq-specific details: "Require TLS and verify
/// the server: set `sslmode=…`" → "Require TLS and verify the server". A title that names
/// libpq keywords throughout gives way to a neutral one.
fn headline(title: &str) -> String {
    let head = title.split(": ").next().unwrap_or(title);
    let head = head.split(" (").next().unwrap_or(head);
    if head.contains('`') {
        "Change the connection settings".to_string()
    } else {
        head.to_string()
    }
}

/// `set `a=b` and `c=d`; remove `e``, in the driver's own names.
fn describe(edits: &[Edit]) -> String {
    let mut set = Vec::new();
    let mut removed = Vec::new();
    for edit in edits {
        match edit {
            // A value may hold a secret written inside it (`-c password=…` in `options`).
            Edit::Set(key, value) => set.push(format!(
                "`{key}={}`",
                crate::conninfo::embedded::without_embedded_secrets(value)
            )),
            Edit::Host(host) => set.push(format!("host `{host}`")),
            Edit::Port(port) => set.push(format!("port `{port}`")),
            Edit::User(user) => set.push(format!("user `{user}`")),
            Edit::Remove(key) => removed.push(format!("`{key}`")),
        }
    }
    let mut parts = Vec::new();
    if !set.is_empty() {
        parts.push(format!("set {}", super::reading::join_and(&set)));
    }
    if !removed.is_empty() {
        parts.push(format!("remove {}", super::reading::join_and(&removed)));
    }
    parts.join("; ")
}

fn code_fix(translation: &Translation) -> Option<CodeFix> {
    let (language, _) = translation.code.first()?;
    let text = translation
        .code
        .iter()
        .map(|(_, line)| line.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    Some(CodeFix { language, text })
}

// ---------------------------------------------------------------------------------------------
// Translation: libpq changes → driver edits, through the knowledge table.

fn translate(driver: Driver, surface: &Surface<'_>, changes: &[Change]) -> Translation {
    let mut out = Translation::default();
    for change in changes {
        match change {
            Change::Set(keyword @ ("host" | "port" | "user"), value) => {
                out.edits.push(connection_target(surface, keyword, value));
            }
            Change::Set(keyword, value) => set_setting(driver, surface, keyword, value, &mut out),
            Change::Remove(keyword) => remove_setting(driver, surface, keyword, &mut out),
        }
    }
    if driver == Driver::NodePostgres {
        node_verify_ca_needs_a_file(surface, &mut out);
    }
    if driver == Driver::Prisma && changes.iter().any(|c| c.keyword().starts_with("ssl")) {
        prisma_tls_files_in_own_terms(surface, &mut out);
    }
    // A path the driver read with a `+` as a space is set again as meant, so the title names
    // the file the user has (a driver expert saw "set `sslcert=/etc/ssl/my ca.pem`").
    if surface.syntax == Syntax::Query {
        let written = super::reading::WrittenQuery::of(surface.input);
        for edit in &mut out.edits {
            if let Edit::Set(_, value) = edit {
                *value = written.meant(value);
            }
        }
    }
    out
}

/// A TLS change written for Prisma on a string that names its TLS files the libpq way
/// (`sslrootcert`, `sslcert` with `sslkey`) moves them into Prisma's own parameters: with
/// `sslaccept=strict` Prisma would otherwise trust the client certificate as the CA and
/// ignore the real one (a driver expert's reading of the Azure fix). A CA the change itself
/// sets stays.
fn prisma_tls_files_in_own_terms(surface: &Surface<'_>, out: &mut Translation) {
    let value = |key: &str| {
        surface
            .settings
            .iter()
            .rev()
            .find(|s| surface.matches(s, key))
            .map(|s| s.value.as_str())
    };
    let Some(files) = super::prisma::LibpqTlsFiles::of(value) else {
        let strict = out.edits.iter().any(|e| matches!(e, Edit::Set("sslaccept", v) if v == "strict"));
        let ca = written(surface, "sslcert") || out.edits.iter().any(|e| matches!(e, Edit::Set("sslcert", _)));
        if strict && !ca {
            out.notes.push(super::prisma::STRICT_TRUSTS_SYSTEM_ROOTS.to_string());
        }
        return;
    };
    let terms = files.in_own_terms();
    // The CA file the string names wins over the review's (a placeholder where the review
    // saw no CA, as Prisma ignores `sslrootcert`): every fix then names the same file.
    let names_ca = files.ca.is_some();
    let sets_ca = out.edits.iter().any(|e| matches!(e, Edit::Set("sslcert", _)));
    if names_ca {
        out.edits.retain(|e| !matches!(e, Edit::Set("sslcert", _)));
    }
    for (key, value) in terms.set {
        out.edits.push(Edit::Set(key, value));
    }
    for key in terms.remove {
        if !(key == "sslcert" && sets_ca && !names_ca) && written(surface, key) {
            out.edits.push(Edit::Remove(key));
        }
    }
    if !terms.note.is_empty() {
        out.notes.push(terms.note);
    }
}

/// pg-connection-string 2.8.0+ throws on `uselibpqcompat=true&sslmode=verify-ca` without
/// `sslrootcert` (index.js: "SECURITY WARNING: Using sslmode=verify-ca requires specifying a
/// CA with sslrootcert"): where neither the string nor the edits name a CA file, the flag is
/// left out and node-postgres reads `verify-ca` as full verification, which is stricter and
/// connects wherever libpq's reading (with `~/.postgresql/root.crt`) would have to be given
/// a file anyway.
fn node_verify_ca_needs_a_file(surface: &Surface<'_>, out: &mut Translation) {
    let sets = |key: &str, value: Option<&str>| {
        out.edits.iter().any(|e| {
            matches!(e, Edit::Set(k, v) if *k == key && value.is_none_or(|want| v == want) && !v.is_empty())
        })
    };
    let verify_ca = sets("sslmode", Some("verify-ca"));
    let flag = sets("uselibpqcompat", Some("true"));
    let file = sets("sslrootcert", None) || written(surface, "sslrootcert");
    if verify_ca && flag && !file {
        out.edits
            .retain(|e| !matches!(e, Edit::Set("uselibpqcompat", _)));
    }
}

/// Host, port and user: in a URL's authority and user information, else a setting of the
/// dialect's own name (Npgsql's `Host`, `Port`, `Username`; a URL query's `user`).
fn connection_target(surface: &Surface<'_>, keyword: &str, value: &str) -> Edit {
    let value = value.to_string();
    match (surface.syntax, keyword) {
        (Syntax::AdoNet, "host") => Edit::Set("Host", value),
        (Syntax::AdoNet, "port") => Edit::Set("Port", value),
        (Syntax::AdoNet, _) => Edit::Set("Username", value),
        (Syntax::KeywordValue, "host") => Edit::Set("host", value),
        (Syntax::KeywordValue, "port") => Edit::Set("port", value),
        (Syntax::KeywordValue, _) => Edit::Set("user", value),
        (Syntax::Query, "user") if surface.has("user") || surface.user.is_none() => {
            Edit::Set("user", value)
        }
        (Syntax::Query, "host") => Edit::Host(value),
        (Syntax::Query, "port") => Edit::Port(value),
        (Syntax::Query, _) => Edit::User(value),
    }
}

fn set_setting(
    driver: Driver,
    surface: &Surface<'_>,
    keyword: &str,
    value: &str,
    out: &mut Translation,
) {
    if keyword == "options" {
        if let Some(settings) = server_settings_instead_of_options(driver, value) {
            out.edits.extend(settings);
            return;
        }
    }
    let row = knowledge::row(driver, keyword);
    let since = row.map(|r| {
        r.since_for
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(r.since, |(_, since)| *since)
    });
    if let Some(since) = since.filter(|s| !s.is_empty()) {
        if !out.needs.contains(&since) {
            out.needs.push(since);
        }
    }
    let Some(write) = row.and_then(|r| r.write.for_value(value)) else {
        out.unsupported
            .push(format!("{} has no setting for `{keyword}`", driver.name()));
        return;
    };
    match write {
        Write::Keys(maps) => {
            for map in maps {
                match knowledge::map_value(map, value) {
                    Some(to) if to == "*keep" => {}
                    Some(to) if to.is_empty() => {
                        // An earlier change of the same fix may have set it (node-postgres's
                        // `uselibpqcompat`, written for `require` only).
                        out.edits.retain(
                            |e| !matches!(e, Edit::Set(k, _) if k.eq_ignore_ascii_case(map.key)),
                        );
                        if surface.has(map.key) {
                            out.edits.push(Edit::Remove(map.key));
                        }
                    }
                    // A placeholder path never replaces a file the user named: a verify fix
                    // asks for `/path/to/server-ca.crt` where the libpq reading has no CA
                    // file, which pgjdbc's `require` ignores but the user did write (an
                    // outside review saw their real CA replaced by the placeholder).
                    Some(to)
                        if crate::conninfo::placeholder::is_placeholder_path(&to)
                            && written(surface, map.key) => {}
                    Some(to) => out.edits.push(Edit::Set(map.key, to)),
                    None => out.unsupported.push(format!(
                        "{} cannot write `{keyword}={value}`",
                        driver.name()
                    )),
                }
            }
        }
        Write::Code { language, snippet } => {
            out.code.push((language, snippet.replace("{value}", value)));
            // Where only some values need code (asyncpg reads a `sslrootcert` file from its
            // DSN, but has no `system`), the title names the value too.
            let by_value = row.is_some_and(|r| {
                matches!(r.write, Write::ByValue(cases)
                    if cases.iter().any(|(_, other)| matches!(other, Write::Keys(_))))
            });
            out.in_code.push(if by_value {
                format!("{keyword}={value}")
            } else {
                keyword.to_string()
            });
        }
        Write::Unsupported(why) => out.unsupported.push(why.to_string()),
        Write::ByValue(_) => {}
    }
}

/// Whether the string already gives `key` a non-empty value.
fn written(surface: &Surface<'_>, key: &str) -> bool {
    surface
        .settings
        .iter()
        .any(|s| surface.matches(s, key) && !s.value.trim().is_empty())
}

fn remove_setting(driver: Driver, surface: &Surface<'_>, keyword: &str, out: &mut Translation) {
    let keys: Vec<&'static str> = match knowledge::row(driver, keyword).map(|r| r.write) {
        Some(Write::Keys(maps)) => maps.iter().map(|m| m.key).collect(),
        // Not in the string, so nothing to take out of it.
        _ => Vec::new(),
    };
    for key in keys {
        if surface.has(key) {
            out.edits.push(Edit::Remove(key));
        }
    }
}

/// asyncpg DSNs send unknown parameters to the server as settings, and `options` is not one:
/// `-c name=value` pairs become `name=value` parameters of their own. Source: asyncpg 0.30
/// `connect_utils._parse_connect_dsn_and_args` (remaining query parameters → server_settings).
fn server_settings_instead_of_options(driver: Driver, options: &str) -> Option<Vec<Edit>> {
    if driver != Driver::Asyncpg {
        return None;
    }
    let mut edits = Vec::new();
    let mut words = options.split_whitespace();
    while let Some(word) = words.next() {
        let setting = if word == "-c" {
            words.next()?
        } else {
            word.strip_prefix("-c")?
        };
        let (name, value) = setting.split_once('=')?;
        let name = KNOWN_SETTING_NAMES.iter().find(|n| **n == name)?;
        edits.push(Edit::Set(name, value.replace('\\', "")));
    }
    (!edits.is_empty()).then_some(edits)
}

/// Server settings the review's fixes write through `options`.
const KNOWN_SETTING_NAMES: &[&str] = &[
    "statement_timeout",
    "idle_in_transaction_session_timeout",
    "lock_timeout",
    "search_path",
];

// ---------------------------------------------------------------------------------------------
// Surfaces: where each dialect keeps its settings.

fn surface(dialect: Dialect, input: &str) -> Option<Surface<'_>> {
    match dialect {
        Dialect::Libpq => None,
        Dialect::Npgsql => listed(
            input,
            Syntax::AdoNet,
            super::npgsql::written_settings(input)?,
        ),
        Dialect::Pgx if !input.contains("://") => listed(
            input,
            Syntax::KeywordValue,
            super::pgx::written_settings(input)?,
        ),
        // node-postgres's `/socket/dir database` form has no place for settings.
        Dialect::NodePostgres if !input.contains("://") => None,
        Dialect::Sqlalchemy | Dialect::Asyncpg => url_surface(input, At::First, true),
        // pgjdbc knows no fragment: a `#` is part of the value it stands in (a password's).
        Dialect::Jdbc => url_surface(input, At::Last, false),
        Dialect::NodePostgres => url_surface(input, At::Last, true).map(|surface| Surface {
            decimal_escapes_only: super::node::is_mangled(input),
            ..surface
        }),
        Dialect::Prisma | Dialect::Pgx => url_surface(input, At::Last, true),
    }
}

fn listed(input: &str, syntax: Syntax, settings: Vec<Setting>) -> Option<Surface<'_>> {
    Some(Surface {
        input,
        syntax,
        head: Span::new(0, 0),
        password: None,
        user: None,
        authority: None,
        settings,
        tail: Span::new(input.len(), input.len()),
        decimal_escapes_only: false,
    })
}

/// A URL (`jdbc:` prefix allowed): head up to `?`, the query's elements, a fragment after `#`
/// where the driver has `fragments`.
fn url_surface(input: &str, at: At, fragments: bool) -> Option<Surface<'_>> {
    let offset = if input
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("jdbc:"))
    {
        5
    } else {
        0
    };
    let rest = input.get(offset..)?;
    let shift = |s: Span| Span::new(s.start + offset, s.end + offset);
    let parts = url::split_url(rest, at, fragments);
    let (query, fragment, password, authority, user) = match &parts {
        Some(p) => (
            p.query.map(shift),
            p.fragment.map(shift),
            p.password.map(shift),
            Some(shift(p.authority)),
            p.user.map(shift),
        ),
        // `jdbc:postgresql:database?…`: no authority. Any other string that is not a URL
        // (a keyword/value string read under `--driver jdbc`) is not in the dialect's syntax:
        // it has no settings surface, so a fix is advice alone rather than that string copied
        // with a query glued on (and its password in it).
        None if offset > 0
            && rest
                .get(..11)
                .is_some_and(|p| p.eq_ignore_ascii_case("postgresql:")) =>
        {
            let q = rest
                .find('?')
                .map(|q| Span::new(offset + q + 1, input.len()));
            (q, None, None, None, None)
        }
        None => return None,
    };
    let tail_start = fragment.map_or(input.len(), |f| f.start - 1);
    let head_end = query.map_or(tail_start, |q| q.start - 1);
    let settings: Vec<Setting> = query
        .map(|q| {
            url::pairs(input, q, Plus::Space)
                .into_iter()
                .filter(|p| !p.span.is_empty())
                .map(url::Pair::into_setting)
                .collect()
        })
        .unwrap_or_default();
    // A bare element after a password is the password's own text after an unencoded `&`: it
    // goes (and is left out) with the password.
    let settings = super::kv::join_secret_tails(input, settings);
    Some(Surface {
        input,
        syntax: Syntax::Query,
        head: Span::new(0, head_end),
        password,
        user,
        authority,
        settings,
        tail: Span::new(tail_start, input.len()),
        decimal_escapes_only: false,
    })
}

impl Surface<'_> {
    fn text(&self, span: Span) -> &str {
        self.input.get(span.start..span.end).unwrap_or_default()
    }

    fn matches(&self, setting: &Setting, key: &str) -> bool {
        match self.syntax {
            Syntax::AdoNet => setting.key.eq_ignore_ascii_case(key),
            Syntax::Query | Syntax::KeywordValue => setting.key == key,
        }
    }

    fn has(&self, key: &str) -> bool {
        self.settings.iter().any(|s| self.matches(s, key))
    }

    fn is_secret(&self, setting: &Setting) -> bool {
        match self.syntax {
            Syntax::AdoNet => ["Password", "SSL Password"]
                .iter()
                .any(|k| setting.key.eq_ignore_ascii_case(k)),
            Syntax::Query => query_secret(&setting.key),
            Syntax::KeywordValue => keywords::is_secret(&setting.key),
        }
    }

    fn element(&self, key: &str, value: &str) -> String {
        match self.syntax {
            Syntax::Query if self.decimal_escapes_only => {
                format!("{key}={}", encode_with_decimal_escapes(value))
            }
            // A file path keeps its `/`, as providers' documentation writes it
            // (`sslrootcert=/etc/ssl/certs/ca.pem`, Prisma's `sslcert=../ca.pem`).
            Syntax::Query => format!("{key}={}", super::reading::WrittenQuery::of(self.input).encoded(value)),
            Syntax::KeywordValue => format!("{key}={}", redact::quote_value(value)),
            Syntax::AdoNet => format!("{key}={}", super::npgsql::ado_quote(value)),
        }
    }
}

/// A query value for a string node-postgres re-encodes: only what would end or corrupt the
/// value is escaped, each with an escape of two decimal digits (`%20`, `%23`, `%25`, `%26`),
/// and the rest written as is (`URLSearchParams` splits an element at its first `=` only, and
/// reads `/` and `:` as written).
fn encode_with_decimal_escapes(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '&' => out.push_str("%26"),
            _ => out.push(c),
        }
    }
    out
}

/// A URL query key that holds a secret, in any case.
fn query_secret(key: &str) -> bool {
    ["password", "sslpassword"]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k))
}

/// The secrets a surface carries (URL password, secret settings).
fn secret_spans(surface: &Surface<'_>) -> Vec<Span> {
    let mut spans: Vec<Span> = surface.password.into_iter().collect();
    spans.extend(
        surface
            .settings
            .iter()
            .filter(|s| surface.is_secret(s) && !s.value.is_empty())
            .map(|s| s.span),
    );
    spans
}

/// The string with `edits` made. `keep_secrets`: `None` leaves every secret out (what is shown);
/// `Some(removed)` keeps them all but `removed` (what the page puts back into the input box).
fn write(surface: &Surface<'_>, edits: &[Edit], keep_secrets: Option<Option<&str>>) -> String {
    let keep = |keyword: &str| match keep_secrets {
        None => false,
        Some(removed) => removed != Some(keyword),
    };
    // An element copied as written is masked where it stands over a secret the finders see: a
    // reader that splits a secret (at a space, at an `=`) makes a setting of a piece of it,
    // which keeps no finder's shape.
    let secrets = match keep_secrets {
        Some(_) => Vec::new(),
        None => crate::conninfo::redact::secret_spans(surface.input, None),
    };
    let mut head = write_head(surface, edits, keep("password"));
    // A secret written inside another setting (a URL with its password in `Application
    // Name`, `-c password=…` in `Options`) is masked unless the secrets are being kept.
    let shown = |text: &str| match keep_secrets {
        Some(_) => text.to_string(),
        None => crate::conninfo::embedded::without_embedded_secrets(text),
    };
    let mut elements: Vec<String> = Vec::new();
    for setting in &surface.settings {
        if surface.is_secret(setting) && !keep(secret_keyword(setting)) {
            continue;
        }
        let edit = edits.iter().rev().find(|e| match e {
            Edit::Set(key, _) | Edit::Remove(key) => surface.matches(setting, key),
            _ => false,
        });
        match edit {
            Some(Edit::Remove(_)) => {}
            Some(Edit::Set(key, value)) => {
                let element = surface.element(key, &shown(value));
                // A key written twice: the driver reads one of them; keep only the new one.
                if !elements.contains(&element) {
                    elements.push(element);
                }
            }
            _ => elements.push(shown(&crate::conninfo::redact::mask_read_piece(
                surface.input,
                &secrets,
                setting.span,
                surface.text(setting.span),
                str::to_string,
            ))),
        }
    }
    for (at, edit) in edits.iter().enumerate() {
        let Edit::Set(key, value) = edit else {
            continue;
        };
        // The last edit of a key decides; a key written twice would leave the driver to pick.
        let superseded = edits.iter().skip(at + 1).any(|later| match later {
            Edit::Set(k, _) | Edit::Remove(k) => k.eq_ignore_ascii_case(key),
            _ => false,
        });
        if !surface.has(key) && !superseded {
            elements.push(surface.element(key, &shown(value)));
        }
    }
    match surface.syntax {
        Syntax::Query => {
            if !elements.is_empty() {
                head.push('?');
                head.push_str(&elements.join("&"));
            }
        }
        Syntax::KeywordValue => head.push_str(&elements.join(" ")),
        Syntax::AdoNet => {
            head.push_str(&elements.join(";"));
            if surface.input.trim_end().ends_with(';') {
                head.push(';');
            }
        }
    }
    // The tail (a URL's fragment) is copied as written, but a secret written there
    // (`#…&password=…`) is masked unless the secrets are being kept. (A password's rest read
    // as the fragment is no fix's: [`copies_a_secret_as_text`] withdraws it.)
    head.push_str(&shown(surface.text(surface.tail)));
    head
}

/// A URL's head with the password left out (unless kept) and host/port edits made on a
/// single-host authority. (A head that holds a secret other than its password is no fix's:
/// [`copies_a_secret_as_text`] withdraws it.)
fn write_head(surface: &Surface<'_>, edits: &[Edit], keep_password: bool) -> String {
    let input = surface.input;
    let mut cuts: Vec<(Span, String)> = Vec::new();
    if let (Some(password), false) = (surface.password, keep_password) {
        // `:password` goes, the `@` stays.
        cuts.push((
            Span::new(password.start.saturating_sub(1), password.end),
            String::new(),
        ));
    }
    if let Some(user) = surface.user {
        for edit in edits {
            if let Edit::User(name) = edit {
                cuts.push((user, url::encode(name)));
            }
        }
    }
    if let Some(authority) = surface.authority {
        let hosts = url::host_list(input, authority);
        if let [only] = hosts.as_slice() {
            for edit in edits {
                match edit {
                    Edit::Host(host) => cuts.push((only.host, host.clone())),
                    Edit::Port(port) => match only.port {
                        Some(span) => cuts.push((span, port.clone())),
                        None => {
                            cuts.push((Span::new(only.span.end, only.span.end), format!(":{port}")))
                        }
                    },
                    _ => {}
                }
            }
        }
    }
    crate::sort::sort_by_key(&mut cuts, |(span, _)| span.start);
    let mut out = String::new();
    let mut at = surface.head.start;
    for (span, text) in cuts {
        if span.start < at || span.end > surface.head.end {
            continue;
        }
        out.push_str(input.get(at..span.start).unwrap_or_default());
        out.push_str(&text);
        at = span.end;
    }
    out.push_str(input.get(at..surface.head.end).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Change;

    fn render(dialect: Dialect, input: &str, changes: Vec<Change>) -> Fix {
        let fix = Fix::edit("Require TLS and verify the server: set `x`", "", changes);
        render_fix(dialect, Driver::of(dialect, input), input, &fix)
    }

    fn verify_full(root: &str) -> Vec<Change> {
        vec![
            Change::set("sslmode", "verify-full"),
            Change::set("sslrootcert", root),
        ]
    }

    /// A verify fix's placeholder CA path never replaces the file the user named (an outside
    /// review saw pgjdbc's and Npgsql's real CA file swapped for `/path/to/server-ca.crt`).
    #[test]
    fn a_placeholder_path_keeps_the_users_own_file() {
        let placeholder = crate::conninfo::security::providers::ROOT_CERT_PLACEHOLDER;
        let input = "jdbc:postgresql://db.example.com/app?sslmode=require&sslrootcert=/etc/ssl/rds-ca.pem";
        let fix = render(Dialect::Jdbc, input, verify_full(placeholder));
        assert_eq!(
            fix.replacement.as_deref(),
            Some("jdbc:postgresql://db.example.com/app?sslmode=verify-full&sslrootcert=/etc/ssl/rds-ca.pem")
        );
        let input = "Host=db.example.com;SSL Mode=Require;Root Certificate=/etc/ssl/ca.pem";
        let fix = render(Dialect::Npgsql, input, verify_full(placeholder));
        assert_eq!(
            fix.replacement.as_deref(),
            Some("Host=db.example.com;SSL Mode=VerifyFull;Root Certificate=/etc/ssl/ca.pem")
        );
        // Where none is written, the placeholder asks for it.
        let fix = render(
            Dialect::Jdbc,
            "jdbc:postgresql://db.example.com/app?sslmode=require",
            verify_full(placeholder),
        );
        assert!(
            fix.replacement
                .as_deref()
                .is_some_and(|r| r.ends_with("sslrootcert=/path/to/server-ca.crt")),
            "{:?}",
            fix.replacement
        );
    }

    #[test]
    fn prisma_keeps_its_parameters_and_verifies_with_sslaccept() {
        let input =
            "postgresql://app:pw@db.example.com:6543/postgres?pgbouncer=true&sslmode=require";
        let fix = render(Dialect::Prisma, input, verify_full("prod-ca-2021.crt"));
        assert_eq!(
            fix.replacement.as_deref(),
            Some("postgresql://app@db.example.com:6543/postgres?pgbouncer=true&sslmode=require&sslaccept=strict&sslcert=prod-ca-2021.crt")
        );
        assert!(fix.title.contains("`sslaccept=strict`"), "{}", fix.title);
    }

    #[test]
    fn sqlalchemy_asyncpg_keeps_the_driver_and_uses_ssl() {
        let input = "postgresql+asyncpg://u:pw@h/db?sslmode=prefer";
        let fix = render(
            Dialect::Sqlalchemy,
            input,
            vec![Change::set("sslmode", "require")],
        );
        assert_eq!(
            fix.replacement.as_deref(),
            Some("postgresql+asyncpg://u@h/db?ssl=require")
        );
        // Trusting roots takes an SSLContext: code, and no string that would fail.
        for root in ["system", "/ca.pem"] {
            let fix = render(Dialect::Sqlalchemy, input, verify_full(root));
            assert_eq!(fix.replacement, None);
            let code = fix.code.unwrap_or_else(|| panic!("code for {root}"));
            assert_eq!(code.language, "python");
            assert!(
                code.text.contains("ssl.create_default_context("),
                "{}",
                code.text
            );
            // The mode can be said in the URL (`ssl=verify-full`); the title names the part
            // that cannot, which an outside review read as "cannot say any of it".
            assert!(
                fix.title
                    .contains(": SQLAlchemy's asyncpg dialect cannot say `sslrootcert` in its connection string; in code:"),
                "{}",
                fix.title
            );
        }
    }

    /// asyncpg reads a `sslrootcert` file from its DSN but has no `system`: the title names
    /// the value that needs code, not the keyword (an outside review read "asyncpg cannot say
    /// `sslrootcert`" as wrong, which it is for a file).
    #[test]
    fn asyncpg_names_the_value_only_code_can_say() {
        let input = "postgresql://u@h/db?sslmode=require";
        let fix = render(Dialect::Asyncpg, input, verify_full("system"));
        assert!(
            fix.title
                .contains("asyncpg cannot say `sslrootcert=system` in its connection string"),
            "{}",
            fix.title
        );
    }

    /// What a driver needs behind a transaction-mode pooler is no libpq keyword: the title
    /// does not name the knowledge row (`transaction_pooler`), which an outside review saw.
    #[test]
    fn a_code_fix_for_no_keyword_names_none() {
        let input = "postgresql+asyncpg://u@pooler.example.com:6543/db?ssl=require";
        let fix = render(
            Dialect::Sqlalchemy,
            input,
            vec![Change::set(super::super::knowledge::TRANSACTION_POOLER, "on")],
        );
        assert!(fix.code.is_some(), "{fix:?}");
        assert!(
            fix.title
                .ends_with(": SQLAlchemy's asyncpg dialect sets this in code, not in its connection string:"),
            "{}",
            fix.title
        );
    }

    #[test]
    fn jdbc_trusts_the_java_store_instead_of_system() {
        let input = "jdbc:postgresql://db.example.com:5432/app?sslmode=require";
        let fix = render(Dialect::Jdbc, input, verify_full("system"));
        assert_eq!(
            fix.replacement.as_deref(),
            Some("jdbc:postgresql://db.example.com:5432/app?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory")
        );
    }

    #[test]
    fn npgsql_keeps_spelling_and_adds_keys() {
        let input = "Host=db.example.com;Username=app;Password=pw;SSL Mode=Require;Trust Server Certificate=true";
        let fix = render(Dialect::Npgsql, input, verify_full("/ca.crt"));
        assert_eq!(
            fix.replacement.as_deref(),
            Some("Host=db.example.com;Username=app;SSL Mode=VerifyFull;Root Certificate=/ca.crt")
        );
        let applied = apply(Dialect::Npgsql, input, &fix).unwrap_or_default();
        assert!(applied.contains("Password=pw"), "{applied}");
    }

    /// Found by an outside review: a fix copied the other settings as written, so a password
    /// inside one of them (a URL in `Application Name`, `-c password=` in `Options`) came
    /// back in the fix; applying it in the page keeps them whole.
    #[test]
    fn secrets_inside_other_settings_stay_out_of_a_fix() {
        let input = "Host=h;Username=u;Password=Zq9xWv7k;Application Name=postgresql://b:Zq9xWv7k@x/y;Options=-c password=Zq9xWv7k;SSL Mode=Require";
        let fix = render(Dialect::Npgsql, input, verify_full("/ca.crt"));
        let replacement = fix.replacement.clone().unwrap_or_default();
        assert!(replacement.contains("SSL Mode=VerifyFull"), "{replacement}");
        assert!(!replacement.contains("Zq9xWv7k"), "{replacement}");
        let applied = apply(Dialect::Npgsql, input, &fix).unwrap_or_default();
        assert_eq!(applied.matches("Zq9xWv7k").count(), 3, "{applied}");
    }

    #[test]
    fn node_postgres_can_only_prefer_channel_binding() {
        let input = "postgres://u@db.example.com/app?sslmode=verify-full";
        let require = render(
            Dialect::NodePostgres,
            input,
            vec![Change::set("channel_binding", "require")],
        );
        assert_eq!((require.replacement, require.code), (None, None));
        assert!(
            require.title.contains("cannot require"),
            "{}",
            require.title
        );
        let prefer = render(
            Dialect::NodePostgres,
            input,
            vec![Change::set("channel_binding", "prefer")],
        );
        assert!(prefer
            .code
            .is_some_and(|c| c.text.contains("enableChannelBinding: true")));
    }

    #[test]
    fn a_version_bound_setting_says_which_version() {
        let input = "postgres://u@db.example.com/app?sslmode=verify-full";
        let fix = render(
            Dialect::Pgx,
            input,
            vec![Change::set("channel_binding", "require")],
        );
        assert!(
            fix.title.contains("needs pgx v5.9.0 or later"),
            "{}",
            fix.title
        );
        assert_eq!(
            fix.replacement.as_deref(),
            Some("postgres://u@db.example.com/app?sslmode=verify-full&channel_binding=require")
        );
    }

    /// The driver rendering keeps saying that a placeholder path is to be replaced (the
    /// check's own note was lost with the libpq wording).
    #[test]
    fn a_placeholder_path_is_named_for_replacement() {
        let input = "Host=db.example.com;Username=app;SSL Mode=Require";
        let fix = render(
            Dialect::Npgsql,
            input,
            vec![
                Change::set("sslmode", "verify-full"),
                Change::set(
                    "sslrootcert",
                    crate::conninfo::security::providers::ROOT_CERT_PLACEHOLDER,
                ),
            ],
        );
        assert!(
            fix.title.contains("(replace `/path/to/server-ca.crt` with the file holding the server's CA certificate)"),
            "{}",
            fix.title
        );
    }

    /// node-postgres: libpq's `require` and `verify-ca` (with a CA file) need
    /// `uselibpqcompat=true`; `verify-ca` without a file leaves the flag out (it would throw).
    #[test]
    fn node_unverified_modes_say_uselibpqcompat() {
        let input = "postgres://u@db.example.com/app";
        let require = render(
            Dialect::NodePostgres,
            input,
            vec![Change::set("sslmode", "require")],
        );
        assert_eq!(
            require.replacement.as_deref(),
            Some("postgres://u@db.example.com/app?sslmode=require&uselibpqcompat=true")
        );
        assert!(require.title.contains("needs pg 8.15"), "{}", require.title);
        let ca = render(
            Dialect::NodePostgres,
            input,
            vec![
                Change::set("sslmode", "verify-ca"),
                Change::set("sslrootcert", "server-ca.pem"),
            ],
        );
        assert_eq!(
            ca.replacement.as_deref(),
            Some("postgres://u@db.example.com/app?sslmode=verify-ca&uselibpqcompat=true&sslrootcert=server-ca.pem")
        );
        let bare_ca = render(
            Dialect::NodePostgres,
            input,
            vec![Change::set("sslmode", "verify-ca")],
        );
        assert_eq!(
            bare_ca.replacement.as_deref(),
            Some("postgres://u@db.example.com/app?sslmode=verify-ca")
        );
        let full = render(
            Dialect::NodePostgres,
            "postgres://u@db.example.com/app?sslmode=require&uselibpqcompat=true",
            vec![Change::set("sslmode", "verify-full")],
        );
        assert_eq!(
            full.replacement.as_deref(),
            Some("postgres://u@db.example.com/app?sslmode=verify-full")
        );
    }

    #[test]
    fn ports_change_in_the_authority() {
        let input = "postgresql://u@aws-0-eu.pooler.supabase.com/postgres?pgbouncer=true";
        let fix = render(Dialect::Prisma, input, vec![Change::set("port", "6543")]);
        assert_eq!(
            fix.replacement.as_deref(),
            Some("postgresql://u@aws-0-eu.pooler.supabase.com:6543/postgres?pgbouncer=true")
        );
    }

    /// A reader that splits a secret makes a setting of a piece of it (pgx cuts the ADO.NET
    /// `Password=Vt4k Jw8r;SSL Mode=Require` at the space: `Jw8r;SSL Mode` is a key), which
    /// keeps no finder's shape: copied as written, it is masked where it stands over the secret.
    #[test]
    fn a_piece_of_a_secret_copied_as_written_is_masked_where_it_stands() {
        let input = "Host=h;Password=Vt4k Jw8r;SSL Mode=Require";
        let setting = |key: &str, value: &str| {
            let start = input.find(&format!("{key}={value}")).unwrap_or_default();
            let key_span = Span::new(start, start + key.len());
            let value_span = Span::new(key_span.end + 1, key_span.end + 1 + value.len());
            Setting::pair(key, value, key_span, value_span)
        };
        let surface = Surface {
            input,
            syntax: Syntax::KeywordValue,
            head: Span::new(0, 0),
            password: None,
            user: None,
            authority: None,
            settings: vec![
                setting("Host", "h;Password=Vt4k"),
                setting("Jw8r;SSL Mode", "Require"),
            ],
            tail: Span::new(input.len(), input.len()),
            decimal_escapes_only: false,
        };
        let shown = write(&surface, &[], None);
        assert!(!shown.contains("Vt4k") && !shown.contains("Jw8r"), "{shown}");
        assert!(shown.ends_with(";SSL Mode=Require"), "{shown}");
        // Kept for the input box, it is the user's own text.
        assert_eq!(write(&surface, &[], Some(None)), input);
    }

    /// A string not in the URL dialect's syntax has no settings surface: the fix is advice,
    /// never that string copied with a query glued on. pgjdbc's authority-less
    /// `jdbc:postgresql:database` form is its own syntax and keeps its surface.
    #[test]
    fn a_string_outside_the_dialect_is_advised_not_rewritten() {
        for dialect in [
            Dialect::Jdbc,
            Dialect::Sqlalchemy,
            Dialect::Asyncpg,
            Dialect::Prisma,
            Dialect::NodePostgres,
        ] {
            let input = "host=db.example.com user=app sslmode=require";
            let fix = render(dialect, input, verify_full("ca.pem"));
            assert_eq!(fix.replacement, None, "{dialect:?}: {fix:?}");
            assert_eq!(secret_free(dialect, input), None, "{dialect:?}");
        }
        let fix = render(
            Dialect::Jdbc,
            "jdbc:postgresql:app?ssl=true",
            vec![Change::set("sslmode", "verify-full")],
        );
        assert_eq!(
            fix.replacement.as_deref(),
            Some("jdbc:postgresql:app?sslmode=verify-full")
        );
    }
}

/// Each dialect's renderer reads back, with that dialect's own reader, to exactly the settings
/// it was asked to write, and leaves every other setting as it was: generated strings,
/// generated changes (values with spaces, `&`, `;`, `=`, quotes and non-ASCII included).
#[cfg(test)]
mod readback {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;
    use crate::conninfo::{analyze_unchecked, CheckOptions};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// A base string per dialect, with `{extra}` where existing settings go.
    const BASES: &[(Dialect, &str)] = &[
        (
            Dialect::Jdbc,
            "jdbc:postgresql://db.example.com:5432/app?user=app{extra}",
        ),
        (
            Dialect::NodePostgres,
            "postgres://app:pw1@db.example.com:5432/app?sslmode=require{extra}",
        ),
        (
            Dialect::Asyncpg,
            "postgres://app:pw1@db.example.com/app?sslmode=prefer{extra}",
        ),
        (
            Dialect::Sqlalchemy,
            "postgresql+psycopg2://app:pw1@db.example.com/app?sslmode=prefer{extra}",
        ),
        (
            Dialect::Sqlalchemy,
            "postgresql+asyncpg://app:pw1@db.example.com/app?ssl=prefer{extra}",
        ),
        (
            Dialect::Pgx,
            "postgres://app:pw1@db.example.com/app?sslmode=prefer{extra}",
        ),
        (
            Dialect::Prisma,
            "postgresql://app:pw1@db.example.com/app?schema=public&pgbouncer=true{extra}",
        ),
        (
            Dialect::Npgsql,
            "Host=db.example.com;Username=app;Password=pw1;SSL Mode=Prefer{extra}",
        ),
    ];

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z][a-z0-9-]{0,12}",
            Just("my app & co; x=1".to_string()),
            Just("quote's \"here\"".to_string()),
            Just("naïve ü".to_string()),
        ]
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            prop_oneof![
                Just("require"),
                Just("verify-full"),
                Just("verify-ca"),
                Just("disable")
            ]
            .prop_map(|m| Change::set("sslmode", m)),
            prop_oneof![
                Just("/etc/ssl/ca file.pem".to_string()),
                Just("ca.pem".to_string())
            ]
            .prop_map(|f| Change::set("sslrootcert", f)),
            (1u32..600).prop_map(|n| Change::set("connect_timeout", n.to_string())),
            value().prop_map(|v| Change::set("application_name", v)),
            Just(Change::set("channel_binding", "require")),
            Just(Change::Remove("channel_binding")),
        ]
    }

    fn read(dialect: Dialect, input: &str) -> BTreeMap<String, String> {
        let analysis = analyze_unchecked(input, Some(dialect), &CheckOptions::default());
        assert!(
            analysis.valid,
            "{input} does not parse as {}",
            dialect.name()
        );
        analysis.params.unwrap_or_default()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn rendered_settings_read_back(base in 0usize..BASES.len(), extra in proptest::option::of(value()), changes in proptest::collection::vec(change(), 1..4)) {
            let (dialect, template) = BASES[base];
            let extra = extra.map(|v| {
                let surface = surface(dialect, "Host=x").map(|_| ()).is_some() && dialect == Dialect::Npgsql;
                if surface { format!(";Application Name={}", crate::conninfo::dialect::npgsql::ado_quote(&v)) } else { format!("&application_name={}", url::encode(&v)) }
            }).filter(|_| !matches!(dialect, Dialect::Jdbc | Dialect::Sqlalchemy)).unwrap_or_default();
            let input = template.replace("{extra}", &extra);
            let before = read(dialect, &input);
            let driver = Driver::of(dialect, &input);
            let Some(surface) = surface(dialect, &input) else { panic!("no surface for {input}") };
            let translation = translate(driver, &surface, &changes);
            prop_assume!(!translation.edits.is_empty());
            let written = write(&surface, &translation.edits, Some(None));
            let after = read(dialect, &written);
            // What the edits set is what the driver reads.
            let mut touched: Vec<String> = Vec::new();
            let last_per_key = translation.edits.iter().enumerate().filter(|(at, edit)| {
                let key = match edit { Edit::Set(k, _) | Edit::Remove(k) => *k, _ => return true };
                !translation.edits.iter().skip(at + 1).any(|later| matches!(later, Edit::Set(k, _) | Edit::Remove(k) if k.eq_ignore_ascii_case(key)))
            }).map(|(_, edit)| edit);
            for edit in last_per_key {
                match edit {
                    Edit::Set(key, value) => {
                        // asyncpg files unknown DSN parameters under server_settings.
                        let read_key = after.keys().find(|k| k.eq_ignore_ascii_case(key) || k.as_str() == format!("server_settings.{key}")).cloned();
                        prop_assert_eq!(read_key.as_ref().and_then(|k| after.get(k)), Some(value), "{} -> {}", input, written);
                        touched.push(key.to_ascii_lowercase());
                    }
                    Edit::Remove(key) => {
                        prop_assert!(!after.keys().any(|k| k.eq_ignore_ascii_case(key)), "{} still has {} in {}", input, key, written);
                        touched.push(key.to_ascii_lowercase());
                    }
                    _ => {}
                }
            }
            // Everything else is as it was, the password included (kept for the input box).
            // node-postgres reports the `ssl` object it derives from the TLS settings.
            let derived = |key: &str| dialect == Dialect::NodePostgres && key == "ssl";
            for (key, value) in &before {
                let plain = key.strip_prefix("server_settings.").unwrap_or(key).to_ascii_lowercase();
                if touched.contains(&plain) || derived(key) {
                    continue;
                }
                prop_assert_eq!(after.get(key), Some(value), "{} changed in {}", key, written);
            }
        }
    }
}
