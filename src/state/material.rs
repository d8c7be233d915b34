//! The certificate and key inputs as typed, and the certificate review the page waits for.

use pg_preflight_core::check::ConnectionContext;

/// The certificate and key inputs, as pasted or read from dropped files (binary files arrive
/// as base64 text, which the core reads as DER). Secrets live only here, in memory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MaterialText {
    pub ca: String,
    pub cert: String,
    pub key: String,
    pub passphrase: String,
    pub server_cert: String,
    pub client_ca: String,
}

/// Which certificate or key input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaterialField {
    Ca,
    Cert,
    Key,
    Passphrase,
    ServerCert,
    ClientCa,
}

impl MaterialField {
    pub const ALL: [MaterialField; 6] = [
        MaterialField::Ca,
        MaterialField::Cert,
        MaterialField::Key,
        MaterialField::Passphrase,
        MaterialField::ServerCert,
        MaterialField::ClientCa,
    ];

    /// The accessible name of the input.
    pub fn label(self) -> &'static str {
        match self {
            MaterialField::Ca => "CA certificate (sslrootcert)",
            MaterialField::Cert => "Client certificate (sslcert)",
            MaterialField::Key => "Client key (sslkey)",
            MaterialField::Passphrase => "Key passphrase (sslpassword)",
            MaterialField::ServerCert => "Server certificate chain (optional)",
            MaterialField::ClientCa => "Client CA the server trusts (ssl_ca_file, optional)",
        }
    }

    /// The field name the core's `InputSummary` uses.
    pub fn source(self) -> &'static str {
        match self {
            MaterialField::Ca => "ca",
            MaterialField::Cert => "cert",
            MaterialField::Key => "key",
            MaterialField::Passphrase => "passphrase",
            MaterialField::ServerCert => "serverCert",
            MaterialField::ClientCa => "clientCa",
        }
    }

    pub fn is_secret(self) -> bool {
        matches!(self, MaterialField::Key | MaterialField::Passphrase)
    }

    pub(super) fn slot(self, material: &mut MaterialText) -> &mut String {
        match self {
            MaterialField::Ca => &mut material.ca,
            MaterialField::Cert => &mut material.cert,
            MaterialField::Key => &mut material.key,
            MaterialField::Passphrase => &mut material.passphrase,
            MaterialField::ServerCert => &mut material.server_cert,
            MaterialField::ClientCa => &mut material.client_ca,
        }
    }

    pub fn value(self, material: &MaterialText) -> &str {
        match self {
            MaterialField::Ca => &material.ca,
            MaterialField::Cert => &material.cert,
            MaterialField::Key => &material.key,
            MaterialField::Passphrase => &material.passphrase,
            MaterialField::ServerCert => &material.server_cert,
            MaterialField::ClientCa => &material.client_ca,
        }
    }
}

impl MaterialText {
    /// What the checks are given: a certificate or key box left empty (or holding only
    /// spaces) is an input not given; a passphrase is given as typed, spaces and all.
    pub fn given(&self) -> crate::request::MaterialTexts<'_> {
        fn text(s: &str) -> Option<&str> {
            Some(s).filter(|s| !s.trim().is_empty())
        }
        crate::request::MaterialTexts {
            ca: text(&self.ca),
            cert: text(&self.cert),
            key: text(&self.key),
            key_passphrase: Some(self.passphrase.as_str()).filter(|p| !p.is_empty()),
            server_cert: text(&self.server_cert),
            client_ca: text(&self.client_ca),
        }
    }
}

/// A certificate review the page waits for: the second module runs it (`deferred.rs`) and the
/// component hands its result back as [`Action::MaterialReviewed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialWanted {
    /// Which request (`State::next_request`, never reused, not even after "Clear
    /// everything"); a result for any other is dropped.
    pub id: u64,
    pub material: MaterialText,
    pub context: ConnectionContext,
    pub now: i64,
}
