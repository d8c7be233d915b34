//! node-postgres (`pg`) connection strings, read by pg-connection-string 2.9 (pg 8.16).
//!
//! Sources: `packages/pg-connection-string/index.js` / `src/index.ts` (`parse`),
//! `packages/pg-connection-string/README.md`, `packages/pg/lib/connection-parameters.js`
//! (`ConnectionParameters`) and `packages/pg/lib/connection.js` (`Connection.connect`), all in
//! <https://github.com/brianc/node-postgres>.

use super::equivalent::Equivalent;
use super::url::{self, text, At, Plus};
use super::{
    is_tls_name, put, Outcome, Tls, RULE_DIALECT_UNSUPPORTED, RULE_MULTIPLE_HOSTS_UNSUPPORTED,
    RULE_PARAM_IGNORED, RULE_PARAM_REJECTED, RULE_SSLMODE_OVERRIDDEN,
};
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::registry::Rule;

pub static RULE_NO_VERIFY: Rule = Rule {
    code: "PGP-DRIVER-016",
    severity: Severity::Warning,
    title: "Certificate verification disabled (no-verify)",
    explanation: "`sslmode=no-verify` (or `ssl=no-verify`) is node-postgres's own value: it \
encrypts but sets `rejectUnauthorized: false`, so any certificate — including one an attacker \
made — is accepted and the host name is not checked. libpq does not know the value at all and \
refuses to connect. Give the server's CA with `sslrootcert` and use `sslmode=verify-full`.",
    references: &[
        "https://github.com/brianc/node-postgres/tree/master/packages/pg-connection-string#tcp-connections",
        "https://node-postgres.com/features/ssl",
    ],
};

pub static RULE_SSLMODE_ALIAS: Rule = Rule {
    code: "PGP-DRIVER-017",
    severity: Severity::Warning,
    title: "sslmode treated as verify-full by node-postgres",
    explanation: "Without `uselibpqcompat=true`, pg-connection-string treats `prefer`, `require` \
and `verify-ca` (and any other value except `disable` and `no-verify`) as `verify-full`: TLS is \
mandatory, the certificate must chain to a CA Node.js trusts (or to `sslrootcert`) and match the \
host name. That is safer than libpq, but a server with a self-signed or private-CA certificate \
fails with `SELF_SIGNED_CERT_IN_CHAIN`, and pg 9 / pg-connection-string 3 will switch these \
values to the weaker libpq meaning. Write `sslmode=verify-full` (with `sslrootcert` for a \
private CA) so the string keeps its meaning across versions.",
    references: &[
        "https://github.com/brianc/node-postgres/blob/master/packages/pg-connection-string/index.js",
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS",
    ],
};

pub static RULE_LIBPQ_COMPAT: Rule = Rule {
    code: "PGP-DRIVER-018",
    severity: Severity::Info,
    title: "uselibpqcompat changes what sslmode means",
    explanation: "`uselibpqcompat=true` gives `sslmode` libpq's meaning: `prefer` and `require` \
no longer verify the server (`require` with `sslrootcert` checks the chain like `verify-ca`), \
and `verify-ca` demands `sslrootcert`. Unlike libpq, node-postgres still never falls back to \
plaintext. Values libpq does not know, such as `no-verify`, get no special meaning and end up as \
full verification. Use `sslmode=verify-full` unless you have a reason to accept less.",
    references: &[
        "https://github.com/brianc/node-postgres/tree/master/packages/pg-connection-string#tcp-connections",
    ],
};

pub static RULE_SSL_STRING: Rule = Rule {
    code: "PGP-DRIVER-019",
    severity: Severity::Warning,
    title: "ssl value node-postgres does not read as intended",
    explanation: "pg-connection-string turns only `ssl=true` and `ssl=1` into `true` and only \
`ssl=0` into `false`. Any other non-empty value — `ssl=false` included — stays a string that \
node-postgres treats as true: TLS with full verification. To turn TLS off write \
`sslmode=disable` (or `ssl=0`); to verify the server write `sslmode=verify-full`.",
    references: &[
        "https://github.com/brianc/node-postgres/blob/master/packages/pg-connection-string/index.js",
        "https://github.com/brianc/node-postgres/blob/master/packages/pg/lib/connection-parameters.js",
    ],
};

