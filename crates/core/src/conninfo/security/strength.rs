//! How many guesses a password takes, estimated the way zxcvbn does (Wheeler, "zxcvbn:
//! Low-Budget Password Strength Estimation", USENIX Security 2016), small enough for the page:
//! the password is covered by the cheapest sequence of *patterns* — a ranked dictionary word
//! (capitalised or with the usual letter-for-digit swaps), the user name, a year, a run of
//! digits, a sequence (`abc`, `4321`), a keyboard row (`qwerty`), a repetition — or brute force
//! over the characters' classes, and the guesses of the pieces multiply. Length alone says
//! little: `Summer2024!` is 11 characters and takes about 10^7 guesses; 16 random letters and
//! digits take about 10^28.
//!
//! **Threshold.** A password is weak below [`STRONG_LOG10_GUESSES`] (10^15 guesses, about
//! 50 bits). A stolen SCRAM-SHA-256 verifier, or the proof an impostor server records, is
//! attacked offline; at 4,096 PBKDF2-HMAC-SHA-256 iterations a GPU tries roughly 10^7
//! passwords a second, so 10^15 guesses is years of one GPU, and 10^10 (a dictionary word with
//! a year and a symbol, many times over) is minutes.

/// Guesses (as log10) from which a password counts as strong.
pub const STRONG_LOG10_GUESSES: f64 = 15.0;

/// Common passwords and words, most common first (the rank is the guesses a word costs). Built
/// from the top of published leaked-password frequency lists (SecLists "10k most common",
/// NCSC's "100k-most-used-passwords"), plus words database passwords are made of: product,
/// provider and environment names, seasons, months and days.
const RANKED: &[&str] = &[
    "123456",
    "password",
    "12345678",
    "qwerty",
    "123456789",
    "12345",
    "1234",
    "111111",
    "1234567",
    "dragon",
    "123123",
    "baseball",
    "abc123",
    "football",
    "monkey",
    "letmein",
    "shadow",
    "master",
    "666666",
    "qwertyuiop",
    "123321",
    "mustang",
    "1234567890",
    "michael",
    "654321",
    "superman",
    "1qaz2wsx",
    "7777777",
    "121212",
    "000000",
    "qazwsx",
    "123qwe",
    "killer",
    "trustno1",
    "jordan",
    "jennifer",
    "zxcvbnm",
    "asdfgh",
    "hunter",
    "buster",
    "soccer",
    "harley",
    "batman",
    "andrew",
    "tigger",
    "sunshine",
    "iloveyou",
    "2000",
    "charlie",
    "robert",
    "thomas",
    "hockey",
    "ranger",
    "daniel",
    "starwars",
    "klaster",
    "112233",
    "george",
    "computer",
    "michelle",
    "jessica",
    "pepper",
    "1111",
    "zxcvbn",
    "555555",
    "11111111",
    "131313",
    "freedom",
    "777777",
    "pass",
    "maggie",
    "159753",
    "aaaaaa",
    "ginger",
    "princess",
    "joshua",
    "cheese",
    "amanda",
    "summer",
    "love",
    "ashley",
    "nicole",
    "chelsea",
    "biteme",
    "matthew",
    "access",
    "yankees",
    "987654321",
    "dallas",
    "austin",
    "thunder",
    "taylor",
    "matrix",
    "admin",
    "welcome",
    "secret",
    "changeme",
    "root",
    "toor",
    "postgres",
    "postgresql",
    "database",
    "default",
    "guest",
    "test",
    "testing",
    "demo",
    "oracle",
    "mysql",
    "sql",
    "passw0rd",
    "administrator",
    "server",
    "service",
    "backup",
    "system",
    "manager",
    "user",
    "temp",
    "company",
    "money",
    "google",
    "apple",
    "cloud",
    "azure",
    "amazon",
    "heroku",
    "supabase",
    "neon",
    "app",
    "application",
    "production",
    "prod",
    "staging",
    "dev",
    "development",
    "local",
    "localhost",
    "example",
    "sample",
    "winter",
    "spring",
    "autumn",
    "fall",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "hello",
    "world",
    "login",
    "whatever",
    "orange",
    "purple",
    "silver",
    "golden",
    "tiger",
    "lion",
    "eagle",
    "falcon",
    "phoenix",
    "secure",
    "security",
    "private",
    "public",
    "report",
    "reader",
    "writer",
    "readonly",
    "analytics",
];

/// Keyboard rows whose runs people type (US layout).
const ROWS: &[&str] = &[
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1234567890",
    "1qaz2wsx3edc",
];

/// One way to cover `password[start..end]`, with its guesses as log10.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    end: usize,
    log10: f64,
    kind: Kind,
}

/// What kind of pattern a piece is (for the reason given, never the piece itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    UserName,
    Year,
    Digits,
    Sequence,
    Keyboard,
    Repeat,
    BruteForce,
}

/// The estimate: log10 of the guesses, and the pattern that made most of it cheap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub log10_guesses: f64,
    /// The kind of the longest non-random piece, when there is one.
    pub weakest: Option<Kind>,
}

