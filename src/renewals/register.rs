//! Turns what the register is made of, `PolicyDocument` YAML documents and
//! loaded policies, into register entries. Every problem is located
//! (file:line:column) so that an owner can fix the register in one pass.

use super::RegisterEntry;
use crate::dates::parse_date;
use crate::document::format::Field;
use crate::document::validate::validate;
use crate::document::Document;
use crate::policy::sheet::{issued_after, sheet_problems, Sheet, SheetField};
use crate::policy::{HistoryEntry, Policy, PolicyError};
use crate::yaml::{Node, Pos, Value};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A register entry read from a document, with where its id is written.
#[derive(Debug, Clone)]
pub struct DocumentEntry {
    pub entry: RegisterEntry,
    pub id_pos: Pos,
}

/// Reads one `PolicyDocument`: its format (required fields, types, dates,
/// unknown keys) and its version-control sheet as of `as_of`, reporting
/// every problem of both at once.
/// `format` is the PolicyDocument format as the loaded policies' declared
/// fields extend it.
pub fn from_document(
    doc: &Document,
    format: &[Field],
    as_of: NaiveDate,
) -> Result<DocumentEntry, Vec<PolicyError>> {
    let error = |pos: Pos, message: String| PolicyError {
        file: doc.file.to_string(),
        pos,
        message,
    };
    let mut errors: Vec<PolicyError> = validate(&doc.root, format)
        .into_iter()
        .map(|issue| error(issue.pos, issue.message))
        .collect();
    // What is missing or invalid was reported just above; the sheet is
    // checked with what remains.
    let text = |key: &str| {
        doc.root
            .get(key)
            .and_then(Node::scalar_text)
            .map_or_else(String::new, |t| t.trim().to_string())
    };
    let date = |key: &str| doc.root.get(key).and_then(node_date);
    let (issued, renewal) = (date("issued"), date("renewal"));
    let version = text("version");
    let history = history(doc, &mut errors);
    let sheet = Sheet {
        version: &version,
        issued,
        renewal,
        history: &history,
    };
    for problem in sheet_problems(&sheet, Some(as_of)) {
        let key = match problem.field {
            SheetField::Version => "version",
            SheetField::Issued => "issued",
            SheetField::Renewal => "renewal",
        };
        let pos = doc.root.get(key).map_or(doc.root.pos, |n| n.pos);
        errors.push(error(pos, problem.message));
    }
    match (errors.is_empty(), issued, renewal) {
        (true, Some(issued), Some(renewal)) => Ok(DocumentEntry {
            entry: RegisterEntry {
                id: text("id"),
                title: text("title"),
                version,
                owner: text("owner"),
                issued,
                renewal,
                source: doc.file.to_string(),
                read_with: Vec::new(),
            },
            id_pos: doc.id_pos,
        }),
        _ => {
            errors.sort_by_key(|e| e.pos);
            Err(errors)
        }
    }
}

/// A loaded policy (its sheet already checked when it loaded), refused when
/// it was issued after `as_of`.
pub fn from_policy(policy: &Policy, as_of: NaiveDate) -> Result<RegisterEntry, PolicyError> {
    if let Some(message) = issued_after(policy.issued, as_of) {
        return Err(PolicyError {
            file: policy.origin.file_label(),
            pos: policy.issued_pos,
            message,
        });
    }
    Ok(RegisterEntry {
        id: policy.id.to_string(),
        title: policy.title.clone(),
        version: policy.version.clone(),
        owner: policy.owner.clone(),
        issued: policy.issued,
        renewal: policy.renewal,
        source: policy.origin.source(),
        read_with: policy.read_with.clone(),
    })
}

/// Ids are the register's keys (and the calendar's event UIDs): a document
/// reusing the id of a policy or of an earlier document is refused, with a
/// problem at its `id`. Returns the documents kept and the problems.
/// Policies are unique already (`load_policies`, and `commands::renewals`
/// for those under PATHS).
pub fn duplicate_ids(
    policies: &[RegisterEntry],
    documents: Vec<DocumentEntry>,
) -> (Vec<DocumentEntry>, Vec<PolicyError>) {
    let mut seen: BTreeMap<String, String> = policies
        .iter()
        .map(|p| (p.id.clone(), p.source.clone()))
        .collect();
    let mut kept = Vec::new();
    let mut errors = Vec::new();
    for doc in documents {
        let entry = &doc.entry;
        match seen.get(entry.id.as_str()) {
            Some(other) => errors.push(PolicyError {
                file: entry.source.clone(),
                pos: doc.id_pos,
                message: format!("id '{}' is also the id of the entry in {other}", entry.id),
            }),
            None => {
                seen.insert(entry.id.clone(), entry.source.clone());
                kept.push(doc);
            }
        }
    }
    (kept, errors)
}

fn node_date(node: &Node) -> Option<NaiveDate> {
    parse_date(node.scalar_text()?).ok()
}

