//! YAML 1.2 core-schema resolution of plain scalars. `yes`/`no` stay text
//! and `2025-10-10` stays text (dates are parsed by `dates.rs`).

use super::Value;
use std::borrow::Cow;

/// Resolves an unquoted scalar to null, a boolean, a number or text. The
/// parser's own string becomes the value's text: no copy.
pub fn resolve_plain(text: Cow<'_, str>) -> Value {
    let number = match &*text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            Some(Number::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => Some(Number::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => Some(Number::Float(f64::NAN)),
        plain => number(plain),
    };
    match number {
        Some(Number::Int(n)) => Value::Int(n, boxed(text)),
        Some(Number::Float(f)) => Value::Float(f, boxed(text)),
        None => Value::Text(boxed(text)),
    }
}

/// A scalar's text as the tree keeps it: the parser's string when it made
/// one (trimmed of spare capacity in place), a copy when it lent one.
pub fn boxed(text: Cow<'_, str>) -> Box<str> {
    match text {
        Cow::Owned(owned) => owned.into_boxed_str(),
        Cow::Borrowed(lent) => lent.into(),
    }
}

enum Number {
    Int(i64),
    Float(f64),
}

fn number(text: &str) -> Option<Number> {
    // Most scalars are words: no number starts with a letter other than
    // the `0x`/`0o` prefixes' zero.
    let first = *text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    if let Some(n) = parse_int(text) {
        return Some(Number::Int(n));
    }
    if is_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            return Some(Number::Float(f));
        }
    }
    None
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(oct) = text.strip_prefix("0o") {
        return all(oct, |b| (b'0'..=b'7').contains(&b))
            .then(|| i64::from_str_radix(oct, 8).ok())?;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return all(hex, |b| b.is_ascii_hexdigit()).then(|| i64::from_str_radix(hex, 16).ok())?;
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if all(digits, |b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, frac)) => {
            (whole.is_empty() && all(frac, |b| b.is_ascii_digit()))
                || (all(whole, |b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit()))
        }
        None => all(mantissa, |b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        all(digits, |b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// Non-empty and every byte satisfies `pred`.
fn all(text: &str, pred: impl Fn(u8) -> bool) -> bool {
    !text.is_empty() && text.bytes().all(pred)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_plain(text: &str) -> Value {
        super::resolve_plain(Cow::Borrowed(text))
    }

    #[test]
    fn owned_and_lent_text_resolve_alike() {
        for text in ["x", "15", "1.5", "~", "2025-10-10"] {
            assert_eq!(
                super::resolve_plain(Cow::Owned(text.to_string())),
                resolve_plain(text)
            );
        }
    }

    #[test]
    fn core_schema_resolution() {
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain(""), Value::Null);
        assert_eq!(resolve_plain("True"), Value::Bool(true));
        assert_eq!(resolve_plain("yes"), Value::Text("yes".into()));
        assert_eq!(resolve_plain("no"), Value::Text("no".into()));
        assert_eq!(resolve_plain("15"), Value::Int(15, "15".into()));
        assert_eq!(resolve_plain("-3"), Value::Int(-3, "-3".into()));
        assert_eq!(resolve_plain("0x1F"), Value::Int(31, "0x1F".into()));
        assert_eq!(resolve_plain("1.10"), Value::Float(1.1, "1.10".into()));
        assert_eq!(resolve_plain("1e3"), Value::Float(1000.0, "1e3".into()));
        assert_eq!(
            resolve_plain("2025-10-10"),
            Value::Text("2025-10-10".into())
        );
        assert_eq!(
            resolve_plain("603/5058/0"),
            Value::Text("603/5058/0".into())
        );
        assert_eq!(resolve_plain("1.2.3"), Value::Text("1.2.3".into()));
        assert_eq!(resolve_plain("."), Value::Text(".".into()));
    }

    #[test]
    fn huge_integers_are_floats_not_panics() {
        assert!(matches!(
            resolve_plain("99999999999999999999"),
            Value::Float(..)
        ));
    }
}
