//! TLS: is the connection encrypted, is the server verified, and which settings weaken either.
//!
//! The reference is libpq docs §32.19 "SSL Support": §32.19.1 "Client Verification of Server
//! Certificates" and table 32.2 "SSL Mode Descriptions", which explains each `sslmode` in terms
//! of the two attacks that matter:
//!
//! - **eavesdropping**: someone on the network path reads the traffic (stopped by encryption);
//! - **impersonation** (man in the middle): someone redirects the connection to a server of
//!   their own, which then reads the password and the data (stopped only by verifying the
//!   server certificate against a trusted CA *and* the host name).
//!
//! TLS is only used over TCP: a string whose hosts are all Unix-domain sockets gets none of
//! these findings, and one whose hosts are all the loopback interface gets them as advice.

use super::providers::{CaTrust, Provider, ROOT_CERT_PLACEHOLDER};
use super::{Change, Context};
use crate::conninfo::options::SslMode;
use crate::conninfo::placeholder::is_placeholder_path;
use crate::diagnostic::{Diagnostic, Fix, Severity};

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.local_only() {
        return;
    }
    out.extend(check_tls_disabled(ctx));
    out.extend(check_tls_optional(ctx));
    out.extend(check_server_unverified(ctx));
    out.extend(check_host_name_unverified(ctx));
    out.extend(check_no_root_cert(ctx));
    out.extend(check_verify_full_without_host(ctx));
    out.extend(check_old_tls_version(ctx));
    out.extend(check_sni_disabled(ctx));
    out.extend(check_sslcompression(ctx));
    out.extend(check_client_cert_optional_tls(ctx));
    out.extend(check_key_log_file(ctx));
    out.extend(check_placeholder_paths(ctx));
}

