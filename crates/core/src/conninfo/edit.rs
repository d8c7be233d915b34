//! Editing a libpq connection string the way the page's form fields and "apply fix" buttons do.
//!
//! Unlike [`super::redact`], these functions keep secrets: their result goes back into the same
//! input box the user typed the secret into, and nowhere else. Never use them for diagnostics,
//! fixes or any output that is shown, logged or saved.

use super::dialect::{render, Dialect};
use super::keywords;
use super::redact::{render_in, secret_spans};
use super::syntax::{self, Form};
use crate::diagnostic::Fix;

/// `input` with `keyword` set to `value` (or removed when `value` is empty), in the form it was
/// written in; secrets are kept. `None` when `input` is not a libpq string libpq accepts, or
/// `keyword` is not a libpq keyword. An empty input starts a keyword/value string.
pub fn set_param(input: &str, keyword: &str, value: &str) -> Option<String> {
    keywords::lookup(keyword)?;
    let (form, mut pairs) = if input.trim().is_empty() {
        (Form::KeywordValue, Vec::new())
    } else {
        let conninfo = syntax::parse(input).ok()?;
        (conninfo.form, conninfo.pairs())
    };
    match pairs.iter_mut().find(|(k, _)| k == keyword) {
        Some(pair) if !value.is_empty() => pair.1 = value.to_string(),
        Some(_) => pairs.retain(|(k, _)| k != keyword),
        None if !value.is_empty() => pairs.push((keyword.to_string(), value.to_string())),
        None => {}
    }
    Some(render_in(form, &pairs))
}

/// What "apply this fix" puts into the input box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// A secret of the user's string has no place in the fixed one (it is missing, or a mask
    /// stands where it goes): the page says so rather than hand back a broken string silently.
    pub secret_left_out: bool,
}

