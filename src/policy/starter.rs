//! What `blcheck init --kind policy` writes: a commented starter policy
//! with one declared field and one rule, and its two test cases (one
//! passing, one failing), which `blcheck policy test` runs. A unit test
//! keeps them loading and passing.

/// The starter policy TOML.
pub const POLICY: &str = include_str!("starter.toml");

/// Its test cases: file name and YAML.
pub const CASES: &[(&str, &str)] = &[
    ("pass.yaml", include_str!("starter-pass.yaml")),
    ("fail.yaml", include_str!("starter-fail.yaml")),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{cases::read_case, load_policy, Origin};

    #[test]
    fn the_starter_policy_loads_with_its_declared_field_and_cases() {
        let policy = load_policy(POLICY, Origin::File("starter.toml".into())).expect("loads");
        assert_eq!(policy.fields.len(), 1);
        assert_eq!(policy.rules.len(), 1);
        assert!(!policy.rules[0].param_sources.is_empty());
        for (name, text) in CASES {
            let case = read_case(text, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(case.expected[0].rule, "ORG001", "{name}");
        }
    }
}
