//! The commented YAML template `blcheck init` writes, generated from
//! `format.rs` so that it lists every field the format knows, with its
//! meaning (`Field.about`) and what its value must look like, and cannot
//! drift from what the validator checks.
//!
//! The template passes the format checks (no DOC002 or DOC003): required
//! fields hold a placeholder to replace, every other field is left empty
//! (null), which the format allows and the policies' rules read as missing,
//! so an unfilled template fails the audit rather than passing with
//! invented values. Lists of mappings show one item with empty fields.
//! Where an empty value would itself be a finding (a waiver or a claim
//! with no content; an `employer`, whose presence makes BLP015 apply), the
//! keys are shown commented out, ready to copy.

use super::format::{Field, Shape};
use super::Kind;

/// The widest a comment line runs.
const WIDTH: usize = 79;

/// The fields shown commented out, because an empty one would itself be a
/// finding: a waiver or a claim with no content, an `employer` (whose
/// presence makes BLP015 apply to the course).
const COMMENTED_OUT: &[&str] = &["waivers", "met", "employer"];

/// What a MaturityAssessment's template offers under `met`: the statements
/// of the maturity model, by dimension, as the model gives them.
#[derive(Debug, Clone, Default)]
pub struct Claimable<'a> {
    pub dimensions: Vec<ClaimableDimension<'a>>,
}

#[derive(Debug, Clone)]
pub struct ClaimableDimension<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// By level, lowest first.
    pub statements: Vec<ClaimableStatement<'a>>,
}

#[derive(Debug, Clone)]
pub struct ClaimableStatement<'a> {
    pub id: &'a str,
    pub level: u8,
    pub text: &'a str,
}

/// The template of `kind`. For a MaturityAssessment, `model` lists the
/// statements that can be claimed under `met`.
pub fn template(kind: Kind, model: Option<&Claimable<'_>>) -> String {
    template_of(kind, kind.fields(), model)
}

/// The template of `kind` in the format `fields` (the built-in one as the
/// loaded policies' declared fields extend it).
pub fn template_of(kind: Kind, fields: &[Field], model: Option<&Claimable<'_>>) -> String {
    let mut out = Out::default();
    header(kind, &mut out);
    let mut previous: Option<&Field> = None;
    for field in fields {
        if previous.is_some_and(|p| is_section(&p.shape) || is_section(&field.shape)) {
            out.blank();
        }
        previous = Some(field);
        live_field(field, kind, "", 0, None, model, &mut out);
    }
    out.text
}

#[derive(Default)]
struct Out {
    text: String,
}

impl Out {
    fn line(&mut self, line: &str) {
        self.text.push_str(line.trim_end());
        self.text.push('\n');
    }

    fn blank(&mut self) {
        self.text.push('\n');
    }

    /// `text` as comment lines at `indent`, wrapped.
    fn comment(&mut self, indent: usize, text: &str) {
        let prefix = format!("{}# ", " ".repeat(indent));
        for line in wrap(text, WIDTH.saturating_sub(prefix.len()).max(30)) {
            self.line(&format!("{prefix}{line}"));
        }
    }
}

fn header(kind: Kind, out: &mut Out) {
    let (what, flag, check) = match kind {
        Kind::Course => ("A course", "course", "blcheck audit FILE"),
        Kind::LearnerPlan => (
            "An individual learning plan",
            "plan",
            "blcheck audit FILE COURSE-FILE",
        ),
        Kind::MaturityAssessment => (
            "A maturity self-assessment",
            "maturity",
            "blcheck maturity FILE",
        ),
        Kind::PolicyDocument => (
            "A policy document",
            "policy-document",
            "blcheck renewals FILE",
        ),
    };
    out.comment(
        0,
        &format!(
            "{what} (kind: {}), from `blcheck init --kind {flag}`.",
            kind.name()
        ),
    );
    out.comment(
        0,
        "Every field of the format is listed with what it means. Replace the \
         placeholders of the required fields; fill in the others or delete \
         those that do not apply. A field left empty counts as missing, so the \
         rules that read it fail until it is filled in.",
    );
    out.comment(
        0,
        "Dates: YYYY-MM-DD (2025-10-10) or DD/MM/YYYY (10/10/2025).",
    );
    out.comment(
        0,
        "Lists: one item per line under the key, each after a `- `.",
    );
    out.comment(0, &format!("Check it with: {check}"));
    out.comment(
        0,
        &format!("Checks as you type: blcheck schema --kind {flag} (docs/editors.md)"),
    );
    out.blank();
}

fn is_section(shape: &Shape) -> bool {
    match shape {
        Shape::Map(_) => true,
        Shape::List(item) => matches!(item, Shape::Map(_)),
        _ => false,
    }
}

