//! Secure connection snippets for the common clients, generated from a checked connection
//! string: psql, psycopg 3, asyncpg, node-postgres, pgjdbc, Go pgx, Prisma and SQLAlchemy.
//!
//! Every snippet is the *verified* version of the configuration, whatever the checked string
//! asked for: TLS required, the server certificate checked against the CA and the host name
//! checked against the certificate, each in that client's own way (libpq `verify-full`, an
//! `ssl.SSLContext`, Node's `rejectUnauthorized`, Prisma's `sslaccept=strict`, …).
//!
//! **Invariant:** no snippet contains a password. Passwords come from the `PGPASSWORD`
//! environment variable in each language's idiom, even when the analysed string had one.
//! Values taken from the string are written as literals of the target language (JSON string
//! literals for Python, JavaScript, Java and Go; single quotes for the shell; libpq quoting for
//! keyword/value strings; percent-encoding in URLs), so no value can end its literal early.

use crate::conninfo::dialect::{Dialect, Tri};
use crate::conninfo::options::HostKind;
use crate::conninfo::{redact, syntax, Analysis};
use crate::shell::{shell_quote, shell_word};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the snippets are generated from.
#[derive(Debug, Clone, Copy)]
pub struct SnippetInput<'a> {
    /// From `conninfo::analyze`.
    pub analysis: &'a Analysis,
    /// The CA certificate's file name as the user gave it; `None` uses the string's
    /// `sslrootcert`, or a placeholder.
    pub ca_path: Option<&'a str>,
    /// The client certificate's file name; `None` uses `sslcert`, or a placeholder.
    pub client_cert_path: Option<&'a str>,
    /// The client key's file name; `None` uses `sslkey`, or a placeholder.
    pub client_key_path: Option<&'a str>,
    /// A client certificate is part of the configuration.
    pub client_certificate: bool,
}

/// One client's snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snippet {
    /// `psql`, `psycopg`, `asyncpg`, `node-postgres`, `jdbc`, `pgx`, `prisma`, `sqlalchemy`.
    pub client: &'static str,
    /// For people: "Python psycopg 3", …
    pub label: &'static str,
    /// `shell`, `python`, `javascript`, `java`, `go`, `dotenv`.
    pub language: &'static str,
    pub code: String,
    /// What to know before using it (placeholders, conversions, unsupported features).
    pub notes: Vec<String>,
}

/// The placeholders used when a file name is not known.
pub const CA_PLACEHOLDER: &str = "/path/to/root.crt";
pub const CERT_PLACEHOLDER: &str = "/path/to/client.crt";
pub const KEY_PLACEHOLDER: &str = "/path/to/client.key";

/// The snippets for every client, in a fixed order; empty when the analysis is invalid, has no
/// TCP host, or a port that is not a port number.
pub fn snippets(input: &SnippetInput<'_>) -> Vec<Snippet> {
    let Some(facts) = Facts::from_input(input) else {
        return Vec::new();
    };
    let mut all = vec![
        psql(&facts),
        psycopg(&facts),
        asyncpg(&facts),
        node_postgres(&facts),
        jdbc(&facts),
        pgx(&facts),
        prisma(&facts),
        sqlalchemy(&facts),
    ];
    scrub_secrets(input.analysis, &mut all);
    all
}

/// The last line of defence, as `conninfo::analyze` has for its own texts: an echo of a
/// secret of the input (a password copied into a host name by a confused parse) is masked, and
/// the snippet says so. Text that merely equals a password is not searched for: masking it
/// would tell the password.
fn scrub_secrets(analysis: &Analysis, snippets: &mut [Snippet]) {
    let sites = &analysis.secret_sites;
    if sites.is_empty() {
        return;
    }
    for snippet in snippets {
        let mut masked = false;
        let code = redact::mask_echoed_sites(sites, &snippet.code);
        if code != snippet.code {
            snippet.code = code;
            masked = true;
        }
        for note in &mut snippet.notes {
            let masked_note = redact::mask_echoed_sites(sites, note);
            if masked_note != *note {
                *note = masked_note;
                masked = true;
            }
        }
        if masked {
            snippet.notes.insert(
                0,
                format!(
                    "Text copied from a password in the string was masked as `{}`: put it back by hand",
                    redact::REDACTED
                ),
            );
        }
    }
}

