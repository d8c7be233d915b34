//! Connection strings read exactly as libpq 18's `PQconninfoParse` reads them.
//!
//! Two forms (libpq docs §32.1.1, "Connection Strings"):
//! - keyword/value: `host=db port=5432 dbname='my db'` (`conninfo_parse` in `fe-connect.c`);
//! - URI: `postgresql://user:pw@host1:5432,host2/db?sslmode=verify-full`
//!   (`conninfo_uri_parse_options`, `conninfo_uri_parse_params`, `conninfo_uri_decode`).
//!
//! libpq works on NUL-terminated bytes, so everything here works on bytes: a NUL ends the
//! string, `isspace` is the C locale's, and percent-decoding may produce bytes that are not
//! UTF-8 (they become U+FFFD in the decoded value, with a warning).
//!
//! The parser records where every keyword and value came from so that later checks can point
//! at them. It never fails on a user mistake with anything but a [`SyntaxError`] carrying
//! libpq's own message.

use super::keywords;
use crate::diagnostic::{Diagnostic, Span};
use crate::registry::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    KeywordValue,
    Uri,
}

/// One keyword as libpq stores it: the last occurrence wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub keyword: &'static str,
    pub value: String,
    /// Where the keyword was written (for URI authority parts: the part itself).
    pub key_span: Span,
    /// The raw (still quoted or percent-encoded) value in the input.
    pub value_span: Span,
    /// How many times the keyword was given; libpq keeps the last.
    pub occurrences: usize,
}

/// `PQconninfoParse`'s result: the keywords that were set, in the order first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conninfo {
    pub form: Form,
    pub params: Vec<Param>,
    /// Non-fatal findings made while reading (NUL truncation, non-UTF-8 values, repeats).
    pub notes: Vec<Diagnostic>,
    /// The secrets the shown input hides, which renderings hide inside other values too.
    pub hidden_secrets: super::embedded::HiddenSecrets,
}

impl Conninfo {
    /// Every setting as a `(keyword, value)` pair, in the order read.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.params
            .iter()
            .map(|p| (p.keyword.to_string(), p.value.clone()))
            .collect()
    }

    pub fn param(&self, keyword: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.keyword == keyword)
    }

    pub fn get(&self, keyword: &str) -> Option<&str> {
        self.param(keyword).map(|p| p.value.as_str())
    }

    /// libpq treats an empty value like an unset one for most keywords.
    pub fn get_nonempty(&self, keyword: &str) -> Option<&str> {
        self.get(keyword).filter(|v| !v.is_empty())
    }
}

/// A string libpq rejects, with libpq's own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub rule: &'static Rule,
    /// libpq's message, verbatim (without the trailing newline).
    pub message: String,
    pub span: Span,
}

pub static RULES: &[&Rule] = &[
    &RULE_UNKNOWN_KEYWORD,
    &RULE_MISSING_EQUALS,
    &RULE_UNTERMINATED_QUOTE,
    &RULE_NUL_BYTE,
    &RULE_NOT_UTF8,
    &RULE_REPEATED_KEYWORD,
    &RULE_BAD_PERCENT_ENCODING,
    &RULE_PERCENT_NUL,
    &RULE_URI_SPACES,
    &RULE_IPV6_UNTERMINATED,
    &RULE_IPV6_EMPTY,
    &RULE_IPV6_TRAILER,
    &RULE_QUERY_EXTRA_EQUALS,
    &RULE_QUERY_MISSING_EQUALS,
    &RULE_QUERY_UNKNOWN_KEYWORD,
];

const URI_DESIGNATOR: &str = "postgresql://";
const SHORT_URI_DESIGNATOR: &str = "postgres://";

/// `uri_prefix_length`: libpq recognises the URI form by these exact, case-sensitive prefixes.
pub fn uri_prefix_length(input: &str) -> usize {
    if input.starts_with(URI_DESIGNATOR) {
        URI_DESIGNATOR.len()
    } else if input.starts_with(SHORT_URI_DESIGNATOR) {
        SHORT_URI_DESIGNATOR.len()
    } else {
        0
    }
}

/// `isspace` in the C locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

rule!(
    RULE_NUL_BYTE,
    "PGP-PARAM-004",
    Warning,
    "Connection string contains a NUL character",
    "libpq reads connection strings as C strings: everything after a NUL character \
is silently ignored. Remove the NUL and whatever follows it if it was not meant to be there.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING"]
);

