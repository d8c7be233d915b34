//! From a recognised failure to its cause among the user's inputs: each failure's candidate
//! causes, confirmed or ruled out by what the inputs show (the certificate review's findings,
//! the string's settings), most likely first, with the inputs that would decide the rest.

use super::failure::{Cause, Failure, Place};
use super::known::Known;
use super::matcher::Captures;
use super::table::{Client, Message};
use crate::conninfo::dialect::jdbc::{self, SlashShape, UrlRefusal};
use crate::conninfo::dialect::Dialect;
use crate::input::Field;
use serde::Serialize;

/// One possible cause, judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judged {
    pub cause: Cause,
    /// Where it lies.
    pub input: Place,
    /// The inputs (or the message itself) show it is the cause.
    pub confirmed: bool,
    /// The explanation, then what the inputs showed.
    pub detail: String,
    /// The rule codes of the findings that showed it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<&'static str>,
}

/// The judgement of one failure.
#[derive(Debug, Clone, Default)]
pub struct Judgement {
    pub causes: Vec<Judged>,
    /// The inputs that would decide between the causes, when they are not decided.
    pub decide: Vec<Field>,
}

/// What the inputs say about one candidate.
enum Verdict {
    /// Shown by the inputs (or named by the message), with what showed it.
    Shown(String, Vec<&'static str>),
    /// Possible, and more likely than the other possible causes given what the inputs show.
    Likely(String),
    /// Possible: the inputs do not tell.
    Possible(String),
    /// The inputs rule it out.
    RuledOut,
}

use Verdict::*;

/// Chain findings that say the server's chain does not lead to the CA given.
const NO_PATH: &[&str] = &["PGP-CHAIN-001", "PGP-CHAIN-003", "PGP-CHAIN-004"];
const EXPIRED: &[&str] = &["PGP-CERT-001", "PGP-CHAIN-013"];
const NOT_YET_VALID: &[&str] = &["PGP-CERT-002", "PGP-CHAIN-014"];

pub fn judge(
    message: &Message,
    captures: &Captures,
    client: Option<Client>,
    known: &Known,
) -> Judgement {
    let mut judged: Vec<(Cause, Verdict)> = message
        .failure
        .candidates()
        .iter()
        .map(|&cause| (cause, verdict(cause, message, captures, client, known)))
        .collect();
    // Shown causes first, then possible ones, each group in the candidates' order (most
    // likely first); ruled-out causes are dropped unless nothing else is left.
    judged.sort_by_key(|(_, v)| match v {
        Shown(..) => 0,
        Likely(_) => 1,
        Possible(_) => 2,
        RuledOut => 3,
    });
    if judged.iter().any(|(_, v)| !matches!(v, RuledOut)) {
        judged.retain(|(_, v)| !matches!(v, RuledOut));
    }
    let any_shown = judged.iter().any(|(_, v)| matches!(v, Shown(..)));
    let causes = judged
        .into_iter()
        .map(|(cause, verdict)| {
            let (confirmed, found, codes) = match verdict {
                Shown(found, codes) => (true, found, codes),
                Likely(found) | Possible(found) => (false, found, Vec::new()),
                RuledOut => (false, String::new(), Vec::new()),
            };
            let mut detail = cause.explanation().to_string();
            if !found.is_empty() {
                detail.push(' ');
                detail.push_str(&found);
            }
            Judged {
                cause,
                input: cause.place(),
                confirmed,
                detail,
                codes,
            }
        })
        .collect::<Vec<_>>();
    let decide = if any_shown || causes.len() < 2 {
        Vec::new()
    } else {
        deciding_inputs(message.failure)
            .iter()
            .copied()
            .filter(|f| !known.has(*f))
            .collect()
    };
    Judgement { causes, decide }
}

/// The inputs that tell a failure's causes apart.
fn deciding_inputs(failure: Failure) -> &'static [Field] {
    match failure {
        Failure::ServerCertificateUntrusted | Failure::HostNameMismatch => {
            &[Field::ServerChain, Field::RootCert]
        }
        Failure::ClientCertificateRejected | Failure::ClientCertificateRequired => {
            &[Field::ClientCert, Field::ClientCa]
        }
        Failure::ClientKeyPassphrase => &[Field::ClientKey],
        _ => &[],
    }
}

