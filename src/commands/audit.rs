//! `blcheck audit`: discover files, audit each document (in parallel),
//! run the cross-document checks, and build the report.

use super::{as_of, load_rules, LoadedRules};
use crate::cli::{AuditArgs, FailOn};
use crate::corpus::{distinct_in_run, duplicate_ids, unknown_courses, DocumentSummary};
use crate::discover::{discover_with, exclusions, Candidate, WalkOptions};
use crate::engine::Pending;
use crate::engine::{audit_document, document_status, AuditContext};
use crate::exit_status::ExitStatus;
use crate::policy::PolicySet;
use crate::render::{self, AuditOutput, RenderOptions};
use crate::report::{
    AppliedPolicy, Cohort, DocumentOutcome, Finding, Report, RuleResult, Severity, Status,
};
use crate::selection::RuleFilter;
use crate::source::{read, FileContent, FileLimits};
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// The rule whose findings mark a plan as a clone in the cohort view.
const CLONE_RULE: &str = "ILP009";

/// One audited document, before the cross-document stage.
struct Audited {
    summary: DocumentSummary,
    /// `title`, when it is text: shown beside the id in the HTML report.
    title: Option<String>,
    findings: Vec<Finding>,
    results: Vec<RuleResult>,
    pending: Vec<Pending>,
}

/// What one file gave.
enum FileAudit {
    Documents {
        documents: Vec<Audited>,
        applied: Vec<Arc<str>>,
    },
    Skipped,
    Invalid(Finding),
}

