//! What each certificate of a reported path is, decided once here so that the chain diagram
//! and the findings' text name it in the same words.
//!
//! Only a certificate of the *trusted* input that the verification anchored to is a trust
//! anchor. OpenSSL (3.0, `openssl-verification-options(1)`, "Trust Anchors") trusts the
//! certificates of the trust store, which for libpq is exactly `sslrootcert` (PostgreSQL 18
//! docs §32.19.1, "Client Verification of Server Certificates"); a certificate the peer sends
//! only helps build the chain, so a self-signed root that arrives with the server's chain is
//! not trusted. Without `X509_V_FLAG_PARTIAL_CHAIN` (which libpq does not set; OpenSSL 3.0
//! `X509_VERIFY_PARAM_set_flags(3)`), a trusted certificate that is not self-signed is no
//! anchor either.

use super::policy::Labels;
use serde::{Deserialize, Serialize};

/// What one certificate of the path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LinkKind {
    /// The certificate verified: the server's, or the client's.
    Leaf,
    /// A certificate between the leaf and the top of the path.
    Intermediate,
    /// The certificate of the trusted input the verification anchored to.
    TrustAnchor,
    /// The top of the path is self-signed but not in the trusted input: not trusted.
    UntrustedRoot,
    /// The top of the path is in the trusted input but not self-signed, and the policy
    /// (libpq's: no partial chains) does not anchor there.
    TrustedNotRoot,
    /// The top of a path that reached nothing trusted, not self-signed: no issuer among the
    /// inputs verifies it (the findings say why).
    IssuerNotFound,
}

impl LinkKind {
    /// The wire name (as serialised), for a page's `data-` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Leaf => "leaf",
            LinkKind::Intermediate => "intermediate",
            LinkKind::TrustAnchor => "trustAnchor",
            LinkKind::UntrustedRoot => "untrustedRoot",
            LinkKind::TrustedNotRoot => "trustedNotRoot",
            LinkKind::IssuerNotFound => "issuerNotFound",
        }
    }

    /// True for a top of the path that leaves the chain untrusted; the page marks it.
    pub fn breaks_trust(self) -> bool {
        matches!(
            self,
            LinkKind::UntrustedRoot | LinkKind::TrustedNotRoot | LinkKind::IssuerNotFound
        )
    }

    /// Named like an intermediate (and numbered with them): a CA certificate that is no root.
    fn is_intermediate(self) -> bool {
        matches!(
            self,
            LinkKind::Intermediate | LinkKind::TrustedNotRoot | LinkKind::IssuerNotFound
        )
    }
}

/// One certificate of the path, in the words the page shows and the findings use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainLink {
    pub kind: LinkKind,
    /// Its place, as a person counts from the leaf: `leaf`, `intermediate` (numbered
    /// `intermediate 1`, `intermediate 2`, … when the path has several), `trust anchor`,
    /// `self-signed root`.
    pub name: String,
    /// What it means for trust, when there is something to say: which input holds the trust
    /// anchor, that a self-signed root is not trusted, that the chain stops here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What is known about the top of the reported path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Top {
    /// The verification reached an anchor: the path is complete (whatever else failed).
    pub anchored: bool,
    /// The top is a certificate of the trusted input.
    pub trusted: bool,
    /// The top is self-signed under the policy's name comparison.
    pub self_signed: bool,
}

/// The kinds of a path of `len` certificates, leaf first.
pub fn kinds(len: usize, top: Top) -> Vec<LinkKind> {
    (0..len)
        .map(|index| match index {
            0 => LinkKind::Leaf,
            i if i + 1 < len => LinkKind::Intermediate,
            _ => top_kind(top),
        })
        .collect()
}

fn top_kind(top: Top) -> LinkKind {
    if top.anchored {
        LinkKind::TrustAnchor
    } else if top.trusted {
        LinkKind::TrustedNotRoot
    } else if top.self_signed {
        LinkKind::UntrustedRoot
    } else {
        LinkKind::IssuerNotFound
    }
}

