//! Cross-document checks: the only stage that sees every document of a run,
//! and it sees only small summaries of them (kind, id, place).

use super::engine::{rule_finding, AuditTerms, Pending, PendingCheck};
use super::waivers::{self, WaivedDocument};
use crate::checks::course::CourseSetting;
use crate::checks::Failure;
use crate::policy::OwnCheck;
use crate::policy::PolicySet;
use crate::report::{DocumentOutcome, Finding, Status};
use crate::yaml::Pos;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What the cross-document stage knows of a document: its entry in the
/// report (file, kind, id and where the id is) and, for a learner plan, the
/// course it names and where.
#[derive(Debug, Clone)]
pub struct DocumentSummary {
    pub outcome: DocumentOutcome,
    pub course: Option<(String, Pos)>,
    /// For a Course, what it sets at each field a rule compares learner
    /// plans with (`at_least_course_field`), in the order of
    /// `PolicySet::course_fields`.
    pub sets: Vec<CourseSetting>,
}

/// A learner plan's course: the plan's index in the run, the course's id,
/// and where the plan names it.
pub type PlanCourse = (usize, String, Pos);

/// What every Course of a run sets at the fields learner plans are
/// compared with: one list for the run, not one per Course (a run of
/// 100,000 courses keeps 100,000 of them).
#[derive(Default)]
pub struct CourseSets {
    /// How many fields each Course has here (`PolicySet::course_fields`).
    fields: usize,
    /// Course indices, ascending, each with the start of its settings.
    courses: Vec<(u32, u32)>,
    settings: Vec<CourseSetting>,
}

impl CourseSets {
    /// Adds what the Course at `index` sets, in `PolicySet::course_fields`
    /// order; courses are added in index order. A Course that sets none of
    /// the fields takes no room: it reads as missing everywhere.
    pub fn add(&mut self, index: usize, sets: Vec<CourseSetting>) {
        if sets.iter().all(|s| s.pos.is_none()) {
            return;
        }
        let (Ok(index), Ok(start)) = (u32::try_from(index), u32::try_from(self.settings.len()))
        else {
            return;
        };
        self.fields = sets.len();
        self.courses.push((index, start));
        self.settings.extend(sets);
    }

    /// What the Course at `index` sets at the field at `at` of
    /// `PolicySet::course_fields`.
    fn get(&self, index: usize, at: usize) -> Option<&CourseSetting> {
        if at >= self.fields {
            return None;
        }
        let course = self
            .courses
            .binary_search_by_key(&index, |&(i, _)| i as usize)
            .ok()?;
        self.settings.get(self.courses[course].1 as usize + at)
    }
}

impl DocumentSummary {
    /// What the cross-document stage keeps of a document. Its status is a
    /// pass until its findings, all of them known only once the run is
    /// done, say otherwise.
    pub fn of(doc: &crate::document::Document, policies: &PolicySet) -> DocumentSummary {
        let course = (doc.kind == Some(crate::document::Kind::LearnerPlan))
            .then(|| doc.root.get("course"))
            .flatten()
            .and_then(|n| n.scalar_text().map(|t| (t.to_string(), n.pos)));
        let mut sets: Vec<CourseSetting> = Vec::new();
        if doc.kind == Some(crate::document::Kind::Course) {
            sets = policies
                .course_fields()
                .into_iter()
                .map(|field| CourseSetting::at(field, &doc.root))
                .collect();
        }
        DocumentSummary {
            outcome: {
                let mut outcome = DocumentOutcome::new(
                    doc.file.clone(),
                    doc.kind_text.clone(),
                    doc.id.clone(),
                    doc.id_pos,
                );
                outcome.add_details(|d| d.evidence = super::evidence::entries(doc).into());
                outcome
            },
            course,
            sets,
        }
    }
}

