//! node-postgres (`pg`) connection strings, read by pg-connection-string 2.9 (pg 8.16), with
//! `sslnegotiation` as pg 8.23.1 / pg-connection-string 2.14.1 read it (added in pg 8.22).
//!
//! Sources: `packages/pg-connection-string/index.js` / `src/index.ts` (`parse`),
//! `packages/pg-connection-string/README.md`, `packages/pg/lib/connection-parameters.js`
//! (`ConnectionParameters`) and `packages/pg/lib/connection.js` (`Connection.connect`), all in
//! <https://github.com/brianc/node-postgres>.

use crate::conninfo::driver_keys;
use super::equivalent::Equivalent;
use super::kv::{self, Setting};
use super::reading;
use super::url::{self, text, At, Plus};
use super::{
    ignored, put, put_all, Outcome, Rejection, Tls, RULE_DIALECT_UNSUPPORTED,
    RULE_MULTIPLE_HOSTS_UNSUPPORTED, RULE_PARAM_REJECTED, RULE_SSLMODE_OVERRIDDEN,
    RULE_SYSTEM_ROOT_AS_FILE,
};
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};

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
                if fields.is_empty() {
                    "{}".to_string()
                } else {
                    format!("{{ {} }}", fields.join(", "))
                }
            }
        }
    }
}

/// The pre-pass in `parse`: when the string holds a space or a malformed `%` escape, it is
/// run through `encodeURI` and then `%25dd` is turned back into `%dd` — so only escapes of two
/// decimal digits survive and every other `%` becomes literal.
pub(super) fn is_mangled(input: &str) -> bool {
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
    decode_surviving_escapes(raw, plus, &[])
}

/// `decodeURI`, which pg-connection-string applies to the path (the database): escapes of
/// the characters it reserves (`; / ? : @ & = + $ , #`) stay as written, so `my%23db` names
/// the database `my%23db`. In a string [`is_mangled`] only escapes of two decimal digits are
/// escapes at all.
fn node_decode_uri(raw: &str, mangled: bool) -> String {
    const RESERVED: &[u8] = b";/?:@&=+$,#";
    if mangled {
        return decode_surviving_escapes(raw, Plus::Literal, RESERVED);
    }
    let bytes = raw.as_bytes();
    let mut out = String::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                u8::from_str_radix(raw.get(i + 1..i + 3).unwrap_or_default(), 16).ok()
            }
            _ => None,
        };
        if escaped.is_some_and(|c| RESERVED.contains(&c)) {
            out.push_str(&url::decode(raw.get(start..i).unwrap_or_default(), Plus::Literal).text);
            out.push_str(raw.get(i..i + 3).unwrap_or_default());
            i += 3;
            start = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&url::decode(raw.get(start..).unwrap_or_default(), Plus::Literal).text);
    out
}

