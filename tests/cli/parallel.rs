//! The parallel, chunked audit on a generated corpus of a few hundred
//! files (the benchmark's generator, written to a temporary directory):
//! the same bytes whatever the thread count, and nothing on a piped stderr.

#[path = "../../benches/corpus/mod.rs"]
mod corpus;

use assert_cmd::Command;

#[test]
fn thread_counts_give_byte_identical_json_on_a_generated_corpus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = corpus::Options {
        courses: 300,
        plans: 60,
        seed: 7,
        faults_per_course: None,
    };
    let stats = corpus::generate(dir.path(), &options).expect("corpus written");
    assert_eq!(stats.files, 360);
    let run = |jobs: &str| {
        let output = Command::cargo_bin("blcheck")
            .expect("the blcheck binary is built")
            .current_dir(dir.path())
            // Not CI, so that only the pipe keeps the progress bar away.
            .env_remove("CI")
            .args(["audit", ".", "--as-of", corpus::AS_OF, "--format", "json"])
            .args(["--jobs", jobs])
            .output()
            .expect("blcheck runs");
        assert_eq!(output.status.code(), Some(1), "the corpus has failures");
        assert!(
            output.stderr.is_empty(),
            "a piped stderr shows no progress: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    let one = run("1");
    let report: serde_json::Value = serde_json::from_slice(&one).expect("JSON");
    assert_eq!(report["summary"]["documents"], 360);
    assert_eq!(report["summary"]["failed"], stats.violating);
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
}
