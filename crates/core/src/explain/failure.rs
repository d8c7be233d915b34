//! What failed, and what can cause it: the vocabulary the message table, the decoder and the
//! JSON output share. Ids are stable (kebab-case), like rule codes.

use serde::Serialize;

/// Where a cause lies: one of the inputs pg-preflight reads, or the server's own settings,
/// which it does not see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Place {
    /// The connection string (or the driver's options).
    Dsn,
    Ca,
    Cert,
    Key,
    ServerCert,
    ClientCa,
    /// `postgresql.conf` or the server's certificate files.
    ServerSettings,
    /// `pg_hba.conf`.
    PgHba,
    /// The role or database on the server.
    ServerObjects,
    /// The network path: host, port, a proxy.
    Network,
    /// The client library itself (its build, its version).
    ClientLibrary,
}

/// Where a client names a TLS file otherwise than libpq (`sslrootcert`, `sslcert`, `sslkey`),
/// by the ids the JSON uses (client, place): Prisma's engine takes the CA in `sslcert` and the
/// client's certificate and key as one PKCS#12 bundle in `sslidentity` (quaint
/// `SslParams::into_auth`); Npgsql has keys of its own (`NpgsqlConnectionStringBuilder`).
const CLIENT_SETTING_NAMES: &[(&str, &str, &str)] = &[
    ("prisma", "ca", "Prisma's `sslcert`"),
    ("prisma", "cert", "Prisma's `sslidentity`"),
    ("prisma", "key", "Prisma's `sslidentity`"),
    ("npgsql", "ca", "Npgsql's `Root Certificate`"),
    ("npgsql", "cert", "Npgsql's `SSL Certificate`"),
    ("npgsql", "key", "Npgsql's `SSL Key`"),
];

/// The setting that names `place` (a JSON id: `ca`, `cert`, `key`) for `client` (a JSON id:
/// `prisma`, `npgsql`), where it is not libpq's.
pub fn client_setting_name(client: &str, place: &str) -> Option<&'static str> {
    CLIENT_SETTING_NAMES
        .iter()
        .find(|(c, p, _)| *c == client && *p == place)
        .map(|(_, _, name)| *name)
}

impl Place {
    /// The input in words, in `client`'s terms where its setting is not libpq's
    /// ([`client_setting_name`]): "the CA file (Prisma's `sslcert`)".
    pub fn label_for(self, client: super::table::Client) -> String {
        let label = self.label();
        let place = match self {
            Place::Ca => "ca",
            Place::Cert => "cert",
            Place::Key => "key",
            _ => return label.to_string(),
        };
        let client = serde_json::to_value(client).ok();
        match client_setting_name(client.as_ref().and_then(|c| c.as_str()).unwrap_or_default(), place) {
            Some(name) => format!("{} ({name})", label.split(" (").next().unwrap_or(label)),
            None => label.to_string(),
        }
    }

    /// The input in words, for text output.
    pub fn label(self) -> &'static str {
        match self {
            Place::Dsn => "the connection string",
            Place::Ca => "the CA file (sslrootcert)",
            Place::Cert => "the client certificate (sslcert)",
            Place::Key => "the client key (sslkey)",
            Place::ServerCert => "the server's certificate chain",
            Place::ClientCa => "the server's client CA (ssl_ca_file)",
            Place::ServerSettings => "the server's settings (postgresql.conf)",
            Place::PgHba => "the server's pg_hba.conf",
            Place::ServerObjects => "the roles and databases on the server",
            Place::Network => "the network path (host, port, proxy)",
            Place::ClientLibrary => "the client library",
        }
    }
}

macro_rules! ids {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),* }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.id())
            }
        }
    };
}

ids!(
    /// What a message says failed.
    Failure {
        ServerWithoutTls = "server-without-tls",
        ServerCertificateUntrusted = "server-certificate-untrusted",
        HostNameMismatch = "host-name-mismatch",
        RootFileMissing = "root-file-missing",
        RootFileUnreadable = "root-file-unreadable",
        MaterialFileMissing = "material-file-missing",
        ClientCertificateUnreadable = "client-certificate-unreadable",
        ClientKeyMissing = "client-key-missing",
        ClientKeyUnreadable = "client-key-unreadable",
        ClientKeyPermissions = "client-key-permissions",
        ClientKeyMismatch = "client-key-mismatch",
        ClientKeyPassphrase = "client-key-passphrase",
        ClientCertificateRejected = "client-certificate-rejected",
        ClientCertificateRequired = "client-certificate-required",
        CertificateUserMismatch = "certificate-user-mismatch",
        NoHbaEntry = "no-hba-entry",
        HbaRejects = "hba-rejects",
        PasswordRefused = "password-refused",
        NoPassword = "no-password",
        ChannelBindingWithoutTls = "channel-binding-without-tls",
        ChannelBindingNotOffered = "channel-binding-not-offered",
        ConnectionClosedInHandshake = "connection-closed-in-handshake",
        DirectTlsUnsupported = "direct-tls-unsupported",
        WeakSslmodeWithDirect = "weak-sslmode-with-direct",
        ProtocolVersionMismatch = "protocol-version-mismatch",
        UnknownOption = "unknown-option",
        ConnectionRefused = "connection-refused",
        RoleMissing = "role-missing",
        DatabaseMissing = "database-missing",
        ServiceRequiresTls = "service-requires-tls",
        ConnectionAttemptFailed = "connection-attempt-failed",
        ConnectionDropped = "connection-dropped",
        UnexpectedSslAnswer = "unexpected-ssl-answer",
        ClientWithoutSsl = "client-without-ssl",
        PamAuthFailed = "pam-authentication-failed",
        PeerAuthFailed = "peer-authentication-failed",
        EndpointNotSpecified = "endpoint-not-specified",
        PoolerTenantUnknown = "pooler-tenant-unknown",
        HostNotFound = "host-not-found",
        NetworkUnreachable = "network-unreachable",
        ConnectTimeout = "connect-timeout",
        PreparedStatementConflict = "prepared-statement-conflict",
        DriverArgumentRejected = "driver-argument-rejected",
        ConnectionStringUnreadable = "connection-string-unreadable",
        SettingValueInvalid = "setting-value-invalid",
        DriverUrlRejected = "driver-url-rejected",
        DriverNotFound = "driver-not-found",
        DriverStringRejected = "driver-string-rejected",
    }
);

