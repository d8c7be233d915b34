//! pg_hba.conf lines and the matching postgresql.conf settings (PostgreSQL "The pg_hba.conf
//! File" and "Secure TCP/IP Connections with SSL").

use super::quote::hba_name;
use super::spec::{Auth, Plan};
use crate::diagnostic::Diagnostic;

rule!(
    RULE_HBA_NAME_REGEX,
    "PGP-HBA-004",
    Info,
    "Name written as a regular expression in pg_hba.conf",
    "From PostgreSQL 16 a database or user field in pg_hba.conf that starts with `/` is a \
regular expression, quoted or not. A name that itself starts with `/` is therefore written as an \
anchored, escaped expression that matches exactly that name.",
    ["https://www.postgresql.org/docs/16/auth-pg-hba-conf.html"]
);

/// pg_hba.conf is read top to bottom and the first line whose connection type, database, user
/// and address match decides; `reject` ends the search. So the role gets, in order: no Unix
/// socket logins, no logins without TLS, TLS logins to its database from its networks with its
/// method, and a final reject for everything else, so that a broader line further down (such as
/// `host all all 0.0.0.0/0 scram-sha-256`) cannot let it in from elsewhere.
pub fn hba_lines(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> String {
    let (user, user_regex) = hba_name(&plan.role, plan.pg_version);
    let (database, db_regex) = hba_name(&plan.database, plan.pg_version);
    for (regex, what, key, name) in [
        (user_regex, "user", "role", &plan.role),
        (db_regex, "database", "database", &plan.database),
    ] {
        if regex {
            diagnostics.push(
                Diagnostic::new(
                    &RULE_HBA_NAME_REGEX,
                    format!("The {what} name `{name}` starts with `/`, which PostgreSQL {} reads as a regular expression in pg_hba.conf; it is written as an anchored, escaped expression matching only `{name}`.", plan.pg_version),
                )
                .about_spec_key(key),
            );
        }
    }
    let method = match plan.auth {
        Auth::Scram => "scram-sha-256",
        Auth::Cert => "cert",
        Auth::ScramAndCert => "scram-sha-256 clientcert=verify-full",
    };
    let mut rows: Vec<[String; 5]> = vec![
        row("local", "all", &user, "", "reject"),
        row("hostnossl", "all", &user, "all", "reject"),
    ];
    for cidr in &plan.client_cidrs {
        rows.push(row("hostssl", &database, &user, &cidr.to_string(), method));
    }
    rows.push(row("host", "all", &user, "all", "reject"));

    let mut out = format!(
        "# pg-preflight: pg_hba.conf lines for role {role} on database {db} (PostgreSQL {version}).\n\
         # The first line that matches a connection decides. Put these lines ABOVE every broader\n\
         # line (e.g. \"host all all 0.0.0.0/0 scram-sha-256\"), then reload: SELECT pg_reload_conf();\n\
         # Check with: SELECT * FROM pg_hba_file_rules WHERE error IS NOT NULL;  (must return no row)\n\
         # {method_note}\n",
        role = plan.role,
        db = plan.database,
        version = plan.pg_version,
        method_note = match plan.auth {
            Auth::Scram => "Password (SCRAM-SHA-256) over TLS only.",
            Auth::Cert => "Client certificate only: its CN must equal the role name (or add map=… with a pg_ident.conf map).",
            Auth::ScramAndCert => "Password and client certificate: clientcert=verify-full also requires CN = role name.",
        }
    );
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, String::len))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in &rows {
        let mut line = String::new();
        for (i, field) in r.iter().enumerate() {
            if field.is_empty() {
                continue;
            }
            line.push_str(field);
            if let Some(width) = widths.get(i) {
                line.push_str(&" ".repeat(width.saturating_sub(field.len()) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn row(kind: &str, database: &str, user: &str, address: &str, method: &str) -> [String; 5] {
    [kind, database, user, address, method].map(str::to_string)
}

/// postgresql.conf settings for these connections ("Server Configuration" → SSL, Authentication,
/// What to Log).
pub fn server_settings(plan: &Plan) -> String {
    let mut out = String::from(
        "# pg-preflight: postgresql.conf settings for TLS-only, verified connections.\n\
         # Set them in postgresql.conf (or ALTER SYSTEM SET …), then reload: SELECT pg_reload_conf();\n\
         ssl = on\n\
         ssl_cert_file = 'server.crt'        # server certificate + intermediates; its SANs cover every host name clients use\n\
         ssl_key_file = 'server.key'         # owned by the server's OS user, mode 0600\n",
    );
    if plan.auth.uses_certificate() {
        out.push_str(
            "ssl_ca_file = 'client-ca.crt'       # the CA that issues client certificates (required for cert / clientcert)\n\
             #ssl_crl_file = 'client-ca.crl'     # to revoke a client certificate before it expires\n",
        );
    }
    out.push_str(
        "ssl_min_protocol_version = 'TLSv1.2'\n\
         password_encryption = 'scram-sha-256'   # new passwords are stored as SCRAM verifiers, never MD5\n",
    );
    if plan.pg_version >= 18 {
        out.push_str("log_connections = 'receipt,authentication,authorization'\n");
    } else {
        out.push_str("log_connections = on\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grants::spec::{parse_spec, plan, Date};

    fn plan_of(json: &str) -> Plan {
        let spec = parse_spec(json).unwrap();
        plan(
            &spec,
            Date {
                year: 2026,
                month: 11,
                day: 22,
            },
        )
        .0
        .unwrap()
    }

    #[test]
    fn lines_reject_plain_tcp_then_allow_tls_then_reject_the_rest() {
        let plan = plan_of(
            r#"{"dialect":"postgres","database":"appdb","role":"ai_reader","ownerRole":"o","clientCidrs":["203.0.113.0/24"],"auth":"scram+cert"}"#,
        );
        let mut diags = Vec::new();
        let text = hba_lines(&plan, &mut diags);
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("local") && lines[0].ends_with("reject"));
        assert!(lines[1].starts_with("hostnossl") && lines[1].contains("\"ai_reader\""));
        assert!(
            lines[2].starts_with("hostssl")
                && lines[2].contains("\"appdb\"")
                && lines[2].contains("203.0.113.0/24")
                && lines[2].ends_with("scram-sha-256 clientcert=verify-full")
        );
        assert!(lines[3].starts_with("host ") && lines[3].ends_with("reject"));
        assert!(diags.is_empty());
    }

    #[test]
    fn slash_names_become_anchored_regexes_from_16() {
        let plan = plan_of(
            r#"{"dialect":"postgres","serverVersion":16,"database":"d","role":"/etc","ownerRole":"o","clientCidrs":["10.0.0.0/8"]}"#,
        );
        let mut diags = Vec::new();
        let text = hba_lines(&plan, &mut diags);
        assert!(text.contains(r#""/^\/etc$""#), "{text}");
        assert_eq!(
            diags.iter().map(|d| d.code).collect::<Vec<_>>(),
            ["PGP-HBA-004"]
        );
    }
}
