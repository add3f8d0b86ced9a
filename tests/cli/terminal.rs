//! The table in a terminal: colours by status, plain when asked, under
//! NO_COLOR or in a pipe, and rows that wrap inside their cells at the
//! terminal's width. A real pseudo-terminal comes from util-linux `script`.

use super::support::{audit_json, blcheck, root};
use std::process::Command;

const ESC: char = '\u{1b}';
const RED: &str = "\u{1b}[38;5;9m";
const GREEN: &str = "\u{1b}[38;5;10m";
const YELLOW: &str = "\u{1b}[38;5;11m";
const CYAN: &str = "\u{1b}[38;5;14m";
const DIM: &str = "\u{1b}[2m";

fn piped(args: &[&str]) -> String {
    let output = blcheck()
        .args(["audit", "fixtures/courses", "--as-of", "2025-11-01"])
        .args(args)
        .output()
        .expect("runs");
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// `blcheck audit fixtures/courses ARGS` in a terminal `columns` wide, with
/// `env` set; what the terminal received, line ends as `\n`.
fn in_terminal(columns: u16, env: &[(&str, &str)], args: &str) -> String {
    run_in_terminal(
        columns,
        env,
        &format!("audit fixtures/courses --as-of 2025-11-01 {args}"),
    )
}

/// `blcheck COMMAND_LINE` in a terminal `columns` wide, with `env` set.
fn run_in_terminal(columns: u16, env: &[(&str, &str)], command_line: &str) -> String {
    run_in_terminal_at(&root(), columns, env, command_line)
}

/// [`run_in_terminal`] with `cwd` as the current directory.
fn run_in_terminal_at(
    cwd: &std::path::Path,
    columns: u16,
    env: &[(&str, &str)],
    command_line: &str,
) -> String {
    let binary = assert_cmd::cargo::cargo_bin("blcheck");
    let mut command = Command::new("script");
    command
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .args(["-qec"])
        .arg(format!(
            "stty cols {columns} rows 50; exec '{}' {command_line}",
            binary.display()
        ))
        .arg("/dev/null");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("util-linux script runs");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .replace("\r\n", "\n")
}

/// A line as wide as it shows: escape sequences take no room.
fn shown_width(line: &str) -> usize {
    let mut width = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            width += 1;
        }
    }
    width
}

fn table_lines(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
        .collect()
}

#[test]
fn table_colours_fail_red_warning_yellow_waived_cyan_pass_green_skip_dim() {
    let out = piped(&["--color", "always"]);
    let line = |rule: &str| {
        out.lines()
            .find(|l| l.contains(&format!(" {rule} ")))
            .unwrap_or_else(|| panic!("{rule} row in {out}"))
    };
    // BLP001 fails with severity error; BLP011 with warning; BLP013 is waived.
    assert!(line("BLP001").contains(&format!("{RED} error")), "{out}");
    assert!(line("BLP001").contains(&format!("{RED} fail")), "{out}");
    assert!(line("BLP011").contains(&format!("{YELLOW} fail")), "{out}");
    assert!(line("BLP013").contains(&format!("{CYAN} waived")), "{out}");
    let summary = out
        .lines()
        .find(|l| l.contains("audited as of"))
        .expect("summary");
    assert!(summary.contains(&format!("{GREEN}4 passed")), "{summary}");
    assert!(summary.contains(&format!("{RED}2 failed")), "{summary}");
    assert!(
        summary.contains(&format!("{YELLOW}6 warnings")),
        "{summary}"
    );
    assert!(summary.contains(&format!("{CYAN}1 waived")), "{summary}");
    assert!(
        summary.contains(&format!("{DIM}1 file without a blcheck document skipped")),
        "{summary}"
    );
    assert!(out.contains(&format!("{YELLOW}overdue")), "{out}");
}

#[test]
fn colour_in_a_terminal_unless_never_or_no_color_and_never_in_a_pipe() {
    assert!(
        in_terminal(200, &[], "").contains(RED),
        "a terminal gets colour"
    );
    assert!(!in_terminal(200, &[], "--color never").contains(ESC));
    assert!(!in_terminal(200, &[("NO_COLOR", "1")], "").contains(ESC));
    assert!(in_terminal(200, &[("NO_COLOR", "1")], "--color always").contains(RED));
    assert!(!piped(&[]).contains(ESC), "a pipe is plain");
}

