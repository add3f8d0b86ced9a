//! `blcheck diff`: two runs compared by fingerprint. Either side is a JSON
//! report (`audit --format json`) or a baseline (`blcheck baseline`); the
//! failing findings of each (status `fail` or `baselined`, severity error
//! or warning; a baseline's entries are all failing) are matched as
//! multisets of identities, as a baseline matches a run: what only the new
//! side has is new, what only the old side has is fixed, the rest is still
//! failing. No I/O here; `commands/diff.rs` reads the files.

use crate::fingerprint::identity_part;
use anyhow::{anyhow, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// One side of the comparison, as read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub file: String,
    /// `report` or `baseline`.
    pub kind: &'static str,
    pub format_version: Option<u64>,
    pub tool_version: Option<String>,
    pub as_of: Option<String>,
    /// Each policy's id and version, where the file names them (a report).
    pub policies: Vec<(String, String)>,
    /// The failing findings.
    pub failing: Vec<Item>,
}

/// A failing finding of either side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub fingerprint: String,
    pub rule: String,
    pub policy: Option<String>,
    pub severity: String,
    pub document: Option<String>,
    pub file: String,
    /// 0 for a baseline's entry, which keeps no line.
    pub line: u64,
    pub message: String,
}

#[derive(Deserialize)]
struct RawFile {
    format_version: Option<u64>,
    tool: Option<RawTool>,
    as_of: Option<String>,
    #[serde(default)]
    policies: Vec<RawPolicy>,
    findings: Option<Vec<RawFinding>>,
    entries: Option<Vec<RawFinding>>,
}

#[derive(Deserialize)]
struct RawTool {
    version: Option<String>,
}

#[derive(Deserialize)]
struct RawPolicy {
    id: String,
    version: String,
}

#[derive(Deserialize)]
struct RawFinding {
    fingerprint: Option<String>,
    rule: String,
    policy: Option<String>,
    #[serde(default = "error")]
    severity: String,
    #[serde(default = "fail")]
    status: String,
    document: Option<String>,
    #[serde(default)]
    file: String,
    #[serde(default)]
    line: u64,
    #[serde(default)]
    message: String,
}

fn error() -> String {
    "error".into()
}

fn fail() -> String {
    "fail".into()
}

impl Side {
    /// Reads one side from the text of a report or a baseline.
    pub fn parse(text: &str, file: &str) -> Result<Side> {
        let raw: RawFile = serde_json::from_str(text).map_err(|e| {
            anyhow!(
                "{file}:{}:{}: not a blcheck JSON report or baseline: {e}",
                e.line(),
                e.column()
            )
        })?;
        let (kind, findings) = match (raw.findings, raw.entries) {
            (Some(findings), _) => ("report", findings),
            (None, Some(entries)) => ("baseline", entries),
            (None, None) => {
                return Err(anyhow!(
                    "{file}: not a blcheck JSON report or baseline: it has neither findings nor entries"
                ))
            }
        };
        let mut failing = Vec::new();
        for (i, f) in findings.into_iter().enumerate() {
            let counts = matches!(f.status.as_str(), "fail" | "baselined")
                && matches!(f.severity.as_str(), "error" | "warning");
            if !counts {
                continue;
            }
            let fingerprint = f.fingerprint.ok_or_else(|| {
                anyhow!(
                    "{file}: finding {} ({}) has no fingerprint: the file was written by a \
                     blcheck older than `blcheck diff`; write it again",
                    i + 1,
                    f.rule
                )
            })?;
            failing.push(Item {
                fingerprint,
                rule: f.rule,
                policy: f.policy,
                severity: f.severity,
                document: f.document,
                file: f.file,
                line: f.line,
                message: f.message,
            });
        }
        Ok(Side {
            file: file.to_string(),
            kind,
            format_version: raw.format_version,
            tool_version: raw.tool.and_then(|t| t.version),
            as_of: raw.as_of,
            policies: raw
                .policies
                .into_iter()
                .map(|p| (p.id, p.version))
                .collect(),
            failing,
        })
    }
}

/// What changed from one side to the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// What to bear in mind: the two sides differ in format or policy
    /// versions. They are compared all the same.
    pub notes: Vec<String>,
    pub summary: Counts,
    /// Counts per policy and rule, sorted by them.
    pub rules: Vec<RuleCounts>,
    /// Failing in the new side only, in its order.
    pub new: Vec<Item>,
    /// Failing in the old side only, in its order.
    pub fixed: Vec<Item>,
    /// Failing in both (as the new side has them), in its order.
    pub still_failing: Vec<Item>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub new: usize,
    pub fixed: usize,
    pub still_failing: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleCounts {
    pub policy: Option<String>,
    pub rule: String,
    #[serde(flatten)]
    pub counts: Counts,
}

impl Comparison {
    /// Whether anything fails in the new side that the old does not have.
    pub fn fails(&self) -> bool {
        !self.new.is_empty()
    }
}

