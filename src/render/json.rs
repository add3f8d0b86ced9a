//! `--format json`: one object, `format_version` 1, the spec's field names.

use crate::report::{AppliedPolicy, DocumentOutcome, Finding, Report, Summary};
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    format_version: u32,
    tool: Tool,
    as_of: String,
    policies: &'a [AppliedPolicy],
    summary: &'a Summary,
    documents: &'a [DocumentOutcome],
    findings: &'a [Finding],
}

pub fn render(report: &Report, out: &mut Vec<u8>) -> Result<()> {
    let json = JsonReport {
        format_version: 1,
        tool: Tool {
            name: "blcheck",
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: report.as_of.to_string(),
        policies: &report.policies,
        summary: &report.summary,
        documents: &report.documents,
        findings: &report.findings,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.push(b'\n');
    Ok(())
}
