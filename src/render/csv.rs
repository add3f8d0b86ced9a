//! `--format csv`: one row per finding, or with `--all` one row per
//! document and rule (passes included), for a spreadsheet. The `csv` crate
//! quotes; cells are also protected from formula injection.

use super::text::csv_safe;
use crate::report::Report;
use anyhow::Result;
use std::io::Write;

const HEADER: [&str; 12] = [
    "file", "line", "column", "document", "kind", "rule", "name", "policy", "severity", "status",
    "path", "message",
];

pub fn render(report: &Report, all: bool, out: &mut dyn Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(&mut *out);
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
                writer.write_record(row([
                    doc.file.to_string(),
                    doc.line.to_string(),
                    doc.column.to_string(),
                    doc.id.as_deref().unwrap_or_default().to_string(),
                    doc.kind.to_string(),
                    result.rule.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    result.status.to_string(),
                    String::new(),
                    String::new(),
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
