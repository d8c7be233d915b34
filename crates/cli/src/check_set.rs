//! `check --config FILE [--config FILE ...]`: several named configurations checked together
//! (`pg_preflight_core::check::check_set`). Each FILE is a small JSON document naming the
//! connection string and files of one environment; paths are relative to the FILE.

use crate::args::Parsed;
use crate::commands::{
    driver_named, passphrase_from_var, status_for, system_now, to_json, use_colour, write_out,
    InputFile,
};
use crate::{render, sarif, UsageError};
use pg_preflight_core::check::{check_set, CheckInput, SetReport};
use pg_preflight_core::pki;
use serde::Deserialize;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// One configuration file. Unknown fields are an error, not ignored.
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

/// A configuration with its files read.
struct Loaded {
    config: ConfigFile,
    ca: Option<InputFile>,
    cert: Option<InputFile>,
    key: Option<InputFile>,
    server_cert: Option<InputFile>,
    client_ca: Option<InputFile>,
    passphrase: Option<zeroize::Zeroizing<String>>,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        if let Some(key) = self.key.as_mut() {
            key.bytes.zeroize();
        }
    }
}

fn bytes(file: &Option<InputFile>) -> Option<&[u8]> {
    file.as_ref().map(|f| f.bytes.as_slice())
}

fn load(path: &str) -> Result<Loaded, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("--config {path}: cannot read the file: {e}")))?;
    let config: ConfigFile =
        serde_json::from_str(&text).map_err(|e| UsageError(format!("--config {path}: {e}")))?;
    let base: PathBuf = Path::new(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let file = |value: &Option<String>, field: &str| {
        value
            .as_ref()
            .map(|relative| {
                let full = base.join(relative);
                InputFile::read(
                    &full.to_string_lossy(),
                    &format!("--config {path}: {field}"),
                )
            })
            .transpose()
    };
    Ok(Loaded {
        ca: file(&config.ca, "ca")?,
        cert: file(&config.cert, "cert")?,
        key: file(&config.key, "key")?,
        server_cert: file(&config.server_cert, "serverCert")?,
        client_ca: file(&config.client_ca, "clientCa")?,
        passphrase: config
            .key_password_env
            .as_deref()
            .map(passphrase_from_var)
            .transpose()?,
        config,
    })
}

pub fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    let alone = [
        "--dsn",
        "--dsn-env",
        "--driver",
        "--ca",
        "--cert",
        "--key",
        "--key-password-env",
        "--server-cert",
        "--client-ca",
    ];
    if let Some(flag) = alone.iter().find(|f| parsed.value(f).is_some()) {
        return Err(UsageError(format!(
            "`{flag}` cannot be combined with --config (put it in the configuration file)"
        )));
    }
    if !parsed.positional.is_empty() {
        return Err(UsageError(format!(
            "unexpected argument `{}`",
            parsed.positional.join(" ")
        )));
    }
    if parsed.switch("--json") && parsed.switch("--sarif") {
        return Err(UsageError("choose one of --json and --sarif".into()));
    }
    let now = match parsed.value("--now") {
        Some(text) => pki::time::parse_rfc3339(text)
            .ok_or_else(|| UsageError(format!("`--now {text}` is not an RFC 3339 date")))?,
        None => system_now(),
    };
    let loaded: Vec<Loaded> = parsed
        .values("--config")
        .into_iter()
        .map(load)
        .collect::<Result<_, _>>()?;
    let mut inputs = Vec::new();
    for l in &loaded {
        inputs.push((
            l.config.name.as_str(),
            CheckInput {
                dsn: l.config.dsn.as_deref(),
                driver: driver_named(l.config.driver.as_deref())?,
                material: pki::review::Material {
                    root_cert: bytes(&l.ca),
                    client_cert: bytes(&l.cert),
                    client_key: bytes(&l.key),
                    key_passphrase: l.passphrase.as_ref().map(|p| p.as_bytes()),
                    server_chain: bytes(&l.server_cert),
                    client_ca: bytes(&l.client_ca),
                },
                now,
            },
        ));
    }
    let mut set = check_set(&inputs);
    for (named, l) in set.configurations.iter_mut().zip(&loaded) {
        if let Some(key) = &l.key {
            named
                .report
                .extend(key.mode_diagnostic().map(|d| d.in_source("key")));
        }
    }
    write_out(out, &render_set(parsed, &set, &loaded));
    Ok(status_for(&set.all_diagnostics()))
}

fn render_set(parsed: &Parsed, set: &SetReport, loaded: &[Loaded]) -> String {
    if parsed.switch("--json") {
        return to_json(set);
    }
    if parsed.switch("--sarif") {
        return to_json(&sarif::report(&set.all_diagnostics()));
    }
    let colour = use_colour(std::io::stdout().is_terminal());
    let mut text = String::new();
    for (named, l) in set.configurations.iter().zip(loaded) {
        text.push_str(&format!("== {} ==\n", named.name));
        let report = &named.report;
        if let (Some(dsn), Some(connection)) = (l.config.dsn.as_deref(), report.connection.as_ref())
        {
            text.push_str(&render::connection_header(dsn, connection));
        }
        text.push_str(&render::certificates_text(report));
        text.push_str(&render::diagnostics_text(
            l.config.dsn.as_deref(),
            report.connection.as_ref().map(|c| c.dialect),
            &report.diagnostics,
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
