//! The root component: wires the model (`state/`) to the components, owns the debounce timer,
//! runs what the model waits for in the modules loaded when first needed (`deferred.rs`), and
//! is the one place
//! that reads the clock for the model.
//! The standalone page and every `<pg-preflight>` embed render this same component.

use crate::components::{
    in_same_checker, Certificates, ConnectionFields, ConnectionInput, DriverPicker, ErrorExplain,
    Findings, Heading, HeadingLevel, MaterialInput, RoleBuilder, RoleSummary, Snippets, Summary,
    TextEdit, VerdictBanner,
};
use crate::state::{
    findings_in_brief, verdict_in_brief, Action, MaterialField, Outcome, RoleForm, State,
    DEBOUNCE_MS,
};
use gloo_timers::callback::Timeout;
use pg_preflight_core::Date;
use pg_preflight_core::Dialect;
use pg_preflight_core::Field;
use pg_preflight_core::Fix;
use pg_preflight_core::Shown;
use pg_preflight_core::UnixTime;
use std::rc::Rc;
use yew::prelude::*;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// Which parts of the page to show. The standalone page shows all; an embed shows the
/// connection string alone unless its `panels` names more (issue 15: the other panels are
/// opt-in, so a docs page gets a checker a few hundred pixels high by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panels {
    pub certificates: bool,
    pub roles: bool,
    /// "Paste the error you got": a client's error message explained against the inputs.
    pub errors: bool,
    /// The secure snippets for eight clients, once the string parses.
    pub snippets: bool,
    /// The security summary, once something is checked.
    pub summary: bool,
}

impl Panels {
    /// Only the connection string, its fields and findings.
    pub const CONNECTION: Panels = Panels {
        certificates: false,
        roles: false,
        errors: false,
        snippets: false,
        summary: false,
    };

    /// The name of this choice's first render among the embed's prerendered shells, which
    /// pg-preflight-element.js looks up: `connection`, or the input panels shown, in the order
    /// `certificates`, `roles`, `errors`, comma-separated (snippets and the summary appear only
    /// once something is checked, so they never change a first render).
    pub fn shell_name(&self) -> &'static str {
        match (self.certificates, self.roles, self.errors) {
            (false, false, false) => "connection",
            (true, false, false) => "certificates",
            (false, true, false) => "roles",
            (true, true, false) => "certificates,roles",
            (false, false, true) => "errors",
            (true, false, true) => "certificates,errors",
            (false, true, true) => "roles,errors",
            (true, true, true) => "certificates,roles,errors",
        }
    }

    /// Every choice that gives a different first render (one per [`Panels::shell_name`]).
    pub fn shell_choices() -> Vec<Panels> {
        let mut choices = Vec::new();
        for errors in [false, true] {
            for roles in [false, true] {
                for certificates in [false, true] {
                    choices.push(Panels {
                        certificates,
                        roles,
                        errors,
                        ..Panels::CONNECTION
                    });
                }
            }
        }
        choices
    }
}

impl Panels {
    /// Everything: the standalone page, and an embed's `panels="all"`.
    pub const ALL: Panels = Panels {
        certificates: true,
        roles: true,
        errors: true,
        snippets: true,
        summary: true,
    };
}

impl Default for Panels {
    /// The standalone page's choice, which `AppProps` starts from; `mount` starts from
    /// [`Panels::CONNECTION`] instead.
    fn default() -> Panels {
        Panels::ALL
    }
}

/// What the page starts with; the embed fills these from `mount`'s options.
#[derive(Debug, Clone, PartialEq, Default, Properties)]
pub struct AppProps {
    #[prop_or_default]
    pub initial_input: String,
    #[prop_or_default]
    pub initial_driver: Option<Dialect>,
    #[prop_or_default]
    pub panels: Panels,
    /// The standalone page owns its address, so its role builder reads settings from the
    /// fragment and offers a link carrying them; an embed leaves the host page's address alone.
    #[prop_or_default]
    pub owns_location: bool,
    /// The level of the checker's section headings (an embed sits under its host's own).
    #[prop_or_default]
    pub heading_level: HeadingLevel,
    /// The findings start folded under their one-line summary (a compact docs embed).
    #[prop_or_default]
    pub findings_collapsed: bool,
}

