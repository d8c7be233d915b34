//! A libpq parameter set built from another driver's string, with spans pointing into that
//! string, so libpq's value checks and the security review can run on it unchanged.

use super::Tls;
use crate::conninfo::keywords;
use crate::conninfo::syntax::{Conninfo, Form, Param};
use crate::diagnostic::Span;

#[derive(Debug, Clone)]
pub(crate) struct Equivalent {
    form: Form,
    params: Vec<Param>,
    /// Why the libpq reading only approximates the driver; empty when exact.
    approximations: Vec<String>,
    /// Where a parameter the input does not spell out would be added.
    end: Span,
    /// The input's secrets, as the lenient finders see them (`redact::secret_spans`): a value
    /// read where one stands is a piece of it.
    secrets: Vec<(usize, usize)>,
}

impl Equivalent {
    pub(crate) fn new(form: Form, input: &str) -> Equivalent {
        Equivalent {
            form,
            params: Vec::new(),
            approximations: Vec::new(),
            end: Span::new(input.len(), input.len()),
            secrets: crate::conninfo::redact::secret_spans(input, None),
        }
    }

    /// `text`, which the driver read from `input` at `span` (`read` is its unquoting or
    /// decoding), as the equivalent may hold it: masked where it stands over a secret. A
    /// reader that cuts a password (at an unencoded `&` of a query password, at a space) makes
    /// a setting of a piece of it, which keeps no finder's shape; a piece of digits only is
    /// masked by no text rule (a secrets hunter saw asyncpg's `?password=Zq9X&k=5487` give
    /// `options=-c k=5487`).
    pub(crate) fn shown(&self, input: &str, span: Span, text: &str, read: fn(&str) -> String) -> String {
        crate::conninfo::redact::mask_read_piece(input, &self.secrets, span, text, read)
    }

    /// Sets `keyword` (a libpq keyword), replacing an earlier value.
    pub(crate) fn set(&mut self, keyword: &str, value: &str, key_span: Span, value_span: Span) {
        let Some(known) = keywords::lookup(keyword) else {
            self.approximate(format!("`{keyword}` has no libpq keyword"));
            return;
        };
        if value.contains('\0') {
            // libpq strings end at a NUL; such a value cannot be written for libpq.
            self.approximate(format!("the `{keyword}` value contains a NUL character"));
            return;
        }
        match self.params.iter_mut().find(|p| p.keyword == known.name) {
            Some(param) => {
                param.value = value.to_string();
                param.key_span = key_span;
                param.value_span = value_span;
            }
            None => self.params.push(Param {
                keyword: known.name,
                value: value.to_string(),
                key_span,
                value_span,
                occurrences: 1,
            }),
        }
    }

    /// Sets `keyword` from a part of the input that is not a `key=value` pair.
    pub(crate) fn set_at(&mut self, keyword: &str, value: &str, span: Span) {
        self.set(keyword, value, span, span);
    }

    /// Sets `keyword` to a value the driver uses without the input saying so (its default).
    pub(crate) fn set_implied(&mut self, keyword: &str, value: &str) {
        let end = self.end;
        self.set(keyword, value, end, end);
    }

    pub(crate) fn remove(&mut self, keyword: &str) {
        self.params.retain(|p| p.keyword != keyword);
    }

