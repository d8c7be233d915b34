//! Embedding (DESIGN.md §4): `mount(element, options)` renders the same app as the standalone
//! page into any element and returns a handle whose `destroy()` removes it again. The
//! `<pg-preflight>` custom element in `www/` is a thin wrapper around this.

use crate::api::{from_object, parse_driver, type_error};
use crate::app::{App, AppProps, Panels};
use crate::components::HeadingLevel;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;
use yew::AppHandle;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MountOptions {
    /// A connection string to start with (e.g. an example in documentation).
    dsn: Option<String>,
    /// A driver name, or `"auto"`.
    driver: Option<String>,
    /// Which panels to show beside the connection string, comma-separated: `certificates`,
    /// `roles`, `errors`, `snippets`, `summary`; `"all"` or `"none"` (the default).
    panels: Option<String>,
    /// The level of the checker's section headings, 1 to 5 (default 2), so they sit under the
    /// host page's own.
    heading_level: Option<f64>,
    /// `"collapsed"`: the findings start folded under their one-line summary; `"open"`.
    findings: Option<String>,
}

const MOUNT_FIELDS: &[&str] = &["dsn", "driver", "panels", "headingLevel", "findings"];

/// `"open"` (the default) or `"collapsed"`; anything else throws.
fn parse_findings(text: &str) -> Result<bool, JsValue> {
    match text.trim() {
        "open" => Ok(false),
        "collapsed" => Ok(true),
        other => Err(crate::api::js_error(&format!(
            "mount: findings must be `open` or `collapsed`, not `{other}`"
        ))),
    }
}

/// 1 to 5; anything else throws.
fn parse_heading_level(level: f64) -> Result<HeadingLevel, JsValue> {
    if level.fract() == 0.0 && (1.0..=5.0).contains(&level) {
        // In range and whole, so the cast is exact.
        Ok(HeadingLevel::new(level as u8))
    } else {
        Err(crate::api::js_error(&format!(
            "mount: headingLevel must be a whole number from 1 to 5, not {level}"
        )))
    }
}

/// `"certificates,roles"`, `"all"`, `"none"`; an unknown name throws, listing the valid ones.
fn parse_panels(text: &str) -> Result<Panels, JsValue> {
    let mut panels = Panels::CONNECTION;
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match name {
            "all" => return Ok(Panels::ALL),
            "none" | "connection" => {}
            "certificates" => panels.certificates = true,
            "roles" => panels.roles = true,
            "errors" => panels.errors = true,
            "snippets" => panels.snippets = true,
            "summary" => panels.summary = true,
            other => {
                return Err(crate::api::js_error(&format!(
                    "mount: unknown panel `{other}`; expected certificates, roles, errors, \
                     snippets, summary, all or none"
                )))
            }
        }
    }
    Ok(panels)
}

/// What an embed renders: the app, keyed by how many times it was started over, so a restart
/// is a fresh app inside the same Yew root (a new root would add another set of event
/// listeners to the host element, which Yew never removes).
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct EmbedProps {
    pub app: AppProps,
    pub generation: u64,
}

#[function_component(Embed)]
fn embed(props: &EmbedProps) -> Html {
    let app = props.app.clone();
    html! {
        <App key={props.generation.to_string()} initial_input={app.initial_input}
            initial_driver={app.initial_driver} panels={app.panels}
            owns_location={app.owns_location} heading_level={app.heading_level}
            findings_collapsed={app.findings_collapsed} />
    }
}

/// A mounted app. `destroy()` unmounts it; calling it again does nothing.
#[wasm_bindgen]
#[derive(Debug)]
pub struct EmbedHandle {
    app: Option<AppHandle<Embed>>,
    generation: u64,
}

#[wasm_bindgen]
impl EmbedHandle {
    /// Starts the checker over with new `options` (as `mount` takes them): everything typed
    /// into it is forgotten. Throws, and keeps the current checker, when the options are bad.
    pub fn restart(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "MountOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<(), JsValue> {
        let app = props_from(options)?;
        let Some(handle) = self.app.as_mut() else {
            return Err(crate::api::js_error("restart: the checker was destroyed"));
        };
        self.generation += 1;
        handle.update(EmbedProps {
            app,
            generation: self.generation,
        });
        Ok(())
    }

    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            // Yew renders a new app from its task queue, and a destroy it sees before that
            // first render finds nothing to remove: the app then appears and stays, live
            // (mount and destroy in one tick, as React's StrictMode does). Queued behind the
            // render, the destroy always finds the app.
            wasm_bindgen_futures::spawn_local(async move { app.destroy() });
        }
    }

    /// Whether `destroy()` has not been called yet.
    #[wasm_bindgen(getter)]
    pub fn mounted(&self) -> bool {
        self.app.is_some()
    }
}

/// Renders pg-preflight into `element` (its previous children are replaced).
/// `options` is `{dsn?: string, driver?: string}` or omitted.
#[wasm_bindgen]
pub fn mount(
    #[wasm_bindgen(unchecked_param_type = "Element")] element: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MountOptions | null")] options: Option<JsValue>,
) -> Result<EmbedHandle, JsValue> {
    let element: Element = element
        .dyn_into()
        .map_err(|_| type_error("mount: the first argument must be a DOM element"))?;
    crate::install_panic_notice();
    let app = props_from(options)?;
    let props = EmbedProps { app, generation: 0 };
    Ok(EmbedHandle {
        app: Some(yew::Renderer::<Embed>::with_root_and_props(element, props).render()),
        generation: 0,
    })
}

fn props_from(options: Option<JsValue>) -> Result<AppProps, JsValue> {
    let options: MountOptions = match options {
        None => MountOptions::default(),
        Some(value) if value.is_null() || value.is_undefined() => MountOptions::default(),
        Some(value) if value.is_object() => from_object(value, MOUNT_FIELDS, "mount: options")?,
        Some(_) => return Err(type_error("mount: options must be an object")),
    };
    let initial_driver = match options.driver.as_deref() {
        Some(name) => parse_driver(name)?,
        None => None,
    };
    let panels = match options.panels.as_deref() {
        Some(text) => parse_panels(text)?,
        None => Panels::CONNECTION,
    };
    let heading_level = match options.heading_level {
        Some(level) => parse_heading_level(level)?,
        None => HeadingLevel::default(),
    };
    let findings_collapsed = match options.findings.as_deref() {
        Some(text) => parse_findings(text)?,
        None => false,
    };
    Ok(AppProps {
        initial_input: options.dsn.unwrap_or_default(),
        initial_driver,
        panels,
        owns_location: false,
        heading_level,
        findings_collapsed,
    })
}
