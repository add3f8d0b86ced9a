//! Every fixture under `fixtures/rules/<RULE>/` declares the findings it
//! must give for its rule in `# expect:` comments; this test audits each
//! one with `--select <RULE>` and compares. A fixture may also say the
//! date to audit as of (`# as-of:`), extra flags (`# flags:`) and an exit
//! code other than the one its findings imply (`# exit:`).

use super::support::{audit_json, file_names, findings, root};
use std::fs;

struct Expectation {
    rule: String,
    status: String,
    location: Option<String>,
}

/// How a fixture is audited, besides `--select` its rule.
struct Run {
    as_of: String,
    flags: Vec<String>,
    exit: Option<i32>,
}

fn expectations(text: &str) -> (Vec<Expectation>, Run) {
    let mut expected = Vec::new();
    let mut run = Run {
        as_of: "2025-11-01".to_string(),
        flags: Vec::new(),
        exit: None,
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# as-of:") {
            run.as_of = rest.trim().to_string();
        }
        if let Some(rest) = line.strip_prefix("# flags:") {
            run.flags = rest.split_whitespace().map(str::to_string).collect();
        }
        if let Some(rest) = line.strip_prefix("# exit:") {
            run.exit = Some(rest.trim().parse().expect("# exit: takes a number"));
        }
        let Some(rest) = line.strip_prefix("# expect:") else {
            continue;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        match words.as_slice() {
            ["none"] => {}
            [rule, status] => expected.push(Expectation {
                rule: rule.to_string(),
                status: status.to_string(),
                location: None,
            }),
            [rule, status, location] => expected.push(Expectation {
                rule: rule.to_string(),
                status: status.to_string(),
                location: Some(location.to_string()),
            }),
            _ => panic!("malformed expectation: {line}"),
        }
    }
    (expected, run)
}

#[test]
fn every_rule_has_a_passing_and_a_failing_fixture() {
    let rules = root().join("fixtures/rules");
    let mut missing = Vec::new();
    for entry in fs::read_dir(&rules).expect("fixtures/rules exists") {
        let dir = entry.expect("readable").path();
        let names = file_names(&dir);
        if !names.iter().any(|n| n.starts_with("pass"))
            || !names.iter().any(|n| n.starts_with("fail"))
        {
            missing.push(dir.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "rule directories without a pass/fail pair: {missing:?}"
    );
}

#[test]
fn every_fixture_gives_exactly_its_expected_findings() {
    let rules = root().join("fixtures/rules");
    let mut dirs: Vec<_> = fs::read_dir(&rules)
        .expect("fixtures/rules exists")
        .map(|e| e.expect("readable").path())
        .collect();
    dirs.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in dirs {
        let rule = dir
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let mut files: Vec<_> = fs::read_dir(&dir)
            .expect("readable")
            .map(|e| e.expect("readable").path())
            .collect();
        files.sort();
        for file in files
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "yaml"))
        {
            let text = fs::read_to_string(&file).expect("fixture is text");
            let (expected, run) = expectations(&text);
            let relative = file
                .strip_prefix(root())
                .expect("under the root")
                .to_string_lossy()
                .into_owned();
            let mut args = vec![
                relative.as_str(),
                "--select",
                &rule,
                "--as-of",
                &run.as_of,
                "--fail-on",
                "warning",
            ];
            args.extend(run.flags.iter().map(String::as_str));
            let (json, code) = audit_json(&args);
            let got: Vec<(String, String, String)> = findings(&json)
                .into_iter()
                .filter(|f| f.0 == rule)
                .collect();
            let matches = got.len() == expected.len()
                && expected.iter().zip(&got).all(|(e, g)| {
                    e.rule == g.0
                        && e.status == g.1
                        && e.location.as_ref().is_none_or(|l| *l == g.2)
                });
            let failing = expected.iter().any(|e| e.status == "fail");
            if !matches {
                let want: Vec<String> = expected
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {} {}",
                            e.rule,
                            e.status,
                            e.location.as_deref().unwrap_or("*")
                        )
                    })
                    .collect();
                problems.push(format!("{relative}: expected {want:?}, got {got:?}"));
            } else if let Some(exit) = run.exit.filter(|exit| *exit != code) {
                problems.push(format!("{relative}: exit code {code}, not {exit}"));
            } else if run.exit.is_none()
                && failing != (code == 1)
                && json["findings"]
                    .as_array()
                    .is_some_and(|f| f.iter().all(|f| f["severity"] != "info"))
            {
                problems.push(format!(
                    "{relative}: exit code {code} does not match the expected findings"
                ));
            }
            checked += 1;
        }
    }
    assert!(checked >= 70, "only {checked} fixtures found");
    assert!(
        problems.is_empty(),
        "{} fixture(s) disagree:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
