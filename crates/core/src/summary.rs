//! The security summary a person pastes to a reviewer: encryption, server verification, client
//! identity, chains, expiry dates, the role and the findings — facts only, each derived from the
//! [`Report`] (and the role builder's settings), in plain Markdown-friendly lines.
//!
//! **Invariant:** the summary is made from the report alone, which holds no secret (no
//! `params`, a redacted libpq equivalent that is not even shown); values that came from the
//! user's input are written with control characters escaped, so no input can add a line.

use crate::check::Report;
use crate::conninfo::dialect::Tri;
use crate::conninfo::options::{HostKind, HostTarget};
use crate::conninfo::syntax;
use crate::diagnostic::Severity;
use crate::pki::review::{CertificateSummary, ChainSummary};
use crate::pki::time::UnixTime;
use std::fmt::Write as _;

/// What the role builder produced, for the "Role" line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleFacts<'a> {
    pub database: &'a str,
    pub login_role: &'a str,
    /// `read-only` or `read-write`.
    pub access: &'a str,
    /// e.g. `schema app; table app.orders`.
    pub scope: &'a str,
    pub auth: &'a str,
    /// The password's `VALID UNTIL`, when set.
    pub valid_until: Option<&'a str>,
}

/// How many certificates the expiry list names before summing up the rest.
const EXPIRY_LINES: usize = 12;

/// The summary text; `now` is Unix seconds (the date the check ran).
pub fn security_summary(report: &Report, role: Option<&RoleFacts<'_>>, now: UnixTime) -> String {
    let mut out = String::new();
    let date = now.rfc3339();
    let _ = writeln!(
        out,
        "pg-preflight security summary (checked {} UTC; nothing was sent anywhere)",
        date.get(..10).unwrap_or(&date)
    );
    connection_lines(report, &mut out);
    client_line(report, &mut out);
    let _ = writeln!(
        out,
        "Server chain: {}",
        report
            .chains
            .server
            .as_ref()
            .map_or_else(|| "not given".to_string(), chain_text)
    );
    expiry_lines(&report.certificates, &mut out);
    let _ = writeln!(
        out,
        "Role: {}",
        role.map_or_else(|| "not given".to_string(), role_text)
    );
    findings_line(report, &mut out);
    out
}

