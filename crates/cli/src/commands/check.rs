//! `pg-preflight check`: a whole configuration (the connection string, the CA, the client
//! certificate and key, the server's chain and its client CA) reviewed together. With
//! `--config` it checks several named configurations as a set (`check_set`).

use super::check_set;
use crate::args::{Command, Flag, Parsed};
use crate::edge::{
    self, MaterialFiles, Output, UsageError, DRIVER_FLAG, DSN_ENV_FLAG, JSON_FLAG,
    KEY_PASSWORD_ENV_FLAG, SARIF_FLAG,
};
use crate::{render, sarif};
use pg_preflight_core::{check, CheckInput};
use std::io::{IsTerminal, Write};

pub const COMMAND: Command = Command {
    name: "check",
    operands: "",
    about: "Review a whole configuration: the connection string, the CA certificate \
            (sslrootcert), client certificate (sslcert) and key (sslkey, decrypted in memory \
            with the passphrase from --key-password-env), the server's chain and the server's client CA. \
            With --config (repeatable) check several named configurations together (one small \
            JSON file each: name, dsn, driver, ca, cert, key, keyPasswordEnv, serverCert, \
            clientCa; paths relative to the file), and find what only the set shows: one \
            client certificate or key in two of them. Exit 1 when anything is at error \
            severity.",
    flags,
    run,
    exits: None,
};

const DSN_FLAG: Flag = Flag::value(
    "--dsn",
    "STRING",
    "the connection string (`-`: read it from standard input)",
);
const NOW_FLAG: Flag = Flag::value(
    "--now",
    "RFC3339",
    "check expiry as of this time instead of the system clock",
);
const CONFIG_FLAG: Flag = Flag::value(
    "--config",
    "FILE",
    "a configuration file; repeat it to check several as a set (alone, with --now and the output flags)",
);

fn flags() -> Vec<Flag> {
    let mut flags = vec![DSN_FLAG, DSN_ENV_FLAG, DRIVER_FLAG];
    flags.extend(edge::material_flags());
    flags.extend([
        KEY_PASSWORD_ENV_FLAG,
        NOW_FLAG,
        CONFIG_FLAG,
        JSON_FLAG,
        SARIF_FLAG,
    ]);
    flags
}

/// The flags that describe one configuration, which a configuration file replaces.
fn single_configuration_flags() -> Vec<Flag> {
    let mut flags = vec![DSN_FLAG, DSN_ENV_FLAG, DRIVER_FLAG, KEY_PASSWORD_ENV_FLAG];
    flags.extend(edge::material_flags());
    flags
}

fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    let format = edge::output(parsed)?;
    let configs = parsed.values(CONFIG_FLAG.name);
    if !configs.is_empty() {
        if let Some(flag) = single_configuration_flags()
            .iter()
            .find(|f| parsed.value(f.name).is_some())
        {
            return Err(UsageError(format!(
                "`{}` cannot be combined with --config (put it in the configuration file)",
                flag.name
            )));
        }
        parsed.no_operands("check --config", "")?;
        let now = edge::time_flag(parsed, &NOW_FLAG)?;
        return check_set::run(&configs, now, format, out);
    }
    parsed.no_operands("check", "; pass the connection string with --dsn")?;
    let dialect = edge::driver(parsed)?;
    let dsn = edge::dsn(parsed, &DSN_FLAG, None)?;
    let files = MaterialFiles::from_flags(parsed)?;
    if dsn.is_none() && files.is_empty() {
        return Err(UsageError(
            "nothing to check: give --dsn STRING (or --dsn-env VAR) and/or certificate files (--ca, --cert, --key, --server-cert, --client-ca)".into(),
        ));
    }
    let now = edge::time_flag(parsed, &NOW_FLAG)?;
    let mut report = check(&CheckInput {
        dsn: dsn.as_deref(),
        driver: dialect,
        material: files.material(),
        now,
    });
    report.extend(files.key_mode_diagnostic());
    let text = match format {
        Output::Json => edge::to_json(&report),
        Output::Sarif => edge::to_json(&sarif::report(&report.diagnostics)),
        Output::Text => render::configuration_text(
            dsn.as_deref(),
            &report,
            edge::use_colour(std::io::stdout().is_terminal()),
        ),
    };
    edge::write_out(out, &text);
    Ok(edge::status_for(&report.diagnostics))
}