/// Seconds since the epoch: the page may read the clock, the core may not. The build-time
/// renderer (native, `ssr`) has no browser clock, and its HTML shows no date.
fn now() -> UnixTime {
    if cfg!(target_arch = "wasm32") {
        UnixTime::from_seconds((js_sys::Date::now() / 1000.0) as i64)
    } else {
        UnixTime::default()
    }
}

/// The standalone page's properties: `start()` takes over the HTML that `src/bin/prerender.rs`
/// rendered with these same ones at build time.
pub fn page_props() -> AppProps {
    AppProps {
        owns_location: true,
        ..AppProps::default()
    }
}

fn location_hash() -> Option<String> {
    web_sys::window()?.location().hash().ok()
}

/// This page's address with the role settings as the fragment.
fn share_link(form: &RoleForm) -> Option<String> {
    let fragment = form.to_fragment();
    if fragment.is_empty() {
        return None;
    }
    let location = web_sys::window()?.location();
    let base = format!(
        "{}{}{}",
        location.origin().ok()?,
        location.pathname().ok()?,
        location.search().ok()?
    );
    Some(format!("{base}#{fragment}"))
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = {
        let props = props.clone();
        use_reducer(move || {
            let mut state = State::new(props.initial_input, props.initial_driver);
            state.now = now();
            state
        })
    };
    use_debounced_analysis(&state);
    use_material_review(&state);
    use_role_generation(&state);
    use_debounced_explanation(&state);
    use_error_explanation(&state);
    use_shared_role_settings(&state, props.owns_location);

    let on_input = dispatch_with(&state, |edit: TextEdit| match edit.whole {
        true => Action::Paste {
            text: edit.text,
            now: now(),
        },
        false => Action::Edit(edit.text),
    });
    let on_driver = dispatch_with(&state, Action::ChooseDriver);
    let on_clear = dispatch_with(&state, |()| Action::Clear);
    let on_clear_all = {
        let dispatcher = state.dispatcher();
        let unsaved_password = state.has_unsaved_password();
        Callback::from(move |_: MouseEvent| {
            // The generated password is shown once and kept nowhere: clearing before it is
            // saved loses it, so that one case asks first.
            if unsaved_password && !confirmed(UNSAVED_PASSWORD_QUESTION) {
                return;
            }
            dispatcher.dispatch(Action::ClearAll);
        })
    };
    let on_param = dispatch_with(&state, |(keyword, value): (&'static str, String)| {
        Action::EditParam { keyword, value }
    });
    let on_material = dispatch_with(
        &state,
        |(field, edit): (MaterialField, TextEdit)| match edit.whole {
            true => Action::PasteMaterial {
                field,
                text: edit.text,
                now: now(),
            },
            false => Action::EditMaterial(field, edit.text),
        },
    );
    let on_fix = dispatch_with(&state, Action::ApplyFix);
    let on_error_text = dispatch_with(&state, |edit: TextEdit| match edit.whole {
        true => Action::PasteErrorText {
            text: edit.text,
            now: now(),
        },
        false => Action::EditErrorText(edit.text),
    });
    let on_role = dispatch_with(&state, |(field, value)| Action::EditRole(field, value));
    let on_dismiss = dispatch_with(&state, |()| Action::DismissPassword);
    let on_generate = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| {
            dispatcher.dispatch(Action::GenerateRole {
                today: Date::from_unix(now()),
            })
        })
    };
    let detected = state
        .analysis
        .as_ref()
        .filter(|a| a.detected)
        .map(|a| a.dialect);
    let captions = |field: MaterialField| {
        state.report.as_ref().and_then(|r| {
            r.inputs
                .iter()
                .find(|i| i.field.source() == field.source())
                .map(|i| i.summary.clone())
        })
    };

    // Two columns when the checker is wide (pg-preflight.css, a container query, so an embed
    // in a wide docs page gets them too): the inputs and the role builder, and beside them the
    // verdict and findings kept in view while typing, down to the snippets and the summary at
    // the end of the left side. One column (a phone) keeps this order: the findings right
    // under what they are about.
    html! {
      <ContextProvider<HeadingLevel> context={props.heading_level}>
        <div class="pgp">
          <div class="pgp-columns">
           <div class="pgp-inputs">
            <div class="pgp-toolbar">
                <button type="button" class="pgp-button pgp-clear-all" onclick={on_clear_all}>
                    { "Clear everything" }
                </button>
            </div>
            <section class="pgp-controls" aria-label="Connection">
                <ConnectionInput value={state.input.clone()} {on_input} {on_clear}
                    error_mark={state.error_mark("dsn")} fill_in={state.fill_in}
                    secret_left_out={state.secret_left_out} />
                { verdict_line(&state) }
                <DriverPicker selected={state.driver} {detected} on_change={on_driver} />
                <ConnectionFields analysis={state.analysis.clone()} on_edit={on_param} />
            </section>
            if props.panels.certificates {
                <section class="pgp-material-panel" aria-label="Certificates and key">
                    <Heading class="pgp-section-title">{ "Certificates and key" }</Heading>
                    <p class="pgp-note">{ "Paste, drop a file, or choose one. Files are read inside this page and never uploaded." }</p>
                    // A form only so browsers treat the passphrase as a form field; it never submits.
                    <form class="pgp-material-grid" autocomplete="off"
                          onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                        { for MaterialField::ALL.iter().map(|&field| html! {
                            <MaterialInput {field} value={state.material.value(field).to_string()}
                                caption={captions(field)} problems={state.problems_in(field)}
                                error_mark={state.error_mark(field.source())}
                                on_change={on_material.clone()} />
                        }) }
                    </form>
                </section>
            }
            if props.panels.errors {
                <ErrorExplain value={state.error_text.clone()} on_input={on_error_text}
                    view={state.explained.clone()} pending={state.explain_pending()}
                    error={state.explain_error.clone()} material_shown={props.panels.certificates}
                    findings={Rc::new(state.diagnostics().to_vec())}
                    on_apply_fix={Some(on_fix.clone())} />
            }
           </div>
            <div class={classes!("pgp-results", state.is_pending().then_some("pgp-stale"))}
                 tabindex="-1" aria-label="Findings" role="region"
                 data-pending={state.is_pending().to_string()}>
                { results(&state, on_fix, props.findings_collapsed) }
            </div>
            if props.panels.roles {
              <div class="pgp-roles">
                <RoleBuilder form={state.role.clone()} result={state.role_result.clone()}
                    on_edit={on_role} {on_generate} on_dismiss_password={on_dismiss}
                    share_link={props.owns_location.then(|| share_link(&state.role)).flatten().map(AttrValue::from)} />
                if let Some(message) = &state.role_error {
                    <p class="pgp-error-text" role="alert">{ message.clone() }</p>
                }
              </div>
            }
            <div class="pgp-outputs">
                if let Some(analysis) = state.analysis.as_ref().filter(|a| a.valid && props.panels.snippets) {
                    <Snippets analysis={Rc::clone(analysis)}
                        client_certificate={!state.material.text(Field::ClientCert).trim().is_empty()} />
                }
                if let Some(report) = state.report.as_ref().filter(|_| props.panels.summary) {
                    <Summary report={Rc::clone(report)} role={role_summary(&state)} now={state.now} />
                }
            </div>
          </div>
        </div>
      </ContextProvider<HeadingLevel>>
    }
}

