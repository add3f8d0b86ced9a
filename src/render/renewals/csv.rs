//! `--format csv`: a header and one row per document, the JSON's fields in
//! the JSON's order, quoted by the `csv` crate; text cells are kept from
//! running as spreadsheet formulas (`text::csv_safe`, as the audit's CSV).
//! Then one row per problem of the register: status `problem`, the message
//! as its title and `file:line:column` as its source, so that a filter on
//! the status column shows them.

use super::Row;
use crate::render::formats::CsvDialect;
use crate::render::text::csv_safe;
use crate::renewals::RenewalReport;
use anyhow::Result;
use serde::Serialize;

/// A problem as a row under the documents' header: the same field names, so
/// that whichever row comes first writes the same header.
#[derive(Serialize)]
struct ProblemRow {
    id: &'static str,
    title: String,
    version: &'static str,
    owner: &'static str,
    issued: &'static str,
    renewal: &'static str,
    days_to_renewal: Option<i64>,
    status: &'static str,
    source: String,
}

pub fn render(report: &RenewalReport, dialect: CsvDialect, out: &mut Vec<u8>) -> Result<()> {
    let mut writer = crate::render::csv::writer(dialect, out)?;
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
    for problem in &report.problems {
        writer.serialize(ProblemRow {
            id: "",
            title: csv_safe(&problem.message),
            version: "",
            owner: "",
            issued: "",
            renewal: "",
            days_to_renewal: None,
            status: "problem",
            source: csv_safe(&format!("{}:{}", problem.file, problem.pos)),
        })?;
    }
    writer.flush()?;
    Ok(())
}
