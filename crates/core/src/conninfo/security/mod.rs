//! Security review of a (libpq-equivalent) connection string: the checks libpq does not make.
//!
//! libpq accepts `sslmode=prefer`, a password in the URI and a connection without any timeout;
//! none of them is an error to libpq, all of them matter when the string is handed to another
//! system. Each fact is one small `check_*` function that cites what it relies on and raises
//! one registry [`Rule`]:
//!
//! - [`tls`]: is the connection encrypted, is the server verified, and what weakens either
//!   (libpq docs §32.19 "SSL Support");
//! - [`credentials`]: secrets in the string, weak passwords, channel binding;
//! - [`session`]: timeouts, `application_name`, `target_session_attrs`;
//! - [`hosts`]: IP literals and settings that do not apply to the host kind;
//! - [`providers`]: advice by host name for managed PostgreSQL services, kept as a data table.
//!
//! **Invariant:** no detail, title or fix produced here contains a secret value. Fixes render
//! the corrected string with [`redact::render_with`], which never writes secrets.

use super::dialect::Dialect;
use super::keywords;
use super::options::{is_numeric_host, Effective, HostKind, HostTarget};
use super::redact::{self, Edit};
use super::syntax::{Conninfo, Param};
use super::CheckOptions;
use crate::diagnostic::{Diagnostic, Fix, Span};
use crate::registry::Rule;
use providers::Provider;

/// Declares a registry rule: `rule!(NAME, "PGP-X-NNN", Severity, "title", "explanation", [refs])`.
/// Defined before the submodules so that they see it (textual macro scope).
pub mod credentials;
pub mod hosts;
pub mod providers;
pub mod session;
pub mod strength;
pub mod tls;

/// The note a fix title carries when its replacement leaves the string's secrets out (fixes
/// are shown, logged and copied; the secrets stay with the user). The page, which puts them
/// back when a fix is applied, words it for that.
pub const SECRETS_LEFT_OUT: &str = "secrets are left out of it; supply them separately";
/// The same for a fix that removes one secret, when the string has others.
pub const OTHER_SECRETS_LEFT_OUT: &str =
    "its other secrets are left out of it; supply them separately";

/// What every check may look at.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The original text (spans point into it).
    pub input: &'a str,
    pub conninfo: &'a Conninfo,
    pub effective: &'a Effective,
    pub dialect: Dialect,
    pub options: &'a CheckOptions,
}

/// Every rule of the security review, in a stable order.
pub static RULES: &[&Rule] = &[
    &tls::RULE_TLS_DISABLED,
    &tls::RULE_TLS_OPTIONAL,
    &tls::RULE_SERVER_UNVERIFIED,
    &tls::RULE_HOST_NAME_UNVERIFIED,
    &tls::RULE_NO_ROOT_CERT,
    &tls::RULE_VERIFY_FULL_WITHOUT_HOST,
    &tls::RULE_OLD_TLS_VERSION,
    &tls::RULE_SNI_DISABLED,
    &tls::RULE_SSLCOMPRESSION,
    &tls::RULE_CLIENT_CERT_OPTIONAL_TLS,
    &tls::RULE_KEY_LOG_FILE,
    &tls::RULE_PLACEHOLDER_PATH,
    &credentials::RULE_SECRET_IN_STRING,
    &credentials::RULE_WEAK_PASSWORD,
    &credentials::RULE_CHANNEL_BINDING_DISABLED,
    &credentials::RULE_PASSWORD_TO_IMPOSTOR,
    &session::RULE_NO_CONNECT_TIMEOUT,
    &session::RULE_NO_APPLICATION_NAME,
    &session::RULE_NO_STATEMENT_TIMEOUT,
    &session::RULE_HOSTS_WITHOUT_TARGET,
    &session::RULE_READER_ENDPOINT_READ_WRITE,
    &hosts::RULE_PUBLIC_IP_HOST,
    &hosts::RULE_REQUIREPEER_TCP,
    &providers::RULE_PROVIDER_TLS,
    &providers::RULE_SYSTEM_ROOTS_PRIVATE_CA,
    &providers::RULE_SNI_ROUTING,
    &providers::RULE_POOLER_TENANT_USER,
    &providers::RULE_TRANSACTION_POOLER,
    &providers::RULE_PROVIDER_PORT,
    &providers::RULE_PROVIDER_CERT_UNVERIFIABLE,
    &providers::RULE_IPV6_ONLY_ENDPOINT,
    &providers::RULE_POOLER_CHANNEL_BINDING,
    &providers::RULE_RETIRED_CA_FILE,
    &providers::RULE_SINGLE_SERVER_LOGIN,
    &providers::RULE_POOLER_PREPARED_STATEMENTS,
];