fn verdict(
    cause: Cause,
    message: &Message,
    captures: &Captures,
    client: Option<Client>,
    known: &Known,
) -> Verdict {
    // Why the client verified at all comes before what the verification found.
    match cause {
        _ if message.failure == Failure::DriverStringRejected => {
            return npgsql_string_rejected(cause, message, captures, known);
        }
        _ if matches!(message.failure, Failure::DriverUrlRejected | Failure::DriverNotFound) => {
            return jdbc_url_rejected(cause, message, captures, known);
        }
        Cause::DefaultRootFileUsed => return default_root_file(message, client, known),
        Cause::DriverVerifiesByDefault => return node_verifies_by_default(known),
        _ => {}
    }
    if let Some(verdict) = prisma_files(cause, client) {
        return verdict;
    }
    // .NET names the policy errors and the chain status it found: a cause they exclude is
    // ruled out, and a host-name mismatch among them is shown.
    if let Some(verdict) = dotnet_flags(cause, message, captures) {
        return verdict;
    }
    // libpq's own rejection of the string: the string given shows it, or the client read
    // another string.
    if let Some(verdict) = string_rejected(cause, message, captures, known) {
        return verdict;
    }
    if let Some(named) = message.names_cause {
        return if named == cause {
            Shown(
                "The message itself names this cause.".into(),
                Vec::new(),
            )
        } else {
            RuledOut
        };
    }
    use Cause::*;
    match cause {
        ServerSslOff => Shown("The server's answer to the TLS request says so.".into(), Vec::new()),
        CaDoesNotSignChain | MissingIntermediate | ServerSelfSigned | CaFileHoldsIntermediate => {
            untrusted_chain(cause, known)
        }
        DefaultRootFileUsed | DriverVerifiesByDefault => RuledOut,
        ServerCertificateExpired => server_dates(EXPIRED, known),
        ServerCertificateNotYetValid => server_dates(NOT_YET_VALID, known),
        HostNotInCertificate => host_name(captures, known),
        CommonNameOnly => Possible(String::new()),
        CaFileMissing => ca_file_missing(captures, known),
        KeyReadableByOthers => match &known.key_file {
            Some(finding) => Shown(finding.detail.clone(), vec![finding.code]),
            None => Shown("The message says so.".into(), Vec::new()),
        },
        KeyDoesNotMatchCertificate => key_match(message.failure, known),
        PassphraseMissing | PassphraseWrong => passphrase(cause, known),
        ClientCertificateOtherCa => client_chain(known),
        ClientCertificateExpired => match known.client_finding(EXPIRED) {
            Some(d) => Shown(d.detail.clone(), vec![d.code]),
            None if known.client_side.is_some() => RuledOut,
            None => Possible(String::new()),
        },
        ClientCertificateNotSent => client_cert_not_sent(client, known),
        CertificateNameNotUser => match known.client_finding(&["PGP-CERT-011"]) {
            Some(d) => Shown(d.detail.clone(), vec![d.code]),
            None => Possible(format!(
                "The server names the user {}.",
                quoted(captures.get("user"))
            )),
        },
        TlsNotUsedWhereRequired | TlsUsedWhereNotAllowed | NoLineForUserOrDatabase => {
            hba_encryption(cause, message.failure, captures, known)
        }
        PasswordMissing => {
            if known.dsn.is_some() && !known.password_given {
                Shown(
                    "The connection string holds no password.".into(),
                    Vec::new(),
                )
            } else {
                Possible(String::new())
            }
        }
        WrongPassword => Possible(String::new()),
        ServerMethodNotScram => Shown(
            "The message says the server authenticated without SCRAM.".into(),
            Vec::new(),
        ),
        TlsNotUsed => Shown(
            format!("The string's sslmode is `{}`.", known.sslmode()),
            Vec::new(),
        ),
        ServerOlderThan17 => direct_negotiation(client, known),
        NotPostgresEndpoint | ServerClosedConnection => {
            if known.uses_direct_tls() {
                RuledOut
            } else {
                Possible(String::new())
            }
        }
        SslmodeBelowRequire => match known.string_finding(&["PGP-SSL-003"]) {
            Some(d) => Shown(d.detail.clone(), vec![d.code]),
            None => Shown(
                format!("The string's sslmode is `{}`.", known.sslmode()),
                Vec::new(),
            ),
        },
        ProtocolRangesDisjoint => protocol_range(known),
        KeywordTooNew => too_new(captures),
        OtherDriversParameter => match other_drivers_parameter(captures) {
            Some(keyword) => Shown(
                format!("`{keyword}` is another driver's parameter."),
                known
                    .string_finding(UNKNOWN_KEYWORD)
                    .map(|d| vec![d.code])
                    .unwrap_or_default(),
            ),
            None => RuledOut,
        },
        KeywordMisspelt => match (too_new(captures), other_drivers_parameter(captures)) {
            (Shown(..), _) | (_, Some(_)) => RuledOut,
            // A URL (another scheme's), or a keyword libpq 18 knows (an older libpq's refusal).
            _ if captures.get("keyword").is_some_and(|k| {
                url_shaped(k) || crate::conninfo::keywords::lookup(k).is_some()
            }) =>
            {
                RuledOut
            }
            _ => match unknown_keyword_finding(message, captures, known) {
                Some(d) => Shown(d.detail.clone(), vec![d.code]),
                None if known.dsn.is_some() && !refused_by_libpq(known) => Shown(
                    "The string given here does not hold it, so the client read another string.".into(),
                    Vec::new(),
                ),
                None => Shown(String::new(), Vec::new()),
            },
        },
        // Judged by `string_rejected`, which leaves none of them to this point.
        WordWithoutEquals | UriSchemeNotLibpqs | QuoteNotClosed | UriCharacterNotEncoded
        | Ipv6HostMalformed | QueryParameterMalformed | SettingValueNotAccepted
        | PortNotANumber => RuledOut,
        CredentialsBeforeJdbcHost if message.failure == Failure::HostNotFound => {
            credentials_looked_up(captures, client, known)
        }
        // Judged by `jdbc_url_rejected`, the only failure that has them.
        CredentialsBeforeJdbcHost | NotAJdbcUrl | JdbcUrlSlashes | JdbcDriverNotLoaded
        | PlaceholderNotFilled | JdbcServiceUndefined => RuledOut,
        // Judged by `npgsql_string_rejected`, the only failure that has them.
        UrlGivenToNpgsql | NpgsqlKeywordUnknown | NpgsqlValueRefused | NpgsqlValueNotQuoted
        | NpgsqlHostMissing => RuledOut,
        OtherCaFileUsed => match known.server_side.as_ref().and_then(|r| r.chains.server.as_ref()) {
            Some(chain) if chain.valid => Shown(
                "The server's chain pasted here does verify against the CA file pasted here.".into(),
                Vec::new(),
            ),
            _ => RuledOut,
        },
        ClientWithoutSni => Shown(String::new(), Vec::new()),
        PoolerUserWithoutProjectRef if captures.get("user").is_some_and(|u| u.contains('.')) => {
            RuledOut
        }
        PoolerUserWithoutProjectRef => match known.param("user") {
            Some(user) if !user.contains('.') => Shown(
                format!("The string's user is `{user}`, without a project ref."),
                Vec::new(),
            ),
            Some(_) => RuledOut,
            None if known.dsn.is_some() => Shown(
                "The string names no user.".into(),
                Vec::new(),
            ),
            None => Possible(String::new()),
        },
        PoolerHostMistyped => Possible(String::new()),
        Ipv6OnlyEndpoint => ipv6_only(message, captures, known),
        // pgjdbc's own reading of `user:password@host` says it more exactly.
        AtSignInHost if !matches!(credentials_looked_up(captures, client, known), RuledOut) => RuledOut,
        AtSignInHost => at_sign_in_host(captures),
        HostNameUnknown => host_name_unknown(message, captures, known),
        DnsUnavailable if resolver_failed(message, captures) => Shown(
            "The resolver's answer was a temporary failure, not \"no such name\".".into(),
            Vec::new(),
        ),
        DnsUnavailable => RuledOut,
        NoRouteToServer => Possible(String::new()),
        PacketsDropped => Possible(String::new()),
        ConnectTimeoutTooShort => connect_timeout(known),
        PoolerDropsPreparedStatements => pooler_prepares(captures, known),
        StatementNameReused if captures.get("name").is_some_and(|n| driver_statement_name(n)) => {
            RuledOut
        }
        StatementNameReused => Possible(String::new()),
        ArgumentNotTakenByDriver => match known.string_finding(ARGUMENT_REJECTED) {
            Some(d) => Shown(d.detail.clone(), vec![d.code]),
            None => Shown(
                format!(
                    "The driver's connect() has no argument {}.",
                    quoted(captures.get("argument"))
                ),
                Vec::new(),
            ),
        },
        RejectLine => Possible(String::new()),
        IdleConnectionCut | ServerEndedSession => Possible(String::new()),
        // pgjdbc's `The connection attempt failed.` wraps any I/O error: it says no more.
        NothingListening if message.failure == Failure::ConnectionAttemptFailed => {
            Possible(String::new())
        }
        // Failures with one cause: the message itself says it.
        CaFileNotPem | FileMissing | ClientCertificateNotPem | KeyFileMissing
        | KeyFormatUnsupported | NothingListening | RoleDoesNotExist | DatabaseDoesNotExist
        | ClientBuiltWithoutSsl | IamTokenRejected | OsUserNotDatabaseUser => {
            Shown(String::new(), Vec::new())
        }
    }
}

/// The string's findings that show an IPv6-only host, a driver preparing statements behind a
/// transaction pooler (or, for drivers without that finding, the pooler alone), and an
/// argument the driver's connect() refuses.
const IPV6_ONLY: &[&str] = &["PGP-PROV-008"];
const POOLER_PREPARES: &[&str] = &["PGP-PROV-012", "PGP-PROV-005"];
const ARGUMENT_REJECTED: &[&str] = &["PGP-DRIVER-025"];

