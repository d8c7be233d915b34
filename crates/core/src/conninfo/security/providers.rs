//! Advice for managed PostgreSQL services, recognised by host name.
//!
//! The facts live in one table, [`PROVIDERS`]: host-name patterns, which CA signs the server
//! certificates, the strongest `sslmode` that works out of the box, ports, poolers and their
//! documentation. The checks in [`super::provider_checks`] read the table; none of them names a provider.
//!
//! Sources are cited per provider in [`Provider::docs`]; they were read in 2025/2026 and
//! providers change, so every piece of advice links back to them.

use crate::conninfo::options::SslMode;

/// The `sslrootcert` value fixes use when nothing better is known.
pub const ROOT_CERT_PLACEHOLDER: &str = "/path/to/server-ca.crt";

/// Who signs the server certificates, which decides what `sslrootcert` must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaTrust {
    /// A public CA in operating-system trust stores: `sslrootcert=system` (libpq 16+) works.
    Public,
    /// The provider's own CA: download it and name the file in `sslrootcert`.
    Private {
        /// The file name the provider's documentation uses.
        file: &'static str,
        /// Where to get it.
        source: &'static str,
    },
    /// Not documented: inspect the certificate the server presents.
    Unknown,
}

impl CaTrust {
    pub fn is_public(self) -> bool {
        self == CaTrust::Public
    }
}

/// A host-name pattern: `prefix…suffix`, compared with the lower-cased host name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostPattern {
    pub prefix: &'static str,
    pub suffix: &'static str,
    /// Only a name of one DNS label (no dot) matches: a private-network name.
    pub single_label: bool,
    /// Only the name `prefix` itself matches (a service that serves every database on one
    /// host name).
    pub exact: bool,
}

impl HostPattern {
    pub fn matches(&self, host: &str) -> bool {
        if self.exact {
            return host == self.prefix;
        }
        host.len() > self.prefix.len() + self.suffix.len()
            && host.starts_with(self.prefix)
            && host.ends_with(self.suffix)
            && !(self.single_label && host.contains('.'))
    }
}

pub(super) const fn suffix(suffix: &'static str) -> HostPattern {
    HostPattern {
        prefix: "",
        suffix,
        single_label: false,
        exact: false,
    }
}

pub(super) const fn between(prefix: &'static str, suffix: &'static str) -> HostPattern {
    HostPattern {
        prefix,
        suffix,
        single_label: false,
        exact: false,
    }
}

pub(super) const fn label(prefix: &'static str, suffix: &'static str) -> HostPattern {
    HostPattern {
        prefix,
        suffix,
        single_label: true,
        exact: false,
    }
}

pub(super) const fn exact(name: &'static str) -> HostPattern {
    HostPattern {
        prefix: name,
        suffix: "",
        single_label: false,
        exact: true,
    }
}

/// How a provider's transaction-mode pooler is selected, and how to get a session instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pooler {
    /// Hosts the pooler answers on.
    pub hosts: &'static [HostPattern],
    /// Marker in the first DNS label of pooled endpoints (Neon's `-pooler`), if any.
    pub label_marker: Option<&'static str>,
    /// The port that selects transaction mode (Supabase's `6543`); `None`: every port.
    pub port: Option<&'static str>,
    /// How to reach a session-mode or direct connection instead.
    pub session: SessionRoute,
    /// Whether the endpoint is known to pool in transaction mode.
    pub mode: PoolMode,
    /// What answers: "PgBouncer", "Supavisor", …
    pub software: &'static str,
    /// Whether SCRAM channel binding (`SCRAM-SHA-256-PLUS`) works through it. PgBouncer (up to
    /// 1.25) and Supavisor (up to 2.9) do not offer it, so `channel_binding=require` fails
    /// through them; Neon's proxy authenticates in front of its PgBouncer and does.
    pub channel_binding: ChannelBinding,
    /// Whether prepared statements work through it (PgBouncer 1.21+ with
    /// `max_prepared_statements` above 0, as Neon configures it); drivers that prepare named
    /// statements need a setting where they do not.
    pub prepared_statements: bool,
    /// Where the pooler facts come from.
    pub source: &'static str,
}

