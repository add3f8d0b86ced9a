//! Baselines: the failures a catalogue had when its gate was switched on,
//! written once (`blcheck baseline`), committed, and read by every later
//! audit (`--baseline`), so that CI fails only on what is new.
//!
//! A baseline is JSON: `format_version`, the fingerprint `KEY` its entries
//! were made under, and one entry per failing finding, sorted by document,
//! rule and fingerprint, so that a change to it reads well in a diff. Each
//! entry keeps the rule, the document and the message for people; only the
//! fingerprint is matched. Matching is a multiset: an entry absorbs one
//! finding of its identity, so a baseline with one failure of a rule on a
//! course does not hide a second.

use crate::fingerprint::{self, identity_part};
use crate::report::{Finding, FindingPath, FindingTarget, Report, RuleLabel, Severity, Status};
use anyhow::{anyhow, bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;

/// The version of the baseline format this release reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The largest baseline read: a run's findings are bounded by DOC015's
/// `max_findings`, and an entry is a few hundred bytes.
const MAX_BASELINE_BYTES: u64 = 512 * 1024 * 1024;

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub format_version: u32,
    /// What the fingerprints are (`fingerprint::KEY`): entries made under
    /// another key cannot be matched.
    pub fingerprint: String,
    pub entries: Vec<Entry>,
}

/// One failing finding, as the baseline keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub policy: Option<String>,
    #[serde(default = "error")]
    pub severity: Severity,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub document: Option<String>,
    /// Where the finding was when the baseline was written: for people,
    /// never matched (files move).
    #[serde(default)]
    pub file: String,
    /// The finding's path, list items named by their key.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub message: String,
}

fn error() -> Severity {
    Severity::Error
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
        let text = String::deserialize(d)?;
        Severity::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("severity '{text}' is not error, warning or info"))
        })
    }
}

impl Baseline {
    /// The baseline of a report: every failing finding (status `fail`, of
    /// any severity), sorted.
    pub fn of(report: &Report) -> Baseline {
        let mut entries: Vec<Entry> = report
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .map(Entry::of)
            .collect();
        entries.sort_by(|a, b| {
            (&a.kind, &a.document, &a.rule, &a.path, &a.fingerprint).cmp(&(
                &b.kind,
                &b.document,
                &b.rule,
                &b.path,
                &b.fingerprint,
            ))
        });
        Baseline {
            format_version: FORMAT_VERSION,
            fingerprint: fingerprint::KEY.to_string(),
            entries,
        }
    }

    /// Reads a baseline; a file that is not one, or is of a format this
    /// release does not know, is an error that names it.
    pub fn read(path: &Path, shown: &str) -> Result<Baseline> {
        let text =
            crate::safe_read::read_text(path, crate::safe_read::Links::Follow, MAX_BASELINE_BYTES)
                .map_err(|e| anyhow!("{shown}: cannot read the baseline: {e}"))?;
        Baseline::parse(&text, shown)
    }

    pub fn parse(text: &str, shown: &str) -> Result<Baseline> {
        // The version first, so that a later format is named as such
        // rather than as a file with unexpected fields.
        #[derive(Deserialize)]
        struct Version {
            format_version: Option<serde_json::Value>,
        }
        let version: Version = serde_json::from_str(text).map_err(|e| {
            anyhow!(
                "{shown}:{}:{}: not a blcheck baseline: {e}",
                e.line(),
                e.column()
            )
        })?;
        match version.format_version {
            Some(v) if v.as_u64() == Some(u64::from(FORMAT_VERSION)) => {}
            Some(v) => bail!(
                "{shown}: baseline format_version {v} is not one this blcheck reads \
                 (it reads {FORMAT_VERSION}); write the baseline again with `blcheck baseline`"
            ),
            None => bail!("{shown}: not a blcheck baseline: it has no format_version"),
        }
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| {
            anyhow!(
                "{shown}:{}:{}: not a blcheck baseline: {e}",
                e.line(),
                e.column()
            )
        })?;
        if baseline.fingerprint != fingerprint::KEY {
            bail!(
                "{shown}: the baseline's fingerprints are {}, this blcheck's are {}; \
                 write the baseline again with `blcheck baseline`",
                baseline.fingerprint,
                fingerprint::KEY
            );
        }
        Ok(baseline)
    }

    /// The baseline as JSON, one entry after another, with a final newline.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// The baseline without `fixed`, the entries that matched nothing:
    /// what `--update-baseline` writes. Nothing is added.
    pub fn without(&self, fixed: &[usize]) -> Baseline {
        let mut keep = vec![true; self.entries.len()];
        for &i in fixed {
            keep[i] = false;
        }
        Baseline {
            format_version: self.format_version,
            fingerprint: self.fingerprint.clone(),
            entries: self
                .entries
                .iter()
                .zip(keep)
                .filter(|(_, keep)| *keep)
                .map(|(entry, _)| entry.clone())
                .collect(),
        }
    }
}

