//! The findings, grouped by severity, each with its code, title, detail, fix and documentation.

use super::{rich_text, Heading};
use crate::state::{group_by_severity, severity_heading};
use pg_preflight_core::is_hardening;
use pg_preflight_core::registry;
use pg_preflight_core::Shown;
use pg_preflight_core::{Diagnostic, Fix, Severity};
use pg_preflight_core::{OTHER_SECRETS_LEFT_OUT, SECRETS_LEFT_OUT};
use std::rc::Rc;
use yew::prelude::*;

/// Where `docs/rules.md` is published; a diagnostic's `doc` is a path below this.
const DOCS_BASE: &str = "https://github.com/pg-preflight/pg-preflight/blob/main/";

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct FindingsProps {
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// The connection string with its secrets masked (same byte offsets), to show where a
    /// finding's span is.
    #[prop_or_default]
    pub masked_input: Option<Rc<Shown>>,
    /// Applies a fix whose replacement is a whole connection string.
    #[prop_or_default]
    pub on_apply_fix: Option<Callback<Fix>>,
}

#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    let groups = group_by_severity(&props.diagnostics);
    if groups.is_empty() {
        return html! { <p class="pgp-none">{ "No findings." }</p> };
    }
    html! {
        <div class="pgp-findings">
            { for groups.into_iter().map(|(severity, items)| group(severity, &items, props)) }
        </div>
    }
}

fn group(severity: Severity, items: &[&Diagnostic], props: &FindingsProps) -> Html {
    html! {
        <section class={classes!("pgp-group", format!("pgp-group-{}", severity.as_str()))}>
            <Heading depth={1} class="pgp-group-title">
                { severity_heading(severity) }
                <span class="pgp-count">{ items.len() }</span>
            </Heading>
            <ul class="pgp-list">
                { for items.iter().filter(|d| !is_hardening(d.code)).map(|d| finding(d, props)) }
                { hardening(items, props) }
            </ul>
        </section>
    }
}

/// The generic hardening advice (timeouts, application name) as one entry whose parts open
/// on demand; each part is the usual finding with its fix.
fn hardening(items: &[&Diagnostic], props: &FindingsProps) -> Html {
    let parts: Vec<&&Diagnostic> = items.iter().filter(|d| is_hardening(d.code)).collect();
    if parts.is_empty() {
        return Html::default();
    }
    let names: Vec<&str> = parts.iter().map(|d| d.title).collect();
    html! {
        <li class="pgp-finding-group pgp-finding-hardening">
            <details class="pgp-hardening">
                <summary>
                    <strong>{ "Hardening" }</strong>
                    { format!(" — {} suggestions: {}", parts.len(), names.join("; ")) }
                </summary>
                <ul class="pgp-list">
                    { for parts.iter().map(|d| finding(d, props)) }
                </ul>
            </details>
        </li>
    }
}

fn finding(diagnostic: &Diagnostic, props: &FindingsProps) -> Html {
    let severity = diagnostic.severity.as_str();
    // Only fixes of the connection string itself can be applied to it.
    let apply = apply_callback(
        props
            .on_apply_fix
            .as_ref()
            .filter(|_| diagnostic.source.is_none()),
        diagnostic.fix.clone().filter(|f| f.replacement.is_some()),
    );
    html! {
        // Focusable by script only: an explained error's "confirmed by" link moves here.
        <li class={classes!("pgp-finding", format!("pgp-finding-{severity}"))}
            data-code={diagnostic.code} tabindex="-1">
            { finding_head(diagnostic) }
            { for input_named(diagnostic) }
            <p class="pgp-detail">{ rich_text(&diagnostic.detail) }</p>
            if let Some(fix) = &diagnostic.fix {
                { fix_view(diagnostic.code, fix, apply, Html::default()) }
            }
            { explanation(diagnostic, excerpt(diagnostic, props.masked_input.as_deref())) }
        </li>
    }
}

/// A finding's first line: its severity, code and title.
pub(super) fn finding_head(diagnostic: &Diagnostic) -> Html {
    let severity = diagnostic.severity.as_str();
    html! {
        <p class="pgp-finding-head">
            <span class={classes!("pgp-badge", format!("pgp-badge-{severity}"))}>{ severity }</span>
            <code class="pgp-code">{ diagnostic.code }</code>
            <span class="pgp-title">{ diagnostic.title }</span>
        </p>
    }
}