/// The history entries. For the sheet to be checked, each needs a version
/// and a date, though the document format leaves both optional; an invalid
/// date is the format's to report.
fn history(doc: &Document, errors: &mut Vec<PolicyError>) -> Vec<HistoryEntry> {
    let Some(Value::List(items)) = doc.root.get("history").map(|n| &n.value) else {
        return Vec::new();
    };
    let mut history = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let version = item.get("version").and_then(Node::scalar_text);
        let date = item.get("date");
        match (version, date) {
            (Some(version), Some(date)) => {
                if let Some(date) = node_date(date) {
                    history.push(HistoryEntry {
                        version: version.trim().to_string(),
                        date,
                        summary: item
                            .get("summary")
                            .and_then(Node::scalar_text)
                            .unwrap_or_default()
                            .to_string(),
                    });
                }
            }
            _ => errors.push(PolicyError {
                file: doc.file.to_string(),
                pos: item.pos,
                message: format!(
                    "history[{i}] needs a version and a date, so that the latest can be compared with 'version'"
                ),
            }),
        }
    }
    history
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::format::POLICY_DOCUMENT;
    use crate::source::{parse, FileContent, FileLimits};

    fn document(yaml: &str) -> Document {
        match parse(
            yaml.as_bytes(),
            "register/p.yaml".into(),
            &FileLimits::default(),
        ) {
            FileContent::Documents(mut docs) => docs.remove(0),
            other => panic!("not a document: {other:?}"),
        }
    }

    fn as_of() -> NaiveDate {
        parse_date("2025-11-01").unwrap()
    }

    const GOOD: &str = "kind: PolicyDocument
id: safeguarding
title: Safeguarding Policy
version: V3.1
owner: Designated Safeguarding Lead
issued: 12/09/2024
renewal: 2025-09-12
history:
  - version: V3.0
    date: 2023-09-01
  - version: V3.1
    date: 12/09/2024
    summary: Annual review
";

    #[test]
    fn reads_uk_and_iso_dates() {
        let entry = from_document(&document(GOOD), POLICY_DOCUMENT, as_of())
            .unwrap()
            .entry;
        assert_eq!(entry.issued.to_string(), "2024-09-12");
        assert_eq!(entry.renewal.to_string(), "2025-09-12");
        assert_eq!(entry.version, "V3.1");
        assert_eq!(entry.source, "register/p.yaml");
    }

    fn messages(yaml: &str) -> Vec<String> {
        from_document(&document(yaml), POLICY_DOCUMENT, as_of())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn format_and_sheet_problems_are_reported_together() {
        let yaml = GOOD
            .replace("owner: Designated Safeguarding Lead\n", "ownr: DSL\n")
            .replace("renewal: 2025-09-12", "renewal: 2024-09-12");
        assert_eq!(
            messages(&yaml),
            [
                "register/p.yaml:1:1: required field 'owner' is missing",
                "register/p.yaml:5:1: unknown key 'ownr' (did you mean 'owner'?)",
                "register/p.yaml:7:1: renewal 2024-09-12 is not after issued 2024-09-12",
            ]
        );
    }

    #[test]
    fn a_missing_owner_or_renewal_is_located() {
        let yaml = GOOD
            .replace("owner: Designated Safeguarding Lead\n", "")
            .replace("renewal: 2025-09-12\n", "");
        assert_eq!(
            messages(&yaml),
            [
                "register/p.yaml:1:1: required field 'owner' is missing",
                "register/p.yaml:1:1: required field 'renewal' is missing",
            ]
        );
    }

    #[test]
    fn the_sheet_is_checked() {
        let yaml = GOOD
            .replace("renewal: 2025-09-12", "renewal: 2024-09-12")
            .replace("version: V3.1\nowner", "version: V3.2\nowner")
            .replace("issued: 12/09/2024", "issued: 2025-12-01")
            .replace("    date: 12/09/2024", "    date: 2025-12-01");
        assert_eq!(
            messages(&yaml),
            [
                "register/p.yaml:4:1: version V3.2 is not the latest history entry (V3.1)",
                "register/p.yaml:6:1: issued 2025-12-01 is in the future: after the as-of date 2025-11-01",
                "register/p.yaml:7:1: renewal 2024-09-12 is not after issued 2025-12-01",
            ]
        );
    }

    #[test]
    fn invalid_dates_and_incomplete_history_are_located() {
        let yaml = GOOD
            .replace("renewal: 2025-09-12", "renewal: 2025/09/12")
            .replace(
                "  - version: V3.0\n    date: 2023-09-01\n",
                "  - version: V3.0\n",
            );
        assert_eq!(
            messages(&yaml),
            [
                "register/p.yaml:7:1: 'renewal' is '2025/09/12': not a date: use YYYY-MM-DD or DD/MM/YYYY with a four-digit year",
                "register/p.yaml:9:5: history[0] needs a version and a date, so that the latest can be compared with 'version'",
            ]
        );
    }

    #[test]
    fn an_id_used_twice_is_located_at_the_second() {
        let first = from_document(&document(GOOD), POLICY_DOCUMENT, as_of()).unwrap();
        let mut second = first.clone();
        second.entry.source = "register/q.yaml".into();
        let (kept, errors) = duplicate_ids(&[], vec![first, second]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].entry.source, "register/p.yaml");
        assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["register/q.yaml:2:1: id 'safeguarding' is also the id of the entry in register/p.yaml"]
        );
    }
}
