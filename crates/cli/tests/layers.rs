//! The CLI's tree kept in order (ARCHITECTURE.md, "crates/cli"): the edge (reading arguments
//! and files, shaping output) below the commands, the commands below the list of commands and
//! the help rendered from it, and `main.rs` above all, dispatching only; no files import each
//! other around a cycle. The reading of imports is the core's `tests/support/module_graph.rs`.

#![allow(clippy::panic, clippy::indexing_slicing)]

#[path = "../../core/tests/support/module_graph.rs"]
mod module_graph;

use module_graph::{
    assert_every_module_layered, assert_no_cycle, assert_no_upward_import, find_cycle,
    upward_imports, with_import, Layers, Tree,
};
use std::path::Path;

/// Lowest first.
const LAYERS: Layers = &[
    ("edge", &["args", "edge", "render", "sarif"]),
    (
        "commands",
        &[
            "commands::check",
            "commands::check_set",
            "commands::conninfo",
            "commands::convert_key",
            "commands::explain_error",
            "commands::grants",
            "commands::inspect",
            "commands::rules",
            "commands::verify_chain",
        ],
    ),
    ("the list of commands", &["commands"]),
    ("help", &["help"]),
];

fn cli() -> Tree {
    Tree {
        dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        prefix: "crate::",
        root_file: "main",
    }
}

#[test]
fn every_cli_module_has_a_layer() {
    assert_every_module_layered(&cli().dependencies(), LAYERS, "tests/layers.rs");
}

#[test]
fn no_cli_module_imports_from_a_higher_layer() {
    assert_no_upward_import(&cli().dependencies(), LAYERS);
}

#[test]
fn cli_files_import_each_other_in_no_cycle() {
    assert_no_cycle(&cli().dependencies(), "crates/cli/src");
}

#[test]
fn the_checks_see_the_imports_and_fail_on_an_added_cycle() {
    let graph = cli().dependencies();
    let of = |m: &str| graph.get(m).cloned().unwrap_or_default();
    assert!(of("commands::check").contains("commands::check_set"));
    assert!(of("commands::grants").contains("edge") && of("edge").contains("args"));
    assert!(of("(root)").contains("commands") && of("(root)").contains("help"));
    // The cycle the old `commands.rs` had with `check_set.rs`, put back:
    let added = with_import(&graph, "commands::check_set", "commands::check");
    assert!(find_cycle(&added).is_some());
    assert!(!upward_imports(&with_import(&graph, "edge", "commands::check"), LAYERS).is_empty());
}
