//! The kinds every dialect shares: the drivers, what a driver does about TLS ([`Verdict`],
//! [`Tls`]) and yes/no/maybe. Plain data, below the readers of every driver.

use crate::conninfo::options::{Effective, HostKind, HostTarget, SslMode};
use crate::conninfo::syntax::Conninfo;
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

    /// Which releases of the driver the dialect models, where its name alone misleads: the
    /// `prisma` dialect is Prisma's Rust query engine (Client up to 6 without a driver
    /// adapter, and Migrate); Prisma 7's client reads the URL through `@prisma/adapter-pg`,
    /// that is node-postgres (Prisma's v7 "Database drivers" page; a driver expert saw the
    /// findings read as Prisma 7's).
    pub fn scope(self) -> Option<&'static str> {
        match self {
            Dialect::Prisma => Some("Prisma's Rust engine: Prisma Client up to 6 without a driver adapter, and Prisma Migrate; for Prisma 7's client (`@prisma/adapter-pg`) check the string as node-postgres"),
            _ => None,
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
    /// Every host is a Unix-domain socket on this machine (named, or libpq's default socket
    /// when the string gives no host): TLS settings do not apply, and the fields above say
    /// "no" only because nothing is encrypted on a local socket. Serialised only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub local: bool,
}

impl Verdict {
    /// A connection over Unix-domain sockets only: the traffic never crosses a network, and
    /// libpq does not start TLS or GSSAPI there (libpq docs §32.19.1: "sslmode is ignored
    /// for Unix domain socket communication").
    pub fn local(hosts: &[HostTarget]) -> Verdict {
        let cloud_sql = hosts
            .iter()
            .any(|h| h.host.as_deref().is_some_and(|d| d.contains("/cloudsql/")));
        let summary = if cloud_sql {
            "A local Unix-domain socket of the Cloud SQL Auth Proxy or connector: TLS settings do not apply to it; the proxy encrypts the hop to the instance (TLS 1.3, both sides verified by certificates Google issues)."
        } else if hosts.iter().all(|h| h.kind == HostKind::Default) {
            "No host is given, so libpq connects through the default Unix-domain socket on this machine: TLS settings do not apply, and the traffic never crosses a network. Give `host` to connect over the network."
        } else {
            "A Unix-domain socket on this machine: TLS settings do not apply, and the traffic never crosses a network."
        };
        Verdict {
            encrypted: Tri::No,
            server_verified: Tri::No,
            hostname_verified: Tri::No,
            plaintext_fallback: false,
            summary: summary.to_string(),
            local: true,
        }
    }
}

/// True when every host slot is a Unix-domain socket; `default_is_local`: whether a slot
/// without a host means the default socket (libpq) rather than the driver's default TCP host.
pub(crate) fn all_local(hosts: &[HostTarget], default_is_local: bool) -> bool {
    !hosts.is_empty()
        && hosts.iter().all(|h| {
            h.kind == HostKind::UnixSocket || (default_is_local && h.kind == HostKind::Default)
        })
}

impl Verdict {
    /// libpq's behaviour per `sslmode` (libpq docs §32.19.1, table "SSL Mode Descriptions"),
    /// including "require with a root certificate file behaves like verify-ca".
    pub fn for_libpq(conninfo: &Conninfo, effective: &Effective) -> Verdict {
        if all_local(&effective.hosts, true) {
            return Verdict::local(&effective.hosts);
        }
        // A placeholder (`/path/to/…`) names no file: libpq under `require` then verifies
        // nothing, as without the setting.
        let has_root_file = conninfo.get_nonempty("sslrootcert").is_some_and(|r| {
            r != "system" && !crate::conninfo::placeholder::is_placeholder_path(r)
        });
        use SslMode::*;
        let (encrypted, server, host, fallback, summary) = match effective.sslmode {
            Some(Disable) => (Tri::No, Tri::No, Tri::No, true, "Not encrypted: anyone on the network path can read and alter the traffic, including the password exchange."),
            Some(Allow) => (Tri::Maybe, Tri::No, Tri::No, true, "Tries a plaintext connection first and only uses TLS if the server insists; the server is never verified."),
            Some(Prefer) => (Tri::Maybe, Tri::No, Tri::No, true, "Uses TLS when the server offers it but silently falls back to plaintext, and never verifies the server: an attacker in the path can impersonate it or strip TLS."),
            Some(Require) if has_root_file => (Tri::Yes, Tri::Yes, Tri::No, false, "Encrypted, and because a root certificate file is given libpq verifies the server certificate as verify-ca does, but not the host name."),
            Some(Require) => (Tri::Yes, Tri::No, Tri::No, false, "Encrypted against eavesdropping, but the server is not verified: an attacker in the path can impersonate it."),
            Some(VerifyCa) => (Tri::Yes, Tri::Yes, Tri::No, false, "Encrypted, and libpq connects only to a server whose certificate chains to a trusted CA, but the host name is not checked: any server with a certificate from that CA is accepted."),
            Some(VerifyFull) => (Tri::Yes, Tri::Yes, Tri::Yes, false, "Encrypted, and libpq connects only to a server whose certificate chains to a trusted CA and matches the host name."),
            None => (Tri::No, Tri::No, Tri::No, false, "libpq will refuse to connect: the sslmode value is invalid."),
        };
        Verdict {
            encrypted,
            server_verified: server,
            hostname_verified: host,
            plaintext_fallback: fallback,
            summary: summary.to_string(),
            local: false,
        }
    }
}