/// Reads `input` as `PQconninfoParse` does.
pub fn parse(input: &str) -> Result<Conninfo, SyntaxError> {
    let mut builder = Builder::default();
    let bytes = input.as_bytes();
    let visible = match bytes.iter().position(|&b| b == 0) {
        Some(nul) => {
            builder.notes.push(
                Diagnostic::new(
                    &RULE_NUL_BYTE,
                    format!(
                        "libpq stops reading at byte {nul}; the {} bytes after it are ignored",
                        bytes.len() - nul - 1
                    ),
                )
                .at(Span::new(nul, bytes.len())),
            );
            bytes.get(..nul).unwrap_or_default()
        }
        None => bytes,
    };
    let form = if uri_prefix_length(input) > 0 {
        parse_uri(visible, &mut builder)?;
        Form::Uri
    } else {
        parse_keyword_value(visible, &mut builder)?;
        Form::KeywordValue
    };
    let mut conninfo = builder.finish(form);
    let secrets = conninfo
        .params
        .iter()
        .filter(|p| keywords::is_secret(p.keyword));
    conninfo.hidden_secrets = super::embedded::HiddenSecrets::find(
        input,
        secrets.clone().map(|p| p.value.clone()).collect(),
        secrets.map(|p| (p.value_span.start, p.value_span.end)).collect(),
        percent_decoded,
    );
    Ok(conninfo)
}

#[derive(Default)]
struct Builder {
    params: Vec<Param>,
    notes: Vec<Diagnostic>,
}

rule!(
    RULE_NOT_UTF8,
    "PGP-PARAM-005",
    Warning,
    "Decoded value is not valid UTF-8",
    "A percent-encoded value decodes to bytes that are not UTF-8. libpq passes the \
bytes on unchanged, but the server, password files and other drivers will likely read them \
differently. Encode text as UTF-8 before percent-encoding it.",
    ["https://www.rfc-editor.org/rfc/rfc3986#section-2.1"]
);

rule!(
    RULE_REPEATED_KEYWORD,
    "PGP-PARAM-006",
    Warning,
    "Keyword given more than once",
    "When a keyword appears more than once libpq silently keeps the last value. \
This usually means an edited string kept a stale setting (for example an earlier \
`sslmode=disable`). Keep one occurrence.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING"]
);

impl Builder {
    /// `conninfo_storeval`: maps the legacy `requiressl` and stores the value, last one wins.
    /// Returns `None` when the keyword is unknown.
    fn store(
        &mut self,
        keyword: &str,
        value: Vec<u8>,
        key_span: Span,
        value_span: Span,
    ) -> Option<()> {
        let (keyword, value) = if keyword == "requiressl" {
            let mode: &[u8] = if value.first() == Some(&b'1') {
                b"require"
            } else {
                b"prefer"
            };
            ("sslmode", mode.to_vec())
        } else {
            (keyword, value)
        };
        let known = keywords::lookup(keyword)?;
        if std::str::from_utf8(&value).is_err() {
            let shown = if known.secret {
                "(value redacted)".to_string()
            } else {
                // A URL or `password=…` written inside the value is masked in the note.
                format!(
                    "`{}`",
                    super::embedded::without_embedded_secrets(&lossy(&value))
                )
            };
            self.notes.push(
                Diagnostic::new(
                    &RULE_NOT_UTF8,
                    format!(
                        "`{}` decodes to bytes that are not UTF-8: {shown}",
                        known.name
                    ),
                )
                .at(value_span),
            );
        }
        let value = lossy(&value);
        match self.params.iter_mut().find(|p| p.keyword == known.name) {
            Some(existing) => {
                existing.value = value;
                existing.key_span = key_span;
                existing.value_span = value_span;
                existing.occurrences += 1;
            }
            None => self.params.push(Param {
                keyword: known.name,
                value,
                key_span,
                value_span,
                occurrences: 1,
            }),
        }
        Some(())
    }

