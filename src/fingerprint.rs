//! A finding's identity across runs and releases: what SARIF's
//! `partialFingerprints` carry, so that code scanning keeps one alert per
//! problem as lines move, days pass and blcheck is upgraded, and what a
//! baseline matches on (`audit::baseline`) and `blcheck diff` compares.
//!
//! It is built from what names the problem, never from where it is shown:
//! the policy, the rule, the document's kind and id, the [`Subject`] (the
//! path of the value in the document, each list item named by its stable
//! key where it has one, and a digest of the value found there). Line,
//! column, message and file path are left out, so an edit above the
//! value, keys reordered or re-indented, a message reworded or a file moved
//! to another folder keep the identity; a different offending value (a
//! date changed but still too old) is a different problem. Where there is
//! no document id to name (a file that could not be read, DOC001, or a
//! document without an id), the file path stands in for it.
//!
//! The inputs are hashed with SHA-256 in a fixed encoding (each field
//! length-prefixed), so the value is the same on every platform and in
//! every release; a change to what is hashed changes [`KEY`].

use crate::report::Finding;
use crate::yaml::path::{Path, Segment};
use crate::yaml::{Node, Value};
use sha2::{Digest, Sha256};

/// The name under which the fingerprint is published (SARIF's
/// `partialFingerprints` key, a baseline's `fingerprint`). Fingerprints are
/// comparable only under the same key.
pub const KEY: &str = "blcheckFinding/v3";

/// How many bytes of the SHA-256 digest are kept: 128 bits, so that no two
/// problems of a corpus are expected to share one.
pub const DIGEST_BYTES: usize = 16;

/// What a finding is about inside its document, named so that it survives
/// edits that do not touch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The finding's path with each list index replaced by the item's
    /// stable key where it has one: `staff[role=Tutor].online_delivery_training`
    /// for `staff[1].online_delivery_training`. An item without a key keeps
    /// its index.
    pub path: String,
    /// The digest of the value at the path in normal form (see
    /// [`value_digest`]); `None` when nothing is there (a missing field).
    pub value: Option<[u8; DIGEST_BYTES]>,
}

/// The keys that name an item of a list, first found first: an
/// assignment's `id`, a staff member's `role`, a component's `type`, a
/// goal's `goal` text, a milestone's `step`, a waiver's `rule`, and the
/// usual names besides. A list of scalars names each item by its text.
const ITEM_KEYS: &[&str] = &[
    "id", "role", "type", "goal", "step", "rule", "name", "title", "text",
];

/// The subject of a finding at `path` of the document `root`. A path that
/// is not one blcheck writes (it cannot be parsed) is kept as it is.
pub fn subject(root: &Node, path: &str) -> Subject {
    let Ok(parsed) = Path::parse(path) else {
        return Subject {
            path: path.to_string(),
            value: None,
        };
    };
    let mut stable = String::with_capacity(path.len() + 16);
    let mut node = Some(root);
    for segment in parsed.segments() {
        match segment {
            Segment::Key(key) => {
                if !stable.is_empty() {
                    stable.push('.');
                }
                stable.push_str(key);
                node = node.and_then(|n| n.get(key));
            }
            Segment::Index(index) => {
                let items = match node.map(|n| &n.value) {
                    Some(Value::List(items)) => Some(items),
                    _ => None,
                };
                match items.and_then(|items| item_key(items, *index)) {
                    Some(key) => {
                        stable.push('[');
                        stable.push_str(&key);
                        stable.push(']');
                    }
                    None => stable.push_str(&format!("[{index}]")),
                }
                node = items.and_then(|items| items.get(*index));
            }
            // Findings name one value; a path with `[*]` or a filter is
            // already free of indices.
            Segment::Each => {
                stable.push_str("[*]");
                node = None;
            }
            Segment::Filter(key, value) => {
                stable.push_str(&format!("[{key}={value}]"));
                node = None;
            }
        }
    }
    Subject {
        path: stable,
        value: node.map(value_digest),
    }
}

