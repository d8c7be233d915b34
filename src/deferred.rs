//! The page's WebAssembly modules loaded by dynamic import when first needed (ARCHITECTURE.md,
//! "Modules"), both built from crates/deferred: `pg-preflight-deferred` (certificate intake,
//! chain verification and the role-script generator) and `pg-preflight-explain` (explanations
//! of pasted client errors). A connection string alone never loads either.
//!
//! `www/deferred.js` (a wasm-bindgen snippet, so it travels with this module wherever it is
//! served or bundled) imports them from the directory this module's own glue lies in. A host
//! that serves them from elsewhere, or a test, hands over its own loaders with
//! `useDeferredModule` and `useExplainModule`.

use crate::api::{error_message, js_error, to_js};
use crate::state::{CauseView, ErrorView, ExplainWanted, ExplainedFailure, FixView, RoleWanted};
use pg_preflight_core::CheckRequest;
use pg_preflight_core::Field;
use pg_preflight_core::Generated;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{
    analyze_connection, material_of, ConnectionContext, Dialect, MaterialReport, ReviewRequest,
    Side,
};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/www/deferred.js")]
extern "C" {
    /// Imports and initialises the second module once; every later call gets the same promise.
    /// A failed load is tried again on the next call (which helps when the `.wasm` fetch
    /// failed; browsers keep a failed import of the script itself for the page's life).
    #[wasm_bindgen(js_name = loadDeferred)]
    fn load_deferred_from_beside() -> js_sys::Promise;
    /// The same for the module that explains pasted errors.
    #[wasm_bindgen(js_name = loadExplain)]
    fn load_explain_from_beside() -> js_sys::Promise;
}

/// A module loaded when first needed (both are builds of crates/deferred).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// `pg-preflight-deferred`: certificates, chains, role scripts.
    Deferred,
    /// `pg-preflight-explain`: explanations of pasted client errors.
    Explain,
}

impl Part {
    fn file(self) -> &'static str {
        match self {
            Part::Deferred => "pg-preflight-deferred.js",
            Part::Explain => "pg-preflight-explain.js",
        }
    }
}

/// The loaders hosts and tests hand over (`useDeferredModule`, `useExplainModule`).
#[derive(Default)]
struct Loaders {
    deferred: Option<js_sys::Function>,
    explain: Option<js_sys::Function>,
}

impl Loaders {
    fn slot(&mut self, part: Part) -> &mut Option<js_sys::Function> {
        match part {
            Part::Deferred => &mut self.deferred,
            Part::Explain => &mut self.explain,
        }
    }
}

thread_local! {
    static LOADERS: RefCell<Loaders> = RefCell::new(Loaders::default());
}

/// Replaces how the second module is found: `loader` is called with no arguments and returns
/// (a promise of) the initialised module, an object with its exports. For hosts that serve
/// `pg-preflight-deferred.js` elsewhere than beside `pg-preflight-web.js`, and for tests.
#[wasm_bindgen(js_name = useDeferredModule)]
pub fn use_deferred_module(loader: js_sys::Function) {
    use_loader(Part::Deferred, loader);
}

/// The same as `useDeferredModule`, for `pg-preflight-explain.js` (the errors panel's module).
#[wasm_bindgen(js_name = useExplainModule)]
pub fn use_explain_module(loader: js_sys::Function) {
    use_loader(Part::Explain, loader);
}

fn use_loader(part: Part, loader: js_sys::Function) {
    LOADERS.with(|loaders| *loaders.borrow_mut().slot(part) = Some(loader));
}

/// Starts loading the second module, or returns the load under way: the page calls this
/// while idle after its first paint, so the module is usually there before it is needed.
#[wasm_bindgen(js_name = loadDeferredModule)]
pub fn load_deferred_module() -> js_sys::Promise {
    load(Part::Deferred)
}

/// Starts loading the errors panel's module, or returns the load under way: the page calls
/// this when the panel is first used, an embed with the panel while idle.
#[wasm_bindgen(js_name = loadExplainModule)]
pub fn load_explain_module() -> js_sys::Promise {
    load(Part::Explain)
}

