//! Credentials: secrets written into the string, weak passwords, and whether an impostor server
//! could obtain the password (channel binding, libpq docs §32.1.2 `channel_binding`; RFC 5802
//! and RFC 5929 for SCRAM channel binding).
//!
//! **Invariant:** no detail here states a secret, its length or its entropy estimate; the weak
//! password check only says which generic criterion failed.

use super::{Change, Context};
use crate::conninfo::keywords;
use crate::diagnostic::Diagnostic;

/// Passwords shorter than this are weak whatever their alphabet.
pub const MIN_PASSWORD_CHARS: usize = 20;

/// Below this many estimated bits a password is weak.
pub const MIN_PASSWORD_BITS: f64 = 64.0;

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

rule!(
    RULE_WEAK_PASSWORD,
    "PGP-AUTH-102",
    Warning,
    "Weak password",
    "The embedded password is shorter than 20 characters, repeats a short sequence, uses few \
distinct characters (a low entropy estimate), or contains the user name or a common word. \
Database passwords are typed by machines, not people: nothing is gained by a short one, and an \
exposed PostgreSQL port is guessed at continuously. (pg-preflight estimates entropy from the \
character classes used and the Shannon entropy of the characters, takes the lower of the two, \
and wants at least 64 bits; it never shows the password, its length or the estimate.)\n\n\
Generate a random password of at least 20 characters — for example `openssl rand -base64 30` — \
set it with `ALTER ROLE … PASSWORD` (stored as a SCRAM-SHA-256 verifier), and keep it out of the \
string.",
    [
        "https://www.postgresql.org/docs/18/auth-password.html",
        "https://pages.nist.gov/800-63-4/sp800-63b.html#passwordver"
    ]
);

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

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(check_secrets_in_string(ctx));
    out.extend(check_weak_password(ctx));
    out.extend(check_channel_binding_disabled(ctx));
    out.extend(check_password_to_impostor(ctx));
}

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
                "password" => "The string contains the password (shown redacted everywhere). Anyone who sees the string can log in; keep the password in `~/.pgpass`, `PGPASSWORD` or a secret store instead.".to_string(),
                "sslpassword" => "The string contains `sslpassword`, the passphrase of the client key (shown redacted everywhere). Keep it out of the string.".to_string(),
                other => format!("The string contains the secret `{other}` (shown redacted everywhere). Keep it out of the string."),
            };
            Diagnostic::new(&RULE_SECRET_IN_STRING, detail)
                .with_span(ctx.value_span(param.keyword))
                .with_fix(ctx.fix_removing_secret(
                    "Remove the secret from the string and supply it through a password file (`~/.pgpass`), `PGPASSWORD` or a secret store",
                    keyword,
                ))
        })
        .collect()
}

/// A generic reason the password is weak, if any. Never describes the password itself.
/// (NIST SP 800-63B §3.1.1.2 on length and blocklists; entropy estimate as documented in the
/// rule.)
pub fn password_weakness(password: &str, user: Option<&str>) -> Option<&'static str> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < MIN_PASSWORD_CHARS {
        return Some("it is shorter than 20 characters");
    }
    if repeats_short_unit(&chars) {
        return Some("it repeats a short sequence of characters");
    }
    if estimated_bits(&chars) < MIN_PASSWORD_BITS {
        return Some("it uses few distinct characters (low estimated entropy)");
    }
    // ASCII folding: the common words are ASCII, and it keeps Unicode's case tables out of
    // the page.
    let lower = password.to_ascii_lowercase();
    let user_in_it = user
        .map(str::to_ascii_lowercase)
        .is_some_and(|u| u.chars().count() >= 3 && lower.contains(&u));
    const COMMON: &[&str] = &[
        "password", "passwort", "postgres", "secret", "admin", "changeme", "qwerty", "letmein",
        "123456", "welcome",
    ];
    if user_in_it || COMMON.iter().any(|w| lower.contains(w)) {
        return Some("it contains the user name or a common word");
    }
    None
}

/// True when the whole string is one unit repeated (`abcabcabc…`), the unit at most half long.
fn repeats_short_unit(chars: &[char]) -> bool {
    let len = chars.len();
    (1..=len / 2).any(|period| {
        let chunks = chars.chunks_exact(period);
        let unit = chars.get(..period);
        chunks.remainder().is_empty() && chunks.clone().all(|chunk| Some(chunk) == unit)
    })
}

