//! Host, port, database, user and sslmode as separate fields, in sync with the connection
//! string: the fields show what the driver reads; editing one rewrites that keyword in the
//! string (libpq strings only, keeping their form and any password).

use pg_preflight_core::Analysis;
use pg_preflight_core::Dialect;
use pg_preflight_core::SslMode;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ConnectionFieldsProps {
    pub analysis: Option<Rc<Analysis>>,
    pub on_edit: Callback<(&'static str, String)>,
}

const FIELDS: [(&str, &str, &str); 4] = [
    ("host", "Host", "db.example.com"),
    ("port", "Port", "5432"),
    ("dbname", "Database", "app"),
    ("user", "User", "app_user"),
];

#[function_component(ConnectionFields)]
pub fn connection_fields(props: &ConnectionFieldsProps) -> Html {
    let analysis = props.analysis.as_deref();
    // Other drivers' strings are shown, not rewritten: their syntax is theirs.
    let editable = analysis.is_none_or(|a| a.dialect == Dialect::Libpq && a.valid);
    let value = |keyword: &str| {
        analysis
            .and_then(|a| a.params.as_ref())
            .and_then(|p| p.get(keyword).cloned())
            .unwrap_or_default()
    };
    let sslmode = value("sslmode");
    let on_mode = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_edit.emit(("sslmode", select.value()));
        })
    };
    html! {
        <fieldset class="pgp-conn-fields" disabled={!editable}>
            <legend>{ "Or fill in the fields" }</legend>
            { for FIELDS.iter().map(|&(keyword, label, placeholder)| {
                let on_edit = props.on_edit.clone();
                let keyword_static: &'static str = keyword;
                let oninput = Callback::from(move |e: InputEvent| {
                    let input: HtmlInputElement = e.target_unchecked_into();
                    on_edit.emit((keyword_static, input.value()));
                });
                html! {
                    <label class="pgp-conn-field">
                        <span class="pgp-label-text">{ label }</span>
                        <input type="text" class="pgp-input" value={value(keyword)} {oninput}
                            {placeholder} spellcheck="false" autocomplete="off"
                            autocapitalize="off" autocorrect="off" />
                    </label>
                }
            }) }
            <label class="pgp-conn-field">
                <span class="pgp-label-text">{ "sslmode" }</span>
                <select class="pgp-input" onchange={on_mode}>
                    <option value="" selected={sslmode.is_empty()}>{ "prefer (default)" }</option>
                    { for SslMode::names().into_iter().map(|mode| html! {
                        <option value={mode} selected={sslmode == mode}>{ mode }</option>
                    }) }
                </select>
            </label>
            if let Some(note) = analysis.filter(|_| !editable).map(read_only_reason) {
                <p class="pgp-note">{ note }</p>
            }
        </fieldset>
    }
}

/// Why the fields cannot be edited: another driver's string, or a libpq string that does not
/// parse (rewriting one keyword of it could not keep the rest as written).
fn read_only_reason(analysis: &Analysis) -> &'static str {
    if analysis.dialect == Dialect::Libpq {
        "The fields can be used again once the string parses: see the findings."
    } else {
        "These fields edit libpq strings; change this string directly."
    }
}
