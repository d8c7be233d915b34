//! The WebAssembly edge both browser modules share (the page's first module,
//! `pg-preflight-web`, and the one loaded when first needed, `pg-preflight-deferred`): JS
//! values read into core types and core types written back as plain JS objects.
//!
//! **Architecture Invariant:** an error made here never quotes a value it was given (a
//! passphrase, say): serde's messages go through `message_without_value`.

use pg_preflight_core::{CheckRequest, Dialect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A driver name as users write it; `"auto"` and `""` mean detect. Unknown names throw, listing
/// the valid ones.
pub fn parse_driver(name: &str) -> Result<Option<Dialect>, JsValue> {
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

/// The inputs given to `explainError` (`CheckRequest`'s fields, all optional; `null` or
/// `undefined` for none) and the driver they name, read the same way by the first module
/// (which asks the certificate module for the side reviews) and by the errors module.
pub fn explain_request(input: JsValue) -> Result<(CheckRequest, Option<Dialect>), JsValue> {
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
        Some(name) => parse_driver(name)?,
        None => None,
    };
    Ok((request, driver))
}

/// Reads a JS object into `T`, first rejecting keys outside `allowed` with a message that lists
/// the accepted ones (not every core type denies unknown fields, and a typo must not pass).
pub fn from_object<T: serde::de::DeserializeOwned>(
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
    from_value(value, context)
}

/// Reads a JS value into `T` with serde-wasm-bindgen (no JSON text in between); its message
/// loses the value serde would quote.
pub fn from_value<T: serde::de::DeserializeOwned>(
    value: JsValue,
    context: &str,
) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        js_error(&format!(
            "{context}: {}",
            pg_preflight_core::message_without_value(&e.to_string())
        ))
    })
}

/// Plain objects, not `Map`s, and `null` rather than `undefined` for absent values: the same
/// shape `JSON.parse` would give for the CLI's output.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(&format!("pg-preflight: could not convert the result: {e}")))
}

pub fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

pub fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// The message of a thrown JS value: an `Error`'s `message`, or the value as text.
pub fn error_message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "an unknown error".to_string())
}
