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

/// The workspace root, where `file!()` paths start.
fn workspace() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_rule_is_declared_with_the_macro_where_the_docs_say() {
    // docs/rules.md links each code to `file:line`; that line opens the rule's `rule!(`
    // (or names the rule on the lines right after, as rustfmt lays the macro out).
    for rule in pg_preflight_core::registry::all() {
        let text = std::fs::read_to_string(workspace().join(rule.file))
            .unwrap_or_else(|e| panic!("{}: {}: {e}", rule.code, rule.file));
        let lines: Vec<&str> = text.lines().collect();
        let from = usize::try_from(rule.line).unwrap() - 1;
        let declaration = lines[from..lines.len().min(from + 4)].join("\n");
        assert!(
            declaration.trim_start().starts_with("rule!(") && declaration.contains(rule.code),
            "{} is not declared by `rule!` at {}:{}",
            rule.code,
            rule.file,
            rule.line
        );
    }
}

#[test]
fn no_rule_is_written_out_by_hand() {
    // One way to declare a rule: the `rule!` macro in lib.rs builds every `Rule`.
    let mut pending = vec![workspace().join("crates/core/src")];
    let mut by_hand = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("lib.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains(": Rule = Rule {") || text.contains("registry::Rule {") {
                    by_hand.push(path.display().to_string());
                }
            }
        }
    }
    assert!(by_hand.is_empty(), "rules written out by hand: {by_hand:?}");
}
