//! The PostgreSQL scripts: the role script, the verification queries, rotation and teardown.
//! Every name goes through [`pg_ident`] and every string through [`pg_literal`]; nothing from the
//! spec is pasted into SQL any other way.

use super::quote::{pg_dollar_quote, pg_ident, pg_literal};
use super::spec::{Access, Auth, Plan, TableRef};
use crate::conninfo::redact::quote_value;
use crate::shell::{shell_quote, shell_word};

/// The statements and comments of one script, joined at the end.
struct Script {
    lines: Vec<String>,
}

impl Script {
    fn new() -> Script {
        Script { lines: Vec::new() }
    }

    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            self.lines.push(if line.is_empty() {
                "--".to_string()
            } else {
                format!("-- {line}")
            });
        }
    }

    fn sql(&mut self, statement: impl Into<String>) {
        self.lines.push(statement.into());
    }

    fn blank(&mut self) {
        self.lines.push(String::new());
    }

    fn finish(self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}

/// Names quoted for the plan's server version.
struct Names<'a> {
    plan: &'a Plan,
}

impl Names<'_> {
    fn id(&self, name: &str) -> String {
        pg_ident(name, self.plan.pg_version)
    }

    fn table(&self, table: &TableRef) -> String {
        format!("{}.{}", self.id(&table.schema), self.id(&table.table))
    }

    fn role(&self) -> String {
        self.id(&self.plan.role)
    }

    fn group(&self) -> String {
        self.id(&self.plan.group_role)
    }
}

#[derive(Debug, Clone)]
pub struct PgScripts {
    pub sql: String,
    pub verify: String,
    pub rotate: String,
    pub teardown: String,
    pub notes: Vec<String>,
}

/// Writes every PostgreSQL script for a checked plan. `verifier` is the SCRAM-SHA-256 verifier
/// of the password (None for `cert` auth).
pub fn write(plan: &Plan, verifier: Option<&str>) -> PgScripts {
    let mut notes = Vec::new();
    let sql = role_script(plan, verifier, &mut notes);
    PgScripts {
        sql,
        verify: verify_script(plan),
        rotate: rotate_script(plan),
        teardown: teardown_script(plan),
        notes,
    }
}

fn access_summary(plan: &Plan) -> String {
    let verb = match plan.access {
        Access::ReadOnly => "read-only (SELECT)",
        Access::ReadWrite => "read-write (SELECT, INSERT, UPDATE, DELETE)",
    };
    let mut what = Vec::new();
    if plan.read_all_data {
        what.push("every table of the cluster through pg_read_all_data".to_string());
    }
    if !plan.schemas.is_empty() {
        what.push(format!(
            "all tables in schema(s) {}",
            plan.schemas.join(", ")
        ));
    }
    if !plan.tables.is_empty() {
        let names: Vec<String> = plan
            .tables
            .iter()
            .map(|t| format!("{}.{}", t.schema, t.table))
            .collect();
        what.push(format!("table(s) {}", names.join(", ")));
    }
    for grant in &plan.columns {
        what.push(format!(
            "column(s) {} of {}.{}",
            grant.columns.join(", "),
            grant.table.schema,
            grant.table.table
        ));
    }
    format!("{verb} on {}", what.join("; "))
}

fn role_script(plan: &Plan, verifier: Option<&str>, notes: &mut Vec<String>) -> String {
    let n = Names { plan };
    let mut s = Script::new();
    header(&mut s, plan);
    s.sql("BEGIN;");
    s.blank();
    create_roles(&mut s, plan, verifier, notes);
    role_settings(&mut s, plan);
    database_privileges(&mut s, plan, notes);
    schema_usage(&mut s, plan);
    if plan.read_all_data {
        s.comment(
            "Cluster-wide shortcut (PostgreSQL 14+), flagged by pg-preflight (PGP-GRANT-008): SELECT on\n\
             every table, view and sequence of every database, including future ones.",
        );
        s.sql(format!("GRANT pg_read_all_data TO {};", n.group()));
        s.blank();
    }
    whole_schema_grants(&mut s, plan, notes);
    table_grants(&mut s, plan);
    column_grants(&mut s, plan, notes);
    function_hygiene(&mut s, plan, notes);
    s.comment(
        "Never granted: TRUNCATE, REFERENCES, TRIGGER, CREATE, and no privilege WITH GRANT OPTION.",
    );
    s.sql("COMMIT;");
    s.blank();
    s.comment(&format!(
        "Next: add the pg_hba.conf lines, reload the configuration (SELECT pg_reload_conf();),\n\
         then run the verification script while logged in as {}.",
        plan.role
    ));
    s.finish()
}