impl Entry {
    fn of(finding: &Finding) -> Entry {
        Entry {
            fingerprint: finding.fingerprint(),
            rule: finding.rule().to_string(),
            name: finding.name().to_string(),
            policy: finding.policy().as_deref().map(str::to_string),
            severity: finding.severity,
            kind: finding.kind().as_deref().map(str::to_string),
            document: finding.document().as_deref().map(str::to_string),
            file: finding.file().to_string(),
            path: finding.location.as_ref().map(|p| p.stable().to_string()),
            message: finding.message.to_string(),
        }
    }

    /// The finding that reports this entry as fixed: information, where
    /// the failure was when the baseline was written.
    fn fixed(&self) -> Finding {
        let mut label = RuleLabel::new(&self.rule, &self.name);
        label.policy = self.policy.as_deref().map(Arc::from);
        let mut finding = Finding::new(
            Arc::new(label),
            Severity::Info,
            Arc::new(FindingTarget {
                file: self.file.as_str().into(),
                kind: self.kind.as_deref().map(Arc::from),
                document: self.document.as_deref().map(Arc::from),
            }),
            crate::yaml::Pos { line: 0, column: 0 },
            self.path.as_deref().map(|p| Arc::new(FindingPath::new(p))),
            format!("fixed since the baseline, which holds: {}", self.message),
        );
        finding.status = Status::Fixed;
        finding.set_fingerprint(&self.fingerprint);
        finding
    }
}

/// What a baseline did to a report: the indices of its entries that matched
/// nothing (now findings of status `fixed`).
pub struct Applied {
    pub fixed: Vec<usize>,
}

