//! The value checks libpq 18 makes when it connects (`pqConnectOptions2` and the per-host
//! setup in `PQconnectPoll`, `fe-connect.c`), with the same accept/reject and libpq's own
//! messages. `PQconninfoParse` accepts all of these strings; `PQconnectdb` then refuses them.
//!
//! Defaults are applied as `conninfo_add_defaults` would with an empty environment:
//! `sslmode=prefer` (or `verify-full` when `sslrootcert=system`) and
//! `ssl_min_protocol_version=TLSv1.2`. The core never reads the environment.

use super::syntax::Conninfo;
use crate::diagnostic::{Diagnostic, Fix, Span};
use crate::registry::Rule;

pub static RULES: &[&Rule] = &[
    &RULE_HOST_COUNT,
    &RULE_GSSENC_LOCAL_SOCKET,
    &RULE_PORT_COUNT,
    &RULE_BAD_PORT,
    &RULE_BAD_HOSTADDR,
    &RULE_SOCKET_PATH,
    &RULE_REQUIRE_AUTH,
    &RULE_CHANNEL_BINDING,
    &RULE_SCRAM_KEY,
    &RULE_SSLMODE_VALUE,
    &RULE_SSLNEGOTIATION_VALUE,
    &RULE_DIRECT_WEAK_SSLMODE,
    &RULE_SYSTEM_ROOT_WEAK_SSLMODE,
    &RULE_SSLCERTMODE_VALUE,
    &RULE_TLS_VERSION_VALUE,
    &RULE_TLS_VERSION_RANGE,
    &RULE_GSSENCMODE_VALUE,
    &RULE_TARGET_SESSION_ATTRS_VALUE,
    &RULE_LOAD_BALANCE_VALUE,
    &RULE_PROTOCOL_VERSION,
    &RULE_INTEGER_VALUE,
    &RULE_KEEPALIVE_RANGE,
];

/// libpq's `sslmode` (libpq docs §32.19.1, "SSL Mode Descriptions"), weakest first: the order
/// is the protection each gives, so modes compare with `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl std::fmt::Display for SslMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl SslMode {
    pub const ALL: [SslMode; 6] = [
        SslMode::Disable,
        SslMode::Allow,
        SslMode::Prefer,
        SslMode::Require,
        SslMode::VerifyCa,
        SslMode::VerifyFull,
    ];

    /// The value as written in a connection string.
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// The mode `value` names; libpq compares exactly (`sslmode=Require` is rejected).
    pub fn from_name(value: &str) -> Option<SslMode> {
        SslMode::ALL.into_iter().find(|m| m.name() == value)
    }

    /// Every value libpq accepts, for messages listing them.
    pub fn names() -> [&'static str; 6] {
        SslMode::ALL.map(SslMode::name)
    }

    /// The server's certificate is checked against a trusted CA (`verify-ca`, `verify-full`).
    pub fn verifies_server(self) -> bool {
        self >= SslMode::VerifyCa
    }

    /// Without TLS the connection fails (`require` and stronger).
    pub fn requires_tls(self) -> bool {
        self >= SslMode::Require
    }

    /// TLS is tried but the connection may fall back to plaintext (`allow`, `prefer`).
    pub fn may_fall_back(self) -> bool {
        matches!(self, SslMode::Allow | SslMode::Prefer)
    }
}

/// How a host slot will be reached (`pg_conn_host_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum HostKind {
    /// A DNS name or textual IP in `host`.
    Name,
    /// A numeric address in `hostaddr` (no DNS lookup).
    Address,
    /// A Unix-domain socket directory (or a Linux abstract socket `@name`).
    UnixSocket,
    /// Nothing given: libpq's compiled-in default socket directory.
    Default,
}

/// One entry of libpq's host list after `pqConnectOptions2` split `host`, `hostaddr`, `port`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostTarget {
    pub host: Option<String>,
    pub hostaddr: Option<String>,
    /// As written (may be empty, meaning 5432).
    pub port: Option<String>,
    pub kind: HostKind,
}

/// The settings a connection would use once libpq applied its defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    /// `None` when the string names a value libpq rejects.
    pub sslmode: Option<SslMode>,
    pub sslmode_defaulted: bool,
    pub hosts: Vec<HostTarget>,
}

/// `count_comma_separated_elems` / `parse_comma_separated_list`: plain splitting at commas, no
/// trimming; an empty string is one empty element.
fn split_list(value: &str) -> Vec<&str> {
    value.split(',').collect()
}

/// `is_unixsock_path` on a Unix build: an absolute path, or `@name` for an abstract socket.
pub fn is_unix_socket_path(host: &str) -> bool {
    host.starts_with('/') || (host.starts_with('@') && host.len() > 1)
}

fn nonempty<'a>(conninfo: &'a Conninfo, keyword: &str) -> Option<&'a str> {
    conninfo.get_nonempty(keyword)
}

fn value_span(conninfo: &Conninfo, keyword: &str) -> Option<Span> {
    conninfo.param(keyword).map(|p| p.value_span)
}

