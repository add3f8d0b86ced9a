//! Check kinds: the templates a policy rule is made of. A check kind is
//! Rust; a rule is data (which check, on which path, with which threshold).
//! Every check treats a missing or null value as failing, except `present`
//! conditions in `when`, which decide whether a rule applies at all.

mod args;
pub mod contract;
pub mod course;
mod dates;
mod distinct;
mod items;
mod milestones;
mod numbers;
mod presence;
pub mod spoken;
mod values;

pub use args::{CheckArgs, CheckTable, Field, ReadPath, Shape};
pub use contract::{Bounds, LimitSide, Reads};

pub use crate::policy::Placeholders;
use crate::yaml::path::{Path, Reached};
use crate::yaml::{Node, Pos, Value};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Named thresholds of a rule (`max_age_days = 365`).
pub type Params = BTreeMap<String, f64>;

/// What a check needs besides the document.
pub struct Context<'a> {
    pub as_of: NaiveDate,
    pub params: &'a Params,
    /// Text that says nothing (`n/a`, `tbc`): text checks take it for no
    /// value.
    pub placeholders: &'a Placeholders,
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

    /// `5`, or `3 (min_years)` for a parameter, its value given: as
    /// plain words show it.
    pub fn in_words(&self, params: &Params) -> String {
        match self {
            Number::Literal(v) => format_number(*v),
            Number::Param(name) => match params.get(name) {
                Some(v) => format!("{} ({name})", format_number(*v)),
                None => format!("[{name}]"),
            },
        }
    }

    /// `5`, or `[max_days]` for a parameter, as descriptions show it.
    pub fn describe(&self) -> String {
        match self {
            Number::Literal(v) => format_number(*v),
            Number::Param(name) => format!("[{name}]"),
        }
    }
}

/// The largest number a policy may give, either sign: more days than any
/// date can be apart, and more items than any document can hold (a
/// document has at most 100,000 nodes), so that a rule can always fail.
pub const MAX_POLICY_NUMBER: f64 = 1e9;

/// A number of a policy or of `blcheck.toml`: `None` for a value that is
/// not a number, an error (in words following "the number" or "parameter
/// 'x'") for NaN, infinities and numbers out of range, which would make a
/// rule that can never fail or never pass.
pub fn policy_number(value: &toml::Value) -> Option<Result<f64, String>> {
    let n = match value {
        toml::Value::Integer(n) => *n as f64,
        toml::Value::Float(n) => *n,
        _ => return None,
    };
    Some(if !n.is_finite() {
        Err(format!("must be a finite number, not {n}"))
    } else if n.abs() > MAX_POLICY_NUMBER {
        Err(format!(
            "is {n:e}, beyond what any document can hold (at most {MAX_POLICY_NUMBER:e} either way)"
        ))
    } else {
        Ok(n)
    })
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

/// A check kind: its name as policies write it, the fields of its TOML
/// table, and how it reads them. Each kind lives in its family's file and
/// is registered in `CHECK_KINDS`.
#[derive(Debug)]
pub struct CheckKind {
    pub name: &'static str,
    /// The fields it reads besides `check`, in the order its errors name them.
    pub fields: &'static [Field],
    /// Reads the check's fields; problems go to `args`, with their spans.
    pub parse: fn(&mut CheckArgs<'_>) -> Option<Arc<dyn Checker>>,
}

/// Every check kind. Adding one is a file (or an entry in its family's
/// file) and a line here.
pub const CHECK_KINDS: &[&CheckKind] = &[
    &presence::PRESENT,
    &presence::NON_EMPTY,
    &values::EQUALS,
    &values::NOT_EQUALS,
    &values::ONE_OF,
    &values::CONTAINS_ALL,
    &numbers::AT_LEAST,
    &numbers::AT_MOST,
    &numbers::GREATER_THAN,
    &numbers::RATIO_AT_LEAST,
    &numbers::AT_LEAST_FIELD,
    &items::MIN_ITEMS,
    &items::MIN_ITEMS_OF,
    &dates::DATE_VALID,
    &dates::DATE_NOT_AFTER_AS_OF,
    &dates::DATE_WITHIN,
    &dates::LATEST_WITHIN,
    &milestones::DONE_BY_DUE,
    &distinct::DISTINCT_IN_RUN,
    &course::AT_LEAST_COURSE_FIELD,
];

/// The check kind policies call `name`.
pub fn kind_named(name: &str) -> Option<&'static CheckKind> {
    CHECK_KINDS.iter().copied().find(|kind| kind.name == name)
}

/// A check as a rule holds it, its arguments read: what a kind's `parse`
/// makes.
pub trait Checker: fmt::Debug + Send + Sync {
    /// Pushes the failures of this check on a document; none when it passes.
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>);
    /// The check in words, for `explain` and docs/rules.md.
    fn describe(&self) -> String;
    /// What passes, in plain words for the people who write the document,
    /// with the path it reads beside them and each parameter's value
    /// (`` `a.b` is a number of at least 3 (min_years) ``).
    fn in_words(&self, params: &Params) -> String;
    /// The paths it reads.
    fn paths(&self) -> Vec<&Path>;
    /// The numbers it compares with (literals or rule parameters).
    fn numbers(&self) -> Vec<&Number> {
        Vec::new()
    }
    /// For a comparison, the path it bounds, from which side, and with
    /// what: a rule whose lower limit of a field is above its upper limit
    /// can never pass, and is refused when it loads.
    fn limit(&self) -> Option<(&Path, LimitSide, &Number)> {
        None
    }
    /// What the cross-document stage compares, for checks decided across
    /// the run (`distinct_in_run`); `None` for the others.
    fn fingerprint(&self, _root: &Node) -> Option<Fingerprint> {
        None
    }
    /// For a check against a learner plan's course (`at_least_course_field`),
    /// the path it reads on that Course; `None` for the others.
    fn course_field(&self) -> Option<&Path> {
        None
    }
    /// For a check against a learner plan's course, the plan's own value
    /// the cross-document stage compares; `None` for the others, and when
    /// the plan has no number there (its own evaluation says so).
    fn plan_value(&self, _root: &Node) -> Option<course::PlanValue> {
        None
    }
    /// For a check against a learner plan's course, the failure of the
    /// plan's value against what the course sets (`course` names it).
    fn judge_against_course(
        &self,
        _plan: &course::PlanValue,
        _set: &course::CourseValue,
        _course: &str,
    ) -> Option<Failure> {
        None
    }
}

