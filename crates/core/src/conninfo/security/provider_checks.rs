//! The checks that read the provider table ([`super::providers::PROVIDERS`]): TLS settings
//! against the provider's recommendation, ports, poolers, retired CA files and login forms.
//! None of them names a provider; the facts and their sources live in the table.

use super::endpoints::{pooled_endpoint, provider_host, Pooled};
use super::providers::{CaTrust, PoolMode, Provider, SessionRoute};
use super::{list, Change, Context};
use crate::conninfo::placeholder::is_placeholder_path;
use crate::diagnostic::{Diagnostic, Fix};

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for provider in ctx.providers() {
        out.extend(check_provider_tls(ctx, provider));
        out.extend(check_system_roots_private_ca(ctx, provider));
        out.extend(check_sni_routing(ctx, provider));
        out.extend(check_pooler_tenant_user(ctx, provider));
        out.extend(check_transaction_pooler(ctx, provider));
        out.extend(check_provider_port(ctx, provider));
        out.extend(check_provider_cert_unverifiable(ctx, provider));
        out.extend(check_ipv6_only_endpoint(ctx, provider));
        out.extend(check_pooler_channel_binding(ctx, provider));
        out.extend(check_single_server_login(ctx, provider));
        out.extend(check_pooler_prepared_statements(ctx, provider));
    }
    for provider in ctx.possible_providers() {
        out.extend(check_possible_provider(ctx, provider));
    }
    out.extend(check_retired_ca_file(ctx));
}

fn docs_sentence(provider: &Provider) -> String {
    format!("See {}.", provider.docs.join(", "))
}

rule!(RULE_PROVIDER_TLS, "PGP-PROV-001", Info, "TLS settings differ from the provider's recommendation",
"The host name belongs to a managed PostgreSQL service whose TLS setup pg-preflight knows: which \
CA signs its certificates, whether the certificates name the host, and therefore the strongest \
`sslmode` that works and what `sslrootcert` must say. The connection string does not use them \
yet. The detail states the provider's facts with links to its documentation; the fix is the \
string with the provider's recommended settings.\n\n\
pg-preflight recognises Neon, Supabase, Amazon RDS and Aurora, Azure Database for PostgreSQL, \
Google Cloud SQL (`*.sql.goog` names), DigitalOcean, Timescale Cloud, Render, Railway, Aiven \
and Crunchy Bridge by host name. Heroku Postgres has no host names of its own (it uses Amazon EC2 names, which any \
server may have), so it only gets a conditional note (PGP-PROV-013). Providers change their \
setups; the links are the authority.",
["https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
 "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT"]);

/// Whether the string already verifies the server the way the provider recommends.
/// (Provider docs per entry; libpq docs §32.19.1.)
fn check_provider_tls(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let mode = ctx.sslmode_text();
    let root = ctx.get_nonempty("sslrootcert");
    // Modes order by what they check; a value libpq rejects (`None`) is below every mode.
    // What works with the provider's default certificates; a stronger mode past a caveat is
    // PGP-PROV-007's to judge.
    let recommended = super::tls::working_mode(provider);
    let mode_ok = ctx.sslmode() >= Some(recommended);
    let needs_root = recommended.verifies_server();
    let root_ok = !needs_root
        || match root {
            None => ctx.options.ca_supplied,
            // A private CA with `sslrootcert=system` is PGP-PROV-002's finding.
            Some(_) => true,
        };
    if mode_ok && root_ok {
        return None;
    }
    let detail = format!(
        "The host name matches {}. {} The string uses `sslmode={mode}`{}{}. {}",
        provider.name,
        provider.advice,
        if ctx.effective.sslmode_defaulted {
            " (the default)"
        } else {
            ""
        },
        match root {
            Some(r) => format!(" with `sslrootcert={r}`"),
            None => String::new(),
        },
        docs_sentence(provider)
    );
    let changes = super::tls::verified_changes(ctx);
    let mut title = format!(
        "Use the settings {} recommends: {}",
        provider.name,
        super::tls::describe(&changes)
    );
    if let Some(caveat) = provider.caveat {
        if super::tls::target_mode(&changes).is_some_and(|mode| caveat.modes.contains(&mode)) {
            title.push_str(&format!(" (check first: {})", caveat.text));
        }
    }
    if let Some(note) = super::tls::beyond_default_note(provider, &changes) {
        title.push_str(&note);
    }
    Some(
        Diagnostic::new(&RULE_PROVIDER_TLS, detail)
            .with_span(ctx.value_span("sslmode").or_else(|| ctx.value_span("host")))
            .with_fix(super::tls::fix_or_advice(ctx, title, &changes)),
    )
}

rule!(
    RULE_SYSTEM_ROOTS_PRIVATE_CA,
    "PGP-PROV-002",
    Error,
    "System trust store cannot verify this provider",
    "`sslrootcert=system` makes libpq trust the operating system's public CAs, but this provider \
signs its server certificates with a CA of its own, which no operating system trusts. \
Verification will fail and libpq will refuse to connect. Other drivers get there by naming no \
CA file: they verify against their platform's list (Node.js's bundled CAs, the Java trust \
store, the operating system's store), which lacks the provider's CA as well. Download the \
provider's CA certificate and name the file in `sslrootcert` (or the driver's own setting) \
instead.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html"
    ]
);