/// How item `index` of `items` is named: `role=Tutor` by its first key of
/// [`ITEM_KEYS`] that holds a scalar, `=declaration` for a scalar item;
/// `#2` and on is added for the second and later items of the same name,
/// so that items stay apart. `None` when the item has no such key.
fn item_key(items: &[Node], index: usize) -> Option<String> {
    let name = |item: &Node| -> Option<(&'static str, String)> {
        match &item.value {
            Value::Map(_) => ITEM_KEYS.iter().find_map(|key| {
                let text = item.get(key)?.scalar_text()?;
                Some((*key, normal_text(text)))
            }),
            Value::List(_) | Value::Null => None,
            _ => item.scalar_text().map(|text| ("", normal_text(text))),
        }
    };
    let (key, text) = name(items.get(index)?)?;
    let earlier = items[..index]
        .iter()
        .filter(|item| name(item).is_some_and(|(k, t)| k == key && t == text))
        .count();
    Some(match earlier {
        0 => format!("{key}={text}"),
        n => format!("{key}={text}#{}", n + 1),
    })
}

/// Text with its runs of white space made one space, and none at the ends:
/// a value re-wrapped or re-indented is the same value.
fn normal_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The digest of a value in normal form: scalars by their text (white
/// space normalised, so `10` and `"10"` are one value), lists in order,
/// mappings by key whatever order their keys are written in.
pub fn value_digest(node: &Node) -> [u8; DIGEST_BYTES] {
    fn feed(hasher: &mut Sha256, node: &Node) {
        let mut text = |tag: &[u8], value: &str| {
            hasher.update(tag);
            hasher.update((value.len() as u64).to_le_bytes());
            hasher.update(value.as_bytes());
        };
        match &node.value {
            Value::Null => hasher.update(b"n"),
            Value::Bool(b) => hasher.update(if *b { b"t" } else { b"f" }),
            Value::Int(_, source) | Value::Float(_, source) | Value::Text(source) => {
                text(b"s", &normal_text(source))
            }
            Value::List(items) => {
                hasher.update(b"[");
                hasher.update((items.len() as u64).to_le_bytes());
                for item in items {
                    feed(hasher, item);
                }
            }
            Value::Map(entries) => {
                let mut sorted: Vec<_> = entries.iter().collect();
                sorted.sort_by(|a, b| a.key.cmp(&b.key));
                hasher.update(b"{");
                hasher.update((sorted.len() as u64).to_le_bytes());
                for entry in sorted {
                    hasher.update((entry.key.len() as u64).to_le_bytes());
                    hasher.update(entry.key.as_bytes());
                    feed(hasher, &entry.value);
                }
            }
        }
    }
    let mut hasher = Sha256::new();
    feed(&mut hasher, node);
    let digest = hasher.finalize();
    let mut out = [0; DIGEST_BYTES];
    out.copy_from_slice(&digest[..DIGEST_BYTES]);
    out
}

/// The digest of what names a finding's problem.
pub fn identity(finding: &Finding, subject: Option<&Subject>) -> [u8; DIGEST_BYTES] {
    let mut hasher = Sha256::new();
    let mut field = |value: Option<&[u8]>| match value {
        // Length-prefixed, so that no two lists of fields share an encoding.
        Some(bytes) => {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        None => hasher.update(u64::MAX.to_le_bytes()),
    };
    fn text(value: Option<&str>) -> Option<&[u8]> {
        value.map(str::as_bytes)
    }
    field(text(Some(KEY)));
    field(text(finding.policy().as_deref()));
    field(text(Some(finding.rule())));
    field(text(finding.kind().as_deref()));
    field(text(finding.document().as_deref()));
    match subject {
        Some(subject) => {
            field(text(Some(&subject.path)));
            field(subject.value.as_ref().map(|v| &v[..]));
        }
        None => {
            field(text(finding.path()));
            field(None);
        }
    }
    // Without a document id (a file that could not be read, a document
    // that lacks its id) the file is all that names the problem.
    field(text(
        finding.document().is_none().then_some(&**finding.file()),
    ));
    let digest = hasher.finalize();
    let mut out = [0; DIGEST_BYTES];
    out.copy_from_slice(&digest[..DIGEST_BYTES]);
    out
}

/// A finding's fingerprint, as the report shows it: the identity in hex,
/// `:`, and its occurrence.
pub fn shown(identity: &[u8; DIGEST_BYTES], occurrence: u32) -> String {
    use std::fmt::Write;
    let mut hex = String::with_capacity(DIGEST_BYTES * 2 + 11);
    for byte in identity {
        let _ = write!(hex, "{byte:02x}");
    }
    let _ = write!(hex, ":{occurrence}");
    hex
}

/// A finding's fingerprint (see [`fingerprints`]).
pub fn of(finding: &Finding) -> String {
    finding.fingerprint()
}

/// The identity part of a fingerprint (before the `:` of its occurrence):
/// what a baseline and `blcheck diff` match on, as many times as it occurs.
pub fn identity_part(fingerprint: &str) -> &str {
    fingerprint
        .rsplit_once(':')
        .map_or(fingerprint, |(identity, _)| identity)
}

/// Gives every finding its fingerprint, in the order given (the
/// report's): the identity, and the finding's occurrence among those of
/// the same identity, counted from 1 in that order. Findings that share an
/// identity (the same rule at the same path of two documents of one kind
/// and id, DOC005) so still get a fingerprint each, and the first keeps its
/// fingerprint when a later duplicate is added or removed. A finding that
/// has one keeps it (a report made again once a baseline is applied; a
/// fixed entry keeps its baseline's). The occurrences are counted over the
/// findings' indices sorted by identity, four bytes a finding, not in a
/// map of every identity.
pub fn number(findings: &mut [Finding]) {
    if findings.iter().all(Finding::has_fingerprint) {
        return;
    }
    for finding in findings.iter_mut() {
        if finding.identity.is_none() && !finding.has_baseline_fingerprint() {
            finding.identity = Some(identity(finding, None));
        }
    }
    let Ok(len) = u32::try_from(findings.len()) else {
        return;
    };
    let mut order: Vec<u32> = (0..len)
        .filter(|&i| !findings[i as usize].has_baseline_fingerprint())
        .collect();
    // Stable: equal identities stay in report order.
    order.sort_by_key(|&i| findings[i as usize].identity);
    let mut previous = None;
    let mut occurrence = 0;
    for i in order {
        let finding = &mut findings[i as usize];
        if finding.identity == previous {
            occurrence += 1;
        } else {
            previous = finding.identity;
            occurrence = 1;
        }
        if finding.occurrence == 0 {
            finding.occurrence = occurrence;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{FindingPath, FindingTarget, RuleLabel, Severity, Status};
    use std::sync::Arc;

    fn finding() -> Finding {
        let mut label = RuleLabel::new("BLP002", "accessibility-review");
        label.policy = Some("BL-QA".into());
        let mut finding = Finding::new(
            Arc::new(label),
            Severity::Error,
            Arc::new(FindingTarget {
                file: "courses/dm.yaml".into(),
                kind: Some("Course".into()),
                document: Some("DM-L3-ONLINE-2025".into()),
            }),
            crate::yaml::Pos {
                line: 33,
                column: 3,
            },
            Some(Arc::new(FindingPath::new("accessibility_review.date"))),
            "'accessibility_review.date' is 2024-05-10",
        );
        finding.document_index = Some(0);
        finding
    }

    /// The fingerprints `Report::new` gives findings in this order.
    fn fingerprints(findings: &[Finding]) -> Vec<String> {
        let mut findings = findings.to_vec();
        number(&mut findings);
        findings.iter().map(Finding::fingerprint).collect()
    }

    fn relabel(finding: &mut Finding, change: impl FnOnce(&mut RuleLabel)) {
        let mut label = (*finding.label).clone();
        change(&mut label);
        finding.label = Arc::new(label);
    }

    fn retarget(finding: &mut Finding, change: impl FnOnce(&mut FindingTarget)) {
        let mut target = (*finding.target).clone();
        change(&mut target);
        finding.target = Arc::new(target);
    }

    fn at(finding: &mut Finding, path: Option<&str>) {
        finding.location = path.map(|p| Arc::new(FindingPath::new(p)));
    }

    fn identity(finding: &Finding) -> [u8; DIGEST_BYTES] {
        super::identity(finding, None)
    }

    #[test]
    fn the_fingerprint_is_fixed_across_releases() {
        // A change to this value breaks every alert users have: change KEY
        // with it. Computed independently (Python's hashlib over the same
        // length-prefixed fields).
        assert_eq!(
            fingerprints(&[finding()]),
            ["1e2c617000c31a1e83c538ca2be4fa05:1"]
        );
    }

    #[test]
    fn a_fingerprint_with_its_subject_is_fixed_across_releases_too() {
        // Python: the value digest is sha256(b"s" + le64(10) + b"2022-09-14")
        // cut to 16 bytes, hashed as the sixth field.
        let doc =
            root("staff:\n  - role: Skills Coach\n    online_delivery_training: 2022-09-14\n");
        let mut found = finding();
        let about = subject(&doc, "staff[0].online_delivery_training");
        found.identity = Some(super::identity(&found, Some(&about)));
        assert_eq!(
            fingerprints(&[found]),
            ["f02cf008e59969aed4537a4babed0a2e:1"]
        );
    }

    #[test]
    fn place_message_and_file_do_not_change_it() {
        let mut moved = finding();
        moved.line = 90;
        moved.column = 7;
        moved.message = "'accessibility_review.date' is 2023-01-01".into();
        retarget(&mut moved, |t| t.file = "archive/dm.yaml".into());
        moved.status = Status::Waived;
        moved.document_index = Some(12);
        assert_eq!(identity(&moved), identity(&finding()));
    }

    #[test]
    fn what_names_the_problem_changes_it() {
        let base = identity(&finding());
        let changes: [fn(&mut Finding); 5] = [
            |f| relabel(f, |l| l.id = "BLP001".into()),
            |f| relabel(f, |l| l.policy = None),
            |f| retarget(f, |t| t.kind = Some("LearnerPlan".into())),
            |f| retarget(f, |t| t.document = Some("OTHER".into())),
            |f| at(f, Some("accessibility_review.outcome")),
        ];
        for change in changes {
            let mut other = finding();
            change(&mut other);
            assert_ne!(identity(&other), base, "{other:?}");
        }
        // Fields cannot run into each other.
        let mut a = finding();
        retarget(&mut a, |t| t.document = Some("ab".into()));
        at(&mut a, Some("c"));
        let mut b = finding();
        retarget(&mut b, |t| t.document = Some("a".into()));
        at(&mut b, Some("bc"));
        assert_ne!(identity(&a), identity(&b));
    }

    #[test]
    fn without_a_document_id_the_file_names_it() {
        let unreadable = |file: &str| {
            let mut f = finding();
            relabel(&mut f, |l| {
                l.id = "DOC001".into();
                l.policy = None;
            });
            retarget(&mut f, |t| {
                *t = FindingTarget {
                    file: file.into(),
                    kind: None,
                    document: None,
                }
            });
            at(&mut f, None);
            f.document_index = None;
            f
        };
        assert_ne!(
            identity(&unreadable("a.yaml")),
            identity(&unreadable("b.yaml"))
        );
        let without_id = |file: &str| {
            let mut f = finding();
            retarget(&mut f, |t| {
                t.document = None;
                t.file = file.into();
            });
            f
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
        relabel(&mut other, |l| l.id = "BLP001".into());
        let prints = fingerprints(&[finding(), other, second]);
        assert!(prints[0].ends_with(":1") && prints[2].ends_with(":2"));
        assert_eq!(prints[0].split(':').next(), prints[2].split(':').next());
        assert!(prints[1].ends_with(":1"));
        let unique: std::collections::BTreeSet<_> = prints.iter().collect();
        assert_eq!(unique.len(), prints.len());
    }

    #[test]
    fn a_finding_stays_small() {
        // A 100,000-file run of failing courses holds 430,000 findings;
        // every byte here is 430 kB of its peak (docs/performance.md).
        assert!(
            std::mem::size_of::<Finding>() <= 88,
            "{}",
            std::mem::size_of::<Finding>()
        );
    }

    fn root(text: &str) -> Node {
        crate::yaml::load(text, crate::yaml::Limits::default())
            .unwrap()
            .remove(0)
            .root
    }

    #[test]
    fn list_items_are_named_by_their_stable_key() {
        let doc = root(
            "staff:\n  - role: Skills Coach\n    online_delivery_training: 2022-09-14\n  \
             - role: Tutor\n    online_delivery_training: 2023-01-01\n  \
             - role: Tutor\n    online_delivery_training: 2021-01-01\n\
             access: [tutor, employer]\nnotes:\n  - [a]\n",
        );
        let at = |path: &str| subject(&doc, path).path;
        assert_eq!(
            at("staff[0].online_delivery_training"),
            "staff[role=Skills Coach].online_delivery_training"
        );
        assert_eq!(at("staff[1]"), "staff[role=Tutor]");
        assert_eq!(at("staff[2]"), "staff[role=Tutor#2]");
        assert_eq!(at("access[1]"), "access[=employer]");
        assert_eq!(at("notes[0]"), "notes[0]");
        assert_eq!(at("staff[7].role"), "staff[7].role");
        assert_eq!(at("not a path["), "not a path[");
        assert!(subject(&doc, "staff[7].role").value.is_none());
    }

    #[test]
    fn moving_an_item_reordering_keys_and_reindenting_keep_the_subject() {
        let before = root(
            "staff:\n  - role: Skills Coach\n    online_delivery_training: 2022-09-14\n  \
             - role: Tutor\n    online_delivery_training: 2025-02-03\n",
        );
        let after = root(
            "# a comment above\nstaff:\n    -   online_delivery_training: 2025-02-03\n        role: Tutor\n    \
             -   online_delivery_training:   2022-09-14\n        role:    Skills Coach\n",
        );
        assert_eq!(
            subject(&before, "staff[0].online_delivery_training"),
            subject(&after, "staff[1].online_delivery_training")
        );
        assert_eq!(subject(&before, "staff[0]"), subject(&after, "staff[1]"));
        // A different offending value is a different problem.
        let changed =
            root("staff:\n  - role: Skills Coach\n    online_delivery_training: 2022-10-01\n");
        assert_ne!(
            subject(&before, "staff[0].online_delivery_training"),
            subject(&changed, "staff[0].online_delivery_training")
        );
    }

    #[test]
    fn the_value_digest_is_normalised() {
        let digest = |text: &str| value_digest(&root(text).get("v").unwrap().clone());
        assert_eq!(digest("v: 10"), digest("v: \"10\""));
        assert_eq!(digest("v: a  b"), digest("v: \"a b \""));
        assert_eq!(digest("v: {a: 1, b: 2}"), digest("v:\n  b: 2\n  a: 1\n"));
        assert_ne!(digest("v: [1, 2]"), digest("v: [2, 1]"));
        assert_ne!(digest("v: [a]"), digest("v: a"));
        assert_ne!(digest("v: ~"), digest("v: ''"));
    }
}
