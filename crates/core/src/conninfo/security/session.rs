//! Session settings a connection handed to another system should carry: a connect timeout, a
//! name, a statement timeout, and a session type when there are several hosts
//! (libpq docs §32.1.2 "Parameter Key Words"; server docs §19.11 "Client Connection Defaults").

use super::{Change, Context};
use crate::conninfo::dialect::Dialect;
use crate::conninfo::options::parse_c_int;
use crate::diagnostic::Diagnostic;

/// What the fix for a missing `connect_timeout` sets, in seconds.
pub const SUGGESTED_CONNECT_TIMEOUT: &str = "10";

/// What the fix for a missing statement timeout adds to `options`.
pub const SUGGESTED_STATEMENT_TIMEOUT: &str = "30s";

/// The placeholder the fix for a missing `application_name` sets.
pub const APPLICATION_NAME_PLACEHOLDER: &str = "my-app";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(check_connect_timeout(ctx));
    out.extend(check_application_name(ctx));
    out.extend(check_statement_timeout(ctx));
    out.extend(check_hosts_without_target(ctx));
    out.extend(check_reader_endpoint_read_write(ctx));
}

rule!(
    RULE_NO_CONNECT_TIMEOUT,
    "PGP-PARAM-101",
    Info,
    "No connect timeout",
    "Without `connect_timeout` (or with `0` or a negative value) libpq waits for the operating \
system's TCP timeout — often more than two minutes — when the server does not answer, and with \
several hosts it waits that long for each. A caller with its own deadline (a web request, a \
health check, a serverless function) hangs instead of failing over or reporting the error. Set \
a few seconds per host; `10` is a common choice (libpq treats values below 2 as 2).",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT"]
);

/// `connect_timeout`: unset, zero or negative means wait indefinitely (libpq docs).
fn check_connect_timeout(ctx: &Context<'_>) -> Option<Diagnostic> {
    if ctx.local_only() {
        return None;
    }
    let detail = match ctx.get_nonempty("connect_timeout") {
        // Drivers with a default of their own have it in their libpq equivalent (pgjdbc 10 s,
        // Prisma 5 s, asyncpg 60 s, Npgsql 15 s); these two have none.
        None if ctx.dialect == Dialect::NodePostgres => "No connect timeout is set, so node-postgres waits without limit when a host does not answer (its `connectionTimeoutMillis` defaults to 0), up to the operating system's TCP timeout.".to_string(),
        None if ctx.dialect == Dialect::Pgx => "`connect_timeout` is not set, so pgx waits without limit when a host does not answer (no default), up to the operating system's TCP timeout.".to_string(),
        None => "`connect_timeout` is not set, so libpq waits for the operating system's TCP timeout when a host does not answer.".to_string(),
        Some(value) => match parse_c_int(value) {
            Some(n) if n <= 0 => format!("`connect_timeout={value}` means wait indefinitely when a host does not answer."),
            _ => return None,
        },
    };
    Some(
        Diagnostic::new(&RULE_NO_CONNECT_TIMEOUT, detail)
            .with_span(ctx.value_span("connect_timeout"))
            .with_fix(ctx.fix(
                format!("Give up on an unresponsive host after {SUGGESTED_CONNECT_TIMEOUT} seconds: set `connect_timeout={SUGGESTED_CONNECT_TIMEOUT}`"),
                &[Change::set("connect_timeout", SUGGESTED_CONNECT_TIMEOUT)],
            )),
    )
}

rule!(
    RULE_NO_APPLICATION_NAME,
    "PGP-PARAM-102",
    Info,
    "No application name",
    "`application_name` shows up in `pg_stat_activity`, in the server log (`%a` in \
`log_line_prefix`) and in the provider's monitoring. Without it, a connection from the system \
you hand this string to looks like every other one, which makes an incident — a runaway query, \
a connection leak, a lock — hard to attribute and to stop. Name each consumer (the fix uses a \
placeholder to replace).",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-APPLICATION-NAME",
        "https://www.postgresql.org/docs/18/runtime-config-logging.html#GUC-APPLICATION-NAME"
    ]
);

