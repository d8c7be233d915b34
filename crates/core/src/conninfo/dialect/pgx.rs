//! Go pgx v5 (`pgconn.ParseConfig`), as in pgconn's current source (see the module list in
//! `dialect/mod.rs` for what older v5 releases do differently).
//!
//! Source: `pgconn/config.go` (`ParseConfigWithOptions`, `parseURLSettings`,
//! `parseKeywordValueSettings`, `configTLS`) in <https://github.com/jackc/pgx>; pgx and pgxpool
//! remove their own settings (`statement_cache_capacity`, `pool_max_conns`, …) from
//! `RuntimeParams` in `pgx.ParseConfig` / `pgxpool.ParseConfig`.

use super::equivalent::Equivalent;
use super::url::{self, text, At, Plus};
use super::{
    host_targets, is_client_only_keyword, put, Outcome, Tls, PGX_ONLY, RULE_CA_ONLY_SYSTEM_STORE,
    RULE_CLIENT_PARAM_AS_SETTING, RULE_DIALECT_UNSUPPORTED, RULE_PARAM_AS_SETTING,
    RULE_PARAM_REJECTED, RULE_SSLMODE_OVERRIDDEN,
};
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Span};

/// `notRuntimeParams` in `ParseConfigWithOptions`: settings pgconn consumes itself.
const CONSUMED: &[&str] = &[
    "host",
    "port",
    "database",
    "user",
    "password",
    "passfile",
    "connect_timeout",
    "sslmode",
    "sslkey",
    "sslcert",
    "sslrootcert",
    "sslnegotiation",
    "sslpassword",
    "sslsni",
    "krbspn",
    "krbsrvname",
    "target_session_attrs",
    "service",
    "servicefile",
    "min_protocol_version",
    "max_protocol_version",
    "channel_binding",
    "require_auth",
];

const SESSION_ATTRS: &[&str] = &[
    "any",
    "read-write",
    "read-only",
    "primary",
    "standby",
    "prefer-standby",
];

#[derive(Debug, Clone)]
struct Setting {
    key: String,
    value: String,
    key_span: Span,
    value_span: Span,
}

fn unsupported(detail: String, span: Span) -> Outcome {
    Outcome::invalid(vec![
        Diagnostic::new(&RULE_DIALECT_UNSUPPORTED, detail).at(span)
    ])
}

