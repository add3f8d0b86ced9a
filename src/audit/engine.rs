//! Applies the policy set to one document: format checks, policy selection,
//! rule results, and its waivers (read and applied by `waivers.rs`). Each
//! document is audited on its own, so files can be audited in parallel;
//! cross-document checks live in `corpus.rs`.

use super::waivers::{self, WaivedDocument, WaiverNote};
use crate::checks::course::PlanValue;
use crate::checks::{Context, Failure, Fingerprint};
use crate::document::validate::{suggestion, validate};
use crate::document::{Document, Kind};
use crate::policy::{Catalogue, OwnCheck, Policy, PolicySet, Rule};
use crate::report::{Finding, FindingPath, FindingTarget, RuleResult, Status};
use crate::selection::RuleFilter;
use crate::yaml::{quoted, Node, Pos, Value};
use chrono::NaiveDate;
use std::sync::Arc;

/// The terms every document of a run is audited on: the policies and
/// blcheck's own checks, the as-of date, the selection and the content
/// checks of some kinds, the same for every document and thread.
pub struct AuditTerms<'a> {
    pub policies: &'a PolicySet,
    pub catalogue: &'a Catalogue,
    pub as_of: NaiveDate,
    pub filter: &'a RuleFilter,
    /// The checks some kinds' documents get beyond their format (a
    /// `MaturityAssessment`'s claims, read against the maturity model).
    pub content_checks: &'a [&'a dyn ContentCheck],
    /// Whether to list every rule's status on each document (the formats
    /// that show passes need it); otherwise only findings are kept.
    pub keep_results: bool,
    /// `--group-by`: the field whose value each document's entry keeps.
    pub group_by: Option<&'a super::group_by::GroupBy>,
}

/// A check of a document's content beyond its kind's format, before any
/// policy, reported as one of blcheck's own checks.
pub trait ContentCheck: Sync {
    /// The kind whose documents it reads.
    fn kind(&self) -> Kind;
    /// Its problems on one document, in document order.
    fn problems(&self, root: &Node) -> Vec<ContentProblem>;
}

/// A problem a content check found: which of blcheck's own checks it is,
/// where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentProblem {
    pub check: OwnCheck,
    pub pos: Pos,
    pub path: String,
    pub message: String,
}

/// A rule's outcome on one document, before waivers and the selection.
/// Borrows the rule: nothing shared between threads is touched per rule.
struct Outcome<'p> {
    rule: &'p Rule,
    status: Status,
    failures: Vec<Failure>,
}

/// What the engine decided about one document on its own, and what it
/// left to the cross-document stage (`pending`).
#[derive(Debug, Clone)]
pub struct DocumentVerdict {
    pub findings: Vec<Finding>,
    /// Every rule's status, when `AuditTerms::keep_results` asks for it.
    pub results: Vec<RuleResult>,
    /// Indices in the policy set of the policies whose scope matched (for
    /// POL001).
    pub applied: Vec<usize>,
    /// Results the cross-document stage decides (`distinct_in_run`).
    pub pending: Vec<Pending>,
}

/// A rule result that needs the whole run: what to compare, and the
/// document's waiver for the rule, if it has a valid one.
#[derive(Debug, Clone)]
pub struct Pending {
    pub rule: Arc<str>,
    pub check: PendingCheck,
    pub waiver: Option<WaiverNote>,
}

/// What the cross-document stage decides for a rule.
#[derive(Debug, Clone)]
pub enum PendingCheck {
    /// `distinct_in_run`: the fingerprint compared with the run's others.
    Distinct(Fingerprint),
    /// A learner plan's value compared with what its course sets
    /// (`at_least_course_field`): the rule's check at `check`, the course
    /// id the plan names.
    Course {
        check: usize,
        course: String,
        value: PlanValue,
    },
}

impl AuditTerms<'_> {
    /// A finding of one of blcheck's own checks (DOC, POL) about a document.
    pub fn doc_finding(
        &self,
        check: OwnCheck,
        doc: &Document,
        pos: Pos,
        path: Option<String>,
        message: String,
    ) -> Option<Finding> {
        let mut finding = self.catalogue_finding(check, &doc.file, pos, path, message)?;
        finding.target = Arc::new(FindingTarget {
            file: doc.file.clone(),
            kind: Some(doc.kind_text.clone()),
            document: doc.id.clone(),
        });
        Some(finding)
    }

    /// A finding of a catalogue rule, unless the run's selection leaves it out.
    pub fn catalogue_finding(
        &self,
        check: OwnCheck,
        file: &Arc<str>,
        pos: Pos,
        path: Option<String>,
        message: String,
    ) -> Option<Finding> {
        let rule = self.catalogue.rule(check)?;
        if !self.filter.includes_at(&rule.id, file) {
            return None;
        }
        Some(Finding::new(
            rule.label.clone(),
            rule.severity,
            Arc::new(FindingTarget {
                file: file.clone(),
                kind: None,
                document: None,
            }),
            pos,
            path.map(|p| Arc::new(FindingPath::new(&p))),
            message,
        ))
    }
}