pub fn run(args: &AuditArgs, cwd: &Path) -> Result<ExitStatus> {
    let outputs = render::plan_outputs(&args.format, &args.files.output, args.files.force)?;
    let as_of = as_of(args.date.as_of.as_deref())?;
    let LoadedRules {
        settings,
        policies,
        catalogue,
        off,
    } = load_rules(args.config.as_deref(), args.no_config, &args.policy, cwd)?;
    let known: Vec<&str> = policies
        .policies
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| &*r.id))
        .chain(catalogue.rules.iter().map(|r| &*r.id))
        .collect();
    let mut filter = RuleFilter::new(&args.select, &args.ignore, &known)?
        .with_path_ignores(settings.ignores.clone());
    filter.turn_off(off);
    let excludes: Vec<String> = settings
        .exclude
        .iter()
        .chain(&args.exclude)
        .cloned()
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
    let candidates = discover_with(&paths, &excluded, cwd, walk)?;
    let model = super::load_model()?;
    let ctx = AuditContext {
        policies: &policies,
        catalogue: &catalogue,
        as_of,
        filter: &filter,
        model: &model,
    };
    let limits = FileLimits {
        max_bytes: args.max_file_size,
        ..FileLimits::default()
    };
    let report = audit(&candidates, &ctx, args.jobs, &limits)?;
    if report.documents.is_empty() && report.findings.is_empty() {
        bail!(
            "no blcheck document found in {} ({} YAML file(s) without a top-level `kind`)",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            report.summary.skipped_files
        );
    }
    let options = RenderOptions {
        quiet: args.quiet,
        color: args.colour.color,
        all: args.all,
    };
    render::write_audit(
        &AuditOutput {
            report: &report,
            catalogue: &catalogue,
            policies: &policies,
        },
        &outputs,
        &options,
    )?;
    let threshold = match args.fail_on {
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Never) => None,
        None => settings.fail_on.unwrap_or(Some(Severity::Error)),
    };
    Ok(if report.fails_at(threshold) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// Audits every candidate file and assembles the report.
pub fn audit(
    candidates: &[Candidate],
    ctx: &AuditContext<'_>,
    jobs: Option<usize>,
    limits: &FileLimits,
) -> Result<Report> {
    let per_file = |candidate: &Candidate| audit_file(candidate, ctx, limits);
    let files: Vec<FileAudit> = match jobs {
        Some(1) => candidates.iter().map(per_file).collect(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(|| candidates.par_iter().map(per_file).collect()),
        None => candidates.par_iter().map(per_file).collect(),
    };
    Ok(assemble(files, ctx))
}

fn audit_file(candidate: &Candidate, ctx: &AuditContext<'_>, limits: &FileLimits) -> FileAudit {
    match read(candidate, limits) {
        FileContent::NotBlcheck => FileAudit::Skipped,
        FileContent::Invalid { pos, message } => {
            let file: Arc<str> = candidate.display.as_str().into();
            match ctx.catalogue_finding("DOC001", &file, pos, None, message) {
                Some(finding) => FileAudit::Invalid(finding),
                // DOC001 left out by --ignore: the file still counts as not audited.
                None => FileAudit::Skipped,
            }
        }
        FileContent::Documents(documents) => {
            let mut applied = Vec::new();
            let audited = documents
                .iter()
                .map(|doc| {
                    let audit = audit_document(doc, ctx);
                    applied.extend(audit.applied);
                    Audited {
                        summary: DocumentSummary::of(doc),
                        title: doc
                            .root
                            .get("title")
                            .and_then(|n| n.scalar_text())
                            .map(str::to_string),
                        findings: audit.findings,
                        results: audit.results,
                        pending: audit.pending,
                    }
                })
                .collect();
            FileAudit::Documents {
                documents: audited,
                applied,
            }
        }
    }
}

fn assemble(files: Vec<FileAudit>, ctx: &AuditContext<'_>) -> Report {
    let mut documents: Vec<Audited> = Vec::new();
    let mut file_findings = Vec::new();
    let mut applied: BTreeSet<Arc<str>> = BTreeSet::new();
    let mut skipped = 0;
    for file in files {
        match file {
            FileAudit::Documents {
                documents: docs,
                applied: ids,
            } => {
                documents.extend(docs);
                applied.extend(ids);
            }
            FileAudit::Skipped => skipped += 1,
            FileAudit::Invalid(finding) => file_findings.push(finding),
        }
    }
    let summaries: Vec<DocumentSummary> = documents.iter().map(|d| d.summary.clone()).collect();
    for (index, finding) in duplicate_ids(&summaries, ctx)
        .into_iter()
        .chain(unknown_courses(&summaries, ctx))
    {
        documents[index].findings.push(finding);
    }
    let pending: Vec<(usize, Pending)> = documents
        .iter_mut()
        .enumerate()
        .flat_map(|(i, d)| {
            std::mem::take(&mut d.pending)
                .into_iter()
                .map(move |p| (i, p))
        })
        .collect();
    for cross in distinct_in_run(&summaries, &pending, ctx) {
        let doc = &mut documents[cross.document];
        if let Some(result) = doc.results.iter_mut().find(|r| r.rule == cross.rule) {
            result.status = cross.status;
        }
        doc.findings.push(cross.finding);
    }
    let policies = applied_policies(ctx.policies, &applied, ctx.as_of);
    file_findings.extend(renewal_findings(ctx, &applied));
    let mut findings = file_findings;
    let mut outcomes = Vec::with_capacity(documents.len());
    let mut cohorts: BTreeMap<String, Cohort> = BTreeMap::new();
    for doc in &documents {
        let Some((course, _)) = &doc.summary.course else {
            continue;
        };
        let cohort = cohorts.entry(course.clone()).or_insert_with(|| Cohort {
            course: course.clone(),
            ..Cohort::default()
        });
        cohort.plans += 1;
        match document_status(&doc.findings) {
            Status::Fail => cohort.failed += 1,
            _ => cohort.passed += 1,
        }
        if doc.findings.iter().any(|f| f.rule.as_ref() == CLONE_RULE) {
            cohort.clones += 1;
        }
    }
    for doc in documents {
        outcomes.push(DocumentOutcome {
            file: doc.summary.file,
            kind: doc.summary.kind,
            id: doc.summary.id,
            title: doc.title,
            status: document_status(&doc.findings),
            line: doc.summary.id_pos.line,
            column: doc.summary.id_pos.column,
            results: doc.results,
        });
        findings.extend(doc.findings);
    }
    Report::new(
        ctx.as_of,
        policies,
        outcomes,
        findings,
        skipped,
        cohorts.into_values().collect(),
    )
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
            finding.document = Some(p.id.to_string());
            Some(finding)
        })
        .collect()
}
