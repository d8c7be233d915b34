//! `pg-preflight verify-chain --leaf FILE --trusted FILE [--untrusted FILE] [--at RFC3339]
//! [--host NAME] [--purpose server|client] [--policy strict|libpq] [--json]` (DESIGN.md §3).
//!
//! Files are read with the core's intake, so PEM (any number of blocks), DER and bare base64
//! all work. The leaf file's first certificate is the leaf; further certificates in it (a
//! client certificate followed by its intermediates, or `openssl s_client -showcerts` output)
//! are available for path building, as libpq treats `sslcert`. Without `--at` the system
//! clock gives the validation time.
//!
//! Exit status: 0 when the chain is valid, 1 when it is not, 2 for usage errors and files that
//! cannot be read.

use crate::args::{Command, Flag, Parsed};
use crate::edge::{self, UsageError, EXIT_FINDINGS, EXIT_OK, JSON_FLAG};
use pg_preflight_core::UnixTime;
use pg_preflight_core::{intake, Field, Intake};
use pg_preflight_core::{ChainReport, Labels, Policy, Purpose, VerifyOptions};
use pg_preflight_core::{Diagnostic, Severity};
use std::io::Write;

pub const COMMAND: Command = Command {
    name: "verify-chain",
    operands: "",
    about: "Build and verify the certificate path; exit 0 when valid, 1 when not.",
    flags: || {
        vec![
            LEAF_FLAG,
            TRUSTED_FLAG,
            UNTRUSTED_FLAG,
            AT_FLAG,
            HOST_FLAG,
            PURPOSE_FLAG,
            POLICY_FLAG,
            JSON_FLAG,
        ]
    },
    run,
    exits: Some("0 the path is valid, 1 it is not, 2 usage error or unreadable input"),
};

const LEAF_FLAG: Flag = Flag::value(
    "--leaf",
    "FILE",
    "the certificate to verify; certificates after the first are used to build the path",
)
.required();
const TRUSTED_FLAG: Flag = Flag::value("--trusted", "FILE", "the trust anchors").required();
const UNTRUSTED_FLAG: Flag = Flag::value("--untrusted", "FILE", "intermediates to build from");
const AT_FLAG: Flag = Flag::value(
    "--at",
    "RFC3339",
    "the validation time; default: the system clock",
);
const HOST_FLAG: Flag = Flag::value("--host", "NAME", "the host name the leaf must name");
const PURPOSE_FLAG: Flag = Flag::value(
    "--purpose",
    "server|client",
    "the extended key usage required of the leaf",
);
const POLICY_FLAG: Flag = Flag::value(
    "--policy",
    "strict|libpq",
    "strict RFC 5280 (default), or what libpq's OpenSSL accepts",
);