/// Audits one document.
pub fn audit_document(doc: &Document, ctx: &AuditTerms<'_>) -> DocumentVerdict {
    let mut verdict = DocumentVerdict {
        findings: Vec::new(),
        results: Vec::new(),
        applied: Vec::new(),
        pending: Vec::new(),
    };
    let Some(kind) = doc.kind else {
        let hint = suggestion(&doc.kind_text, Kind::ALL.iter().map(|k| k.name()))
            .map(|s| format!(" (did you mean '{s}'?)"))
            .unwrap_or_default();
        verdict.findings.extend(ctx.doc_finding(
            OwnCheck::UnknownKind,
            doc,
            doc.kind_pos,
            Some("kind".into()),
            format!(
                "unknown kind '{}'{hint}; known kinds: {}",
                doc.kind_text,
                Kind::ALL.map(Kind::name).join(", ")
            ),
        ));
        return verdict;
    };
    verdict.findings.extend(format_findings(doc, kind, ctx));
    let selected = selected_policies(doc, ctx, &mut verdict);
    let mut outcomes: Vec<Outcome<'_>> = Vec::new();
    for (p, policy) in ctx.policies.policies.iter().enumerate() {
        if !policy.scope.kinds.contains(&kind)
            || selected.as_ref().is_some_and(|s| !s.contains(&policy.id))
        {
            continue;
        }
        let applies = scope_matches(policy, &doc.root, ctx.as_of);
        if applies {
            verdict.applied.push(p);
        }
        for rule in &policy.rules {
            // Conditions that met a value of the wrong type apply the rule
            // and fail it.
            let (applicable, wrong_types) = match applies {
                true => conditions(rule, policy, &doc.root, ctx.as_of),
                false => (false, Vec::new()),
            };
            if applicable {
                for check in &rule.checks {
                    if let Some(fingerprint) = check.fingerprint(&doc.root) {
                        verdict.pending.push(Pending {
                            rule: rule.id.clone(),
                            check: PendingCheck::Distinct(fingerprint),
                            waiver: None,
                        });
                    }
                }
            }
            let (status, failures) = if applicable {
                match evaluate_rule(rule, policy, &doc.root, ctx.as_of, wrong_types) {
                    Some(found) => (Status::Fail, found),
                    None => (Status::Pass, Vec::new()),
                }
            } else {
                (Status::Skip, Vec::new())
            };
            // A rule that passes on the plan alone is decided against the
            // plan's course once the run is read.
            if status == Status::Pass {
                verdict.pending.extend(course_comparisons(rule, doc));
            }
            outcomes.push(Outcome {
                rule,
                status,
                failures,
            });
        }
    }
    let waivers = waivers::read(doc, ctx, &mut verdict.findings);
    for outcome in &mut outcomes {
        if outcome.status != Status::Fail {
            continue;
        }
        let mut finding = rule_finding(
            &doc.file,
            doc.id.clone(),
            &doc.kind_text,
            outcome.rule,
            std::mem::take(&mut outcome.failures),
        );
        if let Some(waiver) = waivers.get(&*outcome.rule.id) {
            outcome.status = Status::Waived;
            waivers::waive(&mut finding, &waiver.note(), &waiver.reason);
        }
        verdict.findings.push(finding);
    }
    for pending in &mut verdict.pending {
        if let Some(waiver) = waivers.get(&*pending.rule) {
            pending.waiver = Some(waiver.kept());
        }
    }
    for (rule, waiver) in &waivers {
        // Whether a cross-document rule fails is known only to corpus.rs,
        // which reports its unused waivers.
        if verdict.pending.iter().any(|p| &*p.rule == rule.as_str()) {
            continue;
        }
        let used = outcomes
            .iter()
            .any(|o| &*o.rule.id == rule.as_str() && o.status == Status::Waived);
        if !used {
            verdict.findings.extend(waivers::unused(
                ctx,
                WaivedDocument::of(doc),
                rule,
                waiver.pos,
                &waiver.path,
            ));
        }
    }
    if ctx.keep_results {
        verdict.results = outcomes
            .iter()
            .map(|o| RuleResult {
                rule: o.rule.result_ref,
                status: o.status,
            })
            .collect();
    }
    // Every rule is evaluated (a waiver is unused only if its rule passes);
    // the selection decides what is reported.
    verdict
        .findings
        .retain(|f| ctx.filter.includes_at(f.rule(), &doc.file));
    verdict
        .results
        .retain(|r| ctx.filter.includes_at(&r.rule, &doc.file));
    verdict
        .pending
        .retain(|p| ctx.filter.includes_at(&p.rule, &doc.file));
    shrink(&mut verdict.findings, doc);
    verdict
}

