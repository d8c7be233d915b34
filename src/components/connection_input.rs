//! The connection-string text area.

use super::{error_mark_note, is_whole_text, TextEdit};
use crate::state::{ErrorMark, FillIn};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ConnectionInputProps {
    pub value: String,
    pub on_input: Callback<TextEdit>,
    pub on_clear: Callback<()>,
    /// The most likely cause of a pasted error lies in the string.
    #[prop_or_default]
    pub error_mark: Option<ErrorMark>,
    /// A placeholder an applied fix wrote, to select so that typing replaces it.
    #[prop_or_default]
    pub fill_in: Option<FillIn>,
    /// The last applied fix had no place for one of the string's secrets.
    #[prop_or_default]
    pub secret_left_out: bool,
}

/// What to do about a secret an applied fix could not take back: where the fix left a mask
/// in its place, the mask is selected, so pasting the password replaces it.
fn secret_note(value: &str) -> &'static str {
    if value.contains("********") {
        "This fix could not take your password back: paste it where ******** is."
    } else {
        "This fix could not take your password back: add it to the string again."
    }
}

#[function_component(ConnectionInput)]
pub fn connection_input(props: &ConnectionInputProps) -> Html {
    let oninput = props.on_input.reform(|e: InputEvent| TextEdit {
        whole: is_whole_text(&e),
        text: e.target_unchecked_into::<HtmlTextAreaElement>().value(),
    });
    let onclick = props.on_clear.reform(|_: MouseEvent| ());
    let mark_id = super::use_unique_id("mark");
    let note_id = super::use_unique_id("secret-note");
    let field = use_node_ref();
    {
        let field = field.clone();
        // After the render that wrote the fixed string into the text area, not before.
        use_effect_with(props.fill_in, move |fill_in| {
            if let (Some(fill_in), Some(area)) = (fill_in, field.cast::<HtmlTextAreaElement>()) {
                let _ = area.focus();
                let _ = area.set_selection_range(fill_in.start, fill_in.end);
            }
        });
    }
    let mark = props.error_mark.as_ref();
    let described_by: Vec<String> = [
        mark.map(|_| mark_id.to_string()),
        props.secret_left_out.then(|| note_id.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described_by = (!described_by.is_empty()).then(|| described_by.join(" "));
    // The label wraps the field so several embeds on one page need no unique ids. Browser
    // helpers that remember or "correct" text are switched off: the string may hold a password.
    html! {
        <div class={classes!("pgp-field", mark.map(|_| "pgp-error-marked"))} data-field="dsn"
             data-error-cause={mark.map(|m| m.cause.clone())}>
            <label class="pgp-label">
                <span class="pgp-label-text">{ "Connection string" }</span>
                <textarea class="pgp-input" rows="3" value={props.value.clone()} {oninput} ref={field}
                    spellcheck="false" autocomplete="off" autocapitalize="off" autocorrect="off"
                    aria-describedby={described_by}
                    placeholder="postgresql://app_user@db.example.com:5432/app?sslmode=verify-full" />
            </label>
            if props.secret_left_out {
                <p class="pgp-secret-note" id={note_id.to_string()}>{ secret_note(&props.value) }</p>
            }
            if let Some(mark) = mark {
                { error_mark_note(mark, &mark_id) }
            }
            <div class="pgp-field-foot">
                <p class="pgp-privacy">
                    { "Checked inside this page only: nothing is sent, logged or stored." }
                </p>
                <button type="button" class="pgp-clear" {onclick}
                    disabled={props.value.is_empty()}>{ "Clear" }</button>
            </div>
        </div>
    }
}
