//! asyncpg DSNs, modelled on asyncpg 0.30; `sslnegotiation` as asyncpg 0.31.0 reads it
//! (`connect_utils.py`:402-403 takes it from the query, :663-678 checks its value).
//!
//! Source: `asyncpg/connect_utils.py` (`_parse_connect_dsn_and_args`, `_parse_hostlist`,
//! `SSLMode`, `_create_ssl_connection`, `_connect_addr`) in
//! <https://github.com/MagicStack/asyncpg>, and the `connect()` documentation
//! (<https://magicstack.github.io/asyncpg/current/api/index.html#connection>).

use super::equivalent::Equivalent;
use super::kv::{self, Setting};
use super::url::{self, text, At, Plus};
use super::{
    forward_to_equivalent, forwarded, host_targets, param_rejected, put, Forwarded, Outcome,
    Rejection, Tls, RULE_CLIENT_PARAM_AS_SETTING, RULE_DIALECT_UNSUPPORTED, RULE_PARAM_AS_SETTING,
    RULE_SYSTEM_ROOT_AS_FILE,
};
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Span};

/// `SSLMode.parse`: `getattr(SSLMode, value.replace('-', '_'))`, so both spellings work and
/// case matters.
pub(super) fn parse_mode(value: &str) -> Option<&'static str> {
    match value.replace('_', "-").as_str() {
        "disable" => Some("disable"),
        "allow" => Some("allow"),
        "prefer" => Some("prefer"),
        "require" => Some("require"),
        "verify-ca" => Some("verify-ca"),
        "verify-full" => Some("verify-full"),
        _ => None,
    }
}

/// What asyncpg does for `mode`. Source: `_parse_connect_dsn_and_args` — below `allow` there is
/// no TLS; `allow`/`prefer` use `CERT_NONE`; `require` verifies the chain when a root
/// certificate is found (`sslrootcert`, `PGSSLROOTCERT` or `~/.postgresql/root.crt`) and
/// otherwise uses `CERT_NONE`; `check_hostname` only for `verify-full`. `_connect_addr` tries
/// `allow` without TLS first and `prefer` with TLS first, retrying the other way.
pub(super) fn mode_tls(mode: &str, root_given: bool) -> Tls {
    match mode {
        "disable" => Tls::Off,
        "allow" => Tls::AllowNoVerify,
        "prefer" => Tls::PreferNoVerify,
        "require" if root_given => Tls::RequireCa,
        "require" => Tls::RequireNoVerify,
        "verify-ca" => Tls::RequireCa,
        _ => Tls::RequireFull,
    }
}

const SESSION_ATTRS: &[&str] = &[
    "any",
    "primary",
    "standby",
    "prefer-standby",
    "read-write",
    "read-only",
];

/// One element of the host list with its port.
#[derive(Debug, Clone)]
struct Host {
    name: String,
    port: Option<String>,
    span: Span,
}

/// A DSN as `_parse_connect_dsn_and_args` reads it.
#[derive(Debug)]
struct Dsn {
    /// The user information, when not empty.
    user: Option<Setting>,
    password: Option<Setting>,
    /// A query `port` when the URL names no host.
    query_port: Option<Setting>,
    /// The query's `user`, `password` and `passfile` where the URL gives none.
    query_credentials: Vec<Setting>,
    hosts: Vec<Host>,
    /// The path, else the query's `dbname` or `database`.
    database: Option<Setting>,
    sslmode: Option<Setting>,
    /// The TLS settings and `target_session_attrs`, which asyncpg reads itself.
    tls_files: Vec<Setting>,
    /// Everything left: sent to the server as settings.
    server_settings: Vec<Setting>,
}

impl Dsn {
    fn file(&self, key: &str) -> Option<&Setting> {
        kv::get(&self.tls_files, key)
    }

    /// Only Unix-domain sockets: asyncpg's default is then no TLS.
    fn only_sockets(&self) -> bool {
        !self.hosts.is_empty() && self.hosts.iter().all(|h| h.name.starts_with('/'))
    }

    fn mode_span(&self, input: &str) -> Span {
        self.sslmode
            .as_ref()
            .map_or(Span::new(input.len(), input.len()), |s| s.value_span)
    }
}

