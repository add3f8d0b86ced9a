//! `--format table`: the register for a person at a terminal. Overdue rows
//! say OVERDUE in capitals and, with colour, are red throughout; due rows
//! are yellow. Then the counts, then any read-with warning.

use super::super::table::{paint, terminal_width};
use super::super::text::terminal_safe;
use super::{missing_line, status_label, summary, when};
use crate::renewals::{RenewalReport, RenewalStatus};
use anyhow::Result;
use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Cell, Color, ColumnConstraint, ContentArrangement, Table,
};
use std::io::Write;

/// The columns that never wrap in a terminal: status, dates and versions.
const NARROW: [usize; 4] = [0, 1, 2, 5];

pub fn render(report: &RenewalReport, color: bool, out: &mut Vec<u8>) -> Result<()> {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    // In a terminal, wrap to its width. In pipes and logs, never wrap: one
    // line per document, the same bytes on every machine, easy to grep.
    match terminal_width() {
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
    table.set_header([
        "Status", "Renewal", "When", "Id", "Title", "Version", "Owner", "Source",
    ]);
    for row in &report.documents {
        let e = &row.entry;
        let tint = status_color(row.status);
        // The whole overdue row is painted; other rows only their status.
        let row_tint = if row.status == RenewalStatus::Overdue {
            tint
        } else {
            None
        };
        let cells = [
            paint(Cell::new(status_label(row.status)), color, tint),
            paint(Cell::new(e.renewal), color, row_tint),
            paint(Cell::new(when(row.days_to_renewal)), color, row_tint),
            paint(Cell::new(terminal_safe(&e.id)), color, row_tint),
            paint(Cell::new(terminal_safe(&e.title)), color, row_tint),
            paint(Cell::new(terminal_safe(&e.version)), color, row_tint),
            paint(Cell::new(terminal_safe(&e.owner)), color, row_tint),
            paint(Cell::new(terminal_safe(&e.source)), color, row_tint),
        ];
        table.add_row(cells);
    }
    for index in NARROW {
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{}", summary(report))?;
    for missing in &report.missing_read_with {
        writeln!(out, "warning: {}", terminal_safe(&missing_line(missing)))?;
    }
    Ok(())
}

fn status_color(status: RenewalStatus) -> Option<Color> {
    match status {
        RenewalStatus::Overdue => Some(Color::Red),
        RenewalStatus::Due => Some(Color::Yellow),
        RenewalStatus::Current => Some(Color::Green),
    }
}
