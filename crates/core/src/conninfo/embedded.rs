//! Secrets written where no parse finds them: the password of a URL's user information in any
//! scheme, and `password=…` in any driver's form, found by position in any text. The parser
//! uses them to keep a secret out of its own notes (a URL pasted into `options`), and
//! `redact` to mask every input and rendering.

use super::{driver_keys, keywords};

/// What every secret is shown as: a fixed mask, so neither its text nor its length shows.
pub const REDACTED: &str = "********";

/// The password of every URL's user information, found leniently so that it is masked even
/// where no dialect parses the string: any scheme (`jdbc:postgresql://`, `POSTGRESQL://`,
/// `postgresql+asyncpg://`), inside quotes or brackets, and up to the *last* `@` before the
/// query, so that an unencoded `@` in the password (`app:p@ssw0rd@db`) does not leave its tail
/// in the clear. Over-masking a host is harmless; showing a password is not.
pub(crate) fn url_password_spans(input: &str) -> Vec<(usize, usize)> {
    let mut found = url_password_spans_until(input, pasted_url_end, userinfo_end);
    found.extend(quoted_or_spaced_passwords(input));
    found.extend(ports_without_host(input));
    found.extend(userinfo_without_scheme(input));
    found.extend(pgpass_passwords(input));
    found
}

/// The password of a `.pgpass` line pasted as the string, `host:port:database:user:password`
/// (libpq's password file: the fifth field is the rest of the line, `\:` and `\\` escaped;
/// PostgreSQL 18 docs, "The Password File"), which libpq then refuses quoting the whole line
/// (`missing "=" after "db:5432:app:u:…"`). A line is one when its port field is a number or
/// `*` and none of the first four fields holds `=`, whitespace or `://`: a URL, a
/// keyword/value string or prose is not.
fn pgpass_passwords(input: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in input.split('\n') {
        let start = line_start;
        line_start += line.len() + 1;
        let line = line.trim_end_matches('\r');
        let mut colons = Vec::new();
        let mut escaped = false;
        for (at, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                ':' if colons.len() < 4 => colons.push(at),
                _ => {}
            }
        }
        let [port_colon, _, _, password_colon] = colons[..] else {
            continue;
        };
        let head = line.get(..password_colon).unwrap_or_default();
        let port = line.get(port_colon + 1..).and_then(|p| p.split(':').next()).unwrap_or_default();
        let port_like = port == "*" || (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()));
        let settings_like = head.contains(['=', ' ', '\t']) || line.contains("://");
        if port_like && !settings_like && password_colon + 1 < line.len() {
            found.push((start + password_colon + 1, start + line.len()));
        }
    }
    found
}

/// The password of `user:password@host` written without a whole `scheme://` before it: a
/// scheme short of a slash or a colon (`postgres:/app:pw@h`, `postgresql//app:pw@h`) or none
/// (`app:pw@h/db`), which libpq then rejects quoting the whole text (an outside review saw the
/// password shown so). A token (up to whitespace or a quote) holding `@`, after an optional
/// `scheme:/`, `scheme//`, a user and a password without `=`, `;` or `&` in them (an ADO.NET
/// `Host=db:5432;User Id=admin@srv` is no user information).
fn userinfo_without_scheme(input: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for token in input.split(ends_pasted_url) {
        let start = offset;
        offset += token.len() + 1;
        if !token.contains('@') || token.contains("://") {
            continue;
        }
        let rest_at = scheme_prefix_len(token);
        let rest = token.get(rest_at..).unwrap_or_default();
        let Some(at) = userinfo_end(rest) else {
            continue;
        };
        let userinfo = rest.get(..at).unwrap_or_default();
        let Some(colon) = userinfo.find(':') else {
            continue;
        };
        if userinfo.contains(['=', ';', '&', '/']) || colon + 1 >= at {
            continue;
        }
        found.push((start + rest_at + colon + 1, start + rest_at + at));
    }
    found
}

/// The length of a scheme written short of `://` at the start of `token`: letters, digits,
/// `+`, `.` or `-` after a first letter, then `:` and at least one `/`, or `//` alone.
fn scheme_prefix_len(token: &str) -> usize {
    let name_len = token
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && (c.is_ascii_digit() || matches!(c, '+' | '.' | '-')))))
        .map_or(token.len(), |(i, _)| i);
    let after = token.get(name_len..).unwrap_or_default();
    let colon = usize::from(after.starts_with(':'));
    let slashes = after
        .get(colon..)
        .unwrap_or_default()
        .bytes()
        .take_while(|b| *b == b'/')
        .count();
    let short = (colon == 1 && slashes >= 1) || (colon == 0 && slashes >= 2);
    if name_len > 0 && short {
        name_len + colon + slashes
    } else {
        0
    }
}

/// Each URL in `input` as the offset just after its `://` and the text from there on.
fn after_schemes(input: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    input.match_indices("://").filter_map(move |(at, _)| {
        let start = at + 3;
        input.get(start..).map(|rest| (start, rest))
    })
}

/// The password of user information that holds a quote or a space (`u:pa'ss@h`, `u:pa ss@h`,
/// `u:'pass'@h`), which SQLAlchemy's and other drivers' URL parsers read whole: such a
/// character also ends a URL pasted into prose ([`ends_pasted_url`]), which left the password
/// behind it unread. Where that character comes while the URL is still in its authority
/// (after a `:`, before any `/` or `?`), its user information runs on to the line's last `@`
/// before a query ([`userinfo_end`]). Over-masks at worst.
fn quoted_or_spaced_passwords(input: &str) -> Vec<(usize, usize)> {
    after_schemes(input)
        .filter_map(|(start, rest)| {
            let cut = Some(pasted_url_end(rest)).filter(|&cut| cut < rest.len())?;
            let cut_by = rest.get(cut..).and_then(|r| r.chars().next());
            let segment = rest.get(..cut).unwrap_or_default();
            // A `/` or `?` after a `:` whose text is no port is the password's own
            // (`app:Zq9X/Wk7V Mr2P@db`); after a port it starts the path or query.
            let in_password = segment.split_once(':').is_some_and(|(_, after)| {
                let head = after.split(['/', '?']).next().unwrap_or_default();
                !head.is_empty() && !port_number(head)
            });
            if !segment.contains(':') && cut_by == Some(' ') {
                return spaced_user_password(rest).map(|(a, b)| (start + a, start + b));
            }
            // An `@` before the space ends no user information when another follows it in
            // the authority: a host holds no space (`app:36915@18569 xMdn@h1`, whose
            // password's rest a secrets hunter saw quoted in libpq's message).
            let at_past_the_cut = rest
                .get(cut..authority_end(rest))
                .is_some_and(|after| after.contains('@'));
            if (segment.contains('@') && !at_past_the_cut)
                || !segment.contains(':')
                || (segment.contains(['/', '?']) && !in_password)
            {
                return None;
            }
            if matches!(cut_by, Some('\n' | '\r')) {
                return line_broken_password(rest, cut).map(|(a, b)| (start + a, start + b));
            }
            if cut_by == Some('\0') {
                return None;
            }
            // The password may hold a `/` or `?` besides the space (`app:Zq9X/Wk7V Mr2P@db`):
            // its `@` is the line's last one before a query, as for an unbroken URL.
            let line = rest.get(..rest.find(['\0', '\n', '\r']).unwrap_or(rest.len()))?;
            let authority = rest.get(..authority_end(rest)).unwrap_or_default();
            let last_at = userinfo_end(line).or_else(|| authority.rfind('@'))?;
            let colon = line.find(':').filter(|&c| c + 1 < last_at)?;
            Some((start + colon + 1, start + last_at))
        })
        .collect()
}