ids!(
    /// Why it failed, among the user's inputs.
    Cause {
        ServerSslOff = "server-ssl-off",
        CaDoesNotSignChain = "ca-does-not-sign-chain",
        MissingIntermediate = "missing-intermediate",
        CaFileHoldsIntermediate = "ca-file-holds-intermediate",
        ServerSelfSigned = "server-self-signed",
        ServerCertificateExpired = "server-certificate-expired",
        ServerCertificateNotYetValid = "server-certificate-not-yet-valid",
        OtherCaFileUsed = "other-ca-file-used",
        HostNotInCertificate = "host-not-in-certificate",
        CommonNameOnly = "common-name-only",
        CaFileMissing = "ca-file-missing",
        CaFileNotPem = "ca-file-not-pem",
        FileMissing = "file-missing",
        ClientCertificateNotPem = "client-certificate-not-pem",
        KeyFileMissing = "key-file-missing",
        KeyFormatUnsupported = "key-format-unsupported",
        KeyReadableByOthers = "key-readable-by-others",
        KeyDoesNotMatchCertificate = "key-does-not-match-certificate",
        PassphraseMissing = "passphrase-missing",
        PassphraseWrong = "passphrase-wrong",
        ClientCertificateOtherCa = "client-certificate-other-ca",
        ClientCertificateExpired = "client-certificate-expired",
        ClientCertificateNotSent = "client-certificate-not-sent",
        CertificateNameNotUser = "certificate-name-not-user",
        TlsNotUsedWhereRequired = "tls-not-used-where-required",
        TlsUsedWhereNotAllowed = "tls-used-where-not-allowed",
        NoLineForUserOrDatabase = "no-line-for-user-or-database",
        RejectLine = "reject-line",
        WrongPassword = "wrong-password",
        PasswordMissing = "password-missing",
        ServerMethodNotScram = "server-method-not-scram",
        TlsNotUsed = "tls-not-used",
        ServerOlderThan17 = "server-older-than-17",
        NotPostgresEndpoint = "not-postgres-endpoint",
        ServerClosedConnection = "server-closed-connection",
        SslmodeBelowRequire = "sslmode-below-require",
        ProtocolRangesDisjoint = "protocol-ranges-disjoint",
        KeywordTooNew = "keyword-too-new",
        KeywordMisspelt = "keyword-misspelt",
        NothingListening = "nothing-listening",
        RoleDoesNotExist = "role-does-not-exist",
        DatabaseDoesNotExist = "database-does-not-exist",
        ClientWithoutSni = "client-without-sni",
        PoolerUserWithoutProjectRef = "pooler-user-without-project-ref",
        PoolerHostMistyped = "pooler-host-mistyped",
        DefaultRootFileUsed = "default-root-file-used",
        DriverVerifiesByDefault = "driver-verifies-by-default",
        IdleConnectionCut = "idle-connection-cut",
        ServerEndedSession = "server-ended-session",
        ClientBuiltWithoutSsl = "client-built-without-ssl",
        IamTokenRejected = "iam-token-rejected",
        OsUserNotDatabaseUser = "os-user-not-database-user",
        Ipv6OnlyEndpoint = "ipv6-only-endpoint",
        AtSignInHost = "at-sign-in-host",
        HostNameUnknown = "host-name-unknown",
        DnsUnavailable = "dns-unavailable",
        NoRouteToServer = "no-route-to-server",
        PacketsDropped = "packets-dropped",
        ConnectTimeoutTooShort = "connect-timeout-too-short",
        PoolerDropsPreparedStatements = "pooler-drops-prepared-statements",
        StatementNameReused = "statement-name-reused",
        ArgumentNotTakenByDriver = "argument-not-taken-by-driver",
        WordWithoutEquals = "word-without-equals",
        UriSchemeNotLibpqs = "uri-scheme-not-libpqs",
        QuoteNotClosed = "quote-not-closed",
        UriCharacterNotEncoded = "uri-character-not-encoded",
        Ipv6HostMalformed = "ipv6-host-malformed",
        QueryParameterMalformed = "query-parameter-malformed",
        OtherDriversParameter = "other-drivers-parameter",
        SettingValueNotAccepted = "setting-value-not-accepted",
        PortNotANumber = "port-not-a-number",
        CredentialsBeforeJdbcHost = "credentials-before-jdbc-host",
        NotAJdbcUrl = "not-a-jdbc-url",
        JdbcUrlSlashes = "jdbc-url-slashes",
        JdbcDriverNotLoaded = "jdbc-driver-not-loaded",
        PlaceholderNotFilled = "placeholder-not-filled",
        JdbcServiceUndefined = "jdbc-service-undefined",
        UrlGivenToNpgsql = "url-given-to-npgsql",
        NpgsqlKeywordUnknown = "npgsql-keyword-unknown",
        NpgsqlValueRefused = "npgsql-value-refused",
        NpgsqlValueNotQuoted = "npgsql-value-not-quoted",
        NpgsqlHostMissing = "npgsql-host-missing",
    }
);

