//! Copy and download buttons for generated text. The text goes to the clipboard or to a file
//! the browser saves locally (a `blob:` URL made and revoked here); nothing leaves the machine.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Copies `text` with the asynchronous Clipboard API.
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Saves `text` as `filename` through a temporary object URL.
pub fn download(filename: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(anchor) = document
        .create_element("a")
        .map(|a| a.unchecked_into::<web_sys::HtmlAnchorElement>())
    {
        anchor.set_href(&url);
        anchor.set_download(filename);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct TextActionsProps {
    pub text: AttrValue,
    /// What the buttons act on, for their accessible names ("SQL script").
    pub what: AttrValue,
    /// `None`: no download button.
    #[prop_or_default]
    pub filename: Option<AttrValue>,
    /// The copy button's visible text (default "Copy").
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// The copy button's accessible name: its visible words first (WCAG 2.5.3, "label in name"),
/// then what it copies.
fn copy_name(props: &TextActionsProps) -> String {
    match &props.label {
        Some(label) => format!("{label} ({})", props.what),
        None => format!("Copy {}", props.what),
    }
}

#[function_component(TextActions)]
pub fn text_actions(props: &TextActionsProps) -> Html {
    let copied = use_state(|| false);
    let on_copy = {
        let text = props.text.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            copy_to_clipboard(&text);
            copied.set(true);
        })
    };
    let on_download = props.filename.clone().map(|name| {
        let text = props.text.clone();
        Callback::from(move |_: MouseEvent| download(&name, &text))
    });
    html! {
        <span class="pgp-text-actions">
            // The button says the same words in every state, so its visible text and its
            // accessible name always agree (axe's label-content-name-mismatch flagged a
            // "Copied" button named "Copy …"); the state is said beside it.
            <button type="button" class="pgp-button" onclick={on_copy}
                aria-label={copy_name(props)}>
                { props.label.clone().unwrap_or_else(|| AttrValue::from("Copy")) }
            </button>
            if let (Some(onclick), Some(name)) = (on_download, &props.filename) {
                <button type="button" class="pgp-button" {onclick}
                    aria-label={format!("Download {name} ({})", props.what)}>
                    { format!("Download {name}") }
                </button>
            }
            // Seen as "Copied" beside the buttons, and said politely as what was copied. The
            // region stays in the document while empty so that its first text is announced.
            <span class="pgp-copied" role="status">
                if *copied {
                    <span aria-hidden="true">{ "Copied" }</span>
                    <span class="pgp-visually-hidden">{ format!("{} copied", props.what) }</span>
                }
            </span>
        </span>
    }
}

/// A block of code or text that may scroll sideways: focusable, so a keyboard can scroll it,
/// and a named region, so a screen reader says what it is.
pub fn code_block(label: String, text: String, class: Option<&'static str>) -> Html {
    html! {
        <pre class={classes!("pgp-code-block", class)} tabindex="0" role="region" aria-label={label}>
            <code>{ text }</code>
        </pre>
    }
}
