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
mod jdbc;
pub mod knowledge;
mod kv;
mod node;
mod npgsql;
mod pgx;
mod prisma;
pub mod render;
mod sqlalchemy;
mod url;

use super::options::{Effective, HostKind, HostTarget};
use super::syntax::Conninfo;
use super::{redact, Analysis, CheckOptions};
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::registry::Rule;
use equivalent::Equivalent;
use serde::Serialize;

/// A driver family whose connection-string rules pg-preflight knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// libpq and everything built on it: psql, psycopg 2/3, pgAdmin, pg_dump, Ruby pg, …
    Libpq,
    /// pgjdbc: `jdbc:postgresql://…`.
    Jdbc,
    /// node-postgres (`pg`) via pg-connection-string.
    NodePostgres,
    /// asyncpg (Python).
    Asyncpg,
    /// SQLAlchemy URLs: `postgresql+psycopg://`, `+asyncpg`, `+psycopg2`, …
    Sqlalchemy,
    /// Go pgx / pgconn.
    Pgx,
    /// Prisma.
    Prisma,
    /// Npgsql (.NET): `Host=…;SSL Mode=…`.
    Npgsql,
}

impl Dialect {
    pub const ALL: [Dialect; 8] = [
        Dialect::Libpq,
        Dialect::Jdbc,
        Dialect::NodePostgres,
        Dialect::Asyncpg,
        Dialect::Sqlalchemy,
        Dialect::Pgx,
        Dialect::Prisma,
        Dialect::Npgsql,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Libpq => "libpq",
            Dialect::Jdbc => "jdbc",
            Dialect::NodePostgres => "node-postgres",
            Dialect::Asyncpg => "asyncpg",
            Dialect::Sqlalchemy => "sqlalchemy",
            Dialect::Pgx => "pgx",
            Dialect::Prisma => "prisma",
            Dialect::Npgsql => "npgsql",
        }
    }

    /// Accepts the canonical names and the names people use for the same driver.
    pub fn from_name(name: &str) -> Option<Dialect> {
        let lower = name.trim().to_ascii_lowercase();
        Some(match lower.as_str() {
            "libpq" | "psql" | "psycopg" | "psycopg2" | "psycopg3" => Dialect::Libpq,
            "jdbc" | "pgjdbc" | "java" => Dialect::Jdbc,
            "node-postgres" | "node" | "pg" | "nodejs" => Dialect::NodePostgres,
            "asyncpg" => Dialect::Asyncpg,
            "sqlalchemy" => Dialect::Sqlalchemy,
            "pgx" | "go" | "pgconn" => Dialect::Pgx,
            "prisma" => Dialect::Prisma,
            "npgsql" | "dotnet" | ".net" => Dialect::Npgsql,
            _ => return None,
        })
    }
}

/// Yes, no, or only if the server cooperates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Tri {
    Yes,
    No,
    Maybe,
}

/// What a driver will actually do about TLS with this configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// Is the connection encrypted?
    pub encrypted: Tri,
    /// Is the server certificate checked against a trusted CA?
    pub server_verified: Tri,
    /// Is the server's host name checked against its certificate?
    pub hostname_verified: Tri,
    /// Can an attacker (or a misconfigured server) get a plaintext connection?
    pub plaintext_fallback: bool,
    /// One sentence for people.
    pub summary: String,
    /// Every host is a Unix-domain socket on this machine (named, or libpq's default socket
    /// when the string gives no host): TLS settings do not apply, and the fields above say
    /// "no" only because nothing is encrypted on a local socket. Serialised only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub local: bool,
}

