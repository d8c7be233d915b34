//! Secrets a third outside review found shown back, one test per kind of leak. Each asserts
//! what the tool says of the string (codes, spans, fixes, hosts, the shown input) and that the
//! secret stands nowhere in what is shown (`params` aside, DESIGN §3).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use pg_preflight_core::conninfo::dialect::{self, Dialect};
use pg_preflight_core::conninfo::{analyze, redact, Analysis, CheckOptions};
use pg_preflight_core::{Diagnostic, Severity};

fn analysed(input: &str, driver: Option<Dialect>) -> Analysis {
    analyze(input, driver, &CheckOptions::default())
}

/// Everything an analysis shows, as JSON: `params` (which carries the password by design) as
/// the CLI and the page show them (`params_shown`).
fn shown(analysis: &Analysis) -> String {
    let mut value = serde_json::to_value(analysis).unwrap();
    let params = serde_json::to_value(analysis.params_shown()).unwrap();
    value
        .as_object_mut()
        .unwrap()
        .insert("params".to_string(), params);
    value.to_string()
}

fn codes(analysis: &Analysis) -> Vec<&'static str> {
    analysis.diagnostics.iter().map(|d| d.code).collect()
}

/// The (first) finding with `code`; fails the test, naming the codes found, when there is none.
fn finding<'a>(analysis: &'a Analysis, code: &str) -> &'a Diagnostic {
    analysis
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} among {:?}", codes(analysis)))
}

fn replacements(analysis: &Analysis) -> Vec<&str> {
    analysis
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref()?.replacement.as_deref())
        .collect()
}

fn assert_hidden(analysis: &Analysis, pieces: &[&str], input: &str) {
    let shown = shown(analysis);
    for piece in pieces {
        assert!(
            !shown.contains(piece),
            "{input}: `{piece}` shown in {shown}"
        );
    }
}

/// [`assert_hidden`] for each of `inputs` under every reading: detected, and each driver's.
fn assert_hidden_in_every_reading(inputs: &[&str], pieces: &[&str]) {
    let drivers = std::iter::once(None).chain(Dialect::ALL.iter().copied().map(Some));
    for driver in drivers {
        for input in inputs {
            assert_hidden(&analysed(input, driver), pieces, input);
        }
    }
}

/// pgjdbc reads no user information: `u:pw@h` is host `u` and port `pw@h`, and the port was
/// quoted in the rejection.
#[test]
fn jdbc_user_information_read_as_the_port_is_credentials_in_the_authority() {
    let input = "jdbc:postgresql://u:Vt4kJw8rQm@h/db";
    let analysis = analysed(input, Some(Dialect::Jdbc));
    assert!(!analysis.valid);
    assert_eq!(codes(&analysis), ["PGP-DRIVER-015"]);
    let finding = &analysis.diagnostics[0];
    assert_eq!(
        finding.span.map(|s| &input[s.start..s.end]),
        Some("u:Vt4kJw8rQm@h")
    );
    assert_eq!(replacements(&analysis), ["jdbc:postgresql://h/db?user=u"]);
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    // Detected, the same finding; and libpq's rejection, read as libpq, with the password
    // masked.
    let detected = analysed(input, None);
    assert_eq!(codes(&detected), ["PGP-DRIVER-015"]);
    assert_hidden(&detected, &["Vt4k", "Jw8r"], input);
    assert_hidden(
        &analysed(input, Some(Dialect::Libpq)),
        &["Vt4k", "Jw8r"],
        input,
    );
    // A port that is one stays pgjdbc's own rejection, quoted.
    let port = analysed("jdbc:postgresql://h:99999/db", Some(Dialect::Jdbc));
    assert_eq!(codes(&port), ["PGP-DRIVER-001"]);
    assert!(port.diagnostics[0].detail.contains("`99999`"));
}

/// pgjdbc splits its query at every `&` and knows no fragment: an unencoded `&` cut the
/// password, whose rest was named as an ignored property and copied into every fix; an
/// unencoded `#` was copied as a fragment.
#[test]
fn jdbc_passwords_with_an_unencoded_ampersand_or_hash() {
    let input = "jdbc:postgresql://h/db?user=u&password=Vt4k&Jw8r&sslmode=require";
    let analysis = analysed(input, Some(Dialect::Jdbc));
    let tail = input.find("Jw8r").unwrap();
    let cut = finding(&analysis, "PGP-DRIVER-002");
    assert_eq!(cut.severity, Severity::Warning);
    assert_eq!(cut.span.map(|s| (s.start, s.end)), Some((tail, tail + 4)));
    assert_eq!(
        cut.fix
            .as_ref()
            .map(|f| (f.title.as_str(), f.replacement.is_none())),
        Some(("Percent-encode `&` in the password as `%26`", true))
    );
    let params = analysis.params.as_ref().unwrap();
    assert_eq!(params.get("password").map(String::as_str), Some("Vt4k"));
    assert!(!params.contains_key("Jw8r"));
    assert!(!replacements(&analysis).is_empty());
    for replacement in replacements(&analysis) {
        assert!(
            replacement.starts_with("jdbc:postgresql://h/db?user=u&sslmode="),
            "{replacement}"
        );
    }
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);

    let input = "jdbc:postgresql://h/db?user=u&password=Vt4k#Jw8r";
    let analysis = analysed(input, Some(Dialect::Jdbc));
    assert_eq!(
        analysis
            .params
            .as_ref()
            .unwrap()
            .get("password")
            .map(String::as_str),
        Some("Vt4k#Jw8r")
    );
    assert_eq!(
        redact::Shown::new(input, None).text,
        "jdbc:postgresql://h/db?user=u&password=********"
    );
    assert!(!replacements(&analysis).is_empty());
    for replacement in replacements(&analysis) {
        assert!(!replacement.contains('#'), "{replacement}");
    }
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
}

/// SQLAlchemy reads user information with a quote or a space in it whole; the finders stopped
/// at that character, as at the end of a URL in prose.
#[test]
fn sqlalchemy_user_information_with_a_quote_or_a_space() {
    for (password, libpq_quotes) in [
        ("Vt4k'Jw8r", "postgresql+psycopg2://u:********@h/db"),
        ("'Vt4kJw8r'", "postgresql+psycopg2://u:********@h/db"),
        ("Vt4k Jw8r", "postgresql+psycopg2://u:********"),
    ] {
        let input = format!("postgresql+psycopg2://u:{password}@h/db");
        assert_eq!(
            redact::Shown::new(&input, None).text,
            "postgresql+psycopg2://u:********@h/db"
        );
        let analysis = analysed(&input, None);
        assert_eq!(analysis.dialect, Dialect::Sqlalchemy);
        // libpq's rejection (asked for: a detected SQLAlchemy URL does not get it) quotes
        // the user information with the password masked.
        let as_libpq = analysed(&input, Some(Dialect::Libpq));
        assert!(
            as_libpq
                .diagnostics
                .iter()
                .any(|d| d.detail.contains(&format!(
                    "missing \"=\" after \"{libpq_quotes}\" in connection info string"
                ))),
            "{:#?}",
            as_libpq.diagnostics
        );
        assert_hidden(&as_libpq, &["Vt4k", "Jw8r"], &input);
        assert_eq!(
            analysis
                .params
                .as_ref()
                .unwrap()
                .get("password")
                .map(String::as_str),
            Some(password)
        );
        assert_hidden(&analysis, &["Vt4k", "Jw8r"], &input);
    }
}

