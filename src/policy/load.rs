//! Turns a policy's TOML into a validated `Policy`, collecting every problem
//! with its file:line:column rather than stopping at the first.

use super::raw::{RawCommitment, RawField, RawPlaceholders, RawPolicyFile, RawRule};
use super::sheet::{sheet_problems, Sheet, SheetField};
use super::{
    Catalogue, Commitment, Coverage, DeclaredField, HistoryEntry, Origin, Placeholders, Policy,
    ReadWith, Rule, Scope,
};
pub(crate) use crate::checks::policy_number;
use crate::checks::{Bounds, Check, CheckArgs, CheckTable, Params, ReadPath, Reads, CHECK_KINDS};
use crate::dates::parse_date;
use crate::document::extension::{extended, path_problem, Declaration, DeclaredType};
use crate::document::format::{Field, Shape as FormatShape};
use crate::document::paths::{shape_at, shape_words, Reached};
use crate::document::Kind;
use crate::report::Severity;
use crate::yaml::path::Path;
use crate::yaml::Pos;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, LazyLock};
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
    /// The formats of the policy's scope kinds, with its declared fields:
    /// what every path of its checks must exist in.
    formats: Vec<(Kind, &'static [Field])>,
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
}

/// Loads and validates a policy file's text.
pub fn load_policy(text: &str, origin: Origin) -> Result<Policy, Vec<PolicyError>> {
    let mut loader = Loader {
        file: origin.file_label(),
        lines: LineIndex::new(text),
        errors: Vec::new(),
        formats: Vec::new(),
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

    let read_with = read_with(&mut loader, &sheet.read_with);
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
    let fields = declared_fields(&mut loader, &raw.fields, &kinds);
    let declarations: Vec<Declaration> = fields.iter().map(|f| f.declaration.clone()).collect();
    for &kind in &kinds {
        match extended(kind, &declarations) {
            Ok(format) => loader.formats.push((kind, format)),
            Err((index, message)) => {
                loader.errors.push(PolicyError {
                    file: loader.file.clone(),
                    pos: fields[index].pos,
                    message,
                });
                loader.formats.push((kind, kind.fields()));
            }
        }
    }
    let no_params = Params::new();
    let scope_when = checks(&mut loader, &scope.when, &no_params).0;

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

    let placeholders = placeholders(&mut loader, raw.placeholders.as_ref());
    let commitments = commitments(&mut loader, &raw.commitments);

    match (loader.errors.is_empty(), issued, renewal) {
        (true, Some(issued), Some(renewal)) => Ok(Policy {
            rules: {
                let policy: Arc<str> = sheet.id.get_ref().as_str().into();
                let mut rules = rules;
                for rule in &mut rules {
                    rule.label = Arc::new(rule.label_in(&policy));
                }
                rules
            },
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
            read_with,
            history,
            origin,
            scope: Scope {
                kinds,
                when: scope_when,
            },
            fields,
            placeholders,
            commitments,
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

/// The id prefixes blcheck keeps for its own checks (`DOC`, `POL`), as its
/// catalogue numbers them.
static RESERVED_PREFIXES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let catalogue = Catalogue::built_in();
    catalogue
        .id_prefixes()
        .into_iter()
        .map(str::to_string)
        .collect()
});

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
            format!(
                "rule id '{id}': {} ids are blcheck's own",
                RESERVED_PREFIXES.join(" and ")
            ),
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
    let mut param_sources = BTreeMap::new();
    for (name, source) in &raw.param_sources {
        if !raw.params.contains_key(name) {
            loader.error(
                source.span(),
                format!("param_sources names '{name}', which is not a parameter of this rule"),
            );
        } else if source.get_ref().trim().is_empty() {
            loader.error(
                source.span(),
                format!("the source of '{name}' must not be empty"),
            );
        } else {
            param_sources.insert(name.clone(), source.get_ref().trim().to_string());
        }
    }
    let (when, when_uses) = checks(loader, &raw.when, &params);
    let (checks, check_uses) = checks(loader, &raw.checks, &params);
    if raw.checks.is_empty() {
        loader.error(spanned.span(), format!("rule {id} has no checks"));
    }
    let mut param_bounds: BTreeMap<String, Bounds> = BTreeMap::new();
    for (name, bounds) in when_uses.into_iter().chain(check_uses) {
        let both = param_bounds.get(&name).map_or(bounds, |b| b.and(bounds));
        param_bounds.insert(name, both);
    }
    for (name, bounds) in &param_bounds {
        if let (Some(value), Some(written)) = (params.get(name), raw.params.get(name)) {
            if !bounds.contains(*value) {
                loader.error(
                    written.span(),
                    format!(
                        "parameter '{name}' is {}; it must be {bounds}",
                        crate::checks::format_number(*value)
                    ),
                );
            }
        }
    }
    if loader.errors.len() > errors_before {
        return None;
    }
    if let Some(problem) = super::limits_problem(&checks, &params) {
        loader.error(spanned.span(), format!("rule {id}: {problem}"));
        return None;
    }
    let rule = Rule {
        id: id.as_str().into(),
        name: raw.name.get_ref().as_str().into(),
        title: raw.title.get_ref().clone(),
        severity: severity?,
        clause: Arc::from(raw.clause.get_ref().trim()),
        help: Arc::from(raw.help.get_ref().trim()),
        example: raw.example.clone(),
        params,
        param_sources,
        param_bounds,
        when,
        checks,
        label: Arc::new(crate::report::RuleLabel::new("", "")),
        result_ref: crate::report::RuleRef::of(id.as_str()),
    };
    // Named with its policy once the policy is read (`load`).
    Some(rule)
}

/// The policy's placeholder list: blcheck's, replaced by `values` and
/// extended by `extra`.
fn placeholders(loader: &mut Loader<'_>, raw: Option<&Spanned<RawPlaceholders>>) -> Placeholders {
    let Some(raw) = raw.map(Spanned::get_ref) else {
        return Placeholders::default();
    };
    let mut texts: Vec<String> = match &raw.values {
        Some(values) => values.iter().map(|v| v.get_ref().clone()).collect(),
        None => Placeholders::default().texts().to_vec(),
    };
    for value in raw.values.iter().flatten().chain(&raw.extra) {
        if value.get_ref().trim().is_empty() {
            loader.error(value.span(), "a placeholder must not be empty text");
        }
    }
    texts.extend(raw.extra.iter().map(|v| v.get_ref().clone()));
    let list = Placeholders::new(texts);
    match &raw.source {
        Some(source) => list.with_source(source),
        None => list,
    }
}

fn commitments(loader: &mut Loader<'_>, raw: &[Spanned<RawCommitment>]) -> Vec<Commitment> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for spanned in raw {
        let c = spanned.get_ref();
        let id = c.id.get_ref().trim();
        if id.is_empty() {
            loader.error(c.id.span(), "commitment id must not be empty");
        } else if !seen.insert(id.to_string()) {
            loader.error(c.id.span(), format!("commitment id {id} appears twice"));
        }
        for (field, value) in [("section", &c.section), ("text", &c.text)] {
            if value.get_ref().trim().is_empty() {
                loader.error(
                    value.span(),
                    format!("commitment {field} must not be empty"),
                );
            }
        }
        let coverage = match (&c.rules[..], &c.not_checkable, &c.gap) {
            ([], Some(reason), None) if !reason.get_ref().trim().is_empty() => {
                Coverage::NotCheckable(reason.get_ref().trim().to_string())
            }
            ([], Some(reason), None) => {
                loader.error(reason.span(), "not_checkable must say why");
                continue;
            }
            ([], None, _) => {
                loader.error(
                    spanned.span(),
                    format!("commitment {id} needs `rules` that check it, or `not_checkable` with the reason"),
                );
                continue;
            }
            ([_, ..], Some(reason), _) => {
                loader.error(
                    reason.span(),
                    format!("commitment {id} has rules and not_checkable; give one"),
                );
                continue;
            }
            ([], Some(_), Some(gap)) => {
                loader.error(
                    gap.span(),
                    "gap says what rules miss; a commitment with no rules has none",
                );
                continue;
            }
            (rules, None, gap) => {
                for rule in rules {
                    if !is_rule_id(rule.get_ref()) {
                        loader.error(
                            rule.span(),
                            format!("'{}' is not a rule id such as BLP001", rule.get_ref()),
                        );
                    }
                }
                Coverage::Checked {
                    rules: rules
                        .iter()
                        .map(|r| Arc::from(r.get_ref().as_str()))
                        .collect(),
                    gap: gap.as_ref().map(|g| g.get_ref().trim().to_string()),
                }
            }
        };
        out.push(Commitment {
            id: id.to_string(),
            section: c.section.get_ref().trim().to_string(),
            text: c.text.get_ref().trim().to_string(),
            coverage,
            rule_positions: c
                .rules
                .iter()
                .map(|r| loader.lines.pos(r.span().start))
                .collect(),
        });
    }
    out
}

/// `read_with` entries: a title, or `{ title = "...", id = "...", aliases =
/// ["..."] }`; each problem located.
fn read_with(loader: &mut Loader<'_>, raw: &[Spanned<toml::Value>]) -> Vec<ReadWith> {
    let mut out = Vec::new();
    for entry in raw {
        let problem = match entry.get_ref() {
            toml::Value::String(title) if !title.trim().is_empty() => {
                out.push(ReadWith::title(title.trim()));
                continue;
            }
            toml::Value::Table(table) => {
                let text = |key: &str| table.get(key).and_then(toml::Value::as_str);
                let aliases: Option<Vec<String>> = match table.get("aliases") {
                    None => Some(Vec::new()),
                    Some(toml::Value::Array(items)) => items
                        .iter()
                        .map(|i| i.as_str().map(|s| s.trim().to_string()))
                        .collect(),
                    Some(_) => None,
                };
                let unknown = table
                    .keys()
                    .find(|k| !["title", "id", "aliases"].contains(&k.as_str()));
                match (text("title"), aliases, unknown) {
                    (_, _, Some(key)) => format!(
                        "read_with entry has unknown key '{key}'; it takes title, id and aliases"
                    ),
                    (Some(title), Some(aliases), None) if !title.trim().is_empty() => {
                        out.push(ReadWith {
                            title: title.trim().to_string(),
                            id: text("id").map(|id| id.trim().to_string()),
                            aliases,
                        });
                        continue;
                    }
                    (_, None, None) => "read_with aliases must be a list of titles".to_string(),
                    _ => "a read_with entry needs its `title`".to_string(),
                }
            }
            _ => "a read_with entry is a title, or { title = \"...\", id = \"...\", aliases = [...] }"
                .to_string(),
        };
        loader.error(entry.span(), problem);
    }
    out
}

/// The fields a policy declares; each problem located.
fn declared_fields(
    loader: &mut Loader<'_>,
    raw: &[Spanned<RawField>],
    scope: &[Kind],
) -> Vec<DeclaredField> {
    let mut out = Vec::new();
    for spanned in raw {
        let field = spanned.get_ref();
        let path = match Path::parse(field.path.get_ref()) {
            Ok(path) => match path_problem(&path) {
                None => Some(path),
                Some(problem) => {
                    loader.error(field.path.span(), problem);
                    None
                }
            },
            Err(message) => {
                loader.error(field.path.span(), format!("invalid path {message}"));
                None
            }
        };
        let ty = match DeclaredType::parse(field.ty.get_ref(), &field.values) {
            Ok(ty) => Some(ty),
            Err(message) => {
                loader.error(field.ty.span(), message);
                None
            }
        };
        if !field.values.is_empty() && field.ty.get_ref() != "enum" {
            loader.error(field.ty.span(), "`values` are for a field of type enum");
        }
        if field.description.get_ref().trim().is_empty() {
            loader.error(
                field.description.span(),
                "a declared field's description must not be empty",
            );
        }
        let mut kinds = Vec::new();
        for kind in &field.kinds {
            match Kind::from_name(kind.get_ref()) {
                Some(k) => kinds.push(k),
                None => loader.error(
                    kind.span(),
                    format!(
                        "kind '{}' is not one of Course, LearnerPlan, MaturityAssessment, PolicyDocument",
                        kind.get_ref()
                    ),
                ),
            }
        }
        if field.kinds.is_empty() {
            kinds = scope.to_vec();
        }
        let (Some(path), Some(ty)) = (path, ty) else {
            continue;
        };
        let pos = loader.lines.pos(field.path.span().start);
        for kind in kinds {
            out.push(DeclaredField {
                declaration: Declaration {
                    kind,
                    path: path.clone(),
                    ty: ty.clone(),
                    about: field.description.get_ref().trim().to_string(),
                },
                pos,
            });
        }
    }
    out
}

/// The checks, and the parameters they read with the range each must be in.
fn checks(
    loader: &mut Loader<'_>,
    raw: &[Spanned<CheckTable>],
    params: &Params,
) -> (Vec<Check>, Vec<(String, Bounds)>) {
    let mut uses = Vec::new();
    let checks = raw
        .iter()
        .filter_map(|c| check(loader, c, params, &mut uses))
        .collect();
    (checks, uses)
}

/// A check as its kind reads it; `None`, its problems noted, when it is
/// invalid.
fn check(
    loader: &mut Loader<'_>,
    spanned: &Spanned<CheckTable>,
    params: &Params,
    uses: &mut Vec<(String, Bounds)>,
) -> Option<Check> {
    let table = spanned.get_ref();
    let Some(mut args) = CheckArgs::new(table, spanned.span(), params) else {
        let known: Vec<&str> = CHECK_KINDS.iter().map(|kind| kind.name).collect();
        loader.error(
            table.check.span(),
            format!(
                "unknown check '{}'; known checks: {}",
                table.check.get_ref(),
                known.join(", ")
            ),
        );
        return None;
    };
    let kind = args.kind();
    let checker = (kind.parse)(&mut args);
    let read = args.read_paths().to_vec();
    let texts = args.text_literals().to_vec();
    uses.extend(args.param_uses().iter().cloned());
    let errors = args.into_errors();
    let mut valid = errors.is_empty();
    for (span, message) in errors {
        loader.error(span, message);
    }
    let course_format = [(Kind::Course, Kind::Course.fields())];
    for path in &read {
        let formats = match path.on_course {
            true => &course_format[..],
            false => &loader.formats[..],
        };
        if let Some(problem) = path_problem_in(formats, path, kind.name) {
            loader.error(path.span.clone(), problem);
            valid = false;
        }
    }
    // A word compared with a field of a closed set must be in the set (in
    // some scope kind's format): `"blnded"` would make a rule that never
    // matches.
    if let ([path], false, true) = (read.as_slice(), texts.is_empty(), valid) {
        let sets: Vec<&'static [&'static str]> = loader
            .formats
            .iter()
            .filter_map(|(_, format)| match shape_at(format, &path.path) {
                Ok(Reached::Shape(FormatShape::Enum(words))) => Some(*words),
                Ok(Reached::Shape(FormatShape::List(FormatShape::Enum(words)))) => Some(*words),
                _ => None,
            })
            .collect();
        if !sets.is_empty() {
            for (text, span) in texts {
                if !sets.iter().any(|words| words.contains(&text.as_str())) {
                    let near = crate::document::validate::suggestion(
                        &text,
                        sets.iter().flat_map(|w| w.iter().copied()),
                    )
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default();
                    loader.error(
                        span,
                        format!(
                            "'{text}' is not a value '{}' can hold: one of {}{near}",
                            path.path,
                            sets[0].join(", ")
                        ),
                    );
                    valid = false;
                }
            }
        }
    }
    Some(Check::new(kind, checker.filter(|_| valid)?))
}

