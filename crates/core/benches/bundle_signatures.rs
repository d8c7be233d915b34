//! Native benchmark of the part of a CA-bundle check that dominates it: verifying every
//! self-signed certificate's signature. Prints the time per key type, and first the time to
//! parse the bundle's certificates (the chain model and the card facts); the browser figures
//! come from scripts/bench-page.mjs. `cargo bench -p pg-preflight-core --bench bundle_signatures
//! [-- FILE]` (default: Debian's /etc/ssl/certs/ca-certificates.crt).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use pg_preflight_core::pki::cert;
use pg_preflight_core::pki::chain::model::ChainCert;
use pg_preflight_core::pki::chain::signature;
use pg_preflight_core::pki::pem;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .filter(|a| a != "--bench")
        .unwrap_or_else(|| "/etc/ssl/certs/ca-certificates.crt".into());
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: cannot read {path}");
        return;
    };
    let ders: Vec<Vec<u8>> = pem::scan(&text)
        .into_iter()
        .filter_map(|block| block.body.ok())
        .collect();
    let rounds = 20;
    print_parse_times(&ders, rounds);
    let certs: Vec<ChainCert> = ders
        .iter()
        .filter_map(|der| ChainCert::parse(der).ok())
        .collect();
    let mut by_kind: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for cert in &certs {
        let kind = signature::algorithm_name(&cert.signature_algorithm);
        let start = Instant::now();
        for _ in 0..rounds {
            let _ = signature::verify(
                &cert.signature_algorithm,
                &cert.tbs,
                &cert.signature,
                &cert.spki,
            );
        }
        let entry = by_kind.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += start.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds);
    }
    println!("{} certificates from {path}", certs.len());
    let total: f64 = by_kind.values().map(|v| v.1).sum();
    for (kind, (count, ms)) in &by_kind {
        println!(
            "  {kind:<40} ×{count:<3} {ms:8.2} ms  ({:.3} ms each)",
            ms / *count as f64
        );
    }
    println!("  all signatures: {total:.1} ms");
}

/// Milliseconds to parse every certificate once, as the chain model and as the card facts.
fn print_parse_times(ders: &[Vec<u8>], rounds: u32) {
    let time = |parse: &dyn Fn(&[u8]) -> bool| {
        let start = Instant::now();
        let mut parsed = 0;
        for _ in 0..rounds {
            parsed = ders.iter().filter(|der| parse(der)).count();
        }
        (
            parsed,
            start.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds),
        )
    };
    let (model, model_ms) = time(&|der| ChainCert::parse(der).is_ok());
    let (facts, facts_ms) = time(&|der| cert::parse(der).is_ok());
    println!(
        "parse {} certificates: chain model {model_ms:.2} ms ({model} parsed), card facts {facts_ms:.2} ms ({facts} parsed)",
        ders.len()
    );
}
