//! The role spec (DESIGN.md §3): the JSON document the CLI's `grants --spec` and the JS API's
//! `generateRoleScript` take, read strictly (unknown fields are an error) and then checked into a
//! [`Plan`] that the script writers trust.
//!
//! Names in a spec are literal: case-sensitive, exactly as the catalog stores them, never SQL.
//! A table reference is `schema.table`, split at the first dot; a part holding a dot or a double
//! quote is written in double quotes with `""` for a quote (`"my.schema".t`).

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::{Deserialize, Deserializer};

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::pki::time;

/// The document as written. Every field but `dialect`, `database` and `role` is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RoleSpec {
    pub dialect: String,
    #[serde(default)]
    pub server_version: Option<serde_json::Value>,
    pub database: String,
    pub role: String,
    #[serde(default)]
    pub access: Option<String>,
    #[serde(default)]
    pub schemas: Option<Vec<String>>,
    #[serde(default)]
    pub tables: Option<Vec<String>>,
    #[serde(default)]
    pub columns: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pub owner_role: Option<String>,
    /// The NOLOGIN role that holds the privileges; default `<role>_access`.
    #[serde(default)]
    pub group_role: Option<String>,
    #[serde(default)]
    pub auth: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub connection_limit: Limit<i64>,
    #[serde(default)]
    pub statement_timeout: Limit<String>,
    #[serde(default)]
    pub idle_in_transaction_session_timeout: Limit<String>,
    #[serde(default)]
    pub lock_timeout: Limit<String>,
    /// `YYYY-MM-DD`: password logins end at 00:00 UTC at the start of that date (the script
    /// writes `VALID UNTIL 'YYYY-MM-DD 00:00:00+00'`); default 90 days after the generation
    /// date. PostgreSQL only: MySQL's account expires `passwordExpireDays` after it is set.
    #[serde(default)]
    pub valid_until: Option<String>,
    #[serde(default)]
    pub client_cidrs: Option<Vec<String>>,
    /// `REVOKE ALL ON DATABASE … FROM PUBLIC` (opt-in: it affects every other role).
    #[serde(default)]
    pub revoke_public_database: Option<bool>,
    /// `REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA … FROM PUBLIC` (opt-in).
    #[serde(default)]
    pub revoke_function_execute: Option<bool>,
    /// Grant the predefined role `pg_read_all_data` instead of per-schema SELECT (14+).
    #[serde(default)]
    pub read_all_data: Option<bool>,
    /// MySQL: `PASSWORD EXPIRE INTERVAL n DAY` (default 90).
    #[serde(default)]
    pub password_expire_days: Option<i64>,
}

/// A limit of the role (`connectionLimit` and the three timeouts) as the spec gives it. Left
/// out, the safe default applies (DESIGN.md §3); `null` means the script sets no limit of the
/// role's own, which is what an emptied field of the page's role builder sends: never a default
/// the user did not see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Limit<T> {
    /// The key is absent: the default.
    #[default]
    Default,
    /// `null`: no limit set by the script.
    Unset,
    Set(T),
}

/// `null` is [`Limit::Unset`]; an absent key never reaches this (`#[serde(default)]`).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Limit<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Limit<T>, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Limit::Unset, Limit::Set))
    }
}

/// Every key of a role spec, as [`RoleSpec`] reads them (a test holds the two equal): what
/// `Diagnostic::spec_key` names.
pub const SPEC_KEYS: [&str; 22] = [
    "dialect",
    "serverVersion",
    "database",
    "role",
    "access",
    "schemas",
    "tables",
    "columns",
    "ownerRole",
    "groupRole",
    "auth",
    "password",
    "connectionLimit",
    "statementTimeout",
    "idleInTransactionSessionTimeout",
    "lockTimeout",
    "validUntil",
    "clientCidrs",
    "revokePublicDatabase",
    "revokeFunctionExecute",
    "readAllData",
    "passwordExpireDays",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    MySql,
}

/// Which MySQL-protocol server the script is for: the account syntax differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MySqlFlavor {
    MySql { major: u32, minor: u32 },
    MariaDb { major: u32, minor: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadOnly,
    ReadWrite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Scram,
    Cert,
    ScramAndCert,
}

impl Auth {
    pub fn uses_password(self) -> bool {
        matches!(self, Auth::Scram | Auth::ScramAndCert)
    }

    pub fn uses_certificate(self) -> bool {
        matches!(self, Auth::Cert | Auth::ScramAndCert)
    }
}

/// A table named by schema and name, both literal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TableRef {
    pub schema: String,
    pub table: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnGrant {
    pub table: TableRef,
    pub columns: Vec<String>,
}

