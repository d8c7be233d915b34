//! The message table: per client, each message's text with `{placeholder}`s where it names a
//! value, the failure it means, and where it was read. Every row was checked against the
//! client's own source (docs/research/client-messages-verified.md lists the check behind each,
//! with the version read); `Evidence::Reproduced` rows are also produced by the real client in
//! tests/explain (PostgreSQL 15 servers in each failure configuration), and libpq's rejections
//! of the string by libpq 18.6 itself in tests/libpq/explain.py.

use super::failure::{Cause, Failure};

/// Who writes a message (or wraps it: psql and psycopg show libpq's text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    Libpq,
    Psql,
    Psycopg,
    Psycopg2,
    /// The PostgreSQL server's `FATAL`, which every client shows.
    Server,
    Pgjdbc,
    NodePostgres,
    Asyncpg,
    Npgsql,
    Pgx,
    /// Go's lib/pq.
    GoLibpq,
    Prisma,
    /// A managed service's own text (its proxy or pooler speaks before PostgreSQL does).
    ManagedService,
}

impl Client {
    /// The clients that show libpq's own messages.
    pub fn shows_libpq_text(self) -> bool {
        matches!(
            self,
            Client::Libpq | Client::Psql | Client::Psycopg | Client::Psycopg2
        )
    }
}

/// How a row is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// Produced by the real client against a local PostgreSQL 15 (tests/explain), or, for
    /// libpq's own checks of the string, by the real libpq 18.6 (tests/libpq/explain.py).
    Reproduced,
    /// Read in the client's source; the client does not run here (Npgsql, pgx) or the
    /// configuration cannot be made with PostgreSQL 15.
    ReadInSource,
}

/// One message.
#[derive(Debug, Clone, Copy)]
pub struct Message {
    pub client: Client,
    /// The text, `{placeholder}` where the message has a value. Matched anywhere in a line.
    pub pattern: &'static str,
    pub failure: Failure,
    /// The cause the message itself names, when it is more specific than its failure (Node's
    /// `certificate has expired`).
    pub names_cause: Option<Cause>,
    /// A message that other, more specific rows refine on the same line (`certificate verify
    /// failed`, which CPython follows with the reason): dropped when one of them matches too.
    pub generic: bool,
    /// An after-effect (`connection was closed in the middle of operation`, `server closed the
    /// connection unexpectedly`): dropped when the paste holds any other message, which is
    /// then the cause.
    pub consequence: bool,
    pub evidence: Evidence,
    /// File and line in the version read.
    pub source: &'static str,
}

const fn row(
    client: Client,
    pattern: &'static str,
    failure: Failure,
    evidence: Evidence,
    source: &'static str,
) -> Message {
    Message {
        client,
        pattern,
        failure,
        names_cause: None,
        generic: false,
        consequence: false,
        evidence,
        source,
    }
}

const fn naming(mut message: Message, cause: Cause) -> Message {
    message.names_cause = Some(cause);
    message
}

const fn generic(mut message: Message) -> Message {
    message.generic = true;
    message
}

const fn consequence(mut message: Message) -> Message {
    message.consequence = true;
    message
}

use Client::*;
use Evidence::*;
use Failure as F;

