//! The renewal register: every policy and policy document with the date it
//! is due for renewal, its status on the as-of date, and the read-with
//! documents the register lacks. Nothing here reads files or writes output;
//! `register.rs` turns documents and policies into sheets.

pub mod register;

use crate::policy::{PolicyError, ReadWith};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// Where a document stands on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RenewalStatus {
    /// The renewal date is before the as-of date.
    Overdue,
    /// The renewal date is the as-of date or at most `within` days after it.
    Due,
    /// The renewal date is further ahead.
    Current,
}

impl RenewalStatus {
    pub const ALL: [RenewalStatus; 3] = [
        RenewalStatus::Overdue,
        RenewalStatus::Due,
        RenewalStatus::Current,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RenewalStatus::Overdue => "overdue",
            RenewalStatus::Due => "due",
            RenewalStatus::Current => "current",
        }
    }
}

impl fmt::Display for RenewalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Days from `as_of` to `renewal` (negative once it has passed) and the
/// status they give. Both ends of the due window count: renewal today is
/// due with 0 days, renewal exactly `within_days` ahead is due too.
pub fn classify(renewal: NaiveDate, as_of: NaiveDate, within_days: u32) -> (i64, RenewalStatus) {
    let days = crate::dates::days_between(as_of, renewal);
    let status = if days < 0 {
        RenewalStatus::Overdue
    } else if days <= i64::from(within_days) {
        RenewalStatus::Due
    } else {
        RenewalStatus::Current
    };
    (days, status)
}

/// A policy's or policy document's version-control sheet, as the register
/// lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterEntry {
    pub id: String,
    pub title: String,
    pub version: String,
    pub owner: String,
    pub issued: NaiveDate,
    pub renewal: NaiveDate,
    /// `built-in` or the file's path relative to the current directory.
    pub source: String,
    /// Titles of the documents this one must be read with (policies only).
    pub read_with: Vec<ReadWith>,
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewal {
    pub entry: RegisterEntry,
    pub days_to_renewal: i64,
    pub status: RenewalStatus,
}

/// A document that a policy must be read with and the register lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingReadWith {
    /// The id of the policy that names it.
    pub policy: String,
    /// The title as the policy gives it.
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct RenewalReport {
    pub as_of: NaiveDate,
    pub within_days: u32,
    /// Sorted by renewal date, then id.
    pub documents: Vec<Renewal>,
    /// By policy id, then in the order the policy lists them.
    pub missing_read_with: Vec<MissingReadWith>,
    /// What of the register could not be read or is invalid, located; by
    /// file, then line and column. What a problem concerns is not among
    /// `documents`, and any problem fails the run as an overdue document
    /// does: a register read in part cannot say that nothing is overdue.
    pub problems: Vec<PolicyError>,
}

impl RenewalReport {
    pub fn new(entries: Vec<RegisterEntry>, as_of: NaiveDate, within_days: u32) -> RenewalReport {
        let missing_read_with = missing_read_with(&entries);
        let mut documents: Vec<Renewal> = entries
            .into_iter()
            .map(|entry| {
                let (days_to_renewal, status) = classify(entry.renewal, as_of, within_days);
                Renewal {
                    entry,
                    days_to_renewal,
                    status,
                }
            })
            .collect();
        // The id breaks ties so that the order never depends on file order.
        documents.sort_by(|a, b| {
            (a.entry.renewal, &a.entry.id, &a.entry.source).cmp(&(
                b.entry.renewal,
                &b.entry.id,
                &b.entry.source,
            ))
        });
        RenewalReport {
            as_of,
            within_days,
            documents,
            missing_read_with,
            problems: Vec::new(),
        }
    }

    /// The report with the register's problems, sorted by place, each
    /// message on one line (a parser's may span several).
    pub fn with_problems(mut self, mut problems: Vec<PolicyError>) -> RenewalReport {
        for problem in &mut problems {
            if problem.message.contains('\n') {
                problem.message = problem
                    .message
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
            }
        }
        problems.sort_by(|a, b| (&a.file, a.pos, &a.message).cmp(&(&b.file, b.pos, &b.message)));
        problems.dedup();
        self.problems = problems;
        self
    }

