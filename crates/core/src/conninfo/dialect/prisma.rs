//! Prisma ORM 5/6 with its Rust query engine (quaint).
//!
//! Sources: `quaint/src/connector/postgres/url.rs` (`PostgresUrl::parse_query_params`, `host`,
//! `dbname`) and `quaint/src/connector/postgres/native/mod.rs` (`SslParams::into_auth`,
//! `MakeTlsConnectorManager::get_connector`) in <https://github.com/prisma/prisma-engines>, and
//! the connector documentation
//! (<https://www.prisma.io/docs/orm/overview/databases/postgresql#arguments>). With Prisma 7 or a
//! driver adapter the URL goes to the JavaScript driver instead (analyse it as node-postgres).

use super::equivalent::Equivalent;
use super::url::{self, text, At, Plus};
use super::{
    is_tls_name, put, Outcome, Tls, RULE_DIALECT_UNSUPPORTED, RULE_MULTIPLE_HOSTS_UNSUPPORTED,
    RULE_PARAM_IGNORED, RULE_PARAM_REJECTED, RULE_SSLMODE_OVERRIDDEN,
};
use crate::conninfo::syntax::Form;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::registry::Rule;

pub static RULE_ACCEPT_INVALID_CERTS: Rule = Rule {
    code: "PGP-DRIVER-020",
    severity: Severity::Warning,
    title: "Prisma accepts invalid server certificates",
    explanation: "Prisma's `sslaccept` defaults to `accept_invalid_certs`: the TLS connector is \
built with `danger_accept_invalid_certs`, so with `sslmode=require` (or `prefer`) the connection \
is encrypted but any certificate is accepted and the host name is not checked — even when \
`sslcert` names a CA. Add `sslaccept=strict` to verify the certificate against the system \
roots plus `sslcert`, and the host name.",
    references: &[
        "https://www.prisma.io/docs/orm/overview/databases/postgresql#configuring-an-ssl-connection",
        "https://github.com/prisma/prisma-engines/blob/main/quaint/src/connector/postgres/native/mod.rs",
    ],
};

pub static RULE_SSLCERT_IS_CA: Rule = Rule {
    code: "PGP-DRIVER-021",
    severity: Severity::Info,
    title: "Prisma reads sslcert as the CA certificate",
    explanation: "In a Prisma URL `sslcert` is the server's CA certificate (libpq's \
`sslrootcert`), not a client certificate, and it is only used when `sslaccept=strict`. Client \
certificates go in `sslidentity` as a PKCS-12 bundle, with its password in `sslpassword`; \
`sslkey` and `sslrootcert` are ignored. The finding is a warning when the string also has \
`sslkey`, which suggests a libpq-style client certificate was meant.",
    references: &["https://www.prisma.io/docs/orm/overview/databases/postgresql#arguments"],
};

pub static RULE_UNSUPPORTED_SSLMODE: Rule = Rule {
    code: "PGP-DRIVER-022",
    severity: Severity::Error,
    title: "sslmode value Prisma does not support",
    explanation: "Prisma's engine knows only `disable`, `prefer` and `require`. Any other value — \
`verify-full` and `verify-ca` included — is logged at debug level and replaced by the default \
`prefer`, which falls back to plaintext and (without `sslaccept=strict`) verifies nothing. For a \
verified connection write `sslmode=require&sslaccept=strict`.",
    references: &[
        "https://github.com/prisma/prisma-engines/blob/main/quaint/src/connector/postgres/url.rs",
    ],
};

/// Query parameters quaint reads; everything else is discarded ("Discarding connection string
/// param").
const KNOWN: &[&str] = &[
    "pgbouncer",
    "sslmode",
    "sslcert",
    "sslidentity",
    "sslpassword",
    "statement_cache_size",
    "sslaccept",
    "schema",
    "connection_limit",
    "host",
    "socket_timeout",
    "connect_timeout",
    "pool_timeout",
    "max_connection_lifetime",
    "max_idle_connection_lifetime",
    "application_name",
    "channel_binding",
    "options",
];

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

#[derive(Debug, Clone)]
struct Arg {
    key: String,
    value: String,
    key_span: Span,
    value_span: Span,
}

fn invalid(input: &str, detail: String, span: Span) -> Outcome {
    let mut diagnostic = Diagnostic::new(&RULE_PARAM_REJECTED, detail).at(span);
    if let Some(fix) = super::query_element_fix(input, span) {
        diagnostic = diagnostic.with_fix(fix);
    }
    Outcome::invalid(vec![diagnostic])
}