fn invalid_value(
    rule: &'static Rule,
    conninfo: &Conninfo,
    keyword: &str,
    valid: &[&str],
) -> Diagnostic {
    let value = conninfo.get(keyword).unwrap_or_default();
    Diagnostic::new(
        rule,
        format!(
            "libpq: invalid {keyword} value: \"{value}\". Valid values: {}.",
            valid
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .with_span(value_span(conninfo, keyword))
    .with_fix(value_suggestion(conninfo, keyword, value, valid))
}

/// "Did you mean `require`?" for a case or spelling slip in an enumerated value (`Require`,
/// `verify_full`, `verifyfull`, `requre`), and the values other drivers use for the same
/// meaning (`true` → `require`, `no-verify` → `require`). The replacement is the string with
/// that value corrected, secrets left out.
fn value_suggestion(conninfo: &Conninfo, keyword: &str, value: &str, valid: &[&str]) -> Fix {
    let folded: String = value
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    let squeezed = |s: &str| s.replace('-', "");
    let alias = match (keyword, folded.as_str()) {
        ("sslmode", "true" | "1" | "on" | "yes" | "required" | "no-verify") => Some("require"),
        ("sslmode", "false" | "0" | "off" | "no") => Some("disable"),
        ("sslmode", "verify" | "full" | "verify-identity") => Some("verify-full"),
        _ => None,
    };
    let suggestion = alias.or_else(|| {
        valid
            .iter()
            .find(|v| squeezed(v) == squeezed(&folded))
            .or_else(|| {
                valid
                    .iter()
                    .filter(|v| super::keywords::edit_distance(v, &folded) <= 2)
                    .min_by_key(|v| super::keywords::edit_distance(v, &folded))
            })
            .copied()
    });
    let Some(suggestion) = suggestion else {
        let listed = valid
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Fix::advice(format!("Use one of {listed}"));
    };
    let Some(known) = super::keywords::lookup(keyword) else {
        return Fix::advice(format!("Did you mean `{keyword}={suggestion}`?"));
    };
    // GSSAPI encryption cannot be required over a local socket (PGP-HOST-006): the intended
    // value would fail there, so it is named but not written.
    let local = conninfo.get_nonempty("hostaddr").is_none()
        && conninfo
            .get_nonempty("host")
            .is_none_or(|h| h.split(',').all(is_unix_socket_path));
    if known.name == "gssencmode" && suggestion == "require" && local {
        return Fix::advice(format!(
            "Did you mean `{keyword}={suggestion}`? Over a local socket it fails; use `prefer` there"
        ));
    }
    let mut edits = vec![super::redact::Edit::Set(known.name, suggestion)];
    let mut changes = vec![crate::diagnostic::Change::Set(
        known.name,
        suggestion.to_string(),
    )];
    let mut title = format!("Did you mean `{keyword}={suggestion}`?");
    // Direct negotiation needs `require` or stronger (PGP-SSL-003).
    let weak_mode = !matches!(
        conninfo.get("sslmode"),
        Some("require" | "verify-ca" | "verify-full")
    );
    if known.name == "sslnegotiation" && suggestion == "direct" && weak_mode {
        edits.push(super::redact::Edit::Set("sslmode", "require"));
        changes.push(crate::diagnostic::Change::set("sslmode", "require"));
        title.push_str(" With `sslmode=require`, which direct negotiation needs.");
    }
    Fix::edit(title, super::redact::render_with(conninfo, &edits), changes)
}

rule!(
    RULE_CHANNEL_BINDING,
    "PGP-AUTH-002",
    "Invalid channel_binding value",
    "`channel_binding` accepts `disable`, `prefer` (the default) or `require`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-CHANNEL-BINDING"]
);

rule!(
    RULE_SSLMODE_VALUE,
    "PGP-SSL-001",
    "Invalid sslmode value",
    "`sslmode` accepts `disable`, `allow`, `prefer`, `require`, `verify-ca` and `verify-full` \
(case-sensitive). Values other drivers accept, such as `no-verify`, `true` or `Required`, make \
libpq refuse to connect.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLMODE"]
);

rule!(
    RULE_SSLCERTMODE_VALUE,
    "PGP-SSL-005",
    "Invalid sslcertmode value",
    "`sslcertmode` accepts `disable`, `allow` (the default) or `require`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLCERTMODE"]
);

rule!(
    RULE_GSSENCMODE_VALUE,
    "PGP-PARAM-007",
    "Invalid gssencmode value",
    "`gssencmode` accepts `disable`, `prefer` (the default) or `require`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-GSSENCMODE"]
);

rule!(
    RULE_TARGET_SESSION_ATTRS_VALUE,
    "PGP-PARAM-008",
    "Invalid target_session_attrs value",
    "`target_session_attrs` accepts `any`, `read-write`, `read-only`, `primary`, `standby` and \
`prefer-standby`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-TARGET-SESSION-ATTRS"]
);

rule!(
    RULE_LOAD_BALANCE_VALUE,
    "PGP-PARAM-009",
    "Invalid load_balance_hosts value",
    "`load_balance_hosts` accepts `disable` (the default) or `random`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-LOAD-BALANCE-HOSTS"]
);

/// Every value check, in the order libpq makes them: the first error is the one libpq reports.
///
/// First the option checks of `pqConnectOptions2` (all or nothing: libpq stops at the first
/// failure), then what `PQconnectPoll` finds host by host ([`check_hosts`]).
pub fn check_values(conninfo: &Conninfo) -> (Effective, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let hosts = host_targets(conninfo, &mut out);
    check_require_auth(conninfo, &mut out);
    check_enum(
        conninfo,
        "channel_binding",
        &["disable", "prefer", "require"],
        &RULE_CHANNEL_BINDING,
        &mut out,
    );
    let (sslmode, sslmode_defaulted) = effective_sslmode(conninfo);
    check_enum(
        conninfo,
        "sslmode",
        &SslMode::names(),
        &RULE_SSLMODE_VALUE,
        &mut out,
    );
    check_sslnegotiation(conninfo, sslmode, &mut out);
    check_system_root(conninfo, sslmode, &mut out);
    check_tls_versions(conninfo, &mut out);
    check_enum(
        conninfo,
        "sslcertmode",
        &["disable", "allow", "require"],
        &RULE_SSLCERTMODE_VALUE,
        &mut out,
    );
    check_enum(
        conninfo,
        "gssencmode",
        &["disable", "prefer", "require"],
        &RULE_GSSENCMODE_VALUE,
        &mut out,
    );
    check_enum(
        conninfo,
        "target_session_attrs",
        &[
            "any",
            "read-write",
            "read-only",
            "primary",
            "standby",
            "prefer-standby",
        ],
        &RULE_TARGET_SESSION_ATTRS_VALUE,
        &mut out,
    );
    check_scram_key(conninfo, "scram_client_key", "client", &mut out);
    check_scram_key(conninfo, "scram_server_key", "server", &mut out);
    check_enum(
        conninfo,
        "load_balance_hosts",
        &["disable", "random"],
        &RULE_LOAD_BALANCE_VALUE,
        &mut out,
    );
    check_protocol_versions(conninfo, &mut out);
    check_hosts(&hosts, conninfo, &mut out);
    (
        Effective {
            sslmode,
            sslmode_defaulted,
            hosts,
        },
        out,
    )
}

/// `sslmode` as libpq will use it: the given value, else `verify-full` when
/// `sslrootcert=system` (libpq 17+), else the compiled default `prefer`.
pub fn effective_sslmode(conninfo: &Conninfo) -> (Option<SslMode>, bool) {
    match conninfo.get("sslmode") {
        Some(mode) => (SslMode::from_name(mode), false),
        None if conninfo.get("sslrootcert") == Some("system") => (Some(SslMode::VerifyFull), true),
        None => (Some(SslMode::Prefer), true),
    }
}