/// `sslrootcert=system` loads the operating system's roots (libpq docs, `sslrootcert`); a
/// provider with its own CA is not among them.
fn check_system_roots_private_ca(
    ctx: &Context<'_>,
    provider: &'static Provider,
) -> Option<Diagnostic> {
    if ctx.get("sslrootcert") != Some("system") {
        return None;
    }
    let CaTrust::Private { file, source } = provider.ca else {
        return None;
    };
    // Another driver's string reaches `sslrootcert=system` in its libpq reading by naming no
    // CA file at all: the driver then verifies against its platform's own list.
    let trusts = if ctx.is_libpq() {
        "`sslrootcert=system` trusts the operating system's public CAs".to_string()
    } else {
        use crate::conninfo::dialect::knowledge::Driver;
        let driver = Driver::of(ctx.dialect, ctx.input);
        format!(
            "With no CA file in the string, {} verifies the server against {}",
            driver.name(),
            default_trust_store(driver)
        )
    };
    let detail = format!(
        "{trusts}, but {} signs its server certificates with its own CA, so verification fails. Get the CA from {source} and name the file in `sslrootcert`. {}",
        provider.name,
        docs_sentence(provider)
    );
    // `sslrootcert=system` made `verify-full` the default sslmode (libpq 16+); with a file
    // the default is `prefer` again, so the mode is written out.
    let mut changes = vec![Change::set("sslrootcert", file)];
    if ctx.effective.sslmode_defaulted {
        changes.insert(0, Change::set("sslmode", provider.strongest_sslmode.name()));
    }
    Some(
        Diagnostic::new(&RULE_SYSTEM_ROOTS_PRIVATE_CA, detail)
            .with_span(ctx.value_span("sslrootcert"))
            .with_fix(ctx.fix(
                format!("Trust {}'s own CA (its file, `{file}`)", provider.name),
                &changes,
            )),
    )
}

/// The CAs a driver trusts when its string names no CA file (the sources of the
/// `sslrootcert` rows in `dialect::knowledge`).
fn default_trust_store(driver: crate::conninfo::dialect::knowledge::Driver) -> &'static str {
    use crate::conninfo::dialect::knowledge::Driver;
    match driver {
        // Node.js's tls.connect without `ca`: its bundled Mozilla root list, not the OS store.
        Driver::NodePostgres => "the list of public CAs bundled with Node.js",
        Driver::Pgjdbc => "the Java runtime's trust store (DefaultJavaSSLFactory)",
        Driver::Pgx => "the operating system's trust store (Go's system pool)",
        Driver::Npgsql => "the operating system's certificate store",
        Driver::Prisma => "the operating system's trust store (native-tls)",
        Driver::Asyncpg | Driver::SqlalchemyAsyncpg => {
            "the operating system's trust store (Python's default SSL context)"
        }
        _ => "the operating system's public CAs",
    }
}

rule!(
    RULE_SNI_ROUTING,
    "PGP-PROV-003",
    Error,
    "SNI-routed service reached without SNI",
    "Some services (Neon) run many databases behind one proxy address and pick the database from \
the server name the client sends in the TLS handshake (SNI, RFC 6066 §3). With `sslsni` set to \
anything but `1`, libpq sends no server name and the proxy cannot route the connection; Neon \
answers \"The endpoint ID is not specified\". Remove `sslsni`, or name the endpoint explicitly \
with `options=endpoint=<endpoint-id>` (the first label of the host name, without `-pooler`).",
    [
        "https://neon.com/docs/connect/connection-errors#the-endpoint-id-is-not-specified",
        "https://www.rfc-editor.org/rfc/rfc6066#section-3",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLSNI"
    ]
);

/// libpq sends SNI only when `sslsni` starts with `1` (`fe-secure-openssl.c`), and Neon routes
/// by it unless `options` names the endpoint (Neon, "The endpoint ID is not specified").
fn check_sni_routing(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    if !provider.sni_routed {
        return None;
    }
    let sni = ctx.get("sslsni")?;
    if sni.starts_with('1') {
        return None;
    }
    let options = ctx.get("options").unwrap_or_default();
    if options.contains("endpoint=") || options.contains("project=") {
        return None;
    }
    let (host, _) = provider_host(ctx, provider)?;
    let endpoint = endpoint_id(&host, provider);
    let detail = format!(
        "`sslsni={sni}` stops libpq from sending the server name, and {} routes connections by it; without `options=endpoint={endpoint}` the connection is refused (\"The endpoint ID is not specified\"). {}",
        provider.name,
        docs_sentence(provider)
    );
    let changes = [Change::Remove("sslsni")];
    Some(
        Diagnostic::new(&RULE_SNI_ROUTING, detail)
            .with_span(ctx.value_span("sslsni"))
            .with_fix(ctx.fix(
                format!("Remove `sslsni` so libpq sends the server name (or add `options=endpoint={endpoint}` for clients without SNI)"),
                &changes,
            )),
    )
}

/// The first DNS label without the pooler marker: Neon's endpoint id.
fn endpoint_id(host: &str, provider: &Provider) -> String {
    let label = host.split('.').next().unwrap_or_default();
    match provider.pooler.and_then(|p| p.label_marker) {
        Some(marker) => label.replace(marker, ""),
        None => label.to_string(),
    }
}

rule!(
    RULE_POOLER_TENANT_USER,
    "PGP-PROV-004",
    Error,
    "Shared pooler needs the project-qualified user name",
    "A shared connection pooler serves many projects on one host name and tells them apart by the \
user name: on Supabase's shared pooler (Supavisor, `*.pooler.supabase.com`) the user must be \
written `postgres.<project-ref>` (role, a dot, the project reference). A plain role name is \
rejected (\"Tenant or user not found\"); without any `user`, libpq sends the operating-system \
user name, which fails the same way.",
    ["https://supabase.com/docs/guides/database/connecting-to-postgres"]
);

