//! One positive and one negative case for every rule code in the registry, data-driven.
//!
//! `rule_cases/*.txt` hold one case per line, `EXPECTATIONS :: INPUT` (the syntax family of
//! `security/cases.txt`): `+CODE` must be raised, `-CODE` must not be, and flags choose how
//! INPUT is run. A `# --- CODE title` line opens the section of one code; each section holds at
//! least one `+CODE` and one `-CODE` case for its code, the negative ideally the positive input
//! corrected.
//!
//! Runners (the first flag that names one; `check` when none does):
//!
//! - `check` (default): INPUT is the connection string (`-` for none), run through
//!   [`check::check`]. Flags: `driver=NAME` (`Dialect::from_name`), `ca=` `cert=` `key=`
//!   `servercert=` `clientca=` (files under `fixtures/pki`, `a+b` concatenates files), `pass=`
//!   (the key passphrase), `now=YYYY-MM-DD` or RFC 3339 (default 2026-06-01), `esc` (INPUT's
//!   `\u{HEX}` escapes are decoded first), `pad-to=BYTES` (INPUT's last word repeated, space
//!   separated, up to BYTES) and `second-cert=FILE` (checks a set of two
//!   configurations with [`check::check_set`]: this one and one holding only that client
//!   certificate).
//! - `spec`: INPUT is a role-spec JSON, run through [`grants::generate_from_json`] with a fixed
//!   date and deterministic random bytes; `cert=FILE` is the client certificate.
//! - `chain`: [`pki::chain::verify`] with `leaf=FILE` (its first certificate; the others are
//!   intermediates, as `verify-chain` reads it), `trusted=` `untrusted=` (files; every
//!   `CERTIFICATE` PEM block is passed as it is, even when it is not a certificate), `host=`,
//!   `purpose=server|client`, `policy=strict|libpq` (default strict), `now=`,
//!   `max-certs=N`. INPUT is `-`.
//! - `key-mode`: INPUT is an octal file mode for [`pki::review::check_key_file_mode`], with
//!   `owner=UID` and `uid=UID` (default 1000 both) and `not-file`.
//!
//! [`every_registered_code_has_a_positive_and_a_negative_case`] reads these files together with
//! `security/cases.txt` and `dialects/rule-cases.txt` (run by their own tests) and fails when a
//! registered code lacks a `+` or a `-` case anywhere, or a table names an unregistered code.
//! `RULE_CASES_DUMP=1` prints the codes each case raised.
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
use pg_preflight_core::check::{self, CheckInput};
use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::grants::{self, Date, Environment};
use pg_preflight_core::pki::chain::{self, Policy, Purpose, VerifyOptions};
use pg_preflight_core::pki::review::{check_key_file_mode, Material};
use pg_preflight_core::pki::{pem, time};
use pg_preflight_core::registry;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Our tables: (name, text).
const TABLES: &[(&str, &str)] = &[
    ("rule_cases/libpq.txt", include_str!("rule_cases/libpq.txt")),
    ("rule_cases/paste.txt", include_str!("rule_cases/paste.txt")),
    ("rule_cases/pki.txt", include_str!("rule_cases/pki.txt")),
    ("rule_cases/chain.txt", include_str!("rule_cases/chain.txt")),
    (
        "rule_cases/grants.txt",
        include_str!("rule_cases/grants.txt"),
    ),
];

/// Tables other tests run (tests/security.rs, tests/dialects.rs); only their codes are read here.
const SECURITY_TABLE: (&str, &str) = ("security/cases.txt", include_str!("security/cases.txt"));
const DIALECT_TABLE: (&str, &str) = (
    "dialects/rule-cases.txt",
    include_str!("dialects/rule-cases.txt"),
);

const DEFAULT_NOW: &str = "2026-06-01T00:00:00Z";

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 22,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runner {
    Check,
    Spec,
    Chain,
    KeyMode,
}

impl Runner {
    fn from_flag(flag: &str) -> Option<Runner> {
        match flag {
            "spec" => Some(Runner::Spec),
            "chain" => Some(Runner::Chain),
            "key-mode" => Some(Runner::KeyMode),
            _ => None,
        }
    }

