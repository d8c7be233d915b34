//! The fix round trip (issue 12): for every string of the project's corpora — the golden and
//! case files, the libpq differential corpus, the strings copied from providers' and tools'
//! documentation (`tests/corpus/provider-docs.jsonl`) and strings generated per dialect — every
//! fix's replacement, checked again in the same dialect, parses, adds no error (a placeholder
//! path aside), no longer raises the finding it fixes, and leaves the verdict no weaker.
//!
//! `analyze` withdraws a replacement that fails (`Fix::withdrawn`), so the user never sees one;
//! this test requires that there is nothing to withdraw, and checks the shown replacements
//! again independently. It also checks what each driver's rendering must never do: write
//! `sslrootcert=system` for a driver that reads it as a file name, lose SQLAlchemy's `+driver`
//! or Prisma's `pgbouncer=true`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr
)]

use pg_preflight_core::conninfo::dialect::knowledge::Driver;
use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{analyze, recheck, CheckOptions};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
struct Sample {
    origin: String,
    input: String,
    driver: Option<Dialect>,
}

fn read(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn jsonl(path: &str, field: &str, driver_field: Option<&str>) -> Vec<Sample> {
    read(path)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1));
            Sample {
                origin: format!("{path}:{}", i + 1),
                input: value[field].as_str().unwrap_or_default().to_string(),
                driver: driver_field
                    .and_then(|f| value[f].as_str())
                    .and_then(Dialect::from_name),
            }
        })
        .collect()
}

/// `… :: INPUT` lines of the security case files.
fn case_lines(path: &str) -> Vec<Sample> {
    read(path)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.starts_with("=>"))
        .filter_map(|(i, l)| {
            l.split_once(" :: ").map(|(_, input)| Sample {
                origin: format!("{path}:{}", i + 1),
                input: input.to_string(),
                driver: None,
            })
        })
        .collect()
}

fn dialect_cases() -> Vec<Sample> {
    let cases: Vec<Value> = serde_json::from_str(&read("tests/dialects/cases.json")).unwrap();
    cases
        .iter()
        .map(|c| Sample {
            origin: format!(
                "dialects/cases.json: {}",
                c["name"].as_str().unwrap_or_default()
            ),
            input: c["input"].as_str().unwrap_or_default().to_string(),
            driver: c["driver"].as_str().and_then(Dialect::from_name),
        })
        .collect()
}