#[test]
fn tables_wrap_inside_their_cells_at_the_terminal_width() {
    for columns in [60, 80, 100, 140, 200] {
        let out = in_terminal(columns, &[], "--color always");
        let lines = table_lines(&out);
        assert!(lines.len() > 10, "{out}");
        for line in &lines {
            assert!(
                shown_width(line) <= usize::from(columns),
                "{columns} columns: {line:?}"
            );
        }
        // Every row of the table is whole: it ends with the table's border.
        for line in lines {
            assert!(
                line.ends_with(['┐', '│', '╡', '┤', '┘']),
                "{columns} columns: {line:?}"
            );
        }
        // A column each when there is room for it; then location and
        // document sharing a column; then one finding to a cell.
        let header = out.lines().find(|l| l.starts_with('│')).unwrap_or_default();
        let wide = header.contains("┆ Document ") && header.contains("┆ Severity ");
        let paired = header.starts_with("│ Location / Document ");
        let stacked = header.starts_with("│ Finding ");
        assert!(wide || paired || stacked, "{header}");
        assert_eq!(wide, columns >= 160, "{columns}: {header}");
        assert_eq!(stacked, columns < 109, "{columns}: {header}");
    }
}

/// Every finding's `file:line:column` and rule id in the JSON report.
fn locations_and_rules() -> Vec<(String, String)> {
    let (json, _) = audit_json(&["fixtures/courses", "--as-of", "2025-11-01"]);
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                format!(
                    "{}:{}:{}",
                    f["file"].as_str().expect("file"),
                    f["line"],
                    f["column"]
                ),
                f["rule"].as_str().expect("rule").to_string(),
            )
        })
        .collect()
}

#[test]
fn locations_and_rule_ids_are_never_broken_across_lines() {
    let expected = locations_and_rules();
    assert!(expected.len() > 10, "{expected:?}");
    for columns in [60, 70, 80, 90, 100, 108, 109, 120, 140, 159, 160, 200] {
        let out = in_terminal(columns, &[], "--color never");
        // A location or rule id whole on a line, and in a table row.
        let whole = |text: &str| {
            table_lines(&out)
                .iter()
                .any(|l| l.split([' ', '│', '┆']).any(|word| word == text))
        };
        for (location, rule) in &expected {
            assert!(whole(location), "{columns} columns: {location} in\n{out}");
            assert!(whole(rule), "{columns} columns: {rule} in\n{out}");
        }
    }
}

#[test]
fn a_location_too_long_for_the_terminal_breaks_only_after_a_slash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folders =
        "a-long-directory-name-for-the-course-catalogue/another-long-directory-of-courses";
    std::fs::create_dir_all(dir.path().join(folders)).expect("mkdir");
    std::fs::copy(
        root().join("fixtures/courses/digital-marketer-l3-online.yaml"),
        dir.path()
            .join(folders)
            .join("digital-marketer-l3-online.yaml"),
    )
    .expect("copy");
    let out = run_in_terminal_at(
        dir.path(),
        60,
        &[],
        "audit . --as-of 2025-11-01 --color never",
    );
    let cells: Vec<&str> = table_lines(&out)
        .iter()
        .map(|l| l.trim_matches(['│', ' ']))
        .collect();
    for line in table_lines(&out) {
        assert!(shown_width(line) <= 60, "{line:?}");
    }
    // Each directory and the file name whole, a line each, in order.
    let pieces = [
        "a-long-directory-name-for-the-course-catalogue/",
        "another-long-directory-of-courses/",
        "digital-marketer-l3-online.yaml:20:7",
    ];
    let first = cells
        .iter()
        .position(|c| *c == pieces[0])
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(cells[first..first + 3], pieces, "{out}");
}

#[test]
fn a_pipe_gets_the_same_bytes_whatever_the_terminal() {
    let one = blcheck()
        .args(["audit", "fixtures/courses", "--as-of", "2025-11-01"])
        .env("COLUMNS", "60")
        .output()
        .expect("runs")
        .stdout;
    let two = blcheck()
        .args(["audit", "fixtures/courses", "--as-of", "2025-11-01"])
        .env("COLUMNS", "250")
        .output()
        .expect("runs")
        .stdout;
    assert_eq!(one, two);
}

