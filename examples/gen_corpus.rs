//! Writes the benchmark corpus: `cargo run --release --example gen_corpus --
//! OUT_DIR --courses 10000 --plans 1000 --seed 1`. See docs/performance.md.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: gen_corpus OUT_DIR [--courses N] [--plans N] [--seed S] [--faults-per-course N]";

fn main() -> ExitCode {
    let mut out: Option<PathBuf> = None;
    let mut options = corpus::Options {
        courses: 1000,
        plans: 100,
        seed: 1,
        faults_per_course: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Option<u64> {
            let value = args.next().and_then(|v| v.parse().ok());
            if value.is_none() {
                let _ = writeln!(
                    std::io::stderr(),
                    "gen_corpus: {name} needs a number\n{USAGE}"
                );
            }
            value
        };
        let parsed = match arg.as_str() {
            "--courses" => number("--courses").map(|n| options.courses = n as usize),
            "--plans" => number("--plans").map(|n| options.plans = n as usize),
            "--seed" => number("--seed").map(|n| options.seed = n),
            "--faults-per-course" => {
                number("--faults-per-course").map(|n| options.faults_per_course = Some(n as usize))
            }
            "-h" | "--help" => {
                let _ = writeln!(std::io::stdout(), "{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if out.is_none() && !arg.starts_with('-') => {
                out = Some(arg.into());
                Some(())
            }
            _ => {
                let _ = writeln!(std::io::stderr(), "gen_corpus: unexpected '{arg}'\n{USAGE}");
                None
            }
        };
        if parsed.is_none() {
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        let _ = writeln!(std::io::stderr(), "{USAGE}");
        return ExitCode::from(2);
    };
    match corpus::generate(&out, &options) {
        Ok(stats) => {
            let _ = writeln!(
                std::io::stdout(),
                "{} files, {:.1} MB, {} generated to fail; audit with --as-of {}",
                stats.files,
                stats.bytes as f64 / 1e6,
                stats.violating,
                corpus::AS_OF
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "gen_corpus: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
