//! The compliance trend as an inline SVG chart: one line per policy, the
//! share of documents passing it in each run. Drawn by `blcheck trend
//! --format html` and by the audit's HTML report when `--history` is given
//! (one call there, so the report's layout stays its own).

use super::{policy_series, Series};
use crate::history::Record;
use maud::{html, Markup};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 32.0;

/// Line colours, told apart by lightness as well as hue; every line is
/// also named in the legend and each point has a tooltip, so colour is
/// never the only signal.
const COLOURS: &[&str] = &[
    "#1f5fa8", "#b3261e", "#2e7d32", "#8a5a00", "#6a1b9a", "#00695c", "#37474f",
];

fn x(run: usize, runs: usize) -> f64 {
    match runs {
        0 | 1 => LEFT + (WIDTH - LEFT - RIGHT) / 2.0,
        _ => LEFT + (WIDTH - LEFT - RIGHT) * run as f64 / (runs - 1) as f64,
    }
}

fn y(percent: f64) -> f64 {
    TOP + (HEIGHT - TOP - BOTTOM) * (100.0 - percent.clamp(0.0, 100.0)) / 100.0
}

/// The chart, with a caption; a history without runs gives a sentence.
pub fn chart(records: &[Record]) -> Markup {
    let series = policy_series(records);
    let runs = records.len();
    let label = format!(
        "Share of documents passing each policy over {runs} run{}",
        if runs == 1 { "" } else { "s" }
    );
    html! {
        figure.trend {
            @if runs == 0 || series.is_empty() {
                p { "The history holds no run with a policy result yet." }
            } @else {
                svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}"))
                    role="img" aria-label=(label) width="100%" {
                    title { (label) }
                    @for percent in [0.0, 50.0, 100.0] {
                        line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y(percent)) y2=(y(percent))
                            stroke="#c8c8c8" stroke-width="1" {}
                        text x=(LEFT - 6.0) y=(y(percent) + 4.0) text-anchor="end" font-size="11" {
                            (format!("{percent:.0}%"))
                        }
                    }
                    text x=(x(0, runs)) y=(HEIGHT - 10.0) text-anchor="start" font-size="11" {
                        (records[0].as_of)
                    }
                    @if runs > 1 {
                        text x=(x(runs - 1, runs)) y=(HEIGHT - 10.0) text-anchor="end" font-size="11" {
                            (records[runs - 1].as_of)
                        }
                    }
                    @for (i, s) in series.iter().enumerate() {
                        (line(s, records, COLOURS[i % COLOURS.len()]))
                    }
                }
                figcaption {
                    (label) ":"
                    ul.legend {
                        @for (i, s) in series.iter().enumerate() {
                            li {
                                svg xmlns="http://www.w3.org/2000/svg" width="14" height="4" aria-hidden="true" {
                                    rect width="14" height="4" fill=(COLOURS[i % COLOURS.len()]) {}
                                }
                                " " (s.id) ": "
                                (s.points.last().copied().flatten().map_or("no result".to_string(), |p| format!("{p:.0}%")))
                                " in the last run"
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One policy's line: a polyline through the runs where it had a result,
/// a point with a tooltip at each.
fn line(series: &Series<'_>, records: &[Record], colour: &str) -> Markup {
    let runs = records.len();
    let points: Vec<(usize, f64)> = series
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    let path = points
        .iter()
        .map(|&(i, p)| format!("{:.1},{:.1}", x(i, runs), y(p)))
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        g {
            polyline points=(path) fill="none" stroke=(colour) stroke-width="2" {}
            @for &(i, p) in &points {
                circle cx=(format!("{:.1}", x(i, runs))) cy=(format!("{:.1}", y(p))) r="3" fill=(colour) {
                    title { (series.id) " as of " (records[i].as_of) ": " (format!("{p:.0}%")) " passing" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Tally;

    fn record(as_of: &str, passed: usize, failed: usize) -> Record {
        Record {
            format_version: crate::history::FORMAT_VERSION,
            as_of: as_of.into(),
            tool_version: "0.1.0".into(),
            config: None,
            policies: Vec::new(),
            documents: passed + failed,
            passed,
            failed,
            errors: failed,
            warnings: 0,
            waived: 0,
            baselined: None,
            by_policy: vec![Tally {
                id: "<P&Q>".into(),
                passed,
                failed,
                ..Tally::default()
            }],
            by_rule: Vec::new(),
        }
    }

    #[test]
    fn one_line_per_policy_through_every_run() {
        let svg = chart(&[record("2025-01-01", 1, 3), record("2025-02-01", 4, 0)]).into_string();
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 2);
        // 25% then 100%: the second point is at the top of the plot.
        assert!(svg.contains(&format!("{:.1},{:.1}", x(1, 2), y(100.0))));
        // Policy ids are text, escaped.
        assert!(svg.contains("&lt;P&amp;Q&gt;") && !svg.contains("<P&Q>"));
    }

    #[test]
    fn an_empty_history_says_so() {
        assert!(chart(&[]).into_string().contains("no run"));
    }
}