    fn finish(mut self, form: Form) -> Conninfo {
        for param in &self.params {
            if param.occurrences > 1 {
                self.notes.push(
                    Diagnostic::new(
                        &RULE_REPEATED_KEYWORD,
                        format!(
                            "`{}` is given {} times; libpq uses the last one",
                            param.keyword, param.occurrences
                        ),
                    )
                    .at(param.key_span),
                );
            }
        }
        Conninfo {
            form,
            params: self.params,
            notes: self.notes,
            hidden_secrets: super::embedded::HiddenSecrets::default(),
        }
    }
}

fn syntax_error(rule: &'static Rule, message: String, span: Span) -> SyntaxError {
    SyntaxError {
        rule,
        message,
        span,
    }
}

fn at(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).copied().unwrap_or(0)
}

rule!(
    RULE_MISSING_EQUALS,
    "PGP-PARAM-002",
    Error,
    "Keyword without a value",
    "In the keyword/value form every keyword must be followed by `=` and a value \
(which may be empty: `keyword=''`). A stray word, or a value with unquoted spaces such as \
`application_name=my app`, makes libpq reject the string. Quote values that contain spaces \
with single quotes, and escape single quotes and backslashes inside them with a backslash.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE",]
);

rule!(
    RULE_UNTERMINATED_QUOTE,
    "PGP-PARAM-003",
    Error,
    "Unterminated quoted value",
    "A value that starts with a single quote runs until the next unescaped single \
quote. Without one libpq rejects the string. Inside quotes, write `\\'` for a quote and `\\\\` \
for a backslash.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE",]
);

/// `conninfo_parse`: whitespace-separated `keyword = value` pairs; values may be single-quoted;
/// a backslash escapes the next character both inside and outside quotes.
fn parse_keyword_value(s: &[u8], out: &mut Builder) -> Result<(), SyntaxError> {
    let mut i = 0;
    while i < s.len() {
        if is_c_space(at(s, i)) {
            i += 1;
            continue;
        }
        let name_start = i;
        let mut name_end;
        loop {
            name_end = i;
            let c = at(s, i);
            if c == 0 || c == b'=' {
                break;
            }
            if is_c_space(c) {
                i += 1;
                while i < s.len() && is_c_space(at(s, i)) {
                    i += 1;
                }
                break;
            }
            i += 1;
        }
        let name = lossy(s.get(name_start..name_end).unwrap_or_default());
        let key_span = Span::new(name_start, name_end);
        if at(s, i) != b'=' {
            return Err(syntax_error(
                &RULE_MISSING_EQUALS,
                format!("missing \"=\" after \"{name}\" in connection info string"),
                key_span,
            ));
        }
        i += 1;
        while i < s.len() && is_c_space(at(s, i)) {
            i += 1;
        }
        let value_start = i;
        let mut value = Vec::new();
        if at(s, i) != b'\'' {
            while i < s.len() {
                let c = at(s, i);
                if is_c_space(c) {
                    break;
                }
                if c == b'\\' {
                    i += 1;
                    if i < s.len() {
                        value.push(at(s, i));
                        i += 1;
                    }
                } else {
                    value.push(c);
                    i += 1;
                }
            }
            let value_span = Span::new(value_start, i);
            // The terminating whitespace is consumed with the value.
            if i < s.len() {
                i += 1;
            }
            store_keyword_value(out, &name, value, key_span, value_span)?;
        } else {
            i += 1;
            loop {
                if i >= s.len() {
                    return Err(syntax_error(
                        &RULE_UNTERMINATED_QUOTE,
                        "unterminated quoted string in connection info string".to_string(),
                        Span::new(value_start, s.len()),
                    ));
                }
                let c = at(s, i);
                if c == b'\\' {
                    i += 1;
                    if i < s.len() {
                        value.push(at(s, i));
                        i += 1;
                    }
                    continue;
                }
                if c == b'\'' {
                    i += 1;
                    break;
                }
                value.push(c);
                i += 1;
            }
            store_keyword_value(out, &name, value, key_span, Span::new(value_start, i))?;
        }
    }
    Ok(())
}

rule!(
    RULE_UNKNOWN_KEYWORD,
    "PGP-PARAM-001",
    Error,
    "Unknown connection keyword",
    "libpq rejects the whole connection string when it contains a keyword it does not \
know (`invalid connection option`). Keywords are case-sensitive and use underscores where the \
documentation does (`ssl_min_protocol_version`, but `sslmode`). Check the spelling against the \
list of parameter key words; options meant for the server belong in `options=-c name=value`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-PARAMKEYWORDS"]
);

