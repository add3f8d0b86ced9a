//! What an audit produces: findings, per-document outcomes, the summary.
//! Renderers read a `Report`; nothing here writes output.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

mod message;
mod result_lists;
pub use message::{Message, MessageStore};
pub use result_lists::ResultLists;

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

/// The rule a finding is of, as reports name it. Shared by every finding
/// of the rule: a finding holds one pointer, not five strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleLabel {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub policy: Option<Arc<str>>,
    pub clause: Option<Arc<str>>,
    pub help: Option<Arc<str>>,
}

impl RuleLabel {
    pub fn new(id: &str, name: &str) -> RuleLabel {
        RuleLabel {
            id: id.into(),
            name: name.into(),
            policy: None,
            clause: None,
            help: None,
        }
    }
}

/// What a finding is about: its file, and the document's kind and id when
/// it has them. Shared by the findings of one document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FindingTarget {
    pub file: Arc<str>,
    pub kind: Option<Arc<str>>,
    pub document: Option<Arc<str>>,
}

/// Where inside its document a finding is: the path as reports show it
/// (`staff[1].online_delivery_training`) and, where it differs, as the
/// fingerprint names it (`staff[role=Tutor].online_delivery_training`).
/// A run's findings name a few dozen paths between them, so they share
/// them (`audit::engine` keeps one of each).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FindingPath {
    pub shown: Box<str>,
    pub stable: Option<Box<str>>,
}

impl FindingPath {
    pub fn new(shown: &str) -> FindingPath {
        FindingPath {
            shown: shown.into(),
            stable: None,
        }
    }

    /// The path as the fingerprint names it.
    pub fn stable(&self) -> &str {
        self.stable.as_deref().unwrap_or(&self.shown)
    }
}

/// What few findings have: kept apart, so that the rest do not pay for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct FindingExtra {
    /// For a waived finding, the waiver's reason (SARIF's justification).
    justification: Option<Box<str>>,
    /// A fixed baseline entry's fingerprint, as the baseline holds it.
    fingerprint: Option<Box<str>>,
}

/// One reported result: a failing or waived rule, or a document/policy
/// check. A large run holds hundreds of thousands, so a finding is kept
/// small (under 100 bytes besides its message): what it shares with other
/// findings (its rule, its document, its path) it holds by pointer, and
/// its fingerprint as the digest it is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub label: Arc<RuleLabel>,
    pub target: Arc<FindingTarget>,
    pub location: Option<Arc<FindingPath>>,
    pub message: Message,
    extra: Option<Box<FindingExtra>>,
    pub severity: Severity,
    pub status: Status,
    pub line: u32,
    pub column: u32,
    /// The index in `Report::documents` of the document the finding is
    /// about; `None` for a file that could not be read and for a policy.
    /// Documents of one file may share kind and id (DOC005), so file, kind
    /// and id do not tell them apart.
    pub document_index: Option<u32>,
    /// What names the finding's problem (`fingerprint::identity`), set
    /// while its document's tree is at hand, or by `Report::new`.
    pub identity: Option<[u8; crate::fingerprint::DIGEST_BYTES]>,
    /// Its occurrence among the report's findings of the same identity,
    /// counted from 1 in report order; set by `Report::new`.
    pub occurrence: u32,
}

impl Serialize for Finding {
    /// The JSON report's finding, field by field as the spec lists them.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Finding", 15)?;
        s.serialize_field("rule", &*self.label.id)?;
        s.serialize_field("name", &*self.label.name)?;
        s.serialize_field("policy", &self.label.policy.as_deref())?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("status", &self.status)?;
        s.serialize_field("document", &self.target.document.as_deref())?;
        s.serialize_field("kind", &self.target.kind.as_deref())?;
        s.serialize_field("file", &*self.target.file)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("column", &self.column)?;
        s.serialize_field("path", &self.path())?;
        s.serialize_field("message", self.message.as_str())?;
        s.serialize_field("clause", &self.label.clause.as_deref())?;
        s.serialize_field("help", &self.label.help.as_deref())?;
        s.serialize_field("fingerprint", &self.fingerprint())?;
        s.end()
    }
}

