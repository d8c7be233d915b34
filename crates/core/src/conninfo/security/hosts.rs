//! Host settings: IP literals as hosts, and settings that do not apply to the kind of host
//! (libpq docs §32.1.2 `host`, `hostaddr`, `requirepeer`).

use super::{parse_ip, Change, Context};
use crate::conninfo::dialect::Dialect;
use crate::conninfo::options::{HostKind, HostTarget, SslMode};
use crate::diagnostic::Diagnostic;
use std::net::IpAddr;

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(check_public_ip_host(ctx));
    out.extend(check_requirepeer_tcp(ctx));
    out.extend(check_empty_host_in_list(ctx));
}

/// Publicly routable: not private, loopback, link-local, shared (CGNAT), unspecified,
/// broadcast, multicast, or IPv6 unique-local (IANA special-purpose registries; RFC 1918,
/// RFC 6598, RFC 4193). Documentation ranges count as public: they stand in for public ones.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            let shared = a == 100 && (64..128).contains(&b);
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || shared
                || a == 0)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_ip(IpAddr::V4(v4));
            }
            let first = v6.segments().first().copied().unwrap_or_default();
            let unique_local = (first & 0xfe00) == 0xfc00;
            let link_local = (first & 0xffc0) == 0xfe80;
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || unique_local
                || link_local)
        }
    }
}

rule!(RULE_PUBLIC_IP_HOST, "PGP-HOST-101", Warning, "Public IP address as host",
"The string reaches the server by a public IP address. With `sslmode=verify-full` libpq then \
compares the address with the certificate's IP address entries (libpq 14 and later), which \
most server certificates — and every publicly trusted one issued for a database name — do not \
have, so verification fails; weaker modes do not check the name at all. Provider addresses also \
change when instances are re-created or fail over, while the DNS name follows. Use the server's \
DNS name in `host` (you can keep the address in `hostaddr` to skip the DNS lookup). Where a \
provider only offers addresses — Google Cloud SQL with per-instance CAs — `sslmode=verify-ca` \
with the instance's CA is the most libpq can check, or use the provider's connector.\n\n\
Private, loopback and link-local addresses are not reported.",
["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES",
 "https://www.rfc-editor.org/rfc/rfc6125#section-6.4",
 "https://www.iana.org/assignments/iana-ipv4-special-registry/iana-ipv4-special-registry.xhtml"]);

/// An IP literal where a name belongs (libpq docs §32.19.1 on IP address matching; RFC 6125
/// §6.4 on reference identities).
fn check_public_ip_host(ctx: &Context<'_>) -> Option<Diagnostic> {
    let (address, keyword) = ctx.tcp_hosts().find_map(|slot| {
        let named = slot.host.as_deref().filter(|h| !h.is_empty());
        match (slot.kind, named) {
            (HostKind::Name, Some(host)) => parse_ip(host)
                .filter(|ip| is_public_ip(*ip))
                .map(|_| (host, "host")),
            (HostKind::Address, None) => slot
                .hostaddr
                .as_deref()
                .filter(|a| parse_ip(a).is_some_and(is_public_ip))
                .map(|a| (a, "hostaddr")),
            _ => None,
        }
    })?;
    let consequence = if ctx.sslmode_is(SslMode::VerifyFull) {
        "`sslmode=verify-full` then needs the address among the certificate's IP address entries, which few server certificates have."
    } else {
        "A certificate can only be checked against a name if the string has one, and provider addresses change when instances are re-created."
    };
    let detail = format!("`{keyword}={address}` is a public IP address. {consequence}");
    Some(
        Diagnostic::new(&RULE_PUBLIC_IP_HOST, detail)
            .with_span(ctx.value_span(keyword))
            .with_fix(ctx.advice(
                "Use the server's DNS name in `host` (keep the address in `hostaddr` if you need to skip DNS)",
            )),
    )
}

rule!(
    RULE_REQUIREPEER_TCP,
    "PGP-HOST-102",
    Warning,
    "requirepeer is ignored on TCP connections",
    "`requirepeer` makes libpq check the operating-system user of the server process, which only \
Unix-domain sockets can tell. For hosts reached over TCP the check is skipped silently, so a \
string that relies on it to make sure it talks to the real server gets no protection there. \
Connect through the socket directory (`host=/var/run/postgresql`), or protect TCP connections \
with `sslmode=verify-full`.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-REQUIREPEER"]
);

