//! The claims of a `MaturityAssessment` (`met:`), read against the model.
//! A claim counts when it names a statement of the model and gives evidence;
//! every other claim is a problem located at the claim: an unknown
//! indicator, evidence missing, a statement claimed twice (blcheck's own
//! checks, whose ids the catalogue gives). Wrong types
//! are the format's business (DOC002) and such claims simply do not count.

use super::model::Model;
use crate::audit::{ContentCheck, ContentProblem};
use crate::document::validate::suggestion;
use crate::document::Kind;
use crate::policy::OwnCheck;
use crate::yaml::{Node, Pos, Value};
use std::collections::BTreeMap;

/// A claim that counts: a known statement, met with evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim<'d> {
    pub indicator: &'d str,
    pub evidence: &'d str,
    pub pos: Pos,
}

/// A claim that does not count, or counts twice.
pub type ClaimIssue = ContentProblem;

/// The claims of a `MaturityAssessment` are a content check of its kind.
impl ContentCheck for Model {
    fn kind(&self) -> Kind {
        Kind::MaturityAssessment
    }

    fn problems(&self, root: &Node) -> Vec<ContentProblem> {
        read_claims(root, self).issues
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims<'d> {
    /// How many claims `met:` lists, counted or not.
    pub total: usize,
    /// One per statement met, the first valid claim of it, in document order.
    pub counted: Vec<Claim<'d>>,
    /// In document order.
    pub issues: Vec<ClaimIssue>,
}

impl Claims<'_> {
    /// The evidence given for a statement, when its claim counts.
    pub fn evidence(&self, indicator: &str) -> Option<&str> {
        self.counted
            .iter()
            .find(|c| c.indicator == indicator)
            .map(|c| c.evidence)
    }
}

