//! Rules raised while reading a role spec and writing its scripts.

rule!(
    RULE_SPEC_SHAPE,
    "PGP-GRANT-001",
    Error,
    "Role spec is not valid JSON of the expected shape",
    "The role spec is the JSON document of DESIGN.md §3. `dialect`, `database` and `role` are \
required; every other field is optional, and a field the spec does not define is an error rather \
than silently ignored (a misspelt `acess: \"read-write\"` must not produce a read-only script the \
user thinks is read-write, or the other way round). No script is written.",
    []
);

rule!(
    RULE_SPEC_VALUE,
    "PGP-GRANT-002",
    Error,
    "Role spec field has an impossible value",
    "A field holds a value the script cannot honour: an unknown `access` or `auth`, a duration \
PostgreSQL would reject, a connection limit out of range, an expiry date in the past, or two \
fields that contradict each other. No script is written.",
    ["https://www.postgresql.org/docs/current/config-setting.html#CONFIG-SETTING-NAMES-VALUES"]
);

rule!(
    RULE_BAD_NAME,
    "PGP-GRANT-003",
    Error,
    "Name the server cannot store as written",
    "PostgreSQL keeps only the first 63 bytes of an identifier (NAMEDATALEN - 1) and silently \
truncates the rest, so a longer name would grant on a different object than the one named. NUL \
is impossible in a name; other control characters are refused because they cannot be written \
safely in pg_hba.conf. MySQL limits identifiers to 64 characters (user names to 32, MariaDB 80) \
and forbids trailing spaces. No script is written.",
    [
        "https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS",
        "https://dev.mysql.com/doc/refman/8.0/en/identifier-length.html"
    ]
);

rule!(
    RULE_RESERVED_NAME,
    "PGP-GRANT-004",
    Error,
    "Reserved or system name",
    "PostgreSQL reserves the role names `public` and `none` and every role name starting with \
`pg_`; schemas starting with `pg_` and `information_schema` belong to the system, as do MySQL's \
`mysql`, `sys`, `information_schema` and `performance_schema` databases. A role script never \
grants on them.",
    ["https://www.postgresql.org/docs/current/sql-createrole.html"]
);

rule!(
    RULE_UNSUPPORTED_VERSION,
    "PGP-GRANT-005",
    Error,
    "Server version not supported",
    "Scripts are written for PostgreSQL 13 to 18 (`serverVersion` is the major version number), \
MySQL 5.7 to 8.3 (`mysql-8.0`) and MariaDB 10.4 and later (`mariadb-10.11`). MySQL 8.4 turns off \
`mysql_native_password`, whose stored hash lets the script avoid a plaintext password; 9.0 \
removes it.",
    ["https://www.postgresql.org/support/versioning/"]
);

rule!(
    RULE_NOT_IN_VERSION,
    "PGP-GRANT-006",
    Error,
    "Option not available in the target server version",
    "The spec asks for something the target server does not have, such as the predefined role \
`pg_read_all_data` (PostgreSQL 14 and later). The script would fail when applied.",
    ["https://www.postgresql.org/docs/current/predefined-roles.html"]
);

rule!(
    RULE_NO_OWNER_ROLE,
    "PGP-GRANT-007",
    Warning,
    "Tables created later will not be readable",
    "`GRANT … ON ALL TABLES IN SCHEMA` covers only the tables that exist when it runs. Tables \
created afterwards get privileges only through `ALTER DEFAULT PRIVILEGES FOR ROLE <owner>`, which \
applies to objects created by that one role. Without `ownerRole` the script cannot know who \
creates the tables (usually the migration user), so new tables stay unreadable until someone \
re-runs the grants.",
    ["https://www.postgresql.org/docs/current/sql-alterdefaultprivileges.html"]
);

rule!(
    RULE_READ_ALL_DATA,
    "PGP-GRANT-008",
    Warning,
    "Cluster-wide read access through pg_read_all_data",
    "`pg_read_all_data` (PostgreSQL 14+) acts as if the role had SELECT on every table, view \
and sequence and USAGE on every schema, in every database of the cluster, including tables \
created later and schemas the application never meant to share. Row-level security still \
applies. It is a shortcut for an analytics replica, not least privilege.",
    ["https://www.postgresql.org/docs/current/predefined-roles.html"]
);

