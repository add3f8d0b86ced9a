//! A real editor's LSP client: Neovim's, headless, drives `blcheck lsp`
//! (tests/editors/neovim.lua) on a course file; what the editor shows is
//! what `blcheck audit` reports. Neovim is Debian's `neovim`, installed by
//! `.ci/install-tools`; where it is missing (outside CI) the test says so
//! and checks nothing. Zed's extension (editors/zed) is checked as far as
//! it can be without Zed.

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

/// Zed's extension (editors/zed) cannot run here: there is no Zed, and no
/// WebAssembly target to link it. What can be checked without them is that
/// its manifest says what docs/editors.md relies on, and that the code
/// starts the server the manifest registers (CI also runs the extension's
/// own unit tests, `cargo test --manifest-path editors/zed/Cargo.toml`).
#[test]
fn the_zed_extension_registers_the_server_its_code_starts_for_yaml() {
    let extension = root().join("editors/zed");
    let manifest = read_toml(&extension.join("extension.toml"));
    assert_eq!(manifest["id"].as_str(), Some("blcheck"));
    assert_eq!(manifest["schema_version"].as_integer(), Some(1));
    let servers = manifest["language_servers"]
        .as_table()
        .expect("[language_servers.ID] tables");
    let ids: Vec<&str> = servers.keys().map(String::as_str).collect();
    assert_eq!(ids, [zed_server_id()]);
    let server = &servers[zed_server_id()];
    assert!(server["name"].as_str().is_some_and(|n| !n.is_empty()));
    let languages: Vec<&str> = server["languages"]
        .as_array()
        .expect("languages = [...]")
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    assert!(languages.contains(&"YAML"), "{languages:?}");

    let crate_manifest = read_toml(&extension.join("Cargo.toml"));
    assert_eq!(
        crate_manifest["lib"]["crate-type"].as_array().unwrap(),
        &[toml::Value::from("cdylib")]
    );
    assert!(crate_manifest["dependencies"]
        .get("zed_extension_api")
        .is_some());
    // Its own workspace, so blcheck's `cargo test` neither builds it nor
    // shares a lock file with it.
    assert!(crate_manifest.get("workspace").is_some());
    let lock =
        std::fs::read_to_string(extension.join("Cargo.lock")).expect("Cargo.lock is committed");
    assert!(lock.contains("name = \"zed_extension_api\""));
}

/// The settings docs/editors.md shows for Zed are JSON, and they turn on the
/// server the extension registers beside the YAML language server.
#[test]
fn the_zed_settings_in_the_docs_name_the_extension_s_server() {
    let docs = std::fs::read_to_string(root().join("docs/editors.md")).unwrap();
    let zed = &docs[docs.find("### Zed\n").expect("a Zed section")..];
    let json = zed
        .split("```json\n")
        .nth(1)
        .and_then(|block| block.split("```").next())
        .expect("a JSON block in the Zed section");
    let settings: Value = serde_json::from_str(json).expect("the Zed settings are JSON");
    let servers = settings["languages"]["YAML"]["language_servers"]
        .as_array()
        .expect("languages.YAML.language_servers");
    assert!(
        servers.contains(&Value::from(zed_server_id())),
        "{servers:?}"
    );
    assert!(servers.contains(&Value::from("yaml-language-server")));
    assert!(settings["lsp"].get(zed_server_id()).is_some(), "{settings}");
}

/// The id editors/zed/src/lib.rs starts (`const SERVER_ID`).
fn zed_server_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let code = std::fs::read_to_string(root().join("editors/zed/src/lib.rs")).unwrap();
        code.lines()
            .find_map(|line| line.strip_prefix("const SERVER_ID: &str = \""))
            .and_then(|rest| rest.strip_suffix("\";"))
            .expect("editors/zed/src/lib.rs declares const SERVER_ID")
            .to_string()
    })
}

fn read_toml(path: &std::path::Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
