//! A `MaturityAssessment` document as the maturity report needs it: who was
//! assessed, when and by whom, and the claims that count.

use super::claims::{read_claims, Claims};
use super::model::Model;
use crate::dates::parse_date;
use crate::document::Document;
use crate::yaml::Node;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment<'d> {
    /// The file, relative to the current directory, with `/` separators.
    pub file: &'d str,
    pub id: Option<&'d str>,
    pub organisation: Option<&'d str>,
    /// `assessed` as an ISO date, when it is a valid date (DOC002 otherwise).
    pub assessed: Option<String>,
    pub assessor: Option<&'d str>,
    pub claims: Claims<'d>,
}

impl<'d> Assessment<'d> {
    /// Reads the assessment; problems are reported by the audit engine, and
    /// here a value that is not usable is simply absent.
    pub fn read(doc: &'d Document, model: &Model) -> Assessment<'d> {
        let text = |key: &str| {
            doc.root
                .get(key)
                .and_then(Node::scalar_text)
                .map(str::trim)
                .filter(|t| !t.is_empty())
        };
        Assessment {
            file: &doc.file,
            id: doc.id.as_deref(),
            organisation: text("organisation"),
            assessed: text("assessed")
                .and_then(|t| parse_date(t).ok())
                .map(|d| d.to_string()),
            assessor: text("assessor"),
            claims: read_claims(&doc.root, model),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{load, Limits};

    #[test]
    fn reads_the_header_and_normalises_the_date() {
        let model = Model::built_in().expect("loads");
        let root = load(
            "kind: MaturityAssessment\nid: A\norganisation: ' Acme '\nassessed: 1/10/2025\nassessor: ''\nmet:\n  - indicator: M2.evaluation\n    evidence: x\n",
            Limits::default(),
        )
        .expect("YAML")
        .remove(0)
        .root;
        let doc = Document::from_root("a.yaml".into(), root).expect("a document");
        let a = Assessment::read(&doc, &model);
        assert_eq!(
            (
                a.file,
                a.id,
                a.organisation,
                a.assessed.as_deref(),
                a.assessor
            ),
            ("a.yaml", Some("A"), Some("Acme"), Some("2025-10-01"), None)
        );
        assert_eq!(a.claims.counted.len(), 1);
    }
}