/// Reads the `met:` list of an assessment's root.
pub fn read_claims<'d>(root: &'d Node, model: &Model) -> Claims<'d> {
    let mut claims = Claims::default();
    let Some(Value::List(items)) = root.get("met").map(|n| &n.value) else {
        return claims;
    };
    claims.total = items.len();
    let mut first_claim: BTreeMap<&str, Pos> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        if !matches!(item.value, Value::Map(_)) {
            continue;
        }
        let path = format!("met[{i}]");
        // A missing or empty indicator is DOC002: the format requires it.
        let Some((indicator, indicator_pos)) = item
            .get("indicator")
            .and_then(|n| Some((n.scalar_text()?.trim(), n.pos)))
            .filter(|(text, _)| !text.is_empty())
        else {
            continue;
        };
        let mut issue = |check, pos, field: &str, message| {
            claims.issues.push(ClaimIssue {
                check,
                pos,
                path: format!("{path}.{field}"),
                message,
            })
        };
        let known = model.statement(indicator).is_some();
        if !known {
            issue(
                OwnCheck::UnknownIndicator,
                indicator_pos,
                "indicator",
                unknown_message(indicator, model),
            );
        } else if let Some(first) = first_claim.get(indicator) {
            issue(
                OwnCheck::DuplicateClaim,
                indicator_pos,
                "indicator",
                format!(
                    "'{indicator}' is claimed again (first at line {}); a statement is met once: give all its evidence in one claim",
                    first.line
                ),
            );
        } else {
            first_claim.insert(indicator, indicator_pos);
        }
        let evidence = match item.get("evidence") {
            None => {
                issue(
                    OwnCheck::EvidenceMissing,
                    item.pos,
                    "evidence",
                    format!("the claim of '{indicator}' has no evidence"),
                );
                None
            }
            Some(node) if node.is_null() || node.scalar_text().is_some_and(blank) => {
                issue(
                    OwnCheck::EvidenceMissing,
                    node.pos,
                    "evidence",
                    format!("the claim of '{indicator}' has empty evidence"),
                );
                None
            }
            // Text, or a wrong type that DOC002 reports.
            Some(node) => node.scalar_text().map(str::trim),
        };
        if let (true, Some(evidence)) = (known, evidence) {
            if !claims.counted.iter().any(|c| c.indicator == indicator) {
                claims.counted.push(Claim {
                    indicator,
                    evidence,
                    pos: indicator_pos,
                });
            }
        }
    }
    claims
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Names what the author probably meant: when the id names a known
/// dimension, that dimension's statements at the level given (or at every
/// level, when it has none there); otherwise the closest id.
fn unknown_message(indicator: &str, model: &Model) -> String {
    let (level, named) = indicator
        .strip_prefix('M')
        .and_then(|rest| rest.split_once('.'))
        .unwrap_or(("", indicator));
    let dimension = model
        .dimensions
        .iter()
        .filter(|d| named == d.id || named.starts_with(&format!("{}-", d.id)))
        .max_by_key(|d| d.id.len());
    let candidates: Vec<&str> = match dimension {
        Some(d) => {
            let all: Vec<_> = model.statements_of(&d.id).collect();
            let at_level: Vec<&str> = all
                .iter()
                .filter(|s| s.level.to_string() == level)
                .map(|s| s.id.as_str())
                .collect();
            if at_level.is_empty() {
                all.iter().map(|s| s.id.as_str()).collect()
            } else {
                at_level
            }
        }
        None => suggestion(indicator, model.statements.iter().map(|s| s.id.as_str()))
            .into_iter()
            .collect(),
    };
    match candidates.as_slice() {
        [] => format!(
            "unknown indicator '{indicator}'; indicators are M<level>.<dimension>, e.g. M2.lms-reporting (docs/maturity.md lists them)"
        ),
        [one] => format!("unknown indicator '{indicator}' (did you mean '{one}'?)"),
        many => format!(
            "unknown indicator '{indicator}'; did you mean one of {}?",
            many.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{load, Limits};

    fn read(text: &str) -> (Vec<String>, Vec<(String, String)>) {
        let model = Model::built_in().expect("loads");
        let root = load(text, Limits::default()).expect("YAML").remove(0).root;
        let claims = read_claims(&root, &model);
        let counted = claims
            .counted
            .iter()
            .map(|c| format!("{} {}", c.indicator, c.pos))
            .collect();
        let issues = claims
            .issues
            .iter()
            .map(|i| {
                (
                    format!("{:?} {} {}", i.check, i.pos, i.path),
                    i.message.clone(),
                )
            })
            .collect();
        (counted, issues)
    }

    #[test]
    fn valid_claims_count() {
        let (counted, issues) = read(
            "kind: MaturityAssessment\nid: A\nmet:\n  - indicator: M2.lms-reporting\n    evidence: Monthly report\n  - indicator: ' M2.evaluation '\n    evidence: 1\n",
        );
        assert_eq!(counted, ["M2.lms-reporting 4:5", "M2.evaluation 6:5"]);
        assert!(issues.is_empty(), "{issues:?}");
    }

    #[test]
    fn unknown_indicators_suggest_the_closest() {
        let (counted, issues) = read(
            "kind: MaturityAssessment\nid: A\nmet:\n  - indicator: M2.lms-reportng\n    evidence: x\n  - indicator: M2.strategy\n    evidence: x\n  - indicator: nonsense\n    evidence: x\n  - indicator: M3.content-bespoke\n    evidence: x\n",
        );
        assert!(counted.is_empty());
        assert_eq!(issues[0].0, "UnknownIndicator 4:5 met[0].indicator");
        assert!(issues[0].1.ends_with("(did you mean 'M2.lms-reporting'?)"));
        assert!(
            issues[1]
                .1
                .ends_with("did you mean one of M1.strategy, M4.strategy?"),
            "{}",
            issues[1].1
        );
        assert!(issues[2].1.contains("e.g. M2.lms-reporting"));
        assert!(issues[3].1.ends_with("(did you mean 'M3.content'?)"));
    }

    #[test]
    fn missing_or_empty_evidence_is_located() {
        let (counted, issues) = read(
            "kind: MaturityAssessment\nid: A\nmet:\n  - indicator: M2.evaluation\n  - indicator: M3.evaluation\n    evidence:\n  - evidence: '  '\n    indicator: M4.evaluation\n  - indicator: M2.access-breadth\n    evidence: [a list]\n",
        );
        assert!(counted.is_empty(), "{counted:?}");
        let located: Vec<&str> = issues.iter().map(|i| i.0.as_str()).collect();
        assert_eq!(
            located,
            [
                "EvidenceMissing 4:5 met[0].evidence",
                "EvidenceMissing 6:5 met[1].evidence",
                "EvidenceMissing 7:5 met[2].evidence"
            ]
        );
    }

    #[test]
    fn a_second_claim_of_one_statement_is_reported_and_counted_once() {
        let (counted, issues) = read(
            "kind: MaturityAssessment\nid: A\nmet:\n  - indicator: M2.evaluation\n  - indicator: M2.evaluation\n    evidence: x\n",
        );
        assert_eq!(counted, ["M2.evaluation 5:5"]);
        assert_eq!(issues[0].0, "EvidenceMissing 4:5 met[0].evidence");
        assert_eq!(issues[1].0, "DuplicateClaim 5:5 met[1].indicator");
        assert!(issues[1].1.contains("first at line 4"));
    }

    #[test]
    fn malformed_lists_are_left_to_the_format_check() {
        let (counted, issues) = read(
            "kind: MaturityAssessment\nid: A\nmet:\n  - M2.evaluation\n  - indicator:\n    evidence: x\n",
        );
        assert!(counted.is_empty() && issues.is_empty());
        let (counted, issues) = read("kind: MaturityAssessment\nid: A\nmet: all of them\n");
        assert!(counted.is_empty() && issues.is_empty());
    }
}
