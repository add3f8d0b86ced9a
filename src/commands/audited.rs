//! The audit of what `blcheck audit`'s flags name: settings, rules,
//! selection, discovery, the run and its warnings. `audit` renders what it
//! returns, `baseline` records it.

use super::{as_of, load_rules, LoadedRules};
use crate::audit::{self, group_by::GroupBy, scope::Scope, AuditTerms, RunLimits, RunOptions};
use crate::cli::{AuditArgs, Format};
use crate::discover::{exclusions, Exclude, WalkOptions};
use crate::policy::{Catalogue, PolicySet};
use crate::render::identity::ReportIdentity;
use crate::render::{self, Destination};
use crate::report::{AppliedConfig, Report};
use crate::safe_read::Links;
use crate::selection::RuleFilter;
use crate::settings::Settings;
use crate::source::FileLimits;
use anyhow::Result;
use std::path::Path;

/// A run's report and the rules it was made with.
pub struct Audited {
    pub report: Report,
    pub settings: Settings,
    pub policies: PolicySet,
    pub catalogue: Catalogue,
    pub filter: RuleFilter,
    pub jobs: Option<usize>,
    /// What blcheck.toml and the policy switches changed, for every format.
    pub config: AppliedConfig,
    /// Who the report is for and what it covers.
    pub identity: ReportIdentity,
    /// `--group-by`'s field, when the run groups its findings.
    pub group_by: Option<GroupBy>,
}

/// Audits what `args` name: settings, policies, selection, discovery, the
/// audit itself, and the warnings about the run. `outputs` and `written`
/// are the files the command will write, refused where they are inputs.
pub fn audit(
    args: &AuditArgs,
    cwd: &Path,
    outputs: &[(Format, Destination)],
    written: &[&Path],
    keep_details: bool,
) -> Result<Audited> {
    let (jobs, too_many) = super::capped_jobs(args.reading.jobs, super::available_cores());
    render::warnings::warn(&Vec::from_iter(too_many))?;
    let as_of = as_of(args.judging.date.as_of.as_deref())?;
    let LoadedRules {
        settings,
        policies,
        catalogue,
        off,
        config,
    } = load_rules(&args.policy_choice(), cwd)?;
    let known: Vec<(&str, &str)> = policies
        .policies
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| (&*r.id, &*r.name)))
        .chain(catalogue.rules.iter().map(|r| (&*r.id, &*r.name)))
        .collect();
    let mut filter = RuleFilter::new(&args.scope.select, &args.scope.ignore, &known)?
        .with_path_ignores(settings.ignores.clone());
    filter.turn_off(off);
    let excludes: Vec<Exclude> = settings
        .exclude
        .iter()
        .cloned()
        .chain(
            args.scope
                .exclude
                .iter()
                .map(|glob| Exclude::flag(glob, cwd)),
        )
        .collect();
    let compiled = exclusions(&excludes)?;
    let paths = match (args.paths.is_empty(), settings.paths.is_empty()) {
        (false, _) => args.paths.clone(),
        (true, false) => settings.paths.clone(),
        (true, true) => vec![".".into()],
    };
    let walk = WalkOptions {
        follow_links: args.reading.follow_symlinks,
        ..WalkOptions::default()
    };
    let mut scope = Scope::discover(&paths, excludes, &compiled, cwd, walk)?;
    render::warnings::warn(&scope.unmatched_excludes())?;
    scope.refuse_reports_among_inputs(outputs, &paths)?;
    // The logo is read now: a missing one stops the run before the audit.
    let identity = super::report_identity(&settings, &paths, args.generated_at, cwd)?;
    let group_by = args
        .group_by
        .as_deref()
        .map(audit::group_by::GroupBy::parse)
        .transpose()?;
    let extra: Vec<(Format, Destination)> = written
        .iter()
        .map(|path| (Format::Json, Destination::File(path.to_path_buf())))
        .collect();
    scope.refuse_reports_among_inputs(&extra, &paths)?;
    let model = super::load_model()?;
    let ctx = AuditTerms {
        policies: &policies,
        catalogue: &catalogue,
        as_of,
        filter: &filter,
        content_checks: &[&model],
        keep_results: keep_details,
        group_by: group_by.as_ref(),
    };
    let run = RunOptions {
        jobs,
        keep_details,
        keep_titles: keep_details && outputs.iter().any(|(f, _)| render::shows_titles(*f)),
        progress: !args.quiet,
        limits: FileLimits {
            max_bytes: args.max_file_size,
            links: match args.reading.follow_symlinks {
                true => Links::Follow,
                false => Links::Refuse,
            },
            yaml: crate::yaml::Limits {
                max_documents: usize::try_from(args.max_documents_per_file).unwrap_or(usize::MAX),
                ..crate::yaml::Limits::default()
            },
        },
        run_limits: RunLimits::of(&catalogue, args.max_documents, args.max_findings),
    };
    let candidates = std::mem::take(&mut scope.candidates);
    let mut report = audit::run(candidates, &ctx, run)?;
    report.summary.excluded_files = scope.excluded_files;
    if report.documents.is_empty() && report.findings.is_empty() {
        return Err(scope.nothing_found(report.summary.skipped_files));
    }
    drop(scope);
    let idle = audit::scope::idle_selections(&filter, &report, &policies, &catalogue);
    render::warnings::warn(&idle)?;
    Ok(Audited {
        report,
        settings,
        policies,
        catalogue,
        filter,
        jobs,
        config,
        identity,
        group_by,
    })
}
