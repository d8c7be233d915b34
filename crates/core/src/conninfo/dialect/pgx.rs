//! Go pgx v5 (`pgconn.ParseConfig`), as in pgconn's current source (see the module list in
//! `dialect/mod.rs` for what older v5 releases do differently).
//!
//! Source: `pgconn/config.go` (`ParseConfigWithOptions`, `parseURLSettings`,
//! `parseKeywordValueSettings`, `configTLS`) in <https://github.com/jackc/pgx>; pgx and pgxpool
//! remove their own settings (`statement_cache_capacity`, `pool_max_conns`, …) from
//! `RuntimeParams` in `pgx.ParseConfig` / `pgxpool.ParseConfig`.

use crate::conninfo::driver_keys;
use super::equivalent::Equivalent;
use super::kv::{self, Setting};
use super::url::{self, text, At, Plus};
use super::{
    forward_to_equivalent, forwarded, host_targets, param_rejected, Forwarded, Outcome, Rejection,
    Tls, RULE_CA_ONLY_SYSTEM_STORE, RULE_CLIENT_PARAM_AS_SETTING,
    RULE_DIALECT_UNSUPPORTED, RULE_PARAM_AS_SETTING, RULE_SSLMODE_OVERRIDDEN,
};
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Span};

const SESSION_ATTRS: &[&str] = &[
    "any",
    "read-write",
    "read-only",
    "primary",
    "standby",
    "prefer-standby",
];

/// A pgx connection string as `ParseConfig` reads it: its settings, each key once, and the
/// host and port lists.
#[derive(Debug)]
struct Config {
    is_url: bool,
    settings: Vec<Setting>,
    hosts: Vec<String>,
    ports: Vec<String>,
    /// The input's secrets, as the lenient finders see them (`redact::secret_spans`).
    secrets: Vec<(usize, usize)>,
}

impl Config {
    fn get(&self, key: &str) -> Option<&Setting> {
        kv::get(&self.settings, key)
    }

    fn value_span(&self, key: &str, input: &str) -> Span {
        self.get(key)
            .map_or(Span::new(input.len(), input.len()), |s| s.value_span)
    }

    /// `text`, read at `span`, as a message or the libpq equivalent may show it: masked where
    /// it stands over a secret. pgx splits a value at whitespace even where another driver's
    /// string has it inside a password (`Password=Vt4k Jw8r;SSL Mode=Require` gives the key
    /// `Jw8r;SSL Mode`), and reads a URL it does not know as `key=value` (the key
    /// `postgresql+psycopg2://u:Vt4k` of `…://u:Vt4k=Jw8r@h/db`): such a key or value is a
    /// piece of a secret that no finder recognises by its text.
    fn shown(&self, input: &str, span: Span, text: &str) -> String {
        crate::conninfo::redact::mask_read_piece(input, &self.secrets, span, text, read_value)
    }

    /// `sslrootcert`, when not empty.
    fn rootcert(&self) -> Option<&Setting> {
        self.get("sslrootcert").filter(|r| !r.value.is_empty())
    }

    /// A root certificate file (not `system`).
    fn file_root(&self) -> Option<&Setting> {
        self.rootcert().filter(|r| r.value != "system")
    }
}

