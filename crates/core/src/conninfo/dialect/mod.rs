//! Connection-string dialects of the drivers people hand PostgreSQL credentials to, what each
//! driver really does with the TLS settings, and the translation to libpq.
//!
//! Every driver module reads the string the way that driver does (its own URL rules, its own
//! parameter names, its own defaults) and produces an [`Outcome`]: the parameters as the driver
//! reads them, the driver's TLS [`Verdict`], the driver-specific findings, and — where the driver's
//! behaviour can be said in libpq terms — an [`Equivalent`] libpq parameter set whose spans point
//! into the original input. [`analyze_foreign`] then runs libpq's value checks and the security
//! review on that equivalent, exactly as for a native libpq string.
//!
//! Versions modelled (each fact cites its source next to the code that models it):
//! - pgjdbc 42.7.x (`Driver.parseURL`, `SslMode`, `LibPQFactory`, `MakeSSL`);
//! - node-postgres 8.16 / pg-connection-string 2.9 (`parse`, `uselibpqcompat`);
//! - asyncpg 0.30 (`connect_utils._parse_connect_dsn_and_args`);
//! - SQLAlchemy 2.0 URLs routed to psycopg2 / psycopg 3 (libpq), asyncpg and pg8000;
//! - pgx v5 (`pgconn.ParseConfig`, `configTLS`), as in pgconn's current source: `sslnegotiation`,
//!   `sslrootcert=system` and the URI `ssl=true` alias are recent there (older v5 releases send
//!   `ssl` to the server as a setting and read `sslrootcert=system` as a file name);
//! - Prisma ORM 5/6 with its Rust query engine (quaint `PostgresUrl`, `MakeTlsConnectorManager`);
//! - Npgsql 8/9 (`NpgsqlConnectionStringBuilder`, `NpgsqlConnector` certificate validation).

mod asyncpg;
mod equivalent;
pub(crate) mod jdbc;
pub mod knowledge;
mod kv;
mod model;
mod node;
mod npgsql;
mod pgx;
mod prisma;
pub(crate) mod reading;
pub mod render;
mod sqlalchemy;
mod url;

pub(crate) use model::{all_local, Tls};
pub use model::{Dialect, Tri, Verdict};
pub use crate::conninfo::npgsql_keywords::knows as npgsql_knows;
pub use npgsql::setting_value as npgsql_setting;
pub(crate) use reading::{
    char_span, forward_to_equivalent, forwarded, host_targets, ignored, is_port_number,
    is_tls_name, param_rejected, parameter_fix, put, put_all, query_element_fix, quotable, Forwarded, Quoter, Outcome, Rejection,
};
pub use reading::{
    RULE_CA_ONLY_SYSTEM_STORE, RULE_CLIENT_PARAM_AS_SETTING, RULE_DIALECT_UNSUPPORTED,
    RULE_LIBPQ_WOULD_REJECT, RULE_MULTIPLE_HOSTS_UNSUPPORTED, RULE_NO_LIBPQ_EQUIVALENT,
    RULE_PARAM_AS_SETTING, RULE_PARAM_IGNORED, RULE_PARAM_REJECTED, RULE_PLUS_IN_QUERY_PATH, RULE_PLUS_IN_QUERY_SECRET,
    RULE_ROOT_CERT_UNUSED, RULE_SSLMODE_OVERRIDDEN, RULE_SYSTEM_ROOT_AS_FILE,
};

use crate::conninfo::driver_keys;
use super::{redact, Analysis, CheckOptions};
use crate::diagnostic::{Diagnostic, Fix, Span};
use crate::registry::Rule;

