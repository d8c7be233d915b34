//! Finding PEM blocks in whatever a person pasted (RFC 7468 "lax" parsing).
//!
//! People paste bundles with text between blocks (`openssl x509 -text` output, `subject=`
//! lines from `s_client -showcerts`), Windows line endings, indentation from YAML files,
//! no final newline, and RFC 1421 headers (`Proc-Type`, `DEK-Info`) in legacy encrypted keys.
//! Every block is returned, broken ones with the precise problem and line, so that intake can
//! say "block 2 (line 31) is truncated" instead of "invalid PEM".

use crate::diagnostic::Span;

/// One `-----BEGIN …-----` … `-----END …-----` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 1-based position among the blocks of the input.
    pub number: usize,
    pub label: String,
    /// RFC 1421 encapsulated headers, e.g. `("DEK-Info", "AES-256-CBC,…")`.
    pub headers: Vec<(String, String)>,
    pub body: Result<Vec<u8>, Problem>,
    /// 1-based line of the BEGIN line.
    pub line: usize,
    /// Bytes of the whole block, BEGIN line to END line.
    pub span: Span,
}

/// What is wrong with a block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No END line before the input (or the next BEGIN) ends.
    Truncated { line: usize },
    /// `-----END Y-----` closes `-----BEGIN X-----`.
    LabelMismatch { end_label: String, line: usize },
    /// A character outside the base64 alphabet, or padding in the middle.
    BadBase64 { line: usize, column: usize },
    /// The base64 length is not a whole number of 4-character groups.
    BadLength { characters: usize },
    /// Nothing between BEGIN and END.
    Empty,
}

impl Problem {
    pub fn describe(&self) -> String {
        match self {
            Problem::Truncated { line } => {
                format!("it has no END line (the text stops or another block begins at line {line}): the block was cut off while copying")
            }
            Problem::LabelMismatch { end_label, line } => {
                format!("it ends with `-----END {end_label}-----` at line {line}, which does not match its BEGIN line")
            }
            Problem::BadBase64 { line, column } => {
                format!("line {line}, column {column} holds a character that is not base64: the block is corrupted")
            }
            Problem::BadLength { characters } => {
                format!("its {characters} base64 characters are not a whole number of 4-character groups: characters are missing")
            }
            Problem::Empty => "it contains no data".to_string(),
        }
    }
}

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// A line of the input with its 1-based number and byte range (without the line ending).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: usize,
    text: &'a str,
    start: usize,
}

fn lines(input: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (index, raw) in input.split_inclusive('\n').enumerate() {
        let text = raw.trim_end_matches(['\n', '\r']);
        out.push(Line {
            number: index + 1,
            text,
            start,
        });
        start += raw.len();
    }
    out
}

/// `-----BEGIN LABEL-----` (surrounding whitespace allowed) → `LABEL`.
fn boundary_label<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let inner = text.trim().strip_prefix(prefix)?.strip_suffix(DASHES)?;
    Some(inner.trim())
}

/// Whether `input` contains at least one BEGIN line.
pub fn looks_like_pem(input: &str) -> bool {
    input.lines().any(|l| boundary_label(l, BEGIN).is_some())
}

/// Every block in `input`, in order.
pub fn scan(input: &str) -> Vec<Block> {
    let all = lines(input);
    let mut blocks = Vec::new();
    let mut i = 0;
    while let Some(line) = all.get(i) {
        let Some(label) = boundary_label(line.text, BEGIN) else {
            i += 1;
            continue;
        };
        let (block, next) = read_block(&all, i, label, blocks.len() + 1, input.len());
        blocks.push(block);
        i = next;
    }
    blocks
}

