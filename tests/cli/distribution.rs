//! blcheck where users install and run it, as a CI engineer would try it:
//! the wheel built with maturin and installed into a fresh virtual
//! environment; the pre-commit hook run with `pre-commit try-repo` on a
//! course repository written here, with a duplicate id split across two
//! folders; the GitHub Action's steps run locally with the `GITHUB_*`
//! files a runner gives them, and its steps and docs/ci.md's workflow
//! checked by actionlint.
//!
//! Building the wheel compiles the release binary (minutes), so the tests
//! that need it run in CI (`CI` set) and elsewhere only when asked
//! (`BLCHECK_WHEEL_TESTS=1`), saying so when they do not. maturin,
//! pre-commit and actionlint come from `.ci/install-tools`.

use super::support::{installed, root};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn say(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// A program of the Python tools' environment (`.ci/tools/python`).
fn python_tool(name: &str) -> Option<PathBuf> {
    installed(root().join(".ci/tools/python/bin").join(name))
}

fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("{command:?} does not start: {e}"))
}

fn succeed(command: &mut Command) -> Output {
    let output = run(command);
    assert!(
        output.status.success(),
        "{command:?} failed ({:?}):\n{}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The wheel `maturin build --release` makes of this checkout, built once
/// per test run (cargo keeps the release build in `target/`, so a later
/// run only packages it again). `None`, with a message, where the wheel
/// tests are not to run.
fn built_wheel() -> Option<PathBuf> {
    static WHEEL: OnceLock<Option<PathBuf>> = OnceLock::new();
    WHEEL
        .get_or_init(|| {
            let asked = std::env::var_os("BLCHECK_WHEEL_TESTS").is_some_and(|v| v == "1");
            if std::env::var_os("CI").is_none() && !asked {
                say("skipping the wheel build (a release build): it runs in CI, or with BLCHECK_WHEEL_TESTS=1");
                return None;
            }
            let maturin = python_tool("maturin")?;
            let out = root().join("target/dist-tests/wheels");
            let _ = fs::remove_dir_all(&out);
            succeed(
                Command::new(maturin)
                    .current_dir(root())
                    .args(["build", "--release", "--quiet", "--out"])
                    .arg(&out),
            );
            let wheels: Vec<PathBuf> = fs::read_dir(&out)
                .expect("maturin's output folder")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "whl"))
                .collect();
            assert_eq!(wheels.len(), 1, "one wheel: {wheels:?}");
            let name = wheels[0].file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                name.starts_with(&format!("blcheck-{VERSION}-py3-none-")),
                "{name}"
            );
            Some(wheels[0].clone())
        })
        .clone()
}

/// A fresh virtual environment with the wheel installed, as a user's
/// `pip install blcheck-….whl` (pipx and uv do the same) makes it.
fn install_wheel(wheel: &Path, into: &Path) -> PathBuf {
    succeed(Command::new("python3").args(["-m", "venv"]).arg(into));
    succeed(
        Command::new(into.join("bin/python"))
            .args(["-m", "pip", "install", "--quiet", "--no-index"])
            .arg(wheel)
            .env_remove("PIP_FIND_LINKS"),
    );
    into.join("bin")
}

