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
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Waived => "waived",
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
    pub document: Option<String>,
    pub kind: Option<String>,
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
}

impl Finding {
    /// Whether this finding fails a run gated at `threshold`.
    pub fn fails_at(&self, threshold: Option<Severity>) -> bool {
        self.status == Status::Fail
            && self.severity >= Severity::Warning
            && threshold.is_some_and(|t| self.severity >= t)
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
    pub kind: String,
    pub id: Option<String>,
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
        findings.sort_by(Finding::order);
        let count = |f: &dyn Fn(&Finding) -> bool| findings.iter().filter(|x| f(x)).count();
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
            cohorts,
        };
        Report {
            as_of,
            policies,
            summary,
            documents,
            findings,
        }
    }

    /// Whether any finding fails the run at `threshold` (`None`: never).
    pub fn fails_at(&self, threshold: Option<Severity>) -> bool {
        self.findings.iter().any(|f| f.fails_at(threshold))
    }
}
