//! `at_least_course_field`: a learner plan's number is at least a number
//! its course sets (a learner's recorded attendance against the course's
//! `attendance.minimum_percent`). The plan is paired with the Course of the
//! run whose `id` its `course` names, as DOC014 pairs them; the comparison
//! is made by the cross-document stage (audit/corpus.rs). On the plan alone
//! the check reads only the plan's own value.

use super::{
    each_value, format_number, wrong_type, CheckKind, Checker, Context, Failure, Field, Reads,
    Shape,
};
use crate::yaml::path::Path;
use crate::yaml::{Node, Pos};
use std::sync::Arc;

pub const AT_LEAST_COURSE_FIELD: CheckKind = CheckKind {
    name: "at_least_course_field",
    fields: &[
        Field::new("path", Shape::Path).reading(Reads::Number),
        Field::new("course_field", Shape::Path).reading(Reads::Number),
    ],
    parse: |args| {
        let path = args.path("path");
        let course_field = args.course_path("course_field");
        Some(Arc::new(AtLeastCourseField {
            path: path?,
            course_field: course_field?,
        }))
    },
};

#[derive(Debug)]
pub struct AtLeastCourseField {
    pub path: Path,
    pub course_field: Path,
}

/// The plan's own value a course comparison is made with, and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanValue {
    pub value: f64,
    pub pos: Pos,
    pub path: String,
}

/// What a Course sets at a field a course comparison reads.
#[derive(Debug, Clone, PartialEq)]
pub enum CourseValue {
    Number(f64),
    Missing,
    /// Not a number: how the value reads (`'ninety'`).
    NotNumber(String),
}

/// What a Course sets at a field, and where its value is, so that a plan's
/// finding cites the line it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseSetting {
    pub value: CourseValue,
    /// The value's line:column; `None` when the course sets none.
    pub pos: Option<Pos>,
}

impl CourseSetting {
    /// The value at `field` of a Course's tree, and where it is.
    pub fn at(field: &Path, root: &Node) -> CourseSetting {
        let reached = field.resolve(root);
        let Some((node, pos)) = reached
            .first()
            .and_then(|r| r.node.map(|node| (node, r.pos)))
            .filter(|(node, _)| !node.is_null())
        else {
            return CourseSetting::missing();
        };
        let value = match node.as_number() {
            Some(n) => CourseValue::Number(n),
            None => CourseValue::NotNumber(node.describe()),
        };
        CourseSetting {
            value,
            pos: Some(pos),
        }
    }

    pub fn missing() -> CourseSetting {
        CourseSetting {
            value: CourseValue::Missing,
            pos: None,
        }
    }
}

impl Checker for AtLeastCourseField {
    /// The failure of the plan's value against what its course sets, or
    /// `None` when it passes. `course` names the course as a person finds
    /// it (`FS-ENG-L2-2025 (courses/fs-english.yaml:4:5)`).
    fn judge_against_course(
        &self,
        plan: &PlanValue,
        course_value: &CourseValue,
        course: &str,
    ) -> Option<Failure> {
        let message = match course_value {
            CourseValue::Number(floor) if plan.value >= *floor => return None,
            CourseValue::Number(floor) => format!(
                "'{}' is {}, below the {} that course {course} sets in '{}'",
                plan.path,
                format_number(plan.value),
                format_number(*floor),
                self.course_field
            ),
            CourseValue::Missing => format!(
                "course {course} sets no '{}', so '{}' ({}) has nothing to be held to",
                self.course_field,
                plan.path,
                format_number(plan.value)
            ),
            CourseValue::NotNumber(found) => format!(
                "course {course} has {found} at '{}', not a number, so '{}' ({}) has nothing to be held to",
                self.course_field,
                plan.path,
                format_number(plan.value)
            ),
        };
        Some(Failure {
            pos: plan.pos,
            path: plan.path.clone(),
            message,
            wrong_type: false,
        })
    }

