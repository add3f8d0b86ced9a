//! The maturity model as data: levels, dimensions and statements, read from
//! `policies/blended-learning-maturity.toml` and validated before any
//! assessment is read, with every problem located (file:line:column).

use crate::document::template::{Claimable, ClaimableDimension, ClaimableStatement};
use crate::policy::{is_kebab, LineIndex, PolicyError};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;

/// The model shipped inside the binary: file name and TOML text.
pub const BUILT_IN: (&str, &str) = (
    "blended-learning-maturity.toml",
    include_str!("../../policies/blended-learning-maturity.toml"),
);

/// A validated maturity model.
#[derive(Debug, Clone)]
pub struct Model {
    pub id: String,
    pub title: String,
    /// The document the statements are quoted from.
    pub source: Option<String>,
    /// Levels 1..=n in order; level 1 is the baseline.
    pub levels: Vec<Level>,
    /// In the order the model file gives them, which is the order of reports.
    pub dimensions: Vec<Dimension>,
    /// In the order of the model file (the seed's order).
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub level: u8,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    pub about: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub id: String,
    pub level: u8,
    pub dimension: String,
    pub text: String,
}

impl Model {
    /// The embedded model. A test proves it loads, so an error here is a
    /// defect of the build, reported like an invalid policy.
    pub fn built_in() -> Result<Model, Vec<PolicyError>> {
        let (name, text) = BUILT_IN;
        Model::parse(text, &format!("built-in:{name}"))
    }

