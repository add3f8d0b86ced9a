//! The format of each document kind, defined once: known keys, value types,
//! allowed values and required fields. It drives validation (DOC002, DOC003)
//! and the JSON Schema that editors use, so the two cannot drift apart.

/// What a value must look like.
#[derive(Debug, Clone)]
pub enum Shape {
    /// Any scalar, written as the author wrote it (`reference: 12345` is fine).
    Text,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// ISO `2025-10-10` or UK `10/10/2025`.
    Date,
    /// One of a closed set of words.
    Enum(&'static [&'static str]),
    /// An Ofqual qualification number: `603/5058/0`.
    QualificationNumber,
    List(&'static Shape),
    Map(&'static [Field]),
    /// Free-form mapping of names to scalars (`starting_point`).
    TextMap,
}

/// One key of a mapping.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub about: &'static str,
}

const fn field(name: &'static str, shape: Shape, about: &'static str) -> Field {
    Field {
        name,
        shape,
        required: false,
        about,
    }
}

const fn required(name: &'static str, shape: Shape, about: &'static str) -> Field {
    Field {
        name,
        shape,
        required: true,
        about,
    }
}

pub const COMPONENT_TYPES: &[&str] = &["face_to_face", "live_online", "self_study", "recorded"];
pub const DELIVERY_MODES: &[&str] = &["face_to_face", "blended", "online"];
pub const EVALUATION_LEVELS: &[&str] = &["reaction", "learning", "behaviour", "results"];

const KIND: Field = required(
    "kind",
    Shape::Enum(&[
        "Course",
        "LearnerPlan",
        "MaturityAssessment",
        "PolicyDocument",
    ]),
    "The document kind.",
);
const POLICIES: Field = field(
    "policies",
    Shape::List(&Shape::Text),
    "Policies applied to this document (id, or id@version); default: every loaded policy whose scope matches.",
);
const WAIVERS: Field = field(
    "waivers",
    Shape::List(&Shape::Map(&[
        field("rule", Shape::Text, "The rule id waived, e.g. BLP014."),
        field("reason", Shape::Text, "Why the exception is acceptable."),
        field(
            "approved_by",
            Shape::Text,
            "The role that approved the exception.",
        ),
        field(
            "expires",
            Shape::Date,
            "When the waiver ends (at most a year ahead).",
        ),
    ])),
    "Time-bound, approved exceptions to policy rules.",
);

/// The evidence a section of a course rests on (`accessibility_review:
/// evidence: [...]`): kept beside the facts it supports, so an author adds
/// the review's report where the review's date is written.
const EVIDENCE: Field = field(
    "evidence",
    Shape::List(&Shape::Text),
    "Evidence for this section: https:// links or paths relative to this file (a missing file is DOC016).",
);