impl Estimate {
    pub fn is_weak(&self) -> bool {
        self.log10_guesses < STRONG_LOG10_GUESSES
    }

    /// Why it is weak, without saying anything of the password itself.
    pub fn reason(&self) -> &'static str {
        match self.weakest {
            Some(Kind::Word) => "it is built on a common password or word",
            Some(Kind::UserName) => "it contains the user name",
            Some(Kind::Year | Kind::Digits) => "it is mostly digits or a date",
            Some(Kind::Sequence | Kind::Keyboard | Kind::Repeat) => {
                "it follows a pattern (a sequence, a keyboard row or a repetition)"
            }
            Some(Kind::BruteForce) | None => "it is too short for the characters it uses",
        }
    }
}

/// The letter-for-symbol swaps people make (`p@ssw0rd`).
fn unleet(c: char) -> char {
    match c {
        '@' | '4' => 'a',
        '0' => 'o',
        '1' | '!' => 'i',
        '3' => 'e',
        '$' | '5' => 's',
        '7' => 't',
        '9' => 'g',
        other => other.to_ascii_lowercase(),
    }
}

/// Brute force over the classes of `chars` (10 digits, 26 per letter case, 33 symbols, 100
/// for anything beyond ASCII), for `len` characters.
fn brute_force_log10(chars: &[char], len: usize) -> f64 {
    let mut pool = 0u32;
    if chars.iter().any(char::is_ascii_lowercase) {
        pool += 26;
    }
    if chars.iter().any(char::is_ascii_uppercase) {
        pool += 26;
    }
    if chars.iter().any(char::is_ascii_digit) {
        pool += 10;
    }
    if chars
        .iter()
        .any(|c| c.is_ascii() && !c.is_ascii_alphanumeric())
    {
        pool += 33;
    }
    if chars.iter().any(|c| !c.is_ascii()) {
        pool += 100;
    }
    len as f64 * f64::from(pool.max(10)).log10()
}

/// Every pattern piece starting at `start`.
fn pieces_at(chars: &[char], start: usize, user: Option<&[char]>) -> Vec<Piece> {
    let mut out = Vec::new();
    let rest = chars.get(start..).unwrap_or_default();
    let lower: Vec<char> = rest.iter().map(|c| c.to_ascii_lowercase()).collect();
    let unleeted: Vec<char> = rest.iter().map(|c| unleet(*c)).collect();
    // Dictionary words, as typed, lower-cased or un-leeted; capitals and swaps cost a little.
    for (rank, word) in RANKED.iter().enumerate() {
        let word: Vec<char> = word.chars().collect();
        let n = word.len();
        if n < 3 || n > rest.len() {
            continue;
        }
        let typed = rest.get(..n) == Some(word.as_slice());
        let cased = lower.get(..n) == Some(word.as_slice());
        let swapped = unleeted.get(..n) == Some(word.as_slice());
        if typed || cased || swapped {
            let variants = if typed {
                1.0
            } else if cased {
                2.0
            } else {
                4.0
            };
            out.push(Piece {
                end: start + n,
                log10: ((rank + 1) as f64 * variants).log10(),
                kind: Kind::Word,
            });
        }
    }
    if let Some(user) = user.filter(|u| u.len() >= 3) {
        let user: Vec<char> = user.iter().map(|c| c.to_ascii_lowercase()).collect();
        if lower.get(..user.len()) == Some(user.as_slice()) {
            out.push(Piece {
                end: start + user.len(),
                log10: 0.3,
                kind: Kind::UserName,
            });
        }
    }
    // Years 1900–2099.
    if let Some(four) = rest.get(..4) {
        let text: String = four.iter().collect();
        if (text.starts_with("19") || text.starts_with("20"))
            && text.chars().all(|c| c.is_ascii_digit())
        {
            out.push(Piece {
                end: start + 4,
                log10: 200f64.log10(),
                kind: Kind::Year,
            });
        }
    }
    // Digit runs: 10 guesses per digit.
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    for n in 1..=digits {
        out.push(Piece {
            end: start + n,
            log10: n as f64,
            kind: Kind::Digits,
        });
    }
    // Sequences (`abcd`, `9876`) and keyboard rows, at least three long.
    let step = |a: char, b: char| (b as i64) - (a as i64);
    if rest.len() >= 3 {
        if let (Some(&a), Some(&b)) = (lower.first(), lower.get(1)) {
            let d = step(a, b);
            if d == 1 || d == -1 {
                let n = 1 + lower
                    .windows(2)
                    .take_while(|w| {
                        w.first()
                            .zip(w.get(1))
                            .is_some_and(|(x, y)| step(*x, *y) == d)
                    })
                    .count();
                if n >= 3 {
                    out.push(Piece {
                        end: start + n,
                        log10: (26.0 * n as f64).log10(),
                        kind: Kind::Sequence,
                    });
                }
            }
        }
    }
    for row in ROWS {
        let row: Vec<char> = row.chars().collect();
        for from in 0..row.len() {
            let n = lower
                .iter()
                .zip(row.iter().skip(from))
                .take_while(|(a, b)| a == b)
                .count();
            if n >= 4 {
                out.push(Piece {
                    end: start + n,
                    log10: (40.0 * n as f64).log10(),
                    kind: Kind::Keyboard,
                });
            }
        }
    }
    // Repetition of a unit (`abcabcabc`, `aaaa`).
    for unit in 1..=rest.len() / 2 {
        let Some(pattern) = rest.get(..unit) else {
            break;
        };
        let times = rest
            .chunks(unit)
            .take_while(|chunk| *chunk == pattern)
            .count();
        if times >= 2 {
            out.push(Piece {
                end: start + unit * times,
                log10: brute_force_log10(pattern, unit) + (times as f64).log10(),
                kind: Kind::Repeat,
            });
        }
    }
    out
}

