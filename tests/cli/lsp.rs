//! `blcheck lsp` driven as an editor drives it: a separate process on
//! stdin and stdout, messages framed by hand (no code of the server's),
//! on a workspace of course and plan files written to disk. Its diagnostics
//! are compared with `blcheck audit --format json` of the same files.

use super::support::{audit_json_in, blcheck, root};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const AS_OF: &str = "2025-11-01";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// The last diagnostics published for each file (relative name).
    diagnostics: BTreeMap<String, Vec<Value>>,
    root: PathBuf,
}

impl Client {
    /// A server started and initialized.
    fn start(root: &Path) -> Client {
        let mut client = Client::spawn(root);
        client.initialize();
        client
    }

    /// A server started, not yet initialized.
    fn spawn(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_blcheck"))
            .args(["lsp", "--as-of", AS_OF])
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("blcheck lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length")];
                out.read_exact(&mut body).unwrap();
                if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
            diagnostics: BTreeMap::new(),
            root: root.to_path_buf(),
        }
    }

    fn initialize(&mut self) {
        let init = self.request(
            "initialize",
            json!({"processId": null, "rootUri": self.uri(""), "capabilities": {}}),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "blcheck", "{init}");
        self.notify("initialized", json!({}));
    }

    fn uri(&self, file: &str) -> String {
        format!("file://{}", self.root.join(file).display())
            .trim_end_matches('/')
            .to_string()
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend(body);
        self.send_raw(&bytes);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its response, noting what comes before it.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.until(|m| m["id"] == id)
    }

    /// Reads messages until one satisfies `wanted` (two minutes at most: a
    /// loaded CI machine runs the tests of every binary at once).
    fn until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .expect("the server answers in time");
            if message["method"] == "textDocument/publishDiagnostics" {
                let uri = message["params"]["uri"].as_str().unwrap();
                let prefix = format!("{}/", self.uri(""));
                let file = uri.strip_prefix(&prefix).unwrap_or(uri).to_string();
                let list = message["params"]["diagnostics"].as_array().unwrap().clone();
                self.diagnostics.insert(file, list);
            }
            if wanted(&message) {
                return message;
            }
        }
    }

    /// Waits until the diagnostics of every file satisfy `settled`.
    fn settle(&mut self, settled: impl Fn(&BTreeMap<String, Vec<Value>>) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !settled(&self.diagnostics) {
            assert!(
                Instant::now() < deadline,
                "diagnostics never settled: {:#?}",
                self.diagnostics
            );
            // A request answered after everything before it was handled.
            self.request(
                "textDocument/hover",
                json!({
                    "textDocument": {"uri": self.uri("none.yaml")},
                    "position": {"line": 0, "character": 0}
                }),
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn open(&mut self, file: &str, text: &str) {
        let uri = self.uri(file);
        self.notify(
            "textDocument/didOpen",
            json!({
                "textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
            }),
        );
    }

    fn change(&mut self, file: &str, version: i64, text: &str) {
        let uri = self.uri(file);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}]
            }),
        );
    }

    fn finish(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        status.code().unwrap_or(-1)
    }
}

/// `(rule, line, column, severity-or-hint)` of each diagnostic, by file.
fn shown(
    diagnostics: &BTreeMap<String, Vec<Value>>,
) -> BTreeMap<String, Vec<(String, u64, u64, u64)>> {
    diagnostics
        .iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(file, list)| {
            let mut rows: Vec<_> = list
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap().to_string(),
                        d["range"]["start"]["line"].as_u64().unwrap() + 1,
                        d["range"]["start"]["character"].as_u64().unwrap() + 1,
                        d["severity"].as_u64().unwrap(),
                    )
                })
                .collect();
            rows.sort();
            (file.clone(), rows)
        })
        .collect()
}

