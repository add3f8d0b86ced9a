//! `blcheck rules` and `blcheck explain`: the rule catalogue, from the same
//! policy TOML that the audit runs.

use super::load_rules;
use crate::cli::{ExplainArgs, RulesArgs};
use crate::exit_status::ExitStatus;
use crate::policy::describe::{catalogue, with_overrides};
use crate::render::catalogue as render;
use anyhow::{bail, Result};
use std::path::Path;

pub fn rules(args: &RulesArgs, cwd: &Path) -> Result<ExitStatus> {
    let plan = crate::render::plan_outputs(&args.format, &args.files.output, &args.files.order)?;
    let loaded = load_rules(&args.policies, cwd)?;
    let rules = with_overrides(
        catalogue(&loaded.policies, &loaded.catalogue),
        &loaded.config.overrides,
    );
    crate::render::write_each(&plan, |format, _, out| render::rules(&rules, format, out))?;
    Ok(ExitStatus::Clean)
}

pub fn explain(args: &ExplainArgs, cwd: &Path) -> Result<ExitStatus> {
    let loaded = load_rules(&args.policies, cwd)?;
    let rules = with_overrides(
        catalogue(&loaded.policies, &loaded.catalogue),
        &loaded.config.overrides,
    );
    let wanted = args.rule.trim().to_uppercase();
    let Some(rule) = rules
        .iter()
        .find(|r| r.id == wanted || r.name == args.rule.trim())
    else {
        let hint =
            crate::document::validate::suggestion(&wanted, rules.iter().map(|r| r.id.as_str()))
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
        bail!("no rule '{}'{hint}; `blcheck rules` lists them", args.rule);
    };
    let mut out = Vec::new();
    render::explain(rule, &mut out)?;
    crate::render::write_stdout(&out)?;
    Ok(ExitStatus::Clean)
}
