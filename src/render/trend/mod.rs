//! `blcheck trend`: compliance per policy and rule over the runs of a
//! history (`audit --history`), as a terminal table with sparklines, JSON,
//! Markdown, or an HTML page with an inline SVG chart (`chart.rs`, which
//! the audit's HTML report draws too).

pub mod chart;

use super::json::Tool;
use super::text::{markdown_cell, markdown_safe, terminal_safe};
use crate::history::{Record, Tally};
use anyhow::Result;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::Table;
use maud::{html, PreEscaped, DOCTYPE};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;

/// One policy's or rule's share of passing documents, run by run (`None`
/// where it had no result).
#[derive(Debug, Clone, Serialize)]
pub struct Series<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<&'a str>,
    pub points: Vec<Option<f64>>,
    /// Its counts in the last run it had a result in.
    pub last: Option<&'a Tally>,
}

fn series<'a>(records: &'a [Record], tallies: fn(&Record) -> &[Tally]) -> Vec<Series<'a>> {
    let mut by_id: BTreeMap<&str, Series<'a>> = BTreeMap::new();
    for (run, record) in records.iter().enumerate() {
        for tally in tallies(record) {
            let entry = by_id.entry(&tally.id).or_insert_with(|| Series {
                id: &tally.id,
                policy: tally.policy.as_deref(),
                points: vec![None; records.len()],
                last: None,
            });
            entry.points[run] = tally.percent();
            entry.last = Some(tally);
        }
    }
    by_id.into_values().collect()
}

/// Every policy of the history, by id.
pub fn policy_series(records: &[Record]) -> Vec<Series<'_>> {
    series(records, |r| &r.by_policy)
}

/// Every rule of the history, by id.
pub fn rule_series(records: &[Record]) -> Vec<Series<'_>> {
    series(records, |r| &r.by_rule)
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The points as a sparkline, 0% the lowest bar and 100% the highest; a
/// run without a result is a space.
pub fn sparkline(points: &[Option<f64>]) -> String {
    points
        .iter()
        .map(|p| match p {
            Some(p) => BARS[((p.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize],
            None => ' ',
        })
        .collect()
}

fn percent(p: Option<f64>) -> String {
    p.map_or("-".to_string(), |p| format!("{p:.0}%"))
}

/// The first and last results of a series, and the change between them.
fn ends(points: &[Option<f64>]) -> (Option<f64>, Option<f64>, String) {
    let first = points.iter().copied().flatten().next();
    let last = points.iter().copied().flatten().last();
    let change = match (first, last) {
        (Some(a), Some(b)) => format!("{:+.0}", b - a),
        _ => "-".to_string(),
    };
    (first, last, change)
}

fn span(records: &[Record]) -> String {
    match (records.first(), records.last()) {
        (Some(first), Some(last)) => format!(
            "{} run{}, {} to {}",
            records.len(),
            if records.len() == 1 { "" } else { "s" },
            first.as_of,
            last.as_of
        ),
        _ => "no runs".to_string(),
    }
}

pub fn table(records: &[Record], out: &mut dyn Write) -> Result<()> {
    writeln!(out, "Compliance over {}.", terminal_safe(&span(records)))?;
    for (title, all) in [
        ("Policy", policy_series(records)),
        ("Rule", rule_series(records)),
    ] {
        if all.is_empty() {
            continue;
        }
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED).force_no_tty();
        t.set_header([title, "First", "Last", "Change", "Trend", "Failing now"]);
        for s in &all {
            let (first, last, change) = ends(&s.points);
            t.add_row([
                terminal_safe(s.id),
                percent(first),
                percent(last),
                change,
                sparkline(&s.points),
                s.last.map_or(0, |t| t.failed).to_string(),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonTrend<'a> {
    format_version: u32,
    tool: Tool,
    runs: Vec<Run<'a>>,
    policies: Vec<Series<'a>>,
    rules: Vec<Series<'a>>,
}

#[derive(Serialize)]
struct Run<'a> {
    as_of: &'a str,
    documents: usize,
    passed: usize,
    failed: usize,
    errors: usize,
    warnings: usize,
    waived: usize,
    baselined: Option<usize>,
}

pub fn json(records: &[Record], out: &mut dyn Write) -> Result<()> {
    let value = JsonTrend {
        format_version: 1,
        tool: Tool::blcheck(),
        runs: records
            .iter()
            .map(|r| Run {
                as_of: &r.as_of,
                documents: r.documents,
                passed: r.passed,
                failed: r.failed,
                errors: r.errors,
                warnings: r.warnings,
                waived: r.waived,
                baselined: r.baselined,
            })
            .collect(),
        policies: policy_series(records),
        rules: rule_series(records),
    };
    serde_json::to_writer_pretty(&mut *out, &value)?;
    out.write_all(b"\n")?;
    Ok(())
}

pub fn markdown(records: &[Record], out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "## blcheck trend\n\nCompliance over {}.\n",
        markdown_safe(&span(records))
    )?;
    for (title, all) in [
        ("Policy", policy_series(records)),
        ("Rule", rule_series(records)),
    ] {
        if all.is_empty() {
            continue;
        }
        writeln!(
            out,
            "| {title} | First | Last | Change | Trend | Failing now |"
        )?;
        writeln!(out, "|---|---:|---:|---:|---|---:|")?;
        for s in &all {
            let (first, last, change) = ends(&s.points);
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                markdown_cell(&markdown_safe(s.id)),
                percent(first),
                percent(last),
                change,
                sparkline(&s.points),
                s.last.map_or(0, |t| t.failed)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}\
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:right}\
th:first-child,td:first-child{text-align:left}.legend{list-style:none;padding:0}figure{margin:1rem 0}";

pub fn html(records: &[Record], out: &mut dyn Write) -> Result<()> {
    let digest = Sha256::digest(STYLE.as_bytes());
    let csp = format!(
        "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest)
    );
    let span = span(records);
    let rules = rule_series(records);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(csp);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "blcheck compliance trend: " (span) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Compliance trend" }
                p { "Over " (span) ". Each point is the share of documents passing a policy (waived counted as passing)." }
                (chart::chart(records))
                @if !rules.is_empty() {
                    h2 { "Rules" }
                    table {
                        thead { tr { th { "Rule" } th { "Policy" } th { "First" } th { "Last" } th { "Change" } th { "Trend" } th { "Failing now" } } }
                        tbody {
                            @for s in &rules {
                                @let (first, last, change) = ends(&s.points);
                                tr {
                                    td { (s.id) }
                                    td { (s.policy.unwrap_or("-")) }
                                    td { (percent(first)) }
                                    td { (percent(last)) }
                                    td { (change) }
                                    td aria-label=(format!("{} runs", s.points.len())) { (sparkline(&s.points)) }
                                    td { (s.last.map_or(0, |t| t.failed)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    out.write_all(page.into_string().as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_span_nought_to_a_hundred() {
        assert_eq!(
            sparkline(&[Some(0.0), Some(50.0), None, Some(100.0)]),
            "▁▅ █"
        );
    }
}