/// Query keys node-postgres reads from a connection string (`ConnectionParameters` reads the
/// parsed config object; pg-connection-string consumes the TLS ones).
const KNOWN: &[&str] = &[
    "user",
    "password",
    "host",
    "port",
    "database",
    "client_encoding",
    "options",
    "application_name",
    "fallback_application_name",
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "query_timeout",
    "replication",
    "binary",
    "ssl",
    "sslmode",
    "sslcert",
    "sslkey",
    "sslrootcert",
    "uselibpqcompat",
    "connectionTimeoutMillis",
    "keepAliveInitialDelayMillis",
];

/// What `config.ssl` ends up as.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ssl {
    Unset,
    Bool(bool),
    Text(String),
    Object {
        reject_unauthorized: bool,
        skip_identity: bool,
        ca: bool,
    },
}

impl Ssl {
    fn render(&self) -> String {
        match self {
            Ssl::Unset => "undefined".to_string(),
            Ssl::Bool(b) => b.to_string(),
            Ssl::Text(s) => format!("\"{s}\""),
            Ssl::Object {
                reject_unauthorized,
                skip_identity,
                ca,
            } => {
                let mut fields = Vec::new();
                if *ca {
                    fields.push("ca".to_string());
                }
                if !reject_unauthorized {
                    fields.push("rejectUnauthorized: false".to_string());
                }
                if *skip_identity {
                    fields.push("checkServerIdentity: () => undefined".to_string());
                }
                format!("{{ {} }}", fields.join(", "))
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Value {
    text: String,
    key_span: Span,
    value_span: Span,
}

/// The parsed string: node's config object, with spans.
#[derive(Debug, Default)]
struct Config {
    scheme: String,
    user: Option<Value>,
    password: Option<Value>,
    host: Option<Value>,
    port: Option<Value>,
    database: Option<Value>,
    query: Vec<(String, Value)>,
}

impl Config {
    fn get(&self, key: &str) -> Option<&Value> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn nonempty(&self, key: &str) -> Option<&Value> {
        self.get(key).filter(|v| !v.text.is_empty())
    }

    /// A URL with the same meaning, without secrets, with `set`/`remove` applied.
    fn render(&self, set: &[(&str, &str)], remove: &[&str]) -> String {
        let mut out = format!("{}://", self.scheme);
        if let Some(user) = self.user.as_ref().filter(|u| !u.text.is_empty()) {
            out.push_str(&url::encode(&user.text));
            out.push('@');
        }
        if let Some(host) = &self.host {
            if host.text.contains(':') {
                out.push_str(&format!("[{}]", host.text));
            } else {
                out.push_str(&url::encode(&host.text));
            }
        }
        if let Some(port) = self.port.as_ref().filter(|p| !p.text.is_empty()) {
            out.push(':');
            out.push_str(&port.text);
        }
        out.push('/');
        if let Some(db) = &self.database {
            out.push_str(&url::encode(&db.text));
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (key, value) in &self.query {
            if matches!(key.as_str(), "password" | "host" | "port" | "user")
                || remove.contains(&key.as_str())
            {
                continue;
            }
            put(&mut pairs, key, &value.text);
        }
        for (key, value) in set {
            put(&mut pairs, key, value);
        }
        if !pairs.is_empty() {
            let query: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}={}", url::encode(k), url::encode(v)))
                .collect();
            out.push('?');
            out.push_str(&query.join("&"));
        }
        out
    }
}

/// The pre-pass in `parse`: when the string holds a space or a malformed `%` escape, it is
/// run through `encodeURI` and then `%25dd` is turned back into `%dd` — so only escapes of two
/// decimal digits survive and every other `%` becomes literal.
fn is_mangled(input: &str) -> bool {
    let bytes = input.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b' '
            || (b == b'%'
                && !(bytes.get(i + 1).is_some_and(|c| c.is_ascii_hexdigit())
                    && bytes.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())))
    })
}

fn node_decode(raw: &str, mangled: bool, plus: Plus) -> String {
    if !mangled {
        return url::decode(raw, plus).text;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let digits = (bytes.get(i + 1), bytes.get(i + 2));
        if let (b'%', (Some(h), Some(l))) = (b, digits) {
            if h.is_ascii_digit() && l.is_ascii_digit() {
                out.push((h - b'0') * 16 + (l - b'0'));
                i += 3;
                continue;
            }
        }
        out.push(if b == b'+' && plus == Plus::Space {
            b' '
        } else {
            b
        });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn value(text: String, key_span: Span, value_span: Span) -> Value {
    Value {
        text,
        key_span,
        value_span,
    }
}

/// `parse(str)`.
fn parse_config(input: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Config> {
    // Source: `if (str.charAt(0) === '/')` — "path database" split at spaces.
    if input.starts_with('/') {
        let mut config = Config {
            scheme: "socket".to_string(),
            ..Config::default()
        };
        let mut parts = input.split(' ');
        let host = parts.next().unwrap_or_default();
        let host_span = Span::new(0, host.len());
        config.host = Some(value(host.to_string(), host_span, host_span));
        if let Some(db) = parts.next() {
            let start = host.len() + 1;
            let span = Span::new(start, start + db.len());
            config.database = Some(value(db.to_string(), span, span));
        }
        return Some(config);
    }
    let mangled = is_mangled(input);
    let lower = input.to_ascii_lowercase();
    if lower.starts_with("socket:") {
        // `socket:/path?db=x&encoding=y` or `socket://user:pass@/path?...`.
        let mut config = Config {
            scheme: "socket".to_string(),
            ..Config::default()
        };
        let mut start = "socket:".len();
        if input.get(start..).is_some_and(|r| r.starts_with("//")) {
            start += 2;
            let rest = input.get(start..).unwrap_or_default();
            if let Some(at) = rest.find("@/") {
                let credentials = Span::new(start, start + at);
                let cred_text = text(input, credentials);
                let (user, password) = match cred_text.split_once(':') {
                    Some((u, _)) => (
                        Span::new(start, start + u.len()),
                        Some(Span::new(start + u.len() + 1, start + at)),
                    ),
                    None => (credentials, None),
                };
                config.user = Some(value(
                    node_decode(text(input, user), mangled, Plus::Literal),
                    user,
                    user,
                ));
                config.password = password
                    .map(|p| value(node_decode(text(input, p), mangled, Plus::Literal), p, p));
                start += at + 1;
            }
        }
        let path_end = input
            .get(start..)
            .and_then(|r| r.find(['?', '#']))
            .map_or(input.len(), |i| start + i);
        let path = Span::new(start, path_end);
        config.host = Some(value(
            node_decode(text(input, path), mangled, Plus::Literal),
            path,
            path,
        ));
        if input.as_bytes().get(path_end) == Some(&b'?') {
            let end = input
                .get(path_end..)
                .and_then(|r| r.find('#'))
                .map_or(input.len(), |i| path_end + i);
            for pair in url::pairs(input, Span::new(path_end + 1, end), Plus::Space) {
                if pair.key.is_empty() && !pair.has_equals {
                    continue;
                }
                let v = value(pair.value.clone(), pair.key_span, pair.value_span);
                match pair.key.as_str() {
                    "db" => config.database = Some(v),
                    "encoding" => config.query.push(("client_encoding".to_string(), v)),
                    _ => config.query.push((pair.key, v)),
                }
            }
        }
        return Some(config);
    }
    // Source: `new URL(str, 'postgres://base')`; WHATWG URL takes the credentials up to the last
    // `@` of the authority and treats `#` as the start of a fragment.
    let Some(parts) = url::split_url(input, At::Last, true) else {
        diagnostics.push(
            Diagnostic::new(
                &RULE_DIALECT_UNSUPPORTED,
                "not a URL: node-postgres resolves it against `postgres://base`, so it would connect to a host called `base`; write `postgres://user@host:5432/database`",
            )
            .at(Span::new(0, input.len())),
        );
        return None;
    };
    let mut config = Config {
        scheme: text(input, parts.scheme).to_string(),
        ..Config::default()
    };
    if let Some(user) = parts.user {
        config.user = Some(value(
            node_decode(text(input, user), mangled, Plus::Literal),
            user,
            user,
        ));
    }
    if let Some(password) = parts.password {
        config.password = Some(value(
            node_decode(text(input, password), mangled, Plus::Literal),
            password,
            password,
        ));
    }
    let authority = text(input, parts.authority);
    let hosts = url::host_list(input, parts.authority);
    if hosts.len() > 1 {
        // A comma is allowed in a WHATWG opaque host, so `h1,h2` is one host name; a port
        // before the comma makes the port invalid and the URL throws.
        let invalid_port = hosts
            .iter()
            .take(hosts.len().saturating_sub(1))
            .any(|h| h.port.is_some());
        diagnostics.push(
            Diagnostic::new(
                &RULE_MULTIPLE_HOSTS_UNSUPPORTED,
                if invalid_port {
                    "node-postgres cannot parse a host list: the URL throws `TypeError: Invalid URL`".to_string()
                } else {
                    format!("node-postgres reads `{authority}` as one host name, which does not resolve")
                },
            )
            .at(parts.authority),
        );
        if invalid_port {
            return None;
        }
    }
    // Port: after the last `:` outside brackets; WHATWG accepts only digits up to 65535.
    let (host_span, port_span) = match hosts.as_slice() {
        [one] => (one.host, one.port),
        _ => (parts.authority, None),
    };
    if let Some(port) = port_span {
        let port_text = text(input, port);
        if !(port_text.is_empty() || super::is_port_number(port_text)) {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_DIALECT_UNSUPPORTED,
                    format!("invalid port `{port_text}`: the URL parser throws `TypeError: Invalid URL`"),
                )
                .at(port),
            );
            return None;
        }
        config.port = Some(value(port_text.to_string(), port, port));
    }
    config.host = Some(value(
        node_decode(text(input, host_span), mangled, Plus::Literal),
        host_span,
        host_span,
    ));
    if let Some(path) = parts.path.filter(|p| !p.is_empty()) {
        config.database = Some(value(
            node_decode(text(input, path), mangled, Plus::Literal),
            path,
            path,
        ));
    }
    // `for (const entry of result.searchParams.entries()) config[entry[0]] = entry[1]`:
    // form-urlencoded (`+` is a space), empty elements skipped, the last occurrence wins.
    if let Some(query) = parts.query {
        for pair in url::pairs(input, query, Plus::Space) {
            if pair.span.is_empty() {
                continue;
            }
            let decoded_key = if mangled {
                node_decode(text(input, pair.key_span), true, Plus::Space)
            } else {
                pair.key.clone()
            };
            let decoded_value = if mangled {
                node_decode(text(input, pair.value_span), true, Plus::Space)
            } else {
                pair.value.clone()
            };
            config.query.push((
                decoded_key,
                value(decoded_value, pair.key_span, pair.value_span),
            ));
        }
    }
    // `config.user = config.user || username` — a non-empty query value wins.
    if let Some(v) = config.nonempty("user").cloned() {
        config.user = Some(v);
    }
    if let Some(v) = config.nonempty("password").cloned() {
        config.password = Some(v);
    }
    if let Some(v) = config.nonempty("host").cloned() {
        config.host = Some(v);
    }
    if let Some(v) = config.nonempty("port").cloned() {
        config.port = Some(v);
    }
    Some(config)
}

pub(super) fn parse(input: &str) -> Outcome {
    let mut diagnostics = Vec::new();
    let Some(config) = parse_config(input, &mut diagnostics) else {
        return Outcome::invalid(diagnostics);
    };
    let end = Span::new(input.len(), input.len());
    let socket = config.scheme == "socket";
    let compat = config
        .get("uselibpqcompat")
        .is_some_and(|v| v.text == "true");
    let sslmode = config.nonempty("sslmode");
    let rootcert = config.nonempty("sslrootcert");

    // Source: parse() — ssl: "true"/"1" → true, "0" → false; any of sslcert, sslkey,
    // sslrootcert, sslmode (non-empty) replaces it with {}; then the sslmode switch.
    let raw_ssl = config.get("ssl");
    let mut ssl = match raw_ssl.map(|v| v.text.as_str()) {
        None => Ssl::Unset,
        Some("true" | "1") => Ssl::Bool(true),
        Some("0") => Ssl::Bool(false),
        Some(other) => Ssl::Text(other.to_string()),
    };
    let object_trigger = ["sslcert", "sslkey", "sslrootcert", "sslmode"]
        .into_iter()
        .find(|k| config.nonempty(k).is_some());
    if !socket {
        if let Some(trigger) = object_trigger {
            if let Some(raw) = raw_ssl {
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_SSLMODE_OVERRIDDEN,
                        format!(
                            "`ssl={}` is replaced because `{trigger}` is present: node-postgres builds its TLS options from the ssl* parameters instead",
                            raw.text
                        ),
                    )
                    .at(raw.key_span.cover(raw.value_span)),
                );
            }
            ssl = Ssl::Object {
                reject_unauthorized: true,
                skip_identity: false,
                ca: rootcert.is_some(),
            };
        }
    }
    let mode = sslmode.map(|v| v.text.as_str()).unwrap_or_default();
    if let Ssl::Object {
        reject_unauthorized,
        skip_identity,
        ca,
    } = &mut ssl
    {
        if compat {
            match mode {
                "disable" => ssl = Ssl::Bool(false),
                "prefer" => *reject_unauthorized = false,
                "require" => {
                    if *ca {
                        *skip_identity = true;
                    } else {
                        *reject_unauthorized = false;
                    }
                }
                "verify-ca" => {
                    if !*ca {
                        diagnostics.push(
                            Diagnostic::new(
                                &RULE_PARAM_REJECTED,
                                "pg-connection-string throws: \"SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert\"",
                            )
                            .at(sslmode.map_or(end, |v| v.value_span))
                            .with_fix(Fix::replace(
                                "Use sslmode=verify-full",
                                config.render(&[("sslmode", "verify-full")], &[]),
                            )),
                        );
                        return Outcome::invalid(diagnostics);
                    }
                    *skip_identity = true;
                }
                _ => {}
            }
        } else {
            match mode {
                "disable" => ssl = Ssl::Bool(false),
                "no-verify" => *reject_unauthorized = false,
                _ => {}
            }
        }
    }
    if let Ssl::Text(text) = &ssl {
        if text == "no-verify" {
            ssl = Ssl::Object {
                reject_unauthorized: false,
                skip_identity: false,
                ca: false,
            };
        }
    }

