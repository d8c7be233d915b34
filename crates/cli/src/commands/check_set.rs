//! `check --config FILE [--config FILE ...]`: several named configurations checked together
//! (`pg_preflight_core::check::check_set`). Each FILE is a small JSON document naming the
//! connection string and files of one environment; paths are relative to the FILE.

use crate::edge::{self, MaterialFiles, Output, UsageError};
use crate::{render, sarif};
use pg_preflight_core::check::{check_set, CheckInput, SetReport};
use pg_preflight_core::pki::intake::Field;
use serde::Deserialize;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// One configuration file. Unknown fields are an error, not ignored. The file keys are the
/// inputs' JSON names (`Field::source`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigFile {
    name: String,
    dsn: Option<String>,
    driver: Option<String>,
    ca: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    key_password_env: Option<String>,
    server_cert: Option<String>,
    client_ca: Option<String>,
}

impl ConfigFile {
    fn path(&self, field: Field) -> Option<&str> {
        match field {
            Field::RootCert => self.ca.as_deref(),
            Field::ClientCert => self.cert.as_deref(),
            Field::ClientKey => self.key.as_deref(),
            Field::ServerChain => self.server_cert.as_deref(),
            Field::ClientCa => self.client_ca.as_deref(),
        }
    }
}

/// A configuration with its files read.
struct Loaded {
    config: ConfigFile,
    files: MaterialFiles,
}

fn load(path: &str) -> Result<Loaded, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("--config {path}: cannot read the file: {e}")))?;
    let config: ConfigFile =
        serde_json::from_str(&text).map_err(|e| UsageError(format!("--config {path}: {e}")))?;
    let base = Path::new(path).parent().unwrap_or(Path::new(""));
    let files = MaterialFiles::read(
        |field| {
            config.path(field).map(|relative| {
                (
                    base.join(relative).to_string_lossy().to_string(),
                    format!("--config {path}: {}", field.source()),
                )
            })
        },
        config
            .key_password_env
            .as_deref()
            .map(edge::passphrase_from_var)
            .transpose()?,
    )?;
    Ok(Loaded { config, files })
}

/// Checks the configurations in `paths` as a set, as of `now`.
pub fn run(
    paths: &[&str],
    now: i64,
    format: Output,
    out: &mut dyn Write,
) -> Result<u8, UsageError> {
    let loaded: Vec<Loaded> = paths.iter().map(|p| load(p)).collect::<Result<_, _>>()?;
    let mut inputs = Vec::new();
    for l in &loaded {
        inputs.push((
            l.config.name.as_str(),
            CheckInput {
                dsn: l.config.dsn.as_deref(),
                driver: edge::driver_named(l.config.driver.as_deref())?,
                material: l.files.material(),
                now,
            },
        ));
    }
    let mut set = check_set(&inputs);
    for (named, l) in set.configurations.iter_mut().zip(&loaded) {
        named.report.extend(l.files.key_mode_diagnostic());
    }
    let text = match format {
        Output::Json => edge::to_json(&set),
        Output::Sarif => edge::to_json(&sarif::report(&set.all_diagnostics())),
        Output::Text => set_text(&set, &loaded),
    };
    edge::write_out(out, &text);
    Ok(edge::status_for(&set.all_diagnostics()))
}

fn set_text(set: &SetReport, loaded: &[Loaded]) -> String {
    let colour = edge::use_colour(std::io::stdout().is_terminal());
    let mut text = String::new();
    for (named, l) in set.configurations.iter().zip(loaded) {
        text.push_str(&format!("== {} ==\n", named.name));
        text.push_str(&render::configuration_text(
            l.config.dsn.as_deref(),
            &named.report,
            colour,
        ));
        text.push('\n');
    }
    text.push_str("== across configurations ==\n");
    text.push_str(&render::diagnostics_text(
        None,
        None,
        &set.diagnostics,
        colour,
    ));
    text
}