impl Finding {
    /// A failing finding of `label` about `target`, at `line`:`column`.
    pub fn new(
        label: Arc<RuleLabel>,
        severity: Severity,
        target: Arc<FindingTarget>,
        pos: crate::yaml::Pos,
        path: Option<Arc<FindingPath>>,
        message: impl Into<Message>,
    ) -> Finding {
        Finding {
            label,
            target,
            location: path,
            message: message.into(),
            extra: None,
            severity,
            status: Status::Fail,
            line: pos.line,
            column: pos.column,
            document_index: None,
            identity: None,
            occurrence: 0,
        }
    }

    pub fn rule(&self) -> &Arc<str> {
        &self.label.id
    }

    pub fn name(&self) -> &Arc<str> {
        &self.label.name
    }

    pub fn policy(&self) -> &Option<Arc<str>> {
        &self.label.policy
    }

    pub fn clause(&self) -> &Option<Arc<str>> {
        &self.label.clause
    }

    pub fn help(&self) -> &Option<Arc<str>> {
        &self.label.help
    }

    pub fn file(&self) -> &Arc<str> {
        &self.target.file
    }

    pub fn kind(&self) -> &Option<Arc<str>> {
        &self.target.kind
    }

    pub fn document(&self) -> &Option<Arc<str>> {
        &self.target.document
    }

    /// The path of the value in its document, as reports show it.
    pub fn path(&self) -> Option<&str> {
        self.location.as_deref().map(|p| &*p.shown)
    }

    /// For a waived finding, the waiver's reason.
    pub fn justification(&self) -> Option<&str> {
        self.extra.as_ref()?.justification.as_deref()
    }

    pub fn set_justification(&mut self, reason: &str) {
        self.extra
            .get_or_insert_with(Default::default)
            .justification = Some(reason.into());
    }

    /// Names the policy a finding of one of blcheck's own rules is about
    /// (POL001).
    pub fn set_policy(&mut self, policy: &Arc<str>) {
        self.label = Arc::new(RuleLabel {
            policy: Some(policy.clone()),
            ..(*self.label).clone()
        });
    }

    /// Gives the finding another document (kind, id), keeping its file.
    pub fn set_document(&mut self, kind: Option<Arc<str>>, document: Option<Arc<str>>) {
        self.target = Arc::new(FindingTarget {
            file: self.target.file.clone(),
            kind,
            document,
        });
    }

    /// The finding's identity across runs (`fingerprint.rs`): the identity
    /// in hex, `:`, and its occurrence; empty before `Report::new`.
    pub fn fingerprint(&self) -> String {
        if let Some(verbatim) = self.extra.as_ref().and_then(|e| e.fingerprint.as_deref()) {
            return verbatim.to_string();
        }
        match self.identity {
            Some(identity) if self.occurrence > 0 => {
                crate::fingerprint::shown(&identity, self.occurrence)
            }
            _ => String::new(),
        }
    }

    /// A fixed baseline entry keeps the fingerprint its baseline holds.
    pub fn set_fingerprint(&mut self, fingerprint: &str) {
        self.extra.get_or_insert_with(Default::default).fingerprint = Some(fingerprint.into());
    }

    pub(crate) fn has_fingerprint(&self) -> bool {
        self.occurrence > 0 || self.has_baseline_fingerprint()
    }

    pub(crate) fn has_baseline_fingerprint(&self) -> bool {
        self.extra.as_ref().is_some_and(|e| e.fingerprint.is_some())
    }

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
            0 => self.file().to_string(),
            line => format!("{}:{line}:{}", self.file(), self.column),
        }
    }

    /// The order of the spec: file, line, rule; then column and message so
    /// that equal keys still sort the same every run.
    pub fn order(&self, other: &Finding) -> Ordering {
        (
            self.file(),
            self.line,
            self.rule(),
            self.column,
            &self.message,
        )
            .cmp(&(
                other.file(),
                other.line,
                other.rule(),
                other.column,
                &other.message,
            ))
    }
}