/// DOC014: learner plans whose `course` names no Course document of the
/// run. Returns the index of the plan each finding belongs to.
pub fn unknown_courses(
    documents: &[DocumentOutcome],
    plans: &[PlanCourse],
    ctx: &AuditTerms<'_>,
) -> Vec<(usize, Finding)> {
    let count = documents.iter().filter(|d| &*d.kind == "Course").count();
    let mut courses = FirstById::new(documents, count);
    for (i, doc) in documents.iter().enumerate() {
        if let Some(id) = doc.id.as_deref().filter(|_| &*doc.kind == "Course") {
            courses.first_or_insert("Course", id, i);
        }
    }
    let mut out = Vec::new();
    for (i, course, pos) in plans {
        if courses.get("Course", course).is_some() {
            continue;
        }
        let (i, doc) = (*i, &documents[*i]);
        let finding = ctx.catalogue_finding(
            OwnCheck::UnknownCourse,
            &doc.file,
            *pos,
            Some("course".into()),
            format!("no Course with id '{course}' is in this run; audit the plan with its course"),
        );
        if let Some(mut finding) = finding {
            finding.set_document(Some(doc.kind.clone()), doc.id.clone());
            out.push((i, finding));
        }
    }
    out
}

/// DOC005: documents of one kind sharing an id. The first (in file order)
/// keeps the id; each later one is reported, naming the first. Returns the
/// index of the document each finding belongs to.
pub fn duplicate_ids(documents: &[DocumentOutcome], ctx: &AuditTerms<'_>) -> Vec<(usize, Finding)> {
    let mut first = FirstById::new(documents, documents.len());
    let mut out = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        let Some(id) = doc.id.as_deref() else {
            continue;
        };
        match first.first_or_insert(&doc.kind, id, i) {
            None => {}
            Some(original) => {
                let original = &documents[original];
                let finding = ctx.catalogue_finding(
                    OwnCheck::DuplicateId,
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
                    finding.set_document(Some(doc.kind.clone()), doc.id.clone());
                    out.push((i, finding));
                }
            }
        }
    }
    out
}

/// The first document (in file order) of each kind and id, held compactly:
/// a 64-bit digest of the pair leads to the document's index, 12 bytes a
/// document where a map of the strings took about 50 (6 MB at 100,000
/// documents). Two pairs with the same digest, possible though never
/// expected, are told apart by comparing the document's own kind and id,
/// and the later pair is kept by its strings.
struct FirstById<'a> {
    documents: &'a [DocumentOutcome],
    // Only looked up, never iterated: nothing depends on their order.
    by_digest: HashMap<u64, u32>,
    collided: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> FirstById<'a> {
    /// An index with room for `expected` pairs: grown once, not rehashed
    /// as it fills.
    fn new(documents: &'a [DocumentOutcome], expected: usize) -> FirstById<'a> {
        FirstById {
            documents,
            by_digest: HashMap::with_capacity(expected),
            collided: HashMap::new(),
        }
    }

    /// The first document with `kind` and `id`; when there is none yet,
    /// `index` becomes it.
    fn first_or_insert(&mut self, kind: &'a str, id: &'a str, index: usize) -> Option<usize> {
        use std::collections::hash_map::Entry;
        let Ok(compact) = u32::try_from(index) else {
            return self.collided_first_or_insert(kind, id, index);
        };
        match self.by_digest.entry(digest(kind, id)) {
            Entry::Vacant(slot) => {
                slot.insert(compact);
                None
            }
            Entry::Occupied(slot) => {
                let first = *slot.get() as usize;
                if self.is(first, kind, id) {
                    Some(first)
                } else {
                    self.collided_first_or_insert(kind, id, index)
                }
            }
        }
    }

    fn collided_first_or_insert(
        &mut self,
        kind: &'a str,
        id: &'a str,
        index: usize,
    ) -> Option<usize> {
        match self.collided.get(&(kind, id)) {
            Some(&first) => Some(first),
            None => {
                self.collided.insert((kind, id), index);
                None
            }
        }
    }

    /// The first document with `kind` and `id`, if any.
    fn get(&self, kind: &str, id: &str) -> Option<usize> {
        match self.by_digest.get(&digest(kind, id)) {
            Some(&first) if self.is(first as usize, kind, id) => Some(first as usize),
            _ => self.collided.get(&(kind, id)).copied(),
        }
    }

    fn is(&self, index: usize, kind: &str, id: &str) -> bool {
        let doc = &self.documents[index];
        &*doc.kind == kind && doc.id.as_deref() == Some(id)
    }
}

