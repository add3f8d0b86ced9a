//! What a rule's status on a document shows, the same in every renderer
//! that marks one: the HTML report's matrix and findings, the workbook's
//! matrix and Findings status cells, the table's colours. Colour is never
//! the only signal: each mark has a symbol and a word.

use crate::report::{Severity, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Pass,
    /// An error: the rule fails.
    Fail,
    /// A warning: the rule fails.
    Warning,
    Info,
    Waived,
    Baselined,
    /// A baseline entry no finding matches any more: shown as the good
    /// news it is. It is never a matrix cell (a document's result is what
    /// the rule finds today, pass once the failure is fixed), only a
    /// finding in the lists.
    Fixed,
    NotApplicable,
}

impl Mark {
    pub const ALL: [Mark; 8] = [
        Mark::Pass,
        Mark::Fail,
        Mark::Warning,
        Mark::Info,
        Mark::Waived,
        Mark::Baselined,
        Mark::Fixed,
        Mark::NotApplicable,
    ];

    /// The mark of a finding or a result of `status`, whose rule has
    /// `severity`.
    pub fn of(status: Status, severity: Severity) -> Mark {
        match (status, severity) {
            (Status::Pass, _) => Mark::Pass,
            (Status::Fail, Severity::Error) => Mark::Fail,
            (Status::Fail, Severity::Warning) => Mark::Warning,
            (Status::Fail, Severity::Info) => Mark::Info,
            (Status::Waived, _) => Mark::Waived,
            (Status::Baselined, _) => Mark::Baselined,
            (Status::Fixed, _) => Mark::Fixed,
            (Status::Skip, _) => Mark::NotApplicable,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Pass | Mark::Fixed => "✓",
            Mark::Fail => "✗",
            Mark::Warning => "!",
            Mark::Info => "i",
            Mark::Waived => "~",
            Mark::Baselined => "≡",
            Mark::NotApplicable => "–",
        }
    }

    /// The word beside the symbol (the status word of the JSON report,
    /// but for a failure, named by its severity).
    pub fn word(self) -> &'static str {
        match self {
            Mark::Pass => "pass",
            Mark::Fail => "fail",
            Mark::Warning => "warning",
            Mark::Info => "info",
            Mark::Waived => "waived",
            Mark::Baselined => "baselined",
            Mark::Fixed => "fixed",
            Mark::NotApplicable => "n/a",
        }
    }

    /// What the mark means, for a key.
    pub fn legend(self) -> &'static str {
        match self {
            Mark::Pass => "the rule passes",
            Mark::Fail => "an error: the rule fails",
            Mark::Warning => "a warning: the rule fails",
            Mark::Info => "for information",
            Mark::Waived => "the rule fails under an approved waiver",
            Mark::Baselined => "a known failure the baseline holds: it does not fail the run",
            Mark::Fixed => "a failure the baseline holds that no longer occurs",
            Mark::NotApplicable => "the rule does not apply to the document",
        }
    }

    /// The words for a tooltip.
    pub fn meaning(self) -> &'static str {
        match self {
            Mark::Pass => "pass",
            Mark::Fail => "fail (error)",
            Mark::Warning => "fail (warning)",
            Mark::Info => "information",
            Mark::Waived => "waived",
            Mark::Baselined => "baselined",
            Mark::Fixed => "fixed since the baseline",
            Mark::NotApplicable => "not applicable",
        }
    }

    /// The colour the mark is shown in: a fixed entry is good news, as a
    /// pass; a baselined failure is accepted, as a waived one.
    pub fn tone(self) -> Tone {
        match self {
            Mark::Pass | Mark::Fixed => Tone::Good,
            Mark::Fail => Tone::Error,
            Mark::Warning => Tone::Warning,
            Mark::Info => Tone::Info,
            Mark::Waived | Mark::Baselined => Tone::Accepted,
            Mark::NotApplicable => Tone::Neutral,
        }
    }
}

/// The colours marks are shown in; each renderer picks its own shade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Error,
    Warning,
    Info,
    /// A failure accepted for now: waived or baselined.
    Accepted,
    /// Not applicable: no colour.
    Neutral,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_mark_with_a_symbol_and_a_word() {
        let statuses = [
            Status::Pass,
            Status::Fail,
            Status::Skip,
            Status::Waived,
            Status::Baselined,
            Status::Fixed,
        ];
        let severities = [Severity::Error, Severity::Warning, Severity::Info];
        for status in statuses {
            for severity in severities {
                let mark = Mark::of(status, severity);
                assert!(Mark::ALL.contains(&mark));
                assert!(!mark.symbol().is_empty() && !mark.word().is_empty());
            }
        }
        let words: std::collections::BTreeSet<&str> = Mark::ALL.iter().map(|m| m.word()).collect();
        assert_eq!(words.len(), Mark::ALL.len(), "each mark its own word");
    }

    #[test]
    fn a_failure_is_marked_by_its_severity() {
        assert_eq!(Mark::of(Status::Fail, Severity::Error), Mark::Fail);
        assert_eq!(Mark::of(Status::Fail, Severity::Warning), Mark::Warning);
        assert_eq!(Mark::of(Status::Fail, Severity::Info), Mark::Info);
        assert_eq!(Mark::of(Status::Waived, Severity::Error), Mark::Waived);
        assert_eq!(Mark::of(Status::Skip, Severity::Error), Mark::NotApplicable);
    }

    #[test]
    fn a_fixed_entry_is_good_news_whatever_its_severity() {
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            let mark = Mark::of(Status::Fixed, severity);
            assert_eq!(mark, Mark::Fixed);
            assert_eq!((mark.symbol(), mark.word()), ("✓", "fixed"));
            assert_eq!(mark.tone(), Mark::Pass.tone());
        }
        assert_eq!(Mark::Baselined.tone(), Mark::Waived.tone());
    }
}
