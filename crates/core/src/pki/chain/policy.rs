//! What a verification is asked for: the verifier whose answer is wanted, the leaf's purpose,
//! and how the inputs are named in messages. Below every other file of `chain`, which all
//! read these.

use serde::Serialize;

/// Which verifier's answer is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Policy {
    /// RFC 5280 path validation as x509-limbo expects (Java PKIX, rustls and Go are close).
    #[default]
    Strict,
    /// What libpq's OpenSSL decides.
    Libpq,
}

impl Policy {
    pub fn from_name(name: &str) -> Option<Policy> {
        match name {
            "strict" => Some(Policy::Strict),
            "libpq" => Some(Policy::Libpq),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Policy::Strict => "strict",
            Policy::Libpq => "libpq",
        }
    }
}

/// What the leaf is for (RFC 5280 §4.2.1.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Purpose {
    /// A server certificate (serverAuth; OpenSSL's `sslserver`).
    Server,
    /// A client certificate (clientAuth; OpenSSL's `sslclient`).
    Client,
}

impl Purpose {
    pub fn from_name(name: &str) -> Option<Purpose> {
        match name {
            "server" => Some(Purpose::Server),
            "client" => Some(Purpose::Client),
            _ => None,
        }
    }
}

/// How the inputs are named in messages (file names in the CLI, field names in the page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    pub leaf: String,
    pub trusted: String,
    pub untrusted: String,
    /// The number a person gives the first untrusted certificate in `untrusted`: 2 when that
    /// is the leaf's own file (a server's chain, sslcert with its intermediates: the leaf is
    /// certificate 1), 1 for a file of its own. Findings number certificates by it, so the
    /// third certificate of a pasted chain is called certificate 3.
    pub untrusted_first: usize,
}

impl Default for Labels {
    fn default() -> Labels {
        Labels {
            leaf: "the leaf certificate".into(),
            trusted: "the trusted certificates".into(),
            untrusted: "the intermediate certificates".into(),
            untrusted_first: 1,
        }
    }
}
