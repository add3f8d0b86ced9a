//! `--format table`: the findings for a person at a terminal, then the
//! run's summary.

use super::mark::{Mark, Tone};
use super::text::terminal_safe;
use crate::report::{Finding, Report, Severity, Status};
use anstyle::{Ansi256Color, Effects, Style};
use anyhow::Result;
use comfy_table::{
    presets::{UTF8_FULL, UTF8_FULL_CONDENSED},
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width,
};
use std::io::Write;
// Columns as a terminal shows them: a CJK character takes two.
use unicode_width::UnicodeWidthStr;

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

/// The most findings the table shows. A person reads a few hundred rows at
/// most, and a table lays every row out before it prints the first: a run
/// with 100,000 findings would take seconds and hundreds of megabytes to
/// print rows nobody reads. Beyond it the table says how many it left out
/// and where to read them all (docs/output.md).
pub const MAX_TABLE_ROWS: usize = 1_000;

pub fn render(
    report: &Report,
    group_by: Option<&str>,
    quiet: bool,
    color: bool,
    out: &mut Vec<u8>,
) -> Result<()> {
    let wanted = |f: &&Finding| !quiet || f.fails();
    let total = report.findings.iter().filter(wanted).count();
    // Failing findings first when not all fit: they are what a reader must act on.
    let mut rows: Vec<&Finding> = if total > MAX_TABLE_ROWS {
        let failing = report.findings.iter().filter(|f| f.fails());
        let others = report.findings.iter().filter(|f| !f.fails() && wanted(f));
        let mut rows: Vec<&Finding> = failing.chain(others).take(MAX_TABLE_ROWS).collect();
        rows.sort_by(|a, b| a.order(b));
        rows
    } else {
        report.findings.iter().filter(wanted).collect()
    };
    rows.shrink_to_fit();
    match group_by {
        Some(field) if !rows.is_empty() => {
            let grouping = super::grouping::Grouping::new(report, field);
            for (key, rows) in grouping.split(rows.iter().copied(), |f| grouping.of_finding(f)) {
                writeln!(
                    out,
                    "{field}: {} ({} finding{})",
                    terminal_safe(grouping.label(&key)),
                    rows.len(),
                    plural(rows.len())
                )?;
                writeln!(out, "{}", findings_table(&rows, color))?;
            }
        }
        _ if !rows.is_empty() => writeln!(out, "{}", findings_table(&rows, color))?,
        _ => {}
    }
    if total > rows.len() {
        writeln!(
            out,
            "{} more finding{} not shown: the table shows the first {MAX_TABLE_ROWS} ({}); \
             --format json, csv or markdown lists them all.",
            total - rows.len(),
            plural(total - rows.len()),
            if report.findings.iter().filter(|f| f.fails()).count() > MAX_TABLE_ROWS {
                "all failing"
            } else {
                "failing ones first"
            }
        )?;
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
    // Only a run with excludes says how many files they left out.
    let excluded = match s.excluded_files {
        0 => String::new(),
        n => format!(
            "; {}",
            counted(n, format!("file{} excluded", plural(n)), DIM)
        ),
    };
    writeln!(
        out,
        "{} document{} audited as of {}: {}, {}; {}, {}, {}; {}{excluded}.",
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
    if let (Some(baselined), Some(fixed)) = (s.baselined, s.fixed) {
        writeln!(
            out,
            "Baseline: {} held (they do not fail the run), {} since the baseline.",
            counted(
                baselined,
                format!("known failure{}", plural(baselined)),
                CYAN
            ),
            counted(fixed, "fixed".into(), GREEN),
        )?;
    }
    if !report.policies.is_empty() {
        let list: Vec<String> = report
            .policies
            .iter()
            .map(|p| {
                format!(
                    "{} {} (renewal {}{})",
                    terminal_safe(&p.id),
                    terminal_safe(&p.version),
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
/// rule's name with the message. Locations and rule ids are never broken
/// across lines (a reader copies them into an editor or `blcheck explain`),
/// so the layout is the widest of three that keeps them whole beside a
/// readable message:
/// - a column each;
/// - location and document sharing a column, status and severity another;
/// - one column, a finding to a cell: rule, severity and status, then
///   location, document and message, each on its own line. A location
///   longer than the cell even then is broken only after a `/`.
pub(super) fn findings_table(rows: &[&Finding], color: bool) -> Table {
    let mut table = fitted_table();
    if color {
        table.enforce_styling();
    }
    let rows: Vec<Row> = rows.iter().map(|f| Row::of(f)).collect();
    let width = table.width().map(usize::from);
    let widest = |header: &str, text: &dyn Fn(&Row) -> &str| {
        rows.iter()
            .map(|r| text(r).width())
            .max()
            .unwrap_or(0)
            .max(header.width())
    };
    let status_width = "Status".len().max("baselined".len());
    let severity_width = "Severity".len();
    let wide = widest("Location", &|r| &r.location)
        + widest("Document", &|r| &r.document)
        + widest("Rule", &|r| &r.rule)
        + severity_width
        + status_width
        + borders(6)
        + MESSAGE_MIN;
    // Paired, the document wraps under its location: only the location
    // sets the column's width, so a long id cannot squeeze the message.
    let location_width = widest("Location / Document", &|r| &r.location);
    let paired = location_width
        + widest("Rule", &|r| &r.rule)
        + "warning".len().max("Result".len())
        + borders(4)
        + MESSAGE_MIN;
    let status = |r: &Row, text: String| paint_status(Cell::new(text), color, r.status, r.severity);
    match width {
        Some(width) if width < paired => {
            // A line between findings, which would otherwise run together.
            table.load_preset(UTF8_FULL).set_header(["Finding"]);
            // One column: a border and a space either side.
            let inner = width.saturating_sub(borders(1));
            for r in &rows {
                let text = format!(
                    "{} {} {}\n{}\n{}\n{}",
                    r.rule,
                    r.severity,
                    r.shown,
                    wrap_after_slashes(&r.location, inner),
                    r.document,
                    r.message
                );
                table.add_row([status(r, text)]);
            }
        }
        Some(width) if width < wide => {
            table.set_header(["Location / Document", "Rule", "Result", "Message"]);
            for r in &rows {
                table.add_row([
                    Cell::new(format!("{}\n{}", r.location, r.document)),
                    Cell::new(&r.rule),
                    status(r, format!("{}\n{}", r.shown, r.severity)),
                    Cell::new(&r.message),
                ]);
            }
            keep_whole(&mut table, 1..3);
            if let Some(column) = table.column_mut(0) {
                // comfy-table's fixed width takes in the cell's padding.
                let width = u16::try_from(location_width + 2).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(width)));
            }
        }
        _ => {
            table.set_header([
                "Location", "Document", "Rule", "Severity", "Status", "Message",
            ]);
            for r in &rows {
                table.add_row([
                    Cell::new(&r.location),
                    Cell::new(&r.document),
                    Cell::new(&r.rule),
                    paint(Cell::new(r.severity), color, severity_color(r.severity)),
                    status(r, r.shown.to_string()),
                    Cell::new(&r.message),
                ]);
            }
            // Locations, ids and words never break; the message takes the rest.
            keep_whole(&mut table, 0..5);
        }
    }
    table
}

/// A finding's cells as the terminal shows them: every text from a
/// document or a policy made safe once.
struct Row {
    location: String,
    document: String,
    rule: String,
    severity: Severity,
    status: Status,
    shown: &'static str,
    message: String,
}

impl Row {
    fn of(f: &Finding) -> Row {
        Row {
            location: terminal_safe(&f.place()),
            document: terminal_safe(f.document.as_deref().unwrap_or("-")),
            rule: terminal_safe(&f.rule),
            severity: f.severity,
            status: f.status,
            shown: f.shown_status(),
            message: format!("{}: {}", terminal_safe(&f.name), terminal_safe(&f.message)),
        }
    }
}

/// What the borders of `columns` columns take: a border and a space either
/// side of each, and the closing border.
fn borders(columns: usize) -> usize {
    columns * 3 + 1
}

/// `text` in lines of at most `width` characters, broken only after a `/`:
/// a path too long for its cell keeps each directory and the file name
/// whole. A single name longer than `width` is left for the table to break.
fn wrap_after_slashes(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in text.split_inclusive('/') {
        if !line.is_empty() && line.width() + part.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        line.push_str(part);
    }
    lines.push(line);
    lines.join("\n")
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

/// The colour of the status's mark (`render::mark`), as the HTML report
/// and the workbook colour it.
fn status_color(status: Status, severity: Severity) -> Option<Color> {
    match Mark::of(status, severity).tone() {
        Tone::Error => Some(Color::Red),
        Tone::Warning => Some(Color::Yellow),
        Tone::Info => Some(Color::Blue),
        Tone::Good => Some(Color::Green),
        Tone::Accepted => Some(Color::Cyan),
        Tone::Neutral => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_break_only_after_a_slash() {
        let location = "fixtures/courses/digital-marketer-l3-online.yaml:20:7";
        assert_eq!(wrap_after_slashes(location, 60), location);
        assert_eq!(
            wrap_after_slashes(location, 40),
            "fixtures/courses/\ndigital-marketer-l3-online.yaml:20:7"
        );
        assert_eq!(
            wrap_after_slashes(location, 10),
            "fixtures/\ncourses/\ndigital-marketer-l3-online.yaml:20:7"
        );
        assert_eq!(
            wrap_after_slashes("a-very-long-name.yaml:1:1", 5),
            "a-very-long-name.yaml:1:1"
        );
    }
}
