//! A small, strict argument reader: every flag is known, values are required where declared,
//! `--` ends the flags. Strict because a silently ignored flag in CI is a silent pass.

use std::io::Write;

/// Exit statuses (DESIGN.md §3): 0 nothing at error severity, 1 an error finding, 2 usage or
/// unreadable input.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// A problem with how the tool was called, reported on stderr with exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// One subcommand: its name, what it takes besides flags, what it does, and its flags.
pub struct Command {
    pub name: &'static str,
    /// Positional arguments as the usage line shows them (`STRING`, `FILE`), or empty.
    pub operands: &'static str,
    /// What the command does, for `help`.
    pub about: &'static str,
    pub flags: fn() -> Vec<Flag>,
    pub run: fn(&Parsed, &mut dyn Write) -> Result<u8, UsageError>,
    /// The exit statuses, when they are not the findings' (`0 no error findings, 1 error
    /// findings, 2 usage error`).
    pub exits: Option<&'static str>,
}

/// One flag a command accepts: its name, the placeholder of its value (`None` for a switch),
/// and one line of help. A command's table is both what the reader accepts and what its help
/// shows, so the two cannot drift apart.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub name: &'static str,
    pub value: Option<&'static str>,
    pub help: &'static str,
    /// The command cannot run without it (shown without brackets in the usage line).
    pub required: bool,
}

impl Flag {
    /// A flag taking a value, shown as `name VALUE`.
    pub const fn value(name: &'static str, value: &'static str, help: &'static str) -> Flag {
        Flag {
            name,
            value: Some(value),
            help,
            required: false,
        }
    }

    /// The same flag, which the command cannot run without.
    pub const fn required(self) -> Flag {
        Flag {
            required: true,
            ..self
        }
    }

    /// A switch.
    pub const fn switch(name: &'static str, help: &'static str) -> Flag {
        Flag {
            name,
            value: None,
            help,
            required: false,
        }
    }

    fn takes_value(&self) -> bool {
        self.value.is_some()
    }
}

#[derive(Debug, Default)]
pub struct Parsed {
    flags: Vec<(String, Option<String>)>,
    pub positional: Vec<String>,
}

/// `spec` lists the flags a command accepts; a flag with a value is given as `--driver x` or
/// `--driver=x`.
pub fn parse(argv: &[String], spec: &[Flag]) -> Result<Parsed, UsageError> {
    let mut parsed = Parsed::default();
    let mut rest = argv.iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            parsed.positional.extend(rest.by_ref().cloned());
            break;
        }
        if !arg.starts_with("--") || arg == "-" {
            parsed.positional.push(arg.clone());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (arg.as_str(), None),
        };
        let Some(flag) = spec.iter().find(|flag| flag.name == name) else {
            let known: Vec<&str> = spec.iter().map(|flag| flag.name).collect();
            return Err(UsageError(format!(
                "unknown option `{name}` (this command accepts: {})",
                known.join(", ")
            )));
        };
        let value = if flag.takes_value() {
            match inline {
                Some(v) => Some(v),
                None => Some(
                    rest.next()
                        .cloned()
                        .ok_or_else(|| UsageError(format!("`{name}` needs a value")))?,
                ),
            }
        } else {
            if inline.is_some() {
                return Err(UsageError(format!("`{name}` does not take a value")));
            }
            None
        };
        parsed.flags.push((name.to_string(), value));
    }
    Ok(parsed)
}

impl Parsed {
    pub fn switch(&self, name: &str) -> bool {
        self.flags.iter().any(|(flag, _)| flag == name)
    }

    /// Every value given for a repeatable `name`, in order.
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(flag, _)| flag == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// The value of a required flag, or the usage error naming it.
    pub fn require(&self, flag: &Flag, command: &str) -> Result<&str, UsageError> {
        self.value(flag.name).ok_or_else(|| {
            UsageError(format!(
                "`{command}` needs {} {}",
                flag.name,
                flag.value.unwrap_or_default()
            ))
        })
    }

    /// Refuses positional arguments for a command that takes none; `instead` says what to do.
    pub fn no_operands(&self, command: &str, instead: &str) -> Result<(), UsageError> {
        match self.positional.first() {
            None => Ok(()),
            // The argument is often the connection string itself, password and all: it is
            // shown as every input is, its secrets masked.
            Some(extra) => Err(UsageError(format!(
                "`{command}` takes no positional argument (got `{}`){instead}",
                pg_preflight_core::Shown::new(extra, None).text
            ))),
        }
    }

    /// The last value given for `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(flag, _)| flag == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_values_and_positionals() {
        let spec = [
            Flag::switch("--json", ""),
            Flag::value("--driver", "NAME", ""),
        ];
        let p = parse(&strings(&["--driver=jdbc", "--json", "--", "--x"]), &spec).unwrap();
        assert!(p.switch("--json"));
        assert_eq!(p.value("--driver"), Some("jdbc"));
        assert_eq!(p.positional, strings(&["--x"]));
        assert!(parse(&strings(&["--nope"]), &spec).is_err());
        assert!(parse(&strings(&["--driver"]), &spec).is_err());
        assert!(parse(&strings(&["--json=1"]), &spec).is_err());
    }
}