/// The verdict in one line right under the connection string, with a way to the findings: on
/// a phone the verdict banner and the findings start below every input, screens further down
/// (an outside review), and pasting changes nothing else in view. The line keeps one height
/// whatever it says, the button its place while hidden (pg-preflight.css), so a check settling
/// moves nothing below it.
fn verdict_line(state: &State) -> Html {
    let outcome = Outcome::of_state(state);
    let onclick = Callback::from(|event: MouseEvent| {
        if let Some(results) = in_same_checker(&event, ".pgp-results") {
            results.scroll_into_view();
            // Keyboard and screen-reader users continue from the findings, not from here.
            let _ = results.focus();
        }
    });
    let tone = outcome.map(|o| format!("pgp-jump-{}", o.token()));
    // The page's one live region: the verdict and findings in brief, said once the check
    // settles. The findings themselves are not live (a region that large is re-read on every
    // pause), and this stays in the document while empty so its first text is announced.
    html! {
        <p class={classes!("pgp-jump", tone, outcome.is_none().then_some("pgp-jump-idle"))}>
            <span class="pgp-jump-text" role="status">
                if let Some(outcome) = outcome {
                    <span class="pgp-outcome-icon" aria-hidden="true">{ outcome.icon() }</span>
                    { verdict_in_brief(outcome, state.diagnostics()) }
                } else {
                    { "No string checked yet." }
                }
            </span>
            <button type="button" class="pgp-button pgp-jump-button" {onclick}>
                { "Go to the findings" }
            </button>
        </p>
    }
}

