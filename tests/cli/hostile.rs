//! Hostile input (issue 8). Every file of `fixtures/hostile/`, and those
//! built here because they are too big to commit (50 MB, a million items)
//! or cannot be committed portably (links, a FIFO, an unreadable file),
//! gives the finding it must: audited alone beside a good file (one test
//! per file), and all together in one run beside good files, which must
//! still be reported exactly as when they are audited on their own.
//! Only behaviour is asserted, never time; `docs/security.md` has the
//! measured times and memory.

mod runs;

use super::support::{audit_json_in, blcheck, root};
use serde_json::Value;
use std::fs;
use std::path::Path;

const AS_OF: &str = "2025-11-01";

/// What a hostile file must give.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exactly one finding for the file: DOC001 at `line:column`, whose
    /// message says this.
    Doc001(&'static str, &'static str),
    /// The file is audited as a document: among its findings is this rule
    /// at `line:column`, whose message says this.
    Finding(&'static str, &'static str, &'static str),
    /// No document and no finding: skipped and counted in `skipped_files`.
    Skipped,
}

use Expect::{Doc001, Finding, Skipped};

/// Every hostile file, by its path under the audited `hostile/` directory.
const CASES: &[(&str, Expect)] = &[
    // Committed in fixtures/hostile/.
    (
        "billion-laughs.yaml",
        Doc001("4:7", "anchors (&name) are not allowed"),
    ),
    (
        "aliased-scalar.yaml",
        Doc001("5:8", "anchors (&name) are not allowed"),
    ),
    (
        "deep-block.yaml",
        Doc001("2:129", "nested deeper than 64 levels"),
    ),
    (
        "deep-flow.yaml",
        Doc001("2:256", "nested deeper than 64 levels"),
    ),
    (
        "deep-mapping.yaml",
        Doc001("68:129", "nested deeper than 64 levels"),
    ),
    ("invalid-utf8.yaml", Doc001("4:11", "not UTF-8 text")),
    ("utf16.yaml", Doc001("1:1", "not UTF-8 text")),
    ("binary.yaml", Doc001("1:1", "not UTF-8 text")),
    ("nul.yaml", Doc001("3:9", "contains a NUL byte")),
    ("raw-escape.yaml", Doc001("4:8", "control character U+001B")),
    // Counted as the parser counts: a lone CR ends a line, a BOM is no column.
    (
        "cr-only-control.yaml",
        Doc001("3:9", "control character U+001B"),
    ),
    ("bom-latin1.yaml", Doc001("1:12", "not UTF-8 text")),
    (
        "duplicate-keys.yaml",
        Doc001("6:1", "duplicate key 'title'"),
    ),
    ("tab-indented.yaml", Doc001("4:2", "tabs disallowed")),
    ("unterminated.yaml", Doc001("3:8", "quoted scalar")),
    (
        "long-key.yaml",
        Doc001("3:3", "a key longer than 1024 characters"),
    ),
    ("empty.yaml", Skipped),
    ("only-comments.yaml", Skipped),
    (
        "bom.yaml",
        Finding("DOC003", "44:3", "unknown key 'feedbak_days'"),
    ),
    (
        "crlf.yaml",
        Finding("BLP004", "41:3", "is 9, above the maximum of 5"),
    ),
    ("escapes.yaml", Finding("BLP001", "28:3", "not 'approved'")),
    (
        "long-values.yaml",
        Finding("DOC002", "6:3", "mmm…', not one of"),
    ),
    (
        "many-problems.yaml",
        Finding("DOC002", "58:5", "1950 more problems"),
    ),
    (
        "nonchar-id.yaml",
        Finding("BLP001", "28:3", "is 'pending\u{fffe}', not 'approved'"),
    ),
    (
        "workflow-command.yaml",
        Finding("BLP001", "28:3", "is 'pending\n::error file=README.md"),
    ),
    (
        "markup-values.yaml",
        Finding("BLP001", "28:3", "is '<b>pending</b>|`x`\n# heading"),
    ),
    // Built by `make`.
    (
        "big-scalar-50mb.yaml",
        Doc001("1:1", "over the limit of 10485760 bytes"),
    ),
    (
        "over-limit.yaml",
        Doc001("1:1", "10485761 bytes, over the limit"),
    ),
    (
        "aliased-1mb-scalar.yaml",
        Doc001("3:8", "anchors (&name) are not allowed"),
    ),
    (
        "many-documents.yaml",
        Doc001("3001:1", "more than 1000 YAML documents"),
    ),
    (
        "million-items.yaml",
        Doc001("99997:5", "more than 100000 values in one document"),
    ),
    ("dir.yaml", Doc001("1:1", "is a directory, not a YAML file")),
    (
        "link-loop.yaml",
        Doc001("1:1", "loops back on itself; not followed"),
    ),
    (
        "link-outside.yaml",
        Doc001("1:1", "not followed, so what it points to"),
    ),
    (
        "sub/up",
        Doc001("1:1", "a symbolic link to the directory .."),
    ),
    ("fifo.yaml", Doc001("1:1", "not a regular file")),
    (
        "unreadable.yaml",
        Doc001("1:1", "cannot read the file: permission denied"),
    ),
];