/// A client network, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cidr {
    pub address: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    pub fn is_anywhere(&self) -> bool {
        self.prefix == 0
    }

    pub fn max_prefix(&self) -> u8 {
        if self.address.is_ipv4() {
            32
        } else {
            128
        }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// A calendar date, for `VALID UNTIL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The spec after every check: what the writers turn into SQL without further validation.
#[derive(Debug, Clone)]
pub struct Plan {
    pub dialect: Engine,
    /// PostgreSQL major version (13–18).
    pub pg_version: u32,
    pub mysql: MySqlFlavor,
    pub database: String,
    pub role: String,
    pub group_role: String,
    pub access: Access,
    /// Whole schemas (MySQL: whole databases).
    pub schemas: Vec<String>,
    pub tables: Vec<TableRef>,
    pub columns: Vec<ColumnGrant>,
    pub owner_role: Option<String>,
    pub auth: Auth,
    pub password: Option<String>,
    /// `None`: the script sets no limit of the role's own (the spec's `null`); the same for the
    /// timeouts below.
    pub connection_limit: Option<i64>,
    pub statement_timeout: Option<String>,
    pub idle_in_transaction_session_timeout: Option<String>,
    pub lock_timeout: Option<String>,
    pub valid_until: Date,
    pub client_cidrs: Vec<Cidr>,
    pub revoke_public_database: bool,
    pub revoke_function_execute: bool,
    pub read_all_data: bool,
    pub password_expire_days: i64,
}

impl Plan {
    /// Every schema the role needs USAGE on: whole schemas plus those of listed tables and columns.
    pub fn usage_schemas(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let listed = self
            .tables
            .iter()
            .chain(self.columns.iter().map(|c| &c.table))
            .map(|t| &t.schema);
        let mut seen = std::collections::BTreeSet::new();
        for schema in self.schemas.iter().chain(listed) {
            if seen.insert(schema) {
                out.push(schema.clone());
            }
        }
        out
    }
}

pub const DEFAULT_PG_VERSION: u32 = 17;
pub const SUPPORTED_PG_VERSIONS: std::ops::RangeInclusive<u32> = 13..=18;
/// NAMEDATALEN - 1: PostgreSQL silently truncates longer identifiers, so a longer name in a
/// spec would grant on a different object than the one named.
pub const PG_MAX_NAME_BYTES: usize = 63;
pub const DEFAULT_VALID_DAYS: i64 = 90;
pub const DEFAULT_CONNECTION_LIMIT: i64 = 5;

rule!(
    RULE_SPEC_SHAPE,
    "PGP-GRANT-001",
    Error,
    "Role spec is not valid JSON of the expected shape",
    "The role spec is the JSON document of DESIGN.md §3. `dialect`, `database` and `role` are \
required; every other field is optional, and a field the spec does not define is an error rather \
than silently ignored (a misspelt `acess: \"read-write\"` must not produce a read-only script the \
user thinks is read-write, or the other way round). No script is written.",
    []
);

/// Reads the JSON text of a spec; a shape error (bad JSON, wrong type, missing or unknown
/// field) is a PGP-GRANT-001 diagnostic.
pub fn parse_spec(text: &str) -> Result<RoleSpec, Box<Diagnostic>> {
    serde_json::from_str::<RoleSpec>(text).map_err(|error| {
        Box::new(
            Diagnostic::new(
                &RULE_SPEC_SHAPE,
                format!("The role spec is not valid: {}.", describe_json_error(&error)),
            )
            .with_fix(Fix::advice(
                "Write the spec as the README's \"Role spec\" shows: `dialect`, `database` and `role` are \
                 required, every other field is optional and no other field is accepted",
            )),
        )
    })
}

/// serde_json's message without the offending value (a password may be there), with the
/// position in the spec the caller wrote.
fn describe_json_error(error: &serde_json::Error) -> String {
    format!(
        "{} (line {}, column {})",
        crate::json::error_without_value(error),
        error.line(),
        error.column()
    )
}

rule!(
    RULE_SPEC_VALUE,
    "PGP-GRANT-002",
    Error,
    "Role spec field has an impossible value",
    "A field holds a value the script cannot honour: an unknown `access` or `auth`, a duration \
PostgreSQL would reject, a connection limit out of range, an expiry date in the past, or two \
fields that contradict each other. No script is written.",
    ["https://www.postgresql.org/docs/current/config-setting.html#CONFIG-SETTING-NAMES-VALUES"]
);

rule!(
    RULE_NO_OWNER_ROLE,
    "PGP-GRANT-007",
    Warning,
    "Tables created later will not be readable",
    "`GRANT … ON ALL TABLES IN SCHEMA` covers only the tables that exist when it runs. Tables \
created afterwards get privileges only through `ALTER DEFAULT PRIVILEGES FOR ROLE <owner>`, which \
applies to objects created by that one role. Without `ownerRole` the script cannot know who \
creates the tables (usually the migration user), so new tables stay unreadable until someone \
re-runs the grants.",
    ["https://www.postgresql.org/docs/current/sql-alterdefaultprivileges.html"]
);

rule!(
    RULE_IGNORED_FOR_DIALECT,
    "PGP-GRANT-012",
    Warning,
    "Spec field has no effect for this server",
    "The field is meaningful for another dialect only and the script ignores it.",
    []
);

/// The session timeouts the MySQL/MariaDB script does not set: neither server has per-account
/// session variable defaults (MySQL 8.0 CREATE USER takes resource limits and password
/// options only; MariaDB's `MAX_STATEMENT_TIME` account option is the one exception, not
/// written here), so a timeout given in the spec would otherwise vanish unsaid.
fn timeouts_ignored_by_mysql(spec: &RoleSpec, out: &mut Vec<Diagnostic>) {
    for (key, limit) in [
        ("statementTimeout", &spec.statement_timeout),
        ("idleInTransactionSessionTimeout", &spec.idle_in_transaction_session_timeout),
        ("lockTimeout", &spec.lock_timeout),
    ] {
        if matches!(limit, Limit::Set(_)) {
            out.push(
                Diagnostic::new(
                    &RULE_IGNORED_FOR_DIALECT,
                    format!("`{key}` has no effect for MySQL/MariaDB: the script sets no session timeouts there (no per-account session defaults); set the server's or the application's own."),
                )
                .about_spec_key(key),
            );
        }
    }
}

/// Checks a parsed spec into a [`Plan`]; `today` is the generation date (for the default
/// `VALID UNTIL`). Any error diagnostic means no plan.
pub fn plan(spec: &RoleSpec, today: Date) -> (Option<Plan>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let dialect = match spec.dialect.as_str() {
        "postgres" | "postgresql" => Some(Engine::Postgres),
        "mysql" | "mariadb" => Some(Engine::MySql),
        other => {
            out.push(
                Diagnostic::new(
                    &RULE_SPEC_VALUE,
                    format!("`dialect` is `{other}`; expected `postgres` or `mysql`."),
                )
                .about_spec_key("dialect"),
            );
            None
        }
    };
    let (pg_version, mysql) = server_version(spec, dialect, &mut out);
    let access = match spec.access.as_deref() {
        None | Some("read-only") => Access::ReadOnly,
        Some("read-write") => Access::ReadWrite,
        Some(other) => {
            out.push(
                Diagnostic::new(
                    &RULE_SPEC_VALUE,
                    format!("`access` is `{other}`; expected `read-only` or `read-write`."),
                )
                .about_spec_key("access"),
            );
            Access::ReadOnly
        }
    };
    let auth = match spec.auth.as_deref() {
        None | Some("scram") => Auth::Scram,
        Some("cert") => Auth::Cert,
        Some("scram+cert") => Auth::ScramAndCert,
        Some(other) => {
            out.push(
                Diagnostic::new(
                    &RULE_SPEC_VALUE,
                    format!("`auth` is `{other}`; expected `scram`, `cert` or `scram+cert`."),
                )
                .about_spec_key("auth"),
            );
            Auth::Scram
        }
    };
    let dialect = dialect.unwrap_or(Engine::Postgres);
    let auth = if dialect == Engine::MySql && auth == Auth::Cert {
        out.push(Diagnostic::new(
            &RULE_IGNORED_FOR_DIALECT,
            "`auth: cert` on MySQL/MariaDB: there is no certificate-only login, so the account also gets a password (generated unless given) and REQUIRE X509 / SUBJECT makes the certificate mandatory, as `scram+cert` does.",
        )
            .about_spec_key("auth"));
        Auth::ScramAndCert
    } else {
        auth
    };
    let names = NameRules::for_dialect(dialect, mysql);

    names.check("database", &spec.database, NameKind::Database, &mut out);
    names.check("role", &spec.role, NameKind::Role, &mut out);
    let group_role = spec
        .group_role
        .clone()
        .unwrap_or_else(|| default_group_name(&spec.role, names.max_bytes));
    if dialect == Engine::Postgres {
        names.check("groupRole", &group_role, NameKind::Role, &mut out);
        if group_role == spec.role {
            out.push(Diagnostic::new(
                &RULE_SPEC_VALUE,
                format!("`groupRole` and `role` are both `{group_role}`; the group role holds the privileges and the login role is a member of it, so they must differ."),
            )
            .about_spec_key("groupRole"));
        }
    }
    if let Some(owner) = &spec.owner_role {
        names.check("ownerRole", owner, NameKind::Role, &mut out);
        if owner == &spec.role || owner == &group_role {
            out.push(Diagnostic::new(
                &RULE_SPEC_VALUE,
                format!("`ownerRole` is `{owner}`, the role being created; it must be the role that owns (and will create) the tables."),
            )
            .about_spec_key("ownerRole"));
        }
    }

    let default_schema = match dialect {
        Engine::Postgres => "public".to_string(),
        Engine::MySql => spec.database.clone(),
    };
    let schemas = spec.schemas.clone().unwrap_or_default();
    for schema in &schemas {
        names.check("schemas", schema, NameKind::Schema, &mut out);
    }
    let tables: Vec<TableRef> = spec
        .tables
        .iter()
        .flatten()
        .filter_map(|text| table_ref(text, &default_schema, "tables", &names, &mut out))
        .collect();
    let whole_tables: std::collections::BTreeSet<&TableRef> = tables.iter().collect();
    let mut columns = Vec::new();
    for (text, cols) in spec.columns.iter().flatten() {
        let Some(table) = table_ref(text, &default_schema, "columns", &names, &mut out) else {
            continue;
        };
        if cols.is_empty() {
            out.push(Diagnostic::new(
                &RULE_SPEC_VALUE,
                format!("`columns` lists no column for `{text}`; list the columns, or move the table to `tables`."),
            )
            .about_spec_key("columns"));
        }
        for column in cols {
            names.check("columns", column, NameKind::Column, &mut out);
        }
        let unique = dedup(cols.clone());
        if whole_tables.contains(&table) {
            out.push(Diagnostic::new(
                &RULE_SPEC_VALUE,
                format!("`{text}` is in both `tables` (every column) and `columns` (some columns); keep it in one."),
            )
            .about_spec_key("columns"));
        }
        columns.push(ColumnGrant {
            table,
            columns: unique,
        });
    }
    let mut schemas = dedup(schemas);
    if schemas.is_empty()
        && tables.is_empty()
        && columns.is_empty()
        && spec.read_all_data != Some(true)
    {
        schemas.push(default_schema);
    }

    let read_all_data = spec.read_all_data.unwrap_or(false);
    if read_all_data {
        check_read_all_data(dialect, pg_version, access, &mut out);
    }
    if dialect == Engine::Postgres
        && spec.owner_role.is_none()
        && !schemas.is_empty()
        && !read_all_data
    {
        out.push(Diagnostic::new(
            &RULE_NO_OWNER_ROLE,
            format!(
                "Whole schemas are granted ({}) but no `ownerRole` is given, so tables created later are not covered: `ALTER DEFAULT PRIVILEGES` only applies to objects created by the role it names.",
                list(&schemas)
            ),
        )
            .about_spec_key("ownerRole").with_fix(Fix::advice("Set `ownerRole` to the role that creates the application's tables (the migration user)")));
    }
    if dialect == Engine::MySql && spec.valid_until.is_some() {
        out.push(Diagnostic::new(
            &RULE_IGNORED_FOR_DIALECT,
            "`validUntil` has no effect for MySQL/MariaDB: the account's password expires `passwordExpireDays` (default 90) days after it is set (PASSWORD EXPIRE INTERVAL).",
        )
            .about_spec_key("validUntil"));
    }
    if dialect == Engine::MySql {
        timeouts_ignored_by_mysql(spec, &mut out);
    }
    if dialect == Engine::MySql && spec.owner_role.is_some() {
        out.push(Diagnostic::new(
            &RULE_IGNORED_FOR_DIALECT,
            "`ownerRole` has no meaning for MySQL/MariaDB: database-level grants (`db.*`) already cover tables created later.",
        )
            .about_spec_key("ownerRole"));
    }

    let password = check_password(spec, auth, dialect, &mut out);
    let connection_limit = connection_limit(&spec.connection_limit, &mut out);
    // MySQL's script sets no session timeouts: there an unset one changes nothing to warn of.
    let timeouts = dialect == Engine::Postgres;
    let statement_timeout = duration(
        &spec.statement_timeout,
        ("statementTimeout", "statement_timeout"),
        "30s",
        timeouts,
        &mut out,
    );
    let idle = duration(
        &spec.idle_in_transaction_session_timeout,
        (
            "idleInTransactionSessionTimeout",
            "idle_in_transaction_session_timeout",
        ),
        "60s",
        timeouts,
        &mut out,
    );
    let lock_timeout = duration(
        &spec.lock_timeout,
        ("lockTimeout", "lock_timeout"),
        "5s",
        timeouts,
        &mut out,
    );
    let valid_until = valid_until(spec.valid_until.as_deref(), today, &mut out);
    let client_cidrs = cidrs(spec.client_cidrs.as_deref(), &mut out);
    let password_expire_days = spec.password_expire_days.unwrap_or(DEFAULT_VALID_DAYS);
    if !(1..=65_535).contains(&password_expire_days) {
        out.push(
            Diagnostic::new(
                &RULE_SPEC_VALUE,
                format!(
                    "`passwordExpireDays` is `{password_expire_days}`; MySQL accepts 1 to 65535."
                ),
            )
            .about_spec_key("passwordExpireDays"),
        );
    }

    if out.iter().any(Diagnostic::is_error) {
        return (None, out);
    }
    let plan = Plan {
        dialect,
        pg_version,
        mysql,
        database: spec.database.clone(),
        role: spec.role.clone(),
        group_role,
        access,
        schemas,
        tables: dedup(tables),
        columns,
        owner_role: spec.owner_role.clone(),
        auth,
        password,
        connection_limit,
        statement_timeout,
        idle_in_transaction_session_timeout: idle,
        lock_timeout,
        valid_until,
        client_cidrs,
        revoke_public_database: spec.revoke_public_database.unwrap_or(false),
        revoke_function_execute: spec.revoke_function_execute.unwrap_or(false),
        read_all_data,
        password_expire_days,
    };
    (Some(plan), out)
}

/// `items` in their order, each once. A set of what was seen keeps it linear: specs generated
/// from a catalogue list tens of thousands of tables.
fn dedup<T: Ord + Clone>(items: Vec<T>) -> Vec<T> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(item.clone()))
        .collect()
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `<role>_access`, shortened at a character boundary so it stays within the name limit; for a
/// role whose group name would start with the reserved `pg_` (the role `pg`), `access_<role>`.
fn default_group_name(role: &str, max_bytes: usize) -> String {
    let fit = |prefix: &str, suffix: &str| {
        let mut base = role.to_string();
        while prefix.len() + base.len() + suffix.len() > max_bytes && !base.is_empty() {
            base.pop();
        }
        format!("{prefix}{base}{suffix}")
    };
    let name = fit("", "_access");
    if name.starts_with("pg_") {
        fit("access_", "")
    } else {
        name
    }
}