/// What .NET's flags say of `cause` (SslStream's messages, under Npgsql): `errors` are the
/// SslPolicyErrors (`RemoteCertificateNameMismatch, RemoteCertificateChainErrors`), `status`
/// the X509ChainStatusFlags when the chain was the only error (`UntrustedRoot`,
/// `PartialChain`, `NotTimeValid`). `None`: the flags do not decide it.
fn dotnet_flags(cause: Cause, message: &Message, captures: &Captures) -> Option<Verdict> {
    use Cause::*;
    if message.failure != Failure::ServerCertificateUntrusted {
        return None;
    }
    let chain_cause = matches!(
        cause,
        DefaultRootFileUsed
            | DriverVerifiesByDefault
            | CaDoesNotSignChain
            | MissingIntermediate
            | ServerSelfSigned
            | ServerCertificateExpired
            | CaFileHoldsIntermediate
            | ServerCertificateNotYetValid
            | OtherCaFileUsed
    );
    if let Some(errors) = captures.get("errors") {
        if cause == HostNotInCertificate {
            return Some(if errors.contains("RemoteCertificateNameMismatch") {
                Shown(
                    "The server's certificate does not hold the host name: .NET reports RemoteCertificateNameMismatch.".into(),
                    Vec::new(),
                )
            } else {
                RuledOut
            });
        }
        if chain_cause && !errors.contains("RemoteCertificateChainErrors") {
            return Some(RuledOut);
        }
        return None;
    }
    if cause == HostNotInCertificate {
        return Some(RuledOut);
    }
    let status = captures.get("status")?;
    const IMPLIES: &[(&str, &[Cause])] = &[
        ("UntrustedRoot", &[CaDoesNotSignChain, ServerSelfSigned, OtherCaFileUsed]),
        ("PartialChain", &[MissingIntermediate, CaDoesNotSignChain, CaFileHoldsIntermediate]),
        ("NotTimeValid", &[ServerCertificateExpired, ServerCertificateNotYetValid]),
    ];
    let named: Vec<&[Cause]> = IMPLIES
        .iter()
        .filter(|(flag, _)| status.contains(flag))
        .map(|(_, causes)| *causes)
        .collect();
    (chain_cause && !named.is_empty() && !named.iter().any(|causes| causes.contains(&cause)))
        .then_some(RuledOut)
}

/// Npgsql's and .NET's refusals of the string itself: `Couldn't set <key>` names the key (a
/// URL read up to its `=`, a key Npgsql does not know, or one whose value it refuses); .NET's
/// `Format of the initialization string…` names the position it could not split; `Host can't
/// be null` says no `Host` arrived. The string given, where there is one, settles which.
fn npgsql_string_rejected(cause: Cause, message: &Message, captures: &Captures, known: &Known) -> Verdict {
    let given = known.dsn.as_ref().map(|(s, _)| s.trim());
    let given_url = given.is_some_and(|s| s.contains("://"));
    let shown = |detail: &str| Shown(detail.to_string(), Vec::new());
    if let Some(key) = captures.get("key") {
        // .NET adds the parameter name: `Couldn't set x (Parameter 'x')`.
        let key = key.split(" (Parameter").next().unwrap_or_default();
        let url = key.contains("://") || key.starts_with("postgres") || given_url;
        let known_key = crate::conninfo::npgsql_keywords::knows(key.trim());
        // A keyword Npgsql 10 added, refused: most likely an older Npgsql, which has no such
        // keyword (`KeyNotFoundException` under the message); else Npgsql 10 refused its value.
        let since_10 = crate::conninfo::npgsql_keywords::lookup(key.trim())
            .is_some_and(|(name, _)| crate::conninfo::npgsql_keywords::SINCE_NPGSQL_10.contains(&name));
        if since_10 {
            return match cause {
                Cause::NpgsqlKeywordUnknown => Likely(format!(
                    "`{}` is Npgsql 10's keyword: Npgsql 9 and older do not know it (a `KeyNotFoundException` under the message says so), so the program runs an older Npgsql than the string was written for.",
                    key.trim()
                )),
                Cause::NpgsqlValueRefused => Possible(
                    "Under Npgsql 10 it is the value that was refused (an `ArgumentException` under the message).".into(),
                ),
                _ => RuledOut,
            };
        }
        return match cause {
            Cause::UrlGivenToNpgsql if url => shown("The key Npgsql could not set is a URL up to its first `=`."),
            Cause::NpgsqlKeywordUnknown if !url && !known_key => shown("Npgsql has no keyword of that name."),
            Cause::NpgsqlValueRefused if known_key => shown("Npgsql knows the keyword: its value is what it refused."),
            _ => RuledOut,
        };
    }
    if message.pattern.starts_with("Format of the initialization string") {
        let at_start = captures.get("index").is_some_and(|i| i.trim() == "0");
        // Unread from its first character, with no string to look at: a URL, most often.
        let url_likely = at_start && given.is_none();
        return match cause {
            Cause::UrlGivenToNpgsql if given_url => shown("The string given is a URL."),
            Cause::UrlGivenToNpgsql if url_likely => Likely(
                "The string could not be read from its first character: a URL, most often.".into(),
            ),
            Cause::NpgsqlValueNotQuoted if !(given_url || url_likely) => Likely(
                "The string could not be split past its start.".into(),
            ),
            _ => RuledOut,
        };
    }
    match cause {
        Cause::NpgsqlHostMissing => shown(""),
        Cause::UrlGivenToNpgsql if given_url => shown("The string given is a URL, which Npgsql reads as one unknown key."),
        _ => RuledOut,
    }
}

/// Prisma's engine reads its TLS files itself (quaint's `SslParams::into_auth`): from the
/// folder holding the schema, not the working directory, and the client's as one PKCS#12
/// bundle, which OpenSSL 3 refuses when it was made with `-legacy`.
fn prisma_files(cause: Cause, client: Option<Client>) -> Option<Verdict> {
    if client != Some(Client::Prisma) {
        return None;
    }
    let shown = match cause {
        Cause::CaFileMissing => "Prisma reads `sslcert` (its CA file) from the folder holding the schema (./prisma, or ./prisma/schema), not the working directory: a path that works for psql needs `../` before it here.",
        Cause::FileMissing => "Prisma reads `sslidentity` (the client's PKCS#12 bundle) from the folder holding the schema (./prisma, or ./prisma/schema), not the working directory.",
        Cause::KeyFormatUnsupported => "The client's PKCS#12 bundle (`sslidentity`) was made with the legacy RC2/3DES algorithms (`openssl pkcs12 -export -legacy`), which OpenSSL 3 refuses: export it again without `-legacy` where Prisma runs on Linux.",
        _ => return None,
    };
    Some(Shown(shown.to_string(), Vec::new()))
}

