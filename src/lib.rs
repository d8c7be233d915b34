//! The browser side of pg-preflight: the Yew page, the JS API and the embed.
//!
//! **Architecture Invariant:** this crate is the only one that knows wasm-bindgen, web-sys and
//! yew. It converts core types to JS at its edge (`api.rs`, through JSON text) and renders them
//! (`app.rs`, `components/`); it never validates anything itself.
//!
//! **Architecture Invariant:** what the user pastes stays in memory. Nothing here logs it,
//! stores it (no localStorage, sessionStorage, IndexedDB, cookies or URL) or sends it anywhere.

pub mod api;
pub mod app;
pub mod components;
pub mod deferred;
pub mod embed;
pub mod state;

pub use api::{
    check, explain_error, generate_role_script, inspect_pem, parse_connection_string, rules,
};
pub use deferred::{
    load_deferred_module, load_explain_module, use_deferred_module, use_explain_module,
};
pub use embed::{mount, EmbedHandle};

use wasm_bindgen::prelude::*;

/// Replaces the default panic output (which goes to the console and can carry values) with a
/// friendly notice in the page that echoes nothing the user typed. Idempotent.
pub(crate) fn install_panic_notice() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        std::panic::set_hook(Box::new(|_| {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let Ok(notice) = document.create_element("div") else {
                return;
            };
            notice.set_class_name("pgp-crash");
            let _ = notice.set_attribute("role", "alert");
            notice.set_text_content(Some(
                "pg-preflight hit an internal error and stopped. Nothing you entered was sent \
                 anywhere or kept. Reload the page to start again.",
            ));
            if let Some(body) = document.body() {
                let _ = body.prepend_with_node_1(&notice);
            }
        }));
    });
}

/// Starts the standalone page: renders the app into the element with id `app`.
/// Called by `www/boot.js` after the module is initialised (no `#[wasm_bindgen(start)]`, so
/// embedders importing the module get the API without a page appearing).
#[wasm_bindgen]
pub fn start() -> Result<(), JsValue> {
    install_panic_notice();
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"))
        .ok_or_else(|| api::js_error("pg-preflight: no element with id `app` to render into"))?;
    // The standalone page lives as long as the tab, so its handle is never destroyed. Its
    // HTML was rendered at build time (src/bin/prerender.rs) with these same properties: the
    // app takes those nodes over instead of replacing them, so nothing moves. A page served
    // without that HTML (an unprocessed index.html) is rendered afresh.
    let prerendered = root.first_element_child().is_some_and(|child| {
        child
            .class_name()
            .split_whitespace()
            .any(|name| name == "pgp")
    });
    let renderer = yew::Renderer::<app::App>::with_root_and_props(root, app::page_props());
    if prerendered {
        let _app = renderer.hydrate();
    } else {
        let _app = renderer.render();
    }
    Ok(())
}
