//! `pg-preflight grants --spec FILE|- [--json] [--cert FILE] [--out-dir DIR] [--today DATE]`:
//! the role scripts for a role spec (DESIGN.md §3). This edge supplies what the core may not
//! read itself: the file, the date and the operating system's random source.

use crate::args;
use crate::render;
use crate::{UsageError, EXIT_FINDINGS, EXIT_OK};
use pg_preflight_core::grants::{self, Context, Date, Generated, RandomSource};
use std::io::{IsTerminal, Read, Write};

/// The operating system's CSPRNG (getrandom(2), BCryptGenRandom, …).
struct OsRandom {
    failed: bool,
}

impl RandomSource for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        if getrandom::getrandom(buf).is_err() {
            // Never fall back to weaker randomness: the command refuses to print anything.
            self.failed = true;
        }
    }
}

pub fn run(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
    let parsed = args::parse(
        argv,
        &[
            ("--spec", true),
            ("--json", false),
            ("--cert", true),
            ("--out-dir", true),
            ("--today", true),
        ],
    )?;
    if !parsed.positional.is_empty() {
        return Err(UsageError(
            "`grants` takes no positional argument: give the spec with --spec FILE (or - for stdin)"
                .into(),
        ));
    }
    let spec_path = parsed
        .value("--spec")
        .ok_or_else(|| UsageError("`grants` needs --spec FILE (or --spec - for stdin)".into()))?;
    let spec_text = read_spec(spec_path)?;
    let certificate = parsed
        .value("--cert")
        .map(|path| {
            std::fs::read(path)
                .map_err(|e| UsageError(format!("--cert {path}: cannot read the file: {e}")))
        })
        .transpose()?;
    let today = match parsed.value("--today") {
        Some(text) => Date::parse(text)
            .ok_or_else(|| UsageError(format!("--today `{text}` is not a date (YYYY-MM-DD)")))?,
        None => Date::from_unix(crate::commands::system_now()),
    };
    let mut random = OsRandom { failed: false };
    let generated = grants::generate_from_json(
        &spec_text,
        &mut Context {
            today,
            random: &mut random,
            client_certificate: certificate.as_deref(),
        },
    );
    if random.failed {
        return Err(UsageError(
            "the operating system's random source failed; no script was written".into(),
        ));
    }
    if let Some(dir) = parsed.value("--out-dir") {
        write_files(dir, &generated)?;
    }
    if parsed.switch("--json") {
        crate::commands::write_out(
            out,
            &(serde_json::to_string_pretty(&generated.report()).unwrap_or_default() + "\n"),
        );
    } else {
        text_output(&generated, out);
    }
    Ok(if generated.scripts.is_some() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

fn read_spec(path: &str) -> Result<String, UsageError> {
    let bytes = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| UsageError(format!("cannot read the spec from stdin: {e}")))?;
        bytes
    } else {
        std::fs::read(path)
            .map_err(|e| UsageError(format!("--spec {path}: cannot read the file: {e}")))?
    };
    String::from_utf8(bytes)
        .map_err(|_| UsageError(format!("--spec {path}: the file is not UTF-8 text")))
}

/// The SQL on stdout (so `> role.sql` captures exactly the script); findings, notes and the
/// generated password on stderr, where a redirect does not send them into the file.
fn text_output(generated: &Generated, out: &mut dyn Write) {
    let mut err = std::io::stderr().lock();
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if !generated.diagnostics.is_empty() {
        let _ = err.write_all(
            render::diagnostics_text(None, None, &generated.diagnostics, colour).as_bytes(),
        );
    }
    let Some(scripts) = &generated.scripts else {
        let _ = err.write_all(b"pg-preflight: no script written: fix the errors above\n");
        return;
    };
    crate::commands::write_out(out, &scripts.sql);
    if let Some(hba) = &scripts.hba {
        crate::commands::write_out(
            out,
            "\n-- ---- pg_hba.conf (not SQL: add these lines to pg_hba.conf) ----\n",
        );
        for line in hba.lines() {
            crate::commands::write_out(out, &format!("-- {line}\n"));
        }
    }
    for note in &scripts.notes {
        let _ = writeln!(err, "note: {note}");
    }
    if let Some(password) = &scripts.generated_password {
        let _ = writeln!(
            err,
            "\nGenerated password for {} (shown once, not stored anywhere; keep it in your secret store):\n  {}\n",
            scripts.login_role,
            password.as_str()
        );
    }
}

/// `--out-dir DIR`: every script in its own file; the directory is created if missing.
fn write_files(dir: &str, generated: &Generated) -> Result<(), UsageError> {
    let Some(scripts) = &generated.scripts else {
        return Ok(());
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| UsageError(format!("--out-dir {dir}: cannot create it: {e}")))?;
    let mut files = vec![
        ("role.sql", Some(&scripts.sql)),
        ("verify.sql", Some(&scripts.verify)),
        ("rotate.sql", Some(&scripts.rotate)),
        ("teardown.sql", Some(&scripts.teardown)),
    ];
    files.push(("pg_hba.conf.lines", scripts.hba.as_ref()));
    files.push(("postgresql.conf.lines", scripts.server_conf.as_ref()));
    for (name, text) in files {
        let Some(text) = text else { continue };
        let path = std::path::Path::new(dir).join(name);
        std::fs::write(&path, text)
            .map_err(|e| UsageError(format!("--out-dir: cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}
