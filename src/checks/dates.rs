//! `date_valid`, `date_not_after_as_of`, `date_within`, `latest_within`.

use super::Params;
use super::{
    each_value, fail, format_number, quoted_paths, wrong_type, Bounds, CheckKind, Checker, Context,
    Failure, Field, Number, Reads, Shape,
};
use crate::dates::{days_between, parse_date};
use crate::yaml::path::{Path, Reached};
use crate::yaml::{Node, Value};
use chrono::NaiveDate;
use std::sync::Arc;

pub const DATE_VALID: CheckKind = CheckKind {
    name: "date_valid",
    fields: &[Field::new("path", Shape::Path).reading(Reads::Date)],
    parse: |args| {
        Some(Arc::new(DateValid {
            path: args.path("path")?,
        }))
    },
};

pub const DATE_NOT_AFTER_AS_OF: CheckKind = CheckKind {
    name: "date_not_after_as_of",
    fields: &[Field::new("path", Shape::Path).reading(Reads::Date)],
    parse: |args| {
        Some(Arc::new(DateNotAfterAsOf {
            path: args.path("path")?,
        }))
    },
};

pub const DATE_WITHIN: CheckKind = CheckKind {
    name: "date_within",
    fields: &[
        Field::new("path", Shape::Path).reading(Reads::Date),
        Field::new("days", Shape::Number).within(Bounds::NOT_NEGATIVE),
    ],
    parse: |args| {
        let path = args.path("path");
        let days = args.number("days");
        Some(Arc::new(DateWithin {
            path: path?,
            days: days?,
        }))
    },
};

pub const LATEST_WITHIN: CheckKind = CheckKind {
    name: "latest_within",
    fields: &[
        Field::new("paths", Shape::Paths).reading(Reads::Date),
        Field::new("days", Shape::Number).within(Bounds::NOT_NEGATIVE),
    ],
    parse: |args| {
        let paths = args.paths("paths");
        let days = args.number("days");
        Some(Arc::new(LatestWithin {
            paths: paths?,
            days: days?,
        }))
    },
};

/// Every value at `path` is a real date.
#[derive(Debug)]
pub struct DateValid {
    pub path: Path,
}

impl Checker for DateValid {
    fn evaluate(&self, root: &Node, _ctx: &Context<'_>, out: &mut Vec<Failure>) {
        valid(&self.path, root, out);
    }

    fn describe(&self) -> String {
        format!("`{}` is a valid date", self.path)
    }