/// Creates the hostile file `name` under `dir`. Returns false when this
/// platform cannot make it (links and FIFOs off Unix).
fn make(name: &str, dir: &Path) -> bool {
    let path = dir.join(name);
    let committed = root().join("fixtures/hostile").join(name);
    if committed.is_file() {
        fs::copy(&committed, &path).expect("copy a hostile fixture");
        return true;
    }
    match name {
        "big-scalar-50mb.yaml" => {
            let mut text = b"kind: Course\nid: BIG\ntitle: ".to_vec();
            text.resize(text.len() + 50_000_000, b'x');
            text.push(b'\n');
            write(&path, text);
        }
        "over-limit.yaml" => {
            // Valid YAML one byte over the default limit.
            let mut text = b"kind: Course\nid: OVER\n".to_vec();
            text.resize(10 * 1024 * 1024, b'#');
            text.push(b'\n');
            write(&path, text);
        }
        "aliased-1mb-scalar.yaml" => {
            let text = format!(
                "kind: Course\nid: ALIAS-1MB\ntitle: &big {}\nstaff:\n{}",
                "x".repeat(1_000_000),
                "  - *big\n".repeat(10_000)
            );
            write(&path, text);
        }
        "many-documents.yaml" => {
            let text: String = (0..100_000)
                .map(|i| format!("---\nkind: Course\nid: D{i}\n"))
                .collect();
            write(&path, text);
        }
        "million-items.yaml" => {
            let text = format!(
                "kind: Course\nid: MILLION\nstaff:\n{}",
                "  - x\n".repeat(1_000_000)
            );
            write(&path, text);
        }
        "dir.yaml" => {
            fs::create_dir_all(&path).expect("mkdir");
        }
        "unreadable.yaml" => {
            fs::copy(root().join("fixtures/rules/BLP018/pass.yaml"), &path).expect("copy");
            set_mode(&path, 0o000);
        }
        _ => return make_special(name, dir),
    }
    true
}

#[cfg(unix)]
fn make_special(name: &str, dir: &Path) -> bool {
    use std::os::unix::fs::symlink;
    let path = dir.join(name);
    match name {
        "link-loop.yaml" => symlink("link-loop.yaml", &path).expect("symlink"),
        "link-outside.yaml" => {
            // Outside the audited tree: a sibling of it.
            let outside = dir.parent().expect("parent").join("outside");
            fs::create_dir_all(&outside).expect("mkdir");
            fs::copy(
                root().join("fixtures/rules/BLP018/pass.yaml"),
                outside.join("secret.yaml"),
            )
            .expect("copy");
            symlink(outside.join("secret.yaml"), &path).expect("symlink");
        }
        "sub/up" => {
            fs::create_dir_all(dir.join("sub")).expect("mkdir");
            symlink("..", &path).expect("symlink");
        }
        "fifo.yaml" => {
            // std cannot make a FIFO; coreutils can.
            let made = std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .is_ok_and(|s| s.success());
            return made;
        }
        _ => panic!("no hostile file named {name}"),
    }
    true
}

#[cfg(not(unix))]
fn make_special(_name: &str, _dir: &Path) -> bool {
    false
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}

