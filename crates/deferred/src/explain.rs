//! The third module's build (feature `explain`): a client's error message explained against the
//! inputs given with it. It holds the connection-string analysis and the certificate review the
//! causes are judged with, which is why it is a module of its own: the certificate panel's
//! module stays free of the analysis and the message tables (ARCHITECTURE.md, "Modules").

use pg_preflight_core::UnixTime;
use pg_preflight_core::{explain_error, material_of, CheckInput, CheckRequest, ExplainInput};
use pg_preflight_js::{from_object, to_js, type_error};
use wasm_bindgen::prelude::*;

/// Explains a client's error message against the inputs given with it (`CheckRequest`'s
/// fields, all optional), as `pg-preflight explain-error --json` does. `now` is seconds since
/// the Unix epoch, read by the first module (the core never reads the clock).
#[wasm_bindgen(js_name = explainPastedError)]
pub fn explain_error_js(text: JsValue, input: JsValue, now: f64) -> Result<JsValue, JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| type_error("explainError: the error text must be a string"))?;
    let request: CheckRequest = if input.is_null() || input.is_undefined() {
        CheckRequest::default()
    } else if input.is_object() {
        from_object(input, &CheckRequest::js_api_fields(), "explainError")?
    } else {
        return Err(type_error(
            "explainError: the inputs must be an object such as {dsn: \"postgresql://…\", ca: \"-----BEGIN CERTIFICATE-----…\"}",
        ));
    };
    let driver = match request.driver.as_deref() {
        Some(name) => pg_preflight_js::parse_driver(name)?,
        None => None,
    };
    let given = request.dsn.is_some() || request.has_material();
    let input = ExplainInput {
        check: given.then(|| CheckInput {
            dsn: request.dsn.as_deref(),
            driver,
            material: material_of(&request),
            now: UnixTime::from_seconds(now as i64),
        }),
        key_file: None,
    };
    to_js(&explain_error(&text, &input))
}
