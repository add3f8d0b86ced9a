//! The maturity chart: one inline SVG of the levels by dimension, in a
//! self-contained HTML section (no script, no stylesheet: SVG presentation
//! attributes only, so it works under the audit report's
//! Content-Security-Policy as on its own page). `blcheck maturity --format
//! html` is this section on a page; the audit's HTML report embeds it for
//! each MaturityAssessment of the run.
//!
//! Built with maud, which escapes every value it interpolates.

use crate::maturity::{Assessment, Model, Score};
use maud::{html, Markup, DOCTYPE};

/// What the chart shows of one scored assessment, owned, so that a report
/// can carry it beside its findings.
#[derive(Debug, Clone, PartialEq)]
pub struct MaturityPanel {
    /// "Northfield College (NORTHFIELD-2025), assessed 2025-09-30".
    pub heading: String,
    pub file: String,
    pub overall: u8,
    pub overall_name: String,
    pub median: f64,
    /// The levels, 1..=top, with their names.
    pub levels: Vec<(u8, String)>,
    pub rows: Vec<PanelRow>,
    /// `--compare`: the earlier assessment's heading and overall level.
    pub previous: Option<(String, u8)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PanelRow {
    pub name: String,
    pub level: u8,
    /// The earlier assessment's level of this dimension, with `--compare`.
    pub was: Option<u8>,
    pub next_level: Option<u8>,
    /// The statements of the next level still to meet: `(id, text)`.
    pub needed: Vec<(String, String)>,
}

impl MaturityPanel {
    pub fn new(
        model: &Model,
        assessment: &Assessment<'_>,
        score: &Score<'_>,
        previous: Option<(&Assessment<'_>, &Score<'_>)>,
    ) -> MaturityPanel {
        let rows = score
            .dimensions
            .iter()
            .enumerate()
            .map(|(i, d)| PanelRow {
                name: d.dimension.name.clone(),
                level: d.level,
                was: previous.map(|(_, s)| s.dimensions[i].level),
                next_level: d.next_level,
                needed: d
                    .needed
                    .iter()
                    .map(|s| (s.id.clone(), s.text.clone()))
                    .collect(),
            })
            .collect();
        MaturityPanel {
            heading: heading(assessment),
            file: assessment.file.to_string(),
            overall: score.overall,
            overall_name: model.level_name(score.overall).to_string(),
            median: score.median,
            levels: model
                .levels
                .iter()
                .map(|l| (l.level, l.name.clone()))
                .collect(),
            rows,
            previous: previous.map(|(a, s)| (heading(a), s.overall)),
        }
    }

