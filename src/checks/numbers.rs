//! `at_least`, `at_most`, `greater_than` and `ratio_at_least`.

use super::Params;
use super::{
    each_value, fail, format_number, wrong_type, Bounds, CheckArgs, CheckKind, Checker, Context,
    Failure, Field, LimitSide, Number, Reads, Shape,
};
use crate::yaml::path::{Path, ReachedList};
use crate::yaml::Node;
use std::sync::Arc;

const COMPARE_FIELDS: &[Field] = &[
    Field::new("path", Shape::Path).reading(Reads::Number),
    Field::new("limit", Shape::Number),
];

pub const AT_LEAST: CheckKind = CheckKind {
    name: "at_least",
    fields: COMPARE_FIELDS,
    parse: |args| parse_compare(args, Bound::AtLeast),
};

pub const AT_MOST: CheckKind = CheckKind {
    name: "at_most",
    fields: COMPARE_FIELDS,
    parse: |args| parse_compare(args, Bound::AtMost),
};

pub const GREATER_THAN: CheckKind = CheckKind {
    name: "greater_than",
    fields: COMPARE_FIELDS,
    parse: |args| parse_compare(args, Bound::GreaterThan),
};

pub const RATIO_AT_LEAST: CheckKind = CheckKind {
    name: "ratio_at_least",
    fields: &[
        Field::new("path", Shape::Path).reading(Reads::Number),
        Field::new("denominator", Shape::Path).reading(Reads::Number),
        Field::new("percent", Shape::Number).within(Bounds::PERCENT),
    ],
    parse: |args| {
        let path = args.path("path");
        let denominator = args.path("denominator");
        let percent = args.number("percent");
        Some(Arc::new(RatioAtLeast {
            path: path?,
            denominator: denominator?,
            percent: percent?,
        }))
    },
};

pub const AT_LEAST_FIELD: CheckKind = CheckKind {
    name: "at_least_field",
    fields: &[
        Field::new("path", Shape::Path),
        Field::new("field", Shape::Path),
    ],
    parse: |args| {
        let path = args.path("path");
        let field = args.path("field");
        Some(Arc::new(AtLeastField {
            path: path?,
            field: field?,
        }))
    },
};

/// The number at `path` is at least the number at `field` of the same
/// document (recorded attendance against the target it was set).
#[derive(Debug)]
pub struct AtLeastField {
    pub path: Path,
    pub field: Path,
}

impl Checker for AtLeastField {
    fn evaluate(&self, root: &Node, _ctx: &Context<'_>, out: &mut Vec<Failure>) {
        let Some(floor) = single_number(&self.field, root, out) else {
            return;
        };
        each_value(&self.path, root, out, |reached, node, out| {
            let Some(n) = node.as_number() else {
                out.push(wrong_type(reached, node, "a number"));
                return;
            };
            if n < floor {
                out.push(fail(
                    reached,
                    format!(
                        "'{}' is {}, below '{}', {}",
                        reached.path,
                        format_number(n),
                        self.field,
                        format_number(floor)
                    ),
                ));
            }
        });
    }

    fn describe(&self) -> String {
        format!("`{}` is at least `{}`", self.path, self.field)
    }

    fn in_words(&self, _params: &Params) -> String {
        format!(
            "`{}` is a number no lower than the number at `{}` of the same document",
            self.path, self.field
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path, &self.field]
    }
}

fn parse_compare(args: &mut CheckArgs<'_>, bound: Bound) -> Option<Arc<dyn Checker>> {
    let path = args.path("path");
    let limit = args.number("limit");
    Some(Arc::new(Compare {
        path: path?,
        limit: limit?,
        bound,
    }))
}

#[derive(Debug, Clone, Copy)]
pub enum Bound {
    AtLeast,
    AtMost,
    GreaterThan,
}

/// The number at `path` is within `bound` of `limit`.
#[derive(Debug)]
pub struct Compare {
    pub path: Path,
    pub limit: Number,
    pub bound: Bound,
}

impl Checker for Compare {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        compare(
            &self.path,
            self.limit.value(ctx.params),
            self.bound,
            root,
            out,
        );
    }

    fn describe(&self) -> String {
        let words = match self.bound {
            Bound::AtLeast => "is at least",
            Bound::AtMost => "is at most",
            Bound::GreaterThan => "is more than",
        };
        format!("`{}` {words} {}", self.path, self.limit.describe())
    }

    fn in_words(&self, params: &Params) -> String {
        let words = match self.bound {
            Bound::AtLeast => "of at least",
            Bound::AtMost => "of at most",
            Bound::GreaterThan => "greater than",
        };
        format!(
            "`{}` is a number {words} {}",
            self.path,
            self.limit.in_words(params)
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }

    fn limit(&self) -> Option<(&Path, LimitSide, &Number)> {
        let side = match self.bound {
            Bound::AtLeast | Bound::GreaterThan => LimitSide::Lower,
            Bound::AtMost => LimitSide::Upper,
        };
        Some((&self.path, side, &self.limit))
    }

    fn numbers(&self) -> Vec<&Number> {
        vec![&self.limit]
    }
}

