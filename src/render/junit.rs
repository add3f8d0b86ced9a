//! `--format junit`: JUnit XML for CI test reports. One test suite per
//! document, one test case per applicable rule: a `failure` for a failing
//! rule, `skipped` for one that does not apply or is waived. DOC findings
//! are test cases of their document; findings about whole files (DOC001)
//! and policies (POL001) form a suite of their own. So the failures add up
//! to the JSON summary's errors plus warnings.

use super::AuditOutput;
use crate::report::{Finding, Severity, Status};
use anyhow::Result;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

fn failure_case(finding: &Finding) -> TestCase {
    let name = format!("{} {}", finding.rule, finding.name);
    let status = match (finding.status, finding.severity) {
        (Status::Waived, _) => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!("waived: {}", finding.message));
            status
        }
        (_, Severity::Info) => TestCaseStatus::success(),
        _ => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(format!(
                    "{}:{}:{}: {}",
                    finding.file, finding.line, finding.column, finding.message
                ))
                .set_type(finding.severity.as_str())
                .set_description(format!(
                    "{}:{}:{}\n{}\n\nHow to fix: {}",
                    finding.file,
                    finding.line,
                    finding.column,
                    finding.message,
                    finding.help.as_deref().unwrap_or("")
                ));
            status
        }
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(finding.file.to_string());
    if finding.severity == Severity::Info {
        case.set_system_out(finding.message.clone());
    }
    case
}

pub fn render(output: &AuditOutput<'_>, out: &mut Vec<u8>) -> Result<()> {
    let report = output.report;
    let mut by_document: BTreeMap<(&str, Option<&str>, &str), Vec<&Finding>> = BTreeMap::new();
    let mut run_level = Vec::new();
    for finding in &report.findings {
        match (&finding.kind, &finding.document) {
            (Some(kind), document) if finding.rule.as_ref() != "POL001" => by_document
                .entry((&finding.file, document.as_deref(), kind))
                .or_default()
                .push(finding),
            _ => run_level.push(finding),
        }
    }
    let mut junit = Report::new("blcheck");
    for doc in &report.documents {
        let label = doc.id.as_deref().unwrap_or("(no id)");
        let mut suite = TestSuite::new(format!("{} {label} ({})", doc.kind, doc.file));
        let findings = by_document
            .remove(&(&*doc.file, doc.id.as_deref(), &*doc.kind))
            .unwrap_or_default();
        for result in &doc.results {
            let finding = findings.iter().find(|f| f.rule == result.rule);
            let case = match (result.status, finding) {
                (Status::Fail | Status::Waived, Some(f)) => failure_case(f),
                (status, _) => {
                    let status = if status == Status::Skip {
                        let mut skipped = TestCaseStatus::skipped();
                        skipped.set_message("not applicable");
                        skipped
                    } else {
                        TestCaseStatus::success()
                    };
                    let name = match output.policies.rule(&result.rule) {
                        Some((_, rule)) => format!("{} {}", rule.id, rule.name),
                        None => result.rule.to_string(),
                    };
                    let mut case = TestCase::new(name, status);
                    case.set_classname(doc.file.to_string());
                    case
                }
            };
            suite.add_test_case(case);
        }
        for finding in findings.iter().filter(|f| f.policy.is_none()) {
            suite.add_test_case(failure_case(finding));
        }
        junit.add_test_suite(suite);
    }
    // Documents that share file, id and kind (DOC005) leave findings here.
    run_level.extend(by_document.into_values().flatten());
    if !run_level.is_empty() {
        let mut suite = TestSuite::new("files and policies");
        for finding in run_level {
            suite.add_test_case(failure_case(finding));
        }
        junit.add_test_suite(suite);
    }
    junit.serialize(&mut *out)?;
    out.push(b'\n');
    Ok(())
}
