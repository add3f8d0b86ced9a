//! `done_by_due`: items of a list (a plan's milestones) whose due date has
//! passed are done.

use super::Params;
use super::{each_value, fail, CheckKind, Checker, Context, Failure, Field, Literal, Shape};
use crate::dates::parse_date;
use crate::yaml::path::Path;
use crate::yaml::Node;
use std::sync::Arc;

pub const DONE_BY_DUE: CheckKind = CheckKind {
    name: "done_by_due",
    fields: &[
        Field::new("path", Shape::Path),
        Field::new("due", Shape::Path),
        Field::new("status", Shape::Path),
        Field::new("done", Shape::Literal),
    ],
    parse: |args| {
        let path = args.path("path");
        let due = args.path_within("due", path.as_ref());
        let status = args.path_within("status", path.as_ref());
        let done = args.literal("done");
        Some(Arc::new(DoneByDue {
            path: path?,
            due: due?,
            status: status?,
            done: done?,
        }))
    },
};

/// Each item at `path` whose `due` date (read from the item) is before the
/// as-of date has `status` equal to `done`. Items with no due date, or one
/// that is not a date, are left to the checks that require dates.
#[derive(Debug)]
pub struct DoneByDue {
    pub path: Path,
    pub due: Path,
    pub status: Path,
    pub done: Literal,
}

impl Checker for DoneByDue {
    fn evaluate(&self, root: &Node, ctx: &Context<'_>, out: &mut Vec<Failure>) {
        each_value(&self.path, root, out, |reached, item, out| {
            let Some(due) = first_value(&self.due, item)
                .and_then(Node::scalar_text)
                .and_then(|text| parse_date(text).ok())
            else {
                return;
            };
            if due >= ctx.as_of {
                return;
            }
            let status = first_value(&self.status, item);
            if status.is_some_and(|s| self.done.matches(s)) {
                return;
            }
            let state = match status.and_then(Node::scalar_text) {
                Some(text) => format!("'{}' is '{text}'", self.status),
                None => format!("no '{}'", self.status),
            };
            let mut failure = fail(
                reached,
                format!(
                    "'{}' was due {due}, before the as-of date {}, and is not {}: {state}",
                    reached.path, ctx.as_of, self.done
                ),
            );
            failure.pos = status.map_or(item.pos, |s| s.pos);
            failure.path = format!("{}.{}", reached.path, self.status);
            out.push(failure);
        });
    }

    fn describe(&self) -> String {
        format!(
            "every item of `{}` whose `{}` is before the as-of date has `{}` {}",
            self.path, self.due, self.status, self.done
        )
    }

    fn in_words(&self, _params: &Params) -> String {
        format!(
            "each item of `{}` whose `{}` date has passed has `{}: {}`",
            self.path, self.due, self.status, self.done
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path]
    }
}

fn first_value<'a>(path: &'a Path, item: &'a Node) -> Option<&'a Node> {
    path.resolve(item).first().and_then(|r| r.node)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{p, run};
    use super::*;

    fn check() -> DoneByDue {
        DoneByDue {
            path: p("m[*]"),
            due: p("due"),
            status: p("status"),
            done: Literal::Text("done".into()),
        }
    }

    #[test]
    fn past_milestones_must_be_done() {
        let text = "m:\n  - due: 2025-10-01\n    status: done\n  - due: 2025-10-02\n    status: in_progress\n  - due: 2025-10-03\n  - due: 2025-12-01\n  - due: not a date\n";
        assert_eq!(
            run(check(), text),
            [
                "5:5 'm[1]' was due 2025-10-02, before the as-of date 2025-11-01, and is not 'done': 'status' is 'in_progress'",
                "6:5 'm[2]' was due 2025-10-03, before the as-of date 2025-11-01, and is not 'done': no 'status'",
            ]
        );
    }

    #[test]
    fn due_on_the_as_of_date_is_not_yet_overdue() {
        assert!(run(check(), "m:\n  - due: 2025-11-01\n").is_empty());
    }
}
