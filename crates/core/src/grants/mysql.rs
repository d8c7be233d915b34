//! The MySQL / MariaDB account script ("CREATE USER", "GRANT", "Account Names"). Names are
//! backtick-quoted ([`my_ident`]), strings escaped for a session where backslash escapes are on
//! ([`my_literal`]), which the script itself makes sure of.

use super::quote::{my_ident, my_literal};
use super::spec::RULE_SPEC_VALUE;
use super::spec::{Access, Auth, Cidr, MySqlFlavor, Plan, TableRef};
use crate::diagnostic::Diagnostic;
use std::net::IpAddr;

/// The certificate names `REQUIRE SUBJECT … AND ISSUER …` pins, in OpenSSL one-line form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateNames {
    pub subject: String,
    pub issuer: String,
}

#[derive(Debug, Clone)]
pub struct MyScripts {
    pub sql: String,
    pub verify: String,
    pub rotate: String,
    pub teardown: String,
    pub notes: Vec<String>,
}

/// The account host part for one client network: an exact address, `a.b.c.d/netmask` for an
/// IPv4 network (the form both MySQL and MariaDB accept), `%` for every address.
pub fn host_pattern(cidr: &Cidr) -> Result<String, String> {
    if cidr.is_anywhere() {
        return Ok("%".into());
    }
    if cidr.prefix == cidr.max_prefix() {
        return Ok(cidr.address.to_string());
    }
    match cidr.address {
        IpAddr::V4(address) => {
            let mask = u32::MAX << (32 - u32::from(cidr.prefix));
            Ok(format!("{address}/{}", std::net::Ipv4Addr::from(mask)))
        }
        IpAddr::V6(_) => Err(format!(
            "`{cidr}`: MySQL and MariaDB account host names cannot express an IPv6 network; give single IPv6 addresses (/128) or IPv4 networks"
        )),
    }
}

/// Account hosts for the plan's networks; an impossible one is a diagnostic.
pub fn hosts(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for cidr in &plan.client_cidrs {
        match host_pattern(cidr) {
            Ok(host) if !out.contains(&host) => out.push(host),
            Ok(_) => {}
            Err(why) => diagnostics
                .push(Diagnostic::new(&RULE_SPEC_VALUE, why).about_spec_key("clientCidrs")),
        }
    }
    out
}

fn account(plan: &Plan, host: &str) -> String {
    format!("{}@{}", my_ident(&plan.role), my_ident(host))
}

/// In a database-level grant (`db.*`) the database name is a pattern where `_` and `%` are
/// wildcards ("GRANT Statement": "The _ and % wildcards are permitted when specifying database
/// names"); escaping them grants on exactly the named database.
fn database_pattern(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c == '_' || c == '%' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    my_ident(&out)
}

fn table_name(table: &TableRef) -> String {
    format!("{}.{}", my_ident(&table.schema), my_ident(&table.table))
}

fn flavor_name(flavor: MySqlFlavor) -> String {
    match flavor {
        MySqlFlavor::MySql { major, minor } => format!("MySQL {major}.{minor}"),
        MySqlFlavor::MariaDb { major, minor } => format!("MariaDB {major}.{minor}"),
    }
}

pub fn write(
    plan: &Plan,
    hosts: &[String],
    password_hash: &str,
    certificate: Option<&CertificateNames>,
) -> MyScripts {
    let mut notes = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let comment = |lines: &mut Vec<String>, text: &str| {
        for line in text.lines() {
            lines.push(if line.is_empty() {
                "--".into()
            } else {
                format!("-- {line}")
            });
        }
    };
    let require = match (plan.auth, certificate) {
        (Auth::Scram, _) => "REQUIRE SSL".to_string(),
        (_, Some(names)) => format!(
            "REQUIRE SUBJECT {} AND ISSUER {}",
            my_literal(&names.subject),
            my_literal(&names.issuer)
        ),
        (_, None) => "REQUIRE X509".to_string(),
    };
    comment(
        &mut lines,
        &format!(
            "pg-preflight least-privilege account script for {flavor}\n\
             Account: {role} from {hosts}. Access: {access}.\n\
             TLS: {require}.\n\
             \n\
             Review it, then run it as an administrative account:\n\
             \x20 mariadb -u root -p < <this file>      (or: mysql -u root -p < <this file>)\n\
             It holds no plaintext password: the account stores a mysql_native_password hash.\n\
             It can be run again: the account is created when missing, then its settings and\n\
             grants are reset to exactly what this script says.",
            flavor = flavor_name(plan.mysql),
            role = plan.role,
            hosts = hosts.join(", "),
            access = match plan.access {
                Access::ReadOnly => "read-only (SELECT, SHOW VIEW)",
                Access::ReadWrite => "read-write (SELECT, SHOW VIEW, INSERT, UPDATE, DELETE)",
            },
        ),
    );
    lines.push(String::new());
    comment(
        &mut lines,
        "String literals below escape backslashes; make sure this session reads them that way.",
    );
    lines.push(
        "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');".into(),
    );
    lines.push(String::new());
    let identified = format!(
        "IDENTIFIED WITH mysql_native_password AS {}",
        my_literal(password_hash)
    );
    for host in hosts {
        let who = account(plan, host);
        lines.push(format!("CREATE USER IF NOT EXISTS {who} {identified};"));
        lines.push(format!(
            "ALTER USER {who} {identified}\n  {require}\n  WITH MAX_USER_CONNECTIONS {}\n  PASSWORD EXPIRE INTERVAL {} DAY;",
            max_user_connections(plan), plan.password_expire_days
        ));
        comment(
            &mut lines,
            "Start from nothing, so a re-run with a narrower spec leaves nothing behind.",
        );
        lines.push(format!("REVOKE ALL PRIVILEGES, GRANT OPTION FROM {who};"));
        for grant in grants(plan) {
            lines.push(format!("{grant} TO {who};"));
        }
        lines.push(String::new());
    }
    comment(
        &mut lines,
        "Never granted: GRANT OPTION, FILE, PROCESS, SUPER, CREATE, DROP, ALTER, INDEX, EXECUTE.",
    );
    if plan.auth == Auth::Scram {
        notes.push("REQUIRE SSL refuses unencrypted connections but does not check the client's identity beyond the password; use auth `scram+cert` for REQUIRE X509/SUBJECT.".into());
    }
    if plan.auth.uses_certificate() && certificate.is_none() {
        notes.push("REQUIRE X509 accepts any client certificate the server's CA issued; give the client certificate to pin its subject and issuer (REQUIRE SUBJECT … AND ISSUER …).".into());
    }
    notes.push(format!(
        "PASSWORD EXPIRE INTERVAL {} DAY: after that the account can only change its password.",
        plan.password_expire_days
    ));
    let mut sql = lines.join("\n");
    sql.push('\n');
    MyScripts {
        sql,
        verify: verify_script(plan),
        rotate: rotate_script(plan, hosts),
        teardown: teardown_script(plan, hosts),
        notes,
    }
}