fn run(parsed: &Parsed, out: &mut dyn Write) -> Result<u8, UsageError> {
    parsed.no_operands("verify-chain", "; use --leaf, --trusted and --untrusted")?;
    let leaf_path = parsed.require(&LEAF_FLAG, COMMAND.name)?;
    let trusted_path = parsed.require(&TRUSTED_FLAG, COMMAND.name)?;
    let untrusted_path = parsed.value(UNTRUSTED_FLAG.name);
    let at = edge::time_flag(parsed, &AT_FLAG)?;
    let policy = match parsed.value(POLICY_FLAG.name) {
        None => Policy::Strict,
        Some(name) => Policy::from_name(name).ok_or_else(|| {
            UsageError(format!("unknown --policy `{name}`; choose strict or libpq"))
        })?,
    };
    let purpose = match parsed.value(PURPOSE_FLAG.name) {
        None => None,
        Some(name) => Some(Purpose::from_name(name).ok_or_else(|| {
            UsageError(format!(
                "unknown --purpose `{name}`; choose server or client"
            ))
        })?),
    };
    let host = parsed.value(HOST_FLAG.name).map(str::to_string);
    if host.as_deref() == Some("") {
        return Err(UsageError("--host needs a non-empty name".into()));
    }

    let leaf_field = if purpose == Some(Purpose::Client) {
        Field::ClientCert
    } else {
        Field::ServerChain
    };
    let leaf_file = read(leaf_path, LEAF_FLAG.name, leaf_field)?;
    let trusted_file = read(trusted_path, TRUSTED_FLAG.name, Field::RootCert)?;
    let untrusted_file = match untrusted_path {
        Some(path) => Some(read(path, UNTRUSTED_FLAG.name, Field::ServerChain)?),
        None => None,
    };

    let leaf_ders = ders(&leaf_file);
    let trusted_ders = ders(&trusted_file);
    let mut untrusted_ders: Vec<Vec<u8>> = leaf_ders.iter().skip(1).cloned().collect();
    if let Some(file) = &untrusted_file {
        untrusted_ders.extend(ders(file));
    }
    let mut options = VerifyOptions::new(at);
    options.policy = policy;
    options.purpose = purpose;
    options.host = host;
    // Findings number the untrusted certificates as their file does: after the leaf in the
    // leaf's own file (its certificate 2 onwards), from 1 in a file of their own.
    let (untrusted, untrusted_first) = match (untrusted_path, leaf_ders.len() > 1) {
        (Some(path), false) => (path.to_string(), 1),
        (Some(path), true) => (
            format!("{path} (after the certificates following the leaf in {leaf_path})"),
            1,
        ),
        (None, _) => (leaf_path.to_string(), 2),
    };
    options.labels = Labels {
        leaf: leaf_path.to_string(),
        trusted: trusted_path.to_string(),
        untrusted,
        untrusted_first,
    };
    let empty = Vec::new();
    let leaf = leaf_ders.first().unwrap_or(&empty);
    let trusted: Vec<&[u8]> = trusted_ders.iter().map(Vec::as_slice).collect();
    let untrusted: Vec<&[u8]> = untrusted_ders.iter().map(Vec::as_slice).collect();
    let report = pg_preflight_core::verify(leaf, &untrusted, &trusted, &options);

    let mut diagnostics = report.diagnostics.clone();
    for file in [
        Some(&leaf_file),
        Some(&trusted_file),
        untrusted_file.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        diagnostics.extend(file.intake.diagnostics.iter().cloned().map(|mut d| {
            d.detail = format!("{}: {}", file.path, d.detail);
            d
        }));
    }

    if parsed.switch(JSON_FLAG.name) {
        let json = serde_json::json!({
            "valid": report.valid,
            "path": report.path,
            "diagnostics": diagnostics,
        });
        edge::write_out(out, &edge::to_json(&json));
    } else {
        edge::write_out(out, &text_report(&report, &diagnostics, at));
    }
    Ok(if report.valid { EXIT_OK } else { EXIT_FINDINGS })
}

/// A file's path and what the core's intake found in it.
struct ReadFile {
    path: String,
    intake: Intake,
}

fn read(path: &str, flag: &str, field: Field) -> Result<ReadFile, UsageError> {
    let file = edge::InputFile::read(path, flag)?;
    Ok(ReadFile {
        path: path.to_string(),
        intake: intake(&file.bytes, field),
    })
}

fn ders(file: &ReadFile) -> Vec<Vec<u8>> {
    file.intake
        .certificates()
        .map(|(item, _)| item.der.clone())
        .collect()
}

