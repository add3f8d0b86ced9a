//! `blcheck rules` and `blcheck explain`.
