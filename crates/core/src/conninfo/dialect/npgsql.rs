//! Npgsql (.NET) connection strings, modelled on Npgsql 8/9.
//!
//! Sources: `src/Npgsql/NpgsqlConnectionStringBuilder.cs` (keywords, synonyms, `Trust Server
//! Certificate` obsolete and doing nothing, `PostProcessAndValidate`) and
//! `src/Npgsql/Internal/NpgsqlConnector.cs` (certificate validation: `Prefer`/`Require` use
//! `SslTrustServerValidation`, `VerifyCA`/`VerifyFull` validate against `Root Certificate`,
//! `PGSSLROOTCERT`, `~/.postgresql/root.crt` or the system store) in
//! <https://github.com/npgsql/npgsql>; the 8.0 release notes ("SSL Mode=Require no longer
//! validates certificates") and the security page in <https://github.com/npgsql/doc>; the
//! ADO.NET connection-string grammar (`DbConnectionOptions.GetKeyValuePair`).

use super::equivalent::Equivalent;
use super::kv::{self, Setting};
use super::{
    host_targets, put, Outcome, Rejection, Tls, RULE_CA_ONLY_SYSTEM_STORE,
    RULE_DIALECT_UNSUPPORTED, RULE_PARAM_REJECTED, RULE_ROOT_CERT_UNUSED,
};
use crate::conninfo::npgsql_keywords::{lookup, Kind, RENAMED, SINCE_NPGSQL_10};
use crate::conninfo::syntax::{self, Form};
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};

/// One `key=value` element as `GetKeyValuePair` returns it, before keyword lookup: the key
/// lower-cased, and the value `None` when the element has none (`Key=;`, a null value that
/// removes the keyword again, unlike `Key="";`). [`RawPair::setting`] makes it a setting.
#[derive(Debug, Clone)]
struct RawPair {
    key: String,
    value: Option<String>,
    key_span: Span,
    value_span: Span,
    /// The whole element, a closing quote included.
    span: Span,
}

impl RawPair {
    /// The element as a setting called `key` with `value`.
    fn setting(&self, key: impl Into<String>, value: impl Into<String>) -> Setting {
        Setting {
            key: key.into(),
            value: value.into(),
            key_span: self.key_span,
            value_span: self.value_span,
            span: self.span,
        }
    }
}

