//! Message patterns with placeholders: `server certificate for "{name}" does not match host
//! name "{host}"`. A pattern's literal pieces must appear in order; each `{placeholder}` takes
//! the shortest text up to the next literal piece (the last one, to the end of the line). A
//! pattern ending in `$` must end the line (trailing spaces aside): Node's `self-signed
//! certificate` is otherwise the start of `self-signed certificate in certificate chain`.

use std::collections::BTreeMap;

/// What a pattern captured: placeholder → text.
pub type Captures = BTreeMap<&'static str, String>;

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(&'static str),
    Placeholder(&'static str),
}

fn pieces(pattern: &'static str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            out.push(Piece::Literal(&rest[..open]));
        }
        out.push(Piece::Placeholder(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest));
    }
    out
}

/// A match: the captures and the byte range of the line it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub captures: Captures,
    pub start: usize,
    pub end: usize,
}

/// Where `pattern` matches in `line` (anywhere in it: clients wrap messages in prefixes), with
/// its captures.
#[cfg(test)]
pub fn find(pattern: &'static str, line: &str) -> Option<Captures> {
    find_at(pattern, line).map(|found| found.captures)
}

/// [`find`] with the range it covers.
pub fn find_at(pattern: &'static str, line: &str) -> Option<Found> {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(rest) => (rest, true),
        None => (pattern, false),
    };
    let line_end = line.trim_end().len();
    let pieces = pieces(pattern);
    let first_literal = pieces.iter().find_map(|p| match p {
        Piece::Literal(text) => Some(*text),
        Piece::Placeholder(_) => None,
    })?;
    // Every place the first literal stands is a possible start. A later literal missing from
    // the rest of the line is missing for every later start too, so the search stops there:
    // one pass over the line per pattern, however often the first literal repeats.
    let mut from = 0;
    while let Some(at) = line.get(from..).and_then(|rest| rest.find(first_literal)) {
        let start = from + at;
        let (captures, end) = match_at(&pieces, line, start)?;
        if !anchored || end == line_end {
            return Some(Found {
                captures,
                start,
                end,
            });
        }
        from = start + first_literal.len().max(1);
    }
    None
}

/// `pattern` with each placeholder replaced by its capture (an absent one by nothing): the
/// message as the line shows it, to find the same text in a finding's detail.
pub fn filled(pattern: &'static str, captures: &Captures) -> String {
    let pattern = pattern.strip_suffix('$').unwrap_or(pattern);
    pieces(pattern)
        .into_iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text,
            Piece::Placeholder(name) => captures.get(name).map_or("", String::as_str),
        })
        .collect()
}

/// Matches the pieces from `start`, where the first literal stands (a leading placeholder
/// takes the text before it back to a space or quote).
fn match_at(pieces: &[Piece], line: &str, start: usize) -> Option<(Captures, usize)> {
    let mut captures = Captures::new();
    let mut at = start;
    let mut iter = pieces.iter().peekable();
    if let Some(Piece::Placeholder(name)) = iter.peek().copied() {
        let before = line.get(..start)?;
        let word_start = before
            .rfind(|c: char| c.is_whitespace() || c == '"')
            .map_or(0, |i| i + 1);
        captures.insert(name, before.get(word_start..)?.to_string());
        iter.next();
    }
    while let Some(piece) = iter.next() {
        match piece {
            Piece::Literal(text) => {
                if !line.get(at..)?.starts_with(text) {
                    return None;
                }
                at += text.len();
            }
            Piece::Placeholder(name) => {
                let end = match iter.peek() {
                    Some(Piece::Literal(next)) => at + line.get(at..)?.find(next)?,
                    _ => line.trim_end().len().max(at),
                };
                captures.insert(name, line.get(at..end)?.to_string());
                at = end;
            }
        }
    }
    Some((captures, at))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn literal_pieces_in_order_and_placeholders_between_them() {
        let line = r#"connection to server at "db.example.com" (10.0.0.5), port 5432 failed: server certificate for "other.example.com" does not match host name "db.example.com""#;
        let got = find(
            r#"server certificate for "{name}" does not match host name "{host}""#,
            line,
        )
        .unwrap();
        assert_eq!(got["name"], "other.example.com");
        assert_eq!(got["host"], "db.example.com");
        assert!(find("does not match host name at all", line).is_none());
    }

    #[test]
    fn a_trailing_placeholder_takes_the_rest_of_the_line() {
        let got = find(
            "could not load private key file \"{file}\": {reason}",
            "psql: error: could not load private key file \"client.key\": key values mismatch",
        )
        .unwrap();
        assert_eq!(got["file"], "client.key");
        assert_eq!(got["reason"], "key values mismatch");
    }

    #[test]
    fn a_filled_pattern_is_the_text_it_matched() {
        let pattern = r#"invalid {keyword} value: "{value}""#;
        let line = r#"psql: error: invalid sslmode value: "requried""#;
        assert_eq!(
            filled(pattern, &find(pattern, line).unwrap()),
            r#"invalid sslmode value: "requried""#
        );
    }

    #[test]
    fn an_anchored_pattern_must_end_the_line() {
        assert!(find("Error: self-signed certificate$", "Error: self-signed certificate  ").is_some());
        assert!(find(
            "Error: self-signed certificate$",
            "Error: self-signed certificate in certificate chain"
        )
        .is_none());
    }
}
