//! Connection snippets (`snippets`):
//!
//! - `snippets/*.case`: a connection string (`dsn:`) and the file names the page would pass
//!   (`ca:`, `cert:`, `key:`, `client: true`); `snippets/<name>.out` is every snippet with its
//!   notes. `UPDATE_GOLDEN=1 cargo test -p pg-preflight-core --test snippets` rewrites them;
//!   review the diff.
//! - No snippet ever holds the password, whatever the string; hostile names stay inside their
//!   literals (each literal decodes back to the value); every snippet verifies the server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use pg_preflight_core::conninfo::{analyze, syntax, CheckOptions};
use pg_preflight_core::snippets::{snippets, Snippet, SnippetInput};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snippets")
}

#[derive(Default)]
struct Case {
    dsn: String,
    ca: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    client: bool,
}

fn read_case(text: &str) -> Case {
    let mut case = Case::default();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (key, value) = line.split_once(": ").unwrap();
        let value = value.to_string();
        match key {
            "dsn" => case.dsn = value,
            "ca" => case.ca = Some(value),
            "cert" => case.cert = Some(value),
            "key" => case.key = Some(value),
            "client" => case.client = value == "true",
            other => panic!("unknown case key {other}"),
        }
    }
    case
}

fn make(case: &Case) -> Vec<Snippet> {
    let analysis = analyze(&case.dsn, None, &CheckOptions::default());
    snippets(&SnippetInput {
        analysis: &analysis,
        ca_path: case.ca.as_deref(),
        client_cert_path: case.cert.as_deref(),
        client_key_path: case.key.as_deref(),
        client_certificate: case.client,
    })
}

fn of(dsn: &str, client: bool) -> Vec<Snippet> {
    make(&Case {
        dsn: dsn.to_string(),
        client,
        ..Case::default()
    })
}

fn render(snippets: &[Snippet]) -> String {
    let mut out = String::new();
    for s in snippets {
        writeln!(out, "=== {} | {} | {}", s.client, s.label, s.language).unwrap();
        out.push_str(&s.code);
        for note in &s.notes {
            writeln!(out, "note: {note}").unwrap();
        }
        out.push('\n');
    }
    out
}

#[test]
fn golden_outputs() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "golden cases missing");
    let mut failures = Vec::new();
    for path in &cases {
        let case = read_case(&std::fs::read_to_string(path).unwrap());
        let actual = render(&make(&case));
        assert!(!actual.is_empty(), "{}: no snippets", path.display());
        failures.extend(common::check_golden(
            path,
            &path.with_extension("out"),
            &actual,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_password_never_appears() {
    let dsns = [
        "postgresql://u:SeCrEt123@h/db",
        "postgresql://u:SeCrEt123@h/db?sslmode=verify-full&sslrootcert=/r.crt&sslpassword=SeCrEt123",
        "host=h user=u password=SeCrEt123 sslpassword=SeCrEt123",
        "jdbc:postgresql://h/db?user=u&password=SeCrEt123",
        "postgresql+psycopg://u:SeCrEt123@h/db",
        "postgresql+asyncpg://u:SeCrEt123@h/db",
        "postgres://u:SeCrEt123@h/db?sslmode=require&sslaccept=strict",
    ];
    for dsn in dsns {
        for client in [false, true] {
            let all = of(dsn, client);
            assert_eq!(all.len(), 8, "{dsn}");
            for s in &all {
                assert!(
                    !s.code.contains("SeCrEt123"),
                    "{dsn} {}: {}",
                    s.client,
                    s.code
                );
                for note in &s.notes {
                    assert!(!note.contains("SeCrEt123"), "{dsn} {}: {note}", s.client);
                }
                assert!(s.code.contains("PGPASSWORD"), "{}", s.client);
            }
        }
    }
}

/// Every snippet asks for the verified connection in its client's own words.
#[test]
fn every_snippet_verifies_the_server() {
    let markers: &[(&str, &[&str])] = &[
        ("psql", &["sslmode=verify-full", "sslrootcert="]),
        ("psycopg", &["sslmode=\"verify-full\"", "sslrootcert="]),
        (
            "asyncpg",
            &["ssl.create_default_context(", "ssl=ssl_context"],
        ),
        (
            "node-postgres",
            &["rejectUnauthorized: true", "ca: fs.readFileSync("],
        ),
        ("jdbc", &["\"sslmode\", \"verify-full\"", "\"sslrootcert\""]),
        ("pgx", &["sslmode=verify-full", "sslrootcert="]),
        (
            "prisma",
            &["sslmode=require", "sslaccept=strict", "sslcert="],
        ),
        (
            "sqlalchemy",
            &["\"sslmode\": \"verify-full\"", "\"sslrootcert\""],
        ),
    ];
    let dsns = [
        "postgresql://u@h/db?sslmode=disable",
        "host=h sslmode=prefer",
        "jdbc:postgresql://h/db?ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory",
        "postgres://u@h/db?sslmode=no-verify",
        "postgresql://u@h/db?sslmode=require&sslaccept=accept_invalid_certs",
        "postgresql+asyncpg://u@h/db?ssl=disable",
    ];
    for dsn in dsns {
        let all = of(dsn, true);
        assert_eq!(all.len(), 8, "{dsn}");
        for s in &all {
            let (_, wanted) = markers.iter().find(|(c, _)| *c == s.client).unwrap();
            for marker in *wanted {
                assert!(
                    s.code.contains(marker),
                    "{dsn} {}: no {marker}\n{}",
                    s.client,
                    s.code
                );
            }
            for weak in [
                "disable",
                "prefer",
                "no-verify",
                "rejectUnauthorized: false",
                "NonValidating",
                "accept_invalid_certs",
            ] {
                assert!(
                    !s.code.contains(weak),
                    "{dsn} {}: {weak}\n{}",
                    s.client,
                    s.code
                );
            }
        }
    }
}

const HOSTILE: &str = "a\"b'c\\d$(x)";

/// The value of `keyword` in a libpq keyword/value string.
fn kv_value(conninfo: &str, keyword: &str) -> String {
    syntax::parse(conninfo)
        .unwrap()
        .get(keyword)
        .unwrap()
        .to_string()
}

/// The single-quoted shell word after `psql `, unquoted as a POSIX shell does.
fn shell_word(line: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '\'') => quoted = false,
            (true, c) => out.push(c),
            (false, '\'') => quoted = true,
            (false, '\\') => out.push(chars.next().unwrap()),
            (false, c) if c.is_whitespace() => panic!("word split in {line}"),
            (false, c) => out.push(c),
        }
    }
    assert!(!quoted, "unterminated quote in {line}");
    out
}

