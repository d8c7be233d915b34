//! What every driver's reader shares: the [`Outcome`] it produces, the small helpers that
//! build one, the dialect rules, and the parameters only one driver reads.

use super::equivalent::Equivalent;
use super::model::Verdict;
use super::{kv, url};
use crate::conninfo::options::{self, HostKind, HostTarget};
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};

/// What a driver module found.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// False when the driver rejects the string outright.
    pub valid: bool,
    /// The parameters as the driver reads them, in the order found.
    pub params: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
    /// The driver's own TLS behaviour; `None` lets the libpq equivalent decide.
    pub verdict: Option<Verdict>,
    /// The libpq parameters with the same behaviour, when there are any.
    pub equivalent: Option<Equivalent>,
    /// Why there is no libpq equivalent at all (`equivalent` is `None`).
    pub no_equivalent: Option<String>,
    /// The host list, used when there is no equivalent to derive it from.
    pub hosts: Vec<HostTarget>,
}

impl Outcome {
    pub(crate) fn invalid(diagnostics: Vec<Diagnostic>) -> Outcome {
        Outcome {
            valid: false,
            params: Vec::new(),
            diagnostics,
            verdict: None,
            equivalent: None,
            no_equivalent: None,
            hosts: Vec::new(),
        }
    }

    /// The driver rejects the string: its one complaint, and nothing else.
    // `Rejection` is boxed so that `Result<_, Rejection>` stays small (clippy's
    // `result_large_err` on 64-bit targets); on wasm32 the box itself is what clippy notes.
    #[allow(clippy::boxed_local)]
    pub(crate) fn rejected(rejection: Rejection) -> Outcome {
        Outcome::invalid(vec![*rejection])
    }
}

/// A driver's own rejection of a string while reading or checking it; every other finding
/// made until then is dropped, as the driver stops there.
pub(crate) type Rejection = Box<Diagnostic>;

/// The driver rejects a parameter or value (`detail` quotes it); inside a URL query the fix
/// removes the element (see [`query_element_fix`]).
pub(crate) fn param_rejected(input: &str, detail: impl Into<String>, span: Span) -> Rejection {
    let mut diagnostic = Diagnostic::new(&RULE_PARAM_REJECTED, detail).at(span);
    if let Some(fix) = query_element_fix(input, span, 0) {
        diagnostic = diagnostic.with_fix(fix);
    }
    Box::new(diagnostic)
}

/// Most parameters of one kind (ignored, or refused one by one) whose fixes are written out:
/// each is the whole string again, and each is checked again, so a string of hundreds of them
/// would take seconds and megabytes (session 18 measured 200 under Prisma at 12.7 s). Pasted
/// strings hold a few (Prisma's `connection_limit`, `pool_timeout`, `schema`, `pgbouncer`).
pub(crate) const MOST_PARAMETER_FIXES: usize = 10;

/// The fix of the `nth` (from 0) parameter of its kind: `replacement` while there are not yet
/// [`MOST_PARAMETER_FIXES`], advice with the same title after.
pub(crate) fn parameter_fix(
    nth: usize,
    title: String,
    replacement: impl FnOnce() -> String,
) -> Fix {
    if nth < MOST_PARAMETER_FIXES {
        Fix::replace_with(title, replacement)
    } else {
        Fix::advice(title)
    }
}

/// A piece of the input for a driver's message (a port it refuses): `value` (the piece as
/// the driver reads it, at `span`), or the fixed mask where the lenient finders see a secret
/// there, such as the password of `scheme://user:password` without `@host`, which every URL
/// parser reads as the port. Masked here, by span, because only the check knows the piece
/// came from the input: the last-line scrub (`unchecked::scrub_secrets`) treats only
/// double-quoted pieces (libpq's convention) as input, and a driver's message quotes with
/// backticks, as the rule texts quote their own words, which the scrub must leave alone.
pub(crate) fn quotable(input: &str, span: Span, value: &str) -> String {
    Quoter::new(input).quote(span, value)
}

