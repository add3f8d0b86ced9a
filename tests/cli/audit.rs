//! `blcheck audit`: exit codes, errors, flags and output formats.

use super::support::{audit_json, blcheck, findings, root};
use predicates::prelude::*;
use std::fs;

const AS_OF: &str = "2025-11-01";

#[test]
fn table_of_the_fixture_courses() {
    let output = blcheck()
        .args(["audit", "fixtures/courses", "--as-of", AS_OF])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("audit_table", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn json_of_the_fixture_courses() {
    let output = blcheck()
        .args([
            "audit",
            "fixtures/courses",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    insta::assert_json_snapshot!("audit_json", json, { ".tool.version" => "[version]" });
}

#[test]
fn the_spec_example_course_passes_with_its_waiver() {
    let (json, code) = audit_json(&["fixtures/spec/course.example.yaml", "--as-of", AS_OF]);
    assert_eq!(
        code, 0,
        "POL001 is a warning; the default --fail-on is error"
    );
    assert_eq!(
        findings(&json),
        [
            // Sorted by file: the built-in policy's name sorts first.
            ("POL001".into(), "fail".into(), "12:11".into()),
            ("BLP014".into(), "waived".into(), "81:5".into()),
        ]
    );
    assert_eq!(json["documents"][0]["status"], "pass");
    assert_eq!(json["summary"]["waived"], 1);
    assert_eq!(json["policies"][1]["overdue"], true);
}

#[test]
fn the_json_report_has_exactly_the_specified_fields() {
    let (json, _) = audit_json(&["fixtures/courses", "--as-of", AS_OF]);
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("object").keys().cloned().collect()
    };
    assert_eq!(
        keys(&json),
        [
            "format_version",
            "tool",
            "as_of",
            "policies",
            "summary",
            "documents",
            "findings"
        ]
    );
    assert_eq!(json["format_version"], 1);
    assert_eq!(
        keys(&json["summary"]),
        [
            "documents",
            "passed",
            "failed",
            "skipped_files",
            "errors",
            "warnings",
            "waived",
            // Added by blcheck (the spec allows added fields), always present.
            "excluded_files"
        ]
    );
    assert_eq!(
        keys(&json["documents"][0]),
        ["file", "kind", "id", "status"]
    );
    assert_eq!(
        keys(&json["findings"][0]),
        [
            "rule",
            "name",
            "policy",
            "severity",
            "status",
            "document",
            "kind",
            "file",
            "line",
            "column",
            "path",
            "message",
            "clause",
            "help",
            "fingerprint"
        ]
    );
    assert_eq!(json["policies"][0].as_object().expect("object").len(), 4);
}

#[test]
fn fail_on_sets_the_threshold() {
    let example = "fixtures/spec/course.example.yaml";
    blcheck()
        .args(["audit", example, "--as-of", AS_OF])
        .assert()
        .code(0);
    blcheck()
        .args(["audit", example, "--as-of", AS_OF, "--fail-on", "warning"])
        .assert()
        .code(1);
    blcheck()
        .args([
            "audit",
            "fixtures/courses",
            "--as-of",
            AS_OF,
            "--fail-on",
            "never",
        ])
        .assert()
        .code(0);
    blcheck()
        .args(["audit", "fixtures/courses", "--as-of", AS_OF])
        .assert()
        .code(1);
}

#[test]
fn runs_that_cannot_be_done_exit_2_with_a_clear_message() {
    blcheck()
        .args(["audit", "no/such/place"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/place: no such file or directory",
        ));
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("notes.yaml"),
        "title: not a blcheck document\n",
    )
    .expect("write");
    blcheck()
        .arg("audit")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no blcheck document found"));
    blcheck()
        .args(["audit", "--format", "pdf"])
        .assert()
        .code(2);
    blcheck()
        .args(["audit", "fixtures/courses", "--as-of", "2025/11/01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--as-of '2025/11/01'"));
    blcheck()
        .args(["audit", "fixtures/courses", "--select", "NOPE"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'NOPE' matches no rule id"));
}

#[test]
fn an_invalid_policy_lists_every_problem_with_its_location() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("bad.toml");
    let text = fs::read_to_string(root().join("policies/ld-evaluation.toml"))
        .expect("read")
        .replace("id = \"ld-evaluation\"", "id = \"Bad Policy\"")
        .replace(
            "severity = \"warning\"\nclause = \"Better",
            "severity = \"fatal\"\nclause = \"Better",
        )
        .replace("count = \"min_levels\"", "count = \"min_levelz\"");
    fs::write(&policy, text).expect("write");
    let output = blcheck()
        .args(["audit", "fixtures/courses", "--policy"])
        .arg(&policy)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.toml:7:6: policy id must be kebab-case"),
        "{stderr}"
    );
    assert!(stderr.contains("severity 'fatal'"), "{stderr}");
    assert!(
        stderr.contains("'min_levelz' is not a parameter"),
        "{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "nothing is audited with an invalid policy"
    );
}

#[test]
fn numbers_that_would_make_a_rule_meaningless_are_policy_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("odd.toml");
    fs::write(
        &policy,
        r#"[policy]
id = "odd-numbers"
title = "Odd numbers"
version = "1"
owner = "Quality"
issued = 2025-01-01
renewal = 2027-01-01
history = [{ version = "1", date = 2025-01-01, summary = "First" }]

[scope]
kinds = ["Course"]

[[rules]]
id = "ODD001"
name = "never-fails"
title = "A rule of NaN"
severity = "error"
clause = "Something."
help = "Something."
params = { days = nan, most = inf }
checks = [{ check = "at_least", path = "delivery.guided_learning_hours", limit = 1e300 }]
"#,
    )
    .expect("write");
    let output = blcheck()
        .args(["audit", "fixtures/courses", "--policy"])
        .arg(&policy)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("odd.toml:20:19: parameter 'days' must be a finite number, not NaN"),
        "{stderr}"
    );
    assert!(
        stderr.contains("parameter 'most' must be a finite number, not inf"),
        "{stderr}"
    );
    assert!(
        stderr.contains("odd.toml:21:82: the number is 1e300, beyond what any document can hold"),
        "{stderr}"
    );
    // The same in blcheck.toml's overrides.
    fs::write(
        dir.path().join("blcheck.toml"),
        "[rules.BLP002]\nparams = { max_age_days = nan }\n",
    )
    .expect("write");
    let output = blcheck()
        .current_dir(dir.path())
        .args(["audit"])
        .arg(root().join("fixtures/courses"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("blcheck.toml:2:27: parameter 'max_age_days' must be a finite number"),
        "{stderr}"
    );
}

#[test]
fn a_user_policy_is_applied_like_a_built_in_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("acme.toml");
    fs::write(
        &policy,
        r#"
[policy]
id = "acme-hours"
title = "Acme delivery hours"
version = "2.0"
owner = "Head of Quality"
issued = 2025-01-01
renewal = 2026-01-01
history = [{ version = "2.0", date = 2025-01-01, summary = "Hours raised" }]

[scope]
kinds = ["Course"]

[[rules]]
id = "ACM001"
name = "guided-hours"
title = "At least the minimum guided learning hours"
severity = "error"
clause = "Every course gives at least 60 guided learning hours."
help = "Raise delivery.guided_learning_hours."
params = { min_hours = 60 }
checks = [{ check = "at_least", path = "delivery.guided_learning_hours", limit = "min_hours" }]
"#,
    )
    .expect("write");
    let policy = policy.to_string_lossy().into_owned();
    let (json, code) = audit_json(&[
        "fixtures/spec/course.example.yaml",
        "--as-of",
        AS_OF,
        "--policy",
        &policy,
        "--select",
        "ACM001",
    ]);
    // The example names its policies, so the user policy does not apply to it.
    assert_eq!(code, 0);
    assert!(findings(&json).is_empty());
    let (json, code) = audit_json(&[
        "fixtures/courses/forklift-safety-face-to-face.yaml",
        "--as-of",
        AS_OF,
        "--policy",
        &policy,
        "--select",
        "ACM001",
    ]);
    assert_eq!(code, 1, "{json}");
    assert_eq!(findings(&json)[0].0, "ACM001");
}

