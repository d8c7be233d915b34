//! The keywords Npgsql 8/9/10 knows, with their synonyms and value kinds, and the names older
//! versions used. Source: `src/Npgsql/NpgsqlConnectionStringBuilder.cs` in
//! <https://github.com/npgsql/npgsql> (each property's display name and synonyms).
//! Below the dialect readers so that the lenient secret finders can tell a keyword from a
//! password's own text after an unquoted `;` (`embedded`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Int,
    Bool,
    /// Case-insensitive enum names.
    Choice(&'static [&'static str]),
    /// Exact values (`ParseTargetSessionAttributes` switches on the literal string).
    Exact(&'static [&'static str]),
}

/// (display name, CLR property name, synonyms, kind). Keys match case-insensitively against
/// any of the names.
const KEYWORDS: &[(&str, &str, &[&str], Kind)] = &[
    ("Host", "Host", &["Server"], Kind::Text),
    ("Port", "Port", &[], Kind::Int),
    ("Database", "Database", &["DB"], Kind::Text),
    (
        "Username",
        "Username",
        &["User Name", "UserId", "User Id", "UID"],
        Kind::Text,
    ),
    ("Password", "Password", &["PSW", "PWD"], Kind::Text),
    ("Passfile", "Passfile", &[], Kind::Text),
    ("Application Name", "ApplicationName", &[], Kind::Text),
    ("Enlist", "Enlist", &[], Kind::Bool),
    ("Search Path", "SearchPath", &[], Kind::Text),
    ("Client Encoding", "ClientEncoding", &[], Kind::Text),
    ("Encoding", "Encoding", &[], Kind::Text),
    ("Timezone", "Timezone", &[], Kind::Text),
    ("SSL Mode", "SslMode", &[], Kind::Choice(SSL_MODES)),
    (
        "SSL Negotiation",
        "SslNegotiation",
        &[],
        Kind::Choice(&["Postgres", "Direct"]),
    ),
    ("SSL Certificate", "SslCertificate", &[], Kind::Text),
    ("SSL Key", "SslKey", &[], Kind::Text),
    ("SSL Password", "SslPassword", &[], Kind::Text),
    ("Root Certificate", "RootCertificate", &[], Kind::Text),
    (
        "Check Certificate Revocation",
        "CheckCertificateRevocation",
        &[],
        Kind::Bool,
    ),
    (
        "Kerberos Service Name",
        "KerberosServiceName",
        &["Krbsrvname"],
        Kind::Text,
    ),
    ("Include Realm", "IncludeRealm", &[], Kind::Bool),
    // Npgsql 10.0 (absent in 9.0.5, where the key is unknown: [`SINCE_NPGSQL_10`]).
    (
        "GSS Encryption Mode",
        "GssEncryptionMode",
        &[],
        Kind::Choice(&["Disable", "Prefer", "Require"]),
    ),
    // Npgsql 10.0; its value is read by `ParseAuthMode` (dialect::npgsql).
    ("Require Auth", "RequireAuth", &[], Kind::Text),
    (
        "Persist Security Info",
        "PersistSecurityInfo",
        &[],
        Kind::Bool,
    ),
    ("Log Parameters", "LogParameters", &[], Kind::Bool),
    (
        "Include Error Detail",
        "IncludeErrorDetail",
        &[],
        Kind::Bool,
    ),
    (
        "Channel Binding",
        "ChannelBinding",
        &[],
        Kind::Choice(&["Disable", "Prefer", "Require"]),
    ),
    ("Pooling", "Pooling", &[], Kind::Bool),
    ("Minimum Pool Size", "MinPoolSize", &[], Kind::Int),
    ("Maximum Pool Size", "MaxPoolSize", &[], Kind::Int),
    (
        "Connection Idle Lifetime",
        "ConnectionIdleLifetime",
        &[],
        Kind::Int,
    ),
    (
        "Connection Pruning Interval",
        "ConnectionPruningInterval",
        &[],
        Kind::Int,
    ),
    (
        "Connection Lifetime",
        "ConnectionLifetime",
        &["Load Balance Timeout"],
        Kind::Int,
    ),
    ("Timeout", "Timeout", &[], Kind::Int),
    ("Command Timeout", "CommandTimeout", &[], Kind::Int),
    (
        "Cancellation Timeout",
        "CancellationTimeout",
        &[],
        Kind::Int,
    ),
    (
        "Target Session Attributes",
        "TargetSessionAttributes",
        &[],
        Kind::Exact(&[
            "any",
            "primary",
            "standby",
            "prefer-primary",
            "prefer-standby",
            "read-write",
            "read-only",
        ]),
    ),
    ("Load Balance Hosts", "LoadBalanceHosts", &[], Kind::Bool),
    ("Host Recheck Seconds", "HostRecheckSeconds", &[], Kind::Int),
    ("Keepalive", "KeepAlive", &[], Kind::Int),
    ("TCP Keepalive", "TcpKeepAlive", &[], Kind::Bool),
    ("TCP Keepalive Time", "TcpKeepAliveTime", &[], Kind::Int),
    (
        "TCP Keepalive Interval",
        "TcpKeepAliveInterval",
        &[],
        Kind::Int,
    ),
    ("Read Buffer Size", "ReadBufferSize", &[], Kind::Int),
    ("Write Buffer Size", "WriteBufferSize", &[], Kind::Int),
    (
        "Socket Receive Buffer Size",
        "SocketReceiveBufferSize",
        &[],
        Kind::Int,
    ),
    (
        "Socket Send Buffer Size",
        "SocketSendBufferSize",
        &[],
        Kind::Int,
    ),
    ("Max Auto Prepare", "MaxAutoPrepare", &[], Kind::Int),
    (
        "Auto Prepare Min Usages",
        "AutoPrepareMinUsages",
        &[],
        Kind::Int,
    ),
    ("No Reset On Close", "NoResetOnClose", &[], Kind::Bool),
    ("Options", "Options", &[], Kind::Text),
    (
        "Array Nullability Mode",
        "ArrayNullabilityMode",
        &[],
        Kind::Choice(&["Never", "Always", "PerInstance"]),
    ),
    ("Multiplexing", "Multiplexing", &[], Kind::Bool),
    (
        "Write Coalescing Buffer Threshold Bytes",
        "WriteCoalescingBufferThresholdBytes",
        &[],
        Kind::Int,
    ),
    (
        "Load Table Composites",
        "LoadTableComposites",
        &[],
        Kind::Bool,
    ),
    (
        "Server Compatibility Mode",
        "ServerCompatibilityMode",
        &[],
        Kind::Choice(&["None", "Redshift", "NoTypeLoading"]),
    ),
    (
        "Trust Server Certificate",
        "TrustServerCertificate",
        &[],
        Kind::Bool,
    ),
    (
        "Internal Command Timeout",
        "InternalCommandTimeout",
        &[],
        Kind::Int,
    ),
];