    // Source: Connection.connect — with a truthy `ssl` the client sends SSLRequest and fails on
    // 'N' ("The server does not support SSL connections"): node-postgres never falls back.
    let tls = if socket {
        Tls::Off
    } else {
        match &ssl {
            Ssl::Unset | Ssl::Bool(false) => Tls::Off,
            Ssl::Text(t) if t.is_empty() => Tls::Off,
            Ssl::Bool(true) | Ssl::Text(_) => Tls::RequireFull,
            Ssl::Object {
                reject_unauthorized: false,
                ..
            } => Tls::RequireNoVerify,
            Ssl::Object {
                skip_identity: true,
                ..
            } => Tls::RequireCa,
            Ssl::Object { .. } => Tls::RequireFull,
        }
    };

    // Diagnostics about the TLS parameters.
    let no_verify = (!compat && mode == "no-verify")
        || (object_trigger.is_none() && raw_ssl.is_some_and(|v| v.text == "no-verify"));
    if no_verify && tls == Tls::RequireNoVerify {
        let span = sslmode
            .map(|v| v.key_span.cover(v.value_span))
            .or(raw_ssl.map(|v| v.key_span.cover(v.value_span)))
            .unwrap_or(end);
        diagnostics.push(
            Diagnostic::new(
                &RULE_NO_VERIFY,
                "no-verify encrypts but accepts any server certificate and skips the host-name check",
            )
            .at(span)
            .with_fix(Fix::replace(
                "Verify the server with sslmode=verify-full",
                config.render(&[("sslmode", "verify-full")], &["ssl", "uselibpqcompat"]),
            )),
        );
    }
    if !compat {
        if let Some(v) = sslmode {
            if !matches!(v.text.as_str(), "verify-full" | "disable" | "no-verify") {
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_SSLMODE_ALIAS,
                        format!(
                            "node-postgres treats `sslmode={}` as verify-full: the certificate must chain to a CA Node.js trusts{} and match the host name, or the connection fails",
                            v.text,
                            if rootcert.is_some() { " (here: sslrootcert)" } else { "" }
                        ),
                    )
                    .at(v.value_span)
                    .with_fix(Fix::replace(
                        "Write sslmode=verify-full explicitly",
                        config.render(&[("sslmode", "verify-full")], &[]),
                    )),
                );
            }
        }
    }
    if let Some(flag) = config.get("uselibpqcompat") {
        let (detail, severity) = if flag.text != "true" {
            (
                format!("`uselibpqcompat={}` has no effect: only the exact value `true` switches to libpq semantics", flag.text),
                Severity::Info,
            )
        } else {
            match mode {
                "prefer" | "require" if tls == Tls::RequireNoVerify => (
                    format!("with uselibpqcompat, `sslmode={mode}` encrypts but does not verify the server (node-postgres still never falls back to plaintext)"),
                    Severity::Warning,
                ),
                "no-verify" => (
                    "with uselibpqcompat, `no-verify` is not special: node-postgres verifies the certificate and host name".to_string(),
                    Severity::Info,
                ),
                _ => (
                    format!("with uselibpqcompat, `sslmode={mode}` has libpq's meaning"),
                    Severity::Info,
                ),
            }
        };
        diagnostics.push(
            Diagnostic::new(&RULE_LIBPQ_COMPAT, detail)
                .at(flag.key_span.cover(flag.value_span))
                .with_severity(severity)
                .with_fix(Fix::replace(
                    "Use sslmode=verify-full",
                    config.render(&[("sslmode", "verify-full")], &["uselibpqcompat", "ssl"]),
                )),
        );
    }
    if let (Some(raw), None) = (raw_ssl, object_trigger) {
        if !matches!(raw.text.as_str(), "true" | "1" | "0" | "no-verify" | "") {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_SSL_STRING,
                    format!(
                        "`ssl={}` is a non-empty string, which node-postgres treats as true: TLS with full verification",
                        raw.text
                    ),
                )
                .at(raw.key_span.cover(raw.value_span))
                .with_fix(Fix::replace(
                    "Say what you mean with sslmode (verify-full, or disable to turn TLS off)",
                    config.render(&[("sslmode", "verify-full")], &["ssl"]),
                )),
            );
        }
    }

    // Parameters node-postgres does not read.
    for (key, v) in &config.query {
        if KNOWN.contains(&key.as_str()) || key.is_empty() {
            continue;
        }
        let hint = match key.as_str() {
            "connect_timeout" => "use `connectionTimeoutMillis` (milliseconds)",
            "sslpassword" => "pass the key passphrase in code as `ssl.passphrase`; an encrypted key cannot be used otherwise",
            "keepAlive" => "set `keepAlive: true` in code; the string value is never `true`",
            "target_session_attrs" | "load_balance_hosts" => "node-postgres connects to a single host",
            _ => "node-postgres does not read it",
        };
        let severity = if is_tls_name(key) {
            Severity::Warning
        } else {
            Severity::Info
        };
        diagnostics.push(
            Diagnostic::new(&RULE_PARAM_IGNORED, format!("`{key}` is ignored: {hint}"))
                .at(v.key_span)
                .with_severity(severity)
                .with_fix(Fix::replace(
                    format!("Remove {key}"),
                    config.render(&[], &[key.as_str()]),
                )),
        );
    }

    // What the driver reads.
    let mut params = Vec::new();
    let host_text = config
        .host
        .as_ref()
        .map(|h| h.text.as_str())
        .unwrap_or_default();
    // ConnectionParameters: an empty host falls back to defaults.host, 'localhost'.
    let effective_host = if host_text.is_empty() {
        "localhost"
    } else {
        host_text
    };
    put(&mut params, "host", effective_host);
    put(
        &mut params,
        "port",
        config.port.as_ref().map_or("", |p| p.text.as_str()),
    );
    if let Some(db) = &config.database {
        put(&mut params, "database", &db.text);
    }
    if let Some(user) = &config.user {
        put(&mut params, "user", &user.text);
    }
    if let Some(password) = &config.password {
        put(&mut params, "password", &password.text);
    }
    for (key, v) in &config.query {
        if !matches!(key.as_str(), "user" | "password" | "host" | "port") {
            put(&mut params, key, &v.text);
        }
    }
    put(&mut params, "ssl", &ssl.render());

    // The libpq equivalent.
    let mut eq = Equivalent::new(Form::Uri, input);
    let host_span = config.host.as_ref().map_or(end, |h| h.value_span);
    eq.set_at("host", effective_host, host_span);
    if let Some(port) = config.port.as_ref().filter(|p| !p.text.is_empty()) {
        eq.set("port", &port.text, port.key_span, port.value_span);
    }
    if let Some(db) = config.database.as_ref().filter(|d| !d.text.is_empty()) {
        eq.set("dbname", &db.text, db.key_span, db.value_span);
    }
    if let Some(user) = config.user.as_ref().filter(|u| !u.text.is_empty()) {
        eq.set("user", &user.text, user.key_span, user.value_span);
    }
    if let Some(password) = config.password.as_ref().filter(|p| !p.text.is_empty()) {
        eq.set(
            "password",
            &password.text,
            password.key_span,
            password.value_span,
        );
    }
    for key in [
        "application_name",
        "fallback_application_name",
        "options",
        "client_encoding",
        "replication",
    ] {
        if let Some(v) = config.nonempty(key) {
            eq.set(key, &v.text, v.key_span, v.value_span);
        }
    }
    // Sent as startup parameters by Client.getStartupConf.
    for key in [
        "statement_timeout",
        "lock_timeout",
        "idle_in_transaction_session_timeout",
    ] {
        if let Some(v) = config.nonempty(key) {
            eq.add_server_setting(key, &v.text, v.key_span.cover(v.value_span));
        }
    }
    if tls != Tls::Off {
        for key in ["sslcert", "sslkey"] {
            if let Some(v) = config.nonempty(key) {
                eq.set(key, &v.text, v.key_span, v.value_span);
            }
        }
    }
    let mode_span = sslmode
        .map(|v| v.value_span)
        .or(raw_ssl.map(|v| v.value_span))
        .unwrap_or(end);
    eq.set_tls(
        tls,
        rootcert.map(|v| (v.text.as_str(), v.value_span)),
        mode_span,
    );

    Outcome {
        valid: true,
        params,
        diagnostics,
        verdict: Some(tls.verdict("node-postgres")),
        equivalent: Some(eq),
        no_equivalent: None,
        hosts: Vec::new(),
    }
}