/// [`quotable`] for many pieces of one input (every key a driver ignores): the input's secrets
/// are found once, not once per piece, which made a string of thousands of keys quadratic.
pub(crate) struct Quoter<'a> {
    input: &'a str,
    secrets: Vec<(usize, usize)>,
}

impl<'a> Quoter<'a> {
    pub(crate) fn new(input: &'a str) -> Quoter<'a> {
        Quoter {
            input,
            secrets: crate::conninfo::redact::secret_spans(input, None),
        }
    }

    /// `value`, read at `span`, masked where it stands over a secret: the key of a query
    /// element after a query password's unencoded `&` (`k` of `?password=Zq9X&k=5487`) is the
    /// password's own text, which a secrets hunter saw quoted in "`k` is ignored".
    pub(crate) fn quote(&self, span: Span, value: &str) -> String {
        crate::conninfo::redact::mask_read_piece(self.input, &self.secrets, span, value, str::to_string)
    }
}

/// `input` read by libpq when it is a libpq URL (`postgresql://`, `postgres://`).
/// Query keys libpq does not know (another driver's, as Prisma's `pgbouncer`) are left out
/// and named: a driver expert saw Supabase's Prisma URL get no conversion at all.
/// Each key left out is given as it may be shown: masked where it stands over a secret (the
/// rest of a query password after an unencoded `&`, which the secrets review requires hidden).
pub(crate) fn libpq_url(input: &str) -> Option<(crate::conninfo::syntax::Conninfo, Vec<String>)> {
    let text = input.trim();
    let lower = text.to_ascii_lowercase();
    if !(lower.starts_with("postgresql://") || lower.starts_with("postgres://")) {
        return None;
    }
    if let Ok(conninfo) = crate::conninfo::syntax::parse(text) {
        return Some((conninfo, Vec::new()));
    }
    let query = url::split_url(text, url::At::First, false)?.query?;
    let quoter = Quoter::new(text);
    let mut dropped = Vec::new();
    let mut kept: Vec<&str> = Vec::new();
    for pair in url::pairs(text, query, url::Plus::Literal) {
        if crate::conninfo::keywords::lookup(&pair.key).is_some() {
            kept.push(url::text(text, pair.span));
        } else if !pair.span.is_empty() {
            dropped.push(quoter.quote(pair.key_span, &pair.key));
        }
    }
    let head = text.get(..query.start - 1).unwrap_or_default();
    let rebuilt = if kept.is_empty() {
        head.to_string()
    } else {
        format!("{head}?{}", kept.join("&"))
    };
    let conninfo = crate::conninfo::syntax::parse(&rebuilt).ok()?;
    Some((conninfo, dropped))
}

/// `a`, `a and b`, `a, b and c`: a list in a sentence.
pub(crate) fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// Sets or replaces `key` in an ordered parameter list (the driver reads the last occurrence).
pub(crate) fn put(params: &mut Vec<(String, String)>, key: &str, value: &str) {
    match params.iter_mut().find(|(k, _)| k == key) {
        Some(pair) => pair.1 = value.to_string(),
        None => params.push((key.to_string(), value.to_string())),
    }
}

/// The pairs in order, each key once with its last value where it first stood: [`put`] of
/// each in turn, in one pass (a fix's rendering of a string with hundreds of parameters put
/// each into a list searched from its start).
pub(crate) fn put_all<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut slot_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (key, value) in pairs {
        match slot_of.get(key).and_then(|&slot| out.get_mut(slot)) {
            Some(pair) => pair.1 = value.to_string(),
            None => {
                slot_of.insert(key, out.len());
                out.push((key.to_string(), value.to_string()));
            }
        }
    }
    out
}

/// A host list in libpq's shape, for outcomes without a libpq equivalent.
pub(crate) fn host_targets(hosts: &[(String, Option<String>)]) -> Vec<HostTarget> {
    hosts
        .iter()
        .map(|(host, port)| {
            let kind = if host.is_empty() {
                HostKind::Default
            } else if options::is_unix_socket_path(host) {
                HostKind::UnixSocket
            } else {
                HostKind::Name
            };
            HostTarget {
                host: Some(host.clone()),
                hostaddr: None,
                port: port.clone(),
                kind,
            }
        })
        .collect()
}