/// pgjdbc's own complaints about a URL (`Driver.parseURL` logs one and returns null, then
/// `Driver.connect` throws `Unable to parse URL`, 42.4.1+), the pools' and DriverManager's,
/// which quote the URL, and the messages of a driver that was never found.
/// - pgjdbc's WARNINGs name their cause; a quoted URL is read as pgjdbc reads it
///   ([`read_jdbc_url`]), and so is the string given, where the message's URL shows nothing.
/// - `Unable to parse URL` and HikariCP's `claims to not accept` come from pgjdbc itself: the
///   driver was loaded. DriverManager's `No suitable driver` for a `jdbc:postgresql:` URL that
///   pgjdbc refuses means a pgjdbc older than 42.4.1 (whose `connect` returned null) or none.
fn jdbc_url_rejected(cause: Cause, message: &Message, captures: &Captures, known: &Known) -> Verdict {
    let pattern = message.pattern;
    if message.failure == Failure::DriverNotFound {
        return match cause {
            Cause::JdbcDriverNotLoaded => Shown(String::new(), Vec::new()),
            _ => RuledOut,
        };
    }
    let named = if pattern.contains("/ characters") || pattern.contains("must contain a /") {
        Some(Cause::JdbcUrlSlashes)
    } else if pattern.contains("Definition of service") {
        Some(Cause::JdbcServiceUndefined)
    } else if pattern.contains("not valid (1:65535)") {
        Some(Cause::PortNotANumber)
    } else {
        None
    };
    let dsn = known.dsn.as_ref().filter(|(_, d)| *d == Dialect::Jdbc).map(|(s, _)| s.as_str());
    let quoted = captures.get("url").map(String::as_str);
    // The first reading that refuses: the quoted URL's, else the string given's (the quoted
    // one may show nothing, masked).
    let reading = quoted
        .into_iter()
        .chain(dsn)
        .map(read_jdbc_url)
        .reduce(|first, next| if first.refused.is_empty() { next } else { first })
        .unwrap_or_default();
    if let Some(port) = captures.get("port") {
        return jdbc_port_refused(cause, port);
    }
    let seen = reading.refused.iter().find(|(c, _)| *c == cause).map(|(_, s)| s.clone());
    // A message that names its cause puts it first; what else the URL shows follows.
    match (named, seen) {
        (Some(named), seen) if named == cause => return Shown(seen.unwrap_or_default(), Vec::new()),
        (Some(_), Some(seen)) => return Likely(seen),
        (Some(_), None) => return RuledOut,
        (None, Some(seen)) => return Shown(seen, Vec::new()),
        (None, None) => {}
    }
    let loaded = pattern.contains("Unable to parse URL") || pattern.contains("claims to not accept");
    match cause {
        Cause::JdbcDriverNotLoaded if loaded => RuledOut,
        Cause::JdbcDriverNotLoaded if reading.refused.is_empty() => Shown(
            "pgjdbc would take the URL quoted, so no driver that was loaded is pgjdbc.".into(),
            Vec::new(),
        ),
        // HikariCP asks `DriverManager.getDriver`, which asks each driver's `acceptsURL`:
        // pgjdbc answers no for a URL it refuses, in every version (a driver expert).
        Cause::JdbcDriverNotLoaded if pattern.contains("Failed to get driver instance") => RuledOut,
        Cause::JdbcDriverNotLoaded if reading.jdbc => Possible(
            "pgjdbc 42.4.1 and later throw `Unable to parse URL` for this URL: `No suitable driver` means an older pgjdbc, or none on the classpath.".into(),
        ),
        Cause::CredentialsBeforeJdbcHost if reading.credentials_as_host => Likely(
            "pgjdbc takes `user:password@host` for the host name: once the URL is taken, the lookup of that name fails with the password in its error.".into(),
        ),
        // HikariCP masks `password=` values, where a `%` that is no escape hides.
        Cause::UriCharacterNotEncoded if loaded && reading.refused.is_empty() && reading.masked_value => Likely(
            "A value of the URL is masked (the password): a `%` in it that is not followed by two hexadecimal digits makes pgjdbc refuse the URL.".into(),
        ),
        Cause::JdbcServiceUndefined if loaded && reading.refused.is_empty() && reading.service => Likely(
            "The URL names a `service=`, which pgjdbc refuses when no service file defines it.".into(),
        ),
        _ => RuledOut,
    }
}

/// pgjdbc's `JDBC URL invalid port number: {port}`: a port holding an `@` is the password's
/// rest and the host, read after the password's `:`; a placeholder was never filled in;
/// anything else is a port that is no number.
fn jdbc_port_refused(cause: Cause, port: &str) -> Verdict {
    let placeholder = crate::conninfo::placeholder::placeholder_in(port).is_some();
    match cause {
        Cause::CredentialsBeforeJdbcHost if port.contains('@') => Shown(
            "The port pgjdbc read holds an `@`: it is the password's rest and the host, after the password's `:`.".into(),
            Vec::new(),
        ),
        Cause::PlaceholderNotFilled if placeholder => Shown(
            format!("pgjdbc read `{port}` for the port."),
            Vec::new(),
        ),
        Cause::PortNotANumber if !port.contains('@') => Shown(
            format!("pgjdbc read `{port}` for the port."),
            Vec::new(),
        ),
        _ => RuledOut,
    }
}

/// What pgjdbc's `Driver.parseURL` makes of a URL, as explain-error judges it.
#[derive(Debug, Default)]
struct JdbcUrlReading {
    /// It starts with `jdbc:postgresql:`.
    jdbc: bool,
    /// Why `parseURL` returns null, each with what shows it; a placeholder left in the URL
    /// first, as what the rest follows from.
    refused: Vec<(Cause, String)>,
    /// `user:password@host:port`, which pgjdbc takes, reading the host name as
    /// `user:password@host`.
    credentials_as_host: bool,
    /// A value masked (HikariCP's `<masked>`, or a secret masked before judging): what it
    /// hides cannot be read.
    masked_value: bool,
    /// A `service=` parameter.
    service: bool,
}

/// [`JdbcUrlReading`] of `url`, by the reader `check --driver jdbc` uses
/// ([`jdbc::url_reading`]), so that the two cannot disagree.
fn read_jdbc_url(url: &str) -> JdbcUrlReading {
    let pgjdbc = jdbc::url_reading(url);
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let mut reading = JdbcUrlReading {
        jdbc: pgjdbc.refusal != Some(UrlRefusal::Prefix),
        credentials_as_host: pgjdbc.credentials_as_host,
        // HikariCP's mask, or this tool's over a secret the message echoed.
        masked_value: query.contains(crate::conninfo::embedded::HIKARI_MASK) || query.contains(crate::conninfo::redact::REDACTED),
        service: pgjdbc.service,
        refused: Vec::new(),
    };
    // HikariCP's `<masked>` is its log's mask over a password, not a placeholder left in.
    let unmasked = url.replace(crate::conninfo::embedded::HIKARI_MASK, "");
    if crate::conninfo::placeholder::placeholder_in(&unmasked).is_some() {
        reading.refused.push((
            Cause::PlaceholderNotFilled,
            "The URL still holds a placeholder.".to_string(),
        ));
    }
    let Some(refusal) = pgjdbc.refusal else {
        return reading;
    };
    let slashes = matches!(refusal, UrlRefusal::TooManySlashes(_) | UrlRefusal::NoSlash);
    reading.refused.push(refusal_cause(refusal));
    if slashes && pgjdbc.userinfo_before_host {
        reading.refused.push((
            Cause::CredentialsBeforeJdbcHost,
            "The URL holds user information before the host.".to_string(),
        ));
    }
    reading
}

/// The cause that names pgjdbc's refusal, with what shows it.
fn refusal_cause(refusal: UrlRefusal) -> (Cause, String) {
    let (cause, shown) = match refusal {
        UrlRefusal::Prefix => (Cause::NotAJdbcUrl, "The URL given to pgjdbc does not start with `jdbc:postgresql:`.".to_string()),
        UrlRefusal::OneSlashAfterPrefix => (Cause::JdbcUrlSlashes, "The URL has one `/` after `jdbc:postgresql:`, where pgjdbc reads `//` or none.".to_string()),
        UrlRefusal::TooManySlashes(SlashShape::WholeUrl) => (Cause::JdbcUrlSlashes, "A whole URL stands where pgjdbc reads the host.".to_string()),
        UrlRefusal::TooManySlashes(SlashShape::PasswordWithSlash) => (Cause::JdbcUrlSlashes, "The URL's user information holds a `/` (a password with `/`), before the host.".to_string()),
        UrlRefusal::TooManySlashes(SlashShape::DatabaseWithSlash) => (Cause::JdbcUrlSlashes, "The URL has more than one `/` between the host list and the `?`.".to_string()),
        UrlRefusal::NoSlash => (Cause::JdbcUrlSlashes, "The URL has no `/` after the host list.".to_string()),
        UrlRefusal::Port(port) => (Cause::PortNotANumber, format!("pgjdbc reads `{port}` for the port.")),
        UrlRefusal::CredentialsAsPort => (Cause::CredentialsBeforeJdbcHost, "The URL holds user information before the host, and pgjdbc read the password's rest and the host for the port.".to_string()),
        UrlRefusal::BadEscape => (Cause::UriCharacterNotEncoded, "A value of the URL holds a `%` not followed by two hexadecimal digits, which pgjdbc's decoder refuses.".to_string()),
    };
    (cause, shown)
}

