//! Broken pastes: what happens to a connection string between the page it was copied from and
//! the box it was pasted into. Each shape is recognised and named — surrounding quotes or
//! brackets, a `NAME=…` or `export NAME=…` line, a whole `psql "…"` command, whitespace around
//! it, invisible characters, HTML entities, an upper-case scheme, a second `?`, `;` between
//! libpq pairs, unencoded `@ / # %` in the user information — and the string the user meant is
//! rebuilt, with a map from its offsets back to the input, so the analysis of what was meant
//! still points into what was pasted.

use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::registry::Rule;

/// Path settings that libpq opens as written.
const PATH_KEYWORDS: &[&str] = &[
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "sslcrldir",
    "passfile",
];

rule!(
    RULE_TILDE_PATH,
    "PGP-PASTE-011",
    Error,
    "A home-directory path libpq does not expand",
    "libpq opens `sslrootcert`, `sslcert`, `sslkey`, `sslcrl` and `passfile` exactly as written: a \
leading `~` (or `$HOME`) is not expanded, so `~/.postgresql/root.crt` names a directory called \
`~` in the current directory, which does not exist, and the connection fails. Write the full \
path (libpq's own default files, such as `~/.postgresql/root.crt`, are found without naming \
them).",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT"]
);

rule!(
    RULE_BACKSLASH_PATH,
    "PGP-PASTE-012",
    Error,
    "Backslashes in an unquoted keyword/value path",
    "In a keyword/value string a backslash escapes the next character, so an unquoted Windows \
path such as `C:\\certs\\ca.pem` reaches libpq as `C:certsca.pem`. Write the path with forward \
slashes (`C:/certs/ca.pem`, which Windows and OpenSSL accept), or quote it and double each \
backslash.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE"]
);

/// `~` paths and unquoted backslash paths in libpq's path settings (libpq docs; `conninfo_parse`
/// unescapes `\` in keyword/value values).
pub fn check_paths(input: &str, conninfo: &super::syntax::Conninfo) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for param in conninfo
        .params
        .iter()
        .filter(|p| PATH_KEYWORDS.contains(&p.keyword) && !p.value_span.is_empty())
    {
        let raw = input
            .get(param.value_span.start..param.value_span.end)
            .unwrap_or_default();
        if param.value.starts_with('~') || param.value.starts_with("$HOME") {
            out.push(
                Diagnostic::new(
                    &RULE_TILDE_PATH,
                    format!(
                        "`{}={}` starts with `~`, which libpq does not expand.",
                        param.keyword, param.value
                    ),
                )
                .at(param.value_span)
                .with_fix(Fix::advice(
                    "Write the full path, for example `/home/you/.postgresql/root.crt`",
                )),
            );
        }
        let keyword_value = conninfo.form == super::syntax::Form::KeywordValue;
        if keyword_value && raw.contains('\\') && !raw.starts_with('\'') {
            let forward = raw.replace('\\', "/");
            out.push(
                Diagnostic::new(
                    &RULE_BACKSLASH_PATH,
                    format!(
                        "`{}` is written `{raw}`, which libpq reads as `{}`.",
                        param.keyword, param.value
                    ),
                )
                .at(param.value_span)
                .with_fix(Fix::edit(
                    format!(
                        "Write the path with forward slashes: set `{}={forward}`",
                        param.keyword
                    ),
                    super::redact::render_with(
                        conninfo,
                        &[super::redact::Edit::Set(param.keyword, &forward)],
                    ),
                    vec![crate::diagnostic::Change::Set(
                        param.keyword,
                        forward.clone(),
                    )],
                )),
            );
        }
    }
    out
}

pub static RULES: &[&Rule] = &[
    &RULE_WRAPPED,
    &RULE_ASSIGNMENT,
    &RULE_COMMAND,
    &RULE_SURROUNDING_SPACE,
    &RULE_INVISIBLE,
    &RULE_HTML_ENTITIES,
    &RULE_SCHEME_CASE,
    &RULE_SEMICOLONS,
    &RULE_SECOND_QUERY,
    &RULE_UNENCODED_USERINFO,
    &RULE_TILDE_PATH,
    &RULE_BACKSLASH_PATH,
];

/// The string the user meant, the findings on what was pasted (spans into the input), and
/// for each byte offset of `text` the input offset it came from.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub text: String,
    pub findings: Vec<Diagnostic>,
    origin: Vec<usize>,
}

