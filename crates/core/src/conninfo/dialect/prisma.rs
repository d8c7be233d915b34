//! Prisma ORM 5/6 with its Rust query engine (quaint).
//!
//! Sources: `quaint/src/connector/postgres/url.rs` (`PostgresUrl::parse_query_params`, `host`,
//! `dbname`) and `quaint/src/connector/postgres/native/mod.rs` (`SslParams::into_auth`,
//! `MakeTlsConnectorManager::get_connector`) in <https://github.com/prisma/prisma-engines>, and
//! the connector documentation
//! (<https://www.prisma.io/docs/orm/overview/databases/postgresql#arguments>). With Prisma 7 or a
//! driver adapter the URL goes to the JavaScript driver instead (analyse it as node-postgres).

use crate::conninfo::driver_keys;
use super::equivalent::Equivalent;
use super::kv::{self, Setting};
use super::url::{self, text, At, Plus};
use super::{
    ignored, param_rejected, put, Outcome, Rejection, Tls, RULE_DIALECT_UNSUPPORTED,
    RULE_MULTIPLE_HOSTS_UNSUPPORTED, RULE_SSLMODE_OVERRIDDEN,
};
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::shell::shell_word;

/// Parameters that must parse as integers (else `InvalidConnectionArguments`).
const INTEGERS: &[&str] = &[
    "statement_cache_size",
    "connection_limit",
    "socket_timeout",
    "connect_timeout",
    "pool_timeout",
    "max_connection_lifetime",
    "max_idle_connection_lifetime",
];

/// A Prisma URL as quaint reads it.
#[derive(Debug)]
struct PrismaUrl {
    /// The URL's host list: more than one host is one name to Prisma.
    authority: Span,
    several_hosts: bool,
    /// The query's `host`, else the URL's host (`localhost` when empty).
    host: Setting,
    /// The port, when one is written.
    port: Option<Setting>,
    user: Option<Setting>,
    password: Option<Setting>,
    /// `dbname()`: the first path segment, when not empty.
    database: Option<Setting>,
    /// The query, each key once (the last value wins).
    args: Vec<Setting>,
}

impl PrismaUrl {
    fn arg(&self, key: &str) -> Option<&Setting> {
        kv::get(&self.args, key)
    }
}