/// `requirepeer` applies to Unix-domain sockets only (libpq docs, `requirepeer`).
fn check_requirepeer_tcp(ctx: &Context<'_>) -> Option<Diagnostic> {
    let peer = ctx.get_nonempty("requirepeer")?;
    let tcp = ctx.tcp_hosts().count();
    if tcp == 0 {
        return None;
    }
    let detail = format!(
        "`requirepeer={peer}` is only checked on Unix-domain sockets; {} reached over TCP, where the check is skipped.",
        if tcp == ctx.effective.hosts.len() {
            "every host here is".to_string()
        } else {
            format!("{tcp} of the {} hosts are", ctx.effective.hosts.len())
        }
    );
    Some(
        Diagnostic::new(&RULE_REQUIREPEER_TCP, detail)
            .with_span(ctx.value_span("requirepeer"))
            .with_fix(ctx.fix(
                "Remove `requirepeer` and verify TCP servers with `sslmode=verify-full` instead (or connect through the socket directory)",
                &[Change::Remove("requirepeer")],
            )),
    )
}

rule!(RULE_EMPTY_HOST_IN_LIST, "PGP-HOST-103", Warning, "Empty entry in the host list",
"An empty entry in a host list (`h1:5432,:5433`, `host=h1,`, `host=h1,,h2`) is not skipped: \
libpq fills it with its default, the Unix-domain socket directory it was built with \
(`/var/run/postgresql` in Debian's and the PGDG builds, `/tmp` in a build from source; \
`localhost` on Windows), and tries a server there in that place of the list. Beside network \
hosts it is almost always a host lost on the way: an empty variable, a doubled or trailing \
comma. Npgsql looks the empty name up (this machine's own addresses); pgx dials it on this \
machine in its keyword form and, in a URL, skips it and never uses its port. Remove the entry \
(and its port), or write the host that belongs there.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-MULTIPLE-HOSTS",
 "https://github.com/postgres/postgres/blob/REL_18_STABLE/src/interfaces/libpq/fe-connect.c"]);