/// `DbConnectionOptions.GetKeyValuePair` (non-ODBC rules): `;`-separated pairs, keys
/// lower-cased with trailing whitespace trimmed and `==` standing for a literal `=`; values
/// unquoted (whitespace inside kept, trailing whitespace trimmed, may not end in a quote) or in
/// single or double quotes with the quote doubled to escape it.
fn parse_pairs(input: &str) -> Result<Vec<RawPair>, Span> {
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let offset = |i: usize| chars.get(i).map_or(input.len(), |(o, _)| *o);
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while at(i).is_some_and(|c| c == ';' || c.is_whitespace()) {
            i += 1;
        }
        let Some(first) = at(i) else { break };
        if first == '\0' {
            break;
        }
        let start = i;
        if first.is_control() {
            return Err(Span::new(offset(i), offset(i + 1)));
        }
        // Key, up to a single `=`.
        let mut key = String::new();
        loop {
            match at(i) {
                None => return Err(Span::new(offset(start), input.len())),
                Some('=') if at(i + 1) == Some('=') => {
                    key.push('=');
                    i += 2;
                }
                Some('=') => break,
                Some(c) if c.is_control() => return Err(Span::new(offset(start), offset(i + 1))),
                Some(c) => {
                    key.push(c);
                    i += 1;
                }
            }
        }
        // From the input, not the unescaped key: `==` is one character of the key.
        let raw_key = input.get(offset(start)..offset(i)).unwrap_or_default();
        let key_span = Span::new(offset(start), offset(start) + raw_key.trim_end().len());
        // Npgsql looks keywords up with OrdinalIgnoreCase; every keyword is ASCII, and ASCII
        // folding (unlike Unicode lowercasing) does not turn the Kelvin sign into `k`, which
        // .NET's invariant upper-casing does not match either.
        let key = key.trim_end().to_ascii_lowercase();
        if key.is_empty() {
            return Err(Span::new(offset(start), offset(i + 1)));
        }
        i += 1;
        while at(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let value_start = i;
        let value = match at(i) {
            None | Some(';') | Some('\0') => None,
            Some(quote @ ('"' | '\'')) => {
                i += 1;
                let mut v = String::new();
                loop {
                    match at(i) {
                        None | Some('\0') => return Err(Span::new(offset(start), input.len())),
                        Some(c) if c == quote && at(i + 1) == Some(quote) => {
                            v.push(quote);
                            i += 2;
                        }
                        Some(c) if c == quote => {
                            i += 1;
                            break;
                        }
                        Some(c) => {
                            v.push(c);
                            i += 1;
                        }
                    }
                }
                while at(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
                match at(i) {
                    None | Some(';') | Some('\0') => {}
                    Some(_) => return Err(Span::new(offset(start), offset(i + 1))),
                }
                Some(v)
            }
            Some(_) => {
                let mut v = String::new();
                while let Some(c) = at(i) {
                    if c == ';' || c == '\0' || (c.is_control() && !c.is_whitespace()) {
                        break;
                    }
                    v.push(c);
                    i += 1;
                }
                let v = v.trim_end().to_string();
                if v.ends_with(['"', '\'']) {
                    return Err(Span::new(offset(start), offset(i)));
                }
                Some(v)
            }
        };
        let value_span = Span::new(offset(value_start), offset(i));
        let trimmed_value_span = Span::new(
            value_span.start,
            value_span.start
                + input
                    .get(value_span.start..value_span.end)
                    .unwrap_or_default()
                    .trim_end_matches([' ', '\t', '\r', '\n'])
                    .len(),
        );
        // The whole element, a closing quote included.
        let mut end = trimmed_value_span.end;
        if matches!(input.as_bytes().get(end), Some(b'"' | b'\'')) {
            end += 1;
        }
        out.push(RawPair {
            key,
            value,
            key_span,
            value_span: trimmed_value_span,
            span: Span::new(key_span.start, end.max(key_span.end)),
        });
        if at(i) == Some(';') {
            i += 1;
        }
    }
    Ok(out)
}

/// The pairs as written, for rendering fixes: each key by its canonical Npgsql name (or, for
/// a key Npgsql does not know, lower-cased as written), its value, and the whole element's
/// span (a closing quote included). `None` when the string does not split into pairs.
pub(super) fn written_settings(input: &str) -> Option<Vec<Setting>> {
    let pairs = parse_pairs(input).ok()?;
    Some(
        pairs
            .iter()
            .map(|pair| {
                let key = lookup(&pair.key).map_or(pair.key.clone(), |(name, _)| name.to_string());
                pair.setting(key, pair.value.clone().unwrap_or_default())
            })
            .collect(),
    )
}

/// The value Npgsql keeps for the keyword `display` (any of its spellings; the last element
/// wins, and a null value `Key=;` removes it again), or `None` when the string does not set it.
pub fn setting_value(input: &str, display: &str) -> Option<String> {
    let pairs = parse_pairs(input).ok()?;
    pairs
        .iter()
        .rev()
        .find(|p| lookup(&p.key).is_some_and(|(d, _)| d == display))
        .and_then(|p| p.value.clone())
}

/// Whether `input` reads as an Npgsql connection string rather than a libpq one: every key is
/// an Npgsql keyword (or, in the `Key=value;…` shape, most of them), and libpq either rejects
/// the string or would read a `;key=` inside one of its values.
pub(super) fn looks_like_npgsql(input: &str) -> bool {
    let Ok(pairs) = parse_pairs(input) else {
        return false;
    };
    if pairs.is_empty() {
        return false;
    }
    let known = pairs.iter().filter(|p| lookup(&p.key).is_some()).count();
    // `Key=value;Key=value` is ADO.NET's shape, which libpq never uses: with most keys
    // Npgsql's, it is an Npgsql string even when Npgsql would reject one of them
    // (`Protocol=3`), and Npgsql's own error is the one to report.
    let ado_shaped = pairs.len() >= 2 && input.contains(';') && known * 2 >= pairs.len();
    if known < pairs.len() && !ado_shaped {
        return false;
    }
    // One element whose value holds `=` is keyword/value text without a `;`, a libpq string
    // (`host=db user=app PASSWORD=…`, whose upper-case key only Npgsql would know).
    if let [only] = pairs.as_slice() {
        if only.value.as_deref().is_some_and(|v| v.contains('=')) {
            return false;
        }
    }
    match syntax::parse(input) {
        // Without `;` a single `Key=value` is Npgsql only if libpq trips over that very key
        // and only Npgsql knows it (`Host=db`); `host=foo port` is a libpq string with a typo,
        // and `host=db pool_max_conns=4` another driver's keyword/value string.
        Err(error) => {
            let failing = input
                .get(error.span.start..error.span.end)
                .unwrap_or_default();
            input.contains(';')
                || (lookup(failing).is_some()
                    && crate::conninfo::keywords::lookup(failing).is_none())
        }
        // libpq swallowed `Key=value;Key=value` whole as one value, written bare; a value
        // libpq reads from quotes (`password='a""b;'`) was written for libpq.
        // A secret's value says nothing: a `;` is as likely the password's own
        // (`password=Zq9X;Wk7V`, read by libpq whole), and only an Npgsql keyword after a `;`
        // (`db;Port=5433`) is the shape libpq swallowed.
        Ok(conninfo) => conninfo.params.iter().any(|p| {
            !crate::conninfo::keywords::is_secret(p.keyword)
                && holds_npgsql_element(&p.value)
                && !input
                    .get(p.value_span.start..p.value_span.end)
                    .is_some_and(|raw| raw.starts_with('\''))
        }),
    }
}

/// The string without secrets, with `set`/`remove` applied (keys by display name).
fn render(entries: &[Setting], set: &[(&str, &str)], remove: &[&str]) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for e in entries {
        if matches!(e.key.as_str(), "Password" | "SSL Password") || remove.contains(&e.key.as_str())
        {
            continue;
        }
        // A secret written inside another value (a libpq string read as one `Host`) is masked.
        put(
            &mut pairs,
            &e.key,
            &crate::conninfo::embedded::without_embedded_secrets(&e.value),
        );
    }
    for (k, v) in set {
        put(&mut pairs, k, v);
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", ado_quote(v)))
        .collect::<Vec<_>>()
        .join(";")
}

/// ADO.NET value quoting: double quotes (doubled inside) when the value is empty or holds `;`,
/// quotes, or leading/trailing space (`DbConnectionOptions` rules).
pub(crate) fn ado_quote(value: &str) -> String {
    let needs = value.is_empty()
        || value.contains([';', '"', '\''])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace);
    if needs {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The parsed pairs without secrets, with the pair keyed `skip` left out or replaced, for fixes
/// on strings Npgsql rejects (no canonical names are known for those).
fn render_raw(
    pairs: &[RawPair],
    skip: &str,
    replacement: Option<(&'static str, &str)>,
) -> Option<String> {
    let mut latest = kv::LastOfEach::default();
    for pair in pairs {
        let (name, value) = if pair.key == skip {
            match replacement {
                Some((name, value)) => (name, value.to_string()),
                None => continue,
            }
        } else {
            match (lookup(&pair.key), &pair.value) {
                (Some((name, _)), Some(value)) => (name, value.clone()),
                _ => continue,
            }
        };
        latest.set(pair.setting(name, value));
    }
    let entries = latest.into_settings();
    // Without a host the corrected string would still be refused.
    entries
        .iter()
        .any(|e| e.key == "Host")
        .then(|| render(&entries, &[], &[]))
}

fn replace_or_advise(title: String, replacement: Option<String>) -> Fix {
    match replacement {
        Some(r) => Fix::replace(title, r),
        None => Fix::advice(title),
    }
}

fn rejected(detail: String, span: Span) -> Diagnostic {
    Diagnostic::new(&RULE_PARAM_REJECTED, detail).at(span)
}

pub(super) fn parse(input: &str) -> Outcome {
    let entries = match read(input) {
        Ok(entries) => entries,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    let params = entries
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect();
    let Some(host) = get(&entries, "Host").filter(|h| !h.value.trim().is_empty()) else {
        return Outcome {
            valid: true,
            params,
            diagnostics: vec![check_host_given(input, &entries)],
            verdict: Some(Tls::Refused.verdict("Npgsql")),
            equivalent: None,
            no_equivalent: Some("Npgsql refuses to connect without a host".to_string()),
            hosts: Vec::new(),
        };
    };
    let hosts = match read_hosts(host) {
        Ok(hosts) => hosts,
        Err(rejection) => return Outcome::rejected(rejection),
    };
    let mut diagnostics = Vec::new();
    let mode = get(&entries, "SSL Mode").map_or("Prefer", |e| e.value.as_str());
    let tls = tls(mode);
    let single_host_attributes =
        check_target_session_attributes(&entries, &hosts, &mut diagnostics);
    let direct_below_require = check_direct_negotiation(&entries, mode, &mut diagnostics);
    check_trust_server_certificate(&entries, mode, tls, &mut diagnostics);
    check_root_certificate_used(&entries, mode, &mut diagnostics);
    check_ca_only_system_store(input, &entries, mode, &mut diagnostics);
    check_needs_npgsql_10(&entries, &mut diagnostics);
    check_session_attributes_case(&entries, &mut diagnostics);
    let refused = single_host_attributes || direct_below_require;
    Outcome {
        valid: true,
        params,
        diagnostics,
        verdict: Some(if refused { Tls::Refused } else { tls }.verdict("Npgsql")),
        equivalent: Some(equivalent(input, &entries, host, &hosts, tls, refused)),
        no_equivalent: None,
        hosts: host_targets(&hosts),
    }
}

fn get<'a>(entries: &'a [Setting], name: &str) -> Option<&'a Setting> {
    kv::get(entries, name)
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// Whether `value` holds `;Key=` with a key Npgsql knows: an ADO.NET element.
fn holds_npgsql_element(value: &str) -> bool {
    value.split(';').skip(1).any(|element| {
        element
            .split_once('=')
            .is_some_and(|(key, _)| lookup(key.trim()).is_some())
    })
}

/// `NpgsqlConnectionStringBuilder`: the pairs by canonical name (the last one wins, a null
/// value removes the keyword); unknown keywords and unconvertible values throw.
fn read(input: &str) -> Result<Vec<Setting>, Rejection> {
    let pairs = parse_pairs(input).map_err(|span| {
        Box::new(
            Diagnostic::new(
                &RULE_DIALECT_UNSUPPORTED,
                format!(
                    "Npgsql: \"Format of the initialization string does not conform to specification starting at index {}\"",
                    span.start
                ),
            )
            .at(span),
        )
    })?;
    let mut entries = kv::LastOfEach::default();
    for pair in &pairs {
        check_not_split_password(input, pair)?;
        let (name, kind) = check_keyword(input, &pairs, pair)?;
        let Some(value) = &pair.value else {
            // A null value removes the keyword again.
            entries.remove(name);
            continue;
        };
        let value = check_value(&pairs, pair, name, kind, value)?;
        if name == "Require Auth" {
            check_require_auth(&pairs, pair, &value)?;
        }
        entries.set(pair.setting(name, value));
    }
    Ok(entries.into_settings())
}

/// "Couldn't set" for an element that is the rest of a password an unquoted `;` cut
/// short (`Password=Ab;cd=Ef9`; the lenient finders mask it with the password): the ADO.NET
/// grammar (`GetKeyValuePair`) ends an unquoted value at `;`, and a value in double quotes
/// may hold one, a `"` inside doubled. Removing the "keyword", the fix for a real one, would
/// cut the password short for good.
fn check_not_split_password(input: &str, pair: &RawPair) -> Result<(), Rejection> {
    if lookup(&pair.key).is_some() || !crate::conninfo::redact::within_secret_tail(input, pair.span) {
        return Ok(());
    }
    Err(Box::new(
        rejected(
            "Npgsql ends an unquoted value at `;`, so it cut the password there and rejects its rest as a keyword (\"Couldn't set …\"; values redacted)".to_string(),
            pair.span,
        )
        .with_fix(Fix::advice(
            "Enclose the whole password in double quotes, `Password=\"…\"`, doubling any `\"` inside it",
        )),
    ))
}

/// An unknown keyword: the builder's indexer wraps the generated setter's
/// `KeyNotFoundException` as "Couldn't set <keyword>" (Npgsql 7–10,
/// NpgsqlConnectionStringBuilder.cs and the source generator's
/// NpgsqlConnectionStringBuilder.snbtxt; the key as .NET's parser lower-cased it; a driver
/// expert saw SqlClient's "Keyword not supported: '…'" quoted instead). The keyword's
/// canonical name and kind, or the rejection (naming
/// Npgsql's keyword for a libpq or older Npgsql name).
fn check_keyword(
    input: &str,
    pairs: &[RawPair],
    pair: &RawPair,
) -> Result<(&'static str, Kind), Rejection> {
    if let Some(known) = lookup(&pair.key) {
        return Ok(known);
    }
    let renamed = RENAMED
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(&pair.key))
        .map(|(_, new)| *new);
    let hint = renamed
        .map(|new| format!(" (Npgsql's keyword is `{new}`)"))
        .unwrap_or_default();
    // Npgsql quotes the key lower-cased: a URL's password in it is no echo of the input's.
    let key = super::quotable(input, pair.key_span, &pair.key);
    let fix = match renamed {
        Some(new) => replace_or_advise(
            format!("Use {new}"),
            render_raw(
                pairs,
                &pair.key,
                Some((new, pair.value.as_deref().unwrap_or_default())),
            ),
        ),
        None => replace_or_advise(
            format!("Remove {key}"),
            render_raw(pairs, &pair.key, None),
        ),
    };
    Err(Box::new(
        rejected(
            format!("Npgsql: \"Couldn't set {key}\" (no keyword of Npgsql's: KeyNotFoundException){hint}"),
            pair.key_span,
        )
        .with_fix(fix),
    ))
}

/// "Couldn't set": the value must convert to the keyword's type. The value as Npgsql keeps it
/// (an enum by its canonical name).
fn check_value(
    pairs: &[RawPair],
    pair: &RawPair,
    name: &'static str,
    kind: Kind,
    value: &str,
) -> Result<String, Rejection> {
    let ok = match kind {
        Kind::Text => true,
        Kind::Int => value.trim().parse::<i32>().is_ok(),
        Kind::Bool => matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "false"),
        Kind::Choice(choices) => choices.iter().any(|c| c.eq_ignore_ascii_case(value.trim())),
        // Npgsql 10 lowercases the value first (`ParseTargetSessionAttributes(value
        // .ToLowerInvariant())`, 6e308c39); 9 and older take it exactly
        // ([`check_session_attributes_case`]).
        Kind::Exact(values) => values.contains(&value.to_ascii_lowercase().as_str()),
    };
    if ok {
        if let Some(rejection) = out_of_bounds(pairs, pair, name, kind, value) {
            return Err(rejection);
        }
        return Ok(match kind {
            Kind::Choice(choices) => choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(value.trim()))
                .map_or(value.to_string(), |c| c.to_string()),
            _ => value.to_string(),
        });
    }
    let expected = match kind {
        Kind::Int => "a whole number".to_string(),
        Kind::Bool => "`true` or `false`".to_string(),
        Kind::Choice(choices) | Kind::Exact(choices) => choices
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", "),
        Kind::Text => String::new(),
    };
    let shown = if matches!(name, "Password" | "SSL Password") {
        "(redacted)".to_string()
    } else {
        format!("`{value}`")
    };
    let fix = if name == "SSL Mode" {
        replace_or_advise(
            "Use SSL Mode=VerifyFull".to_string(),
            render_raw(pairs, &pair.key, Some(("SSL Mode", "VerifyFull"))),
        )
    } else {
        replace_or_advise(
            format!("Remove {}", pair.key),
            render_raw(pairs, &pair.key, None),
        )
    };
    Err(couldnt_set(pair, &format!("{shown} is not valid; expected {expected}"), fix))
}

