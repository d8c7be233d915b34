//! The module trees of the core kept in order (ARCHITECTURE.md, "PKI layers" and "Module
//! graph"): each module of `src/pki` imports only from its own layer or a lower one, and no
//! files of `src/pki` or `src/conninfo` import each other around a cycle. A module's tests may
//! import anything; a new pki module must be given its layer here. The reading of imports is
//! `tests/support/module_graph.rs`, shared with the CLI's `tests/layers.rs`.

#![allow(clippy::panic, clippy::indexing_slicing)]

#[path = "support/module_graph.rs"]
mod module_graph;

use module_graph::{
    assert_every_module_layered, assert_no_cycle, assert_no_upward_import, find_cycle,
    upward_imports, with_import, Layers, Tree,
};
use std::path::Path;

/// Lowest first. The order issue 16 asked for: der → x509 → certificate facts and the chain
/// model → chain → intake → review.
const PKI_LAYERS: Layers = &[
    (
        "primitives",
        &["der", "time", "oids", "text", "crypto", "pem"],
    ),
    (
        "x509",
        &[
            "x509",
            "x509::extensions",
            "x509::time",
            "name",
            "known_cas",
        ],
    ),
    (
        "facts and the chain model",
        &["chain::model", "chain::policy", "cert", "key"],
    ),
    (
        "chain and key material",
        &[
            "chain",
            "chain::checks",
            "chain::constraints",
            "chain::error",
            "chain::link",
            "chain::names",
            "chain::path",
            "chain::rules",
            "chain::signature",
            "decrypt",
            "pkcs12",
            "keymatch",
        ],
    ),
    ("intake", &["intake", "convert"]),
    ("review", &["review", "system_roots", "shared_identity"]),
];

fn tree(dir: &str, prefix: &'static str) -> Tree {
    Tree {
        dir: Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
        prefix,
        root_file: "mod",
    }
}

fn pki() -> Tree {
    tree("src/pki", "crate::pki::")
}

fn conninfo() -> Tree {
    tree("src/conninfo", "crate::conninfo::")
}

#[test]
fn every_pki_module_has_a_layer() {
    assert_every_module_layered(&pki().dependencies(), PKI_LAYERS, "tests/module_layers.rs");
}

#[test]
fn no_pki_module_imports_from_a_higher_layer() {
    assert_no_upward_import(&pki().dependencies(), PKI_LAYERS);
}

#[test]
fn pki_files_import_each_other_in_no_cycle() {
    assert_no_cycle(&pki().dependencies(), "src/pki");
}

#[test]
fn conninfo_files_import_each_other_in_no_cycle() {
    assert_no_cycle(&conninfo().dependencies(), "src/conninfo");
}

#[test]
fn the_checks_fail_on_an_added_cycle_and_an_upward_import() {
    // The checks above hold today; this shows they would not hold with one import more.
    let graph = pki().dependencies();
    let added = with_import(&graph, "der", "review");
    assert!(find_cycle(&added).is_some_and(|c| c.contains(&"der".to_string())));
    assert!(upward_imports(&added, PKI_LAYERS)
        .iter()
        .any(|u| u.starts_with("der (primitives) imports review")));
    let graph = conninfo().dependencies();
    assert!(find_cycle(&with_import(&graph, "syntax", "security::tls")).is_some());
}

#[test]
fn the_reader_of_imports_sees_paths_groups_supers_children_and_reexports() {
    // The checks above are only as good as this reading: known modules' imports, read back.
    let graph = pki().dependencies();
    let of = |m: &str| graph.get(m).cloned().unwrap_or_default();
    assert!(of("cert").contains("chain::model") && of("cert").contains("known_cas"));
    assert!(
        of("chain::checks").contains("chain::constraints"),
        "{:?}",
        of("chain::checks")
    );
    assert!(of("intake").contains("pkcs12") && of("review").contains("intake"));
    assert!(
        !of("chain::model").contains("cert"),
        "a doc link is not an import"
    );
    assert!(
        of("chain::checks").contains("chain::policy"),
        "`use super::{{Policy, Purpose}}` is read through chain's re-export to chain::policy"
    );
    assert!(
        of("chain").contains("chain::path"),
        "a parent's use of its child counts"
    );
    let graph = conninfo().dependencies();
    let of = |m: &str| graph.get(m).cloned().unwrap_or_default();
    assert!(
        of("(root)").contains("recheck") && of("recheck").contains("unchecked"),
        "the root's bare paths to its children, and `super::analyze_unchecked` through the root's re-export"
    );
    assert!(
        !of("security::tls").contains("security"),
        "`super::Change` re-exports an item from outside the tree: no import of security/mod.rs"
    );
}
