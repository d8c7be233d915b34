//! Npgsql (.NET) connection strings, modelled on Npgsql 8/9.
//!
//! Sources: `src/Npgsql/NpgsqlConnectionStringBuilder.cs` (keywords, synonyms, `Trust Server
//! Certificate` obsolete and doing nothing, `PostProcessAndValidate`) and
//! `src/Npgsql/Internal/NpgsqlConnector.cs` (certificate validation: `Prefer`/`Require` use
//! `SslTrustServerValidation`, `VerifyCA`/`VerifyFull` validate against `Root Certificate`,
//! `PGSSLROOTCERT`, `~/.postgresql/root.crt` or the system store) in
//! <https://github.com/npgsql/npgsql>; the 8.0 release notes ("SSL Mode=Require no longer
//! validates certificates") and the security page in <https://github.com/npgsql/doc>; the
//! ADO.NET connection-string grammar (`DbConnectionOptions.GetKeyValuePair`).

use super::equivalent::Equivalent;
use super::{
    host_targets, put, Outcome, Tls, RULE_CA_ONLY_SYSTEM_STORE, RULE_DIALECT_UNSUPPORTED,
    RULE_PARAM_REJECTED, RULE_ROOT_CERT_UNUSED,
};
use crate::conninfo::syntax::{self, Form};
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::registry::Rule;

pub static RULE_TRUST_SERVER_CERTIFICATE: Rule = Rule {
    code: "PGP-DRIVER-023",
    severity: Severity::Warning,
    title: "Trust Server Certificate skips server verification",
    explanation: "`Trust Server Certificate=true` means \"do not validate the server \
certificate\". Before Npgsql 6.0 it switched off the validation `SSL Mode=Require` did; Npgsql \
6 and 7 demanded it with `Require` (which no longer validated); since Npgsql 8 it is obsolete \
and does nothing, because `Require` never validates. In every version the server is only \
verified with `SSL Mode=VerifyFull` (or `VerifyCA`), optionally with `Root Certificate` for a \
private CA. Remove the parameter and use `SSL Mode=VerifyFull`.",
    references: &[
        "https://www.npgsql.org/doc/security.html",
        "https://www.npgsql.org/doc/release-notes/8.0.html",
    ],
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Bool,
    /// Case-insensitive enum names.
    Choice(&'static [&'static str]),
    /// Exact values (`ParseTargetSessionAttributes` switches on the literal string).
    Exact(&'static [&'static str]),
}