/// Supabase's shared pooler identifies the project by the user name (Supabase docs,
/// "Connect to your database": `postgres.<project-ref>`).
fn check_pooler_tenant_user(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let on_tenant_host = ctx
        .host_names()
        .iter()
        .any(|h| provider.tenant_user_hosts.iter().any(|p| p.matches(h)));
    if !on_tenant_host {
        return None;
    }
    let user = ctx.get_nonempty("user");
    if user.is_some_and(|u| u.contains('.')) {
        return None;
    }
    let detail = match user {
        Some(u) => format!(
            "{}'s shared pooler needs the user name as `<role>.<project-ref>`, for example `{u}.<project-ref>`; `{u}` alone is rejected (\"Tenant or user not found\"). {}",
            provider.name,
            docs_sentence(provider)
        ),
        None => format!(
            "{}'s shared pooler needs the user name as `<role>.<project-ref>` (for example `postgres.<project-ref>`); the string sets no `user`, so libpq sends the operating-system user name, which is rejected. {}",
            provider.name,
            docs_sentence(provider)
        ),
    };
    Some(
        Diagnostic::new(&RULE_POOLER_TENANT_USER, detail)
            .with_span(ctx.value_span("user").or_else(|| ctx.value_span("host")))
            .with_fix(ctx.advice(
                "Copy the pooler connection string from the provider's Connect panel: the user is `<role>.<project-ref>`",
            )),
    )
}

rule!(RULE_TRANSACTION_POOLER, "PGP-PROV-005", Info, "Connection goes through a transaction-mode pooler",
"The host and port select the provider's transaction-mode pooler (PgBouncer or Supavisor): each \
transaction may run on a different server connection. Session state does not survive between \
transactions: `SET` outside a transaction, session advisory locks, `LISTEN`/`NOTIFY`, SQL-level \
`PREPARE`, temporary tables kept across transactions; startup `options` may not reach the server \
either. That suits serverless functions and many short connections; for migrations, `pg_dump`, \
long-lived application servers or anything session-based, use the session-mode port or the \
direct host, which the fix shows. DigitalOcean's pools (port 25061) each run in the mode they \
were created with and take the pool's name as the database name, so there the finding is \
conditional and the fix is advice: a session-mode pool, or port 25060 (the direct connection) \
with the database the pool serves.",
["https://neon.com/docs/connect/connection-pooling",
 "https://supabase.com/docs/guides/database/connecting-to-postgres",
 "https://www.pgbouncer.org/features.html"]);

/// Transaction-mode pooling drops session state between transactions (PgBouncer docs,
/// "Features"; provider docs).
fn check_transaction_pooler(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let Pooled {
        pooler,
        host,
        port,
        by_port,
    } = pooled_endpoint(ctx, provider)?;
    let (change, how) = match pooler.session {
        SessionRoute::DropLabelMarker => {
            let marker = pooler.label_marker.unwrap_or_default();
            let direct = host.replacen(marker, "", 1);
            (
                Change::set("host", direct.clone()),
                format!("the direct host `{direct}`"),
            )
        }
        SessionRoute::Port { port, what } => {
            (Change::set("port", port), format!("port {port} ({what})"))
        }
        SessionRoute::Host { host, what } => (
            Change::set("host", host),
            format!("the host `{host}` ({what})"),
        ),
    };
    let span = if by_port {
        ctx.value_span("port")
    } else {
        ctx.value_span("host")
    };
    let at = port.map(|p| format!(" on port {p}")).unwrap_or_default();
    if pooler.mode == PoolMode::PerPool {
        // The string names a pool, whose mode it does not tell, and the pool's name is no
        // database on the direct port: a port change alone cannot connect, so advice.
        let pool = ctx.get_nonempty("dbname").unwrap_or("the pool");
        let detail = format!(
            "`{host}`{at} is {}'s connection pooler ({}). Each pool runs in the mode chosen when it was created (session, transaction or statement), which the string does not tell, and the database name (`{pool}`) is the pool's name. If this pool's mode is transaction or statement, session state (`SET`, advisory locks, `LISTEN`, SQL `PREPARE`, temporary tables) does not survive between transactions; for migrations, `pg_dump` or session-based applications use a session-mode pool, or {how} with the database the pool serves instead of the pool's name. {}",
            provider.name,
            pooler.software,
            docs_sentence(provider)
        );
        return Some(
            Diagnostic::new(&RULE_TRANSACTION_POOLER, detail)
                .with_span(span)
                .with_fix(ctx.advice(format!(
                    "If the pool's mode is transaction and you need session features, use a session-mode pool, or connect through {how} with the pool's database (not the pool's name `{pool}`)"
                ))),
        );
    }
    let detail = format!(
        "`{host}`{at} is {}'s transaction-mode pooler: session state (`SET`, advisory locks, `LISTEN`, SQL `PREPARE`, temporary tables) does not survive between transactions. For migrations, `pg_dump` or session-based applications use {how}. {}",
        provider.name,
        docs_sentence(provider)
    );
    Some(
        Diagnostic::new(&RULE_TRANSACTION_POOLER, detail)
            .with_span(span)
            .with_fix(ctx.fix(
                format!("For session features, connect through {how}"),
                &[change],
            )),
    )
}