#[test]
fn the_wheel_installs_into_a_fresh_environment_and_audits() {
    let Some(wheel) = built_wheel() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = install_wheel(&wheel, &dir.path().join("venv"));

    let version = succeed(Command::new(bin.join("blcheck")).arg("--version"));
    let expected = succeed(Command::new(assert_cmd::cargo::cargo_bin("blcheck")).arg("--version"));
    assert!(text(&version.stdout).starts_with(&format!("blcheck {VERSION} ")));
    assert_eq!(text(&version.stdout), text(&expected.stdout));

    let audit = run(Command::new(bin.join("blcheck"))
        .current_dir(root())
        .args(["audit", "fixtures/courses"]));
    assert_eq!(audit.status.code(), Some(1), "{}", text(&audit.stderr));
    assert!(text(&audit.stdout).contains("DM-L3-ONLINE-2025"));

    // The wheel's binary is this checkout's blcheck: the same report.
    let json = |program: &Path| {
        run(Command::new(program).current_dir(root()).args([
            "audit",
            "fixtures/courses",
            "--as-of",
            "2025-11-01",
            "--format",
            "json",
        ]))
        .stdout
    };
    assert_eq!(
        json(&bin.join("blcheck")),
        json(&assert_cmd::cargo::cargo_bin("blcheck"))
    );

    // The metadata pip shows and PyPI would: version from Cargo.toml,
    // the licence, the README as the description.
    let metadata = succeed(Command::new(bin.join("python")).args([
        "-c",
        "import json, importlib.metadata as m; d = m.metadata('blcheck'); \
         print(json.dumps({k: d[k] for k in ('Name', 'Version', 'Summary', \
         'License-Expression', 'Description-Content-Type')} | \
         {'Description': d.get_payload()}))",
    ]));
    let metadata: Value = serde_json::from_slice(&metadata.stdout).expect("JSON");
    assert_eq!(metadata["Name"], "blcheck");
    assert_eq!(metadata["Version"], VERSION);
    assert_eq!(metadata["License-Expression"], "MIT OR Apache-2.0");
    assert!(
        metadata["Description-Content-Type"]
            .as_str()
            .is_some_and(|t| t.starts_with("text/markdown")),
        "{metadata}"
    );
    assert_eq!(metadata["Summary"], env!("CARGO_PKG_DESCRIPTION"));
    let readme = fs::read_to_string(root().join("README.md")).expect("README");
    assert_eq!(
        metadata["Description"].as_str().map(str::trim),
        Some(readme.trim())
    );
}

/// A course repository as course authors keep one: courses in folders, a
/// course copied into another folder without changing its id, blcheck.toml
/// turning a rule off, and a YAML file that is not a blcheck document.
fn course_repository(dir: &Path) {
    let course =
        fs::read_to_string(root().join("fixtures/rules/BLP001/pass.yaml")).expect("fixture");
    let id = "FS-ENG-L2-BLP001-PASS";
    assert!(course.contains(&format!("id: {id}\n")));
    let mut files = vec![
        (
            "courses/english/fs-english-l2.yaml".to_string(),
            course.clone(),
        ),
        (
            "courses/summer-school/fs-english-l2.yaml".to_string(),
            course.replace(
                "title: Functional Skills English Level 2",
                "title: Functional Skills English Level 2 (summer school)",
            ),
        ),
    ];
    for n in 1..=6 {
        files.push((
            format!("courses/maths/fs-maths-l{n}.yaml"),
            course.replace(&format!("id: {id}\n"), &format!("id: FS-MATHS-L{n}\n")),
        ));
    }
    files.push((
        "blcheck.toml".to_string(),
        "# Equal scrutiny is reviewed by the quality team, not by the hook.\n[rules.BLP013]\nseverity = \"off\"\n".to_string(),
    ));
    files.push((
        ".gitlab-ci.yml".to_string(),
        "lint:\n  script: [make lint]\n".to_string(),
    ));
    for (path, content) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
        fs::write(path, content).expect("write");
    }
}

fn git(dir: &Path, args: &[&str]) {
    succeed(
        Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.name=Course Author",
                "-c",
                "user.email=author@example.org",
            ])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args),
    );
}

fn committed(dir: &Path) {
    git(dir, &["init", "--quiet"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "--quiet", "-m", "courses"]);
}

/// The pre-commit mirror, as an organisation pushes it to a repository of
/// its own, with `change` made to its hook definitions.
fn mirror_repository(dir: &Path, change: impl Fn(String) -> String) {
    fs::create_dir_all(dir).expect("mkdir");
    for name in ["pyproject.toml", ".pre-commit-hooks.yaml", "README.md"] {
        let content = fs::read_to_string(root().join("pre-commit-mirror").join(name)).expect(name);
        let content = if name == ".pre-commit-hooks.yaml" {
            change(content)
        } else {
            content
        };
        fs::write(dir.join(name), content).expect("write");
    }
    committed(dir);
}

/// The rows' header of each table blcheck printed: one per process.
fn tables(log: &str) -> usize {
    log.matches("│ Location").count()
}