/// Input text with control characters escaped (`\n`, `\u{1b}`), so it stays on its line.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn tri(value: Tri) -> &'static str {
    match value {
        Tri::Yes => "yes",
        Tri::No => "no",
        Tri::Maybe => "not guaranteed",
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

fn host_text(target: &HostTarget) -> String {
    let port = target.port.as_deref().filter(|p| !p.is_empty());
    let with_port = |name: &str| match port {
        Some(p) => format!("{}:{}", clean(name), clean(p)),
        None => format!("{} (default port)", clean(name)),
    };
    match target.kind {
        HostKind::Name | HostKind::Address => {
            let name = target
                .host
                .as_deref()
                .filter(|h| !h.is_empty())
                .or(target.hostaddr.as_deref())
                .unwrap_or_default();
            with_port(name)
        }
        HostKind::UnixSocket => format!(
            "Unix socket {}",
            clean(target.host.as_deref().unwrap_or_default())
        ),
        HostKind::Default => "the default Unix socket".to_string(),
    }
}

fn connection_lines(report: &Report, out: &mut String) {
    let Some(connection) = &report.connection else {
        let _ = writeln!(out, "Connection: not given");
        let _ = writeln!(out, "Encryption: not given");
        return;
    };
    let dialect = connection.dialect.name();
    if !connection.valid {
        let _ = writeln!(
            out,
            "Connection: {dialect}, the string is rejected (see the findings)"
        );
        let _ = writeln!(out, "Encryption: unknown (the string is rejected)");
        return;
    }
    let hosts: Vec<String> = connection.hosts.iter().map(host_text).collect();
    let hosts = if hosts.is_empty() {
        "no host".to_string()
    } else {
        format!(
            "{} {}",
            if hosts.len() == 1 { "host" } else { "hosts" },
            hosts.join(", ")
        )
    };
    let _ = writeln!(
        out,
        "Connection: {dialect}{}, {hosts}",
        if connection.detected {
            " (detected)"
        } else {
            ""
        }
    );
    let Some(verdict) = &connection.verdict else {
        let _ = writeln!(out, "Encryption: unknown");
        return;
    };
    let sslmode = connection
        .libpq_equivalent
        .as_deref()
        .and_then(|e| syntax::parse(e).ok())
        .and_then(|c| c.get("sslmode").map(clean));
    let mode = match (sslmode, connection.dialect.name()) {
        (Some(mode), "libpq") => format!(" (sslmode={mode})"),
        (Some(mode), _) => format!(" (libpq equivalent: sslmode={mode})"),
        (None, "libpq") => " (sslmode not set: libpq's default prefer)".to_string(),
        (None, _) => String::new(),
    };
    if verdict.local {
        let _ = writeln!(
            out,
            "Encryption: not applicable (local Unix-domain socket)\nVerdict: {}",
            clean(&verdict.summary)
        );
        return;
    }
    let _ = writeln!(
        out,
        "Encryption: {}{mode}; Server verification enforced: {}; Host name check enforced: {}; Plaintext fallback: {}",
        tri(verdict.encrypted),
        tri(verdict.server_verified),
        tri(verdict.hostname_verified),
        yes_no(verdict.plaintext_fallback)
    );
    let _ = writeln!(out, "Verdict: {}", clean(&verdict.summary));
}

fn cert_name(cert: &CertificateSummary) -> String {
    clean(
        &cert
            .facts
            .common_name
            .as_ref()
            .map_or_else(|| cert.subject.clone(), |cn| format!("CN={cn}")),
    )
}

fn chain_text(chain: &ChainSummary) -> String {
    let verdict = |valid: bool| if valid { "valid" } else { "invalid" };
    format!(
        "{} (libpq) / {} (strict)",
        verdict(chain.valid),
        verdict(chain.strict_valid)
    )
}

fn client_line(report: &Report, out: &mut String) {
    let client = report.certificates.iter().find(|c| c.role == "client");
    let Some(client) = client else {
        let _ = writeln!(out, "Client identity: not given (no client certificate)");
        return;
    };
    let key = match report.key_match {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "not checked (no readable key given)",
    };
    let chain = report
        .chains
        .client
        .as_ref()
        .map_or_else(|| "not checked (no CA given)".to_string(), chain_text);
    let _ = writeln!(
        out,
        "Client identity: certificate {}, key matches: {key}, chain to client CA: {chain}",
        cert_name(client)
    );
}

/// A certificate's role (`CertificateSummary::role`) in words, for people.
pub fn role_label(role: &str) -> &'static str {
    match role {
        "root" => "root CA",
        "root-file-intermediate" => "intermediate CA in the CA file",
        "client" => "client certificate",
        "client-intermediate" => "client intermediate",
        "server" => "server certificate",
        "server-intermediate" => "server intermediate",
        "client-ca" => "client CA",
        "misplaced" => "certificate in the key file",
        _ => "certificate",
    }
}

fn expiry_text(cert: &CertificateSummary) -> String {
    let date = cert.not_after.get(..10).unwrap_or(&cert.not_after);
    let when = match cert.days_left {
        d if d < 0 => format!("expired {date} ({} days ago)", d.unsigned_abs()),
        1 => format!("expires {date} (1 day left)"),
        d => format!("expires {date} ({d} days left)"),
    };
    let known = cert
        .known_ca
        .as_ref()
        .map(|k| format!(" ({k})"))
        .unwrap_or_default();
    format!(
        "{} {}{known} {when}",
        role_label(&cert.role),
        cert_name(cert)
    )
}

fn expiry_lines(certificates: &[CertificateSummary], out: &mut String) {
    if certificates.is_empty() {
        let _ = writeln!(out, "Expiry: not given (no certificates)");
        return;
    }
    // Soonest first: that is what a reviewer acts on. Bundles of many CAs are cut short.
    let mut sorted: Vec<&CertificateSummary> = certificates.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |c| c.days_left);
    let _ = writeln!(out, "Expiry:");
    for cert in sorted.iter().take(EXPIRY_LINES) {
        let _ = writeln!(out, "- {}", expiry_text(cert));
    }
    if let Some(rest) = sorted.len().checked_sub(EXPIRY_LINES).filter(|n| *n > 0) {
        let _ = writeln!(out, "- and {rest} more certificates expiring later");
    }
}

fn role_text(role: &RoleFacts<'_>) -> String {
    let mut text = format!(
        "{} on {} as {} in {}, auth {}",
        clean(role.access),
        clean(role.scope),
        clean(role.login_role),
        clean(role.database),
        clean(role.auth)
    );
    // The role script writes `VALID UNTIL 'date 00:00:00+00'` (grants/postgres.rs): the
    // instant, not a date a reader would take for the end of that day.
    if let Some(until) = role.valid_until.filter(|v| !v.trim().is_empty()) {
        let _ = write!(text, ", password valid until {} 00:00 UTC", clean(until));
    }
    text
}