/// (display name, CLR property name, synonyms, kind). Keys match case-insensitively against
/// any of the names.
const KEYWORDS: &[(&str, &str, &[&str], Kind)] = &[
    ("Host", "Host", &["Server"], Kind::Text),
    ("Port", "Port", &[], Kind::Int),
    ("Database", "Database", &["DB"], Kind::Text),
    (
        "Username",
        "Username",
        &["User Name", "UserId", "User Id", "UID"],
        Kind::Text,
    ),
    ("Password", "Password", &["PSW", "PWD"], Kind::Text),
    ("Passfile", "Passfile", &[], Kind::Text),
    ("Application Name", "ApplicationName", &[], Kind::Text),
    ("Enlist", "Enlist", &[], Kind::Bool),
    ("Search Path", "SearchPath", &[], Kind::Text),
    ("Client Encoding", "ClientEncoding", &[], Kind::Text),
    ("Encoding", "Encoding", &[], Kind::Text),
    ("Timezone", "Timezone", &[], Kind::Text),
    ("SSL Mode", "SslMode", &[], Kind::Choice(SSL_MODES)),
    (
        "SSL Negotiation",
        "SslNegotiation",
        &[],
        Kind::Choice(&["Postgres", "Direct"]),
    ),
    ("SSL Certificate", "SslCertificate", &[], Kind::Text),
    ("SSL Key", "SslKey", &[], Kind::Text),
    ("SSL Password", "SslPassword", &[], Kind::Text),
    ("Root Certificate", "RootCertificate", &[], Kind::Text),
    (
        "Check Certificate Revocation",
        "CheckCertificateRevocation",
        &[],
        Kind::Bool,
    ),
    (
        "Kerberos Service Name",
        "KerberosServiceName",
        &["Krbsrvname"],
        Kind::Text,
    ),
    ("Include Realm", "IncludeRealm", &[], Kind::Bool),
    (
        "Persist Security Info",
        "PersistSecurityInfo",
        &[],
        Kind::Bool,
    ),
    ("Log Parameters", "LogParameters", &[], Kind::Bool),
    (
        "Include Error Detail",
        "IncludeErrorDetail",
        &[],
        Kind::Bool,
    ),
    (
        "Channel Binding",
        "ChannelBinding",
        &[],
        Kind::Choice(&["Disable", "Prefer", "Require"]),
    ),
    ("Pooling", "Pooling", &[], Kind::Bool),
    ("Minimum Pool Size", "MinPoolSize", &[], Kind::Int),
    ("Maximum Pool Size", "MaxPoolSize", &[], Kind::Int),
    (
        "Connection Idle Lifetime",
        "ConnectionIdleLifetime",
        &[],
        Kind::Int,
    ),
    (
        "Connection Pruning Interval",
        "ConnectionPruningInterval",
        &[],
        Kind::Int,
    ),
    (
        "Connection Lifetime",
        "ConnectionLifetime",
        &["Load Balance Timeout"],
        Kind::Int,
    ),
    ("Timeout", "Timeout", &[], Kind::Int),
    ("Command Timeout", "CommandTimeout", &[], Kind::Int),
    (
        "Cancellation Timeout",
        "CancellationTimeout",
        &[],
        Kind::Int,
    ),
    (
        "Target Session Attributes",
        "TargetSessionAttributes",
        &[],
        Kind::Exact(&[
            "any",
            "primary",
            "standby",
            "prefer-primary",
            "prefer-standby",
            "read-write",
            "read-only",
        ]),
    ),
    ("Load Balance Hosts", "LoadBalanceHosts", &[], Kind::Bool),
    ("Host Recheck Seconds", "HostRecheckSeconds", &[], Kind::Int),
    ("Keepalive", "KeepAlive", &[], Kind::Int),
    ("TCP Keepalive", "TcpKeepAlive", &[], Kind::Bool),
    ("TCP Keepalive Time", "TcpKeepAliveTime", &[], Kind::Int),
    (
        "TCP Keepalive Interval",
        "TcpKeepAliveInterval",
        &[],
        Kind::Int,
    ),
    ("Read Buffer Size", "ReadBufferSize", &[], Kind::Int),
    ("Write Buffer Size", "WriteBufferSize", &[], Kind::Int),
    (
        "Socket Receive Buffer Size",
        "SocketReceiveBufferSize",
        &[],
        Kind::Int,
    ),
    (
        "Socket Send Buffer Size",
        "SocketSendBufferSize",
        &[],
        Kind::Int,
    ),
    ("Max Auto Prepare", "MaxAutoPrepare", &[], Kind::Int),
    (
        "Auto Prepare Min Usages",
        "AutoPrepareMinUsages",
        &[],
        Kind::Int,
    ),
    ("No Reset On Close", "NoResetOnClose", &[], Kind::Bool),
    ("Options", "Options", &[], Kind::Text),
    (
        "Array Nullability Mode",
        "ArrayNullabilityMode",
        &[],
        Kind::Choice(&["Never", "Always", "PerInstance"]),
    ),
    ("Multiplexing", "Multiplexing", &[], Kind::Bool),
    (
        "Write Coalescing Buffer Threshold Bytes",
        "WriteCoalescingBufferThresholdBytes",
        &[],
        Kind::Int,
    ),
    (
        "Load Table Composites",
        "LoadTableComposites",
        &[],
        Kind::Bool,
    ),
    (
        "Server Compatibility Mode",
        "ServerCompatibilityMode",
        &[],
        Kind::Choice(&["None", "Redshift", "NoTypeLoading"]),
    ),
    (
        "Trust Server Certificate",
        "TrustServerCertificate",
        &[],
        Kind::Bool,
    ),
    (
        "Internal Command Timeout",
        "InternalCommandTimeout",
        &[],
        Kind::Int,
    ),
];

