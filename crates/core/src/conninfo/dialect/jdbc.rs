//! pgjdbc, `jdbc:postgresql:…`, modelled on pgjdbc 42.7.x.
//!
//! Sources: `org/postgresql/Driver.java` (`parseURL`, 42.7.3),
//! `org/postgresql/jdbc/SslMode.java` (`SslMode.of`), `org/postgresql/PGProperty.java`,
//! `org/postgresql/ssl/LibPQFactory.java`, `org/postgresql/ssl/MakeSSL.java`, and
//! <https://jdbc.postgresql.org/documentation/ssl/> ("SSL / TLS").

use crate::conninfo::driver_keys;
use super::equivalent::Equivalent;
use super::kv::{self, Setting};
use super::reading;
use super::url::{self, text, Plus};
use super::{
    host_targets, ignored, put, put_all, Outcome, Rejection, Tls, RULE_DIALECT_UNSUPPORTED,
    RULE_PARAM_REJECTED, RULE_ROOT_CERT_UNUSED, RULE_SYSTEM_ROOT_AS_FILE,
};
use crate::conninfo::options::SslMode;
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Span};

const PREFIX: &str = "jdbc:postgresql:";

/// libpq keywords people copy into JDBC URLs, and pgjdbc's name for the same setting.
const LIBPQ_NAMES: &[(&str, &str)] = &[
    ("application_name", "ApplicationName"),
    ("connect_timeout", "connectTimeout"),
    ("target_session_attrs", "targetServerType"),
    ("load_balance_hosts", "loadBalanceHosts"),
    ("gssencmode", "gssEncMode"),
    ("channel_binding", "channelBinding"),
    ("sslnegotiation", "sslNegotiation"),
    ("krbsrvname", "kerberosServerName"),
    ("keepalives", "tcpKeepAlive"),
    ("dbname", "the path of the URL"),
    ("host", "the host list of the URL"),
    ("port", "the host list of the URL"),
];

/// The Cloud SQL Java connector's socket factory for PostgreSQL.
const CLOUD_SQL_SOCKET_FACTORY: &str = "com.google.cloud.sql.postgres.SocketFactory";

/// The properties the Cloud SQL connector reads from pgjdbc's Properties. Source:
/// GoogleCloudPlatform/cloud-sql-jdbc-socket-factory `core/src/main/java/com/google/cloud/sql/core/ConnectionConfig.java`
/// (`*_PROPERTY` constants, 1.x).
const CLOUD_SQL_CONNECTOR_PROPS: &[&str] = &[
    "cloudSqlInstance",
    "cloudSqlNamedConnector",
    "cloudSqlDelegates",
    "cloudSqlTargetPrincipal",
    "cloudSqlAdminRootUrl",
    "cloudSqlAdminServicePath",
    "cloudSqlRefreshStrategy",
    "unixSocketPath",
    "cloudSqlUnixSocketPathSuffix",
    "enableIamAuth",
    "ipTypes",
    "cloudSqlAdminQuotaProject",
    "cloudSqlUniverseDomain",
    "cloudSqlGoogleCredentialsPath",
];

/// The SSL socket factory named by `sslfactory`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Factory {
    LibPq,
    NonValidating,
    DefaultJava,
    Other,
}

fn factory(name: Option<&str>) -> Factory {
    match name {
        None
        | Some("org.postgresql.ssl.LibPQFactory" | "org.postgresql.ssl.jdbc4.LibPQFactory") => {
            Factory::LibPq
        }
        Some(n) if n.ends_with(".NonValidatingFactory") => Factory::NonValidating,
        Some("org.postgresql.ssl.DefaultJavaSSLFactory") => Factory::DefaultJava,
        Some(_) => Factory::Other,
    }
}

#[derive(Debug, Clone)]
struct Host {
    host: String,
    port: Option<String>,
    host_span: Span,
    port_span: Option<Span>,
    /// pgjdbc took `password@host` of `user:password@host` for the port, and rejects it.
    userinfo_as_port: bool,
}

#[derive(Debug, Clone, Default)]
struct JdbcUrl {
    hosts: Vec<Host>,
    database: Option<Setting>,
    /// The URL's properties in order, every occurrence (pgjdbc reads the last).
    props: Vec<Setting>,
    /// Bare properties right after `password` or `sslpassword`: the password's own text after
    /// an unencoded `&`, which pgjdbc cuts off and keeps as a property name of its own.
    password_tails: Vec<Setting>,
    /// The query as written, for writing a value again as the user wrote it
    /// ([`reading::WrittenQuery`]).
    written: reading::WrittenQuery,
}

impl JdbcUrl {
    fn prop(&self, key: &str) -> Option<&Setting> {
        kv::get(&self.props, key)
    }

    /// `socketFactory=com.google.cloud.sql.postgres.SocketFactory`: the Cloud SQL Java
    /// connector opens the connection.
    fn cloud_sql(&self) -> bool {
        self.prop("socketFactory")
            .is_some_and(|p| p.value == CLOUD_SQL_SOCKET_FACTORY)
    }

    /// Where the TLS mode is written: `sslmode`'s value, else the `ssl` property.
    fn mode_span(&self, input: &str) -> Span {
        self.prop("sslmode")
            .map(|p| p.value_span)
            .or(self.prop("ssl").map(Setting::pair_span))
            .unwrap_or(Span::new(input.len(), input.len()))
    }

