//! `blcheck diff OLD NEW`: two JSON reports (or baselines) compared.

use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::{compare, Side};
use crate::discover::display_path;
use crate::exit_status::ExitStatus;
use crate::render::{self, diff};
use anyhow::{anyhow, Result};
use std::path::Path;

/// The largest report read: a 100,000-file run's JSON is some 100 MB.
const MAX_REPORT_BYTES: u64 = 1024 * 1024 * 1024;

fn side(path: &Path, cwd: &Path) -> Result<Side> {
    let shown = display_path(path, cwd);
    let text = crate::safe_read::read_text(path, crate::safe_read::Links::Follow, MAX_REPORT_BYTES)
        .map_err(|e| anyhow!("{shown}: cannot read: {e}"))?;
    Side::parse(&text, &shown)
}

pub fn run(args: &DiffArgs, cwd: &Path) -> Result<ExitStatus> {
    let old = side(&args.old, cwd)?;
    let new = side(&args.new, cwd)?;
    let comparison = compare(&old, &new);
    let mut bytes = Vec::new();
    match args.format {
        DiffFormat::Table => diff::table(&old, &new, &comparison, &mut bytes)?,
        DiffFormat::Json => diff::json(&old, &new, &comparison, &mut bytes)?,
        DiffFormat::Markdown => diff::markdown(&old, &new, &comparison, &mut bytes)?,
    }
    render::write_stdout(&bytes)?;
    Ok(match comparison.fails() {
        true => ExitStatus::Findings,
        false => ExitStatus::Clean,
    })
}