impl Recovered {
    /// The input span a span of `text` came from.
    pub fn to_input(&self, span: Span) -> Span {
        let at = |offset: usize| {
            self.origin
                .get(offset)
                .copied()
                .or_else(|| self.origin.last().copied())
                .unwrap_or_default()
        };
        let start = at(span.start);
        let end = if span.end > span.start {
            at(span.end - 1) + 1
        } else {
            start
        };
        Span::new(start, end.max(start))
    }
}

/// Text being rebuilt with the input offset of every byte.
struct Work {
    text: String,
    origin: Vec<usize>,
    findings: Vec<Diagnostic>,
    input_len: usize,
}

impl Work {
    fn new(input: &str) -> Work {
        let mut origin: Vec<usize> = (0..input.len()).collect();
        origin.push(input.len());
        Work {
            text: input.to_string(),
            origin,
            findings: Vec::new(),
            input_len: input.len(),
        }
    }

    fn input_span(&self, start: usize, end: usize) -> Span {
        let at = |o: usize| self.origin.get(o).copied().unwrap_or(self.input_len);
        Span::new(
            at(start),
            if end > start {
                at(end - 1) + 1
            } else {
                at(start)
            },
        )
    }

    /// Keeps only `text[start..end]`.
    fn keep(&mut self, start: usize, end: usize) {
        self.replace_all(&[
            (end, self.text.len(), String::new()),
            (0, start, String::new()),
        ]);
    }

    /// Replaces byte ranges (non-overlapping, any order) with new text; the new bytes map to
    /// the start of the range they replace.
    fn replace_all(&mut self, edits: &[(usize, usize, String)]) {
        let mut edits: Vec<&(usize, usize, String)> = edits
            .iter()
            .filter(|(s, e, r)| s < e || !r.is_empty())
            .collect();
        edits.sort_by_key(|(s, _, _)| *s);
        let mut text = String::with_capacity(self.text.len());
        let mut origin = Vec::with_capacity(self.origin.len());
        let mut at = 0;
        for (start, end, with) in edits {
            if *start < at {
                continue;
            }
            text.push_str(self.text.get(at..*start).unwrap_or_default());
            origin.extend(self.origin.get(at..*start).unwrap_or_default());
            let from = self.origin.get(*start).copied().unwrap_or(self.input_len);
            text.push_str(with);
            origin.extend(std::iter::repeat_n(from, with.len()));
            at = *end;
        }
        text.push_str(self.text.get(at..).unwrap_or_default());
        origin.extend(self.origin.get(at..).unwrap_or_default());
        self.text = text;
        self.origin = origin;
    }

    fn note(&mut self, rule: &'static Rule, detail: String, start: usize, end: usize) {
        let span = self.input_span(start, end);
        self.findings.push(Diagnostic::new(rule, detail).at(span));
    }
}

const QUOTE_PAIRS: &[(char, char)] = &[
    ('"', '"'),
    ('\'', '\''),
    ('`', '`'),
    ('\u{201c}', '\u{201d}'),
    ('\u{201d}', '\u{201d}'),
    ('\u{2018}', '\u{2019}'),
    ('\u{2019}', '\u{2019}'),
    ('\u{ab}', '\u{bb}'),
    ('<', '>'),
];

/// Whether `text` looks like a connection string of some dialect (a URI, a JDBC URL, or
/// `key=value` pairs).
fn looks_like_connection(text: &str) -> bool {
    text.contains("://") || text.to_ascii_lowercase().starts_with("jdbc:") || text.contains('=')
}

rule!(RULE_SURROUNDING_SPACE, "PGP-PASTE-004", Warning, "Whitespace around the string",
"Spaces, tabs or line breaks before or after the string came with the copy. libpq skips them in \
keyword/value strings but not after a URI (the last value then ends in a space or line \
break), and other drivers read them into the first or last setting.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING"]);

fn trim_space(work: &mut Work) {
    let is_space = |c: char| c.is_whitespace() || c == '\u{feff}';
    let start = work.text.len() - work.text.trim_start_matches(is_space).len();
    let end = work.text.trim_end_matches(is_space).len();
    if (start > 0 || end < work.text.len()) && end > start {
        let what = if work.text.contains(['\n', '\r']) {
            "line breaks or spaces"
        } else {
            "spaces"
        };
        work.findings.push(
            Diagnostic::new(
                &RULE_SURROUNDING_SPACE,
                format!("The string has {what} before or after it."),
            )
            .at(Span::new(
                work.origin.first().copied().unwrap_or_default(),
                work.origin.last().copied().unwrap_or_default(),
            )),
        );
        work.keep(start, end);
    }
}