pub static RULES: &[&Rule] = &[
    &RULE_DIALECT_UNSUPPORTED,
    &RULE_LIBPQ_WOULD_REJECT,
    &RULE_PARAM_IGNORED,
    &RULE_PARAM_REJECTED,
    &RULE_NO_LIBPQ_EQUIVALENT,
    &RULE_ROOT_CERT_UNUSED,
    &RULE_CA_ONLY_SYSTEM_STORE,
    &RULE_CLIENT_PARAM_AS_SETTING,
    &RULE_PARAM_AS_SETTING,
    &RULE_SSLMODE_OVERRIDDEN,
    &RULE_MULTIPLE_HOSTS_UNSUPPORTED,
    &RULE_SYSTEM_ROOT_AS_FILE,
    &RULE_PLUS_IN_QUERY_SECRET,
    &RULE_PLUS_IN_QUERY_PATH,
    &jdbc::RULE_NON_VALIDATING_FACTORY,
    &jdbc::RULE_KEY_FORMAT,
    &jdbc::RULE_SSL_FALSE,
    &jdbc::RULE_CREDENTIALS_IN_AUTHORITY,
    &node::RULE_NO_VERIFY,
    &node::RULE_SSLMODE_ALIAS,
    &node::RULE_LIBPQ_COMPAT,
    &node::RULE_SSL_STRING,
    &node::RULE_ESCAPES_READ_LITERALLY,
    &prisma::RULE_ACCEPT_INVALID_CERTS,
    &prisma::RULE_SSLCERT_IS_CA,
    &prisma::RULE_UNSUPPORTED_SSLMODE,
    &npgsql::RULE_TRUST_SERVER_CERTIFICATE,
    &npgsql::RULE_NEEDS_NEWER_DRIVER,
    &sqlalchemy::RULE_POSTGRES_NAME,
    &sqlalchemy::RULE_ASYNCPG_SSLMODE,
    &sqlalchemy::RULE_PG8000_NO_TLS,
    &sqlalchemy::RULE_DRIVER_NOT_MODELLED,
];

/// Guesses the dialect from the string's shape.
///
/// A string that `PQconninfoParse` accepts stays libpq unless it carries a parameter (or, for
/// `sslmode=no-verify`, a value) that only another driver understands — and then libpq would have
/// refused it anyway. asyncpg is never guessed: its DSN has no parameter of its own.
pub fn detect(input: &str) -> Dialect {
    // Whatever libpq itself accepts is read as libpq: the default dialect must agree with
    // `PQconninfoParse` on every string it parses (value problems such as
    // `sslmode=no-verify` are then libpq's own findings). The one exception is an ADO.NET
    // string made only of Npgsql keys that libpq happens to swallow as a single value
    // (`host=db;port=5433`). Only strings libpq rejects are examined for other shapes.
    if super::syntax::parse(input).is_ok() {
        return if npgsql::looks_like_npgsql(input) {
            Dialect::Npgsql
        } else {
            Dialect::Libpq
        };
    }
    let trimmed = input.trim_start();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("jdbc:") {
        return Dialect::Jdbc;
    }
    if sqlalchemy::looks_like_sqlalchemy(trimmed) {
        return Dialect::Sqlalchemy;
    }
    if lower.starts_with("socket:") {
        return Dialect::NodePostgres;
    }
    if super::syntax::uri_prefix_length(input) > 0 {
        return uri_hint(input).unwrap_or(Dialect::Libpq);
    }
    if npgsql::looks_like_npgsql(input) {
        return Dialect::Npgsql;
    }
    if keyword_value_has_pgx_key(input) {
        return Dialect::Pgx;
    }
    Dialect::Libpq
}

/// The dialect whose parameters a `postgres://` URI carries, if any.
fn uri_hint(input: &str) -> Option<Dialect> {
    let query_start = input.find('?')? + 1;
    let query = Span::new(query_start, input.len());
    let pairs = url::pairs(input, query, url::Plus::Literal);
    let has = |names: &[&str]| pairs.iter().any(|p| names.contains(&p.key.as_str()));
    if has(driver_keys::PRISMA_ONLY) {
        return Some(Dialect::Prisma);
    }
    if has(driver_keys::PGX_ONLY) {
        return Some(Dialect::Pgx);
    }
    let node_hint = pairs.iter().any(|p| {
        p.key == "uselibpqcompat"
            || (p.key == "sslmode" && p.value == "no-verify")
            || (p.key == "ssl" && p.value != "true")
    });
    node_hint.then_some(Dialect::NodePostgres)
}

