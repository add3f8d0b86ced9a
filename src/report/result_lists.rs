//! Every rule's status on each document, kept once for all documents
//! whose statuses are the same.

use super::RuleResult;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The results lists of a run's documents (every rule's status on each,
/// for the formats that list passes). Documents of one kind are held to
/// the same rules, and most fail the same few or none, so most lists equal
/// one already kept: such a document shares it, 16 bytes instead of four
/// a rule (100 bytes a course).
#[derive(Default)]
pub struct ResultLists {
    /// Lists kept so far, by a hash of the list. Bounded, so that a run
    /// whose lists never repeat does not pay for remembering them all.
    kept: HashMap<u64, Arc<[RuleResult]>>,
}

impl ResultLists {
    /// How many distinct lists are remembered for sharing.
    const REMEMBERED: usize = 1 << 14;

    /// `results` as a list shared with an equal one kept before, or kept.
    pub fn keep(&mut self, results: Vec<RuleResult>) -> Arc<[RuleResult]> {
        if results.is_empty() {
            return Arc::new([]);
        }
        let mut hasher = std::hash::DefaultHasher::new();
        results.hash(&mut hasher);
        let hash = hasher.finish();
        if let Some(kept) = self.kept.get(&hash) {
            if **kept == *results {
                return kept.clone();
            }
        }
        let list: Arc<[RuleResult]> = results.into();
        if self.kept.len() < Self::REMEMBERED {
            self.kept.entry(hash).or_insert_with(|| list.clone());
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{RuleRef, Status};

    fn result(rule: &str, status: Status) -> RuleResult {
        RuleResult {
            rule: RuleRef::of(rule),
            status,
        }
    }

    #[test]
    fn equal_lists_are_kept_once() {
        let mut lists = ResultLists::default();
        let a = lists.keep(vec![
            result("LISTS-A", Status::Pass),
            result("LISTS-B", Status::Fail),
        ]);
        let b = lists.keep(vec![
            result("LISTS-A", Status::Pass),
            result("LISTS-B", Status::Fail),
        ]);
        let c = lists.keep(vec![
            result("LISTS-A", Status::Pass),
            result("LISTS-B", Status::Pass),
        ]);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(c[1].status, Status::Pass);
        assert!(lists.keep(Vec::new()).is_empty());
    }
}
