//! The waiver register: every waiver of the run, valid or not, with its
//! status as of the as-of date. The status is what the audit found about
//! the waiver (DOC006 expired, DOC007 invalid, DOC009 unused); a waiver
//! none of these names is active, or expiring when it ends within
//! `expiring_within_days` (a parameter of DOC006) of the as-of date. The
//! HTML report and the workbook list the same rows.

use crate::policy::{Catalogue, OwnCheck};
use crate::report::{DocumentOutcome, Report, Status, WaiverEntry};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WaiverState {
    Invalid,
    Expired,
    Expiring,
    Unused,
    Active,
}

impl WaiverState {
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverState::Active => "active",
            WaiverState::Expiring => "expiring",
            WaiverState::Expired => "expired",
            WaiverState::Invalid => "invalid",
            WaiverState::Unused => "unused",
        }
    }

    /// What the status means, for the register's key.
    pub fn meaning(self) -> &'static str {
        match self {
            WaiverState::Active => "waives its rule on the document",
            WaiverState::Expiring => "waives its rule, and ends soon",
            WaiverState::Expired => "ended before the as-of date: the rule counts as usual",
            WaiverState::Invalid => "incomplete, unknown rule or too long: waives nothing",
            WaiverState::Unused => "its rule does not fail on the document",
        }
    }
}

pub struct RegisterRow<'a> {
    pub document: &'a DocumentOutcome,
    pub entry: &'a WaiverEntry,
    pub state: WaiverState,
    /// Days from the as-of date to the expiry (negative: past).
    pub days_left: Option<i64>,
    /// The findings the waiver waives.
    pub waived: usize,
}

/// The days ahead within which an active waiver is "expiring".
pub fn expiring_within(catalogue: &Catalogue) -> i64 {
    catalogue
        .param(OwnCheck::WaiverExpired, "expiring_within_days")
        .map_or(0, |days| days as i64)
}

/// Every waiver of the run, in document order, then as written.
pub fn register<'a>(report: &'a Report, catalogue: &Catalogue) -> Vec<RegisterRow<'a>> {
    let id = |check| catalogue.rule(check).map(|r| r.id.clone());
    let (invalid, expired, unused) = (
        id(OwnCheck::WaiverInvalid),
        id(OwnCheck::WaiverExpired),
        id(OwnCheck::WaiverUnused),
    );
    let within = expiring_within(catalogue);
    let mut rows = Vec::new();
    for (index, document) in report.documents.iter().enumerate() {
        if document.waivers().is_empty() {
            continue;
        }
        for entry in document.waivers() {
            let about = |f: &&crate::report::Finding| {
                f.path().is_some_and(|p| {
                    p.strip_prefix(&*entry.path)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                })
            };
            let named = |check: &Option<std::sync::Arc<str>>| {
                report
                    .findings_of(index)
                    .filter(about)
                    .any(|f| check.as_ref().is_some_and(|id| *id == *f.rule()))
            };
            let incomplete = entry.rule.is_empty()
                || entry.reason.is_empty()
                || entry.approved_by.is_empty()
                || entry.expires.is_none();
            let days_left = entry.expires.map(|d| (d - report.as_of).num_days());
            let state = if named(&invalid) || incomplete {
                WaiverState::Invalid
            } else if named(&expired) || days_left.is_some_and(|d| d < 0) {
                WaiverState::Expired
            } else if named(&unused) {
                WaiverState::Unused
            } else if days_left.is_some_and(|d| d <= within) {
                WaiverState::Expiring
            } else {
                WaiverState::Active
            };
            let waived = match state {
                WaiverState::Active | WaiverState::Expiring => report
                    .findings_of(index)
                    .filter(|f| f.status == Status::Waived && **f.rule() == *entry.rule)
                    .count(),
                _ => 0,
            };
            rows.push(RegisterRow {
                document,
                entry,
                state,
                days_left,
                waived,
            });
        }
    }
    rows
}