/// A whole number the property's setter refuses (`Timeout` above 1024, a negative
/// `Command Timeout`, `Port=0`): Npgsql throws "Couldn't set <key>" with the setter's
/// message.
fn out_of_bounds(
    pairs: &[RawPair],
    pair: &RawPair,
    name: &'static str,
    kind: Kind,
    value: &str,
) -> Option<Rejection> {
    let (low, high, message) = crate::conninfo::npgsql_keywords::int_bounds(name)?;
    let number = value.trim().parse::<i32>().ok().filter(|_| kind == Kind::Int)?;
    if (low..=high).contains(&number) {
        return None;
    }
    let message = if name == "Port" { format!("{message}: {number}") } else { message.to_string() };
    // Above the range, its top (a long timeout was meant); below it, Npgsql's own default
    // (no negative timeout or port means anything).
    let fix = if number > high {
        let top = high.to_string();
        replace_or_advise(
            format!("Use {name}={top}"),
            render_raw(pairs, &pair.key, Some((name, &top))),
        )
    } else {
        replace_or_advise(
            format!("Remove {name} to use Npgsql's default"),
            render_raw(pairs, &pair.key, None),
        )
    };
    Some(couldnt_set(pair, &format!("\"{message}\""), fix))
}

/// The builder's indexer wrapping a setter's refusal of `pair`'s value: "Couldn't set <key>"
/// (Npgsql quotes the key lower-cased), then `why`.
fn couldnt_set(pair: &RawPair, why: &str, fix: Fix) -> Rejection {
    Box::new(
        rejected(format!("Npgsql: \"Couldn't set {}\": {why}", pair.key), pair.value_span)
            .with_fix(fix),
    )
}

