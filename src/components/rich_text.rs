//! Diagnostic prose carries values in backticks; show them as code.

use crate::state::code_spans;
use yew::prelude::*;

/// `text` with each backticked piece rendered as `<code>`. Yew escapes every piece: findings
/// echo (redacted) parts of untrusted input, so nothing here may become markup.
pub fn rich_text(text: &str) -> Html {
    code_spans(text)
        .into_iter()
        .map(|(piece, is_code)| {
            if is_code {
                html! { <code>{ piece.to_string() }</code> }
            } else {
                html! { { piece.to_string() } }
            }
        })
        .collect()
}
