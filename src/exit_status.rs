//! The three outcomes of a run and their exit codes.

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing failed at or above `--fail-on`.
    Clean,
    /// At least one finding failed at or above `--fail-on`.
    Findings,
    /// The run could not be done.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }
}
