//! Credentials: secrets written into the string, weak passwords, and whether an impostor server
//! could obtain the password (channel binding, libpq docs §32.1.2 `channel_binding`; RFC 5802
//! and RFC 5929 for SCRAM channel binding).
//!
//! **Invariant:** no detail here states a secret, its length or its entropy estimate; the weak
//! password check only says which generic criterion failed.

use crate::conninfo::dialect::Dialect;
use super::providers::ChannelBinding;
use super::{Change, Context};
use crate::conninfo::keywords;
use crate::conninfo::options::SslMode;
use crate::diagnostic::Diagnostic;

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(check_secrets_in_string(ctx));
    out.extend(check_weak_password(ctx));
    out.extend(check_channel_binding_disabled(ctx));
    out.extend(check_password_to_impostor(ctx));
}

rule!(
    RULE_SECRET_IN_STRING,
    "PGP-AUTH-101",
    Warning,
    "Secret embedded in the connection string",
    "The string carries a secret — a `password` (in the URI's user information or as a keyword), \
the client key's `sslpassword`, SCRAM keys or an OAuth client secret. Connection strings end up \
in shell history, process listings, logs, crash reports, CI output and chat messages, and \
whoever reads the string can log in. pg-preflight never shows the value (every output redacts \
it), but it is still in the text you copied.\n\n\
Keep the secret out of the string: a password file (`~/.pgpass`, or the `passfile` keyword; \
libpq looks the password up by host, port, database and user), the `PGPASSWORD` environment \
variable set by the process that starts the client, or the secret store of the platform the \
string is handed to. The fix is the same string without the secret.",
    [
        "https://www.postgresql.org/docs/18/libpq-pgpass.html",
        "https://www.postgresql.org/docs/18/libpq-envars.html",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-PASSWORD"
    ]
);

/// Secrets in the string (libpq marks them with dispchar `*`; libpq docs §32.16 "The Password
/// File", §32.15 "Environment Variables").
fn check_secrets_in_string(ctx: &Context<'_>) -> Vec<Diagnostic> {
    let secrets: Vec<_> = ctx
        .conninfo
        .params
        .iter()
        .filter(|p| keywords::is_secret(p.keyword) && !p.value.is_empty())
        .collect();
    secrets
        .iter()
        .map(|param| {
            let keyword = param.keyword;
            let detail = match keyword {
                "password" if ctx.dialect == Dialect::Prisma => "The string contains the password (shown redacted everywhere). Anyone who sees the string can log in; Prisma takes the password from the URL only, so keep the whole URL in an environment variable the platform's secret store sets.".to_string(),
                "password" => format!("The string contains the password (shown redacted everywhere). Anyone who sees the string can log in; keep the password in {} instead.", password_homes(ctx.dialect)),
                "sslpassword" => "The string contains `sslpassword`, the passphrase of the client key (shown redacted everywhere). Keep it out of the string.".to_string(),
                other => format!("The string contains the secret `{other}` (shown redacted everywhere). Keep it out of the string."),
            };
            Diagnostic::new(&RULE_SECRET_IN_STRING, detail)
                .with_span(ctx.value_span(param.keyword))
                .with_fix(if ctx.dialect == Dialect::Prisma && keyword == "password" {
                    // Prisma takes the password from the URL only: a URL without it cannot
                    // connect.
                    ctx.advice("Keep the whole URL, password included, in an environment variable the platform's secret store sets (`env(\"DATABASE_URL\")`), not in schema.prisma, code or a committed .env file")
                } else {
                    ctx.fix_removing_secret(
                        format!("Remove the secret from the string and supply it through {}", password_homes(ctx.dialect)),
                        keyword,
                    )
                })
        })
        .collect()
}

