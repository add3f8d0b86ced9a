//! `blcheck config`: the effective settings, as `audit` would apply them:
//! the settings file, what it overrides beside the policy's own values,
//! the policies applied and those switched off, and the run's defaults.

use super::{load_rules, LoadedRules};
use crate::cli::ConfigArgs;
use crate::exit_status::ExitStatus;
use crate::render;
use crate::render::text::terminal_safe as safe;
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;

pub fn run(args: &ConfigArgs, cwd: &Path) -> Result<ExitStatus> {
    let LoadedRules {
        settings,
        policies,
        config,
        off,
        ..
    } = load_rules(&args.policies, cwd)?;
    let mut out = String::new();
    match &config.file {
        Some(file) => writeln!(out, "Config file: {}", safe(file))?,
        None => writeln!(out, "Config file: none (blcheck's defaults)")?,
    }
    writeln!(out, "Policies applied:")?;
    for policy in &policies.policies {
        writeln!(
            out,
            "  {} {} ({}, {} rules)",
            safe(&policy.id),
            safe(&policy.version),
            safe(&policy.origin.file_label()),
            policy.rules.len()
        )?;
    }
    if policies.policies.is_empty() {
        writeln!(out, "  none: only blcheck's own DOC/POL checks run")?;
    }
    if !config.policies_off.is_empty() {
        writeln!(out, "Policies switched off:")?;
        for p in &config.policies_off {
            writeln!(out, "  {} (by {})", safe(&p.id), safe(&p.by))?;
        }
    }
    if !config.overrides.is_empty() {
        writeln!(out, "Overrides:")?;
        for o in &config.overrides {
            writeln!(
                out,
                "  {} {} = {} (the policy's own: {}; {})",
                safe(&o.rule),
                safe(&o.setting),
                safe(&o.value),
                safe(&o.policy_value),
                safe(&o.place)
            )?;
        }
    }
    if !off.is_empty() {
        writeln!(out, "Rules off: {}", safe(&off.join(", ")))?;
    }
    let fail_on = match settings.fail_on {
        None => "error (default)",
        Some(Some(crate::report::Severity::Error)) => "error",
        Some(Some(crate::report::Severity::Warning)) => "warning",
        Some(Some(crate::report::Severity::Info)) => "info",
        Some(None) => "never",
    };
    writeln!(out, "Fail on: {fail_on}")?;
    let paths: Vec<String> = settings
        .paths
        .iter()
        .map(|p| crate::discover::display_path(p, cwd))
        .collect();
    match paths.is_empty() {
        true => writeln!(out, "Paths: . (default)")?,
        false => writeln!(out, "Paths: {}", safe(&paths.join(", ")))?,
    }
    if !settings.exclude.is_empty() {
        let globs: Vec<&str> = settings.exclude.iter().map(|e| e.glob.as_str()).collect();
        writeln!(out, "Exclude: {}", safe(&globs.join(", ")))?;
    }
    render::write_stdout(out.as_bytes())?;
    Ok(ExitStatus::Clean)
}