/// For a finding inside a URL query element: a fix that removes the element (without secrets).
/// For `sslmode`, setting `verify-full` instead.
pub(crate) fn query_element_fix(input: &str, span: Span, nth: usize) -> Option<Fix> {
    let parts = url::split_url(input, url::At::Last, false)?;
    let query = parts.query?;
    let pair = url::pairs(input, query, url::Plus::Literal)
        .into_iter()
        .find(|p| p.span.start <= span.start && span.end <= p.span.end && !p.span.is_empty())?;
    Some(if pair.key == "sslmode" {
        Fix::replace(
            "Use sslmode=verify-full",
            url::replace_span(input, pair.span, "sslmode=verify-full"),
        )
    } else {
        parameter_fix(
            nth,
            format!("Remove {}", quotable(input, pair.key_span, &pair.key)),
            || url::remove_element(input, pair.span),
        )
    })
}

/// `[start, end)` widened to character boundaries and clamped to the input.
pub(crate) fn char_span(input: &str, start: usize, end: usize) -> Span {
    let mut start = start.min(input.len());
    while !input.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, input.len());
    while !input.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// Digits only, at most 65535 (the WHATWG and Rust URL parsers' port rule).
pub(crate) fn is_port_number(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && text.parse::<u32>().is_ok_and(|p| p <= 65535)
}

/// The driver silently drops `setting` (`detail` says why and what to use instead): a warning
/// for a TLS setting, advice otherwise.
pub(crate) fn ignored(setting: &kv::Setting, detail: String, fix: Fix) -> Diagnostic {
    let severity = if is_tls_name(&setting.key) {
        Severity::Warning
    } else {
        Severity::Info
    };
    Diagnostic::new(&RULE_PARAM_IGNORED, detail)
        .at(setting.key_span)
        .with_severity(severity)
        .with_fix(fix)
}

/// Whether a parameter name is about TLS (its being ignored is then a warning, not advice).
pub(crate) fn is_tls_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("ssl") || lower.starts_with("tls") || lower.contains("cert")
}

/// The libpq keywords a driver that sends unknown parameters to the server as settings must not
/// forward: the server knows none of them as a setting and ends the connection with
/// `FATAL: unrecognized configuration parameter`. `application_name`, `client_encoding`,
/// `options` and `replication` are startup parameters the server does understand.
pub(crate) fn is_client_only_keyword(name: &str) -> bool {
    crate::conninfo::keywords::lookup(name).is_some()
        && !matches!(
            name,
            "application_name" | "client_encoding" | "options" | "replication"
        )
}

/// What a driver that sends the parameters it does not read to the server (asyncpg, pgx) makes
/// of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Forwarded {
    /// A startup parameter the server understands that libpq also has as a keyword.
    Startup,
    /// A libpq client parameter (or `ssl`): the server ends the connection.
    ClientOnly,
    /// A run-time setting (`SET name = value` at connection start).
    Setting,
}

/// A key that holds a secret in any spelling (`Password`, `PASSWORD`, `pasword`, `Pwd`; see
/// `embedded::secret_key`) is never a server setting either: the server ends the connection,
/// and its value, being a password, is never written into a message or into `options`.
pub(crate) fn forwarded(key: &str) -> Forwarded {
    if matches!(
        key,
        "application_name" | "client_encoding" | "options" | "replication"
    ) {
        Forwarded::Startup
    } else if is_client_only_keyword(key)
        || key == "ssl"
        || crate::conninfo::embedded::secret_key(key)
    {
        Forwarded::ClientOnly
    } else {
        Forwarded::Setting
    }
}

