//! A policy's test cases as an author writes them: YAML documents whose
//! comments state the status each rule must have on them, as the fixtures
//! of the built-in rules (`fixtures/rules/<RULE>/`) do:
//!
//! ```yaml
//! # expect: ACM001 pass
//! # expect: ACM002 fail 12:5
//! # as-of: 2026-01-15
//! ```
//!
//! `pass` and `skip` are the rule's status on the document; `fail` and
//! `waived` are findings, one line per finding, optionally with the
//! line:column it points at. `none` (in a folder named after a rule) means
//! no finding of that rule. `# flags:` takes `--max-documents N` and
//! `--max-findings N`, the run limits. `compare` holds a case's report
//! against what it states.

use crate::position::LineIndex;
use crate::report::Report;
use crate::yaml::Pos;
use std::collections::{BTreeMap, BTreeSet};

/// One stated expectation, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub rule: String,
    pub status: String,
    pub location: Option<String>,
    pub pos: Pos,
}

/// What a case file states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Case {
    pub expected: Vec<Expectation>,
    /// Rules of which no finding is expected (`none`), with where it is said.
    pub no_findings: Vec<(String, Pos)>,
    pub as_of: Option<chrono::NaiveDate>,
    pub max_documents: Option<u64>,
    pub max_findings: Option<u64>,
}

/// The statuses a case may expect.
pub const STATUSES: &[&str] = &["pass", "fail", "skip", "waived"];

/// Reads a case's comments; `folder_rule` is the rule a `none` is about
/// (the name of the folder the case is in, when it is a rule id). Every
/// problem is located.
pub fn read_case(text: &str, folder_rule: Option<&str>) -> Result<Case, Vec<(Pos, String)>> {
    let lines = LineIndex::new(text);
    let mut case = Case::default();
    let mut problems = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let line = line.trim_end();
        let pos = lines.pos(start);
        let Some(comment) = line.strip_prefix('#') else {
            continue;
        };
        let comment = comment.trim();
        if let Some(rest) = comment.strip_prefix("as-of:") {
            match crate::dates::parse_date(rest.trim()) {
                Ok(date) => case.as_of = Some(date),
                Err(e) => problems.push((pos, format!("# as-of: '{}': {e}", rest.trim()))),
            }
        } else if let Some(rest) = comment.strip_prefix("flags:") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            for pair in words.chunks(2) {
                let number = pair.get(1).and_then(|n| n.parse::<u64>().ok());
                match (pair[0], number) {
                    ("--max-documents", Some(n)) => case.max_documents = Some(n),
                    ("--max-findings", Some(n)) => case.max_findings = Some(n),
                    _ => problems.push((
                        pos,
                        format!(
                            "'# flags: {}': a case takes only --max-documents N and --max-findings N",
                            rest.trim()
                        ),
                    )),
                }
            }
        } else if let Some(rest) = comment.strip_prefix("expect:") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            match words.as_slice() {
                ["none"] => match folder_rule {
                    Some(rule) => case.no_findings.push((rule.to_string(), pos)),
                    None => problems.push((
                        pos,
                        "'# expect: none' needs the case to be in a folder named after its rule; \
                         write '# expect: RULE pass'"
                            .into(),
                    )),
                },
                [rule, status, rest @ ..] if STATUSES.contains(status) && rest.len() <= 1 => {
                    case.expected.push(Expectation {
                        rule: rule.to_uppercase(),
                        status: status.to_string(),
                        location: rest.first().map(|l| l.to_string()),
                        pos,
                    })
                }
                _ => problems.push((
                    pos,
                    format!(
                        "'# expect:{rest}' is not 'RULE STATUS [LINE:COLUMN]' with a status of {}",
                        STATUSES.join(", ")
                    ),
                )),
            }
        }
    }
    if case.expected.is_empty() && case.no_findings.is_empty() && problems.is_empty() {
        problems.push((
            Pos { line: 1, column: 1 },
            "no '# expect: RULE STATUS' line: a case states what it expects".into(),
        ));
    }
    if problems.is_empty() {
        Ok(case)
    } else {
        Err(problems)
    }
}

/// What one case gave against what it states.
pub struct Outcome {
    pub mismatches: Vec<String>,
    /// Rules whose stated pass (or `none`) and fail held.
    pub passed: BTreeSet<String>,
    pub failed: BTreeSet<String>,
}

