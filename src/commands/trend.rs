//! `blcheck trend FILE`: a history's runs, per policy and rule.

use crate::cli::{TrendArgs, TrendFormat};
use crate::discover::display_path;
use crate::exit_status::ExitStatus;
use crate::history;
use crate::render::{self, trend};
use anyhow::Result;
use std::path::Path;

pub fn run(args: &TrendArgs, cwd: &Path) -> Result<ExitStatus> {
    let shown = display_path(&args.file, cwd);
    let (records, warnings) = history::read(&args.file, &shown)?;
    render::warnings::warn(&warnings)?;
    let mut bytes = Vec::new();
    match args.format {
        TrendFormat::Table => trend::table(&records, &mut bytes)?,
        TrendFormat::Json => trend::json(&records, &mut bytes)?,
        TrendFormat::Markdown => trend::markdown(&records, &mut bytes)?,
        TrendFormat::Html => trend::html(&records, &mut bytes)?,
    }
    render::write_stdout(&bytes)?;
    Ok(ExitStatus::Clean)
}