/// `MAX_USER_CONNECTIONS`: the spec's limit, or 0 for an emptied one, which MySQL and MariaDB
/// read as no limit of the account's own (MySQL 8.0 reference, "Setting Account Resource
/// Limits": "To remove a limit, set its value to zero"; the global max_user_connections applies).
fn max_user_connections(plan: &Plan) -> i64 {
    plan.connection_limit.unwrap_or(0)
}

fn grants(plan: &Plan) -> Vec<String> {
    let privileges = match plan.access {
        Access::ReadOnly => "SELECT, SHOW VIEW",
        Access::ReadWrite => "SELECT, SHOW VIEW, INSERT, UPDATE, DELETE",
    };
    let mut out = Vec::new();
    for database in &plan.schemas {
        out.push(format!(
            "GRANT {privileges} ON {}.*",
            database_pattern(database)
        ));
    }
    for table in &plan.tables {
        out.push(format!("GRANT {privileges} ON {}", table_name(table)));
    }
    for grant in &plan.columns {
        let columns: Vec<String> = grant.columns.iter().map(|c| my_ident(c)).collect();
        let columns = columns.join(", ");
        let privileges = match plan.access {
            Access::ReadOnly => format!("SELECT ({columns})"),
            Access::ReadWrite => {
                format!("SELECT ({columns}), INSERT ({columns}), UPDATE ({columns})")
            }
        };
        out.push(format!(
            "GRANT {privileges} ON {}",
            table_name(&grant.table)
        ));
    }
    out
}

fn verify_script(plan: &Plan) -> String {
    format!(
        "-- pg-preflight verification: run it logged in as {role}, over TLS, e.g.\n\
         --   mariadb --ssl-verify-server-cert --ssl-ca=ca.crt -h <server> -u <user> -p < <this file>\n\
         SELECT CURRENT_USER() AS account, USER() AS connected_as;\n\
         SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher');\n\
         SHOW GRANTS FOR CURRENT_USER();\n",
        role = plan.role
    )
}

fn rotate_script(plan: &Plan, hosts: &[String]) -> String {
    let mut out = format!(
        "-- pg-preflight rotation for {role}. Generate a new script with pg-preflight (a new password\n\
         -- and its hash) and run only its ALTER USER lines; or, as the account itself over TLS:\n\
         --   ALTER USER CURRENT_USER() IDENTIFIED BY '<new password>';\n\
         -- (that sends the new password to the server in the clear inside TLS, and may log it).\n",
        role = plan.role
    );
    for host in hosts {
        out.push_str(&format!(
            "ALTER USER {} PASSWORD EXPIRE INTERVAL {} DAY;\n",
            account(plan, host),
            plan.password_expire_days
        ));
    }
    out
}

fn teardown_script(plan: &Plan, hosts: &[String]) -> String {
    let mut out = format!(
        "-- pg-preflight teardown: removes the account {} and every privilege it holds.\n",
        plan.role
    );
    for host in hosts {
        out.push_str(&format!("DROP USER IF EXISTS {};\n", account(plan, host)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grants::spec::parse_cidr;

    #[test]
    fn hosts_for_networks() {
        assert_eq!(
            host_pattern(&parse_cidr("127.0.0.1/32").unwrap()).unwrap(),
            "127.0.0.1"
        );
        assert_eq!(
            host_pattern(&parse_cidr("203.0.113.0/24").unwrap()).unwrap(),
            "203.0.113.0/255.255.255.0"
        );
        assert_eq!(
            host_pattern(&parse_cidr("0.0.0.0/0").unwrap()).unwrap(),
            "%"
        );
        assert_eq!(host_pattern(&parse_cidr("::1").unwrap()).unwrap(), "::1");
        assert!(host_pattern(&parse_cidr("2001:db8::/32").unwrap()).is_err());
    }

    #[test]
    fn database_level_grants_escape_wildcards() {
        assert_eq!(database_pattern("app_db%"), "`app\\_db\\%`");
        assert_eq!(database_pattern("a`b"), "`a``b`");
    }
}
