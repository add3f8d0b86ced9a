//! Selections that say what they did: `--exclude` and blcheck.toml's
//! `exclude` matching paths as written, excluded files counted, excludes and
//! selections that match nothing warned about, rules selected by name.

use super::support::{blcheck, root};
use std::fs;
use std::path::Path;

const AS_OF: &str = "2025-11-01";

/// A project: three fixture courses under `courses/` (one in
/// `courses/legacy/`) and, when given, `settings` as its blcheck.toml.
fn project(settings: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let courses = dir.path().join("courses");
    fs::create_dir_all(courses.join("legacy")).expect("mkdir");
    for (from, to) in [
        (
            "digital-marketer-l3-online.yaml",
            "digital-marketer-l3-online.yaml",
        ),
        ("fs-english-l2-blended.yaml", "fs-english-l2-blended.yaml"),
        ("esol-courses.yaml", "legacy/esol-courses.yaml"),
    ] {
        fs::copy(root().join("fixtures/courses").join(from), courses.join(to)).expect("copy");
    }
    if let Some(settings) = settings {
        fs::write(dir.path().join("blcheck.toml"), settings).expect("write");
    }
    dir
}

struct Run {
    json: serde_json::Value,
    stderr: String,
    code: i32,
}

/// `blcheck audit ARGS --format json` in `cwd`.
fn audit(cwd: &Path, args: &[&str]) -> Run {
    let output = blcheck()
        .current_dir(cwd)
        .args(["audit", "--as-of", AS_OF, "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| serde_json::json!({ "no JSON; stderr": stderr }));
    Run {
        json,
        stderr,
        code: output.status.code().unwrap_or(-1),
    }
}

/// The files of the report's documents, sorted, without duplicates.
fn files(json: &serde_json::Value) -> Vec<String> {
    let mut files: Vec<String> = json["documents"]
        .as_array()
        .unwrap_or_else(|| panic!("documents in {json}"))
        .iter()
        .filter_map(|d| d["file"].as_str().map(str::to_string))
        .collect();
    files.dedup();
    files
}

const MARKETER: &str = "courses/digital-marketer-l3-online.yaml";
const ENGLISH: &str = "courses/fs-english-l2-blended.yaml";
const LEGACY: &str = "courses/legacy/esol-courses.yaml";

#[test]
fn exclude_matches_paths_as_the_user_wrote_them() {
    let dir = project(None);
    let absolute = dir.path().join(MARKETER).to_string_lossy().into_owned();
    let absolute_dir = dir
        .path()
        .join("courses/legacy")
        .to_string_lossy()
        .into_owned();
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "./courses/digital-marketer-l3-online.yaml",
            &["courses"],
            &[ENGLISH, LEGACY],
        ),
        (
            "courses/digital-marketer-l3-online.yaml",
            &["./courses"],
            &[ENGLISH, LEGACY],
        ),
        (&absolute, &["courses"], &[ENGLISH, LEGACY]),
        ("courses/digital-*.yaml", &["."], &[ENGLISH, LEGACY]),
        ("digital-*.yaml", &["courses"], &[ENGLISH, LEGACY]),
        ("courses/legacy/", &["courses"], &[MARKETER, ENGLISH]),
        (&absolute_dir, &["./courses/"], &[MARKETER, ENGLISH]),
        ("courses/*.yaml", &["courses"], &[LEGACY]),
        ("courses/**/*.yaml", &["courses", "courses/legacy"], &[]),
    ];
    for (glob, paths, left) in cases {
        let run = audit(dir.path(), &[&["--exclude", glob][..], paths].concat());
        if left.is_empty() {
            assert_eq!(run.code, 2, "{glob}: {}", run.stderr);
            continue;
        }
        assert_eq!(files(&run.json), *left, "--exclude {glob} {paths:?}");
        let excluded = 3 - left.len();
        assert_eq!(run.json["summary"]["excluded_files"], excluded, "{glob}");
        assert!(!run.stderr.contains("warning"), "{glob}: {}", run.stderr);
    }
    // A file named on the command line is excluded as well.
    let run = audit(
        dir.path(),
        &[MARKETER, ENGLISH, "--exclude", &format!("./{MARKETER}")],
    );
    assert_eq!(files(&run.json), [ENGLISH]);
    assert_eq!(run.json["summary"]["excluded_files"], 1);
    // No exclude: nothing excluded, and the field is there all the same.
    let run = audit(dir.path(), &["courses"]);
    assert_eq!(run.json["summary"]["excluded_files"], 0);
    assert_eq!(files(&run.json).len(), 3);
}

