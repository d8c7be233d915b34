//! What each driver can say in its connection string, as data: for every libpq setting a fix
//! may change, how the driver writes it (its own key and values), where it needs code instead,
//! and where it cannot do it at all. Each row cites the driver source or documentation (with
//! the version) it was read from; `render` turns a fix's libpq [`Change`]s into the user's
//! dialect with these rows only.
//!
//! [`Change`]: crate::diagnostic::Change

use super::Dialect;

/// The driver a string is for, as far as the string tells: SQLAlchemy URLs name the DBAPI
/// driver after `+`, and it decides how the query is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Driver {
    Libpq,
    Pgjdbc,
    NodePostgres,
    Asyncpg,
    /// `postgresql://`, `+psycopg2`: the query is libpq keywords.
    SqlalchemyLibpq,
    /// `+psycopg`, `+psycopg_async` (psycopg 3): the query is libpq keywords too, but the
    /// driver prepares statements on its own (`prepare_threshold`).
    SqlalchemyPsycopg,
    /// `+asyncpg`: the query is `asyncpg.connect()` keyword arguments.
    SqlalchemyAsyncpg,
    /// `+pg8000` and drivers pg-preflight does not model: no setting is rendered.
    SqlalchemyOther,
    Pgx,
    Prisma,
    Npgsql,
}

impl Driver {
    /// The driver of a string read in `dialect` (`input` tells SQLAlchemy's DBAPI driver).
    pub fn of(dialect: Dialect, input: &str) -> Driver {
        match dialect {
            Dialect::Libpq => Driver::Libpq,
            Dialect::Jdbc => Driver::Pgjdbc,
            Dialect::NodePostgres => Driver::NodePostgres,
            Dialect::Asyncpg => Driver::Asyncpg,
            Dialect::Pgx => Driver::Pgx,
            Dialect::Prisma => Driver::Prisma,
            Dialect::Npgsql => Driver::Npgsql,
            Dialect::Sqlalchemy => {
                let scheme = input
                    .trim_start()
                    .split("://")
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                match scheme.split_once('+').map(|(_, driver)| driver) {
                    None | Some("psycopg2" | "psycopg2cffi") => Driver::SqlalchemyLibpq,
                    Some("psycopg" | "psycopg_async") => Driver::SqlalchemyPsycopg,
                    Some("asyncpg") => Driver::SqlalchemyAsyncpg,
                    Some(_) => Driver::SqlalchemyOther,
                }
            }
        }
    }

    /// Whether the string's settings are libpq's own keywords (libpq, SQLAlchemy's psycopg
    /// dialects).
    pub fn reads_libpq_keywords(self) -> bool {
        matches!(
            self,
            Driver::Libpq | Driver::SqlalchemyLibpq | Driver::SqlalchemyPsycopg
        )
    }

    /// The name people know the driver by, for titles.
    pub fn name(self) -> &'static str {
        match self {
            Driver::Libpq | Driver::SqlalchemyLibpq => "libpq",
            Driver::SqlalchemyPsycopg => "psycopg 3",
            Driver::Pgjdbc => "pgjdbc",
            Driver::NodePostgres => "node-postgres",
            Driver::Asyncpg => "asyncpg",
            // Not plain "asyncpg": asyncpg's own DSN takes `sslrootcert`, SQLAlchemy's URL
            // (whose query becomes connect() arguments) does not, and an outside review read
            // "asyncpg cannot say `sslrootcert`" as wrong about asyncpg.
            Driver::SqlalchemyAsyncpg => "SQLAlchemy's asyncpg dialect",
            Driver::SqlalchemyOther => "this SQLAlchemy driver",
            Driver::Pgx => "pgx",
            Driver::Prisma => "Prisma",
            Driver::Npgsql => "Npgsql",
        }
    }
}

/// One driver key and how libpq values map onto it. A `from` of `*` matches any value, a `to`
/// of `*` writes the value unchanged, and a `to` of `""` removes the key. A value no entry
/// matches cannot be written with this key.
#[derive(Debug, Clone, Copy)]
pub struct KeyMap {
    pub key: &'static str,
    pub values: &'static [(&'static str, &'static str)],
}

/// How a driver writes one libpq setting.
#[derive(Debug, Clone, Copy)]
pub enum Write {
    /// In the string, under these keys (all of them are written or removed together).
    Keys(&'static [KeyMap]),
    /// Only in code: a snippet in `language`, where `{value}` stands for the setting's value.
    Code {
        language: &'static str,
        snippet: &'static str,
    },
    /// The driver has no such setting; the sentence says so.
    Unsupported(&'static str),
    /// Depends on the value: the first entry whose value matches (`*` for any).
    ByValue(&'static [(&'static str, Write)]),
}

impl Write {
    /// The way to write `value`, with [`Write::ByValue`] resolved.
    pub fn for_value(self, value: &str) -> Option<Write> {
        match self {
            Write::ByValue(cases) => cases
                .iter()
                .find(|(v, _)| *v == value || *v == "*")
                .and_then(|(_, w)| w.for_value(value)),
            other => Some(other),
        }
    }
}

/// A row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub driver: Driver,
    /// The libpq keyword (`PQconninfoOptions`).
    pub keyword: &'static str,
    pub write: Write,
    /// The first driver version that has it, when older versions modelled lack it (then a
    /// fix using the row says so); empty when every modelled version has it.
    pub since: &'static str,
    /// The first driver version per value, where one value needs a later version than the
    /// row's `since` (node-postgres's unverified `require`, which needs `uselibpqcompat`).
    pub since_for: &'static [(&'static str, &'static str)],
    /// Where the fact comes from: file and version, or documentation address. Read by people
    /// and by the test that every row cites one, not by the code.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub source: &'static str,
}