/// The password of user information whose user name holds a space (`my user:Zq9X@db`, which
/// URL parsers that allow it read whole; an outside review saw the text output's source line
/// show the password): a user name of at most four words without `/`, `?`, `@`, `=` or `;`,
/// then a `:` with no space after it (prose puts one there: `postgresql://host is down: see
/// me@example.com`), then the password up to the line's last `@` before a query.
fn spaced_user_password(rest: &str) -> Option<(usize, usize)> {
    let line = rest.get(..rest.find(['\0', '\n', '\r']).unwrap_or(rest.len()))?;
    let colon = line.find(':')?;
    let user = line.get(..colon)?;
    let words = user.split(' ').count();
    let password_starts = line.get(colon + 1..)?.chars().next().is_some_and(|c| !c.is_whitespace());
    if user.contains(['/', '?', '@', '=', ';', '\t']) || words > 4 || !password_starts {
        return None;
    }
    let last_at = userinfo_end(line).filter(|&at| at > colon + 1)?;
    Some((colon + 1, last_at))
}

/// The password of a URL authority (`rest`, the text after `://`) that a line break at `cut`
/// interrupts while still in its password (`postgres://app:Zq9X` and `Wk7V@db/x` on the next
/// line, a password wrapped by a terminal or an editor): the next line's first word, up to
/// its last `@` before any `/` or `?`, is the password's rest. A next line without such an `@`
/// (another setting, another URL) is not.
fn line_broken_password(rest: &str, cut: usize) -> Option<(usize, usize)> {
    let after = rest.get(cut..)?.trim_start_matches(['\r', '\n']);
    let next_line_at = rest.len() - after.len();
    let word = after.get(..after.find(ends_pasted_url).unwrap_or(after.len()))?;
    let authority = word.get(..word.find(['/', '?']).unwrap_or(word.len()))?;
    let last_at = authority.rfind('@')?;
    if word.contains("://") {
        return None;
    }
    let colon = rest.get(..cut)?.find(':')?;
    Some((colon + 1, next_line_at + last_at))
}

/// `scheme://user:password` with no `@host` after it: libpq (and every URL parser) reads
/// `user` as the host and the password as its port, which its messages then quote. A "port"
/// that is not a number, nor a template placeholder (`DB_PORT` among other such names), is
/// masked as the password it likely is; a mistyped port is over-masked at worst.
fn ports_without_host(input: &str) -> Vec<(usize, usize)> {
    let env_names = super::placeholder::env_style_names(input);
    after_schemes(input)
        .filter_map(|(start, rest)| {
            // Any `@` in the URL may end user information (`u:pa?ss@h`): the other finders' case.
            let url_end = pasted_url_end(rest);
            if rest.get(..url_end).unwrap_or_default().contains('@') {
                return None;
            }
            let mut end = rest
                .find(|c: char| ends_pasted_url(c) || matches!(c, '/' | '?' | '#'))
                .unwrap_or(rest.len());
            // A space in the "port" (`db:Ab cdEf9/app`) is the password's own: the authority
            // runs on past it, as for a spaced password before an `@`.
            if rest.get(end..).is_some_and(|r| r.starts_with([' ', '\t'])) {
                end = authority_end(rest);
            }
            // So is a bracket, quote or backtick glued between a "port" that is no number and
            // more text (`app:Zq9X>Wk7V/db`): a port is digits, so the text goes on being the
            // password, up to the authority's end or a space. One followed by a space or the
            // end closes a quoted or bracketed URL (`"postgres://h:-1" in …`).
            let cut_by_prose = rest.get(end..).is_some_and(|r| {
                let mut chars = r.chars();
                chars.next().is_some_and(|c| matches!(c, '<' | '>' | '"' | '\'' | '`'))
                    && chars.next().is_some_and(|c| !c.is_whitespace())
            });
            let head_port = rest
                .get(..end)
                .and_then(|a| a.split_once(':'))
                .map(|(_, port)| port);
            if cut_by_prose
                && head_port.is_some_and(|port| {
                    !port.is_empty() && !port_number(port) && !super::placeholder::is_placeholder(port)
                })
            {
                end = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '\0'))
                    .unwrap_or(rest.len());
            }
            // A `#` right after a "port" (`app:Zq9X#Wk7V`, `app:7319#Wk7V`), or a `?` after
            // one that is no number, followed by text without `=`, is the password's own:
            // libpq reads a `#` into the port, and a query or fragment of one word is no
            // setting.
            let head_is_word_port = rest
                .get(..end)
                .and_then(|a| a.split_once(':'))
                .is_some_and(|(_, port)| !port.is_empty() && !port_number(port));
            let has_port = rest.get(..end).is_some_and(|a| a.contains(':'));
            while rest.get(end..).is_some_and(|r| {
                (has_port && r.starts_with('#')) || (head_is_word_port && r.starts_with('?'))
            }) {
                let after = rest.get(end + 1..).unwrap_or_default();
                let word = after
                    .find(|c: char| ends_pasted_url(c) || matches!(c, '/' | '?' | '#'))
                    .unwrap_or(after.len());
                // After a `?` the whole element decides, spaces included (PostgreSQL 18
                // allows them around a query's `=`: `?require_auth  =…` is a setting); a `#`
                // is read into the port whatever follows.
                let element = after.split(['&', '#', '\n', '\r']).next().unwrap_or_default();
                let query = rest.get(end..).is_some_and(|r| r.starts_with('?'));
                if word == 0 || (query && element.contains('=')) {
                    break;
                }
                end += 1 + word;
            }
            let authority = rest.get(..end).unwrap_or_default();
            if authority.contains([',', '[', ']', '@']) {
                return None;
            }
            let colon = authority.find(':')?;
            let port = authority.get(colon + 1..).unwrap_or_default();
            let at = (start + colon + 1, start + end);
            let numbered = port_number(port)
                || super::placeholder::is_placeholder(port)
                || env_names.contains(&at);
            (!port.is_empty() && !numbered).then_some(at)
        })
        .collect()
}