fn header(s: &mut Script, plan: &Plan) {
    s.comment(&format!(
        "pg-preflight least-privilege role script for PostgreSQL {version}\n\
         Database: {db}. Login role: {role}, a member of the NOLOGIN group role {group}.\n\
         Access: {access}.\n\
         Authentication: {auth}.\n\
         \n\
         Review it, then run it as a superuser (or a role with CREATEROLE that may grant on these\n\
         objects), connected to {db}:\n\
         \x20 psql -v ON_ERROR_STOP=1 -d {database_argument} -f <this file>\n\
         It holds no plaintext password. It runs in one transaction and can be run again: roles are\n\
         created only when missing, attributes, settings and grants are re-applied. Running it again\n\
         with a narrower spec does not revoke what an earlier run granted: use the teardown script first.",
        version = plan.pg_version,
        db = plan.database,
        database_argument = psql_database_argument(&plan.database),
        role = plan.role,
        group = plan.group_role,
        access = access_summary(plan),
        auth = match plan.auth {
            Auth::Scram => "password (SCRAM-SHA-256 verifier) over TLS",
            Auth::Cert => "client certificate only (CN = role name), no password",
            Auth::ScramAndCert => "password (SCRAM-SHA-256 verifier) and a client certificate",
        }
    ));
    s.blank();
}

/// psql's `-d` argument for the database, as one shell word. psql reads a `-d` argument that
/// holds `=` or starts with `postgresql://` or `postgres://` as a connection string rather than a
/// name (psql reference, PostgreSQL 17, "Options", `-d`): such a name goes in as `dbname=…`,
/// quoted as libpq reads keyword/value pairs (PostgreSQL 17, §32.1.1.1 "Keyword/Value
/// Connection Strings").
fn psql_database_argument(database: &str) -> String {
    let read_as_conninfo = database.contains('=')
        || database.starts_with("postgresql://")
        || database.starts_with("postgres://");
    if read_as_conninfo {
        shell_word(&format!("dbname={}", quote_value(database)))
    } else {
        shell_word(database)
    }
}

/// The verification's connection string with the database and role of the spec (the server and
/// CA file are the reader's), quoted for libpq (§32.1.1.1) and then as one shell word.
fn verify_connection_argument(plan: &Plan) -> String {
    shell_quote(&format!(
        "host=<server> dbname={} user={} sslmode=verify-full sslrootcert=<ca.crt>",
        quote_value(&plan.database),
        quote_value(&plan.role)
    ))
}

/// The attributes no service role needs (CREATE ROLE: "NOSUPERUSER … NOBYPASSRLS").
const SAFE_ATTRIBUTES: &str = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