/// The string's own finding that shows `cause`, when the review of the string has one.
pub fn string_finding(cause: Cause, known: &Known) -> Option<&crate::diagnostic::Diagnostic> {
    let codes = match cause {
        Cause::Ipv6OnlyEndpoint => IPV6_ONLY,
        Cause::PoolerDropsPreparedStatements => POOLER_PREPARES,
        Cause::ArgumentNotTakenByDriver => ARGUMENT_REJECTED,
        // The string's own finding of the unencoded `@`: its fix is the string as meant.
        // In a JDBC URL the `user:password@` itself is the finding: pgjdbc reads no user
        // information, so encoding the password would not help (a driver expert).
        Cause::AtSignInHost => &["PGP-DRIVER-015", "PGP-PASTE-010"],
        // pgjdbc's own reading of `user:password@host`, whose fix moves the user to `?user=`.
        Cause::CredentialsBeforeJdbcHost => &["PGP-DRIVER-015"],
        _ => return None,
    };
    known.string_finding(codes)
}

/// Whether the resolver failed for the moment (EAI_AGAIN: glibc's and the BSDs' `Temporary
/// failure in name resolution`, Node's `getaddrinfo EAI_AGAIN`) rather than answering that the
/// name has no address.
fn resolver_failed(message: &Message, captures: &Captures) -> bool {
    message.pattern.contains("EAI_AGAIN")
        || captures
            .values()
            .any(|v| v.contains("Temporary failure") || v.contains("EAI_AGAIN"))
}

/// An IPv6 address among the message's values (`2600:1f18:…`, Node's `2600:…::1:5432`, a
/// bracketed `[2600:…]:5432`): a word with two colons or more.
fn ipv6_address(captures: &Captures) -> Option<&str> {
    captures
        .values()
        .flat_map(|v| v.split_whitespace())
        .map(|word| word.trim_matches(|c: char| matches!(c, '(' | ')' | '"' | ',')))
        .find(|word| {
            word.matches(':').count() >= 2
                && word
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.' | '[' | ']' | '…'))
        })
}

/// An address the message names that is not an IPv6 one (`10.0.0.5`, `10.0.0.5:5432`).
fn ipv4_address(captures: &Captures) -> bool {
    captures.get("address").is_some_and(|address| {
        let word = address.split_whitespace().next().unwrap_or("");
        let host = word.split(':').next().unwrap_or("");
        word.matches(':').count() < 2 && host.parse::<std::net::Ipv4Addr>().is_ok()
    })
}

fn ipv6_only(message: &Message, captures: &Captures, known: &Known) -> Verdict {
    let finding = known.string_finding(IPV6_ONLY);
    // A resolver that did not answer says nothing about the host's addresses.
    if message.failure == Failure::HostNotFound && resolver_failed(message, captures) {
        return match finding {
            Some(d) => Possible(d.detail.clone()),
            None => RuledOut,
        };
    }
    // The client reached for an IPv4 address: the host has one (Supabase's IPv4 add-on).
    if ipv4_address(captures) {
        return RuledOut;
    }
    match finding {
        // A name that did not resolve may also be a project paused or deleted: likely, given
        // the host, but not shown (macOS's resolver and Node ask only for the addresses the
        // machine can use, so an IPv6-only name does not resolve where there is no IPv6).
        Some(d) if message.failure == Failure::HostNotFound => {
            return Likely(format!("{} ({})", d.detail, d.code));
        }
        Some(d) => return Shown(d.detail.clone(), vec![d.code]),
        None => {}
    }
    match (message.failure, ipv6_address(captures)) {
        (Failure::NetworkUnreachable, Some(address)) => Likely(format!(
            "The client tried the IPv6 address `{address}`, and its network has no route for it."
        )),
        (Failure::NetworkUnreachable, None) => Possible(String::new()),
        _ => RuledOut,
    }
}

/// A host name with an `@` in it (libpq's `could not translate host name "…@h1"`, the report
/// masking what stands before it): what a URL parser that ends the user information at the
/// first `@` (libpq, asyncpg, SQLAlchemy) reads after a password holding one.
/// pgjdbc looked up `user:password@host` (`UnknownHostException: app:…@db.example.com`): it
/// reads no user information and took it for the host name (`Driver.parseURL` splits each
/// address at its last `:`, a port after the host). Known to be pgjdbc from the message's
/// client or the JDBC URL given.
fn credentials_looked_up(captures: &Captures, client: Option<Client>, known: &Known) -> Verdict {
    let jdbc = client == Some(Client::Pgjdbc) || known.dsn.as_ref().is_some_and(|(_, d)| *d == Dialect::Jdbc);
    let host = captures.get("host").map(String::as_str).unwrap_or_default();
    let credentials = host.split_once('@').is_some_and(|(userinfo, _)| !userinfo.is_empty());
    if !(jdbc && credentials) {
        return RuledOut;
    }
    Shown(
        "pgjdbc looked up the URL's `user:password@host` as one host name.".into(),
        Vec::new(),
    )
}

fn at_sign_in_host(captures: &Captures) -> Verdict {
    match captures.get("host") {
        Some(host) if host.contains('@') => Shown(
            "The host name the client looked up holds an `@`.".into(),
            Vec::new(),
        ),
        _ => RuledOut,
    }
}

fn host_name_unknown(message: &Message, captures: &Captures, known: &Known) -> Verdict {
    if captures.get("host").is_some_and(|host| host.contains('@')) {
        return RuledOut;
    }
    if resolver_failed(message, captures) {
        return Possible(String::new());
    }
    if known.string_finding(IPV6_ONLY).is_some() {
        return Possible(String::new());
    }
    match captures.get("host") {
        Some(host) => Shown(
            format!("The resolver found no address for `{host}`."),
            Vec::new(),
        ),
        // asyncpg's `socket.gaierror` names no host: the string's is the one looked up.
        None => match known
            .param("host")
            .or_else(|| known.driver_params.get("host").map(String::as_str))
            .filter(|h| !h.is_empty())
        {
            Some(hosts) => Shown(
                format!("The message names no host; the string's is `{hosts}`: check its spelling."),
                Vec::new(),
            ),
            None => Shown(String::new(), Vec::new()),
        },
    }
}

/// `connect_timeout` as the string sets it: a few seconds is short for a distant or waking
/// server; a long one is ruled out.
fn connect_timeout(known: &Known) -> Verdict {
    match known.param("connect_timeout").map(str::parse::<i64>) {
        Some(Ok(seconds)) if seconds <= 5 => Likely(format!(
            "The string sets connect_timeout={seconds} (seconds)."
        )),
        Some(_) => RuledOut,
        None if known.dsn.is_some() => Possible(
            "The string sets no connect_timeout: the limit came from PGCONNECT_TIMEOUT or the application."
                .into(),
        ),
        None => Possible(String::new()),
    }
}

