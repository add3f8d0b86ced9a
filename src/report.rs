//! What an audit produces: findings, per-document outcomes, the summary.
//! Renderers read a `Report`; nothing here writes output.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one rule on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Skip,
    Waived,
    /// A failure the run's baseline holds: shown, counted apart, never
    /// failing the run.
    Baselined,
    /// An entry of the run's baseline that no finding matches any more:
    /// debt paid off, reported as information.
    Fixed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Waived => "waived",
            Status::Baselined => "baselined",
            Status::Fixed => "fixed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reported result: a failing or waived rule, or a document/policy check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Arc<str>,
    pub name: Arc<str>,
    pub policy: Option<Arc<str>>,
    pub severity: Severity,
    pub status: Status,
    pub document: Option<Arc<str>>,
    pub kind: Option<Arc<str>>,
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub path: Option<String>,
    pub message: String,
    pub clause: Option<Arc<str>>,
    pub help: Option<Arc<str>>,
    /// For a waived finding, the waiver's reason (SARIF's justification).
    #[serde(skip)]
    pub justification: Option<String>,
    /// The index in `Report::documents` of the document the finding is
    /// about; `None` for a file that could not be read and for a policy.
    /// Documents of one file may share kind and id (DOC005), so file, kind
    /// and id do not tell them apart.
    #[serde(skip)]
    pub document_index: Option<u32>,
    /// What the finding is about inside its document, for the fingerprint
    /// (`fingerprint::subject`); `None` where no document tree was at hand.
    #[serde(skip)]
    pub subject: Option<crate::fingerprint::Subject>,
    /// The finding's identity across runs (`fingerprint.rs`), set by
    /// `Report::new`.
    pub fingerprint: String,
}

impl Finding {
    /// Whether this finding fails its document: a failing rule of severity
    /// error or warning. Waived, baselined and info findings (a fixed
    /// baseline entry among them) do not. The one definition the summary,
    /// every format and the exit status use.
    pub fn fails(&self) -> bool {
        self.status == Status::Fail && self.severity >= Severity::Warning
    }

    /// Whether this finding fails a run gated at `threshold`.
    pub fn fails_at(&self, threshold: Option<Severity>) -> bool {
        self.fails() && threshold.is_some_and(|t| self.severity >= t)
    }

    /// The status as a person reads it: a failing rule of severity info
    /// (DOC009, an unused waiver) is information, not a failure. The JSON
    /// report keeps the spec's `fail`, with the severity beside it.
    pub fn shown_status(&self) -> &'static str {
        match (self.status, self.severity) {
            (Status::Fail, Severity::Info) => "info",
            (status, _) => status.as_str(),
        }
    }

    /// Where the finding is, as `file:line:column`; a baseline entry
    /// reported fixed keeps no line, and is its file alone.
    pub fn place(&self) -> String {
        match self.line {
            0 => self.file.to_string(),
            line => format!("{}:{line}:{}", self.file, self.column),
        }
    }

    /// The order of the spec: file, line, rule; then column and message so
    /// that equal keys still sort the same every run.
    pub fn order(&self, other: &Finding) -> Ordering {
        (
            &self.file,
            self.line,
            &self.rule,
            self.column,
            &self.message,
        )
            .cmp(&(
                &other.file,
                other.line,
                &other.rule,
                other.column,
                &other.message,
            ))
    }
}

/// One audited document and its overall status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentOutcome {
    pub file: Arc<str>,
    pub kind: Arc<str>,
    pub id: Option<Arc<str>>,
    /// `title`, when the document has one as text (not in the JSON report).
    #[serde(skip)]
    pub title: Option<String>,
    pub status: Status,
    /// Where the document's `id` is (or its first key), for formats that
    /// list passing rules.
    #[serde(skip)]
    pub line: u32,
    #[serde(skip)]
    pub column: u32,
    /// Every rule's status on this document, for formats that list passes.
    #[serde(skip)]
    pub results: Vec<RuleResult>,
    /// The document's waivers as written, for the waiver register of the
    /// formats that list passes.
    #[serde(skip)]
    pub waivers: Vec<WaiverEntry>,
    /// The value of `--group-by`'s field, when the run groups.
    #[serde(skip)]
    pub group: Option<String>,
    /// A course's `evidence:` entries, each with where it can be reached.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceEntry>,
}

/// One `evidence:` entry of a course and, when it can be followed, its
/// link: the http(s) address, or the file's path relative to the current
/// directory (the renderers make it relative to the report).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceEntry {
    /// The section it supports; `None` for the course as a whole.
    pub section: Option<String>,
    /// `accessibility_review.evidence[0]`.
    pub path: String,
    pub target: String,
    pub link: Option<EvidenceLinkTarget>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceLinkTarget {
    Web(String),
    File(String),
}