fn store_keyword_value(
    out: &mut Builder,
    name: &str,
    value: Vec<u8>,
    key_span: Span,
    value_span: Span,
) -> Result<(), SyntaxError> {
    out.store(name, value, key_span, value_span).ok_or_else(|| {
        syntax_error(
            &RULE_UNKNOWN_KEYWORD,
            format!("invalid connection option \"{name}\""),
            key_span,
        )
    })
}

rule!(
    RULE_BAD_PERCENT_ENCODING,
    "PGP-URI-001",
    Error,
    "Invalid percent-encoding in URI",
    "In a connection URI, `%` must be followed by two hexadecimal digits. Encode a \
literal percent sign as `%25`. Passwords generated with symbols are the usual cause: \
percent-encode the whole password (for example with `urllib.parse.quote(pw, safe='')`).",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
        "https://www.rfc-editor.org/rfc/rfc3986#section-2.1",
    ]
);

rule!(
    RULE_PERCENT_NUL,
    "PGP-URI-002",
    Error,
    "Percent-encoded NUL in URI",
    "libpq forbids `%00` in URI components because the decoded value would be cut \
at the NUL. Remove it.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS"]
);

rule!(
    RULE_URI_SPACES,
    "PGP-URI-003",
    Error,
    "Unencoded space inside a URI component",
    "libpq 18 ignores spaces before and after a URI component but rejects spaces \
inside one. Write a space that belongs to a value as `%20`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS"]
);

/// `text` percent-decoded as libpq decodes a URI component; `None` when it does not decode
/// to UTF-8 text or holds a bad escape.
pub(crate) fn percent_decoded(text: &str) -> Option<String> {
    let bytes = uri_decode(text.as_bytes(), Span::new(0, text.len())).ok()?;
    String::from_utf8(bytes).ok()
}