/// `application_name` / `fallback_application_name` (libpq docs).
fn check_application_name(ctx: &Context<'_>) -> Option<Diagnostic> {
    if ctx.get_nonempty("application_name").is_some()
        || ctx.get_nonempty("fallback_application_name").is_some()
    {
        return None;
    }
    let detail = "Neither `application_name` nor `fallback_application_name` is set, so the connection is anonymous in `pg_stat_activity` and the server log.".to_string();
    Some(
        Diagnostic::new(&RULE_NO_APPLICATION_NAME, detail)
            .with_span(ctx.value_span("application_name"))
            .with_fix(ctx.fix(
                format!("Name the client: set `application_name` (replace `{APPLICATION_NAME_PLACEHOLDER}` with the consuming system's name)"),
                &[Change::set("application_name", APPLICATION_NAME_PLACEHOLDER)],
            )),
    )
}

/// The `-c name=value` / `--name=value` settings in `options`, split as the server splits them
/// (`pg_split_opts`: whitespace separates, a backslash escapes the next character). Names are
/// lower-cased with dashes turned into underscores, as `ParseLongOption` does.
pub fn option_settings(options: &str) -> Vec<(String, String)> {
    let mut tokens: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in options.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c.is_ascii_whitespace() {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    let mut settings = Vec::new();
    let mut iter = tokens.iter();
    while let Some(token) = iter.next() {
        let setting = if token == "-c" {
            iter.next().map(String::as_str)
        } else if let Some(rest) = token.strip_prefix("--") {
            Some(rest)
        } else {
            token.strip_prefix("-c")
        };
        if let Some((name, value)) = setting.and_then(|s| s.split_once('=')) {
            settings.push((
                name.to_ascii_lowercase().replace('-', "_"),
                value.to_string(),
            ));
        }
    }
    settings
}

/// True for `0`, `0ms`, `0s`, … — a timeout of zero disables it.
fn is_zero_duration(value: &str) -> bool {
    let digits: String = value
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    !digits.is_empty() && digits.chars().all(|c| c == '0' || c == '.')
}

rule!(
    RULE_NO_STATEMENT_TIMEOUT,
    "PGP-PARAM-103",
    Info,
    "No statement timeout",
    "Nothing in the string bounds how long a statement may run, so a runaway query from the other \
system runs until someone cancels it, holding locks and a connection. The `options` keyword \
passes server settings at connection start: `options=-c statement_timeout=30s` (pick a limit \
that fits the workload; `0` means no limit). Alternatively set it on the server for the role, \
`ALTER ROLE … SET statement_timeout = '30s'`, which also works through transaction-mode poolers \
that do not forward startup options.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-OPTIONS",
        "https://www.postgresql.org/docs/18/runtime-config-client.html#GUC-STATEMENT-TIMEOUT"
    ]
);

/// `statement_timeout` through `options` (libpq docs, `options`; server docs,
/// `statement_timeout`).
fn check_statement_timeout(ctx: &Context<'_>) -> Option<Diagnostic> {
    if ctx.get("replication").is_some_and(|r| !r.is_empty()) {
        return None;
    }
    let options = ctx.get("options").unwrap_or_default();
    let timeout = option_settings(options)
        .into_iter()
        .rfind(|(name, _)| name == "statement_timeout");
    let detail = match timeout {
        Some((_, value)) if is_zero_duration(&value) => {
            format!("`options` sets `statement_timeout={value}`, which means no limit.")
        }
        Some(_) => return None,
        None => "The string does not set `statement_timeout` (through `options`), so statements may run without limit unless the role or database has a default.".to_string(),
    };
    let setting = format!("-c statement_timeout={SUGGESTED_STATEMENT_TIMEOUT}");
    let new_options = if options.trim().is_empty() {
        setting.clone()
    } else {
        format!("{} {setting}", options.trim_end())
    };
    Some(
        Diagnostic::new(&RULE_NO_STATEMENT_TIMEOUT, detail)
            .with_span(ctx.value_span("options"))
            .with_fix(ctx.fix(
                format!("Bound statement time: add `{setting}` to `options` (choose a limit that fits the workload), or use ALTER ROLE … SET statement_timeout"),
                &[Change::set("options", new_options)],
            )),
    )
}

rule!(RULE_HOSTS_WITHOUT_TARGET, "PGP-PARAM-104", Warning, "Several hosts without a session type",
"With several hosts libpq connects to the first one that accepts the connection (in order, or at \
random with `load_balance_hosts=random`), whether it is the primary or a read-only standby. \
After a failover that can be a standby, and every write then fails with \"cannot execute … in a \
read-only transaction\". Say what the client needs: `target_session_attrs=read-write` (or \
`primary`) for writers; `prefer-standby`, `standby` or `read-only` to keep reporting and \
analytics off the primary.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-TARGET-SESSION-ATTRS",
 "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-MULTIPLE-HOSTS"]);