/// One check of a rule, with its arguments.
#[derive(Debug, Clone)]
pub struct Check {
    kind: &'static str,
    checker: Arc<dyn Checker>,
}

impl Check {
    pub fn new(kind: &'static CheckKind, checker: Arc<dyn Checker>) -> Check {
        Check {
            kind: kind.name,
            checker,
        }
    }

    /// The name of its kind, as policies write it.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The failures of this check on a document; empty when it passes.
    pub fn evaluate(&self, root: &Node, ctx: &Context<'_>) -> Vec<Failure> {
        let mut out = Vec::new();
        self.checker.evaluate(root, ctx, &mut out);
        out
    }

    /// The check in words, for people reading the catalogue.
    pub fn describe(&self) -> String {
        self.checker.describe()
    }

    /// What passes, in plain words, the parameters' values given.
    pub fn in_words(&self, params: &Params) -> String {
        self.checker.in_words(params)
    }

    /// The path this check reads on a learner plan's course, if it is
    /// compared with the course.
    pub fn course_field(&self) -> Option<&Path> {
        self.checker.course_field()
    }

    /// The plan's value a course comparison is made with.
    pub fn plan_value(&self, root: &Node) -> Option<course::PlanValue> {
        self.checker.plan_value(root)
    }

    /// The failure of a plan's value against what its course sets; `None`
    /// when it passes, and for checks that are not course comparisons.
    pub fn judge_against_course(
        &self,
        plan: &course::PlanValue,
        set: &course::CourseValue,
        course: &str,
    ) -> Option<Failure> {
        self.checker.judge_against_course(plan, set, course)
    }

    /// The paths this check reads.
    pub fn paths(&self) -> Vec<&Path> {
        self.checker.paths()
    }

    /// The rule parameters this check refers to.
    pub fn params(&self) -> Vec<&str> {
        self.checker
            .numbers()
            .into_iter()
            .filter_map(|n| match n {
                Number::Param(name) => Some(name.as_str()),
                Number::Literal(_) => None,
            })
            .collect()
    }

    /// The path this comparison bounds, from which side, with what.
    pub fn limit(&self) -> Option<(&Path, LimitSide, &Number)> {
        self.checker.limit()
    }

    /// The fingerprint of a check decided across the run; `None` for other
    /// checks and for documents with nothing to compare.
    pub fn fingerprint(&self, root: &Node) -> Option<Fingerprint> {
        self.checker.fingerprint(root)
    }
}

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

/// Paths in backticks, for descriptions: `` `a`, `b` ``.
fn quoted_paths(paths: &[Path]) -> String {
    paths
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
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
    pub fn run(check: impl Checker, text: &str) -> Vec<String> {
        let params = Params::from([("n".to_string(), 365.0)]);
        let placeholders = Placeholders::default();
        let ctx = Context {
            as_of: as_of(),
            params: &params,
            placeholders: &placeholders,
        };
        let mut failures = Vec::new();
        check.evaluate(&doc(text), &ctx, &mut failures);
        failures
            .into_iter()
            .map(|f| format!("{} {}", f.pos, f.message))
            .collect()
    }

    pub fn p(text: &str) -> Path {
        Path::parse(text).unwrap()
    }
}

