//! The commands for document authors: `init` (a commented template),
//! `schema` (JSON Schema for editors), `completions` and `man`. Templates
//! and schemas come from `document/format.rs`, the definition the audit
//! validates against.

use super::{load_model, load_rules};
use crate::cli::{CompletionsArgs, InitArgs, ManArgs, SchemaArgs, SchemaKind, TemplateKind};
use crate::discover::display_path;
use crate::document::{schema, template, Kind};
use crate::exit_status::ExitStatus;
use crate::render;
use anyhow::{bail, Context, Result};
use std::path::Path;

/// `blcheck init [FILE] --kind KIND`: the template to FILE (atomically,
/// never over an existing file without `--force`) or to standard output.
pub fn init(args: &InitArgs, cwd: &Path) -> Result<ExitStatus> {
    let (kind, model) = match args.kind {
        TemplateKind::Course => (Some(Kind::Course), None),
        TemplateKind::Plan => (Some(Kind::LearnerPlan), None),
        TemplateKind::Maturity => (Some(Kind::MaturityAssessment), Some(load_model()?)),
        TemplateKind::PolicyDocument => (Some(Kind::PolicyDocument), None),
        TemplateKind::Policy => (None, None),
    };
    let claimable = model.as_ref().map(|model| model.claimable());
    let text = match kind {
        Some(kind) => {
            let loaded = load_rules(&args.policies, cwd)?;
            template::template_of(kind, loaded.policies.format(kind), claimable.as_ref())
        }
        None => crate::policy::starter::POLICY.to_string(),
    };
    let Some(path) = &args.file else {
        render::write_stdout(text.as_bytes())?;
        return Ok(ExitStatus::Clean);
    };
    let display = display_path(path, cwd);
    if path.is_dir() {
        bail!("{display}: is a directory; give the name of the file to write");
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            bail!(
                "{display}: no directory {} to write it in",
                display_path(parent, cwd)
            );
        }
    }
    let write = |path: &Path, text: &str| match args.force {
        true => render::write_atomic(path, text.as_bytes()),
        false => render::write_atomic_new(path, text.as_bytes()),
    };
    if kind.is_none() {
        // A policy's test cases go beside it, in `<name>-tests/`, where
        // `blcheck policy test DIR` finds them with the policy.
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("policy");
        let cases = path.with_file_name(format!("{stem}-tests"));
        let existing = crate::policy::starter::CASES
            .iter()
            .map(|(name, _)| cases.join(name))
            .find(|case| case.exists());
        if let (Some(existing), false) = (existing, args.force) {
            bail!(
                "{}: already exists; use --force to overwrite",
                display_path(&existing, cwd)
            );
        }
        write(path, &text)?;
        render::create_dir(&cases)?;
        for (name, case) in crate::policy::starter::CASES {
            write(&cases.join(name), case)?;
        }
        return Ok(ExitStatus::Clean);
    }
    write(path, &text)?;
    Ok(ExitStatus::Clean)
}

/// `blcheck schema --kind KIND`: the JSON Schema, to standard output.
pub fn schema(args: &SchemaArgs, cwd: &Path) -> Result<ExitStatus> {
    let kind = match args.kind {
        SchemaKind::Course => Kind::Course,
        SchemaKind::Plan => Kind::LearnerPlan,
        SchemaKind::Maturity => Kind::MaturityAssessment,
        SchemaKind::PolicyDocument => Kind::PolicyDocument,
    };
    let loaded = load_rules(&args.policies, cwd)?;
    let mut out =
        serde_json::to_vec_pretty(&schema::schema_of(kind, loaded.policies.format(kind)))?;
    out.push(b'\n');
    render::write_stdout(&out)?;
    Ok(ExitStatus::Clean)
}

/// `blcheck completions SHELL`: the script, to standard output.
pub fn completions(args: &CompletionsArgs) -> Result<ExitStatus> {
    render::write_stdout(&render::authoring::completions(
        <crate::cli::Cli as clap::CommandFactory>::command(),
        args.shell,
    ))?;
    Ok(ExitStatus::Clean)
}

/// `blcheck man [--output DIR]`: `blcheck.1` to standard output, or every
/// page into DIR (created if missing; no page overwritten without
/// `--force`, and none written when one would be).
pub fn man(args: &ManArgs, cwd: &Path) -> Result<ExitStatus> {
    let pages = render::authoring::man_pages(<crate::cli::Cli as clap::CommandFactory>::command())?;
    let Some(dir) = &args.output else {
        let main = pages.first().context("no man page rendered")?;
        render::write_stdout(&main.text)?;
        return Ok(ExitStatus::Clean);
    };
    if !args.force {
        if let Some(page) = pages.iter().find(|p| dir.join(&p.file_name).exists()) {
            bail!(
                "{}: already exists; use --force to overwrite the pages",
                display_path(&dir.join(&page.file_name), cwd)
            );
        }
    }
    render::create_dir(dir)?;
    for page in &pages {
        render::write_atomic(&dir.join(&page.file_name), &page.text)?;
    }
    Ok(ExitStatus::Clean)
}
