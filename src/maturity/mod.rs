//! The blended-learning maturity model: the model as data (`model`). See
//! `docs/maturity.md`.

pub mod model;

pub use model::{Dimension, Level, Model, Statement};
