//! What every check of the security review may look at ([`Context`]), and the small helpers
//! the checks share. Below every check module.

use super::providers::{self, Provider};
use crate::conninfo::analysis::CheckOptions;
use crate::conninfo::dialect::Dialect;
use crate::conninfo::keywords;
use crate::conninfo::options::{is_numeric_host, Effective, HostKind, HostTarget, SslMode};
use crate::conninfo::redact::{self, Edit};
use crate::conninfo::syntax::{Conninfo, Param};
use crate::diagnostic::{Change, Fix, Span};

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

    /// `sslmode` as libpq will use it (the default applied); `None` for a value libpq rejects.
    pub fn sslmode(&self) -> Option<SslMode> {
        self.effective.sslmode
    }

    /// Whether libpq will use exactly `mode`.
    pub fn sslmode_is(&self, mode: SslMode) -> bool {
        self.effective.sslmode == Some(mode)
    }

    /// The mode as written in messages (`"bogus"` as given when libpq rejects it).
    pub fn sslmode_text(&self) -> &'a str {
        match self.effective.sslmode {
            Some(mode) => mode.name(),
            None => self.get("sslmode").unwrap_or_default(),
        }
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

    /// Providers some host name suggests without identifying it (their `tentative_hosts`),
    /// each once, in table order; none that [`Self::providers`] already identifies.
    pub fn possible_providers(&self) -> Vec<&'static Provider> {
        let names = self.host_names();
        let known = self.providers();
        providers::PROVIDERS
            .iter()
            .filter(|p| names.iter().any(|n| p.may_match(n)) && !known.contains(p))
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
        let mut title = title.into();
        // `sslrootcert=system` is libpq 16's: older libpq opens a file of that name and
        // refuses to connect ("root certificate file \"system\" does not exist";
        // fe-secure-openssl.c, PostgreSQL 16 release notes). Other dialects' renderings say
        // so through the knowledge table's `since_for`.
        let writes_system = changes
            .iter()
            .any(|c| matches!(c, Change::Set("sslrootcert", v) if v == "system"));
        if self.is_libpq() && writes_system && self.get("sslrootcert") != Some("system") {
            title.push_str(&format!(" ({SYSTEM_ROOTS_NEED_LIBPQ_16})"));
        }
        let note = self.has_secret().then_some(SECRETS_LEFT_OUT);
        Fix::edit(
            self.noted(title, note),
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

/// Said beside every libpq fix that writes `sslrootcert=system`.
pub const SYSTEM_ROOTS_NEED_LIBPQ_16: &str = "`sslrootcert=system` needs libpq 16 or later: older libpq reads it as a file name and fails with `root certificate file \"system\" does not exist`";

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