    /// On the plan alone: its own value is there and a number.
    fn evaluate(&self, root: &Node, _ctx: &Context<'_>, out: &mut Vec<Failure>) {
        each_value(&self.path, root, out, |reached, node, out| {
            if node.as_number().is_none() {
                out.push(wrong_type(reached, node, "a number"));
            }
        });
    }

    fn describe(&self) -> String {
        format!(
            "`{}` is at least the `{}` of the plan's course (the Course of the run whose id the plan's `course` names)",
            self.path, self.course_field
        )
    }

    fn in_words(&self, _params: &super::Params) -> String {
        format!(
            "the plan's recorded `{}` is a number at least the `{}` its course sets (the Course in the same run whose `id` is the plan's `course`); a course that sets none fails the plan, and a plan whose course is not in the run is not held to it (the run reports the course missing)",
            self.path, self.course_field
        )
    }

    fn paths(&self) -> Vec<&Path> {
        vec![&self.path, &self.course_field]
    }

    fn course_field(&self) -> Option<&Path> {
        Some(&self.course_field)
    }

    fn plan_value(&self, root: &Node) -> Option<PlanValue> {
        let reached = self.path.resolve(root);
        let first = reached.first()?;
        let value = first.node?.as_number()?;
        Some(PlanValue {
            value,
            pos: first.pos,
            path: first.path.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, p, run};
    use super::*;

    fn check() -> AtLeastCourseField {
        AtLeastCourseField {
            path: p("attendance.percent"),
            course_field: p("attendance.minimum_percent"),
        }
    }

    #[test]
    fn on_the_plan_alone_only_its_own_value_is_read() {
        assert!(run(check(), "attendance:\n  percent: 10\n").is_empty());
        assert_eq!(
            run(check(), "attendance:\n  percent: lots\n"),
            ["2:3 'attendance.percent' should be a number, not 'lots'"]
        );
        assert_eq!(
            check().plan_value(&doc("attendance:\n  percent: lots\n")),
            None
        );
    }

    #[test]
    fn the_plan_is_held_to_what_its_course_sets() {
        let plan = check()
            .plan_value(&doc("attendance:\n  percent: 78\n"))
            .expect("a number");
        let course =
            |text: &str| CourseSetting::at(&p("attendance.minimum_percent"), &doc(text)).value;
        assert_eq!(
            course("attendance:\n  minimum_percent: 85\n"),
            CourseValue::Number(85.0)
        );
        let judge = |value: &CourseValue| {
            check()
                .judge_against_course(&plan, value, "C1")
                .map(|f| f.message)
        };
        assert_eq!(
            judge(&CourseValue::Number(85.0)).as_deref(),
            Some("'attendance.percent' is 78, below the 85 that course C1 sets in 'attendance.minimum_percent'")
        );
        assert_eq!(judge(&CourseValue::Number(78.0)), None);
        assert_eq!(
            judge(&course("attendance:\n  monitoring: weekly\n")).as_deref(),
            Some("course C1 sets no 'attendance.minimum_percent', so 'attendance.percent' (78) has nothing to be held to")
        );
        assert!(judge(&course("attendance:\n  minimum_percent: high\n"))
            .expect("fails")
            .contains("not a number"));
    }

    #[test]
    fn a_course_setting_is_found_where_its_value_is() {
        let field = p("attendance.minimum_percent");
        let set = CourseSetting::at(&field, &doc("id: C1\nattendance:\n  minimum_percent: 85\n"));
        assert_eq!(set.value, CourseValue::Number(85.0));
        assert_eq!(set.pos.map(|pos| pos.to_string()).as_deref(), Some("3:3"));
        for text in ["id: C1\n", "id: C1\nattendance:\n  minimum_percent:\n"] {
            assert_eq!(
                CourseSetting::at(&field, &doc(text)),
                CourseSetting::missing()
            );
        }
    }
}