pub static COURSE: &[Field] = &[
    KIND,
    required(
        "id",
        Shape::Text,
        "Unique id of the course within an audit run.",
    ),
    required("title", Shape::Text, "Course title."),
    field("owner", Shape::Text, "The role that owns the course."),
    field(
        "provider",
        Shape::Text,
        "The organisation providing the course.",
    ),
    field(
        "subcontractor",
        Shape::Text,
        "The subcontractor delivering it, if any.",
    ),
    POLICIES,
    field(
        "qualification",
        Shape::Map(&[
            field("awarding_body", Shape::Text, "The awarding body."),
            field(
                "number",
                Shape::QualificationNumber,
                "Ofqual qualification number, e.g. 603/5058/0.",
            ),
            field("level", Shape::Integer, "Qualification level."),
            EVIDENCE,
        ]),
        "The qualification the course leads to.",
    ),
    required(
        "delivery",
        Shape::Map(&[
            required(
                "mode",
                Shape::Enum(DELIVERY_MODES),
                "face_to_face, blended or online.",
            ),
            field(
                "guided_learning_hours",
                Shape::Number,
                "Guided learning hours.",
            ),
            field(
                "components",
                Shape::List(&Shape::Map(&[
                    field(
                        "type",
                        Shape::Enum(COMPONENT_TYPES),
                        "How this part is delivered.",
                    ),
                    field("hours", Shape::Number, "Hours of this part."),
                    field(
                        "understanding_checks",
                        Shape::List(&Shape::Text),
                        "How learners' understanding is checked in live online sessions.",
                    ),
                ])),
                "The parts of the delivery.",
            ),
            EVIDENCE,
        ]),
        "How the course is delivered.",
    ),
    field(
        "awarding_body_approval",
        Shape::Map(&[
            field(
                "status",
                Shape::Enum(&["approved", "pending", "refused"]),
                "The awarding body's decision.",
            ),
            field("reference", Shape::Text, "The awarding body's reference."),
            field("date", Shape::Date, "When the awarding body agreed."),
            EVIDENCE,
        ]),
        "The awarding body's agreement to blended delivery.",
    ),
    field(
        "accessibility_review",
        Shape::Map(&[
            field(
                "date",
                Shape::Date,
                "When content was last reviewed for accessibility.",
            ),
            field("reviewer", Shape::Text, "Who reviewed it (a role)."),
            field(
                "standard",
                Shape::Text,
                "The standard applied, e.g. WCAG 2.2 AA.",
            ),
            field(
                "outcome",
                Shape::Enum(&["pass", "pass_with_actions", "fail"]),
                "The review's outcome.",
            ),
            EVIDENCE,
        ]),
        "The latest accessibility review of the content.",
    ),
    field(
        "attendance",
        Shape::Map(&[
            field(
                "monitoring",
                Shape::Enum(&["per_session", "weekly", "fortnightly", "monthly", "none"]),
                "How often attendance is monitored.",
            ),
            field(
                "minimum_percent",
                Shape::Number,
                "Minimum attendance expected, in percent.",
            ),
            field(
                "follow_up_days",
                Shape::Integer,
                "Engagement concerns followed up within N working days.",
            ),
            EVIDENCE,
        ]),
        "Attendance monitoring and follow-up.",
    ),
    field(
        "assessment",
        Shape::Map(&[
            field(
                "feedback_days",
                Shape::Integer,
                "Feedback returned within N working days.",
            ),
            field(
                "deadlines_published",
                Shape::Boolean,
                "Whether assignment deadlines are published to learners.",
            ),
            field(
                "authenticity",
                Shape::List(&Shape::Text),
                "How work is checked to be the learner's own: declaration, similarity_check, viva, observation, supervised_assessment, professional_discussion, witness_testimony, proctored_assessment; other text is allowed beside them.",
            ),
            field(
                "assignments",
                Shape::List(&Shape::Map(&[
                    field("id", Shape::Text, "Assignment id."),
                    field("title", Shape::Text, "Assignment title."),
                    field("deadline", Shape::Date, "Submission deadline."),
                ])),
                "Assignments with their deadlines.",
            ),
            EVIDENCE,
        ]),
        "Assessment arrangements.",
    ),
    field(
        "learner_support",
        Shape::Map(&[
            field(
                "online_contact",
                Shape::Text,
                "Who supports learners online, and when.",
            ),
            field("response_hours", Shape::Number, "Response time in hours."),
            field(
                "pastoral",
                Shape::Text,
                "Who gives personal (pastoral) support.",
            ),
            EVIDENCE,
        ]),
        "Professional and personal support for learners.",
    ),
    field(
        "digital_access",
        Shape::Map(&[
            field(
                "assessed_at_enrolment",
                Shape::Boolean,
                "Whether digital access is assessed at enrolment.",
            ),
            field(
                "support",
                Shape::List(&Shape::Text),
                "Support for learners in digital poverty: device_loan, data_sim, connectivity_grant, offline_pack, adapted_delivery, on_site_access, drop_in_it_help, induction_session, assistive_technology; other text is allowed beside them.",
            ),
            EVIDENCE,
        ]),
        "Access to technology.",
    ),
    field(
        "online_safety",
        Shape::Map(&[
            field(
                "materials_reviewed",
                Shape::Date,
                "When materials were last reviewed for safety.",
            ),
            field("reviewer", Shape::Text, "Who reviewed them (a role)."),
            field(
                "prevent_checked",
                Shape::Boolean,
                "Whether materials were checked under Prevent.",
            ),
            EVIDENCE,
        ]),
        "Safety of online and offline materials.",
    ),
    field(
        "data_protection",
        Shape::Map(&[
            field(
                "records_system",
                Shape::Text,
                "Where personal data and records are kept.",
            ),
            field(
                "retention_years",
                Shape::Integer,
                "How many years records are kept.",
            ),
            field(
                "records_security",
                Shape::List(&Shape::Text),
                "How the records system keeps them secure: access_controlled, role_based_access, multi_factor_authentication, encrypted_at_rest, encrypted_in_transit, backed_up, audit_logged, uk_gdpr_compliant_provider; other text is allowed beside them.",
            ),
            EVIDENCE,
        ]),
        "Secure storage of personal data and records.",
    ),
    field(
        "staff",
        Shape::List(&Shape::Map(&[
            field("role", Shape::Text, "The staff member's role."),
            field(
                "online_delivery_training",
                Shape::Date,
                "Last training in online delivery.",
            ),
        ])),
        "Delivery staff.",
    ),
    field(
        "quality",
        Shape::Map(&[
            field(
                "last_review",
                Shape::Date,
                "Last quality review of the course.",
            ),
            field("observation", Shape::Date, "Last observation of teaching."),
            EVIDENCE,
        ]),
        "Quality assurance.",
    ),
    field(
        "employer",
        Shape::Map(&[
            field("name", Shape::Text, "The employer."),
            field(
                "contact",
                Shape::Text,
                "The employer's contact for the learner (a role or name).",
            ),
            field(
                "last_review",
                Shape::Date,
                "The last progress review held with the employer.",
            ),
            field(
                "study_time_hours_per_week",
                Shape::Number,
                "Study time the employer gives, hours per week.",
            ),
            EVIDENCE,
        ]),
        "The employer, for apprenticeships only.",
    ),
    field(
        "evaluation",
        Shape::Map(&[
            field(
                "levels",
                Shape::List(&Shape::Enum(EVALUATION_LEVELS)),
                "Kirkpatrick levels of evaluation planned.",
            ),
            field("enrolled", Shape::Integer, "Learners enrolled."),
            field(
                "responses",
                Shape::Integer,
                "Evaluation responses received.",
            ),
            field(
                "value_for_time_percent",
                Shape::Number,
                "Percent of respondents who found it good value for time.",
            ),
            field(
                "would_recommend_percent",
                Shape::Number,
                "Percent of respondents who would recommend it to a peer.",
            ),
            EVIDENCE,
        ]),
        "Evaluation of the course.",
    ),
    field(
        "evidence",
        Shape::List(&Shape::Text),
        "Evidence for the course as a whole: https:// links or paths relative to this file.",
    ),
    WAIVERS,
];

