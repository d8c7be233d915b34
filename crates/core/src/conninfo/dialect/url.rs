//! URL pieces with byte spans into the original input, shared by the URL-shaped dialects.
//!
//! Drivers disagree on the details (which `@` ends the credentials, whether `#` starts a
//! fragment, whether `+` is a space), so the splitter takes those as parameters and each driver
//! module documents the choice it makes, with its source.

use super::kv::Setting;
use crate::diagnostic::Span;

/// Which `@` in the authority separates the credentials from the host list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum At {
    /// The first `@` (libpq, Python `str.partition`).
    First,
    /// The last `@` (WHATWG URL, Go `net/url`, Rust `url`).
    Last,
}

/// Whether `+` in a query means a space (`application/x-www-form-urlencoded`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plus {
    Space,
    Literal,
}

/// `scheme://[user[:password]@]authority[/path][?query][#fragment]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlParts {
    pub scheme: Span,
    pub user: Option<Span>,
    pub password: Option<Span>,
    /// The host list (after the credentials), possibly empty.
    pub authority: Span,
    /// After the `/` that ends the authority.
    pub path: Option<Span>,
    /// After the `?`.
    pub query: Option<Span>,
    /// After the `#`, when the driver treats `#` as a fragment delimiter.
    pub fragment: Option<Span>,
}

pub(crate) fn text(input: &str, span: Span) -> &str {
    input.get(span.start..span.end).unwrap_or_default()
}

fn find_from(input: &str, from: usize, pred: impl Fn(u8) -> bool) -> usize {
    input
        .as_bytes()
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, b)| pred(**b))
        .map_or(input.len(), |(i, _)| i)
}

/// Splits `input`; `None` when there is no `scheme://`.
pub(crate) fn split_url(input: &str, at: At, fragments: bool) -> Option<UrlParts> {
    let separator = input.find("://")?;
    let scheme = input.get(..separator)?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return None;
    }
    let start = separator + 3;
    let authority_end = find_from(input, start, |b| {
        b == b'/' || b == b'?' || (fragments && b == b'#')
    });
    let authority = input.get(start..authority_end).unwrap_or_default();
    let at_position = match at {
        At::First => authority.find('@'),
        At::Last => authority.rfind('@'),
    };
    let (user, password, host_start) = match at_position {
        Some(p) => {
            let credentials = authority.get(..p).unwrap_or_default();
            match credentials.find(':') {
                Some(c) => (
                    Some(Span::new(start, start + c)),
                    Some(Span::new(start + c + 1, start + p)),
                    start + p + 1,
                ),
                None => (Some(Span::new(start, start + p)), None, start + p + 1),
            }
        }
        None => (None, None, start),
    };
    let bytes = input.as_bytes();
    let mut position = authority_end;
    let mut path = None;
    let mut query = None;
    let mut fragment = None;
    if bytes.get(position) == Some(&b'/') {
        let path_start = position + 1;
        let path_end = find_from(input, path_start, |b| b == b'?' || (fragments && b == b'#'));
        path = Some(Span::new(path_start, path_end));
        position = path_end;
    }
    if bytes.get(position) == Some(&b'?') {
        let query_start = position + 1;
        let query_end = if fragments {
            find_from(input, query_start, |b| b == b'#')
        } else {
            input.len()
        };
        query = Some(Span::new(query_start, query_end));
        position = query_end;
    }
    if fragments && bytes.get(position) == Some(&b'#') {
        fragment = Some(Span::new(position + 1, input.len()));
    }
    Some(UrlParts {
        scheme: Span::new(0, separator),
        user,
        password,
        authority: Span::new(host_start, authority_end),
        path,
        query,
        fragment,
    })
}

/// A percent-decoded text and the byte offset (within the encoded text) of the first malformed
/// `%` escape, which lenient decoders keep as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    pub bad_escape: Option<usize>,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

pub(crate) fn decode(encoded: &str, plus: Plus) -> Decoded {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut bad_escape = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex);
            let lo = bytes.get(i + 2).copied().and_then(hex);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push((hi << 4) | lo);
                i += 3;
                continue;
            }
            bad_escape.get_or_insert(i);
            out.push(b);
        } else if b == b'+' && plus == Plus::Space {
            out.push(b' ');
        } else {
            out.push(b);
        }
        i += 1;
    }
    Decoded {
        text: String::from_utf8_lossy(&out).into_owned(),
        bad_escape,
    }
}