fn create_roles(s: &mut Script, plan: &Plan, verifier: Option<&str>, notes: &mut Vec<String>) {
    let n = Names { plan };
    s.comment(
        "1. Roles. The group role holds every privilege; the login role only inherits them, so\n\
         rotating or replacing the login never touches a grant. PostgreSQL has no CREATE ROLE IF\n\
         NOT EXISTS, hence the DO block. A role that already exists with SUPERUSER, CREATEDB,\n\
         CREATEROLE, REPLICATION or BYPASSRLS has them removed (which needs a superuser).",
    );
    let mut body = String::from("BEGIN\n");
    for (name, login) in [(&plan.group_role, false), (&plan.role, true)] {
        let literal = pg_literal(name);
        let quoted = n.id(name);
        let login_word = if login { "LOGIN" } else { "NOLOGIN" };
        body.push_str(&format!(
            "  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {literal}) THEN\n\
             \x20   CREATE ROLE {quoted} {login_word} {SAFE_ATTRIBUTES};\n\
             \x20 ELSIF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {literal}\n\
             \x20     AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls)) THEN\n\
             \x20   ALTER ROLE {quoted} {SAFE_ATTRIBUTES};\n\
             \x20 END IF;\n"
        ));
    }
    body.push_str("END");
    s.sql(format!("DO {};", pg_dollar_quote(&body)));
    s.sql(format!("ALTER ROLE {} NOLOGIN;", n.group()));
    if plan.connection_limit.is_none() {
        s.comment(
            "No connection limit of the role's own (connectionLimit is empty): -1 is none, as for a\n\
             new role (CREATE ROLE), and removes one an earlier run set. max_connections still applies.",
        );
    }
    // CREATE ROLE (PostgreSQL 17): "CONNECTION LIMIT connlimit … -1 (the default) means no limit".
    let mut login = format!(
        "ALTER ROLE {} LOGIN INHERIT CONNECTION LIMIT {}",
        n.role(),
        plan.connection_limit.unwrap_or(-1)
    );
    match verifier {
        Some(verifier) => {
            s.comment(&format!(
                "The password stops working at {} (00:00 UTC, the start of that day), written with\n\
                 its zone: a bare date would mean midnight in the session's TimeZone.",
                valid_until_instant(plan)
            ));
            login.push_str(&format!(
                "\n  VALID UNTIL {}\n  PASSWORD {}",
                pg_literal(&valid_until_instant(plan)),
                pg_literal(verifier)
            ));
            notes.push(format!(
                "VALID UNTIL {} (00:00 UTC at the start of {}) ends password logins only: it does not end a session, nor certificate (cert) logins.",
                valid_until_instant(plan),
                plan.valid_until
            ));
        }
        None => {
            login.push_str("\n  PASSWORD NULL");
            notes.push(
                "Certificate authentication: the role has no password; the client certificate's notAfter date bounds its logins.".into(),
            );
        }
    }
    login.push(';');
    s.sql(login);
    s.sql(format!("GRANT {} TO {};", n.group(), n.role()));
    s.blank();
}

/// The instant `VALID UNTIL` ends password logins: 00:00 UTC at the start of the spec's date,
/// with its zone written out. `rolvaliduntil` is a timestamp with time zone, and a literal
/// without a zone is read in the session's TimeZone (PostgreSQL 17, §8.5.1.3 "Time Stamps"), so
/// a bare date would expire at a different instant on every server; CREATE ROLE (PostgreSQL 17,
/// "VALID UNTIL 'timestamp'") takes any timestamp and ends only password authentication then.
fn valid_until_instant(plan: &Plan) -> String {
    format!("{} 00:00:00+00", plan.valid_until)
}

/// Session guard rails as role settings (ALTER ROLE … SET): they apply at every login of the
/// role. They live on the login role because settings are not inherited through membership.
fn role_settings(s: &mut Script, plan: &Plan) {
    let n = Names { plan };
    let role = n.role();
    s.comment(
        "2. Session guard rails, applied at every login of the role. A session can change them\n\
         (SET …), so they are a safety net against runaway queries, not a permission: writes are\n\
         prevented by the missing privileges below.",
    );
    match plan.access {
        Access::ReadOnly => s.sql(format!(
            "ALTER ROLE {role} SET default_transaction_read_only = on;"
        )),
        Access::ReadWrite => s.sql(format!(
            "ALTER ROLE {role} RESET default_transaction_read_only;"
        )),
    }
    for (setting, value) in [
        ("statement_timeout", &plan.statement_timeout),
        (
            "idle_in_transaction_session_timeout",
            &plan.idle_in_transaction_session_timeout,
        ),
        ("lock_timeout", &plan.lock_timeout),
    ] {
        s.sql(role_setting(&role, setting, value.as_deref()));
    }
    let path: Vec<String> = plan.usage_schemas().iter().map(|x| n.id(x)).collect();
    if path.is_empty() {
        s.sql(format!("ALTER ROLE {role} RESET search_path;"));
    } else {
        s.sql(format!(
            "ALTER ROLE {role} SET search_path = {};",
            path.join(", ")
        ));
    }
    s.blank();
}

