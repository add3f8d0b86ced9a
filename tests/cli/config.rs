//! `blcheck.toml`: discovery, every key, and flags winning over the file.

use super::support::{blcheck, findings, root};
use std::fs;

/// A project with the fixture courses under `courses/` and `settings` as
/// its blcheck.toml.
fn project(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let courses = dir.path().join("courses");
    fs::create_dir_all(courses.join("legacy")).expect("mkdir");
    for name in [
        "digital-marketer-l3-online.yaml",
        "fs-english-l2-blended.yaml",
    ] {
        fs::copy(
            root().join("fixtures/courses").join(name),
            courses.join(name),
        )
        .expect("copy");
    }
    fs::copy(
        root().join("fixtures/courses/esol-courses.yaml"),
        courses.join("legacy/esol-courses.yaml"),
    )
    .expect("copy");
    fs::write(dir.path().join("blcheck.toml"), settings).expect("write");
    dir
}

fn audit(dir: &std::path::Path, args: &[&str]) -> (serde_json::Value, i32) {
    let output = blcheck()
        .current_dir(dir)
        .args(["audit", "--as-of", "2025-11-01", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(
        |_| serde_json::json!({ "stderr": String::from_utf8_lossy(&output.stderr) }),
    );
    (json, output.status.code().unwrap_or(-1))
}

#[test]
fn settings_are_found_and_applied() {
    let dir = project(
        r#"
paths = ["courses"]
fail_on = "never"

[rules.BLP014]
severity = "off"

[rules.BLP005]
severity = "warning"

[rules.BLP002]
params = { max_age_days = 600 }

[[ignore]]
paths = ["courses/legacy/**"]
rules = ["EVL"]
"#,
    );
    // Run from a subdirectory: the file is found in the parent.
    let (json, code) = audit(&dir.path().join("courses"), &[]);
    assert_eq!(code, 0, "fail_on = never: {json}");
    let got = findings(&json);
    let rules: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    assert!(!rules.contains(&"BLP014"), "BLP014 is off: {rules:?}");
    assert!(
        !rules.contains(&"BLP002"),
        "a 540-day-old review passes with max_age_days = 600"
    );
    let blp005 = json["findings"]
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["rule"] == "BLP005")
        .expect("BLP005");
    assert_eq!(blp005["severity"], "warning");
    let legacy_evl = json["findings"].as_array().expect("list").iter().any(|f| {
        f["file"].as_str().is_some_and(|p| p.contains("legacy"))
            && f["rule"].as_str().is_some_and(|r| r.starts_with("EVL"))
    });
    assert!(!legacy_evl, "EVL is ignored under courses/legacy");
    assert!(json["findings"]
        .as_array()
        .expect("list")
        .iter()
        .any(|f| f["file"].as_str().is_some_and(|p| p.contains("legacy"))));
}

#[test]
fn flags_win_over_the_file() {
    let dir = project("paths = [\"courses/legacy\"]\nfail_on = \"never\"\n");
    let (json, code) = audit(
        dir.path(),
        &["--fail-on", "error", "courses/fs-english-l2-blended.yaml"],
    );
    assert_eq!(
        json["documents"].as_array().expect("list").len(),
        1,
        "the path flag replaces `paths`"
    );
    assert_eq!(code, 0);
    let (_, code) = audit(dir.path(), &["--fail-on", "error"]);
    assert_eq!(code, 1, "--fail-on error beats fail_on = never");
    let (_, code) = audit(dir.path(), &["--no-config", "courses"]);
    assert_eq!(code, 1);
}

#[test]
fn unknown_keys_and_unknown_rules_are_errors_with_a_location() {
    let dir = project("paths = [\"courses\"]\nfail-on = \"never\"\n");
    let output = blcheck()
        .current_dir(dir.path())
        .arg("audit")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("blcheck.toml:2:1") && stderr.contains("fail-on"),
        "{stderr}"
    );
    let dir = project("[rules.BLP002]\nparams = { max_days = 3 }\n");
    let output = blcheck()
        .current_dir(dir.path())
        .args(["audit", "courses"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("blcheck.toml:2:23: BLP002 has no parameter 'max_days'"),
        "{stderr}"
    );
    let dir = project("[rules.XYZ999]\nseverity = \"off\"\n");
    blcheck()
        .current_dir(dir.path())
        .args(["audit", "courses"])
        .assert()
        .code(2);
}

#[test]
fn an_explicit_config_file_is_used() {
    let dir = project("");
    fs::write(dir.path().join("strict.toml"), "fail_on = \"warning\"\n").expect("write");
    let (_, code) = audit(dir.path(), &["courses/fs-english-l2-blended.yaml"]);
    assert_eq!(code, 0, "only a POL001 warning");
    let (_, code) = audit(
        dir.path(),
        &[
            "--config",
            "strict.toml",
            "courses/fs-english-l2-blended.yaml",
        ],
    );
    assert_eq!(code, 1, "fail_on = warning from strict.toml");
    let (_, code) = audit(dir.path(), &["--config", "missing.toml", "courses"]);
    assert_eq!(code, 2);
}

/// `blcheck audit courses --format markdown` in `dir`.
fn markdown(dir: &std::path::Path) -> String {
    let output = blcheck()
        .current_dir(dir)
        .args([
            "audit",
            "courses",
            "--as-of",
            "2025-11-01",
            "--format",
            "markdown",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The rule cells of the findings table.
fn rule_cells(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .skip_while(|l| !l.starts_with("| Rule |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split(" | ").next())
        .map(|cell| cell.trim_start_matches("| ").to_string())
        .collect()
}

#[test]
fn markdown_links_rules_to_docs_url_or_says_how_to_explain_them() {
    let headings = fs::read_to_string(root().join("docs/rules.md")).expect("docs/rules.md");
    // Without docs_url: no link at all, which would point nowhere in a
    // course repository or a pull-request comment.
    let dir = project("");
    let plain = markdown(dir.path());
    let cells = rule_cells(&plain);
    assert!(cells.len() > 5, "{plain}");
    assert!(
        !plain.contains("](") && !plain.contains("docs/rules.md"),
        "{plain}"
    );
    for cell in &cells {
        let id = cell.split(' ').next().expect("an id");
        assert!(
            cell.ends_with(&format!("(`blcheck explain {id}`)")),
            "{cell}"
        );
    }
    // With it: each id links to its heading there, by GitHub's anchor.
    let url = "https://example.org/blcheck/docs/rules.md";
    let dir = project(&format!("docs_url = \"{url}\"\n"));
    let linked = markdown(dir.path());
    let cells = rule_cells(&linked);
    assert!(cells.len() > 5, "{linked}");
    for cell in &cells {
        let id = cell
            .strip_prefix('[')
            .and_then(|c| c.split(']').next())
            .unwrap_or_else(|| panic!("a link in {cell}"));
        assert!(
            cell.starts_with(&format!("[{id}](<{url}#{}>) ", id.to_lowercase())),
            "{cell}"
        );
        // The anchor GitHub gives the heading `## BLP001` is `#blp001`.
        assert!(
            headings.lines().any(|l| l == format!("## {id}")),
            "docs/rules.md has no heading for {id}"
        );
    }
    assert!(!linked.contains("](docs/"), "{linked}");
}

/// markdown-it, which `.ci/install-tools` installs; `None` (and the check is
/// skipped, saying so) only outside CI, where it may not have been run.
fn markdown_it() -> Option<std::path::PathBuf> {
    let path = root().join(".ci/tools/markdown/node_modules/markdown-it");
    super::support::installed(path.join("package.json")).map(|_| path)
}

/// What a CommonMark reader with GFM tables (markdown-it) makes of
/// `markdown`: every link as `[text, href]`, and the cell count of each row
/// of the last table.
fn read_back(markdown: &str, parser: &std::path::Path) -> serde_json::Value {
    use std::io::Write;
    use std::process::{Command, Stdio};
    const SCRIPT: &str = r#"
const md = require(process.argv[1])("commonmark").enable("table");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const tokens = md.parse(input, {});
  const links = [];
  const rows = [];
  const walk = (list) => {
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      if (t.type === "tr_open") rows.push(0);
      if (t.type === "td_open" || t.type === "th_open") rows[rows.length - 1]++;
      if (t.type === "link_open") links.push([list[i + 1].content, t.attrGet("href")]);
      if (t.children) walk(t.children);
    }
  };
  walk(tokens);
  process.stdout.write(JSON.stringify({ links, rows }));
});
"#;
    let mut child = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(parser)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(markdown.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("node ends");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn markdown_links_and_tables_read_back_whole_in_a_commonmark_reader() {
    let Some(parser) = markdown_it() else {
        return;
    };
    // Parentheses in the address cannot end the link.
    let url = "https://example.org/docs(v2)/rules.md";
    let dir = project(&format!("docs_url = \"{url}\"\n"));
    let linked = markdown(dir.path());
    let read = read_back(&linked, &parser);
    let links = read["links"].as_array().expect("links");
    let cells = rule_cells(&linked);
    assert_eq!(links.len(), cells.len(), "{read}");
    for link in links {
        let id = link[0].as_str().expect("text");
        assert_eq!(link[1], format!("{url}#{}", id.to_lowercase()), "{read}");
    }
    // Every row of the documents table has its four cells, every row of
    // the findings table its six.
    let rows: Vec<u64> = read["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|n| n.as_u64())
        .collect();
    let documents = rows.iter().take_while(|n| **n == 4).count();
    assert!(documents > 1, "{read}");
    assert_eq!(rows[documents..], vec![6; cells.len() + 1], "{read}");
    let plain = read_back(&markdown(project("").path()), &parser);
    assert_eq!(plain["links"], serde_json::json!([]), "{plain}");
}