/// Where the server's CA comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ca {
    File(String),
    /// libpq's `sslrootcert=system`: the operating system's trust store.
    System,
}

#[derive(Debug, Clone)]
struct Target {
    host: String,
    port: u16,
}

#[derive(Debug, Clone)]
struct ClientFiles {
    cert: String,
    key: String,
}

/// The connection facts every snippet is made from.
#[derive(Debug, Clone)]
struct Facts {
    targets: Vec<Target>,
    user: Option<String>,
    /// `dbname`, or libpq's default (the user name).
    dbname: Option<String>,
    ca: Ca,
    client: Option<ClientFiles>,
    /// Notes every snippet carries.
    common: Vec<String>,
    /// The SQLAlchemy driver named in a SQLAlchemy URL (`postgresql+asyncpg`).
    sqlalchemy_driver: Option<String>,
}

impl Facts {
    fn from_input(input: &SnippetInput<'_>) -> Option<Facts> {
        let analysis = input.analysis;
        if !analysis.valid {
            return None;
        }
        let params = libpq_params(analysis);
        let mut common = Vec::new();
        let mut targets = Vec::new();
        let mut skipped_sockets = false;
        let mut dropped_hostaddr = false;
        for target in &analysis.hosts {
            let host = match target.kind {
                HostKind::Name | HostKind::Address => target
                    .host
                    .as_deref()
                    .filter(|h| !h.is_empty())
                    .or(target.hostaddr.as_deref())
                    .filter(|h| !h.is_empty()),
                HostKind::UnixSocket | HostKind::Default => {
                    skipped_sockets = true;
                    None
                }
            };
            let Some(host) = host else { continue };
            dropped_hostaddr |= target.host.as_deref().is_some_and(|h| !h.is_empty())
                && target.hostaddr.as_deref().is_some_and(|a| !a.is_empty());
            let port = match target.port.as_deref().map(str::trim) {
                None | Some("") => 5432,
                Some(p) => p.parse::<u16>().ok().filter(|p| *p != 0)?,
            };
            targets.push(Target {
                host: host.to_string(),
                port,
            });
        }
        if targets.is_empty() {
            return None;
        }
        if skipped_sockets {
            common.push(
                "Unix-socket hosts were left out: TLS applies to TCP connections only".to_string(),
            );
        }
        if dropped_hostaddr {
            common.push(
                "`hostaddr` was left out: the snippets connect to the host name, which is also the name the certificate is checked against".to_string(),
            );
        }
        let get = |k: &str| {
            params
                .get(k)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let user = get("user");
        let dbname = get("dbname").or_else(|| user.clone());
        if user.is_none() {
            common.push(
                "The string names no user: the client's default applies (usually the operating-system user name)".to_string(),
            );
        }
        let given = |p: Option<&str>| {
            p.map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
        };
        let ca = match given(input.ca_path).or_else(|| get("sslrootcert")) {
            Some(path) if path == "system" => Ca::System,
            Some(path) => Ca::File(path),
            None => {
                common.push(format!(
                    "Replace `{CA_PLACEHOLDER}` with the CA certificate that issued the server's certificate"
                ));
                Ca::File(CA_PLACEHOLDER.to_string())
            }
        };
        let client = input.client_certificate.then(|| {
            let cert = given(input.client_cert_path)
                .or_else(|| get("sslcert"))
                .unwrap_or_else(|| {
                    common.push(format!(
                        "Replace `{CERT_PLACEHOLDER}` with the client certificate"
                    ));
                    CERT_PLACEHOLDER.to_string()
                });
            let key = given(input.client_key_path)
                .or_else(|| get("sslkey"))
                .unwrap_or_else(|| {
                    common.push(format!("Replace `{KEY_PLACEHOLDER}` with the client key"));
                    KEY_PLACEHOLDER.to_string()
                });
            ClientFiles { cert, key }
        });
        let weaker = analysis
            .verdict
            .as_ref()
            .is_none_or(|v| v.hostname_verified != Tri::Yes || v.server_verified != Tri::Yes);
        if weaker {
            common.push(
                "Unlike the checked string, this connects only after verifying the server certificate and host name".to_string(),
            );
        }
        let sqlalchemy_driver = (analysis.dialect == Dialect::Sqlalchemy)
            .then(|| {
                analysis
                    .params
                    .as_ref()
                    .and_then(|p| p.get("drivername").cloned())
            })
            .flatten();
        Some(Facts {
            targets,
            user,
            dbname,
            ca,
            client,
            common,
            sqlalchemy_driver,
        })
    }

    fn first(&self) -> Option<&Target> {
        self.targets.first()
    }

    fn many(&self) -> bool {
        self.targets.len() > 1
    }

    /// `host=a,b` / `port=5432,5433` values.
    fn host_list(&self) -> String {
        self.targets
            .iter()
            .map(|t| t.host.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    fn port_list(&self) -> String {
        self.targets
            .iter()
            .map(|t| t.port.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The notes for a client without host lists.
    fn single_host_note(&self, client: &str) -> Option<String> {
        let first = self.first()?;
        self.many().then(|| {
            format!(
                "{client} connects to one host: this uses the first, `{}:{}`; the others of the list were left out",
                first.host, first.port
            )
        })
    }

    /// libpq keyword/value pairs for the verified connection (psql, pgx).
    fn libpq_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("host".to_string(), self.host_list()),
            ("port".to_string(), self.port_list()),
        ];
        if let Some(db) = &self.dbname {
            pairs.push(("dbname".into(), db.clone()));
        }
        if let Some(user) = &self.user {
            pairs.push(("user".into(), user.clone()));
        }
        pairs.push(("sslmode".into(), "verify-full".into()));
        pairs.push(("sslrootcert".into(), self.ca_libpq()));
        if let Some(client) = &self.client {
            pairs.push(("sslcert".into(), client.cert.clone()));
            pairs.push(("sslkey".into(), client.key.clone()));
        }
        pairs
    }

    fn ca_libpq(&self) -> String {
        match &self.ca {
            Ca::File(path) => path.clone(),
            Ca::System => "system".to_string(),
        }
    }

    fn notes(&self, own: impl IntoIterator<Item = Option<String>>) -> Vec<String> {
        let mut notes: Vec<String> = own.into_iter().flatten().collect();
        notes.extend(self.common.iter().cloned());
        notes
    }

    /// A note when the key is in a form libpq-based and OpenSSL-based clients cannot read.
    fn pem_key_note(&self) -> Option<String> {
        let key = &self.client.as_ref()?.key;
        let lower = key.to_ascii_lowercase();
        (lower.ends_with(".pk8") || lower.ends_with(".der") || lower.ends_with(".p12") || lower.ends_with(".pfx"))
            .then(|| format!("`{key}` looks like a DER or PKCS-12 key; this client reads PEM keys (`pg-preflight convert-key --to pkcs8`)"))
    }
}

/// The libpq parameters behind the analysis: the parsed string itself for libpq, else the
/// libpq equivalent (which never holds a secret).
fn libpq_params(analysis: &Analysis) -> BTreeMap<String, String> {
    if analysis.dialect == Dialect::Libpq {
        return analysis.params.clone().unwrap_or_default();
    }
    analysis
        .libpq_equivalent
        .as_deref()
        .and_then(|e| syntax::parse(e).ok())
        .map(|c| {
            crate::sort::string_map(
                c.params
                    .iter()
                    .map(|p| (p.keyword.to_string(), p.value.clone())),
            )
        })
        .unwrap_or_default()
}

/// A string literal valid in Python, JavaScript, Java and Go: JSON's escaping (`\"`, `\\`,
/// `\n`, `\uXXXX` for other control characters) means the same in all four.
fn lit(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| String::from("\"\""))
}


/// A host in a URL authority: IPv6 literals in brackets, anything else percent-encoded.
fn url_host(host: &str) -> String {
    if host.parse::<std::net::Ipv6Addr>().is_ok() {
        format!("[{host}]")
    } else {
        redact::percent_encode(host)
    }
}

fn psql(facts: &Facts) -> Snippet {
    let conninfo = redact::render_keyword_value(&facts.libpq_pairs());
    let code = format!(
        "# psql reads the password from PGPASSWORD (or ~/.pgpass); read -rs keeps it out of the shell history.\n\
         read -rs PGPASSWORD && export PGPASSWORD\n\
         psql {}\n",
        shell_quote(&conninfo)
    );
    Snippet {
        client: "psql",
        label: "psql",
        language: "shell",
        code,
        notes: facts.notes([
            (facts.ca == Ca::System)
                .then(|| "`sslrootcert=system` needs libpq 16 or later".to_string()),
            facts.pem_key_note(),
        ]),
    }
}

fn psycopg(facts: &Facts) -> Snippet {
    let mut args: Vec<(&str, String)> = Vec::new();
    if facts.many() {
        args.push(("host", lit(&facts.host_list())));
        args.push(("port", lit(&facts.port_list())));
    } else if let Some(t) = facts.first() {
        args.push(("host", lit(&t.host)));
        args.push(("port", t.port.to_string()));
    }
    if let Some(db) = &facts.dbname {
        args.push(("dbname", lit(db)));
    }
    if let Some(user) = &facts.user {
        args.push(("user", lit(user)));
    }
    args.push(("password", "os.environ[\"PGPASSWORD\"]".into()));
    args.push(("sslmode", lit("verify-full")));
    args.push(("sslrootcert", lit(&facts.ca_libpq())));
    if let Some(client) = &facts.client {
        args.push(("sslcert", lit(&client.cert)));
        args.push(("sslkey", lit(&client.key)));
    }
    let mut code = String::from("import os\n\nimport psycopg\n\nconn = psycopg.connect(\n");
    for (name, value) in &args {
        code.push_str(&format!("    {name}={value},\n"));
    }
    code.push_str(")\n");
    Snippet {
        client: "psycopg",
        label: "Python psycopg 3",
        language: "python",
        code,
        notes: facts.notes([
            Some("psycopg 2 takes the same keyword arguments: `psycopg2.connect(...)`".to_string()),
            (facts.ca == Ca::System)
                .then(|| "`sslrootcert=system` needs libpq 16 or later under psycopg".to_string()),
            facts.pem_key_note(),
        ]),
    }
}

fn asyncpg(facts: &Facts) -> Snippet {
    let mut code = String::from("import asyncio\nimport os\nimport ssl\n\nimport asyncpg\n\n");
    code.push_str(
        "# A default context requires a certificate that chains to the CA and checks the host name.\n",
    );
    match &facts.ca {
        Ca::File(path) => code.push_str(&format!(
            "ssl_context = ssl.create_default_context(cafile={})\n",
            lit(path)
        )),
        Ca::System => code.push_str("ssl_context = ssl.create_default_context()\n"),
    }
    if let Some(client) = &facts.client {
        code.push_str(&format!(
            "ssl_context.load_cert_chain({}, {})\n",
            lit(&client.cert),
            lit(&client.key)
        ));
    }
    code.push_str("\n\nasync def main():\n    conn = await asyncpg.connect(\n");
    if facts.many() {
        let hosts: Vec<String> = facts.targets.iter().map(|t| lit(&t.host)).collect();
        let ports: Vec<String> = facts.targets.iter().map(|t| t.port.to_string()).collect();
        code.push_str(&format!("        host=[{}],\n", hosts.join(", ")));
        code.push_str(&format!("        port=[{}],\n", ports.join(", ")));
    } else if let Some(t) = facts.first() {
        code.push_str(&format!("        host={},\n", lit(&t.host)));
        code.push_str(&format!("        port={},\n", t.port));
    }
    if let Some(db) = &facts.dbname {
        code.push_str(&format!("        database={},\n", lit(db)));
    }
    if let Some(user) = &facts.user {
        code.push_str(&format!("        user={},\n", lit(user)));
    }
    code.push_str(
        "        password=os.environ[\"PGPASSWORD\"],\n        ssl=ssl_context,\n    )\n    await conn.close()\n\n\nasyncio.run(main())\n",
    );
    Snippet {
        client: "asyncpg",
        label: "Python asyncpg",
        language: "python",
        code,
        notes: facts.notes([
            facts.client.as_ref().map(|_| {
                "If the key is encrypted, pass its passphrase from the environment: `load_cert_chain(cert, key, password=os.environ[\"PGSSLPASSWORD\"])`".to_string()
            }),
            facts.pem_key_note(),
        ]),
    }
}

fn node_postgres(facts: &Facts) -> Snippet {
    let mut code = String::new();
    if matches!(facts.ca, Ca::File(_)) || facts.client.is_some() {
        code.push_str("const fs = require(\"fs\");\n");
    }
    code.push_str("const { Client } = require(\"pg\");\n\n");
    code.push_str(
        "// TLS settings go in the ssl object, with no connectionString: an sslmode in a connection string replaces this object.\n",
    );
    code.push_str("const client = new Client({\n");
    if let Some(t) = facts.first() {
        code.push_str(&format!("  host: {},\n  port: {},\n", lit(&t.host), t.port));
    }
    if let Some(db) = &facts.dbname {
        code.push_str(&format!("  database: {},\n", lit(db)));
    }
    if let Some(user) = &facts.user {
        code.push_str(&format!("  user: {},\n", lit(user)));
    }
    code.push_str("  password: process.env.PGPASSWORD,\n  ssl: {\n");
    if let Ca::File(path) = &facts.ca {
        code.push_str(&format!(
            "    ca: fs.readFileSync({}, \"utf8\"),\n",
            lit(path)
        ));
    }
    if let Some(client) = &facts.client {
        code.push_str(&format!(
            "    cert: fs.readFileSync({}, \"utf8\"),\n    key: fs.readFileSync({}, \"utf8\"),\n",
            lit(&client.cert),
            lit(&client.key)
        ));
    }
    code.push_str("    rejectUnauthorized: true,\n  },\n});\n\n");
    code.push_str(
        "async function main() {\n  await client.connect();\n  await client.end();\n}\n\nmain();\n",
    );
    Snippet {
        client: "node-postgres",
        label: "Node.js node-postgres (pg)",
        language: "javascript",
        code,
        notes: facts.notes([
            Some("Node.js checks the host name against the certificate by default (`checkServerIdentity`); do not override it".to_string()),
            (facts.ca == Ca::System).then(|| {
                "Without `ca`, Node.js trusts its bundled Mozilla CA list, not the operating system's store (add CAs with NODE_EXTRA_CA_CERTS)".to_string()
            }),
            facts.single_host_note("node-postgres"),
            facts.pem_key_note(),
        ]),
    }
}

fn jdbc(facts: &Facts) -> Snippet {
    let authority: Vec<String> = facts
        .targets
        .iter()
        .map(|t| format!("{}:{}", url_host(&t.host), t.port))
        .collect();
    let url = format!(
        "jdbc:postgresql://{}/{}",
        authority.join(","),
        facts
            .dbname
            .as_deref()
            .map(redact::percent_encode)
            .unwrap_or_default()
    );
    let mut props: Vec<(&str, String)> = Vec::new();
    if let Some(user) = &facts.user {
        props.push(("user", lit(user)));
    }
    props.push(("password", "System.getenv(\"PGPASSWORD\")".into()));
    props.push(("sslmode", lit("verify-full")));
    let mut key_note = None;
    let mut system_client_note = None;
    match &facts.ca {
        Ca::File(path) => {
            props.push(("sslrootcert", lit(path)));
            if let Some(client) = &facts.client {
                let key = jdbc_key(&client.key);
                if key != client.key {
                    let (from, to) = (shell_word(&client.key), shell_word(&key));
                    key_note = Some(format!(
                        "pgjdbc reads the key as PKCS-8 DER: convert it with `pg-preflight convert-key --key {from} --to pk8 --out {to}` (or `openssl pkcs8 -topk8 -inform PEM -outform DER -nocrypt -in {from} -out {to}`)"
                    ));
                }
                props.push(("sslcert", lit(&client.cert)));
                props.push(("sslkey", lit(&key)));
            }
        }
        Ca::System => {
            props.push((
                "sslfactory",
                lit("org.postgresql.ssl.DefaultJavaSSLFactory"),
            ));
            if facts.client.is_some() {
                system_client_note = Some(
                    "With DefaultJavaSSLFactory the client certificate and key come from the JVM's key store (`javax.net.ssl.keyStore`), not from sslcert/sslkey".to_string(),
                );
            }
        }
    }
    let mut code = String::from(
        "import java.sql.Connection;\nimport java.sql.DriverManager;\nimport java.util.Properties;\n\n",
    );
    code.push_str(&format!("String url = {};\n", lit(&url)));
    code.push_str("Properties props = new Properties();\n");
    for (name, value) in &props {
        code.push_str(&format!("props.setProperty({}, {value});\n", lit(name)));
    }
    code.push_str(
        "try (Connection conn = DriverManager.getConnection(url, props)) {\n    // ...\n}\n",
    );
    Snippet {
        client: "jdbc",
        label: "Java pgjdbc",
        language: "java",
        code,
        notes: facts.notes([
            Some("The same settings work as URL parameters (`?sslmode=verify-full&sslrootcert=…`); properties keep values out of URL encoding".to_string()),
            key_note,
            (facts.ca == Ca::System).then(|| {
                "DefaultJavaSSLFactory trusts the JVM's trust store (cacerts); sslmode=verify-full still checks the host name".to_string()
            }),
            system_client_note,
        ]),
    }
}

/// pgjdbc's LibPQFactory reads `.pk8` (PKCS-8 DER) or PKCS-12 (`.p12`, `.pfx`); anything else
/// is named as the `.pk8` to convert it to.
fn jdbc_key(key: &str) -> String {
    let lower = key.to_ascii_lowercase();
    if [".pk8", ".der", ".p12", ".pfx"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return key.to_string();
    }
    format!("{}.pk8", strip_extension(key))
}

/// `dir/client.key` → `dir/client`; a dot in a directory name or a leading dot is kept.
fn strip_extension(path: &str) -> &str {
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    match path.rfind('.') {
        Some(dot) if dot > name_start => path.get(..dot).unwrap_or(path),
        _ => path,
    }
}

fn pgx(facts: &Facts) -> Snippet {
    let conninfo = redact::render_keyword_value(&facts.libpq_pairs());
    let code = format!(
        "package main\n\n\
         import (\n\t\"context\"\n\t\"fmt\"\n\t\"os\"\n\n\t\"github.com/jackc/pgx/v5\"\n)\n\n\
         func main() {{\n\
         \t// pgx reads the password from PGPASSWORD (or ~/.pgpass).\n\
         \tconn, err := pgx.Connect(context.Background(), {})\n\
         \tif err != nil {{\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(1)\n\t}}\n\
         \tdefer conn.Close(context.Background())\n\
         }}\n",
        lit(&conninfo)
    );
    Snippet {
        client: "pgx",
        label: "Go pgx v5",
        language: "go",
        code,
        notes: facts.notes([
            Some("pgxpool.ParseConfig takes the same string".to_string()),
            (facts.ca == Ca::System)
                .then(|| "`sslrootcert=system` needs a recent pgx v5 (pgconn reads it as a file name before that)".to_string()),
            facts.pem_key_note(),
        ]),
    }
}

fn prisma(facts: &Facts) -> Snippet {
    let mut url = String::from("postgresql://");
    match &facts.user {
        Some(user) => url.push_str(&redact::percent_encode(user)),
        None => url.push_str("${PGUSER}"),
    }
    url.push_str(":${PGPASSWORD}@");
    if let Some(t) = facts.first() {
        url.push_str(&format!("{}:{}", url_host(&t.host), t.port));
    }
    url.push('/');
    if let Some(db) = &facts.dbname {
        url.push_str(&redact::percent_encode(db));
    }
    url.push_str("?sslmode=require");
    if let Ca::File(path) = &facts.ca {
        url.push_str(&format!("&sslcert={}", redact::percent_encode_query_value(path)));
    }
    url.push_str("&sslaccept=strict");
    let mut identity_note = None;
    if let Some(client) = &facts.client {
        let p12 = format!("{}.p12", strip_extension(&client.cert));
        url.push_str(&format!(
            "&sslidentity={}&sslpassword=${{PGSSLIDENTITY_PASSWORD}}",
            redact::percent_encode_query_value(&p12)
        ));
        identity_note = Some(format!(
            "Prisma takes the client certificate and key as one PKCS-12 file (`sslidentity`): `openssl pkcs12 -export -in {} -inkey {} -out {}`, with its password in PGSSLIDENTITY_PASSWORD",
            shell_word(&client.cert),
            shell_word(&client.key),
            shell_word(&p12)
        ));
    }
    let code = format!(
        "# .env: Prisma expands ${{PGPASSWORD}} from the environment when it loads this file.\nDATABASE_URL=\"{url}\"\n"
    );
    Snippet {
        client: "prisma",
        label: "Prisma (.env)",
        language: "dotenv",
        code,
        notes: facts.notes([
            Some("Prisma's `sslcert` is the CA certificate (libpq's sslrootcert), used only with `sslaccept=strict`; Prisma knows no `verify-full`".to_string()),
            Some("Relative certificate paths are resolved from the directory of schema.prisma".to_string()),
            Some("The password is pasted into the URL as it is: percent-encode any character outside A-Z a-z 0-9 - . _ ~".to_string()),
            (facts.ca == Ca::System).then(|| {
                "Without `sslcert`, Prisma trusts the operating system's CA store".to_string()
            }),
            identity_note,
            facts.single_host_note("Prisma"),
        ]),
    }
}

fn sqlalchemy(facts: &Facts) -> Snippet {
    let mut query: Vec<(String, String)> = Vec::new();
    let mut code = String::from("import os\n\nfrom sqlalchemy import URL, create_engine\n\n");
    code.push_str("url = URL.create(\n    \"postgresql+psycopg\",\n");
    if let Some(user) = &facts.user {
        code.push_str(&format!("    username={},\n", lit(user)));
    }
    code.push_str("    password=os.environ[\"PGPASSWORD\"],\n");
    if facts.many() {
        let hosts: Vec<String> = facts
            .targets
            .iter()
            .map(|t| lit(&format!("{}:{}", url_host(&t.host), t.port)))
            .collect();
        query.push(("host".into(), format!("({},)", hosts.join(", "))));
    } else if let Some(t) = facts.first() {
        code.push_str(&format!(
            "    host={},\n    port={},\n",
            lit(&t.host),
            t.port
        ));
    }
    if let Some(db) = &facts.dbname {
        code.push_str(&format!("    database={},\n", lit(db)));
    }
    query.push(("sslmode".into(), lit("verify-full")));
    query.push(("sslrootcert".into(), lit(&facts.ca_libpq())));
    if let Some(client) = &facts.client {
        query.push(("sslcert".into(), lit(&client.cert)));
        query.push(("sslkey".into(), lit(&client.key)));
    }
    code.push_str("    query={\n");
    for (k, v) in &query {
        code.push_str(&format!("        {}: {v},\n", lit(k)));
    }
    code.push_str("    },\n)\nengine = create_engine(url)\n");
    let async_note = facts
        .sqlalchemy_driver
        .as_deref()
        .filter(|d| d.contains("asyncpg"))
        .map(|_| {
            "The checked URL uses asyncpg: with `postgresql+asyncpg` pass the SSL context of the asyncpg snippet as `create_async_engine(url, connect_args={\"ssl\": ssl_context})` and drop the ssl* query keys".to_string()
        });
    Snippet {
        client: "sqlalchemy",
        label: "Python SQLAlchemy 2 (psycopg 3)",
        language: "python",
        code,
        notes: facts.notes([
            Some("URL.create keeps the password out of URL encoding; the query keys go to libpq unchanged".to_string()),
            facts.many().then(|| {
                "Several hosts are given as `host` query values (`host:port`), which SQLAlchemy 2 passes to libpq as a host list".to_string()
            }),
            async_note,
            facts.pem_key_note(),
        ]),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::conninfo::{analyze, CheckOptions};

    fn make(dsn: &str, client: bool) -> Vec<Snippet> {
        let analysis = analyze(dsn, None, &CheckOptions::default());
        snippets(&SnippetInput {
            analysis: &analysis,
            ca_path: None,
            client_cert_path: None,
            client_key_path: None,
            client_certificate: client,
        })
    }

    #[test]
    fn invalid_or_hostless_strings_give_nothing() {
        assert!(make("host='unterminated", false).is_empty());
        assert!(make("dbname=app", false).is_empty());
        assert!(make("host=/var/run/postgresql dbname=app", false).is_empty());
        assert!(make("host=h port=notaport", false).is_empty());
    }

    #[test]
    fn every_client_once_in_order() {
        let clients: Vec<&str> = make("host=h", false).iter().map(|s| s.client).collect();
        assert_eq!(
            clients,
            [
                "psql",
                "psycopg",
                "asyncpg",
                "node-postgres",
                "jdbc",
                "pgx",
                "prisma",
                "sqlalchemy"
            ]
        );
    }

    #[test]
    fn quoting_helpers() {
        assert_eq!(lit("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(url_host("::1"), "[::1]");
        assert_eq!(url_host("a b"), "a%20b");
        assert_eq!(redact::percent_encode_query_value("/a b/c"), "/a%20b/c");
        assert_eq!(strip_extension("dir.d/client.key"), "dir.d/client");
        assert_eq!(strip_extension("dir.d/client"), "dir.d/client");
        assert_eq!(strip_extension(".key"), ".key");
        assert_eq!(jdbc_key("client.key"), "client.pk8");
        assert_eq!(jdbc_key("client.p12"), "client.p12");
    }

    /// A host that merely contains the password's text is the user's own host name: masking
    /// it would tell the password. A copy of the password a confused parse put into a host
    /// list (an echo, between the same characters as in the input) is masked.
    #[test]
    fn only_echoes_of_a_password_are_masked() {
        let all = make("postgresql://u:ecsret@local,h2ecsret/db", false);
        assert_eq!(all.len(), 8);
        let psql = &all[0];
        assert!(psql.code.contains("h2ecsret"), "{}", psql.code);
        assert!(psql.notes.iter().all(|n| !n.starts_with("Text copied")));
        let echoed = make(
            "postgresql://user:ecsret@local,user:ecsret@localbre/db",
            false,
        );
        for s in &echoed {
            assert!(!s.code.contains(":ecsret@"), "{}", s.code);
        }
    }

    #[test]
    fn system_roots_are_kept() {
        let all = make("host=h sslrootcert=system", false);
        let by = |c: &str| all.iter().find(|s| s.client == c).unwrap();
        assert!(by("psql").code.contains("sslrootcert=system"));
        assert!(by("asyncpg").code.contains("create_default_context()"));
        assert!(!by("node-postgres").code.contains("readFileSync"));
        assert!(by("jdbc").code.contains("DefaultJavaSSLFactory"));
        assert!(!by("prisma").code.contains("sslcert"));
    }
}
