//! The edge: everything the core may not touch itself. Files, standard input, environment
//! variables, the clock, colour on a terminal, how output is shaped, and exit statuses. The
//! commands are written in terms of these helpers.

use crate::args::{Flag, Parsed};
pub use crate::args::{UsageError, EXIT_FINDINGS, EXIT_OK};
use pg_preflight_core::Diagnostic;
use pg_preflight_core::Dialect;
use pg_preflight_core::Field;
use pg_preflight_core::{Material, UnixTime};
use std::io::{Read, Write};
use zeroize::{Zeroize, Zeroizing};

/// Writes to the command's output. A closed pipe (`| head`) is not an error worth reporting.
pub fn write_out(out: &mut dyn Write, text: &str) {
    let _ = out.write_all(text.as_bytes());
}

/// Pretty JSON with a final newline.
pub fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")) + "\n"
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (no-color.org).
pub fn use_colour(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none()
}

/// 1 when any finding is at error severity, else 0.
pub fn status_for(diagnostics: &[Diagnostic]) -> u8 {
    if pg_preflight_core::has_errors(diagnostics) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The shape a command writes its result in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Text,
    Json,
    Sarif,
}

pub const JSON_FLAG: Flag = Flag::switch("--json", "write JSON instead of text");
pub const SARIF_FLAG: Flag = Flag::switch(
    "--sarif",
    "write SARIF 2.1.0 (for code-scanning dashboards) instead of text",
);

/// `--json` or `--sarif` (never both), else text.
pub fn output(parsed: &Parsed) -> Result<Output, UsageError> {
    match (
        parsed.switch(JSON_FLAG.name),
        parsed.switch(SARIF_FLAG.name),
    ) {
        (true, true) => Err(UsageError("choose one of --json and --sarif".into())),
        (true, false) => Ok(Output::Json),
        (false, true) => Ok(Output::Sarif),
        (false, false) => Ok(Output::Text),
    }
}

pub const DRIVER_FLAG: Flag = Flag::value(
    "--driver",
    "NAME",
    "the driver that reads the string (see DRIVERS); default: detected from the string",
);

/// The dialect `--driver` names (`None`: detect it from the string).
pub fn driver(parsed: &Parsed) -> Result<Option<Dialect>, UsageError> {
    driver_named(parsed.value(DRIVER_FLAG.name))
}

/// A driver name (`None` or `auto`: detect the dialect).
pub fn driver_named(name: Option<&str>) -> Result<Option<Dialect>, UsageError> {
    match name {
        None | Some("auto") => Ok(None),
        Some(name) => Dialect::from_name(name).map(Some).ok_or_else(|| {
            UsageError(format!(
                "unknown driver `{name}`; choose one of: {}, or auto",
                driver_names()
            ))
        }),
    }
}

