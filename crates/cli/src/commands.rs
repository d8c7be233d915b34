//! The subcommands. Each reads its inputs, calls the core, and hands the result to an output
//! shape (text for people, JSON or SARIF for machines).

use crate::args::{self, Parsed};
use crate::{render, sarif, UsageError, EXIT_FINDINGS, EXIT_OK};
use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{self, Analysis, CheckOptions};
use pg_preflight_core::diagnostic::Diagnostic;
use pg_preflight_core::registry;
use serde_json::json;
use std::io::{IsTerminal, Read, Write};

const HELP: &str = "\
pg-preflight — check a PostgreSQL connection setup before you hand it over

USAGE:
  pg-preflight conninfo [--driver NAME] [--json] [--] STRING
      Parse STRING exactly as libpq 18 (or the named driver) reads it and review it.
      STRING may be `-` to read it from standard input (keeps passwords out of shell history).
  pg-preflight check [--dsn STRING | --dsn-env VAR] [--driver NAME] [--json | --sarif]
      Review a whole configuration; exit 1 when anything is at error severity.
  pg-preflight rules [--json | --markdown]
      List every rule with its code, severity and title.
  pg-preflight help | --help
  pg-preflight --version

DRIVERS: libpq (default), jdbc, node-postgres, asyncpg, sqlalchemy, pgx, prisma, npgsql;
         without --driver the dialect is detected from the string.
EXIT STATUS: 0 no error findings, 1 error findings, 2 usage error or unreadable input.
";

pub fn run(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let Some((command, rest)) = argv.split_first() else {
        write_out(out, HELP);
        return Err(UsageError("no command given".into()));
    };
    match command.as_str() {
        "help" | "--help" | "-h" => {
            write_out(out, HELP);
            Ok(EXIT_OK)
        }
        "--version" | "-V" | "version" => {
            write_out(
                out,
                &format!("pg-preflight {}\n", env!("CARGO_PKG_VERSION")),
            );
            Ok(EXIT_OK)
        }
        "conninfo" => conninfo_command(rest, out),
        "check" => check_command(rest, out),
        "rules" => rules_command(rest, out),
        "verify-chain" | "grants" => Err(UsageError(format!(
            "`{command}` is not part of this build yet: it arrives with the {} work",
            if command == "grants" {
                "role-script"
            } else {
                "certificate"
            }
        ))),
        other => Err(UsageError(format!("unknown command `{other}`"))),
    }
}

fn write_out(out: &mut dyn Write, text: &str) {
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
}

fn driver(parsed: &Parsed) -> Result<Option<Dialect>, UsageError> {
    match parsed.value("--driver") {
        None => Ok(None),
        Some("auto") => Ok(None),
        Some(name) => Dialect::from_name(name).map(Some).ok_or_else(|| {
            let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
            UsageError(format!(
                "unknown driver `{name}`; choose one of: {}, or auto",
                names.join(", ")
            ))
        }),
    }
}

/// Reads the connection string from stdin when it is `-`, without the final newline.
fn resolve_input(value: &str) -> Result<String, UsageError> {
    if value != "-" {
        return Ok(value.to_string());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| UsageError(format!("cannot read the connection string from stdin: {e}")))?;
    let trimmed = text.strip_suffix('\n').unwrap_or(&text);
    Ok(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string())
}

fn status_for(diagnostics: &[Diagnostic]) -> u8 {
    if pg_preflight_core::diagnostic::has_errors(diagnostics) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")) + "\n"
}

fn use_colour(out_is_terminal: bool) -> bool {
    out_is_terminal && std::env::var_os("NO_COLOR").is_none()
}

fn conninfo_command(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let parsed = args::parse(argv, &[("--driver", true), ("--json", false)])?;
    let dialect = driver(&parsed)?;
    let [input] = parsed.positional.as_slice() else {
        return Err(UsageError(
            "`conninfo` takes exactly one connection string (use `--` before strings starting with `-`, or `-` for stdin)".into(),
        ));
    };
    let input = resolve_input(input)?;
    let analysis = conninfo::analyze(&input, dialect, &CheckOptions::default());
    if parsed.switch("--json") {
        write_out(out, &to_json(&analysis));
    } else {
        let colour = use_colour(std::io::stdout().is_terminal());
        write_out(out, &render::analysis_text(&input, &analysis, colour));
    }
    Ok(status_for(&analysis.diagnostics))
}