/// The single provider the hosts belong to, if exactly one.
pub(super) fn sole_provider(ctx: &Context<'_>) -> Option<&'static Provider> {
    match ctx.providers().as_slice() {
        [provider] => Some(*provider),
        _ => None,
    }
}

/// What fixes move to: the strongest `sslmode` that works (`verify-full` unless a recognised
/// provider's certificates allow less) with a root certificate source it can use.
pub fn verified_changes(ctx: &Context<'_>) -> Vec<Change> {
    let provider = sole_provider(ctx);
    let mode = provider.map_or(SslMode::VerifyFull, working_mode);
    // A slot given only by `hostaddr` has no name to verify: `verify-full` would be refused
    // (PGP-SSL-106), so the string on its own can reach `verify-ca`.
    let mode = if hostaddr_only_slot(ctx).is_some() && mode == SslMode::VerifyFull {
        SslMode::VerifyCa
    } else {
        mode
    };
    // Never advise a weaker mode than the one written (modes order by what they check).
    let mode = ctx
        .sslmode()
        .filter(|current| *current > mode)
        .unwrap_or(mode);
    // A string that already verifies the chain (`verify-ca`) goes on to the host name unless
    // the provider's certificates are known to fail it: a provider that merely documents no CA
    // (Render) stops fixes at `require` for strings that verify nothing, not for this one.
    let fails_full = provider.and_then(|p| p.caveat).is_some_and(|c| c.modes.contains(&SslMode::VerifyFull));
    let mode = if mode == SslMode::VerifyCa && !fails_full && hostaddr_only_slot(ctx).is_none() {
        SslMode::VerifyFull
    } else {
        mode
    };
    let mut changes = vec![Change::set("sslmode", mode.name())];
    if mode.verifies_server() {
        let hint = provider.map_or(ROOT_CERT_PLACEHOLDER, |p| p.root_hint());
        match ctx.get_nonempty("sslrootcert") {
            Some("system") => {
                let private = provider.is_some_and(|p| !p.ca.is_public());
                if private || mode != SslMode::VerifyFull {
                    changes.push(Change::set("sslrootcert", hint));
                }
            }
            Some(_) => {}
            None => {
                if !(ctx.options.ca_supplied && provider.is_none()) {
                    changes.push(Change::set("sslrootcert", hint));
                }
            }
        }
    }
    // Through a pooler that cannot do channel binding, a verified string must not keep a
    // requirement that makes it fail (PGP-PROV-009).
    let pooler_blocks_binding = super::endpoints::transaction_pooler(ctx)
        .is_some_and(|(_, pooler)| pooler.channel_binding == super::providers::ChannelBinding::NotOffered);
    if pooler_blocks_binding && ctx.get("channel_binding") == Some("require") {
        changes.push(Change::Remove("channel_binding"));
    }
    changes
}

/// The strongest `sslmode` that works with `provider`'s certificates as it issues them by
/// default: its caveat's modes fail until a provider-side setting is in place (Heroku's
/// Enhanced Certificates, which its Essential plans cannot have; Cloud SQL's shared CA, the
/// per-instance CA being the default: Cloud SQL Admin API v1beta4 `IpConfiguration.CaMode`,
/// "CA_MODE_UNSPECIFIED … is effectively the same as GOOGLE_MANAGED_INTERNAL_CA"; PGP-PROV-007),
/// so a fix stops below them and says how to go further ([`beyond_default_note`]).
pub fn working_mode(provider: &Provider) -> SslMode {
    let fails = |mode: &SslMode| provider.caveat.is_some_and(|c| c.modes.contains(mode));
    SslMode::ALL
        .into_iter()
        .rev()
        .find(|mode| *mode <= provider.strongest_sslmode && !fails(mode))
        .unwrap_or(provider.strongest_sslmode)
}

/// When a fix stops below the provider's strongest mode ([`working_mode`]): the mode it could
/// reach, and what that needs.
pub fn beyond_default_note(provider: &Provider, changes: &[Change]) -> Option<String> {
    let caveat = provider.caveat?;
    let target = target_mode(changes)?;
    (target < provider.strongest_sslmode).then(|| {
        format!(
            " (`sslmode={}` works only once the provider side allows it: {})",
            provider.strongest_sslmode.name(),
            caveat.text
        )
    })
}

/// `set `sslmode=verify-full` and `sslrootcert=system``.
pub fn describe(changes: &[Change]) -> String {
    let parts: Vec<String> = changes.iter().map(Change::written).collect();
    format!("set {}", parts.join(" and "))
}

/// A fix with the corrected string, or advice when the changes would not change anything.
pub fn fix_or_advice(ctx: &Context<'_>, title: String, changes: &[Change]) -> Fix {
    if ctx.render(changes) == ctx.render(&[]) {
        ctx.advice(title)
    } else {
        ctx.fix(title, changes)
    }
}

/// Why the strongest mode that works here does not verify the server (the provider's
/// certificates, as issued by default, cannot be verified), or `None` when a verified mode is
/// within reach. Other dialects' findings about an unverified setting then keep it rather
/// than swap it for its equivalent (`sslmode=no-verify` for `uselibpqcompat=true` and
/// `sslmode=require` in node-postgres).
pub fn unverifiable_here(ctx: &Context<'_>) -> Option<String> {
    let changes = verified_changes(ctx);
    if target_mode(&changes).is_some_and(SslMode::verifies_server) {
        return None;
    }
    let provider = sole_provider(ctx)?;
    Some(match provider.caveat {
        Some(caveat) => caveat.text.to_string(),
        None => provider.ca_sentence(),
    })
}

/// The fix every weak-`sslmode` finding offers: verify the server as strongly as works.
pub fn verify_server_fix(ctx: &Context<'_>) -> Fix {
    let changes = verified_changes(ctx);
    let provider = sole_provider(ctx);
    if ctx.render(&changes) == ctx.render(&[]) && hostaddr_only_slot(ctx).is_some() {
        return ctx.advice(
            "Add `host` with the name in the server certificate next to `hostaddr`, then use `sslmode=verify-full`",
        );
    }
    if ctx.render(&changes) == ctx.render(&[]) {
        // Already at the strongest mode the provider's certificates allow.
        let why = provider
            .map(|p| match p.caveat {
                Some(caveat) => caveat.text.to_string(),
                None => p.ca_sentence(),
            })
            .unwrap_or_default();
        return ctx.advice(format!(
            "Keep `sslmode={}`, the strongest mode that works here by default: {why}",
            ctx.sslmode_text()
        ));
    }
    let verifies = target_mode(&changes).is_some_and(SslMode::verifies_server);
    let mut title = if verifies {
        format!("Require TLS and verify the server: {}", describe(&changes))
    } else {
        format!("Require TLS: {}", describe(&changes))
    };
    if changes
        .iter()
        .any(|c| matches!(c, Change::Set("sslrootcert", v) if v == ROOT_CERT_PLACEHOLDER))
    {
        title.push_str(&format!(
            " (replace `{ROOT_CERT_PLACEHOLDER}` with the file holding the server's CA certificate)"
        ));
    }
    if let Some(caveat) = provider.and_then(|p| p.caveat) {
        if target_mode(&changes).is_some_and(|mode| caveat.modes.contains(&mode)) {
            title.push_str(&format!(" (check first: {})", caveat.text));
        }
    }
    if let Some(note) = provider.and_then(|p| beyond_default_note(p, &changes)) {
        title.push_str(&note);
    }
    if hostaddr_only_slot(ctx).is_some() {
        title.push_str(
            ", and add `host` with the name in the server certificate next to `hostaddr`",
        );
    }
    ctx.fix(title, &changes)
}

/// The `sslmode` a list of changes sets.
pub fn target_mode(changes: &[Change]) -> Option<SslMode> {
    changes.iter().find_map(|c| match c {
        Change::Set("sslmode", v) => SslMode::from_name(v),
        _ => None,
    })
}

/// Lowers a finding to advice when the traffic cannot be intercepted on a network.
fn local_severity(
    ctx: &Context<'_>,
    diagnostic: Diagnostic,
    detail_note: &mut String,
) -> Diagnostic {
    if ctx.get("gssencmode") == Some("require") {
        detail_note.push_str(" `gssencmode=require` encrypts the connection with GSSAPI (Kerberos) instead, which also authenticates the server.");
        return diagnostic.with_severity(Severity::Info);
    }
    if ctx.loopback_only() {
        detail_note.push_str(
            " Every host is the loopback interface, so the traffic does not leave this machine.",
        );
        return diagnostic.with_severity(Severity::Info);
    }
    diagnostic
}

fn finish(
    ctx: &Context<'_>,
    rule: &'static crate::registry::Rule,
    mut detail: String,
) -> Diagnostic {
    if !ctx.is_libpq() && !ctx.effective.sslmode_defaulted {
        detail = format!(
            "This driver's TLS settings amount to libpq's `sslmode={}`. {detail}",
            ctx.sslmode_text()
        );
    }
    let base = Diagnostic::new(rule, String::new());
    let mut diagnostic = local_severity(ctx, base, &mut detail);
    diagnostic.detail = detail;
    diagnostic
        .with_span(ctx.value_span("sslmode"))
        .with_fix(verify_server_fix(ctx))
}

rule!(
    RULE_TLS_DISABLED,
    "PGP-SSL-101",
    Error,
    "TLS is disabled",
    "With `sslmode=disable` libpq never starts TLS. Queries, results and the authentication \
exchange cross the network unencrypted (**eavesdropping**), and nothing proves that the server \
is the one you meant (**impersonation**): anyone who can redirect the traffic — a compromised \
router, DNS, a rogue Wi-Fi access point — can read and change everything and, with password \
authentication, learn the password.\n\n\
Use `sslmode=verify-full` with the server's CA in `sslrootcert` (`sslrootcert=system` for \
servers with publicly trusted certificates). The finding is lowered to advice when every host \
is the loopback interface, and when `gssencmode=require` encrypts the connection with GSSAPI \
instead.",
    [
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLMODE"
    ]
);

/// `sslmode=disable`: no encryption, no server authentication (libpq docs §32.19.3, table 32.2).
fn check_tls_disabled(ctx: &Context<'_>) -> Option<Diagnostic> {
    if !ctx.sslmode_is(SslMode::Disable) {
        return None;
    }
    let detail = "`sslmode=disable`: TLS is never started, so queries, results and the authentication exchange cross the network unencrypted, and nothing proves that the server is the one you meant.".to_string();
    Some(finish(ctx, &RULE_TLS_DISABLED, detail))
}

rule!(
    RULE_TLS_OPTIONAL,
    "PGP-SSL-102",
    Error,
    "TLS is optional: the connection may fall back to plaintext",
    "`sslmode=prefer` — libpq's **default** when `sslmode` is not set — uses TLS when the server \
offers it and silently continues in plaintext when it does not; `sslmode=allow` even tries \
plaintext first. An attacker in the network path simply answers \"no TLS here\" and gets a \
plaintext session (**eavesdropping**). Neither mode checks the server certificate either, so \
even when TLS is used the attacker can present any certificate (**impersonation**) and receive \
the password.\n\n\
A string handed to another system should never depend on the network being friendly: use \
`sslmode=verify-full` with the server's CA in `sslrootcert`. The finding is lowered to advice \
when every host is the loopback interface, and when `gssencmode=require` encrypts the \
connection with GSSAPI.",
    [
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLMODE"
    ]
);

/// `allow`/`prefer` (and the unset default, `prefer`): plaintext fallback and no server
/// verification (libpq docs §32.19.3, table 32.2; `sslmode` default).
fn check_tls_optional(ctx: &Context<'_>) -> Option<Diagnostic> {
    let mode = ctx.sslmode().filter(|m| m.may_fall_back())?;
    let consequence = "An attacker in the network path can make the server appear not to offer TLS and get a plaintext session, and because the server certificate is never checked they can also impersonate the server and receive the password.";
    let detail = if ctx.effective.sslmode_defaulted {
        if ctx.is_libpq() {
            format!("`sslmode` is not set, so libpq uses its default, `prefer`: TLS only if the server offers it. {consequence}")
        } else {
            format!("No TLS mode is set; in libpq terms the driver behaves like `sslmode=prefer`: TLS only if the server offers it. {consequence}")
        }
    } else if mode == SslMode::Allow {
        format!("`sslmode=allow` tries a plaintext connection first and uses TLS only if the server insists. {consequence}")
    } else {
        format!("`sslmode=prefer` uses TLS only if the server offers it. {consequence}")
    };
    Some(finish(ctx, &RULE_TLS_OPTIONAL, detail))
}

/// `sslrootcert` as given, unless it is a placeholder (`/path/to/…`), which names no file.
fn root_cert_setting<'a>(ctx: &Context<'a>) -> Option<&'a str> {
    ctx.get_nonempty("sslrootcert")
        .filter(|r| !is_placeholder_path(r))
}