/// The names drivers give the statements they prepare themselves: asyncpg
/// `__asyncpg_stmt_<n>__` from a process-wide counter (asyncpg 0.31.0 connection.py:1607-1610), pgx v5
/// `stmtcache_<hex>` (internal/stmtcache/stmtcache.go `StatementName`), pgx v4 `lrupsc_`.
fn driver_statement_name(name: &str) -> bool {
    ["__asyncpg_stmt_", "stmtcache_", "lrupsc_"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

fn pooler_prepares(captures: &Captures, known: &Known) -> Verdict {
    if let Some(d) = known.string_finding(POOLER_PREPARES) {
        return Shown(d.detail.clone(), vec![d.code]);
    }
    match captures.get("name") {
        Some(name) if driver_statement_name(name) => Likely(format!(
            "`{name}` is a name the driver gives its own statements, never twice in one process: the server connection held another client's statements, as the connections a transaction-mode pooler hands out do."
        )),
        _ => Possible(String::new()),
    }
}

fn quoted(value: Option<&String>) -> String {
    value.map_or_else(|| "in the message".to_string(), |v| format!("`{v}`"))
}

/// The server chain against the CA: which of the chain causes the review shows.
fn untrusted_chain(cause: Cause, known: &Known) -> Verdict {
    let Some(report) = known.server_side.as_ref() else {
        return Possible(String::new());
    };
    if !(known.has(Field::ServerChain) && known.has(Field::RootCert)) {
        // The server's certificate alone still shows a self-signed one.
        if cause == Cause::ServerSelfSigned && known.has(Field::ServerChain) {
            return match leaf_is_self_signed(report) {
                Some(true) => Shown(
                    "The server's certificate is its own issuer.".into(),
                    Vec::new(),
                ),
                Some(false) => RuledOut,
                None => Possible(String::new()),
            };
        }
        return Possible(String::new());
    }
    let valid = report.chains.server.as_ref().map(|c| c.valid);
    let self_signed_leaf = leaf_is_self_signed(report) == Some(true);
    match cause {
        Cause::CaFileHoldsIntermediate => match known.server_finding(&["PGP-CHAIN-002"]) {
            Some(d) => Shown(d.detail.clone(), vec![d.code]),
            None => RuledOut,
        },
        Cause::ServerSelfSigned if self_signed_leaf && valid == Some(false) => Shown(
            "The server's certificate is its own issuer, and the CA file does not hold it.".into(),
            vec!["PGP-CHAIN-003"],
        ),
        Cause::ServerSelfSigned => RuledOut,
        // An issuer in neither file: the CA file is another CA's, or the server does not send
        // the intermediate between its certificate and the CA. The files cannot tell which.
        Cause::CaDoesNotSignChain | Cause::MissingIntermediate if !self_signed_leaf => {
            if let Some(d) = known.server_finding(&["PGP-CHAIN-001"]) {
                // The server's chain reaches the CA the user gave (it sends that very root):
                // the user's CA is right, and what is missing lies between.
                // A server that sends its certificate alone sends no intermediate at all: the
                // issuer it names is most likely the one missing (managed services whose
                // servers send the leaf alone have users add the intermediates to the CA
                // file). A server that sends intermediates ending elsewhere than the user's
                // CA points at the CA file instead. Only the issuer's certificate decides.
                let leaf_only = !report.certificates.iter().any(|c| c.role == "server-intermediate");
                return match (cause, sends_the_given_ca(report), leaf_only) {
                    (Cause::MissingIntermediate, true, _) => Shown(
                        format!("{} The server sends the CA certificate you gave, so the CA is the right one; the certificate between it and the server's is missing.", d.detail),
                        vec![d.code],
                    ),
                    (Cause::CaDoesNotSignChain, true, _) => RuledOut,
                    (Cause::MissingIntermediate, false, true) | (Cause::CaDoesNotSignChain, false, false) => Likely(format!(
                        "{} To decide, get that issuer's certificate: if your CA file's root signed it, it is the missing intermediate; if not, the CA file is for another CA.",
                        d.detail
                    )),
                    _ => Possible(d.detail.clone()),
                };
            }
            match known.server_finding(NO_PATH) {
                Some(d) if cause == Cause::CaDoesNotSignChain && valid == Some(false) => {
                    Shown(d.detail.clone(), vec![d.code])
                }
                _ => RuledOut,
            }
        }
        _ => RuledOut,
    }
}

/// Whether a certificate the server sends after its own is one the CA file holds.
fn sends_the_given_ca(report: &crate::check::Report) -> bool {
    let given: Vec<&str> = report
        .certificates
        .iter()
        .filter(|c| c.role == "root" || c.role == "root-file-intermediate")
        .map(|c| c.fingerprint_sha256.as_str())
        .collect();
    report
        .certificates
        .iter()
        .filter(|c| c.role == "server-intermediate")
        .any(|c| given.contains(&c.fingerprint_sha256.as_str()))
}

fn leaf_is_self_signed(report: &crate::check::Report) -> Option<bool> {
    report
        .certificates
        .iter()
        .find(|c| c.role == "server")
        .map(|c| c.subject == c.issuer)
}

fn server_dates(codes: &[&str], known: &Known) -> Verdict {
    match known.server_finding(codes) {
        Some(d) => Shown(d.detail.clone(), vec![d.code]),
        None if known.has(Field::ServerChain) => RuledOut,
        None => Possible(String::new()),
    }
}

fn host_name(captures: &Captures, known: &Known) -> Verdict {
    if let Some(d) = known.server_finding(&["PGP-CHAIN-011"]) {
        return Shown(d.detail.clone(), vec![d.code]);
    }
    let names = captures.get("name").or_else(|| captures.get("names"));
    let host = captures.get("host");
    match (names, host) {
        (Some(names), Some(host)) => Shown(
            format!("The certificate names `{names}`; the client connected to `{host}`."),
            Vec::new(),
        ),
        _ => Shown("The message says so.".into(), Vec::new()),
    }
}

fn ca_file_missing(captures: &Captures, known: &Known) -> Verdict {
    let file = captures.get("file");
    let set = known.param("sslrootcert");
    let detail = match (file, set) {
        (Some(file), Some(set)) if file == set => format!(
            "The string names `{set}` in sslrootcert, and it is not there where the client runs."
        ),
        (Some(file), None) => format!(
            "The string sets no sslrootcert, so the client looked for its default, `{file}`."
        ),
        (Some(file), _) => format!("The client looked for `{file}`."),
        (None, _) => String::new(),
    };
    Shown(detail, Vec::new())
}

fn key_match(failure: Failure, known: &Known) -> Verdict {
    match known.client_side.as_ref().and_then(|r| r.key_match) {
        Some(false) => match known.client_finding(&["PGP-KEY-004"]) {
            Some(d) => Shown(d.detail.clone(), vec![d.code]),
            None => Shown("The key is not the certificate's.".into(), Vec::new()),
        },
        Some(true) => Possible(
            "The key and certificate pasted here do match: the client read other files (check sslcert and sslkey)."
                .into(),
        ),
        // pgjdbc's `The connection attempt failed.` says nothing of the key: it wraps any I/O
        // error (an unknown host too, tests/explain host-name-unknown).
        None if failure == Failure::ConnectionAttemptFailed => Possible(String::new()),
        None => Shown("The message says so.".into(), Vec::new()),
    }
}

fn passphrase(cause: Cause, known: &Known) -> Verdict {
    let wrong = known.client_finding(&["PGP-KEY-002"]);
    let missing = known.client_finding(&["PGP-KEY-001"]);
    match (cause, wrong, missing) {
        (Cause::PassphraseWrong, Some(d), _) | (Cause::PassphraseMissing, _, Some(d)) => {
            Shown(d.detail.clone(), vec![d.code])
        }
        (Cause::PassphraseWrong, None, Some(_)) | (Cause::PassphraseMissing, Some(_), None) => {
            RuledOut
        }
        (Cause::PassphraseMissing, None, None) if known.param("sslpassword").is_none() && known.dsn.is_some() => Possible(
            "The string sets no sslpassword.".into(),
        ),
        _ => Possible(String::new()),
    }
}

fn client_chain(known: &Known) -> Verdict {
    let Some(report) = known.client_side.as_ref() else {
        return Possible(String::new());
    };
    match report.chains.client.as_ref().map(|c| c.valid) {
        Some(false) => {
            let finding = report
                .diagnostics
                .iter()
                .find(|d| d.code.starts_with("PGP-CHAIN-"));
            Shown(
                finding.map_or_else(
                    || "The client certificate does not chain to the client CA.".into(),
                    |d| d.detail.clone(),
                ),
                finding.map(|d| vec![d.code]).unwrap_or_default(),
            )
        }
        Some(true) => RuledOut,
        None => Possible(String::new()),
    }
}

fn client_cert_not_sent(client: Option<Client>, known: &Known) -> Verdict {
    let named = known.param("sslcert").is_some() || known.has(Field::ClientCert);
    if known.dsn.is_some() && !named {
        return Shown(
            "The string names no client certificate (sslcert).".into(),
            Vec::new(),
        );
    }
    // pgjdbc (JSSE) sends a client certificate only when the server lists its issuer among
    // the CAs it accepts; a certificate from another CA is then not sent at all.
    if client == Some(Client::Pgjdbc) {
        if let Some(false) = known
            .client_side
            .as_ref()
            .and_then(|r| r.chains.client.as_ref())
            .map(|c| c.valid)
        {
            return RuledOut;
        }
    }
    Possible(String::new())
}

fn hba_encryption(cause: Cause, failure: Failure, captures: &Captures, known: &Known) -> Verdict {
    let encryption = captures.get("encryption").map(String::as_str).unwrap_or("");
    let plaintext = encryption.starts_with("no encryption") || encryption.starts_with("SSL off");
    let tls = encryption.starts_with("SSL encryption") || encryption.starts_with("SSL on");
    match cause {
        // libpq never sends a startup packet in plaintext under require and the verify modes
        // (libpq docs §32.19.3, table 32.1): the connection the server saw was another
        // client's, or this one reading other settings.
        Cause::TlsNotUsedWhereRequired if plaintext && string_requires_tls(known) => Likely(format!(
            "The server saw a connection without encryption, but the string's sslmode is `{}`, which never connects without TLS: the client that failed did not use this string.",
            known.sslmode()
        )),
        // A `reject` line that refuses plain connections is how servers require TLS.
        Cause::TlsNotUsedWhereRequired if plaintext && failure == Failure::HbaRejects => Likely(format!(
            "The server saw a connection without encryption; the string's sslmode is `{}`.",
            known.sslmode()
        )),
        Cause::TlsNotUsedWhereRequired if plaintext => Possible(format!(
            "The server saw a connection without encryption; the string's sslmode is `{}`{}.",
            known.sslmode(),
            if known.param("sslmode").is_none() { " (libpq's default)" } else { "" }
        )),
        Cause::TlsUsedWhereNotAllowed if tls => Possible(
            "The server saw a TLS connection.".into(),
        ),
        Cause::NoLineForUserOrDatabase => Possible(String::new()),
        _ => RuledOut,
    }
}

/// Whether the string's sslmode (libpq's reading, or its libpq equivalent's) refuses to
/// connect without TLS.
fn string_requires_tls(known: &Known) -> bool {
    known.dsn.is_some() && matches!(known.sslmode(), "require" | "verify-ca" | "verify-full")
}

/// libpq verifies under sslmode=require only when it finds a CA file (its default path or
/// PGSSLROOTCERT; libpq docs §32.19.1, fe-secure-openssl.c initialize_SSL), and pgx does the
/// same: a verify failure under require, with no sslrootcert in the string, shows one was found.
fn default_root_file(message: &Message, client: Option<Client>, known: &Known) -> Verdict {
    let Some((_, dialect)) = known.dsn.as_ref() else {
        return RuledOut;
    };
    let libpq_reader = client.is_some_and(Client::shows_libpq_text)
        || matches!(message.client, Client::Libpq | Client::Pgx)
        || matches!(dialect, Dialect::Libpq | Dialect::Pgx);
    let require = known.sslmode() == "require";
    if libpq_reader && require && known.param("sslrootcert").is_none() && *dialect != Dialect::NodePostgres {
        Shown(
            "The string says sslmode=require and names no CA file, yet the client verified the server: it found one at its default path.".into(),
            Vec::new(),
        )
    } else {
        RuledOut
    }
}

/// node-postgres reads prefer, require and verify-ca as verify-full unless
/// `uselibpqcompat=true` (pg-connection-string 2.x index.js; docs/research §5).
fn node_verifies_by_default(known: &Known) -> Verdict {
    let Some((dsn, Dialect::NodePostgres)) = known.dsn.as_ref() else {
        return RuledOut;
    };
    let lower = dsn.to_ascii_lowercase();
    let mode = ["sslmode=prefer", "sslmode=require", "sslmode=verify-ca"]
        .iter()
        .find(|m| lower.contains(*m));
    match mode {
        Some(mode) if !lower.contains("sslrootcert=") && !lower.contains("uselibpqcompat=true") => Shown(
            format!("The string says `{mode}` and names no CA file."),
            Vec::new(),
        ),
        _ => RuledOut,
    }
}

fn direct_negotiation(client: Option<Client>, known: &Known) -> Verdict {
    let _ = client;
    if known.uses_direct_tls() {
        Shown(
            "The string asks for direct TLS (sslnegotiation=direct).".into(),
            Vec::new(),
        )
    } else {
        RuledOut
    }
}

fn protocol_range(known: &Known) -> Verdict {
    let min = known.param("ssl_min_protocol_version");
    let max = known.param("ssl_max_protocol_version");
    let found = match (min, max) {
        (None, None) => "The string sets no TLS version range; the server's range is above or below libpq's default (TLSv1.2 and up).".to_string(),
        _ => format!(
            "The string allows TLS from {} to {}.",
            min.unwrap_or("TLSv1.2"),
            max.unwrap_or("the newest")
        ),
    };
    Shown(found, Vec::new())
}

/// `invalid connection option "x"` for a keyword a newer libpq knows. Ruled out for a word no
/// libpq knows (the table is libpq 18's, the newest): a misspelling, or a password's text.
fn too_new(captures: &Captures) -> Verdict {
    let keyword = captures.get("keyword").map(String::as_str).unwrap_or("");
    let since = match keyword {
        "sslcertmode" | "require_auth" => Some(16),
        "sslnegotiation" => Some(17),
        "min_protocol_version" | "max_protocol_version" | "sslkeylogfile" | "oauth_issuer"
        | "oauth_client_id" | "oauth_client_secret" | "oauth_scope" => Some(18),
        _ => None,
    };
    match since {
        Some(version) => Shown(
            format!("`{keyword}` needs libpq {version} or later."),
            Vec::new(),
        ),
        None if crate::conninfo::keywords::lookup(keyword).is_some() => Possible(String::new()),
        None => RuledOut,
    }
}

/// The string's findings behind each of libpq's rejections of the string, by cause: the one
/// libpq's own message makes (PGP-PARAM-002 is `missing "="`), or, for a value, any of the
/// value checks (`conninfo/options.rs`).
pub fn rejection_codes(cause: Cause) -> Option<&'static [&'static str]> {
    use Cause::*;
    Some(match cause {
        WordWithoutEquals => &["PGP-PARAM-002"],
        // libpq reads the URL as one word: with no `=` in it, or as a keyword up to its first
        // `=` (`jdbc:postgresql://h/db?user=…`).
        UriSchemeNotLibpqs => &["PGP-PARAM-002", "PGP-PARAM-001"],
        QuoteNotClosed => &["PGP-PARAM-003"],
        UriCharacterNotEncoded => &["PGP-URI-001", "PGP-URI-002", "PGP-URI-003"],
        Ipv6HostMalformed => &["PGP-URI-004", "PGP-URI-005", "PGP-URI-006"],
        QueryParameterMalformed => &["PGP-URI-007", "PGP-URI-008"],
        PortNotANumber => &["PGP-HOST-003", "PGP-PARAM-011"],
        SettingValueNotAccepted => SETTING_VALUES,
        _ => return None,
    })
}

/// The findings of libpq's value checks (`conninfo/options.rs`).
const SETTING_VALUES: &[&str] = &[
    "PGP-HOST-001",
    "PGP-HOST-002",
    "PGP-HOST-003",
    "PGP-HOST-004",
    "PGP-HOST-005",
    "PGP-HOST-006",
    "PGP-AUTH-001",
    "PGP-AUTH-002",
    "PGP-AUTH-003",
    "PGP-SSL-001",
    "PGP-SSL-002",
    "PGP-SSL-004",
    "PGP-SSL-005",
    "PGP-SSL-006",
    "PGP-SSL-007",
    "PGP-PARAM-007",
    "PGP-PARAM-008",
    "PGP-PARAM-009",
    "PGP-PARAM-010",
    "PGP-PARAM-011",
    "PGP-PARAM-012",
];

/// The findings of an unknown keyword, in the keyword/value form and in a URI's query.
const UNKNOWN_KEYWORD: &[&str] = &["PGP-PARAM-001", "PGP-URI-009"];

/// Parameters of other drivers that people hand to libpq with the rest of a URL: Prisma's
/// (prisma-engines quaint `connection_string` parameters), pgjdbc's (PGProperty), node-postgres's
/// (pg-connection-string), and Npgsql's spelled as a query.
const OTHER_DRIVERS_PARAMETERS: &[&str] = &[
    "schema",
    "sslaccept",
    "sslidentity",
    "connection_limit",
    "pool_timeout",
    "connect_timeout_ms",
    "socket_timeout",
    "pgbouncer",
    "statement_cache_size",
    "ssl",
    "sslfactory",
    "sslhostnameverifier",
    "sslpasswordcallback",
    "loggerLevel",
    "currentSchema",
    "prepareThreshold",
    "ApplicationName",
    "uselibpqcompat",
    "TrustServerCertificate",
];

/// The keyword the message names, when it is another driver's parameter.
fn other_drivers_parameter(captures: &Captures) -> Option<&str> {
    let keyword = captures.get("keyword")?;
    OTHER_DRIVERS_PARAMETERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(keyword))
        .then_some(keyword.as_str())
}