/// What a [`is_mangled`] string's component decodes to: `%dd` (two decimal digits) decodes,
/// unless it is one of `keep`; every other `%` is literal.
fn decode_surviving_escapes(raw: &str, plus: Plus, keep: &[u8]) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let digits = (bytes.get(i + 1), bytes.get(i + 2));
        if let (b'%', (Some(h), Some(l))) = (b, digits) {
            let byte = (h.is_ascii_digit() && l.is_ascii_digit())
                .then(|| (h - b'0') * 16 + (l - b'0'))
                .filter(|byte| !keep.contains(byte));
            if let Some(byte) = byte {
                out.push(byte);
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

/// The parsed string: node's config object, with spans.
#[derive(Debug, Default)]
struct Config {
    scheme: String,
    user: Option<Setting>,
    password: Option<Setting>,
    host: Option<Setting>,
    port: Option<Setting>,
    database: Option<Setting>,
    /// `searchParams`, every occurrence (the last one wins).
    query: Vec<Setting>,
    /// For each of `query`, whether it is the rest of a secret that an unencoded `&` cut
    /// (`kv::secret_tails`): a rendering leaves it out with the secret.
    query_tails: Vec<bool>,
    /// A URL's host list, and whether it names several hosts (one opaque name to WHATWG).
    authority: Option<Span>,
    several_hosts: bool,
    /// The query as written, for writing a value again as the user wrote it
    /// ([`reading::WrittenQuery`]).
    written: reading::WrittenQuery,
}

impl Config {
    fn get(&self, key: &str) -> Option<&Setting> {
        kv::get(&self.query, key)
    }

    fn nonempty(&self, key: &str) -> Option<&Setting> {
        kv::get_nonempty(&self.query, key)
    }

    /// `socket:` URLs and `/path database` strings: a Unix-domain socket.
    fn socket(&self) -> bool {
        self.scheme == "socket"
    }

    /// `uselibpqcompat=true` (exactly) gives `sslmode` libpq's meaning.
    fn compat(&self) -> bool {
        self.get("uselibpqcompat")
            .is_some_and(|v| v.value == "true")
    }

    fn sslmode(&self) -> Option<&Setting> {
        self.nonempty("sslmode")
    }

    /// The `sslmode` value, empty when absent.
    fn mode(&self) -> &str {
        self.sslmode().map(|v| v.value.as_str()).unwrap_or_default()
    }

    fn rootcert(&self) -> Option<&Setting> {
        self.nonempty("sslrootcert")
    }

    /// The first ssl* parameter that replaces `ssl` with a TLS options object.
    fn object_trigger(&self) -> Option<&'static str> {
        ["sslcert", "sslkey", "sslrootcert", "sslmode"]
            .into_iter()
            .find(|k| self.nonempty(k).is_some())
    }

    /// A URL with the same meaning, without secrets, with `set`/`remove` applied.
    fn render(&self, set: &[(&str, &str)], remove: &[&str]) -> String {
        let mut out = format!("{}://", self.scheme);
        if let Some(user) = self.user.as_ref().filter(|u| !u.value.is_empty()) {
            out.push_str(&url::encode(&user.value));
            out.push('@');
        }
        if let Some(host) = &self.host {
            if host.value.contains(':') {
                out.push_str(&format!("[{}]", host.value));
            } else {
                out.push_str(&url::encode(&host.value));
            }
        }
        if let Some(port) = self.port.as_ref().filter(|p| !p.value.is_empty()) {
            out.push(':');
            out.push_str(&port.value);
        }
        out.push('/');
        if let Some(db) = &self.database {
            out.push_str(&url::encode(&db.value));
        }
        let kept = self.query.iter().enumerate().filter(|(at, s)| {
            // Every secret is left out, not only `password`: the values are written again
            // from their decoded form, which no mask of the input matches (an outside review
            // saw `sslpassword=Zq9X%zz…` shown as `Zq9X%25zz…`).
            !(matches!(s.key.as_str(), "host" | "port" | "user")
                || crate::conninfo::embedded::secret_key(&s.key)
                || remove.contains(&s.key.as_str())
                || self.query_tails.get(*at).copied().unwrap_or(false))
        });
        let pairs = put_all(
            kept.map(|(_, s)| (s.key.as_str(), s.value.as_str()))
                .chain(set.iter().copied()),
        );
        if !pairs.is_empty() {
            let query: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}={}", url::encode(k), self.written.encoded(v)))
                .collect();
            out.push('?');
            out.push_str(&query.join("&"));
        }
        out
    }
}

