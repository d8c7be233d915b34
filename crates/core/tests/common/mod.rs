//! Shared by the integration tests: the PKI fixtures made by scripts/make-pki-fixtures.sh.
#![allow(dead_code, clippy::panic)]

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pki")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
