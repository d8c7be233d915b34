//! What the page's two WebAssembly modules hand each other must read back: a `Diagnostic`
//! takes its `'static` parts from fixed lists (`diagnostic::CODE_FIX_LANGUAGES`, `input::Field`,
//! `grants::SPEC_KEYS`), so a value written anywhere must be in its list. The sources are read
//! for every `language: "…"` a code fix is written with.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

fn rust_sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn every_code_fix_language_written_is_one_that_reads_back() {
    let mut sources = Vec::new();
    rust_sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut sources,
    );
    let written: BTreeSet<String> = sources
        .iter()
        .flat_map(|text| text.split("language: \"").skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect();
    let listed: BTreeSet<String> = pg_preflight_core::diagnostic::CODE_FIX_LANGUAGES
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(
        written.len() >= 5,
        "the reader found no languages: {written:?}"
    );
    assert_eq!(written, listed);
}

#[test]
fn the_typescript_input_field_union_is_the_fields_wire_names() {
    // The JS API's `.d.ts` names each certificate input once (`InputField`); the page's first
    // module declares it in `src/api.rs`.
    let api = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/api.rs"),
    )
    .unwrap();
    let declaration = api
        .lines()
        .find_map(|line| line.strip_prefix("export type InputField = "))
        .unwrap();
    let names: Vec<&str> = declaration
        .trim_end_matches(';')
        .split('|')
        .map(|name| name.trim().trim_matches('"'))
        .collect();
    let wire: Vec<&str> = pg_preflight_core::input::Field::ALL
        .iter()
        .map(|f| f.source())
        .collect();
    assert_eq!(names, wire);
}
