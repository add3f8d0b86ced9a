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
    /// Where each parameter's value comes from, by parameter name.
    pub param_sources: Vec<(String, String)>,
    /// The text the rule's text checks take for no value, when it has such
    /// checks, and where that list comes from.
    pub placeholders: Option<(Vec<String>, String)>,
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
                checks: rule.checks.iter().map(Check::describe).collect(),
                params,
                param_sources: rule
                    .param_sources
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                placeholders: rule
                    .checks
                    .iter()
                    .any(|c| matches!(c.kind(), "non_empty" | "min_items"))
                    .then(|| {
                        (
                            policy.placeholders.texts().to_vec(),
                            policy.placeholders.source().to_string(),
                        )
                    }),
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
            scope: rule
                .scope
                .clone()
                .unwrap_or_else(|| "every blcheck document".into()),
            checks: Vec::new(),
            params: rule
                .params
                .iter()
                .map(|(k, v)| (k.clone(), format_number(*v)))
                .collect(),
            param_sources: Vec::new(),
            placeholders: None,
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
        .map(Check::describe)
        .collect();
    if !conditions.is_empty() {
        text.push_str(&format!(" where {}", conditions.join(" and ")));
    }
    text
}