    /// The flags this runner reads; any other is a mistake in the table.
    fn flags(self) -> &'static [&'static str] {
        match self {
            Runner::Check => &[
                "driver",
                "ca",
                "cert",
                "key",
                "servercert",
                "clientca",
                "pass",
                "now",
                "esc",
                "pad-to",
                "second-cert",
            ],
            Runner::Spec => &["cert"],
            Runner::Chain => &[
                "leaf",
                "trusted",
                "untrusted",
                "host",
                "purpose",
                "policy",
                "now",
                "max-certs",
            ],
            Runner::KeyMode => &["owner", "uid", "not-file"],
        }
    }
}

#[derive(Debug)]
struct Case {
    /// `file:line`.
    at: String,
    runner: Runner,
    flags: BTreeMap<String, String>,
    raised: Vec<String>,
    absent: Vec<String>,
    input: String,
}

/// The data lines of a table: (1-based line number, line).
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// A `+CODE`, `+CODE:severity` or `+CODE@span` token's code.
fn code_of(token: &str) -> &str {
    token.split([':', '@']).next().unwrap_or(token)
}

fn parse(name: &str, text: &str) -> Vec<Case> {
    data_lines(text)
        .map(|(n, line)| {
            let at = format!("{name}:{n}");
            let (spec, input) = line
                .split_once(" :: ")
                .unwrap_or_else(|| panic!("{at}: missing ` :: `"));
            let mut case = Case {
                at,
                runner: Runner::Check,
                flags: BTreeMap::new(),
                raised: Vec::new(),
                absent: Vec::new(),
                input: input.trim().to_string(),
            };
            for token in spec.split_whitespace() {
                if let Some(code) = token.strip_prefix('+') {
                    case.raised.push(code_of(code).to_string());
                } else if let Some(code) = token.strip_prefix('-') {
                    case.absent.push(code.to_string());
                } else if let Some(runner) = Runner::from_flag(token) {
                    case.runner = runner;
                } else {
                    let (key, value) = token.split_once('=').unwrap_or((token, ""));
                    case.flags.insert(key.to_string(), value.to_string());
                }
            }
            for key in case.flags.keys() {
                assert!(
                    case.runner.flags().contains(&key.as_str()),
                    "{}: flag `{key}` means nothing to the {:?} runner",
                    case.at,
                    case.runner
                );
            }
            assert!(
                !case.raised.is_empty() || !case.absent.is_empty(),
                "{}: no expectation",
                case.at
            );
            case
        })
        .collect()
}

fn fixture_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki"))
}

/// `a+b`: the files' bytes, one after the other.
fn read_files(names: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for name in names.split('+') {
        let path = fixture_dir().join(name);
        out.extend(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    }
    out
}

fn time_flag(case: &Case) -> time::UnixTime {
    let text = case.flags.get("now").map_or(DEFAULT_NOW, String::as_str);
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_string()
    };
    time::UnixTime::parse(&full).unwrap_or_else(|| panic!("{}: bad now={text}", case.at))
}

