//! `blcheck maturity`: scoring, problems with claims, exit codes and the
//! three output formats.

use super::support::{audit_json, blcheck, findings, root};
use predicates::prelude::*;
use std::fs;

/// Runs `blcheck maturity FILE --format json` and parses the report.
fn maturity_json(file: &str) -> serde_json::Value {
    let output = blcheck()
        .args(["maturity", file, "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn levels(json: &serde_json::Value) -> Vec<u64> {
    json["dimensions"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| d["level"].as_u64().expect("a level"))
        .collect()
}

/// Every statement id of the shipped model.
fn model_ids() -> Vec<String> {
    let text = fs::read_to_string(root().join("policies/blended-learning-maturity.toml"))
        .expect("the model");
    let model: toml::Value = toml::from_str(&text).expect("TOML");
    model["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s["id"].as_str().expect("an id").to_string())
        .collect()
}

#[test]
fn meeting_nothing_is_level_1_in_every_dimension() {
    let json = maturity_json("fixtures/maturity/level-1.yaml");
    assert_eq!(levels(&json), [1; 10]);
    assert_eq!(json["overall"]["level"], 1);
    assert_eq!(json["overall"]["name"], "Traditional Learning Offer");
    assert_eq!(json["overall"]["median"], 1.0);
    assert_eq!(json["findings"], serde_json::json!([]));
    // Each dimension says what its next level needs.
    for d in json["dimensions"].as_array().expect("a list") {
        assert!(!d["needed"].as_array().expect("a list").is_empty(), "{d}");
    }
}

#[test]
fn meeting_every_statement_is_level_4() {
    let json = maturity_json("fixtures/maturity/level-4.yaml");
    assert_eq!(levels(&json), [4; 10]);
    assert_eq!(json["overall"]["level"], 4);
    // Level 1 claims as well: every statement of the model.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("all.yaml");
    let mut text = String::from("kind: MaturityAssessment\nid: ALL\nmet:\n");
    for id in model_ids() {
        text.push_str(&format!(
            "  - indicator: {id}\n    evidence: Shown at the review\n"
        ));
    }
    fs::write(&file, text).expect("written");
    let json = maturity_json(file.to_str().expect("UTF-8 path"));
    assert_eq!(levels(&json), [4; 10]);
    assert_eq!(json["assessment"]["counted"], 51);
    assert!(json["dimensions"]
        .as_array()
        .expect("a list")
        .iter()
        .all(|d| d["next_level"].is_null() && d["needed"] == serde_json::json!([])));
}

#[test]
fn a_mixed_organisation_meeting_every_level_2_statement_is_level_2_with_the_median_beside_it() {
    let json = maturity_json("fixtures/maturity/mixed.yaml");
    // Strategy and inclusion have no statement at levels 2 and 3: at 1 on
    // their own, they hold no one below level 3.
    assert_eq!(levels(&json), [1, 1, 2, 3, 4, 2, 3, 2, 3, 3]);
    assert_eq!(json["overall"]["level"], 2);
    assert_eq!(json["overall"]["median"], 2.5);
    let ownership = &json["dimensions"][7];
    assert_eq!(ownership["id"], "ownership");
    assert_eq!(ownership["next_level"], 3);
    assert_eq!(
        ownership["needed"][0]["indicator"],
        "M3.ownership-recommended"
    );
}

#[test]
fn problems_are_listed_with_their_lines_and_the_rest_is_scored() {
    let json = maturity_json("fixtures/maturity/with-problems.yaml");
    assert_eq!(
        findings(&json),
        [
            ("DOC011".into(), "fail".into(), "13:5".into()),
            ("DOC012".into(), "fail".into(), "15:5".into()),
            ("DOC013".into(), "fail".into(), "16:5".into()),
        ]
    );
    assert!(json["findings"][0]["message"]
        .as_str()
        .expect("text")
        .contains("did you mean 'M2.lms-reporting'?"));
    assert_eq!(json["assessment"]["claims"], 4);
    assert_eq!(json["assessment"]["counted"], 1);
    assert_eq!(levels(&json), [1, 1, 1, 1, 2, 1, 1, 1, 1, 1]);
    blcheck()
        .args(["maturity", "fixtures/maturity/with-problems.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "fixtures/maturity/with-problems.yaml:13:5",
        ))
        .stdout(predicate::str::contains("3 problems in the assessment"));
}

#[test]
fn audit_reports_the_same_problems_and_fails() {
    let (json, code) = audit_json(&["fixtures/maturity", "--as-of", "2025-11-01"]);
    assert_eq!(code, 1);
    let rules: Vec<String> = findings(&json).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["DOC011", "DOC012", "DOC013"]);
}

#[test]
fn the_spec_example_is_valid_and_scores_its_claims() {
    let (json, code) = audit_json(&["fixtures/spec/maturity.example.yaml"]);
    assert_eq!((code, findings(&json).len()), (0, 0));
    let json = maturity_json("fixtures/spec/maturity.example.yaml");
    assert_eq!(levels(&json), [1, 1, 1, 1, 3, 1, 1, 1, 2, 1]);
    assert_eq!(json["assessment"]["assessed"], "2025-10-01");
}

#[test]
fn what_cannot_be_scored_exits_2_with_the_reason() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("written");
        path.to_string_lossy().into_owned()
    };
    let cases = [
        (
            "fixtures/maturity/no-such-file.yaml".to_string(),
            "fixtures/maturity/no-such-file.yaml: no such file".to_string(),
        ),
        (
            write("broken.yaml", "kind: MaturityAssessment\nmet: [\n"),
            "broken.yaml:3:1: ".to_string(),
        ),
        (
            "fixtures/spec/course.example.yaml".to_string(),
            "not a MaturityAssessment (kind: Course)".to_string(),
        ),
        (
            write("plain.yaml", "title: not a blcheck document\n"),
            "no YAML document with a top-level `kind`".to_string(),
        ),
        (
            write(
                "two.yaml",
                "kind: MaturityAssessment\nid: A\n---\nkind: MaturityAssessment\nid: B\n",
            ),
            "two.yaml:4:1: a second MaturityAssessment".to_string(),
        ),
        ("fixtures/maturity".to_string(), "not a file".to_string()),
    ];
    for (file, message) in cases {
        blcheck()
            .args(["maturity", &file])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
    }
    blcheck().arg("maturity").assert().code(2);
}

