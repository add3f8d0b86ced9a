//! Check kinds: the templates a policy rule is made of. A check kind is
//! Rust; a rule is data (which check, on which path, with which threshold).
//! Every check treats a missing or null value as failing, except `present`
//! conditions in `when`, which decide whether a rule applies at all.

mod dates;
mod items;
mod numbers;
mod presence;
mod values;

use crate::yaml::path::{Path, Reached};
use crate::yaml::{Node, Pos, Value};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;

/// Named thresholds of a rule (`max_age_days = 365`).
pub type Params = BTreeMap<String, f64>;

/// What a check needs besides the document.
pub struct Context<'a> {
    pub as_of: NaiveDate,
    pub params: &'a Params,
}

/// A number in a check: written in place, or the name of a rule parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    Literal(f64),
    Param(String),
}

impl Number {
    pub fn value(&self, params: &Params) -> f64 {
        match self {
            Number::Literal(n) => *n,
            // Parameters are checked when the policy loads.
            Number::Param(name) => params.get(name).copied().unwrap_or(f64::NAN),
        }
    }
}

/// A literal value a document value is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Bool(bool),
    Number(f64),
}

impl Literal {
    pub fn matches(&self, node: &Node) -> bool {
        match (self, &node.value) {
            (Literal::Bool(a), Value::Bool(b)) => a == b,
            (Literal::Number(a), _) => node.as_number() == Some(*a),
            (Literal::Text(a), Value::Text(b)) => a.as_str() == &**b,
            _ => false,
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Text(s) => write!(f, "'{s}'"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Number(n) => f.write_str(&format_number(*n)),
        }
    }
}

/// `5` rather than `5.0`; fractions as they are.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One check of a rule, with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    Present {
        path: Path,
    },
    NonEmpty {
        path: Path,
    },
    Equals {
        path: Path,
        value: Literal,
    },
    NotEquals {
        path: Path,
        value: Literal,
    },
    OneOf {
        path: Path,
        values: Vec<Literal>,
    },
    ContainsAll {
        path: Path,
        values: Vec<Literal>,
    },
    AtLeast {
        path: Path,
        limit: Number,
    },
    AtMost {
        path: Path,
        limit: Number,
    },
    GreaterThan {
        path: Path,
        limit: Number,
    },
    RatioAtLeast {
        path: Path,
        denominator: Path,
        percent: Number,
    },
    MinItems {
        path: Path,
        count: Number,
        distinct: bool,
    },
    DateValid {
        path: Path,
    },
    DateNotAfterAsOf {
        path: Path,
    },
    DateWithin {
        path: Path,
        days: Number,
    },
    LatestWithin {
        paths: Vec<Path>,
        days: Number,
    },
    /// No other document of the run with the same `group_by` value has the
    /// same text at `paths` (case and white space folded). Decided by the
    /// cross-document stage from each document's fingerprint.
    DistinctInRun {
        group_by: Path,
        paths: Vec<Path>,
    },
}

/// The names of the check kinds, as policies write them.
pub const CHECK_KINDS: &[&str] = &[
    "present",
    "non_empty",
    "equals",
    "not_equals",
    "one_of",
    "contains_all",
    "at_least",
    "at_most",
    "greater_than",
    "ratio_at_least",
    "min_items",
    "date_valid",
    "date_not_after_as_of",
    "date_within",
    "latest_within",
    "distinct_in_run",
];

/// Why a value did not pass a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub pos: Pos,
    pub path: String,
    pub message: String,
    /// The value is of the wrong type (or its parent is): a rule whose `when`
    /// reads it fails rather than skips.
    pub wrong_type: bool,
}

impl Check {
    /// The failures of this check on a document; empty when it passes.
    pub fn evaluate(&self, root: &Node, ctx: &Context<'_>) -> Vec<Failure> {
        let mut out = Vec::new();
        match self {
            Check::Present { path } => presence::present(path, root, &mut out),
            Check::NonEmpty { path } => presence::non_empty(path, root, &mut out),
            Check::Equals { path, value } => values::equals(path, value, root, &mut out),
            Check::NotEquals { path, value } => values::not_equals(path, value, root, &mut out),
            Check::OneOf { path, values } => values::one_of(path, values, root, &mut out),
            Check::ContainsAll { path, values } => {
                values::contains_all(path, values, root, &mut out)
            }
            Check::AtLeast { path, limit } => numbers::compare(
                path,
                limit.value(ctx.params),
                numbers::Bound::AtLeast,
                root,
                &mut out,
            ),
            Check::AtMost { path, limit } => numbers::compare(
                path,
                limit.value(ctx.params),
                numbers::Bound::AtMost,
                root,
                &mut out,
            ),
            Check::GreaterThan { path, limit } => numbers::compare(
                path,
                limit.value(ctx.params),
                numbers::Bound::GreaterThan,
                root,
                &mut out,
            ),
            Check::RatioAtLeast {
                path,
                denominator,
                percent,
            } => numbers::ratio_at_least(
                path,
                denominator,
                percent.value(ctx.params),
                root,
                &mut out,
            ),
            Check::MinItems {
                path,
                count,
                distinct,
            } => items::min_items(path, count.value(ctx.params), *distinct, root, &mut out),
            Check::DateValid { path } => dates::valid(path, root, &mut out),
            Check::DateNotAfterAsOf { path } => dates::not_after(path, ctx.as_of, root, &mut out),
            Check::DateWithin { path, days } => {
                dates::within(path, days.value(ctx.params), ctx.as_of, root, &mut out)
            }
            Check::LatestWithin { paths, days } => {
                dates::latest_within(paths, days.value(ctx.params), ctx.as_of, root, &mut out)
            }
            // Needs the whole run: see `fingerprint` and corpus.rs.
            Check::DistinctInRun { .. } => {}
        }
        out
    }

