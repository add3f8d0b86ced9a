//! `--format junit`: JUnit XML as the Jenkins xunit plugin's `junit-10.xsd`
//! defines it, which GitLab, Jenkins and most CI test reports read.
//!
//! One test suite per document and one test case per rule that applies to
//! it: a `failure` for a failing rule, `skipped` for one that does not apply
//! or is waived. DOC findings are test cases of their document, named by
//! rule and location. Findings about whole files (DOC001) and policies
//! (POL001) form a suite of their own. So the failures are the failing
//! findings of the JSON report, one each (its summary's errors plus
//! warnings).
//!
//! GitLab keys a test case by suite, classname and name and keeps one case
//! per key, Jenkins groups by classname: every document's classname names
//! its file, kind and id (numbered when documents of one file share kind
//! and id), and every name is unique within its suite.

use super::text::{xml_attribute, xml_text};
use super::ReportView;
use crate::report::{DocumentOutcome, Finding, RuleResult, Severity, Status};
use anyhow::Result;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::io::Write;

/// A test case's result.
enum Outcome {
    Pass {
        output: Option<String>,
    },
    Failure {
        message: String,
        severity: Severity,
        details: String,
    },
    Skipped {
        message: String,
    },
}

struct Case {
    name: String,
    classname: String,
    outcome: Outcome,
}

struct Suite {
    name: String,
    cases: Vec<Case>,
    names: BTreeSet<String>,
}

impl Suite {
    fn new(name: String) -> Suite {
        Suite {
            name,
            cases: Vec::new(),
            names: BTreeSet::new(),
        }
    }

    /// Adds a case, numbering its name if the suite already has it: two
    /// findings of one rule at one place stay two test cases.
    fn add(&mut self, mut case: Case) {
        if self.names.contains(&case.name) {
            let base = case.name.clone();
            let mut n = 2;
            while self.names.contains(&format!("{base} ({n})")) {
                n += 1;
            }
            case.name = format!("{base} ({n})");
        }
        self.names.insert(case.name.clone());
        self.cases.push(case);
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.outcome)).count()
    }

    fn failures(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failure { .. }))
    }

    fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped { .. }))
    }
}

/// What a finding is as a test case: failing findings of severity error or
/// warning fail (as they count in the JSON summary), waived ones are
/// skipped, and so are baselined ones (with the reason), info findings
/// (a baseline entry reported fixed among them) pass with their message
/// as output.
/// Whether a finding's test case is a `failure` (see [`outcome`]).
fn fails_as_a_test(finding: &Finding) -> bool {
    !matches!(
        finding.status,
        Status::Waived | Status::Baselined | Status::Fixed
    ) && finding.severity != Severity::Info
}

fn outcome(finding: &Finding) -> Outcome {
    match (finding.status, finding.severity) {
        (Status::Waived, _) => Outcome::Skipped {
            message: format!("waived: {}", finding.message),
        },
        (Status::Baselined, _) => Outcome::Skipped {
            message: format!(
                "baselined (a known failure the baseline holds): {}",
                finding.message
            ),
        },
        (_, Severity::Info) => Outcome::Pass {
            output: Some(finding.message.to_string()),
        },
        (_, severity) => {
            let place = format!("{}:{}:{}", finding.file(), finding.line, finding.column);
            Outcome::Failure {
                message: format!("{place}: {}", finding.message),
                severity,
                details: format!(
                    "{place}\n{}\n\nHow to fix: {}",
                    finding.message,
                    finding.help().as_deref().unwrap_or("")
                ),
            }
        }
    }
}

/// A finding that is not one rule's result on a document (a DOC, file or
/// policy finding): named by rule and location, as a document may have
/// several of one rule.
fn located_case(finding: &Finding, classname: &str) -> Case {
    Case {
        name: match finding.line {
            // A baseline entry reported fixed keeps no place.
            0 => format!(
                "{} {} (fixed since the baseline)",
                finding.rule(),
                finding.name()
            ),
            line => format!(
                "{} {} at {line}:{}",
                finding.rule(),
                finding.name(),
                finding.column
            ),
        },
        classname: classname.to_string(),
        outcome: outcome(finding),
    }
}

/// The classname (and suite name) of each document: its file, kind and id,
/// and, for the second and later documents of one file with the same kind
/// and id, which of them it is (`#2`), numbered on until the label is one
/// no other document has (an id may itself end in `#2`). Only the
/// numbered labels are kept; the others are made again from their document
/// as its suite is written, so that a run of 100,000 documents holds a
/// hash a label, not the labels and a set of them.
struct DocumentLabels {
    numbered: HashMap<usize, String>,
}