#[test]
fn pre_commit_try_repo_sees_a_duplicate_id_across_folders_without_a_compiler() {
    let Some(wheel) = built_wheel() else { return };
    let Some(pre_commit) = python_tool("pre-commit") else {
        return;
    };
    let Some(setuptools) = installed(root().join(".ci/tools/wheels")) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("courses-repo");
    course_repository(&repo);
    committed(&repo);

    // No cargo, no rustc: the hook's environment is the wheel, from the
    // folder pip is pointed at as it would be at an index.
    let path = "/usr/local/bin:/usr/bin:/bin";
    let which_cargo = run(Command::new("sh")
        .args(["-c", "command -v cargo rustc"])
        .env("PATH", path));
    assert!(
        which_cargo.stdout.is_empty(),
        "cargo on {path}: {}",
        text(&which_cargo.stdout)
    );
    let try_repo = |mirror: &Path| {
        run(Command::new(&pre_commit)
            .current_dir(&repo)
            .args(["try-repo"])
            .arg(mirror)
            .args([
                "blcheck-wheel",
                "--all-files",
                "--verbose",
                "--color",
                "never",
            ])
            .env("PATH", path)
            .env("HOME", dir.path())
            .env("PRE_COMMIT_HOME", dir.path().join("pre-commit-cache"))
            .env("PIP_NO_INDEX", "1")
            .env(
                "PIP_FIND_LINKS",
                format!(
                    "{} {}",
                    wheel.parent().unwrap().display(),
                    setuptools.display()
                ),
            )
            .env_remove("PIP_INDEX_URL")
            .env_remove("VIRTUAL_ENV"))
    };

    let mirror = dir.path().join("blcheck-pre-commit");
    mirror_repository(&mirror, |hooks| hooks);
    let output = try_repo(&mirror);
    let log = text(&output.stdout) + &text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the hook fails the commit:\n{log}"
    );
    assert_eq!(tables(&log), 1, "one process for every file:\n{log}");
    let duplicate = log
        .lines()
        .position(|l| l.contains("DOC005"))
        .unwrap_or_else(|| panic!("the duplicate id across folders is found:\n{log}"));
    let around = log
        .lines()
        .skip(duplicate)
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        around.contains("courses/english/fs-english-l2.yaml")
            || around.contains("courses/summer-school/fs-english-l2.yaml"),
        "{around}"
    );
    assert!(log.contains("BLP002"), "the dated rules run:\n{log}");
    assert!(
        !log.contains("BLP013"),
        "blcheck.toml turned BLP013 off:\n{log}"
    );
    assert!(
        !log.contains(".gitlab-ci.yml"),
        "a YAML file that is no blcheck document is skipped:\n{log}"
    );

    // The same hook without require_serial: pre-commit splits the files
    // into batches, one process (and one table) each, which is what
    // require_serial is there to prevent.
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    if cpus < 2 {
        say("skipping the batched control run: pre-commit runs one batch on one CPU");
        return;
    }
    let batched = dir.path().join("blcheck-pre-commit-batched");
    mirror_repository(&batched, |hooks| {
        assert!(hooks.contains("require_serial: true"));
        hooks.replace("require_serial: true", "require_serial: false")
    });
    let output = try_repo(&batched);
    let log = text(&output.stdout) + &text(&output.stderr);
    assert!(tables(&log) >= 2, "batched, one table per batch:\n{log}");
}

#[test]
fn the_hook_definitions_are_valid_and_the_mirror_matches_this_repository() {
    let Some(pre_commit) = python_tool("pre-commit") else {
        return;
    };
    succeed(Command::new(pre_commit).current_dir(root()).args([
        "validate-manifest",
        ".pre-commit-hooks.yaml",
        "pre-commit-mirror/.pre-commit-hooks.yaml",
    ]));
    let hooks = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let mirror = fs::read_to_string(root().join("pre-commit-mirror/.pre-commit-hooks.yaml"))
        .expect("mirror");
    let wheel_hook = &hooks[hooks.find("- id: blcheck-wheel").expect("the wheel hook")..];
    assert!(
        mirror.ends_with(wheel_hook),
        "the mirror's hook is blcheck-wheel word for word"
    );
    for definitions in [&hooks, &mirror] {
        let ids = definitions.matches("- id: ").count();
        assert_eq!(
            definitions.matches("\n  require_serial: true\n").count(),
            ids
        );
    }
    let stub = fs::read_to_string(root().join("pre-commit-mirror/pyproject.toml")).expect("stub");
    assert!(
        stub.contains(&format!("version = \"{VERSION}\"")),
        "the mirror's version is blcheck's"
    );
    assert!(
        stub.contains(&format!("dependencies = [\"blcheck=={VERSION}\"]")),
        "it pins this blcheck"
    );
}