/// [`percent_decoded`] with bytes that are no UTF-8 (`%E9`, a Latin-1 `é`) read as U+FFFD, as
/// the report shows what libpq quotes of them; `None` on a bad escape.
pub(crate) fn percent_decoded_lossy(text: &str) -> Option<String> {
    let bytes = uri_decode(text.as_bytes(), Span::new(0, text.len())).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// `conninfo_uri_decode`: percent-decoding with libpq 18's rules. Leading and trailing spaces
/// are dropped, a space inside is an error, `%00` is forbidden.
fn uri_decode(component: &[u8], span: Span) -> Result<Vec<u8>, SyntaxError> {
    // A sub-range of the component, as a span of the input. Host and port lists are decoded
    // after being joined, so their text is not one contiguous piece of the input: point at the
    // whole component then. Ends are moved off UTF-8 continuation bytes.
    let locate = |from: usize, to: usize| -> Span {
        if component.len() != span.end.saturating_sub(span.start) {
            return span;
        }
        let mut to = to.min(component.len());
        while component.get(to).is_some_and(|b| b & 0xc0 == 0x80) {
            to += 1;
        }
        let from = from.min(to);
        Span::new(span.start + from, span.start + to)
    };
    let shown = lossy(component);
    let mut q = 0;
    while at(component, q) == b' ' {
        q += 1;
    }
    let mut out = Vec::with_capacity(component.len());
    loop {
        let c = at(component, q);
        if c != b'%' {
            if c == b' ' || q >= component.len() {
                break;
            }
            out.push(c);
            q += 1;
        } else {
            let hi = hex_digit(at(component, q + 1));
            let lo = hex_digit(at(component, q + 2));
            let (Some(hi), Some(lo)) = (hi, lo) else {
                return Err(syntax_error(
                    &RULE_BAD_PERCENT_ENCODING,
                    format!("invalid percent-encoded token: \"{shown}\""),
                    locate(q, q + 3),
                ));
            };
            let decoded = (hi << 4) | lo;
            if decoded == 0 {
                return Err(syntax_error(
                    &RULE_PERCENT_NUL,
                    format!("forbidden value %00 in percent-encoded value: \"{shown}\""),
                    locate(q, q + 3),
                ));
            }
            out.push(decoded);
            q += 3;
        }
    }
    let inner_space = q;
    while at(component, q) == b' ' {
        q += 1;
    }
    if q < component.len() {
        return Err(syntax_error(
            &RULE_URI_SPACES,
            format!(
                "unexpected spaces found in \"{shown}\", use percent-encoded spaces (%20) instead"
            ),
            locate(inner_space, q),
        ));
    }
    Ok(out)
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Stores an authority or path component (user, password, host, port, dbname), which libpq
/// percent-decodes while storing.
fn store_uri_component(
    out: &mut Builder,
    keyword: &str,
    raw: &[u8],
    span: Span,
) -> Result<(), SyntaxError> {
    let value = uri_decode(raw, span)?;
    // The keyword is one libpq itself chose, so it is always known.
    let _ = out.store(keyword, value, span, span);
    Ok(())
}

rule!(
    RULE_IPV6_UNTERMINATED,
    "PGP-URI-004",
    Error,
    "IPv6 host without closing bracket",
    "An IPv6 address in a URI is written in square brackets, `[2001:db8::1]:5432`. \
The closing `]` is missing.",
    ["https://www.rfc-editor.org/rfc/rfc3986#section-3.2.2"]
);

rule!(
    RULE_IPV6_EMPTY,
    "PGP-URI-005",
    Error,
    "Empty IPv6 host",
    "`[]` is not a host. Put the IPv6 address between the brackets or remove them.",
    ["https://www.rfc-editor.org/rfc/rfc3986#section-3.2.2"]
);

rule!(
    RULE_IPV6_TRAILER,
    "PGP-URI-006",
    Error,
    "Unexpected character after IPv6 host",
    "After `]` libpq expects `:port`, `,`, `/` or `?`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS"]
);

/// `conninfo_uri_parse_options`:
/// `scheme://[user[:password]@][netloc][:port][,...][/dbname][?param1=value1&...]`.
fn parse_uri(s: &[u8], out: &mut Builder) -> Result<(), SyntaxError> {
    let uri = lossy(s);
    let start = uri_prefix_length(&uri);
    let mut p = start;

    // Credentials: an '@' before the first '/'.
    while p < s.len() && at(s, p) != b'@' && at(s, p) != b'/' {
        p += 1;
    }
    if at(s, p) == b'@' {
        let user_start = start;
        let mut q = user_start;
        while at(s, q) != b':' && at(s, q) != b'@' {
            q += 1;
        }
        if q > user_start {
            let raw = s.get(user_start..q).unwrap_or_default();
            store_uri_component(out, "user", raw, Span::new(user_start, q))?;
        }
        if at(s, q) == b':' {
            let password_start = q + 1;
            while at(s, q) != b'@' {
                q += 1;
            }
            if q > password_start {
                let raw = s.get(password_start..q).unwrap_or_default();
                store_uri_component(out, "password", raw, Span::new(password_start, q))?;
            }
        }
        p = q + 1;
    } else {
        p = start;
    }

    // Hosts and ports, comma separated; ports are collected positionally.
    let netloc_start = p;
    let mut hosts: Vec<u8> = Vec::new();
    let mut ports: Vec<u8> = Vec::new();
    let mut port_span: Option<Span> = None;
    let mut terminator;
    loop {
        if at(s, p) == b'[' {
            p += 1;
            let host_start = p;
            while p < s.len() && at(s, p) != b']' {
                p += 1;
            }
            if p >= s.len() {
                return Err(syntax_error(
                    &RULE_IPV6_UNTERMINATED,
                    format!(
                        "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"{uri}\""
                    ),
                    Span::new(host_start - 1, s.len()),
                ));
            }
            if p == host_start {
                return Err(syntax_error(
                    &RULE_IPV6_EMPTY,
                    format!("IPv6 host address may not be empty in URI: \"{uri}\""),
                    Span::new(host_start - 1, p + 1),
                ));
            }
            hosts.extend_from_slice(s.get(host_start..p).unwrap_or_default());
            p += 1;
            let c = at(s, p);
            if c != 0 && c != b':' && c != b'/' && c != b'?' && c != b',' {
                return Err(syntax_error(
                    &RULE_IPV6_TRAILER,
                    format!(
                        "unexpected character \"{}\" at position {} in URI (expected \":\" or \"/\"): \"{uri}\"",
                        lossy(&[c]),
                        p + 1
                    ),
                    Span::new(p, p + 1),
                ));
            }
        } else {
            let host_start = p;
            while p < s.len() && !matches!(at(s, p), b':' | b'/' | b'?' | b',') {
                p += 1;
            }
            hosts.extend_from_slice(s.get(host_start..p).unwrap_or_default());
        }
        terminator = at(s, p);
        if terminator == b':' {
            p += 1;
            let port_start = p;
            while p < s.len() && !matches!(at(s, p), b'/' | b'?' | b',') {
                p += 1;
            }
            ports.extend_from_slice(s.get(port_start..p).unwrap_or_default());
            let this = Span::new(port_start, p);
            port_span = Some(port_span.map_or(this, |span| span.cover(this)));
            terminator = at(s, p);
        }
        if terminator != b',' {
            break;
        }
        p += 1;
        hosts.push(b',');
        ports.push(b',');
    }
    let netloc_span = Span::new(netloc_start, p);
    if !hosts.is_empty() {
        store_uri_component(out, "host", &hosts, netloc_span)?;
    }
    if !ports.is_empty() {
        store_uri_component(out, "port", &ports, port_span.unwrap_or(netloc_span))?;
    }

    if terminator != 0 && terminator != b'?' {
        p += 1;
        let db_start = p;
        while p < s.len() && at(s, p) != b'?' {
            p += 1;
        }
        terminator = at(s, p);
        if p > db_start {
            let raw = s.get(db_start..p).unwrap_or_default();
            store_uri_component(out, "dbname", raw, Span::new(db_start, p))?;
        }
    }

    if terminator != 0 {
        parse_uri_query(s, p + 1, out)?;
    }
    Ok(())
}

rule!(
    RULE_QUERY_EXTRA_EQUALS,
    "PGP-URI-007",
    Error,
    "Extra \"=\" in URI query parameter",
    "A query parameter is `keyword=value`; a second `=` in the same parameter is \
rejected. Percent-encode `=` inside values as `%3D` (common in `options=-c%20name%3Dvalue`).",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS"]
);

rule!(
    RULE_QUERY_MISSING_EQUALS,
    "PGP-URI-008",
    Error,
    "URI query parameter without \"=\"",
    "Every query parameter needs `=`: write `?sslmode=require`, not `?require`. An \
empty parameter (`&&`, or `?&`) is rejected too.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS"]
);

