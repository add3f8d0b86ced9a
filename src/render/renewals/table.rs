//! `--format table`: the register for a person at a terminal. Overdue rows
//! say OVERDUE in capitals and, with colour, are red throughout; due rows
//! are yellow. Then the counts, any read-with warning, and the register's
//! problems, one `error:` line each.

use super::super::table::{keep_whole, paint, terminal_width};
use super::super::text::terminal_safe;
use super::{missing_line, problem_line, problems_heading, status_label, summary, when};
use crate::renewals::{RenewalReport, RenewalStatus};
use anyhow::Result;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ContentArrangement, Table};
use std::io::Write;

/// The columns that never wrap in a terminal: status, dates and versions.
const NARROW: [usize; 4] = [0, 1, 2, 5];

/// What the wide table's borders take: eight columns, a border and a space
/// either side of each, and the closing border.
const BORDERS: usize = 8 * 3 + 1;

/// The narrowest title or owner column worth reading beside the others.
const TEXT_MIN: usize = 20;

/// One row per document. In a terminal too narrow for a column each with a
/// readable title and owner (most, below about 130 columns), the columns
/// pair up, two lines to a cell: status and when, renewal date and
/// version, id and title, owner and source. Pipes and logs always get the wide table,
/// one line per document.
pub fn render(report: &RenewalReport, color: bool, out: &mut Vec<u8>) -> Result<()> {
    let width = terminal_width();
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    // In a terminal, wrap to its width. In pipes and logs, never wrap: one
    // line per document, the same bytes on every machine, easy to grep.
    match width {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
        }
        None => {
            table
                .force_no_tty()
                .set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if color {
        table.enforce_styling();
    }
    let rows: Vec<Row> = report.documents.iter().map(Row::of).collect();
    if width.is_none_or(|width| wide_enough(&rows, width)) {
        table.set_header([
            "Status", "Renewal", "When", "Id", "Title", "Version", "Owner", "Source",
        ]);
        for row in &rows {
            table.add_row([
                paint(Cell::new(&row.status), color, row.tint),
                paint(Cell::new(&row.renewal), color, row.row_tint),
                paint(Cell::new(&row.when), color, row.row_tint),
                paint(Cell::new(&row.id), color, row.row_tint),
                paint(Cell::new(&row.title), color, row.row_tint),
                paint(Cell::new(&row.version), color, row.row_tint),
                paint(Cell::new(&row.owner), color, row.row_tint),
                paint(Cell::new(&row.source), color, row.row_tint),
            ]);
        }
        keep_whole(&mut table, NARROW);
    } else {
        table.set_header(["Status / When", "Renewal", "Id / Title", "Owner / Source"]);
        for row in &rows {
            let pair = |a: &str, b: &str| format!("{a}\n{b}");
            table.add_row([
                paint(Cell::new(pair(&row.status, &row.when)), color, row.tint),
                paint(
                    Cell::new(pair(&row.renewal, &format!("version {}", row.version))),
                    color,
                    row.row_tint,
                ),
                paint(Cell::new(pair(&row.id, &row.title)), color, row.row_tint),
                paint(
                    Cell::new(pair(&row.owner, &row.source)),
                    color,
                    row.row_tint,
                ),
            ]);
        }
        keep_whole(&mut table, [0, 1]);
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{}", summary(report))?;
    for missing in &report.missing_read_with {
        writeln!(out, "warning: {}", terminal_safe(&missing_line(missing)))?;
    }
    if !report.problems.is_empty() {
        writeln!(out, "{}", problems_heading(report))?;
        for problem in &report.problems {
            writeln!(out, "error: {}", terminal_safe(&problem_line(problem)))?;
        }
    }
    Ok(())
}

/// A document's cells, as the terminal shows them.
struct Row {
    status: String,
    renewal: String,
    when: String,
    id: String,
    title: String,
    version: String,
    owner: String,
    source: String,
    /// The status's colour.
    tint: Option<Color>,
    /// The colour of the rest of the row: only overdue rows are painted
    /// throughout.
    row_tint: Option<Color>,
}

impl Row {
    fn of(row: &crate::renewals::Renewal) -> Row {
        let e = &row.entry;
        let tint = status_color(row.status);
        Row {
            status: status_label(row.status).to_string(),
            renewal: e.renewal.to_string(),
            when: when(row.days_to_renewal),
            id: terminal_safe(&e.id),
            title: terminal_safe(&e.title),
            version: terminal_safe(&e.version),
            owner: terminal_safe(&e.owner),
            source: terminal_safe(&e.source),
            tint,
            row_tint: tint.filter(|_| row.status == RenewalStatus::Overdue),
        }
    }
}

/// Whether a terminal `width` wide holds a column each, the status, dates,
/// id, version and source whole, and at least [`TEXT_MIN`] for the title
/// and the owner.
fn wide_enough(rows: &[Row], width: u16) -> bool {
    let widest = |header: &str, cell: &dyn Fn(&Row) -> &str| {
        rows.iter()
            .map(|r| cell(r).chars().count())
            .max()
            .unwrap_or(0)
            .max(header.len())
    };
    let whole = widest("Status", &|r| &r.status)
        + widest("Renewal", &|r| &r.renewal)
        + widest("When", &|r| &r.when)
        + widest("Id", &|r| &r.id)
        + widest("Version", &|r| &r.version)
        + widest("Source", &|r| &r.source);
    let title = widest("Title", &|r| &r.title).min(TEXT_MIN);
    let owner = widest("Owner", &|r| &r.owner).min(TEXT_MIN);
    usize::from(width) >= whole + title + owner + BORDERS
}

fn status_color(status: RenewalStatus) -> Option<Color> {
    match status {
        RenewalStatus::Overdue => Some(Color::Red),
        RenewalStatus::Due => Some(Color::Yellow),
        RenewalStatus::Current => Some(Color::Green),
    }
}
