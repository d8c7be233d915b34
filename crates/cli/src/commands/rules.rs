//! `pg-preflight rules`: every rule of the registry.

use crate::args::{Command, Flag, Parsed};
use crate::edge::{self, UsageError, EXIT_OK, JSON_FLAG};
use pg_preflight_core::registry;
use std::io::Write;

pub const COMMAND: Command = Command {
    name: "rules",
    operands: "",
    about: "List every rule with its code, severity and title.",
    flags: || vec![JSON_FLAG, MARKDOWN_FLAG],
    run,
    exits: None,
};

const MARKDOWN_FLAG: Flag = Flag::switch(
    "--markdown",
    "print the rules as Markdown (what docs/rules.md holds)",
);

fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    parsed.no_operands("rules", "")?;
    if parsed.switch(JSON_FLAG.name) {
        edge::write_out(out, &edge::to_json(&registry::all()));
    } else if parsed.switch(MARKDOWN_FLAG.name) {
        edge::write_out(out, &registry::rules_markdown());
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
        edge::write_out(out, &text);
    }
    Ok(EXIT_OK)
}
