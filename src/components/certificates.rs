//! Certificate cards (subject, issuer, validity bar with days left, fingerprints, SANs, key,
//! purposes) and the chain diagrams leaf → intermediates → root with each chain's verdict
//! under libpq's rules and under strict RFC 5280.

use super::Heading;
use pg_preflight_core::role_label;
use pg_preflight_core::Report;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{CertificateSummary, ChainLink, ChainSummary, LinkKind};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct CertificatesProps {
    pub report: Rc<Report>,
    pub now: UnixTime,
}

#[function_component(Certificates)]
pub fn certificates(props: &CertificatesProps) -> Html {
    let report = &props.report;
    if report.certificates.is_empty() {
        return Html::default();
    }
    html! {
        <section class="pgp-certs" aria-label="Certificates">
            <Heading class="pgp-section-title">{ "Certificates" }</Heading>
            { chain("Client certificate chain", report.chains.client.as_ref(), &report.certificates, props.now) }
            { chain("Server certificate chain", report.chains.server.as_ref(), &report.certificates, props.now) }
            <div class="pgp-cards">
                { for in_chain_order(report).into_iter().map(|c| card(c, props.now)) }
            </div>
        </section>
    }
}

/// Cards follow the chains (client leaf → its issuers, then the server's), then the rest in
/// the order given.
fn in_chain_order(report: &Report) -> Vec<&CertificateSummary> {
    let order: Vec<&String> = [&report.chains.client, &report.chains.server]
        .into_iter()
        .flatten()
        .flat_map(|chain| chain.path.iter())
        .collect();
    let mut cards: Vec<&CertificateSummary> = report.certificates.iter().collect();
    pg_preflight_core::sort_by_key(&mut cards, |c| {
        order
            .iter()
            .position(|f| **f == c.fingerprint_sha256)
            .unwrap_or(usize::MAX)
    });
    cards
}

fn certificate_of<'a>(
    fingerprint: &str,
    certificates: &'a [CertificateSummary],
) -> Option<&'a CertificateSummary> {
    certificates
        .iter()
        .find(|c| c.fingerprint_sha256 == fingerprint)
}

/// Why a link of the chain fails on its own, as far as its dates tell (the findings give the
/// whole reason): expired, or not valid yet.
fn link_problem(certificate: &CertificateSummary, now: UnixTime) -> Option<&'static str> {
    if now < certificate.facts.not_before {
        Some("not valid yet")
    } else if certificate.days_left < 0 {
        Some("expired")
    } else {
        None
    }
}

fn verdict_word(valid: bool) -> (&'static str, &'static str) {
    if valid {
        ("valid", "good")
    } else {
        ("not valid", "bad")
    }
}

fn chain(
    title: &str,
    summary: Option<&ChainSummary>,
    certificates: &[CertificateSummary],
    now: UnixTime,
) -> Html {
    let Some(summary) = summary else {
        return Html::default();
    };
    let (libpq, libpq_tone) = verdict_word(summary.valid);
    let (strict, strict_tone) = verdict_word(summary.strict_valid);
    html! {
        <figure class="pgp-chain" data-valid={summary.valid.to_string()}
                data-strict-valid={summary.strict_valid.to_string()}>
            <figcaption>
                <strong>{ title }</strong>{ ": " }
                <span class={classes!("pgp-tag", format!("pgp-tag-{libpq_tone}"))}>
                    { format!("libpq: {libpq}") }</span>{ " " }
                <span class={classes!("pgp-tag", format!("pgp-tag-{strict_tone}"))}>
                    { format!("strict RFC 5280: {strict}") }</span>
            </figcaption>
            if summary.path.is_empty() {
                <p class="pgp-note">{ "No path could be built: see the findings for the missing link." }</p>
            } else {
                if !summary.valid || !summary.strict_valid {
                    <p class="pgp-note">{ "Why it fails is in the findings (PGP-CERT and PGP-CHAIN codes)." }</p>
                }
                <ol class="pgp-chain-path">
                    { for summary.path.iter().enumerate().map(|(i, fingerprint)| {
                        chain_link(summary.links.get(i), certificate_of(fingerprint, certificates), now)
                    }) }
                </ol>
            }
        </figure>
    }
}