pub static MESSAGES: &[Message] = &[
    // ---- libpq 15–18 (src/interfaces/libpq/), line numbers from 18.6 ----
    row(Libpq, "server does not support SSL, but SSL was required", F::ServerWithoutTls, Reproduced,
        "libpq 18.6 fe-connect.c:3812 (15.18 :3068)"),
    generic(row(Libpq, "SSL error: certificate verify failed", F::ServerCertificateUntrusted, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1425 (`SSL error: %s`, OpenSSL's reason only); OpenSSL 3.0.20 ssl/ssl_err.c:83")),
    row(Libpq, r#"server certificate for "{name}" (and {count} other name"#, F::HostNameMismatch, Reproduced,
        "libpq 18.6 fe-secure-common.c:286-287"),
    row(Libpq, r#"server certificate for "{name}" does not match host name "{host}""#, F::HostNameMismatch, Reproduced,
        "libpq 18.6 fe-secure-common.c:294"),
    row(Libpq, "could not get server's host name from server certificate", F::HostNameMismatch, ReadInSource,
        "libpq 18.6 fe-secure-common.c:299 (15.18 :307)"),
    row(Libpq, r#"root certificate file "{file}" does not exist"#, F::RootFileMissing, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:996-997 (15.18 :1112-1113; the hint after it changed in 16)"),
    row(Libpq, "could not get home directory to locate root certificate file", F::RootFileMissing, ReadInSource,
        "libpq 18.6 fe-secure-openssl.c:1003"),
    row(Libpq, r#"could not read root certificate file "{file}": {reason}"#, F::RootFileUnreadable, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:941 (15.18 :1055); `no certificate or crl found` OpenSSL 3.0.20 crypto/x509/x509_err.c:59"),
    row(Libpq, r#"could not open certificate file "{file}": {reason}"#, F::ClientCertificateUnreadable, ReadInSource,
        "libpq 18.6 fe-secure-openssl.c:1031 (15.18 :1143)"),
    row(Libpq, r#"could not read certificate file "{file}": {reason}"#, F::ClientCertificateUnreadable, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1049 (15.18 :1162); `no start line` OpenSSL 3.0.20 crypto/pem/pem_err.c:47"),
    row(Libpq, r#"certificate present, but not private key file "{file}""#, F::ClientKeyMissing, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1258 (15.18 :1348)"),
    row(Libpq, r#"private key file "{file}" has group or world access"#, F::ClientKeyPermissions, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1302 (15.18 :1394)"),
    row(Libpq, r#"could not load private key file "{file}": key values mismatch"#, F::ClientKeyMismatch, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1326; OpenSSL 3.0.20 crypto/x509/x509_err.c:48"),
    row(Libpq, r#"certificate does not match private key file "{file}": {reason}"#, F::ClientKeyMismatch, ReadInSource,
        "libpq 18.6 fe-secure-openssl.c:1342"),
    naming(row(Libpq, r#"could not load private key file "{file}": bad decrypt"#, F::ClientKeyPassphrase, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1326; OpenSSL 3.0.20 crypto/pem/pem_err.c:19"), Cause::PassphraseWrong),
    row(Libpq, r#"could not load private key file "{file}": processing error"#, F::ClientKeyPassphrase, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1326; OpenSSL 3.0.20 crypto/ui/ui_err.c:23"),
    row(Libpq, "SSL error: tlsv1 alert unknown ca", F::ClientCertificateRejected, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1425; OpenSSL 3.0.20 ssl/ssl_err.c:469"),
    row(Libpq, "tlsv1 alert protocol version", F::ProtocolVersionMismatch, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1425 and :1456; OpenSSL 3.0.20 ssl/ssl_err.c:465"),
    row(Libpq, "SSL SYSCALL error: EOF detected", F::ConnectionClosedInHandshake, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1417 (the wording depends on the OpenSSL build)"),
    row(Libpq, "SSL error: unexpected eof while reading", F::ConnectionClosedInHandshake, Reproduced,
        "libpq 18.6 fe-secure-openssl.c:1425; OpenSSL 3.0.20 ssl/ssl_err.c:507"),
    row(Libpq, "direct SSL connection was established without ALPN protocol negotiation extension", F::ConnectionClosedInHandshake, ReadInSource,
        "libpq 18.6 fe-secure-openssl.c:1488 (17+)"),
    row(Libpq, r#"weak sslmode "{sslmode}" may not be used with sslnegotiation=direct"#, F::WeakSslmodeWithDirect, ReadInSource,
        "libpq 18.6 fe-connect.c:1849 (17+)"),
    row(Libpq, r#"invalid connection option "{keyword}""#, F::UnknownOption, Reproduced,
        "libpq 18.6 fe-connect.c:5894 (15.18 :5234)"),
    // libpq's own reading of the string (fe-connect.c, PQconninfoParse and PQconnectdb): each
    // text as libpq 18.6 writes it, produced by the real library in tests/libpq/explain.py,
    // which also feeds it to explain-error with the string. Line numbers are not given: the
    // 18.6 source was not at hand, so each row names the function that writes the text. A
    // `{piece}` is a piece of the string libpq quotes back (a password's, perhaps), shown
    // masked (`mod.rs`, `shown_captures`).
    naming(row(Libpq, r#"missing "=" after "{piece}" in connection info string"#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_parse (the word is quoted as written: a URL with a scheme libpq does not take, or a password's text after an unquoted space)"), Cause::WordWithoutEquals),
    naming(row(Libpq, "unterminated quoted string in connection info string", F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_parse"), Cause::QuoteNotClosed),
    naming(row(Libpq, r#"invalid percent-encoded token: "{piece}""#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_decode (quotes the whole URI part: the password, when it is the password's)"), Cause::UriCharacterNotEncoded),
    naming(row(Libpq, r#"forbidden value %00 in percent-encoded value: "{piece}""#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_decode"), Cause::UriCharacterNotEncoded),
    naming(row(Libpq, r#"unexpected spaces found in "{piece}", use percent-encoded spaces (%20) instead"#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_decode"), Cause::UriCharacterNotEncoded),
    naming(row(Libpq, r#"end of string reached when looking for matching "]" in IPv6 host address in URI: "{piece}""#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_parse_options (quotes the whole URI)"), Cause::Ipv6HostMalformed),
    naming(row(Libpq, r#"IPv6 host address may not be empty in URI: "{piece}""#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_parse_options"), Cause::Ipv6HostMalformed),
    naming(row(Libpq, r#"unexpected character "{character}" at position {position} in URI (expected ":" or "/"): "{piece}""#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_parse_options"), Cause::Ipv6HostMalformed),
    naming(row(Libpq, r#"extra key/value separator "=" in URI query parameter: "{keyword}""#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_parse_params"), Cause::QueryParameterMalformed),
    naming(row(Libpq, r#"missing key/value separator "=" in URI query parameter: "{keyword}""#, F::ConnectionStringUnreadable, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_parse_params"), Cause::QueryParameterMalformed),
    row(Libpq, r#"invalid URI query parameter: "{keyword}""#, F::UnknownOption, Reproduced,
        "libpq 18.6 fe-connect.c conninfo_uri_parse_params"),
    // The value checks libpq makes when it connects (pqConnectOptions2, then per host in
    // PQconnectPoll), before any packet is sent. A port that is no number is most often a
    // password piece (`postgresql://app:pa/ss@db`), so it is a `{piece}`; this row comes
    // before the general integer row, which matches the same text.
    naming(row(Libpq, r#"invalid integer value "{piece}" for connection option "port""#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c parse_int_param (called for each port in PQconnectPoll)"), Cause::PortNotANumber),
    naming(row(Libpq, r#"invalid port number: "{piece}""#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c PQconnectPoll (a number outside 1-65535)"), Cause::PortNotANumber),
    naming(row(Libpq, r#"invalid integer value "{value}" for connection option "{keyword}""#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c parse_int_param (connect_timeout, keepalives…)"), Cause::SettingValueNotAccepted),
    // Quoted keyword first: the unquoted row matches the same text with the quotes captured.
    naming(row(Libpq, r#"invalid "{keyword}" value: "{value}""#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2 (ssl_min_protocol_version, ssl_max_protocol_version)"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, r#"invalid {keyword} value: "{value}""#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2 (`invalid %s value: \"%s\"`: sslmode, channel_binding, sslnegotiation, sslcertmode, gssencmode, require_auth, target_session_attrs, load_balance_hosts, min_protocol_version)"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, "invalid SSL protocol version range", F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, r#"weak sslmode "{sslmode}" may not be used with sslrootcert=system"#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2 (16+)"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, "could not match {count} port numbers to {hosts} hosts", F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, "could not match {count} host names to {addresses} hostaddr values", F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, r#"could not parse network address "{address}": {reason}"#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c PQconnectPoll (hostaddr, getaddrinfo with AI_NUMERICHOST)"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, r#"require_auth method "{method}" is specified more than once"#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2"), Cause::SettingValueNotAccepted),
    // Also the start of `negative require_auth method "…" cannot be mixed with non-negative
    // methods`.
    naming(row(Libpq, r#"require_auth method "{method}" cannot be mixed with"#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2"), Cause::SettingValueNotAccepted),
    // Also the start of `invalid SCRAM client key length: %d`.
    naming(row(Libpq, "invalid SCRAM {which} key", F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2 (scram_client_key, scram_server_key)"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, r#""min_protocol_version" is greater than "max_protocol_version""#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c pqConnectOptions2 (18+)"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, r#"Unix-domain socket path "{path}" is too long (maximum {max} bytes)"#, F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c PQconnectPoll (UNIXSOCK_PATH_BUFLEN)"), Cause::SettingValueNotAccepted),
    naming(row(Libpq, "GSSAPI encryption required but it is not supported over a local socket", F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c PQconnectPoll (gssencmode=require with a Unix-domain socket)"), Cause::SettingValueNotAccepted),
    // The kernel refusing a keepalive setting libpq passes on (Linux: keepalives_idle and
    // keepalives_interval from 1 to 32767, keepalives_count from 1 to 127).
    naming(row(Libpq, "setsockopt({option}) failed: Invalid argument", F::SettingValueInvalid, Reproduced,
        "libpq 18.6 fe-connect.c setKeepalivesIdle, setKeepalivesInterval, setKeepalivesCount (`setsockopt(%s) failed: %s`, strerror(EINVAL))"), Cause::SettingValueNotAccepted),
    row(Libpq, "channel binding required, but SSL not in use", F::ChannelBindingWithoutTls, Reproduced,
        "libpq 18.6 fe-auth.c:449 (15.18 :433)"),
    row(Libpq, "channel binding required, but server authenticated client without channel binding", F::ChannelBindingNotOffered, Reproduced,
        "libpq 18.6 fe-auth.c:1036 (15.18 :868)"),
    row(Libpq, "channel binding required but not supported by server's authentication request", F::ChannelBindingNotOffered, Reproduced,
        "libpq 18.6 fe-auth.c:1041 (15.18 :874)"),
    row(Libpq, "fe_sendauth: no password supplied", F::NoPassword, Reproduced,
        "libpq 18.6 libpq-fe.h:633 (PQnoPasswordSupplied)"),
    row(Libpq, "Connection refused", F::ConnectionRefused, Reproduced,
        "libpq 18.6 fe-connect.c:2466-2472 (the operating system's text and libpq's hint)"),
    // Name resolution, routes and timeouts: libpq adds the resolver's or the kernel's own text
    // (glibc gai_strerror and strerror here; FreeBSD's libc says `hostname nor servname
    // provided, or not known` for EAI_NONAME, macOS `nodename …`: the reason is captured as is).
    row(Libpq, r#"could not translate host name "{host}" to address: {reason}"#, F::HostNotFound, Reproduced,
        "libpq 18.6 fe-connect.c PQconnectPoll CHT_HOST_NAME (`could not translate host name \"%s\" to address: %s`, gai_strerror); psql 15.18 here: `Name or service not known` (EAI_NONAME), `Temporary failure in name resolution` (EAI_AGAIN, no DNS server)"),
    row(Libpq, r#"connection to server at "{host}" ({address}), port {port} failed: Network is unreachable"#, F::NetworkUnreachable, Reproduced,
        "libpq 18.6 fe-connect.c:2466-2472 (the prefix of fe-connect.c:2441 and strerror(ENETUNREACH)); psql 15.18 here, an IPv6 address without an IPv6 route"),
    row(Libpq, r#"connection to server at "{address}", port {port} failed: Network is unreachable"#, F::NetworkUnreachable, ReadInSource,
        "libpq 18.6 fe-connect.c:2441 (the prefix without a resolved address: the host is an address, or hostaddr is set) and :2466-2472"),
    row(Libpq, "Network is unreachable", F::NetworkUnreachable, Reproduced,
        "libpq 18.6 fe-connect.c:2466-2472 (strerror(ENETUNREACH), also CPython's `OSError: [Errno 101]`); psql 15.18 here"),
    row(Libpq, "No route to host", F::NetworkUnreachable, Reproduced,
        "libpq 18.6 fe-connect.c:2466-2472 (strerror(EHOSTUNREACH)); psql 15.18 here, an IPv6 address the router refused"),
    row(Libpq, "failed: timeout expired", F::ConnectTimeout, Reproduced,
        "libpq 18.6 fe-misc.c pqWaitTimed (`timeout expired`, under connect_timeout); psql 15.18 here, a server that accepted and never answered"),
    consequence(row(Libpq, "server closed the connection unexpectedly", F::ConnectionClosedInHandshake, ReadInSource,
        "libpq 18.6 fe-misc.c:833-835")),
    generic(row(Libpq, "SSL SYSCALL error: {reason}", F::ConnectionClosedInHandshake, ReadInSource,
        "libpq 18.6 fe-secure-openssl.c:1414 (`Success`, `Connection reset by peer`, `Operation timed out`)")),
    consequence(row(Libpq, "SSL connection has been closed unexpectedly", F::ConnectionDropped, ReadInSource,
        "libpq 18.6 fe-secure-openssl.c:216, :352")),
    row(Libpq, "server sent an error response during SSL exchange", F::UnexpectedSslAnswer, ReadInSource,
        "libpq 18.6 fe-connect.c:3822 (15.18 :3086)"),
    row(Libpq, "received invalid response to SSL negotiation: {answer}", F::UnexpectedSslAnswer, ReadInSource,
        "libpq 18.6 fe-connect.c:3827 (15.18 :3092; `H` is an HTTP server answering)"),
    row(Libpq, r#"value "{sslmode}" invalid when SSL support is not compiled in"#, F::ClientWithoutSsl, ReadInSource,
        "libpq 18.6 fe-connect.c:1758 (15.18 :1319, `sslmode value \"%s\" invalid when SSL support is not compiled in`)"),
    // ---- the server's FATALs (PostgreSQL 16.13 src/backend/libpq/auth.c; 15.18 lines in brackets) ----
    row(Server, r#"no pg_hba.conf entry for host "{host}", user "{user}", database "{database}", {encryption}"#, F::NoHbaEntry, Reproduced,
        "PostgreSQL 16.13 auth.c:546 (15.18 :547)"),
    row(Server, r#"pg_hba.conf rejects connection for host "{host}", user "{user}", database "{database}", {encryption}"#, F::HbaRejects, Reproduced,
        "PostgreSQL 16.13 auth.c:478 (15.18 :479)"),
    row(Server, r#"password authentication failed for user "{user}""#, F::PasswordRefused, Reproduced,
        "PostgreSQL 16.13 auth.c:293 (15.18 :297)"),
    row(Server, r#"certificate authentication failed for user "{user}""#, F::CertificateUserMismatch, Reproduced,
        "PostgreSQL 16.13 auth.c:313 (15.18 :317)"),
    row(Server, "connection requires a valid client certificate", F::ClientCertificateRequired, Reproduced,
        "PostgreSQL 16.13 auth.c:429 (15.18 :430)"),
    row(Server, r#"PAM authentication failed for user "{user}""#, F::PamAuthFailed, ReadInSource,
        "PostgreSQL 16.13 auth.c:304"),
    row(Server, r#"Peer authentication failed for user "{user}""#, F::PeerAuthFailed, ReadInSource,
        "PostgreSQL 16.13 auth.c:288"),
    row(Server, r#"Ident authentication failed for user "{user}""#, F::PeerAuthFailed, ReadInSource,
        "PostgreSQL 16.13 auth.c:285"),
    row(Server, r#"role "{user}" does not exist"#, F::RoleMissing, Reproduced,
        "PostgreSQL 16.13 utils/init/miscinit.c:801 (15.18 :770)"),
    row(Server, r#"database "{database}" does not exist"#, F::DatabaseMissing, Reproduced,
        "PostgreSQL 16.13 utils/init/postinit.c:1023 (15.18 :950)"),
    // A transaction-mode pooler's symptom: a statement prepared on one server connection is
    // used or prepared again on another (pgx prints `ERROR: … (SQLSTATE 42P05)`).
    row(Server, r#"prepared statement "{name}" already exists"#, F::PreparedStatementConflict, Reproduced,
        "PostgreSQL 15.18 commands/prepare.c StorePreparedStatement (42P05); psql 15.18 here"),
    row(Server, r#"prepared statement "{name}" does not exist"#, F::PreparedStatementConflict, Reproduced,
        "PostgreSQL 15.18 commands/prepare.c FetchPreparedStatement (26000); psql 15.18 here"),
    // psycopg 3 resolves the host itself before libpq connects.
    row(Psycopg, "failed to resolve host '{host}': {reason}", F::HostNotFound, Reproduced,
        "psycopg 3.3.9 _conninfo_attempts.py:48 (CPython's socket.gaierror after it; tests/explain host-name-unknown)"),
    // ---- pgjdbc (pgjdbc/pgjdbc@3a699d57, 42.7.13; Debian's jar in tests/explain) ----
    row(Pgjdbc, "The server does not support SSL.", F::ServerWithoutTls, Reproduced,
        "pgjdbc 42.7.13 core/v3/ConnectionFactoryImpl.java:703"),
    row(Pgjdbc, "PKIX path building failed", F::ServerCertificateUntrusted, Reproduced,
        "pgjdbc 42.7.13 ssl/MakeSSL.java:53 (`SSL error: {0}`); OpenJDK 17.0.19 sun/security/validator/PKIXValidator.java"),
    row(Pgjdbc, "PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed", F::ServerCertificateUntrusted, Reproduced,
        "pgjdbc 42.7.13 ssl/MakeSSL.java:53; OpenJDK 17.0.19 PKIXValidator.java:369"),
    // The `Caused by:` lines of the same exception say which date failed.
    naming(row(Pgjdbc, "java.security.cert.CertificateExpiredException", F::ServerCertificateUntrusted, Reproduced,
        "OpenJDK 17 java.base sun/security/provider/certpath/BasicChecker.java (verifyValidity); tests/explain captured/pgjdbc.txt"), Cause::ServerCertificateExpired),
    naming(row(Pgjdbc, "java.security.cert.CertificateNotYetValidException", F::ServerCertificateUntrusted, Reproduced,
        "OpenJDK 17 java.base sun/security/provider/certpath/BasicChecker.java (verifyValidity); tests/explain captured/pgjdbc.txt"), Cause::ServerCertificateNotYetValid),
    naming(row(Pgjdbc, "Path does not chain with any of the trust anchors", F::ServerCertificateUntrusted, ReadInSource,
        "OpenJDK 17 java.base sun/security/provider/certpath/PKIXCertPathValidator.java"), Cause::CaDoesNotSignChain),
    row(Pgjdbc, "unable to find valid certification path to requested target", F::ServerCertificateUntrusted, Reproduced,
        "OpenJDK 17 java.base sun/security/provider/certpath/SunCertPathBuilder.java (a pasted `Caused by:` block without pgjdbc's line)"),
    consequence(row(Pgjdbc, "ConnectionFactoryImpl.enableSSL", F::UnexpectedSslAnswer, ReadInSource,
        "pgjdbc 42.7.13 core/v3/ConnectionFactoryImpl.java enableSSL (an EOFException there: the socket closed after the SSLRequest)")),
    consequence(row(Pgjdbc, "The connection attempt failed.", F::ConnectionAttemptFailed, Reproduced,
        "pgjdbc 42.7.13 core/v3/ConnectionFactoryImpl.java:439 (any IOException while connecting; a key that is not the certificate's gives `Broken pipe`, tests/explain)")),
    row(Pgjdbc, "The hostname {host} could not be verified by hostnameverifier", F::HostNameMismatch, Reproduced,
        "pgjdbc 42.7.13 ssl/MakeSSL.java:93"),
    row(Pgjdbc, "Could not open SSL root certificate file {file}.", F::RootFileMissing, Reproduced,
        "pgjdbc 42.7.13 ssl/LibPQFactory.java:199"),
    row(Pgjdbc, "Could not read SSL key file {file}.", F::ClientKeyUnreadable, Reproduced,
        "pgjdbc 42.7.13 ssl/LazyKeyManager.java:285"),
    row(Pgjdbc, "Could not read password for SSL key file", F::ClientKeyPassphrase, ReadInSource,
        "pgjdbc 42.7.13 ssl/LazyKeyManager.java:253"),
    naming(row(Pgjdbc, "Could not decrypt SSL key file {file}.", F::ClientKeyPassphrase, ReadInSource,
        "pgjdbc 42.7.13 ssl/LazyKeyManager.java:278"), Cause::PassphraseWrong),
    row(Pgjdbc, r#"private key file "{file}" has group or world access"#, F::ClientKeyPermissions, ReadInSource,
        "pgjdbc 42.7.13 ssl/BaseX509KeyManager.java (42.7.11+)"),
    row(Pgjdbc, r#"Private key file "{file}" has insecure permissions"#, F::ClientKeyPermissions, ReadInSource,
        "pgjdbc 42.7.9 ssl/BaseX509KeyManager.java:154-156 (42.7.9–42.7.10)"),
    row(Pgjdbc, "The server requested SCRAM-based authentication, but no password was provided.", F::NoPassword, Reproduced,
        "pgjdbc 42.7.13 core/v3/ConnectionFactoryImpl.java:1012"),
    row(Pgjdbc, "The server requested password-based authentication, but no password was provided", F::NoPassword, ReadInSource,
        "pgjdbc 42.7.13 core/v3/AuthenticationPluginManager.java:113"),
    // Logged at WARNING by `Driver.parseURL`, which then returns null: the connection fails
    // with pgjdbc's `Unable to parse URL` (DriverManager) or HikariCP's `claims to not accept
    // jdbcUrl` (seen in public deploy notes for Render, Railway and Neon URLs given `jdbc:`).
    row(Pgjdbc, "JDBC URL invalid port number: {port}", F::DriverUrlRejected, Reproduced,
        "pgjdbc 42.5.5 here, logged by util/PGPropertyUtil.java convertPgPortToInt after Driver.parseURL split the address at its last `:` (tests/explain jdbc-url-credentials-before-host-log, jdbc-url-port-variable-log)"),
    // What `Driver.connect` throws when `parseURL` returned null for a `jdbc:postgresql:` URL:
    // the URL echoed whole, its password too.
    row(Pgjdbc, "Unable to parse URL {url}", F::DriverUrlRejected, Reproduced,
        "pgjdbc 42.5.5 here, org/postgresql/Driver.java connect (tests/explain jdbc-url-*)"),
    row(Pgjdbc, "Driver org.postgresql.Driver claims to not accept jdbcUrl, {url}", F::DriverUrlRejected, ReadInSource,
        "HikariCP @01cafff4 com/zaxxer/hikari/util/DriverDataSource.java (pgjdbc's `Driver.acceptsURL` said no: `parseURL` returned null)"),
    row(Pgjdbc, "JDBC URL port: {port} not valid (1:65535)", F::DriverUrlRejected, Reproduced,
        "pgjdbc 42.5.5 here, util/PGPropertyUtil.java convertPgPortToInt (tests/explain jdbc-url-port-out-of-range-log)"),
    row(Pgjdbc, "Definition of service [{service}] not found", F::DriverUrlRejected, Reproduced,
        "pgjdbc 42.5.5 here, org/postgresql/Driver.java parseURL (tests/explain jdbc-url-service-undefined-log)"),
    // The driver was never found: HikariCP given `driverClassName`, Spring Boot's
    // `spring.datasource.driver-class-name`, Class.forName.
    row(Pgjdbc, "Failed to load driver class {class} in either of HikariConfig class loader or Thread context classloader", F::DriverNotFound, ReadInSource,
        "HikariCP @01cafff4 com/zaxxer/hikari/HikariConfig.java setDriverClassName"),
    row(Pgjdbc, "Cannot load driver class: {class}", F::DriverNotFound, ReadInSource,
        "Spring Boot org/springframework/boot/autoconfigure/jdbc/DataSourceProperties.java determineDriverClassName"),
    row(Pgjdbc, "java.lang.ClassNotFoundException: org.postgresql.Driver", F::DriverNotFound, ReadInSource,
        "OpenJDK ClassLoader.loadClass (the class name as the message), from Class.forName(\"org.postgresql.Driver\")"),
    row(Pgjdbc, "JDBC URL contains too many / characters: {url}", F::DriverUrlRejected, Reproduced,
        "pgjdbc 42.5.5 here, org/postgresql/Driver.java parseURL: more than one `/` after `//` before the `?` (tests/explain jdbc-url-whole-url-as-host-log)"),
    row(Pgjdbc, "JDBC URL must contain a / at the end of the host or port: {url}", F::DriverUrlRejected, Reproduced,
        "pgjdbc 42.5.5 here, org/postgresql/Driver.java parseURL: no `/` after the host list (tests/explain jdbc-url-no-slash-after-port-log)"),
    // HikariCP without `driverClassName`: DriverManager found no driver for the URL.
    row(Pgjdbc, "Failed to get driver instance for jdbcUrl={url}", F::DriverUrlRejected, ReadInSource,
        "HikariCP @01cafff4 com/zaxxer/hikari/util/DriverDataSource.java (`DriverManager.getDriver` threw; the URL with `password=` masked)"),
    // DriverManager's answer when no registered driver accepts the URL (pgjdbc's parseURL
    // returned null, or the URL is not pgjdbc's at all).
    row(Pgjdbc, "No suitable driver found for {url}", F::DriverUrlRejected, Reproduced,
        "OpenJDK 17.0.15 java/sql/DriverManager.java getConnection (`No suitable driver found for ` + url), under pgjdbc 42.5.5 here (tests/explain jdbc-url-libpq-url)"),
    row(Pgjdbc, "java.net.UnknownHostException: {host}", F::HostNotFound, Reproduced,
        "OpenJDK 17.0.15 java.net.InetAddress (the host name as the message); pgjdbc 42.5.5 here, under `The connection attempt failed.` (tests/explain host-name-unknown)"),
    row(Pgjdbc, "Connection to {address} refused.", F::ConnectionRefused, ReadInSource,
        "pgjdbc 42.7.13 core/v3/ConnectionFactoryImpl.java:428"),
    // ---- node-postgres (brianc/node-postgres@c9e57617, pg 8.23) and Node 20's TLS texts ----
    row(NodePostgres, "The server does not support SSL connections", F::ServerWithoutTls, Reproduced,
        "node-postgres 8.23 packages/pg/lib/connection.js:86"),
    naming(row(NodePostgres, "self signed certificate in certificate chain", F::ServerCertificateUntrusted, ReadInSource,
        "OpenSSL 1.1.1 crypto/x509/x509_txt.c (the spelling before 3.0: Node 16 and earlier, CPython and Prisma on OpenSSL 1.1)"), Cause::CaDoesNotSignChain),
    naming(row(NodePostgres, "Error: self signed certificate$", F::ServerCertificateUntrusted, ReadInSource,
        "OpenSSL 1.1.1 crypto/x509/x509_txt.c (DEPTH_ZERO_SELF_SIGNED_CERT before 3.0)"), Cause::ServerSelfSigned),
    naming(row(NodePostgres, "SELF_SIGNED_CERT_IN_CHAIN", F::ServerCertificateUntrusted, Reproduced,
        "Node 18.20.4 src/crypto/crypto_common.cc:235"), Cause::CaDoesNotSignChain),
    row(NodePostgres, "UNABLE_TO_VERIFY_LEAF_SIGNATURE", F::ServerCertificateUntrusted, Reproduced,
        "Node 18.20.4 src/crypto/crypto_common.cc:237"),
    naming(row(NodePostgres, "CERT_HAS_EXPIRED", F::ServerCertificateUntrusted, Reproduced,
        "Node 18.20.4 src/crypto/crypto_common.cc:226"), Cause::ServerCertificateExpired),
    consequence(row(NodePostgres, "Connection terminated unexpectedly", F::ConnectionClosedInHandshake, ReadInSource,
        "node-postgres 8.23 packages/pg/lib/client.js:204")),
    naming(row(NodePostgres, "self-signed certificate in certificate chain", F::ServerCertificateUntrusted, Reproduced,
        "OpenSSL 3.0.20 crypto/x509/x509_txt.c:63; Node 18.20.4 src/crypto/crypto_common.cc:235"), Cause::CaDoesNotSignChain),
    // The leaf's issuer is in nothing the client has: a wrong CA or a missing intermediate.
    row(NodePostgres, "unable to verify the first certificate", F::ServerCertificateUntrusted, Reproduced,
        "OpenSSL 3.0.20 crypto/x509/x509_txt.c:67 (UNABLE_TO_VERIFY_LEAF_SIGNATURE)"),
    row(NodePostgres, "unable to get local issuer certificate", F::ServerCertificateUntrusted, ReadInSource,
        "OpenSSL 3.0.20 crypto/x509/x509_txt.c:65"),
    naming(row(NodePostgres, "DEPTH_ZERO_SELF_SIGNED_CERT", F::ServerCertificateUntrusted, Reproduced,
        "Node 18.20.4 src/crypto/crypto_common.cc:234"), Cause::ServerSelfSigned),
    naming(row(NodePostgres, "Error: self-signed certificate$", F::ServerCertificateUntrusted, Reproduced,
        "OpenSSL 3.0.20 crypto/x509/x509_txt.c:61 (the message of DEPTH_ZERO_SELF_SIGNED_CERT)"), Cause::ServerSelfSigned),
    naming(row(NodePostgres, "certificate has expired", F::ServerCertificateUntrusted, Reproduced,
        "OpenSSL 3.0.20 crypto/x509/x509_txt.c:45 (CERT_HAS_EXPIRED; CPython shows the same text)"), Cause::ServerCertificateExpired),
    naming(row(NodePostgres, "certificate is not yet valid", F::ServerCertificateUntrusted, ReadInSource,
        "OpenSSL 3.0.20 crypto/x509/x509_txt.c:43 (CERT_NOT_YET_VALID)"), Cause::ServerCertificateNotYetValid),
    row(NodePostgres, "Hostname/IP does not match certificate's altnames: {reason}", F::HostNameMismatch, Reproduced,
        "Node 20.20.2 lib/internal/errors.js:1811-1815; lib/tls.js:298"),
    row(NodePostgres, "tlsv1 alert unknown ca", F::ClientCertificateRejected, Reproduced,
        "OpenSSL 3.0.20 ssl/ssl_err.c:469 (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA; libpq's row covers its own prefix)"),
    row(NodePostgres, "x509 certificate routines::key values mismatch", F::ClientKeyMismatch, Reproduced,
        "OpenSSL 3.0.20 crypto/err/err.c:568-571, crypto/x509/x509_err.c:48"),
    row(NodePostgres, "Client network socket disconnected before secure TLS connection was established", F::ConnectionClosedInHandshake, Reproduced,
        "Node 20.20.2 lib/_tls_wrap.js:1752-1754"),
    row(NodePostgres, "ENOENT: no such file or directory, open '{file}'", F::MaterialFileMissing, Reproduced,
        "node-postgres 8.23 packages/pg-connection-string/index.js:91-99 (fs.readFileSync); Node 20.20.2 lib/internal/errors.js:642-648"),
    row(NodePostgres, "Provider routines::bad decrypt", F::ClientKeyPassphrase, Reproduced,
        "OpenSSL 3.0.20 providers/common/provider_err.c (PROV_R_BAD_DECRYPT); node-postgres reads the key from the URL with no passphrase (tests/explain)"),
    row(NodePostgres, "client password must be a string", F::NoPassword, Reproduced,
        "node-postgres 8.23 packages/pg/lib/crypto/sasl.js:67"),
    row(NodePostgres, "client password must be a non-empty string", F::NoPassword, ReadInSource,
        "node-postgres 8.23 packages/pg/lib/crypto/sasl.js:70"),
    row(NodePostgres, "connect ECONNREFUSED {address}", F::ConnectionRefused, Reproduced,
        "Node 20.20.2 lib/internal/errors.js:777"),
    // Node's libuv and DNS errors (`${syscall} ${code} ${address}`): dnsException names
    // EAI_NONAME and EAI_NODATA `ENOTFOUND`; exceptionWithHostPort adds ` - Local (…)`.
    row(NodePostgres, "getaddrinfo ENOTFOUND {host}", F::HostNotFound, Reproduced,
        "Node 20.20.2 lib/internal/errors.js dnsException; node-postgres 8.23.1 here, a name with no record"),
    row(NodePostgres, "getaddrinfo EAI_AGAIN {host}", F::HostNotFound, Reproduced,
        "Node 20.20.2 lib/internal/errors.js dnsException; node-postgres 8.23.1 here, no DNS server"),
    row(NodePostgres, "connect ENETUNREACH {address}", F::NetworkUnreachable, Reproduced,
        "Node 20.20.2 lib/internal/errors.js exceptionWithHostPort; node-postgres 8.23.1 here, an IPv6 address without an IPv6 route"),
    row(NodePostgres, "connect EHOSTUNREACH {address}", F::NetworkUnreachable, ReadInSource,
        "Node 20.20.2 lib/internal/errors.js exceptionWithHostPort (libuv UV_EHOSTUNREACH)"),
    row(NodePostgres, "connect ETIMEDOUT {address}", F::ConnectTimeout, ReadInSource,
        "Node 20.20.2 lib/internal/errors.js exceptionWithHostPort (libuv UV_ETIMEDOUT: the kernel gave up on the TCP handshake)"),
    row(NodePostgres, "Error: timeout expired", F::ConnectTimeout, ReadInSource,
        "node-postgres 8.23.1 packages/pg/lib/client.js:170 (connectionTimeoutMillis)"),
    // ---- asyncpg (MagicStack/asyncpg@db8ecc2a, 0.31) and CPython 3.11's ssl ----
    row(Asyncpg, r#"PostgreSQL server at "{address}" rejected SSL upgrade"#, F::ServerWithoutTls, Reproduced,
        "asyncpg 0.31.0 connect_utils.py:938-942"),
    generic(row(Asyncpg, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", F::ServerCertificateUntrusted, Reproduced,
        "CPython 3.11.2 Modules/_ssl.c:517-519 (`certificate verify failed: <OpenSSL's reason>`)")),
    naming(row(Asyncpg, "certificate verify failed: self signed certificate (", F::ServerCertificateUntrusted, ReadInSource,
        "CPython Modules/_ssl.c with OpenSSL 1.1.1 x509_txt.c (the spelling before 3.0)"), Cause::ServerSelfSigned),
    naming(row(Asyncpg, "certificate verify failed: self-signed certificate in certificate chain", F::ServerCertificateUntrusted, Reproduced,
        "CPython 3.11.2 Modules/_ssl.c:517-519 with OpenSSL 3.0.20 x509_txt.c:63"), Cause::CaDoesNotSignChain),
    naming(row(Asyncpg, "certificate verify failed: self-signed certificate (", F::ServerCertificateUntrusted, Reproduced,
        "CPython 3.11.2 Modules/_ssl.c:517-519 with OpenSSL 3.0.20 x509_txt.c:61"), Cause::ServerSelfSigned),
    row(Asyncpg, "Hostname mismatch, certificate is not valid for '{host}'.", F::HostNameMismatch, Reproduced,
        "CPython 3.11.2 Modules/_ssl.c:492-494"),
    row(Asyncpg, "IP address mismatch, certificate is not valid for '{host}'.", F::HostNameMismatch, ReadInSource,
        "CPython 3.11.2 Modules/_ssl.c:497"),
    row(Asyncpg, r#"root certificate file "{file}" does not exist or cannot be accessed"#, F::RootFileMissing, Reproduced,
        "asyncpg 0.31.0 connect_utils.py:729-735"),
    row(Asyncpg, "FileNotFoundError: [Errno 2] No such file or directory", F::MaterialFileMissing, Reproduced,
        "CPython 3.11.2 Modules/_ssl.c:4120 (load_verify_locations), :3869-3892 (load_cert_chain): no file name"),
    row(Asyncpg, "[X509: KEY_VALUES_MISMATCH] key values mismatch", F::ClientKeyMismatch, Reproduced,
        "CPython 3.11.2 Modules/_ssl.c:521-522; OpenSSL 3.0.20 x509_err.c:48"),
    row(Asyncpg, "[SSL] PEM lib", F::ClientKeyPassphrase, Reproduced,
        "CPython 3.11.2 Modules/_ssl.c:524-525, :3895 (SSL_CTX_use_PrivateKey_file after the passphrase callback)"),
    row(Asyncpg, "[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version", F::ProtocolVersionMismatch, Reproduced,
        "CPython 3.11.2 Modules/_ssl.c:521-522; OpenSSL 3.0.20 ssl/ssl_err.c:465"),
    consequence(row(Asyncpg, "connection was closed in the middle of operation", F::ClientCertificateRejected, Reproduced,
        "asyncpg 0.31.0 protocol/protocol.pyx:691-693 (a TLS 1.3 alert arrives after the handshake)")),
    row(Asyncpg, "ConnectionResetError", F::ConnectionClosedInHandshake, Reproduced,
        "the bare exception CPython's asyncio raises (no asyncpg text)"),
    row(Asyncpg, "unexpected connection_lost() call", F::ConnectionClosedInHandshake, ReadInSource,
        "asyncpg 0.31.0 connect_utils.py:947"),
    row(Asyncpg, "gaierror: [Errno {errno}] {reason}", F::HostNotFound, Reproduced,
        "CPython 3.11.7 Modules/socketmodule.c set_gaierror (gai_strerror's text); asyncpg 0.31.0 here: `[Errno -2] Name or service not known`, `[Errno -3] Temporary failure in name resolution`"),
    row(Asyncpg, "OSError: [Errno 101] Network is unreachable", F::NetworkUnreachable, Reproduced,
        "CPython 3.11.7 (strerror(ENETUNREACH)); asyncpg 0.31.0 here, an IPv6 address without an IPv6 route"),
    row(Asyncpg, r#"DuplicatePreparedStatementError: prepared statement "{name}" already exists"#, F::PreparedStatementConflict, Reproduced,
        "asyncpg 0.31.0 exceptions/__init__.py:735 (42P05) and exceptions/_base.py:128-152 (the HINT about pgbouncer); asyncpg 0.31.0 against PostgreSQL 15.18 here"),
    row(Asyncpg, r#"InvalidSQLStatementNameError: prepared statement "{name}" does not exist"#, F::PreparedStatementConflict, ReadInSource,
        "asyncpg 0.31.0 exceptions/__init__.py:496 (26000) and exceptions/_base.py:128-152 (the same HINT)"),
    // asyncpg adds this HINT to both errors above; alone, it still says which failure it is.
    generic(row(Asyncpg, r#"NOTE: pgbouncer with pool_mode set to "transaction" or"#, F::PreparedStatementConflict, Reproduced,
        "asyncpg 0.31.0 exceptions/_base.py:138 (PostgresMessage._make_constructor)")),
    row(Asyncpg, "TypeError: connect() got an unexpected keyword argument '{argument}'", F::DriverArgumentRejected, Reproduced,
        "CPython 3.11.7's TypeError for a call with a keyword the function does not take (file not read here); asyncpg 0.31.0 connect(sslmode='require') here, as SQLAlchemy makes it from `?sslmode=`"),
    // ---- Npgsql (npgsql/npgsql@3cb5804b7, 10.0): read in source, .NET does not run here ----
    row(Npgsql, "SSL connection requested. No SSL enabled connection from this host is configured.", F::ServerWithoutTls, ReadInSource,
        "Npgsql 10.0 src/Npgsql/Internal/NpgsqlConnector.cs:979"),
    generic(row(Npgsql, "Exception while performing SSL handshake", F::ServerCertificateUntrusted, ReadInSource,
        "Npgsql 10.0 src/Npgsql/Internal/NpgsqlConnector.cs:1196 (the inner exception says more)")),
    row(Npgsql, "The remote certificate is invalid according to the validation procedure", F::ServerCertificateUntrusted, ReadInSource,
        "dotnet/runtime System.Net.Security Strings.resx net_ssl_io_cert_validation"),
    // .NET 5+ SslStream: the policy errors by name (`RemoteCertificateNameMismatch,
    // RemoteCertificateChainErrors`), or, when the chain is the only error, the chain status.
    row(Npgsql, "The remote certificate is invalid according to the validation procedure: {errors}", F::ServerCertificateUntrusted, ReadInSource,
        "dotnet/runtime System.Net.Security Strings.resx net_ssl_io_cert_validation (`…: {0}`, the SslPolicyErrors flags), raised by SslStream.Protocol.cs CompleteHandshake"),
    row(Npgsql, "The remote certificate is invalid because of errors in the certificate chain: {status}", F::ServerCertificateUntrusted, ReadInSource,
        "dotnet/runtime System.Net.Security Strings.resx net_ssl_io_cert_chain_validation (.NET 5+: the X509ChainStatusFlags, `UntrustedRoot`, `PartialChain`, `NotTimeValid`), raised when RemoteCertificateChainErrors is the only policy error"),
    row(Npgsql, "The remote certificate was rejected by the provided RemoteCertificateValidationCallback", F::ServerCertificateUntrusted, ReadInSource,
        "Npgsql 10.0 NpgsqlConnector.cs:1196; dotnet/runtime Strings.resx net_ssl_io_cert_custom_validation"),
    // The connection string itself. The builder's indexer wraps whatever its generated
    // setter throws (KeyNotFoundException for an unknown key, a conversion or range error for
    // a value) as `Couldn't set <key>` (NpgsqlConnectionStringBuilder.cs; the key as .NET's
    // parser lower-cased it); .NET's own parser refuses what it cannot split into pairs.
    row(Npgsql, "Couldn't set {key}", F::DriverStringRejected, ReadInSource,
        "Npgsql 10.0 src/Npgsql/NpgsqlConnectionStringBuilder.cs indexer (`throw new ArgumentException(\"Couldn't set \" + keyword, keyword, e)`); src/Npgsql.SourceGenerators/NpgsqlConnectionStringBuilder.snbtxt (KeyNotFoundException)"),
    row(Npgsql, "Format of the initialization string does not conform to specification starting at index {index}.", F::DriverStringRejected, ReadInSource,
        "dotnet/runtime System.Data.Common Strings.resx ADP_ConnectionStringSyntax, thrown by DbConnectionOptions.ParseInternal under DbConnectionStringBuilder.ConnectionString"),
    row(Npgsql, "Host can't be null", F::DriverStringRejected, ReadInSource,
        "Npgsql NpgsqlConnection.OpenInternalAsync / NpgsqlConnectionStringBuilder.PostProcessAndValidate (`string.IsNullOrWhiteSpace(Host)`)"),
    row(Npgsql, "No password has been provided but the backend requires one", F::NoPassword, ReadInSource,
        "Npgsql 10.0 src/Npgsql/Internal/NpgsqlConnector.Auth.cs:89, :147, :290"),
    // ---- pgx v5 (jackc/pgx@728cefa8) and Go's crypto/x509: read in source, Go does not run here ----
    row(Pgx, "tls error: server refused TLS connection", F::ServerWithoutTls, ReadInSource,
        "pgx 5.10 pgconn/pgconn.go:553"),
    row(Pgx, "x509: certificate signed by unknown authority", F::ServerCertificateUntrusted, ReadInSource,
        "Go 1.19.8 crypto/x509/verify.go:141; pgx 5.10 pgconn/pgconn.go:413-416"),
    naming(row(Pgx, "x509: certificate has expired or is not yet valid", F::ServerCertificateUntrusted, ReadInSource,
        "Go 1.19.8 crypto/x509/verify.go:74"), Cause::ServerCertificateExpired),
    row(Pgx, "x509: certificate is valid for {names}, not {host}", F::HostNameMismatch, ReadInSource,
        "Go 1.19.8 crypto/x509/verify.go:126"),
    naming(row(Pgx, "x509: certificate relies on legacy Common Name field", F::HostNameMismatch, ReadInSource,
        "Go 1.19.8 crypto/x509/verify.go:104 (Go 1.15–1.16: `…, use SANs or temporarily enable Common Name matching with GODEBUG=x509ignoreCN=0`)"), Cause::CommonNameOnly),
    row(Pgx, "x509: cannot validate certificate for {host} because it doesn't contain any IP SANs", F::HostNameMismatch, ReadInSource,
        "Go 1.19.8 crypto/x509/verify.go:111"),
    row(Pgx, "unable to read CA file: open {file}: no such file or directory", F::RootFileMissing, ReadInSource,
        "pgx 5.10 pgconn/config.go:928; Go 1.19.8 io/fs/fs.go:250"),
    row(Pgx, "tls: private key does not match public key", F::ClientKeyMismatch, ReadInSource,
        "pgx 5.10 pgconn/config.go:1050; Go 1.19.8 crypto/tls/tls.go:311"),
    row(Pgx, "unable to find sslpassword", F::ClientKeyPassphrase, ReadInSource,
        "pgx 5.10 pgconn/config.go:1027"),
    // ---- Go's lib/pq (read in source) and Prisma's engine ----
    row(GoLibpq, "pq: SSL is not enabled on the server", F::ServerWithoutTls, ReadInSource,
        "lib/pq conn.go ErrSSLNotSupported (read at 00262e44; lib/pq's default sslmode is require)"),
    row(GoLibpq, "pq: Private key file has group or world access", F::ClientKeyPermissions, ReadInSource,
        "lib/pq ssl_permissions.go ErrSSLKeyHasWorldPermissions"),
    generic(row(Prisma, "Error opening a TLS connection: {reason}", F::ServerCertificateUntrusted, ReadInSource,
        "prisma-engines libs/user-facing-errors P1011 TlsConnectionError (the reason after it is OpenSSL's or the OS's)")),
    // quaint's `SslParams::into_auth` (prisma-engines @004522f9 quaint/src/connector/postgres/
    // native/mod.rs): the files are read before connecting, and P1011 carries its message.
    row(Prisma, "Error opening a TLS connection: cert file not found ({reason})", F::RootFileMissing, ReadInSource,
        "prisma-engines @004522f9 quaint native/mod.rs SslParams::into_auth (`cert file not found ({err})`)"),
    row(Prisma, "Error opening a TLS connection: identity file not found ({reason})", F::MaterialFileMissing, ReadInSource,
        "prisma-engines @004522f9 quaint native/mod.rs SslParams::into_auth (`identity file not found ({err})`)"),
    // OpenSSL 3 (the engine's TLS on Linux) refuses a PKCS#12 bundle made with the legacy
    // RC2/3DES algorithms when `Identity::from_pkcs12` reads it.
    row(Prisma, "Error opening a TLS connection: error:0308010C:digital envelope routines::unsupported", F::ClientKeyUnreadable, ReadInSource,
        "prisma-engines @004522f9 quaint native/mod.rs (native-tls Identity::from_pkcs12 over OpenSSL 3; ERR 0308010C is EVP_R_UNSUPPORTED); a driver expert's review"),
    row(Prisma, "Error opening a TLS connection: bad protocol version", F::ProtocolVersionMismatch, ReadInSource,
        "prisma-engines P1011 as pasted in github.com/RobertCraigie/prisma-client-py/issues/913 (no TLS version both sides accept)"),
    // ---- managed services' proxies and poolers: read in their documentation ----
    row(ManagedService, "Endpoint ID is not specified", F::EndpointNotSpecified, ReadInSource,
        "Neon's proxy as users pasted it (github.com/neondatabase/website/issues/685, github.com/porsager/postgres/issues/705)"),
    row(ManagedService, "The endpoint ID is not specified", F::EndpointNotSpecified, ReadInSource,
        "Neon docs, Connection errors, https://neon.com/docs/connect/connection-errors (updated 2026-02-06)"),
    row(ManagedService, "Tenant or user not found", F::PoolerTenantUnknown, ReadInSource,
        "Supabase troubleshooting article \"Tenant or user not found\" (copy: github.com/orgs/supabase/discussions/50190)"),
    row(ManagedService, "(ENOTFOUND) tenant/user {user} not found", F::PoolerTenantUnknown, ReadInSource,
        "Supabase troubleshooting article (github.com/orgs/supabase/discussions/50190): the same error as some drivers report it"),
    row(ManagedService, "SSL connection is required. Please specify SSL options and retry.", F::ServiceRequiresTls, ReadInSource,
        "not in PostgreSQL's source (15.18, 16.13 searched); Azure Database for PostgreSQL documentation, connection security"),
];
