//! Rules in words: the catalogue view of every rule (policy rules and
//! blcheck's own checks) that `rules`, `explain`, docs/rules.md and SARIF
//! rule metadata all read, so a rule is described once.

use super::{Catalogue, Policy, PolicySet};
use crate::checks::{format_number, Check};
use crate::report::{ConfigOverride, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// What passes, in plain words, one sentence a check, the path each
    /// reads beside it and the parameters' values given.
    pub passes: Vec<String>,
    pub params: Vec<(String, String)>,
    /// Where each parameter's number comes from, where the policy says.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub param_sources: BTreeMap<String, String>,
    /// The range each parameter may take, as its checks say (`0 or more`);
    /// shown by `explain`.
    #[serde(skip)]
    pub param_ranges: BTreeMap<String, String>,
    /// What blcheck.toml changed of the rule (its severity, parameters).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<ConfigOverride>,
    /// The text the rule's text checks take for no value, when it has such
    /// checks, and where that list comes from.
    #[serde(skip)]
    pub placeholders: Option<(Vec<String>, String)>,
    pub example: Option<String>,
}

/// The catalogue with the settings' changes beside each rule they touch.
pub fn with_overrides(mut rules: Vec<RuleInfo>, overrides: &[ConfigOverride]) -> Vec<RuleInfo> {
    for rule in &mut rules {
        rule.overrides = overrides
            .iter()
            .filter(|o| o.rule == rule.id)
            .cloned()
            .collect();
    }
    rules
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
                passes: rule
                    .checks
                    .iter()
                    .map(|c| c.in_words(&rule.params))
                    .collect(),
                params,
                param_sources: rule.param_sources.clone(),
                param_ranges: rule
                    .param_bounds
                    .iter()
                    .map(|(name, bounds)| (name.clone(), bounds.to_string()))
                    .collect(),
                overrides: Vec::new(),
                placeholders: rule
                    .checks
                    .iter()
                    .any(|c| matches!(c.kind(), "non_empty" | "min_items" | "min_items_of"))
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
            passes: Vec::new(),
            params: rule
                .params
                .iter()
                .map(|(k, v)| (k.clone(), format_number(*v)))
                .collect(),
            param_sources: BTreeMap::new(),
            param_ranges: BTreeMap::new(),
            overrides: Vec::new(),
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