/// What a value of `shape` must look like, as a sentence ("" for text).
fn hint(shape: &Shape) -> String {
    match shape {
        Shape::Text | Shape::Map(_) | Shape::QualificationNumber => String::new(),
        Shape::Integer => "A whole number.".into(),
        Shape::Number => "A number.".into(),
        Shape::Boolean => "true or false.".into(),
        Shape::Date => "A date.".into(),
        // `kind` is written out; other abouts may list their values already.
        Shape::Enum(allowed) if allowed.contains(&"Course") => String::new(),
        Shape::Enum(allowed) => format!("One of: {}.", allowed.join(", ")),
        Shape::List(item) => match item {
            Shape::Map(_) => "A list; each item has the keys below.".into(),
            Shape::Enum(allowed) => format!("A list of: {}.", allowed.join(", ")),
            Shape::Date => "A list of dates.".into(),
            _ => "A list.".into(),
        },
        Shape::TextMap => "Names to text, one `name: text` per line.".into(),
    }
}

fn about(field: &Field) -> String {
    let mut text = field.about.to_string();
    let hint = match &field.shape {
        Shape::Enum(allowed) if allowed.iter().all(|v| field.about.contains(v)) => String::new(),
        shape => hint(shape),
    };
    if !hint.is_empty() {
        text.push(' ');
        text.push_str(&hint);
    }
    if field.required {
        text.push_str(" Required.");
    }
    text
}

/// Writes `field` as live YAML: its meaning in a comment above it, then the
/// key. `dash` is the column of a list item's `- ` when `field` is the
/// item's first key.
fn live_field(
    field: &Field,
    kind: Kind,
    path: &str,
    indent: usize,
    dash: Option<usize>,
    model: Option<&Claimable<'_>>,
    out: &mut Out,
) {
    let here = if path.is_empty() {
        field.name.to_string()
    } else {
        format!("{path}.{}", field.name)
    };
    let (comment_at, lead) = match dash {
        Some(col) => (col, format!("{}- ", " ".repeat(col))),
        None => (indent, " ".repeat(indent)),
    };
    if COMMENTED_OUT.contains(&here.as_str()) {
        let what = match field.shape {
            Shape::List(_) => "A list; none yet: to add one",
            _ => "None yet: to add it",
        };
        out.comment(
            comment_at,
            &format!(
                "{} {what}, copy the lines below without their first `# `.",
                field.about
            ),
        );
        out.line(&format!("{lead}{}:", field.name));
        commented_items(field, kind, indent + 2, model, out);
        return;
    }
    out.comment(comment_at, &about(field));
    match &field.shape {
        Shape::Map(children) => {
            out.line(&format!("{lead}{}:", field.name));
            for child in *children {
                live_field(child, kind, &here, indent + 2, None, model, out);
            }
        }
        Shape::List(item) => match item {
            Shape::Map(children) => {
                out.line(&format!("{lead}{}:", field.name));
                for (i, child) in children.iter().enumerate() {
                    let dash = (i == 0).then_some(indent + 2);
                    let path = format!("{here}[]");
                    live_field(child, kind, &path, indent + 4, dash, model, out);
                }
            }
            _ if field.required => out.line(&format!("{lead}{}: []", field.name)),
            _ => out.line(&format!("{lead}{}:", field.name)),
        },
        Shape::TextMap if field.required => out.line(&format!("{lead}{}: {{}}", field.name)),
        shape => match value(field, shape, kind, &here) {
            Some(value) => out.line(&format!("{lead}{}: {value}", field.name)),
            None => out.line(&format!("{lead}{}:", field.name)),
        },
    }
}

/// The value a scalar field starts with: a placeholder when it is
/// required, else none (null).
fn value(field: &Field, shape: &Shape, kind: Kind, path: &str) -> Option<String> {
    if path == "kind" {
        return Some(kind.name().to_string());
    }
    if !field.required {
        return None;
    }
    let named = match (kind, path) {
        (Kind::Course, "id") => Some("NEW-COURSE"),
        (Kind::Course, "title") => Some("Title of the course"),
        (Kind::Course, "delivery.mode") => Some("blended"),
        (Kind::LearnerPlan, "id") => Some("NEW-PLAN"),
        (Kind::LearnerPlan, "learner") => Some("LEARNER-REFERENCE"),
        (Kind::LearnerPlan, "course") => Some("NEW-COURSE"),
        (Kind::MaturityAssessment, "id") => Some("NEW-ASSESSMENT"),
        (Kind::PolicyDocument, "id") => Some("NEW-POLICY"),
        (Kind::PolicyDocument, "title") => Some("Title of the policy"),
        (Kind::PolicyDocument, "version") => Some("\"1.0\""),
        (Kind::PolicyDocument, "owner") => Some("Role of the policy owner"),
        _ => None,
    };
    Some(match named {
        Some(text) => text.to_string(),
        None => fallback(shape),
    })
}

