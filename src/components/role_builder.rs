//! The role builder: the role spec as a form, and the scripts the core writes from it (SQL,
//! pg_hba.conf and postgresql.conf lines, verification, rotation, teardown) with copy and
//! download. A generated password is shown once, until the user says it is saved.

use super::actions::{code_block, TextActions};
use super::findings::Findings;
use super::{use_unique_id, Heading};
use crate::state::{RoleField, RoleForm};
use pg_preflight_core::Diagnostic;
use pg_preflight_core::Generated;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct RoleBuilderProps {
    pub form: RoleForm,
    pub result: Option<Rc<Generated>>,
    pub on_edit: Callback<(RoleField, String)>,
    pub on_generate: Callback<()>,
    pub on_dismiss_password: Callback<()>,
    /// A link to this page with the form's settings in the fragment (no secrets).
    #[prop_or_default]
    pub share_link: Option<AttrValue>,
}

fn text_input(props: &RoleBuilderProps, errors: &str, field: RoleField, placeholder: &str) -> Html {
    let on_edit = props.on_edit.clone();
    let label = field.label(props.form.dialect == "postgres");
    let invalid = invalid_fields(props.result.as_deref()).contains(&field);
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        on_edit.emit((field, input.value()));
    });
    // The two lists of objects take a whole row each (they grow long), which also keeps the
    // grid free of holes before the full-width column list.
    let wide = field == RoleField::Tables;
    html! {
        <label class={classes!("pgp-role-field", wide.then_some("pgp-role-wide"))}>
            <span class="pgp-label-text">{ label }</span>
            <input type="text" class="pgp-input" value={props.form.get(field).to_string()}
                {oninput} placeholder={placeholder.to_string()}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={invalid.then(|| errors.to_string())}
                spellcheck="false" autocomplete="off" autocapitalize="off" autocorrect="off" />
        </label>
    }
}

/// A text field whose value needs words beside its label (`RoleField::hint`: what an emptied
/// limit means). The hint sits outside the `<label>`, so the field's accessible name stays its
/// label, and describes the input; the structure never changes with the hint, so the input
/// keeps the focus while the user empties it.
fn hinted_input(
    props: &RoleBuilderProps,
    ids: (&str, &str),
    field: RoleField,
    placeholder: &str,
) -> Html {
    let (errors, hint_id) = ids;
    let on_edit = props.on_edit.clone();
    let label = field.label(props.form.dialect == "postgres");
    let invalid = invalid_fields(props.result.as_deref()).contains(&field);
    let hint = field.hint(&props.form);
    let described_by: Vec<&str> = [hint.map(|_| hint_id), invalid.then_some(errors)]
        .into_iter()
        .flatten()
        .collect();
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        on_edit.emit((field, input.value()));
    });
    html! {
        <div class="pgp-role-field">
            <label class="pgp-role-label">
                <span class="pgp-label-text">{ label }</span>
                <input type="text" class="pgp-input" value={props.form.get(field).to_string()}
                    {oninput} placeholder={placeholder.to_string()}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={(!described_by.is_empty()).then(|| described_by.join(" "))}
                    spellcheck="false" autocomplete="off" autocapitalize="off" autocorrect="off" />
            </label>
            if let Some(hint) = hint {
                <p class="pgp-role-hint" id={hint_id.to_string()}>{ hint }</p>
            }
        </div>
    }
}

fn select(
    props: &RoleBuilderProps,
    errors: &str,
    field: RoleField,
    options: &[(&str, &str)],
) -> Html {
    let label = field.label(props.form.dialect == "postgres");
    let invalid = invalid_fields(props.result.as_deref()).contains(&field);
    let on_edit = props.on_edit.clone();
    let onchange = Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        on_edit.emit((field, select.value()));
    });
    let current = props.form.get(field);
    html! {
        <label class="pgp-role-field">
            <span class="pgp-label-text">{ label }</span>
            <select class="pgp-input" {onchange} aria-invalid={invalid.then_some("true")}
                aria-describedby={invalid.then(|| errors.to_string())}>
                { for options.iter().map(|(value, text)| html! {
                    <option value={value.to_string()} selected={current == *value}>{ text.to_string() }</option>
                }) }
            </select>
        </label>
    }
}