fn check_enum(
    conninfo: &Conninfo,
    keyword: &str,
    valid: &[&str],
    rule: &'static Rule,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(value) = conninfo.get(keyword) {
        if !valid.contains(&value) {
            out.push(invalid_value(rule, conninfo, keyword, valid));
        }
    }
}

rule!(
    RULE_HOST_COUNT,
    "PGP-HOST-001",
    "Host and hostaddr lists differ in length",
    "When both `host` and `hostaddr` are given as comma-separated lists, libpq pairs them up \
position by position and refuses to connect when the lists have different lengths.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-HOSTADDR"]
);

rule!(
    RULE_PORT_COUNT,
    "PGP-HOST-002",
    "Port list does not match the host list",
    "`port` may hold one port for every host or exactly one port per host. Any other count makes \
libpq refuse to connect. Note that an empty element (`5432,`) still counts.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-PORT"]
);

/// Splits `host`/`hostaddr`/`port` into host slots exactly as `pqConnectOptions2` does, and
/// reports the list-length mismatches it rejects.
fn host_targets(conninfo: &Conninfo, out: &mut Vec<Diagnostic>) -> Vec<HostTarget> {
    let host = nonempty(conninfo, "host");
    let hostaddr = nonempty(conninfo, "hostaddr");
    let port = nonempty(conninfo, "port");
    let hosts: Vec<&str> = host.map(split_list).unwrap_or_default();
    let addrs: Vec<&str> = hostaddr.map(split_list).unwrap_or_default();
    let slots = if hostaddr.is_some() {
        addrs.len()
    } else if host.is_some() {
        hosts.len()
    } else {
        1
    };
    if host.is_some() && hostaddr.is_some() && hosts.len() != slots {
        out.push(
            Diagnostic::new(
                &RULE_HOST_COUNT,
                format!(
                    "libpq: could not match {} host names to {} hostaddr values",
                    hosts.len(),
                    slots
                ),
            )
            .with_span(value_span(conninfo, "host")),
        );
    }
    let ports: Vec<&str> = port.map(split_list).unwrap_or_default();
    if port.is_some() && ports.len() != 1 && ports.len() != slots {
        out.push(
            Diagnostic::new(
                &RULE_PORT_COUNT,
                format!(
                    "libpq: could not match {} port numbers to {} hosts",
                    ports.len(),
                    slots
                ),
            )
            .with_span(value_span(conninfo, "port")),
        );
    }
    (0..slots)
        .map(|i| {
            let host = hosts.get(i).map(|h| h.to_string());
            let hostaddr = addrs.get(i).map(|a| a.to_string());
            let port = if ports.len() == 1 {
                ports.first()
            } else {
                ports.get(i)
            }
            .map(|p| p.to_string());
            let kind = if hostaddr.as_deref().is_some_and(|a| !a.is_empty()) {
                HostKind::Address
            } else {
                match host.as_deref() {
                    Some(h) if !h.is_empty() && is_unix_socket_path(h) => HostKind::UnixSocket,
                    Some(h) if !h.is_empty() => HostKind::Name,
                    _ => HostKind::Default,
                }
            };
            HostTarget {
                host,
                hostaddr,
                port,
                kind,
            }
        })
        .collect()
}

const AUTH_PASSWORD: u32 = 1 << 3;
const AUTH_MD5: u32 = 1 << 5;
const AUTH_GSS: u32 = 1 << 7;
const AUTH_GSS_CONT: u32 = 1 << 8;
const AUTH_SSPI: u32 = 1 << 9;

rule!(RULE_REQUIRE_AUTH, "PGP-AUTH-001", "Invalid require_auth list",
"`require_auth` is a comma-separated list of `password`, `md5`, `gss`, `sspi`, `scram-sha-256`, \
`oauth` and `none`. Either every element is negated with `!` or none is, and no method may \
appear twice. libpq refuses to connect otherwise.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-REQUIRE-AUTH"]);

/// `require_auth` as `pqConnectOptions2` reads it: all elements negated or none, no
/// duplicates (tracked with libpq's own bit sets so `gss,sspi` is fine but `gss,gss` is not).
fn check_require_auth(conninfo: &Conninfo, out: &mut Vec<Diagnostic>) {
    let Some(list) = nonempty(conninfo, "require_auth") else {
        return;
    };
    let span = value_span(conninfo, "require_auth");
    let fail = |detail: String| Diagnostic::new(&RULE_REQUIRE_AUTH, detail).with_span(span);
    let mut auth_required = true;
    let mut allowed: u32 = 0;
    let mut sasl_scram = false;
    let mut sasl_oauth = false;
    let mut negated = false;
    for (index, part) in split_list(list).into_iter().enumerate() {
        let mut method = part;
        if let Some(rest) = part.strip_prefix('!') {
            if index == 0 {
                auth_required = false;
                allowed = u32::MAX;
                sasl_scram = true;
                sasl_oauth = true;
            } else if !negated {
                out.push(fail(format!(
                    "libpq: negative require_auth method \"{part}\" cannot be mixed with non-negative methods"
                )));
                return;
            }
            negated = true;
            method = rest;
        } else if negated {
            out.push(fail(format!(
                "libpq: require_auth method \"{part}\" cannot be mixed with negative methods"
            )));
            return;
        }
        let duplicate = || {
            fail(format!(
                "libpq: require_auth method \"{part}\" is specified more than once"
            ))
        };
        let bits = match method {
            "password" => AUTH_PASSWORD,
            "md5" => AUTH_MD5,
            "gss" => AUTH_GSS | AUTH_GSS_CONT,
            "sspi" => AUTH_SSPI | AUTH_GSS_CONT,
            "scram-sha-256" | "oauth" => {
                let slot = if method == "oauth" {
                    &mut sasl_oauth
                } else {
                    &mut sasl_scram
                };
                // Negating removes an allowed mechanism; adding one that is there is a repeat.
                if *slot != negated {
                    out.push(duplicate());
                    return;
                }
                *slot = !negated;
                continue;
            }
            "none" => {
                if auth_required == negated {
                    out.push(duplicate());
                    return;
                }
                auth_required = negated;
                continue;
            }
            _ => {
                out.push(fail(format!(
                    "libpq: invalid require_auth value: \"{method}\". Valid methods: `password`, `md5`, `gss`, `sspi`, `scram-sha-256`, `oauth`, `none`, each optionally negated with `!`."
                )));
                return;
            }
        };
        if negated {
            if allowed & bits == 0 {
                out.push(duplicate());
                return;
            }
            allowed &= !bits;
        } else {
            if allowed & bits == bits {
                out.push(duplicate());
                return;
            }
            allowed |= bits;
        }
    }
}