/// `RequireAuthMode`'s names (npgsql v10.0.0 `NpgsqlConnectionStringBuilder.cs`:1876) and
/// libpq's `require_auth` spelling of each.
const AUTH_METHODS: &[(&str, &str)] = &[
    ("Password", "password"),
    ("MD5", "md5"),
    ("GSS", "gss"),
    ("SSPI", "sspi"),
    ("ScramSHA256", "scram-sha-256"),
    ("None", "none"),
];

/// `Require Auth`'s methods as libpq spells them (`!` kept, each once), when Npgsql takes the
/// value; else `ParseAuthMode`'s message. (`Enum.TryParse` would also take a number, which no
/// one writes; it is refused here.)
fn require_auth_in_libpq_terms(value: &str) -> Result<String, String> {
    let mut positive = None;
    let mut libpq: Vec<String> = Vec::new();
    for method in value.split(',').map(str::trim).filter(|m| !m.is_empty()) {
        let (negation, name) = method.strip_prefix('!').map_or(("", method), |rest| ("!", rest));
        if positive.is_some_and(|p| p != negation.is_empty()) {
            return Err("Mixing both positive and negative authentication methods is not supported".to_string());
        }
        positive = Some(negation.is_empty());
        let Some((_, libpq_name)) = AUTH_METHODS.iter().find(|(npgsql, _)| *npgsql == name) else {
            return Err(format!("Unable to parse authentication method \"{name}\""));
        };
        let spelled = format!("{negation}{libpq_name}");
        if !libpq.contains(&spelled) {
            libpq.push(spelled);
        }
    }
    if positive == Some(false) && libpq.len() == AUTH_METHODS.len() {
        return Err("No authentication method is allowed. Check \"RequireAuth\" in connection string.".to_string());
    }
    Ok(libpq.join(","))
}

/// A `Require Auth` value Npgsql refuses, written so that it takes it, where the meaning is
/// plain: each method by its Npgsql name, matched in any case and in libpq's spelling
/// (`scram-sha-256`, `scramsha256`); a list mixing allowed and negated methods keeps the
/// allowed ones, which already exclude the rest (a driver expert's reading).
fn require_auth_repaired(value: &str) -> Option<String> {
    let methods: Vec<&str> = value.split(',').map(str::trim).filter(|m| !m.is_empty()).collect();
    let positive_present = methods.iter().any(|m| !m.starts_with('!'));
    let named = |name: &str| {
        AUTH_METHODS
            .iter()
            .find(|(npgsql, libpq)| npgsql.eq_ignore_ascii_case(name) || libpq.eq_ignore_ascii_case(name))
            .map(|(npgsql, _)| *npgsql)
    };
    let mut repaired: Vec<String> = Vec::new();
    for method in methods {
        let (negation, name) = method.strip_prefix('!').map_or(("", method), |rest| ("!", rest));
        if positive_present && !negation.is_empty() {
            continue;
        }
        let spelled = format!("{negation}{}", named(name)?);
        if !repaired.contains(&spelled) {
            repaired.push(spelled);
        }
    }
    let repaired = repaired.join(",");
    (require_auth_in_libpq_terms(&repaired).is_ok() && !repaired.is_empty() && repaired != value).then_some(repaired)
}