#[function_component(RoleBuilder)]
pub fn role_builder(props: &RoleBuilderProps) -> Html {
    let postgres = props.form.dialect == "postgres";
    let versions: &[(&str, &str)] = if postgres {
        &[
            ("13", "PostgreSQL 13"),
            ("14", "PostgreSQL 14"),
            ("15", "PostgreSQL 15"),
            ("16", "PostgreSQL 16"),
            ("17", "PostgreSQL 17"),
            ("18", "PostgreSQL 18"),
        ]
    } else {
        &[
            ("mariadb-10.11", "MariaDB 10.11"),
            ("mariadb-11.4", "MariaDB 11.4"),
            ("mysql-8.0", "MySQL 8.0"),
            ("mysql-5.7", "MySQL 5.7"),
        ]
    };
    let on_columns = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_edit.emit((RoleField::Columns, area.value()));
        })
    };
    let invalid = invalid_fields(props.result.as_deref());
    // What an invalid field is described by: the refusal and its findings.
    let errors_id = use_unique_id("role-errors");
    // Each hinted field's hint, by the field's spec key.
    let hint_id = use_unique_id("role-hint");
    let hint_of = |field: RoleField| format!("{hint_id}-{}", field.spec_key());
    // After a build the spec refused, the first field it names gets the focus, so a keyboard
    // or screen-reader user lands where the fix goes.
    let form_ref = use_node_ref();
    {
        let form_ref = form_ref.clone();
        use_effect_with(props.result.clone(), move |result| {
            if result.as_ref().is_some_and(|r| r.scripts.is_none()) {
                focus_first_invalid(&form_ref);
            }
        });
    }
    let on_submit = {
        let on_generate = props.on_generate.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_generate.emit(());
        })
    };
    html! {
        <section class="pgp-role" aria-label="Role builder">
            <Heading class="pgp-section-title">{ "Least-privilege role script" }</Heading>
            <form class="pgp-role-form" onsubmit={on_submit} ref={form_ref}>
                { select(props, &errors_id, RoleField::Dialect, &[("postgres", "PostgreSQL"), ("mysql", "MySQL / MariaDB")]) }
                { select(props, &errors_id, RoleField::ServerVersion, versions) }
                { text_input(props, &errors_id, RoleField::Database, "appdb") }
                { text_input(props, &errors_id, RoleField::Role, "ai_reader") }
                { select(props, &errors_id, RoleField::Access, &[("read-only", "Read-only"), ("read-write", "Read-write")]) }
                { text_input(props, &errors_id, RoleField::Schemas, "app, reporting") }
                { text_input(props, &errors_id, RoleField::Tables, "app.orders") }
                <label class="pgp-role-field pgp-role-wide">
                    <span class="pgp-label-text">{ RoleField::Columns.label(postgres) }</span>
                    <textarea class="pgp-input" rows="2" value={props.form.columns.clone()} oninput={on_columns}
                        placeholder="app.users: id, email" spellcheck="false" autocomplete="off"
                        aria-invalid={invalid.contains(&RoleField::Columns).then_some("true")}
                        aria-describedby={invalid.contains(&RoleField::Columns).then(|| errors_id.to_string())} />
                </label>
                if postgres {
                    { text_input(props, &errors_id, RoleField::OwnerRole, "app_owner") }
                }
                { select(props, &errors_id, RoleField::Auth, &[("scram", "Password (SCRAM-SHA-256)"), ("cert", "Client certificate"), ("scram+cert", "Password and certificate")]) }
                { hinted_input(props, (&errors_id, &hint_of(RoleField::ConnectionLimit)), RoleField::ConnectionLimit, "5") }
                { hinted_input(props, (&errors_id, &hint_of(RoleField::StatementTimeout)), RoleField::StatementTimeout, "30s") }
                { hinted_input(props, (&errors_id, &hint_of(RoleField::ValidUntil)), RoleField::ValidUntil, "YYYY-MM-DD") }
                { text_input(props, &errors_id, RoleField::ClientCidrs, "203.0.113.0/24") }
                <div class="pgp-role-submit">
                    <button type="submit" class="pgp-button pgp-primary">{ "Build the role script" }</button>
                    if let Some(link) = &props.share_link {
                        <TextActions text={link.clone()} what="role settings only, no secrets"
                            label={Some(AttrValue::from("Copy a link to these settings"))} />
                    }
                </div>
            </form>
            if let Some(result) = &props.result {
                { output(result, &props.form, &errors_id, &props.on_dismiss_password) }
            }
        </section>
    }
}

fn focus_first_invalid(form: &NodeRef) {
    let field = form
        .cast::<web_sys::Element>()
        .and_then(|form| form.query_selector("[aria-invalid=true]").ok().flatten())
        .and_then(|field| field.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
    }
}

