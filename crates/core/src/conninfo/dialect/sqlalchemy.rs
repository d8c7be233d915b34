//! SQLAlchemy 2.0 URLs: `postgresql[+driver]://user:password@host:port/database?key=value`.
//!
//! Sources: `lib/sqlalchemy/engine/url.py` (`_parse_url`: the URL pattern, `unquote` of user and
//! password, `parse_qsl` of the query) and the PostgreSQL dialects' `create_connect_args` in
//! `lib/sqlalchemy/dialects/postgresql/` (`psycopg2.py`, `psycopg.py`: the query becomes libpq
//! connection keywords; `asyncpg.py`: the query becomes `asyncpg.connect()` keyword arguments;
//! `pg8000.py`: `pg8000.connect()` keyword arguments) in
//! <https://github.com/sqlalchemy/sqlalchemy>; pg8000's `connect()` documentation
//! (`ssl_context=None` means no TLS).
//!
//! Version: 2.0 (checked in the 2.0.36 wheel). SQLAlchemy 2.1 (2.1.9) also unquotes the
//! database name (`for comp in "username", "password", "database"`), so `/my%23db` names
//! `my#db` there and `my%23db` in 2.0; nothing else read here differs.

use super::asyncpg::{mode_tls, parse_mode};
use super::equivalent::Equivalent;
use super::kv::{self, Setting};
use super::url::{self, text, Plus};
use super::{
    put, Outcome, Rejection, Tls, RULE_DIALECT_UNSUPPORTED, RULE_PARAM_IGNORED, RULE_PARAM_REJECTED,
};
use crate::conninfo::keywords;
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};