/// Whether a pooler, or the proxy in front of a provider's endpoints, offers SCRAM channel binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelBinding {
    Offered,
    /// `channel_binding=require` fails through it.
    NotOffered,
    /// The provider does not say, and what answers in front of the pooler is not known: no
    /// finding either way.
    Undocumented,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionRoute {
    /// Remove the label marker from the host name.
    DropLabelMarker,
    /// Use this port, which is what `what` says ("session mode" on a pooler that has one,
    /// "the direct connection" where the port reaches the server itself).
    Port {
        port: &'static str,
        what: &'static str,
    },
    /// Use this host name, which is what `what` says.
    Host {
        host: &'static str,
        what: &'static str,
    },
}

/// What pooling mode the pooler's endpoint runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolMode {
    /// Transaction mode, whatever the user configured.
    Transaction,
    /// Each pool has the mode chosen when it was created (session, transaction or statement),
    /// which the string does not tell; the database name in the string names the pool, not a
    /// database (DigitalOcean).
    PerPool,
}

/// A provider's naming of reader endpoints (Aurora: `*.cluster-ro-*` vs `*.cluster-*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderEndpoint {
    pub marker: &'static str,
    pub writer: &'static str,
}

/// A known reason why verification fails with the provider's default certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caveat {
    /// The `sslmode` values that fail.
    pub modes: &'static [SslMode],
    pub text: &'static str,
}

/// One managed PostgreSQL service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provider {
    pub name: &'static str,
    /// Host names that identify the service.
    pub hosts: &'static [HostPattern],
    /// Host names the service uses but that do not identify it, because others use the same
    /// names (Heroku Postgres runs on Amazon EC2 public DNS names, which every EC2 instance
    /// has): they earn a conditional note ("if this is …"), never the provider's advice or
    /// fixes.
    pub tentative_hosts: &'static [HostPattern],
    pub ca: CaTrust,
    /// The strongest `sslmode` that works with the provider's certificates by default.
    pub strongest_sslmode: SslMode,
    /// The ports the service listens on; empty when any port may be configured.
    pub ports: &'static [&'static str],
    /// Whether the service routes connections by the TLS server name (SNI).
    pub sni_routed: bool,
    pub pooler: Option<Pooler>,
    /// Whether SCRAM channel binding works on the endpoints that are not the pooler's: where
    /// one proxy answers for every database (Prisma Postgres's `db.prisma.io`), it depends on
    /// that proxy.
    pub channel_binding: ChannelBinding,
    /// Hosts where the user name must carry the project (`postgres.<project-ref>`).
    pub tenant_user_hosts: &'static [HostPattern],
    /// How read-only (replica) endpoints are named, and the matching writer endpoint.
    pub reader_endpoint: Option<ReaderEndpoint>,
    /// Hosts that resolve to IPv6 addresses only by default.
    pub ipv6_only_hosts: &'static [HostPattern],
    pub caveat: Option<Caveat>,
    /// One paragraph for people: what the service requires and recommends.
    pub advice: &'static str,
    pub docs: &'static [&'static str],
}

impl Provider {
    pub fn matches(&self, host: &str) -> bool {
        self.hosts.iter().any(|p| p.matches(host))
    }

    /// Whether `host` is one of the names the service uses but does not own.
    pub fn may_match(&self, host: &str) -> bool {
        self.tentative_hosts.iter().any(|p| p.matches(host))
    }

    /// What `sslrootcert` should say for this provider.
    pub fn root_hint(&self) -> &'static str {
        match self.ca {
            CaTrust::Public => "system",
            CaTrust::Private { file, .. } => file,
            CaTrust::Unknown => ROOT_CERT_PLACEHOLDER,
        }
    }

    /// One sentence on where the provider's CA comes from.
    pub fn ca_sentence(&self) -> String {
        match self.ca {
            CaTrust::Public => format!(
                "{}'s certificates chain to a public CA, so `sslrootcert=system` (libpq 16+) verifies them with the operating system's trust store.",
                self.name
            ),
            CaTrust::Private { file, source } => format!(
                "{} signs its certificates with its own CA: get it from {source} and name the file (`{file}`) in `sslrootcert`.",
                self.name
            ),
            CaTrust::Unknown => format!(
                "{} does not document which CA signs its certificates; inspect the certificate the server presents before choosing `sslrootcert`.",
                self.name
            ),
        }
    }
}