/// Several hosts and no `target_session_attrs` (libpq docs §32.1.1.3 "Specifying Multiple
/// Hosts", `target_session_attrs`).
fn check_hosts_without_target(ctx: &Context<'_>) -> Option<Diagnostic> {
    if ctx.effective.hosts.len() < 2 {
        return None;
    }
    let current = ctx.get_nonempty("target_session_attrs");
    if current.is_some_and(|t| t != "any") {
        return None;
    }
    let order = if ctx.get("load_balance_hosts") == Some("random") {
        "in random order (`load_balance_hosts=random`)"
    } else {
        "in order"
    };
    let detail = format!(
        "The string lists {} hosts and {}, so libpq connects to the first that accepts, {order}, primary or standby; after a failover writes may land on a read-only standby.",
        ctx.effective.hosts.len(),
        if current.is_some() { "`target_session_attrs=any`" } else { "no `target_session_attrs`" }
    );
    Some(
        Diagnostic::new(&RULE_HOSTS_WITHOUT_TARGET, detail)
            .with_span(ctx.value_span("target_session_attrs").or_else(|| ctx.value_span("host")))
            .with_fix(ctx.fix(
                "For a writer, connect only to the primary: set `target_session_attrs=read-write` (use `prefer-standby` for read-only work)",
                &[Change::set("target_session_attrs", "read-write")],
            )),
    )
}

rule!(RULE_READER_ENDPOINT_READ_WRITE, "PGP-PARAM-105", Error, "Read-write session requested from a reader endpoint",
"The host is a provider's read-only endpoint (an Aurora `*.cluster-ro-*` name, which balances \
over the replicas), but `target_session_attrs` asks for a read-write or primary session. Every \
server behind a reader endpoint is a standby, so libpq rejects each one and the connection \
fails. Use the cluster (writer) endpoint for writes, or `target_session_attrs=read-only` / \
`standby` (or none) for reads.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-TARGET-SESSION-ATTRS",
 "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.Endpoints.html"]);

/// A reader endpoint cannot give a read-write session (libpq docs, `target_session_attrs`;
/// Aurora endpoint docs).
fn check_reader_endpoint_read_write(ctx: &Context<'_>) -> Option<Diagnostic> {
    let wanted = ctx.get("target_session_attrs")?;
    if !matches!(wanted, "read-write" | "primary") {
        return None;
    }
    let names = ctx.host_names();
    let (provider, reader, host) = ctx.providers().into_iter().find_map(|p| {
        let reader = p.reader_endpoint?;
        let host = names
            .iter()
            .find(|n| p.matches(n) && n.contains(reader.marker))?;
        Some((p, reader, host.clone()))
    })?;
    // A writer endpoint elsewhere in the list serves the session: AWS documents exactly this
    // list (writer, then reader) for pgjdbc fast failover with `targetServerType=primary`
    // ("Fast failover with Amazon Aurora PostgreSQL", JDBC example).
    let has_writer = names
        .iter()
        .any(|n| provider.matches(n) && n.contains(reader.writer) && !n.contains(reader.marker));
    if has_writer {
        return None;
    }
    let detail = format!(
        "`{host}` is a {} reader endpoint: every server behind it is a standby, so `target_session_attrs={wanted}` rejects them all.",
        provider.name
    );
    let writer_hosts = ctx
        .get("host")
        .map(|h| h.replace(reader.marker, reader.writer))
        .unwrap_or_default();
    Some(
        Diagnostic::new(&RULE_READER_ENDPOINT_READ_WRITE, detail)
            .with_span(ctx.value_span("host"))
            .with_fix(ctx.fix(
                "Write through the cluster (writer) endpoint",
                &[Change::set("host", writer_hosts)],
            )),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn options_are_split_like_the_server_does() {
        assert_eq!(
            option_settings("-c statement_timeout=5s --search-path=app -cwork_mem=4MB"),
            vec![
                ("statement_timeout".to_string(), "5s".to_string()),
                ("search_path".to_string(), "app".to_string()),
                ("work_mem".to_string(), "4MB".to_string()),
            ]
        );
        assert_eq!(
            option_settings(r"-c application_name=a\ b"),
            vec![("application_name".to_string(), "a b".to_string())]
        );
        assert!(option_settings("endpoint=ep-x").is_empty());
    }

    #[test]
    fn zero_durations() {
        assert!(is_zero_duration("0"));
        assert!(is_zero_duration("0ms"));
        assert!(!is_zero_duration("30s"));
        assert!(!is_zero_duration("ms"));
    }
}