/// One timeout of the role: set to the spec's value, or, for an emptied one, RESET (ALTER ROLE,
/// PostgreSQL 17: "RESET … removes a role-specific variable setting"), so the database's or
/// server's setting applies and a limit an earlier run set does not linger.
fn role_setting(role: &str, setting: &str, value: Option<&str>) -> String {
    match value {
        Some(value) => format!("ALTER ROLE {role} SET {setting} = {};", pg_literal(value)),
        None => format!(
            "ALTER ROLE {role} RESET {setting};  -- empty in the spec: none of the role's own"
        ),
    }
}

fn database_privileges(s: &mut Script, plan: &Plan, notes: &mut Vec<String>) {
    let n = Names { plan };
    let db = n.id(&plan.database);
    s.comment("3. The database.");
    if plan.revoke_public_database {
        s.comment(
            "Opt-in hardening: every role without its own CONNECT grant loses access to this\n\
             database (the owner and superusers keep it), and PUBLIC loses TEMPORARY.",
        );
        s.sql(format!("REVOKE ALL ON DATABASE {db} FROM PUBLIC;"));
        notes.push(format!(
            "REVOKE ALL ON DATABASE {} FROM PUBLIC affects every role: grant CONNECT to the others that need it.",
            plan.database
        ));
    }
    s.sql(format!("GRANT CONNECT ON DATABASE {db} TO {};", n.group()));
    if !plan.revoke_public_database {
        public_temporary(s, plan, notes);
    }
    if plan.pg_version < 15 {
        s.comment(
            "Before PostgreSQL 15 every role may create objects in schema public; 15 made that\n\
             the default. Without this a read-only role could still create tables.",
        );
        s.sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC;");
    }
    s.blank();
}

/// What PUBLIC keeps on the database when the spec does not opt in to revoking it: every
/// database grants CONNECT and TEMPORARY to PUBLIC when it is created (PostgreSQL 17
/// documentation, §5.8 "Privileges", Table 5.2 "Summary of Access Privileges": default PUBLIC
/// privileges of a DATABASE are `Tc`; the same in 13–18). A role holds the sum of its own, its
/// groups' and PUBLIC's privileges, so TEMPORARY cannot be taken from this role alone (REVOKE,
/// "Description"); revoking it from PUBLIC takes it from every role without a grant of its own,
/// which is why it stays opt-in (`revokePublicDatabase`) and the script says what to run.
fn public_temporary(s: &mut Script, plan: &Plan, notes: &mut Vec<String>) {
    let n = Names { plan };
    let db = n.id(&plan.database);
    let read_only = plan.access == Access::ReadOnly;
    let mut text = String::from(
        "Not revoked here: TEMPORARY, which PUBLIC holds on every database from its creation\n\
         (PostgreSQL docs, 5.8 \"Privileges\", Table 5.2: a database's default PUBLIC privileges are\n\
         CONNECT and TEMPORARY). So this role, like every role, can create temporary tables here.\n",
    );
    if read_only {
        text.push_str(
            "Being read-only stops that only until a session turns default_transaction_read_only off.\n",
        );
    }
    text.push_str(&format!(
        "TEMPORARY cannot be revoked from this role alone (a role keeps what PUBLIC holds), and\n\
         revoking it from PUBLIC takes it from every role without a grant of its own. To close it,\n\
         grant TEMPORARY to the roles that use temporary tables, then run (as the database's owner):\n\
         \x20 REVOKE TEMPORARY ON DATABASE {db} FROM PUBLIC;\n\
         or set revokePublicDatabase, which revokes CONNECT from PUBLIC as well."
    ));
    s.comment(&text);
    if read_only {
        notes.push(format!(
            "The role is read-only but can still create temporary tables in {}: PUBLIC holds TEMPORARY on every database by default, and the script does not revoke it because that affects every role. To close it: REVOKE TEMPORARY ON DATABASE {db} FROM PUBLIC; (grant TEMPORARY to the roles that need it first), or set revokePublicDatabase.",
            plan.database
        ));
    }
}

