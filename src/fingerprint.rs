//! A finding's identity across runs and releases: what SARIF's
//! `partialFingerprints` carry, so that code scanning keeps one alert per
//! problem as lines move, days pass and blcheck is upgraded, and what a
//! baseline will match on.
//!
//! It is built from what names the problem, never from where it is shown:
//! the policy, the rule, the document's kind and id, and the path of the
//! value in the document. Line, column, message and file path are left out,
//! so an edit above the value, a date moving on or a file moved to another
//! folder keep the identity. Where there is no document id to name (a file
//! that could not be read, DOC001, or a document without an id), the file
//! path stands in for it.
//!
//! The inputs are hashed with SHA-256 in a fixed encoding (each field
//! length-prefixed), so the value is the same on every platform and in
//! every release; a change to what is hashed would change [`KEY`].

use crate::report::Finding;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The name under which the fingerprint is published (SARIF's
/// `partialFingerprints` key). Fingerprints are comparable only under the
/// same key.
pub const KEY: &str = "blcheckFinding/v2";

/// How many bytes of the SHA-256 digest are kept: 128 bits, so that no two
/// problems of a corpus are expected to share one.
const DIGEST_BYTES: usize = 16;

/// The digest of what names a finding's problem.
pub fn identity(finding: &Finding) -> [u8; DIGEST_BYTES] {
    let mut hasher = Sha256::new();
    let mut field = |value: Option<&str>| match value {
        // Length-prefixed, so that no two lists of fields share an encoding.
        Some(text) => {
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        None => hasher.update(u64::MAX.to_le_bytes()),
    };
    field(Some(KEY));
    field(finding.policy.as_deref());
    field(Some(&finding.rule));
    field(finding.kind.as_deref());
    field(finding.document.as_deref());
    field(finding.path.as_deref());
    // Without a document id (a file that could not be read, a document
    // that lacks its id) the file is all that names the problem.
    field(finding.document.is_none().then_some(&*finding.file));
    let digest = hasher.finalize();
    let mut out = [0; DIGEST_BYTES];
    out.copy_from_slice(&digest[..DIGEST_BYTES]);
    out
}

/// Every finding's fingerprint, in the order given (the report's): the
/// identity in hex, then `:` and the finding's occurrence among those of
/// the same identity, counted from 1 in that order. Findings that share an
/// identity (the same rule at the same path of two documents of one kind
/// and id, DOC005) so still get a fingerprint each, and the first keeps its
/// fingerprint when a later duplicate is added or removed.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<[u8; DIGEST_BYTES], u32> = HashMap::new();
    findings
        .iter()
        .map(|finding| {
            let identity = identity(finding);
            let occurrence = seen.entry(identity).or_insert(0);
            *occurrence += 1;
            let mut hex = String::with_capacity(DIGEST_BYTES * 2 + 4);
            for byte in identity {
                hex.push_str(&format!("{byte:02x}"));
            }
            format!("{hex}:{occurrence}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Severity, Status};

    fn finding() -> Finding {
        Finding {
            rule: "BLP002".into(),
            name: "accessibility-review".into(),
            policy: Some("BL-QA".into()),
            severity: Severity::Error,
            status: Status::Fail,
            document: Some("DM-L3-ONLINE-2025".into()),
            kind: Some("Course".into()),
            file: "courses/dm.yaml".into(),
            line: 33,
            column: 3,
            path: Some("accessibility_review.date".into()),
            message: "'accessibility_review.date' is 2024-05-10".into(),
            clause: None,
            help: None,
            justification: None,
            document_index: Some(0),
        }
    }

    #[test]
    fn the_fingerprint_is_fixed_across_releases() {
        // A change to this value breaks every alert users have: change KEY
        // with it. Computed independently (Python's hashlib over the same
        // length-prefixed fields).
        assert_eq!(
            fingerprints(&[finding()]),
            ["16eeefbb266e87e63a91e29a1d6744d8:1"]
        );
    }

    #[test]
    fn place_message_and_file_do_not_change_it() {
        let mut moved = finding();
        moved.line = 90;
        moved.column = 7;
        moved.message = "'accessibility_review.date' is 2023-01-01".into();
        moved.file = "archive/dm.yaml".into();
        moved.status = Status::Waived;
        moved.document_index = Some(12);
        assert_eq!(identity(&moved), identity(&finding()));
    }

    #[test]
    fn what_names_the_problem_changes_it() {
        let base = identity(&finding());
        let changes: [fn(&mut Finding); 5] = [
            |f| f.rule = "BLP001".into(),
            |f| f.policy = None,
            |f| f.kind = Some("LearnerPlan".into()),
            |f| f.document = Some("OTHER".into()),
            |f| f.path = Some("accessibility_review.outcome".into()),
        ];
        for change in changes {
            let mut other = finding();
            change(&mut other);
            assert_ne!(identity(&other), base, "{other:?}");
        }
        // Fields cannot run into each other.
        let mut a = finding();
        a.document = Some("ab".into());
        a.path = Some("c".into());
        let mut b = finding();
        b.document = Some("a".into());
        b.path = Some("bc".into());
        assert_ne!(identity(&a), identity(&b));
    }

    #[test]
    fn without_a_document_id_the_file_names_it() {
        let unreadable = |file: &str| Finding {
            rule: "DOC001".into(),
            policy: None,
            document: None,
            kind: None,
            path: None,
            file: file.into(),
            document_index: None,
            ..finding()
        };
        assert_ne!(
            identity(&unreadable("a.yaml")),
            identity(&unreadable("b.yaml"))
        );
        let without_id = |file: &str| Finding {
            document: None,
            file: file.into(),
            ..finding()
        };
        assert_ne!(
            identity(&without_id("a.yaml")),
            identity(&without_id("b.yaml"))
        );
    }

    #[test]
    fn findings_that_coincide_are_numbered_in_order() {
        let mut second = finding();
        second.line = 120;
        second.document_index = Some(1);
        let mut other = finding();
        other.rule = "BLP001".into();
        let prints = fingerprints(&[finding(), other, second]);
        assert!(prints[0].ends_with(":1") && prints[2].ends_with(":2"));
        assert_eq!(prints[0].split(':').next(), prints[2].split(':').next());
        assert!(prints[1].ends_with(":1"));
        let unique: std::collections::BTreeSet<_> = prints.iter().collect();
        assert_eq!(unique.len(), prints.len());
    }
}