rule!(
    RULE_POOLER_CHANNEL_BINDING,
    "PGP-PROV-009",
    Error,
    "Channel binding required through a pooler that cannot offer it",
    "`channel_binding=require` makes the client accept only SCRAM-SHA-256-PLUS, which binds the \
login to the TLS channel. Transaction poolers terminate the client's connection themselves, and \
PgBouncer (every release up to 1.25) and Supavisor offer plain SCRAM-SHA-256 only, so every \
connection through them fails. Neon's pooled endpoints are the exception: Neon's proxy \
authenticates in front of its PgBouncer and supports channel binding. Through such a pooler, \
verify the server (`sslmode=verify-full` with the right root certificate) instead; channel \
binding works on the direct endpoint.",
    [
        "https://github.com/pgbouncer/pgbouncer/blob/master/NEWS.md",
        "https://github.com/pgbouncer/pgbouncer/issues/522",
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-CHANNEL-BINDING"
    ]
);

/// `channel_binding=require` through a pooler that offers only `SCRAM-SHA-256`: libpq refuses
/// ("channel binding is required, but server did not offer an authentication method that
/// supports channel binding"; pgbouncer issue #522). PgBouncer: `src/client.c` advertises
/// SCRAM-SHA-256 only; Supavisor: `lib/supavisor/protocol/server.ex`.
fn check_pooler_channel_binding(
    ctx: &Context<'_>,
    provider: &'static Provider,
) -> Option<Diagnostic> {
    if ctx.get("channel_binding") != Some("require") {
        return None;
    }
    let pooled = pooled_endpoint(ctx, provider)?;
    if pooled.pooler.channel_binding != super::providers::ChannelBinding::NotOffered {
        return None;
    }
    let detail = format!(
        "`{}` is {}'s transaction pooler ({}), which offers SCRAM without channel binding, so `channel_binding=require` makes every connection fail (\"channel binding is required, but server did not offer an authentication method that supports channel binding\"). Verify the server with `sslmode=verify-full` instead, or connect to the direct endpoint. {}",
        pooled.host,
        provider.name,
        pooled.pooler.software,
        docs_sentence(provider)
    );
    Some(
        Diagnostic::new(&RULE_POOLER_CHANNEL_BINDING, detail)
            .with_span(ctx.value_span("channel_binding"))
            .with_fix(ctx.fix(
                "Remove the channel-binding requirement the pooler cannot meet: remove `channel_binding`",
                &[Change::Remove("channel_binding")],
            )),
    )
}

rule!(RULE_POOLER_PREPARED_STATEMENTS, "PGP-PROV-012", Warning, "Driver prepares statements behind a transaction-mode pooler",
"Several drivers prepare named statements on the server and reuse them: pgjdbc after five \
executions, psycopg 3 after five (`prepare_threshold`), pgx and asyncpg for every query, \
Prisma's engine through its statement cache, Npgsql only with automatic preparation turned on \
(`Max Auto Prepare` above 0; off by default). \
Behind a transaction-mode pooler consecutive transactions may run on different server \
connections, where the statement does not exist (\"prepared statement … does not exist\") or \
already exists (\"… already exists\"). Unless the pooler supports protocol-level prepared \
statements (PgBouncer 1.21+ with `max_prepared_statements`, as Neon configures it), tell the \
driver not to prepare: Prisma `pgbouncer=true`, pgx `default_query_exec_mode=exec`, pgjdbc \
`prepareThreshold=0`, asyncpg `statement_cache_size=0` (in code), psycopg 3 \
`prepare_threshold=None` (in code), Npgsql `Max Auto Prepare=0`.",
["https://www.pgbouncer.org/features.html",
 "https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/pgbouncer",
 "https://supabase.com/docs/guides/database/connecting-to-postgres",
 "https://www.psycopg.org/psycopg3/docs/advanced/prepare.html",
 "https://www.npgsql.org/doc/prepare.html"]);

/// A driver that prepares statements, behind a pooler that cannot keep them, without the
/// setting that stops it (driver rows `transaction_pooler` in `dialect::knowledge`).
fn check_pooler_prepared_statements(
    ctx: &Context<'_>,
    provider: &'static Provider,
) -> Option<Diagnostic> {
    use crate::conninfo::dialect::knowledge::{self, Driver, Write, TRANSACTION_POOLER};
    use crate::conninfo::dialect::render;
    let pooled = pooled_endpoint(ctx, provider)?;
    if pooled.pooler.prepared_statements {
        return None;
    }
    let driver = Driver::of(ctx.dialect, ctx.input);
    let row = knowledge::row(driver, TRANSACTION_POOLER)?;
    // A driver that prepares only when the string turns it on (Npgsql's `Max Auto Prepare`).
    if let Some(key) = knowledge::prepares_only_with(driver) {
        let on = crate::conninfo::dialect::npgsql_setting(ctx.input, key)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .is_some_and(|n| n > 0);
        if !on {
            return None;
        }
    }
    let per_pool = pooled.pooler.mode == PoolMode::PerPool;
    let detail = if per_pool {
        format!(
            "`{}` is {}'s connection pooler ({}); each pool runs in the mode chosen when it was created, which the string does not tell. If this pool's mode is transaction or statement, it does not keep {}'s prepared statements between transactions and queries fail with \"prepared statement … does not exist\" or \"already exists\"; in session mode they work. {}",
            pooled.host,
            provider.name,
            pooled.pooler.software,
            driver.name(),
            docs_sentence(provider)
        )
    } else {
        format!(
            "`{}` is {}'s transaction pooler ({}), which does not keep {}'s prepared statements between transactions: queries fail with \"prepared statement … does not exist\" or \"already exists\". {}",
            pooled.host,
            provider.name,
            pooled.pooler.software,
            driver.name(),
            docs_sentence(provider)
        )
    };
    let title = if per_pool {
        format!(
            "If the pool's mode is transaction or statement, stop {} from preparing statements",
            driver.name()
        )
    } else {
        format!("Stop {} from preparing statements", driver.name())
    };
    let fix = Fix::edit(title, "", vec![Change::set(TRANSACTION_POOLER, "on")]);
    let mut diagnostic = Diagnostic::new(&RULE_POOLER_PREPARED_STATEMENTS, detail)
        .with_span(ctx.value_span("host"))
        .with_fix(fix);
    // Not certain: the pool's mode decides.
    if per_pool {
        diagnostic = diagnostic.with_severity(crate::diagnostic::Severity::Info);
    }
    match row.write {
        Write::Keys(maps) => {
            let done = maps.iter().all(|m| {
                knowledge::map_value(m, "on")
                    .is_some_and(|v| render::has_setting(ctx.dialect, ctx.input, m.key, &v))
            });
            (!done).then_some(diagnostic)
        }
        // Only code can say it: advice, since the code may already do it.
        Write::Code { .. } => Some(diagnostic.with_severity(crate::diagnostic::Severity::Info)),
        _ => None,
    }
}