/// `\u{HEX}` escapes decoded.
fn unescape(input: &str) -> String {
    let mut out = String::new();
    let mut rest = input;
    while let Some(start) = rest.find("\\u{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let end = after.find('}').expect("unclosed \\u{");
        let code = u32::from_str_radix(&after[..end], 16).expect("hex in \\u{}");
        out.push(char::from_u32(code).expect("a char"));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn run_check(case: &Case) -> Vec<&'static str> {
    let file = |key: &str| case.flags.get(key).map(|names| read_files(names));
    let (ca, cert, key, server, client_ca, second) = (
        file("ca"),
        file("cert"),
        file("key"),
        file("servercert"),
        file("clientca"),
        file("second-cert"),
    );
    let mut input = if case.flags.contains_key("esc") {
        unescape(&case.input)
    } else {
        case.input.clone()
    };
    if let Some(bytes) = case.flags.get("pad-to") {
        let bytes: usize = bytes
            .parse()
            .unwrap_or_else(|_| panic!("{}: pad-to={bytes}", case.at));
        let word = format!(" {}", input.rsplit(' ').next().unwrap_or_default());
        while input.len() + word.len() <= bytes {
            input.push_str(&word);
        }
    }
    let driver = case.flags.get("driver").map(|name| {
        Dialect::from_name(name).unwrap_or_else(|| panic!("{}: unknown driver {name}", case.at))
    });
    let now = time_flag(case);
    let this = CheckInput {
        dsn: (input != "-").then_some(input.as_str()),
        driver,
        material: Material {
            root_cert: ca.as_deref(),
            client_cert: cert.as_deref(),
            client_key: key.as_deref(),
            key_passphrase: case.flags.get("pass").map(String::as_bytes),
            server_chain: server.as_deref(),
            client_ca: client_ca.as_deref(),
        },
        now,
    };
    let diagnostics = match &second {
        None => check::check(&this).diagnostics,
        Some(second) => {
            let other = CheckInput {
                material: Material {
                    client_cert: Some(second),
                    ..Material::default()
                },
                now,
                ..CheckInput::default()
            };
            check::check_set(&[("first", this), ("second", other)]).all_diagnostics()
        }
    };
    diagnostics.iter().map(|d| d.code).collect()
}

fn run_spec(case: &Case) -> Vec<&'static str> {
    let certificate = case.flags.get("cert").map(|names| read_files(names));
    let generated = grants::generate_from_json(
        &case.input,
        &mut Environment {
            today: TODAY,
            random: &mut TestRandom(7),
            client_certificate: certificate.as_deref(),
        },
    );
    generated.diagnostics.iter().map(|d| d.code).collect()
}

/// The DER of every `CERTIFICATE` block of the files (not checked: the chain code reads it), or
/// the bytes themselves when a file is not PEM.
fn certificate_blocks(names: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for name in names.split('+') {
        let bytes = read_files(name);
        let blocks = std::str::from_utf8(&bytes)
            .map(pem::scan)
            .unwrap_or_default();
        if blocks.is_empty() {
            out.push(bytes);
        }
        out.extend(
            blocks
                .into_iter()
                .filter(|b| b.label == "CERTIFICATE")
                .filter_map(|b| b.body.ok()),
        );
    }
    out
}

fn run_chain(case: &Case) -> Vec<&'static str> {
    assert_eq!(case.input, "-", "{}: a chain case has no INPUT", case.at);
    let files = |key: &str| {
        case.flags
            .get(key)
            .map(|names| certificate_blocks(names))
            .unwrap_or_default()
    };
    let leaf_file = files("leaf");
    let trusted = files("trusted");
    let mut untrusted: Vec<Vec<u8>> = leaf_file.iter().skip(1).cloned().collect();
    untrusted.extend(files("untrusted"));
    let mut options = VerifyOptions::new(time_flag(case));
    options.host = case.flags.get("host").cloned();
    options.purpose = case
        .flags
        .get("purpose")
        .map(|p| Purpose::from_name(p).unwrap_or_else(|| panic!("{}: purpose={p}", case.at)));
    if let Some(p) = case.flags.get("policy") {
        options.policy = Policy::from_name(p).unwrap_or_else(|| panic!("{}: policy={p}", case.at));
    }
    if let Some(n) = case.flags.get("max-certs") {
        options.limits.max_certificates = n.parse().unwrap();
    }
    let leaf = leaf_file.first().cloned().unwrap_or_default();
    let trusted: Vec<&[u8]> = trusted.iter().map(Vec::as_slice).collect();
    let untrusted: Vec<&[u8]> = untrusted.iter().map(Vec::as_slice).collect();
    let report = chain::verify(&leaf, &untrusted, &trusted, &options);
    report.diagnostics.iter().map(|d| d.code).collect()
}

fn run_key_mode(case: &Case) -> Vec<&'static str> {
    let number = |key: &str| {
        case.flags
            .get(key)
            .map_or(1000, |v| v.parse::<u32>().unwrap())
    };
    let mode = u32::from_str_radix(&case.input, 8)
        .unwrap_or_else(|_| panic!("{}: INPUT is an octal mode", case.at));
    let regular = !case.flags.contains_key("not-file");
    check_key_file_mode("client.key", mode, regular, number("owner"), number("uid"))
        .map(|d| d.code)
        .into_iter()
        .collect()
}

