//! `equals`, `not_equals`, `one_of`, `contains_all`.

use super::Params;
use super::{
    each_value, fail, CheckArgs, CheckKind, Checker, Context, Failure, Field, Literal, Shape,
};
use crate::yaml::path::Path;
use crate::yaml::{Node, Value};
use std::sync::Arc;

const ONE_VALUE: &[Field] = &[
    Field::new("path", Shape::Path),
    Field::new("value", Shape::Literal),
];

const VALUES: &[Field] = &[
    Field::new("path", Shape::Path),
    Field::new("values", Shape::Literals),
];

pub const EQUALS: CheckKind = CheckKind {
    name: "equals",
    fields: ONE_VALUE,
    parse: |args| {
        let (path, value) = path_and_value(args)?;
        Some(Arc::new(Equals { path, value }))
    },
};

pub const NOT_EQUALS: CheckKind = CheckKind {
    name: "not_equals",
    fields: ONE_VALUE,
    parse: |args| {
        let (path, value) = path_and_value(args)?;
        Some(Arc::new(NotEquals { path, value }))
    },
};

pub const ONE_OF: CheckKind = CheckKind {
    name: "one_of",
    fields: VALUES,
    parse: |args| {
        let (path, values) = path_and_values(args)?;
        Some(Arc::new(OneOf { path, values }))
    },
};

pub const CONTAINS_ALL: CheckKind = CheckKind {
    name: "contains_all",
    fields: VALUES,
    parse: |args| {
        let (path, values) = path_and_values(args)?;
        Some(Arc::new(ContainsAll { path, values }))
    },
};

// Both fields are read before either is given up on, so that the problems
// of both are reported.
fn path_and_value(args: &mut CheckArgs<'_>) -> Option<(Path, Literal)> {
    let path = args.path("path");
    let value = args.literal("value");
    Some((path?, value?))
}

fn path_and_values(args: &mut CheckArgs<'_>) -> Option<(Path, Vec<Literal>)> {
    let path = args.path("path");
    let values = args.literals("values");
    Some((path?, values?))
}

/// The value is `value` (of its type: `true` is not `'true'`).
#[derive(Debug)]
pub struct Equals {
    pub path: Path,
    pub value: Literal,
}

impl Checker for Equals {
    fn evaluate(&self, root: &Node, _ctx: &Context<'_>, out: &mut Vec<Failure>) {
        equals(&self.path, &self.value, root, out);
    }

    fn describe(&self) -> String {
        format!("`{}` is {}", self.path, self.value)
    }

