//! `min_items`.

use super::presence::{placeholder, quoted_items};
use super::Params;
use super::{
    each_value, fail, format_number, wrong_type, Bounds, CheckKind, Checker, Context, Failure,
    Field, Literal, Number, Placeholders, Reads, Shape,
};
use crate::yaml::path::Path;
use crate::yaml::{Node, Value};
use std::sync::Arc;

pub const MIN_ITEMS: CheckKind = CheckKind {
    name: "min_items",
    fields: &[
        Field::new("path", Shape::Path).reading(Reads::List),
        Field::new("count", Shape::Number).within(Bounds::NOT_NEGATIVE),
        Field::new("distinct", Shape::Flag),
    ],
    parse: |args| {
        let path = args.path("path");
        let count = args.number("count");
        let distinct = args.flag("distinct");
        Some(Arc::new(MinItems {
            path: path?,
            count: count?,
            distinct,
        }))
    },
};

pub const MIN_ITEMS_OF: CheckKind = CheckKind {
    name: "min_items_of",
    fields: &[
        Field::new("path", Shape::Path),
        Field::new("count", Shape::Number),
        Field::new("values", Shape::Literals),
    ],
    parse: |args| {
        let path = args.path("path");
        let count = args.number("count");
        let values = args.literals("values");
        Some(Arc::new(MinItemsOf {
            path: path?,
            count: count?,
            values: values?,
        }))
    },
};

/// The list has at least `count` different items from a closed vocabulary
/// (`values`); other items are allowed beside them and not counted.
#[derive(Debug)]
pub struct MinItemsOf {
    pub path: Path,
    pub count: Number,
    pub values: Vec<Literal>,
}

impl Checker for MinItemsOf {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        let count = self.count.value(ctx.params);
        let start = out.len();
        each_value(&self.path, root, out, |reached, node, out| {
            let Value::List(items) = &node.value else {
                out.push(wrong_type(reached, node, "a list"));
                return;
            };
            let known: Vec<usize> = self
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| items.iter().any(|item| v.matches(item)))
                .map(|(i, _)| i)
                .collect();
            if (known.len() as f64) < count {
                let others = items
                    .iter()
                    .filter(|item| !self.values.iter().any(|v| v.matches(item)));
                let (empty, unknown): (Vec<&Node>, Vec<&Node>) =
                    others.partition(|item| placeholder(item, ctx.placeholders).is_some());
                let mut not_counted = String::new();
                if !empty.is_empty() {
                    not_counted.push_str(&format!(
                        " ({} not counted: {} placeholder)",
                        quoted_items(empty.iter().copied()),
                        if empty.len() == 1 { "a" } else { "each a" }
                    ));
                }
                if !unknown.is_empty() {
                    not_counted.push_str(&format!(
                        " ({} not among them)",
                        quoted_items(unknown.into_iter())
                    ));
                }
                out.push(fail(
                    reached,
                    format!(
                        "'{}' has {} of the documented values ({}){not_counted}, at least {} needed",
                        reached.path,
                        known.len(),
                        self.vocabulary(),
                        format_number(count)
                    ),
                ));
            }
        });
        // A missing list names what would pass, as a list outside the
        // vocabulary does.
        for failure in &mut out[start..] {
            if !failure.wrong_type && failure.message.ends_with("is missing") {
                failure.message.push_str(&format!(
                    ": at least {} of the documented values ({}) needed",
                    format_number(count),
                    self.vocabulary()
                ));
            }
        }
    }

    fn describe(&self) -> String {
        format!(
            "`{}` has at least {} of {}",
            self.path,
            self.count.describe(),
            self.vocabulary()
        )
    }

    fn in_words(&self, params: &Params) -> String {
        format!(
            "`{}` is a list naming at least {} of the documented values {}; other words may stand beside them but are not counted",
            self.path,
            self.count.in_words(params),
            self.vocabulary()
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }

    fn numbers(&self) -> Vec<&Number> {
        vec![&self.count]
    }
}

