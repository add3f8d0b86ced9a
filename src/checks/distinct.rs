//! `distinct_in_run`: no other document of the run with the same `group_by`
//! value has the same text at `paths` (case and white space folded).
//! Decided by the cross-document stage (audit/corpus.rs) from each
//! document's fingerprint; on one document it never fails.

use super::Params;
use super::{quoted_paths, CheckKind, Checker, Context, Failure, Field, Fingerprint, Shape};
use crate::yaml::path::Path;
use crate::yaml::Node;
use std::sync::Arc;

pub const DISTINCT_IN_RUN: CheckKind = CheckKind {
    name: "distinct_in_run",
    fields: &[
        Field::new("group_by", Shape::Path),
        Field::new("paths", Shape::Paths),
    ],
    parse: |args| {
        let group_by = args.path("group_by");
        let paths = args.paths("paths");
        Some(Arc::new(DistinctInRun {
            group_by: group_by?,
            paths: paths?,
        }))
    },
};

#[derive(Debug)]
pub struct DistinctInRun {
    pub group_by: Path,
    pub paths: Vec<Path>,
}

impl Checker for DistinctInRun {
    // Needs the whole run: see `fingerprint`.
    fn evaluate(&self, _root: &Node, _ctx: &Context<'_>, _out: &mut Vec<Failure>) {}

    fn describe(&self) -> String {
        format!(
            "no other document with the same `{}` in the run has the same {} (case and white space folded)",
            self.group_by,
            quoted_paths(&self.paths)
        )
    }

    fn in_words(&self, _params: &Params) -> String {
        format!(
            "no other document of the run with the same `{}` has the same text at {}, once case and white space are folded",
            self.group_by,
            quoted_paths(&self.paths)
        )
    }

    fn paths(&self) -> Vec<&Path> {
        std::iter::once(&self.group_by).chain(&self.paths).collect()
    }

    /// `None` for documents with no text at the paths (nothing to compare).
    fn fingerprint(&self, root: &Node) -> Option<Fingerprint> {
        use std::hash::{Hash, Hasher};
        let group = self
            .group_by
            .resolve(root)
            .first()?
            .node?
            .scalar_text()?
            .to_string();
        // SipHash with fixed keys: the same text hashes the same in every run.
        let mut hasher = std::hash::DefaultHasher::new();
        let mut any_text = false;
        for path in &self.paths {
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
        let outer = self.paths.first()?.outer();
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

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, p};
    use super::*;

    #[test]
    fn folded_text_of_one_group_fingerprints_alike() {
        let check = DistinctInRun {
            group_by: p("course"),
            paths: vec![p("goals[*].text")],
        };
        let a = check
            .fingerprint(&doc("course: C1\ngoals:\n  - text: Plan  a Letter\n"))
            .expect("has text");
        let b = check
            .fingerprint(&doc("course: C1\ngoals:\n  - text: plan a letter\n"))
            .expect("has text");
        assert_eq!((a.hash, &a.group, &a.path), (b.hash, &b.group, &b.path));
        assert_eq!(a.path, "goals");
        assert_eq!(check.fingerprint(&doc("course: C1\ngoals: []\n")), None);
    }
}