/// The root certificate file libpq reads: a real path, not `system` or a placeholder.
fn root_cert_file<'a>(ctx: &Context<'a>) -> Option<&'a str> {
    root_cert_setting(ctx).filter(|r| *r != "system")
}

rule!(
    RULE_SERVER_UNVERIFIED,
    "PGP-SSL-103",
    Warning,
    "Server certificate is not verified",
    "`sslmode=require` insists on TLS, which defeats passive **eavesdropping**, but accepts any \
certificate. An attacker who can redirect the connection presents a certificate of their own, \
decrypts everything and relays it (**impersonation**); with password authentication they learn \
the password. (libpq does verify the chain when the default root certificate file \
`~/.postgresql/root.crt` exists on the machine — a behaviour kept for compatibility that a \
string should not rely on.)\n\n\
Use `sslmode=verify-full` with the server's CA in `sslrootcert`.",
    [
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES"
    ]
);

/// `require` without a root certificate: encrypted but unauthenticated (libpq docs §32.19.1).
fn check_server_unverified(ctx: &Context<'_>) -> Option<Diagnostic> {
    if !ctx.sslmode_is(SslMode::Require) || root_cert_setting(ctx).is_some() {
        return None;
    }
    if ctx.get("channel_binding") == Some("require") {
        // SCRAM with channel binding binds the authentication to the TLS channel: an impostor
        // terminating TLS can neither relay it to the real server nor prove the password back
        // (RFC 5802 §6, RFC 5929), so the session fails before any query. It still sees a
        // SCRAM proof it can try to guess the password from offline.
        let detail = "`sslmode=require` accepts any server certificate, but `channel_binding=require` makes a man in the middle fail at authentication: SCRAM with channel binding cannot be relayed, so no session is established through an impostor and the password is not sent. The impostor still receives a SCRAM proof to guess a weak password from offline; verifying the server closes that too.".to_string();
        let diagnostic = finish(ctx, &RULE_SERVER_UNVERIFIED, detail);
        return Some(diagnostic.with_severity(crate::diagnostic::Severity::Info));
    }
    let detail = "`sslmode=require` encrypts the connection but accepts any server certificate: whoever can redirect the traffic (DNS, routing, a rogue access point) can present their own certificate, read everything and learn the password.".to_string();
    Some(finish(ctx, &RULE_SERVER_UNVERIFIED, detail))
}

