//! Turns a policy's TOML into a validated `Policy`, collecting every problem
//! with its file:line:column rather than stopping at the first.

use super::raw::{RawCheck, RawPolicyFile, RawRule};
use super::sheet::{sheet_problems, Sheet, SheetField};
use super::{HistoryEntry, Origin, Policy, Rule, Scope};
use crate::checks::{Check, Literal, Number, Params, CHECK_KINDS};
use crate::dates::parse_date;
use crate::document::Kind;
use crate::report::Severity;
use crate::yaml::path::Path;
use crate::yaml::Pos;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

/// A problem in a policy file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub file: String,
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.pos, self.message)
    }
}

pub(crate) use crate::position::LineIndex;

struct Loader<'a> {
    file: String,
    lines: LineIndex<'a>,
    errors: Vec<PolicyError>,
}

impl Loader<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(PolicyError {
            file: self.file.clone(),
            pos: self.lines.pos(span.start),
            message: message.into(),
        });
    }

    fn date(&mut self, value: &Spanned<toml::Value>, what: &str) -> Option<NaiveDate> {
        let parsed = match value.get_ref() {
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => {
                    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                }
                _ => None,
            },
            toml::Value::String(s) => parse_date(s).ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                value.span(),
                format!("{what} must be a date such as 2025-10-10 or \"10/10/2025\""),
            );
        }
        parsed
    }

    fn path(&mut self, text: &Spanned<String>) -> Option<Path> {
        match Path::parse(text.get_ref()) {
            Ok(path) => Some(path),
            Err(message) => {
                self.error(text.span(), format!("invalid path {message}"));
                None
            }
        }
    }
}

/// Loads and validates a policy file's text.
pub fn load_policy(text: &str, origin: Origin) -> Result<Policy, Vec<PolicyError>> {
    let mut loader = Loader {
        file: origin.file_label(),
        lines: LineIndex::new(text),
        errors: Vec::new(),
    };
    let raw: RawPolicyFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            loader.error(span, e.message().trim().to_string());
            return Err(loader.errors);
        }
    };
    let sheet = raw.policy.get_ref();
    if !is_kebab(sheet.id.get_ref()) {
        loader.error(
            sheet.id.span(),
            "policy id must be kebab-case, e.g. sts-blended-learning",
        );
    }
    for (field, value) in [
        ("title", &sheet.title),
        ("version", &sheet.version),
        ("owner", &sheet.owner),
    ] {
        if value.get_ref().trim().is_empty() {
            loader.error(value.span(), format!("policy {field} must not be empty"));
        }
    }
    let issued = loader.date(&sheet.issued, "issued");
    let renewal = loader.date(&sheet.renewal, "renewal");
    let mut history = Vec::new();
    for entry in &sheet.history {
        if let Some(date) = loader.date(&entry.get_ref().date, "history date") {
            history.push(HistoryEntry {
                version: entry.get_ref().version.clone(),
                date,
                summary: entry.get_ref().summary.clone(),
            });
        }
    }
    let dates = Sheet {
        version: sheet.version.get_ref(),
        issued,
        renewal,
        history: &history,
    };
    // Whether a policy was issued after the as-of date is for `renewals` to
    // judge: loading has no as-of date.
    for problem in sheet_problems(&dates, None) {
        let span = match problem.field {
            SheetField::Version => sheet.version.span(),
            SheetField::Issued => sheet.issued.span(),
            SheetField::Renewal => sheet.renewal.span(),
        };
        loader.error(span, problem.message);
    }

    let scope = raw.scope.get_ref();
    let mut kinds = Vec::new();
    for kind in &scope.kinds {
        match Kind::from_name(kind.get_ref()) {
            Some(k) if k != Kind::PolicyDocument => kinds.push(k),
            _ => loader.error(
                kind.span(),
                format!(
                    "scope kind '{}' is not one of Course, LearnerPlan, MaturityAssessment",
                    kind.get_ref()
                ),
            ),
        }
    }
    if scope.kinds.is_empty() {
        loader.error(
            raw.scope.span(),
            "scope.kinds must name at least one document kind",
        );
    }
    let no_params = Params::new();
    let scope_when = checks(&mut loader, &scope.when, &no_params);

    let mut rules = Vec::new();
    let mut seen = BTreeSet::new();
    for raw_rule in &raw.rules {
        if !seen.insert(raw_rule.get_ref().id.get_ref().clone()) {
            loader.error(
                raw_rule.get_ref().id.span(),
                format!("rule id {} appears twice", raw_rule.get_ref().id.get_ref()),
            );
        }
        if let Some(rule) = rule(&mut loader, raw_rule) {
            rules.push(rule);
        }
    }
    if raw.rules.is_empty() {
        loader.error(
            raw.policy.span(),
            "a policy needs at least one [[rules]] entry",
        );
    }

    match (loader.errors.is_empty(), issued, renewal) {
        (true, Some(issued), Some(renewal)) => Ok(Policy {
            id: sheet.id.get_ref().as_str().into(),
            title: sheet.title.get_ref().clone(),
            organisation: sheet.organisation.as_ref().map(|o| o.get_ref().clone()),
            version: sheet.version.get_ref().clone(),
            owner: sheet.owner.get_ref().clone(),
            issued,
            renewal,
            issued_pos: loader.lines.pos(sheet.issued.span().start),
            renewal_pos: loader.lines.pos(sheet.renewal.span().start),
            source_document: sheet.source.clone(),
            read_with: sheet.read_with.clone(),
            history,
            origin,
            scope: Scope {
                kinds,
                when: scope_when,
            },
            rules,
        }),
        _ => Err(loader.errors),
    }
}