/// action.yml as JSON, read with PyYAML (which pre-commit brings).
fn action() -> Option<Value> {
    let python = python_tool("python")?;
    let output = succeed(
        Command::new(python)
            .arg("-c")
            .arg("import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)")
            .arg(root().join("action.yml")),
    );
    Some(serde_json::from_slice(&output.stdout).expect("JSON"))
}

/// What one local run of the action gives back.
struct ActionRun {
    /// The Audit step's exit status (`None` if an earlier step failed).
    status: Option<i32>,
    log: String,
    outputs: BTreeMap<String, String>,
    summary: String,
}

/// Runs the action's steps as a runner runs a composite action: each
/// `run` with `bash --noprofile --norc -eo pipefail`, its `env` and
/// `working-directory`, `${{ … }}` replaced first (only the contexts the
/// action may use: any other expression fails the test), `$GITHUB_PATH`
/// and `$GITHUB_OUTPUT` read back after each step.
fn run_action(action: &Value, workspace: &Path, inputs: &[(&str, &str)], path: &str) -> ActionRun {
    run_action_with(action, workspace, inputs, path, &[])
}

/// [`run_action`] with more variables in the runner's environment.
fn run_action_with(
    action: &Value,
    workspace: &Path,
    inputs: &[(&str, &str)],
    path: &str,
    runner_env: &[(&str, String)],
) -> ActionRun {
    let runner = tempfile::tempdir().expect("runner temp");
    let summary = runner.path().join("step-summary.md");
    let github_path = runner.path().join("github-path");
    fs::write(&summary, "").expect("summary");
    fs::write(&github_path, "").expect("path file");
    let declared = action["inputs"].as_object().expect("inputs");
    for (name, _) in inputs {
        assert!(
            declared.contains_key(*name),
            "{name} is not an input of the action"
        );
    }
    let input = |name: &str| -> String {
        let spec = declared
            .get(name)
            .unwrap_or_else(|| panic!("no input {name}"));
        inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| spec["default"].as_str().unwrap_or_default().to_string())
    };
    let expand = |text: &str| -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("an expression's end") + start;
            let expression = rest[start + 3..end].trim();
            let value = if let Some(name) = expression.strip_prefix("inputs.") {
                input(name)
            } else if expression == "github.action_path" {
                root().display().to_string()
            } else {
                panic!("the local runner does not know ${{{{ {expression} }}}}")
            };
            out.push_str(&value);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    };
    assert_eq!(action["runs"]["using"], "composite");
    let mut log = String::new();
    let mut path = path.to_string();
    let mut outputs = BTreeMap::new();
    let mut status = None;
    for (i, step) in action["runs"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .enumerate()
    {
        assert_eq!(step["shell"], "bash", "every step names its shell");
        assert!(
            step.get("if").is_none(),
            "the local runner evaluates no `if`"
        );
        let script = runner.path().join(format!("step-{i}.sh"));
        fs::write(&script, expand(step["run"].as_str().expect("a run step"))).expect("script");
        let output_file = runner.path().join(format!("output-{i}"));
        fs::write(&output_file, "").expect("output file");
        let cwd = workspace.join(expand(step["working-directory"].as_str().unwrap_or(".")));
        let mut command = Command::new("bash");
        command
            .current_dir(cwd)
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", runner.path())
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_ENV", runner.path().join("github-env"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_TEMP", runner.path())
            .envs(runner_env.iter().map(|(k, v)| (k, v)));
        for (name, value) in step["env"].as_object().into_iter().flatten() {
            command.env(name, expand(value.as_str().expect("an env value")));
        }
        let output = run(&mut command);
        log.push_str(&text(&output.stdout));
        log.push_str(&text(&output.stderr));
        // Lines added to $GITHUB_PATH come first on PATH for later steps.
        for dir in fs::read_to_string(&github_path)
            .expect("path file")
            .lines()
            .rev()
        {
            if !path.split(':').any(|p| p == dir) {
                path = format!("{dir}:{path}");
            }
        }
        if step["id"] == "audit" {
            status = output.status.code();
            for line in fs::read_to_string(&output_file).expect("outputs").lines() {
                let (key, value) = line.split_once('=').expect("key=value");
                outputs.insert(key.to_string(), value.to_string());
            }
        } else if !output.status.success() {
            log.push_str(&format!("step {i} failed: {:?}\n", output.status.code()));
            break;
        }
    }
    // The action's outputs are the Audit step's.
    for (name, spec) in action["outputs"].as_object().expect("outputs") {
        let value = spec["value"].as_str().expect("a value");
        let key = value
            .strip_prefix("${{ steps.audit.outputs.")
            .and_then(|v| v.strip_suffix(" }}"))
            .unwrap_or_else(|| panic!("output {name}: {value}"));
        assert!(
            outputs.contains_key(key) || status.is_none(),
            "the Audit step sets {key}"
        );
    }
    ActionRun {
        status,
        log,
        outputs,
        summary: fs::read_to_string(&summary).expect("summary"),
    }
}