rule!(RULE_HOST_NAME_UNVERIFIED, "PGP-SSL-104", Warning, "Server host name is not verified",
"`sslmode=verify-ca` checks that the server certificate chains to a trusted CA but not that it \
was issued for the host you are connecting to: any server holding any certificate from that CA \
can **impersonate** this one. With a public CA that is anybody with a domain; with a provider's \
CA it is any other customer's database. libpq also treats `sslmode=require` **with a root \
certificate file** (`sslrootcert`) like `verify-ca`: the chain is checked, the host name is not \
(and if the file does not exist, nothing is checked).\n\n\
Use `sslmode=verify-full`. Only when the CA signs certificates for this one server (a private \
per-instance CA, as Google Cloud SQL's legacy setup) is `verify-ca` nearly as strong.",
["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
 "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLMODE"]);

/// `verify-ca`, and `require` with a root certificate file, which libpq treats like `verify-ca`
/// (libpq docs §32.19.1, note on `sslmode=require`).
fn check_host_name_unverified(ctx: &Context<'_>) -> Option<Diagnostic> {
    let detail = match (ctx.sslmode(), root_cert_file(ctx)) {
        (Some(SslMode::VerifyCa), _) if ctx.get("sslrootcert") != Some("system") => {
            "`sslmode=verify-ca` checks that the certificate chains to a trusted CA but not that it was issued for this host: any server with a certificate from the same CA can impersonate this one.".to_string()
        }
        (Some(SslMode::Require), Some(file)) => format!(
            "`sslmode=require` with a root certificate file (`sslrootcert={file}`) behaves like `verify-ca` in libpq: the chain is checked against that file but the host name is not, so any server with a certificate from the same CA can impersonate this one (and if the file does not exist, nothing is checked)."
        ),
        _ => return None,
    };
    let diagnostic = finish(ctx, &RULE_HOST_NAME_UNVERIFIED, detail);
    // The provider's certificates fail the host-name check by default (Cloud SQL's
    // per-instance CA, Railway): no edit of the string gets further, so advice says why.
    let caveat = sole_provider(ctx)
        .and_then(|p| p.caveat)
        .filter(|c| c.modes.contains(&SslMode::VerifyFull));
    Some(match caveat {
        Some(caveat) => diagnostic.with_fix(ctx.advice(format!(
            "Keep the chain check with the provider's CA file; the host name can be checked only once the provider side allows it: {}",
            caveat.text
        ))),
        None => diagnostic,
    })
}

