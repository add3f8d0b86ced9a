//! `--format csv`: a header and one row per document, the JSON's fields in
//! the JSON's order, quoted by the `csv` crate.

use super::Row;
use crate::renewals::RenewalReport;
use anyhow::Result;

pub fn render(report: &RenewalReport, out: &mut Vec<u8>) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    for renewal in &report.documents {
        let mut row = Row::new(renewal);
        for text in [
            &mut row.id,
            &mut row.title,
            &mut row.version,
            &mut row.owner,
            &mut row.source,
        ] {
            *text = spreadsheet_safe(text);
        }
        writer.serialize(row)?;
    }
    writer.flush()?;
    Ok(())
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
/// formula; text from a register must stay text, so such a cell gets a
/// leading apostrophe (the usual guard against CSV injection).
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            spreadsheet_safe("Safeguarding Policy"),
            "Safeguarding Policy"
        );
    }
}