/// The form's fields the spec's errors are about: each carries its spec key
/// (`Diagnostic::spec_key`).
fn invalid_fields(result: Option<&Generated>) -> Vec<RoleField> {
    let mut fields = Vec::new();
    let errors = result
        .into_iter()
        .flat_map(|r| r.diagnostics.iter())
        .filter(|d| d.is_error());
    for key in errors.filter_map(|d| d.spec_key) {
        let field = RoleField::ALL.into_iter().find(|f| f.spec_key() == key);
        if let Some(field) = field.filter(|f| !fields.contains(f)) {
            fields.push(field);
        }
    }
    fields
}

/// The fields whose spec key a message may name. The core quotes keys and the user's values
/// alike (`` `statementTimeout` is `role` ``): a key that is also one of the form's values is
/// left as written, so a value is never reworded into a label.
fn nameable_fields(form: &RoleForm) -> Vec<RoleField> {
    let values: Vec<&str> = RoleField::ALL
        .iter()
        .flat_map(|&field| form.get(field).split([',', ':', '\n']))
        .map(str::trim)
        .collect();
    RoleField::ALL
        .into_iter()
        .filter(|field| !values.contains(&field.spec_key()))
        .collect()
}

/// The core words its messages for the role spec's JSON (`ownerRole`); the page shows them in
/// the words of its form ("Owner role").
fn in_form_terms(diagnostic: &Diagnostic, postgres: bool, nameable: &[RoleField]) -> Diagnostic {
    let reword = |text: &str| {
        let worded = nameable.iter().fold(text.to_string(), |text, field| {
            text.replace(
                &format!("`{}`", field.spec_key()),
                &format!("“{}”", field.label(postgres)),
            )
        });
        json_lists_as_typed(&worded)
    };
    let mut shown = diagnostic.clone();
    shown.detail = reword(&diagnostic.detail);
    if let Some(fix) = shown.fix.as_mut() {
        fix.title = reword(&fix.title);
    }
    shown
}