fn schema_usage(s: &mut Script, plan: &Plan) {
    let n = Names { plan };
    let schemas = plan.usage_schemas();
    if schemas.is_empty() {
        return;
    }
    s.comment("4. Schemas: USAGE only lets the role look objects up; it grants no access to them.");
    for schema in schemas {
        s.sql(format!(
            "GRANT USAGE ON SCHEMA {} TO {};",
            n.id(&schema),
            n.group()
        ));
    }
    s.blank();
}

fn table_privileges(access: Access) -> &'static str {
    match access {
        Access::ReadOnly => "SELECT",
        Access::ReadWrite => "SELECT, INSERT, UPDATE, DELETE",
    }
}

fn whole_schema_grants(s: &mut Script, plan: &Plan, notes: &mut Vec<String>) {
    let n = Names { plan };
    if plan.schemas.is_empty() {
        return;
    }
    let privileges = table_privileges(plan.access);
    s.comment(&format!(
        "5. Whole schemas: {privileges} on every table, view and materialized view that exists now{}.",
        if plan.access == Access::ReadWrite {
            ", and USAGE on sequences (nextval for serial columns)"
        } else {
            ""
        }
    ));
    for schema in &plan.schemas {
        let schema_id = n.id(schema);
        s.sql(format!(
            "GRANT {privileges} ON ALL TABLES IN SCHEMA {schema_id} TO {};",
            n.group()
        ));
        if plan.access == Access::ReadWrite {
            s.sql(format!(
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema_id} TO {};",
                n.group()
            ));
        }
    }
    match &plan.owner_role {
        Some(owner) => {
            s.comment(&format!(
                "Tables {owner} creates later get the same privileges. Default privileges apply only to\n\
                 objects created by that role: tables created by anyone else need a new GRANT."
            ));
            for schema in &plan.schemas {
                let prefix = format!(
                    "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {}",
                    n.id(owner),
                    n.id(schema)
                );
                s.sql(format!(
                    "{prefix} GRANT {privileges} ON TABLES TO {};",
                    n.group()
                ));
                if plan.access == Access::ReadWrite {
                    s.sql(format!(
                        "{prefix} GRANT USAGE ON SEQUENCES TO {};",
                        n.group()
                    ));
                }
            }
            notes.push(format!(
                "Future tables are covered only when {owner} creates them (ALTER DEFAULT PRIVILEGES FOR ROLE {owner})."
            ));
        }
        None => {
            s.comment(
                "No ownerRole in the spec (PGP-GRANT-007): tables created from now on are NOT covered.\n\
                 Add ALTER DEFAULT PRIVILEGES FOR ROLE <the role that creates tables> once you know it.",
            );
        }
    }
    s.blank();
}

fn table_grants(s: &mut Script, plan: &Plan) {
    let n = Names { plan };
    if plan.tables.is_empty() {
        return;
    }
    let privileges = table_privileges(plan.access);
    s.comment(&format!(
        "6. Listed tables: {privileges}. Tables created later are not included; list them and re-run."
    ));
    for table in &plan.tables {
        s.sql(format!(
            "GRANT {privileges} ON TABLE {} TO {};",
            n.table(table),
            n.group()
        ));
    }
    if plan.access == Access::ReadWrite {
        s.comment(
            "The sequences behind serial and identity columns of the listed tables (found through\n\
             pg_depend), so INSERT can draw default values; no other sequence.",
        );
        for table in &plan.tables {
            s.sql(owned_sequences_grant(plan, table));
        }
    }
    s.blank();
}

