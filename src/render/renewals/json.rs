//! `--format json`: the spec's shape for `renewals`, `format_version` 1,
//! plus `missing_read_with` and `problems` (see docs/renewals.md).

use super::Row;
use crate::renewals::{MissingReadWith, RenewalReport};
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct JsonRenewals<'a> {
    format_version: u32,
    as_of: String,
    within_days: u32,
    documents: Vec<Row>,
    missing_read_with: &'a [MissingReadWith],
    /// Always present, empty when the whole register was read, so that a
    /// consumer need not tell a missing field from no problem.
    problems: Vec<JsonProblem<'a>>,
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
}

pub fn render(report: &RenewalReport, out: &mut Vec<u8>) -> Result<()> {
    let json = JsonRenewals {
        format_version: 1,
        as_of: report.as_of.to_string(),
        within_days: report.within_days,
        documents: report.documents.iter().map(Row::new).collect(),
        missing_read_with: &report.missing_read_with,
        problems: report
            .problems
            .iter()
            .map(|p| JsonProblem {
                file: &p.file,
                line: p.pos.line,
                column: p.pos.column,
                message: &p.message,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.push(b'\n');
    Ok(())
}
