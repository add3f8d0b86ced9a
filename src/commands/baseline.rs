//! `blcheck baseline`: the audit's findings written as a baseline, for
//! `audit --baseline` to hold them.

use super::audit::{audit, Audited};
use crate::audit::baseline::Baseline;
use crate::cli::BaselineArgs;
use crate::exit_status::ExitStatus;
use crate::render::{self, destination};
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
