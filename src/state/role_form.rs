//! The role builder's form as typed: its fields, the role spec it writes, the shareable-link
//! fragment that carries it (no secret), and the scripts the page waits for.

use pg_preflight_core::Date;

/// The role builder's form, as typed. Lists are comma-separated; columns are one
/// `schema.table: col, col` per line. The core checks everything when the script is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleForm {
    pub dialect: String,
    pub server_version: String,
    pub database: String,
    pub role: String,
    pub access: String,
    pub schemas: String,
    pub tables: String,
    pub columns: String,
    pub owner_role: String,
    pub auth: String,
    pub connection_limit: String,
    pub statement_timeout: String,
    pub valid_until: String,
    pub client_cidrs: String,
}

impl Default for RoleForm {
    fn default() -> RoleForm {
        RoleForm {
            dialect: "postgres".into(),
            server_version: "17".into(),
            database: String::new(),
            role: String::new(),
            access: "read-only".into(),
            schemas: "public".into(),
            tables: String::new(),
            columns: String::new(),
            owner_role: String::new(),
            auth: "scram".into(),
            connection_limit: "5".into(),
            statement_timeout: "30s".into(),
            valid_until: String::new(),
            client_cidrs: String::new(),
        }
    }
}

/// One field of the role form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleField {
    Dialect,
    ServerVersion,
    Database,
    Role,
    Access,
    Schemas,
    Tables,
    Columns,
    OwnerRole,
    Auth,
    ConnectionLimit,
    StatementTimeout,
    ValidUntil,
    ClientCidrs,
}

impl RoleField {
    pub const ALL: [RoleField; 14] = [
        RoleField::Dialect,
        RoleField::ServerVersion,
        RoleField::Database,
        RoleField::Role,
        RoleField::Access,
        RoleField::Schemas,
        RoleField::Tables,
        RoleField::Columns,
        RoleField::OwnerRole,
        RoleField::Auth,
        RoleField::ConnectionLimit,
        RoleField::StatementTimeout,
        RoleField::ValidUntil,
        RoleField::ClientCidrs,
    ];

    /// The field's key in the role spec (DESIGN.md §3), which the core's messages name.
    pub fn spec_key(self) -> &'static str {
        match self {
            RoleField::Dialect => "dialect",
            RoleField::ServerVersion => "serverVersion",
            RoleField::Database => "database",
            RoleField::Role => "role",
            RoleField::Access => "access",
            RoleField::Schemas => "schemas",
            RoleField::Tables => "tables",
            RoleField::Columns => "columns",
            RoleField::OwnerRole => "ownerRole",
            RoleField::Auth => "auth",
            RoleField::ConnectionLimit => "connectionLimit",
            RoleField::StatementTimeout => "statementTimeout",
            RoleField::ValidUntil => "validUntil",
            RoleField::ClientCidrs => "clientCidrs",
        }
    }

    /// What the field's value means where a bare label cannot say it, shown under the field;
    /// `None` when there is nothing to add. An emptied limit is no limit (the spec's `null`,
    /// which the core reports as PGP-GRANT-013), never a default the user cannot see.
    pub fn hint(self, form: &RoleForm) -> Option<&'static str> {
        let postgres = form.dialect == "postgres";
        let empty = form.get(self).trim().is_empty();
        match self {
            RoleField::ConnectionLimit if empty && postgres => {
                Some("Empty: the script sets no connection limit for the role (CONNECTION LIMIT -1).")
            }
            RoleField::ConnectionLimit if empty => Some(
                "Empty: the script sets no connection limit for the account (MAX_USER_CONNECTIONS 0).",
            ),
            RoleField::StatementTimeout if empty && postgres => Some(
                "Empty: the script sets no statement timeout for the role (RESET statement_timeout); the server's applies.",
            ),
            RoleField::StatementTimeout if !postgres => Some(
                "Not used for MySQL/MariaDB: the script sets no session timeouts there (no per-account session defaults).",
            ),
            // The core writes VALID UNTIL 'YYYY-MM-DD 00:00:00+00' (grants/postgres.rs).
            RoleField::ValidUntil if postgres => Some(
                "Password logins stop at 00:00 UTC at the start of this date (VALID UNTIL 'YYYY-MM-DD 00:00:00+00'); certificate logins are not affected. Empty: 90 days after the day you build the script.",
            ),
            RoleField::ValidUntil => Some(
                "Not used for MySQL/MariaDB: the password expires 90 days after it is set (PASSWORD EXPIRE INTERVAL 90 DAY).",
            ),
            _ => None,
        }
    }

    /// The form's label for the field (MySQL has databases where PostgreSQL has schemas).
    pub fn label(self, postgres: bool) -> &'static str {
        match self {
            RoleField::Dialect => "Server",
            RoleField::ServerVersion => "Version",
            RoleField::Database => "Database",
            RoleField::Role => "Role name",
            RoleField::Access => "Access",
            RoleField::Schemas if postgres => "Whole schemas (comma-separated)",
            RoleField::Schemas => "Whole databases (comma-separated)",
            RoleField::Tables => "Listed tables (schema.table, comma-separated)",
            RoleField::Columns => "Listed columns (one table per line: schema.table: col, col)",
            RoleField::OwnerRole => "Owner role (creates the tables)",
            RoleField::Auth => "Authentication",
            RoleField::ConnectionLimit => "Connection limit",
            RoleField::StatementTimeout => "Statement timeout",
            RoleField::ValidUntil => "Password valid until",
            RoleField::ClientCidrs => "Client networks (CIDR, comma-separated)",
        }
    }
}

