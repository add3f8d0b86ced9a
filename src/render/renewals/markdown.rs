//! `--format markdown`: a table for a pull-request comment or a CI step
//! summary (`>> "$GITHUB_STEP_SUMMARY"`). Every value from a register is
//! escaped (`text::markdown_safe`, as the audit's Markdown), so a title
//! cannot break the table or inject links or HTML.

use super::{missing_line, problem_line, problems_heading, status_label, summary, when};
use crate::render::text::markdown_safe as escape;
use crate::renewals::{RenewalReport, RenewalStatus};
use anyhow::Result;
use std::io::Write;

pub fn render(report: &RenewalReport, out: &mut Vec<u8>) -> Result<()> {
    writeln!(out, "### Policy renewals as of {}\n", report.as_of)?;
    writeln!(
        out,
        "| Status | Renewal | When | Id | Title | Version | Owner | Source |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for row in &report.documents {
        let e = &row.entry;
        let status = match row.status {
            RenewalStatus::Overdue => format!("**{}**", status_label(row.status)),
            other => status_label(other).to_string(),
        };
        writeln!(
            out,
            "| {status} | {} | {} | {} | {} | {} | {} | {} |",
            e.renewal,
            when(row.days_to_renewal),
            escape(&e.id),
            escape(&e.title),
            escape(&e.version),
            escape(&e.owner),
            escape(&e.source),
        )?;
    }
    writeln!(out, "\n{}", escape(&summary(report)))?;
    if !report.missing_read_with.is_empty() {
        writeln!(out, "\n**Read-with documents not in the register**\n")?;
        for missing in &report.missing_read_with {
            writeln!(out, "- {}", escape(&missing_line(missing)))?;
        }
    }
    if !report.problems.is_empty() {
        writeln!(out, "\n**{}**\n", escape(&problems_heading(report)))?;
        for problem in &report.problems {
            writeln!(out, "- {}", escape(&problem_line(problem)))?;
        }
    }
    Ok(())
}
