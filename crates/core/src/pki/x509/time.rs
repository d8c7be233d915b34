//! Certificate validity times (RFC 5280 §4.1.2.5) to Unix seconds, in the one form each that
//! RFC 5280 and DER (X.690 §11.7, §11.8) allow: UTC ("Z"), seconds present, no fraction.

use crate::pki::der::Element;
use crate::pki::time::{days_from_civil, days_in_month};

/// X.680 universal tags of the two `Time` choices.
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;

/// `Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }`, as Unix seconds.
pub fn read(element: &Element<'_>) -> Option<i64> {
    match element.tag {
        UTC_TIME => utc_time(element.value),
        GENERALIZED_TIME => generalized_time(element.value),
        _ => None,
    }
}

/// RFC 5280 §4.1.2.5.1: `YYMMDDHHMMSSZ`; "Where YY is greater than or equal to 50, the year
/// SHALL be interpreted as 19YY; and Where YY is less than 50, the year SHALL be interpreted
/// as 20YY."
pub fn utc_time(text: &[u8]) -> Option<i64> {
    let [digits @ .., b'Z'] = text else {
        return None;
    };
    let [yy, rest @ ..] = two_digit_fields::<6>(digits)?;
    let century = if yy >= 50 { 1900 } else { 2000 };
    date_time(century + i64::from(yy), rest)
}

/// RFC 5280 §4.1.2.5.2: `YYYYMMDDHHMMSSZ`, "MUST NOT include fractional seconds".
pub fn generalized_time(text: &[u8]) -> Option<i64> {
    let [digits @ .., b'Z'] = text else {
        return None;
    };
    let [cc, yy, rest @ ..] = two_digit_fields::<7>(digits)?;
    date_time(i64::from(cc) * 100 + i64::from(yy), rest)
}

/// Exactly `N` two-digit decimal fields.
fn two_digit_fields<const N: usize>(digits: &[u8]) -> Option<[u32; N]> {
    if digits.len() != N * 2 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u32; N];
    for (field, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        if let [tens, ones] = pair {
            *field = u32::from(tens - b'0') * 10 + u32::from(ones - b'0');
        }
    }
    Some(out)
}

/// Month, day, hour, minute, second of `year`, each in its range (no leap second: X.680 §46
/// allows 60, but no certificate time needs it and x509 tools refuse it).
fn date_time(year: i64, [month, day, hour, minute, second]: [u32; 5]) -> Option<i64> {
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 59;
    valid.then(|| {
        days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_time_windows_at_1950() {
        assert_eq!(utc_time(b"700101000000Z"), Some(0));
        assert_eq!(utc_time(b"491231235959Z"), Some(2_524_607_999));
        assert_eq!(utc_time(b"500101000000Z"), Some(-631_152_000));
        assert_eq!(utc_time(b"000229120000Z"), Some(951_825_600));
    }

    #[test]
    fn generalized_time_reads_four_digit_years() {
        assert_eq!(generalized_time(b"19700101000000Z"), Some(0));
        assert_eq!(generalized_time(b"20500101000000Z"), Some(2_524_608_000));
        assert_eq!(generalized_time(b"99991231235959Z"), Some(253_402_300_799));
    }

    #[test]
    fn only_the_rfc_5280_forms_are_times() {
        for bad in [
            &b"7001010000Z"[..],  // no seconds
            b"700101000000",      // no zone
            b"700101000000+0000", // offset instead of Z
            b"700101000000z",     // lower-case zone
            b"700230000000Z",     // 30 February
            b"010229000000Z",     // 29 February 2001
            b"701301000000Z",     // month 13
            b"700101240000Z",     // hour 24
            b"700101006000Z",     // minute 60
            b"700101000060Z",     // leap second
            b"70010100000aZ",     // not a digit
            b" 70101000000Z",     // space padding
            b"",
        ] {
            assert_eq!(utc_time(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        for bad in [
            &b"19700101000000.5Z"[..], // fractional seconds
            b"197001010000Z",          // no seconds
            b"19700101000000",         // local time
            b"19700101000000+0100",    // offset
            b"700101000000Z",          // a UTCTime
        ] {
            assert_eq!(
                generalized_time(bad),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn the_tag_chooses_the_form() {
        let utc = Element {
            tag: UTC_TIME,
            value: b"700101000000Z",
            raw: &[],
        };
        let generalized = Element {
            tag: GENERALIZED_TIME,
            value: b"700101000000Z",
            raw: &[],
        };
        let octets = Element {
            tag: 0x04,
            value: b"700101000000Z",
            raw: &[],
        };
        assert_eq!(read(&utc), Some(0));
        assert_eq!(read(&generalized), None);
        assert_eq!(read(&octets), None);
    }
}
