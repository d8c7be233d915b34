//! Strings that are no PostgreSQL connection string at all, told by their URL scheme: another
//! database's URL or a web address pasted by mistake, and Prisma's proxy URLs (`prisma://`,
//! `prisma+postgres://`), which only Prisma Client reads. Every reader rejects them with its
//! own message (libpq: `missing "=" after …`); this says what the text is instead.

use crate::diagnostic::{Diagnostic, Fix, Span};
use crate::registry::Rule;

pub static RULES: &[&Rule] = &[&RULE_OTHER_KIND_OF_URL, &RULE_PRISMA_PROXY_URL];

rule!(
    RULE_OTHER_KIND_OF_URL,
    "PGP-PASTE-013",
    Error,
    "Not a PostgreSQL connection string",
    "The text is a URL of another kind: its scheme names another database (MySQL, MariaDB, \
MongoDB, Redis, SQL Server, SQLite) or a web address. PostgreSQL clients read only \
`postgresql://` or `postgres://` URLs (or keyword/value pairs, or their driver's own form: a \
`jdbc:postgresql:` URL, ADO.NET pairs), so nothing here can connect to PostgreSQL. Paste the \
PostgreSQL connection string from the provider's console instead.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING-URIS"]
);

rule!(
    RULE_PRISMA_PROXY_URL,
    "PGP-PROV-014",
    Error,
    "Prisma proxy URL, not a database connection string",
    "A `prisma://` or `prisma+postgres://` URL with an `api_key` reaches Prisma's HTTP proxy \
(Prisma Accelerate, or the local server of `prisma dev`), not PostgreSQL: only Prisma Client \
reads it, and every other tool (psql, a BI tool, an AI SQL assistant, another driver) needs the \
database's own connection string. Prisma retired the hosted Accelerate connection \
(`accelerate.prisma-data.net`) on December 1, 2026; Prisma Postgres databases now take \
`postgres://USER:PASSWORD@pooled.db.prisma.io:5432/?sslmode=require` for application traffic \
and `db.prisma.io` for direct connections, both generated in the Prisma Console. The `api_key` \
is a credential: treat it as a password.",
    [
        "https://www.prisma.io/docs/postgres/database/switch-from-accelerate",
        "https://www.prisma.io/docs/postgres/database/connecting-to-your-database",
        "https://www.prisma.io/docs/local-development/postgres"
    ]
);

/// Schemes of other databases' URLs and of web addresses, with what they are. Sources: each
/// product's URL documentation (MySQL Connector/J and Prisma `mysql://`, MariaDB Connector/J
/// `jdbc:mariadb://` and `mariadb://` of SQLAlchemy and Prisma, MongoDB's connection string
/// (`mongodb://`, `mongodb+srv://`), Redis's URI scheme registration (`redis://`,
/// `rediss://`), Prisma's `sqlserver://`, SQLAlchemy's `mssql+…://` and `sqlite:///`).
const OTHER_KINDS: &[(&str, &str)] = &[
    ("mysql", "a MySQL URL"),
    ("mariadb", "a MariaDB URL"),
    ("mongodb", "a MongoDB URL"),
    ("mongodb+srv", "a MongoDB URL"),
    ("redis", "a Redis URL"),
    ("rediss", "a Redis URL"),
    ("sqlserver", "a SQL Server URL"),
    ("mssql", "a SQL Server URL"),
    ("sqlite", "a SQLite URL"),
    ("http", "a web address"),
    ("https", "a web address"),
];

/// Where Prisma hosted Accelerate (Prisma, "Connect to Prisma Postgres without Accelerate":
/// `prisma+postgres://accelerate.prisma-data.net/?api_key=…`).
const ACCELERATE_HOST: &str = "accelerate.prisma-data.net";

/// The finding for a text that is no PostgreSQL connection string by its scheme, if it is
/// one. Its span is the scheme alone: nothing after it (an `api_key`, a password) is quoted.
pub fn finding(input: &str) -> Option<Diagnostic> {
    let start = input.len() - input.trim_start().len();
    let rest = input.get(start..)?;
    let scheme_len = rest.find("://")?;
    let scheme = rest.get(..scheme_len)?.to_ascii_lowercase();
    let after = rest.get(scheme_len + 3..)?;
    let span = Span::new(start, start + scheme_len);
    if let Some(scheme) = scheme.strip_prefix("jdbc:") {
        return other_kind(scheme, span);
    }
    match scheme.as_str() {
        "prisma" | "prisma+postgres" => Some(prisma_proxy(&scheme, host_of(after), span)),
        _ => other_kind(&scheme, span),
    }
}

/// A scheme's kind: `mysql+pymysql` (SQLAlchemy's dialect+driver) is MySQL's.
fn other_kind(scheme: &str, span: Span) -> Option<Diagnostic> {
    let base = match scheme.split_once('+') {
        Some((base, _)) if base != "mongodb" => base,
        _ => scheme,
    };
    let (_, what) = OTHER_KINDS.iter().find(|(name, _)| *name == base)?;
    let detail = format!(
        "`{scheme}://` makes this {what}, not a PostgreSQL connection string: PostgreSQL clients read `postgresql://` or `postgres://` URLs (or keyword/value pairs, or their driver's own form)."
    );
    Some(
        Diagnostic::new(&RULE_OTHER_KIND_OF_URL, detail)
            .at(span)
            .with_fix(Fix::advice(
                "Paste the PostgreSQL connection string instead (it starts with `postgresql://` or `postgres://`)",
            )),
    )
}