/// Keywords Npgsql 10.0 added: Npgsql 9 and older throw "Couldn't set <key>" (npgsql v10.0.0,
/// a1802184, `NpgsqlConnectionStringBuilder.cs`; neither is in v9.0.5).
pub(crate) const SINCE_NPGSQL_10: &[&str] = &["GSS Encryption Mode", "Require Auth"];

const SSL_MODES: &[&str] = &[
    "Disable",
    "Allow",
    "Prefer",
    "Require",
    "VerifyCA",
    "VerifyFull",
];

/// Names older Npgsql versions used, for suggestions.
pub(crate) const RENAMED: &[(&str, &str)] = &[
    ("client certificate", "SSL Certificate"),
    ("client certificate key", "SSL Key"),
    ("sslmode", "SSL Mode"),
    ("ssl", "SSL Mode"),
    ("sslrootcert", "Root Certificate"),
    ("sslcert", "SSL Certificate"),
    ("sslkey", "SSL Key"),
    ("user", "Username"),
    ("dbname", "Database"),
    ("application_name", "Application Name"),
    ("connect_timeout", "Timeout"),
];

pub(crate) fn lookup(key: &str) -> Option<(&'static str, Kind)> {
    KEYWORDS
        .iter()
        .find(|(display, clr, synonyms, _)| {
            display.eq_ignore_ascii_case(key)
                || clr.eq_ignore_ascii_case(key)
                || synonyms.iter().any(|s| s.eq_ignore_ascii_case(key))
        })
        .map(|(display, _, _, kind)| (*display, *kind))
}

/// `NpgsqlConnection.TimeoutLimit`: the largest `Timeout` the setter takes (Npgsql 9).
pub(crate) const TIMEOUT_LIMIT: i32 = 1024;

/// The whole numbers a property's setter takes, by display name, with the message of the
/// `ArgumentOutOfRangeException` it throws otherwise (wrapped in "Couldn't set <key>"):
/// `NpgsqlConnectionStringBuilder.cs`, Npgsql 9 (the `Port`, `Timeout`, `CommandTimeout`,
/// `CancellationTimeout`, `KeepAlive`, `TcpKeepAliveTime`, `TcpKeepAliveInterval` setters;
/// `NpgsqlConnection.TimeoutLimit` is 1024).
pub(crate) fn int_bounds(display: &str) -> Option<(i32, i32, &'static str)> {
    Some(match display {
        "Port" => (1, i32::MAX, "Invalid port"),
        "Timeout" => (0, TIMEOUT_LIMIT, "Timeout must be between 0 and 1024"),
        "Command Timeout" => (0, i32::MAX, "CommandTimeout can't be negative"),
        "Cancellation Timeout" => (-1, i32::MAX, "CancellationTimeout can't less than -1"),
        "Keepalive" => (0, i32::MAX, "KeepAlive can't be negative"),
        "TCP Keepalive Time" => (0, i32::MAX, "TcpKeepAliveTime can't be negative"),
        "TCP Keepalive Interval" => (0, i32::MAX, "TcpKeepAliveInterval can't be negative"),
        _ => return None,
    })
}

/// Whether Npgsql knows `key` (any of its spellings).
pub fn knows(key: &str) -> bool {
    lookup(key).is_some()
}