/// Makes the unreadable file readable again, if there is one, so the
/// temporary directory can be removed by any user.
fn restore(dir: &Path) {
    let path = dir.join("unreadable.yaml");
    if path.exists() {
        set_mode(&path, 0o644);
    }
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    fs::write(path, bytes).expect("write a hostile file");
}

/// Whether `unreadable.yaml` can be read all the same: as root (CI runs as
/// root), chmod 000 does not stop reading, and the file is then audited
/// like any other. The DOC001 assertion holds only for other users.
fn readable_anyway(dir: &Path) -> bool {
    fs::read(dir.join("unreadable.yaml")).is_ok()
}

/// Copies the good example courses into `dir`.
fn make_good(dir: &Path) {
    fs::create_dir_all(dir).expect("mkdir");
    for entry in fs::read_dir(root().join("fixtures/courses")).expect("fixtures/courses") {
        let path = entry.expect("entry").path();
        fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
    }
}

/// `blcheck audit --as-of AS_OF ARGS --format json` in `cwd`.
fn audit(cwd: &Path, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["--as-of", AS_OF];
    all.extend_from_slice(args);
    audit_json_in(cwd, &all)
}

/// The entries of the report's `key` list (findings, documents) for `file`.
fn entries_of<'a>(json: &'a Value, key: &str, file: &str) -> Vec<&'a Value> {
    json[key]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|f| f["file"] == file)
        .collect()
}

fn findings_of<'a>(json: &'a Value, file: &str) -> Vec<&'a Value> {
    entries_of(json, "findings", file)
}

fn documents_of<'a>(json: &'a Value, file: &str) -> Vec<&'a Value> {
    entries_of(json, "documents", file)
}

fn at(finding: &Value) -> String {
    format!("{}:{}", finding["line"], finding["column"])
}

/// Checks what the run gave for one hostile file; `Err` says what is wrong.
fn check(json: &Value, dir: &Path, name: &str, expect: Expect) -> Result<(), String> {
    let file = format!("hostile/{name}");
    let found = findings_of(json, &file);
    let documents = documents_of(json, &file);
    let says = |f: &Value, text: &str| f["message"].as_str().is_some_and(|m| m.contains(text));
    if name == "unreadable.yaml" && readable_anyway(dir) {
        // Running as root: the file is read and audited normally.
        return match documents.as_slice() {
            [document] if document["status"] == "pass" => Ok(()),
            _ => Err(format!(
                "{file}: readable as root, so audited; got {found:#?}"
            )),
        };
    }
    match expect {
        Doc001(location, text) => {
            if found.len() != 1
                || found[0]["rule"] != "DOC001"
                || at(found[0]) != location
                || !says(found[0], text)
                || !documents.is_empty()
            {
                return Err(format!(
                    "{file}: want one DOC001 at {location} saying {text:?}; got {found:#?}"
                ));
            }
        }
        Finding(rule, location, text) => {
            let hit = found
                .iter()
                .any(|f| f["rule"] == rule && at(f) == location && says(f, text));
            if !hit || documents.is_empty() {
                return Err(format!(
                    "{file}: want {rule} at {location} saying {text:?} in an audited document; \
                     got {found:#?}"
                ));
            }
        }
        Skipped => {
            if !found.is_empty() || !documents.is_empty() {
                return Err(format!("{file}: want it skipped; got {found:#?}"));
            }
        }
    }
    Ok(())
}

/// A temporary directory holding `tree/hostile/`: the tree and its
/// `hostile` directory (the guard removes them when dropped).
fn temp_tree() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("tree");
    let hostile = dir.join("hostile");
    fs::create_dir_all(&hostile).expect("mkdir");
    (temp, dir, hostile)
}