/// One item of a document's `waivers`, as written: valid or not. Its
/// status (active, expiring, expired, invalid, unused) is the findings'
/// about it (`render::waiver_register`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaiverEntry {
    /// `waivers[i]`, as the findings about it name it.
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub rule: String,
    pub reason: String,
    pub approved_by: String,
    /// `expires` as written, and as a date when it is one.
    pub expires_text: String,
    pub expires: Option<chrono::NaiveDate>,
}

impl DocumentOutcome {
    /// Where the document's `id` is (or its first key).
    pub fn pos(&self) -> crate::yaml::Pos {
        crate::yaml::Pos {
            line: self.line,
            column: self.column,
        }
    }
}

/// One rule's status on one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub rule: Arc<str>,
    pub status: Status,
}

/// A policy applied in the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedPolicy {
    pub id: String,
    pub version: String,
    pub renewal: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub documents: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped_files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
    /// Findings the baseline holds, and baseline entries no finding matches
    /// any more; absent from runs without a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
    /// Files that would have been audited, left out by `--exclude` or
    /// blcheck.toml's `exclude`.
    pub excluded_files: usize,
    /// Learner plans per course; absent from runs without plans.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cohorts: Vec<Cohort>,
}

/// The learner plans of one course.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cohort {
    pub course: String,
    pub plans: usize,
    pub passed: usize,
    pub failed: usize,
    /// Plans whose goals and milestones are the same as another's (ILP009).
    pub clones: usize,
}

/// Everything an audit found, ready to render.
#[derive(Debug, Clone)]
pub struct Report {
    pub as_of: chrono::NaiveDate,
    pub policies: Vec<AppliedPolicy>,
    pub summary: Summary,
    pub documents: Vec<DocumentOutcome>,
    pub findings: Vec<Finding>,
    /// The findings of each document, so that a renderer that goes
    /// document by document makes one pass, never one per document.
    by_document: FindingsByDocument,
    /// Whether the run stopped at one of its limits (DOC015) before every
    /// file was audited: the report is written, and the run exits 2.
    pub incomplete: bool,
}

/// Indices into `Report::findings`, grouped by `Finding::document_index`
/// (in report order within each group): document `d`'s are
/// `order[starts[d]..starts[d + 1]]`, and those about no document (a YAML
/// error, a policy) follow the last document's. Four bytes a finding.
#[derive(Debug, Clone, Default)]
struct FindingsByDocument {
    starts: Vec<u32>,
    order: Vec<u32>,
}

