//! asyncpg DSNs, modelled on asyncpg 0.30.
//!
//! Source: `asyncpg/connect_utils.py` (`_parse_connect_dsn_and_args`, `_parse_hostlist`,
//! `SSLMode`, `_create_ssl_connection`, `_connect_addr`) in
//! <https://github.com/MagicStack/asyncpg>, and the `connect()` documentation
//! (<https://magicstack.github.io/asyncpg/current/api/index.html#connection>).

use super::equivalent::Equivalent;
use super::url::{self, text, At, Plus};
use super::{
    host_targets, is_client_only_keyword, put, Outcome, Tls, RULE_CLIENT_PARAM_AS_SETTING,
    RULE_DIALECT_UNSUPPORTED, RULE_PARAM_AS_SETTING, RULE_PARAM_REJECTED, RULE_SYSTEM_ROOT_AS_FILE,
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

/// Startup parameters the server understands that libpq also has as keywords.
const STARTUP_KEYWORDS: &[&str] = &[
    "application_name",
    "client_encoding",
    "options",
    "replication",
];

const SESSION_ATTRS: &[&str] = &[
    "any",
    "primary",
    "standby",
    "prefer-standby",
    "read-write",
    "read-only",
];

fn reject(input: &str, detail: String, span: Span) -> Outcome {
    let mut diagnostic = Diagnostic::new(&RULE_PARAM_REJECTED, detail).at(span);
    if let Some(fix) = super::query_element_fix(input, span) {
        diagnostic = diagnostic.with_fix(fix);
    }
    Outcome::invalid(vec![diagnostic])
}

#[derive(Debug, Clone)]
struct Setting {
    key: String,
    value: String,
    key_span: Span,
    value_span: Span,
}

pub(super) fn parse(input: &str) -> Outcome {
    let end = Span::new(input.len(), input.len());
    // `urllib.parse.urlparse`: the scheme is lower-cased; the netloc ends at `/`, `?` or `#`.
    let parts = url::split_url(input, At::First, true);
    let scheme = parts
        .map(|p| text(input, p.scheme).to_ascii_lowercase())
        .unwrap_or_default();
    let Some(parts) = parts.filter(|_| scheme == "postgresql" || scheme == "postgres") else {
        return Outcome::invalid(vec![Diagnostic::new(
            &RULE_DIALECT_UNSUPPORTED,
            format!(
                "asyncpg: \"invalid DSN: scheme is expected to be either \"postgresql\" or \"postgres\", got '{scheme}'\"; asyncpg reads only URIs, not keyword/value strings"
            ),
        )
        .at(Span::new(0, input.find("://").unwrap_or(input.len())))]);
    };
    let netloc = Span::new(scheme.len() + 3, parts.authority.end);
    let netloc_text = text(input, netloc);
    if netloc_text.contains('[') != netloc_text.contains(']') {
        return reject(
            input,
            "Python's urlsplit raises \"Invalid IPv6 URL\"".to_string(),
            netloc,
        );
    }

    let mut params = Vec::new();
    let mut eq = Equivalent::new(Form::Uri, input);
    let mut diagnostics = Vec::new();

    // Credentials: `netloc.partition('@')`, then `partition(':')`, each `unquote`d.
    if let Some(user) = parts.user.filter(|u| !u.is_empty()) {
        let value = url::decode(text(input, user), Plus::Literal).text;
        put(&mut params, "user", &value);
        eq.set_at("user", &value, user);
    }
    if let Some(password) = parts.password.filter(|p| !p.is_empty()) {
        let value = url::decode(text(input, password), Plus::Literal).text;
        put(&mut params, "password", &value);
        eq.set_at("password", &value, password);
    }

    // `_parse_hostlist(hostspec, port, unquote=True)`.
    let mut hosts: Vec<(String, Option<String>, Span)> = Vec::new();
    if !parts.authority.is_empty() {
        let authority = text(input, parts.authority);
        let mut start = parts.authority.start;
        for element in authority.split(',') {
            let span = Span::new(start, start + element.len());
            start = span.end + 1;
            let (host, port) = if element.is_empty() {
                return reject(
                input,
                    "asyncpg fails on an empty element in the host list (`hostspec[0]` raises IndexError)".to_string(),
                    span,
                );
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
                    return reject(
                        input,
                        format!("asyncpg: `int('{port}')` fails: ports must be numbers"),
                        span,
                    );
                }
                (host, (!port.is_empty()).then_some(port))
            };
            hosts.push((host, port, span));
        }
    }

    let mut database: Option<(String, Span)> = parts
        .path
        .filter(|p| !p.is_empty())
        .map(|p| (url::decode(text(input, p), Plus::Literal).text, p));

    // `urllib.parse.parse_qs(query, strict_parsing=True)`: an element without `=` (or an empty
    // one) raises ValueError; empty values are dropped; `+` is a space; the last value wins.
    let mut query: Vec<Setting> = Vec::new();
    if let Some(q) = parts.query.filter(|q| !q.is_empty()) {
        for pair in url::pairs(input, q, Plus::Space) {
            if !pair.has_equals {
                return reject(
                    input,
                    format!(
                        "Python's parse_qs raises \"bad query field: '{}'\"",
                        pair.key
                    ),
                    pair.span,
                );
            }
            if pair.value.is_empty() {
                continue;
            }
            query.retain(|s| s.key != pair.key);
            query.push(Setting {
                key: pair.key,
                value: pair.value,
                key_span: pair.key_span,
                value_span: pair.value_span,
            });
        }
    }
    let take = |query: &mut Vec<Setting>, key: &str| -> Option<Setting> {
        let position = query.iter().position(|s| s.key == key)?;
        Some(query.remove(position))
    };
    if let Some(port) = take(&mut query, "port") {
        if hosts.iter().all(|(_, p, _)| p.is_none()) {
            let ports: Vec<&str> = port.value.split(',').collect();
            if ports.iter().any(|p| p.parse::<u16>().is_err()) {
                return reject(
                    input,
                    format!("asyncpg: `int()` fails on port list `{}`", port.value),
                    port.value_span,
                );
            }
            if hosts.is_empty() {
                eq.set("port", &port.value, port.key_span, port.value_span);
            } else if ports.len() != 1 && ports.len() != hosts.len() {
                return reject(
                    input,
                    format!(
                        "asyncpg: \"could not match {} port numbers to {} hosts\"",
                        ports.len(),
                        hosts.len()
                    ),
                    port.value_span,
                );
            } else {
                for (i, host) in hosts.iter_mut().enumerate() {
                    host.1 = ports.get(i).or(ports.first()).map(|p| p.to_string());
                }
            }
        }
    }
    if let Some(host) = take(&mut query, "host") {
        if hosts.is_empty() {
            let mut start = host.value_span.start;
            for element in host.value.split(',') {
                let span = Span::new(start, (start + element.len()).min(host.value_span.end));
                start = span.end + 1;
                let (h, p) = if element.starts_with('/') {
                    (element, "")
                } else {
                    element.split_once(':').unwrap_or((element, ""))
                };
                hosts.push((h.to_string(), (!p.is_empty()).then(|| p.to_string()), span));
            }
        }
    }
    for key in ["dbname", "database"] {
        if let Some(db) = take(&mut query, key) {
            if database.is_none() {
                database = Some((db.value, db.key_span.cover(db.value_span)));
            }
        }
    }
    for key in ["user", "password", "passfile"] {
        if let Some(setting) = take(&mut query, key) {
            if eq.get(key).is_none() {
                put(&mut params, key, &setting.value);
                eq.set(key, &setting.value, setting.key_span, setting.value_span);
            }
        }
    }
    let sslmode = take(&mut query, "sslmode");
    let mut tls_files: Vec<Setting> = Vec::new();
    for key in [
        "sslcert",
        "sslkey",
        "sslrootcert",
        "sslcrl",
        "sslpassword",
        "ssl_min_protocol_version",
        "ssl_max_protocol_version",
        "target_session_attrs",
    ] {
        if let Some(setting) = take(&mut query, key) {
            tls_files.push(setting);
        }
    }
    let file = |key: &str| tls_files.iter().find(|s| s.key == key);

    // Hosts and database into params and the equivalent.
    if !hosts.is_empty() {
        let names: Vec<&str> = hosts.iter().map(|(h, _, _)| h.as_str()).collect();
        let span = hosts
            .iter()
            .map(|(_, _, s)| *s)
            .reduce(Span::cover)
            .unwrap_or(end);
        put(&mut params, "host", &names.join(","));
        eq.set_at("host", &names.join(","), span);
        if hosts.iter().any(|(_, p, _)| p.is_some()) {
            let ports: Vec<&str> = hosts
                .iter()
                .map(|(_, p, _)| p.as_deref().unwrap_or(""))
                .collect();
            put(&mut params, "port", &ports.join(","));
            eq.set_at("port", &ports.join(","), span);
        }
    }
    if let Some((db, span)) = &database {
        put(&mut params, "database", db);
        eq.set_at("dbname", db, *span);
    }

    // TLS. Source: `if ssl_val is None and have_tcp_addrs: ssl_val = 'prefer'`; with no host at
    // all asyncpg tries Unix sockets and then localhost, so TCP is possible.
    let only_sockets = !hosts.is_empty() && hosts.iter().all(|(h, _, _)| h.starts_with('/'));
    let mode = match &sslmode {
        Some(s) => match parse_mode(&s.value) {
            Some(m) => m,
            None => {
                return reject(
                input,
                    format!(
                        "asyncpg: \"`sslmode` parameter must be one of: disable, allow, prefer, require, verify-ca, verify-full\" (got `{}`)",
                        s.value
                    ),
                    s.value_span,
                )
            }
        },
        None if only_sockets => "disable",
        None => "prefer",
    };
    if let Some(s) = &sslmode {
        put(&mut params, "sslmode", &s.value);
    }
    let root = file("sslrootcert");
    let tls = mode_tls(mode, root.is_some());
    for setting in &tls_files {
        put(&mut params, &setting.key, &setting.value);
    }
    if let Some(attrs) = file("target_session_attrs") {
        if !SESSION_ATTRS.contains(&attrs.value.as_str()) {
            return reject(
                input,
                format!(
                    "asyncpg: target_session_attrs must be one of {} (got `{}`)",
                    SESSION_ATTRS.join(", "),
                    attrs.value
                ),
                attrs.value_span,
            );
        }
    }
    if tls != Tls::Off {
        for key in ["ssl_min_protocol_version", "ssl_max_protocol_version"] {
            if let Some(v) = file(key) {
                // `ssl.TLSVersion[value.replace('.', '_')]`, case-sensitive; SSL* refused.
                if !matches!(
                    v.value.as_str(),
                    "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3"
                ) {
                    return reject(
                        input,
                        format!(
                            "asyncpg: \"No such TLS version: {}\" (use `TLSv1.2` or `TLSv1.3`)",
                            v.value
                        ),
                        v.value_span,
                    );
                }
            }
        }
    }
    let mode_span = sslmode.as_ref().map_or(end, |s| s.value_span);
    let mut verdict_tls = tls;
    if let Some(root) = root.filter(|r| r.value == "system") {
        if matches!(mode, "require" | "verify-ca" | "verify-full") {
            verdict_tls = Tls::Refused;
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
        }
    }

    // Everything left is sent to the server as a setting.
    for setting in &query {
        put(
            &mut params,
            &format!("server_settings.{}", setting.key),
            &setting.value,
        );
        if STARTUP_KEYWORDS.contains(&setting.key.as_str()) {
            eq.set(
                &setting.key,
                &setting.value,
                setting.key_span,
                setting.value_span,
            );
        } else if is_client_only_keyword(&setting.key) || setting.key == "ssl" {
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
                    .at(setting.key_span.cover(setting.value_span))
                    .with_fix(Fix::replace(
                        format!("Remove {} from the DSN", setting.key),
                        url::remove_element(input, setting.key_span.cover(setting.value_span)),
                    )),
            );
            eq.approximate(format!(
                "asyncpg sends `{}` to the server, which ends the connection",
                setting.key
            ));
            verdict_tls = Tls::Refused;
        } else {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_PARAM_AS_SETTING,
                    format!(
                        "asyncpg sends `{}={}` to the server as a run-time setting",
                        setting.key, setting.value
                    ),
                )
                .at(setting.key_span.cover(setting.value_span)),
            );
            eq.add_server_setting(
                &setting.key,
                &setting.value,
                setting.key_span.cover(setting.value_span),
            );
        }
    }

    for setting in &tls_files {
        if setting.key == "sslrootcert" {
            continue;
        }
        eq.set(
            &setting.key,
            &setting.value,
            setting.key_span,
            setting.value_span,
        );
    }
    match (tls, root) {
        (Tls::RequireCa | Tls::RequireFull, None) => {
            // asyncpg then reads ~/.postgresql/root.crt, the same default file as libpq (and
            // fails when it is missing): no system store here.
            if let Some(libpq_mode) = tls.libpq_sslmode() {
                eq.set_at("sslmode", libpq_mode, mode_span);
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
    let hosts_for_outcome: Vec<(String, Option<String>)> = hosts
        .iter()
        .map(|(h, p, _)| (h.clone(), p.clone()))
        .collect();
    Outcome {
        valid: true,
        params,
        diagnostics,
        verdict: Some(verdict_tls.verdict("asyncpg")),
        equivalent: Some(eq),
        no_equivalent: None,
        hosts: host_targets(&hosts_for_outcome),
    }
}