/// The host of a URL's authority (after `://`), lower-cased, without user information or port.
fn host_of(after_scheme: &str) -> String {
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    host.to_ascii_lowercase()
}

fn prisma_proxy(scheme: &str, host: String, span: Span) -> Diagnostic {
    let (detail, fix) = if host == ACCELERATE_HOST {
        (
            format!(
                "`{scheme}://{ACCELERATE_HOST}` is Prisma Accelerate's hosted proxy, which Prisma retired on December 1, 2026; only Prisma Client ever read this URL, and no other tool can connect with it."
            ),
            "Generate the Prisma Postgres connection strings in the Prisma Console (Connect to your database): `postgres://USER:PASSWORD@pooled.db.prisma.io:5432/?sslmode=require` for applications, `db.prisma.io` for migrations and admin tools",
        )
    } else if matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1") {
        (
            format!(
                "`{scheme}://{host}` is the HTTP URL of a local `prisma dev` server, which only Prisma Client reads; other tools connect to its database port with the TCP URL."
            ),
            "Use the TCP URL that `prisma dev` prints (press `t`): `postgres://…@localhost:51214/…` by default",
        )
    } else {
        (
            format!(
                "`{scheme}://` is a Prisma proxy URL (Prisma Accelerate or Data Proxy), which only Prisma Client reads; no other tool can connect with it."
            ),
            "Use the database's own `postgresql://` connection string, which the proxy was set up with",
        )
    };
    Diagnostic::new(&RULE_PRISMA_PROXY_URL, detail)
        .at(span)
        .with_fix(Fix::advice(fix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> Option<&'static str> {
        finding(input).map(|d| d.code)
    }

    #[test]
    fn other_databases_and_web_addresses_are_named() {
        for (input, what) in [
            ("mysql://app:pw@db/app", "MySQL"),
            ("  MySQL+pymysql://app@db/app", "MySQL"),
            ("jdbc:mysql://db:3306/app", "MySQL"),
            ("mongodb+srv://u:p@cluster0.example.net/app", "MongoDB"),
            ("rediss://default:pw@cache:6380", "Redis"),
            ("sqlserver://db:1433;database=app", "SQL Server"),
            ("https://console.neon.tech/app/projects", "web address"),
        ] {
            let found = finding(input).unwrap_or_else(|| panic!("{input}"));
            assert_eq!(found.code, "PGP-PASTE-013", "{input}");
            assert!(found.detail.contains(what), "{input}: {}", found.detail);
            assert!(!found.detail.contains("pw"), "{}", found.detail);
        }
        for input in [
            "postgresql://db/app",
            "postgres://db/app",
            "postgresql+psycopg://db/app",
            "host=db",
            "jdbc:postgresql://db/app",
            "Host=db;Database=app",
            "cockroachdb://db/app",
        ] {
            assert_eq!(code(input), None, "{input}");
        }
    }

    /// Whatever a reader makes of another kind of URL, only its rejection stays beside the
    /// finding, without a fix that would edit it (libpq's "remove the parameter").
    #[test]
    fn another_kind_of_url_replaces_the_review() {
        use crate::conninfo::dialect::Dialect;
        use crate::conninfo::{analyze, CheckOptions};
        for driver in [None, Some(Dialect::NodePostgres), Some(Dialect::Pgx)] {
            let input = "prisma+postgres://accelerate.prisma-data.net/?api_key=__API_KEY__";
            let analysis = analyze(input, driver, &CheckOptions::default());
            assert!(
                analysis.diagnostics.iter().any(|d| d.code == "PGP-PROV-014"),
                "{driver:?}"
            );
            for other in analysis.diagnostics.iter().filter(|d| d.code != "PGP-PROV-014") {
                assert!(other.fix.is_none(), "{driver:?}: {} keeps a fix", other.code);
                assert!(other.is_error(), "{driver:?}: {} is a review finding", other.code);
            }
        }
    }

    #[test]
    fn prisma_proxy_urls_are_told_apart() {
        let hosted = finding("prisma+postgres://accelerate.prisma-data.net/?api_key=eyJh.Zq9XWk7V")
            .unwrap();
        assert_eq!(hosted.code, "PGP-PROV-014");
        assert!(hosted.detail.contains("retired"), "{}", hosted.detail);
        assert_eq!(hosted.span, Some(Span::new(0, 15)));
        let local = finding("prisma+postgres://localhost:51213/?api_key=eyJh.Zq9XWk7V").unwrap();
        assert!(local.detail.contains("prisma dev"), "{}", local.detail);
        let data_proxy = finding("prisma://aws-us-east-1.prisma-data.com/?api_key=Zq9XWk7V").unwrap();
        assert!(data_proxy.detail.contains("Data Proxy"), "{}", data_proxy.detail);
        for found in [hosted, local, data_proxy] {
            let shown = format!("{} {}", found.detail, found.fix.map(|f| f.title).unwrap_or_default());
            assert!(!shown.contains("Zq9X"), "{shown}");
        }
    }
}