/// The same, from `blcheck audit --format json` of the workspace.
fn audited(dir: &Path) -> BTreeMap<String, Vec<(String, u64, u64, u64)>> {
    let (report, _) = audit_json_in(dir, &["--as-of", AS_OF]);
    let mut out: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap();
        // A baseline's entry that matched nothing is for the summary, not
        // for a line of a file.
        if file.starts_with("built-in:") || f["status"] == "fixed" {
            continue;
        }
        let severity = match (
            f["status"].as_str().unwrap(),
            f["severity"].as_str().unwrap(),
        ) {
            ("waived" | "baselined", _) => 4,
            (_, "error") => 1,
            (_, "warning") => 2,
            _ => 3,
        };
        out.entry(file.to_string()).or_default().push((
            f["rule"].as_str().unwrap().to_string(),
            f["line"].as_u64().unwrap(),
            f["column"].as_u64().unwrap(),
            severity,
        ));
    }
    out.values_mut().for_each(|rows| rows.sort());
    out
}

/// A workspace as a course team keeps one: the ESOL course and its plans.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let plans = root().join("fixtures/plans");
    for entry in std::fs::read_dir(plans).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        root().join("fixtures/courses/fs-maths-l2-blended-waiver.yaml"),
        dir.path().join("maths.yaml"),
    )
    .unwrap();
    dir
}

#[test]
fn the_editor_shows_what_the_audit_reports_and_keeps_it_current() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    let expected = audited(dir.path());
    assert!(
        expected.values().map(Vec::len).sum::<usize>() >= 3,
        "{expected:#?}"
    );
    client.settle(|d| shown(d) == expected);

    // Ranges run from the finding's position to the end of its value.
    for list in client.diagnostics.values() {
        for d in list {
            let (start, end) = (&d["range"]["start"], &d["range"]["end"]);
            assert_eq!(start["line"], end["line"], "{d}");
            assert!(
                end["character"].as_u64() >= start["character"].as_u64(),
                "{d}"
            );
            assert_eq!(d["source"], "blcheck");
        }
    }

    // The course's id changed in the editor, not saved: every plan naming
    // it now names a missing course (DOC014), as an audit of that text would.
    let course = std::fs::read_to_string(dir.path().join("course.yaml")).unwrap();
    client.open("course.yaml", &course);
    let renamed = course.replace("id: ESOL-E3-JAN-2026", "id: ESOL-E3-RENAMED");
    client.change("course.yaml", 2, &renamed);
    let scratch = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, scratch.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(scratch.path().join("course.yaml"), &renamed).unwrap();
    let after = audited(scratch.path());
    assert!(
        after.values().flatten().any(|row| row.0 == "DOC014"),
        "{after:#?}"
    );
    client.settle(|d| shown(d) == after);

    // Undone: the plans' findings go back to what they were.
    client.change("course.yaml", 3, &course);
    client.settle(|d| shown(d) == expected);

    // Hover on a finding explains its rule.
    let (file, first) = client
        .diagnostics
        .iter()
        .find_map(|(f, l)| l.first().map(|d| (f.clone(), d.clone())))
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join(&file)).unwrap();
    client.open(&file, &text);
    let hover = client.request(
        "textDocument/hover",
        json!({
            "textDocument": {"uri": client.uri(&file)},
            "position": first["range"]["start"]
        }),
    );
    let shown_text = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        shown_text.contains(first["code"].as_str().unwrap()),
        "{hover}"
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn hostile_messages_are_answered_and_the_server_keeps_serving() {
    let dir = workspace();
    let mut client = Client::start(dir.path());
    client.send_raw(b"Content-Length: 7\r\n\r\n{nope!}");
    let refused = client.until(|m| m.get("error").is_some());
    assert_eq!(refused["error"]["code"], -32700);
    assert_eq!(refused["id"], Value::Null);
    let unknown = client.request("blcheck/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);
    // Not YAML, then 10 MB of it, then deleted while open.
    client.open("broken.yaml", "kind: Course\nid: [unclosed\n");
    client.settle(|d| d.get("broken.yaml").is_some_and(|l| !l.is_empty()));
    let big = format!(
        "kind: Course\nid: BIG\ntitle: {}\n",
        "x".repeat(10 * 1024 * 1024)
    );
    client.open("big.yaml", &big);
    client.settle(|d| d.contains_key("big.yaml"));
    std::fs::remove_file(dir.path().join("l1001-good.yaml")).unwrap();
    let uri = client.uri("l1001-good.yaml");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 3}]}),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let hover = client.request(
        "textDocument/hover",
        json!({
            "textDocument": {"uri": client.uri("course.yaml")},
            "position": {"line": 0, "character": 0}
        }),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    assert_eq!(client.finish(), 0);
}

