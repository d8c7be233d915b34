//! The JS API (DESIGN.md §4): core types converted to plain JS objects with camelCase keys at
//! this edge. Bad arguments throw a JS `Error`/`TypeError` that says what was expected; nothing
//! here panics, logs its input, or keeps it.

use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze, CheckOptions};
use pg_preflight_core::grants::{self, Context, Date, RandomSource};
use pg_preflight_core::json;
use pg_preflight_core::pki::intake::{intake_with_passphrase, Field};
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
  /** Which input the finding is about (and `span` points into); absent for the connection string. */
  source?: "ca" | "cert" | "key" | "serverCert" | "clientCa";
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
export interface CertificateSummary {
  role: "root" | "root-file-intermediate" | "client" | "client-intermediate" | "server"
    | "server-intermediate" | "client-ca" | "misplaced";
  subject: string; issuer: string; notBefore: string; notAfter: string; daysLeft: number;
  fingerprintSha256: string; keyAlgorithm: string; keyBits: number | null; knownCa?: string;
}
export interface ChainSummary { valid: boolean; strictValid: boolean; path: string[] }
export interface Report {
  diagnostics: Diagnostic[]; certificates: CertificateSummary[]; keyMatch: boolean | null;
  chains: { client: ChainSummary | null; server: ChainSummary | null };
  connection: Omit<Analysis, "params" | "diagnostics"> | null;
  inputs: { field: string; format: string; summary: string }[];
}
export interface Rule {
  code: string; severity: Severity; title: string; explanation: string; references: string[];
}
export interface MountOptions {
  dsn?: string; driver?: string;
  /** Comma-separated: "certificates", "roles", "snippets", "summary"; or "all" (the default)
   * or "none". */
  panels?: string;
  /** The level of the checker's section headings, 1 to 5 (default 2). */
  headingLevel?: number;
  /** "collapsed": the findings start folded under their one-line summary (default "open"). */
  findings?: "open" | "collapsed";
}
export interface RoleSpec {
  dialect: "postgres" | "mysql"; database: string; role: string;
  serverVersion?: number | string; access?: "read-only" | "read-write";
  schemas?: string[]; tables?: string[]; columns?: Record<string, string[]>;
  ownerRole?: string; groupRole?: string; auth?: "scram" | "cert" | "scram+cert"; password?: string;
  connectionLimit?: number; statementTimeout?: string; idleInTransactionSessionTimeout?: string;
  lockTimeout?: string; validUntil?: string; clientCidrs?: string[];
  revokePublicDatabase?: boolean; revokeFunctionExecute?: boolean; readAllData?: boolean;
  passwordExpireDays?: number;
}
export interface RoleScriptOptions { clientCertificate?: string; today?: string }
export interface RoleScripts {
  ok: boolean; sql: string | null; hba: string | null; serverConf: string | null;
  verify: string | null; rotate: string | null; teardown: string | null;
  roles: { login: string; group: string | null } | null;
  password: string | null; notes: string[]; diagnostics: Diagnostic[];
}
export interface InspectOptions { as?: "ca" | "cert" | "key" | "serverCert" | "clientCa"; passphrase?: string }
export interface Inspection {
  field: string; format: string; summary: string; pkcs12: boolean;
  items: { number: number; line: number; span: Span; kind: object }[];
  diagnostics: Diagnostic[];
}
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

