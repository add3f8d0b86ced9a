//! `--format csv`: one row per finding, or with `--all` one row per
//! document and rule (passes included, with the rule's name, policy and
//! severity, so that the rows can be pivoted), for a spreadsheet. The `csv`
//! crate quotes; cells are also protected from formula injection. The
//! dialect (`--csv-dialect`) sets the byte-order mark and line ends.

use super::formats::CsvDialect;
use super::text::csv_safe;
use super::ReportView;
use anyhow::Result;
use std::io::Write;

const HEADER: [&str; 12] = [
    "file", "line", "column", "document", "kind", "rule", "name", "policy", "severity", "status",
    "path", "message",
];

/// The UTF-8 byte-order mark: how a spreadsheet application knows that a
/// CSV file is UTF-8 rather than the system's code page.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer in `dialect`, the byte-order mark written already.
pub fn writer(dialect: CsvDialect, out: &mut dyn Write) -> Result<csv::Writer<&mut dyn Write>> {
    if dialect == CsvDialect::Excel {
        out.write_all(BOM)?;
    }
    // Both dialects end lines with CRLF: RFC 4180 says so, and Excel on
    // every platform reads it.
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

pub fn render(
    view: &ReportView<'_>,
    all: bool,
    dialect: CsvDialect,
    out: &mut dyn Write,
) -> Result<()> {
    let report = view.report;
    let mut writer = writer(dialect, out)?;
    writer.write_record(HEADER)?;
    let row = |cells: [String; 12]| -> [String; 12] { cells.map(|c| csv_safe(&c)) };
    if all {
        for (index, doc) in report.documents.iter().enumerate() {
            // Failing and waived results are listed with their findings below.
            let found: Vec<&str> = report.findings_of(index).map(|f| &*f.rule).collect();
            for result in &doc.results {
                if found.contains(&&*result.rule) {
                    continue;
                }
                let (policy, rule) = match view.policies.rule(&result.rule) {
                    Some((policy, rule)) => (Some(policy), Some(rule)),
                    None => (None, None),
                };
                writer.write_record(row([
                    doc.file.to_string(),
                    doc.line.to_string(),
                    doc.column.to_string(),
                    doc.id.as_deref().unwrap_or_default().to_string(),
                    doc.kind.to_string(),
                    result.rule.to_string(),
                    rule.map(|r| r.name.to_string()).unwrap_or_default(),
                    policy.map(|p| p.id.to_string()).unwrap_or_default(),
                    rule.map(|r| r.severity.to_string()).unwrap_or_default(),
                    result.status.to_string(),
                    String::new(),
                    rule.map(|r| r.title.clone()).unwrap_or_default(),
                ]))?;
            }
        }
    }
    for f in &report.findings {
        writer.write_record(row([
            f.file.to_string(),
            f.line.to_string(),
            f.column.to_string(),
            f.document.as_deref().unwrap_or_default().to_string(),
            f.kind.as_deref().unwrap_or_default().to_string(),
            f.rule.to_string(),
            f.name.to_string(),
            f.policy.as_deref().unwrap_or_default().to_string(),
            f.severity.to_string(),
            f.status.to_string(),
            f.path.clone().unwrap_or_default(),
            f.message.clone(),
        ]))?;
    }
    writer.flush()?;
    Ok(())
}