impl Verdict {
    /// A connection over Unix-domain sockets only: the traffic never crosses a network, and
    /// libpq does not start TLS or GSSAPI there (libpq docs §32.19.1: "sslmode is ignored
    /// for Unix domain socket communication").
    pub fn local(hosts: &[HostTarget]) -> Verdict {
        let cloud_sql = hosts
            .iter()
            .any(|h| h.host.as_deref().is_some_and(|d| d.contains("/cloudsql/")));
        let summary = if cloud_sql {
            "A local Unix-domain socket of the Cloud SQL Auth Proxy or connector: TLS settings do not apply to it; the proxy encrypts the hop to the instance (TLS 1.3, both sides verified by certificates Google issues)."
        } else if hosts.iter().all(|h| h.kind == HostKind::Default) {
            "No host is given, so libpq connects through the default Unix-domain socket on this machine: TLS settings do not apply, and the traffic never crosses a network. Give `host` to connect over the network."
        } else {
            "A Unix-domain socket on this machine: TLS settings do not apply, and the traffic never crosses a network."
        };
        Verdict {
            encrypted: Tri::No,
            server_verified: Tri::No,
            hostname_verified: Tri::No,
            plaintext_fallback: false,
            summary: summary.to_string(),
            local: true,
        }
    }
}

/// True when every host slot is a Unix-domain socket; `default_is_local`: whether a slot
/// without a host means the default socket (libpq) rather than the driver's default TCP host.
pub(crate) fn all_local(hosts: &[HostTarget], default_is_local: bool) -> bool {
    !hosts.is_empty()
        && hosts.iter().all(|h| {
            h.kind == HostKind::UnixSocket || (default_is_local && h.kind == HostKind::Default)
        })
}

impl Verdict {
    /// libpq's behaviour per `sslmode` (libpq docs §32.19.1, table "SSL Mode Descriptions"),
    /// including "require with a root certificate file behaves like verify-ca".
    pub fn for_libpq(conninfo: &Conninfo, effective: &Effective) -> Verdict {
        if all_local(&effective.hosts, true) {
            return Verdict::local(&effective.hosts);
        }
        // A placeholder (`/path/to/…`) names no file: libpq under `require` then verifies
        // nothing, as without the setting.
        let has_root_file = conninfo.get_nonempty("sslrootcert").is_some_and(|r| {
            r != "system" && !crate::conninfo::security::tls::is_placeholder_path(r)
        });
        let (encrypted, server, host, fallback, summary) = match effective.sslmode.as_str() {
            "disable" => (Tri::No, Tri::No, Tri::No, true, "Not encrypted: anyone on the network path can read and alter the traffic, including the password exchange."),
            "allow" => (Tri::Maybe, Tri::No, Tri::No, true, "Tries a plaintext connection first and only uses TLS if the server insists; the server is never verified."),
            "prefer" => (Tri::Maybe, Tri::No, Tri::No, true, "Uses TLS when the server offers it but silently falls back to plaintext, and never verifies the server: an attacker in the path can impersonate it or strip TLS."),
            "require" if has_root_file => (Tri::Yes, Tri::Yes, Tri::No, false, "Encrypted, and because a root certificate file is given libpq verifies the server certificate as verify-ca does, but not the host name."),
            "require" => (Tri::Yes, Tri::No, Tri::No, false, "Encrypted against eavesdropping, but the server is not verified: an attacker in the path can impersonate it."),
            "verify-ca" => (Tri::Yes, Tri::Yes, Tri::No, false, "Encrypted, and libpq connects only to a server whose certificate chains to a trusted CA, but the host name is not checked: any server with a certificate from that CA is accepted."),
            "verify-full" => (Tri::Yes, Tri::Yes, Tri::Yes, false, "Encrypted, and libpq connects only to a server whose certificate chains to a trusted CA and matches the host name."),
            _ => (Tri::No, Tri::No, Tri::No, false, "libpq will refuse to connect: the sslmode value is invalid."),
        };
        Verdict {
            encrypted,
            server_verified: server,
            hostname_verified: host,
            plaintext_fallback: fallback,
            summary: summary.to_string(),
            local: false,
        }
    }
}

/// What a driver does on the wire, in the vocabulary every driver module shares. Each variant
/// has exactly one libpq `sslmode` with the same guarantees, except [`Tls::PreferVerified`] and
/// [`Tls::Custom`], which libpq cannot express.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tls {
    /// Never TLS.
    Off,
    /// Plaintext first; TLS only if the server insists; never verified.
    AllowNoVerify,
    /// TLS when the server offers it, else plaintext; never verified.
    PreferNoVerify,
    /// TLS when the server offers it, else plaintext; when TLS is used the certificate is
    /// verified (and the host name when `host` is true).
    PreferVerified { host: bool },
    /// TLS required; the server is not verified.
    RequireNoVerify,
    /// TLS required; the chain is verified, the host name is not.
    RequireCa,
    /// TLS required; chain and host name verified.
    RequireFull,
    /// A custom TLS factory or callback decides; `required` says whether TLS is mandatory and
    /// `host_checked` whether the driver additionally checks the host name.
    Custom { required: bool, host_checked: bool },
    /// The driver refuses to connect with this configuration.
    Refused,
}

