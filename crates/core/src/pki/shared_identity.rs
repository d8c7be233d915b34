//! Several configurations checked together (`check --config A --config B`): one client
//! identity (certificate or key pair) used for two differently named environments.
//!
//! A client certificate is a credential: when staging and production share one, a leak from the
//! weaker environment opens the stronger, a revocation breaks both, and the server cannot tell
//! them apart in its logs or pg_ident maps. NIST SP 800-57 Part 1 §5.2 asks for one key per
//! purpose.

use crate::diagnostic::{Diagnostic, Fix};
use crate::registry::Rule;

pub static RULES: &[&Rule] = &[&RULE_SHARED_CLIENT_CERT];

/// The client identity of one configuration: what is compared across configurations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientIdentity {
    /// SHA-256 fingerprint of the client certificate (the first one in sslcert).
    pub certificate_sha256: Option<String>,
    /// SHA-256 of the SubjectPublicKeyInfo of the client certificate and of the client key.
    pub public_keys_sha256: Vec<String>,
}

/// What two configurations share, described for people; `None` when nothing.
fn shared(a: &ClientIdentity, b: &ClientIdentity) -> Option<String> {
    if let (Some(x), Some(y)) = (&a.certificate_sha256, &b.certificate_sha256) {
        if x == y {
            return Some(format!("the same client certificate (SHA-256 `{x}`)"));
        }
    }
    a.public_keys_sha256
        .iter()
        .find(|k| b.public_keys_sha256.contains(k))
        .map(|k| format!("the same client key pair (public key SHA-256 `{k}`)"))
}

rule!(
    RULE_SHARED_CLIENT_CERT,
    "PGP-CERT-014",
    Warning,
    "Same client certificate in two configurations",
    "Two differently named configurations (environments) use the same client certificate, or \
certificates for the same key pair. A leak or compromise of the less protected environment then \
opens the other, revoking the certificate breaks both, and the servers cannot tell the clients \
apart. Issue one certificate and key per environment.",
    [
        "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
        "https://www.postgresql.org/docs/18/auth-cert.html"
    ]
);

/// Every pair of differently named configurations sharing a client identity, once per pair.
pub fn check_shared_identity(configs: &[(&str, ClientIdentity)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, (name_a, a)) in configs.iter().enumerate() {
        for (name_b, b) in configs.iter().skip(i + 1) {
            if name_a == name_b {
                continue;
            }
            if let Some(what) = shared(a, b) {
                out.push(
                    Diagnostic::new(
                        &RULE_SHARED_CLIENT_CERT,
                        format!("`{name_a}` and `{name_b}` use {what}."),
                    )
                    .with_fix(Fix::advice(format!(
                        "Issue a separate client certificate and key for `{name_b}`"
                    ))),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(cert: Option<&str>, keys: &[&str]) -> ClientIdentity {
        ClientIdentity {
            certificate_sha256: cert.map(str::to_string),
            public_keys_sha256: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn codes(configs: &[(&str, ClientIdentity)]) -> Vec<&'static str> {
        check_shared_identity(configs)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn same_certificate_or_key_across_names() {
        let prod = id(Some("AA"), &["K1"]);
        assert_eq!(
            codes(&[("prod", prod.clone()), ("staging", prod.clone())]),
            ["PGP-CERT-014"]
        );
        // A re-issued certificate for the same key pair.
        assert_eq!(
            codes(&[("prod", prod.clone()), ("staging", id(Some("BB"), &["K1"]))]),
            ["PGP-CERT-014"]
        );
        // Different identities, or the same name twice, or no certificate at all.
        assert!(codes(&[("prod", prod.clone()), ("staging", id(Some("BB"), &["K2"]))]).is_empty());
        assert!(codes(&[("prod", prod.clone()), ("prod", prod.clone())]).is_empty());
        assert!(codes(&[("a", id(None, &[])), ("b", id(None, &[]))]).is_empty());
        // Three environments sharing one: one finding per pair.
        assert_eq!(
            codes(&[("a", prod.clone()), ("b", prod.clone()), ("c", prod)]).len(),
            3
        );
    }
}
