//! The page's second WebAssembly module, `pg-preflight-deferred` (crates/deferred): certificate
//! intake, chain verification and the role-script generator, loaded by dynamic import when
//! first needed (ARCHITECTURE.md, "Two modules"). A connection string alone never loads it.
//!
//! `www/deferred.js` (a wasm-bindgen snippet, so it travels with this module wherever it is
//! served or bundled) imports `pg-preflight-deferred.js` from the directory this module's own
//! glue lies in. A host that serves it from elsewhere, or a test, hands over its own loader
//! with `useDeferredModule`.

use crate::api::{error_message, js_error, to_js};
use crate::state::{CauseView, ErrorView, ExplainWanted, ExplainedFailure, FixView, RoleWanted};
use pg_preflight_core::CheckRequest;
use pg_preflight_core::Field;
use pg_preflight_core::Generated;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{ConnectionContext, MaterialReport, ReviewRequest};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/www/deferred.js")]
extern "C" {
    /// Imports and initialises the module once; every later call gets the same promise. A
    /// failed load is tried again on the next call (which helps when the `.wasm` fetch failed;
    /// browsers keep a failed import of the script itself for the page's life).
    #[wasm_bindgen(js_name = loadDeferred)]
    fn load_from_beside() -> js_sys::Promise;
}

thread_local! {
    static LOADER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Replaces how the second module is found: `loader` is called with no arguments and returns
/// (a promise of) the initialised module, an object with its exports. For hosts that serve
/// `pg-preflight-deferred.js` elsewhere than beside `pg-preflight-web.js`, and for tests.
#[wasm_bindgen(js_name = useDeferredModule)]
pub fn use_deferred_module(loader: js_sys::Function) {
    LOADER.with(|slot| *slot.borrow_mut() = Some(loader));
}

/// Starts loading the second module, or returns the load under way: the page calls this
/// while idle after its first paint, so the module is usually there before it is needed.
#[wasm_bindgen(js_name = loadDeferredModule)]
pub fn load_deferred_module() -> js_sys::Promise {
    let custom = LOADER.with(|slot| slot.borrow().clone());
    match custom {
        Some(loader) => match loader.call0(&JsValue::UNDEFINED) {
            Ok(module) => js_sys::Promise::resolve(&module),
            Err(error) => js_sys::Promise::reject(&error),
        },
        None => load_from_beside(),
    }
}

/// Calls the export `name` of the second module with `args`, loading the module first if it
/// is not there yet. Its errors come back as they were thrown.
pub async fn call(name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let module = JsFuture::from(load_deferred_module()).await?;
    let function = js_sys::Reflect::get(&module, &JsValue::from_str(name))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| {
            js_error(&format!(
                "pg-preflight: the deferred module has no function `{name}` (a mismatched \
                 pg-preflight-deferred.js?)"
            ))
        })?;
    let args: js_sys::Array = args.iter().collect();
    function.apply(&JsValue::UNDEFINED, &args)
}

/// `check::review_material`, run by the second module.
pub async fn review_material(
    material: CheckRequest,
    context: ConnectionContext,
    now: UnixTime,
) -> Result<MaterialReport, JsValue> {
    let request = to_js(&ReviewRequest {
        material,
        context,
        now,
    })?;
    let report = JsFuture::from(js_sys::Promise::resolve(
        &call("reviewMaterial", &[request]).await?,
    ))
    .await?;
    crate::api::from_value(report, "pg-preflight: the certificate review")
}

/// `explain::explain_error`, run by the second module (it holds the certificate review the
/// causes are checked with). The report comes back as the plain object it serialises to.
pub async fn explain_error(text: &str, input: JsValue, now: UnixTime) -> Result<JsValue, JsValue> {
    let now = JsValue::from_f64(now.seconds() as f64);
    JsFuture::from(js_sys::Promise::resolve(
        &call("explainPastedError", &[JsValue::from_str(text), input, now]).await?,
    ))
    .await
}

