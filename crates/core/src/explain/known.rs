//! What the user gave besides the message: the connection string read by its driver, and the
//! certificate and key review split by side, so that a chain finding is known to be about the
//! server's chain or the client's.

use crate::check::{check, CheckInput, Report};
use crate::conninfo::dialect::Dialect;
use crate::conninfo::{self, CheckOptions};
use crate::diagnostic::Diagnostic;
use crate::input::Field;
use crate::pki::review::Material;
use std::collections::BTreeMap;

/// The inputs given with a pasted error.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExplainInput<'a> {
    /// The configuration, when given: the string, its driver, the files, the time.
    pub check: Option<CheckInput<'a>>,
    /// What the front end found about the key file itself (its mode; only the CLI sees files).
    pub key_file: Option<&'a Diagnostic>,
}

/// The inputs, read.
#[derive(Debug, Default)]
pub struct Known {
    /// The string and its dialect, when given.
    pub dsn: Option<(String, Dialect)>,
    /// libpq's keywords: the string's own for libpq, its libpq equivalent for other drivers.
    pub params: BTreeMap<String, String>,
    pub password_given: bool,
    /// Which certificate and key inputs were given.
    pub given: Vec<Field>,
    /// The review of the CA and the server's chain (with the string).
    pub server_side: Option<Report>,
    /// The review of the client certificate, key and client CA (with the string).
    pub client_side: Option<Report>,
    pub key_file: Option<Diagnostic>,
}

impl Known {
    pub fn read(input: &ExplainInput<'_>) -> Known {
        let mut known = Known {
            key_file: input.key_file.cloned(),
            ..Known::default()
        };
        let Some(check_input) = input.check else {
            return known;
        };
        if let Some(dsn) = check_input.dsn {
            let analysis = conninfo::analyze(dsn, check_input.driver, &CheckOptions::default());
            known.password_given = analysis.params.as_ref().is_some_and(|params| {
                params.iter().any(|(key, value)| {
                    matches!(key.to_ascii_lowercase().as_str(), "password" | "pwd")
                        && !value.is_empty()
                })
            });
            known.params = if analysis.dialect == Dialect::Libpq {
                analysis.params.clone().unwrap_or_default()
            } else {
                libpq_params(analysis.libpq_equivalent.as_deref())
            };
            known.dsn = Some((dsn.to_string(), analysis.dialect));
        }
        let mut material = check_input.material;
        for field in Field::ALL {
            if material.slot(field).is_some() {
                known.given.push(field);
            }
        }
        let mut side = |fields: &[Field]| {
            let mut only = Material {
                key_passphrase: check_input.material.key_passphrase,
                ..Material::default()
            };
            let mut any = false;
            for &field in fields {
                let bytes = *material.slot(field);
                any |= bytes.is_some();
                *only.slot(field) = bytes;
            }
            any.then(|| {
                check(&CheckInput {
                    material: only,
                    ..check_input
                })
            })
        };
        known.server_side = side(&[Field::RootCert, Field::ServerChain]);
        // The client chain is checked against the client CA, or the CA file when only that
        // was given (the review's own rule).
        let client_fields: &[Field] = if known.given.contains(&Field::ClientCa) {
            &[Field::ClientCert, Field::ClientKey, Field::ClientCa]
        } else {
            &[Field::ClientCert, Field::ClientKey, Field::RootCert]
        };
        known.client_side = side(client_fields);
        known
    }

    pub fn param(&self, keyword: &str) -> Option<&str> {
        self.params
            .get(keyword)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// libpq's sslmode as the string sets it (`prefer` when it does not).
    pub fn sslmode(&self) -> &str {
        self.param("sslmode").unwrap_or("prefer")
    }

    /// Whether the string asks for TLS at once: libpq's `sslnegotiation=direct`, asyncpg's
    /// `direct_tls=true`.
    pub fn uses_direct_tls(&self) -> bool {
        self.param("sslnegotiation") == Some("direct")
            || self.dsn.as_ref().is_some_and(|(dsn, _)| {
                let lower = dsn.to_ascii_lowercase();
                lower.contains("sslnegotiation=direct") || lower.contains("direct_tls=true")
            })
    }

    pub fn has(&self, field: Field) -> bool {
        self.given.contains(&field)
    }

    /// A finding of the server side's review with one of `codes`.
    pub fn server_finding(&self, codes: &[&str]) -> Option<&Diagnostic> {
        finding(self.server_side.as_ref(), codes)
    }

    /// A finding of the client side's review with one of `codes`.
    pub fn client_finding(&self, codes: &[&str]) -> Option<&Diagnostic> {
        finding(self.client_side.as_ref(), codes)
    }
}

fn finding<'a>(report: Option<&'a Report>, codes: &[&str]) -> Option<&'a Diagnostic> {
    report?
        .diagnostics
        .iter()
        .find(|d| codes.contains(&d.code))
}

/// The keywords of a libpq equivalent string (secrets are already left out of it).
fn libpq_params(equivalent: Option<&str>) -> BTreeMap<String, String> {
    equivalent
        .and_then(|text| conninfo::syntax::parse(text).ok())
        .map(|conninfo| {
            conninfo
                .params
                .iter()
                .map(|p| (p.keyword.to_string(), p.value.clone()))
                .collect()
        })
        .unwrap_or_default()
}
