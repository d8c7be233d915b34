//! Template placeholders left in a string copied from documentation or a console:
//! `[YOUR-PASSWORD]`, `<password>`, `{your_password}`, `‹host›`, `$PGHOST`, `${DB_URL}`,
//! `%PGPASSWORD%`, `YOUR_DB_NAME`, printf's `%s`, bare names such as `DB_HOST:DB_PORT`. Each is one finding — "a placeholder, not a
//! value" — instead of the cascade it causes otherwise (a weak password, an invalid port, an
//! unknown host).

use crate::diagnostic::{Diagnostic, Fix, Span};
use crate::registry::Rule;

pub static RULES: &[&Rule] = &[&RULE_PLACEHOLDER];

/// Brackets that wrap a placeholder: `[…]`, `<…>`, `{…}`, `‹…›`, `«…»`.
const WRAPPERS: &[(char, char)] = &[('[', ']'), ('<', '>'), ('{', '}'), ('‹', '›'), ('«', '»')];

/// Whether `value` is, or contains, a placeholder.
pub fn is_placeholder(value: &str) -> bool {
    placeholder_in(value).is_some()
}

/// The byte range of the first placeholder token in `text`, if any.
pub fn placeholder_in(text: &str) -> Option<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        // A wrapped word: `[YOUR-PASSWORD]`, `<host>`, `{your_password}`.
        if let Some(&(_, close)) = WRAPPERS.iter().find(|(open, _)| *open == c) {
            // No longer than a placeholder word may be (`is_placeholder_word`): looking
            // further for every opener made a run of them quadratic (an outside review).
            let inner_end = chars
                .iter()
                .skip(i + 1)
                .take(LONGEST_WORD + 1)
                .position(|(_, d)| *d == close)
                .map(|p| i + 1 + p);
            if let Some(end) = inner_end {
                let inner: String = chars
                    .get(i + 1..end)
                    .unwrap_or_default()
                    .iter()
                    .map(|(_, c)| *c)
                    .collect();
                if is_placeholder_word(&inner) {
                    let stop = chars.get(end).map_or(text.len(), |(o, d)| o + d.len_utf8());
                    return Some((at, stop));
                }
            }
        }
        // `$NAME`, `${NAME}`: an unexpanded shell or template variable.
        if c == '$' {
            let rest = text.get(at + 1..).unwrap_or_default();
            let name_len = if let Some(inner) = rest.strip_prefix('{') {
                inner.find('}').filter(|n| *n > 0).map(|n| n + 2)
            } else {
                let n = rest
                    .find(|d: char| !(d.is_ascii_alphanumeric() || d == '_'))
                    .unwrap_or(rest.len());
                (n > 0 && rest.starts_with(|d: char| d.is_ascii_alphabetic() || d == '_'))
                    .then_some(n)
            };
            if let Some(n) = name_len {
                return Some((at, at + 1 + n));
            }
        }
        // `%NAME%` (Windows), `%s` / `%d` / `%v` (printf).
        if c == '%' {
            let rest = text.get(at + 1..).unwrap_or_default();
            if let Some(end) = rest.find('%') {
                let name = rest.get(..end).unwrap_or_default();
                if name.len() >= 2
                    && name.len() <= 40
                    && name.starts_with(|b: char| b.is_ascii_uppercase() || b == '_')
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit())
                    && name.bytes().any(|b| b.is_ascii_uppercase())
                {
                    return Some((at, at + end + 2));
                }
            }
            let is_verb = rest.len() == 1 || !rest.starts_with(|d: char| d.is_ascii_hexdigit());
            if matches!(rest.get(..1), Some("s" | "d" | "v")) && is_verb {
                let boundary = rest
                    .get(1..)
                    .is_none_or(|r| !r.starts_with(|d: char| d.is_ascii_alphanumeric()));
                if boundary {
                    return Some((at, at + 2));
                }
            }
        }
    }
    // `YOUR_PASSWORD`, `your-db-name`, `YourPassword`: the whole value.
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("your") && lower.len() > 4 {
        return Some((0, text.len()));
    }
    None
}

/// The last word of an environment-style name that stands for a part of a connection:
/// `DB_HOST`, `PG_PORT`, `DB_NAME`, `POSTGRES_USER`, `POSTGRES_PASSWORD`, `DB_SSL_MODE`.
const ENV_NAME_ENDINGS: &[&str] = &[
    "HOST", "HOSTNAME", "ENDPOINT", "SERVER", "PORT", "NAME", "DB", "DATABASE", "DBNAME", "USER",
    "USERNAME", "PASSWORD", "PASS", "PWD", "MODE",
];

/// Environment-style names left where values belong, as a template writes them bare
/// (`jdbc:postgresql://DB_HOST:DB_PORT/DB_NAME?sslmode=DB_SSL_MODE`, Aiven's JDBC sink docs):
/// upper-case words joined by `_` whose last word names a connection part. Only when the
/// string holds two or more: one alone may be a real upper-case database or role name.
pub fn env_style_names(input: &str) -> Vec<(usize, usize)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut names = Vec::new();
    let mut at = 0;
    while at < input.len() {
        let rest = input.get(at..).unwrap_or_default();
        let Some(start) = rest.find(is_word).map(|k| at + k) else {
            break;
        };
        let len = input
            .get(start..)
            .unwrap_or_default()
            .find(|c: char| !is_word(c))
            .unwrap_or(input.len() - start);
        let token = input.get(start..start + len).unwrap_or_default();
        if is_env_style_name(token) {
            names.push((start, start + len));
        }
        at = start + len.max(1);
    }
    if names.len() < 2 {
        names.clear();
    }
    names
}