pub(super) fn parse(input: &str) -> Outcome {
    let url = match read(input) {
        Ok(url) => url,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    let mut diagnostics = Vec::new();
    check_one_host(input, &url, &mut diagnostics);
    check_ignored(input, &url, &mut diagnostics);
    let mode = check_sslmode(&url, &mut diagnostics);
    let strict = check_sslaccept(&url, &mut diagnostics);
    check_accept_invalid_certs(input, &url, mode, strict, &mut diagnostics);
    check_sslcert_is_ca(&url, strict, &mut diagnostics);
    let tls = tls(mode, strict);
    Outcome {
        valid: true,
        params: params(&url),
        diagnostics,
        verdict: Some(tls.verdict("Prisma's engine")),
        equivalent: Some(equivalent(input, &url, tls, strict)),
        no_equivalent: None,
        hosts: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// `PostgresUrl::new` over the Rust `url` crate: credentials up to the last `@`, `#` starts a
/// fragment; the scheme must be `postgresql` or `postgres`.
fn read(input: &str) -> Result<PrismaUrl, Rejection> {
    let Some(parts) = url::split_url(input, At::Last, true)
        .filter(|p| matches!(text(input, p.scheme), "postgresql" | "postgres"))
    else {
        return Err(Box::new(
            Diagnostic::new(
                &RULE_DIALECT_UNSUPPORTED,
                "Prisma: \"the URL must start with the protocol `postgresql://` or `postgres://`\"",
            )
            .at(Span::new(
                0,
                input.find("://").map_or(input.len(), |i| i + 3),
            )),
        ));
    };
    check_host_after_user_information(input, parts.authority)?;
    let hosts = url::host_list(input, parts.authority);
    check_host_list_ports(&hosts, parts.authority)?;
    let (host_span, port_span) = match hosts.as_slice() {
        [one] => (one.host, one.port),
        _ => (parts.authority, None),
    };
    let port = check_port(input, port_span, parts.authority)?;
    let args = read_query(input, parts.query);
    check_argument_values(input, &args)?;
    let decoded = |key: &str, span: Span| {
        Setting::part(
            key,
            url::decode(text(input, span), Plus::Literal).text,
            span,
        )
    };
    let url_host = decoded("host", host_span);
    let host = match kv::get(&args, "host") {
        Some(h) => Setting::part("host", h.value.clone(), h.value_span),
        None if url_host.value.is_empty() => Setting::part("host", "localhost", host_span),
        None => url_host,
    };
    Ok(PrismaUrl {
        authority: parts.authority,
        several_hosts: hosts.len() > 1,
        host,
        port,
        user: parts.user.map(|s| decoded("user", s)),
        password: parts.password.map(|s| decoded("password", s)),
        database: parts.path.and_then(|p| first_segment(input, p)),
        args,
    })
}

/// The URL standard's authority state, which the Rust `url` crate follows: user information
/// (an `@`) followed by no host fails with "empty host", even in a URL without a special
/// scheme, so Cloud SQL's socket form `postgresql://user:pw@/db?host=/cloudsql/…` is P1013;
/// Prisma's documentation writes `localhost` there (the `host` argument then names the socket
/// directory).
fn check_host_after_user_information(input: &str, authority: Span) -> Result<(), Rejection> {
    let after_at = input.get(..authority.start).is_some_and(|head| head.ends_with('@'));
    if after_at && authority.is_empty() {
        return Err(param_rejected(
            input,
            "Prisma: \"empty host\" (error P1013); write `localhost` after the `@` and keep `host=` for a socket directory",
            Span::new(authority.start.saturating_sub(1), authority.start),
        ));
    }
    Ok(())
}

/// Rust `url`: an opaque host may contain commas, but a port before one is an invalid port.
fn check_host_list_ports(hosts: &[url::HostPort], authority: Span) -> Result<(), Rejection> {
    if url::port_inside_host_list(hosts) {
        return Err(Box::new(
            Diagnostic::new(
                &RULE_MULTIPLE_HOSTS_UNSUPPORTED,
                "Prisma cannot parse a host list: \"invalid port number\" (error P1013)",
            )
            .at(authority),
        ));
    }
    Ok(())
}

/// Rust `url`: the port must be digits, at most 65535. The port when one is written.
fn check_port(
    input: &str,
    port_span: Option<Span>,
    authority: Span,
) -> Result<Option<Setting>, Rejection> {
    let port = port_span.map(|s| text(input, s)).unwrap_or_default();
    if !(port.is_empty() || super::is_port_number(port)) {
        let at = port_span.unwrap_or(authority);
        let port = super::quotable(input, at, port);
        return Err(param_rejected(
            input,
            format!("Prisma: \"invalid port number\" `{port}` (error P1013)"),
            at,
        ));
    }
    Ok(port_span
        .filter(|_| !port.is_empty())
        .map(|span| Setting::part("port", port, span)))
}

/// `url.query_pairs()`, form-urlencoded; later values overwrite earlier ones.
fn read_query(input: &str, query: Option<Span>) -> Vec<Setting> {
    let mut args = kv::LastOfEach::default();
    let Some(query) = query else {
        return Vec::new();
    };
    for pair in url::pairs(input, query, Plus::Space) {
        if !pair.span.is_empty() {
            args.set(pair.into_setting());
        }
    }
    args.into_settings()
}

/// `parse_query_params`: `pgbouncer` must be a boolean and the counts and timeouts whole
/// numbers, else `InvalidConnectionArguments`.
fn check_argument_values(input: &str, args: &[Setting]) -> Result<(), Rejection> {
    for a in args {
        let bad = if a.key == "pgbouncer" {
            a.value.parse::<bool>().is_err()
        } else {
            INTEGERS.contains(&a.key.as_str()) && a.value.parse::<u64>().is_err()
        };
        if bad {
            return Err(param_rejected(
                input,
                format!(
                    "Prisma: invalid connection argument `{}={}` (`InvalidConnectionArguments`): {}",
                    a.key,
                    a.value,
                    if a.key == "pgbouncer" { "`true` or `false`" } else { "a whole number of seconds or a count" }
                ),
                a.value_span,
            ));
        }
    }
    Ok(())
}

/// `dbname()`: the first path segment as written (not percent-decoded); `None` when empty
/// (quaint's default `postgres` then applies).
fn first_segment(input: &str, path: Span) -> Option<Setting> {
    let segment = text(input, path).split('/').next().unwrap_or_default();
    (!segment.is_empty()).then(|| {
        Setting::part(
            "database",
            segment,
            Span::new(path.start, path.start + segment.len()),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// Rust `url` reads a comma-separated host list as one opaque host name.
fn check_one_host(input: &str, url: &PrismaUrl, diagnostics: &mut Vec<Diagnostic>) {
    if url.several_hosts {
        diagnostics.push(
            Diagnostic::new(
                &RULE_MULTIPLE_HOSTS_UNSUPPORTED,
                format!(
                    "Prisma reads `{}` as one host name, which does not resolve",
                    text(input, url.authority)
                ),
            )
            .at(url.authority),
        );
    }
}

/// quaint discards every query parameter it does not read ("Discarding connection string
/// param").
fn check_ignored(input: &str, url: &PrismaUrl, diagnostics: &mut Vec<Diagnostic>) {
    let quoter = super::Quoter::new(input);
    let ignored_args = url.args.iter().filter(|a| !driver_keys::PRISMA.contains(&a.key.as_str()));
    for (nth, a) in ignored_args.enumerate() {
        let hint = match a.key.as_str() {
            "sslrootcert" => "Prisma's CA parameter is `sslcert` (used with `sslaccept=strict`)",
            "sslkey" => "client certificates go in `sslidentity` as a PKCS-12 bundle",
            "ssl" => "use `sslmode=require`",
            _ => "Prisma discards parameters it does not know",
        };
        let shown = quoter.quote(a.key_span, &a.key);
        let fix = match libpq_tls_files(url) {
            Some(_) if matches!(a.key.as_str(), "sslrootcert" | "sslkey") => {
                verify_in_own_terms("Give Prisma its own TLS parameters")
            }
            _ => super::parameter_fix(nth, format!("Remove {shown}"), || {
                url::remove_element(input, a.pair_span())
            }),
        };
        diagnostics.push(ignored(a, format!("`{shown}` is ignored: {hint}"), fix));
    }
}

rule!(
    RULE_UNSUPPORTED_SSLMODE,
    "PGP-DRIVER-022",
    Error,
    "sslmode value Prisma does not support",
    "Prisma's engine knows only `disable`, `prefer` and `require`. Any other value — \
`verify-full` and `verify-ca` included — is logged at debug level and replaced by the default \
`prefer`, which falls back to plaintext and (without `sslaccept=strict`) verifies nothing. For a \
verified connection write `sslmode=require&sslaccept=strict`.",
    ["https://github.com/prisma/prisma-engines/blob/main/quaint/src/connector/postgres/url.rs",]
);

/// `parse_query_params`: `sslmode` is `disable`, `prefer` or `require`; anything else keeps
/// the default `prefer`. The mode in effect.
fn check_sslmode(url: &PrismaUrl, diagnostics: &mut Vec<Diagnostic>) -> &'static str {
    let sslmode = url.arg("sslmode");
    match sslmode.map(|s| s.value.as_str()) {
        None | Some("prefer") => "prefer",
        Some("disable") => "disable",
        Some("require") => "require",
        Some(other) => {
            if let Some(s) = sslmode {
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_UNSUPPORTED_SSLMODE,
                        format!("Prisma does not know `sslmode={other}` and silently uses `prefer`: plaintext fallback, no verification"),
                    )
                    .at(s.value_span)
                    .with_fix(verify_in_own_terms("Use sslmode=require&sslaccept=strict")),
                );
            }
            "prefer"
        }
    }
}

/// `parse_query_params`: `sslaccept` is `strict` or `accept_invalid_certs` (the default);
/// anything else means `strict`. Whether the certificate is verified.
fn check_sslaccept(url: &PrismaUrl, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let accept = url.arg("sslaccept");
    match accept.map(|a| a.value.as_str()) {
        None | Some("accept_invalid_certs") => false,
        Some("strict") => true,
        Some(other) => {
            if let Some(a) = accept {
                diagnostics.push(
                    Diagnostic::new(
                        &RULE_SSLMODE_OVERRIDDEN,
                        format!("Prisma does not know `sslaccept={other}` and uses `strict`"),
                    )
                    .at(a.value_span),
                );
            }
            true
        }
    }
}

rule!(
    RULE_ACCEPT_INVALID_CERTS,
    "PGP-DRIVER-020",
    Warning,
    "Prisma accepts invalid server certificates",
    "Prisma's `sslaccept` defaults to `accept_invalid_certs`: the TLS connector is \
built with `danger_accept_invalid_certs`, so with `sslmode=require` (or `prefer`) the connection \
is encrypted but any certificate is accepted and the host name is not checked — even when \
`sslcert` names a CA. Add `sslaccept=strict` to verify the certificate against the system \
roots plus `sslcert`, and the host name.",
    [
        "https://www.prisma.io/docs/orm/overview/databases/postgresql#configuring-an-ssl-connection",
        "https://github.com/prisma/prisma-engines/blob/main/quaint/src/connector/postgres/native/mod.rs",
    ]
);

/// `MakeTlsConnectorManager::get_connector` sets `danger_accept_invalid_certs` unless
/// `sslaccept=strict`, even when `sslcert` names a CA.
fn check_accept_invalid_certs(
    input: &str,
    url: &PrismaUrl,
    mode: &str,
    strict: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let accept = url.arg("sslaccept");
    let sslcert = url.arg("sslcert");
    if strict || mode == "disable" || !(accept.is_some() || mode == "require" || sslcert.is_some())
    {
        return;
    }
    let span = accept
        .or(url.arg("sslmode"))
        .or(sslcert)
        .map_or(Span::new(input.len(), input.len()), Setting::pair_span);
    let fix = verify_in_own_terms("Verify the server with sslaccept=strict");
    diagnostics.push(
        Diagnostic::new(
            &RULE_ACCEPT_INVALID_CERTS,
            format!(
                "`sslaccept` is {}: Prisma encrypts but accepts any certificate and skips the host-name check{}",
                if accept.is_some() { "`accept_invalid_certs`" } else { "not set and defaults to `accept_invalid_certs`" },
                if sslcert.is_some() && url.arg("sslkey").is_none() { ", so the CA in `sslcert` is never used" } else { "" }
            ),
        )
        .at(span)
        .with_fix(fix),
    );
}

/// TLS files named the libpq way in a Prisma URL (a string written for psql, moved to
/// Prisma): `sslrootcert` for the CA, `sslcert` with `sslkey` for the client's certificate.
/// Prisma reads `sslcert` as the CA, a client certificate only from `sslidentity` (a PKCS#12
/// bundle, its password in `sslpassword`), and ignores `sslrootcert` and `sslkey`
/// (`SslParams` in quaint's `postgres/url.rs`, prisma-engines 6.x; Prisma's PostgreSQL
/// connector page, "Configuring an SSL connection"). A driver expert saw a fix keep the
/// client certificate in `sslcert`, where Prisma trusts it as a CA. The values are the files
/// as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LibpqTlsFiles<'a> {
    pub ca: Option<&'a str>,
    pub client_cert: Option<&'a str>,
    pub client_key: Option<&'a str>,
}

/// The same files in Prisma's own parameters: what to set and remove, and what the user must
/// do besides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OwnTlsTerms {
    pub set: Vec<(&'static str, String)>,
    pub remove: Vec<&'static str>,
    /// For the fix's title: where the files went, the bundle's command, the ./prisma paths.
    pub note: String,
}

impl<'a> LibpqTlsFiles<'a> {
    /// `get` reads a setting of the URL by its key.
    pub(super) fn of(get: impl Fn(&str) -> Option<&'a str>) -> Option<LibpqTlsFiles<'a>> {
        let client_key = get("sslkey");
        // A `sslcert` without `sslkey` is already Prisma's CA: it stays, and `sslrootcert`
        // beside it is only removed.
        let ca = get("sslrootcert").filter(|_| client_key.is_some() || get("sslcert").is_none());
        (ca.is_some() || client_key.is_some()).then(|| LibpqTlsFiles {
            ca,
            // Beside `sslkey`, `sslcert` is the client's certificate, as libpq reads it.
            client_cert: client_key.and(get("sslcert")),
            client_key,
        })
    }

    pub(super) fn in_own_terms(&self) -> OwnTlsTerms {
        let mut terms = OwnTlsTerms {
            set: Vec::new(),
            remove: vec!["sslrootcert"],
            note: String::new(),
        };
        let mut said = Vec::new();
        match (self.ca, self.client_cert) {
            // libpq's `system` is the operating system's store, which `sslaccept=strict` uses
            // anyway: no file to name (a driver expert saw `sslcert=../system`).
            (Some("system"), Some(_)) => terms.remove.push("sslcert"),
            (Some("system"), None) => {
                said.push("Prisma verifies against the system's roots with `sslaccept=strict`".to_string());
            }
            (Some(ca), _) => {
                terms.set.push(("sslcert", from_prisma_directory(ca)));
                // native-tls's `Certificate::from_pem` (quaint's `SslParams::into_auth`)
                // reads the file's first certificate only.
                said.push("the CA goes in `sslcert`, of which Prisma reads the first certificate only (name one root, not a bundle)".to_string());
                // RDS's `global-bundle.pem` and `<region>-bundle.pem`, `rds-combined-ca-bundle.pem`:
                // many roots, of which the first is seldom the server's (a driver expert saw
                // the fix name the bundle beside the note that forbids it).
                if file_name(ca).to_ascii_lowercase().contains("bundle") {
                    said.push(format!(
                        "`{}` holds several roots: save the one that signed the server (for RDS, the root the instance's CA names, such as `rds-ca-rsa2048-g1`) in a file of its own and name that",
                        file_name(ca)
                    ));
                }
            }
            (None, Some(_)) => terms.remove.push("sslcert"),
            (None, None) => {}
        }
        if let Some(key) = self.client_key {
            terms.remove.push("sslkey");
            let cert = self.client_cert.unwrap_or("client.crt");
            let bundle = bundle_path(cert);
            terms.set.push(("sslidentity", from_prisma_directory(&bundle)));
            said.push(format!(
                "the client certificate and key go in `sslidentity` as a PKCS#12 bundle (`openssl pkcs12 -export -in {} -inkey {} -out {}`, with `-certfile` naming the intermediates where they are in a file of their own, and `-legacy` where Prisma runs on macOS; add the password you give it as `sslpassword`, which for Prisma is the bundle's password, not the key's)",
                command_path(cert),
                command_path(key),
                command_path(&bundle)
            ));
        }
        let files = [self.ca, self.client_cert, self.client_key];
        if files.iter().flatten().any(|path| path.starts_with('~')) {
            said.push("Prisma does not expand `~`: write the full path".to_string());
        }
        if self.ca.is_some_and(|ca| ca != "system") || self.client_key.is_some() {
            said.push("Prisma resolves relative paths from the folder holding the schema (./prisma, or ./prisma/schema for a multi-file schema)".to_string());
        }
        terms.note = said.join("; ");
        terms
    }
}

/// What `sslaccept=strict` trusts where no `sslcert` names a CA: native-tls's system roots
/// alone (quaint adds `sslcert` as a root beside them), so a server whose certificate a
/// private CA signed fails to connect (a driver expert's reading, P7).
pub(super) const STRICT_TRUSTS_SYSTEM_ROOTS: &str = "with no `sslcert`, Prisma trusts the system's roots only: a server whose certificate a private CA signed also needs that CA in `sslcert`";

fn libpq_tls_files(url: &PrismaUrl) -> Option<LibpqTlsFiles<'_>> {
    LibpqTlsFiles::of(|key| url.arg(key).map(|s| s.value.as_str()))
}

/// The fix titled `title` that verifies the server the only way Prisma can
/// (`sslmode=require&sslaccept=strict`): libpq's `verify-full`, as `sslaccept=strict` checks
/// the host name too, written for Prisma by `render`, whose Prisma hook moves TLS files named
/// the libpq way into Prisma's own parameters and says which roots are then trusted. One
/// writer serves Prisma's own findings and the review's.
fn verify_in_own_terms(title: &str) -> Fix {
    Fix::edit(title, "", vec![crate::diagnostic::Change::set("sslmode", "verify-full")])
}

/// `path` as Prisma finds the same file: a relative path is resolved from the `./prisma`
/// directory (Prisma's "Data sources" page: "Prisma ORM resolves SSL certificates relative
/// to the ./prisma directory"), where libpq resolves it from the working directory.
fn from_prisma_directory(path: &str) -> String {
    // `~` is no directory Prisma expands; it stays as written, for the user to see.
    if not_relative(path) {
        return path.to_string();
    }
    format!("../{}", path.strip_prefix("./").unwrap_or(path))
}

/// Whether `path` is found the same from any folder: absolute (POSIX, Windows, UNC), under
/// `~`, or empty.
fn not_relative(path: &str) -> bool {
    path.starts_with('/')
        || path.starts_with('~')
        || path.starts_with('\\')
        || path.as_bytes().get(1) == Some(&b':')
        || path.is_empty()
}

/// The last component of `path`.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A path Prisma resolves from `./prisma` as found from the project's folder, where libpq and
/// openssl would run: the inverse of [`from_prisma_directory`] (a driver expert saw the libpq
/// reading keep `../certs/ca.pem`). A multi-file schema's `./prisma/schema` is not told apart.
fn from_working_directory(path: &str) -> String {
    if not_relative(path) {
        return path.to_string();
    }
    match path.strip_prefix("../") {
        Some(above) => above.to_string(),
        None => format!("prisma/{}", path.strip_prefix("./").unwrap_or(path)),
    }
}

/// `path` as a shell word, its leading `~/` left for the shell to expand.
fn command_path(path: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => format!("~/{}", shell_word(rest)),
        None => shell_word(path),
    }
}

/// The PKCS#12 bundle made from client certificate `cert`: beside it, with `.p12` for its
/// extension.
fn bundle_path(cert: &str) -> String {
    let name_start = cert.rfind(['/', '\\']).map_or(0, |slash| slash + 1);
    let stem_end = cert
        .get(name_start..)
        .and_then(|name| name.rfind('.'))
        .filter(|&dot| dot > 0)
        .map_or(cert.len(), |dot| name_start + dot);
    format!("{}.p12", cert.get(..stem_end).unwrap_or(cert))
}


rule!(
    RULE_SSLCERT_IS_CA,
    "PGP-DRIVER-021",
    Info,
    "Prisma reads sslcert as the CA certificate",
    "In a Prisma URL `sslcert` is the server's CA certificate (libpq's \
`sslrootcert`), not a client certificate, and it is only used when `sslaccept=strict`. Client \
certificates go in `sslidentity` as a PKCS-12 bundle, with its password in `sslpassword`; \
`sslkey` and `sslrootcert` are ignored. The finding is a warning when the string also has \
`sslkey`, which suggests a libpq-style client certificate was meant.",
    ["https://www.prisma.io/docs/orm/overview/databases/postgresql#arguments"]
);

/// `SslParams`: `sslcert` is the CA certificate added as a root (used only when strict), not
/// a client certificate; `sslkey` next to it suggests a libpq-style client certificate.
fn check_sslcert_is_ca(url: &PrismaUrl, strict: bool, diagnostics: &mut Vec<Diagnostic>) {
    let Some(cert) = url.arg("sslcert") else {
        return;
    };
    let with_key = url.arg("sslkey").is_some();
    diagnostics.push(
        Diagnostic::new(
            &RULE_SSLCERT_IS_CA,
            format!(
                "`sslcert={}` is read as the CA certificate{}{}",
                cert.value,
                if strict { " (trusted in addition to the system roots)" } else { " and is unused without `sslaccept=strict`" },
                if with_key { "; the `sslkey` next to it suggests a client certificate was meant — use `sslidentity` (PKCS-12) for that" } else { "" }
            ),
        )
        .at(cert.pair_span())
        .with_severity(if with_key { Severity::Warning } else { Severity::Info }),
    );
}

// ---------------------------------------------------------------------------------------------
// Verdict.

/// `get_connector`: TLS unless `disable`; `prefer` falls back to plaintext; the certificate
/// and host name are checked only with `sslaccept=strict`.
fn tls(mode: &str, strict: bool) -> Tls {
    match (mode, strict) {
        ("disable", _) => Tls::Off,
        ("prefer", false) => Tls::PreferNoVerify,
        ("prefer", true) => Tls::PreferVerified { host: true },
        ("require", false) => Tls::RequireNoVerify,
        _ => Tls::RequireFull,
    }
}

/// The parameters as Prisma reads them, with quaint's defaults (port 5432, database
/// `postgres`).
fn params(url: &PrismaUrl) -> Vec<(String, String)> {
    let mut params = Vec::new();
    put(&mut params, "host", &url.host.value);
    put(
        &mut params,
        "port",
        url.port.as_ref().map_or("5432", |p| p.value.as_str()),
    );
    put(
        &mut params,
        "database",
        url.database
            .as_ref()
            .map_or("postgres", |d| d.value.as_str()),
    );
    for s in [&url.user, &url.password].into_iter().flatten() {
        put(&mut params, &s.key, &s.value);
    }
    for a in url.args.iter().filter(|a| a.key != "host") {
        put(&mut params, &a.key, &a.value);
    }
    params
}

/// The libpq equivalent.
fn equivalent(input: &str, url: &PrismaUrl, tls: Tls, strict: bool) -> Equivalent {
    let mut eq = Equivalent::new(Form::Uri, input);
    eq.set_at("host", &url.host.value, url.host.span);
    if let Some(port) = &url.port {
        eq.set_at("port", &port.value, port.span);
    }
    match &url.database {
        Some(db) => eq.set_at("dbname", &db.value, db.span),
        // quaint's default database is `postgres`; libpq's would be the user name.
        None => eq.set_implied("dbname", "postgres"),
    }
    for s in [&url.user, &url.password].into_iter().flatten() {
        if !s.value.is_empty() {
            eq.set_at(&s.key, &s.value, s.span);
        }
    }
    match url.arg("connect_timeout") {
        Some(t) if t.value != "0" => eq.set("connect_timeout", &t.value, t.key_span, t.value_span),
        Some(_) => {}
        // quaint's default connect_timeout is 5 seconds.
        None => eq.set_implied("connect_timeout", "5"),
    }
    for key in ["application_name", "options", "channel_binding"] {
        if let Some(a) = url.arg(key) {
            eq.set(key, &a.value, a.key_span, a.value_span);
        }
    }
    if let Some(schema) = url.arg("schema") {
        // PostgresSearchPath: the schema is sent double-quoted.
        eq.add_server_setting(
            "search_path",
            &format!("\"{}\"", schema.value),
            schema.pair_span(),
        );
    }
    if let Some(identity) = url.arg("sslidentity") {
        let bundle = from_working_directory(&identity.value);
        eq.approximate(format!(
            "libpq cannot read the PKCS-12 client identity `{}`; split it with `openssl pkcs12 -in {} -clcerts -nokeys -out client.crt` and `-nocerts -nodes -out client.key`, then use sslcert/sslkey",
            identity.value,
            command_path(&bundle)
        ));
    }
    let mode_span = url
        .arg("sslmode")
        .map_or(Span::new(input.len(), input.len()), |s| s.value_span);
    // libpq reads the CA from the working directory, Prisma from the schema's folder.
    let ca = url
        .arg("sslcert")
        .filter(|_| strict)
        .map(|c| (from_working_directory(&c.value), c.value_span));
    eq.set_tls(tls, ca.as_ref().map(|(path, span)| (path.as_str(), *span)), mode_span);
    eq
}

#[cfg(test)]
mod tests {
    use super::{bundle_path, from_prisma_directory, from_working_directory, STRICT_TRUSTS_SYSTEM_ROOTS};
    use crate::conninfo::dialect::Dialect;
    use crate::conninfo::{analyze, CheckOptions};

    #[test]
    fn paths_are_found_from_the_prisma_directory() {
        assert_eq!(from_prisma_directory("ca.pem"), "../ca.pem");
        assert_eq!(from_prisma_directory("./certs/ca.pem"), "../certs/ca.pem");
        assert_eq!(from_prisma_directory("/etc/ssl/ca.pem"), "/etc/ssl/ca.pem");
        assert_eq!(from_prisma_directory("C:\\certs\\ca.pem"), "C:\\certs\\ca.pem");
        for path in ["ca.pem", "./certs/ca.pem", "/etc/ssl/ca.pem", "~/ca.pem"] {
            assert_eq!(from_working_directory(&from_prisma_directory(path)).trim_start_matches("./"), path.trim_start_matches("./"));
        }
        assert_eq!(from_working_directory("ca.pem"), "prisma/ca.pem");
        assert_eq!(bundle_path("client.crt"), "client.p12");
        assert_eq!(bundle_path("/etc/pg/client-cert.pem"), "/etc/pg/client-cert.p12");
        assert_eq!(bundle_path("certs.d/client"), "certs.d/client.p12");
    }

    /// A string written for psql (Azure's CA in `sslrootcert`, a client certificate in
    /// `sslcert` with `sslkey`) under Prisma: every fix that verifies the server moves the CA
    /// to `sslcert` and the client's files to a PKCS#12 bundle in `sslidentity`, and says how
    /// to make it; none leaves the client certificate where Prisma trusts it as a CA.
    #[test]
    fn libpq_tls_files_move_into_prismas_parameters() {
        let input = "postgresql://app:Zq9XWk7V@myserver.postgres.database.azure.com:5432/app?sslmode=verify-full&sslrootcert=DigiCertGlobalRootG2.crt.pem&sslcert=client.crt&sslkey=client.key";
        let analysis = analyze(input, Some(Dialect::Prisma), &CheckOptions::default());
        let verifying = ["PGP-DRIVER-022", "PGP-DRIVER-002", "PGP-SSL-102", "PGP-DRIVER-020"];
        // Prisma's own findings and the review's are written by one writer: the same string.
        let written: std::collections::BTreeSet<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| verifying.contains(&d.code))
            .filter_map(|d| d.fix.as_ref()?.replacement.clone())
            .collect();
        assert_eq!(written.len(), 1, "{written:?}");
        for code in verifying {
            let fixes: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.code == code)
                .filter_map(|d| d.fix.as_ref())
                .collect();
            assert!(!fixes.is_empty(), "no {code}");
            for fix in fixes {
                let replacement = fix.replacement.as_deref().unwrap_or_else(|| panic!("{code}: {fix:?}"));
                let query = replacement;
                for wanted in [
                    "sslcert=../DigiCertGlobalRootG2.crt.pem",
                    "sslidentity=../client.p12",
                    "sslaccept=strict",
                    "sslmode=require",
                ] {
                    assert!(query.contains(wanted), "{code}: {replacement} lacks {wanted}");
                }
                for gone in ["sslrootcert", "sslkey", "client.crt", "Zq9XWk7V"] {
                    assert!(!query.contains(gone), "{code}: {replacement} keeps {gone}");
                }
                assert!(
                    fix.title.contains("`openssl pkcs12 -export -in client.crt -inkey client.key -out client.p12`"),
                    "{code}: {}",
                    fix.title
                );
                assert!(fix.title.contains("./prisma"), "{}", fix.title);
            }
        }
    }

    /// libpq's `sslrootcert=system` names no file: the fixes verify with `sslaccept=strict`
    /// against the system's roots and name no `sslcert` (a driver expert saw `../system`, and
    /// a placeholder CA path in the review's own fix).
    #[test]
    fn the_system_store_is_no_file() {
        let input = "postgresql://u@h/db?sslmode=verify-ca&sslrootcert=system";
        let analysis = analyze(input, Some(Dialect::Prisma), &CheckOptions::default());
        let replacements: Vec<&str> = analysis
            .diagnostics
            .iter()
            .filter(|d| ["PGP-DRIVER-022", "PGP-DRIVER-002", "PGP-SSL-102"].contains(&d.code))
            .filter_map(|d| d.fix.as_ref()?.replacement.as_deref())
            .collect();
        assert_eq!(replacements.len(), 3, "{:?}", analysis.diagnostics);
        for replacement in replacements {
            assert_eq!(replacement, "postgresql://u@h/db?sslmode=require&sslaccept=strict");
        }
    }

    /// A fix that turns `sslaccept=strict` on with no CA file says that only the system's
    /// roots are then trusted; with Prisma's own CA in `sslcert` it does not.
    #[test]
    fn strict_without_a_ca_says_what_it_trusts() {
        let bare = analyze(
            "postgresql://app@db.example.com/app?sslmode=verify-full",
            Some(Dialect::Prisma),
            &CheckOptions::default(),
        );
        let fix = crate::diagnostic::fix_of(&bare.diagnostics, "PGP-DRIVER-022").expect("verify-full is unknown to Prisma");
        assert!(fix.title.contains(STRICT_TRUSTS_SYSTEM_ROOTS), "{}", fix.title);
        assert_eq!(
            fix.replacement.as_deref(),
            Some("postgresql://app@db.example.com/app?sslmode=require&sslaccept=strict")
        );
        let with_ca = analyze(
            "postgresql://app@db.example.com/app?sslmode=require&sslcert=ca.pem",
            Some(Dialect::Prisma),
            &CheckOptions::default(),
        );
        let fix = crate::diagnostic::fix_of(&with_ca.diagnostics, "PGP-DRIVER-020").expect("sslaccept is not strict");
        assert!(!fix.title.contains(STRICT_TRUSTS_SYSTEM_ROOTS), "{}", fix.title);
    }

    /// A CA bundle (RDS's `global-bundle.pem`) moved into `sslcert` is named as one Prisma
    /// would read only the first root of; a single CA file is not.
    #[test]
    fn a_bundle_in_sslcert_is_named() {
        for (file, named) in [("/etc/ssl/certs/global-bundle.pem", true), ("ca.pem", false)] {
            let input = format!("postgresql://app@db.example.com/app?sslmode=verify-full&sslrootcert={file}");
            let analysis = analyze(&input, Some(Dialect::Prisma), &CheckOptions::default());
            let fix = crate::diagnostic::fix_of(&analysis.diagnostics, "PGP-DRIVER-022").expect("verify-full is unknown to Prisma");
            assert_eq!(fix.title.contains("holds several roots"), named, "{}", fix.title);
        }
    }

    /// A `sslcert` without `sslkey` is Prisma's CA already: `sslrootcert` beside it is
    /// removed, and the CA kept.
    #[test]
    fn prismas_own_ca_stays() {
        let input = "postgresql://app@db.example.com/app?sslmode=require&sslaccept=strict&sslcert=ca.pem&sslrootcert=other.pem";
        let analysis = analyze(input, Some(Dialect::Prisma), &CheckOptions::default());
        let fix = crate::diagnostic::fix_of(&analysis.diagnostics, "PGP-DRIVER-002").expect("sslrootcert is ignored");
        assert_eq!(
            fix.replacement.as_deref(),
            Some("postgresql://app@db.example.com/app?sslmode=require&sslaccept=strict&sslcert=ca.pem")
        );
    }
}