/// The providers pg-preflight recognises, most specific patterns first.
pub static PROVIDERS: &[Provider] = &[
    Provider {
        name: "Neon",
        hosts: &[suffix(".neon.tech")],
        tentative_hosts: &[],
        ca: CaTrust::Public,
        strongest_sslmode: SslMode::VerifyFull,
        ports: &[],
        sni_routed: true,
        pooler: Some(Pooler {
            hosts: &[suffix(".neon.tech")],
            label_marker: Some("-pooler"),
            port: None,
            session: SessionRoute::DropLabelMarker,
            mode: PoolMode::Transaction,
            software: "Neon's proxy and PgBouncer",
            channel_binding: ChannelBinding::Offered,
            prepared_statements: true,
            source: "https://neon.com/docs/connect/connection-pooling; https://neon.com/docs/connect/connect-securely (sslmode=require&channel_binding=require)",
        }),
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Neon accepts TLS connections only, and its certificates chain to a public CA \
(Let's Encrypt), so `sslmode=verify-full` with `sslrootcert=system` verifies the server without \
downloading anything. Neon routes each connection to its compute endpoint by the TLS server name \
(SNI); a client that cannot send SNI must name the endpoint in `options=endpoint=<endpoint-id>`. \
Host names with `-pooler` go through PgBouncer in transaction mode; use the host without \
`-pooler` for migrations, `pg_dump` and session features.",
        docs: &[
            "https://neon.com/docs/connect/connect-securely",
            "https://neon.com/docs/connect/connection-errors#the-endpoint-id-is-not-specified",
            "https://neon.com/docs/connect/connection-pooling",
            "https://neon.tech/blog/avoid-mitm-attacks-with-psql-postgres-16",
        ],
    },
    Provider {
        name: "Supabase",
        hosts: &[suffix(".supabase.co"), suffix(".supabase.com")],
        tentative_hosts: &[],
        ca: CaTrust::Private {
            file: "prod-supabase.cer",
            source: "the project's Database Settings (SSL Configuration, Download certificate)",
        },
        strongest_sslmode: SslMode::VerifyFull,
        ports: &["5432", "6543"],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[suffix(".pooler.supabase.com"), between("db.", ".supabase.co")],
            label_marker: None,
            port: Some("6543"),
            session: SessionRoute::Port {
                port: "5432",
                what: "session mode",
            },
            mode: PoolMode::Transaction,
            software: "Supavisor, or the dedicated PgBouncer",
            channel_binding: ChannelBinding::NotOffered,
            prepared_statements: false,
            source: "supabase/supavisor v2.9.7 lib/supavisor/client_handler.ex (SCRAM-SHA-256 only); pgbouncer 1.25 src/client.c (no SCRAM-SHA-256-PLUS)",
        }),
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[suffix(".pooler.supabase.com")],
        reader_endpoint: None,
        ipv6_only_hosts: &[between("db.", ".supabase.co")],
        caveat: None,
        advice: "Supabase signs database certificates with its own CA (Supabase Root 2021 CA): \
download it from the project's Database Settings and use `sslmode=verify-full` with \
`sslrootcert` naming the file. Unless \"Enforce SSL on incoming connections\" is turned on, the \
server also accepts plaintext connections. On the shared pooler (`*.pooler.supabase.com`) port \
5432 is session mode and port 6543 transaction mode, and the user name must be \
`postgres.<project-ref>`. The direct host `db.<project-ref>.supabase.co` resolves to IPv6 \
addresses only unless the project has the IPv4 add-on.",
        docs: &[
            "https://supabase.com/docs/guides/database/connecting-to-postgres",
            "https://supabase.com/docs/guides/database/psql",
            "https://supabase.com/docs/guides/platform/ssl-enforcement",
        ],
    },
    Provider {
        name: "Amazon RDS / Aurora",
        hosts: &[suffix(".rds.amazonaws.com"), suffix(".rds.amazonaws.com.cn")],
        tentative_hosts: &[],
        ca: CaTrust::Private {
            file: "global-bundle.pem",
            source: "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
        },
        strongest_sslmode: SslMode::VerifyFull,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: Some(ReaderEndpoint {
            marker: ".cluster-ro-",
            writer: ".cluster-",
        }),
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Amazon RDS and Aurora sign server certificates with Amazon's RDS certificate \
authorities, which operating-system trust stores do not contain: download the global bundle \
(`global-bundle.pem`) and use `sslmode=verify-full` with `sslrootcert` naming it. The \
certificate names the instance or cluster endpoint, so verify-full works with the endpoint host \
names, not with IP addresses or your own CNAMEs. On the server, the `rds.force_ssl` parameter \
makes RDS refuse unencrypted connections (RDS for PostgreSQL 15 and later turn it on by default; \
check the parameter group of older instances and of Aurora clusters). `*.cluster-ro-*` \
endpoints reach read-only replicas.",
        docs: &[
            "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
            "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html",
            "https://repost.aws/knowledge-center/aurora-postgresql-ssl-certificates",
        ],
    },
    Provider {
        name: "Azure Database for PostgreSQL",
        hosts: &[suffix(".postgres.database.azure.com")],
        tentative_hosts: &[],
        ca: CaTrust::Public,
        strongest_sslmode: SslMode::VerifyFull,
        ports: &["5432", "6432"],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[suffix(".postgres.database.azure.com")],
            label_marker: None,
            port: Some("6432"),
            session: SessionRoute::Port {
                port: "5432",
                what: "the direct connection",
            },
            mode: PoolMode::Transaction,
            software: "PgBouncer",
            channel_binding: ChannelBinding::NotOffered,
            prepared_statements: false,
            source: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-pgbouncer (built-in PgBouncer 1.22.1 on port 6432)",
        }),
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Azure Database for PostgreSQL flexible server enforces TLS 1.2 or later by \
default (`require_secure_transport`), and its certificates chain to public roots (DigiCert \
Global Root G2 and Microsoft RSA Root Certificate Authority 2017), so `sslmode=verify-full` with \
`sslrootcert=system` works where the operating system trusts those roots; Microsoft also \
documents a bundle file of both roots for clients that need one. Port 6432 is the built-in \
PgBouncer.",
        docs: &[
            "https://learn.microsoft.com/azure/postgresql/flexible-server/security-tls",
            "https://learn.microsoft.com/azure/postgresql/flexible-server/security-tls-how-to-connect",
            "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-pgbouncer",
        ],
    },
    Provider {
        name: "Google Cloud SQL",
        hosts: &[suffix(".sql.goog")],
        tentative_hosts: &[],
        ca: CaTrust::Private {
            file: "server-ca.pem",
            source: "the instance's Connections, Security page in the Google Cloud console (Download server CA certificates)",
        },
        strongest_sslmode: SslMode::VerifyFull,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: Some(Caveat {
            modes: &[SslMode::VerifyFull],
            text: "Instances that use the per-instance CA present certificates naming \
`project:instance` instead of a host name, so `verify-full` fails against them; only the \
shared Google-managed CA and customer-managed CAs issue certificates with the instance's DNS \
name.",
        }),
        advice: "Google Cloud SQL signs server certificates with a private CA: one per instance \
(older instances), a shared Google-managed CA, or your own CA Service CA. Download \
`server-ca.pem` and name it in `sslrootcert`. Per-instance-CA certificates name \
`project:instance` rather than a host, so with them `verify-ca` is the most libpq can check; \
certificates from the shared or customer-managed CA include the instance's DNS name and support \
`verify-full`. Connections are usually made to IP addresses; the Cloud SQL Auth Proxy and the \
language connectors verify the instance for you.",
        docs: &[
            "https://cloud.google.com/sql/docs/postgres/authorize-ssl",
            "https://cloud.google.com/sql/docs/postgres/configure-ssl-instance",
        ],
    },
    Provider {
        name: "DigitalOcean Managed PostgreSQL",
        hosts: &[suffix(".db.ondigitalocean.com")],
        tentative_hosts: &[],
        ca: CaTrust::Private {
            file: "ca-certificate.crt",
            source: "the database cluster's Overview page in the DigitalOcean control panel (Download CA certificate)",
        },
        strongest_sslmode: SslMode::VerifyFull,
        ports: &["25060", "25061"],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[suffix(".db.ondigitalocean.com")],
            label_marker: None,
            port: Some("25061"),
            session: SessionRoute::Port {
                port: "25060",
                what: "the direct connection",
            },
            mode: PoolMode::PerPool,
            software: "PgBouncer",
            channel_binding: ChannelBinding::NotOffered,
            prepared_statements: false,
            source: "https://docs.digitalocean.com/products/databases/postgresql/how-to/manage-connection-pools/ (pools on port 25061, 25060 the direct connection; the pool's name is the database name in its connection string); https://docs.digitalocean.com/reference/api/api-reference/#operation/databases_add_connectionPool (each pool's mode: session, transaction or statement; example pool backend-pool on db defaultdb); https://docs.digitalocean.com/reference/terraform/reference/resources/database_connection_pool/ (mode, db_name)",
        }),
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "DigitalOcean managed PostgreSQL listens on port 25060 (the direct connection; \
connection pools on 25061, where the database name is the pool's name), not 5432, and requires \
TLS. The control panel's connection string uses \
`sslmode=require`, which does not verify the server; download the cluster's CA certificate \
(`ca-certificate.crt`) and use `sslmode=verify-full` with `sslrootcert` naming it.",
        docs: &[
            "https://docs.digitalocean.com/products/databases/postgresql/how-to/connect/",
            "https://docs.digitalocean.com/products/databases/postgresql/how-to/manage-connection-pools/",
        ],
    },
    Provider {
        name: "Timescale Cloud (Tiger Cloud)",
        // `<service-id>.<project-id>.tsdb.cloud.timescale.com` (the tiger CLI's
        // `tiger db connection-string`; the console's strings).
        hosts: &[suffix(".tsdb.cloud.timescale.com")],
        tentative_hosts: &[],
        ca: CaTrust::Public,
        strongest_sslmode: SslMode::VerifyFull,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Timescale Cloud (Tiger Cloud, by Tiger Data) encrypts every connection, and its \
default connection string uses `sslmode=require`, which does not verify the server. A new \
service starts with a self-signed certificate and receives one from a well-known public CA, \
usually within 30 minutes; from then on `sslmode=verify-full` with `sslrootcert=system` (libpq \
16+) verifies it against the operating system's trust store.",
        docs: &[
            "https://docs.timescale.com/use-timescale/latest/security/strict-ssl/",
            "https://www.tigerdata.com/docs/deploy/tiger-cloud/tiger-cloud-azure/security/strict-ssl",
        ],
    },
    Provider {
        name: "Heroku Postgres",
        // Amazon EC2 public DNS names (`ec2-<ip>.compute-1.amazonaws.com` in us-east-1,
        // `ec2-<ip>.<region>.compute.amazonaws.com` elsewhere) belong to every EC2 instance,
        // self-hosted PostgreSQL included: they suggest Heroku, never identify it. Heroku
        // documents no host-name pattern of its own, and no source ties the user or database
        // names it generates to a shape, so nothing in a string identifies Heroku Postgres.
        // (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-naming.html)
        hosts: &[],
        tentative_hosts: &[
            between("ec2-", ".compute-1.amazonaws.com"),
            between("ec2-", ".compute.amazonaws.com"),
        ],
        ca: CaTrust::Public,
        strongest_sslmode: SslMode::VerifyFull,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: Some(Caveat {
            modes: &[SslMode::VerifyCa, SslMode::VerifyFull],
            text: "Heroku Postgres presents certificates clients cannot verify unless Enhanced \
Certificates are enabled for the database (Standard tier and above, PostgreSQL 13 or later); \
without them `verify-ca` and `verify-full` fail.",
        }),
        advice: "Heroku Postgres \
requires TLS but by default presents certificates that cannot be verified, so only \
`sslmode=require` works out of the box, and it does not protect against impersonation. With \
Enhanced Certificates enabled, the certificates chain to public roots (ISRG) and \
`sslmode=verify-full` with `sslrootcert=system` works. Heroku rotates credentials and may move \
the database: read `DATABASE_URL` from the app's config instead of copying the string.",
        docs: &[
            "https://devcenter.heroku.com/articles/heroku-postgres-enhanced-certificates",
            "https://devcenter.heroku.com/articles/connecting-heroku-postgres",
        ],
    },
    Provider {
        name: "Prisma Postgres",
        // Every database is reached on the same two names; the generated user tells them
        // apart (Prisma, "Connecting to your database": `postgres://USER:PASSWORD@
        // pooled.db.prisma.io:5432/?sslmode=require`, direct `db.prisma.io`).
        hosts: &[exact("db.prisma.io"), exact("pooled.db.prisma.io")],
        tentative_hosts: &[],
        // "sslmode: Always require - SSL is mandatory"; no CA is documented.
        ca: CaTrust::Unknown,
        strongest_sslmode: SslMode::Require,
        ports: &["5432"],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[exact("pooled.db.prisma.io")],
            label_marker: Some("pooled"),
            port: None,
            session: SessionRoute::Host {
                host: "db.prisma.io",
                what: "the direct connection",
            },
            mode: PoolMode::Transaction,
            software: "PgBouncer in transaction mode",
            // A connection proxy answers in front of PgBouncer; whether it offers
            // SCRAM-SHA-256-PLUS is not documented.
            channel_binding: ChannelBinding::Undocumented,
            prepared_statements: false,
            source: "Prisma docs, Prisma Postgres \"Connection pooling\" (Application -> Connection Proxy -> PgBouncer per tenant, transactional mode; prepared statements, SET, advisory locks and temporary tables lost at transaction boundaries; 10-minute query limit), retrieved 2026-12",
        }),
        // Every connection goes through Prisma's connection proxy (one host name for all
        // databases); whether it offers SCRAM-SHA-256-PLUS is not documented.
        channel_binding: ChannelBinding::Undocumented,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Prisma Postgres takes TLS on every connection (`sslmode=require`) and documents no \