/// A forwarded parameter in the libpq equivalent: the same keyword, an approximation (the
/// connection ends), or `-c name=value` in `options`.
pub(crate) fn forward_to_equivalent(
    eq: &mut Equivalent,
    input: &str,
    driver: &str,
    setting: &kv::Setting,
    read: fn(&str) -> String,
) {
    // The value is masked where it stands over a secret; the key only where it is sent as a
    // run-time setting: a startup parameter or client keyword is a fixed word, which decides
    // how the equivalent reads it, and masking one would tell what the password holds.
    let value = eq.shown(input, setting.value_span, &setting.value, read);
    match forwarded(&setting.key) {
        Forwarded::Startup => eq.set(&setting.key, &value, setting.key_span, setting.value_span),
        Forwarded::ClientOnly => eq.approximate(format!(
            "{driver} sends `{}` to the server, which ends the connection",
            setting.key
        )),
        Forwarded::Setting => {
            let key = eq.shown(input, setting.key_span, &setting.key, read);
            eq.add_server_setting(&key, &value, setting.pair_span());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rules shared by several drivers.

rule!(
    RULE_DIALECT_UNSUPPORTED,
    "PGP-DRIVER-001",
    Error,
    "Connection string not understood for this driver",
    "The string does not have the shape the chosen driver expects, so the driver \
rejects it before connecting. Pick the driver explicitly with `--driver`, or check the driver's \
documentation for its URL format. The detail quotes the driver's own complaint where it has one.",
    []
);

rule!(
    RULE_PARAM_IGNORED,
    "PGP-DRIVER-002",
    Warning,
    "Parameter ignored by the driver",
    "The driver does not know this parameter and silently drops it, so the setting \
has no effect. This is most dangerous for TLS settings copied from a libpq string: the driver \
then runs with its own default instead (raised as a warning), while ignored non-TLS settings are \
advice (info). Use the driver's own name for the setting, listed in the detail where one exists, \
or configure it in code.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-PARAMKEYWORDS"]
);

rule!(
    RULE_PARAM_REJECTED,
    "PGP-DRIVER-003",
    Error,
    "Parameter or value the driver rejects",
    "The driver refuses this parameter or its value, either while parsing the string \
or when it tries to connect. The detail names what the driver accepts instead.",
    []
);

rule!(
    RULE_NO_LIBPQ_EQUIVALENT,
    "PGP-DRIVER-004",
    Info,
    "No exact libpq equivalent",
    "What the driver does with these settings cannot be written as a libpq \
connection string with the same behaviour, so none is offered. The security review still runs on \
the closest libpq reading when there is one; the detail says what differs.",
    ["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-PROTECTION"]
);

rule!(
    RULE_ROOT_CERT_UNUSED,
    "PGP-DRIVER-005",
    Warning,
    "Root certificate given but not used for verification",
    "A CA certificate is configured, but with this TLS mode the driver does not \
verify the server against it. libpq users expect `sslmode=require` plus `sslrootcert` to behave \
like `verify-ca`; several drivers instead skip verification entirely in `require`. Ask for \
verification explicitly with the driver's `verify-full` mode (or `verify-ca` when host names \
cannot match).",
    ["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS"]
);

rule!(
    RULE_CA_ONLY_SYSTEM_STORE,
    "PGP-DRIVER-006",
    Warning,
    "CA-only verification against the system trust store",
    "With `verify-ca` and no root certificate of its own, the driver checks the \
server certificate against every public CA the operating system trusts, but not the host name. \
Anyone who can get a certificate from any public CA for any name can then impersonate the \
server. Either give the server's own CA as the root certificate, or use `verify-full` so the host \
name is checked too.",
    ["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES"]
);

rule!(
    RULE_CLIENT_PARAM_AS_SETTING,
    "PGP-DRIVER-007",
    Error,
    "Client parameter sent to the server as a setting",
    "This driver forwards every parameter it does not know to the server as a \
run-time setting in the startup packet. The parameter is a libpq client option, not a server \
setting, so the server ends the connection with `FATAL: unrecognized configuration parameter`. \
Remove it and configure the behaviour through the driver's own API.",
    ["https://www.postgresql.org/docs/18/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-STARTUPMESSAGE"]
);

rule!(
    RULE_PARAM_AS_SETTING,
    "PGP-DRIVER-008",
    Info,
    "Parameter sent to the server as a setting",
    "This driver forwards parameters it does not know to the server as run-time \
settings (like `SET name = value` at connection start). That is a feature for settings such as \
`search_path` or `statement_timeout`, but a misspelt name makes the server refuse the \
connection (`unrecognized configuration parameter`), and names containing a dot are accepted \
as custom settings without any check.",
    ["https://www.postgresql.org/docs/18/runtime-config-client.html"]
);

rule!(
    RULE_SSLMODE_OVERRIDDEN,
    "PGP-DRIVER-009",
    Info,
    "TLS mode overridden by another parameter",
    "Another parameter in the string changes the TLS mode the driver uses, so the \
mode written is not the mode in effect. The detail says which parameter wins and what the \
driver does instead. Write the effective mode explicitly so the string says what it does.",
    []
);

rule!(
    RULE_MULTIPLE_HOSTS_UNSUPPORTED,
    "PGP-DRIVER-010",
    Error,
    "Driver does not support multiple hosts",
    "The string lists several hosts, as libpq allows for failover, but this driver \
reads the whole list as a single host name (or rejects it), so the connection fails. Put one \
host in the string and handle failover outside it (a load balancer, DNS, or the driver's own \
failover API).",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-MULTIPLE-HOSTS"]
);

rule!(
    RULE_SYSTEM_ROOT_AS_FILE,
    "PGP-DRIVER-011",
    Error,
    "sslrootcert=system is read as a file name",
    "libpq 16 and later read `sslrootcert=system` as \"trust the operating system's \
CA store\". This driver has no such special value: it tries to open a file called `system` and \
the connection fails. Give the path of a CA bundle instead (for public CAs, the system bundle \
such as `/etc/ssl/certs/ca-certificates.crt`).",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT",]
);

rule!(
    RULE_LIBPQ_WOULD_REJECT,
    "PGP-DRIVER-028",
    Info,
    "libpq would reject this string",
    "The string is written in libpq's syntax (a `postgres://` URL or keyword/value pairs) but \
was recognised as another driver's by what it sets (Prisma's `pgbouncer`, pgx's pool \
settings, …) and checked as that driver reads it. libpq, and everything built on it (psql, \
psycopg, pg_dump, most GUI tools), would reject it outright; the detail quotes libpq's \
message. Use the string with the driver it was written for, or leave those settings out for \
libpq-based tools. Not raised for a string in another syntax altogether (a JDBC URL, an \
ADO.NET string, a SQLAlchemy `postgresql+driver://` URL), which no one takes for libpq's.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING"]
);

rule!(
    RULE_PLUS_IN_QUERY_SECRET,
    "PGP-DRIVER-029",
    Warning,
    "A plus sign in a password in the URL query is read as a space",
    "Every driver but libpq decodes a URL's query as a web form does, where `+` stands for a \
space: `?password=ab+cd` sends the password `ab cd`, and authentication fails with a password \
that looks right. Write each `+` of the password as `%2B` (or move the password out of the \
string). In the user information (`user:ab+cd@host`) a `+` is read as written.",
    [
        "https://github.com/pgjdbc/pgjdbc/blob/REL42.7.4/pgjdbc/src/main/java/org/postgresql/Driver.java",
        "https://url.spec.whatwg.org/#urlencoded-parsing",
        "https://docs.python.org/3/library/urllib.parse.html#urllib.parse.parse_qs",
        "https://pkg.go.dev/net/url#ParseQuery",
        "https://docs.rs/form_urlencoded/1.2.1/form_urlencoded/fn.parse.html"
    ]
);

/// A `+` written in a secret's value in a URL query (`?password=ab+cd`), which the driver
/// reads as a space: pgjdbc (`URLDecoder.decode` in `Driver.parseURL`, 42.7), node-postgres
/// (WHATWG `URLSearchParams`), asyncpg and SQLAlchemy (`urllib.parse.parse_qs[l]`), pgx (Go's
/// `url.ParseQuery`) and Prisma (the `url` crate's form-urlencoded `query_pairs`) all do; libpq
/// does not (`conninfo_uri_decode`, PostgreSQL 18). The finding quotes nothing: it is the
/// password. Found by an outside review: the reading was right, but nothing said so.
pub(crate) fn plus_in_query_secret(input: &str, dialect: super::Dialect) -> Option<Diagnostic> {
    let reader = plus_as_space_reader(dialect)?;
    query_pairs_as_written(input)?
        .into_iter()
        .find(|pair| {
            crate::conninfo::embedded::secret_key(&pair.key)
                && text_of(input, pair.value_span).contains('+')
        })
        .map(|pair| {
            Diagnostic::new(
                &RULE_PLUS_IN_QUERY_SECRET,
                format!(
                    "{reader} reads each `+` in the `{}` value as a space, so the server gets a different password from the one written",
                    pair.key
                ),
            )
            .at(pair.value_span)
            .with_fix(Fix::advice(format!(
                "Write each `+` in `{}` as `%2B`, or supply the password outside the string",
                pair.key
            )))
        })
}

/// The driver that reads a URL query's `+` as a space, by the reader that does it; `None`
/// for libpq (and Npgsql, which reads no URL).
fn plus_as_space_reader(dialect: super::Dialect) -> Option<&'static str> {
    use super::Dialect;
    Some(match dialect {
        Dialect::Libpq | Dialect::Npgsql => return None,
        Dialect::Jdbc => "pgjdbc (`URLDecoder`)",
        Dialect::NodePostgres => "node-postgres (`URLSearchParams`)",
        Dialect::Asyncpg => "asyncpg (`parse_qs`)",
        Dialect::Sqlalchemy => "SQLAlchemy (`parse_qsl`)",
        Dialect::Pgx => "pgx (`url.ParseQuery`)",
        Dialect::Prisma => "Prisma (form-urlencoded query pairs)",
    })
}