impl RoleForm {
    pub fn get(&self, field: RoleField) -> &str {
        match field {
            RoleField::Dialect => &self.dialect,
            RoleField::ServerVersion => &self.server_version,
            RoleField::Database => &self.database,
            RoleField::Role => &self.role,
            RoleField::Access => &self.access,
            RoleField::Schemas => &self.schemas,
            RoleField::Tables => &self.tables,
            RoleField::Columns => &self.columns,
            RoleField::OwnerRole => &self.owner_role,
            RoleField::Auth => &self.auth,
            RoleField::ConnectionLimit => &self.connection_limit,
            RoleField::StatementTimeout => &self.statement_timeout,
            RoleField::ValidUntil => &self.valid_until,
            RoleField::ClientCidrs => &self.client_cidrs,
        }
    }

    pub(super) fn slot(&mut self, field: RoleField) -> &mut String {
        match field {
            RoleField::Dialect => &mut self.dialect,
            RoleField::ServerVersion => &mut self.server_version,
            RoleField::Database => &mut self.database,
            RoleField::Role => &mut self.role,
            RoleField::Access => &mut self.access,
            RoleField::Schemas => &mut self.schemas,
            RoleField::Tables => &mut self.tables,
            RoleField::Columns => &mut self.columns,
            RoleField::OwnerRole => &mut self.owner_role,
            RoleField::Auth => &mut self.auth,
            RoleField::ConnectionLimit => &mut self.connection_limit,
            RoleField::StatementTimeout => &mut self.statement_timeout,
            RoleField::ValidUntil => &mut self.valid_until,
            RoleField::ClientCidrs => &mut self.client_cidrs,
        }
    }

