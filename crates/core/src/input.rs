//! The inputs a check takes besides the connection string, declared once: each certificate or
//! key slot with its one wire name (JSON fields, `Diagnostic::source`, configuration-file keys,
//! the page's `data-field`), the libpq setting it stands for, its label and its command-line
//! flag; and the request that names them, as the JS API and the CLI's configuration files give
//! it.

use serde::{Deserialize, Serialize};

/// One certificate or key input: which libpq setting (or server setting) it stands for, which
/// decides what belongs there. Serialised as its wire name (`"ca"`, `"serverCert"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    /// `sslrootcert`: the CA certificate(s) the client trusts.
    #[serde(rename = "ca")]
    RootCert,
    /// `sslcert`: the client certificate, optionally followed by intermediates.
    #[serde(rename = "cert")]
    ClientCert,
    /// `sslkey`: the client's private key.
    #[serde(rename = "key")]
    ClientKey,
    /// The chain the server presents (`openssl s_client -showcerts`).
    #[serde(rename = "serverCert")]
    ServerChain,
    /// The server's `ssl_ca_file`: CAs it accepts client certificates from.
    #[serde(rename = "clientCa")]
    ClientCa,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::RootCert,
        Field::ClientCert,
        Field::ClientKey,
        Field::ServerChain,
        Field::ClientCa,
    ];

    /// The wire name: the JSON field of a request, `Diagnostic::source`, a configuration
    /// file's key, the page's `data-field`. The same as the serde name.
    pub fn source(self) -> &'static str {
        match self {
            Field::RootCert => "ca",
            Field::ClientCert => "cert",
            Field::ClientKey => "key",
            Field::ServerChain => "serverCert",
            Field::ClientCa => "clientCa",
        }
    }

    /// The field whose wire name is `name`.
    pub fn from_source(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.source() == name)
    }

    /// The command-line flag naming this input's file (`pg-preflight check --ca FILE`); without
    /// its dashes, the name `inspect --as` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Field::RootCert => "--ca",
            Field::ClientCert => "--cert",
            Field::ClientKey => "--key",
            Field::ServerChain => "--server-cert",
            Field::ClientCa => "--client-ca",
        }
    }

    /// The input's name for people, as a label (the page's boxes, the CLI's help).
    pub fn label(self) -> &'static str {
        match self {
            Field::RootCert => "CA certificate (sslrootcert)",
            Field::ClientCert => "Client certificate (sslcert)",
            Field::ClientKey => "Client key (sslkey)",
            Field::ServerChain => "Server certificate chain",
            Field::ClientCa => "Client CA the server trusts (ssl_ca_file)",
        }
    }

    /// The input's name inside a sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Field::RootCert => "CA certificate (sslrootcert)",
            Field::ClientCert => "client certificate (sslcert)",
            Field::ClientKey => "client key (sslkey)",
            Field::ServerChain => "server certificate chain",
            Field::ClientCa => "client CA (ssl_ca_file)",
        }
    }

    /// Whether a check can do without it: the server's side (its chain and its client CA) is
    /// pasted only to check the two sides against each other.
    pub fn is_optional(self) -> bool {
        matches!(self, Field::ServerChain | Field::ClientCa)
    }
}

/// One configuration to check, as the JS API's `check()` and the CLI's configuration files
/// (`pg-preflight check --config FILE`) give it. Unknown fields are an error, never ignored. Each
/// certificate slot holds the text itself (JS API) or a file path relative to the
/// configuration file (CLI); the key's passphrase comes as `keyPassphrase` (JS API) or as the
/// name of the environment variable holding it (`keyPasswordEnv`, CLI: a file never holds a
/// secret). [`CheckRequest::given_among`] tells a front end which fields it does not take were given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckRequest {
    /// A configuration's name, for a set checked together.
    pub name: Option<String>,
    pub dsn: Option<String>,
    /// A driver name (`Dialect::from_name`), or `auto`.
    pub driver: Option<String>,
    pub ca: Option<String>,
    pub cert: Option<String>,
    pub key: Option<String>,
    pub server_cert: Option<String>,
    pub client_ca: Option<String>,
    /// libpq's `sslpassword`: decrypts `key` in memory only.
    pub key_passphrase: Option<String>,
    /// The environment variable holding the key's passphrase.
    pub key_password_env: Option<String>,
}

impl CheckRequest {
    /// What the request gives for `field`.
    pub fn slot(&self, field: Field) -> Option<&str> {
        match field {
            Field::RootCert => self.ca.as_deref(),
            Field::ClientCert => self.cert.as_deref(),
            Field::ClientKey => self.key.as_deref(),
            Field::ServerChain => self.server_cert.as_deref(),
            Field::ClientCa => self.client_ca.as_deref(),
        }
    }

    /// The slot holding `field`, to fill a request from a list of fields.
    pub fn slot_mut(&mut self, field: Field) -> &mut Option<String> {
        match field {
            Field::RootCert => &mut self.ca,
            Field::ClientCert => &mut self.cert,
            Field::ClientKey => &mut self.key,
            Field::ServerChain => &mut self.server_cert,
            Field::ClientCa => &mut self.client_ca,
        }
    }

    /// Any certificate or key given (a passphrase alone is nothing to check).
    pub fn has_material(&self) -> bool {
        Field::ALL.into_iter().any(|f| self.slot(f).is_some())
    }

    /// Nothing besides the string, not even a passphrase: the certificate review would find
    /// nothing (a test of `check` holds this), so the page need not load the module that runs
    /// it.
    pub fn has_no_material_at_all(&self) -> bool {
        !self.has_material() && self.key_passphrase.is_none()
    }

    /// The fields a JS caller may give (`check()`): the string, its driver, every slot by its
    /// wire name, and the passphrase itself.
    pub fn js_api_fields() -> Vec<&'static str> {
        let mut fields = vec!["dsn", "driver"];
        fields.extend(Field::ALL.map(Field::source));
        fields.push("keyPassphrase");
        fields
    }

    /// The fields `refused` names that are given, by wire name: a front end refuses what it
    /// does not take (the JS API a configuration's name and `keyPasswordEnv`; the CLI a
    /// passphrase in a file).
    pub fn given_among(&self, refused: &[&str]) -> Vec<&'static str> {
        let given = [
            ("name", self.name.is_some()),
            ("keyPassphrase", self.key_passphrase.is_some()),
            ("keyPasswordEnv", self.key_password_env.is_some()),
        ];
        given
            .into_iter()
            .filter(|(name, is_given)| *is_given && refused.contains(name))
            .map(|(name, _)| name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_wire_name_is_the_serde_name_and_reads_back() {
        for field in Field::ALL {
            let json = serde_json::to_value(field).unwrap();
            assert_eq!(json, field.source());
            assert_eq!(serde_json::from_value::<Field>(json).unwrap(), field);
            assert_eq!(Field::from_source(field.source()), Some(field));
        }
        assert!(serde_json::from_str::<Field>("\"rootCert\"").is_err());
    }

    #[test]
    fn a_request_refuses_unknown_fields_and_names_each_slot_by_its_wire_name() {
        let mut object = serde_json::Map::new();
        for field in Field::ALL {
            object.insert(field.source().into(), field.label().into());
        }
        let request: CheckRequest = serde_json::from_value(object.into()).unwrap();
        for field in Field::ALL {
            assert_eq!(request.slot(field), Some(field.label()));
        }
        let typo = serde_json::json!({"dsn": "host=x", "sslrootcert": "ca.pem"});
        assert!(serde_json::from_value::<CheckRequest>(typo).is_err());
    }
}
