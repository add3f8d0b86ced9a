//! Cross-document checks: the only stage that sees every document of a run,
//! and it sees only small summaries of them (kind, id, place).

use crate::checks::Failure;
use crate::engine::{rule_finding, AuditContext, Pending};
use crate::report::{DocumentOutcome, Finding, Status};
use crate::yaml::Pos;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// What the cross-document stage knows of a document: its entry in the
/// report (file, kind, id and where the id is) and, for a learner plan, the
/// course it names and where.
#[derive(Debug, Clone)]
pub struct DocumentSummary {
    pub outcome: DocumentOutcome,
    pub course: Option<(String, Pos)>,
}

/// A learner plan's course: the plan's index in the run, the course's id,
/// and where the plan names it.
pub type PlanCourse = (usize, String, Pos);

impl DocumentSummary {
    /// What the cross-document stage keeps of a document. Its status is a
    /// pass until its findings, all of them known only once the run is
    /// done, say otherwise.
    pub fn of(doc: &crate::document::Document) -> DocumentSummary {
        let course = (doc.kind == Some(crate::document::Kind::LearnerPlan))
            .then(|| doc.root.get("course"))
            .flatten()
            .and_then(|n| n.scalar_text().map(|t| (t.to_string(), n.pos)));
        DocumentSummary {
            outcome: DocumentOutcome {
                file: doc.file.clone(),
                kind: doc.kind_text.clone(),
                id: doc.id.clone(),
                title: None,
                status: Status::Pass,
                line: doc.id_pos.line,
                column: doc.id_pos.column,
                results: Vec::new(),
            },
            course,
        }
    }
}

/// DOC014: learner plans whose `course` names no Course document of the
/// run. Returns the index of the plan each finding belongs to.
pub fn unknown_courses(
    documents: &[DocumentOutcome],
    plans: &[PlanCourse],
    ctx: &AuditContext<'_>,
) -> Vec<(usize, Finding)> {
    let courses: HashSet<&str> = documents
        .iter()
        .filter(|d| &*d.kind == "Course")
        .filter_map(|d| d.id.as_deref())
        .collect();
    let mut out = Vec::new();
    for (i, course, pos) in plans {
        if courses.contains(course.as_str()) {
            continue;
        }
        let (i, doc) = (*i, &documents[*i]);
        let finding = ctx.catalogue_finding(
            "DOC014",
            &doc.file,
            *pos,
            Some("course".into()),
            format!("no Course with id '{course}' is in this run; audit the plan with its course"),
        );
        if let Some(mut finding) = finding {
            finding.document = doc.id.clone();
            finding.kind = Some(doc.kind.clone());
            out.push((i, finding));
        }
    }
    out
}

/// DOC005: documents of one kind sharing an id. The first (in file order)
/// keeps the id; each later one is reported, naming the first. Returns the
/// index of the document each finding belongs to.
pub fn duplicate_ids(
    documents: &[DocumentOutcome],
    ctx: &AuditContext<'_>,
) -> Vec<(usize, Finding)> {
    // Only looked up, never iterated: the findings follow the documents' order.
    let mut first: HashMap<(&str, &str), &DocumentOutcome> =
        HashMap::with_capacity(documents.len());
    let mut out = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        let Some(id) = doc.id.as_deref() else {
            continue;
        };
        match first.get(&(&*doc.kind, id)) {
            None => {
                first.insert((&*doc.kind, id), doc);
            }
            Some(original) => {
                let finding = ctx.catalogue_finding(
                    "DOC005",
                    &doc.file,
                    doc.pos(),
                    Some("id".into()),
                    format!(
                        "{} id '{id}' is already used by the document at {}:{}",
                        doc.kind,
                        original.file,
                        original.pos()
                    ),
                );
                if let Some(mut finding) = finding {
                    finding.document = doc.id.clone();
                    finding.kind = Some(doc.kind.clone());
                    out.push((i, finding));
                }
            }
        }
    }
    out
}

/// A rule result decided by the cross-document stage.
#[derive(Debug, Clone)]
pub struct CrossResult {
    pub document: usize,
    pub rule: Arc<str>,
    pub status: Status,
    pub finding: Finding,
}

/// `distinct_in_run` rules (ILP009): documents of the same group whose
/// fingerprints match are each reported, naming the others. Only the
/// fingerprints are compared, so memory grows with the number of
/// documents, not their size. `pending` pairs a document index with what
/// its audit left to decide.
pub fn distinct_in_run(
    documents: &[DocumentOutcome],
    pending: &[(usize, Pending)],
    ctx: &AuditContext<'_>,
) -> Vec<CrossResult> {
    // Keyed by (rule, group, fingerprint hash).
    type Key<'a> = (&'a str, &'a str, u64);
    let mut groups: BTreeMap<Key<'_>, Vec<&(usize, Pending)>> = BTreeMap::new();
    for entry in pending {
        let p = &entry.1;
        groups
            .entry((&p.rule, &p.fingerprint.group, p.fingerprint.hash))
            .or_default()
            .push(entry);
    }
    let mut out = Vec::new();
    for ((rule_id, group, _), members) in &groups {
        let Some((policy, rule)) = ctx.policies.rule(rule_id) else {
            continue;
        };
        if members.len() < 2 {
            for (index, p) in members.iter().map(|m| (m.0, &m.1)) {
                if let Some(waiver) = &p.waiver {
                    let doc = &documents[index];
                    let finding = ctx.catalogue_finding(
                        "DOC009",
                        &doc.file,
                        waiver.pos,
                        Some(waiver.path.clone()),
                        format!("waiver for {rule_id} is not needed: {rule_id} does not fail on this document"),
                    );
                    if let Some(mut finding) = finding {
                        finding.document = doc.id.clone();
                        finding.kind = Some(doc.kind.clone());
                        out.push(CrossResult {
                            document: index,
                            rule: "DOC009".into(),
                            status: Status::Fail,
                            finding,
                        });
                    }
                }
            }
            continue;
        }
        for (index, p) in members.iter().map(|m| (m.0, &m.1)) {
            let doc = &documents[index];
            let others: Vec<String> = members
                .iter()
                .filter(|m| m.0 != index)
                .map(|m| {
                    let other = &documents[m.0];
                    format!(
                        "{} ({}:{})",
                        other.id.as_deref().unwrap_or("a document without id"),
                        other.file,
                        other.pos()
                    )
                })
                .collect();
            let failure = Failure {
                pos: p.fingerprint.pos,
                path: p.fingerprint.path.clone(),
                message: format!(
                    "same text as {} for {group}, once case and white space are folded",
                    others.join(", ")
                ),
                wrong_type: false,
            };
            let mut finding = rule_finding(
                &doc.file,
                doc.id.clone(),
                &doc.kind,
                policy,
                rule,
                vec![failure],
            );
            let status = match &p.waiver {
                Some(waiver) => {
                    finding.status = Status::Waived;
                    finding.message = format!("{} ({})", finding.message, waiver.text);
                    finding.justification = Some(waiver.reason.clone());
                    Status::Waived
                }
                None => Status::Fail,
            };
            out.push(CrossResult {
                document: index,
                rule: rule.id.clone(),
                status,
                finding,
            });
        }
    }
    out
}