/// The role part of the security summary, once a script has been built from the form.
fn role_summary(state: &State) -> Option<RoleSummary> {
    let result = state.role_result.as_ref()?;
    let scripts = result.scripts.as_ref()?;
    let form = &state.role;
    Some(RoleSummary {
        database: form.database.trim().to_string(),
        login_role: scripts.login_role.clone(),
        access: form.access.clone(),
        scope: form.scope(),
        auth: form.auth.clone(),
        // MySQL/MariaDB scripts do not use the date (PASSWORD EXPIRE INTERVAL instead).
        valid_until: Some(form.valid_until.trim().to_string())
            .filter(|v| !v.is_empty() && form.dialect == "postgres"),
    })
}

fn results(state: &State, on_fix: Callback<Fix>, collapsed: bool) -> Html {
    let Some(outcome) = Outcome::of_state(state) else {
        return if state.is_pending() {
            html! { <p class="pgp-empty">{ "Checking…" }</p> }
        } else {
            html! {
                <p class="pgp-empty">
                    { "Paste a connection string above: a libpq URI or keyword/value string, or a \
                       JDBC, SQLAlchemy, Prisma, node-postgres, asyncpg, pgx or Npgsql one. Add \
                       certificates and the key to check them too." }
                </p>
            }
        };
    };
    let diagnostics = Rc::new(state.diagnostics().to_vec());
    // The input as shown under a finding: each secret a fixed mask, neither its text nor its
    // length visible.
    let dialect = state
        .analysis
        .as_ref()
        .map_or(Dialect::Libpq, |a| a.dialect);
    let masked: Option<Rc<Shown>> =
        Shown::under_findings(&state.input, dialect, &diagnostics).map(Rc::new);
    html! {
        <>
            <VerdictBanner {outcome} analysis={state.analysis.clone()}
                lead={diagnostics.first().cloned()} />
            if let Some(message) = &state.material_error {
                <p class="pgp-error-text" role="alert">{ message.clone() }</p>
            }
            // Every fix is written in the string's own dialect, and applying it keeps the
            // user's secrets (`State::apply`), so it is offered whatever the dialect.
            if collapsed {
                <details class="pgp-findings-fold">
                    <summary>{ findings_in_brief(state.diagnostics()) }</summary>
                    <Findings diagnostics={Rc::clone(&diagnostics)} masked_input={masked.clone()}
                        on_apply_fix={Some(on_fix.clone())} />
                </details>
            } else {
                <Findings diagnostics={diagnostics} masked_input={masked}
                    on_apply_fix={Some(on_fix)} />
            }
            if let Some(report) = &state.report {
                <Certificates report={Rc::clone(report)} now={state.now} />
            }
        </>
    }
}