/// The query elements of a URL, with their spans, `+` left as written.
fn query_pairs_as_written(input: &str) -> Option<Vec<url::Pair>> {
    let authority = input.find("://")? + 3;
    let query_start = authority + input.get(authority..)?.find('?')? + 1;
    let query_end = input.get(query_start..)?.find('#').map_or(input.len(), |f| query_start + f);
    Some(url::pairs(input, Span::new(query_start, query_end), url::Plus::Literal))
}

rule!(
    RULE_PLUS_IN_QUERY_PATH,
    "PGP-DRIVER-031",
    Warning,
    "A plus sign in a file path in the URL query is read as a space",
    "Every driver but libpq decodes a URL's query as a web form does, where `+` stands for a \
space: `?sslrootcert=/certs/ca+root.pem` names `/certs/ca root.pem`, and the driver reports a \
missing file that looks present. Write each `+` of the path as `%2B`.",
    [
        "https://github.com/pgjdbc/pgjdbc/blob/REL42.7.4/pgjdbc/src/main/java/org/postgresql/Driver.java",
        "https://url.spec.whatwg.org/#urlencoded-parsing",
        "https://docs.python.org/3/library/urllib.parse.html#urllib.parse.parse_qs",
        "https://pkg.go.dev/net/url#ParseQuery",
        "https://docs.rs/form_urlencoded/1.2.1/form_urlencoded/fn.parse.html"
    ]
);

