//! What the chain diagram calls each certificate, and how the findings number them, over
//! certificates made by openssl for each case (`common::pki`): only a root of the CA file the
//! verification anchored to is the trust anchor, and a finding names a certificate with the
//! diagram's word and the position a person counts in the file it came from.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use pg_preflight_core::pki::review::{review_certificates, ConnectionFacts, Material, Review};
use pg_preflight_core::{ChainSummary, LinkKind};

mod common;
use common::pki::{concat, Pki, CA_EXTENSIONS, SERVER_EXTENSIONS};

/// A server that sends its certificate, its intermediate and its own root "Root B".
struct Server {
    /// Keeps the directory of the certificates until the test ends.
    _pki: Pki,
    leaf: Vec<u8>,
    intermediate: Vec<u8>,
    root: Vec<u8>,
    /// A root that issued none of them.
    other_root: Vec<u8>,
}

fn server(test: &str) -> Server {
    let pki = Pki::new(test);
    let other_root = pki.root("root-a", "Root A");
    let root = pki.root("root-b", "Root B");
    let intermediate = pki.issue("inter-b", "Inter B", "root-b", CA_EXTENSIONS);
    let leaf = pki.issue("leaf", "db.example.com", "inter-b", SERVER_EXTENSIONS);
    Server {
        _pki: pki,
        leaf,
        intermediate,
        root,
        other_root,
    }
}

fn review(ca: &[u8], server_chain: &[u8]) -> Review {
    let material = Material {
        root_cert: Some(ca),
        server_chain: Some(server_chain),
        ..Material::default()
    };
    let connection = ConnectionFacts {
        user: None,
        verify_hosts: vec!["db.example.com".into()],
    };
    review_certificates(&material, &connection, Pki::now())
}

fn server_summary(review: &Review) -> &ChainSummary {
    review
        .chains
        .server
        .as_ref()
        .expect("a server chain summary")
}

fn kinds(summary: &ChainSummary) -> Vec<LinkKind> {
    summary.links.iter().map(|l| l.kind).collect()
}

fn detail<'r>(review: &'r Review, code: &str) -> &'r str {
    review
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .map(|d| d.detail.as_str())
        .unwrap_or_else(|| panic!("no {code} in {:#?}", review.diagnostics))
}

#[test]
fn a_root_sent_by_the_server_is_not_the_trust_anchor() {
    let s = server("root-sent-not-trusted");
    let chain = concat(&[&s.leaf, &s.intermediate, &s.root]);
    let untrusted = review(&s.other_root, &chain);
    let summary = server_summary(&untrusted);
    assert!(!summary.valid && !summary.strict_valid);
    assert_eq!(summary.links.len(), summary.path.len());
    assert_eq!(
        kinds(summary),
        [
            LinkKind::Leaf,
            LinkKind::Intermediate,
            LinkKind::UntrustedRoot
        ]
    );
    let root = &summary.links[2];
    assert_eq!(root.name, "self-signed root");
    assert_eq!(
        root.note.as_deref(),
        Some("not in the CA certificate (sslrootcert) — not trusted")
    );

    // The same root in the CA file: now the verification anchors to it.
    let trusted = review(&s.root, &chain);
    let summary = server_summary(&trusted);
    assert!(summary.valid && summary.strict_valid);
    assert_eq!(
        kinds(summary),
        [
            LinkKind::Leaf,
            LinkKind::Intermediate,
            LinkKind::TrustAnchor
        ]
    );
    assert_eq!(summary.links[2].name, "trust anchor");
    assert_eq!(
        summary.links[2].note.as_deref(),
        Some("from the CA certificate (sslrootcert)")
    );
}

#[test]
fn an_intermediate_in_the_ca_file_is_no_anchor_for_libpq() {
    let s = server("intermediate-trusted");
    let chain = concat(&[&s.leaf, &s.intermediate]);
    let review = review(&s.intermediate, &chain);
    let summary = server_summary(&review);
    // Strict validation accepts the partial chain; libpq's OpenSSL does not, and the diagram
    // shows libpq's path.
    assert!(!summary.valid && summary.strict_valid);
    assert_eq!(kinds(summary), [LinkKind::Leaf, LinkKind::TrustedNotRoot]);
    assert!(summary
        .links
        .iter()
        .all(|l| l.kind != LinkKind::TrustAnchor));
}

#[test]
fn findings_number_certificates_as_the_diagram_and_the_file_do() {
    let s = server("numbering");
    // Leaf, intermediate, root: the root is the third certificate of the pasted chain.
    let review_root = review(&s.other_root, &concat(&[&s.leaf, &s.intermediate, &s.root]));
    assert_eq!(
        detail(&review_root, "PGP-CHAIN-003"),
        "The chain ends at `CN=Root B` (self-signed root, certificate 3 of the server's chain), \
a self-signed certificate that is not in the CA certificate (sslrootcert)."
    );
    // Without the root, the intermediate (certificate 2) is where the chain stops.
    let review_inter = review(&s.other_root, &concat(&[&s.leaf, &s.intermediate]));
    let summary = server_summary(&review_inter);
    assert_eq!(kinds(summary), [LinkKind::Leaf, LinkKind::IssuerNotFound]);
    assert_eq!(summary.links[1].name, "intermediate");
    let text = detail(&review_inter, "PGP-CHAIN-001");
    assert!(
        text.starts_with("`CN=Inter B` (intermediate, certificate 2 of the server's chain) was issued by `CN=Root B`"),
        "{text}"
    );
}
