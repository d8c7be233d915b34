//! The second module's build (feature `certs`): certificate and key intake, the certificate
//! review and the role-script generator.

use pg_preflight_core::UnixTime;
use pg_preflight_core::{intake_with_passphrase, Field};
use pg_preflight_core::{material_of, review_material, ReviewRequest};
use pg_preflight_core::{Date, Environment, RandomSource};
use pg_preflight_js::{from_object, js_error, to_js, type_error};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Reviews the certificates and key against the connection's facts: `check::MaterialReport`
/// (with each certificate's card facts), for the first module to join with its analysis.
#[wasm_bindgen(js_name = reviewMaterial)]
pub fn review_material_js(request: JsValue) -> Result<JsValue, JsValue> {
    let request: ReviewRequest = pg_preflight_js::from_value(request, "reviewMaterial")?;
    to_js(&review_material(
        &material_of(&request.material),
        &request.context,
        request.now,
    ))
}

/// Writes the least-privilege role scripts for a role spec (an object, or its JSON text), the
/// same document and output as `pg-preflight grants --spec … --json`. Impossible specs give
/// `ok: false`, diagnostics and no script. A generated password is in `password`, once: show it
/// and drop it. Randomness comes from `crypto.getRandomValues`; without it this throws.
/// Exported as `writeRoleScript`: the first module exports `generateRoleScript` itself, and
/// a test build links both.
#[wasm_bindgen(js_name = writeRoleScript)]
pub fn generate_role_script(spec: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
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
        None => Date::from_unix(UnixTime::from_seconds(
            (js_sys::Date::now() / 1000.0) as i64,
        )),
    };
    let mut random = BrowserRandom::new()?;
    let generated = pg_preflight_core::generate_from_json(
        &spec_text,
        &mut Environment {
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
/// Exported as `readPem` (the first module exports `inspectPem`).
#[wasm_bindgen(js_name = readPem)]
pub fn inspect_pem(text: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
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
        None => Field::ClientCert,
        Some(name) => Field::from_source(name).ok_or_else(|| {
            js_error(&format!(
                "inspectPem: `as` is `{name}`; expected ca, cert, key, serverCert or clientCa"
            ))
        })?,
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
