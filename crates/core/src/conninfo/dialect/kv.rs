//! The one key/value-with-spans shape every driver reader produces and the renderers read.
//!
//! Each reader turns the user's string into [`Setting`]s the way its driver reads it (its own
//! key matching, decoding and "which occurrence wins" rule), and its `check_*` functions and
//! verdict work on those; `render` edits the same settings in place for fixes.

use crate::diagnostic::Span;

/// One setting as a driver reads it from a string: the key as the driver matches it, the
/// decoded value, and where the key, the value and the whole element are in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Setting {
    /// The key as the driver matches it (a decoded URL query key, Npgsql's canonical name, …).
    pub key: String,
    /// The value as the driver decodes it.
    pub value: String,
    pub key_span: Span,
    pub value_span: Span,
    /// The whole element as written (`key=value`, a closing quote included): what a fix
    /// replaces or removes. For a part of a URL that is not a `key=value` element (the user
    /// information, the host list, the path), that part.
    pub span: Span,
}

impl Setting {
    /// A `key=value` element that runs from its key to the end of its value.
    pub(crate) fn pair(
        key: impl Into<String>,
        value: impl Into<String>,
        key_span: Span,
        value_span: Span,
    ) -> Setting {
        Setting {
            key: key.into(),
            value: value.into(),
            key_span,
            value_span,
            span: key_span.cover(value_span),
        }
    }

    /// A value the input gives without a key of its own (a URL's user, host list or path):
    /// every span is the part's.
    pub(crate) fn part(key: impl Into<String>, value: impl Into<String>, span: Span) -> Setting {
        Setting::pair(key, value, span, span)
    }

    /// From the start of the key to the end of the value: where findings about the setting
    /// point.
    pub(crate) fn pair_span(&self) -> Span {
        self.key_span.cover(self.value_span)
    }
}

/// The last setting called `key` (exactly): the one a driver that keeps every occurrence reads.
pub(crate) fn get<'a>(settings: &'a [Setting], key: &str) -> Option<&'a Setting> {
    settings.iter().rev().find(|s| s.key == key)
}

/// [`get`], when its value is not empty.
pub(crate) fn get_nonempty<'a>(settings: &'a [Setting], key: &str) -> Option<&'a Setting> {
    get(settings, key).filter(|s| !s.value.is_empty())
}

/// Settings as a driver that reads the last occurrence of a key keeps them: each at the place
/// of its last occurrence. Indexed by key, so that reading a string is linear in its settings:
/// a search of the list for each setting made thousands of distinct keys quadratic (pgx,
/// 738 ms for 60 KB in release; `BENCH_SHAPE="distinct keys"` in the `adversarial_strings`
/// bench). A B-tree rather than a hash map: the core takes no randomness, not even a hasher's.
#[derive(Debug, Default)]
pub(crate) struct LastOfEach {
    slots: Vec<Option<Setting>>,
    slot_of: std::collections::BTreeMap<String, usize>,
}

impl LastOfEach {
    /// Adds `setting` after dropping any earlier one with its key.
    pub(crate) fn set(&mut self, setting: Setting) {
        self.remove(&setting.key);
        self.slot_of.insert(setting.key.clone(), self.slots.len());
        self.slots.push(Some(setting));
    }

    /// Drops the setting called `key`, if any.
    pub(crate) fn remove(&mut self, key: &str) {
        if let Some(slot) = self.slot_of.remove(key).and_then(|i| self.slots.get_mut(i)) {
            *slot = None;
        }
    }

    pub(crate) fn into_settings(self) -> Vec<Setting> {
        self.slots.into_iter().flatten().collect()
    }
}

/// Adds `setting` unless its key is already there: the driver reads the first occurrence.
pub(crate) fn add_first(settings: &mut Vec<Setting>, setting: Setting) {
    if settings.iter().all(|s| s.key != setting.key) {
        settings.push(setting);
    }
}

/// Removes the (first) setting called `key` and returns it.
pub(crate) fn take(settings: &mut Vec<Setting>, key: &str) -> Option<Setting> {
    let position = settings.iter().position(|s| s.key == key)?;
    Some(settings.remove(position))
}

/// Which of `settings` are a secret's own text rather than settings of their own: those that
/// start inside a secret the lenient finders mark (`redact::secret_spans`), at its start too.
/// That is what an unencoded `&` leaves of a query password (`password=Zq9x&Wv7k&sslmode=…`),
/// an unquoted space of a keyword/value one read by pgx (`Password=Vt4k Jw8r;SSL Mode=…`), and
/// whatever else the finders take for the password's rest: one rule, the finders', so that no
/// reader names such a piece and no renderer copies it.
pub(crate) fn secret_tails(input: &str, settings: &[Setting]) -> Vec<bool> {
    let secrets = crate::conninfo::redact::secret_spans(input, None);
    settings
        .iter()
        .map(|setting| crate::conninfo::redact::secret_containing(&secrets, setting.span.start).is_some())
        .collect()
}

/// `settings` with each [`secret_tails`] piece joined to the element before it, whose span then
/// holds the whole secret (where a rendering's finders mask it).
pub(crate) fn join_secret_tails(input: &str, settings: Vec<Setting>) -> Vec<Setting> {
    let tails = secret_tails(input, &settings);
    let mut joined: Vec<Setting> = Vec::new();
    for (setting, tail) in settings.into_iter().zip(tails) {
        match joined.last_mut() {
            Some(before) if tail => before.span = before.span.cover(setting.span),
            _ => joined.push(setting),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences() {
        let s = |key: &str, value: &str, at: usize| Setting::part(key, value, Span::new(at, at));
        let mut latest = LastOfEach::default();
        latest.set(s("a", "1", 0));
        latest.set(s("c", "x", 1));
        latest.set(s("b", "", 1));
        latest.set(s("a", "2", 2));
        latest.remove("c");
        latest.remove("never set");
        let mut last = latest.into_settings();
        assert_eq!(
            last.iter().map(|s| s.value.as_str()).collect::<Vec<_>>(),
            ["", "2"]
        );
        assert_eq!(get(&last, "a").map(|s| s.span), Some(Span::new(2, 2)));
        assert_eq!(get_nonempty(&last, "b"), None);
        assert_eq!(take(&mut last, "b").map(|s| s.span), Some(Span::new(1, 1)));
        assert_eq!(last.len(), 1);
        let mut first = Vec::new();
        add_first(&mut first, s("a", "1", 0));
        add_first(&mut first, s("a", "2", 2));
        assert_eq!(get(&first, "a").map(|s| s.value.as_str()), Some("1"));
    }
}
