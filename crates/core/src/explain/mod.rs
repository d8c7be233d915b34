//! "Paste the error you got": a client's message, found in a pasted line, log or traceback,
//! mapped to its cause among the user's own inputs.
//!
//! 1. The pasted text is masked first: every secret the string finders know (URL passwords,
//!    `password=…` in any form), and the given string's own secrets and those found on any
//!    line wherever they appear, except that a secret made only of letters (a word the log
//!    may use: `port`, `server`) is masked only where it is echoed in its own context, so
//!    that no mask tells what the password is.
//! 2. Each line is matched against the message table ([`table`]), anywhere in the line, so
//!    that clients' wrappers (`psql: error: `, psycopg's `connection failed: `, libpq's
//!    `connection to server at … failed: `, Java and Python tracebacks, pgx's attempt list)
//!    need no rules of their own; the wrapper only tells which client wrote it.
//! 3. Each failure's candidate causes are judged against the inputs ([`causes`]): the
//!    certificate review of each side, the string's settings as its driver reads them.
//! 4. A fix that is a change to the string is written in the user's own dialect.

pub mod causes;
pub mod failure;
pub mod known;
pub mod matcher;
pub mod table;

use crate::conninfo::dialect::render;
use crate::conninfo::redact;
use crate::diagnostic::{Change, Fix};
use causes::Judged;
use failure::{Cause, Failure};
pub use known::{review_sides, ExplainInput, Side, SideReviews};
use known::{Known, Secrets};
use matcher::Captures;
use serde::Serialize;
use table::{Client, Evidence, Message, MESSAGES};

/// How much of a pasted text is read: a connection error is a few lines, a log around it a few
/// hundred; past this the text is cut (and the report says so), which keeps a huge paste from
/// stalling the page.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// How much of one line is read: every message in the table fits many times over; a longer line
/// (a minified JSON log record) is cut.
pub const MAX_LINE_BYTES: usize = 4096;

/// What `explain_error` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ErrorReport {
    /// The text was longer than [`MAX_TEXT_BYTES`] (or a line than [`MAX_LINE_BYTES`]) and only
    /// its start was read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// The client whose wrapper the text shows (`psql`, `psycopg`, `pgjdbc`, …), when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<Client>,
    /// One per failure found, in the order the text shows them.
    pub explanations: Vec<Explanation>,
    /// When no message was recognised and a string was given: the errors the review of that
    /// string finds (`check`'s error-level findings, fixes in the user's dialect), any of which
    /// can be why it failed. The report still says that no message was recognised: these are
    /// the string's own problems, not a reading of the text.
    #[serde(rename = "stringErrors", skip_serializing_if = "Vec::is_empty")]
    pub string_errors: Vec<crate::diagnostic::Diagnostic>,
}

/// One failure found in the text.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The client that writes the message (the wrapper's, when the text shows one).
    pub client: Client,
    pub failure: Failure,
    pub title: &'static str,
    /// The line it stands on, from 1, and that line with its secrets masked.
    pub line: usize,
    pub text: String,
    /// The values the message names (`host`, `file`, `user`, …), masked like the text.
    pub values: Captures,
    /// Where the message was read, and whether the real client was seen writing it.
    pub source: &'static str,
    pub evidence: Evidence,
    /// The causes, most likely first.
    pub causes: Vec<Judged>,
    /// The inputs that would decide between the causes, when they are undecided.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decide: Vec<crate::input::Field>,
    /// The change to the connection string, in the user's dialect, when the first cause is one
    /// the string can fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// The message (or a later line of the same error) names the cause itself.
    #[serde(skip)]
    names_cause: bool,
    /// An after-effect of another failure (see [`Message::consequence`]).
    #[serde(skip)]
    consequence: bool,
    /// Read from a message that others refine (see [`Message::generic`]).
    #[serde(skip)]
    generic: bool,
}

/// Every known message in `text` explained against `input`.
pub fn explain_error(text: &str, input: &ExplainInput<'_>) -> ErrorReport {
    explain_error_reviewed(text, input, &known::review_sides(input))
}