/// A placeholder of the right shape for a required field with none named.
fn fallback(shape: &Shape) -> String {
    match shape {
        Shape::Enum(allowed) => allowed.first().copied().unwrap_or("CHANGE-ME").to_string(),
        Shape::Integer | Shape::Number => "0".into(),
        Shape::Boolean => "false".into(),
        Shape::Date => "2025-01-01".into(),
        Shape::QualificationNumber => "603/5058/0".into(),
        Shape::Text | Shape::List(_) | Shape::Map(_) | Shape::TextMap => "CHANGE-ME".into(),
    }
}

/// The keys of a commented-out field with their meaning, then the keys to
/// copy: a mapping's, or one list item's; for `met`, one ready-made item
/// per statement of the maturity model.
fn commented_items(
    field: &Field,
    kind: Kind,
    indent: usize,
    model: Option<&Claimable<'_>>,
    out: &mut Out,
) {
    let prefix = format!("{}# ", " ".repeat(indent));
    let (children, item) = match &field.shape {
        Shape::List(Shape::Map(children)) => (children, true),
        Shape::Map(children) => (children, false),
        _ => return,
    };
    for child in *children {
        out.comment(indent, &format!("{}: {}", child.name, about(child)));
    }
    out.line(&format!("{}#", " ".repeat(indent)));
    for (i, child) in children.iter().enumerate() {
        let lead = match (item, i) {
            (false, _) => "",
            (true, 0) => "- ",
            (true, _) => "  ",
        };
        out.line(&format!("{prefix}{lead}{}:", child.name));
    }
    let (Kind::MaturityAssessment, Some(model)) = (kind, model) else {
        return;
    };
    out.line(&format!("{}#", " ".repeat(indent)));
    out.comment(
        indent,
        "The statements of the maturity model, by dimension: copy those the \
         organisation meets, without their first `# `, and give the evidence. \
         Level 1 is the baseline; a dimension's level counts levels 2 and up.",
    );
    for dimension in &model.dimensions {
        out.line(&format!("{}#", " ".repeat(indent)));
        out.comment(indent, &format!("{} ({})", dimension.name, dimension.id));
        for statement in &dimension.statements {
            out.comment(
                indent,
                &format!("  Level {}: {}", statement.level, statement.text),
            );
            out.line(&format!("{prefix}- indicator: {}", statement.id));
            out.line(&format!("{prefix}  evidence:"));
        }
    }
}

/// `text` in lines of at most `width` characters, broken at spaces (a
/// longer word stands alone on its line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let indent: String = text.chars().take_while(|c| *c == ' ').collect();
    let mut lines = Vec::new();
    let mut line = indent.clone();
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if len > indent.len() && len + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, indent.clone()));
        }
        if line.chars().count() > indent.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::validate::validate;
    use crate::yaml::{load, Limits};

    fn check(kind: Kind, model: Option<&Claimable<'_>>) -> String {
        let text = template(kind, model);
        let docs = load(&text, Limits::default()).expect("the template is YAML");
        assert_eq!(docs.len(), 1);
        let issues = validate(&docs[0].root, kind.fields());
        assert!(issues.is_empty(), "{issues:#?}\n{text}");
        text
    }

    #[test]
    fn every_template_passes_the_format_checks() {
        let model = crate::maturity::Model::built_in().expect("the model loads");
        let model = model.claimable();
        for kind in Kind::ALL {
            check(kind, Some(&model));
        }
    }

    /// Every field at every depth appears as a key with its meaning.
    #[test]
    fn every_template_names_every_field_with_its_meaning() {
        fn walk(fields: &[Field], text: &str, missing: &mut Vec<String>) {
            for field in fields {
                if !text.contains(&format!("{}:", field.name)) {
                    missing.push(format!("key {}", field.name));
                }
                let words: String = field.about.split_whitespace().collect::<Vec<_>>().join(" ");
                let flat: String = text
                    .lines()
                    .map(|l| l.trim_start().trim_start_matches('#').trim())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !flat.contains(&words) {
                    missing.push(format!("about of {}", field.name));
                }
                match &field.shape {
                    Shape::Map(children) => walk(children, text, missing),
                    Shape::List(Shape::Map(children)) => walk(children, text, missing),
                    _ => {}
                }
            }
        }
        for kind in Kind::ALL {
            let text = template(kind, None);
            let mut missing = Vec::new();
            walk(kind.fields(), &text, &mut missing);
            assert!(missing.is_empty(), "{kind}: {missing:?}\n{text}");
        }
    }

    #[test]
    fn comments_are_wrapped() {
        let model = crate::maturity::Model::built_in().expect("the model loads");
        let model = model.claimable();
        for kind in Kind::ALL {
            for line in template(kind, Some(&model)).lines() {
                if line.trim_start().starts_with('#') {
                    assert!(
                        line.chars().count() <= WIDTH || !line.trim().contains(' '),
                        "{line}"
                    );
                }
            }
        }
    }

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("  aa bb", 5), vec!["  aa", "  bb"]);
        assert_eq!(wrap("averylongword b", 4), vec!["averylongword", "b"]);
    }
}