rule!(RULE_NO_ROOT_CERT, "PGP-SSL-105", Warning, "No root certificate for verification",
"`verify-ca` and `verify-full` need trusted root certificates, and the string names none. libpq \
then reads `~/.postgresql/root.crt` (`%APPDATA%\\postgresql\\root.crt` on Windows) and refuses \
to connect when that file does not exist — on every machine the string is copied to. Name the \
CA file in `sslrootcert`, or use `sslrootcert=system` (libpq 16 and later) when the server's \
certificate comes from a public CA. Not raised when a CA file was supplied alongside the string \
(`--ca`).",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT",
 "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-FILE-USAGE"]);

/// `verify-*` without `sslrootcert`: libpq falls back to `~/.postgresql/root.crt` and fails
/// when it is missing (libpq docs, `sslrootcert`; §32.19.5 table 32.3).
fn check_no_root_cert(ctx: &Context<'_>) -> Option<Diagnostic> {
    let mode = ctx.sslmode().filter(|m| m.verifies_server())?;
    if ctx.get_nonempty("sslrootcert").is_some() || ctx.options.ca_supplied {
        return None;
    }
    let provider = sole_provider(ctx);
    let mut detail = roots_when_none_named(ctx, mode);
    match provider {
        Some(p) => {
            detail.push(' ');
            detail.push_str(&p.ca_sentence());
        }
        None if ctx.is_libpq() => detail.push_str(" Name the CA file in `sslrootcert`, or use `sslrootcert=system` (libpq 16+) when the server's certificate comes from a public CA."),
        // `sslrootcert=system` is libpq's word; the fix says the driver's own way.
        None => detail.push_str(" Name the file that holds the server's CA certificate, as the fix shows."),
    }
    let hint = provider.map_or(ROOT_CERT_PLACEHOLDER, |p| p.root_hint());
    let mut changes = vec![Change::set("sslrootcert", hint)];
    // libpq accepts `sslrootcert=system` only with `verify-full` (PGP-SSL-004).
    if hint == "system" && mode != SslMode::VerifyFull {
        changes.insert(0, Change::set("sslmode", SslMode::VerifyFull.name()));
    }
    let title = match provider.map(|p| p.ca) {
        Some(CaTrust::Public) => format!("Use the operating system's trust store: {}", describe(&changes)),
        Some(CaTrust::Private { .. }) => format!("Name the provider's CA file: set `sslrootcert={hint}`"),
        _ => format!("Name the CA file: set `sslrootcert` (replace `{hint}` with the file holding the server's CA certificate)"),
    };
    Some(
        Diagnostic::new(&RULE_NO_ROOT_CERT, detail)
            .with_span(ctx.value_span("sslmode"))
            .with_fix(ctx.fix(title, &changes)),
    )
}

/// What the driver trusts in a verify mode when the string names no root certificate.
fn roots_when_none_named(ctx: &Context<'_>, mode: SslMode) -> String {
    use crate::conninfo::dialect::knowledge::Driver;
    match Driver::of(ctx.dialect, ctx.input) {
        Driver::Libpq | Driver::SqlalchemyLibpq | Driver::SqlalchemyPsycopg => format!("`sslmode={mode}` without `sslrootcert`: libpq reads `~/.postgresql/root.crt` (`%APPDATA%\\postgresql\\root.crt` on Windows) and refuses to connect where that file does not exist."),
        // asyncpg 0.30 connect_utils.py, `_parse_connect_dsn_and_args`: `PGSSLROOTCERT`, else
        // `~/.postgresql/root.crt`, else ClientConfigurationError for modes above `require`.
        Driver::Asyncpg | Driver::SqlalchemyAsyncpg => format!("`{mode}` without a root certificate: asyncpg reads the file `PGSSLROOTCERT` names, else `~/.postgresql/root.crt`, and refuses to connect where neither exists (`root certificate file … does not exist or cannot be accessed`)."),
        // pgjdbc 42.7 org/postgresql/ssl/LibPQFactory.java: `sslrootcert` defaults to
        // `root.crt` in `~/.postgresql/` (`%APPDATA%\postgresql\` on Windows); a missing file
        // is "Could not open SSL root certificate file".
        Driver::Pgjdbc => format!("`sslmode={mode}` without `sslrootcert`: pgjdbc's default `sslfactory` (`LibPQFactory`) reads `~/.postgresql/root.crt` and refuses to connect where that file does not exist (`Could not open SSL root certificate file`)."),
        driver => format!("`{mode}` without a root certificate: {} then trusts its runtime's store, which holds only public CAs, so a server certificate from a private CA fails verification.", driver.name()),
    }
}