    fn in_words(&self, _params: &Params) -> String {
        format!(
            "`{}` is a real date, written YYYY-MM-DD or DD/MM/YYYY",
            self.path
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

/// Every value at `path` is a date on or before the as-of date.
#[derive(Debug)]
pub struct DateNotAfterAsOf {
    pub path: Path,
}

impl Checker for DateNotAfterAsOf {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        not_after(&self.path, ctx.as_of, root, out);
    }

    fn describe(&self) -> String {
        format!("`{}` is a valid date not after the as-of date", self.path)
    }

    fn in_words(&self, _params: &Params) -> String {
        format!(
            "`{}` is a real date (YYYY-MM-DD or DD/MM/YYYY) on or before the audit's as-of date",
            self.path
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

/// On or before the as-of date and no more than `days` days before it.
#[derive(Debug)]
pub struct DateWithin {
    pub path: Path,
    pub days: Number,
}

impl Checker for DateWithin {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        within(
            &self.path,
            self.days.value(ctx.params),
            ctx.as_of,
            root,
            out,
        );
    }

    fn describe(&self) -> String {
        format!(
            "`{}` is within {} days before the as-of date",
            self.path,
            self.days.describe()
        )
    }

    fn in_words(&self, params: &Params) -> String {
        format!(
            "`{}` is a real date on or before the as-of date and no more than {} days before it",
            self.path,
            self.days.in_words(params)
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }

    fn numbers(&self) -> Vec<&Number> {
        vec![&self.days]
    }
}

/// The latest of the dates at `paths` that is not after the as-of date
/// (later dates are plans, not evidence) is within `days` days.
#[derive(Debug)]
pub struct LatestWithin {
    pub paths: Vec<Path>,
    pub days: Number,
}

impl Checker for LatestWithin {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        latest_within(
            &self.paths,
            self.days.value(ctx.params),
            ctx.as_of,
            root,
            out,
        );
    }

    fn describe(&self) -> String {
        format!(
            "the latest of {} not after the as-of date is within {} days before it",
            quoted_paths(&self.paths),
            self.days.describe()
        )
    }

    fn in_words(&self, params: &Params) -> String {
        format!(
            "the most recent date of {} that is on or before the as-of date is no more than {} days before it (dates still to come do not count)",
            quoted_paths(&self.paths),
            self.days.in_words(params)
        )
    }

    fn paths(&self) -> Vec<&Path> {
        self.paths.iter().collect()
    }

    fn numbers(&self) -> Vec<&Number> {
        vec![&self.days]
    }
}

/// The node's date, or the failure that says why it is not one.
fn date_of(reached: &Reached<'_>, node: &Node) -> Result<NaiveDate, Failure> {
    match &node.value {
        Value::Text(text) => parse_date(text).map_err(|e| Failure {
            pos: reached.pos,
            path: reached.path.to_string(),
            message: format!("'{}' is {}: {e}", reached.path, node.describe()),
            wrong_type: true,
        }),
        _ => Err(wrong_type(reached, node, "a date")),
    }
}

fn valid(path: &Path, root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        if let Err(failure) = date_of(reached, node) {
            out.push(failure);
        }
    });
}

fn not_after(path: &Path, as_of: NaiveDate, root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        match date_of(reached, node) {
            Err(failure) => out.push(failure),
            Ok(date) if date > as_of => out.push(fail(
                reached,
                format!("'{}' is {date}, after the as-of date {as_of}", reached.path),
            )),
            Ok(_) => {}
        }
    });
}

fn within(path: &Path, days: f64, as_of: NaiveDate, root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        match date_of(reached, node) {
            Err(failure) => out.push(failure),
            Ok(date) => {
                if let Some(message) = outside(date, days, as_of) {
                    out.push(fail(
                        reached,
                        format!("'{}' is {date}, {message}", reached.path),
                    ));
                }
            }
        }
    });
}

fn outside(date: NaiveDate, days: f64, as_of: NaiveDate) -> Option<String> {
    let age = days_between(date, as_of);
    if age < 0 {
        Some(format!("after the as-of date {as_of}"))
    } else if age as f64 > days {
        Some(format!(
            "{age} days old on {as_of}, more than {} days",
            format_number(days)
        ))
    } else {
        None
    }
}

/// Of two reached values, the one written first in the document.
fn earliest<'a>(kept: Option<Reached<'a>>, next: Reached<'a>) -> Option<Reached<'a>> {
    match kept {
        Some(kept) if kept.pos <= next.pos => Some(kept),
        _ => Some(next),
    }
}