/// Makes a document's findings as small as they will be kept to the end
/// of the run. While the tree is at hand, what each is about (the stable
/// keys of its list items and the value found there) becomes its identity;
/// the findings share one description of the document, and each path is
/// shared with every finding of the thread that names the same.
fn shrink(findings: &mut [Finding], doc: &Document) {
    let target = Arc::new(FindingTarget {
        file: doc.file.clone(),
        kind: Some(doc.kind_text.clone()),
        document: doc.id.clone(),
    });
    for finding in findings {
        if *finding.target == *target {
            finding.target = target.clone();
        }
        let subject = finding
            .path()
            .map(|path| crate::fingerprint::subject(&doc.root, path));
        finding.identity = Some(crate::fingerprint::identity(finding, subject.as_ref()));
        if let Some(shown) = finding.path() {
            let stable = subject.map(|s| s.path).filter(|s| s != shown);
            finding.location = Some(shared_path(FindingPath {
                shown: shown.into(),
                stable: stable.map(String::into_boxed_str),
            }));
        }
    }
}

/// The one copy of `path` this thread keeps. The table is emptied when it
/// grows large (a corpus of made-up keys), so that it stays bounded in a
/// language server that runs for days.
fn shared_path(path: FindingPath) -> Arc<FindingPath> {
    const MOST_PATHS: usize = 4096;
    thread_local! {
        static PATHS: std::cell::RefCell<std::collections::HashSet<Arc<FindingPath>>> =
            Default::default();
    }
    PATHS.with(|paths| {
        let mut paths = paths.borrow_mut();
        if let Some(shared) = paths.get(&path) {
            return shared.clone();
        }
        if paths.len() >= MOST_PATHS {
            paths.clear();
        }
        let shared = Arc::new(path);
        paths.insert(shared.clone());
        shared
    })
}

/// The comparisons of a learner plan with its course that a rule makes,
/// for the cross-document stage; none for a plan that names no course
/// (the plan's format requires one) or has no number to compare.
fn course_comparisons(rule: &Rule, doc: &Document) -> Vec<Pending> {
    let Some(course) = doc.root.get("course").and_then(Node::scalar_text) else {
        return Vec::new();
    };
    rule.checks
        .iter()
        .enumerate()
        .filter_map(|(check, c)| {
            Some(Pending {
                rule: rule.id.clone(),
                check: PendingCheck::Course {
                    check,
                    course: course.to_string(),
                    value: c.plan_value(&doc.root)?,
                },
                waiver: None,
            })
        })
        .collect()
}

/// The findings about a document's own content, before any policy: its
/// format (invalid values, unknown fields) and the content checks of its
/// kind.
pub fn format_findings(doc: &Document, kind: Kind, ctx: &AuditTerms<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for issue in validate(&doc.root, ctx.policies.format(kind)) {
        let check = if issue.unknown_key {
            OwnCheck::UnknownField
        } else {
            OwnCheck::InvalidDocument
        };
        // Named for people: `goal 1 (…), milestone 2: status`, not
        // `goals[0].milestones[1].status`; the path stays in `path`.
        let message = crate::checks::spoken::speak(&issue.message, &doc.root);
        findings.extend(ctx.doc_finding(check, doc, issue.pos, Some(issue.path), message));
    }
    if kind == Kind::Course {
        findings.extend(super::evidence::findings(doc, ctx));
    }
    for check in ctx.content_checks.iter().filter(|c| c.kind() == kind) {
        for problem in check.problems(&doc.root) {
            findings.extend(ctx.doc_finding(
                problem.check,
                doc,
                problem.pos,
                Some(problem.path),
                problem.message,
            ));
        }
    }
    findings
}

