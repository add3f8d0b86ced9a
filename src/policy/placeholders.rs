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
];

/// A policy's placeholder texts, compared folded (case, surrounding white
/// space and a trailing full stop ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholders {
    texts: Arc<[String]>,
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
        Placeholders {
            texts: folded.into(),
            source: DEFAULT_SOURCE.into(),
        }
    }

    /// No text is a placeholder (conditions of a policy's scope).
    pub fn none() -> Placeholders {
        Placeholders {
            texts: Arc::from([]),
            source: "none".into(),
        }
    }

    /// The texts, folded, in order.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// Whether `text` says nothing: one of the placeholders once folded.
    pub fn matches(&self, text: &str) -> bool {
        let folded = fold(text);
        self.texts.binary_search(&folded).is_ok()
    }
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
    fn a_policy_list_replaces_or_extends_the_default() {
        let own = Placeholders::new(["Pending".to_string()]);
        assert!(own.matches("pending"));
        assert!(!own.matches("n/a"));
        assert!(!Placeholders::none().matches("n/a"));
    }
}