pub(super) fn parse(input: &str) -> Outcome {
    let dsn = match read(input) {
        Ok(dsn) => dsn,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    let mode = match check_sslmode(input, &dsn) {
        Ok(mode) => mode,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    let tls = mode_tls(mode, dsn.file("sslrootcert").is_some());
    if let Err(rejection) =
        check_target_session_attrs(input, &dsn)
            .and_then(|()| check_sslnegotiation(input, &dsn))
            .and_then(|()| check_tls_versions(input, &dsn, tls))
    {
        return Outcome::rejected(rejection);
    }
    let mut diagnostics = Vec::new();
    let system_root = check_system_root(input, &dsn, mode, &mut diagnostics);
    let client_setting = check_server_settings(input, &dsn, &mut diagnostics);
    let verdict_tls = if system_root || client_setting {
        Tls::Refused
    } else {
        tls
    };
    Outcome {
        valid: true,
        params: params(&dsn),
        diagnostics,
        verdict: Some(verdict_tls.verdict("asyncpg")),
        equivalent: Some(equivalent(input, &dsn, tls, verdict_tls)),
        no_equivalent: None,
        hosts: host_targets(
            &dsn.hosts
                .iter()
                .map(|h| (h.name.clone(), h.port.clone()))
                .collect::<Vec<_>>(),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// `_parse_connect_dsn_and_args` over `urllib.parse.urlparse`: the scheme is lower-cased; the
/// netloc ends at `/`, `?` or `#`; credentials end at the first `@`.
fn read(input: &str) -> Result<Dsn, Rejection> {
    let parts = url::split_url(input, At::First, true);
    let scheme = parts
        .map(|p| text(input, p.scheme).to_ascii_lowercase())
        .unwrap_or_default();
    let Some(parts) = parts.filter(|_| scheme == "postgresql" || scheme == "postgres") else {
        return Err(Box::new(Diagnostic::new(
            &RULE_DIALECT_UNSUPPORTED,
            format!(
                "asyncpg: \"invalid DSN: scheme is expected to be either \"postgresql\" or \"postgres\", got '{scheme}'\"; asyncpg reads only URIs, not keyword/value strings"
            ),
        )
        .at(Span::new(0, input.find("://").unwrap_or(input.len())))));
    };
    check_brackets(input, Span::new(scheme.len() + 3, parts.authority.end))?;
    // Credentials: `netloc.partition('@')`, then `partition(':')`, each `unquote`d.
    let unquoted = |key: &str, span: Span| {
        Setting::part(
            key,
            url::decode(text(input, span), Plus::Literal).text,
            span,
        )
    };
    let user = parts
        .user
        .filter(|u| !u.is_empty())
        .map(|u| unquoted("user", u));
    let password = parts
        .password
        .filter(|p| !p.is_empty())
        .map(|p| unquoted("password", p));
    let mut hosts = read_host_list(input, parts.authority)?;
    let database = parts
        .path
        .filter(|p| !p.is_empty())
        .map(|p| unquoted("database", p));
    let mut query = read_query(input, parts.query)?;
    let query_port = read_query_port(input, &mut hosts, kv::take(&mut query, "port"))?;
    if let Some(host) = kv::take(&mut query, "host") {
        read_query_hosts(&mut hosts, &host);
    }
    let mut query_database = None;
    for key in ["dbname", "database"] {
        if let Some(db) = kv::take(&mut query, key) {
            let span = db.pair_span();
            query_database.get_or_insert(Setting::part("database", db.value, span));
        }
    }
    let mut query_credentials = Vec::new();
    for key in ["user", "password", "passfile"] {
        let Some(setting) = kv::take(&mut query, key) else {
            continue;
        };
        // The URL's value wins when it is one libpq can take (without a NUL character).
        let from_url = [&user, &password]
            .into_iter()
            .flatten()
            .any(|s| s.key == key && !s.value.contains('\0'));
        if !from_url {
            query_credentials.push(setting);
        }
    }
    let sslmode = kv::take(&mut query, "sslmode");
    let tls_files = [
        "sslcert",
        "sslkey",
        "sslrootcert",
        "sslcrl",
        "sslpassword",
        "ssl_min_protocol_version",
        "ssl_max_protocol_version",
        "target_session_attrs",
        "sslnegotiation",
    ]
    .into_iter()
    .filter_map(|key| kv::take(&mut query, key))
    .collect();
    Ok(Dsn {
        user,
        password,
        query_port,
        query_credentials,
        hosts,
        database: database.or(query_database),
        sslmode,
        tls_files,
        server_settings: query,
    })
}

/// Python's `urlsplit` raises "Invalid IPv6 URL" on an unbalanced bracket in the netloc, and
/// (Python 3.11.4 and later, `_check_bracketed_host`) a ValueError when the text between the
/// netloc's first `[` and the next `]` is no IPv6 address (`ipaddress.ip_address`), an IPv4
/// one, or a malformed `v…` IPvFuture literal: the Supabase paste `postgres.ref:[password]@…`
/// fails there, with the password in Python's message.
fn check_brackets(input: &str, netloc: Span) -> Result<(), Rejection> {
    let netloc_text = text(input, netloc);
    if netloc_text.contains('[') != netloc_text.contains(']') {
        return Err(param_rejected(
            input,
            "Python's urlsplit raises \"Invalid IPv6 URL\"",
            netloc,
        ));
    }
    let Some(open) = netloc_text.find('[') else {
        return Ok(());
    };
    let Some(length) = netloc_text.get(open + 1..).and_then(|rest| rest.find(']')) else {
        return Ok(());
    };
    let bracketed = netloc_text.get(open + 1..open + 1 + length).unwrap_or_default();
    let span = Span::new(netloc.start + open + 1, netloc.start + open + 1 + length);
    let problem = match bracketed_host_problem(bracketed) {
        Some(BracketedHost::NotAnAddress) => format!(
            "Python's urlsplit raises \"ValueError: '{}' does not appear to be an IPv4 or IPv6 address\"",
            super::quotable(input, span, bracketed)
        ),
        Some(BracketedHost::Ipv4) => {
            "Python's urlsplit raises \"ValueError: An IPv4 address cannot be in brackets\"".to_string()
        }
        Some(BracketedHost::BadFuture) => {
            "Python's urlsplit raises \"ValueError: IPvFuture address is invalid\"".to_string()
        }
        None => return Ok(()),
    };
    Err(param_rejected(input, problem, span))
}

enum BracketedHost {
    NotAnAddress,
    Ipv4,
    BadFuture,
}

/// `_check_bracketed_host` (CPython `Lib/urllib/parse.py`, 3.11.4+): `v<hex>.<rest>` for an
/// IPvFuture literal, otherwise an IPv6 address (a `%zone` allowed, as `ipaddress` reads it).
fn bracketed_host_problem(host: &str) -> Option<BracketedHost> {
    if let Some(future) = host.strip_prefix('v') {
        let (version, rest) = future.split_once('.')?;
        let valid = !version.is_empty()
            && version.bytes().all(|b| b.is_ascii_hexdigit())
            && !rest.is_empty();
        return (!valid).then_some(BracketedHost::BadFuture);
    }
    let address = host.split('%').next().unwrap_or_default();
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(_)) => None,
        Ok(std::net::IpAddr::V4(_)) => Some(BracketedHost::Ipv4),
        Err(_) => Some(BracketedHost::NotAnAddress),
    }
}

/// `_parse_hostlist(hostspec, port, unquote=True)`.
fn read_host_list(input: &str, authority: Span) -> Result<Vec<Host>, Rejection> {
    let mut hosts = Vec::new();
    if authority.is_empty() {
        return Ok(hosts);
    }
    let mut start = authority.start;
    for element in text(input, authority).split(',') {
        let span = Span::new(start, start + element.len());
        start = span.end + 1;
        let (name, port) = if element.is_empty() {
            return Err(param_rejected(
                input,
                "asyncpg fails on an empty element in the host list (`hostspec[0]` raises IndexError)",
                span,
            ));
        } else if element.starts_with('/') {
            (element.to_string(), None)
        } else if let Some(rest) = element.strip_prefix('[') {
            // `re.match(r'(?:\[([^\]]+)\])(?::([0-9]+))?', hostspec)`.
            let close = rest.find(']').unwrap_or(rest.len());
            let host = rest.get(..close).unwrap_or_default();
            let after = rest.get(close + 1..).unwrap_or_default();
            let port: String = after
                .strip_prefix(':')
                .map(|p| p.chars().take_while(char::is_ascii_digit).collect())
                .unwrap_or_default();
            (host.to_string(), (!port.is_empty()).then_some(port))
        } else {
            let (host, port) = element.split_once(':').unwrap_or((element, ""));
            let host = url::decode(host, Plus::Literal).text;
            let port = url::decode(port, Plus::Literal).text;
            if !port.is_empty() && port.parse::<u16>().is_err() {
                let port = super::quotable(input, span, &port);
                return Err(param_rejected(
                    input,
                    format!("asyncpg: `int('{port}')` fails: ports must be numbers"),
                    span,
                ));
            }
            (host, (!port.is_empty()).then_some(port))
        };
        hosts.push(Host { name, port, span });
    }
    Ok(hosts)
}

/// `urllib.parse.parse_qs(query, strict_parsing=True)`: an element without `=` (or an empty
/// one) raises ValueError; empty values are dropped; `+` is a space; the last value wins.
fn read_query(input: &str, query: Option<Span>) -> Result<Vec<Setting>, Rejection> {
    let mut settings = kv::LastOfEach::default();
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return Ok(Vec::new());
    };
    for pair in url::pairs(input, query, Plus::Space) {
        if !pair.has_equals {
            return Err(param_rejected(
                input,
                format!(
                    "Python's parse_qs raises \"bad query field: '{}'\"",
                    super::quotable(input, pair.span, &pair.key)
                ),
                pair.span,
            ));
        }
        if !pair.value.is_empty() {
            settings.set(pair.into_setting());
        }
    }
    Ok(settings.into_settings())
}

/// The query's `port`, used when no host in the URL has one: one port for every host, or one
/// per host. Returned when the URL names no host at all (asyncpg keeps it for the hosts it
/// tries by default).
fn read_query_port(
    input: &str,
    hosts: &mut [Host],
    port: Option<Setting>,
) -> Result<Option<Setting>, Rejection> {
    let Some(port) = port.filter(|_| hosts.iter().all(|h| h.port.is_none())) else {
        return Ok(None);
    };
    let ports: Vec<&str> = port.value.split(',').collect();
    if ports.iter().any(|p| p.parse::<u16>().is_err()) {
        return Err(param_rejected(
            input,
            format!("asyncpg: `int()` fails on port list `{}`", port.value),
            port.value_span,
        ));
    }
    if hosts.is_empty() {
        return Ok(Some(port));
    }
    if ports.len() != 1 && ports.len() != hosts.len() {
        return Err(param_rejected(
            input,
            format!(
                "asyncpg: \"could not match {} port numbers to {} hosts\"",
                ports.len(),
                hosts.len()
            ),
            port.value_span,
        ));
    }
    for (i, host) in hosts.iter_mut().enumerate() {
        host.port = ports.get(i).or(ports.first()).map(|p| p.to_string());
    }
    Ok(None)
}

/// The query's `host` list, used when the URL names no host.
fn read_query_hosts(hosts: &mut Vec<Host>, host: &Setting) {
    if !hosts.is_empty() {
        return;
    }
    let mut start = host.value_span.start;
    for element in host.value.split(',') {
        let span = Span::new(start, (start + element.len()).min(host.value_span.end));
        start = span.end + 1;
        let (name, port) = if element.starts_with('/') {
            (element, "")
        } else {
            element.split_once(':').unwrap_or((element, ""))
        };
        hosts.push(Host {
            name: name.to_string(),
            port: (!port.is_empty()).then(|| port.to_string()),
            span,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// `SSLMode.parse` rejects an unknown mode. Source: `if ssl_val is None and have_tcp_addrs:
/// ssl_val = 'prefer'`; with no host at all asyncpg tries Unix sockets and then localhost, so
/// TCP is possible.
fn check_sslmode(input: &str, dsn: &Dsn) -> Result<&'static str, Rejection> {
    match &dsn.sslmode {
        Some(s) => parse_mode(&s.value).ok_or_else(|| {
            param_rejected(
                input,
                format!(
                    "asyncpg: \"`sslmode` parameter must be one of: disable, allow, prefer, require, verify-ca, verify-full\" (got `{}`)",
                    s.value
                ),
                s.value_span,
            )
        }),
        None if dsn.only_sockets() => Ok("disable"),
        None => Ok("prefer"),
    }
}

/// `SessionAttribute(target_session_attrs)` rejects an unknown value.
fn check_target_session_attrs(input: &str, dsn: &Dsn) -> Result<(), Rejection> {
    match dsn.file("target_session_attrs") {
        Some(attrs) if !SESSION_ATTRS.contains(&attrs.value.as_str()) => Err(param_rejected(
            input,
            format!(
                "asyncpg: target_session_attrs must be one of {} (got `{}`)",
                SESSION_ATTRS.join(", "),
                attrs.value
            ),
            attrs.value_span,
        )),
        _ => Ok(()),
    }
}

/// `SSLNegotiation(sslnegotiation)` rejects a value other than `postgres` or `direct`
/// (connect_utils.py:663-678, asyncpg 0.31.0).
fn check_sslnegotiation(input: &str, dsn: &Dsn) -> Result<(), Rejection> {
    match dsn.file("sslnegotiation") {
        Some(v) if !matches!(v.value.as_str(), "postgres" | "direct") => Err(param_rejected(
            input,
            "asyncpg: `sslnegotiation` parameter must be one of: postgres, direct".to_string(),
            v.value_span,
        )),
        _ => Ok(()),
    }
}

/// `ssl.TLSVersion[value.replace('.', '_')]`, case-sensitive; SSL* refused. Read only when
/// TLS is used.
fn check_tls_versions(input: &str, dsn: &Dsn, tls: Tls) -> Result<(), Rejection> {
    if tls == Tls::Off {
        return Ok(());
    }
    for key in ["ssl_min_protocol_version", "ssl_max_protocol_version"] {
        let Some(v) = dsn.file(key) else {
            continue;
        };
        if !matches!(
            v.value.as_str(),
            "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3"
        ) {
            return Err(param_rejected(
                input,
                format!(
                    "asyncpg: \"No such TLS version: {}\" (use `TLSv1.2` or `TLSv1.3`)",
                    v.value
                ),
                v.value_span,
            ));
        }
    }
    Ok(())
}

/// `sslrootcert=system` is a file name to asyncpg: the modes that load it fail. Whether they do.
fn check_system_root(
    input: &str,
    dsn: &Dsn,
    mode: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let Some(root) = dsn.file("sslrootcert").filter(|r| r.value == "system") else {
        return false;
    };
    if !matches!(mode, "require" | "verify-ca" | "verify-full") {
        return false;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_SYSTEM_ROOT_AS_FILE,
            "asyncpg calls `load_verify_locations(cafile='system')`, which fails with FileNotFoundError",
        )
        .at(root.value_span)
        .with_fix(Fix::replace(
            "Point sslrootcert at a CA bundle file",
            url::replace_span(input, root.value_span, "/etc/ssl/certs/ca-certificates.crt"),
        )),
    );
    true
}

/// Every parameter asyncpg does not read goes to the server as a setting
/// (`server_settings`); a libpq client parameter (or `ssl`) there ends the connection. Whether
/// one does.
fn check_server_settings(input: &str, dsn: &Dsn, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let mut refused = false;
    for setting in &dsn.server_settings {
        match forwarded(&setting.key) {
            Forwarded::Startup => {}
            Forwarded::ClientOnly => {
                refused = true;
                let detail = if setting.key == "ssl" {
                    "asyncpg's DSN has no `ssl` parameter: `ssl` goes to the server as a setting, and the server answers `FATAL: parameter \"ssl\" cannot be changed now`; use `sslmode`".to_string()
                } else {
                    format!(
                        "asyncpg does not read `{}` from the DSN and sends it to the server, which rejects it: `FATAL: unrecognized configuration parameter \"{}\"`",
                        setting.key, setting.key
                    )
                };
                diagnostics.push(
                    Diagnostic::new(&RULE_CLIENT_PARAM_AS_SETTING, detail)
                        .at(setting.pair_span())
                        .with_fix(Fix::replace(
                            format!("Remove {} from the DSN", setting.key),
                            url::remove_element(input, setting.pair_span()),
                        )),
                );
            }
            Forwarded::Setting => diagnostics.push(
                Diagnostic::new(
                    &RULE_PARAM_AS_SETTING,
                    // The decoded value is no echo of the input: a password written inside
                    // it is masked by the finders.
                    format!(
                        "asyncpg sends `{}` to the server as a run-time setting",
                        crate::conninfo::embedded::without_embedded_secrets(&format!(
                            "{}={}",
                            setting.key, setting.value
                        ))
                    ),
                )
                .at(setting.pair_span()),
            ),
        }
    }
    refused
}

// ---------------------------------------------------------------------------------------------
// Verdict.

/// The parameters as asyncpg reads them (server settings under `server_settings.`).
fn params(dsn: &Dsn) -> Vec<(String, String)> {
    let mut params = Vec::new();
    for s in [&dsn.user, &dsn.password].into_iter().flatten() {
        put(&mut params, &s.key, &s.value);
    }
    for s in &dsn.query_credentials {
        put(&mut params, &s.key, &s.value);
    }
    if !dsn.hosts.is_empty() {
        let (names, ports) = host_and_port_lists(&dsn.hosts);
        put(&mut params, "host", &names);
        if let Some(ports) = ports {
            put(&mut params, "port", &ports);
        }
    }
    if let Some(db) = &dsn.database {
        put(&mut params, "database", &db.value);
    }
    if let Some(s) = &dsn.sslmode {
        put(&mut params, "sslmode", &s.value);
    }
    for s in &dsn.tls_files {
        put(&mut params, &s.key, &s.value);
    }
    for s in &dsn.server_settings {
        put(&mut params, &format!("server_settings.{}", s.key), &s.value);
    }
    params
}

/// The comma-joined host names, and the ports when any host has one.
fn host_and_port_lists(hosts: &[Host]) -> (String, Option<String>) {
    let names: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
    let ports = hosts.iter().any(|h| h.port.is_some()).then(|| {
        hosts
            .iter()
            .map(|h| h.port.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(",")
    });
    (names.join(","), ports)
}

/// The libpq equivalent. `verdict_tls` is `Refused` when asyncpg does not get as far as
/// connecting.
fn equivalent(input: &str, dsn: &Dsn, tls: Tls, verdict_tls: Tls) -> Equivalent {
    let mut eq = Equivalent::new(Form::Uri, input);
    for s in [&dsn.user, &dsn.password].into_iter().flatten() {
        eq.set_at(&s.key, &s.value, s.span);
    }
    if let Some(port) = &dsn.query_port {
        eq.set("port", &port.value, port.key_span, port.value_span);
    }
    for s in &dsn.query_credentials {
        eq.set(&s.key, &s.value, s.key_span, s.value_span);
    }
    if let Some(span) = dsn.hosts.iter().map(|h| h.span).reduce(Span::cover) {
        let (names, ports) = host_and_port_lists(&dsn.hosts);
        eq.set_at("host", &names, span);
        if let Some(ports) = ports {
            eq.set_at("port", &ports, span);
        }
    }
    if let Some(db) = &dsn.database {
        eq.set_at("dbname", &db.value, db.span);
    }
    for setting in &dsn.server_settings {
        // Query values as `parse_qs` reads them: `+` is a space.
        forward_to_equivalent(&mut eq, input, "asyncpg", setting, |written| {
            url::decode(written, Plus::Space).text
        });
    }
    // `connect(..., timeout=60, ...)` (asyncpg/connection.py): a connect timeout the DSN
    // cannot change.
    eq.set_implied("connect_timeout", "60");
    // asyncpg goes direct whenever it uses TLS (`_connect_addr`, connect_utils.py:1085); libpq
    // refuses `sslnegotiation=direct` below `require`, so under `allow`/`prefer` (a TLS
    // attempt without fallback on a failed handshake) the equivalent leaves it out, and
    // says so, and with no TLS asyncpg ignores it.
    let direct_unexpressible = matches!(tls, Tls::AllowNoVerify | Tls::PreferNoVerify);
    if direct_unexpressible && dsn.file("sslnegotiation").is_some_and(|v| v.value == "direct") {
        eq.approximate("asyncpg starts TLS directly under allow/prefer too, which libpq cannot express");
    }
    let drop_negotiation = direct_unexpressible || tls == Tls::Off;
    for setting in dsn
        .tls_files
        .iter()
        .filter(|s| s.key != "sslrootcert" && !(drop_negotiation && s.key == "sslnegotiation"))
    {
        eq.set(
            &setting.key,
            &setting.value,
            setting.key_span,
            setting.value_span,
        );
    }
    let root = dsn.file("sslrootcert");
    let mode_span = dsn.mode_span(input);
    match (tls, root) {
        (Tls::RequireCa | Tls::RequireFull, None) => {
            // asyncpg then reads ~/.postgresql/root.crt, the same default file as libpq (and
            // fails when it is missing): no system store here.
            if let Some(libpq_mode) = tls.libpq_sslmode() {
                eq.set_at("sslmode", libpq_mode.name(), mode_span);
            }
        }
        _ => eq.set_tls(
            tls,
            root.map(|r| (r.value.as_str(), r.value_span)),
            mode_span,
        ),
    }
    if verdict_tls == Tls::Refused {
        eq.approximate("asyncpg does not get as far as connecting with these settings");
    }
    eq
}