#[test]
fn hostile_names_stay_inside_their_literals() {
    let dsn = "host=db.example.com user='a\"b\\'c\\\\d$(x)' dbname='a\"b\\'c\\\\d$(x)' sslrootcert='/tmp/a\"b\\'c\\\\d$(x).crt'";
    let analysis = analyze(dsn, None, &CheckOptions::default());
    let params = analysis.params.as_ref().unwrap();
    assert_eq!(params["user"], HOSTILE);
    assert_eq!(params["dbname"], HOSTILE);
    let all = of(dsn, false);
    assert_eq!(all.len(), 8);
    let json = serde_json::to_string(HOSTILE).unwrap();
    let by = |c: &str| all.iter().find(|s| s.client == c).unwrap();

    // psql: one shell word whose text is a libpq string holding the same values.
    let psql = by("psql")
        .code
        .lines()
        .find(|l| l.starts_with("psql "))
        .unwrap();
    let conninfo = shell_word(psql.strip_prefix("psql ").unwrap());
    assert_eq!(kv_value(&conninfo, "user"), HOSTILE);
    assert_eq!(kv_value(&conninfo, "dbname"), HOSTILE);
    assert_eq!(kv_value(&conninfo, "sslrootcert"), "/tmp/a\"b'c\\d$(x).crt");

    // pgx: a Go (JSON) string literal holding a libpq string with the same values.
    let pgx = &by("pgx").code;
    let start = pgx.find("context.Background(), ").unwrap() + "context.Background(), ".len();
    let mut stream = serde_json::Deserializer::from_str(&pgx[start..]).into_iter::<String>();
    let conninfo = stream.next().unwrap().unwrap();
    assert_eq!(kv_value(&conninfo, "user"), HOSTILE);
    assert_eq!(kv_value(&conninfo, "dbname"), HOSTILE);

    // Python, JavaScript, Java: the value as a JSON literal, which reads back the same in each.
    for (client, prefixes) in [
        ("psycopg", vec!["user=", "dbname="]),
        ("asyncpg", vec!["user=", "database="]),
        ("sqlalchemy", vec!["username=", "database="]),
        ("node-postgres", vec!["user: ", "database: "]),
        ("jdbc", vec!["props.setProperty(\"user\", "]),
    ] {
        let code = &by(client).code;
        for prefix in prefixes {
            assert!(
                code.contains(&format!("{prefix}{json}")),
                "{client}: {prefix}\n{code}"
            );
        }
    }
    // Prisma and the JDBC URL: percent-encoded, nothing left that ends a literal.
    let prisma = &by("prisma").code;
    let url = prisma
        .lines()
        .find(|l| l.starts_with("DATABASE_URL="))
        .unwrap();
    let inner = url
        .strip_prefix("DATABASE_URL=\"")
        .unwrap()
        .strip_suffix('"')
        .unwrap();
    assert!(!inner.contains(['"', '\'', '\\', '(']), "{inner}");
    assert!(
        inner.contains("//a%22b%27c%5Cd%24%28x%29:${PGPASSWORD}@"),
        "{inner}"
    );
    assert!(by("jdbc").code.contains("/a%22b%27c%5Cd%24%28x%29\";"));
}

