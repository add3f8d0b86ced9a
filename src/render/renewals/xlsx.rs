//! `--format xlsx`: the register as a workbook. Sheet Renewals: one row per
//! document, the JSON's fields, with issued and renewal as real dates and
//! the days to renewal as a number; then the register's problems, status
//! `problem`, as the CSV lists them. Sheet Read with: the documents a
//! policy must be read with (`read_with`) that the register lacks.

use crate::render::workbook::{self, Formats};
use crate::renewals::RenewalReport;
use anyhow::Result;
use std::io::Write;

const HEADER: [&str; 9] = [
    "Id",
    "Title",
    "Version",
    "Owner",
    "Issued",
    "Renewal",
    "Days to renewal",
    "Status",
    "Source",
];

pub fn render(report: &RenewalReport, out: &mut dyn Write) -> Result<()> {
    let mut book = workbook::new_workbook(report.as_of, "Policy renewals");
    let f = Formats::new();
    let mut sheet = workbook::new_sheet(&mut book, "Renewals")?;
    workbook::header(
        &mut sheet,
        &HEADER,
        &[24.0, 40.0, 9.0, 24.0, 11.0, 11.0, 9.0, 10.0, 40.0],
        &f,
    )?;
    let mut row = 1;
    for renewal in &report.documents {
        let e = &renewal.entry;
        workbook::text(&mut sheet, row, 0, &e.id)?;
        workbook::text(&mut sheet, row, 1, &e.title)?;
        workbook::text(&mut sheet, row, 2, &e.version)?;
        workbook::text(&mut sheet, row, 3, &e.owner)?;
        workbook::date(&mut sheet, row, 4, e.issued, &f)?;
        workbook::date(&mut sheet, row, 5, e.renewal, &f)?;
        workbook::number(&mut sheet, row, 6, renewal.days_to_renewal as f64)?;
        workbook::text(&mut sheet, row, 7, renewal.status.as_str())?;
        workbook::text(&mut sheet, row, 8, &e.source)?;
        row += 1;
    }
    for problem in &report.problems {
        workbook::text(&mut sheet, row, 1, &problem.message)?;
        workbook::text(&mut sheet, row, 7, "problem")?;
        workbook::text(
            &mut sheet,
            row,
            8,
            &format!("{}:{}", problem.file, problem.pos),
        )?;
        row += 1;
    }
    workbook::filter(&mut sheet, row - 1, HEADER.len())?;
    book.push_worksheet(sheet);
    let mut missing = workbook::new_sheet(&mut book, "Read with")?;
    workbook::header(
        &mut missing,
        &["Policy", "Must be read with", "In the register"],
        &[24.0, 50.0, 16.0],
        &f,
    )?;
    let mut row = 1;
    for m in &report.missing_read_with {
        workbook::text(&mut missing, row, 0, &m.policy)?;
        workbook::text(&mut missing, row, 1, &m.title)?;
        workbook::text(&mut missing, row, 2, "no")?;
        row += 1;
    }
    workbook::filter(&mut missing, row - 1, 3)?;
    book.push_worksheet(missing);
    workbook::save(book, out)
}
