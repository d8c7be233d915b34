//! Native benchmark of connection-string checks on long, repetitive strings under the 64 KiB
//! limit: the shapes an outside review (session 15) found taking seconds to minutes, each a
//! scan repeated per character or per secret. Prints the time per size, so a step back to
//! quadratic work shows as a jump in the numbers (the time should grow about linearly).
//! `cargo bench -p pg-preflight-core --bench adversarial_strings`.
#![allow(clippy::print_stdout)]

use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze, CheckOptions};
use std::time::Instant;

type Shape = (&'static str, Option<Dialect>, fn(usize) -> String);

fn shapes() -> Vec<Shape> {
    vec![
        (
            "`Host=db;` then `=`s (Npgsql)",
            Some(Dialect::Npgsql),
            |n| format!("Host=db;{}", "=".repeat(n)),
        ),
        ("`Host=db;` then `=`s (libpq)", None, |n| {
            format!("Host=db;{}", "=".repeat(n))
        }),
        ("a password then `=`s", None, |n| {
            format!("Host=db;Password=Zq9XWk7V;{}", "=".repeat(n))
        }),
        ("`password=…&` repeated", None, |n| {
            "password=Zq9X&".repeat(n / 14)
        }),
        (
            "`password=…;` repeated (Npgsql)",
            Some(Dialect::Npgsql),
            |n| "Password=Zq9X;".repeat(n / 14),
        ),
        ("`password=… ` repeated", None, |n| {
            "password=Zq9X ".repeat(n / 14)
        }),
        ("a template, then `‹`s", None, |n| {
            format!(
                "postgres://<USER>:Zq9XWk7V@h/db{}",
                "\u{2039}".repeat(n / 3)
            )
        }),
        ("`a=b ` repeated (pgx)", Some(Dialect::Pgx), |n| {
            "a=b ".repeat(n / 4)
        }),
        ("`-c%20password%3D…` repeated", None, |n| {
            format!(
                "postgres://h/d?options={}",
                "-c%20password%3DZq9X".repeat(n / 20)
            )
        }),
        ("`password%3D` repeated", None, |n| {
            format!("postgres://h/d?options={}", "password%3D".repeat(n / 11))
        }),
        ("`password='a'b` repeated", None, |n| {
            "password='a'b".repeat(n / 13)
        }),
        ("`kN=vN ` distinct keys (pgx)", Some(Dialect::Pgx), |n| {
            let mut text = String::new();
            let mut k = 0;
            while text.len() < n {
                text.push_str(&format!("k{k}=v{k} "));
                k += 1;
            }
            text
        }),
        ("`options='-c password=Zq9X ` repeated", None, |n| {
            format!("options='{}'", "-c password=Zq9X ".repeat(n / 18))
        }),
        ("`options='-c password=a;` repeated", None, |n| {
            format!("options='{}'", "-c password=a;".repeat(n / 14))
        }),
        (
            "`kN=vN&` ignored parameters (Prisma)",
            Some(Dialect::Prisma),
            |n| ignored_parameters(n),
        ),
        (
            "`kN=vN&` ignored parameters (SQLAlchemy)",
            Some(Dialect::Sqlalchemy),
            |n| ignored_parameters(n),
        ),
        (
            "`kN=vN&` ignored parameters (node-postgres)",
            Some(Dialect::NodePostgres),
            |n| ignored_parameters(n),
        ),
        (
            "`kN=vN&` ignored parameters (pgjdbc)",
            Some(Dialect::Jdbc),
            |n| format!("jdbc:{}", ignored_parameters(n)),
        ),
    ]
}

/// A URL of `n` bytes whose query holds parameters no driver reads: each is a finding with its
/// own fix, and every fix is checked again (session 18 saw 200 of them take 12.7 s).
fn ignored_parameters(n: usize) -> String {
    let mut text =
        "postgresql://app:Zq9XWk7V@db.example.com:5432/app?sslmode=verify-full".to_string();
    let mut k = 0;
    while text.len() < n {
        text.push_str(&format!("&k{k}=v{k}"));
        k += 1;
    }
    text
}

fn main() {
    let options = CheckOptions::default();
    println!("check of a string of N bytes, per shape (ms):");
    // `BENCH_SHAPE=pgx` runs only the shapes whose name holds it (for profiling one).
    let only = std::env::var("BENCH_SHAPE").unwrap_or_default();
    for (name, driver, make) in shapes()
        .into_iter()
        .filter(|(name, _, _)| name.contains(&only))
    {
        let mut line = format!("  {name:<44}");
        for n in [4_000, 16_000, 60_000] {
            let input = make(n);
            let start = Instant::now();
            let analysis = analyze(&input, driver, &options);
            let took = start.elapsed().as_secs_f64() * 1000.0;
            line.push_str(&format!(" {:>6} B: {took:>8.1}", input.len(),));
            std::hint::black_box(analysis);
        }
        println!("{line}");
    }
}
