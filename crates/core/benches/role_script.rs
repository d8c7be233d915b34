//! Native benchmark of role-script generation for large specs (a spec generated from a
//! catalogue can list every table). Prints the time for specs of growing size, so a step back
//! to quadratic work (it once took 6 s for 40,000 tables) shows as a jump in the numbers.
//! `cargo bench -p pg-preflight-core --bench role_script`.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use pg_preflight_core::grants::{self, Date, Environment, RandomSource};
use std::time::Instant;

/// Deterministic bytes: the benchmark measures the script, not an RNG.
struct Counter(u8);

impl RandomSource for Counter {
    fn fill(&mut self, buf: &mut [u8]) {
        for byte in buf {
            self.0 = self.0.wrapping_mul(31).wrapping_add(7);
            *byte = self.0;
        }
    }
}

fn spec(tables: usize) -> String {
    let names: Vec<String> = (0..tables).map(|i| format!("\"app.t{i}\"")).collect();
    let columns: Vec<String> = (0..tables / 10)
        .map(|i| format!("\"app.c{i}\": [\"id\", \"email\", \"id\"]"))
        .collect();
    format!(
        r#"{{"dialect": "postgres", "database": "appdb", "role": "r", "ownerRole": "o",
            "clientCidrs": ["203.0.113.0/24"], "tables": [{}], "columns": {{{}}}}}"#,
        names.join(", "),
        columns.join(", ")
    )
}

fn main() {
    let today = Date::parse("2026-11-22").unwrap();
    println!("role script from a spec listing N tables (and N/10 column grants):");
    for tables in [1_000, 10_000, 40_000, 100_000] {
        let text = spec(tables);
        let mut random = Counter(1);
        let start = Instant::now();
        let generated = grants::generate_from_json(
            &text,
            &mut Environment {
                today,
                random: &mut random,
                client_certificate: None,
            },
        );
        let took = start.elapsed();
        let sql = generated.scripts.as_ref().map_or(0, |s| s.sql.len());
        println!(
            "  {tables:>7} tables: {:>8.1} ms  ({} KB of SQL, {} findings)",
            took.as_secs_f64() * 1000.0,
            sql / 1024,
            generated.diagnostics.len()
        );
    }
}