/// Where a URL pasted into prose ends in `rest` (the text after its `://`): at the first
/// character that [`ends_pasted_url`], except the angle brackets of a documentation template
/// in the authority (`postgres://<USERNAME>:pw@h`, `…@<HOST>:5432`), which a real password
/// may stand beside. The length of `rest` when nothing ends it.
fn pasted_url_end(rest: &str) -> usize {
    let mut from = 0;
    loop {
        let Some(cut) = rest
            .get(from..)
            .and_then(|r| r.find(ends_pasted_url))
            .map(|at| from + at)
        else {
            return rest.len();
        };
        match template_end(rest, cut) {
            Some(after) => from = after,
            None => return cut,
        }
    }
}

/// The end of a `<NAME>` template starting at `at` in a URL's authority (`rest` is the text
/// after `://`): the `<` opens the authority or follows its `:` or `@`, and a `>` closes a run
/// of letters, digits, `_`, `-`, `.` and spaces before any `/` (`<your password>`, `<db
/// user>`: documentation writes its templates in words too).
fn template_end(rest: &str, at: usize) -> Option<usize> {
    let opens = rest.get(at..)?.starts_with('<')
        && (at == 0 || rest.get(..at).is_some_and(|b| b.ends_with([':', '@'])));
    if !opens {
        return None;
    }
    let name_len = rest
        .get(at + 1..)?
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')))?;
    let close = at + 1 + name_len;
    let name = rest.get(at + 1..close)?;
    (!name.trim().is_empty() && rest.get(close..)?.starts_with('>')).then_some(close + 1)
}

/// Where a URL's authority ends when a space or quote cut it short as prose: at the first
/// `/`, `?` or line end.
fn authority_end(rest: &str) -> usize {
    rest.find(['/', '?', '\0', '\n', '\r'])
        .unwrap_or(rest.len())
}

/// What ends a URL pasted into prose: libpq's NUL, whitespace, and the quotes and brackets
/// people put around one.
fn ends_pasted_url(c: char) -> bool {
    c == '\0'
        || c.is_whitespace()
        || matches!(
            c,
            '"' | '\''
                | '<'
                | '>'
                | '`'
                | '\u{201c}'
                | '\u{201d}'
                | '\u{2018}'
                | '\u{2019}'
        )
}

/// A URL scheme's name (RFC 3986 §3.1): a letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// [`url_password_spans`] with the URL ending where `url_end` says in the text after its
/// `://`, and its user information at what `userinfo` finds there.
fn url_password_spans_until(
    input: &str,
    url_end: fn(&str) -> usize,
    userinfo: fn(&str) -> Option<usize>,
) -> Vec<(usize, usize)> {
    after_schemes(input)
        .filter_map(|(start, rest)| {
            let end = url_end(rest);
            let segment = rest.get(..end).unwrap_or_default();
            let last_at = userinfo(segment)?;
            let user_information = segment.get(..last_at)?;
            // A whole URL pasted where the host goes (`jdbc:postgresql://postgres://app:pw@h`):
            // the outer "user information" is a scheme name, then the inner URL, whose own
            // `user:password` is found after its own `://`; the outer "password" would hide
            // the inner scheme. A `://` after a `:` (`app:ab://cd:ef@h`) is the password's.
            let inner_url = user_information.split_once("://").is_some_and(|(scheme, inner)| {
                is_scheme_name(scheme) && inner.contains(':')
            });
            if inner_url {
                return None;
            }
            let colon = user_information.find(':')?;
            (colon + 1 < last_at).then_some((start + colon + 1, start + last_at))
        })
        .collect()
}

/// Where the user information of a URL authority (`segment`, the text after `://`) ends: the
/// last `@` whose prefix is not yet a query (a `?` followed by `key=`). libpq ends it at the
/// last `@` before the first `/`, URL parsers at the last `@` before `?`; a password may hold
/// either character unencoded, so the query test is what tells them apart:
/// `u:pa?ss@h/db?user=a@b` ends after `pa?ss`.
pub(crate) fn userinfo_end(segment: &str) -> Option<usize> {
    let query_like = |prefix: &str| {
        prefix.match_indices('?').any(|(q, _)| {
            prefix.get(q..).is_some_and(|rest| rest.contains('='))
                && before_query_is_no_password(prefix.get(..q).unwrap_or_default())
        })
    };
    segment
        .match_indices('@')
        .map(|(at, _)| at)
        .rfind(|&at| !query_like(segment.get(..at).unwrap_or_default()))
}

/// Whether the text of a URL authority before a `?` (`head`) ends as hosts, ports or a path
/// would, rather than inside a password: it has user information already ended (`@`), an IPv6
/// literal's brackets, or an authority (up to a path's `/`) with no `:` at all or a port
/// number (or a placeholder for one, `${PGPORT}`) after its last `:`. Otherwise the `?` is
/// the password's own (`app:Zq9X?a=Wk7V@db`: an outside review saw such a password shown
/// whole, its `?a=` taken for a query), and so is a `/` before it
/// (`app:Zq9X/Wk7V?sslmode=require@db`, found by a secrets hunter: no path follows a port
/// that is no number).
fn before_query_is_no_password(head: &str) -> bool {
    let ipv6_literal = head.contains('[') && head.contains(']');
    if head.contains('@') || ipv6_literal {
        return true;
    }
    // A placeholder only when it is the whole port (`${PGPORT}`): `Ab12$Cd34` is a password
    // holding a `$` (a secrets hunter).
    let whole_placeholder = |port: &str| {
        super::placeholder::placeholder_in(port).is_some_and(|(start, end)| start == 0 && end == port.len())
    };
    let authority = head.split('/').next().unwrap_or_default();
    authority
        .rsplit_once(':')
        .is_none_or(|(_, port)| {
            // An empty "port" before the `?` or `/` starts a password there (`app:?Ab12=…@h1`).
            (!port.is_empty() && port_number(port)) || whole_placeholder(port)
        })
}

/// Digits, each written as itself or percent-encoded (`%35%34%33%32` is `5432`).
fn port_number(port: &str) -> bool {
    let mut bytes = port.as_bytes();
    while let Some((&first, rest)) = bytes.split_first() {
        bytes = match (first, rest) {
            (b'0'..=b'9', _) => rest,
            (b'%', [b'3', digit, after @ ..]) if digit.is_ascii_digit() => after,
            _ => return false,
        };
    }
    true
}

/// Keys whose values are secrets, in any driver's spelling (compared case-insensitively):
/// libpq's secret keywords, ADO.NET's `Pwd` and `SSL Password`, also as a server option
/// written without its space (`-cpassword=…`, `--password=…`) or as the last part of a dotted
/// configuration key or an environment variable (`spring.datasource.password=…`,
/// `POSTGRES_PASSWORD=…`, `DB_PASS=…`).
pub(crate) fn secret_key(key: &str) -> bool {
    let lower = key.trim().to_ascii_lowercase();
    // A dotted configuration key names its setting last (`spring.datasource.password`), and
    // so does an environment variable (`POSTGRES_PASSWORD`, `DB_PASS`, `MYSQL_PWD`).
    let last = lower
        .rsplit_once(['.', '_'])
        .map(|(_, last)| last)
        .filter(|last| !last.is_empty() && !lower.starts_with('-'));
    std::iter::once(lower.as_str())
        .chain(last)
        .any(names_a_secret)
        || names_a_credential(&lower)
        || bare_credential_name(&lower)
}

