use super::*;

fn failures(text: &str) -> Vec<Failure> {
    explain_error(text, &ExplainInput::default())
        .explanations
        .iter()
        .map(|e| e.failure)
        .collect()
}

#[test]
fn messages_as_clients_show_them() {
    // psql (libpq 18): the per-host prefix, then the server's FATAL.
    let psql = r#"psql: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption"#;
    let report = explain_error(psql, &ExplainInput::default());
    assert_eq!(report.client, Some(Client::Psql));
    assert_eq!(failures(psql), vec![Failure::NoHbaEntry]);
    let found = &report.explanations[0];
    assert_eq!(found.values["encryption"], "no encryption");
    assert_eq!(found.values["user"], "app");
    assert_eq!(found.causes[0].cause, Cause::TlsNotUsedWhereRequired);
    // psycopg 3 wraps libpq's text in `connection failed: `.
    let psycopg = "psycopg.OperationalError: connection failed: connection to server at \"10.0.0.5\", port 5432 failed: SSL error: certificate verify failed";
    assert_eq!(failures(psycopg), vec![Failure::ServerCertificateUntrusted]);
    // A traceback: the message is on its own line among others.
    let traceback = "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\npsycopg2.OperationalError: connection to server at \"db\" (10.0.0.5), port 5432 failed: could not load private key file \"/home/app/.postgresql/postgresql.key\": key values mismatch\n";
    let report = explain_error(traceback, &ExplainInput::default());
    assert_eq!(report.client, Some(Client::Psycopg2));
    assert_eq!(report.explanations[0].failure, Failure::ClientKeyMismatch);
    assert_eq!(report.explanations[0].line, 3);
    assert_eq!(
        report.explanations[0].values["file"],
        "/home/app/.postgresql/postgresql.key"
    );
}

#[test]
fn a_specific_reason_beats_the_generic_text_on_its_line() {
    let asyncpg = "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'db.internal'. (_ssl.c:1006)";
    assert_eq!(failures(asyncpg), vec![Failure::HostNameMismatch]);
    let node = "Error: self-signed certificate in certificate chain\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1677:34) {\n  code: 'SELF_SIGNED_CERT_IN_CHAIN'\n}";
    let report = explain_error(node, &ExplainInput::default());
    assert_eq!(report.client, Some(Client::NodePostgres));
    assert_eq!(report.explanations.len(), 1);
    assert_eq!(report.explanations[0].causes[0].cause, Cause::CaDoesNotSignChain);
    assert!(report.explanations[0].causes[0].confirmed);
}

#[test]
fn unknown_text_is_nothing() {
    assert!(failures("everything is fine\nreally").is_empty());
    assert!(failures("").is_empty());
}

#[test]
fn secrets_in_the_pasted_text_are_masked() {
    let log = "asyncpg.exceptions.InvalidPasswordError: password authentication failed for user \"app\"\n  dsn='postgresql://app:hunter2secret@db/app'";
    let report = explain_error(log, &ExplainInput::default());
    let json = serde_json::to_string(&report).unwrap_or_default();
    assert!(!json.contains("hunter2secret"), "{json}");
    // The given string's password is masked wherever it appears, even outside a URL.
    let dsn = "postgresql://app:s3cr3t-value@db/app";
    let input = ExplainInput {
        check: Some(crate::check::CheckInput {
            dsn: Some(dsn),
            ..Default::default()
        }),
        key_file: None,
    };
    let text = "FATAL:  password authentication failed for user \"app\" (tried s3cr3t-value)";
    let json = serde_json::to_string(&explain_error(text, &input)).unwrap_or_default();
    assert!(!json.contains("s3cr3t-value"), "{json}");
}

fn with_dsn(dsn: &str) -> ExplainInput<'_> {
    ExplainInput {
        check: Some(crate::check::CheckInput {
            dsn: Some(dsn),
            ..Default::default()
        }),
        key_file: None,
    }
}

/// Found by an outside review: the finders cut a logged `password=` at its `;`, and the given
/// password, whole, was then no longer there to mask.
#[test]
fn a_given_password_is_masked_whole_before_a_finder_cuts_it() {
    let log = "failed to connect to `host=h user=u password=Zq9x;Wv7k database=db`: tls error: server refused TLS connection";
    let json = serde_json::to_string(&explain_error(log, &with_dsn("host=h user=u password='Zq9x;Wv7k'")))
        .unwrap_or_default();
    assert!(json.contains("failed to connect"), "{json}");
    assert!(!json.contains("Wv7k") && !json.contains("Zq9x"), "{json}");
}

