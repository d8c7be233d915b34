//! Which endpoint of a recognised provider the string reaches: its host and port, and whether
//! that is the provider's transaction-mode pooler. Read by the TLS, credential and provider
//! checks alike.

use super::providers::{Pooler, Provider};
use super::Context;

/// The first TCP host name the provider answers on, with its slot's port.
pub(super) fn provider_host<'a>(
    ctx: &Context<'a>,
    provider: &Provider,
) -> Option<(String, Option<&'a str>)> {
    ctx.tcp_hosts().find_map(|slot| {
        let name = slot
            .host
            .as_deref()?
            .trim_end_matches('.')
            .to_ascii_lowercase();
        provider
            .matches(&name)
            .then(|| (name, slot.port.as_deref().filter(|p| !p.trim().is_empty())))
    })
}

/// A provider endpoint that is its transaction-mode pooler, and how it was recognised.
pub(super) struct Pooled<'a> {
    pub(super) pooler: Pooler,
    pub(super) host: String,
    pub(super) port: Option<&'a str>,
    pub(super) by_port: bool,
}

/// Whether the string connects to `provider`'s transaction-mode pooler (its pooler host with
/// the pooler's label or port).
pub(super) fn pooled_endpoint<'a>(
    ctx: &Context<'a>,
    provider: &'static Provider,
) -> Option<Pooled<'a>> {
    let pooler = provider.pooler?;
    let (host, port) = provider_host(ctx, provider)?;
    if !pooler.hosts.iter().any(|p| p.matches(&host)) {
        return None;
    }
    let label = host.split('.').next().unwrap_or_default();
    let by_label = pooler.label_marker.is_some_and(|m| label.contains(m));
    let by_port = pooler.port.is_some_and(|p| port.map(str::trim) == Some(p));
    (by_label || by_port).then_some(Pooled {
        pooler,
        host,
        port,
        by_port,
    })
}

/// The provider and pooler when the string goes through a transaction-mode pooler.
pub fn transaction_pooler(ctx: &Context<'_>) -> Option<(&'static Provider, Pooler)> {
    ctx.providers()
        .into_iter()
        .find_map(|p| pooled_endpoint(ctx, p).map(|pooled| (p, pooled.pooler)))
}
