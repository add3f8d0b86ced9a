//! `--group-by`: which group each document and finding belongs to, and
//! the groups in the order every format lists them (by value; documents
//! without the field, then findings about no document, last).

use crate::report::{Finding, Report};
use std::collections::BTreeMap;

pub struct Grouping<'a> {
    report: &'a Report,
    /// The field, as the user named it.
    pub field: &'a str,
    none: String,
}

/// Where a group sorts: by value, the documents without one after, the
/// findings about no document last.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKey {
    Value(String),
    Missing,
    NoDocument,
}

impl<'a> Grouping<'a> {
    pub fn new(report: &'a Report, field: &'a str) -> Grouping<'a> {
        Grouping {
            report,
            field,
            none: format!("(no {field})"),
        }
    }

    pub fn of_document(&self, index: usize) -> GroupKey {
        match self.report.documents.get(index).and_then(|d| d.group()) {
            Some(value) => GroupKey::Value(value.to_string()),
            None => GroupKey::Missing,
        }
    }

    pub fn of_finding(&self, finding: &Finding) -> GroupKey {
        match finding.document_index {
            Some(index) => self.of_document(index as usize),
            None => GroupKey::NoDocument,
        }
    }

    /// The group as the reports name it.
    pub fn label<'k>(&'k self, key: &'k GroupKey) -> &'k str {
        match key {
            GroupKey::Value(value) => value,
            GroupKey::Missing => &self.none,
            GroupKey::NoDocument => "(not about a document)",
        }
    }

    /// `items` in groups, in group order; each group keeps the items' order.
    pub fn split<T>(
        &self,
        items: impl IntoIterator<Item = T>,
        key: impl Fn(&T) -> GroupKey,
    ) -> Vec<(GroupKey, Vec<T>)> {
        let mut groups: BTreeMap<GroupKey, Vec<T>> = BTreeMap::new();
        for item in items {
            groups.entry(key(&item)).or_default().push(item);
        }
        groups.into_iter().collect()
    }
}