rule!(
    RULE_QUERY_UNKNOWN_KEYWORD,
    "PGP-URI-009",
    Error,
    "Unknown URI query parameter",
    "libpq rejects query parameters that are not connection keywords (`invalid URI \
query parameter`). Parameters other drivers accept — `sslaccept`, `sslfactory`, `schema`, \
`connection_limit`, `pgbouncer` — belong to those drivers, not to libpq. The only alias libpq \
knows is `ssl=true`, read as `sslmode=require`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS"]
);

/// `conninfo_uri_parse_params`: `keyword=value` pairs separated by `&`, both percent-decoded;
/// `ssl=true` is read as `sslmode=require` for JDBC compatibility; unknown keywords fail.
fn parse_uri_query(s: &[u8], mut p: usize, out: &mut Builder) -> Result<(), SyntaxError> {
    while p < s.len() {
        let key_start = p;
        let mut equals: Option<usize> = None;
        loop {
            let c = at(s, p);
            if c == b'=' && p < s.len() {
                if equals.is_some() {
                    let keyword = lossy(s.get(key_start..equals.unwrap_or(p)).unwrap_or_default());
                    return Err(syntax_error(
                        &RULE_QUERY_EXTRA_EQUALS,
                        format!(
                            "extra key/value separator \"=\" in URI query parameter: \"{keyword}\""
                        ),
                        Span::new(p, p + 1),
                    ));
                }
                equals = Some(p);
            } else if c == b'&' || p >= s.len() {
                break;
            }
            p += 1;
        }
        let end = p;
        if p < s.len() {
            p += 1;
        }
        let Some(eq) = equals else {
            let keyword = lossy(s.get(key_start..end).unwrap_or_default());
            return Err(syntax_error(
                &RULE_QUERY_MISSING_EQUALS,
                format!("missing key/value separator \"=\" in URI query parameter: \"{keyword}\""),
                Span::new(key_start, end),
            ));
        };
        let key_span = Span::new(key_start, eq);
        let value_span = Span::new(eq + 1, end);
        let keyword = uri_decode(s.get(key_start..eq).unwrap_or_default(), key_span)?;
        let value = uri_decode(s.get(eq + 1..end).unwrap_or_default(), value_span)?;
        let (keyword, value) = if keyword == b"ssl" && value == b"true" {
            (b"sslmode".to_vec(), b"require".to_vec())
        } else {
            (keyword, value)
        };
        let keyword = lossy(&keyword);
        if out.store(&keyword, value, key_span, value_span).is_none() {
            return Err(syntax_error(
                &RULE_QUERY_UNKNOWN_KEYWORD,
                format!("invalid URI query parameter: \"{keyword}\""),
                key_span,
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(input: &str) -> Vec<(String, String)> {
        match parse(input) {
            Ok(c) => c
                .params
                .iter()
                .map(|p| (p.keyword.to_string(), p.value.clone()))
                .collect(),
            Err(e) => vec![("ERROR".into(), e.message)],
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn keyword_value_quoting_and_escapes() {
        assert_eq!(
            params(r"host = db  dbname='my \'db\'' password=a\ b"),
            pairs(&[("host", "db"), ("dbname", "my 'db'"), ("password", "a b")])
        );
        assert_eq!(
            params("host='a'port=5"),
            pairs(&[("host", "a"), ("port", "5")])
        );
        assert_eq!(params("host="), pairs(&[("host", "")]));
    }

    #[test]
    fn keyword_value_errors_use_libpq_messages() {
        assert_eq!(
            params("host localhost"),
            pairs(&[(
                "ERROR",
                "missing \"=\" after \"host\" in connection info string"
            )])
        );
        assert_eq!(
            params("host='abc"),
            pairs(&[(
                "ERROR",
                "unterminated quoted string in connection info string"
            )])
        );
        assert_eq!(
            params("hots=x"),
            pairs(&[("ERROR", "invalid connection option \"hots\"")])
        );
    }

    #[test]
    fn uri_parts_are_decoded() {
        assert_eq!(
            params("postgresql://us%40er:p%3Aw@[::1]:5433,h2/d%20b?sslmode=verify-full&ssl=true"),
            pairs(&[
                ("user", "us@er"),
                ("password", "p:w"),
                ("host", "::1,h2"),
                ("port", "5433,"),
                ("dbname", "d b"),
                ("sslmode", "require"),
            ])
        );
    }

    #[test]
    fn uri_errors_use_libpq_messages() {
        assert_eq!(
            params("postgres://h/db?sslmode"),
            pairs(&[(
                "ERROR",
                "missing key/value separator \"=\" in URI query parameter: \"sslmode\""
            )])
        );
        assert_eq!(
            params("postgres://h/d%00b"),
            pairs(&[(
                "ERROR",
                "forbidden value %00 in percent-encoded value: \"d%00b\""
            )])
        );
        assert_eq!(
            params("postgres://[::1"),
            pairs(&[(
                "ERROR",
                "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgres://[::1\""
            )])
        );
        assert_eq!(
            params("postgres://[::1]x"),
            pairs(&[(
                "ERROR",
                "unexpected character \"x\" at position 17 in URI (expected \":\" or \"/\"): \"postgres://[::1]x\""
            )])
        );
    }

    #[test]
    fn error_spans_stay_inside_the_input() {
        // Found by fuzzing: ports are joined before decoding, so offsets in the joined text are
        // not offsets in the input.
        for input in [
            "postgres://,,:%",
            "postgresql://h:%zz,h2:1/db",
            "postgresql://h/%€x",
            "postgres://u:%0@h",
        ] {
            let Err(error) = parse(input) else {
                panic!("{input} parses");
            };
            assert!(
                error.span.start <= error.span.end && error.span.end <= input.len(),
                "{input}: {:?}",
                error.span
            );
            assert!(
                input.is_char_boundary(error.span.start) && input.is_char_boundary(error.span.end),
                "{input}"
            );
        }
    }

    #[test]
    fn nul_truncates() {
        let c = parse("host=a\0 port=1").ok();
        assert_eq!(c.as_ref().and_then(|c| c.get("host")), Some("a"));
        assert_eq!(c.as_ref().and_then(|c| c.get("port")), None);
        assert!(c.is_some_and(|c| c.notes.iter().any(|d| d.code == "PGP-PARAM-004")));
    }
}
