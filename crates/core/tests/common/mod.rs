//! Shared by the integration tests: the PKI fixtures made by scripts/make-pki-fixtures.sh, and
//! golden-file comparison.
#![allow(dead_code, clippy::panic)]

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pki")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares `actual` with the golden file `golden`; with `UPDATE_GOLDEN` set, rewrites it
/// instead. Returns a failure message when they differ.
pub fn check_golden(
    source: &std::path::Path,
    golden: &std::path::Path,
    actual: &str,
) -> Option<String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, actual).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
        return None;
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_default();
    (expected != actual).then(|| {
        format!(
            "{}: output differs from {} (UPDATE_GOLDEN=1 to rewrite, then review the diff)\n{actual}",
            source.display(),
            golden.display()
        )
    })
}