/// A key that is a credential's name alone (`token=…`, `Secret=…;`, `?auth=…`), compared
/// whole: as the last part of a longer key (`require_auth`) it names no secret. A secrets
/// hunter saw each shown. Not in a `name: value` label ([`labelled_secret_spans`]): libpq's
/// own messages read `invalid percent-encoded token: "…"`, which explain-error quotes.
fn bare_credential_name(lower: &str) -> bool {
    matches!(
        squeezed_key(lower).as_str(),
        "token" | "secret" | "bearer" | "credential" | "authorization" | "auth"
    )
}

/// [`secret_key`] for a key as written, or as a URL reader decodes it (libpq, `URLSearchParams`
/// and Go's `ParseQuery` decode a query key: `pass%77ord` is `password`, `api%5Fkey` is
/// `api_key`; a secrets hunter saw both values shown).
fn secret_key_as_read(key: &str) -> bool {
    secret_key(key) || percent_decoded_key(key).is_some_and(|decoded| secret_key(&decoded))
}

/// `key` with its `%XX` escapes decoded, when it has any and they decode to UTF-8 text.
/// (`syntax::percent_decoded` is libpq's decoder, which the parser uses and so cannot lend the
/// finders it keeps secrets with.)
fn percent_decoded_key(key: &str) -> Option<String> {
    if !key.contains('%') {
        return None;
    }
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let escaped = bytes
            .get(at + 1..at + 3)
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, escaped) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                at += 3;
            }
            _ => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A key naming a credential other than a password: an API key or token (Prisma's proxy URL
/// `prisma+postgres://…/?api_key=…`, which pgx reads as one key/value pair whose key is the
/// URL up to `=`), a client secret, a password under a longer name (`sslkeypassword`,
/// `keyPassword`). Matched at the key's end, separators left out (`api_key`, `apiKey`,
/// `ACCESS_TOKEN`, `client-secret`).
fn names_a_credential(lower: &str) -> bool {
    let squeezed = squeezed_key(lower);
    // Compound names only: a bare `token` or `secret` is a word of libpq's own messages
    // (`invalid percent-encoded token: "…"`), which explain-error reads. An outside review
    // listed the names people use (Supabase's `SERVICE_ROLE_KEY`, AWS's
    // `SECRET_ACCESS_KEY`, `session_token`, `id_token`, `githubToken`, `app_secret`).
    let compound = |name: &str| squeezed.len() > name.len() && squeezed.ends_with(name);
    ["token", "secret", "password", "passwd"].into_iter().any(compound)
        || [
            "apikey",
            "secretkey",
            "accesskey",
            "rolekey",
            "privatekey",
            "passphrase",
            "credentials",
            "jwt",
        ]
        .iter()
        .any(|name| squeezed.ends_with(name))
        || squeezed == "pw"
}

/// `key` without the separators and quotes people write inside one (`api_key`, `API-KEY`,
/// `ssl password`, `"password"`), for comparing names.
fn squeezed_key(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '"' | '\''))
        .collect()
}

/// [`secret_key`] for one lower-case name.
fn names_a_secret(lower: &str) -> bool {
    let key = lower
        .strip_prefix("--")
        .or_else(|| lower.strip_prefix("-c"))
        .unwrap_or(lower);
    keywords::is_secret(key)
        || matches!(key, "password" | "pwd" | "sslpassword" | "ssl password")
        || misspelt_password_key(key)
}

/// A key that means a password to the person who wrote it, though no driver reads it as one:
/// Npgsql's `PSW`, `passwd`, `pass`, `ssl_password`, and misspellings of `password` and
/// `sslpassword` within two edits (`pasword`, `passwrod`). Its value is theirs all the same,
/// and a "did you mean `password`" fix would copy it.
fn misspelt_password_key(key: &str) -> bool {
    let squeezed = squeezed_key(key);
    // Two edits never bridge a longer length difference: a long run (`Host=db;====…`, whose
    // every `=` asks for its key) is no password key, at no cost.
    matches!(squeezed.as_str(), "psw" | "passwd" | "pass" | "sslpassword")
        || ["password", "sslpassword"].iter().any(|target| {
            squeezed.len().abs_diff(target.len()) <= 2
                && keywords::edit_distance(&squeezed, target) <= 2
        })
}

/// What HikariCP writes for a password in the JDBC URL it logs (`DriverDataSource`,
/// HikariCP @01cafff4).
pub(crate) const HIKARI_MASK: &str = "<masked>";

/// Every `key=value` whose key is a secret's, in keyword/value, URL query, ADO.NET and JDBC
/// forms, found by position without parsing the string: the value runs to the closing quote
/// when quoted (`'…'` with `\'` escapes, `"…"` with `""`), else to the next separator — `&`
/// or `#` in a URL query, `;` in an ADO.NET string, whitespace otherwise.
pub(crate) fn keyed_secret_spans(input: &str) -> Vec<(usize, usize)> {
    // ADO.NET when `;` separates and the string is not a URL; a URL written inside a value
    // (`Application Name=postgresql://…`) comes after the first `=`.
    let ado = input.contains(';')
        && input
            .find("://")
            .is_none_or(|url| input.find('=').is_some_and(|eq| eq < url))
        && !libpq_settings_around_a_semicolon(input);
    let query_start = input.find('?');
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (eq, _) in input.match_indices('=') {
        // A key inside a secret already found is masked with it: reading its value again for
        // every such `=` made `password=x&password=x&…` quadratic (an outside review).
        if found.last().is_some_and(|&(_, end)| eq < end) {
            continue;
        }
        // The key: back to a separator (`=` too: `options=-cpassword=…` holds the key
        // `-cpassword`), past the spaces libpq allows before the `=` (`password = '…'`).
        let head = input.get(..eq).unwrap_or_default().trim_end_matches(' ');
        // Only the last few characters can hold a secret's key: scanning further back for
        // every `=` made a run of them (`Host=db;====…`) take quadratic time (an outside
        // review measured a minute for 8 KB).
        let (from, recent) = recent_text(head, LONGEST_SECRET_KEY);
        let key_after = |separator: Option<usize>| match separator {
            Some(p) => recent
                .get(p..)
                .and_then(|t| t.chars().next())
                .and_then(|c| recent.get(p + c.len_utf8()..))
                .unwrap_or_default(),
            None if from == 0 => recent,
            None => "",
        };
        let key = key_after(recent.rfind(|c: char| {
            c.is_whitespace() || matches!(c, ';' | '&' | '?' | '#' | '=' | '"' | '\'' | '(')
        }));
        // ADO.NET keys may contain spaces (`SSL Password`): take the run after the last `;`.
        let ado_key = key_after(recent.rfind(';'));
        // A key Npgsql knows is judged whole: the word after its last space is no key of its
        // own (`Require Auth`'s `Auth`, Npgsql 10, would read as a credential's name).
        let secret = if ado && npgsql_key(ado_key.trim()) {
            secret_key(ado_key)
        } else {
            secret_key_as_read(key) || (ado && secret_key(ado_key))
        };
        if !secret {
            continue;
        }
        let in_query = query_start.is_some_and(|q| q < eq);
        let before_key = recent
            .get(..recent.len().saturating_sub(key.len()))
            .unwrap_or_default();
        let in_command_line = key.starts_with("-c") || before_key.trim_end().ends_with("-c");
        let value = value_after(input, eq + 1, |rest| {
            if in_command_line {
                command_line_value_end(rest, in_query && !ado)
            } else if in_query && !ado {
                query_value_end(rest)
            } else if ado {
                ado_value_end(rest)
            } else {
                spaced_value_end(rest)
            }
        });
        // HikariCP's own mask (`DriverDataSource` logs `password=<masked>`) hides nothing
        // more: shown as written, it is the text the user finds in their log.
        found.extend(value.filter(|&(start, end)| input.get(start..end) != Some(HIKARI_MASK)));
    }
    found
}

