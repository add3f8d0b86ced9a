//! `blcheck renewals` in every format. Each renderer reads a
//! `RenewalReport`; `write_renewals` sends each rendering to its place.
//! The register's problems are listed by every format but the calendar,
//! which has no place for them: a run that writes one also writes them on
//! standard error.

mod csv;
mod ics;
mod json;
mod markdown;
mod table;
mod xlsx;

use super::formats::{ColorChoice, CsvDialect, RenewalsFormat};
use super::table::plural;
use super::{use_color, write, Destination, ReportFormat};
use crate::policy::PolicyError;
use crate::renewals::{MissingReadWith, Renewal, RenewalReport, RenewalStatus};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

impl ReportFormat for RenewalsFormat {
    const STDOUT: Self = RenewalsFormat::Table;
    const EXTENSIONS: &'static [(&'static str, Self)] = &[
        ("json", RenewalsFormat::Json),
        ("csv", RenewalsFormat::Csv),
        ("md", RenewalsFormat::Markdown),
        ("markdown", RenewalsFormat::Markdown),
        ("ics", RenewalsFormat::Ics),
        ("xlsx", RenewalsFormat::Xlsx),
        ("txt", RenewalsFormat::Table),
    ];
}

/// Renders the report in every planned format and writes each rendering.
pub fn write_renewals(
    report: &RenewalReport,
    plan: &[(RenewalsFormat, Destination)],
    color: ColorChoice,
    csv_dialect: CsvDialect,
) -> Result<()> {
    for (format, destination) in plan {
        super::refuse_binary_on_terminal(*format == RenewalsFormat::Xlsx, destination)?;
        let color = destination.is_stdout() && use_color(color);
        let mut bytes = Vec::new();
        match format {
            RenewalsFormat::Table => table::render(report, color, &mut bytes)?,
            RenewalsFormat::Json => json::render(report, &mut bytes)?,
            RenewalsFormat::Csv => csv::render(report, csv_dialect, &mut bytes)?,
            RenewalsFormat::Markdown => markdown::render(report, &mut bytes)?,
            RenewalsFormat::Ics => ics::render(report, &mut bytes)?,
            RenewalsFormat::Xlsx => xlsx::render(report, &mut bytes)?,
        }
        write(destination, &bytes)?;
    }
    if plan
        .iter()
        .any(|(format, _)| *format == RenewalsFormat::Ics)
    {
        let mut lines = Vec::new();
        for problem in &report.problems {
            writeln!(
                lines,
                "blcheck: warning: {} (not in the calendar)",
                super::text::terminal_safe(&problem_line(problem))
            )?;
        }
        // A closed stderr must not turn a written calendar into a failed run.
        let _ = std::io::stderr().write_all(&lines);
    }
    Ok(())
}

/// One of the register's problems, as the table, Markdown and stderr give
/// it: `file:line:column: message`.
fn problem_line(problem: &PolicyError) -> String {
    problem.to_string()
}

/// The line before the list of problems.
fn problems_heading(report: &RenewalReport) -> String {
    let n = report.problems.len();
    format!(
        "{n} problem{} in the register: what {} is not listed above, and the run fails.",
        plural(n),
        if n == 1 {
            "it concerns"
        } else {
            "they concern"
        }
    )
}

/// One document as JSON and CSV give it: the spec's fields, in its order.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Row {
    id: String,
    title: String,
    version: String,
    owner: String,
    issued: String,
    renewal: String,
    days_to_renewal: i64,
    status: RenewalStatus,
    source: String,
}

impl Row {
    fn new(renewal: &Renewal) -> Row {
        let e = &renewal.entry;
        Row {
            id: e.id.clone(),
            title: e.title.clone(),
            version: e.version.clone(),
            owner: e.owner.clone(),
            issued: e.issued.to_string(),
            renewal: e.renewal.to_string(),
            days_to_renewal: renewal.days_to_renewal,
            status: renewal.status,
            source: e.source.clone(),
        }
    }
}

/// How far off a renewal is, in words: "22 days overdue", "due today",
/// "in 30 days".
fn when(days: i64) -> String {
    match days {
        0 => "due today".to_string(),
        d if d < 0 => format!("{} day{} overdue", -d, plural(d.unsigned_abs() as usize)),
        d => format!("in {d} day{}", plural(d.unsigned_abs() as usize)),
    }
}

/// The status as the table and Markdown show it: overdue in capitals, so
/// that it stands out without colour.
fn status_label(status: RenewalStatus) -> &'static str {
    match status {
        RenewalStatus::Overdue => "OVERDUE",
        RenewalStatus::Due => "due",
        RenewalStatus::Current => "current",
    }
}

/// "12 documents as of 2025-11-01: 4 overdue, 2 due within 60 days, 6 current."
fn summary(report: &RenewalReport) -> String {
    let total = report.documents.len();
    format!(
        "{total} document{} as of {}: {} overdue, {} due within {} day{}, {} current.",
        plural(total),
        report.as_of,
        report.count(RenewalStatus::Overdue),
        report.count(RenewalStatus::Due),
        report.within_days,
        plural(report.within_days as usize),
        report.count(RenewalStatus::Current),
    )
}

/// The warning for one read-with document the register lacks.
fn missing_line(missing: &MissingReadWith) -> String {
    format!(
        "{} must be read with '{}', which is not in the register",
        missing.policy, missing.title
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_in_words() {
        assert_eq!(when(-1), "1 day overdue");
        assert_eq!(when(-22), "22 days overdue");
        assert_eq!(when(0), "due today");
        assert_eq!(when(1), "in 1 day");
        assert_eq!(when(60), "in 60 days");
    }
}
