//! Golden and property tests for role-script generation (`grants`), all data-driven:
//!
//! - `grants/*.json`: a role spec; `grants/<name>.out` is every output for it (the scripts, the
//!   pg_hba and postgresql.conf lines, notes and diagnostic codes) with a deterministic random
//!   source and date. `UPDATE_GOLDEN=1 cargo test -p pg-preflight-core --test grants` rewrites
//!   them; review the diff. MySQL specs with certificate auth get the client certificate fixture
//!   (REQUIRE SUBJECT … AND ISSUER …).
//! - `grants/reject.txt`: `CODES :: SPEC`; each code is raised and no script is written.
//! - Generated specs with hostile names: a script is always written for a valid spec, and no
//!   output ever contains the password.
//!
//! The scripts' behaviour on real servers is proven by tests/grants/ (PostgreSQL 15 and 18,
//! MariaDB).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;
use common::TestRandom;

use pg_preflight_core::grants::{self, Date, Environment, Generated, RandomSource};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 22,
};

fn generate(spec: &str, certificate: Option<&[u8]>, seed: u64) -> Generated {
    let mut random = TestRandom(seed);
    grants::generate_from_json(
        spec,
        &mut Environment {
            today: TODAY,
            random: &mut random,
            client_certificate: certificate,
        },
    )
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grants")
}

fn render(generated: &Generated) -> String {
    let mut out = String::new();
    for d in &generated.diagnostics {
        writeln!(
            out,
            "diagnostic {} {}: {}",
            d.code,
            d.severity.as_str(),
            d.detail
        )
        .unwrap();
    }
    let Some(s) = &generated.scripts else {
        out.push_str("NO SCRIPT\n");
        return out;
    };
    writeln!(out, "login role: {}", s.login_role).unwrap();
    writeln!(out, "group role: {:?}", s.group_role).unwrap();
    writeln!(
        out,
        "generated password: {:?}",
        s.generated_password.as_ref().map(|p| p.as_str())
    )
    .unwrap();
    for note in &s.notes {
        writeln!(out, "note: {note}").unwrap();
    }
    let sections = [
        ("sql", Some(&s.sql)),
        ("hba", s.hba.as_ref()),
        ("serverConf", s.server_conf.as_ref()),
        ("verify", Some(&s.verify)),
        ("rotate", Some(&s.rotate)),
        ("teardown", Some(&s.teardown)),
    ];
    for (name, text) in sections {
        if let Some(text) = text {
            writeln!(out, "==== {name}\n{text}").unwrap();
        }
    }
    out
}

/// Every finding about the spec names its key (a form marks the field by it); only a spec that
/// is not even JSON of the right shape (PGP-GRANT-001) has none to name.
fn assert_findings_name_their_spec_key(generated: &Generated, place: &str) {
    for d in generated
        .diagnostics
        .iter()
        .filter(|d| d.code != "PGP-GRANT-001")
    {
        assert!(
            d.spec_key.is_some_and(|k| grants::SPEC_KEYS.contains(&k)),
            "{place}: {} ({}) has no spec key",
            d.code,
            d.detail
        );
    }
}