rule!(RULE_ASSIGNMENT, "PGP-PASTE-002", Error, "An environment-variable line, not a string",
"The pasted text is a shell, `.env` or YAML line — `DATABASE_URL=\"…\"`, `export DATABASE_URL=…` \
or a Compose file's `DATABASE_URL: …` — rather than the connection string it assigns. The fix is \
the value.",
["https://www.postgresql.org/docs/18/libpq-envars.html"]);

/// Whether `finding` is about unencoded characters in a URL's user information: libpq reads
/// `#` and `?` there as written (a warning), not `@`, `/` or a bare `%` (an error); for another
/// driver the analysis reads the string as pasted to tell.
pub fn is_unencoded_userinfo(finding: &Diagnostic) -> bool {
    finding.code == RULE_UNENCODED_USERINFO.code
}

/// `NAME=value`, `export NAME=value`, `set NAME=value`, `$env:NAME = "value"`, and the YAML
/// forms of a Compose file or a platform's manifest: `NAME: value` and the list item
/// `- NAME=value`.
fn unwrap_assignment(work: &mut Work) {
    let text = work.text.clone();
    let mut rest = text.as_str();
    let mut skipped = 0;
    // A YAML list item's dash says nothing by itself: only the name and value below do.
    if let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start();
    }
    for prefix in ["export ", "set ", "$env:"] {
        if let Some(r) = rest.strip_prefix(prefix) {
            skipped = prefix.len();
            rest = r;
        }
    }
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = rest.get(..name_len).unwrap_or_default();
    let after = rest.get(name_len..).unwrap_or_default();
    let trimmed = after.trim_start();
    // YAML's mapping needs a space after the colon (`NAME: value`); `NAME:value` is no mapping.
    let yaml = trimmed.strip_prefix(": ").or_else(|| trimmed.strip_prefix(":\t"));
    let Some(value) = trimmed.strip_prefix('=').or(yaml) else {
        return;
    };
    let value_at = text.len() - value.len();
    let value = value.trim_start();
    let value_at = value_at + (text.len() - value_at - value.len());
    // An upper-case variable name (`DATABASE_URL`), never a libpq keyword, and a value that
    // is itself a string (quoted, or a URI).
    let upper = !name.is_empty()
        && name.bytes().any(|b| b.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    let quoted = value.starts_with(['"', '\'']);
    // No connection string is written `name: value`, so a YAML key (`ConnectionStrings__Default:`)
    // needs no upper case.
    let named = upper || skipped > 0 || (yaml.is_some() && !name.is_empty());
    // A password variable (`PGPASSWORD='…'`, `POSTGRES_PASSWORD="…"`) holds a password, not a
    // string: its value read as one made a reader quote pieces of it (an outside review saw
    // Npgsql's `Couldn't set <key>` name one).
    let holds_a_password = super::embedded::secret_key(name);
    if !named || holds_a_password || !(quoted || value.contains("://")) {
        return;
    }
    work.note(
        &RULE_ASSIGNMENT,
        format!("The text assigns the string to `{name}`; the string is its value."),
        0,
        value_at,
    );
    work.keep(value_at, text.len());
}

rule!(
    RULE_COMMAND,
    "PGP-PASTE-003",
    Error,
    "A whole psql command, not a string",
    "The pasted text is a command line (`psql \"…\"`, `psql -d …`) rather than its connection \
string. The fix is the string the command passes.",
    ["https://www.postgresql.org/docs/18/app-psql.html"]
);

