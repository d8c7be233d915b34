//! "Paste the error you got": the box for a client's error message and its explanation (the
//! failure, its causes most likely first, the inputs that would decide, the fix in the
//! string's own dialect). The explaining is done by the core in the errors panel's module; this only
//! shows what came back, and links each cause to the input of the page that holds it, and to
//! the findings that confirm it ("Confirmed by PGP-PROV-008"). When no message is recognised
//! and a string was given, the report's `stringErrors` (that string's error-level findings,
//! masked by the core) are listed as the string's own errors, which may be the cause.

use super::findings::{apply_callback, finding_head, fix_view};
use super::{in_same_checker, is_whole_text, rich_text, Heading, TextActions, TextEdit};
use crate::state::{
    page_fix_for, place_label, place_label_for, CauseView, ErrorMark, ErrorView, ExplainedFailure,
    KNOWN_CLIENTS,
};
use pg_preflight_core::registry;
use pg_preflight_core::{Diagnostic, Field, Fix};
use pg_preflight_core::{MAX_ERROR_LINE_BYTES, MAX_ERROR_TEXT_BYTES};
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// An example of what to paste (libpq's own words for a CA that does not sign the chain).
const PLACEHOLDER: &str = "psql: error: connection to server at \"db.example.com\" (10.0.0.5), \
port 5432 failed: SSL error: certificate verify failed";

/// How many causes show before the rest fold away.
const CAUSES_SHOWN: usize = 3;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ErrorExplainProps {
    pub value: String,
    pub on_input: Callback<TextEdit>,
    /// The last explanation, if any (shown dimmed while a newer one is written).
    pub view: Option<Rc<ErrorView>>,
    pub pending: bool,
    /// The explanation could not run, in words.
    pub error: Option<String>,
    /// The certificate and key inputs are on the page (a cause in them links to them).
    pub material_shown: bool,
    /// The page's own findings (a cause confirmed by one links to it; a string error whose
    /// fix the page holds can be applied).
    #[prop_or_default]
    pub findings: Rc<Vec<Diagnostic>>,
    /// Applies a fix to the connection string (the findings list's "Apply this fix").
    #[prop_or_default]
    pub on_apply_fix: Option<Callback<Fix>>,
}

#[function_component(ErrorExplain)]
pub fn error_explain(props: &ErrorExplainProps) -> Html {
    let oninput = props.on_input.reform(|e: InputEvent| TextEdit {
        whole: is_whole_text(&e),
        text: e.target_unchecked_into::<HtmlTextAreaElement>().value(),
    });
    let blank = props.value.trim().is_empty();
    // The one status line of the panel: present while empty, so its first text is announced.
    let status = match (&props.view, props.pending, blank) {
        (_, _, true) => String::new(),
        (None, true, false) => "Checking…".to_string(),
        (Some(view), false, false) if view.explanations.is_empty() => {
            let mut status = format!(
                "No error message pg-preflight knows was found in this text. It knows the \
                 messages of {KNOWN_CLIENTS}: paste the client's error as it printed it."
            );
            match view.string_errors.len() {
                0 => {}
                1 => status.push_str(
                    " Your connection string has an error of its own, listed below, which may \
                     be the cause.",
                ),
                n => status.push_str(&format!(
                    " Your connection string has {n} errors of its own, listed below, which may \
                     be the cause."
                )),
            }
            status
        }
        (Some(view), false, false) => {
            let titles: Vec<&str> = view.explanations.iter().map(|e| e.title.as_str()).collect();
            format!("Explained: {}.", titles.join("; "))
        }
        _ => String::new(),
    };
    let status_shown = !blank
        && props
            .view
            .as_ref()
            .is_none_or(|view| view.explanations.is_empty());
    html! {
        <section class="pgp-errors-panel" aria-label="Paste the error you got">
            <Heading class="pgp-section-title">{ "Paste the error you got" }</Heading>
            <p class="pgp-note">
                { "A line, a log or a traceback from psql, libpq, psycopg, pgjdbc, node-postgres, \
                   asyncpg, Npgsql or pgx, or the server's FATAL: it is explained against the \
                   inputs above. Passwords in it are masked; nothing is sent." }
            </p>
            <div class="pgp-field" data-field="error">
                <label class="pgp-label">
                    <span class="pgp-label-text">{ "Error message" }</span>
                    <textarea class="pgp-input pgp-error-input" rows="4" value={props.value.clone()}
                        {oninput} spellcheck="false" autocomplete="off" autocapitalize="off"
                        autocorrect="off" placeholder={PLACEHOLDER} />
                </label>
            </div>
            <div class={classes!("pgp-explained", (props.pending && props.view.is_some()).then_some("pgp-stale"))}
                 data-pending={(props.pending && !blank).to_string()}>
                <p role="status" class={classes!(
                    "pgp-explain-status",
                    if status_shown { "pgp-empty" } else { "pgp-visually-hidden" },
                    props.view.as_ref().is_some_and(|v| v.explanations.is_empty()).then_some("pgp-explain-none"),
                )}>{ status }</p>
                if let Some(message) = props.error.as_ref().filter(|_| !blank) {
                    <p class="pgp-error-text" role="alert">{ message.clone() }</p>
                }
                if props.view.as_ref().is_some_and(|v| v.truncated) && !blank {
                    <p class="pgp-note pgp-explain-truncated">
                        { format!("Only the first {} KiB of the text were read (and of a line, its                                    first {} KiB): paste the lines around the error.",
                                  MAX_ERROR_TEXT_BYTES / 1024, MAX_ERROR_LINE_BYTES / 1024) }
                    </p>
                }
                if let Some(view) = props.view.as_ref().filter(|_| !blank) {
                    { for view.explanations.iter().map(|e| explanation(e, props)) }
                    if view.explanations.is_empty() && !view.string_errors.is_empty() {
                        { string_errors(&view.string_errors, props) }
                    }
                }
            </div>
        </section>
    }
}

