//! A file's findings as the protocol's diagnostics: the range from the
//! finding's position to the end of the offending value, the severity
//! (a waived or baselined finding is a hint), the rule id as `code`, the rule's
//! documentation as `codeDescription` where blcheck.toml's `docs_url`
//! says it is published, and `blcheck` as the source.

use super::text::{value_end, Lines};
use crate::report::{Finding, Severity, Status};
use lsp_types::{CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Range, Url};

/// The name every diagnostic gives as its source.
pub const SOURCE: &str = "blcheck";

/// The diagnostics of one file's findings, over the file's text.
pub fn diagnostics(findings: &[Finding], text: &str, docs_url: Option<&str>) -> Vec<Diagnostic> {
    let lines = Lines::new(text);
    findings
        .iter()
        .map(|finding| diagnostic(finding, &lines, docs_url))
        .collect()
}

fn diagnostic(finding: &Finding, lines: &Lines<'_>, docs_url: Option<&str>) -> Diagnostic {
    Diagnostic {
        range: range_of(finding, lines),
        severity: Some(match (finding.status, finding.severity) {
            (Status::Waived | Status::Baselined, _) => DiagnosticSeverity::HINT,
            (_, Severity::Error) => DiagnosticSeverity::ERROR,
            (_, Severity::Warning) => DiagnosticSeverity::WARNING,
            (_, Severity::Info) => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule().to_string())),
        code_description: docs_url
            .and_then(|url| Url::parse(&format!("{url}#{}", finding.rule().to_lowercase())).ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.into()),
        message: message(finding),
        related_information: None,
        tags: None,
        // What a quick fix needs besides the range: the finding's path.
        data: finding
            .path()
            .as_ref()
            .map(|path| serde_json::json!({ "path": path, "status": finding.status })),
    }
}

/// The message an editor shows: the finding's, with the rule's name and,
/// for a waived finding, the waiver's reason.
fn message(finding: &Finding) -> String {
    let mut text = format!("{} ({})", finding.message, finding.name());
    if finding.status == Status::Waived {
        text.push_str(" [waived");
        if let Some(reason) = &finding.justification() {
            text.push_str(": ");
            text.push_str(reason);
        }
        text.push(']');
    }
    if finding.status == Status::Baselined {
        text.push_str(" [baselined: a known failure the baseline holds]");
    }
    text
}

/// From the finding's line and column to the end of the value there.
pub fn range_of(finding: &Finding, lines: &Lines<'_>) -> Range {
    let line = (finding.line as usize).saturating_sub(1);
    let column = (finding.column as usize).saturating_sub(1);
    let end = value_end(lines.line(line), column).max(column);
    Range {
        start: lines.position(line, column),
        end: lines.position(line, end),
    }
}