impl Cause {
    /// The input the cause lies in.
    pub fn place(self) -> Place {
        use Cause::*;
        match self {
            ServerSslOff | ProtocolRangesDisjoint => Place::ServerSettings,
            CaDoesNotSignChain | CaFileHoldsIntermediate | OtherCaFileUsed | CaFileMissing
            | CaFileNotPem => Place::Ca,
            MissingIntermediate
            | ServerSelfSigned
            | ServerCertificateExpired
            | ServerCertificateNotYetValid
            | CommonNameOnly => Place::ServerCert,
            HostNotInCertificate
            | FileMissing
            | TlsNotUsed
            | SslmodeBelowRequire
            | KeywordTooNew
            | KeywordMisspelt
            | TlsNotUsedWhereRequired
            | PasswordMissing
            | WrongPassword
            | ServerOlderThan17 => Place::Dsn,
            ClientCertificateNotPem
            | ClientCertificateOtherCa
            | ClientCertificateExpired
            | ClientCertificateNotSent
            | CertificateNameNotUser => Place::Cert,
            KeyFileMissing
            | KeyFormatUnsupported
            | KeyReadableByOthers
            | KeyDoesNotMatchCertificate
            | PassphraseMissing
            | PassphraseWrong => Place::Key,
            TlsUsedWhereNotAllowed | NoLineForUserOrDatabase | RejectLine
            | ServerMethodNotScram => Place::PgHba,
            NotPostgresEndpoint | NothingListening | ServerClosedConnection => Place::Network,
            ClientWithoutSni | PoolerUserWithoutProjectRef | PoolerHostMistyped
            | DefaultRootFileUsed | DriverVerifiesByDefault | IamTokenRejected
            | OsUserNotDatabaseUser => Place::Dsn,
            IdleConnectionCut | Ipv6OnlyEndpoint | DnsUnavailable | NoRouteToServer
            | PacketsDropped => Place::Network,
            AtSignInHost | HostNameUnknown | ConnectTimeoutTooShort
            | PoolerDropsPreparedStatements
            | ArgumentNotTakenByDriver => Place::Dsn,
            WordWithoutEquals | UriSchemeNotLibpqs | QuoteNotClosed | UriCharacterNotEncoded
            | Ipv6HostMalformed | QueryParameterMalformed | OtherDriversParameter
            | SettingValueNotAccepted | PortNotANumber | CredentialsBeforeJdbcHost
            | NotAJdbcUrl | JdbcUrlSlashes | PlaceholderNotFilled | JdbcServiceUndefined
            | UrlGivenToNpgsql | NpgsqlKeywordUnknown | NpgsqlValueRefused | NpgsqlValueNotQuoted
            | NpgsqlHostMissing => Place::Dsn,
            JdbcDriverNotLoaded => Place::ClientLibrary,
            StatementNameReused => Place::ClientLibrary,
            ServerEndedSession => Place::ServerSettings,
            ClientBuiltWithoutSsl => Place::ClientLibrary,
            RoleDoesNotExist | DatabaseDoesNotExist => Place::ServerObjects,
        }
    }

