//! What the page's first module asks of its second (`deferred.rs`): plain data, serialised to
//! the JS object `pg-preflight-deferred`'s `reviewMaterial` reads (`ReviewRequest` there, which
//! refuses unknown fields, so the two cannot drift apart silently).
//!
//! **Architecture Invariant:** no yew and no web API here, so `state/` can use it and stay
//! testable natively.

use pg_preflight_core::check::ConnectionContext;
use pg_preflight_core::pki::review::Material;
use serde::Serialize;

/// The certificate and key texts as given; `None` for an input not given at all.
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MaterialTexts<'a> {
    pub ca: Option<&'a str>,
    pub cert: Option<&'a str>,
    pub key: Option<&'a str>,
    pub key_passphrase: Option<&'a str>,
    pub server_cert: Option<&'a str>,
    pub client_ca: Option<&'a str>,
}

impl MaterialTexts<'_> {
    /// No certificate or key (a passphrase alone is nothing to check).
    pub fn is_empty(&self) -> bool {
        [
            self.ca,
            self.cert,
            self.key,
            self.server_cert,
            self.client_ca,
        ]
        .iter()
        .all(Option::is_none)
    }

    /// Nothing at all, not even a passphrase: the review would find nothing (a core test holds
    /// this), so the second module is not needed.
    pub fn is_absent(&self) -> bool {
        self.is_empty() && self.key_passphrase.is_none()
    }

    /// What `check::analyze_connection` reads of the material: which inputs are given (a CA
    /// file and a client certificate change what some settings mean).
    pub fn presence(&self) -> Material<'_> {
        Material {
            root_cert: self.ca.map(str::as_bytes),
            client_cert: self.cert.map(str::as_bytes),
            ..Material::default()
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ReviewRequest<'a> {
    #[serde(flatten)]
    pub texts: &'a MaterialTexts<'a>,
    pub context: &'a ConnectionContext,
    pub now: i64,
}