/// The first host slot reached by numeric address without a host name, with its position.
fn hostaddr_only_slot<'a>(ctx: &Context<'a>) -> Option<(usize, &'a str)> {
    ctx.effective
        .hosts
        .iter()
        .enumerate()
        .find_map(|(i, slot)| {
            let addr = slot.hostaddr.as_deref().filter(|a| !a.is_empty())?;
            slot.host
                .as_deref()
                .filter(|h| !h.is_empty())
                .is_none()
                .then_some((i, addr))
        })
}

rule!(RULE_VERIFY_FULL_WITHOUT_HOST, "PGP-SSL-106", Error, "verify-full without a host name",
"With `sslmode=verify-full` libpq checks the server certificate against the `host` name. A host \
given only as `hostaddr` has no name to check, and libpq refuses the connection with \"host name \
must be specified for a verified SSL connection\". Keep `hostaddr` if you want to skip DNS, and \
add `host` with the name the certificate was issued for: libpq connects to the address and \
verifies the name.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-HOSTADDR",
 "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES"]);

/// `verify-full` compares the certificate with `host`, not `hostaddr`
/// (`pq_verify_peer_name_matches_certificate`, `fe-secure-common.c`; libpq docs, `hostaddr`).
fn check_verify_full_without_host(ctx: &Context<'_>) -> Option<Diagnostic> {
    if !ctx.sslmode_is(SslMode::VerifyFull) {
        return None;
    }
    let (index, addr) = hostaddr_only_slot(ctx)?;
    let which = if ctx.effective.hosts.len() > 1 {
        format!("Host entry {} has", index + 1)
    } else {
        "The string has".to_string()
    };
    let detail = format!(
        "{which} `hostaddr={addr}` but no `host`: `sslmode=verify-full` checks the server certificate against the host name, and libpq refuses with \"host name must be specified for a verified SSL connection\"."
    );
    Some(
        Diagnostic::new(&RULE_VERIFY_FULL_WITHOUT_HOST, detail)
            .with_span(ctx.value_span("hostaddr"))
            .with_fix(ctx.advice(
                "Add `host` with the name the server certificate was issued for, next to `hostaddr`: libpq connects to the address and verifies the name",
            )),
    )
}

rule!(RULE_OLD_TLS_VERSION, "PGP-SSL-107", Warning, "TLS versions older than 1.2 allowed",
"`ssl_min_protocol_version` lowers libpq's floor (`TLSv1.2` by default) to TLS 1.0 or 1.1, which \
RFC 8996 deprecates: they lack modern cipher suites and allow downgrade attacks. An empty value \
removes libpq's floor and leaves the TLS library's default. Every supported PostgreSQL server \
speaks TLS 1.2; remove the setting or set `TLSv1.2` (or `TLSv1.3`).",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSL-MIN-PROTOCOL-VERSION",
 "https://www.rfc-editor.org/rfc/rfc8996"]);

/// `ssl_min_protocol_version` below TLS 1.2 (libpq docs; RFC 8996 deprecates TLS 1.0/1.1).
fn check_old_tls_version(ctx: &Context<'_>) -> Option<Diagnostic> {
    let value = ctx.get("ssl_min_protocol_version")?;
    if ctx.sslmode_is(SslMode::Disable) {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    let detail = match lower.as_str() {
        "" => "`ssl_min_protocol_version` is empty, which removes libpq's `TLSv1.2` floor and leaves whatever the TLS library allows, possibly TLS 1.0 and 1.1 (deprecated by RFC 8996).".to_string(),
        "tlsv1" | "tlsv1.1" => format!("`ssl_min_protocol_version={value}` allows TLS versions that RFC 8996 deprecates; every supported PostgreSQL server speaks TLS 1.2."),
        _ => return None,
    };
    Some(
        Diagnostic::new(&RULE_OLD_TLS_VERSION, detail)
            .with_span(ctx.value_span("ssl_min_protocol_version"))
            .with_fix(ctx.fix(
                "Require TLS 1.2 or later: set `ssl_min_protocol_version=TLSv1.2`",
                &[Change::set("ssl_min_protocol_version", "TLSv1.2")],
            )),
    )
}

rule!(
    RULE_SNI_DISABLED,
    "PGP-SSL-108",
    Warning,
    "TLS server name indication disabled",
    "libpq sends the host name in the TLS handshake (SNI, RFC 6066 §3) only when `sslsni` starts \
with `1`, the default. `sslsni=0` — or any other value, such as `true` — turns it off. Proxies \
and poolers that serve many databases on one address route by that name (Neon is one), and \
TLS-terminating load balancers pick the certificate by it; without SNI they refuse the \
connection or present the wrong certificate. Remove the setting unless a server is known to \
choke on SNI.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLSNI",
        "https://www.rfc-editor.org/rfc/rfc6066#section-3"
    ]
);

