//! The outputs of the authoring commands that clap describes: shell
//! completion scripts (clap_complete) and man pages (clap_mangen), both
//! generated from the same command definition as `--help`.

use crate::cli::Cli;
use anyhow::{Context, Result};
use clap::CommandFactory;

/// The completion script of `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "blcheck", &mut out);
    out
}

/// One man page: its file name (`blcheck-audit.1`) and its roff text.
pub struct ManPage {
    pub file_name: String,
    pub text: Vec<u8>,
}

/// `blcheck.1`, then one page per command (`blcheck-audit.1`, ...), in the
/// order of `--help`.
pub fn man_pages() -> Result<Vec<ManPage>> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = vec![man_page(command.clone())?];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(man_page(sub.clone())?);
    }
    Ok(pages)
}

fn man_page(command: clap::Command) -> Result<ManPage> {
    let man = clap_mangen::Man::new(command);
    let mut text = Vec::new();
    man.render(&mut text)
        .with_context(|| format!("cannot render the man page {}", man.get_filename()))?;
    // clap_mangen titles `after_help` "EXTRA"; every command's is its examples.
    let text = String::from_utf8_lossy(&text)
        .replace(".SH EXTRA\n", ".SH EXAMPLES\n")
        .into_bytes();
    Ok(ManPage {
        file_name: man.get_filename(),
        text,
    })
}
