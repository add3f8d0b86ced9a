//! Every report-writing command that the README and the CI, renewals,
//! maturity and output docs show is run as written, in a scratch course
//! repository laid out like a user's (`courses/`, `plans/`, `register/`,
//! `self-assessment.yaml`, and the shipped `fixtures/`), and each report it
//! writes is checked to hold the format that the command line asks for —
//! by the documented rule, not by asking blcheck: an `--output` belongs to
//! the `--format` before it, else its extension names the format, and the
//! one format left over goes to standard output.

use super::support::{assert_format, root};
use std::fs;
use std::path::Path;

/// The documents whose command lines are run; each must show at least one.
const DOCS: [&str; 5] = [
    "README.md",
    "docs/ci.md",
    "docs/renewals.md",
    "docs/maturity.md",
    "docs/output.md",
];

/// The commands whose reports are checked.
const REPORT_COMMANDS: [&str; 5] = ["audit", "baseline", "renewals", "maturity", "rules"];

/// Command lines in fenced code blocks: `blcheck …` after an optional
/// prompt (`$ `), list marker (`- `) or `run: `, with `\` continuations
/// joined.
fn command_lines(markdown: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_block = false;
    let mut pending: Option<String> = None;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let text = line.trim();
        if let Some(mut command) = pending.take() {
            command.push(' ');
            command.push_str(text.trim_end_matches('\\').trim());
            if text.ends_with('\\') {
                pending = Some(command);
            } else {
                commands.push(command);
            }
            continue;
        }
        let text = ["$ ", "- ", "run: "]
            .iter()
            .fold(text, |t, prefix| t.strip_prefix(prefix).unwrap_or(t));
        let is_report_command = REPORT_COMMANDS
            .iter()
            .any(|c| text.starts_with(&format!("blcheck {c} ")) || text == format!("blcheck {c}"));
        if !is_report_command {
            continue;
        }
        if let Some(start) = text.strip_suffix('\\') {
            pending = Some(start.trim().to_string());
        } else {
            commands.push(text.to_string());
        }
    }
    commands
}