/// A keyword/value string with a keyword only pgx knows.
fn keyword_value_has_pgx_key(input: &str) -> bool {
    pgx::keyword_value_keys(input)
        .iter()
        .any(|key| driver_keys::PGX_ONLY.contains(&key.as_str()))
}

// ---------------------------------------------------------------------------------------------
// Analysis.

/// The path for every driver other than libpq.
pub fn analyze_foreign(dialect: Dialect, input: &str, options: &CheckOptions) -> Analysis {
    let outcome = match dialect {
        Dialect::Libpq => return super::analyze_libpq(input, options),
        Dialect::Jdbc => jdbc::parse(input),
        Dialect::NodePostgres => node::parse(input),
        Dialect::Asyncpg => asyncpg::parse(input),
        Dialect::Sqlalchemy => sqlalchemy::parse(input),
        Dialect::Pgx => pgx::parse(input),
        Dialect::Prisma => prisma::parse(input),
        Dialect::Npgsql => npgsql_url_converted(input, npgsql::parse(input)),
    };
    finish(dialect, input, outcome, options)
}

/// A libpq URL given to Npgsql, which reads only `Key=Value;` pairs: whatever Npgsql's own
/// complaint (`Format of the initialization string…` without an `=`, `Couldn't set <key>`
/// with one, the URL up to it read as a key), the fix is the same settings in Npgsql's words
/// (libpq's reading of the URL, written through the knowledge table), password left out. A
/// driver expert saw "Remove ********" offered for the URL's masked key.
fn npgsql_url_converted(input: &str, outcome: Outcome) -> Outcome {
    if outcome.valid {
        return outcome;
    }
    let Some((conninfo, mut left_out)) = reading::libpq_url(input) else {
        return outcome;
    };
    let (changes, dropped) = npgsql_changes(&conninfo);
    left_out.extend(dropped);
    let mut fix = render::fix_for(
        Dialect::Npgsql,
        "Host=localhost",
        "Write it as Npgsql's Key=Value pairs",
        changes,
    );
    // Written whole, not an edit of the user's string: the page's "apply" must not make the
    // edits again on the URL, which Npgsql reads as one setting.
    fix.changes.clear();
    let mut notes = Vec::new();
    // Npgsql needs a `Host`; libpq without one uses its Unix-domain socket (fe-connect.c,
    // DEFAULT_PGSOCKET_DIR), which Npgsql reaches only with the socket's directory as `Host`.
    if conninfo.get("host").is_none_or(str::is_empty) && conninfo.get("hostaddr").is_none() {
        notes.push("the URL names no host, so libpq would use its local socket: Npgsql's `Host=localhost` is TCP, and the socket is its directory, `Host=/var/run/postgresql`".to_string());
    }
    let host_list = conninfo.get("host").unwrap_or_default();
    if host_list.contains(',') && host_list.split(',').any(str::is_empty) {
        notes.push("an empty entry of the host list is left out (libpq would try its local socket there)".to_string());
    }
    let (secrets, named): (Vec<String>, Vec<String>) = left_out
        .into_iter()
        .partition(|key| crate::conninfo::embedded::secret_key(key));
    if !named.is_empty() {
        let names: Vec<String> = named.iter().map(|k| format!("`{k}`")).collect();
        notes.push(format!("left out: {}, which Npgsql has no setting or spelling for here", names.join(", ")));
    }
    let has_secret = !secrets.is_empty()
        || conninfo
            .params
            .iter()
            .any(|p| crate::conninfo::embedded::secret_key(p.keyword));
    if has_secret {
        notes.push("secrets are left out: add `Password=…` yourself, or use a password file".to_string());
    }
    if fix.replacement.is_some() && !notes.is_empty() {
        fix.title.push_str(&format!(" ({})", notes.join("; ")));
    }
    let mut outcome = outcome;
    if let Some(rejection) = outcome.diagnostics.iter_mut().find(|d| d.is_error()) {
        rejection.detail.push_str(
            "; Npgsql takes no URL, only `Key=Value;` pairs (Host, Port, Database, Username, SSL Mode…)",
        );
        rejection.fix = Some(fix);
    }
    outcome
}