/// A directory holding `blcheck`: a wrapper that notes its arguments in
/// `args.log` and runs the binary under test.
fn noting_blcheck(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).expect("mkdir");
    let wrapper = bin.join("blcheck");
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            dir.join("args.log").display(),
            assert_cmd::cargo::cargo_bin("blcheck").display()
        ),
    )
    .expect("wrapper");
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).expect("chmod");
    bin
}

#[test]
fn the_action_runs_locally_as_a_runner_runs_its_steps() {
    let Some(action) = action() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("workspace");
    course_repository(&workspace);
    let system_path = "/usr/local/bin:/usr/bin:/bin";

    // Installed from the wheel, as `install: wheel` does on a runner.
    let (install, wheel, path) = match built_wheel() {
        Some(wheel) => (
            "wheel",
            wheel.display().to_string(),
            system_path.to_string(),
        ),
        None => {
            say("the action's install step is run with install: none (blcheck on PATH), as the wheel is not built");
            let bin = noting_blcheck(dir.path());
            (
                "none",
                String::new(),
                format!("{}:{system_path}", bin.display()),
            )
        }
    };
    let run = run_action(
        &action,
        &workspace,
        &[
            ("install", install),
            ("wheel", &wheel),
            ("paths", "courses"),
            ("formats", "github, sarif markdown gitlab"),
            ("fail-on", "error"),
        ],
        &path,
    );
    assert_eq!(
        run.status,
        Some(1),
        "the findings fail the step:\n{}",
        run.log
    );
    assert_eq!(run.outputs["exit-code"], "1");
    let annotations: Vec<&str> = run.log.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        annotations
            .iter()
            .any(|l| l.starts_with("::error file=courses/") && l.contains("DOC005")),
        "the duplicate id is annotated:\n{}",
        run.log
    );
    let sarif_file = PathBuf::from(&run.outputs["sarif-file"]);
    assert_eq!(sarif_file, workspace.join("blcheck.sarif"));
    let sarif: Value =
        serde_json::from_slice(&fs::read(&sarif_file).expect("SARIF written")).expect("JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .len();
    assert_eq!(
        results,
        annotations.len(),
        "one annotation per SARIF result"
    );
    assert!(
        run.summary.starts_with('#') && run.summary.contains("DOC005"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("BLP013 severity = off"),
        "blcheck.toml was read:\n{}",
        run.summary
    );
    assert!(
        !annotations.iter().any(|l| l.contains("BLP013")),
        "BLP013 is off"
    );
    let quality: Value = serde_json::from_slice(
        &fs::read(workspace.join("gl-code-quality-report.json")).expect("written"),
    )
    .expect("JSON");
    assert_eq!(quality.as_array().map(Vec::len), Some(results));

    // Exit status passed through: 0 when nothing gates, 2 when the run
    // cannot be done; the summary is written either way.
    let bin = noting_blcheck(dir.path());
    let path = format!("{}:{system_path}", bin.display());
    let passing = run_action(
        &action,
        &workspace,
        &[
            ("install", "none"),
            ("paths", "courses"),
            ("fail-on", "never"),
        ],
        &path,
    );
    assert_eq!(passing.status, Some(0), "{}", passing.log);
    assert_eq!(passing.outputs["exit-code"], "0");
    assert!(passing.summary.contains("DOC005"));
    let broken = run_action(
        &action,
        &workspace,
        &[("install", "none"), ("config", "missing.toml")],
        &path,
    );
    assert_eq!(broken.status, Some(2), "{}", broken.log);
    assert_eq!(broken.outputs["exit-code"], "2");
    let unknown = run_action(
        &action,
        &workspace,
        &[("install", "none"), ("formats", "pdf")],
        &path,
    );
    assert_eq!(unknown.status, Some(2));
    assert!(
        unknown
            .log
            .contains("::error title=blcheck formats::unknown format 'pdf'"),
        "{}",
        unknown.log
    );

    // `baseline` becomes `--baseline FILE`, and nothing when not given.
    let log = dir.path().join("args.log");
    let _ = fs::remove_file(&log);
    run_action(
        &action,
        &workspace,
        &[("install", "none"), ("paths", "courses")],
        &path,
    );
    let without = fs::read_to_string(&log).expect("blcheck ran");
    assert!(
        without.contains("audit courses --format github --output - --format sarif"),
        "{without}"
    );
    assert!(!without.contains("--baseline"), "{without}");
    // Adopting blcheck on the catalogue as it is: today's failures go in a
    // baseline, committed; the action then shows them and passes.
    succeed(
        Command::new(assert_cmd::cargo::cargo_bin("blcheck"))
            .current_dir(&workspace)
            .args(["baseline", "courses", "--output", "blcheck-baseline.json"]),
    );
    let baselined = run_action(
        &action,
        &workspace,
        &[
            ("install", "none"),
            ("paths", "courses"),
            ("baseline", "blcheck-baseline.json"),
        ],
        &path,
    );
    let with = fs::read_to_string(&log).expect("blcheck ran");
    assert!(with.contains("--baseline blcheck-baseline.json"), "{with}");
    assert_eq!(baselined.status, Some(0), "{}", baselined.log);
    assert!(
        baselined.log.contains("DOC005 duplicate-id (baselined)"),
        "{}",
        baselined.log
    );
}

/// actionlint (rhysd/actionlint built to WebAssembly) on each workflow
/// given as `(name, text)`: its findings, one per line.
fn actionlint(workflows: &[(String, String)]) -> Option<String> {
    let linter = installed(root().join(".ci/tools/actionlint/node_modules/actionlint/node.cjs"))?;
    let script = "const { createLinter } = require(process.argv[1]);\n\
        const workflows = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n\
        createLinter().then((lint) => {\n\
          for (const [name, text] of workflows) {\n\
            for (const e of lint(text, name)) console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);\n\
          }\n\
        });\n";
    let mut child = Command::new("node")
        .args(["-e", script])
        .arg(linter)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&serde_json::to_vec(workflows).expect("JSON"))
        .expect("write");
    let output = child.wait_with_output().expect("node ends");
    assert!(output.status.success(), "{}", text(&output.stderr));
    Some(text(&output.stdout))
}

