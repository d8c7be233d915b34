//! Turning a parsed connection string back into text without its secrets.
//!
//! **Invariant:** nothing rendered here from a `Conninfo` contains a secret value (`password`,
//! `sslpassword`, SCRAM keys, OAuth client secret): `render` and `render_with` drop them.
//! Rendered strings are what fixes offer as replacements, so they are also valid libpq
//! strings: re-parsing one yields the same non-secret parameters, each with any secret written
//! inside it masked ([`without_embedded_secrets`]; `dialect::render::restore_secrets` puts those back
//! too when a fix is applied). The pair renderers
//! (`render_keyword_value`, `render_uri`) write whatever pairs they are given; only
//! `conninfo::edit`, rewriting the user's own string in the page, passes them secrets.

use super::keywords;
use super::syntax::{Conninfo, Form};

pub use super::embedded::{without_embedded_secrets, without_secrets, REDACTED};
use super::embedded::{finds_with, masked_at, merged};
pub(crate) use super::embedded::userinfo_end;

/// A change to apply while rendering a fix: set (or add) a keyword, or remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit<'a> {
    Set(&'a str, &'a str),
    Remove(&'a str),
}

/// The string without secrets, in the form it was written in.
pub fn render(conninfo: &Conninfo) -> String {
    render_with(conninfo, &[])
}