/// Strings a user of each driver writes, in every TLS mode the driver knows, against hosts of
/// the recognised providers and plain ones, with and without a password and a CA file.
fn generated() -> Vec<Sample> {
    let hosts = [
        ("db.example.com", "5432"),
        ("ep-cool-darkness-123456.us-east-2.aws.neon.tech", "5432"),
        ("aws-0-eu-central-1.pooler.supabase.com", "6543"),
        ("db.abcdefghijklmnop.supabase.co", "5432"),
        ("mydb.c9akciq32.eu-west-1.rds.amazonaws.com", "5432"),
        ("myserver.postgres.database.azure.com", "5432"),
        ("app-db-do-user-1-0.b.db.ondigitalocean.com", "25060"),
        // Render documents no CA: `require` is the strongest mode, so fixes stop there.
        ("dpg-abc123def456-a.oregon-postgres.render.com", "5432"),
        // Render's internal name suggests Render only.
        ("dpg-abc123def456-a", "5432"),
        ("abc123.xyz789.tsdb.cloud.timescale.com", "34567"),
        // Cloud SQL's per-instance CA: fixes stop at verify-ca.
        ("10-20-30-40.abcdef.us-central1.sql.goog", "5432"),
        // An EC2 name identifies no provider (Heroku's are such names).
        ("ec2-3-91-12-7.compute-1.amazonaws.com", "5432"),
        ("pg-3b8d4ed6-myfirstcloudhub.aivencloud.com", "12691"),
        ("203.0.113.7", "5432"),
    ];
    let libpq_modes = [
        "",
        "disable",
        "allow",
        "prefer",
        "require",
        "verify-ca",
        "verify-full",
    ];
    let mut out = Vec::new();
    let mut push = |driver: Dialect, input: String| {
        out.push(Sample {
            origin: format!("generated {}", driver.name()),
            input,
            driver: Some(driver),
        });
    };
    for (host, port) in hosts {
        for mode in libpq_modes {
            let q = |extra: &str| {
                let mut params: Vec<String> = Vec::new();
                if !mode.is_empty() {
                    params.push(format!("sslmode={mode}"));
                }
                if !extra.is_empty() {
                    params.push(extra.to_string());
                }
                if params.is_empty() {
                    String::new()
                } else {
                    format!("?{}", params.join("&"))
                }
            };
            push(
                Dialect::Libpq,
                format!("postgresql://app:Xy7-secret@{host}:{port}/app{}", q("")),
            );
            push(
                Dialect::Libpq,
                format!(
                    "host={host} port={port} user=app dbname=app{}",
                    if mode.is_empty() {
                        String::new()
                    } else {
                        format!(" sslmode={mode}")
                    }
                ),
            );
            push(
                Dialect::Jdbc,
                format!("jdbc:postgresql://{host}:{port}/app{}", q("user=app")),
            );
            push(
                Dialect::NodePostgres,
                format!("postgres://app:Xy7-secret@{host}:{port}/app{}", q("")),
            );
            push(
                Dialect::Asyncpg,
                format!("postgres://app:Xy7-secret@{host}:{port}/app{}", q("")),
            );
            push(
                Dialect::Sqlalchemy,
                format!(
                    "postgresql+psycopg2://app:Xy7-secret@{host}:{port}/app{}",
                    q("")
                ),
            );
            push(
                Dialect::Pgx,
                format!("postgres://app:Xy7-secret@{host}:{port}/app{}", q("")),
            );
            push(
                Dialect::Pgx,
                format!(
                    "host={host} port={port} user=app dbname=app{}",
                    if mode.is_empty() {
                        String::new()
                    } else {
                        format!(" sslmode={mode}")
                    }
                ),
            );
            if ["", "disable", "prefer", "require"].contains(&mode) {
                push(
                    Dialect::Prisma,
                    format!(
                        "postgresql://app:Xy7-secret@{host}:{port}/app{}",
                        q("pgbouncer=true")
                    ),
                );
            }
            if [
                "",
                "disable",
                "allow",
                "prefer",
                "require",
                "verify-ca",
                "verify-full",
            ]
            .contains(&mode)
            {
                let npgsql_mode = match mode {
                    "verify-ca" => "VerifyCA",
                    "verify-full" => "VerifyFull",
                    "" => "",
                    m => &format!("{}{}", m[..1].to_uppercase(), &m[1..]),
                };
                let mut s = format!(
                    "Host={host};Port={port};Database=app;Username=app;Password=Xy7-secret"
                );
                if !npgsql_mode.is_empty() {
                    s.push_str(&format!(";SSL Mode={npgsql_mode}"));
                }
                push(Dialect::Npgsql, s);
            }
        }
        // node-postgres's own unverified spelling.
        push(
            Dialect::NodePostgres,
            format!("postgres://app:Xy7-secret@{host}:{port}/app?sslmode=no-verify"),
        );
        for mode in [
            "",
            "disable",
            "prefer",
            "require",
            "verify-ca",
            "verify-full",
        ] {
            let q = if mode.is_empty() {
                String::new()
            } else {
                format!("?ssl={mode}")
            };
            push(
                Dialect::Sqlalchemy,
                format!("postgresql+asyncpg://app:Xy7-secret@{host}:{port}/app{q}"),
            );
        }
    }
    out
}