/// `[\w+]+://` with a `+driver` part and a PostgreSQL dialect name.
pub(super) fn looks_like_sqlalchemy(input: &str) -> bool {
    let Some(separator) = input.find("://") else {
        return false;
    };
    let name = input
        .get(..separator)
        .unwrap_or_default()
        .to_ascii_lowercase();
    // sqlalchemy-cockroachdb registers the `cockroachdb` dialect (psycopg2 by default,
    // `+asyncpg`, `+psycopg`), which libpq would not accept as a scheme.
    if name == "cockroachdb" {
        return true;
    }
    let Some((backend, driver)) = name.split_once('+') else {
        return false;
    };
    matches!(backend, "postgresql" | "postgres" | "cockroachdb")
        && !driver.is_empty()
        && driver
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The pieces `_parse_url`'s pattern captures, with spans.
#[derive(Debug)]
struct Parts {
    name: Span,
    username: Option<Span>,
    password: Option<Span>,
    host: Option<Span>,
    port: Option<Span>,
    database: Option<Span>,
    query: Option<Span>,
}

/// `_parse_url`'s regular expression: `name://[user[:password]@][host|[ipv6]][:port][/database][?query]`,
/// where the user cannot contain `:` or `/`, the password runs to the first `@`, the host
/// cannot contain `/`, `:` or `?`, and everything after `?` is the query.
fn split(input: &str) -> Option<Parts> {
    let separator = input.find("://")?;
    let name = input.get(..separator)?;
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+')
    {
        return None;
    }
    let mut parts = Parts {
        name: Span::new(0, separator),
        username: None,
        password: None,
        host: None,
        port: None,
        database: None,
        query: None,
    };
    let start = separator + 3;
    let rest = input.get(start..)?;
    let user_end = rest.find([':', '/']).unwrap_or(rest.len());
    let mut position = start;
    if rest.as_bytes().get(user_end) == Some(&b':') {
        if let Some(at) = rest.get(user_end + 1..).and_then(|r| r.find('@')) {
            parts.username = Some(Span::new(start, start + user_end));
            parts.password = Some(Span::new(start + user_end + 1, start + user_end + 1 + at));
            position = start + user_end + 1 + at + 1;
        }
    }
    if parts.username.is_none() {
        if let Some(at) = rest.get(..user_end).and_then(|r| r.rfind('@')) {
            parts.username = Some(Span::new(start, start + at));
            position = start + at + 1;
        }
    }
    let bytes = input.as_bytes();
    if bytes.get(position) == Some(&b'[') {
        if let Some(close) = input.get(position..).and_then(|r| r.find(']')) {
            parts.host = Some(Span::new(position + 1, position + close));
            position += close + 1;
        }
    } else {
        let host_end = input
            .get(position..)
            .and_then(|r| r.find(['/', ':', '?']))
            .map_or(input.len(), |i| position + i);
        if host_end > position {
            parts.host = Some(Span::new(position, host_end));
            position = host_end;
        }
    }
    if bytes.get(position) == Some(&b':') {
        let port_end = input
            .get(position + 1..)
            .and_then(|r| r.find(['/', '?']))
            .map_or(input.len(), |i| position + 1 + i);
        parts.port = Some(Span::new(position + 1, port_end));
        position = port_end;
    }
    if bytes.get(position) == Some(&b'/') {
        let db_end = input
            .get(position + 1..)
            .and_then(|r| r.find('?'))
            .map_or(input.len(), |i| position + 1 + i);
        parts.database = Some(Span::new(position + 1, db_end));
        position = db_end;
    }
    if bytes.get(position) == Some(&b'?') {
        parts.query = Some(Span::new(position + 1, input.len()));
    }
    Some(parts)
}

const ASYNCPG_KWARGS: &[&str] = &[
    "dsn",
    "host",
    "port",
    "user",
    "password",
    "passfile",
    "database",
    "timeout",
    "statement_cache_size",
    "max_cached_statement_lifetime",
    "max_cacheable_statement_size",
    "command_timeout",
    "ssl",
    "direct_tls",
    "target_session_attrs",
    "krbsrvname",
    "gsslib",
];
/// Arguments asyncpg compares with numbers (a string from the URL raises TypeError).
const ASYNCPG_NUMERIC: &[&str] = &[
    "timeout",
    "statement_cache_size",
    "max_cached_statement_lifetime",
    "max_cacheable_statement_size",
];
/// Consumed by SQLAlchemy's asyncpg adaptation layer.
const SQLALCHEMY_ASYNCPG: &[&str] = &[
    "prepared_statement_cache_size",
    "async_fallback",
    "prepared_statement_name_func",
];
const PG8000_KWARGS: &[&str] = &[
    "user",
    "host",
    "database",
    "port",
    "password",
    "source_address",
    "unix_sock",
    "timeout",
    "tcp_keepalive",
    "application_name",
    "replication",
];

/// A SQLAlchemy URL as `make_url` reads it.
#[derive(Debug)]
struct SqlalchemyUrl {
    /// The dialect and driver name (`postgresql+asyncpg`).
    name: Span,
    /// The URL's components, keyed by `URL`'s attribute names (`username`, `password`, `host`,
    /// `port`, `database`); user and password unquoted, the others as written.
    components: Vec<Setting>,
    /// `URL.query` without `plugin`: a repeated key is one setting whose values are joined
    /// with commas (a list).
    args: Vec<Setting>,
}

impl SqlalchemyUrl {
    fn component(&self, key: &str) -> Option<&Setting> {
        kv::get(&self.components, key)
    }

    fn arg(&self, key: &str) -> Option<&Setting> {
        kv::get(&self.args, key)
    }

    /// The driver after `+`; psycopg2 when none is named.
    fn driver<'a>(&self, input: &'a str) -> &'a str {
        match text(input, self.name).split_once('+') {
            Some((_, driver)) if !driver.is_empty() => driver,
            _ => "psycopg2",
        }
    }
}

rule!(
    RULE_DRIVER_NOT_MODELLED,
    "PGP-DRIVER-027",
    Info,
    "Database driver not modelled",
    "pg-preflight knows how SQLAlchemy's psycopg2, psycopg, asyncpg and pg8000 \
dialects hand the URL to their driver. For other drivers the TLS behaviour is not analysed; \
check the driver's documentation for how it reads the query parameters.",
    ["https://docs.sqlalchemy.org/en/20/dialects/postgresql.html"]
);

