//! The blended-learning maturity model: the model as data (`model`), a
//! `MaturityAssessment` (`assessment`) and its claims read against the model
//! (`claims`), and the levels they reach (`score`). See `docs/maturity.md`.

pub mod assessment;
pub mod claims;
pub mod model;
pub mod score;

pub use assessment::Assessment;
pub use claims::{read_claims, Claim, ClaimIssue, Claims};
pub use model::{Dimension, Level, Model, Statement};
pub use score::{score, DimensionScore, Score};
