//! The findings, grouped by severity, each with its code, title, detail, fix and documentation.

use super::rich_text;
use crate::state::{group_by_severity, severity_heading};
use pg_preflight_core::conninfo::Analysis;
use pg_preflight_core::registry;
use pg_preflight_core::{Diagnostic, Fix, Severity};
use std::rc::Rc;
use yew::prelude::*;

/// Where `docs/rules.md` is published; a diagnostic's `doc` is a path below this.
const DOCS_BASE: &str = "https://github.com/pg-preflight/pg-preflight/blob/main/";

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct FindingsProps {
    pub analysis: Rc<Analysis>,
}

#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    let groups = group_by_severity(&props.analysis.diagnostics);
    if groups.is_empty() {
        return html! { <p class="pgp-none">{ "No findings." }</p> };
    }
    html! {
        <div class="pgp-findings">
            { for groups.into_iter().map(|(severity, items)| group(severity, &items)) }
        </div>
    }
}

fn group(severity: Severity, items: &[&Diagnostic]) -> Html {
    html! {
        <section class={classes!("pgp-group", format!("pgp-group-{}", severity.as_str()))}>
            <h3 class="pgp-group-title">
                { severity_heading(severity) }
                <span class="pgp-count">{ items.len() }</span>
            </h3>
            <ul class="pgp-list">
                { for items.iter().map(|d| finding(d)) }
            </ul>
        </section>
    }
}

fn finding(diagnostic: &Diagnostic) -> Html {
    let severity = diagnostic.severity.as_str();
    html! {
        <li class={classes!("pgp-finding", format!("pgp-finding-{severity}"))}
            data-code={diagnostic.code}>
            <p class="pgp-finding-head">
                <span class={classes!("pgp-badge", format!("pgp-badge-{severity}"))}>{ severity }</span>
                <code class="pgp-code">{ diagnostic.code }</code>
                <span class="pgp-title">{ diagnostic.title }</span>
            </p>
            <p class="pgp-detail">{ rich_text(&diagnostic.detail) }</p>
            if let Some(fix) = &diagnostic.fix {
                { fix_view(fix) }
            }
            { explanation(diagnostic) }
        </li>
    }
}

fn fix_view(fix: &Fix) -> Html {
    html! {
        <div class="pgp-fix">
            <p class="pgp-fix-title"><strong>{ "Fix: " }</strong>{ rich_text(&fix.title) }</p>
            if let Some(replacement) = &fix.replacement {
                <pre class="pgp-replacement"><code>{ replacement.clone() }</code></pre>
            }
        </div>
    }
}

/// The rule's explanation from the registry, folded away, and a link to its documentation.
fn explanation(diagnostic: &Diagnostic) -> Html {
    let text = registry::find(diagnostic.code).map(|rule| rule.explanation.trim());
    let href = format!("{DOCS_BASE}{}", diagnostic.doc);
    html! {
        <details class="pgp-why">
            <summary>{ "Why it matters" }</summary>
            { for text.into_iter().flat_map(|t| t.split("\n\n")).map(|paragraph| html! {
                <p>{ rich_text(paragraph) }</p>
            }) }
            <p><a href={href} target="_blank" rel="noopener noreferrer">
                { format!("{} in the rules reference", diagnostic.code) }
            </a></p>
        </details>
    }
}