/// A cover of a prefix: log10 guesses, number of pieces, and the longest pattern piece (its
/// length in characters and kind), which names why the password is weak: the cheapest piece
/// would be a lone digit of `Hunter2Secret`, and "it is mostly digits" would be wrong.
type Cover = (f64, usize, Option<(usize, Kind)>);

/// How many characters of a password are scored. The search below grows faster than the
/// length (a 9,000-character password took 100 s in an outside review); a prefix is never
/// stronger than the whole, so scoring one can only under-rate a long password, and 128
/// characters of anything but a repeated pattern are far past the floor.
const MAX_SCORED_CHARS: usize = 128;

/// The estimate for `password` (the user name, when known, is a pattern of its own): that of
/// its first [`MAX_SCORED_CHARS`] characters.
pub fn estimate(password: &str, user: Option<&str>) -> Estimate {
    let chars: Vec<char> = password.chars().take(MAX_SCORED_CHARS).collect();
    if chars.is_empty() {
        return Estimate {
            log10_guesses: 0.0,
            weakest: None,
        };
    }
    let user_chars: Option<Vec<char>> = user.map(|u| u.chars().collect());
    let per_char = brute_force_log10(&chars, 1);
    // best[i]: the cheapest cover of chars[..i].
    let n = chars.len();
    let mut best: Vec<Cover> = vec![(f64::INFINITY, 0, None); n + 1];
    if let Some(first) = best.first_mut() {
        *first = (0.0, 0, None);
    }
    for start in 0..n {
        let Some(&(so_far, count, longest)) = best.get(start) else {
            continue;
        };
        if !so_far.is_finite() {
            continue;
        }
        let mut options = pieces_at(&chars, start, user_chars.as_deref());
        options.push(Piece {
            end: start + 1,
            log10: per_char,
            kind: Kind::BruteForce,
        });
        for piece in options {
            let total = so_far + piece.log10;
            let length = piece.end - start;
            let longest = match (longest, piece.kind) {
                (_, Kind::BruteForce) => longest,
                (Some((l, _)), _) if l >= length => longest,
                _ => Some((length, piece.kind)),
            };
            if let Some(slot) = best.get_mut(piece.end) {
                if total < slot.0 {
                    *slot = (total, count + 1, longest);
                }
            }
        }
    }
    let (log10, pieces, longest) = best.get(n).copied().unwrap_or((0.0, 0, None));
    // Ordering the pieces costs log10(pieces!) more (zxcvbn's sequence factor).
    let ordering: f64 = (1..=pieces).map(|k| (k as f64).log10()).sum();
    Estimate {
        log10_guesses: log10 + ordering,
        weakest: longest.map(|(_, kind)| kind).or(Some(Kind::BruteForce)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weak(p: &str) -> bool {
        estimate(p, None).is_weak()
    }

    #[test]
    fn common_shapes_are_weak() {
        for p in [
            "password1",
            "Summer2024!",
            "P@ssw0rd",
            "qwertyuiop123",
            "postgres",
            "hunter2",
            "abcabcabcabcabcabcabc",
            "12345678901234567890",
            "Welcome2025",
            "xK9#",
        ] {
            assert!(weak(p), "{p}: {:?}", estimate(p, None));
        }
        assert!(estimate("alice2024!", Some("alice")).is_weak());
    }

    #[test]
    fn random_passwords_are_strong_whatever_their_length_rule() {
        for p in [
            "Zx8vQ2mK9pL4wR7t",     // 16 random alphanumerics (Neon generates such)
            "kP3_vN8-qX2.zM7~wB4!", // 20 mixed
            "tR6nY2wQ8xL3vB9mK5pD", // 20 alphanumerics
            "correct horse battery staple zebra",
        ] {
            assert!(!weak(p), "{p}: {:?}", estimate(p, None));
        }
    }

    #[test]
    fn reasons_name_the_pattern_not_the_password() {
        assert_eq!(
            estimate("Summer2024!", None).reason(),
            "it is built on a common password or word"
        );
        assert_eq!(
            estimate("alice-1", Some("alice")).reason(),
            "it contains the user name"
        );
        // The longest pattern names it, not the cheapest (a lone digit): an outside review.
        assert_eq!(
            estimate("Hunter2Secret", None).reason(),
            "it is built on a common password or word"
        );
        assert_eq!(
            estimate("19841984x", None).reason(),
            "it follows a pattern (a sequence, a keyboard row or a repetition)"
        );
    }
}
