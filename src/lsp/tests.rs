//! The server in-process, over lsp-server's in-memory connection: a whole
//! session (initialize, open, change, diagnostics, hover, completion, code
//! actions, shutdown), its answers as snapshots.

use super::{serve, Ending, ServeOptions};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::time::Duration;

struct Session {
    client: Connection,
    server: std::thread::JoinHandle<anyhow::Result<Ending>>,
    root: String,
    next: i32,
}

impl Session {
    fn start(dir: &std::path::Path) -> Session {
        let (server, client) = Connection::memory();
        let options = ServeOptions {
            as_of: crate::dates::parse_date("2025-11-01").ok(),
        };
        let server = std::thread::spawn(move || serve(&server, options));
        let root = format!("file://{}", dir.display());
        let mut session = Session {
            client,
            server,
            root,
            next: 0,
        };
        let init = session.request(
            "initialize",
            json!({"capabilities": {}, "rootUri": session.root}),
        );
        assert_eq!(init["serverInfo"]["name"], "blcheck");
        session.notify("initialized", json!({}));
        session
    }

    fn uri(&self, file: &str) -> String {
        format!("{}/{file}", self.root)
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.into(), params);
        self.client.sender.send(Message::Notification(n)).unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        let req = Request::new(id.clone(), method.into(), params);
        self.client.sender.send(Message::Request(req)).unwrap();
        loop {
            match self.next_message() {
                Message::Response(r) if r.id == id => {
                    return r
                        .result
                        .unwrap_or_else(|| json!({"error": r.error.unwrap().code}))
                }
                _ => {}
            }
        }
    }

    fn next_message(&self) -> Message {
        self.client
            .receiver
            .recv_timeout(Duration::from_secs(120))
            .expect("the server answers")
    }

    /// The diagnostics published next for `file`, with the root made relative.
    fn diagnostics_of(&self, file: &str) -> Value {
        let uri = self.uri(file);
        loop {
            if let Message::Notification(n) = self.next_message() {
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                    return n.params["diagnostics"].clone();
                }
            }
        }
    }

    fn relative(&self, value: Value) -> Value {
        let text = value.to_string().replace(&self.root, "file://ROOT");
        serde_json::from_str(&text).unwrap()
    }
}

const COURSE: &str = "kind: Course
id: C-1
title: A course
delivery:
  mode: blended
  guided_lerning_hours: 10
accessibility_review:
  date: 01/09/2025
";

#[test]
fn a_session_from_initialize_to_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("other.yaml"),
        "kind: Course\nid: C-1\ntitle: Other\ndelivery:\n  mode: online\n",
    )
    .unwrap();
    let mut session = Session::start(dir.path());
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": session.uri("course.yaml"), "languageId": "yaml", "version": 1, "text": COURSE
        }}),
    );
    let first = session.diagnostics_of("course.yaml");
    assert!(first.as_array().is_some_and(|d| !d.is_empty()));
    // Once the scan has read other.yaml, course.yaml's id is its duplicate
    // (other.yaml comes first); changed, it no longer is.
    let changed = COURSE.replace("id: C-1", "id: C-2");
    std::thread::sleep(Duration::from_millis(200));
    session.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": session.uri("course.yaml"), "version": 2},
            "contentChanges": [{"text": changed}]
        }),
    );
    let mut diagnostics = session.diagnostics_of("course.yaml");
    while diagnostics.to_string().contains("DOC005") {
        diagnostics = session.diagnostics_of("course.yaml");
    }
    insta::assert_json_snapshot!("diagnostics", session.relative(diagnostics));

    let hover = session.request("textDocument/hover", json!({
        "textDocument": {"uri": session.uri("course.yaml")}, "position": {"line": 5, "character": 4}
    }));
    insta::assert_json_snapshot!("hover_on_a_finding", hover);
    let hover = session.request("textDocument/hover", json!({
        "textDocument": {"uri": session.uri("course.yaml")}, "position": {"line": 4, "character": 3}
    }));
    insta::assert_json_snapshot!("hover_on_a_key", hover);
    let hover = session.request(
        "textDocument/hover",
        json!({
            "textDocument": {"uri": session.uri("course.yaml")}, "position": {"line": 7, "character": 3}
        }),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("date: ") && text.contains("Read by: BLP002 accessibility-review"),
        "{text}"
    );

    let completion = session.request("textDocument/completion", json!({
        "textDocument": {"uri": session.uri("course.yaml")}, "position": {"line": 4, "character": 8}
    }));
    insta::assert_json_snapshot!("completion_of_a_value", completion);
    let keys = session.request("textDocument/completion", json!({
        "textDocument": {"uri": session.uri("course.yaml")}, "position": {"line": 8, "character": 0}
    }));
    let labels: Vec<&str> = keys
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"waivers") && !labels.contains(&"delivery"),
        "{labels:?}"
    );

    let actions = session.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": session.uri("course.yaml")},
            "range": {"start": {"line": 5, "character": 0}, "end": {"line": 7, "character": 20}},
            "context": {"diagnostics": []}
        }),
    );
    insta::assert_json_snapshot!("code_actions", session.relative(actions));

    assert_eq!(session.request("shutdown", Value::Null), Value::Null);
    session.notify("exit", Value::Null);
    assert_eq!(session.server.join().unwrap().unwrap(), Ending::Clean);
}

