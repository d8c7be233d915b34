//! The subcommands, one module each. A command owns its flag table (from which `help` renders
//! its usage), reads its inputs through the edge, calls the core, and writes one output shape.
//! Commands do not import one another, except `check`, which hands `--config` to `check_set`.

use crate::args::{Command, UsageError};
use std::io::Write;

mod check;
mod check_set;
mod conninfo;
mod convert_key;
mod explain_error;
mod grants;
mod inspect;
mod rules;
mod verify_chain;

/// Every subcommand, in the order `help` lists them.
pub const ALL: &[Command] = &[
    conninfo::COMMAND,
    check::COMMAND,
    explain_error::COMMAND,
    convert_key::COMMAND,
    verify_chain::COMMAND,
    inspect::COMMAND,
    grants::COMMAND,
    rules::COMMAND,
];

/// Reads `argv` (the arguments after the command's name) with the command's flag table, and
/// runs it.
pub fn invoke(command: &Command, argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let parsed = crate::args::parse(argv, &(command.flags)())?;
    (command.run)(&parsed, out)
}

/// The command called `name`.
pub fn named(name: &str) -> Option<&'static Command> {
    ALL.iter().find(|c| c.name == name)
}
