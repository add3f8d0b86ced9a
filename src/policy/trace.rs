//! Traceability: each commitment of a policy's source document, verbatim,
//! and the rules that check it, or why none can. `blcheck trace`,
//! docs/traceability.md and the HTML report read the matrix built here.

use super::{PolicyError, PolicySet};
use crate::checks::Check;
use crate::yaml::Pos;
use serde::Serialize;
use std::sync::Arc;

/// One commitment of a source document, as the policy file lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// Short and stable, e.g. `STS-P01`.
    pub id: String,
    /// The list of the source it is in ("Skills and Training Services will").
    pub section: String,
    /// The commitment, verbatim.
    pub text: String,
    pub coverage: Coverage,
    /// Where each rule id is written, for errors about rules not loaded.
    pub rule_positions: Vec<Pos>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Coverage {
    /// Checked by these rules; `gap` says what they cannot see, when they
    /// check it only in part.
    Checked {
        rules: Vec<Arc<str>>,
        gap: Option<String>,
    },
    /// No rule can check it, for this reason.
    NotCheckable(String),
}

/// The status of a commitment, as reports show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceStatus {
    Checked,
    PartlyChecked,
    NotCheckable,
}

impl TraceStatus {
    pub fn label(self) -> &'static str {
        match self {
            TraceStatus::Checked => "checked",
            TraceStatus::PartlyChecked => "partly checked",
            TraceStatus::NotCheckable => "not checkable",
        }
    }
}

/// A rule that checks a commitment, and what it checks.
#[derive(Debug, Clone, Serialize)]
pub struct TracedRule {
    pub id: String,
    pub title: String,
    /// The rule's checks in words.
    pub checks: Vec<String>,
}

/// One row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct TraceRow {
    pub policy: String,
    pub source: Option<String>,
    pub commitment: String,
    pub section: String,
    pub text: String,
    pub status: TraceStatus,
    pub rules: Vec<TracedRule>,
    /// What the rules cannot see (partly checked), or why no rule can (not
    /// checkable); `None` when checked in full.
    pub note: Option<String>,
}

/// Every commitment of the loaded policies (those named in `only`, when
/// it is not empty), in the policies' order and each policy's order of
/// commitments. Rules are looked up in every loaded policy.
pub fn matrix(policies: &PolicySet, only: &[String]) -> Vec<TraceRow> {
    let mut rows = Vec::new();
    let wanted = policies
        .policies
        .iter()
        .filter(|p| only.is_empty() || only.iter().any(|id| **id == *p.id));
    for policy in wanted {
        for c in &policy.commitments {
            let (status, rules, note) = match &c.coverage {
                Coverage::NotCheckable(reason) => {
                    (TraceStatus::NotCheckable, Vec::new(), Some(reason.clone()))
                }
                Coverage::Checked { rules, gap } => {
                    let traced = rules
                        .iter()
                        .filter_map(|id| policies.rule(id))
                        .map(|(_, rule)| TracedRule {
                            id: rule.id.to_string(),
                            title: rule.title.clone(),
                            checks: rule.checks.iter().map(Check::describe).collect(),
                        })
                        .collect();
                    let status = if gap.is_some() {
                        TraceStatus::PartlyChecked
                    } else {
                        TraceStatus::Checked
                    };
                    (status, traced, gap.clone())
                }
            };
            rows.push(TraceRow {
                policy: format!("{} {}", policy.id, policy.version),
                source: policy.source_document.clone(),
                commitment: c.id.clone(),
                section: c.section.clone(),
                text: c.text.clone(),
                status,
                rules,
                note,
            });
        }
    }
    rows
}

/// The commitments that name a rule no loaded policy defines, located where
/// the id is written.
pub fn unknown_rules(policies: &PolicySet) -> Vec<PolicyError> {
    let mut errors = Vec::new();
    for policy in &policies.policies {
        for c in &policy.commitments {
            let Coverage::Checked { rules, .. } = &c.coverage else {
                continue;
            };
            for (id, pos) in rules.iter().zip(&c.rule_positions) {
                if policies.rule(id).is_none() {
                    errors.push(PolicyError {
                        file: policy.origin.file_label(),
                        pos: *pos,
                        message: format!(
                            "commitment {} names rule {id}, which no loaded policy defines",
                            c.id
                        ),
                    });
                }
            }
        }
    }
    errors
}