const SSL_MODES: &[&str] = &[
    "Disable",
    "Allow",
    "Prefer",
    "Require",
    "VerifyCA",
    "VerifyFull",
];

/// Names older Npgsql versions used, for suggestions.
const RENAMED: &[(&str, &str)] = &[
    ("client certificate", "SSL Certificate"),
    ("client certificate key", "SSL Key"),
    ("sslmode", "SSL Mode"),
    ("ssl", "SSL Mode"),
    ("sslrootcert", "Root Certificate"),
    ("sslcert", "SSL Certificate"),
    ("sslkey", "SSL Key"),
    ("user", "Username"),
    ("dbname", "Database"),
    ("application_name", "Application Name"),
    ("connect_timeout", "Timeout"),
];

fn lookup(key: &str) -> Option<(&'static str, Kind)> {
    KEYWORDS
        .iter()
        .find(|(display, clr, synonyms, _)| {
            display.eq_ignore_ascii_case(key)
                || clr.eq_ignore_ascii_case(key)
                || synonyms.iter().any(|s| s.eq_ignore_ascii_case(key))
        })
        .map(|(display, _, _, kind)| (*display, *kind))
}

#[derive(Debug, Clone)]
struct Entry {
    /// The canonical (display) name.
    name: &'static str,
    value: String,
    key_span: Span,
    value_span: Span,
}

#[derive(Debug, Clone)]
struct RawPair {
    key: String,
    value: Option<String>,
    key_span: Span,
    value_span: Span,
}