fn rejected(input: &str, detail: String, span: Span) -> Outcome {
    let mut diagnostic = Diagnostic::new(&RULE_PARAM_REJECTED, detail).at(span);
    if let Some(fix) = super::query_element_fix(input, span) {
        diagnostic = diagnostic.with_fix(fix);
    }
    Outcome::invalid(vec![diagnostic])
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `parseKeywordValueSettings`: like libpq's, but unknown keys are kept, and only `\\` and `\'`
/// are unescaped (other backslash pairs stay as written).
fn keyword_value(input: &str) -> Result<Vec<Setting>, (String, Span)> {
    let bytes = input.as_bytes();
    let mut settings: Vec<Setting> = Vec::new();
    let mut i = 0;
    let skip_spaces = |mut i: usize| {
        while bytes.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        i
    };
    i = skip_spaces(i);
    while i < bytes.len() {
        let Some(eq) = input.get(i..).and_then(|r| r.find('=')).map(|e| i + e) else {
            return Err((
                "pgx: \"failed to parse as keyword/value: invalid keyword/value\"".to_string(),
                Span::new(i, bytes.len()),
            ));
        };
        let raw_key = input.get(i..eq).unwrap_or_default();
        let key = raw_key.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
        let key_start = i + raw_key.find(key).unwrap_or(0);
        let key_span = Span::new(key_start, key_start + key.len());
        let mut j = skip_spaces(eq + 1);
        let value_start = j;
        let raw_value;
        let value_span;
        if bytes.get(j) == Some(&b'\'') {
            j += 1;
            let start = j;
            while let Some(&b) = bytes.get(j) {
                if b == b'\'' {
                    break;
                }
                if b == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            if j >= bytes.len() {
                return Err((
                    "pgx: \"unterminated quoted string in connection info string\"".to_string(),
                    Span::new(value_start, bytes.len()),
                ));
            }
            raw_value = input.get(start..j).unwrap_or_default();
            value_span = Span::new(value_start, j + 1);
            j += 1;
        } else {
            while let Some(&b) = bytes.get(j) {
                if is_space(b) {
                    break;
                }
                if b == b'\\' {
                    j += 1;
                    if j >= bytes.len() {
                        return Err((
                            "pgx: \"invalid backslash\"".to_string(),
                            Span::new(j - 1, j),
                        ));
                    }
                }
                j += 1;
            }
            raw_value = input.get(value_start..j).unwrap_or_default();
            value_span = Span::new(value_start, j);
        }
        let value = raw_value.replace("\\\\", "\\").replace("\\'", "'");
        let key = if key == "dbname" { "database" } else { key };
        if key.is_empty() {
            return Err((
                "pgx: \"failed to parse as keyword/value: invalid keyword/value\"".to_string(),
                Span::new(i, eq + 1),
            ));
        }
        settings.retain(|s| s.key != key);
        settings.push(Setting {
            key: key.to_string(),
            value,
            key_span,
            value_span,
        });
        i = skip_spaces(j);
    }
    Ok(settings)
}

/// The settings of a keyword/value string as written, for rendering fixes (the whole
/// element's span, a closing quote included). `None` when pgx rejects the string's shape.
pub(super) fn written_settings(input: &str) -> Option<Vec<super::kv::Setting>> {
    let settings = keyword_value(input).ok()?;
    Some(
        settings
            .into_iter()
            .map(|s| {
                let mut end = s.value_span.end;
                if input.as_bytes().get(end) == Some(&b'\'') {
                    end += 1;
                }
                super::kv::Setting {
                    key: s.key,
                    value: s.value,
                    key_span: s.key_span,
                    value_span: s.value_span,
                    span: Span::new(s.key_span.start, end.max(s.key_span.end)),
                }
            })
            .collect(),
    )
}

/// A Cloud SQL instance connection name, `PROJECT:REGION:INSTANCE` (or the legacy
/// domain-scoped `DOMAIN:PROJECT:REGION:INSTANCE`). Three or four non-empty colon-separated
/// parts are neither a DNS name nor an IPv6 literal (which has eight groups or a `::`), so
/// the shape alone identifies it, Google's placeholders (`project:region:instance`) included.
fn is_cloud_sql_instance_name(host: &str) -> bool {
    let parts: Vec<&str> = host.split(':').collect();
    matches!(parts.len(), 3 | 4)
        && host.parse::<std::net::Ipv6Addr>().is_err()
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        })
}

/// The keys of a keyword/value string as pgx reads them (for detection).
pub(super) fn keyword_value_keys(input: &str) -> Vec<String> {
    keyword_value(input)
        .map(|settings| settings.into_iter().map(|s| s.key).collect())
        .unwrap_or_default()
}

