//! POSIX shell words for the command lines the core writes into notes, snippets and script
//! comments: a reader pastes them into a shell, so each argument must reach the program as
//! written, whatever a name or a path holds.

/// A POSIX shell word: single quotes, with `'` written as `'\''` (POSIX.1-2017, Shell Command
/// Language §2.2.2: nothing inside single quotes is special, and a single quote cannot occur
/// there, so it is closed, escaped and reopened).
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// A shell word that stays bare when it holds only characters no shell treats specially (a
/// file name or a database name reads as typed), else single-quoted.
pub fn shell_word(value: &str) -> String {
    let safe = !value.is_empty()
        && value.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'/' | b'.' | b'_' | b'-' | b'+' | b',' | b'@' | b'%' | b':'
                )
        });
    if safe {
        value.to_string()
    } else {
        shell_quote(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_helpers() {
        assert_eq!(shell_quote("a'b"), "'a'\\''b'");
        assert_eq!(shell_word("certs/client.key"), "certs/client.key");
        assert_eq!(shell_word("c$(x).key"), "'c$(x).key'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("app db"), "'app db'");
    }
}