    /// The URL without secrets, with `set` applied and `remove` removed, for fixes.
    fn render(&self, set: &[(&str, &str)], remove: &[&str]) -> String {
        let mut out = String::from("jdbc:postgresql://");
        let hosts: Vec<String> = self
            .hosts
            .iter()
            .map(|h| {
                let host = if h.host.contains(':') {
                    format!("[{}]", h.host)
                } else {
                    h.host.clone()
                };
                match &h.port {
                    Some(p) => format!("{host}:{p}"),
                    None => host,
                }
            })
            .collect();
        out.push_str(&hosts.join(","));
        out.push('/');
        if let Some(db) = &self.database {
            out.push_str(&url::encode(&db.value));
        }
        let kept = self.props.iter().filter(|prop| {
            // Every secret is left out, not only the driver's own (an API key re-encoded here
            // would match no mask: an outside review saw `api_key=Zq9X%C3…` shown).
            !(crate::conninfo::embedded::secret_key(&prop.key)
                || remove.contains(&prop.key.as_str()))
        });
        let pairs = put_all(
            kept.map(|prop| (prop.key.as_str(), prop.value.as_str()))
                .chain(set.iter().copied()),
        );
        if !pairs.is_empty() {
            out.push('?');
            let query: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{k}={}", self.written.encoded(v)))
                .collect();
            out.push_str(&query.join("&"));
        }
        out
    }
}

pub(super) fn parse(input: &str) -> Outcome {
    let read = read(input).map_err(|refused| refused.finding);
    let url = match read.and_then(|url| check_credentials_in_authority(&url).map(|()| url)) {
        Ok(url) => url,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    let mut diagnostics = Vec::new();
    check_ignored(&url, &mut diagnostics);
    check_password_tails(&url, &mut diagnostics);
    check_ssl_value(&url, &mut diagnostics);
    let Some(mode) = check_sslmode(input, &url, &mut diagnostics) else {
        return Outcome {
            valid: true,
            params: params(&url),
            diagnostics,
            verdict: Some(Tls::Refused.verdict("pgjdbc")),
            equivalent: None,
            no_equivalent: Some("pgjdbc refuses to connect with this sslmode".to_string()),
            hosts: host_targets(
                &url.hosts
                    .iter()
                    .map(|h| (h.host.clone(), h.port.clone()))
                    .collect::<Vec<_>>(),
            ),
        };
    };
    let target = check_target_server_type(&url, &mut diagnostics);
    let factory = factory(url.prop("sslfactory").map(|p| p.value.as_str()));
    let tls = tls(mode, factory);
    check_non_validating_factory(&url, mode, factory, &mut diagnostics);
    check_root_cert_used(&url, mode, factory, &mut diagnostics);
    let no_root_file = check_system_root(&url, mode, factory, &mut diagnostics);
    check_key_format(&url, factory, &mut diagnostics);
    let refused = target == TargetServerType::Invalid || no_root_file;
    let verdict = if url.cloud_sql() && !refused {
        Tls::RequireFull.verdict("The Cloud SQL Java connector")
    } else if refused {
        Tls::Refused.verdict("pgjdbc")
    } else {
        tls.verdict("pgjdbc")
    };
    // libpq reads `sslrootcert=system` as the system's CAs and would connect: no libpq string
    // says what pgjdbc does with it.
    let (equivalent, no_equivalent) = if no_root_file {
        (
            None,
            Some("pgjdbc refuses to connect: it opens sslrootcert=system as a file".to_string()),
        )
    } else {
        (Some(equivalent(input, &url, tls, factory, target)), None)
    };
    Outcome {
        valid: true,
        params: params(&url),
        diagnostics,
        verdict: Some(verdict),
        equivalent,
        no_equivalent,
        hosts: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// Why `Driver.parseURL` returns null for a URL: what `check` reports and explain-error names
/// as the cause of pgjdbc's refusal (one reading serves both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UrlRefusal {
    /// It does not start with `jdbc:postgresql:`.
    Prefix,
    /// `jdbc:postgresql:/x`: one `/` where pgjdbc reads `//` or none.
    OneSlashAfterPrefix,
    /// More than one `/` after `//` ("JDBC URL contains too many / characters"), and what put
    /// them there.
    TooManySlashes(SlashShape),
    /// No `/` after the host list ("JDBC URL must contain a / at the end of the host or port").
    NoSlash,
    /// The port read, which is no number from 1 to 65535 ("JDBC URL port: … not valid").
    Port(String),
    /// `user:password@host` without a port: `password@host` read for the port.
    CredentialsAsPort,
    /// A `%` not followed by two hexadecimal digits, which `URLDecoder.decode` throws on.
    BadEscape,
}

/// What put more than one `/` after `//`, as the rest of the URL shows it (a driver expert saw
/// the first two told "a database name cannot contain `/`").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlashShape {
    /// A whole URL pasted where the host goes.
    WholeUrl,
    /// User information whose password holds `/`.
    PasswordWithSlash,
    /// A database name or path with `/`.
    DatabaseWithSlash,
}

impl SlashShape {
    fn of(rest: &str) -> Self {
        let first = rest.split('/').next().unwrap_or_default();
        if rest.contains("://") {
            Self::WholeUrl
        } else if rest.contains('@') && !first.contains('@') {
            Self::PasswordWithSlash
        } else {
            Self::DatabaseWithSlash
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Self::WholeUrl => "a whole URL stands where the host goes: write `jdbc:postgresql://host:port/database` and give the user and password as properties",
            Self::PasswordWithSlash => "the password in `user:password@` holds a `/`, and pgjdbc reads no user information: give the user and password as properties",
            Self::DatabaseWithSlash => "a database name cannot contain `/`; percent-encode it as `%2F`",
        }
    }
}

/// How pgjdbc reads a URL, for explain-error.
#[derive(Debug, Default)]
pub(crate) struct UrlReading {
    /// Why `parseURL` returns null, where it does.
    pub refusal: Option<UrlRefusal>,
    /// `user:password@` before a host, which pgjdbc does not read as user information.
    pub userinfo_before_host: bool,
    /// Taken with `user:password@host` for a host name (a port followed it).
    pub credentials_as_host: bool,
    /// A `service=` property.
    pub service: bool,
}

/// [`UrlReading`] of `input`, by the reader `check` uses.
pub(crate) fn url_reading(input: &str) -> UrlReading {
    let server = input.split('?').next().unwrap_or_default();
    let userinfo_before_host = server.strip_prefix(PREFIX).is_some_and(|rest| rest.starts_with("//") && rest.contains('@'));
    match read(input) {
        Err(refused) => UrlReading {
            refusal: Some(refused.why),
            userinfo_before_host,
            ..UrlReading::default()
        },
        Ok(url) => UrlReading {
            refusal: url.hosts.iter().any(|h| h.userinfo_as_port).then_some(UrlRefusal::CredentialsAsPort),
            userinfo_before_host,
            credentials_as_host: url.hosts.iter().any(|h| h.host.contains('@')),
            service: url.prop("service").is_some(),
        },
    }
}

/// A refusal of `Driver.parseURL`: why, and the finding `check` reports.
struct Refused {
    why: UrlRefusal,
    finding: Rejection,
}

fn refused(why: UrlRefusal, detail: String, span: Span) -> Refused {
    Refused {
        why,
        finding: Box::new(Diagnostic::new(&RULE_DIALECT_UNSUPPORTED, detail).at(span)),
    }
}

/// `URLCoder.decode` (`URLDecoder.decode(s, UTF-8)`): `+` is a space and a malformed `%` escape
/// throws, which makes `parseURL` return null.
fn strict_decode(input: &str, span: Span) -> Result<String, Refused> {
    let decoded = url::decode(text(input, span), Plus::Space);
    match decoded.bad_escape {
        None => Ok(decoded.text),
        Some(offset) => Err(refused(
            UrlRefusal::BadEscape,
            "pgjdbc rejects the URL: malformed `%` escape (write a literal `%` as `%25`)"
                .to_string(),
            super::char_span(input, span.start + offset, span.start + offset + 3),
        )),
    }
}

/// Java `String.split(",")`: trailing empty strings are dropped.
fn java_split(input: &str, region: Span, separator: u8) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = region.start;
    for (i, b) in input
        .as_bytes()
        .iter()
        .enumerate()
        .take(region.end)
        .skip(region.start)
    {
        if *b == separator {
            spans.push(Span::new(start, i));
            start = i + 1;
        }
    }
    spans.push(Span::new(start, region.end));
    while spans.len() > 1 && spans.last().is_some_and(|s| s.is_empty()) {
        spans.pop();
    }
    spans
}