/// libpq's reading of a URL as changes Npgsql can write, and the keywords it cannot say.
/// - Several hosts go into `Host` with their ports (`h1:5432,h2:5433`): Npgsql's `Port` is one
///   number (a driver expert saw `Port=5432,5433`, which Npgsql refuses).
/// - `sslmode=require` beside a CA file is libpq's `verify-ca` (libpq's documentation,
///   "SSL Support": a root CA file makes `require` verify); Npgsql's `Require` ignores
///   `Root Certificate`.
/// - `target_session_attrs` on one host is left out: Npgsql 9 refuses anything but `any` there.
/// - `connect_timeout` above 1024 seconds is Npgsql's most, 1024.
fn npgsql_changes(conninfo: &crate::conninfo::syntax::Conninfo) -> (Vec<crate::diagnostic::Change>, Vec<String>) {
    use crate::diagnostic::Change;
    let hosts: Vec<&str> = conninfo.get("host").map_or(Vec::new(), |h| h.split(',').collect());
    let ports: Vec<&str> = conninfo.get("port").map_or(Vec::new(), |p| p.split(',').collect());
    let several = hosts.len() > 1;
    let ca_file = conninfo.get("sslrootcert").is_some_and(|r| r != "system");
    let mut changes = Vec::new();
    let mut dropped = Vec::new();
    for p in &conninfo.params {
        let value = match p.keyword {
            keyword if crate::conninfo::embedded::secret_key(keyword) => continue,
            // An empty entry is libpq's local socket there, almost always a host lost in the
            // copy (PGP-HOST-103): it is left out, and the fix's title says so.
            "host" if several => hosts
                .iter()
                .enumerate()
                .filter(|(_, host)| !host.is_empty())
                .map(|(i, host)| {
                    let port = ports.get(i).or(if ports.len() == 1 { ports.first() } else { None });
                    let host = if host.contains(':') { format!("[{host}]") } else { host.to_string() };
                    match port.filter(|p| !p.is_empty()) {
                        Some(port) => format!("{host}:{port}"),
                        None => host,
                    }
                })
                .collect::<Vec<_>>()
                .join(","),
            "port" if several => continue,
            "sslmode" if p.value == "require" && ca_file => "verify-ca".to_string(),
            // Npgsql's `Timeout` has a top (`NpgsqlConnection.TimeoutLimit`, which the
            // builder's `Timeout` setter checks); a larger one throws.
            "connect_timeout" if p.value.trim().parse::<i64>().is_ok_and(|t| t > i64::from(crate::conninfo::npgsql_keywords::TIMEOUT_LIMIT)) => {
                crate::conninfo::npgsql_keywords::TIMEOUT_LIMIT.to_string()
            }
            "target_session_attrs" if !several => {
                dropped.push(p.keyword.to_string());
                continue;
            }
            "host" | "port" | "user" => p.value.clone(),
            keyword if knowledge::writes(knowledge::Driver::Npgsql, keyword, &p.value) => p.value.clone(),
            keyword => {
                dropped.push(keyword.to_string());
                continue;
            }
        };
        changes.push(Change::set(p.keyword, value));
    }
    (changes, dropped)
}

