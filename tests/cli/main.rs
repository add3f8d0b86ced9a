//! CLI tests: the real `blcheck` binary, run as a user would.

mod audit;
mod authoring;
mod baselines;
mod catalogue;
mod config;
mod consumers;
mod distribution;
mod doc_examples;
mod doc_recipes;
mod evidence;
mod fixtures;
mod formats;
mod gitlab;
mod hostile;
mod html;
mod inspection_pack;
mod maturity;
mod own_policies;
mod parallel;
mod plans;
mod renewals;
mod report_files;
mod selection;
mod support;
mod terminal;