/// `Driver.parseURL`.
fn read(input: &str) -> Result<JdbcUrl, Refused> {
    check_prefix(input)?;
    let question = input.find('?');
    let server = Span::new(PREFIX.len(), question.unwrap_or(input.len()));
    let mut parsed = read_server(input, server)?;
    if parsed.hosts.is_empty() {
        parsed.hosts.push(Host {
            host: "localhost".to_string(),
            port: None,
            host_span: Span::new(server.end, server.end),
            port_span: None,
            userinfo_as_port: false,
        });
    }
    parsed.written = reading::WrittenQuery::of(input);
    if let Some(q) = question {
        let props = read_properties(input, Span::new(q + 1, input.len()))?;
        let tails = kv::secret_tails(input, &props);
        for (prop, tail) in props.into_iter().zip(tails) {
            if tail {
                parsed.password_tails.push(prop);
            } else {
                parsed.props.push(prop);
            }
        }
    }
    Ok(parsed)
}

/// Source: Driver.parseURL — `if (!urlServer.startsWith("jdbc:postgresql:")) return null`.
fn check_prefix(input: &str) -> Result<(), Refused> {
    if input.starts_with(PREFIX) {
        return Ok(());
    }
    let lower = input.to_ascii_lowercase();
    let rest_at = ["jdbc:postgresql:", "jdbc:postgres:"]
        .iter()
        .find(|p| lower.starts_with(**p))
        .map(|p| p.len());
    let mut refusal = refused(
        UrlRefusal::Prefix,
        "pgjdbc only accepts URLs that start with `jdbc:postgresql:` (exactly, in lower case); DriverManager answers \"No suitable driver found\"".to_string(),
        Span::new(0, input.find("//").unwrap_or(input.len())),
    );
    if let Some(rest) = rest_at.and_then(|n| input.get(n..)) {
        if let Ok(parsed) = read(&format!("{PREFIX}{rest}")) {
            *refusal.finding = refusal.finding.with_fix(Fix::replace(
                "Start the URL with jdbc:postgresql:",
                parsed.render(&[], &[]),
            ));
        }
    }
    Err(refusal)
}

/// What comes before `?`: `//host,host:port/database`, `//` or `///` (localhost:5432, database
/// = user), or `database` (localhost:5432).
fn read_server(input: &str, server: Span) -> Result<JdbcUrl, Refused> {
    let server_text = text(input, server);
    let mut parsed = JdbcUrl::default();
    if server_text == "//" || server_text == "///" {
        // No host and no database: localhost:5432, database = user.
    } else if server_text.starts_with("//") {
        parsed = read_host_list_and_database(input, server)?;
    } else {
        // `jdbc:postgresql:database` — localhost:5432; `jdbc:postgresql:/x` is rejected.
        if server_text.starts_with('/') {
            return Err(refused(
                UrlRefusal::OneSlashAfterPrefix,
                "pgjdbc rejects the URL: write `jdbc:postgresql://host/database` or `jdbc:postgresql:database`".to_string(),
                server,
            ));
        }
        if !server_text.is_empty() {
            parsed.database = Some(Setting::part(
                "database",
                strict_decode(input, server)?,
                server,
            ));
        }
    }
    Ok(parsed)
}

