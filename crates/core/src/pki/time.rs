//! Dates without a clock: Unix seconds to RFC 3339 text and back (proleptic Gregorian, UTC),
//! and [`UnixTime`], the one type a moment has in the core.

use serde::{Deserialize, Serialize};

/// A moment: seconds since 1970-01-01T00:00:00Z. The core never reads the clock; the edge that
/// calls it passes the time in (the CLI's `--now`/`--at`, the page's `Date.now()`). Serialised
/// as the bare number of seconds.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixTime(i64);

impl UnixTime {
    pub const fn from_seconds(seconds: i64) -> UnixTime {
        UnixTime(seconds)
    }

    pub const fn seconds(self) -> i64 {
        self.0
    }

    /// `YYYY-MM-DD` or an RFC 3339 date-time; `None` when malformed.
    pub fn parse(text: &str) -> Option<UnixTime> {
        parse_rfc3339(text).map(UnixTime)
    }

    /// `2026-11-21T22:53:17Z`.
    pub fn rfc3339(self) -> String {
        rfc3339(self.0)
    }

    /// Seconds from `earlier` to `self`, saturating.
    pub fn seconds_since(self, earlier: UnixTime) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Whole days from `self` to `later`, rounded down (negative when `later` is earlier).
    pub fn days_until(self, later: UnixTime) -> i64 {
        (later.0 - self.0).div_euclid(86_400)
    }

    /// `days` later (earlier when negative), saturating.
    pub fn plus_days(self, days: i64) -> UnixTime {
        UnixTime(self.0.saturating_add(days.saturating_mul(86_400)))
    }
}

/// `time + seconds`.
impl std::ops::Add<i64> for UnixTime {
    type Output = UnixTime;
    fn add(self, seconds: i64) -> UnixTime {
        UnixTime(self.0.saturating_add(seconds))
    }
}

/// `time - seconds`.
impl std::ops::Sub<i64> for UnixTime {
    type Output = UnixTime;
    fn sub(self, seconds: i64) -> UnixTime {
        UnixTime(self.0.saturating_sub(seconds))
    }
}

impl std::fmt::Display for UnixTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// Days since 1970-01-01 → (year, month, day). Howard Hinnant's civil-from-days algorithm.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-21T22:53:17Z`.
pub fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; `None` when malformed.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let text = text.trim();
    let number = |s: Option<&str>| -> Option<i64> {
        let s = s?;
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let year = number(text.get(0..4))?;
    let month = u32::try_from(number(text.get(5..7))?).ok()?;
    let day = u32::try_from(number(text.get(8..10))?).ok()?;
    if text.get(4..5) != Some("-") || text.get(7..8) != Some("-") {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date = days_from_civil(year, month, day) * 86_400;
    if text.len() == 10 {
        return Some(date);
    }
    if !matches!(text.get(10..11), Some("T" | "t" | " ")) {
        return None;
    }
    let hour = number(text.get(11..13))?;
    let minute = number(text.get(14..16))?;
    let second = number(text.get(17..19))?;
    if text.get(13..14) != Some(":") || text.get(16..17) != Some(":") {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = text.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let oh = number(rest.get(1..3))?;
            let om = number(rest.get(4..6))?;
            if rest.get(3..4) != Some(":") || rest.len() != 6 || oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(date + hour * 3600 + minute * 60 + second - offset)
}

pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [0, 951_782_400, 1_795_300_000, -86_400, 253_402_300_799] {
            assert_eq!(parse_rfc3339(&rfc3339(s)), Some(s), "{s}");
        }
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(parse_rfc3339("2000-02-29"), Some(951_782_400));
        assert_eq!(
            parse_rfc3339("2026-11-21T23:00:00+01:00"),
            parse_rfc3339("2026-11-21T22:00:00Z")
        );
        assert_eq!(parse_rfc3339("2001-02-29"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2026-11-21T25:00:00Z"), None);
    }
}