rule!(
    RULE_SSLNEGOTIATION_VALUE,
    "PGP-SSL-002",
    "Invalid sslnegotiation value",
    "`sslnegotiation` accepts `postgres` (the default: ask the server for TLS first) or `direct` \
(start TLS immediately, PostgreSQL 17 and later servers).",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLNEGOTIATION"]
);

rule!(
    RULE_DIRECT_WEAK_SSLMODE,
    "PGP-SSL-003",
    "Direct TLS negotiation with a weak sslmode",
    "`sslnegotiation=direct` requires `sslmode` `require`, `verify-ca` or `verify-full`: with a \
weaker mode a pre-17 server could silently get a plaintext connection. libpq refuses the \
combination, and the default `sslmode` (`prefer`) counts as weak.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLNEGOTIATION"]
);

/// `sslnegotiation` must be `postgres` or `direct`; `direct` needs a mode starting with `r` or
/// `v` (libpq compares only the first letter, after validating the mode).
fn check_sslnegotiation(conninfo: &Conninfo, sslmode: Option<SslMode>, out: &mut Vec<Diagnostic>) {
    let Some(negotiation) = conninfo.get("sslnegotiation") else {
        return;
    };
    if negotiation != "postgres" && negotiation != "direct" {
        out.push(invalid_value(
            &RULE_SSLNEGOTIATION_VALUE,
            conninfo,
            "sslnegotiation",
            &["postgres", "direct"],
        ));
        return;
    }
    let Some(sslmode) = sslmode else {
        // libpq stops at the invalid sslmode before this check.
        return;
    };
    if negotiation == "direct" && !sslmode.requires_tls() {
        let sslmode = sslmode.name();
        out.push(
            Diagnostic::new(
                &RULE_DIRECT_WEAK_SSLMODE,
                format!(
                    "libpq: weak sslmode \"{sslmode}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")"
                ),
            )
            .with_span(value_span(conninfo, "sslnegotiation")),
        );
    }
}

rule!(
    RULE_SYSTEM_ROOT_WEAK_SSLMODE,
    "PGP-SSL-004",
    "sslrootcert=system with a weak sslmode",
    "`sslrootcert=system` trusts every public CA the operating system trusts, which is only safe \
when the host name is checked too. libpq therefore requires `sslmode=verify-full` with it (and \
makes `verify-full` the default when `sslmode` is not set).",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT"]
);

fn check_system_root(conninfo: &Conninfo, sslmode: Option<SslMode>, out: &mut Vec<Diagnostic>) {
    if conninfo.get("sslrootcert") != Some("system") {
        return;
    }
    // An invalid mode is libpq's first complaint; verify-full is the one mode allowed.
    let Some(sslmode) = sslmode.filter(|m| *m != SslMode::VerifyFull) else {
        return;
    };
    let sslmode = sslmode.name();
    out.push(
        Diagnostic::new(
            &RULE_SYSTEM_ROOT_WEAK_SSLMODE,
            format!(
                "libpq: weak sslmode \"{sslmode}\" may not be used with sslrootcert=system (use \"verify-full\")"
            ),
        )
        .with_span(value_span(conninfo, "sslmode").or(value_span(conninfo, "sslrootcert"))),
    );
}

rule!(
    RULE_SCRAM_KEY,
    "PGP-AUTH-003",
    "Invalid SCRAM key",
    "`scram_client_key` and `scram_server_key` are base64-encoded 32-byte SCRAM-SHA-256 keys, as \
used by poolers passing through SCRAM authentication.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SCRAM-CLIENT-KEY"]
);

/// A SCRAM key must decode (`pg_b64_decode`) to exactly 32 bytes (`SCRAM_MAX_KEY_LEN`).
fn check_scram_key(conninfo: &Conninfo, keyword: &str, which: &str, out: &mut Vec<Diagnostic>) {
    let Some(value) = conninfo.get(keyword) else {
        return;
    };
    let detail = match pg_b64_decoded_len(value) {
        None => format!("libpq: invalid SCRAM {which} key"),
        Some(32) => return,
        Some(length) => format!("libpq: invalid SCRAM {which} key length: {length}"),
    };
    out.push(Diagnostic::new(&RULE_SCRAM_KEY, detail).with_span(value_span(conninfo, keyword)));
}

/// The number of bytes PostgreSQL's `pg_b64_decode` produces, or `None` where it fails:
/// whitespace, a symbol outside the alphabet, `=` before the third position of a quantum, or a
/// trailing partial quantum. Once padding was seen, later quanta yield as few bytes as the
/// padded one (the decoder keeps its end state).
fn pg_b64_decoded_len(value: &str) -> Option<usize> {
    let mut position = 0;
    let mut end = 0;
    let mut produced = 0;
    for c in value.bytes() {
        if c == b'=' {
            if end == 0 {
                end = match position {
                    2 => 1,
                    3 => 2,
                    _ => return None,
                };
            }
        } else if !(c.is_ascii_alphanumeric() || c == b'+' || c == b'/') {
            return None;
        }
        position += 1;
        if position == 4 {
            produced += match end {
                0 => 3,
                1 => 1,
                _ => 2,
            };
            position = 0;
        }
    }
    (position == 0).then_some(produced)
}

rule!(RULE_TLS_VERSION_VALUE, "PGP-SSL-006", "Invalid TLS protocol version",
"`ssl_min_protocol_version` and `ssl_max_protocol_version` accept `TLSv1`, `TLSv1.1`, \
`TLSv1.2` and `TLSv1.3` (case-insensitive) or an empty value.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSL-MIN-PROTOCOL-VERSION"]);

rule!(RULE_TLS_VERSION_RANGE, "PGP-SSL-007", "Empty TLS protocol version range",
"`ssl_max_protocol_version` is lower than `ssl_min_protocol_version`. Remember that the minimum \
defaults to `TLSv1.2`, so `ssl_max_protocol_version=TLSv1.1` alone is already an empty range.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSL-MAX-PROTOCOL-VERSION"]);

