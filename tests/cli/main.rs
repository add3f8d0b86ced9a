//! CLI tests: the real `blcheck` binary, run as a user would.

mod audit;
mod catalogue;
mod fixtures;
mod hostile;
mod support;
