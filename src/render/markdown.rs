//! `--format markdown`: a summary fit for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`: each document's status, then the failing
//! findings, with rule ids linked to their documentation.

use super::text::{markdown_safe, terminal_safe};
use crate::report::{Report, Severity, Status};
use anyhow::Result;
use std::io::Write;

/// Where rule ids link to: the generated rule docs, by anchor.
const RULES_DOC: &str = "docs/rules.md";

fn rule_link(rule: &str) -> String {
    format!("[{rule}]({RULES_DOC}#{})", rule.to_lowercase())
}

/// Text for a code span: control characters shown as by `terminal_safe`
/// (a code span shows them raw), and a backtick, which would end the span,
/// as `'`.
fn code(text: &str) -> String {
    terminal_safe(text).replace('`', "'")
}

pub fn render(report: &Report, out: &mut Vec<u8>) -> Result<()> {
    let s = &report.summary;
    let verdict = if s.failed == 0 {
        "✅ All documents pass"
    } else {
        "❌ Some documents fail"
    };
    writeln!(out, "## blcheck audit: {verdict}\n")?;
    writeln!(
        out,
        "As of {}: **{}** document{} audited, **{}** passed, **{}** failed; {} error{}, {} warning{}, {} waived; {} file{} skipped.\n",
        report.as_of,
        s.documents,
        if s.documents == 1 { "" } else { "s" },
        s.passed,
        s.failed,
        s.errors,
        if s.errors == 1 { "" } else { "s" },
        s.warnings,
        if s.warnings == 1 { "" } else { "s" },
        s.waived,
        s.skipped_files,
        if s.skipped_files == 1 { "" } else { "s" },
    )?;
    if !report.policies.is_empty() {
        let list: Vec<String> = report
            .policies
            .iter()
            .map(|p| {
                format!(
                    "{} {} (renewal {}{})",
                    markdown_safe(&p.id),
                    markdown_safe(&p.version),
                    p.renewal,
                    if p.overdue { ", **overdue**" } else { "" }
                )
            })
            .collect();
        writeln!(out, "Policies applied: {}.\n", list.join("; "))?;
    }
    if !report.documents.is_empty() {
        writeln!(out, "| Status | Document | Kind | File |")?;
        writeln!(out, "|---|---|---|---|")?;
        for d in &report.documents {
            let status = if d.status == Status::Fail {
                "❌ fail"
            } else {
                "✅ pass"
            };
            writeln!(
                out,
                "| {status} | {} | {} | `{}` |",
                markdown_safe(d.id.as_deref().unwrap_or("(no id)")),
                markdown_safe(&d.kind),
                code(&d.file)
            )?;
        }
        writeln!(out)?;
    }
    let listed: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Waived || f.severity >= Severity::Warning)
        .collect();
    if listed.is_empty() {
        writeln!(out, "No findings.")?;
        return Ok(());
    }
    writeln!(out, "### Findings\n")?;
    writeln!(
        out,
        "| Rule | Severity | Status | Document | Location | Message |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for f in listed {
        writeln!(
            out,
            "| {} {} | {} | {} | {} | `{}:{}:{}` | {} |",
            rule_link(&f.rule),
            markdown_safe(&f.name),
            f.severity,
            f.shown_status(),
            markdown_safe(f.document.as_deref().unwrap_or("-")),
            code(&f.file),
            f.line,
            f.column,
            markdown_safe(&f.message)
        )?;
    }
    Ok(())
}
