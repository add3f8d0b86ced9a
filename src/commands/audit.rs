//! `blcheck audit`: discover files, audit each document (in parallel),
//! run the cross-document checks, and build the report.

use super::{as_of, load_rules, LoadedRules};
use crate::cli::{AuditArgs, FailOn};
use crate::corpus::{distinct_in_run, duplicate_ids, unknown_courses, DocumentSummary, PlanCourse};
use crate::discover::{
    discover_excluding, display_path, exclusions, is_yaml, Candidate, Discovery, Exclude,
    WalkOptions,
};
use crate::engine::Pending;
use crate::engine::{audit_document, document_status, AuditContext};
use crate::exit_status::ExitStatus;
use crate::policy::PolicySet;
use crate::render::progress::Progress;
use crate::render::{self, AuditOutput, RenderOptions};
use crate::report::{
    AppliedPolicy, Cohort, DocumentOutcome, Finding, Report, RuleResult, Severity, Status,
};
use crate::selection::RuleFilter;
use crate::source::{read, FileContent, FileLimits};
use anyhow::{anyhow, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The rule whose findings mark a plan as a clone in the cohort view.
const CLONE_RULE: &str = "ILP009";

/// One audited document, before it is merged into the report: what the
/// report needs of it, never its tree.
struct Audited {
    /// `title`, when it is text and a format shows it (the HTML report).
    title: Option<String>,
    findings: Vec<Finding>,
    /// Empty unless a format lists every rule's status.
    results: Vec<RuleResult>,
    pending: Vec<Pending>,
}

/// What one file gave. Kept small, one per file of the run: the rare
/// invalid file's finding is boxed.
enum FileAudit {
    Documents(Vec<(DocumentSummary, Audited)>),
    Skipped,
    Invalid(Box<Finding>),
}

/// How the files of a run are audited.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditRun {
    /// Threads; `None`: one per available core.
    pub jobs: Option<usize>,
    /// Keep every rule's status on every document, and its title, for the
    /// formats that list passes (`render::lists_every_result`); the others
    /// need only the findings, and a large run is spared a result per rule
    /// and document.
    pub keep_details: bool,
    /// A progress bar may be shown (not `--quiet`); it is drawn only where
    /// `render::progress` allows: a terminal, not CI, a run of over a second.
    pub progress: bool,
    /// Bounds on each file read.
    pub limits: FileLimits,
}

pub fn run(args: &AuditArgs, cwd: &Path) -> Result<ExitStatus> {
    let outputs = render::plan_outputs(&args.format, &args.files.output, &args.files.order)?;
    let (jobs, too_many) = super::capped_jobs(args.jobs, super::available_cores());
    render::warnings::warn(&Vec::from_iter(too_many))?;
    let as_of = as_of(args.date.as_of.as_deref())?;
    let LoadedRules {
        settings,
        policies,
        catalogue,
        off,
    } = load_rules(args.config.as_deref(), args.no_config, &args.policy, cwd)?;
    let known: Vec<(&str, &str)> = policies
        .policies
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| (&*r.id, &*r.name)))
        .chain(catalogue.rules.iter().map(|r| (&*r.id, &*r.name)))
        .collect();
    let mut filter = RuleFilter::new(&args.select, &args.ignore, &known)?
        .with_path_ignores(settings.ignores.clone());
    filter.turn_off(off);
    let excludes: Vec<Exclude> = settings
        .exclude
        .iter()
        .cloned()
        .chain(args.exclude.iter().map(|glob| Exclude::flag(glob, cwd)))
        .collect();
    let excluded = exclusions(&excludes)?;
    let paths = match (args.paths.is_empty(), settings.paths.is_empty()) {
        (false, _) => args.paths.clone(),
        (true, false) => settings.paths.clone(),
        (true, true) => vec![".".into()],
    };
    let walk = WalkOptions {
        follow_links: args.follow_symlinks,
        ..WalkOptions::default()
    };
    let Discovery {
        candidates,
        excluded_files,
        matched,
    } = discover_excluding(&paths, &excluded, cwd, walk)?;
    let shown_paths = paths
        .iter()
        .map(|p| display_path(p, cwd))
        .collect::<Vec<_>>()
        .join(", ");
    render::warnings::warn(&unmatched_excludes(&excludes, &matched, &shown_paths))?;
    let audited_folders: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| render::destination::resolved(p))
        .collect();
    render::refuse_inputs(&outputs, candidates.iter().map(|c| &*c.path), |report| {
        is_yaml(report) && audited_folders.iter().any(|f| report.starts_with(f))
    })?;
    let model = super::load_model()?;
    let options = RenderOptions {
        quiet: args.quiet,
        color: args.colour.color,
        all: args.all,
    };
    let keep_details = outputs
        .iter()
        .any(|(format, _)| render::lists_every_result(*format, &options));
    let ctx = AuditContext {
        policies: &policies,
        catalogue: &catalogue,
        as_of,
        filter: &filter,
        model: &model,
        keep_results: keep_details,
    };
    let run = AuditRun {
        jobs,
        keep_details,
        progress: !args.quiet,
        limits: FileLimits {
            max_bytes: args.max_file_size,
            links: if args.follow_symlinks {
                crate::safe_read::Links::Follow
            } else {
                crate::safe_read::Links::Refuse
            },
            ..FileLimits::default()
        },
    };
    let mut report = audit(candidates, &ctx, run)?;
    report.summary.excluded_files = excluded_files;
    if report.documents.is_empty() && report.findings.is_empty() {
        let excluded = (excluded_files, excludes_used(&excludes, &matched));
        return Err(nothing_found(
            &shown_paths,
            report.summary.skipped_files,
            excluded,
        ));
    }
    render::warnings::warn(&idle_selections(&filter, &report, ctx.policies, &catalogue))?;
    // On the run's threads too: the long formats render in parallel.
    on_threads(jobs, || {
        render::write_audit(
            &AuditOutput {
                report: &report,
                catalogue: &catalogue,
                policies: &policies,
                docs_url: settings.docs_url.as_deref(),
            },
            &outputs,
            &options,
        )
    })??;
    let threshold = match args.fail_on {
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Never) => None,
        None => settings.fail_on.unwrap_or(Some(Severity::Error)),
    };
    let status = if report.fails_at(threshold) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    };
    // The process ends with this command: its memory goes back to the
    // system at once, where freeing a large report string by string would
    // hold the exit up (by tens of milliseconds at 100,000 files).
    std::mem::forget(report);
    Ok(status)
}

