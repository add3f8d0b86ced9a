//! Placeholder text: what people write in a field when they have nothing to
//! put there (`n/a`, `tbc`, `none`). Text checks take it for no value, so a
//! course cannot pass "support is named" with `support: [none]`.

use std::sync::Arc;

/// blcheck's list, used by a policy without `[placeholders] values`. Its
/// source is docs/policy-format.md ("Placeholders"): the words of the
/// issue that found `none`, `n/a` and `tbc` passing every rule, and the
/// usual spellings of "to be confirmed" and "not known".
pub const DEFAULT: &[&str] = &[
    "none",
    "n/a",
    "na",
    "n.a.",
    "nil",
    "tbc",
    "tba",
    "tbd",
    "todo",
    "to do",
    "to be confirmed",
    "to be decided",
    "-",
    "--",
    "?",
    "unknown",
    "not known",
    "not applicable",
    "none available",
    "placeholder",
    "xxx",
    "nothing",
];

/// A policy's placeholder texts. A text is compared by its letters and
/// digits alone, case-folded, so `T.B.C`, `TBC!` and `n / a` are the
/// placeholders `tbc` and `n/a`; a text of punctuation only (`—`, `...`)
/// says nothing and is a placeholder whenever the list is in use. Only the
/// whole value is compared: `N/A-level course` is a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholders {
    /// As the policy wrote them, folded for display (`explain`).
    texts: Arc<[String]>,
    /// What a value is compared with: each text's letters and digits.
    keys: Arc<[String]>,
    source: Arc<str>,
}

/// Where blcheck's list comes from, as `explain` shows it.
pub const DEFAULT_SOURCE: &str = "blcheck default: the words people write for \"nothing here\" (none, n/a, tbc, unknown...), which the source policies never accept as evidence";

impl Default for Placeholders {
    fn default() -> Self {
        Placeholders::new(DEFAULT.iter().map(|s| s.to_string()))
    }
}

impl Placeholders {
    /// Where the list comes from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The same texts, with where they come from.
    pub fn with_source(self, source: &str) -> Placeholders {
        Placeholders {
            source: source.into(),
            ..self
        }
    }

    pub fn new(texts: impl IntoIterator<Item = String>) -> Placeholders {
        let mut folded: Vec<String> = texts.into_iter().map(|t| fold(&t)).collect();
        folded.sort();
        folded.dedup();
        folded.retain(|t| !t.is_empty());
        let mut keys: Vec<String> = folded.iter().map(|t| letters_and_digits(t)).collect();
        keys.sort();
        keys.dedup();
        Placeholders {
            texts: folded.into(),
            keys: keys.into(),
            source: DEFAULT_SOURCE.into(),
        }
    }

    /// No text is a placeholder (conditions of a policy's scope).
    pub fn none() -> Placeholders {
        Placeholders {
            texts: Arc::from([]),
            keys: Arc::from([]),
            source: "none".into(),
        }
    }

    /// The texts, folded, in order.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// Whether `text` says nothing: one of the placeholders once reduced
    /// to its letters and digits, or punctuation alone. Blank text is not
    /// a placeholder: it is missing, which the checks say as such.
    pub fn matches(&self, text: &str) -> bool {
        if self.keys.is_empty() || text.trim().is_empty() {
            return false;
        }
        let key = letters_and_digits(text);
        key.is_empty() || self.keys.binary_search(&key).is_ok()
    }
}

/// The letters and digits of `text`, lower case: `T.B.C!` is `tbc`.
fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn fold(text: &str) -> String {
    let trimmed = text.trim();
    let trimmed = trimmed
        .strip_suffix('.')
        .filter(|t| !t.is_empty() && !t.ends_with('.'))
        .unwrap_or(trimmed);
    trimmed
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_match_whatever_their_case_and_spacing() {
        let p = Placeholders::default();
        for text in ["n/a", "N/A", " None ", "TBC.", "not  applicable", "-", "?"] {
            assert!(p.matches(text), "{text}");
        }
        for text in ["Learner Support Team", "none of the above", "n/a n/a", ""] {
            assert!(!p.matches(text), "{text}");
        }
    }

    #[test]
    fn punctuation_and_spacing_around_or_inside_a_placeholder_are_ignored() {
        let p = Placeholders::default();
        for text in [
            "\u{2014}", "\u{2013}", "...", "\u{2026}", "T.B.C", "TBC!", "nothing", " - ", "n / a",
            "(none)", "NOTHING.", "N.A",
        ] {
            assert!(p.matches(text), "{text:?} should be a placeholder");
        }
        for text in [
            "N/A-level course",
            "nothing to report: weekly check-ins",
            "TBC by 1 May: Sam Jones",
            "A-level",
            "1",
            "2024-09-01",
            "   ",
        ] {
            assert!(!p.matches(text), "{text:?} should be a value");
        }
    }

    #[test]
    fn a_list_turned_off_takes_punctuation_for_text() {
        let off = Placeholders::new(Vec::<String>::new());
        assert!(!off.matches("\u{2014}"));
        assert!(!Placeholders::none().matches("..."));
    }

    #[test]
    fn a_policy_list_replaces_or_extends_the_default() {
        let own = Placeholders::new(["Pending".to_string()]);
        assert!(own.matches("pending"));
        assert!(!own.matches("n/a"));
        assert!(!Placeholders::none().matches("n/a"));
    }
}