fn owned_sequences_grant(plan: &Plan, table: &TableRef) -> String {
    let n = Names { plan };
    let body = format!(
        "DECLARE\n\
         \x20 seq regclass;\n\
         BEGIN\n\
         \x20 FOR seq IN\n\
         \x20   SELECT d.objid::regclass\n\
         \x20   FROM pg_catalog.pg_depend d\n\
         \x20   JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'\n\
         \x20   WHERE d.classid = 'pg_catalog.pg_class'::regclass\n\
         \x20     AND d.refclassid = 'pg_catalog.pg_class'::regclass\n\
         \x20     AND d.refobjid = {}::regclass\n\
         \x20     AND d.deptype IN ('a', 'i')\n\
         \x20 LOOP\n\
         \x20   EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', seq, {});\n\
         \x20 END LOOP;\n\
         END",
        pg_literal(&n.table(table)),
        pg_literal(&plan.group_role)
    );
    format!("DO {};", pg_dollar_quote(&body))
}

fn column_grants(s: &mut Script, plan: &Plan, notes: &mut Vec<String>) {
    let n = Names { plan };
    if plan.columns.is_empty() {
        return;
    }
    s.comment(&format!(
        "7. Listed columns only: {}. SELECT * on these tables fails by design.",
        match plan.access {
            Access::ReadOnly => "SELECT",
            Access::ReadWrite => "SELECT, INSERT and UPDATE of these columns",
        }
    ));
    for grant in &plan.columns {
        let columns: Vec<String> = grant.columns.iter().map(|c| n.id(c)).collect();
        let columns = columns.join(", ");
        let privileges = match plan.access {
            Access::ReadOnly => format!("SELECT ({columns})"),
            Access::ReadWrite => {
                format!("SELECT ({columns}), INSERT ({columns}), UPDATE ({columns})")
            }
        };
        s.sql(format!(
            "GRANT {privileges} ON TABLE {} TO {};",
            n.table(&grant.table),
            n.group()
        ));
    }
    if plan.access == Access::ReadWrite {
        s.comment(
            "The sequences behind serial and identity columns of these tables, so INSERT can draw\n\
             default values for the columns not listed.",
        );
        for grant in &plan.columns {
            s.sql(owned_sequences_grant(plan, &grant.table));
        }
        notes.push(
            "DELETE is a table-level privilege, so column-limited grants never include it: list the table in `tables` to allow deletes.".into(),
        );
    }
    s.blank();
}

fn function_hygiene(s: &mut Script, plan: &Plan, notes: &mut Vec<String>) {
    let n = Names { plan };
    if !plan.revoke_function_execute {
        return;
    }
    s.comment(
        "8. Opt-in function hygiene: PUBLIC may EXECUTE every new function by default. This revokes\n\
         it in the granted schemas, for existing routines and for those the owner creates later.\n\
         Consequence: every role that called them through PUBLIC (the application too) now needs\n\
         an explicit GRANT EXECUTE.",
    );
    for schema in plan.usage_schemas() {
        s.sql(format!(
            "REVOKE EXECUTE ON ALL ROUTINES IN SCHEMA {} FROM PUBLIC;",
            n.id(&schema)
        ));
        if let Some(owner) = &plan.owner_role {
            s.sql(format!(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} REVOKE EXECUTE ON ROUTINES FROM PUBLIC;",
                n.id(owner),
                n.id(&schema)
            ));
        }
    }
    notes.push("REVOKE EXECUTE … FROM PUBLIC: other roles that call these functions need an explicit GRANT EXECUTE.".into());
    s.blank();
}