/// One `key=value` element of a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pair {
    pub key: String,
    pub value: String,
    /// False for an element without `=`.
    pub has_equals: bool,
    pub key_span: Span,
    pub value_span: Span,
    /// The whole element.
    pub span: Span,
    /// The first malformed escape in the key or value, as an input offset.
    pub bad_escape: Option<usize>,
}

impl Pair {
    /// The element as a setting, for readers past the lexical facts (`=` present, bad escapes).
    pub(crate) fn into_setting(self) -> Setting {
        Setting {
            key: self.key,
            value: self.value,
            key_span: self.key_span,
            value_span: self.value_span,
            span: self.span,
        }
    }
}

/// Splits `region` at `&` (every element, empty ones included) and decodes keys and values.
pub(crate) fn pairs(input: &str, region: Span, plus: Plus) -> Vec<Pair> {
    let mut out = Vec::new();
    let mut start = region.start;
    loop {
        let end = find_from(input, start, |b| b == b'&').min(region.end);
        let element = text(input, Span::new(start, end));
        let (key_span, value_span, has_equals) = match element.find('=') {
            Some(eq) => (
                Span::new(start, start + eq),
                Span::new(start + eq + 1, end),
                true,
            ),
            None => (Span::new(start, end), Span::new(end, end), false),
        };
        let key = decode(text(input, key_span), plus);
        let value = decode(text(input, value_span), plus);
        let bad_escape = key
            .bad_escape
            .map(|o| key_span.start + o)
            .or(value.bad_escape.map(|o| value_span.start + o));
        out.push(Pair {
            key: key.text,
            value: value.text,
            has_equals,
            key_span,
            value_span,
            span: Span::new(start, end),
            bad_escape,
        });
        if end >= region.end {
            break;
        }
        start = end + 1;
    }
    out
}

/// One element of a comma-separated host list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HostPort {
    /// The host, without IPv6 brackets.
    pub host: Span,
    /// After the `:`, when there is one.
    pub port: Option<Span>,
    pub bracketed: bool,
    /// The whole element.
    pub span: Span,
}

/// Splits a host list at commas; `host:port` splits at the last `:` outside brackets.
pub(crate) fn host_list(input: &str, region: Span) -> Vec<HostPort> {
    let mut out = Vec::new();
    let mut start = region.start;
    loop {
        let end = find_from(input, start, |b| b == b',').min(region.end);
        let element = text(input, Span::new(start, end));
        let host_port = if element.starts_with('[') {
            match element.find(']') {
                Some(close) => {
                    let after = start + close + 1;
                    let port = (input.as_bytes().get(after) == Some(&b':') && after < end)
                        .then(|| Span::new(after + 1, end));
                    HostPort {
                        host: Span::new(start + 1, start + close),
                        port,
                        bracketed: true,
                        span: Span::new(start, end),
                    }
                }
                None => HostPort {
                    host: Span::new(start, end),
                    port: None,
                    bracketed: false,
                    span: Span::new(start, end),
                },
            }
        } else {
            match element.rfind(':') {
                Some(colon) => HostPort {
                    host: Span::new(start, start + colon),
                    port: Some(Span::new(start + colon + 1, end)),
                    bracketed: false,
                    span: Span::new(start, end),
                },
                None => HostPort {
                    host: Span::new(start, end),
                    port: None,
                    bracketed: false,
                    span: Span::new(start, end),
                },
            }
        };
        out.push(host_port);
        if end >= region.end {
            break;
        }
        start = end + 1;
    }
    out
}

/// Whether a host before the last one in a comma-separated list has a port. WHATWG URL and
/// Rust's `url` read the whole list as one opaque host name, in which such a port is invalid.
pub(crate) fn port_inside_host_list(hosts: &[HostPort]) -> bool {
    hosts
        .iter()
        .take(hosts.len().saturating_sub(1))
        .any(|h| h.port.is_some())
}

/// Percent-encodes for a URL query value (RFC 3986 unreserved characters kept).
pub(crate) fn encode(value: &str) -> String {
    super::super::redact::percent_encode(value)
}