/// `//host,host:port/database`: exactly one `/` after the host list.
fn read_host_list_and_database(input: &str, server: Span) -> Result<JdbcUrl, Refused> {
    let rest_start = server.start + 2;
    let rest = text(input, Span::new(rest_start, server.end));
    if rest.matches('/').count() > 1 {
        let shape = SlashShape::of(rest);
        return Err(refused(
            UrlRefusal::TooManySlashes(shape),
            format!(
                "pgjdbc rejects the URL: \"JDBC URL contains too many / characters\" ({})",
                shape.advice()
            ),
            server,
        ));
    }
    let Some(slash) = rest.find('/') else {
        let mut refusal = refused(
            UrlRefusal::NoSlash,
            "pgjdbc rejects the URL: \"JDBC URL must contain a / at the end of the host or port\""
                .to_string(),
            Span::new(server.end, server.end),
        );
        let fixed = format!(
            "{}/{}",
            input.get(..server.end).unwrap_or_default(),
            input.get(server.end..).unwrap_or_default()
        );
        if let Ok(ok) = read(&fixed) {
            *refusal.finding = refusal.finding.with_fix(Fix::replace(
                "Add / after the host list",
                ok.render(&[], &[]),
            ));
        }
        return Err(refusal);
    };
    let mut parsed = JdbcUrl::default();
    let db_span = Span::new(rest_start + slash + 1, server.end);
    if !db_span.is_empty() {
        parsed.database = Some(Setting::part(
            "database",
            strict_decode(input, db_span)?,
            db_span,
        ));
    }
    for address in java_split(input, Span::new(rest_start, rest_start + slash), b',') {
        parsed.hosts.push(read_address(input, address)?);
    }
    Ok(parsed)
}

/// One `host[:port]` of the host list.
fn read_address(input: &str, address: Span) -> Result<Host, Refused> {
    let address_text = text(input, address);
    // `portIdx = address.lastIndexOf(':')`, a port only when after the last `]`.
    let colon = address_text.rfind(':');
    let bracket = address_text.rfind(']');
    let (host_span, port_span) = match colon {
        Some(c) if bracket.is_none_or(|b| b < c) => (
            Span::new(address.start, address.start + c),
            Some(Span::new(address.start + c + 1, address.end)),
        ),
        _ => (address, None),
    };
    let raw_host = text(input, host_span);
    let host = raw_host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(raw_host);
    // An empty host means PG_HOST's default, localhost.
    let host = if host.is_empty() { "localhost" } else { host };
    let port = port_span.map(|s| text(input, s).to_string());
    // PGPropertyUtil.propertiesConsistencyCheck: every port must be 1..65535.
    if let (Some(port), Some(span)) = (&port, port_span) {
        // `user:password@host` without a port: pgjdbc reads `password@host` as the port and
        // rejects it. The address holds user information, which PGP-DRIVER-015 reports
        // (`check_credentials_in_authority`) without quoting the password.
        if port.contains('@') {
            return Ok(Host {
                host: address_text.to_string(),
                port: None,
                host_span: address,
                port_span: None,
                userinfo_as_port: true,
            });
        }
        if !port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p)) {
            let quoted = super::quotable(input, span, port);
            return Err(refused(
                UrlRefusal::Port(port.clone()),
                format!("pgjdbc rejects the URL: invalid port number `{quoted}` (1 to 65535)"),
                span,
            ));
        }
    }
    Ok(Host {
        host: host.to_string(),
        port,
        host_span,
        port_span,
        userinfo_as_port: false,
    })
}

/// Query: split at `&`, empty tokens skipped, a token without `=` is a property with an empty
/// value; keys are not decoded, values are.
fn read_properties(input: &str, query: Span) -> Result<Vec<Setting>, Refused> {
    let mut props = Vec::new();
    for token in java_split(input, query, b'&') {
        let token_text = text(input, token);
        if token_text.is_empty() {
            continue;
        }
        let (key_span, value_span) = match token_text.find('=') {
            Some(eq) => (
                Span::new(token.start, token.start + eq),
                Span::new(token.start + eq + 1, token.end),
            ),
            None => (token, Span::new(token.end, token.end)),
        };
        props.push(Setting::pair(
            text(input, key_span),
            strict_decode(input, value_span)?,
            key_span,
            value_span,
        ));
    }
    Ok(props)
}

// ---------------------------------------------------------------------------------------------
// Checks.

rule!(
    RULE_CREDENTIALS_IN_AUTHORITY,
    "PGP-DRIVER-015",
    Error,
    "Credentials in the JDBC URL authority",
    "pgjdbc does not read `user:password@` before the host: `Driver.parseURL` splits each \
address at its last `:`. Without a port after the host it takes `password@host` for the port, \
logs `JDBC URL invalid port number: password@host` (the password in the log) and does not \
accept the URL (`No suitable driver found`; HikariCP: `claims to not accept jdbcUrl`). With a \
port it takes `user:password@host` for the host name, and the failed lookup's \
`UnknownHostException` carries the password into the logs. Pass the user as `?user=` and the \
password as a connection property (or `?password=` taken from a secret store), never in the \
host part.",
    [
        "https://jdbc.postgresql.org/documentation/use/#connecting-to-the-database",
        "https://github.com/pgjdbc/pgjdbc/blob/master/pgjdbc/src/main/java/org/postgresql/Driver.java",
    ]
);

/// Credentials before the host: pgjdbc reads them as part of the host name.
fn check_credentials_in_authority(url: &JdbcUrl) -> Result<(), Rejection> {
    let Some(host) = url.hosts.iter().find(|h| h.host.contains('@')) else {
        return Ok(());
    };
    let (user_part, _) = host.host.split_once('@').unwrap_or_default();
    let user = user_part.split(':').next().unwrap_or_default();
    let mut fixed = url.clone();
    for h in &mut fixed.hosts {
        if let Some((_, after)) = h.host.rsplit_once('@') {
            h.host = after.to_string();
        }
    }
    let replacement = fixed.render(&[("user", user)], &[]);
    // Without a port after the host, the password's `:` is the last one: pgjdbc takes
    // `password@host` for the port and rejects the URL.
    let detail = if host.userinfo_as_port {
        "pgjdbc does not read `user:password@` before the host: it takes the text after the last `:`, `password@host`, for the port, logs it as an invalid port number and does not accept the URL (value redacted)"
    } else {
        "pgjdbc reads everything before the port as the host name, including `user:password@`; the lookup of that name fails, and its error carries the password into the logs (value redacted)"
    };
    Err(Box::new(
        Diagnostic::new(&RULE_CREDENTIALS_IN_AUTHORITY, detail)
        .at(host.host_span)
        .with_fix(Fix::replace(
            "Pass the user as ?user= and the password as a connection property",
            replacement,
        )),
    ))
}

