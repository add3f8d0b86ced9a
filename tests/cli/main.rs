//! CLI tests: the real `blcheck` binary, run as a user would.

mod audit;
mod authoring;
mod catalogue;
mod config;
mod fixtures;
mod formats;
mod hostile;
mod html;
mod maturity;
mod parallel;
mod plans;
mod renewals;
mod selection;
mod support;
mod terminal;
