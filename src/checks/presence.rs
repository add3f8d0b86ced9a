//! `present` and `non_empty`.

use super::Params;
use super::{
    each_value, fail, missing, CheckKind, Checker, Context, Failure, Field, Placeholders, Shape,
};
use crate::yaml::path::Path;
use crate::yaml::{Node, Value};
use std::sync::Arc;

pub const PRESENT: CheckKind = CheckKind {
    name: "present",
    fields: &[Field::new("path", Shape::Path)],
    parse: |args| {
        Some(Arc::new(Present {
            path: args.path("path")?,
        }))
    },
};

pub const NON_EMPTY: CheckKind = CheckKind {
    name: "non_empty",
    fields: &[Field::new("path", Shape::Path)],
    parse: |args| {
        Some(Arc::new(NonEmpty {
            path: args.path("path")?,
        }))
    },
};

/// The value exists and is not null. An empty list counts as present
/// ("[] means assessed, none identified").
/// A path through a list (`a[type=x]`) must reach at least one value.
#[derive(Debug)]
pub struct Present {
    pub path: Path,
}

impl Checker for Present {
    fn evaluate(&self, root: &Node, _ctx: &Context<'_>, out: &mut Vec<Failure>) {
        present(&self.path, root, out);
    }

    fn describe(&self) -> String {
        format!("`{}` is present", self.path)
    }

    fn in_words(&self, _params: &Params) -> String {
        format!("`{}` is there (it may be empty: `[]` says none)", self.path)
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

/// The value exists and holds something: text that is not only white space,
/// a list or mapping with at least one entry.
#[derive(Debug)]
pub struct NonEmpty {
    pub path: Path,
}

impl Checker for NonEmpty {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        non_empty(&self.path, root, ctx.placeholders, out);
    }

    fn describe(&self) -> String {
        format!("`{}` is not empty and not a placeholder", self.path)
    }

    fn in_words(&self, _params: &Params) -> String {
        format!(
            "`{}` is given and says something: not blank, not an empty list, not a placeholder such as n/a or tbc",
            self.path
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

fn present(path: &Path, root: &Node, out: &mut Vec<Failure>) {
    let reached = path.resolve(root);
    if reached.is_empty() {
        out.push(Failure {
            pos: root.pos,
            path: path.to_string(),
            message: format!("nothing matches '{path}'"),
            wrong_type: false,
        });
    }
    out.extend(reached.iter().filter(|r| r.node.is_none()).map(missing));
}

fn non_empty(path: &Path, root: &Node, placeholders: &Placeholders, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        let empty = match &node.value {
            Value::Text(s) => s.trim().is_empty(),
            Value::List(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
            _ => false,
        };
        if empty {
            out.push(fail(reached, format!("'{}' is empty", reached.path)));
        } else if let Some(text) = placeholder(node, placeholders) {
            out.push(fail(
                reached,
                format!("'{}' is '{text}', a placeholder, not a value", reached.path),
            ));
        } else if let Value::List(items) = &node.value {
            if items
                .iter()
                .all(|item| placeholder(item, placeholders).is_some())
            {
                out.push(fail(
                    reached,
                    format!(
                        "'{}' holds only placeholders ({}), no value",
                        reached.path,
                        quoted_items(items.iter())
                    ),
                ));
            }
        }
    });
}

/// The text of a scalar that is one of the placeholders.
pub(super) fn placeholder<'a>(node: &'a Node, placeholders: &Placeholders) -> Option<&'a str> {
    node.scalar_text().filter(|text| placeholders.matches(text))
}

/// `'none', 'n/a'`: the items of a list as a message quotes them.
pub(super) fn quoted_items<'a>(items: impl Iterator<Item = &'a Node>) -> String {
    items
        .filter_map(Node::scalar_text)
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{p, run};
    use super::*;

    #[test]
    fn present_accepts_empty_lists_but_not_null() {
        let check = || Present { path: p("a.needs") };
        assert!(run(check(), "a:\n  needs: []\n").is_empty());
        assert_eq!(
            run(check(), "a:\n  needs: ~\n"),
            ["2:3 'a.needs' is missing"]
        );
        assert_eq!(run(check(), "a:\n  x: 1\n"), ["1:1 'a.needs' is missing"]);
    }

    #[test]
    fn present_through_a_filter_needs_a_match() {
        let check = || Present {
            path: p("c[type=live]"),
        };
        assert!(run(check(), "c:\n  - type: live\n").is_empty());
        assert_eq!(
            run(check(), "c:\n  - type: f2f\n"),
            ["1:1 nothing matches 'c[type=live]'"]
        );
    }

    #[test]
    fn non_empty_refuses_blank_text_and_empty_lists() {
        let check = || NonEmpty { path: p("a") };
        assert!(run(check(), "a: x\n").is_empty());
        assert_eq!(run(check(), "a: '   '\n"), ["1:1 'a' is empty"]);
        assert_eq!(run(check(), "a: []\n"), ["1:1 'a' is empty"]);
        assert_eq!(run(check(), "b: 1\n"), ["1:1 'a' is missing"]);
    }

    #[test]
    fn non_empty_takes_placeholders_for_no_value() {
        let check = || NonEmpty { path: p("a") };
        assert_eq!(
            run(check(), "a: N/A\n"),
            ["1:1 'a' is 'N/A', a placeholder, not a value"]
        );
        assert_eq!(
            run(check(), "a: [none, tbc]\n"),
            ["1:1 'a' holds only placeholders ('none', 'tbc'), no value"]
        );
        assert!(run(check(), "a: [none, Learner Support Team]\n").is_empty());
        assert!(run(check(), "a: Not applicable to apprentices on site\n").is_empty());
    }

    #[test]
    fn punctuation_around_a_placeholder_or_alone_is_no_value() {
        let check = || NonEmpty { path: p("a") };
        for text in [
            "\u{2014}", "\u{2013}", "...", "\u{2026}", "T.B.C", "TBC!", "nothing",
        ] {
            assert_eq!(
                run(check(), &format!("a: \"{text}\"\n")),
                [format!("1:1 'a' is '{text}', a placeholder, not a value")],
                "{text}"
            );
        }
        assert!(run(check(), "a: N/A-level course\n").is_empty());
        assert_eq!(
            run(check(), "a: [\"...\", \"T.B.C\"]\n"),
            ["1:1 'a' holds only placeholders ('...', 'T.B.C'), no value"]
        );
    }
}
