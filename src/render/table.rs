//! `--format table`: the findings for a person at a terminal, then the
//! run's summary.

use super::text::terminal_safe;
use crate::report::{Finding, Report, Severity, Status};
use anyhow::Result;
use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width,
};
use std::io::Write;

pub fn render(report: &Report, quiet: bool, color: bool, out: &mut Vec<u8>) -> Result<()> {
    let rows: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !quiet || (f.status == Status::Fail && f.severity >= Severity::Warning))
        .collect();
    if !rows.is_empty() {
        writeln!(out, "{}", findings_table(&rows, color))?;
    }
    if quiet {
        return Ok(());
    }
    let s = &report.summary;
    if report.findings.is_empty() {
        writeln!(out, "No findings.")?;
    }
    writeln!(
        out,
        "{} document{} audited as of {}: {} passed, {} failed; {} error{}, {} warning{}, {} waived; {} file{} without a blcheck document skipped.",
        s.documents,
        plural(s.documents),
        report.as_of,
        s.passed,
        s.failed,
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.waived,
        s.skipped_files,
        plural(s.skipped_files),
    )?;
    if !report.policies.is_empty() {
        let list: Vec<String> = report
            .policies
            .iter()
            .map(|p| {
                format!(
                    "{} {} (renewal {}{})",
                    p.id,
                    p.version,
                    p.renewal,
                    if p.overdue { ", overdue" } else { "" }
                )
            })
            .collect();
        writeln!(out, "Policies applied: {}.", list.join(", "))?;
    }
    if !s.cohorts.is_empty() {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).force_no_tty();
        table.set_header(["Course", "Plans", "Passing", "Failing", "Clones"]);
        for c in &s.cohorts {
            table.add_row([
                terminal_safe(&c.course),
                c.plans.to_string(),
                c.passed.to_string(),
                c.failed.to_string(),
                c.clones.to_string(),
            ]);
        }
        writeln!(out, "Learner plans by course:\n{table}")?;
    }
    Ok(())
}

/// One row per finding: location, document, rule, severity, status, and the
/// rule's name with the message.
pub(super) fn findings_table(rows: &[&Finding], color: bool) -> Table {
    let mut table = fitted_table();
    if color {
        table.enforce_styling();
    }
    table.set_header([
        "Location", "Document", "Rule", "Severity", "Status", "Message",
    ]);
    for f in rows {
        table.add_row([
            Cell::new(format!(
                "{}:{}:{}",
                terminal_safe(&f.file),
                f.line,
                f.column
            )),
            Cell::new(terminal_safe(f.document.as_deref().unwrap_or("-"))),
            Cell::new(&f.rule),
            paint(Cell::new(f.severity), color, severity_color(f.severity)),
            paint(
                Cell::new(f.status),
                color,
                status_color(f.status, f.severity),
            ),
            Cell::new(format!("{}: {}", f.name, terminal_safe(&f.message))),
        ]);
    }
    // Rule ids and words never break; the message takes the rest. A
    // location or id as long as a document can make it is capped and
    // wraps, so the message keeps at least a third of the width: were those
    // columns as wide as their longest cell, one long id would squeeze
    // every message to a character per line, and a big run's table to
    // gigabytes.
    let share = |percent| Width::Percentage(percent);
    let constraints = [
        ColumnConstraint::UpperBoundary(share(40)),
        ColumnConstraint::UpperBoundary(share(20)),
    ];
    for (index, constraint) in constraints.into_iter().enumerate() {
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(constraint);
        }
    }
    keep_whole(&mut table, 2..5);
    table
}

/// A table that wraps to the terminal; in pipes and logs, to a fixed width
/// so the same run prints the same bytes everywhere.
pub(super) fn fitted_table() -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    match terminal_width() {
        Some(width) => {
            table.set_width(width);
        }
        None => {
            table.force_no_tty().set_width(PIPE_WIDTH);
        }
    }
    table
}

/// Columns that are never wrapped: the others share what width is left.
pub(super) fn keep_whole(table: &mut Table, columns: std::ops::Range<usize>) {
    for index in columns {
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

/// Width of the table when stdout is not a terminal.
const PIPE_WIDTH: u16 = 180;

pub(super) fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    comfy_table::Table::new().width()
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub(super) fn paint(cell: Cell, color: bool, with: Option<Color>) -> Cell {
    match (color, with) {
        (true, Some(c)) => cell.fg(c),
        _ => cell,
    }
}

fn severity_color(severity: Severity) -> Option<Color> {
    match severity {
        Severity::Error => Some(Color::Red),
        Severity::Warning => Some(Color::Yellow),
        Severity::Info => Some(Color::Blue),
    }
}

fn status_color(status: Status, severity: Severity) -> Option<Color> {
    match (status, severity) {
        (Status::Fail, Severity::Error) => Some(Color::Red),
        (Status::Fail, _) => Some(Color::Yellow),
        (Status::Pass, _) => Some(Color::Green),
        (Status::Waived, _) => Some(Color::Cyan),
        (Status::Skip, _) => Some(Color::DarkGrey),
    }
}