fn latest_within(paths: &[Path], days: f64, as_of: NaiveDate, root: &Node, out: &mut Vec<Failure>) {
    let mut latest: Option<(NaiveDate, Reached<'_>)> = None;
    let mut first_reached: Option<Reached<'_>> = None;
    for path in paths {
        for reached in path.resolve(root) {
            let Some(node) = reached.node else {
                first_reached = earliest(first_reached, reached);
                continue;
            };
            match date_of(&reached, node) {
                Err(failure) => out.push(failure),
                Ok(date) if date <= as_of => {
                    if latest.as_ref().is_none_or(|(best, _)| date > *best) {
                        latest = Some((date, reached));
                    }
                }
                Ok(_) => {
                    first_reached = earliest(first_reached, reached);
                }
            }
        }
    }
    let names: Vec<String> = paths.iter().map(Path::to_string).collect();
    match latest {
        Some((date, reached)) => {
            if let Some(message) = outside(date, days, as_of) {
                out.push(fail(
                    &reached,
                    format!(
                        "latest of {} is {date} ('{}'), {message}",
                        names.join(", "),
                        reached.path
                    ),
                ));
            }
        }
        None if out.is_empty() => out.push(Failure {
            pos: first_reached.as_ref().map_or(root.pos, |r| r.pos),
            path: first_reached.as_ref().map_or_else(
                || paths.first().map(Path::to_string).unwrap_or_default(),
                |r| r.path.to_string(),
            ),
            message: format!(
                "none of {} is a date on or before {as_of}",
                names.join(", ")
            ),
            wrong_type: false,
        }),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{p, run};
    use super::*;

    #[test]
    fn valid_dates() {
        let check = || DateValid { path: p("a[*].d") };
        assert!(run(check(), "a:\n  - d: 2025-10-10\n  - d: 1/9/2025\n").is_empty());
        let got = run(
            check(),
            "a:\n  - d: 2025-02-30\n  - d: 31/11/2025\n  - d: 5\n",
        );
        assert_eq!(got.len(), 3);
        assert!(got[0].starts_with("2:5 'a[0].d' is '2025-02-30': no such day"));
        assert_eq!(got[2], "4:5 'a[2].d' should be a date, not 5");
    }

    #[test]
    fn not_after_as_of() {
        let check = || DateNotAfterAsOf { path: p("d") };
        assert!(run(check(), "d: 2025-11-01\n").is_empty());
        assert_eq!(
            run(check(), "d: 2025-11-02\n"),
            ["1:1 'd' is 2025-11-02, after the as-of date 2025-11-01"]
        );
    }

    #[test]
    fn within_n_days_is_inclusive() {
        let check = || DateWithin {
            path: p("d"),
            days: Number::Param("n".into()),
        };
        assert!(run(check(), "d: 2024-11-01\n").is_empty());
        assert_eq!(
            run(check(), "d: 2024-10-31\n"),
            ["1:1 'd' is 2024-10-31, 366 days old on 2025-11-01, more than 365 days"]
        );
        assert_eq!(
            run(check(), "d: 2025-11-02\n"),
            ["1:1 'd' is 2025-11-02, after the as-of date 2025-11-01"]
        );
    }

    /// With no date on or before as-of, the finding points at the first
    /// failing value in document order, whichever path reads it.
    #[test]
    fn latest_within_points_at_the_first_value_in_document_order() {
        let check = LatestWithin {
            paths: vec![p("reviews[*].date"), p("learner_agreed")],
            days: Number::Literal(84.0),
        };
        let params = super::super::Params::new();
        let placeholders = super::super::Placeholders::default();
        let ctx = Context {
            as_of: super::super::test_support::as_of(),
            params: &params,
            placeholders: &placeholders,
        };
        let mut out = Vec::new();
        check.evaluate(
            &super::super::test_support::doc(
                "learner_agreed: 2025-12-01
reviews:
  - date: 2025-12-20
",
            ),
            &ctx,
            &mut out,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            (out[0].pos.line, out[0].path.as_str()),
            (1, "learner_agreed")
        );
    }

    #[test]
    fn latest_within_ignores_planned_dates() {
        let check = || LatestWithin {
            paths: vec![p("reviews[*].date"), p("agreed")],
            days: Number::Literal(84.0),
        };
        assert!(run(
            check(),
            "agreed: 2025-09-15\nreviews:\n  - date: 2025-08-01\n"
        )
        .is_empty());
        let got = run(
            check(),
            "agreed: 2025-06-01\nreviews:\n  - date: 2025-07-01\n  - date: 2026-01-10\n",
        );
        assert_eq!(got, ["3:5 latest of reviews[*].date, agreed is 2025-07-01 ('reviews[0].date'), 123 days old on 2025-11-01, more than 84 days"]);
        let got = run(check(), "other: 1\n");
        assert_eq!(
            got,
            ["1:1 none of reviews[*].date, agreed is a date on or before 2025-11-01"]
        );
    }
}