#[test]
fn settings_excludes_are_relative_to_the_settings_file() {
    let dir = project(Some(
        "paths = [\"courses\"]\nexclude = [\"courses/legacy\", \"drafts/*.yaml\"]\n",
    ));
    let from_legacy = [
        "../digital-marketer-l3-online.yaml",
        "../fs-english-l2-blended.yaml",
    ];
    for (cwd, left, settings) in [
        (
            dir.path().to_path_buf(),
            [MARKETER, ENGLISH],
            "blcheck.toml",
        ),
        (
            dir.path().join("courses/legacy"),
            from_legacy,
            "../../blcheck.toml",
        ),
    ] {
        let run = audit(&cwd, &[]);
        assert_eq!(files(&run.json), left, "from {}", cwd.display());
        assert_eq!(run.json["summary"]["excluded_files"], 1);
        // The glob that matched nothing says where it was written.
        assert_eq!(
            run.stderr,
            format!(
                "blcheck: warning: {settings}:2:30: exclude 'drafts/*.yaml' matches no file or \
                 directory in {}; nothing is excluded by it\n",
                if settings == "blcheck.toml" {
                    "courses"
                } else {
                    ".."
                }
            ),
        );
    }
    // An invalid glob in the file is an error located in the file.
    let dir = project(Some("exclude = [\"a/[b\"]\n"));
    let run = audit(dir.path(), &["courses"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("blcheck.toml:1:12: exclude 'a/[b': invalid glob"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_exclude_that_matches_nothing_is_a_warning_that_changes_nothing_else() {
    let dir = project(None);
    let plain = audit(dir.path(), &["courses"]);
    let run = audit(
        dir.path(),
        &[
            "courses",
            "--exclude",
            "course/legacy",
            "--exclude",
            "legacy",
        ],
    );
    assert_eq!(run.code, plain.code);
    assert_eq!(files(&run.json), [MARKETER, ENGLISH]);
    assert_eq!(
        run.stderr,
        "blcheck: warning: --exclude 'course/legacy' matches no file or directory in courses; \
         nothing is excluded by it\n"
    );
    // What the user wrote is quoted, escape sequences shown, not obeyed.
    let run = audit(dir.path(), &["courses", "--exclude", "x\u{1b}]8;;\u{7}"]);
    assert!(
        run.stderr
            .contains("--exclude 'x\\u{1b}]8;;\\u{7}' matches no file"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'));
}

#[test]
fn the_summary_counts_excluded_files_and_the_error_says_when_excludes_removed_everything() {
    let dir = project(None);
    let table = blcheck()
        .current_dir(dir.path())
        .args(["audit", "courses", "--as-of", AS_OF, "--exclude", "legacy"])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("0 files without a blcheck document skipped; 1 file excluded."),
        "{table}"
    );
    let markdown = blcheck()
        .current_dir(dir.path())
        .args(["audit", "courses", "--as-of", AS_OF, "--format", "markdown"])
        .args(["--exclude", "courses/*.yaml"])
        .output()
        .expect("runs");
    let markdown = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        markdown.contains("; 0 files skipped, 2 excluded."),
        "{markdown}"
    );
    // Every file excluded: the error says so, and by what.
    let run = audit(
        dir.path(),
        &["courses", "--exclude", "courses/**", "--exclude", "nothing"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "blcheck: error: no blcheck document found in courses: the excludes left out all 3 \
             YAML file(s) there (--exclude 'courses/**')"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: --exclude 'nothing' matches no file"),
        "{}",
        run.stderr
    );
    // Some left, none a blcheck document: both counts.
    fs::write(dir.path().join("courses/notes.yaml"), "title: notes\n").expect("write");
    let run = audit(dir.path(), &["courses", "--exclude", "courses/**/*-*.yaml"]);
    assert!(
        run.stderr.contains(
            "no blcheck document found in courses (1 YAML file(s) without a top-level `kind`; 3 \
             excluded by --exclude 'courses/**/*-*.yaml')"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn rules_are_selected_and_ignored_by_name_as_by_id() {
    let dir = project(None);
    let rules = |run: &Run| -> Vec<String> {
        run.json["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("{}", run.json))
            .iter()
            .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let by_id = audit(dir.path(), &["courses", "--select", "BLP001,BLP002"]);
    let by_name = audit(
        dir.path(),
        &[
            "courses",
            "--select",
            "awarding-body-approval",
            "--select",
            "Accessibility-Review",
        ],
    );
    assert_eq!(by_id.json, by_name.json);
    assert_eq!(rules(&by_id), ["BLP001", "BLP002"]);
    assert!(by_name.stderr.is_empty(), "{}", by_name.stderr);
    let ignored = audit(
        dir.path(),
        &[
            "courses",
            "--select",
            "BLP",
            "--ignore",
            "awarding-body-approval",
        ],
    );
    assert!(!rules(&ignored).is_empty());
    assert!(!rules(&ignored).contains(&"BLP001".to_string()));
    // A misspelt name is still an error, with the name it is close to.
    let run = audit(
        dir.path(),
        &["courses", "--select", "awarding-body-aproval"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("'awarding-body-aproval' matches no rule id or name (did you mean awarding-body-approval?)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_select_that_reports_nothing_in_the_run_is_a_warning() {
    let dir = project(None);
    // Learner-plan rules on a run of courses: nothing to check.
    let run = audit(
        dir.path(),
        &["courses", "--select", "ILP", "--select", "DOC"],
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "blcheck: warning: --select 'ILP' reports nothing in this run: the rules it selects are of \
         policies that applied to no document, or are ignored or turned off\n"
    );
    // Selected and ignored: nothing left of it either.
    let run = audit(
        dir.path(),
        &["courses", "--select", "BLP014", "--ignore", "BLP01"],
    );
    assert!(
        run.stderr.contains("--select 'BLP014' reports nothing"),
        "{}",
        run.stderr
    );
    // A selection that could report, whether or not it found anything.
    let run = audit(dir.path(), &["courses", "--select", "BLP003"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(run.json["findings"].as_array().map(Vec::len), Some(0));
}
