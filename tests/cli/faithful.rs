//! Issue 17 as a quality officer meets it: self-assessments written
//! elsewhere at exactly each level and mixed, a course full of placeholder
//! text, plans with overdue milestones and low attendance, and the
//! commands as docs/maturity.md and docs/traceability.md show them.

use super::support::{blcheck, json_of, root};
use std::fs;
use std::path::Path;

const AS_OF: &str = "2025-11-01";

/// Every statement id of the model at `levels`, from `blcheck maturity`'s
/// own JSON of an assessment that meets everything (the user copies ids
/// from the docs; the test reads them from the model file).
fn statements(levels: std::ops::RangeInclusive<u8>) -> Vec<String> {
    let model = fs::read_to_string(root().join("policies/blended-learning-maturity.toml"))
        .expect("the model");
    let mut out = Vec::new();
    let mut id = None;
    for line in model.lines() {
        if let Some(rest) = line.strip_prefix("id = \"M") {
            id = Some(format!("M{}", rest.trim_end_matches('"')));
        } else if let Some(level) = line.strip_prefix("level = ") {
            if let (Some(id), Ok(level)) = (id.take(), level.parse::<u8>()) {
                if levels.contains(&level) {
                    out.push(id);
                }
            }
        }
    }
    out
}

fn write_assessment(dir: &Path, name: &str, org: &str, claims: &[String]) -> String {
    let mut text = format!(
        "kind: MaturityAssessment\nid: {org}-SAR\norganisation: {org}\nassessed: 2025-09-30\nassessor: Quality Manager\nmet:\n"
    );
    for id in claims {
        text.push_str(&format!(
            "  - indicator: {id}\n    evidence: Minutes of the self-assessment panel on {id}\n"
        ));
    }
    if claims.is_empty() {
        text.push_str("  []\n");
    }
    let path = dir.join(name);
    fs::write(&path, text).expect("written");
    path.to_str().expect("UTF-8").to_string()
}