/// A plan open in the editor is held to the attendance minimum of its
/// course on disk, as `blcheck audit` of the workspace holds it (ILP011
/// is decided across files); raising the plan's attendance clears it.
#[test]
fn a_plan_is_held_to_its_course_s_attendance_minimum() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("course.yaml"),
        "kind: Course\nid: C-1\ntitle: A course\ndelivery:\n  mode: face_to_face\nattendance:\n  minimum_percent: 90\n",
    )
    .unwrap();
    let plan = "kind: LearnerPlan\nid: P-1\nlearner: L1\ncourse: C-1\nattendance:\n  percent: 76\n";
    let session = Session::start(dir.path());
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": session.uri("plan.yaml"), "languageId": "yaml", "version": 1, "text": plan
        }}),
    );
    let ilp011 = |diagnostics: &Value| -> Option<String> {
        diagnostics.as_array()?.iter().find_map(|d| {
            (d["data"]["path"] == "attendance.percent")
                .then(|| d["message"].as_str().unwrap_or_default().to_string())
        })
    };
    // The first diagnostics may come before the scan has read course.yaml.
    let mut diagnostics = session.diagnostics_of("plan.yaml");
    while ilp011(&diagnostics).is_none() {
        diagnostics = session.diagnostics_of("plan.yaml");
    }
    let message = ilp011(&diagnostics).unwrap();
    assert!(
        message.starts_with("'attendance.percent' is 76, below the 90 that course C-1 (course.yaml:7:3) sets in 'attendance.minimum_percent'"),
        "{message}"
    );
    session.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": session.uri("plan.yaml"), "version": 2},
            "contentChanges": [{"text": plan.replace("percent: 76", "percent: 95")}]
        }),
    );
    let diagnostics = session.diagnostics_of("plan.yaml");
    assert_eq!(ilp011(&diagnostics), None, "{diagnostics}");
}

/// A file deleted on disk while it is open in the editor: the buffer is
/// what the editor shows, so its diagnostics stay; once it is closed, the
/// file is nowhere and its diagnostics are cleared.
#[test]
fn a_file_deleted_while_open_keeps_the_buffer_s_diagnostics_until_closed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("courses")).unwrap();
    let stale = dir.path().join("courses/stale.yaml");
    std::fs::write(&stale, COURSE).unwrap();
    let mut session = Session::start(dir.path());
    let uri = session.uri("courses/stale.yaml");
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": COURSE}}),
    );
    let before = session.diagnostics_of("courses/stale.yaml");
    assert!(before.as_array().is_some_and(|d| !d.is_empty()), "{before}");

    std::fs::remove_file(&stale).unwrap();
    session.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 3}]}),
    );
    // Everything published up to the answer of a later request.
    session.next += 1;
    let id = RequestId::from(session.next);
    let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}});
    let req = Request::new(id.clone(), "textDocument/hover".into(), hover);
    session.client.sender.send(Message::Request(req)).unwrap();
    loop {
        match session.next_message() {
            Message::Response(r) if r.id == id => break,
            Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri =>
            {
                assert_eq!(
                    n.params["diagnostics"], before,
                    "the open buffer's diagnostics changed when its file went"
                );
            }
            _ => {}
        }
    }

    session.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(session.diagnostics_of("courses/stale.yaml"), json!([]));
    assert_eq!(session.request("shutdown", Value::Null), Value::Null);
    session.notify("exit", Value::Null);
    assert_eq!(session.server.join().unwrap().unwrap(), Ending::Clean);
}
