//! Advice for managed PostgreSQL services, recognised by host name.
//!
//! The facts live in one table, [`PROVIDERS`]: host-name patterns, which CA signs the server
//! certificates, the strongest `sslmode` that works out of the box, ports, poolers and their
//! documentation. The checks below read the table; none of them names a provider.
//!
//! Sources are cited per provider in [`Provider::docs`]; they were read in 2025/2026 and
//! providers change, so every piece of advice links back to them.

use super::{list, Change, Context};
use crate::diagnostic::{Diagnostic, Fix};

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
}

impl HostPattern {
    pub fn matches(&self, host: &str) -> bool {
        host.len() > self.prefix.len() + self.suffix.len()
            && host.starts_with(self.prefix)
            && host.ends_with(self.suffix)
    }
}

const fn suffix(suffix: &'static str) -> HostPattern {
    HostPattern { prefix: "", suffix }
}

const fn between(prefix: &'static str, suffix: &'static str) -> HostPattern {
    HostPattern { prefix, suffix }
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
    /// What answers: "PgBouncer", "Supavisor", …
    pub software: &'static str,
    /// Whether SCRAM channel binding (`SCRAM-SHA-256-PLUS`) works through it. PgBouncer (up to
    /// 1.25) and Supavisor (up to 2.9) do not offer it, so `channel_binding=require` fails
    /// through them; Neon's proxy authenticates in front of its PgBouncer and does.
    pub channel_binding: bool,
    /// Whether prepared statements work through it (PgBouncer 1.21+ with
    /// `max_prepared_statements` above 0, as Neon configures it); drivers that prepare named
    /// statements need a setting where they do not.
    pub prepared_statements: bool,
    /// Where the pooler facts come from.
    pub source: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionRoute {
    /// Remove the label marker from the host name.
    DropLabelMarker,
    /// Use this port.
    Port(&'static str),
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
    pub modes: &'static [&'static str],
    pub text: &'static str,
}

/// One managed PostgreSQL service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provider {
    pub name: &'static str,
    /// Host names that identify the service.
    pub hosts: &'static [HostPattern],
    pub ca: CaTrust,
    /// The strongest `sslmode` that works with the provider's certificates by default.
    pub strongest_sslmode: &'static str,
    /// The ports the service listens on; empty when any port may be configured.
    pub ports: &'static [&'static str],
    /// Whether the service routes connections by the TLS server name (SNI).
    pub sni_routed: bool,
    pub pooler: Option<Pooler>,
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

    /// What `sslrootcert` should say for this provider.
    pub fn root_hint(&self) -> &'static str {
        match self.ca {
            CaTrust::Public => "system",
            CaTrust::Private { file, .. } => file,
            CaTrust::Unknown => super::tls::ROOT_CERT_PLACEHOLDER,
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
        ca: CaTrust::Public,
        strongest_sslmode: "verify-full",
        ports: &[],
        sni_routed: true,
        pooler: Some(Pooler {
            hosts: &[suffix(".neon.tech")],
            label_marker: Some("-pooler"),
            port: None,
            session: SessionRoute::DropLabelMarker,
            software: "Neon's proxy and PgBouncer",
            channel_binding: true,
            prepared_statements: true,
            source: "https://neon.com/docs/connect/connection-pooling; https://neon.com/docs/connect/connect-securely (sslmode=require&channel_binding=require)",
        }),
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
        ca: CaTrust::Private {
            file: "prod-supabase.cer",
            source: "the project's Database Settings (SSL Configuration, Download certificate)",
        },
        strongest_sslmode: "verify-full",
        ports: &["5432", "6543"],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[suffix(".pooler.supabase.com"), between("db.", ".supabase.co")],
            label_marker: None,
            port: Some("6543"),
            session: SessionRoute::Port("5432"),
            software: "Supavisor (or the dedicated PgBouncer)",
            channel_binding: false,
            prepared_statements: false,
            source: "supabase/supavisor v2.9.7 lib/supavisor/client_handler.ex (SCRAM-SHA-256 only); pgbouncer 1.25 src/client.c (no SCRAM-SHA-256-PLUS)",
        }),
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
        ca: CaTrust::Private {
            file: "global-bundle.pem",
            source: "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
        },
        strongest_sslmode: "verify-full",
        ports: &[],
        sni_routed: false,
        pooler: None,
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
        ca: CaTrust::Public,
        strongest_sslmode: "verify-full",
        ports: &["5432", "6432"],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[suffix(".postgres.database.azure.com")],
            label_marker: None,
            port: Some("6432"),
            session: SessionRoute::Port("5432"),
            software: "PgBouncer",
            channel_binding: false,
            prepared_statements: false,
            source: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-pgbouncer (built-in PgBouncer 1.22.1 on port 6432)",
        }),
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
        ca: CaTrust::Private {
            file: "server-ca.pem",
            source: "the instance's Connections, Security page in the Google Cloud console (Download server CA certificates)",
        },
        strongest_sslmode: "verify-full",
        ports: &[],
        sni_routed: false,
        pooler: None,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: Some(Caveat {
            modes: &["verify-full"],
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
        ca: CaTrust::Private {
            file: "ca-certificate.crt",
            source: "the database cluster's Overview page in the DigitalOcean control panel (Download CA certificate)",
        },
        strongest_sslmode: "verify-full",
        ports: &["25060", "25061"],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[suffix(".db.ondigitalocean.com")],
            label_marker: None,
            port: Some("25061"),
            session: SessionRoute::Port("25060"),
            software: "PgBouncer",
            channel_binding: false,
            prepared_statements: false,
            source: "https://docs.digitalocean.com/products/databases/postgresql/how-to/manage-connection-pools/ (pools on port 25061)",
        }),
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: None,
        advice: "DigitalOcean managed PostgreSQL listens on port 25060 (connection pools on \
25061), not 5432, and requires TLS. The control panel's connection string uses \
`sslmode=require`, which does not verify the server; download the cluster's CA certificate \
(`ca-certificate.crt`) and use `sslmode=verify-full` with `sslrootcert` naming it.",
        docs: &[
            "https://docs.digitalocean.com/products/databases/postgresql/how-to/connect/",
            "https://docs.digitalocean.com/products/databases/postgresql/how-to/manage-connection-pools/",
        ],
    },
    Provider {
        name: "Heroku Postgres",
        hosts: &[
            between("ec2-", ".compute-1.amazonaws.com"),
            between("ec2-", ".compute.amazonaws.com"),
        ],
        ca: CaTrust::Public,
        strongest_sslmode: "verify-full",
        ports: &[],
        sni_routed: false,
        pooler: None,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: Some(Caveat {
            modes: &["verify-ca", "verify-full"],
            text: "Heroku Postgres presents certificates clients cannot verify unless Enhanced \
Certificates are enabled for the database (Standard tier and above, PostgreSQL 13 or later); \
without them `verify-ca` and `verify-full` fail.",
        }),
        advice: "This host name is an Amazon EC2 name, as Heroku Postgres uses. Heroku Postgres \
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
        name: "Render",
        hosts: &[suffix(".render.com")],
        ca: CaTrust::Unknown,
        strongest_sslmode: "require",
        ports: &[],
        sni_routed: false,
        pooler: None,
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
        name: "Railway (TCP proxy)",
        hosts: &[suffix(".rlwy.net"), suffix(".railway.app")],
        ca: CaTrust::Private {
            file: "railway-root.crt",
            source: "the database service's `/var/lib/postgresql/data/certs/root.crt`, which Railway's postgres-ssl template generates",
        },
        strongest_sslmode: "verify-ca",
        ports: &[],
        sni_routed: false,
        pooler: None,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: Some(Caveat {
            modes: &["verify-full"],
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
        ca: CaTrust::Private {
            file: "railway-root.crt",
            source: "the database service's `/var/lib/postgresql/data/certs/root.crt`, which Railway's postgres-ssl template generates",
        },
        strongest_sslmode: "verify-ca",
        ports: &[],
        sni_routed: false,
        pooler: None,
        tenant_user_hosts: &[],
        reader_endpoint: None,
        ipv6_only_hosts: &[],
        caveat: Some(Caveat {
            modes: &["verify-full"],
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
        ca: CaTrust::Private {
            file: "ca.pem",
            source: "the service's Overview page in the Aiven console (CA certificate)",
        },
        strongest_sslmode: "verify-full",
        ports: &[],
        sni_routed: false,
        pooler: None,
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
        ca: CaTrust::Private {
            file: "crunchy-bridge-team.pem",
            source: "the Crunchy Bridge API (`GET /teams/{team_id}.pem`) or the dashboard",
        },
        strongest_sslmode: "verify-full",
        ports: &[],
        sni_routed: false,
        pooler: Some(Pooler {
            hosts: &[suffix(".db.postgresbridge.com")],
            label_marker: None,
            port: Some("5431"),
            session: SessionRoute::Port("5432"),
            software: "PgBouncer",
            channel_binding: false,
            prepared_statements: false,
            source: "https://docs.crunchybridge.com/how-to/pgbouncer (crunchy_pooler on port 5431)",
        }),
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

rule!(RULE_PROVIDER_TLS, "PGP-PROV-001", Info, "TLS settings differ from the provider's recommendation",
"The host name belongs to a managed PostgreSQL service whose TLS setup pg-preflight knows: which \
CA signs its certificates, whether the certificates name the host, and therefore the strongest \
`sslmode` that works and what `sslrootcert` must say. The connection string does not use them \
yet. The detail states the provider's facts with links to its documentation; the fix is the \
string with the provider's recommended settings.\n\n\
pg-preflight recognises Neon, Supabase, Amazon RDS and Aurora, Azure Database for PostgreSQL, \
Google Cloud SQL (`*.sql.goog` names), DigitalOcean, Heroku Postgres, Render, Railway, Aiven \
and Crunchy Bridge by host name. Providers change their setups; the links are the authority.",
["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
 "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT"]);

rule!(
    RULE_SYSTEM_ROOTS_PRIVATE_CA,
    "PGP-PROV-002",
    Error,
    "System trust store cannot verify this provider",
    "`sslrootcert=system` makes libpq trust the operating system's public CAs, but this provider \
signs its server certificates with a CA of its own, which no operating system trusts. \
Verification will fail and libpq will refuse to connect. Download the provider's CA \
certificate and name the file in `sslrootcert` instead.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html"
    ]
);

rule!(
    RULE_SNI_ROUTING,
    "PGP-PROV-003",
    Error,
    "SNI-routed service reached without SNI",
    "Some services (Neon) run many databases behind one proxy address and pick the database from \
the server name the client sends in the TLS handshake (SNI, RFC 6066 §3). With `sslsni` set to \
anything but `1`, libpq sends no server name and the proxy cannot route the connection; Neon \
answers \"The endpoint ID is not specified\". Remove `sslsni`, or name the endpoint explicitly \
with `options=endpoint=<endpoint-id>` (the first label of the host name, without `-pooler`).",
    [
        "https://neon.com/docs/connect/connection-errors#the-endpoint-id-is-not-specified",
        "https://www.rfc-editor.org/rfc/rfc6066#section-3",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLSNI"
    ]
);

rule!(
    RULE_POOLER_TENANT_USER,
    "PGP-PROV-004",
    Error,
    "Shared pooler needs the project-qualified user name",
    "A shared connection pooler serves many projects on one host name and tells them apart by the \
user name: on Supabase's shared pooler (Supavisor, `*.pooler.supabase.com`) the user must be \
written `postgres.<project-ref>` (role, a dot, the project reference). A plain role name is \
rejected (\"Tenant or user not found\"); without any `user`, libpq sends the operating-system \
user name, which fails the same way.",
    ["https://supabase.com/docs/guides/database/connecting-to-postgres"]
);

rule!(RULE_TRANSACTION_POOLER, "PGP-PROV-005", Info, "Connection goes through a transaction-mode pooler",
"The host and port select the provider's transaction-mode pooler (PgBouncer or Supavisor): each \
transaction may run on a different server connection. Session state does not survive between \
transactions: `SET` outside a transaction, session advisory locks, `LISTEN`/`NOTIFY`, SQL-level \
`PREPARE`, temporary tables kept across transactions; startup `options` may not reach the server \
either. That suits serverless functions and many short connections; for migrations, `pg_dump`, \
long-lived application servers or anything session-based, use the session-mode port or the \
direct host, which the fix shows.",
["https://neon.com/docs/connect/connection-pooling",
 "https://supabase.com/docs/guides/database/connecting-to-postgres",
 "https://www.pgbouncer.org/features.html"]);

rule!(RULE_POOLER_PREPARED_STATEMENTS, "PGP-PROV-012", Warning, "Driver prepares statements behind a transaction-mode pooler",
"Several drivers prepare named statements on the server and reuse them: pgjdbc after five \
executions, pgx and asyncpg for every query, Prisma's engine through its statement cache. \
Behind a transaction-mode pooler consecutive transactions may run on different server \
connections, where the statement does not exist (\"prepared statement … does not exist\") or \
already exists (\"… already exists\"). Unless the pooler supports protocol-level prepared \
statements (PgBouncer 1.21+ with `max_prepared_statements`, as Neon configures it), tell the \
driver not to prepare: Prisma `pgbouncer=true`, pgx `default_query_exec_mode=exec`, pgjdbc \
`prepareThreshold=0`, asyncpg `statement_cache_size=0` (in code), Npgsql `No Reset On Close=true`.",
["https://www.pgbouncer.org/features.html",
 "https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/pgbouncer",
 "https://supabase.com/docs/guides/database/connecting-to-postgres"]);

rule!(RULE_PROVIDER_PORT, "PGP-PROV-006", Error, "Port does not match the provider's",
"The provider listens on fixed ports and the string connects to another one, so the connection \
will time out or be refused. DigitalOcean managed PostgreSQL uses 25060 (25061 for connection \
pools) instead of 5432; Supabase uses 5432 and 6543; Azure Database for PostgreSQL uses 5432 \
and 6432 (PgBouncer). A missing `port` means 5432.",
["https://docs.digitalocean.com/products/databases/postgresql/how-to/connect/",
 "https://supabase.com/docs/guides/database/connecting-to-postgres",
 "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-PORT"]);

rule!(RULE_PROVIDER_CERT_UNVERIFIABLE, "PGP-PROV-007", Warning, "Provider certificates fail this verification mode",
"The provider's certificates, as issued by default, cannot pass the verification this `sslmode` \
asks for: Heroku Postgres needs Enhanced Certificates before `verify-ca`/`verify-full` work; \
Railway's proxy host name is not in its certificate; Cloud SQL's per-instance CA issues \
certificates without a host name. Either the provider-side setting named in the detail is in \
place, or libpq will refuse to connect. Failing closed is safe, but check before you ship the \
string.",
["https://devcenter.heroku.com/articles/heroku-postgres-enhanced-certificates",
 "https://cloud.google.com/sql/docs/postgres/authorize-ssl",
 "https://github.com/railwayapp-templates/postgres-ssl"]);

rule!(
    RULE_IPV6_ONLY_ENDPOINT,
    "PGP-PROV-008",
    Info,
    "Endpoint resolves to IPv6 only",
    "This provider endpoint has only IPv6 addresses by default (Supabase's direct host \
`db.<project-ref>.supabase.co`, unless the project buys the IPv4 add-on). Systems without IPv6 \
connectivity, which includes many hosted integration platforms, cannot reach it and fail with a \
DNS or \"network unreachable\" error. Use the provider's pooler host, which has IPv4 addresses, \
or enable IPv4 for the project.",
    [
        "https://supabase.com/docs/guides/database/connecting-to-postgres",
        "https://supabase.com/docs/guides/platform/ipv4-address"
    ]
);

rule!(
    RULE_POOLER_CHANNEL_BINDING,
    "PGP-PROV-009",
    Error,
    "Channel binding required through a pooler that cannot offer it",
    "`channel_binding=require` makes the client accept only SCRAM-SHA-256-PLUS, which binds the \
login to the TLS channel. Transaction poolers terminate the client's connection themselves, and \
PgBouncer (every release up to 1.25) and Supavisor offer plain SCRAM-SHA-256 only, so every \
connection through them fails. Neon's pooled endpoints are the exception: Neon's proxy \
authenticates in front of its PgBouncer and supports channel binding. Through such a pooler, \
verify the server (`sslmode=verify-full` with the right root certificate) instead; channel \
binding works on the direct endpoint.",
    [
        "https://github.com/pgbouncer/pgbouncer/blob/master/NEWS.md",
        "https://github.com/pgbouncer/pgbouncer/issues/522",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-CHANNEL-BINDING"
    ]
);

rule!(RULE_RETIRED_CA_FILE, "PGP-PROV-010", Error, "Root certificate file retired by the provider",
"`sslrootcert` names a CA file that its provider has retired. AWS's `rds-combined-ca-bundle.pem` \
and `rds-ca-2019-root.pem` hold the rds-ca-2019 CA, which expired in August 2024; RDS and Aurora \
servers now present certificates from rds-ca-rsa2048-g1 and its successors, so verification \
against the old file fails. Download the current global bundle (`global-bundle.pem`) or the \
region's bundle, and name it in `sslrootcert`.",
["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html",
 "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html"]);

rule!(RULE_SINGLE_SERVER_LOGIN, "PGP-PROV-011", Error, "Retired Azure Single Server login form",
"Azure Database for PostgreSQL Single Server required user names of the form \
`role@servername`. Single Server was retired on 28 March 2025; Flexible Server, which replaced \
it, takes the role name alone and reads `role@servername` as the name of a role that does not \
exist, so the login fails. Strings copied from older documentation or portals still carry the \
suffix. Write the role name alone.",
["https://learn.microsoft.com/azure/postgresql/migrate/whats-happening-to-postgresql-single-server",
 "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-single-to-flexible"]);

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for provider in ctx.providers() {
        out.extend(check_provider_tls(ctx, provider));
        out.extend(check_system_roots_private_ca(ctx, provider));
        out.extend(check_sni_routing(ctx, provider));
        out.extend(check_pooler_tenant_user(ctx, provider));
        out.extend(check_transaction_pooler(ctx, provider));
        out.extend(check_provider_port(ctx, provider));
        out.extend(check_provider_cert_unverifiable(ctx, provider));
        out.extend(check_ipv6_only_endpoint(ctx, provider));
        out.extend(check_pooler_channel_binding(ctx, provider));
        out.extend(check_single_server_login(ctx, provider));
        out.extend(check_pooler_prepared_statements(ctx, provider));
    }
    out.extend(check_retired_ca_file(ctx));
}

/// The first TCP host name the provider answers on, with its slot's port.
fn provider_host<'a>(ctx: &Context<'a>, provider: &Provider) -> Option<(String, Option<&'a str>)> {
    ctx.tcp_hosts().find_map(|slot| {
        let name = slot
            .host
            .as_deref()?
            .trim_end_matches('.')
            .to_ascii_lowercase();
        provider
            .matches(&name)
            .then(|| (name, slot.port.as_deref().filter(|p| !p.trim().is_empty())))
    })
}

fn docs_sentence(provider: &Provider) -> String {
    format!("See {}.", provider.docs.join(", "))
}

/// Whether the string already verifies the server the way the provider recommends.
/// (Provider docs per entry; libpq docs §32.19.1.)
fn check_provider_tls(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let mode = ctx.sslmode();
    let root = ctx.get_nonempty("sslrootcert");
    let mode_ok =
        super::tls::mode_strength(mode) >= super::tls::mode_strength(provider.strongest_sslmode);
    let needs_root = matches!(provider.strongest_sslmode, "verify-ca" | "verify-full");
    let root_ok = !needs_root
        || match root {
            None => ctx.options.ca_supplied,
            // A private CA with `sslrootcert=system` is PGP-PROV-002's finding.
            Some(_) => true,
        };
    if mode_ok && root_ok {
        return None;
    }
    let detail = format!(
        "The host name matches {}. {} The string uses `sslmode={mode}`{}{}. {}",
        provider.name,
        provider.advice,
        if ctx.effective.sslmode_defaulted {
            " (the default)"
        } else {
            ""
        },
        match root {
            Some(r) => format!(" with `sslrootcert={r}`"),
            None => String::new(),
        },
        docs_sentence(provider)
    );
    let changes = super::tls::verified_changes(ctx);
    let mut title = format!(
        "Use the settings {} recommends: {}",
        provider.name,
        super::tls::describe(&changes)
    );
    if let Some(caveat) = provider.caveat {
        if caveat.modes.contains(&provider.strongest_sslmode) {
            title.push_str(&format!(" (check first: {})", caveat.text));
        }
    }
    Some(
        Diagnostic::new(&RULE_PROVIDER_TLS, detail)
            .with_span(ctx.value_span("sslmode").or_else(|| ctx.value_span("host")))
            .with_fix(super::tls::fix_or_advice(ctx, title, &changes)),
    )
}

/// `sslrootcert=system` loads the operating system's roots (libpq docs, `sslrootcert`); a
/// provider with its own CA is not among them.
fn check_system_roots_private_ca(
    ctx: &Context<'_>,
    provider: &'static Provider,
) -> Option<Diagnostic> {
    if ctx.get("sslrootcert") != Some("system") {
        return None;
    }
    let CaTrust::Private { file, source } = provider.ca else {
        return None;
    };
    let detail = format!(
        "`sslrootcert=system` trusts the operating system's public CAs, but {} signs its server certificates with its own CA, so verification fails. Get the CA from {source} and name the file in `sslrootcert`. {}",
        provider.name,
        docs_sentence(provider)
    );
    // `sslrootcert=system` made `verify-full` the default sslmode (libpq 16+); with a file
    // the default is `prefer` again, so the mode is written out.
    let mut changes = vec![Change::set("sslrootcert", file)];
    if ctx.effective.sslmode_defaulted {
        changes.insert(0, Change::set("sslmode", provider.strongest_sslmode));
    }
    Some(
        Diagnostic::new(&RULE_SYSTEM_ROOTS_PRIVATE_CA, detail)
            .with_span(ctx.value_span("sslrootcert"))
            .with_fix(ctx.fix(
                format!(
                    "Point `sslrootcert` at {}'s CA file (`{file}`)",
                    provider.name
                ),
                &changes,
            )),
    )
}

/// libpq sends SNI only when `sslsni` starts with `1` (`fe-secure-openssl.c`), and Neon routes
/// by it unless `options` names the endpoint (Neon, "The endpoint ID is not specified").
fn check_sni_routing(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    if !provider.sni_routed {
        return None;
    }
    let sni = ctx.get("sslsni")?;
    if sni.starts_with('1') {
        return None;
    }
    let options = ctx.get("options").unwrap_or_default();
    if options.contains("endpoint=") || options.contains("project=") {
        return None;
    }
    let (host, _) = provider_host(ctx, provider)?;
    let endpoint = endpoint_id(&host, provider);
    let detail = format!(
        "`sslsni={sni}` stops libpq from sending the server name, and {} routes connections by it; without `options=endpoint={endpoint}` the connection is refused (\"The endpoint ID is not specified\"). {}",
        provider.name,
        docs_sentence(provider)
    );
    let changes = [Change::Remove("sslsni")];
    Some(
        Diagnostic::new(&RULE_SNI_ROUTING, detail)
            .with_span(ctx.value_span("sslsni"))
            .with_fix(ctx.fix(
                format!("Remove `sslsni` so libpq sends the server name (or add `options=endpoint={endpoint}` for clients without SNI)"),
                &changes,
            )),
    )
}

/// The first DNS label without the pooler marker: Neon's endpoint id.
fn endpoint_id(host: &str, provider: &Provider) -> String {
    let label = host.split('.').next().unwrap_or_default();
    match provider.pooler.and_then(|p| p.label_marker) {
        Some(marker) => label.replace(marker, ""),
        None => label.to_string(),
    }
}

/// Supabase's shared pooler identifies the project by the user name (Supabase docs,
/// "Connect to your database": `postgres.<project-ref>`).
fn check_pooler_tenant_user(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let on_tenant_host = ctx
        .host_names()
        .iter()
        .any(|h| provider.tenant_user_hosts.iter().any(|p| p.matches(h)));
    if !on_tenant_host {
        return None;
    }
    let user = ctx.get_nonempty("user");
    if user.is_some_and(|u| u.contains('.')) {
        return None;
    }
    let detail = match user {
        Some(u) => format!(
            "{}'s shared pooler needs the user name as `<role>.<project-ref>`, for example `{u}.<project-ref>`; `{u}` alone is rejected (\"Tenant or user not found\"). {}",
            provider.name,
            docs_sentence(provider)
        ),
        None => format!(
            "{}'s shared pooler needs the user name as `<role>.<project-ref>` (for example `postgres.<project-ref>`); the string sets no `user`, so libpq sends the operating-system user name, which is rejected. {}",
            provider.name,
            docs_sentence(provider)
        ),
    };
    Some(
        Diagnostic::new(&RULE_POOLER_TENANT_USER, detail)
            .with_span(ctx.value_span("user").or_else(|| ctx.value_span("host")))
            .with_fix(ctx.advice(
                "Copy the pooler connection string from the provider's Connect panel: the user is `<role>.<project-ref>`",
            )),
    )
}

/// Transaction-mode pooling drops session state between transactions (PgBouncer docs,
/// "Features"; provider docs).
fn check_transaction_pooler(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let Pooled {
        pooler,
        host,
        port,
        by_port,
    } = pooled_endpoint(ctx, provider)?;
    let (change, how) = match pooler.session {
        SessionRoute::DropLabelMarker => {
            let marker = pooler.label_marker.unwrap_or_default();
            let direct = host.replacen(marker, "", 1);
            (
                Change::set("host", direct.clone()),
                format!("the direct host `{direct}`"),
            )
        }
        SessionRoute::Port(p) => (Change::set("port", p), format!("port {p} (session mode)")),
    };
    let detail = format!(
        "`{host}`{} is {}'s transaction-mode pooler: session state (`SET`, advisory locks, `LISTEN`, SQL `PREPARE`, temporary tables) does not survive between transactions. For migrations, `pg_dump` or session-based applications use {how}. {}",
        port.map(|p| format!(" on port {p}")).unwrap_or_default(),
        provider.name,
        docs_sentence(provider)
    );
    let span = if by_port {
        ctx.value_span("port")
    } else {
        ctx.value_span("host")
    };
    Some(
        Diagnostic::new(&RULE_TRANSACTION_POOLER, detail)
            .with_span(span)
            .with_fix(ctx.fix(
                format!("For session features, connect through {how}"),
                &[change],
            )),
    )
}

/// A provider endpoint that is its transaction-mode pooler, and how it was recognised.
struct Pooled<'a> {
    pooler: Pooler,
    host: String,
    port: Option<&'a str>,
    by_port: bool,
}

/// Whether the string connects to `provider`'s transaction-mode pooler (its pooler host with
/// the pooler's label or port).
fn pooled_endpoint<'a>(ctx: &Context<'a>, provider: &'static Provider) -> Option<Pooled<'a>> {
    let pooler = provider.pooler?;
    let (host, port) = provider_host(ctx, provider)?;
    if !pooler.hosts.iter().any(|p| p.matches(&host)) {
        return None;
    }
    let label = host.split('.').next().unwrap_or_default();
    let by_label = pooler.label_marker.is_some_and(|m| label.contains(m));
    let by_port = pooler.port.is_some_and(|p| port.map(str::trim) == Some(p));
    (by_label || by_port).then_some(Pooled {
        pooler,
        host,
        port,
        by_port,
    })
}

/// The provider and pooler when the string goes through a transaction-mode pooler.
pub fn transaction_pooler(ctx: &Context<'_>) -> Option<(&'static Provider, Pooler)> {
    ctx.providers()
        .into_iter()
        .find_map(|p| pooled_endpoint(ctx, p).map(|pooled| (p, pooled.pooler)))
}

/// `channel_binding=require` through a pooler that offers only `SCRAM-SHA-256`: libpq refuses
/// ("channel binding is required, but server did not offer an authentication method that
/// supports channel binding"; pgbouncer issue #522). PgBouncer: `src/client.c` advertises
/// SCRAM-SHA-256 only; Supavisor: `lib/supavisor/protocol/server.ex`.
fn check_pooler_channel_binding(
    ctx: &Context<'_>,
    provider: &'static Provider,
) -> Option<Diagnostic> {
    if ctx.get("channel_binding") != Some("require") {
        return None;
    }
    let pooled = pooled_endpoint(ctx, provider)?;
    if pooled.pooler.channel_binding {
        return None;
    }
    let detail = format!(
        "`{}` is {}'s transaction pooler ({}), which offers SCRAM without channel binding, so `channel_binding=require` makes every connection fail (\"channel binding is required, but server did not offer an authentication method that supports channel binding\"). Verify the server with `sslmode=verify-full` instead, or connect to the direct endpoint. {}",
        pooled.host,
        provider.name,
        pooled.pooler.software,
        docs_sentence(provider)
    );
    Some(
        Diagnostic::new(&RULE_POOLER_CHANNEL_BINDING, detail)
            .with_span(ctx.value_span("channel_binding"))
            .with_fix(ctx.fix(
                "Remove the channel-binding requirement the pooler cannot meet: remove `channel_binding`",
                &[Change::Remove("channel_binding")],
            )),
    )
}

/// A driver that prepares statements, behind a pooler that cannot keep them, without the
/// setting that stops it (driver rows `transaction_pooler` in `dialect::knowledge`).
fn check_pooler_prepared_statements(
    ctx: &Context<'_>,
    provider: &'static Provider,
) -> Option<Diagnostic> {
    use crate::conninfo::dialect::knowledge::{self, Driver, Write, TRANSACTION_POOLER};
    use crate::conninfo::dialect::render;
    let pooled = pooled_endpoint(ctx, provider)?;
    if pooled.pooler.prepared_statements {
        return None;
    }
    let driver = Driver::of(ctx.dialect, ctx.input);
    let row = knowledge::row(driver, TRANSACTION_POOLER)?;
    let detail = format!(
        "`{}` is {}'s transaction pooler ({}), which does not keep {}'s prepared statements between transactions: queries fail with \"prepared statement … does not exist\" or \"already exists\". {}",
        pooled.host,
        provider.name,
        pooled.pooler.software,
        driver.name(),
        docs_sentence(provider)
    );
    let fix = Fix::edit(
        format!("Stop {} from preparing statements", driver.name()),
        "",
        vec![Change::set(TRANSACTION_POOLER, "on")],
    );
    let diagnostic = Diagnostic::new(&RULE_POOLER_PREPARED_STATEMENTS, detail)
        .with_span(ctx.value_span("host"))
        .with_fix(fix);
    match row.write {
        Write::Keys(maps) => {
            let done = maps.iter().all(|m| {
                knowledge::map_value(m, "on")
                    .is_some_and(|v| render::has_setting(ctx.dialect, ctx.input, m.key, &v))
            });
            (!done).then_some(diagnostic)
        }
        // Only code can say it: advice, since the code may already do it.
        Write::Code { .. } => Some(diagnostic.with_severity(crate::diagnostic::Severity::Info)),
        _ => None,
    }
}

/// CA files AWS retired: `rds-ca-2019-root.pem` expired in August 2024 and the combined bundle
/// of that era holds no current RDS CA (AWS, "Rotating your SSL/TLS certificate"; AWS blog
/// "Rotate your SSL/TLS certificates now", 2023).
const RETIRED_CA_FILES: &[(&str, &str, &str)] = &[
    ("rds-combined-ca-bundle.pem", "global-bundle.pem", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html"),
    ("rds-ca-2019-root.pem", "global-bundle.pem", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html"),
    ("rds-ca-2015-root.pem", "global-bundle.pem", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html"),
];

/// `sslrootcert` names a CA file its provider has retired.
fn check_retired_ca_file(ctx: &Context<'_>) -> Option<Diagnostic> {
    let root = ctx.get_nonempty("sslrootcert")?;
    let file = root.rsplit(['/', '\\']).next().unwrap_or(root);
    let (old, current, source) = RETIRED_CA_FILES
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(file))?;
    let directory = root.get(..root.len() - file.len()).unwrap_or_default();
    let replacement = format!("{directory}{current}");
    let detail = format!(
        "`sslrootcert` names `{old}`, a CA file AWS has retired: the RDS CA it holds (rds-ca-2019) expired in August 2024, and servers now present certificates from newer RDS CAs, so verification fails. Download the current bundle (`{current}`, https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem). See {source}."
    );
    Some(
        Diagnostic::new(&RULE_RETIRED_CA_FILE, detail)
            .with_span(ctx.value_span("sslrootcert"))
            .with_fix(ctx.fix(
                format!("Use the current RDS bundle: set `sslrootcert={replacement}`"),
                &[Change::set("sslrootcert", replacement.clone())],
            )),
    )
}

/// Azure Single Server logins were `user@servername`; Flexible Server, the only one since the
/// retirement on 2025-03-28, takes the role name alone (Microsoft, "Azure Database for
/// PostgreSQL single server retirement"; flexible server, "Connect": user name without a
/// server suffix).
fn check_single_server_login(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    if !provider
        .hosts
        .iter()
        .any(|p| p.suffix == ".postgres.database.azure.com")
    {
        return None;
    }
    let user = ctx.get_nonempty("user")?;
    let (role, server) = user.rsplit_once('@')?;
    let (host, _) = provider_host(ctx, provider)?;
    let server_name = host.split('.').next().unwrap_or_default();
    if role.is_empty() || !server.eq_ignore_ascii_case(server_name) {
        return None;
    }
    let detail = format!(
        "The user name `{user}` is Azure Single Server's login form (`role@servername`). Single Server was retired on 2025-03-28; Flexible Server takes the role name alone and reads `{user}` as a role of that name, so the login fails. See https://learn.microsoft.com/azure/postgresql/migrate/whats-happening-to-postgresql-single-server."
    );
    Some(
        Diagnostic::new(&RULE_SINGLE_SERVER_LOGIN, detail)
            .with_span(ctx.value_span("user"))
            .with_fix(ctx.fix(
                format!("Log in with the role name alone: set `user={role}`"),
                &[Change::set("user", role.to_string())],
            )),
    )
}

/// Providers with fixed ports (provider docs); libpq's default port is 5432 (libpq docs, `port`).
fn check_provider_port(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let expected = provider.ports.first()?;
    let (host, port) = provider_host(ctx, provider)?;
    let actual = port.map(str::trim).unwrap_or("5432");
    if provider.ports.contains(&actual) {
        return None;
    }
    let detail = format!(
        "{} listens on {} but the string connects `{host}` on port {actual}{}. {}",
        provider.name,
        list(provider.ports),
        if port.is_none() {
            " (libpq's default)"
        } else {
            ""
        },
        docs_sentence(provider)
    );
    let changes = [Change::set("port", *expected)];
    Some(
        Diagnostic::new(&RULE_PROVIDER_PORT, detail)
            .with_span(ctx.value_span("port").or_else(|| ctx.value_span("host")))
            .with_fix(ctx.fix(format!("Connect to port {expected}"), &changes)),
    )
}

/// Provider-documented reasons why verification fails with default certificates.
fn check_provider_cert_unverifiable(
    ctx: &Context<'_>,
    provider: &'static Provider,
) -> Option<Diagnostic> {
    let caveat = provider.caveat?;
    let mode = ctx.sslmode();
    if !caveat.modes.contains(&mode) {
        return None;
    }
    let detail = format!(
        "With `sslmode={mode}`: {} {}",
        caveat.text,
        docs_sentence(provider)
    );
    Some(
        Diagnostic::new(&RULE_PROVIDER_CERT_UNVERIFIABLE, detail)
            .with_span(ctx.value_span("sslmode"))
            .with_fix(ctx.advice(format!(
                "Make sure the provider-side setting is in place, or use `sslmode={}` as {} documents",
                provider.strongest_sslmode_without(mode),
                provider.name
            ))),
    )
}

impl Provider {
    /// The strongest mode that avoids the caveat's modes.
    fn strongest_sslmode_without(&self, failing: &str) -> &'static str {
        let avoid: &[&str] = self.caveat.map(|c| c.modes).unwrap_or_default();
        ["verify-full", "verify-ca", "require"]
            .into_iter()
            .find(|m| !avoid.contains(m) && *m != failing)
            .unwrap_or("require")
    }
}

/// Provider-documented IPv6-only endpoints.
fn check_ipv6_only_endpoint(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let host = ctx
        .host_names()
        .into_iter()
        .find(|h| provider.ipv6_only_hosts.iter().any(|p| p.matches(h)))?;
    let detail = format!(
        "`{host}` is {}'s direct endpoint, which has IPv6 addresses only unless the project has the IPv4 add-on; clients without IPv6 cannot reach it. The shared pooler host has IPv4 addresses. {}",
        provider.name,
        docs_sentence(provider)
    );
    Some(
        Diagnostic::new(&RULE_IPV6_ONLY_ENDPOINT, detail)
            .with_span(ctx.value_span("host"))
            .with_fix(ctx.advice(
                "From IPv4-only systems, use the session-mode pooler connection string from the provider's Connect panel, or enable the IPv4 add-on",
            )),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn patterns_match_whole_suffixes() {
        let neon = suffix(".neon.tech");
        assert!(neon.matches("ep-cool-darkness-123456.us-east-2.aws.neon.tech"));
        assert!(!neon.matches("neon.tech"));
        assert!(!neon.matches("evilneon.tech.example.com"));
        let heroku = between("ec2-", ".compute-1.amazonaws.com");
        assert!(heroku.matches("ec2-1-2-3-4.compute-1.amazonaws.com"));
        assert!(!heroku.matches("ip-1-2-3-4.compute-1.amazonaws.com"));
    }

    #[test]
    fn every_provider_cites_documentation() {
        for provider in PROVIDERS {
            assert!(!provider.docs.is_empty(), "{}", provider.name);
            assert!(
                provider.docs.iter().all(|d| d.starts_with("https://")),
                "{}",
                provider.name
            );
            assert!(!provider.hosts.is_empty(), "{}", provider.name);
            assert!(
                super::super::tls::mode_strength(provider.strongest_sslmode) > 0,
                "{}",
                provider.name
            );
        }
    }

    #[test]
    fn neon_endpoint_id_drops_the_pooler_marker() {
        let neon = PROVIDERS.first().copied();
        let Some(neon) = neon else { panic!("table") };
        assert_eq!(
            endpoint_id(
                "ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech",
                &neon
            ),
            "ep-cool-darkness-123456"
        );
    }
}
