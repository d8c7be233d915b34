//! serde_json's error messages made safe to show. Its `invalid type: string "…"` quotes the
//! offending value, which may be a password or a key passphrase: the messages here say what
//! kind of value was found instead.

/// The message without the value it quotes and without the position, e.g. "invalid type:
/// found an integer where a string was expected".
pub fn error_without_value(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = message.split(" at line ").next().unwrap_or_default();
    match message.split_once(": ") {
        Some((kind @ ("invalid type" | "invalid value"), rest)) => {
            let found = rest.split([' ', ',']).next().unwrap_or_default();
            let expected = rest.split_once(", expected ").map_or("", |(_, e)| e);
            let article = if found.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("{kind}: found {article} {found} where {expected} was expected")
        }
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Secretive {
        passphrase: String,
        count: u8,
    }

    fn message(json: &str) -> String {
        let error = serde_json::from_str::<Secretive>(json)
            .map(|_| ())
            .unwrap_err();
        error_without_value(&error)
    }

    #[test]
    fn the_offending_value_is_never_quoted() {
        let text = message(r#"{"passphrase": 98765432, "count": 1}"#);
        assert_eq!(
            text,
            "invalid type: found an integer where a string was expected"
        );
        let text = message(r#"{"passphrase": "x", "count": "hunter2"}"#);
        assert!(
            !text.contains("hunter2") && text.starts_with("invalid type: found a string"),
            "{text}"
        );
        let text = message(r#"{"passphrase": "x", "count": 4096}"#);
        assert!(
            !text.contains("4096") && text.starts_with("invalid value: found an integer"),
            "{text}"
        );
        assert_eq!(message(r#"{"count": 1}"#), "missing field `passphrase`");
    }
}
