//! SQLAlchemy 2.0 URLs: `postgresql[+driver]://user:password@host:port/database?key=value`.
//!
//! Sources: `lib/sqlalchemy/engine/url.py` (`_parse_url`: the URL pattern, `unquote` of user and
//! password, `parse_qsl` of the query) and the PostgreSQL dialects' `create_connect_args` in
//! `lib/sqlalchemy/dialects/postgresql/` (`psycopg2.py`, `psycopg.py`: the query becomes libpq
//! connection keywords; `asyncpg.py`: the query becomes `asyncpg.connect()` keyword arguments;
//! `pg8000.py`: `pg8000.connect()` keyword arguments) in
//! <https://github.com/sqlalchemy/sqlalchemy>; pg8000's `connect()` documentation
//! (`ssl_context=None` means no TLS).

use super::asyncpg::{mode_tls, parse_mode};
use super::equivalent::Equivalent;
use super::url::{self, text, Plus};
use super::{put, Outcome, Tls, RULE_DIALECT_UNSUPPORTED, RULE_PARAM_IGNORED, RULE_PARAM_REJECTED};
use crate::conninfo::keywords;
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::registry::Rule;

pub static RULE_POSTGRES_NAME: Rule = Rule {
    code: "PGP-DRIVER-024",
    severity: Severity::Error,
    title: "SQLAlchemy does not know the dialect name postgres",
    explanation: "SQLAlchemy 1.4 removed the `postgres` alias: `postgres://` and \
`postgres+driver://` fail with `NoSuchModuleError: Can't load plugin: \
sqlalchemy.dialects:postgres`. Platforms such as Heroku still hand out `postgres://` URLs; \
replace the scheme with `postgresql://` (or `postgresql+driver://`).",
    references: &["https://docs.sqlalchemy.org/en/20/changelog/changelog_14.html#change-3687655465c25a39b968b4f5f6e9170b"],
};

pub static RULE_ASYNCPG_SSLMODE: Rule = Rule {
    code: "PGP-DRIVER-025",
    severity: Severity::Error,
    title: "sslmode is not an asyncpg connect() argument",
    explanation: "With `postgresql+asyncpg://` SQLAlchemy passes every query parameter to \
`asyncpg.connect()` as a keyword argument. `asyncpg.connect()` has no `sslmode` argument, so \
the connection fails with `TypeError: connect() got an unexpected keyword argument 'sslmode'`. \
The argument is called `ssl` and takes the same mode names (`ssl=verify-full`); CA files cannot \
be given this way — pass an `ssl.SSLContext` in `connect_args` for a private CA. (In code, \
`ssl=True` means a default context: verify-full against the system CAs; from a URL the value is \
always a string, and `ssl=true` is rejected.)",
    references: &[
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.asyncpg",
        "https://magicstack.github.io/asyncpg/current/api/index.html#connection",
    ],
};

pub static RULE_PG8000_NO_TLS: Rule = Rule {
    code: "PGP-DRIVER-026",
    severity: Severity::Warning,
    title: "pg8000 connects without TLS unless given an SSL context",
    explanation: "pg8000 uses TLS only when `ssl_context` is `True` or an `ssl.SSLContext`; its \
default is no TLS at all. A URL can only pass strings, so `postgresql+pg8000://` URLs always \
connect in plaintext, and `sslmode` in the URL is rejected as an unknown argument. Pass \
`connect_args={\"ssl_context\": ssl.create_default_context()}` to `create_engine`.",
    references: &[
        "https://github.com/tlocke/pg8000#connect",
        "https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.pg8000",
    ],
};

pub static RULE_DRIVER_NOT_MODELLED: Rule = Rule {
    code: "PGP-DRIVER-027",
    severity: Severity::Info,
    title: "Database driver not modelled",
    explanation: "pg-preflight knows how SQLAlchemy's psycopg2, psycopg, asyncpg and pg8000 \
dialects hand the URL to their driver. For other drivers the TLS behaviour is not analysed; \
check the driver's documentation for how it reads the query parameters.",
    references: &["https://docs.sqlalchemy.org/en/20/dialects/postgresql.html"],
};

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