/// libpq sends SNI only when `sslsni` starts with `1` (`fe-secure-openssl.c`; libpq docs,
/// `sslsni`; RFC 6066 §3).
fn check_sni_disabled(ctx: &Context<'_>) -> Option<Diagnostic> {
    let value = ctx.get("sslsni")?;
    if value.starts_with('1') || ctx.sslmode_is(SslMode::Disable) {
        return None;
    }
    let detail = if value == "0" {
        "`sslsni=0` stops libpq from sending the host name in the TLS handshake; proxies that route by name (Neon, TLS-terminating load balancers) then refuse the connection or present the wrong certificate.".to_string()
    } else {
        format!("libpq sends the host name in the TLS handshake only when `sslsni` starts with `1`; `sslsni={value}` turns it off, so proxies that route by name (Neon, TLS-terminating load balancers) refuse the connection or present the wrong certificate.")
    };
    Some(
        Diagnostic::new(&RULE_SNI_DISABLED, detail)
            .with_span(ctx.value_span("sslsni"))
            .with_fix(ctx.fix(
                "Send the server name: remove `sslsni`",
                &[Change::Remove("sslsni")],
            )),
    )
}

rule!(
    RULE_SSLCOMPRESSION,
    "PGP-SSL-109",
    Info,
    "sslcompression has no effect",
    "TLS compression made encrypted traffic vulnerable to compression side channels (CRIME), so \
OpenSSL 1.1.0 disabled it by default and PostgreSQL 14 removed it from the server. \
`sslcompression` can no longer turn it on against a current server; remove the setting. With \
`sslcompression=1` the finding is a warning, because it asks for compression from servers old \
enough to grant it.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLCOMPRESSION"]
);

/// TLS compression is gone from the server since PostgreSQL 14 (libpq docs, `sslcompression`).
fn check_sslcompression(ctx: &Context<'_>) -> Option<Diagnostic> {
    let value = ctx.get("sslcompression")?;
    let asks = value.starts_with('1');
    let detail = if asks {
        format!("`sslcompression={value}` asks for TLS compression, which exposes encrypted traffic to compression side channels (CRIME); PostgreSQL 14 and later servers refuse it, older ones may grant it.")
    } else {
        format!("`sslcompression={value}` has no effect: TLS compression is off by default and PostgreSQL 14 removed it from the server.")
    };
    let diagnostic = Diagnostic::new(&RULE_SSLCOMPRESSION, detail)
        .with_span(ctx.value_span("sslcompression"))
        .with_fix(ctx.fix(
            "Remove `sslcompression`",
            &[Change::Remove("sslcompression")],
        ));
    Some(if asks {
        diagnostic.with_severity(Severity::Warning)
    } else {
        diagnostic
    })
}

rule!(
    RULE_CLIENT_CERT_OPTIONAL_TLS,
    "PGP-SSL-110",
    Warning,
    "Client certificate configured but TLS is optional",
    "A client certificate (`sslcert`/`sslkey`) is presented only inside a TLS handshake. With \
`sslmode=disable` it is never used; with `allow` or `prefer` (the default) it is used only if TLS \
happens to be negotiated, and an attacker who strips TLS gets a plaintext session in which the \
server may fall back to password authentication. Certificate authentication belongs with \
`sslmode=verify-full`, so that both sides are verified.",
    [
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CLIENTCERT",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLCERT"
    ]
);

/// A client certificate is only presented inside TLS (libpq docs §32.19.2).
fn check_client_cert_optional_tls(ctx: &Context<'_>) -> Option<Diagnostic> {
    let mode = ctx.sslmode().filter(|m| !m.requires_tls())?;
    let keyword = ["sslcert", "sslkey"]
        .into_iter()
        .find(|k| ctx.get_nonempty(k).is_some());
    if keyword.is_none() && !ctx.options.client_cert_supplied {
        return None;
    }
    let what = match keyword {
        Some(k) => format!("A client certificate is configured (`{k}`)"),
        None => "A client certificate was supplied".to_string(),
    };
    let detail = if mode == SslMode::Disable {
        format!("{what}, but `sslmode=disable` never starts TLS, so the certificate is never presented; the server falls back to another authentication method or refuses.")
    } else {
        format!("{what}, but with `sslmode={mode}` it is presented only if TLS happens to be negotiated; an attacker who strips TLS gets a plaintext session in which the server may offer password authentication instead.")
    };
    Some(
        Diagnostic::new(&RULE_CLIENT_CERT_OPTIONAL_TLS, detail)
            .with_span(
                keyword
                    .and_then(|k| ctx.value_span(k))
                    .or_else(|| ctx.value_span("sslmode")),
            )
            .with_fix(verify_server_fix(ctx)),
    )
}

rule!(RULE_KEY_LOG_FILE, "PGP-SSL-111", Warning, "TLS key log file enabled",
"`sslkeylogfile` (libpq 18) makes libpq append the TLS session secrets to a file in the NSS key \
log format. Anyone who can read that file and capture the traffic can decrypt the whole session, \
including the authentication exchange. It is a debugging aid; remove it from any string that \
leaves the debugging session.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLKEYLOGFILE"]);

