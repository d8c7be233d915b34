//! Least-privilege role scripts (DESIGN.md §3 role spec): PostgreSQL roles and grants with
//! pg_hba.conf and postgresql.conf lines, or a MySQL/MariaDB account, plus verification,
//! rotation and teardown scripts.
//!
//! **Architecture Invariant:** generation is pure. The date and the random source come from
//! the caller; a spec that cannot be honoured exactly yields error diagnostics and no script;
//! no script ever contains a plaintext password (a SCRAM-SHA-256 verifier or a
//! mysql_native_password hash instead; a generated password is returned once, separately).

pub mod hba;
pub mod mysql;
pub mod postgres;
pub mod quote;
pub mod secret;
pub mod spec;

pub use secret::RandomSource;
pub use spec::{parse_spec, Date, RoleSpec, SPEC_KEYS};

use crate::diagnostic::{sort_diagnostics, Diagnostic};
use crate::pki::intake::{intake, Field};
use serde::{Deserialize, Deserializer, Serialize};
use spec::{Engine, Plan};
use zeroize::Zeroizing;

/// What the generator needs besides the spec, supplied by the edge that calls it: the date,
/// a random source, and the client certificate.
pub struct Environment<'a> {
    /// The generation date, for the default `VALID UNTIL` (90 days later).
    pub today: Date,
    pub random: &'a mut dyn RandomSource,
    /// The client certificate (PEM or DER), to pin MySQL's `REQUIRE SUBJECT … AND ISSUER …`.
    pub client_certificate: Option<&'a [u8]>,
}

impl std::fmt::Debug for Environment<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("today", &self.today)
            .field(
                "client_certificate",
                &self.client_certificate.map(<[u8]>::len),
            )
            .finish_non_exhaustive()
    }
}

/// Every script for one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripts {
    pub sql: String,
    /// PostgreSQL only.
    pub hba: Option<String>,
    /// PostgreSQL only: postgresql.conf lines.
    pub server_conf: Option<String>,
    pub verify: String,
    pub rotate: String,
    pub teardown: String,
    pub login_role: String,
    /// PostgreSQL only: the NOLOGIN role holding the privileges.
    pub group_role: Option<String>,
    /// The generated password, to show once; `None` when the spec gave one or uses no password.
    pub generated_password: Option<Zeroizing<String>>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub scripts: Option<Scripts>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The output shape of `pg-preflight grants --json` and the JS `generateRoleScript` (DESIGN.md
/// §3's `{"sql","hba","notes"}` plus the companion scripts): `password` is the generated
/// password, to show once, and null when the spec gave one or none is used.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantsReport<'a> {
    pub ok: bool,
    pub sql: Option<&'a str>,
    pub hba: Option<&'a str>,
    pub server_conf: Option<&'a str>,
    pub verify: Option<&'a str>,
    pub rotate: Option<&'a str>,
    pub teardown: Option<&'a str>,
    pub roles: Option<Roles<'a>>,
    pub password: Option<&'a str>,
    pub notes: &'a [String],
    pub diagnostics: &'a [Diagnostic],
}

#[derive(Debug, Serialize)]
pub struct Roles<'a> {
    pub login: &'a str,
    pub group: Option<&'a str>,
}

impl Generated {
    pub fn report(&self) -> GrantsReport<'_> {
        let scripts = self.scripts.as_ref();
        GrantsReport {
            ok: scripts.is_some(),
            sql: scripts.map(|s| s.sql.as_str()),
            hba: scripts.and_then(|s| s.hba.as_deref()),
            server_conf: scripts.and_then(|s| s.server_conf.as_deref()),
            verify: scripts.map(|s| s.verify.as_str()),
            rotate: scripts.map(|s| s.rotate.as_str()),
            teardown: scripts.map(|s| s.teardown.as_str()),
            roles: scripts.map(|s| Roles {
                login: &s.login_role,
                group: s.group_role.as_deref(),
            }),
            password: scripts.and_then(|s| s.generated_password.as_ref().map(|p| p.as_str())),
            notes: scripts.map_or(&[], |s| s.notes.as_slice()),
            diagnostics: &self.diagnostics,
        }
    }
}

