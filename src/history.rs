//! A compliance history: one JSON line per audit (`audit --history FILE`),
//! what `blcheck trend` and the HTML report's trend chart read.
//!
//! Each run's line is appended with one write to a file opened for
//! appending, then synced, so a line is whole or absent and earlier lines
//! are never rewritten. A run killed while writing can leave its line
//! incomplete at the end of the file: the next append starts on a new line
//! (the broken one stays, and readers ignore it with a warning).

use crate::policy::PolicySet;
use crate::report::{Report, Status};
use anyhow::{anyhow, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The version of a history line this release writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The largest history read: a line is a few kilobytes, a run a day for
/// decades is far below this.
const MAX_HISTORY_BYTES: u64 = 256 * 1024 * 1024;

/// One run, as its line holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub format_version: u32,
    pub as_of: String,
    pub tool_version: String,
    /// The settings file the run used, as shown; `None` without one.
    pub config: Option<String>,
    /// Each applied policy's id and version.
    pub policies: Vec<PolicyVersion>,
    pub documents: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
    /// Findings a baseline held; `None` for a run without a baseline.
    pub baselined: Option<usize>,
    /// Documents passing and failing each policy (a document fails a
    /// policy when one of the policy's rules fails on it, baselined or not).
    pub by_policy: Vec<Tally>,
    /// Documents passing and failing each rule.
    pub by_rule: Vec<Tally>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub id: String,
    pub version: String,
}

/// Passes and failures of one policy or rule in one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// The policy's id, or the rule's.
    pub id: String,
    /// For a rule, its policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    pub passed: usize,
    pub failed: usize,
    pub waived: usize,
    pub baselined: usize,
}

impl Tally {
    /// The share of documents that pass, in percent (waived counted as
    /// passing, as they pass the gate); `None` when none was judged.
    pub fn percent(&self) -> Option<f64> {
        let judged = self.passed + self.waived + self.failed;
        (judged > 0).then(|| 100.0 * (self.passed + self.waived) as f64 / judged as f64)
    }
}

impl Record {
    /// The record of a run. The report must keep every rule's result
    /// (`RunOptions::keep_details`): passes are counted from them.
    pub fn of(report: &Report, policies: &PolicySet, config: Option<&str>) -> Record {
        let policy_of: BTreeMap<&str, &str> = policies
            .policies
            .iter()
            .flat_map(|p| p.rules.iter().map(move |r| (&*r.id, &*p.id)))
            .collect();
        let mut rules: BTreeMap<&str, Tally> = BTreeMap::new();
        let mut by_policy: BTreeMap<&str, Tally> = BTreeMap::new();
        for doc in &report.documents {
            // Per policy, the document's worst result: fail, else waived,
            // else pass; a policy none of whose rules applied is not counted.
            let mut verdicts: BTreeMap<&str, Status> = BTreeMap::new();
            for result in doc.results() {
                let tally = rules.entry(&result.rule).or_insert_with(|| Tally {
                    id: result.rule.to_string(),
                    policy: policy_of.get(&*result.rule).map(|p| p.to_string()),
                    ..Tally::default()
                });
                match result.status {
                    Status::Pass => tally.passed += 1,
                    Status::Fail => tally.failed += 1,
                    Status::Waived => tally.waived += 1,
                    Status::Skip | Status::Baselined | Status::Fixed => continue,
                }
                if let Some(policy) = policy_of.get(&*result.rule) {
                    let verdict = verdicts.entry(policy).or_insert(Status::Pass);
                    *verdict = match (*verdict, result.status) {
                        (Status::Fail, _) | (_, Status::Fail) => Status::Fail,
                        (Status::Waived, _) | (_, Status::Waived) => Status::Waived,
                        _ => Status::Pass,
                    };
                }
            }
            for (policy, verdict) in verdicts {
                let tally = by_policy.entry(policy).or_insert_with(|| Tally {
                    id: policy.to_string(),
                    ..Tally::default()
                });
                match verdict {
                    Status::Fail => tally.failed += 1,
                    Status::Waived => tally.waived += 1,
                    _ => tally.passed += 1,
                }
            }
        }
        for finding in report
            .findings
            .iter()
            .filter(|f| f.status == Status::Baselined)
        {
            if let Some(tally) = rules.get_mut(&**finding.rule()) {
                tally.baselined += 1;
            }
            if let Some(tally) = finding
                .policy()
                .as_deref()
                .and_then(|p| by_policy.get_mut(p))
            {
                tally.baselined += 1;
            }
        }
        let s = &report.summary;
        Record {
            format_version: FORMAT_VERSION,
            as_of: report.as_of.to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            config: config.map(str::to_string),
            policies: report
                .policies
                .iter()
                .map(|p| PolicyVersion {
                    id: p.id.clone(),
                    version: p.version.clone(),
                })
                .collect(),
            documents: s.documents,
            passed: s.passed,
            failed: s.failed,
            errors: s.errors,
            warnings: s.warnings,
            waived: s.waived,
            baselined: s.baselined,
            by_policy: by_policy.into_values().collect(),
            by_rule: rules.into_values().collect(),
        }
    }
}

