//! One certificate, key or passphrase input: paste, drop a file, or pick one. Files are read
//! here, in the page (`File.arrayBuffer()`), never uploaded; a binary file (DER, PKCS#12)
//! becomes base64 text, which the core reads as DER.

use super::{error_mark_note, is_whole_text, TextEdit};
use crate::state::{ErrorMark, MaterialField};
use pg_preflight_core::base64_encode;
use pg_preflight_core::Field;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct MaterialInputProps {
    pub field: MaterialField,
    pub value: String,
    /// What the core recognised ("2 certificates: …"), shown under the box.
    pub caption: Option<String>,
    /// The errors the check found in this box, most important first (a mismatch with another
    /// box among them).
    #[prop_or_default]
    pub problems: Vec<String>,
    pub on_change: Callback<(MaterialField, TextEdit)>,
    /// The most likely cause of a pasted error lies in this input.
    #[prop_or_default]
    pub error_mark: Option<ErrorMark>,
}

/// The text of a file's bytes: UTF-8 text as is, anything else as base64.
fn file_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => text.to_string(),
        _ => base64_encode(bytes),
    }
}

/// A dropped or picked file's text, which arrives whole.
fn read_file(file: File, field: MaterialField, on_change: Callback<(MaterialField, TextEdit)>) {
    wasm_bindgen_futures::spawn_local(async move {
        let text = match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => file_text(&js_sys::Uint8Array::new(&buffer).to_vec()),
            Err(_) => String::new(),
        };
        on_change.emit((field, TextEdit { text, whole: true }));
    });
}

#[function_component(MaterialInput)]
pub fn material_input(props: &MaterialInputProps) -> Html {
    let field = props.field;
    let dragging = use_state(|| false);
    let on_text = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let text = e
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()))
                .unwrap_or_default();
            on_change.emit((
                field,
                TextEdit {
                    text,
                    whole: is_whole_text(&e),
                },
            ));
        })
    };
    let on_pick = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read_file(file, field, on_change.clone());
            }
            // Let the same file be picked again after an edit.
            input.set_value("");
        })
    };
    let on_drop = {
        let on_change = props.on_change.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|files| files.get(0))
            {
                read_file(file, field, on_change.clone());
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    // The box's text is the browser's until the state has held some: hydration then keeps what
    // was typed before the app started (www/carry-input.js hands it over as an input event)
    // rather than emptying the box for it to be filled again. Measured in Chromium: setting a
    // textarea to a 200 KB CA bundle costs about 90 ms of layout, setting it to the text it
    // already holds under 1 ms. Once the state has held text it owns the box, so clearing the
    // state empties it.
    let state_owns_text = use_mut_ref(|| false);
    if !props.value.is_empty() {
        *state_owns_text.borrow_mut() = true;
    }
    let text = (*state_owns_text.borrow()).then(|| AttrValue::from(props.value.clone()));
    let label = AttrValue::from(field.label());
    let problem_id = super::use_unique_id("problem");
    let mark_id = super::use_unique_id("mark");
    let mark = props.error_mark.as_ref();
    let described_by = [
        (!props.problems.is_empty()).then(|| problem_id.to_string()),
        mark.map(|_| mark_id.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    let described_by = (!described_by.is_empty()).then(|| described_by.join(" "));
    let class = classes!(
        "pgp-material",
        format!("pgp-material-{}", field.source()),
        (*dragging).then_some("pgp-dragging"),
        mark.map(|_| "pgp-error-marked")
    );
    // Secret inputs: no spell-checking (browser spell services may send text away), no
    // autocomplete, no autocapitalisation.
    let input = if field == MaterialField::Passphrase {
        html! {
            <input type="password" class="pgp-input pgp-passphrase" value={props.value.clone()}
                oninput={on_text} aria-label={label.clone()}
                spellcheck="false" autocomplete="off" autocapitalize="off" autocorrect="off" />
        }
    } else {
        html! {
            <textarea class="pgp-input pgp-pem" rows="4" value={text}
                oninput={on_text} aria-label={label.clone()}
                aria-invalid={(!props.problems.is_empty()).then_some("true")}
                aria-describedby={described_by}
                spellcheck="false" autocomplete="off" autocapitalize="off" autocorrect="off"
                placeholder={placeholder(field)} />
        }
    };
    html! {
        <div {class} data-field={field.source()} data-error-cause={mark.map(|m| m.cause.clone())}
             ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            <label class="pgp-label">
                <span class="pgp-label-text">{ label.clone() }</span>
                { input }
            </label>
            <div class="pgp-material-foot">
                if field != MaterialField::Passphrase {
                    <label class="pgp-file">
                        <span>{ "Choose file…" }</span>
                        <input type="file" class="pgp-file-input" onchange={on_pick}
                            aria-label={format!("{label}: choose a file")} />
                    </label>
                }
                if let Some(caption) = &props.caption {
                    <p class="pgp-caption" aria-live="polite">{ caption.clone() }</p>
                }
                if let Some(mark) = mark {
                    { error_mark_note(mark, &mark_id) }
                }
                if !props.problems.is_empty() {
                    <p class="pgp-caption pgp-caption-error" id={problem_id.to_string()}>
                        { for props.problems.iter().map(|problem| problem_line(problem)) }
                    </p>
                }
            </div>
        </div>
    }
}

/// One error at the box. The glyph is for the eye; a screen reader hears the word.
fn problem_line(problem: &str) -> Html {
    html! {
        <span class="pgp-problem">
            <span aria-hidden="true">{ "✖ " }</span>
            <span class="pgp-visually-hidden">{ "Error: " }</span>{ problem.to_string() }
        </span>
    }
}

/// What the box expects, as the first line of its PEM.
fn placeholder(field: MaterialField) -> &'static str {
    match field {
        MaterialField::File(Field::ClientKey) => {
            "-----BEGIN PRIVATE KEY----- … (paste, or drop a file here)"
        }
        _ => "-----BEGIN CERTIFICATE----- … (paste, or drop a file here)",
    }
}