/// `sslkeylogfile` writes session secrets to disk (libpq docs, `sslkeylogfile`).
fn check_key_log_file(ctx: &Context<'_>) -> Option<Diagnostic> {
    let path = ctx.get_nonempty("sslkeylogfile")?;
    let detail = format!("`sslkeylogfile={path}` makes libpq write the TLS session secrets to that file: anyone who can read it and capture the traffic can decrypt the session.");
    Some(
        Diagnostic::new(&RULE_KEY_LOG_FILE, detail)
            .with_span(ctx.value_span("sslkeylogfile"))
            .with_fix(ctx.fix(
                "Remove `sslkeylogfile` outside debugging sessions",
                &[Change::Remove("sslkeylogfile")],
            )),
    )
}

/// The file settings libpq reads on the client (libpq docs §32.19.5, table 32.3), and what
/// each file is, for the fix.
const FILE_SETTINGS: [(&str, &str); 5] = [
    (
        "sslrootcert",
        "the file holding the server's CA certificate",
    ),
    ("sslcert", "the client certificate file"),
    ("sslkey", "the client key file"),
    ("sslcrl", "the certificate revocation list file"),
    ("sslcrldir", "the certificate revocation list directory"),
];

rule!(
    RULE_PLACEHOLDER_PATH,
    "PGP-SSL-112",
    Error,
    "Placeholder file path",
    "A file setting (`sslrootcert`, `sslcert`, `sslkey`, `sslcrl` or `sslcrldir`) still holds a \
placeholder such as `/path/to/server-ca.crt`, copied from an example or from a fix that asked \
for the real path. The client reads these files when it connects and finds nothing there. What \
happens then depends on the setting: an error when the connection fails — a missing root \
certificate file under `sslmode=verify-ca` or `verify-full` (libpq refuses to connect), a \
missing client key beside a client certificate, or a CRL directory (OpenSSL accepts a directory \
that does not exist and then finds no CRL for any certificate, so every verification fails); a \
warning when the client carries on without the file and the protection it was meant to give is \
silently absent — a missing root certificate file under `require` (no verification at all), a \
missing client certificate (none is sent), a missing CRL file (no revocation check). Put the \
path of the real file on the client machine in its place.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLCRLDIR",
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-FILE-USAGE"
    ]
);

/// A file setting whose value is an example path (`/path/to/…`), such as the one
/// [`ROOT_CERT_PLACEHOLDER`] fixes write: the client would look for that file.
fn check_placeholder_paths(ctx: &Context<'_>) -> Vec<Diagnostic> {
    FILE_SETTINGS
        .iter()
        .filter_map(|&(keyword, what)| {
            let value = ctx.get_nonempty(keyword)?;
            if !is_placeholder_path(value) {
                return None;
            }
            let (fails, consequence) = missing_file_consequence(ctx, keyword);
            let reader = if ctx.is_libpq() { "libpq" } else { "the driver" };
            let detail = format!("`{keyword}={value}` is an example path, not a file on the client: {reader} looks for it when it connects and does not find it, so {consequence}.");
            let diagnostic = Diagnostic::new(&RULE_PLACEHOLDER_PATH, detail)
                .with_span(ctx.value_span(keyword))
                .with_fix(ctx.advice(format!(
                    "Replace `{value}` with the path of {what} on the client"
                )));
            Some(if fails {
                diagnostic
            } else {
                diagnostic.with_severity(Severity::Warning)
            })
        })
        .collect()
}

/// What a missing file for `keyword` does to the connection, and whether it fails
/// (`fe-secure-openssl.c`, `initialize_SSL`: the root file is required only by `verify-*`; the
/// key is read only when a client certificate was loaded; a CRL file that cannot be loaded is
/// skipped, while `X509_STORE_load_locations` accepts any directory name and turns CRL checking
/// on; with `sslrootcert=system` no CRL setting is used).
fn missing_file_consequence(ctx: &Context<'_>, keyword: &str) -> (bool, &'static str) {
    let real = |k: &str| ctx.get_nonempty(k).is_some_and(|v| !is_placeholder_path(v));
    let root_file = root_cert_file(ctx).is_some();
    match keyword {
        "sslrootcert" if ctx.sslmode().is_some_and(SslMode::verifies_server) => (
            true,
            "the connection is refused (the root certificate file does not exist)",
        ),
        "sslrootcert" => (false, "the server is not verified at all"),
        "sslkey" if real("sslcert") => (
            true,
            "the connection fails: the client certificate has no key",
        ),
        "sslkey" => (false, "no client certificate is used"),
        "sslcert" => (
            false,
            "no client certificate is sent, and a server that requires one rejects the connection",
        ),
        "sslcrldir" if root_file => (true, "every certificate lacks a CRL and verification fails"),
        _ => (false, "no revocation list is checked"),
    }
}