/// One audited document and its overall status. A run keeps one for every
/// document (100,000 at 100,000 files), so what most documents lack, or
/// only some formats want, is boxed apart ([`DocumentDetails`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentOutcome {
    pub file: Arc<str>,
    pub kind: Arc<str>,
    pub id: Option<Arc<str>>,
    pub status: Status,
    /// Where the document's `id` is (or its first key), for formats that
    /// list passing rules.
    pub line: u32,
    pub column: u32,
    /// Every rule's status on this document, for formats that list passes:
    /// shared with the documents whose results are the same
    /// ([`ResultLists`]).
    results: Option<Arc<[RuleResult]>>,
    /// `title`, when the document has one as text and the format shows it
    /// (not in the JSON report).
    title: Option<Box<str>>,
    details: Option<Box<DocumentDetails>>,
}

/// What few documents' entries hold (or only the formats that show them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentDetails {
    /// The document's waivers as written, for the waiver register of the
    /// formats that list passes.
    pub waivers: Box<[WaiverEntry]>,
    /// The value of `--group-by`'s field, when the run groups.
    pub group: Option<Box<str>>,
    /// A course's `evidence:` entries, each with where it can be reached.
    pub evidence: Box<[EvidenceEntry]>,
}

impl DocumentDetails {
    fn is_empty(&self) -> bool {
        self.waivers.is_empty() && self.group.is_none() && self.evidence.is_empty()
    }
}

impl Serialize for DocumentOutcome {
    /// The JSON report's document: file, kind, id, status, and its
    /// evidence when it has any.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let evidence = self.evidence();
        let fields = if evidence.is_empty() { 4 } else { 5 };
        let mut s = serializer.serialize_struct("DocumentOutcome", fields)?;
        s.serialize_field("file", &self.file)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("status", &self.status)?;
        if !evidence.is_empty() {
            s.serialize_field("evidence", evidence)?;
        }
        s.end()
    }
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
    /// A passing document's entry, with no details.
    pub fn new(
        file: Arc<str>,
        kind: Arc<str>,
        id: Option<Arc<str>>,
        pos: crate::yaml::Pos,
    ) -> DocumentOutcome {
        DocumentOutcome {
            file,
            kind,
            id,
            status: Status::Pass,
            line: pos.line,
            column: pos.column,
            results: None,
            title: None,
            details: None,
        }
    }

    /// Adds to the entry's details what `add` sets; boxed only when it sets
    /// something.
    pub fn add_details(&mut self, add: impl FnOnce(&mut DocumentDetails)) {
        let mut details = self.details.take().unwrap_or_default();
        add(&mut details);
        self.details = (!details.is_empty()).then_some(details);
    }

    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    pub fn set_title(&mut self, title: Option<String>) {
        self.title = title.map(String::into_boxed_str);
    }

    /// Every rule's status on the document, for formats that list passes
    /// (empty for the others).
    pub fn results(&self) -> &[RuleResult] {
        self.results.as_deref().unwrap_or_default()
    }

    pub fn set_results(&mut self, results: Arc<[RuleResult]>) {
        self.results = (!results.is_empty()).then_some(results);
    }

    /// Sets `rule`'s status on the document (a cross-document rule's),
    /// when the document has a result for it; its list is copied first, as
    /// other documents may share it.
    pub fn set_result<R: ?Sized>(&mut self, rule: &R, status: Status)
    where
        RuleRef: PartialEq<R>,
    {
        let Some(kept) = &mut self.results else {
            return;
        };
        if let Some(at) = kept.iter().position(|r| r.rule == *rule) {
            if kept[at].status != status {
                let mut results = kept.to_vec();
                results[at].status = status;
                *kept = results.into();
            }
        }
    }

    pub fn waivers(&self) -> &[WaiverEntry] {
        self.details.as_ref().map_or(&[], |d| &d.waivers)
    }

    pub fn group(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.group.as_deref())
    }

    pub fn evidence(&self) -> &[EvidenceEntry] {
        self.details.as_ref().map_or(&[], |d| &d.evidence)
    }

    /// Where the document's `id` is (or its first key).
    pub fn pos(&self) -> crate::yaml::Pos {
        crate::yaml::Pos {
            line: self.line,
            column: self.column,
        }
    }
}

