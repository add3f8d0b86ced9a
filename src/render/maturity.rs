//! `blcheck maturity`: an assessment's levels as a table with a bar chart,
//! one JSON object (`format_version` 1, shape in docs/maturity.md), or
//! Markdown. Each lists the problems found in the assessment after the score.

use super::formats::MaturityFormat;
use super::json::Tool;
use super::table::{findings_table, fitted_table, keep_whole};
use super::text::{markdown_code, markdown_safe as md, terminal_safe};
use super::{write_each, Destination, ReportFormat};
use crate::checks::format_number;
use crate::maturity::{Assessment, DimensionScore, Model, Score, Statement};
use crate::report::Finding;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

impl ReportFormat for MaturityFormat {
    const STDOUT: Self = MaturityFormat::Table;
    const EXTENSIONS: &'static [(&'static str, Self)] = &[
        ("json", MaturityFormat::Json),
        ("md", MaturityFormat::Markdown),
        ("markdown", MaturityFormat::Markdown),
        ("html", MaturityFormat::Html),
        ("htm", MaturityFormat::Html),
        ("txt", MaturityFormat::Table),
    ];
}

/// What the maturity renderers read.
pub struct MaturityOutput<'a> {
    pub model: &'a Model,
    pub assessment: &'a Assessment<'a>,
    pub score: &'a Score<'a>,
    /// The DOC findings about the assessment, sorted.
    pub findings: &'a [Finding],
    /// The earlier assessment of `--compare`, scored.
    pub previous: Option<Previous<'a>>,
}

/// An earlier assessment and its score, to show the change since.
#[derive(Clone, Copy)]
pub struct Previous<'a> {
    pub assessment: &'a Assessment<'a>,
    pub score: &'a Score<'a>,
}

/// How one dimension changed since the earlier assessment.
pub struct Change<'a> {
    pub dimension: &'a str,
    pub name: &'a str,
    pub was: u8,
    pub now: u8,
    /// Statements met now and not then, and met then and not now.
    pub newly_met: Vec<&'a Statement>,
    pub no_longer_met: Vec<&'a Statement>,
}

/// The change of every dimension, in the model's order.
pub fn changes<'a>(now: &'a Score<'a>, was: &'a Score<'a>) -> Vec<Change<'a>> {
    now.dimensions
        .iter()
        .zip(&was.dimensions)
        .map(|(n, w)| Change {
            dimension: &n.dimension.id,
            name: &n.dimension.name,
            was: w.level,
            now: n.level,
            newly_met: n
                .met
                .iter()
                .copied()
                .filter(|s| !w.met.contains(s))
                .collect(),
            no_longer_met: w
                .met
                .iter()
                .copied()
                .filter(|s| !n.met.contains(s))
                .collect(),
        })
        .collect()
}

/// `1 → 2 (+1)`, `3 → 3 (=)`, `2 → 1 (-1)`.
fn movement(was: u8, now: u8) -> String {
    let delta = i16::from(now) - i16::from(was);
    let sign = match delta {
        0 => "=".to_string(),
        d if d > 0 => format!("+{d}"),
        d => d.to_string(),
    };
    format!("{was} → {now} ({sign})")
}

/// "since ACME-2024 (last.yaml), assessed 2024-10-01".
fn since(previous: &Previous<'_>) -> String {
    let a = previous.assessment;
    let mut text = format!("since {}", heading(a));
    text.push_str(&format!(" in {}", a.file));
    text
}

/// Renders the report in every planned format and writes each rendering.
pub fn write(output: &MaturityOutput<'_>, plan: &[(MaturityFormat, Destination)]) -> Result<()> {
    write_each(plan, |format, _, out| match format {
        MaturityFormat::Table => table(output, out),
        MaturityFormat::Json => json(output, out),
        MaturityFormat::Markdown => markdown(output, out),
        MaturityFormat::Html => {
            let panel = super::maturity_chart::MaturityPanel::new(
                output.model,
                output.assessment,
                output.score,
                output.previous.map(|p| (p.assessment, p.score)),
            );
            writeln!(out, "{}", super::maturity_chart::page(&panel).into_string())?;
            Ok(())
        }
    })
}

/// `███░`: one block per level reached, one shade per level still to reach.
fn bar(level: u8, top: u8) -> String {
    let reached = usize::from(level.min(top));
    "█".repeat(reached) + &"░".repeat(usize::from(top) - reached)
}