pub(super) fn parse(input: &str) -> Outcome {
    let url = match read(input) {
        Ok(url) => url,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    let mut diagnostics = Vec::new();
    let (verdict, equivalent) = match url.driver(input) {
        driver @ ("psycopg2" | "psycopg" | "psycopg_async" | "psycopg2cffi") => {
            check_multihost(&url, &mut diagnostics);
            check_libpq_keywords(input, &url, driver, &mut diagnostics);
            (None, libpq_equivalent(input, &url))
        }
        "asyncpg" => {
            let refused = check_asyncpg_args(input, &url, &mut diagnostics);
            let mode = check_asyncpg_ssl(input, &url, &mut diagnostics);
            let tls = match mode {
                Some(mode) if !refused => mode_tls(mode, false),
                _ => Tls::Refused,
            };
            (
                Some(tls.verdict("asyncpg")),
                asyncpg_equivalent(input, &url, mode, refused),
            )
        }
        "pg8000" => {
            check_pg8000_args(&url, &mut diagnostics);
            check_pg8000_tls(&url, &mut diagnostics);
            (
                Some(Tls::Off.verdict("pg8000")),
                pg8000_equivalent(input, &url),
            )
        }
        other => {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_DRIVER_NOT_MODELLED,
                    format!("`postgresql+{other}`: how this driver reads the URL is not modelled"),
                )
                .at(url.name),
            );
            return Outcome {
                valid: true,
                params: params(input, &url),
                diagnostics,
                verdict: None,
                equivalent: None,
                no_equivalent: Some(format!("the {other} driver is not modelled")),
                hosts: Vec::new(),
            };
        }
    };
    Outcome {
        valid: true,
        params: params(input, &url),
        diagnostics,
        verdict,
        equivalent: Some(equivalent),
        no_equivalent: None,
        hosts: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// `make_url`: the URL pattern, the dialect name, the port as a number, the components and the
/// query.
fn read(input: &str) -> Result<SqlalchemyUrl, Rejection> {
    let Some(parts) = split(input) else {
        return Err(Box::new(
            Diagnostic::new(
                &RULE_DIALECT_UNSUPPORTED,
                "SQLAlchemy: \"Could not parse SQLAlchemy URL from string\"; write `postgresql+driver://user@host:5432/database`",
            )
            .at(Span::new(0, input.len())),
        ));
    };
    check_dialect_name(input, parts.name)?;
    check_port(input, parts.port)?;
    Ok(SqlalchemyUrl {
        name: parts.name,
        components: components(input, &parts),
        args: read_query(input, parts.query),
    })
}

rule!(
    RULE_POSTGRES_NAME,
    "PGP-DRIVER-024",
    Error,
    "SQLAlchemy does not know the dialect name postgres",
    "SQLAlchemy 1.4 removed the `postgres` alias: `postgres://` and \
`postgres+driver://` fail with `NoSuchModuleError: Can't load plugin: \
sqlalchemy.dialects:postgres`. Platforms such as Heroku still hand out `postgres://` URLs; \
replace the scheme with `postgresql://` (or `postgresql+driver://`).",
    ["https://docs.sqlalchemy.org/en/20/changelog/changelog_14.html#change-3687655465c25a39b968b4f5f6e9170b"]
);

/// `URL._get_entrypoint`: only the `postgresql` dialect (and sqlalchemy-cockroachdb's
/// `cockroachdb`) is PostgreSQL; the `postgres` alias is gone since SQLAlchemy 1.4.
fn check_dialect_name(input: &str, name: Span) -> Result<(), Rejection> {
    let name_text = text(input, name);
    let (backend, _) = name_text.split_once('+').unwrap_or((name_text, ""));
    if backend == "postgres" {
        let corrected = format!(
            "postgresql{}",
            input.get(backend.len()..).unwrap_or_default()
        );
        return Err(Box::new(
            Diagnostic::new(
                &RULE_POSTGRES_NAME,
                format!(
                    "SQLAlchemy: \"NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:{}\"",
                    name_text.replace('+', ".")
                ),
            )
            .at(Span::new(0, backend.len()))
            .with_fix(Fix::replace(
                "Use postgresql:// as the scheme",
                url::without_secrets(&corrected),
            )),
        ));
    }
    // `cockroachdb[+driver]://` (sqlalchemy-cockroachdb) hands the URL to the same DBAPI
    // drivers as `postgresql`: psycopg2 by default, or `+psycopg` / `+asyncpg`
    // (cockroachdb/sqlalchemy-cockroachdb `sqlalchemy_cockroachdb/__init__.py` registry).
    if backend != "postgresql" && backend != "cockroachdb" {
        return Err(Box::new(
            Diagnostic::new(
                &RULE_DIALECT_UNSUPPORTED,
                format!("`{backend}` is not SQLAlchemy's PostgreSQL dialect (`postgresql`)"),
            )
            .at(name),
        ));
    }
    Ok(())
}

/// `make_url`: `int(port)` fails on anything but a number.
fn check_port(input: &str, port: Option<Span>) -> Result<(), Rejection> {
    let Some(port) = port.filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    if text(input, port).parse::<u16>().is_err() {
        return Err(Box::new(
            Diagnostic::new(
                &RULE_PARAM_REJECTED,
                format!(
                    "SQLAlchemy: `int('{}')` fails: the port must be a number",
                    super::quotable(input, port, text(input, port))
                ),
            )
            .at(port),
        ));
    }
    Ok(())
}

/// User and password are unquoted; host and database are taken as written; empty port and
/// database count as absent.
fn components(input: &str, parts: &Parts) -> Vec<Setting> {
    [
        ("username", parts.username, true),
        ("password", parts.password, true),
        ("host", parts.host, false),
        ("port", parts.port.filter(|p| !p.is_empty()), false),
        ("database", parts.database.filter(|d| !d.is_empty()), false),
    ]
    .into_iter()
    .filter_map(|(key, span, unquote)| {
        let span = span?;
        let written = text(input, span);
        let value = if unquote {
            url::decode(written, Plus::Literal).text
        } else {
            written.to_string()
        };
        Some(Setting::part(key, value, span))
    })
    .collect()
}

/// `parse_qsl`: `+` is a space, blank values are dropped; repeated keys become lists (here one
/// setting with the values joined by commas); `plugin` is SQLAlchemy's own.
fn read_query(input: &str, query: Option<Span>) -> Vec<Setting> {
    let mut args: Vec<Setting> = Vec::new();
    let Some(query) = query else {
        return args;
    };
    for pair in url::pairs(input, query, Plus::Space) {
        if pair.value.is_empty() || pair.key.is_empty() {
            continue;
        }
        match args.iter_mut().find(|a| a.key == pair.key) {
            Some(existing) => {
                existing.value = format!("{},{}", existing.value, pair.value);
                existing.value_span = existing.value_span.cover(pair.value_span);
                existing.span = existing.span.cover(pair.span);
            }
            None => args.push(pair.into_setting()),
        }
    }
    args.retain(|a| a.key != "plugin");
    args
}

// ---------------------------------------------------------------------------------------------
// Checks: psycopg2 and psycopg 3 (libpq).

/// `_split_multihost_from_url`: `host=` query parameters may not be mixed with a host in the
/// authority.
fn check_multihost(url: &SqlalchemyUrl, diagnostics: &mut Vec<Diagnostic>) {
    if let (Some(multi), Some(_)) = (url.arg("host"), url.component("host")) {
        diagnostics.push(
            Diagnostic::new(
                &RULE_PARAM_REJECTED,
                "SQLAlchemy: \"Can't mix 'multihost' formats together\"; put every host in `host=` query parameters, or none",
            )
            .at(multi.pair_span()),
        );
    }
}

/// The query becomes libpq connection keywords; libpq rejects unknown ones.
fn check_libpq_keywords(
    input: &str,
    url: &SqlalchemyUrl,
    driver: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let quoter = super::Quoter::new(input);
    let refused = url
        .args
        .iter()
        .filter(|a| a.key != "host" && keywords::lookup(&a.key).is_none());
    for (nth, a) in refused.enumerate() {
        let shown = quoter.quote(a.key_span, &a.key);
        diagnostics.push(
            Diagnostic::new(
                &RULE_PARAM_REJECTED,
                format!(
                    "{driver} passes `{shown}` to libpq, which refuses to connect: \"invalid connection option \\\"{shown}\\\"\""
                ),
            )
            .at(a.key_span)
            .with_fix(libpq_keyword_fix(input, url, a, &shown, nth)),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Checks: asyncpg.

/// What `postgresql+asyncpg://` makes of a query parameter: the query becomes
/// `asyncpg.connect()` keyword arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AsyncpgArg {
    /// Consumed by SQLAlchemy's asyncpg adaptation layer.
    Adapter,
    /// `sslmode`, which asyncpg calls `ssl`.
    SslMode,
    /// Not an argument of `connect()`: TypeError.
    Unknown,
    /// Compared with a number: TypeError for the string.
    Numeric,
    /// Passed on.
    Known,
}

fn asyncpg_arg(key: &str) -> AsyncpgArg {
    if SQLALCHEMY_ASYNCPG.contains(&key) {
        AsyncpgArg::Adapter
    } else if key == "sslmode" {
        AsyncpgArg::SslMode
    } else if !ASYNCPG_KWARGS.contains(&key) {
        AsyncpgArg::Unknown
    } else if ASYNCPG_NUMERIC.contains(&key) {
        AsyncpgArg::Numeric
    } else {
        AsyncpgArg::Known
    }
}

rule!(
    RULE_ASYNCPG_SSLMODE,
    "PGP-DRIVER-025",
    Error,
    "sslmode is not an asyncpg connect() argument",
    "With `postgresql+asyncpg://` SQLAlchemy passes every query parameter to \
`asyncpg.connect()` as a keyword argument. `asyncpg.connect()` has no `sslmode` argument, so \
the connection fails with `TypeError: connect() got an unexpected keyword argument 'sslmode'`. \
The argument is called `ssl` and takes the same mode names (`ssl=verify-full`). A CA file cannot \
be named in the URL: the verify modes read the file `PGSSLROOTCERT` names, else \
`~/.postgresql/root.crt`, and fail where neither exists; or pass an `ssl.SSLContext` in \
`connect_args`. (In code, \
`ssl=True` means a default context: verify-full against the system CAs; from a URL the value is \
always a string, and `ssl=true` is rejected.)",
    [
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.asyncpg",
        "https://magicstack.github.io/asyncpg/current/api/index.html#connection",
    ]
);

/// `asyncpg.connect()` raises TypeError for `sslmode`, unknown arguments and strings where it
/// expects numbers; `direct_tls` as a string is always true. Whether it raises.
fn check_asyncpg_args(input: &str, url: &SqlalchemyUrl, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let mut refused = false;
    for a in &url.args {
        let key = a.key.as_str();
        match asyncpg_arg(key) {
            AsyncpgArg::Adapter => {}
            AsyncpgArg::SslMode => {
                refused = true;
                // An `ssl` written beside it goes: SQLAlchemy would pass both values as one
                // tuple (a driver expert saw `?ssl=verify-full&ssl=true` written).
                let others: Vec<Span> = url
                    .args
                    .iter()
                    .filter(|other| other.key == "ssl")
                    .map(Setting::pair_span)
                    .collect();
                let fixed = query_edited(input, a.key_span, "ssl", &others);
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_ASYNCPG_SSLMODE,
                        "asyncpg.connect() raises `TypeError: connect() got an unexpected keyword argument 'sslmode'`",
                    )
                    .at(a.key_span)
                    // Beside TLS files, which connect() refuses too, renaming is not enough: the
                    // fix is the SSLContext that takes them (a driver expert saw the renamed
                    // string keep `sslrootcert`, refused in the same output).
                    .with_fix(if has_tls_files(url) {
                        tls_files_in_code(url)
                    } else {
                        Fix::replace("Call the argument ssl", fixed)
                    }),
                );
            }
            AsyncpgArg::Unknown if matches!(key, "sslrootcert" | "sslcert" | "sslkey") => {
                refused = true;
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_PARAM_REJECTED,
                        format!("asyncpg.connect() raises `TypeError: connect() got an unexpected keyword argument '{key}'`; the files go in an ssl.SSLContext"),
                    )
                    .at(a.key_span)
                    .with_severity(Severity::Error)
                    .with_fix(tls_files_in_code(url)),
                );
            }
            AsyncpgArg::Unknown => {
                refused = true;
                let hint = match key {
                    "application_name" => {
                        "; set it with connect_args={\"server_settings\": {\"application_name\": …}}"
                    }
                    "connect_timeout" => {
                        "; the argument is called `timeout`, and must be a number (connect_args)"
                    }
                    _ => "",
                };
                let severity = if super::is_tls_name(key) {
                    Severity::Error
                } else {
                    RULE_PARAM_REJECTED.severity
                };
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_PARAM_REJECTED,
                        format!("asyncpg.connect() raises `TypeError: connect() got an unexpected keyword argument '{key}'`{hint}"),
                    )
                    .at(a.key_span)
                    .with_severity(severity),
                );
            }
            AsyncpgArg::Numeric => {
                refused = true;
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_PARAM_REJECTED,
                        format!("`{key}` arrives as the string `{}` and asyncpg compares it with a number (TypeError); pass it in connect_args", a.value),
                    )
                    .at(a.value_span),
                );
            }
            AsyncpgArg::Known if key == "direct_tls" => diagnostics.push(
                Diagnostic::new(
                    &RULE_PARAM_IGNORED,
                    "`direct_tls` arrives as a string, which is always true in Python",
                )
                .at(a.value_span)
                .with_severity(Severity::Info),
            ),
            AsyncpgArg::Known => {}
        }
    }
    refused
}

