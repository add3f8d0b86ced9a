//! `present` and `non_empty`.

use super::{each_value, fail, missing, Failure};

use crate::yaml::path::Path;
use crate::yaml::{Node, Value};

/// The value exists and is not null. An empty list counts as present
/// ("[] means assessed, none identified").
/// A path through a list (`a[type=x]`) must reach at least one value.
pub fn present(path: &Path, root: &Node, out: &mut Vec<Failure>) {
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

/// The value exists and holds something: text that is not only white space,
/// a list or mapping with at least one entry.
pub fn non_empty(path: &Path, root: &Node, out: &mut Vec<Failure>) {
    each_value(path, root, out, |reached, node, out| {
        let empty = match &node.value {
            Value::Text(s) => s.trim().is_empty(),
            Value::List(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
            _ => false,
        };
        if empty {
            out.push(fail(reached, format!("'{}' is empty", reached.path)));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{p, run};
    use super::super::Check;

    #[test]
    fn present_accepts_empty_lists_but_not_null() {
        let check = || Check::Present { path: p("a.needs") };
        assert!(run(check(), "a:\n  needs: []\n").is_empty());
        assert_eq!(
            run(check(), "a:\n  needs: ~\n"),
            ["2:3 'a.needs' is missing"]
        );
        assert_eq!(run(check(), "a:\n  x: 1\n"), ["1:1 'a.needs' is missing"]);
    }

    #[test]
    fn present_through_a_filter_needs_a_match() {
        let check = || Check::Present {
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
        let check = || Check::NonEmpty { path: p("a") };
        assert!(run(check(), "a: x\n").is_empty());
        assert_eq!(run(check(), "a: '   '\n"), ["1:1 'a' is empty"]);
        assert_eq!(run(check(), "a: []\n"), ["1:1 'a' is empty"]);
        assert_eq!(run(check(), "b: 1\n"), ["1:1 'a' is missing"]);
    }
}
