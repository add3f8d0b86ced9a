//! The outputs of the authoring commands that clap describes: shell
//! completion scripts (clap_complete) and man pages (clap_mangen), both
//! generated from the same command definition as `--help`.

use crate::release::RELEASE_DATE;
use anyhow::{Context, Result};

/// The completion script of `shell` for `command` (blcheck's).
pub fn completions(mut command: clap::Command, shell: clap_complete::Shell) -> Vec<u8> {
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
pub fn man_pages(command: clap::Command) -> Result<Vec<ManPage>> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut pages = vec![man_page(command.clone())?];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(man_page(sub.clone())?);
    }
    Ok(pages)
}

fn man_page(command: clap::Command) -> Result<ManPage> {
    let title = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name())
        .to_uppercase();
    // clap_mangen leaves the date empty and names the subcommand, not the
    // program, as the source; its roff writer then drops the empty
    // argument, so the footer's date would read "audit". Every page says
    // when this version was released and which blcheck it documents.
    let man = clap_mangen::Man::new(command)
        .title(title)
        .date(RELEASE_DATE)
        .source(format!("blcheck {}", env!("CARGO_PKG_VERSION")))
        .manual("blcheck manual");
    let mut text = Vec::new();
    man.render(&mut text)
        .with_context(|| format!("cannot render the man page {}", man.get_filename()))?;
    Ok(ManPage {
        file_name: man.get_filename(),
        text: tidy(&String::from_utf8_lossy(&text)).into_bytes(),
    })
}

/// What `mandoc -Tlint` and groff would otherwise warn about in
/// clap_mangen's roff, put right without changing what the page says:
/// - `after_help` is titled "EXTRA"; every command's is its examples;
/// - a list of possible values follows `.br`, a blank line and `.br`, and
///   `.br` beside a blank line (itself a `.sp`) is ignored with a warning:
///   one `.sp` says the same;
/// - lines end in spaces (the synopsis, the title line), which roff
///   ignores; a space escaped with a backslash is kept.
fn tidy(roff: &str) -> String {
    let roff = roff
        .replace(".SH EXTRA\n", ".SH EXAMPLES\n")
        .replace("\n.br\n\n.br\n", "\n.sp\n");
    let mut out = String::with_capacity(roff.len());
    for line in roff.lines() {
        let trimmed = line.trim_end_matches(' ');
        let kept = if trimmed.ends_with('\\') && trimmed.len() < line.len() {
            &line[..trimmed.len() + 1]
        } else {
            trimmed
        };
        out.push_str(kept);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_release_date_is_a_date() {
        assert!(
            chrono::NaiveDate::parse_from_str(RELEASE_DATE, "%Y-%m-%d").is_ok(),
            "{}",
            RELEASE_DATE
        );
    }

    #[test]
    fn the_release_date_agrees_with_the_changelog() {
        let changelog = include_str!("../../CHANGELOG.md");
        let heading = format!("## [{}]", env!("CARGO_PKG_VERSION"));
        match changelog.lines().find(|l| l.starts_with(&heading)) {
            Some(line) => assert!(line.contains(RELEASE_DATE), "{line}"),
            // Not released yet: the date is the planned one.
            None => assert!(
                changelog.contains("## [Unreleased]"),
                "{heading} is missing"
            ),
        }
    }

    #[test]
    fn every_page_has_a_full_title_line() {
        let pages =
            man_pages(<crate::cli::Cli as clap::CommandFactory>::command()).expect("renders");
        for page in &pages {
            let text = String::from_utf8_lossy(&page.text);
            let th = text
                .lines()
                .find(|l| l.starts_with(".TH "))
                .expect("a .TH line");
            let name = page.file_name.trim_end_matches(".1").to_uppercase();
            assert_eq!(
                th,
                format!(
                    ".TH {name} 1 {} \"blcheck {}\" \"blcheck manual\"",
                    RELEASE_DATE,
                    env!("CARGO_PKG_VERSION")
                ),
                "{}",
                page.file_name
            );
        }
    }

    #[test]
    fn tidy_keeps_escaped_spaces_and_merges_breaks() {
        assert_eq!(
            tidy("a  \nb\\ \nc\n.br\n\n.br\nd\n"),
            "a\nb\\ \nc\n.sp\nd\n"
        );
    }
}