fn corpora() -> Vec<Sample> {
    let mut samples = Vec::new();
    samples.extend(dialect_cases());
    samples.extend(case_lines("tests/security/cases.txt"));
    samples.extend(case_lines("tests/security/fixes.txt"));
    samples.extend(case_lines("tests/security/secrets.txt"));
    samples.extend(jsonl("../../tests/libpq/corpus.jsonl", "input", None));
    samples.extend(jsonl(
        "tests/corpus/provider-docs.jsonl",
        "string",
        Some("driver"),
    ));
    samples.extend(generated());
    samples
}

/// Drivers whose table maps `sslrootcert=system` away: they read it as a file name.
fn reads_system_as_file(driver: Driver) -> bool {
    !driver.reads_libpq_keywords()
}

#[test]
fn every_fix_rechecks_clean_in_its_own_dialect() {
    let options = CheckOptions::default();
    let mut failures: Vec<String> = Vec::new();
    let mut checked: BTreeMap<&'static str, usize> = BTreeMap::new();
    let samples = corpora();
    for sample in &samples {
        let mut drivers = vec![None];
        if sample.driver.is_some() {
            drivers.push(sample.driver);
        }
        for driver in drivers {
            let analysis = analyze(&sample.input, driver, &options);
            let dialect = analysis.dialect;
            for d in &analysis.diagnostics {
                let Some(fix) = &d.fix else { continue };
                let place = format!("{} [{}] {}", sample.origin, dialect.name(), d.code);
                if let Some(why) = &fix.withdrawn {
                    failures.push(format!(
                        "{place}: withdrawn: {why}\n    input: {}",
                        sample.input
                    ));
                    continue;
                }
                let Some(replacement) = &fix.replacement else {
                    continue;
                };
                *checked.entry(dialect.name()).or_default() += 1;
                if let Some(why) = recheck::check_fix(&analysis, d, replacement, &options) {
                    failures.push(format!(
                        "{place}: {why}\n    input: {}\n    fix:   {replacement}",
                        sample.input
                    ));
                }
                let driver = Driver::of(dialect, &sample.input);
                if reads_system_as_file(driver)
                    && replacement.contains("sslrootcert=system")
                    && !sample.input.contains("sslrootcert=system")
                {
                    failures.push(format!(
                        "{place}: writes sslrootcert=system for {}\n    fix: {replacement}",
                        driver.name()
                    ));
                }
                if dialect == Dialect::Sqlalchemy {
                    // The DBAPI driver after `+` stays (PGP-DRIVER-024's fix renames the
                    // backend, `postgres` → `postgresql`, and nothing else).
                    let scheme = |s: &str| {
                        s.split("://")
                            .next()
                            .unwrap_or_default()
                            .split_once('+')
                            .map(|(_, d)| d.to_ascii_lowercase())
                            .unwrap_or_default()
                    };
                    if scheme(replacement) != scheme(&sample.input) {
                        failures.push(format!(
                            "{place}: the SQLAlchemy scheme changed\n    fix: {replacement}"
                        ));
                    }
                }
                // pg-connection-string reads a bare `sslmode=require` as verify-full: a fix that
                // means libpq's `require` (encrypt without verifying) must say
                // `uselibpqcompat=true` (outside review: the fix failed on Heroku and the
                // re-check advised `require` again).
                let has =
                    |s: &str, p: &str| s.split(['?', '&']).any(|kv| kv.eq_ignore_ascii_case(p));
                // The same holds for `verify-ca` (chain only) where a CA file is named; without
                // one the flag would make pg-connection-string throw.
                let names_file = replacement.contains("sslrootcert=");
                for mode in ["sslmode=require", "sslmode=verify-ca"] {
                    let exempt = mode == "sslmode=verify-ca" && !names_file;
                    if dialect == Dialect::NodePostgres
                        && !exempt
                        && has(replacement, mode)
                        && !has(replacement, "uselibpqcompat=true")
                        && !has(&sample.input, mode)
                    {
                        failures.push(format!(
                            "{place}: bare {mode}, which node-postgres verifies fully\n    fix: {replacement}"
                        ));
                    }
                }
                // A finding about a setting that does not verify the server is fixed by one
                // that does, never by another spelling of the same unverified connection.
                const UNVERIFIED_SETTING: &[&str] = &[
                    "PGP-DRIVER-006",
                    "PGP-DRIVER-012",
                    "PGP-DRIVER-016",
                    "PGP-DRIVER-020",
                    "PGP-DRIVER-023",
                ];
                if UNVERIFIED_SETTING.contains(&d.code) {
                    let again = analyze(replacement, Some(dialect), &options);
                    let verified = again.verdict.as_ref().map(|v| v.server_verified);
                    if verified == Some(pg_preflight_core::conninfo::dialect::Tri::No) {
                        failures.push(format!(
                            "{place}: the fix leaves the server unverified\n    fix: {replacement}"
                        ));
                    }
                }
                if dialect == Dialect::Prisma
                    && sample.input.contains("pgbouncer=true")
                    && !replacement.contains("pgbouncer=true")
                {
                    failures.push(format!(
                        "{place}: pgbouncer=true lost\n    fix: {replacement}"
                    ));
                }
            }
        }
    }
    println!(
        "fix round trip: {} strings, replacements checked per dialect: {checked:?}",
        samples.len()
    );
    for driver in Dialect::ALL {
        assert!(
            checked.get(driver.name()).copied().unwrap_or_default() > 0,
            "no {} replacement was checked: the corpus does not exercise it",
            driver.name()
        );
    }
    assert!(
        failures.is_empty(),
        "{} fixes do not hold:\n{}",
        failures.len(),
        failures
            .iter()
            .take(1000)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// "Apply this fix" keeps the user's secrets (an outside review: SQLAlchemy's asyncpg URL lost
/// its password): every fix of every corpus string, applied as the page applies it, holds each
/// secret of the input as written, except the one the fix removes, or says that it does not.
#[test]
fn every_applied_fix_keeps_the_secrets() {
    use pg_preflight_core::conninfo::{edit, redact};
    let options = CheckOptions::default();
    let mut failures: Vec<String> = Vec::new();
    let mut checked = 0;
    for sample in corpora() {
        let secrets: Vec<&str> = redact::secret_spans(&sample.input, None)
            .iter()
            .filter_map(|&(a, b)| sample.input.get(a..b))
            .collect();
        if secrets.is_empty() {
            continue;
        }
        let analysis = analyze(&sample.input, sample.driver, &options);
        for d in &analysis.diagnostics {
            let Some(fix) = d.fix.as_ref().filter(|f| f.removes_secret.is_none()) else {
                continue;
            };
            if fix.recovers_paste {
                continue;
            }
            let Some(applied) = edit::apply_fix(analysis.dialect, &sample.input, fix) else {
                continue;
            };
            checked += 1;
            let lost: Vec<&&str> = secrets
                .iter()
                .filter(|s| !applied.text.contains(**s))
                .collect();
            if !lost.is_empty()
                && !applied.secret_left_out
                && !same_libpq_secrets(&sample.input, &applied.text)
            {
                failures.push(format!(
                    "{} [{}] {}: lost {lost:?}\n    input:   {}\n    applied: {}",
                    sample.origin,
                    analysis.dialect.name(),
                    d.code,
                    sample.input,
                    applied.text
                ));
            }
        }
    }
    println!("{checked} applied fixes checked");
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A libpq fix is rendered anew, so a secret comes back encoded as libpq writes it (`<` as
/// `%3C` in a URL): what libpq reads from both strings is the same.
fn same_libpq_secrets(input: &str, applied: &str) -> bool {
    use pg_preflight_core::conninfo::syntax;
    let (Ok(before), Ok(after)) = (syntax::parse(input), syntax::parse(applied)) else {
        return false;
    };
    ["password", "sslpassword"]
        .iter()
        .all(|k| before.get(k) == after.get(k))
}
