//! `--format gitlab`, read field by field as GitLab's Code Quality report
//! reads it. GitLab documents the artifact as a JSON array of objects with
//! `description`, `check_name`, `fingerprint`, `severity` (`info`, `minor`,
//! `major`, `critical` or `blocker`), `location.path` (relative to the
//! repository) and `location.lines.begin`, and refuses a byte order mark
//! (https://docs.gitlab.com/ci/testing/code_quality/, "Implement a custom
//! tool").

use super::support::{audit_json, blcheck, root};
use serde_json::Value;
use std::collections::BTreeSet;

const AS_OF: &str = "2025-11-01";

/// Failing, waived and invalid documents, as in formats.rs.
const MIXED: [&str; 3] = [
    "fixtures/courses",
    "fixtures/rules/DOC001/fail.yaml",
    "fixtures/rules/DOC002/fail.yaml",
];

fn gitlab(args: &[&str]) -> Vec<u8> {
    let output = blcheck()
        .arg("audit")
        .args(args)
        .args(["--as-of", AS_OF, "--format", "gitlab"])
        .output()
        .expect("runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn every_issue_has_exactly_the_fields_gitlab_documents() {
    let bytes = gitlab(&MIXED);
    assert!(
        !bytes.starts_with("\u{feff}".as_bytes()),
        "no byte order mark"
    );
    let issues: Vec<Value> = serde_json::from_slice(&bytes).expect("a JSON array");
    let (json, _) = audit_json(&[&MIXED[..], &["--as-of", AS_OF]].concat());
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(issues.len(), findings.len(), "one issue per finding");
    assert!(issues.len() > 10, "the mixed corpus has findings");

    let documented_severities = ["info", "minor", "major", "critical", "blocker"];
    for (issue, finding) in issues.iter().zip(findings) {
        assert_eq!(
            keys(issue),
            BTreeSet::from([
                "description",
                "check_name",
                "fingerprint",
                "severity",
                "location"
            ])
        );
        assert_eq!(keys(&issue["location"]), BTreeSet::from(["path", "lines"]));
        assert_eq!(keys(&issue["location"]["lines"]), BTreeSet::from(["begin"]));

        let description = issue["description"].as_str().expect("a string");
        let message = finding["message"].as_str().expect("message");
        assert!(
            description.starts_with(&format!(
                "{} {}: ",
                finding["rule"].as_str().unwrap(),
                finding["name"].as_str().unwrap()
            )) && description.contains(message),
            "{description}"
        );
        assert_eq!(issue["check_name"], finding["rule"]);
        let severity = issue["severity"].as_str().expect("a string");
        assert!(documented_severities.contains(&severity), "{severity}");
        let expected = match (
            finding["status"].as_str().unwrap(),
            finding["severity"].as_str().unwrap(),
        ) {
            ("waived", _) | (_, "info") => "info",
            (_, "warning") => "minor",
            (_, "error") => "major",
            other => panic!("unexpected finding {other:?}"),
        };
        assert_eq!(severity, expected, "{description}");

        let path = issue["location"]["path"].as_str().expect("a string");
        assert_eq!(path, finding["file"].as_str().unwrap());
        assert!(!path.starts_with('/') && !path.starts_with("./"), "{path}");
        assert!(
            path.starts_with("built-in:") || root().join(path).is_file(),
            "{path} is a file of the repository"
        );
        let begin = issue["location"]["lines"]["begin"]
            .as_u64()
            .expect("an integer");
        assert!(begin >= 1);
        assert_eq!(begin, finding["line"].as_u64().unwrap().max(1));
    }

    let waived = issues
        .iter()
        .find(|i| i["description"].as_str().unwrap().contains("(waived: "))
        .expect("the waived finding, with its reason");
    assert_eq!(waived["severity"], "info");
}

#[test]
fn fingerprints_are_unique_and_those_of_sarif() {
    let issues: Vec<Value> = serde_json::from_slice(&gitlab(&MIXED)).expect("JSON");
    let prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("a string"))
        .collect();
    let unique: BTreeSet<_> = prints.iter().collect();
    assert_eq!(
        unique.len(),
        prints.len(),
        "GitLab merges equal fingerprints"
    );

    let output = blcheck()
        .arg("audit")
        .args(MIXED)
        .args(["--as-of", AS_OF, "--format", "sarif"])
        .output()
        .expect("runs");
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("SARIF");
    let sarif_prints: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            // The one key of partialFingerprints (blcheck's, versioned).
            let prints = r["partialFingerprints"].as_object().expect("fingerprints");
            assert_eq!(prints.len(), 1);
            prints.values().next().unwrap().as_str().unwrap()
        })
        .collect();
    assert_eq!(prints, sarif_prints);

    // A month on, every date has moved and the issues keep their identity.
    let later = blcheck()
        .arg("audit")
        .args(MIXED)
        .args(["--as-of", "2025-12-01", "--format", "gitlab"])
        .output()
        .expect("runs");
    let later: Vec<Value> = serde_json::from_slice(&later.stdout).expect("JSON");
    let later_prints: BTreeSet<&str> = later
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert!(
        prints.iter().all(|p| later_prints.contains(p)),
        "fingerprints kept a month on"
    );
}