/// Query keys whose values are secrets.
const SECRET_KEYS: &[&str] = &["password", "sslpassword"];

/// The URL without its secrets: the password in the user information and every `password` or
/// `sslpassword` query element. Fixes are built by editing the input and then passing it here.
pub(crate) fn without_secrets(input: &str) -> String {
    // A JDBC URL is a URL after its `jdbc:` (whose `:` no scheme name holds): without this,
    // its `password=` came back whole (a driver expert saw it carried, masked, into a fix).
    if let Some(rest) = input.strip_prefix("jdbc:") {
        return format!("jdbc:{}", without_secrets(rest));
    }
    let Some(parts) = split_url(input, At::Last, false) else {
        return input.to_string();
    };
    let head_end = parts.query.map_or(input.len(), |q| q.start);
    let mut out = match parts.password {
        Some(p) => format!(
            "{}{}",
            input.get(..p.start.saturating_sub(1)).unwrap_or_default(),
            input.get(p.end..head_end).unwrap_or_default()
        ),
        None => input.get(..head_end).unwrap_or_default().to_string(),
    };
    if let Some(query) = parts.query {
        let elements = pairs(input, query, Plus::Literal);
        // An element that starts inside a secret is the secret's rest after an unencoded `&`
        // (`?password=Ab12&9258`): it goes with the secret (a secrets hunter saw `&9258` kept).
        // Only a query holding a secret has such rests: the finders run only then (every fix
        // writes its own string through here, which made a string of 200 parameters take
        // seconds).
        let query_secret = elements
            .iter()
            .any(|p| crate::conninfo::embedded::secret_key(&p.key));
        let secrets = if query_secret {
            crate::conninfo::redact::secret_spans(input, None)
        } else {
            Vec::new()
        };
        let in_a_secret = |at: usize| {
            crate::conninfo::redact::secret_containing(&secrets, at).is_some_and(|(start, _)| start < at)
        };
        let kept: Vec<&str> = elements
            .iter()
            .filter(|p| {
                !p.span.is_empty()
                    && !SECRET_KEYS.contains(&p.key.as_str())
                    && !in_a_secret(p.span.start)
            })
            .map(|p| text(input, p.span))
            .collect();
        if kept.is_empty() {
            out.pop();
        } else {
            out.push_str(&kept.join("&"));
        }
    }
    out
}

/// `input` with `span` replaced by `value`, without secrets.
pub(crate) fn replace_span(input: &str, span: Span, value: &str) -> String {
    without_secrets(&format!(
        "{}{}{}",
        input.get(..span.start).unwrap_or_default(),
        value,
        input.get(span.end..).unwrap_or_default()
    ))
}

/// `input` without the query element at `span` (and one adjacent `&`), without secrets. An
/// element holding a secret goes with the whole secret: the text after a query password's
/// unencoded `&` (`?password=Zq9X&k=5487`) is its own, and left behind it would be a setting
/// of its own in the fix, shown (a secrets hunter saw Prisma's "Remove password" keep
/// `k=5487`).
pub(crate) fn remove_element(input: &str, span: Span) -> String {
    let secrets = crate::conninfo::redact::secret_spans(input, None);
    let overlapping = || {
        secrets
            .iter()
            .filter(|&&(start, end)| start < span.end && span.start < end)
    };
    let end = overlapping().map(|&(_, end)| end).fold(span.end, usize::max);
    // An element that is a piece of a secret (`k=26595` of `?password=64106&DsmuA&k=26595`)
    // goes with the element holding the secret's start, so that no piece is left behind.
    let secret_start = overlapping().map(|&(start, _)| start).fold(span.start, usize::min);
    let start = if secret_start < span.start {
        input
            .get(..secret_start)
            .and_then(|before| before.rfind(['?', '&']))
            .map_or(secret_start, |separator| separator + 1)
    } else {
        span.start
    };
    let span = with_separator(input, Span::new(start, end));
    let before = input.get(..span.start).unwrap_or_default();
    let after = input.get(span.end..).unwrap_or_default();
    // The query's only element goes with its `?`.
    let before = match after.is_empty() || after.starts_with('#') {
        true => before.strip_suffix('?').unwrap_or(before),
        false => before,
    };
    without_secrets(&format!("{before}{after}"))
}