/// Each stated expectation against the report.
pub fn compare(case: &Case, report: &Report, file: &str) -> Outcome {
    let mut outcome = Outcome {
        mismatches: Vec::new(),
        passed: BTreeSet::new(),
        failed: BTreeSet::new(),
    };
    let mut findings: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for f in &report.findings {
        findings
            .entry(f.rule())
            .or_default()
            .push((f.status.to_string(), format!("{}:{}", f.line, f.column)));
    }
    let statuses = |rule: &str| -> Vec<&'static str> {
        report
            .documents
            .iter()
            .flat_map(|d| d.results())
            .filter(|r| &*r.rule == rule)
            .map(|r| r.status.as_str())
            .collect()
    };
    let rules: BTreeSet<&str> = case.expected.iter().map(|e| e.rule.as_str()).collect();
    for rule in rules {
        let stated: Vec<_> = case.expected.iter().filter(|e| e.rule == rule).collect();
        let got = findings.get(rule).cloned().unwrap_or_default();
        let mut ok = true;
        for e in stated
            .iter()
            .filter(|e| e.status == "pass" || e.status == "skip")
        {
            let has = statuses(rule);
            if !has.contains(&e.status.as_str()) || !got.is_empty() {
                ok = false;
                let what = match (has.is_empty(), got.is_empty()) {
                    (true, true) => "it did not apply (no such rule in scope)".to_string(),
                    (_, false) => describe(&got),
                    (false, true) => format!("its status was {}", has.join(", ")),
                };
                outcome.mismatches.push(format!(
                    "{file}:{}: expected {rule} {}, got {what}",
                    e.pos, e.status
                ));
            }
        }
        let stated_findings: Vec<_> = stated
            .iter()
            .filter(|e| e.status == "fail" || e.status == "waived")
            .collect();
        if !stated_findings.is_empty() {
            let matches = stated_findings.len() == got.len()
                && stated_findings
                    .iter()
                    .zip(&got)
                    .all(|(e, g)| e.status == g.0 && e.location.as_ref().is_none_or(|l| *l == g.1));
            if !matches {
                ok = false;
                let want: Vec<String> = stated_findings
                    .iter()
                    .map(|e| match &e.location {
                        Some(l) => format!("{} at {l}", e.status),
                        None => e.status.clone(),
                    })
                    .collect();
                outcome.mismatches.push(format!(
                    "{file}:{}: expected {rule} {}, got {}",
                    stated_findings[0].pos,
                    want.join(", "),
                    describe(&got)
                ));
            }
        }
        if ok {
            if stated.iter().any(|e| e.status == "pass") {
                outcome.passed.insert(rule.to_string());
            }
            if stated.iter().any(|e| e.status == "fail") {
                outcome.failed.insert(rule.to_string());
            }
        }
    }
    for (rule, pos) in &case.no_findings {
        match findings.get(rule.as_str()) {
            Some(got) => outcome.mismatches.push(format!(
                "{file}:{pos}: expected no finding of {rule}, got {}",
                describe(got)
            )),
            None => {
                outcome.passed.insert(rule.clone());
            }
        }
    }
    outcome
}

/// Findings as a mismatch names them: `fail at 12:5, fail at 14:5`.
fn describe(got: &[(String, String)]) -> String {
    if got.is_empty() {
        return "no finding".into();
    }
    got.iter()
        .map(|(status, at)| format!("{status} at {at}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_expectations_dates_and_limits_with_their_places() {
        let case = read_case(
            "# expect: acm001 pass\n# expect: ACM002 fail 12:5\n# as-of: 2026-01-15\n# flags: --max-documents 2\nkind: Course\n",
            None,
        )
        .unwrap();
        assert_eq!(case.expected[0].rule, "ACM001");
        assert_eq!(case.expected[1].location.as_deref(), Some("12:5"));
        assert_eq!(case.expected[1].pos, Pos { line: 2, column: 1 });
        assert_eq!(
            case.as_of.map(|d| d.to_string()).as_deref(),
            Some("2026-01-15")
        );
        let problems = read_case("# expect: A001 pass\n# as-of: 2026-02-30\n", None).unwrap_err();
        assert_eq!(problems[0].0, Pos { line: 2, column: 1 });
        assert_eq!(case.max_documents, Some(2));
    }

    #[test]
    fn malformed_lines_and_cases_without_expectations_are_located() {
        let problems = read_case("kind: Course\n# expect: ACM001 passes\n", None).unwrap_err();
        assert_eq!(problems[0].0, Pos { line: 2, column: 1 });
        let problems = read_case("kind: Course\n", None).unwrap_err();
        assert!(problems[0].1.contains("no '# expect"));
        let problems = read_case("# expect: none\n", None).unwrap_err();
        assert!(problems[0].1.contains("folder named after its rule"));
        assert_eq!(
            read_case("# expect: none\n", Some("BLP001"))
                .unwrap()
                .no_findings[0]
                .0,
            "BLP001"
        );
    }
}