#[test]
fn actionlint_finds_nothing_in_the_actions_steps_or_the_documented_workflow() {
    let Some(action) = action() else { return };
    // The action's steps as the job of a workflow whose inputs are the
    // action's: actionlint checks their expressions, contexts and shells
    // (it reads action metadata only through a workflow that uses it).
    let inputs: serde_json::Map<String, Value> = action["inputs"]
        .as_object()
        .expect("inputs")
        .iter()
        .map(|(name, spec)| {
            (
                name.clone(),
                serde_json::json!({
                    "description": spec["description"],
                    "required": false,
                    "default": spec["default"],
                    "type": "string",
                }),
            )
        })
        .collect();
    let workflow = serde_json::json!({
        "name": "action steps",
        "on": { "workflow_dispatch": { "inputs": inputs } },
        "jobs": { "action": { "runs-on": "ubuntu-latest", "steps": action["runs"]["steps"] } },
    });
    let mut workflows = vec![(
        "action.yml".to_string(),
        serde_json::to_string_pretty(&workflow).expect("JSON"),
    )];
    // docs/ci.md's GitHub workflows, as a user copies them.
    let ci = fs::read_to_string(root().join("docs/ci.md")).expect("docs/ci.md");
    for (i, block) in ci.split("```yaml\n").skip(1).enumerate() {
        let block = &block[..block.find("```").expect("a block's end")];
        if block.contains("\non:") || block.starts_with("on:") || block.contains("\njobs:") {
            workflows.push((format!("docs/ci.md workflow {i}"), block.to_string()));
        }
    }
    assert!(workflows.len() >= 2, "docs/ci.md shows a GitHub workflow");
    assert!(
        workflows
            .iter()
            .any(|(_, text)| text.contains("uses: ") && text.contains("/blcheck@")),
        "docs/ci.md's workflow uses the action"
    );
    let Some(findings) = actionlint(&workflows) else {
        return;
    };
    assert_eq!(findings, "", "actionlint:\n{findings}");
}