/// Where the driver takes a password from, other than the string. pgjdbc reads no
/// `PGPASSWORD` (its PGEnvironment knows PGPASSFILE, PGSERVICEFILE and PGSYSCONFDIR only) but
/// does read `~/.pgpass` (PGPropertyPasswordParser, 42.3+) (a driver expert's review).
fn password_homes(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Jdbc => "the `password` property or the pool's password setting, a password file (`~/.pgpass`) or a secret store (pgjdbc reads no `PGPASSWORD`)",
        _ => "a password file (`~/.pgpass`), `PGPASSWORD` or a secret store",
    }
}

/// A generic reason the password is weak, if any: fewer estimated guesses than
/// [`strength::STRONG_LOG10_GUESSES`] (patterns, dictionary words and character classes, as
/// `strength` documents). Never describes the password itself, its length or the estimate.
pub fn password_weakness(password: &str, user: Option<&str>) -> Option<&'static str> {
    let estimate = super::strength::estimate(password, user);
    estimate.is_weak().then(|| estimate.reason())
}

rule!(
    RULE_WEAK_PASSWORD,
    "PGP-AUTH-102",
    Warning,
    "Weak password",
    "The embedded password takes few guesses to find: it is built on a common password or \
word (capitalised, with digits, a year or symbols added, letters swapped for look-alike \
digits), contains the user name, follows a pattern (a sequence, a keyboard row, a repetition), \
or is too short for the characters it uses. pg-preflight estimates the guesses an attacker \
needs, the way zxcvbn does, and calls a password weak below 10^15 guesses (about 50 bits): a \
stolen SCRAM-SHA-256 verifier, or the proof an impostor server records, is attacked offline at \
roughly 10^7 guesses a second per GPU, so 10^15 is years of one GPU while `Summer2024!` (about \
10^7) falls at once. A random password of 16 letters and digits (about 10^28) is strong; length \
alone is not the measure. pg-preflight never shows the password, its length or the estimate.\n\n\
Generate a random password — for example `openssl rand -base64 30` — set it with `ALTER ROLE \
… PASSWORD` (stored as a SCRAM-SHA-256 verifier), and keep it out of the string.",
    [
        "https://www.postgresql.org/docs/18/auth-password.html",
        "https://pages.nist.gov/800-63-4/sp800-63b.html#passwordver"
    ]
);

/// The embedded password's strength (never its value, length or estimate).
fn check_weak_password(ctx: &Context<'_>) -> Option<Diagnostic> {
    let param = ctx.param("password").filter(|p| !p.value.is_empty())?;
    let reason = password_weakness(&param.value, ctx.get_nonempty("user"))?;
    let detail = format!("The password is weak: {reason}. (Its value is never shown.)");
    Some(
        Diagnostic::new(&RULE_WEAK_PASSWORD, detail)
            .with_span(ctx.value_span(param.keyword))
            .with_fix(ctx.advice(
                "Generate a random password of at least 20 characters (for example `openssl rand -base64 30`), set it with ALTER ROLE … PASSWORD, and keep it out of the string",
            )),
    )
}

rule!(
    RULE_CHANNEL_BINDING_DISABLED,
    "PGP-AUTH-103",
    Info,
    "Channel binding disabled",
    "SCRAM channel binding ties the password exchange to the TLS session, so a man in the middle \
who terminates TLS cannot relay the authentication to the real server. `channel_binding=disable` \
turns it off even when the server supports it. The default, `prefer`, uses it when offered; \
`require` insists on it (and thereby on SCRAM over TLS). Remove the setting, or set `require` \
when the server authenticates with SCRAM.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-CHANNEL-BINDING",
        "https://www.postgresql.org/docs/18/sasl-authentication.html#SASL-SCRAM-SHA-256",
        "https://www.rfc-editor.org/rfc/rfc5802#section-6"
    ]
);