/// "Acme (ACME-2025), assessed 2025-10-01 by Head of Quality", with what the
/// assessment leaves out left out.
fn heading(a: &Assessment<'_>) -> String {
    let mut text = match (a.organisation, a.id) {
        (Some(organisation), Some(id)) => format!("{organisation} ({id})"),
        (Some(name), None) | (None, Some(name)) => name.to_string(),
        (None, None) => "an unnamed organisation".to_string(),
    };
    if let Some(date) = &a.assessed {
        text.push_str(&format!(", assessed {date}"));
    }
    if let Some(assessor) = a.assessor {
        text.push_str(&format!(" by {assessor}"));
    }
    text
}

fn claims_line(a: &Assessment<'_>) -> String {
    format!(
        "{} claim{} listed, {} counted",
        a.claims.total,
        if a.claims.total == 1 { "" } else { "s" },
        a.claims.counted.len()
    )
}

fn overall_line(output: &MaturityOutput<'_>) -> String {
    let score = output.score;
    let why = match score.overall {
        1 => "the baseline, as a level-2 statement is not met".to_string(),
        2 => "every level-2 statement met".to_string(),
        level => format!("every statement of levels 2 to {level} met"),
    };
    format!(
        "Overall level {} ({}), {why}; median of the dimensions {}.",
        score.overall,
        output.model.level_name(score.overall),
        format_number(score.median)
    )
}

/// "Overall 1 → 2 (+1) since ...; median 1.5 → 2.5."
fn change_line(output: &MaturityOutput<'_>, previous: &Previous<'_>) -> String {
    format!(
        "Overall {} {}; median {} → {}.",
        movement(previous.score.overall, output.score.overall),
        since(previous),
        format_number(previous.score.median),
        format_number(output.score.median)
    )
}

fn problems_line(count: usize) -> String {
    format!(
        "{count} problem{} in the assessment; a claim with an unknown indicator or no evidence does not count:",
        if count == 1 { "" } else { "s" }
    )
}

fn table(output: &MaturityOutput<'_>, out: &mut Vec<u8>) -> Result<()> {
    let a = output.assessment;
    let top = output.model.top_level();
    writeln!(out, "Maturity of {}", terminal_safe(&heading(a)))?;
    writeln!(
        out,
        "{}: {}, against the {}.\n",
        terminal_safe(a.file),
        claims_line(a),
        terminal_safe(&output.model.title)
    )?;
    let mut table = fitted_table();
    let mut header = vec!["Dimension", "Level"];
    if output.previous.is_some() {
        header.push("Change");
    }
    header.extend(["Met", "Next", "Still needed for the next level"]);
    table.set_header(header);
    let changes = output
        .previous
        .map(|p| changes(output.score, p.score))
        .unwrap_or_default();
    for (i, d) in output.score.dimensions.iter().enumerate() {
        // The model's text too: one escaping layer for every text shown.
        let met: Vec<String> = d.met.iter().map(|s| terminal_safe(&s.id)).collect();
        let needed: Vec<String> = d
            .needed
            .iter()
            .map(|s| format!("{}: {}", terminal_safe(&s.id), terminal_safe(&s.text)))
            .collect();
        let mut row = vec![
            terminal_safe(&d.dimension.name),
            format!("{} {}", bar(d.level, top), d.level),
        ];
        if let Some(change) = changes.get(i) {
            let mut cell = movement(change.was, change.now);
            for s in &change.newly_met {
                cell.push_str(&format!("\n+ {}", terminal_safe(&s.id)));
            }
            for s in &change.no_longer_met {
                cell.push_str(&format!("\n- {}", terminal_safe(&s.id)));
            }
            row.push(cell);
        }
        row.extend([
            if met.is_empty() {
                "-".to_string()
            } else {
                met.join("\n")
            },
            d.next_level.map_or("-".to_string(), |l| l.to_string()),
            if needed.is_empty() {
                "top level reached".to_string()
            } else {
                needed.join("\n")
            },
        ]);
        table.add_row(row);
    }
    let whole = if output.previous.is_some() {
        1..5
    } else {
        1..4
    };
    keep_whole(&mut table, whole);
    writeln!(out, "{table}")?;
    writeln!(out, "{}", overall_line(output))?;
    if let Some(previous) = &output.previous {
        writeln!(out, "{}", terminal_safe(&change_line(output, previous)))?;
    }
    if output.findings.is_empty() {
        writeln!(out, "No problems in the assessment.")?;
    } else {
        writeln!(out, "\n{}", problems_line(output.findings.len()))?;
        let rows: Vec<&Finding> = output.findings.iter().collect();
        writeln!(out, "{}", findings_table(&rows, false))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    format_version: u32,
    tool: Tool,
    model: JsonModel<'a>,
    assessment: JsonAssessment<'a>,
    overall: JsonOverall<'a>,
    dimensions: Vec<JsonDimension<'a>>,
    findings: &'a [Finding],
    /// `--compare`: the earlier assessment and the change since; `null`
    /// without it.
    compared_with: Option<JsonComparison<'a>>,
}

#[derive(Serialize)]
struct JsonComparison<'a> {
    assessment: JsonAssessment<'a>,
    overall: JsonOverall<'a>,
    dimensions: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    id: &'a str,
    was: u8,
    now: u8,
    change: i16,
    newly_met: Vec<&'a str>,
    no_longer_met: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonModel<'a> {
    id: &'a str,
    title: &'a str,
    levels: Vec<JsonLevel<'a>>,
}