/// The page's explanation of a pasted error (the state's [`ExplainWanted`]): the inputs as the
/// JS API's `explainError` takes them, only the given ones; an error as a sentence to show.
pub async fn explain_error_for_page(wanted: &ExplainWanted) -> Result<ErrorView, String> {
    let explained = async {
        let key = &wanted.key;
        let given = key.material.given();
        let input = js_sys::Object::new();
        let set = |name: &str, value: Option<&str>| -> Result<(), JsValue> {
            if let Some(value) = value {
                js_sys::Reflect::set(&input, &JsValue::from_str(name), &JsValue::from_str(value))?;
            }
            Ok(())
        };
        set("dsn", key.dsn.as_deref())?;
        set("driver", key.driver.map(|d| d.name()))?;
        for field in Field::ALL {
            set(field.source(), given.slot(field))?;
        }
        set("keyPassphrase", given.key_passphrase.as_deref())?;
        let report = explain_error(&key.text, input.into(), wanted.now).await?;
        Ok::<ErrorView, JsValue>(error_view(&report))
    };
    explained.await.map_err(|error| {
        format!(
            "The error could not be explained: {}. Reload the page to try again.",
            error_message(&error)
        )
    })
}

/// The page's view of an `ErrorReport` object (`src/api.rs`'s `ErrorReport` type): what is
/// missing or of another type reads as empty.
fn error_view(report: &JsValue) -> ErrorView {
    ErrorView {
        explanations: items(report, "explanations")
            .map(|e| ExplainedFailure {
                client: text(&e, "client"),
                failure: text(&e, "failure"),
                title: text(&e, "title"),
                line: get(&e, "line").as_f64().unwrap_or_default() as usize,
                text: text(&e, "text"),
                source: text(&e, "source"),
                evidence: text(&e, "evidence"),
                causes: items(&e, "causes")
                    .map(|c| CauseView {
                        cause: text(&c, "cause"),
                        input: text(&c, "input"),
                        confirmed: get(&c, "confirmed").as_bool().unwrap_or_default(),
                        detail: text(&c, "detail"),
                        codes: items(&c, "codes").filter_map(|c| c.as_string()).collect(),
                    })
                    .collect(),
                decide: items(&e, "decide").filter_map(|d| d.as_string()).collect(),
                fix: Some(get(&e, "fix"))
                    .filter(|f| f.is_object())
                    .map(|f| FixView {
                        title: text(&f, "title"),
                        replacement: get(&f, "replacement").as_string(),
                    }),
            })
            .collect(),
    }
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(object: &JsValue, key: &str) -> String {
    get(object, key).as_string().unwrap_or_default()
}

fn items(object: &JsValue, key: &str) -> impl Iterator<Item = JsValue> {
    let value = get(object, key);
    let array = if js_sys::Array::is_array(&value) {
        js_sys::Array::from(&value)
    } else {
        js_sys::Array::new()
    };
    array.into_iter()
}

/// [`review_material`] for the page: its error as a sentence to show.
pub async fn review_material_for_page(
    material: CheckRequest,
    context: ConnectionContext,
    now: UnixTime,
) -> Result<MaterialReport, String> {
    review_material(material, context, now)
        .await
        .map_err(|error| {
            format!(
                "The certificate checks could not run: {}. Reload the page to try again.",
                error_message(&error)
            )
        })
}

/// The page's role scripts, written by the second module's `writeRoleScript` (what the JS
/// API's `generateRoleScript` runs, with the browser's random source) and read back; an error as a
/// sentence to show.
pub async fn generate_role_scripts_for_page(wanted: &RoleWanted) -> Result<Generated, String> {
    let written = async {
        let options = to_js(&RoleOptions {
            today: wanted.today.to_string(),
            client_certificate: wanted.client_certificate.as_deref(),
        })?;
        let report = call(
            "writeRoleScript",
            &[JsValue::from_str(&wanted.spec_json), options],
        )
        .await?;
        crate::api::from_value::<Generated>(report, "pg-preflight: the role scripts")
    };
    written.await.map_err(|error| {
        format!(
            "The role scripts could not be written: {}. No password or script was generated.",
            error_message(&error)
        )
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleOptions<'a> {
    today: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_certificate: Option<&'a str>,
}
