//! `pg-preflight`: the command-line face of the core. This crate is the only place that knows
//! files, environment variables, the clock and the process exit status.

mod args;
mod check_set;
mod commands;
mod grants;
mod render;
mod sarif;
mod verify_chain;

use std::io::Write;
use std::process::ExitCode;

/// Exit statuses (DESIGN.md §3): 0 nothing at error severity, 1 an error finding, 2 usage or
/// unreadable input.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// A problem with how the tool was called, reported on stderr with exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    let status = match commands::run(&argv, &mut stdout) {
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
