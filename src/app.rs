//! The root component: wires the model (`state.rs`) to the components and owns the debounce
//! timer. The standalone page and every `<pg-preflight>` embed render this same component.

use crate::components::{ConnectionInput, DriverPicker, Findings, VerdictBanner};
use crate::state::{Action, State, DEBOUNCE_MS};
use gloo_timers::callback::Timeout;
use pg_preflight_core::conninfo::dialect::Dialect;
use std::rc::Rc;
use yew::prelude::*;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// What the page starts with; the embed fills these from `mount`'s options.
#[derive(Debug, Clone, PartialEq, Default, Properties)]
pub struct AppProps {
    #[prop_or_default]
    pub initial_input: String,
    #[prop_or_default]
    pub initial_driver: Option<Dialect>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = {
        let props = props.clone();
        use_reducer(move || State::new(props.initial_input, props.initial_driver))
    };
    use_debounced_analysis(&state);

    let on_input = dispatch_with(&state, Action::Edit);
    let on_driver = dispatch_with(&state, Action::ChooseDriver);
    let on_clear = dispatch_with(&state, |()| Action::Clear);
    let detected = state
        .analysis
        .as_ref()
        .filter(|a| a.detected)
        .map(|a| a.dialect);

    html! {
        <div class="pgp">
            <div class="pgp-controls">
                <ConnectionInput value={state.input.clone()} {on_input} {on_clear} />
                <DriverPicker selected={state.driver} {detected} on_change={on_driver} />
            </div>
            <div class={classes!("pgp-results", state.is_pending().then_some("pgp-stale"))}
                 aria-live="polite" aria-busy={state.is_pending().to_string()}>
                { results(&state) }
            </div>
        </div>
    }
}

fn results(state: &State) -> Html {
    match &state.analysis {
        Some(analysis) => html! {
            <>
                <VerdictBanner analysis={Rc::clone(analysis)} />
                <Findings analysis={Rc::clone(analysis)} />
            </>
        },
        None if state.is_pending() => html! {
            <p class="pgp-empty">{ "Checking…" }</p>
        },
        None => html! {
            <p class="pgp-empty">
                { "Paste a connection string above: a libpq URI or keyword/value string, or a \
                   JDBC, SQLAlchemy, Prisma, node-postgres, asyncpg, pgx or Npgsql one." }
            </p>
        },
    }
}

/// Schedules `Action::Analyze` for the current revision once typing pauses. Each edit changes
/// the revision, which drops (and so cancels) the previous timer.
#[hook]
fn use_debounced_analysis(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with(state.revision, move |&revision| {
        let timer = Timeout::new(DEBOUNCE_MS, move || {
            dispatcher.dispatch(Action::Analyze { revision });
        });
        move || drop(timer)
    });
}

fn dispatch_with<T: 'static>(
    state: &UseReducerHandle<State>,
    to_action: impl Fn(T) -> Action + 'static,
) -> Callback<T> {
    let dispatcher = state.dispatcher();
    Callback::from(move |value: T| dispatcher.dispatch(to_action(value)))
}