impl Tls {
    /// The libpq `sslmode` with the same guarantees, if there is one.
    pub(crate) fn libpq_sslmode(self) -> Option<&'static str> {
        match self {
            Tls::Off => Some("disable"),
            Tls::AllowNoVerify => Some("allow"),
            Tls::PreferNoVerify => Some("prefer"),
            Tls::RequireNoVerify => Some("require"),
            Tls::RequireCa => Some("verify-ca"),
            Tls::RequireFull => Some("verify-full"),
            Tls::PreferVerified { .. } | Tls::Custom { .. } | Tls::Refused => None,
        }
    }

    pub(crate) fn verifies(self) -> bool {
        matches!(
            self,
            Tls::RequireCa | Tls::RequireFull | Tls::PreferVerified { .. }
        )
    }

    /// The verdict, phrased for `driver`.
    pub(crate) fn verdict(self, driver: &str) -> Verdict {
        use Tri::{Maybe, No, Yes};
        let (encrypted, server, host, fallback, summary) = match self {
            Tls::Off => (No, No, No, true, format!("{driver} does not use TLS: anyone on the network path can read and alter the traffic, including the password exchange.")),
            Tls::AllowNoVerify => (Maybe, No, No, true, format!("{driver} connects in plaintext unless the server insists on TLS, and never verifies the server.")),
            Tls::PreferNoVerify => (Maybe, No, No, true, format!("{driver} uses TLS when the server offers it but falls back to plaintext and never verifies the server: an attacker in the path can impersonate it or strip TLS.")),
            Tls::PreferVerified { host } => (Maybe, Maybe, if host { Maybe } else { No }, true, format!("{driver} verifies the server certificate when TLS is used, but falls back to plaintext when the server (or an attacker) declines TLS.")),
            Tls::RequireNoVerify => (Yes, No, No, false, format!("{driver} encrypts the connection but does not verify the server: an attacker in the path can impersonate it.")),
            Tls::RequireCa => (Yes, Yes, No, false, format!("{driver} encrypts and checks that the server certificate chains to a trusted CA, but not the host name: any server with a certificate from that CA is accepted.")),
            Tls::RequireFull => (Yes, Yes, Yes, false, format!("{driver} encrypts, checks the server certificate against a trusted CA and checks the host name.")),
            Tls::Custom { required, host_checked } => (
                if required { Yes } else { Maybe },
                Maybe,
                if host_checked { Maybe } else { No },
                !required,
                format!("{driver} hands certificate checks to a custom TLS factory: what is verified depends on that class."),
            ),
            Tls::Refused => (No, No, No, false, format!("{driver} refuses to connect with these settings.")),
        };
        Verdict {
            encrypted,
            server_verified: server,
            hostname_verified: host,
            plaintext_fallback: fallback,
            summary,
            local: false,
        }
    }
}

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
    if let Some(fix) = query_element_fix(input, span) {
        diagnostic = diagnostic.with_fix(fix);
    }
    Box::new(diagnostic)
}

/// Sets or replaces `key` in an ordered parameter list (the driver reads the last occurrence).
pub(crate) fn put(params: &mut Vec<(String, String)>, key: &str, value: &str) {
    match params.iter_mut().find(|(k, _)| k == key) {
        Some(pair) => pair.1 = value.to_string(),
        None => params.push((key.to_string(), value.to_string())),
    }
}