/// What each destination of a command line should hold, by the documented
/// pairing: `(file or "-" for stdout, format)`.
fn expected_reports(command: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let subcommand = words.get(1).copied().unwrap_or_default();
    let mut reports = Vec::new();
    let mut waiting: Option<String> = None;
    let mut i = 0;
    let mut redirect: Option<String> = None;
    while i < words.len() {
        match words[i] {
            "--format" => {
                if let Some(format) = waiting.take() {
                    reports.push(("-".to_string(), format));
                }
                waiting = words.get(i + 1).map(|w| w.to_string());
                i += 1;
            }
            "--output" => {
                let file = words.get(i + 1).copied().unwrap_or_default();
                let format = waiting
                    .take()
                    .unwrap_or_else(|| format_of_extension(subcommand, file));
                reports.push((file.to_string(), format));
                i += 1;
            }
            ">" | ">>" => {
                redirect = words.get(i + 1).map(|w| w.trim_matches('"').to_string());
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(format) = waiting {
        reports.push(("-".to_string(), format));
    }
    if reports.is_empty() {
        reports.push(("-".to_string(), "table".to_string()));
    }
    if let Some(file) = redirect {
        for report in &mut reports {
            if report.0 == "-" {
                report.0 = file.clone();
            }
        }
    }
    reports
}

fn format_of_extension(subcommand: &str, file: &str) -> String {
    let extension = Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    match (subcommand, extension) {
        (_, "json") => "json",
        ("audit", "sarif") => "sarif",
        ("audit", "xml") => "junit",
        (_, "md") => "markdown",
        (_, "csv") => "csv",
        ("audit", "html") => "html",
        ("renewals", "ics") => "ics",
        (_, "xlsx") => "xlsx",
        (_, "txt") => "table",
        _ => panic!("{file}: the docs name no format for this extension"),
    }
    .to_string()
}

/// A course repository as the docs assume one.
fn scratch_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (from, to) in [
        ("fixtures/courses", "courses"),
        ("fixtures/plans", "plans"),
        ("fixtures/policies", "register"),
    ] {
        copy_dir(&root().join(from), &dir.path().join(to));
    }
    fs::copy(
        root().join("fixtures/maturity/mixed.yaml"),
        dir.path().join("self-assessment.yaml"),
    )
    .expect("copy");
    std::os::unix::fs::symlink(root().join("fixtures"), dir.path().join("fixtures"))
        .expect("link the fixtures");
    fs::create_dir(dir.path().join("public")).expect("mkdir");
    // The baseline the CI recipe commits.
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("blcheck"))
        .current_dir(dir.path())
        .args(["baseline", "courses/", "--output", "blcheck-baseline.json"])
        .output()
        .expect("blcheck runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixtures") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn every_documented_report_command_writes_what_it_says() {
    let binary = assert_cmd::cargo::cargo_bin("blcheck");
    let bin_dir = binary.parent().expect("the binary's folder");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for doc in DOCS {
        let text = fs::read_to_string(root().join(doc)).expect("the doc");
        let commands = command_lines(&text);
        assert!(!commands.is_empty(), "{doc}: no blcheck command found");
        for command in commands {
            let dir = scratch_repository();
            let summary = dir.path().join("step-summary.md");
            let output = std::process::Command::new("sh")
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("HOME", dir.path())
                .env("GITHUB_STEP_SUMMARY", &summary)
                .env_remove("NO_COLOR")
                .arg("-c")
                .arg(&command)
                .output()
                .expect("sh runs");
            let code = output.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "{doc}: `{command}` exited {code:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            for (file, format) in expected_reports(&command) {
                let (bytes, what) = if file == "-" {
                    (
                        output.stdout.clone(),
                        format!("{doc}: stdout of `{command}`"),
                    )
                } else {
                    let written = if file == "$GITHUB_STEP_SUMMARY" {
                        summary.clone()
                    } else {
                        dir.path().join(&file)
                    };
                    let bytes = fs::read(&written)
                        .unwrap_or_else(|e| panic!("{doc}: `{command}` did not write {file}: {e}"));
                    (bytes, format!("{doc}: {file} of `{command}`"))
                };
                assert_format(&bytes, &format, &what);
            }
            ran += 1;
        }
    }
    assert!(ran >= 10, "only {ran} documented commands found");
}

/// The `sh` blocks of `section` of a Markdown document: every `blcheck`
/// line, in order.
fn section_commands(markdown: &str, section: &str) -> Vec<String> {
    let start = markdown
        .find(section)
        .unwrap_or_else(|| panic!("no section {section}"));
    let rest = &markdown[start + section.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let mut commands = Vec::new();
    let mut in_sh = false;
    for line in rest[..end].lines() {
        let text = line.trim();
        if text.starts_with("```") {
            in_sh = !in_sh && text == "```sh";
            continue;
        }
        if in_sh && text.starts_with("blcheck ") {
            commands.push(text.to_string());
        }
    }
    commands
}

#[test]
fn the_adoption_recipe_runs_step_by_step() {
    let text = fs::read_to_string(root().join("docs/ci.md")).expect("the doc");
    let commands = section_commands(&text, "## Adopting blcheck on an existing catalogue");
    assert!(commands.len() >= 7, "{commands:?}");
    let binary = assert_cmd::cargo::cargo_bin("blcheck");
    let path = format!(
        "{}:{}",
        binary.parent().expect("folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // A repository without a baseline yet: the recipe writes it.
    let dir = scratch_repository();
    fs::remove_file(dir.path().join("blcheck-baseline.json")).expect("remove");
    let mut codes = Vec::new();
    for command in &commands {
        let output = std::process::Command::new("sh")
            .current_dir(dir.path())
            .env("PATH", &path)
            .arg("-c")
            .arg(command)
            .output()
            .expect("sh runs");
        let code = output.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "`{command}` exited {code:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        codes.push((command.clone(), code));
    }
    // On the day of adoption the gate passes: every failure is known.
    for (command, code) in &codes {
        if command.contains("--baseline") || command.starts_with("blcheck diff") {
            assert_eq!(*code, Some(0), "`{command}`");
        }
    }
    let baseline: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("blcheck-baseline.json")).expect("the baseline"),
    )
    .expect("JSON");
    assert!(!baseline["entries"].as_array().expect("entries").is_empty());
    let comment = fs::read_to_string(dir.path().join("comment.md")).expect("the comment");
    assert!(
        comment.starts_with("## blcheck diff: ✅ nothing new fails"),
        "{comment}"
    );
    let trend = fs::read_to_string(dir.path().join("trend.md")).expect("the trend");
    assert!(trend.contains("| sts\\-blended\\-learning |"), "{trend}");
}

#[test]
fn the_pairing_oracle_reads_a_recipe_as_the_docs_say() {
    assert_eq!(
        expected_reports(
            "blcheck audit courses/ --format github --format sarif --output a.sarif --format markdown --output a.md"
        ),
        [("-", "github"), ("a.sarif", "sarif"), ("a.md", "markdown")]
            .map(|(f, k)| (f.to_string(), k.to_string()))
    );
    assert_eq!(
        expected_reports(
            "blcheck renewals register/ --format markdown >> \"$GITHUB_STEP_SUMMARY\""
        ),
        [("$GITHUB_STEP_SUMMARY".to_string(), "markdown".to_string())]
    );
    assert_eq!(
        command_lines("```sh\n$ blcheck audit a \\\n  --format json\nblcheck explain X\n```\n"),
        ["blcheck audit a --format json"]
    );
}
