"""Python clients for tests/explain: `py_client.py psycopg|psycopg2|asyncpg DSN` connects with the
DSN as given and prints CONNECTED, or the exception as the last lines of a traceback show it
(`module.Class: message`, multi-line messages kept). `py_client.py CLIENT --version` prints the
client's version and the libpq / OpenSSL it uses."""
import sys
import traceback


def version(client):
    if client == "psycopg":
        import psycopg
        return f"{psycopg.__version__} (libpq {psycopg.pq.version()})"
    if client == "psycopg2":
        import psycopg2
        import psycopg2.extensions
        return f"{psycopg2.__version__.split()[0]} (libpq {psycopg2.extensions.libpq_version()})"
    import asyncpg
    import ssl
    return f"{asyncpg.__version__} (Python {sys.version.split()[0]}, {ssl.OPENSSL_VERSION})"


def connect(client, dsn):
    if client == "psycopg":
        import psycopg
        with psycopg.connect(dsn, connect_timeout=10) as conn:
            conn.execute("select 1")
    elif client == "psycopg2":
        import psycopg2
        conn = psycopg2.connect(dsn, connect_timeout=10)
        conn.cursor().execute("select 1")
        conn.close()
    else:
        import asyncio
        import asyncpg

        async def go():
            conn = await asyncpg.connect(dsn, timeout=10)
            await conn.fetchval("select 1")
            await conn.close()
        asyncio.run(go())


def main():
    client, arg = sys.argv[1], sys.argv[2]
    if arg == "--version":
        print(version(client))
        return 0
    try:
        connect(client, arg)
    except BaseException as e:  # noqa: BLE001  (report whatever the user would see)
        text = "".join(traceback.format_exception_only(type(e), e)).rstrip("\n")
        print(text)
        return 1
    print("CONNECTED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