/// A libpq string whose quoted password holds `""` and `;` was taken for an ADO.NET one, and
/// Npgsql's reading of it copied the password into a fix.
#[test]
fn a_quoted_libpq_password_with_semicolons_is_no_npgsql_string() {
    let input = "host=h user=u password='Vt4k\"\"Jw8r;' sslmode=require";
    assert_eq!(dialect::detect(input), Dialect::Libpq);
    let analysis = analysed(input, None);
    assert_eq!(analysis.dialect, Dialect::Libpq);
    assert!(analysis.valid);
    assert_eq!(
        analysis
            .params
            .as_ref()
            .unwrap()
            .get("password")
            .map(String::as_str),
        Some("Vt4k\"\"Jw8r;")
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    // Read as Npgsql on purpose, `Host` holds the rest of the string, its password masked.
    // Npgsql cuts the quoted password at its `;` (the single quote opens no ADO.NET value
    // there), so the rejection is the cut password's, with quoting as the fix.
    let npgsql = analysed(input, Some(Dialect::Npgsql));
    assert_eq!(codes(&npgsql), ["PGP-DRIVER-003"]);
    assert!(
        finding(&npgsql, "PGP-DRIVER-003")
            .detail
            .starts_with("Npgsql ends an unquoted value at `;`"),
        "{:?}",
        npgsql.diagnostics
    );
    assert!(replacements(&npgsql).is_empty());
    assert_hidden(&npgsql, &["Vt4k", "Jw8r"], input);
    // An ADO.NET string libpq swallows as one value is still Npgsql's.
    assert_eq!(dialect::detect("host=db;port=5433"), Dialect::Npgsql);
}

/// asyncpg and pgx send keys they do not read to the server; a password key in another case
/// (or misspelt) went there with its decoded value quoted in the finding, in a fix title and in
/// the libpq equivalent's `options`.
#[test]
fn a_password_key_a_driver_would_send_to_the_server() {
    for (driver, input) in [
        (Dialect::Asyncpg, "postgresql://u@h/db?Password=Vt4k%2BJw8r"),
        (Dialect::Pgx, "postgresql://u@h/db?Password=Vt4k%2BJw8r"),
        (Dialect::Asyncpg, "postgresql://u@h/db?PASSWORD=Vt4k%2BJw8r"),
        (Dialect::Pgx, "postgresql://u@h/db?pasword=Vt4k%2BJw8r"),
        (Dialect::Pgx, "host=h user=u PASSWORD='Vt4k\\'Jw8r'"),
    ] {
        let analysis = analysed(input, Some(driver));
        let key = input.rfind(['?', ' ']).unwrap() + 1;
        let sent = finding(&analysis, "PGP-DRIVER-007");
        assert_eq!(
            sent.span.map(|s| (s.start, s.end)),
            Some((key, input.len()))
        );
        assert!(!codes(&analysis).contains(&"PGP-DRIVER-008"), "{input}");
        assert!(analysis.libpq_equivalent.is_none(), "{input}");
        assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    }
}

/// Npgsql reads a libpq string as one `Host` value: the JSON host list carried the whole
/// string, password included.
#[test]
fn npgsql_host_list_of_a_keyword_value_string() {
    let input = "host=h user=u password='Vt4kJw8rQm' sslmode=require";
    let analysis = analysed(input, Some(Dialect::Npgsql));
    assert_eq!(analysis.hosts.len(), 1);
    assert_eq!(
        analysis.hosts[0].host.as_deref(),
        Some("h user=u password=******** sslmode=require")
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    // Npgsql splits its `Host` at every `,`, a password's too: each host is masked where it
    // stands in the input over the password.
    let input = "host=h user=u sslpassword='Vt4k,Jw8r' sslkey=/k.key";
    let analysis = analysed(input, Some(Dialect::Npgsql));
    let hosts: Vec<Option<&str>> = analysis.hosts.iter().map(|h| h.host.as_deref()).collect();
    assert_eq!(
        hosts,
        [
            Some("h user=u sslpassword=********"),
            Some("******** sslkey=/k.key")
        ]
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
}

/// `password = '…'`, with the spaces libpq allows around `=`: only libpq's own parse found the
/// value, so every other driver's shown input showed it.
#[test]
fn a_password_key_with_spaces_around_its_equals_sign() {
    let input = "host=h user=u password = 'Vt4k Jw8r' ";
    assert_eq!(
        redact::Shown::new(input, None).text,
        "host=h user=u password = ******** "
    );
    for driver in [
        Dialect::Jdbc,
        Dialect::Pgx,
        Dialect::Npgsql,
        Dialect::NodePostgres,
    ] {
        assert_hidden(&analysed(input, Some(driver)), &["Vt4k", "Jw8r"], input);
    }
}

/// `scheme://user:password` without `@host`: the password is read as the port, and was shown
/// in the input, libpq's message, the host list and drivers' rejections.
#[test]
fn a_password_read_as_the_port() {
    let input = "postgres://alice:Zq9x%2FWv7k";
    assert_eq!(
        redact::Shown::new(input, None).text,
        "postgres://alice:********"
    );
    let analysis = analysed(input, None);
    let port = finding(&analysis, "PGP-HOST-003");
    assert_eq!(
        port.detail,
        "libpq: invalid integer value \"********\" for connection option \"port\""
    );
    assert_eq!(analysis.hosts.len(), 1);
    assert_eq!(analysis.hosts[0].host.as_deref(), Some("alice"));
    assert_eq!(analysis.hosts[0].port.as_deref(), Some("********"));
    assert_hidden(&analysis, &["Zq9x", "Wv7k"], input);
    for driver in [
        Dialect::NodePostgres,
        Dialect::Pgx,
        Dialect::Prisma,
        Dialect::Asyncpg,
    ] {
        let analysis = analysed(input, Some(driver));
        assert!(!analysis.valid, "{driver:?}");
        assert!(analysis.diagnostics[0].detail.contains(redact::REDACTED));
        assert_hidden(&analysis, &["Zq9x", "Wv7k"], input);
    }
    // Holding a `,`, the decoded password is a port list, which libpq's rendering writes in
    // the query (`?port=…`): it is masked there too.
    let input = "postgres://alice:Vt4k%2CJw8r";
    let analysis = analysed(input, None);
    assert!(codes(&analysis).contains(&"PGP-HOST-002"));
    let fixes = replacements(&analysis);
    assert!(!fixes.is_empty());
    for fix in fixes {
        assert!(fix.starts_with("postgresql://alice:********/?"), "{fix}");
    }
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    // A port that is a number, written or percent-encoded, or a placeholder, is a port.
    for port in [
        "postgres://db:5432",
        "postgres://db:%35%34%33%32",
        "postgres://db:<port>",
    ] {
        assert_eq!(redact::Shown::new(port, None).text, port);
    }
}

/// Seen by the same generators beyond the eight kinds: a password holding an unpaired `"`
/// split the echo test at the quote, a fix title wrote an `options` value with a `-c
/// password=…` in it, and Npgsql's rejection quoted a URL's key lower-cased (`%3b`), which no
/// echo test matches.
#[test]
fn quotes_titles_and_lowercased_keys() {
    let input = "jdbc:postgresql://h/db?user=u&password=Vt4k\"Jw8r";
    let analysis = analysed(input, Some(Dialect::Pgx));
    let sent = finding(&analysis, "PGP-DRIVER-008");
    assert_eq!(
        sent.detail,
        "pgx sends `jdbc:postgresql://h/db?user=u&password=********` to the server as a run-time parameter"
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);

    let input = "host=h user=u password=Hn6wRb2x options='-c password=Vt4kJw8rQm'";
    let analysis = analysed(input, Some(Dialect::Pgx));
    let timeout = finding(&analysis, "PGP-PARAM-103")
        .fix
        .as_ref()
        .expect("a statement timeout fix");
    assert!(
        timeout.title.starts_with(
            "Bound statement time: set `options=-c password=******** -c statement_timeout=30s`"
        ),
        "{}",
        timeout.title
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r", "Hn6w"], input);

    let input = "postgresql://u:k7m2%3Bxq@h/db?sslmode=require";
    let analysis = analysed(input, Some(Dialect::Npgsql));
    assert_eq!(codes(&analysis), ["PGP-DRIVER-003"]);
    assert_eq!(
        analysis.diagnostics[0].detail,
        "Npgsql: \"Couldn't set ********\" (no keyword of Npgsql's: KeyNotFoundException); Npgsql takes no URL, only `Key=Value;` pairs (Host, Port, Database, Username, SSL Mode…)"
    );
    // The fix writes the URL as Npgsql's pairs (no "Remove ********", which a driver expert
    // read as garbled), the password left out.
    let fix = analysis.diagnostics[0].fix.as_ref().expect("a fix");
    assert_eq!(
        fix.replacement.as_deref(),
        Some("Host=h;Username=u;Database=db;SSL Mode=Require")
    );
    assert_hidden(&analysis, &["k7m2", "%3bxq"], input);
}

/// pgx reads a JDBC URL as one key/value pair and sends it to the server; its finding wrote the
/// value as pgx reads it (`\'` unescaped, `""` as written), which no echo test matches.
#[test]
fn a_forwarded_value_holding_a_password() {
    for (input, driver) in [
        (
            "jdbc:postgresql://h/db?user=u&password=Vt4k\\'Jw8r",
            Dialect::Pgx,
        ),
        (
            "jdbc:postgresql://h/db?user=u&password=Vt4k\"\"Jw8r;",
            Dialect::Pgx,
        ),
    ] {
        let analysis = analysed(input, Some(driver));
        let sent = finding(&analysis, "PGP-DRIVER-008");
        assert_eq!(
            sent.detail,
            "pgx sends `jdbc:postgresql://h/db?user=u&password=********` to the server as a run-time parameter",
            "{input}"
        );
        assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    }
    let input = "postgresql://u@h/db?search_path=x%20password%3DVt4kJw8rQm";
    let analysis = analysed(input, Some(Dialect::Asyncpg));
    let sent = finding(&analysis, "PGP-DRIVER-008");
    assert_eq!(
        sent.detail,
        "asyncpg sends `search_path=x password=********` to the server as a run-time setting"
    );
}

/// pgx reads an ADO.NET string as keyword/value and cuts it at whitespace, a password's space
/// too: `Password=Vt4k Jw8r;SSL Mode=Require` gives the key `Jw8r;SSL Mode`, a piece of the
/// password that no finder recognises by its text. The finding quoting the forwarded setting,
/// the libpq equivalent's approximation and the element a fix copies showed it (outside
/// review, round 4).
#[test]
fn pgx_cuts_an_ado_net_password_at_its_space() {
    let input = "Host=h;Username=u;Password=Vt4k Jw8r;SSL Mode=Require";
    let analysis = analysed(input, Some(Dialect::Pgx));
    assert!(analysis.valid);
    assert_eq!(
        codes(&analysis),
        [
            "PGP-DRIVER-008",
            "PGP-DRIVER-008",
            "PGP-DRIVER-004",
            "PGP-PARAM-103",
            "PGP-PARAM-102"
        ]
    );
    // pgx's reading is unchanged: the piece is a key of its own, sent to the server.
    let params = analysis.params.as_ref().unwrap();
    assert_eq!(
        params.get("Jw8r;SSL Mode").map(String::as_str),
        Some("Require")
    );
    let piece = input.find("Jw8r").unwrap();
    let sent = &analysis.diagnostics[1];
    assert_eq!(
        sent.span.map(|s| (s.start, s.end)),
        Some((piece, input.len()))
    );
    assert_eq!(
        sent.detail,
        "pgx sends `********;SSL Mode=Require` to the server as a run-time parameter"
    );
    assert!(
        finding(&analysis, "PGP-DRIVER-004")
            .detail
            .starts_with("`********;SSL Mode` cannot be written as a server setting in `options`"),
        "{}",
        analysis.diagnostics[2].detail
    );
    assert_eq!(
        finding(&analysis, "PGP-PARAM-102")
            .fix
            .as_ref()
            .and_then(|f| f.replacement.as_deref()),
        Some("Host=h;Username=u;Password=********;SSL Mode=Require application_name=my-app")
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    // The same for an ADO.NET `SSL Password` and for a quoted password cut after `= `.
    let input = "Host=h;Username=u;SSL Password=Vt4k Jw8r;SSL Key=/k";
    assert_hidden(
        &analysed(input, Some(Dialect::Pgx)),
        &["Vt4k", "Jw8r"],
        input,
    );
    // pgx keeps the last `Host`: the piece's own element is dropped, and the piece with it.
    let input = "Host=a;Password=Vt4k Jw8r;X=1 Host=b";
    let analysis = analysed(input, Some(Dialect::Pgx));
    assert_eq!(
        finding(&analysis, "PGP-PARAM-102")
            .fix
            .as_ref()
            .and_then(|f| f.replacement.as_deref()),
        Some("Host=b application_name=my-app")
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
    let input = "Host=h;Username=u;Password= 'Vt4k=Jw8r'";
    let analysis = analysed(input, Some(Dialect::Pgx));
    assert_eq!(
        analysis.diagnostics[1].detail,
        "pgx sends `********=********` to the server as a run-time parameter"
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
}

/// pgx reads only `postgres://` and `postgresql://` as URLs: a SQLAlchemy URL is keyword/value
/// to it, cut at the first `=`, which a password may hold, so the key it forwards
/// (`postgresql+psycopg2://u:Vt4k`) holds the password's head, and the libpq equivalent's
/// approximation named it (outside review, round 4).
#[test]
fn pgx_cuts_a_foreign_url_at_an_equals_sign_in_its_password() {
    let input = "postgresql+psycopg2://u:Vt4k=Jw8r@h/db";
    let analysis = analysed(input, Some(Dialect::Pgx));
    assert!(analysis.valid);
    let params = analysis.params.as_ref().unwrap();
    assert_eq!(
        params
            .get("postgresql+psycopg2://u:Vt4k")
            .map(String::as_str),
        Some("Jw8r@h/db")
    );
    assert_eq!(
        finding(&analysis, "PGP-DRIVER-008").detail,
        "pgx sends `postgresql+psycopg2://u:********@h/db` to the server as a run-time parameter"
    );
    let approximated = finding(&analysis, "PGP-DRIVER-004");
    assert!(
        approximated.detail.starts_with(
            "`postgresql+psycopg2://u:********` cannot be written as a server setting in `options`"
        ),
        "{}",
        approximated.detail
    );
    assert_hidden(&analysis, &["Vt4k", "Jw8r"], input);
}

/// From an outside review: an unquoted libpq password with a space (`password=Ab cdEf9…`) had
/// its second word shown in libpq's refusal (`missing "=" after "cdEf9…"`) and in the input.
/// A bare word after a secret's value is the secret's own; a `key = value` or a `-c` flag is
/// not.
#[test]
fn a_bare_word_after_an_unquoted_password_is_the_password() {
    let input = "host=db.example.com user=app password=Ab cdEf9Xq2Zz sslmode=verify-full";
    assert_eq!(
        redact::Shown::new(input, None).text,
        "host=db.example.com user=app password=******** sslmode=verify-full"
    );
    let analysis = analysed(input, None);
    assert_eq!(
        finding(&analysis, "PGP-PARAM-002").detail,
        "libpq: missing \"=\" after \"********\" in connection info string"
    );
    assert_hidden(&analysis, &["cdEf9Xq2Zz", "Ef9Xq2"], input);
    // A setting after the password, written `key = value`, stays a setting.
    let spaced = "host=db password=Ab port = 5432";
    assert_eq!(
        redact::Shown::new(spaced, None).text,
        "host=db password=******** port = 5432"
    );
}

/// From an outside review: an unquoted libpq password with a space and an `=` after it
/// (`password=Ab cd=Ef9…`) is refused as the unknown option `cd`, which libpq quotes. The rest
/// is the password's own text; the fix quotes the password instead of removing a "keyword".
/// A misspelt keyword after a password stays visible, with its suggestion.
#[test]
fn a_setting_no_driver_knows_after_an_unquoted_password_is_the_password() {
    let input = "host=db.example.com user=app password=Ab cd=Ef9Xq2Zz sslmode=verify-full";
    assert_eq!(
        redact::Shown::new(input, None).text,
        "host=db.example.com user=app password=******** sslmode=verify-full"
    );
    let analysis = analysed(input, None);
    let rejected = finding(&analysis, "PGP-PARAM-001");
    assert_eq!(
        rejected.detail,
        "libpq: invalid connection option \"********\""
    );
    let fix = rejected.fix.as_ref().unwrap();
    assert!(
        fix.title.starts_with("Quote the whole password"),
        "{}",
        fix.title
    );
    assert_eq!(fix.replacement, None);
    assert_hidden(&analysis, &["cd=Ef9", "Ef9Xq2"], input);
    let bare = analysed("host=db password=Ab cdEf9Xq2Zz", None);
    let fix = finding(&bare, "PGP-PARAM-002").fix.as_ref().unwrap();
    assert!(
        fix.title.starts_with("Quote the whole password"),
        "{}",
        fix.title
    );

    let misspelt = analysed("host=db password=Ab sslmdoe=require", None);
    let rejected = finding(&misspelt, "PGP-PARAM-001");
    assert_eq!(
        rejected.detail,
        "libpq: invalid connection option \"sslmdoe\""
    );
    assert_eq!(
        rejected.fix.as_ref().map(|f| f.title.as_str()),
        Some("Did you mean `sslmode`?")
    );
}

/// From an outside review: an Npgsql password with an unquoted `;` (`Password=Ab;cd=Ef9…`)
/// had its rest shown as the keyword Npgsql refuses, and the fix removed that "keyword",
/// cutting the password short for good. ADO.NET ends an unquoted value at `;`; the fix is to
/// put the password in double quotes. A keyword Npgsql knows after it stays a setting.
#[test]
fn an_npgsql_password_cut_at_a_semicolon_is_masked_whole_and_quoting_is_the_fix() {
    let input = "Host=h.example.com;Username=app;Password=Ab;cd=Ef9Xq2;SSL Mode=Require";
    let analysis = analysed(input, Some(Dialect::Npgsql));
    assert_eq!(
        redact::Shown::new(input, None).text,
        "Host=h.example.com;Username=app;Password=********;SSL Mode=Require"
    );
    let rejected = finding(&analysis, "PGP-DRIVER-003");
    assert!(
        rejected
            .detail
            .starts_with("Npgsql ends an unquoted value at `;`"),
        "{}",
        rejected.detail
    );
    let fix = rejected.fix.as_ref().unwrap();
    assert!(fix.title.contains("double quotes"), "{}", fix.title);
    assert_eq!(fix.replacement, None);
    assert_hidden(&analysis, &["cd=Ef9", "Ef9Xq2", "'cd'"], input);
    // The quoted password is one value, and a known keyword after a password is a setting.
    let quoted = analysed(
        "Host=h.example.com;Username=app;Password=\"Ab;cd=Ef9Xq2\";SSL Mode=VerifyFull;Timeout=5",
        Some(Dialect::Npgsql),
    );
    assert!(
        !codes(&quoted).contains(&"PGP-DRIVER-003"),
        "{:?}",
        codes(&quoted)
    );
    assert_eq!(
        redact::Shown::new("Host=h;Password=Ab;Timeout=5", None).text,
        "Host=h;Password=********;Timeout=5"
    );
}

/// The removal of the only secret says nothing of "other secrets" (an outside review read the
/// garbled "its other secrets are left out of it" on a string with one password).
#[test]
fn removing_the_only_secret_notes_no_other_secrets() {
    for (input, driver, others) in [
        (
            "Host=h.example.com;Username=app;Password=Zq9Wv7k2;SSL Mode=VerifyFull",
            Dialect::Npgsql,
            false,
        ),
        (
            "Host=h.example.com;Username=app;Password=Zq9Wv7k2;SSL Mode=VerifyFull;SSL Password=Kx8Pq3m",
            Dialect::Npgsql,
            true,
        ),
        (
            "postgresql://app:Zq9Wv7k2@h.example.com/db?sslmode=verify-full",
            Dialect::Prisma,
            false,
        ),
    ] {
        let analysis = analysed(input, Some(driver));
        let title = &finding(&analysis, "PGP-AUTH-101").fix.as_ref().unwrap().title;
        assert_eq!(title.contains("other secrets"), others, "{input}: {title}");
        assert!(!title.contains("(secrets are left out"), "{input}: {title}");
    }
}

/// From an outside review: pgjdbc's property names are case-sensitive, and the "rename it"
/// fix for `PASSWORD=` rendered `password=` with the password in clear.
#[test]
fn a_renamed_secret_property_is_advice_without_its_value() {
    for input in [
        "jdbc:postgresql://db/x?user=app&PASSWORD=Zq9XWk7VmR2p",
        "jdbc:postgresql://db/x?user=app&SSLPASSWORD=Zq9XWk7VmR2p&sslmode=verify-full",
    ] {
        let analysis = analysed(input, None);
        let fix = finding(&analysis, "PGP-DRIVER-002").fix.as_ref().unwrap();
        assert!(fix.title.starts_with("Rename `"), "{}", fix.title);
        assert_eq!(fix.replacement, None);
        assert_hidden(&analysis, &["Zq9XWk7VmR2p", "Wk7Vm"], input);
    }
}

/// From a second outside review (session 15), passwords that no finder saw:
/// a raw `?k=v` in user information, a URL short of its `://` or without a scheme, and a
/// libpq password holding `;`, which made the string read as Npgsql's.
#[test]
fn passwords_in_malformed_urls_and_odd_shapes_are_masked() {
    let pieces = ["Zq9X", "Wk7VmR2p"];
    for driver in [
        None,
        Some(Dialect::Pgx),
        Some(Dialect::NodePostgres),
        Some(Dialect::Asyncpg),
        Some(Dialect::Prisma),
    ] {
        let input = "postgres://app:Zq9X?a=Wk7VmR2p@db.example.com/x?sslmode=require";
        assert_hidden(&analysed(input, driver), &pieces, input);
    }
    for input in [
        "postgres:/app:Zq9XWk7VmR2p@db.example.com/x",
        "postgresql//app:Zq9XWk7VmR2p@db.example.com/x",
        "app:Zq9XWk7VmR2p@db.example.com/x",
    ] {
        let analysis = analysed(input, None);
        assert!(!analysis.diagnostics.is_empty(), "{input}");
        assert_hidden(&analysis, &["Zq9XWk7VmR2p", "Wk7VmR2p"], input);
    }
    // An ADO.NET user name with `@` after a host's port is no user information.
    assert_eq!(
        redact::Shown::new(
            "Server=srv.example.com:5432;User Id=admin@srv;Database=app",
            None
        )
        .text,
        "Server=srv.example.com:5432;User Id=admin@srv;Database=app"
    );
    let input = "host=db.example.com user=app password=Zq9X;Wk7V sslmode=verify-full sslrootcert=/ca.crt dbname=x";
    assert_eq!(dialect::detect(input), Dialect::Libpq);
    let analysis = analysed(input, None);
    assert!(analysis.valid);
    assert_hidden(&analysis, &["Wk7V"], input);
    assert_eq!(
        dialect::detect("host=db user=app PASSWORD=Zq9XWk7V sslmode=require"),
        Dialect::Libpq
    );
    assert_eq!(dialect::detect("host=db;port=5433"), Dialect::Npgsql);
}

/// From the same review: `conninfo --json` params under longer keys, and a keyword/value
/// password cut by a line break.
#[test]
fn params_under_longer_keys_and_line_broken_passwords_are_masked() {
    for (input, driver) in [
        (
            "postgres://app@db/x?Password=Zq9XWk7VmR2p",
            Dialect::Asyncpg,
        ),
        ("jdbc:postgresql://db/x?password=Zq9XWk7VmR2p", Dialect::Pgx),
    ] {
        let analysis = analysed(input, Some(driver));
        let params = serde_json::to_string(&analysis.params_shown()).unwrap();
        assert!(!params.contains("Zq9X"), "{input}: {params}");
    }
    let input = "host=db.example.com user=app password=Zq9X\nWk7VmR2p sslmode=verify-full";
    assert_hidden(&analysed(input, None), &["Wk7VmR2p"], input);
}

/// Everything shown, `params` as the CLI prints them (`params_shown`) included.
fn shown_with_params(analysis: &Analysis) -> String {
    format!(
        "{} {}",
        shown(analysis),
        serde_json::to_string(&analysis.params_shown()).unwrap()
    )
}

/// A fourth review, by a generator of pasted strings (17 shapes × 41 characters × 9
/// readings): a reader that splits a password makes a host, port, database name or key of
/// its pieces, and `conninfo --json` printed them.
#[test]
fn params_holding_a_piece_of_a_split_password_are_masked() {
    let analysis = analysed("postgres://app:Zq9X/Wk7V@db/x", None);
    let params = analysis.params_shown().unwrap();
    assert_eq!(params["port"], "********");
    assert_eq!(params["dbname"], "********@db/x");
    assert_eq!(params["host"], "app");
    // pgx cuts an unquoted password at its space and keys the rest with the next setting.
    let input = "host=db.example.com user=app password=Zq9X Wk7VmR2p sslmode=require";
    let analysis = analysed(input, Some(Dialect::Pgx));
    let params = analysis.params_shown().unwrap();
    assert_eq!(
        params.get("******** sslmode").map(String::as_str),
        Some("require")
    );
    assert!(!shown_with_params(&analysis).contains("Wk7V"));
}

/// A quote in a password that was not escaped: libpq closes the value there and refuses the
/// rest as a keyword, quoting it; a doubled quote (ADO.NET's escape) likewise.
#[test]
fn text_glued_to_a_closing_quote_is_the_password() {
    for input in [
        "host=db.example.com user=app password='Zq9X'Wk7VmR2p' sslmode=require",
        "host=db.example.com user=app password='Zq9X''Wk7VmR2p' sslmode=require",
    ] {
        let analysis = analysed(input, None);
        let missing = finding(&analysis, "PGP-PARAM-002");
        assert!(missing.detail.contains("********"), "{}", missing.detail);
        assert_hidden(&analysis, &["Zq9X", "Wk7V"], input);
    }
    // A quote closing a value before a separator is the value's end.
    assert_eq!(
        redact::Shown::new("{\"password\":\"Zq9XWk7V\",\"user\":\"app\"}", None).text,
        "{\"password\":********,\"user\":\"app\"}"
    );
}

/// `options=-c%20password%3D…`: every URL reader decodes it to `-c password=…`, and no `=`
/// of the input marked it: the whole password was shown in every dialect.
#[test]
fn a_percent_encoded_password_setting_in_options_is_masked() {
    let input =
        "postgres://app@db.example.com/x?options=-c%20password%3DZq9XWk7VmR2p&sslmode=require";
    assert_eq!(
        redact::Shown::new(input, None).text,
        "postgres://app@db.example.com/x?options=-c%20password%3D********&sslmode=require"
    );
    for driver in [
        None,
        Some(Dialect::NodePostgres),
        Some(Dialect::Pgx),
        Some(Dialect::Asyncpg),
    ] {
        let analysis = analysed(input, driver);
        assert!(!shown_with_params(&analysis).contains("Zq9X"), "{driver:?}");
    }
    // Its placeholder-like `$` names no value: the finding does not quote `options`.
    let input = "postgres://app@db.example.com/x?options=-c%20password%3DZq9X$Wk7VmR2p";
    let analysis = analysed(input, None);
    assert!(finding(&analysis, "PGP-PARAM-106")
        .detail
        .contains("`options` (a secret, not shown)"));
    assert_hidden(&analysis, &["Zq9X", "Wk7V"], input);
}

/// The server splits `options` only at ASCII whitespace: a `;` or a no-break space in a
/// `-c password=…` value is the password's.
#[test]
fn a_password_in_a_server_command_line_runs_to_ascii_whitespace() {
    for input in [
        "host=db.example.com options='-c password=Zq9X;Wk7VmR2p'",
        "host=db.example.com options='-c password=Zq9X\u{a0}Wk7VmR2p'",
        "host=db.example.com options='-c password=Zq9X Wk7VmR2p'",
    ] {
        let analysis = analysed(input, None);
        assert_hidden(&analysis, &["Zq9X", "Wk7V"], input);
    }
    assert_eq!(
        redact::Shown::new("options='-c password=Zq9X;Wk7V -c work_mem=64MB'", None).text,
        "options='-c password=******** -c work_mem=64MB'"
    );
}

/// An element a reader made of a password's rest, named by a check: only the finding's place
/// tells, and its detail and fix title mask the piece there.
#[test]
fn a_finding_about_a_password_piece_masks_it() {
    let input = "postgres://app@db.example.com/x?password=Zq9X&Wk7VmR2p&sslmode=require";
    let analysis = analysed(input, Some(Dialect::NodePostgres));
    let ignored = finding(&analysis, "PGP-DRIVER-002");
    assert_eq!(
        ignored.detail,
        "`********` is ignored: node-postgres does not read it"
    );
    assert_eq!(ignored.fix.as_ref().unwrap().title, "Remove ********");
    // node's own rendering leaves the piece out with the password.
    assert_eq!(
        finding(&analysis, "PGP-DRIVER-017")
            .fix
            .as_ref()
            .and_then(|f| f.replacement.as_deref()),
        Some("postgres://app@db.example.com/x?sslmode=verify-full")
    );
    let analysis = analysed(input, Some(Dialect::Asyncpg));
    assert_eq!(
        finding(&analysis, "PGP-DRIVER-003").detail,
        "Python's parse_qs raises \"bad query field: '********'\""
    );
    // Empty ADO.NET elements (`;;`) between a password and its rest, also before a word that
    // a space ends.
    let input = "Host=db.example.com;Username=app;Password=Zq9X;;Wk7VmR2p;SSL Mode=Require";
    for driver in [Dialect::Npgsql, Dialect::Pgx] {
        assert_hidden(&analysed(input, Some(driver)), &["Zq9X", "Wk7V"], input);
    }
    assert_eq!(
        redact::Shown::new("host=db user=app password=Zq9X;;Wk7V dbname=x", None).text,
        "host=db user=app password=******** dbname=x"
    );
}

/// The last line for replacements: one that copies a piece of a secret from the input (a
/// second URL on the next line) is withdrawn to advice; one that writes the same text on its
/// own (`verify-full` for the password `verify-full`) is not, which would tell the password.
#[test]
fn a_replacement_copying_a_piece_of_a_secret_stays_advice() {
    let input = "postgres://app:Zq9X#Wk7VmR2p@db.example.com/x\npostgres://app:Zq9X#Wk7VmR2p@db2.example.com/x";
    assert_hidden(&analysed(input, None), &["Zq9X", "Wk7V"], input);
    for driver in [Dialect::NodePostgres, Dialect::Prisma] {
        let analysis = analysed(input, Some(driver));
        assert_hidden(&analysis, &["Zq9X", "Wk7V"], input);
        assert!(analysis
            .diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| f.withdrawn.is_some())));
    }
    // Nor a number's: a password `Xq:5432` leaves the port a fix writes alone (Supabase's
    // session-mode port, for a string on the transaction-mode port).
    let analysis = analysed(
        "postgresql://postgres.abcdefghijklmnopqrst:Xq:5432@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require",
        None,
    );
    assert!(analysis
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .all(|f| f.withdrawn.is_none()));
    assert!(replacements(&analysis).iter().any(|r| r.contains(":5432/")));
    let analysis = analysed("postgresql://user:verify-full@db.example.com/x", None);
    assert!(analysis
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .all(|f| f.withdrawn.is_none()));
    assert!(replacements(&analysis)
        .iter()
        .any(|r| r.contains("sslmode=verify-full")));
}

/// The generator itself, in small: shapes in every syntax, with a password holding each
/// character readers cut at, read by every driver. No piece of the password is shown, and no
/// replacement holds one. A NUL inside a password is left out: the finders end values there,
/// as libpq's C strings do.
#[test]
fn generated_passwords_with_cutting_characters_are_never_shown() {
    let shapes = [
        "postgres://app:{p}@db.example.com:5432/x?sslmode=require",
        "host=db.example.com user=app password={p} sslmode=require dbname=x",
        "host=db.example.com user=app password='{p}' sslmode=require",
        "Host=db.example.com;Username=app;Password={p};SSL Mode=Require",
        "Host=db.example.com;Username=app;Password='{p}';SSL Mode=Require",
        "jdbc:postgresql://db.example.com/x?user=app&password={p}&ssl=true",
        "postgresql+psycopg2://app:{p}@db.example.com/x",
        "psql \"host=db.example.com user=app password={p} sslmode=require\"",
        "DATABASE_URL=postgres://app:{p}@db.example.com/x",
        "postgres://app:{p}@db.example.com/x\npostgres://app:{p}@db2.example.com/x",
        "postgres://app@db.example.com/x?password={p}&sslmode=require",
        "postgres://app@db.example.com/x?options=-c%20password%3D{p}",
        "host=db.example.com options='-c password={p}'",
        "postgres://<us er>:{p}@db.example.com/x",
        "spring.datasource.password={p}",
        "DB_PASSWORD=\"{p}\"",
        "postgresql+asyncpg://app:{p}@db.example.com/x?ssl=require",
    ];
    let cuts = [
        " ", ";", "@", "/", "?", "#", ":", "&", "=", "'", "\"", "%", "\t", "\n", "\u{a0}", "$",
        "''", ";;",
    ];
    let drivers = [
        None,
        Some(Dialect::Libpq),
        Some(Dialect::Jdbc),
        Some(Dialect::NodePostgres),
        Some(Dialect::Asyncpg),
        Some(Dialect::Sqlalchemy),
        Some(Dialect::Pgx),
        Some(Dialect::Prisma),
        Some(Dialect::Npgsql),
    ];
    let mut shown_pieces = Vec::new();
    for shape in shapes {
        for cut in cuts {
            let input = shape.replace("{p}", &format!("Zq9X{cut}Wk7VmR2p"));
            for driver in drivers {
                let out = shown_with_params(&analysed(&input, driver));
                if ["Zq9X", "Wk7V", "mR2p"].iter().any(|p| out.contains(p)) {
                    shown_pieces.push(format!("{driver:?} {input:?}"));
                }
            }
        }
    }
    assert!(shown_pieces.is_empty(), "{}", shown_pieces.join("\n"));
}

/// From the same generator: a dotted configuration key, a template written in words, an
/// environment line recovered to its value, and a URL password wrapped onto the next line.
#[test]
fn configuration_keys_word_templates_and_wrapped_url_passwords() {
    assert_eq!(
        redact::Shown::new("spring.datasource.password=Zq9X;Wk7VmR2p", None).text,
        "spring.datasource.password=********"
    );
    assert_eq!(
        redact::Shown::new("postgres://<db user>:Zq9X/Wk7VmR2p@db.example.com/x", None).text,
        "postgres://<db user>:********@db.example.com/x"
    );
    assert_eq!(
        redact::Shown::new("postgres://app:Zq9X\nWk7VmR2p@db.example.com/x", None).text,
        "postgres://app:********@db.example.com/x"
    );
    // A URL on the next line is not a password's rest.
    assert_eq!(
        redact::Shown::new("postgres://app:5432\npostgres://u@h/db", None).text,
        "postgres://app:5432\npostgres://u@h/db"
    );
    // A password variable holds a password, not a string: it is not recovered as one (pgx
    // read the recovered `Zq9X=Wk7VmR2p` as a setting of its own, Npgsql as a keyword).
    let input = "DB_PASSWORD=\"Zq9X=Wk7VmR2p\"";
    let analysis = analysed(input, Some(Dialect::Pgx));
    assert!(!codes(&analysis).contains(&"PGP-PASTE-002"));
    let params = analysis.params_shown().unwrap();
    assert_eq!(
        params.get("DB_PASSWORD").map(String::as_str),
        Some("********")
    );
    assert!(!shown_with_params(&analysis).contains("Wk7V"));
    for input in [
        "POSTGRES_PASSWORD=Zq9X-Wk7V",
        "  - POSTGRES_PASSWORD=Zq9X-Wk7V",
        "MYSQL_PWD=Zq9X-Wk7V",
        "PGPASSWORD='Zq9X=Wk7V'",
    ] {
        for driver in [None, Some(Dialect::Pgx), Some(Dialect::Npgsql)] {
            let analysis = analysed(input, driver);
            let shown = shown_with_params(&analysis).to_lowercase();
            assert!(
                !shown.contains("zq9x") && !shown.contains("wk7v"),
                "{input}: {shown}"
            );
        }
    }
}

/// The explanation of `message` (with the string `dsn`, when given) as JSON.
fn explained(message: &str, dsn: Option<&str>) -> String {
    use pg_preflight_core::check::CheckInput;
    use pg_preflight_core::explain::{explain_error, ExplainInput};
    let input = ExplainInput {
        check: dsn.map(|dsn| CheckInput {
            dsn: Some(dsn),
            ..Default::default()
        }),
        key_file: None,
    };
    let report = explain_error(message, &input);
    assert!(!report.explanations.is_empty(), "{message}: not recognised");
    serde_json::to_string(&report).unwrap()
}

/// From the fourth outside review (session 16): libpq's rejections of a string quote a piece of
/// it, which may be the password or part of it; explain-error recognised none of them, and a
/// paste holding one showed the piece. Each is masked, with the string and without it (where
/// nothing tells that the piece is a password's). Real texts: libpq 18.6 for these strings
/// (tests/libpq/explain-corpus.jsonl).
#[test]
fn password_pieces_libpq_quotes_in_its_rejections_are_masked() {
    let cases = [
        (
            // `password=Zq9X Wk7Vm`: the word after the space has no `=`.
            r#"psql: error: missing "=" after "Wk7Vm" in connection info string"#,
            "host=db user=app password=Zq9X Wk7Vm dbname=app",
            "Wk7Vm",
        ),
        (
            r#"psql: error: invalid percent-encoded token: "Zq9X%Wk7V""#,
            "postgresql://app:Zq9X%Wk7V@db/app",
            "Wk7V",
        ),
        (
            r#"psql: error: forbidden value %00 in percent-encoded value: "Zq9X%00Wk7V""#,
            "postgresql://app:Zq9X%00Wk7V@db/app",
            "Wk7V",
        ),
        (
            r#"psql: error: unexpected spaces found in "Zq9X Wk7V", use percent-encoded spaces (%20) instead"#,
            "postgresql://app:Zq9X Wk7V@db/app",
            "Wk7V",
        ),
        (
            // `postgresql://app:Zq9XWk7V`: user:password read as host:port.
            r#"psql: error: invalid integer value "Zq9XWk7V" for connection option "port""#,
            "postgresql://app:Zq9XWk7V",
            "Wk7V",
        ),
        (
            // A `/` in the password: its start is read as the port.
            r#"psql: error: invalid integer value "Zq9X" for connection option "port""#,
            "postgresql://app:Zq9X/Wk7V@db/app",
            "Zq9X",
        ),
    ];
    for (message, dsn, piece) in cases {
        for given in [None, Some(dsn)] {
            let shown = explained(message, given);
            assert!(
                !shown.contains(piece),
                "{message} ({given:?}): `{piece}` in {shown}"
            );
        }
    }
    // A password of digits read as the port (`postgresql://app:918273645`), out of range: the
    // message alone is masked. With the string, its own finding quotes the number as `check`
    // does (a number is taken for a mistyped port, `jdbc_user_information_…` above).
    let shown = explained(r#"psql: error: invalid port number: "918273645""#, None);
    assert!(!shown.contains("918273645"), "{shown}");
    // `password=Zq9X cdxq=Wk7V` stores `Zq9X` and meets the unknown keyword `cdxq`, the
    // password's own text: with the string, known to be in the password, it is masked.
    let shown = explained(
        r#"psql: error: invalid connection option "cdxq""#,
        Some("host=db user=app password=Zq9X cdxq=Wk7V"),
    );
    assert!(
        !shown.contains("cdxq") && !shown.contains("Wk7V"),
        "{shown}"
    );
    // A keyword libpq does not know, a misspelling of one, stays named: the masking is the
    // piece's, not every quote's.
    let shown = explained(r#"psql: error: invalid connection option "sslmdoe""#, None);
    assert!(shown.contains(r#"\"sslmdoe\""#), "{shown}");
}

/// From the same review: a log that echoes the settings it connected with
/// (`error connecting to host=… password=…: FATAL: …`), a password holding `;` made the line
/// read as an ADO.NET string, and the password's text after the `;` was shown.
#[test]
fn a_logged_keyword_value_password_holding_a_semicolon_is_masked_whole() {
    let line = r#"error connecting to host=db user=app password=Zq9X;Wk7V dbname=app: FATAL:  password authentication failed for user "app""#;
    let shown = redact::Shown::new(line, None).text;
    assert!(!shown.contains("Wk7V"), "{shown}");
    assert!(shown.contains("dbname=app"), "{shown}");
    assert!(!explained(line, None).contains("Wk7V"));
    // An Npgsql string keeps its settings after the password: `SSL Mode` is one.
    let ado = "Host=db;Password=Zq9XWk7V;SSL Mode=Require";
    assert_eq!(
        redact::Shown::new(ado, None).text,
        "Host=db;Password=********;SSL Mode=Require"
    );
}

/// From a third generator: readers decode a URL's parts before they split or quote them, so a
/// piece of a password reaches the params, a message or a fix decoded (`%20` as a space, `%2B`
/// as `+`, a query's `+` as a space), and libpq's `.pgpass` lines and no-break spaces.
#[test]
fn decoded_pieces_of_a_password_are_masked() {
    for (input, driver) in [
        ("postgres://app:Zq9X%20Wk7V/x@db/appdb", None),
        ("postgres://app:Zq9X%2BWk7V/x@db/appdb", None),
        ("postgres://app:Zq9X+Wk7V%20Mr2P/x@db/appdb", None),
        ("postgres://app:Zq9X/Wk7V%21@db/appdb", None),
        (
            "postgresql://db/appdb?password=Zq9X&Wk7V%40Mr2P&user=app",
            Some(Dialect::Pgx),
        ),
        (
            "postgresql://db/appdb?password=Zq9X&Wk7V%2BMr2P&user=app",
            Some(Dialect::Prisma),
        ),
        (
            "postgresql://db/appdb?password=Zq9X&Wk7V+Mr2P&user=app",
            Some(Dialect::Asyncpg),
        ),
        ("password=Zq9X\u{a0}Wk7V", Some(Dialect::Pgx)),
        ("password=\u{a0}Zq9X", Some(Dialect::Pgx)),
        ("db:5432:appdb:app:Zq9X-Wk7V$Mr2P", None),
        ("db:5432:appdb:app:Zq9X-Wk7V$Mr2P", Some(Dialect::Pgx)),
        ("*:*:*:app:Zq9X\\:Wk7V", Some(Dialect::Npgsql)),
        // A bracket or quote after a "port" that is no number, and a space with a `/` or `?`
        // in the same password.
        ("postgres://app:Zq9X>Wk7V/@db/appdb", None),
        ("postgres://app:Zq9X>Wk7V?@db/appdb", Some(Dialect::Pgx)),
        ("postgres://app:Zq9X Wk7V?Mr2P@db/appdb", None),
        (
            "postgresql://app:Zq9X/Wk7V Mr2P@db:5432/appdb",
            Some(Dialect::Sqlalchemy),
        ),
    ] {
        let analysis = analysed(input, driver);
        let shown = shown_with_params(&analysis);
        for piece in ["Zq9X", "Wk7V", "Mr2P"] {
            assert!(!shown.contains(piece), "{input} ({driver:?}): {shown}");
        }
        let text = redact::Shown::new(input, None).text;
        assert!(!text.contains("Wk7V") && !text.contains("Zq9X"), "{text}");
    }
    // A URL followed by prose with an `@` keeps its port and path shown.
    let input = "postgresql://db:5432/app see me@example.com";
    assert_eq!(redact::Shown::new(input, None).text, input);
}

/// An API key or token is a credential like a password, whatever key holds it: Prisma's proxy
/// URL (`…/?api_key=…`, which pgx reads as one pair keyed by the URL), a token in a query
/// that drivers forward to the server, an ADO.NET `Access Token`.
#[test]
fn api_keys_and_tokens_are_never_shown() {
    let inputs = [
        "prisma+postgres://accelerate.prisma-data.net/?api_key=eyJhbGciOi.Zq9XWk7VmR2p",
        "prisma://accelerate.prisma-data.net/?api_key=eyJhbGciOi.Zq9XWk7VmR2p",
        "postgresql://app@db.example.com/app?sslmode=verify-full&access_token=Zq9XWk7VmR2p",
        "postgresql://app@db.example.com/app?sslmode=verify-full&apiKey=Zq9XWk7VmR2p",
        "Host=db.example.com;Username=app;Access Token=Zq9XWk7VmR2p;SSL Mode=VerifyFull",
        "host=db.example.com user=app client_secret=Zq9XWk7VmR2p sslmode=verify-full",
        // An outside review's names (second round).
        "export SUPABASE_SERVICE_ROLE_KEY=Zq9XWk7VmR2p",
        "postgresql://app@db.example.com/app?session_token=Zq9XWk7VmR2p&sslmode=require",
        "host=db.example.com aws_secret_access_key=Zq9XWk7VmR2p sslmode=require",
        "Host=db.example.com;Username=app;AccessKey=Zq9XWk7VmR2p;SSL Mode=VerifyFull",
        "postgresql://app@db.example.com/app?pw=Zq9XWk7VmR2p&sslmode=require",
        // Values a driver's own fix wrote again from their decoded form (re-encoded, they
        // matched no mask).
        "postgresql://app@db.example.com/app?sslpassword=Zq9X%zzWk7VmR2p&sslmode=require",
        "jdbc:postgresql://db.example.com/app?api_key=Zq9X%C3Wk7VmR2p&sslmode=no-verify",
    ];
    assert_hidden_in_every_reading(&inputs, &["Zq9X", "Wk7V", "mR2p"]);
}

/// An outside review: a query password cut by an unencoded `&` before a `key=value` no driver
/// knows (`password=Zq9X&k=Wk7V`) showed `k=Wk7V` in every finding and fix, and pgx's
/// statement-timeout fix carried it into `options`. A setting some driver knows stays shown.
#[test]
fn a_query_password_cut_before_an_unknown_key_is_hidden_whole() {
    let drivers = [
        None,
        Some(Dialect::NodePostgres),
        Some(Dialect::Pgx),
        Some(Dialect::Prisma),
        Some(Dialect::Asyncpg),
    ];
    for driver in drivers {
        for input in [
            "postgresql://app@db.example.com/appdb?password=Zq9X&k=Wk7V&sslmode=require",
            "postgresql://app@db.example.com/appdb?password=Zq9X&=Wk7V&sslmode=require",
        ] {
            assert_hidden(&analysed(input, driver), &["Zq9X", "Wk7V"], input);
        }
        let jdbc = "jdbc:postgresql://db.example.com:5432/appdb?user=app&password=Zq9X&k=Wk7V&sslmode=require";
        assert_hidden(
            &analysed(jdbc, Some(Dialect::Jdbc)),
            &["Zq9X", "Wk7V"],
            jdbc,
        );
        let known =
            "postgresql://app@db.example.com/appdb?password=Zq9X&pgbouncer=true&sslmode=require";
        let analysis = analysed(known, driver);
        assert_hidden(&analysis, &["Zq9X"], known);
        assert!(
            shown(&analysis).contains("pgbouncer"),
            "{known}: a known key was masked"
        );
    }
}

/// An outside review: `scheme://user:password` with no `@host`, the password holding a `#`
/// (or a `?` before a word), showed the part after it: libpq reads a `#` into the port.
#[test]
fn a_password_read_as_the_port_keeps_its_hash_part_hidden() {
    let inputs = [
        "postgresql://app:Zq9X#Wk7V",
        "postgresql://app:Zq9X?Wk7V",
        "postgresql://app:Zq9X#Wk7V/appdb?sslmode=require",
    ];
    assert_hidden_in_every_reading(&inputs, &["Zq9X", "Wk7V"]);
}

/// An outside review: a driver that misreads a pasted URL (asyncpg taking `7319` for the port
/// and `5487@db/x` for a query field) quoted those pieces, digits and all, and its fix was
/// the misread string (`postgresql://app:7319`). The rejection keeps its words, masked, and
/// no fix: the paste's fix is the way out.
#[test]
fn a_misreading_drivers_rejection_shows_no_piece_of_the_password() {
    let inputs = [
        "postgresql://app:7319?5487@db.example.com/x",
        "postgresql://app:7319#5487@db.example.com/x",
        "postgresql://app:7319/5487@db.example.com/x",
    ];
    assert_hidden_in_every_reading(&inputs, &["7319", "5487"]);
}

/// A secrets hunter (session 17): a password holding `/` and then `?known_key=value`
/// (`app:Zq9X/Wk7V?sslmode=require@db`) was no password to the finders, which took the `/`
/// for the start of a path; a port that is no number starts none.
#[test]
fn a_slash_then_a_query_inside_a_password_is_the_password() {
    let inputs = [
        "postgresql://app:Zq9X/Wk7V?sslmode=require@db.example.com/x",
        "postgresql://app:Zq9X/Wk7V?application_name=x@db.example.com:5433/x",
    ];
    assert_hidden_in_every_reading(&inputs, &["Zq9X", "Wk7V"]);
    // A path after a real port stays a path: the host and query are shown.
    let input = "postgresql://db.example.com:5432/x?application_name=me@corp";
    let shown = redact::Shown::new(input, None).text;
    assert_eq!(shown, input);
}

/// A secrets hunter: a user name with a space (`my user:…@db`) ended the URL for the finders
/// at the space, and the text output's source line showed the password. Prose with a `: `
/// is not read as one.
#[test]
fn a_user_name_with_a_space_keeps_the_password_hidden() {
    let input = "postgresql://my user:Zq9X Wk7V@db.example.com/x";
    assert_eq!(
        redact::Shown::new(input, None).text,
        "postgresql://my user:********@db.example.com/x"
    );
    assert_hidden_in_every_reading(&[input], &["Zq9X", "Wk7V"]);
    let prose = "postgresql://host is down: see me@example.com";
    assert_eq!(redact::Shown::new(prose, None).text, prose);
}

/// A secrets hunter: pieces of a password made of digits only are masked by no text rule,
/// only by place. After a query password's unencoded `&` (`k=5487`), Prisma's "Remove
/// password" left `k=5487` in its fix, asyncpg's libpq equivalent carried `-c k=5487`, and the
/// drivers quoted the key; a host list read across a password's `@` (`5487@h1,h2`) showed it
/// in `params`.
#[test]
fn digit_pieces_of_a_password_are_masked_by_place() {
    let inputs = [
        "postgresql://app@db.example.com/x?password=Zq9X&k=5487&sslmode=require",
        "postgresql://app:7319@5487@h1:5433,h2/x",
    ];
    assert_hidden_in_every_reading(&inputs, &["5487", "7319", "Zq9X"]);
    let prisma = analysed(inputs[0], Some(Dialect::Prisma));
    let removal = prisma
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .find(|fix| fix.title == "Remove password")
        .and_then(|fix| fix.replacement.as_deref());
    assert_eq!(
        removal,
        Some("postgresql://app@db.example.com/x?sslmode=require")
    );
    let sqlalchemy = analysed(inputs[0], Some(Dialect::Sqlalchemy));
    assert_eq!(
        finding(&sqlalchemy, "PGP-DRIVER-003").detail,
        "psycopg2 passes `********` to libpq, which refuses to connect: \"invalid connection option \\\"********\\\"\""
    );
}

/// A secrets hunter: a query key written percent-encoded (`pass%77ord`, `api%5Fkey`) is the
/// key every URL reader decodes it to, and its value a secret.
#[test]
fn percent_encoded_secret_keys_hold_secrets() {
    let input = "postgresql://app@db.example.com/x?pass%77ord=Zq9XWk7V&api%5Fkey=Mr2PLt6N";
    assert_eq!(
        redact::Shown::new(input, None).text,
        "postgresql://app@db.example.com/x?pass%77ord=********&api%5Fkey=********"
    );
    assert_hidden_in_every_reading(&[input], &["Zq9X", "Mr2P"]);
}

/// A secrets hunter: spaces around an ADO.NET `;` inside an unquoted password (`Password =
/// Zq9X ; Wk7V;…`) left the part after it shown, in every reading, and lower-cased in
/// Npgsql's `Couldn't set wk7v;ssl mode`.
#[test]
fn spaces_around_a_semicolon_in_an_ado_password_keep_its_rest_hidden() {
    let input = "Host=db.example.com;Username=app;Password = Zq9X ; Wk7V;SSL Mode=Require";
    assert_hidden_in_every_reading(&[input], &["Zq9X", "Wk7V", "wk7v"]);
}

/// Found by a generator of pasted passwords with cutting characters (session 18): pieces of a
/// password that a reader takes for something else (a fragment, a host, the port of its
/// authority, another query element) were copied into fixes and the libpq equivalent, where
/// no text rule masks a piece of digits.
#[test]
fn pieces_a_reader_takes_for_other_parts_stay_hidden() {
    let inputs = [
        // The rest after a query password's `#` is the fragment to URL readers.
        "postgresql://app@db.example.com/x?password=61136#373128&sslmode=require",
        // An `@` before a space, and another after it: a host holds no space.
        "postgres://app:36915@18569 xMdn@h1:5433,h2/x",
        // A bare element and a key after a query password's `&`.
        "postgresql://app@db.example.com/x?password=64106&DsmuA&k=26595&sslmode=require",
        // libpq's keyword/value settings with a `;` inside the password.
        "host=db.example.com user=app password=9zNUf8;k=8Ax4d sslmode=require",
    ];
    assert_hidden_in_every_reading(
        &inputs,
        &["373128", "18569", "xMdn", "DsmuA", "26595", "8Ax4d"],
    );
    // A fix that would copy the password's rest as a fragment is advice, not a string with a
    // mask where the user's text was.
    let analysis = analysed(inputs[0], Some(Dialect::NodePostgres));
    assert!(analysis
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .any(|fix| fix.withdrawn.as_deref()
            == Some("the replacement would show a piece of a secret")));
    // Removing an element that is a piece of the password removes the password with it.
    let analysis = analysed(inputs[2], Some(Dialect::Sqlalchemy));
    let fix = finding(&analysis, "PGP-DRIVER-003").fix.as_ref().unwrap();
    assert_eq!(fix.title, "Remove ********");
    assert_eq!(
        fix.replacement.as_deref(),
        Some("postgresql://app@db.example.com/x?sslmode=require")
    );
    assert_eq!(
        redact::Shown::new(inputs[3], None).text,
        "host=db.example.com user=app password=******** sslmode=require"
    );
}

/// A second secrets hunter (session 18), on the session's own changes: credential keys named
/// by one word or ending in `password`, passwords holding `$` or `]` before `/?`, a password
/// starting with `?`, a query password's rest as a bare element beside another fix, and an
/// ADO.NET password's element with no `=` after a `;`.
#[test]
fn second_hunters_leaks_stay_hidden() {
    let keys = [
        "postgresql://app@h1/db?token=Zq9Xw7&secret=Zq9Xw7&bearer=Zq9Xw7",
        "postgresql://app@h1/db?auth=Zq9Xw7&credential=Zq9Xw7&authorization=Zq9Xw7",
        "postgresql://app@h1/db?sslkeypassword=Zq9Xw7&keyPassword=Zq9Xw7",
        "Host=h1;Username=app;Token=Zq9Xw7;Database=db",
    ];
    assert_hidden_in_every_reading(&keys, &["Zq9X"]);
    // `require_auth` names a setting, not a credential.
    let setting = "postgresql://app@h1/db?require_auth=scram-sha-256";
    assert_eq!(redact::Shown::new(setting, None).text, setting);
    let passwords = [
        "postgresql://app:Ab12$Cd34/?sslmode=Zz99@h1",
        "postgresql://app:Ab12]Cd34/?host=Zz99@h1",
        "postgresql://app:?Ab12=Cd34@h1/db",
        "postgresql+asyncpg://app@h1/appdb?sslmode=require&password=Ab12&9258",
        "Host=h1;Username=app;Password=Ab12;Cd34 Ef56;Database=appdb",
        // asyncpg's `server_settings.` prefix kept a letters-only key piece from its place.
        "postgresql://app@db.example.com/x?password=Ab12&MXgJ=cgCc&sslmode=require",
    ];
    assert_hidden_in_every_reading(
        &passwords,
        &["Ab12", "Cd34", "Ef56", "ef56", "9258", "MXgJ"],
    );
    // A whole placeholder is still a port, and an IPv6 literal's brackets still end a host.
    for shown in [
        "postgresql://db:${PGPORT}/x?application_name=me@corp",
        "postgresql://[::1]:5432/x?application_name=me@corp",
    ] {
        assert_eq!(redact::Shown::new(shown, None).text, shown);
    }
}

/// A second secrets hunter: a password escape that is no UTF-8 (`%E9`, Latin-1's `é`) read
/// as the port of a URL whose `/` ends the authority: libpq quotes the decoded bytes, which
/// show as U+FFFD and matched no mask.
#[test]
fn a_password_escape_that_is_no_utf8_stays_hidden() {
    let input = "postgresql://app:S3cr%E9Xy7q/pa55@h1/db";
    assert_hidden_in_every_reading(&[input], &["S3cr", "Xy7q", "pa55"]);
}
