//! The report as the run merges it, chunk by chunk in file order: each
//! document's entry and findings, then the cross-document stage, POL001,
//! the cohort view and the summary.

use super::corpus::{
    course_comparisons, distinct_in_run, duplicate_ids, unknown_courses, CourseSets, PlanCourse,
};
use super::engine::{AuditTerms, Pending};
use super::{FilePart, RunLimits};
use crate::policy::{OwnCheck, PolicySet};
use crate::report::{
    AppliedPolicy, Cohort, DocumentOutcome, Finding, MessageStore, Report, ResultLists, Status,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The report as it is merged, chunk by chunk, in file order.
#[derive(Default)]
pub(super) struct Assembly {
    /// Each document's entry in the report, its status settled at the end.
    documents: Vec<DocumentOutcome>,
    states: Vec<DocumentState>,
    /// The course each learner plan names.
    plans: Vec<PlanCourse>,
    /// What each Course sets at the fields learner plans are compared
    /// with, by the Course's index (in index order).
    course_sets: CourseSets,
    /// Every finding so far. Their order here is not the report's: the
    /// report sorts them (by file, line, rule, column, message; two findings
    /// equal in all of these are the same finding).
    findings: Vec<Finding>,
    pending: Vec<(usize, Pending)>,
    /// The findings' messages, each text kept once.
    messages: MessageStore,
    /// The documents' results lists, each kept once.
    results: ResultLists,
    skipped: usize,
    /// Files merged so far, and in the whole run.
    files: usize,
    expected_files: usize,
    limits: RunLimits,
    /// The file with which the run reached a limit, the limit's parameter,
    /// its value, and what it counts.
    stopped_at: Option<(Arc<str>, &'static str, usize, &'static str)>,
    /// Whether the cross-document stage is left out: a report of part of
    /// the workspace (the editor's open files while the first scan runs)
    /// would otherwise name every course not yet read as missing.
    pub(super) partial: bool,
}

/// What the report needs of a document besides its summary and findings.
#[derive(Default)]
struct DocumentState {
    /// Whether one of its findings fails it (`Finding::fails`).
    fails: bool,
    /// Whether it has the same text as another document of its group (a
    /// `distinct_in_run` rule's finding): a cloned plan in the cohort view.
    clone: bool,
}

impl DocumentState {
    fn note(&mut self, finding: &Finding) {
        self.fails |= finding.fails();
    }
}

impl Assembly {
    /// Room for one document per file from the start (most files hold
    /// one), not a list copied each time it doubles.
    pub(super) fn for_files(files: usize, limits: RunLimits) -> Assembly {
        Assembly {
            documents: Vec::with_capacity(files.min(limits.max_documents)),
            states: Vec::with_capacity(files.min(limits.max_documents)),
            expected_files: files,
            limits,
            ..Assembly::default()
        }
    }

    /// Whether a run limit was reached: nothing more is merged.
    pub(super) fn stopped(&self) -> bool {
        self.stopped_at.is_some()
    }

    /// Merges the files of a chunk in order, up to the file with which the
    /// run reaches a limit.
    pub(super) fn add(&mut self, files: Vec<(Arc<str>, FilePart)>) {
        let first = self.files == 0;
        let merged = self.findings.len();
        for (name, file) in files {
            if self.stopped() {
                break;
            }
            self.files += 1;
            self.add_file(file);
            let limits = self.limits;
            if self.documents.len() > limits.max_documents {
                self.stopped_at = Some((name, "max_documents", limits.max_documents, "documents"));
            } else if self.findings.len() > limits.max_findings {
                self.stopped_at = Some((name, "max_findings", limits.max_findings, "findings"));
            }
        }
        // The chunk's messages kept, once its files' trees are gone.
        self.messages
            .keep(self.findings[merged..].iter_mut().map(|f| &mut f.message));
        if first {
            self.expect_findings();
        }
    }

    fn add_file(&mut self, file: FilePart) {
        {
            match file {
                FilePart::Documents(docs) => {
                    for (summary, audited) in docs {
                        let index = self.documents.len();
                        let mut state = DocumentState::default();
                        for finding in &audited.findings {
                            state.note(finding);
                        }
                        let mut outcome = summary.outcome;
                        outcome.set_results(self.results.keep(audited.results));
                        outcome.set_title(audited.title);
                        outcome.add_details(|d| {
                            d.waivers = audited.waivers.into();
                            d.group = audited.group.map(String::into_boxed_str);
                        });
                        self.documents.push(outcome);
                        if let Some((course, pos)) = summary.course {
                            self.plans.push((index, course, pos));
                        }
                        self.course_sets.add(index, summary.sets);
                        self.states.push(state);
                        let document_index = u32::try_from(index).ok();
                        self.findings
                            .extend(audited.findings.into_iter().map(|mut finding| {
                                finding.document_index = document_index;
                                finding
                            }));
                        self.pending
                            .extend(audited.pending.into_iter().map(|p| (index, p)));
                    }
                }
                FilePart::Skipped => self.skipped += 1,
                FilePart::Invalid(finding) => self.findings.push(*finding),
            }
        }
    }

    /// Room for the findings the whole run is likely to have, at the rate
    /// of the first chunk and a quarter more, taken while the list is
    /// small. Left to double, the list would be copied whole near the end
    /// of a large run, the old and the new copy both in memory (15 MB each
    /// at 100,000 files). Room never written takes no memory.
    fn expect_findings(&mut self) {
        let per_file = self.findings.len() as f64 / self.files.max(1) as f64;
        let expected = (per_file * self.expected_files as f64 * 1.25) as usize;
        self.findings
            .reserve(expected.saturating_sub(self.findings.len()));
    }

    /// The cross-document stage, then the report.
    pub(super) fn finish(mut self, applied: &BTreeSet<Arc<str>>, ctx: &AuditTerms<'_>) -> Report {
        let documents = &self.documents;
        // Independent looks at the whole run, side by side; the two that
        // index every document one after the other, so that only one index
        // is in memory at a time.
        let ((duplicates, unknown), (mut crosses, (compared, undecided))) = match self.partial {
            true => Default::default(),
            false => rayon::join(
                || {
                    (
                        duplicate_ids(documents, ctx),
                        unknown_courses(documents, &self.plans, ctx),
                    )
                },
                || {
                    (
                        distinct_in_run(documents, &self.pending, ctx),
                        course_comparisons(documents, &self.course_sets, &self.pending, ctx),
                    )
                },
            ),
        };
        crosses.extend(compared);
        // A plan whose course is not in the run cannot be held to it.
        for (index, rule) in undecided {
            self.documents[index].set_result(&rule, Status::Skip);
        }
        for (index, mut finding) in duplicates.into_iter().chain(unknown) {
            self.states[index].note(&finding);
            finding.document_index = u32::try_from(index).ok();
            self.findings.push(finding);
        }
        for mut cross in crosses {
            self.documents[cross.document].set_result(&cross.rule, cross.status);
            let state = &mut self.states[cross.document];
            state.note(&cross.finding);
            state.clone |= cross.clone;
            cross.finding.document_index = u32::try_from(cross.document).ok();
            self.findings.push(cross.finding);
        }
        let policies = applied_policies(ctx.policies, applied, ctx.as_of);
        let incomplete = self.stopped_at.is_some();
        if let Some((file, param, limit, what)) = self.stopped_at.take() {
            let left = self.expected_files - self.files;
            self.findings.extend(ctx.catalogue_finding(
                OwnCheck::RunLimit,
                &file,
                crate::yaml::Pos { line: 1, column: 1 },
                None,
                match left {
                    0 => format!(
                        "the run went past its limit of {limit} {what} ({param}) with this file, \
                         its last, and stopped there"
                    ),
                    _ => format!(
                        "the run went past its limit of {limit} {what} ({param}) with this file \
                         and stopped there: the {left} file{} after it {} not audited",
                        if left == 1 { "" } else { "s" },
                        if left == 1 { "was" } else { "were" }
                    ),
                },
            ));
        }
        self.findings.extend(renewal_findings(ctx, applied));
        let mut cohorts: BTreeMap<&str, Cohort> = BTreeMap::new();
        for (index, course, _) in &self.plans {
            let state = &self.states[*index];
            let cohort = cohorts.entry(course).or_insert_with(|| Cohort {
                course: course.clone(),
                ..Cohort::default()
            });
            cohort.plans += 1;
            match state.fails {
                true => cohort.failed += 1,
                false => cohort.passed += 1,
            }
            if state.clone {
                cohort.clones += 1;
            }
        }
        let cohorts: Vec<Cohort> = cohorts.into_values().collect();
        for (outcome, state) in self.documents.iter_mut().zip(&self.states) {
            if state.fails {
                outcome.status = Status::Fail;
            }
        }
        let mut report = Report::new(
            ctx.as_of,
            policies,
            self.documents,
            self.findings,
            self.skipped,
            cohorts,
        );
        report.incomplete = incomplete;
        report
    }
}

fn applied_policies(
    set: &PolicySet,
    applied: &BTreeSet<Arc<str>>,
    as_of: chrono::NaiveDate,
) -> Vec<AppliedPolicy> {
    set.policies
        .iter()
        .filter(|p| applied.contains(&p.id))
        .map(|p| AppliedPolicy {
            id: p.id.to_string(),
            version: p.version.clone(),
            renewal: p.renewal.to_string(),
            overdue: p.renewal < as_of,
        })
        .collect()
}

/// POL001: once per applied policy past its renewal date.
fn renewal_findings(ctx: &AuditTerms<'_>, applied: &BTreeSet<Arc<str>>) -> Vec<Finding> {
    ctx.policies
        .policies
        .iter()
        .filter(|p| applied.contains(&p.id) && p.renewal < ctx.as_of)
        .filter_map(|p| {
            let file: Arc<str> = p.origin.file_label().into();
            let days = (ctx.as_of - p.renewal).num_days();
            let mut finding = ctx.catalogue_finding(
                OwnCheck::PolicyRenewalOverdue,
                &file,
                p.renewal_pos,
                Some("policy.renewal".into()),
                format!(
                    "{} {} ({}) was due for renewal on {}, {days} day{} before {}",
                    p.id,
                    p.version,
                    p.title,
                    p.renewal,
                    if days == 1 { "" } else { "s" },
                    ctx.as_of
                ),
            )?;
            finding.set_policy(&p.id);
            finding.set_document(None, Some(p.id.clone()));
            Some(finding)
        })
        .collect()
}