#[derive(Debug, Clone)]
struct Arg {
    key: String,
    value: String,
    key_span: Span,
    value_span: Span,
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

pub(super) fn parse(input: &str) -> Outcome {
    let Some(parts) = split(input) else {
        return Outcome::invalid(vec![Diagnostic::new(
            &RULE_DIALECT_UNSUPPORTED,
            "SQLAlchemy: \"Could not parse SQLAlchemy URL from string\"; write `postgresql+driver://user@host:5432/database`",
        )
        .at(Span::new(0, input.len()))]);
    };
    let name = text(input, parts.name);
    let (backend, driver) = name.split_once('+').unwrap_or((name, ""));
    if backend == "postgres" {
        let corrected = format!(
            "postgresql{}",
            input.get(backend.len()..).unwrap_or_default()
        );
        return Outcome::invalid(vec![Diagnostic::new(
            &RULE_POSTGRES_NAME,
            format!(
                "SQLAlchemy: \"NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:{}\"",
                name.replace('+', ".")
            ),
        )
        .at(Span::new(0, backend.len()))
        .with_fix(Fix::replace(
            "Use postgresql:// as the scheme",
            url::without_secrets(&corrected),
        ))]);
    }
    // `cockroachdb[+driver]://` (sqlalchemy-cockroachdb) hands the URL to the same DBAPI
    // drivers as `postgresql`: psycopg2 by default, or `+psycopg` / `+asyncpg`
    // (cockroachdb/sqlalchemy-cockroachdb `sqlalchemy_cockroachdb/__init__.py` registry).
    if backend != "postgresql" && backend != "cockroachdb" {
        return Outcome::invalid(vec![Diagnostic::new(
            &RULE_DIALECT_UNSUPPORTED,
            format!("`{backend}` is not SQLAlchemy's PostgreSQL dialect (`postgresql`)"),
        )
        .at(parts.name)]);
    }
    if let Some(port) = parts.port.filter(|p| !p.is_empty()) {
        if text(input, port).parse::<u16>().is_err() {
            return Outcome::invalid(vec![Diagnostic::new(
                &RULE_PARAM_REJECTED,
                format!(
                    "SQLAlchemy: `int('{}')` fails: the port must be a number",
                    text(input, port)
                ),
            )
            .at(port)]);
        }
    }

    // Components: user and password are unquoted; host and database are taken as written.
    let username = parts
        .username
        .map(|s| (url::decode(text(input, s), Plus::Literal).text, s));
    let password = parts
        .password
        .map(|s| (url::decode(text(input, s), Plus::Literal).text, s));
    let host = parts.host.map(|s| (text(input, s).to_string(), s));
    let port = parts
        .port
        .filter(|p| !p.is_empty())
        .map(|s| (text(input, s).to_string(), s));
    let database = parts
        .database
        .filter(|d| !d.is_empty())
        .map(|s| (text(input, s).to_string(), s));
    // `parse_qsl`: `+` is a space, blank values are dropped; repeated keys become lists.
    let mut args: Vec<Arg> = Vec::new();
    if let Some(query) = parts.query {
        for pair in url::pairs(input, query, Plus::Space) {
            if pair.value.is_empty() || pair.key.is_empty() {
                continue;
            }
            match args.iter_mut().find(|a| a.key == pair.key) {
                Some(existing) => {
                    existing.value = format!("{},{}", existing.value, pair.value);
                    existing.value_span = existing.value_span.cover(pair.value_span);
                }
                None => args.push(Arg {
                    key: pair.key,
                    value: pair.value,
                    key_span: pair.key_span,
                    value_span: pair.value_span,
                }),
            }
        }
    }
    args.retain(|a| a.key != "plugin");

    let mut params = Vec::new();
    put(&mut params, "drivername", name);
    for (key, value) in [
        ("username", &username),
        ("password", &password),
        ("host", &host),
        ("port", &port),
        ("database", &database),
    ] {
        if let Some((v, _)) = value {
            put(&mut params, key, v);
        }
    }
    for a in &args {
        put(&mut params, &a.key, &a.value);
    }

    let mut eq = Equivalent::new(Form::Uri, input);
    for (keyword, value) in [
        ("user", &username),
        ("password", &password),
        ("host", &host),
        ("port", &port),
        ("dbname", &database),
    ] {
        if let Some((v, span)) = value {
            if !v.is_empty() {
                eq.set_at(keyword, v, *span);
            }
        }
    }
    let mut diagnostics = Vec::new();
    let driver_name = if driver.is_empty() {
        "psycopg2"
    } else {
        driver
    };
    let verdict = match driver_name {
        "psycopg2" | "psycopg" | "psycopg_async" | "psycopg2cffi" => {
            // The query becomes libpq connection keywords; libpq rejects unknown ones.
            // `_split_multihost_from_url`: `host=h1:5432&host=h2` (or `host=h1,h2`) becomes
            // libpq's host and port lists, and may not be mixed with a host in the authority.
            if let Some(multi) = args.iter().find(|a| a.key == "host") {
                if host.is_some() {
                    diagnostics.push(
                        Diagnostic::new(
                            &RULE_PARAM_REJECTED,
                            "SQLAlchemy: \"Can't mix 'multihost' formats together\"; put every host in `host=` query parameters, or none",
                        )
                        .at(multi.key_span.cover(multi.value_span)),
                    );
                }
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
            for a in args.iter().filter(|a| a.key != "host") {
                if keywords::lookup(&a.key).is_some() {
                    eq.set(&a.key, &a.value, a.key_span, a.value_span);
                } else {
                    diagnostics.push(
                        Diagnostic::new(
                            &RULE_PARAM_REJECTED,
                            format!(
                                "{driver_name} passes `{}` to libpq, which refuses to connect: \"invalid connection option \\\"{}\\\"\"",
                                a.key, a.key
                            ),
                        )
                        .at(a.key_span)
                        .with_fix(Fix::replace(
                            format!("Remove {}", a.key),
                            url::remove_element(input, a.key_span.cover(a.value_span)),
                        )),
                    );
                }
            }
            None
        }
        "asyncpg" => Some(asyncpg_args(input, &args, &mut eq, &mut diagnostics)),
        "pg8000" => {
            for a in &args {
                if PG8000_KWARGS.contains(&a.key.as_str()) {
                    if a.key == "application_name" {
                        eq.set("application_name", &a.value, a.key_span, a.value_span);
                    }
                    continue;
                }
                let hint = if a.key == "ssl_context" {
                    "a URL can only pass the string, and pg8000 needs `True` or an `ssl.SSLContext` (use connect_args)"
                } else {
                    "pg8000.connect() raises TypeError: unexpected keyword argument"
                };
                diagnostics.push(
                    Diagnostic::new(&RULE_PARAM_REJECTED, format!("`{}`: {hint}", a.key))
                        .at(a.key_span),
                );
            }
            let socket = host.as_ref().is_some_and(|(h, _)| h.starts_with('/'));
            if !socket {
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_PG8000_NO_TLS,
                        "pg8000's default ssl_context is None: this URL connects in plaintext",
                    )
                    .at(parts.name)
                    .with_fix(Fix::advice(
                        "Pass connect_args={\"ssl_context\": ssl.create_default_context()} to create_engine",
                    )),
                );
            }
            eq.set_at("sslmode", "disable", parts.name);
            Some(Tls::Off.verdict("pg8000"))
        }
        other => {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_DRIVER_NOT_MODELLED,
                    format!("`postgresql+{other}`: how this driver reads the URL is not modelled"),
                )
                .at(parts.name),
            );
            return Outcome {
                valid: true,
                params,
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
        params,
        diagnostics,
        verdict,
        equivalent: Some(eq),
        no_equivalent: None,
        hosts: Vec::new(),
    }
}

