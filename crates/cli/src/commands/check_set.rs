//! `check --config FILE [--config FILE ...]`: several named configurations checked together
//! (`pg_preflight_core::check_set`). Each FILE is a small JSON document naming the
//! connection string and files of one environment (`input::CheckRequest`, with paths relative
//! to the FILE and the passphrase's environment variable).

use crate::edge::{self, MaterialFiles, Output, UsageError};
use crate::{render, sarif};
use pg_preflight_core::CheckRequest;
use pg_preflight_core::UnixTime;
use pg_preflight_core::{check_set, CheckInput, SetReport};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// A configuration with its files read.
struct Loaded {
    config: CheckRequest,
    name: String,
    files: MaterialFiles,
}

fn load(path: &str) -> Result<Loaded, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("--config {path}: cannot read the file: {e}")))?;
    let config: CheckRequest =
        serde_json::from_str(&text).map_err(|e| UsageError(format!("--config {path}: {e}")))?;
    if let Some(field) = config.given_among(&["keyPassphrase"]).first() {
        return Err(UsageError(format!(
            "--config {path}: `{field}` is not read from a file (a file never holds a secret): name the environment variable holding it with `keyPasswordEnv`"
        )));
    }
    let name = config
        .name
        .clone()
        .ok_or_else(|| UsageError(format!("--config {path}: missing field `name`")))?;
    let base = Path::new(path).parent().unwrap_or(Path::new(""));
    let files = MaterialFiles::read(
        |field| {
            config.slot(field).map(|relative| {
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
    Ok(Loaded {
        config,
        name,
        files,
    })
}

/// Checks the configurations in `paths` as a set, as of `now`.
pub fn run(
    paths: &[&str],
    now: UnixTime,
    format: Output,
    out: &mut dyn Write,
) -> Result<u8, UsageError> {
    let loaded: Vec<Loaded> = paths.iter().map(|p| load(p)).collect::<Result<_, _>>()?;
    let mut inputs = Vec::new();
    for l in &loaded {
        inputs.push((
            l.name.as_str(),
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