pub(super) fn parse(input: &str) -> Outcome {
    let end = Span::new(input.len(), input.len());
    let Some(parts) = url::split_url(input, At::Last, true)
        .filter(|p| matches!(text(input, p.scheme), "postgresql" | "postgres"))
    else {
        return Outcome::invalid(vec![Diagnostic::new(
            &RULE_DIALECT_UNSUPPORTED,
            "Prisma: \"the URL must start with the protocol `postgresql://` or `postgres://`\"",
        )
        .at(Span::new(
            0,
            input.find("://").map_or(input.len(), |i| i + 3),
        ))]);
    };
    let mut diagnostics = Vec::new();

    // Host and port (Rust `url`: an opaque host may contain commas; the port must be digits).
    let hosts = url::host_list(input, parts.authority);
    if hosts.len() > 1 {
        let invalid_port = hosts
            .iter()
            .take(hosts.len().saturating_sub(1))
            .any(|h| h.port.is_some());
        let detail = if invalid_port {
            "Prisma cannot parse a host list: \"invalid port number\" (error P1013)".to_string()
        } else {
            format!(
                "Prisma reads `{}` as one host name, which does not resolve",
                text(input, parts.authority)
            )
        };
        let diagnostic =
            Diagnostic::new(&RULE_MULTIPLE_HOSTS_UNSUPPORTED, detail).at(parts.authority);
        if invalid_port {
            return Outcome::invalid(vec![diagnostic]);
        }
        diagnostics.push(diagnostic);
    }
    let (host_span, port_span) = match hosts.as_slice() {
        [one] => (one.host, one.port),
        _ => (parts.authority, None),
    };
    let port = port_span.map(|s| text(input, s)).unwrap_or_default();
    if !(port.is_empty() || super::is_port_number(port)) {
        return invalid(
            input,
            format!("Prisma: \"invalid port number\" `{port}` (error P1013)"),
            port_span.unwrap_or(parts.authority),
        );
    }

    // Query: `url.query_pairs()`, form-urlencoded; later values overwrite earlier ones.
    let mut args: Vec<Arg> = Vec::new();
    if let Some(query) = parts.query {
        for pair in url::pairs(input, query, Plus::Space) {
            if pair.span.is_empty() {
                continue;
            }
            args.retain(|a| a.key != pair.key);
            args.push(Arg {
                key: pair.key,
                value: pair.value,
                key_span: pair.key_span,
                value_span: pair.value_span,
            });
        }
    }
    let arg = |key: &str| args.iter().find(|a| a.key == key);
    for a in &args {
        let bad = if a.key == "pgbouncer" {
            a.value.parse::<bool>().is_err()
        } else {
            INTEGERS.contains(&a.key.as_str()) && a.value.parse::<u64>().is_err()
        };
        if bad {
            return invalid(
                input,
                format!(
                    "Prisma: invalid connection argument `{}={}` (`InvalidConnectionArguments`): {}",
                    a.key,
                    a.value,
                    if a.key == "pgbouncer" { "`true` or `false`" } else { "a whole number of seconds or a count" }
                ),
                a.value_span,
            );
        }
    }

    // Parameters as Prisma reads them.
    let mut params = Vec::new();
    let user = parts
        .user
        .map(|s| (url::decode(text(input, s), Plus::Literal).text, s));
    let password = parts
        .password
        .map(|s| (url::decode(text(input, s), Plus::Literal).text, s));
    let url_host = url::decode(text(input, host_span), Plus::Literal).text;
    let (host, host_value_span) = match arg("host") {
        Some(h) => (h.value.clone(), h.value_span),
        None if url_host.is_empty() => ("localhost".to_string(), host_span),
        None => (url_host, host_span),
    };
    // `dbname()`: the first path segment as written (not percent-decoded), default `postgres`.
    let database = parts
        .path
        .map(|p| {
            let raw = text(input, p);
            let segment = raw.split('/').next().unwrap_or_default();
            (
                segment.to_string(),
                Span::new(p.start, p.start + segment.len()),
            )
        })
        .filter(|(d, _)| !d.is_empty());
    put(&mut params, "host", &host);
    put(
        &mut params,
        "port",
        if port.is_empty() { "5432" } else { port },
    );
    put(
        &mut params,
        "database",
        database.as_ref().map_or("postgres", |(d, _)| d.as_str()),
    );
    if let Some((u, _)) = &user {
        put(&mut params, "user", u);
    }
    if let Some((p, _)) = &password {
        put(&mut params, "password", p);
    }
    for a in &args {
        if a.key != "host" {
            put(&mut params, &a.key, &a.value);
        }
    }

    // Ignored parameters.
    for a in &args {
        if KNOWN.contains(&a.key.as_str()) {
            continue;
        }
        let hint = match a.key.as_str() {
            "sslrootcert" => "Prisma's CA parameter is `sslcert` (used with `sslaccept=strict`)",
            "sslkey" => "client certificates go in `sslidentity` as a PKCS-12 bundle",
            "ssl" => "use `sslmode=require`",
            _ => "Prisma discards parameters it does not know",
        };
        let severity = if is_tls_name(&a.key) {
            Severity::Warning
        } else {
            Severity::Info
        };
        diagnostics.push(
            Diagnostic::new(
                &RULE_PARAM_IGNORED,
                format!("`{}` is ignored: {hint}", a.key),
            )
            .at(a.key_span)
            .with_severity(severity)
            .with_fix(Fix::replace(
                format!("Remove {}", a.key),
                url::remove_element(input, a.key_span.cover(a.value_span)),
            )),
        );
    }

    // TLS. Source: parse_query_params — sslmode disable|prefer|require, anything else keeps
    // the default prefer; sslaccept strict|accept_invalid_certs, default
    // accept_invalid_certs, anything else strict. get_connector sets
    // danger_accept_invalid_certs unless strict; sslcert is added as a root certificate.
    let sslmode = arg("sslmode");
    let mode = match sslmode.map(|s| s.value.as_str()) {
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
                    .with_fix(Fix::replace(
                        "Use sslmode=require&sslaccept=strict",
                        url::set_query(
                            &url::set_query(input, "sslmode", "require"),
                            "sslaccept",
                            "strict",
                        ),
                    )),
                );
            }
            "prefer"
        }
    };
    let accept = arg("sslaccept");
    let strict = match accept.map(|a| a.value.as_str()) {
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
    };
    let tls = match (mode, strict) {
        ("disable", _) => Tls::Off,
        ("prefer", false) => Tls::PreferNoVerify,
        ("prefer", true) => Tls::PreferVerified { host: true },
        ("require", false) => Tls::RequireNoVerify,
        _ => Tls::RequireFull,
    };
    let sslcert = arg("sslcert");
    if !strict && mode != "disable" && (accept.is_some() || mode == "require" || sslcert.is_some())
    {
        let span = accept
            .map(|a| a.key_span.cover(a.value_span))
            .or(sslmode.map(|s| s.key_span.cover(s.value_span)))
            .or(sslcert.map(|s| s.key_span.cover(s.value_span)))
            .unwrap_or(end);
        let mut fixed = url::set_query(input, "sslaccept", "strict");
        if mode == "prefer" {
            fixed = url::set_query(&fixed, "sslmode", "require");
        }
        diagnostics.push(
            Diagnostic::new(
                &RULE_ACCEPT_INVALID_CERTS,
                format!(
                    "`sslaccept` is {}: Prisma encrypts but accepts any certificate and skips the host-name check{}",
                    if accept.is_some() { "`accept_invalid_certs`" } else { "not set and defaults to `accept_invalid_certs`" },
                    if sslcert.is_some() { ", so the CA in `sslcert` is never used" } else { "" }
                ),
            )
            .at(span)
            .with_fix(Fix::replace("Verify the server with sslaccept=strict", fixed)),
        );
    }
    if let Some(cert) = sslcert {
        let with_key = arg("sslkey").is_some();
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
            .at(cert.key_span.cover(cert.value_span))
            .with_severity(if with_key { Severity::Warning } else { Severity::Info }),
        );
    }

    // The libpq equivalent.
    let mut eq = Equivalent::new(Form::Uri, input);
    eq.set_at("host", &host, host_value_span);
    if let Some(span) = port_span.filter(|_| !port.is_empty()) {
        eq.set_at("port", port, span);
    }
    match &database {
        Some((db, span)) => eq.set_at("dbname", db, *span),
        // quaint's default database is `postgres`; libpq's would be the user name.
        None => eq.set_implied("dbname", "postgres"),
    }
    if let Some((u, span)) = &user {
        if !u.is_empty() {
            eq.set_at("user", u, *span);
        }
    }
    if let Some((p, span)) = &password {
        if !p.is_empty() {
            eq.set_at("password", p, *span);
        }
    }
    match arg("connect_timeout") {
        Some(t) if t.value != "0" => eq.set("connect_timeout", &t.value, t.key_span, t.value_span),
        Some(_) => {}
        // quaint's default connect_timeout is 5 seconds.
        None => eq.set_implied("connect_timeout", "5"),
    }
    for key in ["application_name", "options", "channel_binding"] {
        if let Some(a) = arg(key) {
            eq.set(key, &a.value, a.key_span, a.value_span);
        }
    }
    if let Some(schema) = arg("schema") {
        // PostgresSearchPath: the schema is sent double-quoted.
        eq.add_server_setting(
            "search_path",
            &format!("\"{}\"", schema.value),
            schema.key_span.cover(schema.value_span),
        );
    }
    if let Some(identity) = arg("sslidentity") {
        eq.approximate(format!(
            "libpq cannot read the PKCS-12 client identity `{}`; split it with `openssl pkcs12 -in {} -clcerts -nokeys -out client.crt` and `-nocerts -nodes -out client.key`, then use sslcert/sslkey",
            identity.value, identity.value
        ));
    }
    let mode_span = sslmode.map_or(end, |s| s.value_span);
    eq.set_tls(
        tls,
        sslcert
            .filter(|_| strict)
            .map(|c| (c.value.as_str(), c.value_span)),
        mode_span,
    );

    Outcome {
        valid: true,
        params,
        diagnostics,
        verdict: Some(tls.verdict("Prisma")),
        equivalent: Some(eq),
        no_equivalent: None,
        hosts: Vec::new(),
    }
}
