//! `--format github`: GitHub Actions workflow commands, so each finding
//! becomes an annotation on the pull request's file and line.

use crate::report::{Report, Severity, Status};
use anyhow::Result;
use std::io::Write;

/// Escapes a command's message, as GitHub's runner decodes it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value: as data, plus `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report, out: &mut Vec<u8>) -> Result<()> {
    for f in &report.findings {
        let command = match (f.status, f.severity) {
            (Status::Waived, _) | (_, Severity::Info) => "notice",
            (_, Severity::Warning) => "warning",
            (_, Severity::Error) => "error",
        };
        let status = if f.status == Status::Waived {
            " (waived)"
        } else {
            ""
        };
        // Built-in policy files are not in the repository: annotate the run.
        let location = if f.file.starts_with("built-in:") {
            String::new()
        } else {
            format!(
                "file={},line={},col={},",
                property(&f.file),
                f.line,
                f.column
            )
        };
        writeln!(
            out,
            "::{command} {location}title={}::{}",
            property(&format!("{} {}{status}", f.rule, f.name)),
            data(&super::text::terminal_safe_keep_newlines(&f.message))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_documents() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