impl DocumentLabels {
    fn new(documents: &[DocumentOutcome]) -> DocumentLabels {
        let mut labels = DocumentLabels {
            numbered: HashMap::new(),
        };
        // Each label's hash and the document that has it; a label is taken
        // only when its text equals that document's (`others` holds the
        // documents whose label shares another's hash: almost never any).
        let mut taken: HashMap<u64, usize> = HashMap::with_capacity(documents.len());
        let mut others: HashMap<u64, Vec<usize>> = HashMap::new();
        for (index, doc) in documents.iter().enumerate() {
            let base = Self::base(doc);
            let mut label = base.clone();
            let mut n = 1;
            loop {
                let hash = label_hash(&label);
                let holders = taken
                    .get(&hash)
                    .into_iter()
                    .chain(others.get(&hash).into_iter().flatten());
                let is_taken = holders
                    .into_iter()
                    .any(|&other| labels.label(documents, other) == label);
                if !is_taken {
                    match taken.contains_key(&hash) {
                        true => others.entry(hash).or_default().push(index),
                        false => {
                            taken.insert(hash, index);
                        }
                    }
                    break;
                }
                n += 1;
                label = format!("{base} #{n}");
            }
            if n > 1 {
                labels.numbered.insert(index, label);
            }
        }
        labels
    }

    fn base(doc: &DocumentOutcome) -> String {
        let id = doc.id.as_deref().unwrap_or("(no id)");
        format!("{}: {} {id}", doc.file, doc.kind)
    }

    /// The label of `documents[index]`.
    fn label(&self, documents: &[DocumentOutcome], index: usize) -> String {
        match self.numbered.get(&index) {
            Some(label) => label.clone(),
            None => Self::base(&documents[index]),
        }
    }
}

/// A hash of a label's text, only to find the labels it may equal.
fn label_hash(label: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    label.hash(&mut hasher);
    hasher.finish()
}

/// A document's test cases before they are named: each rule result with
/// the finding that is its outcome, if any, then the findings that are no
/// rule's result (DOC findings), in order.
fn document_cases<'a>(
    doc: &'a DocumentOutcome,
    findings: &[&'a Finding],
) -> (Vec<(&'a RuleResult, Option<&'a Finding>)>, Vec<&'a Finding>) {
    let mut used = vec![false; findings.len()];
    let results = doc
        .results()
        .iter()
        .map(|result| {
            let found = (0..findings.len()).find(|&i| {
                !used[i] && findings[i].policy().is_some() && result.rule == *findings[i].rule()
            });
            if let Some(i) = found {
                used[i] = true;
            }
            (result, found.map(|i| findings[i]))
        })
        .collect();
    let located = findings
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(finding, _)| *finding)
        .collect();
    (results, located)
}

/// What a document's suite counts, without making its cases' text: the
/// first of JUnit's two passes.
fn document_counts(doc: &DocumentOutcome, findings: &[&Finding]) -> (usize, usize) {
    let (results, located) = document_cases(doc, findings);
    let failures = results
        .iter()
        .filter_map(|(_, finding)| *finding)
        .chain(located.iter().copied())
        .filter(|f| fails_as_a_test(f))
        .count();
    (results.len() + located.len(), failures)
}

fn document_suite(
    output: &ReportView<'_>,
    doc: &DocumentOutcome,
    label: String,
    findings: &[&Finding],
) -> Suite {
    let mut suite = Suite::new(label.clone());
    let (results, located) = document_cases(doc, findings);
    for (result, found) in results {
        let name = match output.policies.rule(&result.rule) {
            Some((_, rule)) => format!("{} {}", rule.id, rule.name),
            None => result.rule.to_string(),
        };
        let outcome = match (found, result.status) {
            (Some(finding), _) => outcome(finding),
            (None, Status::Skip) => Outcome::Skipped {
                message: "not applicable".into(),
            },
            (None, _) => Outcome::Pass { output: None },
        };
        suite.add(Case {
            name,
            classname: label.clone(),
            outcome,
        });
    }
    for finding in located {
        suite.add(located_case(finding, &label));
    }
    suite
}

/// Makes every suite in turn, in report order, and hands it to `each`:
/// one suite is held at a time, so a run with 100,000 documents never holds
/// all their test cases.
fn for_each_suite(
    output: &ReportView<'_>,
    mut each: impl FnMut(Suite) -> Result<()>,
) -> Result<()> {
    let report = output.report;
    let labels = DocumentLabels::new(&report.documents);
    for (index, doc) in report.documents.iter().enumerate() {
        let findings: Vec<&Finding> = report.findings_of(index).collect();
        let label = labels.label(&report.documents, index);
        each(document_suite(output, doc, label, &findings))?;
    }
    let mut run_level = report.findings_of_no_document().peekable();
    if run_level.peek().is_some() {
        let mut suite = Suite::new("files and policies".into());
        for finding in run_level {
            suite.add(located_case(finding, finding.file()));
        }
        each(suite)?;
    }
    Ok(())
}

fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
    let mut tag = BytesStart::new(name);
    for &(key, value) in attributes {
        tag.push_attribute((key, xml_attribute(value).as_str()));
    }
    tag
}