/// Whether `input` reads as libpq's keyword/value settings that hold a `;` inside a value
/// rather than as an ADO.NET string: settings separated by whitespace (`host=db user=app
/// password=9zNUf8;k=8Ax4d sslmode=require`), and no element after a `;` starting with a key
/// Npgsql knows. libpq reads the `;` into the password, which runs to the next space; read as
/// ADO.NET, its rest was shown (a secrets hunter).
fn libpq_settings_around_a_semicolon(input: &str) -> bool {
    let spaced_settings = input
        .split_whitespace()
        .filter(|word| word.contains('='))
        .take(2)
        .count()
        == 2;
    spaced_settings
        && input.split(';').skip(1).all(|element| {
            let key = element.split('=').next().unwrap_or_default().trim();
            !npgsql_key(key)
        })
}

/// The span of the value that starts at `from` (past spaces and tabs after its `=` or `:`):
/// to its closing quote when quoted (`'…'` with `\'` escapes, `"…"` with `""`), else to where
/// `unquoted_end` says in the text from there on. `None` when empty.
fn value_after(
    input: &str,
    from: usize,
    unquoted_end: impl FnOnce(&str) -> usize,
) -> Option<(usize, usize)> {
    let bytes = input.as_bytes();
    let mut start = from;
    while bytes.get(start).is_some_and(|b| *b == b' ' || *b == b'\t') {
        start += 1;
    }
    let end = match bytes.get(start) {
        Some(&quote @ (b'\'' | b'"')) => {
            let closed = closing_quote(input, start, quote);
            closed + text_after_closing_quote(input.get(closed..).unwrap_or_default())
        }
        _ => start + unquoted_end(input.get(start..).unwrap_or_default()),
    };
    (end > start).then_some((start, end))
}

/// How much of `rest`, the text right after a quoted secret's closing quote, is still the
/// secret's: a word glued to the quote (`password='Zq9X'Wk7V'`, a password holding a quote
/// that was not escaped) is, as nothing separates it; libpq then refuses it as a keyword and
/// quotes it (`missing "=" after "Wk7V'"`). A separator, a closing bracket or another quote
/// right after the quote ends the value as written.
fn text_after_closing_quote(rest: &str) -> usize {
    let glued = rest.starts_with(|c: char| {
        !(c.is_whitespace() || matches!(c, ';' | '&' | ',' | '}' | ')' | ']' | '"' | '\'' | '\0'))
    });
    if glued {
        rest.find(|c: char| c.is_whitespace() || c == '\0')
            .unwrap_or(rest.len())
    } else {
        0
    }
}

/// Longer than any secret's key in any spelling (`--sslpassword`, `SSL Password`, with room
/// for misspellings and spaces).
const LONGEST_SECRET_KEY: usize = 48;

/// The last `at_most` bytes of `text` (fewer, to start on a character boundary), with where
/// they start.
fn recent_text(text: &str, at_most: usize) -> (usize, &str) {
    let mut from = text.len().saturating_sub(at_most);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    (from, text.get(from..).unwrap_or_default())
}

/// Every `key%3Dvalue` whose key is a secret's, percent-encoded inside a URL query value:
/// `options=-c%20password%3D…`, which every URL reader decodes to `-c password=…` (and the
/// server then refuses, quoting nothing) while no `=` of the input marks it. The key runs back
/// to a separator, an encoded space (`%20`) or a `+`; the value to the `&` or `#` that ends
/// the query element, whitespace or an encoded space. An outside generator of pasted strings
/// found the whole password shown in every dialect.
pub(crate) fn encoded_keyed_secret_spans(input: &str) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (at, _) in input.to_ascii_lowercase().match_indices("%3d") {
        if found.last().is_some_and(|&(_, end)| at < end) {
            continue;
        }
        let (from, recent) = recent_text(input.get(..at).unwrap_or_default(), LONGEST_SECRET_KEY);
        let separator = recent
            .rfind(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '?' | '#' | '=' | '+' | '"' | '\''))
            .map(|p| p + 1);
        let encoded_space = recent.to_ascii_lowercase().rfind("%20").map(|p| p + 3);
        let key = match separator.max(encoded_space) {
            Some(start) => recent.get(start..).unwrap_or_default(),
            None if from == 0 => recent,
            None => "",
        };
        if !secret_key(key) {
            continue;
        }
        let start = at + 3;
        let rest = input.get(start..).unwrap_or_default();
        // The query element's end, where an `&` or `#` followed by a bare word does not end
        // it ([`query_value_end`]); a raw space followed by a bare word does not either
        // ([`spaced_value_end`]): both are the password's own, unencoded.
        // Bounded by the encoded space first, so that a run of `password%3D…%20` costs
        // linear time.
        let bound = find_ignoring_case(rest, "%20").unwrap_or(rest.len());
        let value = rest.get(..bound).unwrap_or_default();
        let end = query_value_end(value).min(spaced_value_end(value));
        if end > 0 {
            found.push((start, start + end));
        }
    }
    found
}

