"""Writes the committed seed corpora: seeds/conninfo_parse/<name> (the string) and
seeds/conninfo_analyze/<name>-<d> (a driver byte, then the string). Run from fuzz/seeds."""
import os
# (name, dialect index for conninfo_analyze: 1 libpq 2 jdbc 3 node-postgres 4 asyncpg
#  5 sqlalchemy 6 pgx 7 prisma 8 npgsql; the analyze seed set also gets each one with 0 = detect)
SEEDS = [
 ("kv-basic", 1, "host=localhost port=5432 dbname=mydb user=app"),
 ("kv-quoted-escapes", 1, r"host = db  dbname='my \'db\'' password=a\ b application_name='it\\s'"),
 ("kv-empty-values", 1, "host='' port= dbname=''"),
 ("kv-verify-full", 1, "host=db.example.com sslmode=verify-full sslrootcert=/etc/ssl/root.crt sslcert=/c.crt sslkey=/c.key"),
 ("kv-multi-host", 1, "host=a,b,c port=5432,5433, target_session_attrs=read-write load_balance_hosts=random"),
 ("kv-hostaddr", 1, "host=db hostaddr=10.0.0.5,::1 port=5432 connect_timeout=10"),
 ("kv-unix-socket", 1, "host=/var/run/postgresql dbname=postgres"),
 ("kv-abstract-socket", 1, "host=@pgsock port=5433"),
 ("kv-requiressl", 1, "requiressl=1 host=h"),
 ("kv-options", 1, "options='-c search_path=app,public -c statement_timeout=5s' keepalives=1 keepalives_idle=30"),
 ("kv-sslmode-disable", 1, "host=prod.example.com sslmode=disable password=hunter22"),
 ("kv-repeated", 1, "sslmode=disable host=h sslmode=require"),
 ("kv-tabs-newlines", 1, "host=h\tport=1\n dbname=x\r\x0bsslmode=prefer\x0c"),
 ("kv-unterminated", 1, "host='abc"),
 ("kv-missing-equals", 1, "host localhost"),
 ("kv-unknown-keyword", 1, "hots=x sslmod=require"),
 ("kv-nul", 1, "host=a\x00 port=1"),
 ("kv-gss-scram", 1, "gssencmode=prefer channel_binding=require require_auth=scram-sha-256 sslnegotiation=direct"),
 ("kv-oauth", 1, "oauth_issuer=https://issuer.example oauth_client_id=x oauth_client_secret=s3cr3t"),
 ("uri-basic", 1, "postgresql://user:secret@localhost:5432/mydb?sslmode=require"),
 ("uri-short", 1, "postgres://u@h/db"),
 ("uri-empty", 1, "postgresql://"),
 ("uri-ipv6", 1, "postgresql://u@[::1]:5433,[2001:db8::1]/d?connect_timeout=5"),
 ("uri-ipv6-zone", 1, "postgresql://[fe80::1%25eth0]:5432/db"),
 ("uri-percent", 1, "postgresql://us%40er:p%3Aw%2F@h/d%20b?options=-c%20x%3Dy&application_name=%E2%9C%93"),
 ("uri-multi-host", 1, "postgresql://h1:5432,h2:5433,h3/db?target_session_attrs=primary"),
 ("uri-socket-query", 1, "postgresql:///db?host=/tmp&port=5433"),
 ("uri-ssl-true", 1, "postgresql://h/db?ssl=true&sslrootcert=system"),
 ("uri-bad-percent", 1, "postgresql://u:p%zz@h/db"),
 ("uri-percent-nul", 1, "postgres://h/d%00b"),
 ("uri-ipv6-unterminated", 1, "postgres://u:pw@[::1"),
 ("uri-ipv6-trailer", 1, "postgres://[::1]x"),
 ("uri-query-errors", 1, "postgres://h/db?sslmode&a==b&&"),
 ("uri-spaces", 1, "postgresql:// h /d b?sslmode= require "),
 ("uri-non-utf8", 1, "postgresql://h/%FF%FE?application_name=%C3"),
 ("uri-at-in-password", 1, "postgresql://user:p@ss:w@rd@host/db"),
 ("jdbc-basic", 2, "jdbc:postgresql://db.example.com:5432/app?user=app&password=pw123&ssl=true&sslmode=verify-full"),
 ("jdbc-factory", 2, "jdbc:postgresql://h1,h2:5433/app?sslfactory=org.postgresql.ssl.NonValidatingFactory&targetServerType=primary"),
 ("node-postgres", 3, "postgres://u:pw@db.example.com/app?ssl=true&sslmode=no-verify"),
 ("asyncpg", 4, "postgresql://u:pw@h/db?ssl=require&server_settings=x"),
 ("sqlalchemy-asyncpg", 5, "postgresql+asyncpg://u:p%40ss@h:5432/db?ssl=require"),
 ("sqlalchemy-psycopg", 5, "postgresql+psycopg://u@h/db?sslmode=verify-full&sslrootcert=/ca.pem"),
 ("pgx-kv", 6, "host=h user=u pool_max_conns=10 sslmode=verify-full"),
 ("pgx-uri", 6, "postgres://u:pw@h:5432/db?sslmode=prefer&pool_max_conns=4"),
 ("prisma", 7, "postgresql://u:pw@h:5432/db?schema=public&sslmode=require&sslaccept=accept_invalid_certs&connection_limit=5&pgbouncer=true"),
 ("prisma-strict", 7, "postgresql://u:pw@h/db?sslmode=require&sslaccept=strict&sslcert=./ca.pem"),
 ("npgsql", 8, "Host=db.example.com;Port=5432;Database=app;Username=u;Password=p@ss;w0rd;SSL Mode=Require;Trust Server Certificate=true"),
 ("npgsql-quoted", 8, "Server=h;User Id=u;Password='a;b';SslMode=VerifyFull;Root Certificate=/ca.pem;Include Error Detail=true"),
]
# Minimized reproducers of bugs these targets found (kept so a fix stays fixed).
REGRESSIONS = [
 ("regress-render-ipv6-brackets-unencoded", 1, "postgresql://h?host=a:b%5D"),
 ("regress-render-ipv6-brackets-at", 1, "postgresql://h?host=a:secret%40b"),
 ("regress-render-empty-user", 1, "postgresql:// @h"),
 ("regress-render-empty-port", 1, "postgresql://h?port="),
 ("regress-render-one-port-many-hosts", 1, "postgresql://a,b?port=1"),
 ("regress-span-port-list-percent", 1, "postgres://,,:%"),
 ("regress-span-port-list-space", 1, "postgres://,,: g"),
 ("regress-span-port-list-nul", 1, "postgres://,:%00"),
]
SEEDS += REGRESSIONS
os.makedirs("conninfo_parse", exist_ok=True)
os.makedirs("conninfo_analyze", exist_ok=True)
for i, (name, d, s) in enumerate(SEEDS):
    b = s.encode("utf-8")
    open(f"conninfo_parse/{i:02d}-{name}", "wb").write(b)
    open(f"conninfo_analyze/{i:02d}-{name}-detect", "wb").write(bytes([0]) + b)
    open(f"conninfo_analyze/{i:02d}-{name}-{d}", "wb").write(bytes([d]) + b)
print(len(SEEDS))