/// `DbConnectionOptions.GetKeyValuePair` (non-ODBC rules): `;`-separated pairs, keys
/// lower-cased with trailing whitespace trimmed and `==` standing for a literal `=`; values
/// unquoted (whitespace inside kept, trailing whitespace trimmed, may not end in a quote) or in
/// single or double quotes with the quote doubled to escape it.
fn parse_pairs(input: &str) -> Result<Vec<RawPair>, Span> {
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let offset = |i: usize| chars.get(i).map_or(input.len(), |(o, _)| *o);
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while at(i).is_some_and(|c| c == ';' || c.is_whitespace()) {
            i += 1;
        }
        let Some(first) = at(i) else { break };
        if first == '\0' {
            break;
        }
        let start = i;
        if first.is_control() {
            return Err(Span::new(offset(i), offset(i + 1)));
        }
        // Key, up to a single `=`.
        let mut key = String::new();
        loop {
            match at(i) {
                None => return Err(Span::new(offset(start), input.len())),
                Some('=') if at(i + 1) == Some('=') => {
                    key.push('=');
                    i += 2;
                }
                Some('=') => break,
                Some(c) if c.is_control() => return Err(Span::new(offset(start), offset(i + 1))),
                Some(c) => {
                    key.push(c);
                    i += 1;
                }
            }
        }
        // From the input, not the unescaped key: `==` is one character of the key.
        let raw_key = input.get(offset(start)..offset(i)).unwrap_or_default();
        let key_span = Span::new(offset(start), offset(start) + raw_key.trim_end().len());
        // Npgsql looks keywords up with OrdinalIgnoreCase; every keyword is ASCII, and ASCII
        // folding (unlike Unicode lowercasing) does not turn the Kelvin sign into `k`, which
        // .NET's invariant upper-casing does not match either.
        let key = key.trim_end().to_ascii_lowercase();
        if key.is_empty() {
            return Err(Span::new(offset(start), offset(i + 1)));
        }
        i += 1;
        while at(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let value_start = i;
        let value = match at(i) {
            None | Some(';') | Some('\0') => None,
            Some(quote @ ('"' | '\'')) => {
                i += 1;
                let mut v = String::new();
                loop {
                    match at(i) {
                        None | Some('\0') => return Err(Span::new(offset(start), input.len())),
                        Some(c) if c == quote && at(i + 1) == Some(quote) => {
                            v.push(quote);
                            i += 2;
                        }
                        Some(c) if c == quote => {
                            i += 1;
                            break;
                        }
                        Some(c) => {
                            v.push(c);
                            i += 1;
                        }
                    }
                }
                while at(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
                match at(i) {
                    None | Some(';') | Some('\0') => {}
                    Some(_) => return Err(Span::new(offset(start), offset(i + 1))),
                }
                Some(v)
            }
            Some(_) => {
                let mut v = String::new();
                while let Some(c) = at(i) {
                    if c == ';' || c == '\0' || (c.is_control() && !c.is_whitespace()) {
                        break;
                    }
                    v.push(c);
                    i += 1;
                }
                let v = v.trim_end().to_string();
                if v.ends_with(['"', '\'']) {
                    return Err(Span::new(offset(start), offset(i)));
                }
                Some(v)
            }
        };
        let value_span = Span::new(offset(value_start), offset(i));
        let trimmed_value_span = Span::new(
            value_span.start,
            value_span.start
                + input
                    .get(value_span.start..value_span.end)
                    .unwrap_or_default()
                    .trim_end_matches([' ', '\t', '\r', '\n'])
                    .len(),
        );
        out.push(RawPair {
            key,
            value,
            key_span,
            value_span: trimmed_value_span,
        });
        if at(i) == Some(';') {
            i += 1;
        }
    }
    Ok(out)
}

/// Whether `input` reads as an Npgsql connection string rather than a libpq one: every key is
/// an Npgsql keyword, and libpq either rejects the string or would read a `;key=` inside one of
/// its values.
/// The pairs as written, for rendering fixes: each key by its canonical Npgsql name (or, for
/// a key Npgsql does not know, lower-cased as written), its value, and the whole element's
/// span (a closing quote included). `None` when the string does not split into pairs.
pub(super) fn written_settings(input: &str) -> Option<Vec<super::kv::Setting>> {
    let pairs = parse_pairs(input).ok()?;
    Some(
        pairs
            .into_iter()
            .map(|pair| {
                let mut end = pair.value_span.end;
                if matches!(input.as_bytes().get(end), Some(b'"' | b'\'')) {
                    end += 1;
                }
                super::kv::Setting {
                    key: lookup(&pair.key).map_or(pair.key.clone(), |(name, _)| name.to_string()),
                    value: pair.value.unwrap_or_default(),
                    key_span: pair.key_span,
                    value_span: pair.value_span,
                    span: Span::new(pair.key_span.start, end.max(pair.key_span.end)),
                }
            })
            .collect(),
    )
}

pub(super) fn looks_like_npgsql(input: &str) -> bool {
    let Ok(pairs) = parse_pairs(input) else {
        return false;
    };
    if pairs.is_empty() {
        return false;
    }
    let known = pairs.iter().filter(|p| lookup(&p.key).is_some()).count();
    // `Key=value;Key=value` is ADO.NET's shape, which libpq never uses: with most keys
    // Npgsql's, it is an Npgsql string even when Npgsql would reject one of them
    // (`Protocol=3`), and Npgsql's own error is the one to report.
    let ado_shaped = pairs.len() >= 2 && input.contains(';') && known * 2 >= pairs.len();
    if known < pairs.len() && !ado_shaped {
        return false;
    }
    match syntax::parse(input) {
        // Without `;` a single `Key=value` is Npgsql only if libpq trips over that very key
        // and only Npgsql knows it (`Host=db`); `host=foo port` is a libpq string with a typo,
        // and `host=db pool_max_conns=4` another driver's keyword/value string.
        Err(error) => {
            let failing = input
                .get(error.span.start..error.span.end)
                .unwrap_or_default();
            input.contains(';')
                || (lookup(failing).is_some()
                    && crate::conninfo::keywords::lookup(failing).is_none())
        }
        Ok(conninfo) => conninfo.params.iter().any(|p| p.value.contains(';')),
    }
}

/// The string without secrets, with `set`/`remove` applied (keys by display name).
fn render(entries: &[Entry], set: &[(&str, &str)], remove: &[&str]) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for e in entries {
        if matches!(e.name, "Password" | "SSL Password") || remove.contains(&e.name) {
            continue;
        }
        put(&mut pairs, e.name, &e.value);
    }
    for (k, v) in set {
        put(&mut pairs, k, v);
    }
    pairs
        .iter()
        .map(|(k, v)| {
            let needs_quotes = v.contains([';', '"', '\''])
                || v.starts_with(char::is_whitespace)
                || v.ends_with(char::is_whitespace);
            if needs_quotes {
                format!("{k}=\"{}\"", v.replace('"', "\"\""))
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The parsed pairs without secrets, with the pair keyed `skip` left out or replaced, for fixes
/// on strings Npgsql rejects (no canonical names are known for those).
fn render_raw(
    pairs: &[RawPair],
    skip: &str,
    replacement: Option<(&'static str, &str)>,
) -> Option<String> {
    let mut entries: Vec<Entry> = Vec::new();
    for pair in pairs {
        let (name, value) = if pair.key == skip {
            match replacement {
                Some((name, value)) => (name, value.to_string()),
                None => continue,
            }
        } else {
            match (lookup(&pair.key), &pair.value) {
                (Some((name, _)), Some(value)) => (name, value.clone()),
                _ => continue,
            }
        };
        entries.retain(|e| e.name != name);
        entries.push(Entry {
            name,
            value,
            key_span: pair.key_span,
            value_span: pair.value_span,
        });
    }
    // Without a host the corrected string would still be refused.
    entries
        .iter()
        .any(|e| e.name == "Host")
        .then(|| render(&entries, &[], &[]))
}

fn replace_or_advise(title: String, replacement: Option<String>) -> Fix {
    match replacement {
        Some(r) => Fix::replace(title, r),
        None => Fix::advice(title),
    }
}

fn rejected(detail: String, span: Span) -> Diagnostic {
    Diagnostic::new(&RULE_PARAM_REJECTED, detail).at(span)
}

pub(super) fn parse(input: &str) -> Outcome {
    let end = Span::new(input.len(), input.len());
    let pairs = match parse_pairs(input) {
        Ok(p) => p,
        Err(span) => {
            return Outcome::invalid(vec![Diagnostic::new(
                &RULE_DIALECT_UNSUPPORTED,
                format!(
                    "Npgsql: \"Format of the initialization string does not conform to specification starting at index {}\"",
                    span.start
                ),
            )
            .at(span)])
        }
    };
    // NpgsqlConnectionStringBuilder: unknown keywords and unconvertible values throw.
    let mut entries: Vec<Entry> = Vec::new();
    for pair in &pairs {
        let Some((name, kind)) = lookup(&pair.key) else {
            let hint = RENAMED
                .iter()
                .find(|(old, _)| old.eq_ignore_ascii_case(&pair.key))
                .map(|(_, new)| format!(" (Npgsql's keyword is `{new}`)"))
                .unwrap_or_default();
            let renamed = RENAMED
                .iter()
                .find(|(old, _)| old.eq_ignore_ascii_case(&pair.key))
                .map(|(_, new)| *new);
            let fix = match renamed {
                Some(new) => replace_or_advise(
                    format!("Use {new}"),
                    render_raw(
                        &pairs,
                        &pair.key,
                        Some((new, pair.value.as_deref().unwrap_or_default())),
                    ),
                ),
                None => replace_or_advise(
                    format!("Remove {}", pair.key),
                    render_raw(&pairs, &pair.key, None),
                ),
            };
            return Outcome::invalid(vec![rejected(
                format!("Npgsql: \"Keyword not supported: '{}'\"{hint}", pair.key),
                pair.key_span,
            )
            .with_fix(fix)]);
        };
        let Some(value) = &pair.value else {
            // A null value removes the keyword again.
            entries.retain(|e| e.name != name);
            continue;
        };
        let ok = match kind {
            Kind::Text => true,
            Kind::Int => value.trim().parse::<i32>().is_ok(),
            Kind::Bool => matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "false"),
            Kind::Choice(choices) => choices.iter().any(|c| c.eq_ignore_ascii_case(value.trim())),
            Kind::Exact(values) => values.contains(&value.as_str()),
        };
        if !ok {
            let expected = match kind {
                Kind::Int => "a whole number".to_string(),
                Kind::Bool => "`true` or `false`".to_string(),
                Kind::Choice(choices) | Kind::Exact(choices) => choices
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                Kind::Text => String::new(),
            };
            let shown = if matches!(name, "Password" | "SSL Password") {
                "(redacted)".to_string()
            } else {
                format!("`{value}`")
            };
            let fix = if name == "SSL Mode" {
                replace_or_advise(
                    "Use SSL Mode=VerifyFull".to_string(),
                    render_raw(&pairs, &pair.key, Some(("SSL Mode", "VerifyFull"))),
                )
            } else {
                replace_or_advise(
                    format!("Remove {}", pair.key),
                    render_raw(&pairs, &pair.key, None),
                )
            };
            return Outcome::invalid(vec![rejected(
                format!(
                    "Npgsql: \"Couldn't set {}\": {shown} is not valid; expected {expected}",
                    pair.key
                ),
                pair.value_span,
            )
            .with_fix(fix)]);
        }
        let value = match kind {
            Kind::Choice(choices) => choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(value.trim()))
                .map_or(value.clone(), |c| c.to_string()),
            _ => value.clone(),
        };
        entries.retain(|e| e.name != name);
        entries.push(Entry {
            name,
            value,
            key_span: pair.key_span,
            value_span: pair.value_span,
        });
    }
    let get = |name: &str| entries.iter().find(|e| e.name == name);
    let mut diagnostics = Vec::new();
    let mut params = Vec::new();
    for e in &entries {
        put(&mut params, e.name, &e.value);
    }

    // Hosts: a comma-separated list; a single `host:port` is split (PostProcessAndValidate).
    let Some(host_entry) = get("Host").filter(|h| !h.value.trim().is_empty()) else {
        diagnostics.push(
            rejected("Npgsql: \"Host can't be null\"".to_string(), end).with_fix(Fix::replace(
                "Add Host=",
                render(&entries, &[("Host", "localhost")], &[]),
            )),
        );
        return Outcome {
            valid: true,
            params,
            diagnostics,
            verdict: Some(Tls::Refused.verdict("Npgsql")),
            equivalent: None,
            no_equivalent: Some("Npgsql refuses to connect without a host".to_string()),
            hosts: Vec::new(),
        };
    };
    let default_port = get("Port").map_or("5432".to_string(), |p| p.value.trim().to_string());
    let mut hosts: Vec<(String, Option<String>)> = Vec::new();
    for element in host_entry.value.split(',') {
        let element = element.trim();
        // TrySplitHostPort: the last `:` is a port separator unless it is inside an IPv6
        // address (another `:` before it, not closed by `]`).
        let split = element.rfind(':').and_then(|colon| {
            let before = element.get(..colon).unwrap_or_default();
            let other = before.rfind(':');
            let close = element.rfind(']');
            let is_port = match (other, close) {
                (None, _) => true,
                (Some(o), Some(c)) => colon > c && o < c,
                (Some(_), None) => false,
            };
            is_port.then(|| (before, element.get(colon + 1..).unwrap_or_default()))
        });
        match split {
            Some((h, p)) => {
                if p.parse::<u16>().is_err() {
                    return Outcome::invalid(vec![rejected(
                        format!("Npgsql cannot read the port in `{element}`"),
                        host_entry.value_span,
                    )]);
                }
                hosts.push((
                    h.trim_start_matches('[').trim_end_matches(']').to_string(),
                    Some(p.to_string()),
                ));
            }
            None => hosts.push((
                element
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_string(),
                None,
            )),
        }
    }
    let mut refused = false;
    if let Some(tsa) = get("Target Session Attributes") {
        if hosts.len() == 1 && tsa.value != "any" {
            refused = true;
            diagnostics.push(rejected(
                "Npgsql: \"Target Session Attributes other then Any is only supported with multiple hosts\"".to_string(),
                tsa.value_span,
            ));
        }
    }

    // TLS.
    let mode_entry = get("SSL Mode");
    let mode = mode_entry.map_or("Prefer", |e| e.value.as_str());
    let mode_span = mode_entry.map_or(end, |e| e.value_span);
    let root = get("Root Certificate").filter(|r| !r.value.is_empty());
    let tls = match mode {
        "Disable" => Tls::Off,
        "Allow" => Tls::AllowNoVerify,
        "Prefer" => Tls::PreferNoVerify,
        "Require" => Tls::RequireNoVerify,
        "VerifyCA" => Tls::RequireCa,
        _ => Tls::RequireFull,
    };
    if let Some(negotiation) = get("SSL Negotiation").filter(|n| n.value == "Direct") {
        if !matches!(mode, "Require" | "VerifyCA" | "VerifyFull") {
            refused = true;
            diagnostics.push(rejected(
                "Npgsql: \"SSL Mode has to be Require or higher to be used with direct SSL Negotiation\"".to_string(),
                negotiation.value_span,
            ));
        }
    }
    if let Some(trust) =
        get("Trust Server Certificate").filter(|t| t.value.eq_ignore_ascii_case("true"))
    {
        let severity = if tls.verifies() {
            Severity::Info
        } else {
            Severity::Warning
        };
        diagnostics.push(
            Diagnostic::new(
                &RULE_TRUST_SERVER_CERTIFICATE,
                format!(
                    "`Trust Server Certificate=true` with `SSL Mode={mode}`: {}",
                    if tls.verifies() {
                        "obsolete since Npgsql 8 and ignored; remove it"
                    } else {
                        "the server certificate is not validated (Npgsql 8+ ignores the flag, but only VerifyCA/VerifyFull validate)"
                    }
                ),
            )
            .at(trust.key_span.cover(trust.value_span))
            .with_severity(severity)
            .with_fix(Fix::replace(
                "Remove Trust Server Certificate and use SSL Mode=VerifyFull",
                render(
                    &entries,
                    &[("SSL Mode", "VerifyFull")],
                    &["Trust Server Certificate"],
                ),
            )),
        );
    }
    if let Some(root) = root {
        if matches!(mode, "Prefer" | "Require" | "Allow") {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_ROOT_CERT_UNUSED,
                    format!("Npgsql does not validate the server with `SSL Mode={mode}`, so `Root Certificate` is never used"),
                )
                .at(root.key_span.cover(root.value_span))
                .with_fix(Fix::replace(
                    "Use SSL Mode=VerifyFull",
                    render(&entries, &[("SSL Mode", "VerifyFull")], &["Trust Server Certificate"]),
                )),
            );
        }
    }
    if mode == "VerifyCA" && root.is_none() {
        diagnostics.push(
            Diagnostic::new(
                &RULE_CA_ONLY_SYSTEM_STORE,
                "with `SSL Mode=VerifyCA` and no Root Certificate (nor PGSSLROOTCERT or ~/.postgresql/root.crt), Npgsql validates the chain against the system store and ignores name mismatches",
            )
            .at(mode_span)
            .with_fix(Fix::replace(
                "Use SSL Mode=VerifyFull",
                render(&entries, &[("SSL Mode", "VerifyFull")], &[]),
            )),
        );
    }

    // The libpq equivalent.
    let mut eq = Equivalent::new(Form::KeywordValue, input);
    let names: Vec<&str> = hosts.iter().map(|(h, _)| h.as_str()).collect();
    eq.set(
        "host",
        &names.join(","),
        host_entry.key_span,
        host_entry.value_span,
    );
    let ports: Vec<String> = hosts
        .iter()
        .map(|(_, p)| p.clone().unwrap_or_else(|| default_port.clone()))
        .collect();
    if ports.iter().any(|p| p != "5432") {
        let span = get("Port").map_or(host_entry.value_span, |p| p.value_span);
        eq.set_at("port", &ports.join(","), span);
    }
    for (npgsql_name, libpq_name) in [
        ("Database", "dbname"),
        ("Username", "user"),
        ("Password", "password"),
        ("Passfile", "passfile"),
        ("Application Name", "application_name"),
        ("Options", "options"),
        ("Client Encoding", "client_encoding"),
        ("Kerberos Service Name", "krbsrvname"),
        ("SSL Certificate", "sslcert"),
        ("SSL Key", "sslkey"),
        ("SSL Password", "sslpassword"),
    ] {
        if let Some(e) = get(npgsql_name) {
            eq.set(libpq_name, &e.value, e.key_span, e.value_span);
        }
    }
    for (npgsql_name, libpq_name) in [
        ("SSL Negotiation", "sslnegotiation"),
        ("Channel Binding", "channel_binding"),
    ] {
        if let Some(e) = get(npgsql_name) {
            eq.set(
                libpq_name,
                &e.value.to_ascii_lowercase(),
                e.key_span,
                e.value_span,
            );
        }
    }
    match get("Timeout") {
        Some(t) if t.value.trim() != "0" => {
            eq.set("connect_timeout", t.value.trim(), t.key_span, t.value_span)
        }
        Some(_) => {}
        // NpgsqlConnectionStringBuilder.DefaultTimeout is 15 seconds.
        None => eq.set_implied("connect_timeout", "15"),
    }
    if let Some(e) = get("Search Path") {
        eq.add_server_setting("search_path", &e.value, e.key_span.cover(e.value_span));
    }
    if let Some(e) = get("Timezone") {
        eq.add_server_setting("TimeZone", &e.value, e.key_span.cover(e.value_span));
    }
    if let Some(e) = get("Target Session Attributes") {
        if e.value == "prefer-primary" {
            eq.approximate("`Target Session Attributes=prefer-primary` has no libpq equivalent");
        } else {
            eq.set("target_session_attrs", &e.value, e.key_span, e.value_span);
        }
    }
    if let Some(e) = get("Load Balance Hosts").filter(|e| e.value.eq_ignore_ascii_case("true")) {
        eq.set("load_balance_hosts", "random", e.key_span, e.value_span);
    }
    if let Some(cert) = get("SSL Certificate") {
        let lower = cert.value.to_ascii_lowercase();
        if lower.ends_with(".pfx") || lower.ends_with(".p12") {
            eq.approximate("libpq cannot read a PKCS-12 client certificate; split it into PEM sslcert and sslkey files");
        }
    }
    eq.set_tls(
        tls,
        root.map(|r| (r.value.as_str(), r.value_span)),
        mode_span,
    );
    if refused {
        eq.approximate("Npgsql refuses to open the connection with these settings");
    }

    Outcome {
        valid: true,
        params,
        diagnostics,
        verdict: Some(if refused { Tls::Refused } else { tls }.verdict("Npgsql")),
        equivalent: Some(eq),
        no_equivalent: None,
        hosts: host_targets(&hosts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ado_net_grammar() {
        let Ok(pairs) = parse_pairs(" Host = db ; Password=\"a;\"\"b\" ;; x==y=1;Empty=;") else {
            panic!("parses");
        };
        let got: Vec<(&str, Option<&str>)> = pairs
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("host", Some("db")),
                ("password", Some("a;\"b")),
                ("x=y", Some("1")),
                ("empty", None)
            ]
        );
        assert!(parse_pairs("Host").is_err());
        assert!(parse_pairs("Host='abc").is_err());
        assert!(parse_pairs("Host=abc'").is_err());
    }
}