/// Found by an outside review: a password that is a word the log uses (`port`) masked that
/// word in the message, which told the password. A word-like password is masked only where
/// it is echoed in its own context.
#[test]
fn a_word_password_is_masked_only_where_it_is_echoed() {
    let input = with_dsn("postgresql://u:port@h/db");
    let known = Known::read(&input, &SideReviews::default());
    let secrets = Secrets::from_texts(known.secrets.texts.clone(), known.secrets.sites.clone());
    let message = r#"psql: error: connection to server at "h" (10.0.0.1), port 5432 failed: FATAL:  password authentication failed for user "u""#;
    assert_eq!(masked(message, &secrets), message);
    assert_eq!(
        masked("asyncpg.connect('postgresql://u:port@h/db')", &secrets),
        "asyncpg.connect('postgresql://u:********@h/db')"
    );
    // A password with a digit or a sign is masked wherever it appears.
    let input = with_dsn("postgresql://u:p0rt-x@h/db");
    let known = Known::read(&input, &SideReviews::default());
    assert_eq!(
        masked("tried p0rt-x twice", &known.secrets),
        "tried ******** twice"
    );
}

#[test]
fn every_row_is_matched_by_its_own_pattern() {
    for message in MESSAGES {
        // The pattern with placeholders filled in is found again, as its own failure.
        let text = message
            .pattern
            .trim_end_matches('$')
            .replace(['{', '}'], "");
        let found = messages_in(&text);
        assert!(
            found.iter().any(|(m, _)| m.failure == message.failure),
            "{:?} not found in its own text {text:?}",
            message.pattern
        );
    }
}

#[test]
fn a_huge_paste_is_cut_and_says_so() {
    let message = "psql: error: fe_sendauth: no password supplied\n";
    let mut text = message.repeat(3);
    text.push_str(&"x".repeat(MAX_LINE_BYTES * 2));
    let report = explain_error(&text, &ExplainInput::default());
    assert!(report.truncated);
    assert_eq!(report.explanations.len(), 1);
    let long = "é".repeat(MAX_TEXT_BYTES);
    let report = explain_error(&long, &ExplainInput::default());
    assert!(report.truncated);
    assert!(report.explanations.is_empty());
    let report = explain_error(message, &ExplainInput::default());
    assert!(!report.truncated);
}

/// Found by an outside review: under a driver whose syntax the string is not in (a
/// keyword/value string with `--driver jdbc`), the fix copied the string, password included,
/// with a JDBC query glued on. Such a string has no settings surface: the fix is advice.
#[test]
fn a_fix_never_holds_the_given_password() {
    let log = r#"FATAL:  no pg_hba.conf entry for host "10.0.0.2", user "u1", database "db", no encryption"#;
    let read_by_pgjdbc = |dsn| ExplainInput {
        check: Some(crate::check::CheckInput {
            dsn: Some(dsn),
            driver: Some(crate::conninfo::dialect::Dialect::Jdbc),
            ..Default::default()
        }),
        key_file: None,
    };
    let report = explain_error(log, &read_by_pgjdbc("host=h1 user=u1 password=Xk7Qm4pZ9"));
    let json = serde_json::to_string(&report).unwrap_or_default();
    let fixes: Vec<&Fix> = report
        .explanations
        .iter()
        .filter_map(|e| e.fix.as_ref())
        .collect();
    assert!(!fixes.is_empty(), "{json}");
    assert!(fixes.iter().all(|f| f.replacement.is_none()), "{json}");
    assert!(!json.contains("Xk7Qm4pZ9"), "{json}");
    // The same log with the string in pgjdbc's syntax gets the corrected URL, password left out.
    let report = explain_error(
        log,
        &read_by_pgjdbc("jdbc:postgresql://h1/db?user=u1&password=Xk7Qm4pZ9"),
    );
    let json = serde_json::to_string(&report).unwrap_or_default();
    let replacement = report
        .explanations
        .iter()
        .find_map(|e| e.fix.as_ref()?.replacement.clone())
        .unwrap_or_default();
    assert!(replacement.starts_with("jdbc:postgresql://h1/db?"), "{json}");
    assert!(replacement.contains("sslmode=verify-full"), "{json}");
    assert!(!json.contains("Xk7Qm4pZ9"), "{json}");
}

/// The page builds the `SideReviews` object from `Side::name`: the names must be the fields
/// its JSON has.
#[test]
fn side_names_are_the_fields_of_side_reviews() {
    let mut sides = SideReviews::default();
    for side in Side::ALL {
        sides.set(side, crate::check::MaterialReport::default());
    }
    let json = serde_json::to_value(&sides).unwrap_or_default();
    let mut fields: Vec<&str> = json
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    fields.sort_unstable();
    let mut names: Vec<&str> = Side::ALL.iter().map(|s| s.name()).collect();
    names.sort_unstable();
    assert_eq!(fields, names);
}