fn explanation(failure: &ExplainedFailure, props: &ErrorExplainProps) -> Html {
    let (shown, folded) = failure
        .causes
        .split_at(failure.causes.len().min(CAUSES_SHOWN));
    let evidence = match failure.evidence.as_str() {
        "reproduced" => "Seen written by the real client.",
        _ => "Read in the client's source.",
    };
    html! {
        <article class="pgp-explanation" data-failure={failure.failure.clone()}>
            <Heading depth={1} class="pgp-explanation-title">{ failure.title.clone() }</Heading>
            <p class="pgp-note">{ format!("{}'s message, line {}:", failure.client, failure.line) }</p>
            <pre class="pgp-where-input pgp-error-line"><code>{ failure.text.clone() }</code></pre>
            <ol class="pgp-causes">
                { for shown.iter().enumerate().map(|(i, c)| cause(i, c, &failure.client, props)) }
            </ol>
            if !folded.is_empty() {
                <details class="pgp-why pgp-more-causes">
                    <summary>{ format!("{} other possible causes", folded.len()) }</summary>
                    <ol class="pgp-causes" start={(CAUSES_SHOWN + 1).to_string()}>
                        { for folded.iter().enumerate().map(|(i, c)| cause(CAUSES_SHOWN + i, c, &failure.client, props)) }
                    </ol>
                </details>
            }
            if !failure.decide.is_empty() {
                <p class="pgp-decide">
                    <strong>{ "To tell these apart, give: " }</strong>
                    { failure.decide.iter().map(|f| input_name(f)).collect::<Vec<_>>().join(", ") }
                </p>
            }
            if let Some(fix) = &failure.fix {
                <div class="pgp-fix">
                    <p class="pgp-fix-title"><strong>{ "Fix: " }</strong>{ rich_text(&fix.title) }</p>
                    if let Some(replacement) = &fix.replacement {
                        <pre class="pgp-replacement"><code>{ replacement.clone() }</code></pre>
                        <TextActions text={AttrValue::from(replacement.clone())}
                            what="fixed connection string" />
                    }
                </div>
            }
            <details class="pgp-why">
                <summary>{ "Where this message comes from" }</summary>
                <p>{ rich_text(&failure.source) }</p>
                <p>{ evidence }</p>
            </details>
        </article>
    }
}

fn cause(index: usize, cause: &CauseView, client: &str, props: &ErrorExplainProps) -> Html {
    let (badge, badge_class) = if cause.confirmed {
        ("Confirmed by your inputs", "pgp-badge-error")
    } else {
        ("Possible", "pgp-badge-info")
    };
    let place = place_label_for(&cause.input, client);
    let on_page = cause
        .page_input()
        .filter(|input| *input == "dsn" || props.material_shown)
        .map(str::to_string);
    html! {
        <li class={classes!("pgp-cause", cause.confirmed.then_some("pgp-cause-confirmed"))}
            data-cause={cause.cause.clone()} data-input={cause.input.clone()}
            data-confirmed={cause.confirmed.to_string()}>
            <p class="pgp-finding-head">
                <span class={classes!("pgp-badge", badge_class)}>{ badge }</span>
                <span class="pgp-title">
                    { if index == 0 { "Most likely: in " } else { "In " } }{ place.clone() }
                </span>
            </p>
            <p class="pgp-detail">{ rich_text(&cause.detail) }</p>
            if !cause.codes.is_empty() {
                { confirmed_by(cause, &props.findings) }
            }
            if let Some(input) = on_page {
                { go_to(&input, &place) }
            }
        </li>
    }
}