rule!(
    RULE_BAD_TABLE_REF,
    "PGP-GRANT-009",
    Error,
    "Table reference cannot be read",
    "A table is written `schema.table`, split at the first dot. A part that contains a dot or a \
double quote is written in double quotes with `\"\"` for a quote, for example \
`\"my.schema\".\"odd\"\"name\"`. Names are literal and case-sensitive: `Orders` is the table \
created as `\"Orders\"`.",
    []
);

rule!(
    RULE_BAD_PASSWORD,
    "PGP-GRANT-010",
    Error,
    "Password cannot be used as given",
    "The script stores a SCRAM-SHA-256 verifier computed here, never the password. PostgreSQL \
runs SASLprep (RFC 4013) on non-ASCII passwords before hashing, so only printable ASCII passwords \
are guaranteed to hash the same here and on the server (MySQL's mysql_native_password hashes the \
bytes as they are, so there only control characters are refused); control characters break \
prompts and URIs. With `auth: cert` there is no password at all: a stored one would open password logins \
wherever pg_hba.conf allows them. Leave `password` out to get a generated 32-character one.",
    [
        "https://www.rfc-editor.org/rfc/rfc5802#section-3",
        "https://www.rfc-editor.org/rfc/rfc4013",
        "https://www.postgresql.org/docs/current/auth-password.html"
    ]
);

rule!(
    RULE_WEAK_PASSWORD,
    "PGP-GRANT-011",
    Warning,
    "Short password for a machine account",
    "A service account's password is typed by no one; it should be long and random. Generated \
passwords have 32 characters from a cryptographic random source.",
    ["https://pages.nist.gov/800-63-4/sp800-63b.html"]
);

rule!(
    RULE_IGNORED_FOR_DIALECT,
    "PGP-GRANT-012",
    Warning,
    "Spec field has no effect for this server",
    "The field is meaningful for another dialect only and the script ignores it.",
    []
);

rule!(
    RULE_BAD_CIDR,
    "PGP-HBA-001",
    Error,
    "Client network is not a valid CIDR",
    "pg_hba.conf's address field takes an IP address with a mask length, such as \
`203.0.113.0/24` or `2001:db8::/32`; the bits beyond the mask must be zero, or the line matches a \
different network than intended. No script is written.",
    ["https://www.postgresql.org/docs/current/auth-pg-hba-conf.html"]
);

rule!(
    RULE_CIDR_ANYWHERE,
    "PGP-HBA-002",
    Warning,
    "Role accepted from any address",
    "`0.0.0.0/0` or `::/0` lets anyone who can reach the port try the role's credentials. List \
the networks the client really connects from (its NAT gateway or VPC range).",
    ["https://www.postgresql.org/docs/current/auth-pg-hba-conf.html"]
);

rule!(
    RULE_NO_CIDRS,
    "PGP-HBA-003",
    Warning,
    "No client networks given",
    "Without `clientCidrs` the generated pg_hba.conf lines and MySQL host pattern accept the role \
from every address. The script is still written, with the widest networks, so the warning stays.",
    ["https://www.postgresql.org/docs/current/auth-pg-hba-conf.html"]
);

rule!(
    RULE_HBA_NAME_REGEX,
    "PGP-HBA-004",
    Info,
    "Name written as a regular expression in pg_hba.conf",
    "From PostgreSQL 16 a database or user field in pg_hba.conf that starts with `/` is a \
regular expression, quoted or not. A name that itself starts with `/` is therefore written as an \
anchored, escaped expression that matches exactly that name.",
    ["https://www.postgresql.org/docs/16/auth-pg-hba-conf.html"]
);

pub static RULES: &[&crate::registry::Rule] = &[
    &RULE_SPEC_SHAPE,
    &RULE_SPEC_VALUE,
    &RULE_BAD_NAME,
    &RULE_RESERVED_NAME,
    &RULE_UNSUPPORTED_VERSION,
    &RULE_NOT_IN_VERSION,
    &RULE_NO_OWNER_ROLE,
    &RULE_READ_ALL_DATA,
    &RULE_BAD_TABLE_REF,
    &RULE_BAD_PASSWORD,
    &RULE_WEAK_PASSWORD,
    &RULE_IGNORED_FOR_DIALECT,
    &RULE_BAD_CIDR,
    &RULE_CIDR_ANYWHERE,
    &RULE_NO_CIDRS,
    &RULE_HBA_NAME_REGEX,
];
