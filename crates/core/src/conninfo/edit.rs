//! Editing a libpq connection string the way the page's form fields and "apply fix" buttons do.
//!
//! Unlike [`super::redact`], these functions keep secrets: their result goes back into the same
//! input box the user typed the secret into, and nowhere else. Never use them for diagnostics,
//! fixes or any output that is shown, logged or saved.

use super::keywords;
use super::redact::{render_keyword_value, render_uri, without_secrets};
use super::syntax::{self, Conninfo, Form};

fn pairs(conninfo: &Conninfo) -> Vec<(String, String)> {
    conninfo
        .params
        .iter()
        .map(|p| (p.keyword.to_string(), p.value.clone()))
        .collect()
}

fn render(form: Form, pairs: &[(String, String)]) -> String {
    match form {
        Form::KeywordValue => render_keyword_value(pairs),
        Form::Uri => render_uri(pairs),
    }
}

/// `input` with `keyword` set to `value` (or removed when `value` is empty), in the form it was
/// written in; secrets are kept. `None` when `input` is not a libpq string libpq accepts, or
/// `keyword` is not a libpq keyword. An empty input starts a keyword/value string.
pub fn set_param(input: &str, keyword: &str, value: &str) -> Option<String> {
    keywords::lookup(keyword)?;
    let (form, mut pairs) = if input.trim().is_empty() {
        (Form::KeywordValue, Vec::new())
    } else {
        let conninfo = syntax::parse(input).ok()?;
        (conninfo.form, pairs(&conninfo))
    };
    match pairs.iter_mut().find(|(k, _)| k == keyword) {
        Some(pair) if !value.is_empty() => pair.1 = value.to_string(),
        Some(_) => pairs.retain(|(k, _)| k != keyword),
        None if !value.is_empty() => pairs.push((keyword.to_string(), value.to_string())),
        None => {}
    }
    Some(render(form, &pairs))
}

/// A fix's replacement (rendered without secrets) with the secrets of `original` put back, so
/// applying a fix in the page does not drop the user's password, except `removed`: the secret
/// the fix takes out of the string ([`crate::diagnostic::Fix::removes_secret`]).
/// `None` when either string is not one libpq accepts.
pub fn restore_secrets(original: &str, replacement: &str, removed: Option<&str>) -> Option<String> {
    let original = syntax::parse(original).ok()?;
    let fixed = syntax::parse(replacement).ok()?;
    let mut pairs = pairs(&fixed);
    // Values the rendering masked a secret inside (a URL with its password in `options`) come
    // back whole, as they stand in the original, with whatever the fix appended.
    for pair in pairs.iter_mut() {
        let Some(before) = original.params.iter().find(|p| p.keyword == pair.0) else {
            continue;
        };
        let masked = without_secrets(&before.value, &original.hidden_secrets);
        if masked == before.value {
            continue;
        }
        if let Some(appended) = pair.1.strip_prefix(masked.as_str()) {
            pair.1 = format!("{}{appended}", before.value);
        }
    }
    for param in original
        .params
        .iter()
        .filter(|p| keywords::is_secret(p.keyword) && Some(p.keyword) != removed)
    {
        match pairs.iter_mut().find(|(k, _)| k == param.keyword) {
            Some(pair) => pair.1 = param.value.clone(),
            None => pairs.push((param.keyword.to_string(), param.value.clone())),
        }
    }
    Some(render(fixed.form, &pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_param_keeps_the_form_and_the_password() {
        let uri = "postgresql://app:s3cret@db.example.com/app?sslmode=require";
        let edited = set_param(uri, "sslmode", "verify-full").unwrap();
        let parsed = syntax::parse(&edited).unwrap();
        assert_eq!(parsed.form, Form::Uri);
        assert_eq!(parsed.get("sslmode"), Some("verify-full"));
        assert_eq!(parsed.get("password"), Some("s3cret"));
        let kv = set_param("host=db user=app", "port", "6432").unwrap();
        assert_eq!(syntax::parse(&kv).unwrap().get("port"), Some("6432"));
        let removed = set_param("host=db port=6432", "port", "").unwrap();
        assert_eq!(syntax::parse(&removed).unwrap().get("port"), None);
        assert_eq!(set_param("", "host", "db").unwrap(), "host=db");
        assert_eq!(set_param("host=db", "hots", "x"), None);
        assert_eq!(set_param("host='unterminated", "port", "1"), None);
    }

    #[test]
    fn restore_secrets_puts_the_password_back_into_a_fix() {
        let original = "host=db user=app password='p w' sslmode=require";
        let fix = "host=db user=app sslmode=verify-full";
        let restored = restore_secrets(original, fix, None).unwrap();
        let parsed = syntax::parse(&restored).unwrap();
        assert_eq!(parsed.get("password"), Some("p w"));
        assert_eq!(parsed.get("sslmode"), Some("verify-full"));
    }

    #[test]
    fn restore_secrets_puts_back_a_secret_written_inside_another_value() {
        let original = "host=db options='-c password=hunter22' sslmode=require";
        let conninfo = syntax::parse(original).unwrap();
        let fix = super::super::redact::render_with(
            &conninfo,
            &[super::super::redact::Edit::Set("sslmode", "verify-full")],
        );
        assert!(!fix.contains("hunter22"), "{fix}");
        let restored = restore_secrets(original, &fix, None).unwrap();
        let parsed = syntax::parse(&restored).unwrap();
        assert_eq!(parsed.get("options"), Some("-c password=hunter22"));
        assert_eq!(parsed.get("sslmode"), Some("verify-full"));
    }

    #[test]
    fn restore_secrets_leaves_out_the_secret_the_fix_removes() {
        let original = "postgresql://app:s3cret@db/app?sslpassword=kp&sslmode=verify-full";
        let fix = "postgresql://app@db/app?sslmode=verify-full";
        let restored = restore_secrets(original, fix, Some("password")).unwrap();
        let parsed = syntax::parse(&restored).unwrap();
        assert_eq!(parsed.get("password"), None);
        assert_eq!(parsed.get("sslpassword"), Some("kp"));
        assert!(!restored.contains("s3cret"), "{restored}");
    }

    #[test]
    fn a_uri_keeps_its_password_in_the_user_information() {
        let uri = "postgresql://app:s%40cret@db.example.com/app?sslmode=require";
        let edited = set_param(uri, "sslmode", "verify-full").unwrap();
        assert_eq!(
            edited,
            "postgresql://app:s%40cret@db.example.com/app?sslmode=verify-full"
        );
        let no_user = set_param("postgresql://db/app?password=pw", "port", "6432").unwrap();
        assert_eq!(syntax::parse(&no_user).unwrap().get("password"), Some("pw"));
        assert!(no_user.contains("password=pw"), "{no_user}");
    }
}