/// Appends `record` to the history at `path` (made if missing). Returns a
/// warning when the file ended in an incomplete line.
pub fn append(path: &Path, shown: &str, record: &Record) -> Result<Option<String>> {
    let mut line = serde_json::to_vec(record)?;
    line.push(b'\n');
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| format!("{shown}: cannot open the history"))?;
    let mut warning = None;
    let meta = file.metadata()?;
    if meta.is_file() && meta.len() > 0 {
        let mut last = [0u8];
        file.seek(SeekFrom::End(-1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            line.insert(0, b'\n');
            warning = Some(format!(
                "{shown}: its last line was incomplete (a run killed while writing?); \
                 this run's line starts on a new line, and the incomplete one is ignored"
            ));
        }
    }
    // One write: appended whole, after whatever another run appended.
    file.write_all(&line)
        .and_then(|()| file.sync_data())
        .with_context(|| format!("{shown}: cannot append to the history"))?;
    Ok(warning)
}

/// The records of a history, in the order they were appended, and a
/// warning for each line that is not a whole record (ignored).
pub fn read(path: &Path, shown: &str) -> Result<(Vec<Record>, Vec<String>)> {
    let text =
        crate::safe_read::read_text(path, crate::safe_read::Links::Follow, MAX_HISTORY_BYTES)
            .map_err(|e| anyhow!("{shown}: cannot read the history: {e}"))?;
    Ok(parse(&text, shown))
}

pub fn parse(text: &str, shown: &str) -> (Vec<Record>, Vec<String>) {
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let last = i + 1 == lines.len();
        match serde_json::from_str::<Record>(line) {
            Ok(record) if record.format_version == FORMAT_VERSION => records.push(record),
            Ok(record) => warnings.push(format!(
                "{shown}:{}: a history line of format_version {}, which this blcheck does not read; ignored",
                i + 1,
                record.format_version
            )),
            Err(_) if last => warnings.push(format!(
                "{shown}:{}: the last line is incomplete (a run killed while writing?); ignored",
                i + 1
            )),
            Err(e) => warnings.push(format!(
                "{shown}:{}: not a history record ({e}); ignored",
                i + 1
            )),
        }
    }
    (records, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(as_of: &str, failed: usize) -> Record {
        Record {
            format_version: FORMAT_VERSION,
            as_of: as_of.into(),
            tool_version: "0.1.0".into(),
            config: None,
            policies: Vec::new(),
            documents: 4,
            passed: 4 - failed,
            failed,
            errors: failed,
            warnings: 0,
            waived: 0,
            baselined: None,
            by_policy: vec![Tally {
                id: "P".into(),
                policy: None,
                passed: 4 - failed,
                failed,
                waived: 0,
                baselined: 0,
            }],
            by_rule: Vec::new(),
        }
    }

    #[test]
    fn appended_lines_read_back_and_a_broken_last_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        assert_eq!(append(&path, "h", &record("2025-09-01", 3)).unwrap(), None);
        assert_eq!(append(&path, "h", &record("2025-10-01", 2)).unwrap(), None);
        // A run killed half way through its line.
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"format_version\": 1, \"as_of\": \"2025-1");
        std::fs::write(&path, &text).unwrap();
        let (records, warnings) = read(&path, "h").unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("h:3: the last line is incomplete"));
        // The next run starts its line on a new one: earlier lines intact.
        let warning = append(&path, "h", &record("2025-11-01", 1)).unwrap();
        assert!(warning.unwrap().contains("last line was incomplete"));
        let (records, warnings) = read(&path, "h").unwrap();
        let dates: Vec<&str> = records.iter().map(|r| r.as_of.as_str()).collect();
        assert_eq!(dates, ["2025-09-01", "2025-10-01", "2025-11-01"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("h:3: not a history record"));
    }

    #[test]
    fn percent_counts_waived_as_passing() {
        let tally = Tally {
            passed: 2,
            waived: 1,
            failed: 1,
            ..Tally::default()
        };
        assert_eq!(tally.percent(), Some(75.0));
        assert_eq!(Tally::default().percent(), None);
    }
}
