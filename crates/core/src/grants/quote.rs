//! Quoting names and literals exactly as each server reads them, so that no name in a spec,
//! however hostile, can change what a statement does.

/// Key words that are not "unreserved" in PostgreSQL 13, 14 and 15 (reserved, type/function
/// name, or column name key words: `pg_get_keywords()` with `catcode <> 'U'`, read from a
/// PostgreSQL 15 server). A bare name that is one of these is a syntax error or means something
/// else, so it is quoted. Sorted, for binary search.
const KEYWORDS_13: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// Added in later versions (Appendix C, "SQL Key Words", and each release's kwlist.h). The
/// 18 list is checked against a PostgreSQL 18 server by tests/grants; where the release notes
/// leave the version of a JSON key word open, it is listed from 16: a needless quote is
/// harmless, a missing one is a syntax error.
const KEYWORDS_ADDED: &[(&str, u32)] = &[
    ("json", 16),
    ("json_array", 16),
    ("json_arrayagg", 16),
    ("json_object", 16),
    ("json_objectagg", 16),
    ("json_scalar", 16),
    ("json_serialize", 16),
    ("system_user", 16),
    ("json_exists", 17),
    ("json_query", 17),
    ("json_table", 17),
    ("json_value", 17),
    ("merge_action", 17),
];

/// Whether `word` is a key word that a bare identifier may not be in PostgreSQL `version`.
pub fn is_pg_keyword(word: &str, version: u32) -> bool {
    KEYWORDS_13.binary_search(&word).is_ok()
        || KEYWORDS_ADDED
            .iter()
            .any(|(w, since)| *w == word && version >= *since)
}

/// PostgreSQL's `quote_ident` (ruleutils.c `quote_identifier`): a name stays bare only when
/// it is lower-case ASCII letters, digits and underscores, does not start with a digit, and is
/// not a non-unreserved key word of that version; otherwise it is double-quoted with every
/// `"` doubled (Lexical Structure, "Identifiers and Key Words").
pub fn pg_ident(name: &str, version: u32) -> String {
    if is_simple_lower(name) && !is_pg_keyword(name, version) {
        return name.to_string();
    }
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn is_simple_lower(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'_'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

/// PostgreSQL's `quote_literal`: quotes doubled; when the text holds a backslash, an escape
/// string `E'…'` with backslashes doubled, which reads the same whatever
/// `standard_conforming_strings` is (Lexical Structure, "String Constants").
pub fn pg_literal(text: &str) -> String {
    let quoted = text.replace('\'', "''");
    if text.contains('\\') {
        format!("E'{}'", quoted.replace('\\', "\\\\"))
    } else {
        format!("'{quoted}'")
    }
}

/// A dollar-quoted body (`$tag$ … $tag$`) whose tag does not occur in the body, so no
/// name inside can end it early (Lexical Structure, "Dollar-Quoted String Constants").
pub fn pg_dollar_quote(body: &str) -> String {
    let mut n = 0u32;
    loop {
        let tag = if n == 0 {
            "$pgp$".to_string()
        } else {
            format!("$pgp{n}$")
        };
        if !body.contains(&tag) {
            return format!("{tag}\n{body}\n{tag}");
        }
        n += 1;
    }
}

/// MySQL/MariaDB identifier: backticks, with ``` doubled ("Schema Object Names"). Backticks
/// also quote account user and host names, and unlike string literals they never interpret a
/// backslash, whatever `sql_mode` says.
pub fn my_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// MySQL/MariaDB string literal for the scripts, which first make sure NO_BACKSLASH_ESCAPES is
/// off: backslash and quote are escaped ("String Literals").
pub fn my_literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// A pg_hba.conf database or user field: always double-quoted, so `all`, `sameuser`,
/// `replication`, a leading `+` or `@` and `#` lose their special meaning; `"` is doubled
/// (pg_hba.conf: "Quoting one of the keywords makes it lose its special meaning"). From 16 a
/// field starting with `/` is a regular expression even when quoted, so such a name becomes an
/// anchored expression matching exactly itself.
pub fn hba_name(name: &str, version: u32) -> (String, bool) {
    if version >= 16 && name.starts_with('/') {
        let mut pattern = String::from("/^");
        for c in name.chars() {
            if c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() {
                pattern.push(c);
            } else {
                pattern.push('\\');
                pattern.push(c);
            }
        }
        pattern.push('$');
        return (format!("\"{}\"", pattern.replace('"', "\"\"")), true);
    }
    (format!("\"{}\"", name.replace('"', "\"\"")), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_table_is_sorted_for_binary_search() {
        assert!(KEYWORDS_13.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn identifiers_are_quoted_like_quote_ident() {
        assert_eq!(pg_ident("orders", 15), "orders");
        assert_eq!(pg_ident("_x1", 15), "_x1");
        assert_eq!(pg_ident("Orders", 15), "\"Orders\"");
        assert_eq!(pg_ident("1x", 15), "\"1x\"");
        assert_eq!(pg_ident("a$b", 15), "\"a$b\"");
        assert_eq!(pg_ident("select", 15), "\"select\"");
        assert_eq!(pg_ident("user", 13), "\"user\"");
        assert_eq!(pg_ident("merge", 15), "merge"); // unreserved
        assert_eq!(pg_ident("json_table", 16), "json_table");
        assert_eq!(pg_ident("json_table", 17), "\"json_table\"");
        assert_eq!(pg_ident("system_user", 15), "system_user");
        assert_eq!(pg_ident("system_user", 16), "\"system_user\"");
        assert_eq!(
            pg_ident("x\"; DROP TABLE y; --", 15),
            "\"x\"\"; DROP TABLE y; --\""
        );
        assert_eq!(pg_ident("Ünï", 15), "\"Ünï\"");
    }

    #[test]
    fn literals_follow_quote_literal() {
        assert_eq!(pg_literal("it's"), "'it''s'");
        assert_eq!(pg_literal("a\\b'"), "E'a\\\\b'''");
        assert_eq!(my_literal("a\\b'c"), "'a\\\\b''c'");
        assert_eq!(my_ident("we`ird"), "`we``ird`");
    }

    #[test]
    fn dollar_quote_tag_never_occurs_in_the_body() {
        assert_eq!(pg_dollar_quote("x"), "$pgp$\nx\n$pgp$");
        let body = "a $pgp$ b $pgp1$";
        let quoted = pg_dollar_quote(body);
        assert!(quoted.starts_with("$pgp2$\n"));
    }

    #[test]
    fn hba_names_are_quoted_and_slash_names_anchored_from_16() {
        assert_eq!(hba_name("all", 15).0, "\"all\"");
        assert_eq!(hba_name("a\"b", 15).0, "\"a\"\"b\"");
        assert_eq!(hba_name("/x.y", 15), ("\"/x.y\"".to_string(), false));
        assert_eq!(hba_name("/x.y", 16), ("\"/^\\/x\\.y$\"".to_string(), true));
    }
}
