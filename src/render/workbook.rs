//! What the two workbooks (`audit --format xlsx`, `renewals --format
//! xlsx`) share: sheets written row by row in rust_xlsxwriter's constant
//! memory mode (each sheet's rows go to a temporary file as they are
//! made, so a run of 100,000 documents is never held as cells), text cells
//! through the one escaping layer, real dates, and a file that is the same
//! bytes for the same inputs.

use super::text::spreadsheet_text;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rust_xlsxwriter::{Color, DocProperties, Format, FormatBorder, Workbook, Worksheet};
use std::io::{Seek, Write};

/// The most rows of one sheet (Excel's limit), header included.
pub const MAX_ROWS: u32 = 1_048_576;

/// A workbook whose properties carry the as-of date, not the time it was
/// written, so that the same inputs give the same file.
pub fn new_workbook(as_of: NaiveDate, title: &str) -> Workbook {
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(spreadsheet_text(title))
        .set_author(concat!("blcheck ", env!("CARGO_PKG_VERSION")))
        .set_creation_datetime(&as_of.and_hms_opt(0, 0, 0).unwrap_or_default());
    workbook.set_properties(&properties);
    workbook
}

/// The cell formats of both workbooks.
pub struct Formats {
    pub header: Format,
    pub heading: Format,
    pub date: Format,
    pub percent: Format,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDDE3EA))
                .set_border_bottom(FormatBorder::Thin),
            heading: Format::new().set_bold().set_font_size(14),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

/// A sheet written in constant memory: rows in order, never back.
pub fn new_sheet(workbook: &mut Workbook, name: &str) -> Result<Worksheet> {
    let mut sheet = workbook
        .new_worksheet_with_constant_memory()
        .context("cannot make a temporary file for the workbook")?;
    sheet.set_name(name)?;
    Ok(sheet)
}

/// A text cell: a string, whatever it looks like (`=1+1` is not a formula).
pub fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<()> {
    if !value.is_empty() {
        sheet.write_string(row, col, spreadsheet_text(value))?;
    }
    Ok(())
}

pub fn text_with(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    format: &Format,
) -> Result<()> {
    sheet.write_string_with_format(row, col, spreadsheet_text(value), format)?;
    Ok(())
}

pub fn number(sheet: &mut Worksheet, row: u32, col: u16, value: f64) -> Result<()> {
    sheet.write_number(row, col, value)?;
    Ok(())
}

/// A real spreadsheet date, shown as yyyy-mm-dd.
pub fn date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: NaiveDate,
    f: &Formats,
) -> Result<()> {
    sheet.write_datetime_with_format(row, col, value, &f.date)?;
    Ok(())
}

/// A header row, frozen, with filter buttons over `rows` data rows below it.
pub fn header(sheet: &mut Worksheet, names: &[&str], widths: &[f64], f: &Formats) -> Result<()> {
    for (col, name) in names.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *name, &f.header)?;
        if let Some(width) = widths.get(col as usize) {
            sheet.set_column_width(col, *width)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Filter buttons on the header of a sheet with `last_row` its last row.
pub fn filter(sheet: &mut Worksheet, last_row: u32, columns: usize) -> Result<()> {
    if columns > 0 {
        sheet.autofilter(0, 0, last_row.max(1), (columns - 1) as u16)?;
    }
    Ok(())
}

/// Writes the finished workbook to `out`. The file is assembled in an
/// anonymous temporary file (the writer needs somewhere to put the parts
/// while it zips them), then copied: `out` may be a pipe.
pub fn save(mut workbook: Workbook, out: &mut dyn Write) -> Result<()> {
    let mut file = tempfile::tempfile().context("cannot make a temporary file for the workbook")?;
    workbook.save_to_writer(&mut file)?;
    file.flush()?;
    file.rewind()?;
    std::io::copy(&mut file, out)?;
    Ok(())
}
