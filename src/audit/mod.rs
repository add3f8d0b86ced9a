//! The audit of a run: every candidate file read, parsed and audited on the
//! run's threads a chunk at a time (`engine.rs`, one document at a time,
//! with its waivers from `waivers.rs`), each chunk merged into the report in
//! file order (`assembly.rs`), then the cross-document checks (`corpus.rs`)
//! and the report. `scope.rs` says what the run covered. Commands and
//! renderers see only the `Report`.

mod assembly;
pub mod baseline;
pub mod corpus;
pub mod engine;
mod evidence;
pub mod group_by;
pub mod incremental;
pub mod scope;
pub mod waivers;

pub use engine::{audit_document, format_findings, AuditTerms, ContentCheck, ContentProblem};

use crate::discover::Candidate;
use crate::policy::OwnCheck;
use crate::render::progress::Progress;
use crate::report::{Finding, Report, RuleResult};
use crate::source::{read, FileContent, FileLimits};
use anyhow::Result;
use assembly::Assembly;
use corpus::DocumentSummary;
use engine::Pending;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// One audited document, before it is merged into the report: what the
/// report needs of it, never its tree.
#[derive(Clone)]
pub(crate) struct DocumentPart {
    /// `title`, when it is text and a format shows it (the HTML report).
    pub(crate) title: Option<String>,
    pub(crate) findings: Vec<Finding>,
    /// Empty unless a format lists every rule's status.
    pub(crate) results: Vec<RuleResult>,
    pub(crate) pending: Vec<Pending>,
    /// Empty unless a format lists every rule's status.
    pub(crate) waivers: Vec<crate::report::WaiverEntry>,
    /// The value of `--group-by`'s field.
    pub(crate) group: Option<String>,
}

/// What one file gave. Kept small, one per file of the run: the rare
/// invalid file's finding is boxed.
#[derive(Clone)]
pub(crate) enum FilePart {
    Documents(Vec<(DocumentSummary, DocumentPart)>),
    Skipped,
    Invalid(Box<Finding>),
}

/// How the files of a run are audited.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Threads; `None`: one per available core.
    pub jobs: Option<usize>,
    /// Keep every rule's status on every document, and its waivers, for
    /// the formats that list passes (`render::lists_every_result`); the
    /// others need only the findings, and a large run is spared a result
    /// per rule and document.
    pub keep_details: bool,
    /// Keep each document's title, for the formats that show it
    /// (`render::shows_titles`).
    pub keep_titles: bool,
    /// A progress bar may be shown (not `--quiet`); it is drawn only where
    /// `render::progress` allows: a terminal, not CI, a run of over a second.
    pub progress: bool,
    /// Bounds on each file read.
    pub limits: FileLimits,
    /// Bounds on the whole run.
    pub run_limits: RunLimits,
}

/// The most a run takes in (DOC015): beyond either, no further file is
/// merged, the report says where the run stopped, and the command exits 2
/// having written what it has. Bounded memory whatever the files hold.
#[derive(Debug, Clone, Copy)]
pub struct RunLimits {
    pub max_documents: usize,
    pub max_findings: usize,
}

impl RunLimits {
    /// The limits given on the command line, else DOC015's parameters
    /// (which blcheck.toml sets like any rule's).
    pub fn of(
        catalogue: &crate::policy::Catalogue,
        max_documents: Option<u64>,
        max_findings: Option<u64>,
    ) -> RunLimits {
        let limit = |flag: Option<u64>, name: &str| match flag {
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
            None => catalogue
                .param(crate::policy::OwnCheck::RunLimit, name)
                .filter(|n| *n >= 1.0)
                .map_or(usize::MAX, |n| n as usize),
        };
        RunLimits {
            max_documents: limit(max_documents, "max_documents"),
            max_findings: limit(max_findings, "max_findings"),
        }
    }
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            max_documents: usize::MAX,
            max_findings: usize::MAX,
        }
    }
}

/// Files audited between two merges into the report: enough to keep both
/// threads busy, few enough that what they hold before the merge is small.
/// Debug builds (the tests) use small chunks, so that a test corpus of a
/// few hundred files crosses chunk boundaries.
const CHUNK: usize = if cfg!(debug_assertions) { 64 } else { 512 };