pub(super) fn parse(input: &str) -> Outcome {
    let config = match read(input) {
        Ok(config) => config,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    let checked = check_ports(input, &config)
        .and_then(|()| check_connect_timeout(input, &config))
        .and_then(|()| check_target_session_attrs(input, &config))
        .and_then(|()| check_channel_binding(input, &config));
    if let Err(rejection) = checked {
        return Outcome::rejected(rejection);
    }
    let mut diagnostics = Vec::new();
    let mode = written_mode(&config);
    let mode = check_direct_negotiation(&config, mode, &mut diagnostics);
    let mode = check_system_root(&config, mode, &mut diagnostics);
    let tls = match tls(input, &config, mode)
        .and_then(|tls| check_client_certificate(input, &config, tls).map(|()| tls))
    {
        Ok(tls) => tls,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    check_ca_only_system_store(input, &config, tls, &mut diagnostics);
    check_empty_url_host(input, &config, &mut diagnostics);
    let refused = check_server_settings(input, &config, &mut diagnostics);
    let cloud_sql = !refused && dialed_by_cloud_sql_connector(&config);
    let verdict = if cloud_sql {
        Tls::RequireFull.verdict("The Cloud SQL Go connector")
    } else if refused {
        Tls::Refused.verdict("pgx")
    } else {
        tls.verdict("pgx")
    };
    let host_pairs: Vec<(String, Option<String>)> = config
        .hosts
        .iter()
        .enumerate()
        .map(|(i, h)| {
            (h.clone(), port_of_host(&config, i))
        })
        .collect();
    Outcome {
        valid: true,
        params: config
            .settings
            .iter()
            .map(|s| (s.key.clone(), s.value.clone()))
            .collect(),
        diagnostics,
        verdict: Some(verdict),
        equivalent: Some(equivalent(input, &config, tls, cloud_sql)),
        no_equivalent: None,
        hosts: host_targets(&host_pairs),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// `ParseConfigWithOptions`: a `postgres://` or `postgresql://` URL, else keyword/value.
fn read(input: &str) -> Result<Config, Rejection> {
    // Newer pgconn rejects a NUL anywhere: in the startup packet it would delimit parameters.
    if let Some(nul) = input.find('\0') {
        return Err(unsupported(
            "pgx: \"forbidden NUL byte in connection string\"".to_string(),
            Span::new(nul, nul + 1),
        ));
    }
    let is_url = input.starts_with("postgres://") || input.starts_with("postgresql://");
    let settings = if is_url {
        url_settings(input)
    } else {
        keyword_value(input)
    };
    let settings = settings.map_err(|(detail, span)| unsupported(detail, span))?;
    let list = |key: &str| -> Vec<String> {
        kv::get(&settings, key)
            .map(|s| s.value.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    };
    let hosts = list("host");
    let ports = list("port");
    Ok(Config {
        is_url,
        settings,
        hosts,
        ports,
        secrets: crate::conninfo::redact::secret_spans(input, None),
    })
}

fn unsupported(detail: String, span: Span) -> Rejection {
    Box::new(Diagnostic::new(&RULE_DIALECT_UNSUPPORTED, detail).at(span))
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `parseKeywordValueSettings`: like libpq's, but unknown keys are kept, and only `\\` and `\'`
/// are unescaped (other backslash pairs stay as written). Each setting's span is the whole
/// element as written, a closing quote included.
fn keyword_value(input: &str) -> Result<Vec<Setting>, (String, Span)> {
    Ok(last_of_each_key(elements(input)?))
}

/// pgx keeps the last occurrence of each key.
fn last_of_each_key(elements: Vec<Setting>) -> Vec<Setting> {
    let mut settings = kv::LastOfEach::default();
    for element in elements {
        settings.set(element);
    }
    settings.into_settings()
}

/// [`keyword_value`]'s elements in the order written, a repeated key's each time.
fn elements(input: &str) -> Result<Vec<Setting>, (String, Span)> {
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
        let value = unescape(raw_value);
        let key = if key == "dbname" { "database" } else { key };
        if key.is_empty() {
            return Err((
                "pgx: \"failed to parse as keyword/value: invalid keyword/value\"".to_string(),
                Span::new(i, eq + 1),
            ));
        }
        let mut end = value_span.end;
        if bytes.get(end) == Some(&b'\'') {
            end += 1;
        }
        settings.push(Setting {
            span: Span::new(key_span.start, end.max(key_span.end)),
            ..Setting::pair(key, value, key_span, value_span)
        });
        i = skip_spaces(j);
    }
    Ok(settings)
}

/// `parseKeywordValueSettings`'s unescaping: only `\\` and `\'`.
fn unescape(raw: &str) -> String {
    raw.replace("\\\\", "\\").replace("\\'", "'")
}

/// A keyword/value value as written (its span, quotes included) as pgx reads it.
fn read_value(written: &str) -> String {
    let unquoted = written
        .strip_prefix('\'')
        .and_then(|w| w.strip_suffix('\''))
        .unwrap_or(written);
    unescape(unquoted)
}

/// The settings of a keyword/value string as written, for rendering fixes. `None` when pgx
/// rejects the string's shape.
///
/// An element that pgx starts inside a secret or at its start (the `Jw8r;SSL Mode=Require` of
/// `Password=Vt4k Jw8r;SSL Mode=Require`, cut at the space; `Password= 'Vt4k=Jw8r'`, cut right
/// before the quote) is the secret's own text, not a setting a fix could edit: it goes with the
/// element before it ([`kv::join_secret_tails`]). The elements are joined as written, before
/// pgx keeps the last of each key: the piece goes with its password's element even where a
/// repeated key drops that element (`Host=a;Password=Vt4k Jw8r;X=1 Host=b`).
pub(super) fn written_settings(input: &str) -> Option<Vec<Setting>> {
    let elements = elements(input).ok()?;
    Some(last_of_each_key(kv::join_secret_tails(input, elements)))
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
    for (key, span) in [("user", parts.user), ("password", parts.password)] {
        if let Some(span) = span {
            if !go_valid_userinfo(text(input, span)) {
                return Err((
                    "pgx: \"failed to parse as URL\": net/url: invalid userinfo".to_string(),
                    span,
                ));
            }
            let decoded = url::decode(text(input, span), Plus::Literal);
            if decoded.bad_escape.is_some() {
                return Err((
                    "pgx: \"failed to parse as URL\": invalid escape in the user information"
                        .to_string(),
                    span,
                ));
            }
            kv::add_first(&mut settings, Setting::part(key, decoded.text, span));
        }
    }
    let (hosts, ports) = url_hosts_and_ports(input, parts.authority)?;
    if !hosts.is_empty() {
        kv::add_first(
            &mut settings,
            Setting::part("host", hosts.join(","), parts.authority),
        );
    }
    if !ports.is_empty() {
        kv::add_first(
            &mut settings,
            Setting::part("port", ports.join(","), parts.authority),
        );
    }
    if let Some(path) = parts.path {
        let database = url::decode(text(input, path), Plus::Literal).text;
        let database = database.trim_start_matches('/');
        if !database.is_empty() {
            kv::add_first(&mut settings, Setting::part("database", database, path));
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
            kv::add_first(
                &mut settings,
                Setting::pair(key, value, pair.key_span, pair.value_span),
            );
        }
    }
    Ok(settings)
}

/// Go's `net/url` `validUserinfo`, which `parseAuthority` applies to everything before the last
/// `@` (Go 1.22+ `src/net/url/url.go`): ASCII letters and digits, RFC 3986's unreserved and
/// sub-delimiter characters, `:`, `%` and `@`. A space, `[`, `]`, `^`, `"`, `<`, `|`, a
/// backslash or any non-ASCII character makes `url.Parse` fail with "net/url: invalid
/// userinfo" (the Supabase paste `postgres.ref:[password]@…` among them).
fn go_valid_userinfo(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c))
}

/// The URL's host list split at commas: the hosts, and the ports written after them.
fn url_hosts_and_ports(
    input: &str,
    authority: Span,
) -> Result<(Vec<String>, Vec<String>), (String, Span)> {
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for element in url::host_list(input, authority) {
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
            let at = element.port.unwrap_or(element.span);
            let port = super::quotable(input, at, port);
            return Err((
                format!("pgx: \"failed to parse as URL\": invalid port \":{port}\" after host"),
                at,
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
    Ok((hosts, ports))
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// `ParseConfigWithOptions` (pgx v5.10.0, 7293fb11, pgconn/config.go:442-451): host `i` takes
/// port `i`, or the first port when there are fewer; ports beyond the hosts are never used.
/// (The refusal "could not match N port numbers to M hosts" is only in pgx's unreleased
/// master, 023281e5, a driver expert found.)
fn port_of_host(config: &Config, i: usize) -> Option<String> {
    config.ports.get(i).or(config.ports.first()).cloned()
}

/// An empty entry in a URL's host list (`h1:5432,:5433`): pgx v5.10.0's `parseURLSettings`
/// (pgconn/config.go:642-660) skips an empty host but keeps a port written with it, which
/// then belongs to no host and is never used; pgx's unreleased master refuses the URL.
fn check_empty_url_host(input: &str, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    if !config.is_url {
        return;
    }
    let Some(parts) = url::split_url(input, url::At::Last, false) else {
        return;
    };
    let elements = url::host_list(input, parts.authority);
    let empty: Vec<&url::HostPort> = elements
        .iter()
        .filter(|e| text(input, e.host).trim_matches(['[', ']']).is_empty())
        .collect();
    if empty.is_empty() || empty.len() == elements.len() {
        return;
    }
    let kept: Vec<&str> = elements
        .iter()
        .filter(|e| !text(input, e.host).trim_matches(['[', ']']).is_empty())
        .map(|e| text(input, e.span))
        .collect();
    let fixed = url::without_secrets(&url::replace_span(input, parts.authority, &kept.join(",")));
    let mut title = "Remove the empty entry from the host list (or write the host that belongs there)".to_string();
    if url::split_url(input, url::At::Last, false).is_some_and(|p| p.password.is_some()) {
        title.push_str(&format!(" ({})", crate::conninfo::security::SECRETS_LEFT_OUT));
    }
    diagnostics.push(
        Diagnostic::new(
            &crate::conninfo::security::hosts::RULE_EMPTY_HOST_IN_LIST,
            "The host list has an empty entry: pgx v5.10 skips it, and a port written with it belongs to no host and is not used; pgx's next release refuses the URL (\"could not match … port numbers to … hosts\").",
        )
        .at(parts.authority)
        .with_fix(Fix::replace(title, fixed)),
    );
}

/// `parsePort`: every port is a number from 1 to 65535.
fn check_ports(input: &str, config: &Config) -> Result<(), Rejection> {
    for port in config.ports.iter().filter(|p| !p.is_empty()) {
        if !port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p)) {
            let at = config.value_span("port", input);
            let port = super::quotable(input, at, port);
            return Err(param_rejected(
                input,
                format!("pgx: \"invalid port\" `{port}`"),
                at,
            ));
        }
    }
    Ok(())
}

/// `parseConnectTimeoutSetting`: a whole number of seconds.
fn check_connect_timeout(input: &str, config: &Config) -> Result<(), Rejection> {
    match config.get("connect_timeout") {
        Some(timeout) if timeout.value.parse::<u64>().is_err() => Err(param_rejected(
            input,
            format!(
                "pgx: \"invalid connect_timeout\" `{}`",
                config.shown(input, timeout.value_span, &timeout.value)
            ),
            timeout.value_span,
        )),
        _ => Ok(()),
    }
}

/// `ParseConfigWithOptions` rejects an unknown `target_session_attrs`.
fn check_target_session_attrs(input: &str, config: &Config) -> Result<(), Rejection> {
    match config.get("target_session_attrs") {
        Some(attrs) if !SESSION_ATTRS.contains(&attrs.value.as_str()) => Err(param_rejected(
            input,
            format!(
                "pgx: \"unknown target_session_attrs value: {}\"",
                config.shown(input, attrs.value_span, &attrs.value)
            ),
            attrs.value_span,
        )),
        _ => Ok(()),
    }
}

/// `ParseConfigWithOptions` rejects an unknown `channel_binding`.
fn check_channel_binding(input: &str, config: &Config) -> Result<(), Rejection> {
    match config.get("channel_binding") {
        Some(binding)
            if !matches!(
                binding.value.as_str(),
                "" | "disable" | "prefer" | "require"
            ) =>
        {
            Err(param_rejected(
                input,
                format!(
                    "pgx: \"unknown channel_binding value: {}\"",
                    config.shown(input, binding.value_span, &binding.value)
                ),
                binding.value_span,
            ))
        }
        _ => Ok(()),
    }
}

/// `configTLS`: `sslmode` as written, `prefer` when absent or empty.
fn written_mode(config: &Config) -> &str {
    match config.get("sslmode").map(|s| s.value.as_str()) {
        None | Some("") => "prefer",
        Some(mode) => mode,
    }
}

/// `configTLS`: with `sslnegotiation=direct` the default `prefer` becomes `require`. The mode
/// in effect.
fn check_direct_negotiation<'a>(
    config: &Config,
    mode: &'a str,
    diagnostics: &mut Vec<Diagnostic>,
) -> &'a str {
    let Some(negotiation) = config.get("sslnegotiation").filter(|n| n.value == "direct") else {
        return mode;
    };
    if mode != "prefer" {
        return mode;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_SSLMODE_OVERRIDDEN,
            "with `sslnegotiation=direct` pgx turns the default `prefer` into `require`",
        )
        .at(negotiation.pair_span()),
    );
    "require"
}

/// `configTLS`: `sslrootcert=system` means `verify-full` whatever `sslmode` says. The mode in
/// effect.
fn check_system_root<'a>(
    config: &Config,
    mode: &'a str,
    diagnostics: &mut Vec<Diagnostic>,
) -> &'a str {
    let Some(root) = config.rootcert().filter(|r| r.value == "system") else {
        return mode;
    };
    if mode != "verify-full" {
        diagnostics.push(
            Diagnostic::new(
                &RULE_SSLMODE_OVERRIDDEN,
                format!(
                    "`sslrootcert=system` makes pgx use `verify-full` whatever sslmode says (here `{mode}`); libpq would refuse the combination"
                ),
            )
            .at(root.pair_span()),
        );
    }
    "verify-full"
}

