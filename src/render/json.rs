//! `--format json`: one object, `format_version` 1, the spec's field names.

use crate::report::{AppliedConfig, AppliedPolicy, Report, Summary};
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter, Serializer};
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

/// The report's fields before its two long lists.
#[derive(Serialize)]
struct Head<'a> {
    format_version: u32,
    tool: Tool,
    as_of: String,
    policies: &'a [AppliedPolicy],
    /// The settings applied beyond the policies, when any were.
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<&'a AppliedConfig>,
    summary: &'a Summary,
}

/// The report as `serde_json::to_writer_pretty` writes the whole object,
/// byte for byte, with its two long lists, documents and findings, rendered
/// in parallel a block at a time (see [`write_list`]).
/// `config`: the settings the run applied, when any were.
pub fn render(report: &Report, config: Option<&AppliedConfig>, out: &mut dyn Write) -> Result<()> {
    let head = Head {
        format_version: 1,
        tool: Tool::blcheck(),
        as_of: report.as_of.to_string(),
        policies: &report.policies,
        config,
        summary: &report.summary,
    };
    let mut text = serde_json::to_vec_pretty(&head)?;
    // `{...\n}`: the lists follow as fields of the same object.
    text.truncate(text.len().saturating_sub(2));
    out.write_all(&text)?;
    out.write_all(b",\n  \"documents\": ")?;
    write_list(&report.documents, 1, out)?;
    out.write_all(b",\n  \"findings\": ")?;
    write_list(&report.findings, 1, out)?;
    out.write_all(b"\n}\n")?;
    Ok(())
}

/// Items of a list rendered by one task.
const BLOCK: usize = 64;

/// Items of a list rendered before any is written: enough blocks to keep
/// every thread busy between two waits for the writer (a few megabytes of
/// text at most).
const GROUP: usize = 1024;

/// A list `depth` levels into a document, as the pretty printer writes it
/// there (the report's lists are at depth 1, a top-level list at 0): each
/// item on its own lines, indented one level further. Items are rendered
/// in parallel, a group of blocks at a time, and written in order, so a
/// large report is never held whole.
pub(super) fn write_list<T: Serialize + Sync>(
    items: &[T],
    depth: usize,
    out: &mut dyn Write,
) -> Result<()> {
    if items.is_empty() {
        out.write_all(b"[]")?;
        return Ok(());
    }
    // Every item but the list's first follows a comma.
    let separator = format!(",\n{}", "  ".repeat(depth + 1));
    out.write_all(b"[")?;
    let mut first = true;
    for part in items.chunks(GROUP) {
        let blocks: Vec<Vec<u8>> = part
            .par_chunks(BLOCK)
            // A block is a task of its own: no thread waits on a long run.
            .with_max_len(1)
            .map(|block| {
                let mut text = Vec::new();
                for item in block {
                    text.extend_from_slice(separator.as_bytes());
                    item.serialize(&mut Serializer::with_formatter(
                        &mut text,
                        levels_in(depth + 1)?,
                    ))?;
                }
                Ok(text)
            })
            .collect::<Result<_>>()?;
        for block in &blocks {
            let skip = usize::from(std::mem::take(&mut first));
            out.write_all(&block[skip..])?;
        }
    }
    write!(out, "\n{}]", "  ".repeat(depth))?;
    Ok(())
}

/// serde_json's pretty printer as it stands `levels` in (two for an item
/// of one of the report's lists): an item rendered with it reads as it
/// does within the whole document. Opening arrays on a sink is how its
/// depth is set.
fn levels_in(levels: usize) -> std::io::Result<PrettyFormatter<'static>> {
    let mut formatter = PrettyFormatter::new();
    for _ in 0..levels {
        formatter.begin_array(&mut std::io::sink())?;
    }
    Ok(formatter)
}