/// A shared link carries role-builder settings (never secrets) in the fragment. Read after the
/// first render, so that render is the build-time HTML's exactly (hydration) whatever the
/// address says.
#[hook]
fn use_shared_role_settings(state: &UseReducerHandle<State>, owns_location: bool) {
    let dispatcher = state.dispatcher();
    use_effect_with(owns_location, move |&owns_location| {
        let fragment = owns_location.then(location_hash).flatten();
        if let Some(form) = fragment.and_then(|h| RoleForm::from_fragment(&h)) {
            dispatcher.dispatch(Action::OpenSharedRole(form));
        }
    });
}

/// Runs the certificate review the state waits for in the second module (loaded on first
/// need, `deferred.rs`) and hands the result back. A result for an older edit is dropped by
/// the state, so a review still running when the user edits again does no harm.
#[hook]
fn use_material_review(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with(state.material_wanted.clone(), move |wanted| {
        if let Some(wanted) = wanted.clone() {
            wasm_bindgen_futures::spawn_local(async move {
                let result = crate::deferred::review_material_for_page(
                    wanted.material.given(),
                    wanted.context.clone(),
                    wanted.now,
                )
                .await
                .map(Rc::new);
                dispatcher.dispatch(Action::MaterialReviewed {
                    id: wanted.id,
                    result,
                });
            });
        }
    });
}

/// Has the errors panel's module explain the pasted error the state waits for (loaded on first need,
/// `deferred.rs`), and hands the explanation back; one for an older request is dropped by the
/// state.
#[hook]
fn use_error_explanation(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with(state.explain_wanted.clone(), move |wanted| {
        if let Some(wanted) = wanted.clone() {
            wasm_bindgen_futures::spawn_local(async move {
                let result = crate::deferred::explain_error_for_page(&wanted)
                    .await
                    .map(Rc::new);
                dispatcher.dispatch(Action::ErrorExplained {
                    id: wanted.id,
                    result,
                });
            });
        }
    });
}

/// Schedules the explanation of the pasted error once typing in its box pauses, as
/// [`use_debounced_analysis`] does for the other inputs.
#[hook]
fn use_debounced_explanation(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with(state.error_revision(), move |&revision| {
        let timer = (revision > 0).then(|| {
            Timeout::new(DEBOUNCE_MS, move || {
                dispatcher.dispatch(Action::ExplainAfterPause {
                    revision,
                    now: now(),
                });
            })
        });
        move || drop(timer)
    });
}

/// Has the second module write the role scripts the state waits for, and hands them back.
#[hook]
fn use_role_generation(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with(state.role_wanted.clone(), move |wanted| {
        if let Some(wanted) = wanted.clone() {
            wasm_bindgen_futures::spawn_local(async move {
                let result = crate::deferred::generate_role_scripts_for_page(&wanted)
                    .await
                    .map(Rc::new);
                dispatcher.dispatch(Action::RoleGenerated {
                    id: wanted.id,
                    result,
                });
            });
        }
    });
}

/// Schedules `Action::Analyze` for the current revision once typing pauses. Each edit changes
/// the revision, which drops (and so cancels) the previous timer.
#[hook]
fn use_debounced_analysis(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with(state.revision, move |&revision| {
        let timer = Timeout::new(DEBOUNCE_MS, move || {
            dispatcher.dispatch(Action::Analyze {
                revision,
                now: now(),
            });
        });
        move || drop(timer)
    });
}

const UNSAVED_PASSWORD_QUESTION: &str = "Clear everything? The generated password is still \
shown and is kept nowhere else: save it first, or it is lost.";

/// The browser's own yes/no dialog; `true` when there is no window to ask in.
fn confirmed(question: &str) -> bool {
    web_sys::window().is_none_or(|window| window.confirm_with_message(question).unwrap_or(true))
}

fn dispatch_with<T: 'static>(
    state: &UseReducerHandle<State>,
    to_action: impl Fn(T) -> Action + 'static,
) -> Callback<T> {
    let dispatcher = state.dispatcher();
    Callback::from(move |value: T| dispatcher.dispatch(to_action(value)))
}
