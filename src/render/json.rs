//! `--format json`: one object, `format_version` 1, the spec's field names.

use crate::report::{AppliedPolicy, DocumentOutcome, Finding, Report, Summary};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

/// The tool that wrote a JSON report, in every report blcheck writes.
#[derive(Serialize)]
pub(super) struct Tool {
    name: &'static str,
    version: &'static str,
}

impl Tool {
    pub(super) fn blcheck() -> Tool {
        Tool {
            name: "blcheck",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
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

pub fn render(report: &Report, out: &mut dyn Write) -> Result<()> {
    let json = JsonReport {
        format_version: 1,
        tool: Tool::blcheck(),
        as_of: report.as_of.to_string(),
        policies: &report.policies,
        summary: &report.summary,
        documents: &report.documents,
        findings: &report.findings,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")?;
    Ok(())
}