/// Why `channel_binding=require` may not work with this provider: its pooler, or the proxy
/// that answers for every database, does not offer SCRAM channel binding, or does not say.
/// A fix must work, so one resting on an undocumented feature is not offered.
fn channel_binding_blocker(ctx: &Context<'_>) -> Option<String> {
    let (provider, front, support) = match super::endpoints::transaction_pooler(ctx) {
        Some((provider, pooler)) => (
            provider.name,
            format!("pooler ({})", pooler.software),
            pooler.channel_binding,
        ),
        None => {
            let provider = super::tls::sole_provider(ctx)?;
            (
                provider.name,
                "connection proxy".to_string(),
                provider.channel_binding,
            )
        }
    };
    match support {
        ChannelBinding::Offered => None,
        ChannelBinding::NotOffered => Some(format!(
            "{provider}'s {front} does not offer SCRAM channel binding, so `channel_binding=require` would fail there"
        )),
        ChannelBinding::Undocumented => Some(format!(
            "{provider} does not document SCRAM channel binding through its {front}, so `channel_binding=require` may fail there"
        )),
    }
}

/// `channel_binding=disable` (libpq docs, `channel_binding`).
fn check_channel_binding_disabled(ctx: &Context<'_>) -> Option<Diagnostic> {
    if ctx.get("channel_binding") != Some("disable") {
        return None;
    }
    let detail = if ctx.sslmode_is(SslMode::VerifyFull) {
        "`channel_binding=disable` turns off SCRAM channel binding; with `sslmode=verify-full` the server is already verified, so this only removes a second line of defence.".to_string()
    } else {
        format!("`channel_binding=disable` turns off SCRAM channel binding, and `sslmode={}` does not verify the server either: a man in the middle can relay the authentication.", ctx.sslmode_text())
    };
    Some(
        Diagnostic::new(&RULE_CHANNEL_BINDING_DISABLED, detail)
            .with_span(ctx.value_span("channel_binding"))
            .with_fix(ctx.fix(
                "Use channel binding when the server offers it: remove `channel_binding` (or set `require` for SCRAM servers)",
                &[Change::Remove("channel_binding")],
            )),
    )
}

rule!(RULE_PASSWORD_TO_IMPOSTOR, "PGP-AUTH-104", Info, "An impostor server could obtain the password",
"The connection is encrypted but the server's identity is not fully verified (`sslmode=require` \
or `verify-ca`). A server impersonating the real one can ask libpq for the password in clear \
text (`password` authentication) and libpq will send it, because nothing in the string forbids \
that method. `channel_binding=require` closes the hole: libpq then accepts only SCRAM with \
channel binding, which never reveals the password and fails against a man in the middle. \
`require_auth=scram-sha-256` (libpq 16+) is the alternative when channel binding is not \
available. Verifying the server with `sslmode=verify-full` is better still.",
["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-CHANNEL-BINDING",
 "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-REQUIRE-AUTH"]);