#[test]
fn the_renewals_table_pairs_its_columns_in_a_narrow_terminal() {
    for columns in [60, 80, 100, 140, 200] {
        let out = run_in_terminal(columns, &[], "renewals --as-of 2025-11-01 --color never");
        let lines = table_lines(&out);
        assert!(lines.len() > 5, "{out}");
        for line in &lines {
            assert!(
                shown_width(line) <= usize::from(columns),
                "{columns} columns: {line:?}"
            );
        }
        // A column each when the title and owner get 20 characters beside
        // the rest whole (132 columns for the built-in policies); else the
        // columns pair up, two lines to a cell.
        let header = out.lines().find(|l| l.starts_with('│')).unwrap_or_default();
        let wide = header.contains("┆ Title ") && header.contains("┆ Owner ");
        assert!(wide || header.contains("┆ Id / Title "), "{header}");
        assert_eq!(wide, columns >= 132, "{columns}: {header}");
        if columns >= 80 {
            // Ids and statuses stay whole.
            assert!(out.contains("sts-blended-learning "), "{out}");
            assert!(out.contains("22 days overdue "), "{out}");
        }
    }
}

/// A character that a terminal would obey, or that reorders the text
/// around it: C0 but line breaks, DEL, C1, bidi controls.
fn obeyed(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` without blcheck's own colour codes (`ESC[…m`).
fn without_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("\u{1b}[") {
        out.push_str(&rest[..start]);
        let tail = &rest[start + 2..];
        match tail.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(end) if tail[end..].starts_with('m') => rest = &tail[end + 1..],
            _ => {
                out.push_str("\u{1b}[");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A policy whose title and version hold a hyperlink escape, a bell, a
/// screen clear and a right-to-left override, overdue so that POL001 and
/// the summary both quote them.
const HOSTILE_POLICY: &str = r#"
[policy]
id = "acme-hostile"
title = "Acme \u001b]8;;http://evil.example/\u0007hours\u202e"
version = "2.0\u001b[2J\u0007\u2066"
owner = "Head of Quality"
issued = 2024-01-01
renewal = 2025-01-01
history = [{ version = "2.0\u001b[2J\u0007\u2066", date = 2024-01-01, summary = "Hours" }]

[scope]
kinds = ["Course"]

[[rules]]
id = "ACM001"
name = "guided-hours"
title = "Guided \u001b[31mhours\u0007"
severity = "error"
clause = "Every course gives at least 900 guided learning hours."
help = "Raise delivery.guided_learning_hours."
params = { min_hours = 900 }
checks = [{ check = "at_least", path = "delivery.guided_learning_hours", limit = "min_hours" }]
"#;

#[test]
fn policy_text_reaches_no_terminal_raw() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("hostile.toml");
    std::fs::write(&policy, HOSTILE_POLICY).expect("write");
    let policy = policy.to_string_lossy().into_owned();
    let course = "fixtures/courses/forklift-safety-face-to-face.yaml";
    for format in ["table", "markdown", "github"] {
        for color in ["never", "always"] {
            let output = blcheck()
                .args([
                    "audit",
                    course,
                    "--as-of",
                    "2025-11-01",
                    "--policy",
                    &policy,
                ])
                .args(["--format", format, "--color", color])
                .output()
                .expect("runs");
            assert_eq!(output.status.code(), Some(1), "{output:?}");
            let stdout = without_sgr(&String::from_utf8_lossy(&output.stdout));
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!stdout.chars().any(obeyed), "{format}: {stdout}");
            assert!(!stderr.chars().any(obeyed), "{format}: {stderr}");
            // Shown, as visible escapes: the version in the summary or in
            // POL001's message, which quotes the title too.
            assert!(
                stdout.contains("2.0\\u{1b}[2J\\u{7}\\u{2066}")
                    || stdout.contains("2.0\\\\u\\{1b\\}"),
                "{format}: {stdout}"
            );
            assert!(
                stdout.contains("\\u{202e}") || stdout.contains("u\\{202e\\}"),
                "{format}: {stdout}"
            );
            assert!(stdout.contains("ACM001"), "{format}: {stdout}");
        }
    }
    // The catalogue shows the rule's title as the policy wrote it, escaped.
    for args in [
        &["explain", "ACM001"][..],
        &["explain", "guided-hours"],
        &["rules"],
        &["rules", "--format", "markdown"],
    ] {
        let output = blcheck()
            .args(args)
            .args(["--policy", &policy])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!stdout.chars().any(obeyed), "{args:?}: {stdout}");
        assert!(
            stdout.contains("Guided \\u{1b}[31mhours\\u{7}"),
            "{args:?}: {stdout}"
        );
    }
    // An invalid policy quoted in the error on stderr.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        HOSTILE_POLICY.replace(
            "name = \"guided-hours\"",
            "name = \"guided\\u001b[2J\\u0007\"",
        ),
    )
    .expect("write");
    let output = blcheck()
        .args(["audit", course, "--as-of", "2025-11-01", "--policy"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("guided\\u{1b}[2J\\u{7}"), "{stderr}");
    assert!(!stderr.chars().any(obeyed), "{stderr}");
}
