//! Secure connection snippets for the checked configuration (psql, psycopg, asyncpg,
//! node-postgres, JDBC, pgx, Prisma, SQLAlchemy): the core writes them, with the password as an
//! environment-variable placeholder; this shows them with a copy button each.

use super::actions::{code_block, TextActions};
use super::Heading;
use pg_preflight_core::Analysis;
use pg_preflight_core::{snippets, SnippetInput};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct SnippetsProps {
    pub analysis: Rc<Analysis>,
    /// A client certificate is part of the configuration.
    pub client_certificate: bool,
}

#[function_component(Snippets)]
pub fn snippets_view(props: &SnippetsProps) -> Html {
    let list = snippets(&SnippetInput {
        analysis: &props.analysis,
        ca_path: None,
        client_cert_path: None,
        client_key_path: None,
        client_certificate: props.client_certificate,
    });
    if list.is_empty() {
        return Html::default();
    }
    html! {
        <section class="pgp-snippets" aria-label="Connection snippets">
            <Heading class="pgp-section-title">{ "Secure connection snippets" }</Heading>
            <p class="pgp-note">{ "Fully verified versions of this connection for each client. The password is read from the PGPASSWORD environment variable, never written here." }</p>
            { for list.into_iter().map(|snippet| html! {
                <details class="pgp-snippet" data-client={snippet.client}>
                    <summary>{ snippet.label }</summary>
                    <TextActions text={AttrValue::from(snippet.code.clone())} what={format!("{} snippet", snippet.label)} />
                    { code_block(format!("{} snippet", snippet.label), snippet.code, None) }
                    if !snippet.notes.is_empty() {
                        <ul class="pgp-notes">
                            { for snippet.notes.into_iter().map(|n| html! { <li>{ n }</li> }) }
                        </ul>
                    }
                </details>
            }) }
        </section>
    }
}
