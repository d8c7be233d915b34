//! Every rule pg-preflight knows: its stable code, default severity, title, explanation and
//! references. This is the single source for `pg-preflight rules`, the JS `rules()` and
//! `docs/rules.md`.
//!
//! Each area declares its rules next to the checks that raise them and exports them as a
//! `RULES` slice; [`all`] stitches the slices together. Codes are never reused or renumbered.

use crate::diagnostic::Severity;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// `PGP-<AREA>-<NNN>`.
    pub code: &'static str,
    /// The severity the rule is usually raised at; a check may raise or lower it with context.
    pub severity: Severity,
    /// Terse, no instance data.
    pub title: &'static str,
    /// Why it matters and what to do, in a paragraph or two of Markdown.
    pub explanation: &'static str,
    /// Specifications and manuals the rule is based on.
    pub references: &'static [&'static str],
    /// Where the rule is declared (`rule!` records it), beside the code that raises it.
    #[serde(skip)]
    pub file: &'static str,
    #[serde(skip)]
    pub line: u32,
}

impl Rule {
    /// The anchor of the rule's section in `docs/rules.md`.
    pub fn doc_anchor(&self) -> String {
        format!("docs/rules.md#{}", self.code.to_ascii_lowercase())
    }
}

/// Every rule, grouped by area in a stable order.
pub fn all() -> Vec<&'static Rule> {
    let areas: [&[&'static Rule]; 13] = [
        crate::conninfo::RULES,
        crate::conninfo::syntax::RULES,
        crate::conninfo::options::RULES,
        crate::conninfo::dialect::RULES,
        crate::conninfo::security::RULES,
        crate::conninfo::placeholder::RULES,
        crate::conninfo::paste::RULES,
        crate::conninfo::foreign::RULES,
        crate::pki::RULES,
        crate::pki::system_roots::RULES,
        crate::pki::shared_identity::RULES,
        crate::pki::chain::RULES,
        crate::grants::RULES,
    ];
    areas.iter().flat_map(|area| area.iter().copied()).collect()
}

pub fn find(code: &str) -> Option<&'static Rule> {
    all().into_iter().find(|rule| rule.code == code)
}

/// The text of `docs/rules.md`, generated. A test fails when the committed file differs.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# pg-preflight rules\n\n\
         <!-- Generated from crates/core/src/registry.rs by `pg-preflight rules --markdown`. Do not edit. -->\n\n\
         Every finding pg-preflight reports carries one of these stable codes. Severity is the\n\
         default; some checks raise or lower it with context (each section says when).\n\n\
         | Code | Severity | Title |\n| --- | --- | --- |\n",
    );
    let rules = all();
    for rule in &rules {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} |\n",
            rule.code,
            rule.code.to_ascii_lowercase(),
            rule.severity.as_str(),
            rule.title
        ));
    }
    for rule in &rules {
        out.push_str(&format!(
            "\n## {}\n\n**{}** — {}\n\n{}\n\nDeclared at [`{file}:{line}`](../{file}#L{line}).\n",
            rule.code,
            rule.severity.as_str(),
            rule.title,
            rule.explanation.trim(),
            file = rule.file,
            line = rule.line,
        ));
        if !rule.references.is_empty() {
            out.push_str("\nReferences:\n\n");
            for reference in rule.references {
                out.push_str(&format!("- {reference}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for rule in all() {
            assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
            let parts: Vec<&str> = rule.code.split('-').collect();
            assert_eq!(parts.len(), 3, "{}", rule.code);
            assert_eq!(parts.first(), Some(&"PGP"), "{}", rule.code);
            let area = parts.get(1).copied().unwrap_or_default();
            assert!(
                !area.is_empty() && area.bytes().all(|b| b.is_ascii_uppercase()),
                "{}",
                rule.code
            );
            let number = parts.get(2).copied().unwrap_or_default();
            assert!(
                number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                rule.code
            );
            assert!(!rule.title.is_empty() && !rule.explanation.trim().is_empty());
            assert!(
                !rule.title.contains('`'),
                "titles carry no instance data: {}",
                rule.code
            );
        }
    }

    #[test]
    fn docs_have_a_section_per_code() {
        let markdown = rules_markdown();
        for rule in all() {
            assert!(markdown.contains(&format!("\n## {}\n", rule.code)));
        }
    }
}
