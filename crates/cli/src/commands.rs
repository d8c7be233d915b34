//! The subcommands. Each reads its inputs, calls the core, and hands the result to an output
//! shape (text for people, JSON or SARIF for machines).

use crate::args::{self, Parsed};
use crate::{render, sarif, UsageError, EXIT_FINDINGS, EXIT_OK};
use pg_preflight_core::conninfo::dialect::Dialect;
use pg_preflight_core::conninfo::{self, CheckOptions};
use pg_preflight_core::diagnostic::Diagnostic;
use pg_preflight_core::pki;
use pg_preflight_core::registry;
use serde_json::json;
use std::io::{IsTerminal, Read, Write};

const HELP: &str = "\
pg-preflight — check a PostgreSQL connection setup before you hand it over

USAGE:
  pg-preflight conninfo [--driver NAME] [--json] [--] STRING
      Parse STRING exactly as libpq 18 (or the named driver) reads it and review it.
      STRING may be `-` to read it from standard input (keeps passwords out of shell history).
  pg-preflight check [--dsn STRING | --dsn-env VAR] [--driver NAME] [--ca FILE] [--cert FILE]
                    [--key FILE] [--key-password-env VAR] [--server-cert FILE] [--client-ca FILE]
                    [--now RFC3339] [--json | --sarif]
      Review a whole configuration: the connection string, the CA certificate (sslrootcert),
      client certificate (sslcert) and key (sslkey, decrypted in memory with the passphrase
      from VAR), the server's chain and the server's client CA. Exit 1 when anything is at
      error severity.
  pg-preflight check --config FILE [--config FILE ...] [--now RFC3339] [--json | --sarif]
      Check several named configurations together (one small JSON file each: name, dsn,
      driver, ca, cert, key, keyPasswordEnv, serverCert, clientCa; paths relative to the
      file), and find what only the set shows: one client certificate or key in two of them.
  pg-preflight convert-key --key FILE --to pkcs8|pk8|pkcs1 [--key-password-env VAR] --out FILE
      Write the client key in the format a driver needs (PKCS#8 PEM for libpq and most
      drivers, PKCS#8 DER .pk8 for pgjdbc, PKCS#1 PEM for old tools), unencrypted, mode 0600.
  pg-preflight verify-chain --leaf FILE --trusted FILE [--untrusted FILE] [--at RFC3339]
                    [--host NAME] [--purpose server|client] [--policy strict|libpq] [--json]
      Build and verify the certificate path; exit 0 when valid, 1 when not.
  pg-preflight inspect [--as ca|cert|key|server-cert|client-ca] [--key-password-env VAR] [--json] FILE
      Say exactly what a file holds: every certificate and key, its facts, and what is wrong.
  pg-preflight grants --spec FILE|- [--json] [--cert FILE] [--out-dir DIR] [--today YYYY-MM-DD]
      Write the least-privilege role script for a role spec (JSON, see the README): PostgreSQL
      roles and grants with pg_hba.conf lines, or a MySQL/MariaDB account. The SQL goes to
      stdout; findings, notes and a generated password (shown once) to stderr. --out-dir also
      writes role.sql, verify.sql, rotate.sql, teardown.sql and the configuration lines.
      --cert pins MySQL's REQUIRE SUBJECT/ISSUER to the client certificate. Exit 1, with no
      script, when the spec cannot be honoured exactly.
  pg-preflight rules [--json | --markdown]
      List every rule with its code, severity and title.
  pg-preflight help | --help
  pg-preflight --version

DRIVERS: libpq (default), jdbc, node-postgres, asyncpg, sqlalchemy, pgx, prisma, npgsql;
         without --driver the dialect is detected from the string.
EXIT STATUS: 0 no error findings, 1 error findings, 2 usage error or unreadable input.
";

pub fn run(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let Some((command, rest)) = argv.split_first() else {
        write_out(out, HELP);
        return Err(UsageError("no command given".into()));
    };
    match command.as_str() {
        "help" | "--help" | "-h" => {
            write_out(out, HELP);
            Ok(EXIT_OK)
        }
        "--version" | "-V" | "version" => {
            write_out(
                out,
                &format!("pg-preflight {}\n", env!("CARGO_PKG_VERSION")),
            );
            Ok(EXIT_OK)
        }
        "conninfo" => conninfo_command(rest, out),
        "check" => check_command(rest, out),
        "rules" => rules_command(rest, out),
        "convert-key" => convert_key_command(rest, out),
        "inspect" => inspect_command(rest, out),
        "verify-chain" => crate::verify_chain::run(rest, out),
        "grants" => crate::grants::run(rest, out),
        other => Err(UsageError(format!("unknown command `{other}`"))),
    }
}

pub(crate) fn write_out(out: &mut dyn Write, text: &str) {
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
}

pub(crate) fn driver(parsed: &Parsed) -> Result<Option<Dialect>, UsageError> {
    driver_named(parsed.value("--driver"))
}

/// A driver name (`None` or `auto`: detect the dialect).
pub(crate) fn driver_named(name: Option<&str>) -> Result<Option<Dialect>, UsageError> {
    match name {
        None => Ok(None),
        Some("auto") => Ok(None),
        Some(name) => Dialect::from_name(name).map(Some).ok_or_else(|| {
            let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
            UsageError(format!(
                "unknown driver `{name}`; choose one of: {}, or auto",
                names.join(", ")
            ))
        }),
    }
}

/// Reads the connection string from stdin when it is `-`, without the final newline.
fn resolve_input(value: &str) -> Result<String, UsageError> {
    if value != "-" {
        return Ok(value.to_string());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| UsageError(format!("cannot read the connection string from stdin: {e}")))?;
    let trimmed = text.strip_suffix('\n').unwrap_or(&text);
    Ok(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string())
}

pub(crate) fn status_for(diagnostics: &[Diagnostic]) -> u8 {
    if pg_preflight_core::diagnostic::has_errors(diagnostics) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

pub(crate) fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")) + "\n"
}

pub(crate) fn use_colour(out_is_terminal: bool) -> bool {
    out_is_terminal && std::env::var_os("NO_COLOR").is_none()
}

fn conninfo_command(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let parsed = args::parse(argv, &[("--driver", true), ("--json", false)])?;
    let dialect = driver(&parsed)?;
    let [input] = parsed.positional.as_slice() else {
        return Err(UsageError(
            "`conninfo` takes exactly one connection string (use `--` before strings starting with `-`, or `-` for stdin)".into(),
        ));
    };
    let input = resolve_input(input)?;
    let analysis = conninfo::analyze(&input, dialect, &CheckOptions::default());
    if parsed.switch("--json") {
        write_out(out, &to_json(&analysis));
    } else {
        let colour = use_colour(std::io::stdout().is_terminal());
        write_out(out, &render::analysis_text(&input, &analysis, colour));
    }
    Ok(status_for(&analysis.diagnostics))
}

fn check_command(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let spec: &[(&str, bool)] = &[
        ("--dsn", true),
        ("--dsn-env", true),
        ("--driver", true),
        ("--json", false),
        ("--sarif", false),
        ("--ca", true),
        ("--cert", true),
        ("--key", true),
        ("--key-password-env", true),
        ("--server-cert", true),
        ("--client-ca", true),
        ("--now", true),
        ("--config", true),
    ];
    let parsed = args::parse(argv, spec)?;
    if !parsed.values("--config").is_empty() {
        return crate::check_set::run(&parsed, out);
    }
    if !parsed.positional.is_empty() {
        return Err(UsageError(format!(
            "unexpected argument `{}` (pass the connection string with --dsn)",
            parsed.positional.join(" ")
        )));
    }
    if parsed.switch("--json") && parsed.switch("--sarif") {
        return Err(UsageError("choose one of --json and --sarif".into()));
    }
    let dialect = driver(&parsed)?;
    let dsn = match (parsed.value("--dsn"), parsed.value("--dsn-env")) {
        (Some(_), Some(_)) => return Err(UsageError("give --dsn or --dsn-env, not both".into())),
        (Some(dsn), None) => Some(resolve_input(dsn)?),
        (None, Some(var)) => Some(std::env::var(var).map_err(|_| {
            UsageError(format!(
                "environment variable `{var}` is not set or not UTF-8"
            ))
        })?),
        (None, None) => None,
    };
    let files = CheckFiles::read(&parsed)?;
    if dsn.is_none() && files.is_empty() {
        return Err(UsageError(
            "nothing to check: give --dsn STRING (or --dsn-env VAR) and/or certificate files (--ca, --cert, --key, --server-cert, --client-ca)".into(),
        ));
    }
    let now = match parsed.value("--now") {
        Some(text) => pki::time::parse_rfc3339(text)
            .ok_or_else(|| UsageError(format!("`--now {text}` is not an RFC 3339 date")))?,
        None => system_now(),
    };
    let passphrase = passphrase_from_env(&parsed)?;
    let material = pki::review::Material {
        root_cert: files.ca.as_ref().map(|f| f.bytes.as_slice()),
        client_cert: files.cert.as_ref().map(|f| f.bytes.as_slice()),
        client_key: files.key.as_ref().map(|f| f.bytes.as_slice()),
        key_passphrase: passphrase.as_ref().map(|p| p.as_bytes()),
        server_chain: files.server_cert.as_ref().map(|f| f.bytes.as_slice()),
        client_ca: files.client_ca.as_ref().map(|f| f.bytes.as_slice()),
    };
    let mut report = pg_preflight_core::check::check(&pg_preflight_core::check::CheckInput {
        dsn: dsn.as_deref(),
        driver: dialect,
        material,
        now,
    });
    if let Some(key) = &files.key {
        report.extend(key.mode_diagnostic().map(|d| d.in_source("key")));
    }
    if parsed.switch("--json") {
        write_out(out, &to_json(&report));
    } else if parsed.switch("--sarif") {
        write_out(out, &to_json(&sarif::report(&report.diagnostics)));
    } else {
        let colour = use_colour(std::io::stdout().is_terminal());
        let mut text = String::new();
        if let (Some(dsn), Some(connection)) = (dsn.as_deref(), report.connection.as_ref()) {
            text.push_str(&render::connection_header(dsn, connection));
        }
        text.push_str(&render::certificates_text(&report));
        text.push_str(&render::diagnostics_text(
            dsn.as_deref(),
            report.connection.as_ref().map(|c| c.dialect),
            &report.diagnostics,
            colour,
        ));
        write_out(out, &text);
    }
    Ok(status_for(&report.diagnostics))
}

/// The key passphrase from the environment variable named by `--key-password-env` (never a
/// flag value: those end up in shell history and process listings). Wiped when dropped.
pub(crate) fn passphrase_from_env(
    parsed: &Parsed,
) -> Result<Option<zeroize::Zeroizing<String>>, UsageError> {
    parsed
        .value("--key-password-env")
        .map(passphrase_from_var)
        .transpose()
}

/// The passphrase in environment variable `var`, wiped when dropped.
pub(crate) fn passphrase_from_var(var: &str) -> Result<zeroize::Zeroizing<String>, UsageError> {
    std::env::var(var)
        .map(zeroize::Zeroizing::new)
        .map_err(|_| {
            UsageError(format!(
                "environment variable `{var}` is not set or not UTF-8"
            ))
        })
}

/// Seconds since the Unix epoch from the system clock (the core never reads it).
pub(crate) fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A file named on the command line, read whole.
pub(crate) struct InputFile {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
    metadata: std::fs::Metadata,
}

impl InputFile {
    pub(crate) fn read(path: &str, flag: &str) -> Result<InputFile, UsageError> {
        let unreadable =
            |e: std::io::Error| UsageError(format!("{flag} {path}: cannot read the file: {e}"));
        let metadata = std::fs::metadata(path).map_err(unreadable)?;
        let bytes = std::fs::read(path).map_err(unreadable)?;
        Ok(InputFile {
            name: path.to_string(),
            bytes,
            metadata,
        })
    }

    /// libpq's permission rule for the key file, on Unix.
    pub(crate) fn mode_diagnostic(&self) -> Option<Diagnostic> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let current_uid =
                std::fs::metadata("/proc/self").map_or(self.metadata.uid(), |m| m.uid());
            pki::review::check_key_file_mode(
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

/// The certificate and key files of `check`; the key's bytes are wiped when dropped.
struct CheckFiles {
    ca: Option<InputFile>,
    cert: Option<InputFile>,
    key: Option<InputFile>,
    server_cert: Option<InputFile>,
    client_ca: Option<InputFile>,
}

impl CheckFiles {
    fn read(parsed: &Parsed) -> Result<CheckFiles, UsageError> {
        let file = |flag: &str| {
            parsed
                .value(flag)
                .map(|p| InputFile::read(p, flag))
                .transpose()
        };
        Ok(CheckFiles {
            ca: file("--ca")?,
            cert: file("--cert")?,
            key: file("--key")?,
            server_cert: file("--server-cert")?,
            client_ca: file("--client-ca")?,
        })
    }

    fn is_empty(&self) -> bool {
        self.ca.is_none()
            && self.cert.is_none()
            && self.key.is_none()
            && self.server_cert.is_none()
            && self.client_ca.is_none()
    }
}

impl Drop for CheckFiles {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        if let Some(key) = self.key.as_mut() {
            key.bytes.zeroize();
        }
    }
}

fn convert_key_command(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let parsed = args::parse(
        argv,
        &[
            ("--key", true),
            ("--to", true),
            ("--key-password-env", true),
            ("--out", true),
        ],
    )?;
    let (Some(key_path), Some(target), Some(out_path)) = (
        parsed.value("--key"),
        parsed.value("--to"),
        parsed.value("--out"),
    ) else {
        return Err(UsageError(
            "`convert-key` needs --key FILE, --to FORMAT and --out FILE".into(),
        ));
    };
    let format = pki::convert::KeyFormat::from_name(target).ok_or_else(|| {
        UsageError(format!(
            "unknown key format `{target}`; choose pkcs8, pk8 or pkcs1"
        ))
    })?;
    let passphrase = passphrase_from_env(&parsed)?;
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(key_path)
            .map_err(|e| UsageError(format!("--key {key_path}: cannot read the file: {e}")))?,
    );
    use pki::convert::ConvertError;
    use pki::intake::OpenError;
    let converted = match pki::convert::convert(
        &bytes,
        passphrase.as_ref().map(|p| p.as_bytes()),
        format,
    ) {
        Ok(converted) => converted,
        Err(error) => {
            let why = match error {
                    ConvertError::Open(OpenError::Locked) => {
                        "the key is encrypted: give its passphrase with --key-password-env VAR"
                    }
                    ConvertError::Open(OpenError::Decrypt(
                        pki::decrypt::DecryptError::WrongPassphrase,
                    )) => "the passphrase does not decrypt the key",
                    ConvertError::Open(OpenError::Decrypt(_)) => {
                        "the key's encryption scheme is not supported"
                    }
                    ConvertError::Open(OpenError::Unreadable) => {
                        "the file holds no readable private key"
                    }
                    ConvertError::NotRsa => "PKCS#1 holds only RSA keys; use pkcs8 for this key",
                    ConvertError::Unsupported => {
                        "the key's structure is not supported for conversion"
                    }
                    ConvertError::Damaged => {
                        "the key's values cannot be read: the file is damaged (copy it again from its source)"
                    }
                };
            write_out(out, &format!("pg-preflight: {key_path}: {why}\n"));
            return Ok(EXIT_FINDINGS);
        }
    };
    write_private_file(out_path, &converted)
        .map_err(|e| UsageError(format!("--out {out_path}: cannot write the file: {e}")))?;
    write_out(
        out,
        &format!("wrote {out_path} (unencrypted, permissions 0600)\n"),
    );
    Ok(EXIT_OK)
}

/// Creates `path` readable by its owner only before any key byte is written to it.
fn write_private_file(path: &str, bytes: &[u8]) -> std::io::Result<()> {
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

fn inspect_command(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    use pki::intake::Field;
    let parsed = args::parse(
        argv,
        &[
            ("--as", true),
            ("--key-password-env", true),
            ("--json", false),
        ],
    )?;
    let [path] = parsed.positional.as_slice() else {
        return Err(UsageError("`inspect` takes exactly one file".into()));
    };
    let field = match parsed.value("--as").unwrap_or("cert") {
        "ca" => Field::RootCert,
        "cert" => Field::ClientCert,
        "key" => Field::ClientKey,
        "server-cert" => Field::ServerChain,
        "client-ca" => Field::ClientCa,
        other => {
            return Err(UsageError(format!(
                "unknown field `{other}`; choose ca, cert, key, server-cert or client-ca"
            )))
        }
    };
    let passphrase = passphrase_from_env(&parsed)?;
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(path)
            .map_err(|e| UsageError(format!("{path}: cannot read the file: {e}")))?,
    );
    let intake = pki::intake::intake_with_passphrase(
        &bytes,
        field,
        passphrase.as_ref().map(|p| p.as_bytes()),
    );
    if parsed.switch("--json") {
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
                            .and_then(pki::keymatch::PublicKeyMaterial::spki_sha256)),
                    );
                }
                value
            })
            .collect();
        write_out(
            out,
            &to_json(&json!({
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
            use_colour(std::io::stdout().is_terminal()),
        ));
        write_out(out, &text);
    }
    Ok(status_for(&intake.diagnostics))
}

/// A public key as JSON with hex numbers, for comparison with other tools.
fn public_key_json(key: Option<&pki::keymatch::PublicKeyMaterial>) -> serde_json::Value {
    use pki::keymatch::PublicKeyMaterial;
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

fn rules_command(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let parsed = args::parse(argv, &[("--json", false), ("--markdown", false)])?;
    if !parsed.positional.is_empty() {
        return Err(UsageError("`rules` takes no arguments".into()));
    }
    if parsed.switch("--json") {
        write_out(out, &to_json(&registry::all()));
    } else if parsed.switch("--markdown") {
        write_out(out, &registry::rules_markdown());
    } else {
        let mut text = String::new();
        for rule in registry::all() {
            text.push_str(&format!(
                "{:<14} {:<8} {}\n",
                rule.code,
                rule.severity.as_str(),
                rule.title
            ));
        }
        write_out(out, &text);
    }
    Ok(EXIT_OK)
}