#[derive(Serialize)]
struct JsonLevel<'a> {
    level: u8,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonAssessment<'a> {
    file: &'a str,
    id: Option<&'a str>,
    organisation: Option<&'a str>,
    assessed: Option<&'a str>,
    assessor: Option<&'a str>,
    claims: usize,
    counted: usize,
}

#[derive(Serialize)]
struct JsonOverall<'a> {
    level: u8,
    name: &'a str,
    median: f64,
}

#[derive(Serialize)]
struct JsonDimension<'a> {
    id: &'a str,
    name: &'a str,
    level: u8,
    level_name: &'a str,
    next_level: Option<u8>,
    met: Vec<JsonMet<'a>>,
    needed: Vec<JsonStatement<'a>>,
}

#[derive(Serialize)]
struct JsonMet<'a> {
    indicator: &'a str,
    level: u8,
    evidence: &'a str,
}

#[derive(Serialize)]
struct JsonStatement<'a> {
    indicator: &'a str,
    level: u8,
    text: &'a str,
}

fn json(output: &MaturityOutput<'_>, out: &mut Vec<u8>) -> Result<()> {
    let (model, a, score) = (output.model, output.assessment, output.score);
    let report = JsonReport {
        format_version: 1,
        tool: Tool::blcheck(),
        model: JsonModel {
            id: &model.id,
            title: &model.title,
            levels: model
                .levels
                .iter()
                .map(|l| JsonLevel {
                    level: l.level,
                    name: &l.name,
                })
                .collect(),
        },
        assessment: json_assessment(a),
        overall: json_overall(model, score),
        dimensions: score
            .dimensions
            .iter()
            .map(|d| dimension(model, a, d))
            .collect(),
        findings: output.findings,
        compared_with: output.previous.map(|p| JsonComparison {
            assessment: json_assessment(p.assessment),
            overall: json_overall(model, p.score),
            dimensions: changes(score, p.score)
                .into_iter()
                .map(|c| JsonChange {
                    id: c.dimension,
                    was: c.was,
                    now: c.now,
                    change: i16::from(c.now) - i16::from(c.was),
                    newly_met: c.newly_met.iter().map(|s| s.id.as_str()).collect(),
                    no_longer_met: c.no_longer_met.iter().map(|s| s.id.as_str()).collect(),
                })
                .collect(),
        }),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.push(b'\n');
    Ok(())
}

fn json_assessment<'a>(a: &'a Assessment<'a>) -> JsonAssessment<'a> {
    JsonAssessment {
        file: a.file,
        id: a.id,
        organisation: a.organisation,
        assessed: a.assessed.as_deref(),
        assessor: a.assessor,
        claims: a.claims.total,
        counted: a.claims.counted.len(),
    }
}

fn json_overall<'a>(model: &'a Model, score: &Score<'_>) -> JsonOverall<'a> {
    JsonOverall {
        level: score.overall,
        name: model.level_name(score.overall),
        median: score.median,
    }
}

fn dimension<'a>(
    model: &'a Model,
    a: &'a Assessment<'a>,
    d: &'a DimensionScore<'a>,
) -> JsonDimension<'a> {
    JsonDimension {
        id: &d.dimension.id,
        name: &d.dimension.name,
        level: d.level,
        level_name: model.level_name(d.level),
        next_level: d.next_level,
        met: d
            .met
            .iter()
            .map(|s| JsonMet {
                indicator: &s.id,
                level: s.level,
                evidence: a.claims.evidence(&s.id).unwrap_or_default(),
            })
            .collect(),
        needed: d.needed.iter().map(|s| statement(s)).collect(),
    }
}

