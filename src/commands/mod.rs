//! One module per command. Each returns what the render layer prints and
//! the run's exit status; none writes output itself.

pub mod audit;
pub mod renewals;
pub mod rules;

use crate::discover::display_path;
use crate::policy::{self, load_policy, Origin, Policy, PolicySet};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// The built-in policies plus the `--policy` files, validated before any
/// document is read. Every problem of every file is listed.
pub fn load_policies(files: &[PathBuf], cwd: &Path) -> Result<PolicySet> {
    let mut problems = Vec::new();
    let mut loaded: Vec<Policy> = match policy::built_in() {
        Ok(policies) => policies,
        Err(errors) => {
            problems.extend(errors);
            Vec::new()
        }
    };
    let mut from_files: Vec<(String, String)> = Vec::new();
    for file in files {
        let display = display_path(file, cwd);
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => bail!("{display}: cannot read the policy file: {e}"),
        };
        match load_policy(&text, Origin::File(display.clone())) {
            Ok(policy) => {
                if let Some((_, other)) = from_files.iter().find(|(id, _)| **id == *policy.id) {
                    bail!(
                        "{display}: policy id '{}' is also loaded from {other}",
                        policy.id
                    );
                }
                from_files.push((policy.id.to_string(), display));
                loaded.push(policy);
            }
            Err(errors) => problems.extend(errors),
        }
    }
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        bail!("invalid policy:\n{}", lines.join("\n"));
    }
    let set = PolicySet::new(loaded);
    let mut seen = std::collections::BTreeMap::new();
    for policy in &set.policies {
        for rule in &policy.rules {
            if let Some(other) = seen.insert(rule.id.clone(), policy.id.clone()) {
                bail!(
                    "rule {} is defined by both {} and {}",
                    rule.id,
                    other,
                    policy.id
                );
            }
        }
    }
    Ok(set)
}

/// The date an audit is made as of: `--as-of`, or today.
pub fn as_of(flag: Option<&str>) -> Result<chrono::NaiveDate> {
    match flag {
        Some(text) => {
            crate::dates::parse_date(text).map_err(|e| anyhow::anyhow!("--as-of '{text}': {e}"))
        }
        None => Ok(chrono::Local::now().date_naive()),
    }
}