/// Query keys whose values are file paths, in any driver's names.
pub(crate) const PATH_KEYS: &[&str] = &["sslrootcert", "sslcert", "sslkey", "sslcrl", "sslidentity", "passfile"];

/// A `+` in a file path in a URL query (`?sslrootcert=ca+root.pem`), which every driver but
/// libpq reads as a space (the readers of [`plus_in_query_secret`]); a driver expert saw one
/// fix keep the `+` and another write it as `%20`. The fix writes it as `%2B`.
pub(crate) fn plus_in_query_paths(input: &str, dialect: super::Dialect) -> Vec<Diagnostic> {
    let Some(reader) = plus_as_space_reader(dialect) else {
        return Vec::new();
    };
    query_pairs_as_written(input)
        .unwrap_or_default()
        .into_iter()
        .filter(|pair| PATH_KEYS.contains(&pair.key.as_str()))
        .filter(|pair| text_of(input, pair.value_span).contains('+'))
        .map(|pair| {
            let written = text_of(input, pair.value_span).replace('+', "%2B");
            Diagnostic::new(
                &RULE_PLUS_IN_QUERY_PATH,
                format!(
                    "{reader} reads each `+` in the `{}` path as a space, so it opens another file",
                    pair.key
                ),
            )
            .at(pair.value_span)
            .with_fix({
                // Written whole, as every fix: without the string's secrets, which a replacement
                // would otherwise carry masked (a driver expert saw `password=********`).
                let replacement = url::replace_span(input, pair.value_span, &written);
                let mut title = format!("Write each `+` in `{}` as `%2B`", pair.key);
                if url::without_secrets(input) != input {
                    title.push_str(&format!(" ({})", crate::conninfo::security::SECRETS_LEFT_OUT));
                }
                Fix::replace(title, replacement)
            })
        })
        .collect()
}

