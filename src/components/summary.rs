//! The security summary a person can paste to a reviewer: facts only, written by the core from
//! the check report (and the role script, once built).

use super::actions::{code_block, TextActions};
use super::Heading;
use pg_preflight_core::Report;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{security_summary, RoleFacts};
use std::rc::Rc;
use yew::prelude::*;

/// The role part of the summary, as owned strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSummary {
    pub database: String,
    pub login_role: String,
    pub access: String,
    pub scope: String,
    pub auth: String,
    pub valid_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct SummaryProps {
    pub report: Rc<Report>,
    pub role: Option<RoleSummary>,
    pub now: UnixTime,
}

#[function_component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let role = props.role.as_ref().map(|r| RoleFacts {
        database: &r.database,
        login_role: &r.login_role,
        access: &r.access,
        scope: &r.scope,
        auth: &r.auth,
        valid_until: r.valid_until.as_deref(),
    });
    let text = security_summary(&props.report, role.as_ref(), props.now);
    html! {
        <section class="pgp-summary-panel" aria-label="Security summary">
            <Heading class="pgp-section-title">{ "Security summary" }</Heading>
            <p class="pgp-note">{ "Facts only, derived from the findings; paste it to a reviewer. It holds no secret." }</p>
            <TextActions text={AttrValue::from(text.clone())} what="security summary" />
            { code_block("Security summary text".to_string(), text, Some("pgp-summary-text")) }
        </section>
    }
}