/// An `ssl=` value written to switch TLS on, as node-postgres's and pgjdbc's users write it
/// (`ssl=true`) and as Python's configuration readers take a boolean (`1`, `yes`, `on`).
fn means_true(value: &str) -> bool {
    matches!(value.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
}

/// The fix for a key libpq refuses: `ssl=true` (node-postgres's and pgjdbc's switch) is
/// libpq's `sslmode` (`verify-full` beside a CA file, else `require`) where no `sslmode` is
/// written; a driver expert saw "Remove ssl" turn TLS off. Any other key is removed.
fn libpq_keyword_fix(
    input: &str,
    url: &SqlalchemyUrl,
    a: &Setting,
    shown: &str,
    nth: usize,
) -> Fix {
    if a.key == "ssl" && means_true(&a.value) && url.arg("sslmode").is_none() {
        let mode = if url.arg("sslrootcert").is_some() {
            "verify-full"
        } else {
            "require"
        };
        return Fix::replace(
            format!("Use sslmode={mode}"),
            url::replace_span(input, a.pair_span(), &format!("sslmode={mode}")),
        );
    }
    super::parameter_fix(nth, format!("Remove {shown}"), || {
        url::remove_element(input, a.pair_span())
    })
}

/// `input` with the query key at `key_span` renamed to `key` and the query elements at
/// `removed` (with one `&` each) left out, secrets left out.
fn query_edited(input: &str, key_span: Span, key: &str, removed: &[Span]) -> String {
    let mut edits: Vec<(Span, &str)> = vec![(key_span, key)];
    for &span in removed {
        edits.push((url::with_separator(input, span), ""));
    }
    crate::sort::sort_by_key(&mut edits, |(span, _)| std::cmp::Reverse(span.start));
    let mut text = input.to_string();
    for (span, replacement) in edits {
        if text.get(span.start..span.end).is_some() {
            text.replace_range(span.start..span.end, replacement);
        }
    }
    url::without_secrets(&text)
}

/// The fix for a TLS file in an asyncpg URL: asyncpg takes no file arguments, only an
/// `ssl.SSLContext` (asyncpg 0.30 `connect(ssl=…)`), which SQLAlchemy passes through
/// `connect_args`; the context is built from the URL's own files. Removing the argument alone
/// (the fix this replaced) left `ssl=verify-full` to look for `~/.postgresql/root.crt`, which
/// a driver expert saw fail.
fn tls_files_in_code(url: &SqlalchemyUrl) -> Fix {
    let file = |key: &str| url.arg(key).map(|a| python_string(&a.value));
    let mut lines = vec![match file("sslrootcert") {
        Some(ca) => format!("ctx = ssl.create_default_context(cafile={ca})"),
        None => "ctx = ssl.create_default_context()".to_string(),
    }];
    if let Some(cert) = file("sslcert") {
        match file("sslkey") {
            Some(key) => lines.push(format!("ctx.load_cert_chain({cert}, {key})")),
            None => lines.push(format!("ctx.load_cert_chain({cert})")),
        }
    }
    // Every TLS argument the URL holds goes: connect() refuses libpq's, and `ssl` is the
    // context now.
    let gone: Vec<&str> = ["sslmode", "ssl", "sslrootcert", "sslcert", "sslkey"]
        .into_iter()
        .filter(|key| url.arg(key).is_some())
        .collect();
    lines.push(format!(
        "create_async_engine(url, connect_args={{\"ssl\": ctx}})  # the URL without {}",
        super::reading::join_and(&gone)
    ));
    Fix {
        code: Some(crate::diagnostic::CodeFix {
            language: "python",
            text: lines.join("\n"),
        }),
        ..Fix::advice("Pass the certificate files in an ssl.SSLContext: asyncpg takes no file arguments; in code:")
    }
}

/// Whether the URL names a TLS file, which asyncpg's connect() takes only in an SSLContext.
fn has_tls_files(url: &SqlalchemyUrl) -> bool {
    ["sslrootcert", "sslcert", "sslkey"].iter().any(|key| url.arg(key).is_some())
}

/// `value` as a Python string literal.
fn python_string(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The argument that sets asyncpg's TLS mode: `ssl`, or where only libpq's `sslmode` is written,
/// that one. `sslmode` makes `connect()` raise (PGP-DRIVER-025), whose fix renames it to
/// `ssl`; the review reads the string as that fix makes it, so that its other findings agree
/// with the fix instead of judging asyncpg's default `prefer`, which this string never gets.
fn asyncpg_tls_arg(url: &SqlalchemyUrl) -> Option<&Setting> {
    url.arg("ssl").or_else(|| url.arg("sslmode"))
}

/// `ssl` takes asyncpg's mode names (`SSLMode.parse`); a URL cannot pass a boolean or a
/// context. The mode, `prefer` (asyncpg's default for TCP hosts, `ssl_val = 'prefer'`) when
/// absent; `None` when asyncpg refuses the value.
fn check_asyncpg_ssl(
    input: &str,
    url: &SqlalchemyUrl,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'static str> {
    let Some(ssl) = asyncpg_tls_arg(url) else {
        return Some("prefer");
    };
    let mode = parse_mode(&ssl.value);
    if mode.is_none() {
        let mut rejection = Diagnostic::new(
            &RULE_PARAM_REJECTED,
            format!(
                "asyncpg: \"`sslmode` parameter must be one of: disable, allow, prefer, require, verify-ca, verify-full\" (got `{}={}`; booleans cannot be passed in a URL)",
                ssl.key, ssl.value
            ),
        )
        .at(ssl.value_span);
        // `ssl=true` means TLS: asyncpg's word for it is `require` (removing it, the fix
        // this replaced, fell back to `prefer`).
        if means_true(&ssl.value) {
            rejection = rejection.with_fix(Fix::replace(
                format!("Use {}=require", ssl.key),
                url::replace_span(input, ssl.value_span, "require"),
            ));
        }
        diagnostics.push(rejection);
    }
    mode
}

// ---------------------------------------------------------------------------------------------
// Checks: pg8000.

/// `pg8000.connect()` raises TypeError for arguments it does not take; `ssl_context` from a
/// URL is a string, never a context.
fn check_pg8000_args(url: &SqlalchemyUrl, diagnostics: &mut Vec<Diagnostic>) {
    for a in url
        .args
        .iter()
        .filter(|a| !PG8000_KWARGS.contains(&a.key.as_str()))
    {
        let hint = if a.key == "ssl_context" {
            "a URL can only pass the string, and pg8000 needs `True` or an `ssl.SSLContext` (use connect_args)"
        } else {
            "pg8000.connect() raises TypeError: unexpected keyword argument"
        };
        diagnostics.push(
            Diagnostic::new(&RULE_PARAM_REJECTED, format!("`{}`: {hint}", a.key)).at(a.key_span),
        );
    }
}

rule!(
    RULE_PG8000_NO_TLS,
    "PGP-DRIVER-026",
    Warning,
    "pg8000 connects without TLS unless given an SSL context",
    "pg8000 uses TLS only when `ssl_context` is `True` or an `ssl.SSLContext`; its \
default is no TLS at all. A URL can only pass strings, so `postgresql+pg8000://` URLs always \
connect in plaintext, and `sslmode` in the URL is rejected as an unknown argument. Pass \
`connect_args={\"ssl_context\": ssl.create_default_context()}` to `create_engine`.",
    [
        "https://github.com/tlocke/pg8000#connect",
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.pg8000",
    ]
);

/// pg8000's default `ssl_context` is `None`: no TLS (except over a Unix-domain socket, where
/// none is needed).
fn check_pg8000_tls(url: &SqlalchemyUrl, diagnostics: &mut Vec<Diagnostic>) {
    let socket = url
        .component("host")
        .is_some_and(|h| h.value.starts_with('/'));
    if socket {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_PG8000_NO_TLS,
            "pg8000's default ssl_context is None: this URL connects in plaintext",
        )
        .at(url.name)
        .with_fix(Fix::advice(
            "Pass connect_args={\"ssl_context\": ssl.create_default_context()} to create_engine",
        )),
    );
}

// ---------------------------------------------------------------------------------------------
// Verdict.

/// The URL as SQLAlchemy reads it: the driver name, the components, the query.
fn params(input: &str, url: &SqlalchemyUrl) -> Vec<(String, String)> {
    let mut params = Vec::new();
    put(&mut params, "drivername", text(input, url.name));
    for s in url.components.iter().chain(&url.args) {
        put(&mut params, &s.key, &s.value);
    }
    params
}

/// The components in libpq's terms, which every driver reads the same way.
fn components_equivalent(input: &str, url: &SqlalchemyUrl) -> Equivalent {
    let mut eq = Equivalent::new(Form::Uri, input);
    for s in url.components.iter().filter(|s| !s.value.is_empty()) {
        let keyword = match s.key.as_str() {
            "username" => "user",
            "database" => "dbname",
            other => other,
        };
        eq.set_at(keyword, &s.value, s.span);
    }
    eq
}

/// psycopg2 and psycopg 3: the query is libpq keywords. `_split_multihost_from_url`:
/// `host=h1:5432&host=h2` (or `host=h1,h2`) becomes libpq's host and port lists.
fn libpq_equivalent(input: &str, url: &SqlalchemyUrl) -> Equivalent {
    let mut eq = components_equivalent(input, url);
    if let Some(multi) = url.arg("host") {
        let mut names = Vec::new();
        let mut ports = Vec::new();
        for element in multi.value.split(',') {
            match element.rsplit_once(':') {
                Some((h, p)) if !h.contains(':') => {
                    names.push(h);
                    ports.push(p);
                }
                _ => {
                    names.push(element);
                    ports.push("");
                }
            }
        }
        eq.set("host", &names.join(","), multi.key_span, multi.value_span);
        if ports.iter().any(|p| !p.is_empty()) {
            eq.set("port", &ports.join(","), multi.key_span, multi.value_span);
        }
    }
    for a in url.args.iter().filter(|a| a.key != "host") {
        if keywords::lookup(&a.key).is_some() {
            eq.set(&a.key, &a.value, a.key_span, a.value_span);
        }
    }
    eq
}

/// asyncpg: the arguments it takes in libpq's terms, then the TLS mode. No way to pass
/// `sslrootcert` as an argument: verify modes read `PGSSLROOTCERT` or `~/.postgresql/root.crt`,
/// which is libpq's default file too.
fn asyncpg_equivalent(
    input: &str,
    url: &SqlalchemyUrl,
    mode: Option<&str>,
    refused: bool,
) -> Equivalent {
    let mut eq = components_equivalent(input, url);
    // asyncpg's own `connect(..., timeout=60, ...)`, which the URL cannot change (the
    // dialect passes no `timeout` of its own).
    eq.set_implied("connect_timeout", "60");
    for a in url
        .args
        .iter()
        .filter(|a| asyncpg_arg(&a.key) == AsyncpgArg::Known)
    {
        let key = a.key.as_str();
        match key {
            "target_session_attrs" | "krbsrvname" | "gsslib" | "passfile" => {
                eq.set(key, &a.value, a.key_span, a.value_span)
            }
            // `connect(host=…)` overrides the URL's host; a directory is a Unix-domain
            // socket (asyncpg `_parse_hostlist`: a host starting with `/`), as the Cloud SQL
            // connector's `/cloudsql/PROJECT:REGION:INSTANCE` is.
            "host" | "port" => eq.set(key, &a.value, a.key_span, a.value_span),
            "direct_tls" => eq.set("sslnegotiation", "direct", a.key_span, a.value_span),
            _ => {}
        }
    }
    let Some(mode) = mode else {
        eq.approximate("asyncpg refuses the ssl value");
        return eq;
    };
    let tls = mode_tls(mode, false);
    let span = asyncpg_tls_arg(url).map_or(Span::new(input.len(), input.len()), |a| a.value_span);
    match tls {
        Tls::RequireCa | Tls::RequireFull => {
            if let Some(m) = tls.libpq_sslmode() {
                eq.set_at("sslmode", m.name(), span);
            }
        }
        _ => eq.set_tls(tls, None, span),
    }
    if refused {
        eq.approximate("asyncpg.connect() fails with these arguments");
    }
    eq
}

/// pg8000: `application_name` is the one argument libpq also has; no TLS.
fn pg8000_equivalent(input: &str, url: &SqlalchemyUrl) -> Equivalent {
    let mut eq = components_equivalent(input, url);
    if let Some(a) = url.arg("application_name") {
        eq.set("application_name", &a.value, a.key_span, a.value_span);
    }
    eq.set_at("sslmode", "disable", url.name);
    eq
}