    /// Loads and validates a model file's text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Model, Vec<PolicyError>> {
        let lines = LineIndex::new(text);
        let mut errors = Vec::new();
        let mut error = |span: Range<usize>, message: String| {
            errors.push(PolicyError {
                file: file.to_string(),
                pos: lines.pos(span.start),
                message,
            })
        };
        let raw: RawModelFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                error(e.span().unwrap_or(0..0), e.message().trim().to_string());
                return Err(errors);
            }
        };

        let mut levels = Vec::new();
        for (i, raw) in raw.levels.iter().enumerate() {
            let expected = i + 1;
            if usize::from(*raw.level.get_ref()) != expected {
                error(
                    raw.level.span(),
                    format!("levels must be numbered 1, 2, 3, ... in order; expected {expected}"),
                );
            }
            non_empty(&mut error, &raw.name, "level name");
            levels.push(Level {
                level: *raw.level.get_ref(),
                name: raw.name.get_ref().trim().to_string(),
            });
        }
        if levels.len() < 2 {
            error(
                0..0,
                "a model needs at least two [[levels]]: a baseline and one to reach".into(),
            );
        }

        let mut dimensions = Vec::new();
        let mut dimension_ids = BTreeSet::new();
        for raw in &raw.dimensions {
            let id = raw.id.get_ref();
            if !is_kebab(id) {
                error(
                    raw.id.span(),
                    format!("dimension id '{id}' must be kebab-case"),
                );
            }
            if !dimension_ids.insert(id.as_str()) {
                error(raw.id.span(), format!("dimension id '{id}' is used twice"));
            }
            non_empty(&mut error, &raw.name, "dimension name");
            dimensions.push(Dimension {
                id: id.clone(),
                name: raw.name.get_ref().trim().to_string(),
                about: raw.about.trim().to_string(),
            });
        }

        let mut statements = Vec::new();
        let mut statement_ids = BTreeSet::new();
        let mut above_baseline = BTreeSet::new();
        for raw in &raw.statements {
            let id = raw.id.get_ref();
            let level = *raw.level.get_ref();
            let dimension = raw.dimension.get_ref();
            if !statement_ids.insert(id.as_str()) {
                error(raw.id.span(), format!("statement id '{id}' is used twice"));
            }
            if !levels.iter().any(|l| l.level == level) {
                error(
                    raw.level.span(),
                    format!(
                        "level {level} is not one of the model's levels (1 to {})",
                        levels.len()
                    ),
                );
            }
            if !dimension_ids.contains(dimension.as_str()) {
                error(
                    raw.dimension.span(),
                    format!("dimension '{dimension}' is not one of the [[dimensions]]"),
                );
            } else if level > 1 {
                above_baseline.insert(dimension.as_str());
            }
            if !id_fits(id, level, dimension) {
                error(
                    raw.id.span(),
                    format!(
                        "statement id '{id}' must be M{level}.{dimension} or M{level}.{dimension}-<strand>, from its level and dimension"
                    ),
                );
            }
            non_empty(&mut error, &raw.text, "statement text");
            statements.push(Statement {
                id: id.clone(),
                level,
                dimension: dimension.clone(),
                text: raw.text.get_ref().clone(),
            });
        }
        // A dimension with nothing above the baseline would be at the top
        // level without any evidence.
        for raw in &raw.dimensions {
            if !above_baseline.contains(raw.id.get_ref().as_str()) {
                error(
                    raw.id.span(),
                    format!(
                        "dimension '{}' has no statement above level 1",
                        raw.id.get_ref()
                    ),
                );
            }
        }
        non_empty(&mut error, &raw.model.id, "model id");
        non_empty(&mut error, &raw.model.title, "model title");
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Model {
            id: raw.model.id.into_inner(),
            title: raw.model.title.into_inner(),
            source: raw.model.source,
            levels,
            dimensions,
            statements,
        })
    }

    /// The statement with this id.
    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.statements.iter().find(|s| s.id == id)
    }

    /// The highest level.
    pub fn top_level(&self) -> u8 {
        self.levels.last().map_or(1, |l| l.level)
    }

    /// The name of a level, e.g. "Learning on Demand".
    pub fn level_name(&self, level: u8) -> &str {
        self.levels
            .iter()
            .find(|l| l.level == level)
            .map_or("", |l| l.name.as_str())
    }

    /// The statements of one dimension, in level order (then model order).
    /// The statements a MaturityAssessment's template offers, by dimension.
    pub fn claimable(&self) -> Claimable<'_> {
        Claimable {
            dimensions: self
                .dimensions
                .iter()
                .map(|dimension| ClaimableDimension {
                    id: &dimension.id,
                    name: &dimension.name,
                    statements: self
                        .statements_of(&dimension.id)
                        .map(|s| ClaimableStatement {
                            id: &s.id,
                            level: s.level,
                            text: &s.text,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    pub fn statements_of<'a>(&'a self, dimension: &'a str) -> impl Iterator<Item = &'a Statement> {
        let mut of: Vec<&Statement> = self
            .statements
            .iter()
            .filter(|s| s.dimension == dimension)
            .collect();
        of.sort_by_key(|s| s.level);
        of.into_iter()
    }
}

fn non_empty(error: &mut impl FnMut(Range<usize>, String), value: &Spanned<String>, what: &str) {
    if value.get_ref().trim().is_empty() {
        error(value.span(), format!("{what} must not be empty"));
    }
}

/// `M2.lms-reporting`, `M4.content-bespoke`: the id says its level and
/// dimension, so an assessment's claims read without the model at hand.
fn id_fits(id: &str, level: u8, dimension: &str) -> bool {
    let Some(rest) = id.strip_prefix(&format!("M{level}.")) else {
        return false;
    };
    match rest.strip_prefix(dimension) {
        Some("") => true,
        Some(strand) => strand.strip_prefix('-').is_some_and(is_kebab),
        None => false,
    }
}

/// The model file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModelFile {
    model: RawSheet,
    levels: Vec<RawLevel>,
    dimensions: Vec<RawDimension>,
    statements: Vec<RawStatement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSheet {
    id: Spanned<String>,
    title: Spanned<String>,
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    level: Spanned<u8>,
    name: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    id: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    about: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatement {
    id: Spanned<String>,
    level: Spanned<u8>,
    dimension: Spanned<String>,
    text: Spanned<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn built_in() -> Model {
        Model::built_in().expect("the built-in model loads")
    }

    #[test]
    fn the_built_in_model_has_four_levels_ten_dimensions_and_every_statement() {
        let model = built_in();
        let names: Vec<&str> = model.levels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Traditional Learning Offer",
                "Integrated and Aligned",
                "Learning on Demand",
                "Learning Environment"
            ]
        );
        assert_eq!(model.dimensions.len(), 10);
        assert_eq!(model.statements.len(), 51);
        let per_level = |l: u8| model.statements.iter().filter(|s| s.level == l).count();
        assert_eq!(
            [per_level(1), per_level(2), per_level(3), per_level(4)],
            [15, 10, 11, 15]
        );
        // The spec's example assessment claims these.
        for id in ["M2.lms-reporting", "M3.lms-reporting", "M2.evaluation"] {
            assert!(model.statement(id).is_some(), "{id}");
        }
    }

    #[test]
    fn every_dimension_has_statements_and_is_named() {
        let model = built_in();
        for dimension in &model.dimensions {
            assert!(!dimension.about.is_empty(), "{}", dimension.id);
            assert!(
                model
                    .statements_of(&dimension.id)
                    .any(|s| s.level == model.top_level()),
                "{} has no statement at the top level",
                dimension.id
            );
        }
    }

    /// The seed's bullets and the model's statements are the same set, level
    /// by level, to the character.
    #[test]
    fn statements_are_the_seed_text_verbatim() {
        let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/seeds/blended-learning-maturity-model.txt");
        let seed = std::fs::read_to_string(seed).expect("the seed is in fixtures/seeds");
        let model = built_in();
        let mut level = None;
        let mut bullets = Vec::new();
        for line in seed.lines() {
            if let Some(rest) = line.strip_prefix("Level ") {
                let (number, name) = rest.split_once(" - ").expect("Level N - Name");
                let number: u8 = number.parse().expect("a level number");
                assert_eq!(model.level_name(number), name, "level {number}'s name");
                level = Some(number);
            } else if let Some(text) = line.strip_prefix("- ") {
                let level = level.expect("bullets follow a level heading");
                bullets.push((level, text));
                assert!(
                    model
                        .statements
                        .iter()
                        .any(|s| s.level == level && s.text == text),
                    "level {level} bullet is not encoded verbatim: {text}"
                );
            }
        }
        for s in &model.statements {
            assert!(
                bullets.contains(&(s.level, s.text.as_str())),
                "{} is not a level {} bullet of the seed: {}",
                s.id,
                s.level,
                s.text
            );
        }
        assert_eq!(bullets.len(), model.statements.len());
    }

    const MINIMAL: &str = r#"
[model]
id = "m"
title = "M"

[[levels]]
level = 1
name = "Base"

[[levels]]
level = 2
name = "Next"

[[dimensions]]
id = "d"
name = "D"

[[statements]]
id = "M2.d"
level = 2
dimension = "d"
text = "Something."
"#;

    fn errors(text: &str) -> Vec<String> {
        match Model::parse(text, "m.toml") {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_minimal_model_loads() {
        assert_eq!(errors(MINIMAL), Vec::<String>::new());
    }

    #[test]
    fn invalid_models_are_refused_with_locations() {
        let duplicate = format!(
            "{MINIMAL}\n[[statements]]\nid = \"M2.d\"\nlevel = 2\ndimension = \"d\"\ntext = \"Again.\"\n"
        );
        assert_eq!(
            errors(&duplicate),
            ["m.toml:25:6: statement id 'M2.d' is used twice"]
        );
        let bad = MINIMAL
            .replace("level = 2\ndimension", "level = 5\ndimension")
            .replace("dimension = \"d\"\ntext", "dimension = \"x\"\ntext")
            .replace("\"Something.\"", "\" \"");
        let got = errors(&bad);
        assert_eq!(got.len(), 5, "{got:?}");
        assert!(got[0].contains("level 5 is not one of the model's levels (1 to 2)"));
        assert!(got[1].contains("dimension 'x' is not one of the [[dimensions]]"));
        assert!(got[2].contains("must be M5.x or M5.x-<strand>"));
        assert!(got[3].contains("statement text must not be empty"));
        assert!(got[4].contains("dimension 'd' has no statement above level 1"));
        assert!(errors("[model]\nid = 1\n")[0].starts_with("m.toml:2:6: "));
        assert!(
            errors(&MINIMAL.replace("level = 2\nname", "level = 3\nname"))[0]
                .contains("expected 2")
        );
        assert!(
            errors(&MINIMAL.replace("[[statements]]", "[[statement]]"))[0]
                .contains("unknown field")
        );
    }

    #[test]
    fn ids_carry_their_level_and_dimension() {
        assert!(id_fits("M2.lms-reporting", 2, "lms-reporting"));
        assert!(id_fits("M4.content-bespoke", 4, "content"));
        assert!(!id_fits("M3.lms-reporting", 2, "lms-reporting"));
        assert!(!id_fits("M2.content_bespoke", 2, "content"));
        assert!(!id_fits("M2.contents", 2, "content"));
        assert!(!id_fits("M2.content-", 2, "content"));
    }
}
