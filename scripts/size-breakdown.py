#!/usr/bin/env python3
"""Where the page's WebAssembly bytes go: a report, not a test.

Reads a wasm module that still has its name section (build it with
`scripts/size-breakdown.sh`, which keeps the names through wasm-opt) and groups every function
body by the crate and module its name points to, plus the data segments (mostly the rule and
diagnostic texts). For each group it prints the raw bytes and the bytes gzip gives the group
compressed on its own: the sum of those is a little above the module's real gzip size (gzip
finds repeats across groups too), so read the column as each group's share, not as exact savings.

    python3 scripts/size-breakdown.py MODULE.wasm [--top N]
"""

import gzip
import re
import sys
from collections import defaultdict


def leb128(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def read_name(data, pos):
    length, pos = leb128(data, pos)
    return data[pos : pos + length].decode("utf-8", "replace"), pos + length


def sections(data):
    if data[:4] != b"\0asm":
        raise SystemExit("size-breakdown: not a WebAssembly module")
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        size, body = leb128(data, pos + 1)
        yield section_id, data[body : body + size]
        pos = body + size


def imported_function_count(body):
    count, pos = leb128(body, 0)
    functions = 0
    for _ in range(count):
        _, pos = read_name(body, pos)
        _, pos = read_name(body, pos)
        kind = body[pos]
        pos += 1
        if kind == 0:  # function: type index
            _, pos = leb128(body, pos)
            functions += 1
        elif kind == 1:  # table: reftype, limits
            pos += 1
            flags, pos = leb128(body, pos)
            _, pos = leb128(body, pos)
            if flags & 1:
                _, pos = leb128(body, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb128(body, pos)
            _, pos = leb128(body, pos)
            if flags & 1:
                _, pos = leb128(body, pos)
        elif kind == 3:  # global: valtype, mutability
            pos += 2
        elif kind == 4:  # tag
            pos += 1
            _, pos = leb128(body, pos)
        else:
            raise SystemExit(f"size-breakdown: unknown import kind {kind}")
    return functions


def function_names(body):
    names = {}
    pos = 0
    while pos < len(body):
        sub_id = body[pos]
        size, start = leb128(body, pos + 1)
        if sub_id == 1:
            count, p = leb128(body, start)
            for _ in range(count):
                index, p = leb128(body, p)
                name, p = read_name(body, p)
                names[index] = name
        pos = start + size
    return names


def data_segments(body):
    count, pos = leb128(body, 0)
    out = []
    for _ in range(count):
        flags, pos = leb128(body, pos)
        if flags == 2:
            _, pos = leb128(body, pos)
        if flags in (0, 2):
            while body[pos] != 0x0B:  # skip the offset expression
                pos += 1
            pos += 1
        length, pos = leb128(body, pos)
        out.append(body[pos : pos + length])
        pos += length
    return out


# Most specific first: the first pattern found in a function's name decides its group.
GROUPS = [
    (r"pg_preflight_web::components::(\w+)", "page: component {}"),
    (r"pg_preflight_web::(\w+)", "page: {}"),
    (r"CompStateInner<COMP>.*::view", "page: component views (inlined)"),
    (r"pg_preflight_core::(pki|conninfo|grants)::(\w+)", "core: {}::{}"),
    (r"pg_preflight_core::(\w+)", "core: {}"),
    (r"pg_preflight_crypto::(\w+)", "crypto: {}"),
    (r"serde", "serde and serde_json"),
    (r"^(?:<)?(yew|wasm_bindgen|js_sys|web_sys|gloo\w*|implicit_clone|indexmap|hashbrown|sha1|sha2|md5|aes|des|rc2|cbc|cipher|pbkdf2|pkcs1|pkcs5|pkcs8|sec1|spki|der|const_oid|ed25519_dalek|curve25519_dalek|dlmalloc|zeroize|x509_parser|der_parser|asn1_rs|nom)\b", "crate: {}"),
    (r"(?:^|<)(core|alloc|std)(?:\[[0-9a-f]+\])?::", "std: {}"),
]


def group_of(name):
    for pattern, label in GROUPS:
        match = re.search(pattern, name)
        if match:
            return label.format(*match.groups())
    return "other (exports, shims, unnamed)"


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    top = 40
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i : i + 2]
    data = open(args[0], "rb").read()
    imported = 0
    bodies = []
    names = {}
    segments = []
    for section_id, body in sections(data):
        if section_id == 2:
            imported = imported_function_count(body)
        elif section_id == 10:
            count, pos = leb128(body, 0)
            for _ in range(count):
                size, start = leb128(body, pos)
                bodies.append(body[start : start + size])
                pos = start + size
        elif section_id == 11:
            segments = data_segments(body)
        elif section_id == 0:
            name, pos = read_name(body, 0)
            if name == "name":
                names = function_names(body[pos:])
    if not names:
        raise SystemExit("size-breakdown: the module has no function names (build it with scripts/size-breakdown.sh)")
    grouped = defaultdict(list)
    for k, code in enumerate(bodies):
        grouped[group_of(names.get(imported + k, ""))].append(code)
    grouped["data segments (texts, tables)"] = segments
    rows = []
    for label, parts in grouped.items():
        blob = b"".join(parts)
        rows.append((len(gzip.compress(blob, 9)), len(blob), len(parts), label))
    rows.sort(reverse=True)
    code_total = sum(len(b) for b in bodies)
    print(f"{args[0]}: {len(bodies)} functions, {code_total} bytes of code, "
          f"{sum(len(s) for s in segments)} bytes of data")
    print(f"{'gzip alone':>10} {'raw':>9} {'items':>6}  group")
    for gz, raw, items, label in rows[:top]:
        print(f"{gz:>10} {raw:>9} {items:>6}  {label}")
    rest = rows[top:]
    if rest:
        print(f"{sum(r[0] for r in rest):>10} {sum(r[1] for r in rest):>9} {sum(r[2] for r in rest):>6}  ({len(rest)} smaller groups)")
    print(f"{sum(r[0] for r in rows):>10} {sum(r[1] for r in rows):>9}         sum of the groups")


if __name__ == "__main__":
    main()