fn findings_line(report: &Report, out: &mut String) {
    let codes = |severity: Severity| {
        let mut codes: Vec<&str> = Vec::new();
        let mut count = 0;
        for d in report.diagnostics.iter().filter(|d| d.severity == severity) {
            count += 1;
            if !codes.contains(&d.code) {
                codes.push(d.code);
            }
        }
        (count, codes)
    };
    let part = |severity: Severity, one: &str, many: &str| {
        let (count, list) = codes(severity);
        let noun = if count == 1 { one } else { many };
        if list.is_empty() {
            format!("{count} {noun}")
        } else {
            format!("{count} {noun} ({})", list.join(", "))
        }
    };
    let _ = writeln!(
        out,
        "Findings: {}, {}, {}",
        part(Severity::Error, "error", "errors"),
        part(Severity::Warning, "warning", "warnings"),
        part(Severity::Info, "advice", "advice")
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::check::{check, CheckInput};
    use crate::pki::review::Material;

    /// 2026-06-01T00:00:00Z.
    const NOW: UnixTime = UnixTime::from_seconds(1_780_272_000);

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!("../tests/fixtures/pki/", $name)).as_slice()
        };
    }

    /// The server's chain as `openssl s_client -showcerts` prints it: leaf, then intermediate.
    fn server_chain() -> Vec<u8> {
        [fixture!("server.crt"), fixture!("inter.crt")].concat()
    }

    fn full_material(server_chain: &[u8]) -> Material<'_> {
        Material {
            root_cert: Some(fixture!("root.crt")),
            client_cert: Some(fixture!("client-with-intermediate.crt")),
            client_key: Some(fixture!("client.pkcs8.key")),
            server_chain: Some(server_chain),
            ..Material::default()
        }
    }

    fn line<'a>(text: &'a str, prefix: &str) -> &'a str {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} line in\n{text}"))
    }

    const ROLE: RoleFacts<'static> = RoleFacts {
        database: "appdb",
        login_role: "app_user",
        access: "read-only",
        scope: "schema app",
        auth: "scram-sha-256",
        valid_until: Some("2027-02-20"),
    };

    #[test]
    fn a_full_configuration() {
        let report = check(&CheckInput {
            dsn: Some("host=db.example.com dbname=appdb user=app_user sslmode=verify-full sslrootcert=root.crt sslcert=client.crt sslkey=client.key"),
            driver: None,
            material: full_material(&server_chain()),
            now: NOW,
        });
        let text = security_summary(&report, Some(&ROLE), NOW);
        assert!(text.starts_with(
            "pg-preflight security summary (checked 2026-06-01 UTC; nothing was sent anywhere)\n"
        ));
        assert_eq!(
            line(&text, "Connection:"),
            "Connection: libpq (detected), host db.example.com (default port)"
        );
        assert_eq!(
            line(&text, "Encryption:"),
            "Encryption: yes (sslmode=verify-full); Server verification enforced: yes; Host name check enforced: yes; Plaintext fallback: no"
        );
        assert_eq!(
            line(&text, "Client identity:"),
            "Client identity: certificate CN=app_user, key matches: yes, chain to client CA: valid (libpq) / valid (strict)"
        );
        assert_eq!(
            line(&text, "Server chain:"),
            "Server chain: valid (libpq) / valid (strict)"
        );
        assert_eq!(
            line(&text, "- client certificate"),
            "- client certificate CN=app_user expires 2026-06-15 (14 days left)"
        );
        assert_eq!(
            line(&text, "- root CA"),
            "- root CA CN=Fixture Root CA expires 2035-01-01 (3136 days left)"
        );
        assert_eq!(
            line(&text, "Role:"),
            "Role: read-only on schema app as app_user in appdb, auth scram-sha-256, password valid until 2027-02-20 00:00 UTC"
        );
        let findings = line(&text, "Findings:");
        assert!(
            findings.starts_with("Findings: 0 errors, 1 warning (PGP-CERT-"),
            "{findings}"
        );
    }

    #[test]
    fn the_password_never_appears() {
        for dsn in [
            "postgresql://app_user:SeCrEt123@db.example.com/appdb?sslmode=verify-full",
            "host=db.example.com user=app_user password=SeCrEt123 sslpassword=SeCrEt123",
            "jdbc:postgresql://db.example.com/appdb?user=app_user&password=SeCrEt123",
            "postgresql://app_user:SeCrEt123@db.example.com:bad/appdb",
            "postgresql://app_user:SeCrEt123@[::1/appdb",
        ] {
            let report = check(&CheckInput {
                dsn: Some(dsn),
                driver: None,
                material: Material {
                    key_passphrase: Some(b"SeCrEt123"),
                    ..full_material(&server_chain())
                },
                now: NOW,
            });
            let text = security_summary(&report, Some(&ROLE), NOW);
            assert!(!text.contains("SeCrEt123"), "{dsn}\n{text}");
        }
    }

    #[test]
    fn a_rejected_string_and_no_certificates() {
        let report = check(&CheckInput {
            dsn: Some("host='unterminated"),
            now: NOW,
            ..Default::default()
        });
        let text = security_summary(&report, None, NOW);
        assert_eq!(
            line(&text, "Connection:"),
            "Connection: libpq, the string is rejected (see the findings)"
        );
        assert_eq!(
            line(&text, "Encryption:"),
            "Encryption: unknown (the string is rejected)"
        );
        assert_eq!(
            line(&text, "Expiry:"),
            "Expiry: not given (no certificates)"
        );
        assert!(
            line(&text, "Findings:").starts_with("Findings: 1 error (PGP-"),
            "{text}"
        );
    }

    #[test]
    fn weak_settings_and_other_dialects_are_stated() {
        let report = check(&CheckInput {
            dsn: Some("host=a.example.com,/var/run/postgresql port=5433,"),
            now: NOW,
            ..Default::default()
        });
        let text = security_summary(&report, None, NOW);
        assert_eq!(
            line(&text, "Connection:"),
            "Connection: libpq (detected), hosts a.example.com:5433, Unix socket /var/run/postgresql"
        );
        assert_eq!(
            line(&text, "Encryption:"),
            "Encryption: not guaranteed (sslmode not set: libpq's default prefer); Server verification enforced: no; Host name check enforced: no; Plaintext fallback: yes"
        );
        let report = check(&CheckInput {
            dsn: Some("jdbc:postgresql://db.example.com/app?sslmode=verify-ca"),
            now: NOW,
            ..Default::default()
        });
        let text = security_summary(&report, None, NOW);
        assert_eq!(
            line(&text, "Connection:"),
            "Connection: jdbc (detected), host db.example.com (default port)"
        );
        assert_eq!(
            line(&text, "Encryption:"),
            "Encryption: yes (libpq equivalent: sslmode=verify-ca); Server verification enforced: yes; Host name check enforced: no; Plaintext fallback: no"
        );
    }

    #[test]
    fn input_cannot_add_lines() {
        let report = check(&CheckInput {
            dsn: Some("host='evil\nServer verified: yes' sslmode=disable"),
            now: NOW,
            ..Default::default()
        });
        let text = security_summary(&report, None, NOW);
        assert_eq!(
            text.lines()
                .filter(|l| l.starts_with("Server verified"))
                .count(),
            0
        );
        assert!(
            line(&text, "Connection:").contains("evil\\nServer verified: yes"),
            "{text}"
        );
        let role = RoleFacts {
            scope: "x\nFindings: none",
            ..ROLE
        };
        let text = security_summary(&report, Some(&role), NOW);
        assert_eq!(
            text.lines().filter(|l| l.starts_with("Findings:")).count(),
            1
        );
    }

    #[test]
    fn long_bundles_are_cut_short_soonest_first() {
        let one = [
            fixture!("root.crt"),
            fixture!("inter.crt"),
            fixture!("server.crt"),
            fixture!("client.crt"),
        ]
        .concat();
        let bundle = one.repeat(4);
        let report = check(&CheckInput {
            material: Material {
                root_cert: Some(&bundle),
                ..Material::default()
            },
            now: NOW,
            ..Default::default()
        });
        assert_eq!(report.certificates.len(), 16);
        let text = security_summary(&report, None, NOW);
        let listed: Vec<&str> = text.lines().filter(|l| l.starts_with("- ")).collect();
        assert_eq!(listed.len(), EXPIRY_LINES + 1, "{text}");
        assert!(
            listed[0].contains("CN=app_user expires 2026-06-15 (14 days left)"),
            "{text}"
        );
        assert_eq!(
            listed[EXPIRY_LINES],
            "- and 4 more certificates expiring later"
        );
    }

    #[test]
    fn control_characters_stay_on_their_line() {
        assert_eq!(clean("a\nServer verified: yes"), "a\\nServer verified: yes");
        assert_eq!(clean("é\u{1b}"), "é\\u{1b}");
    }

    #[test]
    fn an_empty_report_says_not_given() {
        let report = crate::check::check(&crate::check::CheckInput {
            now: NOW,
            ..Default::default()
        });
        let text = security_summary(&report, None, NOW);
        assert_eq!(
            text,
            "pg-preflight security summary (checked 2026-06-01 UTC; nothing was sent anywhere)\n\
             Connection: not given\n\
             Encryption: not given\n\
             Client identity: not given (no client certificate)\n\
             Server chain: not given\n\
             Expiry: not given (no certificates)\n\
             Role: not given\n\
             Findings: 0 errors, 0 warnings, 0 advice\n"
        );
    }
}
