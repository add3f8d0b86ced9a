//! Warnings about the command itself (an `--exclude` that matched nothing),
//! on stderr so that they never mix with a report on stdout. They quote
//! what the user and blcheck.toml wrote, so they pass through
//! `text::terminal_lines` like any document text.

use super::text::terminal_lines;
use anyhow::Result;
use std::io::Write;

/// The warning line for `message`.
pub fn line(message: &str) -> String {
    format!("blcheck: warning: {}\n", terminal_lines(message))
}

/// Writes each of `messages` to stderr, one warning a line.
pub fn warn(messages: &[String]) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let text: String = messages.iter().map(|m| line(m)).collect();
    let mut stderr = std::io::stderr().lock();
    stderr.write_all(text.as_bytes())?;
    stderr.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_show_escapes_never_obey_them() {
        assert_eq!(
            line("--exclude 'a\x1b[2J' matches nothing"),
            "blcheck: warning: --exclude 'a\\u{1b}[2J' matches nothing\n"
        );
    }
}
