//! `blcheck baseline`: the audit's findings written as a baseline, for
//! `audit --baseline` to hold them; and the baseline applied to an
//! audit's report (`--baseline`, `--update-baseline`).

use super::audited::{audit, Audited};
use crate::audit::baseline::{self, Baseline};
use crate::cli::BaselineArgs;
use crate::discover::display_path;
use crate::exit_status::ExitStatus;
use crate::render::{self, destination};
use crate::report::Report;
use crate::selection::RuleFilter;
use anyhow::{bail, Result};
use std::path::Path;

pub fn run(args: &BaselineArgs, cwd: &Path) -> Result<ExitStatus> {
    let output = destination::of(&args.output)?;
    let Audited { report, .. } = audit(&args.audit(), cwd, &[], &[&args.output], false)?;
    if report.incomplete {
        // A baseline of part of the catalogue would re-raise the rest as
        // new in the next run.
        bail!(
            "the run stopped at a limit (DOC015) before every file was audited; \
             no baseline is written"
        );
    }
    render::write(&output, &Baseline::of(&report).to_json()?)?;
    Ok(ExitStatus::Clean)
}

/// The report with `file`'s baseline applied; with `update`, the baseline
/// rewritten without its fixed entries (never on an incomplete run, whose
/// unaudited files would read as fixed).
pub fn apply(
    report: Report,
    file: &Path,
    update: bool,
    filter: &RuleFilter,
    cwd: &Path,
) -> Result<Report> {
    let shown = display_path(file, cwd);
    let baseline = Baseline::read(file, &shown)?;
    let (report, applied) =
        baseline::apply(report, &baseline, |entry| filter.includes(&entry.rule));
    if update {
        if report.incomplete {
            bail!(
                "--update-baseline: the run stopped at a limit (DOC015); {shown} is left as it was"
            );
        }
        if !applied.fixed.is_empty() {
            render::write(
                &render::destination::of(file)?,
                &baseline.without(&applied.fixed).to_json()?,
            )?;
        }
    }
    Ok(report)
}