/// `sslVerifyProtocolVersion` and `sslVerifyProtocolRange`, with the `TLSv1.2` default minimum.
fn check_tls_versions(conninfo: &Conninfo, out: &mut Vec<Diagnostic>) {
    let valid = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
    let is_valid = |v: &str| v.is_empty() || valid.iter().any(|x| x.eq_ignore_ascii_case(v));
    for keyword in ["ssl_min_protocol_version", "ssl_max_protocol_version"] {
        if let Some(value) = conninfo.get(keyword) {
            if !is_valid(value) {
                out.push(
                    Diagnostic::new(
                        &RULE_TLS_VERSION_VALUE,
                        format!(
                            "libpq: invalid \"{keyword}\" value: \"{value}\". Valid values: `TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`."
                        ),
                    )
                    .with_span(value_span(conninfo, keyword)),
                );
                return;
            }
        }
    }
    let min = conninfo
        .get("ssl_min_protocol_version")
        .unwrap_or("TLSv1.2");
    let max = conninfo.get("ssl_max_protocol_version").unwrap_or("");
    if min.is_empty() || max.is_empty() || min.eq_ignore_ascii_case("TLSv1") {
        return;
    }
    let empty_range =
        max.eq_ignore_ascii_case("TLSv1") || min.to_ascii_lowercase() > max.to_ascii_lowercase();
    if empty_range {
        out.push(
            Diagnostic::new(
                &RULE_TLS_VERSION_RANGE,
                format!(
                    "libpq: invalid SSL protocol version range (minimum `{min}`{}, maximum `{max}`)",
                    if conninfo.get("ssl_min_protocol_version").is_none() {
                        " by default"
                    } else {
                        ""
                    }
                ),
            )
            .with_span(
                value_span(conninfo, "ssl_max_protocol_version")
                    .or(value_span(conninfo, "ssl_min_protocol_version")),
            ),
        );
    }
}

rule!(
    RULE_PROTOCOL_VERSION,
    "PGP-PARAM-010",
    "Invalid protocol version setting",
    "`min_protocol_version` and `max_protocol_version` accept `3.0`, `3.2` or `latest`, and the \
minimum may not exceed the maximum.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-MIN-PROTOCOL-VERSION"]
);

/// `pqParseProtocolVersion`: `3.0`, `3.2` or `latest`. The minimum defaults to 3.0; the
/// maximum defaults to 3.0 as well, except that a minimum above 3.0 makes it `latest`
/// (`pqConnectOptions2`). The minimum must not exceed the maximum.
fn check_protocol_versions(conninfo: &Conninfo, out: &mut Vec<Diagnostic>) {
    let parse = |v: &str| match v {
        "latest" | "3.2" => Some(2u8),
        "3.0" => Some(0u8),
        _ => None,
    };
    let mut read = |keyword: &str| -> Result<Option<u8>, ()> {
        let Some(value) = conninfo.get(keyword) else {
            return Ok(None);
        };
        match parse(value) {
            Some(version) => Ok(Some(version)),
            None => {
                out.push(
                    Diagnostic::new(
                        &RULE_PROTOCOL_VERSION,
                        format!(
                            "libpq: invalid {keyword} value: \"{value}\". Valid values: `3.0`, `3.2`, `latest`."
                        ),
                    )
                    .with_span(value_span(conninfo, keyword)),
                );
                Err(())
            }
        }
    };
    let Ok(min) = read("min_protocol_version") else {
        return;
    };
    let Ok(max) = read("max_protocol_version") else {
        return;
    };
    let min = min.unwrap_or(0);
    let max = max.unwrap_or(if min > 0 { 2 } else { 0 });
    if min > max {
        out.push(
            Diagnostic::new(
                &RULE_PROTOCOL_VERSION,
                "libpq: \"min_protocol_version\" is greater than \"max_protocol_version\"",
            )
            .with_span(value_span(conninfo, "min_protocol_version")),
        );
    }
}

/// `pqParseIntParam`: `strtol` semantics — optional leading whitespace and sign, decimal
/// digits, optional trailing whitespace, and the value must fit an `int`.
pub fn parse_c_int(value: &str) -> Option<i64> {
    let bytes = value.as_bytes();
    let mut i = 0;
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    while bytes.get(i).is_some_and(|&b| is_space(b)) {
        i += 1;
    }
    let negative = match bytes.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let digits_start = i;
    let mut number: i64 = 0;
    while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        number = number
            .saturating_mul(10)
            .saturating_add(i64::from(b - b'0'));
        i += 1;
    }
    if i == digits_start {
        return None;
    }
    while bytes.get(i).is_some_and(|&b| is_space(b)) {
        i += 1;
    }
    if i != bytes.len() {
        return None;
    }
    let number = if negative { -number } else { number };
    if number < i64::from(i32::MIN) || number > i64::from(i32::MAX) {
        return None;
    }
    Some(number)
}

/// libpq's compiled-in socket directory (`DEFAULT_PGSOCKET_DIR`) in the psycopg / PGDG builds.
const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

/// `sizeof(sun_path) - 1` on Linux (`UNIXSOCK_PATH_BUFLEN`).
const MAX_SOCKET_PATH: usize = 107;

rule!(
    RULE_GSSENC_LOCAL_SOCKET,
    "PGP-HOST-006",
    "GSSAPI encryption required over a Unix-domain socket",
    "`gssencmode=require` asks for GSSAPI encryption, which only exists over TCP. When a host slot \
is a Unix-domain socket (a directory in `host`, or no host at all, which means libpq's default \
socket directory), libpq stops the connection attempt before it starts with \"GSSAPI \
encryption required but it is not supported over a local socket\". Give a TCP host name, or \
use `gssencmode=prefer` for local connections.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-GSSENCMODE",
     "https://github.com/postgres/postgres/blob/REL_18_STABLE/src/interfaces/libpq/fe-connect.c"]
);