/// The core's examples are JSON (`` `["203.0.113.0/24"]` ``); the form takes lists as
/// comma-separated text, so an example list is shown as one would type it.
fn json_lists_as_typed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("`[") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let list = from
            .get(1..)
            .and_then(|inner| inner.find("]`").map(|end| (inner, end)))
            .and_then(|(inner, end)| {
                let json = inner.get(..=end)?;
                let items: Vec<String> = serde_json::from_str(json).ok()?;
                Some((items.join(", "), end + 3))
            });
        match list {
            Some((typed, consumed)) => {
                out.push('`');
                out.push_str(&typed);
                out.push('`');
                rest = from.get(consumed..).unwrap_or_default();
            }
            None => {
                out.push_str("`[");
                rest = from.get(2..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

fn output(result: &Generated, form: &RoleForm, errors_id: &str, on_dismiss: &Callback<()>) -> Html {
    let postgres = form.dialect == "postgres";
    let nameable = nameable_fields(form);
    let diagnostics = Rc::new(
        result
            .diagnostics
            .iter()
            .map(|d| in_form_terms(d, postgres, &nameable))
            .collect::<Vec<_>>(),
    );
    let Some(scripts) = &result.scripts else {
        return html! {
            <div class="pgp-role-output" data-ok="false" id={errors_id.to_string()}>
                <p class="pgp-role-refused">{ "No script: the spec cannot be honoured exactly. Fix these first:" }</p>
                <Findings diagnostics={diagnostics} />
            </div>
        };
    };
    let file_base = "role";
    let mut blocks: Vec<(&str, &str, String, String)> = vec![(
        "sql",
        "SQL script",
        scripts.sql.clone(),
        format!("{file_base}.sql"),
    )];
    if let Some(hba) = &scripts.hba {
        blocks.push((
            "hba",
            "pg_hba.conf lines",
            hba.clone(),
            "pg_hba.conf.lines".into(),
        ));
    }
    if let Some(conf) = &scripts.server_conf {
        blocks.push((
            "conf",
            "postgresql.conf settings",
            conf.clone(),
            "postgresql.conf.lines".into(),
        ));
    }
    blocks.push((
        "verify",
        "verification script",
        scripts.verify.clone(),
        "verify.sql".into(),
    ));
    blocks.push((
        "rotate",
        "rotation script",
        scripts.rotate.clone(),
        "rotate.sql".into(),
    ));
    blocks.push((
        "teardown",
        "teardown script",
        scripts.teardown.clone(),
        "teardown.sql".into(),
    ));
    let dismiss = on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="pgp-role-output" data-ok="true">
            if let Some(password) = &scripts.generated_password {
                // Only the sentence is announced: a status region holding the password would
                // have a screen reader read the password aloud.
                <div class="pgp-password">
                    <p role="status"><strong>{ "Generated password — shown once, stored nowhere." }</strong>
                       { " Put it in your secret store now; the script only holds its SCRAM verifier." }</p>
                    <code class="pgp-password-value">{ password.as_str().to_string() }</code>
                    <TextActions text={AttrValue::from(password.as_str().to_string())} what="generated password" />
                    <button type="button" class="pgp-button" onclick={dismiss}>{ "I have saved it — hide" }</button>
                </div>
            }
            if !result.diagnostics.is_empty() {
                <Findings diagnostics={diagnostics} />
            }
            if !scripts.notes.is_empty() {
                <ul class="pgp-notes">
                    { for scripts.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
                </ul>
            }
            { for blocks.into_iter().map(|(id, what, text, filename)| html! {
                <details class="pgp-script" data-script={id} open={id == "sql" || id == "hba"}>
                    <summary>{ what.to_string() }</summary>
                    <TextActions text={AttrValue::from(text.clone())} what={what.to_string()} filename={Some(AttrValue::from(filename))} />
                    { code_block(what.to_string(), text, None) }
                </details>
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use crate::state::tests::generated;
    use crate::state::{Action, State};
    use pg_preflight_core::Date;

    fn refused(edits: &[(RoleField, &str)]) -> (Generated, RoleForm) {
        let mut state = State::default();
        for &(field, value) in edits {
            state = state.apply(Action::EditRole(field, value.into()));
        }
        let built = generated(state.apply(Action::GenerateRole {
            today: Date {
                year: 2026,
                month: 11,
                day: 22,
            },
        }));
        let result = built.role_result.clone().unwrap();
        assert!(result.scripts.is_none(), "{:#?}", result.diagnostics);
        ((*result).clone(), built.role)
    }

    #[test]
    fn errors_name_the_form_fields_and_mark_them() {
        let (result, form) = refused(&[
            (RoleField::Database, "appdb"),
            (RoleField::Role, "ai_reader"),
            (RoleField::OwnerRole, "ai_reader"),
        ]);
        assert_eq!(invalid_fields(Some(&result)), vec![RoleField::OwnerRole]);
        let shown: Vec<String> = result
            .diagnostics
            .iter()
            .map(|d| in_form_terms(d, true, &nameable_fields(&form)).detail)
            .collect();
        assert!(
            shown
                .iter()
                .any(|d| d.starts_with("“Owner role (creates the tables)” is `ai_reader`")),
            "{shown:#?}"
        );
    }

    #[test]
    fn json_list_examples_read_as_typed_in_the_form() {
        assert_eq!(
            json_lists_as_typed(r#"List them in “Client networks”, e.g. `["203.0.113.0/24"]`"#),
            "List them in “Client networks”, e.g. `203.0.113.0/24`"
        );
        assert_eq!(
            json_lists_as_typed(r#"`["a", "b"]` and `[not json]` and `[` alone"#),
            "`a, b` and `[not json]` and `[` alone"
        );
    }

    /// The core quotes the user's values as it quotes keys: a value that happens to be a key
    /// (a statement timeout typed as `role`) stays as written and marks no other field.
    #[test]
    fn a_value_that_looks_like_a_key_is_not_reworded() {
        let (result, form) = refused(&[
            (RoleField::Database, "appdb"),
            (RoleField::Role, "ai_reader"),
            (RoleField::OwnerRole, "app_owner"),
            (RoleField::StatementTimeout, "role"),
        ]);
        assert!(!nameable_fields(&form).contains(&RoleField::Role));
        let invalid = invalid_fields(Some(&result));
        assert!(
            invalid.contains(&RoleField::StatementTimeout),
            "{invalid:?}"
        );
        assert!(!invalid.contains(&RoleField::Role), "{invalid:?}");
        let detail = result
            .diagnostics
            .iter()
            .map(|d| in_form_terms(d, true, &nameable_fields(&form)).detail)
            .find(|d| d.contains("Statement timeout"))
            .unwrap();
        assert!(
            detail.contains("`role`") && !detail.contains("Role name"),
            "{detail}"
        );
    }
}