#[test]
fn a_hostile_host_stays_inside_its_literals() {
    let dsn = "host='a\"b\\'c\\\\d$(x)' user=u";
    let all = of(dsn, true);
    assert_eq!(all.len(), 8);
    let json = serde_json::to_string(HOSTILE).unwrap();
    for s in &all {
        match s.client {
            "psycopg" | "asyncpg" | "sqlalchemy" => {
                assert!(s.code.contains(&format!("host={json}")), "{}", s.code)
            }
            "node-postgres" => assert!(s.code.contains(&format!("host: {json}")), "{}", s.code),
            "psql" => {
                let line = s.code.lines().find(|l| l.starts_with("psql ")).unwrap();
                let conninfo = shell_word(line.strip_prefix("psql ").unwrap());
                assert_eq!(kv_value(&conninfo, "host"), HOSTILE);
            }
            _ => {
                for bad in ["$(x)", "c\\d"] {
                    assert!(
                        !s.code.contains(bad) || s.client == "pgx",
                        "{}: {}",
                        s.client,
                        s.code
                    );
                }
            }
        }
    }
}

#[test]
fn single_host_clients_say_they_took_the_first() {
    let all = of("host=a,b port=5432,5433 sslmode=verify-full", false);
    for client in ["node-postgres", "prisma"] {
        let s = all.iter().find(|s| s.client == client).unwrap();
        assert!(
            s.notes.iter().any(|n| n.contains("`a:5432`")),
            "{client}: {:?}",
            s.notes
        );
        assert!(!s.code.contains("5433"), "{client}");
    }
    for client in ["psql", "pgx", "jdbc", "psycopg", "asyncpg", "sqlalchemy"] {
        let s = all.iter().find(|s| s.client == client).unwrap();
        assert!(s.code.contains("5433"), "{client}: {}", s.code);
    }
}

#[test]
fn client_certificate_lines_only_when_asked() {
    let dsn = "host=h sslcert=c.crt sslkey=c.key sslrootcert=r.crt";
    for s in of(dsn, false) {
        for word in ["c.crt", "c.key", "load_cert_chain", "sslidentity", "c.pk8"] {
            assert!(!s.code.contains(word), "{}: {word}", s.client);
        }
    }
    for s in of(dsn, true) {
        let wanted = match s.client {
            "prisma" => "sslidentity=c.p12",
            "jdbc" => "c.pk8",
            _ => "c.crt",
        };
        assert!(s.code.contains(wanted), "{}: {}", s.client, s.code);
    }
}

/// Every prefix of assorted strings (cut at character boundaries): no panic, no password, and
/// either nothing or all eight snippets.
#[test]
fn prefixes_never_panic_or_leak() {
    let bases = [
        "postgresql://us%20er:SeCrEt123@[::1]:5433,h2.example.com:5434/d%27b?sslmode=verify-ca&sslrootcert=/r.crt&sslcert=c.crt&sslkey=k.key",
        "host=a,b,/tmp hostaddr=10.0.0.1,,, port=1,2,3 user='x y' password=SeCrEt123 sslrootcert=system",
        "jdbc:postgresql://[::1]:5432,h/db?user=u&password=SeCrEt123&sslmode=require&sslkey=k.p12",
        "postgresql+asyncpg://u:SeCrEt123@h:1/db?ssl=verify-full&sslrootcert=é.crt",
        "Host=h;Username=u;Password=SeCrEt123;SSL Mode=Require",
    ];
    for base in bases {
        for (end, _) in base.char_indices().chain([(base.len(), ' ')]) {
            let dsn = &base[..end];
            for client in [false, true] {
                let all = of(dsn, client);
                assert!(all.is_empty() || all.len() == 8, "{dsn}");
                for s in &all {
                    for secret in ["SeCrEt123", "SeCrEt12", "SeCrEt1"] {
                        assert!(!s.code.contains(secret), "{dsn} {}: {}", s.client, s.code);
                    }
                }
            }
        }
    }
}
