//! What a check kind asks of what it is given: the kind of value each of
//! its paths must reach (a date check cannot read a true/false field) and
//! the range each of its numbers may take (days and counts not below
//! zero, percentages 0-100). The policy loader checks both when a policy
//! loads, and `blcheck.toml` overrides are held to the same ranges.

use super::format_number;
use std::fmt;

/// The kind of value a path of a check must reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// Any value (presence, equality).
    Any,
    /// A date (or text, which is read as one).
    Date,
    /// A number (or text, which may hold one).
    Number,
    /// A list.
    List,
}

impl Reads {
    /// The value in words, for the error that says a field cannot be read so.
    pub fn words(self) -> &'static str {
        match self {
            Reads::Any => "any value",
            Reads::Date => "a date",
            Reads::Number => "a number",
            Reads::List => "a list",
        }
    }
}

/// The range a number of a check may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Bounds {
    /// Days and counts: zero or more.
    pub const NOT_NEGATIVE: Bounds = Bounds {
        min: Some(0.0),
        max: None,
    };
    /// A percentage: 0 to 100.
    pub const PERCENT: Bounds = Bounds {
        min: Some(0.0),
        max: Some(100.0),
    };

    pub fn contains(&self, n: f64) -> bool {
        self.min.is_none_or(|min| n >= min) && self.max.is_none_or(|max| n <= max)
    }

    /// Both ranges at once (a parameter several checks read).
    pub fn and(self, other: Bounds) -> Bounds {
        let pick = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
            (Some(a), Some(b)) => Some(f(a, b)),
            (a, b) => a.or(b),
        };
        Bounds {
            min: pick(self.min, other.min, f64::max),
            max: pick(self.max, other.max, f64::min),
        }
    }
}

impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.min, self.max) {
            (Some(min), Some(max)) => {
                write!(f, "from {} to {}", format_number(min), format_number(max))
            }
            (Some(min), None) => write!(f, "{} or more", format_number(min)),
            (None, Some(max)) => write!(f, "{} or less", format_number(max)),
            (None, None) => f.write_str("any number"),
        }
    }
}

/// Which side of a value a comparison bounds, so that a rule asking for
/// at least 10 and at most 5 of one field is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitSide {
    /// `at_least`, `greater_than`: the value's minimum.
    Lower,
    /// `at_most`: the value's maximum.
    Upper,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_contain_their_ends_and_say_what_they_are() {
        assert!(Bounds::PERCENT.contains(0.0) && Bounds::PERCENT.contains(100.0));
        assert!(!Bounds::PERCENT.contains(100.5) && !Bounds::PERCENT.contains(-1.0));
        assert!(!Bounds::NOT_NEGATIVE.contains(-5.0));
        assert_eq!(Bounds::PERCENT.to_string(), "from 0 to 100");
        assert_eq!(Bounds::NOT_NEGATIVE.to_string(), "0 or more");
        assert_eq!(Bounds::NOT_NEGATIVE.and(Bounds::PERCENT), Bounds::PERCENT);
    }
}