#[cfg(test)]
mod registry_tests {
    use super::*;
    use std::collections::BTreeSet;

    /// A valid value of each shape, as TOML.
    fn sample(shape: Shape) -> &'static str {
        match shape {
            Shape::Path => "\"a.b\"",
            Shape::Paths => "[\"a.b\", \"c[*].d\"]",
            Shape::Number => "\"n\"",
            Shape::Literal => "\"x\"",
            Shape::Literals => "[\"x\", 2]",
            Shape::Flag => "true",
        }
    }

    fn table(kind: &CheckKind) -> CheckTable {
        let mut text = format!("check = \"{}\"\n", kind.name);
        for field in kind.fields {
            text.push_str(&format!("{} = {}\n", field.name, sample(field.shape)));
        }
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", kind.name))
    }

    #[test]
    fn kind_names_and_fields_are_unique() {
        let mut names = BTreeSet::new();
        for kind in CHECK_KINDS {
            assert!(names.insert(kind.name), "{} is registered twice", kind.name);
            let fields: BTreeSet<&str> = kind.fields.iter().map(|f| f.name).collect();
            assert_eq!(fields.len(), kind.fields.len(), "{}", kind.name);
            assert!(!fields.contains("check"), "{}", kind.name);
        }
    }

    #[test]
    fn every_kind_parses_its_fields_and_describes_itself() {
        let params = Params::from([("n".to_string(), 3.0)]);
        for kind in CHECK_KINDS {
            let table = table(kind);
            let mut args = CheckArgs::new(&table, 0..0, &params).expect("a registered kind");
            let checker = (kind.parse)(&mut args);
            assert_eq!(args.into_errors(), [], "{}", kind.name);
            let check = Check::new(kind, checker.expect("parses"));
            assert_eq!(check.kind(), kind.name);
            let words = check.describe();
            for path in check.paths() {
                assert!(
                    words.contains(&format!("`{path}`")),
                    "{}: {words}",
                    kind.name
                );
            }
            assert!(!check.paths().is_empty(), "{}", kind.name);
            // The plain words name every path too, and give each
            // parameter's value beside its name.
            let plain = check.in_words(&params);
            for path in check.paths() {
                assert!(
                    plain.contains(&format!("`{path}`")),
                    "{}: {plain}",
                    kind.name
                );
            }
            if !check.params().is_empty() {
                assert!(plain.contains("3 (n)"), "{}: {plain}", kind.name);
            }
            // Every number field given as the parameter `n` is reported as
            // read, so unknown parameters are caught when a policy loads.
            let numbers = kind.fields.iter().filter(|f| f.shape == Shape::Number);
            assert_eq!(check.params().len(), numbers.count(), "{}", kind.name);
        }
    }

    #[test]
    fn a_kind_needs_each_required_field_and_refuses_others() {
        let params = Params::from([("n".to_string(), 3.0)]);
        for kind in CHECK_KINDS {
            let text = format!("check = \"{}\"\nzzz_unused = 1\n", kind.name);
            // A field no kind reads is refused by the TOML reader itself.
            assert!(
                toml::from_str::<CheckTable>(&text).is_err(),
                "{}",
                kind.name
            );
            let table: CheckTable = toml::from_str(&format!("check = \"{}\"\n", kind.name))
                .expect("a bare check reads");
            let args = CheckArgs::new(&table, 0..0, &params).expect("a registered kind");
            let needs: Vec<String> = args.into_errors().into_iter().map(|e| e.1).collect();
            let required = kind.fields.iter().filter(|f| f.shape != Shape::Flag);
            let expected: Vec<String> = required
                .map(|f| format!("check '{}' needs '{}'", kind.name, f.name))
                .collect();
            assert_eq!(needs, expected);
        }
    }

    /// Every kind has its row in docs/policy-format.md, naming its fields.
    #[test]
    fn every_kind_is_documented_with_its_fields() {
        let docs = include_str!("../../docs/policy-format.md");
        let all_fields: BTreeSet<&str> = CHECK_KINDS
            .iter()
            .flat_map(|k| k.fields.iter().map(|f| f.name))
            .collect();
        for kind in CHECK_KINDS {
            let row = docs
                .lines()
                .find(|line| line.starts_with(&format!("| `{}` |", kind.name)))
                .unwrap_or_else(|| panic!("{} has no row in docs/policy-format.md", kind.name));
            let cells: Vec<&str> = row.split('|').collect();
            let named: BTreeSet<&str> = cells[2]
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|word| all_fields.contains(word))
                .collect();
            let declared: BTreeSet<&str> = kind.fields.iter().map(|f| f.name).collect();
            assert_eq!(named, declared, "the documented fields of {}", kind.name);
        }
    }
}