fn write_case<W: Write>(writer: &mut Writer<W>, case: &Case) -> std::io::Result<()> {
    let tag = start(
        "testcase",
        &[("name", &case.name), ("classname", &case.classname)],
    );
    let (child, attributes, text): (&str, Vec<(&str, &str)>, Option<&str>) = match &case.outcome {
        Outcome::Pass { output: None } => return writer.write_event(Event::Empty(tag)),
        Outcome::Pass {
            output: Some(output),
        } => ("system-out", Vec::new(), Some(output)),
        Outcome::Failure {
            message,
            severity,
            details,
        } => (
            "failure",
            vec![("message", message), ("type", severity.as_str())],
            Some(details),
        ),
        Outcome::Skipped { message } => ("skipped", vec![("message", message)], None),
    };
    writer.write_event(Event::Start(tag))?;
    let child_tag = start(child, &attributes);
    match text {
        Some(text) => {
            writer.write_event(Event::Start(child_tag))?;
            writer.write_event(Event::Text(BytesText::new(&xml_text(text))))?;
            writer.write_event(Event::End(BytesEnd::new(child)))?;
        }
        None => writer.write_event(Event::Empty(child_tag))?,
    }
    writer.write_event(Event::End(BytesEnd::new("testcase")))
}

/// Two passes: the first counts what `<testsuites>` states (without
/// making any case's text), the second writes each suite as it is made.
pub fn render(output: &ReportView<'_>, out: &mut dyn Write) -> Result<()> {
    let (mut tests, mut failures) = (0usize, 0usize);
    let report = output.report;
    for (index, doc) in report.documents.iter().enumerate() {
        let findings: Vec<&Finding> = report.findings_of(index).collect();
        let (cases, failing) = document_counts(doc, &findings);
        tests += cases;
        failures += failing;
    }
    for finding in report.findings_of_no_document() {
        tests += 1;
        failures += usize::from(fails_as_a_test(finding));
    }
    let mut writer = Writer::new_with_indent(&mut *out, b' ', 4);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    // junit-10.xsd allows name, time, tests, failures and errors on
    // <testsuites>, and no `skipped` (the suites carry it).
    writer.write_event(Event::Start(start(
        "testsuites",
        &[
            ("name", "blcheck"),
            ("tests", &tests.to_string()),
            ("failures", &failures.to_string()),
            ("errors", "0"),
        ],
    )))?;
    for_each_suite(output, |suite| {
        let tag = start(
            "testsuite",
            &[
                ("name", &suite.name),
                ("tests", &suite.cases.len().to_string()),
                ("failures", &suite.failures().to_string()),
                ("errors", "0"),
                ("skipped", &suite.skipped().to_string()),
            ],
        );
        if suite.cases.is_empty() {
            writer.write_event(Event::Empty(tag))?;
            return Ok(());
        }
        writer.write_event(Event::Start(tag))?;
        for case in &suite.cases {
            write_case(&mut writer, case)?;
        }
        writer.write_event(Event::End(BytesEnd::new("testsuite")))?;
        Ok(())
    })?;
    writer.write_event(Event::End(BytesEnd::new("testsuites")))?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(file: &str, id: Option<&str>) -> DocumentOutcome {
        DocumentOutcome::new(
            file.into(),
            "Course".into(),
            id.map(Into::into),
            crate::yaml::Pos { line: 1, column: 1 },
        )
    }

    #[test]
    fn every_document_has_its_own_label() {
        let documents = [
            document("a.yaml", Some("X")),
            document("a.yaml", Some("X")),
            document("a.yaml", Some("X #2")),
            document("b.yaml", Some("X")),
            document("b.yaml", None),
            document("b.yaml", None),
        ];
        let labels = DocumentLabels::new(&documents);
        let labels: Vec<String> = (0..documents.len())
            .map(|i| labels.label(&documents, i))
            .collect();
        assert_eq!(
            labels,
            [
                "a.yaml: Course X",
                "a.yaml: Course X #2",
                "a.yaml: Course X #2 #2",
                "b.yaml: Course X",
                "b.yaml: Course (no id)",
                "b.yaml: Course (no id) #2",
            ]
        );
    }

    #[test]
    fn repeated_names_are_numbered() {
        let mut suite = Suite::new("s".into());
        for name in [
            "DOC002 at 1:1",
            "DOC002 at 1:1",
            "DOC002 at 1:1 (2)",
            "DOC002 at 1:1",
        ] {
            suite.add(Case {
                name: name.into(),
                classname: "c".into(),
                outcome: Outcome::Pass { output: None },
            });
        }
        let names: Vec<&str> = suite.cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "DOC002 at 1:1",
                "DOC002 at 1:1 (2)",
                "DOC002 at 1:1 (2) (2)",
                "DOC002 at 1:1 (3)"
            ]
        );
    }
}
