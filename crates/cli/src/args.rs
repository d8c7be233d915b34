//! A small, strict argument reader: every flag is known, values are required where declared,
//! `--` ends the flags. Strict because a silently ignored flag in CI is a silent pass.

use crate::UsageError;

#[derive(Debug, Default)]
pub struct Parsed {
    flags: Vec<(String, Option<String>)>,
    pub positional: Vec<String>,
}

/// `spec` lists the flags a command accepts: `("--json", false)` is a switch,
/// `("--driver", true)` takes a value (`--driver x` or `--driver=x`).
pub fn parse(argv: &[String], spec: &[(&str, bool)]) -> Result<Parsed, UsageError> {
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
        let Some((_, takes_value)) = spec.iter().find(|(flag, _)| *flag == name) else {
            let known: Vec<&str> = spec.iter().map(|(flag, _)| *flag).collect();
            return Err(UsageError(format!(
                "unknown option `{name}` (this command accepts: {})",
                known.join(", ")
            )));
        };
        let value = if *takes_value {
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
        let spec = [("--json", false), ("--driver", true)];
        let p = parse(&strings(&["--driver=jdbc", "--json", "--", "--x"]), &spec).unwrap();
        assert!(p.switch("--json"));
        assert_eq!(p.value("--driver"), Some("jdbc"));
        assert_eq!(p.positional, strings(&["--x"]));
        assert!(parse(&strings(&["--nope"]), &spec).is_err());
        assert!(parse(&strings(&["--driver"]), &spec).is_err());
        assert!(parse(&strings(&["--json=1"]), &spec).is_err());
    }
}