pub(crate) fn is_kebab(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `BLP001`: two to five capital letters and three digits.
pub fn is_rule_id(text: &str) -> bool {
    let letters = text.bytes().take_while(u8::is_ascii_uppercase).count();
    (2..=5).contains(&letters)
        && text.len() == letters + 3
        && text.bytes().skip(letters).all(|b| b.is_ascii_digit())
}

/// The fields each check kind reads (besides `check`).
fn check_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "present" | "non_empty" | "date_valid" | "date_not_after_as_of" => &["path"],
        "equals" | "not_equals" => &["path", "value"],
        "one_of" | "contains_all" => &["path", "values"],
        "at_least" | "at_most" | "greater_than" => &["path", "limit"],
        "ratio_at_least" => &["path", "denominator", "percent"],
        "min_items" => &["path", "count", "distinct"],
        "date_within" => &["path", "days"],
        "latest_within" => &["paths", "days"],
        "distinct_in_run" => &["group_by", "paths"],
        _ => return None,
    })
}

/// The rule ids blcheck keeps for its own checks.
const RESERVED_PREFIXES: &[&str] = &["DOC", "POL"];

fn rule(loader: &mut Loader<'_>, spanned: &Spanned<RawRule>) -> Option<Rule> {
    let raw = spanned.get_ref();
    let errors_before = loader.errors.len();
    let id = raw.id.get_ref();
    if !is_rule_id(id) {
        loader.error(
            raw.id.span(),
            format!("rule id '{id}' must be 2-5 capital letters and 3 digits, e.g. BLP001"),
        );
    } else if RESERVED_PREFIXES
        .iter()
        .any(|p| id.starts_with(p) && id.len() == p.len() + 3)
    {
        loader.error(
            raw.id.span(),
            format!("rule id '{id}': DOC and POL ids are blcheck's own"),
        );
    }
    if !is_kebab(raw.name.get_ref()) {
        loader.error(
            raw.name.span(),
            format!("rule name '{}' must be kebab-case", raw.name.get_ref()),
        );
    }
    let severity = Severity::parse(raw.severity.get_ref());
    if severity.is_none() {
        loader.error(
            raw.severity.span(),
            format!(
                "severity '{}' is not error, warning or info",
                raw.severity.get_ref()
            ),
        );
    }
    for (field, value) in [
        ("title", &raw.title),
        ("clause", &raw.clause),
        ("help", &raw.help),
    ] {
        if value.get_ref().trim().is_empty() {
            loader.error(value.span(), format!("rule {field} must not be empty"));
        }
    }
    let mut params = Params::new();
    for (name, value) in &raw.params {
        match policy_number(value.get_ref()) {
            Some(Ok(n)) => {
                params.insert(name.clone(), n);
            }
            Some(Err(problem)) => {
                loader.error(value.span(), format!("parameter '{name}' {problem}"))
            }
            None => loader.error(value.span(), format!("parameter '{name}' must be a number")),
        }
    }
    let when = checks(loader, &raw.when, &params);
    let checks = checks(loader, &raw.checks, &params);
    if raw.checks.is_empty() {
        loader.error(spanned.span(), format!("rule {id} has no checks"));
    }
    if loader.errors.len() > errors_before {
        return None;
    }
    Some(Rule {
        id: id.as_str().into(),
        name: raw.name.get_ref().as_str().into(),
        title: raw.title.get_ref().clone(),
        severity: severity?,
        clause: Arc::from(raw.clause.get_ref().trim()),
        help: Arc::from(raw.help.get_ref().trim()),
        example: raw.example.clone(),
        params,
        when,
        checks,
    })
}