/// `fix` applied to the user's own `input`, read as `dialect`, with their secrets kept except
/// the one the fix removes. An edit in another driver's syntax is made again on the user's
/// string ([`render::apply`]); a replacement written whole (PGP-DRIVER-025's `ssl` for
/// `sslmode`, or any libpq fix, which libpq's rendering writes from the parsed string) gets the
/// secrets put back in its own syntax ([`render::restore_secrets`]). `None` when the fix has
/// no replacement.
pub fn apply_fix(dialect: Dialect, input: &str, fix: &Fix) -> Option<Applied> {
    let replacement = fix.replacement.as_deref()?;
    // A libpq URL given to Npgsql is written whole as Npgsql's pairs: the URL is no Npgsql
    // string to edit, and its password goes back as `Password`.
    if let Some(text) = render::npgsql_pairs_with_secrets(dialect, input, replacement) {
        return Some(Applied {
            text,
            secret_left_out: false,
        });
    }
    let removed = fix.removes_secret;
    let made_again = dialect != Dialect::Libpq && (!fix.changes.is_empty() || removed.is_some());
    let restored = if made_again {
        render::apply(dialect, input, fix).map(|text| render::Restored {
            text,
            complete: true,
        })
    } else {
        render::restore_secrets(dialect, input, replacement, removed)
    };
    Some(match restored {
        Some(restored) => Applied {
            text: restored.text,
            secret_left_out: !restored.complete,
        },
        // Nothing to read the secrets from or put them into: the replacement as shown, which
        // lacks whatever secret the input holds.
        None => Applied {
            text: replacement.to_string(),
            secret_left_out: removed.is_none() && !secret_spans(input, None).is_empty(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libpq_restored(original: &str, replacement: &str, removed: Option<&str>) -> String {
        render::restore_secrets(Dialect::Libpq, original, replacement, removed)
            .unwrap()
            .text
    }

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
        let restored = libpq_restored(original, fix, None);
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
        let restored = libpq_restored(original, &fix, None);
        let parsed = syntax::parse(&restored).unwrap();
        assert_eq!(parsed.get("options"), Some("-c password=hunter22"));
        assert_eq!(parsed.get("sslmode"), Some("verify-full"));
    }

    #[test]
    fn restore_secrets_leaves_out_the_secret_the_fix_removes() {
        let original = "postgresql://app:s3cret@db/app?sslpassword=kp&sslmode=verify-full";
        let fix = "postgresql://app@db/app?sslmode=verify-full";
        let restored = libpq_restored(original, fix, Some("password"));
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

#[cfg(test)]
mod apply_tests {
    use super::*;
    use crate::conninfo::{analyze, CheckOptions};
    use crate::diagnostic::fix_of;

    /// The fix of `code` for `input` read as `dialect`, applied as the page applies it.
    fn applied(dialect: Dialect, input: &str, code: &str) -> Applied {
        let analysis = analyze(input, Some(dialect), &CheckOptions::default());
        let fix = fix_of(&analysis.diagnostics, code)
            .unwrap_or_else(|| panic!("no {code} fix for {input}"));
        assert!(fix.changes.is_empty(), "{code} is an edit, not a replacement");
        apply_fix(dialect, input, fix).unwrap()
    }

    /// An outside review: SQLAlchemy's asyncpg URL lost its password when "Call the argument
    /// ssl" was applied, since only a libpq parse could put it back.
    #[test]
    fn an_asyncpg_replacement_keeps_the_url_password_as_written() {
        let input = "postgresql+asyncpg://app:s3cr%40t@db.example.com/app?sslmode=verify-full";
        let fixed = applied(Dialect::Sqlalchemy, input, "PGP-DRIVER-025");
        assert_eq!(
            fixed.text,
            "postgresql+asyncpg://app:s3cr%40t@db.example.com/app?ssl=verify-full"
        );
        assert!(!fixed.secret_left_out);
        // `sslrootcert` goes into an ssl.SSLContext in code: removing it alone would leave
        // asyncpg looking for `~/.postgresql/root.crt`, and renaming `sslmode` beside it would
        // leave a string connect() still refuses (a driver expert's review): both findings
        // give the context, and the URL without both arguments.
        let input = "postgresql+asyncpg://app:s3cr%40t@db.example.com/app?sslmode=verify-full&sslrootcert=/etc/ca.pem";
        let analysis = analyze(input, Some(Dialect::Sqlalchemy), &CheckOptions::default());
        for code in ["PGP-DRIVER-003", "PGP-DRIVER-025"] {
            let fix = fix_of(&analysis.diagnostics, code).unwrap();
            assert_eq!(fix.replacement, None, "{code}");
            assert!(
                fix.code.as_ref().is_some_and(|code| code.text.contains("cafile=\"/etc/ca.pem\"")
                    && code.text.contains("without sslmode and sslrootcert")),
                "{code}: {:?}",
                fix.code
            );
        }
    }

    /// A libpq URL given to Npgsql: "apply" writes the URL's settings as Npgsql's pairs with
    /// the URL's password put back as `Password` (quoted where ADO.NET needs it); making the
    /// edits again on the URL wrote them after it (`…?sslmode=require;Username=app;…`).
    #[test]
    fn a_url_given_to_npgsql_is_applied_as_npgsql_pairs() {
        let input = "postgresql://app:Zq9X%3BWk7V@db.example.com:5432/app?sslmode=require";
        let fixed = applied(Dialect::Npgsql, input, "PGP-DRIVER-003");
        assert_eq!(
            fixed.text,
            "Host=db.example.com;Username=app;Port=5432;Database=app;SSL Mode=Require;Password=\"Zq9X;Wk7V\""
        );
        assert!(!fixed.secret_left_out);
        let again = analyze(&fixed.text, Some(Dialect::Npgsql), &CheckOptions::default());
        assert!(again.valid && !again.has_errors(), "{:?}", again.diagnostics);
        assert_eq!(
            again.params.as_ref().and_then(|p| p.get("Password")).map(String::as_str),
            Some("Zq9X;Wk7V")
        );
    }

    /// A driver's replacement was re-rendered by libpq, which wrote `postgresql://` for the
    /// user's `postgres://` and re-encoded values the driver reads as written.
    #[test]
    fn a_replacement_keeps_the_drivers_own_spelling() {
        let node = "postgres://app:s3cr%40t@db.example.com/app?sslmode=require";
        assert_eq!(
            applied(Dialect::NodePostgres, node, "PGP-DRIVER-017").text,
            "postgres://app:s3cr%40t@db.example.com/app?sslmode=verify-full"
        );
        let asyncpg = "postgresql://app:s3cr%40t@db.example.com/app?sslmode=require&sslrootcert=system";
        assert_eq!(
            applied(Dialect::Asyncpg, asyncpg, "PGP-DRIVER-011").text,
            "postgresql://app:s3cr%40t@db.example.com/app?sslmode=require&sslrootcert=/etc/ssl/certs/ca-certificates.crt"
        );
    }

    fn restored(dialect: Dialect, original: &str, replacement: &str) -> render::Restored {
        render::restore_secrets(dialect, original, replacement, None).unwrap()
    }

    #[test]
    fn secret_settings_go_back_in_the_replacements_own_syntax() {
        let jdbc = restored(
            Dialect::Jdbc,
            "jdbc:postgresql://db/app?user=app&password=p%26w&ssl=true",
            "jdbc:postgresql://db/app?user=app&sslmode=verify-full",
        );
        assert_eq!(
            jdbc.text,
            "jdbc:postgresql://db/app?user=app&sslmode=verify-full&password=p%26w"
        );
        let npgsql = restored(
            Dialect::Npgsql,
            r#"Host=db;Username=app;Password="s3;cr t";SSL Mode=Prefer;"#,
            "Host=db;Username=app;SSL Mode=VerifyFull;",
        );
        assert_eq!(
            npgsql.text,
            r#"Host=db;Username=app;SSL Mode=VerifyFull;Password="s3;cr t";"#
        );
        let pgx = restored(
            Dialect::Pgx,
            r"host=db user=app password='s3 cr\'t' sslmode=require",
            "host=db user=app sslmode=verify-full",
        );
        assert_eq!(
            pgx.text,
            r"host=db user=app sslmode=verify-full password='s3 cr\'t'"
        );
        let masked = restored(
            Dialect::Prisma,
            "postgresql://app:s3cret@db/app?sslmode=prefer&password=********",
            "postgresql://app@db/app?sslmode=require",
        );
        assert_eq!(
            masked.text,
            "postgresql://app:s3cret@db/app?sslmode=require&password=********"
        );
        assert!([jdbc, npgsql, pgx, masked].iter().all(|r| r.complete));
    }

    #[test]
    fn a_secret_masked_inside_another_value_comes_back_whole() {
        let fixed = restored(
            Dialect::Npgsql,
            "Host=db;Application Name=postgresql://u:hunter22@h/d;SSL Mode=Prefer",
            "Host=db;Application Name=postgresql://u:********@h/d;SSL Mode=VerifyFull",
        );
        assert_eq!(
            fixed.text,
            "Host=db;Application Name=postgresql://u:hunter22@h/d;SSL Mode=VerifyFull"
        );
        assert!(fixed.complete);
        let other = restored(
            Dialect::Npgsql,
            "Host=db;Application Name=postgresql://u:hunter22@h/d;SSL Mode=Prefer",
            "Host=db;Application Name=other://u:********@h/d;SSL Mode=VerifyFull",
        );
        assert!(!other.complete, "{}", other.text);
    }

    #[test]
    fn the_secret_the_fix_removes_stays_out() {
        let fixed = render::restore_secrets(
            Dialect::Sqlalchemy,
            "postgresql+asyncpg://app:s3cret@db/app?sslmode=require",
            "postgresql+asyncpg://app@db/app?ssl=require",
            Some("password"),
        )
        .unwrap();
        assert_eq!(fixed.text, "postgresql+asyncpg://app@db/app?ssl=require");
        assert!(fixed.complete);
    }

    /// A replacement with no user information has no place for the URL password: the page is
    /// told, rather than handed a string without it.
    #[test]
    fn a_secret_with_no_place_is_reported() {
        let fixed = restored(
            Dialect::Sqlalchemy,
            "postgresql+asyncpg://app:s3cret@db/app?sslmode=require",
            "postgresql+asyncpg://db/app?ssl=require",
        );
        assert!(!fixed.complete);
        assert!(!fixed.text.contains("s3cret"));
        let fix = Fix::replace("x", "postgresql+asyncpg://db/app?ssl=require");
        let applied = apply_fix(
            Dialect::Sqlalchemy,
            "postgresql+asyncpg://app:s3cret@db/app?sslmode=require",
            &fix,
        )
        .unwrap();
        assert!(applied.secret_left_out);
    }

    /// pgjdbc reads no user information: its fix moves the user into the query, and the
    /// password goes there too, encoded for a query value.
    #[test]
    fn a_jdbc_password_moves_with_the_user_into_the_query() {
        let input = "jdbc:postgresql://app:p%40ss&w@db:5432/app";
        let fixed = applied(Dialect::Jdbc, input, "PGP-DRIVER-015");
        assert_eq!(
            fixed.text,
            "jdbc:postgresql://db:5432/app?user=app&password=p%40ss%26w"
        );
        assert!(!fixed.secret_left_out);
    }

    /// The port finder masks a port that may be `user:password` read as host and port; the
    /// applied fix gives the user's text back rather than a mask.
    #[test]
    fn a_value_masked_as_a_possible_secret_comes_back() {
        let input = "postgresql://localhost:abc";
        let analysis = analyze(input, None, &CheckOptions::default());
        let fix = fix_of(&analysis.diagnostics, "PGP-PARAM-102").unwrap();
        assert!(fix.replacement.as_deref().unwrap().contains(super::super::redact::REDACTED));
        let fixed = apply_fix(Dialect::Libpq, input, fix).unwrap();
        assert_eq!(
            syntax::parse(&fixed.text).unwrap().get("port"),
            Some("abc"),
            "{}",
            fixed.text
        );
        assert!(!fixed.secret_left_out);
    }
}