/// `SPEC_KEYS` is exactly what `RoleSpec` reads: serde lists the fields it expects when it
/// meets an unknown one.
#[test]
fn the_spec_keys_are_the_role_specs_fields() {
    let error = serde_json::from_str::<grants::RoleSpec>(r#"{"noSuchKey": 1}"#)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let expected = error
        .split_once("expected one of ")
        .and_then(|(_, list)| list.split_once(" at line"))
        .map(|(list, _)| list)
        .unwrap_or_default();
    let read: Vec<&str> = expected
        .split(", ")
        .map(|k| k.trim_matches(|c: char| c == '`' || c == ' ' || !c.is_ascii_alphanumeric()))
        .filter(|k| !k.is_empty())
        .collect();
    assert_eq!(read, grants::SPEC_KEYS, "{error}");
}

#[test]
fn golden_outputs() {
    let certificate = common::fixture("client.crt");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 7, "golden specs missing");
    let mut failures = Vec::new();
    for path in &specs {
        let spec = std::fs::read_to_string(path).unwrap();
        let cert =
            (spec.contains("\"mysql\"") && spec.contains("cert")).then_some(certificate.as_slice());
        let generated = generate(&spec, cert, 7);
        // The page's role builder reads its scripts back from this report (its second module
        // writes them): nothing may be lost on the way.
        let report = serde_json::to_value(generated.report()).unwrap();
        let read_back: Generated = serde_json::from_value(report).unwrap();
        assert_eq!(read_back, generated, "{}", path.display());
        assert_findings_name_their_spec_key(&generated, &path.display().to_string());
        let actual = render(&generated);
        failures.extend(common::check_golden(
            path,
            &path.with_extension("out"),
            &actual,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn impossible_specs_get_their_codes_and_no_script() {
    let text = std::fs::read_to_string(dir().join("reject.txt")).unwrap();
    let mut checked = 0;
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (codes, spec) = line.split_once(" :: ").unwrap();
        let generated = generate(spec, None, 1);
        let raised: Vec<&str> = generated.diagnostics.iter().map(|d| d.code).collect();
        assert_findings_name_their_spec_key(&generated, &format!("reject.txt:{}", number + 1));
        for code in codes.split_whitespace() {
            assert!(
                raised.contains(&code),
                "reject.txt:{}: expected {code}, got {raised:?}",
                number + 1
            );
        }
        assert!(
            generated.scripts.is_none(),
            "reject.txt:{}: a script was written for an impossible spec",
            number + 1
        );
        checked += 1;
    }
    assert!(checked >= 25);
}

/// Names drawn from the characters that break naive quoting, at random lengths up to the limit.
fn hostile_name(random: &mut TestRandom, max_bytes: usize) -> String {
    const PIECES: &[&str] = &[
        "a", "Z", "_", "1", " ", "'", "\"", ";", "\\", "$$", "$pgp$", "--", "/*", "`", "%", "é",
        "Ünï", "😀", "select", "user", ".", ",", "#", "+", "@", "/",
    ];
    let mut byte = [0u8; 1];
    random.fill(&mut byte);
    let parts = 1 + usize::from(byte[0] % 8);
    let mut name = String::new();
    for _ in 0..parts {
        random.fill(&mut byte);
        let piece = PIECES[usize::from(byte[0]) % PIECES.len()];
        if name.len() + piece.len() > max_bytes {
            break;
        }
        name.push_str(piece);
    }
    if name.is_empty() || name.to_ascii_lowercase().starts_with("pg_") {
        name.insert(0, 'n');
    }
    name
}

#[test]
fn hostile_generated_specs_always_get_a_script_without_the_password() {
    let mut random = TestRandom(2026);
    for round in 0..300 {
        let dialect = if round % 3 == 0 { "mysql" } else { "postgres" };
        let limit = if dialect == "mysql" { 30 } else { 63 };
        let role = hostile_name(&mut random, limit);
        let schema = hostile_name(&mut random, limit);
        let table = hostile_name(&mut random, limit);
        let column = hostile_name(&mut random, limit);
        let owner = hostile_name(&mut random, limit);
        if [&schema, &table]
            .iter()
            .any(|n| n.contains('/') || n.ends_with(' '))
            && dialect == "mysql"
        {
            continue;
        }
        if ["public", "none"].contains(&role.as_str()) || role == owner || owner == "public" {
            continue;
        }
        let quoted = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
        let password = format!("pw-{round}-Secret-Value-0123456789");
        let spec = serde_json::json!({
            "dialect": dialect,
            "database": if dialect == "mysql" { schema.clone() } else { "appdb".into() },
            "role": role,
            "access": if round % 2 == 0 { "read-only" } else { "read-write" },
            "schemas": [schema],
            "tables": [format!("{}.{}", quoted(&schema), quoted(&table))],
            "columns": {format!("{}.{}", quoted(&schema), quoted(&format!("{table}2"))): [column]},
            "ownerRole": if dialect == "postgres" { Some(owner) } else { None },
            "clientCidrs": ["127.0.0.1/32"],
            "password": password,
            "serverVersion": if dialect == "postgres" { serde_json::json!(13 + round % 6) } else { serde_json::json!("mariadb-10.11") },
        });
        let spec = serde_json::to_string(&spec).unwrap();
        let generated = generate(&spec, None, round);
        let Some(scripts) = &generated.scripts else {
            // A table name with `2` appended can pass the limit; anything else is a bug.
            let codes: Vec<&str> = generated.diagnostics.iter().map(|d| d.code).collect();
            assert!(
                codes.iter().all(|c| *c == "PGP-GRANT-003"),
                "round {round}: {spec}\n{:?}",
                generated.diagnostics
            );
            continue;
        };
        let all = render(&generated);
        assert!(
            !all.contains(&password),
            "round {round}: the password appears in the output"
        );
        assert!(scripts.sql.contains("BEGIN;") || dialect == "mysql");
    }
}

/// The arguments a POSIX shell makes of a command line copied from a script's comment: the
/// real `sh` is the oracle. `<this file>` is the one placeholder left (a redirection to sh).
fn shell_arguments(command: &str) -> Vec<String> {
    let command = command
        .trim_start_matches("--")
        .trim()
        .replace("<this file>", "FILE");
    let rest = command.strip_prefix("psql ").expect("a psql command line");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\0' {rest}"))
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{command}");
    String::from_utf8(output.stdout)
        .unwrap()
        .split_terminator('\0')
        .map(str::to_string)
        .collect()
}

/// What psql and libpq read from a `-d` argument or a connection string argument (psql reads
/// one holding `=` or starting with a URI prefix as a connection string).
fn libpq_reads(argument: &str, keyword: &str) -> Option<String> {
    use pg_preflight_core::conninfo::syntax;
    let is_conninfo = argument.contains('=')
        || argument.starts_with("postgresql://")
        || argument.starts_with("postgres://");
    if !is_conninfo {
        return (keyword == "dbname").then(|| argument.to_string());
    }
    let parsed = syntax::parse(argument).ok()?;
    parsed
        .params
        .iter()
        .find(|p| p.keyword == keyword)
        .map(|p| p.value.clone())
}

/// The command lines in the role script's header and the verification script's comment name
/// the spec's own database (and role), quoted so a shell hands psql exactly that name: the
/// `<database>` placeholder is gone.
#[test]
fn command_lines_in_comments_name_the_database_as_given() {
    for database in [
        "appdb",
        "app db",
        "it's",
        "a=b",
        "postgresql://x",
        "$(touch x)`id`",
        "-x",
        "é \\ \"q\"",
    ] {
        let role = "o'reader";
        let spec = serde_json::json!({"dialect": "postgres", "database": database, "role": role,
            "ownerRole": "app_owner", "clientCidrs": ["10.0.0.0/8"]});
        let generated = generate(&spec.to_string(), None, 3);
        let scripts = generated.scripts.as_ref().expect("a script");
        assert!(!scripts.sql.contains("<database>"), "{database}");
        let header = scripts
            .sql
            .lines()
            .find(|l| l.contains("psql "))
            .expect("the header's psql line");
        let args = shell_arguments(header);
        let d = args.iter().position(|a| a == "-d").expect("-d") + 1;
        assert_eq!(
            libpq_reads(&args[d], "dbname").as_deref(),
            Some(database),
            "{header}"
        );
        let verify = scripts
            .verify
            .lines()
            .find(|l| l.contains("psql "))
            .expect("the verification's psql line");
        assert!(!verify.contains("<database>") && !verify.contains("<role>"));
        let args = shell_arguments(verify);
        assert_eq!(libpq_reads(&args[0], "dbname").as_deref(), Some(database));
        assert_eq!(libpq_reads(&args[0], "user").as_deref(), Some(role));
    }
}

/// PUBLIC's default TEMPORARY on the database (PostgreSQL docs §5.8, Table 5.2) lets a read-only
/// role create temporary tables. The script does not revoke it from PUBLIC unless asked (that
/// affects every role) but says so, with the statement to run; the verification shows it.
#[test]
fn public_temporary_is_explained_unless_revoked() {
    let base = r#""dialect":"postgres","database":"app db","role":"r","ownerRole":"o","clientCidrs":["10.0.0.0/8"]"#;
    let generated = generate(&format!("{{{base}}}"), None, 3);
    let scripts = generated.scripts.as_ref().unwrap();
    let revoke = r#"REVOKE TEMPORARY ON DATABASE "app db" FROM PUBLIC;"#;
    let advice = scripts.sql.lines().find(|l| l.contains(revoke));
    assert!(
        advice.is_some_and(|l| l.starts_with("--")),
        "the statement to run, as a comment only:\n{}",
        scripts.sql
    );
    assert!(
        scripts.sql.contains("5.8 \"Privileges\", Table 5.2"),
        "{}",
        scripts.sql
    );
    assert!(
        scripts
            .notes
            .iter()
            .any(|n| n.contains("temporary tables") && n.contains(revoke)),
        "{:#?}",
        scripts.notes
    );
    assert!(scripts
        .verify
        .contains("has_database_privilege(current_database(), 'TEMPORARY')"));

    // Opted in: REVOKE ALL takes TEMPORARY from PUBLIC, so nothing is left to explain.
    let revoked = generate(
        &format!(r#"{{{base},"revokePublicDatabase":true}}"#),
        None,
        3,
    );
    let scripts = revoked.scripts.as_ref().unwrap();
    assert!(scripts
        .sql
        .lines()
        .any(|l| l == r#"REVOKE ALL ON DATABASE "app db" FROM PUBLIC;"#));
    assert!(!scripts.sql.contains(revoke));
    assert!(!scripts.notes.iter().any(|n| n.contains("temporary tables")));
}

/// An emptied limit (`null`, what the page's role builder sends for a cleared field) is no
/// limit of the role's own, said by PGP-GRANT-013: `CONNECTION LIMIT -1` and `RESET` of the
/// timeout (so a re-run removes an earlier limit), MySQL's `MAX_USER_CONNECTIONS 0`. Never the
/// default of an absent key.
#[test]
fn emptied_limits_are_no_limit_and_said() {
    let base = r#""dialect":"postgres","database":"appdb","role":"r","ownerRole":"o","clientCidrs":["10.0.0.0/8"]"#;
    let generated = generate(
        &format!(r#"{{{base},"connectionLimit":null,"statementTimeout":null}}"#),
        None,
        3,
    );
    let sql = &generated.scripts.as_ref().unwrap().sql;
    assert!(sql.contains("CONNECTION LIMIT -1"), "{sql}");
    assert!(!sql.contains("CONNECTION LIMIT 5"), "{sql}");
    assert!(
        sql.contains("ALTER ROLE r RESET statement_timeout;"),
        "{sql}"
    );
    assert!(!sql.contains("statement_timeout = "), "{sql}");
    // The timeouts the spec left out keep their defaults.
    assert!(
        sql.contains("ALTER ROLE r SET lock_timeout = '5s';"),
        "{sql}"
    );
    let said: Vec<_> = generated
        .diagnostics
        .iter()
        .filter(|d| d.code == "PGP-GRANT-013")
        .filter_map(|d| d.spec_key)
        .collect();
    assert_eq!(said, ["connectionLimit", "statementTimeout"]);

    let mysql = generate(
        r#"{"dialect":"mysql","database":"appdb","role":"r","clientCidrs":["10.0.0.0/8"],"connectionLimit":null}"#,
        None,
        3,
    );
    let sql = &mysql.scripts.as_ref().unwrap().sql;
    assert!(sql.contains("WITH MAX_USER_CONNECTIONS 0\n"), "{sql}");
    assert!(mysql.diagnostics.iter().any(|d| d.code == "PGP-GRANT-013"));
}

/// `validUntil` is a date; the scripts state the instant it means, 00:00 UTC at its start,
/// with the zone written out (a bare date is midnight in the session's TimeZone), and the note
/// says which instant it is.
#[test]
fn valid_until_is_an_explicit_utc_instant() {
    let generated = generate(
        r#"{"dialect":"postgres","database":"appdb","role":"r","ownerRole":"o","clientCidrs":["10.0.0.0/8"],"validUntil":"2027-03-01"}"#,
        None,
        3,
    );
    let scripts = generated.scripts.as_ref().unwrap();
    assert!(
        scripts.sql.contains("VALID UNTIL '2027-03-01 00:00:00+00'"),
        "{}",
        scripts.sql
    );
    assert!(scripts
        .rotate
        .contains("VALID UNTIL '2027-03-01 00:00:00+00'"));
    assert!(
        scripts.sql.contains("(00:00 UTC, the start of that day)"),
        "{}",
        scripts.sql
    );
    assert!(
        scripts.notes.iter().any(|n| n.starts_with(
            "VALID UNTIL 2027-03-01 00:00:00+00 (00:00 UTC at the start of 2027-03-01)"
        )),
        "{:#?}",
        scripts.notes
    );
}