/// The findings that showed a cause (the certificate review's, or the string's own review's:
/// PGP-PROV-008 for an IPv6-only host), each with its title, linked to it in the findings list
/// when that list shows it.
fn confirmed_by(cause: &CauseView, findings: &[Diagnostic]) -> Html {
    let lead = if cause.confirmed {
        "Confirmed by "
    } else {
        "See the finding "
    };
    let items = cause.codes.iter().enumerate().map(|(i, code)| {
        let title = registry::find(code).map(|rule| rule.title);
        let on_page = findings.iter().any(|d| d.code == code.as_str());
        html! {
            <>
                if i > 0 { { "; " } }
                if on_page {
                    { go_to_finding(code) }
                } else {
                    <code class="pgp-code">{ code.clone() }</code>
                }
                if let Some(title) = title {
                    { format!(" ({title})") }
                }
            </>
        }
    });
    html! {
        <p class="pgp-note pgp-confirmed-by" data-codes={cause.codes.join(" ")}>
            { lead }{ for items }{ "." }
        </p>
    }
}

/// A link to the finding `code` in the findings list: it opens what folds it away, scrolls
/// there and puts the focus on it.
fn go_to_finding(code: &str) -> Html {
    let selector = format!(".pgp-results .pgp-finding[data-code=\"{code}\"]");
    let onclick = Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        let Some(target) = in_same_checker(&event, &selector) else {
            return;
        };
        let mut fold = target.closest("details:not([open])").ok().flatten();
        while let Some(details) = fold {
            let _ = details.set_attribute("open", "");
            fold = details.closest("details:not([open])").ok().flatten();
        }
        target.scroll_into_view();
        let _ = target.focus();
    });
    html! {
        <a href="#" class="pgp-go-to-finding" {onclick}>
            <code class="pgp-code">{ code.to_string() }</code>
            <span class="pgp-visually-hidden">{ " (go to this finding)" }</span>
        </a>
    }
}

/// When no message was recognised: the string's own errors (the report's `stringErrors`),
/// each with its fix as the findings list shows it, applicable when the page holds that fix,
/// and its replacement to copy.
fn string_errors(errors: &[Diagnostic], props: &ErrorExplainProps) -> Html {
    html! {
        <section class="pgp-string-errors" aria-label="Errors in your connection string">
            <Heading depth={1} class="pgp-explanation-title">
                { "Errors in your connection string" }
            </Heading>
            <p class="pgp-string-errors-lead">
                { "The text was not recognised, but your connection string has these errors, \
                   which may be the cause (from the string's own check, not from the text):" }
            </p>
            <ul class="pgp-list">
                { for errors.iter().map(|d| string_error(d, props)) }
            </ul>
        </section>
    }
}

fn string_error(diagnostic: &Diagnostic, props: &ErrorExplainProps) -> Html {
    let severity = diagnostic.severity.as_str();
    let apply = apply_callback(
        props.on_apply_fix.as_ref(),
        page_fix_for(&props.findings, diagnostic).cloned(),
    );
    html! {
        <li class={classes!("pgp-finding", format!("pgp-finding-{severity}"))}
            data-code={diagnostic.code}>
            { finding_head(diagnostic) }
            <p class="pgp-detail">{ rich_text(&diagnostic.detail) }</p>
            if let Some(fix) = &diagnostic.fix {
                { fix_view(diagnostic.code, fix, apply, copy(diagnostic.code, fix)) }
            }
        </li>
    }
}

/// The copy button of a string error's replacement (the explanation's fix has one too).
fn copy(code: &str, fix: &Fix) -> Html {
    match &fix.replacement {
        Some(replacement) => html! {
            <TextActions text={AttrValue::from(replacement.clone())}
                what={AttrValue::from(format!("fixed connection string ({code})"))} />
        },
        None => Html::default(),
    }
}

/// A link to the input that holds the cause: it scrolls there and puts the focus in it.
fn go_to(input: &str, place: &str) -> Html {
    let selector = format!("[data-field=\"{input}\"] .pgp-input");
    let onclick = Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        if let Some(target) = in_same_checker(&event, &selector) {
            target.scroll_into_view();
            let _ = target.focus();
        }
    });
    html! {
        <p class="pgp-go-to">
            <a href="#" class="pgp-go-to-link" {onclick}>{ format!("Go to {place}") }</a>
        </p>
    }
}

/// An input's name, by its wire name (`ca` → "CA certificate (sslrootcert)").
fn input_name(source: &str) -> String {
    match Field::from_source(source) {
        Some(field) => field.label().to_string(),
        None => place_label(source),
    }
}

/// The note at an input that holds the most likely cause of a pasted error.
pub fn error_mark_note(mark: &ErrorMark, id: &str) -> Html {
    let lead = if mark.confirmed {
        "The error points here: "
    } else {
        "The error may point here: "
    };
    html! {
        <p class="pgp-error-mark" id={id.to_string()}>
            <span aria-hidden="true">{ "▲ " }</span><strong>{ lead }</strong>{ rich_text(&mark.text) }
        </p>
    }
}