/// `configTLS` per mode (Unix-socket hosts get no TLS at all); an unknown mode fails.
fn tls(input: &str, config: &Config, mode: &str) -> Result<Tls, Rejection> {
    let all_sockets = !config.hosts.is_empty() && config.hosts.iter().all(|h| h.starts_with('/'));
    Ok(match mode {
        _ if all_sockets => Tls::Off,
        "disable" => Tls::Off,
        "allow" => Tls::AllowNoVerify,
        "prefer" => Tls::PreferNoVerify,
        // "if a root CA file exists, sslmode=require behaves like verify-ca" (configTLS).
        "require" if config.file_root().is_some() => Tls::RequireCa,
        "require" => Tls::RequireNoVerify,
        "verify-ca" => Tls::RequireCa,
        "verify-full" => Tls::RequireFull,
        other => {
            let at = config.value_span("sslmode", input);
            let other = config.shown(input, at, other);
            return Err(param_rejected(
                input,
                format!("pgx: \"failed to configure TLS: sslmode is invalid\" (`{other}`); valid values: disable, allow, prefer, require, verify-ca, verify-full"),
                at,
            ));
        }
    })
}

/// `configTLS`: a client certificate needs both `sslcert` and `sslkey`.
fn check_client_certificate(input: &str, config: &Config, tls: Tls) -> Result<(), Rejection> {
    if tls == Tls::Off {
        return Ok(());
    }
    let cert = config.get("sslcert").filter(|c| !c.value.is_empty());
    let key = config.get("sslkey").filter(|k| !k.value.is_empty());
    if let (Some(one), None) | (None, Some(one)) = (cert, key) {
        return Err(param_rejected(
            input,
            "pgx: \"failed to configure TLS: both \\\"sslcert\\\" and \\\"sslkey\\\" are required\"",
            one.pair_span(),
        ));
    }
    Ok(())
}