/// Audits one hostile file beside one good course and checks both.
fn alone(name: &str) {
    let (_temp, dir, hostile) = temp_tree();
    if !make(name, &hostile) {
        return; // not on this platform
    }
    let good = dir.join("good");
    fs::create_dir_all(&good).expect("mkdir");
    fs::copy(
        root().join("fixtures/courses/fs-english-l2-blended.yaml"),
        good.join("course.yaml"),
    )
    .expect("copy");
    let (json, code) = audit(&dir, &["hostile", "good"]);
    let expect = CASES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, e)| *e)
        .expect("a listed case");
    if let Err(problem) = check(&json, &hostile, name, expect) {
        panic!("{problem}");
    }
    assert_eq!(documents_of(&json, "good/course.yaml")[0]["status"], "pass");
    let skipped = matches!(expect, Skipped);
    assert_eq!(json["summary"]["skipped_files"], u32::from(skipped));
    let clean = skipped || (name == "unreadable.yaml" && readable_anyway(&hostile));
    assert_eq!(code, if clean { 0 } else { 1 }, "{json:#}");
    restore(&hostile);
}

macro_rules! hostile_tests {
    ($($test:ident => $name:literal,)*) => {
        $(#[test]
        fn $test() {
            alone($name);
        })*

        #[test]
        fn every_case_has_its_own_test() {
            let tested = [$($name),*];
            for (name, _) in CASES {
                assert!(tested.contains(name), "no test for {name}");
            }
        }
    };
}

hostile_tests! {
    billion_laughs => "billion-laughs.yaml",
    aliased_scalar => "aliased-scalar.yaml",
    aliased_1mb_scalar => "aliased-1mb-scalar.yaml",
    deep_block_nesting => "deep-block.yaml",
    deep_flow_nesting => "deep-flow.yaml",
    deep_mapping_nesting => "deep-mapping.yaml",
    invalid_utf8 => "invalid-utf8.yaml",
    utf16 => "utf16.yaml",
    binary => "binary.yaml",
    nul_byte => "nul.yaml",
    raw_escape_bytes => "raw-escape.yaml",
    control_character_after_cr_only_line_breaks => "cr-only-control.yaml",
    latin1_after_a_bom => "bom-latin1.yaml",
    duplicate_keys => "duplicate-keys.yaml",
    tab_indentation => "tab-indented.yaml",
    unterminated_quote => "unterminated.yaml",
    long_key => "long-key.yaml",
    empty_file => "empty.yaml",
    only_comments => "only-comments.yaml",
    utf8_bom => "bom.yaml",
    crlf_line_endings => "crlf.yaml",
    escape_sequences_in_values => "escapes.yaml",
    long_values => "long-values.yaml",
    many_problems => "many-problems.yaml",
    xml_noncharacters_in_the_id => "nonchar-id.yaml",
    workflow_commands_in_values => "workflow-command.yaml",
    markup_in_values => "markup-values.yaml",
    scalar_of_50_mb => "big-scalar-50mb.yaml",
    file_over_the_size_limit => "over-limit.yaml",
    many_documents => "many-documents.yaml",
    million_item_list => "million-items.yaml",
    directory_named_yaml => "dir.yaml",
    symlink_loop => "link-loop.yaml",
    symlink_outside_the_tree => "link-outside.yaml",
    symlink_to_a_parent_directory => "sub/up",
    fifo => "fifo.yaml",
    unreadable_file => "unreadable.yaml",
}

#[test]
fn every_hostile_file_in_one_run_beside_good_files() {
    let (_temp, dir, hostile) = temp_tree();
    let made: Vec<(&str, Expect)> = CASES
        .iter()
        .copied()
        .filter(|(name, _)| make(name, &hostile))
        .collect();
    make_good(&dir.join("good"));
    let (alone, _) = audit(&dir, &["good"]);
    let (json, code) = audit(&dir, &["hostile", "good"]);
    assert_eq!(code, 1);
    let problems: Vec<String> = made
        .iter()
        .filter_map(|(name, expect)| check(&json, &hostile, name, *expect).err())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Nothing else was reported about the hostile tree.
    let listed = |f: &&Value| {
        made.iter()
            .any(|(name, _)| f["file"] == format!("hostile/{name}"))
    };
    let stray: Vec<&Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["file"]
                .as_str()
                .is_some_and(|p| p.starts_with("hostile/"))
        })
        .filter(|f| !listed(f))
        .collect();
    assert!(stray.is_empty(), "{stray:#?}");
    // The good files are reported exactly as when they are audited alone.
    let good = |json: &Value, key: &str| -> Vec<Value> {
        json[key]
            .as_array()
            .expect("list")
            .iter()
            .filter(|f| {
                f["file"]
                    .as_str()
                    .is_some_and(|p| !p.starts_with("hostile/"))
            })
            .cloned()
            .collect()
    };
    assert_eq!(good(&json, "documents"), good(&alone, "documents"));
    assert_eq!(good(&json, "findings"), good(&alone, "findings"));
    assert!(!good(&alone, "documents").is_empty());
    restore(&hostile);
}