/// Why a check's path cannot be read as its kind reads it in any of the
/// policy's formats: unknown there (with the nearest known path), or of a
/// type the check cannot read (a date check on a true/false field).
fn path_problem_in(
    formats: &[(Kind, &'static [Field])],
    read: &ReadPath,
    check: &str,
) -> Option<String> {
    let mut first_problem = None;
    for (kind, format) in formats {
        match shape_at(format, &read.path) {
            Ok(reached) if reads_fit(read.reads, reached) => return None,
            Ok(Reached::Shape(shape)) => {
                first_problem.get_or_insert(format!(
                    "check '{check}' reads {} at '{}', but in the {kind} format it is {}",
                    read.reads.words(),
                    read.path,
                    shape_words(shape)
                ));
            }
            Ok(Reached::Free) => return None,
            Err(problem) => {
                first_problem.get_or_insert(match formats.len() {
                    1 => problem,
                    _ => format!("{problem} (in the {kind} format)"),
                });
            }
        }
    }
    first_problem
}

/// Whether a value of the format can be read as a check reads it. Text is
/// read as a date or a number as written (`"2025-10-10"`, `"12"`).
fn reads_fit(reads: Reads, reached: Reached<'_>) -> bool {
    let Reached::Shape(shape) = reached else {
        return true;
    };
    match reads {
        Reads::Any => true,
        Reads::Date => matches!(shape, FormatShape::Date | FormatShape::Text),
        Reads::Number => matches!(
            shape,
            FormatShape::Integer | FormatShape::Number | FormatShape::Text
        ),
        Reads::List => matches!(shape, FormatShape::List(_)),
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

[[fields]]
path = "a.b"
type = "number"
description = "A number."

[[fields]]
path = "c"
type = "text_list"
description = "Some words."
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
            .replacen("path = \"a.b\"", "path = \"a..b\"", 1)
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

    /// Each kind reads its own fields; the problems keep the places they
    /// had when one struct held every kind's fields.
    #[test]
    fn check_problems_are_located_where_they_are_written() {
        let with_check = |check: &str| {
            let text = GOOD.replace(
                "checks = [{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }]",
                &format!("checks = [{check}]"),
            );
            load_policy(&text, Origin::File("d.toml".into()))
                .unwrap_err()
                .iter()
                .map(|e| format!("{}: {}", e.pos, e.message))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            with_check(r#"{ check = "present", path = 3 }"#),
            ["22:39: invalid type: integer `3`, expected a string"]
        );
        assert_eq!(
            with_check(r#"{ check = "min_items", path = "c", count = 1, distinct = 3 }"#),
            ["22:68: invalid type: integer `3`, expected a boolean"]
        );
        assert_eq!(
            with_check(r#"{ check = "latest_within", paths = "a", days = 3 }"#),
            ["22:46: invalid type: string \"a\", expected a sequence"]
        );
        assert_eq!(
            with_check(r#"{ check = "ratio_at_least", path = "a.b" }"#),
            [
                "22:11: check 'ratio_at_least' needs 'denominator'",
                "22:11: check 'ratio_at_least' needs 'percent'"
            ]
        );
        assert_eq!(
            with_check(r#"{ check = "one_of", path = "a..b", values = [[1], 2, 1e300] }"#),
            [
                "22:38: invalid path 'a..b' has an empty key; write keys like a.b[*].c",
                "22:56: expected text, a number or true/false",
                "22:64: the number is 1e300, beyond what any document can hold (at most 1e9 either way)"
            ]
        );
        assert_eq!(
            with_check(r#"{ check = "at_least", path = "a.b", limit = 2025-01-01 }"#),
            ["22:55: expected a number or the name of a rule parameter"]
        );
        let unknown = with_check(r#"{ check = "at_most", path = "a.b", lmit = "max_days" }"#);
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert!(
            unknown[0].starts_with("22:46: unknown field `lmit`, expected one of `check`, `path`"),
            "{unknown:?}"
        );
        assert_eq!(
            with_check(r#"{ check = "at_mst", path = "a.b" }"#),
            [format!(
                "22:21: unknown check 'at_mst'; known checks: {}",
                CHECK_KINDS
                    .iter()
                    .map(|k| k.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )]
        );
        assert_eq!(
            with_check(r#"{ path = "a" }"#),
            ["22:11: missing field `check`"]
        );
    }

    #[test]
    fn paths_are_checked_against_the_format_with_the_nearest_known_one() {
        let course = GOOD
            .replace("kinds = [\"Course\"]", "kinds = [\"Course\"]\n")
            .replace(
                "path = \"a.b\", limit",
                "path = \"assessment.feedbak_days\", limit",
            );
        let errors = load_policy(&course, Origin::File("d.toml".into())).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].to_string(),
            "d.toml:23:39: unknown path 'assessment.feedbak_days': 'assessment' has no \
             'feedbak_days' (did you mean 'assessment.feedback_days'?)"
        );
        let on_bool = GOOD.replace(
            "{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }",
            "{ check = \"date_within\", path = \"assessment.deadlines_published\", days = \"max_days\" }",
        );
        let errors = load_policy(&on_bool, Origin::File("d.toml".into())).unwrap_err();
        assert!(
            errors[0].message.contains(
                "check 'date_within' reads a date at 'assessment.deadlines_published', \
                 but in the Course format it is true or false"
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn a_word_outside_a_fields_set_is_refused_with_the_nearest() {
        let bad = GOOD.replace(
            "{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }",
            "{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }, { check = \"one_of\", path = \"delivery.mode\", values = [\"online\", \"blnded\"] }",
        );
        let errors = load_policy(&bad, Origin::File("d.toml".into())).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.starts_with(
                "'blnded' is not a value 'delivery.mode' can hold: one of face_to_face, blended, online (did you mean 'blended'?)"
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn parameters_outside_their_range_are_refused_where_written() {
        let negative = GOOD.replace(
            "params = { max_days = 5 }\nchecks = [{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }]",
            "params = { max_days = -5 }\nchecks = [{ check = \"date_within\", path = \"quality.last_review\", days = \"max_days\" }]",
        );
        let errors = load_policy(&negative, Origin::File("d.toml".into())).unwrap_err();
        assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["d.toml:21:23: parameter 'max_days' is -5; it must be 0 or more"]
        );
        let percent = GOOD.replace(
            "{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }",
            "{ check = \"ratio_at_least\", path = \"a.b\", denominator = \"a.b\", percent = 120 }",
        );
        let errors = load_policy(&percent, Origin::File("d.toml".into())).unwrap_err();
        assert!(
            errors[0]
                .message
                .contains("'percent' of 'ratio_at_least' is 120; it must be from 0 to 100"),
            "{errors:?}"
        );
        let crossed = GOOD.replace(
            "{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }",
            "{ check = \"at_most\", path = \"a.b\", limit = \"max_days\" }, { check = \"at_least\", path = \"a.b\", limit = 10 }",
        );
        let errors = load_policy(&crossed, Origin::File("d.toml".into())).unwrap_err();
        assert!(
            errors[0].message.contains(
                "the lower limit of `a.b` (10 = 10) is above its upper limit ([max_days] = 5)"
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn parameter_sources_are_kept_and_must_name_a_parameter() {
        let sourced = GOOD.replace(
            "params = { max_days = 5 }",
            "params = { max_days = 5 }\nparam_sources = { max_days = \"Clause 4: 'within five days'\" }",
        );
        let policy = load_policy(&sourced, Origin::File("d.toml".into())).unwrap();
        assert_eq!(
            policy.rules[0].param_sources["max_days"],
            "Clause 4: 'within five days'"
        );
        let stray = sourced.replace("param_sources = { max_days", "param_sources = { max_dayz");
        let errors = load_policy(&stray, Origin::File("d.toml".into())).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "d.toml:22:30: param_sources names 'max_dayz', which is not a parameter of this rule"
        );
    }

    #[test]
    fn declared_fields_are_checked() {
        let bad = GOOD
            .replace("type = \"number\"", "type = \"numeric\"")
            .replace("path = \"c\"", "path = \"delivery.mode\"");
        let errors = load_policy(&bad, Origin::File("d.toml".into())).unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            text[0].starts_with("d.toml:26:8: type 'numeric' is not one of text, date"),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t
                    .starts_with("d.toml:30:8: 'delivery.mode' is already in the Course format")),
            "{text:?}"
        );
    }

    #[test]
    fn read_with_takes_titles_or_entries_with_an_id_and_aliases() {
        let text = GOOD.replace(
            "renewal = \"1/1/2026\"",
            "renewal = \"1/1/2026\"\nread_with = [\"Assessment Policy\", { title = \"Safeguarding Policy\", id = \"safeguarding-prevent\", aliases = [\"Safeguarding and Prevent Policy\"] }]",
        );
        let policy = load_policy(&text, Origin::File("d.toml".into())).unwrap();
        assert_eq!(policy.read_with[0], ReadWith::title("Assessment Policy"));
        assert_eq!(
            policy.read_with[1].id.as_deref(),
            Some("safeguarding-prevent")
        );
        assert_eq!(
            policy.read_with[1].aliases,
            ["Safeguarding and Prevent Policy"]
        );
        let bad = text.replace("aliases = [", "alias = [");
        let errors = load_policy(&bad, Origin::File("d.toml".into())).unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .starts_with("d.toml:9:35: read_with entry has unknown key 'alias'"),
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