/// `configTLS`: `verify-ca` without `sslrootcert` verifies the chain against the system roots
/// (x509 `VerifyOptions` with nil `Roots`) and never the host name.
fn check_ca_only_system_store(
    input: &str,
    config: &Config,
    tls: Tls,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if tls != Tls::RequireCa || config.file_root().is_some() {
        return;
    }
    let fix = if config.is_url {
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
        .at(config.value_span("sslmode", input))
        .with_fix(fix),
    );
}

/// The settings neither pgconn nor pgx nor pgxpool consume.
fn runtime_params(config: &Config) -> impl Iterator<Item = &Setting> {
    config.settings.iter().filter(|s| {
        let key = s.key.as_str();
        !driver_keys::PGX_CONSUMED.contains(&key) && !driver_keys::PGX_ONLY.contains(&key)
    })
}

/// Everything not consumed is sent to the server as a run-time parameter (`RuntimeParams`);
/// a libpq client parameter (or `ssl`) there ends the connection. Whether one does.
fn check_server_settings(input: &str, config: &Config, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let mut refused = false;
    for s in runtime_params(config) {
        let key = s.key.as_str();
        match forwarded(key) {
            Forwarded::Startup => {}
            Forwarded::ClientOnly => {
                refused = true;
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_CLIENT_PARAM_AS_SETTING,
                        format!(
                            "pgx does not know `{key}` and sends it to the server as a run-time parameter; the server answers `FATAL: unrecognized configuration parameter \"{key}\"`"
                        ),
                    )
                    .at(s.pair_span()),
                );
            }
            Forwarded::Setting => diagnostics.push(
                Diagnostic::new(
                    &RULE_PARAM_AS_SETTING,
                    // The value as pgx reads it (unquoted, unescaped) is no echo of the
                    // input: a password written inside it is masked by the finders, and a key
                    // or value that is a piece of one where it stands ([`Config::shown`]).
                    format!(
                        "pgx sends `{}` to the server as a run-time parameter",
                        crate::conninfo::embedded::without_embedded_secrets(&format!(
                            "{}={}",
                            config.shown(input, s.key_span, key),
                            config.shown(input, s.value_span, &s.value)
                        ))
                    ),
                )
                .at(s.pair_span()),
            ),
        }
    }
    refused
}

