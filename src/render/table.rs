//! `--format table`: the findings for a person at a terminal, then the
//! run's summary.

use super::text::terminal_safe;
use crate::report::{Finding, Report, Severity, Status};
use anstyle::{Ansi256Color, Effects, Style};
use anyhow::Result;
use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Attribute, Cell, Color, ColumnConstraint, ContentArrangement,
    Table, Width,
};
use std::io::Write;

// The summary's colours: the 256-colour indices comfy-table gives the
// table's Red, Green, Yellow and Cyan, so both read alike.
const RED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi256(Ansi256Color(9))));
const GREEN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi256(Ansi256Color(10))));
const YELLOW: Style = Style::new().fg_color(Some(anstyle::Color::Ansi256(Ansi256Color(11))));
const CYAN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi256(Ansi256Color(14))));
const DIM: Style = Style::new().effects(Effects::DIMMED);

/// `text` in `style` when colour is on.
fn tinted(text: &str, color: bool, style: Style) -> String {
    if color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

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
        writeln!(out, "{}", tinted("No findings.", color, GREEN))?;
    }
    let counted = |n: usize, text: String, style: Style| {
        let text = format!("{n} {text}");
        if n == 0 {
            text
        } else {
            tinted(&text, color, style)
        }
    };
    writeln!(
        out,
        "{} document{} audited as of {}: {}, {}; {}, {}, {}; {}.",
        s.documents,
        plural(s.documents),
        report.as_of,
        counted(s.passed, "passed".into(), GREEN),
        counted(s.failed, "failed".into(), RED),
        counted(s.errors, format!("error{}", plural(s.errors)), RED),
        counted(s.warnings, format!("warning{}", plural(s.warnings)), YELLOW),
        counted(s.waived, "waived".into(), CYAN),
        counted(
            s.skipped_files,
            format!(
                "file{} without a blcheck document skipped",
                plural(s.skipped_files)
            ),
            DIM
        ),
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
                    if p.overdue {
                        format!(", {}", tinted("overdue", color, YELLOW))
                    } else {
                        String::new()
                    }
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
/// rule's name with the message. In a terminal too narrow for that with a
/// readable message, location and document share a column, and severity
/// and status another, so that rows wrap inside their cells rather than
/// the terminal breaking them.
pub(super) fn findings_table(rows: &[&Finding], color: bool) -> Table {
    let mut table = fitted_table();
    if color {
        table.enforce_styling();
    }
    let location = |f: &Finding| format!("{}:{}:{}", terminal_safe(&f.file), f.line, f.column);
    let document = |f: &Finding| terminal_safe(f.document.as_deref().unwrap_or("-"));
    let message = |f: &Finding| Cell::new(format!("{}: {}", f.name, terminal_safe(&f.message)));
    let status =
        |f: &Finding, text: String| paint_status(Cell::new(text), color, f.status, f.severity);
    let wide = table.width().is_none_or(|width| {
        let widest = |text: &dyn Fn(&Finding) -> String| {
            rows.iter()
                .map(|f| text(f).chars().count())
                .max()
                .unwrap_or(0)
        };
        let fixed = widest(&location).max("Location".len())
            + widest(&document).max("Document".len())
            + widest(&|f| f.rule.to_string()).max("Rule".len())
            + "Severity".len()
            + "Status".len();
        // Six columns: a border and a space either side of each.
        usize::from(width) >= fixed + 6 * 3 + 1 + MESSAGE_MIN
    });
    if wide {
        table.set_header([
            "Location", "Document", "Rule", "Severity", "Status", "Message",
        ]);
        for f in rows {
            table.add_row([
                Cell::new(location(f)),
                Cell::new(document(f)),
                Cell::new(&f.rule),
                paint(Cell::new(f.severity), color, severity_color(f.severity)),
                status(f, f.status.to_string()),
                message(f),
            ]);
        }
        // Locations, ids and words never break; the message takes the rest.
        keep_whole(&mut table, 0..5);
    } else {
        table.set_header(["Location / Document", "Rule", "Result", "Message"]);
        for f in rows {
            table.add_row([
                Cell::new(format!("{}\n{}", location(f), document(f))),
                Cell::new(&f.rule),
                status(f, format!("{}\n{}", f.status, f.severity)),
                message(f),
            ]);
        }
        keep_whole(&mut table, 1..3);
        if let Some(column) = table.column_mut(0) {
            column.set_constraint(ColumnConstraint::UpperBoundary(Width::Percentage(40)));
        }
    }
    table
}

/// The narrowest message column worth reading beside the other columns.
const MESSAGE_MIN: usize = 30;

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
pub(super) fn keep_whole(table: &mut Table, columns: impl IntoIterator<Item = usize>) {
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

/// A status cell: red failing errors, yellow failing warnings, green
/// passes, cyan waivers, dim skips.
fn paint_status(cell: Cell, color: bool, status: Status, severity: Severity) -> Cell {
    match (color, status) {
        (true, Status::Skip) => cell.add_attribute(Attribute::Dim),
        _ => paint(cell, color, status_color(status, severity)),
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
        (Status::Skip, _) => None,
    }
}
