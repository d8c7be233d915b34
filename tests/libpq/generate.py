#!/usr/bin/env python3
"""Seeded generator of near-valid libpq connection strings for the randomized differential run.

  generate.py --seed SEED --count N > cases.jsonl

Each case is `{"input": ..., "comment": "random seed=S #i"}`. A string starts as a valid
keyword/value or URI string drawn from a small grammar (known keywords, enum values with
typos, host lists, ports, quoting and percent-encoding) and then gets a few mutations: inserted
or deleted quotes, `%`, spaces of every kind, commas, brackets, `@`, `:`, `=`, `&`, known and
unknown keywords. Targets come from a local-only pool (socket directories that do not exist,
`localhost`, loopback addresses) so the oracle can connect safely; mutated names that are not
local are compared on parsing only. The same seed always gives the same strings.
"""

import argparse
import json
import random
import sys

KEYWORDS = [
    "service", "user", "password", "passfile", "channel_binding", "connect_timeout", "dbname",
    "host", "hostaddr", "port", "client_encoding", "options", "application_name",
    "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "sslmode", "sslnegotiation", "sslcompression",
    "sslcert", "sslkey", "sslkeylogfile", "sslpassword", "sslcertmode", "sslrootcert", "sslcrl",
    "sslcrldir", "sslsni", "requirepeer", "require_auth", "min_protocol_version",
    "max_protocol_version", "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode",
    "krbsrvname", "gsslib", "gssdelegation", "replication", "target_session_attrs",
    "load_balance_hosts", "scram_client_key", "scram_server_key", "oauth_issuer",
    "oauth_client_id", "oauth_client_secret", "oauth_scope",
]
UNKNOWN = ["ssl", "requiressl", "sslmode_", "Host", "hots", "ssl_mode", "sslaccept", "schema", "pgbouncer", "x"]
ENUMS = {
    "sslmode": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
    "sslnegotiation": ["postgres", "direct"],
    "sslcertmode": ["disable", "allow", "require"],
    "channel_binding": ["disable", "prefer", "require"],
    "gssencmode": ["disable", "prefer"],  # `require` needs Kerberos credentials: see corpus
    "target_session_attrs": ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"],
    "load_balance_hosts": ["disable", "random"],
    "ssl_min_protocol_version": ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "tlsv1.2", ""],
    "ssl_max_protocol_version": ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "TLSV1.3", ""],
    "min_protocol_version": ["3.0", "3.2", "latest"],
    "max_protocol_version": ["3.0", "3.2", "latest"],
    "sslrootcert": ["system", "/nonexistent/root.crt", "System"],
    "requiressl": ["0", "1"],
    "ssl": ["true", "false"],
}
AUTH = ["password", "md5", "gss", "sspi", "scram-sha-256", "oauth", "none"]
INTEGER_KEYWORDS = ["connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                    "keepalives_count", "tcp_user_timeout"]
SCRAM_KEYS = ["AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "AAAA", "QUJD", "!!!!", "", "AA==",
              "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ=="]
SOCKET_DIRS = ["/nonexistent", "/nonexistent/pg", "/no such dir", "@abstract", "/" + "d" * 96]
TCP_HOSTS = ["localhost", "127.0.0.1", "::1", "127.0.0.2"]
ADDRS = ["127.0.0.1", "::1", "127.1", "127.0.0.300", "foo", "0x7f.1", "[::1]", " 127.0.0.1"]
PORTS = ["1", "2", "5432", "0", "65536", "65535", " 7 ", "x", "-1", "", "+3", "99999999999"]
SPACES = [" ", "  ", "\t", "\n", "\r", "\v", "\f", " \t "]
NOISE = ["'", "\"", "\\", "%", " ", ",", "[", "]", "@", ":", "=", "&", "?", "/", "#", "\t", "\n",
         "%2", "%zz", "%00", "%20", "%FF", "%2C", "%3D", "%40", "%2F", "\u00e9", "\u00a0", "\U0001F418", "+"]


def typo(rng, word):
    if not word:
        return rng.choice(["x", " ", "-"])
    i = rng.randrange(len(word))
    kind = rng.randrange(5)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz-_.13 ") + word[i:]
    if kind == 2:
        return word.upper() if word != word.upper() else word.lower()
    if kind == 3:
        return word[:i] + word[i] * 2 + word[i + 1:]
    return word + rng.choice(["s", " ", "-", "1", "!"])


def value_for(rng, keyword):
    roll = rng.random()
    if keyword in ENUMS:
        value = rng.choice(ENUMS[keyword])
        return typo(rng, value) if roll < 0.15 else value
    if keyword == "require_auth":
        n = rng.randint(1, 3)
        negate = rng.random() < 0.4
        parts = []
        for _ in range(n):
            part = rng.choice(AUTH)
            if negate != (rng.random() < 0.1):
                part = "!" + part
            parts.append(typo(rng, part) if rng.random() < 0.05 else part)
        return ",".join(parts)
    if keyword in INTEGER_KEYWORDS:
        return rng.choice(["1", "0", "10", "30", "", " 5 ", "x", "-3", "1.5", "2147483648", "0x10"]) if roll < 0.3 else str(rng.randint(0, 100))
    if keyword in ("scram_client_key", "scram_server_key"):
        return rng.choice(SCRAM_KEYS)
    if keyword == "host":
        return ",".join(rng.choice(SOCKET_DIRS + TCP_HOSTS + [""]) for _ in range(rng.choice([1, 1, 1, 2, 3])))
    if keyword == "hostaddr":
        return ",".join(rng.choice(ADDRS) for _ in range(rng.choice([1, 1, 2])))
    if keyword == "port":
        return ",".join(rng.choice(PORTS) for _ in range(rng.choice([1, 1, 2, 3])))
    if keyword == "service":
        return "svc"
    return rng.choice(["app", "my app", "it's", "a\\b", "", "x=y", "-c statement_timeout=5s", "\u00e9t\u00e9", "p@ss:w/rd", "100%"])


def quote_kv(rng, value):
    style = rng.random()
    if style < 0.5 and value and not any(c in value for c in " \t\n\r\v\f'\\"):
        return value
    if style < 0.8:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    out = []
    for c in value:  # backslash-escape outside quotes
        out.append("\\" + c if c in " \t\n\r\v\f'\\" or rng.random() < 0.05 else c)
    return "".join(out) if out else "''"


def pick_keywords(rng, uri=False):
    n = rng.choice([1, 2, 2, 3, 3, 4, 5])
    known = KEYWORDS + INTEGER_KEYWORDS + [k for k in ENUMS if uri or k != "ssl"]
    chosen = []
    for _ in range(n):
        r = rng.random()
        if r < 0.35:
            chosen.append(rng.choice(["host", "port", "hostaddr", "sslmode", "sslnegotiation", "sslrootcert"]))
        elif r < 0.97:
            chosen.append(rng.choice(known))
        else:
            chosen.append(rng.choice(UNKNOWN))
    if "host" not in chosen and "hostaddr" not in chosen and rng.random() < 0.7:
        chosen.append("host")
    return chosen


def keyword_value(rng):
    parts = []
    for keyword in pick_keywords(rng):
        sep_before = rng.choice(["", "", "", " ", "\t"])
        sep_after = rng.choice(["", "", "", " ", "\n"])
        parts.append(f"{keyword}{sep_before}={sep_after}{quote_kv(rng, value_for(rng, keyword))}")
    text = ""
    for i, part in enumerate(parts):
        text += part
        if i + 1 < len(parts):
            text += rng.choice(SPACES[:2] * 4 + SPACES)
    if rng.random() < 0.1:
        text = rng.choice(SPACES) + text + rng.choice(SPACES)
    return text


def encode(rng, value, keep=""):
    out = []
    for c in value:
        if c.isalnum() or c in "-._~" + keep:
            out.append(c if rng.random() > 0.05 else "%" + format(ord(c), "02X") if ord(c) < 128 else c)
        elif rng.random() < 0.8:
            out.append("".join("%" + format(b, "02x" if rng.random() < 0.3 else "02X") for b in c.encode()))
        else:
            out.append(c)
    return "".join(out)


def uri(rng):
    text = rng.choice(["postgresql://", "postgres://"])
    if rng.random() < 0.4:
        text += encode(rng, rng.choice(["alice", "bob", "u ser", "a@b", ""]))
        if rng.random() < 0.5:
            text += ":" + encode(rng, rng.choice(["secret", "p@ss:w/rd", "s3cr%t", ""]))
        text += "@"
    hosts = []
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        host = rng.choice(TCP_HOSTS + ["", "%2Fnonexistent", "%2Fno%20such%20dir", "localhost"])
        if ":" in host:
            host = f"[{host}]"
        if rng.random() < 0.5:
            host += ":" + rng.choice(PORTS).strip()
        hosts.append(host)
    text += ",".join(hosts)
    if rng.random() < 0.7:
        text += "/" + encode(rng, rng.choice(["db", "my db", "", "d/b", "\u00e9"]))
    params = []
    if rng.random() < 0.7:
        for keyword in pick_keywords(rng, uri=True):
            value = value_for(rng, keyword)
            sp = lambda: rng.choice(["", "", "", "", " ", "  "])
            params.append(f"{sp()}{encode(rng, keyword)}{sp()}={sp()}{encode(rng, value, keep=',/')}{sp()}")
        text += "?" + "&".join(params)
    return text


def mutate(rng, text):
    kind = rng.randrange(8)
    i = rng.randrange(len(text) + 1)
    if kind <= 2:
        return text[:i] + rng.choice(NOISE) + text[i:]
    if kind == 3 and text:
        j = min(len(text), i + rng.randint(1, 3))
        return text[:i] + text[j:]
    if kind == 4:
        keyword = rng.choice(KEYWORDS + UNKNOWN)
        piece = f"{keyword}={quote_kv(rng, value_for(rng, keyword))}"
        if text.startswith("postgres"):
            return text + ("&" if "?" in text else "?") + piece.replace(" ", "%20")
        return text + " " + piece
    if kind == 5 and text:
        j = min(len(text), i + rng.randint(1, 6))
        return text[:j] + text[i:j] + text[j:]
    if kind == 6:
        for keyword, values in ENUMS.items():
            for value in values:
                if value and value in text and rng.random() < 0.3:
                    return text.replace(value, typo(rng, value), 1)
        return text
    if kind == 7 and text:
        c = text[min(i, len(text) - 1)]
        return text[:i] + (c.swapcase() if c.isalpha() else c + c) + text[i + 1:]
    return text


SOUP = "abch01:@/?&=[],%'\\ \t25FAfx.!-_~#+" + "\u00e9"


def soup(rng):
    """A short run of the characters the parsers care about, after a URI prefix or a keyword:
    stresses the structure (brackets, `@`, `:`, `/`, `?`, `%`, quotes) rather than the values."""
    prefix = rng.choice(["postgresql://", "postgres://", "postgresql://[", "postgres://u:p@",
                         "host=", "dbname='", "port="])
    return prefix + "".join(rng.choice(SOUP) for _ in range(rng.randint(0, 14)))


def generate(seed, count):
    rng = random.Random(seed)
    for n in range(count):
        roll = rng.random()
        text = soup(rng) if roll < 0.1 else uri(rng) if roll < 0.5 else keyword_value(rng)
        for _ in range(rng.choice([0, 0, 0, 1, 1, 1, 2, 3])):
            text = mutate(rng, text)
        text = text.replace("\x00", "")
        yield {"input": text, "comment": f"random seed={seed} #{n}"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args()
    for case in generate(args.seed, args.count):
        sys.stdout.write(json.dumps(case, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
