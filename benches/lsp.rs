//! `blcheck lsp` in-process: how long after a change to one file of a
//! workspace of 1,000 course files the editor has fresh diagnostics
//! (median and 99th percentile of 500 changes), and, in a workspace of
//! 10,000 files, how long the open file waits for its first diagnostics
//! while the first scan runs, against the scan's own time. Figures in
//! docs/performance.md. Run with `cargo bench --profile dist --bench lsp`.

#[path = "corpus/mod.rs"]
mod corpus;

/// A file that sorts after every course and always has a finding (an
/// unknown key): its diagnostics arrive when the first scan is done.
const LAST: &str = "zz-last.yaml";

use blcheck::lsp::{serve, ServeOptions};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

fn workspace(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut rng = corpus::Rng::new(7);
    for i in 0..files {
        let (text, _) = corpus::course(i, &mut rng);
        std::fs::write(dir.path().join(format!("course-{i:05}.yaml")), text).expect("written");
    }
    let last = "kind: Course\nid: LAST\ntitle: Last\nunknown_key: 1\n";
    std::fs::write(dir.path().join(LAST), last).expect("written");
    dir
}

struct Client {
    connection: Connection,
    server: std::thread::JoinHandle<()>,
    root: String,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let (server, connection) = Connection::memory();
        let options = ServeOptions {
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 11, 1),
        };
        let server = std::thread::spawn(move || {
            serve(&server, options).expect("the server runs");
        });
        let root = format!("file://{}", dir.display());
        let client = Client {
            connection,
            server,
            root,
        };
        client.send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({"capabilities": {}, "rootUri": client.root}),
        )));
        client.wait(|m| matches!(m, Message::Response(_)));
        client.notify("initialized", json!({}));
        client
    }

    fn send(&self, message: Message) {
        self.connection.sender.send(message).expect("sent");
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    fn wait(&self, wanted: impl Fn(&Message) -> bool) -> Message {
        loop {
            let message = self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(120))
                .expect("the server answers");
            if wanted(&message) {
                return message;
            }
        }
    }

    fn diagnostics_for(&self, uri: &str) {
        self.wait(|m| match m {
            Message::Notification(n) => {
                n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri
            }
            _ => false,
        });
    }

    /// Waits until the first scan's diagnostics have been published.
    fn scanned(&self) {
        self.diagnostics_for(&format!("{}/{LAST}", self.root));
    }

    fn stop(self) {
        self.send(Message::Request(Request::new(
            RequestId::from(2),
            "shutdown".into(),
            Value::Null,
        )));
        self.wait(|m| matches!(m, Message::Response(_)));
        self.notify("exit", Value::Null);
        self.server.join().expect("the server ends");
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn change_latency() {
    let dir = workspace(1_000);
    let client = Client::start(dir.path());
    client.scanned();
    let file = "course-00500.yaml";
    let uri = format!("{}/{file}", client.root);
    let text = std::fs::read_to_string(dir.path().join(file)).expect("read");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    client.diagnostics_for(&uri);
    let mut times = Vec::new();
    for version in 2..502 {
        // An edit that changes the findings of the file and of another
        // (the id duplicates course 1's every other time).
        let edited = match version % 2 {
            0 => text.replace(&corpus::course_id(500), &corpus::course_id(1)),
            _ => text.clone(),
        };
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited}]}),
        );
        client.diagnostics_for(&uri);
        times.push(started.elapsed());
    }
    times.sort();
    say(format!(
        "lsp change, 1,000 files: median {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} changes)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len()
    ));
    client.stop();
}

fn first_scan() {
    let dir = workspace(10_000);
    let started = Instant::now();
    let client = Client::start(dir.path());
    let file = "course-05000.yaml";
    let uri = format!("{}/{file}", client.root);
    let text = std::fs::read_to_string(dir.path().join(file)).expect("read");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    client.diagnostics_for(&uri);
    let open_file = started.elapsed();
    client.scanned();
    let whole = started.elapsed();
    say(format!(
        "lsp first scan, 10,000 files: open file's diagnostics after {:.1} ms, every file's after {:.1} ms",
        open_file.as_secs_f64() * 1e3,
        whole.as_secs_f64() * 1e3
    ));
    client.stop();
}

/// One line of the benchmark's report, on stdout.
fn say(line: String) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

fn main() {
    // `cargo test --benches` runs benches with `--bench` missing: a quick pass only.
    if std::env::args().any(|a| a == "--bench") {
        change_latency();
        first_scan();
    } else {
        say("run with `cargo bench --bench lsp` to measure".into());
    }
}