/// A query element's span with one `&` beside it, the one before it where there is one: what
/// removing the element removes, so that no `&&` or trailing `&` is left.
pub(crate) fn with_separator(input: &str, span: Span) -> Span {
    let before = input.get(..span.start).is_some_and(|b| b.ends_with('&'));
    let after = input.get(span.end..).is_some_and(|a| a.starts_with('&'));
    match (before, after) {
        (true, _) => Span::new(span.start - 1, span.end),
        (false, true) => Span::new(span.start, span.end + 1),
        (false, false) => span,
    }
}

/// `input` with `key=value` added to (or replacing `key` in) the query, without secrets.
pub(crate) fn set_query(input: &str, key: &str, value: &str) -> String {
    set_query_encoded(input, key, &encode_query_value(value))
}

/// A query value as every writer of this crate encodes it (its `/` kept).
pub(crate) fn encode_query_value(value: &str) -> String {
    super::super::redact::percent_encode_query_value(value)
}

/// [`set_query`] with a value already encoded.
fn set_query_encoded(input: &str, key: &str, encoded: &str) -> String {
    let element = format!("{key}={encoded}");
    if let Some(parts) = split_url(input, At::Last, false) {
        if let Some(query) = parts.query {
            if let Some(existing) = pairs(input, query, Plus::Literal)
                .iter()
                .rev()
                .find(|p| p.key == key)
            {
                return replace_span(input, existing.span, &element);
            }
            let separator = if query.is_empty() { "" } else { "&" };
            return without_secrets(&format!("{input}{separator}{element}"));
        }
    }
    without_secrets(&format!("{input}?{element}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_spans() {
        let input = "postgres://u:p@ss@h1:5,[::1]:6/db?a=1&b#frag";
        let Some(parts) = split_url(input, At::Last, true) else {
            panic!("splits");
        };
        assert_eq!(parts.user.map(|s| text(input, s)), Some("u"));
        assert_eq!(parts.password.map(|s| text(input, s)), Some("p@ss"));
        assert_eq!(text(input, parts.authority), "h1:5,[::1]:6");
        assert_eq!(parts.path.map(|s| text(input, s)), Some("db"));
        assert_eq!(parts.query.map(|s| text(input, s)), Some("a=1&b"));
        assert_eq!(parts.fragment.map(|s| text(input, s)), Some("frag"));
        let hosts = host_list(input, parts.authority);
        assert_eq!(hosts.len(), 2);
        assert_eq!(hosts.get(1).map(|h| text(input, h.host)), Some("::1"));
        let Some(query) = parts.query else { panic!() };
        let pairs = pairs(input, query, Plus::Space);
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs.get(1).map(|p| p.has_equals), Some(false));
        let first = split_url(input, At::First, false);
        assert_eq!(
            first.and_then(|p| p.password).map(|s| text(input, s)),
            Some("p")
        );
    }

    #[test]
    fn fixes_lose_secrets() {
        let input = "postgres://u:s3cret@h/db?sslpassword=k&sslmode=require&password=p2";
        assert_eq!(without_secrets(input), "postgres://u@h/db?sslmode=require");
        assert_eq!(
            set_query(input, "sslmode", "verify-full"),
            "postgres://u@h/db?sslmode=verify-full"
        );
        assert_eq!(
            set_query("postgres://h/db", "a", "b c"),
            "postgres://h/db?a=b%20c"
        );
        let Some(span) = input.find("sslmode=require").map(|s| Span::new(s, s + 15)) else {
            panic!()
        };
        assert_eq!(remove_element(input, span), "postgres://u@h/db");
    }

    #[test]
    fn decoding_is_lenient_and_reports() {
        assert_eq!(decode("a%20b+c", Plus::Space).text, "a b c");
        assert_eq!(decode("a+c", Plus::Literal).text, "a+c");
        let bad = decode("x%zz", Plus::Literal);
        assert_eq!(bad.text, "x%zz");
        assert_eq!(bad.bad_escape, Some(1));
        assert_eq!(decode("%", Plus::Literal).bad_escape, Some(0));
    }
}