/// `psql "…"`, `psql '…'`, `psql -d "…"`, `psql --dbname=…`, `psql postgres://…`.
fn unwrap_command(work: &mut Work) {
    let text = work.text.clone();
    let Some(rest) = text.strip_prefix("psql ") else {
        return;
    };
    let mut offset = text.len() - rest.len();
    let mut arg = rest.trim_start();
    offset += rest.len() - arg.len();
    for flag in ["-d ", "--dbname=", "--dbname "] {
        if let Some(a) = arg.strip_prefix(flag) {
            offset += flag.len();
            arg = a;
        }
    }
    let end = match arg.chars().next() {
        Some(q @ ('"' | '\'')) => arg.get(1..).and_then(|a| a.find(q)).map(|e| e + 2),
        Some(_) => Some(arg.find(' ').unwrap_or(arg.len())),
        None => None,
    };
    let Some(end) = end else { return };
    if !looks_like_connection(arg.get(..end).unwrap_or_default()) {
        return;
    }
    work.note(
        &RULE_COMMAND,
        "The text is a `psql` command; the string is its connection argument.".to_string(),
        0,
        text.len(),
    );
    work.keep(offset, offset + end);
}

rule!(
    RULE_WRAPPED,
    "PGP-PASTE-001",
    Error,
    "The string is wrapped in quotes or brackets",
    "The pasted text starts and ends with quotes (straight `\"` `'`, typographic `“ ”` `‘ ’`, \
backticks) or angle brackets, which belong to the page or code it was copied from, not to the \
connection string. Drivers read them as part of the string and reject it or misread its \
first and last settings. The fix is the text inside.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING"]
);

fn unwrap_quotes(work: &mut Work) {
    let text = work.text.clone();
    let mut chars = text.chars();
    let (Some(first), Some(last)) = (chars.next(), text.chars().next_back()) else {
        return;
    };
    if text.chars().count() < 3 {
        return;
    }
    let Some(&(open, close)) = QUOTE_PAIRS
        .iter()
        .find(|(o, c)| *o == first && (*c == last || (*o == last && *o != '<')))
    else {
        return;
    };
    let inner_start = open.len_utf8();
    let inner_end = text.len() - close.len_utf8().min(last.len_utf8());
    let inner = text.get(inner_start..inner_end).unwrap_or_default();
    if !looks_like_connection(inner) {
        return;
    }
    let what = match open {
        '<' => "angle brackets",
        '`' => "backticks",
        '"' | '\'' => "quotes",
        _ => "typographic quotes",
    };
    work.note(
        &RULE_WRAPPED,
        format!("The string is wrapped in {what}."),
        0,
        text.len(),
    );
    work.keep(inner_start, inner_end);
}

