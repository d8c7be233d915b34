//! The JS API (DESIGN.md §4): core types converted to plain JS objects with camelCase keys at
//! this edge. Bad arguments throw a JS `Error`/`TypeError` that says what was expected; nothing
//! here panics, logs its input, or keeps it.

use crate::deferred;
use pg_preflight_core::registry;
use pg_preflight_core::CheckRequest;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{analyze, CheckOptions};
use pg_preflight_core::{analyze_connection, assemble, material_of, MaterialReport};
pub(crate) use pg_preflight_js::{
    error_message, from_object, from_value, js_error, parse_driver, to_js, type_error,
};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export type Severity = "error" | "warning" | "info";
/** A certificate or key input, by its one name (the `CheckInput` field, a finding's source). */
export type InputField = "ca" | "cert" | "key" | "serverCert" | "clientCa";
export interface Span { start: number; end: number }
export interface Fix { title: string; replacement: string | null }
export interface Diagnostic {
  code: string; severity: Severity; title: string; detail: string;
  span: Span | null; fix: Fix | null; doc: string;
  /** Which input the finding is about (and `span` points into); absent for the connection string. */
  source?: InputField;
  /** The other input of a finding between two (a key that does not match its certificate: source "key", counterpart "cert"). */
  counterpart?: InputField;
  /** For a role-spec finding: the spec key it is about (`ownerRole`, `clientCidrs`, …). */
  specKey?: string;
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
/** What one certificate of a chain's path is: only "trustAnchor" was trusted (from the CA file). */
export type LinkKind = "leaf" | "intermediate" | "trustAnchor" | "untrustedRoot" | "trustedNotRoot"
  | "issuerNotFound";
/** `name`: its place counted from the leaf ("intermediate 2"); `note`: what it means for trust. */
export interface ChainLink { kind: LinkKind; name: string; note?: string }
export interface ChainSummary { valid: boolean; strictValid: boolean; path: string[]; links: ChainLink[] }
export interface Report {
  diagnostics: Diagnostic[]; certificates: CertificateSummary[]; keyMatch: boolean | null;
  chains: { client: ChainSummary | null; server: ChainSummary | null };
  connection: Omit<Analysis, "params" | "diagnostics"> | null;
  inputs: { field: InputField; format: string; summary: string }[];
}
export type Place = "dsn" | "ca" | "cert" | "key" | "serverCert" | "clientCa"
  | "serverSettings" | "pgHba" | "serverObjects" | "network" | "clientLibrary";
export interface JudgedCause {
  /** A stable id (`ca-does-not-sign-chain`, `tls-not-used-where-required`, …). */
  cause: string; input: Place;
  /** The inputs (or the message itself) show this is the cause. */
  confirmed: boolean; detail: string; codes?: string[];
}
export interface Explanation {
  client: string;
  /** A stable id (`server-certificate-untrusted`, `no-hba-entry`, …). */
  failure: string; title: string; line: number; text: string;
  values: Record<string, string>; source: string; evidence: "reproduced" | "read-in-source";
  /** Most likely first. */
  causes: JudgedCause[];
  /** Inputs that would decide between the causes. */
  decide?: InputField[];
  fix?: Fix;
}
export interface ErrorReport {
  client?: string; truncated?: boolean; explanations: Explanation[];
  /** When no message was recognised: the given string's own errors, as `check` reports them. */
  stringErrors?: Diagnostic[];
}
export interface Rule {
  code: string; severity: Severity; title: string; explanation: string; references: string[];
}
export interface MountOptions {
  dsn?: string; driver?: string;
  /** Comma-separated: "certificates", "roles", "errors", "snippets", "summary", each opt-in;
   * "all"; or "connection" (the default) / "none" for the string alone. */
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
  /** A limit left out gets the default; `null` is no limit of the role's own (PGP-GRANT-013). */
  connectionLimit?: number | null; statementTimeout?: string | null;
  idleInTransactionSessionTimeout?: string | null; lockTimeout?: string | null;
  /** `YYYY-MM-DD`: password logins end at 00:00 UTC at its start (PostgreSQL only). */
  validUntil?: string; clientCidrs?: string[];
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
export interface InspectOptions { as?: InputField; passphrase?: string }
export interface Inspection {
  field: InputField; format: string; summary: string; pkcs12: boolean;
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

/// Runs every check that applies to what is given: the connection string here, the
/// certificates and key in the module loaded when first needed (`deferred.rs`), joined as
/// `pg-preflight check --json` joins them. The report leaves out `params`: it is meant to be
/// shown or saved, so it does not carry the decoded password.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub async fn check(
    #[wasm_bindgen(unchecked_param_type = "CheckInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    if !input.is_object() {
        return Err(type_error(
            "check: expected an object such as {dsn: \"postgresql://…\"}",
        ));
    }
    let input: CheckRequest = from_object(input, &CheckRequest::js_api_fields(), "check")?;
    let driver = match input.driver.as_deref() {
        Some(name) => parse_driver(name)?,
        None => None,
    };
    if input.dsn.is_none() && !input.has_material() {
        return Err(js_error(
            "check: nothing to check: give `dsn` and/or certificate text (`ca`, `cert`, `key`, `serverCert`, `clientCa`)",
        ));
    }
    let (analysis, context) =
        analyze_connection(input.dsn.as_deref(), driver, &material_of(&input));
    // The page may read the clock; the core may not.
    let now = UnixTime::from_seconds((js_sys::Date::now() / 1000.0) as i64);
    let material = if input.has_no_material_at_all() {
        MaterialReport::default()
    } else {
        deferred::review_material(input, context.clone(), now).await?
    };
    to_js(&assemble(analysis, material))
}

/// Explains a client's error message (a line, a log or a traceback, from psql, libpq,
/// psycopg, pgjdbc, node-postgres, asyncpg, Npgsql, pgx or the server) against the inputs the
/// client used (`check`'s fields, all optional): the failure, its causes most likely first,
/// and the change to the string in its own driver's syntax; what `pg-preflight explain-error
/// --json` prints. Secrets in the text are masked. (Run by the module loaded when first needed.)
#[wasm_bindgen(js_name = explainError, unchecked_return_type = "ErrorReport")]
pub async fn explain_error(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CheckInput | null")] input: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| type_error("explainError: the error text must be a string"))?;
    let input = input.unwrap_or(JsValue::UNDEFINED);
    let now = UnixTime::from_seconds((js_sys::Date::now() / 1000.0) as i64);
    deferred::explain_error(&text, input, now).await
}

/// Writes the least-privilege role scripts for a role spec (an object, or its JSON text), the
/// same document and output as `pg-preflight grants --spec … --json`. Impossible specs give
/// `ok: false`, diagnostics and no script. A generated password is in `password`, once: show it
/// and drop it. Randomness comes from `crypto.getRandomValues`; without it this throws.
/// (Written by the module loaded when first needed.)
#[wasm_bindgen(js_name = generateRoleScript, unchecked_return_type = "RoleScripts")]
pub async fn generate_role_script(
    #[wasm_bindgen(unchecked_param_type = "RoleSpec | string")] spec: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RoleScriptOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    deferred::call(
        "writeRoleScript",
        &[spec, options.unwrap_or(JsValue::UNDEFINED)],
    )
    .await
}

/// Says exactly what a pasted or dropped file holds, read as the given field (default `cert`):
/// every certificate and key with its facts, and what is wrong, as `pg-preflight inspect --json`.
/// (Read by the module loaded when first needed.)
#[wasm_bindgen(js_name = inspectPem, unchecked_return_type = "Inspection")]
pub async fn inspect_pem(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "InspectOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    deferred::call("readPem", &[text, options.unwrap_or(JsValue::UNDEFINED)]).await
}

/// Every rule pg-preflight knows, as `pg-preflight rules --json` lists them.
#[wasm_bindgen(unchecked_return_type = "Rule[]")]
pub fn rules() -> Result<JsValue, JsValue> {
    to_js(&registry::all())
}
