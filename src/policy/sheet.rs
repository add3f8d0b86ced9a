//! The rules of a version-control sheet (version, issued, renewal, history),
//! written once so that a policy TOML file and a `PolicyDocument` in the
//! register are held to the same standard. Callers map each problem's field
//! to the place it was written.

use super::HistoryEntry;
use chrono::NaiveDate;

/// The field of the sheet a problem is reported at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetField {
    Version,
    Issued,
    Renewal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetProblem {
    pub field: SheetField,
    pub message: String,
}

/// A sheet's dated facts; a date that did not parse is `None` and its own
/// error has been reported already.
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a> {
    pub version: &'a str,
    pub issued: Option<NaiveDate>,
    pub renewal: Option<NaiveDate>,
    pub history: &'a [HistoryEntry],
}

/// Renewal after issued; the latest history entry is the current version;
/// and, given an as-of date (in `renewals`), issued not after it.
pub fn sheet_problems(sheet: &Sheet<'_>, as_of: Option<NaiveDate>) -> Vec<SheetProblem> {
    let mut problems = Vec::new();
    if let (Some(issued), Some(renewal)) = (sheet.issued, sheet.renewal) {
        if renewal <= issued {
            problems.push(SheetProblem {
                field: SheetField::Renewal,
                message: format!("renewal {renewal} is not after issued {issued}"),
            });
        }
    }
    if let (Some(issued), Some(as_of)) = (sheet.issued, as_of) {
        if let Some(message) = issued_after(issued, as_of) {
            problems.push(SheetProblem {
                field: SheetField::Issued,
                message,
            });
        }
    }
    // The latest by date; of two entries on one day, the later written.
    if let Some(last) = sheet.history.iter().max_by_key(|h| h.date) {
        if !same_version(&last.version, sheet.version) {
            problems.push(SheetProblem {
                field: SheetField::Version,
                message: format!(
                    "version {} is not the latest history entry ({})",
                    sheet.version, last.version
                ),
            });
        }
    }
    problems
}

/// A version cannot be in force before it is issued: the problem, if any.
pub fn issued_after(issued: NaiveDate, as_of: NaiveDate) -> Option<String> {
    (issued > as_of)
        .then(|| format!("issued {issued} is in the future: after the as-of date {as_of}"))
}

/// Versions compare with a leading `v` ignored: the source sheet writes
/// `V1.2` where a TOML file writes `1.2`.
pub fn same_version(a: &str, b: &str) -> bool {
    a.trim().trim_start_matches(['v', 'V']) == b.trim().trim_start_matches(['v', 'V'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::dates::parse_date(text).unwrap()
    }

    fn entry(version: &str, date: &str) -> HistoryEntry {
        HistoryEntry {
            version: version.into(),
            date: d(date),
            summary: String::new(),
        }
    }

    #[test]
    fn a_sound_sheet_has_no_problem() {
        let history = [entry("V1.0", "2023-09-21"), entry("V1.2", "2024-10-10")];
        let sheet = Sheet {
            version: "1.2",
            issued: Some(d("2024-10-10")),
            renewal: Some(d("2025-10-10")),
            history: &history,
        };
        assert_eq!(sheet_problems(&sheet, Some(d("2024-10-10"))), []);
    }

    #[test]
    fn each_rule_names_its_field() {
        let history = [entry("1.3", "2025-01-01"), entry("1.1", "2024-01-01")];
        let sheet = Sheet {
            version: "1.2",
            issued: Some(d("2025-12-01")),
            renewal: Some(d("2025-12-01")),
            history: &history,
        };
        let fields: Vec<SheetField> = sheet_problems(&sheet, Some(d("2025-11-01")))
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [SheetField::Renewal, SheetField::Issued, SheetField::Version]
        );
        // Without an as-of date (loading a policy), the future is not judged.
        assert_eq!(sheet_problems(&sheet, None).len(), 2);
    }
}