/// `postgresql+asyncpg://`: the query becomes `asyncpg.connect()` keyword arguments.
fn asyncpg_args(
    input: &str,
    args: &[Arg],
    eq: &mut Equivalent,
    diagnostics: &mut Vec<Diagnostic>,
) -> super::Verdict {
    let end = Span::new(input.len(), input.len());
    let mut refused = false;
    for a in args {
        let key = a.key.as_str();
        if SQLALCHEMY_ASYNCPG.contains(&key) {
            continue;
        }
        if key == "sslmode" {
            refused = true;
            let fixed = url::replace_span(input, a.key_span, "ssl");
            diagnostics.push(
                Diagnostic::new(
                    &RULE_ASYNCPG_SSLMODE,
                    "asyncpg.connect() raises `TypeError: connect() got an unexpected keyword argument 'sslmode'`",
                )
                .at(a.key_span)
                .with_fix(Fix::replace("Call the argument ssl", fixed)),
            );
            continue;
        }
        if !ASYNCPG_KWARGS.contains(&key) {
            refused = true;
            let hint = match key {
                "application_name" => {
                    "; set it with connect_args={\"server_settings\": {\"application_name\": …}}"
                }
                "sslrootcert" | "sslcert" | "sslkey" => {
                    "; pass an ssl.SSLContext in connect_args instead"
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
            continue;
        }
        if ASYNCPG_NUMERIC.contains(&key) {
            refused = true;
            diagnostics.push(
                Diagnostic::new(
                    &RULE_PARAM_REJECTED,
                    format!("`{key}` arrives as the string `{}` and asyncpg compares it with a number (TypeError); pass it in connect_args", a.value),
                )
                .at(a.value_span),
            );
            continue;
        }
        match key {
            "target_session_attrs" | "krbsrvname" | "gsslib" | "passfile" => {
                eq.set(key, &a.value, a.key_span, a.value_span)
            }
            // `connect(host=…)` overrides the URL's host; a directory is a Unix-domain
            // socket (asyncpg `_parse_hostlist`: a host starting with `/`), as the Cloud SQL
            // connector's `/cloudsql/PROJECT:REGION:INSTANCE` is.
            "host" | "port" => eq.set(key, &a.value, a.key_span, a.value_span),
            "direct_tls" => {
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_PARAM_IGNORED,
                        "`direct_tls` arrives as a string, which is always true in Python",
                    )
                    .at(a.value_span)
                    .with_severity(Severity::Info),
                );
                eq.set("sslnegotiation", "direct", a.key_span, a.value_span);
            }
            _ => {}
        }
    }
    let ssl = args.iter().find(|a| a.key == "ssl");
    let mode = match ssl {
        Some(a) => match parse_mode(&a.value) {
            Some(m) => m,
            None => {
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_PARAM_REJECTED,
                        format!(
                            "asyncpg: \"`sslmode` parameter must be one of: disable, allow, prefer, require, verify-ca, verify-full\" (got `ssl={}`; booleans cannot be passed in a URL)",
                            a.value
                        ),
                    )
                    .at(a.value_span),
                );
                eq.approximate("asyncpg refuses the ssl value");
                return super::Tls::Refused.verdict("asyncpg");
            }
        },
        // asyncpg's default for TCP hosts (`ssl_val = 'prefer'`).
        None => "prefer",
    };
    // No way to pass sslrootcert as an argument: verify modes read PGSSLROOTCERT or
    // ~/.postgresql/root.crt, which is libpq's default file too.
    let tls = mode_tls(mode, false);
    let span = ssl.map_or(end, |a| a.value_span);
    match tls {
        Tls::RequireCa | Tls::RequireFull => {
            if let Some(m) = tls.libpq_sslmode() {
                eq.set_at("sslmode", m, span);
            }
        }
        _ => eq.set_tls(tls, None, span),
    }
    if refused {
        eq.approximate("asyncpg.connect() fails with these arguments");
        Tls::Refused.verdict("asyncpg")
    } else {
        tls.verdict("asyncpg")
    }
}