/// The escape shown for an invisible character.
fn escape(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

rule!(
    RULE_INVISIBLE,
    "PGP-PASTE-005",
    Error,
    "Invisible characters in the string",
    "The string contains characters that do not show: zero-width spaces and joiners, a byte-order \
mark, non-breaking spaces. Web pages and chat tools insert them; drivers read them as part of a \
host name, a keyword or a value, which then does not match. The detail shows them as escapes \
(`\\u{200b}`); the fix removes them (a non-breaking space becomes a space).",
    ["https://www.unicode.org/reports/tr44/#General_Category_Values"]
);

fn remove_invisible(work: &mut Work) {
    let mut edits = Vec::new();
    let mut seen = Vec::new();
    for (at, c) in work.text.char_indices() {
        let with = match c {
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => "",
            '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{3000}' => " ",
            _ => continue,
        };
        edits.push((at, at + c.len_utf8(), with.to_string()));
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    let Some(&(first, _, _)) = edits.first() else {
        return;
    };
    let last = edits.last().map_or(first, |(_, e, _)| *e);
    let shown: Vec<String> = seen.iter().map(|c| format!("`{}`", escape(*c))).collect();
    work.note(
        &RULE_INVISIBLE,
        format!(
            "The string contains {} invisible character{} ({}).",
            edits.len(),
            if edits.len() == 1 { "" } else { "s" },
            shown.join(", ")
        ),
        first,
        last,
    );
    work.replace_all(&edits);
}

rule!(
    RULE_HTML_ENTITIES,
    "PGP-PASTE-006",
    Error,
    "HTML entities in the string",
    "The string contains HTML entities such as `&amp;`, copied from a page's source or an e-mail: \
`&amp;` is `&` on the page. In a URL query `&amp;` starts a parameter called `amp;…`, so the \
setting after it is lost. The fix decodes them.",
    ["https://html.spec.whatwg.org/multipage/named-characters.html"]
);

fn decode_entities(work: &mut Work) {
    const ENTITIES: &[(&str, &str)] = &[
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&apos;", "'"),
        ("&#64;", "@"),
        ("&#x40;", "@"),
        ("&#61;", "="),
        ("&#x3d;", "="),
    ];
    let mut edits = Vec::new();
    for (entity, with) in ENTITIES {
        for (at, _) in work.text.match_indices(entity) {
            edits.push((at, at + entity.len(), with.to_string()));
        }
    }
    let Some(first) = edits.iter().map(|(s, _, _)| *s).min() else {
        return;
    };
    let last = edits.iter().map(|(_, e, _)| *e).max().unwrap_or(first);
    work.note(
        &RULE_HTML_ENTITIES,
        format!(
            "The string contains {} HTML entit{} such as `&amp;`.",
            edits.len(),
            if edits.len() == 1 { "y" } else { "ies" }
        ),
        first,
        last,
    );
    work.replace_all(&edits);
}

rule!(
    RULE_SCHEME_CASE,
    "PGP-PASTE-007",
    Error,
    "Upper-case URI scheme",
    "libpq recognises a URI only by the exact prefixes `postgresql://` and `postgres://`; \
`POSTGRESQL://` or `Postgres://` is read as a keyword/value string and rejected. The fix \
writes the scheme in lower case.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS"]
);

fn lower_scheme(work: &mut Work) {
    let Some(end) = work.text.find("://") else {
        return;
    };
    let scheme = work.text.get(..end).unwrap_or_default().to_string();
    let lower = scheme.to_ascii_lowercase();
    if scheme == lower || !matches!(lower.as_str(), "postgresql" | "postgres") {
        return;
    }
    work.note(
        &RULE_SCHEME_CASE,
        format!("The scheme is written `{scheme}://`; libpq needs `{lower}://`."),
        0,
        end,
    );
    work.replace_all(&[(0, end, lower)]);
}

rule!(
    RULE_UNENCODED_USERINFO,
    "PGP-PASTE-010",
    Error,
    "Unencoded special characters in the user name or password",
    "In a URI the user information ends at `@`, the host at `/`, and `#` and `%` are special. A \
password or user name (an e-mail address) containing them must be percent-encoded (`@` as \
`%40`, `/` as `%2F`, `#` as `%23`, `?` as `%3F`, `%` as `%25`); otherwise the client reads part of the \
password as the host, so the connection goes to the wrong place and part of the password may \
be shown as a host name. The fix encodes them.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
        "https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1"
    ]
);

/// `@ / # %` inside the user information of a `postgres[ql]://` URI (up to the last `@`
/// before the query), percent-encoded. Nothing is quoted: it is the password.
fn encode_userinfo(work: &mut Work) {
    let text = work.text.clone();
    // postgres[ql]://, and SQLAlchemy's postgresql+driver:// and cockroachdb://, whose URL
    // parsers also end the user information at an `@`.
    let lower = text.to_ascii_lowercase();
    let scheme = lower.split("://").next().unwrap_or_default();
    let backend = scheme.split('+').next().unwrap_or_default();
    if !lower.contains("://") || !matches!(backend, "postgresql" | "postgres" | "cockroachdb") {
        return;
    }
    let start = text.find("://").map_or(0, |p| p + 3);
    let rest = text.get(start..).unwrap_or_default();
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let Some(last_at) = rest.get(..end).and_then(super::redact::userinfo_end) else {
        return;
    };
    let userinfo = rest.get(..last_at).unwrap_or_default();
    let bytes = userinfo.as_bytes();
    let mut edits = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let bad_percent = b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        let with = match b {
            b'@' => "%40",
            b'/' => "%2F",
            b'#' => "%23",
            b'?' => "%3F",
            _ if bad_percent => "%25",
            _ => continue,
        };
        edits.push((start + i, start + i + 1, with.to_string()));
    }
    if edits.is_empty() {
        return;
    }
    let in_password = userinfo
        .find(':')
        .is_some_and(|colon| edits.iter().all(|(s, _, _)| *s > start + colon));
    let whose = if in_password {
        "the password"
    } else {
        "the user name or password"
    };
    // libpq ends the user information at the first `@` or `/` only (`conninfo_uri_parse_options`,
    // PostgreSQL 18): `#` and `?` alone break the URL for URL parsers, not for libpq, so the
    // finding is a warning there (an outside review saw a libpq string called broken).
    let url_parsers_only = edits
        .iter()
        .all(|(s, _, _)| matches!(bytes.get(s - start), Some(b'#' | b'?')));
    if url_parsers_only {
        work.note(
            &RULE_UNENCODED_USERINFO,
            format!(
                "{} character{} in {whose} should be percent-encoded (`#` as `%23`, `?` as `%3F`): libpq reads {} as written, but the URL parsers of node-postgres, Prisma, pgx and asyncpg end the user information there.",
                edits.len(),
                if edits.len() == 1 { "" } else { "s" },
                if edits.len() == 1 { "it" } else { "them" }
            ),
            start,
            start + last_at,
        );
        if let Some(finding) = work.findings.last_mut() {
            finding.severity = Severity::Warning;
        }
        work.replace_all(&edits);
        return;
    }
    work.note(
        &RULE_UNENCODED_USERINFO,
        format!(
            "{} character{} in {whose} must be percent-encoded (`@` as `%40`, `/` as `%2F`, `#` as `%23`, `%` as `%25`); as written, the client reads part of it as the host.",
            edits.len(),
            if edits.len() == 1 { "" } else { "s" }
        ),
        start,
        start + last_at,
    );
    work.replace_all(&edits);
}