/// Unknown properties are silently ignored (pgjdbc keeps them in Properties, unused), except
/// those the configured socket factory reads from the same Properties.
fn check_ignored(url: &JdbcUrl, diagnostics: &mut Vec<Diagnostic>) {
    let cloud_sql = url.cloud_sql();
    let ignored_props = url.props.iter().filter(|prop| {
        !(driver_keys::PGJDBC.contains(&prop.key.as_str())
            || (cloud_sql && CLOUD_SQL_CONNECTOR_PROPS.contains(&prop.key.as_str())))
    });
    for (nth, prop) in ignored_props.enumerate() {
        let case_match = driver_keys::PGJDBC.iter().find(|k| k.eq_ignore_ascii_case(&prop.key));
        let renamed = case_match.copied().or_else(|| {
            LIBPQ_NAMES
                .iter()
                .find(|(libpq, jdbc)| *libpq == prop.key && driver_keys::PGJDBC.contains(jdbc))
                .map(|(_, jdbc)| *jdbc)
        });
        let suggestion = match (case_match, LIBPQ_NAMES.iter().find(|(l, _)| *l == prop.key)) {
            (Some(k), _) => format!("property names are case-sensitive: did you mean `{k}`?"),
            (None, Some((_, jdbc))) => format!("this is a libpq keyword; pgjdbc uses {jdbc}"),
            (None, None) => "pgjdbc does not know this property".to_string(),
        };
        // Renaming makes the written value take effect: a TLS mode that weak is not offered
        // (the fix must not leave the connection less protected than pgjdbc's default).
        let weak_mode = name_is_sslmode(renamed)
            && !matches!(
                prop.value.to_ascii_lowercase().as_str(),
                "require" | "verify-ca" | "verify-full"
            );
        let fix = match renamed {
            Some(name) if weak_mode => super::parameter_fix(
                nth,
                format!("Rename it to {name}, and verify the server: `{name}=verify-full` (`{}` would leave the connection unprotected)", prop.value),
                || url.render(&[(name, "verify-full")], &[prop.key.as_str()]),
            ),
            // A secret's value is never copied into a rendering (`PASSWORD=…` renamed would be
            // the password in clear, which an outside review saw): the rename is advice.
            Some(name) if crate::conninfo::embedded::secret_key(&prop.key) => Fix::advice(
                format!("Rename `{}` to `{name}`, keeping its value", prop.key),
            ),
            Some(name) => super::parameter_fix(nth, format!("Rename it to {name}"), || {
                url.render(&[(name, &prop.value)], &[prop.key.as_str()])
            }),
            None => super::parameter_fix(nth, format!("Remove {}", prop.key), || {
                url.render(&[], &[prop.key.as_str()])
            }),
        };
        diagnostics.push(ignored(
            prop,
            format!("`{}` is ignored: {suggestion}", prop.key),
            fix,
        ));
    }
}

/// Source: Driver.parseURL — `urlArgs.split("&")`, and a token without `=` becomes a property
/// with an empty value. An unencoded `&` in a password therefore cuts the password short, and
/// its rest is a property pgjdbc ignores; neither is named, both being the password's.
fn check_password_tails(url: &JdbcUrl, diagnostics: &mut Vec<Diagnostic>) {
    let Some(first) = url.password_tails.first() else {
        return;
    };
    let span = url
        .password_tails
        .iter()
        .fold(first.span, |span, tail| span.cover(tail.span));
    diagnostics.push(
        Diagnostic::new(
            &super::RULE_PARAM_IGNORED,
            "pgjdbc splits the query at every `&`, so an unencoded `&` in the password ends it there: pgjdbc sends the password cut short and keeps its rest as a property of its own, which it ignores (values redacted)",
        )
        .at(span)
        .with_severity(crate::diagnostic::Severity::Warning)
        .with_fix(Fix::advice(
            "Percent-encode `&` in the password as `%26`",
        )),
    );
}

fn name_is_sslmode(name: Option<&str>) -> bool {
    name == Some("sslmode")
}

rule!(
    RULE_SSL_FALSE,
    "PGP-DRIVER-014",
    Warning,
    "ssl value pgjdbc does not read as intended",
    "pgjdbc turns `ssl` into a TLS mode only when `sslmode` is absent: an empty \
value or `true` (any case) means `verify-full`; every other value — `false`, `0`, `no`, \
`require` — is simply \"not true\" and leaves the default `sslmode=prefer`, which still tries \
TLS without verifying the server and falls back to plaintext. Use `sslmode` to say what you \
mean: `verify-full` to verify the server, `disable` to turn TLS off.",
    [
        "https://github.com/pgjdbc/pgjdbc/blob/master/pgjdbc/src/main/java/org/postgresql/jdbc/SslMode.java",
    ]
);

/// Source: SslMode.of — without `sslmode`, `ssl` empty or "true" (any case,
/// Boolean.parseBoolean) means verify-full; every other value leaves the default `prefer`.
fn check_ssl_value(url: &JdbcUrl, diagnostics: &mut Vec<Diagnostic>) {
    let (None, Some(ssl)) = (url.prop("sslmode"), url.prop("ssl")) else {
        return;
    };
    if ssl.value.is_empty() || ssl.value.eq_ignore_ascii_case("true") {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_SSL_FALSE,
            format!(
                "`ssl={}` is not `true`, so pgjdbc uses its default `sslmode=prefer`: TLS is still attempted without verifying the server, and plaintext is accepted",
                ssl.value
            ),
        )
        .at(ssl.pair_span())
        .with_fix(Fix::replace(
            "Use sslmode=verify-full to verify the server (or sslmode=disable to turn TLS off)",
            url.render(&[("sslmode", "verify-full")], &["ssl"]),
        )),
    );
}

