//! The banner over the findings: the overall outcome, and what the driver will really do about
//! TLS (encrypted? server verified? host name verified? plaintext fallback?).

use super::driver_label;
use super::{rich_text, Heading};
use crate::state::Outcome;
use pg_preflight_core::is_secret_keyword as is_secret;
use pg_preflight_core::Analysis;
use pg_preflight_core::{Diagnostic, Severity};
use pg_preflight_core::{Dialect, Tri, Verdict};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct VerdictBannerProps {
    pub outcome: Outcome,
    pub analysis: Option<Rc<Analysis>>,
    /// The single most important finding, named under the headline.
    #[prop_or_default]
    pub lead: Option<Diagnostic>,
}

#[function_component(VerdictBanner)]
pub fn verdict_banner(props: &VerdictBannerProps) -> Html {
    let outcome = props.outcome;
    html! {
        <section class={classes!("pgp-verdict", format!("pgp-verdict-{}", outcome.token()))}
                 data-outcome={outcome.token()}>
            <Heading class="pgp-headline">
                <span class="pgp-outcome-icon" aria-hidden="true">{ outcome.icon() }</span>
                { outcome.headline() }
            </Heading>
            if let Some(lead) = props.lead.as_ref().filter(|d| d.severity != Severity::Info) {
                <p class="pgp-lead">{ "Most important: " }<code>{ lead.code }</code>{ " " }{ lead.title }</p>
            }
            if let Some(analysis) = &props.analysis {
                <p class="pgp-dialect">{ read_as(analysis.dialect, analysis.detected) }</p>
                if let Some(verdict) = &analysis.verdict {
                    { tls_facts(verdict) }
                }
                { parsed(analysis) }
            }
        </section>
    }
}

fn read_as(dialect: Dialect, detected: bool) -> String {
    let how = if detected {
        ", detected from its shape"
    } else {
        ""
    };
    format!("Read as {}{how}.", driver_label(dialect))
}

fn tls_facts(verdict: &Verdict) -> Html {
    if verdict.local {
        return html! {
            <>
                <p class="pgp-summary">{ rich_text(&verdict.summary) }</p>
                <dl class="pgp-facts">
                    { fact("Connection", ("local socket: TLS does not apply", "good")) }
                </dl>
            </>
        };
    }
    html! {
        <>
            <p class="pgp-summary">{ rich_text(&verdict.summary) }</p>
            <dl class="pgp-facts">
                { fact("Encrypted", tri(verdict.encrypted, "only if the server offers it")) }
                { fact("Server verification enforced", tri(verdict.server_verified, "depends")) }
                { fact("Host name check enforced", tri(verdict.hostname_verified, "depends")) }
                { fact("Can fall back to plaintext", if verdict.plaintext_fallback {
                    ("yes", "bad")
                } else {
                    ("no", "good")
                }) }
            </dl>
        </>
    }
}

/// The word for a tri-state answer and whether it is good news.
fn tri(value: Tri, maybe: &'static str) -> (&'static str, &'static str) {
    match value {
        Tri::Yes => ("yes", "good"),
        Tri::No => ("no", "bad"),
        Tri::Maybe => (maybe, "bad"),
    }
}

fn fact(term: &'static str, (answer, tone): (&'static str, &'static str)) -> Html {
    html! {
        <div class={classes!("pgp-fact", format!("pgp-fact-{tone}"))}>
            <dt>{ term }</dt>
            <dd>{ answer }</dd>
        </div>
    }
}

/// What the driver parsed, with secrets masked: the page shows what it was given back to the
/// person who gave it, but a shoulder or a screenshot should not get the password.
fn parsed(analysis: &Analysis) -> Html {
    let Some(params) = &analysis.params else {
        return Html::default();
    };
    html! {
        <details class="pgp-parsed">
            <summary>{ "What the driver reads" }</summary>
            { params_table(params) }
            if let Some(equivalent) = &analysis.libpq_equivalent {
                <p class="pgp-equivalent-label">{ "Equivalent libpq string (secrets redacted):" }</p>
                <pre class="pgp-equivalent"><code>{ equivalent.clone() }</code></pre>
            }
        </details>
    }
}

fn params_table(params: &BTreeMap<String, String>) -> Html {
    if params.is_empty() {
        return html! { <p>{ "No parameters: every setting takes its default." }</p> };
    }
    html! {
        <table class="pgp-params">
            <thead><tr><th scope="col">{ "Keyword" }</th><th scope="col">{ "Value" }</th></tr></thead>
            <tbody>
                { for params.iter().map(|(keyword, value)| html! {
                    <tr>
                        <th scope="row"><code>{ keyword.clone() }</code></th>
                        <td><code>{ shown_value(keyword, value) }</code></td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn shown_value(keyword: &str, value: &str) -> String {
    if is_secret(keyword) && !value.is_empty() {
        "********".to_string()
    } else {
        value.to_string()
    }
}
