//! `--format markdown`: a table for a pull-request comment or a CI step
//! summary (`>> "$GITHUB_STEP_SUMMARY"`). Every value from a register is
//! escaped, so a title cannot break the table or inject links or HTML.

use super::{missing_line, status_label, summary, when};
use crate::render::text::terminal_safe;
use crate::renewals::{RenewalReport, RenewalStatus};
use anyhow::Result;
use std::io::Write;

pub fn render(report: &RenewalReport, out: &mut Vec<u8>) -> Result<()> {
    writeln!(out, "### Policy renewals as of {}\n", report.as_of)?;
    writeln!(
        out,
        "| Status | Renewal | When | Id | Title | Version | Owner | Source |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for row in &report.documents {
        let e = &row.entry;
        let status = match row.status {
            RenewalStatus::Overdue => format!("**{}**", status_label(row.status)),
            other => status_label(other).to_string(),
        };
        writeln!(
            out,
            "| {status} | {} | {} | {} | {} | {} | {} | {} |",
            e.renewal,
            when(row.days_to_renewal),
            escape(&e.id),
            escape(&e.title),
            escape(&e.version),
            escape(&e.owner),
            escape(&e.source),
        )?;
    }
    writeln!(out, "\n{}", escape(&summary(report)))?;
    if !report.missing_read_with.is_empty() {
        writeln!(out, "\n**Read-with documents not in the register**\n")?;
        for missing in &report.missing_read_with {
            writeln!(out, "- {}", escape(&missing_line(missing)))?;
        }
    }
    Ok(())
}

/// Backslash-escapes the ASCII punctuation Markdown gives a meaning to
/// (CommonMark lets any ASCII punctuation be escaped), and turns line
/// breaks into spaces, which a table row cannot hold.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '|'
            | '!' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            // Other control characters are shown, never passed on to a
            // terminal or a renderer.
            c if c.is_control() => out.push_str(&terminal_safe(&c.to_string())),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_break_the_table() {
        assert_eq!(escape("A | B"), "A \\| B");
        assert_eq!(
            escape("*bold* [link](x) <b>"),
            "\\*bold\\* \\[link\\]\\(x\\) \\<b\\>"
        );
        assert_eq!(escape("two\nlines"), "two lines");
        assert_eq!(escape("bell\u{7}"), "bell\\u{7}");
        assert_eq!(
            escape("Behaviour, Disciplinary and Expectations"),
            "Behaviour, Disciplinary and Expectations"
        );
    }
}