/// Runs the libpq review on the equivalent and assembles the [`Analysis`].
fn finish(dialect: Dialect, input: &str, outcome: Outcome, options: &CheckOptions) -> Analysis {
    let Outcome {
        valid,
        params,
        mut diagnostics,
        verdict,
        equivalent,
        no_equivalent,
        hosts,
    } = outcome;
    complete_fixes(input, &mut diagnostics);
    diagnostics.extend(reading::plus_in_query_secret(input, dialect));
    diagnostics.extend(reading::plus_in_query_paths(input, dialect));
    if !valid {
        return Analysis {
            valid: false,
            dialect,
            detected: false,
            params: None,
            hosts: Vec::new(),
            diagnostics,
            verdict: None,
            libpq_equivalent: None,
            secret_sites: Vec::new(),
            params_with_pieces: Default::default(),
        };
    }
    let mut hosts = hosts;
    let mut verdict = verdict;
    let mut libpq_equivalent = None;
    match equivalent {
        Some(equivalent) => {
            let conninfo = equivalent.conninfo();
            let review = super::security_review(input, &conninfo, dialect, options);
            verify_with_review(
                &mut diagnostics,
                &review.verify_changes,
                review.unverifiable.as_deref(),
            );
            diagnostics.extend(review.diagnostics);
            render::render_fixes(dialect, input, &mut diagnostics);
            hosts = review.hosts;
            // A socket path the driver connects to is local whatever its TLS settings say;
            // a missing host is the driver's own default (often TCP to localhost), not libpq's.
            if all_local(&hosts, false) {
                verdict = Some(Verdict::local(&hosts));
            }
            if verdict.is_none() {
                verdict = Some(review.verdict);
            }
            let shown = redact::render(&equivalent.conninfo_shown(input));
            match equivalent.approximation() {
                None => libpq_equivalent = Some(shown),
                Some(reason) => diagnostics.push(Diagnostic::new(
                    &RULE_NO_LIBPQ_EQUIVALENT,
                    format!("{reason}; the review below reads the closest libpq settings: `{shown}`"),
                )),
            }
        }
        None => {
            if let Some(reason) = no_equivalent {
                diagnostics.push(Diagnostic::new(&RULE_NO_LIBPQ_EQUIVALENT, reason));
            }
        }
    }
    Analysis {
        valid: true,
        dialect,
        detected: false,
        params: Some(crate::sort::string_map(params)),
        hosts,
        diagnostics,
        verdict,
        libpq_equivalent,
        secret_sites: Vec::new(),
        params_with_pieces: Default::default(),
    }
}

/// Driver findings about a server that is not verified (a non-validating factory, Prisma's
/// default `sslaccept`, Npgsql's `Trust Server Certificate`, node-postgres's `no-verify`,
/// `verify-ca` against the system store) get the review's verification edit as their fix, so
/// it carries what the provider needs (its CA file) and is rendered in the driver's syntax.
///
/// Where no verified mode works by default (`unverifiable`: the provider's certificates
/// cannot be verified until a provider-side change), the fix is advice to keep the setting
/// and why: its replacement would only spell the same unverified connection another way.
fn verify_with_review(
    diagnostics: &mut [Diagnostic],
    verify_changes: &[crate::diagnostic::Change],
    unverifiable: Option<&str>,
) {
    let verification_rules = [
        jdbc::RULE_NON_VALIDATING_FACTORY.code,
        prisma::RULE_ACCEPT_INVALID_CERTS.code,
        npgsql::RULE_TRUST_SERVER_CERTIFICATE.code,
        node::RULE_NO_VERIFY.code,
        RULE_CA_ONLY_SYSTEM_STORE.code,
    ];
    if verify_changes.is_empty() {
        return;
    }
    // node-postgres's `uselibpqcompat=true` is a finding of its own only as a warning, when
    // it leaves the server unverified (`prefer`, `require` without a CA file).
    let compat_unverified = |d: &Diagnostic| {
        d.code == node::RULE_LIBPQ_COMPAT.code && d.severity == crate::diagnostic::Severity::Warning
    };
    for d in diagnostics
        .iter_mut()
        .filter(|d| verification_rules.contains(&d.code) || compat_unverified(d))
    {
        if let Some(why) = unverifiable {
            d.fix = Some(Fix::advice(format!(
                "Keep this setting only while the server's certificates cannot be verified: {why}"
            )));
            continue;
        }
        // The driver's own title named its strongest mode; the review's edit may stop below it
        // (Cloud SQL's verify-ca), and the rendering lists what it sets.
        // (`render` notes a placeholder CA path in the driver's own words.)
        let title = "Verify the server".to_string();
        d.fix = Some(Fix::edit(title, "", verify_changes.to_vec()));
    }
}

