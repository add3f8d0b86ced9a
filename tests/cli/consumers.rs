//! JUnit and SARIF as their consumers read them, on a corpus with awkward
//! file names (spaces, `%`, `#`, `?`, `:`, non-ASCII, in subdirectories),
//! two documents of one file that share kind and id, several findings of
//! one DOC rule in one document, a waiver, a file that is not YAML and an
//! overdue built-in policy, and an id with markup, quotes, a line break and
//! an escape sequence: JUnit validated against the Jenkins xunit
//! plugin's `junit-10.xsd` and read the way GitLab reads it, SARIF through
//! the SARIF multitool with its SARIF and GitHub rules.

use super::support::{blcheck, installed, root};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2025-11-01";

/// The files of the corpus, by the name blcheck shows.
const AWKWARD: [&str; 9] = [
    "sub dir/100%.yaml",
    "sub dir/<b>&amp; \"quoted\" 'too'.yaml",
    "sub dir/invalid values.yaml",
    "a#b/c?d.yaml",
    "cours é/ünï cødé.yaml",
    "x:y/first:colon.yaml",
    "twins/two documents.yaml",
    "waived/100% waived.yaml",
    "broken #1.yaml",
];

fn fixture(path: &str) -> String {
    fs::read_to_string(root().join(path)).expect("fixture")
}

/// The failing online course, under another id.
fn course(id: &str) -> String {
    fixture("fixtures/courses/digital-marketer-l3-online.yaml")
        .replace("id: DM-L3-ONLINE-2025", &format!("id: {id}"))
}

fn awkward_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    // The second twin passes the two rules the first fails on follow-up and
    // feedback days; both fail the rest alike.
    let twin = course("TWIN-2025")
        .replace("follow_up_days: 10", "follow_up_days: 3")
        .replace("feedback_days: 20", "feedback_days: 10");
    let contents = [
        course("DM-L3-ONLINE-2025"),
        course(r#""<b>&amp;</b> \"q\" \u001b[2J\nline 2""#),
        fixture("fixtures/rules/DOC002/fail.yaml"),
        course("HASH-Q-2025"),
        course("UNICODE-2025"),
        course("COLON-2025"),
        format!("{}---\n{twin}", course("TWIN-2025")),
        fixture("fixtures/courses/fs-maths-l2-blended-waiver.yaml"),
        fixture("fixtures/rules/DOC001/fail.yaml"),
    ];
    for (name, text) in AWKWARD.iter().zip(contents) {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    dir
}

fn audit(dir: &Path, format: &str) -> String {
    let output = blcheck()
        .current_dir(dir)
        .args(["audit", ".", "--as-of", AS_OF, "--format", format])
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

/// Every failing finding of the JSON report of the same inputs (the output
/// is deterministic, so a second run stands for the same run).
fn json_failures(dir: &Path) -> usize {
    let json: serde_json::Value = serde_json::from_str(&audit(dir, "json")).expect("JSON");
    let findings = json["findings"].as_array().expect("findings");
    let failing = findings
        .iter()
        .filter(|f| f["status"] == "fail" && f["severity"] != "info")
        .count();
    let summary = &json["summary"];
    assert_eq!(
        failing as u64,
        summary["errors"].as_u64().expect("errors") + summary["warnings"].as_u64().expect("w")
    );
    failing
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Success,
    Failed,
    Error,
    Skipped,
}

/// One test case as GitLab's JUnit parser
/// (`Gitlab::Ci::Parsers::Test::Junit`) builds it: the enclosing
/// `testsuite`'s name, classname and name, and a status from the first of
/// `failure`, `error` and `skipped` the case holds, else success.
#[derive(Debug)]
struct GitlabCase {
    suite: String,
    classname: String,
    name: String,
    status: Status,
}

fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .expect("a well-formed attribute")
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("an escaped value")
                .into_owned()
        })
}

