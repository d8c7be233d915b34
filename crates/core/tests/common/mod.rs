//! Shared by the integration tests: the PKI fixtures made by scripts/make-pki-fixtures.sh,
//! golden-file comparison, and a deterministic random source for the role scripts.
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

/// Compares `generated` with the golden file at `golden` line by line (JSON Lines corpora);
/// with `UPDATE_GOLDEN` set, rewrites it instead. Returns up to ten differing lines, and a
/// line-count difference, as failure messages.
pub fn check_golden_lines(golden: &std::path::Path, generated: &str) -> Vec<String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, generated).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
        return Vec::new();
    }
    let committed = std::fs::read_to_string(golden).unwrap_or_default();
    let mut failures: Vec<String> = committed
        .lines()
        .zip(generated.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("golden differs:\n  expected {a}\n  got      {b}"))
        .take(10)
        .collect();
    if committed.lines().count() != generated.lines().count() {
        failures.push(format!(
            "{}: {} lines committed, {} now (UPDATE_GOLDEN=1 to rewrite, then review the diff)",
            golden.display(),
            committed.lines().count(),
            generated.lines().count()
        ));
    }
    failures
}

/// Deterministic bytes (an LCG), so role scripts and their golden outputs are stable.
pub struct TestRandom(pub u64);

impl pg_preflight_core::RandomSource for TestRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            *b = (self.0 >> 33) as u8;
        }
    }
}

pub mod pki;