#[test]
fn links_are_followed_when_asked_and_loops_still_end() {
    if !cfg!(unix) {
        return;
    }
    let (_temp, dir, hostile) = temp_tree();
    for name in ["link-loop.yaml", "link-outside.yaml", "sub/up"] {
        make(name, &hostile);
    }
    let (json, code) = audit(&dir, &["hostile", "--follow-symlinks"]);
    assert_eq!(code, 1, "{json:#}");
    let one = |file: &str| findings_of(&json, file);
    assert!(one("hostile/link-loop.yaml")[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("loops back on itself")));
    assert!(one("hostile/sub/up")[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("a symbolic link loop: it leads back to hostile")));
    // The link's target is read now, and audited under the link's name.
    assert_eq!(
        documents_of(&json, "hostile/link-outside.yaml")[0]["status"],
        "pass"
    );
}

#[test]
fn max_file_size_sets_the_limit() {
    let example = "fixtures/spec/course.example.yaml";
    let size = fs::metadata(root().join(example)).expect("size").len();
    let (json, code) = audit(&root(), &[example, "--max-file-size", "1000"]);
    assert_eq!(code, 1);
    let found = findings_of(&json, example);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains(&format!("{size} bytes, over the limit of 1000 bytes"))));
    let (json, _) = audit(&root(), &[example, "--max-file-size", &size.to_string()]);
    assert_eq!(json["documents"][0]["status"], "pass");
}

#[test]
fn findings_quote_long_values_short_and_count_repeated_problems() {
    let (json, _) = audit(
        &root(),
        &[
            "fixtures/hostile/long-values.yaml",
            "fixtures/hostile/many-problems.yaml",
        ],
    );
    for finding in json["findings"].as_array().expect("findings") {
        let document = finding["document"].as_str().unwrap_or_default();
        let message = finding["message"].as_str().unwrap_or_default();
        assert!(document.chars().count() <= 201, "{finding:#}");
        assert!(message.chars().count() < 2_000, "{finding:#}");
    }
    let many = findings_of(&json, "fixtures/hostile/many-problems.yaml");
    let format_findings = many.iter().filter(|f| f["rule"] == "DOC002").count();
    assert_eq!(
        format_findings, 51,
        "50 listed and one that counts the rest"
    );
    let staff = many.iter().find(|f| f["rule"] == "BLP014").expect("BLP014");
    assert!(staff["message"]
        .as_str()
        .is_some_and(|m| m.ends_with("; and 1980 more")));
}

/// Bytes that would start a terminal escape sequence or ring the bell: ESC,
/// BEL, and CSI/OSC as C1 characters in UTF-8.
fn has_raw_control(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
        || bytes.contains(&0x07)
        || bytes
            .windows(2)
            .any(|w| w == [0xc2, 0x9b] || w == [0xc2, 0x9d])
}

#[test]
fn escape_sequences_in_documents_never_reach_the_terminal_raw() {
    let escapes = "fixtures/hostile/escapes.yaml";
    for color in ["never", "always"] {
        let output = blcheck()
            .args(["audit", escapes, "--as-of", AS_OF, "--color", color])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&output.stdout);
        // Colour codes are blcheck's own; none may come from the document.
        let without_colour = strip_sgr(&stdout);
        assert!(
            !has_raw_control(without_colour.as_bytes()),
            "{without_colour}"
        );
        assert!(!has_raw_control(&output.stderr));
        // The id and the value are shown, as visible escapes (the id wraps
        // in its column, so only its start is looked for).
        assert!(stdout.contains("ESC-\\u{1b}]8;;http"), "{stdout}");
        assert!(stdout.contains("\\u{1b}]8;;http://evil.example/\\u{7}approved"));
    }
    // JSON escapes them (serde_json writes control characters as \u001b).
    let output = blcheck()
        .args(["audit", escapes, "--as-of", AS_OF, "--format", "json"])
        .output()
        .expect("runs");
    assert!(!output.stdout.contains(&0x1b) && !output.stdout.contains(&0x07));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(findings_of(&json, escapes)[0]["document"]
        .as_str()
        .is_some_and(|d| d.starts_with("ESC-\u{1b}]8;;")));
}