/// What `PQconnectPoll` finds wrong while it works through the host list, when every host is
/// tried (no earlier host accepted the connection). Per host, in libpq's order:
/// - the port: not an integer stops the whole attempt; out of range skips the host;
/// - the address: a `hostaddr` that `getaddrinfo(AI_NUMERICHOST)` rejects, or a Unix-domain
///   socket path longer than `sun_path`, skips the host;
/// - for TCP only, the socket options (`useKeepalives`, `setKeepalivesIdle`, …,
///   `setTCPUserTimeout`): a non-integer skips the address;
/// - once the first TCP connection is under way, `pqConnectDBComplete` parses
///   `connect_timeout`, and a non-integer stops the whole attempt.
///
/// Host names are assumed to resolve (the core does no DNS). Repeated findings are reported once.
/// With `load_balance_hosts=random` nothing stops the walk, since any host may come first.
fn check_hosts(hosts: &[HostTarget], conninfo: &Conninfo, out: &mut Vec<Diagnostic>) {
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut report = |d: Diagnostic| {
        if !found.iter().any(|f| f.detail == d.detail) {
            found.push(d);
        }
    };
    let mut connect_timeout_checked = false;
    // With `load_balance_hosts=random` libpq tries the hosts in a random order, so a host that
    // stops the attempt may come last: every host's problems can show.
    let shuffled = conninfo.get("load_balance_hosts") == Some("random");
    for target in hosts {
        let port = match port_number(target, conninfo) {
            Port::Number(port) => port,
            Port::Skip(d) => {
                report(d);
                continue;
            }
            Port::Stop(d) => {
                report(d);
                if shuffled {
                    continue;
                }
                break;
            }
        };
        if let Some(d) = address_error(target, port, conninfo) {
            report(d);
            continue;
        }
        // fe-connect.c, PQconnectPoll (CONNECTION_NEEDED, ENABLE_GSS): checked per address
        // before connecting; `goto error_return` ends the whole attempt.
        if matches!(target.kind, HostKind::UnixSocket | HostKind::Default)
            && conninfo.get("gssencmode") == Some("require")
        {
            report(
                Diagnostic::new(
                    &RULE_GSSENC_LOCAL_SOCKET,
                    "libpq: GSSAPI encryption required but it is not supported over a local socket",
                )
                .with_span(value_span(conninfo, "gssencmode"))
                .with_fix(Fix::advice(
                    "Connect over TCP (a host name in `host`), or use `gssencmode=prefer` for the local socket",
                )),
            );
            break;
        }
        if !matches!(target.kind, HostKind::Name | HostKind::Address) {
            continue;
        }
        if let Some(d) = socket_option_error(conninfo) {
            report(d);
            continue;
        }
        if !connect_timeout_checked {
            connect_timeout_checked = true;
            if let Some(d) = integer_error(conninfo, "connect_timeout") {
                report(d);
                if shuffled {
                    continue;
                }
                break;
            }
        }
    }
    out.extend(found);
}

/// The port of one host slot as `PQconnectPoll` reads it.
enum Port {
    Number(i64),
    /// libpq notes the problem and goes on with the next host.
    Skip(Diagnostic),
    /// libpq gives up on the whole connection attempt.
    Stop(Diagnostic),
}

rule!(
    RULE_BAD_PORT,
    "PGP-HOST-003",
    "Invalid port number",
    "A port must be a decimal integer from 1 to 65535 (surrounding whitespace is tolerated). A \
non-number stops the connection attempt; an out-of-range number makes libpq skip that host.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-PORT"]
);

/// The port `PQconnectPoll` will use for `target` (5432 when empty).
fn port_number(target: &HostTarget, conninfo: &Conninfo) -> Port {
    let Some(port) = target.port.as_deref().filter(|p| !p.is_empty()) else {
        return Port::Number(5432);
    };
    let span = value_span(conninfo, "port");
    match parse_c_int(port) {
        None => Port::Stop(
            Diagnostic::new(
                &RULE_BAD_PORT,
                format!("libpq: invalid integer value \"{port}\" for connection option \"port\""),
            )
            .with_span(span)
            .with_fix(port_fix()),
        ),
        Some(n) if !(1..=65535).contains(&n) => Port::Skip(
            Diagnostic::new(
                &RULE_BAD_PORT,
                format!("libpq: invalid port number: \"{port}\""),
            )
            .with_span(span)
            .with_fix(port_fix()),
        ),
        Some(n) => Port::Number(n),
    }
}

fn port_fix() -> Fix {
    Fix::advice("Write the port as a whole number from 1 to 65535 (PostgreSQL listens on 5432 unless configured otherwise)")
}

rule!(
    RULE_BAD_HOSTADDR,
    "PGP-HOST-004",
    "hostaddr is not a numeric IP address",
    "`hostaddr` takes IPv4 or IPv6 addresses in numeric form only; names belong in `host`. libpq \
cannot use a host name here and skips the entry.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-HOSTADDR"]
);

rule!(
    RULE_SOCKET_PATH,
    "PGP-HOST-005",
    "Unix-domain socket path too long",
    "libpq connects to `<directory>/.s.PGSQL.<port>` for a socket directory given in `host`, and \
that path must fit the operating system's limit (107 bytes on Linux). With a longer directory \
libpq skips the host. Use a shorter directory, for example through a symbolic link.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-HOST"]
);

/// `hostaddr` is resolved with `AI_NUMERICHOST`; a socket path must fit `sun_path`
/// (`UNIXSOCK_PATH`: `<dir>/.s.PGSQL.<port>`).
fn address_error(target: &HostTarget, port: i64, conninfo: &Conninfo) -> Option<Diagnostic> {
    match target.kind {
        HostKind::Address => {
            let addr = target.hostaddr.as_deref().unwrap_or_default();
            (!is_numeric_host(addr)).then(|| {
                Diagnostic::new(
                    &RULE_BAD_HOSTADDR,
                    format!("libpq: could not parse network address \"{addr}\": Name or service not known"),
                )
                .with_span(value_span(conninfo, "hostaddr"))
            })
        }
        HostKind::UnixSocket | HostKind::Default => {
            let dir = target
                .host
                .as_deref()
                .filter(|h| !h.is_empty())
                .unwrap_or(DEFAULT_SOCKET_DIR);
            let path = format!("{dir}/.s.PGSQL.{port}");
            (raw_len(&path) > MAX_SOCKET_PATH).then(|| {
                Diagnostic::new(
                    &RULE_SOCKET_PATH,
                    format!(
                        "libpq: Unix-domain socket path \"{path}\" is too long (maximum {MAX_SOCKET_PATH} bytes)"
                    ),
                )
                .with_span(value_span(conninfo, "host"))
            })
        }
        HostKind::Name => None,
    }
}