rule!(
    RULE_SECOND_QUERY,
    "PGP-PASTE-009",
    Error,
    "A second question mark in the URI",
    "A URI has one query, introduced by `?`, whose parameters are separated by `&`. A second `?` \
(from appending `?sslmode=…` to a URI that already had parameters) becomes part of the previous \
value. The fix turns it into `&`.",
    ["https://www.rfc-editor.org/rfc/rfc3986#section-3.4"]
);

/// `postgresql://h/db?sslmode=require?connect_timeout=10`: every `?` after the first, when a
/// `key=` follows, becomes `&`.
fn second_question_mark(work: &mut Work) {
    let Some(scheme_end) = work.text.find("://").map(|at| at + 3) else {
        return;
    };
    // A `?` in the user information is the password's own (`app:Ab?sslmode=disable@db`,
    // which libpq reads as the password; an outside review saw the fix turn the real query
    // into part of the database name).
    let authority = work.text.get(scheme_end..).unwrap_or_default();
    let query_from = scheme_end + super::redact::userinfo_end(authority).map_or(0, |at| at + 1);
    let Some(first) = work
        .text
        .get(query_from..)
        .and_then(|rest| rest.find('?'))
        .map(|at| query_from + at)
    else {
        return;
    };
    let edits: Vec<(usize, usize, String)> = work
        .text
        .match_indices('?')
        .map(|(at, _)| at)
        .filter(|&at| at > first)
        .filter(|&at| {
            let next = work.text.get(at + 1..).unwrap_or_default();
            let key_len = next
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(next.len());
            key_len > 0 && next.get(key_len..).is_some_and(|r| r.starts_with('='))
        })
        .map(|at| (at, at + 1, "&".to_string()))
        .collect();
    let Some((at, _, _)) = edits.first().cloned() else {
        return;
    };
    work.note(
        &RULE_SECOND_QUERY,
        "The URI has a second `?` where `&` separates parameters.".to_string(),
        at,
        at + 1,
    );
    work.replace_all(&edits);
}

rule!(
    RULE_SEMICOLONS,
    "PGP-PASTE-008",
    Error,
    "Semicolons between libpq settings",
    "libpq separates keyword/value pairs with spaces; `host=db;port=5432` gives `host` the value \
`db;port=5432`. The separator comes from ADO.NET or JDBC habits. The fix separates the pairs \
with spaces.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE"]
);