/// The largest number a policy may give, either sign: more days than any
/// date can be apart, and more items than any document can hold (a
/// document has at most 100,000 nodes), so that a rule can always fail.
pub const MAX_POLICY_NUMBER: f64 = 1e9;

/// A number of a policy or of `blcheck.toml`: `None` for a value that is
/// not a number, an error (in words following "the number" or "parameter
/// 'x'") for NaN, infinities and numbers out of range, which would make a
/// rule that can never fail or never pass.
pub(crate) fn policy_number(value: &toml::Value) -> Option<Result<f64, String>> {
    let n = match value {
        toml::Value::Integer(n) => *n as f64,
        toml::Value::Float(n) => *n,
        _ => return None,
    };
    Some(if !n.is_finite() {
        Err(format!("must be a finite number, not {n}"))
    } else if n.abs() > MAX_POLICY_NUMBER {
        Err(format!(
            "is {n:e}, beyond what any document can hold (at most {MAX_POLICY_NUMBER:e} either way)"
        ))
    } else {
        Ok(n)
    })
}

fn checks(loader: &mut Loader<'_>, raw: &[Spanned<RawCheck>], params: &Params) -> Vec<Check> {
    raw.iter()
        .filter_map(|c| check(loader, c, params))
        .collect()
}

fn check(loader: &mut Loader<'_>, spanned: &Spanned<RawCheck>, params: &Params) -> Option<Check> {
    let raw = spanned.get_ref();
    let span = spanned.span();
    let kind = raw.check.get_ref().as_str();
    let errors_before = loader.errors.len();
    let need = |loader: &mut Loader<'_>, present: bool, field: &str| {
        if !present {
            loader.error(span.clone(), format!("check '{kind}' needs '{field}'"));
        }
    };
    let path = |loader: &mut Loader<'_>| raw.path.as_ref().and_then(|p| loader.path(p));
    let number =
        |loader: &mut Loader<'_>, value: &Option<Spanned<toml::Value>>| -> Option<Number> {
            let value = value.as_ref()?;
            if let Some(number) = policy_number(value.get_ref()) {
                return match number {
                    Ok(n) => Some(Number::Literal(n)),
                    Err(problem) => {
                        loader.error(value.span(), format!("the number {problem}"));
                        None
                    }
                };
            }
            match value.get_ref() {
                toml::Value::String(name) if params.contains_key(name) => {
                    Some(Number::Param(name.clone()))
                }
                toml::Value::String(name) => {
                    loader.error(
                        value.span(),
                        format!("'{name}' is not a parameter of this rule; add it to params"),
                    );
                    None
                }
                _ => {
                    loader.error(
                        value.span(),
                        "expected a number or the name of a rule parameter",
                    );
                    None
                }
            }
        };
    let literal = |loader: &mut Loader<'_>, value: &Spanned<toml::Value>| -> Option<Literal> {
        match value.get_ref() {
            toml::Value::String(s) => Some(Literal::Text(s.clone())),
            toml::Value::Boolean(b) => Some(Literal::Bool(*b)),
            toml::Value::Integer(_) | toml::Value::Float(_) => match policy_number(value.get_ref())
            {
                Some(Ok(n)) => Some(Literal::Number(n)),
                Some(Err(problem)) => {
                    loader.error(value.span(), format!("the number {problem}"));
                    None
                }
                None => None,
            },
            _ => {
                loader.error(value.span(), "expected text, a number or true/false");
                None
            }
        }
    };
    // A field the check does not read is a mistake the author should hear
    // about (a `limit` on `present` would silently do nothing).
    if let Some(allowed) = check_fields(kind) {
        let given = [
            ("path", raw.path.is_some()),
            ("paths", raw.paths.is_some()),
            ("denominator", raw.denominator.is_some()),
            ("group_by", raw.group_by.is_some()),
            ("value", raw.value.is_some()),
            ("values", raw.values.is_some()),
            ("limit", raw.limit.is_some()),
            ("count", raw.count.is_some()),
            ("days", raw.days.is_some()),
            ("percent", raw.percent.is_some()),
            ("distinct", raw.distinct.is_some()),
        ];
        for (field, present) in given {
            if present && !allowed.contains(&field) {
                loader.error(
                    span.clone(),
                    format!(
                        "check '{kind}' does not use '{field}'; it takes {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }
    let needs_path = !matches!(kind, "latest_within" | "distinct_in_run");
    if needs_path {
        need(loader, raw.path.is_some(), "path");
    }
    let check = match kind {
        "present" => path(loader).map(|path| Check::Present { path }),
        "non_empty" => path(loader).map(|path| Check::NonEmpty { path }),
        "date_valid" => path(loader).map(|path| Check::DateValid { path }),
        "date_not_after_as_of" => path(loader).map(|path| Check::DateNotAfterAsOf { path }),
        "equals" | "not_equals" => {
            need(loader, raw.value.is_some(), "value");
            let path = path(loader);
            let value = raw.value.as_ref().and_then(|v| literal(loader, v));
            match (path, value, kind) {
                (Some(path), Some(value), "equals") => Some(Check::Equals { path, value }),
                (Some(path), Some(value), _) => Some(Check::NotEquals { path, value }),
                _ => None,
            }
        }
        "one_of" | "contains_all" => {
            need(
                loader,
                raw.values.as_ref().is_some_and(|v| !v.is_empty()),
                "values",
            );
            let path = path(loader);
            let values: Vec<Literal> = raw
                .values
                .iter()
                .flatten()
                .filter_map(|v| literal(loader, v))
                .collect();
            match (path, kind) {
                (Some(path), "one_of") => Some(Check::OneOf { path, values }),
                (Some(path), _) => Some(Check::ContainsAll { path, values }),
                _ => None,
            }
        }
        "at_least" | "at_most" | "greater_than" => {
            need(loader, raw.limit.is_some(), "limit");
            let path = path(loader);
            let limit = number(loader, &raw.limit);
            match (path, limit, kind) {
                (Some(path), Some(limit), "at_least") => Some(Check::AtLeast { path, limit }),
                (Some(path), Some(limit), "at_most") => Some(Check::AtMost { path, limit }),
                (Some(path), Some(limit), _) => Some(Check::GreaterThan { path, limit }),
                _ => None,
            }
        }
        "ratio_at_least" => {
            need(loader, raw.denominator.is_some(), "denominator");
            need(loader, raw.percent.is_some(), "percent");
            let path = path(loader);
            let denominator = raw.denominator.as_ref().and_then(|p| loader.path(p));
            let percent = number(loader, &raw.percent);
            match (path, denominator, percent) {
                (Some(path), Some(denominator), Some(percent)) => Some(Check::RatioAtLeast {
                    path,
                    denominator,
                    percent,
                }),
                _ => None,
            }
        }
        "min_items" => {
            need(loader, raw.count.is_some(), "count");
            let path = path(loader);
            let count = number(loader, &raw.count);
            match (path, count) {
                (Some(path), Some(count)) => Some(Check::MinItems {
                    path,
                    count,
                    distinct: raw.distinct.unwrap_or(false),
                }),
                _ => None,
            }
        }
        "date_within" => {
            need(loader, raw.days.is_some(), "days");
            let path = path(loader);
            let days = number(loader, &raw.days);
            match (path, days) {
                (Some(path), Some(days)) => Some(Check::DateWithin { path, days }),
                _ => None,
            }
        }
        "latest_within" => {
            need(
                loader,
                raw.paths.as_ref().is_some_and(|p| !p.is_empty()),
                "paths",
            );
            need(loader, raw.days.is_some(), "days");
            let paths: Vec<Path> = raw
                .paths
                .iter()
                .flatten()
                .filter_map(|p| loader.path(p))
                .collect();
            let days = number(loader, &raw.days);
            days.map(|days| Check::LatestWithin { paths, days })
        }
        "distinct_in_run" => {
            need(loader, raw.group_by.is_some(), "group_by");
            need(
                loader,
                raw.paths.as_ref().is_some_and(|p| !p.is_empty()),
                "paths",
            );
            let group_by = raw.group_by.as_ref().and_then(|p| loader.path(p));
            let paths: Vec<Path> = raw
                .paths
                .iter()
                .flatten()
                .filter_map(|p| loader.path(p))
                .collect();
            group_by.map(|group_by| Check::DistinctInRun { group_by, paths })
        }
        other => {
            loader.error(
                raw.check.span(),
                format!(
                    "unknown check '{other}'; known checks: {}",
                    CHECK_KINDS.join(", ")
                ),
            );
            None
        }
    };
    if loader.errors.len() > errors_before {
        None
    } else {
        check
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[policy]
id = "demo"
title = "Demo"
version = "1.0"
owner = "Quality Manager"
issued = 2025-01-01
renewal = "1/1/2026"
history = [{ version = "1.0", date = 2025-01-01, summary = "First" }]

[scope]
kinds = ["Course"]

[[rules]]
id = "DEM001"
name = "demo-rule"
title = "Demo"
severity = "error"
clause = "Ensure."
help = "Do."
params = { max_days = 5 }
checks = [{ check = "at_most", path = "a.b", limit = "max_days" }]
"#;

    #[test]
    fn loads_a_valid_policy() {
        let policy = load_policy(GOOD, Origin::File("demo.toml".into())).unwrap();
        assert_eq!(&*policy.id, "demo");
        assert_eq!(policy.renewal.to_string(), "2026-01-01");
        assert_eq!(policy.rules[0].params["max_days"], 5.0);
        assert_eq!(
            policy.renewal_pos,
            Pos {
                line: 8,
                column: 11
            }
        );
    }

    #[test]
    fn lists_every_problem_with_its_line() {
        let bad = GOOD
            .replace("renewal = \"1/1/2026\"", "renewal = 2024-01-01")
            .replace("severity = \"error\"", "severity = \"fatal\"")
            .replace("path = \"a.b\"", "path = \"a..b\"")
            .replace("limit = \"max_days\"", "limit = \"max_dayz\"");
        let errors = load_policy(&bad, Origin::File("demo.toml".into())).unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 4, "{text:#?}");
        assert!(text[0].starts_with("demo.toml:8:11: renewal 2024-01-01 is not after"));
        assert!(text[1].contains("severity 'fatal'"));
        assert!(text[2].contains("invalid path"));
        assert!(text[3].contains("'max_dayz' is not a parameter"));
    }

    #[test]
    fn unknown_keys_and_syntax_errors_are_located() {
        let errors = load_policy(
            &GOOD.replace("title = \"Demo\"\nversion", "titel = \"Demo\"\nversion"),
            Origin::File("d.toml".into()),
        )
        .unwrap_err();
        assert_eq!(errors[0].pos.line, 4, "{errors:?}");
        assert!(errors[0].message.contains("titel"), "{errors:?}");
    }

    #[test]
    fn fields_a_check_does_not_read_are_refused() {
        let bad = GOOD.replace(
            "checks = [{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }]",
            "checks = [{ check = \"present\", path = \"a.b\", limit = \"max_days\" }]",
        );
        let errors = load_policy(&bad, Origin::File("d.toml".into())).unwrap_err();
        assert!(
            errors[0]
                .message
                .contains("check 'present' does not use 'limit'"),
            "{errors:?}"
        );
    }

    #[test]
    fn rule_ids() {
        assert!(is_rule_id("BLP001"));
        assert!(is_rule_id("ACME123"));
        assert!(!is_rule_id("blp001"));
        assert!(!is_rule_id("B001"));
        assert!(!is_rule_id("BLP01"));
    }
}