/// Every `key: value` whose key is a secret's, as logs and configuration print settings: a
/// JSON or JavaScript object (`"password":"…"`, `{ password: '…' }`), a Python dict
/// (`'password': '…'`) or YAML (`Password: …`). The key is quoted or the `:` is followed by a
/// space, so that a URL's `user:password@` (a user called `password`) is not taken for one.
/// The value runs to its closing quote when quoted, else to whitespace, `,` or `}`. Found by
/// an outside review in pasted errors, where no other finder saw them.
pub(crate) fn labelled_secret_spans(input: &str) -> Vec<(usize, usize)> {
    let bytes = input.as_bytes();
    let mut found = Vec::new();
    for (colon, _) in input.match_indices(':') {
        let head = input.get(..colon).unwrap_or_default();
        let quote = head.chars().next_back().filter(|c| matches!(c, '"' | '\''));
        let key_end = head.len() - quote.map_or(0, char::len_utf8);
        let (from, key_text) = recent_text(head.get(..key_end).unwrap_or_default(), LONGEST_SECRET_KEY);
        let key = match key_text
            .rfind(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '"' | '\'' | '(' | '['))
        {
            Some(p) => key_text.get(p + 1..).unwrap_or_default(),
            None if from == 0 => key_text,
            None => "",
        };
        let spaced = bytes.get(colon + 1).is_some_and(|b| *b == b' ' || *b == b'\t');
        let named = secret_key(key) && !bare_credential_name(&key.to_ascii_lowercase());
        if key.is_empty() || !(quote.is_some() || spaced) || !named {
            continue;
        }
        found.extend(value_after(input, colon + 1, |rest| {
            rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | '\0'))
                .unwrap_or(rest.len())
        }));
    }
    found
}

/// Where `needle` (ASCII) first stands in `text`, in any case.
fn find_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Where a secret's value in a server command line (`-c password=…` in `options`) ends: at
/// ASCII whitespace, which is all the server splits `options` at (`pg_split_opts` in
/// PostgreSQL 18's `postinit.c`: `isspace`, with `\\` escaping the next character), so not at a
/// `;` or a no-break space, unless a bare word follows ([`spaced_value_end`]); at a quote that
/// ends the value holding the command line (one followed by a space or the end: the server
/// gives quotes no meaning); and in a URL query where the element ends ([`query_value_end`]).
fn command_line_value_end(rest: &str, in_query: bool) -> usize {
    let mut end = words_value_end(rest, |c| c.is_ascii_whitespace());
    let mut chars = rest.char_indices();
    while let Some((at, c)) = chars.next() {
        if at >= end {
            break;
        }
        if c == '\\' {
            chars.next();
        } else if matches!(c, '\'' | '"')
            && rest
                .get(at + 1..)
                .is_none_or(|after| after.is_empty() || after.starts_with(|c: char| c.is_ascii_whitespace()))
        {
            end = at;
        }
    }
    if in_query {
        end.min(query_value_end(rest))
    } else {
        end
    }
}

/// Where a secret's value in a URL query ends: at a NUL, or the `&` or `#` that starts the
/// next `key=value`. An `&` or `#` followed by text without `=` (`password=Zq9x&Wv7k&sslmode=…`,
/// `password=Zq9x#Wv7k`) is the password's own, unencoded: libpq then refuses `Wv7k` and
/// quotes it, and pgjdbc, which knows no fragment, reads `#Wv7k` as part of the password, so
/// it is masked with the rest of the password (a URL fragment at worst). So is a `key=value`
/// whose key no reader knows ([`stray_after_secret`], [`driver_keys::known_to_a_driver`]):
/// `password=Zq9x&k=Wv7k` shows `k=Wv7k` in every finding and fix otherwise (an outside
/// review saw it, and pgx sending it to the server); an unknown setting is over-masked at
/// worst.
fn query_value_end(rest: &str) -> usize {
    let end = rest.find('\0').unwrap_or(rest.len());
    let value = rest.get(..end).unwrap_or_default();
    value
        .match_indices(['&', '#'])
        .map(|(at, _)| at)
        .find(|&at| {
            let next = value.get(at + 1..).unwrap_or_default();
            let segment = next.split(['&', '#']).next().unwrap_or_default();
            segment
                .split_once('=')
                .is_some_and(|(key, _)| !query_key_of_the_secret(key))
        })
        .unwrap_or(end)
}

/// Whether `key`, after a query secret's unencoded `&` or `#`, is the secret's own text (an
/// empty key too: `password=Zq9X&=Wk7V` has no setting after the `&`).
fn query_key_of_the_secret(key: &str) -> bool {
    key.trim().is_empty() || (stray_after_secret(key) && !driver_keys::known_to_a_driver(key))
}

/// Whether `key`, written right after a secret's unquoted value and the separator that ended
/// it, is more likely the secret's own text than a setting: neither libpq nor Npgsql knows it
/// (under any of their spellings, or an older Npgsql name), and it is not within libpq's "did
/// you mean" distance of a keyword, which a misspelt setting is. A password holding an
/// unquoted space or `;` (`password=Ab cd=Ef9`, `Password=Ab;cd=Ef9`) is cut there, and the
/// driver then refuses the rest and quotes it: an outside review saw it shown. Over-masks an
/// unknown setting at worst.
pub(crate) fn stray_after_secret(key: &str) -> bool {
    let key = key.trim();
    !key.is_empty()
        && keywords::lookup(key).is_none()
        && keywords::closest(key).is_none()
        && !npgsql_key(key)
        && !secret_key_as_read(key)
}

/// A key Npgsql knows, by its name or a name it renamed.
fn npgsql_key(key: &str) -> bool {
    let key = key.trim();
    super::npgsql_keywords::knows(key)
        || super::npgsql_keywords::RENAMED
            .iter()
            .any(|(old, _)| old.eq_ignore_ascii_case(key))
}

/// Where an unquoted secret's value in an ADO.NET string ends: at a NUL or the `;` that starts
/// the next element, unless that element's key is [`stray_after_secret`] — the value's own
/// text after an unquoted `;`, which Npgsql rejects as `Couldn't set <key>` and quotes.
fn ado_value_end(rest: &str) -> usize {
    let element_end = |text: &str| text.find(['\0', ';']).unwrap_or(text.len());
    let mut end = element_end(rest);
    while rest.get(end..).is_some_and(|after| after.starts_with(';')) {
        // Empty elements (`;;`) between the value and a stray element join with it.
        let semicolons = rest
            .get(end..)
            .map_or(0, |after| after.len() - after.trim_start_matches(';').len());
        let next = rest.get(end + semicolons..).unwrap_or_default();
        let element = next.get(..element_end(next)).unwrap_or_default();
        // Spaces after the `;` are the element's, not its first word's (`Password = Zq9X ;
        // Wk7V;…`: a secrets hunter saw `Wk7V` shown).
        let lead = element.len() - element.trim_start_matches([' ', '\t']).len();
        let key = element.split('=').next().unwrap_or_default().trim();
        // An element with whitespace in it may be keyword/value settings that a driver reading
        // the string as libpq's (pgx) keeps: `Password=Vt4k Jw8r;X=1 Host=b` sets the host.
        // Its first word is still the password's own text when it is a bare word and the
        // element no Npgsql setting (`SSL Mode=…`): libpq reads `password=Zq9X;Wk7V dbname=x`,
        // as a log echoes the settings, to the space.
        let words = element.get(lead..).unwrap_or_default().trim_end_matches([' ', '\t']);
        // An element with no `=` at all is no setting in either reading: all of it is the
        // password's (`Password=Ab12;Cd34 Ef56;Database=…`, whose `Ef56` a secrets hunter saw).
        if !element.contains('=') && !words.is_empty() {
            end += semicolons + element.len();
            continue;
        }
        if let Some(space) = words.find(char::is_whitespace) {
            let word = words.get(..space).unwrap_or_default();
            if !word.contains('=') && stray_after_secret(word) && !npgsql_key(key) {
                end += semicolons + lead + space;
            }
            break;
        }
        if !stray_after_secret(key) {
            break;
        }
        end += semicolons + element.len();
    }
    end
}

