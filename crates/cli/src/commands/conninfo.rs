//! `pg-preflight conninfo STRING`: one connection string, parsed as libpq 18 (or the named
//! driver) reads it, and reviewed.

use crate::args::{Command, Parsed};
use crate::edge::{self, UsageError, DRIVER_FLAG, JSON_FLAG};
use crate::render;
use pg_preflight_core::CheckOptions;
use std::io::{IsTerminal, Write};

pub const COMMAND: Command = Command {
    name: "conninfo",
    operands: "STRING",
    about: "Parse STRING exactly as libpq 18 (or the named driver) reads it and review it. \
            STRING may be `-` to read it from standard input (keeps passwords out of shell \
            history).",
    flags: || vec![DRIVER_FLAG, JSON_FLAG],
    run,
    exits: None,
};

fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    let dialect = edge::driver(parsed)?;
    let [input] = parsed.positional.as_slice() else {
        return Err(UsageError(
            "`conninfo` takes exactly one connection string (use `--` before strings starting with `-`, or `-` for stdin)".into(),
        ));
    };
    let input = edge::string_argument(input)?;
    let analysis = pg_preflight_core::analyze(&input, dialect, &CheckOptions::default());
    if parsed.switch(JSON_FLAG.name) {
        // Printed for a person or a log: the secrets' values masked (core `params_shown`).
        let shown = pg_preflight_core::Analysis {
            params: analysis.params_shown(),
            ..analysis.clone()
        };
        edge::write_out(out, &edge::to_json(&shown));
    } else {
        let colour = edge::use_colour(std::io::stdout().is_terminal());
        edge::write_out(out, &render::analysis_text(&input, &analysis, colour));
    }
    Ok(edge::status_for(&analysis.diagnostics))
}
