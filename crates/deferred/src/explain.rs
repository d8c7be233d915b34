//! The third module's build (feature `explain`): a client's error message explained against the
//! inputs given with it. It holds the connection-string analysis and the message tables, which
//! is why it is a module of its own: the certificate panel's module stays free of them. The
//! certificate review its causes are judged with is made by that module and handed in
//! (`SideReviews`), so this one holds no certificate code (ARCHITECTURE.md, "Modules").

use pg_preflight_core::UnixTime;
use pg_preflight_core::{
    explain_error_reviewed, material_of, CheckInput, ExplainInput, SideReviews,
};
use pg_preflight_js::{explain_request, from_value, to_js, type_error};
use wasm_bindgen::prelude::*;

/// Explains a client's error message against the inputs given with it (`CheckRequest`'s
/// fields, all optional), as `pg-preflight explain-error --json` does. `now` is seconds since
/// the Unix epoch, read by the first module (the core never reads the clock). `sides` is each
/// side's certificate review (`SideReviews`), made by the certificate module: a file whose side
/// has no review counts as not given.
#[wasm_bindgen(js_name = explainPastedError)]
pub fn explain_error_js(
    text: JsValue,
    input: JsValue,
    now: f64,
    sides: JsValue,
) -> Result<JsValue, JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| type_error("explainError: the error text must be a string"))?;
    let (request, driver) = explain_request(input)?;
    let sides: SideReviews = if sides.is_null() || sides.is_undefined() {
        SideReviews::default()
    } else {
        from_value(sides, "explainPastedError: the certificate reviews")?
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
    to_js(&explain_error_reviewed(&text, &input, &sides))
}