#[test]
fn the_streamed_report_is_what_the_pretty_printer_writes() {
    for args in [&MIXED[..], &["fixtures/rules/BLP018/pass.yaml"]] {
        let bytes = gitlab(args);
        let value: Value = serde_json::from_slice(&bytes).expect("JSON");
        let whole = serde_json::to_string_pretty(&value).expect("pretty") + "\n";
        assert_eq!(String::from_utf8(bytes).expect("UTF-8"), whole);
    }
    // No finding at all: an empty array, which GitLab reads as no issue.
    let output = blcheck()
        .args([
            "audit",
            "fixtures/rules/BLP018/pass.yaml",
            "--as-of",
            "2025-11-01",
        ])
        .args(["--ignore", "POL001", "--format", "gitlab"])
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "[]\n",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_json_file_is_json_unless_gitlab_is_asked_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.json");
    let quality = dir.path().join("gl-code-quality-report.json");
    let status = blcheck()
        .args(["audit", "fixtures/courses", "--as-of", AS_OF])
        .arg("--output")
        .arg(&report)
        .args(["--format", "gitlab", "--output"])
        .arg(&quality)
        .output()
        .expect("runs")
        .status;
    assert_eq!(status.code(), Some(1));
    let report: Value =
        serde_json::from_slice(&std::fs::read(report).expect("written")).expect("JSON");
    assert_eq!(report["format_version"], 1);
    let quality: Value =
        serde_json::from_slice(&std::fs::read(quality).expect("written")).expect("JSON");
    assert!(quality.as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn snapshot_of_the_gitlab_format() {
    insta::assert_snapshot!(
        "format_gitlab",
        String::from_utf8(gitlab(&MIXED)).expect("UTF-8")
    );
}

#[test]
fn paths_are_the_files_names_whatever_they_hold() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let course = std::fs::read(root().join("fixtures/rules/DOC002/fail.yaml")).expect("fixture");
    let names: [&[u8]; 4] = [
        b"a b#1?.yaml",
        b"back\\slash.yaml",
        b"caf\xe9.yaml",
        b"\"quoted\".yaml",
    ];
    for name in names {
        std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), &course).expect("write");
    }
    let output = blcheck()
        .current_dir(dir.path())
        .args(["audit", ".", "--as-of", AS_OF, "--format", "gitlab"])
        .output()
        .expect("runs");
    let issues: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    let paths: BTreeSet<&str> = issues
        .iter()
        .filter_map(|i| i["location"]["path"].as_str())
        .filter(|p| !p.starts_with("built-in:"))
        .collect();
    assert_eq!(
        paths,
        BTreeSet::from([
            "a b#1?.yaml",
            "back\\slash.yaml",
            "caf\u{fffd}.yaml",
            "\"quoted\".yaml"
        ]),
        "relative to the repository, no ./, the names' own characters"
    );
    for path in paths.iter().filter(|p| !p.contains('\u{fffd}')) {
        assert!(dir.path().join(path).is_file(), "{path} is the file");
    }
}

#[test]
fn baselined_findings_are_info_and_fixed_entries_are_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let courses = dir.path().join("courses");
    std::fs::create_dir(&courses).expect("mkdir");
    for entry in std::fs::read_dir(root().join("fixtures/courses")).expect("fixtures") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), courses.join(entry.file_name())).expect("copy");
    }
    let run = |args: &[&str]| {
        blcheck()
            .current_dir(dir.path())
            .args(args)
            .args(["--as-of", AS_OF])
            .output()
            .expect("runs")
    };
    let made = run(&["baseline", "courses", "--output", "baseline.json"]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    // One course is retired: its baseline entries are fixed.
    std::fs::remove_file(courses.join("digital-marketer-l3-online.yaml")).expect("rm");
    let audit = |format: &str| {
        let output = run(&[
            "audit",
            "courses",
            "--baseline",
            "baseline.json",
            "--format",
            format,
        ]);
        serde_json::from_slice::<Value>(&output.stdout).expect("JSON")
    };
    let json = audit("json");
    let issues = audit("gitlab");
    let findings = json["findings"].as_array().expect("findings");
    let fixed = findings.iter().filter(|f| f["status"] == "fixed").count();
    let baselined = findings
        .iter()
        .filter(|f| f["status"] == "baselined")
        .count();
    assert!(fixed > 0 && baselined > 0, "{json}");
    let issues = issues.as_array().expect("issues");
    assert_eq!(
        issues.len(),
        findings.len() - fixed,
        "fixed entries left out"
    );
    let shown: Vec<&Value> = issues
        .iter()
        .filter(|i| i["description"].as_str().unwrap().ends_with(" (baselined)"))
        .collect();
    assert_eq!(shown.len(), baselined);
    assert!(shown.iter().all(|i| i["severity"] == "info"));
}
