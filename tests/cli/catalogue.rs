//! `blcheck rules` and `blcheck explain`, and the generated docs/rules.md.

use super::support::{blcheck, root};
use predicates::prelude::*;

#[test]
fn rules_lists_every_rule_of_the_spec() {
    let output = blcheck()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let ids: Vec<&str> = json["rules"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    let mut expected: Vec<String> = Vec::new();
    expected.extend((1..=18).map(|n| format!("BLP{n:03}")));
    expected.extend((1..=16).map(|n| format!("DOC{n:03}")));
    expected.extend((1..=4).map(|n| format!("EVL{n:03}")));
    expected.extend((1..=11).map(|n| format!("ILP{n:03}")));
    expected.push("POL001".into());
    assert_eq!(ids, expected);
}

#[test]
fn explain_shows_clause_parameters_and_fix() {
    blcheck()
        .args(["explain", "BLP002"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("accessibility-review"))
        .stdout(predicate::str::contains(
            "Ensure that content is rigorously reviewed",
        ))
        .stdout(predicate::str::contains("max_age_days = 365"))
        .stdout(predicate::str::contains("How to fix"));
    blcheck()
        .args(["explain", "BLP02"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean BLP002?"));
}

#[test]
fn docs_rules_md_is_what_the_binary_generates() {
    let output = blcheck()
        .args(["rules", "--format", "markdown"])
        .output()
        .expect("runs");
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        committed == String::from_utf8_lossy(&output.stdout),
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}