/// The length in bytes libpq sees. Values are stored decoded with `from_utf8_lossy`, so each
/// U+FFFD most likely stands for one percent-encoded byte that is not UTF-8 (`%FF`), not for
/// the three bytes it takes in UTF-8.
fn raw_len(value: &str) -> usize {
    value
        .chars()
        .map(|c| {
            if c == char::REPLACEMENT_CHARACTER {
                1
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

rule!(RULE_KEEPALIVE_RANGE, "PGP-PARAM-012", "TCP keepalive setting out of range",
"libpq passes `keepalives_idle`, `keepalives_interval` and `keepalives_count` to the operating \
system when it opens a TCP connection (a negative value as 0). Linux refuses an idle time or \
interval outside 1 to 32767 seconds and a probe count outside 1 to 127, and libpq then cannot use \
that address (`setsockopt(...) failed: Invalid argument`). Leave the setting out to use the \
system default, or turn keepalives off with `keepalives=0`.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-KEEPALIVES-IDLE"]);

/// The TCP socket options, set on each TCP socket before it connects (`useKeepalives`,
/// `setKeepalivesIdle`, `setKeepalivesInterval`, `setKeepalivesCount`, `setTCPUserTimeout`):
/// `keepalives` first; only when it is on (unset or non-zero) the three keepalive settings and
/// then `tcp_user_timeout`, stopping at the first that is not an integer or that Linux refuses.
fn socket_option_error(conninfo: &Conninfo) -> Option<Diagnostic> {
    if let Some(value) = conninfo.get("keepalives") {
        match parse_c_int(value) {
            None => return integer_error(conninfo, "keepalives"),
            Some(0) => return None,
            Some(_) => {}
        }
    }
    for (keyword, option, max) in [
        ("keepalives_idle", "TCP_KEEPIDLE", 32767),
        ("keepalives_interval", "TCP_KEEPINTVL", 32767),
        ("keepalives_count", "TCP_KEEPCNT", 127),
    ] {
        let Some(value) = conninfo.get(keyword) else {
            continue;
        };
        let Some(number) = parse_c_int(value) else {
            return integer_error(conninfo, keyword);
        };
        // libpq sends a negative value as 0; Linux takes 1 to MAX_TCP_KEEPIDLE (32767) seconds,
        // 1 to MAX_TCP_KEEPINTVL (32767) seconds and 1 to MAX_TCP_KEEPCNT (127) probes.
        if !(1..=max).contains(&number) {
            return Some(
                Diagnostic::new(
                    &RULE_KEEPALIVE_RANGE,
                    format!("libpq: setsockopt({option}) failed: Invalid argument ({keyword}={value}; Linux accepts 1 to {max})"),
                )
                .with_span(value_span(conninfo, keyword)),
            );
        }
    }
    // Linux takes any non-negative TCP_USER_TIMEOUT, and libpq sends a negative value as 0.
    integer_error(conninfo, "tcp_user_timeout")
}

rule!(
    RULE_INTEGER_VALUE,
    "PGP-PARAM-011",
    "Invalid integer value",
    "`connect_timeout`, `keepalives`, `keepalives_idle`, `keepalives_interval`, \
`keepalives_count` and `tcp_user_timeout` must be decimal integers (an empty value is not one). \
libpq reads the keepalive settings and `tcp_user_timeout` when it opens a TCP connection, and \
`connect_timeout` once the first TCP connection is under way; a value that is not an integer \
makes that attempt fail. Over Unix-domain sockets they are not read at all.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT"]
);

/// `pqParseIntParam` on a set value (an empty value is not an integer either).
fn integer_error(conninfo: &Conninfo, keyword: &str) -> Option<Diagnostic> {
    let value = conninfo.get(keyword)?;
    parse_c_int(value).is_none().then(|| {
        Diagnostic::new(
            &RULE_INTEGER_VALUE,
            format!("libpq: invalid integer value \"{value}\" for connection option \"{keyword}\""),
        )
        .with_span(value_span(conninfo, keyword))
    })
}

/// What `getaddrinfo(AI_NUMERICHOST)` accepts: an IPv4 address (glibc also takes the classic
/// `inet_aton` shorthands) or an IPv6 address, optionally with a `%zone` (see [`valid_zone`]).
pub fn is_numeric_host(addr: &str) -> bool {
    if addr.parse::<std::net::Ipv6Addr>().is_ok() {
        return true;
    }
    if let Some((ip, zone)) = addr.split_once('%') {
        return ip
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| valid_zone(ip, zone));
    }
    inet_aton(addr).is_some()
}

/// glibc `__inet6_scopeid_pton`: an interface name for link-local (and node- or link-local
/// multicast) addresses — any name is assumed to exist here — else a decimal number that
/// fits 32 bits.
fn valid_zone(ip: std::net::Ipv6Addr, zone: &str) -> bool {
    let [first, second, ..] = ip.octets();
    let link_local = (first == 0xfe && second & 0xc0 == 0x80)
        || (first == 0xff && matches!(second & 0x0f, 0x01 | 0x02));
    if link_local && !zone.is_empty() {
        return true;
    }
    zone.starts_with(|c: char| c.is_ascii_digit())
        && zone.chars().all(|c| c.is_ascii_digit())
        && zone.parse::<u64>().is_ok_and(|n| n <= u64::from(u32::MAX))
}

/// glibc `inet_aton_exact`: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x), the
/// last part filling the remaining bytes.
fn inet_aton(addr: &str) -> Option<u32> {
    let parts: Vec<&str> = addr.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut values = Vec::with_capacity(parts.len());
    for part in &parts {
        let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or(part.strip_prefix("0X"))
        {
            (hex, 16)
        } else if part.len() > 1 && part.starts_with('0') {
            (part.get(1..).unwrap_or_default(), 8)
        } else {
            (*part, 10)
        };
        // Every part starts with a digit (no sign, no space) and `0x` needs hex digits: glibc
        // checks `isdigit` before its `strtoul` and rejects what `strtoul` leaves over.
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        values.push(u64::from_str_radix(digits, radix).ok()?);
    }
    let (last, leading) = values.split_last()?;
    let mut result: u64 = 0;
    for (i, v) in leading.iter().enumerate() {
        if *v > 255 {
            return None;
        }
        result |= v << (24 - 8 * i);
    }
    let remaining_bits = 32 - 8 * leading.len();
    if *last >= (1u64 << remaining_bits) {
        return None;
    }
    u32::try_from(result | last).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::syntax::parse;

    fn codes(input: &str) -> Vec<&'static str> {
        match parse(input) {
            Ok(conninfo) => check_values(&conninfo).1.iter().map(|d| d.code).collect(),
            Err(e) => vec![e.rule.code],
        }
    }

    #[test]
    fn enumerations() {
        assert_eq!(codes("sslmode=verify-full"), Vec::<&str>::new());
        assert_eq!(codes("sslmode=no-verify"), vec!["PGP-SSL-001"]);
        assert_eq!(codes("sslmode="), vec!["PGP-SSL-001"]);
        assert_eq!(codes("gssencmode=maybe"), vec!["PGP-PARAM-007"]);
        assert_eq!(codes("gssencmode=require"), vec!["PGP-HOST-006"]);
        assert_eq!(
            codes("host=/var/run/postgresql gssencmode=require"),
            vec!["PGP-HOST-006"]
        );
        assert!(codes("host=db.example.com gssencmode=require").is_empty());
        assert_eq!(
            codes("target_session_attrs=readonly"),
            vec!["PGP-PARAM-008"]
        );
    }

    #[test]
    fn negotiation_and_system_roots() {
        assert_eq!(codes("sslnegotiation=direct"), vec!["PGP-SSL-003"]);
        assert_eq!(
            codes("sslnegotiation=direct sslmode=require"),
            Vec::<&str>::new()
        );
        assert_eq!(codes("sslrootcert=system"), Vec::<&str>::new());
        assert_eq!(
            codes("sslrootcert=system sslmode=verify-ca"),
            vec!["PGP-SSL-004"]
        );
    }

    #[test]
    fn require_auth_rules() {
        assert_eq!(
            codes("require_auth=scram-sha-256,gss,sspi"),
            Vec::<&str>::new()
        );
        assert_eq!(codes("require_auth=!password,!md5"), Vec::<&str>::new());
        assert_eq!(codes("require_auth=!password,md5"), vec!["PGP-AUTH-001"]);
        assert_eq!(codes("require_auth=password,!md5"), vec!["PGP-AUTH-001"]);
        assert_eq!(codes("require_auth=md5,md5"), vec!["PGP-AUTH-001"]);
        assert_eq!(codes("require_auth=none,none"), vec!["PGP-AUTH-001"]);
        assert_eq!(codes("require_auth=!none,!none"), vec!["PGP-AUTH-001"]);
        assert_eq!(codes("require_auth=kerberos"), vec!["PGP-AUTH-001"]);
    }

    #[test]
    fn tls_range_uses_default_minimum() {
        assert_eq!(
            codes("ssl_max_protocol_version=TLSv1.1"),
            vec!["PGP-SSL-007"]
        );
        assert_eq!(
            codes("ssl_min_protocol_version=tlsv1 ssl_max_protocol_version=TLSv1.1"),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes("ssl_min_protocol_version=TLSv1.4"),
            vec!["PGP-SSL-006"]
        );
    }

    #[test]
    fn host_lists() {
        assert_eq!(codes("host=a,b hostaddr=127.0.0.1"), vec!["PGP-HOST-001"]);
        assert_eq!(codes("host=a,b,c port=1,2"), vec!["PGP-HOST-002"]);
        assert_eq!(codes("host=a,b port=1"), Vec::<&str>::new());
        assert_eq!(codes("port=0"), vec!["PGP-HOST-003"]);
        assert_eq!(codes("port=' 5432 '"), Vec::<&str>::new());
        assert_eq!(codes("port=54x"), vec!["PGP-HOST-003"]);
        assert_eq!(codes("hostaddr=db.example.com"), vec!["PGP-HOST-004"]);
        assert_eq!(codes("hostaddr=127.1"), Vec::<&str>::new());
    }

    #[test]
    fn scram_keys() {
        let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        assert_eq!(
            codes(&format!("scram_client_key={key}")),
            Vec::<&str>::new()
        );
        assert_eq!(codes("scram_client_key=AAAA"), vec!["PGP-AUTH-003"]);
    }

    fn details(input: &str) -> Vec<String> {
        match parse(input) {
            Ok(conninfo) => check_values(&conninfo)
                .1
                .into_iter()
                .map(|d| d.detail)
                .collect(),
            Err(e) => vec![e.message],
        }
    }

    // Disagreements with libpq 18 found by tests/libpq (one test per fix).

    #[test]
    fn min_protocol_above_3_0_makes_the_default_max_latest() {
        assert_eq!(codes("min_protocol_version=3.2"), Vec::<&str>::new());
    }

    #[test]
    fn hostaddr_message_carries_the_resolver_error() {
        assert_eq!(
            details("hostaddr=foo"),
            vec!["libpq: could not parse network address \"foo\": Name or service not known"]
        );
    }

    #[test]
    fn socket_path_must_fit_sun_path() {
        assert_eq!(
            codes(&format!("host=/{} port=12345", "a".repeat(93))),
            vec!["PGP-HOST-005"]
        );
    }

    #[test]
    fn empty_integer_values_are_not_integers() {
        assert_eq!(codes("keepalives='' host=localhost"), vec!["PGP-PARAM-011"]);
    }

    #[test]
    fn tcp_options_are_not_read_for_unix_sockets() {
        assert_eq!(
            codes("keepalives=x connect_timeout=y host=/tmp"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn keepalives_off_skips_the_other_socket_options() {
        assert_eq!(
            codes("keepalives=0 keepalives_idle=x tcp_user_timeout=y host=h"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn connect_timeout_is_read_only_once_a_tcp_connection_starts() {
        assert_eq!(
            codes("connect_timeout=x hostaddr=foo"),
            vec!["PGP-HOST-004"]
        );
    }

    #[test]
    fn a_non_integer_port_stops_before_later_hosts() {
        assert_eq!(
            details("host=/a,/b port=abc,0"),
            vec!["libpq: invalid integer value \"abc\" for connection option \"port\""]
        );
    }

    #[test]
    fn tls_versions_are_checked_before_sslcertmode() {
        assert_eq!(
            codes("sslcertmode=bad ssl_min_protocol_version=bad"),
            vec!["PGP-SSL-006", "PGP-SSL-005"]
        );
    }

    #[test]
    fn inet_aton_parts_start_with_a_digit() {
        assert!(!is_numeric_host("127.+1") && !is_numeric_host("0x") && is_numeric_host("0x7f.1"));
    }

    #[test]
    fn ipv6_zones_follow_glibc() {
        assert!(
            is_numeric_host("::1%1")
                && !is_numeric_host("::1%lo")
                && is_numeric_host("fe80::1%eth0")
        );
    }

    #[test]
    fn linux_refuses_out_of_range_keepalive_settings() {
        assert_eq!(
            codes("keepalives_count=0 tcp_user_timeout=x host=h"),
            vec!["PGP-PARAM-012"]
        );
    }

    #[test]
    fn socket_path_length_counts_undecodable_bytes_once() {
        let dir = format!("/{}%dd{}", "d".repeat(80), "d".repeat(14));
        assert_eq!(
            codes(&format!("postgresql://localhost:1/db?host={dir}")),
            Vec::<&str>::new()
        );
    }
}
