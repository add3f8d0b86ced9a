//! `--select` and `--ignore`: which rules a run reports. A selector is a
//! rule id (`BLP004`), a prefix of one (`BLP`, `DOC00`), a rule's name
//! (`awarding-body-approval`, as `blcheck explain` takes it) or `ALL`.

use crate::settings::PathIgnore;
use anyhow::{bail, Result};

#[derive(Debug, Clone, Default)]
pub struct RuleFilter {
    /// Ids, prefixes or `ALL`, names resolved to their ids.
    select: Vec<String>,
    ignore: Vec<String>,
    /// Each `--select` selector as given, beside `select`.
    given: Vec<String>,
    /// From blcheck.toml: rules left out for files matching globs.
    path_ignores: Vec<PathIgnore>,
}

/// A rule the filter can select: its id and name.
pub type KnownRule<'a> = (&'a str, &'a str);

impl RuleFilter {
    /// Builds the filter; every selector must name or prefix a known rule.
    pub fn new(
        select: &[String],
        ignore: &[String],
        known: &[KnownRule<'_>],
    ) -> Result<RuleFilter> {
        let split = |list: &[String]| -> Vec<String> {
            list.iter()
                .flat_map(|s| s.split(','))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let given = split(select);
        let resolve = |selector: &String| -> Result<String> {
            if let Some((id, _)) = known
                .iter()
                .find(|(_, name)| name.eq_ignore_ascii_case(selector))
            {
                return Ok(id.to_string());
            }
            let id = selector.to_uppercase();
            if id == "ALL"
                || known
                    .iter()
                    .any(|(known, _)| known.starts_with(id.as_str()))
            {
                return Ok(id);
            }
            let words = known.iter().flat_map(|(id, name)| [*id, *name]);
            let hint = crate::document::validate::suggestion(selector, words)
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            bail!("'{selector}' matches no rule id or name{hint}; `blcheck rules` lists them")
        };
        Ok(RuleFilter {
            select: given.iter().map(resolve).collect::<Result<_>>()?,
            ignore: split(ignore).iter().map(resolve).collect::<Result<_>>()?,
            given,
            path_ignores: Vec::new(),
        })
    }

    /// The `--select` selectors, as given, that select none of `live` (the
    /// rules that could report in this run) once ignores and rules turned
    /// off are taken out: they report nothing.
    pub fn idle_selectors<'a>(&'a self, live: &[&str]) -> Vec<&'a str> {
        self.select
            .iter()
            .zip(&self.given)
            .filter(|(selector, _)| {
                !live
                    .iter()
                    .any(|rule| selects(selector, rule) && self.includes(rule))
            })
            .map(|(_, given)| given.as_str())
            .collect()
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
            && !self
                .path_ignores
                .iter()
                .any(|ignore| ignore.matches(file) && ignore.rules.iter().any(|r| selects(r, rule)))
    }

    pub fn includes(&self, rule: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| selects(s, rule)))
            && !self.ignore.iter().any(|s| selects(s, rule))
    }
}

/// Whether an id, prefix or `ALL` takes in `rule`.
fn selects(selector: &str, rule: &str) -> bool {
    selector == "ALL" || rule.starts_with(selector)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[KnownRule<'static>] = &[
        ("BLP001", "awarding-body-approval"),
        ("BLP004", "engagement-follow-up"),
        ("DOC003", "unknown-field"),
        ("EVL001", "evaluation-planned"),
    ];

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
    fn names_select_as_ids_do() {
        let f = RuleFilter::new(&["awarding-body-approval".into()], &[], KNOWN).unwrap();
        assert!(f.includes("BLP001"));
        assert!(!f.includes("BLP004"));
        let f = RuleFilter::new(&[], &["Engagement-Follow-Up, doc003".into()], KNOWN).unwrap();
        assert!(!f.includes("BLP004") && !f.includes("DOC003") && f.includes("BLP001"));
    }

    #[test]
    fn unknown_selectors_are_refused_with_a_suggestion() {
        assert!(RuleFilter::new(&["XYZ".into()], &[], KNOWN).is_err());
        let err = RuleFilter::new(&["awarding-body-aproval".into()], &[], KNOWN).unwrap_err();
        assert!(
            err.to_string()
                .contains("(did you mean awarding-body-approval?)"),
            "{err}"
        );
    }

    #[test]
    fn selectors_that_select_no_live_rule_are_idle() {
        let f = RuleFilter::new(
            &["BLP".into(), "evaluation-planned".into(), "DOC003".into()],
            &["DOC003".into()],
            KNOWN,
        )
        .unwrap();
        // EVL001's policy applied to nothing; DOC003 is ignored.
        assert_eq!(
            f.idle_selectors(&["BLP001", "BLP004", "DOC003"]),
            ["evaluation-planned", "DOC003"]
        );
    }
}