/// Reads a [`GrantsReport`] back (the page's role builder gets its scripts from its second
/// WebAssembly module in that shape): `ok: false` is no scripts. A test holds that a report read
/// back is the `Generated` it was written from.
impl<'de> Deserialize<'de> for Generated {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Generated, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Wire {
            ok: bool,
            sql: Option<String>,
            hba: Option<String>,
            server_conf: Option<String>,
            verify: Option<String>,
            rotate: Option<String>,
            teardown: Option<String>,
            roles: Option<WireRoles>,
            password: Option<String>,
            notes: Vec<String>,
            diagnostics: Vec<Diagnostic>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct WireRoles {
            login: String,
            group: Option<String>,
        }
        let wire = Wire::deserialize(deserializer)?;
        let missing = |what: &str| {
            serde::de::Error::custom(format!("a role script report with ok: true lacks `{what}`"))
        };
        let scripts = if wire.ok {
            let roles = wire.roles.ok_or_else(|| missing("roles"))?;
            Some(Scripts {
                sql: wire.sql.ok_or_else(|| missing("sql"))?,
                hba: wire.hba,
                server_conf: wire.server_conf,
                verify: wire.verify.ok_or_else(|| missing("verify"))?,
                rotate: wire.rotate.ok_or_else(|| missing("rotate"))?,
                teardown: wire.teardown.ok_or_else(|| missing("teardown"))?,
                login_role: roles.login,
                group_role: roles.group,
                generated_password: wire.password.map(Zeroizing::new),
                notes: wire.notes,
            })
        } else {
            None
        };
        Ok(Generated {
            scripts,
            diagnostics: wire.diagnostics,
        })
    }
}

/// Reads the JSON text of a spec and writes its scripts.
pub fn generate_from_json(text: &str, environment: &mut Environment<'_>) -> Generated {
    match parse_spec(text) {
        Ok(spec) => generate(&spec, environment),
        Err(diagnostic) => Generated {
            scripts: None,
            diagnostics: vec![*diagnostic],
        },
    }
}

pub fn generate(spec: &RoleSpec, environment: &mut Environment<'_>) -> Generated {
    let (plan, mut diagnostics) = spec::plan(spec, environment.today);
    let scripts = plan.and_then(|plan| write(&plan, environment, &mut diagnostics));
    sort_diagnostics(&mut diagnostics);
    let scripts = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        scripts
    };
    Generated {
        scripts,
        diagnostics,
    }
}

fn write(
    plan: &Plan,
    environment: &mut Environment<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Scripts> {
    let (password, generated_password) = match (&plan.password, plan.auth.uses_password()) {
        (_, false) => (None, None),
        (Some(given), true) => (Some(Zeroizing::new(given.clone())), None),
        (None, true) => {
            let fresh = secret::generate_password(environment.random);
            (Some(fresh.clone()), Some(fresh))
        }
    };
    match plan.dialect {
        Engine::Postgres => {
            let verifier = password
                .as_ref()
                .map(|p| secret::new_scram_verifier(p, environment.random));
            let pg = postgres::write(plan, verifier.as_deref());
            let hba = hba::hba_lines(plan, diagnostics);
            Some(Scripts {
                sql: pg.sql,
                hba: Some(hba),
                server_conf: Some(hba::server_settings(plan)),
                verify: pg.verify,
                rotate: pg.rotate,
                teardown: pg.teardown,
                login_role: plan.role.clone(),
                group_role: Some(plan.group_role.clone()),
                generated_password,
                notes: pg.notes,
            })
        }
        Engine::MySql => {
            let hosts = mysql::hosts(plan, diagnostics);
            if hosts.is_empty() {
                return None;
            }
            let password = password?;
            let hash = secret::mysql_native_hash(&password);
            let names = environment.client_certificate.and_then(certificate_names);
            let my = mysql::write(plan, &hosts, &hash, names.as_ref());
            Some(Scripts {
                sql: my.sql,
                hba: None,
                server_conf: None,
                verify: my.verify,
                rotate: my.rotate,
                teardown: my.teardown,
                login_role: plan.role.clone(),
                group_role: None,
                generated_password,
                notes: my.notes,
            })
        }
    }
}

/// The first certificate of the pasted client certificate, in OpenSSL one-line form.
fn certificate_names(bytes: &[u8]) -> Option<mysql::CertificateNames> {
    let read = intake(bytes, Field::ClientCert);
    let (item, _) = read.certificates().next()?;
    let (subject, issuer) = crate::pki::cert::openssl_oneline_names(&item.der)?;
    Some(mysql::CertificateNames { subject, issuer })
}

/// Every rule of the role-script generator, in a stable order (each declared beside the check
/// that raises it).
pub static RULES: &[&crate::registry::Rule] = &[
    &spec::RULE_SPEC_SHAPE,
    &spec::RULE_SPEC_VALUE,
    &spec::RULE_BAD_NAME,
    &spec::RULE_RESERVED_NAME,
    &spec::RULE_UNSUPPORTED_VERSION,
    &spec::RULE_NOT_IN_VERSION,
    &spec::RULE_NO_OWNER_ROLE,
    &spec::RULE_READ_ALL_DATA,
    &spec::RULE_BAD_TABLE_REF,
    &spec::RULE_BAD_PASSWORD,
    &spec::RULE_WEAK_PASSWORD,
    &spec::RULE_IGNORED_FOR_DIALECT,
    &spec::RULE_NO_LIMIT,
    &spec::RULE_BAD_CIDR,
    &spec::RULE_CIDR_ANYWHERE,
    &spec::RULE_NO_CIDRS,
    &hba::RULE_HBA_NAME_REGEX,
];