    pub fn count(&self, status: RenewalStatus) -> usize {
        self.documents.iter().filter(|d| d.status == status).count()
    }

    pub fn any_overdue(&self) -> bool {
        self.count(RenewalStatus::Overdue) > 0
    }

    /// Whether the run exits 1: something is overdue, or part of the
    /// register could not be read.
    pub fn fails(&self) -> bool {
        self.any_overdue() || !self.problems.is_empty()
    }
}

/// Every read-with title, of every entry, that no entry of the register has
/// as its title (compared by `title_key`): by policy id, then in the order
/// the policy lists them, each once.
fn missing_read_with(entries: &[RegisterEntry]) -> Vec<MissingReadWith> {
    let titles: BTreeSet<String> = entries.iter().map(|e| title_key(&e.title)).collect();
    let ids: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    // Found: by its title, by the id the policy gives it, or by one of the
    // other titles its owner accepts.
    let found = |wanted: &ReadWith| {
        titles.contains(&title_key(&wanted.title))
            || wanted.id.as_deref().is_some_and(|id| ids.contains(id))
            || wanted
                .aliases
                .iter()
                .any(|a| titles.contains(&title_key(a)))
    };
    let mut by_policy: Vec<&RegisterEntry> = entries.iter().collect();
    by_policy.sort_by(|a, b| (&a.id, &a.source).cmp(&(&b.id, &b.source)));
    let mut seen = BTreeSet::new();
    by_policy
        .into_iter()
        .flat_map(|e| {
            e.read_with
                .iter()
                .filter(|wanted| !found(wanted))
                .map(|wanted| MissingReadWith {
                    policy: e.id.clone(),
                    title: wanted.title.clone(),
                })
        })
        .filter(|m| seen.insert((m.policy.clone(), title_key(&m.title))))
        .collect()
}

