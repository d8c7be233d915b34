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

use crate::diagnostic::Diagnostic;
use crate::registry::Rule;

mod context;
pub mod credentials;
mod endpoints;
pub mod hosts;
pub mod provider_checks;
pub mod providers;
pub mod session;
pub mod strength;
pub mod tls;

pub use context::{list, parse_ip, Context, OTHER_SECRETS_LEFT_OUT, SECRETS_LEFT_OUT};

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
    &hosts::RULE_EMPTY_HOST_IN_LIST,
    &provider_checks::RULE_PROVIDER_TLS,
    &provider_checks::RULE_SYSTEM_ROOTS_PRIVATE_CA,
    &provider_checks::RULE_SNI_ROUTING,
    &provider_checks::RULE_POOLER_TENANT_USER,
    &provider_checks::RULE_TRANSACTION_POOLER,
    &provider_checks::RULE_PROVIDER_PORT,
    &provider_checks::RULE_PROVIDER_CERT_UNVERIFIABLE,
    &provider_checks::RULE_IPV6_ONLY_ENDPOINT,
    &provider_checks::RULE_POOLER_CHANNEL_BINDING,
    &provider_checks::RULE_RETIRED_CA_FILE,
    &provider_checks::RULE_SINGLE_SERVER_LOGIN,
    &provider_checks::RULE_POOLER_PREPARED_STATEMENTS,
    &provider_checks::RULE_POSSIBLE_PROVIDER,
];

/// Runs every check. Order does not matter: the caller sorts the findings.
pub fn run_checks(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    tls::check(context, &mut out);
    credentials::check(context, &mut out);
    session::check(context, &mut out);
    hosts::check(context, &mut out);
    provider_checks::check(context, &mut out);
    out
}

pub use crate::diagnostic::Change;

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, clippy::unwrap_used)]
    use super::*;
    use super::context::is_loopback;
    use crate::conninfo::dialect::Dialect;
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