/// Google's Go connector (cloud.google.com/go/cloudsqlconn) is plugged in as pgx's DialFunc
/// and given the instance connection name as `host`; it opens TLS 1.3 to the instance with an
/// ephemeral client certificate and verifies the server, and Google's samples therefore write
/// `sslmode=disable` for pgx itself (GoogleCloudPlatform/cloud-sql-go-connector README, "Using
/// the dialer with pgx").
fn dialed_by_cloud_sql_connector(config: &Config) -> bool {
    !config.hosts.is_empty() && config.hosts.iter().all(|h| is_cloud_sql_instance_name(h))
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

// ---------------------------------------------------------------------------------------------
// Verdict.

/// The libpq equivalent: the same keywords, `database` back to `dbname`.
fn equivalent(input: &str, config: &Config, tls: Tls, cloud_sql: bool) -> Equivalent {
    let form = if config.is_url {
        Form::Uri
    } else {
        Form::KeywordValue
    };
    let mut eq = Equivalent::new(form, input);
    for s in runtime_params(config) {
        forward_to_equivalent(&mut eq, input, "pgx", s, read_value);
    }
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
        if let Some(s) = config.get(pgx_name) {
            eq.set(libpq_name, &s.value, s.key_span, s.value_span);
        }
    }
    if let Some(port) = config.get("port") {
        // pgx collects URL ports separately: a single port applies to every host, and a port
        // beyond the hosts is not used.
        let ports: Vec<String> = (0..config.hosts.len().max(1)).filter_map(|i| port_of_host(config, i)).collect();
        let value = if config.ports.len() > 1 { ports.join(",") } else { port.value.clone() };
        eq.set("port", &value, port.key_span, port.value_span);
    }
    let mode_span = config.value_span("sslmode", input);
    eq.set_tls(
        tls,
        config.file_root().map(|r| (r.value.as_str(), r.value_span)),
        mode_span,
    );
    if cloud_sql {
        eq.set_tls(Tls::RequireFull, None, mode_span);
        eq.approximate("the host is a Cloud SQL instance connection name, which only Google's Go connector dials: it encrypts and verifies the connection itself; the closest libpq reading is verify-full");
    }
    eq
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
