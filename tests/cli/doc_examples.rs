//! Every example in README.md and docs/*.md that shows a `$ blcheck …`
//! command with what it prints is a ```` ```console ```` block, and trycmd
//! runs each one from the repository root and compares what the binary
//! prints (standard output and error, in order) with the block: an example
//! cannot drift from the binary. `...` on a line of its own stands for
//! lines left out, `[..]` for part of a line, and a `? N` line after the
//! command for its exit code (no line: 0).
//!
//! The files the examples read are shipped: `fixtures/` and, for the
//! examples that need files of their own, `fixtures/docs/`. Where a doc
//! also shows such a file's text, that text is checked here to be the file.
//!
//! `doc_recipes.rs` runs the report-writing commands and checks the files
//! they write; this file checks what commands print.

use super::support::root;
use std::fs;
use std::path::{Path, PathBuf};

/// README.md and every docs/*.md, in name order, as paths from the root.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            p.strip_prefix(root())
                .expect("under the root")
                .to_path_buf()
        })
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// A fenced code block: its info string (`console`, `sh`, …), whether its
/// fence starts the line, where it starts (1-based) and its lines.
struct Block {
    info: String,
    at_line_start: bool,
    line: usize,
    body: Vec<String>,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim_start();
        match open.take() {
            None => {
                if let Some(info) = text.strip_prefix("```") {
                    open = Some((
                        indent,
                        Block {
                            info: info.trim().to_string(),
                            at_line_start: indent == 0,
                            line: i + 1,
                            body: Vec::new(),
                        },
                    ));
                }
            }
            Some((indent, mut block)) => {
                if text.starts_with("```") {
                    blocks.push(block);
                } else {
                    block
                        .body
                        .push(line.get(indent..).unwrap_or(text).to_string());
                    open = Some((indent, block));
                }
            }
        }
    }
    blocks
}

fn read(path: &Path) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files with at least one ```` ```console ```` block: trycmd's cases.
fn files_with_examples() -> Vec<PathBuf> {
    markdown_files()
        .into_iter()
        .filter(|f| blocks(&read(f)).iter().any(|b| b.info == "console"))
        .collect()
}

#[test]
fn every_console_example_prints_what_the_doc_shows() {
    let files = files_with_examples();
    for expected in [
        "README.md",
        "docs/documents.md",
        "docs/policy-format.md",
        "docs/renewals.md",
        "docs/maturity.md",
    ] {
        assert!(
            files.iter().any(|f| f == Path::new(expected)),
            "{expected} has no console example: {files:?}"
        );
    }
    let cases = trycmd::TestCases::new();
    cases.register_bin("blcheck", trycmd::cargo::cargo_bin!("blcheck"));
    for file in &files {
        cases.case(root().join(file));
    }
    cases.run();
}

/// What trycmd would not run: a `$ ` command in any other kind of block,
/// or in an indented one (trycmd reads fences at the start of a line
/// only); an `echo $?` (the exit code is a `? N` line); a command with
/// output split into a ```` ```sh ```` block and the ```` ```text ```` block
/// after it; an `audit` or `renewals` example without `--as-of`, whose
/// output would change with the date.
#[test]
fn every_example_with_output_is_one_the_runner_runs() {
    let mut problems = Vec::new();
    let mut examples = 0;
    for file in markdown_files() {
        let text = read(&file);
        let blocks = blocks(&text);
        for (i, block) in blocks.iter().enumerate() {
            let at = format!("{}:{}", file.display(), block.line);
            let commands: Vec<&String> =
                block.body.iter().filter(|l| l.starts_with("$ ")).collect();
            if block.body.iter().any(|l| l.trim_start().starts_with("$ "))
                && !(block.info == "console" && block.at_line_start)
            {
                problems.push(format!(
                    "{at}: a `$ ` command outside a ```console block at the start of a line"
                ));
            }
            if block.info != "console" {
                let next = blocks.get(i + 1);
                let last = block.body.iter().rev().find(|l| !l.trim().is_empty());
                let between = next.map(|n| {
                    text.lines()
                        .skip(block.line + block.body.len() + 1)
                        .take(n.line - (block.line + block.body.len() + 2))
                        .all(|l| l.trim().is_empty())
                });
                if block.info == "sh"
                    && last.is_some_and(|l| l.trim_start().starts_with("blcheck "))
                    && next.is_some_and(|n| n.info == "text")
                    && between == Some(true)
                {
                    problems.push(format!(
                        "{at}: a command and its output in two blocks; write one ```console block"
                    ));
                }
                continue;
            }
            for command in commands {
                examples += 1;
                if command.contains("echo $?") {
                    problems.push(format!("{at}: `{command}`: write the exit code as `? N`"));
                }
                let words: Vec<&str> = command.split_whitespace().collect();
                if words.get(1) != Some(&"blcheck") {
                    problems.push(format!("{at}: `{command}` is not a blcheck command"));
                }
                if matches!(words.get(2), Some(&"audit" | &"renewals"))
                    && !words.contains(&"--as-of")
                {
                    problems.push(format!("{at}: `{command}` needs --as-of"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(examples >= 15, "only {examples} console examples found");
}

/// The body of the first block whose first line is `first`.
fn block_starting(file: &str, first: &str) -> String {
    let block = blocks(&read(Path::new(file)))
        .into_iter()
        .find(|b| b.body.first().is_some_and(|l| l == first))
        .unwrap_or_else(|| panic!("{file}: no block starting {first:?}"));
    block.body.join("\n") + "\n"
}

#[test]
fn the_files_the_docs_show_are_the_files_the_examples_run_on() {
    let fixture = |path: &str| read(Path::new(path));
    assert_eq!(
        block_starting(
            "docs/documents.md",
            "# Draft: Customer Service Level 2, online."
        ),
        fixture("fixtures/docs/draft-course.yaml")
    );
    let policy = block_starting(
        "docs/policy-format.md",
        "# Acme Training: Apprenticeship Delivery Standards v1.1, encoded as rules.",
    );
    assert_eq!(
        policy,
        fixture("fixtures/docs/acme/acme-apprenticeships.toml")
    );
    // The tutorial's blcheck.toml is the one its audit runs with.
    assert_eq!(
        block_starting(
            "docs/policy-format.md",
            "policies = [\"policy/northgate.toml\"]"
        ),
        fixture("fixtures/docs/tutorial/blcheck.toml")
    );
    let course = block_starting("docs/policy-format.md", "kind: Course");
    assert_eq!(
        course,
        fixture("fixtures/docs/acme/courses/warehouse-ops-l2.yaml")
    );
    let waiver = block_starting("docs/policy-format.md", "waivers:");
    assert_eq!(
        course + &waiver,
        fixture("fixtures/docs/acme/waived/warehouse-ops-l2.yaml")
    );
    // The broken copy is the policy with the diff's lines replaced.
    let diff = blocks(&read(Path::new("docs/policy-format.md")))
        .into_iter()
        .find(|b| b.info == "diff")
        .expect("the diff of the broken copy");
    let mut broken = policy;
    for pair in diff.body.chunks(2) {
        let (old, new) = (&pair[0], &pair[1]);
        let (old, new) = (
            old.strip_prefix('-').expect("a removed line"),
            new.strip_prefix('+').expect("an added line"),
        );
        assert!(broken.contains(&format!("{old}\n")), "{old}");
        broken = broken.replacen(&format!("{old}\n"), &format!("{new}\n"), 1);
    }
    assert_eq!(broken, fixture("fixtures/docs/acme/acme-broken.toml"));
}
