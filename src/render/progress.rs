//! The progress bar of a long audit. It is drawn on stderr only when stderr
//! is a terminal, `CI` is unset and `--quiet` is not given, and only once
//! the audit has run for a second, so pipes, CI logs and quick runs never
//! see it. It is cleared before any report is written: it never mixes with
//! a report, whatever the format and wherever it goes.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::ffi::OsStr;
use std::io::IsTerminal;
use std::sync::Once;
use std::time::{Duration, Instant};

/// Runs shorter than this show no bar at all.
const DELAY: Duration = Duration::from_secs(1);

/// Whether a run may show a bar: a terminal on stderr, not CI, not quiet.
pub fn wanted(quiet: bool, stderr_is_terminal: bool, ci: Option<&OsStr>) -> bool {
    !quiet && stderr_is_terminal && ci.is_none_or(OsStr::is_empty)
}

/// Counts the files done; shared by the worker threads.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: Once,
}

impl Progress {
    /// A bar for `total` files, drawn if this process's stderr and
    /// environment allow it (see [`wanted`]).
    pub fn new(total: usize, quiet: bool) -> Progress {
        let ci = std::env::var_os("CI");
        if wanted(quiet, std::io::stderr().is_terminal(), ci.as_deref()) {
            Progress::drawn(total)
        } else {
            Progress::hidden()
        }
    }

    /// No bar: ticks cost nothing.
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            started: Instant::now(),
            shown: Once::new(),
        }
    }

    fn drawn(total: usize) -> Progress {
        // Hidden until the audit has run for DELAY.
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        // `wide_bar` takes what the terminal's width leaves: one line, never wrapped.
        let style =
            ProgressStyle::with_template("auditing [{wide_bar}] {pos}/{len} files, {eta} left")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress {
            bar: Some(bar),
            started: Instant::now(),
            shown: Once::new(),
        }
    }

    /// One more file done.
    pub fn tick(&self) {
        let Some(bar) = &self.bar else {
            return;
        };
        bar.inc(1);
        if !self.shown.is_completed() && self.started.elapsed() >= DELAY {
            self.shown
                .call_once(|| bar.set_draw_target(ProgressDrawTarget::stderr()));
        }
    }

    /// Clears the bar, before the report is written.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_only_on_a_terminal_outside_ci_and_not_quiet() {
        assert!(wanted(false, true, None));
        assert!(wanted(false, true, Some(OsStr::new(""))));
        assert!(!wanted(false, false, None), "a pipe or a file");
        assert!(!wanted(false, true, Some(OsStr::new("true"))), "CI");
        assert!(!wanted(true, true, None), "--quiet");
    }

    #[test]
    fn a_hidden_bar_counts_nothing_and_finishes_quietly() {
        let progress = Progress::hidden();
        progress.tick();
        progress.finish();
        assert!(progress.bar.is_none());
    }
}
