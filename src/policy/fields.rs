//! The fields every loaded policy declares, put together: one format per
//! kind for the run. Two policies may declare the same field alike; one
//! declared with two types, or one declared under another's field, is a
//! policy error at the later declaration.

use super::{Policy, PolicyError};
use crate::document::extension::{extended, Declaration};
use crate::document::format::Field;
use crate::document::Kind;
use std::collections::BTreeMap;

/// The extended format of each kind some policy declares fields for, and
/// the conflicts between declarations (the later one left out).
pub fn formats(policies: &[Policy]) -> (BTreeMap<Kind, &'static [Field]>, Vec<PolicyError>) {
    let mut kept: Vec<(Declaration, String)> = Vec::new();
    let mut errors = Vec::new();
    for policy in policies {
        for field in &policy.fields {
            let d = &field.declaration;
            let here = format!("{}:{}", policy.origin.file_label(), field.pos);
            match kept
                .iter()
                .find(|(k, _)| k.kind == d.kind && k.path == d.path)
            {
                Some((k, _)) if k.ty == d.ty => {}
                Some((k, there)) => errors.push(PolicyError {
                    file: policy.origin.file_label(),
                    pos: field.pos,
                    message: format!(
                        "'{}' is declared here as {} and at {there} as {}",
                        d.path,
                        d.ty.name(),
                        k.ty.name()
                    ),
                }),
                None => {
                    let mut trial: Vec<Declaration> = kept.iter().map(|(k, _)| k.clone()).collect();
                    trial.push(d.clone());
                    match extended(d.kind, &trial) {
                        Ok(_) => kept.push((d.clone(), here)),
                        Err((_, message)) => errors.push(PolicyError {
                            file: policy.origin.file_label(),
                            pos: field.pos,
                            message: format!("{message} (with the fields other policies declare)"),
                        }),
                    }
                }
            }
        }
    }
    let declarations: Vec<Declaration> = kept.into_iter().map(|(d, _)| d).collect();
    let mut out = BTreeMap::new();
    for kind in Kind::ALL {
        if declarations.iter().any(|d| d.kind == kind) {
            if let Ok(format) = extended(kind, &declarations) {
                out.insert(kind, format);
            }
        }
    }
    (out, errors)
}
