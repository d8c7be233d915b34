//! `pg-preflight explain-error`: a client's error message (a line, a log, a traceback), read
//! from a file or standard input, explained against the configuration given with the same
//! flags as `check`.

use crate::args::{Command, Flag, Parsed};
use crate::edge::{
    self, MaterialFiles, Output, UsageError, DRIVER_FLAG, DSN_ENV_FLAG, JSON_FLAG,
    KEY_PASSWORD_ENV_FLAG, SARIF_FLAG,
};
use crate::sarif;
use pg_preflight_core::{explain_error, CheckInput, ErrorReport, ExplainInput};
use std::io::Write;

pub const COMMAND: Command = Command {
    name: "explain-error",
    operands: "",
    about: "Explain the error a client printed (psql, libpq, psycopg, pgjdbc, node-postgres, \
            asyncpg, Npgsql, pgx, or the server's FATAL): which failure it is and which of your \
            inputs causes it, checked against the connection string and files given with the \
            same flags as `check`, most likely cause first, with the change to the string in \
            its own driver's syntax. The text may be a whole log or traceback; its secrets are \
            masked.",
    flags,
    run,
    exits: Some("0 a message was explained, 1 no known message was found, 2 usage error or unreadable input"),
};

const ERROR_FLAG: Flag = Flag::value(
    "--error",
    "FILE",
    "the error text (`-` or absent: read it from standard input)",
);
const DSN_FLAG: Flag = Flag::value(
    "--dsn",
    "STRING",
    "the connection string the client used (`-`: read it from standard input, when --error names a file)",
);
const NOW_FLAG: Flag = Flag::value(
    "--now",
    "RFC3339",
    "the time the error happened (for expiry), instead of the system clock",
);

fn flags() -> Vec<Flag> {
    let mut flags = vec![ERROR_FLAG, DSN_FLAG, DSN_ENV_FLAG, DRIVER_FLAG];
    flags.extend(edge::material_flags());
    flags.extend([KEY_PASSWORD_ENV_FLAG, NOW_FLAG, JSON_FLAG, SARIF_FLAG]);
    flags
}

fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    parsed.no_operands(
        "explain-error",
        "; pass the error text with --error FILE or on standard input",
    )?;
    let format = edge::output(parsed)?;
    let text = match parsed.value(ERROR_FLAG.name) {
        None | Some("-") => edge::read_stdin("the error text")?,
        // A log may hold bytes that are not UTF-8 (a localized message, a binary dump): they
        // cannot be a message the table knows, so they are read leniently.
        Some(path) => String::from_utf8_lossy(&edge::InputFile::read(path, ERROR_FLAG.name)?.bytes)
            .into_owned(),
    };
    let dialect = edge::driver(parsed)?;
    // Standard input holds the error text unless --error names a file.
    let stdin_holds =
        matches!(parsed.value(ERROR_FLAG.name), None | Some("-")).then_some("the error text");
    let dsn = edge::dsn(parsed, &DSN_FLAG, stdin_holds)?;
    let files = MaterialFiles::from_flags(parsed)?;
    let now = edge::time_flag(parsed, &NOW_FLAG)?;
    let key_file = files.key_mode_diagnostic();
    let given = dsn.is_some() || !files.is_empty();
    let input = ExplainInput {
        check: given.then(|| CheckInput {
            dsn: dsn.as_deref(),
            driver: dialect,
            material: files.material(),
            now,
        }),
        key_file: key_file.as_ref(),
    };
    let report = explain_error(&text, &input);
    let rendered = match format {
        Output::Json => edge::to_json(&report),
        Output::Sarif => edge::to_json(&sarif::explanations(&report)),
        Output::Text => text_report(&report, given),
    };
    edge::write_out(out, &rendered);
    Ok(if report.explanations.is_empty() { 1 } else { 0 })
}

fn text_report(report: &ErrorReport, given: bool) -> String {
    if report.explanations.is_empty() {
        let cut = if report.truncated {
            "Only the start of the text was read (256 KiB, 4 KiB of each line): paste the part around the error. "
        } else {
            ""
        };
        let mut out = format!(
            "{cut}No known client or server message was found in the text. pg-preflight knows the \
             connection errors of libpq (psql, psycopg, psycopg2), pgjdbc, node-postgres, asyncpg, \
             Npgsql, pgx, Go's lib/pq, Prisma, the server's FATALs and some managed services' \
             proxies.\n"
        );
        if !report.string_errors.is_empty() {
            out.push_str(&format!(
                "\nThe connection string given has {} of its own that can make it fail (from `check`, not from the text):\n",
                if report.string_errors.len() == 1 { "an error".to_string() } else { format!("{} errors", report.string_errors.len()) }
            ));
            for finding in &report.string_errors {
                out.push_str(&format!(
                    "  error[{}]: {}\n     {}\n",
                    finding.code, finding.title, finding.detail
                ));
                if let Some(fix) = &finding.fix {
                    push_fix(&mut out, fix);
                }
            }
        }
        return out;
    }
    let mut out = String::new();
    for explanation in &report.explanations {
        out.push_str(&format!(
            "{} (line {}, {}):\n  {}\n",
            explanation.title,
            explanation.line,
            explanation.failure.id(),
            explanation.text
        ));
        for (rank, judged) in explanation.causes.iter().enumerate() {
            let mark = if judged.confirmed {
                "confirmed"
            } else if explanation.causes.len() == 1 {
                "the likely cause"
            } else if rank == 0 {
                "most likely"
            } else {
                "possible"
            };
            // The findings that showed it (the review's, or the string's own `check` finding).
            let by = if judged.codes.is_empty() {
                String::new()
            } else {
                format!(" by {}", judged.codes.join(", "))
            };
            out.push_str(&format!(
                "  {}. {} [{}{}; in {}]\n     {}\n",
                rank + 1,
                judged.cause.id(),
                mark,
                by,
                judged.input.label_for(explanation.client),
                judged.detail
            ));
        }
        if !explanation.decide.is_empty() {
            let names: Vec<&str> = explanation.decide.iter().map(|f| f.flag()).collect();
            out.push_str(&format!("  To decide, give: {}\n", names.join(", ")));
            if explanation
                .decide
                .contains(&pg_preflight_core::Field::ServerChain)
            {
                out.push_str("  (the server's chain as it sends it: openssl s_client -starttls postgres -connect HOST:5432 -showcerts </dev/null)\n");
            }
        }
        if let Some(fix) = &explanation.fix {
            push_fix(&mut out, fix);
        }
        out.push_str(&format!("  Source: {}\n\n", explanation.source));
    }
    if report.truncated {
        out.push_str("Only the start of the text was read (256 KiB, 4 KiB of each line): paste the part around the error.\n");
    }
    if !given {
        out.push_str("Give the connection string and files with the same flags as `check` (--dsn, --ca, --server-cert, …) to have the causes checked against them.\n");
    }
    out
}

/// A fix as the text report shows it: its title, then the corrected string, or the code a
/// driver needs where its string cannot say the change (a fix taken from one of the string's
/// own findings, such as SQLAlchemy's asyncpg `connect_args`).
fn push_fix(out: &mut String, fix: &pg_preflight_core::Fix) {
    out.push_str(&format!("  Fix: {}\n", fix.title));
    if let Some(replacement) = &fix.replacement {
        out.push_str(&format!("    {replacement}\n"));
    }
    if let Some(code) = &fix.code {
        for line in code.text.lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
}
