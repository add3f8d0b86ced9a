//! `--format markdown`: a summary fit for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`: each document's status, then the failing
//! findings, each rule id linked to its documentation (`docs_url` in
//! blcheck.toml) or followed by the `blcheck explain` command.

use super::grouping::Grouping;
use super::text::{markdown_code, markdown_safe};
use crate::report::{Finding, Report, Severity, Status};
use anyhow::Result;
use std::io::Write;

/// A rule id as the report shows it. A Markdown report is read in a course
/// repository or a pull-request comment, where a relative link would point
/// at nothing: with `docs_url` (blcheck.toml) the id links to its heading
/// there, whose GitHub anchor is the id in lower case; without it, the
/// command that explains the rule.
fn rule_ref(rule: &str, name: &str, docs_url: Option<&str>) -> String {
    let id = markdown_safe(rule);
    let name = markdown_safe(name);
    match docs_url {
        // The address is checked when blcheck.toml is loaded: no space,
        // angle bracket or control character can end the destination.
        Some(url) => format!("[{id}](<{url}#{}>) {name}", rule.to_lowercase()),
        None => format!(
            "{id} {name} ({})",
            markdown_code(&format!("blcheck explain {rule}"))
        ),
    }
}

pub fn render(
    report: &Report,
    docs_url: Option<&str>,
    group_by: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let s = &report.summary;
    let verdict = if s.failed == 0 {
        "✅ All documents pass"
    } else {
        "❌ Some documents fail"
    };
    writeln!(out, "## blcheck audit: {verdict}\n")?;
    writeln!(
        out,
        "As of {}: **{}** document{} audited, **{}** passed, **{}** failed; {} error{}, {} warning{}, {} waived; {} file{} skipped{}.\n",
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
        match s.excluded_files {
            0 => String::new(),
            n => format!(", {n} excluded"),
        },
    )?;
    if let (Some(baselined), Some(fixed)) = (s.baselined, s.fixed) {
        writeln!(
            out,
            "Baseline: {baselined} known failure{} held (they do not fail the run), {fixed} fixed since.\n",
            if baselined == 1 { "" } else { "s" },
        )?;
    }
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
                "| {status} | {} | {} | {} |",
                markdown_safe(d.id.as_deref().unwrap_or("(no id)")),
                markdown_safe(&d.kind),
                markdown_code(&d.file)
            )?;
        }
        writeln!(out)?;
    }
    let listed: Vec<_> = report
        .findings
        .iter()
        .filter(|f| {
            matches!(f.status, Status::Waived | Status::Fixed) || f.severity >= Severity::Warning
        })
        .collect();
    if listed.is_empty() {
        writeln!(out, "No findings.")?;
        return Ok(());
    }
    writeln!(out, "### Findings\n")?;
    let groups = match group_by {
        Some(field) => {
            let grouping = Grouping::new(report, field);
            grouping
                .split(listed, |f| grouping.of_finding(f))
                .into_iter()
                .map(|(key, findings)| {
                    let heading = format!(
                        "#### {}: {}\n\n",
                        markdown_safe(field),
                        markdown_safe(grouping.label(&key))
                    );
                    (heading, findings)
                })
                .collect()
        }
        None => vec![(String::new(), listed)],
    };
    for (i, (heading, findings)) in groups.into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write!(out, "{heading}")?;
        findings_table(&findings, docs_url, out)?;
    }
    Ok(())
}

fn findings_table(listed: &[&Finding], docs_url: Option<&str>, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "| Rule | Severity | Status | Document | Location | Message |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for f in listed {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            rule_ref(f.rule(), f.name(), docs_url),
            f.severity,
            f.shown_status(),
            markdown_safe(f.document().as_deref().unwrap_or("-")),
            markdown_code(&f.place()),
            markdown_safe(&f.message)
        )?;
    }
    Ok(())
}