#[test]
fn a_whole_hostile_tree_prints_no_raw_escape_in_the_table() {
    let (_temp, dir, hostile) = temp_tree();
    for entry in fs::read_dir(root().join("fixtures/hostile")).expect("fixtures/hostile") {
        let path = entry.expect("entry").path();
        fs::copy(&path, hostile.join(path.file_name().expect("name"))).expect("copy");
    }
    let output = blcheck()
        .current_dir(&dir)
        .args(["audit", "hostile", "--as-of", AS_OF, "--color", "never"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(!has_raw_control(&output.stdout));
    assert!(!has_raw_control(&output.stderr));
}

/// `text` without SGR colour sequences (`ESC [ … m`), the only escapes
/// blcheck writes itself.
fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("\u{1b}[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(end) if after[end..].starts_with('m') => rest = &after[end + 1..],
            _ => {
                // Not a colour: keep it, so the assertion sees it.
                out.push_str("\u{1b}[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A tree of every hostile file (but the million-item list, the slowest to
/// parse, which gives one fixed finding) beside the good courses.
fn hostile_tree(dir: &Path) {
    let hostile = dir.join("hostile");
    fs::create_dir_all(&hostile).expect("mkdir");
    for (name, _) in CASES.iter().filter(|(n, _)| *n != "million-items.yaml") {
        make(name, &hostile);
    }
    make_good(&dir.join("good"));
}

#[test]
fn hostile_output_is_byte_identical_across_runs_and_thread_counts() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("tree");
    hostile_tree(&dir);
    let run = |format: &str, jobs: &str| {
        blcheck()
            .current_dir(&dir)
            .args(["audit", "hostile", "good", "--as-of", AS_OF])
            .args(["--format", format, "--jobs", jobs])
            .output()
            .expect("runs")
            .stdout
    };
    for format in ["json", "table"] {
        let one = run(format, "1");
        assert!(!one.is_empty());
        assert_eq!(one, run(format, "2"), "{format}");
        assert_eq!(one, run(format, "2"), "{format}");
    }
    restore(&dir.join("hostile"));
}

/// Every entry under `dir`, links not followed: its kind, modification
/// time and, for readable regular files, content.
fn snapshot(dir: &Path) -> Vec<(String, String, Option<std::time::SystemTime>, Vec<u8>)> {
    let mut entries = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let meta = fs::symlink_metadata(&path).expect("metadata");
        let kind = format!("{:?}", meta.file_type());
        let content = if meta.is_file() {
            fs::read(&path).unwrap_or_default()
        } else {
            Vec::new()
        };
        if meta.is_dir() {
            for entry in fs::read_dir(&path).expect("read_dir") {
                pending.push(entry.expect("entry").path());
            }
        }
        let name = path.to_string_lossy().into_owned();
        entries.push((name, kind, meta.modified().ok(), content));
    }
    entries.sort();
    entries
}

#[test]
fn audit_writes_nothing_in_a_hostile_tree() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("tree");
    hostile_tree(&dir);
    let before = snapshot(&dir);
    for follow in [false, true] {
        let mut cmd = blcheck();
        cmd.current_dir(&dir)
            .args(["audit", ".", "--as-of", AS_OF, "--format", "json"]);
        if follow {
            cmd.arg("--follow-symlinks");
        }
        cmd.assert().code(1);
    }
    assert!(before == snapshot(&dir), "the audited tree changed");
    restore(&dir.join("hostile"));
}

#[test]
fn a_long_id_cannot_squeeze_the_table_messages() {
    // A 200-character id (kept from a 5,000-character one) once made the
    // Document column wider than the table, leaving every message one
    // character wide: 5,545 lines here, and gigabytes for a big run.
    let output = blcheck()
        .args(["audit", "fixtures/hostile/long-values.yaml"])
        .args(["fixtures/hostile/many-problems.yaml", "--as-of", AS_OF])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.lines().count() < 200, "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 180), "{table}");
}

/// A blcheck.toml in the audited repository naming policies that are a
/// link to /dev/zero, a FIFO, a link to /proc: each refused at once with
/// its name, never read without end (a 30 s guard stands for "hangs").
#[test]
fn policies_and_settings_that_never_end_are_refused_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.toml")).expect("link");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("fifo.toml"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink("/proc/self/status", dir.path().join("proc.toml")).expect("link");
    make_good(dir.path());
    for (policy, says) in [
        ("zero.toml", "not a regular file"),
        ("fifo.toml", "not a regular file"),
        ("proc.toml", "on /proc"),
    ] {
        fs::write(
            dir.path().join("blcheck.toml"),
            format!("policies = [\"{policy}\"]\n"),
        )
        .expect("write");
        let output = blcheck()
            .current_dir(dir.path())
            .args(["audit", "."])
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{policy}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(policy) && stderr.contains(says),
            "{policy}: {stderr}"
        );
    }
    // blcheck.toml itself as a FIFO: refused, not waited on.
    fs::remove_file(dir.path().join("blcheck.toml")).expect("remove");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("blcheck.toml"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let output = blcheck()
        .current_dir(dir.path())
        .args(["audit", "."])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a regular file"));
}

/// Many small documents, each within every per-file limit: the run stops
/// at its own limits with a located DOC015, writes what it has (valid
/// JSON), and exits 2; the limits are raised by flag or blcheck.toml.
#[test]
fn a_run_stops_at_its_limits_and_says_where() {
    let dir = tempfile::tempdir().expect("temp dir");
    let course =
        fs::read_to_string(root().join("fixtures/courses/digital-marketer-l3-online.yaml"))
            .expect("fixture");
    for file in 0..3 {
        let documents: Vec<String> = (0..20)
            .map(|n| course.replacen("id: DM-L3-ONLINE-2025", &format!("id: AMP-{file}-{n}"), 1))
            .collect();
        write(
            &dir.path().join(format!("amp{file}.yaml")),
            documents.join("\n---\n"),
        );
    }
    let run = |args: &[&str]| {
        let output = blcheck()
            .current_dir(dir.path())
            .args(["audit", ".", "--as-of", "2025-11-01", "--format", "json"])
            .args(args)
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .expect("runs");
        let json: Value =
            serde_json::from_slice(&output.stdout).expect("the report is written whole");
        (json, output.status.code())
    };
    let (json, code) = run(&["--max-documents", "25"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        json["summary"]["documents"], 40,
        "two whole files, the second crossing the limit"
    );
    let limit: Vec<&Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "DOC015")
        .collect();
    assert_eq!(limit.len(), 1);
    assert_eq!(limit[0]["file"], "amp1.yaml");
    assert_eq!(
        (limit[0]["line"].clone(), limit[0]["column"].clone()),
        (1.into(), 1.into())
    );
    assert!(limit[0]["message"]
        .as_str()
        .expect("text")
        .contains("limit of 25 documents"));
    let (json, code) = run(&["--max-findings", "100"]);
    assert_eq!(code, Some(2));
    assert!(json["findings"].as_array().expect("findings").len() < 250);
    // Within the limits, the run is as usual.
    let (json, code) = run(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(json["summary"]["documents"], 60);
    // blcheck.toml sets the limit like any rule parameter.
    write(
        &dir.path().join("blcheck.toml"),
        "[rules.DOC015]\nparams = { max_documents = 10 }\n",
    );
    let (json, code) = run(&[]);
    assert_eq!(code, Some(2));
    assert_eq!(json["summary"]["documents"], 20);
    // A file may hold at most --max-documents-per-file documents.
    fs::remove_file(dir.path().join("blcheck.toml")).expect("remove");
    let (json, code) = run(&["--max-documents-per-file", "5"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["summary"]["documents"], 0);
    assert_eq!(
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["rule"] == "DOC001")
            .count(),
        3
    );
}