pub static LEARNER_PLAN: &[Field] = &[
    KIND,
    required(
        "id",
        Shape::Text,
        "Unique id of the plan within an audit run.",
    ),
    required(
        "learner",
        Shape::Text,
        "The learner's reference number (never a name).",
    ),
    required(
        "course",
        Shape::Text,
        "The id of the Course this plan belongs to.",
    ),
    POLICIES,
    field(
        "initial_assessment",
        Shape::Map(&[
            field(
                "date",
                Shape::Date,
                "When the initial assessment took place.",
            ),
            field(
                "starting_point",
                Shape::TextMap,
                "Subject to level, e.g. english: Entry 3.",
            ),
            field(
                "support_needs",
                Shape::List(&Shape::Text),
                "Support needs identified; [] means assessed, none found.",
            ),
            field(
                "prior_learning",
                Shape::List(&Shape::Text),
                "Previous qualifications and experience; [] likewise.",
            ),
        ]),
        "The initial assessment the plan starts from.",
    ),
    field(
        "goals",
        Shape::List(&Shape::Map(&[
            field("goal", Shape::Text, "What the learner aims to achieve."),
            field("target_date", Shape::Date, "When."),
            field(
                "milestones",
                Shape::List(&Shape::Map(&[
                    field("step", Shape::Text, "The step."),
                    field("due", Shape::Date, "When it is due."),
                    field("measure", Shape::Text, "How achievement is measured."),
                    field(
                        "status",
                        Shape::Enum(&["not_started", "in_progress", "done"]),
                        "Progress.",
                    ),
                ])),
                "Measurable steps towards the goal.",
            ),
        ])),
        "The learner's goals.",
    ),
    field(
        "learner_agreed",
        Shape::Date,
        "When the learner agreed the plan they helped write.",
    ),
    field(
        "reviews",
        Shape::List(&Shape::Map(&[
            field(
                "date",
                Shape::Date,
                "When the review took place (or is planned).",
            ),
            field("by", Shape::Text, "Who reviewed (a role)."),
            field("summary", Shape::Text, "What was agreed."),
        ])),
        "Reviews of the plan.",
    ),
    field(
        "attendance",
        Shape::Map(&[
            field(
                "target_percent",
                Shape::Number,
                "The target as the plan records it, in percent; ILP011 does not read it, but holds the plan to its course's attendance.minimum_percent.",
            ),
            field(
                "percent",
                Shape::Number,
                "The learner's attendance to date, in percent.",
            ),
            field("recorded", Shape::Date, "When the attendance was recorded."),
        ]),
        "The learner's attendance against the course's target.",
    ),
    field(
        "access",
        Shape::List(&Shape::Text),
        "Who can see the plan: learner, tutor, employer, ...",
    ),
    WAIVERS,
];

pub static MATURITY_ASSESSMENT: &[Field] = &[
    KIND,
    required("id", Shape::Text, "Unique id of the assessment."),
    field("organisation", Shape::Text, "The organisation assessed."),
    field(
        "assessed",
        Shape::Date,
        "When the self-assessment was made.",
    ),
    field("assessor", Shape::Text, "Who made it (a role)."),
    field(
        "met",
        Shape::List(&Shape::Map(&[
            required(
                "indicator",
                Shape::Text,
                "The id of a maturity-model statement, e.g. M2.lms-reporting.",
            ),
            // Not `required`: a missing or empty evidence is DOC012, which
            // says why the claim does not count.
            field("evidence", Shape::Text, "The evidence that it is met."),
        ])),
        "Indicators the organisation meets, each with evidence.",
    ),
];

pub static POLICY_DOCUMENT: &[Field] = &[
    KIND,
    required("id", Shape::Text, "Unique id of the policy."),
    required("title", Shape::Text, "The policy's title."),
    required("version", Shape::Text, "Current version, e.g. 1.2."),
    required("owner", Shape::Text, "The role that owns the policy."),
    required("issued", Shape::Date, "When this version was issued."),
    required(
        "renewal",
        Shape::Date,
        "When the policy is due for renewal.",
    ),
    field("status", Shape::Text, "e.g. current, draft, withdrawn."),
    field(
        "history",
        Shape::List(&Shape::Map(&[
            field("version", Shape::Text, "Version."),
            field("date", Shape::Date, "Date issued."),
            field("summary", Shape::Text, "Summary of changes."),
        ])),
        "Version history.",
    ),
];