const SAME: &[(&str, &str)] = &[("*", "*")];

/// Not a libpq keyword: the row of what a driver needs behind a transaction-mode pooler.
pub const TRANSACTION_POOLER: &str = "transaction_pooler";

const fn same(key: &'static str) -> KeyMap {
    KeyMap { key, values: SAME }
}

/// libpq keywords the libpq-family drivers (libpq, SQLAlchemy's psycopg dialects) read as
/// they are: each one is its own key.
static LIBPQ_FAMILY: &[KeyMap] = &[
    same("sslmode"),
    same("sslrootcert"),
    same("channel_binding"),
    same("connect_timeout"),
    same("application_name"),
    same("options"),
    same("target_session_attrs"),
    same("ssl_min_protocol_version"),
    same("sslsni"),
    same("sslcompression"),
    same("sslkeylogfile"),
    same("requirepeer"),
    same("sslnegotiation"),
];

/// The table. Keywords absent for a driver (and not covered by [`LIBPQ_FAMILY_SAME`] for
/// libpq and SQLAlchemy's libpq drivers) cannot be rendered for it.
pub static ROWS: &[Row] = &[
    // ----- pgjdbc 42.7.x -----
    Row {
        driver: Driver::Pgjdbc,
        keyword: "sslmode",
        // `ssl=true` alone means verify-full and is superseded by an explicit sslmode; it is
        // removed so the URL says one thing.
        write: Write::Keys(&[
            KeyMap { key: "sslmode", values: SAME },
            KeyMap { key: "ssl", values: &[("*", "")] },
        ]),
        since: "",
        since_for: &[],
        source: "pgjdbc REL42.7.13 pgjdbc/src/main/java/org/postgresql/jdbc/SslMode.java:64-70 (ssl=true alone means verify-full; an explicit sslmode wins)",
    },
    Row {
        driver: Driver::Pgjdbc,
        keyword: "sslrootcert",
        // LibPQFactory opens whatever sslrootcert names, `system` included, as a file; the
        // JVM's trust store is reached through DefaultJavaSSLFactory, and MakeSSL still checks
        // the host name under verify-full.
        write: Write::Keys(&[
            KeyMap { key: "sslrootcert", values: &[("system", ""), ("*", "*")] },
            KeyMap {
                key: "sslfactory",
                values: &[("system", "org.postgresql.ssl.DefaultJavaSSLFactory"), ("*", "")],
            },
        ]),
        since: "",
        since_for: &[],
        source: "pgjdbc REL42.7.13 ssl/LibPQFactory.java:190-200 (sslrootcert opened as a file: `system` fails), ssl/DefaultJavaSSLFactory.java:19 (the JVM trust store), ssl/MakeSSL.java:60-63 (host name checked for verify-full whatever the factory), core/SocketFactoryFactory.java:58-64",
    },
    Row {
        driver: Driver::Pgjdbc,
        keyword: "channel_binding",
        write: Write::Keys(&[KeyMap {
            key: "channelBinding",
            values: &[("require", "require"), ("prefer", "prefer"), ("disable", "disable")],
        }]),
        since: "pgjdbc 42.7.4",
        since_for: &[],
        source: "pgjdbc REL42.7.13 PGProperty.java:155-160 CHANNEL_BINDING (\"channelBinding\": disable, prefer, require; added in 42.7.4, commit 7a65cf36)",
    },
    Row {
        driver: Driver::Pgjdbc,
        keyword: "connect_timeout",
        write: Write::Keys(&[same("connectTimeout")]),
        since: "",
        since_for: &[],
        source: "pgjdbc REL42.7.13 PGProperty.java CONNECT_TIMEOUT (\"connectTimeout\", seconds)",
    },
    Row {
        driver: Driver::Pgjdbc,
        keyword: "application_name",
        write: Write::Keys(&[same("ApplicationName")]),
        since: "",
        since_for: &[],
        source: "pgjdbc 42.7 org/postgresql/PGProperty.java APPLICATION_NAME",
    },
    Row {
        driver: Driver::Pgjdbc,
        keyword: "options",
        write: Write::Keys(&[same("options")]),
        since: "",
        since_for: &[],
        source: "pgjdbc 42.7 org/postgresql/PGProperty.java OPTIONS (sent in the startup packet)",
    },
    Row {
        driver: Driver::Pgjdbc,
        keyword: "target_session_attrs",
        write: Write::Keys(&[KeyMap {
            key: "targetServerType",
            values: &[
                ("any", "any"),
                ("read-write", "primary"),
                ("primary", "primary"),
                ("standby", "secondary"),
                ("read-only", "secondary"),
                ("prefer-standby", "preferSecondary"),
            ],
        }]),
        since: "",
        since_for: &[],
        source: "pgjdbc 42.7 org/postgresql/hostchooser/HostRequirement.java",
    },
    // ----- node-postgres 8.16 / pg-connection-string 2.9 -----
    Row {
        driver: Driver::NodePostgres,
        keyword: "sslmode",
        // libpq's `require` (encrypt, do not verify) and `verify-ca` (the chain, not the host
        // name) mean that only with `uselibpqcompat=true`: without it pg-connection-string
        // verifies fully, which fails exactly where a fix stops below verify-full because the
        // certificates cannot pass it (Render's undocumented CA; Cloud SQL's per-instance CA,
        // whose certificates name no host). Other modes drop the flag (`verify-full` means the
        // same without it). With the flag `verify-ca` throws without sslrootcert, so
        // `render::translate` leaves it out where no CA file is written.
        write: Write::Keys(&[
            KeyMap { key: "sslmode", values: SAME },
            KeyMap { key: "ssl", values: &[("*", "")] },
            KeyMap {
                key: "uselibpqcompat",
                values: &[("require", "true"), ("verify-ca", "true"), ("*", "")],
            },
        ]),
        since: "",
        // Older versions ignore uselibpqcompat and verify fully: the fix then fails closed.
        since_for: &[
            ("require", "pg 8.15 (pg-connection-string 2.8.0)"),
            ("verify-ca", "pg 8.15 (pg-connection-string 2.8.0)"),
        ],
        source: "pg-connection-string 2.14.0 index.js:77-79,139-157 (any sslmode makes ssl an object; prefer/require/verify-ca verify fully unless uselibpqcompat); uselibpqcompat first in pg-connection-string 2.8.0 index.js:94-125 (require without sslrootcert: rejectUnauthorized false; verify-ca: checkServerIdentity skipped, throws without sslrootcert), which pg 8.15.0 depends on (^2.8.0; pg 8.14.1: ^2.7.0, whose index.js has no uselibpqcompat); brianc/node-postgres PR #2709",
    },
    Row {
        driver: Driver::NodePostgres,
        keyword: "sslrootcert",
        // No `system` value: pg-connection-string reads sslrootcert with fs.readFileSync.
        // Without it, Node.js verifies against its own bundled root store.
        write: Write::Keys(&[KeyMap {
            key: "sslrootcert",
            values: &[("system", ""), ("*", "*")],
        }]),
        since: "",
        since_for: &[],
        source: "pg-connection-string 2.14.0 index.js:98-100 (config.ssl.ca = fs.readFileSync(config.sslrootcert): `system` throws ENOENT); without it Node.js verifies against its bundled Mozilla roots (nodejs.org tls docs)",
    },
    Row {
        driver: Driver::NodePostgres,
        keyword: "channel_binding",
        // Only "prefer": SCRAM-SHA-256-PLUS when the server offers it; a server (or an
        // impostor) offering plain SCRAM is accepted, so `require` has no equivalent.
        write: Write::ByValue(&[
            (
                "prefer",
                Write::Code {
                    language: "javascript",
                    snippet: "new pg.Client({ connectionString, enableChannelBinding: true })",
                },
            ),
            (
                "*",
                Write::Unsupported("node-postgres cannot require channel binding: its enableChannelBinding option (pg 8.14 and later) only uses it when the server offers it"),
            ),
        ]),
        since: "",
        since_for: &[],
        source: "node-postgres pg@8.23.0 packages/pg/lib/client.js:87 (enableChannelBinding: \"use SCRAM-SHA-256-PLUS when offered\"), lib/crypto/sasl.js:36-37; added in 8.14.0 (commit b4022aa5); no connection-string parameter",
    },
    Row {
        driver: Driver::NodePostgres,
        keyword: "application_name",
        write: Write::Keys(&[same("application_name")]),
        since: "",
        since_for: &[],
        source: "node-postgres 8.16 packages/pg/lib/connection-parameters.js (application_name)",
    },
    Row {
        driver: Driver::NodePostgres,
        keyword: "options",
        write: Write::Keys(&[same("options")]),
        since: "",
        since_for: &[],
        source: "node-postgres 8.16 packages/pg/lib/connection-parameters.js (options)",
    },
    Row {
        driver: Driver::NodePostgres,
        keyword: "connect_timeout",
        write: Write::Code {
            language: "javascript",
            snippet: "new pg.Client({ connectionString, connectionTimeoutMillis: {value}000 })",
        },
        since: "",
        since_for: &[],
        source: "node-postgres 8.16 packages/pg/lib/client.js (connectionTimeoutMillis)",
    },
    Row {
        driver: Driver::NodePostgres,
        keyword: "target_session_attrs",
        write: Write::Unsupported("node-postgres connects to one host and has no target_session_attrs"),
        since: "",
        since_for: &[],
        source: "node-postgres 8.16 packages/pg/lib/connection-parameters.js (no such option)",
    },
    // ----- asyncpg 0.30 DSN -----
    Row {
        driver: Driver::Asyncpg,
        keyword: "sslmode",
        write: Write::Keys(&[same("sslmode")]),
        since: "",
        since_for: &[],
        source: "asyncpg v0.30.0 asyncpg/connect_utils.py:33-45,357-360 (SSLMode; DSN sslmode)",
    },
    Row {
        driver: Driver::Asyncpg,
        keyword: "sslrootcert",
        // `system` is a file name to asyncpg, and verify-full without a root file fails like
        // libpq's (~/.postgresql/root.crt); the system roots take an SSLContext in code.
        write: Write::ByValue(&[
            (
                "system",
                Write::Code {
                    language: "python",
                    snippet: "await asyncpg.connect(dsn, ssl=ssl.create_default_context())",
                },
            ),
            ("*", Write::Keys(&[same("sslrootcert")])),
        ]),
        since: "",
        since_for: &[],
        source: "asyncpg 0.30 asyncpg/connect_utils.py (_parse_connect_dsn_and_args: sslrootcert, PGSSLROOTCERT, ~/.postgresql/root.crt, else ClientConfigurationError for verify-*)",
    },
    Row {
        driver: Driver::Asyncpg,
        keyword: "channel_binding",
        write: Write::Unsupported("asyncpg does not implement SCRAM channel binding, and sends unknown DSN parameters to the server as settings, which ends the connection"),
        since: "",
        since_for: &[],
        source: "asyncpg 0.30 asyncpg/protocol/scram.pyx (SCRAM-SHA-256 only), connect_utils.py (unknown query parameters become server_settings)",
    },
    Row {
        driver: Driver::Asyncpg,
        keyword: "connect_timeout",
        // Not a DSN parameter: asyncpg forwards it to the server as a setting.
        write: Write::Code {
            language: "python",
            snippet: "await asyncpg.connect(dsn, timeout={value})",
        },
        since: "",
        since_for: &[],
        source: "asyncpg 0.30 asyncpg/connect_utils.py (_parse_connect_dsn_and_args reads no connect_timeout; connect(timeout=60))",
    },
    Row {
        driver: Driver::Asyncpg,
        keyword: "application_name",
        write: Write::Keys(&[same("application_name")]),
        since: "",
        since_for: &[],
        source: "asyncpg 0.30 asyncpg/connect_utils.py (other query parameters become server_settings)",
    },
    Row {
        driver: Driver::Asyncpg,
        keyword: "target_session_attrs",
        write: Write::Keys(&[same("target_session_attrs")]),
        since: "",
        since_for: &[],
        source: "asyncpg v0.30.0 asyncpg/connect_utils.py (target_session_attrs query parameter)",
    },
    // ----- SQLAlchemy 2.0, postgresql+asyncpg -----
    Row {
        driver: Driver::SqlalchemyAsyncpg,
        keyword: "sslmode",
        write: Write::Keys(&[
            KeyMap { key: "ssl", values: SAME },
            KeyMap { key: "sslmode", values: &[("*", "")] },
        ]),
        since: "",
        since_for: &[],
        source: "SQLAlchemy 2.0 lib/sqlalchemy/dialects/postgresql/asyncpg.py (create_connect_args: query → asyncpg.connect() keywords; connect(ssl=mode))",
    },
    Row {
        driver: Driver::SqlalchemyAsyncpg,
        keyword: "sslrootcert",
        write: Write::ByValue(&[
            (
                "system",
                Write::Code {
                    language: "python",
                    snippet: "create_async_engine(url, connect_args={\"ssl\": ssl.create_default_context()})",
                },
            ),
            (
                "*",
                Write::Code {
                    language: "python",
                    snippet: "create_async_engine(url, connect_args={\"ssl\": ssl.create_default_context(cafile=\"{value}\")})",
                },
            ),
        ]),
        since: "",
        since_for: &[],
        // The asyncpg dialect is asyncio-only: its engine comes from
        // `sqlalchemy.ext.asyncio.create_async_engine` (SQLAlchemy 2.0 docs, "Asynchronous I/O
        // (asyncio)"); every code fix below uses it.
        source: "SQLAlchemy 2.0 dialects/postgresql/asyncpg.py; asyncpg 0.30 connect(ssl=SSLContext)",
    },
    Row {
        driver: Driver::SqlalchemyAsyncpg,
        keyword: "channel_binding",
        write: Write::Unsupported("asyncpg does not implement SCRAM channel binding"),
        since: "",
        since_for: &[],
        source: "asyncpg 0.30 asyncpg/protocol/scram.pyx",
    },
    Row {
        driver: Driver::SqlalchemyAsyncpg,
        keyword: "connect_timeout",
        write: Write::Code {
            language: "python",
            snippet: "create_async_engine(url, connect_args={\"timeout\": {value}})",
        },
        since: "",
        since_for: &[],
        source: "asyncpg 0.30 connect(timeout=60)",
    },
    Row {
        driver: Driver::SqlalchemyAsyncpg,
        keyword: "application_name",
        write: Write::Code {
            language: "python",
            snippet: "create_async_engine(url, connect_args={\"server_settings\": {\"application_name\": \"{value}\"}})",
        },
        since: "",
        since_for: &[],
        source: "asyncpg 0.30 connect(server_settings=…)",
    },
    Row {
        driver: Driver::SqlalchemyAsyncpg,
        keyword: "target_session_attrs",
        write: Write::Keys(&[same("target_session_attrs")]),
        since: "",
        since_for: &[],
        source: "asyncpg 0.30 connect(target_session_attrs=…)",
    },
    // ----- pgx v5 (pgconn) -----
    Row {
        driver: Driver::Pgx,
        keyword: "sslmode",
        write: Write::Keys(&[same("sslmode")]),
        since: "",
        since_for: &[],
        source: "pgx v5 pgconn/config.go (configTLS)",
    },
    Row {
        driver: Driver::Pgx,
        keyword: "sslrootcert",
        // Older v5 releases open `system` as a file; without sslrootcert, crypto/tls verifies
        // against the system pool (RootCAs nil), which is what `system` asks for.
        write: Write::Keys(&[KeyMap {
            key: "sslrootcert",
            values: &[("system", ""), ("*", "*")],
        }]),
        since: "",
        since_for: &[],
        source: "pgx v5.10.0 pgconn/config.go configTLS (sslrootcert read with os.ReadFile; `system` only from v5.7.0; no sslrootcert: Go's system roots)",
    },
    Row {
        driver: Driver::Pgx,
        keyword: "channel_binding",
        write: Write::Keys(&[same("channel_binding")]),
        since: "pgx v5.9.0",
        since_for: &[],
        source: "pgx v5.10.0 pgconn/config.go (channel_binding), pgconn/auth_scram.go:50-51; up to v5.8.0 the key is sent to the server as a run-time parameter",
    },
    Row {
        driver: Driver::Pgx,
        keyword: "connect_timeout",
        write: Write::Keys(&[same("connect_timeout")]),
        since: "",
        since_for: &[],
        source: "pgx v5 pgconn/config.go (connect_timeout)",
    },
    Row {
        driver: Driver::Pgx,
        keyword: "application_name",
        write: Write::Keys(&[same("application_name")]),
        since: "",
        since_for: &[],
        source: "pgx v5 pgconn/config.go (other keys are RuntimeParams)",
    },
    Row {
        driver: Driver::Pgx,
        keyword: "options",
        write: Write::Keys(&[same("options")]),
        since: "",
        since_for: &[],
        source: "pgx v5 pgconn/config.go (options is sent as a startup parameter)",
    },
    Row {
        driver: Driver::Pgx,
        keyword: "target_session_attrs",
        write: Write::Keys(&[same("target_session_attrs")]),
        since: "",
        since_for: &[],
        source: "pgx v5 pgconn/config.go (target_session_attrs)",
    },
    Row {
        driver: Driver::Pgx,
        keyword: "sslnegotiation",
        write: Write::Keys(&[same("sslnegotiation")]),
        since: "pgx v5.7.5",
        since_for: &[],
        source: "pgx v5.10.0 pgconn/config.go (sslnegotiation, added in v5.7.5)",
    },
    // ----- Prisma 5/6, Rust engine (quaint) -----
    Row {
        driver: Driver::Prisma,
        keyword: "sslmode",
        // quaint knows disable, prefer and require; verification is sslaccept=strict, which
        // always checks the host name too, so verify-ca has no Prisma spelling.
        write: Write::Keys(&[
            KeyMap {
                key: "sslmode",
                values: &[
                    ("disable", "disable"),
                    ("prefer", "prefer"),
                    ("require", "require"),
                    ("verify-full", "require"),
                ],
            },
            KeyMap {
                key: "sslaccept",
                values: &[
                    ("verify-full", "strict"),
                    ("require", "*keep"),
                    ("prefer", "*keep"),
                    ("disable", "*keep"),
                ],
            },
        ]),
        since: "",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/url.rs (parse_query_params: sslmode, sslaccept) and native/mod.rs (strict: danger_accept_invalid_certs false)",
    },
    Row {
        driver: Driver::Prisma,
        keyword: "sslrootcert",
        // `sslcert` is the CA file in Prisma (relative to the schema file); with
        // sslaccept=strict the system roots are trusted as well, so `system` needs nothing.
        write: Write::Keys(&[KeyMap {
            key: "sslcert",
            values: &[("system", "*keep"), ("*", "*")],
        }]),
        since: "",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/native/mod.rs (sslcert added as a root to native-tls, which trusts the system roots by default); https://www.prisma.io/docs/orm/prisma-schema/overview/data-sources (paths relative to ./prisma)",
    },
    Row {
        driver: Driver::Prisma,
        keyword: "channel_binding",
        write: Write::Keys(&[KeyMap {
            key: "channel_binding",
            values: &[("require", "require"), ("prefer", "prefer"), ("disable", "disable")],
        }]),
        since: "Prisma 4.8.0",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/url.rs parse_query_params (channel_binding: disable, prefer, require); prisma docs 300-postgresql.mdx (\"Since 4.8.0\")",
    },
    Row {
        driver: Driver::Prisma,
        keyword: "connect_timeout",
        write: Write::Keys(&[same("connect_timeout")]),
        since: "",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/url.rs (connect_timeout, seconds)",
    },
    Row {
        driver: Driver::Prisma,
        keyword: "application_name",
        write: Write::Keys(&[same("application_name")]),
        since: "",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/url.rs (application_name)",
    },
    Row {
        driver: Driver::Prisma,
        keyword: "options",
        write: Write::Keys(&[same("options")]),
        since: "",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/url.rs (options)",
    },
    Row {
        driver: Driver::Prisma,
        keyword: "target_session_attrs",
        write: Write::Unsupported("Prisma's URL has no target_session_attrs"),
        since: "",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/url.rs (parse_query_params)",
    },
    // ----- Npgsql 8/9/10 -----
    Row {
        driver: Driver::Npgsql,
        keyword: "sslmode",
        write: Write::Keys(&[
            KeyMap {
                key: "SSL Mode",
                values: &[
                    ("disable", "Disable"),
                    ("allow", "Allow"),
                    ("prefer", "Prefer"),
                    ("require", "Require"),
                    ("verify-ca", "VerifyCA"),
                    ("verify-full", "VerifyFull"),
                ],
            },
            KeyMap {
                key: "Trust Server Certificate",
                values: &[("verify-ca", ""), ("verify-full", ""), ("*", "*keep")],
            },
        ]),
        since: "",
        // Npgsql 6.0 and 7.0 refused `Require` without `Trust Server Certificate=true` ("To
        // validate server certificates, please use VerifyFull or VerifyCA instead of
        // Require…"); 8.0 dropped that (release notes 6.0 and 8.0; v7.0.10 NpgsqlConnector).
        since_for: &[("require", "Npgsql 8.0")],
        source: "npgsql v9.0.5 src/Npgsql/NpgsqlConnectionStringBuilder.cs:447-462 (SslMode, parsed case-insensitively; `verify-full` with a hyphen fails), NpgsqlConnector.cs:925-929; https://www.npgsql.org/doc/release-notes/8.0.html (`SSL Mode=Require` no longer needs Trust Server Certificate)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "sslrootcert",
        // VerifyFull without Root Certificate validates against the system store.
        write: Write::Keys(&[KeyMap {
            key: "Root Certificate",
            values: &[("system", ""), ("*", "*")],
        }]),
        since: "",
        since_for: &[],
        source: "npgsql v9.0.5 src/Npgsql/Internal/NpgsqlConnector.cs:930-944,1739-1783 (VerifyFull without Root Certificate validates with the OS store)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "channel_binding",
        write: Write::Keys(&[KeyMap {
            key: "Channel Binding",
            values: &[("require", "Require"), ("prefer", "Prefer"), ("disable", "Disable")],
        }]),
        since: "Npgsql 8.0",
        since_for: &[],
        source: "npgsql v9.0.5 src/Npgsql/NpgsqlConnectionStringBuilder.cs:670-685 (Channel Binding; introduced in 8.0)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "connect_timeout",
        write: Write::Keys(&[same("Timeout")]),
        since: "",
        since_for: &[],
        source: "Npgsql 8 src/Npgsql/NpgsqlConnectionStringBuilder.cs (Timeout, seconds)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "dbname",
        write: Write::Keys(&[same("Database")]),
        since: "",
        since_for: &[],
        source: "npgsql v9.0.5 src/Npgsql/NpgsqlConnectionStringBuilder.cs (Database, synonym DB)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "sslcert",
        write: Write::Keys(&[same("SSL Certificate")]),
        since: "",
        since_for: &[],
        source: "npgsql v9.0.5 src/Npgsql/NpgsqlConnectionStringBuilder.cs (SslCertificate: the client certificate, PEM or PFX)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "sslkey",
        write: Write::Keys(&[same("SSL Key")]),
        since: "",
        since_for: &[],
        source: "npgsql v9.0.5 src/Npgsql/NpgsqlConnectionStringBuilder.cs (SslKey: the client certificate's key, PEM)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "load_balance_hosts",
        write: Write::Keys(&[KeyMap {
            key: "Load Balance Hosts",
            values: &[("disable", "false"), ("random", "true")],
        }]),
        since: "",
        since_for: &[],
        source: "npgsql v8.0.0 src/Npgsql/NpgsqlConnectionStringBuilder.cs (LoadBalanceHosts, bool)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "keepalives",
        write: Write::Keys(&[KeyMap {
            key: "TCP Keepalive",
            values: &[("1", "true"), ("0", "false")],
        }]),
        since: "",
        since_for: &[],
        source: "npgsql v8.0.0 src/Npgsql/NpgsqlConnectionStringBuilder.cs (TcpKeepAlive, bool)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "keepalives_idle",
        write: Write::Keys(&[same("TCP Keepalive Time")]),
        since: "",
        since_for: &[],
        source: "npgsql v8.0.0 src/Npgsql/NpgsqlConnectionStringBuilder.cs (TcpKeepAliveTime, seconds, as libpq's)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "keepalives_interval",
        write: Write::Keys(&[same("TCP Keepalive Interval")]),
        since: "",
        since_for: &[],
        source: "npgsql v8.0.0 src/Npgsql/NpgsqlConnectionStringBuilder.cs (TcpKeepAliveInterval, seconds, as libpq's)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "passfile",
        write: Write::Keys(&[same("Passfile")]),
        since: "",
        since_for: &[],
        source: "npgsql v8.0.0 src/Npgsql/NpgsqlConnectionStringBuilder.cs (Passfile)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "krbsrvname",
        write: Write::Keys(&[same("Kerberos Service Name")]),
        since: "",
        since_for: &[],
        source: "npgsql v8.0.0 src/Npgsql/NpgsqlConnectionStringBuilder.cs (KerberosServiceName)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "client_encoding",
        write: Write::Keys(&[same("Client Encoding")]),
        since: "",
        since_for: &[],
        source: "npgsql v8.0.0 src/Npgsql/NpgsqlConnectionStringBuilder.cs (ClientEncoding)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "application_name",
        write: Write::Keys(&[same("Application Name")]),
        since: "",
        since_for: &[],
        source: "Npgsql 8 src/Npgsql/NpgsqlConnectionStringBuilder.cs (ApplicationName)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "options",
        write: Write::Keys(&[same("Options")]),
        since: "",
        since_for: &[],
        source: "Npgsql 8 src/Npgsql/NpgsqlConnectionStringBuilder.cs (Options)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "target_session_attrs",
        write: Write::Keys(&[same("Target Session Attributes")]),
        since: "",
        since_for: &[],
        source: "Npgsql 8 src/Npgsql/NpgsqlConnectionStringBuilder.cs (TargetSessionAttributes)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "gssencmode",
        write: Write::Keys(&[KeyMap {
            key: "GSS Encryption Mode",
            values: &[("disable", "Disable"), ("prefer", "Prefer"), ("require", "Require")],
        }]),
        since: "Npgsql 10.0",
        since_for: &[],
        source: "npgsql v10.0.0 (a1802184) src/Npgsql/NpgsqlConnectionStringBuilder.cs:483-499 (GssEncryptionMode: Disable, Prefer (default), Require; absent in v9.0.5)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "require_auth",
        // Each method by the enum's own name: `Enum.TryParse` there is case-sensitive, so
        // libpq's `scram-sha-256` is refused. libpq 18's `oauth` has no Npgsql name.
        write: Write::Keys(&[KeyMap {
            key: "Require Auth",
            values: &[
                (EACH_OF_A_LIST, ""),
                ("password", "Password"),
                ("md5", "MD5"),
                ("gss", "GSS"),
                ("sspi", "SSPI"),
                ("scram-sha-256", "ScramSHA256"),
                ("none", "None"),
            ],
        }]),
        since: "Npgsql 10.0",
        since_for: &[],
        source: "npgsql v10.0.0 (a1802184) src/Npgsql/NpgsqlConnectionStringBuilder.cs:724-784 (RequireAuth, ParseAuthMode: comma list, `!` negates all or none) and :1876 (enum RequireAuthMode); absent in v9.0.5",
    },
    // ----- direct TLS (`sslnegotiation=direct`, libpq 17) -----
    Row {
        driver: Driver::Pgjdbc,
        keyword: "sslnegotiation",
        write: Write::Keys(&[same("sslNegotiation")]),
        since: "pgjdbc 42.7.4",
        since_for: &[],
        source: "pgjdbc REL42.7.13 PGProperty.java:832-844 SSL_NEGOTIATION (\"sslNegotiation\": postgres, direct; commit 02b74915, first in 42.7.4); the libpq spelling is ignored",
    },
    Row {
        driver: Driver::NodePostgres,
        keyword: "sslnegotiation",
        write: Write::Keys(&[same("sslnegotiation")]),
        since: "pg 8.22 (pg-connection-string 2.14)",
        since_for: &[],
        source: "node-postgres pg@8.23.0 packages/pg/lib/connection-parameters.js:104-112, pg-connection-string 2.14.0 index.js:83-85 (commit 882fc308)",
    },
    Row {
        driver: Driver::Asyncpg,
        keyword: "sslnegotiation",
        write: Write::Keys(&[same("sslnegotiation")]),
        since: "",
        since_for: &[],
        source: "asyncpg v0.30.0 asyncpg/connect_utils.py (sslnegotiation in the DSN; direct_tls in code since 0.26)",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: "sslnegotiation",
        write: Write::Keys(&[KeyMap {
            key: "SSL Negotiation",
            values: &[("direct", "Direct"), ("postgres", "Postgres")],
        }]),
        since: "Npgsql 9.0",
        since_for: &[],
        source: "npgsql v9.0.5 src/Npgsql/NpgsqlConnectionStringBuilder.cs:469-481, NpgsqlConnector.cs:784-789 (needs SSL Mode Require or higher)",
    },
    Row {
        driver: Driver::Prisma,
        keyword: "sslnegotiation",
        write: Write::Unsupported("Prisma's engine discards sslnegotiation"),
        since: "",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/url.rs parse_query_params (unknown keys: \"Discarding connection string param\")",
    },
    // ----- behind a transaction-mode pooler: `transaction_pooler` is not a libpq keyword but
    // what a driver needs so that its prepared statements do not break when consecutive
    // transactions run on different server connections -----
    Row {
        driver: Driver::Prisma,
        keyword: TRANSACTION_POOLER,
        write: Write::Keys(&[KeyMap { key: "pgbouncer", values: &[("*", "true")] }]),
        since: "",
        since_for: &[],
        source: "prisma-engines quaint/src/connector/postgres/native/mod.rs (pgbouncer: statement cache 0, pgbouncer_mode); https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/pgbouncer; https://supabase.github.io/supavisor/orms/prisma (\"To turn off named prepared statements use pgbouncer=true\")",
    },
    Row {
        driver: Driver::Pgx,
        keyword: TRANSACTION_POOLER,
        write: Write::Keys(&[KeyMap { key: "default_query_exec_mode", values: &[("*", "exec")] }]),
        since: "",
        since_for: &[],
        source: "pgx v5.10.0 conn.go:34-41 (cache_statement \"may be incompatible with proxies such as PGBouncer\"; use QueryExecModeExec or QueryExecModeSimpleProtocol), conn.go:191-209 (default_query_exec_mode, read by pgx.ParseConfig and pgxpool)",
    },
    Row {
        driver: Driver::Pgjdbc,
        keyword: TRANSACTION_POOLER,
        write: Write::Keys(&[KeyMap { key: "prepareThreshold", values: &[("*", "0")] }]),
        since: "",
        since_for: &[],
        source: "pgjdbc REL42.7.13 docs/content/documentation/server-prepare.md:347 (\"disable usage of server side prepared statements by setting prepareThreshold=0\")",
    },
    Row {
        driver: Driver::Npgsql,
        keyword: TRANSACTION_POOLER,
        // Npgsql prepares on its own only with automatic preparation on (Max Auto Prepare
        // above 0; off by default): [`prepares_only_with`]. `No Reset On Close` is about
        // DISCARD ALL on pooled connections, not prepared statements.
        write: Write::Keys(&[KeyMap { key: "Max Auto Prepare", values: &[("*", "0")] }]),
        since: "",
        since_for: &[],
        source: "npgsql v9.0.5 src/Npgsql/NpgsqlConnectionStringBuilder.cs (MaxAutoPrepare, \"Max Auto Prepare\": \"Zero (the default) disables automatic preparation\"), src/Npgsql/PreparedStatementManager.cs (auto-preparation only if MaxAutoPrepare > 0); https://www.npgsql.org/doc/prepare.html",
    },
    // psycopg 3 (SQLAlchemy's `postgresql+psycopg`): prepares a statement server-side once it
    // has run `prepare_threshold` times (5 by default) on a connection; `None` turns it off,
    // a connect() argument since psycopg 3.1, which SQLAlchemy passes through connect_args.
    Row {
        driver: Driver::SqlalchemyPsycopg,
        keyword: TRANSACTION_POOLER,
        write: Write::Code {
            language: "python",
            snippet: "create_engine(url, connect_args={\"prepare_threshold\": None})",
        },
        since: "",
        since_for: &[],
        source: "psycopg 3 docs advanced/prepare.rst (\"prepared automatically after it is executed more than prepare_threshold times\"; prepare_threshold=None disables; connect() keyword since 3.1), https://www.psycopg.org/psycopg3/docs/advanced/prepare.html; SQLAlchemy 2.0 (connect_args passed to the DBAPI's connect())",
    },
    Row {
        driver: Driver::Asyncpg,
        keyword: TRANSACTION_POOLER,
        write: Write::Code {
            language: "python",
            snippet: "await asyncpg.connect(dsn, statement_cache_size=0)",
        },
        since: "",
        since_for: &[],
        source: "asyncpg v0.30.0 connection.py (statement_cache_size; a DSN parameter of that name is sent to the server as a setting); asyncpg FAQ \"Why am I getting prepared statement errors\" (pgbouncer)",
    },
    Row {
        driver: Driver::SqlalchemyAsyncpg,
        keyword: TRANSACTION_POOLER,
        write: Write::Code {
            language: "python",
            snippet: "create_async_engine(url, connect_args={\"statement_cache_size\": 0, \"prepared_statement_cache_size\": 0})",
        },
        since: "",
        since_for: &[],
        source: "SQLAlchemy 2.0 dialects/postgresql/asyncpg.py (\"Prepared Statement Cache\", \"Prepared Statement Name with PGBouncer\")",
    },
];

/// Drivers that prepare statements on their own only when a setting of the string turns it
/// on, with that setting: Npgsql's automatic preparation (`Max Auto Prepare`, default 0;
/// npgsql v9.0.5 NpgsqlConnectionStringBuilder.cs). Behind a transaction pooler such a driver
/// needs nothing unless the string sets it above 0.
pub fn prepares_only_with(driver: Driver) -> Option<&'static str> {
    match driver {
        Driver::Npgsql => Some("Max Auto Prepare"),
        _ => None,
    }
}

/// The row for `driver` and the libpq `keyword`. libpq and SQLAlchemy's libpq drivers read
/// libpq's own keywords.
pub fn row(driver: Driver, keyword: &str) -> Option<Row> {
    if driver.reads_libpq_keywords() && keyword != TRANSACTION_POOLER {
        let map = LIBPQ_FAMILY.iter().find(|m| m.key == keyword)?;
        return Some(Row {
            driver,
            keyword: map.key,
            write: Write::Keys(std::slice::from_ref(map)),
            since: "",
            // `system` (the OS trust store) is libpq 16's: older libpq opens a file of that
            // name (PostgreSQL 16 release notes; libpq docs, `sslrootcert`).
            since_for: if keyword == "sslrootcert" {
                &[("system", "libpq 16")]
            } else {
                &[]
            },
            source: "libpq 18 PQconninfoOptions (fe-connect.c)",
        });
    }
    ROWS.iter()
        .find(|r| r.driver == driver && r.keyword == keyword)
        .copied()
}

/// Whether `driver`'s string can say `keyword=value` through the table: under its keys, each
/// with a spelling for the value.
pub fn writes(driver: Driver, keyword: &str, value: &str) -> bool {
    match row(driver, keyword).and_then(|r| r.write.for_value(value)) {
        Some(Write::Keys(maps)) => maps.iter().all(|map| map_value(map, value).is_some()),
        _ => false,
    }
}

/// A `from` that makes a [`KeyMap`] map a comma list element by element (each with an
/// optional `!` before it, as libpq's `require_auth`), through the map's other entries.
pub const EACH_OF_A_LIST: &str = "*each";

/// `from` → the value to write under `map.key`: `Some("")` removes the key, `Some("*keep")`
/// leaves it as written, `None` means the value has no spelling for this key.
pub fn map_value(map: &KeyMap, value: &str) -> Option<String> {
    if map.values.iter().any(|(from, _)| *from == EACH_OF_A_LIST) {
        return map_each(map, value);
    }
    map.values
        .iter()
        .find(|(from, _)| *from == value || *from == "*")
        .map(|(_, to)| match *to {
            "*" => value.to_string(),
            other => other.to_string(),
        })
}

/// [`EACH_OF_A_LIST`]: every element must have a spelling, and the elements are all negated
/// or none is (libpq and Npgsql both refuse a mixed list).
fn map_each(map: &KeyMap, value: &str) -> Option<String> {
    let items: Vec<&str> = value.split(',').map(str::trim).collect();
    let negated = items.iter().filter(|item| item.starts_with('!')).count();
    if negated != 0 && negated != items.len() {
        return None;
    }
    let element = |item: &str| {
        let (negation, name) = item.strip_prefix('!').map_or(("", item), |rest| ("!", rest));
        map.values
            .iter()
            .find(|(from, _)| *from == name && *from != EACH_OF_A_LIST)
            .map(|(_, to)| format!("{negation}{to}"))
    };
    let items: Option<Vec<String>> = value.split(',').map(str::trim).map(element).collect();
    items.filter(|items| !items.is_empty()).map(|items| items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_cites_a_source_and_is_unique() {
        for (i, row) in ROWS.iter().enumerate() {
            assert!(!row.source.is_empty(), "{row:?}");
            assert!(
                ROWS.iter()
                    .skip(i + 1)
                    .all(|r| r.driver != row.driver || r.keyword != row.keyword),
                "{row:?} twice"
            );
        }
    }

    #[test]
    fn sqlalchemy_driver_comes_from_the_scheme() {
        let of = |s| Driver::of(Dialect::Sqlalchemy, s);
        assert_eq!(of("postgresql+asyncpg://h/db"), Driver::SqlalchemyAsyncpg);
        assert_eq!(of("postgresql+psycopg2://h/db"), Driver::SqlalchemyLibpq);
        assert_eq!(of("postgresql+psycopg://h/db"), Driver::SqlalchemyPsycopg);
        assert_eq!(of("postgresql://h/db"), Driver::SqlalchemyLibpq);
        assert_eq!(of("postgresql+pg8000://h/db"), Driver::SqlalchemyOther);
        assert_eq!(of("cockroachdb://h/db"), Driver::SqlalchemyLibpq);
    }

    #[test]
    fn values_map_through_the_table() {
        let Some(Row {
            write: Write::Keys(keys),
            ..
        }) = row(Driver::Prisma, "sslmode")
        else {
            panic!("prisma sslmode row");
        };
        let [mode, accept] = keys else {
            panic!("two keys")
        };
        assert_eq!(map_value(mode, "verify-full").as_deref(), Some("require"));
        assert_eq!(map_value(accept, "verify-full").as_deref(), Some("strict"));
        assert_eq!(map_value(mode, "verify-ca"), None);
    }
}
