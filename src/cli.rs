//! The command line. Doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "blcheck",
    version,
    about = "Checks blended-learning courses, learning plans and policies against encoded policies",
    long_about = None,
    after_help = "Examples:\n  blcheck audit courses/ --as-of 2025-11-01\n  blcheck audit courses/ --format json --output report.json\n  blcheck explain BLP002"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit every blcheck document under PATHS against the loaded policies
    Audit(AuditArgs),
    /// List every rule: id, name, policy, severity, title
    Rules(RulesArgs),
    /// Explain one rule in full: clause, scope, parameters, how to fix it
    Explain(ExplainArgs),
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people reading a terminal
    Table,
    /// One JSON object (format_version 1)
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck audit fixtures/courses --as-of 2025-11-01\n  blcheck audit courses/ --select BLP --ignore BLP014 --fail-on warning\n  blcheck audit courses/ --format table --format json --output report.json"
)]
pub struct AuditArgs {
    /// Files and directories to audit (directories: every *.yaml and *.yml)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format; repeat to write several, each paired in order with an --output
    #[arg(long, value_enum)]
    pub format: Vec<Format>,

    /// Write the report to FILE (atomically); pairs in order with --format
    #[arg(long, value_name = "FILE")]
    pub output: Vec<PathBuf>,

    /// Overwrite existing --output files
    #[arg(long)]
    pub force: bool,

    /// A policy file to load besides the built-in ones (repeatable)
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,

    /// The date to audit as of: YYYY-MM-DD or DD/MM/YYYY [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Lowest severity that makes the run exit 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Report only these rules: ids or prefixes, comma-separated or repeated
    #[arg(long, value_name = "RULES")]
    pub select: Vec<String>,

    /// Do not report these rules: ids or prefixes
    #[arg(long, value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Skip files and directories matching GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Print only failing findings: no waived or info rows, no summary
    #[arg(long, short)]
    pub quiet: bool,

    /// Colour in the table (NO_COLOR is honoured)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Number of threads [default: available cores]
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Follow symbolic links in directories (loops are detected and
    /// reported); without it, a link to a YAML file or a directory is
    /// reported as DOC001 and not followed
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Largest file to read, in bytes; a larger file is DOC001
    #[arg(long, value_name = "BYTES", default_value_t = crate::source::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = CatalogueFormat::Table)]
    pub format: CatalogueFormat,

    /// A policy file to load besides the built-in ones (repeatable)
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. BLP002
    pub rule: String,

    /// A policy file to load besides the built-in ones (repeatable)
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,
}