/// SipHash with fixed keys of a kind and an id (each `str` hashes with an
/// end marker, so `("ab", "c")` and `("a", "bc")` differ).
fn digest(kind: &str, id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    kind.hash(&mut hasher);
    id.hash(&mut hasher);
    hasher.finish()
}

/// A rule result decided by the cross-document stage.
#[derive(Debug, Clone)]
pub struct CrossResult {
    pub document: usize,
    pub rule: Arc<str>,
    pub status: Status,
    pub finding: Finding,
    /// The document has the same text as another of its group: a clone
    /// in the cohort view (waived or not).
    pub clone: bool,
}

impl CrossResult {
    /// `rule` failing on document `document` (`doc`), waived when the
    /// document waives it.
    fn failure(
        document: usize,
        doc: &DocumentOutcome,
        rule: &crate::policy::Rule,
        waiver: Option<&waivers::WaiverNote>,
        failure: Failure,
        clone: bool,
    ) -> CrossResult {
        let mut finding = rule_finding(&doc.file, doc.id.clone(), &doc.kind, rule, vec![failure]);
        let status = match waiver {
            Some(waiver) => {
                waivers::waive(&mut finding, &waiver.text, &waiver.reason);
                Status::Waived
            }
            None => Status::Fail,
        };
        CrossResult {
            document,
            rule: rule.id.clone(),
            status,
            finding,
            clone,
        }
    }
}

/// `distinct_in_run` rules (cloned learner plans): documents of the same group whose
/// fingerprints match are each reported, naming the others. Only the
/// fingerprints are compared, so memory grows with the number of
/// documents, not their size. `pending` pairs a document index with what
/// its audit left to decide.
pub fn distinct_in_run(
    documents: &[DocumentOutcome],
    pending: &[(usize, Pending)],
    ctx: &AuditTerms<'_>,
) -> Vec<CrossResult> {
    // Keyed by (rule, group, fingerprint hash).
    type Key<'a> = (&'a str, &'a str, u64);
    let mut groups: BTreeMap<Key<'_>, Vec<&(usize, Pending)>> = BTreeMap::new();
    for entry in pending {
        let PendingCheck::Distinct(fingerprint) = &entry.1.check else {
            continue;
        };
        groups
            .entry((&entry.1.rule, &fingerprint.group, fingerprint.hash))
            .or_default()
            .push(entry);
    }
    let mut out = Vec::new();
    for ((rule_id, group, _), members) in &groups {
        let Some((_, rule)) = ctx.policies.rule(rule_id) else {
            continue;
        };
        if members.len() < 2 {
            for (index, p) in members.iter().map(|m| (m.0, &m.1)) {
                let Some(waiver) = &p.waiver else {
                    continue;
                };
                let doc = &documents[index];
                let waived = WaivedDocument {
                    file: &doc.file,
                    id: doc.id.as_ref(),
                    kind: &doc.kind,
                };
                if let Some(finding) =
                    waivers::unused(ctx, waived, rule_id, waiver.pos, &waiver.path)
                {
                    out.push(CrossResult {
                        document: index,
                        rule: finding.rule().clone(),
                        status: Status::Fail,
                        finding,
                        clone: false,
                    });
                }
            }
            continue;
        }
        for (index, p) in members.iter().map(|m| (m.0, &m.1)) {
            let PendingCheck::Distinct(fingerprint) = &p.check else {
                continue;
            };
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
                pos: fingerprint.pos,
                path: fingerprint.path.clone(),
                message: format!(
                    "same text as {} for {group}, once case and white space are folded",
                    others.join(", ")
                ),
                wrong_type: false,
            };
            out.push(CrossResult::failure(
                index,
                doc,
                rule,
                p.waiver.as_ref(),
                failure,
                true,
            ));
        }
    }
    out
}

