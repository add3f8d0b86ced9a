//! Dates as course authors write them: ISO `2025-10-10` or UK day/month/year
//! `10/10/2025`, `1/9/2025`. Anything else is refused with the reason, so a
//! quality officer sees why `2025/10/10` or `10-10-25` is not accepted.

use chrono::NaiveDate;
use std::fmt;

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not in one of the accepted shapes.
    Format,
    /// The right shape, but no such day (`2025-02-30`).
    Impossible,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format => {
                f.write_str("not a date: use YYYY-MM-DD or DD/MM/YYYY with a four-digit year")
            }
            DateError::Impossible => f.write_str("no such day in the calendar"),
        }
    }
}

/// Parses an ISO `YYYY-MM-DD` or UK `D/M/YYYY` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    // Most dates are ISO: read them digit by digit (a document has dozens,
    // and every check of a date reads it again).
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *text.as_bytes() {
        let digits = [y1, y2, y3, y4, m1, m2, d1, d2];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |ds: &[u8]| ds.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
            return NaiveDate::from_ymd_opt(
                n(&digits[..4]) as i32,
                n(&digits[4..6]),
                n(&digits[6..]),
            )
            .ok_or(DateError::Impossible);
        }
    }
    let (year, month, day) = if let Some(parts) = split_exact(text, '-', [4, 2, 2], [4, 2, 2]) {
        (parts[0], parts[1], parts[2])
    } else if let Some(parts) = split_exact(text, '/', [1, 1, 4], [2, 2, 4]) {
        (parts[2], parts[1], parts[0])
    } else {
        return Err(DateError::Format);
    };
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(DateError::Impossible)
}

/// Splits `text` into three all-digit fields whose lengths lie within
/// `min..=max`, returning them as numbers.
fn split_exact(text: &str, sep: char, min: [usize; 3], max: [usize; 3]) -> Option<[u32; 3]> {
    let mut fields = text.split(sep);
    let mut out = [0u32; 3];
    for i in 0..3 {
        let field = fields.next()?;
        if field.len() < min[i]
            || field.len() > max[i]
            || !field.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        out[i] = field.parse().ok()?;
    }
    if fields.next().is_some() {
        return None;
    }
    Some(out)
}

/// Whole days from `earlier` to `later` (negative when `later` is before).
pub fn days_between(earlier: NaiveDate, later: NaiveDate) -> i64 {
    (later - earlier).num_days()
}

/// "within N days" of the spec: on or before `as_of` and no more than
/// `days` days before it.
pub fn is_within(date: NaiveDate, as_of: NaiveDate, days: i64) -> bool {
    date <= as_of && days_between(date, as_of) <= days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn accepts_iso_and_uk_dates() {
        assert_eq!(parse_date("2025-10-10"), Ok(d(2025, 10, 10)));
        assert_eq!(parse_date("10/10/2025"), Ok(d(2025, 10, 10)));
        assert_eq!(parse_date("1/9/2025"), Ok(d(2025, 9, 1)));
        assert_eq!(parse_date("01/09/2025"), Ok(d(2025, 9, 1)));
    }

    #[test]
    fn refuses_other_shapes() {
        for text in [
            "2025/10/10",
            "10-10-2025",
            "10/10/25",
            "2025-1-5",
            "",
            "2025-10-10T00:00",
            " 2025-10-10",
            "10/10/2025/1",
            "+2025-10-10",
            "１０/10/2025",
        ] {
            assert_eq!(parse_date(text), Err(DateError::Format), "{text}");
        }
    }

    #[test]
    fn refuses_impossible_days() {
        assert_eq!(parse_date("2025-02-30"), Err(DateError::Impossible));
        assert_eq!(parse_date("31/11/2025"), Err(DateError::Impossible));
        assert_eq!(parse_date("2025-13-01"), Err(DateError::Impossible));
        assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("29/02/2025"), Err(DateError::Impossible));
    }

    #[test]
    fn within_is_inclusive_and_never_in_the_future() {
        let as_of = d(2025, 11, 1);
        assert!(is_within(as_of, as_of, 365));
        assert!(is_within(d(2024, 11, 1), as_of, 365));
        assert!(!is_within(d(2024, 10, 31), as_of, 365));
        assert!(!is_within(d(2025, 11, 2), as_of, 365));
    }
}
