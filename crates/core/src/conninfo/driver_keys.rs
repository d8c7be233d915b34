//! The keys each driver reads from a connection string, beside libpq's own
//! ([`super::keywords`]) and Npgsql's ([`super::npgsql_keywords`]): the driver readers check
//! strings against them, and the secret finders ([`super::embedded`], below the readers) ask
//! whether a `key=value` after a password's unencoded `&` is a setting some driver knows or
//! the password's own text.

/// Every property name pgjdbc 42.7 knows (`PGProperty`); names are case-sensitive.
pub(crate) const PGJDBC: &[&str] = &[
    "adaptiveFetch",
    "adaptiveFetchMaximum",
    "adaptiveFetchMinimum",
    "allowEncodingChanges",
    "ApplicationName",
    "assumeMinServerVersion",
    "authenticationPluginClassName",
    "autosave",
    "binaryTransfer",
    "binaryTransferDisable",
    "binaryTransferEnable",
    "cancelSignalTimeout",
    "channelBinding",
    "cleanupSavepoints",
    "connectTimeout",
    "currentSchema",
    "databaseMetadataCacheFields",
    "databaseMetadataCacheFieldsMiB",
    "defaultRowFetchSize",
    "disableColumnSanitiser",
    "escapeSyntaxCallMode",
    "groupStartupParameters",
    "gssEncMode",
    "gsslib",
    "gssResponseTimeout",
    "hideUnprivilegedObjects",
    "hostRecheckSeconds",
    "jaasApplicationName",
    "jaasLogin",
    "kerberosServerName",
    "loadBalanceHosts",
    "localSocketAddress",
    "loggerFile",
    "loggerLevel",
    "loginTimeout",
    "logServerErrorDetail",
    "logUnclosedConnections",
    "maxResultBuffer",
    "options",
    "password",
    "PGDBNAME",
    "PGHOST",
    "PGPORT",
    "preferQueryMode",
    "preparedStatementCacheQueries",
    "preparedStatementCacheSizeMiB",
    "prepareThreshold",
    "protocolVersion",
    "quoteReturningIdentifiers",
    "readOnly",
    "readOnlyMode",
    "receiveBufferSize",
    "replication",
    "reWriteBatchedInserts",
    "sendBufferSize",
    "service",
    "socketFactory",
    "socketFactoryArg",
    "socketTimeout",
    "ssl",
    "sslAlias",
    "sslcert",
    "sslfactory",
    "sslfactoryarg",
    "sslhostnameverifier",
    "sslkey",
    "sslmode",
    "sslNegotiation",
    "sslpassword",
    "sslpasswordcallback",
    "sslResponseTimeout",
    "sslrootcert",
    "sspiServiceClass",
    "stringtype",
    "targetServerType",
    "tcpKeepAlive",
    "tcpNoDelay",
    "unknownLength",
    "user",
    "useSpnego",
    "xmlFactoryFactory",
];

/// Query keys node-postgres reads from a connection string (`ConnectionParameters` reads the
/// parsed config object; pg-connection-string consumes the TLS ones).
pub(crate) const NODE_POSTGRES: &[&str] = &[
    "user",
    "password",
    "host",
    "port",
    "database",
    "client_encoding",
    "options",
    "application_name",
    "fallback_application_name",
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "query_timeout",
    "replication",
    "binary",
    "ssl",
    "sslmode",
    "sslcert",
    "sslkey",
    "sslrootcert",
    "uselibpqcompat",
    "sslnegotiation",
    "connectionTimeoutMillis",
    "keepAliveInitialDelayMillis",
];

/// Query parameters quaint reads; everything else is discarded ("Discarding connection string
/// param").
pub(crate) const PRISMA: &[&str] = &[
    "pgbouncer",
    "sslmode",
    "sslcert",
    "sslidentity",
    "sslpassword",
    "statement_cache_size",
    "sslaccept",
    "schema",
    "connection_limit",
    "host",
    "socket_timeout",
    "connect_timeout",
    "pool_timeout",
    "max_connection_lifetime",
    "max_idle_connection_lifetime",
    "application_name",
    "channel_binding",
    "options",
];

/// `notRuntimeParams` in `ParseConfigWithOptions`: settings pgconn consumes itself.
pub(crate) const PGX_CONSUMED: &[&str] = &[
    "host",
    "port",
    "database",
    "user",
    "password",
    "passfile",
    "connect_timeout",
    "sslmode",
    "sslkey",
    "sslcert",
    "sslrootcert",
    "sslnegotiation",
    "sslpassword",
    "sslsni",
    "krbspn",
    "krbsrvname",
    "target_session_attrs",
    "service",
    "servicefile",
    "min_protocol_version",
    "max_protocol_version",
    "channel_binding",
    "require_auth",
];

/// Query parameters only Prisma reads (quaint `PostgresUrl::parse_query_params`); libpq rejects
/// every one of them.
pub(crate) const PRISMA_ONLY: &[&str] = &[
    "schema",
    "connection_limit",
    "pool_timeout",
    "pgbouncer",
    "sslaccept",
    "sslidentity",
    "socket_timeout",
    "statement_cache_size",
    "max_connection_lifetime",
    "max_idle_connection_lifetime",
];

/// Parameters only pgx reads: pgconn's `servicefile`, `krbspn`, `connect_recover_timeout`;
/// pgx's `statement_cache_capacity`, `description_cache_capacity`, `default_query_exec_mode`;
/// pgxpool's `pool_*` settings. libpq rejects every one of them.
pub(crate) const PGX_ONLY: &[&str] = &[
    "servicefile",
    "krbspn",
    "connect_recover_timeout",
    "statement_cache_capacity",
    "description_cache_capacity",
    "default_query_exec_mode",
    "min_read_buffer_size",
    "pool_max_conns",
    "pool_min_conns",
    "pool_min_idle_conns",
    "pool_max_conn_lifetime",
    "pool_max_conn_lifetime_jitter",
    "pool_max_conn_idle_time",
    "pool_health_check_period",
];

/// Whether some driver reads `key` from a connection string's query (exactly as written: the
/// drivers match keys case-sensitively, pgjdbc's camel case included).
pub(crate) fn known_to_a_driver(key: &str) -> bool {
    [
        PGJDBC,
        NODE_POSTGRES,
        PRISMA,
        PGX_CONSUMED,
        PRISMA_ONLY,
        PGX_ONLY,
    ]
    .iter()
    .any(|keys| keys.contains(&key))
}