/// libpq answers whatever authentication request the server sends unless `channel_binding` or
/// `require_auth` restrict it (libpq docs, `channel_binding`, `require_auth`).
fn check_password_to_impostor(ctx: &Context<'_>) -> Option<Diagnostic> {
    let mode = ctx
        .sslmode()
        .filter(|m| matches!(m, SslMode::Require | SslMode::VerifyCa))?;
    if ctx.local_only() || ctx.loopback_only() {
        return None;
    }
    if ctx.get("channel_binding") == Some("require") || ctx.get_nonempty("require_auth").is_some() {
        return None;
    }
    if ctx.get_nonempty("sslcert").is_some() || ctx.options.client_cert_supplied {
        return None;
    }
    let mut detail = format!(
        "With `sslmode={mode}` the server's identity is not fully checked, and nothing stops an impostor from asking for the password in clear text."
    );
    // Channel binding is the lighter fix only where it can work: not through a pooler that
    // does not offer SCRAM-SHA-256-PLUS, and not with a driver that cannot require it.
    let blocker = channel_binding_blocker(ctx)
        .or_else(|| driver_cannot_require_channel_binding(ctx));
    let fix = match blocker {
        Some(why) => {
            detail.push_str(&format!(" {why}: verify the server instead."));
            let changes = super::tls::verified_changes(ctx);
            if super::tls::target_mode(&changes) == Some(SslMode::VerifyFull) {
                super::tls::verify_server_fix(ctx)
            } else {
                // The provider's certificates stop verification short of the host name (Cloud
                // SQL's per-instance CA), or no CA is documented (Render, Prisma Postgres): an
                // edit would leave this finding standing.
                let how = if ctx.render(&changes) == ctx.render(&[]) {
                    format!("keep `sslmode={}`", ctx.sslmode_text())
                } else {
                    super::tls::describe(&changes)
                };
                ctx.advice(format!(
                    "Verify the server as far as its certificates allow ({how}); only `sslmode=verify-full` closes this. {}",
                    super::tls::unverifiable_here(ctx).unwrap_or_default()
                ).trim_end().to_string())
            }
        }
        None => {
            detail.push_str(" `channel_binding=require` makes the client accept only SCRAM with channel binding, which fails against a man in the middle.");
            ctx.fix(
                "Accept only SCRAM with channel binding: set `channel_binding=require` (needs a SCRAM-authenticated role)",
                &[Change::set("channel_binding", "require")],
            )
        }
    };
    Some(
        Diagnostic::new(&RULE_PASSWORD_TO_IMPOSTOR, detail)
            .with_span(ctx.value_span("sslmode"))
            .with_fix(fix),
    )
}

/// Why the string's driver cannot require channel binding, from the driver table.
fn driver_cannot_require_channel_binding(ctx: &Context<'_>) -> Option<String> {
    use crate::conninfo::dialect::knowledge::{self, Driver, Write};
    let driver = Driver::of(ctx.dialect, ctx.input);
    match knowledge::row(driver, "channel_binding").and_then(|r| r.write.for_value("require")) {
        Some(Write::Keys(_)) => None,
        Some(Write::Unsupported(why)) => Some(why.to_string()),
        _ => Some(format!("{} cannot require channel binding", driver.name())),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, clippy::unwrap_used)]
    use super::*;

    /// Where the password should go is the driver's own: pgjdbc reads no `PGPASSWORD`, and
    /// Prisma has no place for it but the URL, so its fix removes nothing.
    #[test]
    fn the_password_goes_where_the_driver_reads_it() {
        use crate::conninfo::{analyze, CheckOptions};
        let cases = [
            (Dialect::Jdbc, "jdbc:postgresql://db.example.com/app?user=app&password=Zq9XWk7VmR2p", "pgjdbc reads no `PGPASSWORD`", true),
            (Dialect::Prisma, "postgresql://app:Zq9XWk7VmR2p@db.example.com/app", "Prisma takes the password from the URL only", false),
            (Dialect::Libpq, "postgresql://app:Zq9XWk7VmR2p@db.example.com/app", "`PGPASSWORD`", true),
        ];
        for (dialect, input, said, replaced) in cases {
            let analysis = analyze(input, Some(dialect), &CheckOptions::default());
            let finding = analysis.diagnostics.iter().find(|d| d.code == "PGP-AUTH-101").unwrap();
            assert!(finding.detail.contains(said), "{dialect:?}: {}", finding.detail);
            let fix = finding.fix.as_ref().unwrap();
            assert_eq!(fix.replacement.is_some(), replaced, "{dialect:?}: {fix:?}");
        }
    }

    #[test]
    fn weakness_by_estimated_guesses() {
        assert_eq!(
            password_weakness("Summer2024!", None),
            Some("it is built on a common password or word")
        );
        assert_eq!(
            password_weakness("alice-2024", Some("alice")),
            Some("it contains the user name")
        );
        // A generated 16-character password is strong although shorter than 20.
        assert_eq!(password_weakness("Zx8vQ2mK9pL4wR7t", None), None);
        assert_eq!(password_weakness("kP3_vN8-qX2.zM7~wB4!rT9s", None), None);
        assert!(password_weakness("password1", None).is_some());
    }
}