/// Queries run as the new role: what it is, how it is connected, and what it can touch, ending
/// in assertions that raise an error when it can do more than the spec grants.
fn verify_script(plan: &Plan) -> String {
    let mut s = Script::new();
    s.comment(&format!(
        "pg-preflight verification for role {role}: run it logged in AS {role}, over the same kind\n\
         of connection the client uses, e.g.\n\
         \x20 psql {connection} -v ON_ERROR_STOP=1 -f <this file>\n\
         It changes nothing. The last statement raises an error if the role can do more than the spec grants.",
        role = plan.role,
        connection = verify_connection_argument(plan),
    ));
    s.blank();
    s.comment("Who am I, and is this connection encrypted and verified?");
    s.sql("SELECT current_user AS login_role, session_user, current_database();");
    s.sql("SELECT ssl, version AS tls_version, cipher, bits, client_dn, issuer_dn\nFROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid();");
    s.sql("SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil\nFROM pg_catalog.pg_roles WHERE rolname = current_user;");
    s.comment("Temporary tables: possible while PUBLIC keeps its default TEMPORARY on the database (see the role script, 3.).");
    s.sql("SELECT pg_catalog.has_database_privilege(current_database(), 'TEMPORARY') AS can_create_temp_tables;");
    s.sql("SELECT name, setting FROM pg_catalog.pg_settings\nWHERE name IN ('default_transaction_read_only', 'statement_timeout', 'idle_in_transaction_session_timeout', 'lock_timeout', 'search_path');");
    s.blank();
    s.comment("Every table, view and column set it can reach, with what it may do there.");
    s.sql(format!(
        "SELECT n.nspname AS schema, c.relname AS relation, c.relkind,\n\
         \x20 pg_catalog.has_table_privilege(c.oid, 'SELECT') AS can_select,\n\
         \x20 pg_catalog.has_any_column_privilege(c.oid, 'SELECT') AS can_select_some_columns,\n\
         \x20 pg_catalog.has_table_privilege(c.oid, 'INSERT') AS can_insert,\n\
         \x20 pg_catalog.has_table_privilege(c.oid, 'UPDATE') AS can_update,\n\
         \x20 pg_catalog.has_table_privilege(c.oid, 'DELETE') AS can_delete\n\
         {RELATIONS}\n\
         \x20 AND (pg_catalog.has_any_column_privilege(c.oid, 'SELECT')\n\
         \x20   OR pg_catalog.has_any_column_privilege(c.oid, 'INSERT')\n\
         \x20   OR pg_catalog.has_any_column_privilege(c.oid, 'UPDATE')\n\
         \x20   OR pg_catalog.has_table_privilege(c.oid, 'DELETE'))\n\
         ORDER BY 1, 2;"
    ));
    s.blank();
    s.comment("Fails (and psql stops) if the role has any power the spec did not grant.");
    let mut checks = vec![
        (
            "SELECT FROM pg_catalog.pg_roles WHERE rolname = current_user\n      AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls)".to_string(),
            "has SUPERUSER, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS",
        ),
        (
            "SELECT FROM pg_catalog.pg_namespace\n      WHERE pg_catalog.has_schema_privilege(oid, 'CREATE') AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'".to_string(),
            "can create objects in a schema",
        ),
        (
            format!("SELECT {RELATIONS_INLINE}\n      AND (pg_catalog.has_table_privilege(c.oid, 'TRUNCATE') OR pg_catalog.has_table_privilege(c.oid, 'REFERENCES') OR pg_catalog.has_table_privilege(c.oid, 'TRIGGER'))"),
            "has TRUNCATE, REFERENCES or TRIGGER on a table",
        ),
    ];
    if plan.access == Access::ReadOnly {
        checks.push((
            format!("SELECT {RELATIONS_INLINE}\n      AND (pg_catalog.has_any_column_privilege(c.oid, 'INSERT') OR pg_catalog.has_any_column_privilege(c.oid, 'UPDATE') OR pg_catalog.has_table_privilege(c.oid, 'DELETE'))"),
            "can write to a table although it is read-only",
        ));
    }
    let mut body = String::from("BEGIN\n");
    body.push_str(
        "  IF pg_catalog.has_database_privilege(current_database(), 'CREATE') THEN\n\
         \x20   RAISE EXCEPTION 'pg-preflight: this role can create schemas in the database';\n\
         \x20 END IF;\n",
    );
    for (query, what) in checks {
        body.push_str(&format!(
            "  IF EXISTS ({query}) THEN\n\
             \x20   RAISE EXCEPTION 'pg-preflight: this role {what}';\n\
             \x20 END IF;\n"
        ));
    }
    body.push_str("  RAISE NOTICE 'pg-preflight: no privilege beyond the spec found';\nEND");
    s.sql(format!("DO {};", pg_dollar_quote(&body)));
    s.finish()
}

