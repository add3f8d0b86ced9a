//! Cross-document checks: the only stage that sees every document of a run,
//! and it sees only small summaries of them (kind, id, place).

use crate::engine::AuditContext;
use crate::report::Finding;
use crate::yaml::Pos;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the cross-document stage knows of a document.
#[derive(Debug, Clone)]
pub struct DocumentSummary {
    pub file: Arc<str>,
    pub kind: String,
    pub id: Option<String>,
    pub id_pos: Pos,
}

/// DOC005: documents of one kind sharing an id. The first (in file order)
/// keeps the id; each later one is reported, naming the first. Returns the
/// index of the document each finding belongs to.
pub fn duplicate_ids(
    documents: &[DocumentSummary],
    ctx: &AuditContext<'_>,
) -> Vec<(usize, Finding)> {
    let mut first: BTreeMap<(&str, &str), &DocumentSummary> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        let Some(id) = doc.id.as_deref() else {
            continue;
        };
        match first.get(&(doc.kind.as_str(), id)) {
            None => {
                first.insert((doc.kind.as_str(), id), doc);
            }
            Some(original) => {
                let finding = ctx.catalogue_finding(
                    "DOC005",
                    &doc.file,
                    doc.id_pos,
                    Some("id".into()),
                    format!(
                        "{} id '{id}' is already used by the document at {}:{}",
                        doc.kind, original.file, original.id_pos
                    ),
                );
                if let Some(mut finding) = finding {
                    finding.document = Some(id.to_string());
                    finding.kind = Some(doc.kind.clone());
                    out.push((i, finding));
                }
            }
        }
    }
    out
}
