//! One file per component. Components receive data and callbacks; they never validate — every
//! judgement comes from the core through the model in `state/`.

mod actions;
mod certificates;
mod connection_fields;
mod connection_input;
mod driver_picker;
mod error_explain;
mod findings;
mod heading;
mod material_input;
mod rich_text;
mod role_builder;
mod snippets;
mod summary;
mod verdict;

pub use actions::{code_block, copy_to_clipboard, download, TextActions};
pub use certificates::Certificates;
pub use connection_fields::ConnectionFields;
pub use connection_input::ConnectionInput;
pub use driver_picker::{driver_label, DriverPicker};
pub use error_explain::{error_mark_note, ErrorExplain};
pub use findings::Findings;
pub use heading::{Heading, HeadingLevel};
pub use material_input::MaterialInput;
pub use rich_text::rich_text;
pub use role_builder::RoleBuilder;
pub use snippets::Snippets;
pub use summary::{RoleSummary, Summary};
pub use verdict::VerdictBanner;

use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use yew::prelude::*;

/// An id no other element of the page has, fixed for the component's life (for
/// `aria-describedby`): several embeds may share one page, so ids cannot be literals.
#[hook]
pub fn use_unique_id(prefix: &'static str) -> Rc<str> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let id = use_memo((), move |_| {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Rc::<str>::from(format!("pgp-{prefix}-{n}"))
    });
    Rc::clone(&id)
}

/// The element matching `selector` in the same checker as the event's target: several embeds
/// may share a page, so a document-wide query could find another checker's.
pub fn in_same_checker(event: &Event, selector: &str) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    event
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(".pgp")
        .ok()??
        .query_selector(selector)
        .ok()??
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// An edit that puts in a whole text at once — a paste, a drop, or text carried over from
/// before the module started (`www/carry-input.js` sends a plain `input` event) — rather than
/// a keystroke. It is checked at once: the debounce exists so typing does not re-check on
/// every key, and a paste is one event.
pub fn is_whole_text(event: &InputEvent) -> bool {
    let kind = js_sys::Reflect::get(event, &wasm_bindgen::JsValue::from_str("inputType"))
        .ok()
        .and_then(|kind| kind.as_string());
    match kind.as_deref() {
        None => true,
        Some(kind) => matches!(
            kind,
            "insertFromPaste" | "insertFromDrop" | "insertFromYank"
        ),
    }
}

/// A text edit and whether it came whole (see [`is_whole_text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub text: String,
    pub whole: bool,
}