    fn in_words(&self, _params: &Params) -> String {
        format!("`{}` is exactly {}", self.path, self.value)
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

/// The value is present and is not `value`.
#[derive(Debug)]
pub struct NotEquals {
    pub path: Path,
    pub value: Literal,
}

impl Checker for NotEquals {
    fn evaluate(&self, root: &Node, _ctx: &Context<'_>, out: &mut Vec<Failure>) {
        not_equals(&self.path, &self.value, root, out);
    }

    fn describe(&self) -> String {
        format!("`{}` is present and not {}", self.path, self.value)
    }

    fn in_words(&self, _params: &Params) -> String {
        format!(
            "`{}` is given and is anything but {}",
            self.path, self.value
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

/// The value is one of `values`.
#[derive(Debug)]
pub struct OneOf {
    pub path: Path,
    pub values: Vec<Literal>,
}

impl Checker for OneOf {
    fn evaluate(&self, root: &Node, _ctx: &Context<'_>, out: &mut Vec<Failure>) {
        one_of(&self.path, &self.values, root, out);
    }

    fn describe(&self) -> String {
        format!("`{}` is one of {}", self.path, comma_list(&self.values))
    }

    fn in_words(&self, _params: &Params) -> String {
        format!("`{}` is one of {}", self.path, or_list(&self.values))
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

/// The list holds every one of `values`.
#[derive(Debug)]
pub struct ContainsAll {
    pub path: Path,
    pub values: Vec<Literal>,
}

impl Checker for ContainsAll {
    fn evaluate(&self, root: &Node, _ctx: &Context<'_>, out: &mut Vec<Failure>) {
        contains_all(&self.path, &self.values, root, out);
    }

    fn describe(&self) -> String {
        format!("`{}` includes {}", self.path, comma_list(&self.values))
    }

    fn in_words(&self, _params: &Params) -> String {
        format!(
            "`{}` is a list that names every one of {}",
            self.path,
            comma_list(&self.values)
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

/// `'a', 'b' or 'c'`, for words a person reads.
fn or_list(values: &[Literal]) -> String {
    let words: Vec<String> = values.iter().map(ToString::to_string).collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => words.join(""),
    }
}

fn comma_list(values: &[Literal]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn equals(path: &Path, wanted: &Literal, root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        if !wanted.matches(node) {
            out.push(fail(
                reached,
                format!("'{}' is {}, not {wanted}", reached.path, node.describe()),
            ));
        }
    });
}

fn not_equals(path: &Path, refused: &Literal, root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        if refused.matches(node) {
            out.push(fail(
                reached,
                format!(
                    "'{}' is {refused}, which does not meet the rule",
                    reached.path
                ),
            ));
        }
    });
}

fn one_of(path: &Path, allowed: &[Literal], root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        if !allowed.iter().any(|a| a.matches(node)) {
            out.push(fail(
                reached,
                format!(
                    "'{}' is {}, not {}",
                    reached.path,
                    node.describe(),
                    list(allowed, "or")
                ),
            ));
        }
    });
}

fn contains_all(path: &Path, wanted: &[Literal], root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        let Value::List(items) = &node.value else {
            out.push(super::wrong_type(reached, node, "a list"));
            return;
        };
        let lacking: Vec<Literal> = wanted
            .iter()
            .filter(|w| !items.iter().any(|item| w.matches(item)))
            .cloned()
            .collect();
        if !lacking.is_empty() {
            out.push(fail(
                reached,
                format!(
                    "'{}' does not include {}",
                    reached.path,
                    list(&lacking, "and")
                ),
            ));
        }
    });
}

fn list(values: &[Literal], last: &str) -> String {
    let words: Vec<String> = values.iter().map(Literal::to_string).collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{p, run};
    use super::*;

    fn text(s: &str) -> Literal {
        Literal::Text(s.to_string())
    }

    #[test]
    fn equals_compares_type_and_value() {
        let check = || Equals {
            path: p("a.status"),
            value: text("approved"),
        };
        assert!(run(check(), "a:\n  status: approved\n").is_empty());
        assert_eq!(
            run(check(), "a:\n  status: pending\n"),
            ["2:3 'a.status' is 'pending', not 'approved'"]
        );
        let flag = || Equals {
            path: p("f"),
            value: Literal::Bool(true),
        };
        assert!(run(flag(), "f: true\n").is_empty());
        assert_eq!(run(flag(), "f: 'true'\n"), ["1:1 'f' is 'true', not true"]);
    }

    #[test]
    fn not_equals_refuses_one_value_and_missing() {
        let check = || NotEquals {
            path: p("m"),
            value: text("none"),
        };
        assert!(run(check(), "m: weekly\n").is_empty());
        assert_eq!(run(check(), "m: none\n").len(), 1);
        assert_eq!(run(check(), "x: 1\n"), ["1:1 'm' is missing"]);
    }

    #[test]
    fn one_of_lists_the_allowed_values() {
        let check = || OneOf {
            path: p("o"),
            values: vec![text("pass"), text("pass_with_actions")],
        };
        assert!(run(check(), "o: pass_with_actions\n").is_empty());
        assert_eq!(
            run(check(), "o: fail\n"),
            ["1:1 'o' is 'fail', not 'pass' or 'pass_with_actions'"]
        );
    }

    #[test]
    fn contains_all_names_what_is_lacking() {
        let check = || ContainsAll {
            path: p("access"),
            values: vec![text("learner"), text("tutor")],
        };
        assert!(run(check(), "access: [tutor, learner, employer]\n").is_empty());
        assert_eq!(
            run(check(), "access: [employer]\n"),
            ["1:1 'access' does not include 'learner' and 'tutor'"]
        );
        assert_eq!(
            run(check(), "access: tutor\n"),
            ["1:1 'access' should be a list, not 'tutor'"]
        );
    }
}
