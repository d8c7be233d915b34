//! Turning a parsed connection string back into text without its secrets.
//!
//! **Invariant:** nothing rendered here from a `Conninfo` contains a secret value (`password`,
//! `sslpassword`, SCRAM keys, OAuth client secret): `render` and `render_with` drop them.
//! Rendered strings are what fixes offer as replacements, so they are also valid libpq
//! strings: re-parsing one yields the same non-secret parameters. The pair renderers
//! (`render_keyword_value`, `render_uri`) write whatever pairs they are given; only
//! `conninfo::edit`, rewriting the user's own string in the page, passes them secrets.

use super::keywords;
use super::syntax::{Conninfo, Form};

pub const REDACTED: &str = "********";

/// A change to apply while rendering a fix: set (or add) a keyword, or remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit<'a> {
    Set(&'a str, &'a str),
    Remove(&'a str),
}

/// The string without secrets, in the form it was written in.
pub fn render(conninfo: &Conninfo) -> String {
    render_with(conninfo, &[])
}

/// The string without secrets and with `edits` applied, in the form it was written in.
pub fn render_with(conninfo: &Conninfo, edits: &[Edit<'_>]) -> String {
    let mut pairs: Vec<(String, String)> = conninfo
        .params
        .iter()
        .filter(|p| !keywords::is_secret(p.keyword))
        .map(|p| (p.keyword.to_string(), p.value.clone()))
        .collect();
    for edit in edits {
        match edit {
            Edit::Set(keyword, value) => match pairs.iter_mut().find(|(k, _)| k == keyword) {
                Some(pair) => pair.1 = value.to_string(),
                None => pairs.push((keyword.to_string(), value.to_string())),
            },
            Edit::Remove(keyword) => pairs.retain(|(k, _)| k != keyword),
        }
    }
    match conninfo.form {
        Form::KeywordValue => render_keyword_value(&pairs),
        Form::Uri => render_uri(&pairs),
    }
}

/// `keyword=value` pairs; values quoted when empty or when they hold whitespace, quotes or
/// backslashes (libpq docs §32.1.1.1).
pub fn render_keyword_value(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", quote_value(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn quote_value(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b == 0x0b || b == b'\'' || b == b'\\');
    if !needs_quotes {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `postgresql://[user[:password]@]host[:port][,host[:port]]/[dbname][?k=v&...]`. Host lists go in the
/// authority when every host can be written there; Unix socket directories go in the query.
pub fn render_uri(pairs: &[(String, String)]) -> String {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let mut out = String::from("postgresql://");
    let user = get("user").filter(|u| !u.is_empty());
    // The password goes where people write it, beside the user (libpq docs §32.1.1.2); an
    // empty one, or one without a user, goes in the query like every other parameter.
    let userinfo_password = get("password").filter(|p| !p.is_empty() && user.is_some());
    if let Some(user) = user {
        out.push_str(&percent_encode(user));
        if let Some(password) = userinfo_password {
            out.push(':');
            out.push_str(&percent_encode(password));
        }
        out.push('@');
    }
    let host = get("host").unwrap_or_default();
    let port = get("port").unwrap_or_default();
    let hosts: Vec<&str> = host.split(',').collect();
    let ports: Vec<&str> = port.split(',').collect();
    // A host fits the authority when libpq will read it back unchanged: no socket paths, and
    // a ':' only inside an IPv6 literal (written in brackets).
    let fits_authority = |h: &&str| {
        !h.contains('/')
            && !h.starts_with('@')
            && (!h.contains(':') || h.parse::<std::net::Ipv6Addr>().is_ok())
    };
    // libpq joins the ports it finds in the authority with one ',' per host separator, so a
    // host list goes there only with a port list of exactly one element per host (empty
    // elements are fine: they come back as the same commas). Anything else goes in the query.
    let ports_match = !port.is_empty() && ports.len() == hosts.len();
    let authority_ok =
        !host.is_empty() && hosts.iter().all(fits_authority) && (hosts.len() == 1 || ports_match);
    // An empty user cannot be written before '@' (libpq skips an empty one there); it goes in
    // the query like every other parameter.
    let mut in_authority: Vec<&str> = Vec::new();
    if user.is_some() {
        in_authority.push("user");
    }
    if userinfo_password.is_some() {
        in_authority.push("password");
    }
    if authority_ok {
        in_authority.push("host");
        let ports_in_authority = ports_match;
        if ports_in_authority {
            in_authority.push("port");
        }
        let rendered: Vec<String> = hosts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let host = if h.contains(':') {
                    format!("[{h}]")
                } else {
                    percent_encode(h)
                };
                let port = ports.get(i).filter(|_| ports_in_authority);
                match port.filter(|p| !p.is_empty()) {
                    Some(p) => format!("{host}:{}", percent_encode(p)),
                    None => host,
                }
            })
            .collect();
        out.push_str(&rendered.join(","));
    }
    if let Some(db) = get("dbname").filter(|d| !d.is_empty()) {
        in_authority.push("dbname");
        out.push('/');
        out.push_str(&percent_encode(db));
    }
    let query: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| !in_authority.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    if !query.is_empty() {
        if !out.ends_with('/') && get("dbname").filter(|d| !d.is_empty()).is_none() {
            out.push('/');
        }
        out.push('?');
        out.push_str(&query.join("&"));
    }
    out
}

/// The password of every URL's user information, found leniently so that it is masked even
/// where no dialect parses the string: any scheme (`jdbc:postgresql://`, `POSTGRESQL://`,
/// `postgresql+asyncpg://`), inside quotes or brackets, and up to the *last* `@` before the
/// query, so that an unencoded `@` in the password (`app:p@ssw0rd@db`) does not leave its tail
/// in the clear. Over-masking a host is harmless; showing a password is not.
fn url_passwords(input: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = input.get(from..).and_then(|s| s.find("://")) {
        let start = from + at + 3;
        from = start;
        let rest = input.get(start..).unwrap_or_default();
        let end = rest
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '"' | '\''
                            | '<'
                            | '>'
                            | '\u{201c}'
                            | '\u{201d}'
                            | '\u{2018}'
                            | '\u{2019}'
                            | '`'
                    )
            })
            .unwrap_or(rest.len());
        let segment = rest.get(..end).unwrap_or_default();
        let before_query = segment.find('?').unwrap_or(segment.len());
        let Some(last_at) = segment.get(..before_query).and_then(|s| s.rfind('@')) else {
            continue;
        };
        let userinfo = segment.get(..last_at).unwrap_or_default();
        if let Some((_, password)) = userinfo.split_once(':') {
            if !password.is_empty() {
                found.push(password);
            }
        }
    }
    found
}