#[test]
fn select_and_ignore_limit_what_is_reported() {
    let (json, _) = audit_json(&[
        "fixtures/courses",
        "--as-of",
        AS_OF,
        "--select",
        "BLP",
        "--ignore",
        "BLP001,BLP014",
    ]);
    let rules: Vec<String> = findings(&json).into_iter().map(|f| f.0).collect();
    assert!(!rules.is_empty());
    assert!(
        rules
            .iter()
            .all(|r| r.starts_with("BLP") && r != "BLP001" && r != "BLP014"),
        "{rules:?}"
    );
}

#[test]
fn exclude_skips_matching_files() {
    let (json, _) = audit_json(&[
        "fixtures/courses",
        "--as-of",
        AS_OF,
        "--exclude",
        "digital-*.yaml",
    ]);
    let files: Vec<&str> = json["documents"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert!(!files.is_empty());
    assert!(files.iter().all(|f| !f.contains("digital-")), "{files:?}");
}

#[test]
fn a_broken_file_is_reported_and_the_rest_of_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(
        root().join("fixtures/spec/course.example.yaml"),
        dir.path().join("a-good.yaml"),
    )
    .expect("copy");
    fs::write(
        dir.path().join("b-broken.yaml"),
        "kind: Course\nid: X\ntitle: \"unterminated\n",
    )
    .expect("write");
    fs::write(dir.path().join("c-binary.yaml"), b"\x00\x01\x02\xff\xfe").expect("write");
    let output = blcheck()
        .current_dir(dir.path())
        .args(["audit", ".", "--as-of", AS_OF, "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let got = findings(&json);
    assert!(
        got.iter().any(|f| f.0 == "DOC001"
            && json["findings"]
                .as_array()
                .expect("list")
                .iter()
                .any(|x| x["file"] == "b-broken.yaml")),
        "{got:?}"
    );
    assert!(json["findings"]
        .as_array()
        .expect("list")
        .iter()
        .any(|x| x["file"] == "c-binary.yaml" && x["rule"] == "DOC001"));
    assert_eq!(json["documents"][0]["file"], "a-good.yaml");
    assert_eq!(json["documents"][0]["status"], "pass");
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let run = |jobs: &str| {
        blcheck()
            .args([
                "audit", "fixtures", "--as-of", AS_OF, "--format", "json", "--jobs", jobs,
            ])
            .output()
            .expect("runs")
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    assert_eq!(one, run("2"));
}

#[test]
fn audit_writes_nothing_under_the_audited_tree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("course.yaml");
    fs::copy(root().join("fixtures/spec/course.example.yaml"), &file).expect("copy");
    let before = fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("mtime");
    let content = fs::read(&file).expect("read");
    blcheck()
        .current_dir(dir.path())
        .args(["audit", ".", "--as-of", AS_OF])
        .assert()
        .code(0);
    assert_eq!(
        fs::read_dir(dir.path()).expect("list").count(),
        1,
        "no new files"
    );
    assert_eq!(
        fs::metadata(&file)
            .and_then(|m| m.modified())
            .expect("mtime"),
        before
    );
    assert_eq!(fs::read(&file).expect("read"), content);
}

#[test]
fn several_formats_in_one_run_and_reruns_replace_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.json");
    let report_arg = report.to_string_lossy().into_owned();
    let run = || {
        blcheck()
            .args(["audit", "fixtures/courses", "--as-of", AS_OF])
            .args([
                "--format",
                "json",
                "--output",
                &report_arg,
                "--format",
                "table",
            ])
            .assert()
            .code(1)
            .stdout(predicate::str::contains(
                "documents audited as of 2025-11-01",
            ))
    };
    run();
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(&report).expect("written")).expect("JSON");
    assert_eq!(json["summary"]["documents"], 6);
    // CI re-runs into the same path: the report is replaced, no --force.
    fs::write(&report, "stale").expect("write");
    run();
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(&report).expect("written")).expect("JSON again");
    assert_eq!(json["summary"]["documents"], 6);
    assert_eq!(
        fs::read_dir(dir.path()).expect("list").count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let args = ["audit", "fixtures/courses", "--as-of", AS_OF];
    let coloured = blcheck()
        .args(args)
        .args(["--color", "always"])
        .output()
        .expect("runs")
        .stdout;
    assert!(coloured.contains(&0x1b), "--color always paints");
    let plain = blcheck().args(args).output().expect("runs").stdout;
    assert!(!plain.contains(&0x1b), "pipes are plain");
    let no_color = blcheck()
        .args(args)
        .env("NO_COLOR", "1")
        .args(["--color", "auto"])
        .output()
        .expect("runs")
        .stdout;
    assert!(!no_color.contains(&0x1b));
}