    pub(crate) fn get(&self, keyword: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.keyword == keyword)
            .map(|p| p.value.as_str())
    }

    /// Appends `-c name=value` to `options`, escaping as the server's option splitter expects
    /// (whitespace and backslashes are backslash-escaped, libpq docs §32.1.2 `options`).
    pub(crate) fn add_server_setting(&mut self, name: &str, value: &str, span: Span) {
        let plain_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        if !plain_name {
            self.approximate(format!(
                "`{name}` cannot be written as a server setting in `options`"
            ));
            return;
        }
        let mut escaped = String::new();
        for c in value.chars() {
            if c.is_whitespace() || c == '\\' {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        let option = format!("-c {name}={escaped}");
        let value = match self.get("options").filter(|o| !o.is_empty()) {
            Some(existing) => format!("{existing} {option}"),
            None => option,
        };
        self.set_at("options", &value, span);
    }

    /// Records that the libpq reading differs from the driver.
    pub(crate) fn approximate(&mut self, reason: impl Into<String>) {
        self.approximations.push(reason.into());
    }

    /// `None` when exact, else why not.
    pub(crate) fn approximation(&self) -> Option<String> {
        (!self.approximations.is_empty()).then(|| self.approximations.join("; "))
    }

    /// Writes the driver's TLS behaviour as `sslmode` (and `sslrootcert` where the mode uses
    /// it). `root` is the CA file the driver verifies against, or `None` when it uses the
    /// system trust store. A root file is dropped in modes that do not verify, because libpq
    /// would verify with it (`require` with a root file behaves like `verify-ca`).
    pub(crate) fn set_tls(&mut self, tls: Tls, root: Option<(&str, Span)>, span: Span) {
        match tls.libpq_sslmode() {
            Some(mode) => {
                self.set_at("sslmode", mode.name(), span);
                match (tls, root) {
                    (Tls::RequireCa | Tls::RequireFull, Some((file, root_span))) => {
                        self.set_at("sslrootcert", file, root_span);
                    }
                    (Tls::RequireFull, None) => self.set_at("sslrootcert", "system", span),
                    (Tls::RequireCa, None) => {
                        self.remove("sslrootcert");
                        self.approximate(
                            "the driver checks the certificate chain against the system trust store without checking the host name, which libpq cannot do (`sslrootcert=system` requires `verify-full`)",
                        );
                    }
                    _ => self.remove("sslrootcert"),
                }
            }
            None => {
                // The closest libpq reading, for the review: TLS attempted or required, but
                // not verified the way the driver does.
                match tls {
                    Tls::PreferVerified { .. }
                    | Tls::Custom {
                        required: false, ..
                    } => {
                        self.set_at("sslmode", "prefer", span);
                        self.remove("sslrootcert");
                    }
                    Tls::Custom { required: true, .. } => {
                        self.set_at("sslmode", "require", span);
                        self.remove("sslrootcert");
                    }
                    _ => {}
                }
                self.approximate(match tls {
                    Tls::PreferVerified { .. } => "the driver verifies the server when TLS is used but still falls back to plaintext, which no libpq sslmode does",
                    Tls::Custom { .. } => "a custom TLS factory decides what is verified",
                    _ => "the driver refuses to connect",
                });
            }
        }
    }

    /// [`Equivalent::conninfo`] as it may be shown: every value read where the input holds a
    /// secret the finders see, its keyword no secret's (those [`redact::render`] leaves out),
    /// masked by place. A reader that takes a piece of a password for a host (asyncpg's
    /// `18569 xMdn@h1` of `app:36915@18569 xMdn@h1`) made the libpq equivalent show it, digits
    /// and all, which no text rule masks. The review reads [`Equivalent::conninfo`].
    ///
    /// [`redact::render`]: crate::conninfo::redact::render
    pub(crate) fn conninfo_shown(&self, input: &str) -> Conninfo {
        let mut conninfo = self.conninfo();
        for param in &mut conninfo.params {
            if !keywords::is_secret(param.keyword) {
                param.value = self.shown(input, param.value_span, &param.value, str::to_string);
            }
        }
        conninfo
    }

    pub(crate) fn conninfo(&self) -> Conninfo {
        // A URI can only carry host names without `:`, `[` and `]` (other than IPv6 literals,
        // which it brackets); anything else is written in keyword/value form, which quotes.
        let uri_safe = self.get("host").is_none_or(|hosts| {
            hosts
                .split(',')
                .all(|h| h.parse::<std::net::Ipv6Addr>().is_ok() || !h.contains([':', '[', ']']))
        });
        Conninfo {
            form: if uri_safe {
                self.form
            } else {
                Form::KeywordValue
            },
            params: self.params.clone(),
            notes: Vec::new(),
            hidden_secrets: crate::conninfo::embedded::HiddenSecrets::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::redact;

    #[test]
    fn builds_renderable_conninfo() {
        let mut eq = Equivalent::new(Form::KeywordValue, "abc");
        eq.set_at("host", "db", Span::new(0, 1));
        eq.add_server_setting("search_path", "my schema", Span::new(1, 2));
        eq.add_server_setting("statement_timeout", "5s", Span::new(1, 2));
        eq.set_tls(Tls::RequireFull, None, Span::new(2, 3));
        eq.set("password", "hunter2", Span::new(0, 1), Span::new(0, 1));
        assert!(eq.approximation().is_none());
        let rendered = redact::render(&eq.conninfo());
        assert_eq!(
            rendered,
            r"host=db options='-c search_path=my\\ schema -c statement_timeout=5s' sslmode=verify-full sslrootcert=system"
        );
        let Ok(again) = crate::conninfo::syntax::parse(&rendered) else {
            panic!("reparses");
        };
        assert_eq!(
            again.get("options"),
            Some(r"-c search_path=my\ schema -c statement_timeout=5s")
        );
    }

    #[test]
    fn unknown_keywords_and_inexpressible_modes_are_approximations() {
        let mut eq = Equivalent::new(Form::Uri, "");
        eq.set_implied("schema", "x");
        eq.set_tls(Tls::PreferVerified { host: true }, None, Span::new(0, 0));
        assert!(eq.approximation().is_some());
        assert_eq!(eq.get("schema"), None);
    }
}