/// The user relations of the current database (tables, partitioned tables, views,
/// materialized views, foreign tables).
const RELATIONS: &str = "FROM pg_catalog.pg_class c\nJOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\nWHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')\n  AND n.nspname NOT IN ('pg_catalog', 'information_schema')";
const RELATIONS_INLINE: &str = "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')";

fn rotate_script(plan: &Plan) -> String {
    let n = Names { plan };
    let mut s = Script::new();
    s.comment(&format!(
        "pg-preflight rotation for role {} (run in psql as a superuser or a CREATEROLE role).",
        plan.role
    ));
    s.blank();
    if plan.auth.uses_password() {
        s.comment(
            "Password: psql's \\password prompts for the new password, computes the SCRAM-SHA-256\n\
             verifier on your machine and sends only the verifier (the plaintext never reaches the\n\
             server or its logs). Or generate a new script with pg-preflight and run only its ALTER ROLE.",
        );
        s.sql(format!("\\password {}", n.role()));
        s.comment("Then push the expiry out again (password logins only):");
        s.sql(format!(
            "ALTER ROLE {} VALID UNTIL {};",
            n.role(),
            pg_literal(&valid_until_instant(plan))
        ));
        s.blank();
    }
    if plan.auth.uses_certificate() {
        s.comment(&format!(
            "Client certificate: issue the new certificate from the same CA (the server's ssl_ca_file)\n\
             with CN = {role} and extendedKeyUsage clientAuth, deploy it with its key, and check it with\n\
             `pg-preflight check`. The database needs no change. To cut off the old certificate before it\n\
             expires, add it to the CA's CRL and set ssl_crl_file (or ssl_crl_dir) on the server, then\n\
             SELECT pg_reload_conf();",
            role = plan.role
        ));
        s.blank();
    }
    s.comment("Sessions still open keep running with the old credentials; end them if needed:");
    s.sql(format!(
        "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename = {};",
        pg_literal(&plan.role)
    ));
    s.finish()
}

fn teardown_script(plan: &Plan) -> String {
    let n = Names { plan };
    let mut s = Script::new();
    s.comment(&format!(
        "pg-preflight teardown: removes the roles {role} and {group} and every privilege they hold.\n\
         Run as a superuser connected to {db}. DROP OWNED only reaches the current database: if the\n\
         roles were granted anything elsewhere, run the REASSIGN/DROP OWNED part there first.\n\
         Objects the roles own (none, unless they created some) are handed to the role running this.",
        role = plan.role,
        group = plan.group_role,
        db = plan.database
    ));
    s.blank();
    s.sql("BEGIN;");
    let mut body = String::from("BEGIN\n");
    for name in [&plan.role, &plan.group_role] {
        let reassign = format!("REASSIGN OWNED BY {} TO CURRENT_USER", n.id(name));
        let drop = format!("DROP OWNED BY {}", n.id(name));
        body.push_str(&format!(
            "  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {}) THEN\n\
             \x20   EXECUTE {};\n\
             \x20   EXECUTE {};\n\
             \x20 END IF;\n",
            pg_literal(name),
            pg_literal(&reassign),
            pg_literal(&drop)
        ));
    }
    body.push_str("END");
    s.sql(format!("DO {};", pg_dollar_quote(&body)));
    s.sql(format!("DROP ROLE IF EXISTS {};", n.role()));
    s.sql(format!("DROP ROLE IF EXISTS {};", n.group()));
    s.sql("COMMIT;");
    s.finish()
}
