//! Where reports go: `--format` paired with the `--output` after it,
//! formats taken from extensions, `-`, devices, FIFOs and sockets written
//! to, report files replaced atomically with the umask's mode, inputs
//! never overwritten. As a CI engineer would run it, in a scratch folder.

use super::support::{assert_format, blcheck, root};
use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Output;

const AS_OF: &str = "2025-11-01";

/// A scratch folder holding a copy of the shipped courses as `courses/`.
fn course_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let courses = dir.path().join("courses");
    fs::create_dir(&courses).expect("mkdir");
    for entry in fs::read_dir(root().join("fixtures/courses")).expect("fixtures") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), courses.join(entry.file_name())).expect("copy");
    }
    dir
}

fn audit(dir: &Path, args: &[&str]) -> Output {
    blcheck()
        .current_dir(dir)
        .args(["audit", "courses/", "--as-of", AS_OF])
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn each_output_takes_the_format_just_before_it() {
    let dir = course_repository();
    let run = audit(
        dir.path(),
        &[
            "--format",
            "github",
            "--format",
            "sarif",
            "--output",
            "blcheck.sarif",
            "--format",
            "markdown",
            "--output",
            "blcheck.md",
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_format(&run.stdout, "github", "stdout");
    assert_format(
        &fs::read(dir.path().join("blcheck.sarif")).unwrap(),
        "sarif",
        "blcheck.sarif",
    );
    assert_format(
        &fs::read(dir.path().join("blcheck.md")).unwrap(),
        "markdown",
        "blcheck.md",
    );
}

#[test]
fn outputs_without_a_format_take_it_from_their_extension() {
    let dir = course_repository();
    let names = [
        ("r.json", "json"),
        ("r.sarif", "sarif"),
        ("r.xml", "junit"),
        ("r.md", "markdown"),
        ("r.csv", "csv"),
        ("r.html", "html"),
        ("r.txt", "table"),
        ("r.markdown", "markdown"),
        ("r.htm", "html"),
        ("r.xlsx", "xlsx"),
        ("R.XLSX", "xlsx"),
    ];
    let mut args = Vec::new();
    for (name, _) in names {
        args.extend(["--output", name]);
    }
    // A format after the outputs, with none of its own, goes to stdout.
    args.extend(["--format", "json"]);
    let run = audit(dir.path(), &args);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_format(&run.stdout, "json", "stdout");
    for (name, format) in names {
        assert_format(&fs::read(dir.path().join(name)).unwrap(), format, name);
    }
    // An explicit --format wins over the extension.
    let run = audit(dir.path(), &["--format", "sarif", "--output", "r.json"]);
    assert_eq!(run.status.code(), Some(1));
    assert_format(
        &fs::read(dir.path().join("r.json")).unwrap(),
        "sarif",
        "r.json",
    );
}

#[test]
fn ambiguous_pairings_are_errors_that_name_the_flags() {
    let dir = course_repository();
    let run = audit(dir.path(), &["--format", "table", "--format", "json"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("--format table and --format json would both go to standard output"),
        "{}",
        stderr(&run)
    );
    let run = audit(dir.path(), &["--output", "report.out"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("--output report.out: no --format before it"),
        "{}",
        stderr(&run)
    );
    let run = audit(
        dir.path(),
        &[
            "--format", "json", "--output", "a.json", "--format", "sarif", "--output", "./a.json",
        ],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("given twice"), "{}", stderr(&run));
    assert!(
        !dir.path().join("a.json").exists(),
        "nothing written before the error"
    );
}

#[test]
fn reruns_replace_report_files_and_keep_their_mode() {
    let dir = course_repository();
    let report = dir.path().join("blcheck.json");
    let first = audit(dir.path(), &["--output", "blcheck.json"]);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    fs::set_permissions(&report, fs::Permissions::from_mode(0o640)).unwrap();
    fs::write(&report, "stale").unwrap();
    let again = audit(dir.path(), &["--output", "blcheck.json"]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert_format(&fs::read(&report).unwrap(), "json", "blcheck.json");
    let mode = fs::metadata(&report).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "a replaced report keeps its mode");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

#[test]
fn new_report_files_follow_the_umask() {
    let dir = course_repository();
    let binary = assert_cmd::cargo::cargo_bin("blcheck");
    for (umask, expected) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let name = format!("report-{umask}.json");
        let status = std::process::Command::new("sh")
            .current_dir(dir.path())
            .arg("-c")
            .arg(format!(
                "umask {umask}; exec \"$0\" audit courses/ --as-of {AS_OF} --output {name} --format table >/dev/null"
            ))
            .arg(&binary)
            .status()
            .expect("sh runs");
        assert_eq!(status.code(), Some(1));
        let mode = fs::metadata(dir.path().join(&name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, expected, "umask {umask}");
    }
}

#[test]
fn dash_devices_fifos_and_sockets_are_written_to_never_replaced() {
    let dir = course_repository();
    let run = audit(dir.path(), &["--format", "json", "--output", "-"]);
    assert_eq!(run.status.code(), Some(1));
    assert_format(&run.stdout, "json", "--output -");
    assert!(!dir.path().join("-").exists(), "no file named -");

    let run = audit(
        dir.path(),
        &[
            "--format",
            "json",
            "--output",
            "/dev/null",
            "--format",
            "table",
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_format(&run.stdout, "table", "stdout beside /dev/null");
    assert!(
        !fs::metadata("/dev/null").unwrap().is_file(),
        "/dev/null is still a device"
    );
    // /dev/stdout is standard output, whatever stdout is: one format only.
    let run = audit(dir.path(), &["--format", "json", "--output", "/dev/stdout"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_format(&run.stdout, "json", "--output /dev/stdout");
    let run = audit(
        dir.path(),
        &[
            "--format",
            "json",
            "--output",
            "/dev/stdout",
            "--format",
            "table",
        ],
    );
    assert_eq!(run.status.code(), Some(2), "two formats for stdout");

    let fifo = dir.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).expect("read the FIFO"))
    };
    let run = audit(
        dir.path(),
        &["--format", "sarif", "--output", "report.fifo"],
    );
    if !reader.is_finished() {
        // Were blcheck not to open the FIFO, the reader would wait for ever.
        let _ = fs::OpenOptions::new().write(true).open(&fifo);
    }
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_format(&reader.join().expect("reader"), "sarif", "the FIFO");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    let socket = dir.path().join("report.sock");
    let listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
    let receiver = std::thread::spawn(move || {
        use std::io::Read;
        let (mut stream, _) = listener.accept().expect("accept");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("read");
        bytes
    });
    let run = audit(dir.path(), &["--format", "json", "--output", "report.sock"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_format(&receiver.join().expect("receiver"), "json", "the socket");
}

#[test]
fn a_link_to_a_report_replaces_the_file_it_points_to() {
    let dir = course_repository();
    fs::create_dir(dir.path().join("reports")).unwrap();
    fs::write(dir.path().join("reports/latest.json"), "old").unwrap();
    std::os::unix::fs::symlink("reports/latest.json", dir.path().join("blcheck.json")).unwrap();
    let run = audit(dir.path(), &["--output", "blcheck.json"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(fs::symlink_metadata(dir.path().join("blcheck.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_format(
        &fs::read(dir.path().join("reports/latest.json")).unwrap(),
        "json",
        "the link's file",
    );
}

#[test]
fn folders_and_inputs_are_refused_before_the_run() {
    let dir = course_repository();
    let input = dir.path().join("courses/digital-marketer-l3-online.yaml");
    let before = fs::read(&input).unwrap();
    for (args, says) in [
        (
            vec!["--format", "json", "--output", "courses"],
            "is a folder",
        ),
        (
            vec![
                "--format",
                "json",
                "--output",
                "courses/digital-marketer-l3-online.yaml",
            ],
            "is an input of this run",
        ),
        (
            vec![
                "--format",
                "json",
                "--output",
                "./courses/../courses/digital-marketer-l3-online.yaml",
            ],
            "is an input of this run",
        ),
        (
            vec!["--format", "json", "--output", "courses/report.yaml"],
            "the next run would read it",
        ),
        (
            vec!["--format", "json", "--output", "missing/report.json"],
            "does not exist",
        ),
    ] {
        let run = audit(dir.path(), &args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(stderr(&run).contains(says), "{args:?}: {}", stderr(&run));
    }
    assert_eq!(fs::read(&input).unwrap(), before, "the input is untouched");
    assert!(!dir.path().join("courses/report.yaml").exists());
    // blcheck does not make the folder of an --output (docs/output.md).
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn every_command_that_writes_reports_pairs_alike() {
    let dir = course_repository();
    let path = |name: &str| -> PathBuf { dir.path().join(name) };
    let maturity = root().join("fixtures/maturity/mixed.yaml");
    let runs: [(Vec<String>, i32, &str, &str); 5] = [
        (
            vec![
                "renewals".into(),
                "--as-of".into(),
                AS_OF.into(),
                "--output".into(),
                "renewals.ics".into(),
                "--format".into(),
                "json".into(),
                "--output".into(),
                "renewals.json".into(),
            ],
            1,
            "renewals.ics",
            "ics",
        ),
        (
            vec![
                "renewals".into(),
                "--as-of".into(),
                AS_OF.into(),
                "--output".into(),
                "renewals.csv".into(),
            ],
            1,
            "renewals.csv",
            "csv",
        ),
        (
            vec![
                "maturity".into(),
                maturity.display().to_string(),
                "--output".into(),
                "maturity.md".into(),
                "--format".into(),
                "json".into(),
            ],
            0,
            "maturity.md",
            "markdown",
        ),
        (
            vec![
                "rules".into(),
                "--output".into(),
                "rules.json".into(),
                "--format".into(),
                "markdown".into(),
                "--output".into(),
                "rules.md".into(),
            ],
            0,
            "rules.json",
            "json",
        ),
        (
            vec![
                "rules".into(),
                "--format".into(),
                "table".into(),
                "--format".into(),
                "json".into(),
            ],
            2,
            "",
            "",
        ),
    ];
    for (args, code, file, format) in runs {
        let run = blcheck()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(code), "{args:?}: {}", stderr(&run));
        if !file.is_empty() {
            assert_format(&fs::read(path(file)).unwrap(), format, file);
        }
    }
    assert_format(
        &fs::read(path("renewals.json")).unwrap(),
        "json",
        "renewals.json",
    );
    assert_format(&fs::read(path("rules.md")).unwrap(), "markdown", "rules.md");
}
