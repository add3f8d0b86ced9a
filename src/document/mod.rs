//! blcheck documents: the YAML documents with a top-level `kind`, their
//! kinds, and the format each kind must follow.

pub mod evidence;
pub mod extension;
pub mod format;
pub mod paths;
pub mod schema;
pub mod template;
pub mod validate;

use crate::yaml::{quoted, shorten_to, Node, Pos};

/// The longest id kept whole; ids are short codes such as `FS-ENG-L2-2025`.
pub const MAX_ID_CHARS: usize = 200;
use format::Field;
use std::fmt;
use std::sync::Arc;

/// The kinds of document blcheck knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Course,
    LearnerPlan,
    MaturityAssessment,
    PolicyDocument,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Course,
        Kind::LearnerPlan,
        Kind::MaturityAssessment,
        Kind::PolicyDocument,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Course => "Course",
            Kind::LearnerPlan => "LearnerPlan",
            Kind::MaturityAssessment => "MaturityAssessment",
            Kind::PolicyDocument => "PolicyDocument",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The format documents of this kind follow.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::Course => format::COURSE,
            Kind::LearnerPlan => format::LEARNER_PLAN,
            Kind::MaturityAssessment => format::MATURITY_ASSESSMENT,
            Kind::PolicyDocument => format::POLICY_DOCUMENT,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A blcheck document: one YAML document with a top-level `kind`.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file, relative to the current directory, with `/` separators.
    pub file: Arc<str>,
    /// `kind` as written; shared with every finding about the document.
    pub kind_text: Arc<str>,
    /// The kind, when it is one blcheck knows.
    pub kind: Option<Kind>,
    pub kind_pos: Pos,
    /// `id`, when it is text; shared with every finding about the document.
    pub id: Option<Arc<str>>,
    pub id_pos: Pos,
    pub root: Node,
}

/// The text of a document's `kind`: one shared copy of each known kind's
/// name, which every document of the run and its findings keep.
fn shared_kind_text(text: String) -> Arc<str> {
    static KNOWN: std::sync::OnceLock<Vec<Arc<str>>> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| Kind::ALL.iter().map(|k| Arc::from(k.name())).collect());
    match known.iter().find(|k| ***k == *text) {
        Some(name) => name.clone(),
        None => text.into(),
    }
}

impl Document {
    /// The document, when `root` is a mapping with a top-level `kind`.
    /// `kind` and `id` are kept shortened: every finding about the document
    /// carries them, so a megabyte-long id must not be copied into each.
    pub fn from_root(file: Arc<str>, root: Node) -> Option<Document> {
        let kind_node = root.get("kind")?;
        let kind_text = quoted(kind_node.scalar_text()?);
        let id_node = root.get("id");
        Some(Document {
            file,
            kind: Kind::from_name(&kind_text),
            kind_text: shared_kind_text(kind_text),
            kind_pos: kind_node.pos,
            id: id_node
                .and_then(Node::scalar_text)
                .filter(|s| !s.trim().is_empty())
                .map(|id| shorten_to(id, MAX_ID_CHARS).into()),
            id_pos: id_node.map_or(root.pos, |n| n.pos),
            root,
        })
    }
}