/// Issue 20, item 7: a header whose length cannot be read leaves its body
/// undelimited; the server skips to the next `Content-Length:` and serves
/// the session to a clean end.
#[test]
fn after_a_header_without_a_length_the_next_message_is_served() {
    let dir = workspace();
    let mut client = Client::spawn(dir.path());
    client.send_raw(b"Content-Length: abc\r\n\r\n{}");
    client.initialize();
    // Bytes with no header at all, some of them over lines, then a request.
    client.send_raw(b"hello, server\r\n\x00\xff garbage {\"id\": 99}\r\n");
    let hover = client.request(
        "textDocument/hover",
        json!({
            "textDocument": {"uri": client.uri("course.yaml")},
            "position": {"line": 0, "character": 0}
        }),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    assert_eq!(client.finish(), 0);
}

/// Garbage before the first message: the `initialize` after it is answered.
#[test]
fn garbage_before_initialize_is_skipped() {
    let dir = workspace();
    let mut client = Client::spawn(dir.path());
    client.send_raw(&[b'#'; 20_000]);
    client.send_raw(b"\r\nnot a header\r\n");
    client.initialize();
    assert_eq!(client.finish(), 0);
}

/// A course open in the editor and deleted on disk: the buffer counts
/// while it is open (issue 20, item 2), so its diagnostics stay; closed,
/// the file is nowhere and they are cleared.
#[test]
fn a_course_deleted_while_open_keeps_its_diagnostics_until_closed() {
    let dir = workspace();
    std::fs::create_dir(dir.path().join("courses")).unwrap();
    let stale = dir.path().join("courses/stale.yaml");
    let text = std::fs::read_to_string(dir.path().join("maths.yaml"))
        .unwrap()
        .replace("id: ", "id: STALE-");
    std::fs::write(&stale, &text).unwrap();
    let mut client = Client::start(dir.path());
    let expected = audited(dir.path());
    assert!(expected.contains_key("courses/stale.yaml"), "{expected:#?}");
    client.open("courses/stale.yaml", &text);
    client.settle(|d| shown(d) == expected);

    std::fs::remove_file(&stale).unwrap();
    let uri = client.uri("courses/stale.yaml");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 3}]}),
    );
    // Every diagnostic is published before a request is answered.
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(
        shown(&client.diagnostics).get("courses/stale.yaml"),
        expected.get("courses/stale.yaml"),
        "{:#?}",
        client.diagnostics
    );

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.settle(|d| d.get("courses/stale.yaml").is_some_and(Vec::is_empty));
    assert_eq!(shown(&client.diagnostics), audited(dir.path()));
    assert_eq!(client.finish(), 0);
}

/// `text` with the LSP edits applied (ASCII text: characters are units).
fn apply(text: &str, edits: &[Value]) -> String {
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        lines.get(line).map_or(text.len(), |start| {
            start + p["character"].as_u64().unwrap() as usize
        })
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

/// Opens `text` as `file`, applies the quick fix whose title starts with
/// `title`, closes it, and returns the fixed text.
fn quick_fix(client: &mut Client, file: &str, text: &str, title: &str) -> String {
    let uri = client.uri(file);
    client.open(file, text);
    let published = client.until(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
    });
    let lines = text.lines().count() as u64;
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}},
            "context": {"diagnostics": published["params"]["diagnostics"]}
        }),
    );
    let action = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(title))
        .unwrap_or_else(|| panic!("no '{title}' among {actions:#}"))
        .clone();
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][uri.as_str()].as_array().unwrap();
    let fixed = apply(text, edits);
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    fixed
}