/// The string without secrets and with `edits` applied, in the form it was written in.
pub fn render_with(conninfo: &Conninfo, edits: &[Edit<'_>]) -> String {
    let hidden = &conninfo.hidden_secrets;
    let mut pairs: Vec<(String, String)> = conninfo
        .params
        .iter()
        .filter(|p| !keywords::is_secret(p.keyword))
        .map(|p| (p.keyword.to_string(), without_secrets(&p.value, hidden)))
        .collect();
    for edit in edits {
        match edit {
            // An edit may extend a value that holds a secret (`options` gaining `-c
            // statement_timeout`): the original part is masked as the value itself is, and
            // what the fix appends only by the finders (a fix's own words are no echo).
            Edit::Set(keyword, value) => {
                let value = match conninfo
                    .get(keyword)
                    .filter(|original| !original.is_empty())
                    .and_then(|original| Some((original, value.strip_prefix(original)?)))
                {
                    Some((original, appended)) => format!(
                        "{}{}",
                        without_secrets(original, hidden),
                        without_embedded_secrets(appended)
                    ),
                    None => without_embedded_secrets(value),
                };
                match pairs.iter_mut().find(|(k, _)| k == keyword) {
                    Some(pair) => pair.1 = value,
                    None => pairs.push((keyword.to_string(), value)),
                }
            }
            Edit::Remove(keyword) => pairs.retain(|(k, _)| k != keyword),
        }
    }
    render_in(conninfo.form, &pairs)
}

/// `pairs` written in `form`: libpq's keyword/value syntax or its URI.
pub fn render_in(form: Form, pairs: &[(String, String)]) -> String {
    match form {
        Form::KeywordValue => render_keyword_value(pairs),
        Form::Uri => render_uri(pairs),
    }
}

/// `keyword=value` pairs; values quoted when empty or when they hold whitespace, quotes or
/// backslashes (libpq docs §32.1.1.1).
pub fn render_keyword_value(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", quote_value(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn quote_value(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b == 0x0b || b == b'\'' || b == b'\\');
    if !needs_quotes {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters, and the mask [`REDACTED`]
/// where a value holds one: `%2A%2A…` would not read as a secret left out, and it showed only
/// for some passwords (those long enough to be masked in the value before rendering; a short
/// one is masked in the output afterwards), so the form of the mask told about the password.
/// `*` is no delimiter to libpq's URI parser (fe-connect.c, `conninfo_uri_parse_options`),
/// pgjdbc's, Python's `urllib.parse` or the WHATWG URL parser, so the mask reads back as itself.
pub fn percent_encode(value: &str) -> String {
    value
        .split(REDACTED)
        .map(percent_encode_unreserved)
        .collect::<Vec<_>>()
        .join(REDACTED)
}

/// [`percent_encode`] for a URL query value, its `/` kept: a query may hold it (RFC 3986
/// §3.4) and libpq, pgjdbc, the WHATWG parser, Go's, Python's and Rust's URL readers all read
/// it as itself, and file paths then read as providers' documentation writes them
/// (`sslrootcert=/etc/ssl/certs/ca.pem`, Prisma's `sslcert=../ca.pem`).
pub fn percent_encode_query_value(value: &str) -> String {
    percent_encode(value).replace("%2F", "/")
}

fn percent_encode_unreserved(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `postgresql://[user[:password]@]host[:port][,host[:port]]/[dbname][?k=v&...]`. Host lists go in the
/// authority when every host can be written there; Unix socket directories go in the query.
pub fn render_uri(pairs: &[(String, String)]) -> String {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let mut out = String::from("postgresql://");
    let user = get("user").filter(|u| !u.is_empty());
    // The password goes where people write it, beside the user (libpq docs §32.1.1.2); an
    // empty one, or one without a user, goes in the query like every other parameter.
    let userinfo_password = get("password").filter(|p| !p.is_empty() && user.is_some());
    if let Some(user) = user {
        out.push_str(&percent_encode(user));
        if let Some(password) = userinfo_password {
            out.push(':');
            out.push_str(&percent_encode(password));
        }
        out.push('@');
    }
    let host = get("host").unwrap_or_default();
    let port = get("port").unwrap_or_default();
    let hosts: Vec<&str> = host.split(',').collect();
    let ports: Vec<&str> = port.split(',').collect();
    // A host fits the authority when libpq will read it back unchanged: no socket paths, and
    // a ':' only inside an IPv6 literal (written in brackets).
    let fits_authority = |h: &&str| {
        !h.contains('/')
            && !h.starts_with('@')
            && (!h.contains(':') || h.parse::<std::net::Ipv6Addr>().is_ok())
    };
    // libpq joins the ports it finds in the authority with one ',' per host separator, so a
    // host list goes there only with a port list of exactly one element per host (empty
    // elements are fine: they come back as the same commas). Anything else goes in the query.
    let ports_match = !port.is_empty() && ports.len() == hosts.len();
    let authority_ok =
        !host.is_empty() && hosts.iter().all(fits_authority) && (hosts.len() == 1 || ports_match);
    // An empty user cannot be written before '@' (libpq skips an empty one there); it goes in
    // the query like every other parameter.
    let mut in_authority: Vec<&str> = Vec::new();
    if user.is_some() {
        in_authority.push("user");
    }
    if userinfo_password.is_some() {
        in_authority.push("password");
    }
    if authority_ok {
        in_authority.push("host");
        let ports_in_authority = ports_match;
        if ports_in_authority {
            in_authority.push("port");
        }
        let rendered: Vec<String> = hosts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let host = if h.contains(':') {
                    format!("[{h}]")
                } else {
                    percent_encode(h)
                };
                let port = ports.get(i).filter(|_| ports_in_authority);
                match port.filter(|p| !p.is_empty()) {
                    Some(p) => format!("{host}:{}", percent_encode(p)),
                    None => host,
                }
            })
            .collect();
        out.push_str(&rendered.join(","));
    }
    if let Some(db) = get("dbname").filter(|d| !d.is_empty()) {
        in_authority.push("dbname");
        out.push('/');
        out.push_str(&percent_encode(db));
    }
    let query: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| !in_authority.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={}", percent_encode_query_value(v)))
        .collect();
    if !query.is_empty() {
        if !out.ends_with('/') && get("dbname").filter(|d| !d.is_empty()).is_none() {
            out.push('/');
        }
        out.push('?');
        out.push_str(&query.join("&"));
    }
    out
}

/// Whether `written` is `shown` with each mask standing for some non-empty text.
pub(crate) fn fits_mask(shown: &str, written: &str) -> bool {
    let mut pieces = shown.split(REDACTED);
    let Some(first) = pieces.next() else {
        return shown == written;
    };
    let Some(mut rest) = written.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    if pieces.is_empty() {
        return rest.is_empty();
    }
    for (index, piece) in pieces.iter().enumerate() {
        let found = if index + 1 == pieces.len() {
            rest.strip_suffix(piece)
                .filter(|gap| !gap.is_empty())
                .map(|_| rest.len())
        } else {
            rest.get(1..)
                .and_then(|r| r.find(piece))
                .map(|at| at + 1 + piece.len())
        };
        let Some(end) = found else {
            return false;
        };
        rest = rest.get(end..).unwrap_or_default();
    }
    true
}

#[cfg(test)]
fn url_passwords(input: &str) -> Vec<&str> {
    super::embedded::url_password_spans(input)
        .into_iter()
        .filter_map(|(a, b)| input.get(a..b))
        .collect()
}

/// libpq quotes components and whole URIs in its messages (`"…"`): a quoted part found in
/// the input is masked exactly where the input's secrets are; one that is not (a driver's own
/// message, a decoded component) only where it echoes a secret. The message's own words are masked only where they echo a secret in place
/// ([`mask_echoed_sites`]), so a password that equals one of them is not revealed.
pub fn redact_message(input: &str, message: &str) -> String {
    mask_quoted_pieces(input, &secret_span_finds(input, None), message, true)
}

/// [`mask_shown`] for a message in libpq's words (`libpq: invalid integer value "…"`), whose
/// quoted pieces all come from the input, decoded or not: a piece not found verbatim has every
/// occurrence of a secret's text masked, as [`redact_message`] does for libpq's parse errors.
pub fn mask_shown_libpq(input: &str, finds: &[(usize, usize)], message: &str) -> String {
    mask_quoted_pieces(input, finds, message, true)
}

/// Masks what `text` shows of the secrets at `finds` (see [`secret_span_finds`]): pieces of
/// the input quoted in it (`"…"`, as libpq's messages and the checks' details quote values)
/// exactly where the secrets are, and elsewhere only echoes ([`mask_echoed_sites`]).
pub fn mask_shown(input: &str, finds: &[(usize, usize)], message: &str) -> String {
    mask_quoted_pieces(input, finds, message, false)
}

/// Why a fix's replacement is withdrawn to advice when writing it would copy a piece of a
/// secret from the input.
pub(crate) const WITHDRAWN_SECRET_PIECE: &str = "the replacement would show a piece of a secret";

/// A value read as a piece of the input (a host of a driver's host list, which may split a
/// secret at a `,`): masked where it stands in the input over a secret, as a quoted piece of a
/// message is ([`mask_quoted`]), and elsewhere only where it echoes one.
pub fn mask_piece(input: &str, finds: &[(usize, usize)], piece: &str) -> String {
    PieceMask::new(input, finds).mask(piece)
}

/// [`mask_piece`] for many pieces of one input (every parameter a driver read): the secrets'
/// sites are found once, not once per piece (a string of thousands of parameters spent most
/// of its time there).
pub(crate) struct PieceMask<'a> {
    input: &'a str,
    spans: Vec<(usize, usize)>,
    sites: Vec<SecretSite>,
}

impl<'a> PieceMask<'a> {
    pub(crate) fn new(input: &'a str, finds: &[(usize, usize)]) -> PieceMask<'a> {
        let mut spans = finds.to_vec();
        crate::sort::sort(&mut spans);
        let sites = if finds.is_empty() {
            Vec::new()
        } else {
            secret_sites(input, finds)
        };
        PieceMask {
            input,
            spans,
            sites,
        }
    }

    pub(crate) fn mask(&self, piece: &str) -> String {
        if self.spans.is_empty() {
            return piece.to_string();
        }
        mask_quoted(self.input, &self.spans, &self.sites, piece, false)
    }
}

/// `text`, which a driver read from `input` at `span` (a key or value of its own reading):
/// with each secret of the input (`secrets`, as [`secret_spans`] gives them) that `span`
/// overlaps masked where it stands. A reader that splits a secret (pgx cuts
/// `Password=Vt4k Jw8r;…` at the space, and `u:Vt4k=Jw8r@h` at the `=`) makes a key or value
/// of a piece of it, which keeps no finder's shape: only its place tells. `text` is what the
/// input holds at `span`, found there (a quoted value's span holds its quotes), or what `read`
/// (the driver's unquoting and unescaping) makes of it: the written text is masked in place and
/// then read. A `text` that neither gives back (a decoded value) is masked whole where `span`
/// overlaps a secret, as no place maps back.
pub(crate) fn mask_read_piece(
    input: &str,
    secrets: &[(usize, usize)],
    span: crate::diagnostic::Span,
    text: &str,
    read: impl Fn(&str) -> String,
) -> String {
    let overlapping = |from: usize, to: usize| -> Vec<(usize, usize)> {
        secrets
            .iter()
            .filter(|&&(a, b)| a < to && from < b)
            .map(|&(a, b)| (a.max(from) - from, b.min(to) - from))
            .collect()
    };
    if overlapping(span.start, span.end).is_empty() {
        return text.to_string();
    }
    let written = input.get(span.start..span.end).unwrap_or_default();
    if let Some(at) = written.find(text).map(|offset| span.start + offset) {
        return masked_at(text, overlapping(at, at + text.len()));
    }
    if read(written) == text {
        return read(&masked_at(written, overlapping(span.start, span.end)));
    }
    REDACTED.to_string()
}

/// `all_from_input`: every quoted piece of `message` came from the input (libpq's own
/// messages quote input components, decoded or not), so a quoted piece not found verbatim
/// has every occurrence of a secret's text masked; otherwise (a check's or driver's words)
/// only echoes.
fn mask_quoted_pieces(
    input: &str,
    finds: &[(usize, usize)],
    message: &str,
    all_from_input: bool,
) -> String {
    if finds.is_empty() {
        return message.to_string();
    }
    let sites = secret_sites(input, finds);
    let mut spans = finds.to_vec();
    crate::sort::sort(&mut spans);
    let spans = spans;
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('"') {
        let (prose, after_open) = rest.split_at(open);
        let quoted_and_more = after_open.get(1..).unwrap_or_default();
        let Some(close) = quoted_and_more
            .rfind('"')
            .filter(|_| quoted_and_more.contains('"'))
        else {
            // An unpaired quote quotes nothing: it may be a secret's own (`pa"ss`), whose echo
            // runs across it.
            out.push_str(&mask_echoed_sites(&sites, rest));
            return out;
        };
        out.push_str(&mask_echoed_sites(&sites, prose));
        // libpq quotes one input piece per pair of quotes; the last quote on the line closes it
        // (the piece itself may contain quotes).
        let close = quoted_and_more.find("\" ").map_or(close, |c| c.min(close));
        let quoted = quoted_and_more.get(..close).unwrap_or_default();
        out.push('"');
        if names_a_keyword(prose, quoted) {
            out.push_str(quoted);
        } else {
            out.push_str(&mask_quoted(input, &spans, &sites, quoted, all_from_input));
        }
        out.push('"');
        rest = quoted_and_more.get(close + 1..).unwrap_or_default();
    }
    out.push_str(&mask_echoed_sites(&sites, rest));
    out
}

/// Whether a message quotes `quoted` where it names a keyword of its own, not a piece of the
/// input: libpq 18's `for connection option "%s"` (fe-connect.c, conninfo_storeval's integer
/// check) and the checks' `invalid "%s" value`. A name from libpq's fixed list there is never
/// an echo, even where the input holds it only inside a password (`rportecret`), and masking
/// it would tell what the password contains. Anywhere else the same word is input quoted
/// back (`invalid integer value "gssencmode"` of the port `gssencmode` that may be a
/// password), and it is masked where it stands over a secret like any other piece.
fn names_a_keyword(prose_before: &str, quoted: &str) -> bool {
    keywords::lookup(quoted).is_some()
        && (prose_before.ends_with("option ") || prose_before.ends_with("invalid "))
}

/// A piece of the input quoted in a message, with the input's secrets in it masked.
fn mask_quoted(
    input: &str,
    spans: &[(usize, usize)],
    sites: &[SecretSite],
    quoted: &str,
    all_from_input: bool,
) -> String {
    if quoted.is_empty() {
        return String::new();
    }
    let overlaps = |k: usize| spans.iter().any(|&(a, b)| a < k + quoted.len() && k < b);
    // A piece that also stands in the input outside any secret (`schema=public` beside the
    // password `public`) is shown as it stands there: masking it would tell the password.
    // Only a whole piece counts there: libpq quotes whole components, never the `postgres` of
    // `postgresql://`, so the password `postgres` read as the port is masked as any other is.
    let places: Vec<usize> = input.match_indices(quoted).map(|(k, _)| k).collect();
    let whole_piece_at = |k: usize| {
        let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        !alphanumeric(input.get(..k).and_then(|before| before.chars().next_back()))
            && !alphanumeric(
                input
                    .get(k + quoted.len()..)
                    .and_then(|after| after.chars().next()),
            )
    };
    let at = if places.iter().any(|&k| !overlaps(k) && whole_piece_at(k)) {
        None
    } else {
        places
            .iter()
            .copied()
            .find(|&k| overlaps(k))
            .or(places.first().copied())
    };
    match at {
        Some(k) => {
            let mut out = String::new();
            let mut cursor = k;
            for &(a, b) in spans
                .iter()
                .filter(|&&(a, b)| a < k + quoted.len() && k < b)
            {
                let a = a.max(k);
                let b = b.min(k + quoted.len());
                if a < cursor {
                    // A wider find of the secret just masked (the finders' spans overlap):
                    // the mask covers it too.
                    cursor = cursor.max(b);
                    continue;
                }
                out.push_str(input.get(cursor..a).unwrap_or_default());
                out.push_str(REDACTED);
                cursor = b;
            }
            out.push_str(input.get(cursor..k + quoted.len()).unwrap_or_default());
            out
        }
        None if input.contains(quoted) => quoted.to_string(),
        // Not a piece of the input (a driver's own message, a decoded value): echoes only.
        None if all_from_input => {
            // The lenient finder's span may join several `@`-separated parts of which libpq
            // quotes only one: each part is masked too.
            // libpq quotes a decoded component (`%21` as `!`), so the decoded secret too.
            let mut out = quoted.to_string();
            for site in sites {
                let decoded = super::syntax::percent_decoded(&site.text)
                    .filter(|d| *d != site.text && d.len() >= 3);
                for text in std::iter::once(site.text.as_str()).chain(decoded.as_deref()) {
                    out = out.replace(text, REDACTED);
                    for part in text.split(['@', ':']).filter(|p| p.len() >= 3) {
                        out = out.replace(part, REDACTED);
                    }
                }
            }
            out
        }
        None => mask_echoed_sites(sites, quoted),
    }
}

/// A secret as it sits in the input: its text and up to three characters on each side (the
/// `rd=` of `password=`, the `:` and `@` around URL user information). Context that starts
/// (after) or ends (before) at a separator counts as none.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretSite {
    text: String,
    before: String,
    after: String,
}

/// How many characters of context make an echo: one is too common (`=`), three makes a
/// chance match in prose or in another parameter unlikely (`er=` of `user=` is not `rd=`).
const ECHO_CONTEXT: usize = 3;

/// The sites of `spans` in `input`.
pub fn secret_sites(input: &str, spans: &[(usize, usize)]) -> Vec<SecretSite> {
    // A separator next to the secret says nothing: removing `password=X` from a rendering
    // puts the previous value next to the same separator (`user=X;Database=…`).
    let separator = |c: char| c.is_whitespace() || matches!(c, ';' | '&' | '#' | '"' | '\'');
    let context_before = |s: String| {
        if s.ends_with(separator) {
            String::new()
        } else {
            s
        }
    };
    let context_after = |s: String| {
        if s.starts_with(separator) {
            String::new()
        } else {
            s
        }
    };
    // Sorted and joined, for a binary search per occurrence below.
    let secret_runs = merged({
        let mut spans = spans.to_vec();
        crate::sort::sort(&mut spans);
        spans
    });
    let in_a_secret = |from: usize, to: usize| {
        let after = secret_runs.partition_point(|&(a, _)| a < to);
        after > 0 && secret_runs.get(after - 1).is_some_and(|&(_, b)| from < b)
    };
    let sites: std::collections::BTreeSet<SecretSite> = spans
        .iter()
        .filter_map(|&(start, end)| {
            let text = input.get(start..end).filter(|s| s.len() >= 2)?;
            let before: String = {
                let chars: Vec<char> = input
                    .get(..start)?
                    .chars()
                    .rev()
                    .take(ECHO_CONTEXT)
                    .collect();
                chars.into_iter().rev().collect()
            };
            let after: String = input.get(end..)?.chars().take(ECHO_CONTEXT).collect();
            Some(SecretSite {
                text: text.to_string(),
                before: context_before(before),
                after: context_after(after),
            })
        })
        // One site per text and context: a string repeating one password (`password=x …`
        // thousands of times) has one, and the search below stays linear (an outside review
        // measured minutes).
        .collect();
    sites
        .into_iter()
        // A secret whose text, in the same context, also stands in the input outside every
        // secret is shown there anyway: an output copying that text is no echo of the secret
        // (masking it would make the masks depend on the password).
        .filter(|site| {
            let pattern = format!("{}{}", site.before, site.text);
            !input.match_indices(pattern.as_str()).any(|(k, _)| {
                let at = k + site.before.len();
                !in_a_secret(at, at + site.text.len())
            })
        })
        .collect()
}

/// `text` with every *echo* of a secret masked, the secrets' sites already found: an occurrence
/// of a secret's text that sits between the same characters as the secret does in the input (a
/// piece of the input copied into the text, as libpq's messages and confused parses copy it).
/// Prose that merely contains the same word — a password `server` against "verify the server"
/// — is left alone, so a mask never tells what the password is.
pub fn mask_echoed_sites(sites: &[SecretSite], text: &str) -> String {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for site in sites {
        for (at, _) in text.match_indices(site.text.as_str()) {
            let text_before = text.get(..at).unwrap_or_default();
            let text_after = text.get(at + site.text.len()..).unwrap_or_default();
            // The context after the secret is what a rendering without the secret puts next to
            // the value before it (`user:pw@host` shown as `user@host`), so it only counts when
            // there is no context before.
            let echoed = if site.before.is_empty() {
                !site.after.is_empty() && text_after.starts_with(&site.after)
            } else {
                text_before.ends_with(&site.before)
            };
            if echoed {
                cuts.push((at, at + site.text.len()));
            }
        }
    }
    masked_at(text, cuts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::syntax::parse;

    #[test]
    fn secrets_never_rendered() {
        let Ok(c) = parse("postgresql://u:s3cret@h/db?sslpassword=x1x2&sslmode=require") else {
            panic!("parses");
        };
        let rendered = render(&c);
        assert!(
            !rendered.contains("s3cret") && !rendered.contains("x1x2"),
            "{rendered}"
        );
        assert_eq!(rendered, "postgresql://u@h/db?sslmode=require");
    }

    /// Found by the fuzz smoke: a URL with the same password pasted into `options` came back
    /// re-encoded (`%3Ap%3Aw%2F%40`), so the echo test missed it.
    #[test]
    fn secrets_inside_other_values_are_not_rendered() {
        for (input, secret) in [
            (
                "postgresql://u:p%3Aw%2F@h/db?options=-cgresql://u:p%3Aw%2F@h/db",
                "p%3Aw%2F",
            ),
            ("host=h options='-c password=hunter22'", "hunter22"),
            // Found by the fuzz smoke: decoded, the password holds `>` and `/`, which end a
            // URL pasted into prose.
            (
                "postgresql://us%40er:p%3Ew%2F@h/db?options=ql://us%40er:p%3Ew%2F@h/d%20b",
                "p%3Ew%2F",
            ),
            // Decoded, the password looks like a query (`p?a=bc`), which ends a pasted URL's
            // user information.
            (
                "postgresql://u:p%3Fa%3Dbc@h/db?options=x%20ql://u:p%3Fa%3Dbc@h/db",
                "p%3Fa%3Dbc",
            ),
            ("postgresql://h/db?application_name=x%20password%3Dhunter22", "hunter22"),
        ] {
            let Ok(c) = parse(input) else {
                panic!("{input} parses");
            };
            // Extending the value, as the statement_timeout fix does, masks it too.
            let options = c.get("options").unwrap_or_default().to_string() + " -c x=1";
            let extended = render_with(&c, &[Edit::Set("options", &options)]);
            assert!(!extended.contains(secret), "{input} → {extended}");
            let rendered = render(&c);
            assert!(!rendered.contains(secret), "{input} → {rendered}");
            // In a URI query the mask stays a mask; the rest of the value is percent-encoded.
            assert!(
                rendered.contains(REDACTED),
                "{input} → {rendered}"
            );
        }
    }

    #[test]
    fn rendered_strings_reparse_to_the_same_params() {
        for input in [
            "host='/var/run/postgresql' dbname='a b' application_name='it\\'s'",
            "postgresql://u@[::1]:5433,h2:5434/d%20b?sslmode=verify-full&options=-c%20x%3Dy",
            "postgresql:///db?host=/tmp&port=5433",
            "postgresql:///db?host=not:ipv6,h2&port=1,2",
            "postgresql:// @h",
            "postgresql://h?port=",
            "postgresql://a,b/db?port=5432",
            "postgresql://a,b/db?port=%2C",
            "postgresql://%2cram_client86",
            "postgresql://h1:1,h2/db",
        ] {
            let Ok(c) = parse(input) else {
                panic!("{input}")
            };
            let rendered = render(&c);
            let Ok(again) = parse(&rendered) else {
                panic!("{rendered}")
            };
            let a: Vec<_> = c.params.iter().map(|p| (p.keyword, &p.value)).collect();
            let b: Vec<_> = again.params.iter().map(|p| (p.keyword, &p.value)).collect();
            let mut a = a;
            let mut b = b;
            a.sort();
            b.sort();
            assert_eq!(a, b, "{input} -> {rendered}");
        }
    }

    #[test]
    fn url_passwords_are_found_in_any_scheme_and_whole() {
        for (input, password) in [
            ("jdbc:postgresql://app:S3cretPw@db:5432/app", "S3cretPw"),
            ("POSTGRESQL://app:S3cretPw@db/app", "S3cretPw"),
            (
                "\u{201c}postgresql://app:S3cretPw@db/app\u{201d}",
                "S3cretPw",
            ),
            (
                "postgresql+asyncpg://app:S3cretPw@db/app?ssl=require",
                "S3cretPw",
            ),
            ("postgresql://app:p@ssw0rd@db.example.com/app", "p@ssw0rd"),
            (
                "DATABASE_URL=\"postgres://u:pw-x@h/d?user=a@b.com\"",
                "pw-x",
            ),
        ] {
            assert_eq!(url_passwords(input), vec![password], "{input}");
        }
        assert!(url_passwords("postgresql://app@db/app?x=a:b@c").is_empty());
        assert_eq!(
            url_passwords("postgresql://u:pa?ss@h/db?user=a@b.com"),
            vec!["pa?ss"]
        );
    }

    #[test]
    fn messages_lose_the_password() {
        let input = "postgres://u:hunter22@[::1";
        let message = format!("... in URI: \"{input}\"");
        assert!(!redact_message(input, &message).contains("hunter22"));
    }

    /// Found by an outside review: libpq quotes the second host's user information decoded
    /// (`Hn6w!Rb2x`), which the input holds encoded.
    #[test]
    fn a_decoded_secret_quoted_by_libpq_is_masked() {
        let input = "postgresql://u:Xk7Qm4pZ9@h1,u:Hn6w%21Rb2x@h2:5433/db";
        let message = r#"invalid integer value "Hn6w!Rb2x@h2:5433" for connection option "port""#;
        let shown = redact_message(input, message);
        assert!(!shown.contains("Hn6w"), "{shown}");
    }

    /// Found by the fuzz smoke: the keyword libpq names was masked because the input holds
    /// `port` only inside the password, which told what the password contains.
    #[test]
    fn keyword_names_in_a_message_are_never_masked() {
        let input = "postgresql://er:rportecret@host:64x";
        let message = r#"invalid integer value "64x" for connection option "port""#;
        assert_eq!(redact_message(input, message), message);
    }

    /// Found by the fuzz smoke (CI13): a port that may be a password and that is spelled like
    /// a keyword was shown where libpq quotes it back as the value, while any other word there
    /// was masked, so the mask told that the password is a keyword name.
    #[test]
    fn a_keyword_quoted_as_the_value_is_masked_over_a_secret() {
        let input = "postgresql://user:gssencmode";
        let spans = secret_span_finds(input, None);
        assert_eq!(spans, vec![(18, 28)], "the port finder marks it");
        let message = r#"libpq: invalid integer value "gssencmode" for connection option "port""#;
        assert_eq!(
            mask_shown_libpq(input, &spans, message),
            r#"libpq: invalid integer value "********" for connection option "port""#
        );
    }
}

/// Byte ranges of secret values in `input`, by position only: the values of secret
/// parameters as the parse found them (every occurrence, a keyword given twice included), and
/// what the lenient finders mark where no parse succeeded (URL user information in any scheme,
/// `password=`/`Pwd=`/`sslpassword=` in any form). Never a search for the secret's text
/// elsewhere: a password `require` must not mask `sslmode=require`.
pub fn secret_spans(input: &str, conninfo: Option<&Conninfo>) -> Vec<(usize, usize)> {
    match conninfo {
        Some(_) => merged(secret_span_finds(input, conninfo)),
        None => LAST_FOUND.with(|last| {
            let mut last = last.borrow_mut();
            if let Some((_, spans)) = last.as_ref().filter(|(text, _)| text == input) {
                return spans.clone();
            }
            let spans = merged(secret_span_finds(input, None));
            *last = Some((input.to_string(), spans.clone()));
            spans
        }),
    }
}

std::thread_local! {
    /// The last input [`secret_spans`] read without a parse, with what the finders found: a
    /// fix's writer, a driver's quoting and the equivalent each ask again about the same
    /// string, once per finding, and the re-check of every fix multiplied that by the number
    /// of fixes (Prisma reading a string of 200 ignored parameters: 11.4 s without it, 4.4 s
    /// with it, release build; the finders are a pure function of the text, so the answer is
    /// kept for the next question).
    static LAST_FOUND: std::cell::RefCell<Option<FoundIn>> = const { std::cell::RefCell::new(None) };
}

/// A text and the secret spans the finders found in it.
type FoundIn = (String, Vec<(usize, usize)>);

/// Whether `span` starts inside a secret's value past its start: the rest of a password that an
/// unquoted space or `;` cut short (`password=Ab cdEf9`, `Password=Ab;cd=Ef9`), which the
/// driver then rejects as a keyword of its own and the lenient finders mask with the password.
/// The fix for such a rejection is to quote the password, not to remove or rename the "keyword".
pub(crate) fn within_secret_tail(input: &str, span: crate::diagnostic::Span) -> bool {
    secret_containing(&secret_spans(input, None), span.start).is_some_and(|(start, _)| start < span.start)
}

/// The one of `secrets` (sorted spans, as [`secret_spans`] gives them) that holds the byte at
/// `at`, its first byte included. Whether a piece of a reading starts inside a secret is asked
/// with it: strictly past the start for a rejected keyword ([`within_secret_tail`]), from the
/// start for a reader's elements (`dialect::kv::secret_tails`, where pgx cuts before a quote).
pub(crate) fn secret_containing(secrets: &[(usize, usize)], at: usize) -> Option<(usize, usize)> {
    let after = secrets.partition_point(|&(start, _)| start <= at);
    after
        .checked_sub(1)
        .and_then(|k| secrets.get(k))
        .copied()
        .filter(|&(_, end)| at < end)
}

/// Every find of [`secret_spans`] before overlapping ones are merged: for echo detection,
/// where the exact secret the parse found (`ecsret` of `user:ecsret@a,user:ecsret@b`) matters
/// as much as the lenient finder's wider span.
pub fn secret_span_finds(input: &str, conninfo: Option<&Conninfo>) -> Vec<(usize, usize)> {
    let parsed = conninfo
        .map(|conninfo| {
            conninfo
                .params
                .iter()
                .filter(|p| keywords::is_secret(p.keyword))
                .map(|p| (p.value_span.start, p.value_span.end))
                .collect()
        })
        .unwrap_or_default();
    finds_with(input, parsed)
}

/// The input as it is shown: every secret replaced by the fixed mask [`REDACTED`] (so that
/// neither its text nor its length shows), with the way back from input offsets to shown ones,
/// for marking a finding's span. The CLI and the page both show input this way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    /// Secret ranges of the original input, sorted, not overlapping.
    secrets: Vec<(usize, usize)>,
}

impl Shown {
    pub fn new(input: &str, conninfo: Option<&Conninfo>) -> Shown {
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for (start, end) in secret_spans(input, conninfo) {
            if kept.last().is_none_or(|&(_, last_end)| start >= last_end) && start < end {
                kept.push((start, end));
            }
        }
        let mut text = String::with_capacity(input.len());
        let mut at = 0;
        for &(start, end) in &kept {
            text.push_str(input.get(at..start).unwrap_or_default());
            text.push_str(REDACTED);
            at = end;
        }
        text.push_str(input.get(at..).unwrap_or_default());
        Shown {
            text,
            secrets: kept,
        }
    }

    /// Where byte `offset` of the input is in the shown text (inside a secret: its start).
    pub fn translate(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for &(start, end) in &self.secrets {
            if offset < start {
                break;
            }
            if offset < end {
                return start.saturating_add_signed(shift);
            }
            shift += REDACTED.len() as isize - (end - start) as isize;
        }
        offset.saturating_add_signed(shift)
    }

    /// An input span in the shown text; a span ending inside a secret covers its mask.
    pub fn span(&self, span: crate::diagnostic::Span) -> crate::diagnostic::Span {
        let start = self.translate(span.start);
        let end = if self
            .secrets
            .iter()
            .any(|&(s, e)| span.end > s && span.end <= e)
        {
            start.max(self.translate(span.end.saturating_sub(1))) + REDACTED.len()
        } else {
            self.translate(span.end)
        };
        crate::diagnostic::Span::new(start, end.max(start))
    }
}

/// `input` with the bytes of every secret overwritten by `*`, so that it can be shown with
/// spans still pointing at the same offsets (what the fuzz targets compare outputs against).
#[cfg(any(test, feature = "internals"))]
pub fn mask_input(input: &str, conninfo: Option<&Conninfo>) -> String {
    super::embedded::masked_in_place(input, &secret_spans(input, conninfo))
}

/// Keep the masking honest: the masked text never contains a secret value of two characters
/// or more.
#[cfg(test)]
mod mask_tests {
    use super::*;
    use crate::conninfo::syntax::parse;

    #[test]
    fn masks_parsed_and_unparsed_secrets() {
        let input = "postgresql://me:sup3rsecret@h/db?sslpassword=k3y";
        let c = parse(input).ok();
        let masked = mask_input(input, c.as_ref());
        assert_eq!(masked.len(), input.len());
        assert!(
            !masked.contains("sup3rsecret") && !masked.contains("k3y"),
            "{masked}"
        );
        for overridden in [
            "host=a password=hunter22 password=y",
            "postgresql://u:hunter22@h?password=y",
        ] {
            let c = parse(overridden).ok();
            assert!(
                !mask_input(overridden, c.as_ref()).contains("hunter22"),
                "{overridden}"
            );
        }
        let broken = "postgresql://me:sup3rsecret@[::1";
        assert!(!mask_input(broken, None).contains("sup3rsecret"));
    }

    /// Found by an outside review: a server option written without its space, and a key
    /// after a URL's `#`, were not read as password keys.
    #[test]
    fn password_keys_in_every_spelling_are_masked() {
        for input in [
            "host=h options=-cpassword=Zq9xWv7k",
            "host=h options='--password=Zq9xWv7k'",
            "postgresql://alice@h/app?sslmode=require#password=Zq9xWv7k",
        ] {
            let masked = mask_input(input, parse(input).ok().as_ref());
            assert!(!masked.contains("Zq9xWv7k"), "{input} → {masked}");
        }
    }

    /// An ADO.NET string with a URL in a value is still read as ADO.NET: the password ends at
    /// its `;`, so the next key stays in sight (it was masked up to the next space).
    #[test]
    fn ado_net_passwords_end_at_the_semicolon_beside_a_url() {
        let input = "Host=db;Password=Hunter2222;Application Name=postgresql://app:Hunter2222@db";
        assert_eq!(
            mask_input(input, None),
            "Host=db;Password=**********;Application Name=postgresql://app:**********@db"
        );
    }
}
