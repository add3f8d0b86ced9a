//! blcheck: checks blended-learning course definitions, learning plans and
//! policies against encoded policies.
//!
//! Data flows one way: flags → policies → files → documents → rule results
//! → findings → report → renderer. See `docs/architecture.md`.

pub mod audit;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod dates;
pub mod diff;
pub mod discover;
pub mod document;
pub mod exit_status;
pub mod fingerprint;
pub mod history;
pub mod lsp;
pub mod maturity;
pub mod memory;
pub mod policy;
pub mod position;
pub mod release;
pub mod render;
pub mod renewals;
pub mod report;
pub mod safe_read;
pub mod selection;
pub mod settings;
pub mod source;
pub mod yaml;

use anyhow::Result;
use cli::{Cli, Command};
use exit_status::ExitStatus;

/// Runs one command line.
pub fn run(cli: &Cli) -> Result<ExitStatus> {
    let cwd = std::env::current_dir()?;
    match &cli.command {
        Command::Audit(args) => commands::audit::run(args, &cwd),
        Command::Baseline(args) => commands::baseline::run(args, &cwd),
        Command::Diff(args) => commands::diff::run(args, &cwd),
        Command::Trend(args) => commands::trend::run(args, &cwd),
        Command::Rules(args) => commands::rules::rules(args, &cwd),
        Command::Explain(args) => commands::rules::explain(args, &cwd),
        Command::Trace(args) => commands::trace::run(args, &cwd),
        Command::Maturity(args) => commands::maturity::run(args, &cwd),
        Command::Renewals(args) => commands::renewals::run(args, &cwd),
        Command::Init(args) => commands::authoring::init(args, &cwd),
        Command::Schema(args) => commands::authoring::schema(args, &cwd),
        Command::Config(args) => commands::config::run(args, &cwd),
        Command::Policy(args) => commands::policy_files::run(args, &cwd),
        Command::Lsp(args) => commands::lsp::run(args),
        Command::Completions(args) => commands::authoring::completions(args),
        Command::Man(args) => commands::authoring::man(args, &cwd),
    }
}
