//! `--select` and `--ignore`: which rules a run reports. A selector is a
//! rule id (`BLP004`) or a prefix of one (`BLP`, `DOC00`).

use crate::settings::PathIgnore;
use anyhow::{bail, Result};

#[derive(Debug, Clone, Default)]
pub struct RuleFilter {
    select: Vec<String>,
    ignore: Vec<String>,
    /// From blcheck.toml: rules left out for files matching globs.
    path_ignores: Vec<PathIgnore>,
}

impl RuleFilter {
    /// Builds the filter; every selector must match at least one known rule.
    pub fn new(select: &[String], ignore: &[String], known: &[&str]) -> Result<RuleFilter> {
        let split = |list: &[String]| -> Vec<String> {
            list.iter()
                .flat_map(|s| s.split(','))
                .map(|s| s.trim().to_uppercase())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let filter = RuleFilter {
            select: split(select),
            ignore: split(ignore),
            path_ignores: Vec::new(),
        };
        for selector in filter.select.iter().chain(&filter.ignore) {
            if selector != "ALL" && !known.iter().any(|id| id.starts_with(selector.as_str())) {
                bail!("'{selector}' matches no rule id; `blcheck rules` lists them");
            }
        }
        Ok(filter)
    }

    /// Adds blcheck.toml's per-path ignores.
    pub fn with_path_ignores(mut self, ignores: Vec<PathIgnore>) -> RuleFilter {
        self.path_ignores = ignores;
        self
    }

    /// Leaves `rules` out entirely (severity `off` in blcheck.toml).
    pub fn turn_off(&mut self, rules: impl IntoIterator<Item = String>) {
        self.ignore.extend(rules);
    }

    /// Whether `rule` is reported for findings in `file`.
    pub fn includes_at(&self, rule: &str, file: &str) -> bool {
        self.includes(rule)
            && !self.path_ignores.iter().any(|ignore| {
                ignore.matches(file)
                    && ignore
                        .rules
                        .iter()
                        .any(|r| r == "ALL" || rule.starts_with(r.as_str()))
            })
    }

    pub fn includes(&self, rule: &str) -> bool {
        let matches = |s: &String| s == "ALL" || rule.starts_with(s.as_str());
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["BLP001", "BLP004", "DOC003", "EVL001"];

    #[test]
    fn selects_by_id_and_prefix_and_ignores() {
        let f = RuleFilter::new(&["BLP".into()], &["BLP004".into()], KNOWN).unwrap();
        assert!(f.includes("BLP001"));
        assert!(!f.includes("BLP004"));
        assert!(!f.includes("DOC003"));
        let all = RuleFilter::new(&[], &["doc003,EVL".into()], KNOWN).unwrap();
        assert!(all.includes("BLP004"));
        assert!(!all.includes("DOC003"));
        assert!(!all.includes("EVL001"));
    }

    #[test]
    fn unknown_selectors_are_refused() {
        assert!(RuleFilter::new(&["XYZ".into()], &[], KNOWN).is_err());
    }
}