#[test]
fn the_packaging_recipe_puts_completions_and_man_pages_where_shells_look() {
    let doc = fs::read_to_string(root().join("docs/packaging.md")).expect("docs/packaging.md");
    let recipe = doc
        .split("```sh\n")
        .skip(1)
        .map(|block| &block[..block.find("```").expect("a block's end")])
        .find(|block| block.contains("$DESTDIR"))
        .expect("the packaging recipe");
    let dir = tempfile::tempdir().expect("temp dir");
    let binary = assert_cmd::cargo::cargo_bin("blcheck");
    let path = format!(
        "{}:/usr/local/bin:/usr/bin:/bin",
        binary.parent().expect("the binary's folder").display()
    );
    succeed(
        Command::new("sh")
            .args(["-e", "-c", recipe])
            .env("DESTDIR", dir.path())
            .env("PATH", path),
    );
    let read = |relative: &str| {
        fs::read_to_string(dir.path().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    };
    let bash = dir
        .path()
        .join("usr/share/bash-completion/completions/blcheck");
    succeed(Command::new("bash").arg("-n").arg(&bash));
    assert!(read("usr/share/bash-completion/completions/blcheck").contains("complete -F _blcheck"));
    assert!(read("usr/share/zsh/site-functions/_blcheck").starts_with("#compdef blcheck"));
    assert!(
        read("usr/share/fish/vendor_completions.d/blcheck.fish").contains("complete -c blcheck")
    );
    for page in ["blcheck.1", "blcheck-audit.1", "blcheck-renewals.1"] {
        let title = format!(".TH {} 1 ", page.trim_end_matches(".1").to_uppercase());
        assert!(
            read(&format!("usr/share/man/man1/{page}")).contains(&title),
            "{page} is a man page"
        );
    }
    // The table names every place the recipe writes to.
    for place in [
        "/usr/share/bash-completion/completions/blcheck",
        "/usr/share/zsh/site-functions/_blcheck",
        "/usr/share/fish/vendor_completions.d/blcheck.fish",
        "/usr/share/man/man1/",
    ] {
        assert!(
            doc.contains(&format!("| `{place}")),
            "the table names {place}"
        );
    }
}

#[test]
fn the_actions_cargo_install_builds_the_actions_own_source() {
    // A release build of this checkout, as the wheel's: with the wheel tests.
    if built_wheel().is_none() {
        return;
    }
    let Some(action) = action() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("workspace");
    course_repository(&workspace);
    // The runner's Rust toolchain: cargo on PATH and its homes, as
    // ubuntu-latest has them. `cargo install --path` builds in the source's
    // own target/, so the release build of the wheel is reused.
    let cargo = which("cargo").expect("cargo is on PATH (cargo test runs)");
    let home = std::env::var("HOME").unwrap_or_default();
    let toolchain =
        |name: &'static str, default: String| (name, std::env::var(name).unwrap_or(default));
    let path = format!(
        "{}:/usr/local/bin:/usr/bin:/bin",
        cargo.parent().unwrap().display()
    );
    let run = run_action_with(
        &action,
        &workspace,
        &[
            ("install", "cargo"),
            ("paths", "courses"),
            ("formats", "markdown"),
        ],
        &path,
        &[
            toolchain("CARGO_HOME", format!("{home}/.cargo")),
            toolchain("RUSTUP_HOME", format!("{home}/.rustup")),
        ],
    );
    assert_eq!(run.status, Some(1), "{}", run.log);
    assert!(
        run.log.contains(&format!("blcheck {VERSION} ")),
        "the installed blcheck ran:\n{}",
        run.log
    );
    assert!(run.summary.contains("DOC005"), "{}", run.summary);
}

/// Where `name` is on this process's PATH.
fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