CA to verify its certificate with: inspect the certificate the server presents (for example \
with `pg-preflight check --server-cert`) before relying on `verify-full`. Application traffic \
goes to `pooled.db.prisma.io`, PgBouncer in transaction mode (session state and prepared \
statements do not survive a transaction, queries stop after 10 minutes); migrations, `pg_dump`, \
`LISTEN`/`NOTIFY` and admin tools use the direct host `db.prisma.io`. Both take the same \
generated user and password from the Prisma Console. The hosted Accelerate URL \
(`prisma+postgres://accelerate.prisma-data.net`) was retired on December 1, 2026.",
        docs: &[
            "https://www.prisma.io/docs/postgres/database/connecting-to-your-database",
            "https://www.prisma.io/docs/postgres/database/connection-pooling",
            "https://www.prisma.io/docs/postgres/database/switch-from-accelerate",
        ],
    },
    Provider {
        name: "Render",
        hosts: &[suffix(".render.com")],
        tentative_hosts: &[],
        ca: CaTrust::Unknown,
        strongest_sslmode: SslMode::Require,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Render's external database host names (`*.render.com`) require TLS 1.2 or \
later; services running on Render should use the internal connection string instead, which \
stays on Render's private network. Render does not document a CA bundle for external \
connections: inspect the certificate the server presents (for example with `pg-preflight check \
--server-cert`) before relying on `verify-full`.",
        docs: &[
            "https://render.com/docs/postgresql-creating-connecting",
            "https://render.com/tutorials/postgres-on-render/introduction",
        ],
    },
    Provider {
        name: "Render (private network)",
        hosts: &[],
        // Render's internal database URL names the instance by one label, `dpg-<id>-a`
        // (Render, "Postgres on Render" tutorial; private-network docs; Render's own
        // render-postgres skill: internal URL, TLS "not required (private network)", external
        // URL, TLS 1.2+ required). Any private network
        // may hold such a name (a Compose service, say), so it suggests Render only.
        tentative_hosts: &[label("dpg-", "-a")],
        ca: CaTrust::Unknown,
        strongest_sslmode: SslMode::Require,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Render's internal database URL (`dpg-<id>-a`, no domain) reaches the database \
over Render's private network, from services in the same region and workspace only; Render \
requires TLS on the external host names (`*.render.com`) but not on this one, and documents no \
CA for it, so no `sslrootcert` can be named for verification here. A client outside Render must \
use the external URL.",
        docs: &[
            "https://render.com/tutorials/postgres-on-render/introduction",
            "https://render.com/docs/private-network",
            "https://render.com/docs/postgresql-creating-connecting",
            "https://skills.sh/render-oss/skills/render-postgres",
        ],
    },
    Provider {
        name: "Railway (TCP proxy)",
        hosts: &[suffix(".rlwy.net"), suffix(".railway.app")],
        tentative_hosts: &[],
        ca: CaTrust::Private {
            file: "railway-root.crt",
            source: "the database service's `/var/lib/postgresql/data/certs/root.crt`, which Railway's postgres-ssl template generates",
        },
        strongest_sslmode: SslMode::VerifyCa,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: Some(Caveat {
            modes: &[SslMode::VerifyFull],
            text: "Railway's PostgreSQL template signs the server certificate with a CA it \
generates inside the database volume, for `localhost` and the private `*.railway.internal` \
name only; the public proxy host name is not in it, so `verify-full` fails through the proxy.",
        }),
        advice: "Connections through Railway's public TCP proxy (`*.proxy.rlwy.net`) reach a \
server whose certificate comes from a CA that Railway's postgres-ssl template generates inside \
the database volume. No public CA vouches for it: copy the template's `root.crt` out of the \
database service and use `sslmode=verify-ca` with `sslrootcert` naming it (the certificate \
does not name the proxy host, so `verify-full` cannot work here). Services inside the project \
should use the private `*.railway.internal` host instead.",
        docs: &[
            "https://docs.railway.com/guides/postgresql",
            "https://github.com/railwayapp-templates/postgres-ssl",
        ],
    },
    Provider {
        name: "Railway (private network)",
        hosts: &[suffix(".railway.internal")],
        tentative_hosts: &[],
        ca: CaTrust::Private {
            file: "railway-root.crt",
            source: "the database service's `/var/lib/postgresql/data/certs/root.crt`, which Railway's postgres-ssl template generates",
        },
        strongest_sslmode: SslMode::VerifyCa,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: Some(Caveat {
            modes: &[SslMode::VerifyFull],
            text: "The certificate Railway's postgres-ssl template generates names only \
`localhost`, so `verify-full` fails on the private `*.railway.internal` names as well.",
        }),
        advice: "Railway's private network names (`*.railway.internal`) reach the database \
inside the project, but the certificate Railway's postgres-ssl template generates names only \
`localhost`: use `sslmode=verify-ca` with the template's `root.crt` as `sslrootcert` (copy it \
again after the certificate is renewed).",
        docs: &[
            "https://docs.railway.com/reference/private-networking",
            "https://github.com/railwayapp-templates/postgres-ssl",
        ],
    },
    Provider {
        name: "Aiven for PostgreSQL",
        hosts: &[suffix(".aivencloud.com")],
        tentative_hosts: &[],
        ca: CaTrust::Private {
            file: "ca.pem",
            source: "the service's Overview page in the Aiven console (CA certificate)",
        },
        strongest_sslmode: SslMode::VerifyFull,
        ports: &[],
        sni_routed: false,
        pooler: None,
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Aiven encrypts every connection, but its PostgreSQL server certificates are \
signed by the Aiven project's own CA, shared by all services of the project. Aiven's default \
`sslmode=require` does not verify the server; download the project CA (`ca.pem`) and use \
`sslmode=verify-full` with `sslrootcert` naming it.",
        docs: &[
            "https://aiven.io/docs/platform/concepts/tls-ssl-certificates",
            "https://aiven.io/developer/query-a-postgresql-database",
        ],
    },
    Provider {
        name: "Crunchy Bridge",
        hosts: &[suffix(".db.postgresbridge.com")],
        tentative_hosts: &[],
        ca: CaTrust::Private {
            file: "crunchy-bridge-team.pem",
            source: "the Crunchy Bridge API (`GET /teams/{team_id}.pem`) or the dashboard",
        },
        strongest_sslmode: SslMode::VerifyFull,
        ports: &[],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[suffix(".db.postgresbridge.com")],
            label_marker: None,
            port: Some("5431"),
            session: SessionRoute::Port {
                port: "5432",
                what: "the direct connection",
            },
            mode: PoolMode::Transaction,
            software: "PgBouncer",
            channel_binding: ChannelBinding::NotOffered,
            prepared_statements: false,
            source: "https://docs.crunchybridge.com/how-to/pgbouncer (crunchy_pooler on port 5431)",
        }),
        channel_binding: ChannelBinding::Offered,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "Crunchy Bridge requires TLS and generates certificates per team, so every \
cluster of a team shares one CA. Crunchy recommends that production clients verify the server \
with that certificate: fetch the team's PEM and use `sslmode=verify-full` with `sslrootcert` \
naming it.",
        docs: &[
            "https://docs.crunchybridge.com/connecting",
            "https://docs.crunchybridge.com/api/certificate",
        ],
    },
];

impl Provider {
    /// The strongest mode that avoids the caveat's modes.
    pub(super) fn strongest_sslmode_without(&self, failing: SslMode) -> SslMode {
        let avoid: &[SslMode] = self.caveat.map(|c| c.modes).unwrap_or_default();
        [SslMode::VerifyFull, SslMode::VerifyCa, SslMode::Require]
            .into_iter()
            .find(|m| !avoid.contains(m) && *m != failing)
            .unwrap_or(SslMode::Require)
    }
}