#[test]
fn output_files_take_their_format_and_are_replaced() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("maturity.json");
    let report_arg = report.to_str().expect("UTF-8 path");
    let run = |extra: &[&str]| {
        blcheck()
            .args(["maturity", "fixtures/maturity/mixed.yaml"])
            .args(extra)
            .assert()
    };
    run(&["--output", report_arg]).code(0).stdout("");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(&report).expect("written")).expect("JSON by extension");
    assert_eq!(json["format_version"], 1);
    // An explicit --format wins over the extension, and the file is replaced.
    run(&["--format", "markdown", "--output", report_arg]).code(0);
    let markdown = fs::read_to_string(&report).expect("written");
    assert!(markdown.starts_with("# Blended-learning maturity: Northfield College"));
}

#[test]
fn docs_list_every_indicator() {
    let docs = fs::read_to_string(root().join("docs/maturity.md")).unwrap_or_default();
    for id in model_ids() {
        assert!(
            docs.contains(&format!("`{id}`")),
            "docs/maturity.md does not list {id}"
        );
    }
}

#[test]
fn table_of_a_mixed_assessment() {
    let output = blcheck()
        .args(["maturity", "fixtures/maturity/mixed.yaml"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("maturity_table", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn table_of_an_assessment_with_problems() {
    let output = blcheck()
        .args(["maturity", "fixtures/maturity/with-problems.yaml"])
        .output()
        .expect("runs");
    insta::assert_snapshot!(
        "maturity_table_problems",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn json_of_a_mixed_assessment() {
    let json = maturity_json("fixtures/maturity/mixed.yaml");
    insta::assert_json_snapshot!("maturity_json", json, { ".tool.version" => "[version]" });
}

#[test]
fn markdown_of_an_assessment_with_problems() {
    let output = blcheck()
        .args([
            "maturity",
            "fixtures/maturity/with-problems.yaml",
            "--format",
            "markdown",
        ])
        .output()
        .expect("runs");
    insta::assert_snapshot!("maturity_markdown", String::from_utf8_lossy(&output.stdout));
}