/// Runs every check. Order does not matter: the caller sorts the findings.
pub fn check(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    tls::check(context, &mut out);
    credentials::check(context, &mut out);
    session::check(context, &mut out);
    hosts::check(context, &mut out);
    providers::check(context, &mut out);
    out
}

pub use crate::diagnostic::Change;

impl<'a> Context<'a> {
    pub fn param(&self, keyword: &str) -> Option<&'a Param> {
        self.conninfo.param(keyword)
    }

    pub fn get(&self, keyword: &str) -> Option<&'a str> {
        self.conninfo.get(keyword)
    }

    pub fn get_nonempty(&self, keyword: &str) -> Option<&'a str> {
        self.conninfo.get_nonempty(keyword)
    }

    /// Where the value of `keyword` was written, when it was. A parameter another driver's
    /// translation implies without writing it has empty spans and gets no span here.
    pub fn value_span(&self, keyword: &str) -> Option<Span> {
        self.param(keyword)
            .filter(|p| !p.value_span.is_empty() || !p.key_span.is_empty())
            .map(|p| p.value_span)
    }

    pub fn is_libpq(&self) -> bool {
        self.dialect == Dialect::Libpq
    }

    /// `sslmode` as libpq will use it (the default applied).
    pub fn sslmode(&self) -> &'a str {
        self.effective.sslmode.as_str()
    }

    /// Host slots reached over TCP (a host name or a numeric address); TLS only exists there.
    pub fn tcp_hosts(&self) -> impl Iterator<Item = &'a HostTarget> {
        self.effective
            .hosts
            .iter()
            .filter(|h| matches!(h.kind, HostKind::Name | HostKind::Address))
    }

    /// True when no host is reached over TCP (Unix sockets, or libpq's default socket).
    pub fn local_only(&self) -> bool {
        self.tcp_hosts().next().is_none()
    }

    /// True when every TCP host is the loopback interface: traffic never leaves the machine.
    pub fn loopback_only(&self) -> bool {
        let mut any = false;
        for host in self.tcp_hosts() {
            any = true;
            if !is_loopback(host_address_or_name(host)) {
                return false;
            }
        }
        any
    }

    /// The host names (not numeric addresses) of the TCP slots, lower-cased, without a
    /// trailing dot.
    pub fn host_names(&self) -> Vec<String> {
        self.tcp_hosts()
            .filter_map(|h| h.host.as_deref())
            .filter(|h| !h.is_empty() && !is_numeric_host(h) && !h.contains(':'))
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
            .collect()
    }

    /// The recognised managed-PostgreSQL providers, each once, in table order.
    pub fn providers(&self) -> Vec<&'static Provider> {
        let names = self.host_names();
        providers::PROVIDERS
            .iter()
            .filter(|p| names.iter().any(|n| p.matches(n)))
            .collect()
    }

    /// Whether the string carries any secret (password, key passphrase, SCRAM keys, …).
    pub fn has_secret(&self) -> bool {
        self.conninfo
            .params
            .iter()
            .any(|p| keywords::is_secret(p.keyword) && !p.value.is_empty())
    }

    /// The string with `changes` applied, in its original form, without secrets.
    pub fn render(&self, changes: &[Change]) -> String {
        let edits: Vec<Edit<'_>> = changes
            .iter()
            .map(|c| match c {
                Change::Set(k, v) => Edit::Set(k, v.as_str()),
                Change::Remove(k) => Edit::Remove(k),
            })
            .collect();
        redact::render_with(self.conninfo, &edits)
    }

    /// A fix whose replacement is the whole corrected string. The title says when the
    /// replacement is libpq syntax for a string written for another driver, and when secrets
    /// were left out of it.
    pub fn fix(&self, title: impl Into<String>, changes: &[Change]) -> Fix {
        let note = self.has_secret().then_some(SECRETS_LEFT_OUT);
        Fix::edit(
            self.noted(title.into(), note),
            self.render(changes),
            changes.to_vec(),
        )
    }

    /// A fix that takes the secret `keyword` out of the string. Applying it must not put that
    /// secret back, only the string's other secrets ([`Fix::removes_secret`]).
    pub fn fix_removing_secret(&self, title: impl Into<String>, keyword: &'static str) -> Fix {
        let others =
            self.conninfo.params.iter().any(|p| {
                keywords::is_secret(p.keyword) && p.keyword != keyword && !p.value.is_empty()
            });
        let note = others.then_some(OTHER_SECRETS_LEFT_OUT);
        Fix {
            removes_secret: Some(keyword),
            ..Fix::edit(self.noted(title.into(), note), self.render(&[]), Vec::new())
        }
    }

    /// `title (notes)`: `secrets`, what the replacement leaves out.
    fn noted(&self, mut title: String, secrets: Option<&str>) -> String {
        // Another driver's fixes are rewritten in its own syntax by `dialect::render`, which
        // words the notes for its rendering.
        let notes: Vec<&str> = secrets.into_iter().collect();
        if !notes.is_empty() {
            title.push_str(&format!(" ({})", notes.join("; ")));
        }
        title
    }

    /// A fix without a replacement.
    pub fn advice(&self, title: impl Into<String>) -> Fix {
        Fix::advice(title)
    }
}

