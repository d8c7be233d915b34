//! `pg-preflight convert-key`: the client key in the format a driver needs, unencrypted,
//! written to a file only its owner can read.

use crate::args::{Command, Flag, Parsed};
use crate::edge::{self, InputFile, UsageError, EXIT_FINDINGS, EXIT_OK, KEY_PASSWORD_ENV_FLAG};
use pg_preflight_core::DecryptError;
use pg_preflight_core::OpenError;
use pg_preflight_core::{ConvertError, KeyFormat};
use std::io::Write;

pub const COMMAND: Command = Command {
    name: "convert-key",
    operands: "",
    about: "Write the client key in the format a driver needs (PKCS#8 PEM for libpq and most \
            drivers, PKCS#8 DER .pk8 for pgjdbc, PKCS#1 PEM for old tools), unencrypted, mode \
            0600.",
    flags: || vec![KEY_FLAG, TO_FLAG, KEY_PASSWORD_ENV_FLAG, OUT_FLAG],
    run,
    exits: None,
};

const KEY_FLAG: Flag = Flag::value("--key", "FILE", "the key to convert").required();
const TO_FLAG: Flag = Flag::value("--to", "pkcs8|pk8|pkcs1", "the format to write").required();
const OUT_FLAG: Flag =
    Flag::value("--out", "FILE", "the file to create (never overwritten)").required();

fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    parsed.no_operands("convert-key", "")?;
    let key_path = parsed.require(&KEY_FLAG, COMMAND.name)?;
    let target = parsed.require(&TO_FLAG, COMMAND.name)?;
    let out_path = parsed.require(&OUT_FLAG, COMMAND.name)?;
    let format = KeyFormat::from_name(target).ok_or_else(|| {
        UsageError(format!(
            "unknown key format `{target}`; choose pkcs8, pk8 or pkcs1"
        ))
    })?;
    let passphrase = edge::passphrase_from_env(parsed)?;
    let key = InputFile::read(key_path, KEY_FLAG.name)?;
    match pg_preflight_core::convert(
        &key.bytes,
        passphrase.as_ref().map(|p| p.as_bytes()),
        format,
    ) {
        Ok(converted) => {
            edge::write_private_file(out_path, &converted)
                .map_err(|e| UsageError(format!("--out {out_path}: cannot write the file: {e}")))?;
            edge::write_out(
                out,
                &format!("wrote {out_path} (unencrypted, permissions 0600)\n"),
            );
            Ok(EXIT_OK)
        }
        Err(error) => {
            edge::write_out(
                out,
                &format!("pg-preflight: {key_path}: {}\n", why_not(error)),
            );
            Ok(EXIT_FINDINGS)
        }
    }
}

/// Why the key could not be converted, with what to do about it.
fn why_not(error: ConvertError) -> &'static str {
    match error {
        ConvertError::Open(OpenError::Locked) => {
            "the key is encrypted: give its passphrase with --key-password-env VAR"
        }
        ConvertError::Open(OpenError::Decrypt(DecryptError::WrongPassphrase)) => {
            "the passphrase does not decrypt the key"
        }
        ConvertError::Open(OpenError::Decrypt(_)) => "the key's encryption scheme is not supported",
        ConvertError::Open(OpenError::Unreadable) => "the file holds no readable private key",
        ConvertError::NotRsa => "PKCS#1 holds only RSA keys; use pkcs8 for this key",
        ConvertError::Unsupported => "the key's structure is not supported for conversion",
        ConvertError::Damaged => {
            "the key's values cannot be read: the file is damaged (copy it again from its source)"
        }
    }
}