/// Audits every candidate file and assembles the report. Files are audited
/// in parallel a chunk at a time, and each chunk is merged into the report
/// in file order as soon as it is done: a file's trees are dropped once it
/// is audited, and only findings and small summaries are kept for the
/// cross-document stage. The candidates are dropped once read.
pub fn run(candidates: Vec<Candidate>, ctx: &AuditTerms<'_>, run: RunOptions) -> Result<Report> {
    let limits = run.limits;
    let progress = Progress::new(candidates.len(), !run.progress);
    // Which policies applied to any document (POL001, `policies` of the report).
    let applied: Vec<AtomicBool> = ctx
        .policies
        .policies
        .iter()
        .map(|_| AtomicBool::new(false))
        .collect();
    let mut assembly = Assembly::for_files(candidates.len(), run.run_limits);
    // In chunks of their own, each dropped once read: the list of a large
    // run's files is not kept to its end, when the report is largest.
    let mut chunks: Vec<Vec<Candidate>> = Vec::with_capacity(candidates.len() / CHUNK + 1);
    let mut source = candidates.into_iter();
    loop {
        let chunk: Vec<Candidate> = source.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    drop(source);
    chunks.reverse();
    let sequential = run.jobs == Some(1);
    on_threads(run.jobs, || {
        // Each chunk is merged while the next is audited, so that no core
        // waits on the merge.
        let mut audited: Option<Vec<(Arc<str>, FilePart)>> = None;
        while let Some(chunk) = chunks.pop() {
            if assembly.stopped() {
                break;
            }
            let merge = audited.take();
            let ((), files) = rayon::join(
                || merge.into_iter().for_each(|files| assembly.add(files)),
                || {
                    map_in_order(&chunk, sequential, |candidate| {
                        let file = audit_file(candidate, ctx, &limits, &run, &applied);
                        progress.tick();
                        (candidate.display.clone(), file)
                    })
                },
            );
            audited = Some(files);
        }
        audited.into_iter().for_each(|files| assembly.add(files));
    })?;
    progress.finish();
    drop(chunks);
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
    ctx: &AuditTerms<'_>,
    limits: &FileLimits,
    run: &RunOptions,
    applied: &[AtomicBool],
) -> FilePart {
    let content = read(candidate, limits);
    audit_content(
        candidate.display.clone(),
        content,
        ctx,
        Kept {
            details: run.keep_details,
            titles: run.keep_titles,
        },
        |index| {
            // Read before written: a flag already set is not written again by
            // every document on every thread.
            if let Some(flag) = applied.get(index).filter(|f| !f.load(Ordering::Relaxed)) {
                flag.store(true, Ordering::Relaxed);
            }
        },
    )
}

/// What a run keeps of each document beyond its findings
/// (`RunOptions::keep_details`, `RunOptions::keep_titles`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Kept {
    pub details: bool,
    pub titles: bool,
}

/// What one file's content gives, however it was read (from disk, or an
/// editor's buffer); `applies` hears the index of each policy that applied.
pub(crate) fn audit_content(
    file: Arc<str>,
    content: FileContent,
    ctx: &AuditTerms<'_>,
    kept: Kept,
    mut applies: impl FnMut(usize),
) -> FilePart {
    match content {
        FileContent::NotBlcheck => FilePart::Skipped,
        FileContent::Invalid { pos, message } => {
            match ctx.catalogue_finding(OwnCheck::YamlSyntax, &file, pos, None, message) {
                Some(finding) => FilePart::Invalid(Box::new(finding)),
                // DOC001 left out by --ignore: the file still counts as not audited.
                None => FilePart::Skipped,
            }
        }
        FileContent::Documents(documents) => {
            let audited = documents
                .iter()
                .map(|doc| {
                    let audit = audit_document(doc, ctx);
                    audit.applied.iter().for_each(|&index| applies(index));
                    let summary = DocumentSummary::of(doc, ctx.policies);
                    let audited = DocumentPart {
                        title: kept
                            .titles
                            .then(|| doc.root.get("title").and_then(|n| n.scalar_text()))
                            .flatten()
                            .map(str::to_string),
                        findings: audit.findings,
                        results: audit.results,
                        pending: audit.pending,
                        group: ctx.group_by.and_then(|g| g.value(doc)),
                        waivers: match kept.details {
                            true => waivers::entries(doc),
                            false => Vec::new(),
                        },
                    };
                    (summary, audited)
                })
                .collect();
            FilePart::Documents(audited)
        }
    }
}