/// `Require Auth` (Npgsql 10): the setter runs `ParseAuthMode` (npgsql v10.0.0
/// `NpgsqlConnectionStringBuilder.cs`:745-784): a comma list of `RequireAuthMode` names,
/// matched case-sensitively (`Enum.TryParse`), every one negated with `!` or none, `All`
/// refused. libpq's spellings (`scram-sha-256`) are the usual mistake: the fix writes
/// Npgsql's.
fn check_require_auth(pairs: &[RawPair], pair: &RawPair, value: &str) -> Result<(), Rejection> {
    let Err(message) = require_auth_in_libpq_terms(value) else {
        return Ok(());
    };
    let fix = match require_auth_repaired(value) {
        Some(npgsql) => replace_or_advise(
            format!("Use Npgsql's names: Require Auth={npgsql}"),
            render_raw(pairs, &pair.key, Some(("Require Auth", &npgsql))),
        ),
        None => replace_or_advise(
            format!("Remove {}", pair.key),
            render_raw(pairs, &pair.key, None),
        ),
    };
    Err(couldnt_set(
        pair,
        &format!("\"{message}\" (Npgsql 10's names: Password, MD5, GSS, SSPI, ScramSHA256, None)"),
        fix,
    ))
}

rule!(
    RULE_NEEDS_NEWER_DRIVER,
    "PGP-DRIVER-032",
    Info,
    "Setting added in a later driver version",
    "The string uses a setting the driver added in a recent release: Npgsql 10.0's `Require \
Auth` and `GSS Encryption Mode`. An older version does not know the key and refuses the whole \
string (Npgsql 9: \"Couldn't set Require Auth\"). Check the driver version the consuming \
system runs, or leave the setting out for an older one.",
    [
        "https://www.npgsql.org/doc/release-notes/10.0.html",
        "https://github.com/npgsql/npgsql/blob/v10.0.0/src/Npgsql/NpgsqlConnectionStringBuilder.cs",
    ]
);

/// Keys of Npgsql 10 ([`SINCE_NPGSQL_10`]) in the string.
fn check_needs_npgsql_10(entries: &[Setting], diagnostics: &mut Vec<Diagnostic>) {
    for entry in entries.iter().filter(|e| SINCE_NPGSQL_10.contains(&e.key.as_str())) {
        diagnostics.push(
            Diagnostic::new(
                &RULE_NEEDS_NEWER_DRIVER,
                format!("`{}` is Npgsql 10.0's: Npgsql 9 and older throw \"Couldn't set {}\".", entry.key, entry.key),
            )
            .at(entry.key_span),
        );
    }
}

