//! `pg-preflight inspect FILE`: exactly what a file holds, every certificate and key with its
//! facts, and what is wrong with it for the input it is meant for.

use crate::args::{Command, Flag, Parsed};
use crate::edge::{self, InputFile, UsageError, JSON_FLAG, KEY_PASSWORD_ENV_FLAG};
use crate::render;
use pg_preflight_core::PublicKeyMaterial;
use pg_preflight_core::{intake_with_passphrase, Field};
use serde_json::json;
use std::io::{IsTerminal, Write};

pub const COMMAND: Command = Command {
    name: "inspect",
    operands: "FILE",
    about: "Say exactly what a file holds: every certificate and key, its facts, and what is \
            wrong.",
    flags: || vec![AS_FLAG, KEY_PASSWORD_ENV_FLAG, JSON_FLAG],
    run,
    exits: None,
};

const AS_FLAG: Flag = Flag::value(
    "--as",
    "ca|cert|key|server-cert|client-ca",
    "the input the file is meant for (the name of its `check` flag); default: cert",
);

/// The field `--as` names: a `check` flag without its dashes.
fn field_named(name: &str) -> Result<Field, UsageError> {
    Field::ALL
        .into_iter()
        .find(|f| f.flag().trim_start_matches('-') == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Field::ALL
                .iter()
                .map(|f| f.flag().trim_start_matches('-'))
                .collect();
            UsageError(format!(
                "unknown field `{name}`; choose one of {}",
                names.join(", ")
            ))
        })
}

fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    let [path] = parsed.positional.as_slice() else {
        return Err(UsageError("`inspect` takes exactly one file".into()));
    };
    let field = field_named(parsed.value(AS_FLAG.name).unwrap_or("cert"))?;
    let passphrase = edge::passphrase_from_env(parsed)?;
    let file = InputFile::read(path, "inspect")?;
    let intake = intake_with_passphrase(
        &file.bytes,
        field,
        passphrase.as_ref().map(|p| p.as_bytes()),
    );
    if parsed.switch(JSON_FLAG.name) {
        let items: Vec<serde_json::Value> = intake
            .items
            .iter()
            .map(|item| {
                let mut value = serde_json::to_value(item).unwrap_or_default();
                if let Some(object) = value.as_object_mut() {
                    object.insert(
                        "publicKey".into(),
                        public_key_json(item.public_key.as_ref()),
                    );
                    object.insert(
                        "publicKeySha256".into(),
                        json!(item
                            .public_key
                            .as_ref()
                            .and_then(PublicKeyMaterial::spki_sha256)),
                    );
                }
                value
            })
            .collect();
        edge::write_out(
            out,
            &edge::to_json(&json!({
                "field": intake.field,
                "format": intake.format,
                "summary": intake.summary,
                "items": items,
                "diagnostics": intake.diagnostics,
            })),
        );
    } else {
        let mut text = format!("{}: {}\n", intake.field.describe(), intake.summary);
        text.push_str(&render::diagnostics_text(
            None,
            None,
            &intake.diagnostics,
            edge::use_colour(std::io::stdout().is_terminal()),
        ));
        edge::write_out(out, &text);
    }
    Ok(edge::status_for(&intake.diagnostics))
}

/// A public key as JSON with hex numbers, for comparison with other tools.
fn public_key_json(key: Option<&PublicKeyMaterial>) -> serde_json::Value {
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    match key {
        None => serde_json::Value::Null,
        Some(PublicKeyMaterial::Rsa { n, e }) => json!({"type": "rsa", "n": hex(n), "e": hex(e)}),
        Some(PublicKeyMaterial::Ec { curve, point }) => {
            json!({"type": "ec", "curve": curve, "point": hex(point)})
        }
        Some(PublicKeyMaterial::Ed25519(bytes)) => json!({"type": "ed25519", "key": hex(bytes)}),
        Some(PublicKeyMaterial::Raw { algorithm, bits }) => {
            json!({"type": "raw", "algorithm": algorithm, "key": hex(bits)})
        }
    }
}