/// [`explain_error`] with each side's certificate review made elsewhere (the page's
/// certificate module): this path runs no certificate code.
pub fn explain_error_reviewed(
    text: &str,
    input: &ExplainInput<'_>,
    sides: &SideReviews,
) -> ErrorReport {
    let known = Known::read(input, sides);
    let (text, mut truncated) = cut(text, MAX_TEXT_BYTES);
    let raw_lines: Vec<&str> = text
        .lines()
        .map(|line| {
            let (line, cut_short) = cut(line, MAX_LINE_BYTES);
            truncated |= cut_short;
            line
        })
        .collect();
    // A password the finders see on one line (a URL's) is masked on every line: a traceback
    // repeats it where no finder would see it.
    let mut secrets = known.secrets.texts.clone();
    let mut sites = known.secrets.sites.clone();
    for line in &raw_lines {
        let finds = redact::secret_spans(line, None);
        secrets.extend(
            finds
                .iter()
                .filter_map(|&(a, b)| line.get(a..b).map(str::to_string)),
        );
        sites.extend(redact::secret_sites(line, &finds));
    }
    let secrets = Secrets::from_texts(secrets, sites);
    let lines: Vec<String> = raw_lines
        .iter()
        .map(|line| masked(line, &secrets))
        .collect();
    let client = lines.iter().find_map(|line| wrapper_client(line));
    let in_session = SESSION_MARKERS.iter().any(|m| text.contains(m));
    let mut explanations: Vec<Explanation> = Vec::new();
    for (index, line, found) in messages_by_line(&lines) {
        let line = line.as_str();
        for (message, quoted) in found {
            let captures = shown_captures(&quoted, &secrets);
            let text = pieces_masked(line, &quoted, &captures);
            let failure = reinterpreted(
                message,
                &captures,
                client,
                &known,
                in_session || (message.client == Client::Libpq && !at_connect(line)),
            );
            // A later line naming the cause of a failure already found (Java's `Caused by:`
            // lines under pgjdbc's message) settles that failure's causes.
            if let Some(named) = message.names_cause {
                if let Some(earlier) = explanations
                    .iter_mut()
                    .find(|e| e.failure == failure && !e.names_cause)
                {
                    let judgement = causes::judge(message, &captures, client, &known);
                    earlier.causes = judgement.causes;
                    earlier.decide = judgement.decide;
                    earlier.fix = fix_for(named, &earlier.values, &known);
                    earlier.names_cause = true;
                    continue;
                }
            }
            let duplicate = explanations
                .iter()
                .any(|e| e.failure == failure && (e.values == captures || message.generic));
            if duplicate {
                continue;
            }
            // A generic message on one line, refined on a later one (Npgsql's `Exception while
            // performing SSL handshake`, then .NET's reason in the inner exception): the later
            // line explains it.
            let refines = explanations
                .iter()
                .position(|e| e.failure == failure && e.generic);
            let judgement = causes::judge(
                &Message {
                    failure,
                    ..*message
                },
                &captures,
                client,
                &known,
            );
            let fix = judgement
                .causes
                .first()
                .and_then(|first| first_fix(first, &captures, &known));
            let explanation = Explanation {
                client: client.unwrap_or(message.client),
                failure,
                title: failure.title(),
                line: index + 1,
                text: text.trim().to_string(),
                values: captures,
                source: message.source,
                evidence: message.evidence,
                causes: judgement.causes,
                decide: judgement.decide,
                fix,
                names_cause: message.names_cause.is_some(),
                consequence: message.consequence,
                generic: message.generic,
            };
            match refines.and_then(|at| explanations.get_mut(at)) {
                Some(earlier) => *earlier = explanation,
                None => explanations.push(explanation),
            }
        }
    }
    // After-effects give way to the failure they follow.
    if explanations.iter().any(|e| !e.consequence) {
        explanations.retain(|e| !e.consequence);
    }
    let string_errors = if explanations.is_empty() {
        known
            .string_findings
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    ErrorReport {
        truncated,
        client,
        explanations,
        string_errors,
    }
}

/// Signs in a paste that the connection was set up and in use when it broke (a query ran).
const SESSION_MARKERS: &[&str] = &[
    "cursor.execute",
    "execute_sql",
    "UnableToSend",
    "StatementInvalid",
    "[SQL: ",
    "could not receive data from server",
];

/// Whether libpq wrote `line` while connecting: its connection-time errors carry the
/// `connection to server at … failed:` prefix (fe-connect.c:2442) or psql's `could not
/// connect`; the same texts without it come from a session already set up.
fn at_connect(line: &str) -> bool {
    line.contains("connection to server") || line.contains("could not connect")
}

/// `text` cut to at most `limit` bytes at a character boundary, and whether it was cut.
fn cut(text: &str, limit: usize) -> (&str, bool) {
    if text.len() <= limit {
        return (text, false);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text.get(..end).unwrap_or_default(), true)
}

/// The messages on one line: a generic one (`certificate verify failed`) only when nothing
/// more specific matched.
fn messages_in(line: &str) -> Vec<(&'static Message, Captures)> {
    let mut found: Vec<(&'static Message, matcher::Found)> = MESSAGES
        .iter()
        .filter_map(|m| matcher::find_at(m.pattern, line).map(|f| (m, f)))
        .collect();
    if found.iter().any(|(m, _)| !m.generic) {
        found.retain(|(m, _)| !m.generic);
    }
    // Two rows matching the same stretch (the same OpenSSL text under two clients) are one.
    found.sort_by_key(|(_, f)| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<(&'static Message, matcher::Found)> = Vec::new();
    for (message, at) in found {
        if kept
            .iter()
            .any(|(_, k)| k.start <= at.start && at.end <= k.end)
        {
            continue;
        }
        kept.push((message, at));
    }
    kept.into_iter().map(|(m, f)| (m, f.captures)).collect()
}

/// A message that means something else for this client or configuration.
fn reinterpreted(
    message: &Message,
    captures: &Captures,
    client: Option<Client>,
    known: &Known,
    in_session: bool,
) -> Failure {
    match message.failure {
        // node-postgres and asyncpg read the files the string names themselves and say only
        // that one is missing (asyncpg without its name): the CA file when the name is
        // sslrootcert's, or, unnamed, when the string sets sslrootcert and its file was not
        // pasted (the one the user could not give).
        Failure::MaterialFileMissing
            if match captures.get("file") {
                Some(file) => known.param("sslrootcert") == Some(file.as_str()),
                None => {
                    known.param("sslrootcert").is_some()
                        && !known.has(crate::input::Field::RootCert)
                }
            } =>
        {
            Failure::RootFileMissing
        }
        // asyncpg sends an empty password when it has none, so the server's refusal is what a
        // missing password looks like (asyncpg 0.31.0 protocol/coreproto.pyx:684, :715).
        Failure::PasswordRefused
            if client == Some(Client::Asyncpg) && known.dsn.is_some() && !known.password_given =>
        {
            Failure::NoPassword
        }
        // pgjdbc's wrapper for any I/O error while connecting: the files may say which.
        Failure::ConnectionAttemptFailed
            if known.client_side.as_ref().and_then(|r| r.key_match) == Some(false) =>
        {
            Failure::ClientKeyMismatch
        }
        // A handshake cut short right after a direct TLS hello: a server before 17.
        Failure::ConnectionClosedInHandshake if known.uses_direct_tls() => {
            Failure::DirectTlsUnsupported
        }
        // The same texts once a session is set up: the connection was dropped, not refused.
        Failure::ConnectionClosedInHandshake if in_session => Failure::ConnectionDropped,
        other => other,
    }
}

/// The client whose wrapper the text shows.
fn wrapper_client(text: &str) -> Option<Client> {
    const WRAPPERS: &[(&str, Client)] = &[
        ("psql: error:", Client::Psql),
        ("psycopg.OperationalError", Client::Psycopg),
        ("psycopg2.OperationalError", Client::Psycopg2),
        ("org.postgresql.util.PSQLException", Client::Pgjdbc),
        ("asyncpg.exceptions", Client::Asyncpg),
        ("asyncpg/", Client::Asyncpg),
        ("SSLCertVerificationError", Client::Asyncpg),
        ("Npgsql.", Client::Npgsql),
        ("P1011:", Client::Prisma),
        ("PrismaClient", Client::Prisma),
        ("failed to connect to `", Client::Pgx),
        ("node:internal", Client::NodePostgres),
        ("node_modules/pg", Client::NodePostgres),
        ("code: '", Client::NodePostgres),
        ("connection failed: ", Client::Psycopg),
    ];
    WRAPPERS
        .iter()
        .find(|(marker, _)| text.contains(marker))
        .map(|&(_, client)| client)
}

/// A line with its secrets masked: the known secrets first (whole, before a finder cuts one at
/// a `;` it holds), echoes of any of them in their own context, then what the string finders
/// mark anywhere in the line.
fn masked(line: &str, secrets: &Secrets) -> String {
    let known = replace_secrets(line, &secrets.texts);
    let echoes = redact::mask_echoed_sites(&secrets.sites, &known);
    redact::Shown::new(&echoes, None).text
}

/// The messages read in one text, with what each captured.
type Found = Vec<(&'static Message, Captures)>;

/// Lines a message may be broken over: a terminal or a log viewer wraps a long one at its
/// width, between words or inside one (`… password authentication` / `failed for user "app"`).
const MOST_LINES_OF_ONE_MESSAGE: usize = 3;

/// The messages of each line (see [`messages_read`]), with its index and the text they were
/// read in. A line holding none is read joined with the next ones that hold none either, up to
/// [`MOST_LINES_OF_ONE_MESSAGE`] lines ([`wrapped_message`]): a message found so is reported
/// at its first line.
fn messages_by_line(lines: &[String]) -> Vec<(usize, String, Found)> {
    let alone: Vec<(String, Found)> = lines.iter().map(|line| messages_read(line)).collect();
    let mut read = Vec::new();
    let mut index = 0;
    while let Some((line, found)) = alone.get(index) {
        let joined = if found.is_empty() {
            wrapped_message(lines, &alone, index)
        } else {
            value_cut_at_the_wrap(lines, &alone, index)
        };
        match joined {
            Some((text, found, taken)) => {
                read.push((index, text, found));
                index += taken;
            }
            None => {
                read.push((index, line.clone(), found.clone()));
                index += 1;
            }
        }
    }
    read
}

/// Values a message ends with, whole: a capture that is only the start of one (`no en`) was
/// cut where a terminal wrapped the line inside the word. The server's pg_hba.conf message
/// (auth.c: `no encryption`, `SSL encryption`, `GSS encryption`; before PostgreSQL 12 `SSL
/// off`, `SSL on`).
const WHOLE_VALUES: &[(&str, &[&str])] = &[(
    "encryption",
    &["no encryption", "SSL encryption", "GSS encryption", "SSL off", "SSL on"],
)];

/// A message at `from` whose last value the wrap cut short (`…, no en` / `cryption`): read
/// joined with the next line, when that holds no message alone and completes the value.
fn value_cut_at_the_wrap(
    lines: &[String],
    alone: &[(String, Found)],
    from: usize,
) -> Option<(String, Found, usize)> {
    let (_, found) = alone.get(from)?;
    let cut_short = |captures: &Captures| {
        WHOLE_VALUES.iter().any(|(name, whole)| {
            captures.get(name).is_some_and(|value| {
                !whole.contains(&value.as_str()) && whole.iter().any(|w| w.starts_with(value.as_str()))
            })
        })
    };
    if !found.iter().any(|(_, captures)| cut_short(captures)) {
        return None;
    }
    if !alone.get(from + 1)?.1.is_empty() {
        return None;
    }
    let (text, joined) = joined_message(lines.get(from..=from + 1)?)?;
    let completed = joined.iter().all(|(_, captures)| !cut_short(captures));
    completed.then_some((text, joined, 2))
}

/// A message broken over the line at `from` and the next lines that hold none alone: the
/// joined text, its messages and how many lines it took. A message the lines after `from`
/// hold without it is theirs (a traceback's source line above a wrapped error is no part of
/// it: a driver expert saw `conn = psycopg2.connect(dsn)psycopg2.OperationalError: …`).
fn wrapped_message(
    lines: &[String],
    alone: &[(String, Found)],
    from: usize,
) -> Option<(String, Found, usize)> {
    for taken in 2..=MOST_LINES_OF_ONE_MESSAGE {
        let last = from + taken - 1;
        let next = lines.get(last)?;
        if !alone.get(last)?.1.is_empty() || next.trim().is_empty() {
            return None;
        }
        let window = lines.get(from..=last)?;
        if let Some((text, found)) = joined_message(window) {
            let without_first = taken > 2 && joined_message(lines.get(from + 1..=last)?).is_some();
            return (!without_first).then_some((text, found, taken));
        }
    }
    None
}

/// The messages of `window`'s lines read as one. At each break, whitespace on either side
/// means a wrap between words (joined by one space); none may be a wrap inside a word (joined
/// as is: `neon.te` / `ch` is `neon.tech`) or between words whose space the wrap took, tried
/// in that order. A log prefix that each line repeats (`app[web.1]: `) is left out of the
/// later lines.
fn joined_message(window: &[String]) -> Option<(String, Found)> {
    let (first, rest) = window.split_first()?;
    let mut texts = vec![first.trim_end().to_string()];
    for (before, line) in window.iter().zip(rest) {
        let line = line.get(repeated_prefix(first, line)..).unwrap_or(line);
        let spaced = before.ends_with(char::is_whitespace) || line.starts_with(char::is_whitespace);
        let separators: &[&str] = if spaced { &[" "] } else { &["", " "] };
        let piece = line.trim();
        texts = texts
            .iter()
            .flat_map(|text| separators.iter().map(move |s| format!("{text}{s}{piece}")))
            .collect();
    }
    texts.into_iter().find_map(|text| {
        let (text, found) = messages_read(&text);
        (!found.is_empty()).then_some((text, found))
    })
}

/// How much of `line`'s start repeats `first`'s: their common start up to its last whitespace,
/// when that is at least 8 bytes (a log prefix, `2026-06-01T10:00:00Z app[web.1]: `); 0
/// otherwise.
fn repeated_prefix(first: &str, line: &str) -> usize {
    let common = first
        .char_indices()
        .zip(line.chars())
        .find(|((_, a), b)| a != b)
        .map_or(first.len().min(line.len()), |((at, _), _)| at);
    let prefix = first.get(..common).unwrap_or_default();
    match prefix.rfind(char::is_whitespace) {
        Some(space) if space + 1 >= 8 => space + 1,
        _ => 0,
    }
}

/// The messages of a line, and the line they were read in. A log in logfmt or JSON escapes the
/// quotes of the client's message (`msg="… for user \"app\""`): when the line as written
/// holds no message, it is read again with the escapes taken off. Only then, since libpq quotes
/// a word ending in a backslash as written (`invalid connection option "sslnegotiation\"`).
fn messages_read(line: &str) -> (String, Found) {
    let found = messages_in(line);
    if found.is_empty() && line.contains("\\\"") {
        let unescaped = line.replace("\\\"", "\"");
        let found = messages_in(&unescaped);
        return (unescaped, found);
    }
    (line.to_string(), found)
}

/// The captures as the report shows them. A `{piece}` is text of the string that libpq quotes
/// back, which may be a password or a piece of one (`missing "=" after "cd"` for `password=Ab
/// cd`; `invalid percent-encoded token: "p%zz"` quotes a URI's password whole): masked, unless
/// it is a URL, whose secrets the line's finders have masked already. A `{keyword}` stands
/// where libpq quotes a keyword: shown when it is one libpq knows, a misspelling of one or
/// another driver's parameter, and no part of a secret the inputs hold (`password=Ab cd=ef`
/// gives `invalid connection option "cd"`). Over-masking costs only the typo's text, which the
/// string's own finding names where the string is given.
fn shown_captures(captures: &Captures, secrets: &Secrets) -> Captures {
    captures
        .iter()
        .map(|(&name, value)| {
            let hidden = !value.is_empty()
                && !value.contains("://")
                && match name {
                    "piece" => true,
                    "keyword" => !parameter_name(value) || in_secret(value, secrets),
                    _ => false,
                };
            let shown = if hidden {
                redact::REDACTED.to_string()
            } else if matches!(name, "host" | "port") {
                // A port holding an `@` is a password's rest read after its `:` (pgjdbc).
                host_shown(value)
            } else {
                value.clone()
            };
            (name, shown)
        })
        .collect()
}

/// A host name as the report shows it: one holding an `@` (which no host name does) is what
/// libpq read after the first `@` of a URL whose password holds another (`app:Ab12@Cd34@h1`
/// gives `could not translate host name "Cd34@h1"`), so the part before its last `@` is the
/// password's rest (a secrets hunter saw it shown where no string was given).
fn host_shown(host: &str) -> String {
    match host.rsplit_once('@') {
        Some((_, after)) if !host.contains("://") => format!("{}@{after}", redact::REDACTED),
        _ => host.to_string(),
    }
}

/// A name libpq knows, a misspelling of one, or another driver's parameter.
fn parameter_name(name: &str) -> bool {
    use crate::conninfo::keywords;
    keywords::lookup(name).is_some()
        || keywords::closest(name).is_some()
        || causes::known_parameter(name)
}

/// Whether `text` is part of one of the secrets the inputs and the pasted text hold.
fn in_secret(text: &str, secrets: &Secrets) -> bool {
    secrets.texts.iter().any(|secret| secret.contains(text))
}

/// `line` with each capture that [`shown_captures`] masked masked where the message quotes it.
fn pieces_masked(line: &str, quoted: &Captures, shown: &Captures) -> String {
    let mut text = line.to_string();
    for (name, value) in quoted {
        if let Some(mask) = shown.get(name).filter(|mask| *mask != value) {
            // libpq quotes with `"`, psycopg's own resolver message with `'`.
            for quote in ['"', '\''] {
                text = text.replace(&format!("{quote}{value}{quote}"), &format!("{quote}{mask}{quote}"));
            }
            // pgjdbc quotes no port (`JDBC URL invalid port number: Cd34@h1`).
            if *name == "port" {
                text = text.replace(value.as_str(), mask);
            }
        }
    }
    text
}

/// Whether a secret could be a word a log uses (`port`, `server`, `Postgres`): letters only.
/// Such a secret is masked only where it is echoed; masking it everywhere would tell it.
fn word_like(secret: &str) -> bool {
    secret.chars().all(char::is_alphabetic)
}

/// `text` with every occurrence of each of `secrets` (longest first) masked, words aside.
fn replace_secrets(text: &str, secrets: &[String]) -> String {
    let mut shown = text.to_string();
    for secret in secrets.iter().filter(|s| !word_like(s)) {
        if shown.contains(secret.as_str()) {
            shown = shown.replace(secret.as_str(), redact::REDACTED);
        }
    }
    shown
}

/// The fix of the first cause. libpq's rejection of the string (an unknown keyword too) is
/// fixed as the string's own finding of it is; the others by [`fix_for`].
fn first_fix(first: &Judged, captures: &Captures, known: &Known) -> Option<Fix> {
    let unknown_keyword = matches!(
        first.cause,
        Cause::OtherDriversParameter | Cause::KeywordMisspelt
    );
    if causes::rejection_codes(first.cause).is_some() || unknown_keyword {
        return rejection_fix(first, known);
    }
    fix_for(first.cause, captures, known)
}

/// The fix of libpq's rejection of the string given: the fix of the finding that showed it
/// (in the user's dialect, checked again by the core); for a URL of another driver, the string
/// in libpq's own form; and when the string given has no such finding, the advice to find the
/// string the client really read.
fn rejection_fix(first: &Judged, known: &Known) -> Option<Fix> {
    let (_, dialect) = known.dsn.as_ref()?;
    let foreign = matches!(
        first.cause,
        Cause::UriSchemeNotLibpqs | Cause::OtherDriversParameter
    ) && *dialect != crate::conninfo::dialect::Dialect::Libpq;
    if let (true, Some(equivalent)) = (foreign, known.libpq_equivalent.as_ref()) {
        return Some(Fix::advice(format!(
            "Give libpq the string in its own form: `{equivalent}` (secrets left out: give the password through PGPASSWORD or ~/.pgpass, or add it back percent-encoded)"
        )));
    }
    let Some(code) = first.codes.first() else {
        // Refused for another reason the review words otherwise: no advice of ours.
        return (!causes::refused_by_libpq(known)).then(|| Fix::advice(ANOTHER_STRING));
    };
    // libpq's finding of a word without `=` says to quote values: for a URL it is the scheme
    // that needs changing (a paste finding, such as an upper-case scheme's, says so itself).
    if first.cause == Cause::UriSchemeNotLibpqs && !causes::root_of_rejection(code) {
        return Some(Fix::advice(
            "Start the URL with `postgresql://` (or `postgres://`), the only schemes libpq reads as a URI; `jdbc:postgresql://` and SQLAlchemy's `postgresql+<driver>://` are other clients' forms of the same URL",
        ));
    }
    known
        .string_findings
        .iter()
        .find(|d| d.code == *code && first.detail.ends_with(d.detail.as_str()))
        .or_else(|| known.string_finding(&[code]))
        .and_then(|finding| finding.fix.clone())
}

/// The advice when libpq rejected a string the string given is not.
const ANOTHER_STRING: &str = "libpq reads the string given here without this error, so the client that failed read another: find the string or setting it really reads (DATABASE_URL or another variable, a configuration file, PGSSLMODE, PGPORT and the other PG* variables) and correct it there";

/// The string change that removes `cause`, in the user's dialect.
fn fix_for(cause: Cause, captures: &Captures, known: &Known) -> Option<Fix> {
    // A cause the string's own review shows is fixed as that finding is: its fix is already
    // in the user's dialect and was checked again by the core (`conninfo::recheck`).
    if let Some(finding) = causes::string_finding(cause, known) {
        return finding.fix.clone();
    }
    let (dsn, dialect) = known.dsn.as_ref()?;
    if cause == Cause::HostNotInCertificate {
        return Some(host_name_fix(captures, dsn, *dialect));
    }
    let ca_file_fix = || {
        (
            "Verify against the server's own CA: set `sslrootcert` to the file holding it (replace `/path/to/server-ca.crt`), with `sslmode=verify-full`".to_string(),
            vec![
                Change::set("sslmode", "verify-full"),
                Change::set("sslrootcert", PLACEHOLDER_CA),
            ],
        )
    };
    let require_tls = || {
        let mut changes = vec![Change::set("sslmode", "verify-full")];
        if known.param("sslrootcert").is_none() {
            changes.push(Change::set("sslrootcert", PLACEHOLDER_CA));
        }
        changes
    };
    let (title, changes): (String, Vec<Change>) = match cause {
        // The string names no CA file (node-postgres's libpq reading is `sslrootcert=system`,
        // its bundled roots; Prisma's engine without `sslcert` trusts the system's), so the
        // fix names one, in the dialect's own terms (Prisma's `sslcert`).
        Cause::DefaultRootFileUsed | Cause::DriverVerifiesByDefault => ca_file_fix(),
        Cause::CaDoesNotSignChain if known.param("sslrootcert").is_none_or(|r| r == "system") => ca_file_fix(),
        Cause::TlsNotUsedWhereRequired | Cause::TlsNotUsed | Cause::SslmodeBelowRequire => (
            format!("Require TLS and verify the server: set `sslmode=verify-full`{}", ca_note(known)),
            require_tls(),
        ),

        Cause::ServerOlderThan17 => (
            "Negotiate TLS the usual way: remove `sslnegotiation=direct`".to_string(),
            vec![Change::Remove("sslnegotiation")],
        ),
        Cause::CaFileMissing if known.param("sslrootcert").is_none() => (
            format!(
                "Name the CA file: set `sslrootcert={PLACEHOLDER_CA}` (replace the path with the file holding the server's CA certificate; the client looked for {})",
                captures.get("file").map_or("its default".to_string(), |f| format!("`{f}`"))
            ),
            vec![Change::set("sslrootcert", PLACEHOLDER_CA)],
        ),
        Cause::ProtocolRangesDisjoint if known.param("ssl_max_protocol_version").is_some() => (
            "Let the client use the server's TLS versions: remove `ssl_max_protocol_version`"
                .to_string(),
            vec![Change::Remove("ssl_max_protocol_version")],
        ),
        Cause::ClientWithoutSni => {
            let endpoint = neon_endpoint(known)?;
            let options = match known.param("options") {
                Some(existing) => format!("{existing} endpoint={endpoint}"),
                None => format!("endpoint={endpoint}"),
            };
            (
                format!("Name the endpoint for clients without SNI: add `endpoint={endpoint}` to `options`"),
                vec![Change::set("options", options)],
            )
        }
        _ => return None,
    };
    if changes.iter().all(|change| in_effect(change, known)) {
        return Some(Fix::advice(already_said(&changes)));
    }
    // The renderer writes the string without its secrets, and offers no replacement for a
    // string that is not in the dialect's syntax (it would copy it whole).
    Some(render::fix_for(*dialect, dsn, &title, changes))
}

/// The fix of a host name the server's certificate does not hold. When the message names a
/// name the certificate does hold (libpq's `server certificate for "…"`, Go's `valid for …`),
/// the string connects to it. Otherwise the fix is advice, in the dialect's own keywords:
/// connect with a name the certificate holds, or, knowingly, verify only the chain
/// (`sslmode=verify-ca`, Npgsql's `SSL Mode=VerifyCA`). That is not offered as a replacement:
/// it gives up host-name verification, which the core never does in a fix
/// (`conninfo::recheck::weaker`).
fn host_name_fix(captures: &Captures, dsn: &str, dialect: crate::conninfo::dialect::Dialect) -> Fix {
    let named = ["name", "names"]
        .iter()
        .filter_map(|key| captures.get(*key))
        .flat_map(|names| names.split(", "))
        .map(|name| name.trim().trim_matches('"'))
        .find(|name| {
            !name.is_empty()
                && !name.contains(['*', ' '])
                && captures.get("host").map(String::as_str) != Some(*name)
        });
    if let Some(name) = named {
        return render::fix_for(
            dialect,
            dsn,
            &format!("Connect with a name the server's certificate holds: set `host={name}`"),
            vec![Change::set("host", name)],
        );
    }
    let host = written_in(dialect, dsn, Change::set("host", "<a name in the certificate>"));
    let mut title = format!(
        "Connect with a host name the server's certificate holds ({host}), or have the certificate reissued with this name"
    );
    // Verifying the CA alone is named only where the driver has such a mode, as the core reads
    // the string with it (node-postgres reads `verify-ca` as `verify-full`).
    let verify_ca = Change::set("sslmode", "verify-ca");
    if verifies_ca_not_name(dialect, dsn, verify_ca.clone()) {
        title.push_str(&format!(
            "; only if neither can be done, {}, which verifies the certificate's CA but no longer its name",
            written_in(dialect, dsn, verify_ca)
        ));
    }
    Fix::advice(title)
}

/// Whether `dsn` with `change`, read again by its driver, verifies the server's CA but not its
/// host name.
fn verifies_ca_not_name(
    dialect: crate::conninfo::dialect::Dialect,
    dsn: &str,
    change: Change,
) -> bool {
    use crate::conninfo::dialect::Tri;
    let Some(changed) = render::fix_for(dialect, dsn, "Change", vec![change]).replacement else {
        return false;
    };
    let again = crate::conninfo::analyze(
        &changed,
        Some(dialect),
        &crate::conninfo::CheckOptions::default(),
    );
    again
        .verdict
        .is_some_and(|v| v.server_verified == Tri::Yes && v.hostname_verified == Tri::No)
}

/// `change` as a fix title in `dialect` writes it (`` set `SSL Mode=VerifyCA` `` for Npgsql).
fn written_in(dialect: crate::conninfo::dialect::Dialect, dsn: &str, change: Change) -> String {
    let written = change.written();
    if dialect == crate::conninfo::dialect::Dialect::Libpq {
        return format!("set {written}");
    }
    let title = render::fix_for(dialect, dsn, "Change", vec![change]).title;
    match title.strip_prefix("Change: ") {
        Some(rest) => rest
            .split(" (")
            .next()
            .unwrap_or(rest)
            .to_string(),
        None => format!("set {written}"),
    }
}

/// Whether the string, read as libpq reads it (or its libpq equivalent), already makes `change`.
fn in_effect(change: &Change, known: &Known) -> bool {
    match change {
        Change::Set(keyword, value) => known.param(keyword) == Some(value.as_str()),
        Change::Remove(keyword) => known.param(keyword).is_none(),
    }
}

/// The fix of a cause whose change the string already makes: a string equal to the one given
/// is no fix (an outside review met `sslmode=verify-full` "fixed" to itself after a server saw
/// a connection without encryption). The error then came from a client that did not read this
/// string.
fn already_said(changes: &[Change]) -> String {
    let settings: Vec<String> = changes.iter().map(Change::written).collect();
    format!(
        "The string already says this ({}), so the client that failed did not use it: find the settings it really reads (another connection string, an environment variable such as `DATABASE_URL`, a configuration file) and make them say the same",
        settings.join(", ")
    )
}

/// Neon's endpoint id: the first label of a `*.neon.tech` host, without the pooler's
/// `-pooler` suffix (Neon docs, Connection errors, "Pass the endpoint ID as an option").
fn neon_endpoint(known: &Known) -> Option<String> {
    let host = known.param("host")?.split(',').next()?;
    if !(host.ends_with(".neon.tech") || host.ends_with(".neon.build")) {
        return None;
    }
    let first = host.split('.').next()?;
    Some(first.strip_suffix("-pooler").unwrap_or(first).to_string())
}

/// The placeholder path the security checks use for a CA file the user must name.
const PLACEHOLDER_CA: &str = "/path/to/server-ca.crt";

fn ca_note(known: &Known) -> &'static str {
    if known.param("sslrootcert").is_none() {
        " and `sslrootcert=/path/to/server-ca.crt` (replace the path with the file holding the server's CA certificate)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests;