/// `host=db;port=5432;sslrootcert=…`: keyword/value pairs of libpq keywords separated by
/// `;`, at least one of which Npgsql does not know (otherwise it is an ADO.NET string).
fn semicolon_pairs(work: &mut Work) {
    let text = work.text.clone();
    if text.contains("://") || !text.contains(';') || text.contains(['\'', '"']) {
        return;
    }
    let pairs: Vec<&str> = text.split(';').filter(|p| !p.trim().is_empty()).collect();
    let keys: Vec<&str> = pairs
        .iter()
        .filter_map(|p| p.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    if keys.len() < 2 || keys.len() != pairs.len() {
        return;
    }
    let all_libpq = keys
        .iter()
        .all(|k| super::keywords::lookup(k).is_some_and(|kw| kw.name == *k));
    let libpq_only = keys.iter().any(|k| !super::dialect::npgsql_knows(k));
    if !(all_libpq && libpq_only) {
        return;
    }
    let edits: Vec<(usize, usize, String)> = text
        .match_indices(';')
        .map(|(at, _)| (at, at + 1, " ".to_string()))
        .collect();
    let first = edits.first().map_or(0, |(s, _, _)| *s);
    work.note(
        &RULE_SEMICOLONS,
        "libpq keyword/value pairs are separated by `;`; libpq separates them with spaces."
            .to_string(),
        first,
        first + 1,
    );
    work.replace_all(&edits);
}

/// What the user meant, when the input is a broken paste; `None` when nothing was found.
pub fn recover(input: &str) -> Option<Recovered> {
    // libpq reads a C string, which ends at a NUL: only what comes before it is recovered
    // (recovering past it would move text between the parts libpq sees and those it does not).
    let visible = input.split('\0').next().unwrap_or_default();
    let mut work = Work::new(visible);
    remove_invisible(&mut work);
    trim_space(&mut work);
    unwrap_command(&mut work);
    unwrap_assignment(&mut work);
    trim_space(&mut work);
    unwrap_quotes(&mut work);
    trim_space(&mut work);
    decode_entities(&mut work);
    lower_scheme(&mut work);
    // The user information first: a `?` in a password is not a second query.
    encode_userinfo(&mut work);
    second_question_mark(&mut work);
    semicolon_pairs(&mut work);
    if work.findings.is_empty() || work.text.is_empty() {
        return None;
    }
    Some(Recovered {
        text: work.text,
        findings: work.findings,
        origin: work.origin,
    })
}

/// The fix every paste finding offers: the recovered string, secrets left out (`shown`), and
/// applied in the page by [`recover`] on the user's own text. `secrets_left_out`: the user's
/// string holds secrets that `shown` leaves out, so the title says where the encoded
/// characters went (a driver expert read "characters encoded" above a string showing no
/// password, whose characters they were).
pub fn fix(shown: Option<String>, secrets_left_out: bool) -> Fix {
    let title = if secrets_left_out && shown.is_some() {
        format!(
            "Use the string as it was meant (the pasted extras removed, special characters percent-encoded; {}, percent-encoded)",
            crate::conninfo::security::SECRETS_LEFT_OUT
        )
    } else {
        "Use the string as it was meant (the pasted extras removed, special characters percent-encoded)".to_string()
    };
    Fix {
        recovers_paste: true,
        ..match shown {
            Some(s) => Fix::replace(title, s),
            None => Fix::advice(title),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recovered(input: &str) -> (String, Vec<&'static str>) {
        match recover(input) {
            Some(r) => (r.text, r.findings.iter().map(|d| d.code).collect()),
            None => (input.to_string(), Vec::new()),
        }
    }

    #[test]
    fn shapes_are_recognised_and_undone() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "\u{201c}postgresql://u@h/db\u{201d}",
                "postgresql://u@h/db",
                &["PGP-PASTE-001"],
            ),
            (
                "<postgresql://u@h/db>",
                "postgresql://u@h/db",
                &["PGP-PASTE-001"],
            ),
            (
                "DATABASE_URL=\"postgresql://u@h/db\"",
                "postgresql://u@h/db",
                &["PGP-PASTE-002", "PGP-PASTE-001"],
            ),
            (
                "export DATABASE_URL=postgres://u@h/db",
                "postgres://u@h/db",
                &["PGP-PASTE-002"],
            ),
            (
                "DATABASE_URL: postgresql://u@h/db?sslmode=require",
                "postgresql://u@h/db?sslmode=require",
                &["PGP-PASTE-002"],
            ),
            (
                "- DATABASE_URL=postgres://u@h/db",
                "postgres://u@h/db",
                &["PGP-PASTE-002"],
            ),
            (
                "DATABASE_URL: 'host=h dbname=db'",
                "host=h dbname=db",
                &["PGP-PASTE-002", "PGP-PASTE-001"],
            ),
            (
                "psql \"host=h dbname=db\"",
                "host=h dbname=db",
                &["PGP-PASTE-003", "PGP-PASTE-001"],
            ),
            (
                "  postgresql://u@h/db\n",
                "postgresql://u@h/db",
                &["PGP-PASTE-004"],
            ),
            (
                "postgresql://u@h/db\u{200b}",
                "postgresql://u@h/db",
                &["PGP-PASTE-005"],
            ),
            (
                "host=h\u{a0}dbname=db",
                "host=h dbname=db",
                &["PGP-PASTE-005"],
            ),
            (
                "postgresql://u@h/db?sslmode=require&amp;channel_binding=require",
                "postgresql://u@h/db?sslmode=require&channel_binding=require",
                &["PGP-PASTE-006"],
            ),
            (
                "POSTGRESQL://u@h/db",
                "postgresql://u@h/db",
                &["PGP-PASTE-007"],
            ),
            (
                "host=h;dbname=db;sslrootcert=ca.pem",
                "host=h dbname=db sslrootcert=ca.pem",
                &["PGP-PASTE-008"],
            ),
            (
                "postgresql://u@h/db?sslmode=require?connect_timeout=10",
                "postgresql://u@h/db?sslmode=require&connect_timeout=10",
                &["PGP-PASTE-009"],
            ),
            (
                "postgresql://app:p@ssw0rd@db.example.com/app",
                "postgresql://app:p%40ssw0rd@db.example.com/app",
                &["PGP-PASTE-010"],
            ),
            (
                "postgresql://me@example.com:pw@db/app",
                "postgresql://me%40example.com:pw@db/app",
                &["PGP-PASTE-010"],
            ),
        ];
        for (input, meant, codes) in cases {
            let (text, found) = recovered(input);
            assert_eq!(&text, meant, "{input}");
            assert_eq!(&found, codes, "{input}");
        }
        for clean in [
            "postgresql://u@h/db",
            "host=h dbname=db",
            "Host=h;Database=db;Username=u",
            "jdbc:postgresql://h/db?user=u",
            "postgresql://u:p%40ss@h/db",
        ] {
            assert!(recover(clean).is_none(), "{clean}");
        }
    }

    /// From an outside review: libpq reads `#` (and `?`) in user information as written, so a
    /// libpq string holding one is not broken: the finding is a warning that names the parsers
    /// it breaks. `@` and `/` break libpq too and stay errors.
    #[test]
    fn a_hash_in_the_password_breaks_url_parsers_not_libpq() {
        let severity = |input: &str| {
            recover(input)
                .and_then(|r| r.findings.into_iter().find(|d| d.code == "PGP-PASTE-010"))
                .map(|d| d.severity)
        };
        assert_eq!(
            severity("postgresql://app:Zq9X#Wk7V@db.example.com/x"),
            Some(Severity::Warning)
        );
        assert_eq!(
            severity("postgresql://app:Zq9X@Wk7V@db.example.com/x"),
            Some(Severity::Error)
        );
        // For node-postgres, whose URL parser throws on it, the `#` is an error.
        let node = crate::conninfo::analyze(
            "postgres://app:Zq9X#Wk7V@db.example.com/x",
            Some(crate::conninfo::dialect::Dialect::NodePostgres),
            &crate::conninfo::CheckOptions::default(),
        );
        let finding = node.diagnostics.iter().find(|d| d.code == "PGP-PASTE-010");
        assert_eq!(finding.map(|d| d.severity), Some(Severity::Error));
    }

    /// From an outside review: a `?` in the password is not the query's first, and the
    /// "second `?`" fix turned the real query into part of the database name.
    #[test]
    fn a_question_mark_in_the_password_starts_no_query() {
        let (_, codes) =
            recovered("postgresql://app:Ab?sslmode=disable@db.example.com/x?sslmode=require");
        assert!(!codes.contains(&"PGP-PASTE-009"), "{codes:?}");
        let (text, codes) = recovered("postgresql://app@db.example.com/x?sslmode=require?connect_timeout=5");
        assert_eq!(text, "postgresql://app@db.example.com/x?sslmode=require&connect_timeout=5");
        assert!(codes.contains(&"PGP-PASTE-009"), "{codes:?}");
    }

    #[test]
    fn spans_map_back_into_the_input() {
        let input = "DATABASE_URL=\"postgresql://u@h/db?sslmode=Require\"";
        let Some(r) = recover(input) else {
            panic!("recovered")
        };
        let at = r.text.find("Require").unwrap_or_default();
        let span = r.to_input(Span::new(at, at + 7));
        assert_eq!(input.get(span.start..span.end), Some("Require"));
    }
}
