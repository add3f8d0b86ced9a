//! `blcheck trace`: each commitment of the loaded policies' source
//! documents, the rules that check it and what they check, or why none can.

use super::load_rules;
use crate::cli::TraceArgs;
use crate::exit_status::ExitStatus;
use crate::policy::trace::matrix;
use crate::render::trace as render;
use anyhow::{bail, Result};
use std::path::Path;

pub fn run(args: &TraceArgs, cwd: &Path) -> Result<ExitStatus> {
    let plan = crate::render::plan_outputs(&args.format, &args.files.output, &args.files.order)?;
    let loaded = load_rules(&args.policies, cwd)?;
    for id in &args.only {
        if loaded.policies.get(id).is_none() {
            let ids = loaded.policies.policies.iter().map(|p| &*p.id);
            let hint = crate::document::validate::suggestion(id, ids)
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
            bail!("--only '{id}': no such policy is loaded{hint}; `blcheck renewals` lists them");
        }
    }
    let rows = matrix(&loaded.policies, &args.only);
    crate::render::write_each(&plan, |format, _, out| render::render(&rows, format, out))?;
    Ok(ExitStatus::Clean)
}
