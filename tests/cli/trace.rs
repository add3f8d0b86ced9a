//! `blcheck trace`: the traceability matrix, checked commitment by
//! commitment against the source documents, and docs/traceability.md.

use super::support::{blcheck, json_of, root};
use std::collections::BTreeSet;

/// The seed documents the policies quote, copied into the repository
/// (`fixtures/seeds/`) from the project's source documents, so that the
/// check runs wherever the tests do.
fn seed(name: &str) -> Option<String> {
    let path = root().join("fixtures/seeds").join(name);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// `(section, text)` of every commitment of one policy.
fn commitments(json: &serde_json::Value, policy: &str) -> Vec<(String, String, String)> {
    json["commitments"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|c| c["policy"].as_str().is_some_and(|p| p.starts_with(policy)))
        .map(|c| {
            (
                c["section"].as_str().unwrap_or_default().to_string(),
                c["text"].as_str().unwrap_or_default().to_string(),
                c["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The bullets of each list of the STS policy: its provider's, learners'
/// and employers' commitments, and the policies it is read with.
fn sts_lists(seed: &str) -> Vec<(String, String)> {
    let mut section = None;
    let mut out = Vec::new();
    for line in seed.lines() {
        let trimmed = line.trim();
        match trimmed {
            "Skills and Training Services will:" | "Learners will:" | "Employers will:" => {
                section = Some(trimmed.trim_end_matches(':').to_string());
            }
            "This policy must be read in conjunction with:" => {
                section = Some("This policy must be read in conjunction with".to_string());
            }
            _ if trimmed.starts_with('#') => section = None,
            _ => {
                if let (Some(section), Some(text)) = (&section, trimmed.strip_prefix("- ")) {
                    out.push((section.clone(), text.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn every_commitment_of_the_blended_learning_policy_is_traced_verbatim() {
    let Some(seed) = seed("sts-blended-learning-policy-v1.2.md") else {
        return;
    };
    let expected = sts_lists(&seed);
    // 15 by the provider, 5 by learners, 2 by employers, 8 read-with.
    let count = |s: &str| expected.iter().filter(|(section, _)| section == s).count();
    assert_eq!(count("Skills and Training Services will"), 15);
    assert_eq!(count("Learners will"), 5);
    assert_eq!(count("Employers will"), 2);
    assert_eq!(count("This policy must be read in conjunction with"), 8);
    let json = json_of(&["trace"]);
    let traced: Vec<(String, String)> = commitments(&json, "sts-blended-learning ")
        .into_iter()
        .map(|(section, text, _)| (section, text))
        .collect();
    assert_eq!(traced, expected, "the STS commitments, in the seed's order");
    for c in json["commitments"].as_array().unwrap() {
        let status = c["status"].as_str().unwrap();
        let rules = c["rules"].as_array().unwrap();
        match status {
            "not_checkable" => {
                assert!(rules.is_empty(), "{c}");
                assert!(c["note"].as_str().is_some_and(|n| !n.is_empty()), "{c}");
            }
            "checked" => assert!(!rules.is_empty() && c["note"].is_null(), "{c}"),
            "partly_checked" => assert!(!rules.is_empty() && c["note"].is_string(), "{c}"),
            other => panic!("status {other}"),
        }
        for rule in rules {
            assert!(!rule["checks"].as_array().unwrap().is_empty(), "{rule}");
        }
    }
}

#[test]
fn the_employers_support_commitment_is_checked_by_its_own_rule() {
    let json = json_of(&["trace"]);
    let rules_of = |id: &str| -> Vec<String> {
        let c = json["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["commitment"] == id)
            .unwrap_or_else(|| panic!("{id}"));
        c["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules_of("STS-P01"), ["BLP016"]);
    assert_eq!(rules_of("STS-P09"), ["BLP010"]);
    assert_eq!(rules_of("STS-E02"), ["BLP018"]);
    assert_eq!(rules_of("STS-L01"), ["ILP010"]);
    assert_eq!(rules_of("STS-L03"), ["BLP017", "ILP011"]);
}

#[test]
fn the_guidance_questions_and_evaluation_targets_are_quoted_from_their_seeds() {
    let json = json_of(&["trace"]);
    for (policy, name) in [
        ("ilp-quality ", "individual-learning-plans-guidance.txt"),
        ("ld-evaluation ", "six-skills-for-2020-ld-strategy.txt"),
    ] {
        let Some(seed) = seed(name) else {
            return;
        };
        let traced = commitments(&json, policy);
        assert!(!traced.is_empty(), "{policy}");
        for (_, text, _) in &traced {
            assert!(
                seed.contains(text.as_str()),
                "{policy}: '{text}' is not in {name}"
            );
        }
        if policy.starts_with("ilp") {
            // Every question of the guidance's checklist is there.
            let questions: BTreeSet<&str> = seed
                .lines()
                .skip_while(|l| !l.starts_with("Does the proforma"))
                .filter(|l| l.ends_with('?') || l.starts_with("List any"))
                .collect();
            let quoted: BTreeSet<&str> = traced.iter().map(|(_, t, _)| t.as_str()).collect();
            assert!(questions.is_subset(&quoted), "{questions:#?}");
            assert_eq!(questions.len(), 10);
        }
    }
}

#[test]
fn docs_traceability_md_is_what_the_binary_generates() {
    let output = blcheck()
        .args(["trace", "--format", "markdown"])
        .output()
        .expect("runs");
    let committed =
        std::fs::read_to_string(root().join("docs/traceability.md")).unwrap_or_default();
    assert!(
        committed == String::from_utf8_lossy(&output.stdout),
        "docs/traceability.md is out of date: run `cargo run -- trace --format markdown --output docs/traceability.md`"
    );
}

#[test]
fn every_format_lists_every_commitment() {
    let json = json_of(&["trace"]);
    let count = json["commitments"].as_array().unwrap().len();
    assert_eq!(json["summary"]["commitments"], count);
    let csv = blcheck()
        .args(["trace", "--format", "csv"])
        .output()
        .expect("runs");
    let mut reader = csv::Reader::from_reader(&csv.stdout[..]);
    let ids: BTreeSet<String> = reader
        .records()
        .map(|r| r.expect("a CSV record")[1].to_string())
        .collect();
    assert_eq!(ids.len(), count);
    let table = blcheck().args(["trace"]).output().expect("runs");
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains(&format!("{count} commitments: ")), "{table}");
    insta::assert_snapshot!("trace_csv", String::from_utf8_lossy(&csv.stdout));
}

#[test]
fn an_own_policy_is_traced_like_the_built_in_ones() {
    let json = json_of(&[
        "trace",
        "--policy",
        "fixtures/docs/trace/northfield-attendance.toml",
        "--only",
        "northfield-attendance",
    ]);
    let rows = commitments(&json, "northfield-attendance ");
    assert_eq!(
        rows.iter().map(|(_, _, s)| s.as_str()).collect::<Vec<_>>(),
        ["checked", "not_checkable"]
    );
    assert_eq!(json["commitments"].as_array().unwrap().len(), 2);
}

#[test]
fn a_commitment_naming_a_rule_nobody_defines_stops_the_run_at_its_line() {
    blcheck()
        .args([
            "trace",
            "--policy",
            "fixtures/docs/trace/northfield-unknown-rule.toml",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "fixtures/docs/trace/northfield-unknown-rule.toml:39:10: commitment NF-02 names rule NFA009, which no loaded policy defines",
        ));
}

#[test]
fn the_html_report_traces_the_applied_policies_commitments() {
    let output = blcheck()
        .args([
            "audit",
            "fixtures/spec/course.example.yaml",
            "--as-of",
            "2025-11-01",
            "--format",
            "html",
        ])
        .output()
        .expect("runs");
    let page = String::from_utf8(output.stdout).expect("UTF-8");
    let json = json_of(&["trace"]);
    // The course is under the STS and L&D policies: their commitments, not
    // the ILP guidance's.
    let expected = json["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["policy"].as_str().unwrap().starts_with("ilp-quality"))
        .count();
    assert_eq!(page.matches("<tr data-trace=").count(), expected);
    assert!(page.contains("<tr data-trace=\"not-checkable\"><td><strong>STS-L04</strong>"));
    assert!(
        page.contains("<a href=\"#rule-"),
        "rules link to their rows"
    );
}