/// Warnings for the excludes that matched no file or directory of the walk.
fn unmatched_excludes(excludes: &[Exclude], matched: &[bool], shown_paths: &str) -> Vec<String> {
    excludes
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !**matched)
        .map(|(e, _)| {
            format!(
                "{} '{}' matches no file or directory in {shown_paths}; nothing is excluded by it",
                e.origin, e.glob
            )
        })
        .collect()
}

/// The excludes that matched something, as given (`--exclude 'drafts'`).
fn excludes_used(excludes: &[Exclude], matched: &[bool]) -> String {
    excludes
        .iter()
        .zip(matched)
        .filter(|(_, matched)| **matched)
        .map(|(e, _)| format!("{} '{}'", e.origin, e.glob))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error of a run with nothing to audit, saying whether the excludes
/// (`excluded`: how many files, by which) left everything out.
fn nothing_found(
    shown_paths: &str,
    skipped: usize,
    (excluded, by): (usize, String),
) -> anyhow::Error {
    match (skipped, excluded) {
        (0, 1..) => anyhow!(
            "no blcheck document found in {shown_paths}: the excludes left out all {excluded} \
             YAML file(s) there ({by})"
        ),
        (_, 0) => anyhow!(
            "no blcheck document found in {shown_paths} ({skipped} YAML file(s) without a \
             top-level `kind`)"
        ),
        _ => anyhow!(
            "no blcheck document found in {shown_paths} ({skipped} YAML file(s) without a \
             top-level `kind`; {excluded} excluded by {by})"
        ),
    }
}

/// Warnings for the `--select` selectors that report nothing in this run:
/// every rule they select is of a policy that applied to no document, or
/// is ignored or turned off. The run still passes or fails as usual; the
/// warning says why it reported nothing for them.
fn idle_selections(
    filter: &RuleFilter,
    report: &Report,
    policies: &PolicySet,
    catalogue: &crate::policy::Catalogue,
) -> Vec<String> {
    let live: Vec<&str> = policies
        .policies
        .iter()
        .filter(|p| report.policies.iter().any(|applied| *applied.id == *p.id))
        .flat_map(|p| p.rules.iter().map(|r| &*r.id))
        .chain(catalogue.rules.iter().map(|r| &*r.id))
        .collect();
    filter
        .idle_selectors(&live)
        .into_iter()
        .map(|selector| {
            format!(
                "--select '{selector}' reports nothing in this run: the rules it selects are of \
                 policies that applied to no document, or are ignored or turned off"
            )
        })
        .collect()
}

/// Files audited between two merges into the report: enough to keep both
/// threads busy, few enough that what they hold before the merge is small.
/// Debug builds (the tests) use small chunks, so that a test corpus of a
/// few hundred files crosses chunk boundaries.
const CHUNK: usize = if cfg!(debug_assertions) { 64 } else { 2048 };

/// Audits every candidate file and assembles the report. Files are audited
/// in parallel a chunk at a time, and each chunk is merged into the report
/// in file order as soon as it is done: a file's trees are dropped once it
/// is audited, and only findings and small summaries are kept for the
/// cross-document stage. The candidates are dropped once read.
pub fn audit(candidates: Vec<Candidate>, ctx: &AuditContext<'_>, run: AuditRun) -> Result<Report> {
    let limits = run.limits;
    let progress = Progress::new(candidates.len(), !run.progress);
    // Which policies applied to any document (POL001, `policies` of the report).
    let applied: Vec<AtomicBool> = ctx
        .policies
        .policies
        .iter()
        .map(|_| AtomicBool::new(false))
        .collect();
    // Most files hold one document: room for them all from the start, not
    // a list copied each time it doubles.
    let mut assembly = Assembly {
        documents: Vec::with_capacity(candidates.len()),
        states: Vec::with_capacity(candidates.len()),
        expected_files: candidates.len(),
        ..Assembly::default()
    };
    let mut candidates = candidates;
    let sequential = run.jobs == Some(1);
    on_threads(run.jobs, || {
        // Each chunk is merged while the next is audited, so that no core
        // waits on the merge.
        let mut audited: Option<Vec<FileAudit>> = None;
        for chunk in candidates.chunks_mut(CHUNK) {
            let merge = audited.take();
            let ((), files) = rayon::join(
                || merge.into_iter().for_each(|files| assembly.add(files)),
                || {
                    map_in_order(&*chunk, sequential, |candidate| {
                        let file = audit_file(candidate, ctx, &limits, run.keep_details, &applied);
                        progress.tick();
                        file
                    })
                },
            );
            audited = Some(files);
            // Read: their paths are not needed again (their display names
            // are: every report entry shares them).
            for candidate in chunk {
                candidate.path = PathBuf::new().into_boxed_path();
            }
        }
        audited.into_iter().for_each(|files| assembly.add(files));
    })?;
    progress.finish();
    drop(candidates);
    let applied: BTreeSet<Arc<str>> = ctx
        .policies
        .policies
        .iter()
        .zip(&applied)
        .filter(|(_, flag)| flag.load(Ordering::Relaxed))
        .map(|(policy, _)| policy.id.clone())
        .collect();
    Ok(assembly.finish(&applied, ctx))
}

/// Runs `work` with `jobs` threads for rayon (`None`: one per available
/// core, rayon's global pool).
pub fn on_threads<R: Send>(jobs: Option<usize>, work: impl FnOnce() -> R + Send) -> Result<R> {
    Ok(match jobs {
        None => work(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(work),
    })
}

/// `f` over `items`, in parallel unless `sequential`, the results in the
/// order of `items`, so that the output of a run never depends on how many
/// threads made it. The parse-only floor of the benchmark
/// (`examples/parse_floor.rs`) runs on this too.
pub fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    sequential: bool,
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    if sequential {
        items.iter().map(f).collect()
    } else {
        // Left to itself, rayon may hand a thread a quarter of the items as
        // one unsplittable run, and the other thread waits for its end;
        // short runs keep both busy to the last file.
        items.par_iter().with_max_len(MAX_RUN).map(f).collect()
    }
}

/// The most items a thread takes as one run (see `map_in_order`): a few
/// files, tens of microseconds each.
const MAX_RUN: usize = 8;

fn audit_file(
    candidate: &Candidate,
    ctx: &AuditContext<'_>,
    limits: &FileLimits,
    keep_details: bool,
    applied: &[AtomicBool],
) -> FileAudit {
    match read(candidate, limits) {
        FileContent::NotBlcheck => FileAudit::Skipped,
        FileContent::Invalid { pos, message } => {
            let file = candidate.display.clone();
            match ctx.catalogue_finding("DOC001", &file, pos, None, message) {
                Some(finding) => FileAudit::Invalid(Box::new(finding)),
                // DOC001 left out by --ignore: the file still counts as not audited.
                None => FileAudit::Skipped,
            }
        }
        FileContent::Documents(documents) => {
            let audited = documents
                .iter()
                .map(|doc| {
                    let audit = audit_document(doc, ctx);
                    for &index in &audit.applied {
                        // Read before written: a flag already set is not
                        // written again by every document on every thread.
                        if let Some(flag) =
                            applied.get(index).filter(|f| !f.load(Ordering::Relaxed))
                        {
                            flag.store(true, Ordering::Relaxed);
                        }
                    }
                    let summary = DocumentSummary::of(doc);
                    let audited = Audited {
                        title: keep_details
                            .then(|| doc.root.get("title").and_then(|n| n.scalar_text()))
                            .flatten()
                            .map(str::to_string),
                        findings: audit.findings,
                        results: audit.results,
                        pending: audit.pending,
                    };
                    (summary, audited)
                })
                .collect();
            FileAudit::Documents(audited)
        }
    }
}

/// The report as it is merged, chunk by chunk, in file order.
#[derive(Default)]
struct Assembly {
    /// Each document's entry in the report, its status settled at the end.
    documents: Vec<DocumentOutcome>,
    states: Vec<DocumentState>,
    /// The course each learner plan names.
    plans: Vec<PlanCourse>,
    /// Every finding so far. Their order here is not the report's: the
    /// report sorts them (by file, line, rule, column, message; two findings
    /// equal in all of these are the same finding).
    findings: Vec<Finding>,
    pending: Vec<(usize, Pending)>,
    skipped: usize,
    /// Files merged so far, and in the whole run.
    files: usize,
    expected_files: usize,
}

/// What the report needs of a document besides its summary and findings.
#[derive(Default)]
struct DocumentState {
    /// Whether one of its findings fails it (`document_status`).
    fails: bool,
    /// Whether it is a clone of another plan (ILP009).
    clone: bool,
}

impl DocumentState {
    fn note(&mut self, finding: &Finding) {
        self.fails |= document_status(std::slice::from_ref(finding)) == Status::Fail;
        self.clone |= finding.rule.as_ref() == CLONE_RULE;
    }
}

impl Assembly {
    fn add(&mut self, files: Vec<FileAudit>) {
        let first = self.files == 0;
        self.files += files.len();
        for file in files {
            match file {
                FileAudit::Documents(docs) => {
                    for (summary, audited) in docs {
                        let index = self.documents.len();
                        let mut state = DocumentState::default();
                        for finding in &audited.findings {
                            state.note(finding);
                        }
                        let mut outcome = summary.outcome;
                        outcome.title = audited.title;
                        outcome.results = audited.results;
                        self.documents.push(outcome);
                        if let Some((course, pos)) = summary.course {
                            self.plans.push((index, course, pos));
                        }
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
                FileAudit::Skipped => self.skipped += 1,
                FileAudit::Invalid(finding) => self.findings.push(*finding),
            }
        }
        if first {
            self.expect_findings();
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
    fn finish(mut self, applied: &BTreeSet<Arc<str>>, ctx: &AuditContext<'_>) -> Report {
        let documents = &self.documents;
        // Independent looks at the whole run, side by side; the two that
        // index every document one after the other, so that only one index
        // is in memory at a time.
        let ((duplicates, unknown), crosses) = rayon::join(
            || {
                (
                    duplicate_ids(documents, ctx),
                    unknown_courses(documents, &self.plans, ctx),
                )
            },
            || distinct_in_run(documents, &self.pending, ctx),
        );
        for (index, mut finding) in duplicates.into_iter().chain(unknown) {
            self.states[index].note(&finding);
            finding.document_index = u32::try_from(index).ok();
            self.findings.push(finding);
        }
        for mut cross in crosses {
            let results = &mut self.documents[cross.document].results;
            if let Some(result) = results.iter_mut().find(|r| r.rule == cross.rule) {
                result.status = cross.status;
            }
            self.states[cross.document].note(&cross.finding);
            cross.finding.document_index = u32::try_from(cross.document).ok();
            self.findings.push(cross.finding);
        }
        let policies = applied_policies(ctx.policies, applied, ctx.as_of);
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
        Report::new(
            ctx.as_of,
            policies,
            self.documents,
            self.findings,
            self.skipped,
            cohorts,
        )
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
fn renewal_findings(ctx: &AuditContext<'_>, applied: &BTreeSet<Arc<str>>) -> Vec<Finding> {
    ctx.policies
        .policies
        .iter()
        .filter(|p| applied.contains(&p.id) && p.renewal < ctx.as_of)
        .filter_map(|p| {
            let file: Arc<str> = p.origin.file_label().into();
            let days = (ctx.as_of - p.renewal).num_days();
            let mut finding = ctx.catalogue_finding(
                "POL001",
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
            finding.policy = Some(p.id.clone());
            finding.document = Some(p.id.clone());
            Some(finding)
        })
        .collect()
}