    /// One sentence: what is wrong and what to change.
    pub fn explanation(self) -> &'static str {
        use Cause::*;
        match self {
            ServerSslOff => "The server answered the TLS request with \"no\": `ssl` is off in postgresql.conf, or a pooler or proxy in front of it does not offer TLS. Turn TLS on there (ssl = on with a certificate and key); lowering sslmode would send the password in the clear.",
            CaDoesNotSignChain => "The CA the client trusted (the CA file it was given, or, without one, its runtime's own list: Node's bundled roots, the JVM's cacerts, the system's) did not issue the server's certificate chain. Give the client the CA that issued it (the root of the chain the server sends).",
            MissingIntermediate => "The server sends its certificate without the intermediate CA between it and the root, so the chain cannot be built. Add the intermediate to the server's certificate file (ssl_cert_file, leaf first), or to the client's CA file.",
            CaFileHoldsIntermediate => "The CA file holds an intermediate CA but not the root above it; libpq (OpenSSL without partial chains) needs the root. Put the root in the CA file too.",
            ServerSelfSigned => "The server's certificate is self-signed: no CA issued it. Give that very certificate as the CA file, or better, issue the server a certificate from a CA and give the CA.",
            ServerCertificateExpired => "The server's certificate has expired. Renew it on the server (ssl_cert_file) and reload.",
            ServerCertificateNotYetValid => "The server's certificate is not valid yet (its notBefore is in the future, or the client's clock is behind).",
            OtherCaFileUsed => "The chain checks against the CA file pasted here, so the client read another file: check the path in sslrootcert (relative paths are read from the client's working directory, and the default is ~/.postgresql/root.crt).",
            HostNotInCertificate => "The host name in the connection string is not among the names in the server's certificate (its subjectAltName). Connect with a name the certificate holds, or have the certificate reissued with this name.",
            CommonNameOnly => "The server's certificate has no subjectAltName and names the host only in its Common Name, which Go (pgx) and other strict verifiers no longer read. Reissue it with the name in subjectAltName.",
            CaFileMissing => "The CA file the client was told to read is not there (sslrootcert, or libpq's default ~/.postgresql/root.crt when none is set). Give the path of the CA certificate.",
            CaFileNotPem => "The CA file is not a PEM certificate the client can read. Give it in PEM (`-----BEGIN CERTIFICATE-----`).",
            FileMissing => "A certificate or key file named in the connection string is not where the client looks. Check sslrootcert, sslcert and sslkey (relative paths are read from the client's working directory).",
            ClientCertificateNotPem => "The client certificate file is not in PEM. Convert it (`openssl x509 -inform DER -in client.der -out client.crt`).",
            KeyFileMissing => "A client certificate is given without its key (sslkey, default ~/.postgresql/postgresql.key).",
            KeyFormatUnsupported => "The driver cannot read the key in this format (pgjdbc before 42.7.9 reads only DER PKCS#8, `.pk8`). Convert it: `openssl pkcs8 -topk8 -inform PEM -outform DER -in client.key -out client.pk8 -nocrypt`.",
            KeyReadableByOthers => "The key file can be read by other users, so the client refuses it. `chmod 600` the key (0640 if root owns it).",
            KeyDoesNotMatchCertificate => "The client key is not the key of the client certificate. Give the key that was generated with that certificate's request.",
            PassphraseMissing => "The client key is encrypted and no passphrase was given (sslpassword; psql prompts for it). Give the passphrase, or decrypt the key into a file only you can read.",
            PassphraseWrong => "The passphrase given for the encrypted client key is wrong.",
            ClientCertificateOtherCa => "The client certificate was not issued by a CA the server trusts (its ssl_ca_file). Use a client certificate from that CA, or add its CA to ssl_ca_file.",
            ClientCertificateExpired => "The client certificate has expired. Issue a new one.",
            ClientCertificateNotSent => "The client sent no certificate: none is given (sslcert, default ~/.postgresql/postgresql.crt), or the driver did not send it because the server does not list its issuer.",
            CertificateNameNotUser => "The client certificate's Common Name is not the database user, and pg_hba.conf has no map between them. Connect as the user the certificate names, issue a certificate for this user, or add a `map=` in pg_hba.conf.",
            TlsNotUsedWhereRequired => "The client connected without TLS, and the server accepts this user only over TLS (its pg_hba.conf lines for them are `hostssl`, or a `hostnossl … reject` line refuses plain connections). Require TLS in the connection string.",
            TlsUsedWhereNotAllowed => "The client connected with TLS, and the server's matching lines are for connections without it (hostnossl). Add a hostssl line for this user and database on the server; do not turn TLS off.",
            NoLineForUserOrDatabase => "No pg_hba.conf line allows this host, user and database at all. Add one on the server (the role script's pg_hba line is a starting point).",
            RejectLine => "A `reject` line in pg_hba.conf matches this host, user and database first.",
            WrongPassword => "The password is wrong, or the role has none or it expired (VALID UNTIL); the server says which only in its log.",
            PasswordMissing => "The server asked for a password and the client had none (not in the string, PGPASSWORD or ~/.pgpass).",
            ServerMethodNotScram => "channel_binding=require needs SCRAM authentication, and the server's pg_hba line for this connection uses another method (trust, md5 or password). Make it scram-sha-256 on the server, or drop channel_binding=require.",
            TlsNotUsed => "channel_binding=require needs TLS, and the connection did not use it. Require TLS (sslmode=verify-full) in the connection string.",
            ServerOlderThan17 => "sslnegotiation=direct starts TLS at once, which only PostgreSQL 17 and later accept; an older server closes the connection. Remove sslnegotiation=direct (or upgrade the server).",
            NotPostgresEndpoint => "Something other than PostgreSQL answered on this port (a load balancer, a TLS proxy, another service), or the server stopped mid-handshake.",
            ServerClosedConnection => "The server closed the connection before it was set up; its log says why.",
            SslmodeBelowRequire => "sslnegotiation=direct needs sslmode=require or stronger.",
            ProtocolRangesDisjoint => "The client's and the server's TLS version ranges do not meet (ssl_min_protocol_version/ssl_max_protocol_version on either side). Widen one of them; TLS 1.2 and 1.3 are both safe.",
            KeywordTooNew => "The connection string uses a keyword this libpq is too old to know (sslcertmode and require_auth need 16, sslnegotiation 17). Upgrade the client library or drop the keyword.",
            KeywordMisspelt => "The connection string holds a keyword libpq does not know.",
            NothingListening => "Nothing accepts connections at this host and port: the server is down, listens elsewhere (listen_addresses, port), or a firewall rejects it.",
            RoleDoesNotExist => "The role the client logs in as does not exist on this server. Create it (the role script does), or correct `user`.",
            DatabaseDoesNotExist => "The database does not exist on this server. Correct `dbname`, or create it.",
            ClientWithoutSni => "Neon routes a connection by the host name the client sends in TLS (SNI); this client sent none (libpq before 14, some drivers). Upgrade the client, or name the endpoint in `options` (`endpoint=<endpoint id>`, the first label of the host name).",
            PoolerUserWithoutProjectRef => "Supabase's shared pooler (Supavisor) finds the project by the user name, which must be `<role>.<project-ref>` (for example `postgres.abcdefghijklmnop`); a bare role name is not found. Copy the user from the dashboard's Connect dialog.",
            DefaultRootFileUsed => "Under sslmode=require libpq (and pgx) still verify the server when a CA file exists at the default path (~/.postgresql/root.crt, %APPDATA%\\postgresql\\root.crt on Windows, or PGSSLROOTCERT), as they do under verify-ca: that file is not the server's CA. Name the server's CA in sslrootcert, or move the stray file away.",
            DriverVerifiesByDefault => "node-postgres reads sslmode=prefer, require and verify-ca as verify-full (pg-connection-string 2.x; `SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'`), so it checks the server against Node's bundled CA list, which a private or provider CA is not on. Give it the CA with sslrootcert.",
            IdleConnectionCut => "An established connection was cut: a load balancer, NAT gateway, firewall or pooler drops connections idle for a while. Use TCP keepalives (keepalives_idle=60 in libpq), a pool that tests connections before use, and retries.",
            ServerEndedSession => "The server ended the session: it restarted or failed over, a process ran out of memory, or idle_session_timeout / idle_in_transaction_session_timeout / pg_terminate_backend ended it. The server's log says which.",
            ClientBuiltWithoutSsl => "The client library was built without TLS support, so it cannot use any sslmode but disable. Install a build with OpenSSL (for pgAdmin, psql or a driver: the vendor's or distribution's package).",
            IamTokenRejected => "PAM authentication refused the password. On Amazon RDS and Aurora this is IAM authentication: the token expired (it lasts 15 minutes), was made for another user, host, port or region, the connection did not use TLS, or the role lacks rds_iam.",
            OsUserNotDatabaseUser => "peer/ident authentication compares the operating-system user with the database user, and they differ. Connect over TCP with a password (host=localhost) or map the names in pg_ident.conf.",
            Ipv6OnlyEndpoint => "The host has IPv6 addresses only (Supabase's direct host `db.<project-ref>.supabase.co` without the IPv4 add-on), and the network the client runs in has no IPv6 route (many hosted platforms, containers and CI runners), so the name does not resolve to an address it can use or the address cannot be reached. Connect through the provider's pooler host, which has IPv4 addresses, or enable IPv4 for the project.",
            AtSignInHost => "The host name holds an `@`, which no host name does. Most often the password in a URL holds an unencoded `@`: the client ended the user information at the first one and took the rest of the password and the real host for the host name; percent-encode every `@` in the password as `%40`. Or a `user@host` was given as the host (`psql -h app@db.example.com`): give the user separately (`user=`, `-U`). In a JDBC URL, pgjdbc reads no `user:password@` at all and takes it for part of the host name: give the user as `?user=` and the password as a property.",
            HostNameUnknown => "The resolver answered that the host name has no address: a typo, a name from another environment, or an instance that was deleted or renamed. Copy the host from the provider's dashboard or the server's configuration.",
            DnsUnavailable => "The resolver could not be asked or did not answer (a temporary failure, EAI_AGAIN): the machine, container or VPN has no working DNS server at the moment. Check its resolver settings (/etc/resolv.conf, the container's DNS) and retry; the host name itself may be fine.",
            NoRouteToServer => "The client's machine has no route to the server's address: a private address reachable only from inside its network (VPC, VPN, peering not set up), an address family the network lacks, or a network interface that is down.",
            PacketsDropped => "Nothing answered before the timeout: a firewall, security group or the provider's IP allow list drops the packets, the address is a private one not reachable from here, or the server is stopped. Check that the server accepts connections from this client's address.",
            ConnectTimeoutTooShort => "The connect timeout is shorter than the connection takes: a server far away, a serverless endpoint waking from suspension, or a busy pooler can need several seconds. Raise connect_timeout (10 seconds is common).",
            PoolerDropsPreparedStatements => "A transaction-mode pooler (PgBouncer, Supavisor) hands each transaction to any server connection, so a statement the driver prepared in one transaction is missing in the next (\"does not exist\"), or a name another client prepared is already taken (\"already exists\"). Tell the driver not to prepare statements (asyncpg `statement_cache_size=0`, pgx `default_query_exec_mode=exec`, pgjdbc `prepareThreshold=0`, Prisma `pgbouncer=true`), or connect in session mode.",
            StatementNameReused => "The code prepares a statement under a name the session already holds (PREPARE without DEALLOCATE, or two parts of the code sharing one connection). Deallocate it first, or give each statement its own name.",
            WordWithoutEquals => "libpq read the string as keyword/value settings and met a word with no `=` after it: a value holding a space that is not in single quotes (`application_name='my app'`; a password with a space is cut there and its rest read as a keyword), or a stray word. Quote the value in single quotes (a `'` or `\\` inside it escaped with `\\`).",
            UriSchemeNotLibpqs => "libpq reads a string as a URI only when it starts with `postgresql://` or `postgres://`; any other scheme (`jdbc:postgresql://`, SQLAlchemy's `postgresql+psycopg2://`, a misspelt `postgress://`) makes it read the whole URL as one keyword/value word. Give libpq the URL with the `postgresql://` scheme (and libpq's own parameters).",
            QuoteNotClosed => "A value opened with a single quote is never closed: libpq reads to the end of the string looking for the closing `'`. Close it, and escape a quote inside the value as `\\'`.",
            UriCharacterNotEncoded => "A part of the URI holds a character that must be percent-encoded: a `%` not followed by two hexadecimal digits (a literal `%` is `%25`), `%00`, or a space inside a part (`%20`). A password generated with symbols is the usual cause: percent-encode the whole password (`urllib.parse.quote(password, safe='')`, `encodeURIComponent`).",
            Ipv6HostMalformed => "An IPv6 host in a URI is written in square brackets, `[2001:db8::1]:5432`: the closing `]` is missing, the brackets are empty, or something other than `:port`, `,`, `/` or `?` follows them.",
            QueryParameterMalformed => "A URI query parameter is not one `keyword=value`: it has a second `=` (a value holding `=`, such as `options=-c x=y`, must encode it as `%3D`: `options=-c%20x%3Dy`), or none (`?require`, an empty `&&`).",
            OtherDriversParameter => "The parameter belongs to another driver, not libpq (Prisma's `schema`, `sslaccept`, `connection_limit`, `pgbouncer`; pgjdbc's `ssl`, `sslfactory`, `loggerLevel`; node-postgres's `uselibpqcompat`): libpq refuses every parameter it does not know. Remove it from the string libpq reads, or give each client its own string.",
            SettingValueNotAccepted => "libpq refused a setting's value before connecting: a word it does not know (`sslmode=requried`), a number that is not one, host, port and address lists of different lengths, or a combination it refuses (a weak sslmode with `sslrootcert=system` or `sslnegotiation=direct`). Write one of the values libpq accepts; a setting the string does not hold came from an environment variable (PGSSLMODE, PGCONNECT_TIMEOUT, PGTARGETSESSIONATTRS, …).",
            CredentialsBeforeJdbcHost => "The URL holds `user:password@` before the host, which a libpq URL may and a JDBC URL may not: pgjdbc reads the authority as `host:port` at its last `:`, so without a port after the host it takes `password@host` for the port and does not accept the URL (it logs `JDBC URL invalid port number: password@host` and throws `Unable to parse URL` with the whole URL, the password in both; HikariCP says `Driver org.postgresql.Driver claims to not accept jdbcUrl`). With a port it takes `user:password@host` for the host name, and the lookup fails with the password in its error. Give the user as `?user=` and the password as the `password` property or the pool's password setting, and drop the `user:password@`; a provider's `postgresql://` URL cannot become a JDBC URL by putting `jdbc:` in front of it. The log holds the password in clear (HikariCP masks only `password=` parameters): change the password once the URL is fixed.",
            NotAJdbcUrl => "pgjdbc takes only URLs that start with `jdbc:postgresql:`. A provider's `postgresql://user:password@host/db` is libpq's form, and a `${VARIABLE}` left in the URL was never filled in. Write `jdbc:postgresql://host:port/db?user=…` and give the password as the `password` property or the pool's password setting.",
            JdbcUrlSlashes => "pgjdbc takes exactly one `/` between the host list and the database, and no other before the `?`: it refuses a URL with more (`JDBC URL contains too many / characters`: a whole URL pasted where the host goes, `jdbc:postgresql://postgres://…`; a database name holding `/`; a trailing `/db/`) or with none (`JDBC URL must contain a / at the end of the host or port`: `jdbc:postgresql://host:5432?sslmode=require`), and a URL with a single `/` after `jdbc:postgresql:` (`jdbc:postgresql:/host/db`), which it refuses without a word. Write `jdbc:postgresql://host:port/database?…`, a `/` inside the database name as `%2F`.",
            PlaceholderNotFilled => "The string still holds a placeholder that was never filled in (`${DB_PORT}`, `<password>`, `YOUR_HOST`): an environment variable or application property not set where the program runs, an `.env` file not loaded, or single quotes that kept the shell from expanding it. Set the variable where the application runs, or write the value (pgjdbc reads no PGHOST or PGPORT from the environment).",
            JdbcServiceUndefined => "The URL names `service=…`, and no service file pgjdbc reads defines that service (`PGSERVICEFILE`, `~/.pg_service.conf`, `pg_service.conf` under `PGSYSCONFDIR`): pgjdbc logs `Definition of service [name] not found` and refuses the URL. Add the section to the service file where the application runs, or write the host, port and database in the URL.",
            UrlGivenToNpgsql => "Npgsql takes only `Key=Value;` pairs (`Host=…;Port=…;Database=…;Username=…;SSL Mode=…`), not a URL: it reads a `postgresql://` URL up to its first `=` as one keyword it does not know (`Couldn't set postgresql://…?sslmode`), or, without `=`, cannot read it at all (`Format of the initialization string…`). Write the settings as Npgsql's pairs (`check` on the URL with `--driver npgsql` writes them), the password as `Password=`.",
            NpgsqlKeywordUnknown => "A key of the string is no keyword of Npgsql's (a libpq name such as `sslmode` or `sslrootcert`, a misspelling, or the rest of a value an unquoted `;` cut). Npgsql wraps it as `Couldn't set <key>`. Use Npgsql's keyword (`SSL Mode`, `Root Certificate`, `Username`…), or quote a value that holds `;`.",
            NpgsqlValueRefused => "Npgsql knows the keyword but not its value (`Couldn't set <key>` wrapping the conversion's or setter's error): a word where a number or `true`/`false` goes, an enum value it does not have (`SSL Mode=verify-full`; Npgsql's are `Disable`, `Allow`, `Prefer`, `Require`, `VerifyCA`, `VerifyFull`), a `Timeout` above 1024, a port of 0. Write a value Npgsql takes.",
            NpgsqlValueNotQuoted => "The string could not be split into `Key=Value;` pairs at the position .NET names: a value holding `;` or `=` that is not in double quotes, or a quote that is not closed. Enclose such a value (a password, most often) in double quotes, doubling any `\"` inside it.",
            NpgsqlHostMissing => "The connection string Npgsql got names no `Host`: it was empty (a configuration key such as `ConnectionStrings:Default` not found where the program runs), a placeholder resolved to nothing (`Host=${{Postgres.PGHOST}}` naming a service of another name), or a URL was given, which Npgsql reads as one unknown key. Give `Host=` (for a Unix socket, its directory).",
            JdbcDriverNotLoaded => "No JDBC driver that was loaded accepts the URL, and the URL is well-formed for pgjdbc: pgjdbc is not on the classpath (the `org.postgresql:postgresql` dependency missing, or scoped to tests), or an application server or a shaded jar lost its `META-INF/services/java.sql.Driver` entry. Add the dependency, or name the driver class (`org.postgresql.Driver`) to the pool.",
            PortNotANumber => "The port is not a number from 1 to 65535. In a URI a password holding an unencoded `/`, `?` or `#` ends the user information early, so libpq reads `user:<start of the password>` as `host:port` and the port is a piece of the password; percent-encode the password (`/` as `%2F`). Otherwise write the port as a number (5432 unless the server listens elsewhere), or, for libpq, check PGPORT.",
            ArgumentNotTakenByDriver => "SQLAlchemy passes every query parameter of the URL to the driver's connect() as a keyword argument, and the driver has none of this name: `sslmode` is libpq's name, which asyncpg calls `ssl`. Rename the parameter, or remove it from the URL and pass it in connect_args.",
            PoolerHostMistyped => "The pooler host does not belong to the project's cluster (the `aws-N-<region>` prefix is a cluster index that cannot be worked out from the region). Copy the host from the dashboard's Connect dialog.",
        }
    }
}

