//! A real editor's LSP client: Neovim's, headless, drives `blcheck lsp`
//! (tests/editors/neovim.lua) on a course file; what the editor shows is
//! what `blcheck audit` reports. Neovim is Debian's `neovim`, installed by
//! `.ci/install-tools`; where it is missing (outside CI) the test says so
//! and checks nothing.

use super::support::{audit_json_in, installed, root};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn neovim_shows_the_audit_s_findings_and_the_rule_on_hover() {
    let Some(nvim) = installed(PathBuf::from("/usr/bin/nvim")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("course.yaml");
    std::fs::copy(
        root().join("fixtures/courses/digital-marketer-l3-online.yaml"),
        &course,
    )
    .unwrap();
    let out = dir.path().join("editor.json");
    let status = Command::new(nvim)
        .args(["--headless", "--clean", "-c"])
        .arg(format!(
            "luafile {}",
            root().join("tests/editors/neovim.lua").display()
        ))
        .env("BLCHECK_BIN", env!("CARGO_BIN_EXE_blcheck"))
        .env("BLCHECK_ROOT", dir.path())
        .env("BLCHECK_FILE", &course)
        .env("BLCHECK_AS_OF", "2025-11-01")
        .env("BLCHECK_OUT", &out)
        .env("HOME", dir.path())
        .status()
        .expect("nvim runs");
    assert!(status.success());
    let editor: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(editor["errors"], serde_json::json!([]), "{editor}");
    assert_eq!(editor["stopped"], true, "{editor}");
    let mut shown: Vec<(String, u64, u64)> = editor["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["source"], "blcheck");
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    shown.sort();
    let (report, _) = audit_json_in(dir.path(), &["--as-of", "2025-11-01"]);
    let mut audited: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "course.yaml")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    audited.sort();
    assert!(!audited.is_empty());
    assert_eq!(shown, audited);
    let hover = editor["hover"].as_str().unwrap_or_default();
    assert!(hover.contains("How to fix"), "{editor}");
}