/// Every driver name `--driver` takes, comma-separated.
pub fn driver_names() -> String {
    Dialect::ALL
        .iter()
        .map(|d| d.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The time a `--now`/`--at`-style flag gives, else the system clock (the core never reads
/// the clock).
pub fn time_flag(parsed: &Parsed, flag: &Flag) -> Result<UnixTime, UsageError> {
    match parsed.value(flag.name) {
        Some(text) => UnixTime::parse(text).ok_or_else(|| {
            UsageError(format!(
                "`{} {text}` is not an RFC 3339 date-time (for example 2026-06-01T00:00:00Z)",
                flag.name
            ))
        }),
        None => Ok(system_now()),
    }
}

/// The system clock.
pub fn system_now() -> UnixTime {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    UnixTime::from_seconds(seconds)
}

/// A connection string given on the command line, or read from standard input when it is `-`
/// (without the final newline), which keeps passwords out of shell history.
pub fn string_argument(value: &str) -> Result<String, UsageError> {
    if value != "-" {
        return Ok(value.to_string());
    }
    let text = read_stdin("the connection string")?;
    let trimmed = text.strip_suffix('\n').unwrap_or(&text);
    Ok(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string())
}

/// Standard input whole, as UTF-8 text; `what` names it in the error.
pub fn read_stdin(what: &str) -> Result<String, UsageError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| UsageError(format!("cannot read {what} from stdin: {e}")))?;
    String::from_utf8(bytes).map_err(|_| UsageError(format!("{what} on stdin is not UTF-8 text")))
}

/// `--dsn-env`, the same for every command that takes a connection string.
pub const DSN_ENV_FLAG: Flag = Flag::value(
    "--dsn-env",
    "VAR",
    "the connection string, from environment variable VAR",
);

/// The connection string given with `dsn_flag` (`--dsn`, its help worded per command) or
/// [`DSN_ENV_FLAG`], if any. `stdin_holds` names what standard input already carries (the
/// error text of `explain-error`), in which case `--dsn -` is refused rather than read.
pub fn dsn(
    parsed: &Parsed,
    dsn_flag: &Flag,
    stdin_holds: Option<&str>,
) -> Result<Option<String>, UsageError> {
    match (parsed.value(dsn_flag.name), parsed.value(DSN_ENV_FLAG.name)) {
        (Some(_), Some(_)) => Err(UsageError(format!(
            "give {} or {}, not both",
            dsn_flag.name, DSN_ENV_FLAG.name
        ))),
        (Some("-"), None) => match stdin_holds {
            Some(what) => Err(UsageError(format!(
                "{} - would read standard input, which holds {what}: give the string with {} STRING or {} VAR",
                dsn_flag.name, dsn_flag.name, DSN_ENV_FLAG.name
            ))),
            None => not_blank(string_argument("-")?, || {
                format!("{} - read nothing from standard input", dsn_flag.name)
            }),
        },
        (Some(dsn), None) => not_blank(dsn.to_string(), || format!("{} is empty", dsn_flag.name)),
        (None, Some(var)) => not_blank(env_var(var)?, || {
            format!("environment variable `{var}` is empty")
        }),
        (None, None) => Ok(None),
    }
}

/// A blank connection string given to be checked is a mistake, most often an unset
/// `$DATABASE_URL` expanded into `--dsn "$DATABASE_URL"`: libpq would read it as "every
/// default" (a local socket), and checking that would pass silently (an outside review).
/// `conninfo ""` still reads it as libpq does.
fn not_blank(dsn: String, what: impl Fn() -> String) -> Result<Option<String>, UsageError> {
    if dsn.trim().is_empty() {
        Err(UsageError(format!(
            "{}: there is no connection string to check (an unset variable expanded to nothing?)",
            what()
        )))
    } else {
        Ok(Some(dsn))
    }
}

/// The value of environment variable `var` (a connection string kept out of argv).
pub fn env_var(var: &str) -> Result<String, UsageError> {
    std::env::var(var).map_err(|_| {
        UsageError(format!(
            "environment variable `{var}` is not set or not UTF-8"
        ))
    })
}

pub const KEY_PASSWORD_ENV_FLAG: Flag = Flag::value(
    "--key-password-env",
    "VAR",
    "the client key's passphrase, read from environment variable VAR (never a flag value: those end up in shell history and process listings)",
);

/// The key passphrase from the variable `--key-password-env` names, wiped when dropped.
pub fn passphrase_from_env(parsed: &Parsed) -> Result<Option<Zeroizing<String>>, UsageError> {
    parsed
        .value(KEY_PASSWORD_ENV_FLAG.name)
        .map(passphrase_from_var)
        .transpose()
}

/// The passphrase in environment variable `var`, wiped when dropped.
pub fn passphrase_from_var(var: &str) -> Result<Zeroizing<String>, UsageError> {
    env_var(var).map(Zeroizing::new)
}

/// A file named on the command line, read whole. Its bytes are wiped when dropped: any file
/// may be a private key.
pub struct InputFile {
    // Read by libpq's key-file permission rule, which exists on Unix only (a build for
    // another target, such as trunk's wasm build of the workspace, warned they were unread).
    #[cfg_attr(not(unix), allow(dead_code))]
    pub name: String,
    pub bytes: Vec<u8>,
    #[cfg_attr(not(unix), allow(dead_code))]
    metadata: std::fs::Metadata,
}

impl InputFile {
    /// Reads `path`; `named_by` (a flag, or a configuration file and key) says where the name
    /// came from in the error.
    pub fn read(path: &str, named_by: &str) -> Result<InputFile, UsageError> {
        let unreadable =
            |e: std::io::Error| UsageError(format!("{named_by} {path}: cannot read the file: {e}"));
        let metadata = std::fs::metadata(path).map_err(unreadable)?;
        let bytes = std::fs::read(path).map_err(unreadable)?;
        Ok(InputFile {
            name: path.to_string(),
            bytes,
            metadata,
        })
    }

    /// libpq's permission rule for the key file, on Unix.
    pub fn mode_diagnostic(&self) -> Option<Diagnostic> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let current_uid =
                std::fs::metadata("/proc/self").map_or(self.metadata.uid(), |m| m.uid());
            pg_preflight_core::check_key_file_mode(
                &self.name,
                self.metadata.mode(),
                self.metadata.is_file(),
                self.metadata.uid(),
                current_uid,
            )
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

impl Drop for InputFile {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

/// The flag of each certificate and key input, with its label as the help line.
pub fn material_flags() -> [Flag; 5] {
    Field::ALL.map(|field| Flag::value(field.flag(), "FILE", field.label()))
}

/// The certificate and key files of one configuration, read, with the key's passphrase.
#[derive(Default)]
pub struct MaterialFiles {
    files: Vec<(Field, InputFile)>,
    passphrase: Option<Zeroizing<String>>,
}

impl MaterialFiles {
    /// Reads each field's file: `path_of` gives its path and the name to quote in errors.
    pub fn read(
        path_of: impl Fn(Field) -> Option<(String, String)>,
        passphrase: Option<Zeroizing<String>>,
    ) -> Result<MaterialFiles, UsageError> {
        let mut files = Vec::new();
        for field in Field::ALL {
            if let Some((path, named_by)) = path_of(field) {
                files.push((field, InputFile::read(&path, &named_by)?));
            }
        }
        Ok(MaterialFiles { files, passphrase })
    }

    /// The files the flags name (`--ca`, `--cert`, …) and the passphrase of
    /// `--key-password-env`.
    pub fn from_flags(parsed: &Parsed) -> Result<MaterialFiles, UsageError> {
        MaterialFiles::read(
            |field| {
                parsed
                    .value(field.flag())
                    .map(|path| (path.to_string(), field.flag().to_string()))
            },
            passphrase_from_env(parsed)?,
        )
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The bytes as the core's review takes them.
    pub fn material(&self) -> Material<'_> {
        let mut material = Material {
            key_passphrase: self.passphrase.as_ref().map(|p| p.as_bytes()),
            ..Material::default()
        };
        for (field, file) in &self.files {
            *material.slot(*field) = Some(file.bytes.as_slice());
        }
        material
    }

    /// What libpq would say of the key file's permissions (only the CLI sees files).
    pub fn key_mode_diagnostic(&self) -> Option<Diagnostic> {
        self.files
            .iter()
            .find(|(field, _)| *field == Field::ClientKey)
            .and_then(|(_, file)| file.mode_diagnostic())
            .map(|d| d.in_source(Field::ClientKey))
    }
}

/// Creates `path` readable by its owner only before any key byte is written to it.
pub fn write_private_file(path: &str, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
