//! Running the binary from the repository root.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `blcheck` with the repository root as the current directory, so file
/// names in the output are relative like a user's would be; NO_COLOR unset
/// and colour off, so output is the same in every environment.
pub fn blcheck() -> Command {
    let mut cmd = Command::cargo_bin("blcheck").expect("the blcheck binary is built");
    cmd.current_dir(root()).env_remove("NO_COLOR");
    cmd
}

/// Runs `blcheck audit ARGS --format json` and parses the report.
pub fn audit_json(args: &[&str]) -> (serde_json::Value, i32) {
    audit_json_in(&root(), args)
}

/// [`audit_json`] with `cwd` as the current directory.
pub fn audit_json_in(cwd: &std::path::Path, args: &[&str]) -> (serde_json::Value, i32) {
    let output = blcheck()
        .current_dir(cwd)
        .arg("audit")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("blcheck runs");
    let code = output.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); exit {code}; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (json, code)
}

/// Runs `blcheck ARGS` in `dir`: its exit code, standard output and
/// standard error (both UTF-8, as blcheck always writes).
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = blcheck()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("blcheck runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

/// Runs `blcheck ARGS --format json` from the repository root, which must
/// succeed (exit 0), and parses what it prints.
pub fn json_of(args: &[&str]) -> serde_json::Value {
    let output = blcheck()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("blcheck runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// The JSON file at `path`, parsed.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
}

/// Writes `text` to `name` (a relative path) under `dir`, making the
/// folders on the way, as a user saving a new file would.
pub fn write_file(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Copies the files directly in `from` (not its folders) into `to`, made
/// when missing.
pub fn copy_files(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}

/// `(rule, status, line:column)` of every finding.
pub fn findings(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["status"].as_str().unwrap_or_default().to_string(),
                format!("{}:{}", f["line"], f["column"]),
            )
        })
        .collect()
}

/// The names of the files in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.expect("readable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Fails unless `bytes` are a report in `format` (a `--format` name of
/// audit, renewals, maturity or rules), as that format's reader would take
/// it: JSON and SARIF parse, JUnit is XML under `<testsuites>`, and so on.
/// `what` names the file in the message.
pub fn assert_format(bytes: &[u8], format: &str, what: &str) {
    let text = String::from_utf8_lossy(bytes);
    let head: String = text.chars().take(120).collect();
    let ok = match format {
        "json" => serde_json::from_slice::<serde_json::Value>(bytes)
            .is_ok_and(|v| v["format_version"] == 1 && v.get("runs").is_none()),
        "sarif" => serde_json::from_slice::<serde_json::Value>(bytes)
            .is_ok_and(|v| v["version"] == "2.1.0" && v["runs"].is_array()),
        "junit" => text.starts_with("<?xml") && xml_root(bytes).as_deref() == Some("testsuites"),
        "gitlab" => serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|v| {
            v.as_array().is_some_and(|issues| {
                issues.iter().all(|i| {
                    i["check_name"].is_string()
                        && i["fingerprint"].is_string()
                        && i["location"]["lines"]["begin"].is_u64()
                })
            })
        }),
        "github" => text
            .lines()
            .filter(|l| !l.is_empty())
            .all(|l| l.starts_with("::")),
        "markdown" => text.starts_with('#'),
        "csv" => csv::Reader::from_reader(bytes).headers().is_ok_and(|h| {
            h.len() > 3
                && (h.get(0) == Some("file")
                    || h.get(0) == Some("id")
                    || h.get(0) == Some("document"))
        }),
        "html" => text.starts_with("<!DOCTYPE html>"),
        "xlsx" => {
            use calamine::Reader;
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).is_ok_and(|book| {
                let names = book.sheet_names();
                names
                    .first()
                    .is_some_and(|n| n == "Summary" || n == "Renewals")
            })
        }
        "table" => text.starts_with('┌') || text.starts_with("Rule") || text.contains("│"),
        "ics" => {
            text.starts_with("BEGIN:VCALENDAR\r\n") && text.trim_end().ends_with("END:VCALENDAR")
        }
        other => panic!("assert_format: no check for the format {other}"),
    };
    assert!(ok, "{what} should hold {format}, but begins: {head:?}");
}

fn xml_root(bytes: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let name = e.name();
                return Some(name.into_inner().to_owned());
            }
            quick_xml::events::Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// An external tool `.ci/install-tools` installs, at `path`: `None` (and
/// the check that needs it is skipped, saying so on stderr) only outside
/// CI, where a developer may not have run the script; in CI its absence
/// fails the test.
pub fn installed(path: PathBuf) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: .ci/run installs it with .ci/install-tools",
        path.display()
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipping: run .ci/install-tools for the check that needs {}",
        path.display()
    );
    None
}