rule!(
    RULE_UNSUPPORTED_VERSION,
    "PGP-GRANT-005",
    Error,
    "Server version not supported",
    "Scripts are written for PostgreSQL 13 to 18 (`serverVersion` is the major version number), \
MySQL 5.7 to 8.3 (`mysql-8.0`) and MariaDB 10.4 and later (`mariadb-10.11`). MySQL 8.4 turns off \
`mysql_native_password`, whose stored hash lets the script avoid a plaintext password; 9.0 \
removes it.",
    ["https://www.postgresql.org/support/versioning/"]
);

fn server_version(
    spec: &RoleSpec,
    dialect: Option<Engine>,
    out: &mut Vec<Diagnostic>,
) -> (u32, MySqlFlavor) {
    let default_mysql = MySqlFlavor::MariaDb {
        major: 10,
        minor: 11,
    };
    let value = spec.server_version.as_ref();
    match dialect {
        Some(Engine::Postgres) | None => {
            let version = match value {
                None => Some(DEFAULT_PG_VERSION),
                Some(serde_json::Value::Number(n)) => {
                    n.as_u64().and_then(|v| u32::try_from(v).ok())
                }
                Some(serde_json::Value::String(s)) => s.trim().parse::<u32>().ok(),
                Some(_) => None,
            };
            match version {
                Some(v) if SUPPORTED_PG_VERSIONS.contains(&v) => (v, default_mysql),
                _ => {
                    out.push(Diagnostic::new(
                        &RULE_UNSUPPORTED_VERSION,
                        format!(
                            "`serverVersion` is `{}`; PostgreSQL scripts are written for major versions 13 to 18 (give the major version as a number, e.g. `15`).",
                            value.map_or_else(String::new, ToString::to_string)
                        ),
                    )
            .about_spec_key("serverVersion"));
                    (DEFAULT_PG_VERSION, default_mysql)
                }
            }
        }
        Some(Engine::MySql) => {
            let text = match value {
                None => return (DEFAULT_PG_VERSION, default_mysql),
                Some(serde_json::Value::String(s)) => s.trim().to_ascii_lowercase(),
                Some(other) => other.to_string(),
            };
            match mysql_flavor(&text) {
                Some(flavor) => (DEFAULT_PG_VERSION, flavor),
                None => {
                    out.push(Diagnostic::new(
                        &RULE_UNSUPPORTED_VERSION,
                        format!("`serverVersion` is `{text}`; for MySQL give `mysql-8.0` (MySQL 5.7 to 8.3) or `mariadb-10.11` (MariaDB 10.4 and later)."),
                    )
            .about_spec_key("serverVersion"));
                    (DEFAULT_PG_VERSION, default_mysql)
                }
            }
        }
    }
}

