//! The CI formats, each checked by a real consumer: SARIF against the
//! official schema and the SARIF multitool, JUnit and CSV parsed back,
//! GitHub workflow commands checked line by line.

use super::support::{blcheck, installed, root};
use std::fs;
use std::path::PathBuf;

const AS_OF: &str = "2025-11-01";

/// Failing, waived and invalid documents: the courses, a YAML error, an
/// invalid document.
const MIXED: [&str; 3] = [
    "fixtures/courses",
    "fixtures/rules/DOC001/fail.yaml",
    "fixtures/rules/DOC002/fail.yaml",
];

fn render(format: &str, extra: &[&str]) -> String {
    let output = blcheck()
        .arg("audit")
        .args(MIXED)
        .args(["--as-of", AS_OF, "--format", format])
        .args(extra)
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn json_summary() -> serde_json::Value {
    serde_json::from_str::<serde_json::Value>(&render("json", &[])).expect("JSON")["summary"]
        .clone()
}

/// A validator under `.ci/tools/node_modules`, as `installed` finds it.
fn tool(relative: &str) -> Option<PathBuf> {
    installed(root().join(".ci/tools/node_modules").join(relative))
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let sarif: serde_json::Value = serde_json::from_str(&render("sarif", &[])).expect("JSON");
    let Some(schema) = tool("@microsoft/sarif-multitool-linux/sarif-2.1.0.json") else {
        return;
    };
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema).expect("schema")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_passes_the_multitool_with_no_error() {
    let Some(multitool) = tool("@microsoft/sarif-multitool-linux/Sarif.Multitool") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("blcheck.sarif");
    let report = dir.path().join("validation.sarif");
    fs::write(&input, render("sarif", &[])).expect("write");
    let output = std::process::Command::new(multitool)
        .arg("validate")
        .arg(&input)
        .args(["--rule-kind", "Sarif;Gh", "--output"])
        .arg(&report)
        .output()
        .expect("the multitool runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let validation: serde_json::Value =
        serde_json::from_slice(&fs::read(&report).expect("a validation log")).expect("JSON");
    let errors: Vec<&serde_json::Value> = validation["runs"][0]["results"]
        .as_array()
        .map(|r| r.iter().filter(|r| r["level"] == "error").collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_carries_rules_locations_fingerprints_and_waivers() {
    let sarif: serde_json::Value = serde_json::from_str(&render("sarif", &[])).expect("JSON");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let blp002 = rules
        .iter()
        .find(|r| r["id"] == "BLP002")
        .expect("BLP002 described");
    assert_eq!(blp002["name"], "accessibility-review");
    assert!(blp002["fullDescription"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("accessibility requirements")));
    assert_eq!(blp002["defaultConfiguration"]["level"], "error");
    assert!(blp002["help"]["markdown"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let results = run["results"].as_array().expect("results");
    let first = results
        .iter()
        .find(|r| r["ruleId"] == "BLP001")
        .expect("BLP001 result");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "fixtures/courses/digital-marketer-l3-online.yaml"
    );
    assert_eq!(location["region"]["startLine"], 28);
    assert_eq!(location["region"]["startColumn"], 3);
    let waived = results
        .iter()
        .find(|r| r["suppressions"].is_array())
        .expect("a waived result");
    assert!(waived["suppressions"][0]["justification"]
        .as_str()
        .is_some_and(|j| j.contains("quality review")));
    // Fingerprints are the same in a later run, when every date has moved on.
    let later: serde_json::Value = serde_json::from_slice(
        &blcheck()
            .arg("audit")
            .args(MIXED)
            .args(["--as-of", "2025-12-01", "--format", "sarif"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("JSON");
    let fingerprint = |r: &serde_json::Value| r["partialFingerprints"].clone();
    let later_first = later["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "BLP001")
        .cloned()
        .expect("BLP001");
    assert_eq!(fingerprint(first), fingerprint(&later_first));
}

#[test]
fn junit_parses_and_its_counts_match_the_json_summary() {
    use quick_xml::events::Event;
    let xml = render("junit", &[]);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut document_suites, mut failures, mut skipped) = (0, 0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().0 {
                "testsuite" => {
                    suites += 1;
                    let attribute = e
                        .try_get_attribute("name")
                        .expect("attribute")
                        .expect("a name");
                    let name = attribute.value.to_string();
                    if name != "files and policies" {
                        document_suites += 1;
                    }
                }
                "failure" => failures += 1,
                "skipped" => skipped += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let summary = json_summary();
    assert_eq!(
        document_suites,
        summary["documents"].as_u64().expect("count")
    );
    assert_eq!(
        suites,
        document_suites + 1,
        "one more suite for file and policy findings"
    );
    assert_eq!(
        failures,
        summary["errors"].as_u64().expect("count") + summary["warnings"].as_u64().expect("count")
    );
    assert!(skipped >= summary["waived"].as_u64().expect("count"));
}

#[test]
fn github_lines_are_well_formed_workflow_commands() {
    let text = render("github", &[]);
    let summary = json_summary();
    let mut errors = 0;
    for line in text.lines() {
        let (command, rest) = line
            .strip_prefix("::")
            .and_then(|l| l.split_once(' '))
            .expect("::command properties::message");
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (properties, _message) = rest.split_once("::").expect("properties::message");
        for property in properties.split(',') {
            let (key, value) = property.split_once('=').expect("key=value");
            assert!(["file", "line", "col", "title"].contains(&key), "{line}");
            assert!(!value.contains(':') && !value.contains('\n'), "{line}");
        }
        if command == "error" {
            errors += 1;
        }
    }
    assert_eq!(errors, summary["errors"].as_u64().expect("count"));
}

/// A course whose id and values hold commas, quotes, colons, newlines, a
/// formula and an escape sequence.
fn awkward_course() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = fs::read_to_string(root().join("fixtures/spec/course.example.yaml"))
        .expect("read")
        .replace(
            "id: FS-ENG-L2-2025 ",
            "id: \"Intro, \\\"English\\\": part 1\\nof 2 100%\" ",
        )
        .replace(
            "  status: approved ",
            "  status: \"=HYPERLINK(\\\"http://x\\\")\\u001b[2J\" ",
        );
    fs::write(dir.path().join("awkward.yaml"), text).expect("write");
    (dir, "awkward.yaml".into())
}

#[test]
fn csv_round_trips_awkward_values_and_neutralises_formulas() {
    let (dir, file) = awkward_course();
    let output = blcheck()
        .current_dir(dir.path())
        .args(["audit", &file, "--as-of", AS_OF, "--format", "csv"])
        .output()
        .expect("runs");
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = reader.headers().expect("a header").clone();
    assert_eq!(&headers[0], "file");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    let blp001 = rows.iter().find(|r| &r[5] == "BLP001").expect("BLP001 row");
    assert_eq!(&blp001[3], "Intro, \"English\": part 1\nof 2 100%");
    assert!(rows
        .iter()
        .all(|r| r.iter().all(|cell| !cell.starts_with('='))));
    let all = blcheck()
        .current_dir(dir.path())
        .args(["audit", &file, "--as-of", AS_OF, "--format", "csv", "--all"])
        .output()
        .expect("runs");
    let count = csv::Reader::from_reader(all.stdout.as_slice())
        .records()
        .count();
    assert!(
        count >= 19,
        "one row per rule and document with --all, got {count}"
    );
}

#[test]
fn github_and_markdown_escape_awkward_values() {
    let (dir, file) = awkward_course();
    let run = |format: &str| {
        blcheck()
            .current_dir(dir.path())
            .args(["audit", &file, "--as-of", AS_OF, "--format", format])
            .output()
            .expect("runs")
            .stdout
    };
    let github = String::from_utf8(run("github")).expect("UTF-8");
    assert!(!github.contains('\u{1b}'));
    let line = github
        .lines()
        .find(|l| l.contains("BLP001"))
        .expect("BLP001 annotation");
    assert!(
        line.starts_with("::error file=awkward.yaml,line="),
        "{line}"
    );
    let markdown = String::from_utf8(run("markdown")).expect("UTF-8");
    assert!(!markdown.contains('\u{1b}'));
    assert!(
        markdown.contains("Intro, \"English\": part 1"),
        "{markdown}"
    );
}

#[test]
fn snapshots_of_every_ci_format() {
    for format in ["sarif", "junit", "github", "markdown", "csv"] {
        insta::assert_snapshot!(format!("format_{format}"), render(format, &[]));
    }
}