/// Source: SslMode.of — `sslmode` (case-insensitive) wins; else `ssl` empty or "true" means
/// verify-full; else prefer. An unknown `sslmode` throws ("Invalid sslmode value"): `None`.
fn check_sslmode(
    input: &str,
    url: &JdbcUrl,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'static str> {
    let Some(sslmode) = url.prop("sslmode") else {
        return Some(match url.prop("ssl") {
            Some(p) if p.value.is_empty() || p.value.eq_ignore_ascii_case("true") => "verify-full",
            _ => "prefer",
        });
    };
    // pgjdbc's `SslMode` values are libpq's, read without regard to case.
    let mode = SslMode::names()
        .into_iter()
        .find(|m| m.eq_ignore_ascii_case(&sslmode.value));
    if mode.is_none() {
        diagnostics.push(
            Diagnostic::new(
                &RULE_PARAM_REJECTED,
                format!(
                    "pgjdbc: \"Invalid sslmode value: {}\". Valid values: {}",
                    sslmode.value,
                    SslMode::names()
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .at(url.mode_span(input))
            .with_fix(Fix::replace(
                "Use sslmode=verify-full",
                url.render(&[("sslmode", "verify-full")], &[]),
            )),
        );
    }
    mode
}

/// `targetServerType`, as `HostRequirement.getTargetServerType` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetServerType {
    Unset,
    /// libpq's `target_session_attrs` with the same meaning.
    Libpq(&'static str),
    /// `preferPrimary`, which libpq cannot say.
    PreferPrimary,
    /// An unknown value: pgjdbc refuses to connect.
    Invalid,
}

/// `HostRequirement.getTargetServerType` rejects unknown values.
fn check_target_server_type(url: &JdbcUrl, diagnostics: &mut Vec<Diagnostic>) -> TargetServerType {
    let Some(target) = url.prop("targetServerType") else {
        return TargetServerType::Unset;
    };
    match target.value.as_str() {
        "any" => TargetServerType::Libpq("any"),
        "primary" | "master" => TargetServerType::Libpq("primary"),
        "secondary" | "slave" => TargetServerType::Libpq("standby"),
        "preferSecondary" | "preferSlave" => TargetServerType::Libpq("prefer-standby"),
        "preferPrimary" => TargetServerType::PreferPrimary,
        other => {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_PARAM_REJECTED,
                    format!("pgjdbc: \"Invalid targetServerType value: {other}\". Valid values: `any`, `primary`, `secondary`, `preferSecondary`, `preferPrimary`"),
                )
                .at(target.value_span),
            );
            TargetServerType::Invalid
        }
    }
}

/// Source: LibPQFactory — only verify-ca/verify-full load a trust store (sslrootcert, or
/// ~/.postgresql/root.crt); every weaker mode installs NonValidatingTM. MakeSSL checks the
/// host name for verify-full only, with whatever factory is in use.
fn tls(mode: &str, factory: Factory) -> Tls {
    match (mode, factory) {
        ("disable", _) => Tls::Off,
        ("allow", Factory::LibPq | Factory::NonValidating) => Tls::AllowNoVerify,
        ("prefer", Factory::LibPq | Factory::NonValidating) => Tls::PreferNoVerify,
        ("allow" | "prefer", Factory::DefaultJava) => Tls::PreferVerified { host: false },
        ("require", Factory::LibPq | Factory::NonValidating) => Tls::RequireNoVerify,
        ("verify-ca" | "verify-full", Factory::NonValidating) => Tls::RequireNoVerify,
        ("require" | "verify-ca", Factory::LibPq | Factory::DefaultJava) => {
            if mode == "require" && factory == Factory::LibPq {
                Tls::RequireNoVerify
            } else {
                Tls::RequireCa
            }
        }
        ("verify-full", Factory::LibPq | Factory::DefaultJava) => Tls::RequireFull,
        (m, _) => Tls::Custom {
            required: matches!(m, "require" | "verify-ca" | "verify-full"),
            host_checked: m == "verify-full",
        },
    }
}

rule!(
    RULE_NON_VALIDATING_FACTORY,
    "PGP-DRIVER-012",
    Warning,
    "Certificate validation disabled by sslfactory",
    "`sslfactory=org.postgresql.ssl.NonValidatingFactory` makes pgjdbc accept any \
server certificate, whatever `sslmode` says. With `ssl=true` or `sslmode=verify-full` pgjdbc \
still compares the host name, but against a certificate nobody vouched for, so an attacker in \
the path can present their own. Remove `sslfactory` (the default `LibPQFactory` verifies) and \
give the server's CA with `sslrootcert`.",
    [
        "https://jdbc.postgresql.org/documentation/ssl/",
        "https://jdbc.postgresql.org/documentation/publicapi/org/postgresql/ssl/NonValidatingFactory.html",
    ]
);

/// `NonValidatingFactory` accepts any certificate whatever `sslmode` says.
fn check_non_validating_factory(
    url: &JdbcUrl,
    mode: &str,
    factory: Factory,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if factory != Factory::NonValidating || mode == "disable" {
        return;
    }
    let mut set = vec![("sslmode", "verify-full")];
    if url.prop("sslrootcert").is_none() {
        set.push(("sslrootcert", "/path/to/server-ca.crt"));
    }
    let Some(p) = url.prop("sslfactory") else {
        return;
    };
    diagnostics.push(
        Diagnostic::new(
            &RULE_NON_VALIDATING_FACTORY,
            format!(
                "`sslfactory={}` accepts any server certificate (sslmode `{mode}`)",
                p.value
            ),
        )
        .at(p.value_span)
        .with_fix(Fix::replace(
            "Remove sslfactory and verify the server with sslmode=verify-full",
            url.render(&set, &["sslfactory", "ssl"]),
        )),
    );
}

