//! Scoring an assessment against the model: the level of each dimension,
//! the overall level with the median beside it, and what each dimension
//! still needs for its next level.
//!
//! Level 1 is the baseline every organisation starts from. A dimension is
//! at level L when every one of its statements at levels 2..=L is met. A
//! level with no statement in a dimension asks nothing of its own, but it is
//! not reached on its own either: it is reached together with the next level
//! up that has a statement. Otherwise a dimension with statements only at
//! levels 1 and 4 (strategy and funding) would stand at level 3 with nothing
//! met.
//!
//! The organisation is at level L when every statement of the model at
//! levels 2..=L is met: a dimension with no statement at a level does not
//! hold it below that level (the model, as the seed writes it, asks nothing
//! of strategy at levels 2 and 3). So meeting every level-2 statement is
//! level 2 overall, though strategy and funding stand at 1 until their
//! level-4 statement is met.

use super::model::{Dimension, Model, Statement};
use std::collections::BTreeSet;

/// The score of one assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Score<'m> {
    /// In the model's order of dimensions.
    pub dimensions: Vec<DimensionScore<'m>>,
    /// The highest level all of whose statements, and all below, are met:
    /// the lowest `holds_to` of any dimension.
    pub overall: u8,
    /// The median of the dimensions' levels (the mean of the middle two when
    /// there is an even number of dimensions).
    pub median: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DimensionScore<'m> {
    pub dimension: &'m Dimension,
    pub level: u8,
    /// The level the dimension reaches next: the lowest level above `level`
    /// with a statement in this dimension; `None` at the top.
    pub next_level: Option<u8>,
    /// The statements of `next_level` not yet met.
    pub needed: Vec<&'m Statement>,
    /// The statements of this dimension that are met, at any level.
    pub met: Vec<&'m Statement>,
    /// The highest level this dimension lets the organisation reach: the
    /// level below its first unmet statement (`next_level - 1`), the top
    /// when none is unmet. Above `level` where levels have no statement.
    pub holds_to: u8,
}

/// Scores the statements met (by id) against the model. Ids the model does
/// not know are ignored: they are reported when the assessment is read.
pub fn score<'m>(model: &'m Model, met: &BTreeSet<&str>) -> Score<'m> {
    let dimensions: Vec<DimensionScore<'m>> = model
        .dimensions
        .iter()
        .map(|d| score_dimension(model, d, met))
        .collect();
    let mut levels: Vec<u8> = dimensions.iter().map(|d| d.level).collect();
    levels.sort_unstable();
    let overall = dimensions.iter().map(|d| d.holds_to).min().unwrap_or(1);
    Score {
        dimensions,
        overall,
        median: median(&levels),
    }
}

fn score_dimension<'m>(
    model: &'m Model,
    dimension: &'m Dimension,
    met: &BTreeSet<&str>,
) -> DimensionScore<'m> {
    let statements: Vec<&Statement> = model.statements_of(&dimension.id).collect();
    let is_met = |s: &Statement| met.contains(s.id.as_str());
    // The lowest level above the baseline with a statement not met.
    let gap = statements
        .iter()
        .filter(|s| s.level > 1 && !is_met(s))
        .map(|s| s.level)
        .min();
    let (level, needed) = match gap {
        None => (model.top_level(), Vec::new()),
        Some(gap) => {
            let reached = statements
                .iter()
                .map(|s| s.level)
                .filter(|&l| l > 1 && l < gap)
                .max()
                .unwrap_or(1);
            let needed = statements
                .iter()
                .filter(|s| s.level == gap && !is_met(s))
                .copied()
                .collect();
            (reached, needed)
        }
    };
    DimensionScore {
        dimension,
        level,
        holds_to: gap.map_or(model.top_level(), |g| g - 1),
        next_level: gap,
        needed,
        met: statements.into_iter().filter(|s| is_met(s)).collect(),
    }
}