/// Writes the least-privilege role scripts for a role spec (an object, or its JSON text), the
/// same document and output as `pg-preflight grants --spec … --json`. Impossible specs give
/// `ok: false`, diagnostics and no script. A generated password is in `password`, once: show it
/// and drop it. Randomness comes from `crypto.getRandomValues`; without it this throws.
#[wasm_bindgen(js_name = generateRoleScript, unchecked_return_type = "RoleScripts")]
pub fn generate_role_script(
    #[wasm_bindgen(unchecked_param_type = "RoleSpec | string")] spec: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RoleScriptOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let spec_text = if let Some(text) = spec.as_string() {
        text
    } else if spec.is_object() {
        js_sys::JSON::stringify(&spec)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| type_error("generateRoleScript: the spec cannot be turned into JSON"))?
    } else {
        return Err(type_error(
            "generateRoleScript: expected a role spec object such as {dialect: \"postgres\", database: \"appdb\", role: \"ai_reader\"}",
        ));
    };
    let options: RoleScriptOptions = match options {
        Some(value) if value.is_object() => {
            from_object(value, &["clientCertificate", "today"], "generateRoleScript")?
        }
        Some(value) if !value.is_null() && !value.is_undefined() => {
            return Err(type_error("generateRoleScript: options must be an object"));
        }
        _ => RoleScriptOptions::default(),
    };
    let today = match options.today.as_deref() {
        Some(text) => Date::parse(text).ok_or_else(|| {
            js_error(&format!(
                "generateRoleScript: `today` `{text}` is not a date (YYYY-MM-DD)"
            ))
        })?,
        None => Date::from_unix((js_sys::Date::now() / 1000.0) as i64),
    };
    let mut random = BrowserRandom::new()?;
    let generated = grants::generate_from_json(
        &spec_text,
        &mut Context {
            today,
            random: &mut random,
            client_certificate: options.client_certificate.as_deref().map(str::as_bytes),
        },
    );
    if random.failed {
        return Err(js_error(
            "generateRoleScript: crypto.getRandomValues failed; no script was written",
        ));
    }
    to_js(&generated.report())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleScriptOptions {
    client_certificate: Option<String>,
    today: Option<String>,
}

/// `crypto.getRandomValues`, the browser's CSPRNG (Web Crypto §10.1.1).
struct BrowserRandom {
    crypto: web_sys::Crypto,
    failed: bool,
}

impl BrowserRandom {
    fn new() -> Result<BrowserRandom, JsValue> {
        let crypto = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
            .ok()
            .and_then(|c| c.dyn_into::<web_sys::Crypto>().ok())
            .ok_or_else(|| {
                js_error("generateRoleScript: this environment has no crypto.getRandomValues")
            })?;
        Ok(BrowserRandom {
            crypto,
            failed: false,
        })
    }
}

impl RandomSource for BrowserRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        // getRandomValues fills at most 65536 bytes per call.
        for chunk in buf.chunks_mut(65_536) {
            if self.crypto.get_random_values_with_u8_array(chunk).is_err() {
                self.failed = true;
            }
        }
    }
}

/// Says exactly what a pasted or dropped file holds, read as the given field (default `cert`):
/// every certificate and key with its facts, and what is wrong, as `pg-preflight inspect --json`.
#[wasm_bindgen(js_name = inspectPem, unchecked_return_type = "Inspection")]
pub fn inspect_pem(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "InspectOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| type_error("inspectPem: the text must be a string"))?;
    let options: InspectOptions = match options {
        Some(value) if value.is_object() => {
            from_object(value, &["as", "passphrase"], "inspectPem")?
        }
        Some(value) if !value.is_null() && !value.is_undefined() => {
            return Err(type_error("inspectPem: options must be an object"));
        }
        _ => InspectOptions::default(),
    };
    let field = match options.r#as.as_deref() {
        None | Some("cert") => Field::ClientCert,
        Some("ca") => Field::RootCert,
        Some("key") => Field::ClientKey,
        Some("serverCert") => Field::ServerChain,
        Some("clientCa") => Field::ClientCa,
        Some(other) => {
            return Err(js_error(&format!(
                "inspectPem: `as` is `{other}`; expected ca, cert, key, serverCert or clientCa"
            )));
        }
    };
    let intake = intake_with_passphrase(
        text.as_bytes(),
        field,
        options.passphrase.as_deref().map(str::as_bytes),
    );
    to_js(&intake)
}

#[derive(Debug, Default, Deserialize)]
struct InspectOptions {
    r#as: Option<String>,
    passphrase: Option<String>,
}

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

/// Reads a JS object into `T`, first rejecting keys outside `allowed` with a message that lists
/// the accepted ones (not every core type denies unknown fields, and a typo must not pass).
pub(crate) fn from_object<T: serde::de::DeserializeOwned>(
    value: JsValue,
    allowed: &[&str],
    context: &str,
) -> Result<T, JsValue> {
    // An array or a Map is an object too, but its keys are not fields: `check([])` must not
    // read as an object with every field missing.
    if js_sys::Array::is_array(&value) || value.is_instance_of::<js_sys::Map>() {
        return Err(type_error(&format!(
            "{context}: expected a plain object with the fields {}",
            allowed.join(", ")
        )));
    }
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
    // serde-wasm-bindgen reads the JS value itself (no JSON text in between); its message
    // loses the value serde would quote (a passphrase, say).
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        js_error(&format!(
            "{context}: {}",
            json::message_without_value(&e.to_string())
        ))
    })
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