fn read_block(
    all: &[Line<'_>],
    begin: usize,
    label: &str,
    number: usize,
    input_len: usize,
) -> (Block, usize) {
    let begin_line = all.get(begin).map_or(1, |l| l.number);
    let block_start = all.get(begin).map_or(0, |l| l.start);
    let mut headers = Vec::new();
    let mut body_lines: Vec<Line<'_>> = Vec::new();
    let mut in_headers = true;
    let mut j = begin + 1;
    let finish = |body: Result<Vec<u8>, Problem>, headers, end_byte: usize, next: usize| {
        (
            Block {
                number,
                label: label.to_string(),
                headers,
                body,
                line: begin_line,
                span: Span::new(block_start, end_byte),
            },
            next,
        )
    };
    while let Some(line) = all.get(j) {
        if let Some(end_label) = boundary_label(line.text, END) {
            let end_byte = line.start + line.text.len();
            let body = if end_label == label {
                decode_body(&body_lines)
            } else {
                Err(Problem::LabelMismatch {
                    end_label: end_label.to_string(),
                    line: line.number,
                })
            };
            return finish(body, headers, end_byte, j + 1);
        }
        if boundary_label(line.text, BEGIN).is_some() {
            let end_byte = line.start;
            return finish(
                Err(Problem::Truncated { line: line.number }),
                headers,
                end_byte,
                j,
            );
        }
        let text = line.text.trim();
        if in_headers {
            if let Some((name, value)) = header(text) {
                headers.push((name.to_string(), value.to_string()));
                j += 1;
                continue;
            }
            in_headers = false;
            if text.is_empty() {
                j += 1;
                continue;
            }
        }
        body_lines.push(*line);
        j += 1;
    }
    let last_line = all.last().map_or(begin_line, |l| l.number);
    finish(
        Err(Problem::Truncated {
            line: last_line + 1,
        }),
        headers,
        input_len,
        j,
    )
}

/// `Name: value` where the name is a token (letters, digits, `-`).
fn header(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once(':')?;
    let is_token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    is_token.then(|| (name, value.trim()))
}

fn decode_body(body_lines: &[Line<'_>]) -> Result<Vec<u8>, Problem> {
    // Bytes, not chars: the alphabet is ASCII, and a non-ASCII character is refused at its
    // first byte, whose offset is the column a char walk would give. (A 144-certificate
    // bundle is 200 KB of base64; pushing it char by char was a visible share of a check.)
    let mut text: Vec<u8> = Vec::with_capacity(body_lines.iter().map(|l| l.text.len()).sum());
    for line in body_lines {
        let bytes = line.text.as_bytes();
        if bytes.iter().all(|&b| is_base64_symbol(b)) {
            text.extend_from_slice(bytes);
            continue;
        }
        for (column, &b) in bytes.iter().enumerate() {
            if b.is_ascii_whitespace() {
                continue;
            }
            if !is_base64_symbol(b) {
                return Err(Problem::BadBase64 {
                    line: line.number,
                    column: column + 1,
                });
            }
            text.push(b);
        }
    }
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    base64_decode_bytes(&text).map_err(|position| {
        position_to_problem(body_lines, position).unwrap_or(Problem::BadLength {
            characters: text.len(),
        })
    })
}

/// A character of the base64 alphabet or its padding (RFC 4648 §4).
#[allow(clippy::indexing_slicing)]
fn is_base64_symbol(b: u8) -> bool {
    BASE64_VALUES[usize::from(b)] != NOT_BASE64 || b == b'='
}

/// Maps the index of a bad character in the joined base64 text back to its line and column.
fn position_to_problem(body_lines: &[Line<'_>], position: usize) -> Option<Problem> {
    let mut seen = 0;
    for line in body_lines {
        for (column, c) in line.text.char_indices() {
            if c.is_ascii_whitespace() {
                continue;
            }
            if seen == position {
                return Some(Problem::BadBase64 {
                    line: line.number,
                    column: column + 1,
                });
            }
            seen += 1;
        }
    }
    None
}

/// Standard base64 with padding (RFC 4648 §4), no line breaks.
pub fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = ((n >> (18 - 6 * i)) & 0x3f) as usize;
                encoded.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

/// The value of each byte as a base64 digit (RFC 4648 §4, Table 1); `NOT_BASE64` for the rest.
/// A table rather than a match: this runs once per character of every pasted bundle.
// A u8 always indexes a 256-entry table.
#[allow(clippy::indexing_slicing)]
const BASE64_VALUES: [u8; 256] = {
    let mut table = [NOT_BASE64; 256];
    let mut i = 0;
    while i < 26 {
        table[b'A' as usize + i] = i as u8;
        table[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        table[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    table[b'+' as usize] = 62;
    table[b'/' as usize] = 63;
    table
};
const NOT_BASE64: u8 = 0xff;

#[allow(clippy::indexing_slicing)]
fn base64_value(c: u8) -> Option<u32> {
    match BASE64_VALUES[usize::from(c)] {
        NOT_BASE64 => None,
        value => Some(u32::from(value)),
    }
}

/// Standard base64 (RFC 4648 §4) without whitespace. Missing padding is tolerated; the error
/// is the index of the offending character, or `text.len()` for a bad length.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, usize> {
    base64_decode_bytes(text.as_bytes())
}

fn base64_decode_bytes(bytes: &[u8]) -> Result<Vec<u8>, usize> {
    let data_len = bytes.iter().rposition(|&b| b != b'=').map_or(0, |p| p + 1);
    let padding = bytes.len() - data_len;
    if padding > 2 {
        return Err(data_len + 2);
    }
    if data_len % 4 == 1 {
        return Err(bytes.len());
    }
    if padding > 0 && !(data_len + padding).is_multiple_of(4) {
        return Err(bytes.len());
    }
    let data = bytes.get(..data_len).unwrap_or_default();
    let mut out = Vec::with_capacity(data_len * 3 / 4);
    // Whole groups of four characters first (three bytes each), then the tail.
    let mut groups = data.chunks_exact(4);
    for (group_index, group) in (&mut groups).enumerate() {
        let mut accumulator = 0u32;
        for (offset, &c) in group.iter().enumerate() {
            let value = base64_value(c).ok_or(group_index * 4 + offset)?;
            accumulator = (accumulator << 6) | value;
        }
        out.extend_from_slice(&accumulator.to_be_bytes()[1..]);
    }
    let tail_start = data_len - groups.remainder().len();
    let mut accumulator: u32 = 0;
    let mut bits = 0;
    for (index, &c) in groups.remainder().iter().enumerate() {
        let value = base64_value(c).ok_or(tail_start + index)?;
        accumulator = (accumulator << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((accumulator >> bits) & 0xff) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn lax_parsing_of_real_world_pastes() {
        let text = "subject=CN = x\r\n  -----BEGIN CERTIFICATE-----\r\n  AAEC\r\n  AwQ=\r\n  -----END CERTIFICATE-----  \r\njunk\n-----BEGIN PRIVATE KEY-----\nAAEC\n-----END PRIVATE KEY-----";
        let blocks = scan(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].body, Ok(vec![0, 1, 2, 3, 4]));
        assert_eq!(blocks[0].line, 2);
        assert_eq!(blocks[1].label, "PRIVATE KEY");
        assert_eq!(blocks[1].number, 2);
    }

    #[test]
    fn headers_of_legacy_encrypted_keys() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAEC\n-----END RSA PRIVATE KEY-----\n";
        let block = &scan(text)[0];
        assert_eq!(block.headers.len(), 2);
        assert_eq!(block.headers[1].0, "DEK-Info");
        assert!(block.body.is_ok());
    }

    #[test]
    fn broken_blocks_say_where() {
        let truncated = "-----BEGIN CERTIFICATE-----\nAAEC\n";
        assert!(matches!(
            scan(truncated)[0].body,
            Err(Problem::Truncated { .. })
        ));
        let corrupted = "-----BEGIN CERTIFICATE-----\nAAEC\nAA*C\n-----END CERTIFICATE-----\n";
        assert_eq!(
            scan(corrupted)[0].body,
            Err(Problem::BadBase64 { line: 3, column: 3 })
        );
        let mismatch = "-----BEGIN CERTIFICATE-----\nAAEC\n-----END PRIVATE KEY-----\n";
        assert!(matches!(
            scan(mismatch)[0].body,
            Err(Problem::LabelMismatch { .. })
        ));
        let short = "-----BEGIN CERTIFICATE-----\nAAECA\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            scan(short)[0].body,
            Err(Problem::BadLength { .. })
        ));
        let next = "-----BEGIN CERTIFICATE-----\nAAEC\n-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n";
        let blocks = scan(next);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].body, Err(Problem::Truncated { line: 3 }));
        assert!(blocks[1].body.is_ok());
    }

    #[test]
    fn base64_edge_cases() {
        assert_eq!(base64_decode("TWFu"), Ok(b"Man".to_vec()));
        assert_eq!(base64_decode("TWE="), Ok(b"Ma".to_vec()));
        assert_eq!(base64_decode("TWE"), Ok(b"Ma".to_vec()));
        assert_eq!(base64_decode("TQ=="), Ok(b"M".to_vec()));
        assert!(base64_decode("T").is_err());
        assert!(base64_decode("TQ=A").is_err());
        // The error is the index of the first bad character, in a whole group or in the tail.
        assert_eq!(base64_decode("TWFuTW!u"), Err(6));
        assert_eq!(base64_decode("TWFuT.E"), Err(5));
        assert_eq!(base64_decode("TWFuTW*"), Err(6));
    }

    #[test]
    fn base64_round_trips_every_length_and_byte() {
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..data.len() {
            let bytes = &data[..len];
            let text = base64_encode(bytes);
            assert_eq!(base64_decode(&text), Ok(bytes.to_vec()), "length {len}");
            let unpadded = text.trim_end_matches('=');
            assert_eq!(
                base64_decode(unpadded),
                Ok(bytes.to_vec()),
                "unpadded, length {len}"
            );
        }
    }

    #[test]
    fn a_bad_character_in_a_block_is_placed_on_its_line_and_column() {
        let text = "-----BEGIN CERTIFICATE-----\nTWFu\n TW\u{e9}u\n-----END CERTIFICATE-----\n";
        assert_eq!(
            scan(text)[0].body,
            Err(Problem::BadBase64 { line: 3, column: 4 })
        );
    }
}
