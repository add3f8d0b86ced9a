//! The blended-learning maturity model: the model as data (`model`) and the
//! claims of a `MaturityAssessment` read against it (`claims`). See
//! `docs/maturity.md`.

pub mod claims;
pub mod model;

pub use claims::{read_claims, Claim, ClaimIssue, Claims};
pub use model::{Dimension, Level, Model, Statement};
