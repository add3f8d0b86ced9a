//! `blcheck renewals`: statuses at their boundaries, dates, exit codes, and
//! every output format (the calendar parsed back by an independent parser,
//! the CSV read back by the `csv` crate).

use super::support::blcheck;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

const AS_OF: &str = "2025-11-01";
const REGISTER: &str = "fixtures/policies";

/// Runs `blcheck renewals ARGS` and returns stdout and the exit code.
fn renewals(args: &[&str]) -> (String, i32) {
    let output = blcheck()
        .arg("renewals")
        .args(args)
        .output()
        .expect("blcheck runs");
    let code = output.status.code().unwrap_or(-1);
    (String::from_utf8_lossy(&output.stdout).into_owned(), code)
}

fn json_of(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// `(id, days_to_renewal, status)` of every row, in order.
fn rows(json: &serde_json::Value) -> Vec<(String, i64, String)> {
    json["documents"]
        .as_array()
        .expect("documents is a list")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap_or_default().to_string(),
                d["days_to_renewal"].as_i64().unwrap_or(i64::MIN),
                d["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn policy_document(dir: &Path, id: &str, issued: &str, renewal: &str) {
    fs::write(
        dir.join(format!("{id}.yaml")),
        format!(
            "kind: PolicyDocument\nid: {id}\ntitle: {id} policy\nversion: \"1.0\"\nowner: Quality Manager\nissued: {issued}\nrenewal: {renewal}\n"
        ),
    )
    .expect("write");
}

/// A register at the edges of the 60-day window as of 2025-06-01, when
/// every built-in policy is current, in ISO and UK dates.
fn boundary_register() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    policy_document(dir.path(), "yesterday", "2024-05-31", "31/05/2025");
    policy_document(dir.path(), "today", "01/06/2024", "2025-06-01");
    policy_document(dir.path(), "window-end", "2024-07-31", "31/07/2025");
    policy_document(dir.path(), "after-window", "01/08/2024", "2025-08-01");
    dir
}

#[test]
fn statuses_at_their_boundaries() {
    let dir = boundary_register();
    let output = blcheck()
        .current_dir(dir.path())
        .args(["renewals", ".", "--as-of", "2025-06-01", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "one document is overdue");
    let json = json_of(&String::from_utf8_lossy(&output.stdout));
    let ours = ["yesterday", "today", "window-end", "after-window"];
    let mine: Vec<(String, i64, String)> = rows(&json)
        .into_iter()
        .filter(|(id, ..)| ours.contains(&id.as_str()))
        .collect();
    let expect = |id: &str, days: i64, status: &str| (id.to_string(), days, status.to_string());
    assert_eq!(
        mine,
        [
            expect("yesterday", -1, "overdue"),
            expect("today", 0, "due"),
            expect("window-end", 60, "due"),
            expect("after-window", 61, "current"),
        ]
    );
    assert_eq!(json["documents"][1]["issued"], "2024-06-01", "UK date");
    assert_eq!(json["documents"][2]["renewal"], "2025-07-31", "UK date");
}

#[test]
fn within_moves_the_due_window() {
    let dir = boundary_register();
    let output = blcheck()
        .current_dir(dir.path())
        .args(["renewals", "window-end.yaml", "today.yaml", "--as-of"])
        .args(["2025-06-01", "--within", "59", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "nothing is overdue");
    let json = json_of(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(json["within_days"], 59);
    let statuses: Vec<(String, i64, String)> = rows(&json)
        .into_iter()
        .filter(|(id, ..)| id == "today" || id == "window-end")
        .collect();
    assert_eq!(
        statuses,
        [
            ("today".into(), 0, "due".into()),
            ("window-end".into(), 60, "current".into())
        ]
    );
}

#[test]
fn exit_codes() {
    // The fixture register has overdue policies at 2025-11-01.
    assert_eq!(renewals(&[REGISTER, "--as-of", AS_OF]).1, 1);
    // Nothing is overdue at 2025-06-01 (renewals from 2025-09-01 on).
    assert_eq!(renewals(&[REGISTER, "--as-of", "2025-06-01"]).1, 0);
    assert_eq!(renewals(&["--as-of", "2025-06-01"]).1, 0);
    // A policy issued after the as-of date is a problem of the register:
    // listed, and the run fails, though nothing listed is overdue.
    blcheck()
        .args(["renewals", REGISTER, "--as-of", "2025-01-01"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error: fixtures/policies/learner-support.yaml:7:1: issued 2025-03-03 is in the future",
        ))
        .stdout(predicate::str::contains("OVERDUE").not());
    blcheck()
        .args(["renewals", "--as-of", "2025/06/01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--as-of '2025/06/01'"));
    blcheck()
        .args(["renewals", "no/such/register"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/register: no such file"));
    blcheck()
        .args(["renewals", "fixtures/courses"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no policy TOML file or PolicyDocument found in fixtures/courses",
        ));
    blcheck()
        .args(["renewals", "--within", "-1"])
        .assert()
        .code(2);
    blcheck()
        .args(["renewals", "--format", "pdf"])
        .assert()
        .code(2);
}

#[test]
fn without_paths_the_built_in_and_given_policies_are_listed() {
    let (stdout, code) = renewals(&["--as-of", AS_OF, "--format", "json"]);
    assert_eq!(code, 1, "sts-blended-learning is overdue");
    let json = json_of(&stdout);
    assert_eq!(
        rows(&json),
        [
            ("sts-blended-learning".into(), -22, "overdue".into()),
            ("ilp-quality".into(), 431, "current".into()),
            ("ld-evaluation".into(), 431, "current".into()),
        ]
    );
    let (stdout, _) = renewals(&[
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--policy",
        "fixtures/policies/plagiarism-and-cheating.toml",
    ]);
    let json = json_of(&stdout);
    assert_eq!(json["documents"][1]["id"], "plagiarism-and-cheating");
    assert_eq!(
        json["documents"][1]["source"],
        "fixtures/policies/plagiarism-and-cheating.toml"
    );
    // Every read-with title of the blended learning policy is missing.
    assert_eq!(json["missing_read_with"].as_array().map(Vec::len), Some(10));
}

#[test]
fn a_policy_file_under_paths_replaces_the_built_in_copy() {
    let (stdout, _) = renewals(&["policies", "--as-of", AS_OF, "--format", "json"]);
    let json = json_of(&stdout);
    let sources: Vec<&str> = json["documents"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|d| d["source"].as_str())
        .collect();
    assert_eq!(
        sources,
        [
            "policies/sts-blended-learning.toml",
            "policies/ilp-quality.toml",
            "policies/ld-evaluation.toml"
        ],
        "document-checks.toml has no [policy] table and is not listed"
    );
}

#[test]
fn the_json_has_exactly_the_specified_shape() {
    let (stdout, _) = renewals(&[REGISTER, "--as-of", AS_OF, "--format", "json"]);
    let json = json_of(&stdout);
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("object").keys().cloned().collect()
    };
    assert_eq!(
        keys(&json),
        [
            "format_version",
            "as_of",
            "within_days",
            "documents",
            "missing_read_with",
            "problems"
        ]
    );
    assert_eq!(json["problems"], serde_json::json!([]), "always present");
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["as_of"], AS_OF);
    assert_eq!(json["within_days"], 60);
    for document in json["documents"].as_array().expect("list") {
        assert_eq!(
            keys(document),
            [
                "id",
                "title",
                "version",
                "owner",
                "issued",
                "renewal",
                "days_to_renewal",
                "status",
                "source"
            ]
        );
    }
    // The spec's example row, exactly.
    let sts = json["documents"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["id"] == "sts-blended-learning")
        .expect("listed");
    assert_eq!(
        sts,
        &serde_json::json!({"id": "sts-blended-learning", "title": "Blended Learning Policy",
            "version": "1.2", "owner": "Quality Improvement and Audit Manager",
            "issued": "2024-10-10", "renewal": "2025-10-10",
            "days_to_renewal": -22, "status": "overdue", "source": "built-in"})
    );
    assert_eq!(
        json["missing_read_with"],
        serde_json::json!([{"policy": "plagiarism-and-cheating",
            "title": "Malpractice and Maladministration Policy"}])
    );
    // Sorted by renewal date, then id.
    let order: Vec<(String, String)> = json["documents"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| {
            (
                d["renewal"].as_str().unwrap_or_default().to_string(),
                d["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn every_format_of_the_fixture_register() {
    for format in ["table", "json", "csv", "markdown", "ics"] {
        let (stdout, code) = renewals(&[REGISTER, "--as-of", AS_OF, "--format", format]);
        assert_eq!(code, 1, "{format}");
        insta::assert_snapshot!(format!("renewals_{format}"), stdout);
    }
}

#[test]
fn the_csv_reads_back_as_the_json() {
    let (csv_text, _) = renewals(&[REGISTER, "--as-of", AS_OF, "--format", "csv"]);
    let (json_text, _) = renewals(&[REGISTER, "--as-of", AS_OF, "--format", "json"]);
    let json = json_of(&json_text);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let documents = json["documents"].as_array().expect("list");
    let fields: Vec<String> = documents[0]
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    assert_eq!(header, fields);
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(records.len(), documents.len());
    for (record, document) in records.iter().zip(documents) {
        for (field, value) in header.iter().zip(record) {
            let expected = match &document[field] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(value, expected, "{field}");
        }
    }
    // The title with a comma survives quoting.
    assert!(records
        .iter()
        .any(|r| &r[1] == "Behaviour, Disciplinary and Expectations Policy"));
}

#[test]
fn the_calendar_parses_with_one_event_per_document() {
    let (ics, _) = renewals(&[REGISTER, "--as-of", AS_OF, "--format", "ics"]);
    let (json_text, _) = renewals(&[REGISTER, "--as-of", AS_OF, "--format", "json"]);
    let json = json_of(&json_text);
    let documents = json["documents"].as_array().expect("list");
    assert!(ics.contains("\r\n"), "lines end in CRLF");
    let calendars: Vec<ical::parser::ical::component::IcalCalendar> =
        ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
            .map(|c| c.expect("a valid calendar"))
            .collect();
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;
    assert_eq!(events.len(), documents.len());
    let value = |props: &[ical::property::Property], name: &str| -> String {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let mut uids = std::collections::BTreeSet::new();
    for (event, document) in events.iter().zip(documents) {
        let renewal = document["renewal"].as_str().expect("date").replace('-', "");
        let start = event
            .properties
            .iter()
            .find(|p| p.name == "DTSTART")
            .expect("DTSTART");
        assert_eq!(start.value.as_deref(), Some(renewal.as_str()));
        assert_eq!(
            start.params,
            Some(vec![("VALUE".to_string(), vec!["DATE".to_string()])]),
            "an all-day event"
        );
        let uid = value(&event.properties, "UID");
        assert_eq!(
            uid,
            format!(
                "{}-{}@blcheck",
                document["id"].as_str().expect("id"),
                document["renewal"].as_str().expect("date")
            )
        );
        assert!(uids.insert(uid), "UIDs are unique");
        assert_eq!(value(&event.properties, "DTSTAMP"), "20251101T000000Z");
        assert_eq!(event.alarms.len(), 1, "one reminder");
        let alarm = &event.alarms[0].properties;
        assert_eq!(value(alarm, "ACTION"), "DISPLAY");
        assert_eq!(value(alarm, "TRIGGER"), "-PT5184000S", "60 days before");
    }
    // Nothing in the file depends on the clock: a second run is identical.
    assert_eq!(
        renewals(&[REGISTER, "--as-of", AS_OF, "--format", "ics"]).0,
        ics
    );
}

#[test]
fn the_reminder_follows_within() {
    let (ics, _) = renewals(&["--as-of", AS_OF, "--format", "ics", "--within", "30"]);
    let calendar = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("valid");
    for event in &calendar.events {
        let trigger = event.alarms[0]
            .properties
            .iter()
            .find(|p| p.name == "TRIGGER")
            .and_then(|p| p.value.clone());
        assert_eq!(trigger.as_deref(), Some("-PT2592000S"), "30 days before");
    }
}

#[test]
fn overdue_rows_stand_out_with_and_without_colour() {
    let (plain, _) = renewals(&[REGISTER, "--as-of", AS_OF, "--color", "never"]);
    assert!(!plain.contains('\u{1b}'));
    let overdue: Vec<&str> = plain.lines().filter(|l| l.contains("OVERDUE")).collect();
    assert_eq!(overdue.len(), 3, "{plain}");
    let (coloured, _) = renewals(&[REGISTER, "--as-of", AS_OF, "--color", "always"]);
    assert!(coloured.contains("\u{1b}["), "colour when asked");
    assert!(coloured.contains("OVERDUE"), "the marker stays with colour");
}

#[test]
fn an_invalid_register_lists_every_problem_located_beside_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("a.yaml"),
        "kind: PolicyDocument\nid: a\ntitle: A\nversion: \"2\"\nissued: 2025-01-01\nrenewal: 2024-01-01\nhistory:\n  - version: \"1\"\n    date: 2024-01-01\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("b.yaml"),
        "kind: PolicyDocument\nid: b\ntitle: B\nversion: \"1\"\nowner: Me\nissued: 01/01/2026\nrenewal: 01/01/2027\n",
    )
    .expect("write");
    // Two valid documents with one id: the second is refused.
    policy_document(dir.path(), "c", "2025-01-01", "2026-01-01");
    fs::write(
        dir.path().join("d.yaml"),
        "kind: PolicyDocument\nid: c\ntitle: D\nversion: \"1\"\nowner: Me\nissued: 2025-01-01\nrenewal: 2026-01-01\n",
    )
    .expect("write");
    let output = blcheck()
        .current_dir(dir.path())
        .args(["renewals", ".", "--as-of", AS_OF, "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let json = json_of(&String::from_utf8_lossy(&output.stdout));
    let problems: Vec<String> = json["problems"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            format!(
                "{}:{}:{}: {}",
                p["file"].as_str().unwrap_or("?"),
                p["line"],
                p["column"],
                p["message"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            "a.yaml:1:1: required field 'owner' is missing",
            "a.yaml:4:1: version 2 is not the latest history entry (1)",
            "a.yaml:6:1: renewal 2024-01-01 is not after issued 2025-01-01",
            "b.yaml:6:1: issued 2026-01-01 is in the future: after the as-of date 2025-11-01",
            "d.yaml:2:1: id 'c' is also the id of the entry in c.yaml",
        ]
    );
    let listed: Vec<String> = rows(&json).into_iter().map(|(id, ..)| id).collect();
    assert_eq!(
        listed,
        ["sts-blended-learning", "c", "ilp-quality", "ld-evaluation"],
        "the valid entries are listed, the first 'c' among them"
    );
    assert_eq!(json["documents"][1]["source"], "c.yaml");
}

#[test]
fn an_invalid_policy_file_under_paths_is_a_listed_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("p.toml"),
        "[policy]\nid = \"p\"\ntitle = \"P\"\nversion = \"1\"\nissued = 2025-01-01\nrenewal = 2026-01-01\n\n[scope]\nkinds = [\"Course\"]\n",
    )
    .expect("write");
    fs::write(dir.path().join("q.toml"), "[policy\nid = 1\n").expect("write");
    fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").expect("write");
    policy_document(dir.path(), "fine", "2025-01-01", "2026-01-01");
    blcheck()
        .current_dir(dir.path())
        .args(["renewals", ".", "--as-of", "2025-06-01"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error: p.toml:1:1: missing field `owner`",
        ))
        .stdout(predicate::str::contains(
            "error: q.toml:1:8: invalid table header; expected `.`, `]`",
        ))
        .stdout(predicate::str::contains("fine.yaml"))
        .stdout(predicate::str::contains("Cargo.toml").not());
    // A policy named with --policy is configuration, as for `audit`: exit 2.
    blcheck()
        .current_dir(dir.path())
        .args(["renewals", "--policy", "p.toml", "--as-of", "2025-06-01"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "p.toml:1:1: missing field `owner`",
        ));
}

#[test]
fn outputs_pair_with_formats_and_are_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ics = dir.path().join("renewals.ics");
    let json = dir.path().join("renewals.json");
    blcheck()
        .args(["renewals", REGISTER, "--as-of", AS_OF])
        // Each --output belongs to the --format before it; the format left
        // without one goes to stdout.
        .args(["--format", "ics", "--output"])
        .arg(&ics)
        .args(["--format", "json", "--output"])
        .arg(&json)
        .args(["--format", "table"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("OVERDUE"));
    assert!(fs::read_to_string(&ics)
        .expect("written")
        .starts_with("BEGIN:VCALENDAR"));
    assert_eq!(
        json_of(&fs::read_to_string(&json).expect("written"))["format_version"],
        1
    );
    blcheck()
        .args(["renewals", "--as-of", "2025-06-01", "--output"])
        .arg(&json)
        .assert()
        .code(0);
    assert_eq!(
        json_of(&fs::read_to_string(&json).expect("written"))["as_of"],
        "2025-06-01",
        "a .json --output gets JSON, replacing the last run's"
    );
}

#[test]
fn hostile_text_stays_inert_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("odd.yaml"),
        "kind: PolicyDocument\nid: odd\ntitle: \"Pipes | *stars*, commas; \\\"quotes\\\" \\e[31m\"\nversion: \"1\"\nowner: \"=HYPERLINK(\\\"http://x\\\")\"\nissued: 2025-01-01\nrenewal: 2026-01-01\n",
    )
    .expect("write");
    let run = |format: &str| -> String {
        let output = blcheck()
            .current_dir(dir.path())
            .args(["renewals", ".", "--as-of", "2025-06-01", "--format", format])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{format}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    for format in ["table", "markdown", "ics"] {
        assert!(!run(format).contains('\u{1b}'), "{format} passes on ESC");
    }
    let markdown = run("markdown");
    let row = markdown
        .lines()
        .find(|l| l.contains("| odd |"))
        .expect("a row");
    assert!(row.contains("Pipes \\| \\*stars\\*"), "{row}");
    assert_eq!(row.matches(" | ").count(), 7, "eight cells: {row}");

    let csv_text = run("csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let record = reader
        .records()
        .map(|r| r.expect("a row"))
        .find(|r| &r[0] == "odd")
        .expect("listed");
    assert_eq!(&record[1], "Pipes | *stars*, commas; \"quotes\" \u{1b}[31m");
    assert_eq!(&record[3], "'=HYPERLINK(\"http://x\")", "kept as text");

    let ics = run("ics");
    let calendar = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("valid");
    let summary = calendar
        .events
        .iter()
        .flat_map(|e| &e.properties)
        .find(|p| p.name == "SUMMARY" && p.value.as_deref().is_some_and(|v| v.contains("Pipes")))
        .and_then(|p| p.value.clone())
        .expect("the event");
    // The parser leaves RFC 5545 escapes in place.
    assert!(summary.contains("commas\\; \"quotes\""), "{summary}");
}

/// A register with a PolicyDocument, a YAML file with a syntax error, a
/// course (not part of the register) and a policy TOML that is not TOML.
fn broken_register() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    policy_document(dir.path(), "fine", "2025-01-01", "2026-01-01");
    policy_document(dir.path(), "late", "2024-01-01", "2025-01-01");
    fs::write(
        dir.path().join("broken.yaml"),
        "kind: PolicyDocument\nid: [\n",
    )
    .expect("write");
    fs::write(dir.path().join("course.yaml"), "kind: Course\nid: C1\n").expect("write");
    fs::write(dir.path().join("bad.toml"), "[policy\n").expect("write");
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let output = blcheck()
        .current_dir(dir)
        .arg("renewals")
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
        output.status.code().unwrap_or(-1),
    )
}

const BROKEN: &str = "broken.yaml:3:1: while parsing a node, did not find expected node content";
const BAD: &str = "bad.toml:1:8: invalid table header; expected `.`, `]`";

#[test]
fn a_yaml_file_that_cannot_be_read_is_listed_in_every_format_beside_the_register() {
    let dir = broken_register();
    // As of 2025-06-01 nothing listed is overdue: the problems alone fail
    // the run.
    for as_of in ["2025-06-01", AS_OF] {
        let (stdout, stderr, code) =
            run_in(dir.path(), &[".", "--as-of", as_of, "--format", "json"]);
        assert_eq!(code, 1, "{as_of}: {stderr}");
        let json = json_of(&stdout);
        assert_eq!(
            json["problems"],
            serde_json::json!([
                {"file": "bad.toml", "line": 1, "column": 8,
                 "message": "invalid table header; expected `.`, `]`"},
                {"file": "broken.yaml", "line": 3, "column": 1,
                 "message": "while parsing a node, did not find expected node content"}
            ])
        );
        let ids: Vec<String> = rows(&json).into_iter().map(|(id, ..)| id).collect();
        assert!(
            ids.contains(&"fine".to_string()) && ids.contains(&"late".to_string()),
            "{ids:?}"
        );
        assert!(ids.contains(&"sts-blended-learning".to_string()), "{ids:?}");
        assert!(stderr.is_empty(), "{stderr}");
    }

    let (table, stderr, code) = run_in(dir.path(), &[".", "--as-of", "2025-06-01"]);
    assert_eq!(code, 1);
    assert!(stderr.is_empty(), "{stderr}");
    assert!(
        table.contains("fine.yaml") && table.contains("late.yaml"),
        "{table}"
    );
    assert!(table.contains("2 problems in the register"), "{table}");
    for problem in [BAD, BROKEN] {
        assert!(table.contains(&format!("\nerror: {problem}\n")), "{table}");
    }

    let (markdown, _, code) = run_in(
        dir.path(),
        &[".", "--as-of", "2025-06-01", "--format", "markdown"],
    );
    assert_eq!(code, 1);
    assert!(
        markdown.contains("**2 problems in the register"),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n- broken.yaml:3:1: while parsing a node"),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n- bad.toml:1:8: invalid table header; expected \\`.\\`"),
        "{markdown}"
    );

    let (csv_text, _, code) = run_in(
        dir.path(),
        &[".", "--as-of", "2025-06-01", "--format", "csv"],
    );
    assert_eq!(code, 1);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let problems: Vec<(&str, &str, &str)> = records
        .iter()
        .filter(|r| &r[7] == "problem")
        .map(|r| (&r[8], &r[1], &r[6]))
        .collect();
    assert_eq!(
        problems,
        [
            (
                "bad.toml:1:8",
                "invalid table header; expected `.`, `]`",
                ""
            ),
            (
                "broken.yaml:3:1",
                "while parsing a node, did not find expected node content",
                ""
            ),
        ]
    );
    assert!(records.iter().any(|r| &r[0] == "fine"));

    let (ics, stderr, code) = run_in(
        dir.path(),
        &[".", "--as-of", "2025-06-01", "--format", "ics"],
    );
    assert_eq!(code, 1);
    let calendar = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("valid");
    assert!(calendar.events.iter().any(|e| e
        .properties
        .iter()
        .any(|p| p.name == "UID" && p.value.as_deref() == Some("fine-2026-01-01@blcheck"))));
    assert_eq!(
        stderr,
        format!(
            "blcheck: warning: {BAD} (not in the calendar)\nblcheck: warning: {BROKEN} (not in the calendar)\n"
        )
    );
    // Only a broken file under PATHS: still listed, not "nothing found".
    let only = tempfile::tempdir().expect("temp dir");
    fs::write(
        only.path().join("broken.yaml"),
        "kind: PolicyDocument\nid: [\n",
    )
    .expect("write");
    let (stdout, _, code) = run_in(
        only.path(),
        &[".", "--as-of", "2025-06-01", "--format", "json"],
    );
    assert_eq!(code, 1);
    assert_eq!(json_of(&stdout)["problems"][0]["file"], "broken.yaml");
}

#[test]
fn problems_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A file name and a message with an escape sequence: shown, not run.
    fs::write(
        dir.path().join("evil\u{1b}]8;;x\u{7}.yaml"),
        "kind: PolicyDocument\nid: [\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("odd.yaml"),
        "kind: PolicyDocument\nid: odd\ntitle: T\nversion: \"1\"\nowner: O\nissued: 2025-01-01\nrenewal: 2024-01-01\n\"k\\e[31m\": 1\n",
    )
    .expect("write");
    for format in ["table", "markdown", "ics"] {
        let (stdout, stderr, code) = run_in(
            dir.path(),
            &[".", "--as-of", "2025-06-01", "--format", format],
        );
        assert_eq!(code, 1, "{format}");
        assert!(
            !stdout.contains('\u{1b}') && !stderr.contains('\u{1b}'),
            "{format}: {stdout}{stderr}"
        );
        assert!(
            !stdout.contains('\u{7}') && !stderr.contains('\u{7}'),
            "{format}"
        );
        let shown = if format == "ics" { &stderr } else { &stdout };
        // Markdown escapes the escape's backslash and braces once more.
        let name = match format {
            "markdown" => "evil\\\\u\\{1b\\}\\]8;;x\\\\u\\{7\\}.yaml:3:1:",
            _ => "evil\\u{1b}]8;;x\\u{7}.yaml:3:1:",
        };
        assert!(shown.contains(name), "{format}: {shown}");
    }
    // JSON carries the text itself, escaped by JSON.
    let (stdout, _, _) = run_in(
        dir.path(),
        &[".", "--as-of", "2025-06-01", "--format", "json"],
    );
    let json = json_of(&stdout);
    assert_eq!(json["problems"][0]["file"], "evil\u{1b}]8;;x\u{7}.yaml");
}

// ------------------------------------------------------------ blcheck.toml

/// A project: blcheck.toml naming a policy and the register as `paths`.
fn configured_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let register = dir.path().join("register");
    fs::create_dir_all(&register).expect("mkdir");
    policy_document(&register, "in-register", "2025-01-01", "2026-01-01");
    fs::create_dir_all(dir.path().join("extra")).expect("mkdir");
    fs::copy(
        super::support::root().join("fixtures/policies/plagiarism-and-cheating.toml"),
        dir.path().join("extra/plagiarism-and-cheating.toml"),
    )
    .expect("copy");
    fs::write(
        dir.path().join("blcheck.toml"),
        "paths = [\"register\"]\npolicies = [\"extra/plagiarism-and-cheating.toml\"]\n",
    )
    .expect("write");
    dir
}

fn sources(stdout: &str) -> Vec<String> {
    json_of(stdout)["documents"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["id"].as_str().unwrap_or("?"),
                d["source"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn blcheck_toml_gives_the_policies_and_the_default_paths() {
    let dir = configured_project();
    let args = ["--as-of", "2025-06-01", "--format", "json"];
    let (stdout, stderr, code) = run_in(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    let listed = sources(&stdout);
    assert!(
        listed.contains(&"in-register register/in-register.yaml".to_string()),
        "{listed:?}"
    );
    assert!(
        listed.contains(&"plagiarism-and-cheating extra/plagiarism-and-cheating.toml".to_string()),
        "{listed:?}"
    );
    assert_eq!(
        listed.len(),
        5,
        "three built-in policies besides: {listed:?}"
    );
    // From a subdirectory, the file is found in the parent, and its paths
    // are relative to it.
    let nested = dir.path().join("register");
    let (stdout, _, _) = run_in(&nested, &args);
    assert!(sources(&stdout).contains(&"in-register in-register.yaml".to_string()));
    // PATHS given on the command line win over `paths`; `policies` stay.
    fs::create_dir_all(dir.path().join("other")).expect("mkdir");
    policy_document(
        &dir.path().join("other"),
        "elsewhere",
        "2025-01-01",
        "2026-01-01",
    );
    let (stdout, _, _) = run_in(
        dir.path(),
        &["other", "--as-of", "2025-06-01", "--format", "json"],
    );
    let listed = sources(&stdout);
    assert!(
        listed.contains(&"elsewhere other/elsewhere.yaml".to_string()),
        "{listed:?}"
    );
    assert!(
        !listed.iter().any(|l| l.starts_with("in-register")),
        "{listed:?}"
    );
    assert!(
        listed
            .iter()
            .any(|l| l.starts_with("plagiarism-and-cheating")),
        "{listed:?}"
    );
    // --no-config: the built-in policies only.
    let (stdout, _, _) = run_in(
        dir.path(),
        &["--no-config", "--as-of", "2025-06-01", "--format", "json"],
    );
    assert_eq!(sources(&stdout).len(), 3);
    // --config FILE from elsewhere: its paths are relative to its directory.
    let away = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("blcheck.toml");
    let output = blcheck()
        .current_dir(away.path())
        .args([
            "renewals",
            "--as-of",
            "2025-06-01",
            "--format",
            "json",
            "--config",
        ])
        .arg(&config)
        .output()
        .expect("runs");
    let listed = sources(&String::from_utf8_lossy(&output.stdout));
    assert!(
        listed
            .iter()
            .any(|l| l.starts_with("in-register ") && l.ends_with("register/in-register.yaml")),
        "{listed:?}"
    );
    assert!(
        listed
            .iter()
            .any(|l| l.starts_with("plagiarism-and-cheating ")),
        "{listed:?}"
    );
}

#[test]
fn blcheck_toml_paths_without_a_register_list_the_policies() {
    // `paths` are audit's too: courses hold no register, and that is fine.
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("courses")).expect("mkdir");
    fs::write(dir.path().join("courses/c.yaml"), "kind: Course\nid: C1\n").expect("write");
    fs::write(dir.path().join("blcheck.toml"), "paths = [\"courses\"]\n").expect("write");
    let (stdout, stderr, code) = run_in(dir.path(), &["--as-of", "2025-06-01", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(sources(&stdout).len(), 3);
    // Named on the command line, the same directory is a mistake.
    let (_, stderr, code) = run_in(dir.path(), &["courses", "--as-of", "2025-06-01"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no policy TOML file or PolicyDocument found in courses"),
        "{stderr}"
    );
}

#[test]
fn an_invalid_blcheck_toml_or_configured_policy_stops_the_run() {
    let dir = configured_project();
    fs::write(
        dir.path().join("extra/plagiarism-and-cheating.toml"),
        "[policy]\nid = \"x\"\n",
    )
    .expect("write");
    let (stdout, stderr, code) = run_in(dir.path(), &["--as-of", "2025-06-01"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("extra/plagiarism-and-cheating.toml:1:1:"),
        "{stderr}"
    );
    fs::write(
        dir.path().join("blcheck.toml"),
        "paths = [\"register\"]\nregister = 1\n",
    )
    .expect("write");
    let (_, stderr, code) = run_in(dir.path(), &["--as-of", "2025-06-01"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("blcheck.toml:2:1"), "{stderr}");
    // --no-config reads neither.
    let (_, _, code) = run_in(dir.path(), &["--no-config", "--as-of", "2025-06-01"]);
    assert_eq!(code, 0);
}

#[test]
fn calendar_lines_are_at_most_75_octets_and_unfold_to_the_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Multi-octet characters at every offset from a fold, and words that
    // end just before one, so that some fold falls inside a character and
    // some before a space.
    let title = (1..7)
        .map(|i| {
            format!(
                "{} Sécurité numérique — élèves à distance 安全 😀",
                "x".repeat(i)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let owner = "Responsable qualité et conformité pédagogique ".repeat(3);
    let owner = owner.trim();
    fs::write(
        dir.path().join("long.yaml"),
        format!(
            "kind: PolicyDocument\nid: sécurité\ntitle: \"{title}\"\nversion: \"1.0\"\nowner: \"{owner}\"\nissued: 2025-01-01\nrenewal: 2026-01-01\n"
        ),
    )
    .expect("write");
    let output = blcheck()
        .current_dir(dir.path())
        .args(["renewals", ".", "--as-of", "2025-06-01", "--format", "ics"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let ics = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    let physical: Vec<&str> = ics.split_terminator("\r\n").collect();
    for line in &physical {
        assert!(!line.contains('\n'), "a bare LF: {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    assert!(
        physical.iter().any(|l| l.len() < 75 && l.starts_with(' ')),
        "some lines are folded"
    );
    let calendar = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("valid");
    let event = calendar
        .events
        .iter()
        .find(|e| {
            e.properties.iter().any(|p| {
                p.name == "UID" && p.value.as_deref() == Some("sécurité-2026-01-01@blcheck")
            })
        })
        .expect("the long event");
    let value = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    // The parser unfolds and leaves RFC 5545 escapes in place.
    let escaped = |text: &str| text.replace(',', "\\,");
    assert_eq!(
        value("SUMMARY"),
        format!("Renewal due: {} 1.0", escaped(&title))
    );
    assert!(
        value("DESCRIPTION").contains(&format!("owner {}\\, is due", escaped(owner))),
        "{}",
        value("DESCRIPTION")
    );
    for event in &calendar.events {
        for alarm in &event.alarms {
            assert!(
                alarm.properties.iter().all(|p| p.name != "DTSTAMP"),
                "RFC 5545 has no DTSTAMP in a VALARM"
            );
        }
        assert!(event.properties.iter().any(|p| p.name == "DTSTAMP"));
    }
}

#[cfg(unix)]
#[test]
fn a_link_under_paths_is_a_listed_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    policy_document(dir.path(), "fine", "2025-01-01", "2026-01-01");
    std::os::unix::fs::symlink("fine.yaml", dir.path().join("link.yaml")).expect("symlink");
    let (stdout, _, code) = run_in(
        dir.path(),
        &[".", "--as-of", "2025-06-01", "--format", "json"],
    );
    assert_eq!(code, 1);
    let json = json_of(&stdout);
    assert_eq!(json["problems"].as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(json["problems"][0]["file"], "link.yaml");
    assert_eq!(json["problems"][0]["line"], 1);
    assert!(rows(&json).iter().any(|(id, ..)| id == "fine"));
}

#[test]
fn policy_files_under_paths_that_clash_are_listed_problems() {
    let dir = configured_project();
    let register = dir.path().join("register");
    let root = super::support::root();
    // The configured policy again, under another name: its id is taken.
    fs::copy(
        root.join("fixtures/policies/plagiarism-and-cheating.toml"),
        register.join("copy.toml"),
    )
    .expect("copy");
    // A policy of its own id that reuses a built-in policy's rule ids.
    let sts = fs::read_to_string(root.join("policies/sts-blended-learning.toml")).expect("read");
    fs::write(
        register.join("fork.toml"),
        sts.replacen("id = \"sts-blended-learning\"", "id = \"sts-fork\"", 1),
    )
    .expect("write");
    let (stdout, stderr, code) = run_in(dir.path(), &["--as-of", "2025-06-01", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let json = json_of(&stdout);
    let problems: Vec<String> = json["problems"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p["file"].as_str().unwrap_or("?"),
                p["message"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(
        problems[0],
        "register/copy.toml: policy id 'plagiarism-and-cheating' is also loaded from extra/plagiarism-and-cheating.toml"
    );
    assert!(
        problems[1].starts_with("register/fork.toml: rule BLP")
            && problems[1].ends_with("is also defined by policy sts-blended-learning"),
        "{problems:?}"
    );
    let listed = sources(&stdout);
    assert!(
        listed.contains(&"in-register register/in-register.yaml".to_string()),
        "{listed:?}"
    );
    assert!(
        !listed
            .iter()
            .any(|l| l.contains("fork") || l.contains("copy")),
        "{listed:?}"
    );
    // The configured file found again under PATHS is the same policy, once.
    let (stdout, _, code) = run_in(
        dir.path(),
        &["extra", "--as-of", "2025-06-01", "--format", "json"],
    );
    assert_eq!(code, 0);
    assert_eq!(json_of(&stdout)["problems"], serde_json::json!([]));
    assert_eq!(
        sources(&stdout)
            .iter()
            .filter(|l| l.starts_with("plagiarism-and-cheating "))
            .count(),
        1
    );
}

#[test]
fn every_format_of_a_register_with_problems() {
    let dir = broken_register();
    for format in ["table", "json", "csv", "markdown", "ics"] {
        let (stdout, stderr, code) =
            run_in(dir.path(), &[".", "--as-of", AS_OF, "--format", format]);
        assert_eq!(code, 1, "{format}");
        let shown = if format == "ics" {
            // The calendar itself is pinned by `renewals_ics`; here, what
            // the run says beside it.
            assert!(stdout.starts_with("BEGIN:VCALENDAR\r\n"));
            stderr
        } else {
            assert!(stderr.is_empty(), "{format}: {stderr}");
            stdout
        };
        insta::assert_snapshot!(format!("renewals_problems_{format}"), shown);
    }
}