/// The policies a document's `policies:` list names, or `None` when it has
/// none (every loaded policy whose scope matches applies).
fn selected_policies(
    doc: &Document,
    ctx: &AuditTerms<'_>,
    verdict: &mut DocumentVerdict,
) -> Option<Vec<Arc<str>>> {
    let Value::List(items) = &doc.root.get("policies")?.value else {
        return None;
    };
    let mut selected = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(text) = item.scalar_text() else {
            continue;
        };
        let (id, version) = match text.split_once('@') {
            Some((id, version)) => (id, Some(version)),
            None => (text, None),
        };
        match ctx.policies.get(id) {
            Some(policy) => {
                selected.push(policy.id.clone());
                if let Some(version) = version.filter(|v| *v != policy.version) {
                    verdict.findings.extend(ctx.doc_finding(
                        OwnCheck::SupersededPolicyVersion,
                        doc,
                        item.pos,
                        Some(format!("policies[{i}]")),
                        format!(
                            "'{}' pins version {}, but {id} {} is loaded and applied",
                            quoted(text),
                            quoted(version),
                            policy.version
                        ),
                    ));
                }
            }
            None => {
                let hint = suggestion(id, ctx.policies.policies.iter().map(|p| &*p.id))
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default();
                verdict.findings.extend(ctx.doc_finding(
                    OwnCheck::UnknownPolicy,
                    doc,
                    item.pos,
                    Some(format!("policies[{i}]")),
                    format!("policy '{}' is not loaded{hint}", quoted(id)),
                ));
            }
        }
    }
    Some(selected)
}

fn scope_matches(policy: &Policy, root: &Node, as_of: NaiveDate) -> bool {
    let params = Default::default();
    let ctx = Context {
        as_of,
        params: &params,
        placeholders: &policy.placeholders,
    };
    policy
        .scope
        .when
        .iter()
        .all(|c| c.evaluate(root, &ctx).is_empty())
}

/// The rule's failures, or `None` when it passes, for a rule that applies. A
/// `when` condition that read a value of the wrong type fails the rule.
/// A rule's failures on a document it applies to: those of its conditions
/// (values of the wrong type), or else those of its checks.
fn evaluate_rule(
    rule: &Rule,
    policy: &Policy,
    root: &Node,
    as_of: NaiveDate,
    mut failures: Vec<Failure>,
) -> Option<Vec<Failure>> {
    let ctx = Context {
        as_of,
        params: &rule.params,
        placeholders: &policy.placeholders,
    };
    if failures.is_empty() {
        for check in &rule.checks {
            failures.extend(check.evaluate(root, &ctx));
        }
    }
    if failures.is_empty() {
        None
    } else {
        for failure in &mut failures {
            failure.message = crate::checks::spoken::speak(&failure.message, root);
        }
        failures.sort_by(|a, b| (a.pos, &a.path).cmp(&(b.pos, &b.path)));
        failures.dedup_by(|a, b| a.message == b.message);
        Some(failures)
    }
}

/// Whether a rule's `when` conditions hold on a document, and the failures
/// of those that met a value of the wrong type (which apply the rule, and
/// fail it: a wrong type is never read as "not applicable").
fn conditions(rule: &Rule, policy: &Policy, root: &Node, as_of: NaiveDate) -> (bool, Vec<Failure>) {
    let ctx = Context {
        as_of,
        params: &rule.params,
        placeholders: &policy.placeholders,
    };
    let mut applies = true;
    let mut wrong_types = Vec::new();
    for condition in &rule.when {
        let found = condition.evaluate(root, &ctx);
        if found.iter().any(|f| f.wrong_type) {
            wrong_types.extend(found.into_iter().filter(|f| f.wrong_type));
        } else if !found.is_empty() {
            applies = false;
        }
    }
    (applies, wrong_types)
}

/// How many failing values one finding's message names; a list of a
/// million failing items is counted, not listed.
const MAX_NAMED_FAILURES: usize = 20;

/// The finding of a failing policy rule, located at its first failure.
pub fn rule_finding(
    file: &Arc<str>,
    document: Option<Arc<str>>,
    kind: &Arc<str>,
    rule: &Rule,
    failures: Vec<Failure>,
) -> Finding {
    let first = &failures[0];
    let mut message = failures
        .iter()
        .take(MAX_NAMED_FAILURES)
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    if failures.len() > MAX_NAMED_FAILURES {
        message.push_str(&format!(
            "; and {} more",
            failures.len() - MAX_NAMED_FAILURES
        ));
    }
    Finding::new(
        rule.label.clone(),
        rule.severity,
        Arc::new(FindingTarget {
            file: file.clone(),
            kind: Some(kind.clone()),
            document,
        }),
        first.pos,
        Some(Arc::new(FindingPath::new(&first.path))),
        message,
    )
}