/// Compares two sides.
pub fn compare(old: &Side, new: &Side) -> Comparison {
    let mut open: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, item) in old.failing.iter().enumerate() {
        open.entry(identity_part(&item.fingerprint))
            .or_default()
            .push_back(i);
    }
    let mut added = Vec::new();
    let mut still = Vec::new();
    for item in &new.failing {
        match open
            .get_mut(identity_part(&item.fingerprint))
            .and_then(VecDeque::pop_front)
        {
            Some(_) => still.push(item.clone()),
            None => added.push(item.clone()),
        }
    }
    let mut gone: Vec<usize> = open.into_values().flatten().collect();
    gone.sort_unstable();
    let fixed: Vec<Item> = gone.into_iter().map(|i| old.failing[i].clone()).collect();
    let mut rules: BTreeMap<(Option<String>, String), Counts> = BTreeMap::new();
    let mut count = |items: &[Item], field: fn(&mut Counts) -> &mut usize| {
        for item in items {
            *field(
                rules
                    .entry((item.policy.clone(), item.rule.clone()))
                    .or_default(),
            ) += 1;
        }
    };
    count(&added, |c| &mut c.new);
    count(&fixed, |c| &mut c.fixed);
    count(&still, |c| &mut c.still_failing);
    Comparison {
        notes: notes(old, new),
        summary: Counts {
            new: added.len(),
            fixed: fixed.len(),
            still_failing: still.len(),
        },
        rules: rules
            .into_iter()
            .map(|((policy, rule), counts)| RuleCounts {
                policy,
                rule,
                counts,
            })
            .collect(),
        new: added,
        fixed,
        still_failing: still,
    }
}

/// How the two sides differ besides their findings.
fn notes(old: &Side, new: &Side) -> Vec<String> {
    let mut notes = Vec::new();
    if old.kind != new.kind {
        notes.push(format!(
            "{} is a {} and {} a {}: a baseline keeps only failures",
            old.file, old.kind, new.file, new.kind
        ));
    }
    if old.format_version != new.format_version {
        let shown = |v: Option<u64>| v.map_or("none".to_string(), |v| v.to_string());
        notes.push(format!(
            "format_version differs: {} in {}, {} in {}",
            shown(old.format_version),
            old.file,
            shown(new.format_version),
            new.file
        ));
    }
    if let (Some(a), Some(b)) = (&old.tool_version, &new.tool_version) {
        if a != b {
            notes.push(format!(
                "written by blcheck {a} ({}) and {b} ({})",
                old.file, new.file
            ));
        }
    }
    for (id, version) in &new.policies {
        if let Some((_, before)) = old.policies.iter().find(|(o, _)| o == id) {
            if before != version {
                notes.push(format!(
                    "policy {id} is version {before} in {} and {version} in {}",
                    old.file, new.file
                ));
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(findings: &str, policy_version: &str) -> String {
        format!(
            r#"{{"format_version": 1, "tool": {{"name": "blcheck", "version": "0.1.0"}},
               "policies": [{{"id": "P", "version": "{policy_version}"}}], "findings": [{findings}]}}"#
        )
    }

    fn finding(print: &str, rule: &str, status: &str) -> String {
        format!(
            r#"{{"fingerprint": "{print}", "rule": "{rule}", "policy": "P", "severity": "error",
                "status": "{status}", "document": "C", "file": "c.yaml", "line": 3, "message": "m"}}"#
        )
    }

    #[test]
    fn new_fixed_and_still_failing_by_fingerprint_as_multisets() {
        let old = Side::parse(
            &report(
                &[
                    finding("aa:1", "R1", "fail"),
                    finding("aa:2", "R1", "fail"),
                    finding("bb:1", "R2", "fail"),
                    finding("ww:1", "R3", "waived"),
                ]
                .join(","),
                "1.0",
            ),
            "old.json",
        )
        .unwrap();
        let new = Side::parse(
            &report(
                &[
                    finding("aa:1", "R1", "baselined"),
                    finding("cc:1", "R2", "fail"),
                ]
                .join(","),
                "1.1",
            ),
            "new.json",
        )
        .unwrap();
        let diff = compare(&old, &new);
        assert_eq!(
            diff.summary,
            Counts {
                new: 1,
                fixed: 2,
                still_failing: 1
            }
        );
        assert!(diff.fails());
        assert_eq!(diff.new[0].fingerprint, "cc:1");
        assert_eq!(diff.rules.len(), 2);
        assert_eq!(diff.rules[0].rule, "R1");
        assert_eq!(diff.rules[0].counts.fixed, 1);
        assert_eq!(diff.rules[0].counts.still_failing, 1);
        assert_eq!(
            diff.notes,
            ["policy P is version 1.0 in old.json and 1.1 in new.json"]
        );
        assert!(!compare(&new, &new).fails());
    }

    #[test]
    fn what_cannot_be_compared_is_named() {
        let err = |text: &str| Side::parse(text, "x.json").unwrap_err().to_string();
        assert!(err("{").starts_with("x.json:1:1: not a blcheck JSON report"));
        assert!(err("{}").contains("neither findings nor entries"));
        assert!(
            err(r#"{"findings": [{"rule": "R", "status": "fail"}]}"#).contains("no fingerprint")
        );
    }
}
