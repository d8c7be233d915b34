//! serde_json's error messages made safe to show. Its `invalid type: string "…"` quotes the
//! offending value, which may be a password or a key passphrase: the messages here say what
//! kind of value was found instead.

/// The message without the value it quotes and without the position, e.g. "invalid type:
/// found an integer where a string was expected".
pub fn error_without_value(error: &serde_json::Error) -> String {
    message_without_value(&error.to_string())
}

/// A serde error message (serde_json's, or serde-wasm-bindgen's in the browser, which reads the
/// same and may start with `Error: `) without the value it quotes and without a position.
pub fn message_without_value(message: &str) -> String {
    let message = message.strip_prefix("Error: ").unwrap_or(message);
    let message = message.split(" at line ").next().unwrap_or_default();
    match message.split_once(": ") {
        Some((kind @ ("invalid type" | "invalid value"), rest)) => {
            // What serde's `Unexpected` names, before the quoted value: "string", "integer",
            // "unit value"; a JS number (serde-wasm-bindgen) is a "floating point".
            let found = rest
                .split(['`', '"', ','])
                .next()
                .unwrap_or_default()
                .trim();
            let found = match found {
                "floating point" => "number",
                "unit value" => "null",
                other => other,
            };
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
    fn serde_wasm_bindgen_messages_lose_their_value_too() {
        assert_eq!(
            message_without_value(
                "Error: invalid type: floating point `98765432`, expected a string"
            ),
            "invalid type: found a number where a string was expected"
        );
        assert_eq!(
            message_without_value(r#"invalid type: string "hunter2", expected u8"#),
            "invalid type: found a string where u8 was expected"
        );
        assert_eq!(
            message_without_value("invalid type: unit value, expected a string"),
            "invalid type: found a null where a string was expected"
        );
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