pub(super) fn parse(input: &str) -> Outcome {
    let config = match read(input) {
        Ok(config) => config,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    if let Some(rejection) = system_root(&config) {
        return Outcome::invalid(vec![rejection]);
    }
    let mut diagnostics = Vec::new();
    check_one_host(input, &config, &mut diagnostics);
    let ssl = check_ssl_replaced(&config, written_ssl(&config), &mut diagnostics);
    let ssl = direct_implies_ssl(&config, ssl);
    let ssl = match apply_sslmode(input, &config, ssl)
        .and_then(|ssl| check_sslnegotiation(&config, ssl))
    {
        Ok(ssl) => no_verify_string(ssl),
        Err(rejection) => {
            // pg-connection-string throws: what was found so far stays.
            diagnostics.push(*rejection);
            return Outcome::invalid(diagnostics);
        }
    };
    let tls = tls(&config, &ssl);
    check_no_verify(input, &config, tls, &mut diagnostics);
    check_sslmode_alias(&config, &mut diagnostics);
    check_libpq_compat(&config, tls, &mut diagnostics);
    check_ssl_string(&config, &mut diagnostics);
    check_ignored(input, &config, &mut diagnostics);
    check_escapes_read_literally(input, &config, &mut diagnostics);
    Outcome {
        valid: true,
        params: params(&config, &ssl),
        diagnostics,
        verdict: Some(tls.verdict("node-postgres")),
        equivalent: Some(equivalent(input, &config, tls)),
        no_equivalent: None,
        hosts: Vec::new(),
    }
}

/// `sslrootcert=system` is libpq 16's word for the operating system's CAs; pg-connection-string
/// reads every `sslrootcert` with `fs.readFileSync` while parsing (2.14.1 `index.js`: `config.ssl.ca
/// = fs.readFileSync(config.sslrootcert)`), so the parse throws ENOENT for `system`. Node.js's
/// own CA store, which a verifying `ssl` object uses without `ca`, is what `system` meant.
fn system_root(config: &Config) -> Option<Diagnostic> {
    let root = config.rootcert().filter(|r| r.value == "system")?;
    Some(
        Diagnostic::new(
            &RULE_SYSTEM_ROOT_AS_FILE,
            "pg-connection-string reads `sslrootcert` as a file while parsing and throws: \"ENOENT: no such file or directory, open 'system'\"",
        )
        .at(root.value_span)
        .with_fix(Fix::replace(
            "Trust Node.js's own CA store: remove sslrootcert",
            config.render(&[], &["sslrootcert"]),
        )),
    )
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// `parse(str)`.
fn read(input: &str) -> Result<Config, Rejection> {
    // Source: `if (str.charAt(0) === '/')` — "path database" split at spaces.
    if input.starts_with('/') {
        return Ok(read_socket_path(input));
    }
    let mangled = is_mangled(input);
    if input.to_ascii_lowercase().starts_with("socket:") {
        return Ok(read_socket_url(input, mangled));
    }
    read_url(input, mangled)
}

/// `/path database`: the socket directory and the database, split at spaces.
fn read_socket_path(input: &str) -> Config {
    let mut config = Config {
        scheme: "socket".to_string(),
        ..Config::default()
    };
    let mut parts = input.split(' ');
    let host = parts.next().unwrap_or_default();
    config.host = Some(Setting::part("host", host, Span::new(0, host.len())));
    if let Some(db) = parts.next() {
        let start = host.len() + 1;
        config.database = Some(Setting::part(
            "database",
            db,
            Span::new(start, start + db.len()),
        ));
    }
    config
}

/// `socket:/path?db=x&encoding=y` or `socket://user:pass@/path?...`.
fn read_socket_url(input: &str, mangled: bool) -> Config {
    let mut config = Config {
        scheme: "socket".to_string(),
        ..Config::default()
    };
    let decoded = |key: &str, span: Span| {
        Setting::part(
            key,
            node_decode(text(input, span), mangled, Plus::Literal),
            span,
        )
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
            config.user = Some(decoded("user", user));
            config.password = password.map(|p| decoded("password", p));
            start += at + 1;
        }
    }
    let path_end = input
        .get(start..)
        .and_then(|r| r.find(['?', '#']))
        .map_or(input.len(), |i| start + i);
    config.host = Some(decoded("host", Span::new(start, path_end)));
    if input.as_bytes().get(path_end) == Some(&b'?') {
        let end = input
            .get(path_end..)
            .and_then(|r| r.find('#'))
            .map_or(input.len(), |i| path_end + i);
        for pair in url::pairs(input, Span::new(path_end + 1, end), Plus::Space) {
            if pair.key.is_empty() && !pair.has_equals {
                continue;
            }
            let mut setting = pair.into_setting();
            match setting.key.as_str() {
                "db" => config.database = Some(setting),
                "encoding" => {
                    setting.key = "client_encoding".to_string();
                    config.query.push(setting);
                }
                _ => config.query.push(setting),
            }
        }
    }
    config
}

/// Source: `new URL(str, 'postgres://base')`; WHATWG URL takes the credentials up to the last
/// `@` of the authority and treats `#` as the start of a fragment.
fn read_url(input: &str, mangled: bool) -> Result<Config, Rejection> {
    let Some(parts) = url::split_url(input, At::Last, true) else {
        return Err(Box::new(
            Diagnostic::new(
                &RULE_DIALECT_UNSUPPORTED,
                "not a URL: node-postgres resolves it against `postgres://base`, so it would connect to a host called `base`; write `postgres://user@host:5432/database`",
            )
            .at(Span::new(0, input.len())),
        ));
    };
    let decoded = |key: &str, span: Span| {
        Setting::part(
            key,
            node_decode(text(input, span), mangled, Plus::Literal),
            span,
        )
    };
    let hosts = url::host_list(input, parts.authority);
    check_host_list_ports(&hosts, parts.authority)?;
    // Port: after the last `:` outside brackets; WHATWG accepts only digits up to 65535.
    let (host_span, port_span) = match hosts.as_slice() {
        [one] => (one.host, one.port),
        _ => (parts.authority, None),
    };
    let port = check_port(input, port_span)?;
    let mut config = Config {
        scheme: text(input, parts.scheme).to_string(),
        user: parts.user.map(|s| decoded("user", s)),
        password: parts.password.map(|s| decoded("password", s)),
        host: Some(decoded("host", host_span)),
        port,
        database: parts.path.filter(|p| !p.is_empty()).map(|s| {
            Setting::part("database", node_decode_uri(text(input, s), mangled), s)
        }),
        query: parts
            .query
            .map(|q| read_query(input, q, mangled))
            .unwrap_or_default(),
        authority: Some(parts.authority),
        several_hosts: hosts.len() > 1,
        written: reading::WrittenQuery::of(input),
        ..Config::default()
    };
    config.query_tails = kv::secret_tails(input, &config.query);
    // `config.user = config.user || username` — a non-empty query value wins.
    for (key, field) in [
        ("user", &mut config.user),
        ("password", &mut config.password),
        ("host", &mut config.host),
        ("port", &mut config.port),
    ] {
        if let Some(v) = kv::get_nonempty(&config.query, key) {
            *field = Some(v.clone());
        }
    }
    Ok(config)
}

/// A comma is allowed in a WHATWG opaque host, so `h1,h2` is one host name; a port before the
/// comma makes the port invalid and the URL throws.
fn check_host_list_ports(hosts: &[url::HostPort], authority: Span) -> Result<(), Rejection> {
    if url::port_inside_host_list(hosts) {
        return Err(Box::new(
            Diagnostic::new(
                &RULE_MULTIPLE_HOSTS_UNSUPPORTED,
                "node-postgres cannot parse a host list: the URL throws `TypeError: Invalid URL`",
            )
            .at(authority),
        ));
    }
    Ok(())
}

/// WHATWG URL: a port is digits up to 65535, else `TypeError: Invalid URL`. The port, when
/// one is written (possibly empty).
fn check_port(input: &str, port_span: Option<Span>) -> Result<Option<Setting>, Rejection> {
    let Some(port) = port_span else {
        return Ok(None);
    };
    let port_text = text(input, port);
    if !(port_text.is_empty() || super::is_port_number(port_text)) {
        let port_text = super::quotable(input, port, port_text);
        return Err(Box::new(
            Diagnostic::new(
                &RULE_DIALECT_UNSUPPORTED,
                format!(
                    "invalid port `{port_text}`: the URL parser throws `TypeError: Invalid URL`"
                ),
            )
            .at(port),
        ));
    }
    Ok(Some(Setting::part("port", port_text, port)))
}

/// `for (const entry of result.searchParams.entries()) config[entry[0]] = entry[1]`:
/// form-urlencoded (`+` is a space), empty elements skipped, the last occurrence wins.
fn read_query(input: &str, query: Span, mangled: bool) -> Vec<Setting> {
    url::pairs(input, query, Plus::Space)
        .into_iter()
        .filter(|pair| !pair.span.is_empty())
        .map(|pair| {
            let mut setting = pair.into_setting();
            if mangled {
                setting.key = node_decode(text(input, setting.key_span), true, Plus::Space);
                setting.value = node_decode(text(input, setting.value_span), true, Plus::Space);
            }
            setting
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Checks.

rule!(
    RULE_ESCAPES_READ_LITERALLY,
    "PGP-DRIVER-030",
    Error,
    "node-postgres reads percent escapes in this string literally",
    "When a connection string holds a space or a `%` that starts no escape, node-postgres's \
parser (pg-connection-string) first runs the whole string through `encodeURI` and then turns \
back only the escapes made of two decimal digits (`%20`, `%40`). Every other escape (`%3F`, \
`%2F`, `%3A`, `%5B`, `%3D`) is then read as its three characters: a password written `ab%3Fcd` \
is sent as `ab%3Fcd` and authentication fails, an `options` value loses its `=`. Write spaces \
as `%20` and a literal `%` as `%25`; then every escape is read.",
    ["https://github.com/brianc/node-postgres/blob/master/packages/pg-connection-string/index.js"]
);

/// pg-connection-string 2.x `parse` (checked with 2.14.1): `/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i`
/// triggers `encodeURI(str).replace(/%25(\d\d)/g, '%$1')`, after which only `%dd` escapes
/// decode. One finding per component holding an escape that is then read literally; a
/// password's escape is not quoted.
fn check_escapes_read_literally(input: &str, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    if !is_mangled(input) {
        return;
    }
    let trigger = if input.contains(' ') {
        "a space"
    } else {
        "a `%` that starts no escape"
    };
    let components = [&config.user, &config.password, &config.database]
        .into_iter()
        .flatten()
        .map(|s| (s.key.as_str(), s.span))
        .chain(config.query.iter().map(|s| (s.key.as_str(), s.value_span)));
    for (name, span) in components {
        let raw = text(input, span);
        let Some(at) = first_literal_escape(raw) else {
            continue;
        };
        let escape = raw.get(at..at + 3).unwrap_or_default();
        let shown = if name == "password" {
            "an escape".to_string()
        } else {
            format!("`{escape}`")
        };
        diagnostics.push(
            Diagnostic::new(
                &RULE_ESCAPES_READ_LITERALLY,
                format!(
                    "The string holds {trigger}, so node-postgres re-encodes it before reading it and {shown} in `{name}` is read as its three characters, not as the character it encodes."
                ),
            )
            .at(Span::new(span.start + at, span.start + at + 3))
            .with_fix(Fix::advice(
                "Write each space as `%20` and each literal `%` as `%25`, so that node-postgres reads every escape",
            )),
        );
    }
}

/// Where `raw` holds an escape of two hex digits that are not both decimal.
fn first_literal_escape(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    bytes.iter().enumerate().position(|(i, &b)| {
        b == b'%'
            && matches!((bytes.get(i + 1), bytes.get(i + 2)), (Some(h), Some(l))
                if h.is_ascii_hexdigit() && l.is_ascii_hexdigit()
                    && !(h.is_ascii_digit() && l.is_ascii_digit()))
    })
}

/// A comma is allowed in a WHATWG opaque host: node-postgres reads a host list as one name.
fn check_one_host(input: &str, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let Some(authority) = config.authority.filter(|_| config.several_hosts) else {
        return;
    };
    diagnostics.push(
        Diagnostic::new(
            &RULE_MULTIPLE_HOSTS_UNSUPPORTED,
            format!(
                "node-postgres reads `{}` as one host name, which does not resolve",
                text(input, authority)
            ),
        )
        .at(authority),
    );
}

/// Source: parse() — `ssl`: "true"/"1" → true, "0" → false, anything else stays a string.
fn written_ssl(config: &Config) -> Ssl {
    match config.get("ssl").map(|v| v.value.as_str()) {
        None => Ssl::Unset,
        Some("true" | "1") => Ssl::Bool(true),
        Some("0") => Ssl::Bool(false),
        Some(other) => Ssl::Text(other.to_string()),
    }
}

/// Source: parse() — any of sslcert, sslkey, sslrootcert, sslmode (non-empty) replaces `ssl`
/// with a TLS options object built from them (not for a socket). The `ssl` then in effect.
fn check_ssl_replaced(config: &Config, ssl: Ssl, diagnostics: &mut Vec<Diagnostic>) -> Ssl {
    let Some(trigger) = config.object_trigger().filter(|_| !config.socket()) else {
        return ssl;
    };
    if let Some(raw) = config.get("ssl") {
        diagnostics.push(
            Diagnostic::new(
                &RULE_SSLMODE_OVERRIDDEN,
                format!(
                    "`ssl={}` is replaced because `{trigger}` is present: node-postgres builds its TLS options from the ssl* parameters instead",
                    raw.value
                ),
            )
            .at(raw.pair_span()),
        );
    }
    Ssl::Object {
        reject_unauthorized: true,
        skip_identity: false,
        ca: config.rootcert().is_some(),
    }
}

/// Source: pg-connection-string 2.14.1 `parse()` (index.js:81-85) — `sslnegotiation=direct`
/// turns TLS on when nothing else has set `ssl`.
fn direct_implies_ssl(config: &Config, ssl: Ssl) -> Ssl {
    match ssl {
        Ssl::Unset if config.get("sslnegotiation").is_some_and(|v| v.value == "direct") => {
            Ssl::Bool(true)
        }
        ssl => ssl,
    }
}

/// Source: pg 8.23.1 `ConnectionParameters` (connection-parameters.js:104-112) throws on a
/// value other than `postgres` or `direct`, and on `direct` without TLS (`sslmode=disable`,
/// `ssl=0`).
fn check_sslnegotiation(config: &Config, ssl: Ssl) -> Result<Ssl, Rejection> {
    let Some(negotiation) = config.get("sslnegotiation") else {
        return Ok(ssl);
    };
    let problem = match negotiation.value.as_str() {
        "postgres" => return Ok(ssl),
        "direct" if tls(config, &ssl) != Tls::Off => return Ok(ssl),
        "direct" => "pg throws: sslnegotiation=direct requires SSL to be enabled".to_string(),
        other => format!(
            r#"pg throws: Invalid sslnegotiation value: "{other}". Valid values are "postgres" and "direct"."#
        ),
    };
    Err(Box::new(
        Diagnostic::new(&RULE_PARAM_REJECTED, problem)
            .at(negotiation.value_span)
            .with_fix(Fix::replace(
                "Remove sslnegotiation (the usual SSLRequest handshake)",
                config.render(&[], &["sslnegotiation"]),
            )),
    ))
}

/// Source: parse() — the `sslmode` switch on the options object. With `uselibpqcompat`,
/// libpq's meanings (and `verify-ca` without `sslrootcert` throws); without, only `disable`
/// and `no-verify` change anything.
fn apply_sslmode(input: &str, config: &Config, ssl: Ssl) -> Result<Ssl, Rejection> {
    let Ssl::Object {
        reject_unauthorized,
        skip_identity,
        ca,
    } = ssl
    else {
        return Ok(ssl);
    };
    let object = |reject_unauthorized, skip_identity| Ssl::Object {
        reject_unauthorized,
        skip_identity,
        ca,
    };
    if !config.compat() {
        return Ok(match config.mode() {
            "disable" => Ssl::Bool(false),
            "no-verify" => object(false, skip_identity),
            _ => ssl,
        });
    }
    Ok(match config.mode() {
        "disable" => Ssl::Bool(false),
        "prefer" => object(false, skip_identity),
        "require" if ca => object(reject_unauthorized, true),
        "require" => object(false, skip_identity),
        "verify-ca" if !ca => {
            return Err(Box::new(
                Diagnostic::new(
                    &RULE_PARAM_REJECTED,
                    "pg-connection-string throws: \"SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert\"",
                )
                .at(config
                    .sslmode()
                    .map_or(Span::new(input.len(), input.len()), |v| v.value_span))
                .with_fix(Fix::replace(
                    "Use sslmode=verify-full",
                    config.render(&[("sslmode", "verify-full")], &[]),
                )),
            ))
        }
        "verify-ca" => object(reject_unauthorized, true),
        _ => ssl,
    })
}

/// Source: parse() — `ssl=no-verify` becomes `{ rejectUnauthorized: false }`.
fn no_verify_string(ssl: Ssl) -> Ssl {
    match ssl {
        Ssl::Text(text) if text == "no-verify" => Ssl::Object {
            reject_unauthorized: false,
            skip_identity: false,
            ca: false,
        },
        other => other,
    }
}

/// Source: Connection.connect — with a truthy `ssl` the client sends SSLRequest and fails on
/// 'N' ("The server does not support SSL connections"): node-postgres never falls back.
fn tls(config: &Config, ssl: &Ssl) -> Tls {
    if config.socket() {
        return Tls::Off;
    }
    match ssl {
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
}

rule!(
    RULE_NO_VERIFY,
    "PGP-DRIVER-016",
    Warning,
    "Certificate verification disabled (no-verify)",
    "`sslmode=no-verify` (or `ssl=no-verify`) is node-postgres's own value: it \
encrypts but sets `rejectUnauthorized: false`, so any certificate — including one an attacker \
made — is accepted and the host name is not checked. libpq does not know the value at all and \
refuses to connect. Give the server's CA with `sslrootcert` and use `sslmode=verify-full`.",
    [
        "https://github.com/brianc/node-postgres/tree/master/packages/pg-connection-string#tcp-connections",
        "https://node-postgres.com/features/ssl",
    ]
);

/// `no-verify` (as `sslmode`, or as `ssl` when no ssl* parameter replaces it) sets
/// `rejectUnauthorized: false`.
fn check_no_verify(input: &str, config: &Config, tls: Tls, diagnostics: &mut Vec<Diagnostic>) {
    let raw_ssl = config.get("ssl");
    let no_verify = (!config.compat() && config.mode() == "no-verify")
        || (config.object_trigger().is_none() && raw_ssl.is_some_and(|v| v.value == "no-verify"));
    if !no_verify || tls != Tls::RequireNoVerify {
        return;
    }
    let span = config
        .sslmode()
        .or(raw_ssl)
        .map_or(Span::new(input.len(), input.len()), Setting::pair_span);
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

rule!(
    RULE_SSLMODE_ALIAS,
    "PGP-DRIVER-017",
    Warning,
    "sslmode treated as verify-full by node-postgres",
    "Without `uselibpqcompat=true`, pg-connection-string treats `prefer`, `require` \
and `verify-ca` (and any other value except `disable` and `no-verify`) as `verify-full`: TLS is \
mandatory, the certificate must chain to a CA Node.js trusts (or to `sslrootcert`) and match the \
host name. That is safer than libpq, but a server with a self-signed or private-CA certificate \
fails with `SELF_SIGNED_CERT_IN_CHAIN`, and pg 9 / pg-connection-string 3 will switch these \
values to the weaker libpq meaning. Write `sslmode=verify-full` (with `sslrootcert` for a \
private CA) so the string keeps its meaning across versions.",
    [
        "https://github.com/brianc/node-postgres/blob/master/packages/pg-connection-string/index.js",
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS",
    ]
);

/// Source: parse() — without `uselibpqcompat`, every `sslmode` but `disable` and `no-verify`
/// is full verification.
fn check_sslmode_alias(config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    if config.compat() {
        return;
    }
    let Some(v) = config.sslmode() else {
        return;
    };
    if matches!(v.value.as_str(), "verify-full" | "disable" | "no-verify") {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_SSLMODE_ALIAS,
            format!(
                "node-postgres treats `sslmode={}` as verify-full: the certificate must chain to a CA Node.js trusts{} and match the host name, or the connection fails",
                v.value,
                if config.rootcert().is_some() { " (here: sslrootcert)" } else { "" }
            ),
        )
        .at(v.value_span)
        .with_fix(Fix::replace(
            "Write sslmode=verify-full explicitly",
            config.render(&[("sslmode", "verify-full")], &[]),
        )),
    );
}

rule!(
    RULE_LIBPQ_COMPAT,
    "PGP-DRIVER-018",
    Info,
    "uselibpqcompat changes what sslmode means",
    "`uselibpqcompat=true` gives `sslmode` libpq's meaning: `prefer` and `require` \
no longer verify the server (`require` with `sslrootcert` checks the chain like `verify-ca`), \
and `verify-ca` demands `sslrootcert`. Unlike libpq, node-postgres still never falls back to \
plaintext. Values libpq does not know, such as `no-verify`, get no special meaning and end up as \
full verification. Use `sslmode=verify-full` unless you have a reason to accept less.",
    [
        "https://github.com/brianc/node-postgres/tree/master/packages/pg-connection-string#tcp-connections",
    ]
);

/// Source: parse() — only the exact value `uselibpqcompat=true` switches to libpq's meanings.
fn check_libpq_compat(config: &Config, tls: Tls, diagnostics: &mut Vec<Diagnostic>) {
    let Some(flag) = config.get("uselibpqcompat") else {
        return;
    };
    let mode = config.mode();
    let (detail, severity) = if flag.value != "true" {
        (
            format!("`uselibpqcompat={}` has no effect: only the exact value `true` switches to libpq semantics", flag.value),
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
            .at(flag.pair_span())
            .with_severity(severity)
            .with_fix(Fix::replace(
                "Use sslmode=verify-full",
                config.render(&[("sslmode", "verify-full")], &["uselibpqcompat", "ssl"]),
            )),
    );
}

rule!(
    RULE_SSL_STRING,
    "PGP-DRIVER-019",
    Warning,
    "ssl value node-postgres does not read as intended",
    "pg-connection-string turns only `ssl=true` and `ssl=1` into `true` and only \
`ssl=0` into `false`. Any other non-empty value — `ssl=false` included — stays a string that \
node-postgres treats as true: TLS with full verification. To turn TLS off write \
`sslmode=disable` (or `ssl=0`); to verify the server write `sslmode=verify-full`.",
    [
        "https://github.com/brianc/node-postgres/blob/master/packages/pg-connection-string/index.js",
        "https://github.com/brianc/node-postgres/blob/master/packages/pg/lib/connection-parameters.js",
    ]
);

/// Source: parse() and `ConnectionParameters` — any other non-empty `ssl` string is truthy:
/// TLS with full verification.
fn check_ssl_string(config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let Some(raw) = config
        .get("ssl")
        .filter(|_| config.object_trigger().is_none())
    else {
        return;
    };
    if matches!(raw.value.as_str(), "true" | "1" | "0" | "no-verify" | "") {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_SSL_STRING,
            format!(
                "`ssl={}` is a non-empty string, which node-postgres treats as true: TLS with full verification",
                raw.value
            ),
        )
        .at(raw.pair_span())
        .with_fix(Fix::replace(
            "Say what you mean with sslmode (verify-full, or disable to turn TLS off)",
            config.render(&[("sslmode", "verify-full")], &["ssl"]),
        )),
    );
}

/// `ConnectionParameters` reads only the keys it knows from the parsed config.
fn check_ignored(input: &str, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let quoter = super::Quoter::new(input);
    let ignored_settings = config.query.iter().filter(|s| {
        let key = s.key.as_str();
        !(driver_keys::NODE_POSTGRES.contains(&key) || key.is_empty())
    });
    for (nth, s) in ignored_settings.enumerate() {
        let key = s.key.as_str();
        let hint = match key {
            "connect_timeout" => "use `connectionTimeoutMillis` (milliseconds)",
            "sslpassword" => "pass the key passphrase in code as `ssl.passphrase`; an encrypted key cannot be used otherwise",
            "keepAlive" => "set `keepAlive: true` in code; the string value is never `true`",
            "target_session_attrs" | "load_balance_hosts" => "node-postgres connects to a single host",
            _ => "node-postgres does not read it",
        };
        let shown = quoter.quote(s.key_span, key);
        diagnostics.push(ignored(
            s,
            format!("`{shown}` is ignored: {hint}"),
            super::parameter_fix(nth, format!("Remove {shown}"), || config.render(&[], &[key])),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Verdict.

/// `ConnectionParameters`: an empty host falls back to `defaults.host`, 'localhost'.
fn effective_host(config: &Config) -> &str {
    match config.host.as_ref().map(|h| h.value.as_str()) {
        None | Some("") => "localhost",
        Some(host) => host,
    }
}

/// What the driver reads, with the `ssl` it ends up with.
fn params(config: &Config, ssl: &Ssl) -> Vec<(String, String)> {
    let mut params = Vec::new();
    put(&mut params, "host", effective_host(config));
    put(
        &mut params,
        "port",
        config.port.as_ref().map_or("", |p| p.value.as_str()),
    );
    if let Some(db) = &config.database {
        put(&mut params, "database", &db.value);
    }
    if let Some(user) = &config.user {
        put(&mut params, "user", &user.value);
    }
    if let Some(password) = &config.password {
        put(&mut params, "password", &password.value);
    }
    for s in &config.query {
        if !matches!(s.key.as_str(), "user" | "password" | "host" | "port") {
            put(&mut params, &s.key, &s.value);
        }
    }
    put(&mut params, "ssl", &ssl.render());
    params
}

/// The libpq equivalent.
fn equivalent(input: &str, config: &Config, tls: Tls) -> Equivalent {
    let end = Span::new(input.len(), input.len());
    let mut eq = Equivalent::new(Form::Uri, input);
    let host_span = config.host.as_ref().map_or(end, |h| h.value_span);
    eq.set_at("host", effective_host(config), host_span);
    for (keyword, part) in [
        ("port", &config.port),
        ("dbname", &config.database),
        ("user", &config.user),
        ("password", &config.password),
    ] {
        if let Some(s) = part.as_ref().filter(|s| !s.value.is_empty()) {
            eq.set(keyword, &s.value, s.key_span, s.value_span);
        }
    }
    for key in [
        "application_name",
        "fallback_application_name",
        "options",
        "client_encoding",
        "replication",
    ] {
        if let Some(v) = config.nonempty(key) {
            eq.set(key, &v.value, v.key_span, v.value_span);
        }
    }
    // Sent as startup parameters by Client.getStartupConf.
    for key in [
        "statement_timeout",
        "lock_timeout",
        "idle_in_transaction_session_timeout",
    ] {
        if let Some(v) = config.nonempty(key) {
            eq.add_server_setting(key, &v.value, v.pair_span());
        }
    }
    if tls != Tls::Off {
        for key in ["sslcert", "sslkey", "sslnegotiation"] {
            if let Some(v) = config.nonempty(key) {
                eq.set(key, &v.value, v.key_span, v.value_span);
            }
        }
    }
    let mode_span = config
        .sslmode()
        .or(config.get("ssl"))
        .map_or(end, |v| v.value_span);
    eq.set_tls(
        tls,
        config.rootcert().map(|v| (v.value.as_str(), v.value_span)),
        mode_span,
    );
    eq
}