    /// The paths this check reads.
    pub fn paths(&self) -> Vec<&Path> {
        match self {
            Check::LatestWithin { paths, .. } => paths.iter().collect(),
            Check::DistinctInRun { group_by, paths } => {
                std::iter::once(group_by).chain(paths).collect()
            }
            Check::RatioAtLeast {
                path, denominator, ..
            } => vec![path, denominator],
            Check::Present { path }
            | Check::NonEmpty { path }
            | Check::Equals { path, .. }
            | Check::NotEquals { path, .. }
            | Check::OneOf { path, .. }
            | Check::ContainsAll { path, .. }
            | Check::AtLeast { path, .. }
            | Check::AtMost { path, .. }
            | Check::GreaterThan { path, .. }
            | Check::MinItems { path, .. }
            | Check::DateValid { path }
            | Check::DateNotAfterAsOf { path }
            | Check::DateWithin { path, .. } => vec![path],
        }
    }

    /// The rule parameters this check refers to.
    pub fn params(&self) -> Vec<&str> {
        let numbers: Vec<&Number> = match self {
            Check::AtLeast { limit, .. }
            | Check::AtMost { limit, .. }
            | Check::GreaterThan { limit, .. } => vec![limit],
            Check::RatioAtLeast { percent, .. } => vec![percent],
            Check::MinItems { count, .. } => vec![count],
            Check::DateWithin { days, .. } | Check::LatestWithin { days, .. } => vec![days],
            _ => vec![],
        };
        numbers
            .into_iter()
            .filter_map(|n| match n {
                Number::Param(name) => Some(name.as_str()),
                Number::Literal(_) => None,
            })
            .collect()
    }
}

/// What a `distinct_in_run` check compares across documents: the group
/// (e.g. the plan's course) and a fingerprint of the folded text at its
/// paths, with the place findings point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub group: String,
    pub hash: u64,
    pub pos: Pos,
    pub path: String,
}

impl Check {
    /// The fingerprint of a `distinct_in_run` check; `None` for other checks
    /// and for documents with no text at the paths (nothing to compare).
    pub fn fingerprint(&self, root: &Node) -> Option<Fingerprint> {
        use std::hash::{Hash, Hasher};
        let Check::DistinctInRun { group_by, paths } = self else {
            return None;
        };
        let group = group_by
            .resolve(root)
            .first()?
            .node?
            .scalar_text()?
            .to_string();
        // SipHash with fixed keys: the same text hashes the same in every run.
        let mut hasher = std::hash::DefaultHasher::new();
        let mut any_text = false;
        for path in paths {
            for reached in path.resolve(root) {
                let Some(text) = reached.node.and_then(Node::scalar_text) else {
                    continue;
                };
                any_text = true;
                reached.path.hash(&mut hasher);
                fold(text).hash(&mut hasher);
            }
        }
        if !any_text {
            return None;
        }
        // Findings point at the list compared (`goals`), not one value in it.
        let outer = paths.first()?.outer();
        let reached = outer.resolve(root);
        let first = reached.first()?;
        let (pos, path) = (first.pos, first.path.to_string());
        Some(Fingerprint {
            group,
            hash: hasher.finish(),
            pos,
            path,
        })
    }
}

/// Case and white space folded: `Plan  a Letter` and `plan a letter` match.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Calls `test` on every value `path` reaches; reports missing values and
/// values behind a wrong type.
fn each_value<'a>(
    path: &'a Path,
    root: &'a Node,
    out: &mut Vec<Failure>,
    mut test: impl FnMut(&Reached<'a>, &'a Node, &mut Vec<Failure>),
) {
    for reached in path.resolve(root) {
        match reached.node {
            Some(node) => test(&reached, node, out),
            None => out.push(missing(&reached)),
        }
    }
}

fn missing(reached: &Reached<'_>) -> Failure {
    match reached.blocked_by {
        Some(found) => Failure {
            pos: reached.pos,
            path: reached.path.to_string(),
            message: format!(
                "'{}' cannot be read: found {found} on the way",
                reached.path
            ),
            wrong_type: true,
        },
        None => Failure {
            pos: reached.pos,
            path: reached.path.to_string(),
            message: format!("'{}' is missing", reached.path),
            wrong_type: false,
        },
    }
}

fn fail(reached: &Reached<'_>, message: String) -> Failure {
    Failure {
        pos: reached.pos,
        path: reached.path.to_string(),
        message,
        wrong_type: false,
    }
}

fn wrong_type(reached: &Reached<'_>, node: &Node, wanted: &str) -> Failure {
    Failure {
        pos: reached.pos,
        path: reached.path.to_string(),
        message: format!(
            "'{}' should be {wanted}, not {}",
            reached.path,
            node.describe()
        ),
        wrong_type: true,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::yaml::{load, Limits};

    pub fn doc(text: &str) -> Node {
        load(text, Limits::default()).unwrap().remove(0).root
    }

    pub fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 11, 1).unwrap()
    }

    /// Runs a check on a YAML text at as-of 2025-11-01, giving
    /// `line:col message` for each failure.
    pub fn run(check: Check, text: &str) -> Vec<String> {
        let params = Params::from([("n".to_string(), 365.0)]);
        let ctx = Context {
            as_of: as_of(),
            params: &params,
        };
        check
            .evaluate(&doc(text), &ctx)
            .into_iter()
            .map(|f| format!("{} {}", f.pos, f.message))
            .collect()
    }

    pub fn p(text: &str) -> Path {
        Path::parse(text).unwrap()
    }
}