/// `parseURLSettings` (Go `net/url`): credentials up to the last `@`, `#` starts a fragment,
/// `+` in the query is a space, a malformed query element is dropped, the first value of a
/// repeated key wins; the host list is split at commas and ports are collected separately.
fn url_settings(input: &str) -> Result<Vec<Setting>, (String, Span)> {
    let Some(parts) = url::split_url(input, At::Last, true) else {
        return Err(("pgx: not a URL".to_string(), Span::new(0, input.len())));
    };
    let mut settings: Vec<Setting> = Vec::new();
    let add = |settings: &mut Vec<Setting>, key: &str, value: String, key_span, value_span| {
        if settings.iter().all(|s| s.key != key) {
            settings.push(Setting {
                key: key.to_string(),
                value,
                key_span,
                value_span,
            });
        }
    };
    for (key, span) in [("user", parts.user), ("password", parts.password)] {
        if let Some(span) = span {
            let decoded = url::decode(text(input, span), Plus::Literal);
            if decoded.bad_escape.is_some() {
                return Err((
                    "pgx: \"failed to parse as URL\": invalid escape in the user information"
                        .to_string(),
                    span,
                ));
            }
            add(&mut settings, key, decoded.text, span, span);
        }
    }
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for element in url::host_list(input, parts.authority) {
        let whole = text(input, element.span);
        if whole.is_empty() {
            continue;
        }
        // isIPOnly: a bare IP (IPv6 with or without brackets) or a name without `:`.
        let bare = whole.trim_start_matches('[').trim_end_matches(']');
        if bare.parse::<std::net::IpAddr>().is_ok() || !whole.contains(':') {
            hosts.push(bare.to_string());
            continue;
        }
        let port = element.port.map(|p| text(input, p)).unwrap_or_default();
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err((
                format!("pgx: \"failed to parse as URL\": invalid port \":{port}\" after host"),
                element.port.unwrap_or(element.span),
            ));
        }
        let host = text(input, element.host);
        if !host.is_empty() {
            hosts.push(url::decode(host, Plus::Literal).text);
        }
        if !port.is_empty() {
            ports.push(port.to_string());
        }
    }
    if !hosts.is_empty() {
        add(
            &mut settings,
            "host",
            hosts.join(","),
            parts.authority,
            parts.authority,
        );
    }
    if !ports.is_empty() {
        add(
            &mut settings,
            "port",
            ports.join(","),
            parts.authority,
            parts.authority,
        );
    }
    if let Some(path) = parts.path {
        let database = url::decode(text(input, path), Plus::Literal).text;
        let database = database.trim_start_matches('/');
        if !database.is_empty() {
            add(&mut settings, "database", database.to_string(), path, path);
        }
    }
    if let Some(query) = parts.query {
        for pair in url::pairs(input, query, Plus::Space) {
            if pair.bad_escape.is_some()
                || pair.key.is_empty()
                || text(input, pair.span).contains(';')
            {
                continue;
            }
            // The URI-only `ssl=true` alias for `sslmode=require`, as libpq has it.
            let (key, value) = match (pair.key.as_str(), pair.value.as_str()) {
                ("ssl", "true") => ("sslmode", "require".to_string()),
                ("dbname", _) => ("database", pair.value.clone()),
                (k, _) => (k, pair.value.clone()),
            };
            add(&mut settings, key, value, pair.key_span, pair.value_span);
        }
    }
    Ok(settings)
}