/// What a driver does on the wire, in the vocabulary every driver module shares. Each variant
/// has exactly one libpq `sslmode` with the same guarantees, except [`Tls::PreferVerified`] and
/// [`Tls::Custom`], which libpq cannot express.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tls {
    /// Never TLS.
    Off,
    /// Plaintext first; TLS only if the server insists; never verified.
    AllowNoVerify,
    /// TLS when the server offers it, else plaintext; never verified.
    PreferNoVerify,
    /// TLS when the server offers it, else plaintext; when TLS is used the certificate is
    /// verified (and the host name when `host` is true).
    PreferVerified { host: bool },
    /// TLS required; the server is not verified.
    RequireNoVerify,
    /// TLS required; the chain is verified, the host name is not.
    RequireCa,
    /// TLS required; chain and host name verified.
    RequireFull,
    /// A custom TLS factory or callback decides; `required` says whether TLS is mandatory and
    /// `host_checked` whether the driver additionally checks the host name.
    Custom { required: bool, host_checked: bool },
    /// The driver refuses to connect with this configuration.
    Refused,
}

impl Tls {
    /// The libpq `sslmode` with the same guarantees, if there is one.
    pub(crate) fn libpq_sslmode(self) -> Option<SslMode> {
        match self {
            Tls::Off => Some(SslMode::Disable),
            Tls::AllowNoVerify => Some(SslMode::Allow),
            Tls::PreferNoVerify => Some(SslMode::Prefer),
            Tls::RequireNoVerify => Some(SslMode::Require),
            Tls::RequireCa => Some(SslMode::VerifyCa),
            Tls::RequireFull => Some(SslMode::VerifyFull),
            Tls::PreferVerified { .. } | Tls::Custom { .. } | Tls::Refused => None,
        }
    }

    pub(crate) fn verifies(self) -> bool {
        matches!(
            self,
            Tls::RequireCa | Tls::RequireFull | Tls::PreferVerified { .. }
        )
    }

    /// The verdict, phrased for `driver`.
    pub(crate) fn verdict(self, driver: &str) -> Verdict {
        use Tri::{Maybe, No, Yes};
        let (encrypted, server, host, fallback, summary) = match self {
            Tls::Off => (No, No, No, true, format!("{driver} does not use TLS: anyone on the network path can read and alter the traffic, including the password exchange.")),
            Tls::AllowNoVerify => (Maybe, No, No, true, format!("{driver} connects in plaintext unless the server insists on TLS, and never verifies the server.")),
            Tls::PreferNoVerify => (Maybe, No, No, true, format!("{driver} uses TLS when the server offers it but falls back to plaintext and never verifies the server: an attacker in the path can impersonate it or strip TLS.")),
            Tls::PreferVerified { host } => (Maybe, Maybe, if host { Maybe } else { No }, true, format!("{driver} verifies the server certificate when TLS is used, but falls back to plaintext when the server (or an attacker) declines TLS.")),
            Tls::RequireNoVerify => (Yes, No, No, false, format!("{driver} encrypts the connection but does not verify the server: an attacker in the path can impersonate it.")),
            Tls::RequireCa => (Yes, Yes, No, false, format!("{driver} encrypts and checks that the server certificate chains to a trusted CA, but not the host name: any server with a certificate from that CA is accepted.")),
            Tls::RequireFull => (Yes, Yes, Yes, false, format!("{driver} encrypts, checks the server certificate against a trusted CA and checks the host name.")),
            Tls::Custom { required, host_checked } => (
                if required { Yes } else { Maybe },
                Maybe,
                if host_checked { Maybe } else { No },
                !required,
                format!("{driver} hands certificate checks to a custom TLS factory: what is verified depends on that class."),
            ),
            Tls::Refused => (No, No, No, false, format!("{driver} refuses to connect with these settings.")),
        };
        Verdict {
            encrypted,
            server_verified: server,
            hostname_verified: host,
            plaintext_fallback: fallback,
            summary,
            local: false,
        }
    }
}