fn run(case: &Case) -> Vec<&'static str> {
    match case.runner {
        Runner::Check => run_check(case),
        Runner::Spec => run_spec(case),
        Runner::Chain => run_chain(case),
        Runner::KeyMode => run_key_mode(case),
    }
}

/// Every mismatch between what `case` expects and what its runner raised.
fn problems(case: &Case, codes: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for code in &case.raised {
        if !codes.contains(&code.as_str()) {
            out.push(format!("expected {code}, got {codes:?}"));
        }
    }
    for code in &case.absent {
        if codes.contains(&code.as_str()) {
            out.push(format!("{code} raised but should not be: {codes:?}"));
        }
    }
    out
}

fn all_cases() -> Vec<Case> {
    TABLES
        .iter()
        .flat_map(|(name, text)| parse(name, text))
        .collect()
}

#[test]
fn cases_hold() {
    let dump = std::env::var_os("RULE_CASES_DUMP").is_some();
    let mut failures = Vec::new();
    let cases = all_cases();
    assert!(cases.len() > 200, "only {} cases", cases.len());
    for case in &cases {
        let codes = run(case);
        if dump {
            println!("{}: {} => {codes:?}", case.at, case.input);
        }
        for problem in problems(case, &codes) {
            failures.push(format!("{}: {} — {problem}", case.at, case.input));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// `+` and `-` codes of a table of the `EXPECTATIONS :: INPUT` family.
fn expectations(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut positive, mut negative) = (BTreeSet::new(), BTreeSet::new());
    for (_, line) in data_lines(text) {
        let spec = line.split_once(" :: ").map_or(line, |(spec, _)| spec);
        for token in spec.split_whitespace() {
            if let Some(code) = token.strip_prefix('+') {
                positive.insert(code_of(code).to_string());
            } else if let Some(code) = token.strip_prefix('-') {
                negative.insert(code.to_string());
            }
        }
    }
    (positive, negative)
}

#[test]
fn every_registered_code_has_a_positive_and_a_negative_case() {
    let (mut positive, mut negative) = (BTreeSet::new(), BTreeSet::new());
    for (_, text) in TABLES.iter().chain([&SECURITY_TABLE, &DIALECT_TABLE]) {
        let (p, n) = expectations(text);
        positive.extend(p);
        negative.extend(n);
    }
    let registered: BTreeSet<&str> = registry::all().iter().map(|r| r.code).collect();
    let mut missing = Vec::new();
    for code in &registered {
        if !positive.contains(*code) {
            missing.push(format!("{code}: no positive case"));
        }
        if !negative.contains(*code) {
            missing.push(format!("{code}: no negative case"));
        }
    }
    for code in positive.iter().chain(&negative) {
        if !registered.contains(code.as_str()) {
            missing.push(format!("{code}: not a registered code"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} codes:\n{}",
        missing.len(),
        registered.len(),
        missing.join("\n")
    );
}

/// Each `# --- CODE title` section of our tables and of the dialect table holds a `+CODE` and a `-CODE` case for its
/// own code, so a code's positive and negative cases stay side by side.
#[test]
fn each_section_pairs_a_positive_and_a_negative_case() {
    let registered: BTreeSet<&str> = registry::all().iter().map(|r| r.code).collect();
    let mut problems = Vec::new();
    for (name, text) in TABLES.iter().chain([&DIALECT_TABLE]) {
        let mut sections: Vec<(usize, String, String)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if let Some(rest) = line.strip_prefix("# --- ") {
                let code = rest.split_whitespace().next().unwrap_or_default();
                sections.push((n + 1, code.to_string(), String::new()));
            } else if let Some((_, _, body)) = sections.last_mut() {
                body.push_str(line);
                body.push('\n');
            }
        }
        assert!(!sections.is_empty(), "{name}: no sections");
        for (n, code, body) in &sections {
            if !registered.contains(code.as_str()) {
                problems.push(format!("{name}:{n}: section of unregistered {code}"));
            }
            let (p, neg) = expectations(body);
            if !p.contains(code) || !neg.contains(code) {
                problems.push(format!(
                    "{name}:{n}: section {code} lacks its {} case",
                    if p.contains(code) { "-" } else { "+" }
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