/// The `(rule, line)` of each finding of an audit of `text` alone.
fn audit_of(text: &str) -> Vec<(String, u64)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("course.yaml"), text).unwrap();
    let (report, _) = audit_json_in(dir.path(), &["--as-of", AS_OF]);
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "course.yaml")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// How many findings of an audit of `text` alone are waived.
fn waived_rules(text: &str) -> usize {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("course.yaml"), text).unwrap();
    let (report, _) = audit_json_in(dir.path(), &["--as-of", AS_OF]);
    report["summary"]["waived"].as_u64().unwrap() as usize
}

#[test]
fn each_quick_fix_applied_gives_what_the_audit_then_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    let good = std::fs::read_to_string(root().join("fixtures/courses/fs-english-l2-blended.yaml"))
        .unwrap();
    assert_eq!(audit_of(&good), []);

    // DOC003: the misspelt key renamed to the format's.
    let typo = good.replace("guided_learning_hours", "guided_lerning_hours");
    assert!(audit_of(&typo).iter().any(|f| f.0 == "DOC003"));
    assert_eq!(
        quick_fix(
            &mut client,
            "typo.yaml",
            &typo,
            "Rename 'guided_lerning_hours'"
        ),
        good
    );

    // A UK date written in ISO form.
    let uk = good.replace("date: 2025-06-14", "date: 14/06/2025");
    assert_eq!(
        quick_fix(
            &mut client,
            "uk.yaml",
            &uk,
            "Write 14/06/2025 as 2025-06-14"
        ),
        good
    );

    // DOC009: an unused waiver removed, every line of it.
    let waived = format!(
        "{good}waivers:\n  - rule: BLP013\n    reason: Review booked\n    approved_by: Quality Manager\n    expires: 2025-12-31\n"
    );
    assert!(audit_of(&waived).iter().any(|f| f.0 == "DOC009"));
    let removed = quick_fix(
        &mut client,
        "waived.yaml",
        &waived,
        "Remove the unused waiver",
    );
    assert_eq!(removed, format!("{good}waivers:\n"));
    assert_eq!(audit_of(&removed), []);

    // DOC002: the missing section inserted from the template; what the
    // template leaves empty the rules then report, not the format.
    let start = good.find("\ndelivery:").unwrap() + 1;
    let end = good.find("awarding_body_approval:").unwrap();
    let missing = format!("{}{}", &good[..start], &good[end..]);
    assert!(audit_of(&missing).iter().any(|f| f.0 == "DOC002"));
    let inserted = quick_fix(
        &mut client,
        "missing.yaml",
        &missing,
        "Insert the 'delivery' section",
    );
    assert!(
        inserted.contains(
            "delivery:\n  # face_to_face, blended or online. Required.\n  mode: blended\n"
        ),
        "{inserted}"
    );
    assert!(
        !audit_of(&inserted).iter().any(|f| f.0.starts_with("DOC")),
        "{:?}",
        audit_of(&inserted)
    );

    // A waiver skeleton for a failing rule: read as a waiver, and invalid
    // (DOC007) until its reason, approver and expiry are filled in.
    let stale = good.replace("date: 2025-06-14", "date: 2023-01-10");
    let failing = audit_of(&stale);
    let rule = failing
        .iter()
        .find(|f| f.0.starts_with("BLP"))
        .expect("a failing rule")
        .0
        .clone();
    let skeleton = quick_fix(
        &mut client,
        "stale.yaml",
        &stale,
        &format!("Add a waiver for {rule}"),
    );
    assert!(
        skeleton.ends_with(&format!(
            "waivers:\n  - rule: {rule}\n    reason: \n    approved_by: \n    expires: \n"
        )),
        "{skeleton}"
    );
    assert!(
        audit_of(&skeleton).iter().any(|f| f.0 == "DOC007"),
        "{:?}",
        audit_of(&skeleton)
    );
    let filled = skeleton
        .replace("reason: \n", "reason: Review booked for December\n")
        .replace("approved_by: \n", "approved_by: Quality Manager\n")
        .replace("expires: \n", "expires: 2025-12-31\n");
    assert_eq!(audit_of(&filled), [(rule, 34)]);
    assert_eq!(waived_rules(&filled), 1);
    assert_eq!(client.finish(), 0);
}

