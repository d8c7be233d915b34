//! `pg-preflight grants --spec FILE|- [--json] [--cert FILE] [--out-dir DIR] [--today DATE]`:
//! the role scripts for a role spec (DESIGN.md §3). This edge supplies what the core may not
//! read itself: the file, the date and the operating system's random source.

use crate::args::{Command, Flag, Parsed};
use crate::edge::{self, UsageError, EXIT_FINDINGS, EXIT_OK, JSON_FLAG};
use crate::render;
use pg_preflight_core::Field;
use pg_preflight_core::{Date, Environment, Generated, RandomSource};
use std::io::{IsTerminal, Write};

pub const COMMAND: Command = Command {
    name: "grants",
    operands: "",
    about: "Write the least-privilege role script for a role spec (JSON, see the README): \
            PostgreSQL roles and grants with pg_hba.conf lines, or a MySQL/MariaDB account. \
            The SQL goes to stdout; findings, notes and a generated password (shown once) to \
            stderr. With --json everything, the generated password included, is one JSON \
            document on stdout: keep it out of files and logs. Exit 1, with no script, when the \
            spec cannot be honoured exactly.",
    flags: || {
        vec![
            SPEC_FLAG,
            JSON_FLAG,
            Flag::value(
                Field::ClientCert.flag(),
                "FILE",
                "the client certificate: pins MySQL's REQUIRE SUBJECT/ISSUER to it",
            ),
            OUT_DIR_FLAG,
            TODAY_FLAG,
        ]
    },
    run,
    exits: None,
};

const SPEC_FLAG: Flag =
    Flag::value("--spec", "FILE|-", "the role spec (`-`: standard input)").required();
const OUT_DIR_FLAG: Flag = Flag::value(
    "--out-dir",
    "DIR",
    "also write role.sql, verify.sql, rotate.sql, teardown.sql and the configuration lines there",
);
const TODAY_FLAG: Flag = Flag::value(
    "--today",
    "YYYY-MM-DD",
    "the date the scripts are written for (expiry, file names); default: today",
);

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

fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    parsed.no_operands(
        "grants",
        ": give the spec with --spec FILE (or - for stdin)",
    )?;
    let spec_path = parsed.require(&SPEC_FLAG, COMMAND.name)?;
    let spec_text = read_spec(spec_path)?;
    let certificate = parsed
        .value(Field::ClientCert.flag())
        .map(|path| edge::InputFile::read(path, Field::ClientCert.flag()))
        .transpose()?;
    let today = match parsed.value(TODAY_FLAG.name) {
        Some(text) => Date::parse(text)
            .ok_or_else(|| UsageError(format!("--today `{text}` is not a date (YYYY-MM-DD)")))?,
        None => Date::from_unix(edge::system_now()),
    };
    let mut random = OsRandom { failed: false };
    let generated = pg_preflight_core::generate_from_json(
        &spec_text,
        &mut Environment {
            today,
            random: &mut random,
            client_certificate: certificate.as_ref().map(|c| c.bytes.as_slice()),
        },
    );
    if random.failed {
        return Err(UsageError(
            "the operating system's random source failed; no script was written".into(),
        ));
    }
    if let Some(dir) = parsed.value(OUT_DIR_FLAG.name) {
        write_files(dir, &generated)?;
    }
    if parsed.switch(JSON_FLAG.name) {
        edge::write_out(out, &edge::to_json(&generated.report()));
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
    if path == "-" {
        return edge::read_stdin("the spec");
    }
    let file = edge::InputFile::read(path, SPEC_FLAG.name)?;
    std::str::from_utf8(&file.bytes)
        .map(str::to_string)
        .map_err(|_| UsageError(format!("--spec {path}: the file is not UTF-8 text")))
}

/// The SQL on stdout (so `> role.sql` captures exactly the script); findings, notes and the
/// generated password on stderr, where a redirect does not send them into the file.
fn text_output(generated: &Generated, out: &mut dyn Write) {
    let mut err = std::io::stderr().lock();
    let colour = edge::use_colour(std::io::stderr().is_terminal());
    if !generated.diagnostics.is_empty() {
        let _ = err.write_all(
            render::diagnostics_text(None, None, &generated.diagnostics, colour).as_bytes(),
        );
    }
    let Some(scripts) = &generated.scripts else {
        let _ = err.write_all(b"pg-preflight: no script written: fix the errors above\n");
        return;
    };
    edge::write_out(out, &scripts.sql);
    if let Some(hba) = &scripts.hba {
        edge::write_out(
            out,
            "\n-- ---- pg_hba.conf (not SQL: add these lines to pg_hba.conf) ----\n",
        );
        for line in hba.lines() {
            edge::write_out(out, &format!("-- {line}\n"));
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