/// `Host`: a comma-separated list; a single `host:port` is split (PostProcessAndValidate).
fn read_hosts(host: &Setting) -> Result<Vec<(String, Option<String>)>, Rejection> {
    let mut hosts = Vec::new();
    for element in host.value.split(',') {
        let element = element.trim();
        // TrySplitHostPort: the last `:` is a port separator unless it is inside an IPv6
        // address (another `:` before it, not closed by `]`).
        let split = element.rfind(':').and_then(|colon| {
            let before = element.get(..colon).unwrap_or_default();
            let other = before.rfind(':');
            let close = element.rfind(']');
            let is_port = match (other, close) {
                (None, _) => true,
                (Some(o), Some(c)) => colon > c && o < c,
                (Some(_), None) => false,
            };
            is_port.then(|| (before, element.get(colon + 1..).unwrap_or_default()))
        });
        let unbracketed = |h: &str| h.trim_start_matches('[').trim_end_matches(']').to_string();
        match split {
            Some((h, p)) => {
                if p.parse::<u16>().is_err() {
                    return Err(Box::new(rejected(
                        format!("Npgsql cannot read the port in `{element}`"),
                        host.value_span,
                    )));
                }
                hosts.push((unbracketed(h), Some(p.to_string())));
            }
            None => hosts.push((unbracketed(element), None)),
        }
    }
    Ok(hosts)
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// `PostProcessAndValidate`: "Host can't be null".
fn check_host_given(input: &str, entries: &[Setting]) -> Diagnostic {
    rejected(
        "Npgsql: \"Host can't be null\"".to_string(),
        Span::new(input.len(), input.len()),
    )
    .with_fix(Fix::replace(
        "Add Host=",
        render(entries, &[("Host", "localhost")], &[]),
    ))
}

/// `PostProcessAndValidate`: a Target Session Attributes other than `any` needs several hosts.
/// Whether Npgsql refuses to open the connection for it.
fn check_target_session_attributes(
    entries: &[Setting],
    hosts: &[(String, Option<String>)],
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let Some(tsa) = get(entries, "Target Session Attributes") else {
        return false;
    };
    if hosts.len() != 1 || tsa.value.eq_ignore_ascii_case("any") {
        return false;
    }
    diagnostics.push(
        rejected(
            "Npgsql: \"Target Session Attributes other then Any is only supported with multiple hosts\"".to_string(),
            tsa.value_span,
        )
        .with_fix(Fix::replace(
            "Remove Target Session Attributes: Npgsql takes it only with several hosts (one host is the session it gets)",
            render(entries, &[], &["Target Session Attributes"]),
        )),
    );
    true
}

/// `Target Session Attributes` not in lower case: Npgsql 10 lowercases it, Npgsql 9 and older
/// compare it exactly and throw "Couldn't set" (a driver expert read both).
fn check_session_attributes_case(entries: &[Setting], diagnostics: &mut Vec<Diagnostic>) {
    let Some(tsa) = get(entries, "Target Session Attributes") else {
        return;
    };
    let lower = tsa.value.to_ascii_lowercase();
    if tsa.value == lower {
        return;
    }
    diagnostics.push(
        rejected(
            format!(
                "Npgsql 9 and older: \"Couldn't set target session attributes\" (`{}` is not one of its lower-case values; Npgsql 10 lowercases it first)",
                tsa.value
            ),
            tsa.value_span,
        )
        .with_severity(Severity::Warning)
        .with_fix(Fix::replace(
            format!("Write it in lower case: Target Session Attributes={lower}"),
            render(entries, &[("Target Session Attributes", &lower)], &[]),
        )),
    );
}

/// `PostProcessAndValidate`: direct SSL negotiation needs `SSL Mode=Require` or higher.
/// Whether Npgsql refuses to open the connection for it.
fn check_direct_negotiation(
    entries: &[Setting],
    mode: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let Some(negotiation) = get(entries, "SSL Negotiation").filter(|n| n.value == "Direct") else {
        return false;
    };
    if matches!(mode, "Require" | "VerifyCA" | "VerifyFull") {
        return false;
    }
    diagnostics.push(rejected(
        "Npgsql: \"SSL Mode has to be Require or higher to be used with direct SSL Negotiation\""
            .to_string(),
        negotiation.value_span,
    ));
    true
}

/// `NpgsqlConnector`: `Prefer` and `Require` use `SslTrustServerValidation`; only `VerifyCA`
/// and `VerifyFull` validate the certificate.
fn tls(mode: &str) -> Tls {
    match mode {
        "Disable" => Tls::Off,
        "Allow" => Tls::AllowNoVerify,
        "Prefer" => Tls::PreferNoVerify,
        "Require" => Tls::RequireNoVerify,
        "VerifyCA" => Tls::RequireCa,
        _ => Tls::RequireFull,
    }
}

rule!(
    RULE_TRUST_SERVER_CERTIFICATE,
    "PGP-DRIVER-023",
    Warning,
    "Trust Server Certificate skips server verification",
    "`Trust Server Certificate=true` means \"do not validate the server \
certificate\". Before Npgsql 6.0 it switched off the validation `SSL Mode=Require` did; Npgsql \
6 and 7 demanded it with `Require` (which no longer validated); since Npgsql 8 it is obsolete \
and does nothing, because `Require` never validates. In every version the server is only \
verified with `SSL Mode=VerifyFull` (or `VerifyCA`), optionally with `Root Certificate` for a \
private CA. Remove the parameter and use `SSL Mode=VerifyFull`.",
    [
        "https://www.npgsql.org/doc/security.html",
        "https://www.npgsql.org/doc/release-notes/8.0.html",
    ]
);

/// `Trust Server Certificate=true` does not validate the server (obsolete and ignored since
/// Npgsql 8, where only VerifyCA/VerifyFull validate).
fn check_trust_server_certificate(
    entries: &[Setting],
    mode: &str,
    tls: Tls,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(trust) =
        get(entries, "Trust Server Certificate").filter(|t| t.value.eq_ignore_ascii_case("true"))
    else {
        return;
    };
    let severity = if tls.verifies() {
        Severity::Info
    } else {
        Severity::Warning
    };
    diagnostics.push(
        Diagnostic::new(
            &RULE_TRUST_SERVER_CERTIFICATE,
            format!(
                "`Trust Server Certificate=true` with `SSL Mode={mode}`: {}",
                if tls.verifies() {
                    "obsolete since Npgsql 8 and ignored; remove it"
                } else {
                    "the server certificate is not validated (Npgsql 8+ ignores the flag, but only VerifyCA/VerifyFull validate)"
                }
            ),
        )
        .at(trust.pair_span())
        .with_severity(severity)
        .with_fix(Fix::replace(
            "Remove Trust Server Certificate and use SSL Mode=VerifyFull",
            render(
                entries,
                &[("SSL Mode", "VerifyFull")],
                &["Trust Server Certificate"],
            ),
        )),
    );
}

/// `Root Certificate`, when not empty.
fn root_certificate(entries: &[Setting]) -> Option<&Setting> {
    get(entries, "Root Certificate").filter(|r| !r.value.is_empty())
}

/// `NpgsqlConnector`: `Root Certificate` is read only by the modes that validate.
fn check_root_certificate_used(entries: &[Setting], mode: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(root) = root_certificate(entries) else {
        return;
    };
    if !matches!(mode, "Prefer" | "Require" | "Allow") {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_ROOT_CERT_UNUSED,
            format!("Npgsql does not validate the server with `SSL Mode={mode}`, so `Root Certificate` is never used"),
        )
        .at(root.pair_span())
        .with_fix(Fix::replace(
            "Use SSL Mode=VerifyFull",
            render(entries, &[("SSL Mode", "VerifyFull")], &["Trust Server Certificate"]),
        )),
    );
}

/// `NpgsqlConnector`: `VerifyCA` without a root certificate (nor `PGSSLROOTCERT` or
/// `~/.postgresql/root.crt`) validates against the system store and ignores name mismatches.
fn check_ca_only_system_store(
    input: &str,
    entries: &[Setting],
    mode: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if mode != "VerifyCA" || root_certificate(entries).is_some() {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            &RULE_CA_ONLY_SYSTEM_STORE,
            "with `SSL Mode=VerifyCA` and no Root Certificate (nor PGSSLROOTCERT or ~/.postgresql/root.crt), Npgsql validates the chain against the system store and ignores name mismatches",
        )
        .at(mode_span(input, entries))
        .with_fix(Fix::replace(
            "Use SSL Mode=VerifyFull",
            render(entries, &[("SSL Mode", "VerifyFull")], &[]),
        )),
    );
}

fn mode_span(input: &str, entries: &[Setting]) -> Span {
    get(entries, "SSL Mode").map_or(Span::new(input.len(), input.len()), |e| e.value_span)
}

// ---------------------------------------------------------------------------------------------
// Verdict.

