//! Connection-string dialects of the drivers people hand PostgreSQL credentials to, what each
//! driver really does with the TLS settings, and the translation to libpq.

use super::options::Effective;
use super::syntax::Conninfo;
use super::{Analysis, CheckOptions};
use crate::diagnostic::Severity;
use crate::registry::Rule;
use serde::Serialize;

/// A driver family whose connection-string rules pg-preflight knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// libpq and everything built on it: psql, psycopg 2/3, pgAdmin, pg_dump, Ruby pg, …
    Libpq,
    /// pgjdbc: `jdbc:postgresql://…`.
    Jdbc,
    /// node-postgres (`pg`) via pg-connection-string.
    NodePostgres,
    /// asyncpg (Python).
    Asyncpg,
    /// SQLAlchemy URLs: `postgresql+psycopg://`, `+asyncpg`, `+psycopg2`, …
    Sqlalchemy,
    /// Go pgx / pgconn.
    Pgx,
    /// Prisma.
    Prisma,
    /// Npgsql (.NET): `Host=…;SSL Mode=…`.
    Npgsql,
}

impl Dialect {
    pub const ALL: [Dialect; 8] = [
        Dialect::Libpq,
        Dialect::Jdbc,
        Dialect::NodePostgres,
        Dialect::Asyncpg,
        Dialect::Sqlalchemy,
        Dialect::Pgx,
        Dialect::Prisma,
        Dialect::Npgsql,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Libpq => "libpq",
            Dialect::Jdbc => "jdbc",
            Dialect::NodePostgres => "node-postgres",
            Dialect::Asyncpg => "asyncpg",
            Dialect::Sqlalchemy => "sqlalchemy",
            Dialect::Pgx => "pgx",
            Dialect::Prisma => "prisma",
            Dialect::Npgsql => "npgsql",
        }
    }

    /// Accepts the canonical names and the names people use for the same driver.
    pub fn from_name(name: &str) -> Option<Dialect> {
        let lower = name.trim().to_ascii_lowercase();
        Some(match lower.as_str() {
            "libpq" | "psql" | "psycopg" | "psycopg2" | "psycopg3" => Dialect::Libpq,
            "jdbc" | "pgjdbc" | "java" => Dialect::Jdbc,
            "node-postgres" | "node" | "pg" | "nodejs" => Dialect::NodePostgres,
            "asyncpg" => Dialect::Asyncpg,
            "sqlalchemy" => Dialect::Sqlalchemy,
            "pgx" | "go" | "pgconn" => Dialect::Pgx,
            "prisma" => Dialect::Prisma,
            "npgsql" | "dotnet" | ".net" => Dialect::Npgsql,
            _ => return None,
        })
    }
}

/// Yes, no, or only if the server cooperates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Tri {
    Yes,
    No,
    Maybe,
}

/// What a driver will actually do about TLS with this configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// Is the connection encrypted?
    pub encrypted: Tri,
    /// Is the server certificate checked against a trusted CA?
    pub server_verified: Tri,
    /// Is the server's host name checked against its certificate?
    pub hostname_verified: Tri,
    /// Can an attacker (or a misconfigured server) get a plaintext connection?
    pub plaintext_fallback: bool,
    /// One sentence for people.
    pub summary: String,
}

impl Verdict {
    /// libpq's behaviour per `sslmode` (libpq docs §32.19.1, table "SSL Mode Descriptions"),
    /// including "require with a root certificate file behaves like verify-ca".
    pub fn for_libpq(conninfo: &Conninfo, effective: &Effective) -> Verdict {
        let has_root_file = conninfo
            .get_nonempty("sslrootcert")
            .is_some_and(|r| r != "system");
        let (encrypted, server, host, fallback, summary) = match effective.sslmode.as_str() {
            "disable" => (Tri::No, Tri::No, Tri::No, true, "Not encrypted: anyone on the network path can read and alter the traffic, including the password exchange."),
            "allow" => (Tri::Maybe, Tri::No, Tri::No, true, "Tries a plaintext connection first and only uses TLS if the server insists; the server is never verified."),
            "prefer" => (Tri::Maybe, Tri::No, Tri::No, true, "Uses TLS when the server offers it but silently falls back to plaintext, and never verifies the server: an attacker in the path can impersonate it or strip TLS."),
            "require" if has_root_file => (Tri::Yes, Tri::Yes, Tri::No, false, "Encrypted, and because a root certificate file is given libpq verifies the server certificate as verify-ca does, but not the host name."),
            "require" => (Tri::Yes, Tri::No, Tri::No, false, "Encrypted against eavesdropping, but the server is not verified: an attacker in the path can impersonate it."),
            "verify-ca" => (Tri::Yes, Tri::Yes, Tri::No, false, "Encrypted and the server certificate chains to a trusted CA, but the host name is not checked: any server with a certificate from that CA is accepted."),
            "verify-full" => (Tri::Yes, Tri::Yes, Tri::Yes, false, "Encrypted, the server certificate chains to a trusted CA and matches the host name."),
            _ => (Tri::No, Tri::No, Tri::No, false, "libpq will refuse to connect: the sslmode value is invalid."),
        };
        Verdict {
            encrypted,
            server_verified: server,
            hostname_verified: host,
            plaintext_fallback: fallback,
            summary: summary.to_string(),
        }
    }
}

pub static RULES: &[&Rule] = &[&RULE_DIALECT_UNSUPPORTED];

pub static RULE_DIALECT_UNSUPPORTED: Rule = Rule {
    code: "PGP-DRIVER-001",
    severity: Severity::Error,
    title: "Connection string not understood for this driver",
    explanation: "The string does not have the shape the chosen driver expects. Pick the driver \
explicitly with `--driver`, or check the driver's documentation for its URL format.",
    references: &[],
};

/// Guesses the dialect from the string's shape.
pub fn detect(input: &str) -> Dialect {
    let trimmed = input.trim_start();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("jdbc:") {
        Dialect::Jdbc
    } else if lower.starts_with("postgresql+") || lower.starts_with("postgres+") {
        Dialect::Sqlalchemy
    } else {
        Dialect::Libpq
    }
}

/// The path for every driver other than libpq.
pub fn analyze_foreign(dialect: Dialect, input: &str, _options: &CheckOptions) -> Analysis {
    let _ = input;
    Analysis {
        valid: false,
        dialect,
        detected: false,
        params: None,
        hosts: Vec::new(),
        diagnostics: vec![crate::diagnostic::Diagnostic::new(
            &RULE_DIALECT_UNSUPPORTED,
            format!("the {} dialect is not implemented yet", dialect.name()),
        )],
        verdict: None,
        libpq_equivalent: None,
    }
}