pub(super) fn parse(input: &str) -> Outcome {
    let end = Span::new(input.len(), input.len());
    // Newer pgconn rejects a NUL anywhere: in the startup packet it would delimit parameters.
    if let Some(nul) = input.find('\0') {
        return unsupported(
            "pgx: \"forbidden NUL byte in connection string\"".to_string(),
            Span::new(nul, nul + 1),
        );
    }
    let is_url = input.starts_with("postgres://") || input.starts_with("postgresql://");
    let settings = if is_url {
        url_settings(input)
    } else {
        keyword_value(input)
    };
    let settings = match settings {
        Ok(s) => s,
        Err((detail, span)) => return unsupported(detail, span),
    };
    let get = |key: &str| settings.iter().find(|s| s.key == key);
    let mut params = Vec::new();
    for s in &settings {
        put(&mut params, &s.key, &s.value);
    }
    let mut diagnostics = Vec::new();

    // Host and port lists: one port for every host, or one per host.
    let hosts: Vec<String> = get("host")
        .map(|h| h.value.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let ports: Vec<String> = get("port")
        .map(|p| p.value.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    if ports.len() > 1 && ports.len() != hosts.len().max(1) {
        return rejected(
            input,
            format!(
                "pgx: \"could not match {} port numbers to {} hosts\"",
                ports.len(),
                hosts.len().max(1)
            ),
            get("port").map_or(end, |p| p.value_span),
        );
    }
    for port in ports.iter().filter(|p| !p.is_empty()) {
        if !port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p)) {
            return rejected(
                input,
                format!("pgx: \"invalid port\" `{port}`"),
                get("port").map_or(end, |p| p.value_span),
            );
        }
    }
    if let Some(timeout) = get("connect_timeout") {
        if timeout.value.parse::<u64>().is_err() {
            return rejected(
                input,
                format!("pgx: \"invalid connect_timeout\" `{}`", timeout.value),
                timeout.value_span,
            );
        }
    }
    if let Some(attrs) = get("target_session_attrs") {
        if !SESSION_ATTRS.contains(&attrs.value.as_str()) {
            return rejected(
                input,
                format!(
                    "pgx: \"unknown target_session_attrs value: {}\"",
                    attrs.value
                ),
                attrs.value_span,
            );
        }
    }
    if let Some(binding) = get("channel_binding") {
        if !matches!(
            binding.value.as_str(),
            "" | "disable" | "prefer" | "require"
        ) {
            return rejected(
                input,
                format!("pgx: \"unknown channel_binding value: {}\"", binding.value),
                binding.value_span,
            );
        }
    }

    // TLS, per `configTLS` (Unix-socket hosts get no TLS at all).
    let all_sockets = !hosts.is_empty() && hosts.iter().all(|h| h.starts_with('/'));
    let sslmode = get("sslmode");
    let rootcert = get("sslrootcert").filter(|r| !r.value.is_empty());
    let mut mode = sslmode.map_or("prefer", |s| s.value.as_str()).to_string();
    if mode.is_empty() {
        mode = "prefer".to_string();
    }
    let mode_span = sslmode.map_or(end, |s| s.value_span);
    if let Some(negotiation) = get("sslnegotiation").filter(|n| n.value == "direct") {
        if mode == "prefer" {
            mode = "require".to_string();
            diagnostics.push(
                Diagnostic::new(
                    &RULE_SSLMODE_OVERRIDDEN,
                    "with `sslnegotiation=direct` pgx turns the default `prefer` into `require`",
                )
                .at(negotiation.key_span.cover(negotiation.value_span)),
            );
        }
    }
    if let Some(root) = rootcert.filter(|r| r.value == "system") {
        if mode != "verify-full" {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_SSLMODE_OVERRIDDEN,
                    format!(
                        "`sslrootcert=system` makes pgx use `verify-full` whatever sslmode says (here `{mode}`); libpq would refuse the combination"
                    ),
                )
                .at(root.key_span.cover(root.value_span)),
            );
        }
        mode = "verify-full".to_string();
    }
    let file_root = rootcert.filter(|r| r.value != "system");
    let tls = match mode.as_str() {
        _ if all_sockets => Tls::Off,
        "disable" => Tls::Off,
        "allow" => Tls::AllowNoVerify,
        "prefer" => Tls::PreferNoVerify,
        // "if a root CA file exists, sslmode=require behaves like verify-ca" (configTLS).
        "require" if file_root.is_some() => Tls::RequireCa,
        "require" => Tls::RequireNoVerify,
        "verify-ca" => Tls::RequireCa,
        "verify-full" => Tls::RequireFull,
        other => {
            return rejected(
                input,
                format!("pgx: \"failed to configure TLS: sslmode is invalid\" (`{other}`); valid values: disable, allow, prefer, require, verify-ca, verify-full"),
                mode_span,
            )
        }
    };
    if tls != Tls::Off {
        let cert = get("sslcert").filter(|c| !c.value.is_empty());
        let key = get("sslkey").filter(|k| !k.value.is_empty());
        if let (Some(one), None) | (None, Some(one)) = (cert, key) {
            return rejected(
                input,
                "pgx: \"failed to configure TLS: both \\\"sslcert\\\" and \\\"sslkey\\\" are required\"".to_string(),
                one.key_span.cover(one.value_span),
            );
        }
    }
    if tls == Tls::RequireCa && file_root.is_none() {
        let fix = if is_url {
            Fix::replace(
                "Use sslmode=verify-full",
                url::set_query(input, "sslmode", "verify-full"),
            )
        } else {
            Fix::advice("Use sslmode=verify-full, or give the server's CA as sslrootcert")
        };
        diagnostics.push(
            Diagnostic::new(
                &RULE_CA_ONLY_SYSTEM_STORE,
                "without sslrootcert, pgx's verify-ca checks the chain against the system roots (x509 VerifyOptions with nil Roots) and never the host name",
            )
            .at(mode_span)
            .with_fix(fix),
        );
    }

    // Everything not consumed is sent to the server as a run-time parameter.
    let mut eq = Equivalent::new(
        if is_url {
            Form::Uri
        } else {
            Form::KeywordValue
        },
        input,
    );
    let mut refused = false;
    for s in &settings {
        let key = s.key.as_str();
        if CONSUMED.contains(&key) || PGX_ONLY.contains(&key) {
            continue;
        }
        if matches!(
            key,
            "application_name" | "client_encoding" | "options" | "replication"
        ) {
            eq.set(key, &s.value, s.key_span, s.value_span);
        } else if is_client_only_keyword(key) || key == "ssl" {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_CLIENT_PARAM_AS_SETTING,
                    format!(
                        "pgx does not know `{key}` and sends it to the server as a run-time parameter; the server answers `FATAL: unrecognized configuration parameter \"{key}\"`"
                    ),
                )
                .at(s.key_span.cover(s.value_span)),
            );
            eq.approximate(format!(
                "pgx sends `{key}` to the server, which ends the connection"
            ));
            refused = true;
        } else {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_PARAM_AS_SETTING,
                    format!(
                        "pgx sends `{key}={}` to the server as a run-time parameter",
                        s.value
                    ),
                )
                .at(s.key_span.cover(s.value_span)),
            );
            eq.add_server_setting(key, &s.value, s.key_span.cover(s.value_span));
        }
    }

    // The libpq equivalent: the same keywords, `database` back to `dbname`.
    for (pgx_name, libpq_name) in [
        ("host", "host"),
        ("user", "user"),
        ("password", "password"),
        ("database", "dbname"),
        ("passfile", "passfile"),
        ("connect_timeout", "connect_timeout"),
        ("sslcert", "sslcert"),
        ("sslkey", "sslkey"),
        ("sslpassword", "sslpassword"),
        ("sslsni", "sslsni"),
        ("sslnegotiation", "sslnegotiation"),
        ("krbsrvname", "krbsrvname"),
        ("target_session_attrs", "target_session_attrs"),
        ("service", "service"),
        ("channel_binding", "channel_binding"),
        ("require_auth", "require_auth"),
        ("min_protocol_version", "min_protocol_version"),
        ("max_protocol_version", "max_protocol_version"),
    ] {
        if let Some(s) = get(pgx_name) {
            eq.set(libpq_name, &s.value, s.key_span, s.value_span);
        }
    }
    if let Some(port) = get("port") {
        // pgx collects URL ports separately: a single port applies to every host.
        eq.set("port", &port.value, port.key_span, port.value_span);
    }
    eq.set_tls(
        tls,
        file_root.map(|r| (r.value.as_str(), r.value_span)),
        mode_span,
    );
    let mut verdict = if refused { Tls::Refused } else { tls }.verdict("pgx");
    if !refused && !hosts.is_empty() && hosts.iter().all(|h| is_cloud_sql_instance_name(h)) {
        // Google's Go connector (cloud.google.com/go/cloudsqlconn) is plugged in as pgx's
        // DialFunc and given the instance connection name as `host`; it opens TLS 1.3 to the
        // instance with an ephemeral client certificate and verifies the server, and Google's
        // samples therefore write `sslmode=disable` for pgx itself
        // (GoogleCloudPlatform/cloud-sql-go-connector README, "Using the dialer with pgx").
        eq.set_tls(Tls::RequireFull, None, mode_span);
        eq.approximate("the host is a Cloud SQL instance connection name, which only Google's Go connector dials: it encrypts and verifies the connection itself; the closest libpq reading is verify-full");
        verdict = Tls::RequireFull.verdict("The Cloud SQL Go connector");
    }

    let host_pairs: Vec<(String, Option<String>)> = hosts
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), ports.get(i).or(ports.first()).cloned()))
        .collect();
    Outcome {
        valid: true,
        params,
        diagnostics,
        verdict: Some(verdict),
        equivalent: Some(eq),
        no_equivalent: None,
        hosts: host_targets(&host_pairs),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cloud_sql_instance_names() {
        for name in [
            "project:region:instance",
            "my-proj:us-central1:db",
            "example.com:p:us-east1:db",
        ] {
            assert!(super::is_cloud_sql_instance_name(name), "{name}");
        }
        for host in [
            "db.example.com",
            "::1",
            "fe80::1:2",
            "1:2:3:4:5:6:7:8",
            "a::b",
            "/cloudsql/p:r:i",
        ] {
            assert!(!super::is_cloud_sql_instance_name(host), "{host}");
        }
    }
}
