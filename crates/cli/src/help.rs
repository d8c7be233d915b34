//! The help text, rendered from the commands' own flag tables: what `help` says a command
//! takes is exactly what its argument reader accepts.

use crate::args::{Command, Flag};
use crate::commands;
use crate::edge::{self, UsageError};

const WIDTH: usize = 100;

/// `help` alone: every command's usage and what it does; `help COMMAND`: one command's flags.
pub fn for_arguments(argv: &[String]) -> Result<String, UsageError> {
    match argv {
        [] => Ok(overview()),
        [name] => commands::named(name)
            .map(command)
            .ok_or_else(|| UsageError(format!("no command `{name}` to explain"))),
        _ => Err(UsageError("`help` takes at most one command name".into())),
    }
}

/// Every command, its usage line and what it does.
pub fn overview() -> String {
    let mut text = String::from(
        "pg-preflight — check a PostgreSQL connection setup before you hand it over\n\nUSAGE:\n",
    );
    for command in commands::ALL {
        text.push_str(&usage(command));
        text.push_str(&wrap(command.about, 6));
    }
    text.push_str("  pg-preflight help [COMMAND] | COMMAND --help\n");
    text.push_str("  pg-preflight --version\n\n");
    text.push_str(&footer());
    text
}

/// One command: usage, what it does, and each flag with its help.
pub fn command(command: &Command) -> String {
    let mut text = usage(command);
    text.push_str(&wrap(command.about, 6));
    text.push_str("\nFLAGS:\n");
    for flag in (command.flags)() {
        text.push_str(&format!("  {}\n", flag_usage(&flag)));
        text.push_str(&wrap(flag.help, 6));
    }
    text.push('\n');
    match command.exits {
        Some(exits) => text.push_str(&footer_with(exits)),
        None => text.push_str(&footer()),
    }
    text
}

fn footer() -> String {
    footer_with(
        "0 no error findings, 1 error findings, 2 usage error or unreadable input (explain-error: 0 explained, 1 nothing recognised; verify-chain: 0 valid, 1 not)",
    )
}

fn footer_with(exits: &str) -> String {
    format!(
        "{}{}",
        wrap(
            &format!(
                "DRIVERS: {}. Without --driver (or with --driver auto) the dialect is detected from the string, and a string no other driver claims is read as libpq reads it. `prisma` is Prisma's Rust engine (Prisma Client up to 6 without a driver adapter, and Prisma Migrate); Prisma 7's client reads the URL through @prisma/adapter-pg, that is node-postgres: use `node-postgres` for it.",
                edge::driver_names()
            ),
            0
        ),
        wrap(&format!("EXIT STATUS: {exits}."), 0)
    )
}

fn flag_usage(flag: &Flag) -> String {
    match flag.value {
        Some(value) => format!("{} {value}", flag.name),
        None => flag.name.to_string(),
    }
}

/// `  pg-preflight NAME [FLAG VALUE] … OPERANDS`, wrapped under the command name.
fn usage(command: &Command) -> String {
    let mut words: Vec<String> = (command.flags)()
        .iter()
        .map(|f| {
            if f.required {
                flag_usage(f)
            } else {
                format!("[{}]", flag_usage(f))
            }
        })
        .collect();
    if !command.operands.is_empty() {
        words.push(command.operands.to_string());
    }
    let head = format!("  pg-preflight {}", command.name);
    let indent = head.len() + 1;
    let mut text = String::new();
    let mut line = head;
    for word in words {
        if line.chars().count() + 1 + word.chars().count() > WIDTH {
            text.push_str(&line);
            text.push('\n');
            line = " ".repeat(indent - 1);
        }
        line.push(' ');
        line.push_str(&word);
    }
    text.push_str(&line);
    text.push('\n');
    text
}

/// `text` as lines of at most WIDTH columns, each indented by `indent`.
fn wrap(text: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(&format!("{}{line}\n", " ".repeat(indent)));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{}{line}\n", " ".repeat(indent)));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_flag_a_command_accepts_is_in_its_help_and_the_overview() {
        let overview = overview();
        for command in commands::ALL {
            let own = super::command(command);
            for flag in (command.flags)() {
                assert!(
                    own.contains(&flag_usage(&flag)),
                    "{}: {}",
                    command.name,
                    flag.name
                );
                assert!(
                    overview.contains(&flag_usage(&flag)),
                    "{}: {}",
                    command.name,
                    flag.name
                );
            }
        }
    }

    #[test]
    fn lines_fit_the_width() {
        let all = commands::ALL.iter().map(command).collect::<String>() + &overview();
        for line in all.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
    }
}