/// One rule's status on one document. The formats that list passes keep
/// one for every rule and document of the run (three million at 100,000
/// files), so it is four bytes: the rule by its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct RuleResult {
    pub rule: RuleRef,
    pub status: Status,
}

/// A rule id by its number in the process's table of rule ids: two bytes
/// that read as the id. The table holds each id once, for the life of the
/// process (a language server that reloads an edited policy adds only the
/// ids it has not seen).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleRef(u16);

/// The table behind [`RuleRef`], in pages that are filled once and never
/// change: reading an id takes no lock (renderers read millions).
const RULE_PAGE: usize = 256;
type RulePage = [std::sync::OnceLock<&'static str>; RULE_PAGE];
static RULE_PAGES: [std::sync::OnceLock<Box<RulePage>>; 256] =
    [const { std::sync::OnceLock::new() }; 256];

/// The number of each id given one, behind a lock taken only to find or
/// give a number (once per rule as policies load).
fn rule_numbers() -> &'static std::sync::Mutex<std::collections::HashMap<Box<str>, u16>> {
    static NUMBERS: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<Box<str>, u16>>,
    > = std::sync::OnceLock::new();
    NUMBERS.get_or_init(Default::default)
}

impl RuleRef {
    /// The number of `id`, which is given one the first time it is seen.
    /// Past 65,535 distinct ids (no set of policies has so many) every
    /// further id shares the last number.
    pub fn of(id: &str) -> RuleRef {
        let mut numbers = rule_numbers().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&n) = numbers.get(id) {
            return RuleRef(n);
        }
        let Ok(n) = u16::try_from(numbers.len()) else {
            return RuleRef(u16::MAX);
        };
        let text: &'static str = Box::leak(id.to_string().into_boxed_str());
        let page = RULE_PAGES[usize::from(n) / RULE_PAGE]
            .get_or_init(|| Box::new([const { std::sync::OnceLock::new() }; RULE_PAGE]));
        let _ = page[usize::from(n) % RULE_PAGE].set(text);
        numbers.insert(id.into(), n);
        RuleRef(n)
    }

    pub fn id(self) -> &'static str {
        let n = usize::from(self.0);
        RULE_PAGES[n / RULE_PAGE]
            .get()
            .and_then(|page| page[n % RULE_PAGE].get())
            .copied()
            .unwrap_or("")
    }
}

impl std::ops::Deref for RuleRef {
    type Target = str;
    fn deref(&self) -> &str {
        self.id()
    }
}

impl fmt::Debug for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.id(), f)
    }
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for RuleRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl PartialEq<Arc<str>> for RuleRef {
    fn eq(&self, other: &Arc<str>) -> bool {
        self.id() == &**other
    }
}

impl PartialEq<str> for RuleRef {
    fn eq(&self, other: &str) -> bool {
        self.id() == other
    }
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
        crate::fingerprint::number(&mut findings);
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
        Finding::new(
            Arc::new(RuleLabel::new(rule, "name")),
            Severity::Error,
            Arc::new(FindingTarget {
                file: file.into(),
                kind: None,
                document: Some(document.into()),
            }),
            crate::yaml::Pos { line, column: 1 },
            None,
            "m",
        )
    }

    #[test]
    fn a_rule_ref_reads_as_its_id_and_is_small() {
        let a = RuleRef::of("TEST-RULE-A");
        let b = RuleRef::of("TEST-RULE-B");
        assert_eq!(RuleRef::of("TEST-RULE-A"), a);
        assert_ne!(a, b);
        assert_eq!(&*a, "TEST-RULE-A");
        assert_eq!(b.to_string(), "TEST-RULE-B");
        assert_eq!(std::mem::size_of::<RuleResult>(), 4);
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
        let ties: Vec<_> = found
            .iter()
            .filter_map(|f| f.document().as_deref())
            .collect();
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