impl FindingsByDocument {
    /// A counting sort of the findings by document: linear in both.
    fn new(documents: usize, findings: &[Finding]) -> FindingsByDocument {
        let group = |f: &Finding| {
            f.document_index
                .map_or(documents, |d| (d as usize).min(documents))
        };
        let mut starts = vec![0u32; documents + 2];
        for f in findings {
            starts[group(f) + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut order = vec![0u32; findings.len()];
        for (i, f) in findings.iter().enumerate() {
            let slot = &mut next[group(f)];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        FindingsByDocument { starts, order }
    }

    fn group(&self, group: usize) -> &[u32] {
        match (self.starts.get(group), self.starts.get(group + 1)) {
            (Some(&start), Some(&end)) => &self.order[start as usize..end as usize],
            _ => &[],
        }
    }
}

/// Sorts findings by `Finding::order`, stably, as `sort_by` would. A large
/// run has tens of thousands of findings, and `sort_by` would allocate half
/// as many again as scratch; this sorts their indices instead and moves the
/// findings into place, so the scratch is a few bytes per finding.
fn sort_findings(findings: &mut [Finding]) {
    let Ok(len) = u32::try_from(findings.len()) else {
        findings.sort_by(Finding::order);
        return;
    };
    let mut order: Vec<u32> = (0..len).collect();
    order.sort_by(|&a, &b| findings[a as usize].order(&findings[b as usize]));
    // Position i takes the finding now at order[i]: follow each cycle once.
    for start in 0..order.len() {
        let mut i = start;
        while order[i] as usize != start {
            let next = order[i] as usize;
            findings.swap(i, next);
            order[i] = i as u32;
            i = next;
        }
        order[i] = i as u32;
    }
}

impl Report {
    /// Builds the summary from documents and findings, and sorts findings.
    pub fn new(
        as_of: chrono::NaiveDate,
        policies: Vec<AppliedPolicy>,
        documents: Vec<DocumentOutcome>,
        mut findings: Vec<Finding>,
        skipped_files: usize,
        cohorts: Vec<Cohort>,
    ) -> Report {
        sort_findings(&mut findings);
        // Set once: a report made again from another's findings (a
        // baseline applied) keeps them, and a fixed entry has its own.
        if findings.iter().any(|f| f.fingerprint.is_empty()) {
            let prints = crate::fingerprint::fingerprints(&findings);
            for (finding, print) in findings.iter_mut().zip(prints) {
                if finding.fingerprint.is_empty() {
                    finding.fingerprint = print;
                }
            }
        }
        let count = |f: &dyn Fn(&Finding) -> bool| findings.iter().filter(|x| f(x)).count();
        // Report sizes are bounded by the run's limits, far below u32::MAX.
        debug_assert!(u32::try_from(findings.len()).is_ok());
        let summary = Summary {
            documents: documents.len(),
            passed: documents
                .iter()
                .filter(|d| d.status == Status::Pass)
                .count(),
            failed: documents
                .iter()
                .filter(|d| d.status == Status::Fail)
                .count(),
            skipped_files,
            errors: count(&|f| f.status == Status::Fail && f.severity == Severity::Error),
            warnings: count(&|f| f.status == Status::Fail && f.severity == Severity::Warning),
            waived: count(&|f| f.status == Status::Waived),
            baselined: None,
            fixed: None,
            excluded_files: 0,
            cohorts,
        };
        let by_document = FindingsByDocument::new(documents.len(), &findings);
        Report {
            as_of,
            policies,
            summary,
            documents,
            findings,
            by_document,
            incomplete: false,
        }
    }

    /// The findings about document `index` of `documents`, in report order.
    pub fn findings_of(&self, index: usize) -> impl Iterator<Item = &Finding> + '_ {
        let group = if index < self.documents.len() {
            self.by_document.group(index)
        } else {
            &[]
        };
        group.iter().map(|&i| &self.findings[i as usize])
    }

    /// The findings about no audited document (a file that could not be
    /// read, a policy), in report order.
    pub fn findings_of_no_document(&self) -> impl Iterator<Item = &Finding> + '_ {
        self.by_document
            .group(self.documents.len())
            .iter()
            .map(|&i| &self.findings[i as usize])
    }

    /// Whether any finding fails the run at `threshold` (`None`: never).
    pub fn fails_at(&self, threshold: Option<Severity>) -> bool {
        self.findings.iter().any(|f| f.fails_at(threshold))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str, line: u32, rule: &str, document: &str) -> Finding {
        Finding {
            rule: rule.into(),
            name: "name".into(),
            policy: None,
            severity: Severity::Error,
            status: Status::Fail,
            document: Some(document.into()),
            kind: None,
            file: file.into(),
            line,
            column: 1,
            path: None,
            message: "m".into(),
            clause: None,
            help: None,
            justification: None,
            document_index: None,
            subject: None,
            fingerprint: String::new(),
        }
    }

    #[test]
    fn findings_sort_as_a_stable_sort_would() {
        let mut found = vec![
            finding("b.yaml", 3, "BLP002", "first"),
            finding("a.yaml", 9, "DOC001", "x"),
            finding("b.yaml", 3, "BLP002", "second"),
            finding("b.yaml", 1, "BLP005", "y"),
            finding("a.yaml", 2, "BLP001", "z"),
            finding("b.yaml", 3, "BLP001", "w"),
            finding("b.yaml", 3, "BLP002", "third"),
        ];
        let mut expected = found.clone();
        expected.sort_by(Finding::order);
        sort_findings(&mut found);
        assert_eq!(found, expected);
        let ties: Vec<_> = found.iter().filter_map(|f| f.document.as_deref()).collect();
        assert_eq!(ties, ["z", "x", "y", "w", "first", "second", "third"]);
    }
}

/// The settings a run applied beyond the policies themselves: which
/// blcheck.toml, what it changed and which policies were switched off, so
/// that a report never shows a local threshold as the policy's own.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AppliedConfig {
    /// The settings file, as shown to users; `None` when there was none.
    pub file: Option<String>,
    pub overrides: Vec<ConfigOverride>,
    pub policies_off: Vec<PolicyOff>,
}

impl AppliedConfig {
    /// Whether anything beyond the policies as written applied.
    pub fn is_empty(&self) -> bool {
        self.file.is_none() && self.overrides.is_empty() && self.policies_off.is_empty()
    }
}

/// One rule setting the config changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigOverride {
    pub rule: String,
    /// `severity`, or the parameter's name.
    pub setting: String,
    pub value: String,
    /// What the policy itself says.
    pub policy_value: String,
    /// Where the override is written: `blcheck.toml:7:12`.
    pub place: String,
}

/// A loaded policy not applied, and what switched it off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyOff {
    pub id: String,
    pub by: String,
}