fn text_report(report: &ChainReport, diagnostics: &[Diagnostic], at: UnixTime) -> String {
    let mut out = format!(
        "{} under the {} policy at {}\n",
        if report.valid { "VALID" } else { "INVALID" },
        match report.policy {
            Policy::Strict => "strict RFC 5280",
            Policy::Libpq => "libpq (OpenSSL)",
        },
        at.rfc3339()
    );
    if !report.path.is_empty() {
        out.push_str(if report.valid {
            "path:\n"
        } else {
            "path examined:\n"
        });
        // Each certificate named as the page's chain diagram names it (leaf, intermediate,
        // trust anchor, self-signed root not trusted…), not by a count from 0.
        for (i, (subject, fingerprint)) in report.path_subjects.iter().zip(&report.path).enumerate()
        {
            let place = report.links.get(i).map_or_else(
                || format!("certificate {}", i + 1),
                |link| match &link.note {
                    Some(note) => format!("{} ({note})", link.name),
                    None => link.name.clone(),
                },
            );
            out.push_str(&format!(
                "  {place}: {subject}\n     SHA-256 {fingerprint}\n"
            ));
        }
    }
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        out.push_str(&format!(
            "{severity}[{}]: {}\n  {}\n",
            d.code, d.title, d.detail
        ));
        if let Some(fix) = &d.fix {
            out.push_str(&format!("  fix: {}\n", fix.title));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command as `main` runs it: its flags read, then run.
    fn run(argv: &[String], out: &mut dyn Write) -> Result<u8, UsageError> {
        crate::commands::invoke(&COMMAND, argv, out)
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn fixture(name: &str) -> String {
        format!(
            "{}/../core/tests/fixtures/pki/chain/{name}.crt",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    fn run_json(extra: &[&str]) -> (u8, serde_json::Value) {
        let mut argv = strings(extra);
        argv.push("--json".into());
        let mut out = Vec::new();
        let status = run(&argv, &mut out).unwrap();
        (status, serde_json::from_slice(&out).unwrap())
    }

    #[test]
    fn valid_and_invalid_chains() {
        let (leaf, inter, root) = (fixture("leaf-3"), fixture("inter-a1"), fixture("root-a"));
        let at = "2026-06-01T00:00:00Z";
        let (status, json) = run_json(&[
            "--leaf",
            &leaf,
            "--trusted",
            &root,
            "--untrusted",
            &inter,
            "--at",
            at,
        ]);
        assert_eq!(status, EXIT_OK);
        assert_eq!(json["valid"], true);
        assert_eq!(json["path"].as_array().unwrap().len(), 3);
        assert_eq!(json.as_object().unwrap().len(), 3);
        let (status, json) = run_json(&[
            "--leaf",
            &leaf,
            "--trusted",
            &inter,
            "--at",
            at,
            "--policy",
            "libpq",
        ]);
        assert_eq!(status, EXIT_FINDINGS);
        assert_eq!(json["valid"], false);
        assert_eq!(json["diagnostics"][0]["code"], "PGP-CHAIN-002");
        let (status, json) = run_json(&[
            "--leaf",
            &leaf,
            "--trusted",
            &root,
            "--at",
            at,
            "--host",
            "db.example.com",
        ]);
        assert_eq!(status, EXIT_FINDINGS);
        assert_eq!(json["diagnostics"][0]["code"], "PGP-CHAIN-001");
        assert!(json["diagnostics"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("leaf-3.crt"));
    }

    #[test]
    fn usage_errors() {
        let mut out = Vec::new();
        assert!(run(&strings(&["--trusted", "x"]), &mut out).is_err());
        assert!(run(&strings(&["--leaf", "x"]), &mut out).is_err());
        assert!(run(
            &strings(&["--leaf", "/nonexistent", "--trusted", "/nonexistent"]),
            &mut out
        )
        .is_err());
        let leaf = fixture("leaf-2");
        assert!(run(
            &strings(&["--leaf", &leaf, "--trusted", &leaf, "--at", "yesterday"]),
            &mut out
        )
        .is_err());
        assert!(run(
            &strings(&["--leaf", &leaf, "--trusted", &leaf, "--policy", "java"]),
            &mut out
        )
        .is_err());
        assert!(run(
            &strings(&["--leaf", &leaf, "--trusted", &leaf, "--purpose", "email"]),
            &mut out
        )
        .is_err());
        assert!(run(
            &strings(&["--leaf", &leaf, "--trusted", &leaf, "extra"]),
            &mut out
        )
        .is_err());
    }

    #[test]
    fn text_output_names_the_path() {
        let (leaf, root) = (fixture("leaf-2"), fixture("root-a"));
        let mut out = Vec::new();
        let status = run(
            &strings(&[
                "--leaf",
                &leaf,
                "--trusted",
                &root,
                "--at",
                "2026-06-01T00:00:00Z",
            ]),
            &mut out,
        )
        .unwrap();
        assert_eq!(status, EXIT_OK);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("VALID under the strict RFC 5280 policy"),
            "{text}"
        );
        assert!(text.contains("CN=Chain Root A"), "{text}");
    }
}