    fn top(&self) -> u8 {
        self.levels.last().map_or(1, |l| l.0)
    }
}

fn heading(a: &Assessment<'_>) -> String {
    let mut text = match (a.organisation, a.id) {
        (Some(organisation), Some(id)) => format!("{organisation} ({id})"),
        (Some(name), None) | (None, Some(name)) => name.to_string(),
        (None, None) => "an unnamed organisation".to_string(),
    };
    if let Some(date) = &a.assessed {
        text.push_str(&format!(", assessed {date}"));
    }
    text
}

// The chart's geometry, in SVG user units.
const LABEL_WIDTH: u32 = 300;
const LEVEL_WIDTH: u32 = 110;
const ROW_HEIGHT: u32 = 28;
const BAR_HEIGHT: u32 = 18;
const TOP_MARGIN: u32 = 34;

/// The bar chart: a row per dimension, a bar as long as its level, the
/// earlier level (with `--compare`) as a dark tick, the levels' names
/// above their columns.
pub fn svg(panel: &MaturityPanel) -> Markup {
    let top = u32::from(panel.top());
    let width = LABEL_WIDTH + LEVEL_WIDTH * top + 20;
    let rows = u32::try_from(panel.rows.len()).unwrap_or(u32::MAX);
    let height = TOP_MARGIN + ROW_HEIGHT * rows + 10;
    let view_box = format!("0 0 {width} {height}");
    let title = format!(
        "Maturity levels by dimension of {}: overall level {} ({})",
        panel.heading, panel.overall, panel.overall_name
    );
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox=(view_box)
            width=(width) height=(height) font-family="sans-serif" font-size="13" {
            title { (title) }
            @for (level, name) in &panel.levels {
                @let x = LABEL_WIDTH + LEVEL_WIDTH * (u32::from(*level) - 1);
                line x1=(x) y1="24" x2=(x) y2=(height - 10) stroke="#c8c8c8" {}
                text x=(x + 4) y="16" fill="#333" font-size="11" { (level) " " (name) }
            }
            @for (i, row) in panel.rows.iter().enumerate() {
                @let y = TOP_MARGIN + ROW_HEIGHT * u32::try_from(i).unwrap_or(0);
                @let bar = LEVEL_WIDTH * u32::from(row.level);
                text x="0" y=(y + 14) fill="#111" { (row.name) }
                rect x=(LABEL_WIDTH) y=(y) width=(bar) height=(BAR_HEIGHT) fill="#2f6f9f" {
                    title { (row.name) ": level " (row.level) }
                }
                text x=(LABEL_WIDTH + bar - 16) y=(y + 14) fill="#fff" font-weight="bold" { (row.level) }
                @if let Some(was) = row.was {
                    @let x = LABEL_WIDTH + LEVEL_WIDTH * u32::from(was);
                    line x1=(x) y1=(y - 3) x2=(x) y2=(y + BAR_HEIGHT + 3) stroke="#b3541e" stroke-width="3" {
                        title { "earlier: level " (was) }
                    }
                }
            }
        }
    }
}

/// The section: heading, overall level, the chart, and what each dimension
/// needs for its next level (never a level-1 statement: level 1 is the
/// baseline).
pub fn section(panel: &MaturityPanel) -> Markup {
    html! {
        section.maturity aria-label=(format!("Maturity of {}", panel.heading)) {
            h2 { "Maturity of " (panel.heading) }
            p {
                "Overall level " strong { (panel.overall) " (" (panel.overall_name) ")" }
                "; median of the dimensions " (crate::checks::format_number(panel.median)) ". From "
                code { (panel.file) } "."
                @if let Some((earlier, level)) = &panel.previous {
                    " Earlier (" (earlier) "): level " (level) "; the dark tick on each bar marks its level then."
                }
            }
            (svg(panel))
            @let open: Vec<&PanelRow> = panel.rows.iter().filter(|r| !r.needed.is_empty()).collect();
            @if !open.is_empty() {
                h3 { "Still needed for the next level" }
                @for row in open {
                    h4 { (row.name) ": level " (row.level) " to " (row.next_level.unwrap_or(row.level)) }
                    ul {
                        @for (id, text) in &row.needed {
                            li { code { (id) } " " (text) }
                        }
                    }
                }
            }
        }
    }
}

/// `blcheck maturity --format html`: the section on a page of its own.
pub fn page(panel: &MaturityPanel) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Maturity of " (panel.heading) }
            }
            body {
                main { (section(panel)) }
                footer {
                    p { "Made by blcheck " (env!("CARGO_PKG_VERSION")) " against the blended-learning maturity model." }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(heading: &str) -> MaturityPanel {
        MaturityPanel {
            heading: heading.into(),
            file: "a.yaml".into(),
            overall: 2,
            overall_name: "Integrated and Aligned".into(),
            median: 2.0,
            levels: vec![(1, "One".into()), (2, "Two".into())],
            rows: vec![PanelRow {
                name: "LMS <reporting>".into(),
                level: 2,
                was: Some(1),
                next_level: None,
                needed: Vec::new(),
            }],
            previous: Some(("Last".into(), 1)),
        }
    }

    #[test]
    fn the_chart_is_escaped_svg_without_script() {
        let page = page(&panel("Acme </title><script>x</script>")).into_string();
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("&lt;/title&gt;&lt;script&gt;"));
        assert!(page.contains("LMS &lt;reporting&gt;"));
        assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        // A bar two levels long, and the earlier level's tick.
        assert!(page.contains("width=\"220\" height=\"18\""));
        assert!(page.contains("earlier: level 1"));
    }
}