/// Gives every driver finding without a fix the generic one for its rule: removing the
/// offending query element (ignored, rejected, or forwarded-to-the-server parameters), or advice.
fn complete_fixes(input: &str, diagnostics: &mut [Diagnostic]) {
    let mut removals = 0;
    for d in diagnostics.iter_mut().filter(|d| d.fix.is_none()) {
        let removable = [
            RULE_PARAM_IGNORED.code,
            RULE_PARAM_REJECTED.code,
            RULE_CLIENT_PARAM_AS_SETTING.code,
        ]
        .contains(&d.code);
        if removable {
            d.fix = d.span.and_then(|span| query_element_fix(input, span, removals));
            removals += 1;
        }
        if d.fix.is_none() {
            d.fix = match d.code {
                c if c == RULE_PARAM_IGNORED.code => Some(Fix::advice(
                    "Remove the parameter, or set it with the driver's own name or API",
                )),
                c if c == RULE_PARAM_REJECTED.code => Some(Fix::advice(
                    "Use one of the values the driver accepts (see the detail)",
                )),
                c if c == RULE_CLIENT_PARAM_AS_SETTING.code => Some(Fix::advice(
                    "Remove the parameter and configure the behaviour in code",
                )),
                c if c == RULE_PARAM_AS_SETTING.code => Some(Fix::advice(
                    "Keep it only if the server knows the setting (`SHOW name` works)",
                )),
                c if c == RULE_SSLMODE_OVERRIDDEN.code => {
                    Some(Fix::advice("Write the TLS mode in effect explicitly"))
                }
                c if c == RULE_MULTIPLE_HOSTS_UNSUPPORTED.code => Some(Fix::advice(
                    "Give one host and handle failover outside the connection string",
                )),
                _ => None,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exact_tls_mode_agrees_with_libpq() {
        // Each Tls with an sslmode must give the same guarantees as libpq's verdict for it.
        for tls in [
            Tls::Off,
            Tls::AllowNoVerify,
            Tls::PreferNoVerify,
            Tls::RequireNoVerify,
            Tls::RequireCa,
            Tls::RequireFull,
        ] {
            let Some(mode) = tls.libpq_sslmode() else {
                panic!("{tls:?} has a mode");
            };
            let Ok(conninfo) =
                super::super::syntax::parse(&format!("host=db.example.com sslmode={mode}"))
            else {
                panic!("parses");
            };
            let (effective, _) = super::super::options::check_values(&conninfo);
            let libpq = Verdict::for_libpq(&conninfo, &effective);
            let ours = tls.verdict("x");
            assert_eq!(
                (
                    libpq.encrypted,
                    libpq.server_verified,
                    libpq.hostname_verified,
                    libpq.plaintext_fallback
                ),
                (
                    ours.encrypted,
                    ours.server_verified,
                    ours.hostname_verified,
                    ours.plaintext_fallback
                ),
                "{mode}"
            );
        }
    }

    #[test]
    fn sockets_and_hostless_strings_are_local() {
        let options = super::super::CheckOptions::default();
        let verdict = |input: &str, driver: Option<Dialect>| {
            super::super::analyze(input, driver, &options)
                .verdict
                .map(|v| (v.local, v.encrypted))
        };
        // No host: libpq's default socket, where sslmode does nothing.
        assert_eq!(
            verdict("dbname=app sslmode=verify-full", None),
            Some((true, Tri::No))
        );
        assert_eq!(
            verdict("host=/cloudsql/p:r:i dbname=app", None),
            Some((true, Tri::No))
        );
        assert_eq!(
            verdict(
                "postgresql+asyncpg://u@/db?host=/cloudsql/p:r:i",
                Some(Dialect::Sqlalchemy)
            ),
            Some((true, Tri::No))
        );
        assert_eq!(
            verdict(
                "host=db.example.com sslmode=verify-full sslrootcert=system",
                None
            ),
            Some((false, Tri::Yes))
        );
        // A JDBC URL without a host connects to localhost over TCP.
        assert_eq!(
            verdict("jdbc:postgresql:app", Some(Dialect::Jdbc)).map(|v| v.0),
            Some(false)
        );
    }

    #[test]
    fn detection_keeps_libpq_strings() {
        for input in [
            "host=db port=5432 sslmode=verify-full",
            "postgresql://u@h/db?sslmode=require&ssl=true",
            "postgres://h/db?application_name=x",
            "",
            "dbname=x",
            "postgresql:///db?host=/tmp",
        ] {
            assert_eq!(detect(input), Dialect::Libpq, "{input}");
        }
    }
}