#[test]
fn self_assessments_at_exactly_each_level_score_that_level() {
    let dir = tempfile::tempdir().expect("temp dir");
    for level in 1..=4u8 {
        let claims = if level == 1 {
            Vec::new()
        } else {
            statements(2..=level)
        };
        let file = write_assessment(dir.path(), &format!("l{level}.yaml"), "Acme", &claims);
        let json = json_of(&["maturity", &file]);
        assert_eq!(json["overall"]["level"], level, "exactly level {level}");
        // "Next" lists next-level statements, never a level-1 description.
        for d in json["dimensions"].as_array().unwrap() {
            for needed in d["needed"].as_array().unwrap() {
                assert!(needed["level"].as_u64().unwrap() > 1, "{needed}");
                assert_eq!(needed["level"], d["next_level"], "{d}");
            }
        }
    }
    // Level-1 claims change nothing; a mixture is held at the lowest level
    // with a statement unmet.
    let baseline = write_assessment(dir.path(), "baseline.yaml", "Acme", &statements(1..=1));
    assert_eq!(json_of(&["maturity", &baseline])["overall"]["level"], 1);
    let mut mixed = statements(2..=3);
    mixed.retain(|id| id != "M3.evaluation");
    mixed.extend(
        statements(4..=4)
            .into_iter()
            .filter(|id| id.contains("lms")),
    );
    let mixed = write_assessment(dir.path(), "mixed.yaml", "Acme", &mixed);
    let json = json_of(&["maturity", &mixed]);
    assert_eq!(json["overall"]["level"], 2);
    let lms = json["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "lms-reporting")
        .unwrap();
    assert_eq!(lms["level"], 4);
    // Against last year's level-2 assessment: up in every dimension but
    // evaluation, strategy and inclusion.
    let last = dir.path().join("l2.yaml");
    let json = json_of(&["maturity", &mixed, "--compare", last.to_str().unwrap()]);
    let compared = &json["compared_with"];
    assert_eq!(compared["overall"]["level"], 2);
    let unchanged: Vec<&str> = compared["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["change"] == 0)
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(unchanged, ["strategy", "inclusion", "evaluation"]);
    // The chart: one page, inline SVG, no script.
    let output = blcheck()
        .args([
            "maturity",
            &mixed,
            "--compare",
            last.to_str().unwrap(),
            "--format",
            "html",
        ])
        .output()
        .expect("runs");
    let page = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(!page.contains("<script"));
    assert_eq!(page.matches("<rect ").count(), 10, "a bar per dimension");
    assert!(page.contains("earlier: level 2"));
}

#[test]
fn the_audit_report_shows_the_chart_of_an_assessment_in_the_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_assessment(dir.path(), "sar.yaml", "Acme", &statements(2..=2));
    fs::copy(
        root().join("fixtures/spec/course.example.yaml"),
        dir.path().join("course.yaml"),
    )
    .expect("copy");
    let output = blcheck()
        .current_dir(dir.path())
        .args(["audit", ".", "--as-of", AS_OF, "--format", "html"])
        .output()
        .expect("runs");
    let page = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(page.matches("<section class=\"maturity\"").count(), 1);
    assert!(page.contains("Overall level <strong>2 (Integrated and Aligned)</strong>"));
}

/// The spec's course with its evidence replaced by what people type when
/// they have none.
fn placeholder_course(dir: &Path) -> String {
    let text = fs::read_to_string(root().join("fixtures/spec/course.example.yaml"))
        .expect("the example")
        .replace(
            "authenticity: [declaration, similarity_check]",
            "authenticity: [none]",
        )
        .replace(
            "online_contact: Course tutor on Teams, Mon-Fri 09:00-17:00",
            "online_contact: \"none available\"",
        )
        .replace("pastoral: Learner Support Team", "pastoral: \"n/a\"")
        .replace(
            "support: [device_loan, data_sim, offline_pack]",
            "support: [TBC, \"-\"]",
        )
        .replace(
            "records_system: Onefile ePortfolio",
            "records_system: Unknown",
        )
        .replace("contact: Warehouse Operations Manager", "contact: tbd");
    let path = dir.join("placeholders.yaml");
    fs::write(&path, text).expect("written");
    path.to_str().unwrap().to_string()
}

#[test]
fn a_course_full_of_placeholders_fails_every_rule_it_was_passing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = placeholder_course(dir.path());
    let output = blcheck()
        .args(["audit", &file, "--as-of", AS_OF, "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let message = |rule: &str| -> String {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} finding"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        message("BLP007"),
        "'assessment.authenticity' has 0 of the documented values ('declaration', 'similarity_check', 'viva', 'observation', 'supervised_assessment', 'professional_discussion', 'witness_testimony', 'proctored_assessment') ('none' not counted: a placeholder), at least 1 needed"
    );
    assert_eq!(
        message("BLP016"),
        "'learner_support.online_contact' is 'none available', a placeholder, not a value"
    );
    assert_eq!(
        message("BLP010"),
        "'learner_support.pastoral' is 'n/a', a placeholder, not a value"
    );
    assert!(message("BLP012").contains("('TBC', '-' not counted: each a placeholder)"));
    // Free text beside a documented value stays allowed; alone, it is not one.
    let own = fs::read_to_string(&file).expect("the course").replace(
        "authenticity: [none]",
        "authenticity: [tutor knows the learners' writing]",
    );
    fs::write(&file, own).expect("written");
    let output = blcheck()
        .args([
            "audit", &file, "--as-of", AS_OF, "--select", "BLP007", "--format", "json",
        ])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(json["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("('tutor knows the learners' writing' not among them)"));
    assert!(
        message("BLP008").contains("'data_protection.records_system' is 'Unknown', a placeholder")
    );
    assert!(message("BLP018").contains("'employer.contact' is 'tbd', a placeholder"));
}

#[test]
fn a_policy_can_extend_the_placeholders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("strict.toml");
    fs::write(
        &policy,
        "[policy]\nid = \"strict\"\ntitle = \"Strict\"\nversion = \"1\"\nowner = \"QA\"\nissued = 2025-01-01\nrenewal = 2026-01-01\n\n[scope]\nkinds = [\"Course\"]\n\n[placeholders]\nextra = [\"see handbook\"]\nsource = \"Quality team\"\n\n[[rules]]\nid = \"STR001\"\nname = \"pastoral-named\"\ntitle = \"Pastoral support is named\"\nseverity = \"error\"\nclause = \"Name who gives pastoral support.\"\nhelp = \"Name them.\"\nchecks = [{ check = \"non_empty\", path = \"learner_support.pastoral\" }]\n",
    )
    .expect("written");
    let course = dir.path().join("c.yaml");
    let text = fs::read_to_string(root().join("fixtures/spec/course.example.yaml"))
        .expect("example")
        .replace("pastoral: Learner Support Team", "pastoral: See Handbook")
        .replace(
            "policies: [sts-blended-learning, ld-evaluation]",
            "policies: [sts-blended-learning, ld-evaluation, strict]",
        );
    fs::write(&course, text).expect("written");
    let output = blcheck()
        .args([
            "audit",
            course.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--select",
            "STR001,BLP010",
        ])
        .args(["--policy", policy.to_str().unwrap(), "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // Only the policy that lists it takes "see handbook" for no value.
    assert_eq!(rules, ["STR001"]);
}

#[test]
fn plans_with_overdue_milestones_and_low_attendance_fail_the_learners_commitments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = fs::read_to_string(root().join("fixtures/spec/learner-plan.example.yaml"))
        .expect("the example")
        .replace("due: 2025-11-14", "due: 2025-10-14")
        .replace(
            "access: [learner, tutor, employer]",
            "access: [learner, tutor, employer]\nattendance:\n  percent: 72.5\n  recorded: 2025-10-31",
        );
    fs::write(dir.path().join("plan.yaml"), text).expect("written");
    // The plan is audited with its course, as DOC014 asks.
    fs::copy(
        root().join("fixtures/spec/course.example.yaml"),
        dir.path().join("course.yaml"),
    )
    .expect("copy");
    let output = blcheck()
        .current_dir(dir.path())
        .args(["audit", ".", "--as-of", AS_OF, "--format", "json"])
        .args(["--select", "ILP"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let found: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "ILP010".to_string(),
                "goal 1 (Pass Functional Skills English Level 2 w…), milestone 1 (Plan and draft a persuasive letter using…) was due 2025-10-14, before the as-of date 2025-11-01, and is not 'done': 'status' is 'in_progress'".to_string()
            ),
            (
                "ILP011".to_string(),
                "'attendance.percent' is 72.5, below the 85 that course FS-ENG-L2-2025 (course.yaml:44:3) sets in 'attendance.minimum_percent'".to_string()
            ),
        ]
    );
    // And the trace says which commitment each checks.
    let trace = blcheck()
        .args(["trace", "--format", "csv"])
        .output()
        .expect("runs");
    let csv = String::from_utf8(trace.stdout).expect("UTF-8");
    assert!(csv.lines().any(|l| l.starts_with("sts-blended-learning 1.2,STS-L01,Learners will,Ensure that planned activities and work are completed by the agreed deadlines.,checked,ILP010,")), "{csv}");
}

/// A quality officer's folder: a course whose records sit on a tutor's
/// USB stick, with placeholder text, and a learner's plan whose attendance
/// is below the minimum the course sets, audited together as the docs show.
#[test]
fn records_on_a_usb_stick_and_attendance_below_the_course_minimum_fail_with_plain_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let courses = dir.path().join("courses");
    let plans = dir.path().join("plans");
    fs::create_dir_all(&courses).expect("courses/");
    fs::create_dir_all(&plans).expect("plans/");
    let course = fs::read_to_string(root().join("fixtures/spec/course.example.yaml"))
        .expect("the example")
        .replace(
            "records_system: Onefile ePortfolio",
            "records_system: tutor personal USB stick",
        )
        .replace(
            "records_security: [access_controlled, backed_up]",
            "records_security: [kept in the tutor's bag, tbc]",
        )
        .replace("minimum_percent: 85", "minimum_percent: 90")
        .replace("pastoral: Learner Support Team", "pastoral: \"n/a\"");
    fs::write(courses.join("fs-english.yaml"), course).expect("written");
    let plan = fs::read_to_string(root().join("fixtures/spec/learner-plan.example.yaml"))
        .expect("the example")
        .replace(
            "access: [learner, tutor, employer]",
            "access: [learner, tutor, employer]\nattendance:\n  percent: 76\n  recorded: 2025-10-31",
        );
    fs::write(plans.join("l0042.yaml"), plan).expect("written");
    let audit = |args: &[&str]| -> (Option<i32>, Vec<(String, String, String)>) {
        let output = blcheck()
            .current_dir(dir.path())
            .arg("audit")
            .args(args)
            .args(["--as-of", AS_OF, "--format", "json"])
            .output()
            .expect("runs");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let findings = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["path"].as_str().unwrap_or_default().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (output.status.code(), findings)
    };
    let (code, findings) = audit(&["courses/", "plans/"]);
    assert_eq!(code, Some(1));
    let of = |rule: &str| -> (&str, &str) {
        let found = findings.iter().find(|f| f.0 == rule);
        let found = found.unwrap_or_else(|| panic!("no {rule} finding: {findings:#?}"));
        (found.1.as_str(), found.2.as_str())
    };
    assert_eq!(
        of("BLP008"),
        (
            "data_protection.records_security",
            "'data_protection.records_security' has 0 of the documented values ('access_controlled', 'role_based_access', 'multi_factor_authentication', 'encrypted_at_rest', 'encrypted_in_transit', 'backed_up', 'audit_logged', 'uk_gdpr_compliant_provider') ('tbc' not counted: a placeholder) ('kept in the tutor's bag' not among them), at least 1 needed"
        )
    );
    assert_eq!(
        of("BLP010").1,
        "'learner_support.pastoral' is 'n/a', a placeholder, not a value"
    );
    assert_eq!(
        of("ILP011"),
        (
            "attendance.percent",
            "'attendance.percent' is 76, below the 90 that course FS-ENG-L2-2025 (courses/fs-english.yaml:44:3) sets in 'attendance.minimum_percent'"
        )
    );
    // With no word of how the stick is secured, BLP008 still fails, and
    // names what would pass.
    let file = courses.join("fs-english.yaml");
    let text = fs::read_to_string(&file).expect("the course");
    fs::write(
        &file,
        text.replace("  records_security: [kept in the tutor's bag, tbc]\n", "\n"),
    )
    .expect("written");
    let (_, findings) = audit(&["courses/", "--select", "BLP008"]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(findings[0].2.starts_with("'data_protection.records_security' is missing: at least 1 of the documented values ('access_controlled', "));
    // The plan audited without its course: ILP011 cannot hold it to the
    // course's minimum; DOC014 says the course is missing.
    let (_, findings) = audit(&["plans/"]);
    let rules: Vec<&str> = findings.iter().map(|f| f.0.as_str()).collect();
    assert!(rules.contains(&"DOC014"), "{findings:#?}");
    assert!(!rules.contains(&"ILP011"), "{findings:#?}");
    // The course that sets no minimum fails the plan, saying so.
    let text = fs::read_to_string(&file).expect("the course");
    fs::write(&file, text.replace("  minimum_percent: 90\n", "")).expect("written");
    let (_, findings) = audit(&["courses/", "plans/", "--select", "ILP011"]);
    assert_eq!(
        findings[0].2,
        "course FS-ENG-L2-2025 (courses/fs-english.yaml:7:1) sets no 'attendance.minimum_percent', so 'attendance.percent' (76) has nothing to be held to"
    );
}

/// `explain` says what passes in plain words, the path beside them and
/// the parameter's value, for a built-in rule and in `rules --format json`.
#[test]
fn explain_says_what_passes_in_plain_words() {
    let output = blcheck()
        .args(["explain", "BLP008"])
        .output()
        .expect("runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(text.contains(
        "What passes:\n  - `data_protection.records_system` is given and says something"
    ));
    assert!(text.contains(
        "  - `data_protection.retention_years` is a number of at least 3 (min_retention_years)\n"
    ));
    let output = blcheck()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let ilp011 = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ILP011")
        .expect("ILP011");
    assert!(ilp011["passes"][0]
        .as_str()
        .unwrap()
        .starts_with("the plan's recorded `attendance.percent` is a number at least the `attendance.minimum_percent` its course sets"));
}

/// A waiver of ILP011 waives the finding decided against the course, and
/// is reported unused once the plan's attendance reaches the minimum.
#[test]
fn a_waiver_of_attendance_against_the_course_is_used_or_reported_unused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("pair.yaml");
    let pair = fs::read_to_string(root().join("fixtures/rules/ILP011/fail.yaml"))
        .expect("the fixture")
        + "waivers:\n  - rule: ILP011\n    reason: In hospital for three weeks; catch-up plan agreed\n    approved_by: Quality Improvement and Audit Manager\n    expires: 2025-12-31\n";
    fs::write(&file, &pair).expect("written");
    let findings = |file: &Path| -> Vec<(String, String)> {
        let output = blcheck()
            .args(["audit", file.to_str().unwrap(), "--as-of", AS_OF])
            .args(["--select", "ILP011,DOC009", "--format", "json"])
            .output()
            .expect("runs");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["status"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(findings(&file), [("ILP011".into(), "waived".into())]);
    fs::write(&file, pair.replace("  percent: 78\n", "  percent: 95\n")).expect("written");
    assert_eq!(findings(&file), [("DOC009".into(), "fail".into())]);
}