fn is_env_style_name(token: &str) -> bool {
    token.starts_with(|c: char| c.is_ascii_uppercase())
        && token
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && token.contains('_')
        && token
            .rsplit('_')
            .next()
            .is_some_and(|last| ENV_NAME_ENDINGS.contains(&last))
}

/// The inside of a bracket pair that reads as a placeholder: letters, digits, `-`, `_`, `.`,
/// spaces, at least one letter (so `[::1]` and `[2001:db8::1]` are not).
/// The longest placeholder word, in bytes (and so at most as many characters).
const LONGEST_WORD: usize = 60;

fn is_placeholder_word(inner: &str) -> bool {
    !inner.is_empty()
        && inner.len() <= LONGEST_WORD
        && inner.chars().any(|c| c.is_alphabetic())
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | ':' | '/'))
        && !inner.contains("::")
        && !(inner.contains(':') && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':'))
}

/// A value that is a placeholder: which setting (when known), its text, where, and whether
/// it is a secret, whose text is never quoted (a real password can look like a placeholder).
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub keyword: Option<&'a str>,
    pub value: &'a str,
    pub span: Span,
    pub secret: bool,
}

rule!(
    RULE_PLACEHOLDER,
    "PGP-PARAM-106",
    Error,
    "A placeholder, not a value",
    "Part of the string is a template placeholder — `[YOUR-PASSWORD]`, `<password>`, \
`{your_password}`, `$PGHOST`, `${DB_URL}`, `%PGPASSWORD%`, `YOUR_DB_NAME`, `%s`, or bare names \
such as `DB_HOST:DB_PORT/DB_NAME` (when the string holds two or more) — left from the \
documentation, console or code it was copied from. The client would use it literally: as a \
password it fails authentication, as a host it fails to resolve, as a port it is not a number. \
Replace it with the real value (for a password, better: supply it outside the string). Other \
findings about the same part are left out until it is filled in.",
    ["https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNSTRING"]
);

/// The one finding for every placeholder of a string, at the first one.
pub fn finding(found: &[Found<'_>]) -> Option<Diagnostic> {
    let first = found.first()?;
    let parts: Vec<String> = found
        .iter()
        .map(|f| {
            let subject = f.keyword.map_or("a part".to_string(), |k| format!("`{k}`"));
            if f.secret {
                format!("{subject} (a secret, not shown)")
            } else {
                // Whole, never cut: a cut could split an echoed secret so that the masking
                // no longer recognises it (the fuzzer found one).
                format!("{subject} = `{}`", f.value)
            }
        })
        .collect();
    let detail = format!(
        "Template placeholders stand where real values belong: {}. Fill them in before using the string.",
        parts.join(", ")
    );
    let advice = if found.iter().any(|f| f.secret) {
        "Fill in the real values — for a password, better supply it outside the string (`~/.pgpass`, `PGPASSWORD`, a secret store)"
    } else {
        "Replace the placeholders with the real values"
    };
    Some(
        Diagnostic::new(&RULE_PLACEHOLDER, detail)
            .at(first.span)
            .with_fix(Fix::advice(advice)),
    )
}

/// `/path/to/…` (any case, either slash; after a Windows drive letter, `./` or `~/`), the
/// placeholder of documentation and of our fixes.
pub fn is_placeholder_path(value: &str) -> bool {
    let normalized = value.trim().replace('\\', "/").to_ascii_lowercase();
    let rest = match normalized.as_bytes() {
        [drive, b':', ..] if drive.is_ascii_alphabetic() => normalized.get(2..).unwrap_or_default(),
        _ => normalized.as_str(),
    };
    let rest = rest.strip_prefix('~').unwrap_or(rest);
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    rest.trim_start_matches('/').starts_with("path/to/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_style_names_are_placeholders_when_a_template_holds_several() {
        let input = "jdbc:postgresql://DB_HOST:DB_PORT/DB_NAME?sslmode=DB_SSL_MODE";
        let names: Vec<&str> = env_style_names(input)
            .into_iter()
            .map(|(a, b)| &input[a..b])
            .collect();
        assert_eq!(names, ["DB_HOST", "DB_PORT", "DB_NAME", "DB_SSL_MODE"]);
        // One alone may be real: an upper-case role or database name.
        assert!(env_style_names("host=db user=REPORTING_USER dbname=app").is_empty());
        // Upper-case words that name no connection part, or have no `_`, are not names.
        assert!(env_style_names("host=db application_name=ETL_JOB options=-cX_Y=1 dbname=APPDB").is_empty());
        assert!(env_style_names("postgresql://HOST:PORT/NAME").is_empty());
        assert_eq!(
            env_style_names("host=PG_HOST port=PG_PORT dbname=app"),
            [(5, 12), (18, 25)]
        );
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "[YOUR-PASSWORD]",
            "<password>",
            "{your_password}",
            "‹host›",
            "$PGHOST",
            "${DB_PASSWORD}",
            "%PGPASSWORD%",
            "YOUR_DB_NAME",
            "your-password",
            "aws-0-[aws-region].pooler.supabase.com",
            "[neon_hostname]",
            "<port>",
            "%s",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in [
            "db.example.com",
            "::1",
            "[::1]",
            "[2001:db8::1]",
            "S3cret-pw",
            "p%40ss",
            "50%",
            "5432",
            "verify-full",
            "a$",
            "$5dollars",
            "%2F",
            "%2F%",
            "d%2F%62",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }
}