/// A query value as the URL drivers but libpq read it (`+` a space).
fn read_as(written: &str) -> String {
    url::decode(written, url::Plus::Space).text
}

/// The values of a URL query as written (undecoded), by key, secrets left out: what a URL
/// writer re-encoding a value the driver read from one of them writes instead, so a fix
/// shows the value as the user wrote it (`sslrootcert=C:\certs\ca.pem` in every fix, not
/// `C%3A%5Ccerts%5Cca.pem` in those that rewrite the string: a driver expert's #18).
#[derive(Debug, Clone, Default)]
pub(crate) struct WrittenQuery(Vec<(String, String)>);

impl WrittenQuery {
    pub(crate) fn of(input: &str) -> WrittenQuery {
        let values = query_pairs_as_written(input)
            .unwrap_or_default()
            .into_iter()
            .filter(|pair| !crate::conninfo::embedded::secret_key(&pair.key))
            .map(|pair| (pair.key, text_of(input, pair.value_span).to_string()))
            .collect();
        WrittenQuery(values)
    }

    /// `value` (as a driver read it) as a URL query writes it: a file path the driver read
    /// with each `+` as a space as its writer meant it (PGP-DRIVER-031: the `+` encoded,
    /// never the driver's space, which a driver expert saw written `%20`); a value one of
    /// the query's own reads as, as written there; any other value encoded.
    pub(crate) fn encoded(&self, value: &str) -> String {
        let meant = self.meant(value);
        if meant != value {
            return url::encode_query_value(&meant);
        }
        match self.0.iter().find(|(_, written)| read_as(written) == value) {
            Some((_, written)) => written.clone(),
            None => url::encode_query_value(value),
        }
    }

    /// `value` as its writer meant it: a file path of the query the driver read with each `+`
    /// as a space is the path with the `+` (what a fix's title names, too); any other value
    /// as it is.
    pub(crate) fn meant(&self, value: &str) -> String {
        self.0
            .iter()
            .find(|(key, written)| {
                PATH_KEYS.contains(&key.as_str()) && written.contains('+') && read_as(written) == value
            })
            .map_or_else(|| value.to_string(), |(_, written)| url::decode(written, url::Plus::Literal).text)
    }
}

