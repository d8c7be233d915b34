//! The connection keywords libpq 18 knows (`PQconninfoOptions` in `fe-connect.c`), with what
//! pg-preflight needs to know about each.
//!
//! Reference: <https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-PARAMKEYWORDS>.
//! The list is checked against the real libpq 18's `PQconndefaults()` by `tests/libpq/keywords.py`
//! (run by `tests/libpq/run.sh`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyword {
    pub name: &'static str,
    /// libpq marks these with dispchar `*`: their values are never shown.
    pub secret: bool,
}

const fn kw(name: &'static str) -> Keyword {
    Keyword {
        name,
        secret: false,
    }
}

const fn secret(name: &'static str) -> Keyword {
    Keyword { name, secret: true }
}

/// In libpq's table order.
pub const KEYWORDS: &[Keyword] = &[
    kw("service"),
    kw("user"),
    secret("password"),
    kw("passfile"),
    kw("channel_binding"),
    kw("connect_timeout"),
    kw("dbname"),
    kw("host"),
    kw("hostaddr"),
    kw("port"),
    kw("client_encoding"),
    kw("options"),
    kw("application_name"),
    kw("fallback_application_name"),
    kw("keepalives"),
    kw("keepalives_idle"),
    kw("keepalives_interval"),
    kw("keepalives_count"),
    kw("tcp_user_timeout"),
    kw("sslmode"),
    kw("sslnegotiation"),
    kw("sslcompression"),
    kw("sslcert"),
    kw("sslkey"),
    kw("sslcertmode"),
    secret("sslpassword"),
    kw("sslrootcert"),
    kw("sslcrl"),
    kw("sslcrldir"),
    kw("sslsni"),
    kw("requirepeer"),
    kw("require_auth"),
    kw("min_protocol_version"),
    kw("max_protocol_version"),
    kw("ssl_min_protocol_version"),
    kw("ssl_max_protocol_version"),
    kw("gssencmode"),
    kw("krbsrvname"),
    kw("gsslib"),
    kw("gssdelegation"),
    kw("replication"),
    kw("target_session_attrs"),
    kw("load_balance_hosts"),
    secret("scram_client_key"),
    secret("scram_server_key"),
    kw("oauth_issuer"),
    kw("oauth_client_id"),
    secret("oauth_client_secret"),
    kw("oauth_scope"),
    kw("sslkeylogfile"),
];

pub fn lookup(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

pub fn is_secret(name: &str) -> bool {
    lookup(name).is_some_and(|k| k.secret)
}

/// The known keyword closest to `name` by edit distance, for "did you mean" fixes.
pub fn closest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let within = |k: &str| 2.max(k.len() / 4);
    KEYWORDS
        .iter()
        // The length difference bounds the distance from below: no table is filled for a
        // name that cannot be near (a pasted run of thousands of characters).
        .filter(|k| lower.len().abs_diff(k.name.len()) <= within(k.name))
        .map(|k| (edit_distance(&lower, k.name), k.name))
        .filter(|(d, k)| *d <= within(k))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = substitution.min(deletion).min(insertion);
            }
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(closest("ssl_mode"), Some("sslmode"));
        assert_eq!(closest("SSLMODE"), Some("sslmode"));
        assert_eq!(closest("hots"), Some("host"));
        assert_eq!(closest("frobnicate"), None);
    }

    #[test]
    fn table_order_is_libpqs() {
        // libpq 18 appends sslkeylogfile after the OAuth keywords and lists sslcertmode before
        // sslpassword (found by tests/libpq).
        assert_eq!(KEYWORDS.last().map(|k| k.name), Some("sslkeylogfile"));
        let position = |name| KEYWORDS.iter().position(|k| k.name == name);
        assert!(position("sslcertmode") < position("sslpassword"));
    }

    #[test]
    fn secrets_are_marked() {
        assert!(is_secret("password"));
        assert!(is_secret("sslpassword"));
        assert!(!is_secret("sslmode"));
    }
}