/// What a host slot connects to: the numeric address when one is given, else the name.
pub fn host_address_or_name(host: &HostTarget) -> &str {
    host.hostaddr
        .as_deref()
        .filter(|a| !a.is_empty())
        .or(host.host.as_deref())
        .unwrap_or_default()
}

/// `localhost` or a loopback address (127.0.0.0/8, `::1`).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    match parse_ip(host) {
        Some(ip) => ip.is_loopback(),
        None => false,
    }
}

/// An IP literal as the standard library reads it (an IPv6 zone suffix is ignored).
pub fn parse_ip(host: &str) -> Option<std::net::IpAddr> {
    let host = host.split('%').next().unwrap_or_default();
    host.parse::<std::net::IpAddr>().ok()
}

/// Backticked, comma-separated values for details: `` `a`, `b` ``.
pub fn list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, clippy::unwrap_used)]
    use super::*;
    use crate::conninfo::{analyze, CheckOptions};

    fn codes(input: &str) -> Vec<&'static str> {
        analyze(input, Some(Dialect::Libpq), &CheckOptions::default())
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn every_rule_is_in_the_registry_once() {
        let all = crate::registry::all();
        for rule in RULES {
            assert_eq!(
                all.iter().filter(|r| r.code == rule.code).count(),
                1,
                "{}",
                rule.code
            );
        }
    }

    #[test]
    fn codes_stay_in_the_security_ranges() {
        for rule in RULES {
            let number: u32 = rule
                .code
                .rsplit('-')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_default();
            if rule.code.starts_with("PGP-PROV-") {
                assert!(number < 100, "{}", rule.code);
            } else {
                assert!((100..200).contains(&number), "{}", rule.code);
            }
            assert!(!rule.references.is_empty(), "{} cites nothing", rule.code);
        }
    }

    #[test]
    fn unix_sockets_get_no_tls_advice() {
        let found = codes("host=/var/run/postgresql dbname=app sslmode=disable");
        assert!(
            !found.iter().any(|c| c.starts_with("PGP-SSL-1")),
            "{found:?}"
        );
    }

    #[test]
    fn loopback_detection() {
        assert!(is_loopback("localhost"));
        assert!(is_loopback("127.0.0.2"));
        assert!(is_loopback("::1"));
        assert!(!is_loopback("db.example.com"));
        assert!(!is_loopback("10.0.0.1"));
    }
}