fn text_of(input: &str, span: Span) -> &str {
    input.get(span.start..span.end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::conninfo::dialect::Dialect;
    use crate::conninfo::{analyze, CheckOptions};

    /// The `%2B` fix leaves the string's secrets out, as every fix does (a driver expert saw
    /// the mask written as the password).
    #[test]
    fn the_plus_fix_carries_no_secret() {
        let input = "jdbc:postgresql://db.example.com/app?user=app&password=Zq9XWk7V&sslmode=require&sslrootcert=/etc/ssl/my+ca.pem";
        let analysis = analyze(input, Some(Dialect::Jdbc), &CheckOptions::default());
        let fix = analysis.diagnostics.iter().find(|d| d.code == "PGP-DRIVER-031").and_then(|d| d.fix.clone()).unwrap_or_else(|| panic!("no fix"));
        let replacement = fix.replacement.unwrap_or_default();
        assert_eq!(replacement, "jdbc:postgresql://db.example.com/app?user=app&sslmode=require&sslrootcert=/etc/ssl/my%2Bca.pem");
        assert!(fix.title.contains("secrets are left out"), "{}", fix.title);
    }

    /// A fix that writes such a path again (the verify fix, Prisma's move into `sslcert`)
    /// writes the `+` meant, not the driver's space (a driver expert saw `%20`).
    #[test]
    fn fixes_write_a_plus_path_as_meant() {
        for (dialect, input) in [
            (Dialect::NodePostgres, "postgresql://app@db.example.com/app?sslmode=require&sslrootcert=/etc/ssl/my+ca.pem"),
            (Dialect::Jdbc, "jdbc:postgresql://db.example.com/app?sslmode=require&sslrootcert=/etc/ssl/my+ca.pem"),
            (Dialect::Prisma, "postgresql://app@db.example.com/app?sslmode=require&sslrootcert=/etc/ssl/my+ca.pem"),
            (Dialect::Pgx, "postgresql://app@db.example.com/app?sslmode=require&sslrootcert=/etc/ssl/my+ca.pem"),
        ] {
            let analysis = analyze(input, Some(dialect), &CheckOptions::default());
            let replacements: Vec<&str> = analysis
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref()?.replacement.as_deref())
                .collect();
            assert!(replacements.iter().any(|r| r.contains("sslmode=verify-full") || r.contains("sslaccept=strict")), "{dialect:?}: {replacements:?}");
            for replacement in replacements {
                assert!(!replacement.contains("my%20ca") && !replacement.contains("my ca"), "{dialect:?}: {replacement}");
            }
            for title in analysis.diagnostics.iter().filter_map(|d| d.fix.as_ref()).map(|f| f.title.as_str()) {
                assert!(!title.contains("my ca"), "{dialect:?}: {title}");
            }
        }
    }

    /// A `+` in a file path of a URL query is a space to every URL driver but libpq: each
    /// says so, and its fix writes `%2B`, which the driver reads back as the `+` meant.
    #[test]
    fn a_plus_in_a_query_path_is_named_for_the_drivers_that_read_a_space() {
        let url = "postgresql://app@db.example.com/app?sslmode=verify-full&sslrootcert=/certs/ca+root.pem";
        let jdbc = "jdbc:postgresql://db.example.com/app?sslmode=verify-full&sslrootcert=/certs/ca+root.pem";
        for (dialect, input, named) in [
            (Dialect::Libpq, url, false),
            (Dialect::NodePostgres, url, true),
            (Dialect::Pgx, url, true),
            (Dialect::Asyncpg, url, true),
            (Dialect::Jdbc, jdbc, true),
        ] {
            let analysis = analyze(input, Some(dialect), &CheckOptions::default());
            let finding = analysis.diagnostics.iter().find(|d| d.code == "PGP-DRIVER-031");
            assert_eq!(finding.is_some(), named, "{dialect:?}: {:?}", analysis.diagnostics);
            if let Some(fix) = finding.and_then(|f| f.fix.as_ref()?.replacement.as_deref()) {
                assert!(fix.ends_with("sslrootcert=/certs/ca%2Broot.pem"), "{fix}");
                let again = analyze(fix, Some(dialect), &CheckOptions::default());
                assert!(again.diagnostics.iter().all(|d| d.code != "PGP-DRIVER-031"), "{fix}");
            }
        }
    }
}