/// The "Apply this fix" callback for `fix`, when the page can apply fixes and there is one:
/// it applies the fix and moves the focus to the rewritten connection string.
pub(super) fn apply_callback(
    on_apply: Option<&Callback<Fix>>,
    fix: Option<Fix>,
) -> Option<Callback<MouseEvent>> {
    on_apply.zip(fix).map(|(on_apply, fix)| {
        let on_apply = on_apply.clone();
        Callback::from(move |event: MouseEvent| {
            on_apply.emit(fix.clone());
            focus_connection_string(&event);
        })
    })
}

/// The applied fix's button goes away with its finding, and keyboard focus would fall back to
/// the top of the document: it moves to the connection string the fix has just rewritten.
fn focus_connection_string(event: &MouseEvent) {
    if let Some(input) = super::in_same_checker(event, "textarea.pgp-input") {
        let _ = input.focus();
    }
}

/// A fix title in the page's terms: the core says a replacement leaves the secrets out for
/// whoever copies it, but applying it here puts the user's own back.
fn in_page_terms(fix: &Fix, applicable: bool) -> String {
    if !applicable {
        return fix.title.clone();
    }
    // The longer note first: it contains the shorter one.
    fix.title
        .replace(
            OTHER_SECRETS_LEFT_OUT,
            "shown without secrets; applying it keeps your other ones",
        )
        .replace(
            SECRETS_LEFT_OUT,
            "shown without secrets; applying it keeps yours",
        )
}

/// A fix: its title, its replacement or code, and "Apply this fix" when it applies to the
/// string here; `more` (the errors panel's copy button) goes beside that button.
pub(super) fn fix_view(
    code: &str,
    fix: &Fix,
    apply: Option<Callback<MouseEvent>>,
    more: Html,
) -> Html {
    html! {
        <div class="pgp-fix">
            <p class="pgp-fix-title"><strong>{ "Fix: " }</strong>{ rich_text(&in_page_terms(fix, apply.is_some())) }</p>
            if let Some(replacement) = &fix.replacement {
                <pre class="pgp-replacement"><code>{ replacement.clone() }</code></pre>
            }
            if let Some(code) = &fix.code {
                <pre class="pgp-replacement pgp-code-fix" data-language={code.language}><code>{ code.text.clone() }</code></pre>
            }
            if let Some(onclick) = apply {
                // Several findings have this button: the code, read but not shown, tells a
                // screen-reader user which one this is.
                <button type="button" class="pgp-button pgp-apply-fix" {onclick}>
                    { "Apply this fix" }
                    <span class="pgp-visually-hidden">{ format!(" for {code}") }</span>
                </button>
            }
            { more }
        </div>
    }
}

/// Which certificate input the finding is about (one short line, always shown), both of them
/// for a mismatch between two.
fn input_named(diagnostic: &Diagnostic) -> Option<Html> {
    let field = diagnostic.source?.describe();
    let line = match diagnostic.counterpart {
        Some(other) => format!("In the {field} and the {}", other.describe()),
        None => format!("In the {field}"),
    };
    Some(html! { <p class="pgp-where">{ line }</p> })
}

/// Where in the connection string the finding is: its span marked in the masked input.
fn excerpt(diagnostic: &Diagnostic, masked: Option<&Shown>) -> Option<Html> {
    if diagnostic.source.is_some() {
        return None;
    }
    let (Some(span), Some(shown)) = (diagnostic.span, masked) else {
        return None;
    };
    let span = shown.span(span);
    let text = shown.text.as_str();
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let (Some(before), Some(marked), Some(after)) =
        (text.get(..start), text.get(start..end), text.get(end..))
    else {
        return None;
    };
    Some(html! {
        <pre class="pgp-where-input" aria-label="Where in the connection string">
            <code>{ before.to_string() }<mark>{ if marked.is_empty() { "⁁".to_string() } else { marked.to_string() } }</mark>{ after.to_string() }</code>
        </pre>
    })
}

/// Where the finding is and the rule's explanation from the registry, folded away (a finding
/// is compact: its title, one line, the fix), and a link to its documentation.
fn explanation(diagnostic: &Diagnostic, location: Option<Html>) -> Html {
    let text = registry::find(diagnostic.code).map(|rule| rule.explanation.trim());
    let href = format!("{DOCS_BASE}{}", diagnostic.doc);
    let summary = if location.is_some() {
        "Where, and why it matters"
    } else {
        "Why it matters"
    };
    html! {
        <details class="pgp-why">
            <summary>{ summary }</summary>
            { for location }
            { for text.into_iter().flat_map(|t| t.split("\n\n")).map(|paragraph| html! {
                <p>{ rich_text(paragraph) }</p>
            }) }
            <p><a href={href} target="_blank" rel="noopener noreferrer">
                { format!("{} in the rules reference", diagnostic.code) }
            </a></p>
        </details>
    }
}