/// `mysql-8.0`, `mariadb-10.11`, or a bare `8.0` / `10.11` (MariaDB's majors are 10 and up).
fn mysql_flavor(text: &str) -> Option<MySqlFlavor> {
    let (product, number) = match text.split_once('-') {
        Some((p, n)) => (Some(p), n),
        None => (None, text),
    };
    let (major, minor) = number.split_once('.').unwrap_or((number, "0"));
    let major: u32 = major.parse().ok()?;
    let minor: u32 = minor.parse().ok()?;
    let mariadb = match product {
        Some("mariadb") => true,
        Some("mysql") => false,
        None => major >= 10,
        Some(_) => return None,
    };
    if mariadb {
        (major > 10 || (major == 10 && minor >= 4)).then_some(MySqlFlavor::MariaDb { major, minor })
    } else {
        // mysql_native_password, which carries the stored hash, is off by default from 8.4 and
        // gone in 9.0; the script would not log in there.
        ((major == 5 && minor >= 7) || (major == 8 && minor < 4))
            .then_some(MySqlFlavor::MySql { major, minor })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    Database,
    Role,
    Schema,
    Table,
    Column,
}

struct NameRules {
    dialect: Engine,
    max_bytes: usize,
    max_user_chars: usize,
}

rule!(
    RULE_BAD_NAME,
    "PGP-GRANT-003",
    Error,
    "Name the server cannot store as written",
    "PostgreSQL keeps only the first 63 bytes of an identifier (NAMEDATALEN - 1) and silently \
truncates the rest, so a longer name would grant on a different object than the one named. NUL \
is impossible in a name; other control characters are refused because they cannot be written \
safely in pg_hba.conf. MySQL limits identifiers to 64 characters (user names to 32, MariaDB 80) \
and forbids trailing spaces. No script is written.",
    [
        "https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS",
        "https://dev.mysql.com/doc/refman/8.0/en/identifier-length.html"
    ]
);

rule!(
    RULE_RESERVED_NAME,
    "PGP-GRANT-004",
    Error,
    "Reserved or system name",
    "PostgreSQL reserves the role names `public` and `none` and every role name starting with \
`pg_`; schemas starting with `pg_` and `information_schema` belong to the system, as do MySQL's \
`mysql`, `sys`, `information_schema` and `performance_schema` databases. A role script never \
grants on them.",
    ["https://www.postgresql.org/docs/current/sql-createrole.html"]
);

impl NameRules {
    fn for_dialect(dialect: Engine, flavor: MySqlFlavor) -> NameRules {
        match dialect {
            Engine::Postgres => NameRules {
                dialect,
                max_bytes: PG_MAX_NAME_BYTES,
                max_user_chars: usize::MAX,
            },
            // MySQL: identifiers up to 64 characters, user names up to 32 (80 on MariaDB).
            Engine::MySql => NameRules {
                dialect,
                max_bytes: usize::MAX,
                max_user_chars: match flavor {
                    MySqlFlavor::MySql { .. } => 32,
                    MySqlFlavor::MariaDb { .. } => 80,
                },
            },
        }
    }

    /// One name: present, short enough for the server to keep it whole, printable, and not
    /// one the server reserves.
    fn check(&self, field: &'static str, name: &str, kind: NameKind, out: &mut Vec<Diagnostic>) {
        if name.is_empty() {
            out.push(
                Diagnostic::new(&RULE_BAD_NAME, format!("`{field}` has an empty name."))
                    .about_spec_key(field),
            );
            return;
        }
        if let Some(c) = name.chars().find(|c| c.is_control()) {
            out.push(Diagnostic::new(
                &RULE_BAD_NAME,
                format!(
                    "`{field}` name `{}` contains the control character U+{:04X}; PostgreSQL rejects NUL in names, and other control characters cannot be written safely in pg_hba.conf or scripts.",
                    name.escape_debug(),
                    u32::from(c)
                ),
            )
            .about_spec_key(field));
            return;
        }
        match self.dialect {
            Engine::Postgres => self.check_postgres(field, name, kind, out),
            Engine::MySql => self.check_mysql(field, name, kind, out),
        }
    }

    /// PostgreSQL: identifiers are truncated to NAMEDATALEN-1 = 63 bytes (Lexical Structure,
    /// "Identifiers and Key Words"); role names `public` and `none` and the `pg_` prefix are
    /// reserved (CREATE ROLE); schemas `pg_*` and `information_schema` belong to the system.
    fn check_postgres(
        &self,
        field: &'static str,
        name: &str,
        kind: NameKind,
        out: &mut Vec<Diagnostic>,
    ) {
        if name.len() > self.max_bytes {
            out.push(Diagnostic::new(
                &RULE_BAD_NAME,
                format!(
                    "`{field}` name `{name}` is {} bytes; PostgreSQL keeps only the first {} bytes of a name, so it would silently refer to `{}`.",
                    name.len(),
                    self.max_bytes,
                    truncate_bytes(name, self.max_bytes)
                ),
            )
            .about_spec_key(field));
        }
        // PostgreSQL's IsReservedName compares the prefix byte for byte: `Pg_x` is allowed.
        match kind {
            NameKind::Role if name == "public" || name == "none" || name.starts_with("pg_") => {
                out.push(Diagnostic::new(
                    &RULE_RESERVED_NAME,
                    format!("`{field}` is `{name}`: PostgreSQL reserves the role names `public` and `none` and the `pg_` prefix."),
                )
            .about_spec_key(field));
            }
            NameKind::Schema if name.starts_with("pg_") || name == "information_schema" => {
                out.push(Diagnostic::new(
                    &RULE_RESERVED_NAME,
                    format!("`{field}` names the system schema `{name}`; grant on application schemas only."),
                )
            .about_spec_key(field));
            }
            _ => {}
        }
    }

    /// MySQL/MariaDB: identifiers up to 64 characters without trailing spaces ("Schema Object
    /// Names"); user names up to 32 (MySQL) or 80 (MariaDB) characters.
    fn check_mysql(
        &self,
        field: &'static str,
        name: &str,
        kind: NameKind,
        out: &mut Vec<Diagnostic>,
    ) {
        let chars = name.chars().count();
        let limit = if kind == NameKind::Role {
            self.max_user_chars
        } else {
            64
        };
        if chars > limit {
            out.push(Diagnostic::new(
                &RULE_BAD_NAME,
                format!("`{field}` name `{name}` is {chars} characters; the server accepts at most {limit}."),
            )
            .about_spec_key(field));
        }
        if kind != NameKind::Role && name.ends_with(' ') {
            out.push(Diagnostic::new(
                &RULE_BAD_NAME,
                format!("`{field}` name `{name}` ends with a space, which MySQL does not allow in database, table or column names."),
            )
            .about_spec_key(field));
        }
        if kind != NameKind::Role && kind != NameKind::Column && name.contains('/') {
            out.push(Diagnostic::new(
                &RULE_BAD_NAME,
                format!("`{field}` name `{name}` contains `/`, which MySQL does not allow in database or table names (they are directory and file names)."),
            )
            .about_spec_key(field));
        }
        if matches!(kind, NameKind::Database | NameKind::Schema)
            && matches!(
                name,
                "mysql" | "information_schema" | "performance_schema" | "sys"
            )
        {
            out.push(Diagnostic::new(
                &RULE_RESERVED_NAME,
                format!("`{field}` names the system database `{name}`; grant on application databases only."),
            )
            .about_spec_key(field));
        }
    }
}

fn truncate_bytes(name: &str, max: usize) -> &str {
    let mut end = max.min(name.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name.get(..end).unwrap_or_default()
}

/// `schema.table` split at the first dot outside double quotes; a quoted part has `""` for `"`.
pub fn split_table_ref(text: &str) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted_part = false;
    while let Some(c) = chars.next() {
        if c == '"' && current.is_empty() && !quoted_part {
            quoted_part = true;
            let mut closed = false;
            while let Some(q) = chars.next() {
                if q == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        current.push('"');
                    } else {
                        closed = true;
                        break;
                    }
                } else {
                    current.push(q);
                }
            }
            if !closed {
                return Err("a double quote is not closed".into());
            }
            match chars.peek() {
                None | Some('.') => {}
                Some(_) => return Err("text follows a closing double quote".into()),
            }
        } else if c == '.' && parts.is_empty() {
            parts.push(std::mem::take(&mut current));
            quoted_part = false;
        } else if c == '"' {
            return Err(
                "a double quote inside an unquoted name (quote the whole part: `\"a\"\"b\"`)"
                    .into(),
            );
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    Ok(parts)
}

rule!(
    RULE_BAD_TABLE_REF,
    "PGP-GRANT-009",
    Error,
    "Table reference cannot be read",
    "A table is written `schema.table`, split at the first dot. A part that contains a dot or a \
double quote is written in double quotes with `\"\"` for a quote, for example \
`\"my.schema\".\"odd\"\"name\"`. Names are literal and case-sensitive: `Orders` is the table \
created as `\"Orders\"`.",
    []
);

fn table_ref(
    text: &str,
    default_schema: &str,
    field: &'static str,
    names: &NameRules,
    out: &mut Vec<Diagnostic>,
) -> Option<TableRef> {
    let parts = match split_table_ref(text) {
        Ok(parts) => parts,
        Err(why) => {
            out.push(
                Diagnostic::new(
                    &RULE_BAD_TABLE_REF,
                    format!("`{field}` entry `{text}`: {why}."),
                )
                .about_spec_key(field),
            );
            return None;
        }
    };
    let (schema, table) = match parts.as_slice() {
        [table] => (default_schema.to_string(), table.clone()),
        [schema, table] => (schema.clone(), table.clone()),
        _ => return None,
    };
    let before = out.len();
    names.check(field, &schema, NameKind::Schema, out);
    names.check(field, &table, NameKind::Table, out);
    (out.len() == before).then_some(TableRef { schema, table })
}

rule!(
    RULE_NOT_IN_VERSION,
    "PGP-GRANT-006",
    Error,
    "Option not available in the target server version",
    "The spec asks for something the target server does not have, such as the predefined role \
`pg_read_all_data` (PostgreSQL 14 and later). The script would fail when applied.",
    ["https://www.postgresql.org/docs/current/predefined-roles.html"]
);

rule!(
    RULE_READ_ALL_DATA,
    "PGP-GRANT-008",
    Warning,
    "Cluster-wide read access through pg_read_all_data",
    "`pg_read_all_data` (PostgreSQL 14+) acts as if the role had SELECT on every table, view \
and sequence and USAGE on every schema, in every database of the cluster, including tables \
created later and schemas the application never meant to share. Row-level security still \
applies. It is a shortcut for an analytics replica, not least privilege.",
    ["https://www.postgresql.org/docs/current/predefined-roles.html"]
);

fn check_read_all_data(dialect: Engine, version: u32, access: Access, out: &mut Vec<Diagnostic>) {
    if dialect != Engine::Postgres || version < 14 {
        out.push(Diagnostic::new(
            &RULE_NOT_IN_VERSION,
            format!("`readAllData` grants the predefined role `pg_read_all_data`, which exists from PostgreSQL 14; the spec targets {}.",
                if dialect == Engine::Postgres { format!("PostgreSQL {version}") } else { "MySQL".into() }),
        )
            .about_spec_key("readAllData"));
        return;
    }
    if access == Access::ReadWrite {
        out.push(Diagnostic::new(
            &RULE_SPEC_VALUE,
            "`readAllData` is a read-only shortcut; with `read-write` it would still grant writes per schema. Drop one of them.",
        )
            .about_spec_key("readAllData"));
        return;
    }
    out.push(Diagnostic::new(
        &RULE_READ_ALL_DATA,
        "`readAllData` grants `pg_read_all_data`: SELECT on every table, view and sequence in every schema of every database of the cluster, bypassing per-object grants (but not row-level security).",
    )
            .about_spec_key("readAllData").with_fix(Fix::advice("Prefer `schemas` or `tables`: grant only what the client needs")));
}

rule!(
    RULE_BAD_PASSWORD,
    "PGP-GRANT-010",
    Error,
    "Password cannot be used as given",
    "The script stores a SCRAM-SHA-256 verifier computed here, never the password. PostgreSQL \
runs SASLprep (RFC 4013) on non-ASCII passwords before hashing, so only printable ASCII passwords \
are guaranteed to hash the same here and on the server (MySQL's mysql_native_password hashes the \
bytes as they are, so there only control characters are refused); control characters break \
prompts and URIs. With `auth: cert` there is no password at all: a stored one would open password logins \
wherever pg_hba.conf allows them. Leave `password` out to get a generated 32-character one.",
    [
        "https://www.rfc-editor.org/rfc/rfc5802#section-3",
        "https://www.rfc-editor.org/rfc/rfc4013",
        "https://www.postgresql.org/docs/current/auth-password.html"
    ]
);

rule!(
    RULE_WEAK_PASSWORD,
    "PGP-GRANT-011",
    Warning,
    "Short password for a machine account",
    "A service account's password is typed by no one; it should be long and random. Generated \
passwords have 32 characters from a cryptographic random source.",
    ["https://pages.nist.gov/800-63-4/sp800-63b.html"]
);

/// A given password must survive PostgreSQL's SASLprep unchanged for the locally computed
/// verifier to match what the server derives at login: printable ASCII does (RFC 4013; the
/// server skips SASLprep for pure ASCII). `cert` auth takes no password at all.
fn check_password(
    spec: &RoleSpec,
    auth: Auth,
    dialect: Engine,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let password = spec.password.as_ref()?;
    if !auth.uses_password() {
        out.push(Diagnostic::new(
            &RULE_BAD_PASSWORD,
            "A `password` is given but `auth` is `cert`: certificate authentication uses no password, and a stored one would let the role log in by password wherever pg_hba.conf allows it.",
        )
            .about_spec_key("password").with_fix(Fix::advice("Remove `password`, or use `scram+cert`")));
        return None;
    }
    // mysql_native_password hashes the bytes as they are: only control characters matter there.
    let unusable = |c: &char| match dialect {
        Engine::Postgres => !(' '..='~').contains(c),
        Engine::MySql => c.is_control(),
    };
    if let Some(c) = password.chars().find(unusable) {
        let what = if c.is_ascii() {
            format!("the control character U+{:04X}", u32::from(c))
        } else {
            "a non-ASCII character".to_string()
        };
        out.push(Diagnostic::new(
            &RULE_BAD_PASSWORD,
            format!("The password contains {what}. PostgreSQL normalises non-ASCII passwords with SASLprep before hashing, and a verifier computed here could not be guaranteed to match; control characters break clients' prompts and URIs."),
        )
            .about_spec_key("password").with_fix(Fix::advice("Use a password of printable ASCII characters, or leave `password` out to get a generated one")));
        return None;
    }
    if password.len() < 16 {
        out.push(
            Diagnostic::new(
                &RULE_WEAK_PASSWORD,
                format!(
                    "The password is {} characters long; a machine account's password should have at least 16 random characters (generated ones have 32).",
                    password.len()
                ),
            )
            .about_spec_key("password")
            .with_fix(Fix::advice("Leave `password` out to get a generated one")),
        );
    }
    Some(password.clone())
}

rule!(
    RULE_NO_LIMIT,
    "PGP-GRANT-013",
    Warning,
    "Role left without a limit of its own",
    "A limit of the role spec is `null` (in the page's role builder: the field was emptied), so \
the script sets none: `CONNECTION LIMIT -1` (MySQL: `MAX_USER_CONNECTIONS 0`) or `ALTER ROLE … \
RESET` of the timeout, which also removes a limit an earlier run set. Only the server's or the \
database's own settings then bound the role (`max_connections`, `statement_timeout` in \
postgresql.conf). Leave the key out to get the default, or give a value.",
    [
        "https://www.postgresql.org/docs/current/sql-createrole.html",
        "https://www.postgresql.org/docs/current/sql-alterrole.html"
    ]
);

/// The spec's `null` for a limit: said, never silently replaced by a default. `example` is
/// the default, offered as the value to give.
fn unset_limit(field: &'static str, what: &str, example: &str, out: &mut Vec<Diagnostic>) {
    out.push(
        Diagnostic::new(
            &RULE_NO_LIMIT,
            format!("`{field}` is empty (`null`): the script sets no {what} for the role, so only the server's own settings bound it."),
        )
        .about_spec_key(field)
        .with_fix(Fix::advice(format!(
            "Give `{field}` a value to bound the role, e.g. `{example}`"
        ))),
    );
}

/// `CONNECTION LIMIT` (CREATE ROLE, PostgreSQL 17: "-1 (the default) means no limit"): the
/// default 5, the spec's number from 1 to 10000, or none for `null`.
fn connection_limit(value: &Limit<i64>, out: &mut Vec<Diagnostic>) -> Option<i64> {
    let limit = match value {
        Limit::Default => DEFAULT_CONNECTION_LIMIT,
        Limit::Unset => {
            unset_limit(
                "connectionLimit",
                "connection limit",
                &DEFAULT_CONNECTION_LIMIT.to_string(),
                out,
            );
            return None;
        }
        Limit::Set(limit) => *limit,
    };
    if !(1..=10_000).contains(&limit) {
        out.push(Diagnostic::new(
            &RULE_SPEC_VALUE,
            format!("`connectionLimit` is `{limit}`; give a number from 1 to 10000 (a service account needs a bounded pool)."),
        )
            .about_spec_key("connectionLimit"));
    }
    Some(limit)
}

/// PostgreSQL time settings (postgresql.conf "Parameter Names and Values"): an integer with an
/// optional unit `us`, `ms`, `s`, `min`, `h` or `d`; `0` disables. `null` sets none (said when
/// `warn_unset`). `(field, setting)`: the spec's key and the server's setting.
fn duration(
    value: &Limit<String>,
    (field, setting): (&'static str, &str),
    default: &str,
    warn_unset: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let text = match value {
        Limit::Default => return Some(default.to_string()),
        Limit::Unset => {
            if warn_unset {
                unset_limit(field, setting, default, out);
            }
            return None;
        }
        Limit::Set(text) => text.trim(),
    };
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let unit_ok = matches!(unit, "" | "us" | "ms" | "s" | "min" | "h" | "d");
    if number.is_empty() || !unit_ok || number.len() > 9 {
        out.push(Diagnostic::new(
            &RULE_SPEC_VALUE,
            format!("`{field}` is `{text}`; give a whole number with a unit, e.g. `30s`, `500ms`, `5min` (units: us, ms, s, min, h, d)."),
        )
            .about_spec_key(field));
        return Some(default.to_string());
    }
    if number.trim_start_matches('0').is_empty() {
        out.push(Diagnostic::new(
            &RULE_SPEC_VALUE,
            format!("`{field}` is `{text}`, which disables the limit; a service account should have one."),
        )
            .about_spec_key(field).with_severity(Severity::Warning));
    }
    Some(text.to_string())
}

fn valid_until(value: Option<&str>, today: Date, out: &mut Vec<Diagnostic>) -> Date {
    let default = today.plus_days(DEFAULT_VALID_DAYS);
    let Some(text) = value else {
        return default;
    };
    match Date::parse(text) {
        Some(date) if date > today => date,
        Some(date) => {
            out.push(Diagnostic::new(
                &RULE_SPEC_VALUE,
                format!("`validUntil` is `{date}`, not after today ({today}); the password would already be expired."),
            )
            .about_spec_key("validUntil"));
            default
        }
        None => {
            out.push(
                Diagnostic::new(
                    &RULE_SPEC_VALUE,
                    format!("`validUntil` is `{text}`; give a date as `YYYY-MM-DD`."),
                )
                .about_spec_key("validUntil"),
            );
            default
        }
    }
}

rule!(
    RULE_BAD_CIDR,
    "PGP-HBA-001",
    Error,
    "Client network is not a valid CIDR",
    "pg_hba.conf's address field takes an IP address with a mask length, such as \
`203.0.113.0/24` or `2001:db8::/32`; the bits beyond the mask must be zero, or the line matches a \
different network than intended. No script is written.",
    ["https://www.postgresql.org/docs/current/auth-pg-hba-conf.html"]
);

rule!(
    RULE_CIDR_ANYWHERE,
    "PGP-HBA-002",
    Warning,
    "Role accepted from any address",
    "`0.0.0.0/0` or `::/0` lets anyone who can reach the port try the role's credentials. List \
the networks the client really connects from (its NAT gateway or VPC range).",
    ["https://www.postgresql.org/docs/current/auth-pg-hba-conf.html"]
);

rule!(
    RULE_NO_CIDRS,
    "PGP-HBA-003",
    Warning,
    "No client networks given",
    "Without `clientCidrs` the generated pg_hba.conf lines and MySQL host pattern accept the role \
from every address. The script is still written, with the widest networks, so the warning stays.",
    ["https://www.postgresql.org/docs/current/auth-pg-hba-conf.html"]
);

/// Client networks as pg_hba.conf's address field takes them (an address with a CIDR mask
/// length; the host bits must be zero, or the server warns and matches a different network).
fn cidrs(values: Option<&[String]>, out: &mut Vec<Diagnostic>) -> Vec<Cidr> {
    let Some(values) = values else {
        out.push(Diagnostic::new(
            &RULE_NO_CIDRS,
            "No `clientCidrs` given: the pg_hba.conf lines accept the role from any address (`0.0.0.0/0`, `::/0`).",
        )
            .about_spec_key("clientCidrs").with_fix(Fix::advice("List the client's networks in `clientCidrs`, e.g. `[\"203.0.113.0/24\"]`")));
        return vec![
            Cidr {
                address: IpAddr::from([0, 0, 0, 0]),
                prefix: 0,
            },
            Cidr {
                address: IpAddr::from([0u16; 8]),
                prefix: 0,
            },
        ];
    };
    let mut result = Vec::new();
    for text in values {
        match parse_cidr(text) {
            Ok(cidr) => {
                if cidr.is_anywhere() {
                    out.push(Diagnostic::new(
                        &RULE_CIDR_ANYWHERE,
                        format!("`clientCidrs` has `{text}`, every address: the role can be tried from the whole internet if the server is reachable."),
                    )
            .about_spec_key("clientCidrs").with_fix(Fix::advice("List only the networks the client connects from")));
                }
                if !result.contains(&cidr) {
                    result.push(cidr);
                }
            }
            Err(why) => out.push(
                Diagnostic::new(
                    &RULE_BAD_CIDR,
                    format!("`clientCidrs` entry `{text}`: {why}."),
                )
                .about_spec_key("clientCidrs"),
            ),
        }
    }
    if result.is_empty() && !out.iter().any(|d| d.code == RULE_BAD_CIDR.code) {
        out.push(
            Diagnostic::new(
                &RULE_BAD_CIDR,
                "`clientCidrs` is empty: no client could connect. List at least one network.",
            )
            .about_spec_key("clientCidrs"),
        );
    }
    result
}

pub fn parse_cidr(text: &str) -> Result<Cidr, String> {
    let (address, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let address: IpAddr = address
        .parse()
        .map_err(|_| format!("`{address}` is not an IPv4 or IPv6 address"))?;
    let max: u8 = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) => {
            let valid = !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
            match p.parse::<u8>() {
                Ok(n) if valid && n <= max => n,
                _ => {
                    return Err(format!(
                        "the mask length `{p}` is not a number from 0 to {max}"
                    ))
                }
            }
        }
    };
    if host_bits_set(address, prefix) {
        return Err(format!(
            "address bits are set beyond the /{prefix} mask; write the network address (PostgreSQL would match a different network than you meant)"
        ));
    }
    Ok(Cidr { address, prefix })
}

fn host_bits_set(address: IpAddr, prefix: u8) -> bool {
    let (bits, width): (u128, u32) = match address {
        IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
        IpAddr::V6(a) => (u128::from(a), 128),
    };
    let host_bits = width - u32::from(prefix);
    if host_bits == 0 {
        return false;
    }
    let mask = if host_bits >= 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    bits & mask != 0
}

impl Date {
    /// `YYYY-MM-DD`, a real calendar date.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let year: i32 = text.get(0..4)?.parse().ok()?;
        let month: u32 = text.get(5..7)?.parse().ok()?;
        let day: u32 = text.get(8..10)?.parse().ok()?;
        if !(1..=12).contains(&month)
            || day == 0
            || day > time::days_in_month(i64::from(year), month)
        {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The calendar date of a Unix time (UTC).
    /// The UTC date of a moment.
    pub fn from_unix(time: crate::pki::time::UnixTime) -> Date {
        let days = time.seconds().div_euclid(86_400);
        civil_from_days(days)
    }

    pub fn plus_days(self, days: i64) -> Date {
        civil_from_days(days_from_civil(self) + days)
    }
}

/// Converts from the calendar arithmetic of `pki::time` (days since 1970-01-01, proleptic
/// Gregorian), which works in `i64` years.
fn civil_from_days(days: i64) -> Date {
    let (year, month, day) = time::civil_from_days(days);
    Date {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month,
        day,
    }
}

fn days_from_civil(date: Date) -> i64 {
    time::days_from_civil(i64::from(date.year), date.month, date.day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 22,
    };

    fn codes(json: &str) -> Vec<&'static str> {
        match parse_spec(json) {
            Err(d) => vec![d.code],
            Ok(spec) => plan(&spec, TODAY).1.iter().map(|d| d.code).collect(),
        }
    }

    #[test]
    fn minimal_spec_plans_with_safe_defaults() {
        let spec = parse_spec(r#"{"dialect":"postgres","database":"appdb","role":"ai_reader","ownerRole":"app_owner","clientCidrs":["10.0.0.0/8"]}"#).unwrap();
        let (plan, diags) = plan(&spec, TODAY);
        assert!(diags.is_empty(), "{diags:?}");
        let plan = plan.unwrap();
        assert_eq!(plan.access, Access::ReadOnly);
        assert_eq!(plan.auth, Auth::Scram);
        assert_eq!(plan.schemas, vec!["public"]);
        assert_eq!(plan.group_role, "ai_reader_access");
        assert_eq!(
            plan.valid_until,
            Date {
                year: 2027,
                month: 2,
                day: 20
            }
        );
        assert_eq!(plan.pg_version, DEFAULT_PG_VERSION);
    }

    /// An emptied limit (`null`) is no limit, said by PGP-GRANT-013 on its key; a limit left out
    /// is the default. Never a default for `null`.
    #[test]
    fn null_limits_are_unset_and_said_absent_ones_default() {
        let base = r#""dialect":"postgres","database":"d","role":"r","ownerRole":"o","clientCidrs":["10.0.0.0/8"]"#;
        let spec = parse_spec(&format!(
            r#"{{{base},"connectionLimit":null,"statementTimeout":null,"idleInTransactionSessionTimeout":null,"lockTimeout":null}}"#
        ))
        .unwrap();
        let (unset, diags) = plan(&spec, TODAY);
        let unset = unset.unwrap();
        assert_eq!(unset.connection_limit, None);
        assert_eq!(unset.statement_timeout, None);
        assert_eq!(unset.idle_in_transaction_session_timeout, None);
        assert_eq!(unset.lock_timeout, None);
        let keys: Vec<_> = diags
            .iter()
            .filter(|d| d.code == "PGP-GRANT-013")
            .map(|d| d.spec_key)
            .collect();
        assert_eq!(
            keys,
            [
                Some("connectionLimit"),
                Some("statementTimeout"),
                Some("idleInTransactionSessionTimeout"),
                Some("lockTimeout")
            ]
        );
        let (defaults, diags) = plan(&parse_spec(&format!("{{{base}}}")).unwrap(), TODAY);
        let defaults = defaults.unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(defaults.connection_limit, Some(DEFAULT_CONNECTION_LIMIT));
        assert_eq!(defaults.statement_timeout.as_deref(), Some("30s"));
        assert_eq!(defaults.lock_timeout.as_deref(), Some("5s"));
    }

    #[test]
    fn unknown_and_missing_fields_are_shape_errors() {
        assert_eq!(
            codes(r#"{"dialect":"postgres","database":"d","role":"r","colour":"red"}"#),
            ["PGP-GRANT-001"]
        );
        assert_eq!(
            codes(r#"{"dialect":"postgres","role":"r"}"#),
            ["PGP-GRANT-001"]
        );
        assert_eq!(codes("not json"), ["PGP-GRANT-001"]);
    }

    #[test]
    fn shape_errors_never_echo_values() {
        let error =
            parse_spec(r#"{"dialect":"postgres","database":"d","role":"r","password":123456789}"#)
                .unwrap_err();
        assert!(!error.detail.contains("123456789"), "{}", error.detail);
        assert!(
            error.detail.contains("password") || error.detail.contains("integer"),
            "{}",
            error.detail
        );
        let error = parse_spec(
            r#"{"dialect":"postgres","database":"d","role":"r","connectionLimit":"hunter2"}"#,
        )
        .unwrap_err();
        assert!(!error.detail.contains("hunter2"), "{}", error.detail);
    }

    #[test]
    fn names_over_63_bytes_nul_and_reserved_are_refused() {
        let long = "é".repeat(32); // 64 bytes
        let spec = format!(
            r#"{{"dialect":"postgres","database":"d","role":"{long}","clientCidrs":["10.0.0.0/8"],"ownerRole":"o"}}"#
        );
        assert!(codes(&spec).contains(&"PGP-GRANT-003"));
        let ok = "a".repeat(63);
        let spec = format!(
            r#"{{"dialect":"postgres","database":"d","role":"{ok}","clientCidrs":["10.0.0.0/8"],"ownerRole":"o"}}"#
        );
        assert!(!codes(&spec).contains(&"PGP-GRANT-003"));
        assert!(
            codes(r#"{"dialect":"postgres","database":"d","role":"a\u0000b"}"#)
                .contains(&"PGP-GRANT-003")
        );
        assert!(
            codes(r#"{"dialect":"postgres","database":"d","role":"pg_monitorx"}"#)
                .contains(&"PGP-GRANT-004")
        );
        assert!(
            codes(r#"{"dialect":"postgres","database":"d","role":"public"}"#)
                .contains(&"PGP-GRANT-004")
        );
        assert!(codes(
            r#"{"dialect":"postgres","database":"d","role":"r","schemas":["pg_catalog"]}"#
        )
        .contains(&"PGP-GRANT-004"));
    }

    #[test]
    fn table_references_split_at_the_first_unquoted_dot() {
        assert_eq!(split_table_ref("app.orders").unwrap(), ["app", "orders"]);
        assert_eq!(split_table_ref("orders").unwrap(), ["orders"]);
        assert_eq!(split_table_ref("a.b.c").unwrap(), ["a", "b.c"]);
        assert_eq!(
            split_table_ref(r#""my.schema"."t""x""#).unwrap(),
            ["my.schema", "t\"x"]
        );
        assert!(split_table_ref(r#""open.t"#).is_err());
        assert!(split_table_ref(r#"a"b.c"#).is_err());
    }

    #[test]
    fn cidrs_are_validated() {
        assert!(parse_cidr("203.0.113.0/24").is_ok());
        assert!(parse_cidr("2001:db8::/32").is_ok());
        assert!(parse_cidr("127.0.0.1").is_ok());
        assert!(parse_cidr("203.0.113.5/24").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("10.0.0.0/+8").is_err());
        assert!(parse_cidr("example.com/8").is_err());
        assert!(codes(r#"{"dialect":"postgres","database":"d","role":"r","ownerRole":"o","clientCidrs":["0.0.0.0/0"]}"#).contains(&"PGP-HBA-002"));
        assert!(
            codes(r#"{"dialect":"postgres","database":"d","role":"r","ownerRole":"o"}"#)
                .contains(&"PGP-HBA-003")
        );
    }

    #[test]
    fn passwords_must_hash_the_same_here_and_on_the_server() {
        let base = r#""dialect":"postgres","database":"d","role":"r","ownerRole":"o","clientCidrs":["10.0.0.0/8"]"#;
        assert!(codes(&format!(
            r#"{{{base},"password":"pässwörd-long-enough-123"}}"#
        ))
        .contains(&"PGP-GRANT-010"));
        assert!(codes(&format!(
            r#"{{{base},"auth":"cert","password":"abcdefghijklmnopqrstu"}}"#
        ))
        .contains(&"PGP-GRANT-010"));
        assert!(codes(&format!(r#"{{{base},"password":"short"}}"#)).contains(&"PGP-GRANT-011"));
        assert!(codes(&format!(
            r#"{{{base},"password":"a-long-enough-ascii-password"}}"#
        ))
        .is_empty());
    }

    #[test]
    fn versions_and_options_by_version() {
        assert!(
            codes(r#"{"dialect":"postgres","serverVersion":12,"database":"d","role":"r"}"#)
                .contains(&"PGP-GRANT-005")
        );
        assert!(codes(r#"{"dialect":"postgres","serverVersion":13,"database":"d","role":"r","readAllData":true,"clientCidrs":["10.0.0.0/8"]}"#).contains(&"PGP-GRANT-006"));
        assert!(codes(r#"{"dialect":"postgres","serverVersion":14,"database":"d","role":"r","readAllData":true,"clientCidrs":["10.0.0.0/8"]}"#).contains(&"PGP-GRANT-008"));
        assert_eq!(
            mysql_flavor("mariadb-10.11"),
            Some(MySqlFlavor::MariaDb {
                major: 10,
                minor: 11
            })
        );
        assert_eq!(
            mysql_flavor("8.0"),
            Some(MySqlFlavor::MySql { major: 8, minor: 0 })
        );
        assert_eq!(mysql_flavor("mysql-8.4"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::from_unix(crate::pki::time::UnixTime::from_seconds(1_795_305_600)),
            Date {
                year: 2026,
                month: 11,
                day: 22
            }
        );
        assert_eq!(
            Date::parse("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!(Date::parse("2025-02-29"), None);
        assert_eq!(
            TODAY.plus_days(40),
            Date {
                year: 2027,
                month: 1,
                day: 1
            }
        );
    }
}