impl Failure {
    /// The causes to consider before looking at any input, most likely first.
    pub fn candidates(self) -> &'static [Cause] {
        use Cause::*;
        match self {
            Failure::ServerWithoutTls => &[ServerSslOff],
            Failure::ServerCertificateUntrusted => &[
                DefaultRootFileUsed,
                DriverVerifiesByDefault,
                CaDoesNotSignChain,
                MissingIntermediate,
                ServerSelfSigned,
                ServerCertificateExpired,
                CaFileHoldsIntermediate,
                ServerCertificateNotYetValid,
                OtherCaFileUsed,
                // Only where the message says so: .NET's RemoteCertificateNameMismatch.
                HostNotInCertificate,
            ],
            Failure::HostNameMismatch => &[HostNotInCertificate, CommonNameOnly],
            Failure::RootFileMissing => &[CaFileMissing],
            Failure::RootFileUnreadable => &[CaFileNotPem],
            Failure::MaterialFileMissing => &[FileMissing],
            Failure::ClientCertificateUnreadable => &[ClientCertificateNotPem],
            Failure::ClientKeyMissing => &[KeyFileMissing],
            Failure::ClientKeyUnreadable => &[KeyFormatUnsupported],
            Failure::ClientKeyPermissions => &[KeyReadableByOthers],
            Failure::ClientKeyMismatch => &[KeyDoesNotMatchCertificate],
            Failure::ClientKeyPassphrase => &[PassphraseMissing, PassphraseWrong],
            Failure::ClientCertificateRejected => {
                &[ClientCertificateOtherCa, ClientCertificateExpired]
            }
            Failure::ClientCertificateRequired => {
                &[ClientCertificateNotSent, ClientCertificateOtherCa]
            }
            Failure::CertificateUserMismatch => &[CertificateNameNotUser],
            Failure::NoHbaEntry => &[
                TlsNotUsedWhereRequired,
                TlsUsedWhereNotAllowed,
                NoLineForUserOrDatabase,
            ],
            Failure::HbaRejects => &[TlsNotUsedWhereRequired, RejectLine],
            Failure::PasswordRefused => &[WrongPassword],
            Failure::NoPassword => &[PasswordMissing],
            Failure::ChannelBindingWithoutTls => &[TlsNotUsed],
            Failure::ChannelBindingNotOffered => &[ServerMethodNotScram],
            Failure::ConnectionClosedInHandshake => {
                &[NotPostgresEndpoint, ServerClosedConnection]
            }
            Failure::DirectTlsUnsupported => &[ServerOlderThan17],
            Failure::WeakSslmodeWithDirect => &[SslmodeBelowRequire],
            Failure::ProtocolVersionMismatch => &[ProtocolRangesDisjoint],
            Failure::UnknownOption => &[
                UriSchemeNotLibpqs,
                KeywordTooNew,
                OtherDriversParameter,
                KeywordMisspelt,
            ],
            Failure::ConnectionRefused => &[NothingListening],
            Failure::RoleMissing => &[RoleDoesNotExist],
            Failure::DatabaseMissing => &[DatabaseDoesNotExist],
            Failure::ServiceRequiresTls => &[TlsNotUsedWhereRequired],
            Failure::ConnectionDropped => &[IdleConnectionCut, ServerEndedSession],
            Failure::UnexpectedSslAnswer => &[NotPostgresEndpoint, ServerClosedConnection],
            Failure::ClientWithoutSsl => &[ClientBuiltWithoutSsl],
            Failure::PamAuthFailed => &[IamTokenRejected],
            Failure::PeerAuthFailed => &[OsUserNotDatabaseUser],
            Failure::ConnectionAttemptFailed => &[
                KeyDoesNotMatchCertificate,
                ClientCertificateOtherCa,
                ServerClosedConnection,
                NothingListening,
            ],
            Failure::EndpointNotSpecified => &[ClientWithoutSni],
            Failure::PoolerTenantUnknown => &[PoolerUserWithoutProjectRef, PoolerHostMistyped],
            Failure::HostNotFound => &[
                CredentialsBeforeJdbcHost,
                AtSignInHost,
                Ipv6OnlyEndpoint,
                HostNameUnknown,
                DnsUnavailable,
            ],
            Failure::NetworkUnreachable => &[Ipv6OnlyEndpoint, NoRouteToServer],
            Failure::ConnectTimeout => &[PacketsDropped, ConnectTimeoutTooShort],
            Failure::PreparedStatementConflict => {
                &[PoolerDropsPreparedStatements, StatementNameReused]
            }
            Failure::DriverArgumentRejected => &[ArgumentNotTakenByDriver],
            // One row, one cause (the message names it), but for `missing "=" after`, whose
            // quoted word tells a URL libpq does not take from a stray word.
            Failure::ConnectionStringUnreadable => &[
                UriSchemeNotLibpqs,
                WordWithoutEquals,
                QuoteNotClosed,
                UriCharacterNotEncoded,
                Ipv6HostMalformed,
                QueryParameterMalformed,
            ],
            Failure::SettingValueInvalid => &[PortNotANumber, SettingValueNotAccepted],
            Failure::DriverUrlRejected => &[
                NotAJdbcUrl,
                PlaceholderNotFilled,
                // pgjdbc counts the `/` before it reads a port: a whole URL pasted as the
                // host shows both, and the `/` is what it refused.
                JdbcUrlSlashes,
                CredentialsBeforeJdbcHost,
                PortNotANumber,
                UriCharacterNotEncoded,
                JdbcServiceUndefined,
                JdbcDriverNotLoaded,
            ],
            Failure::DriverNotFound => &[JdbcDriverNotLoaded],
            Failure::DriverStringRejected => &[
                UrlGivenToNpgsql,
                NpgsqlKeywordUnknown,
                NpgsqlValueRefused,
                NpgsqlValueNotQuoted,
                NpgsqlHostMissing,
            ],
        }
    }

    /// The failure in a few words, for a heading.
    pub fn title(self) -> &'static str {
        match self {
            Failure::ServerWithoutTls => "The server does not offer TLS",
            Failure::ServerCertificateUntrusted => "The server's certificate was not trusted",
            Failure::HostNameMismatch => "The server's certificate does not name the host",
            Failure::RootFileMissing => "The CA file is missing",
            Failure::RootFileUnreadable => "The CA file cannot be read",
            Failure::MaterialFileMissing => "A certificate or key file is missing",
            Failure::ClientCertificateUnreadable => "The client certificate cannot be read",
            Failure::ClientKeyMissing => "The client key is missing",
            Failure::ClientKeyUnreadable => "The client key cannot be read",
            Failure::ClientKeyPermissions => "The client key file is readable by others",
            Failure::ClientKeyMismatch => "The client key does not match the certificate",
            Failure::ClientKeyPassphrase => "The encrypted client key could not be opened",
            Failure::ClientCertificateRejected => "The server rejected the client certificate",
            Failure::ClientCertificateRequired => "The server requires a client certificate",
            Failure::CertificateUserMismatch => "The client certificate is not for this user",
            Failure::NoHbaEntry => "No pg_hba.conf line allows this connection",
            Failure::HbaRejects => "pg_hba.conf rejects this connection",
            Failure::PasswordRefused => "The password was refused",
            Failure::NoPassword => "No password was given",
            Failure::ChannelBindingWithoutTls => "Channel binding required without TLS",
            Failure::ChannelBindingNotOffered => "The server did not use channel binding",
            Failure::ConnectionClosedInHandshake => "The connection closed during the TLS handshake",
            Failure::DirectTlsUnsupported => "The server does not accept direct TLS",
            Failure::WeakSslmodeWithDirect => "sslnegotiation=direct with a weak sslmode",
            Failure::ProtocolVersionMismatch => "No TLS version both sides accept",
            Failure::UnknownOption => "A keyword the client does not know",
            Failure::ConnectionRefused => "Connection refused",
            Failure::RoleMissing => "The role does not exist",
            Failure::DatabaseMissing => "The database does not exist",
            Failure::ServiceRequiresTls => "The service requires TLS",
            Failure::ConnectionAttemptFailed => "The connection attempt failed",
            Failure::ConnectionDropped => "An established connection was dropped",
            Failure::UnexpectedSslAnswer => "The server's answer to the TLS request was not PostgreSQL's",
            Failure::ClientWithoutSsl => "The client library has no TLS support",
            Failure::PamAuthFailed => "PAM authentication failed",
            Failure::PeerAuthFailed => "peer or ident authentication failed",
            Failure::EndpointNotSpecified => "Neon could not tell which endpoint to connect to",
            Failure::PoolerTenantUnknown => "Supabase's pooler did not find the project",
            Failure::HostNotFound => "The host name could not be resolved",
            Failure::NetworkUnreachable => "The server's address cannot be reached from this network",
            Failure::ConnectTimeout => "The connection attempt timed out",
            Failure::PreparedStatementConflict => "A prepared statement is missing or already taken",
            Failure::DriverArgumentRejected => "The driver does not take a connection argument",
            Failure::ConnectionStringUnreadable => "libpq could not read the connection string",
            Failure::SettingValueInvalid => "libpq refused a setting's value",
            Failure::DriverUrlRejected => "The driver did not accept the URL",
            Failure::DriverNotFound => "The JDBC driver was not found",
            Failure::DriverStringRejected => "The driver could not read the connection string",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{super::table::Client, Place};

    /// The place of a cause in the client's own terms where it names the file otherwise
    /// (a driver expert saw Prisma told about `sslrootcert`).
    #[test]
    fn places_are_named_in_the_clients_terms() {
        assert_eq!(Place::Ca.label_for(Client::Prisma), "the CA file (Prisma's `sslcert`)");
        assert_eq!(Place::Key.label_for(Client::Npgsql), "the client key (Npgsql's `SSL Key`)");
        assert_eq!(Place::Ca.label_for(Client::Psql), "the CA file (sslrootcert)");
        assert_eq!(Place::Dsn.label_for(Client::Prisma), "the connection string");
    }
}