/// Where an unquoted secret's value in a keyword/value string ends: at whitespace, unless a
/// word follows on the same line that is the password's own text after an unquoted space:
/// a bare word (no `=` in it, and none after it past spaces: `key = value` is a setting),
/// which libpq refuses (`missing "=" after "…"`), or `key=…` with a key that is
/// [`stray_after_secret`], which libpq refuses as an invalid option. libpq quotes either, and
/// it is masked with the rest (`password=Ab cdEf9`). Over-masks at worst.
fn spaced_value_end(rest: &str) -> usize {
    // libpq (`conninfo_parse`: `isspace`) and pgx (`asciiSpace`) end a value at ASCII
    // whitespace only: a no-break space is the password's (an outside review saw the rest
    // after one shown).
    words_value_end(rest, |c| c.is_ascii_whitespace())
}

/// [`spaced_value_end`] with the reader's own idea of a space.
fn words_value_end(rest: &str, space: fn(char) -> bool) -> usize {
    let word_end = |text: &str| text.find(|c: char| c == '\0' || space(c)).unwrap_or(text.len());
    let mut end = word_end(rest);
    loop {
        let after = rest.get(end..).unwrap_or_default();
        // libpq ends an unquoted value at any whitespace, a line break too (`password=Zq9X` and
        // `Wk7V` on the next line, seen by an outside review).
        let next = after.trim_start_matches([' ', '\t', '\n', '\r']);
        let word = next.get(..word_end(next)).unwrap_or_default();
        let then = next.get(word.len()..).unwrap_or_default();
        // A word starting with `-` is a flag of its own: `-c` in `options=-c password=… -c
        // statement_timeout=30s`, where the value is a command line.
        let setting = match word.split_once('=') {
            Some((key, _)) => !stray_after_secret(key),
            None => then.trim_start_matches([' ', '\t']).starts_with('='),
        };
        if word.is_empty() || word.starts_with('-') || setting {
            return end;
        }
        end += after.len() - next.len() + word.len();
    }
}

/// The end of a value quoted with `quote` starting at `start` (past the closing quote; the
/// whole rest when unterminated). A backslash escapes in `'…'`, a doubled quote in either.
fn closing_quote(input: &str, start: usize, quote: u8) -> usize {
    let bytes = input.as_bytes();
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        if quote == b'\'' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote {
            // A doubled quote is ADO.NET's escape in either quote (`'it''s'`), and what a
            // user writing a quote into a libpq value means by it.
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    input.len()
}

/// A non-secret value with any secret written inside it masked: a URL with a password pasted
/// into `options` or `application_name`, or `-c password=…`. The lenient finders already mask
/// these in the shown input; a rendering decodes and re-encodes the value (`p%3Aw` of the input
/// comes back as the same bytes in a query, `password=x` as `password%3Dx`), so the echo test
/// cannot see them there and they are masked before rendering instead.
///
/// The value is decoded, so a password that the input percent-encoded stands here with its
/// `>`, quote, space or `?…=` written out (`…://u%40s:p%3Ew@h` arrives as `…://u@s:p>w@h`):
/// URLs are also looked for as ending only at a NUL, with the user information up to the
/// last `@`, which over-masks at worst.
pub fn without_embedded_secrets(value: &str) -> String {
    without_secrets(value, &HiddenSecrets::default())
}

/// [`without_embedded_secrets`], and with every occurrence of a secret text the shown input
/// hides (`hidden`) masked too: a value that a broken paste or a re-encoding rebuilt (a URL's
/// path holding `user:secret@…` once the `//` went to the host) keeps no finder's shape, but
/// it can only hold the string's own secrets.
pub fn without_secrets(value: &str, hidden: &HiddenSecrets) -> String {
    let mut spans = url_password_spans(value);
    for secret in &hidden.0 {
        spans.extend(
            value
                .match_indices(secret.as_str())
                .map(|(at, s)| (at, at + s.len())),
        );
    }
    spans.extend(url_password_spans_until(
        value,
        |rest| rest.find('\0').unwrap_or(rest.len()),
        |segment| segment.rfind('@'),
    ));
    spans.extend(keyed_secret_spans(value));
    spans.extend(encoded_keyed_secret_spans(value));
    spans.extend(labelled_secret_spans(value));
    spans.retain(|(a, b)| a < b && value.is_char_boundary(*a) && value.is_char_boundary(*b));
    masked_at(value, spans)
}

/// The secret texts of a string that its shown input hides everywhere (at least four
/// characters, longest first): the outputs built from the string hide them too. A secret whose
/// text also stands in the shown input (the password `postgres` beside the user `postgres`)
/// is not one: masking it elsewhere would break the rendering and tell the password.
/// `Debug` shows only how many there are.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HiddenSecrets(pub(crate) Vec<String>);

impl std::fmt::Debug for HiddenSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HiddenSecrets({} redacted)", self.0.len())
    }
}

impl HiddenSecrets {
    /// The hidden secrets of `input`, whose parse found the secret values `parsed` (decoded)
    /// at `parsed_spans`; with the texts the finders mark, as written and as `decode` (the
    /// parse's percent-decoding) reads them: a password that a URL without `@host` puts where
    /// the port goes is a decoded port value to the parse, rendered in the query when it holds
    /// a `,`.
    pub(crate) fn find(
        input: &str,
        parsed: Vec<String>,
        parsed_spans: Vec<(usize, usize)>,
        decode: fn(&str) -> Option<String>,
    ) -> HiddenSecrets {
        let finds = finds_with(input, parsed_spans);
        let shown = masked_in_place(input, &merged(finds.clone()));
        let written: Vec<String> = finds
            .iter()
            .filter_map(|&(a, b)| input.get(a..b).map(str::to_string))
            .collect();
        let decoded: Vec<String> = written.iter().filter_map(|text| decode(text)).collect();
        HiddenSecrets(texts_to_mask(
            parsed
                .into_iter()
                .chain(written)
                .chain(decoded)
                .filter(|s| !shown.contains(s.as_str())),
        ))
    }
}