/// CA files AWS retired: `rds-ca-2019-root.pem` expired in August 2024 and the combined bundle
/// of that era holds no current RDS CA (AWS, "Rotating your SSL/TLS certificate"; AWS blog
/// "Rotate your SSL/TLS certificates now", 2023).
const RETIRED_CA_FILES: &[(&str, &str, &str)] = &[
    ("rds-combined-ca-bundle.pem", "global-bundle.pem", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html"),
    ("rds-ca-2019-root.pem", "global-bundle.pem", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html"),
    ("rds-ca-2015-root.pem", "global-bundle.pem", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html"),
];

rule!(RULE_RETIRED_CA_FILE, "PGP-PROV-010", Error, "Root certificate file retired by the provider",
"`sslrootcert` names a CA file that its provider has retired. AWS's `rds-combined-ca-bundle.pem` \
and `rds-ca-2019-root.pem` hold the rds-ca-2019 CA, which expired in August 2024; RDS and Aurora \
servers now present certificates from rds-ca-rsa2048-g1 and its successors, so verification \
against the old file fails. Download the current global bundle (`global-bundle.pem`) or the \
region's bundle, and name it in `sslrootcert`.",
["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html",
 "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html"]);

/// `sslrootcert` names a CA file its provider has retired.
fn check_retired_ca_file(ctx: &Context<'_>) -> Option<Diagnostic> {
    let root = ctx.get_nonempty("sslrootcert")?;
    let file = root.rsplit(['/', '\\']).next().unwrap_or(root);
    let (old, current, source) = RETIRED_CA_FILES
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(file))?;
    let directory = root.get(..root.len() - file.len()).unwrap_or_default();
    let replacement = format!("{directory}{current}");
    let detail = format!(
        "`sslrootcert` names `{old}`, a CA file AWS has retired: the RDS CA it holds (rds-ca-2019) expired in August 2024, and servers now present certificates from newer RDS CAs, so verification fails. Download the current bundle (`{current}`, https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem). See {source}."
    );
    Some(
        Diagnostic::new(&RULE_RETIRED_CA_FILE, detail)
            .with_span(ctx.value_span("sslrootcert"))
            .with_fix(ctx.fix(
                format!("Use the current RDS bundle: set `sslrootcert={replacement}`"),
                &[Change::set("sslrootcert", replacement.clone())],
            )),
    )
}

rule!(RULE_SINGLE_SERVER_LOGIN, "PGP-PROV-011", Error, "Retired Azure Single Server login form",
"Azure Database for PostgreSQL Single Server required user names of the form \
`role@servername`. Single Server was retired on 28 March 2025; Flexible Server, which replaced \
it, takes the role name alone and reads `role@servername` as the name of a role that does not \
exist, so the login fails. Strings copied from older documentation or portals still carry the \
suffix. Write the role name alone.",
["https://learn.microsoft.com/azure/postgresql/migrate/whats-happening-to-postgresql-single-server",
 "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-single-to-flexible"]);

/// Azure Single Server logins were `user@servername`; Flexible Server, the only one since the
/// retirement on 2025-03-28, takes the role name alone (Microsoft, "Azure Database for
/// PostgreSQL single server retirement"; flexible server, "Connect": user name without a
/// server suffix).
fn check_single_server_login(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    if !provider
        .hosts
        .iter()
        .any(|p| p.suffix == ".postgres.database.azure.com")
    {
        return None;
    }
    let user = ctx.get_nonempty("user")?;
    let (role, server) = user.rsplit_once('@')?;
    let (host, _) = provider_host(ctx, provider)?;
    let server_name = host.split('.').next().unwrap_or_default();
    if role.is_empty() || !server.eq_ignore_ascii_case(server_name) {
        return None;
    }
    let detail = format!(
        "The user name `{user}` is Azure Single Server's login form (`role@servername`). Single Server was retired on 2025-03-28; Flexible Server takes the role name alone and reads `{user}` as a role of that name, so the login fails. See https://learn.microsoft.com/azure/postgresql/migrate/whats-happening-to-postgresql-single-server."
    );
    Some(
        Diagnostic::new(&RULE_SINGLE_SERVER_LOGIN, detail)
            .with_span(ctx.value_span("user"))
            .with_fix(ctx.fix(
                format!("Log in with the role name alone: set `user={role}`"),
                &[Change::set("user", role.to_string())],
            )),
    )
}

rule!(RULE_PROVIDER_PORT, "PGP-PROV-006", Error, "Port does not match the provider's",
"The provider listens on fixed ports and the string connects to another one, so the connection \
will time out or be refused. DigitalOcean managed PostgreSQL uses 25060 (25061 for connection \
pools) instead of 5432; Supabase uses 5432 and 6543; Azure Database for PostgreSQL uses 5432 \
and 6432 (PgBouncer). A missing `port` means 5432.",
["https://docs.digitalocean.com/products/databases/postgresql/how-to/connect/",
 "https://supabase.com/docs/guides/database/connecting-to-postgres",
 "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-PORT"]);

/// Providers with fixed ports (provider docs); libpq's default port is 5432 (libpq docs, `port`).
fn check_provider_port(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let expected = provider.ports.first()?;
    let (host, port) = provider_host(ctx, provider)?;
    let actual = port.map(str::trim).unwrap_or("5432");
    if provider.ports.contains(&actual) {
        return None;
    }
    let detail = format!(
        "{} listens on {} but the string connects `{host}` on port {actual}{}. {}",
        provider.name,
        list(provider.ports),
        if port.is_none() {
            " (libpq's default)"
        } else {
            ""
        },
        docs_sentence(provider)
    );
    let changes = [Change::set("port", *expected)];
    Some(
        Diagnostic::new(&RULE_PROVIDER_PORT, detail)
            .with_span(ctx.value_span("port").or_else(|| ctx.value_span("host")))
            .with_fix(ctx.fix(format!("Connect to port {expected}"), &changes)),
    )
}

rule!(RULE_PROVIDER_CERT_UNVERIFIABLE, "PGP-PROV-007", Warning, "Provider certificates fail this verification mode",
"The provider's certificates, as issued by default, cannot pass the verification this `sslmode` \
asks for: Heroku Postgres needs Enhanced Certificates before `verify-ca`/`verify-full` work; \
Railway's proxy host name is not in its certificate; Cloud SQL's per-instance CA issues \
certificates without a host name. Either the provider-side setting named in the detail is in \
place, or libpq will refuse to connect. Failing closed is safe, but check before you ship the \
string.",
["https://devcenter.heroku.com/articles/heroku-postgres-enhanced-certificates",
 "https://cloud.google.com/sql/docs/postgres/authorize-ssl",
 "https://github.com/railwayapp-templates/postgres-ssl"]);

/// Provider-documented reasons why verification fails with default certificates.
fn check_provider_cert_unverifiable(
    ctx: &Context<'_>,
    provider: &'static Provider,
) -> Option<Diagnostic> {
    let caveat = provider.caveat?;
    let mode = ctx.sslmode()?;
    if !caveat.modes.contains(&mode) {
        return None;
    }
    let detail = format!(
        "With `sslmode={mode}`: {} {}",
        caveat.text,
        docs_sentence(provider)
    );
    let alternative = provider.strongest_sslmode_without(mode);
    // `sslrootcert` naming a file of the user's own is a CA they chose: never advise giving up
    // verification against it (a weaker mode that still verifies, such as `verify-ca` where
    // only the host name fails, is fine).
    let own_file = ctx
        .get_nonempty("sslrootcert")
        .is_some_and(|r| r != "system" && !is_placeholder_path(r));
    let title = if own_file && !alternative.verifies_server() {
        "Make sure the provider-side setting is in place (see the detail); keep the verification if the server's certificate comes from the CA in `sslrootcert`".to_string()
    } else {
        format!(
            "Make sure the provider-side setting is in place, or use `sslmode={alternative}` as {} documents",
            provider.name
        )
    };
    Some(
        Diagnostic::new(&RULE_PROVIDER_CERT_UNVERIFIABLE, detail)
            .with_span(ctx.value_span("sslmode"))
            .with_fix(ctx.advice(title)),
    )
}

rule!(RULE_POSSIBLE_PROVIDER, "PGP-PROV-013", Info, "Host name may belong to a managed service",
"The host name has the shape a managed PostgreSQL service uses, but other servers use it too, so \
it does not tell which service this is: Heroku Postgres runs on Amazon EC2 public DNS names \
(`ec2-<address>.compute-1.amazonaws.com`, `ec2-<address>.<region>.compute.amazonaws.com`), which \
every EC2 instance has, self-hosted PostgreSQL included; Render's internal database names \
(`dpg-<id>-a`, one label) are private-network names any network may hold. pg-preflight applies no provider advice \
to such a name; the note says what would hold if the server is that service. A self-hosted \
server with its own CA is verified as any other: `sslmode=verify-full` with `sslrootcert` naming \
the CA file.",
["https://devcenter.heroku.com/articles/heroku-postgres-enhanced-certificates",
 "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-naming.html"]);

/// A host name a provider uses but does not own (Heroku's EC2 names; the table's
/// `tentative_hosts`): a note conditional on it being that provider, no fix.
fn check_possible_provider(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    // A CA file of the user's own: they verify against the CA they run, which no managed
    // service's note is about.
    if ctx
        .get_nonempty("sslrootcert")
        .is_some_and(|r| r != "system" && !is_placeholder_path(r))
    {
        return None;
    }
    let host = ctx
        .host_names()
        .into_iter()
        .find(|h| provider.may_match(h))?;
    let detail = format!(
        "`{host}` has the shape of {}'s host names, but other servers have such names too, so no advice of {}'s is applied. If this is {}: {} If it is not, verify the server as any other, with `sslmode=verify-full` and `sslrootcert` naming its CA file. {}",
        provider.name,
        provider.name,
        provider.name,
        provider.advice,
        docs_sentence(provider)
    );
    Some(
        Diagnostic::new(&RULE_POSSIBLE_PROVIDER, detail)
            .with_span(ctx.value_span("host"))
            .with_fix(ctx.advice(format!(
                "If this is {}, check the provider's TLS setup (see the detail); otherwise nothing to do",
                provider.name
            ))),
    )
}

rule!(
    RULE_IPV6_ONLY_ENDPOINT,
    "PGP-PROV-008",
    Info,
    "Endpoint resolves to IPv6 only",
    "This provider endpoint has only IPv6 addresses by default (Supabase's direct host \
`db.<project-ref>.supabase.co`, unless the project buys the IPv4 add-on). Systems without IPv6 \
connectivity, which includes many hosted integration platforms, cannot reach it and fail with a \
DNS or \"network unreachable\" error. Use the provider's pooler host, which has IPv4 addresses, \
or enable IPv4 for the project.",
    [
        "https://supabase.com/docs/guides/database/connecting-to-postgres",
        "https://supabase.com/docs/guides/platform/ipv4-address"
    ]
);

/// Provider-documented IPv6-only endpoints.
fn check_ipv6_only_endpoint(ctx: &Context<'_>, provider: &'static Provider) -> Option<Diagnostic> {
    let host = ctx
        .host_names()
        .into_iter()
        .find(|h| provider.ipv6_only_hosts.iter().any(|p| p.matches(h)))?;
    let detail = format!(
        "`{host}` is {}'s direct endpoint, which has IPv6 addresses only unless the project has the IPv4 add-on; clients without IPv6 cannot reach it. The shared pooler host has IPv4 addresses. {}",
        provider.name,
        docs_sentence(provider)
    );
    Some(
        Diagnostic::new(&RULE_IPV6_ONLY_ENDPOINT, detail)
            .with_span(ctx.value_span("host"))
            .with_fix(ctx.advice(
                "From IPv4-only systems, use the session-mode pooler connection string from the provider's Connect panel, or enable the IPv4 add-on",
            )),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, clippy::unwrap_used)]
    use super::*;
    use crate::conninfo::security::providers::{between, exact, suffix, PROVIDERS};

    #[test]
    fn patterns_match_whole_suffixes() {
        let neon = suffix(".neon.tech");
        assert!(neon.matches("ep-cool-darkness-123456.us-east-2.aws.neon.tech"));
        assert!(!neon.matches("neon.tech"));
        assert!(!neon.matches("evilneon.tech.example.com"));
        let heroku = between("ec2-", ".compute-1.amazonaws.com");
        assert!(heroku.matches("ec2-1-2-3-4.compute-1.amazonaws.com"));
        assert!(!heroku.matches("ip-1-2-3-4.compute-1.amazonaws.com"));
        let prisma = exact("db.prisma.io");
        assert!(prisma.matches("db.prisma.io"));
        assert!(!prisma.matches("pooled.db.prisma.io"));
        assert!(!prisma.matches("db.prisma.io.example.com"));
    }

    /// Prisma Postgres: the pooled host's session route is another host name, and no fix
    /// rests on SCRAM channel binding through Prisma's proxy, which it does not document.
    #[test]
    fn prisma_postgres_routes_to_the_direct_host_and_offers_no_channel_binding() {
        use crate::conninfo::dialect::Dialect;
        use crate::conninfo::{analyze, CheckOptions};
        let fix_of = |input: &str, dialect: Dialect, code: &str| {
            let analysis = analyze(input, Some(dialect), &CheckOptions::default());
            crate::diagnostic::fix_of(&analysis.diagnostics, code).cloned()
        };
        let pooled = "postgres://app@pooled.db.prisma.io:5432/?sslmode=require";
        for dialect in [Dialect::Libpq, Dialect::NodePostgres, Dialect::Pgx] {
            let session = fix_of(pooled, dialect, "PGP-PROV-005").unwrap();
            let replacement = session.replacement.unwrap_or_default();
            assert!(replacement.contains("@db.prisma.io:5432/"), "{replacement}");
        }
        let direct = "postgres://app@db.prisma.io:5432/?sslmode=require";
        for input in [pooled, direct] {
            let impostor = fix_of(input, Dialect::Libpq, "PGP-AUTH-104").unwrap();
            assert_eq!(impostor.replacement, None, "{input}: {}", impostor.title);
            assert!(!impostor.title.contains("channel_binding"), "{}", impostor.title);
        }
        // Where channel binding is known to work, it stays the fix.
        let neon = "postgresql://app@ep-cool-darkness-123456.us-east-2.aws.neon.tech/app?sslmode=require";
        let binding = fix_of(neon, Dialect::Libpq, "PGP-AUTH-104").unwrap();
        assert!(binding.title.contains("channel_binding"), "{}", binding.title);
    }

    #[test]
    fn every_provider_cites_documentation() {
        for provider in PROVIDERS {
            assert!(!provider.docs.is_empty(), "{}", provider.name);
            assert!(
                provider.docs.iter().all(|d| d.starts_with("https://")),
                "{}",
                provider.name
            );
            // (`strongest_sslmode` is an `SslMode`: a valid mode by its type.)
            assert!(
                !provider.hosts.is_empty() || !provider.tentative_hosts.is_empty(),
                "{}",
                provider.name
            );
        }
    }

    /// DigitalOcean's pools run in the mode each was created with: PGP-PROV-012 is not
    /// certain there (info, conditional), while Supabase's 6543 is transaction mode (warning).
    #[test]
    fn per_pool_mode_makes_prepared_statements_a_note() {
        use crate::conninfo::dialect::Dialect;
        use crate::conninfo::{analyze, CheckOptions};
        use crate::diagnostic::Severity;
        let severity = |input: &str| {
            analyze(input, Some(Dialect::Pgx), &CheckOptions::default())
                .diagnostics
                .iter()
                .find(|d| d.code == RULE_POOLER_PREPARED_STATEMENTS.code)
                .map(|d| (d.severity, d.detail.contains("If this pool's mode")))
        };
        assert_eq!(
            severity("postgresql://doadmin@db-postgresql-nyc3-12345-do-user-1234567-0.b.db.ondigitalocean.com:25061/pool-01?sslmode=verify-full&sslrootcert=ca-certificate.crt"),
            Some((Severity::Info, true))
        );
        assert_eq!(
            severity("postgresql://postgres.abcdefghijklmnopqrst@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=verify-full&sslrootcert=prod-supabase.cer"),
            Some((Severity::Warning, false))
        );
    }

    /// PGP-PROV-002 for another driver says what that driver trusts without a CA file (not
    /// libpq's `sslrootcert=system`, which the string does not hold), and a libpq fix writing
    /// `sslrootcert=system` says it needs libpq 16 (outside review).
    #[test]
    fn system_roots_are_worded_per_driver() {
        use crate::conninfo::dialect::Dialect;
        use crate::conninfo::{analyze, CheckOptions};
        let run = |input: &str, dialect: Dialect| {
            analyze(input, Some(dialect), &CheckOptions::default()).diagnostics
        };
        let node = run(
            "postgres://app@mydb.c9akciq32.eu-west-1.rds.amazonaws.com:5432/app?sslmode=require",
            Dialect::NodePostgres,
        );
        let prov_002 = node
            .iter()
            .find(|d| d.code == RULE_SYSTEM_ROOTS_PRIVATE_CA.code)
            .map(|d| d.detail.clone())
            .unwrap_or_default();
        assert!(prov_002.contains("bundled with Node.js"), "{prov_002}");
        assert!(!prov_002.contains("sslrootcert=system"), "{prov_002}");
        let libpq = run(
            "postgresql://alex@ep-cool-darkness-123456.us-east-2.aws.neon.tech/dbname?sslmode=require",
            Dialect::Libpq,
        );
        let psycopg2 = run(
            "postgresql+psycopg2://alex@ep-cool-darkness-123456.us-east-2.aws.neon.tech/dbname?sslmode=require",
            Dialect::Sqlalchemy,
        );
        for (findings, needs) in [(&libpq, "needs libpq 16 or later: older libpq"), (&psycopg2, "needs libpq 16 or later")] {
            let title = crate::diagnostic::fix_of(findings, "PGP-SSL-103")
                .map(|f| f.title.clone())
                .unwrap_or_default();
            assert!(title.contains("sslrootcert=system"), "{title}");
            assert!(title.contains(needs), "{title}");
        }
    }

    /// Where no verified mode works by default (Render documents no CA), a driver's own
    /// unverified setting is kept with the reason, not respelled (`no-verify` as
    /// `uselibpqcompat=true&sslmode=require`) or pushed past the provider (PGP-DRIVER-018's
    /// verify-full); elsewhere the fix verifies.
    #[test]
    fn unverifiable_provider_keeps_the_drivers_setting() {
        use crate::conninfo::dialect::Dialect;
        use crate::conninfo::{analyze, CheckOptions};
        let fix_of = |input: &str, code: &str| {
            let analysis = analyze(input, Some(Dialect::NodePostgres), &CheckOptions::default());
            crate::diagnostic::fix_of(&analysis.diagnostics, code)
                .map(|f| (f.title.clone(), f.replacement.clone()))
        };
        for (query, code) in [
            ("sslmode=no-verify", "PGP-DRIVER-016"),
            ("sslmode=require&uselibpqcompat=true", "PGP-DRIVER-018"),
        ] {
            let render = format!("postgres://app@dpg-abc123def456-a.oregon-postgres.render.com/app_db?{query}");
            let (title, replacement) = fix_of(&render, code).unwrap();
            assert!(title.starts_with("Keep this setting only while"), "{title}");
            assert_eq!(replacement, None);
            let plain = format!("postgres://app@db.example.com/app_db?{query}");
            let (_, replacement) = fix_of(&plain, code).unwrap();
            assert!(
                replacement.is_some_and(|r| r.contains("sslmode=verify-full")),
                "{code}"
            );
        }
    }

    #[test]
    fn neon_endpoint_id_drops_the_pooler_marker() {
        let neon = PROVIDERS.first().copied();
        let Some(neon) = neon else { panic!("table") };
        assert_eq!(
            endpoint_id(
                "ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech",
                &neon
            ),
            "ep-cool-darkness-123456"
        );
    }
}
