//! A provider other than STS encodes its own policy, as a new user would:
//! declared fields of every type, a typo in a path, a parameter out of
//! range, the built-in STS policy switched off, test cases with one wrong
//! expectation; all through the real binary, as the docs show the
//! commands.

use super::support::{audit_json_in, blcheck, findings, root, run_in, write_file};
use std::fs;

const POLICY: &str = r#"[policy]
id = "northgate-delivery"
title = "Northgate Delivery Standards"
organisation = "Northgate College"
version = "3.1"
owner = "Head of Quality"
issued = 2026-01-05
renewal = 2027-01-05

[scope]
kinds = ["Course"]

[[fields]]
path = "staff[*].dbs_checked"
type = "date"
description = "When the staff member's DBS check was last made."

[[fields]]
path = "safeguarding.lead"
type = "text"
description = "The designated safeguarding lead (a role)."

[[fields]]
path = "safeguarding.trained"
type = "bool"
description = "Whether every tutor has had safeguarding training."

[[fields]]
path = "safeguarding.cohort_size"
type = "whole_number"
description = "Learners per cohort."

[[fields]]
path = "safeguarding.ratio"
type = "number"
description = "Learners per tutor."

[[fields]]
path = "safeguarding.topics"
type = "text_list"
description = "Safeguarding topics covered at induction."

[[fields]]
path = "safeguarding.risk"
type = "enum"
values = ["low", "medium", "high"]
description = "The course's safeguarding risk rating."

[[rules]]
id = "NGC001"
name = "dbs-current"
title = "Every tutor's DBS check is current"
severity = "error"
clause = "DBS checks are renewed every three years."
help = "Record `dbs_checked` for each member of staff."
params = { max_age_days = 1095 }
param_sources = { max_age_days = "Clause 2.4: 'renewed every three years'" }
checks = [{ check = "date_within", path = "staff[*].dbs_checked", days = "max_age_days" }]
"#;

const COURSE: &str = "kind: Course
id: NGC-WELD-1
title: Welding Level 1
delivery:
  mode: blended
staff:
  - role: Tutor
    dbs_checked: 2025-05-01
safeguarding:
  lead: Designated Safeguarding Lead
  trained: yes please
  cohort_size: 12
  ratio: 6.5
  topics: [prevent, online safety]
  risk: low
";