/// LibPQFactory loads `sslrootcert` only for verify-ca and verify-full (libpq also verifies
/// with it under `require`); another factory never reads it.
fn check_root_cert_used(
    url: &JdbcUrl,
    mode: &str,
    factory: Factory,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(root) = url.prop("sslrootcert") else {
        return;
    };
    if factory == Factory::LibPq && matches!(mode, "allow" | "prefer" | "require") {
        diagnostics.push(
            Diagnostic::new(
                &RULE_ROOT_CERT_UNUSED,
                format!(
                    "pgjdbc does not verify the server in sslmode `{mode}`, even with `sslrootcert` (libpq would behave like verify-ca)"
                ),
            )
            .at(root.pair_span())
            .with_fix(Fix::replace(
                "Use sslmode=verify-full",
                url.render(&[("sslmode", "verify-full")], &["ssl"]),
            )),
        );
    } else if factory != Factory::LibPq && mode != "disable" {
        diagnostics.push(
            Diagnostic::new(
                &RULE_ROOT_CERT_UNUSED,
                "`sslrootcert` is read only by the default LibPQFactory; the configured sslfactory ignores it",
            )
            .at(root.pair_span()),
        );
    }
}

/// `sslrootcert=system` is libpq 16's word for the operating system's CAs; pgjdbc's default
/// `LibPQFactory` opens it as a file in the verify modes and refuses to connect ("Could not
/// open SSL root certificate file system."; pgjdbc 42.7 `ssl/LibPQFactory.java`, which has no
/// such special value). Java's own trust store is `sslfactory=DefaultJavaSSLFactory`. Whether
/// the connection is refused.
fn check_system_root(
    url: &JdbcUrl,
    mode: &str,
    factory: Factory,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let Some(root) = url.prop("sslrootcert").filter(|r| r.value == "system") else {
        return false;
    };
    if factory != Factory::LibPq || !matches!(mode, "verify-ca" | "verify-full") {
        return false;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_SYSTEM_ROOT_AS_FILE,
            "pgjdbc's LibPQFactory opens `system` as a file and refuses to connect: \"Could not open SSL root certificate file system.\"",
        )
        .at(root.value_span)
        .with_fix(Fix::replace(
            "Trust Java's own CA store: set sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory instead of sslrootcert=system",
            url.render(
                &[("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory")],
                &["sslrootcert"],
            ),
        )),
    );
    true
}

rule!(
    RULE_KEY_FORMAT,
    "PGP-DRIVER-013",
    Warning,
    "Client key format pgjdbc cannot read",
    "pgjdbc's default `LibPQFactory` reads `sslkey` as a PKCS-8 key in DER form \
(`.pk8`), or as a PKCS-12 bundle when the name ends in `.p12` or `.pfx`. The PEM keys libpq uses \
(`client.key`, `-----BEGIN RSA PRIVATE KEY-----`) fail with an SSL error. Convert the key with \
`openssl pkcs8 -topk8 -inform PEM -outform DER -in client.key -out client.pk8 -nocrypt` (or \
export a PKCS-12 bundle) and point `sslkey` at the result. Very recent pgjdbc builds also accept \
an unencrypted PKCS-8 PEM key (`BEGIN PRIVATE KEY`), but not the traditional PKCS-1 form.",
    [
        "https://jdbc.postgresql.org/documentation/ssl/",
        "https://github.com/pgjdbc/pgjdbc/blob/master/pgjdbc/src/main/java/org/postgresql/ssl/LibPQFactory.java",
    ]
);

/// LibPQFactory reads `sslkey` as PKCS-8 DER or PKCS-12, not as the PEM keys libpq uses.
fn check_key_format(url: &JdbcUrl, factory: Factory, diagnostics: &mut Vec<Diagnostic>) {
    let Some(key) = url.prop("sslkey") else {
        return;
    };
    let lower = key.value.to_ascii_lowercase();
    if factory != Factory::LibPq || !(lower.ends_with(".key") || lower.ends_with(".pem")) {
        return;
    }
    let stem = key
        .value
        .rsplit_once('.')
        .map_or(key.value.as_str(), |(stem, _)| stem);
    let pk8 = format!("{stem}.pk8");
    diagnostics.push(
        Diagnostic::new(
            &RULE_KEY_FORMAT,
            format!(
                "`sslkey={}` looks like a PEM key; pgjdbc's LibPQFactory expects PKCS-8 DER (`.pk8`) or PKCS-12 (`.p12`, `.pfx`)",
                key.value
            ),
        )
        .at(key.value_span)
        .with_fix(Fix::replace(
            format!(
                "Convert it: openssl pkcs8 -topk8 -inform PEM -outform DER -nocrypt -in {} -out {pk8}",
                key.value
            ),
            url.render(&[("sslkey", &pk8)], &[]),
        )),
    );
}

// ---------------------------------------------------------------------------------------------
// Verdict.

/// What pgjdbc reads: the host list, ports (5432 by default) and database as `PGHOST`,
/// `PGPORT`, `PGDBNAME`, then the properties.
fn params(url: &JdbcUrl) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let host_list: Vec<&str> = url.hosts.iter().map(|h| h.host.as_str()).collect();
    put(&mut params, "PGHOST", &host_list.join(","));
    let ports: Vec<&str> = url
        .hosts
        .iter()
        .map(|h| h.port.as_deref().unwrap_or("5432"))
        .collect();
    put(&mut params, "PGPORT", &ports.join(","));
    if let Some(db) = &url.database {
        put(&mut params, "PGDBNAME", &db.value);
    }
    for prop in &url.props {
        put(&mut params, &prop.key, &prop.value);
    }
    params
}