/// Secret texts to mask wherever they appear: those of at least four characters (shorter
/// ones stand inside ordinary words), longest first (so that a secret holding another is
/// masked whole), without repeats.
pub(crate) fn texts_to_mask(texts: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut texts: Vec<String> = texts
        .into_iter()
        .filter(|s| s.chars().count() >= 4)
        .collect();
    texts.sort_by_key(|s| std::cmp::Reverse(s.len()));
    texts.dedup();
    texts
}

/// The secrets' byte ranges in `input`: `parsed` (where a parse found secret values) and what
/// the lenient finders mark, sorted, possibly overlapping.
pub(crate) fn finds_with(input: &str, mut parsed: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    parsed.extend(url_password_spans(input));
    parsed.extend(keyed_secret_spans(input));
    parsed.extend(encoded_keyed_secret_spans(input));
    parsed.extend(labelled_secret_spans(input));
    parsed.retain(|(a, b)| a < b && input.is_char_boundary(*a) && input.is_char_boundary(*b));
    crate::sort::sort(&mut parsed);
    parsed.dedup();
    parsed
}

/// Sorted `finds` with overlapping ones joined.
pub(crate) fn merged(finds: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in finds {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// `input` with the bytes of `spans` overwritten by `*` (offsets unchanged).
pub(crate) fn masked_in_place(input: &str, spans: &[(usize, usize)]) -> String {
    let mut bytes = input.as_bytes().to_vec();
    for &(start, end) in spans {
        for byte in bytes.iter_mut().take(end).skip(start) {
            *byte = b'*';
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `text` with each of `cuts` (byte ranges, in any order, possibly overlapping) replaced by
/// [`REDACTED`].
pub(crate) fn masked_at(text: &str, mut cuts: Vec<(usize, usize)>) -> String {
    if cuts.is_empty() {
        return text.to_string();
    }
    crate::sort::sort(&mut cuts);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut masked_to: Option<usize> = None;
    for (start, end) in cuts {
        if end <= at {
            continue;
        }
        // A cut touching or overlapping the one before extends its mask: one mask per run.
        if masked_to.is_none_or(|to| start > to) {
            out.push_str(text.get(at..start.max(at)).unwrap_or_default());
            out.push_str(REDACTED);
        }
        at = end;
        masked_to = Some(end);
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}


#[cfg(test)]
mod tests {
    use super::*;

    /// Found by an outside review: logs print settings as objects and dicts, and a pasted
    /// error line showed the password so.
    #[test]
    fn labelled_passwords_in_logs_are_found() {
        for (input, password) in [
            (r#"{"level":"error","password":"Zq9X Wk7V"}"#, r#""Zq9X Wk7V""#),
            ("Error: connect ECONNREFUSED { user: 'app', password: 'Zq9X' }", "'Zq9X'"),
            ("{'password': 'Zq9X', 'host': 'db'}", "'Zq9X'"),
            ("Password: Zq9XWk7V", "Zq9XWk7V"),
            ("sslpassword: Zq9X, host: db", "Zq9X"),
        ] {
            let found: Vec<&str> = labelled_secret_spans(input)
                .iter()
                .filter_map(|&(a, b)| input.get(a..b))
                .collect();
            assert_eq!(found, [password], "{input}");
        }
        // A user called `password` in a URL, and prose, are no labels.
        for input in [
            "postgresql://password:Zq9X@db/app",
            "FATAL: password authentication failed for user \"app\"",
        ] {
            assert!(labelled_secret_spans(input).is_empty(), "{input}");
        }
    }

    /// Found by the fuzz smoke: two finds of one secret (the parse's and a finder's) came out
    /// as two masks side by side.
    /// Found by an outside review: an unencoded `&` in a password left its tail in the clear,
    /// and libpq quotes that tail in its error.
    #[test]
    fn a_query_password_runs_to_the_next_parameter() {
        let input = "postgresql://alice@h/app?password=Zq9x&Wv7k&sslmode=require#x";
        let spans = keyed_secret_spans(input);
        let found: Vec<&str> = spans.iter().filter_map(|&(a, b)| input.get(a..b)).collect();
        assert_eq!(found, ["Zq9x&Wv7k"]);
        let input = "postgresql://alice@h/app?password=Zq9x&&sslmode=require";
        let spans = keyed_secret_spans(input);
        let found: Vec<&str> = spans.iter().filter_map(|&(a, b)| input.get(a..b)).collect();
        assert_eq!(found, ["Zq9x&"]);
        let input = "postgresql://alice@h/app?password=Zq9x#sslmode=require";
        let spans = keyed_secret_spans(input);
        let found: Vec<&str> = spans.iter().filter_map(|&(a, b)| input.get(a..b)).collect();
        assert_eq!(found, ["Zq9x"]);
    }

    /// Found by an outside review: a misspelt password key's value was shown, and the "did
    /// you mean" fix turned it into a real `password=` with the value in it.
    /// A whole URL pasted where a JDBC URL's host goes keeps its scheme in view (a driver
    /// expert saw `jdbc:postgresql://postgres:********@…` hide the doubled scheme); a `://`
    /// inside a password is masked with it.
    #[test]
    fn a_url_pasted_inside_a_url_keeps_its_scheme_shown() {
        for (input, shown) in [
            (
                "jdbc:postgresql://postgres://app:Zq9XWk7V@db.example.com:5434/app:5434/app",
                "jdbc:postgresql://postgres://app:********@db.example.com:5434/app:5434/app",
            ),
            ("postgres://app:ab://cd:Zq9X@db.example.com/app", "postgres://app:********@db.example.com/app"),
            ("postgres://app:ab://Zq9X@db.example.com/app", "postgres://app:********@db.example.com/app"),
        ] {
            assert_eq!(masked_at(input, url_password_spans(input)), shown);
        }
    }

    #[test]
    fn misspelt_password_keys_hold_secrets() {
        for key in ["pasword", "passwrod", "Pasword", "PSW", "ssl_password", "passwd", "pasword "] {
            assert!(secret_key(key), "{key}");
        }
        for key in ["sslkeypassword", "keyPassword", "token", "Secret", "AUTH"] {
            assert!(secret_key(key), "{key}");
        }
        for key in ["passfile", "port", "user", "sslmode", "application_name", "pass_through", "require_auth"] {
            assert!(!secret_key(key), "{key}");
        }
    }

    #[test]
    fn overlapping_or_touching_cuts_make_one_mask() {
        assert_eq!(masked_at("abcdefg", vec![(0, 3), (2, 5)]), "********fg");
        assert_eq!(masked_at("abcdefg", vec![(2, 4), (0, 2)]), "********efg");
        assert_eq!(masked_at("abcdefg", vec![(0, 1), (3, 4)]), "********bc********efg");
        assert_eq!(masked_at("abc", vec![]), "abc");
    }
}