/// The libpq equivalent. `refused`: Npgsql does not open the connection.
fn equivalent(
    input: &str,
    entries: &[Setting],
    host: &Setting,
    hosts: &[(String, Option<String>)],
    tls: Tls,
    refused: bool,
) -> Equivalent {
    let mut eq = Equivalent::new(Form::KeywordValue, input);
    let names: Vec<&str> = hosts.iter().map(|(h, _)| h.as_str()).collect();
    eq.set("host", &names.join(","), host.key_span, host.value_span);
    let default_port =
        get(entries, "Port").map_or("5432".to_string(), |p| p.value.trim().to_string());
    let ports: Vec<String> = hosts
        .iter()
        .map(|(_, p)| p.clone().unwrap_or_else(|| default_port.clone()))
        .collect();
    if ports.iter().any(|p| p != "5432") {
        let span = get(entries, "Port").map_or(host.value_span, |p| p.value_span);
        eq.set_at("port", &ports.join(","), span);
    }
    for (npgsql_name, libpq_name) in [
        ("Database", "dbname"),
        ("Username", "user"),
        ("Password", "password"),
        ("Passfile", "passfile"),
        ("Application Name", "application_name"),
        ("Options", "options"),
        ("Client Encoding", "client_encoding"),
        ("Kerberos Service Name", "krbsrvname"),
        ("SSL Certificate", "sslcert"),
        ("SSL Key", "sslkey"),
        ("SSL Password", "sslpassword"),
    ] {
        if let Some(e) = get(entries, npgsql_name) {
            eq.set(libpq_name, &e.value, e.key_span, e.value_span);
        }
    }
    if let Some(e) = get(entries, "Require Auth") {
        if let Ok(methods) = require_auth_in_libpq_terms(&e.value) {
            if !methods.is_empty() {
                eq.set("require_auth", &methods, e.key_span, e.value_span);
            }
        }
    }
    for (npgsql_name, libpq_name) in [
        ("SSL Negotiation", "sslnegotiation"),
        ("Channel Binding", "channel_binding"),
        ("GSS Encryption Mode", "gssencmode"),
    ] {
        if let Some(e) = get(entries, npgsql_name) {
            eq.set(
                libpq_name,
                &e.value.to_ascii_lowercase(),
                e.key_span,
                e.value_span,
            );
        }
    }
    match get(entries, "Timeout") {
        Some(t) if t.value.trim() != "0" => {
            eq.set("connect_timeout", t.value.trim(), t.key_span, t.value_span)
        }
        Some(_) => {}
        // NpgsqlConnectionStringBuilder.DefaultTimeout is 15 seconds.
        None => eq.set_implied("connect_timeout", "15"),
    }
    if let Some(e) = get(entries, "Search Path") {
        eq.add_server_setting("search_path", &e.value, e.pair_span());
    }
    if let Some(e) = get(entries, "Timezone") {
        eq.add_server_setting("TimeZone", &e.value, e.pair_span());
    }
    if let Some(e) = get(entries, "Target Session Attributes") {
        let value = e.value.to_ascii_lowercase();
        if value == "prefer-primary" {
            eq.approximate("`Target Session Attributes=prefer-primary` has no libpq equivalent");
        } else {
            eq.set("target_session_attrs", &value, e.key_span, e.value_span);
        }
    }
    if let Some(e) =
        get(entries, "Load Balance Hosts").filter(|e| e.value.eq_ignore_ascii_case("true"))
    {
        eq.set("load_balance_hosts", "random", e.key_span, e.value_span);
    }
    if let Some(cert) = get(entries, "SSL Certificate") {
        let lower = cert.value.to_ascii_lowercase();
        if lower.ends_with(".pfx") || lower.ends_with(".p12") {
            eq.approximate("libpq cannot read a PKCS-12 client certificate; split it into PEM sslcert and sslkey files");
        }
    }
    eq.set_tls(
        tls,
        root_certificate(entries).map(|r| (r.value.as_str(), r.value_span)),
        mode_span(input, entries),
    );
    if refused {
        eq.approximate("Npgsql refuses to open the connection with these settings");
    }
    eq
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A provider's libpq URL given to Npgsql: its rejection (whichever Npgsql's message) is
    /// fixed by the same settings in Npgsql's keys, password left out, which Npgsql reads.
    #[test]
    fn require_auth_is_read_as_npgsql_10_parses_it() {
        use crate::conninfo::dialect::Dialect;
        use crate::conninfo::{analyze, CheckOptions};
        let base = "Host=db.example.com;Database=app;SSL Mode=VerifyFull;Require Auth=";
        // (value, Npgsql's message or the libpq reading, the fix's value)
        let cases = [
            ("ScramSHA256", "require_auth=scram-sha-256", None),
            ("!MD5, !Password", "require_auth=!md5,!password", None),
            ("scram-sha-256", "Unable to parse authentication method \"scram-sha-256\"", Some("ScramSHA256")),
            ("!md5,!password", "Unable to parse authentication method \"md5\"", Some("!MD5,!Password")),
            ("!MD5,Password", "Mixing both positive and negative", Some("Password")),
            ("scramsha256", "Unable to parse authentication method \"scramsha256\"", Some("ScramSHA256")),
            ("All", "Unable to parse authentication method \"All\"", None),
            ("!Password,!MD5,!GSS,!SSPI,!ScramSHA256,!None", "No authentication method is allowed", None),
        ];
        for (value, shown, fixed) in cases {
            let input = format!("{base}{value}");
            let analysis = analyze(&input, Some(Dialect::Npgsql), &CheckOptions::default());
            let rejection = analysis.diagnostics.iter().find(|d| d.is_error());
            match rejection {
                None => {
                    let equivalent = analysis.libpq_equivalent.clone().unwrap_or_default();
                    assert!(equivalent.contains(shown), "{input}: {equivalent}");
                    assert!(analysis.diagnostics.iter().any(|d| d.code == "PGP-DRIVER-032"), "{input}");
                }
                Some(rejection) => {
                    assert!(rejection.detail.contains(shown), "{input}: {}", rejection.detail);
                    let replacement = rejection.fix.as_ref().and_then(|f| f.replacement.clone()).unwrap_or_default();
                    match fixed {
                        Some(fixed) => assert_eq!(replacement, format!("{base}{fixed}")),
                        None => assert!(!replacement.contains("Require Auth"), "{replacement}"),
                    }
                }
            }
        }
    }

    #[test]
    fn a_libpq_url_is_written_as_npgsql_pairs() {
        use crate::conninfo::dialect::Dialect;
        use crate::conninfo::{analyze, CheckOptions};
        let cases = [
            (
                "postgresql://app:Zq9XWk7V@db.example.com:5432/app?sslmode=require",
                "Host=db.example.com;Username=app;Port=5432;Database=app;SSL Mode=Require",
            ),
            (
                "postgres://app@db.example.com/app?sslmode=verify-full&sslrootcert=ca.pem",
                "Host=db.example.com;Username=app;Database=app;SSL Mode=VerifyFull;Root Certificate=ca.pem",
            ),
            // libpq verifies `require` beside a CA file; Npgsql's `Require` would not.
            (
                "postgresql://u@h/db?sslmode=require&sslrootcert=ca.pem",
                "Host=h;Username=u;Database=db;SSL Mode=VerifyCA;Root Certificate=ca.pem",
            ),
            // Each host with its port: Npgsql's `Port` is one number.
            (
                "postgresql://u@h1:5432,h2:5433/db?target_session_attrs=read-write",
                "Host=h1:5432,h2:5433;Username=u;Database=db;Target Session Attributes=read-write",
            ),
            // Npgsql's `Timeout` is at most 1024 seconds.
            (
                "postgresql://u@h/db?connect_timeout=2000",
                "Host=h;Username=u;Database=db;Timeout=1024",
            ),
            // Prisma's keys first in the query (Supabase's pooler URL): left out, and named.
            (
                "postgres://postgres.abcdefghijklmnop:Zq9XWk7V@aws-0-us-east-1.pooler.supabase.com:6543/postgres?pgbouncer=true&connection_limit=1",
                "Host=aws-0-us-east-1.pooler.supabase.com;Username=postgres.abcdefghijklmnop;Port=6543;Database=postgres",
            ),
            // No host: libpq's socket, which Npgsql reaches only through its directory.
            (
                "postgresql:///app?sslmode=require",
                "Host=localhost;Database=app;SSL Mode=Require",
            ),
            // Npgsql 10's names, each method by its enum name (case-sensitive there).
            (
                "postgresql://u@h/db?sslmode=verify-full&require_auth=scram-sha-256&gssencmode=disable",
                "Host=h;Username=u;Database=db;SSL Mode=VerifyFull;Require Auth=ScramSHA256;GSS Encryption Mode=Disable",
            ),
            (
                "postgresql://u@h/db?sslmode=verify-full&require_auth=!password,!md5",
                "Host=h;Username=u;Database=db;SSL Mode=VerifyFull;Require Auth=!Password,!MD5",
            ),
            // An empty host entry (PGP-HOST-103) is left out with its port.
            (
                "postgresql://u@h1:5432,:5433,h2:5434/db?sslmode=verify-full",
                "Host=h1:5432,h2:5434;Username=u;Database=db;SSL Mode=VerifyFull",
            ),
            // libpq 18's `oauth` has no Npgsql name: left out, and named.
            (
                "postgresql://u@h/db?sslmode=verify-full&require_auth=oauth",
                "Host=h;Username=u;Database=db;SSL Mode=VerifyFull",
            ),
        ];
        for (input, written) in cases {
            let analysis = analyze(input, Some(Dialect::Npgsql), &CheckOptions::default());
            let rejection = analysis.diagnostics.iter().find(|d| d.is_error()).expect("rejected");
            assert!(rejection.detail.contains("Npgsql takes no URL"), "{}", rejection.detail);
            let fix = rejection.fix.as_ref().expect("a fix");
            assert_eq!(fix.replacement.as_deref(), Some(written), "{input}: {fix:?}");
            assert_eq!(fix.title.contains("secrets are left out"), input.contains("Zq9X"));
            assert_eq!(fix.title.contains("`pgbouncer`"), input.contains("pgbouncer"));
            assert_eq!(fix.title.contains("`Host=/var/run/postgresql`"), input.contains(":///"), "{}", fix.title);
            assert_eq!(fix.title.contains("Npgsql 10.0"), written.contains("Require Auth"), "{}", fix.title);
            assert_eq!(fix.title.contains("`require_auth`"), input.contains("oauth"), "{}", fix.title);
            assert_eq!(fix.title.contains("empty entry"), input.contains(",:"), "{}", fix.title);
            let again = analyze(written, Some(Dialect::Npgsql), &CheckOptions::default());
            // Npgsql reads it (the review may still find the TLS weak, as the URL was).
            let rejected = again.diagnostics.iter().any(|d| d.is_error() && d.code.starts_with("PGP-DRIVER-"));
            assert!(again.valid && !rejected, "{written}: {:?}", again.diagnostics);
        }
    }

    /// Whole numbers Npgsql's setters refuse are rejected as it rejects them, and the fix is a
    /// value it takes (the range's top, or its default).
    #[test]
    fn numbers_out_of_a_setters_range_are_rejected() {
        use crate::conninfo::dialect::Dialect;
        use crate::conninfo::{analyze, CheckOptions};
        let cases = [
            ("Host=db;Timeout=2000", "Timeout must be between 0 and 1024", Some("Host=db;Timeout=1024")),
            ("Host=db;Port=0", "Invalid port: 0", Some("Host=db")),
            ("Host=db;Command Timeout=-5", "CommandTimeout can't be negative", Some("Host=db")),
            ("Host=db;Timeout=1024;Cancellation Timeout=-1;Keepalive=0", "", None),
        ];
        for (input, message, fixed) in cases {
            let analysis = analyze(input, Some(Dialect::Npgsql), &CheckOptions::default());
            let rejection = analysis.diagnostics.iter().find(|d| d.code == "PGP-DRIVER-003");
            match fixed {
                None => assert!(analysis.valid && rejection.is_none(), "{input}: {:?}", analysis.diagnostics),
                Some(fixed) => {
                    let rejection = rejection.unwrap_or_else(|| panic!("{input}: not rejected"));
                    assert!(rejection.detail.contains(message), "{}", rejection.detail);
                    let fix = rejection.fix.as_ref().and_then(|f| f.replacement.as_deref());
                    assert_eq!(fix, Some(fixed), "{input}");
                    assert!(analyze(fixed, Some(Dialect::Npgsql), &CheckOptions::default()).valid);
                }
            }
        }
    }

    #[test]
    fn ado_net_grammar() {
        let Ok(pairs) = parse_pairs(" Host = db ; Password=\"a;\"\"b\" ;; x==y=1;Empty=;") else {
            panic!("parses");
        };
        let got: Vec<(&str, Option<&str>)> = pairs
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("host", Some("db")),
                ("password", Some("a;\"b")),
                ("x=y", Some("1")),
                ("empty", None)
            ]
        );
        assert!(parse_pairs("Host").is_err());
        assert!(parse_pairs("Host='abc").is_err());
        assert!(parse_pairs("Host=abc'").is_err());
    }
}