/// Raw text of every secret written in keyword/value form (best effort: the parse failed).
fn keyword_value_secrets(input: &str) -> Vec<&str> {
    let mut secrets = Vec::new();
    for keyword in keywords::KEYWORDS.iter().filter(|k| k.secret) {
        let mut search = 0;
        while let Some(found) = input.get(search..).and_then(|s| s.find(keyword.name)) {
            let after = search + found + keyword.name.len();
            let value = input.get(after..).unwrap_or_default().trim_start();
            if let Some(value) = value.strip_prefix('=') {
                let value = value.trim_start();
                let end = value
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(value.len());
                if let Some(v) = value.get(..end).filter(|v| !v.is_empty()) {
                    secrets.push(v.trim_matches('\''));
                }
            }
            search = after;
        }
    }
    secrets
}

/// libpq quotes components and whole URIs in its messages; replace any secret in `message`.
pub fn redact_message(input: &str, message: &str) -> String {
    let mut secrets: Vec<&str> = url_passwords(input);
    secrets.extend(keyword_value_secrets(input));
    let mut out = message.to_string();
    for secret in secrets.into_iter().filter(|s| s.len() >= 2) {
        out = out.replace(secret, REDACTED);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::syntax::parse;

    #[test]
    fn secrets_never_rendered() {
        let Ok(c) = parse("postgresql://u:s3cret@h/db?sslpassword=x1x2&sslmode=require") else {
            panic!("parses");
        };
        let rendered = render(&c);
        assert!(
            !rendered.contains("s3cret") && !rendered.contains("x1x2"),
            "{rendered}"
        );
        assert_eq!(rendered, "postgresql://u@h/db?sslmode=require");
    }

    #[test]
    fn rendered_strings_reparse_to_the_same_params() {
        for input in [
            "host='/var/run/postgresql' dbname='a b' application_name='it\\'s'",
            "postgresql://u@[::1]:5433,h2:5434/d%20b?sslmode=verify-full&options=-c%20x%3Dy",
            "postgresql:///db?host=/tmp&port=5433",
            "postgresql:///db?host=not:ipv6,h2&port=1,2",
            "postgresql:// @h",
            "postgresql://h?port=",
            "postgresql://a,b/db?port=5432",
            "postgresql://a,b/db?port=%2C",
            "postgresql://%2cram_client86",
            "postgresql://h1:1,h2/db",
        ] {
            let Ok(c) = parse(input) else {
                panic!("{input}")
            };
            let rendered = render(&c);
            let Ok(again) = parse(&rendered) else {
                panic!("{rendered}")
            };
            let a: Vec<_> = c.params.iter().map(|p| (p.keyword, &p.value)).collect();
            let b: Vec<_> = again.params.iter().map(|p| (p.keyword, &p.value)).collect();
            let mut a = a;
            let mut b = b;
            a.sort();
            b.sort();
            assert_eq!(a, b, "{input} -> {rendered}");
        }
    }

    #[test]
    fn url_passwords_are_found_in_any_scheme_and_whole() {
        for (input, password) in [
            ("jdbc:postgresql://app:S3cretPw@db:5432/app", "S3cretPw"),
            ("POSTGRESQL://app:S3cretPw@db/app", "S3cretPw"),
            (
                "\u{201c}postgresql://app:S3cretPw@db/app\u{201d}",
                "S3cretPw",
            ),
            (
                "postgresql+asyncpg://app:S3cretPw@db/app?ssl=require",
                "S3cretPw",
            ),
            ("postgresql://app:p@ssw0rd@db.example.com/app", "p@ssw0rd"),
            (
                "DATABASE_URL=\"postgres://u:pw-x@h/d?user=a@b.com\"",
                "pw-x",
            ),
        ] {
            assert_eq!(url_passwords(input), vec![password], "{input}");
        }
        assert!(url_passwords("postgresql://app@db/app?x=a:b@c").is_empty());
    }

    #[test]
    fn messages_lose_the_password() {
        let input = "postgres://u:hunter22@[::1";
        let message = format!("... in URI: \"{input}\"");
        assert!(!redact_message(input, &message).contains("hunter22"));
    }
}

/// Byte ranges of secret values in `input`: exact for strings libpq parses, and found the way
/// [`redact_message`] finds them otherwise (rejected strings, other drivers' dialects, where
/// `Password=` in any case counts too).
pub fn secret_spans(input: &str, conninfo: Option<&Conninfo>) -> Vec<(usize, usize)> {
    // The parse knows where the value libpq keeps came from; a keyword given twice (or a
    // URI password overridden by `?password=`) leaves earlier copies that are just as secret,
    // so the textual search always runs too.
    let mut ranges: Vec<(usize, usize)> = conninfo
        .map(|conninfo| {
            conninfo
                .params
                .iter()
                .filter(|p| keywords::is_secret(p.keyword))
                .map(|p| (p.value_span.start, p.value_span.end))
                .collect()
        })
        .unwrap_or_default();
    let mut secrets: Vec<&str> = url_passwords(input);
    secrets.extend(keyword_value_secrets(input));
    secrets.extend(delimited_password_values(input));
    for secret in secrets.into_iter().filter(|s| !s.is_empty()) {
        let mut from = 0;
        while let Some(found) = input.get(from..).and_then(|s| s.find(secret)) {
            ranges.push((from + found, from + found + secret.len()));
            from += found + secret.len();
        }
    }
    crate::sort::sort(&mut ranges);
    ranges.dedup();
    ranges
}

/// `Password=…;` (Npgsql, ADO.NET) and `password=…&` (URL queries), any case.
fn delimited_password_values(input: &str) -> Vec<&str> {
    let lower = input.to_ascii_lowercase();
    let mut found = Vec::new();
    for key in ["password", "pwd", "sslpassword"] {
        let mut from = 0;
        while let Some(at) = lower.get(from..).and_then(|s| s.find(key)) {
            let after = from + at + key.len();
            let rest = input.get(after..).unwrap_or_default();
            let trimmed = rest.trim_start();
            if let Some(value) = trimmed.strip_prefix('=') {
                let end = value.find([';', '&']).unwrap_or(value.len());
                if let Some(v) = value.get(..end).map(str::trim).filter(|v| !v.is_empty()) {
                    found.push(v);
                }
            }
            from = after;
        }
    }
    found
}

/// `input` with the bytes of every secret overwritten by `*`, so that it can be shown with
/// spans still pointing at the same offsets.
pub fn mask_input(input: &str, conninfo: Option<&Conninfo>) -> String {
    let mut bytes = input.as_bytes().to_vec();
    for (start, end) in secret_spans(input, conninfo) {
        for byte in bytes.iter_mut().take(end).skip(start) {
            *byte = b'*';
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Keep the masking honest: the masked text never contains a secret value of two characters
/// or more.
#[cfg(test)]
mod mask_tests {
    use super::*;
    use crate::conninfo::syntax::parse;

    #[test]
    fn masks_parsed_and_unparsed_secrets() {
        let input = "postgresql://me:sup3rsecret@h/db?sslpassword=k3y";
        let c = parse(input).ok();
        let masked = mask_input(input, c.as_ref());
        assert_eq!(masked.len(), input.len());
        assert!(
            !masked.contains("sup3rsecret") && !masked.contains("k3y"),
            "{masked}"
        );
        for overridden in [
            "host=a password=hunter22 password=y",
            "postgresql://u:hunter22@h?password=y",
        ] {
            let c = parse(overridden).ok();
            assert!(
                !mask_input(overridden, c.as_ref()).contains("hunter22"),
                "{overridden}"
            );
        }
        let broken = "postgresql://me:sup3rsecret@[::1";
        assert!(!mask_input(broken, None).contains("sup3rsecret"));
    }
}