fn load(part: Part) -> js_sys::Promise {
    let custom = LOADERS.with(|loaders| loaders.borrow_mut().slot(part).clone());
    match custom {
        Some(loader) => match loader.call0(&JsValue::UNDEFINED) {
            Ok(module) => js_sys::Promise::resolve(&module),
            Err(error) => js_sys::Promise::reject(&error),
        },
        None => match part {
            Part::Deferred => load_deferred_from_beside(),
            Part::Explain => load_explain_from_beside(),
        },
    }
}

/// Calls the export `name` of a module loaded when first needed with `args`, loading it first
/// if it is not there yet. Its errors come back as they were thrown.
pub async fn call_in(part: Part, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let module = JsFuture::from(load(part)).await?;
    let function = js_sys::Reflect::get(&module, &JsValue::from_str(name))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| {
            js_error(&format!(
                "pg-preflight: {} has no function `{name}` (a mismatched version?)",
                part.file()
            ))
        })?;
    let args: js_sys::Array = args.iter().collect();
    function.apply(&JsValue::UNDEFINED, &args)
}

/// [`call_in`] the second module (certificates, chains, role scripts).
pub async fn call(name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    call_in(Part::Deferred, name, args).await
}

/// `check::review_material`, run by the second module.
pub async fn review_material(
    material: CheckRequest,
    context: ConnectionContext,
    now: UnixTime,
) -> Result<MaterialReport, JsValue> {
    let report = review_material_object(material, context, now).await?;
    crate::api::from_value(report, "pg-preflight: the certificate review")
}

/// The second module's `MaterialReport` as the plain object it serialises to.
async fn review_material_object(
    material: CheckRequest,
    context: ConnectionContext,
    now: UnixTime,
) -> Result<JsValue, JsValue> {
    let request = to_js(&ReviewRequest {
        material,
        context,
        now,
    })?;
    JsFuture::from(js_sys::Promise::resolve(
        &call("reviewMaterial", &[request]).await?,
    ))
    .await
}

/// `explain::explain_error`, run by the errors panel's module (it holds the analysis and the
/// message tables), with the certificate review of each side made by the second module. The
/// report comes back as the plain object it serialises to.
pub async fn explain_error(text: &str, input: JsValue, now: UnixTime) -> Result<JsValue, JsValue> {
    let (request, driver) = pg_preflight_js::explain_request(input.clone())?;
    let sides = side_reviews(&request, driver, now).await;
    let now = JsValue::from_f64(now.seconds() as f64);
    JsFuture::from(js_sys::Promise::resolve(
        &call_in(
            Part::Explain,
            "explainPastedError",
            &[JsValue::from_str(text), input, now, sides],
        )
        .await?,
    ))
    .await
}

/// Each side's certificate review (`explain::Side`) by the second module, as the plain
/// `SideReviews` object the errors module reads. Empty when no file was given, or when the
/// second module could not load: the explanation then counts the files as not given (the page
/// says in the certificate panel why they were not read).
async fn side_reviews(request: &CheckRequest, driver: Option<Dialect>, now: UnixTime) -> JsValue {
    let sides = js_sys::Object::new();
    for side in Side::ALL {
        let Some(only) = side.request(request) else {
            continue;
        };
        let (_, context) = analyze_connection(request.dsn.as_deref(), driver, &material_of(&only));
        let Ok(review) = review_material_object(only, context, now).await else {
            return js_sys::Object::new().into();
        };
        if js_sys::Reflect::set(&sides, &JsValue::from_str(side.name()), &review).is_err() {
            return js_sys::Object::new().into();
        }
    }
    sides.into()
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
        truncated: get(report, "truncated").as_bool().unwrap_or_default(),
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
        // Read as findings (the certificate review's reader: code and title from the
        // registry); absent when something was recognised or no string was given.
        string_errors: Some(get(report, "stringErrors"))
            .filter(js_sys::Array::is_array)
            .and_then(|errors| crate::api::from_value(errors, "stringErrors").ok())
            .unwrap_or_default(),
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