#[test]
fn a_changed_blcheck_toml_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/courses/digital-marketer-l3-online.yaml"),
        dir.path().join("course.yaml"),
    )
    .unwrap();
    let mut client = Client::start(dir.path());
    let before = audited(dir.path());
    client.settle(|d| shown(d) == before);
    let rule = before["course.yaml"][0].0.clone();
    let settings = format!("[rules.{rule}]\nseverity = \"off\"\n");
    std::fs::write(dir.path().join("blcheck.toml"), settings).unwrap();
    let uri = client.uri("blcheck.toml");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 1}]}),
    );
    let after = audited(dir.path());
    assert!(
        !after["course.yaml"].iter().any(|row| row.0 == rule),
        "{after:#?}"
    );
    client.settle(|d| shown(d) == after);
    assert_eq!(client.finish(), 0);
}

#[test]
fn a_baseline_named_in_blcheck_toml_holds_its_failures_as_hints() {
    let dir = workspace();
    let written = blcheck()
        .current_dir(dir.path())
        .args([
            "baseline",
            "--as-of",
            AS_OF,
            "--output",
            "blcheck-baseline.json",
        ])
        .output()
        .unwrap();
    assert!(written.status.success(), "{written:?}");
    std::fs::write(
        dir.path().join("blcheck.toml"),
        "baseline = \"blcheck-baseline.json\"\n",
    )
    .unwrap();
    let mut client = Client::start(dir.path());
    let held = audited(dir.path());
    let rows: Vec<_> = held.values().flatten().collect();
    assert!(rows.len() >= 3, "{held:#?}");
    // Every failure is held (or waived): hints only, no error or warning.
    assert!(rows.iter().all(|row| row.3 == 4), "{held:#?}");
    client.settle(|d| shown(d) == held);
    let messages: Vec<&str> = client
        .diagnostics
        .values()
        .flatten()
        .filter(|d| d["severity"] == 4)
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("[baselined")),
        "{messages:#?}"
    );

    // The baseline emptied (the team starts again): its failures are
    // errors once more, as the audit now reports them.
    let path = dir.path().join("blcheck-baseline.json");
    let mut baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    baseline["entries"] = json!([]);
    std::fs::write(&path, serde_json::to_vec_pretty(&baseline).unwrap()).unwrap();
    let uri = client.uri("blcheck-baseline.json");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 2}]}),
    );
    let failing = audited(dir.path());
    assert!(
        failing.values().flatten().any(|row| row.3 == 1),
        "{failing:#?}"
    );
    client.settle(|d| shown(d) == failing);
    assert_eq!(client.finish(), 0);
}

#[test]
fn hover_on_a_field_a_policy_declares_gives_its_description() {
    let dir = tempfile::tempdir().unwrap();
    let tutorial = root().join("fixtures/docs/tutorial");
    for file in [
        "blcheck.toml",
        "policy/northgate.toml",
        "courses/welding.yaml",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(tutorial.join(file), to).unwrap();
    }
    let mut client = Client::start(dir.path());
    let expected = audited(dir.path());
    client.settle(|d| shown(d) == expected);
    let text = std::fs::read_to_string(dir.path().join("courses/welding.yaml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("dbs_checked:"))
        .unwrap();
    client.open("courses/welding.yaml", &text);
    let hover = client.request(
        "textDocument/hover",
        json!({
            "textDocument": {"uri": client.uri("courses/welding.yaml")},
            "position": {"line": line, "character": 6}
        }),
    );
    let shown_text = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        shown_text.contains("dbs_checked: When the staff member's DBS check was last made."),
        "{hover}"
    );
    assert!(shown_text.contains("A date"), "{hover}");
    assert_eq!(client.finish(), 0);
}