impl MinItemsOf {
    fn vocabulary(&self) -> String {
        self.values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The list has at least `count` items (distinct items when `distinct`).
#[derive(Debug)]
pub struct MinItems {
    pub path: Path,
    pub count: Number,
    pub distinct: bool,
}

impl Checker for MinItems {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        let count = self.count.value(ctx.params);
        min_items(
            &self.path,
            count,
            self.distinct,
            root,
            ctx.placeholders,
            out,
        );
    }

    fn describe(&self) -> String {
        format!(
            "`{}` has at least {} {}item(s) that are not placeholders",
            self.path,
            self.count.describe(),
            if self.distinct { "different " } else { "" }
        )
    }

    fn in_words(&self, params: &Params) -> String {
        format!(
            "`{}` is a list of at least {} {}item(s), placeholders such as n/a not counted",
            self.path,
            self.count.in_words(params),
            if self.distinct { "different " } else { "" }
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }

    fn numbers(&self) -> Vec<&Number> {
        vec![&self.count]
    }
}

fn min_items(
    path: &Path,
    count: f64,
    distinct: bool,
    root: &Node,
    placeholders: &Placeholders,
    out: &mut Vec<Failure>,
) {
    each_value(path, root, out, |reached, node, out| {
        let Value::List(items) = &node.value else {
            out.push(wrong_type(reached, node, "a list"));
            return;
        };
        let (empty, real): (Vec<&Node>, Vec<&Node>) = items
            .iter()
            .partition(|item| placeholder(item, placeholders).is_some());
        let n = if distinct {
            let mut seen: Vec<&str> = real.iter().filter_map(|n| n.scalar_text()).collect();
            seen.sort_unstable();
            seen.dedup();
            seen.len()
        } else {
            real.len()
        };
        if (n as f64) < count {
            let what = if distinct { "different item" } else { "item" };
            let not_counted = if empty.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} not counted: {} placeholder)",
                    quoted_items(empty.iter().copied()),
                    if empty.len() == 1 { "a" } else { "each a" }
                )
            };
            out.push(fail(
                reached,
                format!(
                    "'{}' has {n} {what}{}{not_counted}, at least {} needed",
                    reached.path,
                    if n == 1 { "" } else { "s" },
                    format_number(count)
                ),
            ));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{p, run};
    use super::*;

    #[test]
    fn counts_items() {
        let check = || MinItems {
            path: p("a"),
            count: Number::Literal(1.0),
            distinct: false,
        };
        assert!(run(check(), "a: [x]\n").is_empty());
        assert_eq!(
            run(check(), "a: []\n"),
            ["1:1 'a' has 0 items, at least 1 needed"]
        );
        assert_eq!(
            run(check(), "a: x\n"),
            ["1:1 'a' should be a list, not 'x'"]
        );
    }

    #[test]
    fn a_closed_vocabulary_counts_its_own_values_and_allows_others() {
        let check = || MinItemsOf {
            path: p("a"),
            count: Number::Literal(1.0),
            values: vec![
                Literal::Text("declaration".into()),
                Literal::Text("viva".into()),
            ],
        };
        assert!(run(check(), "a: [declaration, Checked by the IQA]\n").is_empty());
        assert_eq!(
            run(check(), "a: [tutor reads it]\n"),
            ["1:1 'a' has 0 of the documented values ('declaration', 'viva') ('tutor reads it' not among them), at least 1 needed"]
        );
        assert_eq!(
            run(check(), "a: [none]\n"),
            ["1:1 'a' has 0 of the documented values ('declaration', 'viva') ('none' not counted: a placeholder), at least 1 needed"]
        );
        assert_eq!(
            run(check(), "b: [declaration]\n"),
            ["1:1 'a' is missing: at least 1 of the documented values ('declaration', 'viva') needed"]
        );
    }

    #[test]
    fn placeholder_items_are_not_counted() {
        let check = || MinItems {
            path: p("a"),
            count: Number::Literal(1.0),
            distinct: false,
        };
        assert_eq!(
            run(check(), "a: [none]\n"),
            ["1:1 'a' has 0 items ('none' not counted: a placeholder), at least 1 needed"]
        );
        assert_eq!(
            run(check(), "a: [N/A, tbc]\n"),
            ["1:1 'a' has 0 items ('N/A', 'tbc' not counted: each a placeholder), at least 1 needed"]
        );
        assert!(run(check(), "a: [none, declaration]\n").is_empty());
    }

    #[test]
    fn distinct_counts_each_value_once() {
        let check = || MinItems {
            path: p("l"),
            count: Number::Literal(2.0),
            distinct: true,
        };
        assert!(run(check(), "l: [reaction, learning]\n").is_empty());
        assert_eq!(
            run(check(), "l: [reaction, reaction]\n"),
            ["1:1 'l' has 1 different item, at least 2 needed"]
        );
    }

    #[test]
    fn every_item_of_a_list_of_lists() {
        let check = MinItems {
            path: p("g[*].m"),
            count: Number::Literal(1.0),
            distinct: false,
        };
        assert_eq!(
            run(check, "g:\n  - goal: a\n    m: [x]\n  - goal: b\n"),
            ["4:5 'g[1].m' is missing"]
        );
    }
}