/// Whether a parameter name is one the report may show: another driver's.
pub(crate) fn known_parameter(name: &str) -> bool {
    OTHER_DRIVERS_PARAMETERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(name))
}

/// The string's finding behind an unknown keyword: a paste finding (`DATABASE_URL=…` read as
/// a keyword), else the unknown-keyword finding that quotes the message (the string may hold
/// more than one), else the first.
fn unknown_keyword_finding<'a>(
    message: &Message,
    captures: &Captures,
    known: &'a Known,
) -> Option<&'a crate::diagnostic::Diagnostic> {
    let text = super::matcher::filled(message.pattern, captures);
    rejection_finding(UNKNOWN_KEYWORD, &text, known)
}

/// Whether a word libpq quotes is a URL: libpq read a URL whose scheme it does not take as a
/// keyword/value word (`jdbc:postgresql://…`, `postgresql+psycopg2://…`, `postgress://…`).
fn url_shaped(word: &str) -> bool {
    word.contains("://")
}

/// The cause a rejection row names, the quoted word deciding for `missing "="` (and for an
/// unknown keyword that is a URL: `invalid connection option "jdbc:postgresql://h/db?user"`).
fn rejection_named(message: &Message, captures: &Captures) -> Option<Cause> {
    let quoted_url = ["piece", "keyword"]
        .iter()
        .filter_map(|key| captures.get(*key))
        .any(|word| url_shaped(word));
    match message.names_cause {
        Some(Cause::WordWithoutEquals) if quoted_url => Some(Cause::UriSchemeNotLibpqs),
        None if message.failure == Failure::UnknownOption && quoted_url => {
            Some(Cause::UriSchemeNotLibpqs)
        }
        named => named,
    }
}

