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