/// A title reduced to what a reader would call the same document: case,
/// punctuation and spacing ignored, `&` read as `and`, and a final word
/// `policy` optional, so "Behaviour, Disciplinary & Expectations policy"
/// finds "Behaviour, Disciplinary and Expectations Policy".
pub fn title_key(title: &str) -> String {
    let spaced: String = title
        .replace('&', " and ")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<String> = spaced.split_whitespace().map(str::to_lowercase).collect();
    if words.len() > 1 && words.last().is_some_and(|w| w == "policy") {
        words.pop();
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::dates::parse_date(text).unwrap()
    }

    fn entry(id: &str, title: &str, renewal: &str, read_with: &[&str]) -> RegisterEntry {
        RegisterEntry {
            id: id.into(),
            title: title.into(),
            version: "1.0".into(),
            owner: "Quality Manager".into(),
            issued: d("2024-01-01"),
            renewal: d(renewal),
            source: "built-in".into(),
            read_with: read_with.iter().map(|s| ReadWith::title(s)).collect(),
        }
    }

    #[test]
    fn status_boundaries() {
        let as_of = d("2025-11-01");
        // Yesterday: overdue by one day.
        assert_eq!(
            classify(d("2025-10-31"), as_of, 60),
            (-1, RenewalStatus::Overdue)
        );
        // Today: due, with no day left.
        assert_eq!(classify(as_of, as_of, 60), (0, RenewalStatus::Due));
        // Exactly `within` days ahead: still due.
        assert_eq!(
            classify(d("2025-12-31"), as_of, 60),
            (60, RenewalStatus::Due)
        );
        // One day more: current.
        assert_eq!(
            classify(d("2026-01-01"), as_of, 60),
            (61, RenewalStatus::Current)
        );
        // A window of 0 days: only today is due.
        assert_eq!(classify(as_of, as_of, 0), (0, RenewalStatus::Due));
        assert_eq!(
            classify(d("2025-11-02"), as_of, 0),
            (1, RenewalStatus::Current)
        );
    }

    #[test]
    fn days_count_across_a_leap_day() {
        assert_eq!(
            classify(d("2028-03-01"), d("2028-02-28"), 60),
            (2, RenewalStatus::Due)
        );
    }

    #[test]
    fn rows_sort_by_renewal_then_id() {
        let report = RenewalReport::new(
            vec![
                entry("b", "B", "2026-01-01", &[]),
                entry("c", "C", "2025-01-01", &[]),
                entry("a", "A", "2026-01-01", &[]),
            ],
            d("2025-11-01"),
            60,
        );
        let ids: Vec<&str> = report
            .documents
            .iter()
            .map(|r| r.entry.id.as_str())
            .collect();
        assert_eq!(ids, ["c", "a", "b"]);
        assert!(report.any_overdue());
        assert_eq!(report.count(RenewalStatus::Current), 2);
    }

    #[test]
    fn read_with_entries_match_by_id_or_an_alias_the_owner_gives() {
        let mut blended = entry("blended", "Blended Learning Policy", "2026-01-01", &[]);
        blended.read_with = vec![
            ReadWith {
                title: "Safeguarding Policy".into(),
                id: Some("safeguarding-prevent".into()),
                aliases: Vec::new(),
            },
            ReadWith {
                title: "Online Safety Policy".into(),
                id: None,
                aliases: vec!["E-Safety Policy".into()],
            },
            ReadWith::title("Data Protection Policy"),
        ];
        let report = RenewalReport::new(
            vec![
                blended,
                entry(
                    "safeguarding-prevent",
                    "Safeguarding and Prevent Policy",
                    "2026-01-01",
                    &[],
                ),
                entry("esafety", "E-safety policy", "2026-01-01", &[]),
            ],
            d("2025-11-01"),
            60,
        );
        assert_eq!(
            report.missing_read_with,
            [MissingReadWith {
                policy: "blended".into(),
                title: "Data Protection Policy".into(),
            }]
        );
    }

    #[test]
    fn read_with_titles_match_loosely_and_missing_ones_are_listed() {
        let report = RenewalReport::new(
            vec![
                entry(
                    "blended",
                    "Blended Learning Policy",
                    "2026-01-01",
                    &[
                        "Safeguarding Policy",
                        "behaviour, disciplinary & expectations",
                        "Acceptable Use Policy",
                    ],
                ),
                entry("safe", "Safeguarding", "2026-01-01", &[]),
                entry(
                    "behave",
                    "Behaviour, Disciplinary and Expectations Policy",
                    "2026-01-01",
                    &["Blended  learning policy"],
                ),
            ],
            d("2025-11-01"),
            60,
        );
        assert_eq!(
            report.missing_read_with,
            [MissingReadWith {
                policy: "blended".into(),
                title: "Acceptable Use Policy".into()
            }]
        );
    }

    #[test]
    fn problems_are_sorted_one_line_each_and_fail_the_run() {
        let problem = |file: &str, line: u32, message: &str| PolicyError {
            file: file.into(),
            pos: crate::yaml::Pos { line, column: 1 },
            message: message.into(),
        };
        let clean = RenewalReport::new(
            vec![entry("a", "A", "2026-01-01", &[])],
            d("2025-11-01"),
            60,
        );
        assert!(!clean.fails());
        let report = clean.with_problems(vec![
            problem("b.yaml", 3, "later"),
            problem("a.toml", 9, "invalid table header\n  expected `.`\n"),
            problem("b.yaml", 1, "first"),
            problem("b.yaml", 1, "first"),
        ]);
        assert!(
            report.fails(),
            "a problem fails the run with nothing overdue"
        );
        assert!(!report.any_overdue());
        assert_eq!(
            report
                .problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "a.toml:9:1: invalid table header; expected `.`",
                "b.yaml:1:1: first",
                "b.yaml:3:1: later",
            ]
        );
    }

    #[test]
    fn title_keys() {
        assert_eq!(title_key("  Online   Safety Policy "), "online safety");
        assert_eq!(title_key("Data-Protection POLICY"), "data protection");
        // A title that is only the word is kept, not emptied.
        assert_eq!(title_key("Policy"), "policy");
        assert_eq!(
            title_key("Learner Support"),
            title_key("learner support policy")
        );
        assert_ne!(
            title_key("Assessment Policy"),
            title_key("Assessment Strategy")
        );
    }
}