/// One certificate of the diagram: what the core says it is (its place in the path and, for
/// the top, whether it is trusted and why), its subject, and a date problem of its own.
fn chain_link(
    link: Option<&ChainLink>,
    certificate: Option<&CertificateSummary>,
    now: UnixTime,
) -> Html {
    let kind = link.map(|l| l.kind);
    let breaks_trust = kind.is_some_and(LinkKind::breaks_trust);
    let subject = certificate.map_or("(certificate)", |c| c.subject.as_str());
    let problem = certificate.and_then(|c| link_problem(c, now));
    let bad = problem.is_some() || breaks_trust;
    html! {
        <li class={classes!("pgp-chain-link", bad.then_some("pgp-chain-link-bad"))}
            data-position={kind.map(LinkKind::as_str)} data-problem={problem}>
            <span class="pgp-chain-role">{ link.map_or("certificate", |l| l.name.as_str()) }</span>
            <span class="pgp-chain-subject">{ subject.to_string() }</span>
            if let Some(note) = link.and_then(|l| l.note.clone()) {
                <span class={classes!("pgp-chain-note", breaks_trust.then_some("pgp-tag pgp-tag-bad"))}>
                    { note }</span>
            }
            if let Some(problem) = problem {
                <span class="pgp-tag pgp-tag-bad">{ problem }</span>
            }
        </li>
    }
}

/// Share of the validity period already used at `now`, 0–100.
fn used_percent(c: &CertificateSummary, now: UnixTime) -> i64 {
    let total = c.facts.not_after.seconds_since(c.facts.not_before).max(1);
    (now.seconds_since(c.facts.not_before) * 100 / total).clamp(0, 100)
}

fn validity_tone(days_left: i64, now: UnixTime, not_before: UnixTime) -> &'static str {
    if days_left < 0 || now < not_before {
        "bad"
    } else if days_left < 30 {
        "warn"
    } else {
        "good"
    }
}

fn card(c: &CertificateSummary, now: UnixTime) -> Html {
    let facts = &c.facts;
    let tone = validity_tone(c.days_left, now, facts.not_before);
    let days = if now < facts.not_before {
        "not valid yet".to_string()
    } else if c.days_left < 0 {
        format!("expired {} days ago", -c.days_left)
    } else {
        format!("{} days left", c.days_left)
    };
    let key = match c.key_bits {
        Some(bits) => format!("{} {bits}", c.key_algorithm),
        None => c.key_algorithm.clone(),
    };
    let list = |items: &[String]| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items.join(", ")
        }
    };
    let sans: Vec<String> = facts
        .dns_names
        .iter()
        .cloned()
        .chain(facts.ip_addresses.iter().map(|ip| format!("IP {ip}")))
        .collect();
    html! {
        <article class="pgp-card" data-role={c.role.clone()} aria-label={format!("{}: {}", role_label(&c.role), c.subject)}>
            <Heading depth={1} class="pgp-card-title">
                <span class="pgp-card-role">{ role_label(&c.role) }</span>
                <span class="pgp-card-subject">{ c.subject.clone() }</span>
            </Heading>
            if let Some(known) = c.known_ca.clone() {
                <p class="pgp-known-ca">{ known }</p>
            }
            <div class={classes!("pgp-validity", format!("pgp-validity-{tone}"))}>
                <meter class="pgp-validity-meter" min="0" max="100" low="75" high="92" optimum="0"
                       value={used_percent(c, now).to_string()}
                       aria-label="Share of the validity period used"></meter>
                <p class="pgp-validity-text">
                    { date(&c.not_before) }{ " → " }{ date(&c.not_after) }{ " · " }
                    <strong>{ days }</strong>
                </p>
            </div>
            <dl class="pgp-card-facts">
                <dt>{ "Issuer" }</dt><dd>{ c.issuer.clone() }</dd>
                <dt>{ "Key" }</dt><dd>{ key }</dd>
                <dt>{ "Signature" }</dt><dd>{ facts.signature_algorithm.clone() }</dd>
                <dt>{ "SANs" }</dt><dd>{ list(&sans) }</dd>
                <dt>{ "Extended key usage" }</dt>
                <dd>{ facts.extended_key_usage.as_deref().map_or_else(|| "none (any purpose)".to_string(), list) }</dd>
                <dt>{ "Key usage" }</dt>
                <dd>{ facts.key_usage.as_deref().map_or_else(|| "none".to_string(), list) }</dd>
                <dt>{ "CA" }</dt>
                <dd>{ match (facts.is_ca, facts.path_len) {
                    (Some(true), Some(n)) => format!("yes, path length ≤ {n}"),
                    (Some(true), None) => "yes".to_string(),
                    _ => "no".to_string(),
                } }</dd>
                <dt>{ "Serial" }</dt><dd class="pgp-mono">{ facts.serial.clone() }</dd>
                <dt>{ "SHA-256" }</dt><dd class="pgp-mono">{ facts.fingerprint_sha256.clone() }</dd>
                <dt>{ "SHA-1" }</dt><dd class="pgp-mono">{ facts.fingerprint_sha1.clone() }</dd>
            </dl>
        </article>
    }
}

/// An RFC 3339 time as its date, which never wraps inside; the exact time is kept for
/// machines (`datetime`) and shown on hover.
fn date(rfc3339: &str) -> Html {
    let day = rfc3339.get(..10).unwrap_or(rfc3339).to_string();
    html! {
        <time class="pgp-date" datetime={rfc3339.to_string()} title={rfc3339.to_string()}>{ day }</time>
    }
}
