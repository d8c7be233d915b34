//! The certificate and key inputs as typed, and the certificate review the page waits for.
//! The slots are the core's `input::Field`s (their wire names, labels and order), and the key's
//! passphrase.

use pg_preflight_core::ConnectionContext;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{CheckRequest, Field};

/// The certificate and key inputs, as pasted or read from dropped files (binary files arrive
/// as base64 text, which the core reads as DER). Secrets live only here, in memory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MaterialText {
    ca: String,
    cert: String,
    key: String,
    server_cert: String,
    client_ca: String,
    pub passphrase: String,
}

/// Which certificate or key input: one of the core's fields, or the key's passphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaterialField {
    File(Field),
    Passphrase,
}

impl MaterialField {
    pub const ALL: [MaterialField; 6] = [
        MaterialField::File(Field::RootCert),
        MaterialField::File(Field::ClientCert),
        MaterialField::File(Field::ClientKey),
        MaterialField::Passphrase,
        MaterialField::File(Field::ServerChain),
        MaterialField::File(Field::ClientCa),
    ];

    /// The accessible name of the input: the core's label, marked optional where a check can
    /// do without it.
    pub fn label(self) -> String {
        match self {
            MaterialField::File(field) if field.is_optional() => {
                let label = field.label();
                match label.strip_suffix(')') {
                    Some(open) => format!("{open}, optional)"),
                    None => format!("{label} (optional)"),
                }
            }
            MaterialField::File(field) => field.label().to_string(),
            MaterialField::Passphrase => "Key passphrase (sslpassword)".to_string(),
        }
    }

    /// The input's wire name (`data-field`, the element ids, `InputSummary::field`).
    pub fn source(self) -> &'static str {
        match self {
            MaterialField::File(field) => field.source(),
            MaterialField::Passphrase => "passphrase",
        }
    }

    pub fn is_secret(self) -> bool {
        matches!(
            self,
            MaterialField::File(Field::ClientKey) | MaterialField::Passphrase
        )
    }
}

impl MaterialText {
    /// The text of one input.
    pub fn value(&self, field: MaterialField) -> &str {
        match field {
            MaterialField::File(field) => self.text(field),
            MaterialField::Passphrase => &self.passphrase,
        }
    }

    /// The text of one certificate or key input.
    pub fn text(&self, field: Field) -> &str {
        match field {
            Field::RootCert => &self.ca,
            Field::ClientCert => &self.cert,
            Field::ClientKey => &self.key,
            Field::ServerChain => &self.server_cert,
            Field::ClientCa => &self.client_ca,
        }
    }

    /// Where an input's text is kept, to edit it ([`MaterialText::text`] reads the same fields).
    pub(super) fn slot(&mut self, field: MaterialField) -> &mut String {
        match field {
            MaterialField::File(Field::RootCert) => &mut self.ca,
            MaterialField::File(Field::ClientCert) => &mut self.cert,
            MaterialField::File(Field::ClientKey) => &mut self.key,
            MaterialField::File(Field::ServerChain) => &mut self.server_cert,
            MaterialField::File(Field::ClientCa) => &mut self.client_ca,
            MaterialField::Passphrase => &mut self.passphrase,
        }
    }

    /// What the checks are given: a certificate or key box left empty (or holding only
    /// spaces) is an input not given; a passphrase is given as typed, spaces and all.
    pub fn given(&self) -> CheckRequest {
        let mut request = CheckRequest {
            key_passphrase: Some(self.passphrase.clone()).filter(|p| !p.is_empty()),
            ..CheckRequest::default()
        };
        for field in Field::ALL {
            let text = self.text(field);
            *request.slot_mut(field) = Some(text.to_string()).filter(|_| !text.trim().is_empty());
        }
        request
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
    pub now: UnixTime,
}
