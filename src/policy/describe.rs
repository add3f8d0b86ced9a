//! Rules in words: the catalogue view of every rule (policy rules and
//! blcheck's own checks) that `rules`, `explain`, docs/rules.md and SARIF
//! rule metadata all read, so a rule is described once.

use super::{Catalogue, Policy, PolicySet};
use crate::checks::{format_number, Check};
use crate::report::Severity;
use serde::Serialize;

/// One rule as the catalogue shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    pub policy: String,
    pub severity: Severity,
    pub title: String,
    pub clause: String,
    pub help: String,
    pub scope: String,
    pub checks: Vec<String>,
    pub params: Vec<(String, String)>,
    pub example: Option<String>,
}

/// Every rule, policy rules first (by policy), then blcheck's own checks.
pub fn catalogue(policies: &PolicySet, catalogue: &Catalogue) -> Vec<RuleInfo> {
    let mut rules = Vec::new();
    for policy in &policies.policies {
        for rule in &policy.rules {
            let mut params: Vec<(String, String)> = rule
                .params
                .iter()
                .map(|(k, v)| (k.clone(), format_number(*v)))
                .collect();
            params.sort();
            rules.push(RuleInfo {
                id: rule.id.to_string(),
                name: rule.name.to_string(),
                policy: format!("{} {}", policy.id, policy.version),
                severity: rule.severity,
                title: rule.title.clone(),
                clause: rule.clause.to_string(),
                help: rule.help.to_string(),
                scope: scope_text(policy, &rule.when),
                checks: rule.checks.iter().map(describe_check).collect(),
                params,
                example: rule.example.clone(),
            });
        }
    }
    for rule in &catalogue.rules {
        rules.push(RuleInfo {
            id: rule.id.to_string(),
            name: rule.name.to_string(),
            policy: "blcheck (built-in checks)".into(),
            severity: rule.severity,
            title: rule.title.clone(),
            clause: rule.clause.to_string(),
            help: rule.help.to_string(),
            scope: if rule.id.starts_with("POL") {
                "every policy applied in the run".into()
            } else {
                "every blcheck document".into()
            },
            checks: Vec::new(),
            params: rule
                .params
                .iter()
                .map(|(k, v)| (k.clone(), format_number(*v)))
                .collect(),
            example: rule.example.clone(),
        });
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}

fn scope_text(policy: &Policy, when: &[Check]) -> String {
    let kinds: Vec<&str> = policy.scope.kinds.iter().map(|k| k.name()).collect();
    let mut text = format!("{} documents", kinds.join(", "));
    let conditions: Vec<String> = policy
        .scope
        .when
        .iter()
        .chain(when)
        .map(describe_check)
        .collect();
    if !conditions.is_empty() {
        text.push_str(&format!(" where {}", conditions.join(" and ")));
    }
    text
}

/// A check in words, for people reading the catalogue.
pub fn describe_check(check: &Check) -> String {
    use crate::checks::Number;
    let n = |n: &Number| match n {
        Number::Literal(v) => format_number(*v),
        Number::Param(name) => format!("[{name}]"),
    };
    let list = |values: &[crate::checks::Literal]| {
        values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match check {
        Check::Present { path } => format!("`{path}` is present"),
        Check::NonEmpty { path } => format!("`{path}` is not empty"),
        Check::Equals { path, value } => format!("`{path}` is {value}"),
        Check::NotEquals { path, value } => format!("`{path}` is present and not {value}"),
        Check::OneOf { path, values } => format!("`{path}` is one of {}", list(values)),
        Check::ContainsAll { path, values } => format!("`{path}` includes {}", list(values)),
        Check::AtLeast { path, limit } => format!("`{path}` is at least {}", n(limit)),
        Check::AtMost { path, limit } => format!("`{path}` is at most {}", n(limit)),
        Check::GreaterThan { path, limit } => format!("`{path}` is more than {}", n(limit)),
        Check::RatioAtLeast {
            path,
            denominator,
            percent,
        } => {
            format!("`{path}` is at least {}% of `{denominator}`", n(percent))
        }
        Check::MinItems {
            path,
            count,
            distinct,
        } => format!(
            "`{path}` has at least {} {}item(s)",
            n(count),
            if *distinct { "different " } else { "" }
        ),
        Check::DateValid { path } => format!("`{path}` is a valid date"),
        Check::DateNotAfterAsOf { path } => {
            format!("`{path}` is a valid date not after the as-of date")
        }
        Check::DateWithin { path, days } => {
            format!("`{path}` is within {} days before the as-of date", n(days))
        }
        Check::DistinctInRun { group_by, paths } => format!(
            "no other document with the same `{group_by}` in the run has the same {} (case and white space folded)",
            paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
        ),
        Check::LatestWithin { paths, days } => format!(
            "the latest of {} not after the as-of date is within {} days before it",
            paths
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", "),
            n(days)
        ),
    }
}
