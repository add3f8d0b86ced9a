//! Learner plans: the ILP rules on a cohort, cloned plans, the per-course
//! summary.

use super::support::{audit_json, blcheck, findings};

#[test]
fn a_cohort_gives_exactly_the_expected_ilp_findings() {
    let (json, code) = audit_json(&["fixtures/plans", "--as-of", "2025-11-01", "--select", "ILP"]);
    assert_eq!(code, 1);
    let got: Vec<(String, String, String, String)> = json["findings"]
        .as_array()
        .expect("list")
        .iter()
        .map(|f| {
            (
                f["file"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches("fixtures/plans/")
                    .to_string(),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["status"].as_str().unwrap_or_default().to_string(),
                format!("{}:{}", f["line"], f["column"]),
            )
        })
        .collect();
    let expected = [
        ("l1002-stale.yaml", "ILP002", "fail", "7:1"),
        ("l1002-stale.yaml", "ILP003", "fail", "7:1"),
        ("l1002-stale.yaml", "ILP010", "fail", "15:9"),
        ("l1002-stale.yaml", "ILP005", "fail", "17:9"),
        ("l1002-stale.yaml", "ILP007", "fail", "18:1"),
        ("l1002-stale.yaml", "ILP008", "fail", "19:1"),
        ("l1003-template.yaml", "ILP009", "fail", "13:1"),
        ("l1004-template.yaml", "ILP009", "fail", "12:1"),
    ];
    let expected: Vec<(String, String, String, String)> = expected
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, expected);
    let clone = json["findings"]
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["rule"] == "ILP009")
        .expect("ILP009");
    assert!(
        clone["message"]
            .as_str()
            .is_some_and(|m| m.contains("ILP-ESOL-E3-1004")),
        "names the other plan"
    );
}

#[test]
fn the_summary_has_a_cohort_per_course() {
    let (json, _) = audit_json(&["fixtures/plans", "--as-of", "2025-11-01"]);
    assert_eq!(
        json["summary"]["cohorts"],
        serde_json::json!([{ "course": "ESOL-E3-JAN-2026", "plans": 4, "passed": 1, "failed": 3, "clones": 2 }])
    );
    let (courses_only, _) = audit_json(&["fixtures/courses", "--as-of", "2025-11-01"]);
    assert!(
        courses_only["summary"].get("cohorts").is_none(),
        "no plans, no cohorts"
    );
    let (spec, _) = audit_json(&["fixtures/spec", "--as-of", "2025-11-01"]);
    assert!(
        findings(&spec).iter().all(|f| f.0 != "DOC014"),
        "the spec plan's course is in the run"
    );
}

#[test]
fn the_table_ends_with_the_cohort_view() {
    let output = blcheck()
        .args(["audit", "fixtures/plans", "--as-of", "2025-11-01"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    insta::assert_snapshot!("plans_table", text);
    let last = text
        .lines()
        .rev()
        .find(|l| l.contains("ESOL-E3-JAN-2026"))
        .expect("a cohort row");
    assert!(last.contains("┆ 4 ") && last.contains("┆ 2 "), "{last}");
}

/// The cohort view counts clones by the rule's check kind
/// (`distinct_in_run`), not by the rule's id: renumbering ILP009 in a
/// copy of its policy (which replaces the built-in one) counts the same
/// clones under the new id.
#[test]
fn clones_are_counted_by_check_kind_not_by_rule_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = std::fs::read_to_string(super::support::root().join("policies/ilp-quality.toml"))
        .expect("the shipped policy");
    // The rule and the commitments traced to it, renumbered together.
    let renumbered = shipped.replace("\"ILP009\"", "\"ILP109\"");
    assert_ne!(renumbered, shipped, "ILP009 is in the shipped policy");
    let policy = dir.path().join("ilp-quality.toml");
    std::fs::write(&policy, renumbered).expect("write");
    let policy = policy.to_str().expect("UTF-8 path");
    let (json, _) = audit_json(&[
        "fixtures/plans",
        "--as-of",
        "2025-11-01",
        "--policy",
        policy,
    ]);
    let rules: Vec<String> = findings(&json).into_iter().map(|f| f.0).collect();
    assert!(rules.iter().any(|r| r == "ILP109"), "{rules:?}");
    assert!(!rules.iter().any(|r| r == "ILP009"), "{rules:?}");
    assert_eq!(
        json["summary"]["cohorts"],
        serde_json::json!([{ "course": "ESOL-E3-JAN-2026", "plans": 4, "passed": 1, "failed": 3, "clones": 2 }])
    );
}