/// A host list in libpq's shape, for outcomes without a libpq equivalent.
pub(crate) fn host_targets(hosts: &[(String, Option<String>)]) -> Vec<HostTarget> {
    hosts
        .iter()
        .map(|(host, port)| {
            let kind = if host.is_empty() {
                HostKind::Default
            } else if super::options::is_unix_socket_path(host) {
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
pub(crate) fn query_element_fix(input: &str, span: Span) -> Option<Fix> {
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
        Fix::replace(
            format!("Remove {}", pair.key),
            url::remove_element(input, pair.span),
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
    super::keywords::lookup(name).is_some()
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

pub(crate) fn forwarded(key: &str) -> Forwarded {
    if matches!(
        key,
        "application_name" | "client_encoding" | "options" | "replication"
    ) {
        Forwarded::Startup
    } else if is_client_only_keyword(key) || key == "ssl" {
        Forwarded::ClientOnly
    } else {
        Forwarded::Setting
    }
}

/// A forwarded parameter in the libpq equivalent: the same keyword, an approximation (the
/// connection ends), or `-c name=value` in `options`.
pub(crate) fn forward_to_equivalent(eq: &mut Equivalent, driver: &str, setting: &kv::Setting) {
    match forwarded(&setting.key) {
        Forwarded::Startup => eq.set(
            &setting.key,
            &setting.value,
            setting.key_span,
            setting.value_span,
        ),
        Forwarded::ClientOnly => eq.approximate(format!(
            "{driver} sends `{}` to the server, which ends the connection",
            setting.key
        )),
        Forwarded::Setting => {
            eq.add_server_setting(&setting.key, &setting.value, setting.pair_span())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rules shared by several drivers.

pub static RULE_DIALECT_UNSUPPORTED: Rule = Rule {
    code: "PGP-DRIVER-001",
    severity: Severity::Error,
    title: "Connection string not understood for this driver",
    explanation: "The string does not have the shape the chosen driver expects, so the driver \
rejects it before connecting. Pick the driver explicitly with `--driver`, or check the driver's \
documentation for its URL format. The detail quotes the driver's own complaint where it has one.",
    references: &[],
};

pub static RULE_PARAM_IGNORED: Rule = Rule {
    code: "PGP-DRIVER-002",
    severity: Severity::Warning,
    title: "Parameter ignored by the driver",
    explanation: "The driver does not know this parameter and silently drops it, so the setting \
has no effect. This is most dangerous for TLS settings copied from a libpq string: the driver \
then runs with its own default instead (raised as a warning), while ignored non-TLS settings are \
advice (info). Use the driver's own name for the setting, listed in the detail where one exists, \
or configure it in code.",
    references: &["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-PARAMKEYWORDS"],
};

pub static RULE_PARAM_REJECTED: Rule = Rule {
    code: "PGP-DRIVER-003",
    severity: Severity::Error,
    title: "Parameter or value the driver rejects",
    explanation: "The driver refuses this parameter or its value, either while parsing the string \
or when it tries to connect. The detail names what the driver accepts instead.",
    references: &[],
};

pub static RULE_NO_LIBPQ_EQUIVALENT: Rule = Rule {
    code: "PGP-DRIVER-004",
    severity: Severity::Info,
    title: "No exact libpq equivalent",
    explanation: "What the driver does with these settings cannot be written as a libpq \
connection string with the same behaviour, so none is offered. The security review still runs on \
the closest libpq reading when there is one; the detail says what differs.",
    references: &["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-PROTECTION"],
};

pub static RULE_ROOT_CERT_UNUSED: Rule = Rule {
    code: "PGP-DRIVER-005",
    severity: Severity::Warning,
    title: "Root certificate given but not used for verification",
    explanation: "A CA certificate is configured, but with this TLS mode the driver does not \
verify the server against it. libpq users expect `sslmode=require` plus `sslrootcert` to behave \
like `verify-ca`; several drivers instead skip verification entirely in `require`. Ask for \
verification explicitly with the driver's `verify-full` mode (or `verify-ca` when host names \
cannot match).",
    references: &["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS"],
};

pub static RULE_CA_ONLY_SYSTEM_STORE: Rule = Rule {
    code: "PGP-DRIVER-006",
    severity: Severity::Warning,
    title: "CA-only verification against the system trust store",
    explanation: "With `verify-ca` and no root certificate of its own, the driver checks the \
server certificate against every public CA the operating system trusts, but not the host name. \
Anyone who can get a certificate from any public CA for any name can then impersonate the \
server. Either give the server's own CA as the root certificate, or use `verify-full` so the host \
name is checked too.",
    references: &["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES"],
};

pub static RULE_CLIENT_PARAM_AS_SETTING: Rule = Rule {
    code: "PGP-DRIVER-007",
    severity: Severity::Error,
    title: "Client parameter sent to the server as a setting",
    explanation: "This driver forwards every parameter it does not know to the server as a \
run-time setting in the startup packet. The parameter is a libpq client option, not a server \
setting, so the server ends the connection with `FATAL: unrecognized configuration parameter`. \
Remove it and configure the behaviour through the driver's own API.",
    references: &["https://www.postgresql.org/docs/18/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-STARTUPMESSAGE"],
};

pub static RULE_PARAM_AS_SETTING: Rule = Rule {
    code: "PGP-DRIVER-008",
    severity: Severity::Info,
    title: "Parameter sent to the server as a setting",
    explanation: "This driver forwards parameters it does not know to the server as run-time \
settings (like `SET name = value` at connection start). That is a feature for settings such as \
`search_path` or `statement_timeout`, but a misspelt name makes the server refuse the \
connection (`unrecognized configuration parameter`), and names containing a dot are accepted \
as custom settings without any check.",
    references: &["https://www.postgresql.org/docs/18/runtime-config-client.html"],
};

pub static RULE_SSLMODE_OVERRIDDEN: Rule = Rule {
    code: "PGP-DRIVER-009",
    severity: Severity::Info,
    title: "TLS mode overridden by another parameter",
    explanation: "Another parameter in the string changes the TLS mode the driver uses, so the \
mode written is not the mode in effect. The detail says which parameter wins and what the \
driver does instead. Write the effective mode explicitly so the string says what it does.",
    references: &[],
};

pub static RULE_MULTIPLE_HOSTS_UNSUPPORTED: Rule = Rule {
    code: "PGP-DRIVER-010",
    severity: Severity::Error,
    title: "Driver does not support multiple hosts",
    explanation: "The string lists several hosts, as libpq allows for failover, but this driver \
reads the whole list as a single host name (or rejects it), so the connection fails. Put one \
host in the string and handle failover outside it (a load balancer, DNS, or the driver's own \
failover API).",
    references: &["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-MULTIPLE-HOSTS"],
};

pub static RULE_SYSTEM_ROOT_AS_FILE: Rule = Rule {
    code: "PGP-DRIVER-011",
    severity: Severity::Error,
    title: "sslrootcert=system is read as a file name",
    explanation: "libpq 16 and later read `sslrootcert=system` as \"trust the operating system's \
CA store\". This driver has no such special value: it tries to open a file called `system` and \
the connection fails. Give the path of a CA bundle instead (for public CAs, the system bundle \
such as `/etc/ssl/certs/ca-certificates.crt`).",
    references: &[
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT",
    ],
};

pub static RULE_LIBPQ_WOULD_REJECT: Rule = Rule {
    code: "PGP-DRIVER-028",
    severity: Severity::Info,
    title: "libpq would reject this string",
    explanation: "The string was recognised as another driver's (a JDBC URL, an ADO.NET string, a \
SQLAlchemy URL, …) and checked as that driver reads it. libpq, and everything built on it \
(psql, psycopg, pg_dump, most GUI tools), would reject it outright; the detail quotes libpq's \
message. Use the string with the driver it was written for, or write it in libpq's syntax for \
libpq-based tools.",
    references: &["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING"],
};

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
    &jdbc::RULE_NON_VALIDATING_FACTORY,
    &jdbc::RULE_KEY_FORMAT,
    &jdbc::RULE_SSL_FALSE,
    &jdbc::RULE_CREDENTIALS_IN_AUTHORITY,
    &node::RULE_NO_VERIFY,
    &node::RULE_SSLMODE_ALIAS,
    &node::RULE_LIBPQ_COMPAT,
    &node::RULE_SSL_STRING,
    &prisma::RULE_ACCEPT_INVALID_CERTS,
    &prisma::RULE_SSLCERT_IS_CA,
    &prisma::RULE_UNSUPPORTED_SSLMODE,
    &npgsql::RULE_TRUST_SERVER_CERTIFICATE,
    &sqlalchemy::RULE_POSTGRES_NAME,
    &sqlalchemy::RULE_ASYNCPG_SSLMODE,
    &sqlalchemy::RULE_PG8000_NO_TLS,
    &sqlalchemy::RULE_DRIVER_NOT_MODELLED,
];

// ---------------------------------------------------------------------------------------------
// Detection.

/// Query parameters only Prisma reads (quaint `PostgresUrl::parse_query_params`); libpq rejects
/// every one of them.
const PRISMA_ONLY: &[&str] = &[
    "schema",
    "connection_limit",
    "pool_timeout",
    "pgbouncer",
    "sslaccept",
    "sslidentity",
    "socket_timeout",
    "statement_cache_size",
    "max_connection_lifetime",
    "max_idle_connection_lifetime",
];

/// Parameters only pgx reads: pgconn's `servicefile`, `krbspn`, `connect_recover_timeout`;
/// pgx's `statement_cache_capacity`, `description_cache_capacity`, `default_query_exec_mode`;
/// pgxpool's `pool_*` settings. libpq rejects every one of them.
const PGX_ONLY: &[&str] = &[
    "servicefile",
    "krbspn",
    "connect_recover_timeout",
    "statement_cache_capacity",
    "description_cache_capacity",
    "default_query_exec_mode",
    "min_read_buffer_size",
    "pool_max_conns",
    "pool_min_conns",
    "pool_min_idle_conns",
    "pool_max_conn_lifetime",
    "pool_max_conn_lifetime_jitter",
    "pool_max_conn_idle_time",
    "pool_health_check_period",
];

/// Whether Npgsql knows `key` (any of its spellings).
pub fn npgsql_knows(key: &str) -> bool {
    npgsql::knows(key)
}

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
    if has(PRISMA_ONLY) {
        return Some(Dialect::Prisma);
    }
    if has(PGX_ONLY) {
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
        .any(|key| PGX_ONLY.contains(&key.as_str()))
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
        Dialect::Npgsql => npgsql::parse(input),
    };
    finish(dialect, input, outcome, options)
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
        };
    }
    let mut hosts = hosts;
    let mut verdict = verdict;
    let mut libpq_equivalent = None;
    match equivalent {
        Some(equivalent) => {
            let conninfo = equivalent.conninfo();
            let review = super::review(input, &conninfo, dialect, options);
            verify_with_review(&mut diagnostics, &review.verify_changes);
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
            match equivalent.approximation() {
                None => libpq_equivalent = Some(redact::render(&conninfo)),
                Some(reason) => diagnostics.push(Diagnostic::new(
                    &RULE_NO_LIBPQ_EQUIVALENT,
                    format!(
                        "{reason}; the review below reads the closest libpq settings: `{}`",
                        redact::render(&conninfo)
                    ),
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
    }
}

/// Driver findings about a server that is not verified (a non-validating factory, Prisma's
/// default `sslaccept`, Npgsql's `Trust Server Certificate`, node-postgres's `no-verify`,
/// `verify-ca` against the system store) get the review's verification edit as their fix, so
/// it carries what the provider needs (its CA file) and is rendered in the driver's syntax.
fn verify_with_review(
    diagnostics: &mut [Diagnostic],
    verify_changes: &[crate::diagnostic::Change],
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
    for d in diagnostics
        .iter_mut()
        .filter(|d| verification_rules.contains(&d.code))
    {
        let title = d
            .fix
            .as_ref()
            .map_or("Verify the server".to_string(), |f| f.title.clone());
        d.fix = Some(Fix::edit(title, "", verify_changes.to_vec()));
    }
}

/// Gives every driver finding without a fix the generic one for its rule: removing the
/// offending query element (ignored, rejected, or forwarded-to-the-server parameters), or advice.
fn complete_fixes(input: &str, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics.iter_mut().filter(|d| d.fix.is_none()) {
        let removable = [
            RULE_PARAM_IGNORED.code,
            RULE_PARAM_REJECTED.code,
            RULE_CLIENT_PARAM_AS_SETTING.code,
        ]
        .contains(&d.code);
        if removable {
            d.fix = d.span.and_then(|span| query_element_fix(input, span));
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
            let (effective, _) = super::super::options::check(&conninfo);
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
