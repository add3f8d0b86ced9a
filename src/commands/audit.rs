//! `blcheck audit`: flags → settings → audit → render → exit status. What
//! is audited is `super::audited`; the audit itself is `crate::audit`.

use super::audited::{audit, Audited};
use crate::audit;
use crate::cli::{AuditArgs, FailOn};
use crate::exit_status::ExitStatus;
use crate::render::{self, RenderOptions, ReportView};
use crate::report::Severity;
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

pub fn run(args: &AuditArgs, cwd: &Path) -> Result<ExitStatus> {
    let outputs = render::plan_outputs(&args.format, &args.files.output, &args.files.order)?;
    let options = RenderOptions {
        quiet: args.quiet,
        color: args.colour.color,
        all: args.all,
        csv_dialect: args.csv_dialect,
    };
    // The history counts passes per rule: every result is kept for it.
    let keep_details = args.history.is_some()
        || outputs
            .iter()
            .any(|(format, _)| render::lists_every_result(*format, &options));
    let written: Vec<&Path> = args.history.iter().map(PathBuf::as_path).collect();
    let Audited {
        report,
        settings,
        policies,
        catalogue,
        filter,
        jobs,
        config,
        identity,
        group_by,
    } = audit(args, cwd, &outputs, &written, keep_details)?;
    let baseline_file = args.baseline.clone().or_else(|| settings.baseline.clone());
    let report = match &baseline_file {
        Some(file) => super::baseline::apply(report, file, args.update_baseline, &filter, cwd)?,
        None if args.update_baseline => bail!(
            "--update-baseline: no baseline to update; name it with --baseline FILE or \
             `baseline` in blcheck.toml"
        ),
        None => report,
    };
    let history = match &args.history {
        Some(file) => Some(super::trend::record(
            &report, &policies, &settings, file, cwd,
        )?),
        None => None,
    };
    let maturity = match outputs
        .iter()
        .any(|(f, _)| *f == render::formats::Format::Html)
    {
        true => super::maturity::panels(&report, &super::load_model()?, cwd),
        false => Vec::new(),
    };
    // On the run's threads too: the long formats render in parallel.
    audit::on_threads(jobs, || {
        render::write_audit(
            &ReportView {
                report: &report,
                catalogue: &catalogue,
                policies: &policies,
                docs_url: settings.docs_url.as_deref(),
                config: (!config.is_empty()).then_some(&config),
                history: history.as_deref(),
                identity: &identity,
                group_by: group_by.as_ref().map(|g| g.name.as_str()),
                maturity: &maturity,
                links: render::evidence_links::LinkBase::new(cwd),
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
    let status = match (report.incomplete, report.fails_at(threshold)) {
        (true, _) => ExitStatus::Error,
        (false, true) => ExitStatus::Findings,
        (false, false) => ExitStatus::Clean,
    };
    // The process ends with this command: its memory goes back to the
    // system at once, where freeing a large report string by string would
    // hold the exit up (by tens of milliseconds at 100,000 files).
    std::mem::forget(report);
    Ok(status)
}
