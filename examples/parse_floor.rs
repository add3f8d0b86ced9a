//! The parse-only floor that `blcheck audit` is measured against: the same
//! walk (`discover`), the same read and YAML parse into the span tree
//! (`source::read`), on the same rayon threads with the same
//! order-preserving collect (`map_in_order`), and no rules, no report. Prints how many
//! files, documents and bytes it read.
//!
//! `cargo build --release --example parse_floor`, then
//! `target/release/examples/parse_floor PATHS... [--jobs N]`. See
//! docs/performance.md.

use blcheck::audit::{map_in_order, on_threads};
use blcheck::discover::{discover, exclusions};
use blcheck::source::{read, FileContent, FileLimits};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The same memory settings as blcheck.
    blcheck::memory::configure();
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut jobs: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--jobs" {
            jobs = args.next().and_then(|n| n.parse().ok());
            if jobs.is_none() {
                let _ = writeln!(std::io::stderr(), "parse_floor: --jobs needs a number");
                return ExitCode::from(2);
            }
        } else {
            paths.push(arg.into());
        }
    }
    if paths.is_empty() {
        paths.push(".".into());
    }
    match run(&paths, jobs) {
        Ok(line) => {
            let _ = writeln!(std::io::stdout(), "{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "parse_floor: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(paths: &[PathBuf], jobs: Option<usize>) -> anyhow::Result<String> {
    let cwd = std::env::current_dir()?;
    let candidates = discover(paths, &exclusions(&[])?, &cwd)?;
    let limits = FileLimits::default();
    // Each file's documents are counted and dropped, as the audit drops its trees.
    let per_file = |candidate: &blcheck::discover::Candidate| match read(candidate, &limits) {
        FileContent::Documents(documents) => documents.len(),
        FileContent::NotBlcheck | FileContent::Invalid { .. } => 0,
    };
    let counts = on_threads(jobs, || {
        map_in_order(&candidates, jobs == Some(1), per_file)
    })?;
    Ok(format!(
        "{} files, {} documents parsed",
        candidates.len(),
        counts.iter().sum::<usize>()
    ))
}
