//! `--format github`: GitHub Actions workflow commands, so each finding
//! becomes an annotation on the pull request's file and line.

use super::text::{github_data as data, github_property as property};
use crate::report::{Report, Severity, Status};
use anyhow::Result;
use std::io::Write;

pub fn render(report: &Report, out: &mut dyn Write) -> Result<()> {
    for f in &report.findings {
        let command = match (f.status, f.severity) {
            (Status::Waived | Status::Baselined | Status::Fixed, _) | (_, Severity::Info) => {
                "notice"
            }
            (_, Severity::Warning) => "warning",
            (_, Severity::Error) => "error",
        };
        let status = match f.status {
            Status::Waived => " (waived)",
            Status::Baselined => " (baselined)",
            Status::Fixed => " (fixed)",
            Status::Fail | Status::Pass | Status::Skip => "",
        };
        // Built-in policy files are not in the repository, and a fixed
        // baseline entry has no line (its file may be gone): annotate the run.
        let location = if f.file().starts_with("built-in:") || f.line == 0 {
            String::new()
        } else {
            format!(
                "file={},line={},col={},",
                property(f.file()),
                f.line,
                f.column
            )
        };
        writeln!(
            out,
            "::{command} {location}title={}::{}",
            property(&format!("{} {}{status}", f.rule(), f.name())),
            data(&f.message)
        )?;
    }
    Ok(())
}
