//! `--format csv`: one row per finding, or with `--all` one row per
//! document and rule (passes included, with the rule's name, policy and
//! severity, so that the rows can be pivoted), for a spreadsheet. The `csv`
//! crate quotes; cells are also protected from formula injection. The
//! dialect (`--csv-dialect`) sets the byte-order mark and line ends. With
//! `--group-by FIELD` the first column is the field's value and the rows
//! come group by group.

use super::formats::CsvDialect;
use super::grouping::{GroupKey, Grouping};
use super::text::csv_safe;
use super::ReportView;
use crate::report::Finding;
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
    let grouping = view.group_by.map(|field| Grouping::new(report, field));
    let mut header: Vec<&str> = grouping.iter().map(|g| g.field).collect();
    header.extend(HEADER);
    writer.write_record(&header)?;
    // Without --group-by, one group holding everything, in report order.
    let documents: Vec<(GroupKey, Vec<usize>)> = match &grouping {
        Some(g) => g.split(0..report.documents.len(), |&d| g.of_document(d)),
        None => vec![(GroupKey::Missing, (0..report.documents.len()).collect())],
    };
    let findings: Vec<(GroupKey, Vec<&Finding>)> = match &grouping {
        Some(g) => g.split(report.findings.iter(), |f| g.of_finding(f)),
        None => vec![(GroupKey::Missing, report.findings.iter().collect())],
    };
    let mut keys: Vec<&GroupKey> = documents.iter().map(|(k, _)| k).collect();
    keys.extend(findings.iter().map(|(k, _)| k));
    keys.sort();
    keys.dedup();
    for key in keys {
        let label = grouping.as_ref().map(|g| csv_safe(g.label(key)));
        let mut row = |cells: [String; 12]| -> csv::Result<()> {
            let cells = cells.map(|c| csv_safe(&c));
            match &label {
                Some(label) => writer.write_record(std::iter::once(label).chain(cells.iter())),
                None => writer.write_record(&cells),
            }
        };
        if all {
            let docs = documents
                .iter()
                .filter(|(k, _)| k == key)
                .flat_map(|(_, d)| d);
            for &index in docs {
                let doc = &report.documents[index];
                // Failing and waived results are listed with their findings below.
                let found: Vec<&str> = report.findings_of(index).map(|f| &**f.rule()).collect();
                for result in doc.results() {
                    if found.contains(&&*result.rule) {
                        continue;
                    }
                    let (policy, rule) = match view.policies.rule(&result.rule) {
                        Some((policy, rule)) => (Some(policy), Some(rule)),
                        None => (None, None),
                    };
                    row([
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
                    ])?;
                }
            }
        }
        for f in findings
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, f)| f)
        {
            row([
                f.file().to_string(),
                f.line.to_string(),
                f.column.to_string(),
                f.document().as_deref().unwrap_or_default().to_string(),
                f.kind().as_deref().unwrap_or_default().to_string(),
                f.rule().to_string(),
                f.name().to_string(),
                f.policy().as_deref().unwrap_or_default().to_string(),
                f.severity.to_string(),
                f.status.to_string(),
                f.path().unwrap_or_default().to_string(),
                f.message.to_string(),
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}
