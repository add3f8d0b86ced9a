//! `blcheck diff` in its three formats: a terminal table, JSON, and
//! Markdown fit for a pull-request comment (a summary line, the counts per
//! rule, then collapsible lists).

use super::json::Tool;
use super::text::{markdown_cell, markdown_safe, terminal_safe};
use crate::diff::{Comparison, Item, Side};
use anyhow::Result;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::Table;
use serde::Serialize;
use std::io::Write;

/// The two files compared, as the JSON names them.
#[derive(Serialize)]
struct Compared<'a> {
    file: &'a str,
    kind: &'a str,
    format_version: Option<u64>,
    tool_version: Option<&'a str>,
    as_of: Option<&'a str>,
}

impl<'a> Compared<'a> {
    fn of(side: &'a Side) -> Compared<'a> {
        Compared {
            file: &side.file,
            kind: side.kind,
            format_version: side.format_version,
            tool_version: side.tool_version.as_deref(),
            as_of: side.as_of.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    format_version: u32,
    tool: Tool,
    old: Compared<'a>,
    new: Compared<'a>,
    #[serde(flatten)]
    comparison: &'a Comparison,
}

pub fn json(old: &Side, new: &Side, diff: &Comparison, out: &mut dyn Write) -> Result<()> {
    let value = JsonDiff {
        format_version: 1,
        tool: Tool::blcheck(),
        old: Compared::of(old),
        new: Compared::of(new),
        comparison: diff,
    };
    serde_json::to_writer_pretty(&mut *out, &value)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn place(item: &Item) -> String {
    match item.line {
        0 => item.file.clone(),
        line => format!("{}:{line}", item.file),
    }
}

fn summary_line(diff: &Comparison) -> String {
    let s = &diff.summary;
    format!(
        "{} new, {} fixed, {} still failing",
        s.new, s.fixed, s.still_failing
    )
}

pub fn table(old: &Side, new: &Side, diff: &Comparison, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "{} → {}: {}.",
        terminal_safe(&old.file),
        terminal_safe(&new.file),
        summary_line(diff)
    )?;
    for note in &diff.notes {
        writeln!(out, "note: {}", terminal_safe(note))?;
    }
    if !diff.rules.is_empty() {
        let mut counts = Table::new();
        counts.load_preset(UTF8_FULL_CONDENSED).force_no_tty();
        counts.set_header(["Policy", "Rule", "New", "Fixed", "Still failing"]);
        for r in &diff.rules {
            counts.add_row([
                terminal_safe(r.policy.as_deref().unwrap_or("-")),
                terminal_safe(&r.rule),
                r.counts.new.to_string(),
                r.counts.fixed.to_string(),
                r.counts.still_failing.to_string(),
            ]);
        }
        writeln!(out, "{counts}")?;
    }
    for (title, items) in [("New", &diff.new), ("Fixed", &diff.fixed)] {
        if items.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        for item in items {
            writeln!(
                out,
                "  {} {} {}: {}",
                terminal_safe(&item.rule),
                terminal_safe(item.document.as_deref().unwrap_or("-")),
                terminal_safe(&place(item)),
                terminal_safe(&item.message)
            )?;
        }
    }
    Ok(())
}

pub fn markdown(old: &Side, new: &Side, diff: &Comparison, out: &mut dyn Write) -> Result<()> {
    let verdict = if diff.fails() {
        "❌ new failures"
    } else {
        "✅ nothing new fails"
    };
    writeln!(out, "## blcheck diff: {verdict}\n")?;
    writeln!(
        out,
        "{} → {}: **{}** new, **{}** fixed, **{}** still failing.\n",
        markdown_safe(&old.file),
        markdown_safe(&new.file),
        diff.summary.new,
        diff.summary.fixed,
        diff.summary.still_failing
    )?;
    for note in &diff.notes {
        writeln!(out, "> Note: {}\n", markdown_safe(note))?;
    }
    if !diff.rules.is_empty() {
        writeln!(out, "| Policy | Rule | New | Fixed | Still failing |")?;
        writeln!(out, "|---|---|---:|---:|---:|")?;
        for r in &diff.rules {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                markdown_cell(&markdown_safe(r.policy.as_deref().unwrap_or("-"))),
                markdown_cell(&markdown_safe(&r.rule)),
                r.counts.new,
                r.counts.fixed,
                r.counts.still_failing
            )?;
        }
        writeln!(out)?;
    }
    for (title, items) in [
        ("New", &diff.new),
        ("Fixed", &diff.fixed),
        ("Still failing", &diff.still_failing),
    ] {
        if items.is_empty() {
            continue;
        }
        writeln!(
            out,
            "<details><summary>{title} ({})</summary>\n",
            items.len()
        )?;
        for item in items {
            writeln!(
                out,
                "- **{}** {} ({}): {}",
                markdown_safe(&item.rule),
                markdown_safe(item.document.as_deref().unwrap_or("-")),
                markdown_safe(&place(item)),
                markdown_safe(&item.message)
            )?;
        }
        writeln!(out, "\n</details>\n")?;
    }
    Ok(())
}