/// Course comparisons (`at_least_course_field`, ILP011): each learner
/// plan's value against what the Course of the run it names sets. A plan
/// whose course is not in the run is not decided here (DOC014 reports it);
/// its result is a skip. `sets` holds what each Course sets, by its index.
pub fn course_comparisons(
    documents: &[DocumentOutcome],
    sets: &CourseSets,
    pending: &[(usize, Pending)],
    ctx: &AuditTerms<'_>,
) -> (Vec<CrossResult>, Vec<(usize, Arc<str>)>) {
    let mut results = Vec::new();
    let mut undecided = Vec::new();
    if !pending
        .iter()
        .any(|(_, p)| matches!(p.check, PendingCheck::Course { .. }))
    {
        return (results, undecided);
    }
    let count = documents.iter().filter(|d| &*d.kind == "Course").count();
    let mut courses = FirstById::new(documents, count);
    for (i, doc) in documents.iter().enumerate() {
        if let Some(id) = doc.id.as_deref().filter(|_| &*doc.kind == "Course") {
            courses.first_or_insert("Course", id, i);
        }
    }
    let fields = ctx.policies.course_fields();
    for (index, p) in pending {
        let PendingCheck::Course {
            check,
            course,
            value,
        } = &p.check
        else {
            continue;
        };
        let Some((_, rule)) = ctx.policies.rule(&p.rule) else {
            continue;
        };
        let Some(check) = rule.checks.get(*check) else {
            continue;
        };
        let (Some(field), Some(course_index)) =
            (check.course_field(), courses.get("Course", course))
        else {
            undecided.push((*index, p.rule.clone()));
            continue;
        };
        let set = fields
            .iter()
            .position(|f| f.to_string() == field.to_string())
            .and_then(|at| sets.get(course_index, at))
            .cloned()
            .unwrap_or_else(CourseSetting::missing);
        let course_doc = &documents[course_index];
        // The line the plan is compared with: the course's value, or its
        // id when it sets none.
        let cited = set.pos.unwrap_or_else(|| course_doc.pos());
        let named = format!("{course} ({}:{cited})", course_doc.file);
        let doc = &documents[*index];
        match check.judge_against_course(value, &set.value, &named) {
            Some(failure) => {
                results.push(CrossResult::failure(
                    *index,
                    doc,
                    rule,
                    p.waiver.as_ref(),
                    failure,
                    false,
                ));
            }
            None => {
                let Some(waiver) = &p.waiver else {
                    continue;
                };
                let waived = WaivedDocument {
                    file: &doc.file,
                    id: doc.id.as_ref(),
                    kind: &doc.kind,
                };
                if let Some(finding) =
                    waivers::unused(ctx, waived, &p.rule, waiver.pos, &waiver.path)
                {
                    results.push(CrossResult {
                        document: *index,
                        rule: finding.rule().clone(),
                        status: Status::Fail,
                        finding,
                        clone: false,
                    });
                }
            }
        }
    }
    (results, undecided)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(id: &str) -> DocumentOutcome {
        DocumentOutcome::new(
            "c.yaml".into(),
            "Course".into(),
            Some(id.into()),
            crate::yaml::Pos { line: 1, column: 1 },
        )
    }

    #[test]
    fn the_first_of_each_kind_and_id_is_found() {
        let documents = [course("A"), course("B"), course("A")];
        let mut first = FirstById::new(&documents, documents.len());
        assert_eq!(first.first_or_insert("Course", "A", 0), None);
        assert_eq!(first.first_or_insert("Course", "B", 1), None);
        assert_eq!(first.first_or_insert("Course", "A", 2), Some(0));
        assert_eq!(first.get("Course", "B"), Some(1));
        assert_eq!(first.get("Course", "C"), None);
        assert_eq!(first.get("LearnerPlan", "A"), None);
    }

    #[test]
    fn pairs_with_the_same_digest_are_told_apart() {
        let documents = [course("A"), course("B"), course("B")];
        let mut first = FirstById::new(&documents, documents.len());
        // As if ("Course", "B") had the digest of the first document's pair.
        first.by_digest.insert(digest("Course", "B"), 0);
        assert_eq!(first.first_or_insert("Course", "B", 1), None);
        assert_eq!(first.first_or_insert("Course", "B", 2), Some(1));
        assert_eq!(first.get("Course", "B"), Some(1));
        assert_eq!(first.get("Course", "A"), None);
    }
}