fn check_command(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let certificate_flags = [
        "--ca",
        "--cert",
        "--key",
        "--key-password-env",
        "--server-cert",
        "--client-ca",
        "--now",
    ];
    let mut spec: Vec<(&str, bool)> = vec![
        ("--dsn", true),
        ("--dsn-env", true),
        ("--driver", true),
        ("--json", false),
        ("--sarif", false),
    ];
    spec.extend(certificate_flags.iter().map(|f| (*f, true)));
    let parsed = args::parse(argv, &spec)?;
    if let Some(flag) = certificate_flags.iter().find(|f| parsed.value(f).is_some()) {
        return Err(UsageError(format!(
            "`{flag}`: certificate and key checks are not part of this build yet; run `check --dsn` alone"
        )));
    }
    if !parsed.positional.is_empty() {
        return Err(UsageError(format!(
            "unexpected argument `{}` (pass the connection string with --dsn)",
            parsed.positional.join(" ")
        )));
    }
    if parsed.switch("--json") && parsed.switch("--sarif") {
        return Err(UsageError("choose one of --json and --sarif".into()));
    }
    let dialect = driver(&parsed)?;
    let input = match (parsed.value("--dsn"), parsed.value("--dsn-env")) {
        (Some(_), Some(_)) => return Err(UsageError("give --dsn or --dsn-env, not both".into())),
        (Some(dsn), None) => Some(resolve_input(dsn)?),
        (None, Some(var)) => Some(std::env::var(var).map_err(|_| {
            UsageError(format!(
                "environment variable `{var}` is not set or not UTF-8"
            ))
        })?),
        (None, None) => None,
    };
    let Some(input) = input else {
        return Err(UsageError(
            "nothing to check: give --dsn STRING (or --dsn-env VAR)".into(),
        ));
    };
    let analysis = conninfo::analyze(&input, dialect, &CheckOptions::default());
    let diagnostics = analysis.diagnostics.clone();
    if parsed.switch("--json") {
        write_out(out, &to_json(&check_json(&analysis)));
    } else if parsed.switch("--sarif") {
        write_out(out, &to_json(&sarif::report(&input, &diagnostics)));
    } else {
        let colour = use_colour(std::io::stdout().is_terminal());
        write_out(out, &render::analysis_text(&input, &analysis, colour));
    }
    Ok(status_for(&diagnostics))
}

/// DESIGN.md §3 `check --json`, with the connection part spelled out under `connection`.
fn check_json(analysis: &Analysis) -> serde_json::Value {
    json!({
        "diagnostics": analysis.diagnostics,
        "certificates": [],
        "keyMatch": null,
        "chains": {"client": null, "server": null},
        "connection": {
            "valid": analysis.valid,
            "dialect": analysis.dialect,
            "detected": analysis.detected,
            "hosts": analysis.hosts,
            "verdict": analysis.verdict,
            "libpqEquivalent": analysis.libpq_equivalent,
        },
    })
}

fn rules_command(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let parsed = args::parse(argv, &[("--json", false), ("--markdown", false)])?;
    if !parsed.positional.is_empty() {
        return Err(UsageError("`rules` takes no arguments".into()));
    }
    if parsed.switch("--json") {
        write_out(out, &to_json(&registry::all()));
    } else if parsed.switch("--markdown") {
        write_out(out, &registry::rules_markdown());
    } else {
        let mut text = String::new();
        for rule in registry::all() {
            text.push_str(&format!(
                "{:<14} {:<8} {}\n",
                rule.code,
                rule.severity.as_str(),
                rule.title
            ));
        }
        write_out(out, &text);
    }
    Ok(EXIT_OK)
}
