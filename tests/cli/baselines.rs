//! Baselines, `diff` and `trend` the way a quality team adopts blcheck on
//! a catalogue that already fails: a baseline is written and committed, the
//! catalogue is edited as maintainers edit it (lines inserted, keys and
//! list items reordered, a file renamed, one new failure, one old failure
//! fixed, one of two identical failures fixed), and the gate, the SARIF,
//! `diff` and `trend` are checked against what the edits did.

use super::support::{copy_files, installed, read_json, root, run_in};
use serde_json::Value;
use std::fs;
use std::path::Path;

const AS_OF: &str = "2025-11-01";

fn findings_with<'a>(report: &'a Value, status: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == status)
        .collect()
}

/// `(rule, document)` of findings.
fn named(findings: &[&Value]) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["document"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    names.sort();
    names
}

/// What fails the gate: failing findings of severity error or warning.
fn failing(report: &Value) -> Vec<(String, String)> {
    named(
        &findings_with(report, "fail")
            .into_iter()
            .filter(|f| f["severity"] != "info")
            .collect::<Vec<_>>(),
    )
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{}: no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// The edits of a term, as maintainers make them.
fn edit_the_catalogue(repo: &Path) {
    let dm = repo.join("courses/digital-marketer-l3-online.yaml");
    // Lines inserted above every finding, the staff moved up the file and
    // its members reordered (keys within them too), re-indented.
    replace(
        &dm,
        "kind: Course\n",
        "# Reviewed at the autumn quality board.\n# Actions are tracked in the QIP.\n\nkind: Course\n",
    );
    replace(
        &dm,
        "staff:\n  - role: Skills Coach\n    online_delivery_training: 2022-09-14\n  - role: Tutor\n    online_delivery_training: 2025-02-03\n",
        "",
    );
    replace(
        &dm,
        "qualification:\n",
        "staff:\n    -   role: Tutor\n        online_delivery_training: 2025-02-03\n    -   online_delivery_training: 2022-09-14\n        role: Skills Coach\n\nqualification:\n",
    );
    // One of two identical failures fixed: the copy keeps its 10 days.
    replace(&dm, "follow_up_days: 10", "follow_up_days: 5");
    // A file renamed into a folder, with one of its failures fixed.
    fs::create_dir(repo.join("courses/esol")).expect("mkdir");
    fs::rename(
        repo.join("courses/esol-courses.yaml"),
        repo.join("courses/esol/esol-courses.yaml"),
    )
    .expect("rename");
    replace(
        &repo.join("courses/esol/esol-courses.yaml"),
        "retention_years: 2",
        "retention_years: 6",
    );
    // One new failure: feedback now takes 30 days.
    replace(
        &repo.join("courses/fs-english-l2-blended.yaml"),
        "feedback_days: 10",
        "feedback_days: 30",
    );
}

fn audit_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["audit", "courses", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_catalogue_edited_between_two_runs_fails_only_on_its_new_failure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    copy_files(&root().join("fixtures/courses"), &repo.join("courses"));
    // The same course in two files: every failure of it twice, alike.
    fs::copy(
        repo.join("courses/digital-marketer-l3-online.yaml"),
        repo.join("courses/dm-copy.yaml"),
    )
    .expect("copy");

    // Adoption: a baseline of today's failures, and the first report.
    let (code, _, stderr) = run_in(
        repo,
        &[
            "baseline",
            "courses",
            "--as-of",
            AS_OF,
            "--output",
            "blcheck-baseline.json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run_in(
        repo,
        &audit_args(&[
            "--history",
            "history.jsonl",
            "--format",
            "json",
            "--output",
            "before.json",
        ]),
    );
    assert_eq!(code, 1, "the catalogue fails before the baseline: {stderr}");
    let before = read_json(&repo.join("before.json"));
    let baseline = read_json(&repo.join("blcheck-baseline.json"));
    let entries = baseline["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), findings_with(&before, "fail").len());
    // Sorted, and every fingerprint is the report's.
    let prints: Vec<&str> = entries
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    for print in &prints {
        assert!(
            before["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["fingerprint"] == *print),
            "{print}"
        );
    }
    let unique: std::collections::BTreeSet<_> = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), before["findings"].as_array().unwrap().len());

    // With the baseline, the unedited catalogue passes the gate.
    let (code, _, stderr) = run_in(repo, &audit_args(&["--baseline", "blcheck-baseline.json"]));
    assert_eq!(code, 0, "{stderr}");

    edit_the_catalogue(repo);
    let (code, _, stderr) = run_in(
        repo,
        &audit_args(&[
            "--baseline",
            "blcheck-baseline.json",
            "--history",
            "history.jsonl",
            "--format",
            "json",
            "--output",
            "after.json",
            "--format",
            "sarif",
            "--output",
            "after.sarif",
            "--format",
            "html",
            "--output",
            "after.html",
            "--format",
            "junit",
            "--output",
            "after.xml",
        ]),
    );
    assert_eq!(code, 1, "the new failure fails the gate: {stderr}");
    let after = read_json(&repo.join("after.json"));
    let new_failure = ("BLP005".to_string(), "FS-ENG-L2-2025-SEP".to_string());
    assert_eq!(failing(&after), std::slice::from_ref(&new_failure));
    assert_eq!(
        named(&findings_with(&after, "fixed")),
        [
            ("BLP004".to_string(), "DM-L3-ONLINE-2025".to_string()),
            ("BLP008".to_string(), "ESOL-L1-ONLINE-2025".to_string()),
        ]
    );
    let baselined = findings_with(&after, "baselined");
    assert_eq!(baselined.len(), entries.len() - 2);
    assert_eq!(after["summary"]["baselined"], baselined.len());
    assert_eq!(after["summary"]["fixed"], 2);
    // The copy's follow-up failure is still there, held by the baseline;
    // the renamed file's other failure too.
    assert!(baselined
        .iter()
        .any(|f| f["rule"] == "BLP004" && f["file"] == "courses/dm-copy.yaml"));
    assert!(baselined
        .iter()
        .any(|f| f["rule"] == "EVL001" && f["file"] == "courses/esol/esol-courses.yaml"));
    // The reordered staff member is the same problem.
    assert!(baselined.iter().any(|f| f["rule"] == "BLP014"
        && f["file"] == "courses/digital-marketer-l3-online.yaml"
        && f["path"] == "staff[1].online_delivery_training"));

    // Only what is not baselined counts for --fail-on.
    let (code, _, _) = run_in(
        repo,
        &audit_args(&["--baseline", "blcheck-baseline.json", "--select", "EVL"]),
    );
    assert_eq!(code, 0, "EVL failures are all baselined");

    // SARIF: a baselineState on every result, as the JSON says.
    let sarif = read_json(&repo.join("after.sarif"));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let state = |wanted: &str| {
        results
            .iter()
            .filter(|r| r["baselineState"] == wanted)
            .count()
    };
    assert!(results.iter().all(|r| r["baselineState"].is_string()));
    assert_eq!(state("unchanged"), baselined.len());
    assert_eq!(state("absent"), 2);
    let new: Vec<&Value> = results
        .iter()
        .filter(|r| r["baselineState"] == "new")
        .collect();
    assert!(new.iter().any(|r| r["ruleId"] == "BLP005"));
    // Besides the new failure, only the waived finding is new: it is no
    // failure, so the baseline does not hold it, and it is suppressed.
    assert!(new
        .iter()
        .all(|r| r["ruleId"] == "BLP005" || r["suppressions"].is_array()));
    if let Some(multitool) = installed(
        root().join(".ci/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"),
    ) {
        let log = repo.join("validation.sarif");
        let output = std::process::Command::new(multitool)
            .arg("validate")
            .arg(repo.join("after.sarif"))
            .args([
                "--rule-kind",
                "Sarif;Gh",
                "--log",
                "ForceOverwrite",
                "--output",
            ])
            .arg(&log)
            .output()
            .expect("the multitool runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        let errors: Vec<Value> = read_json(&log)["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r["level"] == "error")
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    // JUnit: the baselined are skipped with their reason, one test fails
    // per failing finding.
    let junit = fs::read_to_string(repo.join("after.xml")).expect("junit");
    assert_eq!(
        junit.matches("<skipped message=\"baselined").count(),
        baselined.len()
    );
    // The HTML report draws the trend and can hide the baselined.
    let html = fs::read_to_string(repo.join("after.html")).expect("html");
    assert!(html.contains("Compliance over time") && html.contains("<svg"));
    assert!(html.contains("f-hide-baselined"));
    // A fixed entry is good news: a tick, the word "fixed", a pass's colour
    // (render::mark), the same in every format that marks a status.
    assert_eq!(
        html.matches(r#"<span class="badge m-pass"><span class="sym" aria-hidden="true">✓</span> <span class="word">fixed</span></span>"#)
            .count(),
        2,
        "{html}"
    );

    // diff: the two JSON reports, and the baseline against the new report.
    for old in ["before.json", "blcheck-baseline.json"] {
        let (code, out, stderr) = run_in(repo, &["diff", old, "after.json", "--format", "json"]);
        assert_eq!(code, 1, "something new fails: {stderr}");
        let diff: Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(diff["summary"]["new"], 1);
        assert_eq!(diff["summary"]["fixed"], 2);
        assert_eq!(diff["summary"]["still_failing"], baselined.len());
        assert_eq!(diff["new"][0]["rule"], "BLP005");
        assert_eq!(diff["new"][0]["document"], "FS-ENG-L2-2025-SEP");
        let fixed: Vec<&str> = diff["fixed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert_eq!(fixed.len(), 2);
        assert!(fixed.contains(&"BLP004") && fixed.contains(&"BLP008"));
        let per_rule: usize = diff["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["new"].as_u64().unwrap() as usize)
            .sum();
        assert_eq!(per_rule, 1);
    }
    let (code, markdown, _) = run_in(
        repo,
        &["diff", "before.json", "after.json", "--format", "markdown"],
    );
    assert_eq!(code, 1);
    assert!(markdown.starts_with("## blcheck diff: ❌ new failures"));
    assert!(markdown.contains("<details><summary>New (1)</summary>"));
    let (code, _, _) = run_in(repo, &["diff", "after.json", "after.json"]);
    assert_eq!(code, 0, "nothing new against itself");

    // trend: one line per run, agreeing with the reports.
    let (code, out, stderr) = run_in(repo, &["trend", "history.jsonl", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let trend: Value = serde_json::from_str(&out).expect("JSON");
    let runs = trend["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2);
    for (run, report) in runs.iter().zip([&before, &after]) {
        for key in [
            "documents",
            "passed",
            "failed",
            "errors",
            "warnings",
            "waived",
        ] {
            assert_eq!(run[key], report["summary"][key], "{key}");
        }
    }
    assert_eq!(runs[0]["baselined"], Value::Null);
    assert_eq!(runs[1]["baselined"], after["summary"]["baselined"]);
    // BLP008 failed on one course of the run before, none after.
    let blp008 = trend["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "BLP008")
        .expect("BLP008's series");
    let points = blp008["points"].as_array().unwrap();
    assert!(points[0].as_f64().unwrap() < 100.0);
    assert_eq!(points[1].as_f64(), Some(100.0));
    let (code, table, _) = run_in(repo, &["trend", "history.jsonl"]);
    assert_eq!(code, 0);
    assert!(table.contains("sts-blended-learning") && table.contains('█'));
    let (_, html, _) = run_in(repo, &["trend", "history.jsonl", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<polyline"));

    // --update-baseline removes the two fixed entries and adds nothing.
    let (code, _, _) = run_in(
        repo,
        &audit_args(&["--baseline", "blcheck-baseline.json", "--update-baseline"]),
    );
    assert_eq!(code, 1);
    let updated = read_json(&repo.join("blcheck-baseline.json"));
    assert_eq!(
        updated["entries"].as_array().unwrap().len(),
        entries.len() - 2
    );
    let (code, _, _) = run_in(
        repo,
        &audit_args(&[
            "--baseline",
            "blcheck-baseline.json",
            "--format",
            "json",
            "--output",
            "again.json",
        ]),
    );
    assert_eq!(code, 1, "the new failure is still new");
    let again = read_json(&repo.join("again.json"));
    assert_eq!(again["summary"]["fixed"], 0);
    assert_eq!(failing(&again), [new_failure]);
}

#[test]
fn a_baseline_that_cannot_be_read_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    copy_files(&root().join("fixtures/courses"), &repo.join("courses"));
    for (text, expected) in [
        (
            "{\"format_version\": 1, \"entries\": [",
            "not a blcheck baseline",
        ),
        (
            "{\"format_version\": 9, \"fingerprint\": \"x\", \"entries\": []}",
            "baseline format_version 9 is not one this blcheck reads",
        ),
    ] {
        fs::write(repo.join("b.json"), text).expect("write");
        let (code, _, stderr) = run_in(repo, &audit_args(&["--baseline", "b.json"]));
        assert_eq!(code, 2);
        assert!(
            stderr.contains("b.json") && stderr.contains(expected),
            "{stderr}"
        );
    }
    let (code, _, stderr) = run_in(repo, &audit_args(&["--update-baseline"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no baseline to update"), "{stderr}");
}

#[test]
fn blcheck_toml_names_the_baseline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    copy_files(&root().join("fixtures/courses"), &repo.join("courses"));
    let (code, _, stderr) = run_in(
        repo,
        &[
            "baseline",
            "courses",
            "--as-of",
            AS_OF,
            "--output",
            "ci/baseline.json",
        ],
    );
    assert_eq!(code, 2, "the folder does not exist: {stderr}");
    fs::create_dir(repo.join("ci")).expect("mkdir");
    let (code, _, stderr) = run_in(
        repo,
        &[
            "baseline",
            "courses",
            "--as-of",
            AS_OF,
            "--output",
            "ci/baseline.json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    fs::write(
        repo.join("blcheck.toml"),
        "baseline = \"ci/baseline.json\"\n",
    )
    .expect("write");
    let (code, out, stderr) = run_in(repo, &audit_args(&[]));
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains("Baseline: "), "{out}");
}

#[test]
fn a_history_with_a_truncated_last_line_is_read_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    copy_files(&root().join("fixtures/courses"), &repo.join("courses"));
    let (code, _, _) = run_in(repo, &audit_args(&["--history", "h.jsonl", "--quiet"]));
    assert_eq!(code, 1);
    let mut text = fs::read_to_string(repo.join("h.jsonl")).expect("read");
    assert_eq!(text.lines().count(), 1);
    text.push_str("{\"format_version\": 1, \"as_of\": \"20");
    fs::write(repo.join("h.jsonl"), &text).expect("write");
    let (code, out, stderr) = run_in(repo, &["trend", "h.jsonl", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("h.jsonl:2: the last line is incomplete"),
        "{stderr}"
    );
    let trend: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(trend["runs"].as_array().unwrap().len(), 1);
    // The next run's line is whole, after the broken one.
    let (_, _, stderr) = run_in(repo, &audit_args(&["--history", "h.jsonl", "--quiet"]));
    assert!(stderr.contains("incomplete"), "{stderr}");
    let (_, out, _) = run_in(repo, &["trend", "h.jsonl", "--format", "json"]);
    let trend: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(trend["runs"].as_array().unwrap().len(), 2);
}

/// A baseline of the fixture courses as of 2025-11-01, read by an audit
/// as of 2025-09-01 that also takes a stale learner plan: the policy not
/// yet overdue is fixed, the plan's failures are new, the rest baselined.
fn with_baseline(format: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let baseline = dir.path().join("baseline.json");
    let (code, _, stderr) = run_in(
        &root(),
        &[
            "baseline",
            "fixtures/courses",
            "--as-of",
            AS_OF,
            "--no-config",
            "--output",
            baseline.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, out, stderr) = run_in(
        &root(),
        &[
            "audit",
            "fixtures/courses",
            "fixtures/plans/l1002-stale.yaml",
            "--as-of",
            "2025-09-01",
            "--no-config",
            "--baseline",
            baseline.to_str().expect("UTF-8"),
            "--format",
            format,
        ],
    );
    assert_eq!(code, 1, "the plan's failures are new: {stderr}");
    out
}

#[test]
fn snapshots_of_every_format_with_a_baseline() {
    for format in [
        "table", "json", "sarif", "junit", "github", "markdown", "csv",
    ] {
        insta::assert_snapshot!(format!("baseline_{format}"), with_baseline(format));
    }
}