/// The lower of two estimates, in bits: length × log2(size of the character classes used), and
/// length × Shannon entropy of the character distribution.
pub fn estimated_bits(chars: &[char]) -> f64 {
    if chars.is_empty() {
        return 0.0;
    }
    let mut pool = 0u32;
    if chars.iter().any(char::is_ascii_lowercase) {
        pool += 26;
    }
    if chars.iter().any(char::is_ascii_uppercase) {
        pool += 26;
    }
    if chars.iter().any(char::is_ascii_digit) {
        pool += 10;
    }
    if chars
        .iter()
        .any(|c| c.is_ascii() && !c.is_ascii_alphanumeric())
    {
        pool += 33;
    }
    if chars.iter().any(|c| !c.is_ascii()) {
        pool += 100;
    }
    let len = chars.len() as f64;
    let class_bits = len * f64::from(pool.max(1)).log2();
    let mut counts: Vec<(char, u32)> = Vec::new();
    for c in chars {
        match counts.iter_mut().find(|(k, _)| k == c) {
            Some(entry) => entry.1 += 1,
            None => counts.push((*c, 1)),
        }
    }
    let shannon_per_char: f64 = counts
        .iter()
        .map(|(_, n)| {
            let p = f64::from(*n) / len;
            -p * p.log2()
        })
        .sum();
    class_bits.min(shannon_per_char * len)
}

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

/// `channel_binding=disable` (libpq docs, `channel_binding`).
fn check_channel_binding_disabled(ctx: &Context<'_>) -> Option<Diagnostic> {
    if ctx.get("channel_binding") != Some("disable") {
        return None;
    }
    let detail = if ctx.sslmode() == "verify-full" {
        "`channel_binding=disable` turns off SCRAM channel binding; with `sslmode=verify-full` the server is already verified, so this only removes a second line of defence.".to_string()
    } else {
        format!("`channel_binding=disable` turns off SCRAM channel binding, and `sslmode={}` does not verify the server either: a man in the middle can relay the authentication.", ctx.sslmode())
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

/// libpq answers whatever authentication request the server sends unless `channel_binding` or
/// `require_auth` restrict it (libpq docs, `channel_binding`, `require_auth`).
fn check_password_to_impostor(ctx: &Context<'_>) -> Option<Diagnostic> {
    let mode = ctx.sslmode();
    if !matches!(mode, "require" | "verify-ca") || ctx.local_only() || ctx.loopback_only() {
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
    let blocker = super::providers::transaction_pooler(ctx)
        .filter(|(_, pooler)| !pooler.channel_binding)
        .map(|(provider, pooler)| format!("{}'s pooler ({}) does not offer SCRAM channel binding, so `channel_binding=require` would fail there", provider.name, pooler.software))
        .or_else(|| driver_cannot_require_channel_binding(ctx));
    let fix = match blocker {
        Some(why) => {
            detail.push_str(&format!(" {why}: verify the server instead."));
            super::tls::verify_server_fix(ctx)
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

    #[test]
    fn weakness_reasons() {
        assert_eq!(
            password_weakness("hunter2", None),
            Some("it is shorter than 20 characters")
        );
        assert_eq!(
            password_weakness("abcdabcdabcdabcdabcdabcd", None),
            Some("it repeats a short sequence of characters")
        );
        assert_eq!(
            password_weakness("aaaaaaaaaaaaaaaaaaaaaaab", None),
            Some("it uses few distinct characters (low estimated entropy)")
        );
        assert_eq!(
            password_weakness("xK9#mQ2$vL7@postgres!zR4", None),
            Some("it contains the user name or a common word")
        );
        assert_eq!(
            password_weakness("Zx8vQ2mK9pL4wR7tY3nB6cJ1", Some("Zx8vQ")),
            Some("it contains the user name or a common word")
        );
        assert_eq!(
            password_weakness("Zx8vQ2mK9pL4wR7tY3nB6cJ1", Some("app")),
            None
        );
        assert_eq!(password_weakness("kP3_vN8-qX2.zM7~wB4!rT9s", None), None);
    }

    #[test]
    fn estimates_are_bounded_by_shannon() {
        let same: Vec<char> = "aaaaaaaaaaaaaaaaaaaaaaaa".chars().collect();
        assert!(estimated_bits(&same) < 1.0);
        let random: Vec<char> = "Zx8vQ2mK9pL4wR7tY3nB6cJ1".chars().collect();
        assert!(estimated_bits(&random) > 100.0);
        assert!(estimated_bits(&[]) == 0.0);
    }
}
