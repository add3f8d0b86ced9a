//! `--format csv`: a header and one row per document, the JSON's fields in
//! the JSON's order, quoted by the `csv` crate; text cells are kept from
//! running as spreadsheet formulas (`text::csv_safe`, as the audit's CSV).

use super::Row;
use crate::render::text::csv_safe;
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
            *text = csv_safe(text);
        }
        writer.serialize(row)?;
    }
    writer.flush()?;
    Ok(())
}