/// An empty host among network hosts, in the two readings that keep it:
/// - libpq's `pqConnectOptions2` (fe-connect.c, PostgreSQL 18) gives a slot without `host` or
///   `hostaddr` `DEFAULT_PGSOCKET_DIR`, a socket where the others are TCP;
/// - Npgsql 7–10's `NpgsqlMultiHostDataSource` keeps the empty item, which is no socket path
///   (`IsUnixSocket("")` is false), and looks it up: `Dns.GetHostAddresses("")` answers with
///   this machine's own addresses (read in source, a driver expert's research).
///
/// - pgx v5.10's keyword form dials it as `:port`, this machine (its URL form skips it,
///   `dialect::pgx`); pgjdbc reads `localhost`.
fn check_empty_host_in_list(ctx: &Context<'_>) -> Option<Diagnostic> {
    let hosts = &ctx.effective.hosts;
    let there = match ctx.dialect {
        Dialect::Libpq => "libpq tries its default Unix-domain socket there (`/var/run/postgresql` in Debian's and the PGDG builds)",
        Dialect::Npgsql => "Npgsql looks the empty name up there, which gives this machine's own addresses (`Dns.GetHostAddresses(\"\")`)",
        // pgx v5.10.0 `NetworkAddress("", port)` is TCP to `:port`, which Go dials on this
        // machine (pgconn/config.go); its URL form skips the empty entry (`dialect::pgx`).
        Dialect::Pgx => "pgx dials the empty name there over TCP (`:5432`), which Go takes for this machine",
        _ => return None,
    };
    if hosts.len() < 2 || ctx.get_nonempty("hostaddr").is_some() {
        return None;
    }
    let empty: Vec<usize> = hosts
        .iter()
        .enumerate()
        .filter(|(_, h)| h.kind == HostKind::Default)
        .map(|(i, _)| i)
        .collect();
    if empty.is_empty() || empty.len() == hosts.len() {
        return None;
    }
    let places = empty.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>();
    let detail = format!(
        "Entry {} of the {} hosts is empty: {there}, not a server on the network.",
        crate::conninfo::dialect::reading::join_and(&places),
        hosts.len()
    );
    let kept: Vec<&HostTarget> = hosts.iter().filter(|h| h.kind != HostKind::Default).collect();
    let kept_hosts = kept.iter().filter_map(|h| h.host.as_deref()).collect::<Vec<_>>().join(",");
    let mut changes = vec![Change::set("host", kept_hosts)];
    // One port serves every host and stays; a port per host goes with its host.
    let ports_per_host = ctx.get("port").is_some_and(|p| p.split(',').count() == hosts.len());
    if ports_per_host && hosts.len() > 1 {
        let kept_ports = kept.iter().map(|h| h.port.as_deref().unwrap_or_default()).collect::<Vec<_>>().join(",");
        // No port left at all is libpq's default (an empty `port=` would also hide PGPORT).
        if kept_ports.split(',').all(str::is_empty) {
            changes.push(Change::Remove("port"));
        } else {
            changes.push(Change::set("port", kept_ports));
        }
    }
    // Npgsql refuses a session type other than `any` on one host (`PostProcessAndValidate`,
    // Npgsql 7–10: "Target Session Attributes other then Any is only supported with multiple
    // hosts").
    let one_left = kept.len() == 1;
    let session_type = ctx.get_nonempty("target_session_attrs").is_some_and(|t| t != "any");
    let mut title = "Remove the empty entry from the host list (or write the host that belongs there)".to_string();
    if ctx.dialect == Dialect::Npgsql && one_left && session_type {
        changes.push(Change::Remove("target_session_attrs"));
        title.push_str(", and the session type, which Npgsql takes only with several hosts");
    }
    Some(
        Diagnostic::new(&RULE_EMPTY_HOST_IN_LIST, detail)
            .with_span(ctx.value_span("host"))
            .with_fix(ctx.fix(title, &changes)),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, clippy::unwrap_used)]
    use super::*;

    fn public(s: &str) -> bool {
        parse_ip(s).is_some_and(is_public_ip)
    }

    /// The empty entry's fix leaves a string the driver takes: for Npgsql with one host left,
    /// without the session type it refuses there.
    #[test]
    fn an_empty_host_entry_is_removed_in_the_drivers_terms() {
        use crate::conninfo::{analyze, CheckOptions};
        let cases = [
            (
                Dialect::Npgsql,
                "Host=db1.example.com:5432,:5433;Database=app;SSL Mode=VerifyFull;Root Certificate=/etc/ca.pem;Target Session Attributes=read-write",
                "Host=db1.example.com;Database=app;SSL Mode=VerifyFull;Root Certificate=/etc/ca.pem;Port=5432",
            ),
            (
                Dialect::Npgsql,
                "Host=db1.example.com,,db2.example.com;Database=app;SSL Mode=VerifyFull;Root Certificate=/etc/ca.pem;Target Session Attributes=read-write",
                "Host=db1.example.com,db2.example.com;Database=app;SSL Mode=VerifyFull;Root Certificate=/etc/ca.pem;Target Session Attributes=read-write",
            ),
            (
                Dialect::Libpq,
                "postgresql://app@db1.example.com,/app?sslmode=verify-full&sslrootcert=system",
                "postgresql://app@db1.example.com/app?sslmode=verify-full&sslrootcert=system",
            ),
            (
                Dialect::Libpq,
                "host=db1.example.com, dbname=app sslmode=verify-full sslrootcert=system target_session_attrs=read-write",
                "host=db1.example.com dbname=app sslmode=verify-full sslrootcert=system target_session_attrs=read-write",
            ),
        ];
        for (dialect, input, expected) in cases {
            let analysis = analyze(input, Some(dialect), &CheckOptions::default());
            let finding = analysis.diagnostics.iter().find(|d| d.code == "PGP-HOST-103").unwrap();
            let fixed = finding.fix.as_ref().and_then(|f| f.replacement.clone()).unwrap();
            assert_eq!(fixed, expected);
            let again = analyze(&fixed, Some(dialect), &CheckOptions::default());
            assert!(!again.diagnostics.iter().any(|d| d.is_error() || d.code == "PGP-HOST-103"), "{fixed}");
        }
    }

    #[test]
    fn address_classes() {
        assert!(public("203.0.113.10"));
        assert!(public("8.8.8.8"));
        assert!(public("2001:db8::1"));
        assert!(!public("10.1.2.3"));
        assert!(!public("172.16.0.1"));
        assert!(!public("192.168.1.1"));
        assert!(!public("100.64.0.1"));
        assert!(!public("127.0.0.1"));
        assert!(!public("169.254.1.1"));
        assert!(!public("::1"));
        assert!(!public("fd00::1"));
        assert!(!public("fe80::1%eth0"));
        assert!(!public("::ffff:10.0.0.1"));
    }
}