fn read_as_gitlab(xml: &str) -> Vec<GitlabCase> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut suites: Vec<String> = Vec::new();
    let mut cases = Vec::new();
    let mut open: Option<(GitlabCase, BTreeSet<String>)> = None;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().0 {
                    "testsuite" if !empty => suites.push(attribute(e, "name").unwrap_or_default()),
                    "testcase" => {
                        let case = GitlabCase {
                            suite: suites.last().cloned().unwrap_or_default(),
                            classname: attribute(e, "classname").unwrap_or_default(),
                            name: attribute(e, "name").unwrap_or_default(),
                            status: Status::Success,
                        };
                        if empty {
                            cases.push(case);
                        } else {
                            open = Some((case, BTreeSet::new()));
                        }
                    }
                    child @ ("failure" | "error" | "skipped") => {
                        if let Some((_, children)) = &mut open {
                            children.insert(child.to_string());
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().0 {
                "testsuite" => {
                    suites.pop();
                }
                "testcase" => {
                    let (mut case, children) = open.take().expect("an open test case");
                    case.status = if children.contains("failure") {
                        Status::Failed
                    } else if children.contains("error") {
                        Status::Error
                    } else if children.contains("skipped") {
                        Status::Skipped
                    } else {
                        Status::Success
                    };
                    cases.push(case);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

#[test]
fn junit_reads_in_gitlab_with_every_case_kept_and_every_failure_counted() {
    let dir = awkward_corpus();
    let xml = audit(dir.path(), "junit");
    let cases = read_as_gitlab(&xml);
    // GitLab keeps one case per SHA-256 of "suite_classname_name" (older
    // releases: "classname_name"); a repeated key hides a case.
    for key in [
        |c: &GitlabCase| format!("{}_{}_{}", c.suite, c.classname, c.name),
        |c: &GitlabCase| format!("{}_{}", c.classname, c.name),
    ] {
        let keys: BTreeSet<String> = cases.iter().map(key).collect();
        assert_eq!(keys.len(), cases.len(), "repeated keys in\n{xml}");
    }
    let failed = cases.iter().filter(|c| c.status == Status::Failed).count();
    assert_eq!(failed, json_failures(dir.path()), "{xml}");
    assert!(cases.iter().all(|c| c.status != Status::Error));
    assert!(cases.iter().any(|c| c.status == Status::Skipped));

    // Each twin keeps its own results, and its classname names its file.
    let status_of = |classname: &str, rule: &str| {
        cases
            .iter()
            .find(|c| c.classname == classname && c.name.starts_with(rule))
            .unwrap_or_else(|| panic!("{classname} {rule} in\n{xml}"))
            .status
    };
    let first = "twins/two documents.yaml: Course TWIN-2025";
    let second = "twins/two documents.yaml: Course TWIN-2025 #2";
    for rule in ["BLP004 ", "BLP005 "] {
        assert_eq!(status_of(first, rule), Status::Failed, "{rule}");
        assert_eq!(status_of(second, rule), Status::Success, "{rule}");
    }
    for rule in ["BLP001 ", "BLP002 ", "DOC005 "] {
        let expected = if rule == "DOC005 " {
            None
        } else {
            Some(Status::Failed)
        };
        let in_first = cases
            .iter()
            .find(|c| c.classname == first && c.name.starts_with(rule));
        assert_eq!(in_first.map(|c| c.status), expected, "{rule}");
        assert_eq!(status_of(second, rule), Status::Failed, "{rule}");
    }
    // DOC findings are named by rule and location, one case each.
    let invalid: Vec<&str> = cases
        .iter()
        .filter(|c| c.classname.starts_with("sub dir/invalid values.yaml: "))
        .filter(|c| c.name.starts_with("DOC002 "))
        .map(|c| c.name.as_str())
        .collect();
    assert!(invalid.len() >= 4, "{invalid:?}");
    assert!(
        invalid.contains(&"DOC002 invalid-document at 46:3"),
        "{invalid:?}"
    );
    // Awkward names arrive as they are.
    for name in AWKWARD {
        assert!(
            cases.iter().any(|c| c.classname.starts_with(name)),
            "{name} in\n{xml}"
        );
    }
}

/// The attributes `junit-10.xsd` of the Jenkins xunit plugin declares on
/// each element blcheck writes, and those it requires (its
/// `use="required"`). pytest's copy of the schema, which CI validates
/// with, also allows `version` on `testsuite`; this check holds the report
/// to the plugin's own list.
const XSD_ATTRIBUTES: [(&str, &[&str], &[&str]); 6] = [
    (
        "testsuites",
        &["name", "time", "tests", "failures", "errors"],
        &[],
    ),
    (
        "testsuite",
        &[
            "name",
            "tests",
            "failures",
            "errors",
            "group",
            "time",
            "skipped",
            "timestamp",
            "hostname",
            "id",
            "package",
            "file",
            "log",
            "url",
        ],
        &["name", "tests", "failures", "errors"],
    ),
    (
        "testcase",
        &["name", "time", "classname", "group"],
        &["name"],
    ),
    ("failure", &["type", "message"], &[]),
    ("skipped", &["type", "message"], &[]),
    ("system-out", &[], &[]),
];

/// The report against the XSD's content model, element by element: which
/// attributes each element may and must have, which elements may hold
/// which (`testsuites` holds `testsuite`; `testsuite` holds `testcase`;
/// `testcase` holds `failure`, `skipped`, `system-out`), and that the
/// counts the XSD types as strings are the numbers of cases they count.
fn check_content_model(xml: &str) {
    use quick_xml::events::Event;
    let allowed_in: BTreeMap<&str, &[&str]> = [
        ("", &["testsuites"][..]),
        ("testsuites", &["testsuite"][..]),
        (
            "testsuite",
            &["testcase", "properties", "system-out", "system-err"][..],
        ),
        (
            "testcase",
            &["failure", "skipped", "error", "system-out", "system-err"][..],
        ),
        ("failure", &[][..]),
        ("skipped", &[][..]),
        ("system-out", &[][..]),
    ]
    .into_iter()
    .collect();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    // Per open suite: its declared counts, and the cases, failures and
    // skipped cases seen in it.
    let mut counts: Vec<([usize; 3], [usize; 3])> = Vec::new();
    let mut totals = [0usize; 2];
    let mut declared_totals = [0usize; 2];
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().0.to_string();
                let parent = stack.last().map_or("", String::as_str);
                assert!(
                    allowed_in
                        .get(parent)
                        .is_some_and(|children| children.contains(&name.as_str())),
                    "<{name}> inside <{parent}>"
                );
                let (_, may, must) = XSD_ATTRIBUTES
                    .iter()
                    .find(|(element, _, _)| *element == name)
                    .unwrap_or_else(|| panic!("<{name}> is not an element blcheck writes"));
                let present: Vec<String> = e
                    .attributes()
                    .map(|a| a.expect("attribute").key.0.to_string())
                    .collect();
                for key in &present {
                    assert!(may.contains(&key.as_str()), "{key} on <{name}>");
                }
                for key in *must {
                    assert!(present.iter().any(|p| p == key), "<{name}> lacks {key}");
                }
                let number =
                    |key: &str| attribute(e, key).map(|v| v.parse::<usize>().expect("a count"));
                match name.as_str() {
                    "testsuites" => {
                        declared_totals = [
                            number("tests").expect("tests"),
                            number("failures").expect("failures"),
                        ];
                    }
                    "testsuite" => {
                        let declared = [
                            number("tests").expect("tests"),
                            number("failures").expect("failures"),
                            number("skipped").unwrap_or(0),
                        ];
                        assert_eq!(number("errors"), Some(0));
                        if matches!(event, Event::Empty(_)) {
                            assert_eq!(declared, [0, 0, 0]);
                        } else {
                            counts.push((declared, [0; 3]));
                        }
                    }
                    "testcase" => {
                        totals[0] += 1;
                        counts.last_mut().expect("a suite").1[0] += 1;
                    }
                    "failure" => {
                        totals[1] += 1;
                        counts.last_mut().expect("a suite").1[1] += 1;
                    }
                    "skipped" => counts.last_mut().expect("a suite").1[2] += 1,
                    _ => {}
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(name);
                }
            }
            Event::End(_) if stack.pop().as_deref() == Some("testsuite") => {
                let (declared, seen) = counts.pop().expect("a suite");
                assert_eq!(declared, seen, "tests, failures, skipped");
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(declared_totals, totals, "testsuites' tests and failures");
}

#[test]
fn junit_is_valid_against_junit_10_xsd() {
    let dir = awkward_corpus();
    let reports = [
        audit(dir.path(), "junit"),
        String::from_utf8(
            blcheck()
                .args([
                    "audit",
                    "fixtures/courses",
                    "fixtures/rules/DOC001/fail.yaml",
                ])
                .args(["--as-of", AS_OF, "--format", "junit"])
                .output()
                .expect("runs")
                .stdout,
        )
        .expect("UTF-8"),
    ];
    for xml in &reports {
        check_content_model(xml);
    }
    let Some(xsd) = installed(root().join(".ci/tools/junit-10.xsd")) else {
        return;
    };
    let Some(xmllint) = installed(PathBuf::from("/usr/bin/xmllint")) else {
        return;
    };
    for xml in &reports {
        let file = dir.path().join("blcheck-junit.xml");
        fs::write(&file, xml).expect("write");
        let output = std::process::Command::new(&xmllint)
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&file)
            .output()
            .expect("xmllint runs");
        assert!(
            output.status.success(),
            "{}\n{xml}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// `%XX` sequences back to bytes, written here rather than taken from the
/// encoder's crate, so that a wrong encoding cannot pass by agreeing with
/// itself.
fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("two hex digits");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn sarif_for_awkward_file_names_passes_the_multitool_with_github_rules() {
    let dir = awkward_corpus();
    let text = audit(dir.path(), "sarif");
    let sarif: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let mut uris = BTreeSet::new();
    for result in results {
        let location = &result["locations"][0];
        let Some(uri) = location["physicalLocation"]["artifactLocation"]["uri"].as_str() else {
            // Only a built-in policy has no file: a logical location.
            assert_eq!(result["ruleId"], "POL001", "{result}");
            let logical = &location["logicalLocations"][0];
            assert_eq!(logical["name"], "sts-blended-learning");
            assert_eq!(logical["kind"], "resource");
            continue;
        };
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{uri}"
        );
        let name = percent_decode(uri);
        assert!(dir.path().join(&name).is_file(), "{uri} names no file");
        uris.insert(name);
    }
    let expected: BTreeSet<String> = AWKWARD.iter().map(|n| n.to_string()).collect();
    assert_eq!(uris, expected);
    let prints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["blcheckFinding/v3"]
                .as_str()
                .expect("a fingerprint")
        })
        .collect();
    let unique: BTreeSet<&str> = prints.iter().copied().collect();
    assert_eq!(unique.len(), prints.len(), "fingerprints repeat");

    let Some(multitool) = installed(
        root().join(".ci/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"),
    ) else {
        return;
    };
    let input = dir.path().join("blcheck.sarif");
    let log = dir.path().join("validation.sarif");
    fs::write(&input, &text).expect("write");
    let errors = validate(&multitool, &input, &log);
    assert!(errors.is_empty(), "{errors:?}");

    // The same log with a raw file name and a result without a location:
    // the rules that would refuse them ran.
    let mut broken = sarif.clone();
    let results = broken["runs"][0]["results"]
        .as_array_mut()
        .expect("results");
    let with_file = results
        .iter()
        .position(|r| r["locations"][0]["physicalLocation"].is_object())
        .expect("a result with a file");
    results[with_file]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "sub dir/100%.yaml".into();
    let other = usize::from(with_file == 0);
    results[other]
        .as_object_mut()
        .expect("a result")
        .remove("locations");
    fs::write(&input, broken.to_string()).expect("write");
    let errors = validate(&multitool, &input, &log);
    for rule in ["SARIF1002", "GH1015"] {
        assert!(errors.contains(&rule.to_string()), "{rule}: {errors:?}");
    }
}

/// The rule ids of the multitool's errors on a SARIF log, with its SARIF
/// and GitHub rules.
fn validate(multitool: &Path, input: &Path, log: &Path) -> Vec<String> {
    let output = std::process::Command::new(multitool)
        .arg("validate")
        .arg(input)
        .args([
            "--rule-kind",
            "Sarif;Gh",
            "--log",
            "ForceOverwrite",
            "--output",
        ])
        .arg(log)
        .output()
        .expect("the multitool runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let validation: serde_json::Value =
        serde_json::from_slice(&fs::read(log).expect("a validation log")).expect("JSON");
    validation["runs"][0]["results"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter(|r| r["level"] == "error")
                .filter_map(|r| r["ruleId"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn fingerprints_survive_moves_and_edits_above() {
    let dir = awkward_corpus();
    let fingerprints = |dir: &Path| {
        let sarif: serde_json::Value = serde_json::from_str(&audit(dir, "sarif")).expect("JSON");
        sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().expect("rule").to_string(),
                    r["partialFingerprints"].to_string(),
                )
            })
            .collect::<BTreeSet<_>>()
    };
    let before = fingerprints(dir.path());
    // The course moves to another folder and gains lines above every value.
    let old = dir.path().join("sub dir/100%.yaml");
    let text = fs::read_to_string(&old).expect("read");
    fs::remove_file(&old).expect("remove");
    fs::create_dir_all(dir.path().join("moved")).expect("mkdir");
    fs::write(
        dir.path().join("moved/100%.yaml"),
        format!("# Reviewed again.\n# Still pending.\n{text}"),
    )
    .expect("write");
    assert_eq!(fingerprints(dir.path()), before);
}