#[test]
fn quiet_prints_only_failing_rows() {
    let output = blcheck()
        .args(["audit", "fixtures/courses", "--as-of", AS_OF, "--quiet"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("BLP001"));
    assert!(!text.contains("waived"), "waived rows are left out");
    assert!(!text.contains("documents audited"), "no summary");
}

#[test]
fn findings_point_at_the_offending_value_or_nearest_ancestor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = fs::read_to_string(root().join("fixtures/spec/course.example.yaml"))
        .expect("read")
        .replace("  follow_up_days: 5               # engagement concerns followed up within N working days\n", "")
        .replace("  status: approved ", "  status: pending  ");
    fs::write(dir.path().join("c.yaml"), text).expect("write");
    let output = blcheck()
        .current_dir(dir.path())
        .args([
            "audit",
            "c.yaml",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--select",
            "BLP001,BLP004",
        ])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        findings(&json),
        [
            ("BLP001".into(), "fail".into(), "32:3".into()),
            ("BLP004".into(), "fail".into(), "42:1".into())
        ]
    );
    assert_eq!(json["findings"][0]["path"], "awarding_body_approval.status");
    assert_eq!(json["findings"][1]["path"], "attendance.follow_up_days");
}

#[test]
fn an_unused_waiver_is_information_not_a_failure_for_people() {
    let file = "fixtures/rules/DOC009/fail.yaml";
    let output = blcheck()
        .args(["audit", file, "--as-of", AS_OF, "--format", "table"])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&output.stdout);
    let row = table
        .lines()
        .find(|l| l.contains(" DOC009 "))
        .unwrap_or_else(|| panic!("a DOC009 row in {table}"));
    let cells: Vec<&str> = row.split('┆').map(str::trim).collect();
    // Location, document, rule, severity, status, message.
    assert_eq!(cells[2..5], ["DOC009", "info", "info"], "{row}");
    // The HTML report's finding reads info too; Markdown, for a pull
    // request, lists only what needs action.
    let run = |format: &str| {
        let output = blcheck()
            .args(["audit", file, "--as-of", AS_OF, "--format", format])
            .output()
            .expect("runs");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let html = run("html");
    let at = html.find("DOC009</strong>").expect("a DOC009 finding");
    let badge = &html[html[..at].rfind("<span class=\"badge").expect("its badge")..at];
    assert!(
        badge.contains("<span class=\"word\">info</span>"),
        "{badge}"
    );
    let markdown = run("markdown");
    assert!(
        !markdown
            .lines()
            .any(|l| l.starts_with("| DOC009") && l.contains("| fail |")),
        "{markdown}"
    );
    // JSON keeps the spec's statuses (pass, fail, skip, waived), the
    // severity beside them.
    let (json, code) = audit_json(&[file, "--as-of", AS_OF]);
    assert_eq!(code, 0);
    let doc009: Vec<_> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "DOC009")
        .collect();
    assert_eq!(doc009.len(), 1, "{json}");
    assert_eq!(doc009[0]["status"], "fail");
    assert_eq!(doc009[0]["severity"], "info");
}
