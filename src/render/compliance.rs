//! Compliance at a glance: for each policy and each of its rules, how many
//! documents are in scope and how many pass, fail or are waived, the rate
//! and a red/amber/green status against the thresholds of blcheck.toml.
//! The HTML report and the workbook show the same figures.
//!
//! A document is in scope of a rule when the rule applies to it (its result
//! is not "skip"). The compliance rate counts passes only: a waived result
//! is an approved exception, shown in its own column, not compliance
//! (docs/decisions.md).

use crate::policy::PolicySet;
use crate::report::{Report, Status};
use std::collections::BTreeMap;

/// Percentages at or above which a rate is green, or amber (below: red).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RagThresholds {
    pub green: f64,
    pub amber: f64,
}

/// Red, amber or green.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
        }
    }
}

/// The counts of one rule or one policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub in_scope: usize,
    pub passed: usize,
    pub failed: usize,
    pub waived: usize,
}

impl Tally {
    /// Passes as a percentage of the documents in scope; `None` when no
    /// document is.
    pub fn rate(&self) -> Option<f64> {
        (self.in_scope > 0).then(|| 100.0 * self.passed as f64 / self.in_scope as f64)
    }

    pub fn rag(&self, thresholds: Option<RagThresholds>) -> Option<Rag> {
        let (rate, t) = (self.rate()?, thresholds?);
        Some(if rate >= t.green {
            Rag::Green
        } else if rate >= t.amber {
            Rag::Amber
        } else {
            Rag::Red
        })
    }

    fn add(&mut self, status: Status) {
        match status {
            // A fixed baseline entry is about no rule's result on a document.
            Status::Skip | Status::Fixed => return,
            Status::Pass => self.passed += 1,
            // Known debt is still a failure of the rule on the document.
            Status::Fail | Status::Baselined => self.failed += 1,
            Status::Waived => self.waived += 1,
        }
        self.in_scope += 1;
    }
}

pub struct RuleCompliance<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub tally: Tally,
}

pub struct PolicyCompliance<'a> {
    pub id: &'a str,
    pub version: &'a str,
    pub title: &'a str,
    /// Documents: in scope when a rule of the policy applies; failed when
    /// one fails, waived when none fails and one is waived.
    pub tally: Tally,
    pub rules: Vec<RuleCompliance<'a>>,
}

/// The compliance of each policy with a rule applied in the run, in the
/// order of the policy set; one pass over the documents' results.
pub fn compliance<'a>(report: &Report, policies: &'a PolicySet) -> Vec<PolicyCompliance<'a>> {
    // Rule id → (policy index, rule index).
    let mut place: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (p, policy) in policies.policies.iter().enumerate() {
        for (r, rule) in policy.rules.iter().enumerate() {
            place.insert(&rule.id, (p, r));
        }
    }
    let mut rule_tallies: Vec<Vec<Tally>> = policies
        .policies
        .iter()
        .map(|p| vec![Tally::default(); p.rules.len()])
        .collect();
    let mut policy_tallies = vec![Tally::default(); policies.policies.len()];
    let mut worst: Vec<Option<Status>> = vec![None; policies.policies.len()];
    for doc in &report.documents {
        worst.iter_mut().for_each(|w| *w = None);
        for result in doc.results() {
            let Some(&(p, r)) = place.get(&*result.rule) else {
                continue;
            };
            rule_tallies[p][r].add(result.status);
            if result.status != Status::Skip {
                worst[p] = Some(match (worst[p], result.status) {
                    (Some(Status::Fail), _) | (_, Status::Fail) => Status::Fail,
                    (Some(Status::Waived), _) | (_, Status::Waived) => Status::Waived,
                    _ => Status::Pass,
                });
            }
        }
        for (p, status) in worst.iter().enumerate() {
            if let Some(status) = status {
                policy_tallies[p].add(*status);
            }
        }
    }
    policies
        .policies
        .iter()
        .zip(policy_tallies)
        .zip(rule_tallies)
        .filter(|((_, tally), _)| tally.in_scope > 0)
        .map(|((policy, tally), rules)| PolicyCompliance {
            id: &policy.id,
            version: &policy.version,
            title: &policy.title,
            tally,
            rules: policy
                .rules
                .iter()
                .zip(rules)
                .map(|(rule, tally)| RuleCompliance {
                    id: &rule.id,
                    name: &rule.name,
                    title: &rule.title,
                    tally,
                })
                .collect(),
        })
        .collect()
}

/// A rate as the reports write it: one decimal place.
pub fn shown_rate(rate: Option<f64>) -> String {
    match rate {
        Some(rate) => format!("{rate:.1}%"),
        None => "–".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_statuses() {
        let tally = Tally {
            in_scope: 10,
            passed: 9,
            failed: 1,
            waived: 0,
        };
        assert_eq!(tally.rate(), Some(90.0));
        let t = RagThresholds {
            green: 95.0,
            amber: 80.0,
        };
        assert_eq!(tally.rag(Some(t)), Some(Rag::Amber));
        assert_eq!(tally.rag(None), None);
        assert_eq!(Tally::default().rate(), None);
        assert_eq!(shown_rate(Some(2.0 / 3.0 * 100.0)), "66.7%");
    }
}