#[test]
fn another_provider_encodes_tests_and_applies_its_own_policy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();

    // A typo in a path is an error where it is written, with the path meant.
    write_file(
        dir,
        "policy/northgate.toml",
        &POLICY.replace(
            "path = \"staff[*].dbs_checked\", days",
            "path = \"staff[*].dbs_chekced\", days",
        ),
    );
    let (code, _, err) = run_in(dir, &["policy", "check", "policy/northgate.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("policy/northgate.toml:58:43: unknown path 'staff[*].dbs_chekced'")
            && err.contains("(did you mean 'staff[*].dbs_checked'?)"),
        "{err}"
    );

    // A negative number of days is refused where it is written.
    write_file(
        dir,
        "policy/northgate.toml",
        &POLICY.replace("max_age_days = 1095 }", "max_age_days = -5 }"),
    );
    let (code, _, err) = run_in(dir, &["policy", "check", "policy/northgate.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "policy/northgate.toml:56:27: parameter 'max_age_days' is -5; it must be 0 or more"
        ),
        "{err}"
    );

    write_file(dir, "policy/northgate.toml", POLICY);
    let (code, out, err) = run_in(dir, &["policy", "check", "policy/northgate.toml"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("7 declared fields"), "{out}");

    // Declared fields are known: no DOC003; a value of the wrong type is DOC002.
    write_file(dir, "courses/welding.yaml", COURSE);
    write_file(
        dir,
        "blcheck.toml",
        "policies = [\"policy/northgate.toml\"]\ndisabled_policies = [\"sts-blended-learning\"]\n",
    );
    let (json, code) = audit_json_in(dir, &["courses", "--as-of", "2026-02-01"]);
    let got = findings(&json);
    assert!(!got.iter().any(|f| f.0 == "DOC003"), "{got:?}");
    assert!(
        got.contains(&("DOC002".into(), "fail".into(), "11:3".into())),
        "{got:?}"
    );
    assert_eq!(code, 1);
    // The switched-off policy is not applied, not in POL001, and the
    // report says which config did it.
    let applied: Vec<&str> = json["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(applied, ["ld-evaluation", "northgate-delivery"]);
    assert!(!got.iter().any(|f| f.0 == "POL001"), "{got:?}");
    assert_eq!(json["config"]["file"], "blcheck.toml");
    assert_eq!(
        json["config"]["policies_off"][0]["id"],
        "sts-blended-learning"
    );
    let (code, out, _) = run_in(dir, &["renewals", "--as-of", "2026-02-01"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("sts-blended-learning") && out.contains("northgate-delivery"),
        "{out}"
    );

    // `schema` includes the declared fields, with their descriptions, and
    // a JSON Schema validator agrees with the audit.
    let (code, schema, err) = run_in(dir, &["schema", "--kind", "course"]);
    assert_eq!(code, 0, "{err}");
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("JSON");
    let safeguarding = &schema["properties"]["safeguarding"]["properties"];
    assert_eq!(
        safeguarding["risk"]["description"],
        "The course's safeguarding risk rating."
    );
    let validator = jsonschema::draft202012::new(&schema).expect("a valid schema");
    let course: serde_json::Value = serde_yaml_value(COURSE);
    assert!(
        !validator.is_valid(&course),
        "trained: 'yes please' is not a bool"
    );
    let fixed = COURSE.replace("trained: yes please", "trained: true");
    assert!(validator.is_valid(&serde_yaml_value(&fixed)));
    assert!(!validator.is_valid(&serde_yaml_value(
        &fixed.replace("risk: low", "risk: lowish")
    )));
    let (code, template, _) = run_in(dir, &["init", "--kind", "course"]);
    assert_eq!(code, 0);
    assert!(
        template.contains("When the staff member's DBS check was last made."),
        "{template}"
    );
    // The template, declared fields and all, is valid under the schema.
    assert!(
        validator.is_valid(&serde_yaml_value(&template)),
        "{template}"
    );

    // Test cases, one with a wrong expectation: located, and counted.
    write_file(
        dir,
        "policy/northgate-tests/pass.yaml",
        &format!("# expect: NGC001 pass\n# as-of: 2026-02-01\n{fixed}"),
    );
    write_file(
        dir,
        "policy/northgate-tests/fail.yaml",
        &format!(
            "# expect: NGC001 fail 9:5\n# as-of: 2026-02-01\n{}",
            fixed.replace("2025-05-01", "2019-05-01")
        ),
    );
    let (code, out, err) = run_in(dir, &["policy", "test", "policy", "--min-coverage", "100"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(
            "policy/northgate-tests/fail.yaml:1:1: expected NGC001 fail at 9:5, got fail at 10:5"
        ),
        "{out}"
    );
    assert!(out.contains("Rule coverage: 0 of 1 rules"), "{out}");
    write_file(
        dir,
        "policy/northgate-tests/fail.yaml",
        &format!(
            "# expect: NGC001 fail 10:5\n# as-of: 2026-02-01\n{}",
            fixed.replace("2025-05-01", "2019-05-01")
        ),
    );
    let (code, out, _) = run_in(dir, &["policy", "test", "policy", "--min-coverage", "100"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("2 cases: 2 as expected, 0 not.\nRule coverage: 1 of 1 rules"),
        "{out}"
    );

    // `rules --format json` carries the source too.
    let (_, out, _) = run_in(dir, &["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let ngc = rules["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == "NGC001")
        .expect("NGC001 listed");
    assert_eq!(
        ngc["param_sources"]["max_age_days"],
        "Clause 2.4: 'renewed every three years'"
    );
    // explain shows the parameter's source; config the settings applied.
    let (_, out, _) = run_in(dir, &["explain", "NGC001"]);
    assert!(out.contains("max_age_days comes from: Clause 2.4"), "{out}");
    assert!(out.contains("max_age_days = 1095 (0 or more)"), "{out}");
    let (_, out, _) = run_in(dir, &["config"]);
    assert!(
        out.contains("sts-blended-learning (by blcheck.toml:2:22: disabled_policies)"),
        "{out}"
    );
}

/// A YAML document as the JSON value a schema validator reads, as the
/// audit reads it (dates stay text).
fn serde_yaml_value(text: &str) -> serde_json::Value {
    super::authoring::yaml_as_json(text)
}

/// The built-in policies' fixtures run through `blcheck policy test`, as a
/// policy author's cases do, every rule covered.
#[test]
fn the_built_in_fixtures_pass_as_policy_tests_with_full_coverage() {
    let output = blcheck()
        .current_dir(root())
        .args([
            "policy",
            "test",
            "fixtures/rules",
            "--as-of",
            "2025-11-01",
            "--min-coverage",
            "100",
        ])
        .output()
        .expect("runs");
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(
        out.contains("Rule coverage: ") && out.contains("(100%)"),
        "{out}"
    );
}

/// Every format a person or a tool reads says which config applied and
/// what it changed; none says so when no config applied.
#[test]
fn every_format_names_the_config_and_what_it_overrode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    write_file(dir, "courses/welding.yaml", COURSE);
    write_file(
        dir,
        "blcheck.toml",
        "[rules.BLP002]\nparams = { max_age_days = 400 }\nseverity = \"warning\"\n",
    );
    let overridden = "BLP002 max_age_days = 400 (the policy's own: 365; blcheck.toml:2:27)";
    let escaped_md = "BLP002 max\\_age\\_days = 400 \\(the policy's own: 365; blcheck.toml:2:27\\)";
    for (format, line) in [
        ("table", overridden.to_string()),
        ("markdown", escaped_md.to_string()),
        ("html", overridden.replace('\'', "&#39;")),
    ] {
        let (_, out, err) = run_in(
            dir,
            &[
                "audit",
                "courses",
                "--as-of",
                "2026-02-01",
                "--format",
                format,
            ],
        );
        assert!(out.contains("Config: blcheck.toml"), "{format}: {out}{err}");
        assert!(
            out.contains(&line) || out.contains(overridden),
            "{format}: {out}"
        );
    }
    let (_, sarif, _) = run_in(
        dir,
        &[
            "audit",
            "courses",
            "--as-of",
            "2026-02-01",
            "--format",
            "sarif",
        ],
    );
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    let config = &sarif["runs"][0]["properties"]["blcheckConfig"];
    assert_eq!(config["file"], "blcheck.toml");
    assert_eq!(config["overrides"][0]["setting"], "severity");
    assert_eq!(config["overrides"][0]["policy_value"], "error");
    assert_eq!(config["overrides"][1]["value"], "400");
    let (json, _) = audit_json_in(dir, &["courses", "--as-of", "2026-02-01", "--no-config"]);
    assert!(json.get("config").is_none(), "{json}");
    let (_, out, _) = run_in(
        dir,
        &["audit", "courses", "--as-of", "2026-02-01", "--no-config"],
    );
    assert!(!out.contains("Config:"), "{out}");
}

#[test]
fn policies_are_switched_off_from_the_command_line_and_unknown_ids_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    write_file(dir, "courses/welding.yaml", COURSE);
    let (json, _) = audit_json_in(
        dir,
        &["courses", "--as-of", "2026-02-01", "--no-builtin-policies"],
    );
    assert_eq!(json["policies"], serde_json::json!([]));
    assert!(
        findings(&json).iter().all(|f| f.0.starts_with("DOC")),
        "{json}"
    );
    let (json, _) = audit_json_in(
        dir,
        &[
            "courses",
            "--as-of",
            "2026-02-01",
            "--without-policy",
            "ld-evaluation",
        ],
    );
    assert!(
        !json["policies"].to_string().contains("ld-evaluation"),
        "{json}"
    );
    let (code, _, err) = run_in(dir, &["rules", "--without-policy", "sts-blended"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--without-policy sts-blended: no loaded policy 'sts-blended' (did you mean 'sts-blended-learning'?)"),
        "{err}"
    );
    let (_, out, _) = run_in(dir, &["rules", "--without-policy", "sts-blended-learning"]);
    assert!(!out.contains("BLP001") && out.contains("EVL001"), "{out}");
}

#[test]
fn two_policies_declaring_one_field_with_two_types_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    write_file(dir, "a.toml", POLICY);
    write_file(
        dir,
        "b.toml",
        &POLICY
            .replace("northgate-delivery", "northgate-other")
            .replace("NGC001", "NGO001")
            .replace("name = \"dbs-current\"", "name = \"dbs-current-too\"")
            .replace(
                "path = \"safeguarding.trained\"\ntype = \"bool\"",
                "path = \"safeguarding.trained\"\ntype = \"text\"",
            ),
    );
    let (code, _, err) = run_in(dir, &["policy", "check", "a.toml", "b.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("b.toml:24:8: 'safeguarding.trained' is declared here as text and at a.toml:24:8 as bool"),
        "{err}"
    );
}

#[test]
fn init_writes_a_starter_policy_with_passing_tests_and_a_register_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    let (code, _, err) = run_in(dir, &["init", "acme.toml", "--kind", "policy"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run_in(dir, &["policy", "test", ".", "--min-coverage", "100"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 cases: 2 as expected, 0 not."), "{out}");
    let (code, _, err) = run_in(dir, &["init", "acme.toml", "--kind", "policy"]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = run_in(
        dir,
        &[
            "init",
            "register/safeguarding.yaml",
            "--kind",
            "policy-document",
        ],
    );
    assert_eq!(code, 2, "no register/ folder yet: {err}");
    fs::create_dir(dir.join("register")).expect("mkdir");
    let (code, _, err) = run_in(
        dir,
        &[
            "init",
            "register/safeguarding.yaml",
            "--kind",
            "policy-document",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = fs::read_to_string(dir.join("register/safeguarding.yaml")).expect("written");
    assert!(text.contains("kind: PolicyDocument"), "{text}");
}

/// The tutorial's audit, with its config applied, in each format that
/// shows the config: the whole output, so any change to it is reviewed.
#[test]
fn snapshots_of_the_config_in_each_format() {
    for format in ["table", "json", "markdown", "sarif"] {
        let output = blcheck()
            .args([
                "audit",
                "fixtures/docs/tutorial/courses",
                "--config",
                "fixtures/docs/tutorial/blcheck.toml",
                "--as-of",
                "2026-02-01",
                "--format",
                format,
            ])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1));
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        insta::assert_snapshot!(format!("config_{format}"), text);
    }
}

/// The SARIF run's property bag holding the config is valid SARIF.
#[test]
fn sarif_with_the_config_is_valid_against_the_official_schema() {
    let output = blcheck()
        .args([
            "audit",
            "fixtures/docs/tutorial/courses",
            "--config",
            "fixtures/docs/tutorial/blcheck.toml",
            "--as-of",
            "2026-02-01",
            "--format",
            "sarif",
        ])
        .output()
        .expect("runs");
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(sarif["runs"][0]["properties"]["blcheckConfig"].is_object());
    let Some(schema) = super::support::installed(
        root().join(".ci/tools/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"),
    ) else {
        return;
    };
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema).expect("schema")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// A field a policy declares for PolicyDocuments is known to `renewals`.
#[test]
fn renewals_reads_policy_documents_with_the_fields_policies_declare() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    write_file(
        dir,
        "northgate.toml",
        &POLICY.replace(
            "[[rules]]",
            "[[fields]]\npath = \"approved_by\"\ntype = \"text\"\ndescription = \"The board that approved it.\"\nkinds = [\"PolicyDocument\"]\n\n[[rules]]",
        ),
    );
    write_file(
        dir,
        "register/safeguarding.yaml",
        "kind: PolicyDocument\nid: safeguarding\ntitle: Safeguarding Policy\nversion: \"2.0\"\nowner: DSL\nissued: 2025-09-01\nrenewal: 2026-09-01\napproved_by: Board of Governors\n",
    );
    let (code, out, err) = run_in(
        dir,
        &[
            "renewals",
            "register",
            "--as-of",
            "2026-02-01",
            "--no-config",
        ],
    );
    assert_eq!(
        code, 1,
        "without the policy, approved_by is unknown: {out}{err}"
    );
    assert!(
        out.contains("approved_by") || err.contains("approved_by"),
        "{out}{err}"
    );
    let (code, out, err) = run_in(
        dir,
        &[
            "renewals",
            "register",
            "--as-of",
            "2026-02-01",
            "--policy",
            "northgate.toml",
            "--no-builtin-policies",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("safeguarding") && out.contains("northgate-delivery"),
        "{out}"
    );
}