fn statement(s: &Statement) -> JsonStatement<'_> {
    JsonStatement {
        indicator: &s.id,
        level: s.level,
        text: &s.text,
    }
}

fn markdown(output: &MaturityOutput<'_>, out: &mut Vec<u8>) -> Result<()> {
    // Every text from the assessment and the model goes through
    // `text::markdown_safe` (or `markdown_code` in a code span): a value
    // with ESC, `</script>`, backticks or a line break stays one value.
    let (model, a, score) = (output.model, output.assessment, output.score);
    let top = model.top_level();
    writeln!(out, "# Blended-learning maturity: {}\n", md(&heading(a)))?;
    writeln!(out, "- File: {}", markdown_code(a.file))?;
    writeln!(out, "- Model: {}", md(&model.title))?;
    writeln!(out, "- {}", claims_line(a))?;
    writeln!(
        out,
        "- **{}**\n",
        md(overall_line(output).trim_end_matches('.'))
    )?;
    writeln!(out, "## Levels by dimension\n")?;
    writeln!(out, "| Dimension | Level | Chart | Next level |")?;
    writeln!(out, "|---|---|---|---|")?;
    for d in &score.dimensions {
        writeln!(
            out,
            "| {} | {} {} | `{}` | {} |",
            md(&d.dimension.name),
            d.level,
            md(model.level_name(d.level)),
            bar(d.level, top),
            d.next_level.map_or("-".to_string(), |l| l.to_string())
        )?;
    }
    if let Some(previous) = &output.previous {
        writeln!(out, "\n## Change {}\n", md(&since(previous)))?;
        writeln!(out, "{}\n", md(&change_line(output, previous)))?;
        writeln!(out, "| Dimension | Level | Newly met | No longer met |")?;
        writeln!(out, "|---|---|---|---|")?;
        for c in changes(score, previous.score) {
            let ids = |list: &[&Statement]| -> String {
                let ids: Vec<String> = list.iter().map(|s| markdown_code(&s.id)).collect();
                if ids.is_empty() {
                    "-".to_string()
                } else {
                    ids.join(", ")
                }
            };
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(c.name),
                movement(c.was, c.now),
                ids(&c.newly_met),
                ids(&c.no_longer_met)
            )?;
        }
    }
    writeln!(out, "\n## Still needed for the next level")?;
    let mut any = false;
    for d in score.dimensions.iter().filter(|d| !d.needed.is_empty()) {
        any = true;
        let next = d.next_level.unwrap_or(top);
        writeln!(
            out,
            "\n### {}: level {} to {next}\n",
            md(&d.dimension.name),
            d.level
        )?;
        for s in &d.needed {
            writeln!(out, "- {} {}", markdown_code(&s.id), md(&s.text))?;
        }
    }
    if !any {
        writeln!(out, "\nEvery dimension is at the top level.")?;
    }
    writeln!(out, "\n## Statements met\n")?;
    if a.claims.counted.is_empty() {
        writeln!(out, "None: every dimension stands at the baseline.")?;
    } else {
        writeln!(out, "| Indicator | Dimension | Evidence |")?;
        writeln!(out, "|---|---|---|")?;
        for d in &score.dimensions {
            for s in &d.met {
                writeln!(
                    out,
                    "| {} | {} | {} |",
                    markdown_code(&s.id),
                    md(&d.dimension.name),
                    md(a.claims.evidence(&s.id).unwrap_or_default())
                )?;
            }
        }
    }
    if !output.findings.is_empty() {
        writeln!(out, "\n## Problems in the assessment\n")?;
        writeln!(out, "{}\n", problems_line(output.findings.len()))?;
        writeln!(out, "| Location | Rule | Severity | Message |")?;
        writeln!(out, "|---|---|---|---|")?;
        for f in output.findings {
            writeln!(
                out,
                "| {} | {} {} | {} | {} |",
                markdown_code(&format!("{}:{}:{}", f.file(), f.line, f.column)),
                md(f.rule()),
                md(f.name()),
                f.severity,
                md(&f.message)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_one_block_per_level() {
        assert_eq!(bar(1, 4), "█░░░");
        assert_eq!(bar(4, 4), "████");
        assert_eq!(bar(9, 4), "████");
    }
}
