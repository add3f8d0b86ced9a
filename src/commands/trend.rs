//! `blcheck trend FILE`: a history's runs, per policy and rule; and an
//! audit's run added to its history (`audit --history`).

use crate::cli::{TrendArgs, TrendFormat};
use crate::discover::display_path;
use crate::exit_status::ExitStatus;
use crate::history::{self, Record};
use crate::policy::PolicySet;
use crate::render::{self, trend};
use crate::report::Report;
use crate::settings::Settings;
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

/// Appends this run to the history `file` (an incomplete run is not
/// recorded: its counts would read as a drop), and returns every run it
/// holds, this one last.
pub fn record(
    report: &Report,
    policies: &PolicySet,
    settings: &Settings,
    file: &Path,
    cwd: &Path,
) -> Result<Vec<Record>> {
    let shown = display_path(file, cwd);
    let mut warnings = Vec::new();
    let mut records = match file.exists() {
        true => {
            let (records, problems) = history::read(file, &shown)?;
            warnings.extend(problems);
            records
        }
        false => Vec::new(),
    };
    if report.incomplete {
        warnings.push(format!(
            "{shown}: the run stopped at a limit (DOC015); it is not added to the history"
        ));
    } else {
        let record = Record::of(report, policies, settings.file.as_deref());
        // The broken line the read warned about is the one the append
        // warns of: said once.
        if history::append(file, &shown, &record)?.is_some() && warnings.is_empty() {
            warnings.push(format!("{shown}: its last line was incomplete; ignored"));
        }
        records.push(record);
    }
    render::warnings::warn(&warnings)?;
    Ok(records)
}
