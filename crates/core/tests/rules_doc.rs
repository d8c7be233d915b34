//! docs/rules.md is generated from the registry; this fails when it is stale.
//! Regenerate with `cargo run -q -p pg-preflight-cli -- rules --markdown > docs/rules.md`
//! (or `UPDATE_RULES_DOC=1 cargo test -p pg-preflight-core --test rules_doc`).
#![allow(clippy::unwrap_used, clippy::panic)]

#[test]
fn docs_rules_md_is_generated_from_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let generated = pg_preflight_core::registry::rules_markdown();
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        panic!(
            "docs/rules.md is stale: regenerate it with \
             `cargo run -q -p pg-preflight-cli -- rules --markdown > docs/rules.md`"
        );
    }
}

#[test]
fn every_code_has_an_anchored_section() {
    let markdown = pg_preflight_core::registry::rules_markdown();
    for rule in pg_preflight_core::registry::all() {
        assert!(
            markdown.contains(&format!("\n## {}\n", rule.code)),
            "{}",
            rule.code
        );
        assert!(
            markdown.contains(&format!("](#{})", rule.code.to_ascii_lowercase())),
            "{}",
            rule.code
        );
    }
}