/// The libpq equivalent.
fn equivalent(
    input: &str,
    url: &JdbcUrl,
    tls: Tls,
    factory: Factory,
    target: TargetServerType,
) -> Equivalent {
    let mut eq = Equivalent::new(Form::Uri, input);
    let hosts_value: Vec<&str> = url.hosts.iter().map(|h| h.host.as_str()).collect();
    let host_span = url
        .hosts
        .iter()
        .map(|h| h.host_span)
        .reduce(Span::cover)
        .unwrap_or(Span::new(0, 0));
    // pgjdbc's default host is localhost; libpq's would be the Unix socket, so say it.
    eq.set_at("host", &hosts_value.join(","), host_span);
    if url.hosts.iter().any(|h| h.port.is_some()) {
        let ports: Vec<&str> = url
            .hosts
            .iter()
            .map(|h| h.port.as_deref().unwrap_or(""))
            .collect();
        let span = url
            .hosts
            .iter()
            .filter_map(|h| h.port_span)
            .reduce(Span::cover)
            .unwrap_or(host_span);
        eq.set_at("port", &ports.join(","), span);
    }
    if let Some(db) = &url.database {
        eq.set_at("dbname", &db.value, db.span);
    }
    for (jdbc_name, libpq_name) in [
        ("user", "user"),
        ("password", "password"),
        ("ApplicationName", "application_name"),
        ("connectTimeout", "connect_timeout"),
        ("options", "options"),
        ("channelBinding", "channel_binding"),
        ("sslNegotiation", "sslnegotiation"),
        ("kerberosServerName", "krbsrvname"),
        ("replication", "replication"),
        ("service", "service"),
    ] {
        if let Some(p) = url.prop(jdbc_name) {
            eq.set(libpq_name, &p.value, p.key_span, p.value_span);
        }
    }
    if url.prop("connectTimeout").is_none() {
        // PGProperty.CONNECT_TIMEOUT defaults to 10 seconds; libpq waits forever.
        eq.set_implied("connect_timeout", "10");
    }
    if let Some(p) = url.prop("currentSchema") {
        eq.add_server_setting("search_path", &p.value, p.pair_span());
    }
    if let Some(p) = url.prop("gssEncMode") {
        if matches!(p.value.as_str(), "disable" | "prefer" | "require") {
            eq.set("gssencmode", &p.value, p.key_span, p.value_span);
        }
    }
    if let Some(p) = url.prop("loadBalanceHosts") {
        if p.value.eq_ignore_ascii_case("true") {
            eq.set("load_balance_hosts", "random", p.key_span, p.value_span);
        }
    }
    match (url.prop("targetServerType"), target) {
        (Some(p), TargetServerType::Libpq(value)) => {
            eq.set("target_session_attrs", value, p.key_span, p.value_span)
        }
        (Some(_), TargetServerType::PreferPrimary) => eq.approximate(
            "`targetServerType=preferPrimary` has no libpq target_session_attrs equivalent",
        ),
        _ => {}
    }
    if factory == Factory::LibPq {
        client_certificate_equivalent(url, &mut eq);
    }
    let mode_span = url.mode_span(input);
    match (factory, url.prop("sslrootcert")) {
        (Factory::LibPq, Some(p)) => eq.set_tls(tls, Some((&p.value, p.value_span)), mode_span),
        (Factory::LibPq, None) if matches!(tls, Tls::RequireCa | Tls::RequireFull) => {
            // LibPQFactory falls back to ~/.postgresql/root.crt, the same default file libpq
            // reads, so sslrootcert stays unset.
            if let Some(libpq_mode) = tls.libpq_sslmode() {
                eq.set_at("sslmode", libpq_mode.name(), mode_span);
            }
        }
        _ => eq.set_tls(tls, None, mode_span),
    }
    let refused = target == TargetServerType::Invalid;
    if refused {
        eq.approximate("pgjdbc refuses to connect with this targetServerType");
    }
    if url.cloud_sql() && !refused {
        // The connector opens a TLS 1.3 connection to the instance with a client certificate
        // it obtains from the Cloud SQL Admin API and verifies the instance's certificate
        // against the instance's CA (cloud-sql-jdbc-socket-factory, `core/.../Connector.java`);
        // pgjdbc's own sslmode applies on top of that tunnel.
        eq.set_tls(Tls::RequireFull, None, mode_span);
        eq.approximate("the Cloud SQL Java connector (socketFactory) encrypts and verifies the connection to the instance itself; the closest libpq reading is verify-full");
    }
    eq
}

/// LibPQFactory reads the same client certificate files libpq does, but not in the same
/// formats: a PKCS-12 bundle or a DER key has no libpq reading.
fn client_certificate_equivalent(url: &JdbcUrl, eq: &mut Equivalent) {
    for key in ["sslcert", "sslkey", "sslpassword"] {
        if let Some(p) = url.prop(key) {
            eq.set(key, &p.value, p.key_span, p.value_span);
        }
    }
    if let Some(key) = url.prop("sslkey") {
        let lower = key.value.to_ascii_lowercase();
        if lower.ends_with(".p12") || lower.ends_with(".pfx") {
            eq.approximate("libpq cannot read a PKCS-12 client certificate bundle; split it into PEM sslcert and sslkey files");
        } else if lower.ends_with(".pk8") || lower.ends_with(".der") {
            eq.approximate("libpq reads client keys in PEM form; convert the DER key with `openssl pkey -inform DER -in key.pk8 -out key.pem`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::conninfo::dialect::Dialect;
    use crate::conninfo::{analyze, CheckOptions};

    /// pgjdbc's "too many / characters" is told from the shape that caused it: a whole URL
    /// as the host, a password holding `/`, or a database name with `/`.
    #[test]
    fn too_many_slashes_names_what_put_them_there() {
        let cases = [
            ("jdbc:postgresql://postgresql://app:S3cr3tPw77@db.internal:5432/app:5432/app", "a whole URL stands where the host goes"),
            ("jdbc:postgresql://app:pa/ss@db.internal:5432/app", "the password in `user:password@` holds a `/`"),
            ("jdbc:postgresql://db.internal/a/b", "a database name cannot contain `/`"),
        ];
        for (input, why) in cases {
            let analysis = analyze(input, Some(Dialect::Jdbc), &CheckOptions::default());
            let rejection = analysis.diagnostics.iter().find(|d| d.is_error()).expect("rejected");
            assert!(rejection.detail.contains("too many / characters") && rejection.detail.contains(why), "{}", rejection.detail);
            for secret in ["S3cr3tPw77", "pa/ss"] {
                assert!(!rejection.detail.contains(secret), "{}", rejection.detail);
            }
        }
    }
}
