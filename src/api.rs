//! The JS API (DESIGN.md §4): core types converted to plain JS objects with camelCase keys at
//! this edge. Bad arguments throw a JS `Error`/`TypeError` that says what was expected; nothing
//! here panics, logs its input, or keeps it.

use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze, CheckOptions};
use pg_preflight_core::pki::review::Material;
use pg_preflight_core::registry;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export type Severity = "error" | "warning" | "info";
export interface Span { start: number; end: number }
export interface Fix { title: string; replacement: string | null }
export interface Diagnostic {
  code: string; severity: Severity; title: string; detail: string;
  span: Span | null; fix: Fix | null; doc: string;
}
export type Tri = "yes" | "no" | "maybe";
export interface Verdict {
  encrypted: Tri; serverVerified: Tri; hostnameVerified: Tri;
  plaintextFallback: boolean; summary: string;
}
export interface Analysis {
  valid: boolean; dialect: string; detected: boolean;
  params: Record<string, string> | null; hosts: object[];
  diagnostics: Diagnostic[]; verdict: Verdict | null; libpqEquivalent: string | null;
}
export interface CheckInput {
  dsn?: string; driver?: string;
  ca?: string; cert?: string; key?: string; keyPassphrase?: string; serverCert?: string; clientCa?: string;
}
export interface Report {
  diagnostics: Diagnostic[]; certificates: object[]; keyMatch: boolean | null;
  chains: { client: object | null; server: object | null };
  connection: Omit<Analysis, "params" | "diagnostics"> | null;
  inputs: { field: string; format: string; summary: string }[];
}
export interface Rule {
  code: string; severity: Severity; title: string; explanation: string; references: string[];
}
export interface MountOptions { dsn?: string; driver?: string }
"#;

/// Parses and reviews a connection string. `driver` is a driver name (`libpq`, `jdbc`,
/// `node-postgres`, …) or omitted / `"auto"` to detect it. The result's `params` holds the
/// decoded values, secrets included: it goes back only to the caller who passed the string.
#[wasm_bindgen(js_name = parseConnectionString, unchecked_return_type = "Analysis")]
pub fn parse_connection_string(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] driver: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let input = input.as_string().ok_or_else(|| {
        type_error("parseConnectionString: the connection string must be a string")
    })?;
    let driver = match driver {
        None => None,
        Some(value) if value.is_null() || value.is_undefined() => None,
        Some(value) => {
            let name = value
                .as_string()
                .ok_or_else(|| type_error("parseConnectionString: `driver` must be a string"))?;
            parse_driver(&name)?
        }
    };
    to_js(&analyze(&input, driver, &CheckOptions::default()))
}

/// What `check` accepts. Unknown fields are an error, not ignored, so a typo is never silently
/// skipped.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckInput {
    dsn: Option<String>,
    driver: Option<String>,
    /// PEM/base64 text of sslrootcert, sslcert, sslkey, the server's chain, ssl_ca_file.
    ca: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    /// sslpassword: decrypts `key` in memory only.
    key_passphrase: Option<String>,
    server_cert: Option<String>,
    client_ca: Option<String>,
}

/// The connection part, without `params`: a report is meant to be shown or saved, so it does
/// not carry the decoded password.
/// Runs every check that applies to what is given: `{dsn?, driver?}` for now; certificates
/// and keys join as the core learns them.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "CheckInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    if !input.is_object() {
        return Err(type_error(
            "check: expected an object such as {dsn: \"postgresql://…\"}",
        ));
    }
    let input: CheckInput = from_object(input, CHECK_FIELDS, "check")?;
    let driver = match input.driver.as_deref() {
        Some(name) => parse_driver(name)?,
        None => None,
    };
    fn text(field: &Option<String>) -> Option<&[u8]> {
        field.as_deref().map(str::as_bytes)
    }
    let material = Material {
        root_cert: text(&input.ca),
        client_cert: text(&input.cert),
        client_key: text(&input.key),
        key_passphrase: text(&input.key_passphrase),
        server_chain: text(&input.server_cert),
        client_ca: text(&input.client_ca),
    };
    let nothing = input.dsn.is_none()
        && [
            &input.ca,
            &input.cert,
            &input.key,
            &input.server_cert,
            &input.client_ca,
        ]
        .iter()
        .all(|f| f.is_none());
    if nothing {
        return Err(js_error(
            "check: nothing to check: give `dsn` and/or certificate text (`ca`, `cert`, `key`, `serverCert`, `clientCa`)",
        ));
    }
    // The page may read the clock; the core may not.
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let report = pg_preflight_core::check::check(&pg_preflight_core::check::CheckInput {
        dsn: input.dsn.as_deref(),
        driver,
        material,
        now,
    });
    to_js(&report)
}

const CHECK_FIELDS: &[&str] = &[
    "dsn",
    "driver",
    "ca",
    "cert",
    "key",
    "keyPassphrase",
    "serverCert",
    "clientCa",
];

/// Every rule pg-preflight knows, as `pg-preflight rules --json` lists them.
#[wasm_bindgen(unchecked_return_type = "Rule[]")]
pub fn rules() -> Result<JsValue, JsValue> {
    to_js(&registry::all())
}

/// A driver name as users write it; `"auto"` and `""` mean detect. Unknown names throw, listing
/// the valid ones.
pub(crate) fn parse_driver(name: &str) -> Result<Option<Dialect>, JsValue> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    Dialect::from_name(trimmed).map(Some).ok_or_else(|| {
        let known: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
        js_error(&format!(
            "unknown driver `{trimmed}`; expected one of: auto, {}",
            known.join(", ")
        ))
    })
}

/// Reads a JS object into `T`, first rejecting keys outside `allowed`: serde-wasm-bindgen only
/// looks up the fields it knows, so `deny_unknown_fields` alone would let typos through.
pub(crate) fn from_object<T: serde::de::DeserializeOwned>(
    value: JsValue,
    allowed: &[&str],
    context: &str,
) -> Result<T, JsValue> {
    let unknown: Vec<String> = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>())
        .iter()
        .filter_map(|key| key.as_string())
        .filter(|key| !allowed.contains(&key.as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(js_error(&format!(
            "{context}: unknown field `{}`; expected {}",
            unknown.join("`, `"),
            allowed.join(", ")
        )));
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error(&format!("{context}: {e}")))
}

/// Plain objects, not `Map`s, and `null` rather than `undefined` for absent values: the same
/// shape `JSON.parse` would give for the CLI's output.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(&format!("pg-preflight: could not convert the result: {e}")))
}

pub(crate) fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

pub(crate) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}
