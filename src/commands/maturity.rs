//! `blcheck maturity FILE`: reads one `MaturityAssessment`, checks it as the
//! audit does (DOC002, DOC003, DOC011-DOC013), scores the claims that count
//! against the maturity model and renders the levels.
//!
//! An assessment with problems is still scored, without the claims that do
//! not count, and the problems are listed beside the score (exit 0): the
//! level is what the evidence shows. Exit 2 only when there is nothing to
//! score: no such file, not YAML, or no single MaturityAssessment in it.

use super::{as_of, load_model};
use crate::audit::{format_findings, AuditTerms};
use crate::cli::MaturityArgs;
use crate::discover::{display_path, Candidate};
use crate::document::{Document, Kind};
use crate::exit_status::ExitStatus;
use crate::maturity::{score, Assessment, Model, Score};
use crate::policy::{Catalogue, PolicySet};
use crate::render::maturity::{self as render, MaturityOutput, Previous};
use crate::render::maturity_chart::MaturityPanel;
use crate::render::plan_outputs;
use crate::report::Finding;
use crate::selection::RuleFilter;
use crate::source::{read, FileContent, FileLimits};
use anyhow::{bail, Result};
use std::collections::BTreeSet;
use std::path::Path;

pub fn run(args: &MaturityArgs, cwd: &Path) -> Result<ExitStatus> {
    let outputs = plan_outputs(&args.format, &args.files.output, &args.files.order)?;
    let inputs = std::iter::once(args.file.as_path()).chain(args.compare.as_deref());
    crate::render::refuse_inputs(&outputs, inputs, |_| false)?;
    let model = load_model()?;
    let doc = read_assessment(&args.file, cwd)?;
    let last_doc = match &args.compare {
        Some(path) => Some(read_assessment(path, cwd)?),
        None => None,
    };
    // No policy applies to an assessment here: only blcheck's own checks,
    // none of which depends on the date.
    let policies = PolicySet::default();
    let catalogue = Catalogue::built_in();
    let filter = RuleFilter::default();
    let ctx = AuditTerms {
        policies: &policies,
        catalogue: &catalogue,
        as_of: as_of(None)?,
        filter: &filter,
        content_checks: &[&model],
        keep_results: false,
        group_by: None,
    };
    let mut findings = format_findings(&doc, Kind::MaturityAssessment, &ctx);
    findings.sort_by(Finding::order);
    let assessment = Assessment::read(&doc, &model);
    let score = scored(&model, &assessment);
    let last = last_doc.as_ref().map(|doc| Assessment::read(doc, &model));
    let last_score = last.as_ref().map(|a| scored(&model, a));
    let previous = match (&last, &last_score) {
        (Some(assessment), Some(score)) => Some(Previous { assessment, score }),
        _ => None,
    };
    render::write(
        &MaturityOutput {
            model: &model,
            assessment: &assessment,
            score: &score,
            findings: &findings,
            previous,
        },
        &outputs,
    )?;
    Ok(ExitStatus::Clean)
}

/// The most assessments whose charts one audit report shows: a run of
/// thousands of assessments gets a chart per assessment up to this, and
/// the report stays readable.
const MOST_PANELS: usize = 50;

/// The maturity charts of the MaturityAssessments an audit read, for its
/// HTML report: each file read again (it was read and validated by the
/// run) and scored as `blcheck maturity` scores it.
pub fn panels(report: &crate::report::Report, model: &Model, cwd: &Path) -> Vec<MaturityPanel> {
    let mut files: Vec<&str> = report
        .documents
        .iter()
        .filter(|d| &*d.kind == Kind::MaturityAssessment.name())
        .map(|d| &*d.file)
        .collect();
    files.dedup();
    let mut panels = Vec::new();
    for file in files {
        let candidate = Candidate::file(cwd.join(file), file.to_string());
        let FileContent::Documents(documents) = read(&candidate, &FileLimits::default()) else {
            continue;
        };
        for doc in documents
            .iter()
            .filter(|d| d.kind == Some(Kind::MaturityAssessment))
        {
            let assessment = Assessment::read(doc, model);
            let score = scored(model, &assessment);
            panels.push(MaturityPanel::new(model, &assessment, &score, None));
            if panels.len() == MOST_PANELS {
                return panels;
            }
        }
    }
    panels
}

/// The score of the claims of an assessment that count.
fn scored<'m>(model: &'m Model, assessment: &Assessment<'_>) -> Score<'m> {
    let met: BTreeSet<&str> = assessment
        .claims
        .counted
        .iter()
        .map(|c| c.indicator)
        .collect();
    score(model, &met)
}

/// The one `MaturityAssessment` of the file, or why there is none to score.
fn read_assessment(path: &Path, cwd: &Path) -> Result<Document> {
    let display = display_path(path, cwd);
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => bail!("{display}: not a file; give one MaturityAssessment YAML file"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("{display}: no such file")
        }
        Err(e) => bail!("{display}: cannot read: {e}"),
    }
    let candidate = Candidate::file(path.to_path_buf(), display.clone());
    let documents = match read(&candidate, &FileLimits::default()) {
        FileContent::Documents(documents) => documents,
        FileContent::Invalid { pos, message } => bail!("{display}:{pos}: {message}"),
        FileContent::NotBlcheck => {
            bail!("{display}: not a MaturityAssessment: no YAML document with a top-level `kind`")
        }
    };
    let kinds: Vec<String> = documents.iter().map(|d| d.kind_text.to_string()).collect();
    let mut assessments = documents
        .into_iter()
        .filter(|d| d.kind == Some(Kind::MaturityAssessment));
    match (assessments.next(), assessments.next()) {
        (Some(doc), None) => Ok(doc),
        (None, _) => bail!(
            "{display}: not a MaturityAssessment (kind: {})",
            kinds.join(", ")
        ),
        (Some(_), Some(second)) => bail!(
            "{display}:{}: a second MaturityAssessment in one file; `blcheck maturity` scores one assessment per file",
            second.kind_pos
        ),
    }
}
