//! `pg-preflight`: the command-line face of the core. This crate is the only place that knows
//! files, environment variables, the clock and the process exit status.
//!
//! The tree, lowest first (`tests/layers.rs` keeps it): `args`, `edge`, `render`, `sarif` (the
//! edge: reading arguments and files, shaping output) → `commands` and one module per
//! subcommand → `help` → this file, which only dispatches.

mod args;
mod commands;
mod edge;
mod help;
mod render;
mod sarif;

use args::{UsageError, EXIT_OK, EXIT_USAGE};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    let status = match run(&argv, &mut stdout) {
        Ok(status) => status,
        Err(UsageError(message)) => {
            let _ = stdout.flush();
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "pg-preflight: {message}");
            let _ = writeln!(stderr, "Run `pg-preflight help` for usage.");
            EXIT_USAGE
        }
    };
    let _ = stdout.flush();
    ExitCode::from(status)
}

/// `--help` or `-h` among a command's flags (not after `--`, where it is an operand).
fn asks_for_help(argv: &[String]) -> bool {
    argv.iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--help" || a == "-h")
}

/// Runs the command `argv` names.
fn run(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let Some((name, rest)) = argv.split_first() else {
        edge::write_out(out, &help::overview());
        return Err(UsageError("no command given".into()));
    };
    match name.as_str() {
        "help" | "--help" | "-h" => {
            edge::write_out(out, &help::for_arguments(rest)?);
            Ok(EXIT_OK)
        }
        "--version" | "-V" | "version" => {
            edge::write_out(
                out,
                &format!("pg-preflight {}\n", env!("CARGO_PKG_VERSION")),
            );
            Ok(EXIT_OK)
        }
        name => match commands::named(name) {
            Some(command) if asks_for_help(rest) => {
                edge::write_out(out, &help::command(command));
                Ok(EXIT_OK)
            }
            Some(command) => commands::invoke(command, rest, out),
            None => Err(UsageError(format!("unknown command `{name}`"))),
        },
    }
}