/// Marks the report's failing findings that `baseline` holds as
/// `baselined` (each entry absorbs one finding of its identity, the first
/// in report order) and adds a `fixed` finding for each entry that matched
/// nothing. The summary counts both apart. Entries of rules the run does
/// not report (`in_scope` false: `--select`, `--ignore`) are left alone:
/// neither matched nor fixed.
pub fn apply(
    report: Report,
    baseline: &Baseline,
    in_scope: impl Fn(&Entry) -> bool,
) -> (Report, Applied) {
    let mut open: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, entry) in baseline.entries.iter().enumerate() {
        if !in_scope(entry) {
            continue;
        }
        open.entry(identity_part(&entry.fingerprint))
            .or_default()
            .push_back(i);
    }
    let excluded_files = report.summary.excluded_files;
    let incomplete = report.incomplete;
    let Report {
        as_of,
        policies,
        summary,
        documents,
        mut findings,
        ..
    } = report;
    let mut baselined = 0;
    for finding in findings.iter_mut().filter(|f| f.status == Status::Fail) {
        let entries = open.get_mut(identity_part(&finding.fingerprint()));
        if entries.and_then(VecDeque::pop_front).is_some() {
            finding.status = Status::Baselined;
            baselined += 1;
        }
    }
    let mut fixed: Vec<usize> = open.into_values().flatten().collect();
    fixed.sort_unstable();
    findings.extend(fixed.iter().map(|&i| baseline.entries[i].fixed()));
    let mut report = Report::new(
        as_of,
        policies,
        documents,
        findings,
        summary.skipped_files,
        summary.cohorts,
    );
    report.summary.excluded_files = excluded_files;
    report.summary.baselined = Some(baselined);
    report.summary.fixed = Some(fixed.len());
    report.incomplete = incomplete;
    (report, Applied { fixed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, document: &str, path: &str, line: u32) -> Finding {
        let mut label = RuleLabel::new(rule, "name");
        label.policy = Some("BL-QA".into());
        Finding::new(
            Arc::new(label),
            Severity::Warning,
            Arc::new(FindingTarget {
                file: format!("{document}.yaml").into(),
                kind: Some("Course".into()),
                document: Some(document.into()),
            }),
            crate::yaml::Pos { line, column: 1 },
            Some(Arc::new(FindingPath::new(path))),
            format!("{rule} at {path}"),
        )
    }

    fn report(findings: Vec<Finding>) -> Report {
        let as_of = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        Report::new(as_of, Vec::new(), Vec::new(), findings, 0, Vec::new())
    }

    #[test]
    fn an_entry_absorbs_one_finding_of_its_identity() {
        // Two alike failures (same rule, document and path) when the
        // baseline was written; one of them fixed since, one new added.
        let before = report(vec![
            finding("BLP014", "C1", "staff", 10),
            finding("BLP014", "C1", "staff", 20),
            finding("BLP002", "C1", "review.date", 5),
        ]);
        let baseline = Baseline::of(&before);
        assert_eq!(baseline.entries.len(), 3);
        let after = report(vec![
            finding("BLP014", "C1", "staff", 12),
            finding("BLP005", "C1", "feedback_days", 30),
        ]);
        let (after, applied) = apply(after, &baseline, |_| true);
        let statuses: Vec<(&str, Status)> = after
            .findings
            .iter()
            .map(|f| (&**f.rule(), f.status))
            .collect();
        assert!(statuses.contains(&("BLP014", Status::Baselined)));
        assert!(statuses.contains(&("BLP005", Status::Fail)));
        assert_eq!(
            statuses.iter().filter(|(_, s)| *s == Status::Fixed).count(),
            2
        );
        assert_eq!(after.summary.baselined, Some(1));
        assert_eq!(after.summary.fixed, Some(2));
        assert_eq!(after.summary.warnings, 1);
        assert!(after.fails_at(Some(Severity::Warning)));
        // The update keeps the entry that still matches and adds nothing.
        let updated = baseline.without(&applied.fixed);
        assert_eq!(updated.entries.len(), 1);
        assert_eq!(updated.entries[0].rule, "BLP014");
        // A second finding of the same identity is not absorbed.
        let twice = report(vec![
            finding("BLP014", "C1", "staff", 12),
            finding("BLP014", "C1", "staff", 13),
        ]);
        let (twice, _) = apply(twice, &updated, |_| true);
        let (_, none) = apply(report(Vec::new()), &updated, |e| e.rule != "BLP014");
        assert!(none.fixed.is_empty());
        let failing: Vec<_> = twice.findings.iter().filter(|f| f.fails()).collect();
        assert_eq!(failing.len(), 1);
    }

    #[test]
    fn a_baseline_reads_back_what_it_wrote() {
        let baseline = Baseline::of(&report(vec![finding("BLP002", "C1", "review.date", 5)]));
        let text = String::from_utf8(baseline.to_json().unwrap()).unwrap();
        assert_eq!(Baseline::parse(&text, "b.json").unwrap(), baseline);
    }

    #[test]
    fn malformed_and_unknown_baselines_are_named() {
        let err = |text: &str| Baseline::parse(text, "b.json").unwrap_err().to_string();
        assert!(err("{").starts_with("b.json:1:1: not a blcheck baseline"));
        assert!(err("[]").contains("not a blcheck baseline"));
        assert!(err("{}").contains("no format_version"));
        assert!(err(r#"{"format_version": 2, "entries": []}"#)
            .contains("format_version 2 is not one this blcheck reads"));
        assert!(
            err(r#"{"format_version": 1, "fingerprint": "x", "entries": []}"#)
                .contains("fingerprints are x")
        );
        assert!(err(
            r#"{"format_version": 1, "fingerprint": "blcheckFinding/v3", "entries": [{}]}"#
        )
        .contains("missing field"));
    }
}