/// The verdict on one of libpq's rejections of the string (`None` for other causes): ruled out
/// unless the row names it; then shown by the string's own finding of it (a paste finding
/// first: a wrapped, uppercased or unencoded string is why libpq met what it quotes), or, when
/// the string given has none, by the message alone: the client read another string.
fn string_rejected(
    cause: Cause,
    message: &Message,
    captures: &Captures,
    known: &Known,
) -> Option<Verdict> {
    let codes = rejection_codes(cause)?;
    let named = rejection_named(message, captures);
    if named != Some(cause) {
        // An unknown keyword's other causes are judged as before.
        return (message.failure != Failure::UnknownOption).then_some(RuledOut);
    }
    let text = super::matcher::filled(message.pattern, captures);
    if let Some(d) = rejection_finding(codes, &text, known) {
        return Some(Shown(d.detail.clone(), vec![d.code]));
    }
    Some(match known.dsn.as_ref() {
        // A URL in another driver's form is read by that driver's rules here: libpq itself
        // takes only its own two schemes.
        Some((_, dialect)) if cause == Cause::UriSchemeNotLibpqs && *dialect != Dialect::Libpq => {
            Shown(
                format!(
                    "The string given is {}'s URL, which libpq does not read.",
                    dialect.name()
                ),
                Vec::new(),
            )
        }
        Some(_) if !refused_by_libpq(known) => Shown(
            "The string given here passes libpq's reading, so the client read another string (another variable or file), or the value came from an environment variable.".into(),
            Vec::new(),
        ),
        // Refused for another reason the review words otherwise: the message is the evidence.
        Some(_) => Shown("The message says so.".into(), Vec::new()),
        None => Shown("The message says so.".into(), Vec::new()),
    })
}

/// Whether the review of the string finds that libpq refuses it (as written, or a setting's
/// value), for any reason: then the client may well have read this string.
pub(crate) fn refused_by_libpq(known: &Known) -> bool {
    use Cause::*;
    let refusals: Vec<&str> = [
        WordWithoutEquals,
        UriSchemeNotLibpqs,
        QuoteNotClosed,
        UriCharacterNotEncoded,
        Ipv6HostMalformed,
        QueryParameterMalformed,
        SettingValueNotAccepted,
    ]
    .iter()
    .filter_map(|&cause| rejection_codes(cause))
    .flatten()
    .chain(UNKNOWN_KEYWORD)
    .copied()
    .collect();
    known
        .string_findings
        .iter()
        .any(|d| d.is_error() && (refusals.contains(&d.code) || root_of_rejection(d.code)))
}

/// Findings that say why libpq met what it quotes: a broken paste (a wrapped, uppercased or
/// unencoded string) and a template placeholder not filled in (`port=<PORT>`).
pub(crate) fn root_of_rejection(code: &str) -> bool {
    code.starts_with("PGP-PASTE-") || code == "PGP-PARAM-106"
}

/// The string's finding behind a rejection: a paste or placeholder finding of error severity
/// first ([`root_of_rejection`]; not for a value check), then the finding of `codes` that quotes the message as the
/// line shows it, then the first of `codes`.
pub fn rejection_finding<'a>(
    codes: &[&str],
    text: &str,
    known: &'a Known,
) -> Option<&'a crate::diagnostic::Diagnostic> {
    let findings = &known.string_findings;
    // A broken paste or a placeholder makes libpq misread the string's shape, which a
    // setting's value check (SETTING_VALUES) never depends on.
    let roots = codes != SETTING_VALUES;
    findings
        .iter()
        .find(|d| roots && root_of_rejection(d.code) && d.is_error())
        .or_else(|| {
            findings
                .iter()
                .find(|d| codes.contains(&d.code) && d.detail.contains(text))
        })
        .or_else(|| known.string_finding(codes))
}