/// The links of a path with these kinds, named and noted with the inputs' labels.
pub fn links(kinds: &[LinkKind], labels: &Labels) -> Vec<ChainLink> {
    let several = kinds.iter().filter(|k| k.is_intermediate()).count() > 1;
    let mut intermediates = 0;
    kinds
        .iter()
        .map(|&kind| {
            if kind.is_intermediate() {
                intermediates += 1;
            }
            let number = several.then_some(intermediates);
            ChainLink {
                kind,
                name: name(kind, number),
                note: note(kind, labels),
            }
        })
        .collect()
}

fn name(kind: LinkKind, number: Option<usize>) -> String {
    match (kind, number) {
        (LinkKind::Leaf, _) => "leaf".into(),
        (LinkKind::TrustAnchor, _) => "trust anchor".into(),
        (LinkKind::UntrustedRoot, _) => "self-signed root".into(),
        (_, Some(n)) => format!("intermediate {n}"),
        (_, None) => "intermediate".into(),
    }
}

fn note(kind: LinkKind, labels: &Labels) -> Option<String> {
    let trusted = &labels.trusted;
    match kind {
        LinkKind::Leaf => Some(labels.leaf.clone()),
        LinkKind::Intermediate => None,
        LinkKind::TrustAnchor => Some(format!("from {trusted}")),
        LinkKind::UntrustedRoot => Some(format!("not in {trusted} — not trusted")),
        LinkKind::TrustedNotRoot => Some(format!(
            "in {trusted}, but not a self-signed root: libpq does not anchor here"
        )),
        LinkKind::IssuerNotFound => {
            Some("no issuer given verifies it — the chain stops here".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOT_ANCHORED: Top = Top {
        anchored: false,
        trusted: false,
        self_signed: true,
    };

    #[test]
    fn only_an_anchored_top_is_the_trust_anchor() {
        let anchored = Top {
            anchored: true,
            trusted: true,
            self_signed: true,
        };
        assert_eq!(
            kinds(3, anchored),
            [LinkKind::Leaf, LinkKind::Intermediate, LinkKind::TrustAnchor]
        );
        assert_eq!(kinds(3, NOT_ANCHORED)[2], LinkKind::UntrustedRoot);
        let trusted_intermediate = Top {
            trusted: true,
            self_signed: false,
            ..NOT_ANCHORED
        };
        assert_eq!(kinds(2, trusted_intermediate)[1], LinkKind::TrustedNotRoot);
        let dead_end = Top {
            self_signed: false,
            ..NOT_ANCHORED
        };
        assert_eq!(kinds(2, dead_end)[1], LinkKind::IssuerNotFound);
        assert_eq!(kinds(1, NOT_ANCHORED), [LinkKind::Leaf]);
    }

    #[test]
    fn wire_names_are_the_serialised_ones() {
        for kind in [
            LinkKind::Leaf,
            LinkKind::Intermediate,
            LinkKind::TrustAnchor,
            LinkKind::UntrustedRoot,
            LinkKind::TrustedNotRoot,
            LinkKind::IssuerNotFound,
        ] {
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::from(kind.as_str()))
            );
        }
    }

    #[test]
    fn intermediates_are_numbered_only_when_there_are_several() {
        let labels = Labels::default();
        let names = |kinds: &[LinkKind]| -> Vec<String> {
            links(kinds, &labels).into_iter().map(|l| l.name).collect()
        };
        assert_eq!(
            names(&kinds(3, NOT_ANCHORED)),
            ["leaf", "intermediate", "self-signed root"]
        );
        let dead_end = Top {
            self_signed: false,
            ..NOT_ANCHORED
        };
        assert_eq!(
            names(&kinds(4, dead_end)),
            ["leaf", "intermediate 1", "intermediate 2", "intermediate 3"]
        );
    }
}