fn median(sorted: &[u8]) -> f64 {
    match sorted.len() {
        0 => 1.0,
        n if n % 2 == 1 => f64::from(sorted[n / 2]),
        n => (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::built_in().expect("loads")
    }

    fn level_of<'m>(score: &'m Score<'_>, dimension: &str) -> &'m DimensionScore<'m> {
        score
            .dimensions
            .iter()
            .find(|d| d.dimension.id == dimension)
            .expect("a dimension")
    }

    #[test]
    fn meeting_nothing_is_level_1_everywhere() {
        let model = model();
        let score = score(&model, &BTreeSet::new());
        assert!(score.dimensions.iter().all(|d| d.level == 1));
        assert_eq!(score.overall, 1);
        assert_eq!(score.median, 1.0);
        // Strategy has nothing at levels 2 and 3: its next level is 4.
        let strategy = level_of(&score, "strategy");
        assert_eq!(strategy.next_level, Some(4));
        assert_eq!(strategy.needed[0].id, "M4.strategy");
        let lms = level_of(&score, "lms-reporting");
        assert_eq!(lms.next_level, Some(2));
        assert_eq!(lms.needed.len(), 1);
    }

    #[test]
    fn meeting_everything_is_level_4_everywhere() {
        let model = model();
        let all: BTreeSet<&str> = model.statements.iter().map(|s| s.id.as_str()).collect();
        let score = score(&model, &all);
        assert!(score
            .dimensions
            .iter()
            .all(|d| d.level == 4 && d.next_level.is_none() && d.needed.is_empty()));
        assert_eq!((score.overall, score.median), (4, 4.0));
    }

    #[test]
    fn level_1_claims_change_nothing() {
        let model = model();
        let baseline: BTreeSet<&str> = model
            .statements
            .iter()
            .filter(|s| s.level == 1)
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(score(&model, &baseline).overall, 1);
    }

    #[test]
    fn a_level_counts_only_when_every_level_below_is_met() {
        let model = model();
        let met = BTreeSet::from(["M3.lms-reporting", "M4.lms-reporting"]);
        let score = score(&model, &met);
        let lms = level_of(&score, "lms-reporting");
        assert_eq!((lms.level, lms.next_level), (1, Some(2)));
        assert_eq!(lms.met.len(), 2);
        let met = BTreeSet::from(["M2.lms-reporting", "M3.lms-reporting"]);
        let score = super::score(&model, &met);
        let lms = level_of(&score, "lms-reporting");
        assert_eq!((lms.level, lms.next_level), (3, Some(4)));
        assert_eq!(lms.needed[0].id, "M4.lms-reporting");
    }

    #[test]
    fn a_level_with_several_statements_needs_them_all() {
        let model = model();
        let met = BTreeSet::from(["M2.ownership", "M3.ownership-advice"]);
        let score = score(&model, &met);
        let ownership = level_of(&score, "ownership");
        assert_eq!(ownership.level, 2);
        let needed: Vec<&str> = ownership.needed.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(needed, ["M3.ownership-recommended"]);
    }

    #[test]
    fn empty_levels_are_reached_with_the_next_level_that_has_a_statement() {
        let model = model();
        let score = score(&model, &BTreeSet::from(["M4.strategy"]));
        let strategy = level_of(&score, "strategy");
        assert_eq!((strategy.level, strategy.next_level), (4, None));
    }

    fn every_statement_up_to(model: &Model, level: u8) -> BTreeSet<&str> {
        model
            .statements
            .iter()
            .filter(|s| s.level <= level)
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The seed's model leaves levels 2 and 3 of strategy and inclusion
    /// empty: they do not hold an organisation at 1.
    #[test]
    fn meeting_every_statement_of_a_level_is_that_level_overall() {
        let model = model();
        for level in 1..=4 {
            let met = every_statement_up_to(&model, level);
            let score = score(&model, &met);
            assert_eq!(score.overall, level, "every statement up to level {level}");
        }
        let score = score(&model, &every_statement_up_to(&model, 2));
        let strategy = level_of(&score, "strategy");
        assert_eq!((strategy.level, strategy.holds_to), (1, 3));
        assert_eq!(strategy.needed[0].id, "M4.strategy");
    }

    #[test]
    fn one_unmet_statement_holds_the_organisation_below_its_level() {
        let model = model();
        let mut met = every_statement_up_to(&model, 3);
        met.remove("M3.commissioning");
        let score = score(&model, &met);
        assert_eq!(score.overall, 2);
        // Next is never a level-1 description.
        assert!(score
            .dimensions
            .iter()
            .flat_map(|d| &d.needed)
            .all(|s| s.level > 1));
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[1, 1, 2, 4]), 1.5);
        assert_eq!(median(&[1, 2, 4]), 2.0);
        assert_eq!(median(&[]), 1.0);
    }
}