    /// The role spec (DESIGN.md §3) this form describes, as JSON text. Empty fields are left
    /// out so the core's defaults apply, except the limits: an emptied connection limit or
    /// statement timeout is `null`, "no limit set by this script", which the core honours and
    /// reports (PGP-GRANT-013) instead of a default the user cleared. A non-numeric limit is
    /// passed as text so the core reports it rather than the form silently dropping it.
    pub fn to_spec_json(&self) -> String {
        use serde_json::{json, Map, Value};
        let list = |text: &str| -> Vec<String> {
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let mut spec = Map::new();
        spec.insert("dialect".into(), json!(self.dialect));
        spec.insert("database".into(), json!(self.database.trim()));
        spec.insert("role".into(), json!(self.role.trim()));
        let version = self.server_version.trim();
        if !version.is_empty() {
            let value = version
                .parse::<u64>()
                .map_or_else(|_| json!(version), |n| json!(n));
            spec.insert("serverVersion".into(), value);
        }
        spec.insert("access".into(), json!(self.access));
        spec.insert("auth".into(), json!(self.auth));
        for field in [
            RoleField::Schemas,
            RoleField::Tables,
            RoleField::ClientCidrs,
        ] {
            let items = list(self.get(field));
            if !items.is_empty() {
                spec.insert(field.spec_key().into(), json!(items));
            }
        }
        let mut columns = Map::new();
        for line in self.columns.lines() {
            if let Some((table, cols)) = line.rsplit_once(':') {
                let table = table.trim();
                if !table.is_empty() {
                    columns.insert(table.to_string(), json!(list(cols)));
                }
            }
        }
        if !columns.is_empty() {
            spec.insert("columns".into(), Value::Object(columns));
        }
        for field in [RoleField::OwnerRole, RoleField::ValidUntil] {
            let text = self.get(field).trim();
            if !text.is_empty() {
                spec.insert(field.spec_key().into(), json!(text));
            }
        }
        // The MySQL/MariaDB script sets no session timeouts, and the core says so
        // (PGP-GRANT-012) for one given: the field's default is not the user's choice there.
        let timeout = self.statement_timeout.trim();
        if self.dialect == "postgres" {
            spec.insert(
                "statementTimeout".into(),
                if timeout.is_empty() {
                    Value::Null
                } else {
                    json!(timeout)
                },
            );
        }
        let limit = self.connection_limit.trim();
        let value = match limit.parse::<i64>() {
            _ if limit.is_empty() => Value::Null,
            Ok(n) => json!(n),
            Err(_) => json!(limit),
        };
        spec.insert("connectionLimit".into(), value);
        Value::Object(spec).to_string()
    }
}

/// The role form's fields in a shareable-link fragment (`#role.database=appdb&role.role=…`).
/// The form holds no secret (no password field), so a link may carry it.
const FRAGMENT_FIELDS: [(RoleField, &str); 14] = [
    (RoleField::Dialect, "dialect"),
    (RoleField::ServerVersion, "version"),
    (RoleField::Database, "database"),
    (RoleField::Role, "role"),
    (RoleField::Access, "access"),
    (RoleField::Schemas, "schemas"),
    (RoleField::Tables, "tables"),
    (RoleField::Columns, "columns"),
    (RoleField::OwnerRole, "owner"),
    (RoleField::Auth, "auth"),
    (RoleField::ConnectionLimit, "limit"),
    (RoleField::StatementTimeout, "timeout"),
    (RoleField::ValidUntil, "until"),
    (RoleField::ClientCidrs, "cidrs"),
];

fn fragment_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn fragment_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl RoleForm {
    /// The fields that differ from the defaults, as a URL fragment (without `#`).
    pub fn to_fragment(&self) -> String {
        let defaults = RoleForm::default();
        FRAGMENT_FIELDS
            .iter()
            .filter(|(field, _)| self.get(*field) != defaults.get(*field))
            .map(|(field, key)| format!("role.{key}={}", fragment_encode(self.get(*field))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// A form from a fragment written by [`RoleForm::to_fragment`]; unknown keys are ignored
    /// (links outlive versions), and `None` when the fragment has no role field at all.
    pub fn from_fragment(fragment: &str) -> Option<RoleForm> {
        let mut form = RoleForm::default();
        let mut any = false;
        for pair in fragment.trim_start_matches('#').split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            let Some(key) = key.strip_prefix("role.") else {
                continue;
            };
            let Some((field, _)) = FRAGMENT_FIELDS.iter().find(|(_, k)| *k == key) else {
                continue;
            };
            let Some(value) = fragment_decode(value) else {
                continue;
            };
            *form.slot(*field) = value;
            any = true;
        }
        any.then_some(form)
    }

    /// What the form grants, in words: `schema app; table app.orders; columns of app.users`.
    pub fn scope(&self) -> String {
        let mut parts = Vec::new();
        let list = |t: &str| {
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.schemas.trim().is_empty() {
            parts.push(format!("schema(s) {}", list(&self.schemas)));
        }
        if !self.tables.trim().is_empty() {
            parts.push(format!("table(s) {}", list(&self.tables)));
        }
        for line in self.columns.lines().filter(|l| l.contains(':')) {
            parts.push(format!("columns {}", line.trim()));
        }
        if parts.is_empty() {
            "schema public".to_string()
        } else {
            parts.join("; ")
        }
    }
}

/// Role scripts the page waits for: the second module writes them (`deferred.rs`, with the
/// browser's `crypto.getRandomValues`) and the component hands them back as
/// [`Action::RoleGenerated`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleWanted {
    /// Which request (`State::next_request`, never reused, not even after "Clear
    /// everything"); a result for any other is dropped.
    pub id: u64,
    /// The form as a role spec (`RoleForm::to_spec_json`).
    pub spec_json: String,
    pub today: Date,
    /// The client certificate given above, which MySQL's `REQUIRE SUBJECT … AND ISSUER …` pins.
    pub client_certificate: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cleared limit is `null` in the spec (no limit), with a hint saying so; a limit left as
    /// the form shows it is that value.
    #[test]
    fn cleared_limits_are_null_and_hinted() {
        let mut form = RoleForm::default();
        let spec: serde_json::Value = serde_json::from_str(&form.to_spec_json()).unwrap();
        assert_eq!(spec["connectionLimit"], serde_json::json!(5));
        assert_eq!(spec["statementTimeout"], serde_json::json!("30s"));
        assert_eq!(RoleField::ConnectionLimit.hint(&form), None);
        *form.slot(RoleField::ConnectionLimit) = " ".into();
        *form.slot(RoleField::StatementTimeout) = String::new();
        let spec: serde_json::Value = serde_json::from_str(&form.to_spec_json()).unwrap();
        assert_eq!(spec["connectionLimit"], serde_json::Value::Null);
        assert_eq!(spec["statementTimeout"], serde_json::Value::Null);
        assert!(RoleField::ConnectionLimit
            .hint(&form)
            .is_some_and(|h| h.contains("no connection limit")));
        assert!(RoleField::StatementTimeout
            .hint(&form)
            .is_some_and(|h| h.contains("no statement timeout")));
    }

    /// The expiry date's hint says which instant the script writes for it.
    #[test]
    fn the_expiry_hint_names_the_instant() {
        let mut form = RoleForm::default();
        let hint = RoleField::ValidUntil.hint(&form).unwrap_or_default();
        assert!(
            hint.contains("00:00 UTC at the start of this date"),
            "{hint}"
        );
        assert!(hint.contains("Empty: 90 days"), "{hint}");
        *form.slot(RoleField::Dialect) = "mysql".into();
        let hint = RoleField::ValidUntil.hint(&form).unwrap_or_default();
        assert!(hint.starts_with("Not used for MySQL"), "{hint}");
    }

    /// A MySQL form sends no statement timeout (its script sets none, and the field's default
    /// is no choice of the user's to be warned about); a PostgreSQL form does.
    #[test]
    fn a_mysql_form_sends_no_statement_timeout() {
        let mut form = RoleForm::default();
        let spec = |form: &RoleForm| -> serde_json::Value {
            serde_json::from_str(&form.to_spec_json()).unwrap_or_default()
        };
        assert_eq!(spec(&form)["statementTimeout"], "30s");
        *form.slot(RoleField::Dialect) = "mysql".into();
        assert!(
            spec(&form).get("statementTimeout").is_none(),
            "{}",
            spec(&form)
        );
        let hint = RoleField::StatementTimeout.hint(&form).unwrap_or_default();
        assert!(hint.starts_with("Not used for MySQL"), "{hint}");
    }

    #[test]
    fn the_role_form_round_trips_through_a_link_fragment() {
        let mut form = RoleForm::default();
        *form.slot(RoleField::Database) = "app db".into();
        *form.slot(RoleField::Role) = "ai_reader".into();
        *form.slot(RoleField::Columns) = "app.users: id, email\nx.\"y&z\": a".into();
        let fragment = form.to_fragment();
        assert!(!fragment.contains(' ') && !fragment.contains('\n'));
        assert_eq!(RoleForm::from_fragment(&format!("#{fragment}")), Some(form));
        assert_eq!(
            RoleForm::from_fragment("#dsn=postgresql://u:secret@h/db"),
            None
        );
        assert_eq!(RoleForm::from_fragment("role.database=%ZZ"), None);
    }
}