/// `path` / `denominator` × 100 is at least `percent`.
#[derive(Debug)]
pub struct RatioAtLeast {
    pub path: Path,
    pub denominator: Path,
    pub percent: Number,
}

impl Checker for RatioAtLeast {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        let percent = self.percent.value(ctx.params);
        ratio_at_least(&self.path, &self.denominator, percent, root, out);
    }

    fn describe(&self) -> String {
        format!(
            "`{}` is at least {}% of `{}`",
            self.path,
            self.percent.describe(),
            self.denominator
        )
    }

    fn in_words(&self, params: &Params) -> String {
        format!(
            "`{}` is a number that is at least {}% of the number at `{}`",
            self.path,
            self.percent.in_words(params),
            self.denominator
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path, &self.denominator]
    }

    fn numbers(&self) -> Vec<&Number> {
        vec![&self.percent]
    }
}

fn compare(path: &Path, limit: f64, bound: Bound, root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        let Some(n) = node.as_number() else {
            out.push(wrong_type(reached, node, "a number"));
            return;
        };
        let (ok, words) = match bound {
            Bound::AtLeast => (n >= limit, "below the minimum of"),
            Bound::AtMost => (n <= limit, "above the maximum of"),
            Bound::GreaterThan => (n > limit, "not more than"),
        };
        if !ok {
            out.push(fail(
                reached,
                format!(
                    "'{}' is {}, {words} {}",
                    reached.path,
                    node.describe(),
                    format_number(limit)
                ),
            ));
        }
    });
}

fn ratio_at_least(
    path: &Path,
    denominator: &Path,
    percent: f64,
    root: &Node,
    out: &mut Vec<Failure>,
) {
    let Some(total) = single_number(denominator, root, out) else {
        return;
    };
    each_value(path, root, out, |reached, node, out| {
        let Some(part) = node.as_number() else {
            out.push(wrong_type(reached, node, "a number"));
            return;
        };
        let achieved = if total > 0.0 {
            part / total * 100.0
        } else {
            0.0
        };
        if achieved < percent {
            out.push(fail(
                reached,
                format!(
                    "'{}' is {} of {} ({}%), below {}%",
                    reached.path,
                    format_number(part),
                    format_number(total),
                    format_number((achieved * 10.0).round() / 10.0),
                    format_number(percent)
                ),
            ));
        }
    });
}

fn single_number(path: &Path, root: &Node, out: &mut Vec<Failure>) -> Option<f64> {
    let reached: ReachedList<'_> = path.resolve(root);
    let first = reached.first()?;
    match first.node {
        None => {
            out.push(super::missing(first));
            None
        }
        Some(node) => match node.as_number() {
            Some(n) => Some(n),
            None => {
                out.push(wrong_type(first, node, "a number"));
                None
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{p, run};
    use super::*;

    #[test]
    fn bounds_are_inclusive_except_greater_than() {
        let at_most = |text| {
            run(
                Compare {
                    bound: Bound::AtMost,
                    path: p("d"),
                    limit: Number::Literal(5.0),
                },
                text,
            )
        };
        assert!(at_most("d: 5\n").is_empty());
        assert_eq!(at_most("d: 6\n"), ["1:1 'd' is 6, above the maximum of 5"]);
        assert_eq!(
            at_most("d: five\n"),
            ["1:1 'd' should be a number, not 'five'"]
        );
        assert_eq!(at_most("x: 1\n"), ["1:1 'd' is missing"]);
        let at_least = |text| {
            run(
                Compare {
                    bound: Bound::AtLeast,
                    path: p("h"),
                    limit: Number::Literal(6.0),
                },
                text,
            )
        };
        assert!(at_least("h: 6\n").is_empty());
        assert!(at_least("h: 7.5\n").is_empty());
        assert_eq!(at_least("h: 5.5\n").len(), 1);
        let more = |text| {
            run(
                Compare {
                    bound: Bound::GreaterThan,
                    path: p("e"),
                    limit: Number::Literal(0.0),
                },
                text,
            )
        };
        assert!(more("e: 1\n").is_empty());
        assert_eq!(more("e: 0\n").len(), 1);
    }

    #[test]
    fn limits_can_be_rule_parameters() {
        let check = Compare {
            bound: Bound::AtMost,
            path: p("d"),
            limit: Number::Param("n".into()),
        };
        assert!(run(check, "d: 365\n").is_empty());
    }

    #[test]
    fn ratio_in_percent() {
        let check = || RatioAtLeast {
            path: p("e.responses"),
            denominator: p("e.enrolled"),
            percent: Number::Literal(50.0),
        };
        assert!(run(check(), "e:\n  enrolled: 60\n  responses: 30\n").is_empty());
        assert_eq!(
            run(check(), "e:\n  enrolled: 48\n  responses: 20\n"),
            ["3:3 'e.responses' is 20 of 48 (41.7%), below 50%"]
        );
        assert_eq!(
            run(check(), "e:\n  enrolled: 48\n"),
            ["1:1 'e.responses' is missing"]
        );
    }
}
